//! Cross-store streaming (issue 10): `--source-endpoint-url`,
//! `--source-profile` and `--copy-mode`, between Garage and moto in both
//! directions, through the real binary.
//!
//! s3cp signs both ends with the keys of its environment unless a profile
//! says otherwise; the runs here carry Garage's keys, which Garage checks
//! and moto (which takes any) does not, so one process can read one store
//! and write the other. One test gives the source its own keys through
//! `--source-profile` instead.
//!
//! What is meaningful about tags: Garage has no tagging (501), so a Garage
//! source has none and a Garage destination keeps none. So:
//! - Garage -> moto: the source has no tags; s3cp must go on without them
//!   (not fail on the 501) and write none: the moto destination has none
//!   and no write carries `x-amz-tagging`.
//! - moto -> Garage: the moto source has tags; Garage cannot keep them, so
//!   what is checked is what s3cp sends: the write (PutObject or
//!   CreateMultipartUpload) carries the source's tags in `x-amz-tagging`.
//! - moto -> moto with `--copy-mode stream`: the tags arrive and are read
//!   back from the destination.

mod support;

use std::time::Duration;

use aws_sdk_s3::types::ChecksumAlgorithm;
use serde_json::Value;
use support::proxy::{At, Fault, Gate, Proxy, Request, When};
use support::*;

/// Three parts of 5 MiB at most, one in flight at a time: the stream
/// reaches each part in order, so a test can stop it at a known one.
const PARTS_ONE_AT_A_TIME: [&str; 6] = [
    "--multipart-threshold",
    "5MiB",
    "--part-size",
    "5MiB",
    "--concurrency",
    "1",
];

/// 5 MiB parts (3 for a 12 MiB object).
const PARTS: [&str; 4] = ["--multipart-threshold", "5MiB", "--part-size", "5MiB"];

/// One PutObject for the 12 MiB objects here, whatever the default
/// threshold becomes after the benchmark.
const SINGLE: [&str; 2] = ["--multipart-threshold", "64MiB"];

/// `dst_endpoint` (a store or a proxy in front of one) with `keys`'
/// credentials: what [`Server::spawn`] on it runs s3cp against.
fn writing_to(keys: &Server, dst_endpoint: &str) -> Server {
    Server {
        endpoint: dst_endpoint.to_owned(),
        ..keys.clone()
    }
}

/// Starts `s3cp --endpoint-url DST --path-style --source-endpoint-url SRC
/// ARGS` with `keys`' credentials in its environment.
fn spawn_across(keys: &Server, src_endpoint: &str, dst_endpoint: &str, args: &[&str]) -> Spawned {
    let mut all = vec!["--source-endpoint-url", src_endpoint];
    all.extend_from_slice(args);
    writing_to(keys, dst_endpoint).spawn(&all)
}

/// [`spawn_across`], waited for.
async fn across(keys: &Server, src_endpoint: &str, dst_endpoint: &str, args: &[&str]) -> Run {
    spawn_across(keys, src_endpoint, dst_endpoint, args)
        .wait()
        .await
}

