//! `mkn export --format sqlite`: the documents a query matches, and the
//! reference data they point into, as normalised tables for analysts' tools.
//!
//! [`TABLES`] defines every table, column and foreign key once; the SQLite
//! writer creates them from it, and the Datasette `metadata.json` describes
//! them from it. The documents and what hangs off them (areas,
//! municipalities, evidence, sources, technologies) are the ones the query
//! matched; the reference tables (registry, areas, measure catalogue,
//! reported measure values, technology directory) are always whole.
//!
//! A reference that does not resolve (an area, municipality or measure the
//! vocabulary does not know) keeps its text as written and leaves the foreign
//! key column empty, so `PRAGMA foreign_key_check` stays clean and nothing
//! the document says is lost.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, Transaction, params_from_iter};

use crate::corpus::Corpus;
use crate::corpus::vocab::{Direction, Vocabularies};
use crate::corpus::yaml::Node;
use crate::diagnostic::Span;
use crate::error::Error;
use crate::export::ExportRow;
use crate::export::spool::Spool;
use crate::infobase::Directory;
use crate::measures::data::Dataset;

/// One column of a table.
pub struct Column {
    /// Its name.
    pub name: &'static str,
    /// Its SQLite type and constraints (`TEXT NOT NULL`, `INTEGER`).
    pub sql: &'static str,
    /// The table and column it refers to, for a foreign key.
    pub references: Option<(&'static str, &'static str)>,
    /// What it holds, for people (Datasette shows it).
    pub description: &'static str,
}

/// One table: its columns in order, its primary key and what it holds.
pub struct Table {
    /// Its name.
    pub name: &'static str,
    /// What one row is.
    pub description: &'static str,
    /// Its columns.
    pub columns: &'static [Column],
    /// The primary key's columns (empty: SQLite's rowid).
    pub primary_key: &'static [&'static str],
    /// The columns Datasette offers as facets when the table opens.
    pub facets: &'static [&'static str],
}

/// A column (shorthand for the table definitions).
const fn col(name: &'static str, sql: &'static str, description: &'static str) -> Column {
    Column {
        name,
        sql,
        references: None,
        description,
    }
}

/// A foreign-key column.
const fn fk(
    name: &'static str,
    table: &'static str,
    column: &'static str,
    description: &'static str,
) -> Column {
    Column {
        name,
        sql: "TEXT",
        references: Some((table, column)),
        description,
    }
}

/// The link back to the document a row belongs to.
const DOCUMENT: Column = Column {
    name: "document_id",
    sql: "TEXT NOT NULL",
    references: Some(("documents", "id")),
    description: "The document (documents.id).",
};

/// The position of an entry in its document's list, from 0.
const POSITION: Column = col(
    "position",
    "INTEGER NOT NULL",
    "Its place in the document's list, from 0.",
);

/// The documents table; the extra columns of front-matter scalars follow these.
pub const DOCUMENTS: Table = Table {
    name: "documents",
    description: "One row per exported document. `front_matter` holds the whole front matter as JSON; \
                  its other top-level scalar keys follow as typed columns.",
    columns: &[
        col("id", "TEXT NOT NULL", "Document id."),
        col("collection", "TEXT NOT NULL", "Collection (mkn.toml)."),
        col(
            "path",
            "TEXT NOT NULL",
            "File, relative to the corpus root.",
        ),
        col(
            "commit",
            "TEXT NOT NULL",
            "The commit the corpus was exported from.",
        ),
        col(
            "title",
            "TEXT NOT NULL",
            "Title (`title` or `name`, else the id).",
        ),
        col("kind", "TEXT", "best or beneficial (practices)."),
        col("year", "INTEGER", "Year implemented."),
        col("status", "TEXT", "active, pilot or retired."),
        col(
            "evidence_strength",
            "TEXT",
            "limited, moderate or strong, computed from the evidence.",
        ),
        col("summary", "TEXT", "Summary (or description)."),
        col("body", "TEXT", "The body as plain text, without markup."),
        col("front_matter", "TEXT", "The front matter as JSON."),
    ],
    primary_key: &["id"],
    facets: &["collection", "kind", "status"],
};

