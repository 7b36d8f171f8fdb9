//! `s3cp batch status|wait|cancel` against the S3 Control double (s3emu
//! in front of Garage; moto for STS): jobs are created with the SDK as in
//! tests/batch.rs, then s3cp is run as a user would, its S3 Control
//! endpoint given the standard way (`AWS_ENDPOINT_URL_S3_CONTROL`) and S3
//! reached straight at Garage (`--endpoint-url`, S3's alone). s3cp must be
//! built first (`cargo build --bin s3cp`; `S3CP_BIN` to use another).
//! Load the test servers' environment first. Every process is killed when
//! its handle drops; every wait has a deadline.

mod batch_support;

use aws_sdk_s3control::types::{JobReportScope, JobStatus, RequestedJobStatus};
use batch_support::cli::{Run, Running};
use batch_support::*;

/// s3cp with S3 straight at Garage and S3 Control at `emu`.
async fn s3cp(emu: &Emulator, args: &[&str], env: &[(&str, &str)]) -> Run {
    start(emu, args, env).end().await
}

/// The same, running (to interrupt it, or read its stderr as it comes).
fn start(emu: &Emulator, args: &[&str], env: &[(&str, &str)]) -> Running {
    cli::start(&garage(), &emu.endpoint, args, env)
}

/// A job copying `names` under `base`, created awaiting confirmation or
/// not; its report lists failed tasks only.
async fn job(
    s3: &aws_sdk_s3::Client,
    c: &aws_sdk_s3control::Client,
    base: &str,
    names: &[&str],
    confirm: bool,
) -> String {
    let (key, etag) = sources(s3, base, names).await;
    let r = report(base, JobReportScope::FailedTasksOnly);
    create(c, manifest(&key, &etag), r, copy_to(base).build(), base)
        .confirmation_required(confirm)
        .send()
        .await
        .expect("CreateJob")
        .job_id
        .expect("a job id")
}

fn status(
    c: &aws_sdk_s3control::Client,
    id: &str,
    to: RequestedJobStatus,
) -> impl Future<Output = ()> {
    let send = c
        .update_job_status()
        .account_id(ACCOUNT)
        .job_id(id)
        .requested_job_status(to)
        .send();
    async move {
        tokio::time::timeout(STEP, send)
            .await
            .expect("UpdateJobStatus in time")
            .expect("UpdateJobStatus");
    }
}

