//! Files that are not text documents (binary, not UTF-8, over the size limit,
//! empty) and symbolic links that loop: reported by `mkn check`, and left out
//! of the index, the exports and the site, never published as empty pages.

use crate::harness::Kb;

/// One good page beside one file of each unreadable kind.
fn corpus() -> Kb {
    let kb = Kb::empty();
    kb.write(
        "mkn.toml",
        "name = \"Site\"\nmax_file_size = 2000\n[collections.docs]\npath = \"docs\"\n",
    );
    kb.write(
        "docs/good.md",
        "---\ntitle: Good page\n---\nReadable words.\n",
    );
    kb.write(
        "docs/binary.md",
        b"---\ntitle: Binary\n---\n\x00\x01\x02 words\n",
    );
    kb.write("docs/latin1.md", b"---\ntitle: Caf\xe9 words\n---\nwords\n");
    kb.write(
        "docs/big.md",
        format!("---\ntitle: Big\n---\n{}\n", "words ".repeat(400)),
    );
    kb.write("docs/empty.md", "");
    std::fs::create_dir_all(kb.path("docs/sub")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", kb.path("docs/sub/loop")).unwrap();
        std::os::unix::fs::symlink("ring-b.md", kb.path("docs/ring-a.md")).unwrap();
        std::os::unix::fs::symlink("ring-a.md", kb.path("docs/ring-b.md")).unwrap();
        std::os::unix::fs::symlink("gone.md", kb.path("docs/dangling.md")).unwrap();
    }
    kb.commit("pages");
    kb
}

#[test]
fn each_unreadable_file_is_reported_with_its_code() {
    let kb = corpus();
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(&str, &str)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    let mut expected = vec![
        ("docs/big.md", "file/too-large"),
        ("docs/binary.md", "file/binary"),
        ("docs/empty.md", "file/empty"),
        ("docs/latin1.md", "file/encoding"),
    ];
    if cfg!(unix) {
        expected.splice(2..2, [("docs/dangling.md", "file/unreadable")]);
        expected.extend([
            ("docs/ring-a.md", "file/symlink-loop"),
            ("docs/ring-b.md", "file/symlink-loop"),
            ("docs/sub/loop", "file/symlink-loop"),
        ]);
    }
    assert_eq!(found, expected);
}

#[test]
fn unreadable_files_are_not_indexed() {
    let kb = corpus();
    let run = kb.mkn(["list", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let paths: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["docs/good.md"]);
    // A file that becomes readable is indexed on the next query, and one
    // that stops being readable leaves the index.
    kb.write("docs/binary.md", "---\ntitle: Fixed\n---\nwords again\n");
    kb.write("docs/good.md", b"\x00binary now");
    let run = kb.mkn(["list", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let paths: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["docs/binary.md"], "{run}");
}

#[test]
fn unreadable_files_are_not_exported() {
    let kb = corpus();
    for format in ["json", "csv"] {
        let run = kb.mkn(["export", "--format", format, "--out", "-"]);
        assert_eq!(run.code, 0, "{run}");
        assert_eq!(
            run.stderr,
            "left out 4 files that cannot be read as text (`mkn check` says why)\n"
        );
        assert!(run.stdout.contains("docs/good.md"), "{run}");
        for left_out in ["big", "binary", "empty", "latin1", "loop"] {
            assert!(
                !run.stdout.contains(left_out),
                "{format}: {left_out}: {run}"
            );
        }
    }
}

#[test]
fn unreadable_files_get_no_page() {
    let kb = corpus();
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains("exported a site of 1 documents"),
        "{run}"
    );
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(kb.path("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let name = entry.path().to_string_lossy().into_owned();
            for left_out in ["big", "binary", "empty", "latin1", "Caf"] {
                assert!(
                    !name.contains(left_out) && !text.contains(&format!("docs/{left_out}")),
                    "{name} names {left_out}"
                );
            }
            pages.push(name);
        }
    }
    assert!(pages.iter().any(|p| p.contains("good")), "{pages:?}");
}
