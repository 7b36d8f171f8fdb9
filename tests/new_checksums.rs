//! Issue 21: the five checksum algorithms S3 added in 2026 (MD5, SHA512,
//! XXHASH3, XXHASH64, XXHASH128) on every path: kept by one CopyObject,
//! reproduced by a multipart copy with the source's own parts, computed
//! and sent by a stream, asked for with `--checksum-algorithm`, read by
//! `--verify`, compared by `--skip-same`.
//!
//! Neither moto nor Garage knows them, so the proxy plays S3's part in
//! front of moto ([`support::proxy::sums`]): the values on the objects it
//! knows are computed from the bytes moto holds, and what s3cp sends
//! (UploadPart's and PutObject's values, Complete's part list) is checked
//! against the bytes as S3 checks it. The values the tests expect are
//! computed here with the hash crates directly, not with s3cp's code.

mod support;

use serde_json::Value;
use support::proxy::sums::{self, NEW};
use support::proxy::{Edit, Proxy};
use support::*;

const MIB: usize = 1024 * 1024;

/// Parts of 5 MiB above 5 MiB.
const MULTIPART: [&str; 4] = ["--multipart-threshold", "5MiB", "--part-size", "5MiB"];

/// A 12 MiB object cut in 5 MiB parts.
const SIZES: [u64; 3] = [5 * MIB as u64, 5 * MIB as u64, 2 * MIB as u64];

/// moto behind a proxy that plays S3's new checksums.
async fn setup() -> (Server, Proxy) {
    let m = moto().await;
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.play_new_checksums();
    (m, proxy)
}

/// A source put straight to moto, marked as carrying `alg` (full-object,
/// or composite over `parts`, put as those parts).
async fn source(m: &Server, proxy: &Proxy, key: &str, data: &[u8], alg: &str, parts: bool) {
    let client = bare_client(&m.client());
    let marked = if parts {
        let mut at = 0;
        let bodies = SIZES
            .iter()
            .map(|s| {
                let body = data[at..at + *s as usize].to_vec();
                at += *s as usize;
                body
            })
            .collect();
        put_multipart(&client, SRC_BUCKET, key, bodies, None).await;
        Some(SIZES.to_vec())
    } else {
        put(&client, SRC_BUCKET, key, data.to_vec()).await;
        None
    };
    proxy
        .play_new_checksums()
        .mark(SRC_BUCKET, key, alg, marked);
}

/// `s3cp --json ARGS SRC DST` through the proxy; the one copy line.
async fn copy(m: &Server, proxy: &Proxy, src: &str, dst: &str, args: &[&str]) -> (Run, Value) {
    let (src, dst) = (s3(SRC_BUCKET, src), s3(DST_BUCKET, dst));
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    all.extend([src.as_str(), dst.as_str()]);
    let run = m.via(proxy).s3cp(&all).await;
    let line = run.json_ok();
    (run, line)
}

/// The copy line's checksum is `alg` `kind` with `value`, and so is the
/// destination's as a HEAD (through the double) gives it.
async fn assert_checksum(
    m: &Server,
    proxy: &Proxy,
    line: &Value,
    dst: &str,
    alg: &str,
    kind: &str,
    value: &str,
) {
    let want = serde_json::json!({"algorithm": alg, "type": kind, "value": value});
    assert_eq!(line["checksum"], want, "{line}");
    let head = head_checksums(&m.via(proxy).client(), DST_BUCKET, dst).await;
    let got = match alg {
        "MD5" => head.checksum_md5(),
        "SHA512" => head.checksum_sha512(),
        "XXHASH3" => head.checksum_xxhash3(),
        "XXHASH64" => head.checksum_xxhash64(),
        "XXHASH128" => head.checksum_xxhash128(),
        _ => unreachable!(),
    };
    assert_eq!(got, Some(value), "the destination's {alg}: {head:?}");
    assert_eq!(
        get_bytes(&m.client(), DST_BUCKET, dst).await.len(),
        line["size"].as_u64().unwrap() as usize
    );
}

fn assert_verified(line: &Value, by: &str) {
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(line["verified_by"], by, "{line}");
}