/// The tags of an `x-amz-tagging` header, sorted.
fn tagging_header(r: &Request) -> Option<Vec<(String, String)>> {
    let h = r.header("x-amz-tagging")?;
    let mut tags: Vec<_> = form_urlencoded::parse(h.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    tags.sort();
    Some(tags)
}

/// Whether a write carries a checksum of `alg` (`crc32`, `crc64nvme`):
/// a header with its value, or a trailer named in `x-amz-trailer`.
fn carries_checksum(r: &Request, alg: &str) -> bool {
    let name = format!("x-amz-checksum-{alg}");
    r.header(&name).is_some()
        || r.header("x-amz-trailer")
            .is_some_and(|t| t.eq_ignore_ascii_case(&name))
}

/// The CRC a streamed copy of a source with this HEAD computes, and how
/// the copy is proved: the source's full-object CRC32 when it has one
/// (then proved by "checksum"), else CRC64NVME, and the source's ETag (the
/// MD5 of its bytes, a single-part source) against the MD5 of the bytes
/// as they came ("etag"); never the stream's own CRC.
fn expected_crc(
    src_head: &aws_sdk_s3::operation::head_object::HeadObjectOutput,
) -> (ChecksumAlgorithm, &'static str, &'static str) {
    if src_head.checksum_crc32().is_some() {
        (ChecksumAlgorithm::Crc32, "crc32", "checksum")
    } else {
        (ChecksumAlgorithm::Crc64Nvme, "crc64nvme", "etag")
    }
}

/// The destination's stored checksum of `alg`.
async fn stored_crc(server: &Server, key: &str, alg: &ChecksumAlgorithm) -> Option<String> {
    let h = head_checksums(&server.client(), DST_BUCKET, key).await;
    match alg {
        ChecksumAlgorithm::Crc32 => h.checksum_crc32().map(Into::into),
        _ => h.checksum_crc64_nvme().map(Into::into),
    }
}

/// Streams a dressed 12 MiB source (every content header, user metadata,
/// tags on moto) from `src` to `dst`, once as one PutObject and once in
/// three parts, through a proxy in front of `dst` that records the writes;
/// checks bytes, headers, metadata, checksums, tags as far as the stores
/// allow (see the module docs) and the JSON line.
async fn stream_dressed(src: &Server, dst: &Server, keys: &Server) {
    let p = unique(&format!("stream-{}-to-{}", src.name, dst.name));
    let key = format!("{p}source.bin");
    let src_tagged = src.name == "moto";
    put_dressed_source(src, &key, src_tagged).await;
    let sc = src.client();
    let data = get_bytes(&sc, SRC_BUCKET, &key).await;
    let want = head(&sc, SRC_BUCKET, &key).await;
    assert_eq!(want.metadata.len(), 2, "{want:?}");
    let src_tags = if src_tagged {
        tags(src, SRC_BUCKET, &key).await
    } else {
        Vec::new()
    };
    let (alg, alg_name, by) = expected_crc(&head_checksums(&sc, SRC_BUCKET, &key).await);
    let crc = s3_crc(&alg, &data);
    let src_uri = s3(SRC_BUCKET, &key);

    for (name, size_args, multipart) in
        [("single", &SINGLE[..], false), ("multi", &PARTS[..], true)]
    {
        let dst_key = format!("{p}{name}");
        let proxy = Proxy::start(&dst.endpoint).await;
        let dst_uri = s3(DST_BUCKET, &dst_key);
        let mut args = vec!["--json"];
        args.extend_from_slice(size_args);
        args.extend([src_uri.as_str(), dst_uri.as_str()]);
        let r = across(keys, &src.endpoint, &proxy.endpoint, &args).await;
        let v = r.json_ok();
        assert_eq!(v["method"], "stream", "{v}");
        assert_eq!(v["size"], 12 * MIB, "{v}");
        assert_eq!(v["status"], "copied", "{v}");
        assert_eq!(v["verified"], true, "{v}");
        assert_eq!(v["verified_by"], by, "{v}");
        if multipart {
            assert_eq!(v["parts"], 3, "{v}");
            assert_eq!(v["part_size"], 5 * MIB, "{v}");
        } else {
            assert_eq!(v["parts"], 0, "{v}");
            assert!(v["part_size"].is_null(), "{v}");
        }

        // Byte for byte, with every header and the metadata.
        let dc = dst.client();
        assert!(
            get_bytes(&dc, DST_BUCKET, &dst_key).await == data,
            "{dst_uri} differs from {src_uri}"
        );
        assert_eq!(head(&dc, DST_BUCKET, &dst_key).await, want, "{name}");

        // No server-side copy, no source read through the destination.
        assert!(proxy.of("CopyObject").is_empty(), "{name}");
        assert!(proxy.of("UploadPartCopy").is_empty(), "{name}");
        assert!(
            proxy.of("GetObject").is_empty(),
            "{name}: read the wrong store"
        );
        let writes: Vec<Request> = if multipart {
            assert!(proxy.of("PutObject").is_empty(), "{name}");
            let parts = proxy.of("UploadPart");
            assert_eq!(parts.len(), 3, "{name}");
            for part in &parts {
                assert!(carries_checksum(part, alg_name), "{name}: {part:#?}");
            }
            let create = proxy.of("CreateMultipartUpload");
            assert_eq!(create.len(), 1, "{name}");
            assert_eq!(
                create[0].header("x-amz-checksum-type"),
                Some("FULL_OBJECT"),
                "{name}: {create:#?}"
            );
            let complete = proxy.of("CompleteMultipartUpload");
            assert_eq!(complete.len(), 1, "{name}");
            assert_eq!(
                complete[0].header(&format!("x-amz-checksum-{alg_name}")),
                Some(crc.as_str()),
                "{name}: the whole object's CRC goes with the Complete: {complete:#?}"
            );
            create
        } else {
            let puts = proxy.of("PutObject");
            assert_eq!(puts.len(), 1, "{name}");
            assert!(carries_checksum(&puts[0], alg_name), "{name}: {puts:#?}");
            puts
        };
        // The store checked the CRC and kept it.
        assert_eq!(
            stored_crc(dst, &dst_key, &alg).await.as_deref(),
            Some(crc.as_str()),
            "{name}"
        );

        // Tags (module docs), and no website redirect (as CopyObject).
        for w in &writes {
            assert!(
                w.header("x-amz-website-redirect-location").is_none(),
                "{name}: {w:#?}"
            );
        }
        if src_tagged {
            assert_eq!(src_tags.len(), 2);
            assert_eq!(
                tagging_header(&writes[0]),
                Some(src_tags.clone()),
                "{name}: the source's tags go with the write"
            );
        } else {
            assert_eq!(tagging_header(&writes[0]), None, "{name}");
        }
        if dst.name == "moto" {
            assert_eq!(tags(dst, DST_BUCKET, &dst_key).await, src_tags, "{name}");
        }
        assert!(uploads(&dc, DST_BUCKET, &p).await.is_empty(), "{name}");
    }
}

#[tokio::test]
async fn streams_garage_to_moto_single_and_multipart() {
    let (g, m) = (garage().await, moto().await);
    stream_dressed(&g, &m, &g).await;
}

#[tokio::test]
async fn streams_moto_to_garage_single_and_multipart() {
    let (g, m) = (garage().await, moto().await);
    stream_dressed(&m, &g, &g).await;
}

/// The human line says "streamed".
#[tokio::test]
async fn human_line_says_streamed() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-human");
    put(
        &m.client(),
        SRC_BUCKET,
        &format!("{p}a"),
        random_bytes(4096),
    )
    .await;
    let r = across(
        &g,
        &m.endpoint,
        &g.endpoint,
        &[
            &s3(SRC_BUCKET, &format!("{p}a")),
            &s3(DST_BUCKET, &format!("{p}b")),
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.stdout.lines().count(), 1, "{r}");
    assert!(r.stdout.contains("streamed"), "{r}");
}

/// The source's keys, region and endpoint from `--source-profile`, while
/// the environment holds moto's keys (which Garage refuses): the profile
/// named by the flag wins, as in aws-cli.
#[tokio::test]
async fn source_profile_gives_the_source_its_keys_and_endpoint() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-profile");
    let data = random_bytes(3 * MIB as usize);
    put(&g.client(), SRC_BUCKET, &format!("{p}a"), data.clone()).await;
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(
        aws.join("config"),
        format!(
            "[profile garage-src]\nregion = us-east-1\nendpoint_url = {}\n",
            g.endpoint
        ),
    )
    .unwrap();
    std::fs::write(
        aws.join("credentials"),
        format!(
            "[garage-src]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            g.access_key, g.secret_key
        ),
    )
    .unwrap();
    assert_ne!(m.access_key, g.access_key);
    let r = m
        .s3cp_with(
            &[
                "--json",
                "--source-profile",
                "garage-src",
                &s3(SRC_BUCKET, &format!("{p}a")),
                &s3(DST_BUCKET, &format!("{p}b")),
            ],
            &[("HOME", home.path().to_str().unwrap())],
        )
        .await;
    let v = r.json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["verified"], true, "{v}");
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}b")).await == data);
}

/// A `--source-profile` that assumes a role (`role_arn` with a
/// `source_profile`), as another account's usually does: its credentials
/// come from STS (moto's, by `AWS_ENDPOINT_URL_STS`), asked in the
/// region resolved for the source, and the source's reads are signed with
/// them while the destination's writes keep the environment's keys.
#[tokio::test]
async fn a_source_profile_that_assumes_a_role_reads_with_the_roles_keys() {
    let m = moto().await;
    let p = unique("stream-role");
    let data = random_bytes(100_000);
    put(&m.client(), SRC_BUCKET, &format!("{p}a"), data.clone()).await;
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(
        aws.join("config"),
        "[profile theirs]\nrole_arn = arn:aws:iam::123456789012:role/reader\n\
         source_profile = base\n[profile base]\n",
    )
    .unwrap();
    std::fs::write(
        aws.join("credentials"),
        "[base]\naws_access_key_id = AKIABASEBASEBASE0000\naws_secret_access_key = base\n",
    )
    .unwrap();
    let proxy = Proxy::start(&m.endpoint).await;
    let r = m
        .via(&proxy)
        .s3cp_with(
            &[
                "--json",
                "--copy-mode",
                "stream",
                "--source-profile",
                "theirs",
                "--source-endpoint-url",
                &proxy.endpoint,
                &s3(SRC_BUCKET, &format!("{p}a")),
                &s3(DST_BUCKET, &format!("{p}b")),
            ],
            &[
                ("HOME", home.path().to_str().unwrap()),
                ("AWS_ENDPOINT_URL_STS", m.endpoint.as_str()),
            ],
        )
        .await;
    let v = r.json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}b")).await == data);
    let key_of = |r: &Request| {
        let auth = r.header("authorization").unwrap_or_default().to_owned();
        let after = auth.split("Credential=").nth(1).unwrap_or_default();
        after.split('/').next().unwrap_or_default().to_owned()
    };
    let requests = proxy.requests();
    let get = requests
        .iter()
        .find(|r| r.operation() == "GetObject")
        .expect("a GET");
    let put = requests
        .iter()
        .find(|r| r.operation() == "PutObject")
        .expect("a PUT");
    let role_key = key_of(get);
    assert!(
        role_key != m.access_key && role_key != "AKIABASEBASEBASE0000" && !role_key.is_empty(),
        "the source was read with the role's keys, not {role_key}"
    );
    assert_eq!(
        key_of(put),
        m.access_key,
        "the destination keeps the environment's keys"
    );
}

