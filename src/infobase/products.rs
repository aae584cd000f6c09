//! Listings by product and by municipality: `products`, `who-uses`,
//! `profile` and `compare`. Each row type's fields, in order, are the
//! documented JSON, NDJSON and CSV fields.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Contact, Directory, Usage, in_use, most_common, normalise_name};

/// One product in `mkn tech products`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductSummary {
    /// Product name, as most profiles write it.
    pub product: String,
    /// Vendor, likewise.
    pub vendor: String,
    /// software, hardware or service.
    pub category: String,
    /// Business functions it serves, sorted.
    pub functions: Vec<String>,
    /// Municipalities using it now (in-use or retiring).
    pub municipalities: usize,
    /// Those by tier (upper, lower, single).
    pub by_tier: BTreeMap<String, usize>,
    /// Those by region (northern, southern).
    pub by_region: BTreeMap<String, usize>,
    /// Municipalities planning it.
    pub planned: usize,
    /// Municipalities that retired it.
    pub retired: usize,
    /// Mean rating, to two decimals, if any.
    pub mean_rating: Option<f64>,
    /// Number of ratings.
    pub ratings: usize,
    /// Practices that name it.
    pub practices: usize,
}

/// Every product, with `function` and `category` narrowing the entries
/// counted, sorted by use (then ratings, then name).
pub fn products(
    dir: &Directory,
    function: Option<&str>,
    category: Option<&str>,
) -> Vec<ProductSummary> {
    let mut list: Vec<ProductSummary> = dir
        .by_product
        .keys()
        .filter_map(|key| {
            let entries: Vec<&Usage> = dir
                .product_usages(key)
                .into_iter()
                .filter(|u| function.is_none_or(|f| u.function == f))
                .filter(|u| category.is_none_or(|c| u.category == c))
                .collect();
            (!entries.is_empty()).then(|| summary(dir, key, &entries))
        })
        .collect();
    list.sort_by(|a, b| {
        b.municipalities
            .cmp(&a.municipalities)
            .then_with(|| b.ratings.cmp(&a.ratings))
            .then_with(|| a.product.to_lowercase().cmp(&b.product.to_lowercase()))
    });
    list
}

fn summary(dir: &Directory, key: &str, entries: &[&Usage]) -> ProductSummary {
    let users: BTreeSet<&str> = entries
        .iter()
        .filter(|u| in_use(&u.status))
        .map(|u| u.municipality.as_str())
        .collect();
    let count = |status: &str| {
        entries
            .iter()
            .filter(|u| u.status == status)
            .map(|u| u.municipality.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    };
    let mut by_tier = BTreeMap::new();
    let mut by_region = BTreeMap::new();
    for id in &users {
        if let Some(m) = dir.municipality(id) {
            *by_tier.entry(m.tier.clone()).or_insert(0) += 1;
            *by_region.entry(m.region.clone()).or_insert(0) += 1;
        }
    }
    let ratings: Vec<u8> = entries.iter().filter_map(|u| u.rating).collect();
    let functions: BTreeSet<String> = entries.iter().map(|u| u.function.clone()).collect();
    ProductSummary {
        product: most_common(entries.iter().map(|u| u.product.as_str()))
            .unwrap_or(key)
            .to_string(),
        vendor: most_common(entries.iter().map(|u| u.vendor.as_str()))
            .unwrap_or_default()
            .to_string(),
        category: most_common(entries.iter().map(|u| u.category.as_str()))
            .unwrap_or_default()
            .to_string(),
        functions: functions.into_iter().collect(),
        municipalities: users.len(),
        by_tier,
        by_region,
        planned: count("planned"),
        retired: count("retired"),
        mean_rating: mean(&ratings),
        ratings: ratings.len(),
        practices: dir.practices_naming(key),
    }
}

/// The mean to two decimals, if there are values.
pub fn mean(values: &[u8]) -> Option<f64> {
    (!values.is_empty()).then(|| {
        let sum: f64 = values.iter().map(|&v| f64::from(v)).sum();
        (sum / values.len() as f64 * 100.0).round() / 100.0
    })
}

/// One municipality's entry for a product, in `who-uses`, `profile` and
/// `compare`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageRow {
    /// Municipality id.
    pub municipality: String,
    /// Its name.
    pub name: String,
    /// upper, lower or single.
    pub tier: String,
    /// northern or southern.
    pub region: String,
    /// 2021 census population.
    pub population: Option<u64>,
    /// Business-function id.
    pub function: String,
    /// Product.
    pub product: String,
    /// Vendor.
    pub vendor: String,
    /// software, hardware or service.
    pub category: String,
    /// Version.
    pub version: Option<String>,
    /// Year adopted.
    pub since: Option<i64>,
    /// in-use, planned, retiring or retired.
    pub status: String,
    /// 1 to 5.
    pub rating: Option<u8>,
    /// The review, whole (tables show an excerpt).
    pub review: Option<String>,
    /// Whom to call.
    pub contact: Option<Contact>,
}

