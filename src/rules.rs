//! The rule table: every diagnostic code `mkn` emits, with its default
//! severity and one line of what it finds.
//!
//! Every check names its code here. `mkn rules` prints this table, `mkn.toml`'s
//! `[check]` settings and inline suppressions are validated against it, and the
//! filter stage (`check::filter`) asserts in debug builds that nothing outside
//! it is reported. A new code is one new line in [`RULES`].

use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};
use serde::Serialize;

use crate::diagnostic::Severity;

/// One rule: a stable code, how serious its findings are unless configured
/// otherwise, and what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable code, `group/name`, such as `ref/link`.
    pub code: &'static str,
    /// Severity unless `mkn.toml` says otherwise.
    #[serde(rename = "default_severity")]
    pub severity: Severity,
    /// One line of what it finds.
    pub summary: &'static str,
}

const fn error(code: &'static str, summary: &'static str) -> Rule {
    Rule {
        code,
        severity: Severity::Error,
        summary,
    }
}

const fn warning(code: &'static str, summary: &'static str) -> Rule {
    Rule {
        code,
        severity: Severity::Warning,
        summary,
    }
}

/// Every rule, sorted by code.
pub const RULES: &[Rule] = &[
    warning(
        "check/unknown-rule",
        "a suppression comment names a code that is not a rule",
    ),
    warning(
        "check/unused-suppression",
        "a suppression comment that suppresses nothing",
    ),
    warning(
        "config/facet",
        "a facet named in `mkn.toml` that no exported document has (`mkn export --format site`)",
    ),
    error(
        "config/invalid",
        "`mkn.toml` cannot be read or names something that does not exist",
    ),
    error(
        "config/schema",
        "a collection's JSON Schema cannot be read or compiled",
    ),
    error("config/vocabulary", "a vocabulary file cannot be read"),
    error(
        "data/columns",
        "a row of reported values with more or fewer fields than the header",
    ),
    error("data/csv", "a reported-values file that is not valid CSV"),
    error(
        "data/duplicate",
        "two values for one municipality, measure and year",
    ),
    error("data/empty", "an empty reported-values file"),
    error(
        "data/missing-column",
        "a reported-values header without a required column",
    ),
    error(
        "data/number",
        "a reported value that is not a plain number (`1,234`, `12%`, `NaN`)",
    ),
    error(
        "data/ratio",
        "a value that does not equal its numerator divided by its denominator",
    ),
    error("data/year", "a reported year before 1990 or in the future"),
    warning(
        "evidence/mismatch",
        "an evidence figure that differs from the reported value for that municipality, measure and year",
    ),
    error("evidence/missing", "a `best` practice without evidence"),
    error(
        "evidence/no-direction",
        "evidence on a measure whose better direction is unknown",
    ),
    error(
        "evidence/not-improved",
        "a result that did not move in the measure's better direction",
    ),
    error(
        "evidence/years",
        "a result year that is not after the baseline year",
    ),
    error("file/binary", "a file that holds binary data"),
    warning("file/bom", "a file that starts with a byte-order mark"),
    error("file/empty", "an empty file"),
    error("file/encoding", "a file that is not valid UTF-8"),
    error(
        "file/not-a-file",
        "a path matched as a document that is not a regular file",
    ),
    error(
        "file/symlink-loop",
        "a symbolic link that leads back to itself",
    ),
    error(
        "file/too-large",
        "a file over the size limit (`max_file_size`, 1 MiB unless set)",
    ),
    error("file/unreadable", "a file that cannot be read"),
    error(
        "front-matter/format",
        "front matter in another format than its collection's `front_matter`",
    ),
    error(
        "front-matter/leading-blank",
        "blank lines before the opening `---`, `+++` or `{`",
    ),
    error(
        "front-matter/missing",
        "a document without front matter (`---` YAML, `+++` TOML or a `{` JSON object)",
    ),
    error(
        "front-matter/unterminated",
        "front matter whose closing `---` or `+++` is missing",
    ),
    error(
        "id/duplicate",
        "two documents of one collection with the same id",
    ),
    error("json/duplicate-key", "a key given twice in one JSON object"),
    error(
        "json/syntax",
        "JSON front matter that is not valid JSON (RFC 8259)",
    ),
    error("json/too-deep", "JSON nested deeper than 64 levels"),
    error(
        "practice/file-name",
        "a practice whose id differs from its file name",
    ),
    error(
        "practice/folder",
        "a practice whose first service area is not its folder",
    ),
    error(
        "practice/no-place",
        "a practice that names no municipality (nor a place `elsewhere`)",
    ),
    error(
        "practice/section",
        "a practice without a required section (Challenge, Approach, Results, Lessons learned)",
    ),
    error(
        "profile/duplicate-entry",
        "a product listed twice for one business function",
    ),
    error(
        "profile/file-name",
        "a technology profile not named after its municipality",
    ),
    error("profile/since-future", "a `since` year after this year"),
    warning(
        "ref/anchor",
        "a link to a `#fragment` that is not a heading or anchor of its target",
    ),
    error("ref/area", "a service area that is not in the vocabulary"),
    error(
        "ref/document",
        "a declared cross-collection reference to an id that does not exist",
    ),
    error(
        "ref/function",
        "a business function that is not in the vocabulary",
    ),
    error(
        "ref/link",
        "a relative link in the body to a file that does not exist",
    ),
    warning(
        "ref/link-case",
        "a relative link whose target exists only in another letter case",
    ),
    error("ref/measure", "a measure that is not in the vocabulary"),
    error(
        "ref/municipality",
        "a municipality that is not in the registry",
    ),
    error("ref/related", "a related practice that does not exist"),
    error(
        "ref/source-index",
        "a `source: N` past the end of the document's sources",
    ),
    error("schema/$ref", "a schema `$ref` that cannot be resolved"),
    error(
        "schema/additional-items",
        "more array items than the schema allows (`additionalItems`)",
    ),
    error(
        "schema/additional-properties",
        "a key the schema does not allow (`additionalProperties`)",
    ),
    error(
        "schema/any-of",
        "a value that matches none of the alternatives (`anyOf`)",
    ),
    error("schema/const", "a value other than the schema's `const`"),
    error(
        "schema/contains",
        "a list without an item the schema requires (`contains`)",
    ),
    error(
        "schema/content-encoding",
        "a string not in the schema's `contentEncoding`",
    ),
    error(
        "schema/content-media-type",
        "a string not of the schema's `contentMediaType`",
    ),
    error(
        "schema/enum",
        "a value that is not one of the schema's `enum`",
    ),
    error(
        "schema/exclusive-maximum",
        "a number at or above `exclusiveMaximum`",
    ),
    error(
        "schema/exclusive-minimum",
        "a number at or below `exclusiveMinimum`",
    ),
    error(
        "schema/false-schema",
        "a value where the schema allows none (`false`)",
    ),
    error(
        "schema/format",
        "a string not in the schema's `format` (date, email, uri, ...)",
    ),
    error("schema/max-items", "a list longer than `maxItems`"),
    error("schema/max-length", "a string longer than `maxLength`"),
    error(
        "schema/max-properties",
        "a mapping with more keys than `maxProperties`",
    ),
    error("schema/maximum", "a number above `maximum`"),
    error("schema/min-items", "a list shorter than `minItems`"),
    error("schema/min-length", "a string shorter than `minLength`"),
    error(
        "schema/min-properties",
        "a mapping with fewer keys than `minProperties`",
    ),
    error("schema/minimum", "a number below `minimum`"),
    error(
        "schema/multiple-of",
        "a number that is not a multiple of `multipleOf`",
    ),
    error("schema/not", "a value the schema's `not` excludes"),
    error(
        "schema/one-of",
        "a value that matches none, or more than one, of the alternatives (`oneOf`)",
    ),
    error(
        "schema/pattern",
        "a string that does not match the schema's `pattern`",
    ),
    error(
        "schema/property-names",
        "a key whose name the schema's `propertyNames` rejects",
    ),
    error("schema/required", "a required key that is missing"),
    error(
        "schema/type",
        "a value of the wrong type (a list where a string is wanted, ...)",
    ),
    error(
        "schema/unevaluated-items",
        "list items no part of the schema accounts for (`unevaluatedItems`)",
    ),
    error(
        "schema/unevaluated-properties",
        "keys no part of the schema accounts for (`unevaluatedProperties`)",
    ),
    error(
        "schema/unique-items",
        "a list with the same item twice (`uniqueItems`)",
    ),
    warning("source/duplicate", "the same source listed twice"),
    warning("source/no-url", "a source without a `url`"),
    warning("style/summary-length", "a summary over 500 characters"),
    error(
        "toml/duplicate-key",
        "a key or table given twice in TOML front matter",
    ),
    error("toml/syntax", "TOML front matter that is not valid TOML"),
    error("toml/too-deep", "TOML nested deeper than 64 levels"),
    warning(
        "vendor/spelling",
        "one vendor spelled two ways across the corpus (`ESRI`, `Esri`)",
    ),
    error(
        "yaml/alias-limit",
        "YAML aliases expanding past 50,000 values (billion laughs)",
    ),
    error("yaml/duplicate-key", "a key given twice in one mapping"),
    warning(
        "yaml/implicit-type",
        "an unquoted value that reads differently than it looks (`3.10`, `no`, `0755`)",
    ),
    error("yaml/syntax", "front matter that is not valid YAML 1.2"),
    error("yaml/too-deep", "YAML nested deeper than 64 levels"),
];

