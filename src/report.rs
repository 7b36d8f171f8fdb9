//! What s3cp prints: one line per object (human, or a JSON line with
//! `--json`), a summary for bulk runs, and failures as `s3cp: error: ...`
//! with `Caused by:` lines on stderr. Only results go to stdout; every JSON
//! line carries its `type` and the `schema` version (documented in README).

use std::fmt;
use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use crate::checksum::{By, Checksum};
use crate::copy::{Copied, KeptReason, Skipped, SourceFate};
use crate::error::{ChecksumMismatch, Failure, NotVerified};
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::plan::Method;
use crate::skip::Reason;

/// Version of the JSON output schema; bumped on any incompatible change.
pub const SCHEMA: u32 = 1;

/// Sizes as people read them (defined beside the progress port, which
/// prints them too and must not import this module).
pub use crate::progress::human_size;

/// A plan as the result line and `-v` say it: `single CopyObject`,
/// `multipart, 24 parts of 256 MiB`. (Formatting lives here, so that
/// [`crate::plan`] stays pure.)
impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::Single => f.write_str("single CopyObject"),
            Method::Multipart { part_size, parts } => write!(
                f,
                "multipart, {parts} part{} of {}",
                if *parts == 1 { "" } else { "s" },
                human_size(*part_size)
            ),
        }
    }
}

/// How one object ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Copied,
    /// `--dry-run`: planned, nothing written.
    Planned,
    /// Not copied: `--skip-existing` or `--skip-same` found the
    /// destination there (or the same), or `--no-overwrite` met an
    /// existing destination in a bulk run.
    Skipped,
    Failed,
}

/// One `"type": "copy"` JSON line. Field names are a stable contract.
#[derive(Debug, Serialize)]
pub struct CopyLine<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub schema: u32,
    pub status: Status,
    pub src: String,
    pub dst: String,
    /// Null when the copy failed before the source's size was known.
    pub size: Option<u64>,
    /// `single`, `multipart`, `stream`, or `rename` (`s3cp mv` in one
    /// directory bucket: one RenameObject).
    pub method: Option<&'static str>,
    /// Part size of a multipart copy; null for a single copy.
    pub part_size: Option<u64>,
    /// Number of UploadPartCopy parts; 0 for a single copy.
    pub parts: Option<u64>,
    /// Requests this copy sends when nothing fails (HEAD and reads included).
    pub requests: Option<u64>,
    pub etag: Option<&'a str>,
    /// The destination's new version id; null without versioning.
    pub version_id: Option<&'a str>,
    pub source_version_id: Option<&'a str>,
    pub duration_ms: u64,
    /// `COPY`, `REPLACE` or `MERGE`.
    pub metadata_directive: &'static str,
    /// `COPY` or `REPLACE`.
    pub tagging_directive: &'static str,
    /// `COPY` or `EXCLUDE`.
    pub annotation_directive: &'static str,
    /// `private (default)`, a canned ACL, `grants (...)` or `copied from source`.
    pub acl: String,
    /// `bucket default`, `AES256`, `aws:kms (key ..)`, `SSE-C AES256`, ...
    pub encryption: String,
    pub storage_class: String,
    /// The destination's checksum as S3 reported it; null when it has none
    /// (or none was reported).
    pub checksum: Option<ChecksumLine>,
    /// True when the destination was proved identical to the source, false
    /// when it was proved different (or `--verify` could not prove it),
    /// null when nothing could prove it.
    pub verified: Option<bool>,
    /// `checksum`, `etag` or `read`; null when not verified.
    pub verified_by: Option<&'static str>,
    /// Why the copy is not verified (null when it is).
    pub unverified_reason: Option<String>,
    /// True when only planned (`--dry-run`): nothing was written.
    pub dry_run: bool,
    /// Why a `skipped` object was not copied: `exists` (`--skip-existing`,
    /// `--no-overwrite`) or `same` (`--skip-same`); null otherwise.
    pub skip_reason: Option<&'static str>,
    /// Set when `status` is `failed`, or `skipped` by `--no-overwrite`'s
    /// refused write.
    pub error: Option<ErrorDetail>,
    /// Ids of uploads of the destination key that a CreateMultipartUpload
    /// whose answer was lost may have started, or another writer did:
    /// left, since nothing proves whose they are (empty when none).
    pub possible_strays: Vec<String>,
    /// The source's annotations s3cp wrote to the destination (a multipart
    /// or streamed copy); null where CopyObject copied them itself, under
    /// `--annotation-directive EXCLUDE`, or when nothing was copied.
    pub annotations: Option<u64>,
    /// `s3cp mv`: whether the source was deleted (absent for a copy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_deleted: Option<bool>,
    /// `s3cp mv`: why the source was kept (`source_changed`, `not_proved`,
    /// `copy_failed`, `delete_failed`, `skipped`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_reason: Option<&'static str>,
}

