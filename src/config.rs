//! `mkn.toml`: the corpus settings, and finding the corpus root.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Span;
use crate::diagnostic::{Diagnostic, span_at};
use crate::error::Error;
use crate::rules::{self, RuleSettings};

/// The settings file's name.
pub const CONFIG_FILE: &str = "mkn.toml";

/// The built-in domain rules a collection can opt into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Practices: evidence, sections, references to areas, municipalities, measures.
    Practice,
    /// Technology profiles: one municipality's stack.
    Profile,
}

/// One collection: a folder of front-matter documents with one schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// The collection's name (its key in `mkn.toml`).
    #[serde(skip)]
    pub name: String,
    /// Folder relative to the corpus root.
    pub path: PathBuf,
    /// Globs inside the folder of the files that belong to it.
    #[serde(default = "default_include")]
    pub include: Vec<String>,
    /// Globs inside the folder of files to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// JSON Schema of the front matter, relative to the corpus root.
    pub schema: Option<PathBuf>,
    /// Built-in domain rules, if any.
    pub kind: Option<Kind>,
    /// Keys whose values must be ids of documents in another collection.
    #[serde(default)]
    pub references: BTreeMap<String, String>,
    /// Top-level keys the web portal's search filters on (`facets = ["category",
    /// "tags"]`); when no collection names any, the portal picks them.
    #[serde(default)]
    pub facets: Vec<String>,
    /// The front-matter format its documents must use.
    #[serde(default)]
    pub front_matter: FrontMatter,
}

/// `front_matter = ...` of a collection: which format its documents use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatter {
    /// Any of the three, told apart by the file's first byte.
    #[default]
    Any,
    /// YAML between `---` lines.
    Yaml,
    /// TOML between `+++` lines.
    Toml,
    /// A JSON object at the top of the file.
    Json,
}

fn default_include() -> Vec<String> {
    vec!["**/*.md".into()]
}

/// Paths of the vocabularies, relative to the corpus root.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyPaths {
    /// Service areas (YAML list with `id`).
    pub areas: Option<PathBuf>,
    /// Municipality registry (CSV).
    pub municipalities: Option<PathBuf>,
    /// Performance measures (YAML list with `id`, `better`).
    pub measures: Option<PathBuf>,
    /// Business functions (YAML list with `id`).
    pub functions: Option<PathBuf>,
    /// Synonyms and spellings a query also searches for (YAML list of groups).
    pub synonyms: Option<PathBuf>,
}

impl VocabularyPaths {
    /// The vocabulary files the settings name.
    pub fn files(&self) -> impl Iterator<Item = &PathBuf> {
        [
            &self.areas,
            &self.municipalities,
            &self.measures,
            &self.functions,
            &self.synonyms,
        ]
        .into_iter()
        .flatten()
    }
}

/// Folders of data files, relative to the corpus root (`[data]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataPaths {
    /// Reported measure values, `*.csv` (default `data/measures`).
    #[serde(default = "default_measures_folder")]
    pub measures: PathBuf,
}

impl Default for DataPaths {
    fn default() -> Self {
        DataPaths {
            measures: default_measures_folder(),
        }
    }
}

fn default_measures_folder() -> PathBuf {
    PathBuf::from("data/measures")
}

/// The parsed `mkn.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The corpus's display name.
    pub name: String,
    /// Collections by name, in name order.
    #[serde(default)]
    pub collections: BTreeMap<String, Collection>,
    /// Vocabulary files.
    #[serde(default)]
    pub vocabularies: VocabularyPaths,
    /// Data folders.
    #[serde(default)]
    pub data: DataPaths,
    /// Settings of the static site (`[site]`).
    #[serde(default)]
    pub site: SiteSettings,
    /// Settings of the search index (`[index]`).
    #[serde(default)]
    pub index: IndexSettings,
    /// Which rules to report, and how (`[check]`), as written.
    #[serde(default)]
    pub check: CheckSettings,
    /// `[check]` resolved: what the filter stage applies.
    #[serde(skip)]
    pub rules: RuleSettings,
    /// Files larger than this many bytes are not read (`max_file_size`).
    #[serde(default = "default_max_file_size")]
    pub max_file_size: u64,
    /// The text of `mkn.toml`, to place an error at the setting it is about.
    #[serde(skip)]
    text: String,
}

/// `[check]`: rule codes or groups (`yaml`, `schema/`) to ignore, or to
/// report as warnings or errors, per-path ignores and the baseline's path.
/// Spans are kept so a wrong code is reported at its `mkn.toml` line.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSettings {
    /// Nothing is reported for these.
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// Reported as warnings.
    #[serde(default)]
    pub warn: Vec<Spanned<String>>,
    /// Reported as errors.
    #[serde(default)]
    pub error: Vec<Spanned<String>>,
    /// The baseline file, relative to the corpus root.
    pub baseline: Option<PathBuf>,
    /// Gitignore-style globs (relative to the corpus root) → codes ignored there.
    #[serde(default, rename = "per-path")]
    pub per_path: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

