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
    /// Draw with Unicode block characters (a terminal), else ASCII.
    pub unicode: bool,
}

impl Style {
    /// The style for standard output: colour as chosen, width of the terminal
    /// (or `COLUMNS`, or 100), Unicode bars on a terminal only.
    pub fn stdout(color: bool) -> Style {
        use std::io::IsTerminal;
        let width = terminal_width().unwrap_or(100);
        let unicode = io::stdout().is_terminal();
        Style {
            color,
            width,
            unicode,
        }
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

/// Columns separated by spaces, a rule under the header, no other lines (no
/// blank rows between rows either).
const HOUSE_STYLE: TableStyle = TableStyle::new()
    .header_lines(ContentLineStyle::new(' ', ' ', ' '))
    .header_separator(LineStyle::new(' ', '─', ' ', ' '))
    .content_lines(ContentLineStyle::new(' ', ' ', ' '));

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
            about.push('\n');
            about.push_str(&highlight(&hit.snippet, &hit.highlights, style));
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
    /// Fewer documents than this for a service area is thin coverage.
    pub coverage_threshold: usize,
    /// Per key, the values with some documents but fewer than the threshold.
    pub below_threshold: BTreeMap<String, Vec<String>>,
}

/// Cells of the longest bar in `stats`.
const BAR_CELLS: usize = 24;

/// A bar `count / max` of the longest, in Unicode eighth blocks or `#`.
fn bar(count: usize, max: usize, unicode: bool) -> String {
    if max == 0 || count == 0 {
        return String::new();
    }
    let eighths = (count * BAR_CELLS * 8).div_ceil(max);
    if !unicode {
        return "#".repeat(eighths.div_ceil(8));
    }
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let mut out = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        out.push(PARTS[eighths % 8]);
    }
    out
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
                let thin = stats.below_threshold.get(key);
                let mut t = table(style, &[key, "practices", ""]);
                let max = values.iter().map(|(_, n)| *n).max().unwrap_or(0);
                for (v, n) in values {
                    let mut drawn = bar(*n, max, style.unicode);
                    if thin.is_some_and(|thin| thin.contains(v)) {
                        let pad = BAR_CELLS + 1 - drawn.chars().count();
                        drawn.push_str(&" ".repeat(pad));
                        drawn.push_str(&format!("below {}", stats.coverage_threshold));
                    }
                    t.add_row(vec![v.clone(), n.to_string(), drawn]);
                }
                if let Some(column) = t.column_mut(1) {
                    column.set_cell_alignment(comfy_table::CellAlignment::Right);
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
            for (key, values) in &stats.below_threshold {
                if !values.is_empty() {
                    writeln!(
                        w,
                        "\n{} {}",
                        style.bold(&format!(
                            "{key}s with fewer than {} practices:",
                            stats.coverage_threshold
                        )),
                        values.join(", ")
                    )?;
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_to_the_longest() {
        assert_eq!(bar(8, 8, false).len(), BAR_CELLS);
        assert_eq!(bar(4, 8, false).len(), BAR_CELLS / 2);
        assert_eq!(bar(0, 8, false), "");
        assert_eq!(bar(1, 8, true), "███");
        // A count that needs a part of a cell gets an eighth block, never nothing.
        assert_eq!(bar(1, 100, true), "▎");
        assert_eq!(bar(1, 100, false), "#");
    }
}
