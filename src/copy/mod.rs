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

mod gather;
mod multipart;
mod prepare;
mod prove;
mod read;
mod single;
mod skip;
mod stream;

pub use skip::{Outcome, Skipped};
pub use stream::Buffers;

use prepare::{Gathered, Plan};
use stream::Transfer;

// The engine's requests answer in the router's terms.
pub(crate) use crate::region::Sent;

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use aws_sdk_s3::Client;

use aws_sdk_s3::types::StorageClass;
use tokio_util::sync::CancellationToken;

use crate::checksum::{By, Checksum, Proof};
use crate::client::{AttemptLog, Attempts};
use crate::error::{Interrupted, Learned, ResumeRefused, S3Error};
use crate::job::CopyJob;
use crate::journal;
use crate::options::CopyOptions;
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
        let gathered = self.gather(job, source, seen, opts, limits).await?;
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
                ..plan.dry_run(source)
            });
        }
        // Ctrl-C while the source was being read: nothing written, nothing
        // to undo, and nothing to write now.
        if cancel.is_cancelled() {
            return Err(anyhow::Error::new(Interrupted));
        }
        let mut made = prove::Made::new(job, &gathered, opts, &plan.checks);
        made.source_read = self.read_before_write(&made, progress, cancel).await?;
        let (mut copied, keyed, transfer) = self
            .execute(job, &gathered, &plan, opts, started_at, progress, cancel)
            .await?;
        // The plan's requests; the proof adds the reads it sends.
        copied.requests = plan.requests.total();
        made.keyed = keyed;
        // What a stream computed of the bytes it passed on: compared with
        // what the source says, never a proof by itself.
        made.transfer = transfer;
        self.prove(&made, &mut copied, progress, cancel).await?;
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
                let (copied, keyed, transfer) = self
                    .put_streamed(job, source, opts, acl, ask, md5, started, progress, cancel)
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
                task.run(progress, cancel).await
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

/// Explains a failed HEAD of the source, naming the fix where one is known.
fn source_error(
    job: &CopyJob,
    opts: &CopyOptions,
    endpoint: &str,
    err: &aws_sdk_s3::error::SdkError<
        aws_sdk_s3::operation::head_object::HeadObjectError,
        aws_sdk_s3::config::http::HttpResponse,
    >,
) -> anyhow::Error {
    let e = S3Error::from_sdk("HeadObject", err);
    let delete_marker = err
        .raw_response()
        .and_then(|r| r.headers().get("x-amz-delete-marker"))
        == Some("true");
    let what = if e.is_missing_credentials() {
        "no AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
         give --profile, or configure SSO or an instance role"
            .to_owned()
    } else if e.is_credentials() {
        format!(
            "the AWS credentials could not be loaded ({}): check the profile (its role_arn, \
             source_profile or SSO session: aws sso login) and that the role may be assumed",
            e.message
        )
    } else if e.is_unreachable() {
        crate::error::unreachable(endpoint, &format!("read {}", job.src))
    } else if e.status == Some(403) {
        format!(
            "access to the source {} was denied: check the credentials (and --profile) and \
             that they may s3:GetObject it",
            job.src
        )
    } else if delete_marker && job.src.version_id.is_some() || e.status == Some(405) {
        format!(
            "{} is a delete marker, which holds no data: give the id of a version that does \
             (aws s3api list-object-versions lists them)",
            job.src
        )
    } else if delete_marker {
        format!(
            "the current version of {} is a delete marker, so there is no object to copy: \
             give the version to copy, as {}?versionId=ID (list them with \
             aws s3api list-object-versions)",
            job.src, job.src
        )
    } else if crate::region::unnamed_redirect(err) {
        format!(
            "the source bucket {} is in another region, which S3 did not name: give it with \
             --source-region",
            job.src.bucket
        )
    } else if e.status == Some(400) && opts.sse_c_source.is_none() {
        // A HEAD's 400 has no body to say why.
        format!(
            "cannot read the source {}; if it is encrypted with a customer key (SSE-C), give \
             --sse-c-copy-source AES256 and its key; if its bucket is in another region, give \
             that region with --source-region",
            job.src
        )
    } else if e.status == Some(404) && job.src.key.ends_with('/') {
        format!(
            "the source {} does not exist: a key ending in '/' names one object (a folder \
             marker); to copy the objects under this prefix, give --recursive (-r)",
            job.src
        )
    } else if e.status == Some(404) {
        format!("the source {} does not exist", job.src)
    } else {
        format!("cannot read the source {}", job.src)
    };
    anyhow::Error::new(e).context(what)
}

