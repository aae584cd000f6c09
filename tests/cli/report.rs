//! `mkn report AREA`: the best practice report of a service area.

use std::fs;

use crate::harness::{Kb, VALID_PRACTICE};

/// A practice of the roads area (and maybe others) with optional evidence.
fn practice(id: &str, title: &str, kind: &str, areas: &str, who: &str, evidence: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: \"{title}\"\nkind: {kind}\nareas: [{areas}]\nmunicipalities: [{who}]\n\
         year: 2016\nstatus: active\nsummary: What {who} did about {id}.\ntags: [roads]\n{evidence}\
         sources:\n  - {{title: \"Report\", url: \"https://example.org/{id}\"}}\n---\n\
         ## Challenge\nText.\n## Approach\nText.\n## Results\nText.\n## Lessons learned\nText.\n"
    )
}

fn entry(measure: &str, who: &str, base: (i32, f64), result: (i32, f64)) -> String {
    format!(
        "  - measure: {measure}\n    municipality: {who}\n    baseline: {{year: {}, value: {}}}\n    \
         result: {{year: {}, value: {}}}\n    source: 1\n",
        base.0, base.1, result.0, result.1
    )
}

/// Roads practices of every kind and strength, values of ROAD307, two
/// business functions mapped to roads, and three profiles.
fn corpus() -> Kb {
    let kb = Kb::new();
    kb.write(
        "practices/roads/toronto-paving.md",
        practice(
            "toronto-paving",
            "Benchmarking paving costs",
            "best",
            "roads",
            "toronto",
            &format!(
                "evidence:\n{}",
                entry("ROAD307", "toronto", (2017, 7000.0), (2018, 6323.59))
            ),
        ),
    );
    kb.write(
        "practices/roads/guelph-patrols.md",
        practice(
            "guelph-patrols",
            "Patrols <b>& brine",
            "best",
            "roads, roads-winter-control",
            "guelph",
            &format!(
                "evidence:\n{}{}",
                entry("ROAD307", "guelph", (2016, 3000.0), (2018, 2500.0)),
                entry("winter-standard-met", "guelph", (2014, 85.0), (2017, 97.0))
            ),
        ),
    );
    kb.write(
        "practices/roads/hamilton-potholes.md",
        practice(
            "hamilton-potholes",
            "Pothole blitz",
            "best",
            "roads",
            "hamilton",
            &format!(
                "evidence:\n{}",
                entry("ROAD307", "hamilton", (2016, 3900.0), (2018, 4067.28))
            ),
        ),
    );
    kb.write(
        "practices/roads/dysart-et-al-patrol-app.md",
        practice(
            "dysart-et-al-patrol-app",
            "Road patrol app",
            "beneficial",
            "roads",
            "dysart-et-al",
            "",
        ),
    );
    kb.write(
        "practices/roads-winter-control/guelph-brine.md",
        VALID_PRACTICE,
    );
    kb.write(
        "data/measures/roads.csv",
        "municipality,measure,year,value,numerator,denominator\n\
         guelph,ROAD307,2016,3000,,\n\
         toronto,ROAD307,2017,7000,,\n\
         guelph,ROAD307,2018,2500,,\n\
         hamilton,ROAD307,2018,4067.28,,\n\
         toronto,ROAD307,2018,6323.59,,\n\
         greater-sudbury,ROAD307,2018,4404.71,,\n\
         waterloo-region,ROAD307,2018,4449.81,,\n",
    );
    kb.write(
        "schema/functions.yaml",
        "- {id: asset-management, name: Asset management, areas: [roads]}\n\
         - {id: gis, name: GIS, areas: []}\n\
         - {id: fleet-management, name: Fleet management, areas: [roads-winter-control, roads]}\n",
    );
    let profile = |who: &str, entries: &str| {
        format!(
            "---\nmunicipality: {who}\nupdated: 2024-05-01\ntechnologies:\n{entries}---\nNotes.\n"
        )
    };
    kb.write(
        "infobase/guelph.md",
        profile(
            "guelph",
            "  - {product: Cityworks, vendor: Trimble, category: software, function: asset-management, status: in-use, rating: 4}\n\
             \x20 - {product: Geotab, vendor: Geotab, category: service, function: fleet-management, status: in-use}\n",
        ),
    );
    kb.write(
        "infobase/hamilton.md",
        profile(
            "hamilton",
            "  - {product: CityWorks, vendor: Trimble, category: software, function: asset-management, status: in-use, rating: 3}\n",
        ),
    );
    kb.write(
        "infobase/toronto.md",
        profile(
            "toronto",
            "  - {product: Maximo, vendor: IBM, category: software, function: asset-management, status: planned}\n",
        ),
    );
    kb.commit("fixture");
    kb
}

