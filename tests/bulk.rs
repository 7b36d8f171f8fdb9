//! Bulk copies on Garage: prefixes with filters, manifests, dry runs,
//! shards, the JSON Lines contract, and one failing object among many.

mod support;

use std::collections::BTreeSet;

use aws_sdk_s3::Client;
use futures::StreamExt;
use serde_json::Value;
use support::proxy::{Fault, Proxy, Rule, When};
use support::*;

/// Puts `keys` under `prefix` in the source bucket, each holding its own
/// name, 64 at a time.
async fn put_many(client: &Client, prefix: &str, keys: &[String]) {
    futures::stream::iter(keys)
        .map(|k| {
            let key = format!("{prefix}{k}");
            async move { put(client, SRC_BUCKET, &key, key.clone().into_bytes()).await }
        })
        .buffer_unordered(64)
        .collect::<Vec<()>>()
        .await;
}

/// Every key under `prefix` in `bucket`.
async fn list(client: &Client, bucket: &str, prefix: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut pages = client
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for o in page.expect("list").contents() {
            keys.insert(o.key().unwrap().to_owned());
        }
    }
    keys
}

/// Parses JSON Lines and checks every line against the documented schema;
/// returns the copy lines and the summary.
fn json_lines(run: &Run) -> (Vec<Value>, Value) {
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let (summary, copies) = lines.split_last().expect("at least a summary line");
    const COPY_FIELDS: [&str; 29] = [
        "type",
        "schema",
        "status",
        "src",
        "dst",
        "size",
        "method",
        "part_size",
        "parts",
        "requests",
        "etag",
        "version_id",
        "source_version_id",
        "duration_ms",
        "metadata_directive",
        "tagging_directive",
        "annotation_directive",
        "acl",
        "encryption",
        "storage_class",
        "checksum",
        "verified",
        "verified_by",
        "unverified_reason",
        "dry_run",
        "skip_reason",
        "error",
        "possible_strays",
        "annotations",
    ];
    for line in copies {
        let obj = line.as_object().expect("object");
        assert_eq!(line["type"], "copy", "{line}");
        assert_eq!(line["schema"], 1, "{line}");
        for field in COPY_FIELDS {
            assert!(obj.contains_key(field), "{field} missing: {line}");
        }
        assert_eq!(obj.len(), COPY_FIELDS.len(), "undocumented fields: {line}");
        let status = line["status"].as_str().unwrap();
        assert!(
            ["copied", "planned", "skipped", "failed"].contains(&status),
            "{line}"
        );
        if status == "failed" {
            for f in ["code", "message", "operation", "request_id", "exit_code"] {
                assert!(line["error"].get(f).is_some(), "error.{f} missing: {line}");
            }
        } else if status == "skipped" {
            // What is at the destination; nothing was copied.
            let reason = line["skip_reason"].as_str().unwrap_or_default();
            assert!(["exists", "same"].contains(&reason), "{line}");
            assert!(line["size"].is_u64() && line["method"].is_null(), "{line}");
            assert!(line["requests"].is_u64(), "{line}");
        } else {
            assert!(line["skip_reason"].is_null(), "{line}");
            assert!(line["error"].is_null(), "{line}");
            assert!(
                line["size"].is_u64() && line["method"].is_string(),
                "{line}"
            );
        }
    }
    assert_eq!(summary["type"], "summary", "{summary}");
    assert_eq!(summary["schema"], 1);
    for f in [
        "copied",
        "planned",
        "skipped",
        "failed",
        "not_attempted",
        "excluded",
        "verified",
        "unverified",
        "bytes",
        "requests",
        "retries",
        "duration_ms",
        "interrupted",
        "possible_strays",
    ] {
        assert!(
            summary[f].is_u64() || summary[f].is_boolean(),
            "summary.{f}: {summary}"
        );
    }
    (copies.to_vec(), summary.clone())
}

/// 2,000 keys in a mix of folders and extensions.
fn keys() -> Vec<String> {
    (0..2000)
        .map(|i| match i % 4 {
            0 => format!("docs/{i:04}.txt"),
            1 => format!("data/{}/{i:04}.bin", i % 7),
            2 => format!("tmp/{i:04}.txt"),
            _ => format!("docs/sub/{i:04}.md"),
        })
        .collect()
}

