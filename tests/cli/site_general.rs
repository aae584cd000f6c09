//! `mkn export --format site` on corpora that are not municipal: the home
//! page counts documents per collection, the search filters on the corpus's
//! own keys (named in `mkn.toml` or detected), and document pages show their
//! own front matter.

use std::fs;

use serde_json::{Value, json};

use crate::harness::Kb;

fn committed(fixture: &str) -> Kb {
    let kb = Kb::empty();
    kb.copy_fixture(fixture);
    kb.commit("fixture");
    kb
}

/// `window.MKN_INDEX` of a site, as JSON.
fn search_index(kb: &Kb) -> Value {
    let script = fs::read_to_string(kb.path("public/assets/search-index.js")).unwrap();
    let json = script
        .strip_prefix("window.MKN_INDEX = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap();
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_corpus_without_practices_gets_collections_and_its_configured_facets() {
    let kb = committed("notes");
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 0, "{run}");
    let home = fs::read_to_string(kb.path("public/index.html")).unwrap();
    assert!(
        home.contains("<p>4 documents in 2 collections, built from commit"),
        "{home}"
    );
    assert!(home.contains("<li>posts <span class=\"count\">3</span></li>"));
    assert!(home.contains("<select id=\"facet-category\" name=\"category\">"));
    assert!(home.contains("<select id=\"facet-tags\" name=\"tags\">"));
    assert!(!home.contains("facet-area") && !home.contains("facet-kind"));
    // No municipal wording on any page, nor the pages only a municipal corpus has.
    for entry in walkdir::WalkDir::new(kb.path("public")) {
        let entry = entry.unwrap();
        let name = entry.path().display().to_string();
        if name.ends_with(".html") || name.ends_with(".xml") {
            // The lists' class name is no wording.
            let text = fs::read_to_string(entry.path())
                .unwrap()
                .to_lowercase()
                .replace("class=\"practices\"", "");
            for word in ["municipalit", "service area", "practice", "technology"] {
                assert!(!text.contains(word), "{name} says {word}");
            }
        }
    }
    for folder in ["areas", "municipalities", "tech"] {
        assert!(!kb.path("public").join(folder).exists(), "{folder}");
    }
    let index = search_index(&kb);
    assert_eq!(
        index["facets"],
        json!([{"key": "category", "label": "Category"}, {"key": "tags", "label": "Tags"}])
    );
    assert_eq!(index["noun"], "documents");
    let first = index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d[0] == "posts/first-release.html")
        .unwrap();
    assert_eq!(first[9], json!([["news"], ["release", "rust"]]));
    let author = index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d[0] == "authors/ada.html")
        .unwrap();
    assert_eq!(author[9], json!([[], []]));
    // The page shows the document's own keys, not empty municipal facts.
    let page = fs::read_to_string(kb.path("public/posts/first-release.html")).unwrap();
    for fact in [
        "<dt>Date</dt><dd>2024-01-02</dd>",
        "<dt>Category</dt><dd>news</dd>",
        "<dt>Weight</dt><dd>10</dd>",
        "<dt>Tags</dt><dd><a href=\"../tags/release.html\">release</a>, <a href=\"../tags/rust.html\">rust</a></dd>",
    ] {
        assert!(page.contains(fact), "{fact} missing from {page}");
    }
    assert!(!page.contains("class=\"badges\""), "{page}");
    assert!(
        !page.contains("<dt>Author</dt>"),
        "a map is in the source only"
    );
}

#[test]
fn facets_are_detected_when_none_are_named() {
    let kb = committed("hugo-site");
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 0, "{run}");
    let index = search_index(&kb);
    // Short shared strings; titles (all different), dates and nested authors are not.
    assert_eq!(
        index["facets"],
        json!([{"key": "category", "label": "Category"}, {"key": "tags", "label": "Tags"}])
    );
    let home = fs::read_to_string(kb.path("public/index.html")).unwrap();
    assert!(home.contains("<select id=\"facet-category\""), "{home}");
    assert!(!home.to_lowercase().contains("municipalities"), "{home}");
}

