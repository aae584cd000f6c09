//! `mkn new`: skeletons for new documents that pass the schema, with the
//! required sections, written only where no file exists yet.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use crate::check::REQUIRED_SECTIONS;
use crate::config::{FrontMatter, Kind};
use crate::corpus::Corpus;
use crate::error::Error;

/// Writes a practice skeleton and returns its path relative to the root.
pub fn new_practice(
    corpus: &Corpus,
    area: &str,
    municipality: &str,
    title: &str,
    year: i64,
) -> Result<PathBuf, Error> {
    let collection = corpus
        .config
        .collection_of_kind(Kind::Practice)
        .ok_or_else(|| {
            Error::Usage("mkn.toml declares no collection with `kind = \"practice\"`".into())
        })?;
    corpus.vocab()?.area(area)?;
    let municipality = resolve_municipality(corpus, municipality)?;
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(
            "the title needs at least one letter or digit".into(),
        ));
    }
    let id = format!("{municipality}-{slug}");
    let source = vec![
        (
            "title",
            Field::Text("TODO: the public source this practice is written from".into()),
        ),
        ("url", Field::Text("https://".into())),
    ];
    let fields = [
        ("id", Field::Word(id.clone())),
        ("title", Field::Text(title.to_string())),
        ("kind", Field::Word("beneficial".into())),
        ("areas", Field::Words(vec![area.to_string()])),
        ("municipalities", Field::Words(vec![municipality.clone()])),
        ("year", Field::Int(year)),
        ("status", Field::Word("active".into())),
        (
            "summary",
            Field::Text(
                "TODO: one paragraph of at most 500 characters: what was done, and what changed."
                    .into(),
            ),
        ),
        ("tags", Field::Words(Vec::new())),
        ("sources", Field::Tables(vec![source])),
    ];
    let mut text = front_matter(&fields, collection.front_matter);
    for section in REQUIRED_SECTIONS {
        text.push_str(&format!("\n## {section}\n\nTODO\n"));
    }
    let rel = collection.path.join(area).join(format!("{id}.md"));
    write_new(corpus, &rel, &text)?;
    Ok(rel)
}

/// Writes a technology profile skeleton and returns its path relative to the root.
pub fn new_profile(corpus: &Corpus, municipality: &str, today: &str) -> Result<PathBuf, Error> {
    let collection = corpus
        .config
        .collection_of_kind(Kind::Profile)
        .ok_or_else(|| {
            Error::Usage("mkn.toml declares no collection with `kind = \"profile\"`".into())
        })?;
    let municipality = resolve_municipality(corpus, municipality)?;
    let technology = vec![
        ("product", Field::Text("TODO product name".into())),
        ("vendor", Field::Text("TODO vendor name".into())),
        ("category", Field::Word("software".into())),
        ("function", Field::Word("asset-management".into())),
        ("status", Field::Word("in-use".into())),
        ("source", Field::Int(1)),
    ];
    let source = vec![
        (
            "title",
            Field::Text("TODO: the public source for these entries".into()),
        ),
        ("url", Field::Text("https://".into())),
    ];
    let fields = [
        ("municipality", Field::Word(municipality.clone())),
        ("updated", Field::Date(today.to_string())),
        ("technologies", Field::Tables(vec![technology])),
        ("sources", Field::Tables(vec![source])),
    ];
    let mut text = front_matter(&fields, collection.front_matter);
    text.push_str("TODO: a few sentences on the municipality's IT landscape.\n");
    let rel = collection.path.join(format!("{municipality}.md"));
    write_new(corpus, &rel, &text)?;
    Ok(rel)
}

fn resolve_municipality(corpus: &Corpus, value: &str) -> Result<String, Error> {
    match &corpus.vocab()?.municipalities {
        None => Ok(value.to_string()),
        Some(registry) => match registry.resolve(value) {
            Some(m) => Ok(m.id.clone()),
            None => {
                let hint = registry
                    .hint(value)
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                Err(Error::Usage(format!(
                    "`{value}` is not a municipality of the registry{hint}"
                )))
            }
        },
    }
}

/// Creates the file, failing rather than overwriting one that exists.
fn write_new(corpus: &Corpus, rel: &std::path::Path, text: &str) -> Result<(), Error> {
    let path = corpus.root.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Usage(format!(
                    "{} already exists; mkn new never overwrites a file",
                    rel.display()
                ))
            } else {
                Error::io(&path, e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(&path, e))
}

