//! Reading query text: filters `key:value` out, free text left for BM25.

use std::ops::Bound;

use crate::error::Error;

/// A condition on front-matter values or the joined registry attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `key:value` (or `-key:value` when negated); the key as the user named it.
    Value {
        /// Front-matter key (aliases resolved: `area` is `areas`).
        key: String,
        /// Value, compared without case.
        value: String,
        /// Exclude instead of require.
        negated: bool,
    },
    /// `year:>=2015`, `year:2012..2016`, `year:2016`.
    Year(NumberRange),
    /// `population:<20000`.
    Population(NumberRange),
}

/// An inclusive or exclusive range of integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberRange {
    /// Lower bound.
    pub lower: Bound<i64>,
    /// Upper bound.
    pub upper: Bound<i64>,
}

/// Query text split into free text and filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// What is left for full-text search.
    pub text: String,
    /// The filters.
    pub filters: Vec<Filter>,
}

/// Keys searched as text by the query parser rather than filtered.
const TEXT_FIELDS: &[&str] = &["title", "summary", "body", "tags", "technologies"];

/// The front-matter key a filter or facet name stands for.
pub fn attr_key(name: &str) -> &str {
    match name {
        "area" => "areas",
        "municipality" => "municipalities",
        "tag" => "tags",
        "tech" | "product" => "technologies.product",
        "vendor" => "technologies.vendor",
        "function" => "technologies.function",
        "measure" => "evidence.measure",
        other => other,
    }
}

/// Splits query text into filters and free text, checking quotes and
/// parentheses so a bad query fails with the position of the problem.
pub fn parse_query(input: &str) -> Result<ParsedQuery, Error> {
    check_balance(input)?;
    let mut parsed = ParsedQuery::default();
    let mut text = Vec::new();
    let mut pending_not = None;
    for (start, token) in tokens(input) {
        if token == "NOT" {
            if let Some(not) = pending_not.replace(token) {
                text.push(not);
            }
            continue;
        }
        match split_filter(token) {
            Some((negated, key, value)) if !TEXT_FIELDS.contains(&key.as_str()) => {
                let negated = negated || pending_not.take().is_some();
                parsed
                    .filters
                    .push(filter(&key, &value, negated).map_err(|message| {
                        Error::Usage(format!(
                            "{message} at column {} of the query\n  {input}\n  {}^",
                            start + 1,
                            " ".repeat(input[..start].chars().count())
                        ))
                    })?);
            }
            _ => {
                text.extend(pending_not.take());
                text.push(token);
            }
        }
    }
    text.extend(pending_not);
    parsed.text = text.join(" ");
    Ok(parsed)
}

/// Builds a filter from a key and value, resolving aliases and ranges.
pub fn filter(key: &str, value: &str, negated: bool) -> Result<Filter, String> {
    if value.is_empty() {
        return Err(format!("the filter `{key}:` has no value"));
    }
    match key {
        "year" | "since" => {
            let mut range = number_range(value)?;
            if key == "since" {
                range.upper = Bound::Unbounded;
            }
            Ok(Filter::Year(range))
        }
        "population" => Ok(Filter::Population(number_range(value)?)),
        _ => Ok(Filter::Value {
            key: attr_key(key).to_string(),
            value: value.to_string(),
            negated,
        }),
    }
}

/// `2016`, `>=2015`, `<20000`, `2012..2016`.
pub fn number_range(text: &str) -> Result<NumberRange, String> {
    let number = |s: &str| {
        s.trim()
            .replace(['_', ','], "")
            .parse::<i64>()
            .map_err(|_| {
                format!("`{text}` is not a number or range (try 2016, >=2015, <20000, 2012..2016)")
            })
    };
    let range = if let Some((low, high)) = text.split_once("..") {
        NumberRange {
            lower: Bound::Included(number(low)?),
            upper: Bound::Included(number(high)?),
        }
    } else if let Some(rest) = text.strip_prefix(">=") {
        NumberRange {
            lower: Bound::Included(number(rest)?),
            upper: Bound::Unbounded,
        }
    } else if let Some(rest) = text.strip_prefix("<=") {
        NumberRange {
            lower: Bound::Unbounded,
            upper: Bound::Included(number(rest)?),
        }
    } else if let Some(rest) = text.strip_prefix('>') {
        NumberRange {
            lower: Bound::Excluded(number(rest)?),
            upper: Bound::Unbounded,
        }
    } else if let Some(rest) = text.strip_prefix('<') {
        NumberRange {
            lower: Bound::Unbounded,
            upper: Bound::Excluded(number(rest)?),
        }
    } else {
        let n = number(text)?;
        NumberRange {
            lower: Bound::Included(n),
            upper: Bound::Included(n),
        }
    };
    Ok(range)
}

