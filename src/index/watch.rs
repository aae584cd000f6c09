//! Keeping the index current as files change (`mkn index --watch`).
//!
//! Without a watcher, every query stats every file of the corpus to find
//! edits, which grows with the corpus. A watcher process holds
//! `.mkn/watch.lock`, listens for file events, and re-indexes what changed.
//! A query that finds the lock held asks the watcher to catch up instead: it
//! creates a cookie file in `.mkn/watch/`, and the watcher deletes the cookie
//! once it has applied every event that came before it (events arrive in
//! order, so the cookie's own event comes after them). A query that gets no
//! answer in time checks the files itself, so a stuck or killed watcher costs
//! time, never a stale answer.
//!
//! A file named `stop` in the same folder asks the watcher to stop
//! (`mkn index --stop`), and a watcher given an idle time stops by itself when
//! no query and no edit came for that long.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use notify::{Event, EventKind, EventKindMask, RecursiveMode, Watcher};

use super::{Freshness, Silent, UpdateStats};
use crate::corpus::Corpus;
use crate::error::Error;
use crate::state::STATE_DIR;

/// The lock a watcher holds while it runs, in `.mkn/`.
const WATCH_LOCK: &str = "watch.lock";
/// The folder in `.mkn/` where queries leave cookies.
const COOKIES: &str = "watch";
/// How a cookie's name starts.
const COOKIE_PREFIX: &str = "cookie-";
/// The file in the cookie folder that asks the watcher to stop.
const STOP: &str = "stop";
/// How long a query waits for the watcher before checking the files itself.
const ANSWER_WAIT: Duration = Duration::from_secs(2);
/// Quiet time after an edit before the watcher re-indexes (an editor's save
/// is often several events).
const SETTLE: Duration = Duration::from_millis(50);
/// Wait before trying again after an update failed.
const RETRY: Duration = Duration::from_secs(1);
/// Why a watcher stops when `mkn index --stop` asks.
const ASKED_TO_STOP: &str = "asked to stop";
/// How long `mkn index --stop` waits for the watcher to go.
const STOP_WAIT: Duration = Duration::from_secs(10);
/// Where a watcher started in the background writes what it would tell a
/// terminal, in `.mkn/`.
pub const WATCH_LOG: &str = "watch.log";
/// In `.mkn/`: why the last watcher failed, so queries do not start one
/// after another that fails the same way.
const WATCH_FAILED: &str = "watch.failed";

/// Notes in the index in `state_dir` that a watcher failed, and why.
pub fn record_failure(state_dir: &Path, reason: &str) {
    let _ = fs::write(state_dir.join(WATCH_FAILED), format!("{reason}\n"));
}

/// True when a watcher of the index in `state_dir` failed less than `age` ago.
pub fn failed_within(state_dir: &Path, age: Duration) -> bool {
    fs::metadata(state_dir.join(WATCH_FAILED))
        .and_then(|m| m.modified())
        .is_ok_and(|when| when.elapsed().is_ok_and(|elapsed| elapsed < age))
}

/// True when a watcher holds the lock of the index in `state_dir`.
pub fn running(state_dir: &Path) -> bool {
    let Ok(lock) = fs::File::open(state_dir.join(WATCH_LOCK)) else {
        return false;
    };
    // A lock nobody holds, or one that cannot be taken at all: no watcher.
    matches!(lock.try_lock_shared(), Err(fs::TryLockError::WouldBlock))
}

/// True when a watcher runs for this index and has caught up with every
/// change made before this call; false when there is none or it did not
/// answer in time (the caller then checks the files itself).
pub(crate) fn caught_up(state_dir: &Path) -> bool {
    if !running(state_dir) {
        return false;
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let cookie = state_dir
        .join(COOKIES)
        .join(format!("{COOKIE_PREFIX}{}-{nanos}", std::process::id()));
    if fs::File::create(&cookie).is_err() {
        return false;
    }
    let started = Instant::now();
    let mut pause = Duration::from_micros(20);
    while started.elapsed() < ANSWER_WAIT {
        if let Err(e) = fs::symlink_metadata(&cookie)
            && e.kind() == io::ErrorKind::NotFound
        {
            return true;
        }
        sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(2));
    }
    let _ = fs::remove_file(&cookie);
    false
}

