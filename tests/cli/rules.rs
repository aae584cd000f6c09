//! Rule configuration: `[check]` in mkn.toml, `--ignore`/`--select`,
//! suppression comments, the baseline, `mkn rules`, completions, the man page
//! and the GitHub step summary.

use std::fs;

use serde_json::Value;

use crate::harness::Kb;

/// A corpus of one collection `docs` without schema or vocabularies, with
/// `check` appended to mkn.toml.
fn site(check: &str) -> Kb {
    let kb = Kb::empty();
    kb.write(
        "mkn.toml",
        format!("name = \"Site\"\n[collections.docs]\npath = \"docs\"\n{check}"),
    );
    kb
}

/// A document with a broken link on line 5 and a `3.10` (yaml/implicit-type) on line 3.
const TWO_PROBLEMS: &str = "---\ntitle: Page\nversion: 3.10\n---\n[gone](missing.md)\n";

/// `(path, line, code, severity)` of each diagnostic of a `--format json` run.
fn findings(stdout: &str) -> Vec<(String, u64, String, String)> {
    let json: Value = serde_json::from_str(stdout).expect(stdout);
    json.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn finding(path: &str, line: u64, code: &str, severity: &str) -> (String, u64, String, String) {
    (path.into(), line, code.into(), severity.into())
}

/// The last line of standard output.
fn summary(stdout: &str) -> &str {
    stdout.lines().last().unwrap_or_default()
}

#[test]
fn without_settings_both_problems_are_reported() {
    let kb = site("");
    kb.write("docs/a.md", TWO_PROBLEMS);
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(
        findings(&run.stdout),
        [
            finding("docs/a.md", 3, "yaml/implicit-type", "warning"),
            finding("docs/a.md", 5, "ref/link", "error"),
        ]
    );
}

#[test]
fn check_settings_change_severities_and_ignore_groups() {
    let kb = site("[check]\nignore = [\"yaml\"]\nwarn = [\"ref/link\"]\n");
    kb.write("docs/a.md", TWO_PROBLEMS);
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        findings(&run.stdout),
        [finding("docs/a.md", 5, "ref/link", "warning")]
    );
    let human = kb.mkn(["check"]);
    assert_eq!(
        summary(&human.stdout),
        "checked 1 document: 0 errors, 1 warning (1 held back: 1 ignored by the settings)"
    );
    assert_eq!(kb.mkn(["check", "--deny-warnings"]).code, 1);

    // The longest selector wins: the code over its group.
    let kb = site("[check]\nignore = [\"yaml\"]\nerror = [\"yaml/implicit-type\"]\n");
    kb.write("docs/a.md", TWO_PROBLEMS);
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(
        findings(&run.stdout),
        [
            finding("docs/a.md", 3, "yaml/implicit-type", "error"),
            finding("docs/a.md", 5, "ref/link", "error"),
        ]
    );
}

#[test]
fn per_path_ignores_apply_under_their_glob_only() {
    let kb = site("[check.per-path]\n\"docs/*.md\" = [\"ref/link\"]\n\"docs/old/\" = [\"yaml\"]\n");
    kb.write("docs/a.md", TWO_PROBLEMS);
    kb.write("docs/old/b.md", TWO_PROBLEMS);
    let run = kb.mkn(["check", "--format", "json"]);
    // `*` stops at `/`: docs/old/b.md keeps its broken link.
    assert_eq!(
        findings(&run.stdout),
        [
            finding("docs/a.md", 3, "yaml/implicit-type", "warning"),
            finding("docs/old/b.md", 5, "ref/link", "error"),
        ]
    );
    let human = kb.mkn(["check"]);
    assert_eq!(
        summary(&human.stdout),
        "checked 2 documents: 1 error, 1 warning (2 held back: 2 ignored for their path)"
    );
}

#[test]
fn an_unknown_code_in_mkn_toml_is_exit_2_at_its_line_with_a_suggestion() {
    let kb = site("[check]\nwarn = [\"schema\", \"ref/lnk\"]\n");
    kb.write("docs/a.md", TWO_PROBLEMS);
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(
        run.stderr,
        "error: mkn.toml:5:19: `ref/lnk` is not a rule code or a group of rules\n  help: did you mean `ref/link`?\n"
    );
    assert_eq!(run.stdout, "");

    let kb = site("[check.per-path]\n\"docs/**\" = [\"yml\"]\n");
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with("error: mkn.toml:5:14: `yml` is not a rule code"),
        "{run}"
    );
    assert!(run.stderr.contains("did you mean `yaml`?"), "{run}");
}

