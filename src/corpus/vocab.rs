//! Vocabularies: the reference lists documents point into (service areas,
//! the municipal registry, measures, business functions), and the synonyms
//! and spellings a query also searches for.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::VocabularyPaths;
use crate::corpus::yaml::{self, Node, Value};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Span;
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
            let hint = crate::diagnostic::closest_ids_hint(id, areas.ids());
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
                .map(|p| {
                    let synonyms = Synonyms::load(root, p)?;
                    synonyms.check(p)?;
                    Ok::<_, Error>(synonyms)
                })
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
///
/// Reading the file stems nothing: a query stems only the terms that start
/// like its words ([`Synonyms::lookup`]), and [`Synonyms::check`] stems them
/// all to find a term given twice.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Each term with the other terms it also searches for, in file order.
    terms: Vec<Synonym>,
    /// Indexes into `terms` by [`start`] of the term's first word.
    by_start: HashMap<String, Vec<usize>>,
}

/// One term of the vocabulary and the other terms it also searches for.
#[derive(Debug, Clone)]
struct Synonym {
    /// The term as written.
    text: String,
    /// Where it stands.
    span: Span,
    /// The other terms, as written, with where they stand.
    also: Vec<(String, Span)>,
}

/// The terms of a vocabulary that a query's words may name, by their stems.
#[derive(Debug, Clone, Default)]
pub struct Lookup<'a> {
    /// The other terms, by the stems of a term joined with a space.
    also: HashMap<String, Vec<&'a str>>,
    /// The most words a term here has.
    longest: usize,
}

impl Lookup<'_> {
    /// The other terms a term also searches for, given the term's stems.
    pub fn also(&self, stems: &[String]) -> Option<&[&str]> {
        if stems.is_empty() || stems.len() > self.longest {
            return None;
        }
        self.also.get(&stems.join(" ")).map(Vec::as_slice)
    }

    /// The most words a term has (0 when no term can match).
    pub fn longest(&self) -> usize {
        self.longest
    }
}

