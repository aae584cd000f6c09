//! `mkn export`: the documents a query matches, as a file other programs read.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::ExportArgs;
use crate::config::Kind;
use crate::corpus::{Corpus, SourceFile};
use crate::error::{Error, ExitStatus};
use crate::export::columns::{Spool, Spooled};
use crate::export::site::{Extras, Site};
use crate::export::{self, ExportRow, stream};
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
    let files: Vec<SourceFile> = if parsed.text.trim().is_empty() && parsed.filters.is_empty() {
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
    let kinds: HashMap<&str, Option<Kind>> = corpus
        .config
        .collections()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    let row = |file: &SourceFile, doc| {
        let kind = kinds.get(file.collection.as_str()).copied().flatten();
        export::row(doc, kind, vocab, &data, &commit)
    };
    if args.format == export::ExportFormat::Site {
        return site(corpus, files, &kinds, &row, commit.clone(), &args.out);
    }
    let order = stream::in_export_order(corpus, files);
    if matches!(
        args.format,
        export::ExportFormat::Sqlite | export::ExportFormat::Parquet
    ) {
        return super::tables::run(corpus, args, &data, &commit, order, &row);
    }
    let (written, left_out) = if args.format == export::ExportFormat::Csv {
        let dir = spool_dir(&args.out);
        let mut spool = Spool::new(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut written = 0;
        let left_out = stream::each_document(
            corpus,
            &order,
            |file, doc| Spooled::of(&row(file, doc)),
            |spooled| {
                written += 1;
                spool.push(spooled?)
            },
        )
        .map_err(|e| Error::io(&dir, e))?;
        let key_order =
            export::columns::schema_key_order(&corpus.root, &corpus.config, spool.collections());
        let mut spool = Some(spool);
        write_out(&args.out, &mut |w| match spool.take() {
            Some(spool) => spool.write(w, &key_order, &commit),
            None => Ok(()),
        })?;
        (written, left_out)
    } else {
        let mut counts = (0, 0);
        write_out(&args.out, &mut |w| {
            let mut rows = export::Rows::new(w, args.format);
            let left_out = stream::each_document(
                corpus,
                &order,
                |file, doc| {
                    export::formatted(&row(file, doc), args.format, args.bulk, &args.index_name)
                },
                |formatted| rows.push(&formatted?),
            )?;
            counts = (rows.finish()?, left_out);
            Ok(())
        })?;
        counts
    };
    say_left_out(left_out);
    if args.out != Path::new("-") {
        eprintln!("exported {written} documents to {}", args.out.display());
    }
    Ok(ExitStatus::Success)
}

/// Writes to standard output (`-`), or whole to the file `out`.
fn write_out(
    out: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    if out == Path::new("-") {
        let mut stdout = super::stdout();
        write(&mut stdout)?;
        stdout.flush()?;
        Ok(())
    } else {
        export::write_whole_with(out, write)
    }
}

/// Where a CSV's rows wait until its columns are known: beside the output
/// file (on its file system), or in the temporary folder for standard output.
fn spool_dir(out: &Path) -> PathBuf {
    if out == Path::new("-") {
        return std::env::temp_dir();
    }
    match out.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Says how many files were left out because they cannot be read as text.
pub(crate) fn say_left_out(count: usize) {
    if count > 0 {
        eprintln!("left out {count} files that cannot be read as text (`mkn check` says why)");
    }
}

/// Builds the static site of these documents into `out`.
fn site(
    corpus: &Corpus,
    mut files: Vec<SourceFile>,
    kinds: &HashMap<&str, Option<Kind>>,
    row: &(dyn Fn(&SourceFile, crate::corpus::Document) -> ExportRow + Sync),
    commit: String,
    out: &Path,
) -> Result<ExitStatus, Error> {
    let profiles = corpus
        .config
        .collection_of_kind(Kind::Profile)
        .map(|c| c.name.clone());
    files.retain(|f| Some(&f.collection) != profiles.as_ref());
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
            let extras = Extras::of(&doc, kind == Some(Kind::Practice), &nested_facets);
            let mut row = row(&file, doc);
            // The site keeps what its pages need in `extras` and reads the
            // document again for its page: the whole front matter of every
            // document need not stay in memory.
            row.front_matter = None;
            Some((file, row, extras))
        })
        .collect();
    say_left_out(listed - rows.len());
    rows.sort_by(|a, b| a.1.id.cmp(&b.1.id).then_with(|| a.1.path.cmp(&b.1.path)));
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
