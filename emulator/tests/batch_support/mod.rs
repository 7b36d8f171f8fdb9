//! Helpers of tests/batch.rs: an s3emu in front of a backend, S3 and S3
//! Control clients (the latter through a resolver that keeps the double's
//! host), source objects with their manifest, CreateJob requests, polling
//! with a deadline, and the completion report read back.

// Shared by several test crates, each using a part.
#![allow(dead_code)]

pub mod cli;

use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3control::operation::describe_job::DescribeJobOutput;
use aws_sdk_s3control::types::{
    JobManifest, JobManifestFieldName, JobManifestFormat, JobManifestLocation, JobManifestSpec,
    JobOperation, JobReport, JobReportFormat, JobReportScope, JobStatus, S3CopyObjectOperation,
};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const STEP: Duration = Duration::from_secs(20);
/// The longest a job may take to end.
pub const JOB: Duration = Duration::from_secs(60);
pub const ACCOUNT: &str = "123456789012";
pub const SRC: &str = "s3cp-src";
pub const DST: &str = "s3cp-dst";

pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: load the test servers' environment (set -a; . ENV; set +a, or scripts/servers.sh)")
    })
}

/// (endpoint, access key, secret) of a backend.
pub fn garage() -> (String, String, String) {
    (
        env("S3CP_TEST_GARAGE_ENDPOINT"),
        env("S3CP_TEST_GARAGE_ACCESS_KEY_ID"),
        env("S3CP_TEST_GARAGE_SECRET_ACCESS_KEY"),
    )
}

pub fn moto() -> (String, String, String) {
    (
        env("S3CP_TEST_MOTO_ENDPOINT"),
        "testing".into(),
        "testing".into(),
    )
}

pub fn unique(test: &str) -> String {
    format!("s3emu-batch-{test}/{:016x}", rand::random::<u64>())
}

/// A running emulator in front of `backend`, killed when dropped.
pub struct Emulator {
    pub endpoint: String,
    _child: Child,
}

/// `args` may set the latency (`--latency-ms`); none by default.
pub async fn emulator(backend: &(String, String, String), args: &[&str]) -> Emulator {
    let latency: &[&str] = match args.contains(&"--latency-ms") {
        true => &[],
        false => &["--latency-ms", "0", "--jitter-ms", "0"],
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_s3emu"))
        .args(["--upstream", &backend.0])
        .args(latency)
        .args(args)
        .env("AWS_ACCESS_KEY_ID", &backend.1)
        .env("AWS_SECRET_ACCESS_KEY", &backend.2)
        .env_remove("S3EMU_BATCH_FAIL")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start s3emu");
    let mut first = String::new();
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    tokio::time::timeout(STEP, reader.read_line(&mut first))
        .await
        .expect("s3emu printed nothing in time")
        .expect("read s3emu's stdout");
    let endpoint = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("s3emu's first line: {first:?}"))
        .to_owned();
    Emulator {
        endpoint,
        _child: child,
    }
}

