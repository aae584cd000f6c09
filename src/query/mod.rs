//! Queries: text and filters in, ranked hits and facet counts out.
//!
//! Query text mixes free text (BM25 over title, summary, body, tags and
//! technologies, with phrases and AND/OR/NOT) and filters `key:value` on any
//! front-matter key. Several filters on one key match any of them; filters
//! on different keys must all match. `year` and `population` take ranges.
//! Words a synonym vocabulary knows also search for its other terms.

pub mod expand;
mod facets;
pub mod parse;
mod snippet;
pub mod synonyms;

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::postings::Postings;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, MoreLikeThisQuery, Occur, Query, QueryParser, RangeQuery,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Order, Searcher, TERMINATED, TantivyDocument, Term};

use crate::corpus::vocab::Synonyms;
use crate::error::Error;
use crate::index::SearchIndex;
use crate::index::record::Row;
use crate::index::schema::{filter_term, product_term};
pub use parse::{Filter, NumberRange, ParsedQuery, parse_query};

/// How to order hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Best match first (BM25); by id when there is no text.
    #[default]
    Relevance,
    /// Newest first.
    Year,
    /// Alphabetical by title.
    Title,
}

/// A query ready to run.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Text and filters.
    pub query: ParsedQuery,
    /// Order of hits.
    pub sort: SortBy,
    /// At most this many hits.
    pub limit: usize,
    /// Skip this many hits first.
    pub offset: usize,
    /// Keys to count values of, over all matching documents.
    pub facets: Vec<String>,
    /// Synonyms and spellings the query words also search for, if any.
    pub synonyms: Option<Synonyms>,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// `best`, `beneficial`, or empty.
    pub kind: String,
    /// Service areas.
    pub areas: Vec<String>,
    /// Municipality ids.
    pub municipalities: Vec<String>,
    /// Year implemented.
    pub year: Option<i64>,
    /// BM25 score (absent without query text).
    pub score: Option<f32>,
    /// Body text around the matched words.
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// Collection.
    pub collection: String,
    /// File, relative to the corpus root.
    pub path: String,
    /// True when the front matter could not be read.
    pub invalid: bool,
}

impl Hit {
    /// A hit from a stored row and what the query adds to it.
    fn new(row: Row, score: Option<f32>, snippet: String, highlights: Vec<[usize; 2]>) -> Hit {
        Hit {
            id: row.id,
            title: row.title,
            kind: row.kind,
            areas: row.areas,
            municipalities: row.municipalities,
            year: row.year,
            score,
            snippet,
            highlights,
            collection: row.collection,
            path: row.path,
            invalid: row.invalid,
        }
    }
}

/// What a query found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Results {
    /// Matching documents in all.
    pub total: usize,
    /// True when no document has every word: these match some of the words,
    /// or match with typos.
    pub approximate: bool,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Per requested facet, (value, count) by count then value.
    pub facets: BTreeMap<String, Vec<(String, usize)>>,
    /// Per query term the synonym vocabulary knows, the other terms it also
    /// searched for.
    pub expanded: BTreeMap<String, Vec<String>>,
}

