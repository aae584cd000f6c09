//! `mkn`: the municipal knowledge network on the command line.
//!
//! The library behind the `mkn` binary. [`run`] takes parsed arguments and
//! dispatches to a command; every command returns an [`ExitStatus`] or an
//! [`Error`]. Modules own one concept each: `config` (mkn.toml), `corpus`
//! (reading documents and vocabularies), `check` (rules → diagnostics),
//! `git`, `scaffold` (`mkn new`), `output` (everything a terminal sees).

pub mod check;
pub mod cli;
pub mod clock;
pub mod config;
pub mod corpus;
pub mod diagnostic;
pub mod error;
pub mod git;
pub mod output;
pub mod scaffold;

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use check::Scope;
use cli::{CheckArgs, Cli, Command, NewCommand};
use clock::Date;
use config::Kind;
use corpus::Corpus;
pub use error::{Error, ExitStatus};
use output::DiagnosticFormat;

/// Runs one command.
pub fn run(cli: Cli) -> Result<ExitStatus, Error> {
    let start = match &cli.corpus {
        Some(path) => path.clone(),
        None => std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?,
    };
    let root = config::find_root(&start)?;
    let corpus = Corpus::open(&root)?;
    match cli.command {
        Command::Check(args) => run_check(&corpus, &args, cli.color),
        Command::New(what) => {
            let today = Date::today();
            let path = match what {
                NewCommand::Practice {
                    area,
                    municipality,
                    title,
                } => scaffold::new_practice(&corpus, &area, &municipality, &title, today.year)?,
                NewCommand::Profile { municipality } => {
                    scaffold::new_profile(&corpus, &municipality, &today.to_string())?
                }
            };
            writeln!(io::stdout(), "created {}", corpus::display_path(&path))?;
            Ok(ExitStatus::Success)
        }
        Command::Schema { collection } => {
            let kind = match collection.as_str() {
                "practice" => Some(Kind::Practice),
                "profile" => Some(Kind::Profile),
                _ => None,
            };
            let found = corpus
                .config
                .collections
                .get(&collection)
                .or_else(|| kind.and_then(|k| corpus.config.collection_of_kind(k)))
                .ok_or_else(|| {
                    Error::Usage(format!("no collection or kind named `{collection}`"))
                })?;
            let schema = found.schema.as_ref().ok_or_else(|| {
                Error::Usage(format!("collection `{}` declares no schema", found.name))
            })?;
            let text =
                std::fs::read_to_string(root.join(schema)).map_err(|e| Error::io(schema, e))?;
            io::stdout().write_all(text.as_bytes())?;
            Ok(ExitStatus::Success)
        }
    }
}

fn run_check(
    corpus: &Corpus,
    args: &CheckArgs,
    color: output::ColorChoice,
) -> Result<ExitStatus, Error> {
    let scope = if let Some(rev) = &args.changed_since {
        let changes = git::changed_since(&corpus.root, rev)?;
        let removed_ids = changes
            .removed
            .iter()
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect();
        Scope::Files {
            paths: changes.changed,
            removed_ids,
        }
    } else if args.paths.is_empty() {
        Scope::All
    } else {
        Scope::Files {
            paths: relative_paths(&corpus.root, &args.paths)?,
            removed_ids: BTreeSet::new(),
        }
    };
    let report = check::check(corpus, &scope, Date::today().year)?;
    let format = args.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            DiagnosticFormat::Github
        } else {
            DiagnosticFormat::Human
        }
    });
    let mut stdout = io::stdout().lock();
    output::write_report(
        &mut stdout,
        &report,
        &corpus.root,
        format,
        color.for_stdout(),
    )?;
    stdout.flush()?;
    let failing = report.errors() > 0 || (args.deny_warnings && report.warnings() > 0);
    Ok(if failing {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// Command-line paths (relative to the working directory) as paths relative to the corpus root.
fn relative_paths(root: &Path, paths: &[PathBuf]) -> Result<BTreeSet<PathBuf>, Error> {
    paths
        .iter()
        .map(|p| {
            let absolute = p.canonicalize().map_err(|e| Error::io(p, e))?;
            absolute
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .map_err(|_| {
                    Error::Usage(format!(
                        "{} is outside the corpus at {}",
                        p.display(),
                        root.display()
                    ))
                })
        })
        .collect()
}