/// `--copy-mode stream` on one store (moto -> moto): streamed, and here
/// the tags can be read back from the destination.
#[tokio::test]
async fn copy_mode_stream_on_one_store_streams_with_tags() {
    let m = moto().await;
    let p = unique("stream-same-store");
    let key = format!("{p}source.bin");
    put_dressed_source(&m, &key, true).await;
    let c = m.client();
    let data = get_bytes(&c, SRC_BUCKET, &key).await;
    let want = head(&c, SRC_BUCKET, &key).await;
    let want_tags = tags(&m, SRC_BUCKET, &key).await;
    assert_eq!(want_tags.len(), 2);
    for (name, size_args, parts) in [("single", &SINGLE[..], 0), ("multi", &PARTS[..], 3)] {
        let proxy = Proxy::start(&m.endpoint).await;
        let dst_key = format!("{p}{name}");
        let mut args = vec!["--json", "--copy-mode", "stream"];
        args.extend_from_slice(size_args);
        let (s, d) = (s3(SRC_BUCKET, &key), s3(DST_BUCKET, &dst_key));
        args.extend([s.as_str(), d.as_str()]);
        let v = m.via(&proxy).s3cp(&args).await.json_ok();
        assert_eq!(v["method"], "stream", "{v}");
        assert_eq!(v["parts"], parts, "{v}");
        assert_eq!(v["verified"], true, "{v}");
        assert!(proxy.of("CopyObject").is_empty() && proxy.of("UploadPartCopy").is_empty());
        assert!(!proxy.of("GetObject").is_empty(), "the source was read");
        assert!(get_bytes(&c, DST_BUCKET, &dst_key).await == data, "{name}");
        assert_eq!(head(&c, DST_BUCKET, &dst_key).await, want, "{name}");
        assert_eq!(tags(&m, DST_BUCKET, &dst_key).await, want_tags, "{name}");
    }
    assert!(uploads(&c, DST_BUCKET, &p).await.is_empty());
}

/// `--copy-mode server` between two stores is refused before any request
/// (exit 2, naming `--copy-mode stream`); `auto` (given or by default)
/// streams between two stores and copies server-side on one (the same
/// endpoint URL given for both ends is one store).
#[tokio::test]
async fn copy_mode_server_between_stores_is_refused_and_auto_streams() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-modes");
    let data = random_bytes(100_000);
    put(&m.client(), SRC_BUCKET, &format!("{p}a"), data.clone()).await;
    let src = s3(SRC_BUCKET, &format!("{p}a"));

    // server: refused, nothing sent to either store.
    let (src_proxy, dst_proxy) = (
        Proxy::start(&m.endpoint).await,
        Proxy::start(&g.endpoint).await,
    );
    let dst = s3(DST_BUCKET, &format!("{p}server"));
    let r = across(
        &g,
        &src_proxy.endpoint,
        &dst_proxy.endpoint,
        &["--copy-mode", "server", &src, &dst],
    )
    .await;
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("--copy-mode stream"), "{r}");
    assert!(r.stdout.is_empty(), "{r}");
    assert!(
        src_proxy.requests().is_empty(),
        "{:#?}",
        src_proxy.requests()
    );
    assert!(
        dst_proxy.requests().is_empty(),
        "{:#?}",
        dst_proxy.requests()
    );
    assert!(!exists(&g.client(), DST_BUCKET, &format!("{p}server")).await);

    // auto, given and by default: streamed.
    for (name, mode) in [("auto", &["--copy-mode", "auto"][..]), ("default", &[][..])] {
        let dst = s3(DST_BUCKET, &format!("{p}{name}"));
        let mut args = vec!["--json"];
        args.extend_from_slice(mode);
        args.extend([src.as_str(), dst.as_str()]);
        let v = across(&g, &m.endpoint, &g.endpoint, &args).await.json_ok();
        assert_eq!(v["method"], "stream", "{name}: {v}");
        assert_eq!(v["verified"], true, "{name}: {v}");
        assert!(get_bytes(&g.client(), DST_BUCKET, &format!("{p}{name}")).await == data);
    }

    // The destination's own endpoint given as the source's: one store,
    // server-side.
    put(&g.client(), SRC_BUCKET, &format!("{p}g"), data.clone()).await;
    let proxy = Proxy::start(&g.endpoint).await;
    let v = across(
        &g,
        &proxy.endpoint,
        &proxy.endpoint,
        &[
            "--json",
            &s3(SRC_BUCKET, &format!("{p}g")),
            &s3(DST_BUCKET, &format!("{p}same")),
        ],
    )
    .await
    .json_ok();
    assert_eq!(v["method"], "single", "{v}");
    assert_eq!(proxy.of("CopyObject").len(), 1);
    assert!(proxy.of("GetObject").is_empty());
}

/// The source is overwritten while the GET of part 2 is held (before it
/// reaches the store): that GET is pinned to the old ETag, so the store
/// answers 412; the upload is aborted, nothing is left, exit 1.
async fn source_overwritten_mid_stream(src: &Server, dst: &Server, keys: &Server) {
    let p = unique(&format!("stream-overwritten-{}", src.name));
    let key = format!("{p}src");
    let sc = src.client();
    put(&sc, SRC_BUCKET, &key, random_bytes(11 * MIB as usize)).await;
    let etag = sc
        .head_object()
        .bucket(SRC_BUCKET)
        .key(&key)
        .send()
        .await
        .unwrap()
        .e_tag()
        .unwrap()
        .to_owned();
    let src_proxy = Proxy::start(&src.endpoint).await;
    let dst_proxy = Proxy::start(&dst.endpoint).await;
    let get2 = src_proxy.hold("GetObject", 2);
    let mut args = PARTS_ONE_AT_A_TIME.to_vec();
    let (s, d) = (s3(SRC_BUCKET, &key), s3(DST_BUCKET, &format!("{p}dst")));
    args.extend([s.as_str(), d.as_str()]);
    let mut child = spawn_across(keys, &src_proxy.endpoint, &dst_proxy.endpoint, &args);
    let held = child.before_exit(get2.arrived()).await;
    assert_eq!(
        held.header("if-match").map(unquote),
        Some(unquote(&etag)),
        "each GET is pinned to the HEADed ETag: {held:#?}"
    );
    put(&sc, SRC_BUCKET, &key, b"a different object now".to_vec()).await;
    get2.release();

    let r = child.wait().await;
    assert_eq!(r.code, 1, "{r}");
    let said = r.stderr.to_lowercase();
    assert!(
        said.contains("source") && said.contains("changed"),
        "the message says the source changed: {r}"
    );
    assert_eq!(
        dst_proxy.of("CreateMultipartUpload").len(),
        1,
        "an upload was begun (part 1 was written before part 2 was read)"
    );
    assert_eq!(dst_proxy.of("AbortMultipartUpload").len(), 1, "{r}");
    assert!(dst_proxy.of("CompleteMultipartUpload").is_empty(), "{r}");
    let dc = dst.client();
    assert_nothing_written(&dc, &format!("{p}dst"), &p).await;
}

#[tokio::test]
async fn source_overwritten_mid_stream_from_garage_fails_and_leaves_nothing() {
    let (g, m) = (garage().await, moto().await);
    source_overwritten_mid_stream(&g, &m, &g).await;
}

#[tokio::test]
async fn source_overwritten_mid_stream_from_moto_fails_and_leaves_nothing() {
    let (g, m) = (garage().await, moto().await);
    source_overwritten_mid_stream(&m, &g, &g).await;
}

/// The first byte a GET asks for (0 without a Range).
fn range_start(r: &Request) -> u64 {
    r.header("range")
        .and_then(|h| h.strip_prefix("bytes="))
        .and_then(|h| h.split('-').next())
        .map_or(0, |s| s.parse().expect("a range start"))
}

