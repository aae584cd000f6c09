//! `mkn new` and `mkn schema`.

use crate::harness::Kb;

#[test]
fn new_practice_writes_a_skeleton_that_passes_the_schema() {
    let kb = Kb::new();
    let run = kb.mkn([
        "new",
        "practice",
        "--area",
        "roads",
        "--municipality",
        "guelph",
        "Pothole \"blitz\": week one",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        "created practices/roads/guelph-pothole-blitz-week-one.md\n"
    );
    let check = kb.mkn(["check"]);
    assert_eq!(check.code, 0, "{check}");

    let again = kb.mkn([
        "new",
        "practice",
        "--area",
        "roads",
        "--municipality",
        "guelph",
        "Pothole \"blitz\": week one",
    ]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{again}");
}

#[test]
fn new_practice_rejects_unknown_ids_with_a_suggestion() {
    let kb = Kb::new();
    let run = kb.mkn([
        "new",
        "practice",
        "--area",
        "raods",
        "--municipality",
        "guelph",
        "X",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean `roads`?"), "{run}");
    let run = kb.mkn([
        "new",
        "practice",
        "--area",
        "roads",
        "--municipality",
        "Greater Sudbury",
        "X",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("its id is `greater-sudbury`"), "{run}");
}

#[test]
fn new_profile_accepts_a_statcan_code() {
    let kb = Kb::new();
    let run = kb.mkn(["new", "profile", "3523008"]);
    assert_eq!(run.stdout, "created infobase/guelph.md\n", "{run}");
    assert_eq!(kb.mkn(["check"]).code, 0);
}

#[test]
fn schema_prints_the_collection_schema() {
    let kb = Kb::new();
    let run = kb.mkn(["schema", "practice"]);
    assert_eq!(run.code, 0);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["title"], "Practice");
    assert_eq!(kb.mkn(["schema", "nothing"]).code, 2);
}
