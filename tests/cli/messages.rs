//! Messages a newcomer can act on: YAML that only YAML 1.1 tools accept, and
//! values that fit none of a schema's alternatives.

use crate::harness::Kb;

/// `(line, column, code, message, hint)` of each diagnostic of a `--format json` run.
fn findings(kb: &Kb) -> Vec<(u64, u64, String, String, String)> {
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["hint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn site(schema: &str) -> Kb {
    let kb = Kb::empty();
    kb.write(
        "mkn.toml",
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\nschema = \"page.schema.json\"\n",
    );
    kb.write("page.schema.json", schema);
    kb
}

#[test]
fn a_quoted_value_continued_at_column_one_says_yaml_1_1_accepts_it() {
    let kb = site("{}");
    kb.write(
        "docs/page.md",
        "---\ntitle: \"A title long enough\nto go on the next line\"\n---\nText.\n",
    );
    assert_eq!(
        findings(&kb),
        [(
            2,
            8,
            "yaml/syntax".to_string(),
            "a quoted value goes on at the start of a line: YAML 1.1 tools (PyYAML, Hugo, Jekyll) accept that, YAML 1.2, which mkn reads, does not; write `title: \"A title long enough` then `  to go on the next line\"`".to_string(),
            "indent each line that continues a quoted value by at least one space, which every YAML tool reads".to_string(),
        )]
    );
    // The fix the hint shows is accepted.
    kb.write(
        "docs/page.md",
        "---\ntitle: \"A title long enough\n  to go on the next line\"\n---\nText.\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
}

const ALTERNATIVES: &str = r##"{
  "type": "object",
  "properties": {
    "release": {
      "oneOf": [
        {"type": "string", "title": "a version number"},
        {"$ref": "#/$defs/release"}
      ]
    },
    "contact": {
      "anyOf": [
        {"type": "object", "required": ["email"]},
        {"type": "object", "required": ["phone", "name"]}
      ]
    },
    "size": {"oneOf": [{"type": "integer"}, {"minimum": 0}]}
  },
  "$defs": {
    "release": {
      "type": "object",
      "required": ["version", "date"],
      "properties": {"version": {"type": "string"}, "date": {"type": "string"}},
      "additionalProperties": false
    }
  }
}"##;

#[test]
fn a_value_that_fits_no_alternative_is_told_the_closest() {
    let kb = site(ALTERNATIVES);
    kb.write(
        "docs/page.md",
        "---\nrelease:\n  version: 2\n  date: \"2024-03-01\"\n  notes: a long text that the message need not repeat\ncontact: {name: Ada}\nsize: 3\n---\nText.\n",
    );
    let found: Vec<(u64, String, String)> = findings(&kb)
        .into_iter()
        .map(|(line, _, code, message, _)| (line, code, message))
        .collect();
    assert_eq!(
        found,
        [
            (
                3,
                "schema/one-of".to_string(),
                "release: fits none of the 2 alternatives of `oneOf`; the closest (alternative 2, `release`) fails with version: 2 is not of type \"string\"".to_string()
            ),
            (
                6,
                "schema/any-of".to_string(),
                "contact: fits none of the 2 alternatives of `anyOf`; the closest (alternative 1, type object) fails with missing required key `email`".to_string()
            ),
            (
                7,
                "schema/one-of".to_string(),
                "size: matches alternatives 1 and 2 of `oneOf`, where exactly one may match".to_string()
            ),
        ]
    );
}
