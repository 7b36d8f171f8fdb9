//! Faults on the wire: through the fault-injecting proxy on Garage, copies
//! survive what S3 does under load, and never leave an upload behind.

mod support;

use futures::StreamExt;
use support::proxy::{Fault, Proxy, Rule, When};
use support::*;

const ALL_FAULTS: [Fault; 6] = [
    Fault::SlowDown,
    Fault::InternalError,
    Fault::ErrorIn200 { whitespace: false },
    Fault::ErrorIn200 { whitespace: true },
    Fault::ResetMidResponse,
    Fault::Delay(200),
];

#[tokio::test]
async fn ten_percent_faults_everywhere_and_everything_arrives() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("faults");
    // 500 small objects and two multipart ones.
    futures::stream::iter(0..500)
        .map(|i| {
            let client = &client;
            let key = format!("{p}src/small/{i:03}");
            async move { put(client, SRC_BUCKET, &key, key.clone().into_bytes()).await }
        })
        .buffer_unordered(64)
        .collect::<Vec<()>>()
        .await;
    for name in ["big1", "big2"] {
        put_random_source(&client, &format!("{p}src/{name}"), 23 * MIB).await;
    }
    // Every operation: 10% of requests fail, each way in turn (seeded).
    // --max-attempts 8: with 3 attempts, one request in a thousand fails
    // every time, and this run sends about 550 (s3cp used to send a request
    // again itself after the SDK's attempts; the SDK's are the only ones
    // now).
    proxy.inject(
        7,
        vec![Rule {
            operation: None,
            when: When::Probability(0.10),
            faults: ALL_FAULTS.to_vec(),
        }],
    );
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            "--max-attempts",
            "8",
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}dst/"),
        ])
        .await;
    proxy.heal();
    let injected = proxy.injected();
    assert!(
        injected.len() > 40,
        "only {} faults injected",
        injected.len()
    );
    for kind in ALL_FAULTS {
        assert!(injected.contains(&kind), "{kind:?} never injected");
    }
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary: serde_json::Value =
        serde_json::from_str(r.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["copied"], 502, "{summary}");
    assert!(summary["retries"].as_u64().unwrap() > 0, "{summary}");
    for name in ["big1", "big2"] {
        assert_eq!(
            digest(&client, SRC_BUCKET, &format!("{p}src/{name}")).await,
            digest(&client, DST_BUCKET, &format!("{p}dst/{name}")).await,
            "{name}"
        );
    }
    for i in [0, 137, 499] {
        let key = format!("{p}dst/small/{i:03}");
        let got = client
            .get_object()
            .bucket(DST_BUCKET)
            .key(&key)
            .send()
            .await
            .unwrap();
        let body = got.body.collect().await.unwrap().into_bytes();
        assert_eq!(body.as_ref(), format!("{p}src/small/{i:03}").as_bytes());
    }
    assert!(
        uploads(&client, DST_BUCKET, &p).await.is_empty(),
        "an upload was left behind"
    );
}

#[tokio::test]
async fn a_permanent_failure_mid_multipart_exits_1_and_leaves_no_upload() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.answer(
        "UploadPartCopy",
        403,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
         <Message>Access Denied</Message><RequestId>R1</RequestId></Error>",
    );
    let p = unique("permanent");
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}src"),
            &format!("s3://{DST_BUCKET}/{p}dst"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains("UploadPartCopy failed: AccessDenied"),
        "{r}"
    );
    assert_eq!(proxy.of("CreateMultipartUpload").len(), 1);
    assert_eq!(proxy.of("AbortMultipartUpload").len(), 1);
    assert_nothing_written(&client, &format!("{p}dst"), &p).await;
}

#[tokio::test]
async fn a_lost_complete_answer_is_resolved_not_guessed() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    // Complete is done by the server, but its answer never arrives.
    proxy.fault(
        "CompleteMultipartUpload",
        When::EveryNth(1),
        Fault::ResetMidResponse,
    );
    let p = unique("lost-complete");
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--json",
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}src"),
            &format!("s3://{DST_BUCKET}/{p}dst"),
        ])
        .await;
    let v = r.json_ok();
    assert_eq!(v["parts"], 3);
    assert!(v["etag"].as_str().unwrap().ends_with("-3\""), "{v}");
    assert!(
        proxy.of("CompleteMultipartUpload").len() >= 2,
        "Complete was retried"
    );
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src")).await,
        digest(&client, DST_BUCKET, &format!("{p}dst")).await
    );
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

