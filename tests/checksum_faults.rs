//! Checksums under lying answers (issue 9), through the recording proxy: a
//! CopyObject, CompleteMultipartUpload or destination HEAD whose checksum
//! (or ETag) the proxy rewrites plays a corrupted copy, and s3cp must fail
//! it with `ChecksumMismatch` (exit 1, the destination left as S3 made it);
//! UploadPartCopy answers given part checksums (as AWS sends them for an
//! upload created with an algorithm) must be listed in the Complete;
//! `--verify` must catch a corrupted destination after reading the source;
//! a bulk run's listed sources must be settled by one HEAD of the source
//! when the ETags disagree; an ETag that SSE-KMS makes no MD5 must leave
//! the copy unverified (or, under `--verify`, be settled by a read); and a
//! copy onto itself under `--verify` must read its source before it is
//! replaced. The plain-server matrix (every algorithm, both paths, no
//! faults) is in `tests/checksums.rs`.

mod support;

use aws_sdk_s3::Client;
use aws_sdk_s3::types::ChecksumAlgorithm;
use serde_json::Value;
use support::proxy::{Edit, Proxy, Request};
use support::*;

/// Multipart above 5 MiB, in 5 MiB parts: an 11 MiB source is 3 parts.
const MULTIPART: [&str; 4] = ["--multipart-threshold", "5MiB", "--part-size", "5MiB"];
const PART: usize = 5 * MIB as usize;
const MULTIPART_SIZE: usize = 11 * MIB as usize;

/// An ETag no object here has.
const FAKE_ETAG: &str = "\"0123456789abcdef0123456789abcdef\"";

/// The CRCs the tests put sources with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Crc {
    Crc32,
    Crc64Nvme,
}

impl Crc {
    /// S3's name, as the JSON output gives it.
    fn name(self) -> &'static str {
        match self {
            Crc::Crc32 => "CRC32",
            Crc::Crc64Nvme => "CRC64NVME",
        }
    }

    fn sdk(self) -> ChecksumAlgorithm {
        match self {
            Crc::Crc32 => ChecksumAlgorithm::Crc32,
            Crc::Crc64Nvme => ChecksumAlgorithm::Crc64Nvme,
        }
    }

    /// The XML element of CopyObjectResult, CompleteMultipartUploadResult
    /// and CopyPartResult.
    fn element(self) -> String {
        format!("Checksum{}", self.name())
    }

    /// The header of a HEAD with checksum mode.
    fn header(self) -> String {
        format!("x-amz-checksum-{}", self.name().to_ascii_lowercase())
    }

    /// A well-formed value no object here has ("fake", "fakecrc6").
    fn fake(self) -> &'static str {
        match self {
            Crc::Crc32 => FAKE_CRC32,
            Crc::Crc64Nvme => FAKE_CRC64NVME,
        }
    }

    /// The value S3 gives `bytes` ([`s3_crc`]).
    fn of(self, bytes: &[u8]) -> String {
        s3_crc(&self.sdk(), bytes)
    }
}

/// Puts `data` at `key` in the source bucket with a `crc` checksum.
async fn put_checksummed(client: &Client, key: &str, data: Vec<u8>, crc: Crc) {
    put_source(client, key, data, Some(crc.sdk())).await;
}

/// Puts `data` at `key` in the source bucket with no checksum at all (the
/// SDK's default sends a CRC32, which both servers keep).
async fn put_bare(client: &Client, key: &str, data: Vec<u8>) {
    put_source(client, key, data, None).await;
    let head = head_checksums(client, SRC_BUCKET, key).await;
    assert!(
        head.checksum_crc32().is_none() && head.checksum_crc64_nvme().is_none(),
        "the source was meant to have no checksum: {head:?}"
    );
}

/// The object's `crc` checksum, as a HEAD with checksum mode gives it.
async fn stored(client: &Client, bucket: &str, key: &str, crc: Crc) -> Option<String> {
    let head = head_checksums(client, bucket, key).await;
    match crc {
        Crc::Crc32 => head.checksum_crc32().map(str::to_owned),
        Crc::Crc64Nvme => head.checksum_crc64_nvme().map(str::to_owned),
    }
}

/// The source's ETag, as a HEAD gives it.
async fn etag_of(client: &Client, bucket: &str, key: &str) -> String {
    let head = client
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap_or_else(|e| panic!("head s3://{bucket}/{key}: {e:?}"));
    head.e_tag().expect("an ETag").to_owned()
}

/// The recorded HEADs of `bucket/key`.
fn heads_of(proxy: &Proxy, bucket: &str, key: &str) -> Vec<Request> {
    proxy
        .of("HeadObject")
        .into_iter()
        .filter(|r| r.is_for(bucket, key))
        .collect()
}

/// Rewrites the answers of `operation` on the destination `dst` with `edit`.
fn rewrite_for(proxy: &Proxy, operation: &'static str, dst: &str, edit: Edit) {
    let target = dst.to_owned();
    proxy.rewrite_answer(operation, move |r| r.is_for(DST_BUCKET, &target), edit);
}

/// Rewrites the answer to a HEAD of `dst` with checksum mode (not any other
/// HEAD) with `edit`.
fn rewrite_destination_head(proxy: &Proxy, dst: &str, edit: Edit) {
    let target = dst.to_owned();
    proxy.rewrite_answer(
        "HeadObject",
        move |r| {
            r.is_for(DST_BUCKET, &target) && r.header("x-amz-checksum-mode") == Some("ENABLED")
        },
        edit,
    );
}

/// Asserts that `line` (a `--json` copy line) is the failure of the copy
/// to `dst` by `ChecksumMismatch`: the message names the destination and
/// both values (`what` is the algorithm or `ETag`), and `verified` is false.
fn assert_mismatch(line: &Value, dst: &str, what: &str, source: &str, destination: &str) {
    assert_eq!(line["type"], "copy", "{line}");
    assert_eq!(line["dst"], dst, "{line}");
    assert_eq!(line["status"], "failed", "{line}");
    assert_eq!(line["error"]["code"], "ChecksumMismatch", "{line}");
    assert_eq!(line["error"]["exit_code"], 1, "{line}");
    assert_eq!(line["verified"], false, "{line}");
    // The destination exists: its line says what S3 reported of it.
    if what == "ETag" {
        assert_eq!(
            unquote(line["etag"].as_str().unwrap_or("")),
            destination,
            "{line}"
        );
    } else {
        assert_eq!(line["checksum"]["algorithm"], what, "{line}");
        assert_eq!(line["checksum"]["value"], destination, "{line}");
    }
    let message = line["error"]["message"].as_str().expect("a message");
    let values = format!("its {what} is {destination}, the source's is {source}");
    assert!(
        message.contains(&format!("{dst} is not identical to")) && message.contains(&values),
        "the message should name {dst} and say {values:?}: {message}"
    );
    assert!(
        message.contains("left as S3 made it"),
        "the message should say the destination was left: {message}"
    );
}

