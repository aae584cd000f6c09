//! The static web portal: a folder of HTML pages, a feed, an offline search
//! index and the source files the pages are built from, with no server code
//! and no external assets.
//!
//! [`Site::new`] gathers what the pages need (documents with their computed
//! rows, the technology directory, git dates); [`Site::write`] renders every
//! file in parallel into a fresh folder and swaps it in for the old one, so
//! the site appears whole or not at all. Every file name is a
//! [`slug`](super::html::slug), so no id can write outside the folder, and
//! everything is sorted, so the same corpus and commit give the same bytes.

mod facets;
mod feed;
mod general;
mod layout;
mod pages;
mod search_index;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::ExportRow;
use super::html::slug;
use crate::config::Kind;
use crate::corpus::vocab::{Municipality, Vocabularies};
use crate::corpus::yaml::{Node, Value};
use crate::corpus::{Corpus, Document, SourceFile};
use crate::error::Error;
use crate::git::FileDates;
use crate::infobase::products::{self, UsageRow};
use crate::infobase::{Directory, Mention, normalise_name};

/// The file a site folder carries so that `mkn` replaces only folders it wrote.
pub const MARKER: &str = ".mkn-site";

/// One document with what its page shows. The document itself is read again
/// when its page is rendered, so a large corpus is never all in memory.
#[derive(Debug)]
pub struct Entry {
    /// The file.
    pub file: SourceFile,
    /// Its computed fields (evidence change, strength, registry attributes).
    pub row: ExportRow,
    /// What else its page shows from its front matter.
    pub extras: Extras,
    /// Its page, relative to the site root.
    pub url: String,
    /// When and by whom it was committed, if it was.
    pub dates: Option<FileDates>,
}

/// What a document's page shows from its front matter beyond its
/// [`ExportRow`], kept so the page needs only the body from the file.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Sources: title (`Source` when it has none) and URL.
    pub sources: Vec<(String, Option<String>)>,
    /// Ids of related documents.
    pub related: Vec<String>,
    /// Technologies it names.
    pub mentions: Vec<Mention>,
    /// Outside practice collections, its top-level keys in file order, for
    /// its page and the search filters: scalars and lists of scalars as
    /// read, any other value as an empty map.
    pub own: Vec<(String, Node)>,
}

impl Extras {
    /// The extras of a document; `practice` when its collection is of kind
    /// practice (its page shows the computed fields instead of its own keys).
    /// `nested` are the `[collections.NAME] facets` that name a nested key
    /// (`taxonomies.tags`): their values are kept beside the top-level keys.
    pub fn of(doc: &Document, practice: bool, nested: &[String]) -> Extras {
        let list = |key: &str| {
            doc.front
                .as_ref()
                .and_then(|f| f.get(key))
                .map_or(&[][..], Node::items)
        };
        Extras {
            sources: list("sources")
                .iter()
                .map(|s| {
                    let text = |k: &str| s.get(k).and_then(Node::as_str).map(str::to_string);
                    (
                        text("title").unwrap_or_else(|| "Source".into()),
                        text("url"),
                    )
                })
                .collect(),
            related: list("related").iter().filter_map(Node::id_text).collect(),
            mentions: crate::infobase::model::mentions(doc),
            own: match &doc.front {
                Some(front) if !practice => {
                    let mut own: Vec<(String, Node)> = front
                        .entries()
                        .iter()
                        .map(|(key, value)| (key.key_text(), flat_or_marker(value)))
                        .collect();
                    for path in nested {
                        if own.iter().all(|(key, _)| key != path)
                            && let Some(node) = front.lookup(path.split('.'))
                        {
                            own.push((path.clone(), flat_or_marker(node)));
                        }
                    }
                    own
                }
                _ => Vec::new(),
            },
        }
    }
}

/// A scalar or a list of scalars as it is; any other value as an empty map,
/// which says "structured" without keeping it in memory.
fn flat_or_marker(node: &Node) -> Node {
    let nested = |n: &Node| matches!(n.value, Value::Seq(_) | Value::Map(_));
    match &node.value {
        Value::Map(_) => Node {
            value: Value::Map(Vec::new()),
            span: node.span,
        },
        Value::Seq(items) if items.iter().any(nested) => Node {
            value: Value::Map(Vec::new()),
            span: node.span,
        },
        _ => node.clone(),
    }
}

