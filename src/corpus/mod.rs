//! The corpus: its root and settings, its vocabularies, and its documents.
//!
//! Loading walks every collection, reads each file defensively (size, binary,
//! encoding, BOM), splits the front matter and reads it with spans. What goes
//! wrong on the way becomes a [`Diagnostic`] on the document, never a panic
//! and never a silently missing file.

pub mod frontmatter;
pub mod json_front;
pub mod links;
pub mod markdown;
pub mod quick_id;
pub mod suppress;
pub mod toml_front;
pub mod vocab;
pub mod yaml;

use std::fs;
use std::path::{Path, PathBuf};

use globset::{Candidate, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::config::{Collection, Config, FrontMatter};
use crate::diagnostic::Span;
use crate::diagnostic::{Diagnostic, line_span, span_at, suggestion};
use crate::error::Error;
use frontmatter::{Format, ReadError, ReadErrorKind, Split};
use vocab::Vocabularies;
use yaml::{Node, YamlErrorKind};

/// The codes of a file that cannot be read as a text document at all: it is
/// reported by `mkn check` and left out of the index, the exports and the site.
pub const UNREADABLE: &[&str] = &[
    "file/unreadable",
    "file/too-large",
    "file/empty",
    "file/binary",
    "file/encoding",
];

/// An opened corpus: root, settings and vocabularies.
#[derive(Debug)]
pub struct Corpus {
    /// The folder holding `mkn.toml`.
    pub root: PathBuf,
    /// The parsed `mkn.toml`.
    pub config: Config,
    /// The declared vocabularies, read on first use: a search that finds the
    /// index current never reads them.
    vocab: std::sync::OnceLock<Vocabularies>,
}

/// One file of a collection, read as far as it could be.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the corpus root.
    pub path: PathBuf,
    /// Name of the collection it belongs to.
    pub collection: String,
    /// Its id: the `id` key, else its path in the collection without `.md`.
    pub id: String,
    /// The front matter, when it could be read.
    pub front: Option<Node>,
    /// The markdown body (empty when the file could not be split).
    pub body: String,
    /// File line the body starts on.
    pub body_line: usize,
    /// Problems found while reading it.
    pub problems: Vec<Diagnostic>,
    /// Its suppression comments.
    pub suppressions: Vec<suppress::Suppression>,
}

impl Document {
    /// True when its file could not be read as text (one of [`UNREADABLE`]):
    /// there is nothing to index, export or publish.
    pub fn is_unreadable(&self) -> bool {
        self.front.is_none()
            && self.body.is_empty()
            && self
                .problems
                .iter()
                .any(|p| UNREADABLE.contains(&p.code.as_str()))
    }
}

/// A file of a collection, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Name of its collection.
    pub collection: String,
    /// Path relative to the corpus root.
    pub path: PathBuf,
    /// Its id from its path (the `id` key, once read, may override it).
    pub id: String,
    /// Size in bytes when listed.
    pub size: u64,
    /// Modification time when listed.
    pub modified: Option<std::time::SystemTime>,
}

impl SourceFile {
    /// A file the index knows by collection, path and id, not listed again.
    pub fn known(collection: &str, path: &str, id: &str) -> SourceFile {
        SourceFile {
            collection: collection.to_string(),
            path: PathBuf::from(path),
            id: id.to_string(),
            size: 0,
            modified: None,
        }
    }
}

impl Corpus {
    /// Opens the corpus whose root holds `mkn.toml`.
    pub fn open(root: &Path) -> Result<Corpus, Error> {
        let config = Config::load(root)?;
        Ok(Corpus {
            root: root.to_path_buf(),
            config,
            vocab: std::sync::OnceLock::new(),
        })
    }

    /// The vocabularies, read (and checked) the first time they are needed.
    pub fn vocab(&self) -> Result<&Vocabularies, Error> {
        if let Some(vocab) = self.vocab.get() {
            return Ok(vocab);
        }
        let loaded = Vocabularies::load(&self.root, &self.config.vocabularies)?;
        Ok(self.vocab.get_or_init(|| loaded))
    }

