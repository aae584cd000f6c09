//! Every example runs as written: each `mkn` line of the README's shell
//! blocks and of every `--help` is run by `sh` against a copy of the bundled
//! corpus, and must exit 0. A line whose comment begins with `template:`
//! (`mkn import measures results.csv ...  # template: your file`) shows a
//! shape to fill in and is not run.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use clap::CommandFactory;

use crate::harness::{Kb, copy_dir, repo_root};

/// One example and where it was found.
struct Example {
    /// The command line, comment removed.
    line: String,
    /// Where it comes from, for the failure message.
    origin: String,
}

/// The text of a line before its comment (a `#` after a space, outside
/// quotes), and the comment.
fn split_comment(line: &str) -> (&str, &str) {
    let mut quote = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => {
                return (line[..at].trim_end(), line[at + 1..].trim());
            }
            _ => {}
        }
        previous = c;
    }
    (line.trim_end(), "")
}

/// An example from one line of text, if it is a runnable `mkn` line.
fn example(line: &str, origin: String) -> Option<Example> {
    let (command, comment) = split_comment(line.trim());
    let command = command
        .strip_prefix("cargo run --release -- ")
        .map(|rest| format!("mkn {rest}"))
        .unwrap_or_else(|| command.to_string());
    (command.starts_with("mkn ") && !comment.starts_with("template:")).then_some(Example {
        line: command,
        origin,
    })
}

/// The examples among numbered lines, a line ending in `\` joined with the next.
fn examples_in<'a>(
    lines: impl IntoIterator<Item = (usize, &'a str)>,
    origin: impl Fn(usize) -> String,
) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (number, line) in lines {
        let (start, mut text) = pending.take().unwrap_or((number, String::new()));
        text.push_str(line.trim());
        if let Some(joined) = text.strip_suffix('\\') {
            pending = Some((start, format!("{} ", joined.trim_end())));
            continue;
        }
        examples.extend(example(&text, origin(start)));
    }
    examples
}

/// The `mkn` lines of the README's `sh` blocks.
fn readme_examples() -> Vec<Example> {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let mut in_shell = false;
    let shell_lines = readme.lines().enumerate().filter(|(_, line)| {
        if let Some(fence) = line.trim_start().strip_prefix("```") {
            in_shell = !in_shell && matches!(fence.trim(), "sh" | "bash" | "shell");
            return false;
        }
        in_shell
    });
    examples_in(
        shell_lines
            .map(|(i, line)| (i + 1, line))
            .collect::<Vec<_>>(),
        |line| format!("README.md:{line}"),
    )
}

/// Every command path of the CLI (`["check"]`, `["tech", "peers"]`, ...).
fn command_paths() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        out.push(path.to_vec());
        for sub in command.get_subcommands() {
            let mut path = path.to_vec();
            path.push(sub.get_name().to_string());
            walk(sub, &path, out);
        }
    }
    let mut paths = Vec::new();
    walk(&mkn::cli::Cli::command(), &[], &mut paths);
    paths
}

/// The `mkn` lines of every `--help`, as the binary prints them.
fn help_examples(kb: &Kb) -> Vec<Example> {
    let mut examples = Vec::new();
    for path in command_paths() {
        if path.last().is_some_and(|name| name == "help") {
            continue;
        }
        let mut args = path.clone();
        args.push("--help".into());
        let run = kb.mkn(&args);
        assert_eq!(run.code, 0, "mkn {} --help: {}", path.join(" "), run.stderr);
        let origin = format!("mkn {} --help", path.join(" "));
        // The section between `Examples:` and `Usage:`.
        let section = run
            .stdout
            .lines()
            .skip_while(|line| *line != "Examples:")
            .take_while(|line| !line.starts_with("Usage:"));
        examples.extend(examples_in(section.enumerate(), |_| origin.clone()));
    }
    examples
}

/// Puts the corpus back as committed, keeping the index.
fn restore(root: &Path) {
    for args in [
        &["checkout", "--quiet", "--", "."][..],
        &["clean", "-fdq", "-e", ".mkn"],
    ] {
        let status = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

#[test]
fn every_readme_and_help_example_runs() {
    let kb = Kb::empty();
    for dir in ["schema", "practices", "infobase", "data"] {
        copy_dir(&repo_root().join(dir), &kb.path(dir));
    }
    fs::copy(repo_root().join("mkn.toml"), kb.path("mkn.toml")).unwrap();
    kb.commit("the bundled corpus");
    // `--changed-since origin/main` examples need the branch they name.
    let repo = git2::Repository::open(kb.root()).unwrap();
    let head = repo.head().unwrap().target().unwrap();
    repo.reference("refs/remotes/origin/main", head, true, "examples")
        .unwrap();

    // A home with the folders a user's shell configuration has, for the
    // completion examples that write into them.
    let home = tempfile::tempdir().unwrap();
    for folder in [
        ".local/share/bash-completion/completions",
        ".zfunc",
        ".config/fish/completions",
    ] {
        fs::create_dir_all(home.path().join(folder)).unwrap();
    }
    let readme = readme_examples();
    let help = help_examples(&kb);
    assert!(
        readme.len() >= 30,
        "only {} README examples found",
        readme.len()
    );
    assert!(help.len() >= 20, "only {} help examples found", help.len());

    let binary = assert_cmd::cargo::cargo_bin("mkn");
    let path = format!(
        "{}:/usr/local/bin:/usr/bin:/bin",
        binary.parent().unwrap().display()
    );
    let mut seen = BTreeSet::new();
    let mut failures = Vec::new();
    for example in readme.iter().chain(&help) {
        if !seen.insert(example.line.clone()) {
            continue;
        }
        // In a process group of its own, killed afterwards: an example that
        // never ends (a watcher in the foreground) fails after two minutes,
        // and nothing it started in the background outlives it.
        let stderr = tempfile::tempfile().unwrap();
        let mut child = Command::new("timeout")
            .args(["120", "sh", "-c"])
            .arg(&example.line)
            .current_dir(kb.root())
            .env_clear()
            .env("PATH", &path)
            .env("HOME", home.path())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("MKN_WATCH", "never")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr.try_clone().unwrap())
            .process_group(0)
            .spawn()
            .unwrap();
        let status = child.wait().unwrap();
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
        let mut errors = String::new();
        let mut stderr = stderr;
        stderr.seek(SeekFrom::Start(0)).unwrap();
        stderr.read_to_string(&mut errors).unwrap();
        if !status.success() {
            failures.push(format!(
                "{}: `{}` exited {:?}\n{}",
                example.origin,
                example.line,
                status.code(),
                errors.trim_end()
            ));
        }
        restore(kb.root());
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n\n{}",
        failures.len(),
        seen.len(),
        failures.join("\n\n")
    );
}

#[test]
fn comments_and_quotes_are_told_apart() {
    assert_eq!(
        split_comment(r#"mkn search "a # b" kind:best   # a comment"#),
        (r#"mkn search "a # b" kind:best"#, "a comment")
    );
    assert_eq!(
        split_comment("mkn search 'year:>=2015'"),
        ("mkn search 'year:>=2015'", "")
    );
    assert!(
        example(
            "mkn import measures x.csv  # template: your file",
            "x".into()
        )
        .is_none()
    );
    assert_eq!(
        example(
            "cargo run --release -- search \"winter control\"   # search",
            "x".into()
        )
        .unwrap()
        .line,
        "mkn search \"winter control\""
    );
}
