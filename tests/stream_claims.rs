//! What a streamed copy claims (issue 18), through the real binary between
//! Garage (the source) and moto (the destination), with a proxy between
//! s3cp and one of them:
//!
//! - `verified` only when a value computed independently of the transfer
//!   agrees: the source's stored full-object checksum, the source's MD5
//!   ETag against the MD5 of the bytes as they arrived, or a `--verify`
//!   read of the source after the write. The CRC s3cp computes of the
//!   bytes it passes on is its own: a byte flipped on the way in (the
//!   proxy's [`Fault::FlipByte`] on a GetObject) is in it too, so it never
//!   proves the copy.
//! - `--no-overwrite` on a streamed PutObject: its 412 is "already exists"
//!   (skipped in a bulk run, exit 0), and a lost answer whose resend meets
//!   s3cp's own object is recognised as its own write (under `--if-match`
//!   too, where a 412 stays a failure).
//!
//! Servers: both store a full-object CRC sent with a PutObject, UploadPart
//! or Complete (`FULL_OBJECT`) and check it against the bytes, so the
//! destination (moto) keeps the flipped bytes with their own CRC, as a
//! store given corrupted bytes would. Garage plays the source: it keeps a
//! CRC32 for what the SDK's default client puts, none for a bare client's
//! put (single-part: its ETag is the MD5), and takes a bare multipart
//! upload with parts under 5 MiB (an ETag `-N`, no checksum). moto honours
//! `If-None-Match: *` on PutObject and Complete and `If-Match` on
//! PutObject, which makes it the destination for the conditions; a resend meeting s3cp's own
//! object is played by the proxy (412 without forwarding), as S3 would
//! answer it.

mod support;

use serde_json::Value;
use support::proxy::{At, Fault, Proxy, Rule, When};
use support::*;

/// 5 MiB parts: 3 for an 11 MiB object.
const PARTS: [&str; 4] = ["--multipart-threshold", "5MiB", "--part-size", "5MiB"];

/// One PutObject for the objects here.
const SINGLE: [&str; 2] = ["--multipart-threshold", "64MiB"];

/// The byte of the first GetObject's body that the proxy flips.
const FLIPPED_AT: usize = 1000;

/// `s3cp --source-endpoint-url SRC --endpoint-url DST ARGS` with `keys`'
/// credentials (Garage's, which moto takes too).
async fn across(keys: &Server, src_endpoint: &str, dst_endpoint: &str, args: &[&str]) -> Run {
    let mut all = vec!["--source-endpoint-url", src_endpoint];
    all.extend_from_slice(args);
    Server {
        endpoint: dst_endpoint.to_owned(),
        ..keys.clone()
    }
    .s3cp(&all)
    .await
}

/// What a source says of its bytes, besides the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Says {
    /// A stored full-object CRC32 (single-part).
    Checksum,
    /// No checksum; single-part, so its ETag is the MD5 of its bytes.
    Md5Etag,
    /// No checksum; a multipart upload (ETag `-2`): nothing.
    Nothing,
}

/// Puts an 11 MiB source on Garage that says `says`, and checks it does.
async fn put_saying(g: &Server, key: &str, says: Says) -> Vec<u8> {
    let client = g.client();
    let data = random_bytes(11 * MIB as usize);
    match says {
        Says::Checksum => put(&client, SRC_BUCKET, key, data.clone()).await,
        Says::Md5Etag => put_source(&client, key, data.clone(), None).await,
        Says::Nothing => {
            let bodies = vec![
                data[..6 * MIB as usize].to_vec(),
                data[6 * MIB as usize..].to_vec(),
            ];
            put_multipart(&bare_client(&client), SRC_BUCKET, key, bodies, None).await;
        }
    }
    let h = head_checksums(&client, SRC_BUCKET, key).await;
    let checksum = [
        h.checksum_crc32(),
        h.checksum_crc32_c(),
        h.checksum_crc64_nvme(),
        h.checksum_sha1(),
        h.checksum_sha256(),
    ];
    let etag = unquote(h.e_tag().expect("an ETag")).to_owned();
    match says {
        Says::Checksum => assert!(h.checksum_crc32().is_some(), "{h:?}"),
        Says::Md5Etag | Says::Nothing => {
            assert_eq!(
                checksum, [None; 5],
                "{says:?} source with a checksum: {h:?}"
            )
        }
    }
    match says {
        Says::Nothing => assert!(etag.ends_with("-2"), "{h:?}"),
        _ => {
            use md5::Digest as _;
            assert_eq!(etag, format!("{:x}", md5::Md5::digest(&data)), "{h:?}");
        }
    }
    data
}

