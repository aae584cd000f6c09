//! The filters of the portal's search: which keys, and each document's values.
//!
//! A municipal corpus (one with a `kind = "practice"` collection) filters on
//! service area, kind, region, tier and year. Any other corpus filters on the
//! keys its collections name in `mkn.toml` (`facets = ["category", "tags"]`)
//! or, when none names any, on the keys [`detect`] picks from the documents.

use std::collections::{BTreeMap, BTreeSet};

use std::path::Path;

use super::Entry;
use crate::config::{CONFIG_FILE, Config};
use crate::corpus::yaml::{Node, Value};
use crate::diagnostic::{Diagnostic, suggestion};

/// The most keys [`detect`] picks.
const MAX_DETECTED: usize = 6;
/// The most distinct values a detected key may have.
const MAX_VALUES: usize = 30;
/// The longest value, in characters, a detected key may have.
const MAX_VALUE_CHARS: usize = 40;

/// One filter of the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    /// The key it filters on (also the select's id and the address parameter).
    pub key: String,
    /// Its label.
    pub label: String,
}

impl Facet {
    fn new(key: &str, label: &str) -> Facet {
        Facet {
            key: key.to_string(),
            label: label.to_string(),
        }
    }
}

/// The filters of a municipal corpus.
pub fn municipal() -> Vec<Facet> {
    vec![
        Facet::new("area", "Service area"),
        Facet::new("kind", "Kind"),
        Facet::new("region", "Region"),
        Facet::new("tier", "Tier"),
        Facet::new("year", "Year"),
    ]
}

/// The keys named, each once, labelled with the key itself (`tags` →
/// `Tags`), a nested one with its last part (`taxonomies.tags` → `Tags`).
pub fn named<'k>(keys: impl IntoIterator<Item = &'k String>) -> Vec<Facet> {
    let mut seen = BTreeSet::new();
    keys.into_iter()
        .filter(|k| seen.insert(k.as_str()))
        .map(|k| Facet::new(k, &label(k.rsplit('.').next().unwrap_or(k))))
        .collect()
}

/// The keys to filter on when none is named: top-level keys whose every
/// value is a string of at most 40 characters, or a list of such, with 2
/// to 30 distinct values, one of them shared by two documents or more (a
/// key whose every value differs, a title or a date, filters nothing). The
/// keys most documents have come first, then by name; at most 6.
pub fn detect<'e>(documents: impl Iterator<Item = &'e [(String, Node)]>) -> Vec<Facet> {
    #[derive(Default)]
    struct Seen {
        documents: usize,
        values: BTreeMap<String, usize>,
        fit: bool,
    }
    let mut keys: BTreeMap<&str, Seen> = BTreeMap::new();
    for own in documents {
        for (key, node) in own {
            let seen = keys.entry(key).or_insert(Seen {
                fit: true,
                ..Seen::default()
            });
            seen.documents += 1;
            match short_strings(node) {
                Some(values) if seen.fit => {
                    for value in values {
                        *seen.values.entry(value).or_insert(0) += 1;
                    }
                    seen.fit = seen.values.len() <= MAX_VALUES;
                }
                _ => seen.fit = false,
            }
        }
    }
    let mut picked: Vec<(&str, usize)> = keys
        .into_iter()
        .filter(|(_, s)| s.fit && s.values.len() >= 2 && s.values.values().any(|&count| count >= 2))
        .map(|(key, s)| (key, s.documents))
        .collect();
    picked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    picked
        .into_iter()
        .take(MAX_DETECTED)
        .map(|(key, _)| Facet::new(key, &label(key)))
        .collect()
}

/// A warning for each key a collection names in `facets` that no exported
/// document of it has (a typo, most likely: its filter would stay empty),
/// at the key in `mkn.toml`, with the closest key the documents have.
pub fn unused(config: &Config, entries: &[Entry]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for collection in config.collections() {
        let own: Vec<&[(String, Node)]> = entries
            .iter()
            .filter(|e| e.row.collection == collection.name)
            .map(|e| e.extras.own.as_slice())
            .collect();
        if own.is_empty() {
            continue;
        }
        for (i, key) in collection.facets.iter().enumerate() {
            if own.iter().any(|keys| keys.iter().any(|(k, _)| k == key)) {
                continue;
            }
            let known: BTreeSet<&str> = own
                .iter()
                .flat_map(|keys| keys.iter().map(|(k, _)| k.as_str()))
                .collect();
            let at = config.span_of(&["collections", &collection.name, "facets", &i.to_string()]);
            warnings.push(
                Diagnostic::warning(
                    Path::new(CONFIG_FILE),
                    at,
                    "config/facet",
                    format!(
                        "no exported document of `{}` has the key `{key}`: its filter stays empty",
                        collection.name
                    ),
                )
                .with_hint_opt(suggestion(key, known)),
            );
        }
    }
    warnings
}

/// A document's values of a key, as text: a scalar, or the scalars of a list.
pub fn values(node: &Node) -> Vec<String> {
    let text = |n: &Node| match &n.value {
        Value::String(s) => Some(s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(n.value.to_string()),
        _ => None,
    };
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(text).collect(),
        _ => text(node).into_iter().collect(),
    }
}

/// The values of a key when every one is a short string.
fn short_strings(node: &Node) -> Option<Vec<String>> {
    let short = |n: &Node| {
        n.as_str()
            .filter(|s| !s.is_empty() && s.chars().count() <= MAX_VALUE_CHARS)
            .map(str::to_string)
    };
    match &node.value {
        Value::Seq(items) => items.iter().map(short).collect(),
        _ => short(node).map(|s| vec![s]),
    }
}

/// A key as a label: `_` and `-` become spaces, the first letter upper case.
pub fn label(key: &str) -> String {
    let text = key.replace(['_', '-'], " ");
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::yaml::parse;

    fn entry(yaml: &str) -> Vec<(String, Node)> {
        let root = parse(yaml, 1).unwrap().root;
        root.entries()
            .iter()
            .map(|(k, v)| (k.key_text(), v.clone()))
            .collect()
    }

    #[test]
    fn detection_picks_short_shared_values_and_leaves_titles_and_nesting_out() {
        let entries = [
            entry(
                "title: One\ncategory: news\ntags: [rust, go]\nauthor: {name: A}\ndraft: false\n",
            ),
            entry("title: Two\ncategory: guide\ntags: [rust]\nauthor: {name: B}\ndraft: true\n"),
            entry("title: Three\ncategory: news\nlang: en\n"),
        ];
        let keys: Vec<String> = detect(entries.iter().map(Vec::as_slice))
            .into_iter()
            .map(|f| f.key)
            .collect();
        // category in three documents, tags in two; titles all differ, author
        // is a map, draft is no string, lang has one value.
        assert_eq!(keys, ["category", "tags"]);
    }

    #[test]
    fn a_key_with_a_long_value_is_not_a_facet() {
        let long = "x".repeat(41);
        let entries = [
            entry("topic: a\n"),
            entry("topic: a\n"),
            entry(&format!("topic: {long}\n")),
            entry("topic: b\n"),
        ];
        assert!(detect(entries.iter().map(Vec::as_slice)).is_empty());
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(label("content_type"), "Content type");
        assert_eq!(label("tags"), "Tags");
        assert_eq!(
            named(&["tags".to_string(), "tags".to_string()]),
            [Facet::new("tags", "Tags")]
        );
        assert_eq!(
            named(&["taxonomies.categories".to_string()]),
            [Facet::new("taxonomies.categories", "Categories")]
        );
    }
}
