//! TOML front matter (between `+++` lines, as Zola and Hugo write it), read
//! into the value model of [`yaml`](super::yaml) with file positions.
//!
//! The `toml` crate's span-keeping parser (`DeTable`) gives the byte range of
//! every key and value, in file order (the `preserve_order` feature), and
//! refuses duplicate keys and tables defined twice. Dates, times and
//! datetimes become their ISO 8601 text (`2024-05-01`,
//! `2024-05-01T09:30:00Z`), as a bare `2024-05-01` is a string in YAML 1.2.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::corpus::frontmatter::{MAX_DEPTH, Positions, ReadError, ReadErrorKind};
use crate::corpus::yaml::{Node, Value};

/// The hint of a TOML syntax error.
const SYNTAX_HINT: &str = "TOML writes `key = value`, strings in quotes (`title = \"Brine\"`), lists in brackets and tables under `[name]` headers";

/// Reads a TOML block whose first line is file line `first_line`.
pub fn parse(text: &str, first_line: usize) -> Result<Node, ReadError> {
    let positions = Positions::new(text, first_line);
    let table = DeTable::parse(text).map_err(|e| error(text, &positions, &e))?;
    let span = table.span();
    let root = DeValue::Table(table.into_inner());
    node(&root, span, &positions, 0)
}

/// The parser's error at its position, with the first of two duplicate keys
/// when there is just one earlier key of that name.
fn error(text: &str, positions: &Positions, e: &toml::de::Error) -> ReadError {
    let range = e.span().unwrap_or(0..0);
    let span = positions.span(range.clone());
    let message = e.message().trim_end();
    if message == "duplicate key" {
        let key = text.get(range.clone()).unwrap_or("");
        let name = key.trim_matches(['"', '\'']);
        let (partial, _) = DeTable::parse_recoverable(text);
        let mut earlier = Vec::new();
        keys_named(partial.get_ref(), name, range.start, &mut earlier);
        if earlier.is_empty() {
            earlier.extend(same_header_before(text, range.clone()));
        }
        return ReadError {
            kind: ReadErrorKind::DuplicateKey,
            message: format!("duplicate key `{name}`"),
            span,
            first: match earlier[..] {
                [ref only] => Some(positions.span(only.clone())),
                _ => None,
            },
            hint: Some("keep one of the two keys (or the two tables)"),
        };
    }
    let start = range.start.min(text.len());
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = text
        .get(line_start..)
        .and_then(|t| t.lines().next())
        .unwrap_or("");
    let looks_like_yaml =
        line.contains(':') && !line.contains('=') && !line.trim_start().starts_with('[');
    ReadError {
        kind: ReadErrorKind::Syntax,
        message: format!("invalid TOML front matter: {}", message.replace('\n', "; ")),
        span,
        first: None,
        hint: Some(if looks_like_yaml {
            "this line looks like YAML: TOML writes `key = value`; or open the front matter with `---` to write YAML"
        } else {
            SYNTAX_HINT
        }),
    }
}

/// A table header given twice (`[params]` ... `[params]`): the recovered
/// tree keeps only the second, so the first is found as the one earlier line
/// that reads the same, at the same place in it.
fn same_header_before(text: &str, key: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let line_start = text.get(..key.start)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..)?.lines().next()?;
    if !line.trim_start().starts_with('[') {
        return None;
    }
    let mut same = text
        .get(..line_start)?
        .match_indices(line)
        .filter(|(i, _)| *i == 0 || text.as_bytes()[i - 1] == b'\n')
        .filter(|(i, _)| text[i + line.len()..].starts_with(['\n', '\r']));
    let (first, _) = same.next()?;
    if same.next().is_some() {
        return None;
    }
    let at = first + (key.start - line_start);
    Some(at..at + key.len())
}

