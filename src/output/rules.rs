//! `mkn rules`: the rule table as aligned columns or JSON.

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::error::Error;
use crate::rules::Rule;

/// How `mkn rules` prints the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RulesFormat {
    /// Aligned columns: code, default severity, what it finds.
    #[default]
    Table,
    /// One JSON array of `{code, default_severity, summary}`.
    Json,
}

/// Writes `rules` in `format`: a table of code, default severity and what
/// each finds, or a JSON array of `{code, default_severity, summary}`.
pub fn write_rules(w: &mut dyn Write, rules: &[Rule], format: RulesFormat) -> Result<(), Error> {
    match format {
        RulesFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, rules).map_err(io::Error::from)?;
            writeln!(w)?;
        }
        RulesFormat::Table => {
            let width = rules.iter().map(|r| r.code.len()).max().unwrap_or(4);
            writeln!(w, "{:width$}  {:8}  finds", "code", "default")?;
            for rule in rules {
                let severity = match rule.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                writeln!(w, "{:width$}  {severity:8}  {}", rule.code, rule.summary)?;
            }
        }
    }
    Ok(())
}