/// The `--json` lines of a bulk run: the copy lines by destination, and
/// the summary.
fn bulk_lines(r: &Run) -> (Vec<Value>, Value) {
    let lines = r.json_lines();
    let (summary, copies) = lines
        .split_last()
        .unwrap_or_else(|| panic!("no output:\n{r}"));
    assert_eq!(summary["type"], "summary", "{r}");
    assert!(copies.iter().all(|l| l["type"] == "copy"), "{r}");
    (copies.to_vec(), summary.clone())
}

fn line_for<'a>(lines: &'a [Value], dst: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["dst"] == dst)
        .unwrap_or_else(|| panic!("no line for {dst} in {lines:#?}"))
}

/// The destination is there as S3 made it: the source's bytes and its
/// checksum, whatever the answer said.
async fn assert_left_as_made(client: &Client, src: &str, dst: &str, crc: Crc, real: &str) {
    assert_eq!(
        stored(client, DST_BUCKET, dst, crc).await.as_deref(),
        Some(real),
        "the destination's stored {} is the source's",
        crc.name()
    );
    assert_eq!(
        digest(client, SRC_BUCKET, src).await,
        digest(client, DST_BUCKET, dst).await,
        "the destination holds the source's bytes"
    );
}

// 1. One CopyObject whose answer carries a rewritten checksum.

async fn copy_object_checksum_rewritten(server: Server, crc: Crc) {
    let client = server.client();
    let p = unique("checksum-faults-single");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let data = random_bytes(256 * 1024);
    let real = crc.of(&data);
    put_checksummed(&client, &src, data, crc).await;
    assert_eq!(
        stored(&client, SRC_BUCKET, &src, crc).await.as_deref(),
        Some(real.as_str()),
        "the server's {} is the one computed here",
        crc.name()
    );
    let proxy = Proxy::start(&server.endpoint).await;
    rewrite_for(
        &proxy,
        "CopyObject",
        &dst,
        Edit::xml(&crc.element(), crc.fake()),
    );

    let r = server
        .via(&proxy)
        .s3cp(&["--json", &s3(SRC_BUCKET, &src), &s3(DST_BUCKET, &dst)])
        .await;

    let rewritten = proxy.rewritten();
    assert_eq!(rewritten.len(), 1, "{rewritten:#?}");
    assert_eq!(
        rewritten[0].was.as_deref(),
        Some(real.as_str()),
        "the server's answer carried the real checksum"
    );
    assert_eq!(r.code, 1, "{r}");
    assert_mismatch(
        &r.json(),
        &s3(DST_BUCKET, &dst),
        crc.name(),
        &real,
        crc.fake(),
    );
    // The source's HEAD asked for its checksum; the answer carried the
    // destination's, so the destination was not HEADed.
    let source_heads = heads_of(&proxy, SRC_BUCKET, &src);
    assert_eq!(source_heads.len(), 1, "{source_heads:#?}");
    assert_eq!(
        source_heads[0].header("x-amz-checksum-mode"),
        Some("ENABLED")
    );
    assert!(heads_of(&proxy, DST_BUCKET, &dst).is_empty());
    assert_left_as_made(&client, &src, &dst, crc, &real).await;
}

#[tokio::test]
async fn copy_object_answer_with_another_crc64nvme_is_a_mismatch_on_garage() {
    copy_object_checksum_rewritten(garage().await, Crc::Crc64Nvme).await;
}

#[tokio::test]
async fn copy_object_answer_with_another_crc32_is_a_mismatch_on_garage() {
    copy_object_checksum_rewritten(garage().await, Crc::Crc32).await;
}

#[tokio::test]
async fn copy_object_answer_with_another_crc64nvme_is_a_mismatch_on_moto() {
    copy_object_checksum_rewritten(moto().await, Crc::Crc64Nvme).await;
}

#[tokio::test]
async fn copy_object_answer_with_another_crc32_is_a_mismatch_on_moto() {
    copy_object_checksum_rewritten(moto().await, Crc::Crc32).await;
}

// 2. A multipart copy whose Complete answer, or destination HEAD, carries
//    a rewritten checksum.

/// Puts an 11 MiB source with `crc`; returns its bytes' checksum.
async fn multipart_source(client: &Client, src: &str, crc: Crc) -> (Vec<u8>, String) {
    let data = random_bytes(MULTIPART_SIZE);
    let real = crc.of(&data);
    put_checksummed(client, src, data.clone(), crc).await;
    assert_eq!(
        stored(client, SRC_BUCKET, src, crc).await.as_deref(),
        Some(real.as_str())
    );
    (data, real)
}

fn multipart_args<'a>(src: &'a str, dst: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--json"];
    args.extend_from_slice(&MULTIPART);
    args.extend_from_slice(extra);
    args.extend([src, dst]);
    args
}

/// The recorded CreateMultipartUpload asked for `crc`, FULL_OBJECT.
fn assert_created_with(proxy: &Proxy, crc: Crc) {
    let creates = proxy.of("CreateMultipartUpload");
    assert_eq!(creates.len(), 1, "{creates:#?}");
    assert_eq!(
        creates[0].header("x-amz-checksum-algorithm"),
        Some(crc.name()),
        "{:#?}",
        creates[0]
    );
    assert_eq!(
        creates[0].header("x-amz-checksum-type"),
        Some("FULL_OBJECT"),
        "{:#?}",
        creates[0]
    );
}

/// The Complete answer's checksum is rewritten: replaced on Garage, which
/// sends one; inserted on moto, which sends none (s3cp then takes the
/// answer's, and sends no HEAD of the destination).
async fn complete_checksum_rewritten(server: Server, crc: Crc) {
    let client = server.client();
    let p = unique("checksum-faults-complete");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let (_, real) = multipart_source(&client, &src, crc).await;
    let proxy = Proxy::start(&server.endpoint).await;
    rewrite_for(
        &proxy,
        "CompleteMultipartUpload",
        &dst,
        Edit::xml(&crc.element(), crc.fake()),
    );

    let (src_uri, dst_uri) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &dst));
    let r = server
        .via(&proxy)
        .s3cp(&multipart_args(&src_uri, &dst_uri, &[]))
        .await;

    let rewritten = proxy.rewritten();
    assert_eq!(rewritten.len(), 1, "{rewritten:#?}");
    let sent = match server.name {
        "moto" => None,
        _ => Some(real.clone()),
    };
    assert_eq!(rewritten[0].was, sent, "what {} sent", server.name);
    assert_eq!(r.code, 1, "{r}");
    assert_mismatch(&r.json(), &dst_uri, crc.name(), &real, crc.fake());
    assert_created_with(&proxy, crc);
    assert_eq!(proxy.of("UploadPartCopy").len(), 3);
    assert!(
        heads_of(&proxy, DST_BUCKET, &dst).is_empty(),
        "the Complete answer carried a checksum: no HEAD of the destination"
    );
    assert_eq!(
        proxy.of("AbortMultipartUpload").len(),
        0,
        "it was completed"
    );
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
    assert_left_as_made(&client, &src, &dst, crc, &real).await;
}

