//! `.mkn/infobase.json`: what the directory needs from every profile and
//! practice, kept current the way the index is. Each command lists the
//! collections' files and stats them; only files whose size or modification
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
use crate::config::{CONFIG_FILE, Kind};
use crate::corpus::{Corpus, display_path};
use crate::error::Error;
use crate::index::STATE_DIR;

/// Bump when what the cache holds changes: older caches are rebuilt.
const CACHE_VERSION: u32 = 1;
/// The cache's file name in `.mkn/`.
const CACHE_FILE: &str = "infobase.json";

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

/// Every profile entry and practice mention of the corpus, in path order.
pub(super) fn load(corpus: &Corpus) -> Result<(Vec<Usage>, Vec<Mention>), Error> {
    let state_dir = corpus.root.join(STATE_DIR);
    let settings_path = corpus.root.join(CONFIG_FILE);
    let settings = fs::read(&settings_path).map_err(|e| Error::io(&settings_path, e))?;
    let settings = git2::Oid::hash_object(git2::ObjectType::Blob, &settings)
        .map(|o| o.to_string())
        .map_err(|e| Error::Git(e.message().to_string()))?;
    let mut cache = fs::read(state_dir.join(CACHE_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
        .filter(|c| c.version == CACHE_VERSION && c.settings == settings)
        .unwrap_or_default();
    let profile = corpus
        .config
        .collection_of_kind(Kind::Profile)
        .map(|c| c.name.as_str());
    let practice = corpus
        .config
        .collection_of_kind(Kind::Practice)
        .map(|c| c.name.as_str());
    let (files, _) = corpus.files()?;
    let wanted: Vec<_> = files
        .into_iter()
        .filter(|f| {
            Some(f.collection.as_str()) == profile || Some(f.collection.as_str()) == practice
        })
        .collect();
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
            let is_profile = Some(file.collection.as_str()) == profile;
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
        cache.settings = settings;
        save(&state_dir, CACHE_FILE, &cache)?;
    }
    let mut usages = Vec::new();
    let mut mentions = Vec::new();
    for key in &keys {
        if let Some(entry) = cache.files.get(key) {
            usages.extend(entry.usages.iter().cloned());
            mentions.extend(entry.mentions.iter().cloned());
        }
    }
    Ok((usages, mentions))
}

/// Writes a cache file of `.mkn/` as JSON, by rename; creates `.mkn/`
/// (ignored by git) if needed.
pub(super) fn save(state_dir: &Path, name: &str, value: &impl Serialize) -> Result<(), Error> {
    fs::create_dir_all(state_dir).map_err(|e| Error::io(state_dir, e))?;
    let ignore = state_dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(&ignore, "*\n").map_err(|e| Error::io(&ignore, e))?;
    }
    let bytes = serde_json::to_vec(value).map_err(std::io::Error::from)?;
    let path = state_dir.join(name);
    let tmp = state_dir.join(format!("{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}
