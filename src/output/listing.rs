//! Listings for people and programs: search hits, a shown document, stats.
//! Tables fit the terminal (comfy-table); json, ndjson and csv keep a stable
//! field order, documented in the README.

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::{
    ColumnConstraint, ContentArrangement, ContentLineStyle, LineStyle, Table, TableStyle, Width,
};
use serde::Serialize;

use crate::error::Error;
use crate::query::{Hit, Results};

/// The formats of listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ListFormat {
    /// A table that fits the terminal.
    #[default]
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values with a header; lists joined with `;`.
    Csv,
}

/// Terminal facts a table needs.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Use ANSI colour and bold.
    pub color: bool,
    /// Width to fit.
    pub width: u16,
}

impl Style {
    /// The style for standard output: colour as chosen, width of the terminal
    /// (or `COLUMNS`, or 100).
    pub fn stdout(color: bool) -> Style {
        let width = terminal_width().unwrap_or(100);
        Style { color, width }
    }

    /// Bold text, when colour is on.
    pub fn bold(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| {
            use std::io::IsTerminal;
            io::stdout()
                .is_terminal()
                .then(|| Table::new().width())
                .flatten()
        })
}

/// Columns separated by spaces, a rule under the header, no other lines.
const HOUSE_STYLE: TableStyle = TableStyle::new()
    .header_lines(ContentLineStyle::new(' ', ' ', ' '))
    .header_separator(LineStyle::new(' ', '─', ' ', ' '))
    .content_lines(ContentLineStyle::new(' ', ' ', ' '))
    .row_separator(LineStyle::new(' ', ' ', ' ', ' '));

/// A table with the house style.
pub fn table(style: Style, header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(HOUSE_STYLE)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width)
        .set_header(header.iter().copied());
    if !style.color {
        table.force_no_tty();
    }
    table
}

/// The CSV and table columns of a hit, in order.
pub const HIT_COLUMNS: [&str; 11] = [
    "id",
    "title",
    "kind",
    "areas",
    "municipalities",
    "year",
    "score",
    "snippet",
    "collection",
    "path",
    "invalid",
];

/// Writes search or list results.
pub fn write_results(
    w: &mut dyn Write,
    results: &Results,
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    match format {
        ListFormat::Json => json(w, results)?,
        ListFormat::Ndjson => ndjson(w, &results.hits)?,
        ListFormat::Csv => hits_csv(w, &results.hits)?,
        ListFormat::Table => {
            if results.hits.is_empty() {
                writeln!(w, "no matches")?;
            } else {
                write_hit_table(w, &results.hits, style)?;
            }
            let shown = results.hits.len();
            let note = if results.approximate {
                " (no document has every word; these match some, or with typos)"
            } else {
                ""
            };
            writeln!(w, "{shown} of {} matching documents{note}", results.total)?;
            for (key, values) in &results.facets {
                let counts: Vec<String> =
                    values.iter().map(|(v, n)| format!("{v} ({n})")).collect();
                writeln!(
                    w,
                    "{}: {}",
                    style.bold(key),
                    if counts.is_empty() {
                        "-".into()
                    } else {
                        counts.join(", ")
                    }
                )?;
            }
        }
    }
    Ok(())
}

