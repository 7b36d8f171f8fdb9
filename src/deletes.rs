//! A bulk move's deletes: the sources whose copies are proved, deleted in
//! DeleteObjects batches of up to 1,000 keys of one bucket (a request per
//! 1,000 objects, not one per object), each key with the ETag that was
//! copied, so that S3 refuses, key by key, a source replaced since.
//! DeleteObjects answers 200 with per-key errors: each key's result is
//! read, and each object's line says what became of its source.
//!
//! A copy registers its proved source ([`Deletes::add`]) and goes on; the
//! batch is sent when it is full, or at the end of the run
//! ([`Deletes::finish`]), and the lines of its objects are printed then.
//! Ctrl-C sends the batches that are pending too: their copies are made
//! and proved, so every object is either at its source or proved at its
//! destination, never neither.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_s3::types::{Delete, ObjectIdentifier};

use crate::copy::{
    Copied, Engine, KeptReason, Skipped, SourceFate, SourceVersion, version_to_delete,
};
use crate::error::S3Error;
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::report::{CopyLine, Printer};

/// The most keys of one DeleteObjects request (S3's limit).
pub const BATCH: usize = 1000;

/// One source waiting for its delete.
#[derive(Debug)]
struct Pending {
    job: CopyJob,
    /// The version deleted, by its ETag.
    source: SourceVersion,
    done: Done,
}

/// What was done with a pending source's object, for its line.
#[derive(Debug)]
enum Done {
    /// Copied, and the copy proved.
    Copied(Box<Copied>),
    /// Not copied: `--skip-same` found its destination the same in every
    /// respect it compares.
    Same(Box<Skipped>),
}

/// The deletes of a bulk move, and what became of its sources.
#[derive(Debug)]
pub struct Deletes<'a> {
    engine: &'a Engine<'a>,
    opts: &'a CopyOptions,
    printer: Printer,
    /// The sources waiting, by bucket.
    pending: Mutex<HashMap<String, Vec<Pending>>>,
    deleted: AtomicU64,
    /// Sources kept, for any reason (`skipped` included).
    kept: AtomicU64,
    /// Sources kept for a reason that makes the run fail (all but
    /// `skipped`).
    kept_failing: AtomicU64,
}

impl<'a> Deletes<'a> {
    pub fn new(engine: &'a Engine<'a>, opts: &'a CopyOptions, printer: Printer) -> Self {
        Deletes {
            engine,
            opts,
            printer,
            pending: Mutex::default(),
            deleted: AtomicU64::new(0),
            kept: AtomicU64::new(0),
            kept_failing: AtomicU64::new(0),
        }
    }

