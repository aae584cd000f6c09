//! Measures for people and programs: the catalogue, one measure explained,
//! one measure across municipalities, and what an import did.
//!
//! Field order of the machine formats:
//! - catalogue rows: `id`, `name`, `area`, `unit`, `better`, `reporting`;
//! - `mkn measure` rows (ndjson, csv): `rank`, `municipality`, `name`, `tier`,
//!   `population`, `value`; its JSON adds `measure`, `year`, `tier`, `region`,
//!   `distribution` and `placement`.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::ListFormat;
use super::listing::{Style, json, ndjson, table};
use crate::corpus::display_path;
use crate::corpus::vocab::{Direction, Measure};
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::measures::import::Imported;
use crate::measures::names::Unmapped;
use crate::measures::stats::{Distribution, sparkline};

/// A measure of the catalogue, as `mkn measures` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Service area.
    pub area: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Better direction.
    pub better: Option<Direction>,
    /// Municipalities with reported values.
    pub reporting: usize,
}

/// One measure explained by `mkn measures show`.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureDetail<'a> {
    /// The catalogue entry.
    pub measure: &'a Measure,
    /// Municipalities with reported values.
    pub municipalities: Vec<String>,
    /// Number of reported values.
    pub values: usize,
    /// Years with reported values.
    pub years: Vec<i32>,
}

/// A municipality's value in a ranking.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    /// 1 is best (or largest when the direction is unknown); ties share a rank.
    pub rank: usize,
    /// Registry id.
    pub municipality: String,
    /// Name.
    pub name: String,
    /// Tier.
    pub tier: String,
    /// Population.
    pub population: Option<u64>,
    /// Value in the year.
    pub value: f64,
}

/// One municipality against its peer group.
#[derive(Debug, Clone, Serialize)]
pub struct Placement {
    /// Registry id.
    pub municipality: String,
    /// Its value in the year.
    pub value: f64,
    /// Its percentile in the peer group (100 is best when the direction is known).
    pub percentile: f64,
    /// How many of the group it does better than (when the direction is known).
    pub better_than: Option<usize>,
    /// How the peer group was chosen.
    pub peer_rule: String,
    /// The group's ids, itself included.
    pub peers: Vec<String>,
    /// Its values by year.
    pub trend: Vec<(i32, f64)>,
}

/// What `mkn measure` shows.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureView<'a> {
    /// The measure.
    pub measure: &'a Measure,
    /// The year compared.
    pub year: i32,
    /// Tier filter.
    pub tier: Option<String>,
    /// Region filter.
    pub region: Option<String>,
    /// Distribution over the group.
    pub distribution: Option<Distribution>,
    /// The group, best first.
    pub ranking: Vec<Ranked>,
    /// One municipality against its peers, when asked for.
    pub placement: Option<Placement>,
}

/// What `mkn import measures` reports.
#[derive(Debug)]
pub struct ImportSummary<'a> {
    /// The data file written (relative to the corpus root), if any.
    pub target: Option<PathBuf>,
    /// What was read.
    pub imported: &'a Imported,
    /// Municipalities covered.
    pub municipalities: usize,
    /// Measures covered.
    pub measures: usize,
}

/// A house-style table without the blank line between rows, for one-line rows.
fn compact_table(style: Style, header: &[&str]) -> comfy_table::Table {
    let mut t = table(style, header);
    let compact = t.style().row_separator(comfy_table::LineStyle::none());
    t.load_style(compact);
    t
}

fn csv_rows<const N: usize>(
    w: &mut dyn Write,
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<(), Error> {
    let mut out = csv::Writer::from_writer(w);
    let csv_error = |e: csv::Error| Error::Output(io::Error::other(e.to_string()));
    out.write_record(header).map_err(csv_error)?;
    for row in rows {
        out.write_record(&row).map_err(csv_error)?;
    }
    out.flush()?;
    Ok(())
}

fn direction(better: Option<Direction>) -> &'static str {
    match better {
        Some(Direction::Lower) => "lower",
        Some(Direction::Higher) => "higher",
        None => "unknown",
    }
}

