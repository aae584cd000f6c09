//! `mkn export`: matching documents as rows for other programs (JSON, NDJSON,
//! CSV, and the Elasticsearch/OpenSearch bulk format), with every key of their
//! front matter, the file and commit each row comes from and, for practices,
//! the computed fields; and as a static web portal ([`site`]). Writers take
//! any `Write`; the command streams into a temporary file and renames it.

pub mod columns;
pub mod front_matter;
pub mod html;
pub mod parquet;
pub mod report;
pub mod site;
pub mod spool;
pub mod stream;
pub mod tables;

use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use crate::config::Kind;
use crate::corpus::Corpus;
use crate::corpus::Document;
use crate::corpus::vocab::Vocabularies;
use crate::corpus::yaml::Node;
use crate::error::Error;
use crate::measures::Evidence;
use crate::measures::data::Dataset;
use crate::measures::strength::Strength;

/// One exported document: where it comes from, its front matter as written
/// and, for a practice, the fields `mkn` computes. The site reads the
/// computed fields of every document (empty outside practice collections);
/// rows written to a file carry them only for practices.
#[derive(Debug, Clone)]
pub struct ExportRow {
    /// Document id.
    pub id: String,
    /// Title (`title` or `name`, else the id).
    pub title: String,
    /// `best`, `beneficial`, or empty.
    pub kind: String,
    /// Evidence strength (limited, moderate, strong), computed.
    pub evidence_strength: Option<Strength>,
    /// Service areas.
    pub areas: Vec<String>,
    /// Municipality ids.
    pub municipalities: Vec<String>,
    /// Their tiers, from the registry.
    pub tiers: Vec<String>,
    /// Their regions, from the registry.
    pub regions: Vec<String>,
    /// Their 2021 populations, from the registry.
    pub populations: Vec<u64>,
    /// Year implemented.
    pub year: Option<i64>,
    /// active, pilot or retired.
    pub status: String,
    /// Summary.
    pub summary: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Technology products named.
    pub technologies: Vec<String>,
    /// Evidence with the computed change.
    pub evidence: Vec<Evidence>,
    /// Source URLs.
    pub sources: Vec<String>,
    /// Collection.
    pub collection: String,
    /// File, relative to the corpus root.
    pub path: String,
    /// The commit the corpus was exported from (HEAD).
    pub commit: String,
    /// Whether the document belongs to a practice collection: only then do
    /// written rows carry the computed fields.
    pub practice: bool,
    /// The front matter as read (`None` when it could not be read).
    pub front_matter: Option<Node>,
}

impl Serialize for ExportRow {
    /// `id`, the practice fields (practices only), `collection`, `path`,
    /// `commit`, then `front_matter`: every key as written.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        if self.practice {
            map.serialize_entry("title", &self.title)?;
            map.serialize_entry("kind", &self.kind)?;
            map.serialize_entry("evidence_strength", &self.evidence_strength)?;
            map.serialize_entry("areas", &self.areas)?;
            map.serialize_entry("municipalities", &self.municipalities)?;
            map.serialize_entry("tiers", &self.tiers)?;
            map.serialize_entry("regions", &self.regions)?;
            map.serialize_entry("populations", &self.populations)?;
            map.serialize_entry("year", &self.year)?;
            map.serialize_entry("status", &self.status)?;
            map.serialize_entry("summary", &self.summary)?;
            map.serialize_entry("tags", &self.tags)?;
            map.serialize_entry("technologies", &self.technologies)?;
            map.serialize_entry("evidence", &self.evidence)?;
            map.serialize_entry("sources", &self.sources)?;
        }
        map.serialize_entry("collection", &self.collection)?;
        map.serialize_entry("path", &self.path)?;
        map.serialize_entry("commit", &self.commit)?;
        map.serialize_entry(
            "front_matter",
            &self.front_matter.as_ref().map(front_matter::InFileOrder),
        )?;
        map.end()
    }
}

