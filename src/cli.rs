//! The command line: clap definitions, whose doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::output::{ColorChoice, DiagnosticFormat, ListFormat, RulesFormat};
use crate::query::SortBy;

/// mkn: the municipal knowledge network on the command line.
///
/// A corpus is a git repository with `mkn.toml` at its root: practices and
/// technology profiles as markdown files with YAML (or TOML, or JSON) front matter, checked
/// against JSON Schemas and reference data.
///
/// Exit codes: 0 success, 1 problems found, 2 usage, I/O or configuration error.
#[derive(Debug, Parser)]
#[command(name = "mkn", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The corpus to work on (default: the nearest folder at or above the
    /// working directory that holds mkn.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub corpus: Option<PathBuf>,

    /// When to use colour. `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the corpus: schema, references, evidence, sections.
    ///
    /// Reports every problem, each with file, line and column, a rule code and
    /// a hint. Examples:
    ///
    ///   mkn check                          # the whole corpus
    ///   mkn check practices/roads          # one folder (rules still see the whole corpus)
    ///   mkn check --changed-since origin/main --format github
    ///   mkn check --ignore ref/link --select schema   # this run only, whatever mkn.toml says
    ///   mkn check --write-baseline                    # accept today's findings
    ///
    /// Rules are configured in `[check]` of mkn.toml, and suppressed in a
    /// document with `<!-- mkn-ignore CODE -->` (the next line) or
    /// `<!-- mkn-ignore-file CODE -->` (the whole file); `mkn rules` lists them.
    #[command(verbatim_doc_comment)]
    Check(CheckArgs),

    /// Write a schema-valid skeleton for a new document.
    ///
    /// The front matter is TOML or JSON in a collection that declares
    /// `front_matter = "toml"` or `"json"` in mkn.toml, YAML otherwise.
    ///
    /// Examples:
    ///
    ///   mkn new practice --area roads-winter-control --municipality guelph "Brine pre-wetting"
    ///   mkn new profile hornepayne
    #[command(subcommand, verbatim_doc_comment)]
    New(NewCommand),

    /// Full-text search with filters, ranked by relevance.
    ///
    /// The query mixes words, "exact phrases", AND/OR/NOT, and filters
    /// `key:value` on any front-matter key (`NOT key:value` or, inside a quoted
    /// query, `-key:value` excludes). Known
    /// filters: area, kind, municipality, tag, tech, status, collection,
    /// region and tier (of the municipality), year and population (ranges:
    /// 2016, >=2015, <20000, 2012..2016). Keys with spaces are quoted:
    /// "written by":ada. A misspelt query still finds its matches.
    ///
    ///   mkn search "winter control"
    ///   mkn search salt area:roads-winter-control kind:best 'year:>=2015'
    ///   mkn search "asset management" --tier lower --population '<20000' --facets area,region
    #[command(verbatim_doc_comment)]
    Search(SearchArgs),

    /// List documents that match filters, without text (same filters as search).
    ///
    ///   mkn list area:solid-waste kind:best
    ///   mkn list --region northern --format csv
    #[command(verbatim_doc_comment)]
    List(ListArgs),

    /// Show one document: its fields, its body, and its evidence with the computed change.
    Show {
        /// Document id.
        id: String,
        /// Output format: table (for a terminal) or json.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },

    /// Documents most like one document ("more like this").
    Related {
        /// Document id.
        id: String,
        /// At most this many.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },

    /// Practices per area, region, tier, kind and year, and the gaps: areas
    /// and regions with no practice yet.
    Stats {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },

    /// Bring the search index in .mkn/ up to date (search does this by itself).
    ///
    /// Before answering, every query looks at the size and time of each file
    /// to find edits; on a large corpus that is most of its time. `--watch`
    /// keeps running, re-indexes files as they change, and lets queries skip
    /// that look:
    ///
    ///   mkn index --watch &      # template: or in a terminal of its own
    ///   mkn search "winter control"
    ///
    /// A query still sees every edit made before it starts: it asks the
    /// watcher to catch up first, and checks the files itself when the watcher
    /// does not answer within 2 seconds.
    ///
    /// On a corpus of 2,000 documents or more, the first query starts a
    /// watcher in the background by itself (it writes to .mkn/watch.log and
    /// stops after an hour without queries or edits). `[index] watch` in
    /// mkn.toml, or the MKN_WATCH environment variable, says when: `auto`
    /// (the default), `always` or `never`. `mkn index --stop` stops it.
    #[command(verbatim_doc_comment)]
    Index {
        /// Throw the index away and build it again.
        #[arg(long, conflicts_with_all = ["watch", "stop"])]
        rebuild: bool,
        /// Keep the index current as files change, until stopped (Ctrl-C, or
        /// `mkn index --stop`).
        #[arg(long, conflicts_with = "stop")]
        watch: bool,
        /// With --watch: stop after this many seconds without a query or an
        /// edit.
        #[arg(long, value_name = "SECONDS", requires = "watch")]
        idle_timeout: Option<u64>,
        /// Stop the watcher of this corpus, if one runs.
        #[arg(long)]
        stop: bool,
    },

    /// The technology directory: which municipality runs what, and how well it works.
    ///
    /// Built from the technology profiles (infobase/) and the technologies
    /// practices name. Product names are matched forgivingly (case, spacing,
    /// a typo). Examples:
    ///
    ///   mkn tech products --function gis
    ///   mkn tech who-uses cityworks
    ///   mkn tech peers guelph --function building-permits
    ///   mkn tech changes --since 2024-01-01
    #[command(subcommand, verbatim_doc_comment)]
    Tech(TechCommand),
    /// Bring outside data into the corpus.
    #[command(subcommand)]
    Import(ImportCommand),

    /// The measure catalogue: list or search it, or explain one measure.
    ///
    ///   mkn measures --area roads
    ///   mkn measures winter response
    ///   mkn measures show ROAD307
    #[command(verbatim_doc_comment)]
    Measures(MeasuresArgs),

    /// One measure across the municipalities that report it: distribution,
    /// ranking, and one municipality against its peers.
    ///
    ///   mkn measure ROAD307 --year 2018
    ///   mkn measure ROAD307 --tier single --format csv
    ///   mkn measure ROAD307 --municipality hamilton
    #[command(verbatim_doc_comment)]
    Measure(MeasureArgs),

    /// Write the documents a query matches to a file other programs read, or
    /// publish them as a static web portal.
    ///
    /// Same words and filters as search; every matching document, ordered by
    /// id. Rows carry every front-matter key (JSON: under `front_matter`; CSV:
    /// a column per key), the file and commit they come from and, for
    /// practices, computed fields (evidence change and strength, the
    /// municipalities' tier, region and population). The file appears whole
    /// or not at all.
    ///
    ///   mkn export --format csv --out practices.csv area:roads-winter-control
    ///   mkn export --format json --out - collection:docs
    ///   mkn export --format ndjson --bulk --out - kind:best
    ///   mkn export --format site --out public     # the web portal, any static host serves it
    ///   mkn export --format sqlite --out mkn.db --metadata metadata.json   # then: datasette mkn.db -m metadata.json
    ///   mkn export --format parquet --out tables   # tables/documents.parquet, ... for DuckDB, pandas, Spark
    #[command(verbatim_doc_comment)]
    Export(ExportArgs),

    /// Write the best practice report of one service area, as markdown or HTML
    ///
    /// The area's practices grouped by kind (best, then beneficial) and by
    /// evidence strength, each with its evidence and the computed change; the
    /// distribution of each of the area's measures in its latest reported
    /// year; and the technologies in use for the business functions the area
    /// maps to. Stamped with the commit and its date, so the same commit gives
    /// the same file. The file appears whole or not at all.
    ///
    ///   mkn report roads --out roads.html
    ///   mkn report roads-winter-control --format md --out -
    #[command(verbatim_doc_comment)]
    Report(ReportArgs),

    /// Print the JSON Schema of a collection (by name, or by kind: practice, profile).
    Schema {
        /// Collection name (`practices`) or built-in kind (`practice`, `profile`).
        collection: String,
    },

    /// Serve a language server on stdin/stdout, for editors.
    ///
    /// Inside the front matter of corpus documents the editor gets the
    /// diagnostics `mkn check` reports (from the unsaved text, as you
    /// type), completion of keys from the collection's schema and of values
    /// (service areas, municipalities, measures, business functions,
    /// related practices, enums), and hover on keys and ids. Each document
    /// belongs to the corpus of the nearest mkn.toml above it; --corpus
    /// serves only that corpus. Messages go to stderr.
    ///
    /// The editor starts `mkn lsp` itself for markdown files; point its
    /// language-server setting at the command:
    ///
    ///   Neovim 0.11+, in init.lua (the README has Neovim 0.10's vim.lsp.start):
    ///     vim.lsp.config("mkn", { cmd = { "mkn", "lsp" }, filetypes = { "markdown" },
    ///       root_markers = { "mkn.toml" } })
    ///     vim.lsp.enable("mkn")
    ///
    ///   Helix, in languages.toml:
    ///     [language-server.mkn]
    ///     command = "mkn"
    ///     args = ["lsp"]
    ///     [[language]]
    ///     name = "markdown"
    ///     language-servers = ["marksman", "mkn"]   # keep the servers you use
    ///
    ///   VS Code, with the "Generic LSP Client (v2)" extension (zsol.vscode-glspc):
    ///     "glspc.server.command": "mkn",
    ///     "glspc.server.commandArguments": ["lsp"],
    ///     "glspc.server.languageId": ["markdown"]
    ///
    /// Exit codes: 0 after the editor's shutdown and exit, 1 when it exits
    /// or disconnects without shutdown, 2 when --corpus has no mkn.toml or
    /// the input is not the protocol (a message that is not JSON-RPC).
    #[command(verbatim_doc_comment)]
    Lsp,

    /// List every rule `mkn check` applies: code, default severity, what it finds.
    ///
    /// A code, or its group (the part before `/`, such as `yaml` or `schema/`),
    /// is what `[check]` in mkn.toml, `mkn check --ignore/--select` and the
    /// suppression comments `<!-- mkn-ignore CODE -->` name. Examples:
    ///
    ///   mkn rules
    ///   mkn rules --format json
    #[command(verbatim_doc_comment)]
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
        format: RulesFormat,
    },

    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    ///
    /// Examples:
    ///
    ///   mkn completions bash > ~/.local/share/bash-completion/completions/mkn
    ///   mkn completions zsh > ~/.zfunc/_mkn        # with fpath+=~/.zfunc in .zshrc
    ///   mkn completions fish > ~/.config/fish/completions/mkn.fish
    #[command(verbatim_doc_comment)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff) to stdout, or write one page per command to a folder.
    ///
    /// Examples:
    ///
    ///   mkn man | man -l -
    ///   mkn man --out /usr/local/share/man/man1     # mkn.1, mkn-check.1, ...
    #[command(verbatim_doc_comment)]
    Man {
        /// Write `mkn.1` and a page per subcommand (`mkn-check.1`, ...) into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// Options of `mkn check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to report on (default: the whole corpus).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format [default: human, or github when GITHUB_ACTIONS=true].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<DiagnosticFormat>,

    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Report only on documents changed since this git revision (uncommitted
    /// and untracked files included), plus documents a change breaks, such as
    /// a practice still listing a deleted one in `related`.
    #[arg(long, value_name = "REV", conflicts_with = "paths")]
    pub changed_since: Option<String>,

    /// Do not report this rule code or group (`yaml`, `schema/`) in this run,
    /// whatever mkn.toml says (repeatable; `mkn rules` lists the codes).
    #[arg(long, value_name = "CODE")]
    pub ignore: Vec<String>,

    /// Report only these rule codes or groups in this run (repeatable), even
    /// those `[check] ignore` lists.
    #[arg(long, value_name = "CODE")]
    pub select: Vec<String>,

    /// Accept today's findings: write them to the baseline file
    /// (`[check] baseline`, default mkn-baseline.json) and exit 0. Later runs
    /// report only what the baseline does not hold.
    #[arg(long, conflicts_with_all = ["paths", "changed_since"])]
    pub write_baseline: bool,
}

/// Filters shared by `search` and `list`; each adds to the query's filters.
#[derive(Debug, Args, Default)]
pub struct FilterArgs {
    /// Service area (repeatable: any of them).
    #[arg(long, value_name = "ID")]
    pub area: Vec<String>,
    /// best or beneficial.
    #[arg(long)]
    pub kind: Option<String>,
    /// Implemented in or after this year.
    #[arg(long, value_name = "YEAR")]
    pub since: Option<String>,
    /// Municipality id or StatCan code (repeatable).
    #[arg(long, value_name = "ID")]
    pub municipality: Vec<String>,
    /// Tier of the municipality: upper, lower, single.
    #[arg(long)]
    pub tier: Option<String>,
    /// Region of the municipality: northern, southern.
    #[arg(long)]
    pub region: Option<String>,
    /// Population of the municipality: 20000, <20000, >=100000, 10000..50000.
    #[arg(long, value_name = "RANGE", allow_hyphen_values = true)]
    pub population: Option<String>,
    /// Tag (repeatable).
    #[arg(long)]
    pub tag: Vec<String>,
    /// Technology product (repeatable).
    #[arg(long, value_name = "PRODUCT")]
    pub tech: Vec<String>,
    /// Only this collection.
    #[arg(long)]
    pub collection: Option<String>,
}

/// Options of `mkn search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, phrases and filters (see above).
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Paging, order, facets and format.
    #[command(flatten)]
    pub listing: ListingArgs,
}

/// Options of `mkn list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Filters such as area:roads kind:best "NOT tag:gps" (optional).
    #[arg(value_name = "FILTER")]
    pub query: Vec<String>,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Paging, order, facets and format.
    #[command(flatten)]
    pub listing: ListingArgs,
}

