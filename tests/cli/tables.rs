//! `mkn export --format sqlite` and `--format parquet`: normalised tables
//! that join, a full-text index that finds a planted word, row counts that
//! agree with the JSON export, the file served by the real Datasette, and
//! the Parquet folder read by DuckDB and by Spark.
//!
//! The Datasette, DuckDB and Spark tests need a Python with them installed, named by
//! `MKN_PYTHON` (`.ci/run` creates `target/py` and sets it). Without it the
//! test says `skipped`; with it set, a failure to run is a failure.

use std::process::Command;

use rusqlite::Connection;

use crate::harness::{Kb, VALID_PRACTICE, repo_root};

const INSTALL: &str =
    "python3 -m venv target/py && target/py/bin/pip install datasette duckdb pyspark";

/// A practice whose body carries a word no other document has, with an
/// unknown municipality and a measure the catalogue lacks.
const PLANTED: &str = "\
---
id: toronto-zamboni-depot
title: Shared depot
kind: beneficial
areas: [roads, solid-waste]
municipalities: [toronto, atlantis]
year: 2019
status: pilot
summary: Toronto shares one depot between winter control and waste collection.
rating_note: 3.5
evidence:
  - measure: ROAD307
    municipality: toronto
    baseline: {year: 2017, value: 120.0}
    result: {year: 2019, value: 90.0}
  - measure: NOT-A-MEASURE
    baseline: {year: 2017, value: 1.0}
    result: {year: 2019, value: 2.0}
technologies:
  - {product: Cityworks, vendor: Trimble, function: asset-management}