/// Collects the ranges of keys called `name` that start before `before`.
fn keys_named(table: &DeTable, name: &str, before: usize, found: &mut Vec<std::ops::Range<usize>>) {
    for (key, value) in table {
        if key.get_ref() == name && key.span().start < before {
            found.push(key.span());
        }
        match value.get_ref() {
            DeValue::Table(inner) => keys_named(inner, name, before, found),
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(inner) = item.get_ref() {
                        keys_named(inner, name, before, found);
                    }
                }
            }
            _ => {}
        }
    }
}

fn node(
    value: &DeValue,
    range: std::ops::Range<usize>,
    positions: &Positions,
    depth: usize,
) -> Result<Node, ReadError> {
    let span = positions.span(range);
    let value = match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(i.as_str().parse().unwrap_or(f64::NAN)),
        },
        DeValue::Float(f) => Value::Float(float(f.as_str())),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => {
            too_deep(depth, span)?;
            Value::Seq(
                items
                    .iter()
                    .map(|item| node(item.get_ref(), item.span(), positions, depth + 1))
                    .collect::<Result<_, _>>()?,
            )
        }
        DeValue::Table(table) => {
            too_deep(depth, span)?;
            let mut entries = Vec::with_capacity(table.len());
            for (key, value) in table {
                entries.push((
                    key_node(key, positions),
                    node(value.get_ref(), value.span(), positions, depth + 1)?,
                ));
            }
            Value::Map(entries)
        }
    };
    Ok(Node { value, span })
}

fn key_node(key: &Spanned<toml::de::DeString>, positions: &Positions) -> Node {
    Node {
        value: Value::String(key.get_ref().to_string()),
        span: positions.span(key.span()),
    }
}

fn too_deep(depth: usize, span: crate::diagnostic::Span) -> Result<(), ReadError> {
    if depth >= MAX_DEPTH {
        return Err(ReadError {
            kind: ReadErrorKind::TooDeep,
            message: format!("values nested more than {MAX_DEPTH} levels deep"),
            span,
            first: None,
            hint: None,
        });
    }
    Ok(())
}

