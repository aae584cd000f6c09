//! What the directory keeps of a document: the entries of a technology
//! profile ([`Usage`]) and the technologies a practice names ([`Mention`]).
//! Reading is lenient: a value `mkn check` would reject is left out (a rating
//! of 6 is no rating), never a reason to drop the rest of the profile.

use serde::{Deserialize, Serialize};

use crate::corpus::Document;
use crate::corpus::yaml::{Node, Value};

/// One entry of a profile: a product a municipality uses for a function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Municipality id (the registry's, once the directory resolves it).
    pub municipality: String,
    /// Product name as written.
    pub product: String,
    /// Vendor as written.
    pub vendor: String,
    /// software, hardware or service.
    pub category: String,
    /// Business-function id.
    pub function: String,
    /// Version, if given.
    pub version: Option<String>,
    /// Year adopted, if given.
    pub since: Option<i64>,
    /// in-use, planned, retiring or retired.
    pub status: String,
    /// 1 to 5, if given and valid.
    pub rating: Option<u8>,
    /// What the municipality says about it.
    pub review: Option<String>,
    /// Whom to call.
    pub contact: Option<Contact>,
}

/// A person to ask about a product.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Name.
    pub name: Option<String>,
    /// Role or title.
    pub role: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
}

impl Contact {
    /// Name, role and e-mail on one line.
    pub fn line(&self) -> String {
        let mut parts: Vec<&str> = [&self.name, &self.role]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let email = self.email.as_ref().map(|e| format!("<{e}>"));
        parts.extend(email.as_deref());
        parts.join(", ")
    }
}

/// A technology named in a practice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Document id.
    pub practice: String,
    /// Product name as written.
    pub product: String,
    /// Vendor, if given.
    pub vendor: Option<String>,
    /// Business-function id, if given.
    pub function: Option<String>,
    /// The document's municipalities as written.
    pub municipalities: Vec<String>,
}

/// The profile entries of a document, with its `municipality` key (empty
/// when absent). Entries without a product are left out.
pub fn usages(doc: &Document) -> Vec<Usage> {
    let Some(front) = &doc.front else {
        return Vec::new();
    };
    let municipality = front
        .get("municipality")
        .and_then(Node::id_text)
        .unwrap_or_default();
    let technologies = front.get("technologies").map_or(&[][..], Node::items);
    technologies
        .iter()
        .filter_map(|entry| {
            let text = |key: &str| entry.get(key).and_then(Node::as_str).map(str::to_string);
            Some(Usage {
                municipality: municipality.clone(),
                product: text("product").filter(|p| !p.trim().is_empty())?,
                vendor: text("vendor").unwrap_or_default(),
                category: text("category").unwrap_or_default(),
                function: text("function").unwrap_or_default(),
                version: entry.get("version").and_then(scalar_text),
                since: entry.get("since").and_then(Node::as_i64),
                status: text("status").unwrap_or_else(|| "in-use".into()),
                rating: entry
                    .get("rating")
                    .and_then(Node::as_i64)
                    .filter(|r| (1..=5).contains(r))
                    .map(|r| r as u8),
                review: text("review"),
                contact: entry.get("contact").map(|c| Contact {
                    name: c.get("name").and_then(Node::as_str).map(str::to_string),
                    role: c.get("role").and_then(Node::as_str).map(str::to_string),
                    email: c.get("email").and_then(Node::as_str).map(str::to_string),
                }),
            })
        })
        .collect()
}

/// The technologies a document names, with its municipalities (a
/// practice's `municipalities`, a profile's `municipality`).
pub fn mentions(doc: &Document) -> Vec<Mention> {
    let Some(front) = &doc.front else {
        return Vec::new();
    };
    let own = front.get("municipality").and_then(Node::id_text);
    let municipalities: Vec<String> = front
        .get("municipalities")
        .map_or(&[][..], Node::items)
        .iter()
        .filter_map(Node::id_text)
        .chain(own)
        .collect();
    let technologies = front.get("technologies").map_or(&[][..], Node::items);
    technologies
        .iter()
        .filter_map(|entry| {
            let text = |key: &str| entry.get(key).and_then(Node::as_str).map(str::to_string);
            Some(Mention {
                practice: doc.id.clone(),
                product: text("product").filter(|p| !p.trim().is_empty())?,
                vendor: text("vendor"),
                function: text("function"),
                municipalities: municipalities.clone(),
            })
        })
        .collect()
}

/// A version written as a string, or (unquoted) as a number.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        Value::Int(_) | Value::Float(_) => Some(node.value.to_string()),
        _ => None,
    }
}

/// A product or vendor name compared without case, spaces or punctuation.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::parse_document;
    use std::path::Path;

    #[test]
    fn names_compare_loosely() {
        assert_eq!(normalise_name("ESRI"), normalise_name("Esri"));
        assert_eq!(
            normalise_name("Tyler Technologies"),
            normalise_name("tyler-technologies")
        );
        assert_ne!(normalise_name("Esri"), normalise_name("Trimble"));
    }

    #[test]
    fn invalid_values_are_left_out_not_the_entry() {
        let doc = parse_document(
            Path::new("infobase/guelph.md"),
            "infobase",
            "guelph".into(),
            "---\nmunicipality: guelph\ntechnologies:\n  - {product: Cityworks, vendor: Trimble, function: asset-management, rating: 6, version: 15.8, status: in-use}\n  - {vendor: Nobody}\n---\n",
        );
        let found = usages(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rating, None);
        assert_eq!(found[0].version.as_deref(), Some("15.8"));
        assert_eq!(found[0].municipality, "guelph");
    }
}
