//! `mkn check`: schema validation plus the corpus rules a schema cannot say.
//!
//! The result is a [`Report`] of [`Diagnostic`]s; nothing here prints.
//! Rules that look at one document run in parallel; rules across documents
//! (unique ids, references to other documents, vendor spellings) run after.

pub mod baseline;
pub mod filter;
mod links;
mod practice;
mod profile;
pub mod schema;

pub use practice::REQUIRED_SECTIONS;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Collection, Kind};
use crate::corpus::markdown;
use crate::corpus::suppress::Suppression;
use crate::corpus::vocab::Vocabularies;
use crate::corpus::yaml::{Node, Value};
use crate::corpus::{Corpus, Document};
use crate::diagnostic::Span;
use crate::diagnostic::{Diagnostic, Severity, suggestion};
use crate::error::Error;
use crate::rules::RuleSettings;
use schema::Schemas;

/// Which findings to report.
#[derive(Debug, Clone, Default)]
pub enum Scope {
    /// Every document.
    #[default]
    All,
    /// Only these files, plus findings elsewhere that reference one of `removed_ids`.
    Files {
        /// Files or folders relative to the corpus root.
        paths: BTreeSet<PathBuf>,
        /// Ids of documents that a change deleted or renamed.
        removed_ids: BTreeSet<String>,
    },
}

impl Scope {
    /// Whether findings in the file at `path` are reported.
    pub fn covers(&self, path: &Path) -> bool {
        match self {
            Scope::All => true,
            Scope::Files { paths, .. } => paths.iter().any(|p| path.starts_with(p)),
        }
    }
}

/// The outcome of a check.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many documents were checked.
    pub documents: usize,
    /// How many findings the filter stage held back.
    pub held: filter::Held,
    /// Baseline entries that no longer occur.
    pub stale: Vec<baseline::Entry>,
}

impl Report {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// What the per-document rules need to know besides the document.
pub(crate) struct Context<'a> {
    pub corpus: &'a Corpus,
    /// The corpus's vocabularies.
    pub vocab: &'a Vocabularies,
    /// The current year, for "not in the future" rules.
    pub this_year: i64,
    /// Reported measure values, to compare evidence with.
    pub data: &'a crate::measures::data::Dataset,
}

/// A reference to another document, resolved once every id is known.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    /// The collection the id must be in.
    pub collection: String,
    /// The id referred to.
    pub id: String,
    /// Where it is written.
    pub span: Span,
    /// Rule code when it does not resolve.
    pub code: &'static str,
    /// Message when it does not resolve.
    pub message: String,
}

/// What checking one document leaves for the rules across documents. The
/// document itself is dropped as soon as it is checked, so memory stays flat
/// however large the corpus.
#[derive(Debug)]
pub(crate) struct Checked {
    pub path: PathBuf,
    pub collection: String,
    pub id: String,
    /// Another id the document may be known by: its file name, when its front
    /// matter could not be read (so one broken file does not break every
    /// reference to it as well).
    pub alias: Option<String>,
    pub id_span: Span,
    pub diagnostics: Vec<Diagnostic>,
    pub references: Vec<Reference>,
    /// Vendor names as written, with their positions.
    pub vendors: Vec<(String, Span)>,
    /// The anchors links can point at in its body.
    pub anchors: Vec<String>,
    /// Its links' fragments, checked against the anchors of their targets.
    pub anchor_links: Vec<links::AnchorLink>,
    /// Its suppression comments.
    pub suppressions: Vec<Suppression>,
}

/// What checking reads once per corpus besides the documents: the compiled
/// schemas and the reported measure values. Loaded once, it checks many
/// texts ([`check_text`]) without reading them again.
pub struct Prepared {
    schemas: Schemas,
    data: crate::measures::data::Dataset,
    data_problems: Vec<Diagnostic>,
    this_year: i64,
}

