//! The best practice report of one service area: its practices grouped by
//! kind and evidence strength with their evidence, the distributions of its
//! measures, and the technologies in use for its business functions.
//!
//! [`build`] turns loaded data into a [`Report`]; [`write_markdown`] and
//! [`write_html`] write it. Nothing here reads files, asks git or the clock,
//! or prints: the same inputs give the same bytes. Every figure names where
//! it comes from: evidence its practice's file, a distribution its data
//! file(s), and the report its commit.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::Path;

use crate::corpus::Document;
use crate::corpus::vocab::{Direction, Vocabularies};
use crate::export::html::{escape, slug};
use crate::infobase::products::products;
use crate::infobase::{Directory, in_use, normalise_name};
use crate::measures::Evidence;
use crate::measures::data::{Dataset, round_for_display};
use crate::measures::stats::{self, Distribution};
use crate::measures::strength::{self, Strength};

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// GitHub-flavoured markdown.
    Md,
    /// One self-contained HTML page.
    Html,
}

impl ReportFormat {
    /// The format a file name asks for by its extension (`.md`, `.markdown`,
    /// `.html`, `.htm`), if any.
    pub fn from_path(path: &Path) -> Option<ReportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(ReportFormat::Md),
            "html" | "htm" => Some(ReportFormat::Html),
            _ => None,
        }
    }
}

/// Writes a report in a format.
pub fn write(w: &mut dyn Write, report: &Report, format: ReportFormat) -> io::Result<()> {
    match format {
        ReportFormat::Md => write_markdown(w, report),
        ReportFormat::Html => write_html(w, report),
    }
}

/// What a report is built from; everything already loaded.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The corpus's name (`name` in mkn.toml).
    pub corpus: &'a str,
    /// The service area's id.
    pub area: &'a str,
    /// Its display name.
    pub area_name: &'a str,
    /// What it covers, where the vocabulary says.
    pub area_description: Option<&'a str>,
    /// The commit the corpus is reported at.
    pub commit: &'a str,
    /// That commit's date, YYYY-MM-DD, when there is a commit.
    pub date: Option<&'a str>,
    /// The practices whose `areas` name the area.
    pub practices: &'a [Document],
    /// The vocabularies.
    pub vocab: &'a Vocabularies,
    /// The reported measure values.
    pub data: &'a Dataset,
    /// The technology directory.
    pub directory: &'a Directory,
}

/// A best practice report, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The corpus's name.
    pub corpus: String,
    /// The service area's id.
    pub area: String,
    /// Its display name.
    pub area_name: String,
    /// What it covers, where the vocabulary says.
    pub area_description: Option<String>,
    /// The commit reported at.
    pub commit: String,
    /// Its date.
    pub date: Option<String>,
    /// Practices by kind (best first), each kind by evidence strength (strongest first).
    pub kinds: Vec<KindGroup>,
    /// The area's measures that have reported values, in catalogue order.
    pub measures: Vec<MeasureSummary>,
    /// How many of the area's measures have no reported values.
    pub unreported: usize,
    /// The business functions that serve the area, in vocabulary order.
    pub functions: Vec<FunctionUse>,
}

/// The practices of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct KindGroup {
    /// `best`, `beneficial`, or what the practices say.
    pub kind: String,
    /// By strength, strongest first; `None` (no evidence) last.
    pub strengths: Vec<(Option<Strength>, Vec<PracticeEntry>)>,
}

/// One practice as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeEntry {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Municipality names (ids where the registry does not know them).
    pub municipalities: Vec<String>,
    /// Year implemented.
    pub year: Option<i64>,
    /// Summary.
    pub summary: String,
    /// Evidence with the computed change.
    pub evidence: Vec<Evidence>,
    /// The file it comes from, relative to the corpus root.
    pub path: String,
}

