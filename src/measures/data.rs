//! Reported measure values: the `data/measures/*.csv` format, and reading a
//! folder of such files into a [`Dataset`] with a diagnostic, at file and
//! line, for every row that cannot be used.
//!
//! A file has a header naming the columns `municipality` (registry id),
//! `measure` (catalogue id), `year`, `value`, and optionally `numerator` and
//! `denominator` (cells may be empty where they are not known). Column order
//! is free; other columns are ignored.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::corpus::vocab::Vocabularies;
use crate::diagnostic::Span;
use crate::diagnostic::{Diagnostic, line_span, suggestion};
use crate::error::Error;

/// The columns of a data file, in the order `mkn import` writes them.
pub const COLUMNS: [&str; 6] = [
    "municipality",
    "measure",
    "year",
    "value",
    "numerator",
    "denominator",
];

/// The columns a data file must have.
pub const REQUIRED: [&str; 4] = ["municipality", "measure", "year", "value"];

/// The earliest year a value may be reported for.
pub const FIRST_YEAR: i32 = 1990;

/// One reported value.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Registry id of the municipality.
    pub municipality: String,
    /// Catalogue id of the measure.
    pub measure: String,
    /// Reporting year.
    pub year: i32,
    /// The reported result.
    pub value: f64,
    /// Numerator, where known.
    pub numerator: Option<f64>,
    /// Denominator, where known.
    pub denominator: Option<f64>,
}

/// Where a row was read: file (relative to the corpus root) and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
}

/// What a row is checked against: the registry, the catalogue, a year range.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// The vocabularies (a missing registry or catalogue checks nothing).
    pub vocab: &'a Vocabularies,
    /// The latest year a value may be reported for (this year).
    pub last_year: i32,
}

/// The text of one row's cells, before checking.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawRow<'a> {
    /// Registry id.
    pub municipality: &'a str,
    /// Catalogue id.
    pub measure: &'a str,
    /// Year.
    pub year: &'a str,
    /// Value.
    pub value: &'a str,
    /// Numerator (empty when unknown).
    pub numerator: &'a str,
    /// Denominator (empty when unknown).
    pub denominator: &'a str,
}

/// Which cell of a row a problem is in, for its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The municipality.
    Municipality,
    /// The measure.
    Measure,
    /// The year.
    Year,
    /// The value.
    Value,
    /// The numerator.
    Numerator,
    /// The denominator.
    Denominator,
}

/// A problem with one row: the cell, a rule code, a message and maybe a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The offending cell.
    pub cell: Cell,
    /// Rule code such as `data/number`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl RowProblem {
    fn new(cell: Cell, code: &'static str, message: String) -> RowProblem {
        RowProblem {
            cell,
            code,
            message,
            hint: None,
        }
    }
}

/// Parses a number as written in a data file: digits with an optional sign,
/// decimal point and exponent; no thousands separators, no `NaN` or `inf`.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let plausible = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    plausible
        .then(|| t.parse::<f64>().ok())
        .flatten()
        .filter(|v| v.is_finite())
}

/// Whether `numerator / denominator` gives `value` as written: equal to the
/// last decimal `value` states (rounded or cut off), either as a ratio or as
/// a percentage.
pub fn ratio_agrees(numerator: f64, denominator: f64, value: f64, value_text: &str) -> bool {
    if denominator == 0.0 {
        return false;
    }
    let decimals = value_text
        .trim()
        .split_once('.')
        .map_or(0, |(_, d)| d.bytes().take_while(u8::is_ascii_digit).count());
    let tolerance = 10f64.powi(-(decimals as i32)) + value.abs() * 1e-9;
    let ratio = numerator / denominator;
    (ratio - value).abs() <= tolerance || (ratio * 100.0 - value).abs() <= tolerance
}

