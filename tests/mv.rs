//! `s3cp mv`: a source is deleted only after its copy is proved, and only
//! if it is still the object that was copied (`If-Match` on DeleteObject).
//! moto honours `If-Match` on DeleteObject; Garage 2.5.0 does not, so the
//! refusal of a replaced source is tested on moto.

mod support;

use support::proxy::{Fault, Proxy, When};
use support::*;

/// One object moved: copied, proved, then deleted with `If-Match` its
/// ETag; the line says `moved` and `source_deleted`.
async fn moves_one_object(server: &Server) {
    let client = server.client();
    let p = unique(&format!("mv-one-{}", server.name));
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(4096)).await;
    let before = digest(&client, SRC_BUCKET, &format!("{p}src")).await;
    let etag = head_etag(&client, SRC_BUCKET, &format!("{p}src")).await;
    let (src, dst) = (
        format!("s3://{SRC_BUCKET}/{p}src"),
        format!("s3://{DST_BUCKET}/{p}dst"),
    );
    let proxy = Proxy::start(&server.endpoint).await;
    let v = server
        .via(&proxy)
        .s3cp(&["mv", "--json", &src, &dst])
        .await
        .json_ok();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(v["verified"], true, "{v}");
    assert_eq!(v["source_deleted"], true, "{v}");
    assert!(v.get("kept_reason").is_none(), "{v}");
    let deletes = proxy.of("DeleteObject");
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].header("if-match"), Some(etag.as_str()));
    assert!(!exists(&client, SRC_BUCKET, &format!("{p}src")).await);
    assert_eq!(
        digest(&client, DST_BUCKET, &format!("{p}dst")).await,
        before
    );

    // The human line says it moved.
    put(&client, SRC_BUCKET, &format!("{p}src2"), random_bytes(10)).await;
    let r = server
        .s3cp(&["mv", &format!("{src}2"), &format!("{dst}2")])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.starts_with("moved "), "{r}");
}

#[tokio::test]
async fn mv_deletes_the_source_after_a_proved_copy_on_moto() {
    moves_one_object(&moto().await).await;
}

#[tokio::test]
async fn mv_deletes_the_source_after_a_proved_copy_on_garage() {
    moves_one_object(&garage().await).await;
}

/// Another writer replaces the source between its copy and its delete:
/// the conditional delete is refused (412) and the new source is kept,
/// whole; the destination keeps what was copied; exit 1.
#[tokio::test]
async fn a_source_replaced_before_its_delete_is_kept() {
    let m = moto().await;
    let client = m.client();
    let p = unique("mv-replaced");
    let first = random_bytes(2048);
    put(&client, SRC_BUCKET, &format!("{p}src"), first.clone()).await;
    let proxy = Proxy::start(&m.endpoint).await;
    let delete = proxy.hold("DeleteObject", 1);
    let child = m.via(&proxy).spawn(&[
        "mv",
        "--json",
        &format!("s3://{SRC_BUCKET}/{p}src"),
        &format!("s3://{DST_BUCKET}/{p}dst"),
    ]);
    delete.arrived().await;
    let second = random_bytes(3000);
    put(&client, SRC_BUCKET, &format!("{p}src"), second.clone()).await;
    delete.release();
    let r = child.wait().await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(v["source_deleted"], false, "{v}");
    assert_eq!(v["kept_reason"], "source_changed", "{v}");
    assert_eq!(v["error"]["code"], "SourceChanged", "{v}");
    assert!(get_bytes(&client, SRC_BUCKET, &format!("{p}src")).await == second);
    assert!(get_bytes(&client, DST_BUCKET, &format!("{p}dst")).await == first);
}

