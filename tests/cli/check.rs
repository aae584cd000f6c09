//! `mkn check`: the rules, the output formats, the exit codes, the scopes.

use crate::harness::{Kb, VALID_PRACTICE, repo_root};

fn practice(id: &str, edit: impl Fn(String) -> String) -> String {
    edit(VALID_PRACTICE.replace("guelph-brine", id))
}

#[test]
fn a_valid_corpus_passes() {
    let kb = Kb::new();
    kb.write(
        "practices/roads-winter-control/guelph-brine.md",
        VALID_PRACTICE,
    );
    let run = kb.mkn(["check"]);
    assert_eq!(
        run.to_string(),
        "exit: 0\n--- stdout\nchecked 1 document: no problems found\n--- stderr\n"
    );
}

#[test]
fn the_bundled_corpus_is_clean() {
    let run = assert_cmd::Command::cargo_bin("mkn")
        .unwrap()
        .args([
            "--corpus",
            repo_root().to_str().unwrap(),
            "check",
            "--deny-warnings",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}");
    assert!(stdout.contains("no problems found"), "{stdout}");
}

/// One practice per rule, each breaking exactly that rule.
fn rules_corpus() -> Kb {
    let kb = Kb::new();
    let dir = "practices/roads-winter-control";
    kb.write(&format!("{dir}/guelph-brine.md"), VALID_PRACTICE);
    kb.write(
        &format!("{dir}/wrong-name.md"),
        practice("not-the-file-name", |t| t),
    );
    kb.write(
        "practices/roads/wrong-folder.md",
        practice("wrong-folder", |t| t),
    );
    kb.write(&format!("{dir}/unknown-refs.md"), practice("unknown-refs", |t| {
        t.replace("areas: [roads-winter-control]", "areas: [roads-winter-control, road]")
            .replace("municipalities: [guelph]", "municipalities: [guleph, Greater Sudbury, 3525005, 9999999]")
            .replace("measure: winter-standard-met", "measure: winter-standard-mett")
            .replace("tags: [salt]", "tags: [salt]\ntechnologies:\n  - {product: Cityworks, function: asset-managment}\nrelated: [guelph-brin]")
    }));
    kb.write(
        &format!("{dir}/not-improved.md"),
        practice("not-improved", |t| t.replace("value: 97.0", "value: 80.0")),
    );
    kb.write(
        &format!("{dir}/years-reversed.md"),
        practice("years-reversed", |t| t.replace("year: 2017", "year: 2013")),
    );
    kb.write(
        &format!("{dir}/no-direction.md"),
        practice("no-direction", |t| {
            t.replace("measure: winter-standard-met", "measure: ROAD800")
        }),
    );
    kb.write(
        &format!("{dir}/best-without-evidence.md"),
        practice("best-without-evidence", |t| {
            let start = t.find("evidence:").unwrap();
            let end = t.find("sources:").unwrap();
            format!("{}{}", &t[..start], &t[end..])
        }),
    );
    kb.write(
        &format!("{dir}/schema-errors.md"),
        practice("schema-errors", |t| {
            t.replace("kind: best", "kind: bset")
                .replace("year: 2016", "year: \"2016\"\nauthor: me")
                .replace("title: Brine pre-wetting\n", "")
        }),
    );
    kb.write(
        &format!("{dir}/missing-sections.md"),
        practice("missing-sections", |t| {
            t.replace("## Approach", "## Method")
                .replace("## Lessons learned\nText.\n", "")
        }),
    );
    kb.write(&format!("{dir}/reviewer-warnings.md"), practice("reviewer-warnings", |t| {
        t.replace("summary: Guelph", &format!("summary: {} Guelph", "Long. ".repeat(90)))
            .replace(
                "  - {title: \"Council report\", url: \"https://example.org/report.pdf\"}",
                "  - {title: \"Council report\", url: \"https://example.org/report.pdf\"}\n  - {title: Newsletter}\n  - {title: \"Same report\", url: \"http://www.example.org/report.pdf/\"}",
            )
            .replace("tags: [salt]", "tags: [salt]\nextra: {version: 3.10, plowing: on}")
    }));
    kb.write(&format!("{dir}/bad-links.md"), practice("bad-links", |t| {
        t.replace("## Results\nText.", "## Results\nSee [brine](guelph-brine.md), [gone](../roads/gone.md#top) and [web](https://example.org).")
            .replace("source: 1", "source: 3")
    }));
    kb
}

#[test]
fn every_rule_reports_file_line_column_and_hint() {
    let run = rules_corpus().mkn(["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn json_output_has_documented_fields() {
    let run = rules_corpus().mkn([
        "check",
        "--format",
        "json",
        "practices/roads-winter-control/not-improved.md",
    ]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn github_format_is_chosen_on_github_actions() {
    let kb = rules_corpus();
    let run = kb.mkn_env(
        ["check", "practices/roads-winter-control/unknown-refs.md"],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn sarif_output_is_a_sarif_log() {
    let run = rules_corpus().mkn(["check", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let first = &results[0];
    assert!(first["ruleId"].is_string());
    assert!(
        first["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["id"] == "evidence/not-improved"));
}

#[test]
fn warnings_fail_only_when_denied() {
    let kb = Kb::new();
    kb.write(
        "practices/roads-winter-control/guelph-brine.md",
        VALID_PRACTICE.replace("tags: [salt]", "tags: [salt]\nextra: {plowing: on}"),
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("warning[yaml/implicit-type]"), "{run}");
    assert_eq!(kb.mkn(["check", "--deny-warnings"]).code, 1);
}

#[test]
fn numbers_where_the_schema_wants_numbers_are_no_surprise() {
    let kb = Kb::new();
    kb.write(
        "practices/roads-winter-control/guelph-brine.md",
        VALID_PRACTICE
            .replace("value: 85.0}", "value: 12.50}")
            .replace("tags: [salt]", "tags: [salt]\nextra: {version: 3.10}"),
    );
    let run = kb.mkn(["check", "--format", "json"]);
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let texts: Vec<&str> = found
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["`3.10` is read as the number 3.1, not as the text \"3.10\""],
        "{run}"
    );
}

#[test]
fn a_broken_file_does_not_also_break_references_to_it() {
    let kb = Kb::new();
    kb.write(
        "practices/roads-winter-control/guelph-brine.md",
        VALID_PRACTICE.replace("title: Brine pre-wetting", "title: [broken"),
    );
    kb.write(
        "practices/roads-winter-control/links-to-brine.md",
        practice("links-to-brine", |t| {
            t.replace("tags: [salt]", "tags: [salt]\nrelated: [guelph-brine]")
        }),
    );
    let run = kb.mkn(["check", "--format", "json"]);
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<&str> = found.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["yaml/syntax"], "{run}");
}

#[test]
fn colour_only_when_asked_and_never_under_no_color() {
    let kb = rules_corpus();
    let plain = kb.mkn(["check", "practices/roads/wrong-folder.md"]);
    assert!(!plain.stdout.contains('\x1b'), "{plain}");
    let coloured = kb.mkn([
        "--color",
        "always",
        "check",
        "practices/roads/wrong-folder.md",
    ]);
    assert!(coloured.stdout.contains('\x1b'), "{coloured}");
}

#[test]
fn named_paths_limit_the_report_but_not_the_rules() {
    let kb = rules_corpus();
    let run = kb.mkn(["check", "practices/roads"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("practices/roads/wrong-folder.md"),
        "{run}"
    );
    assert!(
        !run.stdout.contains("practices/roads-winter-control/"),
        "{run}"
    );
    assert!(
        run.stdout
            .ends_with("checked 1 document: 1 error, 0 warnings\n"),
        "{run}"
    );
    assert_eq!(kb.mkn(["check", "no/such/file.md"]).code, 2);
}

#[test]
fn changed_since_checks_changes_and_what_they_break() {
    let kb = Kb::new();
    let dir = "practices/roads-winter-control";
    kb.write(&format!("{dir}/guelph-brine.md"), VALID_PRACTICE);
    kb.write(
        &format!("{dir}/links-to-brine.md"),
        practice("links-to-brine", |t| {
            t.replace("tags: [salt]", "tags: [salt]\nrelated: [guelph-brine]")
        }),
    );
    kb.write(
        &format!("{dir}/old-problem.md"),
        practice("old-problem", |t| {
            t.replace(
                "areas: [roads-winter-control]",
                "areas: [roads-winter-control, nowhere]",
            )
        }),
    );
    kb.write(&format!("{dir}/edited.md"), practice("edited", |t| t));
    kb.commit("initial");
    std::fs::remove_file(kb.path(&format!("{dir}/guelph-brine.md"))).unwrap();
    kb.write(
        &format!("{dir}/edited.md"),
        practice("edited", |t| {
            t.replace("status: active", "status: finished")
        }),
    );
    kb.write(
        &format!("{dir}/untracked.md"),
        practice("untracked", |t| t.replace("year: 2016", "year: 1800")),
    );
    let run = kb.mkn(["check", "--changed-since", "HEAD"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.to_string());
    assert_eq!(kb.mkn(["check", "--changed-since", "no-such-rev"]).code, 2);
}

#[test]
fn profiles_follow_the_directory_rules() {
    let kb = Kb::new();
    kb.write(
        "infobase/guelph.md",
        "---\nmunicipality: guelph\nupdated: 2024-05-01\ntechnologies:\n\
         \x20 - {product: Cityworks, vendor: Trimble, category: software, function: asset-management, status: in-use, rating: 0}\n\
         \x20 - {product: ArcGIS, vendor: ESRI, category: software, function: gis, status: in-use, rating: 6}\n\
         \x20 - {product: cityworks, vendor: Trimble, category: software, function: asset-management, status: in-use, rating: 4.5}\n\
         \x20 - {product: Geotab, vendor: Geotab, category: service, function: fleet, status: in-use, rating: good, since: 2999}\n\
         ---\nNotes.\n",
    );
    kb.write(
        "infobase/hamilton.md",
        "---\nmunicipality: hamilton\nupdated: 2024-05-01\ntechnologies:\n\
         \x20 - {product: ArcGIS, vendor: Esri, category: software, function: gis, status: in-use}\n\
         \x20 - {product: ArcGIS Online, vendor: Esri, category: service, function: gis, status: in-use}\n---\n",
    );
    kb.write(
        "infobase/springfield.md",
        "---\nmunicipality: springfield\nupdated: 2024-05-01\ntechnologies: []\n---\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn a_collection_of_no_built_in_kind_gets_schema_references_and_ids() {
    let kb = Kb::empty();
    kb.write(
        "mkn.toml",
        "name = \"A Hugo site\"\n\n[collections.posts]\npath = \"content/posts\"\nschema = \"post.schema.json\"\n\n\
         [collections.posts.references]\n\"written by\" = \"authors\"\n\n[collections.authors]\npath = \"content/authors\"\n",
    );
    kb.write(
        "post.schema.json",
        r#"{"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}, "ms.date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}}}"#,
    );
    kb.write("content/authors/ada.md", "---\nname: Ada\n---\n");
    kb.write("content/posts/hello/index.md", "---\ntitle: Hello\n\"written by\": [ada, bob]\nms.date: 2025-1-1\n---\nSee [Ada](../../authors/ada.md).\n");
    kb.write(
        "content/posts/hello.md",
        "---\ntitle: Hello again\n\"written by\": adda\n---\n",
    );
    kb.write("content/posts/untitled.md", "---\ndraft: true\n---\n");
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.to_string());
}

/// The corpus's own standard, checked on the files whatever rules are
/// configured: every practice cites a page by its address, and every `best`
/// practice carries the evidence that makes it one.
#[test]
fn every_bundled_practice_cites_a_url_and_every_best_one_has_evidence() {
    let run = assert_cmd::Command::cargo_bin("mkn")
        .unwrap()
        .args(["--corpus", repo_root().to_str().unwrap()])
        .args([
            "export",
            "--format",
            "json",
            "--out",
            "-",
            "collection:practices",
        ])
        .env("NO_COLOR", "1")
        .env("MKN_WATCH", "never")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&run.stdout).unwrap();
    assert!(rows.len() >= 100, "only {} practices", rows.len());
    let mut problems = Vec::new();
    for row in &rows {
        let front = &row["front_matter"];
        let sources = front["sources"].as_array().cloned().unwrap_or_default();
        if sources.is_empty() || sources.iter().any(|s| !s["url"].is_string()) {
            problems.push(format!("{}: a source without a URL", row["path"]));
        }
        let evidence = front["evidence"].as_array().map_or(0, Vec::len);
        if front["kind"] == "best" && evidence == 0 {
            problems.push(format!("{}: a best practice without evidence", row["path"]));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
