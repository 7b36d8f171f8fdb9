//! A multipart copy: CreateMultipartUpload (carrying what CopyObject would
//! carry: headers, metadata, tags, ACL, encryption, storage class, ...),
//! UploadPartCopy parts in parallel with bounded concurrency, each pinned to
//! the HEADed object, then CompleteMultipartUpload. Any failure or Ctrl-C
//! aborts the upload: no orphaned upload and no half-made object; unless
//! it is kept for the next run to finish (`--keep-partial`, or a run that
//! continues a journal, which loses nothing).
//!
//! s3cp aborts only an upload whose id it received. When an answer to
//! CreateMultipartUpload was lost, the uploads that attempt may have
//! started cannot be told from another writer's: they are named (with
//! the command that removes each) and reported, never aborted.

use anyhow::{Context, anyhow};
use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::types::CompletedPart;
use futures::{StreamExt, TryStreamExt};
use tokio_util::sync::CancellationToken;

use std::time::SystemTime;

use super::own_write::{EtagCheck, LastAttempts, OwnWrite, ServerClock, Written};
use super::rerun::ResumePoint;
use super::stream::{InOrderMd5, Transfer};
use super::{Copied, Engine, Resumed};
use crate::checksum::{Algorithm, Ask, Checksum, Kind};
use crate::client::{AttemptLog, Attempts};
use crate::crc::{self, Crc};
use crate::error::{Interrupted, Learned, S3Error, messages, s3};
use crate::job::CopyJob;
use crate::journal;
use crate::options::{Acl, CopyOptions};
use crate::plan::{self, Method};
use crate::progress::Progress;
use crate::request::{self, SourceObject};

/// One multipart copy and everything it needs.
#[derive(Debug)]
pub(super) struct Task<'a> {
    pub(super) engine: &'a Engine<'a>,
    pub(super) job: &'a CopyJob,
    pub(super) source: &'a SourceObject,
    pub(super) opts: &'a CopyOptions,
    /// The resolved ACL (`--copy-acl` already read).
    pub(super) acl: &'a Acl,
    pub(super) part_size: u64,
    /// The checksum S3 is asked to compute (CreateMultipartUpload).
    pub(super) checksum: Ask,
    /// The interrupted copy this one continues ([`Engine::rerun_of`]).
    pub(super) resume: Option<&'a ResumePoint>,
    /// What the upload is created with, for the journal.
    pub(super) settings: &'a journal::Settings,
    /// When the copy started, by this machine's clock.
    pub(super) started: SystemTime,
    /// The parts are streamed (GetObject, then UploadPart with the CRC
    /// computed in flight) instead of copied by UploadPartCopy.
    pub(super) streamed: bool,
    /// A stream computes the MD5 of the bytes, part by part in order (to
    /// compare with the source's MD5 ETag).
    pub(super) md5: bool,
}

