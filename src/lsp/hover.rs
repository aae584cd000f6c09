//! Hover in the front matter: what a key means (its schema description) and
//! what a referenced id stands for (the area, municipality, measure or
//! function's name, the practice's title).

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::document::Opened;
use super::place::{Place, Slot};
use super::position::range_of_bytes;
use super::values;

/// The hover at a place of an opened document, if there is something to say.
pub fn hover(doc: &Opened, line: usize, place: &Place) -> Option<Hover> {
    let text = match place.slot {
        Slot::Key => {
            let description = doc.schema()?.description_at(&place.path)?;
            format!("**{}**\n\n{description}", place.word)
        }
        Slot::Value => {
            if place.word.is_empty() {
                return None;
            }
            let (path, _) = doc.value_path(place);
            let source = values::source(doc.collection, doc.schema(), &path)?;
            let vocab = doc.workspace.corpus.vocab().ok()?;
            values::describe(doc.workspace, vocab, &source, &place.word)?
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range_of_bytes(
            doc.text,
            line,
            place.word_range.start,
            place.word_range.end,
        )),
    })
}