/// The HEAD commit id of a corpus.
fn head(kb: &Kb) -> String {
    let repo = git2::Repository::open(kb.root()).unwrap();
    repo.head()
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .id()
        .to_string()
}

/// Report text with the commit id replaced, so snapshots do not depend on
/// the bytes of the copied schemas.
fn redacted(kb: &Kb, text: &str) -> String {
    let commit = head(kb);
    text.replace(&commit, "[COMMIT]")
        .replace(&commit[..12], "[SHORT]")
}

/// Byte offset of a needle, failing with the text when it is missing.
fn at(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} missing from:\n{text}"))
}

#[test]
fn markdown_groups_practices_by_kind_then_strength_with_computed_evidence() {
    let kb = corpus();
    let run = kb.mkn(["report", "roads", "--out", "roads.md"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout, "");
    let text = fs::read_to_string(kb.path("roads.md")).unwrap();
    let order = [
        "# Best practice report: Roads",
        "## Best practices",
        "### Strong evidence",
        "#### Patrols \\<b\\>\\& brine",
        "### Moderate evidence",
        "#### Benchmarking paving costs",
        "### Limited evidence",
        "#### Pothole blitz",
        "## Beneficial practices",
        "### No evidence",
        "#### Road patrol app",
        "## Measures",
        "### ROAD307",
        "## Technologies",
        "### Asset management (`asset-management`)",
        "### Fleet management (`fleet-management`)",
    ];
    let positions: Vec<usize> = order.iter().map(|h| at(&text, h)).collect();
    assert!(positions.is_sorted(), "headings out of order:\n{text}");
    assert!(
        !text.contains("Brine pre-wetting"),
        "a winter-control-only practice is not a roads practice:\n{text}"
    );
    // The evidence change is computed: 6323.59 - 7000, and -9.66 %.
    at(
        &text,
        "| ROAD307 | toronto | 2017: 7000 | 2018: 6323.59 | -676.41 | -9.7% | yes |",
    );
    at(
        &text,
        "| ROAD307 | hamilton | 2016: 3900 | 2018: 4067.28 | +167.28 | +4.3% | no |",
    );
    at(&text, "- Source: `practices/roads/toronto-paving.md`");
    // The distribution is that of the 2018 rows of the data file.
    for row in [
        "| Municipalities | 5 |",
        "| Minimum | 2500 |",
        "| First quartile | 4067.28 |",
        "| Median | 4404.71 |",
        "| Third quartile | 4449.81 |",
        "| Maximum | 6323.59 |",
    ] {
        at(&text, row);
    }
    at(
        &text,
        "Latest year with values: 2018, reported by 5 municipalities.",
    );
    at(&text, "From `data/measures/roads.csv` at commit `");
    at(
        &text,
        "1 more measure of this service area has no reported values.",
    );
    // Planned products are not in use; CityWorks and Cityworks are one product.
    at(
        &text,
        "| Cityworks | Trimble | Guelph, Hamilton | 3.50 (2 ratings) |",
    );
    assert!(!text.contains("Maximo"), "{text}");
    at(&text, &format!("commit `{}` of 2023-11-14", head(&kb)));
    insta::assert_snapshot!(redacted(&kb, &text));
}

#[test]
fn html_is_one_safe_accessible_page() {
    let kb = corpus();
    let run = kb.mkn(["report", "roads", "--out", "roads.html"]);
    assert_eq!(run.code, 0, "{run}");
    let html = fs::read_to_string(kb.path("roads.html")).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "the format follows --out"
    );
    assert!(!html.to_lowercase().contains("<script"), "no scripts");
    assert!(!html.contains("src=\"http"), "no external assets");
    assert!(!html.contains("<link"), "no external style sheets");
    assert!(html.contains("Patrols &lt;b&gt;&amp; brine"), "{html}");
    assert!(!html.contains("<b>&"), "the title is escaped");
    for landmark in ["<header>", "<main>", "<footer>", "<caption>Evidence of"] {
        at(&html, landmark);
    }
    at(&html, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    at(
        &html,
        "ROAD307 in 2018, one bar per municipality, best (lowest) first: Guelph 2500, Hamilton 4067.28, \
         Greater Sudbury 4404.71, Waterloo 4449.81, Toronto 6323.59. Median 4404.71.",
    );
    let levels: Vec<u8> = html
        .match_indices("<h")
        .filter_map(|(i, _)| html.as_bytes().get(i + 2).copied())
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    assert_eq!(levels[0], 1);
    assert_eq!(levels.iter().filter(|&&l| l == 1).count(), 1);
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "a heading level is skipped: {levels:?}"
        );
    }
    insta::assert_snapshot!(redacted(&kb, &html));
}

