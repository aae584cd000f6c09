//! `mkn export`: matching documents as rows for other programs (JSON, NDJSON,
//! CSV, and the Elasticsearch/OpenSearch bulk format), with the computed
//! fields and the file and commit each row comes from, and as a static web
//! portal ([`site`]). Writers take any `Write`; the command writes to a
//! temporary file and renames it.

pub mod html;
pub mod report;
pub mod site;

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::corpus::vocab::Vocabularies;
use crate::corpus::{Corpus, Document};
use crate::error::Error;
use crate::measures::Evidence;
use crate::measures::data::Dataset;
use crate::measures::strength::Strength;

/// One exported document. The field order is the documented column order.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    /// Document id.
    pub id: String,
    /// Title.
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
}

/// The CSV header, in order.
pub const CSV_COLUMNS: [&str; 19] = [
    "id",
    "title",
    "kind",
    "evidence_strength",
    "areas",
    "municipalities",
    "tiers",
    "regions",
    "populations",
    "year",
    "status",
    "summary",
    "tags",
    "technologies",
    "evidence",
    "sources",
    "collection",
    "path",
    "commit",
];

/// Builds the row of a document.
pub fn row(doc: &Document, vocab: &Vocabularies, data: &Dataset, commit: &str) -> ExportRow {
    let record = crate::index::record::record(doc, vocab);
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
    let found: Vec<_> = record
        .row
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
        summary: record.summary,
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
        id: record.row.id,
        title: record.row.title,
        kind: record.row.kind,
        areas: record.row.areas,
        municipalities: record.row.municipalities,
        year: record.row.year,
        collection: record.row.collection,
        path: record.row.path,
        commit: commit.to_string(),
    }
}

/// How to write the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON array.
    Json,
    /// One JSON object per line (with `--bulk`, the Elasticsearch/OpenSearch bulk format).
    Ndjson,
    /// A header, then one row per document; lists joined with `;`.
    Csv,
    /// A static web portal: a folder of pages, a feed and an offline search ([`site`]).
    Site,
}

/// Writes rows in a format; `bulk` adds an `index` action line before each NDJSON document.
pub fn write(
    w: &mut dyn Write,
    rows: &[ExportRow],
    format: ExportFormat,
    bulk: bool,
    index_name: &str,
) -> io::Result<()> {
    match format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, rows)?;
            writeln!(w)
        }
        ExportFormat::Ndjson => {
            for row in rows {
                if bulk {
                    serde_json::to_writer(
                        &mut *w,
                        &serde_json::json!({"index": {"_index": index_name, "_id": row.id}}),
                    )?;
                    writeln!(w)?;
                }
                serde_json::to_writer(&mut *w, row)?;
                writeln!(w)?;
            }
            Ok(())
        }
        ExportFormat::Site => Err(io::Error::other(
            "a site is a folder of files, written by export::site",
        )),
        ExportFormat::Csv => {
            let mut out = csv::Writer::from_writer(w);
            out.write_record(CSV_COLUMNS).map_err(io::Error::other)?;
            for row in rows {
                let join = |v: &[String]| v.join(";");
                let evidence: Vec<String> = row
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
                    .collect();
                out.write_record([
                    row.id.clone(),
                    row.title.clone(),
                    row.kind.clone(),
                    row.evidence_strength
                        .map(|s| format!("{s:?}").to_lowercase())
                        .unwrap_or_default(),
                    join(&row.areas),
                    join(&row.municipalities),
                    join(&row.tiers),
                    join(&row.regions),
                    row.populations
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(";"),
                    row.year.map(|y| y.to_string()).unwrap_or_default(),
                    row.status.clone(),
                    row.summary.clone(),
                    join(&row.tags),
                    join(&row.technologies),
                    evidence.join(";"),
                    join(&row.sources),
                    row.collection.clone(),
                    row.path.clone(),
                    row.commit.clone(),
                ])
                .map_err(io::Error::other)?;
            }
            out.flush()
        }
    }
}

/// The commit id of HEAD, or `uncommitted` outside git or before the first commit.
pub fn head_commit(corpus: &Corpus) -> String {
    crate::git::head(&corpus.root).unwrap_or_else(|| "uncommitted".to_string())
}

/// Writes to a temporary file beside `path` and renames it: the file appears whole or not at all.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
