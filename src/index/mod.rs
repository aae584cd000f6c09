//! The local search index in `.mkn/` at the corpus root.
//!
//! Every command that reads the index first brings it up to date: files are
//! listed and stat'ed, and only those whose size or modification time changed
//! are hashed; only those whose git blob id changed are parsed and re-indexed.
//! A manifest (`.mkn/manifest`) records path → blob id, written after each
//! tantivy commit, so a process killed mid-way leaves an index the next run
//! repairs. One writer at a time (tantivy's lock); readers see the last commit.

pub mod record;
pub mod schema;
mod stem;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError, Term};

use crate::corpus::{Corpus, SourceFile, display_path};
use crate::error::Error;
use schema::{Fields, INDEX_VERSION};

/// The folder, at the corpus root, that holds everything `mkn` derives.
pub const STATE_DIR: &str = ".mkn";
/// Indexing threads at most (tantivy gives each its own segment).
const INDEX_THREADS: usize = 4;
/// Memory for the indexing threads together, in bytes.
const INDEX_MEMORY: usize = 200 << 20;
/// Files read and prepared together before they go to the index writer.
const PREPARE_BATCH: usize = 2_000;
/// Below this many changed files, an update is small.
const SMALL_UPDATE: usize = 200;
/// Memory for a small update (tantivy's minimum is 15 MB).
const SMALL_UPDATE_MEMORY: usize = 20 << 20;
/// How long to wait for another process's index update before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(120);

/// How current the index must be before it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Bring it up to date with every file (the default).
    Update,
    /// Use it as it stands when it exists and fits this version and these
    /// settings; for scripts that run many queries after one `mkn index`.
    AsIs,
    /// Build it again from scratch.
    Rebuild,
}

/// An open, up-to-date index.
pub struct SearchIndex {
    /// The tantivy index.
    pub index: Index,
    /// A reader at the last commit.
    pub reader: IndexReader,
    /// The schema's fields.
    pub fields: Fields,
}

/// What an update did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UpdateStats {
    /// Documents (re-)indexed.
    pub indexed: usize,
    /// Documents removed.
    pub removed: usize,
    /// Documents in the index afterwards.
    pub total: usize,
    /// Why the index was rebuilt from scratch, if it was.
    pub rebuilt: Option<String>,
}

/// Hears about long work, so a terminal can show it. The index never prints.
pub trait Progress: Sync {
    /// Indexing of `total` documents starts.
    fn start(&self, total: usize);
    /// One more document done.
    fn advance(&self);
    /// Indexing is done.
    fn finish(&self);
    /// Another process holds the index; this one waits.
    fn waiting(&self);
}

/// A [`Progress`] that ignores everything.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: usize) {}
    fn advance(&self) {}
    fn finish(&self) {}
    fn waiting(&self) {}
}