impl<'a> CopyLine<'a> {
    /// [`CopyLine::settings`] of `job`: into a directory bucket, what it
    /// gets in place of S3's defaults there (EXPRESS_ONEZONE, and REPLACE
    /// with no tags: [`crate::options::directory`]).
    fn settings_of(job: &CopyJob, opts: &CopyOptions, status: Status, dry_run: bool) -> Self {
        let line = Self::settings(
            job.src.to_string(),
            job.dst.to_string(),
            opts,
            status,
            dry_run,
        );
        match crate::uri::is_directory_bucket(&job.dst.bucket) {
            true => CopyLine {
                storage_class: crate::options::directory::storage_class(&job.dst.bucket, opts)
                    .map_or(line.storage_class, |c| c.as_str().to_owned()),
                tagging_directive: crate::options::TaggingDirective::Replace.name(),
                ..line
            },
            false => line,
        }
    }

    fn settings(
        src: String,
        dst: String,
        opts: &CopyOptions,
        status: Status,
        dry_run: bool,
    ) -> Self {
        CopyLine {
            kind: "copy",
            schema: SCHEMA,
            status,
            src,
            dst,
            size: None,
            method: None,
            part_size: None,
            parts: None,
            requests: None,
            etag: None,
            version_id: None,
            source_version_id: None,
            duration_ms: 0,
            metadata_directive: opts.metadata.directive.name(),
            tagging_directive: opts.tagging.directive.name(),
            annotation_directive: opts.annotations.directive.name(),
            acl: opts.acl.to_string(),
            encryption: opts.encryption_name(),
            storage_class: opts.storage_class_name(),
            checksum: None,
            verified: None,
            verified_by: None,
            unverified_reason: None,
            dry_run,
            skip_reason: None,
            error: None,
            possible_strays: Vec::new(),
            annotations: None,
            source_deleted: None,
            kept_reason: None,
        }
    }

    /// A move's line: what became of its source. A source kept after a
    /// copy that completed keeps `copied`, with why in `error`.
    pub fn moved(mut self, fate: &SourceFate) -> Self {
        match fate {
            SourceFate::Deleted { .. } => self.source_deleted = Some(true),
            SourceFate::WouldDelete => self.source_deleted = Some(false),
            SourceFate::Kept(kept) => {
                self.source_deleted = Some(false);
                self.kept_reason = Some(kept.reason.name());
                if self.error.is_none() && kept.reason != KeptReason::Skipped {
                    self.error = Some(ErrorDetail {
                        code: match kept.reason {
                            KeptReason::SourceChanged => "SourceChanged",
                            KeptReason::NotProved => "NotProved",
                            _ => "DeleteFailed",
                        }
                        .to_owned(),
                        message: kept.why.clone(),
                        operation: Some("DeleteObject").filter(|_| {
                            matches!(
                                kept.reason,
                                KeptReason::SourceChanged | KeptReason::DeleteFailed
                            )
                        }),
                        request_id: None,
                        exit_code: 1,
                    });
                }
            }
        }
        self
    }