/// Every table, parents before children.
pub const TABLES: &[Table] = &[
    Table {
        name: "areas",
        description: "The service areas (vocabulary).",
        columns: &[
            col("id", "TEXT NOT NULL", "Area id."),
            col("name", "TEXT NOT NULL", "Name."),
            col("description", "TEXT", "What it covers."),
        ],
        primary_key: &["id"],
        facets: &[],
    },
    Table {
        name: "municipalities",
        description: "The municipal registry.",
        columns: &[
            col("id", "TEXT NOT NULL", "Readable id."),
            col(
                "statcan_code",
                "TEXT NOT NULL",
                "Statistics Canada code (CSD or CD).",
            ),
            col("name", "TEXT NOT NULL", "Name."),
            col("status", "TEXT", "City, town, township, county, ..."),
            col("tier", "TEXT", "upper, lower or single."),
            fk(
                "upper_tier",
                "municipalities",
                "id",
                "The upper tier, for lower tiers.",
            ),
            col("region", "TEXT", "northern or southern."),
            col("population", "INTEGER", "2021 census population."),
        ],
        primary_key: &["id"],
        facets: &["tier", "region"],
    },
    Table {
        name: "measures",
        description: "The measure catalogue.",
        columns: &[
            col("id", "TEXT NOT NULL", "Measure id."),
            col("name", "TEXT NOT NULL", "Name."),
            fk("area", "areas", "id", "Service area."),
            col(
                "better",
                "TEXT",
                "lower or higher: which way is an improvement.",
            ),
            col("unit", "TEXT", "Unit."),
            col(
                "category",
                "TEXT",
                "Efficiency, effectiveness, statistic, ...",
            ),
            col("reason", "TEXT", "Why the better direction is better."),
            col("numerator", "TEXT", "What is counted above the line."),
            col("denominator", "TEXT", "What it is divided by."),
        ],
        primary_key: &["id"],
        facets: &["area", "better"],
    },
    Table {
        name: "measure_values",
        description: "The reported values (data/measures): one per municipality, measure and year.",
        columns: &[
            fk("municipality", "municipalities", "id", "Municipality."),
            fk("measure", "measures", "id", "Measure."),
            col("year", "INTEGER NOT NULL", "Year reported."),
            col("value", "REAL NOT NULL", "Value."),
            col("numerator", "REAL", "Numerator, where reported."),
            col("denominator", "REAL", "Denominator, where reported."),
        ],
        primary_key: &[],
        facets: &["measure", "year"],
    },
    Table {
        name: "tech_entries",
        description: "The technology directory: who runs which product for which business function.",
        columns: &[
            fk("municipality", "municipalities", "id", "Municipality."),
            col("function", "TEXT", "Business function."),
            col("product", "TEXT NOT NULL", "Product."),
            col("vendor", "TEXT", "Vendor."),
            col("category", "TEXT", "Category."),
            col("version", "TEXT", "Version."),
            col("since", "INTEGER", "Year in use since."),
            col("status", "TEXT", "Status (in use, planned, retired, ...)."),
            col("rating", "INTEGER", "Rating from 1 to 5."),
        ],
        primary_key: &[],
        facets: &["function", "status"],
    },
    DOCUMENTS,
    Table {
        name: "document_areas",
        description: "The service areas of each document.",
        columns: &[
            DOCUMENT,
            POSITION,
            col("area", "TEXT NOT NULL", "The area as written."),
            fk(
                "area_id",
                "areas",
                "id",
                "The area, when the vocabulary knows it.",
            ),
        ],
        primary_key: &["document_id", "position"],
        facets: &["area"],
    },
    Table {
        name: "document_municipalities",
        description: "The municipalities of each document.",
        columns: &[
            DOCUMENT,
            POSITION,
            col(
                "municipality",
                "TEXT NOT NULL",
                "The municipality as written (id or StatCan code).",
            ),
            fk(
                "municipality_id",
                "municipalities",
                "id",
                "The municipality, when the registry knows it.",
            ),
        ],
        primary_key: &["document_id", "position"],
        facets: &["municipality_id"],
    },
    Table {
        name: "evidence",
        description: "The evidence of each practice: a measure before and after, with the computed change.",
        columns: &[
            DOCUMENT,
            POSITION,
            col("measure", "TEXT NOT NULL", "The measure as written."),
            fk(
                "measure_id",
                "measures",
                "id",
                "The measure, when the catalogue knows it.",
            ),
            fk(
                "municipality",
                "municipalities",
                "id",
                "The municipality the figures are for.",
            ),
            col("baseline_year", "INTEGER NOT NULL", "Baseline year."),
            col("baseline_value", "REAL NOT NULL", "Baseline value."),
            col("result_year", "INTEGER NOT NULL", "Result year."),
            col("result_value", "REAL NOT NULL", "Result value."),
            col("change", "REAL NOT NULL", "Result minus baseline."),
            col(
                "relative_change",
                "REAL",
                "Change over the baseline (empty when the baseline is 0).",
            ),
            col("better", "TEXT", "lower or higher, from the catalogue."),
            col(
                "improved",
                "INTEGER",
                "1 when it moved the better way, 0 when not, empty when unknown.",
            ),
        ],
        primary_key: &["document_id", "position"],
        facets: &["measure", "improved"],
    },
    Table {
        name: "sources",
        description: "The sources each practice cites.",
        columns: &[
            DOCUMENT,
            POSITION,
            col("url", "TEXT", "Address."),
            col("title", "TEXT", "Title."),
            col("publisher", "TEXT", "Publisher."),
            col("date", "TEXT", "Date published."),
        ],
        primary_key: &["document_id", "position"],
        facets: &["publisher"],
    },
    Table {
        name: "document_technologies",
        description: "The technologies each practice names.",
        columns: &[
            DOCUMENT,
            POSITION,
            col("product", "TEXT", "Product."),
            col("vendor", "TEXT", "Vendor."),
            col("function", "TEXT", "Business function."),
        ],
        primary_key: &["document_id", "position"],
        facets: &["vendor", "function"],
    },
];

