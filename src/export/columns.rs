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

/// Computed columns of practice rows.
const COMPUTED: [&str; 5] = [
    "evidence_strength",
    "tiers",
    "regions",
    "populations",
    "evidence_change",
];
/// Provenance columns after the front matter.
const PROVENANCE: [&str; 3] = ["collection", "path", "commit"];

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    /// The document id.
    Id,
    /// A top-level front-matter key.
    Key(String),
    /// A field `mkn` computes for practices.
    Computed(&'static str),
    /// Where the row comes from.
    Provenance(&'static str),
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
            columns.extend(COMPUTED.map(Column::Computed));
        }
        columns.extend(PROVENANCE.map(Column::Provenance));
        Columns { columns }
    }

    /// The header: each column's name.
    pub fn header(&self) -> Vec<String> {
        let reserved: HashSet<&str> = COMPUTED.iter().chain(&PROVENANCE).copied().collect();
        self.columns
            .iter()
            .map(|c| match c {
                Column::Id => "id".to_string(),
                Column::Key(k) if reserved.contains(k.as_str()) => format!("front_matter.{k}"),
                Column::Key(k) => k.clone(),
                Column::Computed(name) | Column::Provenance(name) => (*name).to_string(),
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
            Column::Computed(_) if !row.practice => String::new(),
            Column::Computed("evidence_strength") => row
                .evidence_strength
                .map(|s| s.to_string())
                .unwrap_or_default(),
            Column::Computed("tiers") => join(&row.tiers),
            Column::Computed("regions") => join(&row.regions),
            Column::Computed("populations") => row
                .populations
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(";"),
            Column::Computed(_) => row
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
            Column::Provenance("collection") => row.collection.clone(),
            Column::Provenance("path") => row.path.clone(),
            Column::Provenance(_) => row.commit.clone(),
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
