//! SARIF 2.1.0 output, the format GitHub code scanning and other tools read.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::corpus::display_path;
use crate::diagnostic::{Diagnostic, Severity};

/// A SARIF log with one run holding every diagnostic.
pub fn log(diagnostics: &[Diagnostic]) -> Value {
    let rules: BTreeSet<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(hint) = &d.hint {
                text.push_str(&format!(" (help: {hint})"));
            }
            json!({
                "ruleId": d.code,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": display_path(&d.path), "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": d.span.line,
                            "startColumn": d.span.col,
                            "endColumn": d.span.col + d.span.len,
                        }
                    }
                }],
                "relatedLocations": d.related.iter().enumerate().map(|(i, r)| json!({
                    "id": i,
                    "message": { "text": r.message },
                    "physicalLocation": {
                        "artifactLocation": { "uri": display_path(&r.path), "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": r.span.line, "startColumn": r.span.col }
                    }
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "mkn",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>(),
                }
            },
            "results": results,
        }]
    })
}