/// The rule with this exact code.
pub fn lookup(code: &str) -> Option<&'static Rule> {
    RULES
        .binary_search_by(|r| r.code.cmp(code))
        .ok()
        .map(|i| &RULES[i])
}

/// Whether `selector` (a code, a group such as `yaml`, or a prefix ending in
/// `/` such as `schema/`) covers `code`.
pub fn selects(selector: &str, code: &str) -> bool {
    let selector = selector.strip_suffix('/').unwrap_or(selector);
    code == selector
        || code
            .strip_prefix(selector)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether `selector` covers at least one rule.
pub fn is_known_selector(selector: &str) -> bool {
    !selector.is_empty() && RULES.iter().any(|r| selects(selector, r.code))
}

/// Every code and every group, the candidates for "did you mean".
pub fn selector_names() -> impl Iterator<Item = &'static str> {
    RULES
        .iter()
        .flat_map(|r| [r.code, r.code.split('/').next().unwrap_or(r.code)])
}

/// What to report, resolved once from `mkn.toml`'s `[check]` and the
/// command line: each check's findings pass through [`RuleSettings::severity`]
/// and [`RuleSettings::ignored_at`], and no check reads the settings itself.
///
/// Where several selectors cover one code, the longest wins (`yaml/syntax`
/// over `yaml`); on a tie, `ignore` over `error` over `warn`. `--ignore` on
/// the command line wins over everything; `--select` reports only the codes it
/// names, whatever the file ignores.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    ignore: Vec<String>,
    warn: Vec<String>,
    error: Vec<String>,
    per_path: Vec<(GlobSet, Vec<String>)>,
    /// `--ignore` on the command line.
    forced_ignore: Vec<String>,
    /// `--select` on the command line: only these, when set.
    select: Option<Vec<String>>,
    /// Where the baseline is kept, relative to the corpus root.
    pub baseline: PathBuf,
}