/// An archived source (GLACIER, DEEP_ARCHIVE) can only be copied once
/// restored (`x-amz-restore: ongoing-request="false", ...`).
fn check_restored(job: &CopyJob, source: &SourceObject) -> anyhow::Result<()> {
    let archived = matches!(
        source.storage_class,
        Some(StorageClass::Glacier | StorageClass::DeepArchive)
    ) || source.archive_status.is_some();
    let restored = source
        .restore
        .as_deref()
        .is_some_and(|r| r.contains("ongoing-request=\"false\""));
    if !archived || restored {
        return Ok(());
    }
    let class = match (&source.archive_status, &source.storage_class) {
        (Some(tier), _) => format!("the Intelligent-Tiering {tier} tier"),
        (None, Some(c)) => c.as_str().to_owned(),
        (None, None) => "an archive".to_owned(),
    };
    if source.restore.is_some() {
        anyhow::bail!(
            "{} is in {class} and its restore is still in progress: copy it once the restore \
             has finished (aws s3api head-object shows x-amz-restore)",
            job.src
        );
    }
    anyhow::bail!(
        "{} is in {class} and must be restored before it can be copied: run \
         aws s3api restore-object --bucket {} --key '{}' --restore-request Days=1, \
         then copy it once the restore has finished",
        job.src,
        job.src.bucket,
        job.src.key
    )
}

/// The message for a 412 from CopyObject, CompleteMultipartUpload or a
/// stream's PutObject:
/// `--no-overwrite` met an existing destination, or a source condition
/// failed (they were checked at the HEAD, but the source may have changed
/// since). `None` for other errors.
fn precondition_context(job: &CopyJob, opts: &CopyOptions, e: &S3Error) -> Option<String> {
    if !e.is_code("PreconditionFailed") && e.status != Some(412) {
        return None;
    }
    let exists = match &opts.destination_if_match {
        Some(etag) => format!(
            "{} is not the version with ETag {etag} (--if-match)",
            job.dst
        ),
        None => format!(
            "{} already exists and --no-overwrite (--if-none-match '*') was given",
            job.dst
        ),
    };
    let unmet = format!(
        "the source {} does not meet the --copy-source-if-* conditions given",
        job.src
    );
    // A write of the bytes (Complete, a stream's PutObject) carries no
    // source condition: its 412 is the destination's.
    let writes_bytes = matches!(e.operation, "CompleteMultipartUpload" | "PutObject");
    let why = match (opts.destination_conditional(), opts.conditions.is_empty()) {
        (true, true) => exists,
        (true, false) if writes_bytes => exists,
        (true, false) => format!("{exists}, or {unmet}"),
        (false, _) => unmet,
    };
    Some(format!("precondition failed: {why}; nothing was written"))
}

/// A version id as the report gives it: S3 names the version of an object
/// in an unversioned bucket `"null"`, which s3cp reports as absent, on
/// both paths.
fn version(v: Option<&str>) -> Option<String> {
    v.filter(|v| !v.is_empty() && *v != "null")
        .map(str::to_owned)
}

/// The attempt log of a request that [`Engine::send_to`] may send twice
/// (again in the bucket's region after a redirect): each send gets a fresh
/// log, and the last send's is the one that counts (a redirected send
/// reached no bucket).
#[derive(Debug, Default)]
pub(crate) struct LastAttempts(std::sync::Mutex<Attempts>);

impl LastAttempts {
    /// A new log for the next send.
    pub(crate) fn fresh(&self) -> Attempts {
        let fresh = Attempts::default();
        *self.0.lock().expect("attempts lock") = fresh.clone();
        fresh
    }

    /// The last send's log.
    pub(crate) fn log(&self) -> AttemptLog {
        self.0.lock().expect("attempts lock").log()
    }
}

/// Allowance for comparing this machine's times with the server's once its
/// clock is known from a `Date` header: `Date`, `Last-Modified` and
/// `Initiated` may be whole seconds, and an answer takes time to arrive.
const SKEW: Duration = Duration::from_secs(2);

/// The allowance when no answer carried a `Date`.
const UNKNOWN_SKEW: Duration = Duration::from_secs(30);

