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
    assert_eq!(header, mkn::export::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        ids,
        ["hamilton-pothole-blitz", "toronto-paving-cost-benchmark"]
    );
    let toronto = &rows[1];
    assert_eq!(&toronto[6], "single");
    assert_eq!(&toronto[7], "southern");
    assert_eq!(&toronto[8], "2794356");
    assert_eq!(&toronto[14], "ROAD307 2009:12000 -> 2012:9000 (-25.0%)");
    assert_eq!(
        &toronto[17],
        "practices/roads/toronto-paving-cost-benchmark.md"
    );
    assert_eq!(toronto[18].len(), 40, "the commit id: {:?}", &toronto[18]);
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
