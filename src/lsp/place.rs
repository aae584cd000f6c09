//! Where the cursor stands in a document's front matter: on which key, or in
//! the value of which key or list item.
//!
//! Front matter being edited is often not valid YAML yet (`ar` half typed,
//! a list item without its value), so this reads the lines' structure
//! itself, by indentation, list markers, `key:` and brackets, instead of
//! parsing the YAML.

/// Whether the cursor is on a key or on a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A mapping key, written or being written.
    Key,
    /// A value: after `key:`, a list item, or inside brackets.
    Value,
}

/// The cursor's place in the front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// On a key or on a value.
    pub slot: Slot,
    /// The path of the key or value from the root: keys, and item indexes
    /// (`"0"`, `"1"`, ...) for list items, as `check` paths are written.
    pub path: Vec<String>,
    /// The key or value under the cursor, without quotes.
    pub word: String,
    /// The bytes of the word on the cursor's line (the cursor is inside or at
    /// an end).
    pub word_range: std::ops::Range<usize>,
    /// The keys already written in the mapping the word is a key of (for a
    /// key) or that the value is (for a value), other than the word itself.
    pub siblings: Vec<String>,
    /// A value written right after `key:`, where a list must be written in
    /// brackets.
    pub after_key: bool,
    /// A key that already has its colon.
    pub has_colon: bool,
}

/// The place of the cursor at 0-based `line` and byte `byte` of that line, if
/// it is in the front matter on a key or a value (not in a comment, an
/// indentation, or a multi-line text).
pub fn place_at(text: &str, line: usize, byte: usize) -> Option<Place> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    let close = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map_or(lines.len(), |i| i + 1);
    if line == 0 || line >= close {
        return None;
    }
    let mut reader = Reader::default();
    let mut place = None;
    for (n, raw) in lines.iter().enumerate().take(close).skip(1) {
        if n == line {
            place = reader.cursor_line(raw, byte.min(raw.len()), n);
        } else {
            reader.line(raw, n);
        }
    }
    let mut place = place?;
    let mapping: &[String] = match place.slot {
        Slot::Key => &place.path[..place.path.len() - 1],
        Slot::Value => &place.path,
    };
    let mut siblings: Vec<String> = reader
        .keys
        .iter()
        .filter(|(parent, _, n)| parent.as_slice() == mapping && *n != line)
        .map(|(_, key, _)| key.clone())
        .collect();
    siblings.append(&mut place.siblings);
    place.siblings = siblings;
    Some(place)
}

/// One level of the structure above the current line.
#[derive(Debug)]
struct Frame {
    /// The column its content starts at.
    col: usize,
    /// Its step in the path: a key, or an item's index.
    step: String,
    /// A list item (else a key).
    is_item: bool,
    /// Its value continues on the lines below (nothing written after it yet).
    open: bool,
    /// How many list items have been seen under it.
    items: usize,
}

/// Reads front-matter lines one after another, keeping the structure above.
#[derive(Debug, Default)]
struct Reader {
    frames: Vec<Frame>,
    /// List items seen at the root (a front matter that is a list).
    root_items: usize,
    /// Every key seen: its mapping's path, the key, its line.
    keys: Vec<(Vec<String>, String, usize)>,
}

/// The parts of one line.
#[derive(Debug)]
struct Parts {
    /// Columns of its list markers (`- `).
    markers: Vec<usize>,
    /// Where the content after indentation and markers starts.
    content: usize,
    /// Where the content ends: at a comment or the end, trailing spaces left out.
    end: usize,
    /// The key and the byte just past its colon, when the content is `key: ...`.
    key: Option<(Word, usize)>,
}

/// A word of a line and where it stands.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    range: std::ops::Range<usize>,
}

impl Reader {
    fn path(&self) -> Vec<String> {
        self.frames.iter().map(|f| f.step.clone()).collect()
    }

    /// True when the line continues the text of the value above (a long
    /// plain scalar, a `|` or `>` block).
    fn continues_text(&self, indent: usize) -> bool {
        self.frames
            .last()
            .is_some_and(|top| !top.open && indent > top.col)
    }

    /// Takes in a line that is not the cursor's.
    fn line(&mut self, raw: &str, n: usize) {
        let indent = indentation(raw);
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || self.continues_text(indent) {
            return;
        }
        let parts = parts(raw);
        self.markers(&parts);
        if let Some((key, after)) = &parts.key {
            self.key(
                key,
                parts.content,
                value_is_open(&raw[*after..parts.end]),
                n,
            );
        }
    }