/// The server's clock against this machine's, as an answer's `Date` told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerClock {
    /// Server time minus this machine's time, in milliseconds.
    ahead_ms: Option<i128>,
}

impl ServerClock {
    pub(crate) fn from_log(log: &AttemptLog) -> Self {
        let ms = |t: SystemTime| match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_millis() as i128,
            Err(e) => -(e.duration().as_millis() as i128),
        };
        ServerClock {
            ahead_ms: log
                .server_date
                .map(|(server, local)| ms(server) - ms(local)),
        }
    }

    pub(crate) fn is_known(&self) -> bool {
        self.ahead_ms.is_some()
    }

    /// What the server's clock read when this machine's read `local`.
    pub(crate) fn server_time(&self, local: SystemTime) -> SystemTime {
        let ahead = self.ahead_ms.unwrap_or(0);
        let by = Duration::from_millis(ahead.unsigned_abs() as u64);
        if ahead >= 0 { local + by } else { local - by }
    }

    /// How far a time compared with the server's may be off.
    pub(crate) fn margin(&self) -> Duration {
        if self.is_known() { SKEW } else { UNKNOWN_SKEW }
    }
}

/// What s3cp's own write of the destination looks like, to recognise it
/// when the answer to that write was lost and a resend of it failed.
#[derive(Debug, Clone)]
pub(crate) struct OwnWrite {
    pub(crate) size: u64,
    pub(crate) etag: EtagCheck,
    /// When the copy started, by this machine's clock: the object's
    /// Last-Modified is at or after it.
    pub(crate) since: SystemTime,
}

/// What the destination's ETag must be, where it can be known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EtagCheck {
    /// A CopyObject of a single-part, unencrypted or SSE-S3 object keeps
    /// its ETag (the MD5 of its bytes).
    Equals(String),
    /// A multipart upload's ETag ends in `-N`, N its number of parts.
    Parts(u64),
    /// Not comparable (SSE-C, SSE-KMS, a multipart source).
    Any,
}

impl OwnWrite {
    /// Whether the destination's HEAD shows this write; `clock` is the
    /// server's, read from that HEAD's answer.
    pub(crate) fn matches(
        &self,
        head: &aws_sdk_s3::operation::head_object::HeadObjectOutput,
        clock: ServerClock,
    ) -> bool {
        let unquote = |e: &str| e.trim_matches('"').to_owned();
        let size = head.content_length() == Some(self.size as i64);
        // Under KMS or a customer key the ETag is not the MD5 of the bytes.
        let encrypted =
            request::keyed(head.server_side_encryption(), head.sse_customer_algorithm());
        let etag = match (&self.etag, head.e_tag()) {
            (EtagCheck::Any, _) => true,
            (EtagCheck::Equals(_), _) if encrypted => true,
            (EtagCheck::Equals(want), Some(got)) => unquote(want) == unquote(got),
            (EtagCheck::Parts(n), Some(got)) => unquote(got).ends_with(&format!("-{n}")),
            (_, None) => false,
        };
        let earliest = clock.server_time(self.since) - clock.margin();
        let recent = head
            .last_modified()
            .and_then(|t| SystemTime::try_from(*t).ok())
            .is_some_and(|t| t >= earliest);
        size && etag && recent
    }
}

/// What a HEAD of the destination tells of it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Written {
    pub(crate) etag: Option<String>,
    pub(crate) version_id: Option<String>,
    pub(crate) checksum: Option<Checksum>,
    /// Encrypted with SSE-KMS or a customer key (its ETag is not the MD5).
    pub(crate) keyed: bool,
}

impl Written {
    pub(super) fn from_head(head: &aws_sdk_s3::operation::head_object::HeadObjectOutput) -> Self {
        Written {
            etag: head.e_tag().map(str::to_owned),
            version_id: version(head.version_id()),
            checksum: request::head_checksum(head),
            keyed: request::keyed(head.server_side_encryption(), head.sse_customer_algorithm()),
        }
    }
}

