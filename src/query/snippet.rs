//! Snippets: the body text around the matched words.
//!
//! tantivy's snippet generator runs the field's analyzer over the whole body
//! of every hit, and stemming each word was a third of a query's time. The
//! analyzer here gives the same tokens as the index's `en_stem`, but stems
//! each distinct word once per query and then remembers it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
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
        english_analyzer(),
        field,
        SNIPPET_CHARS,
    ))
}

/// The index's `en_stem` analyzer, with stems remembered.
fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(RememberedStems::default())
        .build()
}

/// English stemming that remembers every word's stem. Copies share what
/// they remember (the generator copies its analyzer for each snippet).
#[derive(Clone, Default)]
struct RememberedStems {
    stems: Arc<Mutex<HashMap<String, String>>>,
}

impl TokenFilter for RememberedStems {
    type Tokenizer<T: Tokenizer> = RememberingStemmer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RememberingStemmer<T> {
        RememberingStemmer {
            inner,
            stems: self.stems,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

/// The tokenizer [`RememberedStems`] wraps around another.
#[derive(Clone)]
struct RememberingStemmer<T> {
    inner: T,
    stems: Arc<Mutex<HashMap<String, String>>>,
    /// tantivy's stemmer over one word, for words not seen yet.
    stemmer: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for RememberingStemmer<T> {
    type TokenStream<'a> = RememberingStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberingStream {
            tail: self.inner.token_stream(text),
            stems: &self.stems,
            stemmer: &mut self.stemmer,
        }
    }
}

/// The token stream of a [`RememberingStemmer`].
struct RememberingStream<'a, S> {
    tail: S,
    stems: &'a Mutex<HashMap<String, String>>,
    stemmer: &'a mut TextAnalyzer,
}

impl<S: TokenStream> TokenStream for RememberingStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let mut stems = self.stems.lock().unwrap_or_else(|e| e.into_inner());
        match stems.get(&token.text) {
            Some(stem) => token.text.clone_from(stem),
            None => {
                let mut words = self.stemmer.token_stream(&token.text);
                let stem = if words.advance() {
                    words.token().text.clone()
                } else {
                    token.text.clone()
                };
                drop(words);
                let word = std::mem::replace(&mut token.text, stem.clone());
                stems.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenizerManager;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    #[test]
    fn gives_the_same_tokens_as_the_index_analyzer_twice_over() {
        let text = "Plowing the plowed roads: GPS-tracked plows, salting and the salt \
                    brine's crews. Running runs ran; Ontario's municipalities generously \
                    generalised. Éléphant 2024 "
            .to_string()
            + &"x".repeat(45);
        let mut index_analyzer = TokenizerManager::default().get("en_stem").unwrap();
        let expected = tokens(&mut index_analyzer, &text);
        let mut analyzer = english_analyzer();
        assert_eq!(tokens(&mut analyzer, &text), expected);
        // Second time round every stem comes from memory, in a copy.
        assert_eq!(tokens(&mut analyzer.clone(), &text), expected);
        assert!(expected.iter().any(|t| t.0 == "plow"));
    }
}