/// Kebab-case from a title: lower-case ASCII letters and digits joined by `-`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title
        .chars()
        .flat_map(fold_accent)
        .flat_map(char::to_lowercase)
    {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-')
        .chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn fold_accent(c: char) -> Option<char> {
    Some(match c {
        'à' | 'â' | 'ä' | 'á' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' => 'i',
        'ô' | 'ö' | 'ó' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        'É' | 'È' => 'E',
        other => other,
    })
}

/// One value of a skeleton's front matter.
enum Field {
    /// A string written plainly in YAML when it is an id (`guelph`).
    Word(String),
    /// Any text, always quoted.
    Text(String),
    /// An integer.
    Int(i64),
    /// A date, `YYYY-MM-DD`: a bare TOML date, a string elsewhere.
    Date(String),
    /// A list of ids.
    Words(Vec<String>),
    /// A list of tables (TOML's `[[key]]`).
    Tables(Vec<Vec<(&'static str, Field)>>),
}

/// The front matter of a skeleton, frame included, in the format the
/// collection declares (YAML unless it declares TOML or JSON).
fn front_matter(fields: &[(&str, Field)], format: FrontMatter) -> String {
    match format {
        FrontMatter::Toml => toml_front_matter(fields),
        FrontMatter::Json => json_front_matter(fields),
        FrontMatter::Yaml | FrontMatter::Any => yaml_front_matter(fields),
    }
}

/// A double-quoted string: JSON's escapes are valid in YAML and in TOML.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A word as YAML writes it: plain when it is a kebab-case id.
fn yaml_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.bytes().all(|b| b.is_ascii_digit());
    if plain { s.to_string() } else { quoted(s) }
}

/// A value as YAML writes it on one line (lists of tables in flow style).
fn yaml_value(field: &Field) -> String {
    match field {
        Field::Word(w) => yaml_word(w),
        Field::Text(t) => quoted(t),
        Field::Int(i) => i.to_string(),
        Field::Date(d) => d.clone(),
        Field::Words(words) => format!(
            "[{}]",
            words
                .iter()
                .map(|w| yaml_word(w))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Field::Tables(tables) => {
            let tables: Vec<String> = tables
                .iter()
                .map(|table| {
                    let entries: Vec<String> = table
                        .iter()
                        .map(|(k, v)| format!("{k}: {}", yaml_value(v)))
                        .collect();
                    format!("{{{}}}", entries.join(", "))
                })
                .collect();
            format!("[{}]", tables.join(", "))
        }
    }
}

/// YAML: lists of tables at the top level as block lists.
fn yaml_front_matter(fields: &[(&str, Field)]) -> String {
    let mut text = String::from("---\n");
    for (key, field) in fields {
        match field {
            Field::Tables(tables) => {
                text.push_str(&format!("{key}:\n"));
                for table in tables {
                    for (i, (k, v)) in table.iter().enumerate() {
                        let lead = if i == 0 { "  - " } else { "    " };
                        text.push_str(&format!("{lead}{k}: {}\n", yaml_value(v)));
                    }
                }
            }
            other => text.push_str(&format!("{key}: {}\n", yaml_value(other))),
        }
    }
    text.push_str("---\n");
    text
}

/// A value as TOML writes it on one line (lists of tables as inline tables).
fn toml_value(field: &Field) -> String {
    match field {
        Field::Word(s) | Field::Text(s) => quoted(s),
        Field::Int(i) => i.to_string(),
        Field::Date(d) => d.clone(),
        Field::Words(words) => format!(
            "[{}]",
            words
                .iter()
                .map(|w| quoted(w))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Field::Tables(tables) => {
            let tables: Vec<String> = tables
                .iter()
                .map(|table| {
                    let entries: Vec<String> = table
                        .iter()
                        .map(|(k, v)| format!("{k} = {}", toml_value(v)))
                        .collect();
                    format!("{{ {} }}", entries.join(", "))
                })
                .collect();
            format!("[{}]", tables.join(", "))
        }
    }
}

/// TOML: the plain keys first, then each list of tables as `[[key]]` blocks,
/// as TOML requires.
fn toml_front_matter(fields: &[(&str, Field)]) -> String {
    let mut text = String::from("+++\n");
    for (key, field) in fields {
        if !matches!(field, Field::Tables(_)) {
            text.push_str(&format!("{key} = {}\n", toml_value(field)));
        }
    }
    for (key, field) in fields {
        if let Field::Tables(tables) = field {
            for table in tables {
                text.push_str(&format!("\n[[{key}]]\n"));
                for (k, v) in table {
                    text.push_str(&format!("{k} = {}\n", toml_value(v)));
                }
            }
        }
    }
    text.push_str("+++\n");
    text
}

/// JSON: one object, the body after its closing brace (Hugo's rule).
fn json_front_matter(fields: &[(&str, Field)]) -> String {
    fn value(field: &Field) -> String {
        match field {
            Field::Word(s) | Field::Text(s) | Field::Date(s) => quoted(s),
            Field::Int(i) => i.to_string(),
            Field::Words(words) => format!(
                "[{}]",
                words
                    .iter()
                    .map(|w| quoted(w))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Field::Tables(tables) => {
                let tables: Vec<String> = tables
                    .iter()
                    .map(|table| {
                        let entries: Vec<String> = table
                            .iter()
                            .map(|(k, v)| format!("{}: {}", quoted(k), value(v)))
                            .collect();
                        format!("    {{{}}}", entries.join(", "))
                    })
                    .collect();
                format!("[\n{}\n  ]", tables.join(",\n"))
            }
        }
    }
    let entries: Vec<String> = fields
        .iter()
        .map(|(key, field)| format!("  {}: {}", quoted(key), value(field)))
        .collect();
    format!("{{\n{}\n}}\n", entries.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Route optimisation for winter control"),
            "route-optimisation-for-winter-control"
        );
        assert_eq!(slugify("  Café: 311 & more!  "), "cafe-311-more");
        assert_eq!(slugify("!!!"), "");
    }

    fn skeleton() -> Vec<(&'static str, Field)> {
        vec![
            ("id", Field::Word("guelph-x".into())),
            ("title", Field::Text("Say \"hi\"\\ once".into())),
            ("year", Field::Int(2016)),
            ("updated", Field::Date("2026-12-04".into())),
            (
                "areas",
                Field::Words(vec!["roads".into(), "3523008".into()]),
            ),
            (
                "sources",
                Field::Tables(vec![vec![
                    ("title", Field::Text("A".into())),
                    ("url", Field::Text("https://".into())),
                    (
                        "pages",
                        Field::Tables(vec![
                            vec![("from", Field::Int(3))],
                            vec![("from", Field::Int(9))],
                        ]),
                    ),
                ]]),
            ),
        ]
    }

    #[test]
    fn the_three_formats_read_back_to_the_same_values() {
        let fields = skeleton();
        let mut roots = Vec::new();
        for format in [FrontMatter::Yaml, FrontMatter::Toml, FrontMatter::Json] {
            let text = format!("{}body\n", front_matter(&fields, format));
            let doc = crate::corpus::parse_document(
                std::path::Path::new("p/x.md"),
                "p",
                "x".into(),
                &text,
            );
            assert!(
                doc.problems.is_empty(),
                "{format:?}: {:?}\n{text}",
                doc.problems
            );
            assert_eq!(doc.body, "body\n", "{format:?}");
            roots.push(doc.front.unwrap().to_json());
        }
        assert_eq!(roots[0]["title"], "Say \"hi\"\\ once");
        assert_eq!(
            roots[0]["areas"][1], "3523008",
            "a numeric id stays a string"
        );
        assert_eq!(roots[0]["updated"], "2026-12-04");
        assert_eq!(roots[0]["sources"][0]["pages"][0]["from"], 3);
        assert_eq!(roots[0], roots[1]);
        assert_eq!(roots[0], roots[2]);
    }

    #[test]
    fn toml_skeletons_use_tables_and_bare_dates() {
        let text = front_matter(&skeleton(), FrontMatter::Toml);
        assert!(text.starts_with("+++\nid = \"guelph-x\"\n"), "{text}");
        assert!(text.contains("updated = 2026-12-04\n"), "{text}");
        assert!(
            text.ends_with(
                "\n[[sources]]\ntitle = \"A\"\nurl = \"https://\"\npages = [{ from = 3 }, { from = 9 }]\n+++\n"
            ),
            "{text}"
        );
    }
}