/// The last byte a GET asks for, of an object of `size` bytes.
fn range_end(r: &Request, size: u64) -> u64 {
    r.header("range")
        .and_then(|h| h.strip_prefix("bytes="))
        .and_then(|h| h.split('-').nth(1))
        .filter(|s| !s.is_empty())
        .map_or(size - 1, |s| s.parse().expect("a range end"))
}

/// The first GET from the source (Garage, through a proxy) fails with
/// `fault`; the copy (to moto) succeeds with the same bytes, and that GET
/// was sent again: the same range, still pinned to the source's ETag.
async fn get_fault_is_retried(fault: Fault, size: u64, extra: &[&str]) {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-get-retried");
    let key = format!("{p}src");
    let data = random_bytes(size as usize);
    put(&g.client(), SRC_BUCKET, &key, data.clone()).await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.fault("GetObject", When::First(1), fault);
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    let (s, d) = (s3(SRC_BUCKET, &key), s3(DST_BUCKET, &format!("{p}dst")));
    args.extend([s.as_str(), d.as_str()]);
    let r = across(&g, &proxy.endpoint, &m.endpoint, &args).await;
    let v = r.json_ok();
    assert_eq!(proxy.injected(), vec![fault]);
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["verified"], true, "{v}");
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}dst")).await == data);
    let gets = proxy.of("GetObject");
    let parts = if v["parts"] == 0 {
        1
    } else {
        v["parts"].as_u64().unwrap() as usize
    };
    assert_eq!(gets.len(), parts + 1, "one GET sent again: {gets:#?}");
    // The GET sent again is the one cut (it may start where the cut fell):
    // it ends where the first GET ends.
    let first = &gets[0];
    let again: Vec<&Request> = gets[1..]
        .iter()
        .filter(|r| range_end(r, size) == range_end(first, size))
        .collect();
    assert_eq!(again.len(), 1, "the cut GET is sent again: {gets:#?}");
    assert!(
        range_start(again[0]) <= range_start(first) + MIB,
        "the retry reads all that was not had (at most 1 MiB came): {gets:#?}"
    );
    assert!(first.header("if-match").is_some(), "{first:#?}");
    assert_eq!(
        again[0].header("if-match"),
        first.header("if-match"),
        "the retry is pinned to the same ETag"
    );
    assert!(uploads(&m.client(), DST_BUCKET, &p).await.is_empty());
}

#[tokio::test]
async fn a_get_reset_mid_response_is_sent_again() {
    get_fault_is_retried(Fault::ResetMidResponse, 11 * MIB, &PARTS_ONE_AT_A_TIME).await;
}

/// The cut falls inside the body for sure (after 1 MiB of 5): the SDK has
/// handed the answer over, so it is s3cp that must read it again.
#[tokio::test]
async fn a_get_whose_body_is_cut_off_is_sent_again_multipart() {
    get_fault_is_retried(Fault::CutBody(MIB as usize), 11 * MIB, &PARTS_ONE_AT_A_TIME).await;
}

/// The same for one PutObject: the write must not go out with half a body.
#[tokio::test]
async fn a_get_whose_body_is_cut_off_is_sent_again_single() {
    get_fault_is_retried(Fault::CutBody(MIB as usize), 3 * MIB, &SINGLE).await;
}

/// Starts a streamed copy of an 11 MiB source on `src` to `dst` (with
/// `keys`' credentials), through a proxy in front of `dst` that holds
/// UploadPart #2 before it is forwarded (part 1 is written), and presses
/// Ctrl-C there.
async fn interrupted_stream(
    (src, dst, keys): (&Server, &Server, &Server),
    p: &str,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Run, (Proxy, Gate, Proxy), String, String) {
    let key = format!("{p}src");
    let data = random_bytes(11 * MIB as usize);
    put(&src.client(), SRC_BUCKET, &key, data).await;
    let proxy = Proxy::start(&dst.endpoint).await;
    let src_proxy = Proxy::start(&src.endpoint).await;
    // Every send of part 2: held past the SDK's stalled-stream grace
    // (5 s, under load), the part is sent again, and that one must not
    // get through either.
    let part2 = proxy.hold_every(At::Request, "UploadPart of part 2", |r| {
        r.operation() == "UploadPart" && r.query("partNumber").as_deref() == Some("2")
    });
    let keep = extra.contains(&"--keep-partial");
    let abort = (!keep).then(|| proxy.hold("AbortMultipartUpload", 1));
    let (s, d) = (s3(SRC_BUCKET, &key), s3(DST_BUCKET, &format!("{p}dst")));
    let mut args = vec!["--source-endpoint-url", src_proxy.endpoint.as_str()];
    args.extend_from_slice(extra);
    args.extend(PARTS_ONE_AT_A_TIME);
    args.extend([s.as_str(), d.as_str()]);
    let mut child = writing_to(keys, &proxy.endpoint)
        .with_timeout(Duration::from_secs(60))
        .spawn_env(&args, env);
    child.before_exit(part2.arrived()).await;
    interrupt(&child);
    if let Some(abort) = abort {
        child.before_exit(abort.arrived()).await;
        abort.release();
    }
    let r = child.wait().await;
    // The gate goes back with the proxy: dropped, it would let go the part
    // 2 it holds, which may then still reach the store. The source's proxy
    // goes back too: a rerun must reach the same endpoints, which key the
    // copy's journal.
    (r, (proxy, part2, src_proxy), s, d)
}

#[tokio::test]
async fn ctrl_c_mid_stream_exits_130_and_aborts_the_upload() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-sigint");
    let (r, (proxy, _part2, _), _, _) = interrupted_stream((&g, &m, &g), &p, &[], &[]).await;
    assert_eq!(r.code, 130, "{r}");
    assert!(r.stderr.contains("interrupted"), "{r}");
    assert_eq!(
        part_numbers(&proxy.of("UploadPart")),
        [1, 2],
        "no part started after Ctrl-C"
    );
    assert_eq!(proxy.of("AbortMultipartUpload").len(), 1);
    assert!(proxy.of("CompleteMultipartUpload").is_empty());
    let mc = m.client();
    assert_nothing_written(&mc, &format!("{p}dst"), &p).await;
}

/// The part numbers these UploadParts wrote, each once.
fn part_numbers(requests: &[Request]) -> Vec<u32> {
    let mut parts: Vec<u32> = requests
        .iter()
        .map(|r| r.query("partNumber").unwrap().parse().unwrap())
        .collect();
    parts.sort_unstable();
    parts.dedup();
    parts
}

