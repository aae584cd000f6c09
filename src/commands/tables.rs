//! `mkn export --format sqlite` and `--format parquet`: the matched
//! documents and the reference data as normalised tables
//! ([`crate::export::tables`], [`crate::export::parquet`]).

use std::path::Path;

use crate::cli::ExportArgs;
use crate::corpus::{Corpus, Document, SourceFile, markdown};
use crate::error::{Error, ExitStatus};
use crate::export::tables::{self, Sources};
use crate::export::{ExportFormat, ExportRow, stream};
use crate::infobase::Directory;
use crate::measures::data::Dataset;

/// Refuses option combinations that cannot work, before any work is done.
pub fn check_args(args: &ExportArgs) -> Result<(), Error> {
    if args.metadata.is_some() && args.format != ExportFormat::Sqlite {
        return Err(Error::Usage("--metadata goes with --format sqlite".into()));
    }
    if args.format == ExportFormat::Sqlite && args.out == Path::new("-") {
        return Err(Error::Usage(
            "a SQLite database is a file: give --out a file name, not `-`".into(),
        ));
    }
    if args.format == ExportFormat::Parquet && args.out == Path::new("-") {
        return Err(Error::Usage(
            "Parquet tables are files in a folder: give --out a folder, not `-`".into(),
        ));
    }
    Ok(())
}

/// Writes the database (or the Parquet folder), and the Datasette metadata
/// when asked, of the documents in `order` (by id, then path, with their
/// ids); `row` makes a document's export row.
pub fn run(
    corpus: &Corpus,
    args: &ExportArgs,
    data: &Dataset,
    commit: &str,
    order: Vec<(String, SourceFile)>,
    row: &(dyn Fn(&SourceFile, Document) -> ExportRow + Sync),
) -> Result<ExitStatus, Error> {
    let directory = Directory::load(corpus)?;
    let sources = Sources {
        corpus,
        vocab: corpus.vocab()?,
        data,
        directory: &directory,
    };
    let mut left_out = 0;
    let documents: Box<tables::Documents> = Box::new(|take| {
        left_out = stream::each_document(
            corpus,
            &order,
            |file, doc| {
                let body = markdown::plain_text(&doc.body);
                tables::document_rows(&sources, &row(file, doc), body)
            },
            take,
        )?;
        Ok(())
    });
    let written = if args.format == ExportFormat::Parquet {
        crate::export::parquet::write_parquet(&sources, documents, &args.out)?
    } else {
        tables::write_sqlite(&sources, documents, &args.out)?
    };
    super::export::say_left_out(left_out);
    eprintln!(
        "exported {} documents to {}",
        written.documents,
        args.out.display()
    );
    if let Some(path) = &args.metadata {
        let database = args
            .out
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let metadata = tables::datasette_metadata(&corpus.config.name, commit, &database);
        let mut bytes = serde_json::to_vec_pretty(&metadata)
            .map_err(|e| Error::io(path, std::io::Error::other(e)))?;
        bytes.push(b'\n');
        crate::export::write_whole(path, &bytes)?;
        eprintln!("wrote Datasette metadata to {}", path.display());
    }
    Ok(ExitStatus::Success)
}