impl UsageRow {
    /// The row of an entry, with the municipality's registry facts.
    pub fn new(dir: &Directory, usage: &Usage) -> UsageRow {
        let m = dir.municipality(&usage.municipality);
        UsageRow {
            municipality: usage.municipality.clone(),
            name: m.map_or_else(|| usage.municipality.clone(), |m| m.name.clone()),
            tier: m.map(|m| m.tier.clone()).unwrap_or_default(),
            region: m.map(|m| m.region.clone()).unwrap_or_default(),
            population: m.and_then(|m| m.population),
            function: usage.function.clone(),
            product: usage.product.clone(),
            vendor: usage.vendor.clone(),
            category: usage.category.clone(),
            version: usage.version.clone(),
            since: usage.since,
            status: usage.status.clone(),
            rating: usage.rating,
            review: usage.review.clone(),
            contact: usage.contact.clone(),
        }
    }
}

/// `who-uses`: the product's entries, in use first, then by rating and name.
pub fn who_uses(dir: &Directory, key: &str) -> Vec<UsageRow> {
    let mut rows: Vec<UsageRow> = dir
        .product_usages(key)
        .into_iter()
        .map(|u| UsageRow::new(dir, u))
        .collect();
    rows.sort_by(|a, b| {
        status_order(&a.status)
            .cmp(&status_order(&b.status))
            .then_with(|| b.rating.cmp(&a.rating))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.function.cmp(&b.function))
    });
    rows
}

fn status_order(status: &str) -> u8 {
    match status {
        "in-use" => 0,
        "retiring" => 1,
        "planned" => 2,
        _ => 3,
    }
}

/// `profile`: a municipality's entries by function.
pub fn profile(dir: &Directory, municipality: &str) -> Vec<UsageRow> {
    dir.stack(municipality)
        .into_iter()
        .map(|u| UsageRow::new(dir, u))
        .collect()
}

/// `compare`: the entries of several municipalities, by function, then in
/// the order the municipalities were given. `shared` marks a product that
/// every one of them lists for that function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareRow {
    /// Business-function id.
    pub function: String,
    /// Municipality id.
    pub municipality: String,
    /// Product.
    pub product: String,
    /// Vendor.
    pub vendor: String,
    /// Version.
    pub version: Option<String>,
    /// Status.
    pub status: String,
    /// 1 to 5.
    pub rating: Option<u8>,
    /// Every municipality compared lists this product for this function.
    pub shared: bool,
}

/// The rows of `compare`.
pub fn compare(dir: &Directory, municipalities: &[String]) -> Vec<CompareRow> {
    let stacks: Vec<Vec<&Usage>> = municipalities.iter().map(|m| dir.stack(m)).collect();
    let functions: BTreeSet<&str> = stacks
        .iter()
        .flatten()
        .map(|u| u.function.as_str())
        .collect();
    let mut rows = Vec::new();
    for function in functions {
        let has = |stack: &Vec<&Usage>, product: &str| {
            stack
                .iter()
                .any(|u| u.function == function && normalise_name(&u.product) == product)
        };
        for stack in &stacks {
            for u in stack.iter().filter(|u| u.function == function) {
                let key = normalise_name(&u.product);
                rows.push(CompareRow {
                    function: function.to_string(),
                    municipality: u.municipality.clone(),
                    product: u.product.clone(),
                    vendor: u.vendor.clone(),
                    version: u.version.clone(),
                    status: u.status.clone(),
                    rating: u.rating,
                    shared: stacks.iter().all(|s| has(s, &key)),
                });
            }
        }
    }
    rows
}

/// The municipalities that list a technology a practice names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherUsers {
    /// The product, as the practice writes it.
    pub product: String,
    /// Their entries (the practice's own municipalities left out), in use
    /// first; empty when the directory does not know the product.
    pub users: Vec<UsageRow>,
}

/// For each technology a practice names, who else lists it.
pub fn other_users(dir: &Directory, mentions: &[super::Mention]) -> Vec<OtherUsers> {
    mentions
        .iter()
        .map(|mention| {
            let own: Vec<String> = mention
                .municipalities
                .iter()
                .map(|m| {
                    dir.municipality(m)
                        .map_or_else(|| m.clone(), |m| m.id.clone())
                })
                .collect();
            let users = who_uses(dir, &normalise_name(&mention.product))
                .into_iter()
                .filter(|u| !own.contains(&u.municipality))
                .collect();
            OtherUsers {
                product: mention.product.clone(),
                users,
            }
        })
        .collect()
}
