//! `file:` URIs, as editors name documents, and the paths they stand for.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;

/// The local path of a `file:` URI (percent-escapes decoded); `None` for
/// other schemes, a remote host or an escape that is not UTF-8.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let (host, path) = rest.split_at(rest.find('/')?);
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let decoded = decode(path)?;
    // `file:///C:/x` on Windows is the path `C:/x`.
    let windows_drive = cfg!(windows) && decoded.as_bytes().get(2) == Some(&b':');
    Some(PathBuf::from(if windows_drive {
        &decoded[1..]
    } else {
        &decoded[..]
    }))
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

/// Decodes `%XX` escapes; `None` when they do not make UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
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
