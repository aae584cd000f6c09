//! A document's id, read from as little of it as possible.
//!
//! An export writes documents in the order of their ids, and an id is the
//! `id` key when the front matter has one and can be read, else the id from
//! the path. Reading every front matter to learn that costs as much as the
//! export itself, so the front matter's text is looked at first: it often
//! leaves only two ids possible, its plainly written `id` line's and the
//! path's (when the front matter turns out unreadable), and the one that
//! sorts first is where the document can first stand. Only the other
//! documents are read in full.

use super::{Corpus, SourceFile, frontmatter};

/// The id `corpus.read(file)` gives the document in `file`, or an id that
/// sorts before it, the path's id (`file.id`) being the other id it can have.
pub fn least_id(corpus: &Corpus, file: &SourceFile) -> String {
    let Some(text) = corpus.text_of(file) else {
        // Unreadable: the document keeps its path's id.
        return file.id.clone();
    };
    match frontmatter::split(&text) {
        // No front matter: no `id` key.
        Err(_) => file.id.clone(),
        Ok(split) => match written_id(split.front) {
            Some(None) => file.id.clone(),
            Some(Some(written)) => written.min(file.id.as_str()).to_string(),
            None => corpus.read(file).id,
        },
    }
}

/// What front matter (YAML, TOML or JSON, as text) can make its document's
/// id besides the path's: nothing (`Some(None)`) when the word `id` stands
/// nowhere in it, so no key can be `id`; `Some(Some(value))` when it stands
/// only at the start of one line `id: value`, the value written plainly and
/// not continued on the next line, so a key `id` can only be that line;
/// `None` when the text alone cannot say (a backslash anywhere could escape
/// a key into `id`).
fn written_id(front: &str) -> Option<Option<&str>> {
    if front.contains('\\') {
        return None;
    }
    let mut written = None;
    let mut lines = front.split('\n');
    while let Some(line) = lines.next() {
        let Some(value) = line.strip_prefix("id:") else {
            if has_word_id(line) {
                return None;
            }
            continue;
        };
        if written.is_some() {
            return None;
        }
        let value = value
            .trim_start_matches([' ', '\t'])
            .trim_end_matches([' ', '\t', '\r']);
        let plain = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'));
        if !plain {
            return None;
        }
        // A plain value goes on over indented (or blank) lines.
        let mut after = lines.clone();
        match after.next() {
            None => {}
            Some("") if after.next().is_none() => {}
            Some(next) if next.starts_with(|c: char| !c.is_whitespace() && c != '#') => {}
            Some(_) => return None,
        }
        written = Some(value);
    }
    Some(written)
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
    fn a_plain_id_line_or_none_leaves_two_ids_or_one() {
        assert_eq!(
            written_id("id: winter-salt\ntitle: Salt\n"),
            Some(Some("winter-salt"))
        );
        assert_eq!(
            written_id("title: Salt\nid: a/b.c_d\n"),
            Some(Some("a/b.c_d"))
        );
        assert_eq!(written_id("title: Valid ideas, paid\n"), Some(None));
        assert_eq!(written_id("id: x\r\ntitle: t\r\n"), Some(Some("x")));
        assert_eq!(written_id("id: x"), Some(Some("x")));
    }

    #[test]
    fn anything_else_that_could_name_an_id_is_read_in_full() {
        for front in [
            "id: x\nid: x\n",
            "id:\n",
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
            assert_eq!(written_id(front), None, "{front:?}");
        }
    }
}
