//! `mkn tech`: the technology directory's listings, forgiving product names,
//! bad input, the cache, and changes from git history.

use std::fs;

use crate::harness::Kb;

const GUELPH: &str = "\
---
municipality: guelph
updated: \"2024-05-01\"
technologies:
  - product: Cityworks
    vendor: Trimble
    category: software
    function: asset-management
    version: \"15.8\"
    since: 2016
    status: in-use
    rating: 4
    review: Works well for linear assets, although reporting needs add-ons that cost extra every year.
    contact: {name: Ada Lovelace, role: Asset manager, email: ada@guelph.example}
  - {product: ArcGIS Online, vendor: Esri, category: service, function: gis, status: in-use, rating: 5}
---
";

const HAMILTON: &str = "\
---
municipality: hamilton
updated: \"2024-05-01\"
technologies:
  - {product: CityWorks, vendor: Trimble, category: software, function: asset-management, status: in-use, rating: 2, since: 2019}
  - {product: ArcGIS Online, vendor: Esri, category: service, function: gis, status: retired}
  - {product: Samsara, vendor: Samsara, category: service, function: fleet-management, status: in-use}
---
";

const SUDBURY: &str = "\
---
municipality: greater-sudbury
updated: \"2024-05-01\"
technologies:
  - {product: Maximo, vendor: IBM, category: software, function: asset-management, status: planned}
  - {product: ArcGIS Online, vendor: Esri, category: service, function: gis, status: in-use, rating: 3}
---
";

const PRACTICE: &str = "\
---
id: guelph-linear-assets
title: Linear asset work orders
kind: beneficial
areas: [roads-winter-control]
municipalities: [guelph]
year: 2016
status: active
summary: Work orders for linear assets.
technologies:
  - {product: Cityworks, vendor: Trimble, function: asset-management}