/// `--keep-partial`, Ctrl-C after part 1, then `--resume`: only parts 2 and
/// 3 are read from the source and written; the result is whole and proved.
async fn keep_partial_then_resume(src: &Server, dst: &Server, keys: &Server) {
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique(&format!("stream-resume-{}", dst.name));
    // The first run's proxy and its hold of part 2 live to the end:
    // dropped, either would let the held part 2 go to the store (seen
    // twice under load: the resume then found part 2 done).
    let (r, (dst_proxy, _part2, src_proxy), src_uri, dst_uri) =
        interrupted_stream((src, dst, keys), &p, &["--keep-partial"], &env).await;
    assert_eq!(r.code, 130, "{r}");
    assert!(r.stderr.contains("kept"), "{r}");
    assert!(r.stderr.contains("run the same command again"), "{r}");
    let dc = dst.client();
    assert_eq!(
        uploads(&dc, DST_BUCKET, &p).await.len(),
        1,
        "the upload is kept"
    );
    let kept = journals(&state);
    assert!(
        kept.len() == 1 && kept[0].ends_with(".json"),
        "one journal: {kept:?}"
    );

    // The same command again, through the same endpoints (which key the
    // journal), counted alone.
    dst_proxy.reset();
    src_proxy.reset();
    let mut args = vec!["--json", "--keep-partial"];
    args.extend(PARTS_ONE_AT_A_TIME);
    args.extend([src_uri.as_str(), dst_uri.as_str()]);
    let r = writing_to(keys, &dst_proxy.endpoint)
        .s3cp_with(
            &[
                &["--source-endpoint-url", src_proxy.endpoint.as_str()][..],
                &args,
            ]
            .concat(),
            &env,
        )
        .await;
    let v = r.json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["parts"], 3, "{v}");
    assert_eq!(v["verified"], true, "{v}");
    // The store's whole-object CRC32 is the source's.
    let whole = get_bytes(&src.client(), SRC_BUCKET, &format!("{p}src")).await;
    assert_eq!(v["verified_by"], "checksum", "{v}");
    // The parts written before and after the stop join into the whole
    // object's CRC, which the Complete carries for the store to check:
    // part 1's CRC comes from ListParts. moto's ListParts leaves the part
    // checksums out (measured; S3 and Garage list them), so on moto there
    // is nothing to join and the Complete goes without it.
    if dst.name != "moto" {
        let complete = dst_proxy.of("CompleteMultipartUpload");
        assert_eq!(
            complete
                .first()
                .and_then(|c| c.header("x-amz-checksum-crc32")),
            Some(s3_crc(&ChecksumAlgorithm::Crc32, &whole).as_str()),
            "{complete:#?}"
        );
    }
    assert!(!dst_proxy.of("ListParts").is_empty());
    assert!(dst_proxy.of("CreateMultipartUpload").is_empty());
    assert_eq!(
        part_numbers(&dst_proxy.of("UploadPart")),
        [2, 3],
        "only parts 2 and 3 are written"
    );
    assert_eq!(dst_proxy.of("CompleteMultipartUpload").len(), 1);
    let ranges: Vec<Option<String>> = src_proxy
        .of("GetObject")
        .iter()
        .map(|r| r.header("range").map(str::to_owned))
        .collect();
    assert_eq!(
        ranges,
        [
            Some(format!("bytes={}-{}", 5 * MIB, 10 * MIB - 1)),
            Some(format!("bytes={}-{}", 10 * MIB, 11 * MIB - 1)),
        ],
        "only parts 2 and 3 are read"
    );
    assert!(get_bytes(&dc, DST_BUCKET, &format!("{p}dst")).await == whole);
    assert!(uploads(&dc, DST_BUCKET, &p).await.is_empty());
    assert!(journals(&state).is_empty(), "journal removed");
}

#[tokio::test]
async fn keep_partial_then_resume_a_stream_garage_to_moto() {
    let (g, m) = (garage().await, moto().await);
    keep_partial_then_resume(&g, &m, &g).await;
}

#[tokio::test]
async fn keep_partial_then_resume_a_stream_moto_to_garage() {
    let (g, m) = (garage().await, moto().await);
    keep_partial_then_resume(&m, &g, &g).await;
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

/// `-r` streams a prefix Garage -> moto, and back moto -> Garage.
#[tokio::test]
async fn recursive_streams_between_the_stores_both_ways() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-bulk");
    let objects = [("tiny", 1000), ("mid", 2 * MIB), ("big", 11 * MIB)];
    let mut data = Vec::new();
    for (name, size) in objects {
        let bytes = random_bytes(size as usize);
        put(
            &g.client(),
            SRC_BUCKET,
            &format!("{p}src/{name}"),
            bytes.clone(),
        )
        .await;
        data.push((name, bytes));
    }
    for (from, to, src, dst, src_prefix, dst_prefix) in [
        (&g, &m, SRC_BUCKET, DST_BUCKET, "src/", "there/"),
        (&m, &g, DST_BUCKET, DST_BUCKET, "there/", "back/"),
    ] {
        let mut args = vec!["-r", "--json"];
        args.extend(PARTS);
        let (s, d) = (
            s3(src, &format!("{p}{src_prefix}")),
            s3(dst, &format!("{p}{dst_prefix}")),
        );
        args.extend([s.as_str(), d.as_str()]);
        let r = across(&g, &from.endpoint, &to.endpoint, &args).await;
        assert_eq!(r.code, 0, "{r}");
        let (lines, summary) = bulk_lines(&r);
        assert_eq!(summary["copied"], 3, "{summary}");
        assert_eq!(summary["verified"], 3, "{summary}");
        assert_eq!(summary["failed"], 0, "{summary}");
        assert_eq!(line_for(&lines, "big")["parts"], 3, "{lines:#?}");
        for line in &lines {
            assert_eq!(line["method"], "stream", "{line}");
        }
        for (name, bytes) in &data {
            let got = get_bytes(&to.client(), dst, &format!("{p}{dst_prefix}{name}")).await;
            assert!(got == *bytes, "{name} differs after {}", dst_prefix);
        }
        assert!(uploads(&to.client(), dst, &p).await.is_empty());
    }
}

