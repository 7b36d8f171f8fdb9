//! What a copy does with the journal that an interrupted run of it left
//! (Ctrl-C with `--keep-partial`, `kill -9`, a lost CI runner): a rerun of
//! the same command is the retry, so by default it finishes that upload,
//! sending only the parts S3 does not have ([`crate::journal::Resume`]).
//!
//! - The journal's upload is s3cp's own (the journal names its id): it is
//!   continued, or, when it can never be finished (the source changed
//!   since) or `--no-resume` says to start afresh, aborted; never another
//!   upload of the key.
//! - A journal whose upload is gone (aborted, expired) is removed and the
//!   copy made afresh; `--resume` insists, and refuses instead.
//! - A copy that may write a multipart upload holds the journal's lock
//!   from before the journal is read until it ends: a second run of the
//!   same copy stops at once (exit 1) rather than write the same upload.
//!
//! Everything read here is read before the plan is made, so that the plan
//! stays pure ([`super::prepare`]): the journal and the parts its upload
//! has (ListParts).

use aws_sdk_s3::types::CompletedPart;

use super::Engine;
use crate::error::{NothingToResume, ResumeRefused, S3Error};
use crate::job::CopyJob;
use crate::journal::{self, Busy, Lock, Resume};
use crate::options::CopyOptions;
use crate::plan::{self, Limits};
use crate::request::{self, SourceObject};

/// What a copy found of an interrupted run of it.
#[derive(Debug, Default)]
pub(super) struct Rerun {
    /// The copy's lock, held until it ends.
    pub(super) lock: Option<Lock>,
    /// The interrupted copy it continues.
    pub(super) point: Option<ResumePoint>,
    /// Requests sent that the plan does not count: the ListParts pages of
    /// an upload found gone, the abort of one that cannot be continued.
    pub(super) requests: u64,
}

/// An interrupted copy that this run continues: its journal, and the parts
/// its upload has (those whose size is the planned size of that part).
#[derive(Debug, Clone)]
pub(super) struct ResumePoint {
    pub(super) entry: journal::Entry,
    pub(super) done: Vec<CompletedPart>,
    /// The ListParts pages that told them.
    pub(super) list_pages: u64,
}

