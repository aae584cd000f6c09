//! HTML building blocks shared by the static site and the HTML report:
//! escaping, safe file names, and markdown rendered to sanitised HTML.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A file-name stem made of `a-z`, `0-9` and `-` only, so that no id can
/// name a path outside the folder it is written to (`../x`, `/etc`, `a/b`
/// and `CON` all become plain names). Never empty.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// Renders a markdown body to HTML that is safe to embed: raw HTML is
/// sanitised by ammonia (no scripts, event handlers, `javascript:` links or
/// styles), headings are shifted so that the shallowest is `<h2>` (the page
/// has the `<h1>`) and carry the anchors `mkn check` checks links against
/// ([`crate::corpus::markdown::Outline::anchors`]) as their ids, and each link
/// target goes through `rewrite_link` first (to point `other.md` at its page).
pub fn markdown(body: &str, rewrite_link: &dyn Fn(&str) -> Option<String>) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut anchors = crate::corpus::markdown::outline(body, 1)
        .anchors()
        .into_iter();
    let shallowest = Parser::new_ext(body, options)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let shift = 2usize.saturating_sub(shallowest);
    let events = Parser::new_ext(body, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: deeper(level, shift),
            id: anchors.next().map(CowStr::from).or(id),
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(deeper(level, shift))),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: rewrite_link(&dest_url).map_or(dest_url, CowStr::from),
            title,
            id,
        }),
        other => other,
    });
    let mut raw = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    sanitiser().clean(&raw).to_string()
}

/// The sanitiser: ammonia's defaults (a safe list of tags, attributes and URL
/// schemes) and the ids of headings, built once.
fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        // Headings keep their anchors, so that `page.html#heading` lands.
        builder.add_tag_attributes("h2", ["id"]);
        for tag in ["h3", "h4", "h5", "h6"] {
            builder.add_tag_attributes(tag, ["id"]);
        }
        builder
    })
}

/// A heading level `shift` deeper, at most `<h6>`.
fn deeper(level: HeadingLevel, shift: usize) -> HeadingLevel {
    let n = (level as usize + shift).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str) -> String {
        markdown(body, &|_| None)
    }

    #[test]
    fn headings_carry_the_anchors_links_are_checked_against() {
        let html = render("# What's new?\n## Notes\n## Notes\n## Setup {#start}\n");
        assert_eq!(
            html,
            "<h2 id=\"whats-new\">What's new?</h2>\n<h3 id=\"notes\">Notes</h3>\n<h3 id=\"notes-1\">Notes</h3>\n<h3 id=\"start\">Setup</h3>\n"
        );
        // Raw HTML gets no ids: only the headings' own.
        assert!(!render("<p id=\"x\">a</p>").contains("id="));
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jo'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jo&#39;&lt;/a&gt;"
        );
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn slugs_cannot_leave_their_folder() {
        assert_eq!(slug("guelph-brine"), "guelph-brine");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("/abs/Path.md"), "abs-path-md");
        assert_eq!(slug("Esri ArcGIS Online"), "esri-arcgis-online");
        assert_eq!(slug("..."), "_");
        assert_eq!(slug("Île-d'Orléans"), "le-d-orl-ans");
    }

    #[test]
    fn removes_scripts_handlers_and_javascript_links() {
        let html = render(
            "## Approach\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
             [click](javascript:alert(1)) <a href=\"javascript:alert(2)\">two</a>\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<h2 id=\"approach\">Approach</h2>"), "{html}");
    }

    #[test]
    fn shifts_headings_below_the_page_title() {
        assert!(
            render("# Top\n\n## Next\n")
                .contains("<h2 id=\"top\">Top</h2>\n<h3 id=\"next\">Next</h3>")
        );
        assert!(render("## Challenge\n").contains("<h2 id=\"challenge\">Challenge</h2>"));
    }

    #[test]
    fn rewrites_links() {
        let html = markdown("[other](../roads/other.md)", &|url| {
            url.ends_with(".md").then(|| "other.html".to_string())
        });
        assert!(html.contains(r#"href="other.html""#), "{html}");
    }
}
