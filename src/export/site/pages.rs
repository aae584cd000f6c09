//! The pages of the site: one per document, service area, municipality,
//! technology product and tag, their index pages, and the home page.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Component, Path};

use super::layout::{self, Page, link, root_of};
use super::{Entry, Site};
use crate::corpus::frontmatter;
use crate::corpus::links::{self, Resolved};
use crate::error::Error;
use crate::export::html::{escape, markdown, slug};
use crate::infobase::{self, normalise_name};
use crate::measures::Evidence;

/// Takes each page as it is rendered: path relative to the site root, and HTML.
pub type Emit<'e> = dyn FnMut(String, String) -> Result<(), Error> + 'e;

/// How many practices the home page lists as newest, and as best.
const HOME_NEWEST: usize = 10;
const HOME_BEST: usize = 20;

/// The page of one document.
pub fn document(site: &Site, entry: &Entry) -> String {
    let text = site.corpus.text_of(&entry.file).unwrap_or_default();
    let body = frontmatter::split(&text).map_or("", |s| s.body);
    let row = &entry.row;
    let extras = &entry.extras;
    let here = entry.url.as_str();
    let mut main = String::with_capacity(body.len() * 2 + 2048);
    let _ = writeln!(main, "<article>\n<h1>{}</h1>", escape(&row.title));
    if row.practice {
        let _ = write!(
            main,
            "<p class=\"badges\">{}</p>\n<dl class=\"facts\">\n",
            badges(row)
        );
        fact(
            &mut main,
            "Service areas",
            &area_links(site, here, &row.areas),
        );
        fact(
            &mut main,
            "Municipalities",
            &municipality_links(site, here, &row.municipalities),
        );
        if let Some(year) = row.year {
            fact(&mut main, "Implemented", &year.to_string());
        }
    } else {
        main.push_str("<dl class=\"facts\">\n");
        super::general::own_fields(&mut main, entry);
    }
    if !row.tags.is_empty() {
        fact(&mut main, "Tags", &tag_links(here, &row.tags));
    }
    match &entry.dates {
        Some(dates) => {
            fact(
                &mut main,
                "Last updated",
                &format!(
                    "<time datetime=\"{date}\">{date}</time> (commit <code>{}</code>)",
                    escape(crate::git::short_id(&dates.updated.1)),
                    date = &crate::clock::rfc3339(dates.updated.0)[..10],
                ),
            );
            fact(
                &mut main,
                "Contributors",
                &escape(&dates.authors.join(", ")),
            );
        }
        None => fact(&mut main, "Last updated", "not committed yet"),
    }
    main.push_str("</dl>\n");
    if !row.summary.is_empty() {
        let _ = writeln!(main, "<p class=\"summary\">{}</p>", escape(&row.summary));
    }
    let rewrite = |url: &str| body_link(site, entry, url);
    main.push_str("<div class=\"body\">\n");
    main.push_str(&markdown(body, &rewrite));
    main.push_str("</div>\n");
    if !row.evidence.is_empty() {
        main.push_str(
            "<section aria-labelledby=\"evidence\">\n<h2 id=\"evidence\">Evidence</h2>\n",
        );
        evidence_table(&mut main, site, here, &row.evidence);
        main.push_str("</section>\n");
    }
    if !extras.sources.is_empty() {
        main.push_str(
            "<section aria-labelledby=\"sources\">\n<h2 id=\"sources\">Sources</h2>\n<ol>\n",
        );
        for (title, url) in &extras.sources {
            match url.as_deref().filter(|u| is_web(u)) {
                Some(url) => {
                    let _ = writeln!(
                        main,
                        "<li><a href=\"{}\">{}</a></li>",
                        escape(url),
                        escape(title)
                    );
                }
                None => {
                    let _ = writeln!(main, "<li>{}</li>", escape(title));
                }
            }
        }
        main.push_str("</ol>\n</section>\n");
    }
    if !extras.related.is_empty() {
        let _ = write!(
            main,
            "<section aria-labelledby=\"related\">\n<h2 id=\"related\">Related {}</h2>\n<ul>\n",
            site.noun()
        );
        for id in &extras.related {
            match site.entry(id) {
                Some(other) => {
                    let _ = writeln!(
                        main,
                        "<li>{}</li>",
                        link(here, &other.url, &other.row.title)
                    );
                }
                None => {
                    let _ = writeln!(main, "<li>{}</li>", escape(id));
                }
            }
        }
        main.push_str("</ul>\n</section>\n");
    }
    if !extras.mentions.is_empty() {
        main.push_str("<section aria-labelledby=\"technologies\">\n<h2 id=\"technologies\">Technologies and who else uses them</h2>\n<ul>\n");
        for mention in &extras.mentions {
            let product = product_link(site, here, &mention.product);
            let users: Vec<String> = site
                .users(&normalise_name(&mention.product))
                .iter()
                .filter(|u| !row.municipalities.contains(&u.municipality))
                .map(|u| {
                    let rating = u
                        .rating
                        .map(|r| format!(", rated {r}/5"))
                        .unwrap_or_default();
                    format!(
                        "{} ({}{rating})",
                        municipality_link(site, here, &u.municipality),
                        escape(&u.status)
                    )
                })
                .collect();
            let users = if users.is_empty() {
                "no other municipality lists it yet".to_string()
            } else {
                users.join(", ")
            };
            let _ = writeln!(main, "<li>{product}: {users}</li>");
        }
        main.push_str("</ul>\n</section>\n");
    }
    let source = path_text(&entry.file.path);
    let _ = write!(
        main,
        "<details id=\"source\">\n<summary>Source file: <code>{}</code></summary>\n<pre>{}</pre>\n</details>\n</article>",
        escape(&source),
        escape(&text)
    );
    layout::render(
        site,
        &Page {
            path: here,
            title: &row.title,
            description: &row.summary,
            kind: "article",
            main,
            embedded: Some(&source),
            sources: std::iter::once(source.clone())
                .chain(
                    site.corpus
                        .config
                        .vocabularies
                        .measures
                        .iter()
                        .filter(|_| !row.evidence.is_empty())
                        .map(|p| path_text(p)),
                )
                .collect(),
        },
    )
}

