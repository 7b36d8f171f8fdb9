//! `--skip-existing` and `--skip-same` on Garage, through the recording
//! proxy that counts each operation: a rerun with nothing to do sends only
//! listing pages; what changed is copied and nothing else; a multipart
//! copy is recognised by its checksum; the two listings are walked in byte
//! order whatever the keys; a single copy and a manifest line cost one HEAD
//! of the destination; contradicting flags are refused before any request.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_s3::Client;
use aws_sdk_s3::types::ChecksumAlgorithm;
use futures::StreamExt;
use serde_json::Value;
use support::proxy::{Proxy, Request};
use support::*;

/// Puts each `(key, body)` under `prefix` in `bucket`, 64 at a time.
async fn put_all(client: &Client, bucket: &str, prefix: &str, objects: &[(String, Vec<u8>)]) {
    futures::stream::iter(objects)
        .map(|(k, body)| {
            let key = format!("{prefix}{k}");
            async move { put(client, bucket, &key, body.clone()).await }
        })
        .buffer_unordered(64)
        .collect::<Vec<()>>()
        .await;
}

/// The copy lines of a bulk run's JSON output, by destination key relative
/// to `dst_prefix`, and its summary.
fn lines(r: &Run, dst_prefix: &str) -> (BTreeMap<String, Value>, Value) {
    let mut all = r.json_lines();
    let summary = all.pop().expect("a summary line");
    assert_eq!(summary["type"], "summary", "{r}");
    let copies = all
        .into_iter()
        .map(|l| {
            assert_eq!(l["type"], "copy", "{l}");
            let dst = l["dst"].as_str().unwrap();
            let key = dst
                .strip_prefix(&format!("s3://{DST_BUCKET}/{dst_prefix}"))
                .unwrap_or_else(|| panic!("{dst} is not under {dst_prefix}"));
            (key.to_owned(), l)
        })
        .collect();
    (copies, summary)
}

/// The relative keys whose line has `status`.
fn with_status(copies: &BTreeMap<String, Value>, status: &str) -> BTreeSet<String> {
    copies
        .iter()
        .filter(|(_, l)| l["status"] == status)
        .map(|(k, _)| k.clone())
        .collect()
}

/// How many requests of each operation the proxy saw.
fn operations(requests: &[Request]) -> BTreeMap<&'static str, usize> {
    let mut ops = BTreeMap::new();
    for r in requests {
        *ops.entry(r.operation()).or_insert(0) += 1;
    }
    ops
}

