//! `mkn check`: pick the scope, run the checks, write the report.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::check::baseline::Baseline;
use crate::check::{self, Scope};
use crate::cli::CheckArgs;
use crate::clock::Date;
use crate::corpus::Corpus;
use crate::error::{Error, ExitStatus};
use crate::git;
use crate::output::{self, ColorChoice, DiagnosticFormat};

/// Runs `mkn check`.
pub fn run(corpus: &Corpus, args: &CheckArgs, color: ColorChoice) -> Result<ExitStatus, Error> {
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
    let settings = corpus
        .config
        .rules
        .clone()
        .with_overrides(&args.ignore, &args.select)?;
    let mut report = check::check(corpus, &scope, Date::today().year, &settings)?;
    if args.write_baseline {
        let baseline = Baseline::of(&report.diagnostics);
        baseline.write(&corpus.root, &settings.baseline)?;
        eprintln!(
            "wrote {} finding(s) in {} entries to {}",
            report.diagnostics.len(),
            baseline.entries.len(),
            settings.baseline.display()
        );
        return Ok(ExitStatus::Success);
    }
    if let Some(baseline) = Baseline::load(&corpus.root, &settings.baseline)? {
        let (held, stale) = baseline.hold_back(&mut report.diagnostics, |p| scope.covers(p));
        report.held.baselined = held;
        report.stale = stale;
    }
    let format = args.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            DiagnosticFormat::Github
        } else {
            DiagnosticFormat::Human
        }
    });
    let mut stdout = super::stdout();
    output::write_report(
        &mut stdout,
        &report,
        &corpus.root,
        format,
        color.for_stdout(),
    )?;
    if !report.stale.is_empty() {
        if format == DiagnosticFormat::Human {
            output::write_stale(&mut stdout, &report.stale, &settings.baseline)?;
        } else {
            output::write_stale(
                &mut std::io::stderr().lock(),
                &report.stale,
                &settings.baseline,
            )?;
        }
    }
    stdout.flush()?;
    if format == DiagnosticFormat::Github
        && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
    {
        let path = PathBuf::from(path);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        file.write_all(output::step_summary(&report).as_bytes())
            .map_err(|e| Error::io(&path, e))?;
    }
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