/// The home page: the search, the service areas, the newest and the best practices.
pub fn home(site: &Site, emit: &mut Emit) -> Result<(), Error> {
    let here = "index.html";
    let municipalities: BTreeSet<&str> = site
        .entries
        .iter()
        .flat_map(|e| e.row.municipalities.iter().map(String::as_str))
        .collect();
    let mut main = String::new();
    let _ = write!(
        main,
        "<h1>{}</h1>\n<p>{} practices from {} municipalities in {} service areas, \
         built from commit <code>{}</code>.</p>\n",
        escape(&site.name),
        site.entries.len(),
        municipalities.len(),
        site.entries
            .iter()
            .flat_map(|e| e.row.areas.iter())
            .collect::<BTreeSet<_>>()
            .len(),
        escape(crate::git::short_id(&site.commit)),
    );
    main.push_str(&super::general::search_section(site));
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for area in site.entries.iter().flat_map(|e| &e.row.areas) {
        *counts.entry(area).or_insert(0) += 1;
    }
    main.push_str("<section aria-labelledby=\"areas-heading\">\n<h2 id=\"areas-heading\">Service areas</h2>\n<ul class=\"columns\">\n");
    for (id, name) in all_areas(site) {
        let n = counts.get(id.as_str()).copied().unwrap_or(0);
        let _ = writeln!(
            main,
            "<li>{} <span class=\"count\">{n}</span></li>",
            link(here, &area_url(&id), &name)
        );
    }
    main.push_str("</ul>\n</section>\n");
    let mut newest: Vec<&Entry> = site.entries.iter().collect();
    newest.sort_by(|a, b| {
        let created = |e: &Entry| e.dates.as_ref().map(|d| d.created.0);
        created(b).cmp(&created(a)).then(a.row.id.cmp(&b.row.id))
    });
    main.push_str("<section aria-labelledby=\"newest-heading\">\n<h2 id=\"newest-heading\">Newest practices</h2>\n");
    practice_list(&mut main, site, here, newest.into_iter().take(HOME_NEWEST));
    main.push_str("</section>\n");
    let mut best: Vec<&Entry> = site
        .entries
        .iter()
        .filter(|e| e.row.kind == "best")
        .collect();
    best.sort_by(|a, b| {
        b.row
            .evidence_strength
            .cmp(&a.row.evidence_strength)
            .then(a.row.title.cmp(&b.row.title))
    });
    let _ = write!(
        main,
        "<section aria-labelledby=\"best-heading\">\n<h2 id=\"best-heading\">Best practices</h2>\n\
         <p>Verified by measured results, strongest evidence first. \
         <a href=\"index.html?kind=best\">All {} best practices</a>.</p>\n",
        best.len()
    );
    practice_list(&mut main, site, here, best.into_iter().take(HOME_BEST));
    main.push_str("</section>\n<script src=\"assets/search-index.js\"></script>\n<script src=\"assets/search.js\"></script>");
    let description = format!(
        "{} municipal practices, searchable by service area, municipality, kind and year.",
        site.entries.len()
    );
    emit_home(site, here, &description, main, emit)
}

