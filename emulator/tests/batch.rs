//! The S3 Batch Operations double (control.rs, batchrun.rs) driven by the
//! real aws-sdk-s3control client, with s3emu in front of Garage (moto for
//! tags and storage class, which Garage ignores): jobs copy their
//! manifest's objects with the operation's fields, report failed tasks in
//! AWS's format, keep ClientRequestToken idempotency, wait for
//! confirmation and can be cancelled. Load the test servers' environment
//! first (`set -a; . ENV; set +a`). Every process started here is killed
//! when its handle drops; every wait has a deadline.

use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3control::config::endpoint::{Endpoint, EndpointFuture, Params, ResolveEndpoint};
use aws_sdk_s3control::operation::describe_job::DescribeJobOutput;
use aws_sdk_s3control::types::{
    JobManifest, JobManifestFieldName, JobManifestFormat, JobManifestLocation, JobManifestSpec,
    JobOperation, JobReport, JobReportFormat, JobReportScope, JobStatus, RequestedJobStatus,
    S3CopyObjectOperation, S3MetadataDirective, S3ObjectMetadata, S3StorageClass, S3Tag,
};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const STEP: Duration = Duration::from_secs(20);
/// The longest a job may take to end.
const JOB: Duration = Duration::from_secs(60);
const ACCOUNT: &str = "123456789012";
const SRC: &str = "s3cp-src";
const DST: &str = "s3cp-dst";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: load the test servers' environment (set -a; . ENV; set +a, or scripts/servers.sh)")
    })
}

/// (endpoint, access key, secret) of a backend.
fn garage() -> (String, String, String) {
    (
        env("S3CP_TEST_GARAGE_ENDPOINT"),
        env("S3CP_TEST_GARAGE_ACCESS_KEY_ID"),
        env("S3CP_TEST_GARAGE_SECRET_ACCESS_KEY"),
    )
}

fn moto() -> (String, String, String) {
    (
        env("S3CP_TEST_MOTO_ENDPOINT"),
        "testing".into(),
        "testing".into(),
    )
}

fn unique(test: &str) -> String {
    format!("s3emu-batch-{test}/{:016x}", rand::random::<u64>())
}

/// A running emulator in front of `backend`, killed when dropped.
struct Emulator {
    endpoint: String,
    _child: Child,
}