/// The keys (relative to `prefix`) that CopyObject requests wrote.
fn copied_keys(proxy: &Proxy, prefix: &str) -> BTreeSet<String> {
    proxy
        .of("CopyObject")
        .iter()
        .map(|r| {
            let key = r.key().unwrap();
            key.strip_prefix(prefix).unwrap_or(&key).to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_rerun_with_nothing_to_do_sends_only_listing_pages_and_copies_only_what_changed() {
    let g = garage().await;
    let client = g.client();
    let p = unique("skip-rerun");
    let objects: Vec<(String, Vec<u8>)> = (0..2000)
        .map(|i| {
            let key = format!("d{}/{i:04}.txt", i % 5);
            let body = format!("{key} v1").into_bytes();
            (key, body)
        })
        .collect();
    put_all(&client, SRC_BUCKET, &format!("{p}src/"), &objects).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src/");
    let dst = format!("s3://{DST_BUCKET}/{p}dst/");
    let r = g.s3cp(&["-r", "-q", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");

    // The rerun: every object the same, by size and ETag from the listings.
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&["-r", "--skip-same", "--json", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = lines(&r, &format!("{p}dst/"));
    assert_eq!(copies.len(), 2000);
    assert_eq!(
        (&summary["skipped"], &summary["copied"], &summary["failed"]),
        (&2000.into(), &0.into(), &0.into()),
        "{summary}"
    );
    for line in copies.values() {
        assert_eq!(line["status"], "skipped", "{line}");
        assert_eq!(line["skip_reason"], "same", "{line}");
        assert_eq!(line["verified_by"], "etag", "{line}");
        assert_eq!(line["requests"], 0, "{line}");
    }
    // Two pages of 1,000 keys on each side, and nothing else.
    let requests = proxy.requests();
    assert_eq!(
        operations(&requests),
        BTreeMap::from([("ListObjectsV2", 4)]),
        "only listing pages"
    );
    let listed: BTreeMap<String, usize> = requests.iter().fold(BTreeMap::new(), |mut m, r| {
        let at = format!("{}/{}", r.bucket().unwrap(), r.query("prefix").unwrap());
        *m.entry(at).or_insert(0) += 1;
        m
    });
    assert_eq!(
        listed,
        BTreeMap::from([
            (format!("{SRC_BUCKET}/{p}src/"), 2),
            (format!("{DST_BUCKET}/{p}dst/"), 2)
        ])
    );
    assert_eq!(summary["requests"], 4, "{summary}");

    // One object changed (same size, new content), one added: exactly
    // those two are copied.
    let changed = "d3/0003.txt";
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}src/{changed}"),
        format!("{changed} v2").into_bytes(),
    )
    .await;
    let added = "d9/new.txt";
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}src/{added}"),
        b"new".to_vec(),
    )
    .await;
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&["-r", "--skip-same", "--json", "-v", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = lines(&r, &format!("{p}dst/"));
    assert_eq!(
        with_status(&copies, "copied"),
        BTreeSet::from([changed.to_owned(), added.to_owned()])
    );
    assert_eq!(summary["skipped"], 1999, "{summary}");
    assert_eq!(
        copied_keys(&proxy, &format!("{p}dst/")),
        BTreeSet::from([changed.to_owned(), added.to_owned()])
    );
    // The changed object's ETags differ: a HEAD of each side showed two
    // CRC32s (the SDK's default on a put) that differ, so it is copied;
    // the added one needed no request to decide.
    let heads: BTreeSet<String> = proxy
        .of("HeadObject")
        .iter()
        .map(|r| format!("{}/{}", r.bucket().unwrap(), r.key().unwrap()))
        .collect();
    assert_eq!(
        heads,
        BTreeSet::from([
            format!("{SRC_BUCKET}/{p}src/{changed}"),
            format!("{DST_BUCKET}/{p}dst/{changed}")
        ])
    );
    // Two single-part objects: their MD5s differ, which settles it.
    assert!(
        r.stderr.contains("the ETags (MD5s) differ"),
        "-v says why it is copied:\n{}",
        r.stderr
    );
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}dst/{changed}")).await,
        format!("{changed} v2").into_bytes()
    );
}

#[tokio::test]
async fn a_multipart_copy_is_recognised_as_the_same_by_its_checksum() {
    let g = garage().await;
    let client = g.client();
    let p = unique("skip-multipart");
    let big = random_bytes(11 * MIB as usize);
    // The SDK's default client gives it a CRC32, which Garage keeps.
    put(&client, SRC_BUCKET, &format!("{p}src/big"), big.clone()).await;
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}src/small"),
        b"small".to_vec(),
    )
    .await;
    let src = format!("s3://{SRC_BUCKET}/{p}src/");
    let dst = format!("s3://{DST_BUCKET}/{p}dst/");
    let lowered = ["--multipart-threshold", "5MiB", "--part-size", "5MiB"];
    let r = g
        .s3cp(&[&["-r", "-q"][..], &lowered, &[src.as_str(), dst.as_str()]].concat())
        .await;
    assert_eq!(r.code, 0, "{r}");
    let etag = head_checksums(&client, DST_BUCKET, &format!("{p}dst/big"))
        .await
        .e_tag()
        .unwrap()
        .to_owned();
    assert!(unquote(&etag).ends_with("-3"), "a multipart copy: {etag}");

    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(
            &[
                &["-r", "--skip-same", "--json"][..],
                &lowered,
                &[src.as_str(), dst.as_str()],
            ]
            .concat(),
        )
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = lines(&r, &format!("{p}dst/"));
    assert_eq!(summary["skipped"], 2, "{summary}");
    let line = &copies["big"];
    assert_eq!(
        (
            &line["skip_reason"],
            &line["verified_by"],
            &line["requests"]
        ),
        (&"same".into(), &"checksum".into(), &2.into()),
        "{line}"
    );
    assert_eq!(line["checksum"]["algorithm"], "CRC32", "{line}");
    assert_eq!(
        line["checksum"]["value"],
        s3_crc(&ChecksumAlgorithm::Crc32, &big)
    );
    assert_eq!(copies["small"]["verified_by"], "etag");
    // Two listing pages, and a HEAD of each side of the multipart copy.
    assert_eq!(
        operations(&proxy.requests()),
        BTreeMap::from([("HeadObject", 2), ("ListObjectsV2", 2)])
    );

    // A single copy: HEAD of the destination, then of the source.
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&["--skip-same", &format!("{src}big"), &format!("{dst}big")])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout
            .contains("the same as the source, by size and CRC32 checksum (--skip-same)"),
        "{r}"
    );
    let heads: Vec<String> = proxy
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.operation(), r.bucket().unwrap()))
        .collect();
    assert_eq!(
        heads,
        [
            format!("HeadObject {DST_BUCKET}"),
            format!("HeadObject {SRC_BUCKET}")
        ]
    );

    // The same size and another content, as a multipart upload with its
    // own CRC32: the checksums differ, so it is copied over.
    let other = random_bytes(11 * MIB as usize);
    let parts = vec![
        other[..(6 * MIB as usize)].to_vec(),
        other[(6 * MIB as usize)..].to_vec(),
    ];
    put_multipart(
        &client,
        DST_BUCKET,
        &format!("{p}dst/big"),
        parts,
        Some(ChecksumAlgorithm::Crc32),
    )
    .await;
    let r = g
        .s3cp(
            &[
                &["-r", "--skip-same", "--json", "-v"][..],
                &lowered,
                &[src.as_str(), dst.as_str()],
            ]
            .concat(),
        )
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, _) = lines(&r, &format!("{p}dst/"));
    assert_eq!(copies["big"]["status"], "copied", "{}", copies["big"]);
    assert_eq!(copies["small"]["status"], "skipped");
    assert!(r.stderr.contains("CRC32 checksums differ"), "{}", r.stderr);
    assert_eq!(
        digest(&client, DST_BUCKET, &format!("{p}dst/big")).await,
        digest(&client, SRC_BUCKET, &format!("{p}src/big")).await
    );
}

