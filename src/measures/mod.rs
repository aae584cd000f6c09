//! Measures and evidence: how a practice's measured result compares with its
//! baseline, and whether that is an improvement for the measure; reported
//! values (`data`), importing them (`names`, `import`), distributions and
//! peer groups (`stats`), and how strong a practice's evidence is (`strength`).

pub mod data;
pub mod import;
pub mod names;
pub mod stats;
pub mod strength;

use serde::Serialize;

use crate::corpus::Corpus;
use crate::corpus::vocab::{Direction, Vocabularies};
use crate::corpus::yaml::Node;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use data::{Dataset, Rules};

/// Reads the corpus's reported values (the `[data] measures` folder), with a
/// diagnostic for every row that cannot be used; with `only`, the values of
/// that measure alone.
pub fn load(
    corpus: &Corpus,
    this_year: i64,
    only: Option<&str>,
) -> Result<(Dataset, Vec<Diagnostic>), Error> {
    let rules = Rules {
        vocab: corpus.vocab()?,
        last_year: this_year as i32,
    };
    Dataset::load(&corpus.root, &corpus.config.data.measures, &rules, only)
}

/// How a value moved between baseline and result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// Result minus baseline.
    pub absolute: f64,
    /// Absolute change over the baseline (absent when the baseline is 0).
    pub relative: Option<f64>,
    /// Whether it moved in the better direction (absent when the direction is unknown).
    pub improved: Option<bool>,
}

impl Change {
    /// The change as people read it: `+12`, `-30 (-25.0%)`.
    pub fn text(&self) -> String {
        match self.relative_text() {
            Some(relative) => format!("{} ({relative})", self.absolute_text()),
            None => self.absolute_text(),
        }
    }

    /// The absolute change with its sign, to six significant digits: `+12`, `-0.3`.
    pub fn absolute_text(&self) -> String {
        format!("{:+}", data::round_for_display(self.absolute))
    }

    /// The relative change with its sign, when there is one: `-25.0%`.
    pub fn relative_text(&self) -> Option<String> {
        self.relative.map(|r| format!("{:+.1}%", r * 100.0))
    }
}

/// The change from `baseline` to `result` for a measure whose better direction is `better`.
pub fn change(baseline: f64, result: f64, better: Option<Direction>) -> Change {
    let absolute = result - baseline;
    Change {
        absolute,
        relative: (baseline != 0.0).then(|| absolute / baseline.abs()),
        improved: better.map(|d| match d {
            Direction::Lower => result < baseline,
            Direction::Higher => result > baseline,
        }),
    }
}

/// Whether a figure written in a practice agrees with a reported value: equal
/// within 0.5 % of the larger of the two (rounding in reports and prose).
pub fn values_agree(written: f64, reported: f64) -> bool {
    (written - reported).abs() <= 0.005 * written.abs().max(reported.abs()) + 1e-12
}

/// One evidence entry of a practice with its computed change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Measure id.
    pub measure: String,
    /// Measure name, when the measure is known.
    pub measure_name: Option<String>,
    /// Unit, when known.
    pub unit: Option<String>,
    /// Better direction, when known.
    pub better: Option<Direction>,
    /// Municipality the figures are for.
    pub municipality: Option<String>,
    /// Baseline year and value.
    pub baseline: (i64, f64),
    /// Result year and value.
    pub result: (i64, f64),
    /// The computed change.
    pub change: Change,
}

/// The evidence entries of a practice's front matter that have both observations.
pub fn evidence(front: &Node, vocab: &Vocabularies) -> Vec<Evidence> {
    let default_municipality = front
        .get("municipalities")
        .and_then(|m| m.items().first())
        .and_then(Node::id_text);
    front
        .get("evidence")
        .map_or(&[][..], Node::items)
        .iter()
        .filter_map(|entry| {
            let observation = |key: &str| {
                let node = entry.get(key)?;
                Some((node.get("year")?.as_i64()?, node.get("value")?.as_f64()?))
            };
            let measure_id = entry.get("measure")?.id_text()?;
            let measure = vocab.measures.as_ref().and_then(|m| m.get(&measure_id));
            let baseline = observation("baseline")?;
            let result = observation("result")?;
            let better = measure.and_then(|m| m.better);
            Some(Evidence {
                measure_name: measure.map(|m| m.name.clone()),
                unit: measure.and_then(|m| m.unit.clone()),
                better,
                municipality: entry
                    .get("municipality")
                    .and_then(Node::id_text)
                    .or_else(|| default_municipality.clone()),
                change: change(baseline.1, result.1, better),
                measure: measure_id,
                baseline,
                result,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn improvement_follows_the_direction() {
        let lower = change(120.0, 90.0, Some(Direction::Lower));
        assert_eq!(lower.absolute, -30.0);
        assert_eq!(lower.relative, Some(-0.25));
        assert_eq!(lower.improved, Some(true));
        assert_eq!(lower.text(), "-30 (-25.0%)");
        // Floating-point noise does not reach the reader.
        assert_eq!(change(0.1, 0.3, None).text(), "+0.2 (+200.0%)");
        assert_eq!(change(0.0, 2.5, None).text(), "+2.5");
        assert_eq!(
            change(85.0, 80.0, Some(Direction::Higher)).improved,
            Some(false)
        );
        assert_eq!(
            change(0.0, 5.0, None),
            Change {
                absolute: 5.0,
                relative: None,
                improved: None
            }
        );
    }
}