/// What a word's stem surely starts with: its first two letters or digits,
/// lower-cased (English stemming only ever changes the end of a word).
fn start(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first word of a text, as the index splits words.
fn first_word(text: &str) -> &str {
    text.split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or_default()
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
        let mut synonyms = Synonyms::default();
        for entry in entries {
            match &entry.value {
                Value::Seq(terms) => {
                    if terms.len() < 2 {
                        return Err(invalid(
                            rel,
                            entry.span,
                            "a group needs two or more terms that mean the same".into(),
                        ));
                    }
                    let terms = terms
                        .iter()
                        .map(|t| term_text(rel, t))
                        .collect::<Result<Vec<_>, _>>()?;
                    for (i, term) in terms.iter().enumerate() {
                        let also = terms
                            .iter()
                            .enumerate()
                            .filter(|&(j, _)| j != i)
                            .map(|(_, t)| t.clone())
                            .collect();
                        synonyms.push(term.clone(), also);
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
                    let also = match &also.value {
                        Value::Seq(items) if items.is_empty() => {
                            return Err(invalid(rel, also.span, "`also` lists no term".into()));
                        }
                        Value::Seq(items) => items
                            .iter()
                            .map(|t| term_text(rel, t))
                            .collect::<Result<Vec<_>, _>>()?,
                        _ => vec![term_text(rel, also)?],
                    };
                    synonyms.push(term_text(rel, term)?, also);
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
        }
        Ok(synonyms)
    }

    /// Each term with the other terms it also searches for, in file order:
    /// what [`Synonyms::from_entries`] reads back.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Vec<&str>)> {
        self.terms.iter().map(|t| {
            (
                t.text.as_str(),
                t.also.iter().map(|(other, _)| other.as_str()).collect(),
            )
        })
    }

    /// The vocabulary of `entries` as [`Synonyms::entries`] gives them, for a
    /// query: where each term stood in its file is not known.
    pub fn from_entries(entries: impl IntoIterator<Item = (String, Vec<String>)>) -> Synonyms {
        let mut synonyms = Synonyms::default();
        for (term, also) in entries {
            let also = also.into_iter().map(|t| (t, Span::default())).collect();
            synonyms.push((term, Span::default()), also);
        }
        synonyms
    }

    fn push(&mut self, (text, span): (String, Span), also: Vec<(String, Span)>) {
        self.by_start
            .entry(start(first_word(&text)))
            .or_default()
            .push(self.terms.len());
        self.terms.push(Synonym { text, span, also });
    }

    /// Finds what reading cannot without stemming every term: a term given
    /// twice, or a term whose other term is itself once stemmed.
    pub fn check(&self, rel: &Path) -> Result<(), Error> {
        let mut analyzer = crate::stem::shared_analyzer();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for term in &self.terms {
            let stems = crate::stem::stems(&mut analyzer, &term.text);
            if let Some(first) = seen.insert(stems.join(" "), term.span) {
                return Err(Error::Invalid(Box::new(
                    Diagnostic::error(
                        rel,
                        term.span,
                        "config/vocabulary",
                        format!("`{}` is already the term of another entry", term.text),
                    )
                    .with_related(rel, first, "first here")
                    .with_hint("merge the two entries into one group"),
                )));
            }
            for (other, span) in &term.also {
                if crate::stem::stems(&mut analyzer, other) == stems {
                    return Err(invalid(
                        rel,
                        *span,
                        format!(
                            "`{other}` is `{}` again (the same words once stemmed)",
                            term.text
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The terms that `words` (a query's words, as written) may name, ready
    /// to look up by stems. Only those terms are stemmed.
    pub fn lookup<'a, 'w>(&'a self, words: impl IntoIterator<Item = &'w str>) -> Lookup<'a> {
        let mut lookup = Lookup::default();
        let mut analyzer = None;
        let mut starts: Vec<String> = words.into_iter().map(|w| start(first_word(w))).collect();
        starts.sort();
        starts.dedup();
        for start in starts {
            for &i in self.by_start.get(&start).into_iter().flatten() {
                let term = &self.terms[i];
                let analyzer = analyzer.get_or_insert_with(crate::stem::shared_analyzer);
                let stems = crate::stem::stems(analyzer, &term.text);
                lookup.longest = lookup.longest.max(stems.len());
                lookup
                    .also
                    .entry(stems.join(" "))
                    .or_insert_with(|| term.also.iter().map(|(t, _)| t.as_str()).collect());
            }
        }
        lookup
    }
}

/// A term's text and place, or why it cannot be a term.
fn term_text(rel: &Path, node: &Node) -> Result<(String, Span), Error> {
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
    if !text.chars().any(char::is_alphanumeric) {
        return Err(invalid(
            rel,
            node.span,
            format!("`{text}` has no word to search for"),
        ));
    }
    Ok((text, node.span))
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
        let rel = Path::new("schema/synonyms.yaml");
        let synonyms = Synonyms::parse(text, rel).map_err(|e| e.to_string())?;
        synonyms.check(rel).map_err(|e| e.to_string())?;
        Ok(synonyms)
    }

    fn also(synonyms: &Synonyms, term: &str) -> Vec<String> {
        let mut analyzer = crate::stem::shared_analyzer();
        let stems = crate::stem::stems(&mut analyzer, term);
        let lookup = synonyms.lookup(term.split_whitespace());
        let found = lookup.also(&stems).unwrap_or_default();
        found.iter().map(|t| t.to_string()).collect()
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
        assert_eq!(s.lookup(["Asset", "plan"]).longest(), 3);
        // Only the terms that start like the words are stemmed.
        assert_eq!(s.lookup(["plows"]).longest(), 1);
        assert_eq!(s.lookup(["salt"]).longest(), 0);
    }

    #[test]
    fn numbers_are_terms_and_an_empty_file_has_none() {
        let s = parse("- [311, contact centre]\n").unwrap();
        assert_eq!(also(&s, "311"), ["contact centre"]);
        assert_eq!(parse("# nothing yet\n").unwrap().lookup(["x"]).longest(), 0);
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
        let rel = Path::new("schema/synonyms.yaml");
        let s = Synonyms::load(root, rel).unwrap();
        s.check(rel).unwrap();
        assert_eq!(also(&s, "plow"), ["plough"]);
        assert!(also(&s, "organics").contains(&"green bin".to_string()));
    }
}
