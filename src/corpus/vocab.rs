//! Vocabularies: the reference lists documents point into (service areas,
//! the municipal registry, measures, business functions).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::VocabularyPaths;
use crate::corpus::yaml::Span;
use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// A named entry of a YAML vocabulary (service area, business function).
#[derive(Debug, Clone, Deserialize)]
pub struct Term {
    /// Kebab-case id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One line on what it covers, where given.
    #[serde(default)]
    pub description: Option<String>,
    /// The service areas a business function serves (`areas` in
    /// functions.yaml; empty for other terms).
    #[serde(default)]
    pub areas: Vec<String>,
}

/// Which way a measure should move to count as an improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Less is better (costs, response times).
    Lower,
    /// More is better (share of standard met, satisfaction).
    Higher,
}

/// A performance measure.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Measure {
    /// Id such as `ROAD307`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Service-area id.
    #[serde(default)]
    pub area: Option<String>,
    /// Better direction, where known.
    #[serde(default)]
    pub better: Option<Direction>,
    /// Unit, where known.
    #[serde(default)]
    pub unit: Option<String>,
    /// Kind of measure (efficiency, effectiveness, statistic, ...), where known.
    #[serde(default)]
    pub category: Option<String>,
    /// Why the better direction is better.
    #[serde(default)]
    pub reason: Option<String>,
    /// What is counted above the line.
    #[serde(default)]
    pub numerator: Option<String>,
    /// What it is divided by.
    #[serde(default)]
    pub denominator: Option<String>,
}

/// A municipality of the registry.
#[derive(Debug, Clone, Deserialize)]
pub struct Municipality {
    /// Readable id such as `greater-sudbury`.
    pub id: String,
    /// Name.
    pub name: String,
    /// City, town, township, county, ...
    pub status: String,
    /// upper, lower or single.
    pub tier: String,
    /// Id of the upper tier, for lower tiers.
    #[serde(default)]
    pub upper_tier: Option<String>,
    /// northern or southern.
    pub region: String,
    /// 2021 census population.
    #[serde(default)]
    pub population: Option<u64>,
    /// Statistics Canada code (CSD or CD), accepted as an alias.
    pub statcan_code: String,
}

/// A vocabulary with lookup by id.
#[derive(Debug, Clone)]
pub struct Table<T> {
    entries: Vec<T>,
    by_id: HashMap<String, usize>,
}

impl<T> Table<T> {
    fn new(entries: Vec<T>, id: impl Fn(&T) -> &str) -> Self {
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (id(e).to_string(), i))
            .collect();
        Table { entries, by_id }
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// All entries in file order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.entries.iter()
    }

    /// All ids.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }
}

/// The registry of municipalities, found by id or by StatCan code.
#[derive(Debug, Clone)]
pub struct Registry {
    /// By readable id.
    pub table: Table<Municipality>,
    by_code: HashMap<String, usize>,
}

impl Registry {
    /// The municipality with this id or StatCan code.
    pub fn resolve(&self, id_or_code: &str) -> Option<&Municipality> {
        self.table.get(id_or_code).or_else(|| {
            self.by_code
                .get(id_or_code)
                .map(|&i| &self.table.entries[i])
        })
    }

    /// A hint for an unknown reference: a close id, or the id of a municipality
    /// whose name was written instead of its id.
    pub fn hint(&self, value: &str) -> Option<String> {
        let by_name = self
            .table
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(value.trim()));
        match by_name {
            Some(m) => Some(format!("`{value}` is a name; its id is `{}`", m.id)),
            None => crate::diagnostic::suggestion(value, self.table.ids()),
        }
    }
}

/// All vocabularies the corpus declares; each is optional.
#[derive(Debug, Clone, Default)]
pub struct Vocabularies {
    /// Service areas.
    pub areas: Option<Table<Term>>,
    /// Municipalities.
    pub municipalities: Option<Registry>,
    /// Measures.
    pub measures: Option<Table<Measure>>,
    /// Business functions.
    pub functions: Option<Table<Term>>,
}

impl Vocabularies {
    /// The service area with this id: `None` when the corpus declares no
    /// areas vocabulary (any id goes), a usage error with a "did you mean"
    /// when it is not in it.
    pub fn area(&self, id: &str) -> Result<Option<&Term>, Error> {
        let Some(areas) = &self.areas else {
            return Ok(None);
        };
        areas.get(id).map(Some).ok_or_else(|| {
            let hint = crate::diagnostic::suggestion(id, areas.ids())
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            Error::Usage(format!("`{id}` is not a known service area{hint}"))
        })
    }

    /// Loads every declared vocabulary; a missing or broken file is an error.
    pub fn load(root: &Path, paths: &VocabularyPaths) -> Result<Vocabularies, Error> {
        let yaml_table = |path: &Option<std::path::PathBuf>, id: fn(&Term) -> &str| {
            path.as_ref()
                .map(|p| load_yaml::<Term>(root, p).map(|v| Table::new(v, id)))
                .transpose()
        };
        Ok(Vocabularies {
            areas: yaml_table(&paths.areas, |t| &t.id)?,
            functions: yaml_table(&paths.functions, |t| &t.id)?,
            measures: paths
                .measures
                .as_ref()
                .map(|p| load_yaml::<Measure>(root, p).map(|v| Table::new(v, |m| &m.id)))
                .transpose()?,
            municipalities: paths
                .municipalities
                .as_ref()
                .map(|p| load_registry(root, p))
                .transpose()?,
        })
    }
}

fn invalid(path: &Path, span: Span, message: String) -> Error {
    Error::Invalid(Box::new(Diagnostic::error(
        path,
        span,
        "config/vocabulary",
        message,
    )))
}

fn load_yaml<T: DeserializeOwned>(root: &Path, rel: &Path) -> Result<Vec<T>, Error> {
    let text = fs::read_to_string(root.join(rel)).map_err(|e| Error::io(rel, e))?;
    serde_yaml::from_str::<Vec<T>>(&text).map_err(|e| {
        let span = e.location().map_or(
            Span {
                line: 1,
                col: 1,
                len: 1,
            },
            |l| Span {
                line: l.line(),
                col: l.column(),
                len: 1,
            },
        );
        invalid(rel, span, e.to_string())
    })
}

fn load_registry(root: &Path, rel: &Path) -> Result<Registry, Error> {
    let file = fs::File::open(root.join(rel)).map_err(|e| Error::io(rel, e))?;
    let mut reader = csv::Reader::from_reader(file);
    let mut entries = Vec::new();
    for row in reader.deserialize::<Municipality>() {
        let mut m = row.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            invalid(
                rel,
                Span {
                    line,
                    col: 1,
                    len: 1,
                },
                e.to_string(),
            )
        })?;
        m.upper_tier = m.upper_tier.filter(|s| !s.is_empty());
        entries.push(m);
    }
    let by_code = entries
        .iter()
        .enumerate()
        .map(|(i, m)| (m.statcan_code.clone(), i))
        .collect();
    Ok(Registry {
        table: Table::new(entries, |m| &m.id),
        by_code,
    })
}