    /// An object skipped by `--skip-existing` or `--skip-same`: the
    /// destination's size, ETag and (when read) checksum; a destination
    /// found the same is proved identical, by ETag or checksum.
    pub fn skipped(job: &CopyJob, opts: &CopyOptions, s: &'a Skipped, dry_run: bool) -> Self {
        let by = match s.reason {
            Reason::Same(by) => Some(by),
            Reason::Exists => None,
        };
        CopyLine {
            size: Some(s.size),
            requests: Some(s.requests),
            etag: Some(s.etag.as_str()).filter(|e| !e.is_empty()),
            checksum: s.checksum.as_ref().map(ChecksumLine::new),
            verified: by.map(|_| true),
            verified_by: by.map(By::name),
            skip_reason: Some(s.reason.name()),
            ..Self::settings_of(job, opts, Status::Skipped, dry_run)
        }
    }

    pub fn copied(job: &CopyJob, opts: &CopyOptions, c: &'a Copied) -> Self {
        let (part_size, parts) = match c.method {
            Method::Single => (None, 0),
            Method::Multipart { part_size, parts } => (Some(part_size), parts),
        };
        let status = if c.dry_run {
            Status::Planned
        } else {
            Status::Copied
        };
        CopyLine {
            size: Some(c.size),
            method: Some(match (c.renamed, c.streamed) {
                (true, _) => "rename",
                (false, true) => "stream",
                (false, false) => c.method.name(),
            }),
            part_size,
            parts: Some(parts),
            requests: Some(c.requests),
            etag: c.etag.as_deref(),
            version_id: c.version_id.as_deref(),
            source_version_id: c.source_version_id.as_deref(),
            duration_ms: c.duration.as_millis() as u64,
            checksum: c.checksum.as_ref().map(ChecksumLine::new),
            verified: c.verified.map(|_| true),
            verified_by: c.verified.map(By::name),
            unverified_reason: c.unverified.clone(),
            possible_strays: c.possible_strays.clone(),
            annotations: c.annotations,
            ..Self::settings_of(job, opts, status, c.dry_run)
        }
    }

    pub fn failed(
        job: &CopyJob,
        opts: &CopyOptions,
        status: Status,
        failure: &'a Failure,
        dry_run: bool,
    ) -> Self {
        // A copy proved different, or not proved under --verify: the
        // destination exists, with the checksum and ETag S3 reported.
        let made = failure.error().and_then(|e| {
            e.chain().find_map(|c| {
                c.downcast_ref::<ChecksumMismatch>()
                    .map(|m| (&m.checksum, &m.etag))
                    .or_else(|| {
                        c.downcast_ref::<NotVerified>()
                            .map(|n| (&n.checksum, &n.etag))
                    })
            })
        });
        CopyLine {
            size: failure.size(),
            verified: made.map(|_| false),
            checksum: made.and_then(|(c, _)| c.as_ref().map(ChecksumLine::new)),
            etag: made.and_then(|(_, e)| e.as_deref()),
            possible_strays: failure.possible_strays().to_vec(),
            ..Self::unparsed(
                job.src.to_string(),
                job.dst.to_string(),
                opts,
                failure,
                status,
                dry_run,
            )
        }
    }

    /// A failure of a copy whose URIs may not even parse (a bad manifest
    /// line): `src` and `dst` as written.
    pub fn unparsed(
        src: String,
        dst: String,
        opts: &CopyOptions,
        failure: &Failure,
        status: Status,
        dry_run: bool,
    ) -> Self {
        CopyLine {
            error: Some(ErrorDetail::new(failure)),
            // Only --no-overwrite's refused write is skipped with an error.
            skip_reason: (status == Status::Skipped).then_some(Reason::Exists.name()),
            ..Self::settings(src, dst, opts, status, dry_run)
        }
    }
}

/// A checksum in JSON, under S3's names.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct ChecksumLine {
    /// One of S3's ten names: `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`,
    /// `MD5`, `SHA512`, `XXHASH3`, `XXHASH64`, `XXHASH128`.
    pub algorithm: &'static str,
    /// `FULL_OBJECT` or `COMPOSITE`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Base64, as S3 gives it.
    pub value: String,
}

