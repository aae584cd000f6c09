//! The local search index in `.mkn/` at the corpus root.
//!
//! Every command that reads the index first brings it up to date: files are
//! listed and stat'ed, and only those whose size or modification time changed
//! are hashed; only those whose git blob id changed are parsed and re-indexed.
//! A manifest (`.mkn/manifest`) records path → blob id, written after each
//! tantivy commit, so a process killed mid-way leaves an index the next run
//! repairs. One writer at a time (tantivy's lock); readers see the last commit.
//! When `mkn index --watch` runs, a query asks it instead of listing the files
//! (see [`watch`]).

pub mod record;
pub mod schema;
pub mod watch;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::directory::MmapDirectory;
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy, NoMergePolicy};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError, Term};

use crate::corpus::{Corpus, SourceFile, display_path};
use crate::error::Error;
use crate::state::STATE_DIR;
use schema::{Fields, INDEX_VERSION};

/// Indexing threads at most (tantivy gives each its own segment); at most
/// one per core.
const INDEX_THREADS: usize = 4;
/// Memory of each indexing thread, in bytes: a thread writes a segment each
/// time it fills it. 64 MB keeps a rebuild of 100,000 practices under
/// 512 MiB on two cores, in segments of about 10,000 documents (100 MB each
/// was 16,000 documents, and about 80 MB more at the peak).
const INDEX_MEMORY_PER_THREAD: usize = 64 << 20;
/// Segments of fewer documents than this are merged as updates add small
/// ones; the larger segments of a rebuild are left as they are.
const MERGE_BELOW_DOCS: usize = 5_000;
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
    /// Bring it up to date with every file (the default): ask the watcher
    /// (`mkn index --watch`) if one runs, else [`Freshness::Scan`].
    Update,
    /// Bring it up to date by looking at every file's size and time.
    Scan,
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
/// version and the settings fingerprint, as `update` changes it.
#[derive(Debug, Default, Clone)]
struct Manifest {
    header: Header,
    files: HashMap<String, FileState>,
}

/// The manifest's first line: what the index was built with.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Header {
    version: u32,
    fingerprint: String,
}

/// The manifest as stored, its file lines kept as text until needed: the
/// lines are read before every query, and a merge with the sorted file list
/// needs no map.
#[derive(Debug)]
struct StoredManifest {
    /// Size and time of the manifest file when read, to tell whether another
    /// process has written it since.
    stamp: Option<ManifestStamp>,
    header: Header,
    /// Every line after the header.
    lines: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct FileState {
    blob: String,
    mtime_ns: u128,
    size: u64,
}

/// One file line of a stored manifest.
struct Line<'a> {
    path: std::borrow::Cow<'a, str>,
    blob: &'a str,
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
    open_wanting(corpus, freshness, progress, Header::wanted(corpus)?)
}

