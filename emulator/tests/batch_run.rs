//! `s3cp -r ... --batch` end to end: the s3cp binary just built
//! (target/debug/s3cp, or S3CP_BIN) against s3emu in front of moto, whose
//! S3 Control double (control.rs, batchrun.rs) runs the job s3cp creates.
//! What is checked is what a user sees: the objects the job wrote and
//! their fields, the manifest s3cp uploaded, the local remainder, the
//! lines and the exit code; and that refused runs write nothing. Load the
//! test servers' environment first; every process has a deadline.

mod batch_support;

use batch_support::cli::{self, Run};
use batch_support::*;
use serde_json::Value;

const ROLE: &str = "arn:aws:iam::123456789012:role/batch";

/// s3cp against `emu` (S3 and S3 Control both), moto's credentials.
async fn s3cp(emu: &Emulator, args: &[&str]) -> Run {
    let (_, key, secret) = moto();
    let s3 = (emu.endpoint.clone(), key, secret);
    cli::start(&s3, &emu.endpoint, args, &[]).end().await
}

/// The `--json` lines of one type.
fn of_type(run: &Run, kind: &str) -> Vec<Value> {
    run.json()
        .into_iter()
        .filter(|l| l["type"] == kind)
        .collect()
}

/// The one summary line.
fn summary(run: &Run) -> Value {
    let mut s = of_type(run, "summary");
    assert_eq!(s.len(), 1, "one summary:\n{}", run.all());
    s.remove(0)
}

/// The flags of a job run with its reports under `base/reports/` in SRC.
fn batch_flags(base: &str) -> Vec<String> {
    [
        "--batch",
        "--batch-role",
        ROLE,
        "--batch-reports",
        &format!("s3://{SRC}/{base}/reports/"),
        "--account-id",
        ACCOUNT,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// A test's run: the job's flags, its source prefix `base/src/`, and the
/// destination a job writes exactly (`base/out/` + the full source key).
struct Case {
    flags: Vec<String>,
    src: String,
    dst: String,
}

fn case(base: &str) -> Case {
    Case {
        flags: batch_flags(base),
        src: format!("s3://{SRC}/{base}/src/"),
        dst: format!("s3://{DST}/{base}/out/{base}/src/"),
    }
}

/// Keys under `prefix` in `bucket`.
async fn keys(s3: &aws_sdk_s3::Client, bucket: &str, prefix: &str) -> Vec<String> {
    let out = tokio::time::timeout(
        STEP,
        s3.list_objects_v2().bucket(bucket).prefix(prefix).send(),
    )
    .await
    .expect("LIST in time")
    .expect("LIST");
    out.contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect()
}

/// How many jobs the double holds.
async fn jobs(emu: &Emulator) -> usize {
    let out = tokio::time::timeout(STEP, control(emu).list_jobs().account_id(ACCOUNT).send())
        .await
        .expect("ListJobs in time")
        .expect("ListJobs");
    out.jobs().len()
}

async fn put_sized(s3: &aws_sdk_s3::Client, key: &str, size: usize) {
    put(s3, SRC, key, &"x".repeat(size)).await;
}

fn args<'a>(fixed: &[&'a str], more: &'a [String]) -> Vec<&'a str> {
    fixed
        .iter()
        .copied()
        .chain(more.iter().map(String::as_str))
        .collect()
}

#[tokio::test]
async fn a_prefix_is_copied_by_one_job_with_the_fields_asked() {
    let backend = moto();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let base = unique("run");
    for name in ["a.txt", "dir/b c.txt"] {
        put(
            &s3,
            SRC,
            &format!("{base}/src/{name}"),
            &format!("body of {name}"),
        )
        .await;
    }
    let src = format!("s3://{SRC}/{base}/src/");
    // The job writes TargetKeyPrefix/ + the full source key.
    let dst = format!("s3://{DST}/{base}/out/{base}/src/");
    let flags = batch_flags(&base);
    let more = [
        "--metadata-directive",
        "REPLACE",
        "--content-type",
        "text/plain",
        "--metadata",
        "color=blue",
        "--tagging-directive",
        "REPLACE",
        "--tagging",
        "team=data",
        "--storage-class",
        "STANDARD_IA",
        "--checksum-algorithm",
        "SHA256",
        "--json",
    ];
    let mut all = args(&["-r", &src, &dst], &flags);
    all.extend(more);
    let ran = s3cp(&emu, &all).await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    let job = of_type(&ran, "batch");
    assert_eq!(job.len(), 1, "{}", ran.stdout);
    assert_eq!(job[0]["objects"], 2);
    assert_eq!(job[0]["schema"], 1);
    let sum = summary(&ran);
    assert_eq!(sum["job_id"], job[0]["job_id"]);
    assert_eq!(sum["job_status"], "Complete");
    assert_eq!(
        (sum["copied"].as_u64(), sum["failed"].as_u64()),
        (Some(2), Some(0))
    );
    for name in ["a.txt", "dir/b c.txt"] {
        let key = format!("{base}/out/{base}/src/{name}");
        assert_eq!(
            get(&s3, DST, &key).await.as_deref(),
            Some(format!("body of {name}").as_str())
        );
        let head = s3
            .head_object()
            .bucket(DST)
            .key(&key)
            .send()
            .await
            .expect("HEAD");
        assert_eq!(head.content_type(), Some("text/plain"), "{key}");
        assert_eq!(
            head.metadata()
                .and_then(|m| m.get("color"))
                .map(String::as_str),
            Some("blue")
        );
        assert_eq!(
            head.storage_class().map(|c| c.as_str()),
            Some("STANDARD_IA")
        );
        let tags = s3
            .get_object_tagging()
            .bucket(DST)
            .key(&key)
            .send()
            .await
            .expect("tags");
        let tags: Vec<(&str, &str)> = tags
            .tag_set()
            .iter()
            .map(|t| (t.key(), t.value()))
            .collect();
        assert_eq!(tags, [("team", "data")], "{key}");
        // The job's ChecksumAlgorithm: S3 computed a SHA-256 of the copy.
        let head = s3
            .head_object()
            .bucket(DST)
            .key(&key)
            .checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled)
            .send()
            .await
            .expect("HEAD with checksums");
        assert!(head.checksum_sha256().is_some(), "{key}: {head:?}");
    }
    // Nothing else written under the destination.
    assert_eq!(keys(&s3, DST, &format!("{base}/")).await.len(), 2);
}

