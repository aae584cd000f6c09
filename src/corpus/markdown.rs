//! What the checks and the index need from a markdown body: its headings,
//! its links, and its plain text, read with pulldown-cmark.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::corpus::yaml::Span;

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, ...
    pub level: usize,
    /// The heading's text.
    pub text: String,
    /// Where it stands in the file.
    pub span: Span,
}

/// A link or image of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// Where the link stands in the file.
    pub span: Span,
}

/// The parts of a body the checks and the index use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links and images in order.
    pub links: Vec<Link>,
}

/// Reads the headings and links of `body`, whose first line is file line `body_line`.
pub fn outline(body: &str, body_line: usize) -> Outline {
    let mut outline = Outline::default();
    let mut open_heading: Option<(usize, String, Span)> = None;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    // Offsets mostly grow, so columns are counted on from the last position
    // when it is on the same line: many links on one line stay linear.
    let mut last = (usize::MAX, 0, 0); // (line, offset, column)
    let mut to_file = |offset: usize, len: usize| {
        let line = line_starts.partition_point(|&start| start <= offset) - 1;
        let (from, col) = if last.0 == line && last.1 <= offset {
            (last.1, last.2)
        } else {
            (line_starts[line], 1)
        };
        let col = col + body[from..offset].chars().count();
        last = (line, offset, col);
        Span {
            line: body_line + line,
            col,
            len: len.max(1),
        }
    };
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open_heading = Some((heading_level(level), String::new(), to_file(range.start, 1)));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, span)) = open_heading.take() {
                    outline.headings.push(Heading {
                        level,
                        text: text.trim().to_string(),
                        span,
                    });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading, _)) = open_heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                outline.links.push(Link {
                    dest: dest_url.to_string(),
                    span: to_file(range.start, range.len().min(200)),
                });
            }
            _ => {}
        }
    }
    outline
}

/// The text of `body` without markup, for indexing and snippets.
pub fn plain_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    for event in Parser::new(body) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !text.ends_with([' ', '\n']) => {
                text.push(' ')
            }
            _ => {}
        }
    }
    text.trim_end().to_string()
}

/// True when a link destination points into the corpus rather than the web.
pub fn is_relative(dest: &str) -> bool {
    !(dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with('/')
        || dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:"))
}

fn heading_level(level: HeadingLevel) -> usize {
    level as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_headings_and_links_at_file_lines() {
        let body = "## Challenge\n\nText with a [link](../roads/x.md).\n\n## Lessons `learned`\n";
        let outline = outline(body, 10);
        let headings: Vec<_> = outline
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str(), h.span.line))
            .collect();
        assert_eq!(headings, [(2, "Challenge", 10), (2, "Lessons learned", 14)]);
        assert_eq!(outline.links[0].dest, "../roads/x.md");
        assert_eq!(
            (outline.links[0].span.line, outline.links[0].span.col),
            (12, 13)
        );
    }

    #[test]
    fn strips_markup() {
        assert_eq!(
            plain_text("## Title\n\nSome *bold* `code`.\n"),
            "Title Some bold code."
        );
    }

    #[test]
    fn tells_relative_links() {
        assert!(is_relative("../roads/x.md"));
        assert!(is_relative("x.md#part"));
        assert!(!is_relative("https://example.org"));
        assert!(!is_relative("#section"));
        assert!(!is_relative("mailto:a@b.c"));
    }
}