#[tokio::test]
async fn keys_sorting_around_slash_and_unicode_and_extra_keys_are_walked_in_byte_order() {
    let g = garage().await;
    let client = g.client();
    let p = unique("skip-order");
    let body = |k: &str| format!("body of {k}").into_bytes();
    // '!' < '/' < '0' < 'z' < 'é' < '日' in UTF-8 bytes.
    let source = ["a!b", "a/b", "a0", "z", "é", "日本", "日本語"];
    let src_objects: Vec<(String, Vec<u8>)> =
        source.iter().map(|k| (k.to_string(), body(k))).collect();
    put_all(&client, SRC_BUCKET, &format!("{p}src/"), &src_objects).await;
    // The destination: three of them already the same, "z" another size,
    // and extra keys between and around them.
    let mut dst_objects: Vec<(String, Vec<u8>)> = ["a!b", "a0", "日本"]
        .iter()
        .map(|k| (k.to_string(), body(k)))
        .collect();
    dst_objects.push(("z".into(), b"longer than the source's body".to_vec()));
    for extra in ["a", "a/a", "a/b/c", "a00", "éé", "日本/x", "日"] {
        dst_objects.push((extra.to_string(), b"extra".to_vec()));
    }
    put_all(&client, DST_BUCKET, &format!("{p}dst/"), &dst_objects).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src/");
    let dst = format!("s3://{DST_BUCKET}/{p}dst/");
    let dst_prefix = format!("{p}dst/");
    let set = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<BTreeSet<_>>();

    // --skip-existing, as a dry run: what exists is skipped, the rest
    // planned, and only the listings are sent.
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&["-r", "--skip-existing", "--dry-run", "--json", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = lines(&r, &dst_prefix);
    assert_eq!(
        with_status(&copies, "skipped"),
        set(&["a!b", "a0", "z", "日本"])
    );
    assert_eq!(
        with_status(&copies, "planned"),
        set(&["a/b", "é", "日本語"])
    );
    assert!(copies.values().all(|l| l["dry_run"] == true));
    assert!(
        copies
            .values()
            .filter(|l| l["status"] == "skipped")
            .all(|l| l["skip_reason"] == "exists")
    );
    assert_eq!(
        (&summary["skipped"], &summary["planned"]),
        (&4.into(), &3.into())
    );
    let ops = operations(&proxy.requests());
    assert_eq!(ops.get("ListObjectsV2"), Some(&2), "{ops:?}");
    assert!(
        ops.keys().all(|op| *op == "ListObjectsV2"),
        "only the listings: {ops:?}"
    );
    // The human dry run says the same (the skipped objects under -v).
    let r = g
        .s3cp(&["-r", "-v", "--skip-existing", "--dry-run", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout.contains(&format!(
            "skipped {src}z -> {dst}z: it already exists (--skip-existing) (--dry-run)"
        )),
        "{r}"
    );
    assert!(
        r.stdout.contains(&format!("would copy {src}é -> {dst}é")),
        "{r}"
    );

    // --skip-same, for real, with a filter: what is filtered out is on
    // neither side.
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--skip-same",
            "--json",
            "--exclude",
            "日本語",
            &src,
            &dst,
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, _) = lines(&r, &dst_prefix);
    assert_eq!(with_status(&copies, "skipped"), set(&["a!b", "a0", "日本"]));
    assert_eq!(with_status(&copies, "copied"), set(&["a/b", "z", "é"]));
    assert_eq!(copies.len(), 6, "日本語 is filtered out");
    assert_eq!(copied_keys(&proxy, &dst_prefix), set(&["a/b", "z", "é"]));
    // "z" has another size: copied without a HEAD.
    assert!(
        proxy.of("HeadObject").is_empty(),
        "{:?}",
        proxy.of("HeadObject")
    );
    // The extra keys are left as they were.
    for extra in ["a", "a/a", "a/b/c", "a00", "éé", "日本/x", "日"] {
        assert_eq!(
            get_bytes(&client, DST_BUCKET, &format!("{dst_prefix}{extra}")).await,
            b"extra".to_vec(),
            "{extra}"
        );
    }
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{dst_prefix}z")).await,
        body("z")
    );
}