#[tokio::test]
async fn complete_answer_with_another_crc64nvme_is_a_mismatch_on_garage() {
    complete_checksum_rewritten(garage().await, Crc::Crc64Nvme).await;
}

#[tokio::test]
async fn complete_answer_with_an_inserted_crc32_is_a_mismatch_on_moto() {
    complete_checksum_rewritten(moto().await, Crc::Crc32).await;
}

/// The Complete answer carries no checksum (moto's never does; Garage's is
/// emptied), so s3cp HEADs the destination with checksum mode, and that
/// HEAD's checksum header is rewritten.
async fn destination_head_checksum_rewritten(server: Server, crc: Crc) {
    let client = server.client();
    let p = unique("checksum-faults-head");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let (_, real) = multipart_source(&client, &src, crc).await;
    let proxy = Proxy::start(&server.endpoint).await;
    if server.name == "garage" {
        rewrite_for(
            &proxy,
            "CompleteMultipartUpload",
            &dst,
            Edit::xml(&crc.element(), ""),
        );
    }
    rewrite_destination_head(&proxy, &dst, Edit::header(&crc.header(), crc.fake()));

    let (src_uri, dst_uri) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &dst));
    let r = server
        .via(&proxy)
        .s3cp(&multipart_args(&src_uri, &dst_uri, &[]))
        .await;

    assert_eq!(r.code, 1, "{r}");
    assert_mismatch(&r.json(), &dst_uri, crc.name(), &real, crc.fake());
    let heads = heads_of(&proxy, DST_BUCKET, &dst);
    assert_eq!(heads.len(), 1, "one HEAD of the destination: {heads:#?}");
    assert_eq!(heads[0].header("x-amz-checksum-mode"), Some("ENABLED"));
    let rewritten = proxy.rewritten();
    let head_rewrite: Vec<_> = rewritten
        .iter()
        .filter(|w| w.request.operation() == "HeadObject")
        .collect();
    assert_eq!(head_rewrite.len(), 1, "{rewritten:#?}");
    assert_eq!(
        head_rewrite[0].was.as_deref(),
        Some(real.as_str()),
        "the server's HEAD gave the real checksum"
    );
    assert_left_as_made(&client, &src, &dst, crc, &real).await;
}

#[tokio::test]
async fn destination_head_with_another_crc32_is_a_mismatch_on_moto() {
    destination_head_checksum_rewritten(moto().await, Crc::Crc32).await;
}

#[tokio::test]
async fn destination_head_with_another_crc64nvme_is_a_mismatch_on_moto() {
    destination_head_checksum_rewritten(moto().await, Crc::Crc64Nvme).await;
}

#[tokio::test]
async fn destination_head_with_another_crc64nvme_is_a_mismatch_on_garage() {
    destination_head_checksum_rewritten(garage().await, Crc::Crc64Nvme).await;
}

// 3. UploadPartCopy answers that carry part checksums.

/// The proxy gives each UploadPartCopy answer its part's real CRC32 (as
/// AWS does for an upload created with an algorithm; neither server does):
/// the Complete must list every one, with its part number.
async fn part_checksums_reach_the_complete(server: Server) {
    let client = server.client();
    let p = unique("checksum-faults-parts");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let (data, real) = multipart_source(&client, &src, Crc::Crc32).await;
    let parts: Vec<String> = data.chunks(PART).map(|c| Crc::Crc32.of(c)).collect();
    assert_eq!(parts.len(), 3);
    let proxy = Proxy::start(&server.endpoint).await;
    for (n, crc) in parts.iter().enumerate() {
        let (number, target) = ((n + 1).to_string(), dst.clone());
        proxy.rewrite_answer(
            "UploadPartCopy",
            move |r| {
                r.is_for(DST_BUCKET, &target) && r.query("partNumber").as_deref() == Some(&number)
            },
            Edit::xml("ChecksumCRC32", crc),
        );
    }

    let (src_uri, dst_uri) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &dst));
    let r = server
        .via(&proxy)
        .s3cp(&multipart_args(&src_uri, &dst_uri, &[]))
        .await;

    let line = r.json_ok();
    assert_eq!(line["method"], "multipart", "{line}");
    assert_eq!(line["parts"], 3, "{line}");
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(line["verified_by"], "checksum", "{line}");
    assert_eq!(line["checksum"]["algorithm"], "CRC32", "{line}");
    assert_eq!(line["checksum"]["type"], "FULL_OBJECT", "{line}");
    assert_eq!(line["checksum"]["value"], real.as_str(), "{line}");
    // The parts were the 5 MiB ranges the part CRCs were computed for.
    let mut copies = proxy.of("UploadPartCopy");
    copies.sort_by_key(|r| r.query("partNumber").and_then(|n| n.parse::<u32>().ok()));
    let ranges: Vec<_> = copies
        .iter()
        .map(|r| r.header("x-amz-copy-source-range").map(str::to_owned))
        .collect();
    let want: Vec<_> = (0..3)
        .map(|n| {
            let end = ((n + 1) * PART).min(MULTIPART_SIZE) - 1;
            Some(format!("bytes={}-{end}", n * PART))
        })
        .collect();
    assert_eq!(ranges, want);
    let rewritten = proxy.rewritten();
    assert_eq!(rewritten.len(), 3, "{rewritten:#?}");
    assert!(
        rewritten.iter().all(|w| w.was.is_none()),
        "the server sent no part checksum: {rewritten:#?}"
    );
    // The Complete lists each part with its checksum.
    let completes = proxy.of("CompleteMultipartUpload");
    assert_eq!(completes.len(), 1);
    let body = completes[0]
        .body_text()
        .expect("the Complete's body is recorded");
    let listed: Vec<(String, String)> = body
        .split("<Part>")
        .skip(1)
        .map(|part| {
            let text = |name: &str| {
                let open = format!("<{name}>");
                let start = part.find(&open).map(|i| i + open.len());
                let end = part.find(&format!("</{name}>"));
                match (start, end) {
                    (Some(s), Some(e)) => part[s..e].to_owned(),
                    _ => panic!("no <{name}> in a part of the Complete: {body}"),
                }
            };
            (text("PartNumber"), text("ChecksumCRC32"))
        })
        .collect();
    let want: Vec<(String, String)> = parts
        .iter()
        .enumerate()
        .map(|(n, crc)| ((n + 1).to_string(), crc.clone()))
        .collect();
    assert_eq!(listed, want, "{body}");
    // The upload was created for the source's CRC32, FULL_OBJECT; the
    // source's HEAD asked for its checksum.
    assert_created_with(&proxy, Crc::Crc32);
    let source_heads = heads_of(&proxy, SRC_BUCKET, &src);
    assert_eq!(source_heads.len(), 1, "{source_heads:#?}");
    assert_eq!(
        source_heads[0].header("x-amz-checksum-mode"),
        Some("ENABLED")
    );
    assert_left_as_made(&client, &src, &dst, Crc::Crc32, &real).await;
}