/// Writes a home page (municipal or not): the site's name as title, `main`
/// as its content.
pub fn emit_home(
    site: &Site,
    here: &str,
    description: &str,
    main: String,
    emit: &mut Emit,
) -> Result<(), Error> {
    let html = layout::render(
        site,
        &Page {
            path: here,
            title: &site.name,
            description,
            kind: "website",
            embedded: None,
            main,
            sources: vec![],
        },
    );
    emit(here.to_string(), html)
}

/// A page per service area (every area of the vocabulary, and any other a
/// document names) and their index.
pub fn areas(site: &Site, emit: &mut Emit) -> Result<(), Error> {
    let source: Vec<String> = site
        .corpus
        .config
        .vocabularies
        .areas
        .iter()
        .map(|p| path_text(p))
        .collect();
    let mut by_area: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in &site.entries {
        for area in &e.row.areas {
            by_area.entry(area.clone()).or_default().push(e);
        }
    }
    let mut index = String::from(
        "<h1>Service areas</h1>\n<table>\n<caption>Practices per service area</caption>\n\
         <thead><tr><th scope=\"col\">Service area</th><th scope=\"col\">Practices</th>\
         <th scope=\"col\">Best practices</th></tr></thead>\n<tbody>\n",
    );
    for (id, name) in all_areas(site) {
        let url = area_url(&id);
        let entries = by_area.get(&id).map_or(&[][..], Vec::as_slice);
        let best = entries.iter().filter(|e| e.row.kind == "best").count();
        let _ = writeln!(
            index,
            "<tr><td>{}</td><td>{}</td><td>{best}</td></tr>",
            link("areas/index.html", &url, &name),
            entries.len()
        );
        let description = site
            .vocab
            .areas
            .as_ref()
            .and_then(|a| a.get(&id))
            .and_then(|a| a.description.clone())
            .unwrap_or_default();
        let mut main = format!("<h1>{}</h1>\n", escape(&name));
        if !description.is_empty() {
            let _ = writeln!(main, "<p>{}</p>", escape(&description));
        }
        if entries.is_empty() {
            main.push_str(
                "<p>No practice in this service area yet: a gap the network could fill.</p>\n",
            );
        } else {
            grouped_by_kind(&mut main, site, &url, entries);
        }
        let html = layout::render(
            site,
            &Page {
                path: &url,
                title: &name,
                description: &format!("{} practices in {name}.", entries.len()),
                kind: "website",
                embedded: None,
                main,
                sources: source.clone(),
            },
        );
        emit(url, html)?;
    }
    index.push_str("</tbody>\n</table>");
    let (path, html) = index_page(site, "areas/index.html", "Service areas", index, source);
    emit(path, html)
}

