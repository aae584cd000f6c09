//! `mkn export`: the documents a query matches, as a file other programs read.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::ExportArgs;
use crate::corpus::{Corpus, SourceFile};
use crate::error::{Error, ExitStatus};
use crate::export::{self, ExportRow};
use crate::index::Freshness;
use crate::query::{self, Request, SortBy};

use super::search::{flag_filters, open_index, resolve_municipalities};

/// Runs `mkn export`.
pub fn run(corpus: &Corpus, args: &ExportArgs) -> Result<ExitStatus, Error> {
    if args.bulk && args.format != export::ExportFormat::Ndjson {
        return Err(Error::Usage("--bulk goes with --format ndjson".into()));
    }
    let mut parsed = query::parse_query(&args.query.join(" "))?;
    parsed.filters.extend(flag_filters(&args.filters)?);
    resolve_municipalities(corpus, &mut parsed.filters)?;
    let (index, stats) = open_index(corpus, Freshness::Update)?;
    let request = Request {
        query: parsed,
        sort: SortBy::Title,
        limit: stats.total.max(1),
        offset: 0,
        facets: Vec::new(),
    };
    let results = query::search(&index, &request)?;
    let vocab = corpus.vocab()?;
    let (data, _) = crate::measures::load(corpus, crate::clock::Date::today().year, None)?;
    let commit = export::head_commit(corpus);
    let mut hits = results.hits;
    hits.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
    let rows: Vec<ExportRow> = hits
        .par_iter()
        .map(|hit| {
            let doc = corpus.read(&SourceFile {
                collection: hit.collection.clone(),
                path: PathBuf::from(&hit.path),
                id: hit.id.clone(),
                size: 0,
                modified: None,
            });
            export::row(&doc, vocab, &data, &commit)
        })
        .collect();
    let mut buffer = Vec::new();
    export::write(&mut buffer, &rows, args.format, args.bulk, &args.index_name)?;
    if args.out == Path::new("-") {
        io::stdout().write_all(&buffer)?;
    } else {
        write_whole(&args.out, &buffer)?;
        eprintln!(
            "exported {} documents to {}",
            rows.len(),
            args.out.display()
        );
    }
    Ok(ExitStatus::Success)
}

/// Writes to a temporary file beside `path` and renames it: the file appears whole or not at all.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
