//! JSON front matter, as Hugo reads it: an object at the very top of the
//! file, the body after its closing brace.
//!
//! serde_json decides where the object ends and whether it is JSON at all
//! (RFC 8259: no comments, no trailing commas), with its own message and
//! position. It keeps no positions of values, so the object it accepted is
//! read again with jsonc-parser, whose syntax tree carries the byte range of
//! every key and value, into the value model of [`yaml`](super::yaml).
//! Duplicate keys, which both parsers accept, are refused here.

use std::collections::HashMap;

use jsonc_parser::ast::{ObjectPropName, Value as Json};
use jsonc_parser::common::Range;
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::corpus::frontmatter::{MAX_DEPTH, Positions, ReadError, ReadErrorKind};
use crate::corpus::yaml::{Node, Value};
use crate::diagnostic::Span;

/// The hint of a JSON syntax error.
pub const SYNTAX_HINT: &str = "JSON front matter is one object: keys and strings in double quotes, a comma between entries and none after the last, no comments";

/// The byte just past the closing brace of the JSON object `text` starts with.
pub fn object_end(text: &str) -> Result<usize, ReadError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    match stream.next() {
        Some(Ok(_)) => Ok(stream.byte_offset()),
        Some(Err(e)) => Err(syntax_error(text, &e)),
        None => Err(ReadError {
            kind: ReadErrorKind::Syntax,
            message: "the JSON object is empty".into(),
            span: Span {
                line: 1,
                col: 1,
                len: 1,
            },
            first: None,
            hint: None,
        }),
    }
}

/// serde_json's error at its position, its column (counted in bytes) turned
/// into characters.
fn syntax_error(text: &str, e: &serde_json::Error) -> ReadError {
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_string();
    let line_text = text
        .split('\n')
        .nth(e.line().saturating_sub(1))
        .unwrap_or("");
    let byte = e.column().saturating_sub(1).min(line_text.len());
    let col = line_text
        .char_indices()
        .take_while(|(i, _)| *i < byte)
        .count()
        + 1;
    let line_start = match e.line() {
        0 | 1 => 0,
        n => text
            .match_indices('\n')
            .nth(n - 2)
            .map_or(0, |(i, _)| i + 1),
    };
    let at = (line_start + byte).min(text.len());
    let trailing_comma = text.get(at..).is_some_and(|t| t.starts_with(['}', ']']))
        && text.get(..at).is_some_and(|t| t.trim_end().ends_with(','));
    let hint = if e.is_eof() {
        Some(
            "the JSON object is never closed: the file must hold the whole object, then the body after its `}`",
        )
    } else if trailing_comma {
        Some("JSON allows no comma after the last entry of an object or array: remove it")
    } else {
        None
    };
    ReadError {
        kind: ReadErrorKind::Syntax,
        message: format!("invalid JSON front matter: {message}"),
        span: Span {
            line: e.line().max(1),
            col,
            len: 1,
        },
        first: None,
        hint,
    }
}

/// Reads the JSON object `text` (as [`object_end`] delimited it), whose first
/// line is file line `first_line`, into nodes with file positions.
pub fn parse(text: &str, first_line: usize) -> Result<Node, ReadError> {
    let positions = Positions::new(text, first_line);
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict).map_err(|e| {
            ReadError {
                kind: ReadErrorKind::Syntax,
                message: format!("invalid JSON front matter: {}", e.kind()),
                span: positions.span(e.range().start..e.range().end),
                first: None,
                hint: Some(SYNTAX_HINT),
            }
        })?;
    match parsed.value {
        Some(value) => node(&value, &positions, 0),
        None => Ok(Node {
            value: Value::Null,
            span: positions.span(0..1),
        }),
    }
}

fn span(positions: &Positions, range: Range) -> Span {
    positions.span(range.start..range.end)
}

fn node(json: &Json, positions: &Positions, depth: usize) -> Result<Node, ReadError> {
    let (value, range) = match json {
        Json::NullKeyword(n) => (Value::Null, n.range),
        Json::BooleanLit(b) => (Value::Bool(b.value), b.range),
        Json::StringLit(s) => (Value::String(s.value.to_string()), s.range),
        Json::NumberLit(n) => (number(n.value), n.range),
        Json::Array(a) => {
            check_depth(depth, positions, a.range)?;
            let items = a
                .elements
                .iter()
                .map(|e| node(e, positions, depth + 1))
                .collect::<Result<_, _>>()?;
            (Value::Seq(items), a.range)
        }
        Json::Object(o) => {
            check_depth(depth, positions, o.range)?;
            let mut seen: HashMap<&str, Span> = HashMap::with_capacity(o.properties.len());
            let mut entries = Vec::with_capacity(o.properties.len());
            for prop in &o.properties {
                let (name, name_range) = match &prop.name {
                    ObjectPropName::String(s) => (s.value.as_ref(), s.range),
                    ObjectPropName::Word(w) => (w.value, w.range),
                };
                let key_span = span(positions, name_range);
                if let Some(first) = seen.insert(name, key_span) {
                    return Err(ReadError {
                        kind: ReadErrorKind::DuplicateKey,
                        message: format!("duplicate key `{name}`"),
                        span: key_span,
                        first: Some(first),
                        hint: Some("keep one of the two keys"),
                    });
                }
                let key = Node {
                    value: Value::String(name.to_string()),
                    span: key_span,
                };
                entries.push((key, node(&prop.value, positions, depth + 1)?));
            }
            (Value::Map(entries), o.range)
        }
    };
    Ok(Node {
        value,
        span: span(positions, range),
    })
}

