//! `mkn index --watch`: a watcher keeps the index current, and queries that
//! ask it still see every edit made before them.

use std::fs;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command as Process, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::harness::Kb;
use crate::search::{edit_in_zeppelins, ids, search_corpus};

/// A running `mkn index --watch`, killed when dropped, and the lines it writes.
struct Watcher {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watcher {
    /// Starts a watcher and waits until it watches; returns it and the line saying so.
    fn start(kb: &Kb) -> (Watcher, String) {
        Watcher::start_with(kb, &[])
    }

    /// [`Watcher::start`], with more arguments to `mkn index --watch`.
    fn start_with(kb: &Kb, more: &[&str]) -> (Watcher, String) {
        let mut child = Process::new(assert_cmd::cargo::cargo_bin("mkn"))
            .args(["index", "--watch"])
            .args(more)
            .current_dir(kb.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut watcher = Watcher {
            child,
            lines,
            seen: Vec::new(),
        };
        let line = watcher.wait_for("watching ");
        (watcher, line)
    }

    /// Waits for a line starting with `start` that no earlier call returned.
    fn wait_for(&mut self, start: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(at) = self.seen.iter().position(|l| l.starts_with(start)) {
                return self.seen.remove(at);
            }
            let left = deadline
                .checked_duration_since(Instant::now())
                .unwrap_or_else(|| panic!("the watcher never wrote `{start}…`: {:?}", self.seen));
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("the watcher never wrote `{start}…`: {:?}", self.seen),
            }
        }
    }

    /// Waits for the watcher to exit by itself; returns how it said goodbye.
    fn wait_for_exit(&mut self) -> String {
        let line = self.wait_for("stopped watching: ");
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                Instant::now() < deadline,
                "the watcher said {line:?} but runs on"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(self.child.wait().unwrap().success());
        line
    }