#[tokio::test]
async fn prefix_copy_with_filters() {
    let g = garage().await;
    let client = g.client();
    let p = unique("bulk-prefix");
    let all = keys();
    put_many(&client, &format!("{p}src/"), &all).await;
    // Everything .txt or .md except under tmp/: aws-cli's order semantics.
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    let dst = format!("s3://{DST_BUCKET}/{p}dst/");
    let r = g
        .s3cp(&[
            "-r",
            "--json",
            "--exclude",
            "*",
            "--include",
            "*.txt",
            "--include",
            "*.md",
            "--exclude",
            "tmp/*",
            &src,
            &dst,
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (copies, summary) = json_lines(&r);
    let want: BTreeSet<String> = all
        .iter()
        .filter(|k| (k.ends_with(".txt") || k.ends_with(".md")) && !k.starts_with("tmp/"))
        .map(|k| format!("{p}dst/{k}"))
        .collect();
    assert_eq!(want.len(), 1000);
    assert_eq!(list(&client, DST_BUCKET, &format!("{p}dst/")).await, want);
    assert_eq!(copies.len(), 1000);
    assert_eq!(summary["copied"], 1000);
    assert_eq!(summary["failed"], 0);
    // One request per small object: CopyObject straight from the listing.
    let requests = summary["requests"].as_u64().unwrap();
    assert!(requests <= 1000 + 5, "{requests} requests for 1000 objects");
    assert!(
        copies
            .iter()
            .all(|c| c["requests"] == 1 && c["method"] == "single")
    );
    // A sample of contents: each object holds its source key.
    for k in ["docs/0000.txt", "docs/sub/0003.md", "docs/1996.txt"] {
        let got = client
            .get_object()
            .bucket(DST_BUCKET)
            .key(format!("{p}dst/{k}"))
            .send()
            .await
            .unwrap()
            .body
            .collect()
            .await
            .unwrap()
            .into_bytes();
        assert_eq!(got.as_ref(), format!("{p}src/{k}").as_bytes());
    }

    // Human output: the settings once, one short line per object and a
    // summary; --quiet: nothing.
    let r = g
        .s3cp(&[
            "-r",
            "--include",
            "*",
            "--exclude",
            "*",
            "--include",
            "docs/sub/00*",
            &src,
            &format!("s3://{DST_BUCKET}/{p}human/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 25 + 1, "{r}");
    assert_eq!(
        lines[0],
        "settings for every object: metadata COPY, tags COPY, ACL private (default), \
         encryption bucket default, storage class STANDARD (default)",
        "{r}"
    );
    assert!(
        lines[1..=25].iter().all(|l| l.starts_with("copied s3://")
            && l.ends_with(" B, single CopyObject)")
            && !l.contains("metadata")),
        "{r}"
    );
    assert!(
        lines[26]
            .starts_with("summary: 25 copied (25 verified, 0 unverified), 0 skipped, 0 failed;"),
        "{r}"
    );
    let r = g
        .s3cp(&[
            "-r",
            "-q",
            "--exclude",
            "*",
            "--include",
            "docs/sub/00*",
            &src,
            &format!("s3://{DST_BUCKET}/{p}quiet/"),
        ])
        .await;
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "", ""),
        "{r}"
    );
}

#[tokio::test]
async fn shards_are_disjoint_and_cover_everything() {
    let g = garage().await;
    let client = g.client();
    let p = unique("bulk-shards");
    let all: Vec<String> = (0..300).map(|i| format!("k/{i}")).collect();
    put_many(&client, &format!("{p}src/"), &all).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src/");
    let mut seen: Vec<BTreeSet<String>> = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let dst = format!("s3://{DST_BUCKET}/{p}dst/");
        let r = g
            .s3cp(&["-r", "--json", "--shard", &shard, &src, &dst])
            .await;
        assert_eq!(r.code, 0, "{r}");
        let (copies, _) = json_lines(&r);
        seen.push(
            copies
                .iter()
                .map(|c| c["src"].as_str().unwrap().to_owned())
                .collect(),
        );
    }
    for a in 0..3 {
        assert!(!seen[a].is_empty(), "shard {} is empty", a + 1);
        for b in a + 1..3 {
            assert!(
                seen[a].is_disjoint(&seen[b]),
                "shards {} and {} overlap",
                a + 1,
                b + 1
            );
        }
    }
    let union: BTreeSet<String> = seen.iter().flatten().cloned().collect();
    let want: BTreeSet<String> = all
        .iter()
        .map(|k| format!("s3://{SRC_BUCKET}/{p}src/{k}"))
        .collect();
    assert_eq!(union, want);
    assert_eq!(
        list(&client, DST_BUCKET, &format!("{p}dst/")).await.len(),
        300
    );
}

#[tokio::test]
async fn manifest_from_stdin_with_one_failing_object() {
    let g = garage().await;
    let client = g.client();
    let p = unique("bulk-manifest");
    put_many(&client, &p, &["a b.txt".into(), "c".into(), "big".into()]).await;
    put_random_source(&client, &format!("{p}big"), 11 * MIB).await;
    let manifest = format!(
        "# copies for CI\n\
         s3://{SRC_BUCKET}/{p}a b.txt s3://{DST_BUCKET}/{p}out/\n\
         {{\"src\": \"s3://{SRC_BUCKET}/{p}c\", \"dst\": \"s3://{DST_BUCKET}/{p}out/c-renamed\"}}\n\
         s3://{SRC_BUCKET}/{p}missing s3://{DST_BUCKET}/{p}out/missing\n\
         s3://{SRC_BUCKET}/{p}big s3://{DST_BUCKET}/{p}out/big\n\
         not a copy\n"
    );
    let r = g
        .s3cp_stdin(
            &[
                "--from-file",
                "-",
                "--json",
                "--multipart-threshold",
                "5MiB",
                "--part-size",
                "5MiB",
            ],
            &manifest,
        )
        .await;
    assert_eq!(r.code, 1, "{r}");
    let (copies, summary) = json_lines(&r);
    assert_eq!(summary["copied"], 3, "{summary}");
    assert_eq!(summary["failed"], 2, "{summary}");
    let failed: Vec<&Value> = copies.iter().filter(|c| c["status"] == "failed").collect();
    let missing = failed
        .iter()
        .find(|c| c["src"].as_str().unwrap().ends_with("missing"))
        .expect("the missing object's line");
    assert_eq!(missing["error"]["code"], "NotFound");
    assert_eq!(missing["error"]["operation"], "HeadObject");
    let bad = failed
        .iter()
        .find(|c| c["error"]["code"] == "UsageError")
        .expect("the bad line's line");
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("manifest line 6"),
        "{bad}"
    );
    let big = copies
        .iter()
        .find(|c| c["src"].as_str().unwrap().ends_with("big"))
        .unwrap();
    assert_eq!(big["method"], "multipart");
    let got = list(&client, DST_BUCKET, &format!("{p}out/")).await;
    let want: BTreeSet<String> = ["a b.txt", "c-renamed", "big"]
        .iter()
        .map(|k| format!("{p}out/{k}"))
        .collect();
    assert_eq!(got, want);
    assert!(r.stderr.contains("manifest line 6"), "{r}");
}

#[tokio::test]
async fn bulk_dry_run_sends_no_write() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("bulk-dry");
    let keys: Vec<String> = (0..40).map(|i| format!("f{i}")).collect();
    put_many(&client, &format!("{p}src/"), &keys).await;
    put_random_source(&client, &format!("{p}src/large"), 11 * MIB).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--dry-run",
            "--json",
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}dst/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = json_lines(&r);
    assert_eq!(summary["planned"], 41);
    assert_eq!(summary["copied"], 0);
    assert!(
        copies
            .iter()
            .all(|c| c["status"] == "planned" && c["dry_run"] == true)
    );
    let large = copies
        .iter()
        .find(|c| c["src"].as_str().unwrap().ends_with("large"))
        .unwrap();
    assert_eq!(
        (large["method"].as_str(), large["parts"].as_u64()),
        (Some("multipart"), Some(3))
    );
    assert_eq!(
        large["requests"],
        1 + 1 + 1 + 3 + 1,
        "HEAD, tags, create, parts, complete"
    );
    let ops: BTreeSet<&str> = proxy.requests().iter().map(|r| r.operation()).collect();
    assert_eq!(
        ops,
        BTreeSet::from(["ListObjectsV2", "HeadObject"]),
        "only reads were sent"
    );
    assert!(
        list(&client, DST_BUCKET, &format!("{p}dst/"))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn ctrl_c_stops_a_bulk_run_with_130_and_no_upload_left() {
    let g = garage().await;
    let client = g.client();
    let p = unique("bulk-sigint");
    let small: Vec<String> = (0..50).map(|i| format!("src/s{i:02}")).collect();
    put_many(&client, &p, &small).await;
    parts_source(&client, &p, &format!("{p}src/big"), 3).await;
    // Ctrl-C while big's first part waits in the proxy; the abort that
    // answers it is held until it has come, then let through.
    let proxy = Proxy::start(&g.endpoint).await;
    let part = proxy.hold("UploadPartCopy", 1);
    let abort = proxy.hold("AbortMultipartUpload", 1);
    let child = g.via(&proxy).spawn(&[
        "-r",
        "--json",
        "--jobs",
        "2",
        "--concurrency",
        "1",
        "--multipart-threshold",
        "5MiB",
        "--part-size",
        "5MiB",
        &format!("s3://{SRC_BUCKET}/{p}src/"),
        &format!("s3://{DST_BUCKET}/{p}dst/"),
    ]);
    part.arrived().await;
    interrupt(&child);
    abort.arrived().await;
    abort.release();
    let r = child.wait().await;
    assert_eq!(r.code, 130, "{r}");
    let (copies, summary) = json_lines(&r);
    assert_eq!(summary["interrupted"], true, "{summary}");
    let big = copies
        .iter()
        .find(|c| c["src"].as_str().unwrap().ends_with("big"))
        .expect("big's line");
    assert_eq!(big["error"]["code"], "Interrupted", "{big}");
    assert_nothing_written(&client, &format!("{p}dst/big"), &p).await;
}

#[tokio::test]
async fn fail_fast_stops_scheduling_after_the_first_failure() {
    let g = garage().await;
    let client = g.client();
    let p = unique("bulk-fail-fast");
    put_many(&client, &p, &["ok".into()]).await;
    let mut manifest = format!("s3://{SRC_BUCKET}/{p}missing s3://{DST_BUCKET}/{p}out/missing\n");
    for i in 0..20 {
        manifest.push_str(&format!(
            "s3://{SRC_BUCKET}/{p}ok s3://{DST_BUCKET}/{p}out/ok{i}\n"
        ));
    }
    // Two jobs: the missing source and the first good copy start together.
    // The good copy's HEAD waits in the proxy until s3cp has reported the
    // failure (its line is printed before the next item is taken), so that
    // copy is in flight when the failure comes: it finishes, and nothing
    // after it starts.
    let proxy = Proxy::start(&g.endpoint).await;
    let ok_key = format!("{p}ok");
    let first_ok = proxy.hold_where(
        support::proxy::At::Request,
        "the first HEAD of ok",
        1,
        move |r| r.operation() == "HeadObject" && r.target.contains(&ok_key),
    );
    let child = g.via(&proxy).spawn_stdin(
        &["--from-file", "-", "--json", "--jobs", "2", "--fail-fast"],
        &manifest,
    );
    first_ok.arrived().await;
    child.wait_for_stdout(r#""status":"failed""#).await;
    first_ok.release();
    let r = child.wait().await;
    assert_eq!(r.code, 1, "{r}");
    let (_, summary) = json_lines(&r);
    assert_eq!(summary["failed"], 1, "{summary}");
    assert!(summary["copied"].as_u64().unwrap() < 20, "{summary}");
    assert_eq!(summary["copied"], 1, "only the copy in flight: {summary}");
    assert_eq!(
        proxy.of("CopyObject").len(),
        1,
        "a copy started after the failure"
    );
    // Without --fail-fast, the others go on.
    let r = g
        .s3cp_stdin(&["--from-file", "-", "--json", "--jobs", "1"], &manifest)
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(json_lines(&r).1["copied"], 20);
}

#[tokio::test]
async fn small_objects_and_parts_share_one_request_budget() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("bulk-budget");
    let small: Vec<String> = (0..200).map(|i| format!("src/s{i:03}")).collect();
    put_many(&client, &p, &small).await;
    parts_source(&client, &p, &format!("{p}src/big"), 20).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            "--jobs",
            "32",
            "--concurrency",
            "3",
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}dst/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (_, summary) = json_lines(&r);
    assert_eq!(summary["copied"], 201);
    assert_eq!(proxy.of("UploadPartCopy").len(), 20);
    // 32 objects in flight, yet never more than 3 requests at once (the
    // listing runs before copies start and is not part of a copy).
    let max = proxy.max_in_flight();
    assert!((2..=3).contains(&max), "{max} requests in flight at once");
}