/// One CopyObject keeps the source's checksum in each new algorithm, and
/// is proved by it.
#[tokio::test]
async fn one_copy_object_keeps_each_new_algorithm_and_is_proved_by_it() {
    let (m, proxy) = setup().await;
    let p = unique("new-sums-single");
    let data = random_bytes(MIB + 17);
    for alg in NEW {
        let key = format!("{p}{alg}");
        source(&m, &proxy, &key, &data, alg, false).await;
        let (_, line) = copy(&m, &proxy, &key, &key, &[]).await;
        assert_eq!(line["method"], "single", "{line}");
        let value = sums::full(alg, &data);
        assert_checksum(&m, &proxy, &line, &key, alg, "FULL_OBJECT", &value).await;
        assert_verified(&line, "checksum");
    }
}

/// A composite source copied with its own parts: the destination's
/// composite is the source's, and proves the copy; Complete listed every
/// part's value (the double refuses a Complete without them).
#[tokio::test]
async fn a_multipart_copy_with_the_source_parts_reproduces_each_composite() {
    let (m, proxy) = setup().await;
    let p = unique("new-sums-parts");
    let data = random_bytes(12 * MIB);
    for alg in NEW {
        let key = format!("{p}{alg}");
        source(&m, &proxy, &key, &data, alg, true).await;
        let args = ["--multipart-threshold", "5MiB", "--part-size", "source"];
        let (_, line) = copy(&m, &proxy, &key, &key, &args).await;
        assert_eq!(
            (&line["method"], &line["parts"]),
            (&"multipart".into(), &3.into()),
            "{line}"
        );
        let value = sums::composite(alg, &data, &SIZES);
        assert_checksum(&m, &proxy, &line, &key, alg, "COMPOSITE", &value).await;
        assert_verified(&line, "checksum");
        let create = proxy
            .requests()
            .into_iter()
            .find(|r| r.operation() == "CreateMultipartUpload" && r.is_for(DST_BUCKET, &key))
            .expect("a CreateMultipartUpload");
        assert_eq!(create.header("x-amz-checksum-algorithm"), Some(alg));
        assert_eq!(create.header("x-amz-checksum-type"), None);
    }
}

/// A single-part source above the threshold: the destination gets the
/// algorithm's composite of the copy's parts, which does not compare with
/// the source's full-object value (verified: null, with why), unless
/// --verify reads the source and computes that composite.
#[tokio::test]
async fn a_single_part_source_copied_in_parts_gets_the_composite_and_verify_reads_it() {
    let (m, proxy) = setup().await;
    let p = unique("new-sums-multi");
    let data = random_bytes(12 * MIB);
    for alg in NEW {
        let key = format!("{p}{alg}");
        source(&m, &proxy, &key, &data, alg, false).await;
        let value = sums::composite(alg, &data, &SIZES);
        let (_, line) = copy(&m, &proxy, &key, &key, &MULTIPART).await;
        assert_eq!(line["method"], "multipart", "{line}");
        assert_checksum(&m, &proxy, &line, &key, alg, "COMPOSITE", &value).await;
        assert!(line["verified"].is_null(), "{line}");
        let why = line["unverified_reason"].as_str().unwrap_or_default();
        assert!(
            why.contains("not comparable") && why.contains(alg),
            "{line}"
        );

        let mut args = vec!["--verify"];
        args.extend(MULTIPART);
        let verified = format!("{key}-verified");
        let (_, line) = copy(&m, &proxy, &key, &verified, &args).await;
        assert_checksum(&m, &proxy, &line, &verified, alg, "COMPOSITE", &value).await;
        assert_verified(&line, "read");
    }
}

