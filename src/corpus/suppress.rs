//! Suppression comments in a document: `<!-- mkn-ignore CODE, CODE -->` on a
//! line of its own (the next line), `<!-- mkn-ignore-file CODE -->` (the whole
//! file), and `# mkn-ignore CODE` at the end of a front-matter line (that
//! line; YAML and TOML front matter both take `#` comments).
//!
//! Read in one pass per file; the filter stage of `check` matches them with
//! the findings and reports those that matched nothing.

use crate::diagnostic::Span;

/// Which findings a suppression covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Findings on this file line.
    Line(usize),
    /// Every finding in the file.
    File,
}

/// One code (or group) named by a suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The code or group as written.
    pub code: String,
    /// What it covers.
    pub reach: Reach,
    /// Where the code is written.
    pub span: Span,
}

const LINE: &str = "mkn-ignore";
const FILE: &str = "mkn-ignore-file";

/// The suppressions of a file's `text` whose body starts on file line
/// `body_line` (1 when it has no front matter). Comments inside fenced code
/// blocks are examples, not suppressions.
pub fn parse(text: &str, body_line: usize) -> Vec<Suppression> {
    let mut out = Vec::new();
    // Nearly every file has none: one substring search instead of a look at
    // each line (it was 6 % of a check's instructions).
    if !text.contains(LINE) {
        return out;
    }
    let mut fence: Option<&str> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if number < body_line {
            if let Some(at) = front_matter_comment(line) {
                codes(line, at, Reach::Line(number), number, &mut out);
            }
            continue;
        }
        let trimmed = line.trim();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            fence = Some(marker);
            continue;
        }
        let Some(inner) = trimmed
            .strip_prefix("<!--")
            .and_then(|rest| rest.strip_suffix("-->"))
        else {
            continue;
        };
        let inner = inner.trim_start();
        let (keyword, reach) = if inner.starts_with(FILE) {
            (FILE, Reach::File)
        } else if inner
            .strip_prefix(LINE)
            .is_some_and(|rest| rest.starts_with(char::is_whitespace))
        {
            (LINE, Reach::Line(number + 1))
        } else {
            continue;
        };
        let start = line.find(keyword).expect("found above") + keyword.len();
        let end = line.rfind("-->").expect("found above");
        codes(&line[..end], start, reach, number, &mut out);
    }
    out
}

/// Where the codes of a `# mkn-ignore` comment at the end of a front-matter
/// line begin: after a `#` that starts the line or follows a space.
fn front_matter_comment(line: &str) -> Option<usize> {
    let at = line.rfind(LINE)?;
    let before = line[..at].trim_end();
    let hash = before.strip_suffix('#')?;
    let starts_comment = hash.is_empty() || hash.ends_with(char::is_whitespace);
    let rest = &line[at + LINE.len()..];
    (starts_comment && rest.starts_with(char::is_whitespace)).then_some(at + LINE.len())
}

/// The codes in `line[start..]`, separated by commas or spaces.
fn codes(line: &str, start: usize, reach: Reach, number: usize, out: &mut Vec<Suppression>) {
    let mut offset = start;
    for piece in line[start..].split(|c: char| c == ',' || c.is_whitespace()) {
        if !piece.is_empty() {
            out.push(Suppression {
                code: piece.to_string(),
                reach,
                span: Span {
                    line: number,
                    col: line[..offset].chars().count() + 1,
                    len: piece.chars().count(),
                },
            });
        }
        offset += piece.len() + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, body_line: usize) -> Vec<(String, Reach, usize, usize)> {
        parse(text, body_line)
            .into_iter()
            .map(|s| (s.code, s.reach, s.span.line, s.span.col))
            .collect()
    }

    #[test]
    fn reads_the_three_forms() {
        let text = "---\nyear: 12.50 # mkn-ignore yaml/implicit-type\n---\n\n<!-- mkn-ignore ref/link, schema -->\n[x](nope.md)\n<!-- mkn-ignore-file source/no-url -->\n";
        assert_eq!(
            found(text, 4),
            vec![
                ("yaml/implicit-type".into(), Reach::Line(2), 2, 26),
                ("ref/link".into(), Reach::Line(6), 5, 17),
                ("schema".into(), Reach::Line(6), 5, 27),
                ("source/no-url".into(), Reach::File, 7, 22),
            ]
        );
    }

    #[test]
    fn leaves_out_code_blocks_values_and_other_comments() {
        let text = "---\ntitle: \"a#mkn-ignore x\"\n---\n```\n<!-- mkn-ignore ref/link -->\n```\n<!-- mkn-ignored ref/link -->\nText <!-- mkn-ignore ref/link --> inline\n";
        assert!(found(text, 4).is_empty());
    }
}
