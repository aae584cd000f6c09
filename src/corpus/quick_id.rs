//! A document's id, read from as little of it as possible.
//!
//! An export writes documents in the order of their ids, and an id is the
//! `id` key when the front matter has one and can be read, else the id from
//! the path. Reading every front matter to learn that costs as much as the
//! export itself, so the front matter's text is looked at first: when it
//! cannot name any id but the path's, that is the id, whatever reading it in
//! full would find. Only the other documents are read in full.

use super::{Corpus, SourceFile, frontmatter};

/// The id `corpus.read(file)` gives the document in `file`.
pub fn id_of(corpus: &Corpus, file: &SourceFile) -> String {
    let Some(text) = corpus.text_of(file) else {
        // Unreadable: the document keeps its path's id.
        return file.id.clone();
    };
    match frontmatter::split(&text) {
        // No front matter: no `id` key.
        Err(_) => file.id.clone(),
        Ok(split) if names_only(split.front, &file.id) => file.id.clone(),
        Ok(_) => corpus.read(file).id,
    }
}

/// Whether front matter (YAML, TOML or JSON, as text) can give its document
/// no id but `fallback`, however it reads. That holds when the word `id`
/// stands nowhere in it (no key can be `id`), or only at the start of one line
/// `id: VALUE` whose value is `fallback` written plainly and not continued on
/// the next line: a key `id` could then only be that line, and a reading that
/// fails falls back to `fallback` too. A backslash anywhere (an escape could
/// spell `id`) settles nothing.
fn names_only(front: &str, fallback: &str) -> bool {
    if front.contains('\\') {
        return false;
    }
    let mut seen_id_line = false;
    let mut lines = front.split('\n');
    while let Some(line) = lines.next() {
        let Some(value) = line.strip_prefix("id:") else {
            if has_word_id(line) {
                return false;
            }
            continue;
        };
        if seen_id_line {
            return false;
        }
        seen_id_line = true;
        let value = value
            .trim_start_matches([' ', '\t'])
            .trim_end_matches([' ', '\t', '\r']);
        let plain = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'));
        if value != fallback || !plain {
            return false;
        }
        // A plain value goes on over indented (or blank) lines.
        let mut after = lines.clone();
        match after.next() {
            None => {}
            Some("") if after.next().is_none() => {}
            Some(next) if next.starts_with(|c: char| !c.is_whitespace() && c != '#') => {}
            Some(_) => return false,
        }
    }
    true
}

/// Whether `id` stands in `line` as a word of its own (not inside `valid`
/// or `id_card`).
fn has_word_id(line: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    line.match_indices("id").any(|(at, _)| {
        let before = line.as_bytes()[..at].last().copied();
        let after = line.as_bytes().get(at + 2).copied();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_id_line_equal_to_the_path_id_settles_it() {
        assert!(names_only("id: winter-salt\ntitle: Salt\n", "winter-salt"));
        assert!(names_only("title: Salt\nid: winter-salt\n", "winter-salt"));
        assert!(names_only("title: Valid ideas, paid\n", "x"));
        assert!(names_only("id: x\r\ntitle: t\r\n", "x"));
        assert!(names_only("id: x", "x"));
    }

    #[test]
    fn anything_that_could_name_another_id_is_read_in_full() {
        for front in [
            "id: other\n",
            "id: x\nid: x\n",
            "id: x\n  continued\n",
            "id: x\n\n  continued\n",
            "id: x\n# comment\n",
            "id: 'x'\n",
            "id: x # comment\n",
            "\"id\": y\n",
            "'id': y\n",
            "? id\n: y\n",
            "{id: y}\n",
            "  id: y\n",
            "id = \"y\"\n",
            "{\"id\": \"y\"}",
            "\"i\\x64\": y\n",
            "key: &id y\n",
            "id-card: y\n",
        ] {
            assert!(!names_only(front, "x"), "{front:?}");
        }
    }
}
