//! `s3cp mv` within one directory bucket: one RenameObject, conditional on
//! the source that s3cp read (and on the destination under
//! `--no-overwrite` / `--if-match`), no CopyObject and no DeleteObject;
//! copy and delete where RenameObject cannot serve (an option that
//! changes the object, a store that refuses it); and never a RenameObject
//! to a general purpose bucket, which a store that does not know it may
//! take for a PutObject (moto does). No test server implements
//! RenameObject: the recording proxy plays it in front of moto
//! (`support::rename`).

mod support;

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use support::proxy::Proxy;
use support::rename::{SESSION_TOKEN, directory_bucket, directory_client, serve_rename};
use support::*;

/// A directory bucket on moto, its client, and a proxy that plays
/// RenameObject in front of it.
async fn setup() -> (Server, Client, String, Proxy) {
    let m = moto().await;
    let client = directory_client(&m);
    let bucket = directory_bucket(&m).await;
    let proxy = Proxy::start(&m.endpoint).await;
    serve_rename(&proxy, &m);
    (m, client, bucket, proxy)
}

/// Puts `data` at `bucket/key` with user metadata and a content type.
async fn put_dressed(client: &Client, bucket: &str, key: &str, data: Vec<u8>) {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .content_type("text/x-rename")
        .metadata("owner", "alice")
        .body(ByteStream::from(data))
        .send()
        .await
        .unwrap_or_else(|e| panic!("put s3://{bucket}/{key}: {e:?}"));
}

async fn etag_of(client: &Client, bucket: &str, key: &str) -> String {
    client
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap_or_else(|e| panic!("head s3://{bucket}/{key}: {e:?}"))
        .e_tag()
        .unwrap_or_default()
        .to_owned()
}

/// The operations s3cp sent, CreateSession (the SDK's, per run) left out.
fn operations(proxy: &Proxy) -> Vec<&'static str> {
    proxy
        .requests()
        .iter()
        .map(|r| r.operation())
        .filter(|op| *op != "CreateSession")
        .collect()
}

/// One object moved by one RenameObject, conditional on the ETag its HEAD
/// read: the destination holds the source's bytes and metadata, the
/// source is gone, no CopyObject or DeleteObject was sent.
#[tokio::test]
async fn a_move_in_one_directory_bucket_is_one_rename() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("rename-one");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let data = random_bytes(5000);
    put_dressed(&client, &bucket, &src, data.clone()).await;
    let etag = etag_of(&client, &bucket, &src).await;
    let r = m
        .via(&proxy)
        .s3cp(&["mv", "--json", &s3(&bucket, &src), &s3(&bucket, &dst)])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let v = r.json();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(v["method"], "rename", "{v}");
    assert_eq!(v["size"], 5000, "{v}");
    assert_eq!(v["source_deleted"], true, "{v}");
    assert!(v.get("kept_reason").is_none(), "{v}");
    assert_eq!(v["requests"], 2, "{v}");
    assert_eq!(operations(&proxy), ["HeadObject", "RenameObject"]);
    let rename = &proxy.of("RenameObject")[0];
    assert!(rename.is_for(&bucket, &dst), "{rename:?}");
    assert_eq!(
        rename.header("x-amz-rename-source"),
        Some(format!("{bucket}/{src}").as_str())
    );
    assert_eq!(
        rename.header("x-amz-rename-source-if-match"),
        Some(etag.as_str())
    );
    assert_eq!(rename.header("if-none-match"), None);
    // Signed for the session CreateSession opened, as on S3.
    assert_eq!(rename.header("x-amz-s3session-token"), Some(SESSION_TOKEN));
    assert!(!proxy.of("CreateSession").is_empty());
    assert!(!exists(&client, &bucket, &src).await);
    assert!(get_bytes(&client, &bucket, &dst).await == data);
    let h = head(&client, &bucket, &dst).await;
    assert_eq!(h.content_type.as_deref(), Some("text/x-rename"));
    assert_eq!(h.metadata.get("owner").map(String::as_str), Some("alice"));

    // The human line says so; --no-overwrite is the destination's
    // condition.
    let (src2, dst2) = (format!("{p}src2"), format!("{p}dst2"));
    put(&client, &bucket, &src2, random_bytes(10)).await;
    proxy.reset();
    serve_rename(&proxy, &m);
    let r = m
        .via(&proxy)
        .s3cp(&[
            "mv",
            "--no-overwrite",
            &s3(&bucket, &src2),
            &s3(&bucket, &dst2),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        r.stdout.trim(),
        format!(
            "moved {} -> {} (10 B, RenameObject)",
            s3(&bucket, &src2),
            s3(&bucket, &dst2)
        ),
        "{r}"
    );
    assert_eq!(
        proxy.of("RenameObject")[0].header("if-none-match"),
        Some("*")
    );
}