/// A page per municipality that a document or profile names, and their index.
pub fn municipalities(site: &Site, emit: &mut Emit) -> Result<(), Error> {
    let registry_source: Vec<String> = site
        .corpus
        .config
        .vocabularies
        .municipalities
        .iter()
        .map(|p| path_text(p))
        .collect();
    let mut by_municipality: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in &site.entries {
        for m in &e.row.municipalities {
            by_municipality.entry(m.as_str()).or_default().push(e);
        }
    }
    let mut index = String::from(
        "<h1>Municipalities</h1>\n<table>\n<caption>Municipalities with practices or a technology profile</caption>\n\
         <thead><tr><th scope=\"col\">Municipality</th><th scope=\"col\">Tier</th><th scope=\"col\">Region</th>\
         <th scope=\"col\">Population (2021)</th><th scope=\"col\">Practices</th><th scope=\"col\">Technologies</th></tr></thead>\n<tbody>\n",
    );
    for id in &site.municipalities {
        let Some(url) = site.municipality_url(id) else {
            continue;
        };
        let registry = site.municipality(id);
        let name = site.municipality_name(id);
        let practices = by_municipality
            .get(id.as_str())
            .map_or(&[][..], Vec::as_slice);
        let stack = infobase::products::profile(&site.directory, id);
        let population = registry
            .and_then(|m| m.population)
            .map(|p| p.to_string())
            .unwrap_or_default();
        let (tier, region) = registry.map_or(("", ""), |m| (m.tier.as_str(), m.region.as_str()));
        let _ = writeln!(
            index,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{population}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            link("municipalities/index.html", &url, &name),
            escape(tier),
            escape(region),
            practices.len(),
            stack.len()
        );
        let mut main = format!("<h1>{}</h1>\n<dl class=\"facts\">\n", escape(&name));
        if let Some(m) = registry {
            fact(&mut main, "Status", &escape(&m.status));
            fact(&mut main, "Tier", &escape(&m.tier));
            if let Some(upper) = &m.upper_tier {
                fact(
                    &mut main,
                    "Upper tier",
                    &municipality_link(site, &url, upper),
                );
            }
            fact(&mut main, "Region", &escape(&m.region));
            fact(&mut main, "Population (2021)", &population);
            fact(&mut main, "StatCan code", &escape(&m.statcan_code));
        }
        main.push_str(
            "</dl>\n<section aria-labelledby=\"practices\">\n<h2 id=\"practices\">Practices</h2>\n",
        );
        if practices.is_empty() {
            main.push_str("<p>No practice from this municipality yet.</p>\n");
        } else {
            practice_list(&mut main, site, &url, practices.iter().copied());
        }
        main.push_str("</section>\n<section aria-labelledby=\"stack\">\n<h2 id=\"stack\">Technology stack</h2>\n");
        if stack.is_empty() {
            main.push_str("<p>No technology profile yet.</p>\n");
        } else {
            main.push_str(
                "<div class=\"scroll\"><table>\n<caption>Products by business function</caption>\n<thead><tr>\
                 <th scope=\"col\">Function</th><th scope=\"col\">Product</th><th scope=\"col\">Vendor</th>\
                 <th scope=\"col\">Version</th><th scope=\"col\">Since</th><th scope=\"col\">Status</th>\
                 <th scope=\"col\">Rating</th></tr></thead>\n<tbody>\n",
            );
            for u in &stack {
                let _ = writeln!(
                    main,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&u.function),
                    product_link(site, &url, &u.product),
                    escape(&u.vendor),
                    escape(u.version.as_deref().unwrap_or("")),
                    u.since.map(|s| s.to_string()).unwrap_or_default(),
                    escape(&u.status),
                    rating(u.rating)
                );
            }
            main.push_str("</tbody>\n</table></div>\n");
        }
        main.push_str("</section>");
        let mut sources = registry_source.clone();
        sources.extend(site.profiles.get(id).map(|p| path_text(p)));
        let html = layout::render(
            site,
            &Page {
                path: &url,
                title: &name,
                description: &format!(
                    "{name}: {} practices and {} technologies.",
                    practices.len(),
                    stack.len()
                ),
                kind: "website",
                embedded: None,
                main,
                sources,
            },
        );
        emit(url, html)?;
    }
    index.push_str("</tbody>\n</table>");
    let (path, html) = index_page(
        site,
        "municipalities/index.html",
        "Municipalities",
        format!("<div class=\"scroll\">{index}</div>"),
        registry_source,
    );
    emit(path, html)
}

