//! Issue 9 against the real servers (no proxy): every copy compared with
//! its source's checksum or ETag, on both paths, on Garage and moto;
//! `--verify` reading a source without a checksum; `--part-size source`;
//! and the bulk summary's `verified`/`unverified` counts. (What needs a
//! proxy, a rewritten answer or recorded requests, is in
//! tests/checksum_faults.rs.)

mod support;

use aws_sdk_s3::Client;
use aws_sdk_s3::types::ChecksumAlgorithm;
use serde_json::Value;
use support::*;

/// Copied in parts of 5 MiB above 5 MiB.
const MULTIPART: [&str; 4] = ["--multipart-threshold", "5MiB", "--part-size", "5MiB"];

/// An object's checksum and ETag, from an independent HEAD with checksum
/// mode.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    /// (algorithm, value) in S3's names (`CRC64NVME`), if it has one.
    checksum: Option<(String, String)>,
    /// `ChecksumType`, where the server gives it (moto does not).
    kind: Option<String>,
    etag: String,
}

async fn stored(client: &Client, bucket: &str, key: &str) -> Stored {
    let h = head_checksums(client, bucket, key).await;
    let all = [
        ("CRC32", h.checksum_crc32()),
        ("CRC32C", h.checksum_crc32_c()),
        ("CRC64NVME", h.checksum_crc64_nvme()),
        ("SHA1", h.checksum_sha1()),
        ("SHA256", h.checksum_sha256()),
    ];
    let present: Vec<(String, String)> = all
        .into_iter()
        .filter_map(|(a, v)| Some((a.to_owned(), v.filter(|v| !v.is_empty())?.to_owned())))
        .collect();
    assert!(
        present.len() <= 1,
        "s3://{bucket}/{key} has several checksums: {present:?}"
    );
    Stored {
        checksum: present.into_iter().next(),
        kind: h.checksum_type().map(|t| t.as_str().to_owned()),
        etag: h.e_tag().expect("an ETag").to_owned(),
    }
}

/// The destination `key` holds exactly `data`.
async fn assert_holds(client: &Client, key: &str, data: &[u8]) {
    let got = get_bytes(client, DST_BUCKET, key).await;
    assert!(
        got == data,
        "s3://{DST_BUCKET}/{key} differs from its source ({} bytes, {} expected)",
        got.len(),
        data.len()
    );
}

/// `s3cp --json ARGS SRC DST` for keys in the test buckets.
async fn copy(server: &Server, src: &str, dst: &str, args: &[&str]) -> Run {
    let src = s3(SRC_BUCKET, src);
    let dst = s3(DST_BUCKET, dst);
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    all.extend([src.as_str(), dst.as_str()]);
    server.s3cp(&all).await
}

/// The `checksum` of a copy line agrees with the destination's own, as an
/// independent HEAD gives it.
fn assert_line_checksum(line: &Value, dst: &Stored) {
    match &dst.checksum {
        None => assert!(
            line["checksum"].is_null(),
            "the destination has no checksum: {line}"
        ),
        Some((alg, value)) => {
            assert_eq!(line["checksum"]["algorithm"], alg.as_str(), "{line}");
            assert_eq!(line["checksum"]["value"], value.as_str(), "{line}");
            if let Some(kind) = &dst.kind {
                assert_eq!(line["checksum"]["type"], kind.as_str(), "{line}");
            }
        }
    }
}

/// The sources of the matrix: the algorithm they are put with.
const SOURCES: [Option<ChecksumAlgorithm>; 4] = [
    Some(ChecksumAlgorithm::Crc32),
    Some(ChecksumAlgorithm::Crc32C),
    Some(ChecksumAlgorithm::Crc64Nvme),
    None,
];

