//! The S3 Batch Operations double (control.rs, batchrun.rs) driven by the
//! real aws-sdk-s3control client, with s3emu in front of Garage (moto for
//! tags and storage class, which Garage ignores): jobs copy their
//! manifest's objects with the operation's fields, report failed tasks in
//! AWS's format, keep ClientRequestToken idempotency, wait for
//! confirmation and can be cancelled. Load the test servers' environment
//! first (`set -a; . ENV; set +a`). Every process started here is killed
//! when its handle drops; every wait has a deadline.

mod batch_support;

use std::time::{Duration, Instant};

use aws_sdk_s3control::types::{
    JobReportScope, JobStatus, RequestedJobStatus, S3MetadataDirective, S3ObjectMetadata,
    S3StorageClass, S3Tag,
};
use batch_support::*;

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
    // And s3cp's own report reader (src/batchops/report.rs) reads it so.
    use s3cp::batchops::report::{Rows, parse_manifest};
    let key = format!("{base}/reports/job-{id}/manifest.json");
    let json = get(&s3, DST, &key).await.expect("manifest.json");
    let m = parse_manifest(json.as_bytes()).expect("s3cp reads manifest.json");
    assert_eq!(m.failed().count(), 1);
    let rows: Vec<_> = Rows::new(csv.as_bytes())
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].failed());
    let want = format!("{base}/src/secret one.txt");
    assert_eq!(rows[0].decoded_key().as_deref(), Some(want.as_str()));
    assert_eq!(rows[0].error_code.as_deref(), Some("AccessDenied"));
    assert_eq!(rows[0].http_status, Some(403));

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
        (1..20).contains(&done) && failed == 0 && total == 20,
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