/// A TOML float: `inf` and `nan` with their signs, digits with `_`.
fn float(text: &str) -> f64 {
    match text.trim_start_matches(['+', '-']) {
        "nan" => f64::NAN,
        "inf" if text.starts_with('-') => f64::NEG_INFINITY,
        "inf" => f64::INFINITY,
        _ => text.replace('_', "").parse().unwrap_or(f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZOLA: &str = r#"title = "Brine pre-wetting"
date = 2024-05-01
updated = 2024-05-02T09:30:00Z
local = 1979-05-27T07:32:00
draft = false
weight = 1_000
ratio = 0.5

[taxonomies]
tags = ["salt", "brine"]

[extra.evidence]
measure = "ROAD307"

[[extra.sources]]
title = "Council report"

[[extra.sources]]
title = "Annual report"
"#;

    #[test]
    fn reads_zola_front_matter_in_file_order_with_positions() {
        let root = parse(ZOLA, 2).unwrap();
        let keys: Vec<String> = root.entries().iter().map(|(k, _)| k.key_text()).collect();
        assert_eq!(
            keys,
            [
                "title",
                "date",
                "updated",
                "local",
                "draft",
                "weight",
                "ratio",
                "taxonomies",
                "extra"
            ]
        );
        let (key, title) = root.entry("title").unwrap();
        assert_eq!((key.span.line, key.span.col, key.span.len), (2, 1, 5));
        assert_eq!(
            (title.span.line, title.span.col, title.span.len),
            (2, 9, 19)
        );
        assert_eq!(title.as_str(), Some("Brine pre-wetting"));
        assert_eq!(root.get("date").unwrap().as_str(), Some("2024-05-01"));
        assert_eq!(
            root.get("updated").unwrap().as_str(),
            Some("2024-05-02T09:30:00Z")
        );
        assert_eq!(
            root.get("local").unwrap().as_str(),
            Some("1979-05-27T07:32:00")
        );
        assert_eq!(root.get("draft").unwrap().value, Value::Bool(false));
        assert_eq!(root.get("weight").unwrap().as_i64(), Some(1000));
        assert_eq!(root.get("ratio").unwrap().as_f64(), Some(0.5));
        let tag = root.lookup(["taxonomies", "tags", "1"]).unwrap();
        assert_eq!(
            (tag.as_str(), tag.span.line, tag.span.col),
            (Some("brine"), 11, 17)
        );
        let measure = root.lookup(["extra", "evidence", "measure"]).unwrap();
        assert_eq!((measure.span.line, measure.span.col), (14, 11));
        let second = root.lookup(["extra", "sources", "1", "title"]).unwrap();
        assert_eq!(
            (second.as_str(), second.span.line),
            (Some("Annual report"), 20)
        );
    }

    #[test]
    fn integers_in_other_bases_and_special_floats() {
        let root = parse(
            "hex = 0xFF\noct = 0o17\nbin = 0b101\nneg = -3\ninf = -inf\nexp = 1e3\n",
            1,
        )
        .unwrap();
        assert_eq!(root.get("hex").unwrap().as_i64(), Some(255));
        assert_eq!(root.get("oct").unwrap().as_i64(), Some(15));
        assert_eq!(root.get("bin").unwrap().as_i64(), Some(5));
        assert_eq!(root.get("neg").unwrap().as_i64(), Some(-3));
        assert_eq!(root.get("inf").unwrap().as_f64(), Some(f64::NEG_INFINITY));
        assert_eq!(root.get("exp").unwrap().as_f64(), Some(1000.0));
    }

    #[test]
    fn refuses_duplicate_keys_with_both_positions() {
        let err = parse("title = \"a\"\ndraft = true\ntitle = \"b\"\n", 2).unwrap_err();
        assert_eq!(err.kind, ReadErrorKind::DuplicateKey);
        assert_eq!((err.span.line, err.span.col), (4, 1), "{err:?}");
        assert_eq!(err.first.map(|s| (s.line, s.col)), Some((2, 1)));
        let err = parse("[extra]\na = 1\n[extra]\nb = 2\n", 2).unwrap_err();
        assert_eq!(err.kind, ReadErrorKind::DuplicateKey);
        assert_eq!(
            (err.span.line, err.span.col, err.span.len),
            (4, 2, 5),
            "{err:?}"
        );
        assert_eq!(err.first.map(|s| (s.line, s.col)), Some((2, 2)));
    }

    #[test]
    fn syntax_errors_have_the_parsers_position_and_a_hint() {
        let err = parse("title = \"a\"\nyear = 20x6\n", 2).unwrap_err();
        assert_eq!(err.kind, ReadErrorKind::Syntax);
        assert_eq!(err.span.line, 3, "{err:?}");
        assert!(err.span.col >= 8, "{err:?}");
        let err = parse("title = \"a\"\nkind: best\n", 2).unwrap_err();
        assert_eq!(err.span.line, 3, "{err:?}");
        assert!(err.hint.unwrap().contains("looks like YAML"), "{err:?}");
    }

    #[test]
    fn refuses_deep_nesting() {
        let header = (0..100)
            .map(|i| format!("k{i}"))
            .collect::<Vec<_>>()
            .join(".");
        let err = parse(&format!("[{header}]\nx = 1\n"), 1).unwrap_err();
        assert!(
            matches!(err.kind, ReadErrorKind::TooDeep | ReadErrorKind::Syntax),
            "{err:?}"
        );
        let err = parse(
            &format!("a = {}{}\n", "[".repeat(5000), "]".repeat(5000)),
            1,
        )
        .unwrap_err();
        assert!(
            matches!(err.kind, ReadErrorKind::TooDeep | ReadErrorKind::Syntax),
            "{err:?}"
        );
    }

    #[test]
    fn many_keys_are_read_quickly() {
        let text: String = (0..40_000).map(|i| format!("k{i} = {i}\n")).collect();
        let root = parse(&text, 2).unwrap();
        assert_eq!(root.entries().len(), 40_000);
        assert_eq!(root.get("k39999").unwrap().span.line, 40_001);
    }
}
