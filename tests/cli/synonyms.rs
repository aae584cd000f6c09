//! The synonym and spelling vocabulary: a query also finds the other terms of
//! its words, ranks the words as written first, says what it added, and a
//! broken vocabulary is an error at its line.

use crate::harness::Kb;
use crate::search::ids;

const SYNONYMS: &str = "\
# spellings
- [plough, plow]
- [AMP, asset management plan]
- {term: organics, also: [green bin]}
";

/// A practice in the roads area whose title and summary hold `words`.
fn practice(id: &str, words: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Routes for the {words}\nkind: beneficial\nareas: [roads]\n\
         municipalities: [guelph]\nyear: 2020\nsummary: The town sends its {words} out early.\n---\n\
         ## Approach\nEach {words} has a route.\n"
    )
}

/// The base fixture with a synonym vocabulary and a few practices, committed.
fn corpus() -> Kb {
    let kb = Kb::new();
    let settings = std::fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write(
        "mkn.toml",
        settings.replace(
            "[vocabularies]\n",
            "[vocabularies]\nsynonyms = \"schema/synonyms.yaml\"\n",
        ),
    );
    kb.write("schema/synonyms.yaml", SYNONYMS);
    for (id, words) in [
        ("ottawa-plow", "snow plow"),
        ("guelph-plough", "snow plough"),
        ("kingston-bins", "green bin trucks"),
        ("barrie-plan", "asset management plan team"),
        ("sudbury-amp", "AMP team"),
        ("hamilton-sweepers", "street sweepers"),
    ] {
        kb.write(&format!("practices/roads/{id}.md"), practice(id, words));
    }
    kb.commit("fixture");
    kb
}

fn search(kb: &Kb, query: &str) -> Vec<String> {
    ids(&kb.mkn(["search", query, "--format", "json"]))
}

#[test]
fn spellings_find_each_other_and_the_spelling_written_ranks_first() {
    let kb = corpus();
    assert_eq!(search(&kb, "plough"), ["guelph-plough", "ottawa-plow"]);
    assert_eq!(search(&kb, "plow"), ["ottawa-plow", "guelph-plough"]);
    assert_eq!(search(&kb, "Ploughs"), ["guelph-plough", "ottawa-plow"]);
    // With the other words of the query too.
    assert_eq!(
        search(&kb, "snow plow route"),
        ["ottawa-plow", "guelph-plough"]
    );
}

#[test]
fn without_the_vocabulary_a_spelling_finds_only_itself() {
    let kb = corpus();
    let settings = std::fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write(
        "mkn.toml",
        settings.replace("synonyms = \"schema/synonyms.yaml\"\n", ""),
    );
    assert_eq!(search(&kb, "plough"), ["guelph-plough"]);
    assert_eq!(search(&kb, "plow"), ["ottawa-plow"]);
}

