//! Copies into and out of a directory bucket (S3 Express One Zone,
//! `NAME--ZONE--x-s3`): what s3cp sends there and what it refuses before
//! sending anything (`src/options/directory.rs`). moto stores a directory
//! bucket as any other and enforces none of S3's rules for one, so these
//! tests assert on the requests the recording proxy saw; the proxy plays
//! CreateSession, which the SDK sends for a directory bucket's name
//! (`support::rename`).

mod support;

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use support::proxy::{Edit, Proxy};
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
    // A manifest's line: refused on its own line, nothing written.
    let line = format!("{src} {dst}\n");
    let r = m
        .via(&proxy)
        .s3cp_stdin(
            &["--acl", "public-read", "--from-file", "-", "--json"],
            &line,
        )
        .await;
    // The line fails as a usage error; the run, as any bulk run with a
    // failed object, exits 1.
    assert_eq!(r.code, 1, "{r}");
    let failed = &r.json_lines()[0];
    assert_eq!(failed["error"]["code"], "UsageError", "{r}");
    assert!(
        failed["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("--acl:"),
        "{r}"
    );
    let writes: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|q| q.method != "GET" && q.method != "HEAD")
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
    assert!(!exists(&client, &bucket, &format!("{p}out/a")).await);
}

/// `prefix + key` → bytes, put into `bucket`.
async fn put_all(client: &Client, bucket: &str, prefix: &str, objects: &[(&str, Vec<u8>)]) {
    for (key, data) in objects {
        put(client, bucket, &format!("{prefix}{key}"), data.clone()).await;
    }
}

/// The keys (relative to `dst`) of a run's JSON lines with each status.
fn statuses(r: &Run, dst: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut by = BTreeMap::<String, BTreeSet<String>>::new();
    for line in r.json_lines() {
        if line["type"] != "copy" {
            continue;
        }
        let key = line["dst"].as_str().unwrap().strip_prefix(dst).unwrap();
        by.entry(line["status"].as_str().unwrap().to_owned())
            .or_default()
            .insert(key.to_owned());
    }
    by
}

