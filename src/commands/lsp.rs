//! `mkn lsp`: serve the language server on standard input and output.

use std::path::Path;

use crate::config;
use crate::error::{Error, ExitStatus};

/// Runs `mkn lsp`; with `--corpus`, only that corpus is served.
pub fn run(corpus: Option<&Path>) -> Result<ExitStatus, Error> {
    let fixed_root = corpus.map(config::find_root).transpose()?;
    crate::lsp::serve_stdio(fixed_root)
}