#[test]
fn acronyms_and_synonyms_find_each_other() {
    let kb = corpus();
    assert_eq!(search(&kb, "AMP"), ["sudbury-amp", "barrie-plan"]);
    assert_eq!(
        search(&kb, "asset management plan"),
        ["barrie-plan", "sudbury-amp"]
    );
    // Words of a term apart do not make the term.
    assert_eq!(search(&kb, "asset plan"), ["barrie-plan"]);
    // A one-way entry: organics also searches green bin, not the reverse.
    assert_eq!(search(&kb, "organics"), ["kingston-bins"]);
    let run = kb.mkn(["search", "green bin", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["expanded"], serde_json::json!({}), "{run}");
}

#[test]
fn a_quoted_phrase_is_not_expanded() {
    let kb = corpus();
    assert_eq!(search(&kb, "\"plough\""), ["guelph-plough"]);
    assert_eq!(search(&kb, "\"snow plow\""), ["ottawa-plow"]);
    let run = kb.mkn(["search", "\"plough\""]);
    assert!(!run.stderr.contains("also searched"), "{run}");
}

#[test]
fn the_query_says_what_it_also_searched() {
    let kb = corpus();
    let run = kb.mkn(["search", "plough AMP", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json["expanded"],
        serde_json::json!({"amp": ["asset management plan"], "plough": ["plow"]})
    );
    let run = kb.mkn(["search", "plough"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stderr.lines().last(),
        Some("also searched: plow"),
        "{run}"
    );
    assert!(run.stdout.contains("guelph-plough"), "{run}");
    let run = kb.mkn(["search", "sweepers"]);
    assert!(!run.stderr.contains("also searched"), "{run}");
}

#[test]
fn filters_and_the_typo_fallback_still_work() {
    let kb = corpus();
    assert_eq!(search(&kb, "plow id:guelph-plough"), ["guelph-plough"]);
    assert_eq!(search(&kb, "plow -id:guelph-plough"), ["ottawa-plow"]);
    assert!(search(&kb, "plow area:solid-waste").is_empty());
    let run = kb.mkn(["search", "sweeperz", "--format", "json"]);
    assert_eq!(ids(&run), ["hamilton-sweepers"], "{run}");
}

#[test]
fn editing_the_vocabulary_rebuilds_the_index_and_changes_the_answer() {
    let kb = corpus();
    assert_eq!(search(&kb, "sweepers"), ["hamilton-sweepers"]);
    kb.write(
        "schema/synonyms.yaml",
        format!("{SYNONYMS}- [sweepers, snow plow]\n"),
    );
    let run = kb.mkn(["search", "sweepers", "--format", "json"]);
    assert!(
        run.stderr
            .contains("a vocabulary changed; rebuilding the index"),
        "{run}"
    );
    assert_eq!(ids(&run), ["hamilton-sweepers", "ottawa-plow"]);
}

#[test]
fn a_query_reads_the_vocabulary_as_it_is_now_whatever_it_read_before() {
    let kb = corpus();
    assert_eq!(search(&kb, "plough"), ["guelph-plough", "ottawa-plow"]);
    // The same length, another meaning: only the file's time tells them apart.
    kb.write(
        "schema/synonyms.yaml",
        SYNONYMS.replace("[plough, plow]", "[plough, bins]"),
    );
    assert_eq!(search(&kb, "plough"), ["guelph-plough", "kingston-bins"]);
    // What a query keeps of the vocabulary in .mkn/ is only a shortcut: when
    // it is damaged the file is read again.
    kb.write(".mkn/synonyms.json", "{\"version\": 1, \"entr");
    assert_eq!(search(&kb, "plough"), ["guelph-plough", "kingston-bins"]);
    // A vocabulary broken after a good query is still an error.
    kb.write(
        "schema/synonyms.yaml",
        "- [plough, plow]\n- [snow removal]\n",
    );
    let run = kb.mkn(["search", "plough"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("schema/synonyms.yaml:2:3:"), "{run}");
}

#[test]
fn a_broken_vocabulary_is_an_error_at_its_line() {
    let kb = corpus();
    kb.write(
        "schema/synonyms.yaml",
        "- [plough, plow]\n- [snow removal]\n",
    );
    for args in [vec!["check"], vec!["search", "plough"]] {
        let run = kb.mkn(&args);
        assert_eq!(run.code, 2, "{run}");
        assert!(
            run.stderr.contains(
                "schema/synonyms.yaml:2:3: a group needs two or more terms that mean the same"
            ),
            "{run}"
        );
    }

    kb.write(
        "schema/synonyms.yaml",
        "- [plough, plow]\n- [road salt, rock salt\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("schema/synonyms.yaml:3:"), "{run}");

    kb.write(
        "schema/synonyms.yaml",
        "- [plough, plow]\n- [AMP, asset management plan]\n- [snow plow, Plows]\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("schema/synonyms.yaml:3:15: `Plows` is already the term of another entry"),
        "{run}"
    );
}