/// [`open`], for an index that must have been built with `wanted`.
fn open_wanting(
    corpus: &Corpus,
    freshness: Freshness,
    progress: &dyn Progress,
    wanted: Header,
) -> Result<(SearchIndex, UpdateStats), Error> {
    let rebuild = freshness == Freshness::Rebuild;
    let state_dir = corpus.root.join(STATE_DIR);
    fs::create_dir_all(&state_dir).map_err(|e| Error::io(&state_dir, e))?;
    let ignore = state_dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(&ignore, "*\n").map_err(|e| Error::io(&ignore, e))?;
    }
    let trusted = match freshness {
        Freshness::AsIs => true,
        Freshness::Update => watch::caught_up(&state_dir),
        Freshness::Scan | Freshness::Rebuild => false,
    };
    if trusted && let Some(index) = SearchIndex::open_as_it_stands(&state_dir, &wanted) {
        let total = index.reader.searcher().num_docs() as usize;
        return Ok((index, unchanged(total)));
    }
    let mut seen: Option<(Option<ManifestStamp>, Changes)> = None;
    if !rebuild
        && let Some(stored) = StoredManifest::read(&state_dir)
        && stored.header == wanted
        && let Some(index) = SearchIndex::open_existing(&state_dir)
        && let Some(changes) = diff(corpus, Some(&stored))?
    {
        if changes.is_empty() {
            return Ok((index, unchanged(changes.files)));
        }
        seen = Some((stored.stamp, changes));
    }
    let _lock = lock(&state_dir, progress)?;
    let stored = StoredManifest::read(&state_dir);
    // What was found before the lock still holds if nobody wrote the manifest since.
    let changes = seen
        .filter(|(stamp, _)| stored.as_ref().is_some_and(|m| m.stamp == *stamp))
        .map(|(_, c)| c);
    let existing = SearchIndex::open_existing(&state_dir);
    let mut reason = if rebuild {
        Some("rebuilding the index, as asked")
    } else {
        match (&stored, &existing) {
            (None, None) => Some("building the search index"),
            (_, None) => Some("the index in .mkn/ was damaged; rebuilding it"),
            (None, Some(_)) => Some("the index in .mkn/ had no manifest; rebuilding it"),
            (Some(m), _) if m.header.version != INDEX_VERSION => {
                Some("the index was written by another version of mkn; rebuilding it")
            }
            (Some(m), _) if m.header.fingerprint != wanted.fingerprint => {
                Some("mkn.toml or a vocabulary changed; rebuilding the index")
            }
            _ => None,
        }
    };
    let changes = match changes {
        Some(changes) if reason.is_none() => changes,
        _ => {
            let known = stored.as_ref().filter(|_| reason.is_none());
            match diff(corpus, known)? {
                Some(changes) => changes,
                None => {
                    reason = Some("the manifest in .mkn/ was damaged; rebuilding the index");
                    diff(corpus, None)?.expect("a diff without a manifest always succeeds")
                }
            }
        }
    };
    let index = match existing {
        Some(index) => index,
        None => SearchIndex::create(&state_dir)?,
    };
    let files = match (&stored, reason) {
        (Some(stored), None) => stored.files(),
        _ => None,
    };
    let manifest = Manifest {
        header: wanted,
        files: files.unwrap_or_default(),
    };
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

/// Runs `work` on the index once it is up to date. With
/// [`Freshness::Update`], `work` starts at once on a second thread, on the
/// index as it stands, while this thread asks the watcher to catch up or
/// checks the files; when that leaves the index as it was, that first answer
/// stands, so a query costs the longer of the two rather than their sum.
pub fn answer<R: Send>(
    corpus: &Corpus,
    freshness: Freshness,
    progress: &dyn Progress,
    work: impl Fn(&SearchIndex) -> Result<R, Error> + Sync,
) -> Result<(R, UpdateStats), Error> {
    if freshness != Freshness::Update {
        let (index, stats) = open(corpus, freshness, progress)?;
        return Ok((work(&index)?, stats));
    }
    let wanted = Header::wanted(corpus)?;
    let state_dir = corpus.root.join(STATE_DIR);
    std::thread::scope(|scope| {
        let early = scope.spawn(|| {
            let index = SearchIndex::open_as_it_stands(&state_dir, &wanted)?;
            let snapshot = index.snapshot();
            let result = work(&index);
            Some((index, snapshot, result))
        });
        // Either the watcher vouches for the index, or this thread checks the
        // files while the early query runs.
        let checked = if watch::caught_up(&state_dir) {
            None
        } else {
            Some(open_wanting(
                corpus,
                Freshness::Scan,
                progress,
                wanted.clone(),
            )?)
        };
        match (checked, early.join().ok().flatten()) {
            // The index now holds every change made before this query: the
            // early answer stands if the watcher committed nothing since.
            (None, Some((index, snapshot, result))) => {
                let result = if index.committed_snapshot().as_ref() == Some(&snapshot) {
                    result
                } else {
                    index
                        .reader
                        .reload()
                        .map_err(|e| index_error(&state_dir, e))?;
                    work(&index)
                };
                let total = index.reader.searcher().num_docs() as usize;
                Ok((result?, unchanged(total)))
            }
            (None, None) => {
                let (index, stats) =
                    open_wanting(corpus, Freshness::Scan, progress, wanted.clone())?;
                Ok((work(&index)?, stats))
            }
            (Some((index, stats)), Some((_, snapshot, result))) if snapshot == index.snapshot() => {
                Ok((result?, stats))
            }
            (Some((index, stats)), _) => Ok((work(&index)?, stats)),
        }
    })
}