/// Size of the matrix's sources: ~11 MiB (3 parts of 5 MiB) on Garage;
/// 6 MiB (2 parts) on moto, whose every UploadPartCopy loads the whole
/// source into memory. Returns (size, parts).
fn source_size(server: &Server) -> (usize, u64) {
    match server.name {
        "moto" => (6 * MIB as usize, 2),
        _ => (11 * MIB as usize, 3),
    }
}

/// Each source of [`SOURCES`], copied by one CopyObject and by a multipart
/// copy: the destination ends with the source's checksum on both paths
/// (the JSON line and a HEAD agree), and the line says what proved it.
async fn matrix(server: Server) {
    let client = bare_client(&server.client());
    let p = unique(&format!("checksum-matrix-{}", server.name));
    let (size, parts) = source_size(&server);

    let mut sources = Vec::new();
    for alg in SOURCES {
        let name = alg.as_ref().map_or("none", |a| a.as_str()).to_owned();
        let key = format!("{p}{name}");
        let data = random_bytes(size);
        put_source(&server.client(), &key, data.clone(), alg.clone()).await;
        let src = stored(&client, SRC_BUCKET, &key).await;
        // What the case is about must hold before s3cp runs.
        assert_eq!(
            src.checksum.as_ref().map(|(a, _)| a.as_str()),
            alg.as_ref().map(|a| a.as_str()),
            "{key}: {src:?}"
        );
        sources.push((name, key, data, src));
    }

    let runs = sources.iter().flat_map(|(name, key, _, _)| {
        [false, true].map(|multipart| {
            let dst = format!("{p}{name}-{}", if multipart { "multi" } else { "single" });
            let args: &[&str] = if multipart { &MULTIPART } else { &[] };
            let server = &server;
            async move { (copy(server, key, &dst, args).await, dst) }
        })
    });
    let runs = futures::future::join_all(runs).await;

    for ((name, _, data, src), pair) in sources.iter().zip(runs.chunks(2)) {
        for (multipart, (run, dst_key)) in [false, true].into_iter().zip(pair) {
            let line = run.json_ok();
            let dst = stored(&client, DST_BUCKET, dst_key).await;
            let case = format!("{} {name} {}", server.name, dst_key);
            assert_eq!(line["status"], "copied", "{case}: {line}");
            assert_eq!(line["etag"], dst.etag.as_str(), "{case}: {line}");
            if multipart {
                assert_eq!(line["method"], "multipart", "{case}: {line}");
                assert_eq!(line["parts"], parts, "{case}: {line}");
            } else {
                assert_eq!(line["method"], "single", "{case}: {line}");
                assert_eq!(dst.etag, src.etag, "{case}: CopyObject keeps the MD5");
            }
            assert_line_checksum(&line, &dst);
            match (&src.checksum, multipart) {
                (Some((alg, value)), _) => {
                    assert_eq!(
                        dst.checksum.as_ref(),
                        Some(&(alg.clone(), value.clone())),
                        "{case}: the destination's checksum is not the source's"
                    );
                    if let Some(kind) = &dst.kind {
                        assert_eq!(kind, "FULL_OBJECT", "{case}");
                    }
                    assert_eq!(line["checksum"]["type"], "FULL_OBJECT", "{case}: {line}");
                    assert_eq!(line["verified"], true, "{case}: {line}");
                    assert_eq!(line["verified_by"], "checksum", "{case}: {line}");
                    assert!(line["unverified_reason"].is_null(), "{case}: {line}");
                }
                (None, false) => {
                    assert_eq!(line["verified"], true, "{case}: {line}");
                    assert_eq!(line["verified_by"], "etag", "{case}: {line}");
                    assert!(line["unverified_reason"].is_null(), "{case}: {line}");
                }
                (None, true) => {
                    assert!(line["verified"].is_null(), "{case}: {line}");
                    assert!(line["verified_by"].is_null(), "{case}: {line}");
                    let why = line["unverified_reason"].as_str().unwrap_or("");
                    assert!(why.contains("no checksum"), "{case}: {line}");
                }
            }
            // One CopyObject is proved by its ETag (the MD5) above; a
            // multipart copy is read back.
            if multipart {
                assert_holds(&client, dst_key, data).await;
            }
        }
    }
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

#[tokio::test]
async fn source_checksum_kept_and_compared_on_both_paths_on_garage() {
    matrix(garage().await).await;
}

#[tokio::test]
async fn source_checksum_kept_and_compared_on_both_paths_on_moto() {
    matrix(moto().await).await;
}

/// A SHA256 source: one CopyObject keeps it and is proved by it; a
/// multipart copy cannot (S3 computes SHA256 per part), says so at `-v`,
/// and nothing proves it.
async fn sha256_source(server: Server) {
    let client = bare_client(&server.client());
    let p = unique(&format!("checksum-sha256-{}", server.name));
    let (size, parts) = source_size(&server);
    let key = format!("{p}src");
    let data = random_bytes(size);
    put_source(
        &server.client(),
        &key,
        data.clone(),
        Some(ChecksumAlgorithm::Sha256),
    )
    .await;
    let src = stored(&client, SRC_BUCKET, &key).await;
    let (alg, value) = src.checksum.clone().expect("the source has a checksum");
    assert_eq!(alg, "SHA256", "{src:?}");

    let single = copy(&server, &key, &format!("{p}single"), &[])
        .await
        .json_ok();
    assert_eq!(single["method"], "single", "{single}");
    assert_eq!(single["verified"], true, "{single}");
    assert_eq!(single["verified_by"], "checksum", "{single}");
    assert_eq!(single["checksum"]["algorithm"], "SHA256", "{single}");
    assert_eq!(single["checksum"]["value"], value.as_str(), "{single}");
    let dst = stored(&client, DST_BUCKET, &format!("{p}single")).await;
    assert_eq!(dst.checksum, src.checksum, "{dst:?}");

    let mut args = vec!["-v"];
    args.extend(MULTIPART);
    let run = copy(&server, &key, &format!("{p}multi"), &args).await;
    let multi = run.json_ok();
    assert_eq!(multi["method"], "multipart", "{multi}");
    assert_eq!(multi["parts"], parts, "{multi}");
    assert!(multi["verified"].is_null(), "{multi}");
    assert!(multi["verified_by"].is_null(), "{multi}");
    assert!(multi["unverified_reason"].is_string(), "{multi}");
    assert!(
        run.stderr.contains("gets SHA256 COMPOSITE"),
        "-v says the destination gets SHA256 COMPOSITE:\n{run}"
    );
    assert!(
        multi["unverified_reason"]
            .as_str()
            .is_some_and(|why| why.contains("not comparable")),
        "{multi}"
    );
    let dst = stored(&client, DST_BUCKET, &format!("{p}multi")).await;
    assert_line_checksum(&multi, &dst);
    assert_ne!(dst.checksum, src.checksum, "{dst:?}");
    assert_holds(&client, &format!("{p}multi"), &data).await;
    // The destination keeps the algorithm, per part.
    assert_eq!(
        dst.checksum.as_ref().map(|(a, _)| a.as_str()),
        Some("SHA256"),
        "{dst:?}"
    );
    // --verify: a CRC64NVME of the destination, read from the source.
    let mut args = vec!["--verify"];
    args.extend(MULTIPART);
    let verified = copy(&server, &key, &format!("{p}verified"), &args)
        .await
        .json_ok();
    assert_eq!(verified["verified_by"], "read", "{verified}");
    assert_eq!(verified["checksum"]["algorithm"], "CRC64NVME", "{verified}");
}

#[tokio::test]
async fn sha256_source_is_proved_on_one_copy_object_only_on_garage() {
    sha256_source(garage().await).await;
}

#[tokio::test]
async fn sha256_source_is_proved_on_one_copy_object_only_on_moto() {
    sha256_source(moto().await).await;
}

/// `--verify` on a multipart copy of a source without a checksum: S3
/// computes the destination's CRC64NVME, s3cp reads the source and proves
/// them equal; the value is the CRC64NVME of the bytes put.
async fn verify_reads_a_source_without_checksum(server: Server) {
    let client = bare_client(&server.client());
    let p = unique(&format!("checksum-verify-{}", server.name));
    let (size, parts) = source_size(&server);
    let key = format!("{p}src");
    let data = random_bytes(size);
    let want = s3_crc(&ChecksumAlgorithm::Crc64Nvme, &data);
    put_source(&server.client(), &key, data, None).await;
    assert_eq!(stored(&client, SRC_BUCKET, &key).await.checksum, None);

    let mut args = vec!["--verify"];
    args.extend(MULTIPART);
    let line = copy(&server, &key, &format!("{p}dst"), &args)
        .await
        .json_ok();
    assert_eq!(line["method"], "multipart", "{line}");
    assert_eq!(line["parts"], parts, "{line}");
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(line["verified_by"], "read", "{line}");
    assert_eq!(line["checksum"]["algorithm"], "CRC64NVME", "{line}");
    assert_eq!(line["checksum"]["type"], "FULL_OBJECT", "{line}");
    assert_eq!(line["checksum"]["value"], want.as_str(), "{line}");
    let dst = stored(&client, DST_BUCKET, &format!("{p}dst")).await;
    assert_eq!(
        dst.checksum,
        Some(("CRC64NVME".to_owned(), want)),
        "{dst:?}"
    );
    if let Some(kind) = &dst.kind {
        assert_eq!(kind, "FULL_OBJECT");
    }
}

#[tokio::test]
async fn verify_proves_a_multipart_copy_by_reading_the_source_on_garage() {
    verify_reads_a_source_without_checksum(garage().await).await;
}

#[tokio::test]
async fn verify_proves_a_multipart_copy_by_reading_the_source_on_moto() {
    verify_reads_a_source_without_checksum(moto().await).await;
}

/// Puts a multipart source of parts of `sizes` random bytes, without
/// checksums (`client` is a [`bare_client`]); returns its ETag and bytes.
async fn put_multipart_source(client: &Client, key: &str, sizes: &[usize]) -> (String, Vec<u8>) {
    let bodies: Vec<Vec<u8>> = sizes.iter().map(|&size| random_bytes(size)).collect();
    let data = bodies.concat();
    let etag = put_multipart(client, SRC_BUCKET, key, bodies, None).await;
    (etag, data)
}

/// `--part-size source`: a source of uniform parts is copied with its own
/// parts (whatever the threshold), so the destination's ETag is the
/// source's and proves the copy; uneven parts are refused before any
/// write; a single-part source is one CopyObject.
async fn part_size_source(server: Server) {
    let client = bare_client(&server.client());
    let p = unique(&format!("checksum-part-size-source-{}", server.name));
    let five = 5 * MIB as usize;

    let uniform = format!("{p}uniform");
    let (etag, data) =
        put_multipart_source(&client, &uniform, &[five, five, five, MIB as usize]).await;
    assert!(unquote(&etag).ends_with("-4"), "{etag}");
    let line = copy(
        &server,
        &uniform,
        &format!("{p}uniform-copy"),
        &["--part-size", "source"],
    )
    .await
    .json_ok();
    assert_eq!(line["method"], "multipart", "{line}");
    assert_eq!(line["parts"], 4, "{line}");
    assert_eq!(line["part_size"], 5 * MIB, "{line}");
    assert_eq!(line["etag"], etag.as_str(), "{line}");
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(line["verified_by"], "etag", "{line}");
    let dst = stored(&client, DST_BUCKET, &format!("{p}uniform-copy")).await;
    assert_eq!(dst.etag, etag);
    assert_holds(&client, &format!("{p}uniform-copy"), &data).await;

    // A last part larger than the first: no part size repeats these
    // boundaries.
    let uneven = format!("{p}uneven");
    put_multipart_source(&client, &uneven, &[five, 7 * MIB as usize]).await;
    let run = copy(
        &server,
        &uneven,
        &format!("{p}uneven-copy"),
        &["--part-size", "source"],
    )
    .await;
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("--part-size"), "{run}");
    let line = run.json();
    assert_eq!(line["status"], "failed", "{line}");
    assert_eq!(line["error"]["code"], "UsageError", "{line}");
    assert!(
        line["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("--part-size")),
        "{line}"
    );
    assert_nothing_written(&client, &format!("{p}uneven-copy"), &p).await;

    // A single-part source: one CopyObject, whose ETag is the source's.
    let single = format!("{p}single");
    put_source(&server.client(), &single, random_bytes(200_000), None).await;
    let src = stored(&client, SRC_BUCKET, &single).await;
    let line = copy(
        &server,
        &single,
        &format!("{p}single-copy"),
        &["--part-size", "source"],
    )
    .await
    .json_ok();
    assert_eq!(line["method"], "single", "{line}");
    assert_eq!(line["etag"], src.etag.as_str(), "{line}");
    assert_eq!(line["verified"], true, "{line}");
    assert_eq!(line["verified_by"], "etag", "{line}");
}

#[tokio::test]
async fn part_size_source_gives_the_source_etag_on_garage() {
    part_size_source(garage().await).await;
}

#[tokio::test]
async fn part_size_source_gives_the_source_etag_on_moto() {
    part_size_source(moto().await).await;
}

/// A source whose first and last parts fit one part size but whose middle
/// parts differ (6, 5, 7 and 1 MiB: 6 × 3 + 1 = 19 MiB, so the first
/// part's size, the part count and the last part's size all look uniform)
/// is not of uniform parts either: the README says `--part-size source`
/// refuses it (exit 2) before any write. Copied with 6 MiB parts instead,
/// the destination's ETag cannot be the source's.
#[tokio::test]
async fn part_size_source_refuses_uneven_middle_parts() {
    let g = garage().await;
    let client = bare_client(&g.client());
    let p = unique("checksum-part-size-source-middle");
    let src = format!("{p}src");
    let sizes = [6, 5, 7, 1].map(|m| m * MIB as usize);
    put_multipart_source(&client, &src, &sizes).await;
    let run = copy(&g, &src, &format!("{p}dst"), &["--part-size", "source"]).await;
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("--part-size"), "{run}");
    assert!(
        !exists(&client, DST_BUCKET, &format!("{p}dst")).await,
        "{run}"
    );
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty(), "{run}");
}

