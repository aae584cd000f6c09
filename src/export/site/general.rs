//! What the portal shows of a corpus on its own terms, not the municipal
//! one: the home page of a corpus without practices (documents per
//! collection, the search with its own filters, the newest documents), the
//! search section every home page shares, and a document's own front-matter
//! keys on its page.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::layout;
use super::{Entry, Site};
use crate::corpus::yaml::Value;
use crate::error::Error;
use crate::export::html::escape;

/// How many documents the home page lists as newest.
const HOME_NEWEST: usize = 10;

/// The search section of a home page: words, one select per facet, and the
/// place the results go (filled by `assets/search.js`).
pub fn search_section(site: &Site) -> String {
    let noun = site.noun();
    let mut out = format!(
        "<section aria-labelledby=\"search-heading\">\n<h2 id=\"search-heading\">Search the {noun}</h2>\n\
         <form role=\"search\" id=\"search-form\" action=\"index.html\" method=\"get\">\n\
         <p><label for=\"search-input\">Words</label>\n\
         <input id=\"search-input\" type=\"search\" name=\"q\" autocomplete=\"off\"></p>\n\
         <div class=\"facets\">\n"
    );
    for facet in &site.facets {
        let _ = writeln!(
            out,
            "<p><label for=\"facet-{key}\">{label}</label>\n<select id=\"facet-{key}\" name=\"{key}\"><option value=\"\">Any</option></select></p>",
            key = escape(&facet.key),
            label = escape(&facet.label),
        );
    }
    let without = if site.municipal {
        "the service areas, municipalities and tags below list every practice without it"
    } else {
        "the newest documents below and the tags list them without it"
    };
    let _ = write!(
        out,
        "</div>\n<noscript><p>The search needs JavaScript; {without}.</p></noscript>\n</form>\n\
         <p id=\"search-status\" aria-live=\"polite\"></p>\n<ol id=\"search-results\"></ol>\n</section>\n"
    );
    out
}

/// The home page of a corpus without practices: how many documents each
/// collection holds, the search, the newest documents.
pub fn home(site: &Site, emit: &mut super::pages::Emit) -> Result<(), Error> {
    let here = "index.html";
    let mut per_collection: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &site.entries {
        *per_collection.entry(&e.row.collection).or_insert(0) += 1;
    }
    let mut main = String::new();
    let _ = write!(
        main,
        "<h1>{}</h1>\n<p>{} documents in {} {}, built from commit <code>{}</code>.</p>\n",
        escape(&site.name),
        site.entries.len(),
        per_collection.len(),
        if per_collection.len() == 1 {
            "collection"
        } else {
            "collections"
        },
        escape(crate::git::short_id(&site.commit)),
    );
    main.push_str(&search_section(site));
    main.push_str("<section aria-labelledby=\"collections-heading\">\n<h2 id=\"collections-heading\">Collections</h2>\n<ul class=\"columns\">\n");
    for (name, count) in &per_collection {
        let _ = writeln!(
            main,
            "<li>{} <span class=\"count\">{count}</span></li>",
            escape(name)
        );
    }
    main.push_str("</ul>\n</section>\n");
    let mut newest: Vec<&Entry> = site.entries.iter().collect();
    newest.sort_by(|a, b| {
        let created = |e: &Entry| e.dates.as_ref().map(|d| d.created.0);
        created(b).cmp(&created(a)).then(a.row.id.cmp(&b.row.id))
    });
    main.push_str("<section aria-labelledby=\"newest-heading\">\n<h2 id=\"newest-heading\">Newest documents</h2>\n<ul class=\"practices\">\n");
    for e in newest.into_iter().take(HOME_NEWEST) {
        let _ = writeln!(
            main,
            "<li>{} <span class=\"meta\">{}</span></li>",
            layout::link(here, &e.url, &e.row.title),
            escape(&e.row.collection)
        );
    }
    main.push_str("</ul>\n</section>\n<script src=\"assets/search-index.js\"></script>\n<script src=\"assets/search.js\"></script>");
    let filters: Vec<&str> = site.facets.iter().map(|f| f.label.as_str()).collect();
    let description = if filters.is_empty() {
        format!(
            "{} documents, searchable by their words.",
            site.entries.len()
        )
    } else {
        format!(
            "{} documents, searchable by {}.",
            site.entries.len(),
            filters.join(", ").to_lowercase()
        )
    };
    super::pages::emit_home(site, here, &description, main, emit)
}

/// A document's own scalar keys and lists of scalars as `<dt>`/`<dd>`
/// pairs, in file order (nested values are in the source shown below); the
/// title is the page's heading and the tags are links after them.
pub fn own_fields(out: &mut String, entry: &Entry) {
    for (key, node) in &entry.extras.own {
        if key == "title" || (key == "tags" && !entry.row.tags.is_empty()) {
            continue;
        }
        let text = match &node.value {
            Value::Map(_) | Value::Null => continue,
            _ => super::facets::values(node).join(", "),
        };
        if !text.is_empty() {
            let _ = writeln!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                escape(&super::facets::label(key)),
                escape(&text)
            );
        }
    }
}
