//! Facet counts from the `attrs` fast field: per segment, the dictionary
//! gives the ordinals of each wanted key's values (a contiguous range, as
//! terms are sorted), and matching documents only bump counters. No stored
//! document is read, so counting over every document costs milliseconds.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::schema::ATTR_SEPARATOR;

/// (position of the wanted key, value) → documents having that value.
pub(super) type Counts = HashMap<(usize, String), usize>;

/// Counts the documents having each value of some `attrs` keys.
pub(super) struct FacetCollector {
    /// Name of the `attrs` field.
    field: String,
    /// Per distinct wanted key: the position it is reported under, and the
    /// key as stored (lower-cased).
    keys: Vec<(usize, String)>,
}

impl FacetCollector {
    /// A collector for `keys` (stored form, in request order) of `field`: a
    /// key asked for twice counts under its first position only.
    pub(super) fn new(field: String, keys: &[String]) -> FacetCollector {
        let mut distinct: Vec<(usize, String)> = Vec::new();
        for (which, key) in keys.iter().enumerate() {
            if !distinct.iter().any(|(_, k)| k == key) {
                distinct.push((which, key.clone()));
            }
        }
        FacetCollector {
            field,
            keys: distinct,
        }
    }
}

/// One segment's counters.
pub(super) struct FacetSegment {
    column: Option<StrColumn>,
    /// Per wanted key present in the segment: first ordinal, ordinal past the
    /// last, and the slot of the first.
    ranges: Vec<(u64, u64, usize)>,
    /// Per slot: (position of the key, value).
    values: Vec<(usize, String)>,
    /// Per slot: documents counted.
    counts: Vec<usize>,
    /// Per slot: the last document counted, so a value repeated in one
    /// document counts once.
    last: Vec<DocId>,
}

/// The slot of an ordinal, if it is a value of a wanted key.
fn slot(ranges: &[(u64, u64, usize)], ord: u64) -> Option<usize> {
    ranges
        .iter()
        .find(|(start, end, _)| (*start..*end).contains(&ord))
        .map(|(start, _, first)| first + (ord - start) as usize)
}

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let column = reader.fast_fields().str(&self.field)?;
        let mut ranges = Vec::new();
        let mut values = Vec::new();
        if let Some(column) = &column {
            for (which, key) in &self.keys {
                let prefix = format!("{key}{ATTR_SEPARATOR}");
                let mut stream = column
                    .dictionary()
                    .prefix_range(prefix.as_bytes())
                    .into_stream()?;
                let first_slot = values.len();
                let mut first_ord = None;
                while stream.advance() {
                    first_ord.get_or_insert(stream.term_ord());
                    let value = String::from_utf8_lossy(&stream.key()[prefix.len()..]);
                    values.push((*which, value.into_owned()));
                }
                if let Some(start) = first_ord {
                    let end = start + (values.len() - first_slot) as u64;
                    ranges.push((start, end, first_slot));
                }
            }
        }
        Ok(FacetSegment {
            column,
            ranges,
            counts: vec![0; values.len()],
            last: vec![DocId::MAX; values.len()],
            values,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::new();
        for fruit in fruits {
            for (value, count) in fruit {
                *all.entry(value).or_default() += count;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let FacetSegment {
            column: Some(column),
            ranges,
            counts,
            last,
            ..
        } = self
        else {
            return;
        };
        if ranges.is_empty() {
            return;
        }
        for ord in column.term_ords(doc) {
            if let Some(slot) = slot(ranges, ord)
                && last[slot] != doc
            {
                last[slot] = doc;
                counts[slot] += 1;
            }
        }
    }

    fn harvest(self) -> Counts {
        self.values
            .into_iter()
            .zip(self.counts)
            .filter(|(_, count)| *count > 0)
            .collect()
    }
}