/// Builds the row of a document; `kind` is its collection's built-in kind.
pub fn row(
    doc: Document,
    kind: Option<Kind>,
    vocab: &Vocabularies,
    data: &Dataset,
    commit: &str,
) -> ExportRow {
    // The display fields and the summary only: an export has no use for
    // the plain text and flattened values the index builds.
    let shown = crate::index::record::row(&doc, vocab);
    let summary = crate::index::record::summary(&doc);
    let front = doc.front.as_ref();
    let evidence = front
        .map(|f| crate::measures::evidence(f, vocab))
        .unwrap_or_default();
    let text = |key: &str| {
        front
            .and_then(|f| f.get(key))
            .and_then(|n| n.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let registry = vocab.municipalities.as_ref();
    let found: Vec<_> = shown
        .municipalities
        .iter()
        .filter_map(|m| registry.and_then(|r| r.resolve(m)))
        .collect();
    ExportRow {
        evidence_strength: crate::measures::strength::strength(&evidence, data, registry),
        tiers: found.iter().map(|m| m.tier.clone()).collect(),
        regions: found.iter().map(|m| m.region.clone()).collect(),
        populations: found.iter().filter_map(|m| m.population).collect(),
        status: text("status"),
        summary,
        tags: front
            .and_then(|f| f.get("tags"))
            .map(|t| {
                t.items()
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        technologies: front
            .and_then(|f| f.get("technologies"))
            .map(|t| {
                t.items()
                    .iter()
                    .filter_map(|e| e.get("product")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        sources: front
            .and_then(|f| f.get("sources"))
            .map(|s| {
                s.items()
                    .iter()
                    .filter_map(|e| e.get("url")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        evidence,
        id: shown.id,
        title: shown.title,
        kind: shown.kind,
        areas: shown.areas,
        municipalities: shown.municipalities,
        year: shown.year,
        collection: shown.collection,
        path: shown.path,
        commit: commit.to_string(),
        practice: kind == Some(Kind::Practice),
        front_matter: doc.front,
    }
}

/// How to write the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON array.
    Json,
    /// One JSON object per line (with `--bulk`, the Elasticsearch/OpenSearch bulk format).
    Ndjson,
    /// A header, then one row per document: a column per front-matter key.
    Csv,
    /// A static web portal: a folder of pages, a feed and an offline search ([`site`]).
    Site,
    /// A SQLite database of normalised tables with full-text search ([`tables`]).
    Sqlite,
    /// The same tables as Parquet files in a folder ([`parquet`]).
    Parquet,
}

/// A row as JSON (`serde_json`'s pretty form, indented as an item of the
/// export's array) or as an NDJSON line (after its `index` action line with
/// `bulk`). Rows are formatted apart from each other, in parallel; [`Rows`]
/// writes them in order.
pub fn formatted(
    row: &ExportRow,
    format: ExportFormat,
    bulk: bool,
    index_name: &str,
) -> io::Result<Vec<u8>> {
    if format == ExportFormat::Json {
        // A practice's row is a few kilobytes: one allocation, not a dozen.
        let mut pretty = Vec::with_capacity(16 << 10);
        serde_json::to_writer_pretty(&mut pretty, row)?;
        // Inside the array every line of the row is indented once more (a
        // JSON string holds no raw line break).
        let mut item = Vec::with_capacity(pretty.len() + pretty.len() / 8);
        for (i, line) in pretty.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                item.extend_from_slice(b"\n  ");
            }
            item.extend_from_slice(line);
        }
        return Ok(item);
    }
    let mut line = Vec::with_capacity(16 << 10);
    if bulk {
        serde_json::to_writer(
            &mut line,
            &serde_json::json!({"index": {"_index": index_name, "_id": row.id}}),
        )?;
        line.push(b'\n');
    }
    serde_json::to_writer(&mut line, row)?;
    line.push(b'\n');
    Ok(line)
}

/// Writes [`formatted`] rows in order: one JSON array around them (as
/// `serde_json::to_writer_pretty` writes a list of rows), or NDJSON lines.
pub struct Rows<'a> {
    /// Where they go.
    out: &'a mut dyn Write,
    /// JSON or NDJSON.
    format: ExportFormat,
    /// Rows written so far.
    written: usize,
}

impl<'a> Rows<'a> {
    /// Rows in `format` to `out`.
    pub fn new(out: &'a mut dyn Write, format: ExportFormat) -> Rows<'a> {
        Rows {
            out,
            format,
            written: 0,
        }
    }

    /// Writes the next row.
    pub fn push(&mut self, row: &[u8]) -> io::Result<()> {
        if self.format == ExportFormat::Json {
            let before: &[u8] = if self.written == 0 {
                b"[\n  "
            } else {
                b",\n  "
            };
            self.out.write_all(before)?;
        }
        self.written += 1;
        self.out.write_all(row)
    }

    /// Closes the array; returns how many rows were written.
    pub fn finish(self) -> io::Result<usize> {
        if self.format == ExportFormat::Json {
            let end: &[u8] = if self.written == 0 { b"[]\n" } else { b"\n]\n" };
            self.out.write_all(end)?;
        }
        Ok(self.written)
    }
}

/// The commit id of HEAD, or `uncommitted` outside git or before the first commit.
pub fn head_commit(corpus: &Corpus) -> String {
    crate::git::head(&corpus.root).unwrap_or_else(|| "uncommitted".to_string())
}

/// Writes to a temporary file beside `path` and renames it: the file appears whole or not at all.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_whole_with(path, &mut |w| w.write_all(bytes))
}

/// Streams `write`'s output into a temporary file beside `path` and renames
/// it into place: the file appears whole or not at all, with the mode a plain
/// file creation gives (the umask applies, so usually 0644).
pub fn write_whole_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = temp_builder(FILE_MODE)
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    let mut out = BufWriter::new(tmp);
    write(&mut out).map_err(|e| Error::io(path, e))?;
    let tmp = out
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// The mode plain files are created with before the umask (tempfile's own is 0600).
pub(crate) const FILE_MODE: u32 = 0o666;
/// The mode plain folders are created with before the umask (tempfile's own is 0700).
pub(crate) const FOLDER_MODE: u32 = 0o777;

/// A tempfile builder whose file or folder is created with `mode` minus the
/// umask, as `fs::write` and `fs::create_dir` create theirs, so that what is
/// renamed into place is readable as any other file the user writes.
pub(crate) fn temp_builder(mode: u32) -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    builder
}