impl Task<'_> {
    pub(super) async fn run(
        &self,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<(Copied, bool, Option<Transfer>)> {
        // Uploads that a lost CreateMultipartUpload answer may have left:
        // named by the result, whatever it is.
        let (upload_id, part_size, done, strays, resumed) = match self.resume {
            Some(point) => (
                point.entry.upload_id.clone(),
                point.entry.part_size,
                point.done.clone(),
                Vec::new(),
                Some(Resumed {
                    parts_done: point.done.len() as u64,
                    list_pages: point.list_pages,
                }),
            ),
            None => {
                let (id, strays) = self.create(cancel).await?;
                (id, self.part_size, Vec::new(), strays, None)
            }
        };
        self.finish(upload_id, part_size, done, progress, cancel)
            .await
            .map(|(mut copied, keyed, computed)| {
                copied.possible_strays = strays.clone();
                copied.resumed = resumed;
                (copied, keyed, computed)
            })
            .map_err(|e| Learned::with_strays(e, strays))
    }

    /// The parts not `done` yet, then Complete; on a failure, the upload
    /// kept or aborted.
    async fn finish(
        &self,
        upload_id: String,
        part_size: u64,
        done: Vec<CompletedPart>,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<(Copied, bool, Option<Transfer>)> {
        let (job, source) = (self.job, self.source);
        let all_parts = plan::parts(source.size, part_size);
        let count = all_parts.len() as u64;
        let done_numbers: std::collections::HashSet<i32> =
            done.iter().filter_map(|p| p.part_number()).collect();
        let missing: Vec<plan::Part> = all_parts
            .filter(|p| !done_numbers.contains(&p.number))
            .collect();
        tracing::info!(
            "upload {upload_id}: {count} parts of up to {part_size} bytes, {} to copy",
            missing.len()
        );
        progress.multipart_started(source.size, count);
        let done_bytes: u64 = plan::parts(source.size, part_size)
            .filter(|p| done_numbers.contains(&p.number))
            .map(|p| p.bytes())
            .sum();
        progress.parts_resumed(done_numbers.len() as u64, done_bytes);

        // A stream's MD5 covers every byte in order: only when this run
        // reads every part.
        let md5 = (self.streamed && self.md5 && done.is_empty()).then(InOrderMd5::new);
        let copying = async {
            match self.streamed {
                true => {
                    self.stream_parts(&upload_id, missing.into_iter(), md5.as_ref(), progress)
                        .await
                }
                false => {
                    self.copy_parts(&upload_id, missing.into_iter(), progress)
                        .await
                }
            }
        };
        // Ctrl-C stops the parts; Complete is never cut off half-way, since
        // S3 may have committed it already.
        let parts_done = tokio::select! {
            r = copying => r,
            () = cancel.cancelled() => Err(anyhow::Error::new(Interrupted)),
        };
        // A stream sends the whole object's CRC, joined from the parts',
        // for the store to check (the transfer's own: no proof by itself).
        let mut sent_crc = None;
        let result = match parts_done {
            Ok(mut completed) => {
                completed.extend(done);
                if self.streamed {
                    sent_crc = joined_crc(
                        self.checksum.algorithm.filter(|a| a.is_crc()),
                        &completed,
                        source.size,
                        part_size,
                    )
                    .or_else(|| {
                        composite_of_parts(
                            self.checksum.algorithm.filter(|a| a.is_new()),
                            &completed,
                            source.size,
                            part_size,
                        )
                    });
                }
                // Only a full-object CRC is sent with Complete: a composite
                // is what the store makes of the parts' values, each
                // already checked.
                let whole = sent_crc.as_ref().filter(|c| c.kind == Kind::FullObject);
                self.complete(&upload_id, completed, count, whole).await
            }
            Err(e) => Err(e),
        };
        let transfer = self.streamed.then(|| Transfer {
            crc: sent_crc,
            md5: match (md5, self.md5) {
                (Some(md5), _) => md5.finish(count),
                (None, true) => Err("resumed: the parts copied before were not read by this \
                                     run, so the MD5 of the whole object is not known (--verify \
                                     reads the source to prove it)"
                    .to_owned()),
                (None, false) => Err("the MD5 of the bytes was not computed".to_owned()),
            },
        });
        progress.finished();
        match result {
            Ok(Written {
                etag,
                version_id,
                checksum,
                keyed,
            }) => {
                self.engine.journals.remove(job);
                Ok((
                    Copied {
                        etag,
                        version_id,
                        checksum,
                        ..Copied::made(
                            source.size,
                            Method::Multipart {
                                part_size,
                                parts: count,
                            },
                            self.streamed,
                            source.version_id.clone(),
                        )
                    },
                    keyed,
                    transfer,
                ))
            }
            Err(err) => Err(self.failed(&upload_id, err).await),
        }
    }

    /// What a failed multipart copy leaves: nothing, when its upload is
    /// gone; the upload and its journal for the next run (`--keep-partial`,
    /// or a run that continues a journal), unless it can never be
    /// finished; else the upload aborted. Returns the error, said so.
    async fn failed(&self, upload_id: &str, err: anyhow::Error) -> anyhow::Error {
        let job = self.job;
        match err {
            // The upload is gone (aborted, or expired by a lifecycle rule,
            // since it was created): nothing to keep or abort, and its
            // journal leads nowhere.
            err if upload_gone(&err) => {
                self.engine.journals.remove(job);
                let note = format!(
                    "upload {upload_id} of {} no longer exists (aborted since, or expired by a \
                     lifecycle rule): nothing of this copy was kept; copy it again",
                    job.dst
                );
                tracing::warn!("{note}");
                err.context(note)
            }
            // A run that continues a journal loses nothing: it keeps the
            // upload and its journal as --keep-partial does (unless the
            // source changed: the upload can never be finished then).
            err if (self.engine.keep_partial || self.resume.is_some())
                && !self.source_changed(&err)
                && !never_completes(&err) =>
            {
                let note = format!(
                    "upload {upload_id} of {} kept ({}): run the same command again to finish \
                     it, sending only the parts it lacks: {}; or remove it with {}",
                    job.dst,
                    self.engine.journals.path(job).display(),
                    self.engine.rerun,
                    abort_command(job, upload_id)
                );
                tracing::warn!("{note}");
                err.context(note)
            }
            err => {
                self.abort(upload_id).await;
                self.engine.journals.remove(job);
                err
            }
        }
    }

    /// A part failed because the source is no longer the HEADed object:
    /// nothing to keep for a resume, which would refuse anyway.
    fn source_changed(&self, err: &anyhow::Error) -> bool {
        err.chain()
            .filter_map(|c| c.downcast_ref::<S3Error>())
            .any(|e| {
                matches!(e.operation, "UploadPartCopy" | "GetObject")
                    && (e.is_code("PreconditionFailed") || e.status == Some(412))
            })
    }

    /// CreateMultipartUpload (with the tags to carry), and the journal entry
    /// that makes the copy resumable. Returns the upload's id, and the
    /// uploads that an attempt whose answer was lost may have started
    /// ([`Task::sweep_strays`]); a failure carries those too.
    async fn create(&self, cancel: &CancellationToken) -> anyhow::Result<(String, Vec<String>)> {
        let (job, source, opts) = (self.job, self.source, self.opts);
        let tags = self.engine.tags_to_write(job, source, opts).await?;
        // An attempt whose answer was lost may have started an upload that
        // nobody knows of: when the SDK sent CreateMultipartUpload more than
        // once, or it failed, look for such uploads at once.
        let attempts = LastAttempts::default();
        let req = |c: &aws_sdk_s3::Client| {
            request::create_multipart_upload(c, job, source, opts, self.acl, &tags, self.checksum)
                .customize()
                .interceptor(attempts.fresh())
                .send()
        };
        let created = self.engine.send_to(&job.dst.bucket, req).await;
        let answered = SystemTime::now();
        let log = attempts.log();
        let own_id = created.as_ref().ok().and_then(|c| c.upload_id());
        // A 4xx error answer is a refusal: that attempt started nothing.
        let refused = created.as_ref().is_err_and(|e| {
            matches!(e, SdkError::ServiceError(_))
                && e.raw_response()
                    .is_some_and(|r| r.status().is_client_error())
        });
        let strays = match log.sent > 1 || created.is_err() && log.sent > 0 && !refused {
            true => self.sweep_strays(own_id, &log, answered).await,
            false => Vec::new(),
        };
        let created = created
            .map_err(s3("CreateMultipartUpload"))
            .with_context(|| format!("cannot start a multipart upload to {}", job.dst))
            .map_err(|e| Learned::with_strays(e, strays.clone()))?;
        let upload_id = created
            .upload_id()
            .ok_or_else(|| anyhow!("CreateMultipartUpload returned no upload id"))?
            .to_owned();
        // Ctrl-C while CreateMultipartUpload was in flight: undo it now.
        if cancel.is_cancelled() {
            self.abort(&upload_id).await;
            return Err(Learned::with_strays(
                anyhow::Error::new(Interrupted),
                strays,
            ));
        }
        let entry = journal::Entry::new(
            self.engine.journals.stores(),
            job,
            &upload_id,
            &source.etag,
            source.version_id.as_deref(),
            source.size,
            self.part_size,
            self.streamed,
            self.settings.clone(),
        );
        if let Err(e) = self.engine.journals.write(job, &entry) {
            tracing::warn!(
                "cannot write the resume journal {} ({e}); this copy cannot be resumed",
                self.engine.journals.path(job).display()
            );
        }
        Ok((upload_id, strays))
    }

    /// CompleteMultipartUpload, with its outcome resolved rather than
    /// guessed: when the SDK sent it again (an answer was lost) and the
    /// upload is then gone (NoSuchUpload), or with `--no-overwrite` the
    /// destination now exists (412), an earlier attempt may have completed
    /// it: a HEAD of the destination settles it. Returns what the
    /// destination is (ETag, version id, checksum as far as the answer
    /// tells).
    async fn complete(
        &self,
        upload_id: &str,
        parts: Vec<CompletedPart>,
        count: u64,
        whole: Option<&Checksum>,
    ) -> anyhow::Result<Written> {
        let (job, opts) = (self.job, self.opts);
        let attempts = LastAttempts::default();
        let req = |c: &aws_sdk_s3::Client| {
            let req = request::complete_multipart_upload(c, job, opts, upload_id, parts.clone());
            request::complete_with_checksum(req, whole)
                .customize()
                .interceptor(attempts.fresh())
                .send()
        };
        let err = match self.engine.send_to(&job.dst.bucket, req).await {
            Ok(done) => {
                return Ok(Written {
                    etag: done.e_tag().map(str::to_owned),
                    version_id: super::version(done.version_id()),
                    checksum: request::complete_checksum(&done),
                    // Complete carries no customer-key header: the key is ours.
                    keyed: request::keyed(done.server_side_encryption(), None)
                        || opts.sse_c.is_some(),
                });
            }
            Err(err) => err,
        };
        let e = S3Error::from_sdk("CompleteMultipartUpload", &err);
        // NoSuchUpload, even when its body was cut off (a bare 404).
        let gone = e.is_code("NoSuchUpload") || e.status == Some(404);
        let exists = opts.destination_conditional() && e.status == Some(412);
        if (gone || exists) && attempts.log().sent > 1 {
            let own = OwnWrite {
                size: self.source.size,
                etag: EtagCheck::Parts(count),
                since: self.started,
            };
            if let Some(done) = self.engine.own_write(job, opts, &own).await {
                tracing::info!("upload {upload_id} was completed by an earlier attempt");
                return Ok(done);
            }
        }
        let why = messages::precondition_context(job, opts, &e)
            .unwrap_or_else(|| format!("cannot complete the multipart upload to {}", job.dst));
        Err(anyhow::Error::new(e).context(why))
    }

    /// The uploads of the destination key that this copy's
    /// CreateMultipartUpload attempts may have started without knowing (an
    /// attempt whose answer was lost, then sent again by the SDK, starts a
    /// second upload): those of the same key, with another id than `own`
    /// (the one that was answered, if any), initiated between the first
    /// attempt's send and the answer by the server's clock, give or take
    /// the clock allowance. Nothing in a listing says who started an
    /// upload: another writer's upload of the same key started in that
    /// window looks the same. So none is aborted (s3cp aborts only an
    /// upload whose id it received): each is named, with the command that
    /// removes it, and returned for the report (`possible_strays`).
    async fn sweep_strays(
        &self,
        own: Option<&str>,
        create: &AttemptLog,
        answered: SystemTime,
    ) -> Vec<String> {
        let job = self.job;
        let Some(first_sent) = create.first_sent else {
            return Vec::new();
        };
        let opts = self.opts;
        let client = self.engine.regions.client_for(&job.dst.bucket);
        let attempts = Attempts::default();
        let req = request::list_destination_uploads(&client, job, opts)
            .customize()
            .interceptor(attempts.clone());
        let listed = match self.engine.send(req.send()).await {
            Ok(listed) => listed,
            Err(err) => {
                tracing::warn!(
                    "cannot look for uploads to {} that a CreateMultipartUpload sent again may \
                     have started ({}); list them with s3cp uploads list {}",
                    job.dst,
                    S3Error::from_sdk("ListMultipartUploads", &err),
                    job.dst
                );
                return Vec::new();
            }
        };
        // The server's clock, from CreateMultipartUpload's answer if one came.
        let clock = [create, &attempts.log()]
            .into_iter()
            .map(ServerClock::from_log)
            .find(ServerClock::is_known)
            .unwrap_or(ServerClock::from_log(create));
        let from = clock.server_time(first_sent) - clock.margin();
        let to = clock.server_time(answered) + clock.margin();
        let mut strays = Vec::new();
        for upload in listed.uploads() {
            let (Some(key), Some(id)) = (upload.key(), upload.upload_id()) else {
                continue;
            };
            let initiated = upload
                .initiated()
                .and_then(|t| SystemTime::try_from(*t).ok());
            if key == job.dst.key
                && Some(id) != own
                && initiated.is_some_and(|t| from <= t && t <= to)
            {
                tracing::warn!(
                    "upload {id} of {} was started while this copy's CreateMultipartUpload \
                     went unanswered: by that request, or by another writer; s3cp cannot tell, \
                     so it leaves it. If it is not another writer's, remove it with {}",
                    job.dst,
                    abort_command(job, id)
                );
                strays.push(id.to_owned());
            }
        }
        strays
    }

    /// Copies every part by UploadPartCopy (a stream's are
    /// [`Task::stream_parts`]), at most `concurrency` at once; returns the
    /// completed parts (in completion order; Complete sorts them). The first
    /// failure stops the rest: dropping the stream cancels requests in flight.
    async fn copy_parts(
        &self,
        upload_id: &str,
        parts: impl Iterator<Item = plan::Part>,
        progress: &dyn Progress,
    ) -> anyhow::Result<Vec<CompletedPart>> {
        let (job, source) = (self.job, self.source);
        // The destination's region is settled by CreateMultipartUpload.
        let client = self.engine.regions.client_for(&job.dst.bucket);
        let client = &client;
        futures::stream::iter(parts)
            .map(|part| {
                let req =
                    request::upload_part_copy(client, job, source, self.opts, upload_id, part);
                async move {
                    let out = self.engine.send(req.send()).await.map_err(|err| {
                        let e = S3Error::from_sdk("UploadPartCopy", &err);
                        let changed = e.is_code("PreconditionFailed");
                        let e = anyhow::Error::new(e).context(format!(
                            "part {} ({})",
                            part.number,
                            part.range_header()
                        ));
                        if changed {
                            e.context(messages::changed_during_copy(job, source, true))
                        } else {
                            e
                        }
                    })?;
                    let result = out.copy_part_result().ok_or_else(|| {
                        anyhow!("UploadPartCopy of part {} returned no result", part.number)
                    })?;
                    progress.part_copied(part.bytes());
                    Ok::<_, anyhow::Error>(request::completed_part(
                        part.number,
                        result.e_tag().map(str::to_owned),
                        request::copy_part_values(result),
                    ))
                }
            })
            .buffer_unordered(self.engine.concurrency)
            .try_collect()
            .await
    }

    /// Aborts the upload ([`Engine::abort_upload`]).
    async fn abort(&self, upload_id: &str) {
        self.engine
            .abort_upload(self.job, self.opts, upload_id)
            .await;
    }
}

impl Engine<'_> {
    /// Aborts an upload of s3cp's own (its id came from
    /// CreateMultipartUpload, or from the journal of such an upload). If
    /// even that fails, the user is told exactly which upload to remove,
    /// since s3cp must not leave one behind silently.
    pub(super) async fn abort_upload(&self, job: &CopyJob, opts: &CopyOptions, upload_id: &str) {
        if let Err(e) = self.abort_sent(job, opts, upload_id, false).await {
            tracing::error!(
                "could not abort multipart upload {upload_id} of {} ({e}); remove it with {}",
                job.dst,
                abort_command(job, upload_id)
            );
        }
    }

    /// AbortMultipartUpload of `upload_id`; an upload gone already counts
    /// as aborted. `routed`: through [`Engine::send_to`], which learns the
    /// bucket's region (an abort that is a run's first request to it);
    /// else to the region known, within the budget, even once the run has
    /// stopped early (an upload of this run is never left for that).
    pub(super) async fn abort_sent(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
        upload_id: &str,
        routed: bool,
    ) -> Result<(), S3Error> {
        let sent = match routed {
            true => {
                self.send_to(&job.dst.bucket, |c| {
                    request::abort_multipart_upload(c, job, opts, upload_id).send()
                })
                .await
            }
            false => {
                let client = self.regions.client_for(&job.dst.bucket);
                let req = request::abort_multipart_upload(&client, job, opts, upload_id);
                self.send(req.send()).await
            }
        };
        match sent {
            Ok(_) => tracing::info!("aborted multipart upload {upload_id}"),
            Err(err) if S3Error::from_sdk("", &err).is_code("NoSuchUpload") => {
                tracing::info!("multipart upload {upload_id} is already gone")
            }
            Err(err) => return Err(S3Error::from_sdk("AbortMultipartUpload", &err)),
        }
        Ok(())
    }
}