#[tokio::test]
async fn filters_and_skip_same_shape_the_manifest() {
    let backend = moto();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let base = unique("shape");
    for name in ["a.txt", "b.log", "c.txt", "d e+f.txt"] {
        put(
            &s3,
            SRC,
            &format!("{base}/src/{name}"),
            &format!("body of {name}"),
        )
        .await;
    }
    // c.txt is there already, the same.
    let out = format!("{base}/out/{base}/src");
    put(&s3, DST, &format!("{out}/c.txt"), "body of c.txt").await;
    let flags = batch_flags(&base);
    let src = format!("s3://{SRC}/{base}/src/");
    let dst = format!("s3://{DST}/{out}/");
    let mut all = args(
        &[
            "-r",
            &src,
            &dst,
            "--exclude",
            "*.log",
            "--skip-same",
            "--json",
        ],
        &flags,
    );
    all.push("--progress");
    all.push("none");
    let ran = s3cp(&emu, &all).await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    let job = &of_type(&ran, "batch")[0];
    let manifest = job["manifest"].as_str().expect("the manifest's URI");
    let key = manifest
        .strip_prefix(&format!("s3://{SRC}/"))
        .expect("under the reports prefix");
    assert!(
        key.starts_with(&format!("{base}/reports/s3cp-batch-")),
        "{key}"
    );
    let csv = get(&s3, SRC, key).await.expect("the manifest");
    // The .log left out, c.txt skipped, keys URL-encoded.
    assert_eq!(
        csv,
        format!("{SRC},{base}/src/a.txt\n{SRC},{base}/src/d%20e%2Bf.txt\n"),
    );
    let skipped = of_type(&ran, "copy");
    assert_eq!(skipped.len(), 1, "{}", ran.stdout);
    assert_eq!(skipped[0]["status"], "skipped");
    assert_eq!(skipped[0]["skip_reason"], "same");
    let sum = summary(&ran);
    assert_eq!(
        (sum["copied"].as_u64(), sum["skipped"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        get(&s3, DST, &format!("{out}/d e+f.txt")).await.as_deref(),
        Some("body of d e+f.txt")
    );
    assert!(get(&s3, DST, &format!("{out}/b.log")).await.is_none());
}

#[tokio::test]
async fn objects_above_a_lowered_threshold_are_copied_here_in_the_same_run() {
    let backend = moto();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let base = unique("split");
    put_sized(&s3, &format!("{base}/src/small"), 10).await;
    put_sized(&s3, &format!("{base}/src/large"), 1000).await;
    let Case { flags, src, dst } = case(&base);
    let all = args(
        &["-r", &src, &dst, "--multipart-threshold", "500B", "--json"],
        &flags,
    );
    let ran = s3cp(&emu, &all).await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    let job = &of_type(&ran, "batch")[0];
    assert_eq!(
        (job["objects"].as_u64(), job["bytes"].as_u64()),
        (Some(1), Some(10))
    );
    let local = of_type(&ran, "copy");
    assert_eq!(local.len(), 1, "{}", ran.stdout);
    assert_eq!(local[0]["src"], format!("{src}large"));
    assert_eq!(local[0]["status"], "copied");
    assert_eq!(local[0]["method"], "multipart");
    let sum = summary(&ran);
    assert_eq!(sum["copied"], 2);
    assert_eq!(sum["job_status"], "Complete");
    for name in ["small", "large"] {
        let key = format!("{base}/out/{base}/src/{name}");
        assert!(get(&s3, DST, &key).await.is_some(), "{key}");
    }
    // The manifest lists the small object alone.
    let csv = get(
        &s3,
        SRC,
        job["manifest"]
            .as_str()
            .unwrap()
            .strip_prefix(&format!("s3://{SRC}/"))
            .unwrap(),
    )
    .await;
    assert_eq!(csv, Some(format!("{SRC},{base}/src/small\n")));
}

#[tokio::test]
async fn a_dry_run_prints_the_request_and_writes_nothing() {
    let backend = moto();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let base = unique("dry");
    put_sized(&s3, &format!("{base}/src/a"), 10).await;
    put_sized(&s3, &format!("{base}/src/b"), 1000).await;
    let Case { flags, src, dst } = case(&base);
    let all = args(
        &[
            "-r",
            &src,
            &dst,
            "--multipart-threshold",
            "500B",
            "--dry-run",
            "--json",
            "--storage-class",
            "GLACIER_IR",
        ],
        &flags,
    );
    let ran = s3cp(&emu, &all).await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    let plan = &of_type(&ran, "batch_plan")[0];
    let request = &plan["create_job"];
    assert_eq!(request["AccountId"], ACCOUNT);
    assert_eq!(request["RoleArn"], ROLE);
    let copy = &request["Operation"]["S3PutObjectCopy"];
    assert_eq!(copy["TargetResource"], format!("arn:aws:s3:::{DST}"));
    assert_eq!(copy["TargetKeyPrefix"], format!("{base}/out"));
    assert_eq!(copy["StorageClass"], "GLACIER_IR");
    assert_eq!(request["Report"]["Prefix"], format!("{base}/reports"));
    assert_eq!(request["Report"]["ReportScope"], "FailedTasksOnly");
    assert_eq!(
        (
            plan["job"]["objects"].as_u64(),
            plan["job"]["bytes"].as_u64()
        ),
        (Some(1), Some(10))
    );
    assert_eq!(
        (
            plan["local"]["objects"].as_u64(),
            plan["local"]["bytes"].as_u64()
        ),
        (Some(1), Some(1000))
    );
    assert_eq!(summary(&ran)["planned"], 2);
    assert!(keys(&s3, SRC, &format!("{base}/reports/")).await.is_empty());
    assert!(keys(&s3, DST, &format!("{base}/")).await.is_empty());
    assert_eq!(jobs(&emu).await, 0);
}

#[tokio::test]
async fn refused_runs_write_nothing_and_say_why() {
    let backend = moto();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let base = unique("refused");
    put_sized(&s3, &format!("{base}/src/a"), 10).await;
    let flags = batch_flags(&base);
    let src = format!("s3://{SRC}/{base}/src/");
    let good = format!("s3://{DST}/{base}/out/{base}/src/");
    let relative = format!("s3://{DST}/{base}/out/");
    let inside = format!("s3://{SRC}/{base}/src/reports/");
    let file = std::env::temp_dir().join(format!("s3cp-batch-{}.txt", std::process::id()));
    std::fs::write(
        &file,
        format!(
            "s3://{SRC}/{base}/src/a s3://{DST}/{base}/src/a\ns3://{DST}/x s3://{DST}/{base}/x\n"
        ),
    )
    .unwrap();
    let file = file.to_string_lossy().into_owned();
    let (one_src, one_dst) = (format!("{src}a"), format!("{good}a"));
    // A manifest whose job writes under s3://DST/BASE/out/, and reports
    // asked for inside it.
    let into = std::env::temp_dir().join(format!("s3cp-batch-into-{}.txt", rand_suffix()));
    std::fs::write(
        &into,
        format!("s3://{SRC}/{base}/src/a s3://{DST}/{base}/out/{base}/src/a\n"),
    )
    .unwrap();
    let into = into.to_string_lossy().into_owned();
    let inside_dst = format!("s3://{DST}/{base}/out/reports/");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            args(
                &[
                    "-r",
                    &src,
                    &good,
                    "--metadata-directive",
                    "MERGE",
                    "--metadata",
                    "a=b",
                ],
                &flags,
            ),
            "MERGE",
        ),
        (
            args(
                &[
                    "-r",
                    &src,
                    &good,
                    "--sse-c",
                    "AES256",
                    "--sse-c-key",
                    "0123456789abcdef0123456789abcdef",
                ],
                &flags,
            ),
            "--sse-c",
        ),
        (
            args(&["-r", &src, &good, "--no-overwrite"], &flags),
            "--no-overwrite",
        ),
        (args(&["-r", &src, &relative], &flags), "Give"),
        (args(&[&one_src, &one_dst], &flags), "--recursive"),
        (args(&["--from-file", &file], &flags), "line 2"),
        (
            vec![
                "--from-file",
                &into,
                "--batch",
                "--batch-role",
                ROLE,
                "--batch-reports",
                &inside_dst,
                "--account-id",
                ACCOUNT,
            ],
            "lies under the job's destination prefix",
        ),
        (
            vec![
                "-r",
                &src,
                &good,
                "--batch",
                "--batch-role",
                ROLE,
                "--batch-reports",
                &inside,
                "--account-id",
                ACCOUNT,
            ],
            "--batch-reports",
        ),
        (
            vec![
                "-r",
                &src,
                &good,
                "--batch",
                "--batch-role",
                "admin",
                "--batch-reports",
                &inside,
            ],
            "--batch-role",
        ),
    ];
    for (argv, says) in cases {
        let ran = s3cp(&emu, &argv).await;
        assert_eq!(
            ran.code,
            Some(2),
            "{argv:?}:\n{}\n{}",
            ran.stdout,
            ran.stderr
        );
        assert!(
            ran.stderr.contains(says),
            "{argv:?} should say {says}:\n{}",
            ran.stderr
        );
        assert!(
            !ran.stderr.contains("0123456789abcdef0123456789abcdef"),
            "{}",
            ran.stderr
        );
    }
    assert!(keys(&s3, SRC, &format!("{base}/reports/")).await.is_empty());
    assert!(
        keys(&s3, SRC, &format!("{base}/src/reports/"))
            .await
            .is_empty()
    );
    assert!(keys(&s3, DST, &format!("{base}/")).await.is_empty());
    assert_eq!(jobs(&emu).await, 0);
    std::fs::remove_file(&into).ok();
}

