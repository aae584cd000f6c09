//! The technology directory: which municipality runs which product for which
//! business function, and how well it works (MISA InfoBase style).
//!
//! It is built from the profiles (`infobase/<municipality>.md`, the
//! collection of kind `profile`) and from the technologies practices name,
//! read through a small cache in `.mkn/` ([`cache`]) so that every `mkn tech`
//! command answers without parsing the corpus. Products are grouped by name
//! compared loosely ([`normalise_name`]); the registry gives each
//! municipality its tier, region and population. Listings are built in
//! [`products`], [`peers`] and [`changes`]; nothing here prints.

mod cache;
pub mod changes;
pub mod model;
pub mod peers;
pub mod products;

use std::collections::{BTreeMap, HashMap};

use crate::config::VocabularyPaths;
use crate::corpus::Corpus;
use crate::corpus::vocab::{Municipality, Term, Vocabularies};
use crate::diagnostic::did_you_mean;
use crate::error::Error;
pub use model::{Contact, Mention, Usage, normalise_name};

/// The directory of one corpus.
#[derive(Debug)]
pub struct Directory {
    /// Every profile entry, municipality ids resolved through the registry.
    pub usages: Vec<Usage>,
    /// The registry and the business functions (only these are read).
    vocab: Vocabularies,
    /// Normalised product name → indexes into `usages`.
    by_product: BTreeMap<String, Vec<usize>>,
    /// Normalised product name → technology entries of practices naming it.
    practice_entries: HashMap<String, usize>,
}

impl Directory {
    /// Loads the directory of `corpus`, bringing its cache up to date.
    pub fn load(corpus: &Corpus) -> Result<Directory, Error> {
        Directory::read(corpus, true)
    }

    /// [`Directory::load`] without the practices' mentions: what needs only
    /// who uses what neither lists nor reads the practices.
    pub fn load_profiles(corpus: &Corpus) -> Result<Directory, Error> {
        Directory::read(corpus, false)
    }

    fn read(corpus: &Corpus, mentions: bool) -> Result<Directory, Error> {
        let paths = &corpus.config.vocabularies;
        let vocab = Vocabularies::load(
            &corpus.root,
            &VocabularyPaths {
                municipalities: paths.municipalities.clone(),
                functions: paths.functions.clone(),
                ..VocabularyPaths::default()
            },
        )?;
        let (usages, mentions) = cache::load(corpus, mentions)?;
        Ok(Directory::new(usages, &mentions, vocab))
    }

    /// A directory of these entries (municipality ids resolved here).
    pub fn new(mut usages: Vec<Usage>, mentions: &[Mention], vocab: Vocabularies) -> Directory {
        let mut practice_entries: HashMap<String, usize> = HashMap::new();
        for mention in mentions {
            *practice_entries
                .entry(normalise_name(&mention.product))
                .or_default() += 1;
        }
        if let Some(registry) = &vocab.municipalities {
            for usage in &mut usages {
                if let Some(m) = registry.resolve(&usage.municipality) {
                    usage.municipality.clone_from(&m.id);
                }
            }
        }
        let by_product = positions_by_product(usages.iter().map(|u| u.product.as_str()));
        Directory {
            usages,
            vocab,
            by_product,
            practice_entries,
        }
    }

    /// The registry entry of a municipality id, if the corpus has a registry.
    pub fn municipality(&self, id: &str) -> Option<&Municipality> {
        self.vocab.municipalities.as_ref()?.resolve(id)
    }

