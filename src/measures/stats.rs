//! One measure across municipalities: its distribution in a year, a ranking,
//! peer groups, percentiles and trends.
//!
//! **Peer group** of a municipality: the municipalities of the same tier
//! (upper, lower or single) whose population is between a third of its own
//! and three times it. When fewer than three of them (itself included) report
//! the measure in the year, the group widens to the whole tier, and says so.
//!
//! **Percentile** of a value in a group: the share of the group's values
//! below it, counting ties as half (`(below + equal / 2) / count × 100`), in
//! the measure's better direction when it has one (100 is best), else in
//! ascending order.

use serde::Serialize;

use crate::corpus::vocab::{Direction, Municipality};

/// Count, minimum, quartiles, median and maximum of some values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Distribution {
    /// How many values.
    pub count: usize,
    /// Smallest.
    pub min: f64,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Largest.
    pub max: f64,
}

/// The distribution of `values` (quartiles interpolated linearly between the
/// closest ranks); `None` when there are none.
pub fn distribution(values: &[f64]) -> Option<Distribution> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        let at = q * (sorted.len() - 1) as f64;
        let (low, high) = (at.floor() as usize, at.ceil() as usize);
        sorted[low] + (sorted[high] - sorted[low]) * (at - low as f64)
    };
    (!sorted.is_empty()).then(|| Distribution {
        count: sorted.len(),
        min: sorted[0],
        q1: quantile(0.25),
        median: quantile(0.5),
        q3: quantile(0.75),
        max: sorted[sorted.len() - 1],
    })
}

/// Whether `a` ranks before `b`: better first when the direction is known,
/// else larger first.
pub fn rank_order(a: f64, b: f64, better: Option<Direction>) -> std::cmp::Ordering {
    match better {
        Some(Direction::Lower) => a.total_cmp(&b),
        Some(Direction::Higher) | None => b.total_cmp(&a),
    }
}

/// The percentile of `value` among `values` (which include it), per the rule above.
pub fn percentile(value: f64, values: &[f64], better: Option<Direction>) -> f64 {
    let worse = |other: f64| match better {
        Some(Direction::Lower) => other > value,
        Some(Direction::Higher) | None => other < value,
    };
    let below = values.iter().filter(|&&v| worse(v)).count() as f64;
    let equal = values.iter().filter(|&&v| v == value).count() as f64;
    100.0 * (below + equal / 2.0) / values.len() as f64
}

/// Whether `other` is a peer of `m` by tier and population (itself included).
pub fn is_peer(m: &Municipality, other: &Municipality) -> bool {
    if m.tier != other.tier {
        return false;
    }
    match (m.population, other.population) {
        (Some(own), Some(theirs)) => theirs * 3 >= own && theirs <= own * 3,
        _ => m.id == other.id,
    }
}

/// A sparkline of values in order: one block character per value, from the
/// lowest (▁) to the highest (█).
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    values
        .iter()
        .map(|&v| {
            if max > min {
                BARS[(((v - min) / (max - min)) * 7.0).round() as usize]
            } else {
                BARS[3]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate() {
        let d = distribution(&[4.0, 1.0, 3.0, 2.0, 5.0]).unwrap();
        assert_eq!(
            (d.count, d.min, d.q1, d.median, d.q3, d.max),
            (5, 1.0, 2.0, 3.0, 4.0, 5.0)
        );
        let even = distribution(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!((even.q1, even.median, even.q3), (1.75, 2.5, 3.25));
        assert!(distribution(&[]).is_none());
    }

    #[test]
    fn percentiles_follow_the_better_direction() {
        let values = [10.0, 20.0, 30.0, 40.0];
        assert_eq!(percentile(10.0, &values, Some(Direction::Lower)), 87.5);
        assert_eq!(percentile(10.0, &values, Some(Direction::Higher)), 12.5);
        assert_eq!(percentile(20.0, &[20.0, 20.0], None), 50.0);
    }

    #[test]
    fn sparklines_span_the_range() {
        assert_eq!(sparkline(&[1.0, 2.0, 3.0]), "▁▅█");
        assert_eq!(sparkline(&[5.0, 5.0]), "▄▄");
    }
}