/// Streams sources that say each thing, one PutObject and in parts, with
/// and without `--verify`, while the proxy in front of the source flips
/// one byte of the first GetObject's body: the copy is never reported
/// verified. Where the source's checksum or MD5 ETag can tell, it is a
/// `ChecksumMismatch` (exit 1); where nothing can, `verified: null` with
/// the reason (exit 0), and `--verify`'s read of the source, after the
/// write, fails it. (Each was `verified: true, verified_by: "read"` but
/// the first: the CRC compared was that of the flipped bytes.)
#[tokio::test]
async fn a_byte_flipped_on_the_way_in_is_never_verified() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-flipped");
    for says in [Says::Checksum, Says::Md5Etag, Says::Nothing] {
        let src_key = format!("{p}{says:?}");
        let data = put_saying(&g, &src_key, says).await;
        let src = s3(SRC_BUCKET, &src_key);
        for (size, size_args) in [("single", &SINGLE[..]), ("multi", &PARTS[..])] {
            for verify in [false, true] {
                let case = format!("{says:?}, {size}, verify {verify}");
                let dst_key = format!("{p}{says:?}-{size}-{verify}");
                let dst = s3(DST_BUCKET, &dst_key);
                let proxy = Proxy::start(&g.endpoint).await;
                proxy.fault("GetObject", When::First(1), Fault::FlipByte(FLIPPED_AT));
                let mut args = vec!["--json"];
                args.extend_from_slice(size_args);
                if verify {
                    args.push("--verify");
                }
                args.extend([src.as_str(), dst.as_str()]);
                let r = across(&g, &proxy.endpoint, &m.endpoint, &args).await;
                assert_eq!(proxy.injected(), [Fault::FlipByte(FLIPPED_AT)], "{case}");
                let v = r.json();
                assert_ne!(
                    v["verified"], true,
                    "{case}: the flipped copy is verified: {r}"
                );
                assert!(v["verified_by"].is_null(), "{case}: {v}");
                match (says, verify) {
                    (Says::Nothing, false) => {
                        assert_eq!(r.code, 0, "{case}: {r}");
                        assert_eq!(v["status"], "copied", "{case}: {v}");
                        assert_eq!(v["method"], "stream", "{case}: {v}");
                        assert!(v["verified"].is_null(), "{case}: {v}");
                        let why = v["unverified_reason"].as_str().unwrap_or_default();
                        assert!(why.contains("--verify"), "{case}: the reason: {v}");
                    }
                    (Says::Nothing, true) => {
                        assert_eq!(r.code, 1, "{case}: {r}");
                        assert_eq!(v["verified"], false, "{case}: {v}");
                        let code = &v["error"]["code"];
                        assert!(
                            code == "ChecksumMismatch" || code == "NotVerified",
                            "{case}: {v}"
                        );
                    }
                    (Says::Checksum | Says::Md5Etag, _) => {
                        assert_eq!(r.code, 1, "{case}: {r}");
                        assert_eq!(v["verified"], false, "{case}: {v}");
                        assert_eq!(v["error"]["code"], "ChecksumMismatch", "{case}: {v}");
                        let what = if says == Says::Checksum {
                            "CRC32"
                        } else {
                            "MD5"
                        };
                        let message = v["error"]["message"].as_str().unwrap_or_default();
                        assert!(message.contains(&format!("its {what} is")), "{case}: {v}");
                    }
                }
                // The flip reached the destination: one byte differs, the
                // destination store having taken the CRC of what it got.
                let written = get_bytes(&m.client(), DST_BUCKET, &dst_key).await;
                assert_eq!(written.len(), data.len(), "{case}");
                let differ = written.iter().zip(&data).filter(|(a, b)| a != b).count();
                assert_eq!(differ, 1, "{case}: the copy holds the flipped byte");
            }
        }
    }
    assert!(uploads(&m.client(), DST_BUCKET, &p).await.is_empty());
}