#[tokio::test]
async fn part_checksums_from_upload_part_copy_are_listed_in_the_complete_on_garage() {
    part_checksums_reach_the_complete(garage().await).await;
}

#[tokio::test]
async fn part_checksums_from_upload_part_copy_are_listed_in_the_complete_on_moto() {
    part_checksums_reach_the_complete(moto().await).await;
}

// 4. --verify on a corrupted destination.

/// A multipart copy of a source without a checksum under `--verify`: s3cp
/// asks S3 for a CRC64NVME of the destination and reads the source; the
/// destination's checksum is rewritten (Garage's Complete answer; moto's
/// destination HEAD, as its Complete answer carries none), so the read
/// finds the difference.
async fn verify_finds_a_corrupted_destination(server: Server) {
    let client = server.client();
    let p = unique("checksum-faults-verify");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let data = random_bytes(MULTIPART_SIZE);
    let real = Crc::Crc64Nvme.of(&data);
    put_bare(&client, &src, data).await;
    let etag = etag_of(&client, SRC_BUCKET, &src).await;
    let proxy = Proxy::start(&server.endpoint).await;
    let fake = Edit::xml("ChecksumCRC64NVME", Crc::Crc64Nvme.fake());
    match server.name {
        "garage" => rewrite_for(&proxy, "CompleteMultipartUpload", &dst, fake),
        _ => rewrite_destination_head(
            &proxy,
            &dst,
            Edit::header("x-amz-checksum-crc64nvme", Crc::Crc64Nvme.fake()),
        ),
    }

    let (src_uri, dst_uri) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &dst));
    let r = server
        .via(&proxy)
        .s3cp(&multipart_args(&src_uri, &dst_uri, &["--verify"]))
        .await;

    assert_eq!(r.code, 1, "{r}");
    assert_mismatch(
        &r.json(),
        &dst_uri,
        "CRC64NVME",
        &real,
        Crc::Crc64Nvme.fake(),
    );
    let rewritten = proxy.rewritten();
    assert_eq!(rewritten.len(), 1, "{rewritten:#?}");
    // S3 was asked for a CRC64NVME of the whole destination.
    assert_created_with(&proxy, Crc::Crc64Nvme);
    // The source was read, each range pinned to the HEADed ETag.
    let gets = gets_of(&proxy, &src);
    assert!(!gets.is_empty(), "the source was not read");
    assert!(
        gets.iter()
            .all(|g| g.header("if-match") == Some(etag.as_str())),
        "every read is pinned to {etag}: {gets:#?}"
    );
    assert_left_as_made(&client, &src, &dst, Crc::Crc64Nvme, &real).await;
}

#[tokio::test]
async fn verify_reads_the_source_and_finds_a_rewritten_complete_checksum_on_garage() {
    verify_finds_a_corrupted_destination(garage().await).await;
}

#[tokio::test]
async fn verify_reads_the_source_and_finds_a_rewritten_head_checksum_on_moto() {
    verify_finds_a_corrupted_destination(moto().await).await;
}

/// `--verify` where the destination store reports no checksum (the
/// Complete answer's emptied on Garage, and the destination HEAD's
/// emptied on both): nothing proves the copy, which fails `NotVerified`.
async fn verify_without_a_destination_checksum(server: Server) {
    let client = server.client();
    let p = unique("checksum-faults-noverify");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    put_bare(&client, &src, random_bytes(MULTIPART_SIZE)).await;
    let proxy = Proxy::start(&server.endpoint).await;
    if server.name == "garage" {
        rewrite_for(
            &proxy,
            "CompleteMultipartUpload",
            &dst,
            Edit::xml("ChecksumCRC64NVME", ""),
        );
    }
    rewrite_destination_head(&proxy, &dst, Edit::header("x-amz-checksum-crc64nvme", ""));

    let (src_uri, dst_uri) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &dst));
    let r = server
        .via(&proxy)
        .s3cp(&multipart_args(&src_uri, &dst_uri, &["--verify"]))
        .await;

    assert_eq!(r.code, 1, "{r}");
    let line = r.json();
    assert_eq!(line["status"], "failed", "{line}");
    assert_eq!(line["error"]["code"], "NotVerified", "{line}");
    assert_eq!(line["verified"], false, "{line}");
    let message = line["error"]["message"].as_str().expect("a message");
    assert!(
        message.contains(&format!("{dst_uri} could not be proved identical"))
            && message.contains("the destination has no CRC64NVME checksum"),
        "{message}"
    );
    let heads = heads_of(&proxy, DST_BUCKET, &dst);
    assert_eq!(heads.len(), 1, "{heads:#?}");
    assert_eq!(heads[0].header("x-amz-checksum-mode"), Some("ENABLED"));
    assert!(
        exists(&client, DST_BUCKET, &dst).await,
        "left as S3 made it"
    );
}

#[tokio::test]
async fn verify_fails_not_verified_when_the_destination_reports_no_checksum_on_garage() {
    verify_without_a_destination_checksum(garage().await).await;
}

#[tokio::test]
async fn verify_fails_not_verified_when_the_destination_reports_no_checksum_on_moto() {
    verify_without_a_destination_checksum(moto().await).await;
}

// 5 and 6. Bulk runs: listed sources, proved by their listed ETag, settled
// by one HEAD of the source when it does not match.

