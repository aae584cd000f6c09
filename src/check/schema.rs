//! JSON Schema validation of front matter, with each error placed on the
//! offending key or value in the file.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::{Location, LocationSegment};
use serde_json::Value as Json;

use crate::corpus::Corpus;
use crate::corpus::yaml::Node;
use crate::diagnostic::Span;
use crate::diagnostic::{Diagnostic, span_at, suggestion};
use crate::error::Error;

/// A compiled schema and its source, kept to explain errors.
pub struct Schema {
    validator: jsonschema::Validator,
    source: Json,
}

/// The compiled schema of each collection that declares one.
pub struct Schemas {
    by_collection: HashMap<String, Schema>,
}

impl Schemas {
    /// Reads and compiles every collection's schema; a broken schema is an error.
    pub fn load(corpus: &Corpus) -> Result<Schemas, Error> {
        let mut by_collection = HashMap::new();
        for collection in corpus.config.collections() {
            if let Some(rel) = &collection.schema {
                by_collection.insert(collection.name.clone(), Schema::load(&corpus.root, rel)?);
            }
        }
        Ok(Schemas { by_collection })
    }

    /// The schema of a collection, if it declares one.
    pub fn get(&self, collection: &str) -> Option<&Schema> {
        self.by_collection.get(collection)
    }
}