/// A manifest mixing `"mode": "server"` and `"mode": "stream"` lines with
/// plain ones: on one store (Garage) each line goes its own way; across
/// stores (moto -> Garage) a "server" line fails alone (exit 1), the others
/// stream.
#[tokio::test]
async fn manifest_mixes_server_and_stream_lines() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-manifest");
    let small = random_bytes(50_000);
    let big = random_bytes(11 * MIB as usize);
    for server in [&g, &m] {
        put(
            &server.client(),
            SRC_BUCKET,
            &format!("{p}small"),
            small.clone(),
        )
        .await;
        put(
            &server.client(),
            SRC_BUCKET,
            &format!("{p}big"),
            big.clone(),
        )
        .await;
    }
    let line = |src: &str, dst: &str, mode: Option<&str>| match mode {
        Some(mode) => format!(
            "{{\"src\": \"{}\", \"dst\": \"{}\", \"mode\": \"{mode}\"}}\n",
            s3(SRC_BUCKET, &format!("{p}{src}")),
            s3(DST_BUCKET, &format!("{p}{dst}"))
        ),
        None => format!(
            "{} {}\n",
            s3(SRC_BUCKET, &format!("{p}{src}")),
            s3(DST_BUCKET, &format!("{p}{dst}"))
        ),
    };
    let manifest = |to: &str| {
        [
            line("small", &format!("{to}/server-small"), Some("server")),
            line("big", &format!("{to}/server-big"), Some("server")),
            line("small", &format!("{to}/stream-small"), Some("stream")),
            line("big", &format!("{to}/stream-big"), Some("stream")),
            line("small", &format!("{to}/plain-small"), None),
        ]
        .concat()
    };
    let mut args = vec!["--from-file", "-", "--json"];
    args.extend(PARTS);

    // One store: server lines and plain lines server-side, stream lines
    // streamed.
    let proxy = Proxy::start(&g.endpoint).await;
    let r = g.via(&proxy).s3cp_stdin(&args, &manifest("same")).await;
    assert_eq!(r.code, 0, "{r}");
    let (lines, summary) = bulk_lines(&r);
    assert_eq!(summary["copied"], 5, "{summary}");
    for (dst, method, parts) in [
        ("same/server-small", "single", 0),
        ("same/server-big", "multipart", 3),
        ("same/stream-small", "stream", 0),
        ("same/stream-big", "stream", 3),
        ("same/plain-small", "single", 0),
    ] {
        let l = line_for(&lines, dst);
        assert_eq!(
            (l["method"].as_str(), l["parts"].as_u64()),
            (Some(method), Some(parts)),
            "{l}"
        );
    }
    assert_eq!(proxy.of("CopyObject").len(), 2, "the server-side singles");
    assert_eq!(
        proxy.of("UploadPartCopy").len(),
        3,
        "the server-side multipart"
    );
    assert_eq!(proxy.of("UploadPart").len(), 3, "the streamed multipart");
    assert_eq!(proxy.of("PutObject").len(), 1, "the streamed single");
    for (dst, want) in [
        ("same/server-small", &small),
        ("same/server-big", &big),
        ("same/stream-small", &small),
        ("same/stream-big", &big),
        ("same/plain-small", &small),
    ] {
        let got = get_bytes(&g.client(), DST_BUCKET, &format!("{p}{dst}")).await;
        assert!(got == *want, "{dst} differs");
    }

    // Across stores (moto -> Garage): the server lines fail, the rest
    // stream.
    let r = g
        .s3cp_stdin(
            &[&["--source-endpoint-url", m.endpoint.as_str()][..], &args].concat(),
            &manifest("across"),
        )
        .await;
    assert_eq!(r.code, 1, "{r}");
    let (lines, summary) = bulk_lines(&r);
    assert_eq!(summary["copied"], 3, "{summary}");
    assert_eq!(summary["failed"], 2, "{summary}");
    for dst in ["across/server-small", "across/server-big"] {
        let l = line_for(&lines, dst);
        assert_eq!(l["status"], "failed", "{l}");
        let message = l["error"]["message"].as_str().unwrap_or("");
        assert!(
            message.contains("stream"),
            "the failure names the way out: {l}"
        );
        assert!(!exists(&g.client(), DST_BUCKET, &format!("{p}{dst}")).await);
    }
    for (dst, want) in [
        ("across/stream-small", &small),
        ("across/stream-big", &big),
        ("across/plain-small", &small),
    ] {
        let l = line_for(&lines, dst);
        assert_eq!(l["status"], "copied", "{l}");
        assert_eq!(l["method"], "stream", "{l}");
        let got = get_bytes(&g.client(), DST_BUCKET, &format!("{p}{dst}")).await;
        assert!(got == *want, "{dst} differs");
    }
    assert!(uploads(&g.client(), DST_BUCKET, &p).await.is_empty());
}

/// The same bucket and key names on two stores are two objects: a copy
/// from one to the other (the way to move a bucket between stores) is not
/// a copy onto itself, one object or a whole prefix.
#[tokio::test]
async fn same_names_on_two_stores_are_not_a_copy_onto_itself() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-same-names");
    let data = random_bytes(100_000);
    for k in ["one", "dir/a", "dir/b"] {
        put(&m.client(), SRC_BUCKET, &format!("{p}{k}"), data.clone()).await;
    }
    let one = s3(SRC_BUCKET, &format!("{p}one"));
    let r = across(&g, &m.endpoint, &g.endpoint, &["--json", &one, &one]).await;
    let v = r.json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["verified"], true, "{v}");
    assert!(get_bytes(&g.client(), SRC_BUCKET, &format!("{p}one")).await == data);

    let dir = s3(SRC_BUCKET, &format!("{p}dir/"));
    let r = across(&g, &m.endpoint, &g.endpoint, &["-r", "--json", &dir, &dir]).await;
    assert_eq!(r.code, 0, "{r}");
    let (lines, summary) = bulk_lines(&r);
    assert_eq!(summary["copied"], 2, "{summary}");
    assert_eq!(summary["verified"], 2, "{summary}");
    for line in &lines {
        assert_eq!(line["method"], "stream", "{line}");
    }
    for k in ["dir/a", "dir/b"] {
        assert!(get_bytes(&g.client(), SRC_BUCKET, &format!("{p}{k}")).await == data);
    }

    // A manifest line.
    let r = writing_to(&g, &g.endpoint)
        .s3cp_stdin(
            &[
                "--source-endpoint-url",
                &m.endpoint,
                "--from-file",
                "-",
                "--json",
            ],
            &format!("{one} {one}\n"),
        )
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (lines, _) = bulk_lines(&r);
    assert_eq!(lines[0]["status"], "copied", "{r}");
    assert_eq!(lines[0]["method"], "stream", "{r}");

    // A source without a checksum is proved by its MD5 ETag; one whose
    // ETag is no MD5 either (a multipart upload), under --verify, by
    // reading it back after the write: it is still there (it was not
    // replaced: it is on the other store).
    let mc = bare_client(&m.client());
    put(&mc, SRC_BUCKET, &format!("{p}bare"), data.clone()).await;
    let bodies = vec![random_bytes(5 * MIB as usize), data.clone()];
    put_multipart(&mc, SRC_BUCKET, &format!("{p}bare-parts"), bodies, None).await;
    for (key, by) in [("bare", "etag"), ("bare-parts", "read")] {
        let bare = s3(SRC_BUCKET, &format!("{p}{key}"));
        let v = across(
            &g,
            &m.endpoint,
            &g.endpoint,
            &["--json", "--verify", &bare, &bare],
        )
        .await
        .json_ok();
        assert_eq!(v["method"], "stream", "{v}");
        assert_eq!(v["verified"], true, "{v}");
        assert_eq!(v["verified_by"], by, "{v}");
    }
}

/// An empty object streams too (one PutObject of nothing, its headers
/// kept).
#[tokio::test]
async fn an_empty_object_streams() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-empty");
    g.client()
        .put_object()
        .bucket(SRC_BUCKET)
        .key(format!("{p}empty"))
        .content_type("text/x-empty")
        .metadata("note", "nothing")
        .body(Vec::new().into())
        .send()
        .await
        .unwrap();
    let v = across(
        &g,
        &g.endpoint,
        &m.endpoint,
        &[
            "--json",
            &s3(SRC_BUCKET, &format!("{p}empty")),
            &s3(DST_BUCKET, &format!("{p}copy")),
        ],
    )
    .await
    .json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["size"], 0, "{v}");
    assert_eq!(v["verified"], true, "{v}");
    let got = head(&m.client(), DST_BUCKET, &format!("{p}copy")).await;
    assert_eq!(got.size, 0);
    assert_eq!(got.content_type.as_deref(), Some("text/x-empty"));
    assert_eq!(
        got.metadata.get("note").map(String::as_str),
        Some("nothing")
    );
}

/// Without size flags a streamed copy uses the streaming defaults
/// (`plan::STREAM_PART_SIZE`, and a threshold of one part), not the
/// server-side ones.
#[tokio::test]
async fn streaming_uses_its_own_default_part_size() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-defaults");
    let part = s3cp::plan::STREAM_PART_SIZE;
    let size = part * 2 + part / 2;
    let data = random_bytes(size as usize);
    put(&g.client(), SRC_BUCKET, &format!("{p}src"), data.clone()).await;
    let v = across(
        &g,
        &g.endpoint,
        &m.endpoint,
        &[
            "--json",
            &s3(SRC_BUCKET, &format!("{p}src")),
            &s3(DST_BUCKET, &format!("{p}dst")),
        ],
    )
    .await
    .json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["part_size"], part, "{v}");
    assert_eq!(v["parts"], 3, "{v}");
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}dst")).await == data);
}