/// Path → blob id, size and time of every indexed file, with the index
/// version and the settings fingerprint. Stored as lines, not JSON: it is read
/// before every query, and lines parse several times faster.
#[derive(Debug, Default, Clone)]
struct Manifest {
    /// Size and time of the manifest file when read, to tell whether another
    /// process has written it since.
    stamp: Option<ManifestStamp>,
    version: u32,
    fingerprint: String,
    files: HashMap<String, FileState>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct FileState {
    blob: String,
    mtime_ns: u128,
    size: u64,
}

/// A file that may need indexing, with its current size and modification time.
struct Candidate {
    file: SourceFile,
    key: String,
    mtime_ns: u128,
    size: u64,
}

/// Opens the index of `corpus`, bringing it up to date (or rebuilding it when
/// `rebuild` is set, the index is missing or damaged, or was written by
/// another version of `mkn`).
///
/// Reading needs no lock: when the index is current, this only lists and
/// stats the files. Any change to the index happens under an exclusive lock on
/// `.mkn/lock`, so two processes never build at once; the second waits, then
/// finds the work done.
pub fn open(
    corpus: &Corpus,
    freshness: Freshness,
    progress: &dyn Progress,
) -> Result<(SearchIndex, UpdateStats), Error> {
    let rebuild = freshness == Freshness::Rebuild;
    let state_dir = corpus.root.join(STATE_DIR);
    fs::create_dir_all(&state_dir).map_err(|e| Error::io(&state_dir, e))?;
    let ignore = state_dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(&ignore, "*\n").map_err(|e| Error::io(&ignore, e))?;
    }
    let fingerprint = fingerprint(corpus)?;
    let mut seen: Option<(Option<ManifestStamp>, Changes)> = None;
    if !rebuild
        && let Some(manifest) = Manifest::load(&state_dir)
        && manifest.version == INDEX_VERSION
        && manifest.fingerprint == fingerprint
        && let Some(index) = SearchIndex::open_existing(&state_dir)
    {
        if freshness == Freshness::AsIs {
            return Ok((
                index,
                UpdateStats {
                    total: manifest.files.len(),
                    ..UpdateStats::default()
                },
            ));
        }
        let changes = diff(corpus, &manifest)?;
        if changes.0.is_empty() && changes.1.is_empty() {
            return Ok((
                index,
                UpdateStats {
                    total: manifest.files.len(),
                    ..UpdateStats::default()
                },
            ));
        }
        seen = Some((manifest.stamp, changes));
    }
    let _lock = lock(&state_dir, progress)?;
    let manifest = Manifest::load(&state_dir);
    // What was found before the lock still holds if nobody wrote the manifest since.
    let changes = seen
        .filter(|(stamp, _)| manifest.as_ref().is_some_and(|m| m.stamp == *stamp))
        .map(|(_, c)| c);
    let existing = SearchIndex::open_existing(&state_dir);
    let reason = if rebuild {
        Some("rebuilding the index, as asked")
    } else {
        match (&manifest, &existing) {
            (None, None) => Some("building the search index"),
            (_, None) => Some("the index in .mkn/ was damaged; rebuilding it"),
            (None, Some(_)) => Some("the index in .mkn/ had no manifest; rebuilding it"),
            (Some(m), _) if m.version != INDEX_VERSION => {
                Some("the index was written by another version of mkn; rebuilding it")
            }
            (Some(m), _) if m.fingerprint != fingerprint => {
                Some("mkn.toml or a vocabulary changed; rebuilding the index")
            }
            _ => None,
        }
    };
    let index = match existing {
        Some(index) => index,
        None => SearchIndex::create(&state_dir)?,
    };
    let mut manifest = if reason.is_some() {
        Manifest::default()
    } else {
        manifest.unwrap_or_default()
    };
    let changes = match changes {
        Some(changes) if reason.is_none() => changes,
        _ => diff(corpus, &manifest)?,
    };
    manifest.version = INDEX_VERSION;
    manifest.fingerprint = fingerprint;
    let stats = update(
        corpus,
        &index,
        &state_dir,
        manifest,
        changes,
        reason.map(str::to_string),
        progress,
    )?;
    Ok((index, stats))
}

