//! `mkn export --format site` in a real browser: a municipal fixture corpus
//! and one without practices (`notes`, filtered on its own keys) are
//! exported, then `tests/browser/site.mjs` serves the site on 127.0.0.1 and
//! drives Debian's chromium with playwright-core (the search, a facet, the
//! `index.html?q=` hand-off, every internal link and the feed, basic
//! accessibility, screenshots into `target/browser-test/`).
//!
//! Needs `/usr/bin/chromium` (or `MKN_CHROMIUM`), node and
//! `tests/browser/node_modules`. Without them the test says `skipped` and
//! passes, unless `MKN_BROWSER_TESTS=require` (as `.ci/run` sets), when it
//! fails and says how to install them.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::harness::{Kb, repo_root};

const INSTALL: &str = "apt-get install chromium && npm ci --prefix tests/browser";

/// A title that HTML must escape, and a body with markup that must not run.
const TRICKY_PRACTICE: &str = r#"---
id: salt-and-brine-mix
title: "Salt & <brine> mix"
kind: beneficial
areas: [roads]
municipalities: [hamilton]
year: 2020
status: active
summary: "Hamilton mixes salt & brine in one truck; \"quotes\", 'apostrophes' and <b>tags</b> stay text."
tags: [salt, brine]
sources:
  - {title: "Council report <2020> & notes", url: "https://example.org/salt?a=1&b=2"}
---
## Challenge
Dry salt bounced off the road. <script>alert("script in a body")</script>

## Approach
Brine is mixed in, as in [the anti-icing practice](../roads-winter-control/guelph-brine-anti-icing.md).
<a href="javascript:alert('link in a body')">A link that must not run</a>

## Results
Less salt on the shoulders.

## Lessons learned
Mix at the yard.
"#;

/// What `site.mjs` must find in the site of [`corpus`].
const PLAN: &str = r#"{
  "search": {"query": "brine", "expect": ["guelph-brine-anti-icing"], "absent": ["waterloo-region-green-bin"]},
  "facet": {"query": "salt", "select": "facet-area", "value": "roads-winter-control",
            "kept": ["guelph-brine-anti-icing"], "dropped": ["salt-and-brine-mix"]},
  "escaped": {"query": "salt", "slug": "salt-and-brine-mix", "title": "Salt & <brine> mix"},
  "navigate": {"from": "practices/hamilton-pothole-blitz.html", "query": "green bin",
               "expect": "waterloo-region-green-bin", "title": "Green bin organics collection"},
  "pages": [
    "practices/dysart-et-al-sidewalk-winter-routes.html",
    "practices/greater-sudbury-plow-tracking.html",
    "practices/guelph-brine-anti-icing.html",
    "practices/hamilton-pothole-blitz.html",
    "practices/salt-and-brine-mix.html",
    "practices/toronto-paving-cost-benchmark.html",
    "practices/waterloo-region-green-bin.html",
    "areas/roads.html",
    "areas/roads-winter-control.html",
    "areas/solid-waste.html",
    "municipalities/guelph.html",
    "municipalities/hamilton.html",
    "tech/geotab.html",
    "tags/salt.html"
  ],
  "screenshot": "guelph-brine-anti-icing"
}"#;

/// The search fixture (practices in three areas, two infobase profiles)
/// without its broken file, plus the tricky practice.
fn corpus() -> Kb {
    let kb = Kb::new();
    kb.copy_fixture("search");
    fs::remove_file(kb.path("practices/solid-waste/broken-front-matter.md")).unwrap();
    kb.write("practices/roads/salt-and-brine-mix.md", TRICKY_PRACTICE);
    kb.commit("fixture");
    kb
}

/// What is missing for the browser test, if anything.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = std::env::var_os("MKN_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.exists() {
        missing.push(format!("no browser at {}", chromium.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("no node on PATH".to_string());
    }
    let driver = repo_root().join("tests/browser/node_modules/playwright-core");
    if !driver.exists() {
        missing.push(format!("no {}", driver.display()));
    }
    missing
}

#[test]
fn site_works_in_a_browser() {
    if let Some(kb) = browser_ready().then(corpus) {
        exported_site_passes(&kb, PLAN, "municipal");
    }
}

/// A post whose title HTML must escape, for the corpus without practices.
const TRICKY_POST: &str = r#"---
title: "Tips & <tricks>"
date: 2024-04-01
tags: [rust]
category: guide
---
Tips. <script>alert("script in a body")</script>
"#;

/// What `site.mjs` must find in the site of the `notes` fixture: posts and
/// authors, filtered on the configured category and tags.
const NOTES_PLAN: &str = r#"{
  "folder": "posts",
  "facets": ["category", "tags"],
  "search": {"query": "release", "expect": ["first-release"], "absent": ["team-news"]},
  "facet": {"query": "rust", "select": "facet-category", "value": "news",
            "kept": ["first-release"], "dropped": ["writing-guide"]},
  "escaped": {"query": "tips", "slug": "tips-and-tricks", "title": "Tips & <tricks>"},
  "navigate": {"from": "posts/team-news.html", "query": "write a guide",
               "expect": "writing-guide", "title": "How to write a guide"},
  "pages": [
    "posts/first-release.html",
    "posts/team-news.html",
    "posts/tips-and-tricks.html",
    "posts/writing-guide.html",
    "authors/ada.html",
    "tags/rust.html"
  ],
  "screenshot": "first-release"
}"#;

#[test]
fn a_site_without_practices_works_in_a_browser() {
    if !browser_ready() {
        return;
    }
    let kb = Kb::empty();
    kb.copy_fixture("notes");
    kb.write("content/posts/tips-and-tricks.md", TRICKY_POST);
    kb.commit("fixture");
    exported_site_passes(&kb, NOTES_PLAN, "notes");
}

/// Whether chromium, node and the driver are there; without them the test
/// says `skipped` (and fails under `MKN_BROWSER_TESTS=require`).
fn browser_ready() -> bool {
    let missing = missing();
    if missing.is_empty() {
        return true;
    }
    let what = missing.join("; ");
    if std::env::var("MKN_BROWSER_TESTS").as_deref() == Ok("require") {
        panic!("MKN_BROWSER_TESTS=require, but {what}: install with `{INSTALL}`");
    }
    eprintln!("skipped: the browser test of the site ({what}; `{INSTALL}` to run it)");
    false
}

/// Exports the corpus as a site and runs `site.mjs` on it with `plan`,
/// screenshots going to `target/browser-test/<shots>/`.
fn exported_site_passes(kb: &Kb, plan: &str, shots: &str) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let run = kb.mkn([
        "export",
        "--format",
        "site",
        "--out",
        site.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "mkn export --format site failed:\n{run}");

    let shots = repo_root().join("target/browser-test").join(shots);
    let _ = fs::remove_dir_all(&shots);
    // The script's report goes straight to the terminal (and CI's log): the
    // checks, each problem, and the screenshot paths.
    let status = Command::new("node")
        .arg(repo_root().join("tests/browser/site.mjs"))
        .arg(&site)
        .arg(&shots)
        .arg(plan)
        .current_dir(repo_root())
        .status()
        .expect("running node");
    assert!(
        status.success(),
        "tests/browser/site.mjs found problems in the site ({status}): see its FAIL lines above"
    );
}
