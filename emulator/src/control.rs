//! A test double of the S3 Control job API (S3 Batch Operations), so that
//! a client's `--batch` path can run end to end here: CreateJob,
//! DescribeJob, ListJobs and UpdateJobStatus under `/v20180820/jobs`, in
//! the REST-XML shapes aws-sdk-s3control serializes and parses (root
//! elements `CreateJobResult`, `DescribeJobResult`, `ListJobsResult`,
//! `UpdateJobStatusResult`; errors wrapped in `ErrorResponse`).
//!
//! What it checks at CreateJob is what a real job would fail on for a
//! copy: the `x-amz-account-id` header, an `S3PutObjectCopy` operation
//! with a TargetResource, a `S3BatchOperations_CSV_20180820` manifest
//! with Fields, its ObjectArn and ETag (the ETag must be the manifest
//! object's own in the backend, as S3 refuses a stale one), a Report
//! (or `Enabled` false), a RoleArn and a Priority. The same
//! ClientRequestToken with the same request gives the same job (with
//! another request: IdempotencyException). Not checked: signatures, the
//! role's permissions, the job's region.
//!
//! Permissions are not checked, but their absence is answered as AWS
//! answers it when s3emu is told to (`--batch-deny WHAT`, [`Deny`]), so
//! that a client's messages for each can be tested (s3cp's
//! `batchops::permissions`, whose module doc gives AWS's sources):
//! - `create-job`: CreateJob refused, HTTP 403 `AccessDenied`, with IAM's
//!   same-account text naming `s3:CreateJob`;
//! - `pass-role`: CreateJob refused, HTTP 403 `AccessDenied`, naming
//!   `iam:PassRole` on the request's RoleArn;
//! - `trust`: the job is created (S3 assumes the role only when the job
//!   runs), then `Failed`: it could not assume the role (AWS publishes no
//!   text for this; the double's says so);
//! - `manifest`: the job `Failed` with AWS's documented reason "Reading
//!   the manifest is forbidden: AccessDenied";
//! - `report`: the tasks run and copy, then the job `Failed` with AWS's
//!   "The job report could not be written to your report bucket. Please
//!   check your permissions." (no report is written).
//!
//! The FailureCodes the double gives with those reasons (`AssumeRoleFailed`,
//! `ManifestReadFailed`, `ReportWriteFailed`) are its own: AWS does not
//! publish its codes.
//!
//! Lifecycle: `ConfirmationRequired` true leaves the job `Suspended`
//! until UpdateJobStatus `Ready`; then (or at once) it is `Active` and
//! runs in the background (batchrun.rs) to `Complete`, or `Failed` when
//! every task failed (AWS fails a job past a 50 % task failure rate after
//! 1,000 tasks; a small job here fails only if none succeeded), or
//! `Cancelled` when asked (from `Suspended` at once, from `Active` after
//! the task in flight).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use http::{Method, Request, Response, header};
use http_body_util::BodyExt;
use hyper::body::Incoming;

use crate::batchrun;
use crate::clock;
use crate::emu::{Body, Emu, full};
use crate::xml::{self, element, escape};

/// Where the job API lives (S3 Control's REST path, version 2018-08-20).
pub const PREFIX: &str = "/v20180820/jobs";
const NS: &str = r#"xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/""#;
const MAX_BODY: usize = 1 << 20;

/// A permission the double answers as missing (`--batch-deny`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// The caller has no `s3:CreateJob`.
    CreateJob,
    /// The caller may not pass the job's role (`iam:PassRole`).
    PassRole,
    /// The role does not trust `batchoperations.s3.amazonaws.com`.
    Trust,
    /// The role cannot read the manifest.
    Manifest,
    /// The role cannot write the completion report.
    Report,
}

/// AWS's FailureReason when the role cannot read the manifest.
pub const MANIFEST_FORBIDDEN: &str = "Reading the manifest is forbidden: AccessDenied";
/// AWS's FailureReason when the role cannot write the report.
pub const REPORT_NOT_WRITTEN: &str =
    "The job report could not be written to your report bucket. Please check your permissions.";

