//! One-object copies through the real binary, on Garage and moto.

mod support;

use support::*;

/// Copies `key` with s3cp and checks the bytes arrived intact.
async fn copy_and_verify(
    server: &Server,
    src_key: &str,
    dst_key: &str,
    extra: &[&str],
) -> serde_json::Value {
    let client = server.client();
    let src = format!("s3://{SRC_BUCKET}/{src_key}");
    let dst = format!("s3://{DST_BUCKET}/{dst_key}");
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    args.extend([src.as_str(), dst.as_str()]);
    let result = server.s3cp(&args).await.json_ok();
    assert_eq!(
        digest(&client, SRC_BUCKET, src_key).await,
        digest(&client, DST_BUCKET, dst_key).await,
        "content of {dst} differs from {src}"
    );
    result
}

#[tokio::test]
async fn single_copy_on_garage_is_identical() {
    let g = garage().await;
    let p = unique("single-garage");
    put(
        &g.client(),
        SRC_BUCKET,
        &format!("{p}obj"),
        random_bytes(100_000),
    )
    .await;
    let r = copy_and_verify(&g, &format!("{p}obj"), &format!("{p}copy"), &[]).await;
    assert_eq!(r["method"], "single");
    assert_eq!(r["parts"], 0);
    assert_eq!(r["size"], 100_000);
}

#[tokio::test]
async fn single_copy_on_moto_is_identical() {
    let m = moto().await;
    let p = unique("single-moto");
    put(
        &m.client(),
        SRC_BUCKET,
        &format!("{p}obj"),
        random_bytes(100_000),
    )
    .await;
    let r = copy_and_verify(&m, &format!("{p}obj"), &format!("{p}copy"), &[]).await;
    assert_eq!(r["method"], "single");
}

