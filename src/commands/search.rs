//! The commands that read the index: search, list, show, related, stats, index.

use std::io::Write;

use crate::cli::{FilterArgs, ListingArgs};
use crate::config::Kind;
use crate::corpus::{Corpus, SourceFile};
use crate::error::{Error, ExitStatus};
use crate::index::{self, Freshness, SearchIndex, UpdateStats};
use crate::output::{self, ColorChoice, ListFormat, Shown, Stats, Style, TerminalProgress};
use crate::query::{self, Filter, ParsedQuery, Request};

/// Opens the index for a query, up to date, telling standard error when it
/// was rebuilt.
pub fn open_index(corpus: &Corpus) -> Result<(SearchIndex, UpdateStats), Error> {
    let (index, stats) = index::open(corpus, Freshness::Update, &TerminalProgress::new())?;
    after_opening(corpus, &stats)?;
    Ok((index, stats))
}

/// What a query does once the index is current: tells standard error why it
/// was rebuilt, if it was, and starts a watcher when the settings want one.
pub(crate) fn after_opening(corpus: &Corpus, stats: &UpdateStats) -> Result<(), Error> {
    super::index::tell_rebuilt(stats);
    super::index::start_if_wanted(corpus, stats)
}

/// Every document a query matches, in title order (for exports and reports).
pub fn all_matching(corpus: &Corpus, query: ParsedQuery) -> Result<Vec<query::Hit>, Error> {
    let (index, stats) = open_index(corpus)?;
    let request = Request {
        query,
        sort: query::SortBy::Title,
        limit: stats.total.max(1),
        offset: 0,
        facets: Vec::new(),
        synonyms: query::synonyms::load(corpus)?,
    };
    Ok(query::search(&index, &request)?.hits)
}

