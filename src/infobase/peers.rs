//! `peers`: municipalities like one municipality, and what they use for a
//! business function: who to call.
//!
//! Every other municipality with an entry for the function is a candidate.
//! Likeness counts three facts from the registry: the same tier (upper,
//! lower, single), the same region (northern, southern) and the same
//! population band ([`BANDS`]). Candidates are ordered by likeness, then by
//! how close their population is (the ratio of the two), then by name.

use serde::Serialize;

use super::products::UsageRow;
use super::{Directory, Usage};
use crate::corpus::vocab::Municipality;

/// Population bands: lower bounds and labels.
pub const BANDS: [(u64, &str); 6] = [
    (0, "under 5,000"),
    (5_000, "5,000 to 19,999"),
    (20_000, "20,000 to 49,999"),
    (50_000, "50,000 to 99,999"),
    (100_000, "100,000 to 499,999"),
    (500_000, "500,000 and over"),
];

/// The band of a population.
pub fn band(population: Option<u64>) -> Option<&'static str> {
    let population = population?;
    BANDS
        .iter()
        .rev()
        .find(|(low, _)| population >= *low)
        .map(|(_, label)| *label)
}

/// One peer's entry for the function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peer {
    /// 0 to 3: how many of tier, region and population band it shares.
    pub likeness: u8,
    /// Same tier.
    pub same_tier: bool,
    /// Same region.
    pub same_region: bool,
    /// Same population band.
    pub same_band: bool,
    /// Its population band.
    pub band: Option<String>,
    /// The entry, with the peer's registry facts.
    #[serde(flatten)]
    pub usage: UsageRow,
}

/// The peers of `of` for `function`, most alike first.
pub fn peers(dir: &Directory, of: &Municipality, function: &str) -> Vec<Peer> {
    let own_band = band(of.population);
    let mut found: Vec<(f64, Peer)> = dir
        .usages
        .iter()
        .filter(|u| u.function == function && u.municipality != of.id)
        .map(|u: &Usage| {
            let m = dir.municipality(&u.municipality);
            let same_tier = m.is_some_and(|m| !m.tier.is_empty() && m.tier == of.tier);
            let same_region = m.is_some_and(|m| !m.region.is_empty() && m.region == of.region);
            let their_band = m.and_then(|m| band(m.population));
            let same_band = own_band.is_some() && their_band == own_band;
            let distance = match (of.population, m.and_then(|m| m.population)) {
                (Some(a), Some(b)) if a > 0 && b > 0 => (a as f64 / b as f64).ln().abs(),
                _ => f64::INFINITY,
            };
            let peer = Peer {
                likeness: u8::from(same_tier) + u8::from(same_region) + u8::from(same_band),
                same_tier,
                same_region,
                same_band,
                band: their_band.map(str::to_string),
                usage: UsageRow::new(dir, u),
            };
            (distance, peer)
        })
        .collect();
    found.sort_by(|(da, a), (db, b)| {
        b.likeness
            .cmp(&a.likeness)
            .then_with(|| da.total_cmp(db))
            .then_with(|| a.usage.name.cmp(&b.usage.name))
            .then_with(|| a.usage.product.cmp(&b.usage.product))
    });
    found.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_have_inclusive_lower_bounds() {
        assert_eq!(band(Some(4_999)), Some("under 5,000"));
        assert_eq!(band(Some(5_000)), Some("5,000 to 19,999"));
        assert_eq!(band(Some(2_794_356)), Some("500,000 and over"));
        assert_eq!(band(None), None);
    }
}