/// The baseline's path when `[check] baseline` is not set: beside `mkn.toml`,
/// since `.mkn/` is the index's ignored state and a baseline is committed.
pub const DEFAULT_BASELINE: &str = "mkn-baseline.json";

/// Why a selector or glob was refused, for the caller to place in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    /// What is wrong.
    pub message: String,
    /// "did you mean", when a rule is close.
    pub hint: Option<String>,
}

/// Checks that `selector` names a rule or a group of rules.
pub fn check_selector(selector: &str) -> Result<(), SelectorError> {
    if is_known_selector(selector) {
        return Ok(());
    }
    Err(SelectorError {
        message: format!("`{selector}` is not a rule code or a group of rules"),
        hint: crate::diagnostic::suggestion(selector, selector_names())
            .or_else(|| Some("`mkn rules` lists every rule".to_string())),
    })
}

/// Compiles a `[check.per-path]` glob, relative to the corpus root, as
/// `.gitignore` reads it ([`crate::glob::gitignore`]); as there, a pattern
/// that names a folder also covers everything in it.
pub fn compile_path_glob(pattern: &str) -> Result<GlobSet, SelectorError> {
    let folder = format!("{}/", pattern.trim_end_matches('/'));
    let mut set = GlobSetBuilder::new();
    for glob in [pattern, folder.as_str()] {
        let glob = crate::glob::gitignore(glob).map_err(|e| SelectorError {
            message: format!("`{pattern}` is not a valid glob: {}", e.kind()),
            hint: None,
        })?;
        set.add(glob);
    }
    set.build().map_err(|e| SelectorError {
        message: format!("`{pattern}` is not a valid glob: {e}"),
        hint: None,
    })
}