impl CheckSettings {
    /// Checks every code and glob and compiles them; `text` is `mkn.toml`'s
    /// text, to place an error at its line and column.
    fn resolve(&self, text: &str) -> Result<RuleSettings, Error> {
        let invalid = |at: std::ops::Range<usize>, e: rules::SelectorError| {
            let mut d = Diagnostic::error(
                Path::new(CONFIG_FILE),
                span_at(text, at.start, at.len()),
                "config/invalid",
                e.message,
            );
            d.hint = e.hint;
            Error::Invalid(Box::new(d))
        };
        let checked = |list: &[Spanned<String>]| {
            list.iter()
                .map(|s| {
                    rules::check_selector(s.get_ref())
                        .map(|()| s.get_ref().clone())
                        .map_err(|e| invalid(s.span(), e))
                })
                .collect::<Result<Vec<String>, Error>>()
        };
        let mut per_path = Vec::new();
        for (glob, codes) in &self.per_path {
            let set =
                rules::compile_path_glob(glob.get_ref()).map_err(|e| invalid(glob.span(), e))?;
            per_path.push((set, checked(codes)?));
        }
        Ok(RuleSettings::new(
            checked(&self.ignore)?,
            checked(&self.warn)?,
            checked(&self.error)?,
            per_path,
            self.baseline.clone(),
        ))
    }
}

/// The default of `max_file_size`: 1 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

fn default_max_file_size() -> u64 {
    DEFAULT_MAX_FILE_SIZE
}

/// `[index]`: how the search index keeps itself current.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSettings {
    /// When a query starts `mkn index --watch` in the background.
    #[serde(default)]
    pub watch: AutoWatch,
}

/// When a query starts a watcher in the background (`[index] watch`, or the
/// `MKN_WATCH` environment variable, which wins).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoWatch {
    /// Once the corpus holds [`AutoWatch::FROM_DOCUMENTS`] documents or more:
    /// below that, checking the files costs a query only a few milliseconds.
    #[default]
    Auto,
    /// Whatever the corpus's size.
    Always,
    /// Never: every query checks the files itself.
    Never,
}

impl AutoWatch {
    /// The corpus size from which `auto` starts a watcher.
    pub const FROM_DOCUMENTS: usize = 2000;
    /// The environment variable that overrides `[index] watch`.
    pub const VARIABLE: &str = "MKN_WATCH";

    /// The setting in force: `MKN_WATCH` when it is set and not empty,
    /// else `configured`.
    pub fn in_force(configured: AutoWatch) -> Result<AutoWatch, Error> {
        let Some(value) = std::env::var_os(Self::VARIABLE).filter(|v| !v.is_empty()) else {
            return Ok(configured);
        };
        match value.to_str() {
            Some("auto") => Ok(AutoWatch::Auto),
            Some("always") => Ok(AutoWatch::Always),
            Some("never") => Ok(AutoWatch::Never),
            _ => Err(Error::Usage(format!(
                "{} is `{}`; it takes auto, always or never",
                Self::VARIABLE,
                value.to_string_lossy()
            ))),
        }
    }

    /// Whether a corpus of `documents` should have a watcher.
    pub fn wants_watcher(self, documents: usize) -> bool {
        match self {
            AutoWatch::Auto => documents >= Self::FROM_DOCUMENTS,
            AutoWatch::Always => true,
            AutoWatch::Never => false,
        }
    }
}

/// `[site]`: how the exported web portal refers to itself.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSettings {
    /// The address the site is published at (`https://kn.example.org/`): makes
    /// the feed's links and the pages' Open Graph URLs absolute.
    pub base_url: Option<String>,
    /// Where the sources are read, such as
    /// `https://github.com/org/kn/blob/{commit}/{path}`: the pages link
    /// there instead of to copies inside the site.
    pub source_url: Option<String>,
}

