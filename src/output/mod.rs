//! The one place that knows terminals: colour choice and the rendering of
//! diagnostics for people (rustc-like), scripts (JSON), GitHub Actions
//! annotations and code scanning (SARIF).

mod listing;
pub mod measures;
mod rules;
mod sarif;
mod show;
pub mod tech;

pub use listing::{ListFormat, Stats, Style, json, write_results, write_stats};
pub use rules::{RulesFormat, write_rules};
pub use show::{Shown, write_shown};

use std::collections::HashMap;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as Rich, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor::Ansi};

use crate::check::Report;
use crate::check::baseline::Entry;
use crate::config::DEFAULT_MAX_FILE_SIZE;
use crate::corpus::display_path;
use crate::diagnostic::Span;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream, given whether it is a terminal.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }

    /// Whether to colour standard output.
    pub fn for_stdout(self) -> bool {
        self.enabled(io::stdout().is_terminal())
    }

    /// Whether to colour standard error.
    pub fn for_stderr(self) -> bool {
        self.enabled(io::stderr().is_terminal())
    }
}

/// How `check` reports its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormat {
    /// For people: the source line with a caret, like rustc.
    Human,
    /// One JSON array of diagnostics (fields documented in the README).
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// Writes a check report in the chosen format.
pub fn write_report(
    w: &mut dyn Write,
    report: &Report,
    root: &Path,
    format: DiagnosticFormat,
    color: bool,
) -> Result<(), Error> {
    match format {
        DiagnosticFormat::Human => write_human(w, report, root, color)?,
        DiagnosticFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, &report.diagnostics).map_err(io::Error::from)?;
            writeln!(w)?;
        }
        DiagnosticFormat::Github => {
            for d in &report.diagnostics {
                writeln!(w, "{}", github_annotation(d))?;
            }
        }
        DiagnosticFormat::Sarif => {
            serde_json::to_writer_pretty(&mut *w, &sarif::log(&report.diagnostics))
                .map_err(io::Error::from)?;
            writeln!(w)?;
        }
    }
    Ok(())
}

fn write_human(w: &mut dyn Write, report: &Report, root: &Path, color: bool) -> io::Result<()> {
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<std::path::PathBuf, usize> = HashMap::new();
    let config = Config::default();
    for d in &report.diagnostics {
        let mut file_id = |path: &Path| {
            *ids.entry(path.to_path_buf()).or_insert_with(|| {
                files.add(
                    display_path(path).into_owned(),
                    snippet_source(&root.join(path)),
                )
            })
        };
        let primary = file_id(&d.path);
        let secondary: Vec<usize> = d.related.iter().map(|r| file_id(&r.path)).collect();
        let severity = match d.severity {
            Severity::Error => codespan_reporting::diagnostic::Severity::Error,
            Severity::Warning => codespan_reporting::diagnostic::Severity::Warning,
        };
        let source = files.get(primary).expect("added above").source().clone();
        let mut labels = vec![Label::primary(primary, byte_range(&source, d.span))];
        for (related, &file) in d.related.iter().zip(&secondary) {
            let text = files.get(file).expect("added above").source().clone();
            labels.push(
                Label::secondary(file, byte_range(&text, related.span))
                    .with_message(&related.message),
            );
        }
        let rich = Rich::new(severity)
            .with_code(&d.code)
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(d.hint.iter().map(|h| format!("help: {h}")).collect());
        let result = if color {
            term::emit_to_write_style(&mut Ansi::new(&mut *w), &config, &files, &rich)
        } else {
            term::emit_to_io_write(&mut *w, &config, &files, &rich)
        };
        result.map_err(|e| match e {
            codespan_reporting::files::Error::Io(e) => e,
            other => io::Error::other(other.to_string()),
        })?;
    }
    writeln!(w, "{}", summary(report))
}