impl Schema {
    /// Reads and compiles one schema file (JSON Schema 2020-12 unless it says otherwise).
    pub fn load(root: &Path, rel: &Path) -> Result<Schema, Error> {
        let text = fs::read_to_string(root.join(rel)).map_err(|e| Error::io(rel, e))?;
        let invalid = |span: Span, message: String| {
            Error::Invalid(Box::new(Diagnostic::error(
                rel,
                span,
                "config/schema",
                message,
            )))
        };
        let source: Json = serde_json::from_str(&text).map_err(|e| {
            invalid(
                Span {
                    line: e.line(),
                    col: e.column(),
                    len: 1,
                },
                format!("the schema is not valid JSON: {e}"),
            )
        })?;
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&source)
            .map_err(|e| {
                let pointer = e.instance_path().to_string();
                let span = locate_json_pointer(&text, &pointer);
                invalid(span, format!("the schema is not a valid JSON Schema: {e}"))
            })?;
        Ok(Schema { validator, source })
    }

    /// The schema document.
    pub fn source(&self) -> &Json {
        &self.source
    }

    /// Validates a document's front matter; every error becomes a diagnostic.
    pub fn validate(&self, path: &Path, front: &Node, out: &mut Vec<Diagnostic>) {
        let instance = front.to_json();
        for error in self.validator.iter_errors(&instance) {
            let steps = segments(error.instance_path());
            let node = front.lookup(&steps).unwrap_or(front);
            let schema_steps = segments(error.schema_path());
            let parent = self.resolve(&schema_steps[..schema_steps.len().saturating_sub(1)]);
            let at = describe_path(&steps);
            let code = format!("schema/{}", kebab(error.kind().keyword()));
            match error.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected }
                | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                    let allowed: Vec<&str> = parent
                        .and_then(|p| p.get("properties"))
                        .and_then(Json::as_object)
                        .map(|o| o.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    for key in unexpected {
                        let span = node.entry(key).map_or(node.span, |(k, _)| k.span);
                        let hint = suggestion(key, allowed.iter().copied()).or_else(|| {
                            (!allowed.is_empty())
                                .then(|| format!("allowed keys: {}", allowed.join(", ")))
                        });
                        out.push(
                            Diagnostic::error(
                                path,
                                span,
                                code.clone(),
                                format!("{at}unknown key `{key}`"),
                            )
                            .with_hint_opt(hint),
                        );
                    }
                }
                ValidationErrorKind::Required { property } => {
                    let name = property
                        .as_str()
                        .map_or_else(|| property.to_string(), str::to_string);
                    let span = if steps.is_empty() {
                        Span {
                            line: 1,
                            col: 1,
                            len: 3,
                        }
                    } else {
                        node.span
                    };
                    let hint = parent
                        .and_then(|p| p.pointer(&format!("/properties/{name}")))
                        .and_then(|p| self.description(p));
                    out.push(
                        Diagnostic::error(
                            path,
                            span,
                            code,
                            format!("{at}missing required key `{name}`"),
                        )
                        .with_hint_opt(hint),
                    );
                }
                ValidationErrorKind::Enum { options } => {
                    let choices: Vec<String> = options
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    let written = node.value.to_string();
                    let hint = node
                        .as_str()
                        .and_then(|s| suggestion(s, choices.iter().map(String::as_str)));
                    out.push(
                        Diagnostic::error(
                            path,
                            node.span,
                            code,
                            format!("{at}{written} is not one of: {}", choices.join(", ")),
                        )
                        .with_hint_opt(hint),
                    );
                }
                ValidationErrorKind::OneOfNotValid { context }
                | ValidationErrorKind::AnyOf { context } => {
                    let keyword = error.kind().keyword();
                    let alternatives = parent
                        .and_then(|p| p.get(keyword))
                        .and_then(Json::as_array)
                        .map_or(&[][..], Vec::as_slice);
                    let hint = parent.and_then(|p| self.description(p));
                    out.push(
                        Diagnostic::error(
                            path,
                            node.span,
                            code,
                            format!(
                                "{at}{}",
                                closest(context, alternatives, keyword, steps.len())
                            ),
                        )
                        .with_hint_opt(hint),
                    );
                }
                ValidationErrorKind::OneOfMultipleValid { context } => {
                    let matching: Vec<String> = context
                        .iter()
                        .enumerate()
                        .filter(|(_, errors)| errors.is_empty())
                        .map(|(i, _)| (i + 1).to_string())
                        .collect();
                    out.push(
                        Diagnostic::error(
                            path,
                            node.span,
                            code,
                            format!(
                                "{at}matches alternatives {} of `oneOf`, where exactly one may match",
                                matching.join(" and ")
                            ),
                        )
                        .with_hint("make the value fit one alternative only, or change `oneOf` to `anyOf` in the schema"),
                    );
                }
                _ => {
                    let hint = parent.and_then(|p| self.description(p));
                    out.push(
                        Diagnostic::error(path, node.span, code, format!("{at}{error}"))
                            .with_hint_opt(hint),
                    );
                }
            }
        }
    }

    /// Whether the schema declares the value at an instance path a number, so
    /// that a number written `12.50` is what was meant.
    pub fn expects_number(&self, path: &[String]) -> bool {
        let Some(node) = self.at(path) else {
            return false;
        };
        let is_number = |t: &Json| matches!(t.as_str(), Some("number" | "integer"));
        match node.get("type") {
            Some(Json::Array(types)) => types.iter().any(is_number),
            Some(t) => is_number(t),
            None => false,
        }
    }

    /// The schema of the value at an instance path (keys, and indexes for
    /// list items), following local `$ref`s; `None` where the schema says
    /// nothing about that path.
    pub fn at(&self, path: &[String]) -> Option<&Json> {
        let mut node = self.through_refs(&self.source);
        for step in path {
            node = self.through_refs(child(node, step)?);
        }
        Some(node)
    }

    /// The `description` the schema gives the value at an instance path,
    /// whether beside its `$ref` or in what the `$ref` points at.
    pub fn description_at(&self, path: &[String]) -> Option<String> {
        let (last, parent) = path.split_last()?;
        self.description(child(self.at(parent)?, last)?)
    }

    /// `node`, or what its chain of local `$ref`s leads to (a chain that
    /// loops ends where it is after a few steps).
    fn through_refs<'a>(&'a self, mut node: &'a Json) -> &'a Json {
        for _ in 0..16 {
            match self.follow_ref(node) {
                Some(target) => node = target,
                None => break,
            }
        }
        node
    }

    /// The schema node at a schema path, following local `$ref`s on the way.
    fn resolve(&self, steps: &[String]) -> Option<&Json> {
        let mut node = &self.source;
        for step in steps {
            node = if step == "$ref" {
                self.follow_ref(node)?
            } else {
                match node {
                    Json::Object(o) => o.get(step)?,
                    Json::Array(a) => a.get(step.parse::<usize>().ok()?)?,
                    _ => return None,
                }
            };
        }
        Some(node)
    }

    fn follow_ref<'a>(&'a self, node: &'a Json) -> Option<&'a Json> {
        let target = node.get("$ref")?.as_str()?;
        self.source.pointer(target.strip_prefix('#')?)
    }

    /// A node's `description`, looking through a `$ref`.
    fn description(&self, node: &Json) -> Option<String> {
        node.get("description")
            .or_else(|| self.follow_ref(node).and_then(|n| n.get("description")))
            .and_then(Json::as_str)
            .map(str::to_string)
    }
}

