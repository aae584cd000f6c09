//! End-to-end tests: the real `mkn` binary on fixture corpora in temp git repos.

mod harness;

mod bad_input;
mod browser;
mod check;
mod collections;
mod examples;
mod export;
mod export_fields;
mod front_matter;
mod help;
mod links;
mod lsp;
mod measures;
mod messages;
mod new;
mod report;
mod rules;
mod search;
mod site_general;
mod synonyms;
mod tables;
mod tech;
mod unreadable;
mod watch;
