//! The Atom feed (RFC 4287) of new and updated documents, dated by git.

use std::fmt::Write;

use super::{Entry, Site};
use crate::clock::rfc3339;
use crate::export::html::{escape, slug};

/// How many entries the feed carries, newest first.
const FEED_ENTRIES: usize = 50;

/// The feed: the most recently committed documents; uncommitted ones are left
/// out (they have no date yet). Links are absolute with `[site] base_url`,
/// else relative to the feed.
pub fn atom(site: &Site) -> String {
    let mut dated: Vec<&Entry> = site.entries.iter().filter(|e| e.dates.is_some()).collect();
    let updated = |e: &Entry| e.dates.as_ref().map_or(0, |d| d.updated.0);
    dated.sort_by(|a, b| updated(b).cmp(&updated(a)).then(a.row.id.cmp(&b.row.id)));
    dated.truncate(FEED_ENTRIES);
    let base = site.base_url.as_deref().unwrap_or("");
    let feed_id = match &site.base_url {
        Some(base) => format!("{base}feed.xml"),
        None => format!("urn:mkn:{}", slug(&site.name)),
    };
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    let _ = write!(
        out,
        "<title>{}: new and updated {}</title>\n<id>{}</id>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}index.html\"/>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}feed.xml\"/>\n\
         <updated>{}</updated>\n<generator>mkn</generator>\n",
        escape(&site.name),
        site.noun(),
        escape(&feed_id),
        rfc3339(dated.first().map_or(0, |e| updated(e))),
        base = escape(base),
    );
    for e in dated {
        let Some(dates) = &e.dates else { continue };
        let id = match &site.base_url {
            Some(base) => format!("{base}{}", e.url),
            None => format!(
                "urn:mkn:{}:{}:{}",
                slug(&site.name),
                slug(&e.row.collection),
                slug(&e.row.id)
            ),
        };
        let _ = write!(
            out,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}{}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n",
            escape(&e.row.title),
            escape(&id),
            escape(base),
            escape(&e.url),
            rfc3339(dates.created.0),
            rfc3339(dates.updated.0),
        );
        for author in &dates.authors {
            let _ = writeln!(out, "<author><name>{}</name></author>", escape(author));
        }
        for area in &e.row.areas {
            let _ = writeln!(
                out,
                "<category term=\"{}\" label=\"{}\"/>",
                escape(area),
                escape(&site.area_name(area))
            );
        }
        let _ = write!(
            out,
            "<summary>{}</summary>\n</entry>\n",
            escape(&e.row.summary)
        );
    }
    out.push_str("</feed>\n");
    out
}
