//! Orchestration: settings in, work done by the library modules, output out.

pub mod check;
pub mod export;
pub mod index;
pub mod lsp;
pub mod manual;
pub mod measures;
pub mod new;
pub mod report;
pub mod search;
pub mod tables;
pub mod tech;

use std::io::{self, Write};
use std::path::Path;

use crate::error::Error;

/// Standard output, buffered: a command's output goes out in a few large
/// writes instead of one per line (the standard handle flushes at every
/// newline). Callers flush it at the end, so that a write error is reported.
pub(crate) fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// Writes a command's output to `out`: standard output for `-`, else the
/// file, whole or not at all ([`crate::export::write_whole`]). True when a
/// file was written.
pub(crate) fn write_out(out: &Path, bytes: &[u8]) -> Result<bool, Error> {
    if out == Path::new("-") {
        let mut stdout = io::stdout().lock();
        stdout.write_all(bytes)?;
        stdout.flush()?;
        Ok(false)
    } else {
        crate::export::write_whole(out, bytes)?;
        Ok(true)
    }
}
