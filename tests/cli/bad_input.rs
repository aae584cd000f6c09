//! Every kind of broken file gets a clear diagnostic, never a panic.

use std::fs;

use crate::harness::Kb;

/// The bad-input fixture, plus the cases that cannot live in git: a file over
/// 1 MiB, a symlink loop and a directory named like a practice.
fn bad_input_corpus() -> Kb {
    let kb = Kb::new();
    kb.copy_fixture("bad-input");
    kb.write(
        "practices/roads/huge.md",
        format!("---\nid: huge\n---\n{}", "word ".repeat(250_000)),
    );
    fs::create_dir_all(kb.path("practices/roads/directory.md")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", kb.path("practices/roads/loop")).unwrap();
    kb
}

#[test]
fn every_bad_file_is_reported_with_its_position() {
    let kb = bad_input_corpus();
    let run = kb.mkn(["check"]);
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn bad_input_as_json_names_every_file() {
    let kb = bad_input_corpus();
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut files: Vec<&str> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    files.dedup();
    for expected in [
        "alias-bomb",
        "binary",
        "bom",
        "deep-nesting",
        "directory",
        "duplicate-keys",
        "duplicate-keys-toml",
        "duplicate-keys-json",
        "empty",
        "huge",
        "invalid-utf8",
        "leading-blank-lines",
        "malformed-yaml",
        "malformed-toml",
        "malformed-json",
        "no-front-matter",
        "tabs",
        "unterminated",
        "loop",
    ] {
        assert!(
            files.iter().any(|f| f.contains(expected)),
            "no diagnostic for {expected}: {files:?}"
        );
    }
    assert!(
        !files.iter().any(|f| f.contains("crlf")),
        "CRLF files are fine: {files:?}"
    );
}

#[test]
fn missing_config_is_a_usage_error() {
    let kb = Kb::empty();
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn broken_config_points_at_the_line() {
    let kb = Kb::new();
    kb.write(
        "mkn.toml",
        "name = \"x\"\n[collections.practices]\npath = 3\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn broken_schema_and_vocabulary_are_usage_errors() {
    let kb = Kb::new();
    kb.write(
        "schema/practice.schema.json",
        "{\n  \"type\": \"object\",\n  \"properties\": \n}\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("schema/practice.schema.json:4:1"),
        "{run}"
    );

    let kb = Kb::new();
    kb.write(
        "schema/service-areas.yaml",
        "- {id: roads, name: Roads}\n- id: [broken\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("schema/service-areas.yaml:"), "{run}");

    let kb = Kb::new();
    fs::remove_file(kb.path("schema/municipalities.csv")).unwrap();
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("schema/municipalities.csv"), "{run}");
}