#[tokio::test]
async fn uploads_list_and_abort_clean_up_what_was_left() {
    let g = garage().await;
    let client = g.client();
    let p = unique("uploads-cmd");
    let mut ids = Vec::new();
    for key in ["a", "dir/b"] {
        let up = client
            .create_multipart_upload()
            .bucket(DST_BUCKET)
            .key(format!("{p}{key}"))
            .send()
            .await
            .unwrap();
        ids.push(up.upload_id().unwrap().to_owned());
    }
    let at = format!("s3://{DST_BUCKET}/{p}");
    let r = g.s3cp(&["uploads", "list", &at, "--json"]).await;
    assert_eq!(r.code, 0, "{r}");
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{r}");
    for id in &ids {
        assert!(
            lines
                .iter()
                .any(|l| l["upload_id"] == id.as_str() && l["type"] == "upload")
        );
    }
    assert_eq!(lines[2]["listed"], 2);

    // Too young for --older-than 1h: nothing aborted.
    let r = g
        .s3cp(&["uploads", "abort", &at, "--older-than", "1h"])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("0 uploads, 0 aborted"), "{r}");
    assert_eq!(uploads(&client, DST_BUCKET, &p).await.len(), 2);

    let r = g.s3cp(&["uploads", "abort", &at, "--all"]).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("2 uploads, 2 aborted, 0 failed"), "{r}");
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());

    let r = g
        .s3cp(&["uploads", "abort", &at, "--older-than", "soon"])
        .await;
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("write a duration such as 30m"), "{r}");
}

/// The proxy's holds, which the Ctrl-C and race tests build on: a request
/// held before it is forwarded has not reached the server; one held after
/// the server answered has done its work; a dropped gate or proxy lets
/// everything through.
#[tokio::test]
async fn the_proxy_holds_a_request_before_or_after_the_server() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("proxy-hold");
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(1000)).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src");

    // Before: the CopyObject waits in the proxy, the server has not seen it.
    let gate = proxy.hold("CopyObject", 1);
    let child = g
        .via(&proxy)
        .spawn(&["--json", &src, &format!("s3://{DST_BUCKET}/{p}before")]);
    let held = gate.arrived().await;
    assert_eq!(held.operation(), "CopyObject");
    assert!(held.target.contains("before"), "{}", held.target);
    assert!(!exists(&client, DST_BUCKET, &format!("{p}before")).await);
    gate.release();
    let r = child.wait().await;
    assert_eq!(r.json_ok()["size"], 1000);
    assert!(exists(&client, DST_BUCKET, &format!("{p}before")).await);

    // After: the server has copied, the answer waits in the proxy.
    let gate = proxy.hold_answer("CopyObject", 1);
    let child = g
        .via(&proxy)
        .spawn(&["--json", &src, &format!("s3://{DST_BUCKET}/{p}after")]);
    gate.arrived().await;
    assert!(exists(&client, DST_BUCKET, &format!("{p}after")).await);
    gate.release();
    let r = child.wait().await;
    assert_eq!(r.json_ok()["size"], 1000);

    // Requests are counted from when the hold is made (two HEADs went
    // before); a dropped gate lets its request go.
    let head = proxy.hold("HeadObject", 1);
    drop(proxy.hold("CopyObject", 1));
    let child = g
        .via(&proxy)
        .spawn(&["--json", &src, &format!("s3://{DST_BUCKET}/{p}counted")]);
    assert!(head.arrived().await.target.ends_with("src"));
    assert!(head.has_arrived());
    head.release();
    let r = child.wait().await;
    assert_eq!(r.json_ok()["size"], 1000);

    // Dropping the last handle of the proxy lets a held request go.
    let gate = proxy.hold("CopyObject", 1);
    let child = g
        .via(&proxy)
        .spawn(&["--json", &src, &format!("s3://{DST_BUCKET}/{p}dropped")]);
    gate.arrived().await;
    drop(proxy);
    let r = child.wait().await;
    assert_eq!(r.json_ok()["size"], 1000);
}

/// An 80-part (400 MiB) source, copied one part at a time, so that the
/// copy can be interrupted half-way.
async fn slow_copy_source(g: &Server, p: &str) -> String {
    let client = g.client();
    parts_source(&client, p, &format!("{p}src"), 80).await;
    format!("{p}src")
}