#[tokio::test]
async fn a_caller_who_may_not_pass_the_role_is_told_and_the_manifest_is_gone() {
    let backend = moto();
    let (s3, emu) = (
        s3(&backend),
        emulator(&backend, &["--batch-deny", "pass-role"]).await,
    );
    let base = unique("denied");
    put_sized(&s3, &format!("{base}/src/a"), 10).await;
    let Case { flags, src, dst } = case(&base);
    let ran = s3cp(&emu, &args(&["-r", &src, &dst], &flags)).await;
    assert_eq!(ran.code, Some(1), "{}\n{}", ran.stdout, ran.stderr);
    assert!(ran.stderr.contains("iam:PassRole"), "{}", ran.stderr);
    assert!(ran.stderr.contains(ROLE), "{}", ran.stderr);
    assert!(keys(&s3, SRC, &format!("{base}/reports/")).await.is_empty());
    assert!(keys(&s3, DST, &format!("{base}/")).await.is_empty());
    assert_eq!(jobs(&emu).await, 0);
}

#[tokio::test]
async fn failed_tasks_are_named_per_key_and_the_job_shows_its_progress() {
    let backend = moto();
    let emu = emulator(
        &backend,
        &[
            "--batch-fail",
            "b.txt=AccessDenied",
            "--batch-task-ms",
            "150",
        ],
    )
    .await;
    let s3 = s3(&backend);
    let base = unique("failed");
    for name in ["a.txt", "b.txt", "c.txt"] {
        put(&s3, SRC, &format!("{base}/src/{name}"), name).await;
    }
    let Case { flags, src, dst } = case(&base);
    let all = args(
        &[
            "--progress",
            "lines",
            "--progress-interval",
            "100ms",
            "-r",
            &src,
            &dst,
            "--json",
        ],
        &flags,
    );
    let ran = s3cp(&emu, &all).await;
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    let failed = of_type(&ran, "copy");
    assert_eq!(failed.len(), 1, "{}", ran.all());
    assert_eq!(failed[0]["status"], "failed");
    assert_eq!(failed[0]["src"], format!("{src}b.txt"));
    assert_eq!(failed[0]["dst"], format!("{dst}b.txt"));
    assert_eq!(failed[0]["error"]["code"], "AccessDenied", "{}", failed[0]);
    let sum = summary(&ran);
    assert_eq!(sum["job_status"], "Complete");
    assert_eq!(
        (sum["copied"].as_u64(), sum["failed"].as_u64()),
        (Some(2), Some(1))
    );
    // The job's progress, counted in tasks, in a log.
    assert!(
        ran.stderr
            .lines()
            .any(|l| l.contains("progress") && l.contains("of 3 tasks")),
        "{}",
        ran.stderr
    );
    assert!(
        get(&s3, DST, &format!("{base}/out/{base}/src/b.txt"))
            .await
            .is_none()
    );
}