/// A copy that fails deletes nothing: no DeleteObject is sent.
#[tokio::test]
async fn a_failed_copy_deletes_nothing() {
    let g = garage().await;
    let client = g.client();
    let p = unique("mv-failed");
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(100)).await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.fault("CopyObject", When::EveryNth(1), Fault::InternalError);
    let r = g
        .via(&proxy)
        .s3cp(&[
            "mv",
            "--json",
            "--max-attempts",
            "1",
            &format!("s3://{SRC_BUCKET}/{p}src"),
            &format!("s3://{DST_BUCKET}/{p}dst"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["status"], "failed", "{v}");
    assert_eq!(v["source_deleted"], false, "{v}");
    assert_eq!(v["kept_reason"], "copy_failed", "{v}");
    assert!(proxy.of("DeleteObject").is_empty());
    assert!(exists(&client, SRC_BUCKET, &format!("{p}src")).await);
}

/// `mv --dry-run` plans the copy and the delete, sends neither; a move
/// onto itself is refused before any request (exit 2).
#[tokio::test]
async fn mv_dry_run_deletes_nothing_and_a_move_onto_itself_is_refused() {
    let g = garage().await;
    let client = g.client();
    let p = unique("mv-dry");
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(100)).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "mv",
            "--dry-run",
            &src,
            &format!("s3://{DST_BUCKET}/{p}dst"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.starts_with("would move "), "{r}");
    let writes: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.operation() != "HeadObject")
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
    assert!(exists(&client, SRC_BUCKET, &format!("{p}src")).await);

    let before = proxy.requests().len();
    // Onto itself as written, and as resolved (a destination ending in
    // '/' takes the source's name), with a flag that changes the object:
    // the copy is allowed, its delete would lose the object.
    for dst in [src.clone(), format!("s3://{SRC_BUCKET}/{p}")] {
        let r = g
            .via(&proxy)
            .s3cp(&["mv", "--storage-class", "STANDARD_IA", &src, &dst])
            .await;
        assert_eq!(r.code, 2, "{r}");
        assert!(r.stderr.contains("would delete what it copied"), "{r}");
    }
    assert_eq!(proxy.requests().len(), before, "nothing sent");

    // A bulk dry run says each move; a destination inside the source
    // prefix is refused, before any request.
    let prefix = format!("s3://{SRC_BUCKET}/{p}");
    let r = g
        .via(&proxy)
        .s3cp(&[
            "mv",
            "-r",
            "--dry-run",
            &prefix,
            &format!("s3://{DST_BUCKET}/{p}"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("would move "), "{r}");
    assert!(exists(&client, SRC_BUCKET, &format!("{p}src")).await);
    let before = proxy.requests().len();
    // Inside, onto, and holding the source prefix.
    let parent = format!("s3://{SRC_BUCKET}/{}", p.trim_end_matches('/'));
    let parent = &parent[..parent.rfind('/').unwrap() + 1];
    for dst in [format!("{prefix}sub/"), prefix.clone(), parent.to_owned()] {
        let r = g.via(&proxy).s3cp(&["mv", "-r", &prefix, &dst]).await;
        assert_eq!(r.code, 2, "{dst}: {r}");
        assert!(r.stderr.contains("one prefix holds the other"), "{r}");
    }
    assert_eq!(proxy.requests().len(), before, "nothing sent");
}

/// The ETag of `bucket/key`, as S3 gives it (quoted).
async fn head_etag(client: &aws_sdk_s3::Client, bucket: &str, key: &str) -> String {
    client
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .expect("head")
        .e_tag()
        .unwrap()
        .to_owned()
}

/// A versioned source bucket: the move's conditional delete adds a delete
/// marker and the copied version stays (nothing lost); `--delete-version`
/// deletes exactly the copied version, by its id, and the others stay.
#[tokio::test]
async fn a_versioned_source_keeps_its_version_unless_delete_version() {
    use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
    let m = moto().await;
    let client = m.client();
    let bucket = "s3cp-mv-versioned";
    if let Err(e) = client.create_bucket().bucket(bucket).send().await {
        let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&e).unwrap_or("");
        assert!(code.starts_with("BucketAlready"), "create {bucket}: {e:?}");
    }
    client
        .put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .expect("enable versioning");
    let versions = |key: String| {
        let client = client.clone();
        async move {
            let out = client
                .list_object_versions()
                .bucket(bucket)
                .prefix(&key)
                .send()
                .await
                .expect("list versions");
            let kept: Vec<String> = out
                .versions()
                .iter()
                .filter_map(|v| v.version_id().map(str::to_owned))
                .collect();
            (kept, out.delete_markers().len())
        }
    };
    let p = unique("mv-versions");
    for (case, flags) in [
        ("marker", &[][..]),
        ("version", &["--delete-version"][..]),
        // Listed, not HEADed: the version copied must still be the one
        // deleted.
        ("listed", &["--delete-version", "-r"][..]),
    ] {
        let key = format!("{p}{case}");
        // The listed case moves a prefix holding one object.
        let object = match case {
            "listed" => format!("{key}/obj"),
            _ => key.clone(),
        };
        let mut ids = Vec::new();
        for n in [10, 20] {
            let out = client
                .put_object()
                .bucket(bucket)
                .key(&object)
                .body(random_bytes(n).into())
                .send()
                .await
                .unwrap();
            ids.push(out.version_id().unwrap().to_owned());
        }
        let mut args = vec!["mv", "--json"];
        args.extend(flags);
        let (src, dst) = match case {
            "listed" => (
                format!("s3://{bucket}/{key}/"),
                format!("s3://{DST_BUCKET}/{key}/"),
            ),
            _ => (
                format!("s3://{bucket}/{key}"),
                format!("s3://{DST_BUCKET}/{key}"),
            ),
        };
        args.extend([src.as_str(), dst.as_str()]);
        let r = m.s3cp(&args).await;
        assert_eq!(r.code, 0, "{r}");
        let v = r.json_lines()[0].clone();
        assert_eq!(v["source_deleted"], true, "{v}");
        assert_eq!(v["source_version_id"], ids[1].as_str(), "{v}");
        let (left, markers) = versions(key.clone()).await;
        match case {
            "marker" => {
                assert_eq!(markers, 1, "a delete marker");
                assert_eq!(left.len(), 2, "both versions stay: {left:?}");
            }
            _ => {
                assert_eq!(markers, 0, "{case}: no delete marker");
                assert_eq!(
                    left,
                    [ids[0].clone()],
                    "{case}: only the copied version went"
                );
            }
        }
    }
}