/// `batch wait` watches a job from before it runs (awaiting confirmation:
/// it says how to confirm, and waits), shows its tasks in progress lines,
/// names each failed task from the report (key, code, message, the
/// destination the job would have written) and sums up with the job's id,
/// status and counts; exit 1. The same in JSON, the job already ended.
#[tokio::test]
async fn wait_shows_progress_names_failed_tasks_and_sums_up() {
    let backend = garage();
    let emu = emulator(
        &backend,
        &[
            "--batch-fail",
            "secret=AccessDenied",
            "--batch-task-ms",
            "150",
        ],
    )
    .await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("cli-wait");
    let names = [
        "a",
        "b",
        "c",
        "d",
        "secret one.txt",
        "e",
        "f",
        "g",
        "h",
        "secret2",
    ];
    let id = job(&s3, &c, &base, &names, true).await;
    let watching = start(
        &emu,
        &[
            "--progress",
            "lines",
            "--progress-interval",
            "200ms",
            "batch",
            "wait",
            &id,
            "--account-id",
            ACCOUNT,
        ],
        &[],
    );
    watching
        .until_stderr(&format!(
            "s3cp: note: job {id} awaits confirmation (--batch-confirm): confirm it with aws \
             s3control update-job-status --account-id {ACCOUNT} --job-id {id} \
             --requested-job-status Ready --region us-east-1, or cancel it with s3cp batch \
             cancel {id} --region us-east-1"
        ))
        .await;
    status(&c, &id, RequestedJobStatus::Ready).await;
    let run = watching.end().await;
    let all = run.all();
    assert_eq!(run.code, Some(1), "{all}");
    // Progress: tasks counted, as the job went.
    let progress: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("s3cp: progress after "))
        .collect();
    assert!(
        progress.iter().any(|l| l.contains(" of 10 tasks (")),
        "{all}"
    );
    assert!(progress.iter().all(|l| l.contains(": job ")), "{all}");
    // One error per failed task, the report's code and message.
    for name in ["secret one.txt", "secret2"] {
        let src = format!("s3://{SRC}/{base}/src/{name}");
        let dst = format!("s3://{DST}/{base}/out/{base}/src/{name}");
        let said = format!(
            "s3cp: error: job {id} could not copy {src} to {dst}\nCaused by: CopyObject failed: \
             AccessDenied: AccessDenied (injected by s3emu --batch-fail) (HTTP 403)\n"
        );
        assert!(run.stderr.contains(&said), "{said}\n{all}");
    }
    assert_eq!(run.stderr.matches("s3cp: error:").count(), 2, "{all}");
    let summary = run.stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with(&format!(
            "summary: 8 copied (0 verified, 8 unverified), 0 skipped, 2 failed; job {id} \
             Complete; "
        )),
        "{all}"
    );

    // Again, in JSON: the job has ended, so at once.
    let run = s3cp(
        &emu,
        &["--json", "batch", "wait", &id, "--account-id", ACCOUNT],
        &[],
    )
    .await;
    let all = run.all();
    assert_eq!(run.code, Some(1), "{all}");
    let lines = run.json();
    assert_eq!(lines.len(), 3, "{all}");
    let mut failed: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["type"] == "copy").collect();
    failed.sort_by_key(|l| l["src"].as_str().unwrap_or_default().to_owned());
    assert_eq!(failed.len(), 2, "{all}");
    let one = failed[0];
    assert_eq!(one["status"], "failed");
    assert_eq!(one["src"], format!("s3://{SRC}/{base}/src/secret one.txt"));
    assert_eq!(
        one["dst"],
        format!("s3://{DST}/{base}/out/{base}/src/secret one.txt")
    );
    assert_eq!(one["error"]["code"], "AccessDenied");
    assert_eq!(one["error"]["operation"], "CopyObject");
    let message = one["error"]["message"].as_str().unwrap();
    assert!(
        message.ends_with("AccessDenied (injected by s3emu --batch-fail) (HTTP 403)"),
        "{message}"
    );
    let summary = &lines[2];
    assert_eq!(summary["type"], "summary", "{all}");
    assert_eq!(summary["job_id"], id.as_str());
    assert_eq!(summary["job_status"], "Complete");
    assert_eq!(
        (summary["copied"].as_u64(), summary["failed"].as_u64()),
        (Some(8), Some(2))
    );
    // DescribeJob, then the report's manifest.json and its failed CSV:
    // every request counted, S3 Control's too.
    assert_eq!(summary["requests"], 3, "{all}");
}

