//! `mkn`: the municipal knowledge network on the command line.
//!
//! The library behind the `mkn` binary. [`run`] takes parsed arguments and
//! dispatches to a command; every command returns an [`ExitStatus`] or an
//! [`Error`]. Modules own one concept each: `config` (mkn.toml), `corpus`
//! (reading documents and vocabularies), `rules` (the table of every diagnostic code), `check` (rules → diagnostics),
//! `index` (the tantivy index in .mkn/), `query` (text and filters → hits),
//! `measures` (evidence arithmetic), `infobase` (the technology directory),
//! `git`, `glob` (globs read as in .gitignore), `scaffold` (`mkn new`), `lsp` (the language server), `commands` (orchestration, and the background watcher), `output` (everything a terminal sees).

pub mod check;
pub mod cli;
pub mod clock;
mod commands;
pub mod config;
pub mod corpus;
pub mod diagnostic;
pub mod error;
pub mod export;
pub mod git;
pub mod glob;
pub mod index;
pub mod infobase;
pub mod lsp;
pub mod measures;
pub mod output;
pub mod query;
pub mod rules;
pub mod scaffold;
pub mod state;
pub(crate) mod stem;

use std::path::Path;
use std::time::Duration;

use cli::{Cli, Command};
use corpus::Corpus;
pub use error::{Error, ExitStatus};

/// Runs one command.
pub fn run(cli: Cli) -> Result<ExitStatus, Error> {
    if let Command::Lsp = cli.command {
        // The server finds each document's corpus itself: it starts anywhere.
        return commands::lsp::run(cli.corpus.as_deref());
    }
    match cli.command {
        Command::Rules { format } => return commands::manual::rules(format),
        Command::Completions { shell } => return commands::manual::completions(shell),
        Command::Man { out } => return commands::manual::man(out.as_deref()),
        _ => {}
    }
    let start = match &cli.corpus {
        Some(path) => path.clone(),
        None => std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?,
    };
    let root = config::find_root(&start)?;
    let corpus = Corpus::open(&root)?;
    let color = cli.color;
    match cli.command {
        Command::Check(args) => commands::check::run(&corpus, &args, color),
        Command::New(what) => commands::new::run(&corpus, what),
        Command::Export(args) => commands::export::run(&corpus, &args),
        Command::Report(args) => commands::report::run(&corpus, &args),
        Command::Schema { collection } => commands::new::schema(&corpus, &collection),
        Command::Search(args) => {
            commands::search::search(&corpus, &args.query, &args.filters, &args.listing, color)
        }
        Command::List(args) => {
            commands::search::search(&corpus, &args.query, &args.filters, &args.listing, color)
        }
        Command::Show { id, format } => commands::search::show(&corpus, &id, format, color),
        Command::Related { id, limit, format } => {
            commands::search::related(&corpus, &id, limit, format, color)
        }
        Command::Stats { format } => commands::search::stats(&corpus, format, color),
        Command::Index {
            watch: true,
            idle_timeout,
            ..
        } => commands::index::watch(&corpus, idle_timeout.map(Duration::from_secs)),
        Command::Index { stop: true, .. } => commands::index::stop(&corpus),
        Command::Index { rebuild, .. } => commands::index::update(&corpus, rebuild),
        Command::Tech(what) => commands::tech::run(&corpus, what, color),
        Command::Import(cli::ImportCommand::Measures(args)) => {
            commands::measures::import(&corpus, &args, color)
        }
        Command::Measures(args) => commands::measures::catalogue(&corpus, &args, color),
        Command::Measure(args) => commands::measures::measure(&corpus, &args, color),
        Command::Lsp
        | Command::Rules { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => {
            unreachable!("served before a corpus is opened")
        }
    }
}