#[test]
fn a_hugo_site_exports_every_front_matter_field() {
    let kb = committed("hugo-site");
    let run = kb.mkn(["export", "--format", "json", "--out", "-"]);
    assert_eq!(run.code, 0, "{run}");
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows.len(), 9);
    for row in rows {
        let path = row["path"].as_str().unwrap();
        let text = fs::read_to_string(kb.path(path)).unwrap();
        let yaml = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .unwrap()
            .0;
        let written: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(
            row["front_matter"],
            serde_json::to_value(written).unwrap(),
            "{path}"
        );
        assert!(row.get("kind").is_none(), "{row}");
    }
}

#[test]
fn a_municipal_site_keeps_its_headline_and_municipal_filters() {
    let kb = Kb::new();
    kb.copy_fixture("search");
    kb.commit("fixture");
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 0, "{run}");
    let home = fs::read_to_string(kb.path("public/index.html")).unwrap();
    assert!(home.contains(" practices from "), "{home}");
    assert!(home.contains("<h2 id=\"best-heading\">Best practices</h2>"));
    let index = search_index(&kb);
    let keys: Vec<&str> = index["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["area", "kind", "region", "tier", "year"]);
    assert_eq!(index["noun"], "practices");
    // The filters read the documents' own fields: areas, kind, year.
    let toronto = index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d[0] == "practices/toronto-paving-cost-benchmark.html")
        .unwrap();
    for (facet, value) in index["facets"].as_array().unwrap().iter().zip([
        json!(["roads"]),
        json!("best"),
        json!(["southern"]),
        json!(["single"]),
        json!(2010),
    ]) {
        let at = facet["at"].as_u64().unwrap() as usize;
        assert_eq!(toronto[at], value, "{facet}");
    }
    assert_eq!(toronto.as_array().unwrap().len(), 9);
}

#[test]
fn a_zola_blog_filters_on_nested_taxonomies_and_exports_toml_as_csv() {
    let kb = Kb::empty();
    kb.copy_fixture("zola");
    let config = fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write(
        "mkn.toml",
        format!("{config}facets = [\"taxonomies.tags\", \"taxonomies.categories\"]\n"),
    );
    kb.commit("fixture");
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 0, "{run}");
    let index = search_index(&kb);
    assert_eq!(
        index["facets"],
        json!([
            {"key": "taxonomies.tags", "label": "Tags"},
            {"key": "taxonomies.categories", "label": "Categories"}
        ])
    );
    let brine = index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d[0] == "blog/brine-on-winter-roads.html")
        .unwrap();
    assert_eq!(brine[9], json!([["salt", "winter"], ["roads"]]));
    let home = fs::read_to_string(kb.path("public/index.html")).unwrap();
    assert!(
        home.contains("<label for=\"facet-taxonomies.tags\">Tags</label>"),
        "{home}"
    );

    // TOML front matter in CSV: dates as ISO text, tables as JSON.
    let run = kb.mkn(["export", "--format", "csv", "--out", "-"]);
    assert_eq!(run.code, 0, "{run}");
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let brine = rows
        .iter()
        .find(|r| &r[0] == "brine-on-winter-roads")
        .unwrap();
    let cell = |column: &str| &brine[header.iter().position(|h| h == column).unwrap()];
    assert_eq!(cell("date"), "2024-01-15");
    assert_eq!(cell("updated"), "2024-02-01T09:30:00Z");
    assert_eq!(
        serde_json::from_str::<Value>(cell("taxonomies")).unwrap(),
        json!({"tags": ["salt", "winter"], "categories": ["roads"]})
    );
    assert_eq!(
        serde_json::from_str::<Value>(cell("extra")).unwrap()["sources"][0]["title"],
        "Council report"
    );
}

#[test]
fn a_facet_no_document_has_is_a_warning_at_its_line_and_a_bad_one_an_error() {
    let kb = Kb::empty();
    kb.copy_fixture("notes");
    let config = fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write(
        "mkn.toml",
        config.replace(
            "facets = [\"category\", \"tags\"]",
            "facets = [\"tags\", \"categroy\"]",
        ),
    );
    kb.commit("fixture");
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains(
            "warning[config/facet]: mkn.toml:7:19: no exported document of `posts` has the key `categroy`: its filter stays empty\n  help: did you mean `category`?"
        ),
        "{run}"
    );

    kb.write(
        "mkn.toml",
        config.replace("facets = [\"category\", \"tags\"]", "facets = \"tags\""),
    );
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("mkn.toml:7:"), "{run}");
}