/// How to present a listing.
#[derive(Debug, Args)]
pub struct ListingArgs {
    /// Count values of these keys over all matches, e.g. area,region,kind,year.
    #[arg(long, value_delimiter = ',', value_name = "KEYS")]
    pub facets: Vec<String>,
    /// Order of results.
    #[arg(long, value_enum, default_value_t = SortBy::Relevance)]
    pub sort: SortBy,
    /// At most this many results.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Skip this many results first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// table (fits the terminal), json, ndjson or csv; field order in the README.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Answer from the index as it stands, without looking for changed files:
    /// for scripts that run many queries after one `mkn index`.
    #[arg(long)]
    pub no_update: bool,
}

/// Options of `mkn export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Words and filters, as for search (none: every document).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// json, ndjson or csv (field order in the README), site (a folder), or
    /// sqlite (normalised tables with full-text search, for Datasette), or
    /// parquet (the same tables, a file each, in the folder --out).
    #[arg(long, value_enum)]
    pub format: crate::export::ExportFormat,
    /// The file to write; `-` writes to standard output. For `site`, the
    /// folder, replaced whole (only a folder mkn wrote, or an empty one).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// With --format ndjson: the Elasticsearch/OpenSearch bulk format (an `index` action line before each document).
    #[arg(long)]
    pub bulk: bool,
    /// The index name in bulk action lines.
    #[arg(long, default_value = "mkn", value_name = "NAME")]
    pub index_name: String,
    /// With --format sqlite: also write Datasette's metadata.json here
    /// (title, source, table and column descriptions, default facets).
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
}