/// Writes hits as a two-column table that fits the terminal: the id with
/// kind, year and score under it; the title with the areas and
/// municipalities under it and the snippet, matched words in bold.
pub fn write_hit_table(w: &mut dyn Write, hits: &[Hit], style: Style) -> Result<(), Error> {
    let mut t = table(
        style,
        &[
            "id · kind · year · score",
            "title · areas · municipalities · match",
        ],
    );
    for hit in hits {
        let facts: Vec<String> = [
            hit.kind.clone(),
            hit.year.map(|y| y.to_string()).unwrap_or_default(),
            hit.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
        let mut about = style.bold(&hit.title);
        if hit.invalid {
            about.push_str(" [invalid front matter]");
        }
        let places = [hit.areas.join(", "), hit.municipalities.join(", ")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        if !places.is_empty() {
            about.push('\n');
            about.push_str(&places);
        }
        if !hit.snippet.is_empty() {
            about.push_str("\n…");
            about.push_str(&highlight(&hit.snippet, &hit.highlights, style));
            about.push('…');
        }
        t.add_row(vec![format!("{}\n{}", hit.id, facts.join(" · ")), about]);
    }
    if let Some(column) = t.column_mut(0) {
        column.set_constraint(ColumnConstraint::UpperBoundary(Width::Percentage(45)));
    }
    writeln!(w, "{t}")?;
    Ok(())
}

fn highlight(snippet: &str, ranges: &[[usize; 2]], style: Style) -> String {
    if !style.color {
        return snippet.to_string();
    }
    let mut out = String::new();
    let mut at = 0;
    for &[start, end] in ranges {
        if start < at
            || end > snippet.len()
            || !snippet.is_char_boundary(start)
            || !snippet.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&snippet[at..start]);
        out.push_str(&style.bold(&snippet[start..end]));
        at = end;
    }
    out.push_str(&snippet[at..]);
    out
}

/// Pretty JSON and a newline.
pub fn json<T: Serialize>(w: &mut dyn Write, value: &T) -> Result<(), Error> {
    serde_json::to_writer_pretty(&mut *w, value).map_err(io::Error::from)?;
    writeln!(w)?;
    Ok(())
}

/// One compact JSON object per line.
pub fn ndjson<T: Serialize>(w: &mut dyn Write, items: &[T]) -> Result<(), Error> {
    for item in items {
        serde_json::to_writer(&mut *w, item).map_err(io::Error::from)?;
        writeln!(w)?;
    }
    Ok(())
}

fn hits_csv(w: &mut dyn Write, hits: &[Hit]) -> Result<(), Error> {
    let mut out = csv::Writer::from_writer(w);
    let csv_error = |e: csv::Error| Error::Output(io::Error::other(e.to_string()));
    out.write_record(HIT_COLUMNS).map_err(csv_error)?;
    for hit in hits {
        out.write_record([
            hit.id.clone(),
            hit.title.clone(),
            hit.kind.clone(),
            hit.areas.join(";"),
            hit.municipalities.join(";"),
            hit.year.map(|y| y.to_string()).unwrap_or_default(),
            hit.score.map(|s| s.to_string()).unwrap_or_default(),
            hit.snippet.clone(),
            hit.collection.clone(),
            hit.path.clone(),
            hit.invalid.to_string(),
        ])
        .map_err(csv_error)?;
    }
    out.flush()?;
    Ok(())
}

/// Counts per key, and the values nobody covers yet.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Documents counted.
    pub documents: usize,
    /// (value, count) per key.
    pub counts: BTreeMap<String, Vec<(String, usize)>>,
    /// Per key, the known values with no document.
    pub gaps: BTreeMap<String, Vec<String>>,
}

/// Writes stats.
pub fn write_stats(
    w: &mut dyn Write,
    stats: &Stats,
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    match format {
        ListFormat::Json => json(w, stats),
        ListFormat::Ndjson | ListFormat::Csv => {
            let rows: Vec<(&str, &str, usize)> = stats
                .counts
                .iter()
                .flat_map(|(key, values)| {
                    values
                        .iter()
                        .map(move |(v, n)| (key.as_str(), v.as_str(), *n))
                })
                .chain(stats.gaps.iter().flat_map(|(key, values)| {
                    values.iter().map(move |v| (key.as_str(), v.as_str(), 0))
                }))
                .collect();
            if format == ListFormat::Ndjson {
                let objects: Vec<_> = rows
                    .iter()
                    .map(|(k, v, n)| serde_json::json!({"key": k, "value": v, "count": n}))
                    .collect();
                ndjson(w, &objects)
            } else {
                let mut out = csv::Writer::from_writer(w);
                let csv_error = |e: csv::Error| Error::Output(io::Error::other(e.to_string()));
                out.write_record(["key", "value", "count"])
                    .map_err(csv_error)?;
                for (k, v, n) in rows {
                    out.write_record([k, v, &n.to_string()])
                        .map_err(csv_error)?;
                }
                out.flush()?;
                Ok(())
            }
        }
        ListFormat::Table => {
            writeln!(w, "{} practices", stats.documents)?;
            for (key, values) in &stats.counts {
                writeln!(w, "\n{}", style.bold(&format!("by {key}")))?;
                let mut t = table(style, &[key, "practices"]);
                for (v, n) in values {
                    t.add_row(vec![v.clone(), n.to_string()]);
                }
                writeln!(w, "{t}")?;
            }
            for (key, values) in &stats.gaps {
                let list = if values.is_empty() {
                    "none".to_string()
                } else {
                    values.join(", ")
                };
                writeln!(
                    w,
                    "\n{} {list}",
                    style.bold(&format!("{key} with no practice yet:"))
                )?;
            }
            Ok(())
        }
    }
}
