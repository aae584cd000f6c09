//! The prebuilt index the site's search box reads, as a script that sets
//! `window.MKN_INDEX` (a script, not a JSON file fetched at run time, so the
//! search works from `file://` too).
//!
//! `docs` holds one array per document: `[url, title, kind, areas, regions,
//! tiers, year, places, summary]`; `terms` maps each word of the title,
//! summary, tags, technologies, service-area and municipality names (lower
//! case, split at anything but letters and digits) to the documents that
//! contain it, sorted so the browser finds words by prefix with a binary
//! search; `labels` gives the display name of each facet value.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::Site;

/// How much of a summary the results show.
const SUMMARY_CHARS: usize = 200;

/// The words of a text as the browser splits them.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The script.
pub fn script(site: &Site) -> String {
    let mut terms: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut area_labels = BTreeMap::new();
    let mut docs = Vec::with_capacity(site.entries.len());
    for (n, e) in site.entries.iter().enumerate() {
        let row = &e.row;
        let areas: Vec<String> = row.areas.iter().map(|a| site.area_name(a)).collect();
        for (id, name) in row.areas.iter().zip(&areas) {
            area_labels.insert(id.clone(), name.clone());
        }
        let places: Vec<String> = row
            .municipalities
            .iter()
            .map(|m| site.municipality_name(m))
            .collect();
        let text = [
            row.title.as_str(),
            row.summary.as_str(),
            &row.tags.join(" "),
            &row.technologies.join(" "),
            &areas.join(" "),
            &places.join(" "),
        ]
        .join(" ");
        for word in words(&text) {
            terms.entry(word).or_default().insert(n);
        }
        let mut summary: String = row.summary.chars().take(SUMMARY_CHARS).collect();
        if summary.len() < row.summary.len() {
            summary.push('…');
        }
        docs.push(json!([
            e.url,
            row.title,
            row.kind,
            row.areas,
            distinct(&row.regions),
            distinct(&row.tiers),
            row.year,
            places.join(", "),
            summary,
        ]));
    }
    let terms: Vec<_> = terms
        .into_iter()
        .map(|(t, docs)| json!([t, docs.into_iter().collect::<Vec<_>>()]))
        .collect();
    let index = json!({
        "docs": docs,
        "terms": terms,
        "labels": {
            "area": area_labels,
            "kind": {"best": "Best practice", "beneficial": "Beneficial practice"},
        },
    });
    // `<` only occurs inside JSON strings: written as `\u003c`, no title can
    // close a script element even if the index is ever inlined in a page.
    let json = index.to_string().replace('<', "\\u003c");
    format!("window.MKN_INDEX = {json};\n")
}

/// The values of a list without repeats, in order.
fn distinct(values: &[String]) -> Vec<&String> {
    values.iter().collect::<BTreeSet<_>>().into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_the_browser() {
        let w: Vec<String> = words("Winter-control: GPS & brine (2016)").collect();
        assert_eq!(w, ["winter", "control", "gps", "brine", "2016"]);
    }
}
