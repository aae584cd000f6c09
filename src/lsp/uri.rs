//! `file:` URIs, as editors name documents, and the paths they stand for.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;
use url::Url;

/// The local path of a `file:` URI (percent-escapes decoded); `None` for
/// other schemes, a remote host or a path that is not UTF-8.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let path = Url::parse(uri.as_str()).ok()?.to_file_path().ok()?;
    path.to_str().is_some().then_some(path)
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    Uri::from_str(Url::from_file_path(path).ok()?.as_str()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            to_path(&uri("file:///home/a%20b/practices/x.md")),
            Some(PathBuf::from("/home/a b/practices/x.md"))
        );
        assert_eq!(
            to_path(&uri("file://localhost/tmp/x.md")),
            Some(PathBuf::from("/tmp/x.md"))
        );
        assert_eq!(to_path(&uri("untitled:Untitled-1")), None);
        assert_eq!(to_path(&uri("file://server/share/x.md")), None);
        assert_eq!(to_path(&uri("file:///bad%FF")), None);
    }

    #[test]
    fn paths_become_file_uris_and_back() {
        let path = Path::new("/tmp/kn/practices/é x#1.md");
        let uri = from_path(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/kn/practices/%C3%A9%20x%231.md");
        assert_eq!(to_path(&uri).as_deref(), Some(path));
    }
}