/// `--concurrency 2`: never more than two parts in flight, on either side
/// (each proxy sees one copy's GETs or writes, which overlap only with
/// each other).
#[tokio::test]
async fn concurrency_bounds_the_parts_in_flight() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-concurrency");
    let data = random_bytes(30 * MIB as usize);
    put(&g.client(), SRC_BUCKET, &format!("{p}src"), data.clone()).await;
    let (src_proxy, dst_proxy) = (
        Proxy::start(&g.endpoint).await,
        Proxy::start(&m.endpoint).await,
    );
    let mut args = vec!["--json", "--concurrency", "2"];
    args.extend(PARTS);
    let (s, d) = (
        s3(SRC_BUCKET, &format!("{p}src")),
        s3(DST_BUCKET, &format!("{p}dst")),
    );
    args.extend([s.as_str(), d.as_str()]);
    let v = across(&g, &src_proxy.endpoint, &dst_proxy.endpoint, &args)
        .await
        .json_ok();
    assert_eq!(v["parts"], 6, "{v}");
    assert_eq!(src_proxy.of("GetObject").len(), 6);
    assert_eq!(dst_proxy.of("UploadPart").len(), 6);
    assert!(
        src_proxy.max_in_flight() <= 2,
        "{}",
        src_proxy.max_in_flight()
    );
    assert!(
        dst_proxy.max_in_flight() <= 2,
        "{}",
        dst_proxy.max_in_flight()
    );
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}dst")).await == data);
}

/// S3's CRC32C of `data` (base64 of its big-endian bytes).
fn crc32c(data: &[u8]) -> String {
    use base64::Engine as _;
    let crc = crc_fast::checksum(crc_fast::CrcAlgorithm::Crc32Iscsi, data) as u32;
    base64::engine::general_purpose::STANDARD.encode(crc.to_be_bytes())
}

/// `--checksum-algorithm CRC32C` names the CRC computed in flight: every
/// write carries it, the destination keeps the whole object's, and since
/// the source's checksum (CRC32) is another, the copy is proved by the
/// source's MD5 ETag against the bytes as they came.
#[tokio::test]
async fn a_named_checksum_algorithm_is_the_one_streamed() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-crc32c");
    let data = random_bytes(11 * MIB as usize);
    put(&g.client(), SRC_BUCKET, &format!("{p}src"), data.clone()).await;
    let want = crc32c(&data);
    for (name, size_args) in [("single", &SINGLE[..]), ("multi", &PARTS[..])] {
        let proxy = Proxy::start(&m.endpoint).await;
        let mut args = vec!["--json", "--checksum-algorithm", "CRC32C"];
        args.extend_from_slice(size_args);
        let (s, d) = (
            s3(SRC_BUCKET, &format!("{p}src")),
            s3(DST_BUCKET, &format!("{p}{name}")),
        );
        args.extend([s.as_str(), d.as_str()]);
        let v = across(&g, &g.endpoint, &proxy.endpoint, &args)
            .await
            .json_ok();
        assert_eq!(v["method"], "stream", "{v}");
        assert_eq!(v["verified"], true, "{v}");
        assert_eq!(v["verified_by"], "etag", "{v}");
        for w in proxy.of("PutObject").iter().chain(&proxy.of("UploadPart")) {
            assert!(carries_checksum(w, "crc32c"), "{name}: {w:#?}");
        }
        let h = head_checksums(&m.client(), DST_BUCKET, &format!("{p}{name}")).await;
        assert_eq!(h.checksum_crc32_c(), Some(want.as_str()), "{name}");
        assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}{name}")).await == data);
    }
}

/// An SSE-C key (32 bytes of one value) for Garage, which enforces SSE-C.
struct SseKey([u8; 32]);

impl SseKey {
    fn b64(&self) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }
    fn md5(&self) -> String {
        use base64::Engine as _;
        use md5::Digest as _;
        base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(self.0))
    }
    fn file(&self, dir: &tempfile::TempDir) -> String {
        let path = dir.path().join("key");
        std::fs::write(&path, self.0).unwrap();
        path.display().to_string()
    }
}

/// A source encrypted with a customer key (on Garage) is read with the key
/// of `--sse-c-copy-source` (as GET headers: a GET has no copy source);
/// `--sse-c` encrypts the writes to Garage, each part with the key.
#[tokio::test]
async fn sse_c_on_either_end_of_a_stream() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-sse-c");
    let key = SseKey([7; 32]);
    let dir = tempfile::tempdir().unwrap();
    let key_file = key.file(&dir);
    let data = random_bytes(11 * MIB as usize);
    g.client()
        .put_object()
        .bucket(SRC_BUCKET)
        .key(format!("{p}src"))
        .body(data.clone().into())
        .sse_customer_algorithm("AES256")
        .sse_customer_key(key.b64())
        .sse_customer_key_md5(key.md5())
        .send()
        .await
        .unwrap();

    // Garage (encrypted) -> moto (plain).
    let proxy = Proxy::start(&g.endpoint).await;
    let mut args = vec![
        "--json",
        "--sse-c-copy-source",
        "AES256",
        "--sse-c-copy-source-key-file",
        &key_file,
    ];
    args.extend(PARTS);
    let (s, d) = (
        s3(SRC_BUCKET, &format!("{p}src")),
        s3(DST_BUCKET, &format!("{p}plain")),
    );
    args.extend([s.as_str(), d.as_str()]);
    let v = across(&g, &proxy.endpoint, &m.endpoint, &args)
        .await
        .json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    for get in proxy.of("GetObject") {
        assert_eq!(
            get.header("x-amz-server-side-encryption-customer-algorithm"),
            Some("AES256"),
            "{get:#?}"
        );
        assert!(
            get.header("x-amz-copy-source-server-side-encryption-customer-key")
                .is_none()
        );
    }
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}plain")).await == data);

    // moto (plain) -> Garage (encrypted with the key).
    let proxy = Proxy::start(&g.endpoint).await;
    let mut args = vec!["--json", "--sse-c", "AES256", "--sse-c-key-file", &key_file];
    args.extend(PARTS);
    let (s, d) = (
        s3(DST_BUCKET, &format!("{p}plain")),
        s3(DST_BUCKET, &format!("{p}secret")),
    );
    args.extend([s.as_str(), d.as_str()]);
    let v = across(&g, &m.endpoint, &proxy.endpoint, &args)
        .await
        .json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["parts"], 3, "{v}");
    for w in proxy.of("UploadPart") {
        assert_eq!(
            w.header("x-amz-server-side-encryption-customer-key-md5"),
            Some(key.md5().as_str()),
            "{w:#?}"
        );
    }
    let gc = g.client();
    assert!(
        gc.get_object()
            .bucket(DST_BUCKET)
            .key(format!("{p}secret"))
            .send()
            .await
            .is_err(),
        "readable without the key"
    );
    let out = gc
        .get_object()
        .bucket(DST_BUCKET)
        .key(format!("{p}secret"))
        .sse_customer_algorithm("AES256")
        .sse_customer_key(key.b64())
        .sse_customer_key_md5(key.md5())
        .send()
        .await
        .unwrap();
    assert!(out.body.collect().await.unwrap().to_vec() == data);
}