impl RuleSettings {
    /// Settings from `[check]`'s lists (already checked with
    /// [`check_selector`]), compiled per-path globs and the baseline path.
    pub fn new(
        ignore: Vec<String>,
        warn: Vec<String>,
        error: Vec<String>,
        per_path: Vec<(GlobSet, Vec<String>)>,
        baseline: Option<PathBuf>,
    ) -> RuleSettings {
        RuleSettings {
            ignore,
            warn,
            error,
            per_path,
            forced_ignore: Vec::new(),
            select: None,
            baseline: baseline.unwrap_or_else(|| PathBuf::from(DEFAULT_BASELINE)),
        }
    }

    /// These settings with the command line's `--ignore` and `--select` on
    /// top; an unknown code is a usage error.
    pub fn with_overrides(
        mut self,
        ignore: &[String],
        select: &[String],
    ) -> Result<RuleSettings, crate::error::Error> {
        for selector in ignore.iter().chain(select) {
            check_selector(selector).map_err(|e| {
                crate::error::Error::Usage(match e.hint {
                    Some(hint) => format!("{}; {hint}", e.message),
                    None => e.message,
                })
            })?;
        }
        self.forced_ignore.extend(ignore.iter().cloned());
        if !select.is_empty() {
            self.select = Some(select.to_vec());
        }
        Ok(self)
    }

    /// The severity `code` is reported with, or `None` when it is ignored
    /// everywhere.
    pub fn severity(&self, code: &str, default: Severity) -> Option<Severity> {
        let covers = |list: &[String]| list.iter().any(|s| selects(s, code));
        if covers(&self.forced_ignore) {
            return None;
        }
        let longest = |list: &[String]| {
            list.iter()
                .filter(|s| selects(s, code))
                .map(|s| s.trim_end_matches('/').len())
                .max()
        };
        let ignore = longest(&self.ignore);
        let error = longest(&self.error);
        let warn = longest(&self.warn);
        let selected = self.select.as_ref().map(|list| covers(list));
        let configured = match (ignore, error, warn) {
            (i, e, w) if i.is_some() && i >= e && i >= w => None,
            (_, e, w) if e.is_some() && e >= w => Some(Severity::Error),
            (_, _, Some(_)) => Some(Severity::Warning),
            _ => Some(default),
        };
        match selected {
            Some(false) => None,
            Some(true) => configured.or(Some(default)),
            None => configured,
        }
    }

