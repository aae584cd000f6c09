//! Inputs the fuzzer (fuzz/) found slow or memory-hungry, kept so they stay fixed.
//! Each must be read, with a diagnostic where one is due, in bounded time and memory.

use std::path::Path;

use mkn::corpus::{markdown, parse_document};

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz-regressions")
        .join(name);
    String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
}

#[test]
fn aliases_to_long_strings_hit_the_expansion_limit() {
    let doc = parse_document(
        Path::new("p/x.md"),
        "p",
        "x".into(),
        &read("yaml-alias-string-bomb.md"),
    );
    assert!(doc.front.is_none());
    assert!(
        doc.problems.iter().any(|d| d.code == "yaml/alias-limit"),
        "{:?}",
        doc.problems
    );
}

#[test]
fn a_mapping_with_many_keys_is_read() {
    let doc = parse_document(
        Path::new("p/x.md"),
        "p",
        "x".into(),
        &read("yaml-many-keys-quadratic.md"),
    );
    let front = doc.front.expect("valid YAML");
    assert!(front.entries().len() > 20_000);
}

#[test]
fn a_line_of_many_links_is_outlined() {
    // Found by the fuzzer as a 1 MiB file; generated here rather than kept in git.
    let text = format!("---\nid: x\n---\n{}\n", "[](x)".repeat(209_596));
    let doc = parse_document(Path::new("p/x.md"), "p", "x".into(), &text);
    let outline = markdown::outline(&doc.body, doc.body_line);
    assert!(outline.links.len() > 100_000);
    let last = outline.links.last().unwrap();
    assert!(
        last.span.col > 1_000_000 / 2,
        "columns keep counting along the line: {:?}",
        last.span
    );
}
