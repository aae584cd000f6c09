//! Snippets: the body text around the matched words.
//!
//! tantivy's snippet generator runs the field's analyzer over the whole body
//! of every hit, and stemming each word was a third of a query's time. The
//! generator here uses the `en_stem` analyzer whose copies share their
//! memory of stems, so each distinct word is stemmed once per query.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, Term};

use crate::corpus::markdown;

/// Characters of body text in a snippet, at most.
const SNIPPET_CHARS: usize = 160;

/// A snippet generator for `field` and the terms of `query` in it, weighted
/// as tantivy weighs them (rarer terms count more).
pub fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms: BTreeSet<Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut weights = BTreeMap::new();
    for term in terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            weights.insert(text.to_string(), 1.0 / (1.0 + doc_freq as f32));
        }
    }
    Ok(SnippetGenerator::new(
        weights,
        crate::stem::shared_analyzer(),
        field,
        SNIPPET_CHARS,
    ))
}

/// The snippet of a document's body text and the byte ranges of its matched
/// words. Headings are boundaries: the snippet stays inside the stretch of
/// text under one heading (the one holding most matched words) and never
/// shows a heading's words; `…` marks where it cuts that text short.
pub fn excerpt(generator: &SnippetGenerator, body: &str) -> (String, Vec<[usize; 2]>) {
    let snippet = generator.snippet(body);
    let fragment = snippet.fragment();
    let Some(offset) = body.find(fragment) else {
        return (String::new(), Vec::new());
    };
    let end = offset + fragment.len();
    let matched: Vec<[usize; 2]> = snippet
        .highlighted()
        .iter()
        .map(|r| [offset + r.start, offset + r.end])
        .collect();
    // The part of the fragment in each section, and the matches inside it.
    let best = markdown::sections(body)
        .into_iter()
        .map(|s| s.start.max(offset)..s.end.min(end))
        .filter(|s| s.start < s.end)
        .max_by_key(|s| {
            let inside = matched
                .iter()
                .filter(|[a, b]| s.start <= *a && *b <= s.end)
                .count();
            (inside, std::cmp::Reverse(s.start))
        });
    let Some(range) = best else {
        return (String::new(), Vec::new());
    };
    let text = &body[range.clone()];
    let trimmed = text.trim();
    let start = range.start + (text.len() - text.trim_start().len());
    let section = markdown::sections(body)
        .into_iter()
        .find(|s| s.start <= start && start + trimmed.len() <= s.end)
        .unwrap_or(start..start + trimmed.len());
    // The fragment ends with a word: keep the punctuation that closes it.
    let closing: usize = body[start + trimmed.len()..section.end]
        .chars()
        .take_while(|c| !c.is_whitespace() && !c.is_alphanumeric())
        .map(char::len_utf8)
        .sum();
    let trimmed = &body[start..start + trimmed.len() + closing];
    let end = start + trimmed.len();
    // An ellipsis where the snippet cuts the text under its heading.
    let cut_before = !body[section.start..start].trim().is_empty();
    let cut_after = !body[end..section.end].trim().is_empty();
    let lead = if cut_before { ELLIPSIS } else { "" };
    let mut snippet = format!("{lead}{trimmed}");
    if cut_after {
        snippet.push_str(ELLIPSIS);
    }
    let ranges = matched
        .iter()
        .filter(|[a, b]| start <= *a && *b <= end)
        .map(|[a, b]| [a - start + lead.len(), b - start + lead.len()])
        .collect();
    (snippet, ranges)
}

/// Marks where a snippet cuts its text short.
const ELLIPSIS: &str = "…";

#[cfg(test)]
mod tests {
    use super::*;

    fn generator_for(words: &[&str]) -> SnippetGenerator {
        let weights = words.iter().map(|w| (w.to_string(), 1.0)).collect();
        let (_, fields) = crate::index::schema::build();
        SnippetGenerator::new(
            weights,
            crate::stem::shared_analyzer(),
            fields.body,
            SNIPPET_CHARS,
        )
    }

    #[test]
    fn headings_never_show_and_bound_the_snippet() {
        let body = markdown::plain_text(
            "## Challenge\n\nThe city pre-wetted its salt.\n\n## Results\n\nSalt use fell by a third.\n",
        );
        let (snippet, ranges) = excerpt(&generator_for(&["salt"]), &body);
        assert!(!snippet.contains("Challenge") && !snippet.contains("Results"));
        assert!(
            snippet.starts_with("The city pre-wetted its salt")
                || snippet.starts_with("Salt use fell by a third"),
            "{snippet}"
        );
        assert_eq!(ranges.len(), 1);
        let [a, b] = ranges[0];
        assert_eq!(snippet[a..b].to_lowercase(), "salt");
    }

    #[test]
    fn the_section_with_most_matches_wins() {
        let body =
            markdown::plain_text("## A\n\nOne brine word.\n\n## B\n\nBrine and more brine here.\n");
        let (snippet, ranges) = excerpt(&generator_for(&["brine"]), &body);
        assert_eq!(snippet, "Brine and more brine here.");
        assert_eq!(ranges.len(), 2);
    }
}