    /// Pushes a frame for each list marker of the line.
    fn markers(&mut self, parts: &Parts) {
        for (i, &m) in parts.markers.iter().enumerate() {
            while self
                .frames
                .last()
                .is_some_and(|t| t.col > m || (t.col == m && (t.is_item || !t.open)))
            {
                self.frames.pop();
            }
            let counter = match self.frames.last_mut() {
                Some(parent) => &mut parent.items,
                None => &mut self.root_items,
            };
            let index = *counter;
            *counter += 1;
            let last = i + 1 == parts.markers.len();
            self.frames.push(Frame {
                col: m,
                step: index.to_string(),
                is_item: true,
                open: !last || parts.key.is_some() || parts.content >= parts.end,
                items: 0,
            });
        }
    }

    /// Pops what a key at `col` closes, records it and pushes its frame.
    fn key(&mut self, key: &Word, col: usize, open: bool, n: usize) {
        self.pop_to(col);
        self.keys.push((self.path(), key.text.clone(), n));
        self.frames.push(Frame {
            col,
            step: key.text.clone(),
            is_item: false,
            open,
            items: 0,
        });
    }

    /// Pops every frame at or right of `col`, except this line's list items.
    fn pop_to(&mut self, col: usize) {
        while self.frames.last().is_some_and(|t| t.col >= col) {
            self.frames.pop();
        }
    }

    /// Reads the cursor's line and says where the cursor is.
    fn cursor_line(&mut self, raw: &str, cursor: usize, n: usize) -> Option<Place> {
        let indent = indentation(raw);
        if raw.trim().is_empty() {
            // A new key about to be written at the cursor's column.
            self.pop_to(cursor);
            return Some(Place {
                slot: Slot::Key,
                path: [self.path(), vec![String::new()]].concat(),
                word: String::new(),
                word_range: cursor..cursor,
                siblings: Vec::new(),
                after_key: false,
                has_colon: false,
            });
        }
        if raw.trim_start().starts_with('#') || self.continues_text(indent) {
            return None;
        }
        let parts = parts(raw);
        if cursor > parts.end && comment_start(raw, parts.content) < cursor {
            return None;
        }
        if cursor < parts.content && parts.content < parts.end {
            return None;
        }
        self.markers(&parts);
        if let Some((key, after)) = &parts.key {
            if cursor < *after {
                self.pop_to(parts.content);
                return Some(Place {
                    slot: Slot::Key,
                    path: [self.path(), vec![key.text.clone()]].concat(),
                    word: key.text.clone(),
                    word_range: key.range.clone(),
                    siblings: Vec::new(),
                    after_key: false,
                    has_colon: true,
                });
            }
            self.key(key, parts.content, true, n);
            let start = after + indentation(&raw[*after..]);
            return value_place(self.path(), raw, start, parts.end, cursor, true);
        }
        if parts.markers.is_empty() {
            // A key being typed, its colon not yet written.
            self.pop_to(parts.content);
            let word = unquoted(raw, parts.content, parts.end);
            return Some(Place {
                slot: Slot::Key,
                path: [self.path(), vec![word.text.clone()]].concat(),
                word: word.text,
                word_range: word.range,
                siblings: Vec::new(),
                after_key: false,
                has_colon: false,
            });
        }
        value_place(self.path(), raw, parts.content, parts.end, cursor, false)
    }
}

/// The place of a cursor in a value written from `start` to `end` of the
/// line, the value of `path`.
fn value_place(
    path: Vec<String>,
    raw: &str,
    start: usize,
    end: usize,
    cursor: usize,
    after_key: bool,
) -> Option<Place> {
    if raw[start..].starts_with(['[', '{']) {
        return flow_place(path, raw, start, end, cursor);
    }
    let word = unquoted(raw, start, end.max(start));
    let word_range = word.range.start.min(cursor)..word.range.end.max(cursor);
    Some(Place {
        slot: Slot::Value,
        path,
        word: word.text,
        word_range,
        siblings: Vec::new(),
        after_key,
        has_colon: false,
    })
}

/// One open bracket of a flow collection.
#[derive(Debug)]
struct Open {
    /// `[` or `{`.
    bracket: char,
    /// The index of the current item, for `[`.
    index: usize,
    /// The key of the current entry once its colon is read, for `{`.
    key: Option<String>,
    /// The keys of the mapping, for `{`.
    keys: Vec<String>,
}