impl Prepared {
    /// Compiles the schemas and reads the reported values of `corpus`;
    /// `this_year` is the year "not in the future" rules compare with.
    pub fn load(corpus: &Corpus, this_year: i64) -> Result<Prepared, Error> {
        let schemas = Schemas::load(corpus)?;
        let (data, data_problems) = crate::measures::load(corpus, this_year, None)?;
        Ok(Prepared {
            schemas,
            data,
            data_problems,
            this_year,
        })
    }

    /// The compiled schemas.
    pub fn schemas(&self) -> &Schemas {
        &self.schemas
    }
}

/// Checks the corpus and returns what it found within `scope`, filtered by
/// `settings` and the documents' suppression comments.
pub fn check(
    corpus: &Corpus,
    scope: &Scope,
    this_year: i64,
    settings: &RuleSettings,
) -> Result<Report, Error> {
    let prepared = Prepared::load(corpus, this_year)?;
    let (files, problems) = corpus.files()?;
    corpus.verify_collections(&files)?;
    check_files(corpus, &prepared, scope, &files, problems, None, settings)
}

/// Checks one document from its text, such as an editor's unsaved buffer,
/// with the rest of the corpus as it is on disk: exactly what [`check`]
/// reports for the file at `path` (relative to the root) if it held `text`,
/// under `mkn.toml`'s `[check]` and the text's suppressions, sorted by
/// position. `None` when no collection takes `path`.
pub fn check_text(
    corpus: &Corpus,
    prepared: &Prepared,
    path: &Path,
    text: &str,
) -> Result<Option<Vec<Diagnostic>>, Error> {
    let Some(file) = corpus.source_file(path) else {
        return Ok(None);
    };
    let (mut files, problems) = corpus.files()?;
    if let Err(at) = files.binary_search_by(|f| f.path.as_os_str().cmp(path.as_os_str())) {
        files.insert(at, file);
    }
    let scope = Scope::Files {
        paths: BTreeSet::from([path.to_path_buf()]),
        removed_ids: BTreeSet::new(),
    };
    let report = check_files(
        corpus,
        prepared,
        &scope,
        &files,
        problems,
        Some((path, text)),
        &corpus.config.rules,
    )?;
    Ok(Some(
        report
            .diagnostics
            .into_iter()
            .filter(|d| d.path == path)
            .collect(),
    ))
}

