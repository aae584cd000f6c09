//! `mkn import measures`: a CSV of reported values with any column names and
//! municipality names, checked row by row and written as a data file.
//!
//! Rows are checked with the same [`Rules`] as the data files. A row without
//! a value, a row whose municipality cannot be mapped, and a bad row are left
//! out and counted or reported; nothing is guessed. A row whose numerator and
//! denominator do not give its value keeps the value and loses the two, with
//! a warning. The output is written to a temporary file beside the target and
//! renamed over it, so a failed import leaves nothing half-written.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::data::{COLUMNS, Cell, Observation, RawRow, Rules, cell_span};
use super::names::{NameMap, Unmapped};
use crate::diagnostic::{Diagnostic, line_span};
use crate::error::Error;

/// The input's column names for each field of a data file.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Municipality name, id or StatCan code.
    pub municipality: String,
    /// Measure id.
    pub measure: String,
    /// Year.
    pub year: String,
    /// Value.
    pub value: String,
    /// Numerator (default: a column named `numerator`, if there is one).
    pub numerator: Option<String>,
    /// Denominator (default: a column named `denominator`, if there is one).
    pub denominator: Option<String>,
}

/// A name that could not be mapped, and on how many rows it appeared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmappedName {
    /// The name as written in the input.
    pub name: String,
    /// Rows that carried it (all left out).
    pub rows: usize,
    /// Why it has no id.
    pub reason: Unmapped,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// Data rows read from the input.
    pub rows: usize,
    /// The values kept, sorted by measure, municipality and year.
    pub observations: Vec<Observation>,
    /// Rows of mapped municipalities left out because the value cell was empty.
    pub no_value: usize,
    /// Names left out, in input order of first appearance.
    pub unmapped: Vec<UnmappedName>,
    /// Names mapped, with the id each got.
    pub mapped: BTreeMap<String, String>,
    /// Bad rows (errors, left out) and kept rows with a dropped ratio (warnings).
    pub problems: Vec<Diagnostic>,
}