/// The place of a cursor inside `[...]` or `{...}` that starts at `start`.
fn flow_place(
    base: Vec<String>,
    raw: &str,
    start: usize,
    end: usize,
    cursor: usize,
) -> Option<Place> {
    let mut stack: Vec<Open> = Vec::new();
    let mut segment = start;
    let mut quote: Option<char> = None;
    let mut at_cursor: Option<(Vec<String>, Slot, usize, usize)> = None;
    let bytes: Vec<(usize, char)> = raw[..end]
        .char_indices()
        .skip_while(|(i, _)| *i < start)
        .collect();
    for (k, &(i, c)) in bytes.iter().enumerate() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        let is_delimiter = match c {
            '"' | '\'' => {
                quote = Some(c);
                false
            }
            ':' => {
                let next = bytes.get(k + 1).map(|(_, n)| *n);
                stack
                    .last()
                    .is_some_and(|o| o.bracket == '{' && o.key.is_none())
                    && next.is_none_or(|n| n == ' ' || n == ',' || n == '}')
            }
            '[' | '{' | ',' | ']' | '}' => true,
            _ => false,
        };
        if !is_delimiter {
            continue;
        }
        if at_cursor.is_none() && cursor <= i && !stack.is_empty() {
            at_cursor = Some(cursor_state(&stack, &base, raw, segment, i)?);
        }
        match c {
            '[' | '{' => stack.push(Open {
                bracket: c,
                index: 0,
                key: None,
                keys: Vec::new(),
            }),
            ',' => {
                if let Some(open) = stack.last_mut() {
                    open.index += 1;
                    if let Some(key) = open.key.take() {
                        open.keys.push(key);
                    }
                }
            }
            ':' => {
                if let Some(open) = stack.last_mut() {
                    open.key = Some(unquoted(raw, segment, i).text);
                }
            }
            _ => {
                if at_cursor.is_some() {
                    let siblings = stack.pop().map(|mut o| {
                        o.keys.extend(o.key);
                        o.keys
                    });
                    if stack.is_empty() {
                        return finish(at_cursor, siblings.unwrap_or_default(), raw);
                    }
                } else {
                    stack.pop();
                }
            }
        }
        segment = i + c.len_utf8();
    }
    if at_cursor.is_none() && !stack.is_empty() && cursor >= segment {
        at_cursor = Some(cursor_state(&stack, &base, raw, segment, end)?);
    }
    let siblings = stack.last().map(|o| o.keys.clone()).unwrap_or_default();
    finish(at_cursor, siblings, raw)
}

/// The path, slot and word range of a cursor in the segment `from..to` of
/// the innermost open bracket.
fn cursor_state(
    stack: &[Open],
    base: &[String],
    raw: &str,
    from: usize,
    to: usize,
) -> Option<(Vec<String>, Slot, usize, usize)> {
    let mut path = base.to_vec();
    let (last, outer) = stack.split_last()?;
    for open in outer {
        path.push(match open.bracket {
            '[' => open.index.to_string(),
            _ => open.key.clone()?,
        });
    }
    let slot = match (last.bracket, &last.key) {
        ('[', _) => {
            path.push(last.index.to_string());
            Slot::Value
        }
        (_, Some(key)) => {
            path.push(key.clone());
            Slot::Value
        }
        (_, None) => {
            path.push(unquoted(raw, from, to).text);
            Slot::Key
        }
    };
    Some((path, slot, from, to))
}

/// The place found in a flow collection, with the keys of its mapping.
fn finish(
    at_cursor: Option<(Vec<String>, Slot, usize, usize)>,
    siblings: Vec<String>,
    raw: &str,
) -> Option<Place> {
    let (path, slot, from, to) = at_cursor?;
    let word = unquoted(raw, from, to);
    let siblings = match slot {
        Slot::Key => siblings.into_iter().filter(|k| *k != word.text).collect(),
        Slot::Value => Vec::new(),
    };
    Some(Place {
        slot,
        path,
        word: word.text,
        word_range: word.range,
        siblings,
        after_key: false,
        has_colon: false,
    })
}