/// A page per technology product (of the directory or named by a practice), and their index.
pub fn products(site: &Site, emit: &mut Emit) -> Result<(), Error> {
    let summaries: BTreeMap<String, infobase::products::ProductSummary> =
        infobase::products::products(&site.directory, None, None)
            .into_iter()
            .map(|p| (normalise_name(&p.product), p))
            .collect();
    let mut naming: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in &site.entries {
        let keys: BTreeSet<String> = e
            .row
            .technologies
            .iter()
            .map(|t| normalise_name(t))
            .collect();
        for key in keys {
            naming.entry(key).or_default().push(e);
        }
    }
    let mut index = String::from(
        "<h1>Technology</h1>\n<div class=\"scroll\"><table>\n<caption>Products, most used first</caption>\n<thead><tr>\
         <th scope=\"col\">Product</th><th scope=\"col\">Vendor</th><th scope=\"col\">Category</th>\
         <th scope=\"col\">Municipalities using it</th><th scope=\"col\">Mean rating</th>\
         <th scope=\"col\">Practices naming it</th></tr></thead>\n<tbody>\n",
    );
    let mut order: Vec<(&String, &String)> = site.product_urls.iter().collect();
    order.sort_by_key(|(key, _)| {
        std::cmp::Reverse(summaries.get(*key).map_or(0, |s| s.municipalities))
    });
    for (key, url) in order {
        let summary = summaries.get(key);
        let practices = naming.get(key).map_or(&[][..], Vec::as_slice);
        let name = summary.map_or_else(
            || {
                practices
                    .iter()
                    .flat_map(|e| e.row.technologies.iter())
                    .find(|t| &normalise_name(t) == key)
                    .cloned()
                    .unwrap_or_else(|| key.clone())
            },
            |s| s.product.clone(),
        );
        let mean = summary
            .and_then(|s| {
                s.mean_rating
                    .map(|m| format!("{m:.1} ({} ratings)", s.ratings))
            })
            .unwrap_or_default();
        let _ = writeln!(
            index,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{mean}</td><td class=\"num\">{}</td></tr>",
            link("tech/index.html", url, &name),
            escape(summary.map_or("", |s| s.vendor.as_str())),
            escape(summary.map_or("", |s| s.category.as_str())),
            summary.map_or(0, |s| s.municipalities),
            practices.len()
        );
        let users = site.users(key);
        let mut main = format!("<h1>{}</h1>\n<dl class=\"facts\">\n", escape(&name));
        if let Some(s) = summary {
            fact(&mut main, "Vendor", &escape(&s.vendor));
            fact(&mut main, "Category", &escape(&s.category));
            fact(&mut main, "Functions", &escape(&s.functions.join(", ")));
            fact(
                &mut main,
                "Municipalities using it",
                &s.municipalities.to_string(),
            );
            if !mean.is_empty() {
                fact(&mut main, "Mean rating", &escape(&mean));
            }
        }
        main.push_str(
            "</dl>\n<section aria-labelledby=\"users\">\n<h2 id=\"users\">Who uses it</h2>\n",
        );
        if users.is_empty() {
            main.push_str("<p>No technology profile lists it yet.</p>\n");
        } else {
            main.push_str(
                "<div class=\"scroll\"><table>\n<caption>Municipalities that list it</caption>\n<thead><tr>\
                 <th scope=\"col\">Municipality</th><th scope=\"col\">Function</th><th scope=\"col\">Version</th>\
                 <th scope=\"col\">Since</th><th scope=\"col\">Status</th><th scope=\"col\">Rating</th>\
                 <th scope=\"col\">Review</th></tr></thead>\n<tbody>\n",
            );
            for u in users {
                let _ = writeln!(
                    main,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    municipality_link(site, url, &u.municipality),
                    escape(&u.function),
                    escape(u.version.as_deref().unwrap_or("")),
                    u.since.map(|s| s.to_string()).unwrap_or_default(),
                    escape(&u.status),
                    rating(u.rating),
                    escape(u.review.as_deref().unwrap_or(""))
                );
            }
            main.push_str("</tbody>\n</table></div>\n");
        }
        main.push_str("</section>\n<section aria-labelledby=\"naming\">\n<h2 id=\"naming\">Practices naming it</h2>\n");
        if practices.is_empty() {
            main.push_str("<p>No practice names it yet.</p>\n");
        } else {
            practice_list(&mut main, site, url, practices.iter().copied());
        }
        main.push_str("</section>");
        let sources: BTreeSet<String> = users
            .iter()
            .filter_map(|u| site.profiles.get(&u.municipality))
            .map(|p| path_text(p))
            .collect();
        let html = layout::render(
            site,
            &Page {
                path: url,
                title: &name,
                description: &format!(
                    "{name}: used by {} municipalities, named by {} practices.",
                    summary.map_or(0, |s| s.municipalities),
                    practices.len()
                ),
                kind: "website",
                embedded: None,
                main,
                sources: sources.into_iter().collect(),
            },
        );
        emit(url.clone(), html)?;
    }
    index.push_str("</tbody>\n</table></div>");
    let (path, html) = index_page(site, "tech/index.html", "Technology", index, vec![]);
    emit(path, html)
}

