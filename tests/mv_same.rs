//! `s3cp mv --skip-same`: a source whose destination is already the same
//! object in every respect s3cp would copy (bytes, and the headers,
//! metadata, storage class and tags read by HEAD and GetObjectTagging of
//! both sides) is deleted without a copy; a destination with the same
//! bytes but other metadata or tags is copied over, then the source
//! deleted. Tagging is tested on moto (Garage answers 501 to it: neither
//! side has tags there).

mod support;

use aws_sdk_s3::types::{Tag, Tagging};
use support::proxy::Proxy;
use support::*;

/// A small object with headers, metadata and (on moto) tags.
async fn put_dressed(server: &Server, key: &str, data: Vec<u8>) {
    server
        .client()
        .put_object()
        .bucket(SRC_BUCKET)
        .key(key)
        .body(data.into())
        .content_type("text/x-s3cp")
        .cache_control("max-age=60")
        .metadata("owner", "team blue")
        .set_tagging(Some("project=s3cp&stage=one".to_owned()).filter(|_| server.name == "moto"))
        .send()
        .await
        .expect("put the source");
}

async fn set_tags(server: &Server, bucket: &str, key: &str, tags: &[(&str, &str)]) {
    let mut tagging = Tagging::builder();
    for (k, v) in tags {
        tagging = tagging.tag_set(Tag::builder().key(*k).value(*v).build().unwrap());
    }
    server
        .client()
        .put_object_tagging()
        .bucket(bucket)
        .key(key)
        .tagging(tagging.build().unwrap())
        .send()
        .await
        .expect("tag");
}

/// The destination made by s3cp itself: the same in every respect.
async fn copy_to_destination(server: &Server, key: &str) {
    let r = server
        .s3cp(&[&s3(SRC_BUCKET, key), &s3(DST_BUCKET, key)])
        .await;
    assert_eq!(r.code, 0, "{r}");
}

/// An identical destination: `--dry-run` says the source would go and
/// sends no delete; the move then deletes the source (If-Match its ETag)
/// without a copy, after reading both sides' HEADs and tags.
#[tokio::test]
async fn an_identical_destination_lets_the_source_go_without_a_copy() {
    let m = moto().await;
    let client = m.client();
    let key = format!("{}obj", unique("mv-same-one"));
    let data = random_bytes(2048);
    put_dressed(&m, &key, data.clone()).await;
    copy_to_destination(&m, &key).await;
    let wanted = head(&client, SRC_BUCKET, &key).await;
    let source_etag = client
        .head_object()
        .bucket(SRC_BUCKET)
        .key(&key)
        .send()
        .await
        .unwrap()
        .e_tag()
        .unwrap()
        .to_owned();
    let (src, dst) = (s3(SRC_BUCKET, &key), s3(DST_BUCKET, &key));
    let proxy = Proxy::start(&m.endpoint).await;

    let r = m
        .via(&proxy)
        .s3cp(&["mv", "--skip-same", "--dry-run", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout.starts_with("would move ") && r.stdout.contains("nothing copied"),
        "{r}"
    );
    assert!(proxy.of("DeleteObject").is_empty());
    assert!(exists(&client, SRC_BUCKET, &key).await);

    proxy.reset();
    let v = m
        .via(&proxy)
        .s3cp(&["mv", "--skip-same", "--json", &src, &dst])
        .await
        .json_ok();
    assert_eq!(v["status"], "skipped", "{v}");
    assert_eq!(v["skip_reason"], "same", "{v}");
    assert_eq!(v["source_deleted"], true, "{v}");
    assert!(v.get("kept_reason").is_none(), "{v}");
    assert!(proxy.of("CopyObject").is_empty());
    assert_eq!(proxy.of("HeadObject").len(), 2);
    assert_eq!(proxy.of("GetObjectTagging").len(), 2);
    let deletes = proxy.of("DeleteObject");
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].header("if-match"), Some(source_etag.as_str()));
    assert!(!exists(&client, SRC_BUCKET, &key).await);
    assert_eq!(get_bytes(&client, DST_BUCKET, &key).await, data);
    assert_eq!(head(&client, DST_BUCKET, &key).await, wanted);
}