/// The command that removes exactly one upload of the destination: its
/// key and id, never a prefix (which would match longer keys, and other
/// writers' uploads of the same key).
pub(super) fn abort_command(job: &CopyJob, upload_id: &str) -> String {
    format!(
        "s3cp uploads abort {} --upload-id {}",
        crate::uri::shell_word(&job.dst.to_string()),
        crate::uri::shell_word(upload_id)
    )
}

/// Complete was refused for what another run cannot change: the
/// destination exists under `--no-overwrite` or is not the `--if-match`
/// version (412), or the parts do not make an object S3 takes; or another
/// write raced it (409 ConditionalRequestConflict), after which S3 takes
/// no Complete of that upload: it must be started again. Keeping the
/// upload would have every rerun refused the same way.
fn never_completes(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|c| c.downcast_ref::<S3Error>())
        .any(|e| {
            e.operation == "CompleteMultipartUpload"
                && (e.status == Some(412)
                    || [
                        "PreconditionFailed",
                        "InvalidPart",
                        "InvalidPartOrder",
                        "EntityTooSmall",
                        crate::error::CONDITIONAL_CONFLICT,
                    ]
                    .iter()
                    .any(|c| e.is_code(c)))
        })
}

/// A part, or Complete, met NoSuchUpload: the upload is no longer there.
fn upload_gone(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|c| c.downcast_ref::<S3Error>())
        .any(|e| {
            matches!(
                e.operation,
                "UploadPartCopy" | "UploadPart" | "CompleteMultipartUpload"
            ) && e.is_code("NoSuchUpload")
        })
}