/// Runs a request.
pub fn search(index: &SearchIndex, request: &Request) -> Result<Results, Error> {
    let searcher = index.reader.searcher();
    let text = request.query.text.trim();
    let expansion = match &request.synonyms {
        Some(synonyms) => expand::expand(text, synonyms),
        None => expand::Expansion {
            text: text.to_string(),
            ..Default::default()
        },
    };
    // All words first; then any of them; then all, then any, with typos allowed.
    let mut approximate = false;
    let mut text_query = None;
    let mut query: Box<dyn Query> = Box::new(AllQuery);
    let (mut total, mut addresses) = (0, Vec::new());
    for (attempt, mode) in [Mode::All, Mode::Any, Mode::FuzzyAll, Mode::FuzzyAny]
        .into_iter()
        .enumerate()
    {
        if attempt > 0 && (text.is_empty() || total > 0) {
            break;
        }
        let expanded = (!expansion.used.is_empty()).then_some(expansion.text.as_str());
        text_query = parse_text(index, text, expanded, mode)?;
        query = combine(
            text_query.as_ref().map(|q| q.box_clone()),
            filter_query(index, &request.query.filters),
        );
        (total, addresses) = count_and_top(&searcher, &*query, request, text_query.is_some())?;
        approximate = attempt > 0 && total > 0;
    }
    let snippets = match &text_query {
        Some(q) => {
            Some(snippet::generator(&searcher, &**q, index.fields.body).map_err(search_error)?)
        }
        None => None,
    };
    let mut hits = Vec::with_capacity(addresses.len());
    for (score, address) in addresses {
        let doc: TantivyDocument = searcher.doc(address).map_err(search_error)?;
        let row = stored_row(index, &doc)?;
        let (snippet, highlights) = match &snippets {
            Some(generator) => {
                let body = doc
                    .get_first(index.fields.body)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                snippet::excerpt(generator, body)
            }
            None => (String::new(), Vec::new()),
        };
        hits.push(Hit::new(row, score, snippet, highlights));
    }
    let facets = if request.facets.is_empty() {
        BTreeMap::new()
    } else {
        facet_counts(index, &searcher, &*query, &request.facets)?
    };
    Ok(Results {
        total,
        approximate,
        hits,
        facets,
        expanded: expansion.used,
    })
}

/// Documents like the one with `id`, best first, without it.
pub fn related(index: &SearchIndex, id: &str, limit: usize) -> Result<Vec<Hit>, Error> {
    let searcher = index.reader.searcher();
    let address = find_id(index, id)?.ok_or_else(|| unknown_id(index, id))?;
    let doc: TantivyDocument = searcher.doc(address).map_err(search_error)?;
    let own = stored_row(index, &doc)?;
    let query = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(1)
        .with_min_term_frequency(1)
        .with_max_query_terms(40)
        .with_min_word_length(3)
        .with_document(address);
    let found = searcher
        .search(&query, &TopDocs::with_limit(limit + 1).order_by_score())
        .map_err(search_error)?;
    let mut hits = Vec::new();
    for (score, address) in found {
        let doc: TantivyDocument = searcher.doc(address).map_err(search_error)?;
        let row = stored_row(index, &doc)?;
        if row.path == own.path {
            continue;
        }
        hits.push(Hit::new(row, Some(score), String::new(), Vec::new()));
    }
    hits.truncate(limit);
    Ok(hits)
}

/// The stored row of the document with this id, if any.
pub fn find_row(index: &SearchIndex, id: &str) -> Result<Option<Row>, Error> {
    let searcher = index.reader.searcher();
    match find_id(index, id)? {
        Some(address) => {
            let doc: TantivyDocument = searcher.doc(address).map_err(search_error)?;
            Ok(Some(stored_row(index, &doc)?))
        }
        None => Ok(None),
    }
}

fn find_id(index: &SearchIndex, id: &str) -> Result<Option<DocAddress>, Error> {
    let searcher = index.reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(index.fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(search_error)?;
    Ok(found.first().map(|(_, a)| *a))
}

/// How many technology entries of the documents of `collection` name each
/// product (normalised name → entries), from the index's `products` terms:
/// per segment, the terms of the collection and their frequencies in live
/// documents. No stored document is read.
pub fn product_mentions(
    index: &SearchIndex,
    collection: &str,
) -> Result<HashMap<String, usize>, Error> {
    let searcher = index.reader.searcher();
    let prefix = product_term(collection, "");
    // The terms of the collection sort between the prefix and the prefix with
    // its last byte (the separator) one higher.
    let mut end = prefix.clone().into_bytes();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    let io_error = |e: std::io::Error| search_error(e.into());
    let mut counts: HashMap<String, usize> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(index.fields.products)
            .map_err(search_error)?;
        let mut terms = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .lt(&end)
            .into_stream()
            .map_err(io_error)?;
        while terms.advance() {
            let mut postings = inverted
                .read_postings_from_terminfo(terms.value(), IndexRecordOption::WithFreqs)
                .map_err(io_error)?;
            let mut entries = 0;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if !segment.is_deleted(doc) {
                    entries += postings.term_freq() as usize;
                }
                doc = postings.advance();
            }
            if entries > 0 {
                let product = String::from_utf8_lossy(&terms.key()[prefix.len()..]);
                *counts.entry(product.into_owned()).or_default() += entries;
            }
        }
    }
    Ok(counts)
}