/// Splits a line into its indentation, list markers, key and content.
fn parts(raw: &str) -> Parts {
    let mut markers = Vec::new();
    let mut pos = indentation(raw);
    loop {
        let rest = &raw[pos..];
        if rest == "-" || rest.starts_with("- ") {
            markers.push(pos);
            pos += 1;
            pos += indentation(&raw[pos..]);
        } else {
            break;
        }
    }
    let content = pos;
    let end = content_end(raw, content);
    let key = find_colon(raw, content, end).map(|colon| (unquoted(raw, content, colon), colon + 1));
    Parts {
        markers,
        content,
        end,
        key,
    }
}

/// The byte offset of the colon of a `key:` starting at `content`, if the
/// content is one: a colon followed by a space or the end, outside quotes,
/// in content that does not start with a bracket.
fn find_colon(raw: &str, content: usize, end: usize) -> Option<usize> {
    let text = &raw[content..end];
    if text.starts_with(['[', '{']) {
        return None;
    }
    let mut quote = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None if c == ':' && chars.peek().is_none_or(|(_, n)| *n == ' ' || *n == '\t') => {
                return Some(content + i);
            }
            None => {}
        }
    }
    None
}

/// Where the content that starts at `from` ends: before a comment, without
/// trailing spaces.
fn content_end(raw: &str, from: usize) -> usize {
    let cut = comment_start(raw, from);
    from + raw[from..cut].trim_end().len()
}

/// Where a comment starts on the line (a `#` at the start of the content or
/// after a space, outside quotes), else the line's end.
fn comment_start(raw: &str, from: usize) -> usize {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in raw[from..].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (previous == ' ' || previous == '\t') => return from + i,
            None => {}
        }
        previous = c;
    }
    raw.len()
}

/// The text of `from..to` trimmed, without surrounding quotes, and its range.
fn unquoted(raw: &str, from: usize, to: usize) -> Word {
    let text = &raw[from..to];
    let start = from + (text.len() - text.trim_start().len());
    let end = from + text.trim_end().len();
    let (start, end) = match raw.get(start..end) {
        Some(t)
            if t.len() >= 2
                && ((t.starts_with('"') && t.ends_with('"'))
                    || (t.starts_with('\'') && t.ends_with('\''))) =>
        {
            (start + 1, end - 1)
        }
        Some(t) if t.starts_with(['"', '\'']) => (start + 1, end),
        _ => (start, end.max(start)),
    };
    Word {
        text: raw[start..end].to_string(),
        range: start..end,
    }
}