impl Config {
    /// Reads and validates `mkn.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Error> {
        let path = root.join(CONFIG_FILE);
        let text = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let span = e
                .span()
                .map(|range| span_at(&text, range.start, range.len()))
                .unwrap_or(Span {
                    line: 1,
                    col: 1,
                    len: 1,
                });
            Error::Invalid(Box::new(Diagnostic::error(
                Path::new(CONFIG_FILE),
                span,
                "config/invalid",
                e.message().to_string(),
            )))
        })?;
        config.rules = config.check.resolve(&text)?;
        config.text = text;
        for (name, collection) in &mut config.collections {
            collection.name = name.clone();
        }
        for collection in config.collections.values() {
            let name = collection.name.as_str();
            for (key, target) in &collection.references {
                if !config.collections.contains_key(target) {
                    return Err(config.invalid_at(
                        &["collections", name, "references", key],
                        format!(
                            "collection `{name}` refers to `{target}`, which is not a collection"
                        ),
                    ));
                }
            }
            if let Some(schema) = &collection.schema
                && !root.join(schema).is_file()
            {
                return Err(config.invalid_at(
                    &["collections", name, "schema"],
                    format!(
                        "collection `{name}`: the schema `{}` does not exist",
                        schema.display()
                    ),
                ));
            }
        }
        let vocabularies = &config.vocabularies;
        for (key, file) in [
            ("areas", &vocabularies.areas),
            ("municipalities", &vocabularies.municipalities),
            ("measures", &vocabularies.measures),
            ("functions", &vocabularies.functions),
        ] {
            if let Some(file) = file
                && !root.join(file).is_file()
            {
                return Err(config.invalid_at(
                    &["vocabularies", key],
                    format!("the vocabulary `{}` does not exist", file.display()),
                ));
            }
        }
        Ok(config)
    }

    /// A `config/invalid` error about the setting at `keys`, such as
    /// `["collections", "docs", "path"]` (a number steps into a list): placed
    /// on its value in `mkn.toml`, or on the nearest table above it that is
    /// written there when the setting is left to its default.
    pub fn invalid_at(&self, keys: &[&str], message: impl Into<String>) -> Error {
        Error::Invalid(Box::new(Diagnostic::error(
            Path::new(CONFIG_FILE),
            locate(&self.text, keys),
            "config/invalid",
            message,
        )))
    }

    /// Where the setting at `keys` stands in `mkn.toml` (see [`Config::invalid_at`]).
    pub fn span_of(&self, keys: &[&str]) -> Span {
        locate(&self.text, keys)
    }

    /// The collections, in name order.
    pub fn collections(&self) -> impl Iterator<Item = &Collection> {
        self.collections.values()
    }

    /// The first collection with the given built-in kind.
    pub fn collection_of_kind(&self, kind: Kind) -> Option<&Collection> {
        self.collections().find(|c| c.kind == Some(kind))
    }
}

/// Where the setting at `keys` stands in the text of `mkn.toml`: see
/// [`Config::invalid_at`]. The first line when nothing of it is written.
fn locate(text: &str, keys: &[&str]) -> Span {
    let mut span = Span {
        line: 1,
        col: 1,
        len: 1,
    };
    let Ok(document) = toml::de::DeTable::parse(text) else {
        return span;
    };
    let mut table = Some(document.get_ref());
    let mut list: Option<&[toml::Spanned<toml::de::DeValue>]> = None;
    for key in keys {
        let found = match (table, list) {
            (Some(table), _) => table.get(*key),
            (None, Some(list)) => key.parse::<usize>().ok().and_then(|i| list.get(i)),
            (None, None) => None,
        };
        let Some(found) = found else { break };
        let range = found.span();
        span = span_at(text, range.start, range.len());
        table = found.get_ref().as_table();
        list = found.get_ref().as_array().map(|a| &a[..]);
    }
    span
}

/// Finds the corpus root: the nearest folder at or above `start` holding `mkn.toml`.
pub fn find_root(start: &Path) -> Result<PathBuf, Error> {
    let start = start.canonicalize().map_err(|e| Error::io(start, e))?;
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or(Error::NoCorpus {
            start: start.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_complete_config() {
        let config: Config = toml::from_str(
            r#"
name = "Test"
[collections.news]
path = "content/news"
exclude = ["drafts/**"]
[collections.news.references]
authors = "people"
[collections.people]
path = "people"
kind = "practice"
[vocabularies]
areas = "a.yaml"
"#,
        )
        .unwrap();
        let news = &config.collections["news"];
        assert_eq!(news.include, ["**/*.md"]);
        assert_eq!(news.references["authors"], "people");
        assert_eq!(config.collections["people"].kind, Some(Kind::Practice));
        assert_eq!(config.max_file_size, DEFAULT_MAX_FILE_SIZE);
    }

    #[test]
    fn settings_are_located_in_the_text() {
        let text =
            "name = \"T\"\n\n[collections.docs]\npath = \"content\"\ninclude = [\"*.md\", \"[\"]\n";
        let at = |keys: &[&str]| {
            let span = locate(text, keys);
            (span.line, span.col)
        };
        assert_eq!(at(&["collections", "docs", "path"]), (4, 8));
        assert_eq!(at(&["collections", "docs", "include", "1"]), (5, 20));
        // Not written: the table it would be in.
        assert_eq!(at(&["collections", "docs", "schema"]).0, 3);
        assert_eq!(at(&["vocabularies", "areas"]), (1, 1));
    }

    #[test]
    fn check_settings_point_at_their_line() {
        let text = "name = \"T\"\n[check]\nignore = [\"yaml\"]\n[check.per-path]\n\"docs/**\" = [\"ref/lnk\"]\n";
        let config: Config = toml::from_str(text).unwrap();
        let Err(Error::Invalid(d)) = config.check.resolve(text) else {
            panic!("an unknown code must be refused");
        };
        assert_eq!((d.span.line, d.span.col), (5, 14));
        assert_eq!(d.hint.as_deref(), Some("did you mean `ref/link`?"));
    }
}
