//! Copies into and out of a directory bucket (S3 Express One Zone,
//! `NAME--ZONE--x-s3`): what s3cp sends there and what it refuses before
//! sending anything (`src/options/directory.rs`). moto stores a directory
//! bucket as any other and enforces none of S3's rules for one, so these
//! tests assert on the requests the recording proxy saw; the proxy plays
//! CreateSession, which the SDK sends for a directory bucket's name
//! (`support::rename`).

mod support;

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use support::proxy::Proxy;
use support::rename::{directory_bucket, directory_client, serve_rename};
use support::*;

async fn setup() -> (Server, Client, String, Proxy) {
    let m = moto().await;
    let client = directory_client(&m);
    let bucket = directory_bucket(&m).await;
    let proxy = Proxy::start(&m.endpoint).await;
    serve_rename(&proxy, &m);
    (m, client, bucket, proxy)
}

/// Puts `data` at `bucket/key` with the tags `a=1&b=2`.
async fn put_tagged(client: &Client, bucket: &str, key: &str, data: Vec<u8>) {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .tagging("a=1&b=2")
        .body(ByteStream::from(data))
        .send()
        .await
        .unwrap_or_else(|e| panic!("put s3://{bucket}/{key}: {e:?}"));
}

/// What a write into a directory bucket must not carry.
const REFUSED: [&str; 8] = [
    "x-amz-acl",
    "x-amz-grant-read",
    "x-amz-grant-read-acp",
    "x-amz-grant-write-acp",
    "x-amz-grant-full-control",
    "x-amz-tagging",
    "x-amz-object-annotation-directive",
    "x-amz-website-redirect-location",
];

/// A tagged source copied into a directory bucket, by one CopyObject and
/// by a multipart copy: each write names EXPRESS_ONEZONE and none of the
/// refused headers, CopyObject asks REPLACE with no tags (a COPY of tags
/// answers 501 on S3), and the tags dropped are named on stderr.
#[tokio::test]
async fn a_copy_into_a_directory_bucket_sends_no_acl_no_tags_and_express_one_zone() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("dir-into");
    let (small, large) = (format!("{p}small"), format!("{p}large"));
    put_tagged(&client, SRC_BUCKET, &small, random_bytes(3000)).await;
    put_tagged(&client, SRC_BUCKET, &large, random_bytes(6 << 20)).await;

    let r = m
        .via(&proxy)
        .s3cp(&[
            "--json",
            &s3(SRC_BUCKET, &small),
            &s3(&bucket, &format!("{p}out/small")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let copy = &proxy.of("CopyObject")[0];
    assert_eq!(copy.header("x-amz-storage-class"), Some("EXPRESS_ONEZONE"));
    assert_eq!(copy.header("x-amz-tagging-directive"), Some("REPLACE"));
    for h in REFUSED {
        assert_eq!(copy.header(h), None, "{h} sent: {copy:?}");
    }
    // The HEAD said there are tags: read once, to name them.
    assert_eq!(proxy.of("GetObjectTagging").len(), 1);
    assert!(
        r.stderr.contains("keeps no tags") && r.stderr.contains("a=1&b=2"),
        "{r}"
    );
    let v = r.json();
    assert_eq!(v["requests"], 3, "HEAD, GetObjectTagging, CopyObject: {v}");
    assert_eq!(v["storage_class"], "EXPRESS_ONEZONE", "{v}");
    assert_eq!(v["tagging_directive"], "REPLACE", "{v}");

    proxy.reset();
    serve_rename(&proxy, &m);
    let r = m
        .via(&proxy)
        .s3cp(&[
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &s3(SRC_BUCKET, &large),
            &s3(&bucket, &format!("{p}out/large")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let create = &proxy.of("CreateMultipartUpload")[0];
    assert_eq!(
        create.header("x-amz-storage-class"),
        Some("EXPRESS_ONEZONE")
    );
    for h in REFUSED {
        assert_eq!(create.header(h), None, "{h} sent: {create:?}");
    }
    assert!(
        r.stderr.contains("keeps no tags") && r.stderr.contains("a=1&b=2"),
        "{r}"
    );
    for key in ["small", "large"] {
        let tags = client
            .get_object_tagging()
            .bucket(&bucket)
            .key(format!("{p}out/{key}"))
            .send()
            .await
            .unwrap();
        assert!(tags.tag_set().is_empty(), "{key}: {tags:?}");
    }

    // An untagged source: no tags to read, nothing said.
    let plain = format!("{p}plain");
    put(&client, SRC_BUCKET, &plain, random_bytes(10)).await;
    proxy.reset();
    serve_rename(&proxy, &m);
    let r = m
        .via(&proxy)
        .s3cp(&[
            &s3(SRC_BUCKET, &plain),
            &s3(&bucket, &format!("{p}out/plain")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(proxy.of("GetObjectTagging").is_empty());
    assert!(!r.stderr.contains("keeps no tags"), "{r}");
}

/// Out of a directory bucket into a general purpose one: S3's defaults
/// (no storage class named, no tagging directive).
#[tokio::test]
async fn a_copy_out_of_a_directory_bucket_takes_the_defaults() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("dir-out");
    put(&client, &bucket, &format!("{p}a"), random_bytes(100)).await;
    let r = m
        .via(&proxy)
        .s3cp(&[
            &s3(&bucket, &format!("{p}a")),
            &s3(DST_BUCKET, &format!("{p}a")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let copy = &proxy.of("CopyObject")[0];
    assert_eq!(copy.header("x-amz-storage-class"), None);
    assert_eq!(copy.header("x-amz-tagging-directive"), None);
    assert!(exists(&client, DST_BUCKET, &format!("{p}a")).await);
}

/// Each flag a directory bucket cannot apply is refused before any
/// request (exit 2, the flag named), single and -r, and nothing is
/// written.
#[tokio::test]
async fn flags_a_directory_bucket_cannot_apply_are_refused_before_writing() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("dir-refused");
    put(&client, SRC_BUCKET, &format!("{p}a"), random_bytes(10)).await;
    let src = s3(SRC_BUCKET, &format!("{p}a"));
    let dst = s3(&bucket, &format!("{p}out/a"));
    let cases: [(&[&str], &str); 8] = [
        (&["--acl", "public-read"], "--acl"),
        (&["--grant-read", "id=\"x\""], "--grant-read"),
        (&["--copy-acl"], "--copy-acl"),
        (&["--tagging", "k=v"], "--tagging"),
        (&["--storage-class", "STANDARD"], "--storage-class STANDARD"),
        (&["--sse", "aws:kms:dsse"], "--sse aws:kms:dsse"),
        (
            &["--object-lock-legal-hold", "ON"],
            "--object-lock-legal-hold",
        ),
        (&["--website-redirect", "/x"], "--website-redirect"),
    ];
    for (flags, named) in cases {
        for recursive in [false, true] {
            let mut args: Vec<&str> = flags.to_vec();
            let (s, d) = match recursive {
                false => (src.clone(), dst.clone()),
                true => (s3(SRC_BUCKET, &p), s3(&bucket, &format!("{p}out/"))),
            };
            if recursive {
                args.push("-r");
            }
            args.extend([s.as_str(), d.as_str()]);
            let r = m.via(&proxy).s3cp(&args).await;
            assert_eq!(r.code, 2, "{args:?}: {r}");
            assert!(
                r.stderr.contains(&format!("{named}:")) && r.stderr.contains("directory bucket"),
                "{args:?}: {r}"
            );
        }
    }
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
    assert!(!exists(&client, &bucket, &format!("{p}out/a")).await);
}
