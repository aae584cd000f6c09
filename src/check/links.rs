//! Links in a body, resolved as a static-site host resolves them
//! ([`crate::corpus::links`]): one that leads nowhere is `ref/link`; one whose
//! target exists only in another letter case is `ref/link-case`, since it
//! breaks on Linux and on most hosts and works on the case-insensitive disk it
//! was written on. Addresses, email autolinks and site-absolute links are not
//! checked.
//!
//! A fragment (`#heading`, `other.md#heading`) must be an anchor of the target
//! document (`ref/anchor`): a heading's explicit id (`## Title {#id}`) or the
//! slug GitHub and Hugo give its text ([`crate::corpus::markdown::slug`]), or an `id`/`name`
//! in raw HTML. Anchors are checked in the documents of the collections; an
//! anchor into any other file is not.

use std::path::{Path, PathBuf};

use crate::corpus::Document;
use crate::corpus::links::{Resolved, destination, resolve_from};
use crate::corpus::markdown::Outline;
use crate::diagnostic::Span;
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

/// Checks the links of `doc`: missing targets and case-only matches are
/// reported in `out`; fragments go to `anchors`, for [`check_anchors`].
pub(crate) fn check(
    root: &Path,
    doc: &Document,
    outline: &Outline,
    out: &mut Vec<Diagnostic>,
    anchors: &mut Vec<AnchorLink>,
) {
    for link in &outline.links {
        let Some(dest) = destination(&link.dest).filter(|_| !link.email) else {
            continue;
        };
        let written = dest.written;
        let found = if dest.path.is_empty() {
            doc.path.clone()
        } else {
            match resolve_from(root, &doc.path, &dest.path) {
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
        if let Some(fragment) = dest.fragment {
            anchors.push(AnchorLink {
                target: found,
                fragment,
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