/// The same bytes with other metadata, or other tags: the destination is
/// copied over (it then holds the source's), then the source deleted.
#[tokio::test]
async fn the_same_bytes_with_other_metadata_or_tags_are_copied_over() {
    let m = moto().await;
    let client = m.client();
    let p = unique("mv-same-differs");
    let data = random_bytes(1000);
    // Other metadata: the bytes put again at the destination, undressed.
    let meta = format!("{p}meta");
    put_dressed(&m, &meta, data.clone()).await;
    put(&client, DST_BUCKET, &meta, data.clone()).await;
    // Other tags: s3cp's copy, then its tags changed.
    let tagged = format!("{p}tags");
    put_dressed(&m, &tagged, data.clone()).await;
    copy_to_destination(&m, &tagged).await;
    set_tags(&m, DST_BUCKET, &tagged, &[("project", "other")]).await;
    let wanted = head(&client, SRC_BUCKET, &meta).await;

    for key in [&meta, &tagged] {
        let proxy = Proxy::start(&m.endpoint).await;
        let r = m
            .via(&proxy)
            .s3cp(&[
                "-v",
                "mv",
                "--skip-same",
                "--json",
                &s3(SRC_BUCKET, key),
                &s3(DST_BUCKET, key),
            ])
            .await;
        assert_eq!(r.code, 0, "{r}");
        let v = r.json();
        assert_eq!(v["status"], "copied", "{key}: {v}");
        assert_eq!(v["source_deleted"], true, "{v}");
        assert_eq!(proxy.of("CopyObject").len(), 1, "{key}");
        assert_eq!(proxy.of("DeleteObject").len(), 1, "{key}");
        assert!(r.stderr.contains("the same bytes, but its"), "{r}");
        assert!(!exists(&client, SRC_BUCKET, key).await);
    }
    assert_eq!(head(&client, DST_BUCKET, &meta).await, wanted);
    assert_eq!(
        tags(&m, DST_BUCKET, &tagged).await,
        vec![
            ("project".to_owned(), "s3cp".to_owned()),
            ("stage".to_owned(), "one".to_owned())
        ]
    );
}

