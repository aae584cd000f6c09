//! The CSV of an export: which columns, in what order, and each row's cells.
//!
//! Columns are `id`; one per top-level front-matter key any exported document
//! has, in the order of the exported collections' schemas (their
//! `properties`), then alphabetical; for practices the computed
//! `evidence_strength`, `tiers`, `regions`, `populations` and
//! `evidence_change`; then `collection`, `path` and `commit`. A front-matter
//! key that has the name of a computed or provenance column becomes
//! `front_matter.KEY`, so no cell is lost.

use std::collections::{BTreeSet, HashSet};
use std::io::{self, Write};
use std::path::Path;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::ExportRow;
use super::front_matter::cell;
use crate::config::Config;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    /// The document id.
    Id,
    /// A top-level front-matter key.
    Key(String),
    /// Computed for practices: evidence strength.
    EvidenceStrength,
    /// Computed for practices: the municipalities' tiers.
    Tiers,
    /// Computed for practices: the municipalities' regions.
    Regions,
    /// Computed for practices: the municipalities' populations.
    Populations,
    /// Computed for practices: each evidence entry with its change.
    EvidenceChange,
    /// Where the row comes from: the collection.
    Collection,
    /// Where the row comes from: the file.
    Path,
    /// Where the row comes from: HEAD's commit.
    Commit,
}

/// Columns computed for practice rows, in order.
const COMPUTED: [Column; 5] = [
    Column::EvidenceStrength,
    Column::Tiers,
    Column::Regions,
    Column::Populations,
    Column::EvidenceChange,
];
/// Provenance columns after the front matter, in order.
const PROVENANCE: [Column; 3] = [Column::Collection, Column::Path, Column::Commit];

impl Column {
    /// The column's name: a front-matter key's own, or the field's.
    fn name(&self) -> &str {
        match self {
            Column::Id => "id",
            Column::Key(key) => key,
            Column::EvidenceStrength => "evidence_strength",
            Column::Tiers => "tiers",
            Column::Regions => "regions",
            Column::Populations => "populations",
            Column::EvidenceChange => "evidence_change",
            Column::Collection => "collection",
            Column::Path => "path",
            Column::Commit => "commit",
        }
    }
}

/// The columns of one export.
#[derive(Debug)]
pub struct Columns {
    columns: Vec<Column>,
}

impl Columns {
    /// The columns of these rows; `key_order` lists front-matter keys in
    /// the order they come first ([`schema_key_order`]).
    pub fn of(rows: &[ExportRow], key_order: &[String]) -> Columns {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for front in rows.iter().filter_map(|r| r.front_matter.as_ref()) {
            for (key, _) in front.entries() {
                match key.as_str() {
                    Some(k) if seen.contains(k) => {}
                    _ => {
                        seen.insert(key.key_text());
                    }
                }
            }
        }
        let mut keys: Vec<String> = Vec::with_capacity(seen.len());
        for key in key_order {
            if seen.remove(key.as_str()) {
                keys.push(key.clone());
            }
        }
        keys.extend(seen);
        let mut columns = vec![Column::Id];
        columns.extend(keys.into_iter().filter(|k| k != "id").map(Column::Key));
        if rows.iter().any(|r| r.practice) {
            columns.extend(COMPUTED);
        }
        columns.extend(PROVENANCE);
        Columns { columns }
    }

    /// The header: each column's name.
    pub fn header(&self) -> Vec<String> {
        let reserved: HashSet<&str> = COMPUTED
            .iter()
            .chain(&PROVENANCE)
            .map(Column::name)
            .collect();
        self.columns
            .iter()
            .map(|c| match c {
                Column::Key(k) if reserved.contains(k.as_str()) => format!("front_matter.{k}"),
                other => other.name().to_string(),
            })
            .collect()
    }

    /// Writes the header and one record per row, as each is formatted.
    pub fn write(&self, w: &mut dyn Write, rows: &[ExportRow]) -> io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(self.header()).map_err(io::Error::other)?;
        let mut record: Vec<String> = Vec::with_capacity(self.columns.len());
        for row in rows {
            record.clear();
            record.extend(self.columns.iter().map(|c| self.cell(c, row)));
            out.write_record(&record).map_err(io::Error::other)?;
        }
        out.flush()
    }

    fn cell(&self, column: &Column, row: &ExportRow) -> String {
        let join = |values: &[String]| values.join(";");
        match column {
            Column::Id => row.id.clone(),
            Column::Key(key) => row
                .front_matter
                .as_ref()
                .and_then(|f| {
                    f.entries()
                        .iter()
                        .find(|(k, _)| match k.as_str() {
                            Some(text) => text == key,
                            None => k.key_text() == *key,
                        })
                        .map(|(_, v)| cell(v))
                })
                .unwrap_or_default(),
            computed if !row.practice && COMPUTED.contains(computed) => String::new(),
            Column::EvidenceStrength => row
                .evidence_strength
                .map(|s| s.to_string())
                .unwrap_or_default(),
            Column::Tiers => join(&row.tiers),
            Column::Regions => join(&row.regions),
            Column::Populations => row
                .populations
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(";"),
            Column::EvidenceChange => row
                .evidence
                .iter()
                .map(|e| {
                    let relative = e
                        .change
                        .relative
                        .map(|r| format!(" ({:+.1}%)", r * 100.0))
                        .unwrap_or_default();
                    format!(
                        "{} {}:{} -> {}:{}{relative}",
                        e.measure, e.baseline.0, e.baseline.1, e.result.0, e.result.1
                    )
                })
                .collect::<Vec<_>>()
                .join(";"),
            Column::Collection => row.collection.clone(),
            Column::Path => row.path.clone(),
            Column::Commit => row.commit.clone(),
        }
    }
}

/// The front-matter keys the schemas of these collections list under
/// `properties`, in schema order, collections in `mkn.toml` order. A schema
/// that cannot be read adds nothing (`mkn check` reports it); its keys come
/// alphabetically.
pub fn schema_key_order<'a>(
    root: &Path,
    config: &Config,
    collections: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let wanted: BTreeSet<&str> = collections.into_iter().collect();
    let mut order: Vec<String> = Vec::new();
    for collection in config
        .collections()
        .filter(|c| wanted.contains(c.name.as_str()))
    {
        let Some(schema) = &collection.schema else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(root.join(schema)) else {
            continue;
        };
        let Ok(found) = serde_json::from_str::<PropertyOrder>(&text) else {
            continue;
        };
        for key in found.properties.0 {
            if !order.contains(&key) {
                order.push(key);
            }
        }
    }
    order
}

/// The one part of a JSON Schema the column order needs.
#[derive(Deserialize)]
struct PropertyOrder {
    #[serde(default)]
    properties: KeysInOrder,
}

/// The keys of a JSON object in the order written (serde_json's own map
/// sorts them).
#[derive(Default)]
struct KeysInOrder(Vec<String>);

impl<'de> Deserialize<'de> for KeysInOrder {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = KeysInOrder;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeysInOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                    keys.push(key);
                }
                Ok(KeysInOrder(keys))
            }
        }
        d.deserialize_map(Keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_properties_keep_their_written_order() {
        let schema: PropertyOrder = serde_json::from_str(
            r#"{"type": "object", "properties": {"title": {}, "date": {"type": "string"}, "author": {}}}"#,
        )
        .unwrap();
        assert_eq!(schema.properties.0, ["title", "date", "author"]);
        let none: PropertyOrder = serde_json::from_str(r#"{"type": "object"}"#).unwrap();
        assert!(none.properties.0.is_empty());
    }
}