    /// The front-matter format a collection declares (`any` for a name that
    /// is not a collection).
    fn declared(&self, collection: &str) -> FrontMatter {
        self.config
            .collections
            .get(collection)
            .map_or(FrontMatter::Any, |c| c.front_matter)
    }

    /// The collection a path (relative to the root) falls in, if any.
    pub fn collection_for(&self, rel: &Path) -> Option<&Collection> {
        self.config.collections().find(|c| rel.starts_with(&c.path))
    }

    /// Lists the files of every collection without reading them, sorted by
    /// path, with the entries that cannot be documents as problems. Folders
    /// are read in parallel, and each file's size and modification time come
    /// from its directory entry, so listing 10,000 files costs milliseconds.
    pub fn files(&self) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), Error> {
        self.files_in(self.config.collections())
    }

    /// [`Corpus::files`], of these collections only.
    pub fn files_in<'a>(
        &self,
        collections: impl Iterator<Item = &'a Collection>,
    ) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), Error> {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for collection in collections {
            let (include, exclude) = globs(&self.config, collection)?;
            let dir = self.root.join(&collection.path);
            let Ok(canonical) = dir.canonicalize() else {
                continue;
            };
            if !canonical.is_dir() {
                continue;
            }
            let walk = Walk {
                collection,
                include: &include,
                exclude: &exclude,
            };
            let (found, trouble) = walk.visit(&dir, PathBuf::new(), vec![canonical]);
            files.extend(found);
            problems.extend(trouble);
        }
        files.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((files, problems))
    }

    /// Stops with an error at the `mkn.toml` line of a collection whose
    /// folder does not exist, or whose folder holds files none of which its
    /// globs take (`files` is what [`Corpus::files`] listed). A folder without
    /// any file is a collection without documents yet, not an error.
    pub fn verify_collections(&self, files: &[SourceFile]) -> Result<(), Error> {
        for collection in self.config.collections() {
            let name = collection.name.as_str();
            if files.iter().any(|f| f.collection == name) {
                continue;
            }
            let dir = self.root.join(&collection.path);
            if !dir.is_dir() {
                let parent = collection.path.parent().unwrap_or(Path::new(""));
                let siblings: Vec<String> = fs::read_dir(self.root.join(parent))
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter(|e| e.path().is_dir())
                    .map(|e| parent.join(e.file_name()).to_string_lossy().into_owned())
                    .collect();
                let hint = suggestion(
                    &collection.path.to_string_lossy(),
                    siblings.iter().map(String::as_str),
                );
                let mut error = self.config.invalid_at(
                    &["collections", name, "path"],
                    format!(
                        "collection `{name}`: the folder `{}` does not exist",
                        display_path(&collection.path)
                    ),
                );
                if let Error::Invalid(d) = &mut error {
                    d.hint = hint;
                }
                return Err(error);
            }
            let example = walkdir::WalkDir::new(&dir)
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
                .flatten()
                .find(|e| e.file_type().is_file());
            if let Some(example) = example {
                let inner = example.path().strip_prefix(&dir).unwrap_or(example.path());
                return Err(self.config.invalid_at(
                    &["collections", name, "include"],
                    format!(
                        "collection `{name}`: no file in `{}` matches its globs (include {:?}, exclude {:?}), not even `{}`",
                        display_path(&collection.path),
                        collection.include,
                        collection.exclude,
                        display_path(inner)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Reads and parses one file of a collection.
    pub fn read(&self, file: &SourceFile) -> Document {
        document_from(
            file,
            read_text(
                &self.root.join(&file.path),
                &file.path,
                self.config.max_file_size,
            ),
            self.declared(&file.collection),
        )
    }

    /// Parses one document of a collection from its bytes, already read
    /// from disk, with the same checks as [`Corpus::read`].
    pub fn read_bytes(&self, file: &SourceFile, bytes: Vec<u8>) -> Document {
        document_from(
            file,
            decode(bytes, &file.path, self.config.max_file_size),
            self.declared(&file.collection),
        )
    }

    /// Parses one document of a collection from its text instead of the
    /// file on disk (an editor's unsaved buffer), with the same checks on
    /// the text as [`Corpus::read`]: size, binary, byte-order mark.
    pub fn read_from_text(&self, file: &SourceFile, text: &str) -> Document {
        self.read_bytes(file, text.as_bytes().to_vec())
    }

    /// The file at `rel` (relative to the root) as a document of the
    /// collection it belongs to, whether or not it exists yet; `None` when no
    /// collection takes it (outside every folder, left out by the globs, or
    /// hidden).
    pub fn source_file(&self, rel: &Path) -> Option<SourceFile> {
        let collection = self.collection_for(rel)?;
        let inner = rel.strip_prefix(&collection.path).ok()?;
        let hidden = inner
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        let (include, exclude) = globs(&self.config, collection).ok()?;
        let excluded = inner
            .ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .any(|a| exclude.is_match(a));
        if hidden || !include.is_match(inner) || excluded {
            return None;
        }
        Some(SourceFile {
            collection: collection.name.clone(),
            path: rel.to_path_buf(),
            id: path_id(inner),
            size: 0,
            modified: None,
        })
    }

    /// The text of a file as `read` sees it (size, binary and encoding
    /// checked, BOM removed), without parsing it; `None` when it cannot be
    /// read (the problem is `read`'s to report).
    pub fn text_of(&self, file: &SourceFile) -> Option<String> {
        read_text(
            &self.root.join(&file.path),
            &file.path,
            self.config.max_file_size,
        )
        .ok()
        .map(|(text, _)| text)
    }
}

/// Reads a document from its text: splits the front matter, reads it with
/// positions, and takes its id from the `id` key or else `path_id`. Problems
/// end up in `problems`; this never fails and never panics.
pub fn parse_document(path: &Path, collection: &str, path_id: String, text: &str) -> Document {
    parse_document_as(path, collection, path_id, text, FrontMatter::Any)
}

/// [`parse_document`] for a collection that declares its front-matter
/// format: front matter in another format is read all the same, with a
/// `front-matter/format` error.
pub fn parse_document_as(
    path: &Path,
    collection: &str,
    path_id: String,
    text: &str,
    declared: FrontMatter,
) -> Document {
    let mut doc = Document {
        path: path.to_path_buf(),
        collection: collection.to_string(),
        id: path_id,
        front: None,
        body: String::new(),
        body_line: 1,
        problems: Vec::new(),
        suppressions: Vec::new(),
    };
    parse_into(&mut doc, text, declared);
    doc.suppressions = suppress::parse(text, doc.body_line);
    doc
}

/// Fills a document's front matter, body and id from its text.
fn parse_into(doc: &mut Document, text: &str, declared: FrontMatter) {
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(e) => {
            doc.problems
                .push(Diagnostic::error(&doc.path, e.span, e.code, e.message).with_hint(e.hint));
            return;
        }
    };
    doc.body = split.body.to_string();
    doc.body_line = split.body_line;
    if !declared.allows(split.format) {
        doc.problems.push(wrong_format(doc, split.format, declared));
    }
    let read = match split.format {
        Format::Yaml => read_yaml(doc, &split),
        Format::Toml => toml_front::parse(split.front, split.front_line),
        Format::Json => json_front::parse(split.front, split.front_line),
    };
    match read {
        Ok(root) => {
            if let Some(id) = root.get("id").and_then(Node::as_str) {
                doc.id = id.to_string();
            }
            doc.front = Some(root);
        }
        Err(e) => {
            let mut d = Diagnostic::error(&doc.path, e.span, e.kind.code(split.format), e.message)
                .with_hint_opt(e.hint.map(str::to_string));
            if let Some(first) = e.first {
                d = d.with_related(&doc.path.clone(), first, "first defined here");
            }
            doc.problems.push(d);
        }
    }
}

/// The error for front matter in another format than its collection declares.
fn wrong_format(doc: &Document, found: Format, declared: FrontMatter) -> Diagnostic {
    let name = |f: Format| match f {
        Format::Yaml => "YAML",
        Format::Toml => "TOML",
        Format::Json => "JSON",
    };
    let wanted = declared.only().unwrap_or(found);
    Diagnostic::error(
        &doc.path,
        Span {
            line: 1,
            col: 1,
            len: found.opening().len(),
        },
        "front-matter/format",
        format!(
            "{} front matter in collection `{}`, which declares `front_matter = \"{}\"`",
            name(found),
            doc.collection,
            wanted.name()
        ),
    )
    .with_hint(format!(
        "write it as {} (starting with `{}`), or set `front_matter = \"any\"` for the collection in mkn.toml",
        name(wanted),
        wanted.opening()
    ))
}

/// Reads YAML front matter; its YAML 1.1 surprises become warnings, its
/// errors are returned like TOML's and JSON's.
fn read_yaml(doc: &mut Document, split: &Split) -> Result<Node, ReadError> {
    let e = match yaml::parse(split.front, split.front_line) {
        Ok(parsed) => {
            for s in parsed.surprises {
                doc.problems.push(
                    Diagnostic::warning(&doc.path, s.span, "yaml/implicit-type", s.explanation)
                        .with_hint(format!("quote it: \"{}\"", s.text)),
                );
            }
            return Ok(parsed.root);
        }
        Err(e) => e,
    };
    let line_has_tab = split
        .front
        .lines()
        .nth(e.span.line.saturating_sub(split.front_line))
        .is_some_and(|l| l.contains('\t'));
    let hint = match e.kind {
        YamlErrorKind::Syntax if line_has_tab => {
            Some("YAML does not allow tabs for indentation: use spaces")
        }
        YamlErrorKind::DuplicateKey => Some("keep one of the two keys"),
        YamlErrorKind::AliasLimit => {
            Some("front matter should not need anchors and aliases: write the values out")
        }
        YamlErrorKind::Yaml11Only => Some(
            "indent each line that continues a quoted value by at least one space, which every YAML tool reads",
        ),
        _ => None,
    };
    let kind = match e.kind {
        YamlErrorKind::Syntax | YamlErrorKind::MultipleDocuments | YamlErrorKind::Yaml11Only => {
            ReadErrorKind::Syntax
        }
        YamlErrorKind::DuplicateKey => ReadErrorKind::DuplicateKey,
        YamlErrorKind::AliasLimit => ReadErrorKind::AliasLimit,
        YamlErrorKind::TooDeep => ReadErrorKind::TooDeep,
    };
    Err(ReadError {
        kind,
        message: e.message,
        span: e.span,
        first: e.first,
        hint,
    })
}

/// A document from what reading its text gave: parsed, or empty with the
/// reason it could not be read.
fn document_from(
    file: &SourceFile,
    read: Result<(String, Vec<Diagnostic>), Box<Diagnostic>>,
    declared: FrontMatter,
) -> Document {
    match read {
        Ok((text, problems)) => {
            let mut doc = parse_document_as(
                &file.path,
                &file.collection,
                file.id.clone(),
                &text,
                declared,
            );
            doc.problems.splice(0..0, problems);
            doc
        }
        Err(problem) => Document {
            path: file.path.clone(),
            collection: file.collection.clone(),
            id: file.id.clone(),
            front: None,
            body: String::new(),
            body_line: 1,
            problems: vec![*problem],
            suppressions: Vec::new(),
        },
    }
}

/// Reads a file as text, or says why it is not a readable text file.
fn read_text(
    path: &Path,
    rel: &Path,
    limit: u64,
) -> Result<(String, Vec<Diagnostic>), Box<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        Box::new(Diagnostic::error(
            rel,
            line_span(1),
            "file/unreadable",
            e.to_string(),
        ))
    };
    let size = fs::metadata(path).map_err(unreadable)?.len();
    if size > limit {
        return Err(too_large(size, rel, limit));
    }
    decode(fs::read(path).map_err(unreadable)?, rel, limit)
}

fn too_large(size: u64, rel: &Path, limit: u64) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            rel,
            line_span(1),
            "file/too-large",
            format!("the file is {size} bytes; documents may be at most {limit} bytes"),
        )
        .with_hint("split it, or raise `max_file_size` (bytes) in mkn.toml"),
    )
}