/// What an update that found nothing to do reports.
fn unchanged(total: usize) -> UpdateStats {
    UpdateStats {
        total,
        ..UpdateStats::default()
    }
}

impl SearchIndex {
    /// The index in `state_dir` as it stands, if it was built with `wanted`.
    fn open_as_it_stands(state_dir: &Path, wanted: &Header) -> Option<SearchIndex> {
        if Header::read(state_dir).as_ref() != Some(wanted) {
            return None;
        }
        SearchIndex::open_existing(state_dir)
    }

    /// Which commit the reader is at: its segments and their deletes.
    fn snapshot(&self) -> Vec<(tantivy::index::SegmentId, Option<tantivy::Opstamp>)> {
        self.reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| (s.segment_id(), s.delete_opstamp()))
            .collect()
    }

    /// Which commit the index's files are at now (the reader may be at an
    /// older one), in the form of [`SearchIndex::snapshot`].
    fn committed_snapshot(
        &self,
    ) -> Option<Vec<(tantivy::index::SegmentId, Option<tantivy::Opstamp>)>> {
        let metas = self.index.searchable_segment_metas().ok()?;
        Some(metas.iter().map(|m| (m.id(), m.delete_opstamp())).collect())
    }

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

/// Opens (or creates) a file to take a lock on.
fn lock_file(path: &Path) -> Result<fs::File, Error> {
    fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))
}

/// Takes the exclusive lock on `.mkn/lock`, waiting for another process if need be.
fn lock(state_dir: &Path, progress: &dyn Progress) -> Result<fs::File, Error> {
    let path = state_dir.join("lock");
    let file = lock_file(&path)?;
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
    Changes {
        touched: candidates,
        removed,
        ..
    }: Changes,
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
        let threads = INDEX_THREADS.min(rayon::current_num_threads()).max(1);
        (threads, threads * INDEX_MEMORY_PER_THREAD)
    };
    crate::stem::register(&search.index);
    let options = IndexWriterOptions::builder()
        .memory_budget_per_thread(memory / threads)
        .num_worker_threads(threads)
        .num_merge_threads(1)
        .build();
    let mut writer: IndexWriter = search
        .index
        .writer_with_options(options)
        .map_err(|e| index_error(state_dir, e))?;
    writer.set_merge_policy(if full {
        // Each thread's segments are as large as its memory allows; merging
        // them while indexing would write every document twice and hold the
        // merge's memory beside the writers'.
        Box::new(NoMergePolicy)
    } else {
        let mut policy = LogMergePolicy::default();
        policy.set_max_docs_before_merge(MERGE_BELOW_DOCS);
        Box::new(policy)
    });
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
        let prepared: Vec<(Candidate, String, bool)> = batch
            .into_par_iter()
            .map(|c| {
                let read = fs::read(corpus.root.join(&c.file.path));
                let blob = blob_id(read.as_deref().unwrap_or_default());
                if manifest.files.get(&c.key).is_some_and(|s| s.blob == blob) {
                    progress.advance();
                    return Ok((c, blob, false));
                }
                let document = match read {
                    Ok(bytes) => corpus.read_bytes(&c.file, bytes),
                    // Read again, for the error's diagnostic.
                    Err(_) => corpus.read(&c.file),
                };
                // The writer takes documents from every thread at once. A
                // rebuild emptied the index first: nothing to delete (each
                // delete is a term looked up in every segment written after it).
                if !full {
                    writer.delete_term(Term::from_field_text(search.fields.path, &c.key));
                }
                // A file that is not text has nothing to find (`mkn check` says why).
                if !document.is_unreadable() {
                    let record = record::record(&document, vocab);
                    writer
                        .add_document(search.fields.document(&record))
                        .map_err(|e| index_error(state_dir, e))?;
                }
                progress.advance();
                Ok((c, blob, true))
            })
            .collect::<Result<_, Error>>()?;
        for (candidate, blob, indexed) in prepared {
            stats.indexed += usize::from(indexed);
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

/// The git blob id of a file's content: what `git hash-object` prints.
fn blob_id(content: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", content.len()));
    hasher.update(content);
    format!("{:x}", hasher.finalize())
}

/// What changed since the manifest was written.
#[derive(Default)]
struct Changes {
    /// Files that are new or whose size or modification time differ.
    touched: Vec<Candidate>,
    /// Manifest entries whose file is gone.
    removed: Vec<String>,
    /// Files in the corpus now.
    files: usize,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.touched.is_empty() && self.removed.is_empty()
    }
}

