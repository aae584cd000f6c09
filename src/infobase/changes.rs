//! `changes`: how the directory moved, derived from the git history of the
//! profiles instead of hand-kept flags, the way a technology radar shows
//! movement.
//!
//! Each commit is compared with its first parent; entries are matched by
//! product (compared loosely) and function. The kinds of change:
//! `adopted` (a new entry in use, or a planned one now in use), `planned` (a
//! new planned entry), `retiring` and `retired` (a new entry or a status
//! moving there), `removed` (an entry, or the whole profile, deleted),
//! `status` (any other status move), `rating` and `version` (the value
//! changed; `from` is empty when there was none).

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::model::{self, Usage};
use super::normalise_name;
use crate::corpus::{Corpus, parse_document};
use crate::error::Error;
use crate::git;

/// One change to one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Date of the commit, YYYY-MM-DD.
    pub date: String,
    /// Full commit id.
    pub commit: String,
    /// Municipality id, as the profile writes it.
    pub municipality: String,
    /// adopted, planned, retiring, retired, removed, status, rating or version.
    pub kind: String,
    /// Product.
    pub product: String,
    /// Business-function id.
    pub function: String,
    /// The value before (status, rating or version), if any.
    pub from: Option<String>,
    /// The value after, if any.
    pub to: Option<String>,
    /// The commit's first line.
    pub message: String,
}

/// The changes to the profiles since `since` (YYYY-MM-DD), newest first.
pub fn changes(corpus: &Corpus, folder: &Path, since: Option<&str>) -> Result<Vec<Change>, Error> {
    let commits = git::history(&corpus.root, &[folder.to_path_buf()], since)?;
    let files: Vec<(&git::Commit, &git::FileChange)> = commits
        .iter()
        .flat_map(|c| c.files.iter().map(move |f| (c, f)))
        .collect();
    let per_file: Vec<Vec<Change>> = files
        .par_iter()
        .map(|(commit, file)| file_changes(commit, file))
        .collect();
    Ok(per_file.into_iter().flatten().collect())
}

/// The changes one commit made to one profile.
fn file_changes(commit: &git::Commit, file: &git::FileChange) -> Vec<Change> {
    let mut out = Vec::new();
    let before = entries(&file.path, file.before.as_deref());
    let after = entries(&file.path, file.after.as_deref());
    let mut push = |u: &Usage, kind: &str, from: Option<String>, to: Option<String>| {
        out.push(Change {
            date: commit.date.clone(),
            commit: commit.id.clone(),
            municipality: u.municipality.clone(),
            kind: kind.to_string(),
            product: u.product.clone(),
            function: u.function.clone(),
            from,
            to,
            message: commit.summary.clone(),
        })
    };
    for (key, new) in &after {
        let Some(old) = before.get(key) else {
            let kind = match new.status.as_str() {
                "planned" | "retiring" | "retired" => new.status.as_str(),
                _ => "adopted",
            };
            push(new, kind, None, Some(new.status.clone()));
            continue;
        };
        if old.status != new.status {
            let kind = match (old.status.as_str(), new.status.as_str()) {
                ("planned", "in-use") => "adopted",
                (_, "retiring" | "retired") => new.status.as_str(),
                _ => "status",
            };
            push(
                new,
                kind,
                Some(old.status.clone()),
                Some(new.status.clone()),
            );
        }
        if old.rating != new.rating {
            let text = |r: Option<u8>| r.map(|r| r.to_string());
            push(new, "rating", text(old.rating), text(new.rating));
        }
        if old.version != new.version {
            push(new, "version", old.version.clone(), new.version.clone());
        }
    }
    for (key, old) in &before {
        if !after.contains_key(key) {
            push(old, "removed", Some(old.status.clone()), None);
        }
    }
    out
}

/// The entries of one version of a profile, by (product, function).
fn entries(path: &Path, text: Option<&str>) -> BTreeMap<(String, String), Usage> {
    let Some(text) = text else {
        return BTreeMap::new();
    };
    let doc = parse_document(path, "", String::new(), text);
    let mut usages = model::usages(&doc);
    if usages.iter().any(|u| u.municipality.is_empty()) {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for u in &mut usages {
            if u.municipality.is_empty() {
                u.municipality.clone_from(&stem);
            }
        }
    }
    usages
        .into_iter()
        .map(|u| ((normalise_name(&u.product), u.function.clone()), u))
        .collect()
}
