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
use std::fs;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{self, Usage};
use super::normalise_name;
use crate::corpus::{Corpus, parse_document};
use crate::error::Error;
use crate::git;
use crate::state::STATE_DIR;

/// One change to one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// The cache of changes in `.mkn/`: every change of the history up to one HEAD.
const CHANGES_FILE: &str = "changes.json";
/// Bump when what the cache holds changes: older caches are computed again.
const CHANGES_VERSION: u32 = 1;

/// What `.mkn/changes.json` holds.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    version: u32,
    /// The commit the history was read up to.
    head: String,
    /// The profiles' folder it was read for.
    folder: String,
    changes: Vec<Change>,
}

/// The changes to the profiles on or after `since` (a date or its start,
/// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`), newest first. The whole history's
/// changes are kept in `.mkn/` for the commit HEAD is at: commits never
/// change, so only a new HEAD means reading the history again.
pub fn changes(corpus: &Corpus, folder: &Path, since: Option<&str>) -> Result<Vec<Change>, Error> {
    let state_dir = corpus.root.join(STATE_DIR);
    let head = git::head(&corpus.root);
    let folder_key = folder.to_string_lossy().into_owned();
    let saved = fs::read(state_dir.join(CHANGES_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Saved>(&bytes).ok())
        .filter(|s| {
            s.version == CHANGES_VERSION && Some(&s.head) == head.as_ref() && s.folder == folder_key
        });
    let all = match (saved, head) {
        (Some(saved), _) => saved.changes,
        (None, head) => {
            let changes = read_history(corpus, folder)?;
            if let Some(head) = head {
                let saved = Saved {
                    version: CHANGES_VERSION,
                    head,
                    folder: folder_key,
                    changes,
                };
                crate::state::save_json(&state_dir, CHANGES_FILE, &saved)?;
                saved.changes
            } else {
                changes
            }
        }
    };
    Ok(all
        .into_iter()
        .filter(|c| since.is_none_or(|s| c.date.as_str() >= s))
        .collect())
}

/// Every change in the history of the profiles, newest first.
fn read_history(corpus: &Corpus, folder: &Path) -> Result<Vec<Change>, Error> {
    let commits = git::history(&corpus.root, &[folder.to_path_buf()], None)?;
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
