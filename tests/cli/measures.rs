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