/// The multipart path must produce what a single CopyObject produces.
async fn multipart_matches_single(server: &Server, with_tags: bool) {
    let client = server.client();
    let p = unique(&format!("parity-{}", server.name));
    let src = format!("{p}source.bin");
    put_dressed_source(server, &src, with_tags).await;

    let single = copy_and_verify(server, &src, &format!("{p}single"), &[]).await;
    assert_eq!(single["method"], "single");
    let multi = copy_and_verify(
        server,
        &src,
        &format!("{p}multi"),
        &["--multipart-threshold", "8MiB", "--part-size", "5MiB"],
    )
    .await;
    assert_eq!(multi["method"], "multipart");
    assert_eq!(multi["parts"], 3);
    assert_eq!(multi["part_size"], 5 * MIB);

    let want = head(&client, SRC_BUCKET, &src).await;
    assert_eq!(
        want.content_type.as_deref(),
        Some("application/x-s3cp-test")
    );
    assert_eq!(want.metadata.len(), 2, "{want:?}");
    let via_single = head(&client, DST_BUCKET, &format!("{p}single")).await;
    let via_multi = head(&client, DST_BUCKET, &format!("{p}multi")).await;
    assert_eq!(via_single, want, "single CopyObject lost something");
    assert_eq!(via_multi, via_single, "multipart differs from CopyObject");

    if with_tags {
        let want = tags(server, SRC_BUCKET, &src).await;
        assert_eq!(want.len(), 2);
        assert_eq!(tags(server, DST_BUCKET, &format!("{p}single")).await, want);
        assert_eq!(tags(server, DST_BUCKET, &format!("{p}multi")).await, want);
    }
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

#[tokio::test]
async fn multipart_copy_matches_single_copy_on_moto_with_tags() {
    multipart_matches_single(&moto().await, true).await;
}

#[tokio::test]
async fn multipart_copy_matches_single_copy_on_garage() {
    // Garage answers GetObjectTagging with 501: s3cp goes on without tags.
    multipart_matches_single(&garage().await, false).await;
}

#[tokio::test]
async fn object_above_five_gib_is_copied_in_parts_by_default() {
    let g = garage().await;
    let client = g.client();
    let p = unique("above-5gib");
    let base = format!("{p}base");
    put_random_source(&client, &base, 64 * MIB).await;
    // 81 × 64 MiB = 5184 MiB: just above the 5 GiB (5120 MiB) line.
    let big = format!("{p}big");
    assemble(&client, SRC_BUCKET, &big, &base, 81).await;
    let size = 81 * 64 * MIB;
    assert_eq!(head(&client, SRC_BUCKET, &big).await.size as u64, size);

    let dst = format!("s3://{DST_BUCKET}/{p}big-copy");
    let proxy = support::proxy::Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&["--json", &format!("s3://{SRC_BUCKET}/{big}"), &dst])
        .await
        .json_ok();
    // Not one CopyObject: the requests, the result and the server's
    // multipart ETag all say so.
    assert!(proxy.of("CopyObject").is_empty(), "a CopyObject was sent");
    assert_eq!(r["method"], "multipart");
    let parts = size.div_ceil(256 * MIB);
    assert_eq!(r["parts"], parts);
    assert_eq!(proxy.of("UploadPartCopy").len() as u64, parts);
    assert_eq!(proxy.of("CompleteMultipartUpload").len(), 1);
    assert_eq!(r["size"], size);
    let etag = r["etag"].as_str().expect("etag");
    assert!(
        etag.trim_matches('"').ends_with(&format!("-{parts}")),
        "{etag}"
    );
    assert_eq!(
        head(&client, DST_BUCKET, &format!("{p}big-copy"))
            .await
            .size as u64,
        size
    );
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

#[tokio::test]
async fn source_overwritten_mid_copy_fails_and_leaves_no_upload() {
    let g = garage().await;
    let client = g.client();
    let p = unique("overwritten");
    let src = format!("{p}src");
    // 15 MiB in 3 parts, copied one at a time.
    parts_source(&client, &p, &src, 3).await;

    // The second part waits in the proxy while the source is overwritten:
    // the first part was copied from the old source, the second is sent
    // after the change.
    let proxy = support::proxy::Proxy::start(&g.endpoint).await;
    let part = proxy.hold("UploadPartCopy", 2);
    let child = g.via(&proxy).spawn(&[
        "--multipart-threshold",
        "5MiB",
        "--part-size",
        "5MiB",
        "--concurrency",
        "1",
        &format!("s3://{SRC_BUCKET}/{src}"),
        &format!("s3://{DST_BUCKET}/{p}dst"),
    ]);
    part.arrived().await;
    put(
        &client,
        SRC_BUCKET,
        &src,
        b"a different object now".to_vec(),
    )
    .await;
    part.release();

    let run = child.wait().await;
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("changed during the copy"), "{run}");
    assert!(run.stderr.contains("PreconditionFailed"), "{run}");
    assert_nothing_written(&client, &format!("{p}dst"), &p).await;
}

#[tokio::test]
async fn special_keys_survive_both_paths() {
    let g = garage().await;
    let client = g.client();
    let p = unique("special-keys");
    let long = format!("{p}{}", "k".repeat(1024 - p.len()));
    assert_eq!(long.len(), 1024);
    let keys = [
        format!("{p}with space.txt"),
        format!("{p}plus+sign"),
        format!("{p}percent%20literal%"),
        format!("{p}question?mark&and=equals"),
        format!("{p}hash#fragment"),
        format!("{p}ünïcødé/日本語/😀"),
        format!("{p}tilde~star*paren(s)'quote\"!$,;:@[]"),
        long,
    ];
    for key in &keys {
        put(&client, SRC_BUCKET, key, random_bytes(4096)).await;
        let r = copy_and_verify(&g, key, key, &[]).await;
        assert_eq!(r["dst"], format!("s3://{DST_BUCKET}/{key}"));
    }
    // The multipart path encodes the copy source of every part the same way.
    let key = format!("{p}multi part+%?#ü");
    put_random_source(&client, &key, 11 * MIB).await;
    let r = copy_and_verify(
        &g,
        &key,
        &key,
        &["--multipart-threshold", "5MiB", "--part-size", "5MiB"],
    )
    .await;
    assert_eq!(r["parts"], 3);
}