/// One job.
pub struct Job {
    pub id: String,
    pub account: String,
    pub status: Mutex<String>,
    pub confirmation_required: bool,
    pub description: String,
    pub priority: String,
    pub role_arn: String,
    /// The request's own `<Manifest>`, `<Operation>`, `<Report>` (inner
    /// XML), echoed by DescribeJob as the SDK wrote them.
    pub manifest: String,
    pub operation: String,
    pub report: String,
    pub created: SystemTime,
    pub terminated: Mutex<Option<SystemTime>>,
    pub started: Mutex<Option<SystemTime>>,
    pub total: AtomicU64,
    pub succeeded: AtomicU64,
    pub failed: AtomicU64,
    pub cancel: AtomicBool,
    pub failure_reasons: Mutex<Vec<(String, String)>>,
    /// The hash of the request, for ClientRequestToken idempotency.
    request: String,
}

impl Job {
    pub fn status(&self) -> String {
        self.status.lock().unwrap().clone()
    }

    pub fn set_status(&self, status: &str) {
        *self.status.lock().unwrap() = status.to_owned();
        if matches!(status, "Complete" | "Failed" | "Cancelled") {
            *self.terminated.lock().unwrap() = Some(SystemTime::now());
        }
    }
}

/// All jobs, by id, and the tokens they were created with.
pub struct Jobs {
    jobs: Mutex<Vec<Arc<Job>>>,
    tokens: Mutex<HashMap<(String, String), Arc<Job>>>,
    /// (substring of the key, S3 error code): tasks failed on purpose.
    pub fail: Vec<(String, String)>,
    /// The time each task takes at least (so that a client sees a job
    /// in progress, and can cancel it while Active).
    pub task_time: std::time::Duration,
    /// Permissions answered as missing.
    pub deny: Vec<Deny>,
}

impl Jobs {
    pub fn new(
        fail: Vec<(String, String)>,
        task_time: std::time::Duration,
        deny: Vec<Deny>,
    ) -> Jobs {
        Jobs {
            jobs: Mutex::default(),
            tokens: Mutex::default(),
            fail,
            task_time,
            deny,
        }
    }

    pub fn denies(&self, what: Deny) -> bool {
        self.deny.contains(&what)
    }

    fn get(&self, account: &str, id: &str) -> Option<Arc<Job>> {
        let jobs = self.jobs.lock().unwrap();
        jobs.iter()
            .find(|j| j.id == id && j.account == account)
            .cloned()
    }
}

/// Answers one request under [`PREFIX`].
pub async fn handle(emu: Arc<Emu>, req: Request<Incoming>) -> Response<Body> {
    let Some(account) = req
        .headers()
        .get("x-amz-account-id")
        .and_then(|v| v.to_str().ok())
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
    else {
        return error(
            400,
            "InvalidRequest",
            "Missing required header for this request: x-amz-account-id",
        );
    };
    let path = req.uri().path().to_owned();
    let query: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let rest = path[PREFIX.len()..].trim_start_matches('/').to_owned();
    let method = req.method().clone();
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    match (method, parts.as_slice()) {
        (Method::POST, []) => {
            let body = match http_body_util::Limited::new(req.into_body(), MAX_BODY)
                .collect()
                .await
            {
                Ok(b) => String::from_utf8_lossy(&b.to_bytes()).into_owned(),
                Err(_) => return error(400, "MalformedXML", "The request body could not be read."),
            };
            create(&emu, &account, &body).await
        }
        (Method::GET, []) => list(&emu, &account, &query),
        (Method::GET, [id]) => match emu.jobs.get(&account, id) {
            Some(job) => ok(describe(&job)),
            None => not_found(id),
        },
        (Method::POST, [id, "status"]) => update(&emu, &account, id, &query),
        _ => error(
            405,
            "MethodNotAllowed",
            "The S3 Control double answers CreateJob, DescribeJob, ListJobs and UpdateJobStatus.",
        ),
    }
}

