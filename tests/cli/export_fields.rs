//! `mkn export --format json|ndjson|csv` keeps every front-matter key of a
//! corpus that is not municipal, and writes files as the umask says.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use crate::harness::Kb;

/// The `notes` fixture (posts and authors: nested maps, lists of maps, dates,
/// tags, a key named like a provenance column), committed.
fn notes() -> Kb {
    let kb = Kb::empty();
    kb.copy_fixture("notes");
    kb.commit("fixture");
    kb
}

/// The front matter of a fixture file, read by another YAML reader, as JSON.
fn front_matter(kb: &Kb, path: &str) -> Value {
    let text = fs::read_to_string(kb.path(path)).unwrap();
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .unwrap()
        .0;
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    serde_json::to_value(value).unwrap()
}

const FILES: [&str; 4] = [
    "content/authors/ada.md",
    "content/posts/first-release.md",
    "content/posts/team-news.md",
    "content/posts/writing-guide.md",
];

#[test]
fn json_and_ndjson_rows_carry_every_front_matter_key_and_no_municipal_fields() {
    let kb = notes();
    let run = kb.mkn(["export", "--format", "json", "--out", "-"]);
    assert_eq!(run.code, 0, "{run}");
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let ndjson = kb.mkn(["export", "--format", "ndjson", "--out", "-"]);
    let lines: Vec<Value> = ndjson
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows, lines, "ndjson holds the same rows, one per line");
    assert_eq!(rows.len(), FILES.len());
    for (row, path) in rows.iter().zip(FILES) {
        assert_eq!(row["path"], path);
        assert_eq!(row["front_matter"], front_matter(&kb, path), "{path}");
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        // serde_json sorts keys: the provenance fields and the front matter, nothing else.
        assert_eq!(
            keys,
            ["collection", "commit", "front_matter", "id", "path"],
            "{row}"
        );
    }
    assert_eq!(rows[1]["id"], "first-release");
    assert_eq!(rows[1]["collection"], "posts");
    assert_eq!(rows[1]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(
        rows[1]["front_matter"]["releases"][0],
        json!({"version": "1.0", "date": "2024-01-02", "notes": ["faster", "smaller"]})
    );
    // The keys come in the file's order.
    let ndjson_first_release = ndjson.stdout.lines().nth(1).unwrap();
    let order: Vec<usize> = ["\"title\"", "\"date\"", "\"author\"", "\"ms.date\""]
        .iter()
        .map(|k| ndjson_first_release.find(k).unwrap())
        .collect();
    assert!(order.is_sorted(), "{ndjson_first_release}");
}