/// A document's bytes as text, or why they are not a readable text file;
/// a byte-order mark is removed with a warning.
fn decode(
    bytes: Vec<u8>,
    rel: &Path,
    limit: u64,
) -> Result<(String, Vec<Diagnostic>), Box<Diagnostic>> {
    let whole_file = line_span(1);
    let fail =
        |code: &str, message: String| Box::new(Diagnostic::error(rel, whole_file, code, message));
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, rel, limit));
    }
    if bytes.is_empty() {
        return Err(fail("file/empty", "the file is empty".into()));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(fail(
            "file/binary",
            "the file is binary, not markdown text".into(),
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let span = span_at(prefix, valid, 1);
            return Err(Box::new(
                Diagnostic::error(
                    rel,
                    span,
                    "file/encoding",
                    format!("invalid UTF-8 (byte 0x{:02x})", bytes[valid]),
                )
                .with_hint("save the file as UTF-8"),
            ));
        }
    };
    let mut problems = Vec::new();
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            problems.push(
                Diagnostic::warning(
                    rel,
                    whole_file,
                    "file/bom",
                    "the file starts with a byte-order mark",
                )
                .with_hint("save the file as UTF-8 without BOM"),
            );
            rest.to_string()
        }
        None => text,
    };
    Ok((text, problems))
}