impl ChecksumLine {
    fn new(c: &Checksum) -> Self {
        ChecksumLine {
            algorithm: c.algorithm.name(),
            kind: c.kind.name(),
            value: c.value.clone(),
        }
    }
}

/// What went wrong, in JSON.
#[derive(Debug, Serialize)]
pub struct ErrorDetail {
    /// The S3 error code (`AccessDenied`, `PreconditionFailed`, ...), or
    /// `UsageError` / `Interrupted` / `Error` when no S3 request failed.
    pub code: String,
    /// The whole error with its causes, on one line.
    pub message: String,
    pub operation: Option<&'static str>,
    pub request_id: Option<String>,
    pub exit_code: u8,
}

impl ErrorDetail {
    pub fn new(failure: &Failure) -> Self {
        let s3 = failure.s3_error();
        let precondition = failure.error().is_some_and(|e| {
            e.chain().any(|c| {
                c.downcast_ref::<crate::options::ConditionFailed>()
                    .is_some()
            })
        });
        let found = |f: &dyn Fn(&(dyn std::error::Error + 'static)) -> bool| {
            failure.error().is_some_and(|e| e.chain().any(f))
        };
        let code = match (s3, failure) {
            _ if found(&|c| c.is::<ChecksumMismatch>()) => "ChecksumMismatch".into(),
            _ if found(&|c| c.is::<NotVerified>()) => "NotVerified".into(),
            (Some(e), _) => e.code.clone(),
            (None, _) if precondition => "PreconditionFailed".into(),
            (None, Failure::Usage(_)) => "UsageError".into(),
            (None, Failure::Interrupted { .. }) => "Interrupted".into(),
            (None, Failure::Copy(_)) => "Error".into(),
        };
        Self {
            code,
            message: match (failure.error(), failure) {
                (Some(e), _) => format!("{e:#}"),
                (
                    None,
                    Failure::Interrupted {
                        note: Some(note), ..
                    },
                ) => format!("interrupted: {note}"),
                (None, _) => "interrupted".into(),
            },
            operation: s3.map(|e| e.operation),
            request_id: s3.and_then(|e| e.request_id.clone()),
            exit_code: failure.exit() as u8,
        }
    }
}

/// The `"type": "error"` line: a failure that belongs to no object (bad
/// usage, an unreadable manifest).
#[derive(Debug, Serialize)]
struct ErrorLine {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    error: ErrorDetail,
}

/// The `"type": "summary"` line of a bulk run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub schema: u32,
    pub copied: u64,
    pub planned: u64,
    pub skipped: u64,
    pub failed: u64,
    /// Objects the run did not copy because it stopped early on an error
    /// that every object would meet ([`crate::stop`]): those it had
    /// selected (a manifest's every remaining line; a listing stops too,
    /// so only the keys it had listed).
    pub not_attempted: u64,
    /// Keys left out of the listing because they lie under the destination
    /// prefix, inside the source prefix (s3cp's own output).
    pub excluded: u64,
    /// Copies proved identical to their source (by checksum, ETag or read).
    pub verified: u64,
    /// Copies made that nothing proved identical (`verified` null).
    pub unverified: u64,
    /// Bytes copied (or planned).
    pub bytes: u64,
    /// HTTP requests sent, retries included.
    pub requests: u64,
    pub retries: u64,
    /// Requests in flight the run settled at (the last limit of an
    /// adaptive budget; `--concurrency` when fixed).
    pub concurrency: usize,
    pub duration_ms: u64,
    /// True when Ctrl-C stopped the run.
    pub interrupted: bool,
    /// Uploads the copies may have started without knowing, or other
    /// writers did (each named on its copy's line): left, not aborted.
    pub possible_strays: u64,
    /// Objects `--skip-same` copied because nothing could tell whether
    /// their destination was the same: said on stderr
    /// ([`Printer::uncompared`]), not in the JSON summary.
    #[serde(skip)]
    pub uncompared: u64,
    /// `s3cp mv`: sources deleted (absent for a copy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<u64>,
    /// `s3cp mv`: sources kept, for any reason (absent for a copy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept: Option<u64>,
    /// Of those, kept for a reason that fails the run (all but a skip).
    #[serde(skip)]
    pub kept_failing: u64,
    /// `--batch`: the S3 Batch Operations job that copied the run's
    /// objects up to the multipart threshold (absent without a job).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// The job's status when s3cp stopped watching it (`Complete`,
    /// `Failed`, `Cancelled`; `Active`... with `--no-wait` or Ctrl-C).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_status: Option<String>,
}

