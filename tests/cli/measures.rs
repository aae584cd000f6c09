//! Reported measure values: the data files `mkn check` reads, `mkn import
//! measures`, `mkn measures`, `mkn measure`, and evidence against the data.

use crate::harness::{Kb, VALID_PRACTICE};

#[test]
fn bad_data_rows_are_reported_at_their_line_and_column() {
    let kb = Kb::new();
    kb.write(
        "data/measures/roads.csv",
        "municipality,measure,year,value,numerator,denominator\n\
         guelph,ROAD307,2016,1200.5,,\n\
         guelph,ROAD307,2017,1,234,,\n\
         guleph,ROAD307,2017,10,,\n\
         guelph,ROAD30,2017,10,,\n\
         guelph,ROAD307,1889,10,,\n\
         guelph,ROAD307,2015,12%,,\n\
         guelph,ROAD307,2999,10,,\n\
         hamilton,ROAD307,2016,50,100,4\n\
         hamilton,ROAD307,2017,25,100,4\n\
         toronto,ROAD307,2016,0,1,0\n\
         guelph,ROAD307,2016,1300,,\n",
    );
    kb.write("data/measures/empty.csv", "");
    kb.write(
        "data/measures/no-year.csv",
        "municipality,measure,value\nguelph,ROAD307,1\n",
    );
    insta::assert_snapshot!(kb.mkn(["check", "--format", "json"]).to_string());
    let human = kb.mkn(["check"]);
    assert_eq!(human.code, 1, "{human}");
    assert!(
        human.stdout.contains("first given here"),
        "a duplicate names both lines: {human}"
    );
}

#[test]
fn evidence_that_disagrees_with_reported_values_is_a_warning() {
    let kb = Kb::new();
    kb.write(
        "practices/roads-winter-control/guelph-brine.md",
        VALID_PRACTICE,
    );
    kb.write(
        "data/measures/winter.csv",
        "municipality,measure,year,value\n\
         guelph,winter-standard-met,2014,85\n\
         guelph,winter-standard-met,2017,92.5\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains(
            "warning[evidence/mismatch]: evidence[0]: the result says 97 for guelph in 2017, but data/measures/winter.csv:3 reports 92.5"
        ),
        "{run}"
    );
    assert!(
        !run.stdout.contains("the baseline says"),
        "85 agrees: {run}"
    );
    assert_eq!(kb.mkn(["check", "--deny-warnings"]).code, 1);
}

/// A corpus with reported values of ROAD307 for the fixture's municipalities.
fn with_values() -> Kb {
    let kb = Kb::new();
    kb.write(
        "data/measures/roads.csv",
        "municipality,measure,year,value,numerator,denominator\n\
         guelph,ROAD307,2016,3000,,\n\
         guelph,ROAD307,2017,2800,,\n\
         guelph,ROAD307,2018,2500,,\n\
         hamilton,ROAD307,2018,4067.28,,\n\
         toronto,ROAD307,2018,6323.59,,\n\
         greater-sudbury,ROAD307,2018,4404.71,,\n\
         waterloo-region,ROAD307,2018,4449.81,,\n",
    );
    kb
}

#[test]
fn import_maps_names_reports_bad_rows_and_writes_the_data_file() {
    let kb = Kb::new();
    kb.write(
        "in.csv",
        "City,Code,Fiscal year,Result,numerator,denominator\n\
         Sudbury (Greater),ROAD307,2017,4404.71,,\n\
         HAMILTON,ROAD307,2017,25,100,4\n\
         Waterloo,ROAD307,2017,1,,\n\
         Calgary,ROAD307,2017,1,,\n\
         Guelph,ROAD307,2017,,,\n\
         City of Guelph,ROAD307,2016,12%,,\n\
         Guelph,ROAD307,2017,50,100,4\n\
         Guelph,ROAD307,2017,51,,\n\
         Regional Municipality of Waterloo,ROAD307,2016,7,,\n\
         Toronto,ROAD999,2017,7,,\n",
    );
    let run = kb.mkn([
        "import",
        "measures",
        "in.csv",
        "--name",
        "roads",
        "--municipality-column",
        "City",
        "--measure-column",
        "Code",
        "--year-column",
        "Fiscal year",
        "--value-column",
        "Result",
    ]);
    insta::assert_snapshot!(run.to_string());
    assert_eq!(
        std::fs::read_to_string(kb.path("data/measures/roads.csv")).unwrap(),
        "municipality,measure,year,value,numerator,denominator\n\
         greater-sudbury,ROAD307,2017,4404.71,,\n\
         guelph,ROAD307,2017,50,,\n\
         waterloo-region,ROAD307,2016,7,,\n\
         waterloo-region,ROAD307,2017,1,,\n"
    );
    assert_eq!(kb.mkn(["check"]).code, 0, "the written file is clean");
    let again = kb.mkn(["import", "measures", "in.csv", "--name", "roads"]);
    assert_eq!(again.code, 2, "{again}");
    assert!(again.stderr.contains("pass --replace"), "{again}");
}

