//! Documents in export order, read a bounded number at a time.
//!
//! An export writes its documents by id (then path). The order is settled
//! first, mostly without parsing ([`quick_id`]); then the documents are read
//! and prepared in batches, in parallel, and handed over one by one in that
//! order while the next batch is being read. Memory holds two batches, not
//! the corpus.

use rayon::prelude::*;

use crate::corpus::{Corpus, Document, SourceFile, display_path, quick_id};

/// Documents read at once: enough to keep every core busy, few enough that
/// memory stays flat however large the corpus.
const BATCH: usize = 256;

/// The files in the order their documents are exported: by id, then path.
pub fn in_export_order(corpus: &Corpus, files: Vec<SourceFile>) -> Vec<SourceFile> {
    let mut keyed: Vec<(String, String, SourceFile)> = files
        .into_par_iter()
        .map(|file| {
            let id = quick_id::id_of(corpus, &file);
            let path = display_path(&file.path).into_owned();
            (id, path, file)
        })
        .collect();
    keyed.par_sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    keyed.into_iter().map(|(_, _, file)| file).collect()
}

/// Reads the documents of `files` in order, `prepare`s each (in parallel,
/// a batch at a time) and hands the results to `take` in the same order,
/// on the calling thread. A file that cannot be read as text is no document
/// (`mkn check` says why): it is skipped, and counted in the number returned.
pub fn each_document<T: Send, E>(
    corpus: &Corpus,
    files: &[SourceFile],
    prepare: impl Fn(&SourceFile, Document) -> T + Sync,
    mut take: impl FnMut(T) -> Result<(), E>,
) -> Result<usize, E> {
    let read = |batch: &[SourceFile]| -> Vec<Option<T>> {
        batch
            .par_iter()
            .map(|file| {
                let doc = corpus.read(file);
                (!doc.is_unreadable()).then(|| prepare(file, doc))
            })
            .collect()
    };
    let mut skipped = 0;
    std::thread::scope(|scope| {
        let mut ready: Vec<Option<T>> = Vec::new();
        for batch in files.chunks(BATCH) {
            let next = scope.spawn(|| read(batch));
            for item in ready.drain(..) {
                match item {
                    Some(item) => take(item)?,
                    None => skipped += 1,
                }
            }
            ready = next
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        for item in ready {
            match item {
                Some(item) => take(item)?,
                None => skipped += 1,
            }
        }
        Ok(skipped)
    })
}