async fn create(emu: &Arc<Emu>, account: &str, body: &str) -> Response<Body> {
    // Authorization comes before the request is read, as on AWS.
    let caller = format!("arn:aws:iam::{account}:user/s3emu");
    if emu.jobs.denies(Deny::CreateJob) {
        let m = format!(
            "User: {caller} is not authorized to perform: s3:CreateJob on resource: \
             arn:aws:s3:{}:{account}:job/* because no identity-based policy allows the \
             s3:CreateJob action",
            emu.region
        );
        return error(403, "AccessDenied", &m);
    }
    if emu.jobs.denies(Deny::PassRole) {
        let role = xml::unescape(element(body, "RoleArn").unwrap_or_default());
        let m = format!(
            "User: {caller} is not authorized to perform: iam:PassRole on resource: {role} \
             because no identity-based policy allows the iam:PassRole action"
        );
        return error(403, "AccessDenied", &m);
    }
    let bad = |m: &str| error(400, "InvalidRequest", m);
    let Some(operation) = element(body, "Operation") else {
        return bad("Operation is required");
    };
    let Some(copy) = element(operation, "S3PutObjectCopy") else {
        return bad("The S3 Batch Operations double runs S3PutObjectCopy jobs only");
    };
    if element(copy, "TargetResource").is_none_or(|t| batchrun::arn_bucket(t).is_none()) {
        return bad("S3PutObjectCopy needs a TargetResource: arn:aws:s3:::BUCKET");
    }
    let Some(manifest) = element(body, "Manifest") else {
        return bad("Manifest is required");
    };
    let spec = element(manifest, "Spec").unwrap_or_default();
    if element(spec, "Format") != Some("S3BatchOperations_CSV_20180820") {
        return bad("Manifest Spec Format must be S3BatchOperations_CSV_20180820");
    }
    let fields: Vec<&str> = xml::blocks(element(spec, "Fields").unwrap_or_default(), "member");
    if fields.get(..2) != Some(&["Bucket", "Key"][..])
        || fields.len() > 3
        || fields.get(2).is_some_and(|f| *f != "VersionId")
    {
        return bad("Manifest Spec Fields must be Bucket, Key and optionally VersionId");
    }
    let location = element(manifest, "Location").unwrap_or_default();
    let Some((bucket, key)) = element(location, "ObjectArn").and_then(batchrun::arn_object) else {
        return bad("Manifest Location ObjectArn must be arn:aws:s3:::BUCKET/KEY");
    };
    let Some(etag) = element(location, "ETag").map(xml::unescape) else {
        return bad("Manifest Location ETag is required");
    };
    let version = element(location, "ObjectVersionId").map(xml::unescape);
    match batchrun::head(emu, &bucket, &key, version.as_deref()).await {
        Ok(actual) if actual.trim_matches('"') == etag.trim_matches('"') => {}
        Ok(actual) => {
            let m = format!(
                "Reading the manifest failed: the ETag {etag} does not match the manifest object's ({actual})"
            );
            return bad(&m);
        }
        Err(e) => return bad(&format!("Reading the manifest failed: {e}")),
    }
    let Some(report) = element(body, "Report") else {
        return bad("Report is required");
    };
    if element(report, "Enabled") == Some("true") {
        if element(report, "Bucket").is_none_or(|b| batchrun::arn_bucket(b).is_none()) {
            return bad("An enabled Report needs a Bucket: arn:aws:s3:::BUCKET");
        }
        if element(report, "Format") != Some("Report_CSV_20180820") {
            return bad("Report Format must be Report_CSV_20180820");
        }
    }
    let Some(role_arn) = element(body, "RoleArn").filter(|r| r.starts_with("arn:")) else {
        return bad("RoleArn is required (arn:aws:iam::ACCOUNT:role/NAME)");
    };
    let Some(priority) = element(body, "Priority") else {
        return bad("Priority is required");
    };
    let Some(token) = element(body, "ClientRequestToken").filter(|t| !t.is_empty()) else {
        return bad("ClientRequestToken is required");
    };
    let request = crate::sign::sha256_hex(body.replace(token, "").as_bytes());
    let mut tokens = emu.jobs.tokens.lock().unwrap();
    if let Some(job) = tokens.get(&(account.to_owned(), token.to_owned())) {
        if job.request != request {
            let m = "A job with this ClientRequestToken was created from another request";
            return error(400, "IdempotencyException", m);
        }
        return ok(format!(
            "<CreateJobResult {NS}><JobId>{}</JobId></CreateJobResult>",
            job.id
        ));
    }
    let confirmation_required = element(body, "ConfirmationRequired") == Some("true");
    let id = new_id();
    let job = Arc::new(Job {
        id: id.clone(),
        account: account.to_owned(),
        status: Mutex::new(
            if confirmation_required {
                "Suspended"
            } else {
                "Active"
            }
            .into(),
        ),
        confirmation_required,
        description: element(body, "Description").unwrap_or_default().to_owned(),
        priority: priority.to_owned(),
        role_arn: role_arn.to_owned(),
        manifest: manifest.to_owned(),
        operation: operation.to_owned(),
        report: report.to_owned(),
        created: SystemTime::now(),
        terminated: Mutex::new(None),
        started: Mutex::new(None),
        total: AtomicU64::new(0),
        succeeded: AtomicU64::new(0),
        failed: AtomicU64::new(0),
        cancel: AtomicBool::new(false),
        failure_reasons: Mutex::default(),
        request,
    });
    tokens.insert((account.to_owned(), token.to_owned()), job.clone());
    drop(tokens);
    emu.jobs.jobs.lock().unwrap().push(job.clone());
    if !confirmation_required {
        batchrun::start(emu.clone(), job);
    }
    ok(format!(
        "<CreateJobResult {NS}><JobId>{id}</JobId></CreateJobResult>"
    ))
}