/// Puts `count` small objects `{p}src/{i}` (with the SDK's default CRC32
/// unless `bare`); returns their keys.
async fn small_sources(client: &Client, p: &str, count: usize, bare: bool) -> Vec<String> {
    let mut keys = Vec::new();
    for i in 0..count {
        let key = format!("{p}src/{i}");
        let data = random_bytes(16 * 1024 + i);
        if bare {
            put_bare(client, &key, data).await;
        } else {
            put(client, SRC_BUCKET, &key, data).await;
        }
        keys.push(key);
    }
    keys
}

async fn bulk(server: &Server, proxy: &Proxy, p: &str) -> Run {
    server
        .via(proxy)
        .s3cp(&[
            "-r",
            "--json",
            &s3(SRC_BUCKET, &format!("{p}src/")),
            &s3(DST_BUCKET, &format!("{p}dst/")),
        ])
        .await
}

/// Five small objects; one CopyObject answer has both its ETag and its
/// checksum rewritten. Its listed ETag no longer proves it, so s3cp HEADs
/// the source (If-Match the listed ETag), finds its CRC32, and the
/// destination's differs: that copy fails, the others are proved by their
/// listed ETags.
#[tokio::test]
async fn bulk_copy_with_one_corrupted_answer_fails_that_object_only() {
    let g = garage().await;
    let client = g.client();
    let p = unique("checksum-faults-bulk");
    let keys = small_sources(&client, &p, 5, false).await;
    let bad = format!("{p}dst/2");
    let bad_src = &keys[2];
    let real = stored(&client, SRC_BUCKET, bad_src, Crc::Crc32)
        .await
        .expect("the SDK put a CRC32");
    let listed = etag_of(&client, SRC_BUCKET, bad_src).await;
    let proxy = Proxy::start(&g.endpoint).await;
    rewrite_for(&proxy, "CopyObject", &bad, Edit::xml("ETag", FAKE_ETAG));
    rewrite_for(
        &proxy,
        "CopyObject",
        &bad,
        Edit::xml("ChecksumCRC32", Crc::Crc32.fake()),
    );

    let r = bulk(&g, &proxy, &p).await;

    assert_eq!(r.code, 1, "{r}");
    let (lines, summary) = bulk_lines(&r);
    assert_eq!(lines.len(), 5, "{r}");
    assert_mismatch(
        line_for(&lines, &s3(DST_BUCKET, &bad)),
        &s3(DST_BUCKET, &bad),
        "CRC32",
        &real,
        Crc::Crc32.fake(),
    );
    for i in [0, 1, 3, 4] {
        let line = line_for(&lines, &s3(DST_BUCKET, &format!("{p}dst/{i}")));
        assert_eq!(line["status"], "copied", "{line}");
        assert_eq!(line["verified"], true, "{line}");
        assert_eq!(line["verified_by"], "etag", "{line}");
    }
    assert_eq!(summary["copied"], 4, "{summary}");
    assert_eq!(summary["failed"], 1, "{summary}");
    assert_eq!(summary["verified"], 4, "{summary}");
    assert_eq!(summary["unverified"], 0, "{summary}");
    // One HEAD, of the corrupted copy's source, pinned to its listed ETag;
    // the answer carried the destination's checksum: no HEAD of it.
    let heads = proxy.of("HeadObject");
    assert_eq!(heads.len(), 1, "{heads:#?}");
    assert!(heads[0].is_for(SRC_BUCKET, bad_src), "{heads:#?}");
    assert_eq!(heads[0].header("if-match"), Some(listed.as_str()));
    assert_eq!(heads[0].header("x-amz-checksum-mode"), Some("ENABLED"));
    for (i, key) in keys.iter().enumerate() {
        let dst = format!("{p}dst/{i}");
        assert_eq!(
            digest(&client, SRC_BUCKET, key).await,
            digest(&client, DST_BUCKET, &dst).await,
            "{dst} is there, as S3 made it"
        );
    }
}

/// A listed source whose CopyObject answer has another ETag (its checksum
/// untouched): the listed ETag does not prove it, so s3cp sends one HEAD
/// of the source with If-Match the listed ETag, which gives its CRC32;
/// the destination's (in the answer) equals it: verified by checksum.
#[tokio::test]
async fn bulk_copy_whose_etag_differs_is_settled_by_the_source_checksum() {
    let g = garage().await;
    let client = g.client();
    let p = unique("checksum-faults-listed");
    let keys = small_sources(&client, &p, 1, false).await;
    let real = stored(&client, SRC_BUCKET, &keys[0], Crc::Crc32)
        .await
        .expect("the SDK put a CRC32");
    let listed = etag_of(&client, SRC_BUCKET, &keys[0]).await;
    let dst = format!("{p}dst/0");
    let proxy = Proxy::start(&g.endpoint).await;
    rewrite_for(&proxy, "CopyObject", &dst, Edit::xml("ETag", FAKE_ETAG));

    let r = bulk(&g, &proxy, &p).await;

    assert_eq!(r.code, 0, "{r}");
    let (lines, summary) = bulk_lines(&r);
    let line = line_for(&lines, &s3(DST_BUCKET, &dst));
    assert_eq!(line["status"], "copied", "{line}");
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(line["verified_by"], "checksum", "{line}");
    assert_eq!(line["checksum"]["algorithm"], "CRC32", "{line}");
    assert_eq!(line["checksum"]["value"], real.as_str(), "{line}");
    assert_eq!(summary["verified"], 1, "{summary}");
    assert_eq!(summary["failed"], 0, "{summary}");
    let heads = proxy.of("HeadObject");
    assert_eq!(heads.len(), 1, "one HEAD, of the source: {heads:#?}");
    assert!(heads[0].is_for(SRC_BUCKET, &keys[0]), "{heads:#?}");
    assert_eq!(heads[0].header("if-match"), Some(listed.as_str()));
    assert_eq!(heads[0].header("x-amz-checksum-mode"), Some("ENABLED"));
    assert_eq!(proxy.of("CopyObject").len(), 1);
}

/// As above, for a source without a checksum: the HEAD of the source gives
/// its ETag (the MD5 of its bytes), which the destination's rewritten ETag
/// does not equal: `ChecksumMismatch` naming both ETags.
#[tokio::test]
async fn bulk_copy_of_a_source_without_checksum_whose_etag_differs_is_a_mismatch() {
    let g = garage().await;
    let client = g.client();
    let p = unique("checksum-faults-listed-bare");
    let keys = small_sources(&client, &p, 1, true).await;
    let listed = etag_of(&client, SRC_BUCKET, &keys[0]).await;
    let dst = format!("{p}dst/0");
    let proxy = Proxy::start(&g.endpoint).await;
    rewrite_for(&proxy, "CopyObject", &dst, Edit::xml("ETag", FAKE_ETAG));

    let r = bulk(&g, &proxy, &p).await;

    assert_eq!(r.code, 1, "{r}");
    let (lines, summary) = bulk_lines(&r);
    assert_mismatch(
        line_for(&lines, &s3(DST_BUCKET, &dst)),
        &s3(DST_BUCKET, &dst),
        "ETag",
        unquote(&listed),
        unquote(FAKE_ETAG),
    );
    assert_eq!(summary["failed"], 1, "{summary}");
    let heads = proxy.of("HeadObject");
    assert_eq!(heads.len(), 1, "one HEAD, of the source: {heads:#?}");
    assert!(heads[0].is_for(SRC_BUCKET, &keys[0]), "{heads:#?}");
    assert_eq!(heads[0].header("if-match"), Some(listed.as_str()));
}