impl Rules<'_> {
    /// Checks one row's cells and returns the observation, or every problem found.
    pub fn row(&self, raw: &RawRow) -> Result<Observation, Vec<RowProblem>> {
        let mut problems = Vec::new();
        let municipality = raw.municipality.trim();
        if let Some(registry) = &self.vocab.municipalities
            && registry.table.get(municipality).is_none()
        {
            let mut p = RowProblem::new(
                Cell::Municipality,
                "ref/municipality",
                format!("`{municipality}` is not a known municipality"),
            );
            p.hint = registry.hint(municipality).or_else(|| {
                registry
                    .resolve(municipality)
                    .map(|m| format!("`{municipality}` is a StatCan code; its id is `{}`", m.id))
            });
            problems.push(p);
        }
        let measure = raw.measure.trim();
        if let Some(measures) = &self.vocab.measures
            && measures.get(measure).is_none()
        {
            let mut p = RowProblem::new(
                Cell::Measure,
                "ref/measure",
                format!("`{measure}` is not a known measure"),
            );
            p.hint = suggestion(measure, measures.ids());
            problems.push(p);
        }
        let year = match raw.year.trim().parse::<i32>() {
            Ok(y) if (FIRST_YEAR..=self.last_year).contains(&y) => Some(y),
            Ok(y) => {
                problems.push(RowProblem::new(
                    Cell::Year,
                    "data/year",
                    if y < FIRST_YEAR {
                        format!("year {y} is out of range: values start in {FIRST_YEAR}")
                    } else {
                        format!("year {y} is out of range: it is in the future")
                    },
                ));
                None
            }
            Err(_) => {
                problems.push(RowProblem::new(
                    Cell::Year,
                    "data/year",
                    format!("`{}` is not a year", raw.year.trim()),
                ));
                None
            }
        };
        let mut number = |cell: Cell, text: &str, optional: bool| -> Option<f64> {
            if optional && text.trim().is_empty() {
                return None;
            }
            let parsed = parse_number(text);
            if parsed.is_none() {
                let name = match cell {
                    Cell::Value => "value",
                    Cell::Numerator => "numerator",
                    _ => "denominator",
                };
                let mut p = RowProblem::new(
                    cell,
                    "data/number",
                    if text.trim().is_empty() {
                        format!("the {name} is empty")
                    } else {
                        format!("the {name} `{}` is not a number", text.trim())
                    },
                );
                p.hint = Some(
                    "write plain numbers such as 1234.5: no thousands separators, units or signs like %"
                        .into(),
                );
                problems.push(p);
            }
            parsed
        };
        let value = number(Cell::Value, raw.value, false);
        let numerator = number(Cell::Numerator, raw.numerator, true);
        let denominator = number(Cell::Denominator, raw.denominator, true);
        if let (Some(v), Some(n), Some(d)) = (value, numerator, denominator)
            && !ratio_agrees(n, d, v, raw.value)
        {
            let mut p = RowProblem::new(
                Cell::Value,
                "data/ratio",
                if d == 0.0 {
                    format!("the denominator is 0, so it cannot give the value {v}")
                } else {
                    format!(
                        "numerator {n} / denominator {d} = {}, not the value {v}",
                        round_for_display(n / d)
                    )
                },
            );
            p.hint = Some(
                "the value must be numerator / denominator (or that as a percentage); fix one, or leave numerator and denominator empty".into(),
            );
            problems.push(p);
        }
        match (problems.is_empty(), year, value) {
            (true, Some(year), Some(value)) => Ok(Observation {
                municipality: municipality.to_string(),
                measure: measure.to_string(),
                year,
                value,
                numerator,
                denominator,
            }),
            _ => Err(problems),
        }
    }
}

/// A number with at most six significant decimals, for messages.
pub fn round_for_display(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 6 - x.abs().log10().floor() as i32 - 1;
    let scale = 10f64.powi(digits.clamp(0, 12));
    (x * scale).round() / scale
}

/// All reported values of a corpus.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Every usable row, in file and line order.
    pub observations: Vec<Observation>,
    /// Where each observation was read, by the same index.
    pub origins: Vec<Origin>,
    by_key: HashMap<(String, String, i32), usize>,
}

impl Dataset {
    /// The value reported by a municipality for a measure in a year.
    pub fn get(
        &self,
        municipality: &str,
        measure: &str,
        year: i32,
    ) -> Option<(&Observation, &Origin)> {
        self.by_key
            .get(&(municipality.to_string(), measure.to_string(), year))
            .map(|&i| (&self.observations[i], &self.origins[i]))
    }

    /// Every value of one measure.
    pub fn of_measure<'a>(&'a self, measure: &'a str) -> impl Iterator<Item = &'a Observation> {
        self.observations
            .iter()
            .filter(move |o| o.measure == measure)
    }

    /// Reads every `*.csv` in `folder` (relative to `root`; a missing folder
    /// holds no data), in name order. Rows that cannot be used are left out
    /// and reported. With `only`, rows of other measures are skipped unread.
    pub fn load(
        root: &Path,
        folder: &Path,
        rules: &Rules,
        only: Option<&str>,
    ) -> Result<(Dataset, Vec<Diagnostic>), Error> {
        let mut files: Vec<PathBuf> = match fs::read_dir(root.join(folder)) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "csv") && p.is_file())
                .filter_map(|p| p.file_name().map(|n| folder.join(n)))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(Error::io(folder, e)),
        };
        files.sort();
        let mut dataset = Dataset::default();
        let mut diagnostics = Vec::new();
        for rel in files {
            let bytes = fs::read(root.join(&rel)).map_err(|e| Error::io(&rel, e))?;
            read_file(&rel, &bytes, rules, only, &mut dataset, &mut diagnostics);
        }
        Ok((dataset, diagnostics))
    }
}

