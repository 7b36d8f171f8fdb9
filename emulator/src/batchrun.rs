//! A Batch Operations job run by the double (control.rs), as S3 runs one:
//! the manifest CSV read from the backend (bucket, URL-encoded key,
//! optional version id), one CopyObject per task sent to the backend
//! (signed with the emulator's credentials, outside the latency model)
//! with the operation's fields as headers, then the completion report
//! written under the report prefix: `job-ID/manifest.json` and
//! `job-ID/results/NAME.csv` (Bucket, Key, VersionId, TaskStatus,
//! ErrorCode, HTTPStatusCode, ResultMessage: the documented schema order).
//!
//! The destination key is S3's: TargetKeyPrefix, `/`, the full source key
//! (aws/aws-sdk#355), or the source key alone without a prefix. Tasks the
//! emulator was told to fail (`--batch-fail SUBSTRING=CODE`) are not sent
//! and are reported with that code. A task whose CopyObject meets a 5xx is
//! sent again, up to three times: the backend's transient errors under
//! load (Garage's "database is locked") are the double's, not the
//! client's, and must not fail a task.
//! Not done: AnnotationDirective (no S3 header), redirects, a report per
//! 10,000 rows.
//! `--batch-task-ms` makes each task last at least that long, so that a
//! client can watch a job in progress and cancel it while Active (the
//! job stops between tasks and reports those done).
//!
//! `--batch-deny trust|manifest|report` fails the job where AWS would:
//! before anything (S3 cannot assume the role), at the manifest (the
//! role cannot read it, AWS's reason), or after the tasks, at the report
//! (AWS's reason; the copies stand). A manifest the backend forbids
//! fails with AWS's reason too.

use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::clock;
use crate::control::{Deny, Job, MANIFEST_FORBIDDEN, REPORT_NOT_WRITTEN};
use crate::emu::{Emu, full};
use crate::sign;
use crate::xml::{blocks, element, unescape};
use md5::Digest as _;

/// The longest one backend request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// What a copy source's key keeps unencoded in `x-amz-copy-source`.
const COPY_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// What follows `arn:PARTITION:s3:::` (any partition: aws, aws-cn,
/// aws-us-gov...).
fn arn_resource(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    (!partition.is_empty()).then_some(())?;
    rest.strip_prefix("s3:::")
}

/// `arn:aws:s3:::bucket` -> `bucket`.
pub fn arn_bucket(arn: &str) -> Option<String> {
    let b = arn_resource(arn)?;
    (!b.is_empty() && !b.contains('/')).then(|| b.to_owned())
}

/// `arn:aws:s3:::bucket/key` -> (`bucket`, `key`).
pub fn arn_object(arn: &str) -> Option<(String, String)> {
    let arn = unescape(arn);
    let (b, k) = arn_resource(&arn)?.split_once('/')?;
    (!b.is_empty() && !k.is_empty()).then(|| (b.to_owned(), k.to_owned()))
}