sources:
  - {title: \"Staff report\", url: \"https://example.org/depot.pdf\", publisher: City of Toronto}
  - {title: \"News\", url: \"https://example.org/news\"}
---
## Challenge
Two yards, one for salt and one for carts.
## Approach
A single zambonification yard.
## Results
Text.
## Lessons learned
Text.
";

const PROFILE: &str = "\
---
municipality: guelph
updated: \"2024-05-01\"
technologies:
  - {product: Cityworks, vendor: Trimble, category: software, function: asset-management, since: 2016, status: in-use, rating: 4}
---
";

const VALUES: &str = "municipality,measure,year,value,numerator,denominator\n\
guelph,ROAD307,2016,1200.5,,\n\
toronto,ROAD307,2017,120,,\n\
toronto,ROAD307,2019,90,,\n";

/// The base fixture with two practices, a profile and reported values.
fn corpus() -> Kb {
    let kb = Kb::new();
    kb.write("practices/guelph-brine.md", VALID_PRACTICE)
        .write("practices/toronto-zamboni-depot.md", PLANTED)
        .write("infobase/guelph.md", PROFILE)
        .write("data/measures/roads.csv", VALUES)
        .commit("fixture");
    kb
}

/// Exports to `db.sqlite` in a fresh folder, with the metadata beside it.
fn export(kb: &Kb, query: &[&str]) -> (tempfile::TempDir, Connection) {
    let out = tempfile::tempdir().unwrap();
    let db = out.path().join("db.sqlite");
    let meta = out.path().join("metadata.json");
    let mut args = vec![
        "export",
        "--format",
        "sqlite",
        "--out",
        db.to_str().unwrap(),
        "--metadata",
        meta.to_str().unwrap(),
    ];
    args.extend(query);
    let run = kb.mkn(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let conn = Connection::open(&db).unwrap();
    (out, conn)
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The JSON export of the same query.
fn json_rows(kb: &Kb, query: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["export", "--format", "json", "--out", "-"];
    args.extend(query);
    let run = kb.mkn(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn row_counts_match_the_json_export_and_every_key_resolves() {
    let kb = corpus();
    for query in [&[][..], &["kind:best"][..]] {
        let (_dir, conn) = export(&kb, query);
        let rows = json_rows(&kb, query);
        // Practices carry their lists at the top; a profile names its one
        // municipality in its front matter.
        let len = |key: &str| -> i64 {
            rows.iter()
                .map(|r| match r[key].as_array() {
                    Some(a) => a.len() as i64,
                    None if key == "municipalities" => {
                        i64::from(r["front_matter"]["municipality"].is_string())
                    }
                    None => 0,
                })
                .sum()
        };
        assert_eq!(
            count(&conn, "SELECT count(*) FROM documents"),
            rows.len() as i64
        );
        for (table, key) in [
            ("document_areas", "areas"),
            ("document_municipalities", "municipalities"),
            ("evidence", "evidence"),
            ("sources", "sources"),
            ("document_technologies", "technologies"),
        ] {
            let n = count(&conn, &format!("SELECT count(*) FROM {table}"));
            assert_eq!(n, len(key), "{table} for {query:?}");
        }
        // The reference tables are whole whatever the query.
        assert_eq!(count(&conn, "SELECT count(*) FROM municipalities"), 7);
        assert_eq!(count(&conn, "SELECT count(*) FROM measure_values"), 3);
        assert_eq!(count(&conn, "SELECT count(*) FROM tech_entries"), 1);
        let dangling: Vec<String> = conn
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(dangling.is_empty(), "{dangling:?}");
    }
}

#[test]
fn unknown_references_keep_their_text_and_leave_the_key_empty() {
    let kb = corpus();
    let (_dir, conn) = export(&kb, &[]);
    let row: (String, Option<String>) = conn
        .query_row(
            "SELECT municipality, municipality_id FROM document_municipalities \
             WHERE document_id = 'toronto-zamboni-depot' AND position = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(row, ("atlantis".to_string(), None));
    let joined: (String, f64, f64, i64) = conn
        .query_row(
            "SELECT m.name, e.change, v.value, e.improved FROM evidence e \
             JOIN measures m ON m.id = e.measure_id \
             JOIN measure_values v ON v.measure = e.measure_id \
               AND v.municipality = e.municipality AND v.year = e.result_year \
             WHERE e.document_id = 'toronto-zamboni-depot'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(joined.1, -30.0);
    assert_eq!(joined.2, 90.0);
    assert_eq!(joined.3, 1, "ROAD307 is better lower: {joined:?}");
    let unknown: Option<String> = conn
        .query_row(
            "SELECT measure_id FROM evidence WHERE measure = 'NOT-A-MEASURE'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unknown, None);
}

#[test]
fn front_matter_is_kept_whole_and_its_scalars_are_typed_columns() {
    let kb = corpus();
    let (_dir, conn) = export(&kb, &[]);
    let (note, kind, front): (f64, String, String) = conn
        .query_row(
            "SELECT rating_note, typeof(rating_note), front_matter FROM documents \
             WHERE id = 'toronto-zamboni-depot'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((note, kind.as_str()), (3.5, "real"));
    let front: serde_json::Value = serde_json::from_str(&front).unwrap();
    assert_eq!(front["sources"][0]["publisher"], "City of Toronto");
}

#[test]
fn full_text_search_finds_a_word_planted_in_one_body() {
    let kb = corpus();
    let (_dir, conn) = export(&kb, &[]);
    let ids: Vec<String> = conn
        .prepare(
            "SELECT id FROM documents WHERE rowid IN \
             (SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'zambonification')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, ["toronto-zamboni-depot"]);
    let body: String = conn
        .query_row(
            "SELECT body FROM documents WHERE id = 'guelph-brine'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!body.contains("##"), "plain text, not markdown: {body}");
}

#[test]
fn a_database_cannot_go_to_standard_output_and_metadata_needs_sqlite() {
    let kb = corpus();
    let run = kb.mkn(["export", "--format", "sqlite", "--out", "-"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("give --out a file name"),
        "{}",
        run.stderr
    );
    let run = kb.mkn([
        "export",
        "--format",
        "json",
        "--out",
        "-",
        "--metadata",
        "m.json",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--metadata goes with --format sqlite"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_failed_export_leaves_nothing_behind() {
    let kb = corpus();
    // Two documents with one id: the second cannot be inserted.
    kb.write(
        "practices/copy.md",
        VALID_PRACTICE.replace("title: Brine pre-wetting", "title: Copy"),
    )
    .commit("duplicate");
    let out = tempfile::tempdir().unwrap();
    let db = out.path().join("db.sqlite");
    let run = kb.mkn([
        "export",
        "--format",
        "sqlite",
        "--out",
        db.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "practices/guelph-brine.md:2:1: `guelph-brine` is also the id of practices/copy.md"
        ),
        "{}",
        run.stderr
    );
    let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The Python named by `MKN_PYTHON`, when set; else the test is skipped.
fn python() -> Option<String> {
    match std::env::var("MKN_PYTHON") {
        Ok(python) => Some(python),
        Err(_) => {
            eprintln!("skipped: the Datasette test (set MKN_PYTHON after `{INSTALL}`)");
            None
        }
    }
}

#[test]
fn datasette_serves_the_export_with_search_and_facets() {
    let Some(python) = python() else { return };
    let kb = corpus();
    let (dir, _conn) = export(&kb, &[]);
    let run = Command::new(&python)
        .arg(repo_root().join("tests/python/datasette_probe.py"))
        .arg(dir.path().join("db.sqlite"))
        .arg(dir.path().join("metadata.json"))
        .args(["zambonification", "status"])
        .output()
        .unwrap_or_else(|e| panic!("MKN_PYTHON={python}: {e}; `{INSTALL}`"));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let got: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(got["search"], serde_json::json!(["toronto-zamboni-depot"]));
    // The facet counts are those of the JSON export.
    let mut expected = serde_json::Map::new();
    // (Profiles have no status: Datasette's facet leaves empty values out.)
    for row in json_rows(&kb, &[]) {
        let Some(status) = row["status"].as_str().map(str::to_string) else {
            continue;
        };
        let n = expected.get(&status).and_then(|n| n.as_i64()).unwrap_or(0);
        expected.insert(status, (n + 1).into());
    }
    assert_eq!(got["facet"], serde_json::Value::Object(expected));
    assert_eq!(got["title"], "Test corpus");
}

#[test]
fn the_readme_shows_the_commands_these_tests_run() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let section = readme
        .split("## Analyse in SQL")
        .nth(1)
        .expect("README has an Analyse in SQL section");
    for command in [
        "mkn export --format sqlite --out mkn.db --metadata metadata.json",
        "datasette serve mkn.db -m metadata.json",
        "mkn.db/documents.json?_search=",
        "mkn export --format parquet --out tables",
        "JOIN 'tables/measure_values.parquet' v ON v.measure = e.measure_id AND v.municipality = e.municipality AND v.year = e.result_year",
    ] {
        assert!(section.contains(command), "README lacks `{command}`");
    }
    // The probes run the same join.
    let probe = std::fs::read_to_string(repo_root().join("tests/python/duckdb_probe.py")).unwrap();
    assert!(probe.contains(
        "ON v.measure = e.measure_id AND v.municipality = e.municipality AND v.year = e.result_year"
    ));
}

#[test]
fn duckdb_reads_every_parquet_table_with_the_rows_and_types_of_the_database() {
    let Some(python) = python() else { return };
    let kb = corpus();
    let (_dir, conn) = export(&kb, &[]);
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("tables");
    let run = kb.mkn([
        "export",
        "--format",
        "parquet",
        "--out",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let probe = Command::new(&python)
        .arg(repo_root().join("tests/python/duckdb_probe.py"))
        .arg(&folder)
        .output()
        .unwrap_or_else(|e| panic!("MKN_PYTHON={python}: {e}; `{INSTALL}`"));
    assert!(
        probe.status.success(),
        "{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&probe.stdout).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'documents_fts%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(tables.len(), 11, "{tables:?}");
    for table in &tables {
        let n = count(&conn, &format!("SELECT count(*) FROM {table}"));
        assert_eq!(got["counts"][table], n, "{table}");
    }
    assert_eq!(got["types"]["baseline_year"], "BIGINT");
    assert_eq!(got["types"]["change"], "DOUBLE");
    assert_eq!(got["types"]["measure"], "VARCHAR");
    // Toronto's ROAD307 went from 120 to 90; it reported 90 for 2019.
    assert_eq!(
        got["joined"],
        serde_json::json!([["toronto-zamboni-depot", "ROAD307", -30.0, 90.0]])
    );
}

#[test]
fn parquet_needs_a_folder_of_its_own() {
    let kb = corpus();
    let run = kb.mkn(["export", "--format", "parquet", "--out", "-"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("give --out a folder"), "{}", run.stderr);
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    let run = kb.mkn([
        "export",
        "--format",
        "parquet",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not only Parquet tables"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("notes.txt")).unwrap(),
        "mine"
    );
    // An earlier export is replaced whole.
    let folder = out.path().join("tables");
    for _ in 0..2 {
        let run = kb.mkn([
            "export",
            "--format",
            "parquet",
            "--out",
            folder.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 11);
}

#[test]
fn spark_reads_the_parquet_folder_and_counts_practices_per_area_as_stats_does() {
    let Some(python) = python() else { return };
    let kb = corpus();
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("tables");
    let run = kb.mkn([
        "export",
        "--format",
        "parquet",
        "--out",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let probe = Command::new(&python)
        .arg(repo_root().join("tests/python/spark_probe.py"))
        .arg(&folder)
        .arg("practices")
        .output()
        .unwrap_or_else(|e| panic!("MKN_PYTHON={python}: {e}; `{INSTALL}`"));
    assert!(
        probe.status.success(),
        "{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&probe.stdout).unwrap();
    assert_eq!(got["documents"], json_rows(&kb, &[]).len());
    let stats = kb.mkn(["stats", "--format", "json"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    let stats: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    let expected: serde_json::Map<String, serde_json::Value> = stats["counts"]["area"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap().to_string(), pair[1].clone()))
        .collect();
    assert!(expected.len() >= 3, "{expected:?}");
    assert_eq!(got["per_area"], serde_json::Value::Object(expected));
}
