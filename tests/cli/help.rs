//! `--help`: prose wraps at the terminal's width, examples keep one per line.

use crate::harness::Kb;

/// Every command whose help has examples.
const WITH_EXAMPLES: &[&[&str]] = &[
    &["check"],
    &["new"],
    &["search"],
    &["list"],
    &["index"],
    &["tech"],
    &["measures"],
    &["measure"],
    &["export"],
    &["report"],
    &["import", "measures"],
    &["rules"],
    &["completions"],
    &["man"],
];

/// The lines of the `Examples:` section of a help text, and the other lines.
fn examples_and_prose(help: &str) -> (Vec<&str>, Vec<&str>) {
    let mut lines = help.lines();
    let prose: Vec<&str> = lines.by_ref().take_while(|l| *l != "Examples:").collect();
    let examples = lines.take_while(|l| !l.is_empty()).collect();
    (examples, prose)
}

#[test]
fn examples_keep_one_per_line_at_any_width() {
    let kb = Kb::empty();
    for command in WITH_EXAMPLES {
        let help = |columns: &str| {
            let mut args = command.to_vec();
            args.push("--help");
            let run = kb.mkn_env(args, &[("COLUMNS", columns)]);
            assert_eq!(run.code, 0, "{run}");
            run.stdout
        };
        let (narrow, wide) = (help("40"), help("200"));
        let (examples, prose) = examples_and_prose(&narrow);
        assert!(
            !examples.is_empty(),
            "{command:?} has no examples:\n{narrow}"
        );
        for (i, line) in examples.iter().enumerate() {
            let continued = i > 0 && examples[i - 1].ends_with('\\');
            assert!(
                line.starts_with("  mkn ") || (continued && line.starts_with("    ")),
                "{command:?}: an example was cut: {line:?}\n{narrow}"
            );
            assert_eq!(
                line.matches("  mkn ").count(),
                usize::from(!continued),
                "{command:?}: two examples on one line: {line:?}"
            );
        }
        let (wide_examples, _) = examples_and_prose(&wide);
        assert_eq!(
            examples, wide_examples,
            "{command:?}: the width changed the examples"
        );
        // The prose above them still wraps at the terminal's width.
        for line in prose {
            assert!(line.chars().count() <= 40, "{command:?}: {line:?}");
        }
    }
}