#[test]
fn csv_has_a_column_per_key_in_schema_order_then_alphabetical() {
    let kb = notes();
    let run = kb.mkn(["export", "--format", "csv", "--out", "notes.csv"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains("exported 4 documents to notes.csv"),
        "{run}"
    );
    let text = fs::read_to_string(kb.path("notes.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            // posts' schema order
            "title",
            "date",
            "author",
            "tags",
            "category",
            "releases",
            // the other keys, alphabetical; `path` is a provenance column
            "aliases",
            "draft",
            "joined",
            "links",
            "ms.date",
            "name",
            "front_matter.path",
            "ratio",
            "summary",
            "weight",
            "collection",
            "path",
            "commit"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), FILES.len());
    for (record, path) in records.iter().zip(FILES) {
        let cell = |column: &str| &record[header.iter().position(|h| h == column).unwrap()];
        assert_eq!(cell("path"), path);
        assert_eq!(cell("collection"), path.split('/').nth(1).unwrap());
        let front = front_matter(&kb, path);
        for (key, value) in front.as_object().unwrap() {
            let column = if key == "path" {
                "front_matter.path"
            } else {
                key
            };
            let got = cell(column);
            match value {
                Value::String(s) => assert_eq!(got, s, "{path} {key}"),
                Value::Array(items) if items.iter().all(|i| i.is_string()) => {
                    if items.iter().any(|i| i.as_str().unwrap().contains(';')) {
                        assert_eq!(serde_json::from_str::<Value>(got).unwrap(), *value);
                    } else {
                        let joined: Vec<&str> = items.iter().map(|i| i.as_str().unwrap()).collect();
                        assert_eq!(got, joined.join(";"), "{path} {key}");
                    }
                }
                Value::Array(_) | Value::Object(_) => assert_eq!(
                    serde_json::from_str::<Value>(got).unwrap(),
                    *value,
                    "{path} {key}"
                ),
                scalar => assert_eq!(got, scalar.to_string(), "{path} {key}"),
            }
        }
        // A key the document does not have is an empty cell.
        let own: Vec<&String> = front.as_object().unwrap().keys().collect();
        for column in &header[1..header.len() - 3] {
            let key = column.strip_prefix("front_matter.").unwrap_or(column);
            if !own.iter().any(|k| *k == key) {
                assert_eq!(cell(column), "", "{path} {column}");
            }
        }
    }
}

#[test]
fn a_practice_row_keeps_its_computed_fields_beside_its_front_matter() {
    let kb = Kb::new();
    kb.copy_fixture("search");
    kb.commit("fixture");
    let run = kb.mkn([
        "export",
        "--format",
        "ndjson",
        "--out",
        "-",
        "id:toronto-paving-cost-benchmark",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let row: Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(row["id"], "toronto-paving-cost-benchmark");
    assert_eq!(row["evidence_strength"], "limited");
    assert_eq!(row["tiers"], json!(["single"]));
    assert_eq!(row["regions"], json!(["southern"]));
    assert_eq!(row["populations"], json!([2794356]));
    assert_eq!(row["evidence"][0]["change"]["relative"], json!(-0.25));
    assert_eq!(
        row["front_matter"],
        front_matter(&kb, "practices/roads/toronto-paving-cost-benchmark.md")
    );
    // A technology profile is not a practice: its own front matter, no empty practice fields.
    let profile = kb.mkn([
        "export",
        "--format",
        "json",
        "--out",
        "-",
        "collection:infobase",
    ]);
    let rows: Vec<Value> = serde_json::from_str(&profile.stdout).unwrap();
    assert!(!rows.is_empty(), "{profile}");
    for row in rows {
        assert!(
            row.get("kind").is_none() && row.get("areas").is_none(),
            "{row}"
        );
        assert_eq!(
            row["front_matter"],
            front_matter(&kb, row["path"].as_str().unwrap())
        );
    }
}

/// Runs `mkn ARGS` in the corpus under `umask`.
fn mkn_with_umask(kb: &Kb, umask: &str, args: &[&str]) {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("mkn"))
        .args(args)
        .env_clear()
        .env("HOME", kb.root())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("MKN_WATCH", "never")
        .current_dir(kb.root())
        .status()
        .unwrap();
    assert!(status.success(), "mkn {args:?}");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn exported_files_and_sites_honour_the_umask() {
    let kb = notes();
    for format in ["json", "ndjson", "csv"] {
        mkn_with_umask(
            &kb,
            "022",
            &["export", "--format", format, "--out", "a.out"],
        );
        assert_eq!(mode(&kb.path("a.out")), 0o644, "{format}");
        mkn_with_umask(
            &kb,
            "027",
            &["export", "--format", format, "--out", "b.out"],
        );
        assert_eq!(mode(&kb.path("b.out")), 0o640, "{format}");
        fs::remove_file(kb.path("a.out")).unwrap();
        fs::remove_file(kb.path("b.out")).unwrap();
    }
    mkn_with_umask(
        &kb,
        "022",
        &["export", "--format", "site", "--out", "public"],
    );
    assert_eq!(mode(&kb.path("public")), 0o755);
    assert_eq!(mode(&kb.path("public/index.html")), 0o644);
    assert_eq!(mode(&kb.path("public/assets")), 0o755);
}
