//! What the checks and the index need from a markdown body: its headings,
//! its links, the anchors a link can point at, and its plain text, read with
//! pulldown-cmark.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostic::Span;

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, ...
    pub level: usize,
    /// The heading's text.
    pub text: String,
    /// Its explicit id (`## Title {#id}`), if it has one.
    pub id: Option<String>,
    /// Where it stands in the file.
    pub span: Span,
}

impl Heading {
    /// The anchor a link reaches this heading by: its explicit id, else the
    /// slug of its text ([`slug`]), before duplicates are numbered.
    pub fn anchor(&self) -> String {
        self.id.clone().unwrap_or_else(|| slug(&self.text))
    }
}

/// A link or image of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// An email autolink (`<someone@example.org>`), whose destination is an
    /// address, not a file.
    pub email: bool,
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
    /// Ids given in raw HTML (`<a id="x">`, `<a name="x">`), which links can
    /// point at as well as at headings.
    pub html_ids: Vec<String>,
}

impl Outline {
    /// Every anchor a link `#fragment` can reach in this body: the headings'
    /// anchors, duplicates numbered `-1`, `-2` ... as GitHub and Hugo do, and
    /// the ids of raw HTML.
    pub fn anchors(&self) -> Vec<String> {
        let mut seen = std::collections::HashMap::<String, usize>::new();
        let mut anchors = Vec::with_capacity(self.headings.len() + self.html_ids.len());
        for heading in &self.headings {
            let anchor = heading.anchor();
            let count = seen.entry(anchor.clone()).or_default();
            anchors.push(match *count {
                0 => anchor,
                n => format!("{anchor}-{n}"),
            });
            *count += 1;
        }
        anchors.extend(self.html_ids.iter().cloned());
        anchors
    }
}

/// Reads the headings and links of `body`, whose first line is file line `body_line`.
pub fn outline(body: &str, body_line: usize) -> Outline {
    let mut outline = Outline::default();
    let mut open_heading: Option<(usize, Option<String>, String, Span)> = None;
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
    let parser = Parser::new_ext(body, Options::ENABLE_HEADING_ATTRIBUTES);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                open_heading = Some((
                    heading_level(level),
                    id.map(|id| id.to_string()),
                    String::new(),
                    to_file(range.start, 1),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, text, span)) = open_heading.take() {
                    outline.headings.push(Heading {
                        level,
                        text: text.trim().to_string(),
                        id,
                        span,
                    });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, heading, _)) = open_heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                outline.html_ids.extend(html_ids(&html).map(str::to_string));
            }
            Event::Start(
                Tag::Link {
                    dest_url,
                    link_type,
                    ..
                }
                | Tag::Image {
                    dest_url,
                    link_type,
                    ..
                },
            ) => {
                outline.links.push(Link {
                    dest: dest_url.to_string(),
                    email: link_type == LinkType::Email,
                    span: to_file(range.start, range.len().min(200)),
                });
            }
            _ => {}
        }
    }
    outline
}

/// The text of `body` without markup, for indexing and snippets.
///
/// Each heading is a line of its own (`\n` before and after it) and nothing
/// else holds a newline, so splitting the text at `\n` gives the text before
/// the first heading, then each heading followed by the text under it:
/// [`sections`] reads it back.
pub fn plain_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                let kept = text.trim_end_matches(' ').len();
                text.truncate(kept);
                text.push('\n');
            }
            Event::End(TagEnd::Heading(_)) => text.push('\n'),
            Event::Text(t) | Event::Code(t) => {
                // Line breaks inside the text become spaces, a piece at a time.
                let mut pieces = t.split('\n');
                text.push_str(pieces.next().unwrap_or_default());
                for piece in pieces {
                    text.push(' ');
                    text.push_str(piece);
                }
            }
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

/// The byte ranges of [`plain_text`]'s output that are body text, not
/// headings: the stretches between headings, headings left out.
pub fn sections(plain: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (i, line) in plain.split('\n').enumerate() {
        if i % 2 == 0 {
            ranges.push(start..start + line.len());
        }
        start += line.len() + 1;
    }
    ranges
}

/// The anchor GitHub gives a heading, which Hugo's default (`github`) rule
/// gives too: the text in lower case, without what is not a letter, a digit,
/// a space, `-` or `_`, each space turned into `-`.
pub fn slug(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The values of `id="..."` and `name="..."` attributes in raw HTML.
fn html_ids(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices(['i', 'n'])
        .filter_map(move |(at, _)| {
            let before = html[..at].chars().next_back();
            if !before.is_some_and(char::is_whitespace) {
                return None;
            }
            let rest = &html[at..];
            let rest = rest
                .strip_prefix("id=")
                .or_else(|| rest.strip_prefix("name="))?;
            let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''))?;
            let value = &rest[1..];
            value.find(quote).map(|end| &value[..end])
        })
        .filter(|id| !id.is_empty())
}

/// True when a link destination is an address on the web or elsewhere, not a
/// file: it starts with a URI scheme (`https:`, `mailto:`, `tel:`,
/// `about:` ...) or with `//`.
pub fn has_scheme(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
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
            "\nTitle\nSome bold code."
        );
    }

    #[test]
    fn headings_are_lines_between_sections() {
        let plain = plain_text(
            "Intro *text*.\n\n## One\n\nFirst\nline.\n\n```\na\nb\n```\n## Two\n### Three\nLast.\n",
        );
        assert_eq!(
            plain,
            "Intro text.\nOne\nFirst line. a b\nTwo\n\nThree\nLast."
        );
        let texts: Vec<&str> = sections(&plain).into_iter().map(|r| &plain[r]).collect();
        assert_eq!(texts, ["Intro text.", "First line. a b", "", "Last."]);
    }

    #[test]
    fn tells_addresses_from_files() {
        for address in [
            "https://example.org",
            "mailto:a@b.c",
            "tel:+1-555-0100",
            "about:blank",
            "ms-settings:display",
            "//cdn.example.org/x.js",
        ] {
            assert!(has_scheme(address), "{address}");
        }
        for file in [
            "../roads/x.md",
            "x.md#part:two",
            "./nixos",
            "#section",
            "a/b:c",
        ] {
            assert!(!has_scheme(file), "{file}");
        }
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slug("What's new"), "whats-new");
        assert_eq!(slug("Step 1: install `mkn`"), "step-1-install-mkn");
        assert_eq!(slug("Ünïcode  Title_x"), "ünïcode--title_x");
    }

    #[test]
    fn anchors_number_duplicates_and_take_explicit_ids() {
        let body = "# Notes\n## Notes\n## Setup {#install}\n<a id=\"legacy\"></a>\n<a name='old-name'>x</a>\n";
        let outline = outline(body, 1);
        assert_eq!(
            outline.anchors(),
            ["notes", "notes-1", "install", "legacy", "old-name"]
        );
        assert_eq!(outline.headings[2].text, "Setup");
    }

    #[test]
    fn email_autolinks_are_marked() {
        let outline = outline("Write to <a@example.org> or [us](mailto:b@example.org).", 1);
        let email: Vec<_> = outline
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.email))
            .collect();
        assert_eq!(
            email,
            [("a@example.org", true), ("mailto:b@example.org", false)]
        );
    }
}
