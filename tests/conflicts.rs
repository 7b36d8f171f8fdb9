//! 409 ConditionalRequestConflict: S3's answer to a conditional write
//! (`--no-overwrite`, `--if-match`) that a concurrent write of the same key
//! raced. CopyObject and PutObject are retried as a throttle within
//! `--max-attempts`; a conflict that persists is reported as a conflict,
//! never as "already exists". A Complete that meets one is not sent again
//! (S3 takes no other Complete of that upload): its upload is aborted.
//! Neither test server races, so the proxy answers as S3 does.

mod support;

use support::proxy::{Fault, Proxy, When};
use support::*;

/// Two conflicts, then the copy goes through: three CopyObjects, copied.
#[tokio::test]
async fn a_conflict_on_a_conditional_copy_is_retried() {
    let g = garage().await;
    let client = g.client();
    let p = unique("conflict-retried");
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(1000)).await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.fault("CopyObject", When::First(2), Fault::ConditionalConflict);
    let v = g
        .via(&proxy)
        .s3cp(&[
            "--json",
            "--no-overwrite",
            &s3(SRC_BUCKET, &format!("{p}src")),
            &s3(DST_BUCKET, &format!("{p}dst")),
        ])
        .await
        .json_ok();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(proxy.of("CopyObject").len(), 3);
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src")).await,
        digest(&client, DST_BUCKET, &format!("{p}dst")).await
    );
}

/// A conflict on every attempt: `--max-attempts` CopyObjects, then exit 1
/// with the conflict named; in a bulk `--no-overwrite` run the object is
/// `failed`, not `skipped` as an existing destination would be.
#[tokio::test]
async fn a_conflict_that_persists_is_reported_as_a_conflict() {
    let g = garage().await;
    let client = g.client();
    let p = unique("conflict-persists");
    put(&client, SRC_BUCKET, &format!("{p}src/a"), random_bytes(100)).await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.fault("CopyObject", When::EveryNth(1), Fault::ConditionalConflict);
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--json",
            "--max-attempts",
            "3",
            "--if-match",
            "\"0123\"",
            &s3(SRC_BUCKET, &format!("{p}src/a")),
            &s3(DST_BUCKET, &format!("{p}one")),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["status"], "failed", "{v}");
    assert_eq!(v["error"]["code"], "ConditionalRequestConflict", "{v}");
    assert!(r.stderr.contains("conflict: another write of"), "{r}");
    assert!(!r.stderr.contains("already exists"), "{r}");
    assert_eq!(proxy.of("CopyObject").len(), 3);
    assert!(!exists(&client, DST_BUCKET, &format!("{p}one")).await);

    proxy.reset();
    proxy.fault("CopyObject", When::EveryNth(1), Fault::ConditionalConflict);
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            "--max-attempts",
            "2",
            "--no-overwrite",
            &s3(SRC_BUCKET, &format!("{p}src/")),
            &s3(DST_BUCKET, &format!("{p}many/")),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let lines = r.json_lines();
    let line = line_for_src(&lines, &s3(SRC_BUCKET, &format!("{p}src/a")));
    assert_eq!(line["status"], "failed", "{line}");
    assert_eq!(
        line["error"]["code"], "ConditionalRequestConflict",
        "{line}"
    );
    let summary = lines.last().unwrap();
    assert_eq!(summary["skipped"], 0, "{summary}");
    assert_eq!(summary["failed"], 1, "{summary}");
}

/// A multipart copy's Complete that meets a conflict is sent once (S3
/// takes no other Complete of that upload), its upload aborted, and the
/// conflict named.
#[tokio::test]
async fn a_conflict_on_complete_aborts_the_upload_without_a_resend() {
    let g = garage().await;
    let client = g.client();
    let p = unique("conflict-complete");
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}src"),
        random_bytes(11 * 1024 * 1024),
    )
    .await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.fault(
        "CompleteMultipartUpload",
        When::EveryNth(1),
        Fault::ConditionalConflict,
    );
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--json",
            "--no-overwrite",
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &s3(SRC_BUCKET, &format!("{p}src")),
            &s3(DST_BUCKET, &format!("{p}dst")),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["error"]["code"], "ConditionalRequestConflict", "{v}");
    assert!(r.stderr.contains("S3 takes no other Complete"), "{r}");
    assert_eq!(proxy.of("CompleteMultipartUpload").len(), 1);
    assert_eq!(proxy.of("AbortMultipartUpload").len(), 1);
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
    assert!(!exists(&client, DST_BUCKET, &format!("{p}dst")).await);
}
