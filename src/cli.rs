//! The command line: clap definitions, whose doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::{ColorChoice, DiagnosticFormat};

/// mkn: the municipal knowledge network on the command line.
///
/// A corpus is a git repository with `mkn.toml` at its root: practices and
/// technology profiles as markdown files with YAML front matter, checked
/// against JSON Schemas and reference data.
///
/// Exit codes: 0 success, 1 problems found, 2 usage, I/O or configuration error.
#[derive(Debug, Parser)]
#[command(name = "mkn", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The corpus to work on (default: the nearest folder at or above the
    /// working directory that holds mkn.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub corpus: Option<PathBuf>,

    /// When to use colour. `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the corpus: schema, references, evidence, sections.
    ///
    /// Reports every problem, each with file, line and column, a rule code and
    /// a hint. Examples:
    ///
    ///   mkn check                          # the whole corpus
    ///   mkn check practices/roads          # one folder (rules still see the whole corpus)
    ///   mkn check --changed-since origin/main --format github
    Check(CheckArgs),

    /// Write a schema-valid skeleton for a new document.
    ///
    /// Examples:
    ///
    ///   mkn new practice --area roads-winter-control --municipality guelph "Brine pre-wetting"
    ///   mkn new profile guelph
    #[command(subcommand)]
    New(NewCommand),

    /// Print the JSON Schema of a collection (by name, or by kind: practice, profile).
    Schema {
        /// Collection name (`practices`) or built-in kind (`practice`, `profile`).
        collection: String,
    },
}

/// Options of `mkn check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to report on (default: the whole corpus).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format [default: human, or github when GITHUB_ACTIONS=true].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<DiagnosticFormat>,

    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Report only on documents changed since this git revision (uncommitted
    /// and untracked files included), plus documents a change breaks, such as
    /// a practice still listing a deleted one in `related`.
    #[arg(long, value_name = "REV", conflicts_with = "paths")]
    pub changed_since: Option<String>,
}

/// What `mkn new` can create.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A practice in practices/<area>/<municipality>-<title>.md.
    Practice {
        /// The service area (its folder).
        #[arg(long)]
        area: String,
        /// The municipality that carried it out (registry id).
        #[arg(long)]
        municipality: String,
        /// The practice's title.
        title: String,
    },
    /// A technology profile in infobase/<municipality>.md.
    Profile {
        /// The municipality (registry id).
        municipality: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
