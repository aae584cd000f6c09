//! The `en_stem` analyzer with a memo of stems, for building the index.
//!
//! Snowball stemming took about 28 % of the CPU time of a rebuild, and the
//! indexing threads are what a rebuild waits for. A corpus repeats a few
//! thousand words, so each analyzer (tantivy clones one per field and segment)
//! stems a word once and looks it up after. Its tokens are exactly those of
//! tantivy's own `en_stem` (see the test), so queries match either way.

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
/// creates from now on.
pub fn register(index: &Index) {
    index.tokenizers().register(EN_STEM, analyzer());
}

/// Tantivy's `en_stem` chain, with the stemmer remembering its stems.
fn analyzer() -> TextAnalyzer {
    let words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build();
    TextAnalyzer::from(MemoStemmer {
        words,
        stemmer: TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build(),
        stems: FxHashMap::default(),
    })
}

/// Splits and lower-cases with `words`, then stems each word, through `stems`.
#[derive(Clone)]
struct MemoStemmer {
    words: TextAnalyzer,
    /// Stems one word: the whole text is its token.
    stemmer: TextAnalyzer,
    stems: FxHashMap<String, String>,
}

impl Tokenizer for MemoStemmer {
    type TokenStream<'a> = MemoStemStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoStemStream<'a> {
        MemoStemStream {
            words: self.words.token_stream(text),
            stemmer: &mut self.stemmer,
            stems: &mut self.stems,
        }
    }
}

/// The tokens of one text, stemmed.
struct MemoStemStream<'a> {
    words: tantivy::tokenizer::BoxTokenStream<'a>,
    stemmer: &'a mut TextAnalyzer,
    stems: &'a mut FxHashMap<String, String>,
}

impl TokenStream for MemoStemStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.words.advance() {
            return false;
        }
        let token = self.words.token_mut();
        if let Some(stem) = self.stems.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let mut stemmed = self.stemmer.token_stream(&token.text);
        let stem = if stemmed.advance() {
            stemmed.token().text.clone()
        } else {
            token.text.clone()
        };
        drop(stemmed);
        if self.stems.len() < MEMO_WORDS {
            self.stems.insert(token.text.clone(), stem.clone());
        }
        token.text = stem;
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
        let mut memo = analyzer();
        let text = "Winter Controls: brining the roads, salted roads; ROADS \
                    communities' consultations and a-very-long-word-that-is-longer-than-forty-bytes-long x";
        for _ in 0..2 {
            assert_eq!(tokens(&mut memo, text), tokens(&mut standard, text));
        }
    }
}
