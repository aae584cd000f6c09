//! Links in a body, resolved as a static-site host resolves them.
//!
//! Addresses are not files: a destination with a URI scheme (`https:`,
//! `mailto:`, `tel:`, `about:` ...), `//host/...` or an email autolink is not
//! checked offline. A relative destination loses its query string and
//! fragment, then resolves from the folder of the file that holds it: the file
//! itself, else `x.md`, `x/index.md`, `x/_index.md`, else the folder `x` (the
//! pretty URLs Hugo and Jekyll publish). A target that exists only in another
//! letter case is `ref/link-case`: it breaks on Linux and on most hosts, and
//! works on the case-insensitive disk it was written on. Site-absolute links
//! (`/docs/x`) are left unchecked: where they land depends on the site
//! generator's content root and permalinks, which `mkn` does not know.
//!
//! A fragment (`#heading`, `other.md#heading`) must be an anchor of the target
//! document (`ref/anchor`): a heading's explicit id (`## Title {#id}`) or the
//! slug GitHub and Hugo give its text ([`markdown::slug`]), or an `id`/`name`
//! in raw HTML. Anchors are checked in the documents of the collections; an
//! anchor into any other file is not.

use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::corpus::Document;
use crate::corpus::markdown::{self, Outline};
use crate::corpus::yaml::Span;
use crate::diagnostic::{Diagnostic, suggestion};

/// A link's fragment, to be checked once every document's anchors are known.
#[derive(Debug, Clone)]
pub(crate) struct AnchorLink {
    /// The document it points into, relative to the corpus root.
    pub target: PathBuf,
    /// The fragment, percent-decoded, without `#`.
    pub fragment: String,
    /// Where the link stands.
    pub span: Span,
}

/// Where a relative link leads.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    /// To this file or folder, relative to the corpus root.
    Found(PathBuf),
    /// Only to this file or folder, whose name differs in letter case.
    CaseOnly(PathBuf),
    /// Nowhere.
    Missing,
    /// Outside the corpus root: only whether it exists is known.
    Outside(bool),
}

/// Checks the links of `doc`: missing targets and case-only matches are
/// reported in `out`; fragments go to `anchors`, for [`check_anchors`].
pub(crate) fn check(
    root: &Path,
    doc: &Document,
    outline: &Outline,
    out: &mut Vec<Diagnostic>,
    anchors: &mut Vec<AnchorLink>,
) {
    let dir = doc.path.parent().unwrap_or(Path::new(""));
    for link in &outline.links {
        if link.email || markdown::has_scheme(&link.dest) {
            continue;
        }
        let (before_fragment, fragment) = match link.dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (link.dest.as_str(), None),
        };
        let written = before_fragment.split('?').next().unwrap_or_default();
        let target = percent_decode_str(written).decode_utf8_lossy();
        if target.starts_with('/') {
            continue;
        }
        let found = if target.is_empty() {
            doc.path.clone()
        } else {
            match resolve(root, dir, &target) {
                Resolved::Found(found) => found,
                Resolved::Outside(true) => continue,
                Resolved::CaseOnly(real) => {
                    out.push(
                        Diagnostic::warning(
                            &doc.path,
                            link.span,
                            "ref/link-case",
                            format!("link to `{written}`, which exists only in another letter case"),
                        )
                        .with_hint(format!(
                            "the file is `{}`: write its name as it is, since Linux and most web hosts tell letter cases apart",
                            crate::corpus::display_path(&real)
                        )),
                    );
                    continue;
                }
                Resolved::Missing | Resolved::Outside(false) => {
                    out.push(
                        Diagnostic::error(
                            &doc.path,
                            link.span,
                            "ref/link",
                            format!("link to `{written}`, which does not exist"),
                        )
                        .with_hint("relative links are resolved from the folder of this file; `x` also finds `x.md`, `x/index.md` and `x/_index.md`"),
                    );
                    continue;
                }
            }
        };
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            anchors.push(AnchorLink {
                target: found,
                fragment: percent_decode_str(fragment)
                    .decode_utf8_lossy()
                    .into_owned(),
                span: link.span,
            });
        }
    }
}