/// Reads one data file into `dataset`, reporting what cannot be used.
fn read_file(
    rel: &Path,
    bytes: &[u8],
    rules: &Rules,
    only: Option<&str>,
    dataset: &mut Dataset,
    out: &mut Vec<Diagnostic>,
) {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        out.push(
            Diagnostic::error(rel, line_span(1), "data/empty", "the data file is empty")
                .with_hint(format!("start with the header `{}`", COLUMNS.join(","))),
        );
        return;
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.push(csv_problem(rel, &e));
            return;
        }
    };
    let position = |name: &str| {
        header
            .iter()
            .position(|h| String::from_utf8_lossy(h).trim() == name)
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| position(c).is_none())
        .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::error(
                rel,
                line_span(1),
                "data/missing-column",
                format!(
                    "the header has no column {}",
                    missing
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_hint(format!(
                "the header names the columns: {} (numerator and denominator are optional)",
                COLUMNS.join(",")
            )),
        );
        return;
    }
    let columns: Vec<Option<usize>> = COLUMNS.iter().map(|c| position(c)).collect();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                out.push(csv_problem(rel, &e));
                break;
            }
        }
        if let (Some(only), Some(at)) = (only, columns[1])
            && record
                .get(at)
                .is_some_and(|m| m.trim_ascii() != only.as_bytes())
        {
            continue;
        }
        let line = record.position().map_or(1, |p| p.line() as usize);
        let cell = |i: usize| {
            columns[i]
                .and_then(|c| record.get(c))
                .map_or("", |b| std::str::from_utf8(b).unwrap_or("\u{fffd}"))
        };
        let raw = RawRow {
            municipality: cell(0),
            measure: cell(1),
            year: cell(2),
            value: cell(3),
            numerator: cell(4),
            denominator: cell(5),
        };
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            out.push(
                Diagnostic::error(
                    rel,
                    line_span(line),
                    "data/columns",
                    format!(
                        "this row has {} fields, but the header has {}",
                        record.len(),
                        header.len()
                    ),
                )
                .with_hint("quote a value that contains a comma, or write numbers without thousands separators"),
            );
            continue;
        }
        match rules.row(&raw) {
            Ok(observation) => {
                let key = (
                    observation.municipality.clone(),
                    observation.measure.clone(),
                    observation.year,
                );
                if let Some(&first) = dataset.by_key.get(&key) {
                    let before = &dataset.origins[first];
                    out.push(
                        Diagnostic::error(
                            rel,
                            line_span(line),
                            "data/duplicate",
                            format!(
                                "a second value for {} / {} / {}: {} here, {} at {}:{}",
                                key.0,
                                key.1,
                                key.2,
                                observation.value,
                                dataset.observations[first].value,
                                crate::corpus::display_path(&before.path),
                                before.line
                            ),
                        )
                        .with_related(&before.path, line_span(before.line), "first given here")
                        .with_hint("keep one row per municipality, measure and year"),
                    );
                    continue;
                }
                dataset.by_key.insert(key, dataset.observations.len());
                dataset.observations.push(observation);
                dataset.origins.push(Origin {
                    path: rel.to_path_buf(),
                    line,
                });
            }
            Err(problems) => {
                for p in problems {
                    let index = match p.cell {
                        Cell::Municipality => 0,
                        Cell::Measure => 1,
                        Cell::Year => 2,
                        Cell::Value => 3,
                        Cell::Numerator => 4,
                        Cell::Denominator => 5,
                    };
                    let span =
                        columns[index].map_or(line_span(line), |c| cell_span(&record, c, line));
                    out.push(Diagnostic::error(rel, span, p.code, p.message).with_hint_opt(p.hint));
                }
            }
        }
    }
}

/// The span of field `index` of a record on `line`, counting characters of
/// the fields before it and their commas (exact for unquoted fields).
pub fn cell_span(record: &csv::ByteRecord, index: usize, line: usize) -> Span {
    let chars = |b: &[u8]| String::from_utf8_lossy(b).chars().count();
    let col = 1 + record
        .iter()
        .take(index)
        .map(|f| chars(f) + 1)
        .sum::<usize>();
    Span {
        line,
        col,
        len: record.get(index).map_or(1, chars).max(1),
    }
}

fn csv_problem(rel: &Path, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(1, |p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the file is not UTF-8 text".to_string(),
        _ => e.to_string(),
    };
    Diagnostic::error(rel, line_span(line), "data/csv", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain() {
        assert_eq!(parse_number(" 12.5 "), Some(12.5));
        assert_eq!(parse_number("-1e3"), Some(-1000.0));
        for bad in ["", "1,234", "12%", "NaN", "inf", "n/a", "$5"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn ratios_agree_to_the_stated_decimals() {
        assert!(ratio_agrees(1492.0, 21485.0, 0.069, "0.069"));
        assert!(ratio_agrees(341985.0, 29.0, 11792.0, "11792"), "cut off");
        assert!(ratio_agrees(1.0, 4.0, 25.0, "25"), "a percentage");
        assert!(!ratio_agrees(0.6, 0.6667, 0.6667, "0.6667"));
        assert!(!ratio_agrees(1.0, 0.0, 0.0, "0"));
    }
}