/// The listed ETag does not prove the copy and the source's HEAD (If-Match
/// the listed ETag) answers 412: the source changed since it was listed,
/// so the copy (of whatever the source was then) cannot be compared with
/// it: copied, `verified` null, and the reason says so.
#[tokio::test]
async fn bulk_copy_whose_source_changed_since_listed_is_unverified() {
    let g = garage().await;
    let client = g.client();
    let p = unique("checksum-faults-listed-changed");
    let keys = small_sources(&client, &p, 1, false).await;
    let listed = etag_of(&client, SRC_BUCKET, &keys[0]).await;
    let dst = format!("{p}dst/0");
    let proxy = Proxy::start(&g.endpoint).await;
    rewrite_for(&proxy, "CopyObject", &dst, Edit::xml("ETag", FAKE_ETAG));
    proxy.answer(
        "HeadObject",
        412,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code>\
         <Message>At least one of the pre-conditions you specified did not hold</Message>\
         <RequestId>R1</RequestId></Error>",
    );

    let r = bulk(&g, &proxy, &p).await;

    assert_eq!(r.code, 0, "{r}");
    let (lines, summary) = bulk_lines(&r);
    let line = line_for(&lines, &s3(DST_BUCKET, &dst));
    assert_eq!(line["status"], "copied", "{line}");
    assert_eq!(line["verified"], Value::Null, "{line}");
    assert_eq!(line["verified_by"], Value::Null, "{line}");
    let reason = line["unverified_reason"].as_str().expect("a reason");
    assert!(
        reason.contains("the source changed since it was listed") && reason.contains(&listed),
        "{reason}"
    );
    assert_eq!(summary["unverified"], 1, "{summary}");
    assert_eq!(summary["verified"], 0, "{summary}");
    let heads = proxy.of("HeadObject");
    assert_eq!(heads.len(), 1, "{heads:#?}");
    assert_eq!(heads[0].header("if-match"), Some(listed.as_str()));
}

/// A listed source whose CopyObject answer has another checksum but its
/// real ETag: the listed ETag (the MD5 of the bytes) proves the copy, and
/// the listing does not tell the source's checksum, so nothing is HEADed
/// and the answer's checksum is reported as S3 gave it.
#[tokio::test]
async fn bulk_copy_proved_by_its_listed_etag_does_not_compare_the_answer_checksum() {
    let g = garage().await;
    let client = g.client();
    let p = unique("checksum-faults-listed-crc");
    small_sources(&client, &p, 1, false).await;
    let dst = format!("{p}dst/0");
    let proxy = Proxy::start(&g.endpoint).await;
    rewrite_for(
        &proxy,
        "CopyObject",
        &dst,
        Edit::xml("ChecksumCRC32", Crc::Crc32.fake()),
    );

    let r = bulk(&g, &proxy, &p).await;

    assert_eq!(r.code, 0, "{r}");
    let (lines, _) = bulk_lines(&r);
    let line = line_for(&lines, &s3(DST_BUCKET, &dst));
    assert_eq!(line["status"], "copied", "{line}");
    assert_eq!(line["verified_by"], "etag", "{line}");
    assert_eq!(line["checksum"]["value"], Crc::Crc32.fake(), "{line}");
    assert!(proxy.of("HeadObject").is_empty());
}

// The cost of proving a copy, as its line reports it.

/// A copy line's `requests` is "what the copy sends when nothing fails"
/// (README, JSON Lines). moto's Complete answer carries no checksum, so a
/// multipart copy HEADs the destination for it, every time, with nothing
/// failing: that HEAD is one of the copy's requests.
#[tokio::test]
async fn copy_line_requests_count_the_destination_head_on_moto() {
    let m = moto().await;
    let client = m.client();
    let p = unique("checksum-faults-cost");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    multipart_source(&client, &src, Crc::Crc32).await;
    let proxy = Proxy::start(&m.endpoint).await;

    let (src_uri, dst_uri) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &dst));
    let r = m
        .via(&proxy)
        .s3cp(&multipart_args(&src_uri, &dst_uri, &[]))
        .await;

    let line = r.json_ok();
    assert_eq!(line["verified_by"], "checksum", "{line}");
    assert_eq!(heads_of(&proxy, DST_BUCKET, &dst).len(), 1);
    let sent: Vec<_> = proxy.requests().iter().map(|r| r.operation()).collect();
    assert_eq!(
        line["requests"],
        sent.len(),
        "the line's requests should count all the copy sent: {sent:?}\n{line}"
    );
}

/// The same for a listed source in a bulk run whose ETag did not prove it:
/// the HEAD of the source that settles it (by its checksum) is one of the
/// copy's requests, though nothing failed.
#[tokio::test]
async fn copy_line_requests_count_the_head_that_settles_a_listed_source() {
    let g = garage().await;
    let client = g.client();
    let p = unique("checksum-faults-cost-listed");
    small_sources(&client, &p, 1, false).await;
    let dst = format!("{p}dst/0");
    let proxy = Proxy::start(&g.endpoint).await;
    rewrite_for(&proxy, "CopyObject", &dst, Edit::xml("ETag", FAKE_ETAG));

    let r = bulk(&g, &proxy, &p).await;

    assert_eq!(r.code, 0, "{r}");
    let (lines, _) = bulk_lines(&r);
    let line = line_for(&lines, &s3(DST_BUCKET, &dst));
    assert_eq!(line["verified_by"], "checksum", "{line}");
    let sent: Vec<_> = proxy
        .requests()
        .iter()
        .map(|r| r.operation())
        .filter(|&op| op != "ListObjectsV2")
        .collect();
    assert_eq!(
        line["requests"],
        sent.len(),
        "the line's requests should count all the copy sent: {sent:?}\n{line}"
    );
}

// 7. Proofs the ETag cannot give: an SSE-KMS destination, and a copy onto
//    itself (its source gone once written).