#[tokio::test]
async fn a_destination_inside_the_source_is_not_copied_again() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("bulk-own-output");
    let new: Vec<String> = (0..10).map(|i| format!("a/k{i}")).collect();
    // Already under the destination: s3cp's output of an earlier run.
    let old: Vec<String> = (0..3).map(|i| format!("a/sub/old{i}")).collect();
    put_many(&client, &p, &new).await;
    put_many(&client, &p, &old).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            "-v",
            &format!("s3://{SRC_BUCKET}/{p}a/"),
            &format!("s3://{SRC_BUCKET}/{p}a/sub/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = json_lines(&r);
    assert_eq!(summary["copied"], 10, "{summary}");
    assert_eq!(summary["excluded"], 3, "{summary}");
    assert_eq!(copies.len(), 10);
    assert!(
        r.stderr.contains("lies inside the source"),
        "-v says why keys are left out:\n{r}"
    );
    // Every source key copied exactly once, nothing copied from a/sub/.
    let sources: Vec<String> = proxy
        .of("CopyObject")
        .iter()
        .map(|c| c.header("x-amz-copy-source").unwrap().to_owned())
        .collect();
    let unique_sources: BTreeSet<&String> = sources.iter().collect();
    assert_eq!(sources.len(), 10, "{sources:?}");
    assert_eq!(unique_sources.len(), 10, "{sources:?}");
    assert!(
        sources.iter().all(|s| !s.contains("/a/sub/")),
        "{sources:?}"
    );
    let want: BTreeSet<String> = (0..10)
        .map(|i| format!("{p}a/sub/k{i}"))
        .chain(old.iter().map(|k| format!("{p}{k}")))
        .collect();
    assert_eq!(list(&client, SRC_BUCKET, &format!("{p}a/sub/")).await, want);
}