/// Keys and their bytes.
type Objects = Vec<(&'static str, Vec<u8>)>;

/// Sources, and a destination holding some of them the same, one of the
/// same size with other bytes, and keys of its own; the keys skipped by
/// `--skip-same` are those the same.
fn skip_case() -> (Objects, Objects, BTreeSet<String>) {
    let body = |k: &str| format!("body of {k}").into_bytes();
    // '!' < '/' < '0' < 'm' < 'z' < 'é' < '日' in UTF-8 bytes.
    let source = ["a!b", "a/b", "a0", "m1", "m2", "z", "é", "日本", "日本語"];
    let same = ["a!b", "a0", "m2", "日本"];
    let src: Vec<_> = source.iter().map(|k| (*k, body(k))).collect();
    let mut dst: Vec<_> = same.iter().map(|k| (*k, body(k))).collect();
    dst.push(("z", b"body of y".to_vec()));
    for extra in ["a", "a/a", "m", "éé", "日"] {
        dst.push((extra, b"extra".to_vec()));
    }
    (src, dst, same.iter().map(|k| k.to_string()).collect())
}

/// `s3cp -r --skip-same --dry-run` from `src` to `dst` through `proxy` (its
/// HTTPS proxy: the SDK's real endpoint rules, AWS's hosts),
/// each listing of `shuffled` answered in another order than moto's
/// (sorted) when asked: the keys by status, and the run.
async fn skip_same(
    m: &Server,
    proxy: &Proxy,
    (src, dst): (&str, &str),
    shuffled: Option<&str>,
) -> (BTreeMap<String, BTreeSet<String>>, Run) {
    proxy.reset();
    serve_rename(proxy, m);
    if let Some(bucket) = shuffled {
        let bucket = bucket.to_owned();
        proxy.rewrite_answer(
            "ListObjectsV2",
            move |r| r.bucket().as_deref() == Some(bucket.as_str()),
            Edit::ShuffleContents { seed: 23 },
        );
    }
    // Through the proxy as s3cp's HTTPS proxy: the directory bucket at
    // its zonal endpoint, as on AWS.
    let args = [
        "--region",
        "us-east-1",
        "-r",
        "--skip-same",
        "--dry-run",
        "--json",
        "-v",
    ];
    let r = m.s3cp_aws(proxy, &[&args[..], &[src, dst]].concat()).await;
    let zonal = proxy
        .requests()
        .iter()
        .filter(|q| {
            q.url
                .as_deref()
                .is_some_and(|u| u.contains(".s3express-use1-az4.us-east-1.amazonaws.com/"))
        })
        .count();
    assert_eq!(r.code, 0, "{r}");
    assert!(
        zonal > 0,
        "nothing sent to the zonal endpoint: {:?}",
        proxy.requests()
    );
    if shuffled.is_some() {
        let changed = proxy.rewritten();
        assert!(!changed.is_empty(), "no listing was shuffled: {r}");
    }
    (statuses(&r, dst), r)
}

/// `--skip-same` into a directory bucket whose listing comes back in
/// another order than the keys' (as S3's does) skips exactly what it
/// skips against the same listing sorted: the destination's listing is
/// collected first, and `-v` says so.
#[tokio::test]
async fn skip_same_into_a_shuffled_directory_listing_skips_what_a_sorted_one_does() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("dir-skip-into");
    let (src_objects, dst_objects, same) = skip_case();
    put_all(&client, SRC_BUCKET, &format!("{p}src/"), &src_objects).await;
    put_all(&client, &bucket, &format!("{p}dst/"), &dst_objects).await;
    let ends = (
        &s3(SRC_BUCKET, &format!("{p}src/"))[..],
        &s3(&bucket, &format!("{p}dst/"))[..],
    );
    let (sorted, _) = skip_same(&m, &proxy, ends, None).await;
    let (shuffled, r) = skip_same(&m, &proxy, ends, Some(&bucket)).await;
    assert_eq!(shuffled, sorted, "{r}");
    assert_eq!(shuffled["skipped"], same, "{r}");
    assert_eq!(
        shuffled["planned"].len(),
        src_objects.len() - same.len(),
        "{r}"
    );
    assert!(r.stderr.contains("read whole into memory"), "{r}");
}

/// The same with the sources in a directory bucket, whose listing comes
/// back shuffled: nothing assumes the source's order either.
#[tokio::test]
async fn skip_same_from_a_shuffled_directory_listing_skips_what_a_sorted_one_does() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("dir-skip-from");
    let (src_objects, dst_objects, same) = skip_case();
    put_all(&client, &bucket, &format!("{p}src/"), &src_objects).await;
    put_all(&client, DST_BUCKET, &format!("{p}dst/"), &dst_objects).await;
    let ends = (
        &s3(&bucket, &format!("{p}src/"))[..],
        &s3(DST_BUCKET, &format!("{p}dst/"))[..],
    );
    let (sorted, _) = skip_same(&m, &proxy, ends, None).await;
    let (shuffled, r) = skip_same(&m, &proxy, ends, Some(&bucket)).await;
    assert_eq!(shuffled, sorted, "{r}");
    assert_eq!(shuffled["skipped"], same, "{r}");
    assert!(r.stderr.contains("read whole into memory"), "{r}");
}