/// Puts a multipart source of parts of `sizes` random bytes, without a
/// checksum; returns its ETag (`...-N`).
async fn put_bare_multipart(client: &Client, key: &str, sizes: &[usize]) -> String {
    let client = bare_client(client);
    let bodies = sizes.iter().map(|&size| random_bytes(size)).collect();
    let etag = put_multipart(&client, SRC_BUCKET, key, bodies, None).await;
    assert!(
        unquote(&etag).ends_with(&format!("-{}", sizes.len())),
        "{etag}"
    );
    assert_eq!(
        stored(&client, SRC_BUCKET, key, Crc::Crc64Nvme).await,
        None,
        "the source was meant to have no checksum"
    );
    etag
}

/// The recorded GETs of the source `key`.
fn gets_of(proxy: &Proxy, key: &str) -> Vec<Request> {
    proxy
        .of("GetObject")
        .into_iter()
        .filter(|g| g.is_for(SRC_BUCKET, key))
        .collect()
}

/// `--part-size source` copies a source of uniform parts (no checksum)
/// with its own parts, so the ETags would prove it; but the Complete
/// answer says the destination is SSE-KMS (a bucket default, as AWS says
/// in `x-amz-server-side-encryption`) and has another ETag, as KMS gives.
/// That ETag is no MD5 and proves nothing either way: copied, unverified,
/// the reason naming SSE-KMS; not a `ChecksumMismatch`.
#[tokio::test]
async fn part_size_source_onto_a_kms_default_destination_is_unverified_not_a_mismatch() {
    let g = garage().await;
    let client = g.client();
    let p = unique("checksum-faults-kms-parts");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let five = PART;
    let etag = put_bare_multipart(&client, &src, &[five, five, five, MIB as usize]).await;
    let kms_etag = "\"0123456789abcdef0123456789abcdef-4\"";
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.add_answer_header(
        "CompleteMultipartUpload",
        "x-amz-server-side-encryption",
        "aws:kms",
    );
    rewrite_for(
        &proxy,
        "CompleteMultipartUpload",
        &dst,
        Edit::xml("ETag", kms_etag),
    );

    let (src_uri, dst_uri) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &dst));
    let r = g
        .via(&proxy)
        .s3cp(&["--json", "--part-size", "source", &src_uri, &dst_uri])
        .await;

    let line = r.json_ok();
    assert_eq!(line["status"], "copied", "{line}");
    assert_eq!(line["method"], "multipart", "{line}");
    assert_eq!(line["parts"], 4, "{line}");
    assert_eq!(line["part_size"], PART, "{line}");
    assert_eq!(line["etag"], kms_etag, "{line}");
    assert_eq!(line["verified"], Value::Null, "{line}");
    assert_eq!(line["verified_by"], Value::Null, "{line}");
    let reason = line["unverified_reason"].as_str().expect("a reason");
    assert!(reason.contains("SSE-KMS"), "{reason}");
    // Garage gave the source's ETag (as sent, XML-escaped): the same parts
    // were copied.
    let rewritten = proxy.rewritten();
    assert_eq!(rewritten.len(), 1, "{rewritten:#?}");
    let was = rewritten[0]
        .was
        .as_deref()
        .map(|e| e.replace("&quot;", "\""));
    assert_eq!(was.as_deref(), Some(etag.as_str()));
    assert_eq!(proxy.of("UploadPartCopy").len(), 4);
    assert!(gets_of(&proxy, &src).is_empty(), "no --verify: no read");
    assert_eq!(
        digest(&client, SRC_BUCKET, &src).await,
        digest(&client, DST_BUCKET, &dst).await,
        "the destination holds the source's bytes"
    );
}

/// `--verify` on one CopyObject of a single-part source without checksum:
/// its ETag would prove the copy, but the answer says the destination is
/// SSE-KMS (its ETag no MD5), and carries `crc` as the destination's
/// CRC64NVME (inserted: Garage computes none here). s3cp then reads the
/// source and compares.
async fn verify_reads_what_a_kms_etag_cannot_prove(crc: Option<&str>) -> (Run, String) {
    let g = garage().await;
    let client = g.client();
    let p = unique("checksum-faults-kms-verify");
    let (src, dst) = (format!("{p}src"), format!("{p}dst"));
    let data = random_bytes(256 * 1024);
    let real = Crc::Crc64Nvme.of(&data);
    put_bare(&client, &src, data).await;
    let etag = etag_of(&client, SRC_BUCKET, &src).await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.add_answer_header("CopyObject", "x-amz-server-side-encryption", "aws:kms");
    let inserted = crc.unwrap_or(&real);
    rewrite_for(
        &proxy,
        "CopyObject",
        &dst,
        Edit::xml(&Crc::Crc64Nvme.element(), inserted),
    );

    let r = g
        .via(&proxy)
        .s3cp(&[
            "--json",
            "--verify",
            &s3(SRC_BUCKET, &src),
            &s3(DST_BUCKET, &dst),
        ])
        .await;

    let rewritten = proxy.rewritten();
    assert_eq!(rewritten.len(), 1, "{rewritten:#?}");
    assert_eq!(rewritten[0].was, None, "Garage sent no checksum");
    assert_eq!(proxy.of("CopyObject").len(), 1);
    // The answer carried the destination's checksum: no HEAD of it.
    assert!(heads_of(&proxy, DST_BUCKET, &dst).is_empty());
    // The source was read, each range pinned to the HEADed ETag.
    let gets = gets_of(&proxy, &src);
    assert!(!gets.is_empty(), "the source was not read:\n{r}");
    assert!(
        gets.iter()
            .all(|g| g.header("if-match") == Some(etag.as_str())),
        "every read is pinned to {etag}: {gets:#?}"
    );
    assert_eq!(
        digest(&client, SRC_BUCKET, &src).await,
        digest(&client, DST_BUCKET, &dst).await,
        "the destination is there, as S3 made it"
    );
    (r, real)
}

#[tokio::test]
async fn verify_reads_the_source_when_a_kms_etag_cannot_prove_a_single_copy() {
    let (r, real) = verify_reads_what_a_kms_etag_cannot_prove(None).await;
    let line = r.json_ok();
    assert_eq!(line["status"], "copied", "{line}");
    assert_eq!(line["method"], "single", "{line}");
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(line["verified_by"], "read", "{line}");
    assert_eq!(line["checksum"]["algorithm"], "CRC64NVME", "{line}");
    assert_eq!(line["checksum"]["value"], real.as_str(), "{line}");
}

