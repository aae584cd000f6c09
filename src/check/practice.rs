//! Rules for the built-in `practice` kind: file layout, references into the
//! vocabularies, evidence that proves a `best` practice, required sections,
//! and the reviewer's warnings.

use std::collections::HashMap;
use std::path::Path;

use super::{Context, Reference, function_ref, source_index, unknown};
use crate::corpus::Document;
use crate::corpus::markdown::Outline;
use crate::corpus::vocab::Direction;
use crate::corpus::yaml::Node;
use crate::diagnostic::Span;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::measures;

/// The body sections every practice has, in this order.
pub const REQUIRED_SECTIONS: [&str; 4] = ["Challenge", "Approach", "Results", "Lessons learned"];

/// The longest summary a reviewer accepts without comment.
pub const SUMMARY_LIMIT: usize = 500;

pub(super) fn check(
    ctx: &Context,
    doc: &Document,
    front: &Node,
    outline: &Outline,
    out: &mut Vec<Diagnostic>,
    references_out: &mut Vec<Reference>,
) {
    let path = doc.path.as_path();
    layout(ctx, doc, front, out);
    references(ctx, doc, front, out, references_out);
    evidence(ctx, path, front, out);
    sections(doc, outline, out);
    reviewer_warnings(path, front, out);
}

/// The id is the file name and the first area is the folder.
fn layout(ctx: &Context, doc: &Document, front: &Node, out: &mut Vec<Diagnostic>) {
    let path = doc.path.as_path();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(id) = front.get("id")
        && let Some(id_text) = id.as_str()
        && id_text != stem
    {
        out.push(
            Diagnostic::error(
                path,
                id.span,
                "practice/file-name",
                format!("id `{id_text}` differs from the file name `{stem}.md`"),
            )
            .with_hint(format!(
                "rename the file to `{id_text}.md` or set `id: {stem}`"
            )),
        );
    }
    let collection_dir = ctx
        .corpus
        .config
        .collections
        .get(&doc.collection)
        .map(|c| c.path.as_path());
    let folder = collection_dir
        .and_then(|dir| path.strip_prefix(dir).ok())
        .and_then(|inner| inner.parent())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    if let Some(first_area) = front.get("areas").and_then(|a| a.items().first())
        && let Some(area) = first_area.as_str()
        && area != folder
    {
        let place = if folder.is_empty() {
            "the collection's top folder".to_string()
        } else {
            format!("folder `{folder}`")
        };
        out.push(
            Diagnostic::error(
                path,
                first_area.span,
                "practice/folder",
                format!("first area `{area}` does not match the {place}"),
            )
            .with_hint(format!(
                "move the file into `{area}/`, or list `{folder}` first"
            )),
        );
    }
}

/// Areas, municipalities, functions and related practices resolve.
fn references(
    ctx: &Context,
    doc: &Document,
    front: &Node,
    out: &mut Vec<Diagnostic>,
    refs: &mut Vec<Reference>,
) {
    let path = doc.path.as_path();
    let vocab = ctx.vocab;
    if let Some(areas) = &vocab.areas {
        unknown_ids(
            path,
            front.get("areas"),
            "ref/area",
            "service area",
            |id| areas.get(id).is_some(),
            |id| suggestion(id, areas.ids()),
            out,
        );
    }
    if let Some(registry) = &vocab.municipalities {
        let known = |id: &str| registry.resolve(id).is_some();
        unknown_ids(
            path,
            front.get("municipalities"),
            "ref/municipality",
            "municipality",
            known,
            |id| registry.hint(id),
            out,
        );
    }
    let has_place = ["municipalities", "elsewhere"]
        .iter()
        .any(|key| front.get(key).is_some_and(|n| !n.items().is_empty()));
    if !has_place {
        out.push(
            Diagnostic::error(path, Span { line: 1, col: 1, len: 3 }, "practice/no-place", "the practice names no municipality")
                .with_hint("list registry ids under `municipalities`, or places outside Ontario under `elsewhere`"),
        );
    }
    for tech in front.get("technologies").map_or(&[][..], Node::items) {
        function_ref(ctx, path, tech, out);
    }
    for node in front.get("related").map_or(&[][..], Node::items) {
        if let Some(id) = node.as_str() {
            refs.push(Reference {
                collection: doc.collection.clone(),
                id: id.to_string(),
                span: node.span,
                code: "ref/related",
                message: format!("related practice `{id}` does not exist"),
            });
        }
    }
}