/// A document's id from its path in the collection: without `.md`, and a
/// page-bundle file (`index.md`, `_index.md`) takes its folder's path.
pub fn path_id(inner: &Path) -> String {
    let name = inner.file_name().unwrap_or_default().to_string_lossy();
    let folder = inner.parent().map(display_path).unwrap_or_default();
    id_in_folder(&folder, &name)
}

/// The id of the file `name` in the folder whose id is `folder` (empty at the
/// top of a collection), by the rule of [`path_id`].
fn id_in_folder(folder: &str, name: &str) -> String {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    if folder.is_empty() {
        stem.to_string()
    } else if matches!(stem, "index" | "_index") {
        folder.to_string()
    } else {
        let mut id = String::with_capacity(folder.len() + 1 + stem.len());
        id.push_str(folder);
        id.push('/');
        id.push_str(stem);
        id
    }
}

/// Whether following the symbolic link at `path`, link after link, comes
/// back to a link already passed (or goes on past 40 links, where systems
/// give up).
fn links_to_itself(path: &Path) -> bool {
    let mut passed = std::collections::HashSet::new();
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let Ok(target) = fs::read_link(&current) else {
            return false;
        };
        let next = current.parent().unwrap_or(Path::new("")).join(target);
        if !passed.insert(current) {
            return true;
        }
        current = next;
    }
    true
}