/// One measure's latest reported year.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureSummary {
    /// Measure id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Unit, where known.
    pub unit: Option<String>,
    /// Better direction, where known.
    pub better: Option<Direction>,
    /// The latest year with values.
    pub year: i32,
    /// Their distribution.
    pub distribution: Distribution,
    /// Each reporting municipality's name and value, best (or largest) first.
    pub values: Vec<(String, f64)>,
    /// The data files the values come from.
    pub files: Vec<String>,
}

/// The products in use for one business function.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionUse {
    /// Function id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Products with at least one municipality using them, most used first.
    pub products: Vec<ProductUse>,
}

/// One product in use for a function.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductUse {
    /// Product name.
    pub product: String,
    /// Vendor.
    pub vendor: String,
    /// Names of the municipalities using it for the function, sorted.
    pub users: Vec<String>,
    /// Mean rating, to two decimals, and the number of ratings.
    pub rating: Option<(f64, usize)>,
}

/// The order kinds are reported in: best, beneficial, then others by name.
fn kind_rank(kind: &str) -> (u8, &str) {
    match kind {
        "best" => (0, ""),
        "beneficial" => (1, ""),
        other => (2, other),
    }
}

/// Builds the report.
pub fn build(inputs: &Inputs) -> Report {
    let registry = inputs.vocab.municipalities.as_ref();
    let name_of = |id: &str| {
        registry
            .and_then(|r| r.resolve(id))
            .map_or_else(|| id.to_string(), |m| m.name.clone())
    };
    let mut practices: Vec<(String, Option<Strength>, PracticeEntry)> = inputs
        .practices
        .iter()
        .map(|doc| {
            let record = crate::index::record::record(doc, inputs.vocab);
            let evidence = doc
                .front
                .as_ref()
                .map(|f| crate::measures::evidence(f, inputs.vocab))
                .unwrap_or_default();
            let strength = strength::strength(&evidence, inputs.data, registry);
            let entry = PracticeEntry {
                id: record.row.id,
                title: record.row.title,
                municipalities: record
                    .row
                    .municipalities
                    .iter()
                    .map(|m| name_of(m))
                    .collect(),
                year: record.row.year,
                summary: record.summary,
                evidence,
                path: record.row.path,
            };
            (record.row.kind, strength, entry)
        })
        .collect();
    practices.sort_by(|a, b| {
        kind_rank(&a.0)
            .cmp(&kind_rank(&b.0))
            .then_with(|| b.1.cmp(&a.1))
            .then_with(|| a.2.title.cmp(&b.2.title))
            .then_with(|| a.2.id.cmp(&b.2.id))
    });
    let mut kinds: Vec<KindGroup> = Vec::new();
    for (kind, strength, entry) in practices {
        if kinds.last().is_none_or(|k| k.kind != kind) {
            kinds.push(KindGroup {
                kind,
                strengths: Vec::new(),
            });
        }
        let group = kinds.last_mut().expect("just pushed");
        match group.strengths.last_mut() {
            Some((s, entries)) if *s == strength => entries.push(entry),
            _ => group.strengths.push((strength, vec![entry])),
        }
    }

    let area_measures: Vec<_> = inputs
        .vocab
        .measures
        .iter()
        .flat_map(|t| t.iter())
        .filter(|m| m.area.as_deref() == Some(inputs.area))
        .collect();
    let measures: Vec<MeasureSummary> = area_measures
        .iter()
        .filter_map(|m| {
            let rows: Vec<_> = inputs
                .data
                .observations
                .iter()
                .zip(&inputs.data.origins)
                .filter(|(o, _)| o.measure == m.id)
                .collect();
            let year = rows.iter().map(|(o, _)| o.year).max()?;
            let latest: Vec<_> = rows.into_iter().filter(|(o, _)| o.year == year).collect();
            let raw: Vec<f64> = latest.iter().map(|(o, _)| o.value).collect();
            let mut values: Vec<(String, f64)> = latest
                .iter()
                .map(|(o, _)| (name_of(&o.municipality), o.value))
                .collect();
            values
                .sort_by(|a, b| stats::rank_order(a.1, b.1, m.better).then_with(|| a.0.cmp(&b.0)));
            let files: BTreeSet<String> = latest
                .iter()
                .map(|(_, origin)| crate::corpus::display_path(&origin.path).into_owned())
                .collect();
            Some(MeasureSummary {
                id: m.id.clone(),
                name: m.name.clone(),
                unit: m.unit.clone(),
                better: m.better,
                year,
                distribution: stats::distribution(&raw)?,
                values,
                files: files.into_iter().collect(),
            })
        })
        .collect();

    let dir = inputs.directory;
    let functions = inputs
        .vocab
        .functions
        .iter()
        .flat_map(|t| t.iter())
        .filter(|f| f.areas.iter().any(|a| a == inputs.area))
        .map(|f| FunctionUse {
            id: f.id.clone(),
            name: f.name.clone(),
            products: products(dir, Some(&f.id), None)
                .into_iter()
                .filter(|p| p.municipalities > 0)
                .map(|p| {
                    let users: BTreeSet<String> = dir
                        .product_usages(&normalise_name(&p.product))
                        .into_iter()
                        .filter(|u| u.function == f.id && in_use(&u.status))
                        .map(|u| name_of(&u.municipality))
                        .collect();
                    ProductUse {
                        users: users.into_iter().collect(),
                        rating: p.mean_rating.map(|r| (r, p.ratings)),
                        product: p.product,
                        vendor: p.vendor,
                    }
                })
                .collect(),
        })
        .collect();

    Report {
        corpus: inputs.corpus.to_string(),
        area: inputs.area.to_string(),
        area_name: inputs.area_name.to_string(),
        area_description: inputs.area_description.map(str::to_string),
        commit: inputs.commit.to_string(),
        date: inputs.date.map(str::to_string),
        kinds,
        unreported: area_measures.len() - measures.len(),
        measures,
        functions,
    }
}