/// A page per tag (tags compared without case), and their index.
pub fn tags(site: &Site, emit: &mut Emit) -> Result<(), Error> {
    let mut by_tag: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in &site.entries {
        let tags: BTreeSet<String> = e.row.tags.iter().map(|t| t.to_lowercase()).collect();
        for tag in tags {
            by_tag.entry(tag).or_default().push(e);
        }
    }
    let mut index = String::from("<h1>Tags</h1>\n<ul class=\"columns\">\n");
    for (tag, entries) in &by_tag {
        let url = tag_url(tag);
        let _ = writeln!(
            index,
            "<li>{} <span class=\"count\">{}</span></li>",
            link("tags/index.html", &url, tag),
            entries.len()
        );
        let mut main = format!("<h1>Tag: {}</h1>\n", escape(tag));
        practice_list(&mut main, site, &url, entries.iter().copied());
        let html = layout::render(
            site,
            &Page {
                path: &url,
                title: &format!("Tag: {tag}"),
                description: &format!("{} {} tagged {tag}.", entries.len(), site.noun()),
                kind: "website",
                embedded: None,
                main,
                sources: vec![],
            },
        );
        emit(url, html)?;
    }
    index.push_str("</ul>");
    let (path, html) = index_page(site, "tags/index.html", "Tags", index, vec![]);
    emit(path, html)
}