#[tokio::test]
async fn json_result_has_every_field() {
    let g = garage().await;
    let p = unique("json");
    put(
        &g.client(),
        SRC_BUCKET,
        &format!("{p}dir/file.bin"),
        random_bytes(6 * MIB as usize),
    )
    .await;
    // A destination ending in '/' takes the source's last path segment.
    let r = g
        .s3cp(&[
            "--json",
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}dir/file.bin"),
            &format!("s3://{DST_BUCKET}/{p}out/"),
        ])
        .await;
    let v = r.json_ok();
    assert!(
        r.stderr.is_empty(),
        "stderr should be empty with --json: {r}"
    );
    let obj = v.as_object().expect("a JSON object");
    let mut fields: Vec<&str> = obj.keys().map(String::as_str).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "acl",
            "annotation_directive",
            "annotations",
            "checksum",
            "dry_run",
            "dst",
            "duration_ms",
            "encryption",
            "error",
            "etag",
            "metadata_directive",
            "method",
            "part_size",
            "parts",
            "possible_strays",
            "requests",
            "schema",
            "size",
            "skip_reason",
            "source_version_id",
            "src",
            "status",
            "storage_class",
            "tagging_directive",
            "type",
            "unverified_reason",
            "verified",
            "verified_by",
            "version_id"
        ]
    );
    assert_eq!(v["src"], format!("s3://{SRC_BUCKET}/{p}dir/file.bin"));
    assert_eq!(v["dst"], format!("s3://{DST_BUCKET}/{p}out/file.bin"));
    assert_eq!(v["size"], 6 * MIB);
    assert_eq!(v["method"], "multipart");
    assert_eq!(v["parts"], 2);
    assert_eq!(v["possible_strays"], serde_json::json!([]));
    assert!(v["duration_ms"].is_u64());
    assert!(v["etag"].is_string());
    assert_eq!(v["metadata_directive"], "COPY");
    assert_eq!(v["tagging_directive"], "COPY");
    assert_eq!(v["acl"], "private (default)");
    assert_eq!(v["encryption"], "bucket default");
    assert_eq!(v["storage_class"], "STANDARD (default)");
    assert_eq!(v["dry_run"], false);
    assert_eq!(v["type"], "copy");
    assert_eq!(v["schema"], 1);
    assert_eq!(v["status"], "copied");
    assert_eq!(
        v["requests"],
        2 + 2 + 2 + 1,
        "HEAD, tagging, create, 2 parts, complete, and the annotations listing (which Garage \
         answers with the object: none to copy)"
    );
    assert_eq!(v["annotation_directive"], "COPY");
    assert_eq!(v["annotations"], 0, "a multipart copy carries them itself");
    assert!(v["error"].is_null());
}

