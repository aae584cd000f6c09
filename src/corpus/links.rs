//! Where a link in a body leads, as a static-site host resolves it.
//!
//! Addresses are not files: a destination with a URI scheme (`https:`,
//! `mailto:`, `tel:`, `about:` ...) or `//host/...` is not a link into the
//! corpus ([`destination`] gives `None`), nor is an email autolink, which the
//! caller knows from the markdown. A relative destination loses its query
//! string and fragment, then resolves from the folder of the file that holds
//! it ([`resolve`]): the file itself, else `x.md`, `x/index.md`,
//! `x/_index.md`, else the folder `x` (the pretty URLs Hugo and Jekyll
//! publish); when none exists, a target that exists in another letter case is
//! told apart. Site-absolute links (`/docs/x`) and links a template fills in
//! (`{{ site.baseurl }}/x`, `{% link x.md %}`) are not resolved: where they
//! land depends on the site generator's content root, permalinks and
//! variables, which `mkn` does not know.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::corpus::markdown;

/// A link destination into the corpus, taken apart.
#[derive(Debug, PartialEq, Eq)]
pub struct Destination<'a> {
    /// The path as written, without query string or fragment.
    pub written: &'a str,
    /// The path percent-decoded (`my%20notes` is `my notes`); empty for a
    /// link into the same document (`#part`).
    pub path: Cow<'a, str>,
    /// The fragment, percent-decoded, without `#`; `None` when there is none
    /// or it is empty.
    pub fragment: Option<String>,
}

/// A link destination taken apart; `None` for an address (a URI scheme,
/// `//host`), a site-absolute path, or one a template fills in when the site
/// is built (`{{ site.baseurl }}/x`, `{% link x.md %}`, `{{< ref x >}}`).
pub fn destination(dest: &str) -> Option<Destination<'_>> {
    if markdown::has_scheme(dest) || dest.contains("{{") || dest.contains("{%") {
        return None;
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let written = before_fragment.split('?').next().unwrap_or_default();
    if written.starts_with('/') {
        return None;
    }
    Some(Destination {
        written,
        path: percent_decode_str(written).decode_utf8_lossy(),
        fragment: fragment
            .filter(|f| !f.is_empty())
            .map(|f| percent_decode_str(f).decode_utf8_lossy().into_owned()),
    })
}

/// Where a relative link leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// To this file or folder, relative to the corpus root.
    Found(PathBuf),
    /// Only to this file or folder, whose name differs in letter case.
    CaseOnly(PathBuf),
    /// Nowhere.
    Missing,
    /// Outside the corpus root: only whether it exists is known.
    Outside(bool),
}

/// Where `target` (relative, decoded, without query or fragment), written in
/// the document at `file` (relative to `root`), leads: from the file's
/// folder, else, when that finds nothing, from the folder its page has under
/// pretty URLs (`docs/install.md` is published as `docs/install/`, so Hugo
/// and Jekyll sites write `../nixos/` there for `docs/nixos.md`).
pub fn resolve_from(root: &Path, file: &Path, target: &str) -> Resolved {
    let dir = file.parent().unwrap_or(Path::new(""));
    let first = resolve(root, dir, target);
    if matches!(first, Resolved::Found(_) | Resolved::Outside(true)) {
        return first;
    }
    let stem = file.file_stem().map(|s| s.to_string_lossy());
    match stem {
        Some(stem) if !matches!(stem.as_ref(), "index" | "_index") => {
            match resolve(root, &dir.join(stem.as_ref()), target) {
                found @ Resolved::Found(_) => found,
                _ => first,
            }
        }
        _ => first,
    }
}

/// Where `target` (relative, decoded, without query or fragment), written in
/// a file of `dir` (relative to `root`), leads.
pub fn resolve(root: &Path, dir: &Path, target: &str) -> Resolved {
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
    fn destinations_lose_query_and_decode() {
        let d = destination("my%20notes?plain=1#what%27s-new").unwrap();
        assert_eq!(d.written, "my%20notes");
        assert_eq!(d.path, "my notes");
        assert_eq!(d.fragment.as_deref(), Some("what's-new"));
        assert_eq!(destination("#").unwrap().fragment, None);
        assert_eq!(destination("/docs/x"), None);
        assert_eq!(destination("mailto:a@b.c"), None);
        assert_eq!(destination("{{site.baseurl}}/docs/x"), None);
        assert_eq!(destination("{%link_x.md%}"), None);
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
