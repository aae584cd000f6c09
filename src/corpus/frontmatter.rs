//! Splitting a file into YAML front matter and a markdown body.
//!
//! The file must begin with a line `---`; the front matter runs to the next
//! line `---`. Everything a contributor can get wrong about that frame gets its
//! own [`FrameError`], so the message can say what to change.

use crate::corpus::yaml::Span;

/// A file split into its two parts, with the file lines where each begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the delimiters.
    pub yaml: &'a str,
    /// File line of the first YAML line.
    pub yaml_line: usize,
    /// The markdown after the closing delimiter.
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

/// Splits `text` (BOM already removed) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrameError> {
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
            Some((l, _)) if is_delimiter(l) => FrameError {
                code: "front-matter/leading-blank",
                message: "blank lines before the opening `---`".into(),
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
    if first.trim_end() == "+++" {
        return Err(FrameError {
            code: "front-matter/toml",
            message: "TOML front matter (`+++`) is not supported".into(),
            hint: "write the front matter as YAML between `---` lines",
            span: Span {
                line: 1,
                col: 1,
                len: 3,
            },
        });
    }
    if !is_delimiter(first) {
        return Err(missing(1));
    }
    let yaml_start = lines.pos;
    while let Some((line, start)) = lines.next() {
        if is_delimiter(line) {
            return Ok(Split {
                yaml: &text[yaml_start..start],
                yaml_line: 2,
                body: &text[lines.pos..],
                body_line: lines.line + 1,
            });
        }
    }
    Err(FrameError {
        code: "front-matter/unterminated",
        message: "the front matter is never closed".into(),
        hint: "add a line `---` after the last front-matter key",
        span: Span {
            line: 1,
            col: 1,
            len: 3,
        },
    })
}

fn missing(line: usize) -> FrameError {
    FrameError {
        code: "front-matter/missing",
        message: "no front matter: the file must start with a line `---`".into(),
        hint: "start the file with `---`, the YAML keys, and another `---`; `mkn new` writes a skeleton",
        span: Span {
            line,
            col: 1,
            len: 1,
        },
    }
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == "---"
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
        assert_eq!(s.yaml, "id: a\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "## Challenge\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_crlf() {
        let s = split("---\r\nid: a\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(s.yaml, "id: a\r\n");
        assert_eq!(s.body, "body\r\n");
    }

    #[test]
    fn names_each_framing_mistake() {
        let code = |t: &str| split(t).unwrap_err().code;
        assert_eq!(code(""), "front-matter/missing");
        assert_eq!(code("# Title\n"), "front-matter/missing");
        assert_eq!(code("+++\ntitle = 'x'\n+++\n"), "front-matter/toml");
        assert_eq!(code("\n\n---\nid: a\n---\n"), "front-matter/leading-blank");
        assert_eq!(code("---\nid: a\n"), "front-matter/unterminated");
    }

    #[test]
    fn empty_front_matter_is_a_frame() {
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
    }
}