/// The full-text index over the documents' title, summary and body, as
/// `sqlite-utils enable-fts` makes it (`content="documents"`): Datasette finds
/// it by that and shows a search box on the documents table.
const FTS: &str = "CREATE VIRTUAL TABLE \"documents_fts\" USING FTS5 (title, summary, body, content=\"documents\");
INSERT INTO \"documents_fts\" (\"documents_fts\") VALUES ('rebuild');";

/// What the export wrote: the number of documents.
pub struct Written {
    /// Documents written.
    pub documents: usize,
}

/// Everything the tables are filled from.
pub struct Sources<'a> {
    /// The corpus.
    pub corpus: &'a Corpus,
    /// Its vocabularies.
    pub vocab: &'a Vocabularies,
    /// The reported measure values.
    pub data: &'a Dataset,
    /// The technology directory.
    pub directory: &'a Directory,
}

/// The documents of an export, handed one by one to the function given:
/// the stream an export's tables are written from.
pub type Documents<'a> =
    dyn FnOnce(&mut dyn FnMut(DocumentRows) -> Result<(), Error>) -> Result<(), Error> + 'a;

/// Writes the tables to a SQLite file at `out`, through a temporary file
/// beside it renamed into place: the file appears whole or not at all.
/// `documents` hands over each document's rows, in order.
pub fn write_sqlite(
    sources: &Sources,
    documents: Box<Documents>,
    out: &Path,
) -> Result<Written, Error> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = super::temp_builder(super::FILE_MODE)
        .suffix(".sqlite")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?
        .into_temp_path();
    let sql = |e: rusqlite::Error| Error::io(out, std::io::Error::other(e));
    let mut db = Connection::open(&tmp).map_err(sql)?;
    // Rows go in table by table, and a lower tier may come before its upper
    // tier: the keys are checked once everything is in, below.
    db.pragma_update(None, "foreign_keys", false).map_err(sql)?;
    let tx = db.transaction().map_err(sql)?;
    for table in TABLES.iter().filter(|t| t.name != DOCUMENTS.name) {
        create(&tx, table, &[]).map_err(sql)?;
    }
    tx.execute_batch(
        "CREATE INDEX idx_measure_values_measure_municipality ON measure_values(measure, municipality, year)",
    )
    .map_err(sql)?;
    let mut sink = SqliteSink { tx: &tx, out };
    let written = fill(&mut sink, sources, documents, dir)?;
    tx.execute_batch(FTS).map_err(sql)?;
    let dangling: Vec<String> = tx
        .prepare("PRAGMA foreign_key_check")
        .and_then(|mut check| {
            check
                .query_map([], |r| {
                    Ok(format!(
                        "{} → {}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(2)?
                    ))
                })?
                .collect()
        })
        .map_err(sql)?;
    if let Some(first) = dangling.first() {
        return Err(Error::io(
            out,
            std::io::Error::other(format!("{} rows refer to no row ({first})", dangling.len())),
        ));
    }
    tx.commit().map_err(sql)?;
    db.close().map_err(|(_, e)| sql(e))?;
    tmp.persist(out).map_err(|e| Error::io(out, e.error))?;
    Ok(written)
}