impl SearchIndex {
    /// The index in `state_dir`, if it opens and has this version's schema.
    fn open_existing(state_dir: &Path) -> Option<SearchIndex> {
        let (schema, fields) = schema::build();
        let directory = MmapDirectory::open(state_dir.join("index")).ok()?;
        let index = Index::open(directory).ok()?;
        if index.schema() != schema {
            return None;
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .ok()?;
        Some(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// A new, empty index in `state_dir`, replacing whatever was there.
    fn create(state_dir: &Path) -> Result<SearchIndex, Error> {
        let dir = state_dir.join("index");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(&dir, schema).map_err(|e| index_error(&dir, e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_error(&dir, e))?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }
}

/// Takes the exclusive lock on `.mkn/lock`, waiting for another process if need be.
fn lock(state_dir: &Path, progress: &dyn Progress) -> Result<fs::File, Error> {
    let path = state_dir.join("lock");
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    let started = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                if !told {
                    progress.waiting();
                    told = true;
                }
                sleep(Duration::from_millis(25));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Usage(format!(
                    "another mkn process has been updating the index for over {} s; try again later",
                    LOCK_WAIT.as_secs()
                )));
            }
            Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
    }
}

/// Applies `changes` to the index and to `manifest` (whose version and
/// fingerprint are already the new ones), and saves the manifest after the
/// commit. When `rebuilt` says why, the index is emptied first.
fn update(
    corpus: &Corpus,
    search: &SearchIndex,
    state_dir: &Path,
    mut manifest: Manifest,
    (candidates, removed): Changes,
    rebuilt: Option<String>,
    progress: &dyn Progress,
) -> Result<UpdateStats, Error> {
    let full = rebuilt.is_some();
    let mut stats = UpdateStats {
        rebuilt,
        ..UpdateStats::default()
    };
    if candidates.is_empty() && removed.is_empty() && !full {
        stats.total = manifest.files.len();
        return Ok(stats);
    }
    // A few changed files need one thread and a small arena; setting up the
    // full budget would cost more than indexing them.
    let (threads, memory) = if candidates.len() < SMALL_UPDATE {
        (1, SMALL_UPDATE_MEMORY)
    } else {
        (
            INDEX_THREADS.min(rayon::current_num_threads()).max(1),
            INDEX_MEMORY,
        )
    };
    stem::register(&search.index);
    let mut writer: IndexWriter = search
        .index
        .writer_with_num_threads(threads, memory)
        .map_err(|e| index_error(state_dir, e))?;
    if full {
        writer
            .delete_all_documents()
            .map_err(|e| index_error(state_dir, e))?;
    }
    progress.start(candidates.len());
    let vocab = corpus.vocab()?;
    for key in &removed {
        writer.delete_term(Term::from_field_text(search.fields.path, key));
        manifest.files.remove(key);
        stats.removed += 1;
    }
    // Read and prepare in parallel, a batch at a time, so memory stays bounded
    // however many files change.
    let mut candidates = candidates;
    while !candidates.is_empty() {
        let batch: Vec<Candidate> = candidates
            .drain(..candidates.len().min(PREPARE_BATCH))
            .collect();
        let prepared: Vec<(Candidate, String, Option<record::Record>)> = batch
            .into_par_iter()
            .map(|c| {
                let bytes = fs::read(corpus.root.join(&c.file.path)).unwrap_or_default();
                let blob = git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)
                    .map(|oid| oid.to_string())
                    .unwrap_or_default();
                let unchanged = manifest.files.get(&c.key).is_some_and(|s| s.blob == blob);
                let record = (!unchanged).then(|| record::record(&corpus.read(&c.file), vocab));
                progress.advance();
                (c, blob, record)
            })
            .collect();
        for (candidate, blob, record) in prepared {
            if let Some(record) = record {
                writer.delete_term(Term::from_field_text(search.fields.path, &candidate.key));
                writer
                    .add_document(search.fields.document(&record))
                    .map_err(|e| index_error(state_dir, e))?;
                stats.indexed += 1;
            }
            manifest.files.insert(
                candidate.key,
                FileState {
                    blob,
                    mtime_ns: candidate.mtime_ns,
                    size: candidate.size,
                },
            );
        }
    }
    if let Err(e) = writer.commit() {
        let _ = writer.rollback();
        return Err(index_error(state_dir, e));
    }
    progress.finish();
    manifest.save(state_dir)?;
    search
        .reader
        .reload()
        .map_err(|e| index_error(state_dir, e))?;
    stats.total = manifest.files.len();
    Ok(stats)
}

/// Files whose size or modification time differ from the manifest, and
/// manifest entries whose file is gone.
/// Files to look at (new or touched) and manifest entries whose file is gone.
type Changes = (Vec<Candidate>, Vec<String>);

