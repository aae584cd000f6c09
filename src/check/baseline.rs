//! The baseline: findings accepted as they are today, so `mkn check` fails
//! only on new ones.
//!
//! A JSON file, sorted and stable so its diff can be reviewed, with one entry
//! per file, code and message (and how many times that occurs), never a line
//! number: an edit above a problem does not bring it back.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Span;
use crate::error::Error;

/// The file format's version, written first.
const VERSION: u32 = 1;

/// The baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version (1).
    pub version: u32,
    /// Accepted findings, sorted by path, code and message.
    pub entries: Vec<Entry>,
}

/// Findings accepted in one file under one code with one message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// File relative to the corpus root, with `/` between folders.
    pub path: String,
    /// Rule code.
    pub code: String,
    /// The finding's message.
    pub message: String,
    /// How many times it occurs in that file.
    pub count: usize,
}

type Key = (String, String, String);

fn key(d: &Diagnostic) -> Key {
    (slashed(&d.path), d.code.clone(), d.message.clone())
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl Baseline {
    /// A baseline that accepts `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Baseline {
        let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
        for d in diagnostics {
            *counts.entry(key(d)).or_default() += 1;
        }
        Baseline {
            version: VERSION,
            entries: counts
                .into_iter()
                .map(|((path, code, message), count)| Entry {
                    path,
                    code,
                    message,
                    count,
                })
                .collect(),
        }
    }

    /// Reads the baseline at `rel` in `root`; `None` when there is no file.
    pub fn load(root: &Path, rel: &Path) -> Result<Option<Baseline>, Error> {
        let path = root.join(rel);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            let span = Span {
                line: e.line().max(1),
                col: e.column().max(1),
                len: 1,
            };
            Error::Invalid(Box::new(
                Diagnostic::error(rel, span, "config/invalid", format!("baseline: {e}"))
                    .with_hint("write it again with `mkn check --write-baseline`"),
            ))
        })?;
        if baseline.version != VERSION {
            return Err(Error::Invalid(Box::new(
                Diagnostic::error(
                    rel,
                    Span {
                        line: 1,
                        col: 1,
                        len: 1,
                    },
                    "config/invalid",
                    format!(
                        "baseline version {} is not {VERSION}, the version this mkn reads",
                        baseline.version
                    ),
                )
                .with_hint("write it again with `mkn check --write-baseline`"),
            )));
        }
        Ok(Some(baseline))
    }

    /// Writes the baseline to `rel` in `root` as pretty JSON, whole or not at
    /// all, creating its folder if need be.
    pub fn write(&self, root: &Path, rel: &Path) -> Result<(), Error> {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::from)?;
        text.push('\n');
        crate::export::write_whole(&path, text.as_bytes())
    }

    /// Takes the findings the baseline accepts out of `diagnostics`: returns
    /// how many it held back, and its entries (with the count left over) that
    /// no longer occur among files for which `covered` is true.
    pub fn hold_back(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        covered: impl Fn(&Path) -> bool,
    ) -> (usize, Vec<Entry>) {
        let mut left: BTreeMap<Key, usize> = self
            .entries
            .iter()
            .map(|e| ((e.path.clone(), e.code.clone(), e.message.clone()), e.count))
            .collect();
        let before = diagnostics.len();
        diagnostics.retain(|d| match left.get_mut(&key(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        let stale = left
            .into_iter()
            .filter(|((path, _, _), n)| *n > 0 && covered(Path::new(path)))
            .map(|((path, code, message), count)| Entry {
                path,
                code,
                message,
                count,
            })
            .collect();
        (before - diagnostics.len(), stale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::line_span;

    fn finding(path: &str, line: usize, code: &str, message: &str) -> Diagnostic {
        Diagnostic::error(Path::new(path), line_span(line), code, message)
    }

    #[test]
    fn counts_repeats_and_ignores_lines() {
        let today = [
            finding("b.md", 3, "ref/link", "x"),
            finding("a.md", 9, "ref/link", "x"),
            finding("a.md", 2, "ref/link", "x"),
        ];
        let baseline = Baseline::of(&today);
        assert_eq!(
            baseline
                .entries
                .iter()
                .map(|e| (e.path.as_str(), e.count))
                .collect::<Vec<_>>(),
            [("a.md", 2), ("b.md", 1)]
        );
        let mut later = vec![
            finding("a.md", 40, "ref/link", "x"),
            finding("a.md", 41, "ref/link", "new"),
        ];
        let (held, stale) = baseline.hold_back(&mut later, |_| true);
        assert_eq!(held, 1);
        assert_eq!(later, [finding("a.md", 41, "ref/link", "new")]);
        assert_eq!(
            stale
                .iter()
                .map(|e| (e.path.as_str(), e.count))
                .collect::<Vec<_>>(),
            [("a.md", 1), ("b.md", 1)]
        );
    }
}