/// The top-level scalar front-matter keys that are not columns already, with
/// the SQLite type their values share.
#[derive(Default)]
pub struct ScalarColumns {
    /// (key, SQLite type) in first-seen order.
    pub(crate) columns: Vec<(String, &'static str)>,
}

impl ScalarColumns {
    /// Takes in the scalar keys of the next document's front matter.
    fn add(&mut self, scalars: &[(String, Sql)]) {
        let taken = |key: &str| {
            DOCUMENTS
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(key))
        };
        for (key, value) in scalars {
            if taken(key) {
                continue;
            }
            let kind = sql_type(value);
            match self
                .columns
                .iter_mut()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
            {
                Some((_, seen)) => *seen = widen(seen, kind),
                None => self.columns.push((key.clone(), kind)),
            }
        }
    }

    /// The value of each column for a document with these scalars,
    /// converted to the column's type.
    fn values(&self, scalars: Vec<(String, Sql)>) -> Vec<Sql> {
        let found: BTreeMap<String, Sql> = scalars
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        self.columns
            .iter()
            .map(|(key, kind)| match found.get(&key.to_ascii_lowercase()) {
                Some(Sql::Integer(i)) if *kind == "REAL" => Sql::Real(*i as f64),
                Some(Sql::Integer(i)) if *kind == "TEXT" => Sql::Text(i.to_string()),
                Some(Sql::Real(f)) if *kind == "TEXT" => Sql::Text(f.to_string()),
                Some(v) => v.clone(),
                None => Sql::Null,
            })
            .collect()
    }
}

/// The top-level scalar entries of a front matter, as SQL values (booleans as 0 or 1).
fn scalars(front: Option<&Node>) -> Vec<(String, Sql)> {
    front
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| {
            let value = match v.to_json() {
                serde_json::Value::Bool(b) => Sql::Integer(i64::from(b)),
                serde_json::Value::Number(n) => match n.as_i64() {
                    Some(i) => Sql::Integer(i),
                    None => Sql::Real(n.as_f64()?),
                },
                serde_json::Value::String(s) => Sql::Text(s),
                _ => return None,
            };
            Some((k.key_text(), value))
        })
        .collect()
}

/// The SQLite type of a value.
fn sql_type(value: &Sql) -> &'static str {
    match value {
        Sql::Integer(_) => "INTEGER",
        Sql::Real(_) => "REAL",
        _ => "TEXT",
    }
}

/// The type that holds values of both types: INTEGER and REAL make REAL, any other mix TEXT.
fn widen(a: &'static str, b: &'static str) -> &'static str {
    match (a, b) {
        _ if a == b => a,
        ("INTEGER", "REAL") | ("REAL", "INTEGER") => "REAL",
        _ => "TEXT",
    }
}