    /// A municipality given by id, StatCan code or name; an unknown one is a
    /// usage error with a "did you mean".
    pub fn resolve_municipality(&self, given: &str) -> Result<Municipality, Error> {
        let Some(registry) = &self.vocab.municipalities else {
            return Ok(Municipality {
                id: given.to_string(),
                name: given.to_string(),
                status: String::new(),
                tier: String::new(),
                upper_tier: None,
                region: String::new(),
                population: None,
                statcan_code: String::new(),
            });
        };
        if let Some(m) = registry.resolve(given).or_else(|| {
            registry
                .table
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(given.trim()))
        }) {
            return Ok(m.clone());
        }
        let hint = registry
            .hint(given)
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        Err(Error::Usage(format!(
            "`{given}` is not a known municipality{hint}"
        )))
    }

    /// A business function given by id or name; an unknown one is a usage
    /// error with a "did you mean".
    pub fn resolve_function(&self, given: &str) -> Result<String, Error> {
        let Some(functions) = &self.vocab.functions else {
            return Ok(given.to_string());
        };
        if functions.get(given).is_some() {
            return Ok(given.to_string());
        }
        if let Some(term) = functions
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(given.trim()))
        {
            return Ok(term.id.clone());
        }
        let hint = did_you_mean(given, functions.ids())
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        Err(Error::Usage(format!(
            "`{given}` is not a known business function{hint}"
        )))
    }

    /// The display name of a business function (its id when unknown).
    pub fn function_name(&self, id: &str) -> String {
        self.vocab
            .functions
            .as_ref()
            .and_then(|f| f.get(id))
            .map_or_else(|| id.to_string(), |t: &Term| t.name.clone())
    }

    /// The entries of one municipality, by function then product.
    pub fn stack(&self, municipality: &str) -> Vec<&Usage> {
        let mut stack: Vec<&Usage> = self
            .usages
            .iter()
            .filter(|u| u.municipality == municipality)
            .collect();
        stack.sort_by(|a, b| {
            a.function
                .cmp(&b.function)
                .then_with(|| a.product.to_lowercase().cmp(&b.product.to_lowercase()))
        });
        stack
    }

    /// Finds a product by name, forgiving case, spacing, punctuation and one
    /// or two typos. An unknown name is a usage error that lists the closest.
    pub fn find_product(&self, given: &str) -> Result<ProductMatch, Error> {
        let key = normalise_name(given);
        if self.by_product.contains_key(&key) {
            return Ok(ProductMatch {
                key,
                corrected: false,
            });
        }
        let allowed = if key.chars().count() <= 5 { 1 } else { 2 };
        let mut close: Vec<(usize, &String)> = self
            .by_product
            .keys()
            .map(|k| (strsim::damerau_levenshtein(&key, k), k))
            .collect();
        close.sort();
        let typo: Vec<_> = close.iter().filter(|(d, _)| *d <= allowed).collect();
        if let [(_, only)] = typo[..] {
            return Ok(ProductMatch {
                key: only.to_string(),
                corrected: true,
            });
        }
        let mut suggestions: Vec<String> = self
            .by_product
            .keys()
            .filter(|k| !key.is_empty() && (k.contains(&key) || key.contains(k.as_str())))
            .chain(close.iter().filter(|(d, _)| *d <= 3).map(|(_, k)| *k))
            .map(|k| format!("`{}`", self.product_name(k)))
            .collect();
        let mut seen = std::collections::HashSet::new();
        suggestions.retain(|s| seen.insert(s.clone()));
        suggestions.truncate(5);
        let hint = if suggestions.is_empty() {
            "; `mkn tech products` lists them all".to_string()
        } else {
            format!("; did you mean {}?", suggestions.join(", "))
        };
        Err(Error::Usage(format!(
            "no product `{given}` in the technology directory{hint}"
        )))
    }

    /// The entries of a product (by normalised name).
    pub fn product_usages(&self, key: &str) -> Vec<&Usage> {
        self.by_product
            .get(key)
            .map(|ids| ids.iter().map(|&i| &self.usages[i]).collect())
            .unwrap_or_default()
    }

    /// A product's name as most entries write it.
    pub fn product_name(&self, key: &str) -> String {
        most_common(self.product_usages(key).iter().map(|u| u.product.as_str()))
            .unwrap_or(key)
            .to_string()
    }

    /// Takes the practices' technology entries as counted elsewhere (the
    /// index counts them per normalised product name), instead of those of
    /// the mentions it was made with.
    pub fn set_practice_entries(&mut self, entries: HashMap<String, usize>) {
        self.practice_entries = entries;
    }

    /// How many technology entries of practices name a product (by
    /// normalised name).
    pub fn practices_naming(&self, key: &str) -> usize {
        self.practice_entries.get(key).copied().unwrap_or(0)
    }
}

/// A product found by [`Directory::find_product`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductMatch {
    /// Its normalised name.
    pub key: String,
    /// True when the name given was not the product's (a typo was forgiven).
    pub corrected: bool,
}

/// The most frequent value (the first written on a tie), ignoring empty ones.
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (order, v) in values.filter(|v| !v.is_empty()).enumerate() {
        counts.entry(v).or_insert((0, order)).0 += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.1.1.cmp(&a.1.1)))
        .map(|(v, _)| v)
}

/// True for the statuses that mean the product is in use now.
pub fn in_use(status: &str) -> bool {
    matches!(status, "in-use" | "retiring")
}

/// The positions of the items naming each product, by normalised product name.
fn positions_by_product<'a>(
    products: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, Vec<usize>> {
    let mut positions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, product) in products.enumerate() {
        positions
            .entry(normalise_name(product))
            .or_default()
            .push(i);
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(municipality: &str, product: &str) -> Usage {
        Usage {
            municipality: municipality.into(),
            product: product.into(),
            vendor: "V".into(),
            category: "software".into(),
            function: "gis".into(),
            version: None,
            since: None,
            status: "in-use".into(),
            rating: None,
            review: None,
            contact: None,
        }
    }

    #[test]
    fn products_are_found_forgivingly() {
        let dir = Directory::new(
            vec![
                usage("a", "Cityworks"),
                usage("b", "CityWorks"),
                usage("c", "ArcGIS Online"),
                usage("d", "ArcGIS Enterprise"),
            ],
            &[],
            Vocabularies::default(),
        );
        let exact = dir.find_product("city works").unwrap();
        assert_eq!((exact.key.as_str(), exact.corrected), ("cityworks", false));
        assert_eq!(dir.product_name("cityworks"), "Cityworks");
        assert!(dir.find_product("Citywroks").unwrap().corrected);
        let unknown = dir.find_product("arcgis").unwrap_err().to_string();
        assert!(
            unknown.contains("did you mean `ArcGIS Enterprise`, `ArcGIS Online`?"),
            "{unknown}"
        );
    }
}
