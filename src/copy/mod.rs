//! Execution of one object copy, in four steps ([`Engine::copy`]): gather
//! what must be read before anything is decided ([`gather`]: the source's
//! HEAD or what is known of it, the journal of a resumed copy, the
//! source's parts and ACL), prepare the plan from that alone ([`prepare`],
//! pure: method, checksums, the requests it sends; `--dry-run` stops
//! there), execute it (one CopyObject, [`single`]; a streamed PutObject,
//! [`stream`]; or a multipart copy, [`multipart`]), then prove the copy
//! identical to its source ([`prove`]).
//! Every request is built by [`crate::request`] and sent through
//! [`Engine::send_to`] / [`Engine::send_src`], which leave the choice of
//! region (redirects, a bucket's first request going alone) to
//! [`crate::region::Router`]; progress goes to the [`Progress`] port; the
//! Ctrl-C token is passed in so tests can fire it.
//!
//! Beside the two copy paths: a stream through this machine ([`stream`]),
//! the proof that the copy is the source ([`prove`], [`read`]), the
//! `--skip-*` checks before a copy ([`skip`]), and the recognition of
//! s3cp's own write when its answer was lost ([`own_write`]); for `s3cp
//! mv`, the source's conditional delete ([`delete`]) or, within one
//! directory bucket, one RenameObject instead of both ([`rename`]). The
//! messages
//! that explain a failed copy are with the error kinds
//! ([`crate::error::messages`]).

mod annotations;
mod delete;
mod gather;
mod multipart;
mod own_write;
mod prepare;
mod prove;
mod read;
mod rename;
mod rerun;
mod single;
mod skip;
mod stream;

pub use annotations::{Annotation, AnnotationStores};
pub use skip::{Outcome, Sized, Skipped};
pub use stream::Buffers;

pub use delete::{Kept, KeptReason, SourceFate, SourceVersion, may_delete, version_to_delete};
use prepare::{Gathered, Plan};
pub use rename::{RenameSourceChanged, rename_refused_by, rename_source_changed};
use stream::Transfer;

// The engine's requests answer in the router's terms.
pub(crate) use crate::region::Sent;

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use aws_sdk_s3::Client;
use tokio_util::sync::CancellationToken;

use crate::checksum::{By, Checksum, Proof};
use crate::error::{Interrupted, Learned, ResumeRefused, S3Error};
use crate::job::CopyJob;
use crate::journal;
use crate::options::{AnnotationDirective, CopyOptions};
use crate::plan::{self, Limits, Method};
use crate::progress::Progress;
use crate::region::{Router, Watch};
use crate::request::{self, SourceObject};
use crate::select::Listed;
use crate::stop::End;

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
    /// The ETag of the source that was copied: what a move's delete is
    /// conditional on.
    pub source_etag: String,
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
    /// `s3cp mv` in one directory bucket: moved by one RenameObject, the
    /// object itself (nothing copied, nothing to delete after).
    pub renamed: bool,
    /// Uploads of the destination key that an attempt of the copy's
    /// CreateMultipartUpload whose answer was lost may have started, or
    /// another writer did: nothing proves whose they are, so s3cp left
    /// them and names them (ids).
    pub possible_strays: Vec<String>,
    /// What a resumed copy found of its upload (none for a copy that
    /// started one).
    pub resumed: Option<Resumed>,
    /// `--skip-same` could not tell whether the destination was the same
    /// (multipart or SSE-KMS ETags, no comparable checksum): copied again.
    pub uncompared: bool,
    /// The source's annotations that s3cp wrote to the destination (a
    /// multipart or streamed copy); `None` where CopyObject copied them
    /// itself, or under `--annotation-directive EXCLUDE`.
    pub annotations: Option<u64>,
}

impl Copied {
    /// A copy of `size` bytes made by `method` from the source version
    /// `source_version_id`, before anything of its answer or proof is
    /// known: each path fills in what its write told.
    pub(crate) fn made(
        size: u64,
        method: Method,
        streamed: bool,
        source_version_id: Option<String>,
    ) -> Self {
        Copied {
            size,
            method,
            etag: None,
            version_id: None,
            source_version_id,
            source_etag: String::new(),
            duration: Duration::ZERO,
            dry_run: false,
            requests: 0,
            checksum: None,
            verified: None,
            unverified: None,
            streamed,
            renamed: false,
            possible_strays: Vec::new(),
            resumed: None,
            uncompared: false,
            annotations: None,
        }
    }
}

