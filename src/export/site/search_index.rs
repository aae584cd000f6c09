//! The prebuilt index the site's search box reads, as a script that sets
//! `window.MKN_INDEX` (a script, not a JSON file fetched at run time, so the
//! search works from `file://` too).
//!
//! `docs` holds one array per document: `[url, title, kind, areas, regions,
//! tiers, year, places, summary]`, and outside a municipal corpus a tenth
//! item: the document's values of each search filter. `facets` lists the
//! filters, `[{key, label, at}]`: in a municipal corpus service area, kind,
//! region, tier and year, each read from the document's item `at`; else the
//! corpus's own keys, read from the tenth item in this order. `terms` maps
//! each word of the title, summary, tags, technologies, service-area and
//! municipality names and other corpora's filter values (lower case, split
//! at anything but letters and digits) to the documents that contain it,
//! sorted so the browser finds words by prefix with a binary search;
//! `labels` gives the display name of each facet value; `noun` is what the
//! documents are called.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::json;

use super::{Entry, Site};

/// How much of a summary the results show.
const SUMMARY_CHARS: usize = 200;

/// The words of a text as the browser splits them.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The script, written straight to bytes: a corpus of 100,000 documents
/// has millions of postings, too many to build as JSON values first.
pub fn script(site: &Site) -> Vec<u8> {
    let mut terms: HashMap<String, Vec<u32>> = HashMap::new();
    let mut area_labels = BTreeMap::new();
    let mut out = LessThanEscaped(Vec::with_capacity(site.entries.len() * 512));
    out.0.extend_from_slice(b"window.MKN_INDEX = {\"docs\":[");
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
        // A municipal corpus's filters are fields of the document already
        // there (`at` in `facets`); other corpora's values come in `d[9]`,
        // and are words too.
        let own = (!site.municipal).then(|| own_facet_values(site, e));
        let text = [
            row.title.as_str(),
            row.summary.as_str(),
            &row.tags.join(" "),
            &row.technologies.join(" "),
            &areas.join(" "),
            &places.join(" "),
            &own.iter()
                .flatten()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        ]
        .join(" ");
        let n32 = n as u32;
        for word in words(&text) {
            let docs = terms.entry(word).or_default();
            if docs.last() != Some(&n32) {
                docs.push(n32);
            }
        }
        let mut summary: String = row.summary.chars().take(SUMMARY_CHARS).collect();
        if summary.len() < row.summary.len() {
            summary.push('…');
        }
        if n > 0 {
            out.0.push(b',');
        }
        let doc = (
            &e.url,
            &row.title,
            &row.kind,
            &row.areas,
            distinct(&row.regions),
            distinct(&row.tiers),
            row.year,
            places.join(", "),
            summary,
        );
        let mut item = serde_json::to_value(doc).expect("a tuple is JSON");
        if let (Some(values), Some(items)) = (own, item.as_array_mut()) {
            items.push(json!(values));
        }
        serde_json::to_writer(&mut out, &item).expect("writing to memory");
    }
    out.0.extend_from_slice(b"],\"terms\":[");
    let mut sorted: Vec<(String, Vec<u32>)> = terms.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (i, term) in sorted.iter().enumerate() {
        if i > 0 {
            out.0.push(b',');
        }
        serde_json::to_writer(&mut out, term).expect("writing to memory");
    }
    out.0.extend_from_slice(b"],\"labels\":");
    let labels = json!({
        "area": area_labels,
        "kind": {"best": "Best practice", "beneficial": "Beneficial practice"},
    });
    serde_json::to_writer(&mut out, &labels).expect("writing to memory");
    out.0.extend_from_slice(b",\"facets\":");
    let facets: Vec<_> = site
        .facets
        .iter()
        .map(|f| match municipal_field(site, &f.key) {
            Some(at) => json!({"key": f.key, "label": f.label, "at": at}),
            None => json!({"key": f.key, "label": f.label}),
        })
        .collect();
    serde_json::to_writer(&mut out, &facets).expect("writing to memory");
    out.0.extend_from_slice(b",\"noun\":");
    serde_json::to_writer(&mut out, site.noun()).expect("writing to memory");
    out.0.extend_from_slice(b"};\n");
    out.0
}

/// Where a municipal corpus's document array holds a filter's values.
fn municipal_field(site: &Site, key: &str) -> Option<usize> {
    let at = match key {
        "kind" => 2,
        "area" => 3,
        "region" => 4,
        "tier" => 5,
        "year" => 6,
        _ => return None,
    };
    site.municipal.then_some(at)
}

/// A document's own values of each search filter, in the order of `site.facets`.
fn own_facet_values(site: &Site, e: &Entry) -> Vec<Vec<String>> {
    site.facets
        .iter()
        .map(|facet| {
            e.extras
                .own
                .iter()
                .find(|(k, _)| *k == facet.key)
                .map(|(_, node)| super::facets::values(node))
                .unwrap_or_default()
        })
        .collect()
}

/// Writes JSON with `<` as `\u003c`. `<` only occurs inside JSON strings,
/// so no title can close a script element, even if the index is ever
/// inlined in a page.
struct LessThanEscaped(Vec<u8>);

impl std::io::Write for LessThanEscaped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for part in bytes.split_inclusive(|&b| b == b'<') {
            match part.split_last() {
                Some((b'<', head)) => {
                    self.0.extend_from_slice(head);
                    self.0.extend_from_slice(b"\\u003c");
                }
                _ => self.0.extend_from_slice(part),
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The values of a list without repeats, in order.
fn distinct(values: &[String]) -> Vec<&String> {
    values.iter().collect::<BTreeSet<_>>().into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn less_than_signs_are_escaped() {
        use std::io::Write;
        let mut out = LessThanEscaped(Vec::new());
        out.write_all(br#""<script>a<b""#).unwrap();
        assert_eq!(out.0, br#""\u003cscript>a\u003cb""#);
    }

    #[test]
    fn words_split_like_the_browser() {
        let w: Vec<String> = words("Winter-control: GPS & brine (2016)").collect();
        assert_eq!(w, ["winter", "control", "gps", "brine", "2016"]);
    }
}