    /// A source kept without a delete (its copy failed, was skipped, or is
    /// not proved): counted.
    pub fn kept(&self, reason: KeptReason) {
        self.kept.fetch_add(1, Ordering::Relaxed);
        if reason != KeptReason::Skipped {
            self.kept_failing.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A source that RenameObject moved: counted as deleted.
    pub fn renamed(&self) {
        self.deleted.fetch_add(1, Ordering::Relaxed);
    }

    /// Queues the source of a proved copy; sends its bucket's batch when it
    /// is full. Its line is printed when its delete is answered.
    pub async fn add(&self, job: CopyJob, copied: Copied) {
        let source = copied.source_version();
        self.queue(Pending {
            job,
            source,
            done: Done::Copied(Box::new(copied)),
        })
        .await;
    }

    /// Queues the source of an object `--skip-same` left alone because its
    /// destination is the same in every respect it compares
    /// (`skipped.same_source`).
    pub async fn add_same(&self, job: CopyJob, skipped: Skipped, source: SourceVersion) {
        self.queue(Pending {
            job,
            source,
            done: Done::Same(Box::new(skipped)),
        })
        .await;
    }

    async fn queue(&self, p: Pending) {
        let full = {
            let mut pending = self.pending.lock().expect("pending deletes");
            let batch = pending.entry(p.job.src.bucket.clone()).or_default();
            batch.push(p);
            match batch.len() >= BATCH {
                true => Some(std::mem::take(batch)),
                false => None,
            }
        };
        if let Some(batch) = full {
            self.send(batch).await;
        }
    }

    /// Sends what is pending; returns the sources deleted, kept, and kept
    /// for a reason that fails the run.
    pub async fn finish(&self) -> (u64, u64, u64) {
        let batches: Vec<Vec<Pending>> = {
            let mut pending = self.pending.lock().expect("pending deletes");
            pending.drain().map(|(_, b)| b).collect()
        };
        for batch in batches {
            for chunk in chunks(batch) {
                self.send(chunk).await;
            }
        }
        (
            self.deleted.load(Ordering::Relaxed),
            self.kept.load(Ordering::Relaxed),
            self.kept_failing.load(Ordering::Relaxed),
        )
    }

    /// One DeleteObjects of `batch` (one bucket, at most [`BATCH`] keys),
    /// each key conditional on its copied ETag; each object's line printed
    /// with what became of its source.
    async fn send(&self, batch: Vec<Pending>) {
        let Some(first) = batch.first() else {
            return;
        };
        let bucket = first.job.src.bucket.clone();
        let delete_version = self.opts.moving.is_some_and(|m| m.delete_version);
        let version = |p: &Pending| version_to_delete(&p.source, self.opts).map(str::to_owned);
        let objects: Vec<ObjectIdentifier> = batch
            .iter()
            .map(|p| {
                // In the body, where the key is as it is (no marker: see
                // request::literal_key, which is for a key in the path).
                ObjectIdentifier::builder()
                    .key(&p.job.src.key)
                    .set_version_id(version(p))
                    .e_tag(&p.source.etag)
                    .build()
                    .expect("key set")
            })
            .collect();
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(false)
            .build()
            .expect("objects set");
        let opts = self.opts;
        let answer = self
            .engine
            .send_src(&bucket, |c| {
                c.delete_objects()
                    .bucket(&bucket)
                    .delete(delete.clone())
                    .set_request_payer(opts.request_payer.clone())
                    .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
                    .send()
            })
            .await;
        let fates: Vec<SourceFate> = match answer {
            Ok(out) => {
                let deleted: HashMap<(String, Option<String>), bool> = out
                    .deleted()
                    .iter()
                    .filter_map(|d| {
                        Some((
                            (
                                d.key()?.to_owned(),
                                version_of(d.version_id(), delete_version),
                            ),
                            d.delete_marker().unwrap_or(false),
                        ))
                    })
                    .collect();
                let errors: HashMap<(String, Option<String>), (String, String)> = out
                    .errors()
                    .iter()
                    .filter_map(|e| {
                        Some((
                            (
                                e.key()?.to_owned(),
                                version_of(e.version_id(), delete_version),
                            ),
                            (
                                e.code().unwrap_or("Error").to_owned(),
                                e.message().unwrap_or("").to_owned(),
                            ),
                        ))
                    })
                    .collect();
                batch
                    .iter()
                    .map(|p| {
                        let at = (p.job.src.key.clone(), version(p));
                        match (deleted.get(&at), errors.get(&at)) {
                            (_, Some((code, message))) => kept_by(&p.job, code, message),
                            (Some(marker), None) => SourceFate::Deleted {
                                marker: *marker && !delete_version,
                            },
                            (None, None) => SourceFate::kept(
                                KeptReason::DeleteFailed,
                                format!(
                                    "DeleteObjects did not say what became of {}: it is kept",
                                    p.job.src
                                ),
                            ),
                        }
                    })
                    .collect()
            }
            Err(err) => {
                let e = S3Error::from_sdk("DeleteObjects", &err);
                batch
                    .iter()
                    .map(|p| {
                        SourceFate::kept(
                            KeptReason::DeleteFailed,
                            format!("cannot delete {}: {e}", p.job.src),
                        )
                    })
                    .collect()
            }
        };
        tracing::info!(
            "DeleteObjects of {} key{} of {bucket}, each If-Match its copied ETag",
            batch.len(),
            if batch.len() == 1 { "" } else { "s" }
        );
        for (p, fate) in batch.iter().zip(&fates) {
            tracing::info!(
                "delete of {} (If-Match {}): {fate:?}",
                p.job.src,
                p.source.etag
            );
            match fate {
                SourceFate::Kept(k) => self.kept(k.reason),
                _ => {
                    self.deleted.fetch_add(1, Ordering::Relaxed);
                }
            }
            let line = match &p.done {
                Done::Copied(copied) => CopyLine::copied(&p.job, self.opts, copied),
                Done::Same(skipped) => CopyLine::skipped(&p.job, self.opts, skipped, false),
            };
            let line = line.moved(fate);
            self.printer.object(&line, None);
        }
    }
}

/// A key's version in DeleteObjects' answer, as asked: none unless the
/// copied version itself was deleted (a delete marker's own id is not
/// the object's).
fn version_of(version: Option<&str>, delete_version: bool) -> Option<String> {
    version.filter(|_| delete_version).map(str::to_owned)
}

/// A key DeleteObjects refused: a source replaced since it was copied
/// (PreconditionFailed), or another error.
fn kept_by(job: &CopyJob, code: &str, message: &str) -> SourceFate {
    match code {
        "PreconditionFailed" => SourceFate::source_changed(job),
        _ => SourceFate::kept(
            KeptReason::DeleteFailed,
            format!("cannot delete {}: {code}: {message}", job.src),
        ),
    }
}

/// `batch` cut in requests of at most [`BATCH`] keys.
fn chunks(mut batch: Vec<Pending>) -> Vec<Vec<Pending>> {
    let mut out = Vec::new();
    while batch.len() > BATCH {
        let rest = batch.split_off(BATCH);
        out.push(batch);
        batch = rest;
    }
    out.push(batch);
    out
}