/// One answer from the backend.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A signed request to the backend.
pub async fn backend(
    emu: &Emu,
    method: &str,
    bucket: &str,
    key: &str,
    version: Option<&str>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Result<Answer, String> {
    let path = sign::path(bucket, key);
    let query = version
        .map(|v| sign::query("versionId", v))
        .unwrap_or_default();
    let target = match query.as_str() {
        "" => format!("{}{path}", emu.upstream),
        q => format!("{}{path}?{q}", emu.upstream),
    };
    let mut builder = Request::builder()
        .method(method)
        .uri(target)
        .header(header::HOST, &emu.upstream_host)
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(creds) = &emu.credentials {
        let payload = sign::sha256_hex(&body);
        let host = &emu.upstream_host;
        let signed = sign::sign_all(
            creds,
            &emu.region,
            method,
            host,
            &path,
            &query,
            &headers,
            &payload,
            SystemTime::now(),
        );
        for (k, v) in signed {
            builder = builder.header(k, v);
        }
    }
    for (k, v) in &headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let request = builder.body(full(body)).map_err(|e| e.to_string())?;
    let exchange = async {
        let answer = emu
            .client
            .request(request)
            .await
            .map_err(|e| e.to_string())?;
        let (parts, body) = answer.into_parts();
        let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok(Answer {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    };
    tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .map_err(|_| {
            format!(
                "no answer from the backend in {} s",
                REQUEST_TIMEOUT.as_secs()
            )
        })?
}

/// The ETag of an object in the backend.
pub async fn head(
    emu: &Emu,
    bucket: &str,
    key: &str,
    version: Option<&str>,
) -> Result<String, String> {
    let a = backend(emu, "HEAD", bucket, key, version, Vec::new(), Vec::new()).await?;
    if !a.status.is_success() {
        return Err(format!("s3://{bucket}/{key}: HTTP {}", a.status.as_u16()));
    }
    a.headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| format!("s3://{bucket}/{key}: no ETag"))
}

/// Runs the job in the background.
pub fn start(emu: Arc<Emu>, job: Arc<Job>) {
    *job.started.lock().unwrap() = Some(SystemTime::now());
    tokio::spawn(async move {
        if let Err((code, reason)) = run(&emu, &job).await {
            job.failure_reasons.lock().unwrap().push((code, reason));
            job.set_status("Failed");
        }
    });
}

/// One task's outcome, as its report row.
struct Row {
    bucket: String,
    /// As the manifest gave it (URL-encoded).
    key: String,
    version: String,
    error: Option<(String, u16, String)>,
}

async fn run(emu: &Emu, job: &Job) -> Result<(), (String, String)> {
    if emu.jobs.denies(Deny::Trust) {
        let why = format!(
            "S3 Batch Operations could not assume the role {} (sts:AssumeRole refused: \
             its trust policy does not allow batchoperations.s3.amazonaws.com; injected \
             by s3emu --batch-deny trust)",
            job.role_arn
        );
        return Err(("AssumeRoleFailed".to_owned(), why));
    }
    let forbidden = || {
        (
            "ManifestReadFailed".to_owned(),
            MANIFEST_FORBIDDEN.to_owned(),
        )
    };
    if emu.jobs.denies(Deny::Manifest) {
        return Err(forbidden());
    }
    let location = element(&job.manifest, "Location").unwrap_or_default();
    let (bucket, key) = element(location, "ObjectArn")
        .and_then(arn_object)
        .ok_or(("ManifestInvalid".to_owned(), "no ObjectArn".to_owned()))?;
    let version = element(location, "ObjectVersionId").map(unescape);
    let manifest = backend(
        emu,
        "GET",
        &bucket,
        &key,
        version.as_deref(),
        Vec::new(),
        Vec::new(),
    )
    .await
    .map_err(|e| ("ManifestReadFailed".to_owned(), e))?;
    if manifest.status == StatusCode::FORBIDDEN {
        return Err(forbidden());
    }
    if !manifest.status.is_success() {
        let why = format!(
            "reading s3://{bucket}/{key}: HTTP {}",
            manifest.status.as_u16()
        );
        return Err(("ManifestReadFailed".to_owned(), why));
    }
    let text = String::from_utf8_lossy(&manifest.body).into_owned();
    let tasks: Vec<Vec<String>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(csv_fields)
        .collect();
    job.total.store(tasks.len() as u64, Relaxed);
    let copy = element(&job.operation, "S3PutObjectCopy").unwrap_or_default();
    let target = element(copy, "TargetResource")
        .and_then(arn_bucket)
        .unwrap_or_default();
    let prefix = element(copy, "TargetKeyPrefix").map(unescape);
    let headers = copy_headers(copy);
    let mut rows = Vec::new();
    for task in tasks {
        if job.cancel.load(Relaxed) {
            break;
        }
        let paced = tokio::time::sleep(emu.jobs.task_time);
        let src_bucket = task.first().cloned().unwrap_or_default();
        let encoded = task.get(1).cloned().unwrap_or_default();
        let src_version = task.get(2).cloned().filter(|v| !v.is_empty());
        let key = percent_decode_str(&encoded)
            .decode_utf8_lossy()
            .into_owned();
        let error = match emu
            .jobs
            .fail
            .iter()
            .find(|(sub, _)| key.contains(sub.as_str()))
        {
            Some((_, code)) => Some((
                code.clone(),
                status_of(code),
                format!("{code} (injected by s3emu --batch-fail)"),
            )),
            None => {
                let dest = match &prefix {
                    Some(p) if !p.is_empty() => format!("{p}/{key}"),
                    _ => key.clone(),
                };
                let mut source = format!("/{src_bucket}/{}", utf8_percent_encode(&key, COPY_KEEP));
                if let Some(v) = &src_version {
                    source.push_str(&format!("?versionId={v}"));
                }
                let mut h = headers.clone();
                h.push(("x-amz-copy-source".into(), source));
                match copy_retried(emu, &target, &dest, h).await {
                    // S3 may answer a failed copy 200 with an <Error> body.
                    Ok(a)
                        if a.status.is_success()
                            && element(&String::from_utf8_lossy(&a.body), "Error").is_none() =>
                    {
                        None
                    }
                    Ok(a) => {
                        let body = String::from_utf8_lossy(&a.body).into_owned();
                        let code = element(&body, "Code").unwrap_or("InternalError").to_owned();
                        let message = element(&body, "Message").map(unescape).unwrap_or_default();
                        let status = if a.status.is_success() {
                            500
                        } else {
                            a.status.as_u16()
                        };
                        Some((code, status, message))
                    }
                    Err(e) => Some(("InternalError".to_owned(), 500, e)),
                }
            }
        };
        paced.await;
        match error {
            None => job.succeeded.fetch_add(1, Relaxed),
            Some(_) => job.failed.fetch_add(1, Relaxed),
        };
        rows.push(Row {
            bucket: src_bucket,
            key: encoded,
            version: src_version.unwrap_or_default(),
            error,
        });
    }
    write_report(emu, job, &rows).await?;
    let (ok, failed) = (job.succeeded.load(Relaxed), job.failed.load(Relaxed));
    // Under the status lock, as UpdateJobStatus decides (control.rs).
    let mut status = job.status.lock().unwrap();
    let end = if job.cancel.load(Relaxed) {
        "Cancelled"
    } else if failed > 0 && ok == 0 {
        let why = format!("all {failed} task(s) failed");
        let reason = ("TaskFailureThresholdExceeded".to_owned(), why);
        job.failure_reasons.lock().unwrap().push(reason);
        "Failed"
    } else {
        "Complete"
    };
    *status = end.to_owned();
    drop(status);
    *job.terminated.lock().unwrap() = Some(SystemTime::now());
    Ok(())
}

/// The HTTP status S3 answers an error code with.
fn status_of(code: &str) -> u16 {
    match code {
        "AccessDenied" => 403,
        "NoSuchKey" | "NoSuchBucket" => 404,
        "PreconditionFailed" => 412,
        "InternalError" => 500,
        "SlowDown" | "ServiceUnavailable" => 503,
        _ => 400,
    }
}

/// Attempts of one task's CopyObject against the backend.
const TASK_ATTEMPTS: u32 = 3;

/// One task's CopyObject, sent again after a 5xx answer (the backend's
/// own transient errors, e.g. Garage's "database is locked" under load),
/// at most [`TASK_ATTEMPTS`] times; the last answer stands.
async fn copy_retried(
    emu: &Emu,
    bucket: &str,
    key: &str,
    headers: Vec<(String, String)>,
) -> Result<Answer, String> {
    let mut attempt = 1;
    loop {
        let answer = backend(emu, "PUT", bucket, key, None, headers.clone(), Vec::new()).await;
        let transient = matches!(&answer, Ok(a) if a.status.is_server_error());
        if !transient || attempt == TASK_ATTEMPTS {
            return answer;
        }
        attempt += 1;
        tokio::time::sleep(std::time::Duration::from_millis(50 * u64::from(attempt))).await;
    }
}

/// The CopyObject headers S3PutObjectCopy's fields stand for.
fn copy_headers(op: &str) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| h.push((k.to_owned(), v));
    let field = |name: &str| element(op, name).map(unescape);
    let directive = field("MetadataDirective");
    if let Some(d) = &directive {
        put("x-amz-metadata-directive", d.clone());
    }
    if directive.as_deref() == Some("REPLACE")
        && let Some(meta) = element(op, "NewObjectMetadata")
    {
        for (el, name) in [
            ("CacheControl", "cache-control"),
            ("ContentDisposition", "content-disposition"),
            ("ContentEncoding", "content-encoding"),
            ("ContentLanguage", "content-language"),
            ("ContentType", "content-type"),
        ] {
            if let Some(v) = element(meta, el) {
                put(name, unescape(v));
            }
        }
        if let Some(v) = element(meta, "HttpExpiresDate").and_then(clock::parse_iso8601) {
            put("expires", clock::http_date(v));
        }
        for entry in blocks(element(meta, "UserMetadata").unwrap_or_default(), "entry") {
            if let (Some(k), Some(v)) = (element(entry, "key"), element(entry, "value")) {
                put(
                    &format!("x-amz-meta-{}", unescape(k).to_ascii_lowercase()),
                    unescape(v),
                );
            }
        }
        if let Some(v) = element(meta, "SSEAlgorithm") {
            put(
                "x-amz-server-side-encryption",
                if v == "KMS" {
                    "aws:kms".into()
                } else {
                    v.to_owned()
                },
            );
        }
    }
    let tags = blocks(
        element(op, "NewObjectTagging").unwrap_or_default(),
        "member",
    );
    if !tags.is_empty() {
        let enc = |s: &str| utf8_percent_encode(&unescape(s), NON_ALPHANUMERIC).to_string();
        let pairs: Vec<String> = tags
            .iter()
            .map(|t| {
                format!(
                    "{}={}",
                    enc(element(t, "Key").unwrap_or_default()),
                    enc(element(t, "Value").unwrap_or_default())
                )
            })
            .collect();
        put("x-amz-tagging-directive", "REPLACE".into());
        put("x-amz-tagging", pairs.join("&"));
    }
    if let Some(acl) = field("CannedAccessControlList") {
        put("x-amz-acl", acl);
    }
    let mut grants: Vec<(String, Vec<String>)> = Vec::new();
    for g in blocks(
        element(op, "AccessControlGrants").unwrap_or_default(),
        "member",
    ) {
        let grantee = element(g, "Grantee").unwrap_or_default();
        let (Some(kind), Some(id), Some(permission)) = (
            element(grantee, "TypeIdentifier"),
            element(grantee, "Identifier"),
            element(g, "Permission"),
        ) else {
            continue;
        };
        let header = format!(
            "x-amz-grant-{}",
            permission.to_ascii_lowercase().replace('_', "-")
        );
        let value = format!("{kind}=\"{}\"", unescape(id));
        match grants.iter_mut().find(|(h, _)| *h == header) {
            Some((_, vs)) => vs.push(value),
            None => grants.push((header, vec![value])),
        }
    }
    for (name, values) in grants {
        put(&name, values.join(", "));
    }
    for (el, name) in [
        ("StorageClass", "x-amz-storage-class"),
        (
            "SSEAwsKmsKeyId",
            "x-amz-server-side-encryption-aws-kms-key-id",
        ),
        (
            "BucketKeyEnabled",
            "x-amz-server-side-encryption-bucket-key-enabled",
        ),
        ("ObjectLockLegalHoldStatus", "x-amz-object-lock-legal-hold"),
        ("ObjectLockMode", "x-amz-object-lock-mode"),
        (
            "ObjectLockRetainUntilDate",
            "x-amz-object-lock-retain-until-date",
        ),
        ("ChecksumAlgorithm", "x-amz-checksum-algorithm"),
        ("RedirectLocation", "x-amz-website-redirect-location"),
    ] {
        if let Some(v) = field(el) {
            put(name, v);
        }
    }
    for (el, name) in [
        (
            "ModifiedSinceConstraint",
            "x-amz-copy-source-if-modified-since",
        ),
        (
            "UnModifiedSinceConstraint",
            "x-amz-copy-source-if-unmodified-since",
        ),
    ] {
        if let Some(t) = element(op, el).and_then(clock::parse_iso8601) {
            put(name, clock::http_date(t));
        }
    }
    if field("RequesterPays").as_deref() == Some("true") {
        put("x-amz-request-payer", "requester".into());
    }
    h
}

/// A manifest line's fields (RFC 4180 quoting, one line per record).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
    out
}

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The completion report: result CSVs (failed, and succeeded unless the
/// scope is FailedTasksOnly), then `manifest.json` listing them.
async fn write_report(emu: &Emu, job: &Job, rows: &[Row]) -> Result<(), (String, String)> {
    if element(&job.report, "Enabled") != Some("true") {
        return Ok(());
    }
    let bucket = element(&job.report, "Bucket")
        .and_then(arn_bucket)
        .unwrap_or_default();
    let prefix = element(&job.report, "Prefix")
        .map(unescape)
        .unwrap_or_default();
    let prefix = prefix.trim_end_matches('/');
    let base = match prefix {
        "" => format!("job-{}", job.id),
        p => format!("{p}/job-{}", job.id),
    };
    let failed_only = element(&job.report, "ReportScope") == Some("FailedTasksOnly");
    let fail = |e: String| ("ReportWriteFailed".to_owned(), e);
    if emu.jobs.denies(Deny::Report) {
        return Err(fail(REPORT_NOT_WRITTEN.to_owned()));
    }
    let mut results = Vec::new();
    for status in ["succeeded", "failed"] {
        if status == "succeeded" && failed_only {
            continue;
        }
        let csv: String = rows
            .iter()
            .filter(|r| r.error.is_some() == (status == "failed"))
            .map(|r| {
                let (code, http, message) = match &r.error {
                    Some((c, s, m)) => (c.clone(), *s, m.clone()),
                    None => (String::new(), 200, "Successful".to_owned()),
                };
                let cols = [
                    r.bucket.clone(),
                    r.key.clone(),
                    r.version.clone(),
                    status.to_owned(),
                    code,
                    http.to_string(),
                    message,
                ];
                cols.iter()
                    .map(|c| csv_quote(c))
                    .collect::<Vec<_>>()
                    .join(",")
                    + "\n"
            })
            .collect();
        if csv.is_empty() {
            continue;
        }
        let key = format!(
            "{base}/results/{}.csv",
            &sign::sha256_hex(format!("{}{status}", job.id).as_bytes())[..40]
        );
        let md5 = format!("{:x}", md5::Md5::digest(csv.as_bytes()));
        put(emu, &bucket, &key, csv.into_bytes())
            .await
            .map_err(fail)?;
        results.push(serde_json::json!({
            "TaskExecutionStatus": status, "Bucket": bucket, "MD5Checksum": md5, "Key": key,
        }));
    }
    let manifest = serde_json::json!({
        "Format": "Report_CSV_20180820",
        "ReportCreationDate": clock::iso8601(SystemTime::now()),
        "Results": results,
        "ReportSchema": "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage",
    });
    let body = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    put(emu, &bucket, &format!("{base}/manifest.json"), body)
        .await
        .map_err(fail)
}

async fn put(emu: &Emu, bucket: &str, key: &str, body: Vec<u8>) -> Result<(), String> {
    let a = backend(emu, "PUT", bucket, key, None, Vec::new(), body).await?;
    match a.status.is_success() {
        true => Ok(()),
        false => Err(format!(
            "writing s3://{bucket}/{key}: HTTP {}",
            a.status.as_u16()
        )),
    }
}

#[cfg(test)]
#[path = "batchrun_tests.rs"]
mod tests;