/// Everything the pages are made from.
pub struct Site<'a> {
    /// The corpus, to read documents and copy sources from.
    pub corpus: &'a Corpus,
    /// Corpus name.
    pub name: String,
    /// Commit the site is built from.
    pub commit: String,
    /// `[site] base_url`, with a trailing `/`.
    pub base_url: Option<String>,
    /// `[site] source_url`: where a source file is read, `{commit}` and `{path}` filled in.
    pub source_url: Option<String>,
    /// The documents, ordered by id.
    pub entries: Vec<Entry>,
    /// Whether the corpus is municipal (some document is a practice): the
    /// pages then speak of practices, service areas and municipalities.
    pub municipal: bool,
    /// The filters of the search.
    pub facets: Vec<facets::Facet>,
    /// The technology directory.
    pub directory: Directory,
    /// The vocabularies.
    pub vocab: &'a Vocabularies,
    /// Vocabulary files, to copy under `source/` and link to.
    pub vocabulary_files: Vec<PathBuf>,
    /// Document id → index into `entries`.
    by_id: HashMap<String, usize>,
    /// Source path → index into `entries`.
    by_path: HashMap<PathBuf, usize>,
    /// Normalised product name → its page.
    product_urls: BTreeMap<String, String>,
    /// Normalised product name → who lists it (`mkn tech who-uses`), computed once.
    users: BTreeMap<String, Vec<UsageRow>>,
    /// Municipality ids with a page (named by a document or a profile).
    municipalities: BTreeSet<String>,
    /// Profile source path of each municipality that has one.
    profiles: BTreeMap<String, PathBuf>,
}