const SLOW: [&str; 6] = [
    "--multipart-threshold",
    "5MiB",
    "--part-size",
    "5MiB",
    "--concurrency",
    "1",
];

async fn parts_done(client: &aws_sdk_s3::Client, key: &str) -> usize {
    let ups = client
        .list_multipart_uploads()
        .bucket(DST_BUCKET)
        .prefix(key)
        .send()
        .await
        .unwrap();
    let up = ups.uploads().first().expect("an upload");
    let parts = client
        .list_parts()
        .bucket(DST_BUCKET)
        .key(key)
        .upload_id(up.upload_id().unwrap())
        .send()
        .await
        .unwrap();
    parts.parts().len()
}

#[tokio::test]
async fn keep_partial_then_resume_copies_only_the_missing_parts() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume");
    let src = format!("s3://{SRC_BUCKET}/{}", slow_copy_source(&g, &p).await);
    let dst_key = format!("{p}dst");
    let dst = format!("s3://{DST_BUCKET}/{dst_key}");

    let mut args = vec!["--keep-partial"];
    args.extend(SLOW);
    args.extend([src.as_str(), dst.as_str()]);
    // Ctrl-C while the third part waits in the proxy: two parts are kept;
    // the held one, given up by s3cp, never reaches the server.
    let proxy = Proxy::start(&g.endpoint).await;
    let third = proxy.hold("UploadPartCopy", 3);
    let child = g.via(&proxy).spawn_env(&args, &env);
    third.arrived().await;
    interrupt(&child);
    let r = child.wait().await;
    assert_eq!(r.code, 130, "{r}");
    assert!(r.stderr.contains("kept"), "{r}");
    assert!(r.stderr.contains("run the same command again"), "{r}");
    let before = parts_done(&client, &dst_key).await;
    assert!(
        before > 0 && before < 80,
        "{before} parts done before the resume"
    );
    assert_eq!(before, 2, "the parts before the held one");
    assert_eq!(journals(&state).len(), 1, "one journal");

    // --resume, through the same proxy (the endpoint keys the journal),
    // counted alone.
    proxy.reset();
    let mut args = vec!["--json", "--resume"];
    args.extend(SLOW);
    args.extend([src.as_str(), dst.as_str()]);
    let v = g.via(&proxy).s3cp_with(&args, &env).await.json_ok();
    assert_eq!(v["parts"], 80);
    assert_eq!(
        proxy.of("UploadPartCopy").len(),
        80 - before,
        "only the missing parts"
    );
    assert!(proxy.of("CreateMultipartUpload").is_empty());
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src")).await,
        digest(&client, DST_BUCKET, &dst_key).await
    );
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
    assert!(state_files(&state).is_empty(), "journal and lock removed");

    // Nothing left to resume: a usage error.
    let r = g.s3cp_with(&["--resume", &src, &dst], &env).await;
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("no interrupted copy"), "{r}");
}