#[tokio::test]
async fn a_rerun_into_a_destination_inside_the_source_skips_its_own_output() {
    let g = garage().await;
    let client = g.client();
    let p = unique("skip-own-output");
    let objects: Vec<(String, Vec<u8>)> = (0..5)
        .map(|i| (format!("a/k{i}"), format!("k{i}").into_bytes()))
        .collect();
    put_all(&client, SRC_BUCKET, &p, &objects).await;
    let (src, dst) = (
        format!("s3://{SRC_BUCKET}/{p}a/"),
        format!("s3://{SRC_BUCKET}/{p}a/sub/"),
    );
    let r = g.s3cp(&["-r", "-q", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&["-r", "--skip-same", "--json", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let mut all = r.json_lines();
    let summary = all.pop().unwrap();
    assert_eq!(
        (
            &summary["skipped"],
            &summary["copied"],
            &summary["excluded"]
        ),
        (&5.into(), &0.into(), &5.into()),
        "{summary}"
    );
    assert_eq!(
        operations(&proxy.requests()),
        BTreeMap::from([("ListObjectsV2", 2)])
    );
}

/// A single copy under `--skip-same` whose destination differs: the HEAD
/// of the destination, the HEAD of the source that decided, and the
/// CopyObject; the copy uses what the source's HEAD read instead of
/// sending its own (4 requests before).
#[tokio::test]
async fn a_single_copy_that_differs_heads_the_source_once() {
    let g = garage().await;
    let client = g.client();
    let p = unique("skip-same-once");
    put(&client, SRC_BUCKET, &format!("{p}k"), b"newer".to_vec()).await;
    put(&client, DST_BUCKET, &format!("{p}k"), b"older".to_vec()).await;
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--skip-same",
            "--json",
            &s3(SRC_BUCKET, &format!("{p}k")),
            &s3(DST_BUCKET, &format!("{p}k")),
        ])
        .await;
    let line = r.json_ok();
    assert_eq!(line["status"], "copied", "{line}");
    assert_eq!(line["verified"], true, "{line}");
    let sent: Vec<String> = proxy
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.operation(), r.bucket().unwrap()))
        .collect();
    assert_eq!(
        sent,
        [
            format!("HeadObject {DST_BUCKET}"),
            format!("HeadObject {SRC_BUCKET}"),
            format!("CopyObject {DST_BUCKET}"),
        ],
        "{line}"
    );
    assert_eq!(line["requests"], 3, "{line}");
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}k")).await,
        b"newer".to_vec()
    );
}

