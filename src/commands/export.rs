//! `mkn export`: the documents a query matches, as a file other programs read.

use std::path::PathBuf;

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
    if super::write_out(&args.out, &buffer)? {
        eprintln!(
            "exported {} documents to {}",
            rows.len(),
            args.out.display()
        );
    }
    Ok(ExitStatus::Success)
}