impl Summary {
    pub fn new() -> Self {
        Summary {
            kind: "summary",
            schema: SCHEMA,
            ..Default::default()
        }
    }

    /// Counts one object; `verified` as its line gives it.
    pub fn count(&mut self, status: Status, bytes: u64, verified: Option<bool>) {
        if status == Status::Copied {
            match verified {
                Some(true) => self.verified += 1,
                _ => self.unverified += 1,
            }
        }
        match status {
            Status::Copied => self.copied += 1,
            Status::Planned => self.planned += 1,
            Status::Skipped => self.skipped += 1,
            Status::Failed => self.failed += 1,
        }
        if matches!(status, Status::Copied | Status::Planned) {
            self.bytes += bytes;
        }
    }
}

/// Prints results as they come, human or JSON, through the progress bars
/// (hidden while a line is written).
#[derive(Debug, Clone, Copy, Default)]
pub struct Printer {
    pub json: bool,
    pub quiet: bool,
    /// `--only-show-errors`: failures and the bulk summary.
    pub only_errors: bool,
    /// `-v`: a bulk run's skipped objects get a line too.
    pub verbose: bool,
    /// A bulk run: short human lines (the settings, the same for every
    /// object, are said once by [`Printer::settings`]), and no line for a
    /// skipped object unless `verbose`. JSON lines are the same either way.
    pub bulk: bool,
}

/// The settings every object of a run gets, as the human lines say them.
fn settings_text(line: &CopyLine<'_>) -> String {
    format!(
        "metadata {}, tags {}{}, ACL {}, encryption {}, storage class {}",
        line.metadata_directive,
        line.tagging_directive,
        match line.annotation_directive {
            "COPY" => "",
            _ => ", annotations EXCLUDE",
        },
        line.acl,
        line.encryption,
        line.storage_class
    )
}

impl Printer {
    fn stdout(&self, line: &str) {
        crate::progress::suspend(|| {
            let mut out = io::stdout().lock();
            // A closed stdout (`| head`) is not a failed copy.
            let _ = writeln!(out, "{line}");
        });
    }

    fn stderr(&self, text: &str) {
        crate::progress::suspend(|| {
            let _ = io::stderr().lock().write_all(text.as_bytes());
        });
    }

    /// Any JSON line (with `--json`).
    pub fn json_line<T: Serialize>(&self, value: &T) {
        self.stdout(&serde_json::to_string(value).expect("serializable"));
    }

    /// A human line, unless `--quiet`.
    pub fn human(&self, text: &str) {
        if !self.quiet {
            self.stdout(text);
        }
    }