/// The heading of a kind's practices.
fn kind_heading(kind: &str) -> String {
    match kind {
        "best" => "Best practices".into(),
        "beneficial" => "Beneficial practices".into(),
        "" => "Practices without a kind".into(),
        other => format!("Practices of kind “{other}”"),
    }
}

/// The heading of a strength group.
fn strength_heading(strength: Option<Strength>) -> &'static str {
    match strength {
        Some(Strength::Strong) => "Strong evidence",
        Some(Strength::Moderate) => "Moderate evidence",
        Some(Strength::Limited) => "Limited evidence",
        None => "No evidence",
    }
}

/// A figure as the report writes it: at most six significant digits, never
/// fewer than its integer digits.
fn figure(x: f64) -> String {
    round_for_display(x).to_string()
}

/// The cells of an evidence row: measure, municipality, baseline, result,
/// absolute change, relative change, improved.
fn evidence_cells(e: &Evidence) -> [String; 7] {
    [
        e.measure.clone(),
        e.municipality.clone().unwrap_or_default(),
        format!("{}: {}", e.baseline.0, figure(e.baseline.1)),
        format!("{}: {}", e.result.0, figure(e.result.1)),
        e.change.absolute_text(),
        e.change.relative_text().unwrap_or_else(|| "n/a".into()),
        match e.change.improved {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => "unknown".into(),
        },
    ]
}

const EVIDENCE_HEADER: [&str; 7] = [
    "Measure",
    "Municipality",
    "Baseline",
    "Result",
    "Change",
    "Relative",
    "Improved",
];

/// The rows of a distribution table: statistic, figure.
fn distribution_rows(d: &Distribution) -> [[String; 2]; 6] {
    [
        ["Municipalities".into(), d.count.to_string()],
        ["Minimum".into(), figure(d.min)],
        ["First quartile".into(), figure(d.q1)],
        ["Median".into(), figure(d.median)],
        ["Third quartile".into(), figure(d.q3)],
        ["Maximum".into(), figure(d.max)],
    ]
}

/// The sentence under the title: corpus, area, commit and date.
fn stamp(r: &Report) -> String {
    let date = r
        .date
        .as_ref()
        .map_or_else(String::new, |d| format!(" of {d}"));
    format!(
        "{} · service area {} ({}) · commit {}{date}",
        r.corpus, r.area_name, r.area, r.commit
    )
}

