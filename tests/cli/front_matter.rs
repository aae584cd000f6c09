//! Front matter in TOML (`+++`, Zola's and Hugo's) and JSON (`{...}`, Hugo's),
//! read like YAML: checked against a schema at the value's position, searched,
//! faceted and exported; broken or duplicated keys get their own codes.

use serde_json::Value;

use crate::harness::{Kb, VALID_PRACTICE};

fn fixture(name: &str) -> Kb {
    let kb = Kb::empty();
    kb.copy_fixture(name);
    kb.commit("fixture");
    kb
}

/// `mkn check --format json` as (code, "path:line:column") pairs.
fn diagnostics(kb: &Kb) -> Vec<(String, String)> {
    let run = kb.mkn(["check", "--format", "json"]);
    let found: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{run}"));
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    d["path"].as_str().unwrap(),
                    d["line"],
                    d["column"]
                ),
            )
        })
        .collect()
}

fn search(kb: &Kb, args: &[&str]) -> Value {
    let run = kb.mkn(["search", "--format", "json"].iter().chain(args));
    assert_eq!(run.code, 0, "{run}");
    serde_json::from_str(&run.stdout).unwrap()
}

fn ids(results: &Value) -> Vec<&str> {
    let mut ids: Vec<&str> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn a_zola_blog_passes_check() {
    let kb = fixture("zola");
    let run = kb.mkn(["check"]);
    assert_eq!(
        run.to_string(),
        "exit: 0\n--- stdout\nchecked 3 documents: no problems found\n--- stderr\n"
    );
}

#[test]
fn a_hugo_site_mixing_the_three_formats_passes_check() {
    let kb = fixture("hugo");
    let run = kb.mkn(["check"]);
    assert_eq!(
        run.to_string(),
        "exit: 0\n--- stdout\nchecked 3 documents: no problems found\n--- stderr\n"
    );
}

#[test]
fn schema_errors_point_at_the_value_in_toml_and_json() {
    let kb = fixture("hugo");
    let toml = kb.path("content/posts/toml-page.md");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("rating = 5", "rating = 9")).unwrap();
    let json = kb.path("content/posts/json-page.md");
    let text = std::fs::read_to_string(&json).unwrap();
    std::fs::write(
        &json,
        text.replace("\"rating\": 3", "\"rating\": \"three\""),
    )
    .unwrap();

    assert_eq!(
        diagnostics(&kb),
        [
            (
                "schema/type".into(),
                "content/posts/json-page.md:9:15".into()
            ),
            (
                "schema/maximum".into(),
                "content/posts/toml-page.md:10:10".into()
            ),
        ]
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("10 │ rating = 9\n   │          ^\n"),
        "{run}"
    );
}

