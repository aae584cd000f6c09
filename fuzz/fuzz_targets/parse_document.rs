//! Fuzzes reading one document: front-matter split, YAML, TOML or JSON tree, markdown
//! outline and plain text, and the JSON view of the front matter. None of them
//! may panic, hang or use unbounded memory, whatever the input.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mkn::corpus::{markdown, parse_document};

fuzz_target!(|data: &[u8]| {
    // Files reach `parse_document` as valid UTF-8 with the BOM removed, but
    // the function must hold up for any `&str`, BOM included.
    let text = String::from_utf8_lossy(data);
    let doc = parse_document(
        Path::new("practices/fuzz/input.md"),
        "practices",
        "fuzz/input".to_string(),
        &text,
    );
    let _ = markdown::outline(&doc.body, doc.body_line);
    let _ = markdown::plain_text(&doc.body);
    if let Some(front) = &doc.front {
        let _ = front.to_json();
    }
});