/// Checks `files`, with `overlay` (a path and its text) read from the text
/// instead of the disk, and reports within `scope`; `problems` are what
/// listing the files found; what is found passes the filter stage with
/// `settings`.
fn check_files(
    corpus: &Corpus,
    prepared: &Prepared,
    scope: &Scope,
    files: &[crate::corpus::SourceFile],
    mut problems: Vec<Diagnostic>,
    overlay: Option<(&Path, &str)>,
    settings: &RuleSettings,
) -> Result<Report, Error> {
    let schemas = &prepared.schemas;
    problems.extend(prepared.data_problems.iter().cloned());
    let ctx = Context {
        corpus,
        vocab: corpus.vocab()?,
        this_year: prepared.this_year,
        data: &prepared.data,
    };
    let checked: Vec<Checked> = files
        .par_iter()
        .map(|file| {
            let doc = match overlay {
                Some((path, text)) if file.path == path => corpus.read_from_text(file, text),
                _ => corpus.read(file),
            };
            check_document(&ctx, schemas, &doc)
        })
        .collect();

    let mut ids: HashMap<&str, BTreeMap<&str, Vec<&Checked>>> = HashMap::new();
    let mut aliases: HashMap<&str, std::collections::HashSet<&str>> = HashMap::new();
    for doc in &checked {
        ids.entry(doc.collection.as_str())
            .or_default()
            .entry(doc.id.as_str())
            .or_default()
            .push(doc);
        if let Some(alias) = &doc.alias {
            aliases
                .entry(doc.collection.as_str())
                .or_default()
                .insert(alias.as_str());
        }
    }
    let in_scope = |path: &Path| scope.covers(path);
    let broken_by_change = |id: &str| match scope {
        Scope::All => false,
        Scope::Files { removed_ids, .. } => removed_ids.contains(id),
    };
    let mut diagnostics: Vec<Diagnostic> =
        problems.into_iter().filter(|d| in_scope(&d.path)).collect();
    for doc in &checked {
        let reported = in_scope(&doc.path);
        if reported {
            diagnostics.extend(doc.diagnostics.iter().cloned());
        }
        for reference in &doc.references {
            let known = ids.get(reference.collection.as_str());
            let aliased = aliases
                .get(reference.collection.as_str())
                .is_some_and(|a| a.contains(reference.id.as_str()));
            if aliased
                || known.is_some_and(|k| k.contains_key(reference.id.as_str()))
                || !(reported || broken_by_change(&reference.id))
            {
                continue;
            }
            let hint = known.and_then(|k| suggestion(&reference.id, k.keys().copied()));
            diagnostics.push(
                Diagnostic::error(
                    &doc.path,
                    reference.span,
                    reference.code,
                    reference.message.clone(),
                )
                .with_hint_opt(hint),
            );
        }
    }
    let anchors: HashMap<&Path, &[String]> = checked
        .iter()
        .map(|doc| (doc.path.as_path(), doc.anchors.as_slice()))
        .collect();
    for doc in checked.iter().filter(|doc| in_scope(&doc.path)) {
        links::check_anchors(
            &doc.path,
            &doc.anchor_links,
            |target| anchors.get(target).copied(),
            &mut diagnostics,
        );
    }
    duplicate_ids(&ids, &mut diagnostics);
    profile::vendor_spellings(&checked, &mut diagnostics);

    diagnostics.retain(|d| in_scope(&d.path) || d.code.starts_with("ref/"));
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let suppressions: HashMap<&Path, &[Suppression]> = checked
        .iter()
        .filter(|doc| !doc.suppressions.is_empty())
        .map(|doc| (doc.path.as_path(), doc.suppressions.as_slice()))
        .collect();
    let mut held = filter::Held::default();
    let mut diagnostics = filter::apply(settings, diagnostics, &suppressions, in_scope, &mut held);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let documents = match scope {
        Scope::All => checked.len(),
        Scope::Files { .. } => checked.iter().filter(|d| in_scope(&d.path)).count(),
    };
    Ok(Report {
        diagnostics,
        documents,
        held,
        stale: Vec::new(),
    })
}