/// What a resumed multipart copy found of its upload: the parts already
/// there (not copied again) and the ListParts pages that told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resumed {
    pub parts_done: u64,
    pub list_pages: u64,
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
    /// the next run instead of aborting it. A copy that continues a
    /// journal keeps them whatever this says.
    pub keep_partial: bool,
    /// What a copy does with an interrupted copy's journal.
    pub resume: journal::Resume,
    /// Where the journals are, keyed by this run's stores.
    pub journals: &'a journal::Journals,
    /// This run's command line, for the hint that says to run it again.
    pub rerun: &'a str,
    /// Where requests go, for messages: the endpoint URL, or "the AWS S3
    /// endpoint for region R".
    pub endpoint: &'a str,
    /// The same for the source's store.
    pub source_endpoint: &'a str,
    /// The run's early stop: every request's failure is judged by it, and
    /// once it is tripped nothing more is sent ([`crate::stop`]).
    pub stop: &'a crate::stop::Stop,
    /// Which buckets keep annotations, as learned in this run.
    pub annotations: &'a AnnotationStores,
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
        E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
    {
        let watch = Watch {
            stop: self.stop,
            end: End::Destination,
            endpoint: self.endpoint,
        };
        Router::watched(self.regions, self.budget, watch)
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
        E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
    {
        let watch = Watch {
            stop: self.stop,
            end: End::Source,
            endpoint: self.source_endpoint,
        };
        Router::watched(self.source, self.budget, watch)
            .send_to(bucket, request)
            .await
    }

    /// Copies one object. `cancel` is Ctrl-C: a multipart copy in flight is
    /// aborted and [`crate::error::Interrupted`] returned. With
    /// `dry_run`, only the reads that the plan is made from are sent
    /// ([`gather`]: the HEAD, the parts' HEADs for `--part-size source`,
    /// the source ACL for `--copy-acl`) and the plan is returned.
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
            .streams_from(self.same_store, &job.src.bucket)
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

    /// [`Engine::copy`], which sets `size` once the source's size is known:
    /// gather what must be read first, prepare the plan from it (pure; a
    /// dry run stops there), execute it, prove the copy.
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
        let limits = match streamed {
            true => self.stream_limits,
            false => self.limits,
        };
        let (source, seen) = self.know_source(job, known, streamed, opts).await?;
        *size = Some(source.size);
        let gathered = self
            .gather(job, source, seen, opts, limits, dry_run)
            .await?;
        let plan = prepare::prepare(job, &gathered, opts, limits, streamed)?;
        let source = &gathered.source;
        tracing::info!(
            "{} is {} bytes (ETag {}, version {}): {}",
            job.src,
            source.size,
            source.etag,
            source.version_id.as_deref().unwrap_or("none"),
            plan.how()
        );
        if let Some(note) = &plan.checks.note {
            tracing::info!("{}: {note}", job.dst);
        }
        if dry_run {
            return Ok(Copied {
                duration: started.elapsed(),
                source_etag: source.etag.clone(),
                ..plan.dry_run(source)
            });
        }
        // Ctrl-C while the source was being read: nothing written, nothing
        // to undo, and nothing to write now.
        if cancel.is_cancelled() {
            return Err(anyhow::Error::new(Interrupted));
        }
        // A multipart copy or a stream carries the annotations itself:
        // read before anything is written.
        let carried = opts.annotations.directive == AnnotationDirective::Copy
            && (plan.streamed || matches!(plan.method, Method::Multipart { .. }));
        let (annotations, read) = match carried {
            true => self.source_annotations(job, source, opts).await?,
            false => (Vec::new(), 0),
        };
        let mut made = prove::Made::new(job, &gathered, opts, &plan.checks);
        made.part_size = match plan.method {
            Method::Multipart { part_size, .. } => Some(part_size),
            Method::Single => None,
        };
        made.source_read = self.read_before_write(&made, progress, cancel).await?;
        let (mut copied, keyed, transfer) = self
            .execute(job, &gathered, &plan, opts, started_at, progress, cancel)
            .await?;
        // The plan's requests (a resumed copy's as far as its upload was
        // found done); the proof adds the reads it sends.
        copied.requests = plan.requests.sent(copied.resumed) + gathered.rerun_requests;
        copied.source_etag = source.etag.clone();
        made.keyed = keyed;
        // What a stream computed of the bytes it passed on: compared with
        // what the source says, never a proof by itself.
        made.transfer = transfer;
        self.prove(&made, &mut copied, progress, cancel).await?;
        if carried {
            let (written, sent) = self
                .write_annotations(job, &copied, annotations, opts)
                .await?;
            copied.annotations = Some(written);
            copied.requests += read + sent;
        }
        copied.duration = started.elapsed();
        Ok(copied)
    }

    /// The writes of `plan`: one CopyObject, a streamed PutObject, or a
    /// multipart [`multipart::Task`] (copied or streamed parts). Returns
    /// what was written, whether the destination is encrypted with SSE-KMS
    /// or a customer key (its ETag is then no MD5), and a stream's own
    /// digests of the bytes it passed on.
    #[allow(clippy::too_many_arguments)]
    async fn execute(
        &self,
        job: &CopyJob,
        gathered: &Gathered,
        plan: &Plan,
        opts: &CopyOptions,
        started: SystemTime,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<(Copied, bool, Option<Transfer>)> {
        let (source, acl, ask) = (&gathered.source, &gathered.acl, plan.checks.ask);
        // A stream proved by the source's MD5 ETag hashes the bytes.
        let md5 = matches!(plan.checks.proof, Proof::Md5(_));
        match plan.method {
            Method::Single if plan.streamed => {
                // Boxed, as a multipart copy is: a bulk run holds every
                // object in flight in the size of its largest path, where
                // most take the single CopyObject (issue 24).
                let (copied, keyed, transfer) = Box::pin(
                    self.put_streamed(job, source, opts, acl, ask, md5, started, progress, cancel),
                )
                .await?;
                Ok((copied, keyed, Some(transfer)))
            }
            Method::Single => {
                let (copied, keyed) =
                    single::copy(self, job, source, opts, acl, ask, started).await?;
                Ok((copied, keyed, None))
            }
            Method::Multipart { part_size, .. } => {
                let task = multipart::Task {
                    engine: self,
                    job,
                    source,
                    opts,
                    acl,
                    part_size,
                    checksum: ask,
                    resume: gathered.resumed.as_ref(),
                    settings: &plan.settings,
                    started,
                    streamed: plan.streamed,
                    md5,
                };
                Box::pin(task.run(progress, cancel)).await
            }
        }
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
        tags(self.send_src(&job.src.bucket, req).await).map_err(|e| {
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
            anyhow::Error::new(e).context(hint)
        })
    }
}

