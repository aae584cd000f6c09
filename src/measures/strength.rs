//! How strong a practice's evidence is, computed from its evidence entries
//! and the reported values, never taken from the practice's word.
//!
//! An entry *improved* when its result moved in the measure's better
//! direction; it is *confirmed* when the corpus's data report both its
//! baseline and its result for that municipality, measure and year, and both
//! agree with the practice's figures ([`super::values_agree`]).
//!
//! - **strong**: two or more entries improved, at least one of them confirmed;
//! - **moderate**: one improved entry that is confirmed, or two or more
//!   improved entries that are not;
//! - **limited**: anything less (one improvement the data cannot confirm, or none).

use serde::Serialize;

use super::Evidence;
use super::data::Dataset;
use crate::corpus::vocab::Registry;

/// The strength of a practice's evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// At most one improvement, not confirmed by reported values.
    Limited,
    /// One confirmed improvement, or several unconfirmed ones.
    Moderate,
    /// Several improvements, at least one confirmed.
    Strong,
}

impl std::fmt::Display for Strength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Strength::Limited => "limited",
            Strength::Moderate => "moderate",
            Strength::Strong => "strong",
        })
    }
}

/// Whether the data report both figures of an entry, as the practice gives them.
pub fn confirmed(e: &Evidence, data: &Dataset, registry: Option<&Registry>) -> bool {
    let Some(written) = &e.municipality else {
        return false;
    };
    let id = registry
        .and_then(|r| r.resolve(written))
        .map_or(written.as_str(), |m| m.id.as_str());
    [e.baseline, e.result].iter().all(|&(year, value)| {
        i32::try_from(year)
            .ok()
            .and_then(|y| data.get(id, &e.measure, y))
            .is_some_and(|(reported, _)| super::values_agree(value, reported.value))
    })
}

/// The strength of a practice's evidence; `None` when it has none.
pub fn strength(
    evidence: &[Evidence],
    data: &Dataset,
    registry: Option<&Registry>,
) -> Option<Strength> {
    if evidence.is_empty() {
        return None;
    }
    let improved: Vec<&Evidence> = evidence
        .iter()
        .filter(|e| e.change.improved == Some(true))
        .collect();
    let any_confirmed = improved.iter().any(|e| confirmed(e, data, registry));
    Some(match (improved.len(), any_confirmed) {
        (n, true) if n >= 2 => Strength::Strong,
        (1, true) => Strength::Moderate,
        (n, false) if n >= 2 => Strength::Moderate,
        _ => Strength::Limited,
    })
}
