//! Splitting a file into front matter and a markdown body.
//!
//! Front matter comes in the three formats Hugo reads (Zola uses the TOML
//! one), told apart by the file's first byte:
//!
//! - YAML between a first line `---` and the next line `---`;
//! - TOML between a first line `+++` and the next line `+++`;
//! - a JSON object starting at the file's first byte; the body follows its
//!   closing brace.
//!
//! Everything a contributor can get wrong about that frame gets its own
//! [`FrameError`], so the message can say what to change.

use std::ops::Range;

use crate::config::FrontMatter;
use crate::corpus::json_front;
use crate::diagnostic::Span;

/// The language of a document's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2 between `---` lines.
    Yaml,
    /// TOML between `+++` lines.
    Toml,
    /// A JSON object at the top of the file.
    Json,
}

impl Format {
    /// Its name as written in `mkn.toml` and in rule codes (`toml/syntax`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Toml => "toml",
            Format::Json => "json",
        }
    }

    /// How a file in this format starts.
    pub fn opening(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
            Format::Json => "{",
        }
    }
}

impl FrontMatter {
    /// The one format it requires, if it requires one.
    pub fn only(self) -> Option<Format> {
        match self {
            FrontMatter::Any => None,
            FrontMatter::Yaml => Some(Format::Yaml),
            FrontMatter::Toml => Some(Format::Toml),
            FrontMatter::Json => Some(Format::Json),
        }
    }

    /// Whether a document in `format` is in the format required.
    pub fn allows(self, format: Format) -> bool {
        self.only().is_none_or(|only| only == format)
    }
}

/// A file split into its two parts, with the file lines where each begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter's language.
    pub format: Format,
    /// The front matter: the text between the delimiters (YAML, TOML), or the
    /// JSON object with its braces.
    pub front: &'a str,
    /// File line of the front matter's first line.
    pub front_line: usize,
    /// The markdown after the front matter.
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Why a file has no usable front matter frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    /// Stable rule code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: &'static str,
    /// Where.
    pub span: Span,
}

/// Why TOML or JSON front matter could not be read into values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What kind of failure, which picks the rule code.
    pub kind: ReadErrorKind,
    /// What went wrong, in words.
    pub message: String,
    /// Where it went wrong.
    pub span: Span,
    /// Where the first of two duplicate keys stands, when known.
    pub first: Option<Span>,
    /// How to fix it.
    pub hint: Option<&'static str>,
}

/// The kinds of [`ReadError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadErrorKind {
    /// The parser's own error.
    Syntax,
    /// A table or object has the same key twice.
    DuplicateKey,
    /// Values nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// YAML aliases expanding past their limit.
    AliasLimit,
}

impl ReadErrorKind {
    /// The rule code of this failure in `format` (`toml/duplicate-key`).
    pub fn code(self, format: Format) -> String {
        let rule = match self {
            ReadErrorKind::Syntax => "syntax",
            ReadErrorKind::DuplicateKey => "duplicate-key",
            ReadErrorKind::TooDeep => "too-deep",
            ReadErrorKind::AliasLimit => "alias-limit",
        };
        format!("{}/{rule}", format.name())
    }
}

/// The deepest nesting of tables, objects and arrays read, as for YAML.
pub const MAX_DEPTH: usize = 64;

/// Splits `text` (BOM already removed) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrameError> {
    // `{{<` and `{%` open a Hugo shortcode or a template tag, not JSON.
    if text.starts_with('{') && !text.starts_with("{{") && !text.starts_with("{%") {
        return split_json(text);
    }
    let mut lines = LineIter {
        text,
        pos: 0,
        line: 0,
    };
    let Some((first, _)) = lines.next() else {
        return Err(missing(1));
    };
    if first.trim().is_empty() {
        let next = lines.find(|(l, _)| !l.trim().is_empty());
        return Err(match next {
            Some((l, _)) if delimiter(l).is_some() || l.starts_with('{') => FrameError {
                code: "front-matter/leading-blank",
                message: "blank lines before the front matter".into(),
                hint: "the front matter must start on the first line: remove the blank lines above it",
                span: Span {
                    line: 1,
                    col: 1,
                    len: 1,
                },
            },
            _ => missing(1),
        });
    }
    let Some(format) = delimiter(first) else {
        return Err(missing(1));
    };
    let front_start = lines.pos;
    while let Some((line, start)) = lines.next() {
        if delimiter(line) == Some(format) {
            return Ok(Split {
                format,
                front: &text[front_start..start],
                front_line: 2,
                body: &text[lines.pos..],
                body_line: lines.line + 1,
            });
        }
    }
    Err(FrameError {
        code: "front-matter/unterminated",
        message: "the front matter is never closed".into(),
        hint: match format {
            Format::Toml => "add a line `+++` after the last front-matter key",
            Format::Yaml | Format::Json => "add a line `---` after the last front-matter key",
        },
        span: Span {
            line: 1,
            col: 1,
            len: 3,
        },
    })
}