#[test]
fn zola_schema_errors_in_nested_tables_and_arrays_of_tables() {
    let kb = fixture("zola");
    let path = kb.path("content/blog/brine-on-winter-roads.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace("reading_time = 5", "reading_time = 0")
        .replace(
            "url = \"https://example.org/news\"",
            "link = \"https://example.org/news\"",
        );
    std::fs::write(&path, text).unwrap();
    assert_eq!(
        diagnostics(&kb),
        [
            (
                "schema/minimum".into(),
                "content/blog/brine-on-winter-roads.md:15:16".into()
            ),
            (
                "schema/required".into(),
                "content/blog/brine-on-winter-roads.md:26:1".into()
            ),
            (
                "schema/additional-properties".into(),
                "content/blog/brine-on-winter-roads.md:28:1".into()
            ),
        ]
    );
}

#[test]
fn search_filters_and_facets_work_on_toml_and_json_keys() {
    let kb = fixture("zola");
    let found = search(&kb, &["taxonomies.tags:winter"]);
    assert_eq!(ids(&found), ["brine-on-winter-roads", "snow-plough-routes"]);
    let found = search(&kb, &["extra.evidence.measure:salt-tonnes"]);
    assert_eq!(ids(&found), ["brine-on-winter-roads"]);
    let found = search(&kb, &["date:2022-10-20"]);
    assert_eq!(
        ids(&found),
        ["leaf-collection"],
        "a TOML date is its ISO text"
    );
    let found = search(
        &kb,
        &[
            "extra.author:ada",
            "--facets",
            "taxonomies.categories,extra.author",
        ],
    );
    assert_eq!(ids(&found), ["brine-on-winter-roads", "leaf-collection"]);
    assert_eq!(
        found["facets"]["taxonomies.categories"],
        serde_json::json!([["roads", 1], ["waste", 1]])
    );

    let kb = fixture("hugo");
    let found = search(
        &kb,
        &["tags:winter", "--facets", "params.author,categories"],
    );
    assert_eq!(ids(&found), ["json-page", "toml-page", "yaml-page"]);
    assert_eq!(
        found["facets"]["params.author"],
        serde_json::json!([["ada", 2], ["grace", 1]])
    );
    let found = search(&kb, &["params.author:ada"]);
    assert_eq!(ids(&found), ["json-page", "yaml-page"]);
    let found = search(&kb, &["params.rating:5"]);
    assert_eq!(ids(&found), ["toml-page"]);
}

#[test]
fn export_keeps_every_field_of_every_format() {
    let kb = fixture("hugo");
    let run = kb.mkn(["export", "--format", "json", "--out", "-"]);
    assert_eq!(run.code, 0, "{run}");
    let rows: Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        row("toml-page")["front_matter"],
        serde_json::json!({
            "title": "Written in TOML",
            "date": "2024-03-02T10:00:00Z",
            "weight": 2,
            "tags": ["winter", "routing"],
            "categories": ["roads"],
            "params": {"author": "grace", "rating": 5}
        })
    );
    assert_eq!(
        row("json-page")["front_matter"],
        serde_json::json!({
            "title": "Written in JSON",
            "date": "2024-03-03",
            "draft": false,
            "tags": ["leaves", "winter"],
            "categories": ["waste"],
            "params": {"author": "ada", "rating": 3}
        })
    );
    assert_eq!(row("yaml-page")["front_matter"]["params"]["rating"], 4);
    assert_eq!(row("toml-page")["path"], "content/posts/toml-page.md");

    let kb = fixture("zola");
    let run = kb.mkn(["export", "--format", "json", "--out", "-"]);
    let rows: Value = serde_json::from_str(&run.stdout).unwrap();
    let brine = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "brine-on-winter-roads")
        .unwrap();
    assert_eq!(brine["front_matter"]["updated"], "2024-02-01T09:30:00Z");
    assert_eq!(
        brine["front_matter"]["extra"]["sources"][1],
        serde_json::json!({"title": "News release", "url": "https://example.org/news"})
    );
    assert_eq!(brine["front_matter"]["extra"]["evidence"]["result"], 950.5);
}

#[test]
fn bad_toml_and_bad_json_fail_with_line_and_column() {
    let kb = fixture("hugo");
    kb.write(
        "content/posts/toml-page.md",
        "+++\ntitle = \"Broken\"\ndate = 2024-03-02\ntags = [\"a\" \"b\"]\n+++\nBody.\n",
    );
    kb.write(
        "content/posts/json-page.md",
        "{\n  \"title\": \"Broken\",\n  \"date\": \"2024-03-03\"\n  \"tags\": []\n}\nBody.\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stdout
            .contains("error[toml/syntax]: invalid TOML front matter"),
        "{run}"
    );
    assert!(
        run.stdout.contains("content/posts/toml-page.md:4:13"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("error[json/syntax]: invalid JSON front matter: expected `,` or `}`"),
        "{run}"
    );
    assert!(
        run.stdout.contains("content/posts/json-page.md:4:3"),
        "{run}"
    );
}

#[test]
fn duplicate_keys_are_errors_in_toml_and_json() {
    let kb = fixture("hugo");
    kb.write(
        "content/posts/toml-page.md",
        "+++\ntitle = \"One\"\ndate = 2024-03-02\n\n[params]\nauthor = \"a\"\n\n[params]\nrating = 1\n+++\n",
    );
    kb.write(
        "content/posts/json-page.md",
        "{\n  \"title\": \"One\",\n  \"date\": \"2024-03-03\",\n  \"params\": {\"author\": \"a\", \"author\": \"b\"}\n}\n",
    );
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run}");
    let found: Value = serde_json::from_str(&run.stdout).unwrap();
    let found = found.as_array().unwrap();
    let json = found
        .iter()
        .find(|d| d["code"] == "json/duplicate-key")
        .unwrap();
    assert_eq!((&json["line"], &json["column"]), (&4.into(), &29.into()));
    assert_eq!(
        (&json["related"][0]["line"], &json["related"][0]["column"]),
        (&4.into(), &14.into())
    );
    let toml = found
        .iter()
        .find(|d| d["code"] == "toml/duplicate-key")
        .unwrap();
    assert_eq!(toml["line"], 8, "{toml}");
    assert_eq!(toml["related"][0]["line"], 5, "{toml}");
}