/// The same sources without the fault: each copy is proved by what the
/// source says (its checksum, its MD5 ETag), or by `--verify`'s read when
/// it says nothing; never by the stream's own CRC.
#[tokio::test]
async fn a_stream_is_proved_by_what_the_source_says() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-proved");
    for says in [Says::Checksum, Says::Md5Etag, Says::Nothing] {
        let src_key = format!("{p}{says:?}");
        let data = put_saying(&g, &src_key, says).await;
        let src = s3(SRC_BUCKET, &src_key);
        for (size, size_args) in [("single", &SINGLE[..]), ("multi", &PARTS[..])] {
            let case = format!("{says:?}, {size}");
            let dst_key = format!("{p}{says:?}-{size}");
            let dst = s3(DST_BUCKET, &dst_key);
            let mut args = vec!["--json"];
            args.extend_from_slice(size_args);
            if says == Says::Nothing {
                args.push("--verify");
            }
            args.extend([src.as_str(), dst.as_str()]);
            let proxy = Proxy::start(&g.endpoint).await;
            let v = across(&g, &proxy.endpoint, &m.endpoint, &args)
                .await
                .json_ok();
            assert_eq!(v["method"], "stream", "{case}: {v}");
            assert_eq!(v["verified"], true, "{case}: {v}");
            let (by, gets) = match (says, size) {
                (Says::Checksum, "single") => ("checksum", 1),
                (Says::Checksum, _) => ("checksum", 3),
                (Says::Md5Etag, "single") => ("etag", 1),
                (Says::Md5Etag, _) => ("etag", 3),
                // The stream's GETs, then the read's (16 MiB ranges).
                (Says::Nothing, "single") => ("read", 2),
                (Says::Nothing, _) => ("read", 4),
            };
            assert_eq!(v["verified_by"], by, "{case}: {v}");
            assert_eq!(proxy.of("GetObject").len(), gets, "{case}");
            assert!(
                get_bytes(&m.client(), DST_BUCKET, &dst_key).await == data,
                "{case}"
            );
        }
    }
}

/// The MD5 of a multipart stream is taken over the parts in order while
/// they arrive out of order, within the memory of `--concurrency` parts:
/// part 1's GET answer is held until part 2 has been written (part 2 then
/// waits, in memory, for part 1's hashing; part 3 for memory), and the
/// copy ends proved by the source's MD5 ETag. Then a bulk run of three
/// such sources sharing the memory of two parts: none waits for ever.
#[tokio::test]
async fn parts_arriving_out_of_order_are_hashed_in_order_within_the_memory() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-md5-order");
    let mut data = Vec::new();
    for name in ["a", "b", "c"] {
        let key = format!("{p}src/{name}");
        data.push(put_saying(&g, &key, Says::Md5Etag).await);
    }
    let (src_proxy, dst_proxy) = (
        Proxy::start(&g.endpoint).await,
        Proxy::start(&m.endpoint).await,
    );
    let part1 = src_proxy.hold_where(At::Answer, "the GET of part 1", 1, |r| {
        r.operation() == "GetObject" && r.header("range").is_some_and(|h| h.starts_with("bytes=0-"))
    });
    let part2 = dst_proxy.hold_where(At::Answer, "UploadPart of part 2", 1, |r| {
        r.operation() == "UploadPart" && r.query("partNumber").as_deref() == Some("2")
    });
    let (src, dst) = (
        s3(SRC_BUCKET, &format!("{p}src/a")),
        s3(DST_BUCKET, &format!("{p}one")),
    );
    let mut args = vec![
        "--source-endpoint-url",
        src_proxy.endpoint.as_str(),
        "--json",
    ];
    args.extend(PARTS);
    args.extend(["--concurrency", "2", src.as_str(), dst.as_str()]);
    let mut child = g.via(&dst_proxy).spawn(&args);
    child.before_exit(part1.arrived()).await;
    child.before_exit(part2.arrived()).await;
    part2.release();
    part1.release();
    let v = child.wait().await.json_ok();
    assert_eq!(v["parts"], 3, "{v}");
    assert_eq!(v["verified"], true, "{v}");
    assert_eq!(v["verified_by"], "etag", "{v}");
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}one")).await == data[0]);

    let (src, dst) = (
        s3(SRC_BUCKET, &format!("{p}src/")),
        s3(DST_BUCKET, &format!("{p}all/")),
    );
    let mut args = vec!["-r", "--json"];
    args.extend(PARTS);
    args.extend(["--concurrency", "2", src.as_str(), dst.as_str()]);
    let r = across(&g, &g.endpoint, &m.endpoint, &args).await;
    assert_eq!(r.code, 0, "{r}");
    let (lines, summary) = bulk_lines(&r);
    assert_eq!(summary["verified"], 3, "{summary}");
    for (name, bytes) in ["a", "b", "c"].iter().zip(&data) {
        assert_eq!(line_for(&lines, &format!("/{name}"))["verified_by"], "etag");
        let got = get_bytes(&m.client(), DST_BUCKET, &format!("{p}all/{name}")).await;
        assert!(got == *bytes, "{name} differs");
    }
}

/// stdout as JSON Lines: the copy lines, and the summary (the last line).
fn bulk_lines(r: &Run) -> (Vec<Value>, Value) {
    let mut lines = r.json_lines();
    let summary = lines.pop().unwrap_or_else(|| panic!("no summary:\n{r}"));
    assert_eq!(summary["type"], "summary", "{r}");
    (lines, summary)
}