/// Checks fragments against the anchors of the documents they point into;
/// `anchors_of` gives a document's anchors, `None` for a file that is not a
/// document (whose fragments are not checked).
pub(crate) fn check_anchors<'a>(
    path: &Path,
    links: &[AnchorLink],
    anchors_of: impl Fn(&Path) -> Option<&'a [String]>,
    out: &mut Vec<Diagnostic>,
) {
    for link in links {
        let Some(anchors) = anchors_of(&link.target) else {
            continue;
        };
        // `#top` is the top of any page, in every browser.
        if link.fragment == "top" || anchors.contains(&link.fragment) {
            continue;
        }
        let place = if link.target == path {
            "this document".to_string()
        } else {
            format!("`{}`", crate::corpus::display_path(&link.target))
        };
        let hint = suggestion(&link.fragment, anchors.iter().map(String::as_str)).or_else(|| {
            Some("a heading's anchor is its text in lower case, punctuation dropped, spaces as `-` (as GitHub and Hugo make it), or its `{#id}`".into())
        });
        out.push(
            Diagnostic::warning(
                path,
                link.span,
                "ref/anchor",
                format!("`#{}` is not a heading or anchor of {place}", link.fragment),
            )
            .with_hint_opt(hint),
        );
    }
}

/// Where `target` (relative, decoded, without query or fragment), written in
/// a file of `dir`, leads.
fn resolve(root: &Path, dir: &Path, target: &str) -> Resolved {
    let mut parts: Vec<String> = Vec::new();
    for component in dir.join(target).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::ParentDir if parts.pop().is_none() => {
                return Resolved::Outside(root.join(dir).join(target).exists());
            }
            _ => {}
        }
    }
    let candidates = candidates(&parts);
    for candidate in &candidates {
        let path = root.join(candidate);
        if path.is_file() {
            return Resolved::Found(candidate.clone());
        }
    }
    let as_folder: PathBuf = parts.iter().collect();
    if root.join(&as_folder).is_dir() {
        return Resolved::Found(as_folder);
    }
    candidates
        .iter()
        .chain([&as_folder])
        .find_map(|candidate| ignoring_case(root, candidate))
        .map_or(Resolved::Missing, Resolved::CaseOnly)
}

/// The files a link to `parts` may mean: the file itself, then, unless it
/// names a markdown file, `x.md`, `x/index.md` and `x/_index.md`.
fn candidates(parts: &[String]) -> Vec<PathBuf> {
    let exact: PathBuf = parts.iter().collect();
    let Some(last) = parts.last() else {
        return vec![PathBuf::from("index.md"), PathBuf::from("_index.md")];
    };
    if last.ends_with(".md") {
        return vec![exact];
    }
    let mut with_md = exact.clone();
    with_md.set_file_name(format!("{last}.md"));
    vec![
        exact.clone(),
        with_md,
        exact.join("index.md"),
        exact.join("_index.md"),
    ]
}

/// The path under `root` whose names equal `rel`'s but for letter case, if
/// one exists; `None` when there is none or `rel` exists as written.
fn ignoring_case(root: &Path, rel: &Path) -> Option<PathBuf> {
    let mut real = PathBuf::new();
    let mut differs = false;
    for part in rel.iter() {
        let here = root.join(&real);
        if here.join(part).symlink_metadata().is_ok() {
            real.push(part);
            continue;
        }
        let wanted = part.to_string_lossy().to_lowercase();
        let mut names: Vec<_> = std::fs::read_dir(&here)
            .ok()?
            .flatten()
            .map(|e| e.file_name())
            .filter(|name| name.to_string_lossy().to_lowercase() == wanted)
            .collect();
        names.sort();
        real.push(names.first()?);
        differs = true;
    }
    differs.then_some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        dir
    }

    #[test]
    fn resolves_as_a_static_host() {
        let dir = tree(&[
            "docs/nixos.md",
            "docs/guides/_index.md",
            "docs/blog/post/index.md",
            "docs/Active.md",
            "static/logo.png",
        ]);
        let root = dir.path();
        let from = Path::new("docs");
        let found = |p: &str| Resolved::Found(PathBuf::from(p));
        assert_eq!(resolve(root, from, "./nixos"), found("docs/nixos.md"));
        assert_eq!(resolve(root, from, "nixos/"), found("docs/nixos.md"));
        assert_eq!(
            resolve(root, from, "guides/"),
            found("docs/guides/_index.md")
        );
        assert_eq!(
            resolve(root, from, "blog/post"),
            found("docs/blog/post/index.md")
        );
        assert_eq!(resolve(root, from, "blog"), found("docs/blog"));
        assert_eq!(
            resolve(root, from, "../static/logo.png"),
            found("static/logo.png")
        );
        assert_eq!(
            resolve(root, from, "./active.md"),
            Resolved::CaseOnly(PathBuf::from("docs/Active.md"))
        );
        assert_eq!(
            resolve(root, from, "../DOCS/active"),
            Resolved::CaseOnly(PathBuf::from("docs/Active.md"))
        );
        assert_eq!(resolve(root, from, "nixos.md.md"), Resolved::Missing);
        assert_eq!(resolve(root, from, "missing"), Resolved::Missing);
        assert_eq!(
            resolve(root, from, "../../elsewhere.md"),
            Resolved::Outside(false)
        );
    }
}
