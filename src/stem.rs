//! The `en_stem` analyzer with a memo of stems.
//!
//! Snowball stemming took about 28 % of the CPU time of a rebuild, and the
//! indexing threads are what a rebuild waits for; it was also a third of a
//! query's time, in the snippets, which run the analyzer over the body of
//! every hit. A corpus repeats a few thousand words, so the analyzer stems a
//! word once and looks it up after. Its tokens are exactly those of tantivy's
//! own `en_stem` (see the test), so queries match either way.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenStream, Tokenizer,
};

/// The tokenizer name the schema's stemmed fields use.
pub const EN_STEM: &str = "en_stem";

/// Words remembered per analyzer at most, so a corpus of unusual words keeps
/// memory bounded (about 100 bytes a word, a few MB an analyzer).
const MEMO_WORDS: usize = 50_000;

/// Registers the memoizing `en_stem` on `index`, for the index writers it
/// creates from now on. Each copy (tantivy makes one per field and segment)
/// has a memo of its own, so the indexing threads never wait for each other.
pub fn register(index: &Index) {
    index
        .tokenizers()
        .register(EN_STEM, analyzer(Memo::Own(FxHashMap::default())));
}

/// The `en_stem` analyzer whose copies share one memo: the snippet generator
/// copies its analyzer for each hit.
pub fn shared_analyzer() -> TextAnalyzer {
    analyzer(Memo::Shared(Arc::default()))
}

/// The stems of `text` as the stemmed fields index it: its words split and
/// lower-cased, each stemmed. A synonym is matched to query words this way.
pub fn stems(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Where an analyzer remembers stems.
#[derive(Clone)]
enum Memo {
    /// Its own map (a copy gets a copy).
    Own(FxHashMap<String, String>),
    /// A map shared with its copies.
    Shared(Arc<Mutex<FxHashMap<String, String>>>),
}

impl Memo {
    /// Replaces `word` by its stem, from memory or else from `stem`, and
    /// remembers it. A known word costs no allocation.
    fn stem(&mut self, word: &mut String, stem: impl FnOnce(&str) -> String) {
        let mut shared;
        let stems = match self {
            Memo::Own(stems) => stems,
            Memo::Shared(stems) => {
                shared = stems.lock().unwrap_or_else(|e| e.into_inner());
                &mut *shared
            }
        };
        if let Some(known) = stems.get(word.as_str()) {
            word.clear();
            word.push_str(known);
            return;
        }
        let stemmed = stem(word);
        if stems.len() < MEMO_WORDS {
            stems.insert(std::mem::replace(word, stemmed.clone()), stemmed);
        } else {
            *word = stemmed;
        }
    }
}

/// Tantivy's `en_stem` chain, with the stemmer remembering its stems in `memo`.
fn analyzer(memo: Memo) -> TextAnalyzer {
    let words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build();
    TextAnalyzer::from(MemoStemmer {
        words,
        stemmer: TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build(),
        memo,
    })
}

/// Splits and lower-cases with `words`, then stems each word, through `stems`.
#[derive(Clone)]
struct MemoStemmer {
    words: TextAnalyzer,
    /// Stems one word: the whole text is its token.
    stemmer: TextAnalyzer,
    memo: Memo,
}

impl Tokenizer for MemoStemmer {
    type TokenStream<'a> = MemoStemStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoStemStream<'a> {
        MemoStemStream {
            words: self.words.token_stream(text),
            stemmer: &mut self.stemmer,
            memo: &mut self.memo,
        }
    }
}

/// The tokens of one text, stemmed.
struct MemoStemStream<'a> {
    words: tantivy::tokenizer::BoxTokenStream<'a>,
    stemmer: &'a mut TextAnalyzer,
    memo: &'a mut Memo,
}

impl TokenStream for MemoStemStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.words.advance() {
            return false;
        }
        let token = self.words.token_mut();
        let stemmer = &mut *self.stemmer;
        self.memo.stem(&mut token.text, |word| {
            let mut stemmed = stemmer.token_stream(word);
            if stemmed.advance() {
                stemmed.token().text.clone()
            } else {
                word.to_string()
            }
        });
        true
    }

    fn token(&self) -> &Token {
        self.words.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.words.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn same_tokens_as_tantivy_en_stem() {
        let mut standard = tantivy::tokenizer::TokenizerManager::default()
            .get(EN_STEM)
            .expect("tantivy has en_stem");
        let mut own = analyzer(Memo::Own(FxHashMap::default()));
        let shared = shared_analyzer();
        let text = "Winter Controls: brining the roads, salted roads; ROADS \
                    communities' consultations and a-very-long-word-that-is-longer-than-forty-bytes-long x";
        let expected = tokens(&mut standard, text);
        assert!(expected.iter().any(|t| t.0 == "brine"), "{expected:?}");
        for _ in 0..2 {
            assert_eq!(tokens(&mut own, text), expected);
            // A copy of the shared analyzer starts with what the others remembered.
            assert_eq!(tokens(&mut shared.clone(), text), expected);
        }
    }
}