/// Reports each id under `node` (one id, or a list of them; strings or
/// numbers such as StatCan codes) that `known` does not accept.
fn unknown_ids(
    path: &Path,
    node: Option<&Node>,
    code: &str,
    what: &str,
    known: impl Fn(&str) -> bool,
    hint: impl Fn(&str) -> Option<String>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(node) = node else { return };
    let nodes: &[Node] = if node.items().is_empty() {
        std::slice::from_ref(node)
    } else {
        node.items()
    };
    for node in nodes {
        if let Some(id) = node.id_text()
            && !known(&id)
        {
            out.push(unknown(path, node, code, what, hint(&id)));
        }
    }
}

/// Evidence entries resolve and are in order; a `best` practice's evidence improved.
fn evidence(ctx: &Context, path: &Path, front: &Node, out: &mut Vec<Diagnostic>) {
    let vocab = ctx.vocab;
    let is_best = front.get("kind").and_then(Node::as_str) == Some("best");
    let entries = front.get("evidence").map_or(&[][..], Node::items);
    if is_best && entries.is_empty() {
        let kind = front.get("kind").expect("is_best implies kind");
        out.push(
            Diagnostic::error(
                path,
                kind.span,
                "evidence/missing",
                "a best practice needs measured evidence",
            )
            .with_hint(
                "add `evidence` with a baseline and a result, or file it as `kind: beneficial`",
            ),
        );
    }
    for (i, entry) in entries.iter().enumerate() {
        source_index(path, front, entry, out);
        if let Some(registry) = &vocab.municipalities {
            let known = |id: &str| registry.resolve(id).is_some();
            unknown_ids(
                path,
                entry.get("municipality"),
                "ref/municipality",
                "municipality",
                known,
                |id| registry.hint(id),
                out,
            );
        }
        let measure_node = entry.get("measure");
        let measure = match (
            &vocab.measures,
            measure_node.and_then(|n| n.as_str().map(|s| (n, s))),
        ) {
            (Some(measures), Some((node, id))) => match measures.get(id) {
                Some(m) => Some(m),
                None => {
                    out.push(unknown(
                        path,
                        node,
                        "ref/measure",
                        "measure",
                        suggestion(id, measures.ids()),
                    ));
                    None
                }
            },
            _ => None,
        };
        let observation = |key: &str| {
            let node = entry.get(key)?;
            Some((
                node,
                node.get("year")?.as_i64()?,
                node.get("value")?.as_f64()?,
            ))
        };
        let (Some((_, base_year, base_value)), Some((result, result_year, result_value))) =
            (observation("baseline"), observation("result"))
        else {
            continue;
        };
        let year_node = result.get("year").unwrap_or(result);
        if result_year <= base_year {
            out.push(
                Diagnostic::error(
                    path,
                    year_node.span,
                    "evidence/years",
                    format!("evidence[{i}]: the result year {result_year} is not after the baseline year {base_year}"),
                )
                .with_hint("the baseline is the measurement before the practice, the result one after it"),
            );
            continue;
        }
        if let Some(measure) = measure {
            let municipality = entry
                .get("municipality")
                .or_else(|| front.get("municipalities").and_then(|m| m.items().first()))
                .and_then(Node::id_text);
            let municipality = match (&vocab.municipalities, municipality) {
                (Some(registry), Some(m)) => registry.resolve(&m).map(|r| r.id.clone()),
                (None, m) => m,
                (_, None) => None,
            };
            if let Some(municipality) = municipality {
                for (key, year, value) in [
                    ("baseline", base_year, base_value),
                    ("result", result_year, result_value),
                ] {
                    mismatch(
                        ctx,
                        path,
                        entry,
                        (i, key),
                        (&municipality, &measure.id),
                        (year, value),
                        out,
                    );
                }
            }
        }
        let (Some(measure), true) = (measure, is_best) else {
            continue;
        };
        let measure_span = measure_node.map_or(entry.span, |n| n.span);
        match measure.better {
            None => out.push(
                Diagnostic::error(
                    path,
                    measure_span,
                    "evidence/no-direction",
                    format!("evidence[{i}]: measure `{}` has no known better direction, so it cannot show an improvement", measure.id),
                )
                .with_hint("use a measure whose direction is known, or file the practice as `kind: beneficial`"),
            ),
            Some(direction) => {
                let improved = measures::change(base_value, result_value, Some(direction)).improved;
                if improved != Some(true) {
                    let better = match direction {
                        Direction::Lower => "lower",
                        Direction::Higher => "higher",
                    };
                    out.push(
                        Diagnostic::error(
                            path,
                            result.get("value").map_or(result.span, |n| n.span),
                            "evidence/not-improved",
                            format!(
                                "evidence[{i}]: `{}` went from {base_value} ({base_year}) to {result_value} ({result_year}), but {better} is better",
                                measure.id
                            ),
                        )
                        .with_hint("a best practice needs results that moved in the better direction; otherwise file it as `kind: beneficial`"),
                    );
                }
            }
        }
    }
}

