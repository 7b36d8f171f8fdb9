//! Execution of one object copy: HEAD the source, plan, then either one
//! CopyObject ([`single`]) or a parallel multipart copy ([`multipart`]).
//! Every request is built by [`crate::request`] and sent through
//! [`Engine::send_to`] / [`Engine::send_src`], which leave the choice of
//! region (redirects, a bucket's first request going alone) to
//! [`crate::region::Router`]; progress goes to the [`Progress`] port; the
//! Ctrl-C token is passed in so tests can fire it.
//!
//! Beside the two copy paths: a stream through this machine ([`stream`]),
//! the proof that the copy is the source ([`prove`], [`read`]), the
//! `--skip-*` checks before a copy ([`skip`]), and the recognition of
//! s3cp's own write when its answer was lost ([`own_write`]). The messages
//! that explain a failed copy are with the error kinds
//! ([`crate::error::messages`]).

mod multipart;
mod own_write;
mod prove;
mod read;
mod single;
mod skip;
mod stream;

pub use skip::{Outcome, Skipped};
pub use stream::Buffers;
// The engine's requests answer in the router's terms.
pub(crate) use crate::region::Sent;

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use aws_sdk_s3::Client;
use futures::{StreamExt, TryStreamExt};
use tokio_util::sync::CancellationToken;

use crate::checksum::{self, By, Checksum, Proof};
use crate::error::messages::{check_restored, source_error};
use crate::error::{Interrupted, Learned, NothingToResume, ResumeRefused, S3Error, s3};
use crate::job::CopyJob;
use crate::journal;
use crate::options::{Acl, CopyOptions, MetadataDirective, TaggingDirective};
use crate::plan::{self, Limits, Method};
use crate::progress::Progress;
use crate::region::Router;
use crate::request::{self, SourceObject};
use crate::select::Listed;

/// What a finished copy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub size: u64,
    pub method: Method,
    /// The destination's ETag (a multipart ETag ends in `-N`).
    pub etag: Option<String>,
    /// The destination's new version id (absent without versioning).
    pub version_id: Option<String>,
    /// The source version that was copied.
    pub source_version_id: Option<String>,
    pub duration: Duration,
    /// Only planned (`--dry-run`): nothing was written.
    pub dry_run: bool,
    /// Requests the copy sends when nothing fails, reads included.
    pub requests: u64,
    /// The destination's checksum, as S3 reported it (the copy's answer,
    /// or a HEAD when the answer carried none and it was needed).
    pub checksum: Option<Checksum>,
    /// What proved the destination identical to the source, if anything.
    pub verified: Option<By>,
    /// Why nothing proved it, when nothing did.
    pub unverified: Option<String>,
    /// The bytes passed through this machine (GetObject, then PutObject
    /// or UploadPart) instead of a server-side copy.
    pub streamed: bool,
    /// Uploads of the destination key that an attempt of the copy's
    /// CreateMultipartUpload whose answer was lost may have started, or
    /// another writer did: nothing proves whose they are, so s3cp left
    /// them and names them (ids).
    pub possible_strays: Vec<String>,
}

/// Engine settings that are the same for every object.
#[derive(Debug, Clone, Copy)]
pub struct Engine<'a> {
    /// The client of each destination bucket's region ([`Engine::send_to`]
    /// follows S3's redirects).
    pub regions: &'a crate::region::Regions,
    /// The same for the source's store ([`Engine::send_src`]): the very
    /// same as `regions` when one store holds both ends.
    pub source: &'a crate::region::Regions,
    /// `--copy-mode`, and whether one store holds both ends: together
    /// they say which copies are streamed.
    pub mode: plan::CopyMode,
    pub same_store: bool,
    /// The limits of a streamed copy.
    pub stream_limits: Limits,
    /// The memory of streamed bodies, shared by every copy of the run.
    pub buffers: &'a Buffers,
    pub limits: Limits,
    /// Requests in flight, of every object and part together: each request
    /// holds one permit while it runs.
    pub budget: &'a crate::budget::Budget,
    /// Parts of one object scheduled at once (at most the budget's size).
    pub concurrency: usize,
    /// Keep a failed or interrupted multipart upload (and its journal) for
    /// `--resume` instead of aborting it. A copy that continues a journal
    /// keeps them whatever this says.
    pub keep_partial: bool,
    /// Continue the multipart upload the journal recorded.
    pub resume: bool,
    /// Where requests go, for messages: the endpoint URL, or "the AWS S3
    /// endpoint for region R".
    pub endpoint: &'a str,
    /// The same for the source's store.
    pub source_endpoint: &'a str,
}