#[test]
fn the_same_commit_gives_the_same_bytes() {
    let kb = corpus();
    for (format, out) in [("md", "a"), ("html", "b")] {
        let first = kb.mkn(["report", "roads", "--format", format, "--out", out]);
        assert_eq!(first.code, 0, "{first}");
        let once = fs::read(kb.path(out)).unwrap();
        let second = kb.mkn(["report", "roads", "--format", format, "--out", out]);
        assert_eq!(second.code, 0, "{second}");
        assert_eq!(once, fs::read(kb.path(out)).unwrap(), "{format} differs");
    }
}

#[test]
fn out_dash_writes_markdown_to_stdout() {
    let kb = corpus();
    let run = kb.mkn(["report", "roads", "--out", "-"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.starts_with("# Best practice report: Roads\n"),
        "{run}"
    );
    let html = kb.mkn(["report", "roads", "--format", "html", "--out", "-"]);
    assert!(html.stdout.starts_with("<!DOCTYPE html>"), "{html}");
}

#[test]
fn an_unknown_area_is_a_usage_error_with_a_suggestion() {
    let kb = corpus();
    kb.write("keep.md", "before\n");
    let run = kb.mkn(["report", "rodas", "--out", "keep.md"]);
    insta::assert_snapshot!(run.to_string(), @r"
    exit: 2
    --- stdout
    --- stderr
    error: `rodas` is not a known service area; did you mean `roads`?
    ");
    assert_eq!(fs::read_to_string(kb.path("keep.md")).unwrap(), "before\n");
    // An id cut short finds the areas it begins.
    let short = kb.mkn(["report", "roads-winte", "--out", "-"]);
    assert_eq!(short.code, 2);
    assert!(
        short
            .stderr
            .contains("did you mean one of `roads-winter-control`, `roads`?"),
        "{short}"
    );
}

#[test]
fn a_failing_run_leaves_no_partial_file() {
    let kb = corpus();
    let run = kb.mkn(["report", "roads", "--out", "missing/dir/roads.html"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(!kb.path("missing").exists());
    let leftovers: Vec<_> = fs::read_dir(kb.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_area_without_practices_still_gets_a_report() {
    let kb = corpus();
    let run = kb.mkn(["report", "solid-waste", "--out", "-"]);
    assert_eq!(run.code, 0, "{run}");
    at(
        &run.stdout,
        "## Practices\n\nNo practice in the corpus names this service area yet.",
    );
    at(
        &run.stdout,
        "No measure of this service area has reported values.",
    );
    at(&run.stdout, "No business function names this service area.");
}