impl Engine<'_> {
    /// The lock of `job`'s copy, taken when it may write a multipart
    /// upload (`source` above the threshold, `--part-size source`, or a
    /// journal there), and the interrupted copy it continues, if any.
    pub(super) async fn rerun_of(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
        limits: Limits,
    ) -> anyhow::Result<Rerun> {
        let journals = self.journals;
        let there = journals.exists(job);
        if !there && self.resume == Resume::Required {
            return Err(nothing_to_resume(self, job));
        }
        let multipart = source.size > limits.threshold
            || limits.source_parts && plan::etag_parts(&source.etag).is_some();
        if !there && !multipart {
            return Ok(Rerun::default());
        }
        // Boxed: most copies end above, and a bulk run holds every object
        // in flight in the size of its largest path (issue 24).
        Box::pin(self.journaled(job, source, opts)).await
    }

    /// [`Engine::rerun_of`] for a copy that may write a multipart upload,
    /// or has a journal: its lock, and the interrupted copy it continues.
    async fn journaled(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<Rerun> {
        let journals = self.journals;
        let lock = journals.lock(job).map_err(|busy: Busy| {
            anyhow::anyhow!(
                "another s3cp run is copying {} to {} now ({busy}): this run leaves that copy \
                 to it; run this command again once that run has ended",
                job.src,
                job.dst
            )
        })?;
        let entry = match (journals.read(job), self.resume) {
            (Ok(Some(entry)), _) => entry,
            // Finished by the run that held the lock just before.
            (Ok(None), Resume::Required) => return Err(nothing_to_resume(self, job)),
            (Ok(None), _) => return Ok(fresh(lock, 0)),
            (Err(why), Resume::Required) => return Err(anyhow::Error::new(ResumeRefused(why))),
            (Err(why), _) => {
                tracing::warn!("{why}; this copy is made afresh");
                // A journal of this version that cannot be read goes (the
                // message names its upload's command); one of an older
                // version, under its old name, stays for its own s3cp.
                journals.remove(job);
                return Ok(fresh(lock, 0));
            }
        };
        let changed = entry.etag != source.etag
            || entry.source_version_id != source.version_id
            || entry.size != source.size;
        match (self.resume, changed) {
            (Resume::Never, _) => {
                tracing::info!(
                    "--no-resume: aborting upload {} of the interrupted copy of {} to {}",
                    entry.upload_id,
                    job.src,
                    job.dst
                );
                let sent = self.abort_journaled(job, opts, &entry).await?;
                return Ok(fresh(lock, sent));
            }
            (Resume::Required, true) => anyhow::bail!(
                "{} changed since the interrupted copy (ETag {} then, {} now), so upload {} \
                 cannot be finished: run without --resume to abort it and copy afresh, or \
                 remove it with {}",
                job.src,
                entry.etag,
                source.etag,
                entry.upload_id,
                super::multipart::abort_command(job, &entry.upload_id)
            ),
            (Resume::Auto, true) => {
                tracing::warn!(
                    "{} changed since the interrupted copy to {} (ETag {} then, {} now): its \
                     upload {} can never be finished, so it is aborted and the copy made afresh",
                    job.src,
                    job.dst,
                    entry.etag,
                    source.etag,
                    entry.upload_id
                );
                let sent = self.abort_journaled(job, opts, &entry).await?;
                return Ok(fresh(lock, sent));
            }
            (_, false) => {}
        }
        match self.list_parts(job, opts, &entry).await {
            Ok((done, list_pages)) => {
                tracing::info!(
                    "found upload {} of {} (an interrupted copy of it): {} parts already there",
                    entry.upload_id,
                    job.dst,
                    done.len()
                );
                Ok(Rerun {
                    lock,
                    point: Some(ResumePoint {
                        entry,
                        done,
                        list_pages,
                    }),
                    requests: 0,
                })
            }
            Err(Listed::Gone(e, pages)) => {
                journals.remove(job);
                match self.resume {
                    Resume::Required => Err(anyhow::Error::new(e).context(format!(
                        "upload {} no longer exists (completed or aborted since, or expired \
                         by a lifecycle rule): copy again without --resume",
                        entry.upload_id
                    ))),
                    _ => {
                        tracing::info!(
                            "upload {} of the interrupted copy to {} no longer exists \
                             (completed or aborted since, or expired by a lifecycle rule): \
                             its journal is removed, and the copy made afresh",
                            entry.upload_id,
                            job.dst
                        );
                        Ok(fresh(lock, pages))
                    }
                }
            }
            Err(Listed::Failed(e)) => Err(anyhow::Error::new(e).context(format!(
                "cannot list the parts of upload {}",
                entry.upload_id
            ))),
        }
    }

    /// Aborts the journal's upload (s3cp's own, by its id) and removes the
    /// journal; returns the requests sent. The abort is the rerun's first
    /// request to the destination, so it goes through [`Engine::send_to`],
    /// which learns the bucket's region. An upload gone already is fine;
    /// one that cannot be aborted fails the copy, its journal kept, rather
    /// than be left billed with nothing that points to it.
    async fn abort_journaled(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
        entry: &journal::Entry,
    ) -> anyhow::Result<u64> {
        let id = &entry.upload_id;
        self.abort_sent(job, opts, id, true).await.map_err(|e| {
            anyhow::Error::new(e).context(format!(
                "cannot abort upload {id} of the interrupted copy to {} before copying afresh; \
                 nothing was written: remove it with {}, or run again",
                job.dst,
                super::multipart::abort_command(job, id)
            ))
        })?;
        self.journals.remove(job);
        Ok(1)
    }

    /// The parts S3 has for the journal's upload, kept only where they are
    /// whole (their size is the planned size of that part). Each page is
    /// one request within the shared budget, to the destination's region
    /// (the first request of a rerun to it may be the one that learns it).
    async fn list_parts(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
        entry: &journal::Entry,
    ) -> Result<(Vec<CompletedPart>, u64), Listed> {
        let planned: std::collections::HashMap<i32, u64> = plan::parts(entry.size, entry.part_size)
            .map(|p| (p.number, p.bytes()))
            .collect();
        let mut done = Vec::new();
        let mut marker = None;
        let mut pages = 0;
        loop {
            pages += 1;
            let page = self
                .send_to(&job.dst.bucket, |c| {
                    request::list_parts(c, job, opts, &entry.upload_id)
                        .set_part_number_marker(marker.clone())
                        .send()
                })
                .await
                .map_err(|err| {
                    let e = S3Error::from_sdk("ListParts", &err);
                    match e.is_code("NoSuchUpload") {
                        true => Listed::Gone(e, pages),
                        false => Listed::Failed(e),
                    }
                })?;
            for part in page.parts() {
                let (Some(n), Some(size)) = (part.part_number(), part.size()) else {
                    continue;
                };
                if planned.get(&n) == Some(&(size.max(0) as u64)) {
                    done.push(request::completed_part(
                        n,
                        part.e_tag().map(str::to_owned),
                        request::listed_part_values(part),
                    ));
                }
            }
            marker = page.next_part_number_marker().map(str::to_owned);
            if !page.is_truncated().unwrap_or(false) || marker.is_none() {
                return Ok((done, pages));
            }
        }
    }
}

/// Why the parts of an upload could not be listed, and the pages asked.
#[derive(Debug)]
enum Listed {
    /// The upload is not there (NoSuchUpload).
    Gone(S3Error, u64),
    Failed(S3Error),
}

/// A copy made afresh under `lock`, after `requests` the plan does not
/// count.
fn fresh(lock: Option<Lock>, requests: u64) -> Rerun {
    Rerun {
        lock,
        point: None,
        requests,
    }
}

/// `--resume` with no journal of `job`: bad input (exit 2).
fn nothing_to_resume(engine: &Engine<'_>, job: &CopyJob) -> anyhow::Error {
    anyhow::Error::new(NothingToResume(format!(
        "there is no interrupted copy of {} to {} to resume (no journal at {}): copy it \
         without --resume",
        job.src,
        job.dst,
        engine.journals.path(job).display()
    )))
}