/// A copy that nothing proves (a multipart source without a checksum,
/// copied by CopyObject on Garage: the ETags cannot compare) keeps its
/// source and says why (exit 1); `--verify` proves it by reading the
/// source, and the source goes.
#[tokio::test]
async fn an_unproved_copy_keeps_its_source_unless_verify_proves_it() {
    let g = garage().await;
    let client = g.client();
    let p = unique("mv-unproved");
    parts_source(&client, &p, &format!("{p}src"), 2).await;
    let (src, dst) = (
        format!("s3://{SRC_BUCKET}/{p}src"),
        format!("s3://{DST_BUCKET}/{p}dst"),
    );
    // -q prints no line, but a kept source is a failure: said on stderr.
    let r = g.s3cp(&["mv", "-q", &src, &dst]).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stdout.is_empty(), "{r}");
    assert!(r.stderr.contains("the source is kept"), "{r}");
    let r = g.s3cp(&["mv", "--json", &src, &dst]).await;
    assert_eq!(r.code, 1, "{r}");
    let v = r.json();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(v["verified"], serde_json::Value::Null, "{v}");
    assert_eq!(v["kept_reason"], "not_proved", "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("--verify"),
        "{v}"
    );
    assert!(exists(&client, SRC_BUCKET, &format!("{p}src")).await);

    let v = g
        .s3cp(&["mv", "--json", "--verify", &src, &dst])
        .await
        .json_ok();
    assert_eq!(v["verified_by"], "read", "{v}");
    assert_eq!(v["source_deleted"], true, "{v}");
    assert!(!exists(&client, SRC_BUCKET, &format!("{p}src")).await);
}