fn update(emu: &Arc<Emu>, account: &str, id: &str, query: &[(String, String)]) -> Response<Body> {
    let Some(job) = emu.jobs.get(account, id) else {
        return not_found(id);
    };
    let requested = query
        .iter()
        .find(|(k, _)| k == "requestedJobStatus")
        .map(|(_, v)| v.as_str());
    // The whole transition under the status lock: the run's own end
    // (batchrun.rs) takes it too, so a cancel never lands on a job that
    // has just ended, and two Readys start one run.
    let mut status = job.status.lock().unwrap();
    let next = match (requested, status.as_str()) {
        (Some("Ready"), "Suspended") => "Active",
        (Some("Cancelled"), "Suspended") => "Cancelled",
        (Some("Cancelled"), "Active") => "Cancelling",
        (Some(to @ ("Ready" | "Cancelled")), now) => {
            let m = format!("Job {id} is {now}: it cannot become {to}");
            return error(400, "JobStatusException", &m);
        }
        _ => {
            let m = "requestedJobStatus must be Ready or Cancelled";
            return error(400, "InvalidRequest", m);
        }
    };
    *status = next.to_owned();
    if next == "Cancelling" {
        job.cancel.store(true, Relaxed);
    }
    drop(status);
    match next {
        "Cancelled" => *job.terminated.lock().unwrap() = Some(SystemTime::now()),
        "Active" => batchrun::start(emu.clone(), job.clone()),
        _ => {}
    }
    ok(format!(
        "<UpdateJobStatusResult {NS}><JobId>{id}</JobId><Status>{}</Status></UpdateJobStatusResult>",
        job.status()
    ))
}