/// `-r` within one directory bucket: the listing and one RenameObject per
/// object, each conditional on its listed ETag (no HEAD).
#[tokio::test]
async fn a_recursive_move_in_one_directory_bucket_renames_each_listed_object() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("rename-many");
    let keys: Vec<String> = (0..50).map(|i| format!("{p}in/k{i:02}")).collect();
    for key in &keys {
        put(&client, &bucket, key, key.clone().into_bytes()).await;
    }
    let r = m
        .via(&proxy)
        .s3cp(&[
            "mv",
            "-r",
            "--json",
            &s3(&bucket, &format!("{p}in/")),
            &s3(&bucket, &format!("{p}out/")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let ops = operations(&proxy);
    let renames = ops.iter().filter(|o| **o == "RenameObject").count();
    let listings = ops.iter().filter(|o| **o == "ListObjectsV2").count();
    assert_eq!((renames, listings, ops.len()), (50, 1, 51), "{ops:?}");
    let summary = r.json_lines().into_iter().last().unwrap();
    assert_eq!(summary["deleted"], 50, "{summary}");
    assert_eq!(summary["kept"], 0, "{summary}");
    for rename in proxy.of("RenameObject") {
        assert!(rename.header("x-amz-rename-source-if-match").is_some());
    }
    for key in &keys {
        let moved = key.replace("/in/", "/out/");
        assert!(!exists(&client, &bucket, key).await, "{key}");
        assert_eq!(
            get_bytes(&client, &bucket, &moved).await,
            key.clone().into_bytes()
        );
    }
}

/// Another writer replaces the source between s3cp's HEAD and its
/// RenameObject: the rename is refused (412 on the source's condition),
/// nothing is written, the new source is kept whole; exit 1.
#[tokio::test]
async fn a_source_replaced_before_its_rename_is_kept() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("rename-replaced");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    put(&client, &bucket, &src, random_bytes(2048)).await;
    let rename = proxy.hold("RenameObject", 1);
    let child = m
        .via(&proxy)
        .spawn(&["mv", "--json", &s3(&bucket, &src), &s3(&bucket, &dst)]);
    rename.arrived().await;
    let second = random_bytes(3000);
    put(&client, &bucket, &src, second.clone()).await;
    rename.release();
    let r = child.wait().await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["status"], "failed", "{v}");
    assert_eq!(v["source_deleted"], false, "{v}");
    assert_eq!(v["kept_reason"], "source_changed", "{v}");
    assert!(get_bytes(&client, &bucket, &src).await == second);
    assert!(!exists(&client, &bucket, &dst).await);
    assert!(proxy.of("CopyObject").is_empty() && proxy.of("DeleteObject").is_empty());
}

/// An option that changes the object (new metadata) cannot be a rename:
/// the move copies, then deletes conditionally.
#[tokio::test]
async fn an_option_that_changes_the_object_copies_and_deletes() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("rename-replace");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    put(&client, &bucket, &src, random_bytes(100)).await;
    let r = m
        .via(&proxy)
        .s3cp(&[
            "mv",
            "--json",
            "--metadata-directive",
            "REPLACE",
            "--metadata",
            "a=b",
            &s3(&bucket, &src),
            &s3(&bucket, &dst),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let v = r.json();
    assert_eq!(v["method"], "single", "{v}");
    assert_eq!(v["source_deleted"], true, "{v}");
    assert!(proxy.of("RenameObject").is_empty());
    assert_eq!(proxy.of("CopyObject").len(), 1);
    assert_eq!(proxy.of("DeleteObject").len(), 1);
    assert!(!exists(&client, &bucket, &src).await);
    let h = head(&client, &bucket, &dst).await;
    assert_eq!(h.metadata.get("a").map(String::as_str), Some("b"));
}

/// A store that refuses RenameObject (501 NotImplemented): the move
/// copies and deletes instead, and completes; `-v` says why.
#[tokio::test]
async fn a_refused_rename_falls_back_to_copy_and_delete() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("rename-refused");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let data = random_bytes(700);
    put(&client, &bucket, &src, data.clone()).await;
    proxy.answer(
        "RenameObject",
        501,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NotImplemented</Code><Message>A header you provided implies functionality that is not implemented</Message></Error>",
    );
    let r = m
        .via(&proxy)
        .s3cp(&["mv", "-v", "--json", &s3(&bucket, &src), &s3(&bucket, &dst)])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let v = r.json();
    assert_eq!(v["method"], "single", "{v}");
    assert_eq!(v["source_deleted"], true, "{v}");
    assert!(r.stderr.contains("does not do RenameObject"), "{r}");
    assert_eq!(
        operations(&proxy),
        ["HeadObject", "RenameObject", "CopyObject", "DeleteObject"]
    );
    // The line counts the refused RenameObject and the HEAD before it.
    assert_eq!(v["requests"], 3, "{v}");
    assert!(!exists(&client, &bucket, &src).await);
    assert!(get_bytes(&client, &bucket, &dst).await == data);
}

/// A move within one general purpose bucket never sends RenameObject (a
/// store that does not know it may write an empty object over the
/// destination): it copies and deletes.
#[tokio::test]
async fn a_general_purpose_bucket_gets_no_rename() {
    let m = moto().await;
    let client = m.client();
    let proxy = Proxy::start(&m.endpoint).await;
    serve_rename(&proxy, &m);
    let p = unique("rename-general");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let data = random_bytes(300);
    put(&client, SRC_BUCKET, &src, data.clone()).await;
    let r = m
        .via(&proxy)
        .s3cp(&["mv", "--json", &s3(SRC_BUCKET, &src), &s3(SRC_BUCKET, &dst)])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.json()["source_deleted"], true, "{r}");
    assert!(proxy.of("RenameObject").is_empty());
    assert_eq!(proxy.of("CopyObject").len(), 1);
    assert!(get_bytes(&client, SRC_BUCKET, &dst).await == data);
}