    /// One object's line.
    pub fn object(&self, line: &CopyLine<'_>, failure: Option<&Failure>) {
        if let Some(f) = failure
            && line.status == Status::Failed
        {
            self.stderr(&error_text(f));
        }
        // A move whose copy completed (or was not needed) and whose source
        // was kept failed its move: said where failures are, with -q and
        // --only-show-errors too.
        if matches!(line.status, Status::Copied | Status::Skipped)
            && line
                .kept_reason
                .is_some_and(|r| r != KeptReason::Skipped.name())
            && let Some(e) = &line.error
        {
            self.stderr(&format!("s3cp: error: {}", e.message));
        }
        if self.json {
            self.stdout(&serde_json::to_string(line).expect("serializable"));
            return;
        }
        if self.quiet || self.only_errors || line.status == Status::Failed {
            return;
        }
        if self.bulk && line.status == Status::Skipped && !self.verbose {
            return;
        }
        let settings = settings_text(line);
        let streamed = line.method == Some("stream");
        let renamed = line.method == Some("rename");
        let what = match (line.size, line.method, line.parts, line.part_size) {
            (Some(size), _, _, _) if renamed => format!("{}, RenameObject", human_size(size)),
            (Some(size), Some(_), Some(parts), Some(part)) if streamed => format!(
                "{}, streamed in {parts} part{} of {}",
                human_size(size),
                if parts == 1 { "" } else { "s" },
                human_size(part)
            ),
            (Some(size), Some(_), Some(parts), Some(part)) => format!(
                "{}, {}",
                human_size(size),
                Method::Multipart {
                    part_size: part,
                    parts
                }
            ),
            (Some(size), _, _, _) if streamed => {
                format!("{}, streamed with one PutObject", human_size(size))
            }
            (Some(size), _, _, _) => format!("{}, {}", human_size(size), Method::Single),
            _ => String::new(),
        };
        let what = match line.annotations {
            Some(n) if n > 0 => format!("{what}, {n} annotation{}", plural(n)),
            _ => what,
        };
        let text = match line.status {
            Status::Planned if renamed => format!(
                "would move {} -> {} ({what}, {} request{}){}",
                line.src,
                line.dst,
                line.requests.unwrap_or(0),
                plural(line.requests.unwrap_or(0)),
                match self.bulk {
                    true => "",
                    false => "; nothing written (--dry-run)",
                }
            ),
            Status::Planned if self.bulk && line.source_deleted.is_some() => format!(
                "would move {} -> {} ({what}, {} request{} and a conditional delete in a batch)",
                line.src,
                line.dst,
                line.requests.unwrap_or(0),
                plural(line.requests.unwrap_or(0))
            ),
            Status::Planned if self.bulk => format!(
                "would copy {} -> {} ({what}, {} request{})",
                line.src,
                line.dst,
                line.requests.unwrap_or(0),
                plural(line.requests.unwrap_or(0))
            ),
            Status::Copied if line.source_deleted == Some(true) => {
                format!("moved {} -> {} ({what})", line.src, line.dst)
            }
            Status::Copied if line.kept_reason.is_some() => format!(
                "copied {} -> {} ({what}), source kept: {}",
                line.src,
                line.dst,
                line.kept_reason.unwrap_or_default()
            ),
            Status::Planned if line.source_deleted.is_some() && !self.bulk => format!(
                "would move {} -> {} ({what}, {} requests and the source's conditional delete); \
                 {settings}; nothing written (--dry-run)",
                line.src,
                line.dst,
                line.requests.unwrap_or(0)
            ),
            Status::Copied if self.bulk => format!("copied {} -> {} ({what})", line.src, line.dst),
            Status::Planned => format!(
                "would copy {} -> {} ({what}, {} requests); {settings}; nothing written (--dry-run)",
                line.src,
                line.dst,
                line.requests.unwrap_or(0)
            ),
            // s3cp mv --skip-same: nothing to copy, the source deleted.
            Status::Skipped if line.source_deleted.is_some() && line.kept_reason.is_none() => {
                format!(
                    "{} {} -> {} (nothing copied: the destination was already the same, by {}, \
                     headers, metadata and tags; the source {})",
                    if line.dry_run { "would move" } else { "moved" },
                    line.src,
                    line.dst,
                    match line.verified_by {
                        Some("checksum") => format!(
                            "size and {} checksum",
                            line.checksum.as_ref().map_or("checksum", |c| c.algorithm)
                        ),
                        _ => "size and ETag".to_owned(),
                    },
                    if line.dry_run {
                        "would be deleted (--dry-run)"
                    } else {
                        "deleted"
                    }
                )
            }
            Status::Skipped => format!(
                "skipped {} -> {}: {}{}{}",
                line.src,
                line.dst,
                skipped_because(line),
                match line.kept_reason {
                    Some(reason) if reason != "skipped" => format!(", source kept: {reason}"),
                    _ => String::new(),
                },
                if line.dry_run { " (--dry-run)" } else { "" }
            ),
            _ => format!(
                "copied {} -> {} ({what}) in {:.2}s; {}; {settings}",
                line.src,
                line.dst,
                Duration::from_millis(line.duration_ms).as_secs_f64(),
                verification(line)
            ),
        };
        self.stdout(&text);
    }