/// A stream computes each new algorithm itself and sends it: a single
/// PutObject carries the source's full-object value (checked by the
/// double) and is proved by the source's; parts carry theirs, the
/// destination has their composite, proved with the source's MD5 ETag.
#[tokio::test]
async fn a_stream_computes_and_sends_each_new_algorithm() {
    let (m, proxy) = setup().await;
    let p = unique("new-sums-stream");
    let data = random_bytes(12 * MIB);
    for alg in NEW {
        let key = format!("{p}{alg}");
        source(&m, &proxy, &key, &data, alg, false).await;
        let single = format!("{key}-single");
        let args = ["--copy-mode", "stream", "--multipart-threshold", "64MiB"];
        let (_, line) = copy(&m, &proxy, &key, &single, &args).await;
        assert_eq!(
            (&line["method"], &line["parts"]),
            (&"stream".into(), &0.into()),
            "{line}"
        );
        let value = sums::full(alg, &data);
        assert_checksum(&m, &proxy, &line, &single, alg, "FULL_OBJECT", &value).await;
        assert_verified(&line, "checksum");
        let put = proxy
            .requests()
            .into_iter()
            .find(|r| r.operation() == "PutObject" && r.is_for(DST_BUCKET, &single))
            .expect("a PutObject");
        assert_eq!(put.header(&sums::header_name(alg)), Some(value.as_str()));
        // The SDK added no checksum of its own.
        let others: Vec<_> = put
            .headers
            .keys()
            .filter(|h| h.starts_with("x-amz-checksum-") && **h != sums::header_name(alg))
            .collect();
        assert!(others.is_empty(), "{others:?}");

        let parts = format!("{key}-parts");
        let mut args = vec!["--copy-mode", "stream"];
        args.extend(MULTIPART);
        let (_, line) = copy(&m, &proxy, &key, &parts, &args).await;
        assert_eq!(
            (&line["method"], &line["parts"]),
            (&"stream".into(), &3.into()),
            "{line}"
        );
        let value = sums::composite(alg, &data, &SIZES);
        assert_checksum(&m, &proxy, &line, &parts, alg, "COMPOSITE", &value).await;
        assert_verified(&line, "etag");
    }
}

/// `--checksum-algorithm XXHASH128` on each path, for a source without a
/// checksum: one CopyObject and one PutObject get its full-object value,
/// a multipart copy and a streamed one its composite.
#[tokio::test]
async fn checksum_algorithm_xxhash128_on_each_path() {
    let (m, proxy) = setup().await;
    let p = unique("new-sums-xxh128");
    let data = random_bytes(12 * MIB);
    let key = format!("{p}src");
    put(&bare_client(&m.client()), SRC_BUCKET, &key, data.clone()).await;
    let full = sums::full("XXHASH128", &data);
    let composite = sums::composite("XXHASH128", &data, &SIZES);
    let ask = ["--checksum-algorithm", "XXHASH128"];
    let paths: [(&str, &[&str], &str, &str); 4] = [
        (
            "single",
            &["--multipart-threshold", "64MiB"],
            "FULL_OBJECT",
            &full,
        ),
        ("multipart", &MULTIPART, "COMPOSITE", &composite),
        (
            "stream-single",
            &["--copy-mode", "stream", "--multipart-threshold", "64MiB"],
            "FULL_OBJECT",
            &full,
        ),
        (
            "stream-multipart",
            &[
                "--copy-mode",
                "stream",
                "--multipart-threshold",
                "5MiB",
                "--part-size",
                "5MiB",
            ],
            "COMPOSITE",
            &composite,
        ),
    ];
    for (name, args, kind, value) in paths {
        let dst = format!("{p}{name}");
        let mut all = ask.to_vec();
        all.extend_from_slice(args);
        let (_, line) = copy(&m, &proxy, &key, &dst, &all).await;
        assert_checksum(&m, &proxy, &line, &dst, "XXHASH128", kind, value).await;
    }
}

