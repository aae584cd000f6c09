//! Which values a front-matter key takes, and what each one is called: the
//! vocabulary behind a key, the documents a reference points at, or the
//! `enum` of its schema.

use serde_json::Value as Json;

use crate::check::schema::Schema;
use crate::config::{Collection, Kind};
use crate::corpus::vocab::Vocabularies;

use super::workspace::Workspace;

/// Where the values of a key come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Service-area ids.
    Areas,
    /// Municipality ids (StatCan codes work too).
    Municipalities,
    /// Measure ids.
    Measures,
    /// Business-function ids.
    Functions,
    /// Ids of the documents of a collection.
    Documents(String),
    /// The values the schema lists.
    Enum(Vec<String>),
}

/// A value the key can take, for a completion list.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The value as written.
    pub value: String,
    /// Its name or title.
    pub detail: Option<String>,
    /// More about it, in markdown.
    pub documentation: Option<String>,
}

/// Where the values at `path` (keys and item indexes) of a document of
/// `collection` come from, if from anywhere mkn knows.
pub fn source(collection: &Collection, schema: Option<&Schema>, path: &[String]) -> Option<Source> {
    let shape: Vec<&str> = path
        .iter()
        .map(|s| {
            if s.parse::<usize>().is_ok() {
                "*"
            } else {
                s.as_str()
            }
        })
        .collect();
    let by_kind = match (collection.kind, shape.as_slice()) {
        (Some(Kind::Practice), ["areas", "*"]) => Some(Source::Areas),
        (Some(Kind::Practice), ["municipalities", "*"] | ["evidence", "*", "municipality"]) => {
            Some(Source::Municipalities)
        }
        (Some(Kind::Practice), ["evidence", "*", "measure"]) => Some(Source::Measures),
        (Some(Kind::Practice), ["related", "*"]) => {
            Some(Source::Documents(collection.name.clone()))
        }
        (Some(Kind::Profile), ["municipality"]) => Some(Source::Municipalities),
        (Some(_), ["technologies", "*", "function"]) => Some(Source::Functions),
        _ => None,
    };
    let declared = || match shape.as_slice() {
        [key] | [key, "*"] => collection
            .references
            .get(*key)
            .cloned()
            .map(Source::Documents),
        _ => None,
    };
    let listed = || {
        let values = schema?.at(path)?.get("enum")?.as_array()?;
        Some(Source::Enum(values.iter().map(enum_text).collect()))
    };
    by_kind.or_else(declared).or_else(listed)
}

fn enum_text(value: &Json) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}

/// Every value a source offers.
pub fn choices(workspace: &Workspace, source: &Source) -> Vec<Choice> {
    let Ok(vocab) = workspace.corpus.vocab() else {
        return Vec::new();
    };
    match source {
        Source::Areas => terms(vocab.areas.as_ref()),
        Source::Functions => terms(vocab.functions.as_ref()),
        Source::Municipalities => vocab
            .municipalities
            .iter()
            .flat_map(|r| r.table.iter())
            .map(|m| Choice {
                value: m.id.clone(),
                detail: Some(m.name.clone()),
                documentation: Some(municipality_facts(m)),
            })
            .collect(),
        Source::Measures => vocab
            .measures
            .iter()
            .flat_map(|t| t.iter())
            .map(|m| Choice {
                value: m.id.clone(),
                detail: Some(m.name.clone()),
                documentation: Some(measure_facts(m)),
            })
            .collect(),
        Source::Documents(collection) => workspace
            .documents(collection)
            .into_iter()
            .map(|(id, title)| Choice {
                value: id,
                detail: title,
                documentation: None,
            })
            .collect(),
        Source::Enum(values) => values
            .iter()
            .map(|v| Choice {
                value: v.clone(),
                detail: None,
                documentation: None,
            })
            .collect(),
    }
}

fn terms(table: Option<&crate::corpus::vocab::Table<crate::corpus::vocab::Term>>) -> Vec<Choice> {
    table
        .iter()
        .flat_map(|t| t.iter())
        .map(|t| Choice {
            value: t.id.clone(),
            detail: Some(t.name.clone()),
            documentation: t.description.clone(),
        })
        .collect()
}

/// What a value stands for, in markdown, when the source knows it: the
/// name of the area, municipality, measure or function, or the document's
/// title.
pub fn describe(
    workspace: &Workspace,
    vocab: &Vocabularies,
    source: &Source,
    value: &str,
) -> Option<String> {
    let with = |name: &str, more: Option<String>| {
        Some(match more {
            Some(more) if !more.is_empty() => format!("**{name}**\n\n{more}"),
            _ => format!("**{name}**"),
        })
    };
    match source {
        Source::Areas => {
            let t = vocab.areas.as_ref()?.get(value)?;
            with(&t.name, t.description.clone())
        }
        Source::Functions => {
            let t = vocab.functions.as_ref()?.get(value)?;
            with(&t.name, t.description.clone())
        }
        Source::Municipalities => {
            let m = vocab.municipalities.as_ref()?.resolve(value)?;
            with(&m.name, Some(municipality_facts(m)))
        }
        Source::Measures => {
            let m = vocab.measures.as_ref()?.get(value)?;
            with(&m.name, Some(measure_facts(m)))
        }
        Source::Documents(collection) => {
            let (id, title) = workspace
                .documents(collection)
                .into_iter()
                .find(|(id, _)| id == value)?;
            with(
                title.as_deref().unwrap_or(&id),
                Some(format!("`{id}` in {collection}")),
            )
        }
        Source::Enum(_) => None,
    }
}

/// `City, single tier, southern; population 143,740; StatCan 3523008`.
fn municipality_facts(m: &crate::corpus::vocab::Municipality) -> String {
    let population = m
        .population
        .map(|p| format!("; population {}", thousands(p)))
        .unwrap_or_default();
    format!(
        "{}, {} tier, {}{population}; StatCan {}",
        m.status, m.tier, m.region, m.statcan_code
    )
}

/// `percent, higher is better, area roads-winter-control`.
fn measure_facts(m: &crate::corpus::vocab::Measure) -> String {
    let mut facts = Vec::new();
    if let Some(unit) = &m.unit {
        facts.push(unit.clone());
    }
    match m.better {
        Some(crate::corpus::vocab::Direction::Higher) => facts.push("higher is better".into()),
        Some(crate::corpus::vocab::Direction::Lower) => facts.push("lower is better".into()),
        None => facts.push("no better direction".into()),
    }
    if let Some(area) = &m.area {
        facts.push(format!("area {area}"));
    }
    facts.join(", ")
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(143_740), "143,740");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