impl<'a> Site<'a> {
    /// Gathers the site of these documents: the technology directory, the
    /// profiles (for the municipality pages), the vocabularies and the git
    /// dates of every file.
    pub fn new(
        corpus: &'a Corpus,
        commit: String,
        documents: Vec<(SourceFile, ExportRow, Extras)>,
    ) -> Result<Site<'a>, Error> {
        let vocab = corpus.vocab()?;
        // Pages count the practices naming a product from the entries: the
        // directory needs only the profiles.
        let directory = Directory::load_profiles(corpus)?;
        let registry = vocab.municipalities.as_ref();
        let mut profiles = BTreeMap::new();
        if let Some(collection) = corpus.config.collection_of_kind(Kind::Profile) {
            let (files, _) = corpus.files()?;
            for file in files
                .into_iter()
                .filter(|f| f.collection == collection.name)
            {
                let id = registry
                    .and_then(|r| r.resolve(&file.id))
                    .map_or_else(|| file.id.clone(), |m| m.id.clone());
                profiles.insert(id, file.path);
            }
        }
        let folders: Vec<PathBuf> = corpus
            .config
            .collections()
            .map(|c| c.path.clone())
            .collect();
        let mut dates = crate::git::file_dates(&corpus.root, &folders)?;
        let paths = &corpus.config.vocabularies;
        let vocabulary_files = [
            &paths.areas,
            &paths.municipalities,
            &paths.measures,
            &paths.functions,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        let mut taken = BTreeSet::new();
        let mut entries: Vec<Entry> = documents
            .into_iter()
            .map(|(file, row, extras)| {
                let url = unique(
                    &mut taken,
                    &format!("{}/{}", slug(&row.collection), slug(&row.id)),
                );
                Entry {
                    dates: dates.remove(&file.path),
                    url: format!("{url}.html"),
                    file,
                    row,
                    extras,
                }
            })
            .collect();
        entries.sort_by(|a, b| a.row.id.cmp(&b.row.id).then(a.url.cmp(&b.url)));
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.row.id.clone(), i))
            .collect();
        let by_path = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.file.path.clone(), i))
            .collect();
        let mut product_names: BTreeSet<String> = directory
            .usages
            .iter()
            .map(|u| normalise_name(&u.product))
            .collect();
        product_names.extend(entries.iter().flat_map(|e| {
            e.row
                .technologies
                .iter()
                .map(|t| normalise_name(t))
                .collect::<Vec<_>>()
        }));
        let mut product_urls = BTreeMap::new();
        let mut taken = BTreeSet::new();
        for key in product_names.into_iter().filter(|k| !k.is_empty()) {
            let url = unique(&mut taken, &format!("tech/{}", slug(&key)));
            product_urls.insert(key, format!("{url}.html"));
        }
        let users = product_urls
            .keys()
            .map(|key| (key.clone(), products::who_uses(&directory, key)))
            .collect();
        let known = |id: &str| registry.is_none_or(|r| r.resolve(id).is_some());
        let mut municipalities: BTreeSet<String> = entries
            .iter()
            .flat_map(|e| e.row.municipalities.iter().cloned())
            .filter(|m| known(m))
            .collect();
        municipalities.extend(directory.usages.iter().map(|u| u.municipality.clone()));
        municipalities.extend(profiles.keys().cloned());
        let municipal = entries.iter().any(|e| e.row.practice);
        let facets = if municipal {
            facets::municipal()
        } else {
            let collections: BTreeSet<&str> =
                entries.iter().map(|e| e.row.collection.as_str()).collect();
            let named = facets::named(
                corpus
                    .config
                    .collections()
                    .filter(|c| collections.contains(c.name.as_str()))
                    .flat_map(|c| &c.facets),
            );
            if named.is_empty() {
                facets::detect(entries.iter().map(|e| e.extras.own.as_slice()))
            } else {
                named
            }
        };
        Ok(Site {
            corpus,
            name: corpus.config.name.clone(),
            commit,
            base_url: corpus
                .config
                .site
                .base_url
                .as_ref()
                .map(|b| format!("{}/", b.trim_end_matches('/'))),
            source_url: corpus.config.site.source_url.clone(),
            entries,
            municipal,
            facets,
            directory,
            vocab,
            vocabulary_files,
            by_id,
            by_path,
            product_urls,
            users,
            municipalities,
            profiles,
        })
    }

    /// The entry of a document id.
    fn entry(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The registry entry of a municipality id.
    fn municipality(&self, id: &str) -> Option<&Municipality> {
        self.vocab.municipalities.as_ref()?.resolve(id)
    }

    /// The page of a municipality, if it has one.
    fn municipality_url(&self, id: &str) -> Option<String> {
        let id = self.municipality(id).map_or(id, |m| m.id.as_str());
        self.municipalities
            .contains(id)
            .then(|| format!("municipalities/{}.html", slug(id)))
    }

    /// The page of a product, by any spelling of its name.
    fn product_url(&self, name: &str) -> Option<&str> {
        self.product_urls
            .get(&normalise_name(name))
            .map(String::as_str)
    }

    /// Who lists a product (by normalised name), in use first.
    fn users(&self, key: &str) -> &[UsageRow] {
        self.users.get(key).map_or(&[], Vec::as_slice)
    }

    /// Display name of a service area.
    fn area_name(&self, id: &str) -> String {
        self.vocab
            .areas
            .as_ref()
            .and_then(|a| a.get(id))
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    }

    /// Display name of a municipality.
    fn municipality_name(&self, id: &str) -> String {
        self.municipality(id)
            .map_or_else(|| id.to_string(), |m| m.name.clone())
    }

    /// Warnings about the `[collections.NAME] facets` that no document has.
    pub fn facet_warnings(&self) -> Vec<crate::diagnostic::Diagnostic> {
        if self.municipal {
            return Vec::new();
        }
        facets::unused(&self.corpus.config, &self.entries)
    }

    /// What the documents are called: practices in a municipal corpus.
    fn noun(&self) -> &'static str {
        if self.municipal {
            "practices"
        } else {
            "documents"
        }
    }

    /// The source copy of a corpus file, relative to the site root.
    fn copy_path(path: &Path) -> String {
        format!("source/{}", pages::path_text(path))
    }

    /// Renders every file of the site into `dir`: pages are rendered in
    /// parallel and written by one thread (parallel file creation in one
    /// folder only contends for the folder's lock).
    fn render_into(&self, dir: &Path) -> Result<(), Error> {
        // A document's page shows its own source; profiles and vocabularies,
        // which aggregate pages are built from, are copied (unless the
        // sources are read elsewhere, at `source_url`).
        let sources: BTreeSet<&Path> = if self.source_url.is_some() {
            BTreeSet::new()
        } else {
            self.profiles
                .values()
                .chain(&self.vocabulary_files)
                .map(PathBuf::as_path)
                .collect()
        };
        let pages = self.entries.iter().map(|e| e.url.clone());
        let copies = sources.iter().map(|p| Site::copy_path(p));
        let folders: BTreeSet<PathBuf> = pages
            .chain(copies)
            .filter_map(|p| Path::new(&p).parent().map(|d| dir.join(d)))
            .chain(
                ["areas", "municipalities", "tech", "tags", "assets"]
                    .iter()
                    .filter(|f| self.municipal || ["tags", "assets"].contains(f))
                    .map(|f| dir.join(f)),
            )
            .collect();
        for folder in &folders {
            fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        }
        type File = (String, Vec<u8>);
        let (send, receive) = std::sync::mpsc::sync_channel::<File>(64);
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                for (path, bytes) in receive {
                    let target = dir.join(&path);
                    fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
                }
                Ok::<(), Error>(())
            });
            // A failed send means the writer stopped on an error, which `join` reports.
            let rendered = self.render_all(&sources, send);
            let written = writer
                .join()
                .unwrap_or_else(|_| Err(Error::Usage("the site writer thread panicked".into())));
            written.and(rendered)
        })
    }

    /// Renders every file and sends it to the writer; stops at the first
    /// file that cannot be read or sent.
    fn render_all(
        &self,
        sources: &BTreeSet<&Path>,
        send: std::sync::mpsc::SyncSender<(String, Vec<u8>)>,
    ) -> Result<(), Error> {
        let stopped = || Error::Usage("the site writer stopped".into());
        // Service areas, municipalities and products exist in a municipal corpus only.
        let builders: &[Builder] = if self.municipal {
            &[
                pages::home,
                pages::areas,
                pages::municipalities,
                pages::products,
                pages::tags,
            ]
        } else {
            &[general::home, pages::tags]
        };
        self.entries
            .par_iter()
            .try_for_each_with(send.clone(), |send, e| {
                let html = pages::document(self, e);
                send.send((e.url.clone(), html.into_bytes()))
                    .map_err(|_| stopped())
            })?;
        builders
            .par_iter()
            .try_for_each_with(send.clone(), |send, build| {
                build(self, &mut |path, html| {
                    send.send((path, html.into_bytes())).map_err(|_| stopped())
                })
            })?;
        sources
            .par_iter()
            .try_for_each_with(send.clone(), |send, path| {
                let bytes =
                    fs::read(self.corpus.root.join(path)).map_err(|e| Error::io(path, e))?;
                send.send((Site::copy_path(path), bytes))
                    .map_err(|_| stopped())
            })?;
        let fixed: [(&str, Vec<u8>); 5] = [
            ("feed.xml", feed::atom(self).into_bytes()),
            ("assets/search-index.js", search_index::script(self)),
            (
                "assets/style.css",
                include_bytes!("assets/style.css").to_vec(),
            ),
            (
                "assets/search.js",
                include_bytes!("assets/search.js").to_vec(),
            ),
            (
                MARKER,
                format!("built by mkn from commit {}\n", self.commit).into_bytes(),
            ),
        ];
        for (path, bytes) in fixed {
            send.send((path.to_string(), bytes))
                .map_err(|_| stopped())?;
        }
        Ok(())
    }

    /// Writes the site into a new folder beside `out` and swaps it in: a
    /// folder `mkn` wrote before (it holds [`MARKER`]) is replaced; any other
    /// non-empty folder is left alone and the export fails. Returns the
    /// number of pages.
    pub fn write(&self, out: &Path) -> Result<usize, Error> {
        if out.exists() {
            let empty = fs::read_dir(out)
                .map_err(|e| Error::io(out, e))?
                .next()
                .is_none();
            if !empty && !out.join(MARKER).is_file() {
                return Err(Error::Usage(format!(
                    "{} exists and was not written by `mkn export --format site`; \
                     choose a new or empty folder",
                    out.display()
                )));
            }
        }
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        // Created as `mkdir` would (the umask applies), not 0700: the folder
        // is renamed into place and served as it is.
        let staging = super::temp_builder(super::FOLDER_MODE)
            .prefix(".mkn-site-")
            .tempdir_in(parent)
            .map_err(|e| Error::io(parent, e))?;
        self.render_into(staging.path())?;
        swap_in(staging, out, parent)?;
        Ok(self.entries.len())
    }
}