#[tokio::test]
async fn verify_with_a_sha_algorithm_is_a_usage_error() {
    let g = garage().await;
    let client = g.client();
    let p = unique("checksum-verify-sha");
    put_source(&g.client(), &format!("{p}src"), random_bytes(1000), None).await;
    let run = copy(
        &g,
        &format!("{p}src"),
        &format!("{p}dst"),
        &["--verify", "--checksum-algorithm", "SHA256"],
    )
    .await;
    assert_eq!(run.code, 2, "{run}");
    let line = run.json();
    assert_eq!(line["type"], "error", "{run}");
    assert_eq!(line["error"]["code"], "UsageError", "{run}");
    assert!(run.stderr.contains("SHA256"), "{run}");
    assert!(!exists(&client, DST_BUCKET, &format!("{p}dst")).await);
}

/// A bulk run's JSON Lines: the copy lines and the summary.
fn bulk_lines(run: &Run) -> (Vec<Value>, Value) {
    let mut lines = run.json_lines();
    let summary = lines.pop().expect("a summary line");
    assert_eq!(summary["type"], "summary", "{run}");
    (lines, summary)
}

/// Each line's `checksum` is its destination's, though a copy made from
/// the listing HEADs neither side.
async fn assert_lines_match_heads(client: &Client, lines: &[Value]) {
    for line in lines {
        let dst = line["dst"].as_str().expect("dst");
        let key = dst
            .strip_prefix(&format!("s3://{DST_BUCKET}/"))
            .expect("in the destination bucket");
        assert_line_checksum(line, &stored(client, DST_BUCKET, key).await);
    }
}

