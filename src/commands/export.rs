//! `mkn export`: the documents a query matches, as a file other programs read.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::cli::ExportArgs;
use crate::config::Kind;
use crate::corpus::{Corpus, SourceFile};
use crate::error::{Error, ExitStatus};
use crate::export::site::{Extras, Site};
use crate::export::{self, ExportRow};
use crate::query;

use super::search::{all_matching, flag_filters, resolve_municipalities};

/// Runs `mkn export`.
pub fn run(corpus: &Corpus, args: &ExportArgs) -> Result<ExitStatus, Error> {
    if args.bulk && args.format != export::ExportFormat::Ndjson {
        return Err(Error::Usage("--bulk goes with --format ndjson".into()));
    }
    super::tables::check_args(args)?;
    let mut parsed = query::parse_query(&args.query.join(" "))?;
    parsed.filters.extend(flag_filters(&args.filters)?);
    resolve_municipalities(corpus, &mut parsed.filters)?;
    // Without words or filters every document matches: list the files
    // instead of asking the index (which would read every stored document).
    let mut files: Vec<SourceFile> = if parsed.text.trim().is_empty() && parsed.filters.is_empty() {
        corpus.files()?.0
    } else {
        all_matching(corpus, parsed)?
            .iter()
            .map(|hit| SourceFile::known(&hit.collection, &hit.path, &hit.id))
            .collect()
    };
    let vocab = corpus.vocab()?;
    let (data, _) = crate::measures::load(corpus, crate::clock::Date::today().year, None)?;
    let commit = export::head_commit(corpus);
    let site_wanted = args.format == export::ExportFormat::Site;
    if site_wanted {
        let profiles = corpus
            .config
            .collection_of_kind(Kind::Profile)
            .map(|c| c.name.clone());
        files.retain(|f| Some(&f.collection) != profiles.as_ref());
    }
    let kinds: HashMap<&str, Option<Kind>> = corpus
        .config
        .collections()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    let nested_facets: Vec<String> = corpus
        .config
        .collections()
        .flat_map(|c| &c.facets)
        .filter(|key| key.contains('.'))
        .cloned()
        .collect();
    let listed = files.len();
    let mut rows: Vec<(SourceFile, ExportRow, Extras)> = files
        .into_par_iter()
        .filter_map(|file| {
            let doc = corpus.read(&file);
            // A file that is not text is no document: `mkn check` says why.
            if doc.is_unreadable() {
                return None;
            }
            let kind = kinds.get(file.collection.as_str()).copied().flatten();
            if !site_wanted {
                let row = export::row(doc, kind, vocab, &data, &commit);
                return Some((file, row, Extras::default()));
            }
            let extras = Extras::of(&doc, kind == Some(Kind::Practice), &nested_facets);
            let mut row = export::row(doc, kind, vocab, &data, &commit);
            // The site keeps what its pages need in `extras` and reads the
            // document again for its page: the whole front matter of every
            // document need not stay in memory.
            row.front_matter = None;
            Some((file, row, extras))
        })
        .collect();
    if rows.len() < listed {
        eprintln!(
            "left out {} files that cannot be read as text (`mkn check` says why)",
            listed - rows.len()
        );
    }
    rows.sort_by(|a, b| a.1.id.cmp(&b.1.id).then_with(|| a.1.path.cmp(&b.1.path)));
    if site_wanted {
        return site(corpus, commit, rows, &args.out);
    }
    if matches!(
        args.format,
        export::ExportFormat::Sqlite | export::ExportFormat::Parquet
    ) {
        return super::tables::run(corpus, args, &data, &commit, rows);
    }
    let rows: Vec<ExportRow> = rows.into_iter().map(|(_, row, _)| row).collect();
    let key_order = export::columns::schema_key_order(
        &corpus.root,
        &corpus.config,
        rows.iter().map(|r| r.collection.as_str()),
    );
    let mut write = |w: &mut dyn Write| {
        export::write(
            w,
            &rows,
            args.format,
            args.bulk,
            &args.index_name,
            &key_order,
        )
    };
    if args.out == Path::new("-") {
        let mut out = super::stdout();
        write(&mut out)?;
        out.flush()?;
    } else {
        export::write_whole_with(&args.out, &mut write)?;
        eprintln!(
            "exported {} documents to {}",
            rows.len(),
            args.out.display()
        );
    }
    Ok(ExitStatus::Success)
}

/// Builds the static site of these documents into `out`.
fn site(
    corpus: &Corpus,
    commit: String,
    rows: Vec<(SourceFile, ExportRow, Extras)>,
    out: &Path,
) -> Result<ExitStatus, Error> {
    if out == Path::new("-") {
        return Err(Error::Usage(
            "a site is a folder: give --out a folder, not `-`".into(),
        ));
    }
    let site = Site::new(corpus, commit, rows)?;
    for warning in site.facet_warnings() {
        eprintln!(
            "warning[{}]: {}:{}:{}: {}",
            warning.code,
            warning.path.display(),
            warning.span.line,
            warning.span.col,
            warning.message
        );
        if let Some(hint) = &warning.hint {
            eprintln!("  help: {hint}");
        }
    }
    let pages = site.write(out)?;
    eprintln!("exported a site of {pages} documents to {}", out.display());
    Ok(ExitStatus::Success)
}