fn diff(corpus: &Corpus, manifest: &Manifest) -> Result<Changes, Error> {
    let (files, _) = corpus.files()?;
    let mut present = std::collections::HashSet::with_capacity(files.len());
    let mut candidates = Vec::new();
    for file in &files {
        let key = display_path(&file.path);
        let mtime_ns = file
            .modified
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let same = manifest
            .files
            .get(key.as_ref())
            .is_some_and(|s| s.mtime_ns == mtime_ns && s.size == file.size);
        if !same {
            candidates.push(Candidate {
                file: file.clone(),
                key: key.to_string(),
                mtime_ns,
                size: file.size,
            });
        }
        present.insert(key);
    }
    let removed = manifest
        .files
        .keys()
        .filter(|k| !present.contains(k.as_str()))
        .cloned()
        .collect();
    Ok((candidates, removed))
}

/// A hash of the settings and vocabularies the index was built from.
fn fingerprint(corpus: &Corpus) -> Result<String, Error> {
    let mut bytes = format!("mkn index {INDEX_VERSION}\n").into_bytes();
    let v = &corpus.config.vocabularies;
    let paths: Vec<PathBuf> = std::iter::once(PathBuf::from(crate::config::CONFIG_FILE))
        .chain(
            [&v.areas, &v.municipalities, &v.measures, &v.functions]
                .into_iter()
                .flatten()
                .cloned(),
        )
        .collect();
    for path in paths {
        bytes.extend(fs::read(corpus.root.join(&path)).map_err(|e| Error::io(&path, e))?);
    }
    git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)
        .map(|o| o.to_string())
        .map_err(|e| Error::Git(e.message().to_string()))
}

/// A manifest file's size and modification time.
type ManifestStamp = (u64, Option<std::time::SystemTime>);

/// The manifest's file name and its first word.
const MANIFEST: &str = "manifest";

impl Manifest {
    /// Reads `.mkn/manifest`: a line `manifest VERSION FINGERPRINT`, then one
    /// line per file: `BLOB<TAB>MTIME_NS<TAB>SIZE<TAB>PATH` (a path holding a
    /// line break is written as a JSON string). Anything unreadable is None.
    fn load(state_dir: &Path) -> Option<Manifest> {
        let path = state_dir.join(MANIFEST);
        let text = fs::read_to_string(&path).ok()?;
        let stamp = fs::metadata(&path)
            .ok()
            .map(|m| (m.len(), m.modified().ok()));
        let mut lines = text.lines();
        let mut header = lines.next()?.split(' ');
        if header.next()? != MANIFEST {
            return None;
        }
        let version = header.next()?.parse().ok()?;
        let fingerprint = header.next()?.to_string();
        let mut files = HashMap::new();
        for line in lines {
            let mut fields = line.splitn(4, '\t');
            let blob = fields.next()?.to_string();
            let mtime_ns = fields.next()?.parse().ok()?;
            let size = fields.next()?.parse().ok()?;
            let path = fields.next()?;
            let path = if path.starts_with('"') {
                serde_json::from_str(path).ok()?
            } else {
                path.to_string()
            };
            files.insert(
                path,
                FileState {
                    blob,
                    mtime_ns,
                    size,
                },
            );
        }
        Some(Manifest {
            stamp,
            version,
            fingerprint,
            files,
        })
    }

    /// Writes to a temporary file and renames it, so the manifest is whole or old.
    fn save(&self, state_dir: &Path) -> Result<(), Error> {
        use std::fmt::Write as _;
        let mut text = format!("{MANIFEST} {} {}\n", self.version, self.fingerprint);
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort();
        for path in paths {
            let state = &self.files[path];
            let path = if path.contains('\n') || path.starts_with('"') {
                serde_json::to_string(path).expect("a string serialises")
            } else {
                path.clone()
            };
            let _ = writeln!(
                text,
                "{}\t{}\t{}\t{path}",
                state.blob, state.mtime_ns, state.size
            );
        }
        let path = state_dir.join(MANIFEST);
        let tmp = state_dir.join(format!("{MANIFEST}.{}.tmp", std::process::id()));
        fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }
}

fn index_error(path: &Path, e: TantivyError) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}