/// An index page of one kind of page.
fn index_page(
    site: &Site,
    path: &str,
    title: &str,
    main: String,
    sources: Vec<String>,
) -> (String, String) {
    let html = layout::render(
        site,
        &Page {
            path,
            title,
            description: &format!("{title} of {}.", site.name),
            kind: "website",
            embedded: None,
            main,
            sources,
        },
    );
    (path.to_string(), html)
}

/// Kind and evidence strength as badges.
fn badges(row: &crate::export::ExportRow) -> String {
    let mut out = String::new();
    match row.kind.as_str() {
        "best" => out.push_str("<span class=\"badge best\">Best practice</span>"),
        "beneficial" => out.push_str("<span class=\"badge\">Beneficial practice</span>"),
        "" => {}
        other => {
            let _ = write!(out, "<span class=\"badge\">{}</span>", escape(other));
        }
    }
    if let Some(strength) = row.evidence_strength {
        let _ = write!(out, " <span class=\"badge\">Evidence: {strength}</span>");
    }
    if !row.status.is_empty() {
        let _ = write!(out, " <span class=\"badge\">{}</span>", escape(&row.status));
    }
    out
}

/// One `<dt>`/`<dd>` pair; `html` is already escaped. Nothing for an empty value.
fn fact(out: &mut String, term: &str, html: &str) {
    if !html.is_empty() {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{html}</dd>");
    }
}