/// The copy line whose destination ends with `suffix`.
fn line_for<'a>(lines: &'a [Value], suffix: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["dst"].as_str().is_some_and(|d| d.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no line for {suffix}: {lines:#?}"))
}

/// `-r --no-overwrite`, streamed, where some destinations exist: those
/// are skipped as existing (moto answers the PutObject, or the Complete,
/// 412), the rest copied, exit 0. (A PutObject's 412 failed the run,
/// exit 1.) The same through `--from-file`.
#[tokio::test]
async fn no_overwrite_when_streaming_in_bulk_skips_what_exists() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-no-overwrite-bulk");
    for (name, size) in [("small", 1000), ("new", 2000), ("big", 11 * MIB)] {
        put(
            &g.client(),
            SRC_BUCKET,
            &format!("{p}src/{name}"),
            random_bytes(size as usize),
        )
        .await;
    }
    for how in ["-r", "--from-file"] {
        let dst_prefix = format!("{p}{how}/");
        for name in ["small", "big"] {
            let key = format!("{dst_prefix}{name}");
            put(&m.client(), DST_BUCKET, &key, b"keep me".to_vec()).await;
        }
        let proxy = Proxy::start(&m.endpoint).await;
        let mut args = vec!["--json", "--no-overwrite"];
        args.extend(PARTS);
        let (src, dst) = (
            s3(SRC_BUCKET, &format!("{p}src/")),
            s3(DST_BUCKET, &dst_prefix),
        );
        let manifest: String = ["small", "new", "big"]
            .iter()
            .map(|n| format!("{src}{n} {dst}{n}\n"))
            .collect();
        let r = match how {
            "-r" => {
                args.extend(["-r", src.as_str(), dst.as_str()]);
                across(&g, &g.endpoint, &proxy.endpoint, &args).await
            }
            _ => {
                args.extend(["--from-file", "-"]);
                let all = [&["--source-endpoint-url", g.endpoint.as_str()][..], &args].concat();
                g.via(&proxy).s3cp_stdin(&all, &manifest).await
            }
        };
        assert_eq!(r.code, 0, "{how}: {r}");
        let (lines, summary) = bulk_lines(&r);
        assert_eq!(
            (summary["copied"].as_u64(), summary["skipped"].as_u64()),
            (Some(1), Some(2)),
            "{how}: {summary}"
        );
        for name in ["small", "big"] {
            let l = line_for(&lines, &format!("/{name}"));
            assert_eq!(l["status"], "skipped", "{how}: {l}");
            assert_eq!(l["skip_reason"], "exists", "{how}: {l}");
            let key = format!("{dst_prefix}{name}");
            assert_eq!(get_bytes(&m.client(), DST_BUCKET, &key).await, b"keep me");
        }
        assert_eq!(
            line_for(&lines, "/new")["status"],
            "copied",
            "{how}: {lines:#?}"
        );
        assert_eq!(
            line_for(&lines, "/new")["method"],
            "stream",
            "{how}: {lines:#?}"
        );
        // The small ones were refused on their PutObject, the big one on
        // its Complete, each carrying If-None-Match: *.
        let puts = proxy.of("PutObject");
        assert_eq!(puts.len(), 2, "{how}");
        assert!(puts.iter().all(|w| w.header("if-none-match") == Some("*")));
        assert_eq!(proxy.of("CompleteMultipartUpload").len(), 1, "{how}");
    }
    assert!(uploads(&m.client(), DST_BUCKET, &p).await.is_empty());
}

/// The proxy answers a conditional PutObject as S3 would once the first
/// has written the destination: the first is forwarded and its answer
/// lost (reset mid-response: the server wrote it), every later one gets
/// 412 PreconditionFailed without being forwarded.
fn lost_put_rules(proxy: &Proxy) {
    proxy.inject(
        1,
        vec![
            Rule {
                operation: Some("PutObject"),
                when: When::First(1),
                faults: vec![Fault::ResetMidResponse],
            },
            Rule {
                operation: Some("PutObject"),
                when: When::EveryNth(1),
                faults: vec![Fault::PreconditionFailed],
            },
        ],
    );
}