/// One collection's walk: which files belong to it.
struct Walk<'a> {
    collection: &'a Collection,
    include: &'a GlobSet,
    exclude: &'a GlobSet,
}

impl Walk<'_> {
    /// Lists `dir` (at `inner` inside the collection), then its subfolders in
    /// parallel. `ancestors` are the canonical folders above, to catch a
    /// symbolic link that loops back.
    fn visit(
        &self,
        dir: &Path,
        inner: PathBuf,
        ancestors: Vec<PathBuf>,
    ) -> (Vec<SourceFile>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let mut subdirs = Vec::new();
        let rel = |inner: &Path| self.collection.path.join(inner);
        let folder_id = display_path(&inner);
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(Diagnostic::error(
                    &rel(&inner),
                    line_span(1),
                    "file/unreadable",
                    e.to_string(),
                ));
                return (files, problems);
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.as_encoded_bytes().first() == Some(&b'.') {
                continue;
            }
            let inner = inner.join(&name);
            let path = || dir.join(&name);
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let metadata = if file_type.is_symlink() {
                fs::metadata(path())
            } else {
                entry.metadata()
            };
            let metadata = match metadata {
                Ok(m) => m,
                Err(_) if file_type.is_symlink() && links_to_itself(&path()) => {
                    problems.push(
                        Diagnostic::error(
                            &rel(&inner),
                            line_span(1),
                            "file/symlink-loop",
                            "a symbolic link that leads back to itself, through other links or none",
                        )
                        .with_hint("point the link at a file, or delete it"),
                    );
                    continue;
                }
                Err(e) => {
                    problems.push(Diagnostic::error(
                        &rel(&inner),
                        line_span(1),
                        "file/unreadable",
                        e.to_string(),
                    ));
                    continue;
                }
            };
            let candidate = Candidate::new(&inner);
            let excluded = self.exclude.is_match_candidate(&candidate);
            let wanted = !excluded && self.include.is_match_candidate(&candidate);
            if metadata.is_dir() {
                if excluded {
                    continue;
                }
                if wanted {
                    problems.push(
                        Diagnostic::error(
                            &rel(&inner),
                            line_span(1),
                            "file/not-a-file",
                            "a directory is named like a document",
                        )
                        .with_hint("rename the directory, or move its files up and delete it"),
                    );
                    continue;
                }
                let path = path();
                let canonical = if file_type.is_symlink() {
                    path.canonicalize().unwrap_or_else(|_| path.clone())
                } else {
                    ancestors
                        .last()
                        .map_or_else(|| path.clone(), |parent| parent.join(&name))
                };
                if ancestors.contains(&canonical) {
                    problems.push(Diagnostic::error(
                        &rel(&inner),
                        line_span(1),
                        "file/symlink-loop",
                        "a symbolic link loops back to a folder above it",
                    ));
                    continue;
                }
                subdirs.push((path, inner, canonical));
            } else if wanted {
                files.push(SourceFile {
                    collection: self.collection.name.clone(),
                    id: id_in_folder(&folder_id, &name.to_string_lossy()),
                    path: rel(&inner),
                    size: metadata.len(),
                    modified: metadata.modified().ok(),
                });
            }
        }
        let nested: Vec<_> = subdirs
            .into_par_iter()
            .map(|(path, inner, canonical)| {
                let mut chain = ancestors.clone();
                chain.push(canonical);
                self.visit(&path, inner, chain)
            })
            .collect();
        for (more_files, more_problems) in nested {
            files.extend(more_files);
            problems.extend(more_problems);
        }
        (files, problems)
    }
}

