//! Synonym expansion: the query words a synonym vocabulary knows also search
//! for its other terms, weighted below the words as written.
//!
//! The query text is rewritten for the query parser: a run of plain words
//! that is a term (`plough`, `snow clearing`) becomes `(plough OR "plow")`,
//! every other term searched as a phrase. The rewritten query is weighed
//! [`EXPANDED_WEIGHT`] next to the query as written, so that a document with
//! the words as written ranks above one that only has another term. Quoted
//! phrases, field queries (`title:plough`), boosted or fuzzy words and words
//! excluded with `NOT` or `-` stay as written.

use std::collections::BTreeMap;

use crate::corpus::vocab::Synonyms;

/// How much the query with synonyms weighs next to the query as written. A
/// term of many words scores more than one word (an acronym), so the weight
/// is low enough that a phrase of ten other words does not outrank the word
/// as written.
pub const EXPANDED_WEIGHT: f32 = 0.1;

/// Query text with synonyms added, and which it added.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expansion {
    /// The text for the query parser.
    pub text: String,
    /// Per query term (lower-cased, as written), the other terms searched too.
    pub used: BTreeMap<String, Vec<String>>,
}

/// What a stretch of query text is, for expansion.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    /// A plain word, with its stems.
    Word(Vec<String>),
    /// `NOT`: the next word stays as written.
    Not,
    /// Anything else: a phrase, operator, parenthesis or field query.
    Other,
}

/// Adds the other terms of every term of `synonyms` that `text` names.
pub fn expand(text: &str, synonyms: &Synonyms) -> Expansion {
    let mut expansion = Expansion {
        text: String::with_capacity(text.len()),
        used: BTreeMap::new(),
    };
    let mut analyzer = crate::stem::shared_analyzer();
    let pieces = pieces(text, &mut analyzer);
    let synonyms = synonyms.lookup(
        pieces
            .iter()
            .filter(|(_, _, piece)| matches!(piece, Piece::Word(_)))
            .map(|&(start, end, _)| &text[start..end]),
    );
    if synonyms.longest() == 0 {
        expansion.text.push_str(text);
        return expansion;
    }
    let mut copied = 0;
    let mut i = 0;
    while i < pieces.len() {
        let (start, _, Piece::Word(_)) = &pieces[i] else {
            i += 1;
            continue;
        };
        // The longest run of words from here that is a term.
        let mut stems: Vec<String> = Vec::new();
        let mut found = None;
        for (j, (_, _, piece)) in pieces.iter().enumerate().skip(i) {
            let Piece::Word(words) = piece else { break };
            stems.extend(words.iter().cloned());
            if stems.len() > synonyms.longest() {
                break;
            }
            if let Some(also) = synonyms.also(&stems) {
                found = Some((j, also));
            }
        }
        let Some((last, also)) = found else {
            i += 1;
            continue;
        };
        let end = pieces[last].1;
        let written = &text[*start..end];
        expansion.text.push_str(&text[copied..*start]);
        expansion.text.push('(');
        if last > i {
            expansion.text.push('(');
            expansion.text.push_str(written);
            expansion.text.push(')');
        } else {
            expansion.text.push_str(written);
        }
        for other in also {
            expansion.text.push_str(&format!(" OR \"{other}\""));
        }
        expansion.text.push(')');
        copied = end;
        let key = written.split_whitespace().collect::<Vec<_>>().join(" ");
        expansion
            .used
            .entry(key.to_lowercase())
            .or_default()
            .extend(also.iter().map(|t| t.to_string()));
        i = last + 1;
    }
    expansion.text.push_str(&text[copied..]);
    expansion
}

/// The pieces of query text with their byte ranges. Words inside a field's
/// group (`title:(a b)`) or right after `NOT` count as other pieces.
fn pieces(
    text: &str,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
) -> Vec<(usize, usize, Piece)> {
    let mut out: Vec<(usize, usize, Piece)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut depth = 0usize;
    // The depth at which a field's group started, while inside it.
    let mut field_group: Option<usize> = None;
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let after_field = out
            .last()
            .is_some_and(|&(_, end, _)| end == start && text[..end].ends_with(':'));
        let piece = match c {
            '"' => {
                let end = chars
                    .by_ref()
                    .find(|&(_, c)| c == '"')
                    .map_or(text.len(), |(i, _)| i + 1);
                out.push((start, end, Piece::Other));
                continue;
            }
            '(' => {
                if after_field && field_group.is_none() {
                    field_group = Some(depth);
                }
                depth += 1;
                Piece::Other
            }
            ')' => {
                depth = depth.saturating_sub(1);
                if field_group == Some(depth) {
                    field_group = None;
                }
                Piece::Other
            }
            _ => {
                let mut end = text.len();
                while let Some(&(i, c)) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '"' | '(' | ')') {
                        end = i;
                        break;
                    }
                    chars.next();
                }
                let word = &text[start..end];
                let piece = word_piece(word, analyzer);
                let negated = out.last().is_some_and(|(_, _, p)| *p == Piece::Not);
                let piece = if (negated || field_group.is_some()) && piece != Piece::Not {
                    Piece::Other
                } else {
                    piece
                };
                out.push((start, end, piece));
                continue;
            }
        };
        out.push((start, start + c.len_utf8(), piece));
    }
    out
}