#[tokio::test]
async fn the_listing_carries_request_payer_and_source_owner() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("bulk-list-headers");
    put_many(&client, &format!("{p}src/"), &["x".into(), "y".into()]).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--dry-run",
            "--json",
            "--request-payer",
            "requester",
            "--expected-source-bucket-owner",
            "123456789012",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}dst/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(json_lines(&r).1["planned"], 2);
    let lists = proxy.of("ListObjectsV2");
    assert!(!lists.is_empty(), "no listing recorded");
    for l in &lists {
        assert_eq!(l.header("x-amz-request-payer"), Some("requester"), "{l:?}");
        assert_eq!(
            l.header("x-amz-expected-bucket-owner"),
            Some("123456789012"),
            "{l:?}"
        );
    }
}

#[tokio::test]
async fn a_folder_marker_stays_a_folder_marker() {
    let g = garage().await;
    let client = g.client();
    let p = unique("bulk-folder-marker");
    put(&client, SRC_BUCKET, &format!("{p}dir/"), Vec::new()).await;
    let marker = format!("s3://{SRC_BUCKET}/{p}dir/");
    // One copy to a prefix, and a manifest line to a prefix.
    let r = g
        .s3cp(&[&marker, &format!("s3://{DST_BUCKET}/{p}out/")])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let manifest = format!("{marker} s3://{DST_BUCKET}/{p}listed/\n");
    let r = g.s3cp_stdin(&["--from-file", "-"], &manifest).await;
    assert_eq!(r.code, 0, "{r}");
    for prefix in ["out", "listed"] {
        let got = list(&client, DST_BUCKET, &format!("{p}{prefix}")).await;
        assert_eq!(got, BTreeSet::from([format!("{p}{prefix}/dir/")]));
    }
}

