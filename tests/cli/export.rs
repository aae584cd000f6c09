//! `mkn export`: files other programs read.

use std::fs;

use crate::harness::Kb;

fn corpus() -> Kb {
    let kb = Kb::new();
    kb.copy_fixture("search");
    kb.commit("fixture");
    kb
}

#[test]
fn csv_has_the_documented_columns_and_computed_fields() {
    let kb = corpus();
    let run = kb.mkn([
        "export",
        "--format",
        "csv",
        "--out",
        "roads.csv",
        "area:roads",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let text = fs::read_to_string(kb.path("roads.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    // The front-matter keys in the schema's order, the computed columns, the provenance.
    assert_eq!(
        header,
        [
            "id",
            "title",
            "kind",
            "areas",
            "municipalities",
            "year",
            "status",
            "summary",
            "tags",
            "evidence",
            "sources",
            "related",
            "evidence_strength",
            "tiers",
            "regions",
            "populations",
            "evidence_change",
            "collection",
            "path",
            "commit"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        ids,
        ["hamilton-pothole-blitz", "toronto-paving-cost-benchmark"]
    );
    let toronto = |column: &str| {
        let at = header.iter().position(|h| h == column).unwrap();
        rows[1][at].to_string()
    };
    assert_eq!(toronto("tiers"), "single");
    assert_eq!(toronto("regions"), "southern");
    assert_eq!(toronto("populations"), "2794356");
    assert_eq!(toronto("tags"), "benchmarking;procurement");
    assert_eq!(
        toronto("evidence_change"),
        "ROAD307 2009:12000 -> 2012:9000 (-25.0%)"
    );
    assert_eq!(
        toronto("evidence"),
        r#"[{"measure":"ROAD307","municipality":"toronto","baseline":{"year":2009,"value":12000},"result":{"year":2012,"value":9000},"source":1}]"#
    );
    assert_eq!(
        toronto("path"),
        "practices/roads/toronto-paving-cost-benchmark.md"
    );
    assert_eq!(toronto("commit").len(), 40, "the commit id");
}

#[test]
fn json_to_stdout_and_bulk_ndjson() {
    let kb = corpus();
    let run = kb.mkn(["export", "--format", "json", "--out", "-", "kind:best"]);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["guelph-brine-anti-icing", "toronto-paving-cost-benchmark"]
    );
    assert_eq!(rows[0]["evidence"][0]["change"]["improved"], true);
    assert_eq!(rows[0]["evidence_strength"], "limited");
    assert_eq!(rows[0]["regions"], serde_json::json!(["southern"]));
    // The front matter as written, beside the computed fields.
    let written = &rows[0]["front_matter"];
    assert_eq!(written["id"], "guelph-brine-anti-icing");
    assert!(written["evidence"][0].get("change").is_none(), "{written}");
    assert_eq!(
        rows[0]["evidence"][0]["baseline"],
        serde_json::json!([
            written["evidence"][0]["baseline"]["year"],
            written["evidence"][0]["baseline"]["value"]
        ])
    );

    let bulk = kb.mkn([
        "export",
        "--format",
        "ndjson",
        "--bulk",
        "--out",
        "-",
        "kind:best",
    ]);
    let lines: Vec<serde_json::Value> = bulk
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["index"]["_id"], "guelph-brine-anti-icing");
    assert_eq!(lines[1]["id"], "guelph-brine-anti-icing");
    assert_eq!(
        kb.mkn(["export", "--format", "csv", "--bulk", "--out", "-"])
            .code,
        2
    );
}

#[test]
fn a_failed_export_leaves_no_file() {
    let kb = corpus();
    let run = kb.mkn(["export", "--format", "csv", "--out", "missing/dir/x.csv"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(!kb.path("missing/dir/x.csv").exists());
}

/// Every file of a folder, relative path → bytes.
fn files_of(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (rel.display().to_string(), fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The values of `href="..."` and `src="..."` in a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn site_has_a_page_for_every_practice_area_municipality_product_and_tag() {
    let kb = corpus();
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains("exported a site of 7 documents"),
        "{run}"
    );
    let site = files_of(&kb.path("public"));
    for page in [
        "index.html",
        "feed.xml",
        "assets/style.css",
        "assets/search.js",
        "assets/search-index.js",
        "practices/toronto-paving-cost-benchmark.html",
        "practices/solid-waste-broken-front-matter.html",
        "areas/index.html",
        "areas/roads.html",
        "areas/solid-waste.html",
        "municipalities/toronto.html",
        "municipalities/guelph.html",
        "tech/index.html",
        "tech/cityworks.html",
        "tags/benchmarking.html",
        "source/infobase/guelph.md",
    ] {
        assert!(
            site.contains_key(page),
            "{page} missing from {:?}",
            site.keys()
        );
    }
    let page = String::from_utf8_lossy(&site["practices/toronto-paving-cost-benchmark.html"]);
    assert!(
        page.contains("<h1>Benchmarking paving costs</h1>"),
        "{page}"
    );
    assert!(
        page.contains("<td>-3000 (-25.0%)</td>"),
        "the computed change: {page}"
    );
    assert!(
        page.contains("<strong class=\"yes\">yes</strong>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"#source\">practices/roads/toronto-paving-cost-benchmark.md</a>")
    );
    assert!(
        page.contains("<details id=\"source\">"),
        "the source is on the page"
    );
    assert!(
        page.contains("<pre>---\nid: toronto-paving-cost-benchmark\n"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Contributors</dt><dd>Test</dd>"),
        "{page}"
    );
    assert!(page.contains("<meta property=\"og:title\" content=\"Benchmarking paving costs\">"));
    assert!(page.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    let guelph = String::from_utf8_lossy(&site["municipalities/guelph.html"]);
    assert!(
        guelph.contains("Cityworks") && guelph.contains("4/5"),
        "{guelph}"
    );

    // Every internal link of every page resolves to a file of the site.
    for (path, bytes) in site.iter().filter(|(p, _)| p.ends_with(".html")) {
        let base = std::path::Path::new(path).parent().unwrap();
        for link in links(&String::from_utf8_lossy(bytes)) {
            if link.starts_with("https://") || link.starts_with('#') {
                continue;
            }
            let target = link.split(['?', '#']).next().unwrap();
            let mut resolved = std::path::PathBuf::new();
            for part in base.join(target).components() {
                match part {
                    std::path::Component::ParentDir => assert!(resolved.pop(), "{path}: {link}"),
                    std::path::Component::Normal(p) => resolved.push(p),
                    _ => {}
                }
            }
            let resolved = resolved.display().to_string();
            assert!(
                site.contains_key(&resolved),
                "{path} links to missing {link}"
            );
        }
    }
}

#[test]
fn site_is_byte_identical_for_the_same_commit() {
    let kb = corpus();
    assert_eq!(
        kb.mkn(["export", "--format", "site", "--out", "one"]).code,
        0
    );
    assert_eq!(
        kb.mkn(["export", "--format", "site", "--out", "two"]).code,
        0
    );
    assert_eq!(files_of(&kb.path("one")), files_of(&kb.path("two")));
}

#[test]
fn site_makes_hostile_ids_titles_and_bodies_safe() {
    let kb = corpus();
    kb.write(
        "practices/roads/evil.md",
        "---\nid: ../../../escaped\ntitle: \"<script>alert('t')</script> Salt & <brine>\"\nkind: beneficial\n\
         areas: [roads]\nmunicipalities: [toronto]\nsummary: \"\\\" onmouseover=\\\"alert(1)\"\n---\n\
         ## Challenge\n\n<script>alert('body')</script>\n\n<img src=x onerror=\"alert('img')\">\n\n\
         [click](javascript:alert('link')) <a href=\"javascript:alert('a')\">a</a>\n",
    );
    kb.commit("an evil practice");
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 0, "{run}");
    let outside: Vec<_> = fs::read_dir(kb.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            ![
                "practices",
                "infobase",
                "schema",
                "mkn.toml",
                "public",
                ".git",
                ".mkn",
            ]
            .contains(&n.as_str())
        })
        .collect();
    assert!(outside.is_empty(), "written outside the site: {outside:?}");
    let site = files_of(&kb.path("public"));
    let page = String::from_utf8_lossy(&site["practices/escaped.html"]);
    assert!(
        page.contains(
            "<h1>&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; Salt &amp; &lt;brine&gt;</h1>"
        ),
        "{page}"
    );
    assert!(
        page.contains("&lt;img src=x onerror="),
        "the source, as text: {page}"
    );
    for (path, bytes) in site.iter().filter(|(p, _)| !p.starts_with("source/")) {
        let text = String::from_utf8_lossy(bytes);
        // The page's own source is shown as text; everything else must be clean.
        let text = match text.split_once("<details id=\"source\">") {
            Some((before, after)) => before.to_string() + after.split_once("</details>").unwrap().1,
            None => text.into_owned(),
        };
        let bad: &[&str] = if path.ends_with(".js") {
            &["<script", "</script"]
        } else {
            &["<script>alert", "onerror", "javascript:", "\" onmouseover"]
        };
        for bad in bad {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
    }
}

#[test]
fn site_feed_and_sharing_links_use_the_base_url() {
    let kb = corpus();
    let config = fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write(
        "mkn.toml",
        format!("{config}\n[site]\nbase_url = \"https://kn.example.org/mkn\"\n"),
    );
    kb.commit("publish");
    assert_eq!(
        kb.mkn(["export", "--format", "site", "--out", "public"])
            .code,
        0
    );
    let feed = fs::read_to_string(kb.path("public/feed.xml")).unwrap();
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert_eq!(feed.matches("<entry>").count(), 7, "{feed}");
    assert!(feed.contains(
        "<link rel=\"alternate\" type=\"text/html\" href=\"https://kn.example.org/mkn/practices/toronto-paving-cost-benchmark.html\"/>"
    ), "{feed}");
    assert!(
        feed.contains("<updated>2023-11-14T22:13:20Z</updated>"),
        "the commit time: {feed}"
    );
    let page = fs::read_to_string(kb.path("public/practices/hamilton-pothole-blitz.html")).unwrap();
    assert!(page.contains(
        "<meta property=\"og:url\" content=\"https://kn.example.org/mkn/practices/hamilton-pothole-blitz.html\">"
    ));
}

#[test]
fn site_takes_filters_and_replaces_only_its_own_folder() {
    let kb = corpus();
    let run = kb.mkn([
        "export",
        "--format",
        "site",
        "--out",
        "public",
        "area:roads",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let pages: Vec<String> = files_of(&kb.path("public/practices")).into_keys().collect();
    assert_eq!(
        pages,
        [
            "hamilton-pothole-blitz.html",
            "toronto-paving-cost-benchmark.html"
        ]
    );
    assert_eq!(
        kb.mkn(["export", "--format", "site", "--out", "public"])
            .code,
        0
    );
    assert_eq!(files_of(&kb.path("public/practices")).len(), 7);

    kb.write("mine/notes.txt", "keep me");
    let run = kb.mkn(["export", "--format", "site", "--out", "mine"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("was not written by `mkn export --format site`"),
        "{run}"
    );
    assert_eq!(
        fs::read_to_string(kb.path("mine/notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(kb.mkn(["export", "--format", "site", "--out", "-"]).code, 2);
}

#[test]
fn documents_come_in_id_order_whatever_their_file_names_say() {
    let kb = Kb::empty();
    kb.write(
        "mkn.toml",
        "name = \"Order\"\n\n[collections.notes]\npath = \"notes\"\n",
    )
    .write("notes/a.md", "---\nid: zulu\ntitle: A\n---\nbody\n")
    .write("notes/b.md", "---\ntitle: B\n---\nbody\n")
    .write(
        "notes/c.md",
        "+++\nid = \"alpha\"\ntitle = \"C\"\n+++\nbody\n",
    )
    .write("notes/d.md", "---\n\"id\": mike\ntitle: D\n---\nbody\n")
    // Its front matter cannot be read: its id is its file name, not `aaa`.
    .write("notes/e.md", "---\nid: aaa\ntitle: [broken\n---\nbody\n")
    .write(
        "notes/f.md",
        "---\nid: f\ntitle: F\nvalid: yes\n---\nbody\n",
    )
    .write("notes/g.md", "---\nid: 'echo'\ntitle: G\n---\nbody\n")
    .write("notes/h.md", "---\ntitle: H\nid: >-\n  golf\n---\nbody\n");
    kb.commit("notes");
    let order = ["alpha", "b", "e", "echo", "f", "golf", "mike", "zulu"];
    let json = kb.mkn(["export", "--format", "json", "--out", "-"]);
    assert_eq!(json.code, 0, "{json}");
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, order);
    let csv = kb.mkn(["export", "--format", "csv", "--out", "-"]);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(ids, order);
    let ndjson = kb.mkn(["export", "--format", "ndjson", "--out", "-"]);
    let ids: Vec<String> = ndjson
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, order.map(|id| format!("\"{id}\"")));
}

#[test]
fn an_export_with_no_document_is_an_empty_array_or_a_header() {
    let kb = corpus();
    let json = kb.mkn(["export", "--format", "json", "--out", "-", "zzzqqq"]);
    assert_eq!((json.code, json.stdout.as_str()), (0, "[]\n"), "{json}");
    let csv = kb.mkn(["export", "--format", "csv", "--out", "-", "zzzqqq"]);
    assert_eq!(
        (csv.code, csv.stdout.as_str()),
        (0, "id,collection,path,commit\n"),
        "{csv}"
    );
}
