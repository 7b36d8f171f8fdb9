//! A multipart copy: CreateMultipartUpload (carrying what CopyObject would
//! carry: headers, metadata, tags, ACL, encryption, storage class, ...),
//! UploadPartCopy parts in parallel with bounded concurrency, each pinned to
//! the HEADed object, then CompleteMultipartUpload. Any failure or Ctrl-C
//! aborts the upload: no orphaned upload and no half-made object.

use anyhow::{Context, anyhow};
use aws_sdk_s3::types::CompletedPart;
use futures::{StreamExt, TryStreamExt};
use tokio_util::sync::CancellationToken;

use super::{Copied, Engine, Interrupted};
use crate::error::{S3Error, s3};
use crate::job::CopyJob;
use crate::journal;
use crate::options::{Acl, CopyOptions, TaggingDirective};
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
    /// `--resume`: the journal of the upload to continue.
    pub(super) resume: Option<&'a journal::Entry>,
}

impl Task<'_> {
    pub(super) async fn run(
        &self,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<Copied> {
        let (job, source) = (self.job, self.source);
        let started = std::time::SystemTime::now();
        let (upload_id, part_size, done) = match self.resume {
            Some(entry) => self.resume_point(entry).await?,
            None => (self.create(cancel).await?, self.part_size, Vec::new()),
        };
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
        progress.part_copied(done_bytes);

        // Ctrl-C stops the parts; Complete is never cut off half-way, since
        // S3 may have committed it already.
        let parts_done = tokio::select! {
            r = self.copy_parts(&upload_id, missing.into_iter(), progress) => r,
            () = cancel.cancelled() => Err(anyhow::Error::new(Interrupted)),
        };
        let result = match parts_done {
            Ok(mut completed) => {
                completed.extend(done);
                self.complete(&upload_id, completed, count).await
            }
            Err(e) => Err(e),
        };
        progress.finished();
        let outcome = match result {
            Ok((etag, version_id)) => {
                journal::remove(job);
                Ok(Copied {
                    size: source.size,
                    method: Method::Multipart {
                        part_size,
                        parts: count,
                    },
                    etag,
                    version_id,
                    source_version_id: source.version_id.clone(),
                    duration: Default::default(),
                    dry_run: false,
                    requests: 0,
                })
            }
            Err(err) if self.engine.keep_partial && !self.source_changed(&err) => {
                let note = format!(
                    "upload {upload_id} of {} kept ({}): finish it with s3cp --resume {} {} \
                     (and the same flags), or remove it with s3cp uploads abort {}",
                    job.dst,
                    journal::path(job).display(),
                    job.src,
                    job.dst,
                    job.dst
                );
                tracing::warn!("{note}");
                Err(err.context(note))
            }
            Err(err) => {
                self.abort(&upload_id).await;
                journal::remove(job);
                Err(err)
            }
        };
        self.sweep_strays(&upload_id, started).await;
        outcome
    }

    /// A part failed because the source is no longer the HEADed object:
    /// nothing to keep for a resume, which would refuse anyway.
    fn source_changed(&self, err: &anyhow::Error) -> bool {
        err.chain()
            .filter_map(|c| c.downcast_ref::<S3Error>())
            .any(|e| e.operation == "UploadPartCopy" && e.is_code("PreconditionFailed"))
    }

    /// CreateMultipartUpload (with the tags to carry), and the journal entry
    /// that makes the copy resumable.
    async fn create(&self, cancel: &CancellationToken) -> anyhow::Result<String> {
        let (client, job, source, opts) = (self.engine.client, self.job, self.source, self.opts);
        let tags = match opts.tagging.directive {
            TaggingDirective::Copy => self.source_tags().await?,
            TaggingDirective::Replace => opts.tagging.tags.clone(),
        };
        // Not repeated by s3cp: a second CreateMultipartUpload would start a
        // second upload (stray ones from the SDK's retries are swept after).
        let created = self
            .engine
            .send_once(
                request::create_multipart_upload(client, job, source, opts, self.acl, &tags).send(),
            )
            .await
            .map_err(s3("CreateMultipartUpload"))
            .with_context(|| format!("cannot start a multipart upload to {}", job.dst))?;
        let upload_id = created
            .upload_id()
            .ok_or_else(|| anyhow!("CreateMultipartUpload returned no upload id"))?
            .to_owned();
        // Ctrl-C while CreateMultipartUpload was in flight: undo it now.
        if cancel.is_cancelled() {
            self.abort(&upload_id).await;
            return Err(anyhow::Error::new(Interrupted));
        }
        let entry = journal::Entry::new(
            job,
            &upload_id,
            &source.etag,
            source.version_id.as_deref(),
            source.size,
            self.part_size,
        );
        if let Err(e) = journal::write(job, &entry) {
            tracing::warn!(
                "cannot write the resume journal {} ({e}); this copy cannot be resumed",
                journal::path(job).display()
            );
        }
        Ok(upload_id)
    }

    /// `--resume`: the upload, part size and finished parts of the copy
    /// the journal recorded, if the source is still the same object.
    async fn resume_point(
        &self,
        entry: &journal::Entry,
    ) -> anyhow::Result<(String, u64, Vec<CompletedPart>)> {
        let (job, source) = (self.job, self.source);
        if entry.etag != source.etag
            || entry.source_version_id != source.version_id
            || entry.size != source.size
        {
            anyhow::bail!(
                "{} changed since the interrupted copy (ETag {} then, {} now), so upload {} \
                 cannot be finished: remove it with s3cp uploads abort {} and copy again \
                 without --resume",
                job.src,
                entry.etag,
                source.etag,
                entry.upload_id,
                job.dst
            );
        }
        let done = self.list_parts(entry).await?;
        tracing::info!(
            "resuming upload {}: {} parts already copied",
            entry.upload_id,
            done.len()
        );
        Ok((entry.upload_id.clone(), entry.part_size, done))
    }

    /// The parts S3 has for the upload, kept only where they are whole
    /// (their size is the planned size of that part).
    async fn list_parts(&self, entry: &journal::Entry) -> anyhow::Result<Vec<CompletedPart>> {
        let (client, job, opts) = (self.engine.client, self.job, self.opts);
        let planned: std::collections::HashMap<i32, u64> = plan::parts(entry.size, entry.part_size)
            .map(|p| (p.number, p.bytes()))
            .collect();
        let mut done = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = self
                .engine
                .send(|| {
                    request::list_parts(client, job, opts, &entry.upload_id, marker.clone()).send()
                })
                .await
                .map_err(|err| {
                    let e = S3Error::from_sdk("ListParts", &err);
                    let gone = e.is_code("NoSuchUpload");
                    let e = anyhow::Error::new(e);
                    if gone {
                        journal::remove(job);
                        e.context(format!(
                            "upload {} no longer exists (completed or aborted since): copy \
                             again without --resume",
                            entry.upload_id
                        ))
                    } else {
                        e.context(format!(
                            "cannot list the parts of upload {}",
                            entry.upload_id
                        ))
                    }
                })?;
            for part in page.parts() {
                let (Some(n), Some(size)) = (part.part_number(), part.size()) else {
                    continue;
                };
                if planned.get(&n) == Some(&(size.max(0) as u64)) {
                    done.push(
                        CompletedPart::builder()
                            .part_number(n)
                            .set_e_tag(part.e_tag().map(str::to_owned))
                            .set_checksum_crc32(part.checksum_crc32().map(str::to_owned))
                            .set_checksum_crc32_c(part.checksum_crc32_c().map(str::to_owned))
                            .set_checksum_crc64_nvme(part.checksum_crc64_nvme().map(str::to_owned))
                            .set_checksum_sha1(part.checksum_sha1().map(str::to_owned))
                            .set_checksum_sha256(part.checksum_sha256().map(str::to_owned))
                            .build(),
                    );
                }
            }
            if !page.is_truncated().unwrap_or(false) {
                return Ok(done);
            }
            marker = page.next_part_number_marker().map(str::to_owned);
            if marker.is_none() {
                return Ok(done);
            }
        }
    }

    /// CompleteMultipartUpload, with its outcome resolved rather than
    /// guessed: a transient failure is retried, and a NoSuchUpload (the
    /// upload is gone: an earlier attempt may have completed it before its
    /// answer was lost) is settled by a HEAD of the destination. Returns the
    /// destination's ETag and version id.
    async fn complete(
        &self,
        upload_id: &str,
        parts: Vec<CompletedPart>,
        count: u64,
    ) -> anyhow::Result<(Option<String>, Option<String>)> {
        let (client, job, opts) = (self.engine.client, self.job, self.opts);
        let mut retries = 0;
        loop {
            let req =
                request::complete_multipart_upload(client, job, opts, upload_id, parts.clone());
            let err = match self.engine.send_once(req.send()).await {
                Ok(done) => {
                    return Ok((
                        done.e_tag().map(str::to_owned),
                        done.version_id().map(str::to_owned),
                    ));
                }
                Err(err) => err,
            };
            let e = S3Error::from_sdk("CompleteMultipartUpload", &err);
            // NoSuchUpload, even when its body was cut off (a bare 404).
            let gone = e.is_code("NoSuchUpload") || e.status == Some(404);
            if gone && let Some(done) = self.completed_already(count).await {
                tracing::info!("upload {upload_id} was completed by an earlier attempt");
                return Ok(done);
            }
            if retries < super::ENGINE_RETRIES && super::transient(&err) {
                retries += 1;
                tracing::warn!(
                    "{e}; completing again ({retries}/{})",
                    super::ENGINE_RETRIES
                );
                tokio::time::sleep(std::time::Duration::from_millis(250 << retries)).await;
                continue;
            }
            let why = super::precondition_context(job, opts, &e)
                .unwrap_or_else(|| format!("cannot complete the multipart upload to {}", job.dst));
            return Err(anyhow::Error::new(e).context(why));
        }
    }

    /// Whether the destination is the object this upload makes: a
    /// multipart ETag with our part count and the source's size.
    async fn completed_already(&self, count: u64) -> Option<(Option<String>, Option<String>)> {
        let (client, job, opts) = (self.engine.client, self.job, self.opts);
        let head = self
            .engine
            .send(|| request::head_destination(client, job, opts).send())
            .await
            .ok()?;
        let etag = head.e_tag()?;
        let ours = etag.trim_matches('"').ends_with(&format!("-{count}"))
            && head.content_length() == Some(self.source.size as i64);
        ours.then(|| (Some(etag.to_owned()), head.version_id().map(str::to_owned)))
    }

    /// Aborts uploads to the destination key that this copy started without
    /// knowing: a CreateMultipartUpload the SDK sent again after a lost
    /// answer starts a second upload. Uploads of the key begun since this
    /// copy's CreateMultipartUpload (give or take a minute of clock skew)
    /// are this copy's.
    async fn sweep_strays(&self, upload_id: &str, started: std::time::SystemTime) {
        let job = self.job;
        let since = started - std::time::Duration::from_secs(60);
        let (client, opts) = (self.engine.client, self.opts);
        let listed = self
            .engine
            .send(|| request::list_destination_uploads(client, job, opts).send())
            .await;
        let Ok(listed) = listed else { return };
        for upload in listed.uploads() {
            let stray = upload.key() == Some(job.dst.key.as_str())
                && upload.upload_id().is_some_and(|id| id != upload_id)
                && upload
                    .initiated()
                    .and_then(|t| std::time::SystemTime::try_from(*t).ok())
                    .is_some_and(|t| t >= since);
            if let (true, Some(id)) = (stray, upload.upload_id()) {
                tracing::info!(
                    "aborting stray upload {id} left by a retried CreateMultipartUpload"
                );
                self.abort(id).await;
            }
        }
    }

    /// The source's tags, read from the same version that was HEADed. A
    /// store that does not implement tagging (Garage: 501 NotImplemented)
    /// has no tags to carry; aws-cli v2 fails the copy there, s3cp goes on
    /// and says so.
    async fn source_tags(&self) -> anyhow::Result<Vec<(String, String)>> {
        let (job, source) = (self.job, self.source);
        let req = request::get_source_tagging(self.engine.client, &job.src, source, self.opts);
        match self.engine.send(|| req.clone().send()).await {
            Ok(out) => Ok(out
                .tag_set()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect()),
            Err(err) => {
                let e = S3Error::from_sdk("GetObjectTagging", &err);
                if e.is_code("NotImplemented") || e.status == Some(501) {
                    tracing::info!(
                        "the source store does not implement tagging ({}): copying without tags",
                        e.code
                    );
                    return Ok(Vec::new());
                }
                let hint = if e.is_code("AccessDenied") {
                    format!(
                        "cannot read the tags of {}: a multipart copy needs the \
                         s3:GetObjectTagging permission on the source to carry its tags; to \
                         copy without them, give --tagging-directive REPLACE (with --tagging \
                         to set new ones)",
                        job.src
                    )
                } else {
                    format!("cannot read the tags of {}", job.src)
                };
                Err(anyhow::Error::new(e).context(hint))
            }
        }
    }

    /// Copies every part, at most `concurrency` at once; returns the
    /// completed parts (in completion order; Complete sorts them). The first
    /// failure stops the rest: dropping the stream cancels requests in flight.
    async fn copy_parts(
        &self,
        upload_id: &str,
        parts: impl Iterator<Item = plan::Part>,
        progress: &dyn Progress,
    ) -> anyhow::Result<Vec<CompletedPart>> {
        let (job, source) = (self.job, self.source);
        futures::stream::iter(parts)
            .map(|part| {
                let req = request::upload_part_copy(
                    self.engine.client,
                    job,
                    source,
                    self.opts,
                    upload_id,
                    part,
                );
                async move {
                    let out = self
                        .engine
                        .send(|| req.clone().send())
                        .await
                        .map_err(|err| {
                            let e = S3Error::from_sdk("UploadPartCopy", &err);
                            let changed = e.is_code("PreconditionFailed");
                            let e = anyhow::Error::new(e).context(format!(
                                "part {} ({})",
                                part.number,
                                part.range_header()
                            ));
                            if changed {
                                e.context(format!(
                                    "the source {} changed during the copy (it no longer has ETag \
                                 {}); the upload was aborted and nothing was written: run s3cp \
                                 again to copy the current version",
                                    job.src, source.etag
                                ))
                            } else {
                                e
                            }
                        })?;
                    let result = out.copy_part_result().ok_or_else(|| {
                        anyhow!("UploadPartCopy of part {} returned no result", part.number)
                    })?;
                    progress.part_copied(part.bytes());
                    Ok::<_, anyhow::Error>(
                        CompletedPart::builder()
                            .part_number(part.number)
                            .set_e_tag(result.e_tag().map(str::to_owned))
                            .set_checksum_crc32(result.checksum_crc32().map(str::to_owned))
                            .set_checksum_crc32_c(result.checksum_crc32_c().map(str::to_owned))
                            .set_checksum_crc64_nvme(
                                result.checksum_crc64_nvme().map(str::to_owned),
                            )
                            .set_checksum_sha1(result.checksum_sha1().map(str::to_owned))
                            .set_checksum_sha256(result.checksum_sha256().map(str::to_owned))
                            .build(),
                    )
                }
            })
            .buffer_unordered(self.engine.concurrency)
            .try_collect()
            .await
    }

    /// Aborts the upload. If even that fails, the user is told exactly which
    /// upload to remove, since s3cp must not leave one behind silently.
    async fn abort(&self, upload_id: &str) {
        let job = self.job;
        let req = request::abort_multipart_upload(self.engine.client, job, self.opts, upload_id);
        match self.engine.send(|| req.clone().send()).await {
            Ok(_) => tracing::info!("aborted multipart upload {upload_id}"),
            Err(err) if S3Error::from_sdk("", &err).is_code("NoSuchUpload") => {
                tracing::info!("multipart upload {upload_id} is already gone")
            }
            Err(err) => tracing::error!(
                "could not abort multipart upload {upload_id} of {} ({}); remove it with: \
                 aws s3api abort-multipart-upload --bucket {} --key '{}' --upload-id {upload_id}",
                job.dst,
                S3Error::from_sdk("AbortMultipartUpload", &err),
                job.dst.bucket,
                job.dst.key
            ),
        }
    }
}