#[tokio::test]
async fn verify_reads_the_source_and_finds_a_wrong_crc_behind_a_kms_etag() {
    let fake = Crc::Crc64Nvme.fake();
    let (r, real) = verify_reads_what_a_kms_etag_cannot_prove(Some(fake)).await;
    assert_eq!(r.code, 1, "{r}");
    let line = r.json();
    assert_mismatch(
        &line,
        line["dst"].as_str().expect("a dst"),
        "CRC64NVME",
        &real,
        fake,
    );
}

/// `--verify` on a multipart copy of an unversioned source (no checksum)
/// onto itself, changing it with `change`: only a read proves it, and the
/// write replaces the source, so the source must be read before the write
/// (after it, the reads pinned to its ETag would meet 412).
async fn verify_onto_itself_reads_before_the_write(server: Server, change: &[&str]) {
    let client = server.client();
    let p = unique("checksum-faults-in-place");
    let key = format!("{p}obj");
    let data = random_bytes(MULTIPART_SIZE);
    let real = Crc::Crc64Nvme.of(&data);
    put_bare(&client, &key, data).await;
    let etag = etag_of(&client, SRC_BUCKET, &key).await;
    let before = digest(&client, SRC_BUCKET, &key).await;
    let proxy = Proxy::start(&server.endpoint).await;

    let uri = s3(SRC_BUCKET, &key);
    let mut extra = change.to_vec();
    extra.push("--verify");
    let r = server
        .via(&proxy)
        .s3cp(&multipart_args(&uri, &uri, &extra))
        .await;

    let line = r.json_ok();
    assert_eq!(line["method"], "multipart", "{line}");
    assert_eq!(line["parts"], 3, "{line}");
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(line["verified_by"], "read", "{line}");
    assert_eq!(line["checksum"]["algorithm"], "CRC64NVME", "{line}");
    assert_eq!(line["checksum"]["type"], "FULL_OBJECT", "{line}");
    assert_eq!(line["checksum"]["value"], real.as_str(), "{line}");
    assert_created_with(&proxy, Crc::Crc64Nvme);
    // Every GET of the source, pinned to its ETag, was sent before the
    // upload that replaces it was created.
    let sent = proxy.requests();
    let ops: Vec<_> = sent.iter().map(|r| r.operation()).collect();
    let create = ops
        .iter()
        .position(|&op| op == "CreateMultipartUpload")
        .expect("an upload was created");
    let gets: Vec<usize> = (0..sent.len())
        .filter(|&i| ops[i] == "GetObject" && sent[i].is_for(SRC_BUCKET, &key))
        .collect();
    assert!(!gets.is_empty(), "the source was not read: {ops:?}");
    assert!(
        gets.iter().all(|&i| i < create),
        "the source must be read before the write: {ops:?}"
    );
    assert!(
        gets.iter()
            .all(|&i| sent[i].header("if-match") == Some(etag.as_str())),
        "every read is pinned to {etag}"
    );
    // The object was changed, not its bytes.
    assert_eq!(digest(&client, SRC_BUCKET, &key).await, before);
    assert_eq!(
        stored(&client, SRC_BUCKET, &key, Crc::Crc64Nvme)
            .await
            .as_deref(),
        Some(real.as_str())
    );
    let head = client
        .head_object()
        .bucket(SRC_BUCKET)
        .key(&key)
        .send()
        .await
        .expect("head the copy");
    assert_ne!(head.e_tag(), Some(etag.as_str()), "it was written again");
    match server.name {
        "moto" => assert_eq!(
            head.storage_class().map(|c| c.as_str()),
            Some("STANDARD_IA")
        ),
        _ => assert_eq!(
            head.metadata().and_then(|m| m.get("a")).map(String::as_str),
            Some("b")
        ),
    }
}

#[tokio::test]
async fn verify_onto_itself_reads_the_source_before_replacing_it_on_garage() {
    verify_onto_itself_reads_before_the_write(
        garage().await,
        &["--metadata-directive", "REPLACE", "--metadata", "a=b"],
    )
    .await;
}

#[tokio::test]
async fn verify_onto_itself_reads_the_source_before_replacing_it_on_moto() {
    verify_onto_itself_reads_before_the_write(moto().await, &["--storage-class", "STANDARD_IA"])
        .await;
}

// ---------------------------------------------------------------------------
// 8. A listing that says a source has no checksum spares the HEAD.

/// moto's listings name each object's checksum algorithm (as AWS's do). A
/// bulk copy of a prefix holding a CRC32 object and a multipart upload
/// without a checksum: the multipart ETag cannot prove the copy, and the
/// listing says there is no checksum either, so s3cp sends no HEAD of that
/// source (it would tell nothing) and reports the copy unverified, saying
/// why. The CRC32 object is proved as before.
#[tokio::test]
async fn a_listed_multipart_source_without_checksum_costs_no_head() {
    let m = moto().await;
    let client = m.client();
    let p = unique("checksum-faults-listed-none");
    let with = format!("{p}src/a-crc32");
    put_with(
        &client,
        SRC_BUCKET,
        &with,
        random_bytes(4096),
        Some(ChecksumAlgorithm::Crc32),
    )
    .await;
    let bare = format!("{p}src/b-multipart");
    let parts = vec![random_bytes(5 * MIB as usize), random_bytes(1024)];
    put_multipart(&bare_client(&client), SRC_BUCKET, &bare, parts, None).await;
    assert!(
        head_checksums(&client, SRC_BUCKET, &bare)
            .await
            .checksum_crc32()
            .is_none(),
        "the multipart source has no checksum"
    );
    let proxy = Proxy::start(&m.endpoint).await;

    let r = bulk(&m, &proxy, &p).await;

    assert_eq!(r.code, 0, "{r}");
    let (lines, summary) = bulk_lines(&r);
    let line = line_for(&lines, &s3(DST_BUCKET, &format!("{p}dst/b-multipart")));
    assert_eq!(line["status"], "copied", "{line}");
    assert_eq!(line["method"], "single", "{line}");
    assert_eq!(line["verified"], Value::Null, "{line}");
    let why = line["unverified_reason"].as_str().unwrap_or_default();
    assert!(why.contains("its listing says so"), "{line}");
    assert_eq!(line["requests"], 1, "{line}");
    let line = line_for(&lines, &s3(DST_BUCKET, &format!("{p}dst/a-crc32")));
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(summary["verified"], 1, "{summary}");
    assert_eq!(summary["unverified"], 1, "{summary}");
    let heads = proxy.of("HeadObject");
    assert!(
        heads.iter().all(|h| !h.is_for(SRC_BUCKET, &bare)),
        "no HEAD of the multipart source: {heads:#?}"
    );
    assert_eq!(proxy.of("CopyObject").len(), 2);
}
