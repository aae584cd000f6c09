//! Diagnostics as data: what is wrong, where in which file, under which rule.
//!
//! Every problem `mkn` finds in a corpus becomes a [`Diagnostic`]; the corpus
//! loader and the checks produce them and `output` renders them. Nothing here
//! prints.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A position in the file: 1-based line, 1-based column (in characters),
/// and the length in characters of the token there (at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Span {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column, counted in characters.
    #[serde(rename = "column")]
    pub col: usize,
    /// Length of the token in characters, for underlining.
    #[serde(rename = "length")]
    pub len: usize,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the check.
    Error,
    /// Reported; fails the check only with `--deny-warnings`.
    Warning,
}

/// A second place a diagnostic refers to, such as the first of two duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// File, relative to the corpus root.
    pub path: PathBuf,
    /// Position in that file.
    #[serde(flatten)]
    pub span: Span,
    /// What this place is.
    pub message: String,
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// File, relative to the corpus root.
    pub path: PathBuf,
    /// Position of the offending key or value.
    #[serde(flatten)]
    pub span: Span,
    /// Error or warning.
    pub severity: Severity,
    /// Stable rule code, such as `ref/municipality`.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where that helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Other places involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// An error at `span` in `path`.
    pub fn error(
        path: &Path,
        span: Span,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            span,
            severity: Severity::Error,
            code: code.into(),
            message: message.into(),
            hint: None,
            related: Vec::new(),
        }
    }

    /// A warning at `span` in `path`.
    pub fn warning(
        path: &Path,
        span: Span,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, span, code, message)
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint.or(self.hint);
        self
    }

    /// Adds a related place.
    pub fn with_related(mut self, path: &Path, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            path: path.to_path_buf(),
            span,
            message: message.into(),
        });
        self
    }

    /// The sort key that gives reports a stable order.
    pub fn sort_key(&self) -> (&Path, usize, usize, &str, &str) {
        (
            &self.path,
            self.span.line,
            self.span.col,
            &self.code,
            &self.message,
        )
    }
}

/// A span at the start of a line, for findings about a whole line or file.
pub fn line_span(line: usize) -> Span {
    Span {
        line,
        col: 1,
        len: 1,
    }
}

/// The line, column and length of a byte range in `text`.
pub fn span_at(text: &str, offset: usize, len: usize) -> Span {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Span {
        line,
        col: text[line_start..offset].chars().count() + 1,
        len: len.max(1),
    }
}

/// The closest candidate to `value`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let value_lower = value.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&value_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Up to `n` candidates close to an id, closest first: a likely typo
/// (by edit distance), one that begins with it, or one with words
/// in common (`-`-separated: `guelph-brine-pre-wetting` finds
/// `peel-anti-icing-brine-program`), the closest spelling first among equals.
pub fn closest_ids<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let value = value.to_lowercase();
    let words: BTreeSet<&str> = value.split('-').filter(|w| !w.is_empty()).collect();
    let mut scored: Vec<(f64, f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let edit = strsim::normalized_damerau_levenshtein(&value, &lower);
            let shared = lower.split('-').filter(|w| words.contains(w)).count();
            let overlap = shared as f64 / words.len().max(1) as f64;
            let score = if edit >= 0.6 {
                edit
            } else if lower.starts_with(&value) {
                0.6
            } else {
                overlap
            };
            (score >= 0.25).then_some((score, edit, c))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| b.1.total_cmp(&a.1))
            .then_with(|| a.2.cmp(b.2))
    });
    scored.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// `; did you mean ...?` naming up to three [`closest_ids`], or nothing, to
/// follow the message about an unknown id.
pub fn closest_ids_hint<'a>(value: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match closest_ids(value, candidates, 3).as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean `{one}`?"),
        many => format!(
            "; did you mean one of {}?",
            many.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The hint for an unknown id: "did you mean `x`?" when one is close.
pub fn suggestion<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(value, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_ids_share_words_or_letters() {
        let ids = [
            "peel-anti-icing-brine-program",
            "pembroke-pre-treated-road-salt",
            "toronto-library-wifi",
        ];
        let close = closest_ids("guelph-brine-pre-wetting", ids, 3);
        assert_eq!(close.len(), 2);
        assert!(close.contains(&"peel-anti-icing-brine-program"));
        assert!(close.contains(&"pembroke-pre-treated-road-salt"));
        assert_eq!(
            closest_ids("peel-anti", ids, 3),
            ["peel-anti-icing-brine-program"]
        );
        assert_eq!(
            closest_ids("toronto-libary-wifi", ids, 1),
            ["toronto-library-wifi"]
        );
        assert!(closest_ids("zzz", ids, 3).is_empty());
    }

    #[test]
    fn span_at_counts_lines_and_characters() {
        let text = "a = 1\nname = é\"x\n";
        let span = span_at(text, text.find('"').unwrap(), 1);
        assert_eq!((span.line, span.col), (2, 9));
    }

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["guelph", "greater-sudbury", "hamilton"];
        assert_eq!(did_you_mean("guleph", ids), Some("guelph"));
        assert_eq!(did_you_mean("greater-sudbry", ids), Some("greater-sudbury"));
        assert_eq!(did_you_mean("toronto", ids), None);
    }
}