#[tokio::test]
async fn an_include_alone_filters_nothing_and_is_warned_about_once() {
    let g = garage().await;
    let client = g.client();
    let p = unique("bulk-include-alone");
    put_many(
        &client,
        &format!("{p}src/"),
        &["a.txt".into(), "b.bin".into()],
    )
    .await;
    let r = g
        .s3cp(&[
            "-r",
            "--include",
            "*.txt",
            "--include",
            "*.md",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}dst/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        list(&client, DST_BUCKET, &format!("{p}dst/")).await.len(),
        2,
        "an include alone selects nothing away"
    );
    assert_eq!(
        r.stderr.matches("comes before any --exclude").count(),
        1,
        "{r}"
    );
    assert!(r.stderr.contains("--exclude '*' first"), "{r}");
}
/// Starts `s3cp uploads abort` through `proxy` with the second abort held,
/// sends Ctrl-C while it is held (once s3cp has said, at -v, that it saw
/// the Ctrl-C), then releases it. Returns the run, the ids of the uploads
/// left, and the id of the one held.
async fn interrupt_uploads_abort(json: bool) -> (Run, Vec<String>, String) {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("uploads-sigint");
    let mut ids = Vec::new();
    for i in 0..4 {
        let up = client
            .create_multipart_upload()
            .bucket(DST_BUCKET)
            .key(format!("{p}u{i}"))
            .send()
            .await
            .expect("create upload");
        ids.push(up.upload_id().unwrap().to_owned());
    }
    let gate = proxy.hold("AbortMultipartUpload", 2);
    let at = format!("s3://{DST_BUCKET}/{p}");
    let mut args = vec!["-v", "uploads", "abort", at.as_str(), "--all"];
    if json {
        args.push("--json");
    }
    let child = g.via(&proxy).spawn(&args);
    let held = gate.arrived().await;
    let held = ids
        .iter()
        .find(|id| held.target.contains(id.as_str()))
        .unwrap_or_else(|| panic!("not one of ours: {held:?}"))
        .clone();
    interrupt(&child);
    // Release only once s3cp has taken the Ctrl-C in.
    child.wait_for_stderr("Ctrl-C: stopping").await;
    gate.release();
    let run = child.wait().await;
    let left: Vec<String> = uploads(&client, DST_BUCKET, &p)
        .await
        .iter()
        .map(|u| u.split(' ').nth(1).unwrap().to_owned())
        .collect();
    // Leave nothing behind.
    for (i, id) in ids.iter().enumerate() {
        let _ = client
            .abort_multipart_upload()
            .bucket(DST_BUCKET)
            .key(format!("{p}u{i}"))
            .upload_id(id)
            .send()
            .await;
    }
    (run, left, held)
}