/// Compares the corpus's files with `manifest` (every file is new without
/// one), walking both in path order. None when the manifest's lines are out
/// of order or unreadable: it was damaged, and the index must be rebuilt.
fn diff(corpus: &Corpus, manifest: Option<&StoredManifest>) -> Result<Option<Changes>, Error> {
    let (files, _) = corpus.files()?;
    let mut current: Vec<(std::borrow::Cow<'_, str>, &SourceFile)> = files
        .iter()
        .map(|file| (display_path(&file.path), file))
        .collect();
    current.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut changes = Changes {
        files: current.len(),
        ..Changes::default()
    };
    let mut known = manifest
        .map(StoredManifest::lines)
        .into_iter()
        .flatten()
        .peekable();
    let mut previous: Option<std::borrow::Cow<'_, str>> = None;
    for (key, file) in current {
        let mtime_ns = file
            .modified
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let mut same = false;
        while let Some(line) = known.next_if(|line| line.as_ref().is_none_or(|l| l.path <= key)) {
            let Some(line) = line else { return Ok(None) };
            if previous.as_ref().is_some_and(|p| *p >= line.path) {
                return Ok(None);
            }
            if line.path == key {
                same = line.mtime_ns == mtime_ns && line.size == file.size;
            } else {
                changes.removed.push(line.path.to_string());
            }
            previous = Some(line.path);
        }
        if !same {
            changes.touched.push(Candidate {
                file: file.clone(),
                key: key.into_owned(),
                mtime_ns,
                size: file.size,
            });
        }
    }
    for line in known {
        let Some(line) = line else { return Ok(None) };
        if previous.as_ref().is_some_and(|p| *p >= line.path) {
            return Ok(None);
        }
        changes.removed.push(line.path.to_string());
        previous = Some(line.path);
    }
    Ok(Some(changes))
}

/// A hash of the settings and vocabularies the index was built from. CRC-32
/// rather than a cryptographic hash: it runs before every query, and it only
/// has to notice an edit.
fn fingerprint(corpus: &Corpus) -> Result<String, Error> {
    let mut hasher = crc32fast::Hasher::new();
    let mut bytes = 0usize;
    for path in settings_files(corpus) {
        let content = fs::read(corpus.root.join(&path)).map_err(|e| Error::io(&path, e))?;
        hasher.update(&(content.len() as u64).to_le_bytes());
        hasher.update(&content);
        bytes += content.len();
    }
    Ok(format!("{:08x}-{bytes}", hasher.finalize()))
}

/// `mkn.toml` and the vocabulary files, relative to the root: what the
/// index is built from besides the documents.
fn settings_files(corpus: &Corpus) -> Vec<PathBuf> {
    std::iter::once(PathBuf::from(crate::config::CONFIG_FILE))
        .chain(corpus.config.vocabularies.files().cloned())
        .collect()
}

/// A manifest file's size and modification time.
type ManifestStamp = (u64, Option<std::time::SystemTime>);

/// The manifest's file name and its first word.
const MANIFEST: &str = "manifest";

impl Header {
    /// The header of an index built by this version from the corpus's settings now.
    fn wanted(corpus: &Corpus) -> Result<Header, Error> {
        Ok(Header {
            version: INDEX_VERSION,
            fingerprint: fingerprint(corpus)?,
        })
    }

    /// Reads the header line alone (all `--no-update` needs).
    fn read(state_dir: &Path) -> Option<Header> {
        use std::io::BufRead as _;
        let file = fs::File::open(state_dir.join(MANIFEST)).ok()?;
        let mut line = String::new();
        std::io::BufReader::with_capacity(256, file)
            .read_line(&mut line)
            .ok()?;
        Header::parse(line.trim_end_matches('\n'))
    }

    /// Parses `manifest VERSION FINGERPRINT`.
    fn parse(line: &str) -> Option<Header> {
        let mut words = line.split(' ');
        if words.next()? != MANIFEST {
            return None;
        }
        let version = words.next()?.parse().ok()?;
        let fingerprint = words.next()?.to_string();
        Some(Header {
            version,
            fingerprint,
        })
    }
}

impl StoredManifest {
    /// Reads `.mkn/manifest`: the header line, then one line per file:
    /// `BLOB<TAB>MTIME_NS<TAB>SIZE<TAB>PATH` in path order (a path holding a
    /// line break is written as a JSON string). None when there is no
    /// readable header.
    fn read(state_dir: &Path) -> Option<StoredManifest> {
        let path = state_dir.join(MANIFEST);
        let mut text = fs::read_to_string(&path).ok()?;
        let stamp = fs::metadata(&path)
            .ok()
            .map(|m| (m.len(), m.modified().ok()));
        let header_end = text.find('\n').unwrap_or(text.len());
        let header = Header::parse(&text[..header_end])?;
        text.drain(..(header_end + 1).min(text.len()));
        Some(StoredManifest {
            stamp,
            header,
            lines: text,
        })
    }

    /// The file lines in stored order; None for a line that does not parse.
    fn lines(&self) -> impl Iterator<Item = Option<Line<'_>>> {
        self.lines.lines().map(|line| {
            let mut fields = line.splitn(4, '\t');
            let blob = fields.next()?;
            let mtime_ns = fields.next()?.parse().ok()?;
            let size = fields.next()?.parse().ok()?;
            let path = fields.next()?;
            let path = if path.starts_with('"') {
                std::borrow::Cow::Owned(serde_json::from_str(path).ok()?)
            } else {
                std::borrow::Cow::Borrowed(path)
            };
            Some(Line {
                path,
                blob,
                mtime_ns,
                size,
            })
        })
    }

    /// Every file's state, for an update to change; None when a line does not parse.
    fn files(&self) -> Option<HashMap<String, FileState>> {
        self.lines()
            .map(|line| {
                line.map(|l| {
                    let state = FileState {
                        blob: l.blob.to_string(),
                        mtime_ns: l.mtime_ns,
                        size: l.size,
                    };
                    (l.path.into_owned(), state)
                })
            })
            .collect()
    }
}

impl Manifest {
    /// Writes to a temporary file and renames it, so the manifest is whole or old.
    fn save(&self, state_dir: &Path) -> Result<(), Error> {
        use std::fmt::Write as _;
        let mut text = format!(
            "{MANIFEST} {} {}\n",
            self.header.version, self.header.fingerprint
        );
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

#[cfg(test)]
mod tests {
    use super::blob_id;

    #[test]
    fn blob_ids_are_the_ones_git_gives() {
        // `printf '' | git hash-object --stdin` and `echo hello | git hash-object --stdin`.
        assert_eq!(blob_id(b""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }
}