#[tokio::test]
async fn no_wait_then_batch_wait_watches_the_job_to_its_end() {
    let backend = moto();
    let emu = emulator(&backend, &["--batch-task-ms", "200"]).await;
    let s3 = s3(&backend);
    let base = unique("nowait");
    for name in ["a", "b", "c"] {
        put(&s3, SRC, &format!("{base}/src/{name}"), name).await;
    }
    let Case { flags, src, dst } = case(&base);
    let ran = s3cp(
        &emu,
        &args(&["-r", &src, &dst, "--no-wait", "--json"], &flags),
    )
    .await;
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    let job = &of_type(&ran, "batch")[0];
    let id = job["job_id"].as_str().expect("a job id").to_owned();
    let sum = summary(&ran);
    assert_eq!(sum["job_id"], id.as_str());
    assert_eq!(sum["job_status"], "New");
    assert_eq!(sum["copied"], 0, "{}", ran.all());
    assert!(
        ran.stderr.contains(&format!("batch wait {id}")),
        "{}",
        ran.stderr
    );
    // s3cp did not wait: the job is still at work.
    let waited = s3cp(
        &emu,
        &["--json", "batch", "wait", &id, "--account-id", ACCOUNT],
    )
    .await;
    assert_eq!(waited.code, Some(0), "{}", waited.all());
    let sum = summary(&waited);
    assert_eq!(sum["job_status"], "Complete");
    assert_eq!(sum["copied"], 3);
    for name in ["a", "b", "c"] {
        let key = format!("{base}/out/{base}/src/{name}");
        assert_eq!(get(&s3, DST, &key).await.as_deref(), Some(name));
    }
}