pub fn s3(backend: &(String, String, String)) -> aws_sdk_s3::Client {
    let creds = aws_sdk_s3::config::Credentials::new(&backend.1, &backend.2, None, None, "test");
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .endpoint_url(&backend.0)
        .force_path_style(true)
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .credentials_provider(creds)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// The S3 Control client of the double at `emu`'s address, as s3cp builds
/// one for a custom endpoint (S3 Control's rules put the account id in
/// front of any host; s3cp keeps a custom one as given).
pub fn control(emu: &Emulator) -> aws_sdk_s3control::Client {
    let creds = aws_sdk_s3control::config::Credentials::new("id", "secret", None, None, "test");
    let config = aws_sdk_s3control::Config::builder()
        .behavior_version(aws_sdk_s3control::config::BehaviorVersion::latest())
        // s3cp's own resolver: a custom endpoint kept as given (the SDK's
        // rules would put the account id in front of its host).
        .endpoint_url(emu.endpoint.clone())
        .endpoint_resolver(s3cp::batchops::control::KeepCustomHost::default())
        .region(aws_sdk_s3control::config::Region::new("us-east-1"))
        .credentials_provider(creds)
        .build();
    aws_sdk_s3control::Client::from_conf(config)
}

pub async fn put(s3: &aws_sdk_s3::Client, bucket: &str, key: &str, body: &str) -> String {
    let out = tokio::time::timeout(
        STEP,
        s3.put_object()
            .bucket(bucket)
            .key(key)
            .body(ByteStream::from(body.as_bytes().to_vec()))
            .send(),
    )
    .await
    .expect("PUT in time")
    .unwrap_or_else(|e| panic!("PUT {bucket}/{key}: {e:?}"));
    out.e_tag.expect("an ETag")
}

pub async fn get(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> Option<String> {
    let out = tokio::time::timeout(STEP, s3.get_object().bucket(bucket).key(key).send())
        .await
        .expect("GET in time")
        .ok()?;
    let body = out.body.collect().await.expect("the body").into_bytes();
    Some(String::from_utf8_lossy(&body).into_owned())
}

/// Source objects `base/src/NAME` and their manifest (keys URL-encoded);
/// returns the manifest's key and ETag.
pub async fn sources(s3: &aws_sdk_s3::Client, base: &str, names: &[&str]) -> (String, String) {
    let mut csv = String::new();
    for name in names {
        let key = format!("{base}/src/{name}");
        put(s3, SRC, &key, &format!("body of {name}")).await;
        csv.push_str(&format!("{SRC},{}\n", key.replace(' ', "%20")));
    }
    let manifest = format!("{base}/manifest.csv");
    let etag = put(s3, SRC, &manifest, &csv).await;
    (manifest, etag)
}

pub fn manifest(key: &str, etag: &str) -> JobManifest {
    let spec = JobManifestSpec::builder()
        .format(JobManifestFormat::S3BatchOperationsCsv20180820)
        .fields(JobManifestFieldName::Bucket)
        .fields(JobManifestFieldName::Key)
        .build()
        .unwrap();
    let location = JobManifestLocation::builder()
        .object_arn(format!("arn:aws:s3:::{SRC}/{key}"))
        .e_tag(etag)
        .build()
        .unwrap();
    JobManifest::builder().spec(spec).location(location).build()
}

pub fn report(base: &str, scope: JobReportScope) -> JobReport {
    JobReport::builder()
        .enabled(true)
        .bucket(format!("arn:aws:s3:::{DST}"))
        .format(JobReportFormat::ReportCsv20180820)
        .prefix(format!("{base}/reports"))
        .report_scope(scope)
        .build()
}

/// A CreateJob request of a copy into DST under `base/out`.
pub fn create(
    c: &aws_sdk_s3control::Client,
    m: JobManifest,
    r: JobReport,
    copy: S3CopyObjectOperation,
    token: &str,
) -> aws_sdk_s3control::operation::create_job::builders::CreateJobFluentBuilder {
    c.create_job()
        .account_id(ACCOUNT)
        .confirmation_required(false)
        .operation(JobOperation::builder().s3_put_object_copy(copy).build())
        .manifest(m)
        .report(r)
        .priority(10)
        .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/batch"))
        .client_request_token(token)
}

pub fn copy_to(base: &str) -> aws_sdk_s3control::types::builders::S3CopyObjectOperationBuilder {
    S3CopyObjectOperation::builder()
        .target_resource(format!("arn:aws:s3:::{DST}"))
        .target_key_prefix(format!("{base}/out"))
}

pub async fn describe(c: &aws_sdk_s3control::Client, id: &str) -> DescribeJobOutput {
    tokio::time::timeout(STEP, c.describe_job().account_id(ACCOUNT).job_id(id).send())
        .await
        .expect("DescribeJob in time")
        .expect("DescribeJob")
}

/// DescribeJob until the job is in one of `end`, for at most [`JOB`].
pub async fn wait(c: &aws_sdk_s3control::Client, id: &str, end: &[JobStatus]) -> DescribeJobOutput {
    let deadline = Instant::now() + JOB;
    loop {
        let out = describe(c, id).await;
        let status = out.job.as_ref().and_then(|j| j.status.clone());
        if status.as_ref().is_some_and(|s| end.contains(s)) {
            return out;
        }
        assert!(
            Instant::now() < deadline,
            "job {id} still {status:?} after {JOB:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// (succeeded, failed, total).
pub fn counts(out: &DescribeJobOutput) -> (i64, i64, i64) {
    let p = out
        .job
        .as_ref()
        .and_then(|j| j.progress_summary.as_ref())
        .expect("a summary");
    (
        p.number_of_tasks_succeeded.unwrap_or(-1),
        p.number_of_tasks_failed.unwrap_or(-1),
        p.total_number_of_tasks.unwrap_or(-1),
    )
}

/// The report's `manifest.json` and the text of each result CSV it lists.
pub async fn read_report(
    s3: &aws_sdk_s3::Client,
    base: &str,
    id: &str,
) -> (serde_json::Value, Vec<(String, String)>) {
    let key = format!("{base}/reports/job-{id}/manifest.json");
    let text = get(s3, DST, &key)
        .await
        .unwrap_or_else(|| panic!("no report at {key}"));
    let json: serde_json::Value = serde_json::from_str(&text).expect("manifest.json is JSON");
    let mut files = Vec::new();
    for r in json["Results"].as_array().expect("Results") {
        let status = r["TaskExecutionStatus"]
            .as_str()
            .expect("status")
            .to_owned();
        let key = r["Key"].as_str().expect("Key");
        assert_eq!(r["Bucket"], DST);
        files.push((status, get(s3, DST, key).await.expect("the result CSV")));
    }
    (json, files)
}
