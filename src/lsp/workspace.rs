//! The corpora the open documents belong to: each is opened once, and again
//! when its `mkn.toml`, a schema, a vocabulary or a reported-values file
//! changes on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::check::Prepared;
use crate::clock::Date;
use crate::config::{self, CONFIG_FILE};
use crate::corpus::Corpus;
use crate::error::Error;

/// One opened corpus, with what checking it reads once.
pub struct Workspace {
    /// The corpus.
    pub corpus: Corpus,
    /// Its compiled schemas and reported measure values.
    pub prepared: Prepared,
}

/// A document of some corpus: which corpus, and where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The corpus root (the folder holding `mkn.toml`).
    pub root: PathBuf,
    /// The document's path relative to the root.
    pub rel: PathBuf,
}

/// Why a corpus could not be opened, as a diagnostic shows it.
#[derive(Debug, Clone)]
pub struct LoadError {
    /// The rule code of a broken settings, schema or vocabulary file.
    pub code: Option<String>,
    /// What went wrong.
    pub message: String,
}

impl From<&Error> for LoadError {
    fn from(error: &Error) -> LoadError {
        LoadError {
            code: match error {
                Error::Invalid(d) => Some(d.code.clone()),
                _ => None,
            },
            message: error.to_string(),
        }
    }
}

/// The files a workspace was read from, with their size and modification
/// time when it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp(Vec<(PathBuf, Option<(u64, SystemTime)>)>);

impl Stamp {
    fn of(files: Vec<PathBuf>) -> Stamp {
        Stamp(
            files
                .into_iter()
                .map(|path| {
                    let seen = std::fs::metadata(&path)
                        .ok()
                        .and_then(|m| Some((m.len(), m.modified().ok()?)));
                    (path, seen)
                })
                .collect(),
        )
    }

    fn is_current(&self) -> bool {
        *self == Stamp::of(self.0.iter().map(|(p, _)| p.clone()).collect())
    }
}

struct Loaded {
    stamp: Stamp,
    workspace: Result<Workspace, LoadError>,
}

/// Every corpus an open document has led to, by root.
pub struct Workspaces {
    /// The one corpus to serve (`--corpus`), else each document's nearest.
    fixed_root: Option<PathBuf>,
    loaded: HashMap<PathBuf, Loaded>,
}

impl Workspaces {
    /// No corpus opened yet; with `fixed_root`, only that corpus is served.
    pub fn new(fixed_root: Option<PathBuf>) -> Workspaces {
        Workspaces {
            fixed_root,
            loaded: HashMap::new(),
        }
    }

    /// The corpus an absolute document path belongs to: the nearest folder
    /// above it holding `mkn.toml` (or the fixed root, when the path is in
    /// it). The document itself need not exist yet.
    pub fn locate(&self, path: &Path) -> Option<Located> {
        let (existing, rest) = existing_ancestor(path)?;
        let real = existing.canonicalize().ok()?.join(rest);
        let root = match &self.fixed_root {
            Some(root) => root.clone(),
            None => config::find_root(existing).ok()?,
        };
        let rel = real.strip_prefix(&root).ok()?.to_path_buf();
        Some(Located { root, rel })
    }

    /// The workspace of a corpus root, opened (again) if need be.
    pub fn get(&mut self, root: &Path) -> Result<&Workspace, LoadError> {
        let current = self.loaded.get(root).is_some_and(|l| l.stamp.is_current());
        if !current {
            let loaded = load(root);
            if let Err(e) = &loaded.workspace {
                eprintln!("mkn lsp: {}: {}", root.display(), e.message);
            }
            self.loaded.insert(root.to_path_buf(), loaded);
        }
        match &self.loaded[root].workspace {
            Ok(workspace) => Ok(workspace),
            Err(e) => Err(e.clone()),
        }
    }
}

/// Opens the corpus at `root`, noting the files it was read from.
fn load(root: &Path) -> Loaded {
    let mut files = vec![root.join(CONFIG_FILE)];
    let workspace = Corpus::open(root).and_then(|corpus| {
        let config = &corpus.config;
        files.extend(
            config
                .collections()
                .filter_map(|c| c.schema.clone())
                .map(|p| root.join(p)),
        );
        files.extend(config.vocabularies.files().map(|p| root.join(p)));
        let data = root.join(&config.data.measures);
        if let Ok(entries) = std::fs::read_dir(&data) {
            files.extend(entries.filter_map(|e| Some(e.ok()?.path())));
        }
        files.push(data);
        let prepared = Prepared::load(&corpus, Date::today().year)?;
        Ok(Workspace { corpus, prepared })
    });
    Loaded {
        stamp: Stamp::of(files),
        workspace: workspace.map_err(|e| LoadError::from(&e)),
    }
}

/// The nearest ancestor of `path` that exists, and the rest of the path below it.
fn existing_ancestor(path: &Path) -> Option<(&Path, PathBuf)> {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if at.exists() && at != path {
            break;
        }
        rest.push(at.file_name()?);
        at = at.parent()?;
    }
    Some((at, rest.iter().rev().collect()))
}

impl Workspace {
    /// The id and title of every document of a collection, as on disk.
    pub fn documents(&self, collection: &str) -> Vec<(String, Option<String>)> {
        let Ok((files, _)) = self.corpus.files() else {
            return Vec::new();
        };
        let mut documents: Vec<(String, Option<String>)> = files
            .par_iter()
            .filter(|f| f.collection == collection)
            .map(|file| {
                let doc = self.corpus.read(file);
                let title = doc
                    .front
                    .as_ref()
                    .and_then(|f| f.get("title"))
                    .and_then(|t| t.as_str())
                    .map(str::to_string);
                (doc.id, title)
            })
            .collect();
        documents.sort();
        documents
    }
}
