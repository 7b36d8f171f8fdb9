//! s3emu in front of Garage (the test servers: `set -a; . ENV; set +a`):
//! the latency is added, writes beyond the rate get 503 SlowDown, and a
//! null copy of a synthetic 100 GiB source through s3cp takes the modelled
//! time. s3cp must be built first (`cargo build --bin s3cp`; `S3CP_BIN`
//! names another binary). Every process started here is killed when its
//! handle drops, and every wait has a deadline.

use std::process::Stdio;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

/// The longest any one step may take (start, one request).
const STEP: Duration = Duration::from_secs(20);

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: load the test servers' environment (set -a; . /tmp/s3cp-shared/env; set +a, or scripts/servers.sh)")
    })
}

fn garage() -> String {
    env("S3CP_TEST_GARAGE_ENDPOINT")
}

fn unique(test: &str) -> String {
    format!("s3emu-{test}/{:016x}", rand::random::<u64>())
}

/// A running emulator, killed when dropped.
struct Emulator {
    endpoint: String,
    _child: Child,
}

impl Emulator {
    async fn start(args: &[&str]) -> Emulator {
        let mut child = Command::new(env!("CARGO_BIN_EXE_s3emu"))
            .args(["--upstream", &garage()])
            .args(args)
            .env("AWS_ACCESS_KEY_ID", env("S3CP_TEST_GARAGE_ACCESS_KEY_ID"))
            .env(
                "AWS_SECRET_ACCESS_KEY",
                env("S3CP_TEST_GARAGE_SECRET_ACCESS_KEY"),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start s3emu");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        let mut reader = BufReader::new(stdout);
        tokio::time::timeout(STEP, reader.read_line(&mut first))
            .await
            .expect("s3emu printed nothing in time")
            .expect("read s3emu's stdout");
        let endpoint = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("s3emu's first line: {first:?}"))
            .to_owned();
        Emulator {
            endpoint,
            _child: child,
        }
    }

    async fn stats(&self) -> serde_json::Value {
        let mut conn = connect(&self.endpoint).await;
        let (status, body) = send(&mut conn, "GET", "/__s3emu/stats", &[]).await;
        assert_eq!(status, StatusCode::OK);
        serde_json::from_str(&body).expect("stats are JSON")
    }
}

/// One keep-alive connection.
async fn connect(endpoint: &str) -> (SendRequest<Full<Bytes>>, String) {
    let authority = endpoint.strip_prefix("http://").expect("http").to_owned();
    let stream = tokio::time::timeout(STEP, TcpStream::connect(&authority))
        .await
        .expect("connect in time")
        .expect("connect");
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    (sender, authority)
}

/// Sends a bodiless request (unsigned: Garage answers it 403, which is
/// enough to tell a forwarded request from the emulator's own answer).
async fn send(
    conn: &mut (SendRequest<Full<Bytes>>, String),
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, String) {
    send_body(conn, method, target, headers, Vec::new()).await.0
}