fn check_document(ctx: &Context, schemas: &Schemas, doc: &Document) -> Checked {
    let mut checked = Checked {
        path: doc.path.clone(),
        collection: doc.collection.clone(),
        id: doc.id.clone(),
        alias: doc
            .front
            .is_none()
            .then(|| {
                doc.path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .flatten(),
        id_span: doc.front.as_ref().and_then(|f| f.get("id")).map_or(
            Span {
                line: 1,
                col: 1,
                len: 1,
            },
            |n| n.span,
        ),
        diagnostics: doc.problems.clone(),
        references: Vec::new(),
        vendors: Vec::new(),
        anchors: Vec::new(),
        anchor_links: Vec::new(),
        suppressions: doc.suppressions.clone(),
    };
    let Some(collection) = ctx.corpus.config.collections.get(&doc.collection) else {
        return checked;
    };
    let outline = markdown::outline(&doc.body, doc.body_line);
    let out = &mut checked.diagnostics;
    links::check(
        &ctx.corpus.root,
        doc,
        &outline,
        out,
        &mut checked.anchor_links,
    );
    checked.anchors = outline.anchors();
    let Some(front) = &doc.front else {
        return checked;
    };
    if !matches!(front.value, Value::Map(_)) {
        out.push(Diagnostic::error(
            &doc.path,
            front.span,
            "schema/type",
            "the front matter must be a mapping of keys to values",
        ));
        return checked;
    }
    if let Some(schema) = schemas.get(&doc.collection) {
        // `12.50` read as a number is no surprise where the schema wants a number.
        out.retain(|d| {
            d.code != "yaml/implicit-type"
                || !d.message.contains("read as the number")
                || !front
                    .path_to(d.span)
                    .is_some_and(|path| schema.expects_number(&path))
        });
        schema.validate(&doc.path, front, out);
    }
    declared_references(collection, front, &mut checked.references);
    match collection.kind {
        Some(Kind::Practice) => practice::check(
            ctx,
            doc,
            front,
            &outline,
            &mut checked.diagnostics,
            &mut checked.references,
        ),
        Some(Kind::Profile) => profile::check(ctx, doc, front, &mut checked.diagnostics),
        None => {}
    }
    for entry in front.get("technologies").map_or(&[][..], Node::items) {
        if let Some(node) = entry.get("vendor")
            && let Some(vendor) = node.as_str()
        {
            checked.vendors.push((vendor.to_string(), node.span));
        }
    }
    checked
}

/// `[collections.X.references] key = "other"`: each value of `key` names a document of `other`.
fn declared_references(collection: &Collection, front: &Node, out: &mut Vec<Reference>) {
    for (key, target) in &collection.references {
        let Some(value) = front.get(key) else {
            continue;
        };
        let values: Vec<&Node> = match &value.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![value],
        };
        for node in values {
            let Some(id) = node.id_text() else { continue };
            out.push(Reference {
                collection: target.clone(),
                message: format!("`{id}` is not the id of a document in `{target}`"),
                id,
                span: node.span,
                code: "ref/document",
            });
        }
    }
}

/// Every id is unique within its collection.
fn duplicate_ids(ids: &HashMap<&str, BTreeMap<&str, Vec<&Checked>>>, out: &mut Vec<Diagnostic>) {
    for by_id in ids.values() {
        for (id, docs) in by_id {
            let Some((first, rest)) = docs.split_first() else {
                continue;
            };
            for doc in rest {
                out.push(
                    Diagnostic::error(
                        &doc.path,
                        doc.id_span,
                        "id/duplicate",
                        format!("id `{id}` is already used"),
                    )
                    .with_related(&first.path, first.id_span, "first used here")
                    .with_hint("ids must be unique within a collection: choose another"),
                );
            }
        }
    }
}

/// A reference to a vocabulary entry that does not exist.
pub(crate) fn unknown(
    path: &Path,
    node: &Node,
    code: &str,
    what: &str,
    hint: Option<String>,
) -> Diagnostic {
    let shown = node
        .as_str()
        .map_or_else(|| node.value.to_string(), |s| format!("`{s}`"));
    Diagnostic::error(
        path,
        node.span,
        code,
        format!("{shown} is not a known {what}"),
    )
    .with_hint_opt(hint)
}

/// A technology entry's `function` must be a known business function.
pub(crate) fn function_ref(ctx: &Context, path: &Path, entry: &Node, out: &mut Vec<Diagnostic>) {
    if let Some(functions) = &ctx.vocab.functions
        && let Some(node) = entry.get("function")
        && let Some(id) = node.as_str()
        && functions.get(id).is_none()
    {
        out.push(unknown(
            path,
            node,
            "ref/function",
            "business function",
            suggestion(id, functions.ids()),
        ));
    }
}

/// The 1-based `source` index of an entry must name one of the document's sources.
pub(crate) fn source_index(path: &Path, front: &Node, entry: &Node, out: &mut Vec<Diagnostic>) {
    let Some(node) = entry.get("source") else {
        return;
    };
    let Some(index) = node.as_i64() else { return };
    let count = front.get("sources").map_or(0, |s| s.items().len());
    if index < 1 || index as usize > count {
        out.push(
            Diagnostic::error(
                path,
                node.span,
                "ref/source-index",
                format!("source {index} does not exist: the document lists {count} source(s)"),
            )
            .with_hint("`source` is the 1-based position of an entry in `sources`"),
        );
    }
}