/// A directory bucket's ETags are not MD5s: `--skip-same` never takes
/// equal ETags for the same bytes there (the destination listing made to
/// show the source's ETag over other bytes of the same size is copied
/// over, the checksums read by HEAD deciding), and a copy into one is
/// never proved by its ETag.
#[tokio::test]
async fn a_directory_buckets_etags_neither_skip_nor_prove() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("dir-etag");
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}src/k"),
        b"0123456789".to_vec(),
    )
    .await;
    put(
        &client,
        &bucket,
        &format!("{p}dst/k"),
        b"9876543210".to_vec(),
    )
    .await;
    let source_etag = client
        .head_object()
        .bucket(SRC_BUCKET)
        .key(format!("{p}src/k"))
        .send()
        .await
        .unwrap()
        .e_tag()
        .unwrap()
        .to_owned();
    let listed = bucket.clone();
    proxy.rewrite_answer(
        "ListObjectsV2",
        move |r| r.bucket().as_deref() == Some(listed.as_str()),
        Edit::xml("ETag", &source_etag),
    );
    let (src, dst) = (
        s3(SRC_BUCKET, &format!("{p}src/")),
        s3(&bucket, &format!("{p}dst/")),
    );
    let r = m
        .via(&proxy)
        .s3cp(&["-r", "--skip-same", "--dry-run", "--json", "-v", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(
        !proxy.rewritten().is_empty(),
        "the listing was not rewritten: {r}"
    );
    assert_eq!(
        statuses(&r, &dst)["planned"],
        BTreeSet::from(["k".to_owned()]),
        "{r}"
    );
    assert!(r.stderr.contains("checksums differ"), "{r}");

    // Copied (each listed, no HEAD): proved by checksum, never by ETag.
    for i in 0..3 {
        put(
            &client,
            SRC_BUCKET,
            &format!("{p}more/{i}"),
            random_bytes(100 + i),
        )
        .await;
    }
    proxy.reset();
    serve_rename(&proxy, &m);
    let r = m
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            &s3(SRC_BUCKET, &format!("{p}more/")),
            &s3(&bucket, &format!("{p}copied/")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let lines: Vec<_> = r
        .json_lines()
        .into_iter()
        .filter(|l| l["type"] == "copy")
        .collect();
    assert_eq!(lines.len(), 3, "{r}");
    for line in lines {
        assert_eq!(line["verified_by"], "checksum", "{line}");
    }
}

/// `-r` into a directory bucket: a listed source is HEADed there (its tag
/// count), so the tags a copy drops are named for a tagged object too, and
/// read only for it.
#[tokio::test]
async fn a_recursive_copy_into_a_directory_bucket_names_the_tags_it_drops() {
    let (m, client, bucket, proxy) = setup().await;
    let p = unique("dir-r");
    put_tagged(
        &client,
        SRC_BUCKET,
        &format!("{p}src/tagged"),
        random_bytes(100),
    )
    .await;
    client
        .put_object()
        .bucket(SRC_BUCKET)
        .key(format!("{p}src/plain"))
        .body(ByteStream::from(random_bytes(100)))
        .send()
        .await
        .expect("put the untagged source");
    let r = m
        .via(&proxy)
        .s3cp(&[
            "-r",
            &s3(SRC_BUCKET, &format!("{p}src/")),
            &s3(&bucket, &format!("{p}out/")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(proxy.of("CopyObject").len(), 2, "{r}");
    assert_eq!(proxy.of("HeadObject").len(), 2, "{r}");
    assert_eq!(proxy.of("GetObjectTagging").len(), 1, "{r}");
    assert!(
        r.stderr.contains("keeps no tags") && r.stderr.contains("a=1&b=2"),
        "{r}"
    );
    assert!(r.stderr.contains("tagged"), "{r}");
}

/// `s3cp uploads abort --upload-id` in a directory bucket lists the key's
/// folder (a directory bucket lists only under prefixes ending in '/'),
/// not the key, and aborts exactly that upload.
#[tokio::test]
async fn an_upload_id_in_a_directory_bucket_is_found_under_its_folder() {
    let (m, client, bucket, proxy) = setup().await;
    let key = format!("{}dir/big.bin", unique("dir-abort"));
    let created = client
        .create_multipart_upload()
        .bucket(&bucket)
        .key(&key)
        .send()
        .await
        .expect("an upload");
    let id = created.upload_id().expect("its id").to_owned();
    let r = m
        .via(&proxy)
        .s3cp(&["uploads", "abort", &s3(&bucket, &key), "--upload-id", &id])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let listed = &proxy.of("ListMultipartUploads")[0];
    let prefix = listed.query("prefix").unwrap_or_default();
    assert!(
        prefix.ends_with('/') && key.starts_with(&prefix),
        "{prefix}"
    );
    assert_eq!(proxy.of("AbortMultipartUpload").len(), 1, "{r}");
    let left = client
        .list_multipart_uploads()
        .bucket(&bucket)
        .send()
        .await
        .expect("uploads");
    assert!(
        left.uploads()
            .iter()
            .all(|u| u.upload_id() != Some(id.as_str())),
        "{left:?}"
    );
}