/// The whole object's CRC from its parts' (`parts`: every part, any
/// order, of `size` bytes cut at `part_size`), when each has one in
/// `algorithm`.
fn joined_crc(
    algorithm: Option<Algorithm>,
    parts: &[CompletedPart],
    size: u64,
    part_size: u64,
) -> Option<Checksum> {
    let alg = algorithm?;
    let mut sorted: Vec<&CompletedPart> = parts.iter().collect();
    sorted.sort_by_key(|p| p.part_number());
    let planned: Vec<plan::Part> = plan::parts(size, part_size).collect();
    if planned.len() != sorted.len() {
        return None;
    }
    let mut value = Crc::new(alg)?.value();
    for (part, plan) in sorted.iter().zip(&planned) {
        if part.part_number() != Some(plan.number) {
            return None;
        }
        let text = request::part_value(part, alg)?;
        let v = crc::from_base64(alg, text)?;
        value = crc::combine(alg, value, v, plan.bytes());
    }
    Some(Checksum::full_object(alg, crc::to_base64(alg, value)))
}

/// The `COMPOSITE` checksum of a streamed upload in one of the algorithms
/// added in 2026, from the values s3cp computed for its parts (`parts`:
/// every part, any order, of `size` bytes cut at `part_size`), when each
/// has one in `algorithm`: what the store must answer Complete with.
fn composite_of_parts(
    algorithm: Option<Algorithm>,
    parts: &[CompletedPart],
    size: u64,
    part_size: u64,
) -> Option<Checksum> {
    let alg = algorithm?;
    let mut sorted: Vec<&CompletedPart> = parts.iter().collect();
    sorted.sort_by_key(|p| p.part_number());
    let planned: Vec<plan::Part> = plan::parts(size, part_size).collect();
    if planned.len() != sorted.len()
        || sorted
            .iter()
            .zip(&planned)
            .any(|(p, plan)| p.part_number() != Some(plan.number))
    {
        return None;
    }
    let values: Option<Vec<&str>> = sorted.iter().map(|p| request::part_value(p, alg)).collect();
    Some(Checksum {
        algorithm: alg,
        kind: Kind::Composite,
        value: crate::hash::composite(alg, values?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part_with(n: i32, alg: Algorithm, bytes: &[u8]) -> CompletedPart {
        let mut c = Crc::new(alg).unwrap();
        c.update(bytes);
        let v = Some(crc::to_base64(alg, c.value()));
        let b = CompletedPart::builder().part_number(n);
        match alg {
            Algorithm::Crc32 => b.set_checksum_crc32(v),
            Algorithm::Crc32c => b.set_checksum_crc32_c(v),
            _ => b.set_checksum_crc64_nvme(v),
        }
        .build()
    }

    #[test]
    fn the_parts_crcs_join_into_the_whole_objects() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for alg in [Algorithm::Crc32, Algorithm::Crc32c, Algorithm::Crc64Nvme] {
            let mut whole = Crc::new(alg).unwrap();
            whole.update(&data);
            let want = Checksum::full_object(alg, crc::to_base64(alg, whole.value()));
            // Parts of 4,000 bytes, given out of order.
            let parts = vec![
                part_with(3, alg, &data[8000..]),
                part_with(1, alg, &data[..4000]),
                part_with(2, alg, &data[4000..8000]),
            ];
            assert_eq!(joined_crc(Some(alg), &parts, 10_000, 4000), Some(want));
            // A part missing, or without a CRC: nothing to send.
            assert_eq!(joined_crc(Some(alg), &parts[..2], 10_000, 4000), None);
            let bare = vec![
                parts[0].clone(),
                parts[1].clone(),
                CompletedPart::builder().part_number(2).build(),
            ];
            assert_eq!(joined_crc(Some(alg), &bare, 10_000, 4000), None);
        }
        assert_eq!(joined_crc(None, &[], 0, 4000), None);
    }
}