/// Quotes an identifier for SQL.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The `CREATE TABLE` statement of a table, with `extra` columns appended.
fn create_sql(table: &Table, extra: &[(String, &'static str)]) -> String {
    let mut parts: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{} {}", ident(c.name), c.sql))
        .chain(extra.iter().map(|(k, t)| format!("{} {t}", ident(k))))
        .collect();
    if !table.primary_key.is_empty() {
        let keys: Vec<String> = table.primary_key.iter().map(|k| ident(k)).collect();
        parts.push(format!("PRIMARY KEY ({})", keys.join(", ")));
    }
    for c in table.columns {
        if let Some((parent, key)) = c.references {
            parts.push(format!(
                "FOREIGN KEY ({}) REFERENCES {}({})",
                ident(c.name),
                ident(parent),
                ident(key)
            ));
        }
    }
    format!(
        "CREATE TABLE {} (\n  {}\n)",
        ident(table.name),
        parts.join(",\n  ")
    )
}

/// Creates a table, with `extra` columns, and an index on each join column.
fn create(
    tx: &Transaction,
    table: &Table,
    extra: &[(String, &'static str)],
) -> rusqlite::Result<()> {
    tx.execute_batch(&create_sql(table, extra))?;
    for c in table.columns.iter().filter(|c| c.references.is_some()) {
        tx.execute_batch(&format!(
            "CREATE INDEX {} ON {}({})",
            ident(&format!("idx_{}_{}", table.name, c.name)),
            ident(table.name),
            ident(c.name)
        ))?;
    }
    Ok(())
}

/// Where the rows of the tables go, table by table.
pub trait Sink {
    /// Makes the documents table, with its scalar columns (known once every
    /// document is read); its rows come after.
    fn documents_table(&mut self, extra: &ScalarColumns) -> Result<(), Error>;

    /// Takes one row of `table`, values in column order (a document's extra
    /// scalar columns after the defined ones).
    fn row(&mut self, table: &'static Table, values: Vec<Sql>) -> Result<(), Error>;
}

/// Rows inserted into a SQLite database, in one transaction.
struct SqliteSink<'a> {
    /// The open transaction.
    tx: &'a Transaction<'a>,
    /// The database file, for errors.
    out: &'a Path,
}

impl Sink for SqliteSink<'_> {
    fn documents_table(&mut self, extra: &ScalarColumns) -> Result<(), Error> {
        create(self.tx, &DOCUMENTS, &extra.columns)
            .map_err(|e| Error::io(self.out, std::io::Error::other(e)))
    }

    fn row(&mut self, table: &'static Table, values: Vec<Sql>) -> Result<(), Error> {
        let marks = vec!["?"; values.len()].join(", ");
        let sql = format!("INSERT INTO {} VALUES ({marks})", ident(table.name));
        self.tx
            .prepare_cached(&sql)
            .and_then(|mut insert| insert.execute(params_from_iter(values)))
            .map_err(|e| Error::io(self.out, std::io::Error::other(e)))?;
        Ok(())
    }
}

/// The table named `name`.
fn table(name: &str) -> &'static Table {
    TABLES
        .iter()
        .find(|t| t.name == name)
        .expect("every table written is defined in TABLES")
}

/// Optional text.
fn text(value: Option<&str>) -> Sql {
    value.map_or(Sql::Null, |s| Sql::Text(s.to_string()))
}

/// A direction as text.
fn direction(better: Option<Direction>) -> Sql {
    match better {
        Some(Direction::Lower) => Sql::Text("lower".into()),
        Some(Direction::Higher) => Sql::Text("higher".into()),
        None => Sql::Null,
    }
}

/// Sends every row of every table to `sink`: the reference tables, then
/// each document's rows as `documents` hands them over (its rows of the
/// documents table wait in a spool in `dir` until the scalar columns are
/// known, then go in, in order).
pub(crate) fn fill(
    sink: &mut dyn Sink,
    sources: &Sources,
    documents: Box<Documents>,
    dir: &Path,
) -> Result<Written, Error> {
    fill_reference(sink, sources)?;
    let mut spool = Spool::new(dir).map_err(|e| Error::io(dir, e))?;
    let mut extra = ScalarColumns::default();
    let mut count = 0;
    let mut last: Option<(String, String)> = None;
    documents(&mut |doc: DocumentRows| {
        // Documents come by id: two with one id come one after the other.
        if let Some((id, first)) = &last
            && *id == doc.id
        {
            return Err(duplicate_id(&doc, first));
        }
        for (table, values) in doc.rows {
            sink.row(table, values)?;
        }
        extra.add(&doc.scalars);
        let mut spooled = doc.documents;
        for (key, value) in doc.scalars {
            spooled.push(Sql::Text(key));
            spooled.push(value);
        }
        spool.push(&spooled).map_err(|e| Error::io(dir, e))?;
        count += 1;
        last = Some((doc.id, doc.path));
        Ok(())
    })?;
    sink.documents_table(&extra)?;
    let fixed = DOCUMENTS.columns.len();
    spool.replay(|mut row| {
        let mut pairs = row.split_off(fixed.min(row.len())).into_iter();
        let mut scalars = Vec::new();
        while let (Some(Sql::Text(key)), Some(value)) = (pairs.next(), pairs.next()) {
            scalars.push((key, value));
        }
        row.extend(extra.values(scalars));
        sink.row(&DOCUMENTS, row)
    })?;
    Ok(Written { documents: count })
}

/// Two documents with one id: `documents.id` is the key every other table
/// refers to. The error stands at the second document's `id`.
fn duplicate_id(second: &DocumentRows, first: &str) -> Error {
    let diagnostic = crate::diagnostic::Diagnostic::error(
        Path::new(&second.path),
        second.id_span,
        "id/duplicate",
        format!(
            "`{}` is also the id of {first}: the tables need each id once",
            second.id
        ),
    )
    .with_hint("give one of them another id (`mkn check` lists every duplicate)");
    Error::Invalid(Box::new(diagnostic))
}

/// Fills the reference tables: areas, registry, measure catalogue, reported values, directory.
fn fill_reference(sink: &mut dyn Sink, sources: &Sources) -> Result<(), Error> {
    let vocab = sources.vocab;
    for area in vocab.areas.iter().flat_map(|a| a.iter()) {
        sink.row(
            table("areas"),
            vec![
                Sql::Text(area.id.clone()),
                Sql::Text(area.name.clone()),
                text(area.description.as_deref()),
            ],
        )?;
    }
    let registry = vocab.municipalities.as_ref();
    for m in registry.iter().flat_map(|r| r.table.iter()) {
        sink.row(
            table("municipalities"),
            vec![
                Sql::Text(m.id.clone()),
                Sql::Text(m.statcan_code.clone()),
                Sql::Text(m.name.clone()),
                Sql::Text(m.status.clone()),
                Sql::Text(m.tier.clone()),
                text(municipality_id(vocab, m.upper_tier.as_deref())),
                Sql::Text(m.region.clone()),
                m.population.map_or(Sql::Null, |p| Sql::Integer(p as i64)),
            ],
        )?;
    }
    for m in vocab.measures.iter().flat_map(|t| t.iter()) {
        sink.row(
            table("measures"),
            vec![
                Sql::Text(m.id.clone()),
                Sql::Text(m.name.clone()),
                text(area_id(vocab, m.area.as_deref())),
                direction(m.better),
                text(m.unit.as_deref()),
                text(m.category.as_deref()),
                text(m.reason.as_deref()),
                text(m.numerator.as_deref()),
                text(m.denominator.as_deref()),
            ],
        )?;
    }
    for o in &sources.data.observations {
        sink.row(
            table("measure_values"),
            vec![
                text(municipality_id(vocab, Some(&o.municipality))),
                text(measure_id(vocab, Some(&o.measure))),
                Sql::Integer(i64::from(o.year)),
                Sql::Real(o.value),
                o.numerator.map_or(Sql::Null, Sql::Real),
                o.denominator.map_or(Sql::Null, Sql::Real),
            ],
        )?;
    }
    for u in &sources.directory.usages {
        sink.row(
            table("tech_entries"),
            vec![
                text(municipality_id(vocab, Some(&u.municipality))),
                Sql::Text(u.function.clone()),
                Sql::Text(u.product.clone()),
                Sql::Text(u.vendor.clone()),
                Sql::Text(u.category.clone()),
                text(u.version.as_deref()),
                u.since.map_or(Sql::Null, Sql::Integer),
                Sql::Text(u.status.clone()),
                u.rating.map_or(Sql::Null, |r| Sql::Integer(i64::from(r))),
            ],
        )?;
    }
    Ok(())
}

/// The registry id of a municipality id or StatCan code, when the registry knows it.
fn municipality_id<'a>(vocab: &'a Vocabularies, given: Option<&str>) -> Option<&'a str> {
    let m = vocab.municipalities.as_ref()?.resolve(given?)?;
    Some(m.id.as_str())
}