/// The error for an id no document has, naming the closest ids.
pub fn unknown_id(index: &SearchIndex, id: &str) -> Error {
    let searcher = index.reader.searcher();
    let ids: Vec<String> = searcher
        .search(&AllQuery, &DocSetCollector)
        .map(|set| {
            set.into_iter()
                .filter_map(|a| searcher.doc::<TantivyDocument>(a).ok())
                .filter_map(|d| {
                    d.get_first(index.fields.id)
                        .and_then(|v| v.as_str().map(str::to_string))
                })
                .collect()
        })
        .unwrap_or_default();
    let hint = crate::diagnostic::closest_ids_hint(id, ids.iter().map(String::as_str));
    Error::Usage(format!("no document with id `{id}`{hint}"))
}

fn stored_row(index: &SearchIndex, doc: &TantivyDocument) -> Result<Row, Error> {
    let json = doc
        .get_first(index.fields.row)
        .and_then(|v| v.as_str())
        .unwrap_or("{}");
    serde_json::from_str(json).map_err(|e| {
        Error::Usage(format!(
            "the index holds an unreadable row ({e}); run `mkn index --rebuild`"
        ))
    })
}

/// How strictly query words must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every word (stemmed).
    All,
    /// Any word, ranked by how many and how well.
    Any,
    /// Every word, each up to one typo away.
    FuzzyAll,
    /// Any word, each up to one typo away.
    FuzzyAny,
}

/// The query of `text`, or of `text` or else `expanded` (the text with
/// synonyms added), the latter weighed down.
fn parse_text(
    index: &SearchIndex,
    text: &str,
    expanded: Option<&str>,
    mode: Mode,
) -> Result<Option<Box<dyn Query>>, Error> {
    if text.is_empty() {
        return Ok(None);
    }
    let f = index.fields;
    let fields = [f.title, f.summary, f.body, f.tags, f.technologies];
    let mut parser = QueryParser::for_index(&index.index, fields.to_vec());
    if matches!(mode, Mode::All | Mode::FuzzyAll) {
        parser.set_conjunction_by_default();
    }
    if matches!(mode, Mode::FuzzyAll | Mode::FuzzyAny) {
        for field in fields {
            parser.set_field_fuzzy(field, false, 1, true);
        }
    }
    parser.set_field_boost(f.title, 3.0);
    parser.set_field_boost(f.summary, 1.5);
    parser.set_field_boost(f.tags, 1.5);
    parser.set_field_boost(f.technologies, 1.5);
    let read = |query: &str| {
        parser
            .parse_query(query)
            .map_err(|e| Error::Usage(format!("cannot read the query `{text}`: {e}")))
    };
    let written = read(text)?;
    let Some(expanded) = expanded else {
        return Ok(Some(written));
    };
    let also: Box<dyn Query> = Box::new(BoostQuery::new(read(expanded)?, expand::EXPANDED_WEIGHT));
    Ok(Some(Box::new(BooleanQuery::new(vec![
        (Occur::Should, written),
        (Occur::Should, also),
    ]))))
}

