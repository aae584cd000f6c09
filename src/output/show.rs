//! `mkn show`: one document rendered for a terminal, or as JSON.

use std::io::Write;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;

use super::listing::{Style, table};
use crate::error::Error;
use crate::infobase::products::OtherUsers;
use crate::measures::Evidence;

/// A document as `show` presents it.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    /// Document id.
    pub id: String,
    /// File, relative to the corpus root.
    pub path: String,
    /// Title.
    pub title: String,
    /// The front matter as JSON (null when it could not be read).
    pub front_matter: serde_json::Value,
    /// How strong the evidence is (none without evidence).
    pub evidence_strength: Option<crate::measures::strength::Strength>,
    /// Evidence with computed change.
    pub evidence: Vec<Evidence>,
    /// The markdown body.
    pub body: String,
    /// Who else uses the technologies it names, from the technology directory.
    pub technology_users: Vec<OtherUsers>,
}

/// Writes a document for a terminal: heading, key facts, body, evidence, sources.
pub fn write_shown(w: &mut dyn Write, shown: &Shown, style: Style) -> Result<(), Error> {
    let bold = |s: &str| {
        if style.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    writeln!(w, "{}", bold(&shown.title))?;
    let front = &shown.front_matter;
    let text = |key: &str| match &front[key] {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(items) => Some(
            items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        other => Some(other.to_string()),
    };
    let facts: Vec<String> = [
        "kind",
        "areas",
        "municipalities",
        "elsewhere",
        "year",
        "status",
        "municipality",
        "updated",
    ]
    .iter()
    .filter_map(|k| {
        text(k)
            .filter(|v| !v.is_empty())
            .map(|v| match shown.evidence_strength {
                Some(strength) if *k == "kind" => format!("{k}: {v} (evidence: {strength})"),
                _ => format!("{k}: {v}"),
            })
    })
    .collect();
    writeln!(w, "{} · {}", shown.id, shown.path)?;
    if !facts.is_empty() {
        writeln!(w, "{}", facts.join(" · "))?;
    }
    if let Some(summary) = text("summary") {
        writeln!(w, "\n{summary}")?;
    }
    writeln!(w)?;
    write!(w, "{}", render_markdown(&shown.body, style))?;
    if !shown.evidence.is_empty() {
        writeln!(w, "\n{}", bold("Evidence"))?;
        let mut t = table(
            style,
            &[
                "measure",
                "municipality",
                "baseline",
                "result",
                "change",
                "better",
                "improved",
            ],
        );
        for e in &shown.evidence {
            t.add_row(vec![
                match &e.measure_name {
                    Some(name) => format!("{}\n{name}", e.measure),
                    None => e.measure.clone(),
                },
                e.municipality.clone().unwrap_or_default(),
                format!("{} ({})", e.baseline.1, e.baseline.0),
                format!("{} ({})", e.result.1, e.result.0),
                e.change.text(),
                e.better
                    .map(|b| format!("{b:?}").to_lowercase())
                    .unwrap_or_else(|| "unknown".into()),
                match e.change.improved {
                    Some(true) => "yes".into(),
                    Some(false) => "no".into(),
                    None => "-".into(),
                },
            ]);
        }
        writeln!(w, "{t}")?;
    }
    if !shown.technology_users.is_empty() {
        writeln!(w, "\n{}", bold("Who else uses these"))?;
        for tech in &shown.technology_users {
            let users: Vec<String> = tech
                .users
                .iter()
                .map(|u| {
                    let rating = u.rating.map(|r| format!(", {r}/5")).unwrap_or_default();
                    format!("{} ({}{rating})", u.name, u.status)
                })
                .collect();
            let users = if users.is_empty() {
                "nobody else in the technology directory".to_string()
            } else {
                users.join(", ")
            };
            writeln!(w, "{}: {users}", tech.product)?;
        }
    }
    if let Some(sources) = front["sources"].as_array() {
        writeln!(w, "\n{}", bold("Sources"))?;
        for (i, source) in sources.iter().enumerate() {
            let title = source["title"].as_str().unwrap_or("");
            let url = source["url"]
                .as_str()
                .map(|u| format!(" <{u}>"))
                .unwrap_or_default();
            writeln!(w, "{:>3}. {title}{url}", i + 1)?;
        }
    }
    Ok(())
}

/// Markdown for a terminal: headings in bold, bullets, links with their target.
pub fn render_markdown(body: &str, style: Style) -> String {
    let mut out = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link: Option<String> = None;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
                if style.color {
                    out.push_str("\x1b[1m");
                }
                if level == HeadingLevel::H1 {
                    out.push_str("# ");
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if style.color {
                    out.push_str("\x1b[0m");
                }
                out.push('\n');
            }
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("• "),
                }
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::End(TagEnd::Paragraph) => {
                out.push_str(if lists.is_empty() { "\n\n" } else { "\n" })
            }
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take() {
                    out.push_str(&format!(" <{url}>"));
                }
            }
            Event::Start(Tag::Emphasis | Tag::Strong) if style.color => out.push_str("\x1b[1m"),
            Event::End(TagEnd::Emphasis | TagEnd::Strong) if style.color => out.push_str("\x1b[0m"),
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => out.push_str("――――\n\n"),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_headings_lists_and_links() {
        let style = Style {
            color: false,
            width: 80,
            unicode: false,
        };
        let out = render_markdown(
            "## Results\n\nFewer *breaks*:\n\n- one\n- two [report](https://x.org)\n",
            style,
        );
        assert_eq!(
            out,
            "Results\nFewer breaks:\n\n• one\n• two report <https://x.org>\n\n"
        );
    }
}