#[tokio::test]
async fn a_single_copy_and_a_manifest_line_skip_an_existing_destination_for_one_head() {
    let g = garage().await;
    let client = g.client();
    let p = unique("skip-one-head");
    for k in ["one", "two", "three"] {
        put(
            &client,
            SRC_BUCKET,
            &format!("{p}{k}"),
            k.as_bytes().to_vec(),
        )
        .await;
    }
    // The destinations of one and two exist, with other content.
    for k in ["one", "two"] {
        put(&client, DST_BUCKET, &format!("{p}{k}"), b"older".to_vec()).await;
    }
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--skip-existing",
            "--json",
            &s3(SRC_BUCKET, &format!("{p}one")),
            &s3(DST_BUCKET, &format!("{p}one")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let line = r.json_ok();
    assert_eq!(
        (&line["status"], &line["skip_reason"], &line["requests"]),
        (&"skipped".into(), &"exists".into(), &1.into()),
        "{line}"
    );
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].operation(), "HeadObject");
    assert!(requests[0].is_for(DST_BUCKET, &format!("{p}one")));
    // Whether it exists needs no checksum (reading an SSE-KMS object's
    // would need kms:Decrypt).
    assert_eq!(requests[0].header("x-amz-checksum-mode"), None);

    // A manifest: each existing destination costs its one HEAD; the
    // missing one is HEADed first, then copied as today.
    let manifest: String = ["one", "two", "three"]
        .iter()
        .map(|k| {
            format!(
                "{} {}\n",
                s3(SRC_BUCKET, &format!("{p}{k}")),
                s3(DST_BUCKET, &format!("{p}{k}"))
            )
        })
        .collect();
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp_stdin(
            &["--from-file", "-", "--skip-existing", "--json"],
            &manifest,
        )
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = lines(&r, &p);
    assert_eq!(
        with_status(&copies, "skipped"),
        BTreeSet::from(["one".into(), "two".into()])
    );
    assert_eq!(
        with_status(&copies, "copied"),
        BTreeSet::from(["three".into()])
    );
    assert_eq!(summary["skipped"], 2);
    let requests = proxy.requests();
    for k in ["one", "two"] {
        let of: Vec<&str> = requests
            .iter()
            .filter(|r| r.key().as_deref() == Some(&format!("{p}{k}")))
            .map(|r| r.operation())
            .collect();
        assert_eq!(of, ["HeadObject"], "{k}");
    }
    let three: Vec<String> = requests
        .iter()
        .filter(|r| r.key().as_deref() == Some(&format!("{p}three")))
        .map(|r| format!("{} {}", r.operation(), r.bucket().unwrap()))
        .collect();
    assert_eq!(
        three.first().map(String::as_str),
        Some(format!("HeadObject {DST_BUCKET}").as_str()),
        "the destination is HEADed first: {three:?}"
    );
    assert!(
        three.contains(&format!("CopyObject {DST_BUCKET}")),
        "{three:?}"
    );
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}one")).await,
        b"older"
    );
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}three")).await,
        b"three"
    );
}