#[tokio::test]
async fn a_job_that_cannot_read_its_manifest_says_which_permission() {
    let backend = moto();
    let (s3, emu) = (
        s3(&backend),
        emulator(&backend, &["--batch-deny", "manifest"]).await,
    );
    let base = unique("nomanifest");
    put_sized(&s3, &format!("{base}/src/a"), 10).await;
    let Case { flags, src, dst } = case(&base);
    let ran = s3cp(&emu, &args(&["-r", &src, &dst, "--json"], &flags)).await;
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    let sum = summary(&ran);
    assert_eq!(sum["job_status"], "Failed");
    // The job read no manifest, so ran no task: its object not attempted.
    assert_eq!(
        (sum["not_attempted"].as_u64(), sum["copied"].as_u64()),
        (Some(1), Some(0))
    );
    let manifest = of_type(&ran, "batch")[0]["manifest"]
        .as_str()
        .unwrap()
        .to_owned();
    let said = ran.stderr.lines().find(|l| l.contains("s3:GetObject"));
    let said = said.unwrap_or_else(|| panic!("no permission named:\n{}", ran.stderr));
    assert!(said.contains(ROLE), "{said}");
    assert!(
        said.contains(manifest.trim_start_matches("s3://")),
        "{said} should name {manifest}"
    );
    assert!(
        get(&s3, DST, &format!("{base}/out/{base}/src/a"))
            .await
            .is_none()
    );
}

