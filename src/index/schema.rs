//! The tantivy schema: the only place that names index fields.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::record::Record;

/// Bump when the schema or what goes into it changes: older indexes are rebuilt.
pub const INDEX_VERSION: u32 = 7;

/// Separates key and value in an `attrs` term.
pub const ATTR_SEPARATOR: char = '\u{1f}';

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// File path relative to the root: the document's key.
    pub path: Field,
    /// Document id.
    pub id: Field,
    /// Title, stemmed; boosted in ranking.
    pub title: Field,
    /// Lower-cased title, for sorting.
    pub title_sort: Field,
    /// Summary, stemmed.
    pub summary: Field,
    /// Body text, stemmed and stored for snippets.
    pub body: Field,
    /// Tags, stemmed.
    pub tags: Field,
    /// Technology products and vendors.
    pub technologies: Field,
    /// `key<US>value` of every front-matter value, lower-cased: a fast
    /// field, for facet counts.
    pub attrs: Field,
    /// The same terms indexed, for filters; one longer than
    /// [`LONGEST_FILTER_TERM`] as a hash of itself (see [`filter_term`]).
    pub filters: Field,
    /// Year implemented.
    pub year: Field,
    /// Populations of the document's municipalities.
    pub population: Field,
    /// The result row as JSON.
    pub row: Field,
    /// `collection<US>product` once per technology entry naming a product
    /// (the name normalised): counted by `mkn tech products`, never searched.
    pub products: Field,
}

/// Builds the schema and its fields.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let stemmed = |stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(crate::stem::EN_STEM)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        path: builder.add_text_field("path", STRING | STORED),
        id: builder.add_text_field("id", STRING | STORED),
        title: builder.add_text_field("title", stemmed(false)),
        title_sort: builder.add_text_field("title_sort", FAST),
        summary: builder.add_text_field("summary", stemmed(false)),
        body: builder.add_text_field("body", stemmed(true)),
        tags: builder.add_text_field("tags", stemmed(false)),
        technologies: builder.add_text_field("technologies", stemmed(false)),
        attrs: builder.add_text_field("attrs", FAST),
        filters: builder.add_text_field("filters", STRING),
        year: builder.add_i64_field("year", INDEXED | FAST),
        population: builder.add_u64_field("population", INDEXED | FAST),
        row: builder.add_text_field("row", STORED),
        products: builder.add_text_field(
            "products",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
    };
    (builder.build(), fields)
}

/// The `products` term of a product named in a document of `collection`;
/// the terms of one collection share the prefix `product_term(collection, "")`.
pub fn product_term(collection: &str, product: &str) -> String {
    format!("{collection}{ATTR_SEPARATOR}{product}")
}

/// The longest `filters` term kept as written. Summaries, URLs and other
/// long values are unique to their document; written out, they were most of
/// the bytes of the term dictionary, whose building was the largest cost of
/// indexing.
pub const LONGEST_FILTER_TERM: usize = 64;

/// Marks a `filters` value that is a hash of the value written.
const HASHED: char = '\u{1e}';

/// The `filters` term for a key and value: its [`attr_term`], or, past
/// [`LONGEST_FILTER_TERM`] bytes, the key and a SHA-1 of that term. A filter
/// names a value whole, so the hash (its first 128 bits) matches exactly
/// when the value does.
pub fn filter_term(key: &str, value: &str) -> String {
    let term = attr_term(key, value);
    if term.len() <= LONGEST_FILTER_TERM {
        return term;
    }
    use sha1::{Digest, Sha1};
    let digest = Sha1::digest(term.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    let key = term.split(ATTR_SEPARATOR).next().unwrap_or_default();
    format!(
        "{key}{ATTR_SEPARATOR}{HASHED}{:032x}",
        u128::from_be_bytes(first)
    )
}

/// The `attrs` term for a key and value.
pub fn attr_term(key: &str, value: &str) -> String {
    format!(
        "{}{ATTR_SEPARATOR}{}",
        key.to_lowercase(),
        value.to_lowercase()
    )
}

impl Fields {
    /// The tantivy document of a record.
    pub fn document(&self, record: &Record) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(self.path, &record.row.path);
        doc.add_text(self.id, &record.row.id);
        doc.add_text(self.title, &record.row.title);
        doc.add_text(self.title_sort, record.row.title.to_lowercase());
        doc.add_text(self.summary, &record.summary);
        doc.add_text(self.body, &record.body);
        for tag in &record.tags {
            doc.add_text(self.tags, tag.replace('-', " "));
        }
        for name in &record.technologies {
            doc.add_text(self.technologies, name);
        }
        for (key, value) in &record.attrs {
            doc.add_text(self.attrs, attr_term(key, value));
            doc.add_text(self.filters, filter_term(key, value));
        }
        if let Some(year) = record.row.year {
            doc.add_i64(self.year, year);
        }
        for &population in &record.populations {
            doc.add_u64(self.population, population);
        }
        for product in &record.products {
            doc.add_text(self.products, product_term(&record.row.collection, product));
        }
        doc.add_text(
            self.row,
            serde_json::to_string(&record.row).expect("a row serialises"),
        );
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_filter_terms_are_hashed_short_ones_kept() {
        assert_eq!(filter_term("Kind", "Best"), "kind\u{1f}best");
        let long = "a".repeat(LONGEST_FILTER_TERM);
        let hashed = filter_term("note", &long);
        assert!(hashed.starts_with("note\u{1f}\u{1e}"), "{hashed}");
        assert_eq!(hashed.len(), "note".len() + 2 + 32);
        // The same value in any case is the same term; another value or key is not.
        assert_eq!(hashed, filter_term("NOTE", &long.to_uppercase()));
        assert_ne!(hashed, filter_term("note", &format!("{long}b")));
        assert_ne!(hashed, filter_term("other", &long));
        // At the limit, the term is kept as written.
        let at_limit = "a".repeat(LONGEST_FILTER_TERM - "note".len() - 1);
        assert_eq!(filter_term("note", &at_limit), attr_term("note", &at_limit));
    }
}
