//! A span-aware YAML reader for front matter.
//!
//! serde_yaml reads a document but forgets where each value stood, and a
//! diagnostic must point at the offending key or value in the file. This module
//! builds a small tree from yaml-rust2's parser events, keeping the position of
//! every key and value. It reads YAML 1.2 (core schema: a bare `2025-01-01` or
//! `no` is a string) and, while building, enforces what a front-matter reader
//! must: no duplicate keys, a bounded alias expansion (no "billion laughs"),
//! bounded nesting. It also remembers plain scalars that a YAML 1.1 reader
//! would read differently, so `check` can warn about them.

use crate::diagnostic::Span;
use std::fmt;

use rustc_hash::FxHashMap;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The most values a document may hold, aliases expanded.
const MAX_NODES: usize = 50_000;
/// The most bytes of text a document may expand to through aliases.
const MAX_EXPANDED_BYTES: usize = 4 << 20;
/// The deepest nesting of sequences and mappings accepted.
const MAX_DEPTH: usize = 64;

/// One YAML value with the position it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts in the file.
    pub span: Span,
}

/// A YAML value. Mappings keep their keys' positions and their order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string, quoted or not.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping: (key, value) pairs in file order.
    Map(Vec<(Node, Node)>),
}

/// Why a YAML block could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// The kind of failure, used to pick the rule code.
    pub kind: YamlErrorKind,
    /// What went wrong, in words.
    pub message: String,
    /// Where it went wrong.
    pub span: Span,
    /// Where the first of two duplicate keys stands.
    pub first: Option<Span>,
}

/// The kinds of [`YamlError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The YAML syntax is broken.
    Syntax,
    /// A mapping has the same key twice.
    DuplicateKey,
    /// Aliases expand to too many nodes.
    AliasLimit,
    /// Nesting too deep.
    TooDeep,
    /// More than one YAML document in the block.
    MultipleDocuments,
    /// Syntax that YAML 1.1 tools accept and YAML 1.2 does not: a quoted
    /// value continued at the start of a line.
    Yaml11Only,
}

/// A plain scalar whose meaning differs between YAML 1.1 and what it likely meant.
#[derive(Debug, Clone, PartialEq)]
pub struct Surprise {
    /// The scalar as written.
    pub text: String,
    /// How it is read here and how YAML 1.1 tools read it.
    pub explanation: String,
    /// Where it stands.
    pub span: Span,
}

/// The result of reading a YAML block: its root and the YAML 1.1 surprises in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The root node (Null for an empty block).
    pub root: Node,
    /// Plain scalars a YAML 1.1 reader would read differently.
    pub surprises: Vec<Surprise>,
}