/// [`send`] with a body, returning the answer's headers too.
async fn send_body(
    (sender, authority): &mut (SendRequest<Full<Bytes>>, String),
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> ((StatusCode, String), http::HeaderMap) {
    let mut req = Request::builder()
        .method(method)
        .uri(target)
        .header("host", authority.as_str());
    if matches!(method, "PUT" | "POST") {
        req = req.header("content-length", body.len());
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Full::new(Bytes::from(body))).expect("request");
    let exchange = async {
        sender.ready().await.expect("connection ready");
        let answer = sender.send_request(req).await.expect("an answer");
        let (status, headers) = (answer.status(), answer.headers().clone());
        let body = answer.into_body().collect().await.expect("the body");
        let text = String::from_utf8_lossy(&body.to_bytes()).into_owned();
        ((status, text), headers)
    };
    tokio::time::timeout(STEP, exchange)
        .await
        .unwrap_or_else(|_| panic!("{method} {target}: no answer in {} s", STEP.as_secs()))
}

fn code(body: &str) -> Option<&str> {
    let start = body.find("<Code>")? + "<Code>".len();
    Some(&body[start..start + body[start..].find("</Code>")?])
}

#[tokio::test]
async fn every_answer_waits_the_base_latency() {
    let key = format!("/s3cp-src/{}", unique("latency"));
    // Garage's own answer, directly.
    let mut direct = connect(&garage()).await;
    let t = Instant::now();
    let (direct_status, direct_body) = send(&mut direct, "GET", &key, &[]).await;
    let direct_time = t.elapsed();
    assert!(
        direct_time < Duration::from_millis(300),
        "Garage took {direct_time:?}"
    );

    let emu = Emulator::start(&["--latency-ms", "300", "--jitter-ms", "0"]).await;
    let mut conn = connect(&emu.endpoint).await;
    // Two requests on one connection (kept alive), each one late by the
    // latency, and each Garage's answer.
    for _ in 0..2 {
        let t = Instant::now();
        let (status, body) = send(&mut conn, "GET", &key, &[]).await;
        let took = t.elapsed();
        assert_eq!((status, code(&body)), (direct_status, code(&direct_body)));
        assert!(
            took >= Duration::from_millis(300) && took < Duration::from_millis(300) + STEP / 4,
            "through the emulator: {took:?} (Garage alone: {direct_time:?})"
        );
    }
    let stats = emu.stats().await;
    assert_eq!(stats["requests"]["GetObject"], 2, "{stats}");
    assert_eq!(stats["answered_here"], 0, "{stats}");
}

#[tokio::test]
async fn writes_beyond_the_rate_per_prefix_get_slowdown() {
    let prefix = format!("/s3cp-dst/{}", unique("slowdown"));
    let emu = Emulator::start(&[
        "--latency-ms",
        "0",
        "--jitter-ms",
        "0",
        "--write-rate",
        "10",
    ])
    .await;
    let mut conn = connect(&emu.endpoint).await;
    let started = Instant::now();
    let mut throttled = 0;
    let mut passed = 0;
    for n in 0..40 {
        let (status, body) = send(&mut conn, "PUT", &format!("{prefix}/a/k{n}"), &[]).await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(code(&body), Some("SlowDown"), "{body}");
            throttled += 1;
        } else {
            // Forwarded: Garage refuses the unsigned PUT.
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
            passed += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    // A burst of 10, then 10 a second.
    let allowed = 10 + (10.0 * elapsed).ceil() as i32;
    assert!(
        (10..=allowed).contains(&passed) && throttled == 40 - passed,
        "{passed} passed, {throttled} throttled in {elapsed:.2} s"
    );
    // Another prefix has its own budget, and reads are not limited.
    let (status, _) = send(&mut conn, "PUT", &format!("{prefix}/b/k"), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(&mut conn, "GET", &format!("{prefix}/a/k0"), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let stats = emu.stats().await;
    assert_eq!(stats["throttled"], throttled, "{stats}");
    assert_eq!(stats["requests"]["PutObject"], 41, "{stats}");
}

#[tokio::test]
async fn a_null_copy_of_a_synthetic_100_gib_source_takes_the_modelled_time() {
    let s3cp = std::env::var("S3CP_BIN").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_owned());
        format!("{target}/debug/s3cp")
    });
    assert!(
        std::path::Path::new(&s3cp).exists(),
        "{s3cp} is missing: build it first (cargo build --bin s3cp)"
    );
    let source = unique("synthetic");
    let synthetic = format!("s3://s3cp-src/{source}=100GiB");
    // 100 GiB at 10 GiB/s for all copies together (1 GiB/s each): 10 s.
    let emu = Emulator::start(&[
        "--null-copy",
        "--synthetic",
        &synthetic,
        "--latency-ms",
        "20",
        "--jitter-ms",
        "5",
        "--copy-rate",
        "1GiB",
        "--aggregate",
        "10GiB",
    ])
    .await;
    let destination = unique("copied");
    let started = Instant::now();
    let run = Command::new(&s3cp)
        .args(["--endpoint-url", &emu.endpoint, "--path-style"])
        .arg(format!("s3://s3cp-src/{source}"))
        .arg(format!("s3://s3cp-dst/{destination}"))
        .env("AWS_ACCESS_KEY_ID", env("S3CP_TEST_GARAGE_ACCESS_KEY_ID"))
        .env(
            "AWS_SECRET_ACCESS_KEY",
            env("S3CP_TEST_GARAGE_SECRET_ACCESS_KEY"),
        )
        .env("AWS_REGION", "us-east-1")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let run = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("s3cp did not end within 120 s")
        .expect("run s3cp");
    let took = started.elapsed().as_secs_f64();
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "s3cp failed:\n{out}");
    assert!(
        (10.0..15.0).contains(&took),
        "100 GiB at 10 GiB/s should take 10 s (plus latencies), took {took:.2} s:\n{out}"
    );
    let stats = emu.stats().await;
    assert_eq!(stats["bytes_copied"], 100u64 << 30, "{stats}");
    let copies = stats["copies"].as_u64().unwrap();
    assert!(copies > 1, "a multipart copy: {stats}");
    assert_eq!(stats["null_copies"], copies, "{stats}");
    assert_eq!(stats["requests"]["UploadPartCopy"], copies, "{stats}");
    assert_eq!(stats["size_lookups"], 0, "{stats}");
    // The destination is the emulator's now: a HEAD of it says so.
    let mut conn = connect(&emu.endpoint).await;
    let (status, _) = send(&mut conn, "HEAD", &format!("/s3cp-dst/{destination}"), &[]).await;
    assert_eq!(status, StatusCode::OK);
}

