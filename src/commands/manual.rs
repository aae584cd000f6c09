//! What needs no corpus: `mkn rules`, `mkn completions` and `mkn man`.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, ExitStatus};
use crate::output::RulesFormat;

/// Runs `mkn rules`: the rule table.
pub fn rules(format: RulesFormat) -> Result<ExitStatus, Error> {
    let mut stdout = super::stdout();
    crate::output::write_rules(&mut stdout, crate::rules::RULES, format)?;
    stdout.flush()?;
    Ok(ExitStatus::Success)
}

/// Runs `mkn completions SHELL`: the completion script on stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitStatus, Error> {
    let mut stdout = super::stdout();
    clap_complete::generate(shell, &mut Cli::command(), "mkn", &mut stdout);
    stdout.flush()?;
    Ok(ExitStatus::Success)
}

/// Runs `mkn man`: the main page on stdout, or every page into `out`.
pub fn man(out: Option<&Path>) -> Result<ExitStatus, Error> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let Some(dir) = out else {
        let mut stdout = super::stdout();
        clap_mangen::Man::new(command).render(&mut stdout)?;
        stdout.flush()?;
        return Ok(ExitStatus::Success);
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut pages = Vec::new();
    collect_pages(command, &mut pages);
    for (name, man) in &pages {
        let mut roff = Vec::new();
        man.render(&mut roff)?;
        crate::export::write_whole(&dir.join(name), &roff)?;
    }
    eprintln!("wrote {} man pages to {}", pages.len(), dir.display());
    Ok(ExitStatus::Success)
}

/// The page of `command` and of each of its visible subcommands, by file name.
fn collect_pages(command: clap::Command, pages: &mut Vec<(String, clap_mangen::Man)>) {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect_pages(sub.clone(), pages);
    }
    let man = clap_mangen::Man::new(command);
    pages.push((man.get_filename(), man));
}