/// The summary's `verified` and `unverified` count the lines.
fn assert_counts_match(lines: &[Value], summary: &Value) {
    let count = |f: fn(&Value) -> bool| lines.iter().filter(|l| f(l)).count() as u64;
    assert_eq!(
        summary["verified"],
        count(|l| l["verified"] == true),
        "{summary}"
    );
    assert_eq!(
        summary["unverified"],
        count(|l| l["status"] == "copied" && l["verified"].is_null()),
        "{summary}"
    );
    assert_eq!(
        summary["copied"],
        count(|l| l["status"] == "copied"),
        "{summary}"
    );
}

#[tokio::test]
async fn bulk_copies_from_the_listing_are_all_verified() {
    let g = garage().await;
    let client = bare_client(&g.client());
    let p = unique("checksum-bulk");
    for i in 0..6 {
        let alg = (i % 2 == 0).then_some(ChecksumAlgorithm::Crc32);
        put_source(
            &g.client(),
            &format!("{p}src/{i}"),
            random_bytes(10_000),
            alg,
        )
        .await;
    }
    let run = g
        .s3cp(&[
            "-r",
            "--json",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}dst/"),
        ])
        .await;
    assert_eq!(run.code, 0, "{run}");
    let (lines, summary) = bulk_lines(&run);
    assert_eq!(lines.len(), 6, "{run}");
    assert_eq!(summary["copied"], 6, "{summary}");
    assert_eq!(summary["verified"], 6, "{summary}");
    assert_eq!(summary["unverified"], 0, "{summary}");
    for line in &lines {
        assert_eq!(line["verified"], true, "{line}");
        assert!(
            line["verified_by"] == "etag" || line["verified_by"] == "checksum",
            "{line}"
        );
    }
    assert_lines_match_heads(&client, &lines).await;
    assert_counts_match(&lines, &summary);
}