impl Engine<'_> {
    /// HEADs the destination and, if it is `own` (this copy's own write,
    /// whose answer was lost), returns what it is.
    pub(crate) async fn own_write(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
        own: &OwnWrite,
    ) -> Option<Written> {
        let attempts = LastAttempts::default();
        let head = self.send_to(&job.dst.bucket, |c| {
            request::head_destination(c, job, opts, None)
                .customize()
                .interceptor(attempts.fresh())
                .send()
        });
        let head = match head.await {
            Ok(head) => head,
            Err(err) => {
                tracing::warn!(
                    "cannot read {} to see whether s3cp wrote it: {}",
                    job.dst,
                    S3Error::from_sdk("HeadObject", &err)
                );
                return None;
            }
        };
        let ours = own.matches(&head, ServerClock::from_log(&attempts.log()));
        tracing::info!(
            "{} is {} bytes, ETag {}, last modified {}: {} this copy's own write",
            job.dst,
            head.content_length().unwrap_or(-1),
            head.e_tag().unwrap_or("none"),
            head.last_modified()
                .map_or("unknown".to_owned(), |t| t.to_string()),
            if ours { "it is" } else { "not" }
        );
        ours.then(|| Written::from_head(&head))
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use aws_sdk_s3::operation::head_object::HeadObjectOutput;
    use aws_sdk_s3::primitives::DateTime;
    use aws_sdk_s3::types::ServerSideEncryption;

    use super::{EtagCheck, OwnWrite, SKEW, ServerClock, UNKNOWN_SKEW, version};
    use crate::client::AttemptLog;

    /// A fixed moment with whole seconds (Last-Modified has no more).
    fn t0() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    /// The clock of a server whose `Date` read `server` when this machine's
    /// clock read `local`.
    fn clock(server: SystemTime, local: SystemTime) -> ServerClock {
        ServerClock::from_log(&AttemptLog {
            server_date: Some((server, local)),
            ..AttemptLog::default()
        })
    }

    fn unknown_clock() -> ServerClock {
        ServerClock::from_log(&AttemptLog::default())
    }

    /// The same clock as this machine's.
    fn same_clock() -> ServerClock {
        clock(t0(), t0())
    }

    fn head(size: i64, etag: &str, modified: SystemTime) -> HeadObjectOutput {
        HeadObjectOutput::builder()
            .content_length(size)
            .e_tag(etag)
            .last_modified(DateTime::from(modified))
            .build()
    }

    fn own(etag: EtagCheck) -> OwnWrite {
        OwnWrite {
            size: 1000,
            etag,
            since: t0(),
        }
    }

    fn equals(etag: &str) -> EtagCheck {
        EtagCheck::Equals(etag.to_owned())
    }

    #[test]
    fn a_server_ahead_or_behind_shifts_its_time_by_that_much() {
        let ahead = clock(t0() + Duration::from_secs(90), t0());
        assert!(ahead.is_known());
        assert_eq!(ahead.server_time(t0()), t0() + Duration::from_secs(90));
        assert_eq!(ahead.margin(), SKEW);

        let behind = clock(t0() - Duration::from_millis(1500), t0());
        assert_eq!(behind.server_time(t0()), t0() - Duration::from_millis(1500));
        // The offset holds for later times too.
        let later = t0() + Duration::from_secs(600);
        assert_eq!(
            behind.server_time(later),
            later - Duration::from_millis(1500)
        );
        assert_eq!(behind.margin(), SKEW);

        assert_eq!(same_clock().server_time(t0()), t0());
    }

    #[test]
    fn an_unknown_server_clock_is_taken_as_ours_with_the_wider_margin() {
        let unknown = unknown_clock();
        assert!(!unknown.is_known());
        assert_eq!(unknown.server_time(t0()), t0());
        assert_eq!(unknown.margin(), UNKNOWN_SKEW);
        assert!(UNKNOWN_SKEW > SKEW);
    }

    #[test]
    fn own_write_matches_size_etag_and_a_recent_last_modified() {
        let ours = own(equals("\"abc\""));
        let now = t0() + Duration::from_secs(1);
        assert!(ours.matches(&head(1000, "\"abc\"", now), same_clock()));
        // Quoted or not, the same ETag.
        assert!(own(equals("abc")).matches(&head(1000, "\"abc\"", now), same_clock()));
        // Another size.
        assert!(!ours.matches(&head(999, "\"abc\"", now), same_clock()));
        // Another ETag.
        assert!(!ours.matches(&head(1000, "\"abd\"", now), same_clock()));
        // No ETag where one is expected.
        let no_etag = HeadObjectOutput::builder()
            .content_length(1000)
            .last_modified(DateTime::from(now))
            .build();
        assert!(!ours.matches(&no_etag, same_clock()));
        // No Last-Modified: not known to be recent.
        let undated = HeadObjectOutput::builder()
            .content_length(1000)
            .e_tag("\"abc\"")
            .build();
        assert!(!ours.matches(&undated, same_clock()));
    }

    #[test]
    fn a_multipart_write_is_known_by_its_part_count() {
        let ours = own(EtagCheck::Parts(3));
        let now = t0() + Duration::from_secs(1);
        assert!(ours.matches(&head(1000, "\"0123-3\"", now), same_clock()));
        assert!(!ours.matches(&head(1000, "\"0123-2\"", now), same_clock()));
        assert!(!ours.matches(&head(1000, "\"0123-13\"", now), same_clock()));
        assert!(!ours.matches(&head(1000, "\"0123\"", now), same_clock()));
    }

    /// A HEAD of an encrypted object whose ETag is not the source's.
    fn encrypted(
        size: i64,
        sse: Option<ServerSideEncryption>,
        customer_key: Option<&str>,
    ) -> HeadObjectOutput {
        HeadObjectOutput::builder()
            .content_length(size)
            .e_tag("\"not-the-md5\"")
            .last_modified(DateTime::from(t0() + Duration::from_secs(1)))
            .set_server_side_encryption(sse)
            .set_sse_customer_algorithm(customer_key.map(str::to_owned))
            .build()
    }

    #[test]
    fn under_kms_or_a_customer_key_the_etag_is_not_compared() {
        let ours = own(equals("\"abc\""));
        let kms = Some(ServerSideEncryption::AwsKms);
        assert!(ours.matches(&encrypted(1000, kms.clone(), None), same_clock()));
        let dsse = Some(ServerSideEncryption::AwsKmsDsse);
        assert!(ours.matches(&encrypted(1000, dsse, None), same_clock()));
        let sse_c = Some("AES256");
        assert!(ours.matches(&encrypted(1000, None, sse_c), same_clock()));
        // SSE-S3 keeps the MD5: compared.
        let sse_s3 = Some(ServerSideEncryption::Aes256);
        assert!(!ours.matches(&encrypted(1000, sse_s3, None), same_clock()));
        assert!(!ours.matches(&encrypted(1000, None, None), same_clock()));
        // The size still counts.
        assert!(!ours.matches(&encrypted(999, kms, None), same_clock()));
        assert!(!ours.matches(&encrypted(999, None, sse_c), same_clock()));
        // Not comparable at all (a multipart source): any ETag.
        let any = own(EtagCheck::Any);
        assert!(any.matches(&encrypted(1000, None, None), same_clock()));
    }

    #[test]
    fn a_last_modified_before_the_start_minus_the_margin_is_not_ours() {
        let ours = own(equals("\"abc\""));
        let at = |t: SystemTime| head(1000, "\"abc\"", t);
        // Known clock: 2 s of allowance.
        assert!(ours.matches(&at(t0()), same_clock()));
        assert!(ours.matches(&at(t0() - SKEW), same_clock()));
        assert!(!ours.matches(&at(t0() - SKEW - Duration::from_secs(1)), same_clock()));
        // Unknown clock: the wider allowance.
        let within = t0() - UNKNOWN_SKEW + Duration::from_secs(1);
        assert!(ours.matches(&at(within), unknown_clock()));
        assert!(!ours.matches(&at(within), same_clock()));
        let outside = t0() - UNKNOWN_SKEW - Duration::from_secs(1);
        assert!(!ours.matches(&at(outside), unknown_clock()));
        // A server 60 s ahead: its times are compared with its own clock.
        let ahead = clock(t0() + Duration::from_secs(60), t0());
        assert!(ours.matches(&at(t0() + Duration::from_secs(59)), ahead));
        assert!(!ours.matches(&at(t0() + Duration::from_secs(30)), ahead));
        // A server 60 s behind: an object it dates before our start is ours.
        let behind = clock(t0() - Duration::from_secs(60), t0());
        assert!(ours.matches(&at(t0() - Duration::from_secs(59)), behind));
        assert!(!ours.matches(&at(t0() - Duration::from_secs(63)), behind));
    }

    #[test]
    fn null_and_empty_version_ids_are_no_version() {
        assert_eq!(version(Some("null")), None);
        assert_eq!(version(Some("")), None);
        assert_eq!(version(None), None);
        assert_eq!(version(Some("3HL4kqtJ")), Some("3HL4kqtJ".to_owned()));
    }
}