#[test]
fn a_collection_declaring_yaml_refuses_toml_with_its_own_code() {
    let kb = Kb::new();
    let config = std::fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write(
        "mkn.toml",
        config.replace(
            "kind = \"practice\"\n",
            "kind = \"practice\"\nfront_matter = \"yaml\"\n",
        ),
    );
    let toml = "+++\nid = \"guelph-brine\"\ntitle = \"Brine pre-wetting\"\n+++\nBody.\n";
    kb.write("practices/roads-winter-control/guelph-brine.md", toml);
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stdout.contains(
            "error[front-matter/format]: TOML front matter in collection `practices`, which declares `front_matter = \"yaml\"`"
        ),
        "{run}"
    );
    assert!(run.stdout.contains("guelph-brine.md:1:1"), "{run}");

    kb.write(
        "practices/roads-winter-control/guelph-brine.md",
        VALID_PRACTICE,
    );
    assert_eq!(kb.mkn(["check"]).code, 0);

    kb.write(
        "mkn.toml",
        config.replace(
            "kind = \"practice\"\n",
            "kind = \"practice\"\nfront_matter = \"tom\"\n",
        ),
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("mkn.toml:7:16"), "{run}");
    assert!(run.stderr.contains("unknown variant `tom`"), "{run}");
}

#[test]
fn new_writes_toml_in_a_toml_collection_and_json_in_a_json_one() {
    let kb = Kb::new();
    let config = std::fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write(
        "mkn.toml",
        config
            .replace(
                "kind = \"practice\"\n",
                "kind = \"practice\"\nfront_matter = \"toml\"\n",
            )
            .replace(
                "kind = \"profile\"\n",
                "kind = \"profile\"\nfront_matter = \"json\"\n",
            ),
    );
    let run = kb.mkn([
        "new",
        "practice",
        "--area",
        "roads",
        "--municipality",
        "guelph",
        "Pothole \"blitz\"",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let text = std::fs::read_to_string(kb.path("practices/roads/guelph-pothole-blitz.md")).unwrap();
    assert!(
        text.starts_with("+++\nid = \"guelph-pothole-blitz\"\ntitle = \"Pothole \\\"blitz\\\"\"\n"),
        "{text}"
    );
    assert!(text.contains("\n[[sources]]\n"), "{text}");

    let run = kb.mkn(["new", "profile", "guelph"]);
    assert_eq!(run.code, 0, "{run}");
    let text = std::fs::read_to_string(kb.path("infobase/guelph.md")).unwrap();
    assert!(
        text.starts_with("{\n  \"municipality\": \"guelph\",\n"),
        "{text}"
    );

    let run = kb.mkn(["check"]);
    assert_eq!(
        run.to_string(),
        "exit: 0\n--- stdout\nchecked 2 documents: no problems found\n--- stderr\n"
    );
}

#[test]
fn the_portal_has_a_page_for_each_format_with_its_body() {
    let kb = fixture("hugo");
    let run = kb.mkn(["export", "--format", "site", "--out", "site"]);
    assert_eq!(run.code, 0, "{run}");
    for (id, title, body) in [
        (
            "yaml-page",
            "Written in YAML",
            "A page whose front matter is YAML.",
        ),
        (
            "toml-page",
            "Written in TOML",
            "A page whose front matter is TOML.",
        ),
        (
            "json-page",
            "Written in JSON",
            "A page whose front matter is JSON.",
        ),
    ] {
        let page = std::fs::read_to_string(kb.path(&format!("site/posts/{id}.html"))).unwrap();
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{id}: {page}");
        assert!(page.contains(&format!("<p>{body}</p>")), "{id}: {page}");
        // The source file is shown whole, as text, below the rendered body.
        let source = page.split("<pre>").nth(1).unwrap_or_default();
        assert!(source.contains(title), "{id}: {page}");
    }
}

#[test]
fn a_missing_key_points_at_the_first_line_and_a_toml_comment_suppresses() {
    let kb = fixture("hugo");
    kb.write(
        "content/posts/toml-page.md",
        "+++\ndate = 2024-03-02\n[params]\nrating = 9 # mkn-ignore schema/maximum\n+++\nBody.\n",
    );
    kb.write(
        "content/posts/json-page.md",
        "{\n  \"date\": \"2024-03-03\"\n}\nBody.\n",
    );
    assert_eq!(
        diagnostics(&kb),
        [
            (
                "schema/required".into(),
                "content/posts/json-page.md:1:1".into()
            ),
            (
                "schema/required".into(),
                "content/posts/toml-page.md:1:1".into()
            ),
        ]
    );
}