#[tokio::test]
async fn bulk_summary_counts_a_multipart_copy_nothing_proves() {
    let g = garage().await;
    let client = bare_client(&g.client());
    let p = unique("checksum-bulk-unverified");
    for i in 0..3 {
        let alg = (i == 0).then_some(ChecksumAlgorithm::Crc32);
        put_source(
            &g.client(),
            &format!("{p}src/{i}"),
            random_bytes(10_000),
            alg,
        )
        .await;
    }
    // Above the threshold, no checksum: a multipart ETag proves nothing.
    put_source(
        &g.client(),
        &format!("{p}src/big"),
        random_bytes(6 * MIB as usize),
        None,
    )
    .await;
    let mut args = vec!["-r", "--json"];
    args.extend(MULTIPART);
    let src = format!("s3://{SRC_BUCKET}/{p}src/");
    let dst = format!("s3://{DST_BUCKET}/{p}dst/");
    args.extend([src.as_str(), dst.as_str()]);
    let run = g.s3cp(&args).await;
    assert_eq!(run.code, 0, "{run}");
    let (lines, summary) = bulk_lines(&run);
    assert_eq!(lines.len(), 4, "{run}");
    assert_eq!(summary["copied"], 4, "{summary}");
    assert_eq!(summary["verified"], 3, "{summary}");
    assert_eq!(summary["unverified"], 1, "{summary}");
    let big = lines
        .iter()
        .find(|l| l["src"].as_str().is_some_and(|s| s.ends_with("/big")))
        .expect("a line for big");
    assert_eq!(big["method"], "multipart", "{big}");
    assert!(big["verified"].is_null(), "{big}");
    assert!(big["unverified_reason"].is_string(), "{big}");
    assert_counts_match(&lines, &summary);
    assert_lines_match_heads(&client, &lines).await;
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}
