//! `mkn tech`: the technology directory's listings.

use std::io::Write;

use crate::cli::TechCommand;
use crate::config::Kind;
use crate::corpus::Corpus;
use crate::error::{Error, ExitStatus};
use crate::index::{self, Freshness};
use crate::infobase::{Directory, changes, peers, products};
use crate::output::tech as out;
use crate::output::{ColorChoice, Style, TerminalProgress};
use crate::query;

/// Runs one `mkn tech` subcommand.
pub fn run(corpus: &Corpus, what: TechCommand, color: ColorChoice) -> Result<ExitStatus, Error> {
    let style = Style::stdout(color.for_stdout());
    let mut buffer = Vec::new();
    let w: &mut dyn Write = &mut buffer;
    match what {
        TechCommand::Products {
            function,
            category,
            format,
        } => {
            let dir = directory_counting_practices(corpus)?;
            let function = function.map(|f| dir.resolve_function(&f)).transpose()?;
            let rows = products::products(&dir, function.as_deref(), category.as_deref());
            out::write_products(w, &rows, format, style)?;
        }
        TechCommand::WhoUses { product, format } => {
            let dir = Directory::load_profiles(corpus)?;
            let found = dir.find_product(&product)?;
            let name = dir.product_name(&found.key);
            if found.corrected {
                eprintln!("no product `{product}`; showing `{name}`, the closest");
            }
            let rows = products::who_uses(&dir, &found.key);
            out::write_who_uses(w, &name, &rows, format, style)?;
        }
        TechCommand::Profile {
            municipality,
            format,
        } => {
            let dir = Directory::load_profiles(corpus)?;
            let m = dir.resolve_municipality(&municipality)?;
            let rows = products::profile(&dir, &m.id);
            let title = title(&m);
            out::write_profile(w, &title, &rows, |f| dir.function_name(f), format, style)?;
        }
        TechCommand::Compare {
            municipalities,
            format,
        } => {
            let dir = Directory::load_profiles(corpus)?;
            let mut chosen: Vec<(String, String)> = Vec::new();
            for given in &municipalities {
                let m = dir.resolve_municipality(given)?;
                if !chosen.iter().any(|(id, _)| *id == m.id) {
                    chosen.push((m.id, m.name));
                }
            }
            if chosen.len() < 2 {
                return Err(Error::Usage(
                    "compare needs two different municipalities".into(),
                ));
            }
            let ids: Vec<String> = chosen.iter().map(|(id, _)| id.clone()).collect();
            let rows = products::compare(&dir, &ids);
            out::write_compare(w, &rows, &chosen, format, style)?;
        }
        TechCommand::Peers {
            municipality,
            function,
            limit,
            format,
        } => {
            let dir = Directory::load_profiles(corpus)?;
            let m = dir.resolve_municipality(&municipality)?;
            let function = dir.resolve_function(&function)?;
            let mut rows = peers::peers(&dir, &m, &function);
            rows.truncate(limit);
            let own: Vec<String> = dir
                .stack(&m.id)
                .into_iter()
                .filter(|u| u.function == function)
                .map(|u| u.product.clone())
                .collect();
            let title = format!(
                "{}; {}: {}",
                title(&m),
                dir.function_name(&function),
                if own.is_empty() {
                    "nothing listed yet".to_string()
                } else {
                    format!("uses {}", own.join(", "))
                }
            );
            out::write_peers(w, &title, &rows, format, style)?;
        }
        TechCommand::Changes { since, format } => {
            let since = since.map(|s| since_date(&s)).transpose()?;
            let folder = corpus
                .config
                .collection_of_kind(Kind::Profile)
                .ok_or_else(|| {
                    Error::Usage("mkn.toml declares no collection of kind `profile`".into())
                })?
                .path
                .clone();
            let rows = changes::changes(corpus, &folder, since.as_deref())?;
            out::write_changes(w, &rows, format, style)?;
        }
    }
    let mut stdout = super::stdout();
    stdout.write_all(&buffer)?;
    stdout.flush()?;
    Ok(ExitStatus::Success)
}

/// The directory of the profiles, with the technology entries of the
/// practices counted from the index (brought up to date first, as for a
/// query), not read from every practice: with a watcher running, that needs
/// no look at the practice files at all.
fn directory_counting_practices(corpus: &Corpus) -> Result<Directory, Error> {
    let mut dir = Directory::load_profiles(corpus)?;
    let profile = corpus.config.collection_of_kind(Kind::Profile);
    let practice = corpus
        .config
        .collection_of_kind(Kind::Practice)
        .filter(|p| profile.is_none_or(|profile| profile.name != p.name));
    if let Some(practice) = practice {
        let (entries, stats) = index::answer(
            corpus,
            Freshness::Update,
            &TerminalProgress::new(),
            |index| query::product_mentions(index, &practice.name),
        )?;
        super::search::after_opening(corpus, &stats)?;
        dir.set_practice_entries(entries);
    }
    Ok(dir)
}

/// "Name (id): tier, region, population".
fn title(m: &crate::corpus::vocab::Municipality) -> String {
    let mut facts: Vec<String> = [m.tier.clone(), m.region.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(p) = m.population {
        facts.push(format!("population {p}"));
    }
    if let Some(band) = peers::band(m.population) {
        facts.push(band.to_string());
    }
    format!("{} ({}): {}", m.name, m.id, facts.join(", "))
}

/// A `--since` value as YYYY-MM-DD: a year means its first day.
fn since_date(given: &str) -> Result<String, Error> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = given.split('-').collect();
    match parts[..] {
        [y] if digits(y, 4) => Ok(format!("{y}-01-01")),
        [y, m] if digits(y, 4) && digits(m, 2) => Ok(format!("{y}-{m}-01")),
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => Ok(given.to_string()),
        _ => Err(Error::Usage(format!(
            "--since: `{given}` is not a date; write YYYY-MM-DD, YYYY-MM or YYYY"
        ))),
    }
}
