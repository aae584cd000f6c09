//! A hermetic corpus in a temporary git repository, and a way to run the real
//! `mkn` binary on it with a clean environment.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use git2::{IndexAddOption, Repository, Signature, Time};
use tempfile::TempDir;

/// A practice that passes every rule of the base fixture.
pub const VALID_PRACTICE: &str = "\
---
id: guelph-brine
title: Brine pre-wetting
kind: best
areas: [roads-winter-control]
municipalities: [guelph]
year: 2016
status: active
summary: Guelph pre-wets road salt with brine so that less of it bounces off the road.
tags: [salt]
evidence:
  - measure: winter-standard-met
    municipality: guelph
    baseline: {year: 2014, value: 85.0}
    result: {year: 2017, value: 97.0}
    source: 1
sources:
  - {title: \"Council report\", url: \"https://example.org/report.pdf\"}
---
## Challenge
Text.
## Approach
Text.
## Results
Text.
## Lessons learned
Text.
";

/// The repository folder.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A corpus in a temporary folder.
pub struct Kb {
    dir: TempDir,
}

/// What one run of `mkn` did.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output, with the corpus root replaced by `[ROOT]`.
    pub stdout: String,
    /// Standard error, likewise.
    pub stderr: String,
}

impl Kb {
    /// The base fixture: mkn.toml, the repository's schemas, small
    /// vocabularies, and the collections' folders, empty.
    pub fn new() -> Kb {
        let kb = Kb::empty();
        kb.copy_fixture("base");
        for folder in ["practices", "infobase"] {
            fs::create_dir_all(kb.path(folder)).unwrap();
        }
        for schema in ["practice.schema.json", "infobase.schema.json"] {
            fs::copy(
                repo_root().join("schema").join(schema),
                kb.path("schema").join(schema),
            )
            .unwrap();
        }
        kb
    }

    /// An empty folder.
    pub fn empty() -> Kb {
        Kb {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The corpus root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the corpus.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes a file, creating folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Kb {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    /// Copies `tests/fixtures/<name>/` into the corpus.
    pub fn copy_fixture(&self, name: &str) -> &Kb {
        copy_dir(&repo_root().join("tests/fixtures").join(name), self.root());
        self
    }

    /// `git init` (if needed) and commit everything, with a fixed author and time.
    pub fn commit(&self, message: &str) -> &Kb {
        let repo = Repository::open(self.root())
            .or_else(|_| Repository::init(self.root()))
            .unwrap();
        let mut index = repo.index().unwrap();
        index.add_all(["*"], IndexAddOption::DEFAULT, None).unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let who = Signature::new("Test", "test@example.org", &Time::new(1_700_000_000, 0)).unwrap();
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<_> = parent.iter().collect();
        repo.commit(Some("HEAD"), &who, &who, message, &tree, &parents)
            .unwrap();
        self
    }

    /// Runs `mkn` in the corpus root with a clean environment.
    pub fn mkn<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.mkn_env(args, &[])
    }

    /// Runs `mkn` with extra environment variables.
    pub fn mkn_env<I, S>(&self, args: I, env: &[(&str, &str)]) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::cargo_bin("mkn").unwrap();
        cmd.env_clear()
            .env("HOME", self.root())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .current_dir(self.root())
            .args(args);
        for (key, value) in env {
            cmd.env(key, value);
        }
        let output = cmd.output().unwrap();
        let root = self.root().canonicalize().unwrap();
        let redact = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes)
                .replace(&root.display().to_string(), "[ROOT]")
                .replace(&self.root().display().to_string(), "[ROOT]")
        };
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: redact(&output.stdout),
            stderr: redact(&output.stderr),
        }
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}
