//! Vocabularies: the reference lists documents point into (service areas,
//! the municipal registry, measures, business functions), and the synonyms
//! and spellings a query also searches for.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::VocabularyPaths;
use crate::corpus::yaml::{self, Node, Span, Value};
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
    /// Synonyms and spellings.
    pub synonyms: Option<Synonyms>,
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
            synonyms: paths
                .synonyms
                .as_ref()
                .map(|p| Synonyms::load(root, p))
                .transpose()?,
        })
    }
}

/// The synonym and spelling vocabulary: for a term, the other terms a query
/// that names it also searches for.
///
/// The file is a YAML list. An entry that is a list is a group of terms that
/// mean the same (`[plough, plow]`): each finds the others. An entry that is a
/// mapping is one-way (`{term: organics, also: [green bin]}`): the term finds
/// the others, not the reverse. Terms are matched on their stems, as the index
/// reads words, so `ploughs` is `plough`; a term may be several words, matched
/// as a phrase. A term is the key of one entry only.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// The other terms, by the stems of a term joined with a space.
    also: HashMap<String, Vec<String>>,
    /// The most words a term has.
    longest: usize,
}

impl Synonyms {
    /// Reads the vocabulary at `rel` under `root`.
    pub fn load(root: &Path, rel: &Path) -> Result<Synonyms, Error> {
        let text = fs::read_to_string(root.join(rel)).map_err(|e| Error::io(rel, e))?;
        Synonyms::parse(&text, rel)
    }

    /// Reads the vocabulary from its text; `rel` names the file in errors.
    pub fn parse(text: &str, rel: &Path) -> Result<Synonyms, Error> {
        let parsed = yaml::parse(text, 1).map_err(|e| invalid(rel, e.span, e.message))?;
        let entries: &[Node] = match &parsed.root.value {
            Value::Null => &[],
            Value::Seq(items) => items,
            _ => {
                return Err(invalid(
                    rel,
                    parsed.root.span,
                    "the synonyms must be a list of groups such as `[plough, plow]`".into(),
                ));
            }
        };
        let mut analyzer = crate::index::stem::shared_analyzer();
        let mut synonyms = Synonyms::default();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for entry in entries {
            // (term node, the terms it also searches for)
            let mut keys: Vec<(&Node, Vec<&Node>)> = Vec::new();
            match &entry.value {
                Value::Seq(terms) => {
                    if terms.len() < 2 {
                        return Err(invalid(
                            rel,
                            entry.span,
                            "a group needs two or more terms that mean the same".into(),
                        ));
                    }
                    for (i, term) in terms.iter().enumerate() {
                        let others = terms
                            .iter()
                            .enumerate()
                            .filter(|&(j, _)| j != i)
                            .map(|(_, t)| t)
                            .collect();
                        keys.push((term, others));
                    }
                }
                Value::Map(pairs) => {
                    if let Some((key, _)) = pairs
                        .iter()
                        .find(|(k, _)| !matches!(k.as_str(), Some("term" | "also")))
                    {
                        return Err(invalid(
                            rel,
                            key.span,
                            format!(
                                "unknown key `{}`: a one-way entry has `term` and `also`",
                                key.key_text()
                            ),
                        ));
                    }
                    let (Some(term), Some(also)) = (entry.get("term"), entry.get("also")) else {
                        return Err(invalid(
                            rel,
                            entry.span,
                            "a one-way entry needs `term` and `also`, such as \
                             `{term: organics, also: [green bin]}`"
                                .into(),
                        ));
                    };
                    let others: Vec<&Node> = match &also.value {
                        Value::Seq(items) if !items.is_empty() => items.iter().collect(),
                        Value::Seq(_) => {
                            return Err(invalid(rel, also.span, "`also` lists no term".into()));
                        }
                        _ => vec![also],
                    };
                    keys.push((term, others));
                }
                _ => {
                    return Err(invalid(
                        rel,
                        entry.span,
                        format!(
                            "an entry is a group such as `[plough, plow]` or a one-way \
                             `{{term: organics, also: [green bin]}}`, not {}",
                            entry.value
                        ),
                    ));
                }
            }
            for (term, others) in keys {
                let (text, stems) = term_text(rel, term, &mut analyzer)?;
                let key = stems.join(" ");
                if let Some(first) = seen.get(&key) {
                    return Err(Error::Invalid(Box::new(
                        Diagnostic::error(
                            rel,
                            term.span,
                            "config/vocabulary",
                            format!("`{text}` is already the term of another entry"),
                        )
                        .with_related(rel, *first, "first here")
                        .with_hint("merge the two entries into one group"),
                    )));
                }
                seen.insert(key.clone(), term.span);
                let mut also = Vec::with_capacity(others.len());
                for other in others {
                    let (other_text, other_stems) = term_text(rel, other, &mut analyzer)?;
                    if other_stems == stems {
                        return Err(invalid(
                            rel,
                            other.span,
                            format!(
                                "`{other_text}` is `{text}` again (the same words once stemmed)"
                            ),
                        ));
                    }
                    also.push(other_text);
                }
                synonyms.longest = synonyms.longest.max(stems.len());
                synonyms.also.insert(key, also);
            }
        }
        Ok(synonyms)
    }