impl Node {
    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node under `key` when this node is a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The string, when this node is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a string or integer scalar, for ids that may be written as
    /// numbers (a StatCan code such as `3523008`).
    pub fn id_text(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            _ => None,
        }
    }

    /// The integer, when this node is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The number, when this node is an integer or a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The items, when this node is a sequence; empty otherwise.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The (key, value) pairs, when this node is a mapping; empty otherwise.
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The node at a JSON-pointer-like path of keys and indexes, with the span to
    /// report for it: a key's own position when the last step names a key that
    /// exists, so that a diagnostic about `kind: bset` points at the value and one
    /// about an unexpected key points at the key.
    pub fn lookup<'a, I, S>(&self, path: I) -> Option<&Node>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str> + 'a,
    {
        let mut node = self;
        for step in path {
            let step = step.as_ref();
            node = match &node.value {
                Value::Map(_) => node.get(step)?,
                Value::Seq(items) => items.get(step.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The path of keys and indexes to the value that stands at `span`, if any.
    pub fn path_to(&self, span: Span) -> Option<Vec<String>> {
        if self.span == span && !matches!(self.value, Value::Seq(_) | Value::Map(_)) {
            return Some(Vec::new());
        }
        let children: Vec<(String, &Node)> = match &self.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| (i.to_string(), n))
                .collect(),
            Value::Map(entries) => entries.iter().map(|(k, v)| (k.key_text(), v)).collect(),
            _ => return None,
        };
        children.into_iter().find_map(|(step, child)| {
            let mut path = child.path_to(span)?;
            path.insert(0, step);
            Some(path)
        })
    }

    /// Converts to JSON for schema validation. Non-string keys become strings.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.key_text(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The text of a mapping key: the string itself, or the scalar written out.
    pub fn key_text(&self) -> String {
        match &self.value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// How many values and how many bytes of text this node holds.
    fn size(&self) -> (usize, usize) {
        let add = |(a, b): (usize, usize), (c, d): (usize, usize)| (a + c, b + d);
        match &self.value {
            Value::Seq(items) => items.iter().map(Node::size).fold((1, 0), add),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| add(k.size(), v.size()))
                .fold((1, 0), add),
            Value::String(s) => (1, s.len()),
            _ => (1, 0),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Seq(_) => f.write_str("a list"),
            Value::Map(_) => f.write_str("a mapping"),
        }
    }
}

/// A quoted value continued on a line that starts at column 1 is valid YAML
/// 1.1, which PyYAML, Hugo and Jekyll read, and not YAML 1.2, which `mkn`
/// reads: the error says so and shows the continuation indented.
fn yaml11_only(mut error: YamlError, text: &str, first_line: usize) -> YamlError {
    if error.kind != YamlErrorKind::Syntax
        || !error.message.contains("indentation in quoted scalar")
    {
        return error;
    }
    let mut lines = text
        .lines()
        .skip(error.span.line.saturating_sub(first_line));
    let (Some(opening), Some(continued)) = (lines.next(), lines.next()) else {
        return error;
    };
    error.kind = YamlErrorKind::Yaml11Only;
    error.message = format!(
        "a quoted value goes on at the start of a line: YAML 1.1 tools (PyYAML, Hugo, Jekyll) accept that, YAML 1.2, which mkn reads, does not; write `{}` then `  {}`",
        opening.trim_end(),
        continued.trim()
    );
    error
}

/// Reads one YAML block. `first_line` is the file line the block starts on, so
/// that every span is a position in the file.
pub fn parse(text: &str, first_line: usize) -> Result<Parsed, YamlError> {
    let mut builder = Builder::new(first_line);
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| YamlError {
                kind: if e.info().contains("recursion limit") {
                    YamlErrorKind::TooDeep
                } else {
                    YamlErrorKind::Syntax
                },
                message: e.info().to_string(),
                span: builder.span(*e.marker(), 1),
                first: None,
            })
            .map_err(|e| yaml11_only(e, text, first_line))?;
        if builder.event(event, mark)? {
            break;
        }
    }
    let root = builder.root.unwrap_or(Node {
        value: Value::Null,
        span: Span {
            line: first_line,
            col: 1,
            len: 1,
        },
    });
    Ok(Parsed {
        root,
        surprises: builder.surprises,
    })
}

/// An open collection while events arrive.
enum Open {
    Seq(Node, Vec<Node>),
    /// The mapping so far, the key waiting for its value, and the keys seen (with where).
    Map(
        Node,
        Vec<(Node, Node)>,
        Option<Node>,
        FxHashMap<String, Span>,
    ),
}

struct Builder {
    first_line: usize,
    stack: Vec<(Open, usize)>,
    anchors: Vec<(usize, Node)>,
    root: Option<Node>,
    nodes: usize,
    bytes: usize,
    documents: usize,
    surprises: Vec<Surprise>,
}

impl Builder {
    fn new(first_line: usize) -> Self {
        Builder {
            first_line,
            stack: Vec::new(),
            anchors: Vec::new(),
            root: None,
            nodes: 0,
            bytes: 0,
            documents: 0,
            surprises: Vec::new(),
        }
    }

    fn span(&self, mark: Marker, len: usize) -> Span {
        Span {
            line: mark.line() + self.first_line - 1,
            col: mark.col() + 1,
            len: len.max(1),
        }
    }

    fn error(&self, kind: YamlErrorKind, message: String, span: Span) -> YamlError {
        YamlError {
            kind,
            message,
            span,
            first: None,
        }
    }