/// `-r`: identical destinations join the copied sources in one
/// DeleteObjects; the others are copied (absent, other headers, other
/// bytes). Every source goes.
async fn moves_a_prefix_skipping_the_same(server: &Server) {
    let client = server.client();
    let p = unique(&format!("mv-same-r-{}", server.name));
    let key = |name: &str| format!("{p}src/{name}");
    let dst_key = |name: &str| format!("{p}dst/{name}");
    for name in ["same1", "same2", "absent", "headers", "bytes"] {
        put_dressed(server, &key(name), name.repeat(100).into_bytes()).await;
    }
    for name in ["same1", "same2"] {
        let r = server
            .s3cp(&[&s3(SRC_BUCKET, &key(name)), &s3(DST_BUCKET, &dst_key(name))])
            .await;
        assert_eq!(r.code, 0, "{r}");
    }
    put(
        &client,
        DST_BUCKET,
        &dst_key("headers"),
        "headers".repeat(100).into_bytes(),
    )
    .await;
    put(
        &client,
        DST_BUCKET,
        &dst_key("bytes"),
        "BYTES".repeat(100).into_bytes(),
    )
    .await;
    let proxy = Proxy::start(&server.endpoint).await;
    let r = server
        .via(&proxy)
        .s3cp(&[
            "mv",
            "-r",
            "--skip-same",
            "--json",
            &s3(SRC_BUCKET, &format!("{p}src/")),
            &s3(DST_BUCKET, &format!("{p}dst/")),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let lines = r.json_lines();
    for name in ["same1", "same2"] {
        let line = line_for_src(&lines, &s3(SRC_BUCKET, &key(name)));
        assert_eq!(line["status"], "skipped", "{line}");
        assert_eq!(line["source_deleted"], true, "{line}");
    }
    for name in ["absent", "headers", "bytes"] {
        let line = line_for_src(&lines, &s3(SRC_BUCKET, &key(name)));
        assert_eq!(line["status"], "copied", "{line}");
        assert_eq!(line["source_deleted"], true, "{line}");
    }
    let summary = lines.last().unwrap();
    assert_eq!(summary["deleted"], 5, "{summary}");
    assert_eq!(summary["kept"], 0, "{summary}");
    assert_eq!(proxy.of("CopyObject").len(), 3);
    assert_eq!(proxy.of("DeleteObjects").len(), 1);
    assert!(proxy.of("DeleteObject").is_empty());
    for name in ["same1", "same2", "absent", "headers", "bytes"] {
        assert!(!exists(&client, SRC_BUCKET, &key(name)).await, "{name}");
        assert_eq!(
            get_bytes(&client, DST_BUCKET, &dst_key(name)).await,
            name.repeat(100).into_bytes()
        );
    }
    assert_eq!(
        head(&client, DST_BUCKET, &dst_key("headers"))
            .await
            .content_type
            .as_deref(),
        Some("text/x-s3cp")
    );
}

#[tokio::test]
async fn mv_r_skip_same_deletes_identical_sources_on_moto() {
    moves_a_prefix_skipping_the_same(&moto().await).await;
}

#[tokio::test]
async fn mv_r_skip_same_deletes_identical_sources_on_garage() {
    moves_a_prefix_skipping_the_same(&garage().await).await;
}

/// A source replaced after `--skip-same` found its destination the same
/// and before its delete is kept: the conditional delete is refused, the
/// line says `source_changed`, the run exits 1.
#[tokio::test]
async fn a_source_replaced_after_it_was_found_the_same_is_kept() {
    let m = moto().await;
    let client = m.client();
    let key = format!("{}obj", unique("mv-same-replaced"));
    put_dressed(&m, &key, random_bytes(500)).await;
    copy_to_destination(&m, &key).await;
    let proxy = Proxy::start(&m.endpoint).await;
    let delete = proxy.hold("DeleteObject", 1);
    let child = m.via(&proxy).spawn(&[
        "mv",
        "--skip-same",
        &s3(SRC_BUCKET, &key),
        &s3(DST_BUCKET, &key),
    ]);
    delete.arrived().await;
    let newer = random_bytes(700);
    put(&client, SRC_BUCKET, &key, newer.clone()).await;
    delete.release();
    let r = child.wait().await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stdout.contains("source kept: source_changed"), "{r}");
    assert!(r.stderr.contains("changed since it was copied"), "{r}");
    assert_eq!(get_bytes(&client, SRC_BUCKET, &key).await, newer);
}

/// A destination the same in every respect compared still does not let
/// the source go when the move would not have copied it as it is: a
/// source condition it does not meet (the copy fails on it; the source is
/// kept, nothing deleted), a flag that sets what is not compared (`--acl`:
/// copied over, then deleted), or annotations on the source (not compared:
/// copied over, which carries them, then deleted).
#[tokio::test]
async fn conditions_uncompared_flags_and_annotations_keep_the_copy() {
    let m = moto().await;
    let client = m.client();
    let p = unique("mv-same-not-alone");
    let keys = ["cond", "acl", "annotated"].map(|k| format!("{p}{k}"));
    for key in &keys {
        put_dressed(&m, key, random_bytes(800)).await;
        copy_to_destination(&m, key).await;
    }
    let proxy = Proxy::start(&m.endpoint).await;
    let double = support::annotations::serve_annotations(&proxy, &m);
    double.put(SRC_BUCKET, &keys[2], "owner", "team blue");

    let r = m
        .via(&proxy)
        .s3cp(&[
            "mv",
            "--skip-same",
            "--json",
            "--copy-source-if-match",
            "\"0123\"",
            &s3(SRC_BUCKET, &keys[0]),
            &s3(DST_BUCKET, &keys[0]),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["kept_reason"], "copy_failed", "{v}");
    assert!(proxy.of("DeleteObject").is_empty());
    assert!(exists(&client, SRC_BUCKET, &keys[0]).await);

    for (key, flags) in [
        (&keys[1], &["--acl", "public-read"][..]),
        (&keys[2], &[][..]),
    ] {
        proxy.reset();
        double.serve(&proxy, &m);
        let (s, d) = (s3(SRC_BUCKET, key), s3(DST_BUCKET, key));
        let mut args = vec!["-v", "mv", "--skip-same", "--json"];
        args.extend(flags);
        args.extend([s.as_str(), d.as_str()]);
        let r = m.via(&proxy).s3cp(&args).await;
        assert_eq!(r.code, 0, "{r}");
        let v = r.json();
        assert_eq!(v["status"], "copied", "{key}: {v}");
        assert_eq!(v["source_deleted"], true, "{v}");
        assert_eq!(proxy.of("CopyObject").len(), 1, "{key}");
        assert!(r.stderr.contains("the same bytes, but"), "{r}");
        assert!(!exists(&client, SRC_BUCKET, key).await);
    }
    assert_eq!(
        double
            .of(DST_BUCKET, &keys[2])
            .get("owner")
            .map(String::as_str),
        Some("team blue")
    );
}