    /// A bulk run's first human line: the settings every object gets
    /// (said once, not on each object's line).
    pub fn settings(&self, opts: &CopyOptions, dry_run: bool) {
        if self.json || self.quiet || self.only_errors {
            return;
        }
        let line = CopyLine::settings(String::new(), String::new(), opts, Status::Planned, dry_run);
        self.stdout(&format!(
            "settings for every object: {}{}",
            settings_text(&line),
            if dry_run {
                "; nothing written (--dry-run)"
            } else {
                ""
            }
        ));
    }

    /// The one line at the end of a `--skip-same` run that copied
    /// `count` objects again for want of a comparison: how many, and what
    /// lets a rerun skip them (`source_parts`: the run already repeated
    /// the sources' parts). On stderr, with `--json` too; not with `-q`.
    pub fn uncompared(&self, count: u64, source_parts: bool) {
        if count == 0 || self.quiet {
            return;
        }
        self.stderr(&uncompared_text(count, source_parts));
    }

    /// A failure of the whole run, not of one object.
    pub fn run_failure(&self, failure: &Failure) {
        self.stderr(&error_text(failure));
        self.json_only_failure(failure);
    }

    /// The `"type": "error"` JSON line alone (with `--json`).
    pub fn json_only_failure(&self, failure: &Failure) {
        if self.json {
            let line = ErrorLine {
                kind: "error",
                schema: SCHEMA,
                error: ErrorDetail::new(failure),
            };
            self.stdout(&serde_json::to_string(&line).expect("serializable"));
        }
    }

    /// This printer, heard even under `--quiet` and `--only-show-errors`:
    /// for what a run must say (a dry run's plan, the id of a job that
    /// runs on without s3cp).
    pub fn loud(self) -> Self {
        Printer {
            quiet: false,
            only_errors: false,
            ..self
        }
    }