/// Renames the staged folder to `out`, replacing what was there; on failure
/// the old folder is put back and the staged one removed.
fn swap_in(staging: tempfile::TempDir, out: &Path, parent: &Path) -> Result<(), Error> {
    if !out.exists() {
        let staged = staging.keep();
        return fs::rename(&staged, out).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            Error::io(out, e)
        });
    }
    let old = tempfile::Builder::new()
        .prefix(".mkn-site-old-")
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    let old_site = old.path().join("site");
    fs::rename(out, &old_site).map_err(|e| Error::io(out, e))?;
    if let Err(e) = fs::rename(staging.path(), out) {
        let _ = fs::rename(&old_site, out);
        return Err(Error::io(out, e));
    }
    let _ = staging.keep();
    Ok(())
}

/// A function that renders one kind of page and hands each to `emit`.
type Builder = fn(&Site, &mut pages::Emit) -> Result<(), Error>;

/// `wanted`, or `wanted-2`, `wanted-3`, ... when another page took it.
fn unique(taken: &mut BTreeSet<String>, wanted: &str) -> String {
    let mut name = wanted.to_string();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{wanted}-{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_taken_twice_get_a_number() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique(&mut taken, "practices/a"), "practices/a");
        assert_eq!(unique(&mut taken, "practices/a"), "practices/a-2");
        assert_eq!(unique(&mut taken, "practices/a"), "practices/a-3");
    }

    #[test]
    fn source_copies_stay_inside_the_site() {
        assert_eq!(
            Site::copy_path(Path::new("practices/roads/a.md")),
            "source/practices/roads/a.md"
        );
        assert_eq!(
            Site::copy_path(Path::new("../../etc/passwd")),
            "source/etc/passwd"
        );
    }
}