#[test]
fn a_preference_or_a_mapping_file_settles_shared_names() {
    let kb = Kb::new();
    let registry = std::fs::read_to_string(kb.path("schema/municipalities.csv")).unwrap();
    kb.write(
        "schema/municipalities.csv",
        registry + "waterloo,Waterloo,city,lower,waterloo-region,southern,121436,3530016\n",
    );
    kb.write(
        "in.csv",
        "municipality,measure,year,value\nWaterloo,ROAD307,2017,1\nHamilton,ROAD307,2017,2\nCalgary,ROAD307,2017,3\n",
    );
    let upper = kb.mkn(["import", "measures", "in.csv", "--prefer", "upper"]);
    assert_eq!(upper.code, 0, "{upper}");
    assert!(
        upper
            .stdout
            .contains("Hamilton → hamilton, Waterloo → waterloo-region"),
        "{upper}"
    );
    let lower = kb.mkn([
        "import",
        "measures",
        "in.csv",
        "--prefer",
        "lower",
        "--replace",
    ]);
    assert!(lower.stdout.contains("Waterloo → waterloo"), "{lower}");
    assert!(
        lower
            .stdout
            .contains("Hamilton (1 rows): ambiguous: hamilton, hamilton-township"),
        "a single tier is upper and lower at once: {lower}"
    );
    let neither = kb.mkn(["import", "measures", "in.csv", "--replace"]);
    assert!(
        neither
            .stdout
            .contains("Waterloo (1 rows): ambiguous: waterloo, waterloo-region"),
        "{neither}"
    );
    kb.write(
        "map.csv",
        "name,id\nWaterloo,waterloo-region\nHamilton,hamilton-township\nCalgary,\n",
    );
    let mapped = kb.mkn([
        "import",
        "measures",
        "in.csv",
        "--map",
        "map.csv",
        "--replace",
    ]);
    assert!(
        mapped
            .stdout
            .contains("Hamilton → hamilton-township, Waterloo → waterloo-region"),
        "{mapped}"
    );
    assert!(
        mapped
            .stdout
            .contains("Calgary (1 rows): left out by the mapping file"),
        "{mapped}"
    );
    kb.write("bad-map.csv", "name,id\nWaterloo,waterlo\n");
    let bad = kb.mkn([
        "import",
        "measures",
        "in.csv",
        "--map",
        "bad-map.csv",
        "--replace",
    ]);
    assert_eq!(bad.code, 2, "{bad}");
    assert!(
        bad.stderr
            .contains("bad-map.csv:2: `waterlo` is not a known municipality"),
        "{bad}"
    );
    let missing = kb.mkn([
        "import",
        "measures",
        "in.csv",
        "--year-column",
        "fiscal_year",
        "--replace",
    ]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains(
            "in.csv has no column `fiscal_year` (its columns: municipality, measure, year, value)"
        ),
        "{missing}"
    );
}

#[test]
fn measures_lists_searches_and_explains_the_catalogue() {
    let kb = with_values();
    let list = kb.mkn(["measures", "--area", "roads", "--format", "csv"]);
    assert_eq!(
        list.stdout,
        "id,name,area,unit,better,reporting\n\
         ROAD307,Operating Cost for Paved Roads per Paved Lane Km (Hard Top),roads,,lower,5\n\
         ROAD800,Number of paved lane km,roads,,,0\n"
    );
    let search = kb.mkn(["measures", "winter", "standard", "--format", "ndjson"]);
    assert_eq!(search.stdout.lines().count(), 1, "{search}");
    insta::assert_snapshot!(kb.mkn(["measures", "show", "ROAD307"]).to_string());
    let unknown = kb.mkn(["measures", "show", "ROAD37"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `ROAD307`?"),
        "{unknown}"
    );
}

#[test]
fn measure_shows_the_distribution_ranking_and_peers() {
    let kb = with_values();
    insta::assert_snapshot!(kb.mkn(["measure", "ROAD307"]).to_string());
    insta::assert_snapshot!(
        kb.mkn(["measure", "ROAD307", "--municipality", "hamilton"])
            .to_string()
    );
    let csv = kb.mkn(["measure", "ROAD307", "--tier", "single", "--format", "csv"]);
    assert_eq!(
        csv.stdout,
        "rank,municipality,name,tier,population,value\n\
         1,guelph,Guelph,single,143740,2500\n\
         2,hamilton,Hamilton,single,569353,4067.28\n\
         3,greater-sudbury,Greater Sudbury,single,166004,4404.71\n\
         4,toronto,Toronto,single,2794356,6323.59\n"
    );
    let json: serde_json::Value = serde_json::from_str(
        &kb.mkn([
            "measure",
            "ROAD307",
            "--municipality",
            "guelph",
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(
        json["placement"]["trend"],
        serde_json::json!([[2016, 3000.0], [2017, 2800.0], [2018, 2500.0]])
    );
    assert_eq!(json["distribution"]["count"], 4);
    let none = kb.mkn(["measure", "ROAD307", "--year", "2001"]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr
            .contains("no reported values of ROAD307 in 2001"),
        "{none}"
    );
}

#[test]
fn evidence_strength_is_computed_from_improvements_and_reported_values() {
    let kb = Kb::new();
    let path = "practices/roads-winter-control/guelph-brine.md";
    kb.write(path, VALID_PRACTICE);
    let strength = |kb: &Kb| {
        let run = kb.mkn(["show", "guelph-brine", "--format", "json"]);
        let json: serde_json::Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run}"));
        json["evidence_strength"].as_str().unwrap().to_string()
    };
    assert_eq!(strength(&kb), "limited", "one improvement, only asserted");
    kb.write(
        "data/measures/winter.csv",
        "municipality,measure,year,value\n\
         guelph,winter-standard-met,2014,85\n\
         guelph,winter-standard-met,2017,97\n",
    );
    assert_eq!(strength(&kb), "moderate", "one improvement, confirmed");
    kb.write(
        path,
        VALID_PRACTICE.replace(
            "    source: 1\n",
            "    source: 1\n  - measure: ROAD307\n    baseline: {year: 2014, value: 3000}\n    result: {year: 2017, value: 2500}\n",
        ),
    );
    assert_eq!(strength(&kb), "strong", "two improvements, one confirmed");
    let table = kb.mkn(["show", "guelph-brine"]);
    assert!(
        table.stdout.contains("kind: best (evidence: strong)"),
        "{table}"
    );
}
