//! Documents in export order, read a bounded number at a time.
//!
//! An export writes its documents by id, then path. The files are put in
//! order first, mostly without parsing them, each at the first id it can
//! have ([`quick_id`]); then the documents are read and prepared in batches,
//! in parallel, and handed over one by one in order while the next batch is
//! being read. The few documents whose id turns out to sort later (their
//! front matter could not be read, so their id is their path's) wait until
//! the documents before them have gone. Memory holds two batches and those
//! few, not the corpus.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::corpus::{Corpus, Document, SourceFile, display_path, quick_id};

/// Documents read at once: enough to keep every core busy, few enough that
/// memory stays flat however large the corpus.
const BATCH: usize = 256;

/// The files in the order their documents can first stand in an export
/// (by id, then path), each with that id.
pub fn in_export_order(corpus: &Corpus, files: Vec<SourceFile>) -> Vec<(String, SourceFile)> {
    let mut keyed: Vec<(String, String, SourceFile)> = files
        .into_par_iter()
        .map(|file| {
            let id = quick_id::least_id(corpus, &file);
            let path = display_path(&file.path).into_owned();
            (id, path, file)
        })
        .collect();
    keyed.par_sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    keyed.into_iter().map(|(id, _, file)| (id, file)).collect()
}

/// Reads the documents of `order` ([`in_export_order`]), `prepare`s each
/// (in parallel, a batch at a time) and hands the results to `take` in the
/// export's order (by id, then path), on the calling thread. A file that
/// cannot be read as text is no document (`mkn check` says why): it is
/// skipped, and counted in the number returned.
pub fn each_document<T: Send, E>(
    corpus: &Corpus,
    order: &[(String, SourceFile)],
    prepare: impl Fn(&SourceFile, Document) -> T + Sync,
    mut take: impl FnMut(T) -> Result<(), E>,
) -> Result<usize, E> {
    type Key = (String, String);
    let read = |batch: &[(String, SourceFile)]| -> Vec<(Key, Option<T>)> {
        batch
            .par_iter()
            .map(|(least, file)| {
                let doc = corpus.read(file);
                let path = display_path(&file.path).into_owned();
                if doc.is_unreadable() {
                    return ((least.clone(), path), None);
                }
                let id = doc.id.clone();
                ((id, path), Some(prepare(file, doc)))
            })
            .collect()
    };
    let mut skipped = 0;
    // Documents whose id sorts after the place they were read at.
    let mut later: BTreeMap<Key, T> = BTreeMap::new();
    let mut hand_over =
        |batch: &[(String, SourceFile)], prepared: Vec<(Key, Option<T>)>| -> Result<(), E> {
            for ((least, _), (key, item)) in batch.iter().zip(prepared) {
                let Some(item) = item else {
                    skipped += 1;
                    continue;
                };
                if key.0 != *least {
                    later.insert(key, item);
                    continue;
                }
                while later
                    .first_key_value()
                    .is_some_and(|(first, _)| *first < key)
                {
                    let (_, waiting) = later.pop_first().expect("a first entry");
                    take(waiting)?;
                }
                take(item)?;
            }
            Ok(())
        };
    std::thread::scope(|scope| {
        let mut ready = None;
        for batch in order.chunks(BATCH) {
            let next = scope.spawn(|| read(batch));
            if let Some((done, prepared)) = ready.take() {
                hand_over(done, prepared)?;
            }
            let prepared = next
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            ready = Some((batch, prepared));
        }
        if let Some((done, prepared)) = ready {
            hand_over(done, prepared)?;
        }
        Ok(())
    })?;
    for (_, waiting) in std::mem::take(&mut later) {
        take(waiting)?;
    }
    Ok(skipped)
}
