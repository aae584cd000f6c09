//! The filter stage between the checks and the printer: the settings
//! (severity overrides, ignores, `--select`), per-path ignores, inline
//! suppressions and, for `mkn check`, the baseline, in that order, counting
//! what each held back.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::corpus::suppress::{Reach, Suppression};
use crate::diagnostic::Diagnostic;
use crate::rules::{self, RuleSettings};

/// How many findings the filter stage held back, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Held {
    /// Ignored by `[check]`, `--ignore` or `--select`.
    pub ignored: usize,
    /// Ignored by `[check.per-path]`.
    pub per_path: usize,
    /// Suppressed by a comment in the document.
    pub suppressed: usize,
    /// Accepted by the baseline.
    pub baselined: usize,
}

impl Held {
    /// The total held back.
    pub fn total(&self) -> usize {
        self.ignored + self.per_path + self.suppressed + self.baselined
    }
}

/// Applies the settings to one finding: `None` when they hold it back.
fn configure(settings: &RuleSettings, mut d: Diagnostic, held: &mut Held) -> Option<Diagnostic> {
    debug_assert!(
        rules::lookup(&d.code).is_some(),
        "`{}` is reported but is not in the rule table (src/rules.rs)",
        d.code
    );
    let Some(severity) = settings.severity(&d.code, d.severity) else {
        held.ignored += 1;
        return None;
    };
    if settings.ignored_at(&d.path, &d.code) {
        held.per_path += 1;
        return None;
    }
    d.severity = severity;
    Some(d)
}

/// Whether some rule `selector` covers is reported in the file at `path`: a
/// suppression of rules the settings turn off there cannot be judged unused.
fn runs_here(settings: &RuleSettings, path: &Path, selector: &str) -> bool {
    rules::RULES.iter().any(|r| {
        rules::selects(selector, r.code)
            && settings.severity(r.code, r.severity).is_some()
            && !settings.ignored_at(path, r.code)
    })
}

/// Applies the settings, then the suppressions (by file), to `diagnostics`;
/// then reports, for files where `covered` is true, the suppressions that
/// held nothing back although their rules run, and those naming no rule
/// (themselves under the settings).
pub(crate) fn apply(
    settings: &RuleSettings,
    diagnostics: Vec<Diagnostic>,
    suppressions: &HashMap<&Path, &[Suppression]>,
    covered: impl Fn(&Path) -> bool,
    held: &mut Held,
) -> Vec<Diagnostic> {
    let mut used: HashMap<&Path, Vec<bool>> = suppressions
        .iter()
        .map(|(path, list)| (*path, vec![false; list.len()]))
        .collect();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let Some(d) = configure(settings, d, held) else {
            continue;
        };
        let matching = suppressions.get(d.path.as_path()).and_then(|list| {
            list.iter().position(|s| {
                (s.reach == Reach::File || s.reach == Reach::Line(d.span.line))
                    && rules::is_known_selector(&s.code)
                    && rules::selects(&s.code, &d.code)
            })
        });
        match matching {
            Some(at) => {
                held.suppressed += 1;
                if let Some(flags) = used.get_mut(d.path.as_path()) {
                    flags[at] = true;
                }
            }
            None => kept.push(d),
        }
    }
    for (path, list) in suppressions {
        if !covered(path) {
            continue;
        }
        for (s, &was_used) in list.iter().zip(&used[path]) {
            let keyword = match s.reach {
                Reach::File => "mkn-ignore-file",
                Reach::Line(_) => "mkn-ignore",
            };
            let finding = if let Err(e) = rules::check_selector(&s.code) {
                Diagnostic::warning(path, s.span, "check/unknown-rule", e.message)
                    .with_hint_opt(e.hint)
            } else if !was_used && runs_here(settings, path, &s.code) {
                Diagnostic::warning(
                    path,
                    s.span,
                    "check/unused-suppression",
                    format!("`{keyword} {}` suppresses nothing", s.code),
                )
                .with_hint(match s.reach {
                    Reach::File => "remove it: no finding in this file has that code",
                    Reach::Line(line) if line == s.span.line => {
                        "remove it: this line has no finding with that code"
                    }
                    Reach::Line(_) => "remove it: the line after it has no finding with that code",
                })
            } else {
                continue;
            };
            kept.extend(configure(settings, finding, held));
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;
    use crate::diagnostic::{Severity, line_span};

    fn suppression(code: &str, reach: Reach, line: usize) -> Suppression {
        Suppression {
            code: code.into(),
            reach,
            span: Span {
                line,
                col: 17,
                len: code.len(),
            },
        }
    }

    #[test]
    fn settings_then_suppressions_then_the_unused_ones() {
        let path = Path::new("docs/a.md");
        let settings = RuleSettings::new(
            vec!["yaml".into()],
            vec!["ref/link".into()],
            Vec::new(),
            Vec::new(),
            None,
        );
        let found = vec![
            Diagnostic::warning(path, line_span(2), "yaml/implicit-type", "3.10"),
            Diagnostic::error(path, line_span(5), "ref/link", "gone"),
            Diagnostic::error(path, line_span(7), "ref/link", "gone too"),
            Diagnostic::error(path, line_span(9), "schema/required", "missing"),
        ];
        let list = [
            suppression("ref/link", Reach::Line(5), 4),
            suppression("schema", Reach::Line(3), 2),
            suppression("yaml", Reach::File, 10),
        ];
        let suppressions = HashMap::from([(path, &list[..])]);
        let mut held = Held::default();
        let kept = apply(&settings, found, &suppressions, |_| true, &mut held);
        let shown: Vec<(usize, &str, Severity)> = kept
            .iter()
            .map(|d| (d.span.line, d.code.as_str(), d.severity))
            .collect();
        assert_eq!(
            shown,
            [
                (7, "ref/link", Severity::Warning),
                (9, "schema/required", Severity::Error),
                (2, "check/unused-suppression", Severity::Warning),
            ],
            "`yaml` is off, so its suppression is not judged"
        );
        assert_eq!(
            held,
            Held {
                ignored: 1,
                per_path: 0,
                suppressed: 1,
                baselined: 0
            }
        );
    }
}