fn check_depth(depth: usize, positions: &Positions, range: Range) -> Result<(), ReadError> {
    if depth >= MAX_DEPTH {
        return Err(ReadError {
            kind: ReadErrorKind::TooDeep,
            message: format!("values nested more than {MAX_DEPTH} levels deep"),
            span: span(positions, range),
            first: None,
            hint: None,
        });
    }
    Ok(())
}

/// A JSON number: an integer when it is written as one and fits in 64 bits.
fn number(text: &str) -> Value {
    match text.parse::<i64>() {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(text.parse().unwrap_or(f64::NAN)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Node, ReadError> {
        let end = object_end(text)?;
        parse(&text[..end], 1)
    }

    #[test]
    fn reads_values_with_their_positions() {
        let text = "{\n  \"title\": \"Brine\",\n  \"year\": 2016,\n  \"ratio\": 0.5,\n  \"draft\": false,\n  \"extra\": {\"tags\": [\"salt\", null]}\n}\nbody";
        let root = read(text).unwrap();
        let (key, title) = root.entry("title").unwrap();
        assert_eq!((key.span.line, key.span.col, key.span.len), (2, 3, 7));
        assert_eq!(
            (title.span.line, title.span.col, title.span.len),
            (2, 12, 7)
        );
        assert_eq!(title.as_str(), Some("Brine"));
        assert_eq!(root.get("year").unwrap().as_i64(), Some(2016));
        assert_eq!(root.get("ratio").unwrap().as_f64(), Some(0.5));
        assert_eq!(root.get("draft").unwrap().value, Value::Bool(false));
        let tag = root.lookup(["extra", "tags", "0"]).unwrap();
        assert_eq!((tag.span.line, tag.span.col), (6, 22));
        assert_eq!(
            root.lookup(["extra", "tags", "1"]).unwrap().value,
            Value::Null
        );
        let keys: Vec<String> = root.entries().iter().map(|(k, _)| k.key_text()).collect();
        assert_eq!(
            keys,
            ["title", "year", "ratio", "draft", "extra"],
            "file order"
        );
    }

    #[test]
    fn big_numbers_and_escapes() {
        let root = read(r#"{"big": 18446744073709551616, "e": 1e3, "s": "a\"b\u00e9"}"#).unwrap();
        assert_eq!(
            root.get("big").unwrap().as_f64(),
            Some(18446744073709551616.0)
        );
        assert_eq!(root.get("e").unwrap().as_f64(), Some(1000.0));
        assert_eq!(root.get("s").unwrap().as_str(), Some("a\"bé"));
    }

    #[test]
    fn refuses_duplicate_keys_with_both_positions() {
        let err =
            read("{\n  \"id\": \"a\",\n  \"x\": {\"id\": 1},\n  \"id\": \"b\"\n}").unwrap_err();
        assert_eq!(err.kind, ReadErrorKind::DuplicateKey);
        assert_eq!((err.span.line, err.span.col), (4, 3));
        assert_eq!(err.first.map(|s| (s.line, s.col)), Some((2, 3)));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for (text, line) in [
            ("{\"a\": 1,}", 1),
            ("{\n// note\n\"a\": 1}", 2),
            ("{\n\"a\": 'x'}", 2),
            ("{\"a\": 1", 1),
            ("{\"a\": [1, 2}", 1),
        ] {
            let err = read(text).unwrap_err();
            assert_eq!(err.kind, ReadErrorKind::Syntax, "{text}");
            assert_eq!(err.span.line, line, "{text}: {err:?}");
        }
    }

    #[test]
    fn counts_columns_in_characters() {
        let err = read("{\"é\": 1 2}").unwrap_err();
        assert_eq!((err.span.line, err.span.col), (1, 9), "{err:?}");
    }

    #[test]
    fn refuses_deep_nesting() {
        let text = format!("{{\"a\": {}{}}}", "[".repeat(100), "]".repeat(100));
        assert_eq!(read(&text).unwrap_err().kind, ReadErrorKind::TooDeep);
        let text = format!("{{\"a\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(read(&text).unwrap_err().kind, ReadErrorKind::Syntax);
    }

    #[test]
    fn many_keys_are_read_quickly() {
        let entries: Vec<String> = (0..40_000).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{\n{}\n}}", entries.join(",\n"));
        let root = read(&text).unwrap();
        assert_eq!(root.entries().len(), 40_000);
        assert_eq!(root.get("k39999").unwrap().span.line, 40_001);
    }
}