/// A CI job killed mid-copy (kill -9: no journal or upload cleaned up)
/// and retried with the same command: the rerun finishes the upload the
/// first run left, sending only the parts it lacks, and leaves no upload
/// behind. (A plain rerun copied every part again, deleted the journal and
/// left the old upload billed.) When the source changed in between, the
/// rerun aborts that upload (its own, by the journal's id) and copies the
/// new source afresh; `--resume` refuses it instead, naming the command
/// that removes that one upload.
#[tokio::test]
async fn kill_9_then_the_same_command_finishes_the_copy() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("kill9");
    let src_key = slow_copy_source(&g, &p).await;
    let src = format!("s3://{SRC_BUCKET}/{src_key}");
    for (i, change_source) in [(1, false), (2, true), (3, true)] {
        let dst_key = format!("{p}dst{i}");
        let dst = format!("s3://{DST_BUCKET}/{dst_key}");
        let mut args = SLOW.to_vec();
        args.extend([src.as_str(), dst.as_str()]);
        // kill -9 while the third part waits in the proxy; the proxy and
        // its hold live to the end of the case, so that part never
        // reaches the server.
        let proxy = Proxy::start(&g.endpoint).await;
        let third = proxy.hold("UploadPartCopy", 3);
        let mut child = g.via(&proxy).spawn_env(&args, &env);
        third.arrived().await;
        child.kill().await.expect("kill -9");
        assert_eq!(parts_done(&client, &dst_key).await, 2);
        let left = uploads(&client, DST_BUCKET, &dst_key).await;
        assert_eq!(left.len(), 1, "the killed run's upload");
        let left_id = left[0].rsplit(' ').next().unwrap().to_owned();
        assert_eq!(journals(&state).len(), 1, "its journal");

        if change_source {
            // The source is overwritten with other bytes.
            put_random_source(&client, &format!("{p}base{i}"), 5 * MIB).await;
            assemble(&client, SRC_BUCKET, &src_key, &format!("{p}base{i}"), 80).await;
        }
        // Through the same endpoint, which keys the journal.
        proxy.reset();
        let rerun = &proxy;
        match (i, change_source) {
            (3, _) => {
                let mut strict = vec!["--resume"];
                strict.extend(&args);
                let r = g.via(rerun).s3cp_with(&strict, &env).await;
                assert_eq!(r.code, 1, "{r}");
                assert!(
                    r.stderr.contains("changed since the interrupted copy"),
                    "{r}"
                );
                assert!(rerun.of("AbortMultipartUpload").is_empty(), "{r}");
                // The command the message gives removes that upload.
                let hint = r
                    .stderr
                    .split("remove it with s3cp ")
                    .nth(1)
                    .and_then(|rest| rest.lines().next())
                    .unwrap_or_else(|| panic!("no command to remove the upload: {r}"));
                let words: Vec<&str> = hint.split_whitespace().collect();
                assert_eq!(
                    words,
                    ["uploads", "abort", &dst, "--upload-id", &left_id],
                    "not that one upload: {hint}"
                );
                let r = g.s3cp(&words).await;
                assert_eq!(r.code, 0, "{r}");
                assert!(r.stdout.contains("1 upload, 1 aborted"), "{r}");
                std::fs::remove_file(state.path().join(&journals(&state)[0])).unwrap();
                continue;
            }
            (_, true) => {
                let r = g.via(rerun).s3cp_with(&args, &env).await;
                assert_eq!(r.code, 0, "{r}");
                assert!(
                    r.stderr.contains("changed since the interrupted copy"),
                    "{r}"
                );
                let aborted = rerun.of("AbortMultipartUpload");
                assert_eq!(aborted.len(), 1, "{r}");
                assert_eq!(
                    aborted[0].query("uploadId").as_deref(),
                    Some(left_id.as_str())
                );
                assert_eq!(rerun.of("CreateMultipartUpload").len(), 1);
                assert_eq!(rerun.of("UploadPartCopy").len(), 80, "afresh");
            }
            (_, false) => {
                let r = g.via(rerun).s3cp_with(&args, &env).await;
                assert_eq!(r.code, 0, "{r}");
                assert!(rerun.of("CreateMultipartUpload").is_empty(), "{r}");
                assert!(rerun.of("AbortMultipartUpload").is_empty(), "{r}");
                assert_eq!(
                    rerun.of("UploadPartCopy").len(),
                    78,
                    "only the parts the killed run had not copied"
                );
            }
        }
        assert_eq!(
            digest(&client, SRC_BUCKET, &src_key).await,
            digest(&client, DST_BUCKET, &dst_key).await
        );
        assert!(journals(&state).is_empty(), "journal removed");
        drop((proxy, third));
    }
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
    // What kill -9 left of the lock is gone with the rerun's release.
    assert!(state_files(&state).is_empty(), "{:?}", state_files(&state));
}