/// The intro's paragraphs (plain text): what the area covers, what the
/// report holds, how strength is computed, where figures come from.
fn intro(r: &Report) -> Vec<String> {
    let count = |kind: &str| {
        r.kinds
            .iter()
            .filter(|k| k.kind == kind)
            .flat_map(|k| &k.strengths)
            .map(|(_, e)| e.len())
            .sum::<usize>()
    };
    let total: usize = r
        .kinds
        .iter()
        .flat_map(|k| &k.strengths)
        .map(|(_, e)| e.len())
        .sum();
    let mut paragraphs: Vec<String> = r.area_description.iter().cloned().collect();
    paragraphs.extend([
        format!(
            "What {} holds on {} at commit {}: {} ({} best, {} beneficial), {} with reported values, \
             and the technologies in use for {}.",
            r.corpus,
            r.area_name,
            crate::git::short_id(&r.commit),
            counted(total, "practice"),
            count("best"),
            count("beneficial"),
            counted(r.measures.len(), "measure"),
            counted(r.functions.len(), "business function")
        ),
        "A best practice is verified by measured results; a beneficial practice is documented but not measured. \
         Evidence strength is computed from the evidence entries and the reported values: strong is two or more \
         improvements, at least one confirmed by the data; moderate is one confirmed improvement or several \
         unconfirmed ones; limited is anything less."
            .into(),
        "Every figure traces to a file at that commit: evidence to the practice's file, distributions to the data \
         files they are computed from."
            .into(),
    ]);
    paragraphs
}

/// "1 practice", "2 practices".
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

const NO_PRACTICES: &str = "No practice in the corpus names this service area yet.";
const TECH_RULE: &str = "The business functions are those the functions vocabulary maps to this service \
                         area; for each, the products municipalities' technology profiles list as \
                         in use (or retiring), most used first.";

/// The sentence on the area's measures without reported values.
fn unreported(n: usize) -> String {
    if n == 1 {
        "1 more measure of this service area has no reported values.".into()
    } else {
        format!("{n} more measures of this service area have no reported values.")
    }
}

fn rating_text(rating: Option<(f64, usize)>) -> String {
    match rating {
        Some((mean, 1)) => format!("{mean:.2} (1 rating)"),
        Some((mean, n)) => format!("{mean:.2} ({n} ratings)"),
        None => "no ratings".into(),
    }
}

fn measure_sentence(m: &MeasureSummary) -> String {
    let unit = m
        .unit
        .as_ref()
        .map_or_else(String::new, |u| format!(" Unit: {u}."));
    let better = match m.better {
        Some(Direction::Lower) => " Lower is better.",
        Some(Direction::Higher) => " Higher is better.",
        None => "",
    };
    format!(
        "Latest year with values: {}, reported by {} municipalities.{unit}{better}",
        m.year, m.distribution.count
    )
}

// ---------------------------------------------------------------- markdown

/// Escapes text for GitHub-flavoured markdown: every ASCII punctuation mark
/// that can start markup is backslash-escaped, line breaks become spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' | '{'
            | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span that holds any text.
fn md_code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {} ``", text.replace(['\n', '\r'], " "))
    } else {
        format!("`{text}`")
    }
}