/// `mkn search` and `mkn list`.
pub fn search(
    corpus: &Corpus,
    words: &[String],
    filters: &FilterArgs,
    listing: &ListingArgs,
    color: ColorChoice,
) -> Result<ExitStatus, Error> {
    let mut parsed = query::parse_query(&words.join(" "))?;
    parsed.filters.extend(flag_filters(filters)?);
    resolve_municipalities(corpus, &mut parsed.filters)?;
    let request = Request {
        query: parsed,
        sort: listing.sort,
        limit: listing.limit,
        offset: listing.offset,
        facets: listing.facets.clone(),
        synonyms: query::synonyms::load(corpus)?,
    };
    let freshness = if listing.no_update {
        Freshness::AsIs
    } else {
        Freshness::Update
    };
    let (results, stats) = index::answer(corpus, freshness, &TerminalProgress::new(), |index| {
        query::search(index, &request)
    })?;
    if freshness == Freshness::Update {
        after_opening(corpus, &stats)?;
    } else {
        super::index::tell_rebuilt(&stats);
    }
    if listing.format == ListFormat::Table && !results.expanded.is_empty() {
        let also: Vec<&str> = results
            .expanded
            .values()
            .flatten()
            .map(String::as_str)
            .collect();
        eprintln!("also searched: {}", also.join(", "));
    }
    let mut out = super::stdout();
    output::write_results(
        &mut out,
        &results,
        listing.format,
        Style::stdout(color.for_stdout()),
    )?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// Municipality filters name registry ids, so a StatCan code or alias works too.
pub(crate) fn resolve_municipalities(corpus: &Corpus, filters: &mut [Filter]) -> Result<(), Error> {
    let names_municipality = filters
        .iter()
        .any(|f| matches!(f, Filter::Value { key, .. } if key == "municipalities"));
    if names_municipality && let Some(registry) = &corpus.vocab()?.municipalities {
        for filter in filters.iter_mut() {
            if let Filter::Value { key, value, .. } = filter
                && key == "municipalities"
                && let Some(m) = registry.resolve(value)
            {
                *value = m.id.clone();
            }
        }
    }
    Ok(())
}

/// The filter flags as filters.
pub(crate) fn flag_filters(flags: &FilterArgs) -> Result<Vec<Filter>, Error> {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    pairs.extend(flags.area.iter().map(|v| ("area", v.as_str())));
    pairs.extend(
        flags
            .municipality
            .iter()
            .map(|v| ("municipality", v.as_str())),
    );
    pairs.extend(flags.tag.iter().map(|v| ("tag", v.as_str())));
    pairs.extend(flags.tech.iter().map(|v| ("tech", v.as_str())));
    for (key, value) in [
        ("kind", &flags.kind),
        ("since", &flags.since),
        ("tier", &flags.tier),
        ("region", &flags.region),
        ("population", &flags.population),
        ("collection", &flags.collection),
    ] {
        if let Some(value) = value {
            pairs.push((key, value));
        }
    }
    pairs
        .into_iter()
        .map(|(key, value)| {
            query::parse::filter(key, value, false)
                .map_err(|m| Error::Usage(format!("--{key}: {m}")))
        })
        .collect()
}

/// `mkn show ID`.
pub fn show(
    corpus: &Corpus,
    id: &str,
    format: ListFormat,
    color: ColorChoice,
) -> Result<ExitStatus, Error> {
    let (index, _) = open_index(corpus)?;
    let row = query::find_row(&index, id)?.ok_or_else(|| query::unknown_id(&index, id))?;
    let vocab = corpus.vocab()?;
    let doc = corpus.read(&SourceFile::known(&row.collection, &row.path, &row.id));
    let evidence = doc
        .front
        .as_ref()
        .map(|f| crate::measures::evidence(f, vocab))
        .unwrap_or_default();
    let (data, _) = crate::measures::load(corpus, crate::clock::Date::today().year, None)?;
    let shown = Shown {
        id: row.id,
        path: row.path,
        title: row.title,
        front_matter: doc
            .front
            .as_ref()
            .map_or(serde_json::Value::Null, |f| f.to_json()),
        evidence_strength: crate::measures::strength::strength(
            &evidence,
            &data,
            vocab.municipalities.as_ref(),
        ),
        evidence,
        technology_users: technology_users(corpus, &doc)?,
        body: doc.body,
    };
    let mut out = super::stdout();
    match format {
        ListFormat::Table => {
            output::write_shown(&mut out, &shown, Style::stdout(color.for_stdout()))?
        }
        ListFormat::Json | ListFormat::Ndjson => output::json(&mut out, &shown)?,
        ListFormat::Csv => return Err(Error::Usage("`mkn show` writes table or json".into())),
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// Who else uses the technologies a document names (nothing to read when it
/// names none).
fn technology_users(
    corpus: &Corpus,
    doc: &crate::corpus::Document,
) -> Result<Vec<crate::infobase::products::OtherUsers>, Error> {
    let mentions = crate::infobase::model::mentions(doc);
    if mentions.is_empty() {
        return Ok(Vec::new());
    }
    let dir = crate::infobase::Directory::load_profiles(corpus)?;
    Ok(crate::infobase::products::other_users(&dir, &mentions))
}

/// `mkn related ID`.
pub fn related(
    corpus: &Corpus,
    id: &str,
    limit: usize,
    format: ListFormat,
    color: ColorChoice,
) -> Result<ExitStatus, Error> {
    let (index, _) = open_index(corpus)?;
    let hits = query::related(&index, id, limit)?;
    let results = query::Results {
        total: hits.len(),
        hits,
        ..Default::default()
    };
    let mut out = super::stdout();
    output::write_results(
        &mut out,
        &results,
        format,
        Style::stdout(color.for_stdout()),
    )?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// A service area with fewer practices than this is thinly covered.
const COVERAGE_THRESHOLD: usize = 3;

/// `mkn stats`: practices per area, region, tier, kind and year, and the gaps.
pub fn stats(corpus: &Corpus, format: ListFormat, color: ColorChoice) -> Result<ExitStatus, Error> {
    let (index, _) = open_index(corpus)?;
    let keys = ["area", "region", "tier", "kind", "year"];
    let mut filters = Vec::new();
    if let Some(practices) = corpus.config.collection_of_kind(Kind::Practice) {
        filters.push(Filter::Value {
            key: "collection".into(),
            value: practices.name.clone(),
            negated: false,
        });
    }
    let request = Request {
        query: ParsedQuery {
            text: String::new(),
            filters,
        },
        limit: 1,
        facets: keys.iter().map(|k| k.to_string()).collect(),
        ..Request::default()
    };
    let results = query::search(&index, &request)?;
    let mut counts = results.facets;
    if let Some(years) = counts.get_mut("year") {
        years.sort_by(|a, b| b.0.cmp(&a.0));
    }
    let mut gaps = std::collections::BTreeMap::new();
    let covered = |key: &str, value: &str| {
        counts
            .get(key)
            .is_some_and(|v| v.iter().any(|(x, _)| x == value))
    };
    if let Some(areas) = &corpus.vocab()?.areas {
        gaps.insert(
            "areas".to_string(),
            areas
                .iter()
                .map(|a| a.id.clone())
                .filter(|a| !covered("area", a))
                .collect(),
        );
    }
    if let Some(registry) = &corpus.vocab()?.municipalities {
        let mut regions: Vec<String> = registry.table.iter().map(|m| m.region.clone()).collect();
        regions.sort();
        regions.dedup();
        gaps.insert(
            "regions".to_string(),
            regions
                .into_iter()
                .filter(|r| !covered("region", r))
                .collect(),
        );
    }
    let mut below_threshold = std::collections::BTreeMap::new();
    if corpus.vocab()?.areas.is_some() {
        let thin = counts.get("area").map(|areas| {
            areas
                .iter()
                .filter(|(_, n)| *n < COVERAGE_THRESHOLD)
                .map(|(area, _)| area.clone())
                .collect()
        });
        below_threshold.insert("area".to_string(), thin.unwrap_or_default());
    }
    let stats = Stats {
        documents: results.total,
        counts,
        gaps,
        coverage_threshold: COVERAGE_THRESHOLD,
        below_threshold,
    };
    let mut out = super::stdout();
    output::write_stats(&mut out, &stats, format, Style::stdout(color.for_stdout()))?;
    out.flush()?;
    Ok(ExitStatus::Success)
}
