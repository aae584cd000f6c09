//! Collections in `mkn.toml`: gitignore globs, the size limit, and settings
//! that name what does not exist, refused at their `mkn.toml` line.

use crate::harness::Kb;

const PAGE: &str = "---\ntitle: A page\n---\nText.\n";

/// A corpus whose `mkn.toml` is `toml` and that holds `files` (each a page).
fn corpus(toml: &str, files: &[&str]) -> Kb {
    let kb = Kb::empty();
    kb.write("mkn.toml", toml);
    for file in files {
        kb.write(file, PAGE);
    }
    kb
}

/// The paths `mkn export --format json` exports, sorted.
fn exported(kb: &Kb) -> Vec<String> {
    let run = kb.mkn(["export", "--format", "json", "--out", "-"]);
    assert_eq!(run.code, 0, "{run}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut paths: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths
}

#[test]
fn globs_read_like_gitignore() {
    let kb = corpus(
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\ninclude = [\"/index.md\", \"guides/*.md\", \"*.mdx\"]\nexclude = [\"drafts/\", \"old-*\"]\n",
        &[
            "docs/index.md",
            "docs/sub/index.md",
            "docs/guides/a.md",
            "docs/guides/deeper/b.md",
            "docs/guides/old-c.md",
            "docs/guides/drafts/d.md",
            "docs/drafts/e.mdx",
            "docs/deep/er/f.mdx",
        ],
    );
    kb.commit("pages");
    assert_eq!(
        exported(&kb),
        ["docs/deep/er/f.mdx", "docs/guides/a.md", "docs/index.md"]
    );
    let run = kb.mkn(["check"]);
    assert_eq!(
        run.to_string(),
        "exit: 0\n--- stdout\nchecked 3 documents: no problems found\n--- stderr\n"
    );
}

#[test]
fn a_collection_folder_that_does_not_exist_is_refused_at_its_line() {
    let kb = corpus(
        "name = \"Site\"\n\n[collections.docs]\npath = \"contnet/docs\"\n",
        &["content/docs/a.md"],
    );
    let run = kb.mkn(["check"]);
    assert_eq!(
        run.to_string(),
        "exit: 2\n--- stdout\n--- stderr\n\
         error: mkn.toml:4:8: collection `docs`: the folder `contnet/docs` does not exist\n"
    );
    let kb = corpus(
        "name = \"Site\"\n\n[collections.docs]\npath = \"content/dcs\"\n",
        &["content/docs/a.md"],
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.ends_with(
            "the folder `content/dcs` does not exist\n  help: did you mean `content/docs`?\n"
        ),
        "{run}"
    );
}

#[test]
fn globs_that_match_no_file_are_refused_at_their_line() {
    let kb = corpus(
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\ninclude = [\"*.markdown\"]\n",
        &["docs/a/b.md"],
    );
    let run = kb.mkn(["check"]);
    assert_eq!(
        run.to_string(),
        "exit: 2\n--- stdout\n--- stderr\n\
         error: mkn.toml:4:11: collection `docs`: no file in `docs` matches its globs (include [\"*.markdown\"], exclude []), not even `a/b.md`\n"
    );
    // Left to its default, the include is placed at its collection.
    let kb = corpus(
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\n",
        &["docs/a.txt"],
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with("error: mkn.toml:2:1: collection `docs`: no file"),
        "{run}"
    );
    // An empty folder is a collection without documents yet.
    let kb = corpus(
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\n",
        &[],
    );
    std::fs::create_dir_all(kb.path("docs")).unwrap();
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
}

#[test]
fn a_bad_glob_is_refused_at_its_line() {
    let kb = corpus(
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\nexclude = [\"ok/**\", \"[broken\"]\n",
        &["docs/a.md"],
    );
    let run = kb.mkn(["check"]);
    assert_eq!(
        run.to_string(),
        "exit: 2\n--- stdout\n--- stderr\n\
         error: mkn.toml:4:21: collection `docs`: bad glob `[broken`: unclosed character class; missing ']'\n"
    );
}

#[test]
fn missing_schema_and_vocabulary_files_are_refused_at_their_line() {
    let kb = corpus(
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\nschema = \"schema/page.json\"\n",
        &["docs/a.md"],
    );
    let run = kb.mkn(["check"]);
    assert_eq!(
        run.to_string(),
        "exit: 2\n--- stdout\n--- stderr\n\
         error: mkn.toml:4:10: collection `docs`: the schema `schema/page.json` does not exist\n"
    );
    let kb = corpus(
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\n[vocabularies]\nareas = \"schema/areas.yaml\"\n",
        &["docs/a.md"],
    );
    for command in ["check", "list"] {
        let run = kb.mkn([command]);
        assert_eq!(
            run.to_string(),
            "exit: 2\n--- stdout\n--- stderr\n\
             error: mkn.toml:5:9: the vocabulary `schema/areas.yaml` does not exist\n",
            "{command}"
        );
    }
    let kb = corpus(
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\n[collections.docs.references]\nauthors = \"people\"\n",
        &["docs/a.md"],
    );
    let run = kb.mkn(["check"]);
    assert_eq!(
        run.stderr,
        "error: mkn.toml:5:11: collection `docs` refers to `people`, which is not a collection\n"
    );
}

#[test]
fn the_size_limit_is_a_setting() {
    let big = format!("---\ntitle: Big\n---\n{}\n", "word ".repeat(400));
    let toml =
        |limit: &str| format!("name = \"Site\"\n{limit}[collections.docs]\npath = \"docs\"\n");
    let kb = corpus(&toml("max_file_size = 1000\n"), &["docs/small.md"]);
    kb.write("docs/big.md", &big);
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stdout.contains(
            "error[file/too-large]: the file is 2020 bytes; documents may be at most 1000 bytes"
        ),
        "{run}"
    );
    kb.write("mkn.toml", toml("max_file_size = 4000\n"));
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
    kb.write("mkn.toml", toml("max_file_size = \"1 MiB\"\n"));
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.starts_with("error: mkn.toml:2:17: "), "{run}");
}
