//! `mkn new`: skeletons for new documents that pass the schema, with the
//! required sections, written only where no file exists yet.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use crate::check::REQUIRED_SECTIONS;
use crate::config::Kind;
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
    let mut text = format!(
        "---\nid: {id}\ntitle: {}\nkind: beneficial\nareas: [{area}]\nmunicipalities: [{municipality}]\n\
         year: {year}\nstatus: active\nsummary: >-\n  TODO: one paragraph of at most 500 characters: what was done, and what changed.\n\
         tags: []\nsources:\n  - title: \"TODO: the public source this practice is written from\"\n    url: \"https://\"\n---\n",
        yaml_string(title)
    );
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
    let text = format!(
        "---\nmunicipality: {municipality}\nupdated: {today}\ntechnologies:\n  - product: TODO product name\n    \
         vendor: TODO vendor name\n    category: software\n    function: asset-management\n    status: in-use\n    source: 1\n\
         sources:\n  - title: \"TODO: the public source for these entries\"\n    url: \"https://\"\n---\n\
         TODO: a few sentences on the municipality's IT landscape.\n"
    );
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

/// A YAML double-quoted string (JSON strings are valid YAML).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
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
}