/// Asks the watcher of the index in `state_dir` to stop, and waits until it
/// has. False when no watcher runs.
pub fn stop(state_dir: &Path) -> Result<bool, Error> {
    if !running(state_dir) {
        return Ok(false);
    }
    let request = state_dir.join(COOKIES).join(STOP);
    fs::write(&request, "").map_err(|e| Error::io(&request, e))?;
    let started = Instant::now();
    while started.elapsed() < STOP_WAIT {
        if !running(state_dir) {
            return Ok(true);
        }
        sleep(Duration::from_millis(10));
    }
    let _ = fs::remove_file(&request);
    Err(Error::Usage(format!(
        "the watcher did not stop within {} s; its log is {}",
        STOP_WAIT.as_secs(),
        state_dir.join(WATCH_LOG).display()
    )))
}

/// What the watcher tells its user.
pub enum WatchEvent<'a> {
    /// Watching starts: the index is current and holds this many documents.
    Watching {
        /// Documents in the index.
        total: usize,
        /// The folders watched, relative to the root.
        folders: Vec<PathBuf>,
    },
    /// The index was brought up to date after changes.
    Updated(&'a UpdateStats, Duration),
    /// The settings or a vocabulary changed; they are read again.
    Reloaded,
    /// Something went wrong; the watcher goes on, and queries check the
    /// files themselves until it recovers.
    Trouble(String),
    /// The watcher stops, for this reason.
    Stopped(String),
}

/// Watches the corpus at `root` and keeps its index current until the
/// process is stopped, [`stop`] asks, the corpus is deleted, or (with `idle`)
/// no query and no edit came for that long. Fails at once when another
/// watcher runs.
pub fn watch(
    root: &Path,
    idle: Option<Duration>,
    tell: &mut dyn FnMut(WatchEvent),
) -> Result<(), Error> {
    // Event paths come back in the form the watched folders were given.
    let root = &root.canonicalize().map_err(|e| Error::io(root, e))?;
    let state_dir = root.join(STATE_DIR);
    let cookies = state_dir.join(COOKIES);
    fs::create_dir_all(&cookies).map_err(|e| Error::io(&cookies, e))?;
    let _lock = hold_watch_lock(&state_dir)?;
    clear_cookies(&cookies);
    let watching = keep_current(root, idle, tell);
    if let Err(e) = &watching {
        record_failure(&state_dir, &e.to_string());
    }
    watching
}

/// The work of [`watch`], once this watcher holds the lock.
fn keep_current(
    root: &Path,
    idle: Option<Duration>,
    tell: &mut dyn FnMut(WatchEvent),
) -> Result<(), Error> {
    let cookies = root.join(STATE_DIR).join(COOKIES);
    let mut activity = Activity::new(idle);
    loop {
        let corpus = match Corpus::open(root) {
            Ok(corpus) => corpus,
            Err(_) if !root.join(crate::config::CONFIG_FILE).exists() => {
                tell(WatchEvent::Stopped("the corpus is gone".into()));
                return Ok(());
            }
            Err(_) if activity.idle_too_long() => {
                tell(WatchEvent::Stopped(activity.idle_reason()));
                return Ok(());
            }
            Err(e) => {
                // Likely half-saved: try again shortly.
                tell(WatchEvent::Trouble(format!(
                    "{e}; reading the settings again in 1 s"
                )));
                sleep(RETRY);
                continue;
            }
        };
        let (sender, events) = channel();
        // Without opens and closes: reading every file (as `rg` does) would
        // otherwise wake the watcher once per file and slow the reader.
        let config = notify::Config::default().with_event_kinds(EventKindMask::CORE);
        let mut watcher = notify::RecommendedWatcher::new(sender, config).map_err(notify_error)?;
        let watched = Watched::new(&corpus);
        watcher
            .watch(&corpus.root, RecursiveMode::NonRecursive)
            .map_err(notify_error)?;
        watcher
            .watch(&cookies, RecursiveMode::NonRecursive)
            .map_err(notify_error)?;
        let mut folders = Vec::new();
        for folder in &watched.folders {
            if watch_folder(&mut watcher, &corpus.root, folder).map_err(Error::Usage)? {
                folders.push(folder.clone());
            }
        }
        for dir in &watched.setting_dirs {
            let _ = watcher.watch(&corpus.root.join(dir), RecursiveMode::NonRecursive);
        }
        // Brought up to date only once the watches are in place, so an edit
        // made meanwhile is either seen here or heard about later.
        let (_, stats) = super::open(&corpus, Freshness::Scan, &Silent)?;
        let _ = fs::remove_file(root.join(STATE_DIR).join(WATCH_FAILED));
        tell(WatchEvent::Watching {
            total: stats.total,
            folders,
        });
        // A stop asked for while the watches were being set up has no event.
        let outcome = if cookies.join(STOP).exists() {
            Restart::Stop(ASKED_TO_STOP.into())
        } else {
            serve(
                &corpus,
                &watched,
                &mut watcher,
                &events,
                &mut activity,
                tell,
            )
        };
        match outcome {
            Restart::Settings => tell(WatchEvent::Reloaded),
            Restart::Events => {}
            Restart::Stop(reason) => {
                let _ = fs::remove_file(cookies.join(STOP));
                tell(WatchEvent::Stopped(reason));
                return Ok(());
            }
        }
    }
}