    /// Waits until the watcher's updates add up to `count` documents indexed or removed.
    fn wait_for_updates(&mut self, count: usize) {
        let mut done = 0;
        while done < count {
            let line = self.wait_for("indexed ");
            let words: Vec<&str> = line.split(' ').collect();
            done += words[1].parse::<usize>().unwrap() + words[4].parse::<usize>().unwrap();
        }
        assert_eq!(done, count, "{:?}", self.seen);
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `mkn index` finds the index current: someone else did the indexing.
fn assert_nothing_left_to_index(kb: &Kb) {
    let indexed = kb.mkn(["index"]);
    assert!(
        indexed
            .stdout
            .starts_with("indexed 0 and removed 0 documents"),
        "{indexed}"
    );
}

#[test]
fn a_watcher_keeps_queries_current_and_a_second_one_is_refused() {
    let kb = search_corpus();
    let (mut watcher, line) = Watcher::start(&kb);
    assert_eq!(
        line,
        "watching infobase/, practices/ for changes; the index holds 9 documents (Ctrl-C or `mkn index --stop` stops it)"
    );

    // Edits, a new file and a deleted one, searched for at once: the query
    // waits for the watcher to catch up.
    edit_in_zeppelins(&kb);
    kb.write(
        "practices/roads/guelph-new.md",
        "---\nid: guelph-new\ntitle: Crack sealing\n---\nCrack sealing zeppelins.\n",
    );
    fs::remove_file(kb.path("practices/solid-waste/waterloo-region-green-bin.md")).unwrap();
    let run = kb.mkn(["search", "zeppelins", "--format", "json", "--sort", "title"]);
    assert_eq!(ids(&run), ["guelph-new", "hamilton-pothole-blitz"], "{run}");
    assert_eq!(run.stderr, "", "{run}");
    assert_eq!(
        ids(&kb.mkn(["search", "organics", "--format", "json"])),
        Vec::<String>::new()
    );
    // The watcher did the indexing, not the query.
    watcher.wait_for_updates(3);
    assert_nothing_left_to_index(&kb);

    let second = kb.mkn(["index", "--watch"]);
    assert_eq!(second.code, 2, "{second}");
    assert!(
        second.stderr.contains("already keeping this index current"),
        "{second}"
    );
}

#[test]
fn after_the_watcher_dies_queries_check_the_files_themselves() {
    let kb = search_corpus();
    drop(Watcher::start(&kb));
    edit_in_zeppelins(&kb);
    let started = Instant::now();
    let run = kb.mkn(["search", "zeppelins", "--format", "json"]);
    assert_eq!(ids(&run), ["hamilton-pothole-blitz"], "{run}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a dead watcher is not waited for"
    );
}

#[test]
fn a_settings_change_is_read_again() {
    let kb = search_corpus();
    let (mut watcher, _) = Watcher::start(&kb);
    let config = fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write("mkn.toml", format!("{config}\n# edited\n"));
    watcher.wait_for("the settings changed; reading them again");
    let line = watcher.wait_for("watching ");
    assert!(line.contains("the index holds 9"), "{line}");
    assert_eq!(
        ids(&kb.mkn(["search", "brine", "--format", "json"])),
        ["guelph-brine-anti-icing"]
    );
}

/// The search fixture, set to start a watcher whatever its size.
fn always_watched_corpus() -> Kb {
    let kb = search_corpus();
    let config = fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write(
        "mkn.toml",
        format!("{config}\n[index]\nwatch = \"always\"\n"),
    );
    kb
}

#[test]
fn a_query_starts_a_watcher_when_the_settings_want_one_and_later_queries_use_it() {
    let kb = always_watched_corpus();
    let first = kb.mkn(["search", "brine", "--format", "json"]);
    assert_eq!(ids(&first), ["guelph-brine-anti-icing"], "{first}");
    assert!(
        first
            .stderr
            .contains("started a watcher that keeps the index current"),
        "{first}"
    );

    // The next query asks the watcher, which indexes the edit itself (in
    // its first look at the files, or when it hears of the edit).
    edit_in_zeppelins(&kb);
    let second = kb.mkn(["search", "zeppelins", "--format", "json"]);
    assert_eq!(ids(&second), ["hamilton-pothole-blitz"], "{second}");
    assert!(!second.stderr.contains("started a watcher"), "{second}");
    let log = fs::read_to_string(kb.path(".mkn/watch.log")).unwrap();
    assert!(log.starts_with("watching "), "the watcher's log: {log}");
    assert_nothing_left_to_index(&kb);

    let stop = kb.mkn(["index", "--stop"]);
    assert_eq!(
        (stop.code, stop.stderr.as_str()),
        (0, "stopped the watcher\n"),
        "{stop}"
    );
    let log = fs::read_to_string(kb.path(".mkn/watch.log")).unwrap();
    assert!(log.ends_with("stopped watching: asked to stop\n"), "{log}");
    let again = kb.mkn(["index", "--stop"]);
    assert_eq!(again.stderr, "no watcher runs for this corpus\n", "{again}");
}

#[test]
fn small_corpora_and_mkn_watch_never_start_no_watcher() {
    let kb = search_corpus();
    let small = kb.mkn(["search", "brine", "--format", "json"]);
    assert_eq!(
        small.stderr, "building the search index (9 documents)\n",
        "{small}"
    );

    let kb = always_watched_corpus();
    let never = kb.mkn_env(
        ["search", "brine", "--format", "json"],
        &[("MKN_WATCH", "never")],
    );
    assert_eq!(ids(&never), ["guelph-brine-anti-icing"], "{never}");
    assert_eq!(
        never.stderr, "building the search index (9 documents)\n",
        "{never}"
    );
    let stop = kb.mkn(["index", "--stop"]);
    assert_eq!(stop.stderr, "no watcher runs for this corpus\n", "{stop}");

    let bad = kb.mkn_env(["search", "brine"], &[("MKN_WATCH", "sometimes")]);
    assert_eq!(bad.code, 2, "{bad}");
    assert!(
        bad.stderr
            .contains("MKN_WATCH is `sometimes`; it takes auto, always or never"),
        "{bad}"
    );
}

#[test]
fn a_watcher_stops_by_itself_when_idle_or_when_its_corpus_is_deleted() {
    let kb = search_corpus();
    let (mut idle, _) = Watcher::start_with(&kb, &["--idle-timeout", "1"]);
    assert_eq!(
        idle.wait_for_exit(),
        "stopped watching: no query and no edit for 1 s"
    );

    let (mut orphan, _) = Watcher::start(&kb);
    for entry in fs::read_dir(kb.root()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fs::remove_dir_all(path).unwrap();
        } else {
            fs::remove_file(path).unwrap();
        }
    }
    assert_eq!(
        orphan.wait_for_exit(),
        "stopped watching: the corpus is gone"
    );
}

#[test]
fn a_watcher_that_cannot_start_is_reported_once_and_not_retried_by_every_query() {
    let kb = always_watched_corpus();
    // The watcher needs the folder `.mkn/watch/` for its cookies.
    kb.write(".mkn/watch", "not a folder");
    let first = kb.mkn(["search", "brine", "--format", "json"]);
    assert_eq!(ids(&first), ["guelph-brine-anti-icing"], "{first}");
    assert!(
        first
            .stderr
            .contains("warning: could not start a watcher (mkn index --watch exited"),
        "{first}"
    );
    assert!(
        first.stderr.contains(".mkn/watch"),
        "the reason names the path: {first}"
    );
    let second = kb.mkn(["search", "brine", "--format", "json"]);
    assert_eq!(ids(&second), ["guelph-brine-anti-icing"], "{second}");
    assert!(!second.stderr.contains("watcher"), "{second}");
}