    /// The other terms a term also searches for, given the term's stems.
    pub fn also(&self, stems: &[String]) -> Option<&[String]> {
        if stems.is_empty() || stems.len() > self.longest {
            return None;
        }
        self.also.get(&stems.join(" ")).map(Vec::as_slice)
    }

    /// The most words a term has (0 when there are none).
    pub fn longest(&self) -> usize {
        self.longest
    }
}

/// A term's text and stems, or why it cannot be a term.
fn term_text(
    rel: &Path,
    node: &Node,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
) -> Result<(String, Vec<String>), Error> {
    let Some(text) = node.id_text() else {
        return Err(invalid(
            rel,
            node.span,
            format!("a term is text, not {}", node.value),
        ));
    };
    let text = text.trim().to_string();
    if text.contains(['"', '\\']) {
        return Err(invalid(
            rel,
            node.span,
            format!("`{text}`: a term cannot hold `\"` or `\\`"),
        ));
    }
    let stems = crate::index::stem::stems(analyzer, &text);
    if stems.is_empty() {
        return Err(invalid(
            rel,
            node.span,
            format!("`{text}` has no word to search for"),
        ));
    }
    Ok((text, stems))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Synonyms, String> {
        Synonyms::parse(text, Path::new("schema/synonyms.yaml")).map_err(|e| e.to_string())
    }

    fn also(synonyms: &Synonyms, term: &str) -> Vec<String> {
        let mut analyzer = crate::index::stem::shared_analyzer();
        let stems = crate::index::stem::stems(&mut analyzer, term);
        synonyms
            .also(&stems)
            .map(<[String]>::to_vec)
            .unwrap_or_default()
    }

    #[test]
    fn groups_go_both_ways_and_one_way_entries_one_way() {
        let s = parse(
            "# spellings\n- [plough, plow]\n- [AMP, asset management plan]\n\
             - {term: metre, also: [meter]}\n- {term: cheque, also: check}\n",
        )
        .unwrap();
        assert_eq!(also(&s, "plough"), ["plow"]);
        assert_eq!(also(&s, "Plows"), ["plough"]);
        assert_eq!(also(&s, "amp"), ["asset management plan"]);
        assert_eq!(also(&s, "asset management plans"), ["AMP"]);
        assert_eq!(also(&s, "metre"), ["meter"]);
        assert!(also(&s, "meter").is_empty());
        assert_eq!(also(&s, "cheques"), ["check"]);
        assert!(also(&s, "asset").is_empty());
        assert_eq!(s.longest(), 3);
    }

    #[test]
    fn numbers_are_terms_and_an_empty_file_has_none() {
        let s = parse("- [311, contact centre]\n").unwrap();
        assert_eq!(also(&s, "311"), ["contact centre"]);
        assert_eq!(parse("# nothing yet\n").unwrap().longest(), 0);
    }

    #[test]
    fn broken_entries_say_where() {
        for (text, wanted) in [
            ("- [plough, plow\n", "schema/synonyms.yaml:2:1:"),
            (
                "plough: plow\n",
                "schema/synonyms.yaml:1:7: the synonyms must be a list",
            ),
            (
                "- [plough, plow]\n- [plow]\n",
                "schema/synonyms.yaml:2:3: a group needs two",
            ),
            (
                "- [plough, plow]\n- plow\n",
                "schema/synonyms.yaml:2:3: an entry is a group",
            ),
            (
                "- [plough, plow]\n- [snow plow, plow]\n",
                "schema/synonyms.yaml:2:15: `plow` is already the term of another entry",
            ),
            (
                "- [licence, licences]\n",
                "schema/synonyms.yaml:1:13: `licences` is `licence` again",
            ),
            (
                "- {term: metre, also: [meter], but: [x]}\n",
                "schema/synonyms.yaml:1:32: unknown key `but`",
            ),
            (
                "- {term: metre}\n",
                "schema/synonyms.yaml:1:3: a one-way entry needs `term` and `also`",
            ),
            (
                "- {term: metre, also: []}\n",
                "schema/synonyms.yaml:1:23: `also` lists no term",
            ),
            (
                "- [plough, [plow]]\n",
                "schema/synonyms.yaml:1:12: a term is text",
            ),
            (
                "- [plough, \"--\"]\n",
                "schema/synonyms.yaml:1:12: `--` has no word",
            ),
            (
                "- [plough, 'say \"plow\"']\n",
                "schema/synonyms.yaml:1:12: `say \"plow\"`: a term cannot hold",
            ),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.starts_with(wanted), "{text:?}: {e}");
        }
    }

    #[test]
    fn the_bundled_vocabulary_reads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let s = Synonyms::load(root, Path::new("schema/synonyms.yaml")).unwrap();
        assert_eq!(also(&s, "plow"), ["plough"]);
        assert!(also(&s, "organics").contains(&"green bin".to_string()));
    }
}