    /// A note on stderr (`s3cp: note: ...`), unless `--quiet`: what to do
    /// next, with `--json` too.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            self.stderr(&format!("s3cp: note: {text}\n"));
        }
    }

    /// A warning on stderr (`s3cp: warning: ...`), unless `--quiet`.
    pub fn warning(&self, text: &str) {
        if !self.quiet {
            self.stderr(&format!("s3cp: warning: {text}\n"));
        }
    }

    /// The cause of a run's early stop, once, with its fix.
    /// `unshown`: objects that failed the same way once the run had
    /// stopped (in flight then) without a line of their own.
    pub fn stop_line(&self, cause: &str, not_attempted: u64, unshown: u64) {
        let unshown = match unshown {
            0 => String::new(),
            n => format!(
                "; {n} more object{} in flight failed the same way (not shown)",
                plural(n)
            ),
        };
        self.stderr(&format!(
            "s3cp: error: stopped early, since every object would fail the same way: {cause}; \
             {not_attempted} object{} not attempted{unshown}\n",
            plural(not_attempted)
        ));
    }

    pub fn summary(&self, s: &Summary) {
        if self.json {
            self.stdout(&serde_json::to_string(s).expect("serializable"));
        } else if !self.quiet {
            let done = if s.planned > 0 {
                format!("{} planned", s.planned)
            } else {
                format!("{} copied", s.copied)
            };
            let not_attempted = match s.not_attempted {
                0 => String::new(),
                n => format!(", {n} not attempted"),
            };
            let excluded = if s.excluded > 0 {
                format!(
                    ", {} excluded (under the destination, inside the source)",
                    s.excluded
                )
            } else {
                String::new()
            };
            let verified = if s.copied > 0 {
                format!(" ({} verified, {} unverified)", s.verified, s.unverified)
            } else {
                String::new()
            };
            let moved = match (s.deleted, s.kept) {
                (Some(deleted), Some(kept)) => {
                    format!("; {deleted} source{} deleted, {kept} kept", plural(deleted))
                }
                _ => String::new(),
            };
            let strays = match s.possible_strays {
                0 => String::new(),
                n => format!(
                    "; {n} possible stray upload{} left (named above)",
                    plural(n)
                ),
            };
            let job = match (&s.job_id, &s.job_status) {
                (Some(id), Some(status)) => format!("; job {id} {status}"),
                (Some(id), None) => format!("; job {id}"),
                _ => String::new(),
            };
            self.stdout(&format!(
                "summary: {done}{verified}, {} skipped, {} failed{not_attempted}{excluded}{moved}{job}; {}; {} requests ({} retries, {} in flight) in {:.2}s{strays}{}",
                s.skipped,
                s.failed,
                human_size(s.bytes),
                s.requests,
                s.retries,
                s.concurrency,
                Duration::from_millis(s.duration_ms).as_secs_f64(),
                if s.interrupted { "; interrupted" } else { "" }
            ));
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn uncompared_text(count: u64, source_parts: bool) -> String {
    let fix = match source_parts {
        false => {
            "; copied once with --part-size source, a destination gets its source's ETag \
             (the same parts), and later --skip-same reruns skip it"
        }
        true => {
            "; objects under SSE-KMS or a customer key compare only by a full-object \
             checksum of one algorithm on both sides"
        }
    };
    format!(
        "s3cp: note: {count} object{} copied again: --skip-same could not tell whether {} \
         the same as {} source{} (multipart or SSE-KMS ETags, and no comparable full-object \
         checksum on both sides; -v names each){fix}\n",
        plural(count),
        if count == 1 {
            "its destination was"
        } else {
            "their destinations were"
        },
        if count == 1 { "its" } else { "their" },
        plural(count),
    )
}

/// `verified (CRC64NVME)`, `verified (ETag)`, `verified (CRC64NVME, read)`
/// or `not verified: why`.
fn verification(line: &CopyLine<'_>) -> String {
    let algorithm = line.checksum.as_ref().map_or("checksum", |c| c.algorithm);
    match line.verified_by {
        Some("etag") => "verified (ETag)".to_owned(),
        Some("read") => format!("verified ({algorithm}, read)"),
        Some(_) => format!("verified ({algorithm})"),
        None => format!(
            "not verified: {}",
            line.unverified_reason
                .as_deref()
                .unwrap_or("nothing proved it")
        ),
    }
}

/// Why a skipped object was not copied, as its line says.
fn skipped_because(line: &CopyLine<'_>) -> String {
    let algorithm = line.checksum.as_ref().map_or("checksum", |c| c.algorithm);
    match (line.skip_reason, line.verified_by) {
        (Some("same"), Some("checksum")) => {
            format!("the same as the source, by size and {algorithm} checksum (--skip-same)")
        }
        (Some("same"), _) => "the same as the source, by size and ETag (--skip-same)".to_owned(),
        _ if line.error.is_some() => "it already exists (--no-overwrite)".to_owned(),
        _ => "it already exists (--skip-existing)".to_owned(),
    }
}

/// `s3cp: error: ...` and one `Caused by:` line per cause.
fn error_text(failure: &Failure) -> String {
    match failure.error() {
        Some(e) => {
            let mut text = format!("s3cp: error: {e}\n");
            for cause in e.chain().skip(1) {
                text.push_str(&format!("Caused by: {cause}\n"));
            }
            text
        }
        None => match failure {
            Failure::Interrupted {
                note: Some(note), ..
            } => format!("s3cp: interrupted; {note}\n"),
            _ => "s3cp: interrupted; multipart uploads in flight were aborted\n".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_read_as_people_say_them() {
        assert_eq!(Method::Single.to_string(), "single CopyObject");
        let m = Method::Multipart {
            part_size: 256 << 20,
            parts: 24,
        };
        assert_eq!(m.to_string(), "multipart, 24 parts of 256 MiB");
        let one = Method::Multipart {
            part_size: 5 << 20,
            parts: 1,
        };
        assert_eq!(one.to_string(), "multipart, 1 part of 5 MiB");
    }
}