/// The contract with the client side: a manifest from s3cp's writer
/// (batchops::manifest: keys URL-encoded) and a CreateJob from s3cp's
/// builder (batchops::job::create_job) are accepted and run; each object
/// lands at TargetKeyPrefix + '/' + its full key.
#[tokio::test]
async fn s3cps_manifest_and_create_job_run_here() {
    use s3cp::batchops::job::{JobParams, ManifestObject, create_job};
    use s3cp::batchops::manifest::ManifestWriter;
    let backend = garage();
    let emu = emulator(&backend, &[]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("s3cp");
    let mut writer = ManifestWriter::new(Vec::new(), 5 << 30);
    let names = ["plain", "a b+c", "é/ü,q", "100%"];
    for name in names {
        let key = format!("{base}/src/{name}");
        put(&s3, SRC, &key, name).await;
        writer
            .add(SRC, &key, None, name.len() as u64)
            .expect("a line");
    }
    let (csv, _) = writer.finish().expect("the manifest");
    let key = format!("{base}/manifest.csv");
    let etag = put(&s3, SRC, &key, &String::from_utf8(csv).unwrap()).await;
    let params = JobParams {
        account_id: ACCOUNT.into(),
        role_arn: format!("arn:aws:iam::{ACCOUNT}:role/batch"),
        partition: "aws",
        manifest: ManifestObject {
            bucket: SRC.into(),
            key,
            etag,
            version_id: None,
            versioned: false,
        },
        reports: s3cp::uri::S3Uri {
            bucket: DST.into(),
            key: format!("{base}/reports/"),
            version_id: None,
        },
        confirm: false,
        token: "t-s3cp".into(),
        priority: 10,
        description: "s3cp contract".into(),
    };
    let id = create_job(&c, copy_to(&base).build(), &params)
        .expect("s3cp's request")
        .send()
        .await
        .expect("CreateJob")
        .job_id
        .unwrap();
    let out = wait(&c, &id, &[JobStatus::Complete, JobStatus::Failed]).await;
    assert_eq!(counts(&out), (4, 0, 4), "{out:?}");
    for name in names {
        let dest = format!("{base}/out/{base}/src/{name}");
        assert_eq!(get(&s3, DST, &dest).await.as_deref(), Some(name), "{dest}");
    }
    let (json, files) = read_report(&s3, &base, &id).await;
    assert!(
        files.is_empty(),
        "failed tasks only, and none failed: {json}"
    );
}

/// What a copy job cannot run with is refused at CreateJob, naming it:
/// another operation, an inventory manifest, a manifest that is not there.
#[tokio::test]
async fn what_a_copy_job_cannot_run_is_refused() {
    use aws_sdk_s3control::types::{JobManifestFormat, JobOperation, LambdaInvokeOperation};
    let backend = garage();
    let emu = emulator(&backend, &[]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("refused");
    let (key, etag) = sources(&s3, &base, &["a"]).await;
    let r = || report(&base, JobReportScope::FailedTasksOnly);
    let code = |e: aws_sdk_s3control::error::SdkError<_, _>| {
        let e: aws_sdk_s3control::operation::create_job::CreateJobError = e.into_service_error();
        let m = e.meta();
        (
            m.code().unwrap_or_default().to_owned(),
            m.message().unwrap_or_default().to_owned(),
        )
    };
    let lambda = JobOperation::builder()
        .lambda_invoke(
            LambdaInvokeOperation::builder()
                .function_arn("arn:aws:lambda:f")
                .build(),
        )
        .build();
    let e = create(
        &c,
        manifest(&key, &etag),
        r(),
        copy_to(&base).build(),
        "t-1",
    )
    .operation(lambda)
    .send()
    .await
    .expect_err("a Lambda job");
    let (code_, message) = code(e);
    assert_eq!(code_, "InvalidRequest");
    assert!(message.contains("S3PutObjectCopy"), "{message}");
    let mut inventory = manifest(&key, &etag);
    inventory.spec.as_mut().unwrap().format = JobManifestFormat::S3InventoryReportCsv20161130;
    let e = create(&c, inventory, r(), copy_to(&base).build(), "t-2")
        .send()
        .await;
    let (_, message) = code(e.expect_err("an inventory manifest"));
    assert!(
        message.contains("S3BatchOperations_CSV_20180820"),
        "{message}"
    );
    let missing = manifest(&format!("{base}/none.csv"), &etag);
    let e = create(&c, missing, r(), copy_to(&base).build(), "t-3")
        .send()
        .await;
    let (_, message) = code(e.expect_err("no manifest object"));
    assert!(message.contains("Reading the manifest failed"), "{message}");
    let listed = c
        .list_jobs()
        .account_id(ACCOUNT)
        .send()
        .await
        .expect("ListJobs");
    assert!(listed.jobs().is_empty(), "no job was made");
}

/// `--batch-deny create-job|pass-role`: CreateJob is refused as AWS
/// refuses it (HTTP 403 AccessDenied naming the action), no job is made,
/// and s3cp's permissions::create_job_denied names the permission to add.
#[tokio::test]
async fn a_caller_without_create_job_or_pass_role_is_refused_and_told_which() {
    use s3cp::batchops::permissions::create_job_denied;
    let backend = garage();
    let s3 = s3(&backend);
    let role = format!("arn:aws:iam::{ACCOUNT}:role/batch");
    for (deny, action, want) in [
        (
            "create-job",
            "s3:CreateJob",
            "allow `s3:CreateJob`".to_owned(),
        ),
        (
            "pass-role",
            "iam:PassRole",
            format!("allow `iam:PassRole` on {role}"),
        ),
    ] {
        let emu = emulator(&backend, &["--batch-deny", deny]).await;
        let c = control(&emu);
        let base = unique(deny);
        let (key, etag) = sources(&s3, &base, &["a"]).await;
        let r = report(&base, JobReportScope::FailedTasksOnly);
        let e = create(
            &c,
            manifest(&key, &etag),
            r,
            copy_to(&base).build(),
            "t-deny",
        )
        .send()
        .await
        .expect_err("a refused CreateJob");
        let status = e.raw_response().map(|r| r.status().as_u16());
        let e = e.into_service_error();
        let (code, message) = (e.meta().code(), e.meta().message());
        assert_eq!((status, code), (Some(403), Some("AccessDenied")), "{deny}");
        let m = message.unwrap_or_default();
        assert!(
            m.contains(&format!("not authorized to perform: {action}")),
            "{m}"
        );
        let said = create_job_denied(code, message, status, &role)
            .unwrap_or_else(|| panic!("{deny}: s3cp saw no permission problem in {m}"));
        assert!(said.contains(&want), "{deny}: {said}");
        let listed = c
            .list_jobs()
            .account_id(ACCOUNT)
            .send()
            .await
            .expect("ListJobs");
        assert!(listed.jobs().is_empty(), "{deny}: no job was made");
    }
}

/// `--batch-deny trust|manifest|report`: the job is created and ends
/// Failed with the reason AWS gives (the report's after its tasks ran),
/// and s3cp's permissions::job_failure_denied names the role's missing
/// permission.
#[tokio::test]
async fn a_role_that_cannot_run_the_job_fails_it_as_on_aws_and_s3cp_says_why() {
    use s3cp::batchops::permissions::job_failure_denied;
    let backend = garage();
    let s3 = s3(&backend);
    let role = format!("arn:aws:iam::{ACCOUNT}:role/batch");
    for (deny, reason, copied) in [
        ("trust", "could not assume the role", false),
        (
            "manifest",
            "Reading the manifest is forbidden: AccessDenied",
            false,
        ),
        (
            "report",
            "The job report could not be written to your report bucket. Please check your permissions.",
            true,
        ),
    ] {
        let emu = emulator(&backend, &["--batch-deny", deny]).await;
        let c = control(&emu);
        let base = unique(deny);
        let (key, etag) = sources(&s3, &base, &["a"]).await;
        let r = report(&base, JobReportScope::AllTasks);
        let id = create(
            &c,
            manifest(&key, &etag),
            r,
            copy_to(&base).build(),
            "t-deny",
        )
        .send()
        .await
        .expect("CreateJob")
        .job_id
        .unwrap();
        let out = wait(&c, &id, &[JobStatus::Complete, JobStatus::Failed]).await;
        let job = out.job.as_ref().unwrap();
        assert_eq!(job.status, Some(JobStatus::Failed), "{deny}: {out:?}");
        let reasons: Vec<(String, String)> = job
            .failure_reasons()
            .iter()
            .map(|f| {
                (
                    f.failure_code.clone().unwrap_or_default(),
                    f.failure_reason.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert!(
            reasons.iter().any(|(_, r)| r.contains(reason)),
            "{deny}: {reasons:?}"
        );
        let dest = format!("{base}/out/{base}/src/a");
        assert_eq!(get(&s3, DST, &dest).await.is_some(), copied, "{deny}");
        assert_eq!(counts(&out).0, i64::from(copied), "{deny}");
        let json = format!("{base}/reports/job-{id}/manifest.json");
        assert!(get(&s3, DST, &json).await.is_none(), "{deny}: no report");
        let manifest_at = format!("s3://{SRC}/{key}");
        let reports_at = format!("s3://{DST}/{base}/reports/");
        let said = job_failure_denied(&reasons, &role, &manifest_at, &reports_at)
            .unwrap_or_else(|| panic!("{deny}: s3cp saw no permission problem in {reasons:?}"));
        let want = match deny {
            "trust" => {
                "its trust policy must allow the service to assume it (statement: Effect Allow, \
                 Principal Service batchoperations.s3.amazonaws.com, Action sts:AssumeRole)"
                    .to_owned()
            }
            "manifest" => format!(
                "allow `s3:GetObject` (and `s3:GetObjectVersion`) on arn:aws:s3:::{SRC}/{key} for the role {role}"
            ),
            _ => format!(
                "allow `s3:PutObject` on arn:aws:s3:::{DST}/{base}/reports/* for the role {role}"
            ),
        };
        assert!(said.contains(&want), "{deny}: {said}");
    }
}
