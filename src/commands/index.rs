//! `mkn index`: bring the index up to date (or rebuild it), keep it current
//! with a watcher (`--watch`, `--stop`), and the watcher a query starts in
//! the background on a large corpus. Queries (`commands::search`) use this
//! module; it uses none of theirs.

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::config::AutoWatch;
use crate::corpus::{Corpus, display_path};
use crate::error::{Error, ExitStatus};
use crate::index::watch::WatchEvent;
use crate::index::{self, Freshness, UpdateStats};
use crate::output::TerminalProgress;

/// Starts a watcher in the background when the settings want one for a
/// corpus this size, none runs, and none failed lately; says so on standard
/// error.
pub(crate) fn start_if_wanted(corpus: &Corpus, stats: &UpdateStats) -> Result<(), Error> {
    let policy = AutoWatch::in_force(corpus.config.index.watch)?;
    let state_dir = corpus.root.join(crate::state::STATE_DIR);
    if policy.wants_watcher(stats.total)
        && !index::watch::running(&state_dir)
        && !index::watch::failed_within(&state_dir, BACKGROUND_IDLE)
    {
        match start(corpus, &state_dir) {
            Ok(()) => eprintln!(
                "started a watcher that keeps the index current, so later queries skip \
                 checking the files (it stops after {} min without queries; \
                 `mkn index --stop` stops it now)",
                BACKGROUND_IDLE.as_secs() / 60
            ),
            // Queries still work without one: they check the files
            // themselves. The failure is remembered, so that the next
            // queries do not try again at once.
            Err(e) => {
                index::watch::record_failure(&state_dir, &e);
                eprintln!(
                    "warning: could not start a watcher ({e}); queries check the files \
                     themselves, and the next try is in {} min",
                    BACKGROUND_IDLE.as_secs() / 60
                );
            }
        }
    }
    Ok(())
}

/// How long a watcher a query started waits for queries or edits before it
/// stops.
const BACKGROUND_IDLE: Duration = Duration::from_secs(60 * 60);

/// The watcher's log is started afresh once it grows past this.
const WATCH_LOG_LIMIT: u64 = 1 << 20;

/// Runs `mkn index --watch` in the background, detached from this terminal,
/// writing to `.mkn/watch.log`, and waits a moment for it to take its lock so
/// the next query finds it. Fails when it exits first (its last line is the
/// reason).
fn start(corpus: &Corpus, state_dir: &Path) -> Result<(), String> {
    let log_path = state_dir.join(index::watch::WATCH_LOG);
    let fresh = fs::metadata(&log_path).is_ok_and(|m| m.len() > WATCH_LOG_LIMIT);
    let log = fs::OpenOptions::new()
        .create(true)
        .append(!fresh)
        .write(true)
        .truncate(fresh)
        .open(&log_path)
        .map_err(|e| format!("{}: {e}", log_path.display()))?;
    let exe = std::env::current_exe().map_err(|e| format!("where is mkn? {e}"))?;
    let mut command = Command::new(exe);
    command
        .arg("--corpus")
        .arg(&corpus.root)
        .args(["--color", "never", "index", "--watch", "--idle-timeout"])
        .arg(BACKGROUND_IDLE.as_secs().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    detach(&mut command);
    let mut child = command.spawn().map_err(|e| e.to_string())?;
    let started = Instant::now();
    while !index::watch::running(state_dir) && started.elapsed() < Duration::from_secs(1) {
        if let Ok(Some(status)) = child.try_wait() {
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            let reason = log
                .lines()
                .last()
                .unwrap_or_default()
                .trim_start_matches("error: ");
            return Err(format!("mkn index --watch exited ({status}): {reason}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

/// Puts the watcher in a process group of its own, so Ctrl-C in the
/// terminal that started it does not stop it.
#[cfg(unix)]
fn detach(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

/// Starts the watcher without a console window of its own.
#[cfg(windows)]
fn detach(command: &mut Command) {
    use std::os::windows::process::CommandExt;
    const DETACHED_PROCESS: u32 = 0x0000_0008;
    command.creation_flags(DETACHED_PROCESS);
}

/// `mkn index --stop`: stops the watcher, if one runs.
pub fn stop(corpus: &Corpus) -> Result<ExitStatus, Error> {
    let stopped = index::watch::stop(&corpus.root.join(crate::state::STATE_DIR))?;
    eprintln!(
        "{}",
        if stopped {
            "stopped the watcher"
        } else {
            "no watcher runs for this corpus"
        }
    );
    Ok(ExitStatus::Success)
}

/// `mkn index --watch`: keeps the index current, telling standard error what it does.
pub fn watch(corpus: &Corpus, idle: Option<Duration>) -> Result<ExitStatus, Error> {
    index::watch::watch(&corpus.root, idle, &mut |event| match event {
        WatchEvent::Watching { total, folders } => {
            let folders: Vec<String> = folders
                .iter()
                .map(|f| format!("{}/", display_path(f)))
                .collect();
            eprintln!(
                "watching {} for changes; the index holds {total} documents (Ctrl-C or `mkn index --stop` stops it)",
                folders.join(", ")
            );
        }
        WatchEvent::Updated(stats, took) => {
            eprintln!("{}", update_summary(stats, took))
        }
        WatchEvent::Reloaded => eprintln!("the settings changed; reading them again"),
        WatchEvent::Trouble(message) => eprintln!("warning: {message}"),
        WatchEvent::Stopped(reason) => eprintln!("stopped watching: {reason}"),
    })?;
    Ok(ExitStatus::Success)
}

/// `mkn index [--rebuild]`.
pub fn update(corpus: &Corpus, rebuild: bool) -> Result<ExitStatus, Error> {
    let started = Instant::now();
    let freshness = if rebuild {
        Freshness::Rebuild
    } else {
        Freshness::Update
    };
    let (_, stats) = index::open(corpus, freshness, &TerminalProgress::new())?;
    tell_rebuilt(&stats);
    writeln!(
        io::stdout(),
        "{}",
        update_summary(&stats, started.elapsed())
    )?;
    Ok(ExitStatus::Success)
}

/// What an index update did, in one line (`mkn index` and the watcher).
pub(crate) fn update_summary(stats: &UpdateStats, took: std::time::Duration) -> String {
    format!(
        "indexed {} and removed {} documents in {} ms; the index holds {}",
        stats.indexed,
        stats.removed,
        took.as_millis(),
        stats.total
    )
}

/// Tells standard error why the index was rebuilt, if it was.
pub(crate) fn tell_rebuilt(stats: &UpdateStats) {
    if let Some(reason) = &stats.rebuilt {
        eprintln!("{reason} ({} documents)", stats.total);
    }
}
