//! Failures: the message, the exit code, and that nothing was written.

mod support;

use support::*;

#[tokio::test]
async fn usage_error_as_json() {
    let g = garage().await;
    let r = g.s3cp(&["--json", "s3://x/y", "s3://x/y"]).await;
    assert_eq!(r.code, 2, "{r}");
    let v = r.json();
    assert_eq!(v["error"]["code"], "UsageError");
    assert_eq!(v["error"]["exit_code"], 2);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("onto itself")
    );
}

#[tokio::test]
async fn missing_source_exits_1_with_the_s3_error() {
    let g = garage().await;
    let p = unique("missing");
    let src = format!("s3://{SRC_BUCKET}/{p}nothing-here");
    let dst = format!("s3://{DST_BUCKET}/{p}b");
    let r = g.s3cp(&[&src, &dst]).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .starts_with(&format!("s3cp: error: the source {src} does not exist")),
        "{r}"
    );
    assert!(
        r.stderr.contains("Caused by: HeadObject failed: NotFound"),
        "{r}"
    );

    let r = g.s3cp(&["--json", &src, &dst]).await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["error"]["code"], "NotFound");
    assert_eq!(v["error"]["operation"], "HeadObject");
    assert_eq!(v["src"], src);
    assert!(!exists(&g.client(), DST_BUCKET, &format!("{p}b")).await);
}

#[tokio::test]
async fn missing_destination_bucket_fails_with_its_s3_code() {
    let g = garage().await;
    let client = g.client();
    let p = unique("no-dst-bucket");
    put_random_source(&client, &format!("{p}a"), 6 * MIB).await;
    let r = g
        .s3cp(&[
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            "--json",
            &format!("s3://{SRC_BUCKET}/{p}a"),
            "s3://s3cp-no-such-bucket/x",
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(r.json()["error"]["code"], "NoSuchBucket");
}

#[tokio::test]
async fn command_line_errors_are_json_too() {
    let g = garage().await;
    let r = g
        .s3cp(&["--json", "--storage-class", "ICY", "s3://a/b", "s3://c/d"])
        .await;
    assert_eq!(r.code, 2, "{r}");
    let v = r.json();
    assert_eq!(v["error"]["code"], "UsageError");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("invalid value 'ICY' for '--storage-class <CLASS>'"),
        "{r}"
    );
    assert!(r.stderr.contains("possible values"), "{r}");
}
