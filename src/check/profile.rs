//! Rules for the built-in `profile` kind: one municipality's technology stack.

use std::collections::{BTreeMap, HashMap};

use super::{Checked, Context, function_ref, source_index, unknown};
use crate::corpus::Document;
use crate::corpus::yaml::Node;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Span;
use crate::infobase::normalise_name;

pub(super) fn check(ctx: &Context, doc: &Document, front: &Node, out: &mut Vec<Diagnostic>) {
    let path = doc.path.as_path();
    let vocab = ctx.vocab;
    if let Some(node) = front.get("municipality")
        && let Some(id) = node.as_str()
    {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match &vocab.municipalities {
            Some(registry) if registry.resolve(id).is_none() => {
                out.push(unknown(
                    path,
                    node,
                    "ref/municipality",
                    "municipality",
                    registry.hint(id),
                ));
            }
            _ if id != stem => out.push(
                Diagnostic::error(
                    path,
                    node.span,
                    "profile/file-name",
                    format!("municipality `{id}` differs from the file name `{stem}.md`"),
                )
                .with_hint(format!(
                    "a profile is named after its municipality: `{id}.md`"
                )),
            ),
            _ => {}
        }
    }
    let mut seen: HashMap<(String, String), Span> = HashMap::new();
    for entry in front.get("technologies").map_or(&[][..], Node::items) {
        source_index(path, front, entry, out);
        function_ref(ctx, path, entry, out);
        let function = entry.get("function").and_then(Node::as_str);
        if let Some(since) = entry.get("since")
            && let Some(year) = since.as_i64()
            && year > ctx.this_year
        {
            out.push(
                Diagnostic::error(path, since.span, "profile/since-future", format!("`since: {year}` is in the future"))
                    .with_hint("`since` is the year the product went into use; use `status: planned` for what is to come"),
            );
        }
        if let (Some(product), Some(function)) =
            (entry.get("product").and_then(Node::as_str), function)
        {
            let key = (normalise_name(product), function.to_string());
            if let Some(first) = seen.get(&key) {
                out.push(
                    Diagnostic::error(
                        path,
                        entry.span,
                        "profile/duplicate-entry",
                        format!("`{product}` is listed twice for `{function}`"),
                    )
                    .with_related(path, *first, "first listed here")
                    .with_hint("keep one entry per product and function"),
                );
            } else {
                seen.insert(key, entry.span);
            }
        }
    }
}

/// Each way a vendor is written, with the places it is written so.
type Spellings<'a> = BTreeMap<&'a str, Vec<(&'a Checked, Span)>>;

/// Warns where one vendor is spelled several ways (`ESRI`, `Esri`) across the
/// corpus, at each spelling other than the most used one.
pub(super) fn vendor_spellings(documents: &[Checked], out: &mut Vec<Diagnostic>) {
    let mut spellings: BTreeMap<String, Spellings> = BTreeMap::new();
    for doc in documents {
        for (vendor, span) in &doc.vendors {
            spellings
                .entry(normalise_name(vendor))
                .or_default()
                .entry(vendor.as_str())
                .or_default()
                .push((doc, *span));
        }
    }
    for variants in spellings.values().filter(|v| v.len() > 1) {
        let (preferred, uses) = variants
            .iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
            .expect("at least two variants");
        let (first_doc, first_span) = uses[0];
        for (spelling, places) in variants.iter().filter(|(s, _)| *s != preferred) {
            for (doc, span) in places {
                out.push(
                    Diagnostic::warning(
                        &doc.path,
                        *span,
                        "vendor/spelling",
                        format!("vendor `{spelling}` is written `{preferred}` elsewhere"),
                    )
                    .with_related(&first_doc.path, first_span, format!("`{preferred}` here"))
                    .with_hint(format!(
                        "write `{preferred}` everywhere, so listings count the vendor once"
                    )),
                );
            }
        }
    }
}