#[tokio::test]
async fn a_second_ctrl_c_exits_at_once() {
    let g = garage().await;
    let client = g.client();
    let p = unique("double-sigint");
    let src = format!("s3://{SRC_BUCKET}/{}", slow_copy_source(&g, &p).await);
    // The first Ctrl-C comes while the first part waits in the proxy; the
    // abort it starts is held there, so the second comes while that abort
    // is in flight.
    let proxy = Proxy::start(&g.endpoint).await;
    let part = proxy.hold("UploadPartCopy", 1);
    let abort = proxy.hold("AbortMultipartUpload", 1);
    let mut args = SLOW.to_vec();
    let dst = format!("s3://{DST_BUCKET}/{p}dst");
    args.extend([src.as_str(), dst.as_str()]);
    let child = g.via(&proxy).spawn(&args);
    part.arrived().await;
    interrupt(&child);
    abort.arrived().await;
    let second = std::time::Instant::now();
    interrupt(&child);
    let r = child.wait().await;
    assert_eq!(r.code, 130, "{r}");
    assert!(
        second.elapsed().as_secs() < 5,
        "the second Ctrl-C did not exit at once"
    );
    assert!(r.stderr.contains("interrupted twice"), "{r}");
    assert_eq!(
        uploads(&client, DST_BUCKET, &p).await.len(),
        1,
        "the held abort reached the server"
    );
    // What the first abort did not finish, `uploads abort` cleans up.
    let r = g
        .s3cp(&[
            "uploads",
            "abort",
            &format!("s3://{DST_BUCKET}/{p}"),
            "--all",
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

/// `--max-attempts 3` is the most any request is sent: the SDK's retries
/// are the only ones (s3cp once sent a failing part up to 12 times). Each
/// fault S3 sends under load is retried, the unreadable `<Error>` in a 200
/// included, and a part that never succeeds fails the copy with the upload
/// aborted.
#[tokio::test]
async fn max_attempts_3_sends_a_failing_part_at_most_3_times() {
    let g = garage().await;
    let client = g.client();
    let p = unique("max-attempts");
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    for (i, fault) in [
        Fault::SlowDown,
        Fault::InternalError,
        Fault::ErrorIn200 { whitespace: false },
        Fault::ErrorIn200 { whitespace: true },
        Fault::ResetMidResponse,
    ]
    .into_iter()
    .enumerate()
    {
        let proxy = Proxy::start(&g.endpoint).await;
        proxy.inject(
            1,
            vec![Rule {
                operation: Some("UploadPartCopy"),
                when: When::EveryNth(1),
                faults: vec![fault],
            }],
        );
        let dst_key = format!("{p}dst{i}");
        let dst = format!("s3://{DST_BUCKET}/{dst_key}");
        let mut args = vec!["--max-attempts", "3"];
        args.extend(SLOW);
        args.extend([src.as_str(), dst.as_str()]);
        let r = g.via(&proxy).s3cp(&args).await;
        assert_eq!(r.code, 1, "{fault:?}: {r}");
        // One part at a time: the first part is sent 3 times, then the
        // copy fails (3, not 1: the SDK did retry each kind of fault).
        assert_eq!(
            proxy.of("UploadPartCopy").len(),
            3,
            "{fault:?}: UploadPartCopy sent {} times",
            proxy.of("UploadPartCopy").len()
        );
        assert_eq!(proxy.of("AbortMultipartUpload").len(), 1, "{fault:?}");
        assert!(!exists(&client, DST_BUCKET, &dst_key).await, "{fault:?}");
        assert!(
            uploads(&client, DST_BUCKET, &dst_key).await.is_empty(),
            "{fault:?}: an upload was left behind"
        );
    }
    // A single CopyObject too.
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.fault("CopyObject", When::EveryNth(1), Fault::SlowDown);
    let dst = format!("s3://{DST_BUCKET}/{p}single");
    let r = g
        .via(&proxy)
        .s3cp(&["--max-attempts", "3", &src, &dst])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("CopyObject failed: SlowDown"), "{r}");
    assert_eq!(proxy.of("CopyObject").len(), 3);
}

/// Unless `--max-attempts`, `AWS_MAX_ATTEMPTS` or the profile says, a
/// request is sent at most 5 times (the SDK's own default is 3, which lost
/// objects under throttling); `AWS_MAX_ATTEMPTS` still rules when set.
#[tokio::test]
async fn five_attempts_unless_told_otherwise() {
    let g = garage().await;
    let p = unique("default-attempts");
    put_random_source(&g.client(), &format!("{p}src"), 1000).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    // The S3-specific form is read too, and its value used.
    for (env, sent) in [
        (None, 5),
        (Some(("AWS_MAX_ATTEMPTS", "2")), 2),
        (Some(("AWS_MAX_ATTEMPTS_S3", "4")), 4),
    ] {
        let proxy = Proxy::start(&g.endpoint).await;
        proxy.fault("CopyObject", When::EveryNth(1), Fault::InternalError);
        let dst = format!("s3://{DST_BUCKET}/{p}dst");
        let env: Vec<(&str, &str)> = env.into_iter().collect();
        let r = g.via(&proxy).s3cp_with(&[&src, &dst], &env).await;
        assert_eq!(r.code, 1, "{r}");
        assert!(r.stderr.contains("CopyObject failed: InternalError"), "{r}");
        assert_eq!(proxy.of("CopyObject").len(), sent, "{env:?}");
    }
}

/// A failed copy reports the size the HEAD read (it was null).
#[tokio::test]
async fn a_failed_copy_reports_the_size_it_read() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.answer(
        "UploadPartCopy",
        403,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
         <Message>Access Denied</Message><RequestId>R1</RequestId></Error>",
    );
    let p = unique("failed-size");
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    let mut args = vec!["--json"];
    args.extend(SLOW);
    let (src, dst) = (
        format!("s3://{SRC_BUCKET}/{p}src"),
        format!("s3://{DST_BUCKET}/{p}dst"),
    );
    args.extend([src.as_str(), dst.as_str()]);
    let r = g.via(&proxy).s3cp(&args).await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["status"], "failed", "{v}");
    assert_eq!(v["size"], 11 * MIB, "{v}");
    assert_eq!(v["error"]["code"], "AccessDenied", "{v}");
    // Before the HEAD, nothing is known.
    let r = g
        .s3cp(&["--json", &format!("s3://{SRC_BUCKET}/{p}missing"), &dst])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.json()["size"].is_null(), "{r}");
}