/// `key:value`, `-key:value`, `"key with spaces":value`, `key:"value with spaces"`.
fn split_filter(token: &str) -> Option<(bool, String, String)> {
    let (negated, rest) = match token.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, token),
    };
    let (key, value) = if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted.find('"')?;
        let value = quoted[end + 1..].strip_prefix(':')?;
        (quoted[..end].to_string(), value)
    } else {
        let (key, value) = rest.split_once(':')?;
        if key.is_empty() || key.contains(['(', ')', '"']) {
            return None;
        }
        (key.to_string(), value)
    };
    let value = value.trim_matches('"').to_string();
    Some((negated, key, value))
}

/// Whitespace-separated tokens with their byte offsets; quoted stretches stay whole.
fn tokens(input: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, c) in input.char_indices() {
        if c == '"' {
            quoted = !quoted;
        }
        if c.is_whitespace() && !quoted {
            if let Some(s) = start.take() {
                out.push((s, &input[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, &input[s..]));
    }
    out
}

fn check_balance(input: &str) -> Result<(), Error> {
    let caret = |at: usize, message: &str| {
        Error::Usage(format!(
            "{message} at column {} of the query\n  {input}\n  {}^",
            input[..at].chars().count() + 1,
            " ".repeat(input[..at].chars().count())
        ))
    };
    let mut open_quote = None;
    let mut parens = Vec::new();
    for (i, c) in input.char_indices() {
        match c {
            '"' => open_quote = if open_quote.is_some() { None } else { Some(i) },
            '(' if open_quote.is_none() => parens.push(i),
            ')' if open_quote.is_none() && parens.pop().is_none() => {
                return Err(caret(i, "unmatched `)`"));
            }
            _ => {}
        }
    }
    if let Some(i) = open_quote {
        return Err(caret(i, "unclosed quote"));
    }
    if let Some(&i) = parens.last() {
        return Err(caret(i, "unclosed `(`"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_filters_from_text() {
        let q = parse_query("winter control area:roads-winter-control kind:best year:>=2015 NOT tag:gps \"written by\":ada").unwrap();
        assert_eq!(q.text, "winter control");
        assert_eq!(
            q.filters,
            [
                Filter::Value {
                    key: "areas".into(),
                    value: "roads-winter-control".into(),
                    negated: false
                },
                Filter::Value {
                    key: "kind".into(),
                    value: "best".into(),
                    negated: false
                },
                Filter::Year(NumberRange {
                    lower: Bound::Included(2015),
                    upper: Bound::Unbounded
                }),
                Filter::Value {
                    key: "tags".into(),
                    value: "gps".into(),
                    negated: true
                },
                Filter::Value {
                    key: "written by".into(),
                    value: "ada".into(),
                    negated: false
                },
            ]
        );
    }

    #[test]
    fn keeps_phrases_and_field_queries_as_text() {
        let q = parse_query("\"winter control\" AND title:salt NOT brine").unwrap();
        assert_eq!(q.text, "\"winter control\" AND title:salt NOT brine");
        assert!(q.filters.is_empty());
        let q = parse_query("salt -kind:best").unwrap();
        assert_eq!(
            q.filters,
            [Filter::Value {
                key: "kind".into(),
                value: "best".into(),
                negated: true
            }]
        );
    }

    #[test]
    fn bad_queries_say_where() {
        let e = parse_query("salt \"brine").unwrap_err().to_string();
        assert!(e.contains("unclosed quote at column 6"), "{e}");
        let e = parse_query("salt year:>=twenty").unwrap_err().to_string();
        assert!(e.contains("at column 6"), "{e}");
        assert!(parse_query("(salt OR brine").is_err());
        assert!(parse_query("salt)").is_err());
    }

    #[test]
    fn ranges() {
        assert_eq!(
            number_range("<20000").unwrap().upper,
            Bound::Excluded(20000)
        );
        assert_eq!(
            number_range("2012..2016").unwrap().lower,
            Bound::Included(2012)
        );
        assert_eq!(
            number_range("20,000").unwrap().lower,
            Bound::Included(20000)
        );
        assert!(number_range("soon").is_err());
    }
}