sources:
  - {title: \"Council report\", url: \"https://example.org/report.pdf\"}
---
## Challenge
Text.
## Approach
Text.
## Results
Text.
## Lessons learned
Text.
";

fn directory() -> Kb {
    let kb = Kb::new();
    kb.write("infobase/guelph.md", GUELPH);
    kb.write("infobase/hamilton.md", HAMILTON);
    kb.write("infobase/greater-sudbury.md", SUDBURY);
    kb.write(
        "practices/roads-winter-control/guelph-linear-assets.md",
        PRACTICE,
    );
    kb
}

#[test]
fn the_fixture_directory_checks_clean() {
    let kb = directory();
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
}

#[test]
fn products_are_sorted_by_use_with_tiers_regions_and_ratings() {
    let kb = directory();
    let run = kb.mkn(["tech", "products", "--format", "csv"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        "product,vendor,category,functions,municipalities,by_tier,by_region,planned,retired,mean_rating,ratings,practices\n\
         ArcGIS Online,Esri,service,gis,2,single=2,northern=1;southern=1,0,1,4.00,2,0\n\
         Cityworks,Trimble,software,asset-management,2,single=2,southern=2,0,0,3.00,2,1\n\
         Samsara,Samsara,service,fleet-management,1,single=1,southern=1,0,0,,0,0\n\
         Maximo,IBM,software,asset-management,0,,,1,0,,0,0\n"
    );
    let run = kb.mkn(["tech", "products", "--function", "Asset management"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("Cityworks"), "{run}");
    assert!(!run.stdout.contains("ArcGIS"), "{run}");
    assert!(run.stdout.contains("3.0 (2)"), "{run}");
    let run = kb.mkn([
        "tech",
        "products",
        "--category",
        "service",
        "--format",
        "ndjson",
    ]);
    assert_eq!(run.stdout.lines().count(), 2, "{run}");
    assert!(run.stdout.starts_with("{\"product\":\"ArcGIS Online\",\"vendor\":\"Esri\",\"category\":\"service\",\"functions\":[\"gis\"],\"municipalities\":2,\"by_tier\":{\"single\":2},"), "{run}");
}

#[test]
fn products_count_the_technology_entries_of_practices_as_they_change() {
    let kb = directory();
    let cityworks = |kb: &Kb| -> String {
        let run = kb.mkn(["tech", "products", "--format", "csv"]);
        assert_eq!(run.code, 0, "{run}");
        let row = run
            .stdout
            .lines()
            .find(|l| l.starts_with("Cityworks,"))
            .unwrap_or_else(|| panic!("no Cityworks row: {run}"))
            .to_string();
        row.rsplit(',').next().unwrap().to_string()
    };
    assert_eq!(cityworks(&kb), "1");
    // Each entry counts, however the name is written, without a commit.
    kb.write(
        "practices/roads-winter-control/hamilton-work-orders.md",
        PRACTICE
            .replace("guelph-linear-assets", "hamilton-work-orders")
            .replace(
                "  - {product: Cityworks, vendor: Trimble, function: asset-management}\n",
                "  - {product: CITY WORKS}\n  - {product: Cityworks, function: gis}\n  - {product: Samsara}\n",
            ),
    );
    assert_eq!(cityworks(&kb), "3");
    let run = kb.mkn(["tech", "products", "--format", "csv"]);
    assert!(
        run.stdout
            .contains("Samsara,Samsara,service,fleet-management,1,single=1,southern=1,0,0,,0,1\n"),
        "{run}"
    );
    // A deleted practice no longer counts; the profiles never do.
    std::fs::remove_file(kb.path("practices/roads-winter-control/guelph-linear-assets.md"))
        .unwrap();
    assert_eq!(cityworks(&kb), "2");
    kb.write(
        "practices/roads-winter-control/hamilton-work-orders.md",
        PRACTICE.replace("product: Cityworks", "product: Maximo"),
    );
    assert_eq!(cityworks(&kb), "0");
}

#[test]
fn who_uses_forgives_case_spacing_and_a_typo() {
    let kb = directory();
    let run = kb.mkn(["tech", "who-uses", "city works", "--format", "csv"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        "municipality,name,tier,region,population,function,product,vendor,category,version,since,status,rating,review,contact\n\
         guelph,Guelph,single,southern,143740,asset-management,Cityworks,Trimble,software,15.8,2016,in-use,4,\"Works well for linear assets, although reporting needs add-ons that cost extra every year.\",\"Ada Lovelace, Asset manager, <ada@guelph.example>\"\n\
         hamilton,Hamilton,single,southern,569353,asset-management,CityWorks,Trimble,software,,2019,in-use,2,,\n"
    );
    assert_eq!(run.stderr, "");
    let run = kb.mkn(["tech", "who-uses", "Citywroks"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stderr,
        "no product `Citywroks`; showing `Cityworks`, the closest\n"
    );
    assert!(run.stdout.contains("Ada Lovelace"), "{run}");
    assert!(run.stdout.contains("add-ons that cost"), "{run}");
    assert!(
        run.stdout
            .contains("Cityworks: 2 entries in 2 municipalities"),
        "{run}"
    );
    let run = kb.mkn(["tech", "who-uses", "arcgis"]);
    assert_eq!(
        run.to_string(),
        "exit: 2\n--- stdout\n--- stderr\nerror: no product `arcgis` in the technology directory; did you mean `ArcGIS Online`?\n"
    );
    let run = kb.mkn(["tech", "who-uses", "Oracle"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`mkn tech products` lists them all"),
        "{run}"
    );
}

#[test]
fn profile_and_compare_show_stacks_by_function() {
    let kb = directory();
    let run = kb.mkn(["tech", "profile", "3553005", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let products: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["product"].as_str().unwrap())
        .collect();
    assert_eq!(products, ["Maximo", "ArcGIS Online"]);
    assert_eq!(rows[0]["municipality"], "greater-sudbury");
    let run = kb.mkn(["tech", "profile", "Toronto"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("no technology profile"), "{run}");
    let run = kb.mkn(["tech", "profile", "guleph"]);
    assert_eq!(
        run.stderr,
        "error: `guleph` is not a known municipality; did you mean `guelph`?\n"
    );
    assert_eq!(run.code, 2);

    let run = kb.mkn(["tech", "compare", "guelph", "hamilton", "--format", "csv"]);
    assert_eq!(
        run.stdout,
        "function,municipality,product,vendor,version,status,rating,shared\n\
         asset-management,guelph,Cityworks,Trimble,15.8,in-use,4,true\n\
         asset-management,hamilton,CityWorks,Trimble,,in-use,2,true\n\
         fleet-management,hamilton,Samsara,Samsara,,in-use,,false\n\
         gis,guelph,ArcGIS Online,Esri,,in-use,5,true\n\
         gis,hamilton,ArcGIS Online,Esri,,retired,,true\n"
    );
    let run = kb.mkn(["tech", "compare", "guelph", "hamilton", "greater-sudbury"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("= ArcGIS Online 5/5"), "{run}");
    assert!(run.stdout.contains("Maximo (planned)"), "{run}");
    let run = kb.mkn(["tech", "compare", "guelph", "3523008"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: compare needs two different municipalities\n"
    );
}

#[test]
fn peers_are_ordered_by_likeness() {
    let kb = directory();
    let run = kb.mkn([
        "tech",
        "peers",
        "toronto",
        "--function",
        "gis",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        rows[0],
        "likeness,same_tier,same_region,same_band,band,municipality,name,tier,region,population,function,product,vendor,category,version,since,status,rating,review,contact"
    );
    // Hamilton: single, southern, 500,000 and over, like Toronto; then Guelph
    let run = kb.mkn([
        "tech",
        "peers",
        "toronto",
        "--function",
        "gis",
        "--format",
        "ndjson",
    ]);
    let rows: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Hamilton: single, southern, 500,000 and over, like Toronto; then Guelph
    // (single, southern), then Greater Sudbury (single, northern).
    let names: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["municipality"].as_str().unwrap(),
                r["likeness"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [("hamilton", 3), ("guelph", 2), ("greater-sudbury", 1)]
    );
    assert_eq!(rows[0]["band"], "500,000 and over");
    assert_eq!(rows[0]["status"], "retired");
    let run = kb.mkn([
        "tech",
        "peers",
        "guelph",
        "--function",
        "gis",
        "--limit",
        "1",
    ]);
    // Greater Sudbury shares Guelph's tier and population band; Hamilton
    // only its tier and region, and ranks after it.
    assert!(
        run.stdout.starts_with(
            "Guelph (guelph): single, southern, population 143740, 100,000 to 499,999; GIS: uses ArcGIS Online\n"
        ),
        "{run}"
    );
    assert!(run.stdout.contains("Greater Sudbury"), "{run}");
    assert!(run.stdout.contains("tier, size"), "{run}");
    assert!(!run.stdout.contains("Hamilton"), "{run}");
    let run = kb.mkn(["tech", "peers", "guelph", "--function", "gsi"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `gsi` is not a known business function; did you mean `gis`?\n"
    );
}

#[test]
fn the_directory_follows_edits_without_a_commit() {
    let kb = directory();
    let count = |kb: &Kb| {
        kb.mkn(["tech", "who-uses", "cityworks", "--format", "ndjson"])
            .stdout
            .lines()
            .count()
    };
    assert_eq!(count(&kb), 2);
    kb.write(
        "infobase/greater-sudbury.md",
        SUDBURY.replace("Maximo, vendor: IBM", "Cityworks, vendor: Trimble"),
    );
    assert_eq!(count(&kb), 3);
    std::fs::remove_file(kb.path("infobase/hamilton.md")).unwrap();
    assert_eq!(count(&kb), 2);
    // A damaged cache is rebuilt.
    std::fs::write(kb.path(".mkn/infobase.json"), "{not json").unwrap();
    assert_eq!(count(&kb), 2);
}

#[test]
fn bad_values_in_a_profile_are_left_out_not_the_profile() {
    let kb = directory();
    kb.write(
        "infobase/toronto.md",
        "---\nmunicipality: toronto\nupdated: \"2024-05-01\"\ntechnologies:\n  - {product: Cityworks, vendor: Trimble, category: software, function: asset-management, status: in-use, rating: good}\n  - {vendor: Nobody}\n---\n",
    );
    let run = kb.mkn(["tech", "products", "--format", "csv"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains(
            "Cityworks,Trimble,software,asset-management,3,single=3,southern=3,0,0,3.00,2,1"
        ),
        "{run}"
    );
    assert_eq!(kb.mkn(["check"]).code, 1);
}

#[test]
fn changes_come_from_git_history() {
    let kb = Kb::new();
    kb.write(
        "infobase/guelph.md",
        "---\nmunicipality: guelph\nupdated: \"2024-01-01\"\ntechnologies:\n  - {product: Cityworks, vendor: Trimble, category: software, function: asset-management, version: \"15.1\", status: in-use, rating: 3}\n---\n",
    );
    kb.write("infobase/hamilton.md", HAMILTON);
    kb.commit("Guelph and Hamilton profiles");
    kb.write(
        "infobase/guelph.md",
        "---\nmunicipality: guelph\nupdated: \"2024-02-01\"\ntechnologies:\n  - {product: Cityworks, vendor: Trimble, category: software, function: asset-management, version: \"15.8\", status: in-use, rating: 4}\n  - {product: ArcGIS Online, vendor: Esri, category: service, function: gis, status: planned}\n---\n",
    );
    kb.write("README.md", "not a profile\n");
    kb.commit("Guelph upgrades Cityworks");
    kb.write(
        "infobase/guelph.md",
        "---\nmunicipality: guelph\nupdated: \"2024-03-01\"\ntechnologies:\n  - {product: Cityworks, vendor: Trimble, category: software, function: asset-management, version: \"15.8\", status: retired, rating: 4}\n  - {product: ArcGIS Online, vendor: Esri, category: service, function: gis, status: in-use}\n---\n",
    );
    std::fs::remove_file(kb.path("infobase/hamilton.md")).unwrap();
    kb.commit("Guelph retires Cityworks; Hamilton's profile withdrawn");
    let run = kb.mkn(["tech", "changes", "--format", "csv"]);
    assert_eq!(run.code, 0, "{run}");
    let rows: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            // date and commit id vary with the repository; keep the rest
            let fields: Vec<&str> = l.splitn(3, ',').collect();
            fields[2].to_string()
        })
        .collect();
    assert_eq!(
        rows,
        [
            "municipality,kind,product,function,from,to,message",
            "guelph,adopted,ArcGIS Online,gis,planned,in-use,Guelph retires Cityworks; Hamilton's profile withdrawn",
            "guelph,retired,Cityworks,asset-management,in-use,retired,Guelph retires Cityworks; Hamilton's profile withdrawn",
            "hamilton,removed,ArcGIS Online,gis,retired,,Guelph retires Cityworks; Hamilton's profile withdrawn",
            "hamilton,removed,CityWorks,asset-management,in-use,,Guelph retires Cityworks; Hamilton's profile withdrawn",
            "hamilton,removed,Samsara,fleet-management,in-use,,Guelph retires Cityworks; Hamilton's profile withdrawn",
            "guelph,planned,ArcGIS Online,gis,,planned,Guelph upgrades Cityworks",
            "guelph,rating,Cityworks,asset-management,3,4,Guelph upgrades Cityworks",
            "guelph,version,Cityworks,asset-management,15.1,15.8,Guelph upgrades Cityworks",
            "guelph,adopted,Cityworks,asset-management,,in-use,Guelph and Hamilton profiles",
            "hamilton,retired,ArcGIS Online,gis,,retired,Guelph and Hamilton profiles",
            "hamilton,adopted,CityWorks,asset-management,,in-use,Guelph and Hamilton profiles",
            "hamilton,adopted,Samsara,fleet-management,,in-use,Guelph and Hamilton profiles",
        ]
    );
    // The harness commits at 2023-11-14 (UTC).
    assert!(
        run.stdout
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("2023-11-14,"),
        "{run}"
    );
    let run = kb.mkn(["tech", "changes", "--since", "2024"]);
    assert_eq!(
        run.to_string(),
        "exit: 0\n--- stdout\nno changes\n--- stderr\n"
    );
    let run = kb.mkn([
        "tech", "changes", "--since", "2023-11", "--format", "ndjson",
    ]);
    assert_eq!(run.stdout.lines().count(), 12, "{run}");
    let run = kb.mkn(["tech", "changes", "--since", "last week"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --since: `last week` is not a date; write YYYY-MM-DD, YYYY-MM or YYYY\n"
    );
}

#[test]
fn changes_outside_git_is_an_error_and_an_empty_repository_has_none() {
    let kb = directory();
    let run = kb.mkn(["tech", "changes"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.starts_with("error: git: "), "{run}");
    git2::Repository::init(kb.root()).unwrap();
    let run = kb.mkn(["tech", "changes"]);
    assert_eq!(
        run.to_string(),
        "exit: 0\n--- stdout\nno changes\n--- stderr\n"
    );
}

#[test]
fn search_filters_on_a_product() {
    let kb = directory();
    let run = kb.mkn(["list", "tech:cityworks", "--format", "csv"]);
    assert_eq!(run.code, 0, "{run}");
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["guelph", "hamilton", "guelph-linear-assets"]);
}

#[test]
fn show_lists_who_else_uses_a_practice_technology() {
    let kb = directory();
    let run = kb.mkn(["show", "guelph-linear-assets"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("Who else uses these\nCityworks: Hamilton (in-use, 2/5)\n"),
        "{run}"
    );
    let run = kb.mkn(["show", "guelph-linear-assets", "--format", "json"]);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        shown["technology_users"][0]["users"][0]["municipality"],
        "hamilton"
    );
}

#[test]
fn changes_are_kept_per_head_and_read_again_after_a_commit() {
    let kb = Kb::new();
    kb.write("infobase/hamilton.md", HAMILTON);
    kb.commit("Hamilton's profile");
    let first = kb.mkn(["tech", "changes", "--format", "csv"]);
    assert_eq!(first.code, 0, "{first}");
    assert!(kb.path(".mkn/changes.json").is_file());
    assert_eq!(
        kb.mkn(["tech", "changes", "--format", "csv"]).stdout,
        first.stdout
    );

    kb.write(
        "infobase/hamilton.md",
        HAMILTON.replace("in-use", "retiring"),
    );
    kb.commit("Hamilton retires its stack");
    let run = kb.mkn(["tech", "changes", "--format", "csv"]);
    assert!(
        run.stdout.lines().nth(1).unwrap().contains("retiring"),
        "the new commit's changes come first: {run}"
    );
    fs::write(kb.path(".mkn/changes.json"), "garbage").unwrap();
    assert_eq!(
        kb.mkn(["tech", "changes", "--format", "csv"]).stdout,
        run.stdout
    );
}