    /// Takes one event; returns true at the end of the stream.
    fn event(&mut self, event: Event, mark: Marker) -> Result<bool, YamlError> {
        match event {
            Event::StreamEnd => return Ok(true),
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(self.error(
                        YamlErrorKind::MultipleDocuments,
                        "front matter holds more than one YAML document".into(),
                        self.span(mark, 3),
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let len = scalar_len(&text, style);
                let span = self.span(mark, len);
                if style == TScalarStyle::Plain
                    && tag.is_none()
                    && let Some(explanation) = yaml11_surprise(&text)
                {
                    self.surprises.push(Surprise {
                        text: text.clone(),
                        explanation,
                        span,
                    });
                }
                let value = resolve(text, style, tag.as_ref());
                self.add(Node { value, span }, anchor)?;
            }
            Event::SequenceStart(anchor, _) => {
                self.open(Open::Seq(self.placeholder(mark), Vec::new()), anchor, mark)?
            }
            Event::MappingStart(anchor, _) => self.open(
                Open::Map(
                    self.placeholder(mark),
                    Vec::new(),
                    None,
                    FxHashMap::default(),
                ),
                anchor,
                mark,
            )?,
            Event::SequenceEnd | Event::MappingEnd => {
                let (open, anchor) = self.stack.pop().expect("parser balances collections");
                let node = match open {
                    Open::Seq(mut node, items) => {
                        node.value = Value::Seq(items);
                        node
                    }
                    Open::Map(mut node, entries, _, _) => {
                        node.value = Value::Map(entries);
                        node
                    }
                };
                self.place(node, anchor)?;
            }
            Event::Alias(id) => {
                let node = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone())
                    .ok_or_else(|| {
                        self.error(
                            YamlErrorKind::Syntax,
                            "alias to an unknown anchor".into(),
                            self.span(mark, 1),
                        )
                    })?;
                let (nodes, bytes) = node.size();
                self.nodes += nodes;
                self.bytes += bytes;
                if self.nodes > MAX_NODES || self.bytes > MAX_EXPANDED_BYTES {
                    return Err(self.error(
                        YamlErrorKind::AliasLimit,
                        format!(
                            "aliases expand to more than {MAX_NODES} values or {} MiB of text",
                            MAX_EXPANDED_BYTES >> 20
                        ),
                        self.span(mark, 1),
                    ));
                }
                let span = self.span(mark, 1);
                self.place(Node { span, ..node }, 0)?;
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
        Ok(false)
    }

    fn placeholder(&self, mark: Marker) -> Node {
        Node {
            value: Value::Null,
            span: self.span(mark, 1),
        }
    }

    fn open(&mut self, open: Open, anchor: usize, mark: Marker) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                YamlErrorKind::TooDeep,
                format!("values nested more than {MAX_DEPTH} levels deep"),
                self.span(mark, 1),
            ));
        }
        self.stack.push((open, anchor));
        Ok(())
    }

    fn add(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        self.nodes += 1;
        if let Value::String(s) = &node.value {
            self.bytes += s.len();
        }
        if self.nodes > MAX_NODES {
            return Err(self.error(
                YamlErrorKind::AliasLimit,
                format!("front matter holds more than {MAX_NODES} values"),
                node.span,
            ));
        }
        self.place(node, anchor)
    }

    /// Puts a finished node into its parent (or makes it the root).
    fn place(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some((Open::Seq(_, items), _)) => items.push(node),
            Some((Open::Map(_, entries, pending, seen), _)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    let text = key.key_text();
                    if let Some(first) = seen.get(&text) {
                        return Err(YamlError {
                            kind: YamlErrorKind::DuplicateKey,
                            message: format!("duplicate key `{text}`"),
                            span: key.span,
                            first: Some(*first),
                        });
                    }
                    seen.insert(text, key.span);
                    entries.push((key, node));
                }
            },
        }
        Ok(())
    }
}

/// The length to underline for a scalar: its text on one line, plus quotes.
fn scalar_len(text: &str, style: TScalarStyle) -> usize {
    let first_line = text.lines().next().unwrap_or("").chars().count();
    match style {
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => first_line + 2,
        TScalarStyle::Literal | TScalarStyle::Folded => 1,
        TScalarStyle::Plain => first_line,
    }
}