/// An unversioned destination has no version id, on both paths: `null`,
/// never the string "null" that S3 (and moto) send for Complete. (Garage,
/// which has no versioning, gives every write a version id of its own.)
#[tokio::test]
async fn no_version_id_without_versioning_on_either_path() {
    {
        let server = moto().await;
        let client = server.client();
        let p = unique("null-version");
        put_random_source(&client, &format!("{p}src"), 12 * MIB).await;
        for (name, threshold) in [("single", "5GiB"), ("multipart", "5MiB")] {
            let r = server
                .s3cp(&[
                    "--json",
                    "--multipart-threshold",
                    threshold,
                    "--part-size",
                    "5MiB",
                    &format!("s3://{SRC_BUCKET}/{p}src"),
                    &format!("s3://{DST_BUCKET}/{p}{name}"),
                ])
                .await;
            let v = r.json_ok();
            assert_eq!(v["method"], name, "{v}");
            assert!(
                v["version_id"].is_null(),
                "{} {name}: version_id {}",
                server.name,
                v["version_id"]
            );
        }
    }
}

/// The proxy answers a CopyObject as S3 would under `--no-overwrite` once
/// the key exists: the first is forwarded (`lost`: its answer reset
/// mid-response, so the server did copy; else refused with SlowDown), every
/// later one gets 412 PreconditionFailed. Neither test server honours
/// If-None-Match on CopyObject.
fn no_overwrite_rules(proxy: &Proxy, first: Fault) {
    conditional_write_rules(proxy, "CopyObject", first);
}

/// The proxy answers a conditional write (`operation`: CopyObject or
/// CompleteMultipartUpload, with `--no-overwrite` or `--if-match`) as S3
/// would once the first has written the destination: the first gets
/// `first` (ResetMidResponse: forwarded, the answer lost), every later one
/// 412 PreconditionFailed without being forwarded (neither test server
/// checks the condition on a resend the way S3 does).
fn conditional_write_rules(proxy: &Proxy, operation: &'static str, first: Fault) {
    proxy.inject(
        1,
        vec![
            Rule {
                operation: Some(operation),
                when: When::First(1),
                faults: vec![first],
            },
            Rule {
                operation: Some(operation),
                when: When::EveryNth(1),
                faults: vec![Fault::PreconditionFailed],
            },
        ],
    );
}

/// `--no-overwrite`: a CopyObject whose answer was lost is sent again by
/// the SDK and meets s3cp's own first write (412): a HEAD shows the object
/// is s3cp's, so it is `copied`, not a conflict (it was reported failed,
/// and `skipped` in a bulk run).
#[tokio::test]
async fn no_overwrite_recognises_its_own_write_after_a_lost_answer() {
    let g = garage().await;
    let client = g.client();
    let p = unique("own-write");
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}src/a"),
        random_bytes(1000),
    )
    .await;

    let proxy = Proxy::start(&g.endpoint).await;
    no_overwrite_rules(&proxy, Fault::ResetMidResponse);
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--json",
            "--no-overwrite",
            &format!("s3://{SRC_BUCKET}/{p}src/a"),
            &format!("s3://{DST_BUCKET}/{p}one"),
        ])
        .await;
    let v = r.json_ok();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(v["size"], 1000, "{v}");
    assert_eq!(proxy.of("CopyObject").len(), 2, "the SDK sent it again");
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src/a")).await,
        digest(&client, DST_BUCKET, &format!("{p}one")).await
    );

    // A bulk run (no HEAD of the source: it is listed).
    let proxy = Proxy::start(&g.endpoint).await;
    no_overwrite_rules(&proxy, Fault::ResetMidResponse);
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            "--no-overwrite",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}many/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let summary: serde_json::Value =
        serde_json::from_str(r.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        (summary["copied"].as_u64(), summary["skipped"].as_u64()),
        (Some(1), Some(0)),
        "{r}"
    );
}