/// A number for a table: integers as such, others with up to 4 decimals.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Writes the catalogue listing.
pub fn write_catalogue(
    w: &mut dyn Write,
    rows: &[CatalogueRow],
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    match format {
        ListFormat::Json => json(w, &rows),
        ListFormat::Ndjson => ndjson(w, rows),
        ListFormat::Csv => csv_rows(
            w,
            ["id", "name", "area", "unit", "better", "reporting"],
            rows.iter().map(|r| {
                [
                    r.id.clone(),
                    r.name.clone(),
                    r.area.clone().unwrap_or_default(),
                    r.unit.clone().unwrap_or_default(),
                    r.better
                        .map(|b| direction(Some(b)).to_string())
                        .unwrap_or_default(),
                    r.reporting.to_string(),
                ]
            }),
        ),
        ListFormat::Table => {
            if rows.is_empty() {
                writeln!(w, "no measures match")?;
                return Ok(());
            }
            let mut t = table(style, &["id", "name · unit", "area", "better", "reporting"]);
            for r in rows {
                let name = match &r.unit {
                    Some(unit) => format!("{}\n{unit}", r.name),
                    None => r.name.clone(),
                };
                t.add_row(vec![
                    r.id.clone(),
                    name,
                    r.area.clone().unwrap_or_default(),
                    direction(r.better).to_string(),
                    r.reporting.to_string(),
                ]);
            }
            writeln!(w, "{t}")?;
            writeln!(w, "{} measures", rows.len())?;
            Ok(())
        }
    }
}

