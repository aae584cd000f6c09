//! The synonym vocabulary as a query reads it. Parsing the YAML file (with
//! the places `mkn check` reports) costs more than the rest of a small query,
//! so the terms are kept in `.mkn/synonyms.json` with the file's size and
//! modification time, and read from there while those are unchanged.

use std::fs;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::corpus::Corpus;
use crate::corpus::vocab::Synonyms;
use crate::error::Error;
use crate::state::STATE_DIR;
use crate::state::save_json;

/// The cache file in `.mkn/`.
const CACHE_FILE: &str = "synonyms.json";
/// Bump when what the cache holds changes: older caches are read again from YAML.
const CACHE_VERSION: u32 = 1;

/// What the cache holds: the vocabulary's terms and the file they came from.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Cache {
    version: u32,
    /// The vocabulary file, relative to the corpus root.
    path: String,
    size: u64,
    mtime_ns: u128,
    /// Each term with the other terms it also searches for, in file order.
    entries: Vec<(String, Vec<String>)>,
}

/// The synonym vocabulary the settings declare, if any: from the cache when
/// the file is unchanged, else from the file (then cached for the next query).
pub fn load(corpus: &Corpus) -> Result<Option<Synonyms>, Error> {
    let Some(rel) = &corpus.config.vocabularies.synonyms else {
        return Ok(None);
    };
    let file = corpus.root.join(rel);
    let meta = fs::metadata(&file).map_err(|e| Error::io(rel, e))?;
    let size = meta.len();
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let path = rel.to_string_lossy().into_owned();
    let state_dir = corpus.root.join(STATE_DIR);
    let cached = fs::read(state_dir.join(CACHE_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
        .filter(|c| {
            c.version == CACHE_VERSION && c.path == path && c.size == size && c.mtime_ns == mtime_ns
        });
    if let Some(cache) = cached {
        return Ok(Some(Synonyms::from_entries(cache.entries)));
    }
    let synonyms = Synonyms::load(&corpus.root, rel)?;
    let cache = Cache {
        version: CACHE_VERSION,
        path,
        size,
        mtime_ns,
        entries: synonyms
            .entries()
            .map(|(term, also)| {
                (
                    term.to_string(),
                    also.iter().map(|t| t.to_string()).collect(),
                )
            })
            .collect(),
    };
    // A cache that cannot be written (a read-only checkout) only means the
    // next query parses the file again.
    let _ = save_json(&state_dir, CACHE_FILE, &cache);
    Ok(Some(synonyms))
}