/// ...while a destination that was there before the copy is still the
/// conflict it looks like after a resend: same bytes (size and ETag), but
/// older than the copy.
#[tokio::test]
async fn no_overwrite_still_refuses_an_older_destination_after_a_resend() {
    let g = garage().await;
    let client = g.client();
    let p = unique("older-dst");
    let bytes = random_bytes(1000);
    put(&client, SRC_BUCKET, &format!("{p}src"), bytes.clone()).await;
    put(&client, DST_BUCKET, &format!("{p}dst"), bytes).await;
    // Last-Modified has whole seconds and s3cp allows 2 s of clock skew:
    // let the destination age past that (not a race: a fixed margin).
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let proxy = Proxy::start(&g.endpoint).await;
    no_overwrite_rules(&proxy, Fault::SlowDown);
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--no-overwrite",
            &format!("s3://{SRC_BUCKET}/{p}src"),
            &format!("s3://{DST_BUCKET}/{p}dst"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains("already exists and --no-overwrite"),
        "{r}"
    );
    assert_eq!(proxy.of("CopyObject").len(), 2);
    assert!(
        proxy
            .of("HeadObject")
            .iter()
            .any(|h| h.target.contains(&format!("{p}dst"))),
        "the destination was not checked"
    );
}

/// Ctrl-C that arrives after the copy was done (its CopyObject answered,
/// the answer held at the proxy) does not make it an interruption: `copied`
/// and exit 0 (it printed `copied` and exited 130).
#[tokio::test]
async fn ctrl_c_after_the_copy_completed_exits_0() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("late-ctrl-c");
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(1000)).await;
    let gate = proxy.hold_answer("CopyObject", 1);
    let child = g.via(&proxy).spawn(&[
        "-v",
        &format!("s3://{SRC_BUCKET}/{p}src"),
        &format!("s3://{DST_BUCKET}/{p}dst"),
    ]);
    gate.arrived().await;
    interrupt(&child);
    // Release only once s3cp has seen the Ctrl-C (it says so at -v).
    child.wait_for_stderr("Ctrl-C").await;
    gate.release();
    let r = child.wait().await;
    assert!(r.stdout.starts_with("copied "), "{r}");
    assert_eq!(r.code, 0, "{r}");
    assert!(exists(&client, DST_BUCKET, &format!("{p}dst")).await);
}

/// `--no-overwrite` on the multipart path: Complete is done by the server
/// but its answer is lost; the SDK sends it again and meets s3cp's own
/// object (412, as S3 answers If-None-Match: * once the key exists): a HEAD
/// shows the object is this copy's, so it is `copied`, exit 0, and no
/// upload is left.
#[tokio::test]
async fn no_overwrite_multipart_recognises_its_own_complete_after_a_lost_answer() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    conditional_write_rules(&proxy, "CompleteMultipartUpload", Fault::ResetMidResponse);
    let p = unique("own-complete");
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    let dst_key = format!("{p}dst");
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--json",
            "--no-overwrite",
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}src"),
            &format!("s3://{DST_BUCKET}/{dst_key}"),
        ])
        .await;
    let v = r.json_ok();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(v["method"], "multipart", "{v}");
    assert_eq!(v["size"], 11 * MIB, "{v}");
    assert!(v["etag"].as_str().unwrap().ends_with("-3\""), "{v}");
    let completes = proxy.of("CompleteMultipartUpload");
    assert_eq!(completes.len(), 2, "the SDK sent Complete again");
    assert!(
        completes
            .iter()
            .all(|c| c.header("if-none-match") == Some("*"))
    );
    assert_eq!(
        proxy.injected(),
        [Fault::ResetMidResponse, Fault::PreconditionFailed]
    );
    assert!(
        proxy
            .of("HeadObject")
            .iter()
            .any(|h| h.target.contains(&dst_key)),
        "the destination was not checked"
    );
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src")).await,
        digest(&client, DST_BUCKET, &dst_key).await
    );
    assert!(
        uploads(&client, DST_BUCKET, &p).await.is_empty(),
        "an upload was left behind"
    );
}

