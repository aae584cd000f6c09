//! `mkn export --format sqlite` and `--format parquet`: the matched
//! documents and the reference data as normalised tables
//! ([`crate::export::tables`], [`crate::export::parquet`]).

use std::path::Path;

use crate::cli::ExportArgs;
use crate::corpus::{Corpus, SourceFile};
use crate::error::{Error, ExitStatus};
use crate::export::tables::{self, Sources};
use crate::export::{ExportFormat, ExportRow};
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

/// Writes the database (and the Datasette metadata, when asked) of these rows.
pub fn run(
    corpus: &Corpus,
    args: &ExportArgs,
    data: &Dataset,
    commit: &str,
    rows: Vec<(SourceFile, ExportRow)>,
) -> Result<ExitStatus, Error> {
    let directory = Directory::load(corpus)?;
    let sources = Sources {
        corpus,
        vocab: corpus.vocab()?,
        data,
        directory: &directory,
    };
    let written = if args.format == ExportFormat::Parquet {
        crate::export::parquet::write_parquet(&sources, &rows, &args.out)?
    } else {
        tables::write_sqlite(&sources, &rows, &args.out)?
    };
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
