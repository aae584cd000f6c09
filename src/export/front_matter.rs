//! A document's front matter as export rows carry it: in JSON every key with
//! its value in file order (nested maps and lists intact), in CSV one cell per
//! top-level key.
//!
//! Front matter reaches this module as the value model every format is read
//! into ([`Node`]), never as text, so YAML, TOML and JSON front matter export
//! alike; dates are already ISO strings there.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::corpus::yaml::{Node, Value};

/// Serialises a front-matter value as JSON, keeping the file's key order
/// (a `serde_json::Map` would sort the keys).
pub struct InFileOrder<'a>(pub &'a Node);

impl Serialize for InFileOrder<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0.value {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            // JSON has no NaN or infinity: they become null, as in schema validation.
            Value::Float(f) if !f.is_finite() => s.serialize_unit(),
            Value::Float(f) => s.serialize_f64(*f),
            Value::String(text) => s.serialize_str(text),
            Value::Seq(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&InFileOrder(item))?;
                }
                seq.end()
            }
            Value::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(&key.key_text(), &InFileOrder(value))?;
                }
                map.end()
            }
        }
    }
}

/// The CSV cell of a top-level value: a scalar as written, a list of scalars
/// joined with `;`, a map or a list holding maps or lists as compact JSON (as
/// is a list with a `;` in an item, which joining would make ambiguous).
pub fn cell(node: &Node) -> String {
    match &node.value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Seq(items) if items.iter().all(joinable) => {
            items.iter().map(cell).collect::<Vec<_>>().join(";")
        }
        Value::Seq(_) | Value::Map(_) => {
            serde_json::to_string(&InFileOrder(node)).expect("front matter serialises to JSON")
        }
        scalar => scalar.to_string(),
    }
}

/// Whether a list item can be joined with `;` and read back.
fn joinable(node: &Node) -> bool {
    match &node.value {
        Value::Seq(_) | Value::Map(_) => false,
        Value::String(text) => !text.contains(';'),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::yaml::parse;

    fn root(yaml: &str) -> Node {
        parse(yaml, 1).unwrap().root
    }

    #[test]
    fn json_keeps_the_file_order_and_nesting() {
        let node = root(
            "zeta: 1\nalpha: [a, b]\nreleases:\n  - {version: \"1.0\", date: 2024-01-02}\nempty:\nratio: .5\n",
        );
        assert_eq!(
            serde_json::to_string(&InFileOrder(&node)).unwrap(),
            r#"{"zeta":1,"alpha":["a","b"],"releases":[{"version":"1.0","date":"2024-01-02"}],"empty":null,"ratio":0.5}"#
        );
    }

    #[test]
    fn cells_join_scalar_lists_and_write_structures_as_json() {
        let node = root(
            "tags: [go, b, 3]\nsemi: [a, \"b;c\"]\nauthor: {name: Ada, roles: [x]}\nlinks: [{url: u}]\nmatrix: [[1, 2]]\nyes: true\nnothing: null\n",
        );
        let cells: Vec<String> = node.entries().iter().map(|(_, v)| cell(v)).collect();
        assert_eq!(
            cells,
            [
                "go;b;3",
                r#"["a","b;c"]"#,
                r#"{"name":"Ada","roles":["x"]}"#,
                r#"[{"url":"u"}]"#,
                "[[1,2]]",
                "true",
                ""
            ]
        );
    }
}