#[tokio::test]
async fn human_output_is_one_line_and_progress_is_off_without_a_terminal() {
    let g = garage().await;
    let p = unique("human");
    put(
        &g.client(),
        SRC_BUCKET,
        &format!("{p}a"),
        random_bytes(6 * MIB as usize),
    )
    .await;
    let r = g
        .s3cp(&[
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}a"),
            &format!("s3://{DST_BUCKET}/{p}b"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.stdout.lines().count(), 1, "{r}");
    let line = r.stdout.trim_end();
    assert!(line.starts_with(&format!("copied s3://{SRC_BUCKET}/{p}a -> s3://{DST_BUCKET}/{p}b (6 MiB, multipart, 2 parts of 5 MiB) in ")), "{line}");
    assert!(
        r.stderr.is_empty(),
        "no progress bar when stderr is not a terminal: {r}"
    );

    let quiet = g
        .s3cp(&[
            "--quiet",
            &format!("s3://{SRC_BUCKET}/{p}a"),
            &format!("s3://{DST_BUCKET}/{p}c"),
        ])
        .await;
    assert_eq!(quiet.code, 0, "{quiet}");
    assert!(
        quiet.stdout.is_empty() && quiet.stderr.is_empty(),
        "{quiet}"
    );
}

#[tokio::test]
async fn endpoint_from_the_environment() {
    let g = garage().await;
    let p = unique("env-endpoint");
    put(
        &g.client(),
        SRC_BUCKET,
        &format!("{p}a"),
        random_bytes(1000),
    )
    .await;
    let src = format!("s3://{SRC_BUCKET}/{p}a");
    let dst = format!("s3://{DST_BUCKET}/{p}b");
    let r = g
        .s3cp_env(
            &["--path-style", "--json", &src, &dst],
            &[
                ("AWS_ENDPOINT_URL_S3", &g.endpoint),
                ("AWS_REGION", "us-east-1"),
            ],
        )
        .await;
    assert_eq!(r.json_ok()["size"], 1000);
}

#[tokio::test]
async fn ctrl_c_mid_copy_exits_130_and_aborts_the_upload() {
    let g = garage().await;
    let client = g.client();
    let p = unique("sigint");
    let src = format!("{p}src");
    parts_source(&client, &p, &src, 3).await;

    // Ctrl-C while the second of three parts waits in the proxy; the abort
    // that answers it is held until it has come, then let through.
    let proxy = support::proxy::Proxy::start(&g.endpoint).await;
    let part = proxy.hold("UploadPartCopy", 2);
    let abort = proxy.hold("AbortMultipartUpload", 1);
    let child = g.via(&proxy).spawn(&[
        "--multipart-threshold",
        "5MiB",
        "--part-size",
        "5MiB",
        "--concurrency",
        "1",
        &format!("s3://{SRC_BUCKET}/{src}"),
        &format!("s3://{DST_BUCKET}/{p}dst"),
    ]);
    part.arrived().await;
    interrupt(&child);
    abort.arrived().await;
    abort.release();
    let run = child.wait().await;
    assert_eq!(run.code, 130, "{run}");
    assert!(run.stderr.contains("interrupted"), "{run}");
    assert_eq!(
        proxy.of("UploadPartCopy").len(),
        2,
        "no part started after Ctrl-C"
    );
    assert_nothing_written(&client, &format!("{p}dst"), &p).await;
}

#[tokio::test]
async fn progress_bar_on_a_terminal() {
    let g = garage().await;
    let client = g.client();
    let p = unique("progress");
    parts_source(&client, &p, &format!("{p}src"), 60).await;
    // `script` gives s3cp a pseudo-terminal and copies what it draws.
    let command = format!(
        "{} --endpoint-url {} --path-style --multipart-threshold 5MiB --part-size 5MiB \
         --concurrency 1 s3://{SRC_BUCKET}/{p}src s3://{DST_BUCKET}/{p}dst",
        env!("CARGO_BIN_EXE_s3cp"),
        g.endpoint
    );
    let mut script = tokio::process::Command::new("script");
    script
        .args(["-qefc", &command, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("TERM", "xterm")
        .env("AWS_ACCESS_KEY_ID", &g.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &g.secret_key)
        .stdin(std::process::Stdio::null());
    let out = Spawned::start(script, &format!("script -qefc '{command}'"), g.timeout)
        .wait()
        .await;
    let screen = &out.stdout;
    assert_eq!(out.code, 0, "{out}");
    assert!(
        screen.contains("(60 parts)"),
        "no progress bar drawn:\n{screen}"
    );
    assert!(
        screen.contains("MiB/300.00 MiB"),
        "no byte counts:\n{screen}"
    );
    assert!(screen.contains("copied s3://"), "{screen}");
}