/// `--skip-same` compares SHA512 where the ETags cannot tell (the
/// destination's is a multipart one, as the proxy gives it): the same
/// value skips the copy, another copies it.
#[tokio::test]
async fn skip_same_recognises_a_same_object_by_sha512() {
    let (m, proxy) = setup().await;
    let p = unique("new-sums-skip");
    let data = random_bytes(MIB);
    let (same, other) = (format!("{p}same"), format!("{p}other"));
    source(&m, &proxy, &same, &data, "SHA512", false).await;
    source(&m, &proxy, &other, &data, "SHA512", false).await;
    let client = bare_client(&m.client());
    put(&client, DST_BUCKET, &same, data.clone()).await;
    let mut changed = data.clone();
    changed[7] ^= 1;
    put(&client, DST_BUCKET, &other, changed).await;
    let sums = proxy.play_new_checksums();
    sums.mark(DST_BUCKET, &same, "SHA512", None);
    sums.mark(DST_BUCKET, &other, "SHA512", None);
    for key in [&same, &other] {
        let key = key.clone();
        proxy.rewrite_answer(
            "HeadObject",
            move |r| r.is_for(DST_BUCKET, &key),
            Edit::header("ETag", "\"0123456789abcdef0123456789abcdef-2\""),
        );
    }
    let (_, line) = copy(&m, &proxy, &same, &same, &["--skip-same", "-v"]).await;
    assert_eq!(line["status"], "skipped", "{line}");
    assert_eq!(line["skip_reason"], "same", "{line}");
    let (run, line) = copy(&m, &proxy, &other, &other, &["--skip-same", "-v"]).await;
    assert_eq!(line["status"], "copied", "{line}");
    assert!(run.stderr.contains("SHA512 checksums differ"), "{run}");
    assert_eq!(get_bytes(&m.client(), DST_BUCKET, &other).await, data);
}

/// A composite source streamed into one PutObject: the write carries the
/// full-object value of its algorithm, which nothing from the source
/// compares with (its ETag is a multipart one), so --verify reads the
/// source and computes that full-object value (`verified_by: read`).
#[tokio::test]
async fn verify_reads_a_full_object_value_of_a_new_algorithm() {
    let (m, proxy) = setup().await;
    let p = unique("new-sums-verify-full");
    let data = random_bytes(12 * MIB);
    let key = format!("{p}src");
    source(&m, &proxy, &key, &data, "XXHASH3", true).await;
    let value = sums::full("XXHASH3", &data);
    let args = ["--copy-mode", "stream", "--multipart-threshold", "64MiB"];
    let (_, line) = copy(&m, &proxy, &key, &format!("{p}plain"), &args).await;
    assert_checksum(
        &m,
        &proxy,
        &line,
        &format!("{p}plain"),
        "XXHASH3",
        "FULL_OBJECT",
        &value,
    )
    .await;
    assert!(line["verified"].is_null(), "{line}");
    let mut args = args.to_vec();
    args.push("--verify");
    let (_, line) = copy(&m, &proxy, &key, &format!("{p}verified"), &args).await;
    assert_checksum(
        &m,
        &proxy,
        &line,
        &format!("{p}verified"),
        "XXHASH3",
        "FULL_OBJECT",
        &value,
    )
    .await;
    assert_verified(&line, "read");
}

/// `--verify --checksum-algorithm SHA512` of a source without a checksum
/// whose ETag proves nothing (a multipart upload): the read computes
/// SHA512 as the destination has it, full-object after one CopyObject,
/// the composite of the copy's parts after a multipart copy.
#[tokio::test]
async fn verify_computes_the_users_new_algorithm_on_both_paths() {
    let (m, proxy) = setup().await;
    let p = unique("new-sums-verify-users");
    let data = random_bytes(12 * MIB);
    let key = format!("{p}src");
    let mut at = 0;
    let bodies = SIZES
        .iter()
        .map(|s| {
            at += *s as usize;
            data[at - *s as usize..at].to_vec()
        })
        .collect();
    put_multipart(&bare_client(&m.client()), SRC_BUCKET, &key, bodies, None).await;
    let ask = ["--verify", "--checksum-algorithm", "SHA512"];
    let paths: [(&str, &[&str], &str, String); 2] = [
        (
            "single",
            &["--multipart-threshold", "64MiB"],
            "FULL_OBJECT",
            sums::full("SHA512", &data),
        ),
        (
            "multipart",
            &MULTIPART,
            "COMPOSITE",
            sums::composite("SHA512", &data, &SIZES),
        ),
    ];
    for (name, args, kind, value) in paths {
        let dst = format!("{p}{name}");
        let mut all = ask.to_vec();
        all.extend_from_slice(args);
        let (_, line) = copy(&m, &proxy, &key, &dst, &all).await;
        assert_checksum(&m, &proxy, &line, &dst, "SHA512", kind, &value).await;
        assert_verified(&line, "read");
    }
}