/// The last line of a human report, with what the filter stage held back.
pub fn summary(report: &Report) -> String {
    let checked = plural(report.documents, "document");
    let found = match (report.errors(), report.warnings()) {
        (0, 0) => format!("checked {checked}: no problems found"),
        (errors, warnings) => format!(
            "checked {checked}: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ),
    };
    let held = report.held;
    let reasons: Vec<String> = [
        (held.ignored, "ignored by the settings"),
        (held.per_path, "ignored for their path"),
        (held.suppressed, "suppressed in the document"),
        (held.baselined, "in the baseline"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, why)| format!("{n} {why}"))
    .collect();
    if reasons.is_empty() {
        found
    } else {
        format!(
            "{found} ({} held back: {})",
            held.total(),
            reasons.join(", ")
        )
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Lists the baseline entries that no longer occur, so the baseline can be
/// written again without them.
pub fn write_stale(w: &mut dyn Write, stale: &[Entry], baseline: &Path) -> io::Result<()> {
    let count: usize = stale.iter().map(|e| e.count).sum();
    writeln!(
        w,
        "{}: {} no longer found; `mkn check --write-baseline` drops {}:",
        baseline.display(),
        plural(count, "accepted finding"),
        if count == 1 { "it" } else { "them" }
    )?;
    for e in stale {
        let times = if e.count > 1 {
            format!(" ({}×)", e.count)
        } else {
            String::new()
        };
        writeln!(w, "  {}: {}: {}{times}", e.path, e.code, e.message)?;
    }
    Ok(())
}

/// How many problems the GitHub step summary lists in its table.
const SUMMARY_ROWS: usize = 50;

/// The markdown `--format github` appends to `$GITHUB_STEP_SUMMARY`: counts
/// per rule, then the first problems as a table (GitHub shows only the first
/// annotations of a step).
pub fn step_summary(report: &Report) -> String {
    use std::fmt::Write as _;
    let cell = |text: &str| text.replace('|', "\\|").replace(['\n', '\r'], " ");
    let mut md = format!("### mkn check\n\n{}\n", summary(report));
    let stale: usize = report.stale.iter().map(|e| e.count).sum();
    if stale > 0 {
        let _ = writeln!(
            md,
            "\n{} in the baseline no longer found: `mkn check --write-baseline` drops {}.",
            plural(stale, "accepted finding"),
            if stale == 1 { "it" } else { "them" }
        );
    }
    if report.diagnostics.is_empty() {
        return md;
    }
    let mut per_rule: std::collections::BTreeMap<(&str, Severity), usize> = Default::default();
    for d in &report.diagnostics {
        *per_rule.entry((d.code.as_str(), d.severity)).or_default() += 1;
    }
    md.push_str("\n| rule | severity | count |\n|---|---|---:|\n");
    for ((code, severity), n) in &per_rule {
        let _ = writeln!(md, "| `{code}` | {} | {n} |", severity_name(*severity));
    }
    md.push_str("\n| file | line | rule | problem |\n|---|---:|---|---|\n");
    for d in report.diagnostics.iter().take(SUMMARY_ROWS) {
        let _ = writeln!(
            md,
            "| `{}` | {} | `{}` | {} |",
            display_path(&d.path),
            d.span.line,
            d.code,
            cell(&d.message)
        );
    }
    if report.diagnostics.len() > SUMMARY_ROWS {
        let _ = writeln!(
            md,
            "\n{} more not shown: run `mkn check` for all.",
            report.diagnostics.len() - SUMMARY_ROWS
        );
    }
    md
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The text shown under a diagnostic: the file if it is readable text, else nothing.
fn snippet_source(path: &Path) -> String {
    let readable =
        fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= DEFAULT_MAX_FILE_SIZE);
    if !readable {
        return String::new();
    }
    match fs::read(path) {
        Ok(bytes) if !bytes.iter().take(8192).any(|&b| b == 0) => {
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => String::new(),
    }
}

/// The byte range of a span in `text`, clamped to its line.
fn byte_range(text: &str, span: Span) -> std::ops::Range<usize> {
    let Some(line) = text.split_inclusive('\n').nth(span.line.saturating_sub(1)) else {
        return text.len()..text.len();
    };
    let line_start = line.as_ptr() as usize - text.as_ptr() as usize;
    let content = line.trim_end_matches(['\n', '\r']);
    let offset_of = |chars: usize| {
        content
            .char_indices()
            .nth(chars)
            .map_or(content.len(), |(i, _)| i)
    };
    let start = offset_of(span.col.saturating_sub(1));
    let end = offset_of(span.col.saturating_sub(1) + span.len).max(start);
    line_start + start..line_start + end
}

/// One GitHub Actions workflow command for a diagnostic.
pub fn github_annotation(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    format!(
        "::{level} file={},line={},col={},endColumn={},title={}::{}",
        escape_property(&display_path(&d.path)),
        d.span.line,
        d.span.col,
        d.span.col + d.span.len,
        escape_property(&format!("mkn {}", d.code)),
        escape_data(&message)
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Prints a fatal error (and its hint) to standard error.
pub fn report_error(error: &Error, color: bool) {
    let mut err = io::stderr().lock();
    let (red, bold, reset) = if color {
        ("\x1b[1;31m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let _ = writeln!(err, "{red}error{reset}{bold}: {error}{reset}");
    if let Some(hint) = error.hint() {
        let _ = writeln!(err, "  help: {hint}");
    }
}

/// Index progress on standard error: a bar for long builds on a terminal, and
/// a line when waiting for another process.
pub struct TerminalProgress {
    enabled: bool,
    bar: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl TerminalProgress {
    /// Shows a bar only when standard error is a terminal.
    pub fn new() -> TerminalProgress {
        TerminalProgress {
            enabled: io::stderr().is_terminal(),
            bar: std::sync::OnceLock::new(),
        }
    }
}

impl Default for TerminalProgress {
    fn default() -> Self {
        TerminalProgress::new()
    }
}

impl crate::index::Progress for TerminalProgress {
    fn start(&self, total: usize) {
        if self.enabled && total >= 500 {
            let bar = indicatif::ProgressBar::new(total as u64).with_style(
                indicatif::ProgressStyle::with_template(
                    "indexing {bar:40} {pos}/{len} documents ({eta} left)",
                )
                .expect("a valid template"),
            );
            let _ = self.bar.set(bar);
        }
    }

    fn advance(&self) {
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }

    fn waiting(&self) {
        eprintln!("waiting for another mkn process to finish updating the index…");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn byte_ranges_count_characters() {
        let text = "---\ntitle: Café x\n";
        let range = byte_range(
            text,
            Span {
                line: 2,
                col: 8,
                len: 4,
            },
        );
        assert_eq!(&text[range], "Café");
        let past_end = byte_range(
            text,
            Span {
                line: 2,
                col: 8,
                len: 100,
            },
        );
        assert_eq!(&text[past_end], "Café x");
    }

    #[test]
    fn github_annotations_are_escaped() {
        let d = Diagnostic::error(
            &PathBuf::from("practices/a,b.md"),
            Span {
                line: 3,
                col: 5,
                len: 2,
            },
            "ref/area",
            "50% off: bad\nvalue",
        )
        .with_hint("fix it");
        assert_eq!(
            github_annotation(&d),
            "::error file=practices/a%2Cb.md,line=3,col=5,endColumn=7,title=mkn ref/area::50%25 off: bad%0Avalue%0Ahelp: fix it"
        );
    }
}
