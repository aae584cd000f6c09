//! The page shell every page of the site shares: head with sharing
//! metadata, header with navigation and search, footer with the source.

use std::fmt::Write;

use super::Site;
use crate::export::html::escape;

/// One page before it is wrapped in the shell.
pub struct Page<'p> {
    /// Path relative to the site root (`practices/x.html`).
    pub path: &'p str,
    /// Title (the `<h1>` is the body's; this is the `<title>`).
    pub title: &'p str,
    /// One or two sentences for search engines and link previews.
    pub description: &'p str,
    /// `article` for a document, `website` for the rest (Open Graph type).
    pub kind: &'p str,
    /// The main content, starting with its `<h1>`.
    pub main: String,
    /// Corpus files the page is built from, linked in the footer.
    pub sources: Vec<String>,
    /// The one of them whose text the page shows (in `<details id="source">`).
    pub embedded: Option<&'p str>,
}

/// The prefix from a page back to the site root (`""` or `"../"`).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Wraps a page in the shell.
pub fn render(site: &Site, page: &Page) -> String {
    let root = root_of(page.path);
    let title = if page.path == "index.html" {
        site.name.clone()
    } else {
        format!("{} · {}", page.title, site.name)
    };
    let mut out = String::with_capacity(page.main.len() + 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<meta name=\"description\" content=\"{desc}\">\n\
         <meta property=\"og:site_name\" content=\"{site_name}\">\n\
         <meta property=\"og:title\" content=\"{page_title}\">\n\
         <meta property=\"og:description\" content=\"{desc}\">\n\
         <meta property=\"og:type\" content=\"{kind}\">\n",
        title = escape(&title),
        desc = escape(page.description),
        site_name = escape(&site.name),
        page_title = escape(page.title),
        kind = page.kind,
    );
    if let Some(base) = &site.base_url {
        let _ = write!(
            out,
            "<meta property=\"og:url\" content=\"{base}{path}\">\n\
             <link rel=\"canonical\" href=\"{base}{path}\">\n",
            base = escape(base),
            path = escape(page.path),
        );
    }
    let _ = write!(
        out,
        "<meta name=\"twitter:card\" content=\"summary\">\n\
         <meta name=\"twitter:title\" content=\"{page_title}\">\n\
         <meta name=\"twitter:description\" content=\"{desc}\">\n\
         <link rel=\"stylesheet\" href=\"{root}assets/style.css\">\n\
         <link rel=\"alternate\" type=\"application/atom+xml\" title=\"{site_name}: new and updated {noun}\" href=\"{root}feed.xml\">\n\
         </head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n\
         <header class=\"site\">\n<p class=\"brand\"><a href=\"{root}index.html\">{site_name}</a></p>\n\
         <nav aria-label=\"Sections\"><ul>",
        page_title = escape(page.title),
        desc = escape(page.description),
        site_name = escape(&site.name),
        noun = site.noun(),
    );
    if site.municipal {
        let _ = write!(
            out,
            "<li><a href=\"{root}areas/index.html\">Service areas</a></li>\
             <li><a href=\"{root}municipalities/index.html\">Municipalities</a></li>\
             <li><a href=\"{root}tech/index.html\">Technology</a></li>"
        );
    }
    let _ = writeln!(
        out,
        "<li><a href=\"{root}tags/index.html\">Tags</a></li>\
         <li><a href=\"{root}feed.xml\">Feed</a></li></ul></nav>"
    );
    if page.path != "index.html" {
        let _ = writeln!(
            out,
            "<form role=\"search\" class=\"site-search\" action=\"{root}index.html\" method=\"get\">\
             <label for=\"site-search\">Search {noun}</label> \
             <input id=\"site-search\" type=\"search\" name=\"q\"> \
             <button type=\"submit\">Search</button></form>",
            noun = site.noun()
        );
    }
    let _ = write!(
        out,
        "</header>\n<main id=\"main\">\n{main}\n</main>\n<footer class=\"site\">\n",
        main = page.main
    );
    if !page.sources.is_empty() {
        out.push_str("<p>Source: ");
        for (i, source) in page.sources.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let href = match &site.source_url {
                Some(template) => template
                    .replace("{commit}", &site.commit)
                    .replace("{path}", source),
                None if page.embedded == Some(source.as_str()) => "#source".to_string(),
                None => format!(
                    "{root}{}",
                    super::Site::copy_path(std::path::Path::new(source))
                ),
            };
            let _ = write!(
                out,
                "<a href=\"{href}\">{name}</a>",
                href = escape(&href),
                name = escape(source)
            );
        }
        out.push_str("</p>\n");
    } else {
        out.push_str(
            "<p>Built from the documents listed; each one's page shows its source file.</p>\n",
        );
    }
    let _ = write!(
        out,
        "<p>Built by mkn from commit <code>{short}</code>. \
         <a href=\"{root}feed.xml\">Atom feed</a> of new and updated {noun}.</p>\n\
         </footer>\n</body>\n</html>\n",
        short = escape(crate::git::short_id(&site.commit)),
        noun = site.noun(),
    );
    out
}

/// A link from the page at `from` to `to` (both relative to the site root).
pub fn link(from: &str, to: &str, text: &str) -> String {
    format!(
        "<a href=\"{}{}\">{}</a>",
        root_of(from),
        escape(to),
        escape(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_climb_back_to_the_root() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("practices/a.html"), "../");
        assert_eq!(
            link("areas/roads.html", "practices/a.html", "A & B"),
            "<a href=\"../practices/a.html\">A &amp; B</a>"
        );
    }
}