#[tokio::test]
async fn contradicting_skip_flags_are_refused_before_any_request() {
    let g = garage().await;
    let client = g.client();
    let p = unique("skip-refused");
    put(&client, SRC_BUCKET, &format!("{p}k"), b"k".to_vec()).await;
    let proxy = Proxy::start(&g.endpoint).await;
    let (src, dst) = (
        s3(SRC_BUCKET, &format!("{p}k")),
        s3(DST_BUCKET, &format!("{p}k")),
    );
    let (prefix_src, prefix_dst) = (s3(SRC_BUCKET, &p), s3(DST_BUCKET, &p));
    let (src, dst) = (src.as_str(), dst.as_str());
    let (prefix_src, prefix_dst) = (prefix_src.as_str(), prefix_dst.as_str());
    for (args, fix) in [
        (
            vec!["--skip-same", "--no-overwrite", src, dst],
            "give --skip-existing --no-overwrite",
        ),
        (
            vec!["--skip-same", "--if-none-match", "*", "--json", src, dst],
            "give --skip-existing --no-overwrite",
        ),
        (
            vec![
                "-r",
                "--skip-existing",
                "--skip-same",
                prefix_src,
                prefix_dst,
            ],
            "give one of them",
        ),
        (
            vec!["--skip-existing", "--if-match", "\"e\"", src, dst],
            "give --skip-same",
        ),
    ] {
        let r = g.via(&proxy).s3cp(&args).await;
        assert_eq!(r.code, 2, "{args:?}: {r}");
        assert!(r.stderr.contains(fix), "{args:?}: {r}");
        if args.contains(&"--json") {
            assert_eq!(r.json()["error"]["code"], "UsageError", "{r}");
        }
    }
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
    assert_nothing_written(&client, &format!("{p}k"), &p).await;
}

