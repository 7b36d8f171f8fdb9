//! What s3cp prints when it is done: one human line, or one JSON object with
//! `--json`; failures as `s3cp: error: ...` with `Caused by:` lines on
//! stderr (and a JSON error object on stdout with `--json`). Only results go
//! to stdout.

use std::io::{self, Write};

use serde::Serialize;

use crate::config::CopyJob;
use crate::copy::Copied;
use crate::error::Failure;
use crate::options::CopyOptions;
use crate::plan::Method;

/// Sizes as people read them: `12 MiB`, `6 GiB`.
pub fn human_size(bytes: u64) -> String {
    humansize::format_size(bytes, humansize::BINARY)
}

/// The `--json` result of a copy. Field names are a stable contract.
#[derive(Debug, Serialize)]
pub struct CopyResult<'a> {
    pub src: String,
    pub dst: String,
    pub size: u64,
    /// `single` or `multipart`.
    pub method: &'static str,
    /// Part size of a multipart copy; null for a single copy.
    pub part_size: Option<u64>,
    /// Number of UploadPartCopy parts; 0 for a single copy.
    pub parts: u64,
    pub etag: Option<&'a str>,
    /// The destination's new version id; null without versioning.
    pub version_id: Option<&'a str>,
    pub source_version_id: Option<&'a str>,
    pub duration_ms: u64,
    /// `COPY`, `REPLACE` or `MERGE`.
    pub metadata_directive: &'static str,
    /// `COPY` or `REPLACE`.
    pub tagging_directive: &'static str,
    /// `private (default)`, a canned ACL, `grants (...)` or `copied from source`.
    pub acl: String,
    /// `bucket default`, `AES256`, `aws:kms (key ..)`, `SSE-C AES256`, ...
    pub encryption: String,
    pub storage_class: String,
    /// True when only planned (`--dry-run`): nothing was written.
    pub dry_run: bool,
}

impl<'a> CopyResult<'a> {
    pub fn new(job: &CopyJob, opts: &CopyOptions, c: &'a Copied) -> Self {
        let (part_size, parts) = match c.method {
            Method::Single => (None, 0),
            Method::Multipart { part_size, parts } => (Some(part_size), parts),
        };
        Self {
            src: job.src.to_string(),
            dst: job.dst.to_string(),
            size: c.size,
            method: c.method.name(),
            part_size,
            parts,
            etag: c.etag.as_deref(),
            version_id: c.version_id.as_deref(),
            source_version_id: c.source_version_id.as_deref(),
            duration_ms: c.duration.as_millis() as u64,
            metadata_directive: opts.metadata.directive.name(),
            tagging_directive: opts.tagging.directive.name(),
            acl: opts.acl.to_string(),
            encryption: opts.encryption_name(),
            storage_class: opts.storage_class_name(),
            dry_run: c.dry_run,
        }
    }
}

/// The `--json` shape of a failure.
#[derive(Debug, Serialize)]
pub struct ErrorResult {
    pub src: Option<String>,
    pub dst: Option<String>,
    pub error: ErrorDetail,
}

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

pub fn print_copied(
    job: &CopyJob,
    opts: &CopyOptions,
    copied: &Copied,
    json: bool,
) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let r = CopyResult::new(job, opts, copied);
    if json {
        serde_json::to_writer(&mut out, &r)?;
        return writeln!(out);
    }
    let settings = format!(
        "metadata {}, tags {}, ACL {}, encryption {}, storage class {}",
        r.metadata_directive, r.tagging_directive, r.acl, r.encryption, r.storage_class
    );
    if copied.dry_run {
        writeln!(
            out,
            "would copy {} -> {} ({}, {}); {settings}; nothing written (--dry-run)",
            job.src,
            job.dst,
            human_size(copied.size),
            copied.method,
        )
    } else {
        writeln!(
            out,
            "copied {} -> {} ({}, {}) in {:.2}s; {settings}",
            job.src,
            job.dst,
            human_size(copied.size),
            copied.method,
            copied.duration.as_secs_f64()
        )
    }
}

/// Prints a failure: always on stderr, and as JSON on stdout with `--json`.
pub fn print_failure(job: Option<&CopyJob>, failure: &Failure, json: bool) {
    let mut err = io::stderr().lock();
    match failure.error() {
        Some(e) => {
            let _ = writeln!(err, "s3cp: error: {e}");
            for cause in e.chain().skip(1) {
                let _ = writeln!(err, "Caused by: {cause}");
            }
        }
        None => {
            let _ = writeln!(
                err,
                "s3cp: interrupted; multipart uploads in flight were aborted"
            );
        }
    }
    if json {
        print_json_failure(job, failure);
    }
}

/// The `--json` error object, on stdout.
pub fn print_json_failure(job: Option<&CopyJob>, failure: &Failure) {
    let s3 = failure.s3_error();
    let code = match (s3, failure) {
        (Some(e), _) => e.code.clone(),
        (None, Failure::Usage(_)) => "UsageError".into(),
        (None, Failure::Interrupted) => "Interrupted".into(),
        (None, Failure::Copy(_)) => "Error".into(),
    };
    let message = match failure.error() {
        Some(e) => format!("{e:#}"),
        None => "interrupted".into(),
    };
    let result = ErrorResult {
        src: job.map(|j| j.src.to_string()),
        dst: job.map(|j| j.dst.to_string()),
        error: ErrorDetail {
            code,
            message,
            operation: s3.map(|e| e.operation),
            request_id: s3.and_then(|e| e.request_id.clone()),
            exit_code: failure.exit() as u8,
        },
    };
    let mut out = io::stdout().lock();
    let _ = serde_json::to_writer(&mut out, &result);
    let _ = writeln!(out);
}
