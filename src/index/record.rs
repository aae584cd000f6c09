//! The searchable view of a document: its display fields, its text, and every
//! front-matter value flattened to `key = value` pairs for filters and facets.

use serde::{Deserialize, Serialize};

use crate::corpus::vocab::Vocabularies;
use crate::corpus::yaml::{Node, Value};
use crate::corpus::{Document, display_path, markdown};

/// What a result row shows; stored in the index as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Document id.
    pub id: String,
    /// Title (or the id when there is none).
    pub title: String,
    /// `best`, `beneficial`, or empty for other documents.
    pub kind: String,
    /// Service areas.
    pub areas: Vec<String>,
    /// Municipality ids.
    pub municipalities: Vec<String>,
    /// Year implemented, if known.
    pub year: Option<i64>,
    /// Collection name.
    pub collection: String,
    /// File, relative to the corpus root.
    pub path: String,
    /// True when the front matter could not be read: found by its body only.
    pub invalid: bool,
}

/// A document prepared for the index.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The display fields.
    pub row: Row,
    /// The summary (or description).
    pub summary: String,
    /// The body without markup.
    pub body: String,
    /// Tags, and the names of the service areas, so that "winter control" finds its area.
    pub tags: Vec<String>,
    /// Product and vendor names.
    pub technologies: Vec<String>,
    /// Every front-matter value as (key, value), nested keys joined with `.`,
    /// plus the municipalities' registry attributes (`region`, `tier`).
    pub attrs: Vec<(String, String)>,
    /// Populations of the document's municipalities.
    pub populations: Vec<u64>,
    /// The product of each technology entry, normalised
    /// ([`crate::infobase::normalise_name`]), once per entry.
    pub products: Vec<String>,
}

/// Builds the record of a document, joining the registry for region, tier and population.
pub fn record(doc: &Document, vocab: &Vocabularies) -> Record {
    let row = row(doc, vocab);
    let front = mapping(doc);
    let registry = vocab.municipalities.as_ref();
    let mut attrs = Vec::new();
    if let Some(front) = front {
        flatten("", front, &mut attrs);
    }
    attrs.extend(
        row.municipalities
            .iter()
            .map(|m| ("municipalities".to_string(), m.clone())),
    );
    let mut populations = Vec::new();
    for id in &row.municipalities {
        if let Some(m) = registry.and_then(|r| r.resolve(id)) {
            attrs.push(("region".into(), m.region.clone()));
            attrs.push(("tier".into(), m.tier.clone()));
            populations.extend(m.population);
        }
    }
    attrs.push(("collection".into(), doc.collection.clone()));
    attrs.sort();
    attrs.dedup();
    let technologies = front
        .and_then(|f| f.get("technologies"))
        .map(|t| {
            t.items()
                .iter()
                .flat_map(|e| {
                    ["product", "vendor"]
                        .map(|k| e.get(k).and_then(Node::as_str).map(str::to_string))
                })
                .flatten()
                .collect()
        })
        .unwrap_or_default();
    Record {
        summary: summary(doc),
        body: markdown::plain_text(&doc.body),
        tags: list(front, "tags")
            .into_iter()
            .chain(
                row.areas
                    .iter()
                    .filter_map(|a| vocab.areas.as_ref()?.get(a))
                    .map(|a| a.name.clone()),
            )
            .collect(),
        technologies,
        attrs,
        populations,
        products: crate::infobase::model::mentions(doc)
            .iter()
            .map(|m| crate::infobase::normalise_name(&m.product))
            .collect(),
        row,
    }
}

/// The display fields of a document, municipalities resolved through the
/// registry: what a result row and an export row show.
pub fn row(doc: &Document, vocab: &Vocabularies) -> Row {
    let front = mapping(doc);
    let registry = vocab.municipalities.as_ref();
    let mut municipalities = list(front, "municipalities");
    if let Some(own) = text(front, "municipality") {
        municipalities.push(own);
    }
    let municipalities: Vec<String> = municipalities
        .into_iter()
        .map(|m| {
            registry
                .and_then(|r| r.resolve(&m))
                .map_or(m, |found| found.id.clone())
        })
        .collect();
    let title = text(front, "title")
        .or_else(|| text(front, "name"))
        .unwrap_or_else(|| doc.id.clone());
    Row {
        id: doc.id.clone(),
        title,
        kind: text(front, "kind").unwrap_or_default(),
        areas: list(front, "areas"),
        municipalities,
        year: front.and_then(|f| f.get("year")).and_then(Node::as_i64),
        collection: doc.collection.clone(),
        path: display_path(&doc.path).into_owned(),
        invalid: front.is_none(),
    }
}

/// A document's summary (or description), empty when it has neither.
pub fn summary(doc: &Document) -> String {
    let front = mapping(doc);
    text(front, "summary")
        .or_else(|| text(front, "description"))
        .unwrap_or_default()
}

/// The front matter, when it is a mapping.
fn mapping(doc: &Document) -> Option<&Node> {
    doc.front
        .as_ref()
        .filter(|f| matches!(f.value, Value::Map(_)))
}

/// The string under `key`.
fn text(front: Option<&Node>, key: &str) -> Option<String> {
    front
        .and_then(|f| f.get(key))
        .and_then(Node::as_str)
        .map(str::to_string)
}

/// The values under `key`: each item of a list, or the one value, as text.
fn list(front: Option<&Node>, key: &str) -> Vec<String> {
    front
        .and_then(|f| f.get(key))
        .map(|n| match &n.value {
            Value::Seq(items) => items.iter().filter_map(Node::id_text).collect(),
            _ => n.id_text().into_iter().collect(),
        })
        .unwrap_or_default()
}

/// Adds `(key, value)` for every scalar under `node`, nested keys joined with `.`.
fn flatten(prefix: &str, node: &Node, out: &mut Vec<(String, String)>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                let key = key.key_text();
                let path = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, value, out);
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| flatten(prefix, item, out)),
        Value::Null => {}
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::parse_document;
    use std::path::Path;

    #[test]
    fn flattens_every_key() {
        let doc = parse_document(
            Path::new("practices/roads/x.md"),
            "practices",
            "x".into(),
            "---\nid: x\ntitle: Brine\n\"ms.date\": 2025-01-01\ntechnologies:\n  - {product: Cityworks, vendor: Trimble}\n---\nBody **text**.\n",
        );
        let record = record(&doc, &Vocabularies::default());
        assert_eq!(record.row.title, "Brine");
        assert_eq!(record.body, "Body text.");
        assert_eq!(record.technologies, ["Cityworks", "Trimble"]);
        assert!(
            record
                .attrs
                .contains(&("ms.date".into(), "2025-01-01".into()))
        );
        assert!(
            record
                .attrs
                .contains(&("technologies.product".into(), "Cityworks".into()))
        );
    }

    #[test]
    fn unreadable_front_matter_is_marked_invalid() {
        let doc = parse_document(
            Path::new("p/x.md"),
            "p",
            "x".into(),
            "---\ntitle: [broken\n---\nwinter salt\n",
        );
        let record = record(&doc, &Vocabularies::default());
        assert!(record.row.invalid);
        assert_eq!(record.body, "winter salt");
    }
}