/// The evidence of a practice as a table with the computed change.
fn evidence_table(out: &mut String, site: &Site, here: &str, evidence: &[Evidence]) {
    out.push_str(
        "<div class=\"scroll\"><table>\n<caption>Measured results, with the change computed by mkn</caption>\n\
         <thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Municipality</th>\
         <th scope=\"col\">Baseline</th><th scope=\"col\">Result</th><th scope=\"col\">Change</th>\
         <th scope=\"col\">Better when</th><th scope=\"col\">Improved</th></tr></thead>\n<tbody>\n",
    );
    for e in evidence {
        let measure = match &e.measure_name {
            Some(name) => format!(
                "{} <span class=\"id\">{}</span>",
                escape(name),
                escape(&e.measure)
            ),
            None => escape(&e.measure).into_owned(),
        };
        let unit = e
            .unit
            .as_deref()
            .map(|u| format!(" {}", escape(u)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{measure}</td><td>{}</td><td>{}: {}{unit}</td><td>{}: {}{unit}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e.municipality
                .as_deref()
                .map(|m| municipality_link(site, here, m))
                .unwrap_or_default(),
            e.baseline.0,
            e.baseline.1,
            e.result.0,
            e.result.1,
            escape(&e.change.text()),
            e.better
                .map(|b| format!("{b:?}").to_lowercase())
                .unwrap_or_else(|| "unknown".into()),
            match e.change.improved {
                Some(true) => "<strong class=\"yes\">yes</strong>",
                Some(false) => "<strong class=\"no\">no</strong>",
                None => "unknown",
            }
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// A list of practices: title, kind, municipalities, year.
fn practice_list<'e>(
    out: &mut String,
    site: &Site,
    here: &str,
    entries: impl Iterator<Item = &'e Entry>,
) {
    out.push_str("<ul class=\"practices\">\n");
    for e in entries {
        let kind = match e.row.kind.as_str() {
            "best" => " <span class=\"badge best\">best</span>",
            "beneficial" => " <span class=\"badge\">beneficial</span>",
            _ => "",
        };
        let places: Vec<String> = e
            .row
            .municipalities
            .iter()
            .map(|m| escape(&site.municipality_name(m)).into_owned())
            .collect();
        let year = e.row.year.map(|y| format!(" · {y}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "<li>{}{kind} <span class=\"meta\">{}{year}</span></li>",
            link(here, &e.url, &e.row.title),
            places.join(", ")
        );
    }
    out.push_str("</ul>\n");
}

/// Practices grouped under a heading per kind, best first.
fn grouped_by_kind(out: &mut String, site: &Site, here: &str, entries: &[&Entry]) {
    let groups = [
        ("best", "Best practices"),
        ("beneficial", "Beneficial practices"),
    ];
    for (kind, heading) in groups {
        let of_kind: Vec<&Entry> = entries
            .iter()
            .copied()
            .filter(|e| e.row.kind == kind)
            .collect();
        if !of_kind.is_empty() {
            let _ = writeln!(out, "<h2>{heading} ({})</h2>", of_kind.len());
            practice_list(out, site, here, of_kind.into_iter());
        }
    }
    let other: Vec<&Entry> = entries
        .iter()
        .copied()
        .filter(|e| !groups.iter().any(|(k, _)| e.row.kind == *k))
        .collect();
    if !other.is_empty() {
        let _ = writeln!(out, "<h2>Other documents ({})</h2>", other.len());
        practice_list(out, site, here, other.into_iter());
    }
}

/// Every service area: the vocabulary's in its order, then others documents name.
fn all_areas(site: &Site) -> Vec<(String, String)> {
    let mut areas: Vec<(String, String)> = site
        .vocab
        .areas
        .as_ref()
        .map(|a| a.iter().map(|t| (t.id.clone(), t.name.clone())).collect())
        .unwrap_or_default();
    let named: BTreeSet<&String> = site
        .entries
        .iter()
        .flat_map(|e| e.row.areas.iter())
        .collect();
    for id in named {
        if !areas.iter().any(|(a, _)| a == id) {
            areas.push((id.clone(), site.area_name(id)));
        }
    }
    areas
}

fn area_url(id: &str) -> String {
    format!("areas/{}.html", slug(id))
}

fn tag_url(tag: &str) -> String {
    format!("tags/{}.html", slug(tag))
}

fn area_links(site: &Site, here: &str, areas: &[String]) -> String {
    areas
        .iter()
        .map(|a| link(here, &area_url(a), &site.area_name(a)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tag_links(here: &str, tags: &[String]) -> String {
    tags.iter()
        .map(|t| link(here, &tag_url(&t.to_lowercase()), t))
        .collect::<Vec<_>>()
        .join(", ")
}

fn municipality_link(site: &Site, here: &str, id: &str) -> String {
    let name = site.municipality_name(id);
    match site.municipality_url(id) {
        Some(url) => link(here, &url, &name),
        None => escape(&name).into_owned(),
    }
}

fn municipality_links(site: &Site, here: &str, ids: &[String]) -> String {
    ids.iter()
        .map(|m| municipality_link(site, here, m))
        .collect::<Vec<_>>()
        .join(", ")
}

fn product_link(site: &Site, here: &str, product: &str) -> String {
    match site.product_url(product) {
        Some(url) => link(here, url, product),
        None => escape(product).into_owned(),
    }
}

fn rating(rating: Option<u8>) -> String {
    rating.map(|r| format!("{r}/5")).unwrap_or_default()
}

/// Whether a URL is a web address (sources without one are listed as text).
fn is_web(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// A path as text with `/` separators, its `..`, `.` and root parts left out.
pub fn path_text(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a link in a document's body goes on the site: a relative link to
/// another document (`other.md`, `./other`, `other/`, resolved as
/// [`links::resolve`] resolves it) goes to its page; others stay as written.
fn body_link(site: &Site, entry: &Entry, url: &str) -> Option<String> {
    let dest = links::destination(url).filter(|d| !d.path.is_empty())?;
    let target = match links::resolve_from(&site.corpus.root, &entry.file.path, &dest.path) {
        // A link written in another letter case goes to the page all the same.
        Resolved::Found(target) | Resolved::CaseOnly(target) => target,
        Resolved::Missing | Resolved::Outside(_) => return None,
    };
    let other = site.by_path.get(&target).map(|&i| &site.entries[i])?;
    let fragment = dest.fragment.map_or_else(String::new, |f| format!("#{f}"));
    Some(format!("{}{}{fragment}", root_of(&entry.url), other.url))
}