fn element<'a>(body: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start = body
        .find(&open)
        .unwrap_or_else(|| panic!("no <{tag}> in {body}"))
        + open.len();
    &body[start..start + body[start..].find(&format!("</{tag}>")).expect("closed")]
}

/// In null-copy mode the multipart uploads are the emulator's: none of
/// these requests reaches Garage (they are unsigned, which Garage would
/// refuse), and the object they make answers HEAD with its size.
#[tokio::test]
async fn null_copy_multipart_uploads_are_answered_by_the_emulator() {
    let source = unique("mp-source");
    let destination = format!("/s3cp-dst/{}", unique("mp-dest"));
    let synthetic = format!("s3://s3cp-src/{source}=1GiB");
    let emu = Emulator::start(&[
        "--null-copy",
        "--synthetic",
        &synthetic,
        "--latency-ms",
        "0",
        "--jitter-ms",
        "0",
        "--copy-rate",
        "1GiB",
    ])
    .await;
    let mut conn = connect(&emu.endpoint).await;
    let post = |q: &str| format!("{destination}?{q}");
    let checksum = [
        ("x-amz-checksum-algorithm", "CRC64NVME"),
        ("x-amz-checksum-type", "FULL_OBJECT"),
    ];
    let ((status, body), headers) =
        send_body(&mut conn, "POST", &post("uploads"), &checksum, Vec::new()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["x-amz-checksum-algorithm"], "CRC64NVME");
    let upload = element(&body, "UploadId").to_owned();

    // Two part copies of 256 MiB each at 1 GiB/s: 0.25 s each.
    let copy_source = format!("/s3cp-src/{source}");
    for (part, range) in [(1, "bytes=0-268435455"), (2, "bytes=268435456-536870911")] {
        let target = format!("{destination}?partNumber={part}&uploadId={upload}");
        let t = Instant::now();
        let headers = [
            ("x-amz-copy-source", copy_source.as_str()),
            ("x-amz-copy-source-range", range),
        ];
        let (status, body) = send(&mut conn, "PUT", &target, &headers).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(element(&body, "ETag").starts_with("&quot;"), "{body}");
        assert!(
            t.elapsed() >= Duration::from_millis(250),
            "{:?}",
            t.elapsed()
        );
    }
    // A part with data: read and dropped.
    let target = format!("{destination}?partNumber=3&uploadId={upload}");
    let ((status, _), headers) = send_body(&mut conn, "PUT", &target, &[], vec![7; 1000]).await;
    assert_eq!(status, StatusCode::OK);
    let part3 = headers["etag"].to_str().unwrap().to_owned();

    let (status, body) = send(&mut conn, "GET", &post(&format!("uploadId={upload}")), &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.matches("<Part>").count(), 3, "{body}");
    assert!(body.contains("<Size>268435456</Size>") && body.contains("<Size>1000</Size>"));

    // A part that was never uploaded is refused; the upload stays.
    let bad = "<CompleteMultipartUpload><Part><PartNumber>9</PartNumber></Part></CompleteMultipartUpload>";
    let target = post(&format!("uploadId={upload}"));
    let ((status, body), _) = send_body(&mut conn, "POST", &target, &[], bad.into()).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, Some("InvalidPart"))
    );
    let parts: String = (1..=3)
        .map(|n| format!("<Part><PartNumber>{n}</PartNumber></Part>"))
        .collect();
    let xml = format!("<CompleteMultipartUpload>{parts}</CompleteMultipartUpload>");
    let crc = [("x-amz-checksum-crc64nvme", "AAAAAAAAAAA=")];
    let ((status, body), _) = send_body(&mut conn, "POST", &target, &crc, xml.into()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(element(&body, "ETag").ends_with("-3&quot;"), "{body}");
    assert_eq!(element(&body, "ChecksumCRC64NVME"), "AAAAAAAAAAA=");
    assert_eq!(element(&body, "ChecksumType"), "FULL_OBJECT");
    let ((status, _), headers) = send_body(&mut conn, "HEAD", &destination, &[], Vec::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-length"],
        ((512u64 << 20) + 1000).to_string()
    );
    assert_ne!(headers["etag"], part3.as_str());

    // Abort: once, then the upload is gone.
    let (_, body) = send(&mut conn, "POST", &post("uploads"), &[]).await;
    let other = post(&format!("uploadId={}", element(&body, "UploadId")));
    assert_eq!(
        send(&mut conn, "DELETE", &other, &[]).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = send(&mut conn, "DELETE", &other, &[]).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, Some("NoSuchUpload"))
    );

    let stats = emu.stats().await;
    assert_eq!(stats["answered_here"], stats["requests_total"], "{stats}");
    assert_eq!(stats["bytes_copied"], 512u64 << 20, "{stats}");
}
