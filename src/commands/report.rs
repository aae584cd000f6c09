//! `mkn report AREA`: the best practice report of one service area.

use rayon::prelude::*;

use crate::cli::ReportArgs;
use crate::corpus::{Corpus, Document, SourceFile};
use crate::error::{Error, ExitStatus};
use crate::export::report::{self, Inputs};
use crate::infobase::Directory;
use crate::query;

/// Runs `mkn report`.
pub fn run(corpus: &Corpus, args: &ReportArgs) -> Result<ExitStatus, Error> {
    let format = args.format();
    let vocab = corpus.vocab()?;
    let area = vocab.area(&args.area)?;
    let practices = practices_of(corpus, &args.area)?;
    let (data, _) = crate::measures::load(corpus, crate::clock::Date::today().year, None)?;
    // The report names who uses what, not how many practices name a
    // product: the profiles are enough.
    let directory = Directory::load_profiles(corpus)?;
    let commit = crate::export::head_commit(corpus);
    let date = crate::git::head_date(&corpus.root);
    let built = report::build(&Inputs {
        corpus: &corpus.config.name,
        area: &args.area,
        area_name: area.map_or(args.area.as_str(), |a| a.name.as_str()),
        area_description: area.and_then(|a| a.description.as_deref()),
        commit: &commit,
        date: date.as_deref(),
        practices: &practices,
        vocab,
        data: &data,
        directory: &directory,
    });
    let mut buffer = Vec::new();
    report::write(&mut buffer, &built, format)?;
    if super::write_out(&args.out, &buffer)? {
        eprintln!(
            "wrote the report on {} to {}",
            args.area,
            args.out.display()
        );
    }
    Ok(ExitStatus::Success)
}

/// The documents whose `areas` name the area, found through the index.
fn practices_of(corpus: &Corpus, area: &str) -> Result<Vec<Document>, Error> {
    let mut parsed = query::parse_query("")?;
    parsed
        .filters
        .push(query::parse::filter("area", area, false).map_err(Error::Usage)?);
    let hits = super::search::all_matching(corpus, parsed)?;
    Ok(hits
        .par_iter()
        .map(|hit| corpus.read(&SourceFile::known(&hit.collection, &hit.path, &hit.id)))
        .collect())
}
