//! The `mkn` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use mkn::{ExitStatus, output};

/// mimalloc: every command builds and drops many small strings and nodes
/// (YAML, JSON, rows), where the system allocator is a fifth of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = mkn::cli::parse();
    let color = cli.color;
    match mkn::run(cli) {
        Ok(status) => status.into(),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            output::report_error(&e, color.for_stderr());
            ExitStatus::Error.into()
        }
    }
}
