//! `mkn export --format parquet`: the tables of [`super::tables`] as one
//! Parquet file each in a folder, typed (INTEGER as INT64, REAL as DOUBLE,
//! TEXT as UTF-8 strings), zstd-compressed, written in row groups as the rows
//! come so that memory holds one row group per table, not the corpus.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use rusqlite::types::Value as Sql;

use crate::error::Error;
use crate::export::tables::{
    self, DOCUMENTS, Documents, ScalarColumns, Sink, Sources, TABLES, Table, Written,
};

/// Rows buffered per table before they are written as a row group.
const ROW_GROUP: usize = 8192;

/// Writes every table to `out/<table>.parquet`, through a temporary folder
/// beside `out` renamed into place. An `out` that holds only Parquet files
/// (an earlier export) is replaced; any other existing `out` is refused.
/// `documents` hands over each document's rows, in order.
pub fn write_parquet(
    sources: &Sources,
    documents: Box<Documents>,
    out: &Path,
) -> Result<Written, Error> {
    let replaced = replaceable(out)?;
    let parent = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = super::temp_builder(super::FOLDER_MODE)
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    let mut sink = ParquetSink {
        dir: tmp.path().to_path_buf(),
        files: Vec::new(),
    };
    for table in TABLES.iter().filter(|t| t.name != DOCUMENTS.name) {
        let file = TableFile::create(&sink.dir, table, columns(table, &[]))?;
        sink.files.push(file);
    }
    let written = tables::fill(&mut sink, sources, documents, parent)?;
    for file in sink.files {
        file.close()?;
    }
    if replaced {
        fs::remove_dir_all(out).map_err(|e| Error::io(out, e))?;
    }
    let tmp = tmp.keep();
    fs::rename(&tmp, out).map_err(|e| {
        let _ = fs::remove_dir_all(&tmp);
        Error::io(out, e)
    })?;
    Ok(written)
}

/// Whether `out` exists and may be replaced: a folder of Parquet files only.
fn replaceable(out: &Path) -> Result<bool, Error> {
    let Ok(entries) = fs::read_dir(out) else {
        if out.exists() {
            return Err(Error::Usage(format!(
                "{} is a file: Parquet tables go in a folder",
                out.display()
            )));
        }
        return Ok(false);
    };
    for entry in entries {
        let path = entry.map_err(|e| Error::io(out, e))?.path();
        if path.extension().is_none_or(|e| e != "parquet") {
            return Err(Error::Usage(format!(
                "{} holds {}, not only Parquet tables: give --out a new folder",
                out.display(),
                path.display()
            )));
        }
    }
    Ok(true)
}

/// The open Parquet file of each table.
struct ParquetSink {
    /// The temporary folder written into.
    dir: PathBuf,
    /// One file per table made so far.
    files: Vec<TableFile>,
}