/// A prefix of 2,000 objects moved: the requests are the listing, the
/// copies and two DeleteObjects (each key with its ETag), not a delete per
/// object; every source is gone and every destination there.
async fn moves_a_prefix(server: &Server) {
    let client = server.client();
    let p = unique(&format!("mv-r-{}", server.name));
    let keys = put_many(&client, &format!("{p}in/"), 2000).await;
    let proxy = Proxy::start(&server.endpoint).await;
    let r = server
        .via(&proxy)
        .s3cp(&[
            "mv",
            "-r",
            "--json",
            &format!("s3://{SRC_BUCKET}/{p}in/"),
            &format!("s3://{DST_BUCKET}/{p}out/"),
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.json_lines();
    let summary = lines.last().unwrap();
    assert_eq!(summary["deleted"], 2000, "{summary}");
    assert_eq!(summary["kept"], 0, "{summary}");
    let moved = lines
        .iter()
        .filter(|l| l["type"] == "copy" && l["source_deleted"] == true)
        .count();
    assert_eq!(moved, 2000);
    let batches = proxy.of("DeleteObjects");
    assert_eq!(batches.len(), 2, "one request per 1,000 objects");
    for b in &batches {
        let body = b.body_text().expect("the body");
        assert_eq!(body.matches("<Object>").count(), 1000);
        assert_eq!(body.matches("<ETag>").count(), 1000, "each key conditional");
    }
    let pages = proxy.of("ListObjectsV2").len();
    assert_eq!(proxy.of("CopyObject").len(), 2000);
    assert_eq!(proxy.requests().len(), 2000 + 2 + pages);
    assert_eq!(summary["requests"], proxy.requests().len(), "{summary}");
    let left = client
        .list_objects_v2()
        .bucket(SRC_BUCKET)
        .prefix(format!("{p}in/"))
        .send()
        .await
        .unwrap();
    assert_eq!(left.key_count(), Some(0), "every source deleted");
    let there = client
        .list_objects_v2()
        .bucket(DST_BUCKET)
        .prefix(format!("{p}out/"))
        .send()
        .await
        .unwrap();
    assert_eq!(there.key_count(), Some(1000), "first page of the moved");
    assert!(there.is_truncated().unwrap_or(false));
    assert_eq!(keys.len(), 2000);
}

#[tokio::test]
async fn mv_r_deletes_in_batches_of_1000_on_moto() {
    moves_a_prefix(&moto().await).await;
}

#[tokio::test]
async fn mv_r_deletes_in_batches_of_1000_on_garage() {
    moves_a_prefix(&garage().await).await;
}

/// DeleteObjects answers 200 with per-key results: the key it refuses
/// for its ETag (a source replaced since its copy, PreconditionFailed, as
/// S3 answers; neither local server conditions DeleteObjects, so the
/// proxy answers as S3 would) is kept and said so, the run exits 1, and
/// the keys it deleted are reported moved.
#[tokio::test]
async fn per_key_delete_errors_are_reported_per_key() {
    let m = moto().await;
    let client = m.client();
    let p = unique("mv-per-key");
    let keys = put_many(&client, &format!("{p}in/"), 3).await;
    let proxy = Proxy::start(&m.endpoint).await;
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <Deleted><Key>{}</Key></Deleted>\
         <Error><Key>{}</Key><Code>PreconditionFailed</Code>\
         <Message>At least one of the pre-conditions you specified did not hold</Message></Error>\
         <Error><Key>{}</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>\
         </DeleteResult>",
        keys[0], keys[1], keys[2]
    );
    proxy.answer("DeleteObjects", 200, &body);
    let r = m
        .via(&proxy)
        .s3cp(&[
            "mv",
            "-r",
            "--json",
            &format!("s3://{SRC_BUCKET}/{p}in/"),
            &format!("s3://{DST_BUCKET}/{p}out/"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let lines = r.json_lines();
    let of = |key: &str| line_for_src(&lines, &format!("s3://{SRC_BUCKET}/{key}"));
    assert_eq!(of(&keys[0])["source_deleted"], true);
    let changed = of(&keys[1]);
    assert_eq!(changed["status"], "copied", "{changed}");
    assert_eq!(changed["kept_reason"], "source_changed", "{changed}");
    assert_eq!(of(&keys[2])["kept_reason"], "delete_failed");
    assert!(
        of(&keys[2])["error"]["message"]
            .as_str()
            .unwrap()
            .contains("AccessDenied")
    );
    let summary = lines.last().unwrap();
    assert_eq!(summary["deleted"], 1, "{summary}");
    assert_eq!(summary["kept"], 2, "{summary}");
}

/// A streamed move from Garage to moto deletes only the sources whose
/// copies are proved: an object with an MD5 ETag goes; a multipart one
/// without a checksum, which nothing proves, is kept (`not_proved`).
#[tokio::test]
async fn a_streamed_move_deletes_only_proved_sources() {
    let (g, m) = (garage().await, moto().await);
    let client = g.client();
    let p = unique("mv-stream");
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}in/plain"),
        random_bytes(5000),
    )
    .await;
    parts_source(&client, &format!("{p}base-"), &format!("{p}in/parts"), 2).await;
    // moto, with Garage's keys (moto takes any).
    let to_moto = Server {
        endpoint: m.endpoint.clone(),
        ..g.clone()
    };
    let r = to_moto
        .s3cp(&[
            "mv",
            "--source-endpoint-url",
            &g.endpoint,
            "-r",
            "--json",
            &format!("s3://{SRC_BUCKET}/{p}in/"),
            &format!("s3://{DST_BUCKET}/{p}out/"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let lines = r.json_lines();
    let of = |name: &str| line_for_src(&lines, &format!("s3://{SRC_BUCKET}/{p}in/{name}"));
    assert_eq!(of("plain")["method"], "stream");
    assert_eq!(of("plain")["source_deleted"], true, "{}", of("plain"));
    assert_eq!(of("parts")["kept_reason"], "not_proved", "{}", of("parts"));
    assert!(!exists(&client, SRC_BUCKET, &format!("{p}in/plain")).await);
    assert!(exists(&client, SRC_BUCKET, &format!("{p}in/parts")).await);
}

/// Ctrl-C during a bulk move: every object is at its source, or proved at
/// its destination, never neither; the proved sources pending deletion
/// are deleted before the run ends (exit 130).
#[tokio::test]
async fn ctrl_c_during_a_bulk_move_loses_nothing() {
    let m = moto().await;
    let client = m.client();
    let p = unique("mv-ctrl-c");
    let keys = put_many(&client, &format!("{p}in/"), 40).await;
    let proxy = Proxy::start(&m.endpoint).await;
    let held = proxy.hold("CopyObject", 20);
    let child = m.via(&proxy).spawn(&[
        "mv",
        "-r",
        "--json",
        "--concurrency",
        "4",
        &format!("s3://{SRC_BUCKET}/{p}in/"),
        &format!("s3://{DST_BUCKET}/{p}out/"),
    ]);
    held.arrived().await;
    interrupt(&child);
    held.release();
    let r = child.wait().await;
    assert_eq!(r.code, 130, "{r}");
    let mut at_source = 0;
    for key in &keys {
        let name = key.rsplit('/').next().unwrap();
        let src = exists(&client, SRC_BUCKET, key).await;
        let dst_key = format!("{p}out/{name}");
        let dst = exists(&client, DST_BUCKET, &dst_key).await;
        assert!(src || dst, "{key} is nowhere");
        if dst {
            assert_eq!(
                get_bytes(&client, DST_BUCKET, &dst_key).await,
                key.clone().into_bytes()
            );
        }
        at_source += usize::from(src);
    }
    assert!(at_source > 0, "Ctrl-C stopped nothing: {r}");
    assert!(at_source < keys.len(), "nothing was moved: {r}");
}