#[tokio::test]
async fn ctrl_c_stops_uploads_abort_and_reports_what_was_aborted() {
    let (r, left, held) = interrupt_uploads_abort(true).await;
    assert_eq!(r.code, 130, "{r}");
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let (summary, ups) = lines.split_last().expect("a summary");
    // The first abort, and the one in flight at Ctrl-C (let finish): both
    // reported; nothing else touched.
    assert_eq!(ups.len(), 2, "{r}");
    assert!(ups.iter().all(|u| u["status"] == "aborted"), "{r}");
    let aborted: BTreeSet<&str> = ups
        .iter()
        .map(|u| u["upload_id"].as_str().unwrap())
        .collect();
    assert!(aborted.contains(held.as_str()), "{r}");
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["aborted"], 2, "{summary}");
    assert_eq!(summary["interrupted"], true, "{summary}");
    assert!(r.stderr.contains("s3cp: interrupted; 2 aborted"), "{r}");
    // The rest intact.
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.iter().all(|id| !aborted.contains(id.as_str())), "{r}");

    let (r, left, held) = interrupt_uploads_abort(false).await;
    assert_eq!(r.code, 130, "{r}");
    let aborted: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("aborted s3://"))
        .collect();
    assert_eq!(aborted.len(), 2, "{r}");
    assert!(aborted.iter().any(|l| l.contains(held.as_str())), "{r}");
    assert!(
        r.stdout
            .contains("2 uploads, 2 aborted, 0 failed; interrupted"),
        "{r}"
    );
    assert!(
        r.stderr.contains("2 other uploads left as they were"),
        "{r}"
    );
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(!left.contains(&held), "{left:?}");
}