/// A collection's `include` and `exclude` globs, compiled with [`crate::glob::gitignore`]; a
/// bad one is an error at its `mkn.toml` line.
fn globs(config: &Config, collection: &Collection) -> Result<(GlobSet, GlobSet), Error> {
    let build = |key: &str, patterns: &[String]| {
        let mut builder = GlobSetBuilder::new();
        for (i, p) in patterns.iter().enumerate() {
            let glob = crate::glob::gitignore(p).map_err(|e| {
                config.invalid_at(
                    &["collections", &collection.name, key, &i.to_string()],
                    format!(
                        "collection `{}`: bad glob `{p}`: {}",
                        collection.name,
                        e.kind()
                    ),
                )
            })?;
            builder.add(glob);
        }
        builder.build().map_err(|e| Error::Usage(e.to_string()))
    };
    Ok((
        build("include", &collection.include)?,
        build("exclude", &collection.exclude)?,
    ))
}

/// A path for display and for machine output: always with `/`.
pub fn display_path(path: &Path) -> std::borrow::Cow<'_, str> {
    let text = path.to_string_lossy();
    if cfg!(windows) {
        std::borrow::Cow::Owned(text.replace('\\', "/"))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_paths() {
        assert_eq!(path_id(Path::new("roads/brine.md")), "roads/brine");
        assert_eq!(path_id(Path::new("posts/hello/index.md")), "posts/hello");
        assert_eq!(path_id(Path::new("docs/_index.md")), "docs");
        assert_eq!(path_id(Path::new("index.md")), "index");
    }
}
