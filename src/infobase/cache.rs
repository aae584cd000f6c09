//! `.mkn/infobase-<collection>.json`: what the directory needs from every
//! profile and practice, kept current the way the index is. Each command
//! lists the files of the collections it needs and stats them; only files whose size or modification
//! time changed are read again. The cache is rewritten (to a temporary file,
//! then renamed) only when something changed, so readers never wait and a
//! killed process leaves the old cache or the new one.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{self, Mention, Usage};
use crate::config::{CONFIG_FILE, Collection, Kind};
use crate::corpus::{Corpus, display_path};
use crate::error::Error;
use crate::state::STATE_DIR;
use crate::state::save_json;

/// Bump when what the cache holds changes: older caches are rebuilt.
const CACHE_VERSION: u32 = 1;
/// The start of a collection's cache file name in `.mkn/`
/// (`infobase-<collection>.json`).
const CACHE_PREFIX: &str = "infobase-";

/// What the cache holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    /// Hash of `mkn.toml`: a change of collections invalidates everything.
    settings: String,
    files: HashMap<String, Entry>,
}

/// One file's facts, with the size and time they were read at.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    mtime_ns: u128,
    size: u64,
    usages: Vec<Usage>,
    mentions: Vec<Mention>,
}

/// Every profile entry of the corpus and, with `mentions`, every practice
/// mention, each in path order. Each collection has its own cache file, so
/// what needs only the profiles neither lists nor reads the practices.
pub(super) fn load(corpus: &Corpus, mentions: bool) -> Result<(Vec<Usage>, Vec<Mention>), Error> {
    let state_dir = corpus.root.join(STATE_DIR);
    let settings_path = corpus.root.join(CONFIG_FILE);
    let settings = fs::read(&settings_path).map_err(|e| Error::io(&settings_path, e))?;
    let settings = git2::Oid::hash_object(git2::ObjectType::Blob, &settings)
        .map(|o| o.to_string())
        .map_err(|e| Error::Git(e.message().to_string()))?;
    let profile = corpus.config.collection_of_kind(Kind::Profile);
    let practice = corpus
        .config
        .collection_of_kind(Kind::Practice)
        .filter(|p| mentions && profile.is_none_or(|profile| profile.name != p.name));
    let mut usages = Vec::new();
    let mut found = Vec::new();
    if let Some(profile) = profile {
        for entry in load_collection(corpus, &state_dir, &settings, profile, true)? {
            usages.extend(entry.usages);
        }
    }
    if let Some(practice) = practice {
        for entry in load_collection(corpus, &state_dir, &settings, practice, false)? {
            found.extend(entry.mentions);
        }
    }
    Ok((usages, found))
}

/// The entries of one collection's files, in path order, from its cache
/// file where the file's size and time are unchanged.
fn load_collection(
    corpus: &Corpus,
    state_dir: &Path,
    settings: &str,
    collection: &Collection,
    is_profile: bool,
) -> Result<Vec<Entry>, Error> {
    let name = format!("{CACHE_PREFIX}{}.json", collection.name);
    let mut cache = fs::read(state_dir.join(&name))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
        .filter(|c| c.version == CACHE_VERSION && c.settings == settings)
        .unwrap_or_default();
    let (wanted, _) = corpus.files_in(std::iter::once(collection))?;
    let stale: Vec<_> = wanted
        .par_iter()
        .filter_map(|file| {
            let key = display_path(&file.path).into_owned();
            let mtime_ns = file
                .modified
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let current = cache
                .files
                .get(&key)
                .is_some_and(|e| e.mtime_ns == mtime_ns && e.size == file.size);
            if current {
                return None;
            }
            let doc = corpus.read(file);
            let entry = Entry {
                mtime_ns,
                size: file.size,
                usages: if is_profile {
                    model::usages(&doc)
                } else {
                    Vec::new()
                },
                mentions: if is_profile {
                    Vec::new()
                } else {
                    model::mentions(&doc)
                },
            };
            Some((key, entry))
        })
        .collect();
    let keys: Vec<String> = wanted
        .iter()
        .map(|f| display_path(&f.path).into_owned())
        .collect();
    let present: std::collections::HashSet<&str> = keys.iter().map(String::as_str).collect();
    let before = cache.files.len();
    cache.files.retain(|k, _| present.contains(k.as_str()));
    let changed = !stale.is_empty() || cache.files.len() != before;
    cache.files.extend(stale);
    if changed {
        cache.version = CACHE_VERSION;
        cache.settings = settings.to_string();
        save_json(state_dir, &name, &cache)?;
    }
    Ok(keys
        .iter()
        .filter_map(|key| cache.files.remove(key))
        .collect())
}