/// Hugo's JSON front matter: the object that starts the file, then the body.
fn split_json(text: &str) -> Result<Split<'_>, FrameError> {
    let end = json_front::object_end(text).map_err(|e| FrameError {
        code: "json/syntax",
        message: e.message,
        hint: e.hint.unwrap_or(json_front::SYNTAX_HINT),
        span: e.span,
    })?;
    let rest = &text[end..];
    let body_start = end
        + rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .map_or(0, |after| rest.len() - after.len());
    Ok(Split {
        format: Format::Json,
        front: &text[..end],
        front_line: 1,
        body: &text[body_start..],
        body_line: text[..body_start].matches('\n').count() + 1,
    })
}

fn missing(line: usize) -> FrameError {
    FrameError {
        code: "front-matter/missing",
        message: "no front matter: the file must start with a line `---` (YAML), `+++` (TOML) or a JSON object".into(),
        hint: "start the file with `---`, the YAML keys, and another `---`; `mkn new` writes a skeleton",
        span: Span {
            line,
            col: 1,
            len: 1,
        },
    }
}

/// The format a delimiter line opens or closes.
fn delimiter(line: &str) -> Option<Format> {
    match line.trim_end() {
        "---" => Some(Format::Yaml),
        "+++" => Some(Format::Toml),
        _ => None,
    }
}

/// Turns byte ranges of a front matter's text into file positions, in
/// logarithmic time per range (a front matter may hold thousands of values).
#[derive(Debug)]
pub struct Positions<'a> {
    text: &'a str,
    first_line: usize,
    /// Byte offset of each line's start.
    starts: Vec<usize>,
}

impl<'a> Positions<'a> {
    /// Positions in `text`, whose first line is file line `first_line`.
    pub fn new(text: &'a str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Positions {
            text,
            first_line,
            starts,
        }
    }

    /// The file position of a byte range: its start, and its length in
    /// characters up to the end of its first line (at least 1).
    pub fn span(&self, range: Range<usize>) -> Span {
        let start = floor_char_boundary(self.text, range.start.min(self.text.len()));
        let end = floor_char_boundary(self.text, range.end.clamp(start, self.text.len()));
        let line = self.starts.partition_point(|&s| s <= start) - 1;
        let token = &self.text[start..end];
        let token = token.split(['\n', '\r']).next().unwrap_or("");
        Span {
            line: self.first_line + line,
            col: self.text[self.starts[line]..start].chars().count() + 1,
            len: token.chars().count().max(1),
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Lines without their terminator (`\n` or `\r\n`), with the byte offset each starts at.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        self.line += 1;
        Some((line.strip_suffix('\r').unwrap_or(line), start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\nid: a\n---\n## Challenge\n").unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.front, "id: a\n");
        assert_eq!(s.front_line, 2);
        assert_eq!(s.body, "## Challenge\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_crlf() {
        let s = split("---\r\nid: a\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(s.front, "id: a\r\n");
        assert_eq!(s.body, "body\r\n");
    }

    #[test]
    fn names_each_framing_mistake() {
        let code = |t: &str| split(t).unwrap_err().code;
        assert_eq!(code(""), "front-matter/missing");
        assert_eq!(code("# Title\n"), "front-matter/missing");
        assert_eq!(code("+++\ntitle = 'x'\n"), "front-matter/unterminated");
        assert_eq!(code("+++\ntitle = 'x'\n---\n"), "front-matter/unterminated");
        assert_eq!(code("\n{\"id\": 1}\n"), "front-matter/leading-blank");
        assert_eq!(code("{\"id\": 1,\n\"title\"}\n"), "json/syntax");
        assert_eq!(
            code("{{< youtube w7Ft2ymGmfc >}}\n"),
            "front-matter/missing"
        );
        assert_eq!(code("\n\n---\nid: a\n---\n"), "front-matter/leading-blank");
        assert_eq!(code("---\nid: a\n"), "front-matter/unterminated");
    }

    #[test]
    fn empty_front_matter_is_a_frame() {
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.front, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn splits_toml_between_plus_lines() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.front, "title = \"a\"\n");
        assert_eq!((s.front_line, s.body, s.body_line), (2, "body\n", 4));
    }

    #[test]
    fn splits_json_at_its_closing_brace() {
        let text = "{\n  \"title\": \"a } b\",\n  \"tags\": [\"x\"]\n}\n# Body\n";
        let s = split(text).unwrap();
        assert_eq!(s.format, Format::Json);
        assert_eq!(
            s.front,
            "{\n  \"title\": \"a } b\",\n  \"tags\": [\"x\"]\n}"
        );
        assert_eq!((s.front_line, s.body, s.body_line), (1, "# Body\n", 5));
        let s = split("{\"a\": 1}").unwrap();
        assert_eq!((s.body, s.body_line), ("", 1));
    }

    #[test]
    fn json_syntax_errors_have_their_position() {
        let e = split("{\n  \"title\": \"a\",\n  \"year\": 20x6\n}\n").unwrap_err();
        assert_eq!(e.code, "json/syntax");
        assert_eq!((e.span.line, e.span.col), (3, 13), "{e:?}");
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "a = 1\nné = \"x\"\n";
        let p = Positions::new(text, 2);
        let value = text.find("\"x\"").unwrap();
        assert_eq!(
            p.span(value..value + 3),
            Span {
                line: 3,
                col: 6,
                len: 3
            }
        );
        assert_eq!(
            p.span(0..1),
            Span {
                line: 2,
                col: 1,
                len: 1
            }
        );
        assert_eq!(
            p.span(0..text.len()).len,
            5,
            "a span ends with its first line"
        );
    }
}