/// `batch status` says a job awaiting confirmation and how to confirm it;
/// `batch cancel` cancels it (exit 0), a second cancel is refused naming
/// the job (exit 1), and `batch wait` of the cancelled job exits 1.
#[tokio::test]
async fn status_then_cancel_a_job_awaiting_confirmation() {
    let backend = garage();
    let emu = emulator(&backend, &[]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("cli-cancel");
    let id = job(&s3, &c, &base, &["a", "b"], true).await;
    let account = ["--account-id", ACCOUNT];
    let run = s3cp(
        &emu,
        &[&["batch", "status", &id][..], &account].concat(),
        &[],
    )
    .await;
    let all = run.all();
    assert_eq!(run.code, Some(0), "{all}");
    assert_eq!(
        run.stdout,
        format!("job {id}: Suspended, 0 of 0 tasks done (0 succeeded, 0 failed)\n"),
        "{all}"
    );
    assert!(
        run.stderr.contains(&format!(
            "--job-id {id} --requested-job-status Ready --region us-east-1"
        )),
        "{all}"
    );
    let run = s3cp(
        &emu,
        &[&["--json", "batch", "status", &id][..], &account].concat(),
        &[],
    )
    .await;
    let line = &run.json()[0];
    assert_eq!(line["type"], "batch", "{}", run.all());
    assert_eq!(line["job_id"], id.as_str());
    assert_eq!(line["status"], "Suspended");
    assert_eq!(
        (line["total"].as_u64(), line["failed"].as_u64()),
        (Some(0), Some(0))
    );

    let run = s3cp(
        &emu,
        &[&["batch", "cancel", &id][..], &account].concat(),
        &[],
    )
    .await;
    let all = run.all();
    assert_eq!(run.code, Some(0), "{all}");
    assert_eq!(
        run.stdout,
        format!("job {id}: cancel asked, now Cancelled (tasks already done stay done)\n")
    );
    let out = describe(&c, &id).await;
    assert_eq!(out.job.unwrap().status, Some(JobStatus::Cancelled));

    let run = s3cp(
        &emu,
        &[&["batch", "cancel", &id][..], &account].concat(),
        &[],
    )
    .await;
    let all = run.all();
    assert_eq!(run.code, Some(1), "{all}");
    assert!(
        run.stderr.starts_with(&format!(
            "s3cp: error: cannot cancel the Batch Operations job {id} (account {ACCOUNT}, \
             region us-east-1)\nCaused by: UpdateJobStatus failed: JobStatusException"
        )),
        "{all}"
    );

    let run = s3cp(
        &emu,
        &[&["--json", "batch", "wait", &id][..], &account].concat(),
        &[],
    )
    .await;
    let all = run.all();
    assert_eq!(run.code, Some(1), "a cancelled job: {all}");
    let summary = &run.json()[0];
    assert_eq!(summary["job_status"], "Cancelled", "{all}");
    assert_eq!(summary["copied"], 0);
}

/// A job id that names no job: an error naming it, where it was looked
/// for and what to check (exit 1), and never the credentials.
#[tokio::test]
async fn a_missing_job_is_an_error_naming_it() {
    let backend = garage();
    let emu = emulator(&backend, &[]).await;
    let missing = "00000000-0000-0000-0000-000000000000";
    for action in ["status", "wait", "cancel"] {
        let run = s3cp(
            &emu,
            &["batch", action, missing, "--account-id", ACCOUNT],
            &[],
        )
        .await;
        let all = run.all();
        assert_eq!(run.code, Some(1), "{action}: {all}");
        let doing = match action {
            "cancel" => "cancel",
            _ => "describe",
        };
        let want = format!(
            "s3cp: error: cannot {doing} the Batch Operations job {missing} (account {ACCOUNT}, \
             region us-east-1); check the id, the account (--account-id) and the region \
             (--region: a job lives in its destination bucket's region)\nCaused by: "
        );
        assert!(run.stderr.starts_with(&want), "{action}: {all}");
        assert!(run.stderr.contains("NotFoundException"), "{all}");
        assert!(!all.contains(&backend.2), "no secret: {all}");
        assert!(run.stdout.is_empty(), "{all}");
    }
}

/// Without `--account-id`, the account is the credentials' (STS
/// GetCallerIdentity, reached through `AWS_ENDPOINT_URL_STS`: moto, whose
/// account is 123456789012, the double's jobs' here); an STS that cannot
/// be reached is said with the fix.
#[tokio::test]
async fn the_account_comes_from_sts_at_its_standard_endpoint() {
    let backend = garage();
    let (moto, _, _) = moto();
    let emu = emulator(&backend, &[]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("cli-sts");
    let id = job(&s3, &c, &base, &["a"], true).await;
    let run = s3cp(
        &emu,
        &["--json", "batch", "status", &id],
        &[("AWS_ENDPOINT_URL_STS", &moto)],
    )
    .await;
    let all = run.all();
    assert_eq!(run.code, Some(0), "{all}");
    assert_eq!(run.json()[0]["status"], "Suspended", "{all}");

    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let run = s3cp(
        &emu,
        &["--max-attempts", "1", "batch", "status", &id],
        &[("AWS_ENDPOINT_URL_STS", &closed)],
    )
    .await;
    let all = run.all();
    assert_eq!(run.code, Some(1), "{all}");
    assert!(
        run.stderr.starts_with(
            "s3cp: error: cannot tell the account of these credentials (STS \
             GetCallerIdentity, which needs no permission; a custom STS endpoint is \
             AWS_ENDPOINT_URL_STS); give --account-id to name it"
        ),
        "{all}"
    );
}

/// Ctrl-C stops the watch, not the job: s3cp says how to watch again or
/// cancel, sums up with the job still running, and exits 130.
#[tokio::test]
async fn ctrl_c_stops_watching_not_the_job() {
    let backend = garage();
    let emu = emulator(&backend, &["--batch-task-ms", "500"]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("cli-interrupt");
    let names: Vec<String> = (0..40).map(|i| format!("k{i:02}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let id = job(&s3, &c, &base, &names, false).await;
    let watching = start(
        &emu,
        &[
            "--progress",
            "lines",
            "--progress-interval",
            "200ms",
            "--json",
            "batch",
            "wait",
            &id,
            "--account-id",
            ACCOUNT,
        ],
        &[],
    );
    watching.until_stderr(" of 40 tasks (").await;
    watching.interrupt();
    let run = watching.end().await;
    let all = run.all();
    assert_eq!(run.code, Some(130), "{all}");
    assert!(
        run.stderr.contains(&format!(
            "s3cp: note: stopped watching job {id}, which goes on: watch it again with s3cp \
             batch wait {id} --account-id {ACCOUNT}, or cancel it with s3cp batch cancel {id} \
             --account-id {ACCOUNT}\n"
        )),
        "{all}"
    );
    let summary = &run.json()[0];
    assert_eq!(summary["interrupted"], true, "{all}");
    assert_eq!(summary["job_status"], "Active", "{all}");
    let out = describe(&c, &id).await;
    assert_eq!(
        out.job.unwrap().status,
        Some(JobStatus::Active),
        "the job goes on"
    );
    status(&c, &id, RequestedJobStatus::Cancelled).await;
}

/// A job whose every task failed has failed: `batch wait` says why (its
/// FailureReasons) and names the task; `batch status` says why too. A
/// report that cannot be read is said (the failed tasks cannot be named),
/// and the run still fails.
#[tokio::test]
async fn a_failed_job_says_why_and_an_unreadable_report_is_said() {
    let backend = garage();
    let emu = emulator(&backend, &["--batch-fail", "doomed=NoSuchKey"]).await;
    let (s3, c) = (s3(&backend), control(&emu));
    let base = unique("cli-failed");
    let id = job(&s3, &c, &base, &["doomed"], false).await;
    let account = ["--account-id", ACCOUNT];
    let run = s3cp(&emu, &[&["batch", "wait", &id][..], &account].concat(), &[]).await;
    let all = run.all();
    assert_eq!(run.code, Some(1), "{all}");
    let why = format!(
        "s3cp: error: job {id} Failed: TaskFailureThresholdExceeded: all 1 task(s) failed\n"
    );
    assert!(run.stderr.starts_with(&why), "{all}");
    assert!(
        run.stderr.contains(&format!(
            "s3cp: error: job {id} could not copy s3://{SRC}/{base}/src/doomed to \
             s3://{DST}/{base}/out/{base}/src/doomed\nCaused by: CopyObject failed: NoSuchKey: \
             NoSuchKey (injected by s3emu --batch-fail) (HTTP 404)\n"
        )),
        "{all}"
    );
    assert!(
        run.stdout
            .starts_with("summary: 0 copied, 0 skipped, 1 failed; job "),
        "{all}"
    );
    let run = s3cp(
        &emu,
        &[&["batch", "status", &id][..], &account].concat(),
        &[],
    )
    .await;
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert_eq!(
        run.stdout,
        format!(
            "job {id}: Failed, 1 of 1 tasks done (0 succeeded, 1 failed)\njob {id} Failed: \
             TaskFailureThresholdExceeded: all 1 task(s) failed\n"
        )
    );

    let report = format!("{base}/reports/job-{id}/manifest.json");
    tokio::time::timeout(STEP, s3.delete_object().bucket(DST).key(&report).send())
        .await
        .expect("DELETE in time")
        .expect("DELETE the report's manifest.json");
    let run = s3cp(&emu, &[&["batch", "wait", &id][..], &account].concat(), &[]).await;
    let all = run.all();
    assert_eq!(run.code, Some(1), "{all}");
    assert!(
        run.stderr.contains(&format!(
            "s3cp: error: cannot name the 1 failed task of job {id} (0 named): its completion \
             report could not be read\nCaused by: cannot read s3://{DST}/{report}\nCaused by: \
             GetObject failed: NoSuchKey"
        )),
        "{all}"
    );
}