#[tokio::test]
async fn a_manifest_above_the_threshold_goes_up_in_parts() {
    let backend = moto();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let base = unique("parts");
    let names: Vec<String> = (0..12)
        .map(|i| format!("object-with-a-long-name-{i:02}"))
        .collect();
    for name in &names {
        put_sized(&s3, &format!("{base}/src/{name}"), 10).await;
    }
    let Case { flags, src, dst } = case(&base);
    // 12 lines of some 70 bytes: a manifest above 500 B, objects below.
    let all = args(
        &["-r", &src, &dst, "--multipart-threshold", "500B", "--json"],
        &flags,
    );
    let ran = s3cp(&emu, &all).await;
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    let job = &of_type(&ran, "batch")[0];
    assert_eq!(job["objects"], 12);
    let key = job["manifest"]
        .as_str()
        .unwrap()
        .strip_prefix(&format!("s3://{SRC}/"))
        .unwrap()
        .to_owned();
    let head = s3
        .head_object()
        .bucket(SRC)
        .key(&key)
        .send()
        .await
        .expect("HEAD the manifest");
    assert!(head.content_length().unwrap_or(0) > 500, "{head:?}");
    // A multipart upload's ETag: the job found the manifest by it.
    assert!(
        head.e_tag().unwrap_or_default().ends_with("-1\""),
        "{head:?}"
    );
    assert_eq!(summary(&ran)["copied"], 12);
    let uploads = s3
        .list_multipart_uploads()
        .bucket(SRC)
        .prefix(format!("{base}/"))
        .send()
        .await
        .expect("uploads");
    assert!(uploads.uploads().is_empty(), "{uploads:?}");
}

#[tokio::test]
async fn a_manifest_of_copies_goes_to_one_job_by_its_first_line() {
    let backend = moto();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let base = unique("fromfile");
    for name in ["a", "b c"] {
        put(&s3, SRC, &format!("{base}/src/{name}"), name).await;
    }
    let file = std::env::temp_dir().join(format!("s3cp-batch-ok-{}.txt", rand_suffix()));
    std::fs::write(
        &file,
        format!(
            "{{\"src\": \"s3://{SRC}/{base}/src/a\", \"dst\": \"s3://{DST}/{base}/copy/{base}/src/a\"}}\n\
             {{\"src\": \"s3://{SRC}/{base}/src/b c\", \"dst\": \"s3://{DST}/{base}/copy/{base}/src/b c\"}}\n"
        ),
    )
    .unwrap();
    let flags = batch_flags(&base);
    let ran = s3cp(
        &emu,
        &args(
            &[
                "--from-file",
                &file.to_string_lossy(),
                "--json",
                "--dry-run",
            ],
            &flags,
        ),
    )
    .await;
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    let copy = &of_type(&ran, "batch_plan")[0]["create_job"]["Operation"]["S3PutObjectCopy"];
    assert_eq!(copy["TargetKeyPrefix"], format!("{base}/copy"));
    assert_eq!(copy["TargetResource"], format!("arn:aws:s3:::{DST}"));
    let ran = s3cp(
        &emu,
        &args(&["--from-file", &file.to_string_lossy(), "--json"], &flags),
    )
    .await;
    std::fs::remove_file(&file).ok();
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    assert_eq!(summary(&ran)["copied"], 2);
    for name in ["a", "b c"] {
        let key = format!("{base}/copy/{base}/src/{name}");
        assert_eq!(get(&s3, DST, &key).await.as_deref(), Some(name), "{key}");
    }
}

