//! `s3cp -r ... --batch` end to end: the s3cp binary just built
//! (target/debug/s3cp, or S3CP_BIN) against s3emu in front of moto, whose
//! S3 Control double (control.rs, batchrun.rs) runs the job s3cp creates.
//! What is checked is what a user sees: the objects the job wrote and
//! their fields, the manifest s3cp uploaded, the local remainder, the
//! lines and the exit code; and that refused runs write nothing. Load the
//! test servers' environment first; every process has a deadline.

mod batch_support;

use std::process::Stdio;
use std::time::Duration;

use batch_support::*;
use serde_json::Value;

const ROLE: &str = "arn:aws:iam::123456789012:role/batch";
/// The longest one s3cp run may take here.
const RUN: Duration = Duration::from_secs(120);

fn s3cp_bin() -> String {
    let bin = std::env::var("S3CP_BIN").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_owned());
        format!("{target}/debug/s3cp")
    });
    assert!(
        std::path::Path::new(&bin).exists(),
        "{bin} is missing: build it first (cargo build --bin s3cp)"
    );
    bin
}

/// One s3cp run: (exit code, stdout, stderr).
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    /// The `--json` lines of stdout.
    fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }

    fn of_type(&self, kind: &str) -> Vec<Value> {
        self.lines()
            .into_iter()
            .filter(|l| l["type"] == kind)
            .collect()
    }

    fn summary(&self) -> Value {
        let mut s = self.of_type("summary");
        assert_eq!(s.len(), 1, "one summary:\n{}\n{}", self.stdout, self.stderr);
        s.remove(0)
    }
}

/// Runs s3cp against `emu` (S3 and S3 Control both), moto's credentials.
async fn s3cp(emu: &Emulator, args: &[&str]) -> Ran {
    let out = tokio::process::Command::new(s3cp_bin())
        .args(["--endpoint-url", &emu.endpoint, "--path-style"])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL_S3_CONTROL", &emu.endpoint)
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_S3")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(RUN, out)
        .await
        .expect("s3cp ended in time")
        .expect("run s3cp");
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
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
        "--json",
    ];
    let mut all = args(&["-r", &src, &dst], &flags);
    all.extend(more);
    let ran = s3cp(&emu, &all).await;
    assert_eq!(ran.code, 0, "{}\n{}", ran.stdout, ran.stderr);
    let job = ran.of_type("batch");
    assert_eq!(job.len(), 1, "{}", ran.stdout);
    assert_eq!(job[0]["objects"], 2);
    let summary = ran.summary();
    assert_eq!(summary["job_id"], job[0]["job_id"]);
    assert_eq!(summary["job_status"], "Complete");
    assert_eq!(
        (summary["copied"].as_u64(), summary["failed"].as_u64()),
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
    assert_eq!(ran.code, 0, "{}\n{}", ran.stdout, ran.stderr);
    let job = &ran.of_type("batch")[0];
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
    let skipped = ran.of_type("copy");
    assert_eq!(skipped.len(), 1, "{}", ran.stdout);
    assert_eq!(skipped[0]["status"], "skipped");
    assert_eq!(skipped[0]["skip_reason"], "same");
    let summary = ran.summary();
    assert_eq!(
        (summary["copied"].as_u64(), summary["skipped"].as_u64()),
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
    let flags = batch_flags(&base);
    let src = format!("s3://{SRC}/{base}/src/");
    let dst = format!("s3://{DST}/{base}/out/{base}/src/");
    let all = args(
        &["-r", &src, &dst, "--multipart-threshold", "500B", "--json"],
        &flags,
    );
    let ran = s3cp(&emu, &all).await;
    assert_eq!(ran.code, 0, "{}\n{}", ran.stdout, ran.stderr);
    let job = &ran.of_type("batch")[0];
    assert_eq!(
        (job["objects"].as_u64(), job["bytes"].as_u64()),
        (Some(1), Some(10))
    );
    let local = ran.of_type("copy");
    assert_eq!(local.len(), 1, "{}", ran.stdout);
    assert_eq!(local[0]["src"], format!("{src}large"));
    assert_eq!(local[0]["status"], "copied");
    assert_eq!(local[0]["method"], "multipart");
    let summary = ran.summary();
    assert_eq!(summary["copied"], 2);
    assert_eq!(summary["job_status"], "Complete");
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
    let flags = batch_flags(&base);
    let src = format!("s3://{SRC}/{base}/src/");
    let dst = format!("s3://{DST}/{base}/out/{base}/src/");
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
    assert_eq!(ran.code, 0, "{}\n{}", ran.stdout, ran.stderr);
    let plan = &ran.of_type("batch_plan")[0];
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
    assert_eq!(ran.summary()["planned"], 2);
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
        assert_eq!(ran.code, 2, "{argv:?}:\n{}\n{}", ran.stdout, ran.stderr);
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
    let flags = batch_flags(&base);
    let src = format!("s3://{SRC}/{base}/src/");
    let dst = format!("s3://{DST}/{base}/out/{base}/src/");
    let ran = s3cp(&emu, &args(&["-r", &src, &dst], &flags)).await;
    assert_eq!(ran.code, 1, "{}\n{}", ran.stdout, ran.stderr);
    assert!(ran.stderr.contains("iam:PassRole"), "{}", ran.stderr);
    assert!(ran.stderr.contains(ROLE), "{}", ran.stderr);
    assert!(keys(&s3, SRC, &format!("{base}/reports/")).await.is_empty());
    assert!(keys(&s3, DST, &format!("{base}/")).await.is_empty());
    assert_eq!(jobs(&emu).await, 0);
}