fn list(emu: &Arc<Emu>, account: &str, query: &[(String, String)]) -> Response<Body> {
    let wanted: Vec<&str> = query
        .iter()
        .filter(|(k, _)| k == "jobStatuses")
        .map(|(_, v)| v.as_str())
        .collect();
    let jobs = emu.jobs.jobs.lock().unwrap().clone();
    let mut out = format!("<ListJobsResult {NS}><Jobs>");
    for job in jobs.iter().filter(|j| j.account == account) {
        let status = job.status();
        if !wanted.is_empty() && !wanted.contains(&status.as_str()) {
            continue;
        }
        out.push_str(&format!(
            "<member><JobId>{}</JobId><Description>{}</Description><Operation>S3PutObjectCopy</Operation><Priority>{}</Priority><Status>{status}</Status><CreationTime>{}</CreationTime>{}{}</member>",
            job.id,
            job.description,
            job.priority,
            clock::iso8601(job.created),
            termination(job),
            progress(job),
        ));
    }
    out.push_str("</Jobs></ListJobsResult>");
    ok(out)
}

fn describe(job: &Job) -> String {
    let reasons: String = job
        .failure_reasons
        .lock()
        .unwrap()
        .iter()
        .map(|(code, reason)| {
            format!(
                "<member><FailureCode>{}</FailureCode><FailureReason>{}</FailureReason></member>",
                escape(code),
                escape(reason)
            )
        })
        .collect();
    format!(
        "<DescribeJobResult {NS}><Job><JobId>{id}</JobId><ConfirmationRequired>{}</ConfirmationRequired><Description>{}</Description><JobArn>arn:aws:s3:us-east-1:{}:job/{id}</JobArn><Status>{}</Status><Manifest>{}</Manifest><Operation>{}</Operation><Priority>{}</Priority>{}<FailureReasons>{reasons}</FailureReasons><Report>{}</Report><CreationTime>{}</CreationTime>{}<RoleArn>{}</RoleArn></Job></DescribeJobResult>",
        job.confirmation_required,
        job.description,
        job.account,
        job.status(),
        job.manifest,
        job.operation,
        job.priority,
        progress(job),
        job.report,
        clock::iso8601(job.created),
        termination(job),
        job.role_arn,
        id = job.id,
    )
}

fn termination(job: &Job) -> String {
    match *job.terminated.lock().unwrap() {
        Some(t) => format!("<TerminationDate>{}</TerminationDate>", clock::iso8601(t)),
        None => String::new(),
    }
}

fn progress(job: &Job) -> String {
    let active = job
        .started
        .lock()
        .unwrap()
        .map(|s| {
            let end = job
                .terminated
                .lock()
                .unwrap()
                .unwrap_or_else(SystemTime::now);
            end.duration_since(s).unwrap_or_default().as_secs()
        })
        .unwrap_or(0);
    format!(
        "<ProgressSummary><TotalNumberOfTasks>{}</TotalNumberOfTasks><NumberOfTasksSucceeded>{}</NumberOfTasksSucceeded><NumberOfTasksFailed>{}</NumberOfTasksFailed><Timers><ElapsedTimeInActiveSeconds>{active}</ElapsedTimeInActiveSeconds></Timers></ProgressSummary>",
        job.total.load(Relaxed),
        job.succeeded.load(Relaxed),
        job.failed.load(Relaxed),
    )
}

/// A job id as S3 makes them (a UUID).
fn new_id() -> String {
    let a: u128 = rand::random();
    let h = format!("{a:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn ok(body: String) -> Response<Body> {
    Response::builder()
        .status(200)
        .header(header::CONTENT_TYPE, "application/xml")
        .body(full(format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>{body}"#
        )))
        .expect("a valid answer")
}

fn not_found(id: &str) -> Response<Body> {
    error(
        404,
        "NotFoundException",
        &format!("Job {id} was not found for this account"),
    )
}

/// S3 Control's wrapped error.
fn error(status: u16, code: &str, message: &str) -> Response<Body> {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Code>{code}</Code><Message>{}</Message></Error><RequestId>s3emu</RequestId></ErrorResponse>"#,
        escape(message)
    );
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/xml")
        .body(full(body))
        .expect("a valid answer")
}