/// Options of `mkn report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The service area (id in schema/service-areas.yaml).
    #[arg(value_name = "AREA")]
    pub area: String,
    /// md or html [default: from the extension of --out, else md].
    #[arg(long, value_enum)]
    pub format: Option<crate::export::report::ReportFormat>,
    /// The file to write; `-` writes to standard output.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

impl ReportArgs {
    /// The format asked for: --format, else the extension of --out, else md.
    pub fn format(&self) -> crate::export::report::ReportFormat {
        use crate::export::report::ReportFormat;
        self.format
            .or_else(|| ReportFormat::from_path(&self.out))
            .unwrap_or(ReportFormat::Md)
    }
}

/// What `mkn new` can create.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A practice in practices/<area>/<municipality>-<title>.md.
    Practice {
        /// The service area (its folder).
        #[arg(long)]
        area: String,
        /// The municipality that carried it out (registry id).
        #[arg(long)]
        municipality: String,
        /// The practice's title.
        title: String,
    },
    /// A technology profile in infobase/<municipality>.md.
    Profile {
        /// The municipality (registry id).
        municipality: String,
    },
}

/// What `mkn tech` can list. Field orders are in the README.
#[derive(Debug, Subcommand)]
pub enum TechCommand {
    /// Each product with vendor, municipalities using it (by tier and
    /// region), mean rating and number of ratings, most used first.
    Products {
        /// Only entries for this business function (id or name).
        #[arg(long, value_name = "FUNCTION")]
        function: Option<String>,
        /// Only entries of this category.
        #[arg(long, value_parser = ["software", "hardware", "service"])]
        category: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// The municipalities that list a product, with version, since, status,
    /// rating, review and contact.
    WhoUses {
        /// Product name (case, spacing and a typo are forgiven).
        product: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// One municipality's stack, by business function.
    Profile {
        /// Municipality id, StatCan code or name.
        municipality: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Two or more municipalities' stacks side by side.
    Compare {
        /// Municipality ids, StatCan codes or names.
        #[arg(required = true, num_args = 2.., value_name = "MUNICIPALITY")]
        municipalities: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Municipalities like this one (same tier, region, population band) and
    /// what they use for a business function, with ratings: who to call.
    Peers {
        /// Municipality id, StatCan code or name.
        municipality: String,
        /// Business function (id or name).
        #[arg(long, value_name = "FUNCTION")]
        function: String,
        /// At most this many entries.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Adoptions, retirements, rating moves and version upgrades, from the
    /// git history of the profiles, newest first.
    Changes {
        /// Only commits on or after this date (YYYY-MM-DD or YYYY).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

/// What `mkn import` can bring in.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Reported measure values from a CSV file into data/measures/<name>.csv.
    ///
    /// Municipality names are mapped to registry ids: case, accents and
    /// punctuation do not count, `Sudbury (Greater)` is Greater Sudbury, a
    /// leading `City of` or `Region of` says the tier. A name shared by several
    /// municipalities (Waterloo the city and the region) is left out unless
    /// --prefer or a --map file decides. Names that cannot be mapped, rows
    /// without a value and bad rows are listed and left out; nothing is
    /// guessed. Exit code 1 when bad rows were left out.
    ///
    ///   mkn import measures results.csv --name mbnc --measure-column measure_number \
    ///       --year-column fiscal_year --value-column result --prefer upper   # template: your CSV
    #[command(verbatim_doc_comment)]
    Measures(ImportMeasuresArgs),
}

/// Options of `mkn import measures`.
#[derive(Debug, Args)]
pub struct ImportMeasuresArgs {
    /// The CSV file, with a header row.
    pub file: PathBuf,
    /// Name of the data file to write (default: the input's file name).
    #[arg(long)]
    pub name: Option<String>,
    /// Column with the municipality's name, id or StatCan code.
    #[arg(long, default_value = "municipality", value_name = "COLUMN")]
    pub municipality_column: String,
    /// Column with the measure id.
    #[arg(long, default_value = "measure", value_name = "COLUMN")]
    pub measure_column: String,
    /// Column with the year.
    #[arg(long, default_value = "year", value_name = "COLUMN")]
    pub year_column: String,
    /// Column with the value.
    #[arg(long, default_value = "value", value_name = "COLUMN")]
    pub value_column: String,
    /// Column with the numerator [default: `numerator`, if present].
    #[arg(long, value_name = "COLUMN")]
    pub numerator_column: Option<String>,
    /// Column with the denominator [default: `denominator`, if present].
    #[arg(long, value_name = "COLUMN")]
    pub denominator_column: Option<String>,
    /// For a name shared by tiers: upper (upper and single tiers) or lower
    /// (lower and single tiers).
    #[arg(long, value_enum)]
    pub prefer: Option<crate::measures::names::Prefer>,
    /// A CSV file `name,id` that maps names first; an empty id leaves the name out.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Replace the data file if it exists.
    #[arg(long)]
    pub replace: bool,
}

/// Options of `mkn measures`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MeasuresArgs {
    /// Explain one measure.
    #[command(subcommand)]
    pub command: Option<MeasuresCommand>,
    /// Words to find in the id, name, unit or definition (all must match).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Only measures of this service area.
    #[arg(long, value_name = "ID")]
    pub area: Option<String>,
    /// table, json, ndjson or csv.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// Subcommands of `mkn measures`.
#[derive(Debug, Subcommand)]
pub enum MeasuresCommand {
    /// Definition, direction and reason, who reports it and for which years.
    Show {
        /// Measure id.
        id: String,
        /// table or json.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

/// Options of `mkn measure`.
#[derive(Debug, Args)]
pub struct MeasureArgs {
    /// Measure id.
    pub id: String,
    /// The year to compare (default: the latest year with values).
    #[arg(long)]
    pub year: Option<i32>,
    /// Only municipalities of this tier: upper, lower, single.
    #[arg(long)]
    pub tier: Option<String>,
    /// Only municipalities of this region: northern, southern.
    #[arg(long)]
    pub region: Option<String>,
    /// Place this municipality against its peer group, with its trend.
    #[arg(long, value_name = "ID")]
    pub municipality: Option<String>,
    /// table, json, ndjson or csv.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// The command line as `--help` shows it: [`Cli`]'s, with each command's
/// examples in a section of their own that is never wrapped ([`help_parts`]).
pub fn command() -> clap::Command {
    with_examples(Cli::command())
}

/// Parses the process's arguments; exits as clap does on bad usage (code 2),
/// `--help` and `--version`. The help with its examples section
/// ([`command`]) is built only when help is asked for, not at every start.
pub fn parse() -> Cli {
    use clap::error::ErrorKind;
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            command().get_matches()
        }
        Err(e) => e.exit(),
    };
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// `command` and its subcommands with their examples moved out of the text
/// clap wraps into the help template, whose literal text clap prints as it is.
fn with_examples(command: clap::Command) -> clap::Command {
    let parts = command
        .get_long_about()
        .map(|text| help_parts(&text.to_string()));
    let command = match parts {
        Some((prose, examples)) if !examples.is_empty() => command
            .long_about(prose)
            .help_template(format!(
                "{{before-help}}{{about-with-newline}}\nExamples:\n{}\n\n{{usage-heading}} {{usage}}\n\n{{all-args}}{{after-help}}",
                examples.join("\n")
            )),
        Some((prose, _)) => command.long_about(prose),
        None => command,
    };
    command.mut_subcommands(with_examples)
}

/// Splits a doc comment written with its line breaks
/// (`verbatim_doc_comment`) into prose for clap to wrap at the terminal's
/// width, each paragraph's lines joined so that it flows, and example lines:
/// blocks of indented `mkn` command lines (a line ending in `\\` goes on in
/// the next), without braces (clap's template language). A
/// sentence that led into examples ("... Examples:", "... that look:") ends
/// with a full stop instead. Other indented lines (a configuration snippet)
/// stay in the prose, a line each.
fn help_parts(text: &str) -> (String, Vec<String>) {
    let mut prose: Vec<String> = Vec::new();
    let mut examples = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block.lines().map(str::trim_end).collect();
        let example = lines.iter().enumerate().all(|(i, line)| {
            let continued = i > 0 && lines[i - 1].ends_with('\\');
            (line.starts_with("  mkn ") || continued && line.starts_with("  "))
                && !line.contains(['{', '}'])
        });
        if example && !lines.is_empty() {
            examples.extend(lines.iter().map(|l| l.to_string()));
            if let Some(last) = prose.last_mut() {
                let lead = last.strip_suffix("Examples:").unwrap_or(last).trim_end();
                *last = match lead.strip_suffix(':') {
                    Some(sentence) => format!("{sentence}."),
                    None => lead.to_string(),
                };
            }
            prose.retain(|p| !p.is_empty());
            continue;
        }
        let mut paragraph: Vec<String> = Vec::new();
        let mut in_prose = false;
        for line in lines {
            let flows = !line.is_empty() && !line.starts_with(' ');
            match paragraph.last_mut() {
                Some(last) if flows && in_prose => {
                    last.push(' ');
                    last.push_str(line);
                }
                _ => paragraph.push(line.to_string()),
            }
            in_prose = flows;
        }
        prose.push(paragraph.join("\n"));
    }
    (prose.join("\n\n"), examples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_paragraphs_flow_and_examples_keep_their_lines() {
        let text = "Check it.\n\nReports every problem, each\nwith a hint. Examples:\n\n  mkn check   # all\n  mkn check x\n\nRules are\nconfigured:\n\n  mkn check y\n\nIn Helix:\n  [language-server.mkn]\n  command = { x }\n\n  mkn import a \\\n      --b c";
        let (prose, examples) = help_parts(text);
        assert_eq!(
            prose,
            "Check it.\n\nReports every problem, each with a hint.\n\nRules are configured.\n\nIn Helix:\n  [language-server.mkn]\n  command = { x }"
        );
        assert_eq!(
            examples,
            [
                "  mkn check   # all",
                "  mkn check x",
                "  mkn check y",
                "  mkn import a \\",
                "      --b c"
            ]
        );
        let (_, none) = help_parts("Examples:\n\n  mkn new profile guelph");
        assert_eq!(none, ["  mkn new profile guelph"]);
    }

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
