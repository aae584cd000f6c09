//! Municipality names as other data sets write them, mapped to registry ids
//! forgivingly but never by guessing.
//!
//! The rules, in order:
//!
//! 1. A mapping file (`name,id`; an empty id means "leave it out") decides
//!    first.
//! 2. A registry id or StatCan code is itself.
//! 3. Names are compared normalised: case, accents and punctuation do not
//!    count, and `Sudbury (Greater)` reads as `Greater Sudbury`. A registry
//!    id with spaces for hyphens (`waterloo region`) is a name too. When
//!    nothing matches, a leading `City of`, `Region of`, `County of`, ... is
//!    dropped, and says which tier is meant.
//! 4. One match is the answer. Several matches (`Waterloo`: the city, a lower
//!    tier, and the region, an upper tier) are ambiguous unless the
//!    preference picks exactly one: `upper` keeps upper and single tiers (the
//!    ones that deliver regional services), `lower` keeps lower and single
//!    tiers.
//! 5. Anything else is unmapped, with a "did you mean" where one is close.

use std::collections::HashMap;
use std::path::Path;

use crate::corpus::vocab::{Municipality, Registry};
use crate::diagnostic::did_you_mean;
use crate::error::Error;

/// Which tier a name shared by several municipalities means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Prefer {
    /// Upper and single tiers (regions, counties, cities that are both).
    Upper,
    /// Lower and single tiers (cities, towns, townships).
    Lower,
}

impl Prefer {
    fn admits(self, m: &Municipality) -> bool {
        match self {
            Prefer::Upper => m.tier != "lower",
            Prefer::Lower => m.tier != "upper",
        }
    }
}

/// Why a name has no id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmapped {
    /// No municipality has this name (perhaps one is close).
    Unknown {
        /// A close registry id, if any.
        close: Option<String>,
    },
    /// Several municipalities have this name and nothing says which.
    Ambiguous {
        /// Their ids.
        candidates: Vec<String>,
    },
    /// The mapping file says to leave it out.
    LeftOut,
}

/// Maps names to registry ids under the rules above.
#[derive(Debug)]
pub struct NameMap<'a> {
    registry: &'a Registry,
    prefer: Option<Prefer>,
    explicit: HashMap<String, Option<String>>,
    by_name: HashMap<String, Vec<&'a Municipality>>,
}

/// Prefixes that name what a place is, and the tier they imply.
const PREFIXES: [(&str, Option<Prefer>); 12] = [
    ("the corporation of the ", None),
    ("corporation of the ", None),
    ("regional municipality of ", Some(Prefer::Upper)),
    ("district municipality of ", Some(Prefer::Upper)),
    ("united counties of ", Some(Prefer::Upper)),
    ("region of ", Some(Prefer::Upper)),
    ("county of ", Some(Prefer::Upper)),
    ("municipality of ", None),
    ("township of ", Some(Prefer::Lower)),
    ("village of ", Some(Prefer::Lower)),
    ("city of ", Some(Prefer::Lower)),
    ("town of ", Some(Prefer::Lower)),
];

/// A name reduced to lower-case ASCII words: accents folded, punctuation
/// dropped, `X (Y)` read as `Y X`.
pub fn normalise(name: &str) -> String {
    let name = name.trim();
    let reordered = match (name.find('('), name.strip_suffix(')')) {
        (Some(open), Some(inner)) if open > 0 => {
            format!("{} {}", &inner[open + 1..], &name[..open])
        }
        _ => name.to_string(),
    };
    let folded: String = reordered
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' | 'Â' | 'Ä' => 'a',
            'ç' | 'Ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Û' | 'Ü' => 'u',
            c if c.is_alphanumeric() => c.to_ascii_lowercase(),
            _ => ' ',
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl<'a> NameMap<'a> {
    /// A map over `registry`, with an optional tier preference.
    pub fn new(registry: &'a Registry, prefer: Option<Prefer>) -> NameMap<'a> {
        let mut by_name: HashMap<String, Vec<&Municipality>> = HashMap::new();
        for m in registry.table.iter() {
            let mut keys = vec![normalise(&m.name), normalise(&m.id.replace('-', " "))];
            keys.dedup();
            for key in keys {
                by_name.entry(key).or_default().push(m);
            }
        }
        NameMap {
            registry,
            prefer,
            explicit: HashMap::new(),
            by_name,
        }
    }

    /// Reads a mapping file: a header `name,id`, then one name per row; an
    /// empty id leaves that name out. Ids must be in the registry.
    pub fn with_mapping_file(mut self, path: &Path) -> Result<NameMap<'a>, Error> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader = csv::Reader::from_reader(file);
        let bad = |line: u64, message: String| {
            Error::Usage(format!("{}:{line}: {message}", path.display()))
        };
        let headers = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
        let (Some(name_at), Some(id_at)) = (
            headers.iter().position(|h| h.trim() == "name"),
            headers.iter().position(|h| h.trim() == "id"),
        ) else {
            return Err(bad(1, "a mapping file has the header `name,id`".into()));
        };
        for record in reader.records() {
            let record =
                record.map_err(|e| bad(e.position().map_or(1, |p| p.line()), e.to_string()))?;
            let line = record.position().map_or(1, |p| p.line());
            let name = record.get(name_at).unwrap_or_default();
            let id = record.get(id_at).unwrap_or_default().trim();
            let target = if id.is_empty() {
                None
            } else {
                let m = self.registry.resolve(id).ok_or_else(|| {
                    let hint = self
                        .registry
                        .hint(id)
                        .map_or_else(String::new, |h| format!(" ({h})"));
                    bad(line, format!("`{id}` is not a known municipality{hint}"))
                })?;
                Some(m.id.clone())
            };
            self.explicit.insert(normalise(name), target);
        }
        Ok(self)
    }

    /// The registry id a name stands for, or why there is none.
    pub fn map(&self, name: &str) -> Result<String, Unmapped> {
        let key = normalise(name);
        if let Some(target) = self.explicit.get(&key) {
            return target.clone().ok_or(Unmapped::LeftOut);
        }
        if let Some(m) = self.registry.resolve(name.trim()) {
            return Ok(m.id.clone());
        }
        let (candidates, implied) = match self.by_name.get(&key) {
            Some(found) => (found.as_slice(), None),
            None => {
                let stripped = PREFIXES.iter().find_map(|(prefix, tier)| {
                    key.strip_prefix(prefix)
                        .map(|rest| (rest.to_string(), *tier))
                });
                match stripped.and_then(|(rest, tier)| Some((self.by_name.get(&rest)?, tier))) {
                    Some((found, tier)) => (found.as_slice(), tier),
                    None => {
                        let ids = self.registry.table.ids();
                        return Err(Unmapped::Unknown {
                            close: did_you_mean(&key.replace(' ', "-"), ids).map(str::to_string),
                        });
                    }
                }
            }
        };
        if let [only] = candidates {
            return Ok(only.id.clone());
        }
        let preferred: Vec<&&Municipality> = match implied.or(self.prefer) {
            Some(prefer) => candidates.iter().filter(|m| prefer.admits(m)).collect(),
            None => Vec::new(),
        };
        match preferred.as_slice() {
            [only] => Ok(only.id.clone()),
            _ => {
                let mut ids: Vec<String> = candidates.iter().map(|m| m.id.clone()).collect();
                ids.sort();
                Err(Unmapped::Ambiguous { candidates: ids })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise("Sudbury (Greater)"), "greater sudbury");
        assert_eq!(normalise("  Côté-St.  Luc "), "cote st luc");
        assert_eq!(normalise("Admaston/Bromley"), "admaston bromley");
    }
}