    /// Whether `[check.per-path]` ignores `code` in the file at `path`
    /// (relative to the corpus root).
    pub fn ignored_at(&self, path: &Path, code: &str) -> bool {
        self.per_path
            .iter()
            .any(|(globs, list)| list.iter().any(|s| selects(s, code)) && globs.is_match(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_has_no_duplicates() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} must come before {}",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn every_code_in_the_sources_is_registered() {
        // Every quoted `group/name` string in `src/` that looks like a rule
        // code of a known group must be in the table.
        let groups: std::collections::BTreeSet<&str> = RULES
            .iter()
            .map(|r| r.code.split('/').next().unwrap())
            .collect();
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for quoted in text.split('"').skip(1).step_by(2) {
                let Some((group, name)) = quoted.split_once('/') else {
                    continue;
                };
                let looks_like_code = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if looks_like_code
                    && groups.contains(group)
                    && !["data/measures"].contains(&quoted)
                    && lookup(quoted).is_none()
                {
                    missing.push(format!("{}: {quoted}", entry.path().display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "codes not in the rule table: {missing:?}"
        );
    }

    #[test]
    fn selectors_take_codes_groups_and_prefixes() {
        assert!(selects("yaml", "yaml/syntax"));
        assert!(selects("schema/", "schema/required"));
        assert!(selects("ref/link", "ref/link"));
        assert!(!selects("ref/link", "ref/link-case"));
        assert!(!selects("ref/li", "ref/link"));
        assert!(!selects("yam", "yaml/syntax"));
        assert!(is_known_selector("schema/"));
        assert!(!is_known_selector("schema/nope"));
        assert!(!is_known_selector(""));
    }

    fn settings(ignore: &[&str], warn: &[&str], error: &[&str]) -> RuleSettings {
        let own = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        RuleSettings::new(own(ignore), own(warn), own(error), Vec::new(), None)
    }

    #[test]
    fn the_longest_selector_decides() {
        let s = settings(&["yaml"], &["schema/"], &["yaml/implicit-type"]);
        assert_eq!(s.severity("yaml/syntax", Severity::Error), None);
        assert_eq!(
            s.severity("yaml/implicit-type", Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            s.severity("schema/required", Severity::Error),
            Some(Severity::Warning)
        );
        assert_eq!(
            s.severity("ref/link", Severity::Error),
            Some(Severity::Error)
        );
    }

    #[test]
    fn the_command_line_overrides_the_file() {
        let s = settings(&["ref"], &[], &[])
            .with_overrides(
                &["schema/required".into()],
                &["ref/link".into(), "schema".into()],
            )
            .unwrap();
        assert_eq!(
            s.severity("ref/link", Severity::Error),
            Some(Severity::Error)
        );
        assert_eq!(s.severity("schema/required", Severity::Error), None);
        assert_eq!(
            s.severity("schema/enum", Severity::Error),
            Some(Severity::Error)
        );
        assert_eq!(s.severity("yaml/syntax", Severity::Error), None);
        assert!(
            settings(&[], &[], &[])
                .with_overrides(&["ref/lnk".into()], &[])
                .is_err()
        );
    }

    #[test]
    fn path_globs_work_like_gitignore() {
        let globs = compile_path_glob("docs/*.md").unwrap();
        assert!(globs.is_match("docs/a.md"));
        assert!(!globs.is_match("docs/old/a.md"));
        let folder = compile_path_glob("docs/legacy").unwrap();
        assert!(folder.is_match("docs/legacy/x/y.md"));
        let anywhere = compile_path_glob("README.md").unwrap();
        assert!(anywhere.is_match("a/b/README.md"));
        let anchored = compile_path_glob("/README.md").unwrap();
        assert!(!anchored.is_match("a/README.md"));
        assert!(compile_path_glob("docs/[").is_err());
    }
}