/// When the watcher last heard of a query or an edit, and how long it may
/// stay idle.
struct Activity {
    last: Instant,
    idle: Option<Duration>,
}

impl Activity {
    fn new(idle: Option<Duration>) -> Activity {
        Activity {
            last: Instant::now(),
            idle,
        }
    }

    /// Something happened just now.
    fn seen(&mut self) {
        self.last = Instant::now();
    }

    /// How long until the watcher has been idle too long, if it may be.
    fn left(&self) -> Option<Duration> {
        self.idle
            .map(|idle| idle.saturating_sub(self.last.elapsed()))
    }

    fn idle_too_long(&self) -> bool {
        self.left().is_some_and(|left| left.is_zero())
    }

    fn idle_reason(&self) -> String {
        let seconds = self.idle.map_or(0, |d| d.as_secs());
        format!("no query and no edit for {seconds} s")
    }
}

/// What the watcher listens to, relative to the root.
struct Watched {
    /// The collections' folders, watched with everything under them.
    folders: Vec<PathBuf>,
    /// `mkn.toml` and the vocabulary files: a change means reading them again.
    settings: Vec<PathBuf>,
    /// Folders holding settings files, other than the root.
    setting_dirs: Vec<PathBuf>,
}

impl Watched {
    fn new(corpus: &Corpus) -> Watched {
        let settings = super::settings_files(corpus);
        let mut setting_dirs: Vec<PathBuf> = settings
            .iter()
            .filter_map(|p| p.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .collect();
        setting_dirs.sort();
        setting_dirs.dedup();
        Watched {
            folders: corpus
                .config
                .collections()
                .map(|c| c.path.clone())
                .collect(),
            settings,
            setting_dirs,
        }
    }

    /// What an event on `path` (absolute) means.
    fn classify(&self, root: &Path, cookies: &Path, path: &Path) -> Meaning {
        if path.parent() == Some(cookies) {
            return match path.file_name().map(|n| n.to_string_lossy()) {
                Some(name) if name.starts_with(COOKIE_PREFIX) => Meaning::Cookie,
                Some(name) if name == STOP => Meaning::Stop,
                _ => Meaning::Nothing,
            };
        }
        let Ok(rel) = path.strip_prefix(root) else {
            return Meaning::Nothing;
        };
        if self.settings.iter().any(|s| s == rel) {
            return Meaning::Settings;
        }
        let hidden = rel.components().any(|c| match c {
            Component::Normal(name) => name.to_string_lossy().starts_with('.'),
            _ => false,
        });
        if hidden {
            return Meaning::Nothing;
        }
        match self.folders.iter().find(|f| rel.starts_with(f)) {
            Some(folder) if rel == folder => Meaning::Folder(folder.clone()),
            Some(_) => Meaning::Document,
            None => Meaning::Nothing,
        }
    }
}

/// What one event path means to the watcher.
enum Meaning {
    /// A query asks the watcher to catch up.
    Cookie,
    /// A document (or a folder inside a collection) changed.
    Document,
    /// A collection's folder itself appeared, went or moved.
    Folder(PathBuf),
    /// The settings or a vocabulary changed.
    Settings,
    /// `mkn index --stop` asks the watcher to stop.
    Stop,
    /// Nothing the index depends on.
    Nothing,
}

/// Why [`serve`] returned.
enum Restart {
    /// The settings changed and then stayed unchanged for a moment.
    Settings,
    /// The file events stopped coming.
    Events,
    /// The watcher should stop, for this reason.
    Stop(String),
}

/// Handles events until the settings change or the events stop.
fn serve(
    corpus: &Corpus,
    watched: &Watched,
    watcher: &mut notify::RecommendedWatcher,
    events: &Receiver<notify::Result<Event>>,
    activity: &mut Activity,
    tell: &mut dyn FnMut(WatchEvent),
) -> Restart {
    let cookies_dir = corpus.root.join(STATE_DIR).join(COOKIES);
    // Cookies left before the watches were in place have no event: they are
    // answered after a first update, which sees every change made before them.
    let mut cookies = left_cookies(&cookies_dir);
    let mut dirty = !cookies.is_empty();
    let mut settings_changed = false;
    let mut wait = SETTLE;
    loop {
        let busy = dirty || settings_changed;
        let received = match activity.left() {
            _ if busy => events.recv_timeout(wait),
            Some(left) => events.recv_timeout(left),
            None => events.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let timed_out = matches!(received, Err(RecvTimeoutError::Timeout));
        if timed_out && !busy && activity.idle_too_long() {
            return Restart::Stop(activity.idle_reason());
        }
        let settled = timed_out;
        match received {
            Ok(Ok(event)) => {
                if event.need_rescan() {
                    dirty = true;
                }
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                for path in &event.paths {
                    match watched.classify(&corpus.root, &cookies_dir, path) {
                        Meaning::Cookie if !matches!(event.kind, EventKind::Remove(_)) => {
                            activity.seen();
                            cookies.push(path.clone());
                        }
                        Meaning::Stop if !matches!(event.kind, EventKind::Remove(_)) => {
                            return Restart::Stop(ASKED_TO_STOP.into());
                        }
                        Meaning::Document => {
                            activity.seen();
                            dirty = true;
                        }
                        Meaning::Folder(folder) => {
                            dirty = true;
                            if path.is_dir()
                                && let Err(e) = watch_folder(watcher, &corpus.root, &folder)
                            {
                                return Restart::Stop(e);
                            }
                        }
                        Meaning::Settings => settings_changed = true,
                        Meaning::Cookie | Meaning::Stop | Meaning::Nothing => {}
                    }
                }
            }
            Ok(Err(e)) => {
                tell(WatchEvent::Trouble(format!("file events: {e}")));
                dirty = true;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                tell(WatchEvent::Trouble(
                    "file events stopped; watching again".into(),
                ));
                return Restart::Events;
            }
        }
        if settings_changed && settled {
            return Restart::Settings;
        }
        if dirty && (settled || !cookies.is_empty()) {
            let started = Instant::now();
            match super::open(corpus, Freshness::Scan, &Silent) {
                Ok((_, stats)) => {
                    dirty = false;
                    wait = SETTLE;
                    if stats.indexed + stats.removed > 0 || stats.rebuilt.is_some() {
                        tell(WatchEvent::Updated(&stats, started.elapsed()));
                    }
                }
                Err(e) => {
                    // Cookies wait for an update that works; a query that
                    // gives up first checks the files itself.
                    tell(WatchEvent::Trouble(e.to_string()));
                    wait = RETRY;
                    continue;
                }
            }
        }
        for cookie in cookies.drain(..) {
            let _ = fs::remove_file(cookie);
        }
    }
}

/// Watches a collection's folder and everything under it; false when it
/// does not exist. A folder that cannot be watched (too many folders for the
/// system's limit on watches, say) is an error: the watcher must not vouch
/// for files it would not hear about.
fn watch_folder(
    watcher: &mut notify::RecommendedWatcher,
    root: &Path,
    folder: &Path,
) -> Result<bool, String> {
    let path = root.join(folder);
    if !path.is_dir() {
        return Ok(false);
    }
    watcher
        .watch(&path, RecursiveMode::Recursive)
        .map(|()| true)
        .map_err(|e| format!("cannot watch {}: {e}", folder.display()))
}

/// Takes `.mkn/watch.lock`, or says another watcher has it.
fn hold_watch_lock(state_dir: &Path) -> Result<fs::File, Error> {
    let path = state_dir.join(WATCH_LOCK);
    let file = super::lock_file(&path)?;
    // A query holds the lock shared for an instant while it looks; a few
    // tries tell that apart from another watcher.
    for _ in 0..20 {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) => sleep(Duration::from_millis(10)),
            Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
    }
    Err(Error::Usage(
        "another `mkn index --watch` is already keeping this index current".into(),
    ))
}

/// The cookies in `dir` now.
fn left_cookies(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with(COOKIE_PREFIX)
        })
        .map(|entry| entry.path())
        .collect()
}

/// Removes cookies left by queries that gave up waiting, and a stop request
/// meant for an earlier watcher.
fn clear_cookies(dir: &Path) {
    for cookie in left_cookies(dir) {
        let _ = fs::remove_file(cookie);
    }
    let _ = fs::remove_file(dir.join(STOP));
}

fn notify_error(e: notify::Error) -> Error {
    Error::Usage(format!("cannot watch the corpus for changes: {e}"))
}