fn md_table<const N: usize>(
    w: &mut dyn Write,
    header: [&str; N],
    numeric: [bool; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> io::Result<()> {
    writeln!(w, "| {} |", header.join(" | "))?;
    let rule: Vec<&str> = numeric
        .iter()
        .map(|&n| if n { "--:" } else { "---" })
        .collect();
    writeln!(w, "|{}|", rule.join("|"))?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
        writeln!(w, "| {} |", cells.join(" | "))?;
    }
    writeln!(w)
}

/// Writes the report as GitHub-flavoured markdown.
pub fn write_markdown(w: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(w, "# Best practice report: {}\n", md(&r.area_name))?;
    let date = r
        .date
        .as_ref()
        .map_or_else(String::new, |d| format!(" of {d}"));
    writeln!(
        w,
        "{} · service area {} ({}) · commit {}{date}\n",
        md(&r.corpus),
        md(&r.area_name),
        md_code(&r.area),
        md_code(&r.commit)
    )?;
    for sentence in intro(r) {
        writeln!(w, "{}\n", md(&sentence))?;
    }

    if r.kinds.is_empty() {
        writeln!(w, "## Practices\n\n{NO_PRACTICES}\n")?;
    }
    for kind in &r.kinds {
        writeln!(w, "## {}\n", md(&kind_heading(&kind.kind)))?;
        for (strength, entries) in &kind.strengths {
            writeln!(w, "### {}\n", strength_heading(*strength))?;
            for p in entries {
                writeln!(w, "#### {}\n", md(&p.title))?;
                writeln!(w, "- Municipalities: {}", md(&p.municipalities.join(", ")))?;
                if let Some(year) = p.year {
                    writeln!(w, "- Year: {year}")?;
                }
                writeln!(w, "- Source: {}\n", md_code(&p.path))?;
                if !p.summary.is_empty() {
                    writeln!(w, "{}\n", md(&p.summary))?;
                }
                if !p.evidence.is_empty() {
                    writeln!(w, "Evidence, from {}:\n", md_code(&p.path))?;
                    md_table(
                        w,
                        EVIDENCE_HEADER,
                        [false, false, false, false, true, true, false],
                        p.evidence.iter().map(evidence_cells),
                    )?;
                }
            }
        }
    }

    writeln!(w, "## Measures\n")?;
    if r.measures.is_empty() {
        writeln!(w, "No measure of this service area has reported values.\n")?;
    }
    for m in &r.measures {
        writeln!(w, "### {}: {}\n", md(&m.id), md(&m.name))?;
        writeln!(w, "{}\n", md(&measure_sentence(m)))?;
        md_table(
            w,
            ["Statistic", "Value"],
            [false, true],
            distribution_rows(&m.distribution),
        )?;
        let files: Vec<String> = m.files.iter().map(|f| md_code(f)).collect();
        writeln!(
            w,
            "From {} at commit {}.\n",
            files.join(", "),
            md_code(&r.commit)
        )?;
    }
    if r.unreported > 0 {
        writeln!(w, "{}\n", md(&unreported(r.unreported)))?;
    }

    writeln!(w, "## Technologies\n\n{}\n", md(TECH_RULE))?;
    if r.functions.is_empty() {
        writeln!(w, "No business function names this service area.\n")?;
    }
    for f in &r.functions {
        writeln!(w, "### {} ({})\n", md(&f.name), md_code(&f.id))?;
        if f.products.is_empty() {
            writeln!(w, "No technology profile lists a product in use for it.\n")?;
            continue;
        }
        md_table(
            w,
            ["Product", "Vendor", "Used by", "Rating"],
            [false; 4],
            f.products.iter().map(|p| {
                [
                    p.product.clone(),
                    p.vendor.clone(),
                    p.users.join(", "),
                    rating_text(p.rating),
                ]
            }),
        )?;
    }
    writeln!(w, "---\n\n{}", md(&stamp(r)))
}

// -------------------------------------------------------------------- html

const CSS: &str = "\
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#1a1a1a;background:#fff}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{border-bottom:2px solid #1f4e79;padding-block:1rem}
footer{border-top:1px solid #8a8a8a;margin-top:2rem;padding-block:1rem;color:#404040;font-size:.9rem;overflow-wrap:anywhere}
h1{font-size:1.8rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.45rem;margin-top:2.5rem;border-bottom:1px solid #8a8a8a}
h3{font-size:1.2rem;margin-top:2rem}
h4{font-size:1.05rem;margin-top:1.5rem}
a{color:#0b57a4}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
.meta{color:#404040;margin:0;overflow-wrap:anywhere}
.scroll{overflow-x:auto;margin:1rem 0}
.scroll:focus{outline:2px solid #0b57a4}
table{border-collapse:collapse;min-width:100%}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #8a8a8a;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f7}
td.n{text-align:right;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}
dt{font-weight:600}
dd{margin:0}
svg{display:block;width:100%;max-width:40rem;height:auto}
svg text{font-size:12px;fill:#1a1a1a}
figure{margin:1rem 0}
";

fn html_table<const N: usize>(
    w: &mut dyn Write,
    caption: &str,
    header: [&str; N],
    numeric: [bool; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> io::Result<()> {
    writeln!(
        w,
        "<div class=\"scroll\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n<table>\n<caption>{}</caption>",
        escape(caption),
        escape(caption)
    )?;
    let heads: String = header
        .iter()
        .map(|c| format!("<th scope=\"col\">{}</th>", escape(c)))
        .collect();
    writeln!(w, "<thead><tr>{heads}</tr></thead>\n<tbody>")?;
    for row in rows {
        let cells: String = row
            .iter()
            .zip(numeric)
            .map(|(c, n)| {
                let class = if n { " class=\"n\"" } else { "" };
                format!("<td{class}>{}</td>", escape(c))
            })
            .collect();
        writeln!(w, "<tr>{cells}</tr>")?;
    }
    writeln!(w, "</tbody>\n</table>\n</div>")
}

/// Writes the report as one self-contained HTML page: inline CSS, inline SVG
/// charts, no scripts and no external resources.
pub fn write_html(w: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Best practice report: {} · {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>",
        escape(&r.area_name),
        escape(&r.corpus)
    )?;
    writeln!(
        w,
        "<header>\n<h1>Best practice report: {}</h1>\n<p class=\"meta\">{}</p>\n</header>\n<main>",
        escape(&r.area_name),
        escape(&stamp(r))
    )?;
    for sentence in intro(r) {
        writeln!(w, "<p>{}</p>", escape(&sentence))?;
    }

    if r.kinds.is_empty() {
        writeln!(
            w,
            "<h2 id=\"practices\">Practices</h2>\n<p>{NO_PRACTICES}</p>"
        )?;
    }
    for kind in &r.kinds {
        writeln!(
            w,
            "<section aria-labelledby=\"kind-{id}\">\n<h2 id=\"kind-{id}\">{}</h2>",
            escape(&kind_heading(&kind.kind)),
            id = slug(&kind.kind)
        )?;
        for (strength, entries) in &kind.strengths {
            writeln!(w, "<h3>{}</h3>", strength_heading(*strength))?;
            for p in entries {
                writeln!(
                    w,
                    "<article aria-labelledby=\"practice-{id}\">\n<h4 id=\"practice-{id}\">{}</h4>\n<dl>",
                    escape(&p.title),
                    id = slug(&p.id)
                )?;
                writeln!(
                    w,
                    "<dt>Municipalities</dt><dd>{}</dd>",
                    escape(&p.municipalities.join(", "))
                )?;
                if let Some(year) = p.year {
                    writeln!(w, "<dt>Year</dt><dd>{year}</dd>")?;
                }
                writeln!(
                    w,
                    "<dt>Source</dt><dd><code>{}</code></dd>\n</dl>",
                    escape(&p.path)
                )?;
                if !p.summary.is_empty() {
                    writeln!(w, "<p>{}</p>", escape(&p.summary))?;
                }
                if !p.evidence.is_empty() {
                    html_table(
                        w,
                        &format!("Evidence of “{}”, from {}", p.title, p.path),
                        EVIDENCE_HEADER,
                        [false, false, false, false, true, true, false],
                        p.evidence.iter().map(evidence_cells),
                    )?;
                }
                writeln!(w, "</article>")?;
            }
        }
        writeln!(w, "</section>")?;
    }

    writeln!(
        w,
        "<section aria-labelledby=\"measures\">\n<h2 id=\"measures\">Measures</h2>"
    )?;
    if r.measures.is_empty() {
        writeln!(
            w,
            "<p>No measure of this service area has reported values.</p>"
        )?;
    }
    for m in &r.measures {
        writeln!(
            w,
            "<h3 id=\"measure-{}\">{}: {}</h3>\n<p>{}</p>",
            slug(&m.id),
            escape(&m.id),
            escape(&m.name),
            escape(&measure_sentence(m))
        )?;
        html_table(
            w,
            &format!("Distribution of {} in {}", m.id, m.year),
            ["Statistic", "Value"],
            [false, true],
            distribution_rows(&m.distribution),
        )?;
        chart(w, m)?;
        let files: Vec<String> = m
            .files
            .iter()
            .map(|f| format!("<code>{}</code>", escape(f)))
            .collect();
        writeln!(
            w,
            "<p>From {} at commit <code>{}</code>.</p>",
            files.join(", "),
            escape(&r.commit)
        )?;
    }
    if r.unreported > 0 {
        writeln!(w, "<p>{}</p>", escape(&unreported(r.unreported)))?;
    }
    writeln!(w, "</section>")?;

    writeln!(
        w,
        "<section aria-labelledby=\"technologies\">\n<h2 id=\"technologies\">Technologies</h2>\n<p>{}</p>",
        escape(TECH_RULE)
    )?;
    if r.functions.is_empty() {
        writeln!(w, "<p>No business function names this service area.</p>")?;
    }
    for f in &r.functions {
        writeln!(
            w,
            "<h3 id=\"function-{}\">{} (<code>{}</code>)</h3>",
            slug(&f.id),
            escape(&f.name),
            escape(&f.id)
        )?;
        if f.products.is_empty() {
            writeln!(
                w,
                "<p>No technology profile lists a product in use for it.</p>"
            )?;
            continue;
        }
        html_table(
            w,
            &format!("Products in use for {}", f.name),
            ["Product", "Vendor", "Used by", "Rating"],
            [false; 4],
            f.products.iter().map(|p| {
                [
                    p.product.clone(),
                    p.vendor.clone(),
                    p.users.join(", "),
                    rating_text(p.rating),
                ]
            }),
        )?;
    }
    writeln!(w, "</section>\n</main>")?;
    writeln!(
        w,
        "<footer>\n<p>{}</p>\n</footer>\n</body>\n</html>",
        escape(&stamp(r))
    )
}

// ------------------------------------------------------------------- chart

/// A linear scale from values to positions `0..=width`, whose domain always
/// includes 0 so that every bar starts at zero.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scale {
    low: f64,
    high: f64,
    width: f64,
}

impl Scale {
    /// The scale that fits `values` (an empty or all-zero set maps 0..1).
    fn fit(values: &[f64], width: f64) -> Scale {
        let low = values.iter().copied().fold(0.0, f64::min);
        let high = values.iter().copied().fold(0.0, f64::max);
        Scale {
            low,
            high: if high > low { high } else { low + 1.0 },
            width,
        }
    }

    /// The position of a value.
    fn x(&self, value: f64) -> f64 {
        (value - self.low) / (self.high - self.low) * self.width
    }

    /// Where the bar of a value starts and how long it is.
    fn bar(&self, value: f64) -> (f64, f64) {
        let (zero, end) = (self.x(0.0), self.x(value));
        (zero.min(end), (end - zero).abs())
    }
}

/// Chart geometry, in SVG user units.
const CHART_WIDTH: f64 = 400.0;
const LABEL_WIDTH: f64 = 130.0;
const BAR_WIDTH: f64 = 190.0;
const ROW: f64 = 22.0;
const TOP: f64 = 16.0;

/// A name cut to fit the label column.
fn label(name: &str) -> String {
    const MAX: usize = 20;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        let cut: String = name.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

/// Writes a horizontal bar chart of a measure's values, one bar per
/// municipality, with the median marked. Its accessible name lists every value.
fn chart(w: &mut dyn Write, m: &MeasureSummary) -> io::Result<()> {
    let raw: Vec<f64> = m.values.iter().map(|(_, v)| *v).collect();
    let scale = Scale::fit(&raw, BAR_WIDTH);
    let height = TOP + ROW * m.values.len() as f64 + 4.0;
    let listed: Vec<String> = m
        .values
        .iter()
        .map(|(name, v)| format!("{name} {}", figure(*v)))
        .collect();
    let order = match m.better {
        Some(Direction::Lower) => "best (lowest) first",
        Some(Direction::Higher) => "best (highest) first",
        None => "largest first",
    };
    let title = format!(
        "{} in {}, one bar per municipality, {order}: {}. Median {}.",
        m.id,
        m.year,
        listed.join(", "),
        figure(m.distribution.median)
    );
    let id = slug(&m.id);
    writeln!(
        w,
        "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {CHART_WIDTH} {height}\" \
         role=\"img\" aria-labelledby=\"chart-{id}\">\n<title id=\"chart-{id}\">{}</title>",
        escape(&title)
    )?;
    for (i, (name, value)) in m.values.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let (start, length) = scale.bar(*value);
        writeln!(
            w,
            "<g><title>{}: {}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" height=\"14\" fill=\"#1f4e79\"/>\
             <text x=\"{CHART_WIDTH}\" y=\"{}\" text-anchor=\"end\">{}</text></g>",
            escape(name),
            figure(*value),
            LABEL_WIDTH - 4.0,
            y + 11.0,
            escape(&label(name)),
            LABEL_WIDTH + start,
            y,
            length.max(0.5),
            y + 11.0,
            figure(*value)
        )?;
    }
    let median = LABEL_WIDTH + scale.x(m.distribution.median);
    writeln!(
        w,
        "<line x1=\"{median:.1}\" y1=\"{}\" x2=\"{median:.1}\" y2=\"{height}\" stroke=\"#a4262c\" \
         stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\
         <text x=\"{median:.1}\" y=\"10\" text-anchor=\"middle\">median {}</text>",
        TOP - 4.0,
        figure(m.distribution.median)
    )?;
    writeln!(
        w,
        "</svg>\n<figcaption>{} in {} by municipality, {}; the dashed line is the median.</figcaption>\n</figure>",
        escape(&m.id),
        m.year,
        order
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_values_span_the_bar_width_from_zero() {
        let s = Scale::fit(&[50.0, 100.0, 25.0], 200.0);
        assert_eq!(s.x(0.0), 0.0);
        assert_eq!(s.x(100.0), 200.0);
        assert_eq!(s.bar(50.0), (0.0, 100.0));
        assert_eq!(s.bar(25.0), (0.0, 50.0));
    }

    #[test]
    fn negative_values_grow_left_of_zero() {
        let s = Scale::fit(&[-50.0, 150.0], 200.0);
        assert_eq!(s.x(0.0), 50.0);
        assert_eq!(s.bar(-50.0), (0.0, 50.0));
        assert_eq!(s.bar(150.0), (50.0, 150.0));
        let all_negative = Scale::fit(&[-10.0, -40.0], 100.0);
        assert_eq!(all_negative.x(0.0), 100.0);
        assert_eq!(all_negative.bar(-40.0), (0.0, 100.0));
    }

    #[test]
    fn equal_or_zero_values_do_not_divide_by_zero() {
        let zeros = Scale::fit(&[0.0, 0.0], 100.0);
        assert_eq!(zeros.bar(0.0), (0.0, 0.0));
        let empty = Scale::fit(&[], 100.0);
        assert!(empty.x(0.5).is_finite());
        let same = Scale::fit(&[7.0, 7.0], 100.0);
        assert_eq!(same.bar(7.0), (0.0, 100.0));
    }

    #[test]
    fn long_names_are_cut_to_the_label_column() {
        assert_eq!(label("Guelph"), "Guelph");
        let cut = label("Regional Municipality of Waterloo");
        assert_eq!(cut.chars().count(), 20);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn markdown_text_cannot_open_markup() {
        assert_eq!(md("<b>& a|b *x*"), r"\<b\>\& a\|b \*x\*");
        assert_eq!(md_code("a`b"), "`` a`b ``");
    }
}
