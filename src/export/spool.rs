//! Rows of typed values waiting in a temporary file: the documents table of
//! an export has a column for every scalar key of every document's front
//! matter, so its rows can only be written once the last document is read.
//! Memory holds one row at a time; the file is read back once, in order.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use rusqlite::types::Value as Sql;

/// Tags of the encoded values.
const NULL: u8 = 0;
const INTEGER: u8 = 1;
const REAL: u8 = 2;
const TEXT: u8 = 3;
const BLOB: u8 = 4;

/// A temporary file of rows, written once and read back once.
pub struct Spool {
    /// The file (deleted when closed).
    file: BufWriter<File>,
}

impl Spool {
    /// An empty spool in a temporary file in `dir`.
    pub fn new(dir: &Path) -> io::Result<Spool> {
        Ok(Spool {
            file: BufWriter::new(tempfile::tempfile_in(dir)?),
        })
    }

    /// Adds a row.
    pub fn push(&mut self, row: &[Sql]) -> io::Result<()> {
        let w = &mut self.file;
        w.write_all(&len(row.len())?.to_le_bytes())?;
        for value in row {
            match value {
                Sql::Null => w.write_all(&[NULL])?,
                Sql::Integer(i) => {
                    w.write_all(&[INTEGER])?;
                    w.write_all(&i.to_le_bytes())?;
                }
                Sql::Real(f) => {
                    w.write_all(&[REAL])?;
                    w.write_all(&f.to_le_bytes())?;
                }
                Sql::Text(text) => {
                    w.write_all(&[TEXT])?;
                    w.write_all(&len(text.len())?.to_le_bytes())?;
                    w.write_all(text.as_bytes())?;
                }
                Sql::Blob(bytes) => {
                    w.write_all(&[BLOB])?;
                    w.write_all(&len(bytes.len())?.to_le_bytes())?;
                    w.write_all(bytes)?;
                }
            }
        }
        Ok(())
    }

    /// Hands every row to `take`, in the order they were added.
    pub fn replay(
        self,
        mut take: impl FnMut(Vec<Sql>) -> Result<(), crate::error::Error>,
    ) -> Result<(), crate::error::Error> {
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        let mut r = BufReader::new(file);
        while let Some(count) = read_u32(&mut r, true)? {
            let mut row = Vec::with_capacity(count as usize);
            for _ in 0..count {
                let mut tag = [0u8];
                r.read_exact(&mut tag)?;
                row.push(match tag[0] {
                    NULL => Sql::Null,
                    INTEGER => Sql::Integer(i64::from_le_bytes(read_array(&mut r)?)),
                    REAL => Sql::Real(f64::from_le_bytes(read_array(&mut r)?)),
                    TEXT => {
                        Sql::Text(String::from_utf8(read_bytes(&mut r)?).map_err(io::Error::other)?)
                    }
                    BLOB => Sql::Blob(read_bytes(&mut r)?),
                    other => {
                        return Err(
                            io::Error::other(format!("spooled value of tag {other}")).into()
                        );
                    }
                });
            }
            take(row)?;
        }
        Ok(())
    }
}

/// A length as the four bytes it is written in.
fn len(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| io::Error::other("a value of 4 GiB or more cannot be spooled"))
}

/// The next length; `None` at the end of the file where a row may end it.
fn read_u32(r: &mut impl Read, at_row: bool) -> io::Result<Option<u32>> {
    let mut bytes = [0u8; 4];
    match r.read_exact(&mut bytes) {
        Ok(()) => Ok(Some(u32::from_le_bytes(bytes))),
        Err(e) if at_row && e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

/// The next eight bytes.
fn read_array(r: &mut impl Read) -> io::Result<[u8; 8]> {
    let mut bytes = [0u8; 8];
    r.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// A length, then that many bytes.
fn read_bytes(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let n = read_u32(r, false)?.unwrap_or_default() as usize;
    let mut bytes = vec![0u8; n];
    r.read_exact(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_as_they_went_in() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![
            vec![
                Sql::Text("winter-salt".into()),
                Sql::Null,
                Sql::Integer(-7),
                Sql::Real(2.5),
                Sql::Text(String::new()),
            ],
            vec![],
            vec![Sql::Blob(vec![0, 255]), Sql::Text("é\n\"".into())],
        ];
        let mut spool = Spool::new(dir.path()).unwrap();
        for row in &rows {
            spool.push(row).unwrap();
        }
        let mut back = Vec::new();
        spool
            .replay(|row| {
                back.push(row);
                Ok(())
            })
            .unwrap();
        assert_eq!(back, rows);
    }
}
