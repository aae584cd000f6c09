//! `mkn check`: schema validation plus the corpus rules a schema cannot say.
//!
//! The result is a [`Report`] of [`Diagnostic`]s; nothing here prints.
//! Rules that look at one document run in parallel; rules across documents
//! (unique ids, references to other documents, vendor spellings) run after.

mod practice;
mod profile;
pub mod schema;

pub use practice::REQUIRED_SECTIONS;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Collection, Kind};
use crate::corpus::markdown;
use crate::corpus::yaml::{Node, Span, Value};
use crate::corpus::{Corpus, Document};
use crate::diagnostic::{Diagnostic, Severity, suggestion};
use crate::error::Error;
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

/// The outcome of a check.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many documents were checked.
    pub documents: usize,
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

/// What the rules need to know about the corpus as a whole.
pub(crate) struct Context<'a> {
    pub corpus: &'a Corpus,
    /// Ids of each collection's documents, with the documents that carry them.
    pub ids: HashMap<&'a str, BTreeMap<&'a str, Vec<&'a Document>>>,
    /// The current year, for "not in the future" rules.
    pub this_year: i64,
}

impl Context<'_> {
    /// Whether a collection has a document with this id.
    pub fn has_id(&self, collection: &str, id: &str) -> bool {
        self.ids
            .get(collection)
            .is_some_and(|ids| ids.contains_key(id))
    }

    /// A "did you mean" hint among a collection's ids.
    pub fn id_hint(&self, collection: &str, id: &str) -> Option<String> {
        self.ids
            .get(collection)
            .and_then(|ids| suggestion(id, ids.keys().copied()))
    }
}

/// Checks the corpus and returns what it found within `scope`.
pub fn check(corpus: &Corpus, scope: &Scope, this_year: i64) -> Result<Report, Error> {
    let schemas = Schemas::load(corpus)?;
    let loaded = corpus.load()?;
    let mut ids: HashMap<&str, BTreeMap<&str, Vec<&Document>>> = HashMap::new();
    for doc in &loaded.documents {
        ids.entry(doc.collection.as_str())
            .or_default()
            .entry(doc.id.as_str())
            .or_default()
            .push(doc);
    }
    let ctx = Context {
        corpus,
        ids,
        this_year,
    };

    let mut diagnostics: Vec<Diagnostic> = loaded.problems.clone();
    let per_document: Vec<Vec<Diagnostic>> = loaded
        .documents
        .par_iter()
        .map(|doc| check_document(&ctx, &schemas, doc))
        .collect();
    diagnostics.extend(per_document.into_iter().flatten());
    duplicate_ids(&ctx, &mut diagnostics);
    profile::vendor_spellings(&loaded.documents, &mut diagnostics);

    if let Scope::Files { paths, removed_ids } = scope {
        diagnostics.retain(|d| {
            in_scope(paths, &d.path)
                || (d.code.starts_with("ref/")
                    && removed_ids
                        .iter()
                        .any(|id| d.message.contains(&format!("`{id}`"))))
        });
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let documents = match scope {
        Scope::All => loaded.documents.len(),
        Scope::Files { paths, .. } => loaded
            .documents
            .iter()
            .filter(|d| in_scope(paths, &d.path))
            .count(),
    };
    Ok(Report {
        diagnostics,
        documents,
    })
}

/// Whether a file is one of `paths` or lies in one of them.
fn in_scope(paths: &BTreeSet<PathBuf>, path: &Path) -> bool {
    paths.iter().any(|p| path.starts_with(p))
}

fn check_document(ctx: &Context, schemas: &Schemas, doc: &Document) -> Vec<Diagnostic> {
    let mut out = doc.problems.clone();
    let Some(collection) = ctx.corpus.config.collections.get(&doc.collection) else {
        return out;
    };
    links(ctx, doc, &mut out);
    let Some(front) = &doc.front else { return out };
    if !matches!(front.value, Value::Map(_)) {
        out.push(Diagnostic::error(
            &doc.path,
            front.span,
            "schema/type",
            "the front matter must be a mapping of keys to values",
        ));
        return out;
    }
    if let Some(schema) = schemas.get(&doc.collection) {
        schema.validate(&doc.path, front, &mut out);
    }
    declared_references(ctx, collection, doc, front, &mut out);
    match collection.kind {
        Some(Kind::Practice) => practice::check(ctx, doc, front, &mut out),
        Some(Kind::Profile) => profile::check(ctx, doc, front, &mut out),
        None => {}
    }
    out
}

/// Relative links in the body must point at files that exist.
fn links(ctx: &Context, doc: &Document, out: &mut Vec<Diagnostic>) {
    let dir = doc.path.parent().unwrap_or(Path::new(""));
    for link in markdown::outline(&doc.body, doc.body_line).links {
        if !markdown::is_relative(&link.dest) {
            continue;
        }
        let target = link.dest.split(['#', '?']).next().unwrap_or_default();
        if target.is_empty() || ctx.corpus.root.join(dir).join(target).exists() {
            continue;
        }
        out.push(
            Diagnostic::error(
                &doc.path,
                link.span,
                "ref/link",
                format!("link to `{target}`, which does not exist"),
            )
            .with_hint("relative links are resolved from the folder of this file"),
        );
    }
}

/// `[collections.X.references] key = "other"`: each value of `key` names a document of `other`.
fn declared_references(
    ctx: &Context,
    collection: &Collection,
    doc: &Document,
    front: &Node,
    out: &mut Vec<Diagnostic>,
) {
    for (key, target) in &collection.references {
        let Some(value) = front.get(key) else {
            continue;
        };
        let values: Vec<&Node> = match &value.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![value],
        };
        for node in values {
            let Some(id) = node.as_str() else { continue };
            if !ctx.has_id(target, id) {
                out.push(
                    Diagnostic::error(
                        &doc.path,
                        node.span,
                        "ref/document",
                        format!("`{id}` is not the id of a document in `{target}`"),
                    )
                    .with_hint_opt(ctx.id_hint(target, id)),
                );
            }
        }
    }
}

/// Every id is unique within its collection.
fn duplicate_ids(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for ids in ctx.ids.values() {
        for (id, docs) in ids {
            let Some((first, rest)) = docs.split_first() else {
                continue;
            };
            for doc in rest {
                out.push(
                    Diagnostic::error(
                        &doc.path,
                        id_span(doc),
                        "id/duplicate",
                        format!("id `{id}` is already used"),
                    )
                    .with_related(&first.path, id_span(first), "first used here")
                    .with_hint("ids must be unique within a collection: choose another"),
                );
            }
        }
    }
}

/// Where a document's id is written: its `id` value, or the top of the file.
fn id_span(doc: &Document) -> Span {
    doc.front.as_ref().and_then(|f| f.get("id")).map_or(
        Span {
            line: 1,
            col: 1,
            len: 1,
        },
        |n| n.span,
    )
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
