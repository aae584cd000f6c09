//! Completion in the front matter: the keys the schema allows where a key
//! goes, the values a vocabulary, the corpus or an `enum` allows where a
//! value goes.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, Range, TextEdit,
};
use serde_json::Value as Json;

use super::document::Opened;
use super::place::{Place, Slot};
use super::position::range_of_bytes;
use super::values::{self, Source};

/// The completions at a place of an opened document.
pub fn items(doc: &Opened, line: usize, place: &Place) -> Vec<CompletionItem> {
    let range = range_of_bytes(doc.text, line, place.word_range.start, place.word_range.end);
    let schema = doc.schema();
    match place.slot {
        Slot::Key => keys(doc, &place.path[..place.path.len() - 1], place, range),
        Slot::Value => {
            let value_schema = schema.and_then(|s| s.at(&place.path));
            if !place.after_key && value_schema.is_some_and(is_object) {
                return keys(doc, &place.path, place, range);
            }
            let (path, as_list) = doc.value_path(place);
            let Some(source) = values::source(doc.collection, schema, &path) else {
                return Vec::new();
            };
            let kind = match source {
                Source::Enum(_) => CompletionItemKind::ENUM_MEMBER,
                Source::Documents(_) => CompletionItemKind::REFERENCE,
                _ => CompletionItemKind::VALUE,
            };
            values::choices(doc.workspace, &source)
                .into_iter()
                .map(|choice| CompletionItem {
                    text_edit: Some(edit(
                        range,
                        if as_list {
                            format!("[{}]", choice.value)
                        } else {
                            choice.value.clone()
                        },
                    )),
                    filter_text: Some(choice.value.clone()),
                    kind: Some(kind),
                    detail: choice.detail,
                    documentation: choice.documentation.map(markdown),
                    label: choice.value,
                    ..CompletionItem::default()
                })
                .collect()
        }
    }
}

/// The keys of the mapping at `mapping` not written yet, required ones first.
fn keys(doc: &Opened, mapping: &[String], place: &Place, range: Range) -> Vec<CompletionItem> {
    let Some(schema) = doc.schema() else {
        return Vec::new();
    };
    let Some(object) = schema.at(mapping) else {
        return Vec::new();
    };
    let Some(properties) = object.get("properties").and_then(Json::as_object) else {
        return Vec::new();
    };
    let required: Vec<&str> = object
        .get("required")
        .and_then(Json::as_array)
        .map(|r| r.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    properties
        .keys()
        .enumerate()
        .filter(|(_, key)| !place.siblings.contains(key))
        .map(|(order, key)| {
            let is_required = required.contains(&key.as_str());
            let path = [mapping, std::slice::from_ref(key)].concat();
            CompletionItem {
                label: key.clone(),
                kind: Some(CompletionItemKind::PROPERTY),
                detail: is_required.then(|| "required".to_string()),
                documentation: schema.description_at(&path).map(markdown),
                sort_text: Some(format!("{}{order:04}", if is_required { 0 } else { 1 })),
                filter_text: Some(key.clone()),
                text_edit: Some(edit(
                    range,
                    if place.has_colon {
                        key.clone()
                    } else {
                        format!("{key}: ")
                    },
                )),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn is_object(schema: &Json) -> bool {
    schema.get("type").and_then(Json::as_str) == Some("object")
        || schema.get("properties").is_some()
}

fn edit(range: Range, new_text: String) -> CompletionTextEdit {
    CompletionTextEdit::Edit(TextEdit { range, new_text })
}

fn markdown(text: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: text,
    })
}