/// `--no-overwrite` when streaming: the write itself carries
/// `If-None-Match: *` (PutObject, CompleteMultipartUpload), and an existing
/// destination (moto enforces it on Complete) is kept, with no upload
/// left. Bulk runs and lost answers: tests/stream_claims.rs.
#[tokio::test]
async fn no_overwrite_when_streaming() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-no-overwrite");
    put(
        &g.client(),
        SRC_BUCKET,
        &format!("{p}src"),
        random_bytes(11 * MIB as usize),
    )
    .await;
    let src = s3(SRC_BUCKET, &format!("{p}src"));
    let proxy = Proxy::start(&m.endpoint).await;
    for (name, size_args) in [("single", &SINGLE[..]), ("multi", &PARTS[..])] {
        let dst = s3(DST_BUCKET, &format!("{p}new-{name}"));
        let mut args = vec!["--no-overwrite"];
        args.extend_from_slice(size_args);
        args.extend([src.as_str(), dst.as_str()]);
        let r = across(&g, &g.endpoint, &proxy.endpoint, &args).await;
        assert_eq!(r.code, 0, "{r}");
    }
    let puts = proxy.of("PutObject");
    assert_eq!(puts.len(), 1);
    assert_eq!(puts[0].header("if-none-match"), Some("*"));
    let completes = proxy.of("CompleteMultipartUpload");
    assert_eq!(completes.len(), 1);
    assert_eq!(completes[0].header("if-none-match"), Some("*"));

    let existing = format!("{p}existing");
    put(&m.client(), DST_BUCKET, &existing, b"keep me".to_vec()).await;
    let mut args = vec!["--no-overwrite"];
    args.extend(PARTS);
    let dst = s3(DST_BUCKET, &existing);
    args.extend([src.as_str(), dst.as_str()]);
    let r = across(&g, &g.endpoint, &m.endpoint, &args).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains("already exists and --no-overwrite"),
        "{r}"
    );
    assert_eq!(
        get_bytes(&m.client(), DST_BUCKET, &existing).await,
        b"keep me"
    );
    assert!(uploads(&m.client(), DST_BUCKET, &p).await.is_empty());
}

/// A versioned bucket on moto (made here, once, with versioning on).
const VERSIONED_BUCKET: &str = "s3cp-versioned";

async fn versioned_bucket(m: &Server) {
    use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
    let c = m.client();
    if let Err(e) = c.create_bucket().bucket(VERSIONED_BUCKET).send().await {
        let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&e).unwrap_or("");
        assert!(code.starts_with("BucketAlready"), "create: {e:?}");
    }
    c.put_bucket_versioning()
        .bucket(VERSIONED_BUCKET)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .expect("enable versioning");
}

/// Puts `data` in the versioned bucket; returns its version id.
async fn put_version(m: &Server, key: &str, data: Vec<u8>) -> String {
    m.client()
        .put_object()
        .bucket(VERSIONED_BUCKET)
        .key(key)
        .body(data.into())
        .send()
        .await
        .unwrap()
        .version_id()
        .expect("a version id")
        .to_owned()
}

/// From a versioned source every GET names the version: a version given
/// with `?versionId=` is the one streamed, and a source overwritten
/// mid-stream (no version given) is still copied whole as the version
/// HEADed, not failed and not mixed.
#[tokio::test]
async fn a_versioned_source_streams_the_version_headed() {
    let (g, m) = (garage().await, moto().await);
    versioned_bucket(&m).await;
    let p = unique("stream-versions");
    let key = format!("{p}obj");
    let first = random_bytes(11 * MIB as usize);
    let v1 = put_version(&m, &key, first.clone()).await;
    let v2 = put_version(&m, &key, random_bytes(11 * MIB as usize)).await;

    // ?versionId=v1 of an object whose current version is v2.
    let proxy = Proxy::start(&m.endpoint).await;
    let src = format!("{}?versionId={v1}", s3(VERSIONED_BUCKET, &key));
    let mut args = vec!["--json"];
    args.extend(PARTS);
    let dst = s3(DST_BUCKET, &format!("{p}old"));
    args.extend([src.as_str(), dst.as_str()]);
    let v = across(&g, &proxy.endpoint, &g.endpoint, &args)
        .await
        .json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["source_version_id"], v1.as_str(), "{v}");
    assert_eq!(v["verified"], true, "{v}");
    let gets = proxy.of("GetObject");
    assert_eq!(gets.len(), 3);
    for get in &gets {
        assert_eq!(
            get.query("versionId").as_deref(),
            Some(v1.as_str()),
            "{get:#?}"
        );
    }
    assert!(get_bytes(&g.client(), DST_BUCKET, &format!("{p}old")).await == first);

    // The current version (v2), overwritten by v3 while part 2's GET is
    // held: the GETs name v2, so the copy is v2, whole.
    let second = get_bytes(&m.client(), VERSIONED_BUCKET, &key).await;
    let proxy = Proxy::start(&m.endpoint).await;
    let get2 = proxy.hold("GetObject", 2);
    let mut args = vec!["--json"];
    args.extend(PARTS_ONE_AT_A_TIME);
    let (s, d) = (
        s3(VERSIONED_BUCKET, &key),
        s3(DST_BUCKET, &format!("{p}current")),
    );
    args.extend([s.as_str(), d.as_str()]);
    let mut child = spawn_across(&g, &proxy.endpoint, &g.endpoint, &args);
    child.before_exit(get2.arrived()).await;
    put_version(&m, &key, random_bytes(1000)).await;
    get2.release();
    let v = child.wait().await.json_ok();
    assert_eq!(v["source_version_id"], v2.as_str(), "{v}");
    assert_eq!(v["verified"], true, "{v}");
    for get in proxy.of("GetObject") {
        assert_eq!(
            get.query("versionId").as_deref(),
            Some(v2.as_str()),
            "{get:#?}"
        );
    }
    assert!(get_bytes(&g.client(), DST_BUCKET, &format!("{p}current")).await == second);
    assert!(uploads(&g.client(), DST_BUCKET, &p).await.is_empty());
}

/// A destination that stops reading a part's body mid-way (the proxy holds
/// UploadPart #1 before it is forwarded, reading no more of it): the
/// SDK's stalled-stream protection, which sees the body read piece by
/// piece, fails that attempt after its grace period, and the part is sent
/// again; the copy ends whole. (A body handed over in one piece was read
/// at once and never watched: s3cp waited for ever.)
#[tokio::test]
async fn a_part_whose_body_the_server_stops_reading_is_sent_again() {
    let (g, m) = (garage().await, moto().await);
    let p = unique("stream-stall");
    let data = random_bytes(3 * 16 * MIB as usize);
    put(&g.client(), SRC_BUCKET, &format!("{p}src"), data.clone()).await;
    let proxy = Proxy::start(&m.endpoint).await;
    let stalled = proxy.hold("UploadPart", 1);
    let (s, d) = (
        s3(SRC_BUCKET, &format!("{p}src")),
        s3(DST_BUCKET, &format!("{p}dst")),
    );
    let child = spawn_across(
        &g,
        &g.endpoint,
        &proxy.endpoint,
        &[
            "--json",
            "--part-size",
            "16MiB",
            "--concurrency",
            "1",
            &s,
            &d,
        ],
    );
    let r = child.wait().await;
    assert!(stalled.has_arrived(), "UploadPart #1 was held");
    let v = r.json_ok();
    assert_eq!(v["method"], "stream", "{v}");
    assert_eq!(v["verified"], true, "{v}");
    assert_eq!(proxy.of("UploadPart").len(), 4, "part 1 sent twice");
    assert!(get_bytes(&m.client(), DST_BUCKET, &format!("{p}dst")).await == data);
}