/// `--no-overwrite`, streamed: a PutObject whose answer was lost is sent
/// again by the SDK and meets s3cp's own first write (412); a HEAD shows
/// the object is s3cp's (its size, the MD5 of the bytes sent, written
/// since the copy began), so it is `copied`, exit 0, and proved, one
/// object or in a bulk run. (It failed, exit 1.)
#[tokio::test]
async fn no_overwrite_recognises_its_own_streamed_write_after_a_lost_answer() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-own-put");
    let data = random_bytes(100_000);
    put(&g.client(), SRC_BUCKET, &format!("{p}src/a"), data.clone()).await;

    let proxy = Proxy::start(&m.endpoint).await;
    lost_put_rules(&proxy);
    let src = s3(SRC_BUCKET, &format!("{p}src/a"));
    let dst = s3(DST_BUCKET, &format!("{p}one"));
    let args = ["--json", "--no-overwrite", src.as_str(), dst.as_str()];
    let v = across(&g, &g.endpoint, &proxy.endpoint, &args)
        .await
        .json_ok();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["verified"], true, "{v}");
    let puts = proxy.of("PutObject");
    assert_eq!(puts.len(), 2, "the SDK sent it again");
    assert!(puts.iter().all(|w| w.header("if-none-match") == Some("*")));
    assert_eq!(
        proxy.injected(),
        [Fault::ResetMidResponse, Fault::PreconditionFailed]
    );
    assert!(
        proxy
            .of("HeadObject")
            .iter()
            .any(|h| h.is_for(DST_BUCKET, &format!("{p}one"))),
        "the destination was not checked"
    );
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}one")).await == data);

    // A bulk run.
    let proxy = Proxy::start(&m.endpoint).await;
    lost_put_rules(&proxy);
    let (src, dst) = (
        s3(SRC_BUCKET, &format!("{p}src/")),
        s3(DST_BUCKET, &format!("{p}many/")),
    );
    let args = ["-r", "--json", "--no-overwrite", src.as_str(), dst.as_str()];
    let r = across(&g, &g.endpoint, &proxy.endpoint, &args).await;
    assert_eq!(r.code, 0, "{r}");
    let (lines, summary) = bulk_lines(&r);
    assert_eq!(
        (summary["copied"].as_u64(), summary["skipped"].as_u64()),
        (Some(1), Some(0)),
        "{r}"
    );
    assert_eq!(lines[0]["status"], "copied", "{r}");
    assert_eq!(proxy.of("PutObject").len(), 2, "the SDK sent it again");
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}many/a")).await == data);
}

/// `--if-match E`, streamed: the PutObject's answer is lost and the resend
/// gets 412 (the destination is no longer E: it is s3cp's own write),
/// recognised as such: `copied`. A 412 that is not s3cp's write (the
/// destination changed: no resend) stays a failure, exit 1, naming
/// `--if-match`.
#[tokio::test]
async fn if_match_recognises_its_own_streamed_write_and_refuses_a_changed_destination() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-if-match");
    let data = random_bytes(100_000);
    put(&g.client(), SRC_BUCKET, &format!("{p}src"), data.clone()).await;
    let dst_key = format!("{p}dst");
    put(&m.client(), DST_BUCKET, &dst_key, b"old version".to_vec()).await;
    let old_etag = m
        .client()
        .head_object()
        .bucket(DST_BUCKET)
        .key(&dst_key)
        .send()
        .await
        .expect("head the destination")
        .e_tag()
        .expect("an ETag")
        .to_owned();
    let (src, dst) = (s3(SRC_BUCKET, &format!("{p}src")), s3(DST_BUCKET, &dst_key));
    let args = [
        "--json",
        "--if-match",
        old_etag.as_str(),
        src.as_str(),
        dst.as_str(),
    ];

    let proxy = Proxy::start(&m.endpoint).await;
    lost_put_rules(&proxy);
    let v = across(&g, &g.endpoint, &proxy.endpoint, &args)
        .await
        .json_ok();
    assert_eq!(v["status"], "copied", "{v}");
    assert_eq!(v["method"], "stream", "{v}");
    let puts = proxy.of("PutObject");
    assert_eq!(puts.len(), 2, "the SDK sent it again");
    assert!(
        puts.iter()
            .all(|w| w.header("if-match") == Some(old_etag.as_str()))
    );
    assert!(get_bytes(&m.client(), DST_BUCKET, &dst_key).await == data);

    // The destination is no longer the old version (s3cp's copy replaced
    // it): moto refuses the one PutObject, 412, not sent again, so not
    // s3cp's own write.
    let proxy = Proxy::start(&m.endpoint).await;
    let r = across(&g, &g.endpoint, &proxy.endpoint, &args).await;
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(proxy.of("PutObject").len(), 1, "{r}");
    assert!(r.stderr.contains("--if-match"), "{r}");
    assert_eq!(r.json()["error"]["code"], "PreconditionFailed", "{r}");
}