/// A listing that gets no answer names the endpoint it tried (and the run
/// ends with its summary and exit 1).
#[tokio::test]
async fn an_unreachable_listing_names_the_endpoint() {
    let g = garage().await;
    let r = g
        .s3cp_env(
            &[
                "--endpoint-url",
                "http://127.0.0.1:9",
                "--max-attempts",
                "1",
                "-r",
                &format!("s3://{SRC_BUCKET}/nowhere/"),
                &format!("s3://{DST_BUCKET}/nowhere/"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains("cannot reach S3 at http://127.0.0.1:9 to list s3://"),
        "{r}"
    );
    assert!(r.stdout.contains("1 failed"), "{r}");
}

/// A listing that S3 refuses is a failed request, not bad input: its JSON
/// line says `Error` and exit code 1, as the run exits (it said
/// `UsageError` and 2).
#[tokio::test]
async fn a_refused_listing_is_reported_with_the_runs_exit_code() {
    let g = garage().await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.answer(
        "ListObjectsV2",
        403,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
         <Message>Access Denied</Message></Error>",
    );
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            &format!("s3://{SRC_BUCKET}/denied/"),
            &format!("s3://{DST_BUCKET}/denied/"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let (copies, summary) = json_lines(&r);
    assert_eq!(summary["failed"], 1, "{summary}");
    let error = &copies[0]["error"];
    assert_eq!(error["code"], "Error", "{error}");
    assert_eq!(error["exit_code"], 1, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("AccessDenied"),
        "{error}"
    );
}

/// Without `--concurrency` the requests in flight adapt: under sustained
/// SlowDown they back off round after round, far below where they start
/// ([`START`]). Measured at the store (the proxy counts the requests open
/// when each one arrives), not by what the summary says of itself. In a
/// storm (three attempts in four answered SlowDown, so nearly every request
/// that comes back has met a new one) the budget backed off once, to 22 of
/// 32, and stayed there. The SlowDowns ask for a 5 ms wait
/// (`x-amz-retry-after`) and each forwarded CopyObject is held 200 ms, so
/// the requests spend their time at the store, not asleep in the SDK's
/// backoff: what is open at the proxy is what s3cp has in flight. The storm
/// ends at the 600th CopyObject, and every copy then ends well.
#[tokio::test]
async fn requests_in_flight_back_off_when_s3_slows_down() {
    use s3cp::budget::START;
    const STORM: usize = 600;
    let g = garage().await;
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("bulk-adaptive");
    let keys: Vec<String> = (0..300).map(|i| format!("src/k{i:03}")).collect();
    put_many(&g.client(), &p, &keys).await;
    let slow = Fault::SlowDownRetryAfter(5);
    proxy.inject(
        7,
        vec![Rule {
            operation: Some("CopyObject"),
            when: When::Probability(1.0),
            faults: vec![slow, slow, slow, Fault::Delay(200)],
        }],
    );
    let end = proxy.hold("CopyObject", STORM);
    let mut child = g.via(&proxy).spawn(&[
        "-r",
        "--json",
        // 3 in 4 refused: 50 attempts leave no object without a success.
        "--max-attempts",
        "50",
        &format!("s3://{SRC_BUCKET}/{p}src/"),
        &format!("s3://{DST_BUCKET}/{p}dst/"),
    ]);
    child.before_exit(end.arrived()).await;
    proxy.heal();
    end.release();
    let r = child.wait().await;
    assert_eq!(r.code, 0, "{r}");
    let (_, summary) = json_lines(&r);
    assert_eq!(summary["copied"], 300, "{summary}");
    let open: Vec<usize> = proxy
        .open_on_arrival()
        .into_iter()
        .filter(|(r, _)| r.operation() == "CopyObject")
        .map(|(_, open)| open)
        .take(STORM)
        .collect();
    assert_eq!(open.len(), STORM);
    // Early in the storm the store saw s3cp's first backoff (22 of 32),
    // so the measure sees the limit; later, a fraction of it.
    let early = open[..STORM / 4].iter().max().unwrap();
    let later = open[STORM / 2..].iter().max().unwrap();
    assert!(
        *early >= START / 2 && *later < START / 2,
        "requests open at the store: at most {early} in the first quarter of the storm, \
         {later} in its second half (less than half of {START} expected): {open:?}"
    );
}

/// A burst of SlowDown answers (the first 220 CopyObjects, as when a
/// prefix is over its rate) does not fail objects that still have attempts
/// left. The SDK's retry quota (500 tokens; 5 spent for good on each retry
/// after a request's second attempt, 1 back per first-attempt success) ran
/// dry in such a burst and failed the rest at once (with 100 requests in
/// flight: about 50 objects); s3cp's own budget is what slows down, so
/// retries are not rationed.
#[tokio::test]
async fn a_burst_of_slow_downs_does_not_run_out_of_retries() {
    let g = garage().await;
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("bulk-burst");
    let keys: Vec<String> = (0..300).map(|i| format!("src/k{i:03}")).collect();
    put_many(&g.client(), &p, &keys).await;
    proxy.fault("CopyObject", When::First(220), Fault::SlowDown);
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            "--max-attempts",
            "10",
            "--concurrency",
            "100",
            // A bucket's first request goes alone until its region is
            // settled; named here, so the burst meets 100 at once.
            "--region",
            "us-east-1",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}dst/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (_, summary) = json_lines(&r);
    assert_eq!(summary["copied"], 300, "{summary}");
    assert_eq!(summary["retries"], 220, "{summary}");
}

/// `--concurrency N` fixes the requests in flight: the summary says N.
#[tokio::test]
async fn a_fixed_concurrency_is_what_the_summary_says() {
    let g = garage().await;
    let p = unique("bulk-fixed");
    let keys: Vec<String> = (0..20).map(|i| format!("src/k{i:02}")).collect();
    put_many(&g.client(), &p, &keys).await;
    let r = g
        .s3cp(&[
            "-r",
            "--json",
            "--concurrency",
            "7",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}dst/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (_, summary) = json_lines(&r);
    assert_eq!(summary["copied"], 20, "{summary}");
    assert_eq!(summary["concurrency"], 7, "{summary}");
}

/// The first request to a bucket goes alone (it may learn the bucket's
/// region); those that arrived meanwhile wait for its answer, then go
/// together, at once. The first CopyObject's answer is held: nothing else
/// reaches the store meanwhile. Once it is let go, the twelfth must arrive
/// while the second's answer is still held (gone one by one, each behind
/// the answer of the one before, the third would wait for it), and well
/// before the wait for a first answer (2 s from the first's send) could
/// have let anything through. (The test held only the second's answer and
/// waited 20 s for the twelfth: the 2 s expiry let it through whether the
/// waiters went together or not.)
#[tokio::test]
async fn requests_that_waited_for_the_first_go_together() {
    let g = garage().await;
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("bulk-first-alone");
    let keys: Vec<String> = (0..40).map(|i| format!("src/k{i:02}")).collect();
    put_many(&g.client(), &p, &keys).await;
    let first = proxy.hold_answer("CopyObject", 1);
    let second = proxy.hold_answer("CopyObject", 2);
    let twelfth = proxy.hold("CopyObject", 12);
    let mut child = g.via(&proxy).spawn(&[
        "-r",
        "--json",
        "--concurrency",
        "64",
        &format!("s3://{SRC_BUCKET}/{p}src/"),
        &format!("s3://{DST_BUCKET}/{p}dst/"),
    ]);
    child.before_exit(first.arrived()).await;
    assert_eq!(
        proxy.of("CopyObject").len(),
        1,
        "the first CopyObject goes alone"
    );
    first.release();
    // Far less than the 2 s after which the others would go anyway: they
    // go when the answer comes (in milliseconds), or not at all.
    child
        .before_exit(twelfth.arrived_within(std::time::Duration::from_millis(1500)))
        .await;
    second.release();
    twelfth.release();
    let r = child.wait().await;
    assert_eq!(r.code, 0, "{r}");
    let (_, summary) = json_lines(&r);
    assert_eq!(summary["copied"], 40, "{summary}");
}

/// A bucket's first request that is slow to answer (a large CopyObject, or
/// one asleep in the SDK's backoff after a SlowDown) does not hold the
/// others: after two seconds they go on without its answer. (They waited for
/// it, however long.) The answer to the first CopyObject is held: the
/// twelfth must still arrive, and the run ends whole once it is let go.
#[tokio::test]
async fn a_slow_first_request_does_not_hold_the_others() {
    let g = garage().await;
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("bulk-slow-first");
    let keys: Vec<String> = (0..40).map(|i| format!("src/k{i:02}")).collect();
    put_many(&g.client(), &p, &keys).await;
    let first = proxy.hold_answer("CopyObject", 1);
    let twelfth = proxy.hold("CopyObject", 12);
    let mut child = g.via(&proxy).spawn(&[
        "-r",
        "--json",
        &format!("s3://{SRC_BUCKET}/{p}src/"),
        &format!("s3://{DST_BUCKET}/{p}dst/"),
    ]);
    child.before_exit(first.arrived()).await;
    child
        .before_exit(twelfth.arrived_within(std::time::Duration::from_secs(20)))
        .await;
    first.release();
    twelfth.release();
    let r = child.wait().await;
    assert_eq!(r.code, 0, "{r}");
    let (_, summary) = json_lines(&r);
    assert_eq!(summary["copied"], 40, "{summary}");
}

/// A recursive copy that selects nothing says so on stderr, naming the
/// prefix and what left nothing (exit 0: nothing failed); with
/// `--require-objects` it is an error (exit 1, a JSON error line before the
/// summary), for CI jobs that must have copied something. It printed only
/// a summary of zeros.
#[tokio::test]
async fn a_run_that_selects_nothing_says_so_and_require_objects_fails_it() {
    let g = garage().await;
    let p = unique("selects-nothing");
    put(&g.client(), SRC_BUCKET, &format!("{p}a.txt"), b"a".to_vec()).await;
    let (src, dst) = (s3(SRC_BUCKET, &p), s3(DST_BUCKET, &p));
    let filters = ["--exclude", "*", "--include", "*.csv"];
    let mut args = vec!["-r"];
    args.extend(filters);
    args.extend([src.as_str(), dst.as_str()]);
    let r = g.s3cp(&args).await;
    assert_eq!(r.code, 0, "{r}");
    let said = format!(
        "s3cp: warning: no object under {src} to copy: the filters --exclude '*' --include \
         '*.csv' left none"
    );
    assert!(r.stderr.contains(&said), "{r}");
    // A prefix with nothing under it (keys are case-sensitive).
    let upper = s3(SRC_BUCKET, &p.to_uppercase());
    let r = g.s3cp(&["-r", &upper, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stderr.contains(&format!(
            "no object under {upper} to copy: the listing found none"
        )),
        "{r}"
    );
    // --require-objects: exit 1, said as an error, in JSON too.
    args.extend(["--require-objects", "--json"]);
    let r = g.s3cp(&args).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("s3cp: error: no object under"), "{r}");
    let lines = r.json_lines();
    assert_eq!(lines.len(), 2, "{r}");
    assert_eq!(lines[0]["type"], "error", "{r}");
    assert!(
        lines[0]["error"]["message"]
            .as_str()
            .unwrap()
            .ends_with("left none (--require-objects)"),
        "{r}"
    );
    assert_eq!(lines[1]["type"], "summary", "{r}");
    // A run that copies something passes with it.
    let r = g.s3cp(&["-r", "--require-objects", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(!r.stderr.contains("no object"), "{r}");
    // An empty manifest says so too.
    let r = g
        .s3cp_stdin(&["--from-file", "-", "--require-objects"], "")
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains("the manifest on standard input lists no object to copy"),
        "{r}"
    );
}
