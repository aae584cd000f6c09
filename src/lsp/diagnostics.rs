//! `mkn check`'s diagnostics as the protocol's.

use std::path::Path;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
};

use super::position::range_of;
use super::uri;
use super::workspace::LoadError;
use crate::diagnostic::{Diagnostic, Severity};

/// A diagnostic of the document whose text is `text`, in the corpus at
/// `root`: the rule code as code, the hint on a line of its own, related
/// places as related information.
pub fn from_check(text: &str, root: &Path, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
    let message = match &diagnostic.hint {
        Some(hint) => format!("{}\nhelp: {hint}", diagnostic.message),
        None => diagnostic.message.clone(),
    };
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .filter_map(|related| {
            let file = root.join(&related.path);
            let range = if related.path == diagnostic.path {
                range_of(text, related.span)
            } else {
                range_of(
                    &std::fs::read_to_string(&file).unwrap_or_default(),
                    related.span,
                )
            };
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri::from_path(&file)?, range),
                message: related.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range_of(text, diagnostic.span),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.clone())),
        source: Some("mkn".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}

/// The one diagnostic of a document whose corpus cannot be checked (a
/// broken `mkn.toml`, schema or vocabulary), on its first line.
pub fn from_load_error(error: &LoadError) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 3)),
        severity: Some(DiagnosticSeverity::ERROR),
        code: error.code.clone().map(NumberOrString::String),
        source: Some("mkn".into()),
        message: format!("the corpus cannot be checked: {}", error.message),
        ..lsp_types::Diagnostic::default()
    }
}
