//! Errors that stop a command, and the exit status a command ends with.
//!
//! Problems found *in* a corpus are [`Diagnostic`]s, not errors; an [`Error`]
//! means `mkn` could not do its job at all (exit code 2).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostic::Diagnostic;

/// How a command ended. The codes are part of the interface CI relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: done, nothing found.
    Success,
    /// 1: the command ran and found problems.
    Findings,
    /// 2: usage, I/O or configuration error.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Findings => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing to standard output failed.
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
    /// No `mkn.toml` at or above the working directory.
    #[error("no mkn.toml found in {} or any folder above it", start.display())]
    NoCorpus {
        /// Where the search started.
        start: PathBuf,
    },
    /// A settings, schema or vocabulary file is broken; carries where.
    #[error("{}:{}:{}: {}", .0.path.display(), .0.span.line, .0.span.col, .0.message)]
    Invalid(Box<Diagnostic>),
    /// A git operation failed.
    #[error("git: {0}")]
    Git(String),
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// True when standard output was closed by the reader (`mkn ... | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// A hint shown under the error, where one helps.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::NoCorpus { .. } => {
                Some("run mkn inside a corpus (a folder with mkn.toml), or pass --corpus PATH")
            }
            Error::Invalid(d) => d.hint.as_deref(),
            _ => None,
        }
    }
}