impl Engine<'_> {
    /// Sends one request within the shared request budget, holding one
    /// permit for all of its attempts. The SDK's retries are the only ones
    /// (see [`crate::client`]): s3cp never sends a request again itself.
    pub(crate) async fn send<T>(&self, request: impl Future<Output = T>) -> T {
        let _permit = self.budget.acquire().await;
        request.await
    }

    /// The copy writes over its own source: the same key on one store (on
    /// two stores the same names are two objects).
    pub(crate) fn onto_itself(&self, job: &CopyJob) -> bool {
        self.same_store && job.onto_itself()
    }

    /// Sends one request to `bucket` of the destination's store, in the
    /// bucket's region, within the budget: [`Router::send_to`] (which
    /// follows S3's redirects, and lets a bucket's first request go alone).
    pub(crate) async fn send_to<T, E, Fut>(
        &self,
        bucket: &str,
        request: impl Fn(&Client) -> Fut,
    ) -> Sent<T, E>
    where
        Fut: Future<Output = Sent<T, E>>,
        E: aws_sdk_s3::error::ProvideErrorMetadata,
    {
        Router::new(self.regions, self.budget)
            .send_to(bucket, request)
            .await
    }

    /// [`Engine::send_to`] for a read of the source bucket, in the
    /// source's store (the destination's, unless `--source-endpoint-url` or
    /// `--source-profile` name another).
    pub(crate) async fn send_src<T, E, Fut>(
        &self,
        bucket: &str,
        request: impl Fn(&Client) -> Fut,
    ) -> Sent<T, E>
    where
        Fut: Future<Output = Sent<T, E>>,
        E: aws_sdk_s3::error::ProvideErrorMetadata,
    {
        Router::new(self.source, self.budget)
            .send_to(bucket, request)
            .await
    }

    /// Copies one object. `cancel` is Ctrl-C: a multipart copy in flight is
    /// aborted and [`crate::error::Interrupted`] returned. With
    /// `dry_run`, only reads are sent (HEAD, and the source ACL for
    /// `--copy-acl`) and the plan is returned.
    ///
    /// `known` is what is known of the source already: a listing's entry
    /// (an object that one CopyObject copies then needs no HEAD: one request
    /// per object, unless MERGE needs the source's metadata), or the answer
    /// to the HEAD the copy would send (sent to decide `--skip-same`).
    /// `mode` overrides `--copy-mode` for this copy (a manifest line's
    /// `"mode"`).
    #[allow(clippy::too_many_arguments)]
    pub async fn copy(
        &self,
        job: &CopyJob,
        known: Known<'_>,
        mode: Option<plan::CopyMode>,
        opts: &CopyOptions,
        dry_run: bool,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<Copied> {
        let streamed = mode
            .unwrap_or(self.mode)
            .streams(self.same_store)
            .map_err(|e| anyhow::anyhow!("cannot copy {} to {}: {e}", job.src, job.dst))?;
        let mut size = None;
        let result = self
            .copy_source(
                job, known, streamed, opts, dry_run, progress, cancel, &mut size,
            )
            .await;
        // Once the HEAD read it, a failed copy reports the source's size.
        result.map_err(|error| match size {
            Some(size) => Learned::with_size(error, size),
            None => error,
        })
    }

    /// [`Engine::copy`], which sets `size` once the source's size is known.
    #[allow(clippy::too_many_arguments)]
    async fn copy_source(
        &self,
        job: &CopyJob,
        known: Known<'_>,
        streamed: bool,
        opts: &CopyOptions,
        dry_run: bool,
        progress: &dyn Progress,
        cancel: &CancellationToken,
        size: &mut Option<u64>,
    ) -> anyhow::Result<Copied> {
        let started = Instant::now();
        let started_at = SystemTime::now();
        // --verify needs the source's checksum before the copy, to know
        // whether a read must prove it: always a HEAD then. With
        // --part-size source, a multipart source needs its parts read.
        // A streamed copy writes the source's headers itself: always a HEAD.
        let limits = if streamed {
            self.stream_limits
        } else {
            self.limits
        };
        let (listed, headed) = match known {
            Known::Nothing => (None, None),
            Known::Listed(l) => (Some(l), None),
            Known::Headed(h) => (None, Some(h)),
        };
        let known = listed.filter(|l| {
            !streamed
                && l.size <= self.limits.threshold
                && opts.metadata.directive != MetadataDirective::Merge
                && !opts.checksums.verify
                && !(self.limits.source_parts && plan::etag_parts(&l.etag).is_some())
        });
        let source = match (known, headed) {
            (Some(l), _) => SourceObject {
                size: l.size,
                etag: l.etag.clone(),
                ..Default::default()
            },
            (None, Some(head)) => head.clone(),
            (None, None) => {
                let head = self
                    .send_src(&job.src.bucket, |c| {
                        request::head_source(c, &job.src, opts).send()
                    })
                    .await
                    .map_err(|err| source_error(job, opts, self.source_endpoint, &err))?;
                SourceObject::from_head(&head)
            }
        };
        *size = Some(source.size);
        check_restored(job, &source)?;
        // S3 checks the conditions on CopyObject itself; the multipart path
        // must check them here (see SourceConditions::check). Checking on
        // both paths gives one message and writes nothing either way (a
        // listed object has no HEAD: S3's own check on CopyObject decides).
        if known.is_none() {
            opts.conditions
                .check(&source.etag, source.last_modified.as_ref())?;
        }
        // A resumed copy keeps the plan (and upload) it was started with.
        let resumed = match self.resume {
            false => None,
            true => match journal::read(job) {
                Ok(Some(entry)) => Some(entry),
                Ok(None) => {
                    return Err(anyhow::Error::new(NothingToResume(format!(
                        "there is no interrupted copy of {} to {} to resume (no journal at \
                         {}): copy it without --resume",
                        job.src,
                        job.dst,
                        journal::path(job).display()
                    ))));
                }
                Err(why) => return Err(anyhow::Error::new(ResumeRefused(why))),
            },
        };
        let method = match &resumed {
            Some(e) => Method::Multipart {
                part_size: e.part_size,
                parts: e.size.div_ceil(e.part_size),
            },
            None if limits.source_parts => match self.source_parts(job, &source, opts).await? {
                // A streamed single write holds the object in memory: only
                // up to the threshold.
                Method::Single if streamed && source.size > limits.threshold => {
                    plan::plan(source.size, limits)?
                }
                m => m,
            },
            None => plan::plan(source.size, limits)?,
        };
        tracing::info!(
            "{} is {} bytes (ETag {}, version {}): {}",
            job.src,
            source.size,
            source.etag,
            source.version_id.as_deref().unwrap_or("none"),
            match (streamed, method) {
                (false, _) => method.to_string(),
                (true, Method::Single) => "streamed, one GetObject and one PutObject".to_owned(),
                (true, Method::Multipart { part_size, parts }) => {
                    format!("streamed in {parts} parts of {part_size} bytes")
                }
            }
        );
        let acl = match &opts.acl {
            Acl::CopySource => Acl::Grants(self.source_acl(job, &source, opts).await?),
            other => other.clone(),
        };
        // HEAD, GetObjectAcl, and for a multipart copy GetObjectTagging.
        let multipart = matches!(method, Method::Multipart { .. });
        // --part-size source: one HEAD per part of the source.
        let part_heads = match method {
            Method::Multipart { parts, .. } if limits.source_parts && resumed.is_none() => parts,
            _ => 0,
        };
        // A streamed copy reads the tags for its write, single or not.
        let tags_read = (multipart || streamed) && resumed.is_none();
        // The HEAD, unless one was sent before (and counted there).
        let reads = u64::from(known.is_none() && headed.is_none())
            + u64::from(opts.acl == Acl::CopySource)
            + u64::from(tags_read && opts.tagging.directive == TaggingDirective::Copy)
            + part_heads;
        // The source's own parts repeated: the ETags compare, unless a key
        // (KMS, SSE-C) makes them something else than MD5s.
        // (A resumed one too: its journal's part size is the source's, as
        // --part-size source must be given again.)
        let same_parts = multipart && limits.source_parts;
        let facts = prove::facts(&source, opts, multipart, same_parts);
        let checks = match streamed {
            true => checksum::plan_stream(facts, opts.checksums),
            false => checksum::plan(facts, opts.checksums),
        };
        // What this run would create the upload with; a resume must match
        // what the journal's upload was created with, before any write.
        let settings = journal::Settings::of(opts, checks.ask, limits, streamed);
        if let Some(entry) = &resumed {
            refuse_other_settings(job, entry, &settings)?;
        }
        if let Some(note) = &checks.note {
            tracing::info!("{}: {note}", job.dst);
        }
        // A stream's GETs: one per part (or the one write); --verify's
        // read (a read of its own, after a stream's too): one per range.
        let gets = match (streamed, method) {
            (true, Method::Single) => u64::from(source.size > 0),
            (true, Method::Multipart { parts, .. }) => parts,
            (false, _) => 0,
        } + match &checks.proof {
            Proof::Read(_) => source.size.div_ceil(read::RANGE),
            _ => 0,
        };
        let requests = plan::requests(method) + reads + gets;
        if dry_run {
            return Ok(Copied {
                requests,
                size: source.size,
                method,
                etag: None,
                version_id: None,
                source_version_id: source.version_id.clone(),
                duration: started.elapsed(),
                dry_run: true,
                checksum: None,
                verified: None,
                unverified: None,
                streamed,
                possible_strays: Vec::new(),
            });
        }
        // Ctrl-C while the source was being read: nothing written, nothing
        // to undo, and nothing to write now.
        if cancel.is_cancelled() {
            return Err(anyhow::Error::new(Interrupted));
        }
        let mut made = prove::Made {
            job,
            source: &source,
            opts,
            checks: &checks,
            headed: known.is_none(),
            keyed: false,
            source_read: None,
            listed_without_checksum: known.is_some_and(|l| l.has_checksum == Some(false)),
            transfer: None,
        };
        // --verify's read of a source that the copy replaces (onto itself,
        // no versions): before the write, while it is still there.
        if let Proof::Read(algorithm) = checks.proof
            && self.onto_itself(job)
            && source.version_id.is_none()
        {
            made.source_read = Some(self.read(&made, algorithm, progress, cancel).await?);
        }
        // A stream proved by the source's MD5 ETag hashes the bytes.
        let md5 = matches!(checks.proof, Proof::Md5(_));
        let (mut copied, keyed, transfer) = match method {
            Method::Single if streamed => {
                let (copied, keyed, transfer) = self
                    .put_streamed(
                        job, &source, opts, &acl, checks.ask, md5, started_at, progress, cancel,
                    )
                    .await?;
                (copied, keyed, Some(transfer))
            }
            Method::Single => {
                let (copied, keyed) =
                    single::copy(self, job, &source, opts, &acl, checks.ask, started_at).await?;
                (copied, keyed, None)
            }
            Method::Multipart { part_size, .. } => {
                let task = multipart::Task {
                    engine: self,
                    job,
                    source: &source,
                    opts,
                    acl: &acl,
                    part_size,
                    checksum: checks.ask,
                    resume: resumed.as_ref(),
                    settings: &settings,
                    started: started_at,
                    streamed,
                    md5,
                };
                task.run(progress, cancel).await?
            }
        };
        // The plan's requests; the proof adds the reads it sends.
        copied.requests = requests;
        made.keyed = keyed;
        // What a stream computed of the bytes it passed on: compared with
        // what the source says, never a proof by itself.
        made.transfer = transfer;
        self.prove(&made, &mut copied, progress, cancel).await?;
        copied.duration = started.elapsed();
        Ok(copied)
    }

    /// `--part-size source`: the plan that repeats the source's parts. A
    /// single-part source is copied by CopyObject (whose ETag is the
    /// source's already); a multipart one (ETag `-N`) with the sizes of its
    /// parts, each read by a HEAD with `partNumber` (part 1 first, for the
    /// count; the others in parallel within the request budget): only
    /// every size shows parts that cannot be repeated, which are refused
    /// before anything is written (exit 2).
    async fn source_parts(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<Method> {
        let Some(parts) = plan::etag_parts(&source.etag) else {
            return Ok(Method::Single);
        };
        let part_size = |n: i32| async move {
            let head = self
                .send_src(&job.src.bucket, |c| {
                    request::head_source_part(c, &job.src, source, opts, n).send()
                })
                .await
                .map_err(s3("HeadObject"))
                .with_context(|| {
                    format!(
                        "cannot read the size of part {n} of {} for --part-size source",
                        job.src
                    )
                })?;
            Ok::<_, anyhow::Error>((
                head.content_length().unwrap_or(0).max(0) as u64,
                head.parts_count().map(|c| c.max(0) as u64),
            ))
        };
        let (first, count) = part_size(1).await?;
        let parts = count.unwrap_or(parts).min(plan::MAX_PARTS) as i32;
        let rest: Vec<u64> = futures::stream::iter(2..=parts)
            .map(|n| async move { part_size(n).await.map(|(bytes, _)| bytes) })
            .buffered(self.concurrency.max(1))
            .try_collect()
            .await?;
        let sizes: Vec<u64> = std::iter::once(first).chain(rest).collect();
        let method = plan::source_parts(source.size, &sizes)?;
        tracing::info!(
            "{} has {parts} parts of {first} bytes: copied with the same parts",
            job.src
        );
        Ok(method)
    }

    /// The source's tags, read from the same version that was HEADed. A
    /// store that does not implement tagging (Garage: 501 NotImplemented)
    /// has no tags to carry; aws-cli v2 fails the copy there, s3cp goes on
    /// and says so.
    pub(super) async fn source_tags(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<Vec<(String, String)>> {
        let req =
            |c: &aws_sdk_s3::Client| request::get_source_tagging(c, &job.src, source, opts).send();
        match self.send_src(&job.src.bucket, req).await {
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

    async fn source_acl(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<crate::options::Grants> {
        let out = self
            .send_src(&job.src.bucket, |c| {
                request::get_source_acl(c, &job.src, source, opts).send()
            })
            .await
            .map_err(s3("GetObjectAcl"))
            .with_context(|| {
                format!(
                    "cannot read the ACL of {} for --copy-acl (the s3:GetObjectAcl permission \
                     is needed); leave --copy-acl out to copy without it",
                    job.src
                )
            })?;
        Ok(request::grants_from_acl(out.grants()))
    }
}

/// What is known of a source before its copy.
#[derive(Debug, Clone, Copy)]
pub enum Known<'a> {
    /// Nothing: the copy HEADs it.
    Nothing,
    /// A listing's entry.
    Listed(&'a Listed),
    /// The answer to the copy's own HEAD, sent before.
    Headed(&'a SourceObject),
}

/// `--resume` with flags that would have created another upload than the
/// journal's: refused (exit 2), each flag named with both values, so that
/// the upload is never completed as if it had this run's settings.
fn refuse_other_settings(
    job: &CopyJob,
    entry: &journal::Entry,
    now: &journal::Settings,
) -> anyhow::Result<()> {
    let differences = entry.settings.differences(now);
    if differences.is_empty() {
        return Ok(());
    }
    let each: Vec<String> = differences
        .iter()
        .map(|d| format!("{}: {} then, {} now", d.flag, d.then, d.now))
        .collect();
    Err(anyhow::Error::new(ResumeRefused(format!(
        "upload {} of {} was created with other settings than this run's ({}), and it keeps \
         those it was created with: resume with the flags of the interrupted copy, or remove \
         it with {} and copy again without --resume; nothing was written",
        entry.upload_id,
        job.dst,
        each.join("; "),
        multipart::abort_command(job, &entry.upload_id)
    ))))
}

/// A version id as the report gives it: S3 names the version of an object
/// in an unversioned bucket `"null"`, which s3cp reports as absent, on
/// both paths.
fn version(v: Option<&str>) -> Option<String> {
    v.filter(|v| !v.is_empty() && *v != "null")
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn null_and_empty_version_ids_are_no_version() {
        assert_eq!(version(Some("null")), None);
        assert_eq!(version(Some("")), None);
        assert_eq!(version(None), None);
        assert_eq!(version(Some("3HL4kqtJ")), Some("3HL4kqtJ".to_owned()));
    }
}
