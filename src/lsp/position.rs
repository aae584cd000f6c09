//! Positions in two systems: mkn's spans (1-based line, 1-based column in
//! characters) and the protocol's (0-based line, 0-based column in UTF-16
//! code units). Every conversion clamps: a position past the end of a line,
//! past the last line or inside a surrogate pair lands on the nearest
//! character boundary instead of failing.

use lsp_types::{Position, Range};

use crate::diagnostic::Span;

/// The 0-based line `line` of `text` without its line break; empty past the end.
pub fn line_text(text: &str, line: usize) -> &str {
    text.split('\n')
        .nth(line)
        .map_or("", |l| l.strip_suffix('\r').unwrap_or(l))
}

/// The byte offset in `line` of a UTF-16 column: clamped to the line, and
/// rounded down to a character boundary when it falls inside a character.
pub fn byte_of_utf16(line: &str, column: u32) -> usize {
    let mut units = 0;
    for (byte, c) in line.char_indices() {
        units += c.len_utf16();
        if units > column as usize {
            return byte;
        }
    }
    line.len()
}

/// The UTF-16 column of a byte offset in `line` (rounded down to a
/// character boundary, clamped to the line).
pub fn utf16_of_byte(line: &str, byte: usize) -> u32 {
    line.char_indices()
        .take_while(|(i, _)| *i < byte)
        .map(|(_, c)| c.len_utf16() as u32)
        .sum()
}

/// The UTF-16 column of the character at 0-based index `chars` in `line`.
fn utf16_of_char(line: &str, chars: usize) -> u32 {
    line.chars().take(chars).map(|c| c.len_utf16() as u32).sum()
}

/// The protocol range of a span of `text`: from its column to its length in
/// characters, kept within its line.
pub fn range_of(text: &str, span: Span) -> Range {
    let line = span.line.saturating_sub(1);
    let line_str = line_text(text, line);
    let first = span.col.saturating_sub(1);
    let start = utf16_of_char(line_str, first);
    let end = utf16_of_char(line_str, first + span.len.max(1));
    Range::new(
        Position::new(line as u32, start),
        Position::new(line as u32, end),
    )
}

/// The protocol range of bytes `start..end` on 0-based line `line` of `text`.
pub fn range_of_bytes(text: &str, line: usize, start: usize, end: usize) -> Range {
    let line_str = line_text(text, line);
    Range::new(
        Position::new(line as u32, utf16_of_byte(line_str, start)),
        Position::new(line as u32, utf16_of_byte(line_str, end)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let line = "title: é🚗x";
        let x = line.find('x').unwrap();
        assert_eq!(utf16_of_byte(line, x), 10);
        assert_eq!(byte_of_utf16(line, 10), x);
        let car = line.find('🚗').unwrap();
        assert_eq!(
            byte_of_utf16(line, 9),
            car,
            "inside the pair: the character's start"
        );
        assert_eq!(
            byte_of_utf16(line, 500),
            line.len(),
            "past the end: the end"
        );
    }

    #[test]
    fn spans_become_ranges_on_their_line() {
        let text = "---\nmunicipalities: [é, guleph]\n---\n";
        let col = "municipalities: [é, ".chars().count() + 1;
        let range = range_of(
            text,
            Span {
                line: 2,
                col,
                len: 6,
            },
        );
        assert_eq!(range.start, Position::new(1, 20));
        assert_eq!(range.end, Position::new(1, 26));
    }

    #[test]
    fn spans_past_the_text_are_clamped() {
        let range = range_of(
            "---\r\nid: a\r\n",
            Span {
                line: 2,
                col: 3,
                len: 40,
            },
        );
        assert_eq!(
            range.end,
            Position::new(1, 5),
            "the \\r is not part of the line"
        );
        let range = range_of(
            "",
            Span {
                line: 9,
                col: 9,
                len: 1,
            },
        );
        assert_eq!(range.start, range.end);
    }
}
