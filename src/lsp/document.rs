//! Open documents: their text as the editor has it, edits to it, and the
//! corpus and collection a document belongs to.

use lsp_types::{Position, TextDocumentContentChangeEvent};
use serde_json::Value as Json;

use super::place::Place;
use super::position::{byte_of_utf16, line_text};
use super::workspace::Workspace;
use crate::check::schema::Schema;
use crate::config::Collection;

/// An open document of a collection, with what completion and hover need.
pub struct Opened<'a> {
    /// The editor's text.
    pub text: &'a str,
    /// Its corpus.
    pub workspace: &'a Workspace,
    /// Its collection.
    pub collection: &'a Collection,
}

impl Opened<'_> {
    /// The schema of the document's collection, if it has one.
    pub fn schema(&self) -> Option<&Schema> {
        self.workspace.prepared.schemas().get(&self.collection.name)
    }

    /// The path whose values fill a value place, and whether the value must
    /// be written as a list: right after a key whose schema is a list, the
    /// values are its items', written in brackets.
    pub fn value_path(&self, place: &Place) -> (Vec<String>, bool) {
        let is_list = place.after_key
            && self
                .schema()
                .and_then(|s| s.at(&place.path))
                .and_then(|s| s.get("type"))
                .and_then(Json::as_str)
                == Some("array");
        if is_list {
            ([place.path.clone(), vec!["0".into()]].concat(), true)
        } else {
            (place.path.clone(), false)
        }
    }
}

/// Applies one change an editor sent: a replaced range, or the whole text.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let start = byte_offset(text, range.start);
            let end = byte_offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text,
    }
}

/// The byte offset of a position in `text`, clamped to the text.
fn byte_offset(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line = line_text(&text[line_start..], 0);
    line_start + byte_of_utf16(line, position.character)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Range;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| {
                Range::new(Position::new(l1, c1), Position::new(l2, c2))
            }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn edits_replace_their_range_in_utf16_columns() {
        let mut text = "---\ntitle: 🚗 guleph\n---\n".to_string();
        apply_change(&mut text, change(Some(((1, 10), (1, 16))), "guelph"));
        assert_eq!(text, "---\ntitle: 🚗 guelph\n---\n");
        apply_change(&mut text, change(Some(((3, 0), (3, 0))), "body\n"));
        assert_eq!(text, "---\ntitle: 🚗 guelph\n---\nbody\n");
        apply_change(&mut text, change(Some(((1, 99), (9, 0))), ""));
        assert_eq!(text, "---\ntitle: 🚗 guelph", "past the end: clamped");
        apply_change(&mut text, change(None, "new"));
        assert_eq!(text, "new");
    }
}