#[tokio::test]
async fn a_streamed_rerun_lists_the_destination_in_the_destination_store() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("skip-stream");
    for k in ["a", "b", "c"] {
        put(
            &g.client(),
            SRC_BUCKET,
            &format!("{p}src/{k}"),
            random_bytes(1000),
        )
        .await;
    }
    let (src, dst) = (
        s3(SRC_BUCKET, &format!("{p}src/")),
        s3(DST_BUCKET, &format!("{p}dst/")),
    );
    // Garage's keys for both ends (moto takes any): Garage -> moto, streamed.
    let onto = |endpoint: &str| Server {
        endpoint: endpoint.to_owned(),
        ..g.clone()
    };
    let r = onto(&m.endpoint)
        .s3cp(&["-r", "-q", "--source-endpoint-url", &g.endpoint, &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    put(
        &g.client(),
        SRC_BUCKET,
        &format!("{p}src/d"),
        b"new".to_vec(),
    )
    .await;

    let (gp, mp) = (
        Proxy::start(&g.endpoint).await,
        Proxy::start(&m.endpoint).await,
    );
    let r = onto(&mp.endpoint)
        .s3cp(&[
            "-r",
            "--skip-same",
            "--json",
            "--source-endpoint-url",
            &gp.endpoint,
            &src,
            &dst,
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, _) = lines(&r, &format!("{p}dst/"));
    let set = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(with_status(&copies, "skipped"), set(&["a", "b", "c"]));
    assert_eq!(with_status(&copies, "copied"), set(&["d"]));
    assert_eq!(copies["d"]["method"], "stream");
    // Each listing goes to its own store: the source's to Garage, the
    // destination's to moto.
    let prefixes = |proxy: &Proxy| -> Vec<String> {
        proxy
            .of("ListObjectsV2")
            .iter()
            .map(|r| format!("{}/{}", r.bucket().unwrap(), r.query("prefix").unwrap()))
            .collect()
    };
    assert_eq!(prefixes(&gp), [format!("{SRC_BUCKET}/{p}src/")]);
    assert_eq!(prefixes(&mp), [format!("{DST_BUCKET}/{p}dst/")]);
    // Nothing else about the skipped objects, on either store.
    for k in ["a", "b", "c"] {
        let about: Vec<String> = gp
            .requests()
            .iter()
            .chain(mp.requests().iter())
            .filter(|r| r.key().is_some_and(|key| key.ends_with(&format!("/{k}"))))
            .map(|r| r.operation().to_owned())
            .collect();
        assert!(about.is_empty(), "{k}: {about:?}");
    }
    assert!(gp.of("PutObject").is_empty() && mp.of("GetObject").is_empty());
}

#[tokio::test]
async fn the_destination_listing_follows_its_bucket_s_region() {
    let m = moto_with_eu_bucket().await;
    let p = unique("skip-region");
    for i in 0..5 {
        put(
            &m.client(),
            DST_BUCKET,
            &format!("{p}src/{i}"),
            random_bytes(100),
        )
        .await;
    }
    let (src, dst) = (
        s3(DST_BUCKET, &format!("{p}src/")),
        s3(EU_BUCKET, &format!("{p}dst/")),
    );
    let r = m
        .s3cp(&[
            "-r",
            "-q",
            "--region",
            EU,
            "--source-region",
            US,
            &src,
            &dst,
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    // No region flag: the destination bucket's listing is redirected once
    // and sent again in eu-west-1.
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.regions(
        &[(EU_BUCKET, EU), (DST_BUCKET, US)],
        support::proxy::WrongRegion::Redirect301,
    );
    let r = m
        .via(&proxy)
        .s3cp(&["-r", "--skip-existing", "--json", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let summary = r.json_lines().pop().unwrap();
    assert_eq!(
        (&summary["skipped"], &summary["copied"]),
        (&5.into(), &0.into())
    );
    let misdirected = proxy.misdirected();
    assert_eq!(misdirected.len(), 1, "{misdirected:#?}");
    assert_eq!(misdirected[0].operation(), "ListObjectsV2");
    assert_eq!(misdirected[0].bucket().as_deref(), Some(EU_BUCKET));
    let regions: Vec<(String, Option<String>)> = proxy
        .of("ListObjectsV2")
        .iter()
        .map(|r| (r.bucket().unwrap(), r.signed_region()))
        .collect();
    assert!(
        regions.contains(&(EU_BUCKET.to_owned(), Some(EU.to_owned()))),
        "{regions:?}"
    );
    assert_eq!(
        operations(&proxy.requests()),
        BTreeMap::from([("ListObjectsV2", 3)])
    );
}

/// A destination written after the listing was read: `--skip-existing`
/// found nothing there, and `--no-overwrite`'s `If-None-Match: *` still
/// keeps it (AWS answers 412; neither test server honours it on
/// CopyObject, so the proxy answers for it): `skipped`, reason `exists`.
#[tokio::test]
async fn no_overwrite_guards_what_the_listing_did_not_see_and_says_it_exists() {
    let g = garage().await;
    let client = g.client();
    let p = unique("skip-race");
    put(&client, SRC_BUCKET, &format!("{p}src/k"), b"k".to_vec()).await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.answer(
        "CopyObject",
        412,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code>\
         <Message>At least one of the pre-conditions you specified did not hold</Message>\
         </Error>",
    );
    let (src, dst) = (
        s3(SRC_BUCKET, &format!("{p}src/")),
        s3(DST_BUCKET, &format!("{p}dst/")),
    );
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--skip-existing",
            "--no-overwrite",
            "--json",
            &src,
            &dst,
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = lines(&r, &format!("{p}dst/"));
    let line = &copies["k"];
    assert_eq!(
        (&line["status"], &line["skip_reason"]),
        (&"skipped".into(), &"exists".into()),
        "{line}"
    );
    assert_eq!(summary["skipped"], 1);
    let copy = &proxy.of("CopyObject")[0];
    assert_eq!(copy.header("if-none-match"), Some("*"));
    // Said under -v (a bulk run's skipped objects are only counted
    // without it).
    let r = g
        .via(&proxy)
        .s3cp(&["-r", "-v", "--skip-existing", "--no-overwrite", &src, &dst])
        .await;
    assert!(
        r.stdout.contains("it already exists (--no-overwrite)"),
        "{r}"
    );
}
