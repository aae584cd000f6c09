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
        crate::index::stem::shared_analyzer(),
        field,
        SNIPPET_CHARS,
    ))
}