/// What one whitespace-separated chunk of query text is.
fn word_piece(word: &str, analyzer: &mut tantivy::tokenizer::TextAnalyzer) -> Piece {
    match word {
        "NOT" => return Piece::Not,
        "AND" | "OR" | "IN" => return Piece::Other,
        _ => {}
    }
    let special = word.starts_with(['+', '-'])
        || word.contains([':', '^', '*', '~', '[', ']', '{', '}', '`', '\'', '!', '\\']);
    if special {
        return Piece::Other;
    }
    let stems = crate::stem::stems(analyzer, word);
    if stems.is_empty() {
        Piece::Other
    } else {
        Piece::Word(stems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn vocabulary() -> Synonyms {
        Synonyms::parse(
            "- [plough, plow]\n\
             - [snow clearing, snow removal, winter control]\n\
             - [AMP, asset management plan]\n\
             - {term: organics, also: [green bin]}\n",
            Path::new("schema/synonyms.yaml"),
        )
        .unwrap()
    }

    fn used(e: &Expansion) -> Vec<(&str, Vec<&str>)> {
        e.used
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn a_word_also_searches_its_group_boosted_down() {
        let e = expand("plough salt", &vocabulary());
        assert_eq!(e.text, "(plough OR \"plow\") salt");
        assert_eq!(used(&e), [("plough", vec!["plow"])]);
        let e = expand("Plow", &vocabulary());
        assert_eq!(e.text, "(Plow OR \"plough\")");
        assert_eq!(used(&e), [("plow", vec!["plough"])]);
    }

    #[test]
    fn words_match_on_their_stems() {
        let e = expand("ploughs", &vocabulary());
        assert_eq!(e.text, "(ploughs OR \"plow\")");
    }

    #[test]
    fn several_words_match_as_a_phrase_the_longest_first() {
        let e = expand("snow removal budget", &vocabulary());
        assert_eq!(
            e.text,
            "((snow removal) OR \"snow clearing\" OR \"winter control\") budget"
        );
        let e = expand("asset management plan AMP", &vocabulary());
        assert_eq!(
            e.text,
            "((asset management plan) OR \"AMP\") (AMP OR \"asset management plan\")"
        );
        // Words of a term apart do not make the term.
        assert_eq!(
            expand("snow and removal", &vocabulary()).text,
            "snow and removal"
        );
        assert_eq!(
            expand("snow AND removal", &vocabulary()).text,
            "snow AND removal"
        );
    }

    #[test]
    fn one_way_entries_expand_one_way() {
        let e = expand("organics", &vocabulary());
        assert_eq!(e.text, "(organics OR \"green bin\")");
        assert_eq!(expand("green bin", &vocabulary()).text, "green bin");
    }

    #[test]
    fn quoted_excluded_and_field_words_stay_as_written() {
        let v = vocabulary();
        for text in [
            "\"plough\"",
            "\"snow removal\" budget",
            "salt NOT plough",
            "salt -plough",
            "+plough",
            "title:plough",
            "title:(plough salt)",
            "plough^2",
            "plough~",
        ] {
            let e = expand(text, &v);
            assert_eq!(e.text, text);
            assert!(e.used.is_empty(), "{text}");
        }
        assert_eq!(
            expand("(plough OR salt) AND NOT brine", &v).text,
            "((plough OR \"plow\") OR salt) AND NOT brine"
        );
    }

    #[test]
    fn nothing_changes_without_a_vocabulary() {
        let e = expand("plough salt", &Synonyms::default());
        assert_eq!(
            e,
            Expansion {
                text: "plough salt".into(),
                used: BTreeMap::new()
            }
        );
    }
}