#[test]
fn a_wrong_type_or_a_bad_glob_in_check_is_exit_2_at_its_line() {
    let kb = site("[check]\nignore = \"yaml\"\n");
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.starts_with(
            "error: mkn.toml:5:10: invalid type: string \"yaml\", expected a sequence"
        ),
        "{run}"
    );

    let kb = site("[check.per-path]\n\"docs/[\" = [\"ref/link\"]\n");
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with("error: mkn.toml:5:1: `docs/[` is not a valid glob"),
        "{run}"
    );

    let kb = site("[check]\nignored = [\"yaml\"]\n");
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with("error: mkn.toml:5:1: unknown field `ignored`"),
        "{run}"
    );
}

#[test]
fn ignore_and_select_on_the_command_line_override_the_file() {
    let kb = site("[check]\nignore = [\"ref\"]\n");
    kb.write("docs/a.md", TWO_PROBLEMS);
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(
        findings(&run.stdout),
        [finding("docs/a.md", 3, "yaml/implicit-type", "warning")]
    );
    let run = kb.mkn(["check", "--format", "json", "--select", "ref/link"]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(
        findings(&run.stdout),
        [finding("docs/a.md", 5, "ref/link", "error")]
    );
    let run = kb.mkn([
        "check",
        "--format",
        "json",
        "--ignore",
        "yaml/implicit-type",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(findings(&run.stdout), []);

    let run = kb.mkn(["check", "--select", "ref/lnk"]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(
        run.stderr,
        "error: `ref/lnk` is not a rule code or a group of rules; did you mean `ref/link`?\n"
    );
}

#[test]
fn suppression_comments_hold_back_their_line_their_file_or_their_front_matter_line() {
    let kb = site("");
    kb.write(
        "docs/a.md",
        "---\ntitle: Page\nversion: 3.10 # mkn-ignore yaml/implicit-type\n---\n\
         <!-- mkn-ignore ref/link -->\n[gone](missing.md)\n[also gone](other.md)\n",
    );
    kb.write(
        "docs/b.md",
        "---\ntitle: B\n---\n<!-- mkn-ignore-file ref -->\n[gone](missing.md)\n\n[more](x.md)\n",
    );
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(
        findings(&run.stdout),
        [finding("docs/a.md", 7, "ref/link", "error")],
        "the comment covers the next line only"
    );
    let human = kb.mkn(["check"]);
    assert_eq!(
        summary(&human.stdout),
        "checked 2 documents: 1 error, 0 warnings (4 held back: 4 suppressed in the document)"
    );
}

#[test]
fn a_suppression_that_suppresses_nothing_or_names_no_rule_is_reported() {
    let kb = site("");
    kb.write(
        "docs/a.md",
        "---\ntitle: Page # mkn-ignore yaml\n---\n<!-- mkn-ignore ref/link -->\nNo link here.\n\
         <!-- mkn-ignore-file ref/lnk -->\n\n```markdown\n<!-- mkn-ignore ref/link -->\n```\n",
    );
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains("warning[check/unused-suppression]: `mkn-ignore yaml` suppresses nothing\n  ┌─ docs/a.md:2:26"),
        "{run}"
    );
    assert!(
        run.stdout.contains("warning[check/unused-suppression]: `mkn-ignore ref/link` suppresses nothing\n  ┌─ docs/a.md:4:17"),
        "{run}"
    );
    assert!(
        run.stdout.contains("warning[check/unknown-rule]: `ref/lnk` is not a rule code or a group of rules\n  ┌─ docs/a.md:6:22"),
        "{run}"
    );
    assert!(
        run.stdout.contains("help: did you mean `ref/link`?"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("help: remove it: this line has no finding with that code"),
        "{run}"
    );
    assert_eq!(
        summary(&run.stdout),
        "checked 1 document: 0 errors, 3 warnings",
        "the example in a code block is not a suppression"
    );
    // A suppression of a rule that does not run cannot be judged.
    let run = kb.mkn(["check", "--select", "ref/link", "--select", "check"]);
    assert_eq!(
        summary(&run.stdout),
        "checked 1 document: 0 errors, 2 warnings",
        "{run}"
    );
    assert!(!run.stdout.contains("`mkn-ignore yaml`"), "{run}");
    // Unused suppressions are a rule like any other.
    let kb2 = site("[check]\nignore = [\"check/unused-suppression\"]\n");
    kb2.write(
        "docs/a.md",
        "---\ntitle: A\n---\n<!-- mkn-ignore ref/link -->\nText.\n",
    );
    let run = kb2.mkn(["check"]);
    assert_eq!(
        summary(&run.stdout),
        "checked 1 document: no problems found (1 held back: 1 ignored by the settings)"
    );
}

#[test]
fn the_baseline_holds_back_todays_findings_until_they_are_fixed() {
    let kb = site("[check]\nbaseline = \"ci/baseline.json\"\n");
    kb.write(
        "docs/a.md",
        "---\ntitle: A\n---\n[gone](missing.md)\n[gone](missing.md)\n",
    );
    kb.write("docs/b.md", TWO_PROBLEMS);
    kb.commit("today");

    let written = kb.mkn(["check", "--write-baseline"]);
    assert_eq!(written.code, 0, "{written}");
    assert_eq!(
        written.stderr,
        "wrote 4 finding(s) in 3 entries to ci/baseline.json\n"
    );
    let text = fs::read_to_string(kb.path("ci/baseline.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], 1);
    let entries: Vec<(&str, &str, u64)> = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap(),
                e["code"].as_str().unwrap(),
                e["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("docs/a.md", "ref/link", 2),
            ("docs/b.md", "ref/link", 1),
            ("docs/b.md", "yaml/implicit-type", 1),
        ]
    );
    assert!(!text.contains("\"line\""), "no line numbers: {text}");
    // Written again from the same findings, it is the same file.
    kb.mkn(["check", "--write-baseline"]);
    assert_eq!(
        fs::read_to_string(kb.path("ci/baseline.json")).unwrap(),
        text
    );

    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        "checked 2 documents: no problems found (4 held back: 4 in the baseline)\n"
    );

    // An edit above the problems does not bring them back; a new one is reported.
    kb.write(
        "docs/a.md",
        "---\ntitle: A\n---\nA new paragraph.\n\n[gone](missing.md)\n[gone](missing.md)\n[new](new.md)\n",
    );
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(
        findings(&run.stdout),
        [finding("docs/a.md", 8, "ref/link", "error")]
    );

    // Fixed: the baseline entry no longer occurs, and the report says so.
    kb.write("docs/a.md", "---\ntitle: A\n---\n[gone](missing.md)\n");
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        "checked 2 documents: no problems found (3 held back: 3 in the baseline)\n\
         ci/baseline.json: 1 accepted finding no longer found; `mkn check --write-baseline` drops it:\n  \
         docs/a.md: ref/link: link to `missing.md`, which does not exist\n"
    );
    // The step summary says so too.
    kb.write("summary.md", "");
    let summary_file = kb.path("summary.md");
    kb.mkn_env(
        ["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary_file.to_str().unwrap())],
    );
    assert_eq!(
        fs::read_to_string(&summary_file).unwrap(),
        "### mkn check\n\nchecked 2 documents: no problems found (3 held back: 3 in the baseline)\n\n\
         1 accepted finding in the baseline no longer found: `mkn check --write-baseline` drops it.\n"
    );
    // Machine-read output stays clean: the stale entries go to stderr.
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.stdout, "[]\n");
    assert!(
        run.stderr.contains("1 accepted finding no longer found"),
        "{run}"
    );
}

#[test]
fn write_baseline_checks_the_whole_corpus_and_a_broken_baseline_is_exit_2() {
    let kb = site("");
    kb.write("docs/a.md", TWO_PROBLEMS);
    let run = kb.mkn(["check", "--write-baseline", "docs/a.md"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("cannot be used with"), "{run}");

    kb.mkn(["check", "--write-baseline"]);
    assert!(kb.path("mkn-baseline.json").is_file(), "the default path");
    kb.write("mkn-baseline.json", "{\"version\": 1,\n \"entries\": 3}\n");
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.starts_with("error: mkn-baseline.json:2:"),
        "{run}"
    );
}

#[test]
fn the_github_format_appends_a_step_summary() {
    let kb = site("");
    kb.write("docs/a.md", TWO_PROBLEMS);
    kb.write("summary.md", "earlier step\n");
    let summary_file = kb.path("summary.md");
    let run = kb.mkn_env(
        ["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary_file.to_str().unwrap())],
    );
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stdout.starts_with("::warning file=docs/a.md,line=3"),
        "{run}"
    );
    assert_eq!(
        fs::read_to_string(&summary_file).unwrap(),
        "earlier step\n### mkn check\n\nchecked 1 document: 1 error, 1 warning\n\n\
         | rule | severity | count |\n|---|---|---:|\n\
         | `ref/link` | error | 1 |\n| `yaml/implicit-type` | warning | 1 |\n\n\
         | file | line | rule | problem |\n|---|---:|---|---|\n\
         | `docs/a.md` | 3 | `yaml/implicit-type` | `3.10` is read as the number 3.1, not as the text \"3.10\" |\n\
         | `docs/a.md` | 5 | `ref/link` | link to `missing.md`, which does not exist |\n"
    );
    // Without the variable, or in another format, no file is touched.
    let before = fs::read_to_string(&summary_file).unwrap();
    kb.mkn_env(
        ["check", "--format", "json"],
        &[("GITHUB_STEP_SUMMARY", summary_file.to_str().unwrap())],
    );
    assert_eq!(fs::read_to_string(&summary_file).unwrap(), before);
}

#[test]
fn mkn_rules_lists_every_rule() {
    let kb = Kb::empty();
    let run = kb.mkn(["rules", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let rules: Value = serde_json::from_str(&run.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    let rule = |code: &str| {
        rules
            .iter()
            .find(|r| r["code"] == code)
            .unwrap_or_else(|| panic!("{code} missing"))
            .clone()
    };
    assert_eq!(rule("ref/link")["default_severity"], "error");
    assert_eq!(rule("yaml/implicit-type")["default_severity"], "warning");
    assert_eq!(
        rule("check/unused-suppression")["default_severity"],
        "warning"
    );
    assert!(
        rules
            .iter()
            .all(|r| !r["summary"].as_str().unwrap().is_empty())
    );

    let table = kb.mkn(["rules"]);
    assert_eq!(table.code, 0, "{table}");
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert!(lines[0].starts_with("code "), "{table}");
    assert_eq!(lines.len(), rules.len() + 1);
    assert!(
        lines.iter().any(|l| l.starts_with("ref/link ")
            && l.contains(" error ")
            && l.ends_with("a relative link in the body to a file that does not exist")),
        "{table}"
    );
}

#[test]
fn completions_for_each_shell_and_bash_parses_its_script() {
    let kb = Kb::empty();
    for (shell, marker) in [
        ("bash", "_mkn()"),
        ("zsh", "#compdef mkn"),
        ("fish", "complete -c mkn"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[mkn]"),
    ] {
        let run = kb.mkn(["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {run}");
        assert!(run.stdout.contains(marker), "{shell}: {}", run.stdout);
        assert!(
            run.stdout.contains("write-baseline"),
            "{shell} knows the options"
        );
    }
    let script = kb.path("mkn.bash");
    fs::write(&script, kb.mkn(["completions", "bash"]).stdout).unwrap();
    let parsed = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    assert_eq!(kb.mkn(["completions", "tcsh"]).code, 2);
}

#[test]
fn the_man_page_goes_to_stdout_or_one_page_per_command_into_a_folder() {
    let kb = Kb::empty();
    let run = kb.mkn(["man"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq") || run.stdout.contains(".TH mkn 1"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(".TH mkn 1"), "{}", run.stdout);
    assert!(run.stdout.contains("rules"), "subcommands listed");

    let run = kb.mkn(["man", "--out", "man/man1"]);
    assert_eq!(run.code, 0, "{run}");
    let check = fs::read_to_string(kb.path("man/man1/mkn-check.1")).unwrap();
    assert!(check.contains(".TH mkn-check 1"), "{check}");
    assert!(check.contains("write\\-baseline"), "{check}");
    assert!(kb.path("man/man1/mkn.1").is_file());
    assert!(kb.path("man/man1/mkn-rules.1").is_file());
    assert!(run.stderr.starts_with("wrote "), "{run}");
}

#[test]
fn the_readme_example_of_check_settings_is_accepted() {
    let readme = fs::read_to_string(crate::harness::repo_root().join("README.md")).unwrap();
    let section = &readme[readme.find("### Configuring rules").unwrap()..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    assert!(example.starts_with("[check]"), "{example}");
    let kb = site(example);
    kb.write("docs/a.md", "---\ntitle: A\n---\nText.\n");
    let run = kb.mkn(["check"]);
    assert_eq!(run.code, 0, "{run}");
}

#[test]
fn a_comment_at_the_end_of_a_toml_front_matter_line_suppresses_that_line() {
    let kb = site("[collections.docs.references]\nauthor = \"docs\"\n");
    kb.write(
        "docs/a.md",
        "+++\ntitle = \"A\"\nauthor = \"nobody\" # mkn-ignore ref/document\n+++\nBody.\n",
    );
    kb.write(
        "docs/b.md",
        "+++\ntitle = \"B\"\nauthor = \"nobody\"\n+++\nBody.\n",
    );
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(
        findings(&run.stdout),
        [finding("docs/b.md", 3, "ref/document", "error")]
    );
    let human = kb.mkn(["check"]);
    assert_eq!(
        summary(&human.stdout),
        "checked 2 documents: 1 error, 0 warnings (1 held back: 1 suppressed in the document)"
    );
}