/// Writes one measure explained.
pub fn write_detail(
    w: &mut dyn Write,
    d: &MeasureDetail,
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    if format != ListFormat::Table {
        return json(w, d);
    }
    let m = d.measure;
    writeln!(w, "{} {}", style.bold(&m.id), m.name)?;
    let facts: Vec<String> = [
        m.area.as_ref().map(|a| format!("area: {a}")),
        m.category.as_ref().map(|c| format!("category: {c}")),
        m.unit.as_ref().map(|u| format!("unit: {u}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !facts.is_empty() {
        writeln!(w, "{}", facts.join(" · "))?;
    }
    writeln!(w, "\n{}", style.bold("Definition"))?;
    writeln!(
        w,
        "numerator: {}",
        m.numerator.as_deref().unwrap_or("not given")
    )?;
    writeln!(
        w,
        "denominator: {}",
        m.denominator.as_deref().unwrap_or("not given")
    )?;
    writeln!(w, "\n{}", style.bold("Better"))?;
    match (m.better, &m.reason) {
        (Some(b), Some(reason)) => writeln!(w, "{}: {reason}", direction(Some(b)))?,
        (Some(b), None) => writeln!(w, "{}", direction(Some(b)))?,
        (None, _) => writeln!(
            w,
            "unknown: the measure's wording does not say, so it cannot show an improvement"
        )?,
    }
    writeln!(w, "\n{}", style.bold("Reported values"))?;
    if d.values == 0 {
        writeln!(w, "none in the corpus's data files")?;
    } else {
        writeln!(
            w,
            "{} values from {} municipalities ({}), years {}",
            d.values,
            d.municipalities.len(),
            d.municipalities.join(", "),
            year_ranges(&d.years)
        )?;
    }
    Ok(())
}

/// Years as ranges: 2004–2010, 2012.
fn year_ranges(years: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let mut j = i;
        while j + 1 < years.len() && years[j + 1] == years[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            years[i].to_string()
        } else {
            format!("{}–{}", years[i], years[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// Writes one measure across municipalities.
pub fn write_measure(
    w: &mut dyn Write,
    v: &MeasureView,
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    match format {
        ListFormat::Json => return json(w, v),
        ListFormat::Ndjson => return ndjson(w, &v.ranking),
        ListFormat::Csv => {
            return csv_rows(
                w,
                [
                    "rank",
                    "municipality",
                    "name",
                    "tier",
                    "population",
                    "value",
                ],
                v.ranking.iter().map(|r| {
                    [
                        r.rank.to_string(),
                        r.municipality.clone(),
                        r.name.clone(),
                        r.tier.clone(),
                        r.population.map(|p| p.to_string()).unwrap_or_default(),
                        r.value.to_string(),
                    ]
                }),
            );
        }
        ListFormat::Table => {}
    }
    let m = v.measure;
    writeln!(w, "{} {}", style.bold(&m.id), m.name)?;
    let mut scope = vec![format!("year {}", v.year)];
    scope.extend(v.tier.as_ref().map(|t| format!("tier {t}")));
    scope.extend(v.region.as_ref().map(|r| format!("region {r}")));
    scope.push(format!("{} is better", direction(m.better)));
    if let Some(unit) = &m.unit {
        scope.push(unit.clone());
    }
    writeln!(w, "{}", scope.join(" · "))?;
    if let Some(p) = &v.placement {
        writeln!(
            w,
            "\n{}",
            style.bold(&format!("{} against its peers", p.municipality))
        )?;
        writeln!(
            w,
            "peer group: {} ({} municipalities)",
            p.peer_rule,
            p.peers.len()
        )?;
        let standing = match p.better_than {
            Some(n) => format!(", better than {n} of {} others", p.peers.len() - 1),
            None => String::new(),
        };
        writeln!(
            w,
            "value {} · percentile {:.0}{standing}",
            number(p.value),
            p.percentile
        )?;
        let values: Vec<f64> = p.trend.iter().map(|t| t.1).collect();
        let line = p
            .trend
            .iter()
            .map(|(y, x)| format!("{y}: {}", number(*x)))
            .collect::<Vec<_>>()
            .join(", ");
        if io::stdout().is_terminal() && values.len() > 1 {
            writeln!(w, "trend {}  {line}", sparkline(&values))?;
        } else {
            writeln!(w, "trend {line}")?;
        }
    }
    if let Some(d) = &v.distribution {
        writeln!(w)?;
        let mut t = compact_table(style, &["count", "min", "q1", "median", "q3", "max"]);
        t.add_row(vec![
            d.count.to_string(),
            number(d.min),
            number(d.q1),
            number(d.median),
            number(d.q3),
            number(d.max),
        ]);
        writeln!(w, "{t}")?;
    }
    writeln!(w)?;
    let mut t = compact_table(
        style,
        &["rank", "municipality", "tier", "population", "value"],
    );
    let focus = v.placement.as_ref().map(|p| p.municipality.as_str());
    for r in &v.ranking {
        let id = if Some(r.municipality.as_str()) == focus {
            style.bold(&format!("{} ◀", r.municipality))
        } else {
            r.municipality.clone()
        };
        t.add_row(vec![
            r.rank.to_string(),
            id,
            r.tier.clone(),
            r.population.map(|p| p.to_string()).unwrap_or_default(),
            number(r.value),
        ]);
    }
    writeln!(w, "{t}")?;
    Ok(())
}

/// Writes what an import did: counts, names left out, bad rows.
pub fn write_import(w: &mut dyn Write, s: &ImportSummary, style: Style) -> Result<(), Error> {
    let i = s.imported;
    match &s.target {
        Some(target) => writeln!(
            w,
            "imported {} of {} rows into {}: {} municipalities, {} measures",
            i.observations.len(),
            i.rows,
            display_path(target),
            s.municipalities,
            s.measures
        )?,
        None => writeln!(w, "nothing to import from {} rows; no file written", i.rows)?,
    }
    if !i.mapped.is_empty() {
        let pairs: Vec<String> = i
            .mapped
            .iter()
            .map(|(name, id)| format!("{name} → {id}"))
            .collect();
        writeln!(w, "{} {}", style.bold("names mapped:"), pairs.join(", "))?;
    }
    if i.no_value > 0 {
        writeln!(w, "left out {} rows with no value", i.no_value)?;
    }
    if !i.unmapped.is_empty() {
        let rows: usize = i.unmapped.iter().map(|u| u.rows).sum();
        writeln!(
            w,
            "left out {rows} rows of {} names with no registry id:",
            i.unmapped.len()
        )?;
        for u in &i.unmapped {
            let why = match &u.reason {
                Unmapped::Unknown { close: Some(c) } => {
                    format!("no municipality of that name (did you mean `{c}`? say so with --map)")
                }
                Unmapped::Unknown { close: None } => "no municipality of that name".into(),
                Unmapped::Ambiguous { candidates } => format!(
                    "ambiguous: {} (use --prefer upper|lower or --map)",
                    candidates.join(", ")
                ),
                Unmapped::LeftOut => "left out by the mapping file".into(),
            };
            writeln!(w, "  {} ({} rows): {why}", u.name, u.rows)?;
        }
    }
    let bad = i
        .problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if bad > 0 {
        writeln!(w, "left out {bad} bad rows")?;
    }
    if !i.problems.is_empty() {
        writeln!(w, "{}", style.bold("problems, by line:"))?;
    }
    for d in &i.problems {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(
            w,
            "{}:{}:{}: {severity}[{}]: {}",
            display_path(&d.path),
            d.span.line,
            d.span.col,
            d.code,
            d.message
        )?;
        if let Some(hint) = &d.hint {
            writeln!(w, "  help: {hint}")?;
        }
    }
    Ok(())
}