fn rand_suffix() -> String {
    unique("f")
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn quiet_no_wait_still_names_the_job_and_how_to_reach_it() {
    let backend = moto();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let base = unique("quiet");
    put_sized(&s3, &format!("{base}/src/a"), 10).await;
    let Case { flags, src, dst } = case(&base);
    let ran = s3cp(&emu, &args(&["-q", "-r", &src, &dst, "--no-wait"], &flags)).await;
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    let line = ran
        .stdout
        .lines()
        .find(|l| l.starts_with("batch: job "))
        .unwrap_or_else(|| panic!("{}", ran.all()));
    let id = line.split_whitespace().nth(2).unwrap();
    assert!(
        ran.stderr.contains(&format!(
            "--region us-east-1 --account-id {ACCOUNT} batch wait {id}"
        )),
        "{}",
        ran.stderr
    );
}

#[tokio::test]
async fn a_missing_destination_bucket_or_an_empty_selection_makes_no_job() {
    let backend = moto();
    let (s3, emu) = (s3(&backend), emulator(&backend, &[]).await);
    let base = unique("nobucket");
    put_sized(&s3, &format!("{base}/src/a"), 10).await;
    let flags = batch_flags(&base);
    let src = format!("s3://{SRC}/{base}/src/");
    let missing = format!("s3://s3cp-no-such-bucket-{}/{base}/src/", rand_suffix());
    let ran = s3cp(&emu, &args(&["-r", &src, &missing], &flags)).await;
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    assert!(ran.stderr.contains("does not exist"), "{}", ran.stderr);
    let empty = format!("s3://{SRC}/{base}/nothing-here/");
    let dst = format!("s3://{DST}/{base}/out/{base}/nothing-here/");
    let ran = s3cp(
        &emu,
        &args(&["-r", &empty, &dst, "--require-objects"], &flags),
    )
    .await;
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    assert!(ran.stderr.contains("--require-objects"), "{}", ran.stderr);
    assert!(keys(&s3, SRC, &format!("{base}/reports/")).await.is_empty());
    assert_eq!(jobs(&emu).await, 0);
}

#[tokio::test]
async fn ctrl_c_while_listing_makes_no_job_and_leaves_nothing() {
    let backend = moto();
    // Every request a second late: Ctrl-C lands during the listing.
    let emu = emulator(&backend, &["--latency-ms", "1000", "--jitter-ms", "0"]).await;
    let s3 = s3(&backend);
    let base = unique("ctrlc");
    put_sized(&s3, &format!("{base}/src/a"), 10).await;
    let Case { flags, src, dst } = case(&base);
    let (_, key, secret) = moto();
    let running = cli::start(
        &(emu.endpoint.clone(), key, secret),
        &emu.endpoint,
        &args(&["-r", &src, &dst], &flags),
        &[],
    );
    running.until_stdout("settings for every object").await;
    running.interrupt();
    let ran = running.end().await;
    assert_eq!(ran.code, Some(130), "{}", ran.all());
    assert!(ran.stderr.contains("no job was created"), "{}", ran.stderr);
    assert!(keys(&s3, SRC, &format!("{base}/reports/")).await.is_empty());
    assert_eq!(jobs(&emu).await, 0);
}