fn filter_query(index: &SearchIndex, filters: &[Filter]) -> Vec<Box<dyn Query>> {
    let mut by_key: BTreeMap<(&str, bool), Vec<Box<dyn Query>>> = BTreeMap::new();
    for filter in filters {
        let (key, negated, query): (&str, bool, Box<dyn Query>) = match filter {
            Filter::Value {
                key,
                value,
                negated,
            } => (
                key,
                *negated,
                Box::new(TermQuery::new(
                    Term::from_field_text(index.fields.filters, &filter_term(key, value)),
                    IndexRecordOption::Basic,
                )),
            ),
            Filter::Year(range) => (
                "year",
                false,
                Box::new(RangeQuery::new(
                    range
                        .lower
                        .map(|v| Term::from_field_i64(index.fields.year, v)),
                    range
                        .upper
                        .map(|v| Term::from_field_i64(index.fields.year, v)),
                )),
            ),
            Filter::Population(range) => (
                "population",
                false,
                Box::new(RangeQuery::new(
                    range
                        .lower
                        .map(|v| Term::from_field_u64(index.fields.population, v.max(0) as u64)),
                    range
                        .upper
                        .map(|v| Term::from_field_u64(index.fields.population, v.max(0) as u64)),
                )),
            ),
        };
        by_key.entry((key, negated)).or_default().push(query);
    }
    by_key
        .into_iter()
        .map(|((_, negated), queries)| {
            let any: Box<dyn Query> = Box::new(BooleanQuery::new(
                queries.into_iter().map(|q| (Occur::Should, q)).collect(),
            ));
            if negated {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, any),
                ])) as Box<dyn Query>
            } else {
                any
            }
        })
        .collect()
}

fn combine(text: Option<Box<dyn Query>>, filters: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    clauses.extend(text.map(|q| (Occur::Must, q)));
    clauses.extend(filters.into_iter().map(|q| (Occur::Must, q)));
    if clauses.is_empty() {
        return Box::new(AllQuery);
    }
    if clauses.len() == 1 {
        return clauses.pop().expect("one clause").1;
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A page of matches, each with its address and, when ranked by relevance,
/// its score.
type Page = Vec<(Option<f32>, DocAddress)>;

/// How many documents `query` matches, and the requested page of them in
/// the requested order, from one pass over the matches.
fn count_and_top(
    searcher: &Searcher,
    query: &dyn Query,
    request: &Request,
    has_text: bool,
) -> Result<(usize, Page), Error> {
    let limit = request.limit.max(1);
    let top = TopDocs::with_limit(limit).and_offset(request.offset);
    let found = match (request.sort, has_text) {
        (SortBy::Relevance, true) => {
            let (total, found) = searcher
                .search(query, &(Count, top.order_by_score()))
                .map_err(search_error)?;
            (
                total,
                found.into_iter().map(|(s, a)| (Some(s), a)).collect(),
            )
        }
        (SortBy::Year, _) => {
            let (total, found) = searcher
                .search(
                    query,
                    &(Count, top.order_by_fast_field::<i64>("year", Order::Desc)),
                )
                .map_err(search_error)?;
            (total, found.into_iter().map(|(_, a)| (None, a)).collect())
        }
        (SortBy::Title, _) | (SortBy::Relevance, false) => {
            let (total, found) = searcher
                .search(
                    query,
                    &(
                        Count,
                        top.order_by_string_fast_field("title_sort", Order::Asc),
                    ),
                )
                .map_err(search_error)?;
            (total, found.into_iter().map(|(_, a)| (None, a)).collect())
        }
    };
    Ok(found)
}

fn facet_counts(
    index: &SearchIndex,
    searcher: &Searcher,
    query: &dyn Query,
    keys: &[String],
) -> Result<BTreeMap<String, Vec<(String, usize)>>, Error> {
    let stored: Vec<String> = keys
        .iter()
        .map(|k| parse::attr_key(k).to_lowercase())
        .collect();
    let field_name = searcher
        .schema()
        .get_field_name(index.fields.attrs)
        .to_string();
    let counts = searcher
        .search(query, &facets::FacetCollector::new(field_name, &stored))
        .map_err(search_error)?;
    let mut facets: BTreeMap<String, Vec<(String, usize)>> =
        keys.iter().map(|k| (k.clone(), Vec::new())).collect();
    for ((which, value), count) in counts {
        facets
            .get_mut(&keys[which])
            .expect("wanted key")
            .push((value, count));
    }
    for values in facets.values_mut() {
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    Ok(facets)
}

fn search_error(e: tantivy::TantivyError) -> Error {
    Error::Usage(format!(
        "search failed: {e}; `mkn index --rebuild` may help"
    ))
}
