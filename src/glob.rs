//! Globs read as `.gitignore` reads them, for the collections' `include`
//! and `exclude` and for `[check.per-path]`.

use globset::{Glob, GlobBuilder};

/// Compiles a glob as `.gitignore` reads it, matched against paths inside a
/// collection's folder (or the corpus root): `*` and `?` stay inside one folder, `**` crosses
/// folders; a pattern without `/` matches a name at any depth (`*.md`,
/// `drafts`), one with a `/` inside is relative to the folder (`docs/*.md`),
/// a leading `/` anchors a name to the folder itself (`/index.md`), and a
/// trailing `/` takes a folder with everything in it (`drafts/`).
pub fn gitignore(pattern: &str) -> Result<Glob, globset::Error> {
    let (body, folder) = match pattern.strip_suffix('/') {
        Some(body) => (body, true),
        None => (pattern, false),
    };
    let anchored = body.contains('/');
    let body = body.strip_prefix('/').unwrap_or(body);
    let mut full = if anchored {
        body.to_string()
    } else {
        format!("**/{body}")
    };
    if folder {
        full.push_str("/**");
    }
    GlobBuilder::new(&full)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn globs_read_like_gitignore() {
        let matches = |pattern: &str, path: &str| {
            gitignore(pattern)
                .unwrap()
                .compile_matcher()
                .is_match(Path::new(path))
        };
        assert!(matches("*.md", "a.md"));
        assert!(matches("*.md", "deep/er/a.md"));
        assert!(matches("docs/*.md", "docs/a.md"));
        assert!(!matches("docs/*.md", "docs/sub/a.md"), "`*` stops at `/`");
        assert!(matches("docs/**/*.md", "docs/sub/deeper/a.md"));
        assert!(matches("docs/**/*.md", "docs/a.md"));
        assert!(matches("/index.md", "index.md"));
        assert!(
            !matches("/index.md", "sub/index.md"),
            "a leading `/` anchors"
        );
        assert!(matches("index.md", "sub/index.md"));
        assert!(matches("drafts/", "drafts/a.md"));
        assert!(matches("drafts/", "sub/drafts/deep/a.md"));
        assert!(!matches("drafts/", "drafts.md"));
        assert!(matches("**/*.md", "a.md"));
        assert!(gitignore("a[").is_err());
    }
}