/// Leading spaces.
fn indentation(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

/// Whether a key whose value reads `value` (after its colon) takes its value
/// from the lines below: nothing written yet, or only an anchor or tag.
fn value_is_open(value: &str) -> bool {
    let value = value.trim();
    value.is_empty() || value.starts_with(['&', '!'])
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRONT: &str = "\
---
id: guelph-brine   # the file name
title: \"Brine\"
areas: [roads-winter-control, roads]
municipalities:
  - guelph
  - ham
summary: A long text
  that goes on.
evidence:
  - measure: ROAD307
    municipality: guelph
  - {measure: ROAD308, municipality: otta}
technologies:
  - product: Cityworks
    fun
---
## Body
";

    /// The place at the first `marker` on the line that contains `line_has`.
    fn at(text: &str, line_has: &str, marker: &str) -> Option<Place> {
        let line = text.lines().position(|l| l.contains(line_has)).unwrap();
        let byte = text.lines().nth(line).unwrap().find(marker).unwrap();
        place_at(text, line, byte)
    }

    fn path(place: &Place) -> Vec<&str> {
        place.path.iter().map(String::as_str).collect()
    }

    #[test]
    fn a_key_and_its_siblings() {
        let place = at(FRONT, "title:", "tle").unwrap();
        assert_eq!(place.slot, Slot::Key);
        assert_eq!(path(&place), ["title"]);
        assert_eq!(place.word, "title");
        assert!(place.has_colon);
        assert_eq!(
            place.siblings,
            [
                "id",
                "areas",
                "municipalities",
                "summary",
                "evidence",
                "technologies"
            ]
        );
    }

    #[test]
    fn a_plain_value_without_its_comment() {
        let place = at(FRONT, "id:", "brine").unwrap();
        assert_eq!((place.slot, path(&place)), (Slot::Value, vec!["id"]));
        assert_eq!(place.word, "guelph-brine");
        assert_eq!(place.word_range, 4..16);
        assert!(place.after_key);
        assert_eq!(at(FRONT, "id:", "file"), None, "in the comment");
    }

    #[test]
    fn a_quoted_value_without_its_quotes() {
        let place = at(FRONT, "title:", "Brine").unwrap();
        assert_eq!(place.word, "Brine");
        assert_eq!(place.word_range, 8..13);
    }

    #[test]
    fn items_of_a_flow_list() {
        let place = at(FRONT, "areas:", "roads]").unwrap();
        assert_eq!(path(&place), ["areas", "1"]);
        assert_eq!(place.word, "roads");
        let place = at(FRONT, "areas:", "winter").unwrap();
        assert_eq!(
            (path(&place), place.word.as_str()),
            (vec!["areas", "0"], "roads-winter-control")
        );
    }

    #[test]
    fn items_of_a_block_list() {
        let place = at(FRONT, "- ham", "am").unwrap();
        assert_eq!(
            (place.slot, path(&place)),
            (Slot::Value, vec!["municipalities", "1"])
        );
        assert_eq!(place.word, "ham");
        assert!(!place.after_key);
    }

    #[test]
    fn keys_and_values_inside_list_items() {
        let place = at(FRONT, "municipality: guelph", "guelph").unwrap();
        assert_eq!(path(&place), ["evidence", "0", "municipality"]);
        let place = at(FRONT, "municipality: guelph", "muni").unwrap();
        assert_eq!(place.slot, Slot::Key);
        assert_eq!(place.siblings, ["measure"]);
        let place = at(FRONT, "otta", "otta").unwrap();
        assert_eq!(
            (place.slot, path(&place)),
            (Slot::Value, vec!["evidence", "1", "municipality"])
        );
        assert_eq!(place.word, "otta");
        let place = at(FRONT, "otta", "measure").unwrap();
        assert_eq!(
            (place.slot, path(&place)),
            (Slot::Key, vec!["evidence", "1", "measure"])
        );
        assert_eq!(place.siblings, ["municipality"]);
    }

    #[test]
    fn a_key_being_typed() {
        let place = at(FRONT, "    fun", "un").unwrap();
        assert_eq!(
            (place.slot, path(&place)),
            (Slot::Key, vec!["technologies", "0", "fun"])
        );
        assert_eq!(place.siblings, ["product"]);
        assert!(!place.has_colon);
    }

    #[test]
    fn a_blank_line_is_a_new_key_at_the_cursor_column() {
        let text = "---\nid: a\nevidence:\n  - measure: X\n    \n---\n";
        let place = place_at(text, 4, 4).unwrap();
        assert_eq!(
            (place.slot, path(&place)),
            (Slot::Key, vec!["evidence", "0", ""])
        );
        assert_eq!(place.siblings, ["measure"]);
        let place = place_at(text, 4, 0).unwrap();
        assert_eq!(path(&place), [""]);
        assert_eq!(place.siblings, ["id", "evidence"]);
    }

    #[test]
    fn an_empty_value_and_an_empty_item() {
        let text = "---\nkind: \nareas:\n  - \n---\n";
        let place = place_at(text, 1, 6).unwrap();
        assert_eq!(
            (place.slot, path(&place), place.word.as_str()),
            (Slot::Value, vec!["kind"], "")
        );
        let place = place_at(text, 3, 4).unwrap();
        assert_eq!(
            (place.slot, path(&place)),
            (Slot::Value, vec!["areas", "0"])
        );
    }

    #[test]
    fn a_list_at_the_keys_column() {
        let text = "---\nareas:\n- roads\n- wat\nkind: best\n---\n";
        let place = place_at(text, 3, 4).unwrap();
        assert_eq!(path(&place), ["areas", "1"]);
        let place = place_at(text, 4, 1).unwrap();
        assert_eq!((place.slot, path(&place)), (Slot::Key, vec!["kind"]));
    }

    #[test]
    fn nowhere_outside_the_front_matter_or_inside_text() {
        assert_eq!(at(FRONT, "## Body", "Body"), None);
        assert_eq!(at(FRONT, "---", "-"), None);
        assert_eq!(at(FRONT, "that goes on", "goes"), None);
        assert_eq!(place_at("no front matter\n", 0, 3), None);
        assert_eq!(place_at("---\nid: a\n", 9, 0), None);
    }

    #[test]
    fn an_unterminated_front_matter_still_has_places() {
        let place = place_at("---\nkind: be", 1, 8).unwrap();
        assert_eq!((path(&place), place.word.as_str()), (vec!["kind"], "be"));
    }
}