async fn emulator(backend: &(String, String, String), args: &[&str]) -> Emulator {
    let mut child = Command::new(env!("CARGO_BIN_EXE_s3emu"))
        .args([
            "--upstream",
            &backend.0,
            "--latency-ms",
            "0",
            "--jitter-ms",
            "0",
        ])
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

fn s3(backend: &(String, String, String)) -> aws_sdk_s3::Client {
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

/// S3 Control's endpoint rules put the account id in front of any host;
/// the double is reached at its address as it is.
#[derive(Debug)]
struct AsGiven(String);

impl ResolveEndpoint for AsGiven {
    fn resolve_endpoint<'a>(&'a self, _: &'a Params) -> EndpointFuture<'a> {
        EndpointFuture::ready(Ok(Endpoint::builder().url(self.0.clone()).build()))
    }
}

fn control(emu: &Emulator) -> aws_sdk_s3control::Client {
    let creds = aws_sdk_s3control::config::Credentials::new("id", "secret", None, None, "test");
    let config = aws_sdk_s3control::Config::builder()
        .behavior_version(aws_sdk_s3control::config::BehaviorVersion::latest())
        .endpoint_resolver(AsGiven(emu.endpoint.clone()))
        .region(aws_sdk_s3control::config::Region::new("us-east-1"))
        .credentials_provider(creds)
        .build();
    aws_sdk_s3control::Client::from_conf(config)
}

async fn put(s3: &aws_sdk_s3::Client, bucket: &str, key: &str, body: &str) -> String {
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

async fn get(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> Option<String> {
    let out = tokio::time::timeout(STEP, s3.get_object().bucket(bucket).key(key).send())
        .await
        .expect("GET in time")
        .ok()?;
    let body = out.body.collect().await.expect("the body").into_bytes();
    Some(String::from_utf8_lossy(&body).into_owned())
}

/// Source objects `base/src/NAME` and their manifest (keys URL-encoded);
/// returns the manifest's key and ETag.
async fn sources(s3: &aws_sdk_s3::Client, base: &str, names: &[&str]) -> (String, String) {
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

fn manifest(key: &str, etag: &str) -> JobManifest {
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

fn report(base: &str, scope: JobReportScope) -> JobReport {
    JobReport::builder()
        .enabled(true)
        .bucket(format!("arn:aws:s3:::{DST}"))
        .format(JobReportFormat::ReportCsv20180820)
        .prefix(format!("{base}/reports"))
        .report_scope(scope)
        .build()
}

/// A CreateJob request of a copy into DST under `base/out`.
fn create(
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

fn copy_to(base: &str) -> aws_sdk_s3control::types::builders::S3CopyObjectOperationBuilder {
    S3CopyObjectOperation::builder()
        .target_resource(format!("arn:aws:s3:::{DST}"))
        .target_key_prefix(format!("{base}/out"))
}

async fn describe(c: &aws_sdk_s3control::Client, id: &str) -> DescribeJobOutput {
    tokio::time::timeout(STEP, c.describe_job().account_id(ACCOUNT).job_id(id).send())
        .await
        .expect("DescribeJob in time")
        .expect("DescribeJob")
}

/// DescribeJob until the job is in one of `end`, for at most [`JOB`].
async fn wait(c: &aws_sdk_s3control::Client, id: &str, end: &[JobStatus]) -> DescribeJobOutput {
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
fn counts(out: &DescribeJobOutput) -> (i64, i64, i64) {
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
async fn read_report(
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

#[tokio::test]
async fn a_job_copies_its_manifest_with_the_metadata_it_replaces() {
    let backend = garage();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let c = control(&emu);
    let base = unique("copy");
    let (key, etag) = sources(&s3, &base, &["a.txt", "dir/b c.txt"]).await;
    let meta = S3ObjectMetadata::builder()
        .content_type("text/plain")
        .user_metadata("color", "blue")
        .build();
    let copy = copy_to(&base)
        .metadata_directive(S3MetadataDirective::Replace)
        .new_object_metadata(meta)
        .build();
    let r = report(&base, JobReportScope::AllTasks);
    let id = create(&c, manifest(&key, &etag), r, copy, "t-copy")
        .send()
        .await
        .expect("CreateJob")
        .job_id
        .expect("a job id");
    let out = wait(&c, &id, &[JobStatus::Complete, JobStatus::Failed]).await;
    let job = out.job.as_ref().unwrap();
    assert_eq!(job.status, Some(JobStatus::Complete));
    assert_eq!(counts(&out), (2, 0, 2));
    assert!(job.termination_date.is_some() && job.creation_time.is_some());
    assert_eq!(
        job.report.as_ref().and_then(|r| r.prefix.clone()),
        Some(format!("{base}/reports"))
    );
    for name in ["a.txt", "dir/b c.txt"] {
        // TargetKeyPrefix, '/', the full source key.
        let dest = format!("{base}/out/{base}/src/{name}");
        assert_eq!(
            get(&s3, DST, &dest).await.as_deref(),
            Some(format!("body of {name}").as_str())
        );
        let head = s3
            .head_object()
            .bucket(DST)
            .key(&dest)
            .send()
            .await
            .expect("HEAD the copy");
        assert_eq!(head.content_type.as_deref(), Some("text/plain"), "{dest}");
        assert_eq!(
            head.metadata
                .unwrap_or_default()
                .get("color")
                .map(String::as_str),
            Some("blue")
        );
    }
    let (json, files) = read_report(&s3, &base, &id).await;
    assert_eq!(json["Format"], "Report_CSV_20180820");
    assert_eq!(files.len(), 1, "{json}");
    assert_eq!(files[0].0, "succeeded");
    assert!(
        files[0]
            .1
            .contains(&format!("{SRC},{base}/src/dir/b%20c.txt,,succeeded,,200,")),
        "{}",
        files[0].1
    );
    let listed = c
        .list_jobs()
        .account_id(ACCOUNT)
        .send()
        .await
        .expect("ListJobs");
    assert!(
        listed
            .jobs()
            .iter()
            .any(|j| j.job_id.as_deref() == Some(id.as_str()))
    );
}

#[tokio::test]
async fn injected_failures_are_reported_per_task_and_a_job_of_failures_fails() {
    let backend = garage();
    let emu = emulator(&backend, &["--batch-fail", "secret=AccessDenied"]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("fail");
    let (key, etag) = sources(&s3, &base, &["ok.txt", "secret one.txt"]).await;
    let r = report(&base, JobReportScope::FailedTasksOnly);
    let id = create(
        &c,
        manifest(&key, &etag),
        r,
        copy_to(&base).build(),
        "t-fail",
    )
    .send()
    .await
    .expect("CreateJob")
    .job_id
    .unwrap();
    let out = wait(&c, &id, &[JobStatus::Complete, JobStatus::Failed]).await;
    assert_eq!(out.job.as_ref().unwrap().status, Some(JobStatus::Complete));
    assert_eq!(counts(&out), (1, 1, 2));
    assert!(
        get(&s3, DST, &format!("{base}/out/{base}/src/ok.txt"))
            .await
            .is_some()
    );
    assert!(
        get(&s3, DST, &format!("{base}/out/{base}/src/secret one.txt"))
            .await
            .is_none()
    );
    let (_, files) = read_report(&s3, &base, &id).await;
    assert_eq!(files.len(), 1, "failed tasks only");
    let (status, csv) = &files[0];
    assert_eq!(status, "failed");
    let row = format!("{SRC},{base}/src/secret%20one.txt,,failed,AccessDenied,403,");
    assert!(csv.starts_with(&row) && csv.lines().count() == 1, "{csv}");

    let (key, etag) = sources(&s3, &format!("{base}/all"), &["secret.txt"]).await;
    let r = report(&base, JobReportScope::FailedTasksOnly);
    let id = create(
        &c,
        manifest(&key, &etag),
        r,
        copy_to(&base).build(),
        "t-all",
    )
    .send()
    .await
    .expect("CreateJob")
    .job_id
    .unwrap();
    let out = wait(&c, &id, &[JobStatus::Complete, JobStatus::Failed]).await;
    let job = out.job.unwrap();
    assert_eq!(job.status, Some(JobStatus::Failed));
    assert!(!job.failure_reasons().is_empty());
}

#[tokio::test]
async fn the_same_token_is_the_same_job_and_a_stale_etag_is_refused() {
    let backend = garage();
    let emu = emulator(&backend, &[]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("token");
    let (key, etag) = sources(&s3, &base, &["a"]).await;
    let send = |token: &'static str, etag: String, prefix: &'static str| {
        let r = report(&base, JobReportScope::FailedTasksOnly);
        let copy = copy_to(&format!("{base}{prefix}")).build();
        create(&c, manifest(&key, &etag), r, copy, token).send()
    };
    let first = send("t-same", etag.clone(), "")
        .await
        .expect("CreateJob")
        .job_id;
    let again = send("t-same", etag.clone(), "")
        .await
        .expect("CreateJob again")
        .job_id;
    assert!(first.is_some());
    assert_eq!(first, again, "the same token gives the same job");
    let other = send("t-same", etag.clone(), "/elsewhere")
        .await
        .expect_err("another request");
    assert_eq!(
        other.into_service_error().meta().code(),
        Some("IdempotencyException")
    );
    let stale = send("t-stale", "\"0123456789abcdef0123456789abcdef\"".into(), "").await;
    let e = stale
        .expect_err("a stale manifest ETag")
        .into_service_error();
    assert_eq!(e.meta().code(), Some("InvalidRequest"));
    assert!(
        e.meta().message().unwrap_or_default().contains("ETag"),
        "{e:?}"
    );
    let listed = c
        .list_jobs()
        .account_id(ACCOUNT)
        .send()
        .await
        .expect("ListJobs");
    assert_eq!(listed.jobs().len(), 1, "one job, from the first request");
}

#[tokio::test]
async fn a_job_awaiting_confirmation_runs_once_ready_and_another_is_cancelled() {
    let backend = garage();
    let emu = emulator(&backend, &[]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("confirm");
    let (key, etag) = sources(&s3, &base, &["a"]).await;
    let dest = format!("{base}/out/{base}/src/a");
    let mut ids = Vec::new();
    for token in ["t-ready", "t-cancel"] {
        let r = report(&base, JobReportScope::FailedTasksOnly);
        let id = create(&c, manifest(&key, &etag), r, copy_to(&base).build(), token)
            .confirmation_required(true)
            .send()
            .await
            .expect("CreateJob")
            .job_id
            .unwrap();
        let out = describe(&c, &id).await;
        assert_eq!(out.job.unwrap().status, Some(JobStatus::Suspended));
        ids.push(id);
    }
    assert!(
        get(&s3, DST, &dest).await.is_none(),
        "nothing runs before confirmation"
    );
    let status = |id: &str, to: RequestedJobStatus| {
        c.update_job_status()
            .account_id(ACCOUNT)
            .job_id(id)
            .requested_job_status(to)
            .send()
    };
    let cancelled = status(&ids[1], RequestedJobStatus::Cancelled)
        .await
        .expect("cancel");
    assert_eq!(cancelled.status, Some(JobStatus::Cancelled));
    let refused = status(&ids[1], RequestedJobStatus::Ready)
        .await
        .expect_err("a cancelled job");
    assert_eq!(
        refused.into_service_error().meta().code(),
        Some("JobStatusException")
    );
    status(&ids[0], RequestedJobStatus::Ready)
        .await
        .expect("confirm");
    let out = wait(&c, &ids[0], &[JobStatus::Complete, JobStatus::Failed]).await;
    assert_eq!(out.job.as_ref().unwrap().status, Some(JobStatus::Complete));
    assert_eq!(counts(&out), (1, 0, 1));
    assert!(get(&s3, DST, &dest).await.is_some());
    let out = describe(&c, &ids[1]).await;
    assert_eq!(out.job.as_ref().unwrap().status, Some(JobStatus::Cancelled));
    assert_eq!(counts(&out), (0, 0, 0), "the cancelled job ran no task");
    let ready = c
        .list_jobs()
        .account_id(ACCOUNT)
        .job_statuses(JobStatus::Cancelled)
        .send()
        .await
        .expect("ListJobs");
    let listed: Vec<_> = ready
        .jobs()
        .iter()
        .filter_map(|j| j.job_id.clone())
        .collect();
    assert_eq!(listed, [ids[1].clone()]);
}

/// Garage ignores tags and storage classes on a copy; moto keeps them.
#[tokio::test]
async fn tags_and_storage_class_reach_the_copies() {
    let backend = moto();
    let emu = emulator(&backend, &[]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    for b in [SRC, DST] {
        let _ = s3.create_bucket().bucket(b).send().await;
    }
    let base = unique("tags");
    let (key, etag) = sources(&s3, &base, &["t"]).await;
    let copy = copy_to(&base)
        .new_object_tagging(
            S3Tag::builder()
                .key("team")
                .value("data eng")
                .build()
                .unwrap(),
        )
        .storage_class(S3StorageClass::StandardIa)
        .build();
    let r = report(&base, JobReportScope::FailedTasksOnly);
    let id = create(&c, manifest(&key, &etag), r, copy, "t-tags")
        .send()
        .await
        .expect("CreateJob")
        .job_id
        .unwrap();
    let out = wait(&c, &id, &[JobStatus::Complete, JobStatus::Failed]).await;
    assert_eq!(counts(&out), (1, 0, 1), "{out:?}");
    let dest = format!("{base}/out/{base}/src/t");
    let tags = s3
        .get_object_tagging()
        .bucket(DST)
        .key(&dest)
        .send()
        .await
        .expect("tags");
    let tags: Vec<_> = tags
        .tag_set()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(tags, [("team", "data eng")]);
    let head = s3
        .head_object()
        .bucket(DST)
        .key(&dest)
        .send()
        .await
        .expect("HEAD");
    assert_eq!(
        head.storage_class.map(|s| s.as_str().to_owned()).as_deref(),
        Some("STANDARD_IA")
    );
}

/// With each task taking 300 ms, the job is seen in progress (Active,
/// counts rising) and a cancel stops it between tasks: Cancelling, then
/// Cancelled with the tasks done so far, their report written.
#[tokio::test]
async fn an_active_job_shows_progress_and_stops_when_cancelled() {
    let backend = garage();
    let emu = emulator(&backend, &["--batch-task-ms", "300"]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("cancel");
    let names: Vec<String> = (0..20).map(|i| format!("k{i:02}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (key, etag) = sources(&s3, &base, &names).await;
    let r = report(&base, JobReportScope::AllTasks);
    let id = create(
        &c,
        manifest(&key, &etag),
        r,
        copy_to(&base).build(),
        "t-active",
    )
    .send()
    .await
    .expect("CreateJob")
    .job_id
    .unwrap();
    let deadline = Instant::now() + JOB;
    loop {
        let out = describe(&c, &id).await;
        assert_eq!(
            out.job.as_ref().unwrap().status,
            Some(JobStatus::Active),
            "{out:?}"
        );
        let (done, failed, total) = counts(&out);
        if done >= 1 {
            assert_eq!((failed, total), (0, 20));
            break;
        }
        assert!(Instant::now() < deadline, "no task done in {JOB:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let asked = c
        .update_job_status()
        .account_id(ACCOUNT)
        .job_id(&id)
        .requested_job_status(RequestedJobStatus::Cancelled)
        .send()
        .await
        .expect("cancel");
    assert_eq!(asked.status, Some(JobStatus::Cancelling));
    let out = wait(&c, &id, &[JobStatus::Cancelled, JobStatus::Complete]).await;
    assert_eq!(out.job.as_ref().unwrap().status, Some(JobStatus::Cancelled));
    let (done, failed, total) = counts(&out);
    assert!(
        done >= 1 && done < 20 && failed == 0 && total == 20,
        "{out:?}"
    );
    assert!(
        get(&s3, DST, &format!("{base}/out/{base}/src/k19"))
            .await
            .is_none()
    );
    let (_, files) = read_report(&s3, &base, &id).await;
    assert_eq!(files.len(), 1);
    assert_eq!(
        files[0].1.lines().count() as i64,
        done,
        "one row per task done"
    );
}