/// `--if-match E` on the single path: the CopyObject is done by the server
/// (the destination had ETag E), its answer is lost, and the SDK's resend
/// gets 412 (the destination is no longer E: it is s3cp's own write). A
/// HEAD shows the object is this copy's: `copied`, not a conflict.
#[tokio::test]
async fn if_match_recognises_its_own_write_after_a_lost_answer() {
    let g = garage().await;
    let client = g.client();
    let p = unique("if-match-own");
    let dst_key = format!("{p}dst");
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(1000)).await;
    // Another size than the source's: the HEAD must see the new object.
    put(&client, DST_BUCKET, &dst_key, b"old version".to_vec()).await;
    let old_etag = client
        .head_object()
        .bucket(DST_BUCKET)
        .key(&dst_key)
        .send()
        .await
        .expect("head the destination")
        .e_tag()
        .expect("etag")
        .to_owned();
    let proxy = Proxy::start(&g.endpoint).await;
    conditional_write_rules(&proxy, "CopyObject", Fault::ResetMidResponse);
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--json",
            "--if-match",
            &old_etag,
            &format!("s3://{SRC_BUCKET}/{p}src"),
            &format!("s3://{DST_BUCKET}/{dst_key}"),
        ])
        .await;
    let v = r.json_ok();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(v["method"], "single", "{v}");
    assert_eq!(v["size"], 1000, "{v}");
    let copies = proxy.of("CopyObject");
    assert_eq!(copies.len(), 2, "the SDK sent it again");
    assert!(
        copies
            .iter()
            .all(|c| c.header("if-match") == Some(old_etag.as_str()))
    );
    assert_eq!(
        proxy.injected(),
        [Fault::ResetMidResponse, Fault::PreconditionFailed]
    );
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src")).await,
        digest(&client, DST_BUCKET, &dst_key).await
    );
}

/// The single path reports no version where the CopyObject answer says
/// `null` (S3's name for the version of an unversioned object): neither
/// test server sends that header, so the proxy adds it. A real version id
/// in the same headers is reported, which shows the headers reached s3cp.
#[tokio::test]
async fn the_single_path_reports_a_null_version_as_none() {
    let m = moto().await;
    let client = m.client();
    let p = unique("null-source-version");
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(1000)).await;
    for (name, sent, reported) in [
        ("null", "null", serde_json::Value::Null),
        ("real", "v-from-proxy", serde_json::json!("v-from-proxy")),
    ] {
        let proxy = Proxy::start(&m.endpoint).await;
        proxy.add_answer_header("CopyObject", "x-amz-copy-source-version-id", sent);
        proxy.add_answer_header("CopyObject", "x-amz-version-id", sent);
        let r = m
            .via(&proxy)
            .s3cp(&[
                "--json",
                &format!("s3://{SRC_BUCKET}/{p}src"),
                &format!("s3://{DST_BUCKET}/{p}{name}"),
            ])
            .await;
        let v = r.json_ok();
        assert_eq!(v["method"], "single", "{v}");
        assert_eq!(proxy.of("CopyObject").len(), 1);
        assert_eq!(v["source_version_id"], reported, "{name}: {v}");
        assert_eq!(v["version_id"], reported, "{name}: {v}");
    }
}

/// Ctrl-C while the source's HEAD waits in the proxy: once the HEAD is
/// answered, s3cp writes nothing (no CopyObject) and exits 130.
#[tokio::test]
async fn ctrl_c_while_the_source_is_read_writes_nothing() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("ctrl-c-head");
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(1000)).await;
    let gate = proxy.hold("HeadObject", 1);
    let child = g.via(&proxy).spawn(&[
        "-v",
        &format!("s3://{SRC_BUCKET}/{p}src"),
        &format!("s3://{DST_BUCKET}/{p}dst"),
    ]);
    let held = gate.arrived().await;
    assert!(held.target.ends_with("src"), "{}", held.target);
    interrupt(&child);
    // Release only once s3cp has seen the Ctrl-C (it says so at -v).
    child.wait_for_stderr("Ctrl-C").await;
    gate.release();
    let r = child.wait().await;
    assert_eq!(r.code, 130, "{r}");
    assert_eq!(proxy.of("HeadObject").len(), 1, "{r}");
    assert!(
        proxy.of("CopyObject").is_empty(),
        "a CopyObject was sent: {r}"
    );
    assert!(!exists(&client, DST_BUCKET, &format!("{p}dst")).await);
}