/// An object's tags from a GetObjectTagging answer. A store that does not
/// implement tagging (Garage: 501 NotImplemented) keeps none.
pub(super) fn tags<E>(
    answer: Result<
        aws_sdk_s3::operation::get_object_tagging::GetObjectTaggingOutput,
        aws_sdk_s3::error::SdkError<E, aws_sdk_s3::config::http::HttpResponse>,
    >,
) -> Result<Vec<(String, String)>, S3Error>
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    match answer {
        Ok(out) => Ok(out
            .tag_set()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect()),
        Err(err) => {
            let e = S3Error::from_sdk("GetObjectTagging", &err);
            if e.is_code("NotImplemented") || e.status == Some(501) {
                tracing::info!(
                    "the store does not implement tagging ({}): its objects have no tags",
                    e.code
                );
                return Ok(Vec::new());
            }
            Err(e)
        }
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

/// A rerun (or `--resume`) with flags that would have created another
/// upload than the journal's: refused (exit 2), each flag named with both
/// values, so that the upload is never completed as if it had this run's
/// settings.
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
        "upload {} of {} (an interrupted copy, which this run would finish) was created with \
         other settings than this run's ({}), and it keeps those it was created with: run \
         with the flags of the interrupted copy to finish it, or give --no-resume (instead of \
         --resume) to abort it and copy afresh with these; nothing was written",
        entry.upload_id,
        job.dst,
        each.join("; ")
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