/// A location's steps: keys, and indexes as numbers.
fn segments(location: &Location) -> Vec<String> {
    location
        .iter()
        .map(|s| match s {
            LocationSegment::Property(p) => p.to_string(),
            LocationSegment::Index(i) => i.to_string(),
        })
        .collect()
}

/// What a value that fits none of the alternatives of `oneOf`/`anyOf` is
/// told: which alternative came closest and the first reason it fails,
/// rather than the whole value. The closest is the one with the fewest
/// errors, one whose type does not even fit counting as farthest; `context`
/// holds each alternative's errors, and `depth` is the number of steps to the
/// value, so nested reasons are named from there.
fn closest(
    context: &[Vec<ValidationError>],
    alternatives: &[Json],
    keyword: &str,
    depth: usize,
) -> String {
    let count = context.len();
    let wrong_type = |errors: &[ValidationError]| {
        errors.iter().any(|e| {
            matches!(e.kind(), ValidationErrorKind::Type { .. })
                && segments(e.instance_path()).len() == depth
        })
    };
    let Some((index, errors)) = context
        .iter()
        .enumerate()
        .filter(|(_, errors)| !errors.is_empty())
        .min_by_key(|(_, errors)| (wrong_type(errors), errors.len()))
    else {
        return format!("fits none of the {count} alternatives of `{keyword}`");
    };
    let name = alternatives.get(index).and_then(|alternative| {
        let title = alternative.get("title").and_then(Json::as_str);
        let reference = alternative
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.rsplit('/').next());
        let kind = alternative.get("type").map(|t| match t {
            Json::String(t) => t.clone(),
            other => other.to_string(),
        });
        title
            .map(str::to_string)
            .or(reference.map(|r| format!("`{r}`")))
            .or(kind.map(|k| format!("type {k}")))
    });
    let name = name.map_or_else(String::new, |n| format!(", {n}"));
    let first = &errors[0];
    let inner = segments(first.instance_path());
    let reason = match first.kind() {
        ValidationErrorKind::Required { property } => format!(
            "missing required key `{}`",
            property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string)
        ),
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            format!("unknown key `{}`", unexpected.join("`, `"))
        }
        _ => first.to_string(),
    };
    format!(
        "fits none of the {count} alternatives of `{keyword}`; the closest (alternative {}{name}) fails with {}{reason}",
        index + 1,
        describe_path(inner.get(depth..).unwrap_or_default()),
    )
}

/// The schema of one step down from `node`: its `items` for an index, else
/// the property of that name.
fn child<'a>(node: &'a Json, step: &str) -> Option<&'a Json> {
    if step.parse::<usize>().is_ok() {
        node.get("items")
    } else {
        node.get("properties")?.get(step)
    }
}

/// `evidence[0].baseline: ` for a path of steps, empty for the root.
fn describe_path(steps: &[String]) -> String {
    if steps.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for step in steps {
        if step.parse::<usize>().is_ok() {
            out.push_str(&format!("[{step}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(step);
        }
    }
    out + ": "
}

fn kebab(keyword: &str) -> String {
    let mut out = String::new();
    for c in keyword.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Where a JSON pointer's last key stands in a JSON text, roughly: the first
/// occurrence of the quoted key. Good enough to point at a broken schema keyword.
fn locate_json_pointer(text: &str, pointer: &str) -> Span {
    pointer
        .rsplit('/')
        .next()
        .filter(|k| !k.is_empty())
        .and_then(|key| text.find(&format!("\"{key}\"")))
        .map_or(
            Span {
                line: 1,
                col: 1,
                len: 1,
            },
            |offset| span_at(text, offset, 1),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_yaml() {
        let steps = ["evidence".to_string(), "0".into(), "baseline".into()];
        assert_eq!(describe_path(&steps), "evidence[0].baseline: ");
        assert_eq!(describe_path(&[]), "");
    }

    #[test]
    fn keywords_become_kebab_codes() {
        assert_eq!(kebab("additionalProperties"), "additional-properties");
        assert_eq!(kebab("type"), "type");
    }
}