/// Reads `input` (shown as `shown` in diagnostics) and checks every row.
pub fn read(
    input: &Path,
    shown: &Path,
    columns: &Columns,
    names: &NameMap,
    rules: &Rules,
) -> Result<Imported, Error> {
    let file = std::fs::File::open(input).map_err(|e| Error::io(input, e))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(file);
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line());
        Error::Usage(format!("{}:{line}: {e}", shown.display()))
    };
    let header = reader.byte_headers().map_err(csv_error)?.clone();
    let names_in_header: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let find = |name: &str, flag: &str| {
        names_in_header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{} has no column `{name}` (its columns: {}); name the right one with --{flag}",
                    shown.display(),
                    names_in_header.join(", ")
                ))
            })
    };
    let optional = |given: &Option<String>, default: &str, flag: &str| match given {
        Some(name) => find(name, flag).map(Some),
        None => Ok(names_in_header.iter().position(|h| h == default)),
    };
    let at = [
        Some(find(&columns.municipality, "municipality-column")?),
        Some(find(&columns.measure, "measure-column")?),
        Some(find(&columns.year, "year-column")?),
        Some(find(&columns.value, "value-column")?),
        optional(&columns.numerator, "numerator", "numerator-column")?,
        optional(&columns.denominator, "denominator", "denominator-column")?,
    ];
    let mut imported = Imported::default();
    let mut unmapped: Vec<UnmappedName> = Vec::new();
    let mut cache: HashMap<Vec<u8>, Result<String, usize>> = HashMap::new();
    let mut first_line: HashMap<(String, String, i32), usize> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(1, |p| p.line() as usize);
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        imported.rows += 1;
        let cell = |i: usize| {
            at[i]
                .and_then(|c| record.get(c))
                .map_or("", |b| std::str::from_utf8(b).unwrap_or("\u{fffd}"))
        };
        let name = record.get(at[0].unwrap_or(0)).unwrap_or_default();
        let id = match cache.get(name) {
            Some(found) => found.clone(),
            None => {
                let text = String::from_utf8_lossy(name).into_owned();
                let found = match names.map(&text) {
                    Ok(id) => {
                        imported.mapped.insert(text, id.clone());
                        Ok(id)
                    }
                    Err(reason) => {
                        unmapped.push(UnmappedName {
                            name: text,
                            rows: 0,
                            reason,
                        });
                        Err(unmapped.len() - 1)
                    }
                };
                cache.insert(name.to_vec(), found.clone());
                found
            }
        };
        let id = match id {
            Ok(id) => id,
            Err(index) => {
                unmapped[index].rows += 1;
                continue;
            }
        };
        if cell(3).trim().is_empty() {
            imported.no_value += 1;
            continue;
        }
        let raw = RawRow {
            municipality: &id,
            measure: cell(1),
            year: cell(2),
            value: cell(3),
            numerator: cell(4),
            denominator: cell(5),
        };
        let span_of = |c: Cell| {
            let index = match c {
                Cell::Municipality => 0,
                Cell::Measure => 1,
                Cell::Year => 2,
                Cell::Value => 3,
                Cell::Numerator => 4,
                Cell::Denominator => 5,
            };
            at[index].map_or(line_span(line), |c| cell_span(&record, c, line))
        };
        let observation = match rules.row(&raw) {
            Ok(o) => o,
            Err(problems) if problems.iter().all(|p| p.code == "data/ratio") => {
                let kept = rules
                    .row(&RawRow {
                        numerator: "",
                        denominator: "",
                        ..raw
                    })
                    .expect("a row whose only problem is its ratio is valid without it");
                for p in problems {
                    imported.problems.push(Diagnostic::warning(
                        shown,
                        span_of(p.cell),
                        p.code,
                        format!(
                            "{}: kept the value, left numerator and denominator out",
                            p.message
                        ),
                    ));
                }
                kept
            }
            Err(problems) => {
                for p in problems {
                    imported.problems.push(
                        Diagnostic::error(shown, span_of(p.cell), p.code, p.message)
                            .with_hint_opt(p.hint),
                    );
                }
                continue;
            }
        };
        let key = (
            observation.municipality.clone(),
            observation.measure.clone(),
            observation.year,
        );
        if let Some(&first) = first_line.get(&key) {
            imported.problems.push(
                Diagnostic::error(
                    shown,
                    line_span(line),
                    "data/duplicate",
                    format!(
                        "a second value for {} / {} / {} (first on line {first}); left out",
                        key.0, key.1, key.2
                    ),
                )
                .with_related(shown, line_span(first), "first given here"),
            );
            continue;
        }
        first_line.insert(key, line);
        imported.observations.push(observation);
    }
    imported.observations.sort_by(|a, b| {
        (&a.measure, &a.municipality, a.year).cmp(&(&b.measure, &b.municipality, b.year))
    });
    imported.unmapped = unmapped;
    Ok(imported)
}

/// How many municipalities and measures the kept values cover.
pub fn coverage(observations: &[Observation]) -> (usize, usize) {
    let municipalities: BTreeSet<&str> = observations
        .iter()
        .map(|o| o.municipality.as_str())
        .collect();
    let measures: BTreeSet<&str> = observations.iter().map(|o| o.measure.as_str()).collect();
    (municipalities.len(), measures.len())
}

/// Writes `observations` as a data file at `target`: into a temporary file in
/// the same folder, then renamed over the target.
pub fn write(target: &Path, observations: &[Observation]) -> Result<(), Error> {
    let folder = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let temp = tempfile::NamedTempFile::new_in(folder).map_err(|e| Error::io(folder, e))?;
    let io = |e: std::io::Error| Error::io(temp.path(), e);
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, temp.as_file());
        writeln!(out, "{}", COLUMNS.join(",")).map_err(io)?;
        let number = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        for o in observations {
            writeln!(
                out,
                "{},{},{},{},{},{}",
                o.municipality,
                o.measure,
                o.year,
                o.value,
                number(o.numerator),
                number(o.denominator)
            )
            .map_err(io)?;
        }
        out.flush().map_err(io)?;
    }
    temp.as_file().sync_all().map_err(io)?;
    // A temporary file is private (0600); a data file is as readable as any other.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    temp.persist(target)
        .map_err(|e| Error::io(target, e.error))?;
    Ok(())
}

/// The data file an import writes: `<folder>/<name>.csv`, where a name is
/// lower-case letters, digits and hyphens.
pub fn target(root: &Path, folder: &Path, name: &str) -> Result<PathBuf, Error> {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(Error::Usage(format!(
            "`{name}` cannot name a data file: use lower-case letters, digits and hyphens (--name)"
        )));
    }
    Ok(root.join(folder).join(format!("{name}.csv")))
}