/// Resolves a scalar by the YAML 1.2 core schema; quoted scalars and `!!str` are strings.
fn resolve(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    let tag_suffix = tag.map(|t| t.suffix.as_str());
    if style != TScalarStyle::Plain || tag_suffix == Some("str") {
        return Value::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(int) = parse_int(&text) {
        return Value::Int(int);
    }
    if is_float(&text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::String(text)
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// The core schema's float pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    // Most scalars are words: the mantissa starts with a digit or a dot.
    if !s.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return false;
    }
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit()))
                && !(int.is_empty() && frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// Explains how a plain scalar misleads, if it does: YAML 1.1 booleans that
/// YAML 1.2 reads as strings, numbers whose written form is lost (`3.10` is
/// 3.1), YAML 1.1 octals and sexagesimals.
fn yaml11_surprise(text: &str) -> Option<String> {
    const YAML11_BOOLS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF",
    ];
    // Every surprise starts with one of these (a boolean's letter, a sign, a
    // digit or a dot): a scalar of words is passed over at its first character.
    if !text.starts_with(|c: char| "yYnNoO+-.".contains(c) || c.is_ascii_digit()) {
        return None;
    }
    if YAML11_BOOLS.contains(&text) {
        return Some(format!(
            "`{text}` is read here as the string \"{text}\", but YAML 1.1 tools read it as a boolean"
        ));
    }
    // A version-like number such as `3.10`: two or more decimals ending in 0,
    // which the number drops. (`85.0` is plainly a number and passes.)
    let decimals = text.split_once('.').map_or("", |(_, d)| d);
    if is_float(text)
        && decimals.len() >= 2
        && decimals.ends_with('0')
        && decimals.bytes().all(|b| b.is_ascii_digit())
    {
        let value: f64 = text.parse().ok()?;
        return Some(format!(
            "`{text}` is read as the number {value}, not as the text \"{text}\""
        ));
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "`{text}` is read as the number {}, but YAML 1.1 tools read it as octal",
            text.parse::<i64>().ok()?
        ));
    }
    let is_sexagesimal = text.contains(':')
        && !text.starts_with(':')
        && text
            .split(':')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if is_sexagesimal {
        return Some(format!(
            "`{text}` is read as a string here, but YAML 1.1 tools read it as a base-60 number"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Parsed {
        parse(text, 2).expect("valid YAML")
    }

    #[test]
    fn keeps_positions_in_file_coordinates() {
        let parsed = parse_ok("id: guelph\nareas:\n  - roads\n");
        let root = &parsed.root;
        let (key, value) = root.entry("id").unwrap();
        assert_eq!((key.span.line, key.span.col), (2, 1));
        assert_eq!((value.span.line, value.span.col, value.span.len), (2, 5, 6));
        let item = root.lookup(["areas", "0"]).unwrap();
        assert_eq!((item.span.line, item.span.col), (4, 5));
        assert_eq!(item.as_str(), Some("roads"));
    }

    #[test]
    fn resolves_by_yaml_1_2_core_schema() {
        let root =
            parse_ok("a: 2025-01-01\nb: no\nc: 12\nd: 1.5\ne: ~\nf: true\ng: '12'\nh: 0x1F\n").root;
        assert_eq!(root.get("a").unwrap().as_str(), Some("2025-01-01"));
        assert_eq!(root.get("b").unwrap().as_str(), Some("no"));
        assert_eq!(root.get("c").unwrap().as_i64(), Some(12));
        assert_eq!(root.get("d").unwrap().as_f64(), Some(1.5));
        assert_eq!(root.get("e").unwrap().value, Value::Null);
        assert_eq!(root.get("f").unwrap().value, Value::Bool(true));
        assert_eq!(root.get("g").unwrap().as_str(), Some("12"));
        assert_eq!(root.get("h").unwrap().as_i64(), Some(31));
    }

    #[test]
    fn reports_duplicate_keys_with_both_positions() {
        let err = parse("id: a\ntitle: x\nid: b\n", 2).unwrap_err();
        assert_eq!(err.kind, YamlErrorKind::DuplicateKey);
        assert_eq!(err.span.line, 4);
        assert_eq!(err.first.unwrap().line, 2);
    }

    #[test]
    fn stops_alias_bombs() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='k' {
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        let err = parse(&text, 1).unwrap_err();
        assert_eq!(err.kind, YamlErrorKind::AliasLimit);
    }

    #[test]
    fn stops_alias_bombs_made_of_long_strings() {
        let long = "x".repeat(40_000);
        let text = format!(
            "a: &a \"{long}\"\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        );
        let err = parse(&text, 1).unwrap_err();
        assert_eq!(err.kind, YamlErrorKind::AliasLimit);
    }

    #[test]
    fn many_keys_are_fine() {
        let text: String = (0..5000).map(|i| format!("k{i}: {i}\n")).collect();
        assert_eq!(parse(&text, 1).unwrap().root.entries().len(), 5000);
    }

    #[test]
    fn small_aliases_expand() {
        let root = parse_ok("base: &b {x: 1}\ncopy: *b\n").root;
        assert_eq!(root.lookup(["copy", "x"]).unwrap().as_i64(), Some(1));
    }

    #[test]
    fn stops_deep_nesting() {
        let text = format!("a: {}{}\n", "[".repeat(200), "]".repeat(200));
        let err = parse(&text, 1).unwrap_err();
        assert_eq!(err.kind, YamlErrorKind::TooDeep);
    }

    #[test]
    fn reports_syntax_errors_at_file_lines() {
        let err = parse("id: a\ntitle: [unclosed\n", 5).unwrap_err();
        assert_eq!(err.kind, YamlErrorKind::Syntax);
        assert!(err.span.line >= 6, "{err:?}");
    }

    #[test]
    fn flags_yaml_1_1_surprises() {
        let parsed =
            parse_ok("version: 3.10\nok: 3.5\nnumber: 85.0\nflag: no\nquoted: 'no'\nmode: 0755\n");
        let texts: Vec<_> = parsed.surprises.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["3.10", "no", "0755"]);
    }

    #[test]
    fn float_pattern() {
        for ok in ["1.5", "-2.", ".5", "1e3", "+1.5E-2"] {
            assert!(is_float(ok), "{ok}");
        }
        for bad in [".", "1.2.3", "e3", "1e", "abc", ""] {
            assert!(!is_float(bad), "{bad}");
        }
    }
}
