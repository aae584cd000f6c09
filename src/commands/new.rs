//! `mkn new` and `mkn schema`.

use std::io::{self, Write};

use crate::cli::NewCommand;
use crate::clock::Date;
use crate::config::Kind;
use crate::corpus::{self, Corpus};
use crate::error::{Error, ExitStatus};
use crate::scaffold;

/// Runs `mkn new`.
pub fn run(corpus: &Corpus, what: NewCommand) -> Result<ExitStatus, Error> {
    let today = Date::today();
    let path = match what {
        NewCommand::Practice {
            area,
            municipality,
            title,
        } => scaffold::new_practice(corpus, &area, &municipality, &title, today.year)?,
        NewCommand::Profile { municipality } => {
            scaffold::new_profile(corpus, &municipality, &today.to_string())?
        }
    };
    writeln!(io::stdout(), "created {}", corpus::display_path(&path))?;
    Ok(ExitStatus::Success)
}

/// Runs `mkn schema`: prints a collection's JSON Schema, by name or kind.
pub fn schema(corpus: &Corpus, collection: &str) -> Result<ExitStatus, Error> {
    let kind = match collection {
        "practice" => Some(Kind::Practice),
        "profile" => Some(Kind::Profile),
        _ => None,
    };
    let found = corpus
        .config
        .collections
        .get(collection)
        .or_else(|| kind.and_then(|k| corpus.config.collection_of_kind(k)))
        .ok_or_else(|| Error::Usage(format!("no collection or kind named `{collection}`")))?;
    let schema = found
        .schema
        .as_ref()
        .ok_or_else(|| Error::Usage(format!("collection `{}` declares no schema", found.name)))?;
    let text =
        std::fs::read_to_string(corpus.root.join(schema)).map_err(|e| Error::io(schema, e))?;
    io::stdout().write_all(text.as_bytes())?;
    Ok(ExitStatus::Success)
}