/// `mv --dry-run` in a directory bucket says it would rename, and sends
/// the HEAD alone.
#[tokio::test]
async fn a_dry_run_rename_sends_only_the_head() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("rename-dry");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    put(&client, &bucket, &src, random_bytes(10)).await;
    let r = m
        .via(&proxy)
        .s3cp(&["mv", "--dry-run", &s3(&bucket, &src), &s3(&bucket, &dst)])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout.starts_with(&format!(
            "would move {} -> {} (10 B, RenameObject",
            s3(&bucket, &src),
            s3(&bucket, &dst)
        )),
        "{r}"
    );
    assert_eq!(operations(&proxy), ["HeadObject"]);
    assert!(exists(&client, &bucket, &src).await);
    assert!(!exists(&client, &bucket, &dst).await);
}

/// A destination's 412 is the copy's: under `-r --no-overwrite` an
/// existing destination is skipped (its source kept, exit 0); a single
/// move says it exists (exit 1). Either way both objects are intact.
#[tokio::test]
async fn an_existing_destination_under_no_overwrite_is_not_renamed_over() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("rename-exists");
    for k in ["in/a", "in/b"] {
        put(&client, &bucket, &format!("{p}{k}"), random_bytes(10)).await;
    }
    let there = random_bytes(20);
    put(&client, &bucket, &format!("{p}out/b"), there.clone()).await;
    let s = |k: &str| s3(&bucket, &format!("{p}{k}"));
    let r = m
        .via(&proxy)
        .s3cp(&["mv", "--no-overwrite", &s("in/b"), &s("out/b")])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains("already exists and --no-overwrite"),
        "{r}"
    );
    let r = m
        .via(&proxy)
        .s3cp(&[
            "mv",
            "-r",
            "--json",
            "--no-overwrite",
            &s("in/"),
            &s("out/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let lines = r.json_lines();
    let b = line_for_src(&lines, &s("in/b"));
    assert_eq!(b["status"], "skipped", "{b}");
    assert_eq!(b["kept_reason"], "skipped", "{b}");
    assert_eq!(line_for_src(&lines, &s("in/a"))["source_deleted"], true);
    assert!(exists(&client, &bucket, &format!("{p}in/b")).await);
    assert!(get_bytes(&client, &bucket, &format!("{p}out/b")).await == there);
    assert!(!exists(&client, &bucket, &format!("{p}in/a")).await);
    assert!(proxy.of("CopyObject").is_empty() && proxy.of("DeleteObject").is_empty());
}

/// Under `--no-overwrite` a 412 may be either condition's: s3cp HEADs the
/// source again, and a source no longer what it read is kept as
/// `source_changed` (not said to be an existing destination).
#[tokio::test]
async fn a_412_under_no_overwrite_is_the_source_s_when_the_source_changed() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("rename-whose");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    put(&client, &bucket, &src, random_bytes(100)).await;
    let rename = proxy.hold("RenameObject", 1);
    let child = m.via(&proxy).spawn(&[
        "mv",
        "--json",
        "--no-overwrite",
        &s3(&bucket, &src),
        &s3(&bucket, &dst),
    ]);
    rename.arrived().await;
    let second = random_bytes(200);
    put(&client, &bucket, &src, second.clone()).await;
    rename.release();
    let r = child.wait().await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["kept_reason"], "source_changed", "{v}");
    assert!(!r.stderr.contains("already exists"), "{r}");
    assert_eq!(
        operations(&proxy),
        ["HeadObject", "RenameObject", "HeadObject"]
    );
    assert!(get_bytes(&client, &bucket, &src).await == second);
    assert!(!exists(&client, &bucket, &dst).await);
}

/// Two directory buckets: RenameObject works within one bucket only, so a
/// move across them copies and deletes.
#[tokio::test]
async fn a_move_across_directory_buckets_copies_and_deletes() {
    let (m, client, bucket, proxy) = setup().await;
    let other = directory_bucket(&m).await;
    let p = unique("rename-across");
    let data = random_bytes(64);
    put(&client, &bucket, &format!("{p}src"), data.clone()).await;
    let r = m
        .via(&proxy)
        .s3cp(&[
            "mv",
            "--json",
            &s3(&bucket, &format!("{p}src")),
            &s3(&other, &format!("{p}dst")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.json()["source_deleted"], true, "{r}");
    assert!(proxy.of("RenameObject").is_empty());
    assert_eq!(proxy.of("CopyObject").len(), 1);
    assert_eq!(proxy.of("DeleteObject").len(), 1);
    assert!(get_bytes(&client, &other, &format!("{p}dst")).await == data);
    assert!(!exists(&client, &bucket, &format!("{p}src")).await);
}
