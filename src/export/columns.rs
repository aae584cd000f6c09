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
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Seek, SeekFrom, Write};
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
    /// The columns of rows whose front matter has `keys` (top-level, as
    /// text), with the computed columns when any row is a practice;
    /// `key_order` lists front-matter keys in the order they come first
    /// ([`schema_key_order`]).
    pub fn new(mut keys: BTreeSet<String>, practice: bool, key_order: &[String]) -> Columns {
        let mut ordered: Vec<String> = Vec::with_capacity(keys.len());
        for key in key_order {
            if keys.remove(key.as_str()) {
                ordered.push(key.clone());
            }
        }
        ordered.extend(keys);
        let mut columns = vec![Column::Id];
        columns.extend(ordered.into_iter().filter(|k| k != "id").map(Column::Key));
        if practice {
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
}

/// Fields of a spooled record before its key and cell pairs: whether the
/// row is a practice, its id, the five computed cells, collection and path.
const SPOOLED_FIELDS: usize = 9;

/// One row's cells before the columns are known (they are the keys of every
/// row): a CSV record of `practice` (`1` or empty), `id`, the computed
/// cells, `collection`, `path`, then each top-level key and its cell.
pub struct Spooled {
    /// The record, CSV-encoded.
    record: Vec<u8>,
    /// The row's top-level keys, as text.
    keys: Vec<String>,
    /// Whether the row is a practice's.
    practice: bool,
    /// Its collection.
    collection: String,
}

impl Spooled {
    /// The cells of `row`.
    pub fn of(row: &ExportRow) -> io::Result<Spooled> {
        let entries = row.front_matter.as_ref().map_or(&[][..], |f| f.entries());
        let keys: Vec<String> = entries.iter().map(|(k, _)| k.key_text()).collect();
        let computed = computed_cells(row);
        let mut out = csv::WriterBuilder::new()
            .buffer_capacity(1024)
            .from_writer(Vec::new());
        let fixed = [if row.practice { "1" } else { "" }, row.id.as_str()]
            .into_iter()
            .chain(computed.iter().map(String::as_str))
            .chain([row.collection.as_str(), row.path.as_str()])
            .map(str::to_string);
        let pairs = keys
            .iter()
            .zip(entries)
            .flat_map(|(key, (_, value))| [key.clone(), cell(value)]);
        out.write_record(fixed.chain(pairs))
            .map_err(io::Error::other)?;
        let record = out.into_inner().map_err(|e| e.into_error())?;
        Ok(Spooled {
            record,
            keys,
            practice: row.practice,
            collection: row.collection.clone(),
        })
    }
}

/// The computed cells of a practice's row, in [`COMPUTED`] order: evidence
/// strength, tiers, regions, populations and each evidence entry's change.
fn computed_cells(row: &ExportRow) -> [String; 5] {
    if !row.practice {
        return Default::default();
    }
    [
        row.evidence_strength
            .map(|s| s.to_string())
            .unwrap_or_default(),
        row.tiers.join(";"),
        row.regions.join(";"),
        row.populations
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(";"),
        row.evidence
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
    ]
}

/// Rows waiting in a temporary file until every row's keys, and so the
/// columns, are known; then written as the CSV, reading the file once.
pub struct Spool {
    /// The temporary file (deleted when closed).
    file: BufWriter<File>,
    /// Every row's top-level keys.
    keys: BTreeSet<String>,
    /// Whether any row is a practice's.
    practice: bool,
    /// The rows' collections.
    collections: BTreeSet<String>,
}

impl Spool {
    /// A spool in a temporary file in `dir`.
    pub fn new(dir: &Path) -> io::Result<Spool> {
        Ok(Spool {
            file: BufWriter::new(tempfile::tempfile_in(dir)?),
            keys: BTreeSet::new(),
            practice: false,
            collections: BTreeSet::new(),
        })
    }

    /// Adds a row.
    pub fn push(&mut self, row: Spooled) -> io::Result<()> {
        self.file.write_all(&row.record)?;
        for key in row.keys {
            if !self.keys.contains(&key) {
                self.keys.insert(key);
            }
        }
        self.practice |= row.practice;
        if !self.collections.contains(&row.collection) {
            self.collections.insert(row.collection);
        }
        Ok(())
    }

    /// The collections of the rows so far.
    pub fn collections(&self) -> impl Iterator<Item = &str> {
        self.collections.iter().map(String::as_str)
    }

    /// Writes the CSV: the header, then every row in the order spooled, with
    /// `commit` in each row's `commit` column.
    pub fn write(self, w: &mut dyn Write, key_order: &[String], commit: &str) -> io::Result<()> {
        let columns = Columns::new(self.keys, self.practice, key_order);
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        let mut spooled = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(BufReader::new(file));
        let mut out = csv::Writer::from_writer(w);
        out.write_record(columns.header())
            .map_err(io::Error::other)?;
        let mut record = csv::ByteRecord::new();
        while spooled
            .read_byte_record(&mut record)
            .map_err(io::Error::other)?
        {
            let field = |i: usize| record.get(i).unwrap_or_default();
            let practice = field(0) == b"1";
            let cells = columns.columns.iter().map(|c| match c {
                Column::Id => field(1),
                Column::Key(key) => (SPOOLED_FIELDS..record.len())
                    .step_by(2)
                    .find(|&i| field(i) == key.as_bytes())
                    .map_or(&b""[..], |i| field(i + 1)),
                computed if !practice && COMPUTED.contains(computed) => b"",
                Column::EvidenceStrength => field(2),
                Column::Tiers => field(3),
                Column::Regions => field(4),
                Column::Populations => field(5),
                Column::EvidenceChange => field(6),
                Column::Collection => field(7),
                Column::Path => field(8),
                Column::Commit => commit.as_bytes(),
            });
            out.write_record(cells).map_err(io::Error::other)?;
        }
        out.flush()
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