/// The area id, when the vocabulary knows it.
fn area_id<'a>(vocab: &'a Vocabularies, given: Option<&str>) -> Option<&'a str> {
    Some(vocab.areas.as_ref()?.get(given?)?.id.as_str())
}

/// The measure id, when the catalogue knows it.
fn measure_id<'a>(vocab: &'a Vocabularies, given: Option<&str>) -> Option<&'a str> {
    Some(vocab.measures.as_ref()?.get(given?)?.id.as_str())
}

/// One document's rows in every table, made apart from the others' (in
/// parallel) and written in the export's order.
pub struct DocumentRows {
    /// Its id.
    id: String,
    /// Its file, relative to the corpus root.
    path: String,
    /// Where its `id` key stands (the start of the file when it has none).
    id_span: Span,
    /// Its row of the documents table, without the scalar columns.
    documents: Vec<Sql>,
    /// Its top-level scalar keys and values, for the scalar columns.
    scalars: Vec<(String, Sql)>,
    /// Its rows of the tables that hang off it, in order.
    rows: Vec<(&'static Table, Vec<Sql>)>,
}

/// The rows of a document: its export row and its body as plain text.
pub fn document_rows(sources: &Sources, row: &ExportRow, body: String) -> DocumentRows {
    let vocab = sources.vocab;
    let front = row.front_matter.as_ref();
    let documents = vec![
        Sql::Text(row.id.clone()),
        Sql::Text(row.collection.clone()),
        Sql::Text(row.path.clone()),
        Sql::Text(row.commit.clone()),
        Sql::Text(row.title.clone()),
        non_empty(&row.kind),
        row.year.map_or(Sql::Null, Sql::Integer),
        non_empty(&row.status),
        row.evidence_strength
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(|v| v.as_str().map(|s| Sql::Text(s.to_string())))
            .unwrap_or(Sql::Null),
        non_empty(&row.summary),
        Sql::Text(body),
        front.map_or(Sql::Null, |f| Sql::Text(f.to_json().to_string())),
    ];
    let mut rows = Vec::new();
    let mut sink = |table: &'static Table, values: Vec<Sql>| rows.push((table, values));
    let id = || Sql::Text(row.id.clone());
    for (i, area) in row.areas.iter().enumerate() {
        sink(
            table("document_areas"),
            vec![
                id(),
                Sql::Integer(i as i64),
                Sql::Text(area.clone()),
                text(area_id(vocab, Some(area))),
            ],
        );
    }
    for (i, m) in row.municipalities.iter().enumerate() {
        sink(
            table("document_municipalities"),
            vec![
                id(),
                Sql::Integer(i as i64),
                Sql::Text(m.clone()),
                text(municipality_id(vocab, Some(m))),
            ],
        );
    }
    for (i, e) in row.evidence.iter().enumerate() {
        sink(
            table("evidence"),
            vec![
                id(),
                Sql::Integer(i as i64),
                Sql::Text(e.measure.clone()),
                text(measure_id(vocab, Some(&e.measure))),
                text(municipality_id(vocab, e.municipality.as_deref())),
                Sql::Integer(e.baseline.0),
                Sql::Real(e.baseline.1),
                Sql::Integer(e.result.0),
                Sql::Real(e.result.1),
                Sql::Real(e.change.absolute),
                e.change.relative.map_or(Sql::Null, Sql::Real),
                direction(e.better),
                e.change
                    .improved
                    .map_or(Sql::Null, |b| Sql::Integer(i64::from(b))),
            ],
        );
    }
    // Sources and technologies are the practice schema's: elsewhere the same
    // keys may mean something else (a profile's technologies are the directory's).
    let entries = |key: &str| {
        front
            .filter(|_| row.practice)
            .and_then(|f| f.get(key))
            .map_or(&[][..], Node::items)
    };
    let field = |entry: &Node, key: &str| text(entry.get(key).and_then(Node::as_str));
    for (i, s) in entries("sources").iter().enumerate() {
        sink(
            table("sources"),
            vec![
                id(),
                Sql::Integer(i as i64),
                field(s, "url"),
                field(s, "title"),
                field(s, "publisher"),
                field(s, "date"),
            ],
        );
    }
    for (i, t) in entries("technologies").iter().enumerate() {
        sink(
            table("document_technologies"),
            vec![
                id(),
                Sql::Integer(i as i64),
                field(t, "product"),
                field(t, "vendor"),
                field(t, "function"),
            ],
        );
    }
    DocumentRows {
        id: row.id.clone(),
        path: row.path.clone(),
        id_span: front
            .and_then(|f| f.entry("id"))
            .map(|(key, _)| key.span)
            .unwrap_or_default(),
        documents,
        scalars: scalars(front),
        rows,
    }
}

/// Text, or NULL when empty.
fn non_empty(s: &str) -> Sql {
    if s.is_empty() {
        Sql::Null
    } else {
        Sql::Text(s.to_string())
    }
}

/// The Datasette `metadata.json` of an export: the corpus title, where the
/// data comes from, and a description of every table and column, with
/// default facets and the full-text search of the documents.
pub fn datasette_metadata(title: &str, commit: &str, database: &str) -> serde_json::Value {
    let tables: serde_json::Map<String, serde_json::Value> = TABLES
        .iter()
        .map(|t| {
            let columns: serde_json::Map<String, serde_json::Value> = t
                .columns
                .iter()
                .map(|c| (c.name.to_string(), c.description.into()))
                .collect();
            let mut table = serde_json::json!({
                "description": t.description,
                "columns": columns,
            });
            if !t.facets.is_empty() {
                table["facets"] = serde_json::json!(t.facets);
            }
            if t.name == DOCUMENTS.name {
                table["fts_table"] = "documents_fts".into();
            }
            (t.name.to_string(), table)
        })
        .collect();
    serde_json::json!({
        "title": title,
        "description": format!("{title}: documents, evidence and reference data exported by mkn at commit {commit}."),
        "source": format!("{title} (commit {commit})"),
        "databases": { database: { "tables": tables } },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_scalar_types_widen_to_hold_every_value() {
        assert_eq!(widen("INTEGER", "INTEGER"), "INTEGER");
        assert_eq!(widen("INTEGER", "REAL"), "REAL");
        assert_eq!(widen("REAL", "TEXT"), "TEXT");
    }

    #[test]
    fn every_foreign_key_points_at_a_table_defined_before_it() {
        for (i, t) in TABLES.iter().enumerate() {
            for c in t.columns {
                if let Some((parent, key)) = c.references {
                    let p = TABLES[..=i].iter().position(|p| p.name == parent);
                    let p = p.unwrap_or_else(|| panic!("{}.{} refers to {parent}", t.name, c.name));
                    assert!(TABLES[p].primary_key == [key], "{parent}.{key} is its key");
                }
            }
        }
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(ident("we\"ird"), "\"we\"\"ird\"");
    }
}