/// An evidence figure that differs from the value reported for the same
/// municipality, measure and year in the corpus's data.
fn mismatch(
    ctx: &Context,
    path: &Path,
    entry: &Node,
    (i, key): (usize, &str),
    (municipality, measure): (&str, &str),
    (year, value): (i64, f64),
    out: &mut Vec<Diagnostic>,
) {
    let Ok(year) = i32::try_from(year) else {
        return;
    };
    let Some((reported, origin)) = ctx.data.get(municipality, measure, year) else {
        return;
    };
    if measures::values_agree(value, reported.value) {
        return;
    }
    let node = entry
        .get(key)
        .map(|n| n.get("value").unwrap_or(n))
        .unwrap_or(entry);
    out.push(
        Diagnostic::warning(
            path,
            node.span,
            "evidence/mismatch",
            format!(
                "evidence[{i}]: the {key} says {value} for {municipality} in {year}, but {}:{} reports {}",
                crate::corpus::display_path(&origin.path),
                origin.line,
                reported.value
            ),
        )
        .with_hint("use the reported figure, or cite a source that explains the difference (a restated or differently defined value)"),
    );
}

/// The four sections are present, as headings of the body.
fn sections(doc: &Document, outline: &Outline, out: &mut Vec<Diagnostic>) {
    for section in REQUIRED_SECTIONS {
        let present = outline
            .headings
            .iter()
            .any(|h| h.text.eq_ignore_ascii_case(section));
        if !present {
            out.push(
                Diagnostic::error(
                    &doc.path,
                    Span {
                        line: doc.body_line,
                        col: 1,
                        len: 1,
                    },
                    "practice/section",
                    format!("the body has no `{section}` section"),
                )
                .with_hint(format!(
                    "add a heading `## {section}`; every practice has {}",
                    REQUIRED_SECTIONS.join(", ")
                )),
            );
        }
    }
}

/// What a reviewer would flag but need not block: long summaries, sources
/// without a URL, the same source twice.
fn reviewer_warnings(path: &Path, front: &Node, out: &mut Vec<Diagnostic>) {
    if let Some(summary) = front.get("summary")
        && let Some(text) = summary.as_str()
    {
        let length = text.chars().count();
        if length > SUMMARY_LIMIT {
            out.push(
                Diagnostic::warning(
                    path,
                    summary.span,
                    "style/summary-length",
                    format!("the summary is {length} characters; keep it to {SUMMARY_LIMIT}"),
                )
                .with_hint("say what was done and what changed; details belong in the body"),
            );
        }
    }
    let mut seen: HashMap<String, Span> = HashMap::new();
    for source in front.get("sources").map_or(&[][..], Node::items) {
        let url = source.get("url").and_then(Node::as_str);
        if url.is_none() {
            out.push(
                Diagnostic::warning(
                    path,
                    source.span,
                    "source/no-url",
                    "this source has no `url`",
                )
                .with_hint("add a link so a reader can verify the source"),
            );
        }
        let key = match url {
            Some(url) => normalise_url(url),
            None => source
                .get("title")
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_lowercase(),
        };
        if key.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(&key) {
            out.push(
                Diagnostic::warning(
                    path,
                    source.span,
                    "source/duplicate",
                    "this source is listed twice",
                )
                .with_related(path, *first, "first listed here")
                .with_hint("remove the repeated entry"),
            );
        } else {
            seen.insert(key, source.span);
        }
    }
}

/// A URL without scheme, `www.` and trailing slash, for comparing sources.
fn normalise_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    rest.trim_end_matches('/').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_without_scheme_and_slash() {
        assert_eq!(
            normalise_url("https://www.Guelph.ca/report/"),
            normalise_url("http://guelph.ca/report")
        );
        assert_ne!(
            normalise_url("https://guelph.ca/a"),
            normalise_url("https://guelph.ca/b")
        );
    }
}