/// The columns of a table, name and SQL type, with `extra` columns after.
fn columns(table: &Table, extra: &[(String, &'static str)]) -> Vec<(String, String)> {
    table
        .columns
        .iter()
        .map(|c| (c.name.to_string(), c.sql.to_string()))
        .chain(extra.iter().map(|(k, t)| (k.clone(), t.to_string())))
        .collect()
}

impl Sink for ParquetSink {
    fn documents_table(&mut self, extra: &ScalarColumns) -> Result<(), Error> {
        let file = TableFile::create(&self.dir, &DOCUMENTS, columns(&DOCUMENTS, &extra.columns))?;
        self.files.push(file);
        Ok(())
    }

    fn row(&mut self, table: &'static Table, values: Vec<Sql>) -> Result<(), Error> {
        let file = self
            .files
            .iter_mut()
            .find(|f| f.name == table.name)
            .expect("every table has its file before its rows");
        file.rows.push(values);
        if file.rows.len() >= ROW_GROUP {
            file.flush()?;
        }
        Ok(())
    }
}

/// The Parquet type of a column.
#[derive(Clone, Copy)]
enum Kind {
    /// INT64.
    Integer,
    /// DOUBLE.
    Real,
    /// UTF-8 string.
    Text,
}

impl Kind {
    /// The kind of an SQL column type.
    fn of(sql: &str) -> Kind {
        if sql.starts_with("INTEGER") {
            Kind::Integer
        } else if sql.starts_with("REAL") {
            Kind::Real
        } else {
            Kind::Text
        }
    }
}

/// One table's Parquet file and the rows not yet written.
struct TableFile {
    /// The table's name.
    name: &'static str,
    /// The file, for errors.
    path: PathBuf,
    /// The column kinds, in order.
    kinds: Vec<Kind>,
    /// The writer.
    writer: SerializedFileWriter<File>,
    /// Rows waiting for the next row group.
    rows: Vec<Vec<Sql>>,
}

impl TableFile {
    /// Creates `dir/<table>.parquet` with its schema.
    fn create(
        dir: &Path,
        table: &Table,
        columns: Vec<(String, String)>,
    ) -> Result<TableFile, Error> {
        let path = dir.join(format!("{}.parquet", table.name));
        let err = |e: parquet::errors::ParquetError| Error::io(&path, std::io::Error::other(e));
        let mut fields = Vec::new();
        let mut kinds = Vec::new();
        for (name, sql) in &columns {
            let kind = Kind::of(sql);
            let builder = match kind {
                Kind::Integer => Type::primitive_type_builder(name, Physical::INT64),
                Kind::Real => Type::primitive_type_builder(name, Physical::DOUBLE),
                Kind::Text => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String)),
            };
            let field = builder
                // Optional even where SQLite says NOT NULL: one level scheme for every column.
                .with_repetition(Repetition::OPTIONAL)
                .build()
                .map_err(err)?;
            fields.push(Arc::new(field));
            kinds.push(kind);
        }
        let schema = Type::group_type_builder(table.name)
            .with_fields(fields)
            .build()
            .map_err(err)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .build();
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        let writer =
            SerializedFileWriter::new(file, Arc::new(schema), Arc::new(props)).map_err(err)?;
        Ok(TableFile {
            name: table.name,
            path,
            kinds,
            writer,
            rows: Vec::new(),
        })
    }

    /// Writes the waiting rows as one row group.
    fn flush(&mut self) -> Result<(), Error> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let err = |e: parquet::errors::ParquetError| Error::io(&path, std::io::Error::other(e));
        let mut group = self.writer.next_row_group().map_err(err)?;
        let mut index = 0;
        while let Some(mut column) = group.next_column().map_err(err)? {
            let cells = self.rows.iter().map(|r| &r[index]);
            let levels: Vec<i16> = cells.clone().map(|v| i16::from(*v != Sql::Null)).collect();
            let levels = Some(&levels[..]);
            match self.kinds[index] {
                Kind::Integer => {
                    let values: Vec<i64> = cells
                        .filter_map(|v| match v {
                            Sql::Integer(i) => Some(*i),
                            _ => None,
                        })
                        .collect();
                    column
                        .typed::<Int64Type>()
                        .write_batch(&values, levels, None)
                }
                Kind::Real => {
                    let values: Vec<f64> = cells
                        .filter_map(|v| match v {
                            Sql::Real(f) => Some(*f),
                            Sql::Integer(i) => Some(*i as f64),
                            _ => None,
                        })
                        .collect();
                    column
                        .typed::<DoubleType>()
                        .write_batch(&values, levels, None)
                }
                Kind::Text => {
                    let values: Vec<ByteArray> = cells
                        .filter_map(|v| match v {
                            Sql::Text(s) => Some(ByteArray::from(s.as_str())),
                            Sql::Integer(i) => Some(ByteArray::from(i.to_string().as_str())),
                            Sql::Real(f) => Some(ByteArray::from(f.to_string().as_str())),
                            _ => None,
                        })
                        .collect();
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, levels, None)
                }
            }
            .map_err(err)?;
            column.close().map_err(err)?;
            index += 1;
        }
        group.close().map_err(err)?;
        self.rows.clear();
        Ok(())
    }

    /// Writes the last row group and the footer.
    fn close(mut self) -> Result<(), Error> {
        self.flush()?;
        let path = self.path.clone();
        self.writer
            .close()
            .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
        Ok(())
    }
}
