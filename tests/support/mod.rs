//! Test support: the servers started by `scripts/test.sh`, an SDK client for
//! setting up and checking objects, and a runner for the real `s3cp` binary
//! with a scrubbed environment (no `AWS_*` or `HOME` from the developer).
//!
//! Every process a test starts has a timeout: an s3cp that does not end in
//! time ([`S3CP_TIMEOUT`], or [`Server::with_timeout`]) is killed and the
//! test fails with what it printed so far; a spawned s3cp ([`Spawned`]) is
//! killed when the test ends or panics before it.
//!
//! A test whose server is not there fails with a message saying how to start
//! it; it never skips.

#![allow(dead_code)]

pub mod annotations;
pub mod proxy;
pub mod rename;

use std::collections::HashMap;
use std::process::{ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_s3::Client;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region, RequestChecksumCalculation};
use aws_sdk_s3::operation::complete_multipart_upload::CompleteMultipartUploadOutput;
use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    ChecksumAlgorithm, ChecksumMode, ChecksumType, CompletedMultipartUpload, CompletedPart, Tag,
    Tagging,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};
use rand::RngCore;

pub const SRC_BUCKET: &str = "s3cp-src";
pub const DST_BUCKET: &str = "s3cp-dst";
pub const MIB: u64 = 1024 * 1024;

/// A well-formed CRC32 value no object here has (base64 of "fake").
pub const FAKE_CRC32: &str = "ZmFrZQ==";
/// A well-formed CRC64NVME value no object here has (base64 of "fakecrc6").
pub const FAKE_CRC64NVME: &str = "ZmFrZWNyYzY=";

/// How long one s3cp run may take before the test kills it and fails.
pub const S3CP_TIMEOUT: Duration = Duration::from_secs(120);

/// One S3-compatible server on loopback.
#[derive(Debug, Clone)]
pub struct Server {
    pub name: &'static str,
    pub endpoint: String,
    pub access_key: String,
    pub secret_key: String,
    /// How long each s3cp run against it may take ([`S3CP_TIMEOUT`]).
    pub timeout: Duration,
}

fn required_env(var: &str, server: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!(
            "{var} is not set, so the {server} test server is not running: run the tests \
             with scripts/test.sh, which installs and starts Garage and moto"
        )
    })
}

/// Garage, started by `scripts/servers.sh` with buckets `s3cp-src` and
/// `s3cp-dst`.
pub async fn garage() -> Server {
    let server = Server {
        name: "garage",
        endpoint: required_env("S3CP_TEST_GARAGE_ENDPOINT", "Garage"),
        access_key: required_env("S3CP_TEST_GARAGE_ACCESS_KEY_ID", "Garage"),
        secret_key: required_env("S3CP_TEST_GARAGE_SECRET_ACCESS_KEY", "Garage"),
        timeout: S3CP_TIMEOUT,
    };
    server.check_reachable().await;
    server
}

/// moto in server mode; the test buckets are created on first use.
pub async fn moto() -> Server {
    let server = Server {
        name: "moto",
        endpoint: required_env("S3CP_TEST_MOTO_ENDPOINT", "moto"),
        access_key: "testing".into(),
        secret_key: "testing".into(),
        timeout: S3CP_TIMEOUT,
    };
    server.check_reachable().await;
    let client = server.client();
    for bucket in [SRC_BUCKET, DST_BUCKET] {
        // Already there (another test made it) is fine; anything else is not.
        if let Err(e) = client.create_bucket().bucket(bucket).send().await {
            let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&e).unwrap_or("");
            assert!(
                code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists",
                "cannot create bucket {bucket} on moto: {e:?}"
            );
        }
    }
    server
}

impl Server {
    async fn check_reachable(&self) {
        let client = self.client();
        if let Err(e) = client.list_buckets().send().await {
            panic!(
                "the {} test server at {} does not answer ({}): run the tests with \
                 scripts/test.sh, which starts it",
                self.name,
                self.endpoint,
                aws_smithy_types::error::display::DisplayErrorContext(&e)
            );
        }
    }

    /// The same server, reached through a recording proxy.
    pub fn via(&self, proxy: &proxy::Proxy) -> Server {
        Server {
            endpoint: proxy.endpoint.clone(),
            ..self.clone()
        }
    }

    /// The same server, with another timeout for each s3cp run (a
    /// benchmark, say).
    pub fn with_timeout(&self, timeout: Duration) -> Server {
        Server {
            timeout,
            ..self.clone()
        }
    }

    /// An SDK client for setting up and checking test objects.
    pub fn client(&self) -> Client {
        let conf = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .force_path_style(true)
            // A server that stops answering fails the test, as an s3cp
            // run that does not end does, rather than hanging it.
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(S3CP_TIMEOUT)
                    .build(),
            )
            .credentials_provider(Credentials::new(
                &self.access_key,
                &self.secret_key,
                None,
                None,
                "s3cp-tests",
            ))
            .build();
        Client::from_conf(conf)
    }

    /// Runs `s3cp --endpoint-url .. --path-style ARGS` with a clean
    /// environment holding only the test credentials.
    pub async fn s3cp(&self, args: &[&str]) -> Run {
        self.s3cp_with(args, &[]).await
    }

    /// Runs `s3cp --endpoint-url .. --path-style ARGS` with extra
    /// environment variables.
    pub async fn s3cp_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.spawn_env(args, env).wait().await
    }

    /// Runs `s3cp --endpoint-url .. --path-style ARGS` with `input` on its
    /// standard input.
    pub async fn s3cp_stdin(&self, args: &[&str], input: &str) -> Run {
        self.spawn_stdin(args, input).wait().await
    }

    /// [`Server::spawn`] with `input` on its standard input.
    pub fn spawn_stdin(&self, args: &[&str], input: &str) -> Spawned {
        let args = self.endpoint_args(args);
        let mut cmd = self.command(&args, &[]);
        cmd.stdin(Stdio::piped());
        let mut child = Spawned::start(cmd, &describe(&args), self.timeout);
        child.write_stdin(input);
        child
    }

    /// Starts `s3cp --endpoint-url .. --path-style ARGS` without waiting
    /// (for tests that act while it runs).
    pub fn spawn(&self, args: &[&str]) -> Spawned {
        self.spawn_env(args, &[])
    }

    /// [`Server::spawn`] with extra environment variables.
    pub fn spawn_env(&self, args: &[&str], env: &[(&str, &str)]) -> Spawned {
        let args = self.endpoint_args(args);
        Spawned::start(self.command(&args, env), &describe(&args), self.timeout)
    }

    /// Runs s3cp with exactly `args` and extra environment variables.
    pub async fn s3cp_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        Spawned::start(self.command(args, env), &describe(args), self.timeout)
            .wait()
            .await
    }

    /// Runs s3cp with exactly `args` through `proxy` as its HTTPS proxy
    /// ([`proxy::Proxy::https_env`]): with no `--endpoint-url`, its
    /// requests go to AWS's hosts as the SDK's endpoint rules name them,
    /// and the proxy plays them with this server.
    pub async fn s3cp_aws(&self, proxy: &proxy::Proxy, args: &[&str]) -> Run {
        let env = proxy.https_env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.s3cp_env(args, &env).await
    }

    /// `--endpoint-url .. --path-style` and then `args`.
    fn endpoint_args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = vec!["--endpoint-url", self.endpoint.as_str(), "--path-style"];
        all.extend_from_slice(args);
        all
    }

    /// The s3cp command with a clean environment holding only the test
    /// credentials (and `env`); `HOME` is a fresh directory.
    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> tokio::process::Command {
        let home = std::env::temp_dir().join("s3cp-test-home");
        std::fs::create_dir_all(&home).expect("test HOME");
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_s3cp"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("AWS_ACCESS_KEY_ID", &self.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret_key)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .args(args)
            .stdin(std::process::Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }
}

/// The outcome of one s3cp run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `s3cp ARGS`, for messages.
fn describe(args: &[&str]) -> String {
    format!("s3cp {}", args.join(" "))
}

/// A process a test started (s3cp, or another command through
/// [`Spawned::start`]): killed when dropped, so a test that panics leaves
/// nothing running; its output is collected as it comes, so a run that
/// times out can show what it printed; every wait ends by its deadline.
#[derive(Debug)]
pub struct Spawned {
    child: tokio::process::Child,
    /// The command line, for messages.
    what: String,
    /// When the run must have ended (start + timeout).
    deadline: Instant,
    timeout: Duration,
    stdout: tokio::sync::watch::Receiver<Vec<u8>>,
    stderr: tokio::sync::watch::Receiver<Vec<u8>>,
}

impl Spawned {
    /// Starts `cmd` with its output piped, to be ended within `timeout`.
    pub fn start(mut cmd: tokio::process::Command, what: &str, timeout: Duration) -> Spawned {
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        let stdout = collect(child.stdout.take().expect("piped stdout"));
        let stderr = collect(child.stderr.take().expect("piped stderr"));
        Spawned {
            child,
            what: what.to_owned(),
            deadline: Instant::now() + timeout,
            timeout,
            stdout,
            stderr,
        }
    }

    /// Writes `input` to its standard input (piped) and closes it, in the
    /// background so that a process that does not read cannot block the test.
    fn write_stdin(&mut self, input: &str) {
        use tokio::io::AsyncWriteExt;
        let mut stdin = self.child.stdin.take().expect("piped stdin");
        let input = input.to_owned();
        tokio::spawn(async move {
            // A process that exits without reading all of it is judged by
            // its exit code and output, not by a broken pipe here.
            let _ = stdin.write_all(input.as_bytes()).await;
        });
    }

    /// The process id (`None` once it has been waited for).
    pub fn id(&self) -> Option<u32> {
        self.child.id()
    }

    /// Sends SIGINT (Ctrl-C).
    pub fn interrupt(&self) {
        let pid = self.id().expect("the process is running").to_string();
        let mut kill = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .spawn()
            .expect("run kill");
        // `kill` ends at once; a bounded wait all the same. std has no wait
        // with a timeout, and this stays a plain fn (no await), so poll.
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = kill.try_wait().expect("wait for kill") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = kill.kill();
                panic!("kill -INT {pid} did not end within 10 s");
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        assert!(status.success(), "kill -INT {pid} failed: {status}");
    }

    /// SIGKILL, and waits for it to end.
    pub async fn kill(&mut self) -> std::io::Result<()> {
        self.child.kill().await
    }

    /// Waits until its stdout holds `needle` (a line it printed, say);
    /// fails the test if it ends or its time is up first.
    pub async fn wait_for_stdout(&self, needle: &str) {
        self.wait_for(&self.stdout, "stdout", needle).await
    }

    /// Waits until its stderr holds `needle` (a `-v` log line, say); fails
    /// the test if it ends or its time is up first.
    pub async fn wait_for_stderr(&self, needle: &str) {
        self.wait_for(&self.stderr, "stderr", needle).await
    }

    async fn wait_for(
        &self,
        stream: &tokio::sync::watch::Receiver<Vec<u8>>,
        name: &str,
        needle: &str,
    ) {
        let mut stream = stream.clone();
        let seen = stream.wait_for(|out| String::from_utf8_lossy(out).contains(needle));
        match tokio::time::timeout_at(self.deadline.into(), seen).await {
            Ok(Ok(_)) => {}
            Ok(Err(_)) => panic!(
                "{} closed its {name} without printing {needle:?}:\n{}",
                self.what,
                self.so_far()
            ),
            Err(_) => panic!(
                "{} did not print {needle:?} on {name} within {} s:\n{}",
                self.what,
                self.timeout.as_secs(),
                self.so_far()
            ),
        }
    }

    /// Waits for it to end, within its timeout: one that does not is
    /// killed, and the test fails with what it printed so far.
    pub async fn wait(mut self) -> Run {
        let status = self.wait_status().await;
        let (stdout, stderr) = self.output().await;
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// [`Spawned::wait`], as `tokio::process::Child::wait_with_output`.
    pub async fn wait_with_output(mut self) -> std::io::Result<Output> {
        let status = self.wait_status().await;
        let (stdout, stderr) = self.output().await;
        Ok(Output {
            status,
            stdout,
            stderr,
        })
    }

    async fn wait_status(&mut self) -> ExitStatus {
        match tokio::time::timeout_at(self.deadline.into(), self.child.wait()).await {
            Ok(status) => status.unwrap_or_else(|e| panic!("wait for {}: {e}", self.what)),
            Err(_) => {
                let _ = self.child.kill().await;
                let (stdout, stderr) = self.output().await;
                panic!(
                    "{} did not end within {} s and was killed; it printed so far:\n\
                     --- stdout\n{}--- stderr\n{}",
                    self.what,
                    self.timeout.as_secs(),
                    String::from_utf8_lossy(&stdout),
                    String::from_utf8_lossy(&stderr)
                )
            }
        }
    }

    /// Waits for `event` (a held request reaching its gate, say) while it
    /// runs: if it ends first, the test fails at once with its exit status
    /// and what it printed, rather than when the event's own wait runs out.
    pub async fn before_exit<T>(&mut self, event: impl std::future::Future<Output = T>) -> T {
        let ended = tokio::select! {
            v = event => return v,
            status = self.child.wait() => status,
        };
        let (stdout, stderr) = self.output().await;
        panic!(
            "{} ended ({}) before the test could act:\n--- stdout\n{}--- stderr\n{}",
            self.what,
            ended.map_or_else(|e| e.to_string(), |s| s.to_string()),
            String::from_utf8_lossy(&stdout),
            String::from_utf8_lossy(&stderr)
        )
    }

    /// All it printed, once it has ended: waits (boundedly) for its pipes
    /// to close, which a grandchild holding them could delay.
    async fn output(&self) -> (Vec<u8>, Vec<u8>) {
        let closed = |rx: &tokio::sync::watch::Receiver<Vec<u8>>| {
            let mut rx = rx.clone();
            async move {
                let end = async { while rx.changed().await.is_ok() {} };
                let _ = tokio::time::timeout(Duration::from_secs(10), end).await;
                rx.borrow().clone()
            }
        };
        tokio::join!(closed(&self.stdout), closed(&self.stderr))
    }

    /// What it printed so far, for messages.
    fn so_far(&self) -> String {
        format!(
            "--- stdout\n{}--- stderr\n{}",
            String::from_utf8_lossy(&self.stdout.borrow()),
            String::from_utf8_lossy(&self.stderr.borrow())
        )
    }
}

/// Reads a pipe to its end in the background; the receiver sees all read
/// so far, and its sender closes at the end.
fn collect(
    mut pipe: impl tokio::io::AsyncRead + Unpin + Send + 'static,
) -> tokio::sync::watch::Receiver<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let (tx, rx) = tokio::sync::watch::channel(Vec::new());
    tokio::spawn(async move {
        let mut chunk = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut chunk).await {
            if n == 0 {
                break;
            }
            tx.send_modify(|out| out.extend_from_slice(&chunk[..n]));
        }
    });
    rx
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Self {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts exit code 0 and returns the `--json` result.
    pub fn json_ok(&self) -> serde_json::Value {
        assert_eq!(self.code, 0, "s3cp failed:\n{self}");
        self.json()
    }

    /// stdout parsed as exactly one JSON object.
    pub fn json(&self) -> serde_json::Value {
        let line = self.stdout.trim_end();
        assert_eq!(line.lines().count(), 1, "expected one JSON line:\n{self}");
        serde_json::from_str(line).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }

    /// stdout parsed as JSON Lines: one value a line, in order.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}\n{self}"))
            })
            .collect()
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A key prefix of its own for each test run, so tests share buckets safely.
pub fn unique(test: &str) -> String {
    format!("{test}/{:016x}/", rand::rng().next_u64())
}

pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut data = vec![0u8; len];
    rand::rng().fill_bytes(&mut data);
    data
}

/// `s3://bucket/key`.
pub fn s3(bucket: &str, key: &str) -> String {
    format!("s3://{bucket}/{key}")
}

/// An ETag without its quotes.
pub fn unquote(etag: &str) -> &str {
    etag.trim_matches('"')
}

pub async fn put(client: &Client, bucket: &str, key: &str, data: Vec<u8>) {
    put_with(client, bucket, key, data, None).await;
}

/// Puts `data` at `bucket/key`, naming the checksum algorithm `alg` (none
/// when `None`: then `client` decides, and the SDK's default client sends
/// a CRC32).
pub async fn put_with(
    client: &Client,
    bucket: &str,
    key: &str,
    data: Vec<u8>,
    alg: Option<ChecksumAlgorithm>,
) {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(data))
        .set_checksum_algorithm(alg)
        .send()
        .await
        .unwrap_or_else(|e| panic!("put s3://{bucket}/{key}: {e:?}"));
}

/// A client like `client` that sends a checksum only when told to (the
/// SDK's default adds a CRC32 to every PutObject and UploadPart, which both
/// servers keep), so that what it puts without an algorithm has no
/// checksum at all.
pub fn bare_client(client: &Client) -> Client {
    let conf = client
        .config()
        .to_builder()
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .build();
    Client::from_conf(conf)
}

/// Puts `data` at `key` in the source bucket, with S3 keeping a checksum of
/// `alg` (none when `None`). `client` is a default one ([`Server::client`]):
/// a named algorithm is sent from it, and no algorithm from its
/// [`bare_client`]. Garage keeps no checksum for a put with a named
/// algorithm from a `WhenRequired` client (measured: its HEAD shows none;
/// moto keeps it); from the default client it does.
pub async fn put_source(client: &Client, key: &str, data: Vec<u8>, alg: Option<ChecksumAlgorithm>) {
    match alg {
        Some(_) => put_with(client, SRC_BUCKET, key, data, alg).await,
        None => put(&bare_client(client), SRC_BUCKET, key, data).await,
    }
}

/// A HEAD of `bucket/key` with `ChecksumMode::Enabled`: the answer carries
/// the object's stored checksum (and, on Garage, its `ChecksumType`).
pub async fn head_checksums(client: &Client, bucket: &str, key: &str) -> HeadObjectOutput {
    client
        .head_object()
        .bucket(bucket)
        .key(key)
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .unwrap_or_else(|e| panic!("head s3://{bucket}/{key}: {e:?}"))
}

/// S3's value of the CRC `alg` (CRC32 or CRC64NVME) of `data`: the CRC's
/// big-endian bytes in base64, computed here with crc-fast (what the SDK
/// uses), independently of s3cp.
pub fn s3_crc(alg: &ChecksumAlgorithm, data: &[u8]) -> String {
    use crc_fast::CrcAlgorithm;
    match alg {
        ChecksumAlgorithm::Crc32 => {
            let crc = crc_fast::checksum(CrcAlgorithm::Crc32IsoHdlc, data) as u32;
            STANDARD.encode(crc.to_be_bytes())
        }
        ChecksumAlgorithm::Crc64Nvme => {
            let crc = crc_fast::checksum(CrcAlgorithm::Crc64Nvme, data);
            STANDARD.encode(crc.to_be_bytes())
        }
        other => panic!("s3_crc computes CRC32 and CRC64NVME, not {other:?}"),
    }
}

/// Puts `len` random bytes at `key` in the source bucket.
pub async fn put_random_source(client: &Client, key: &str, len: u64) {
    put(client, SRC_BUCKET, key, random_bytes(len as usize)).await;
}

/// An object's content, read back in full.
pub async fn get_bytes(client: &Client, bucket: &str, key: &str) -> Vec<u8> {
    let out = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap_or_else(|e| panic!("get s3://{bucket}/{key}: {e:?}"));
    out.body.collect().await.expect("read body").to_vec()
}

/// Hex MD5 of an object's content, read back in full.
pub async fn digest(client: &Client, bucket: &str, key: &str) -> String {
    let body = get_bytes(client, bucket, key).await;
    format!("{:x}", Md5::digest(&body))
}

/// The object's headers and user metadata, as s3cp should preserve them.
#[derive(Debug, PartialEq, Eq)]
pub struct Headers {
    pub size: i64,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    pub expires: Option<String>,
    pub metadata: HashMap<String, String>,
}

pub async fn head(client: &Client, bucket: &str, key: &str) -> Headers {
    let h = client
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap_or_else(|e| panic!("head s3://{bucket}/{key}: {e:?}"));
    Headers {
        size: h.content_length().unwrap_or(-1),
        content_type: h.content_type().map(Into::into),
        cache_control: h.cache_control().map(Into::into),
        content_disposition: h.content_disposition().map(Into::into),
        content_encoding: h.content_encoding().map(Into::into),
        content_language: h.content_language().map(Into::into),
        expires: h.expires_string().map(Into::into),
        metadata: h.metadata().cloned().unwrap_or_default(),
    }
}

pub async fn exists(client: &Client, bucket: &str, key: &str) -> bool {
    match client.head_object().bucket(bucket).key(key).send().await {
        Ok(_) => true,
        Err(e) if e.raw_response().map(|r| r.status().as_u16()) == Some(404) => false,
        Err(e) => panic!("head s3://{bucket}/{key}: {e:?}"),
    }
}

/// Nothing of a failed copy is left: no `key` in the destination bucket,
/// no incomplete upload under `prefix`.
pub async fn assert_nothing_written(client: &Client, key: &str, prefix: &str) {
    assert!(!exists(client, DST_BUCKET, key).await, "{key} was written");
    assert!(
        uploads(client, DST_BUCKET, prefix).await.is_empty(),
        "an upload was left behind"
    );
}

/// Incomplete multipart uploads under `prefix`.
pub async fn uploads(client: &Client, bucket: &str, prefix: &str) -> Vec<String> {
    let out = client
        .list_multipart_uploads()
        .bucket(bucket)
        .prefix(prefix)
        .send()
        .await
        .unwrap_or_else(|e| panic!("list uploads in {bucket}: {e:?}"));
    out.uploads()
        .iter()
        .map(|u| format!("{} {}", u.key().unwrap_or(""), u.upload_id().unwrap_or("")))
        .collect()
}

/// Builds `s3://bucket/key` of `copies` × the size of `base` from
/// UploadPartCopy parts of `base`: on Garage the blocks are shared, so a
/// multi-GiB object costs little disk and time.
pub async fn assemble(client: &Client, bucket: &str, key: &str, base: &str, copies: i32) {
    let id = create_upload(client, bucket, key, None).await;
    let source = format!("{bucket}/{base}");
    let mut parts = Vec::new();
    // A few parts at a time: the server reads each part to hash it.
    for chunk in (1..=copies).collect::<Vec<_>>().chunks(4) {
        let futures = chunk.iter().map(|&n| {
            client
                .upload_part_copy()
                .bucket(bucket)
                .key(key)
                .upload_id(&id)
                .part_number(n)
                .copy_source(&source)
                .send()
        });
        for (n, r) in chunk.iter().zip(futures::future::join_all(futures).await) {
            let r = r.unwrap_or_else(|e| panic!("part {n}: {e:?}"));
            parts.push(
                CompletedPart::builder()
                    .part_number(*n)
                    .set_e_tag(r.copy_part_result().and_then(|c| c.e_tag()).map(Into::into))
                    .build(),
            );
        }
    }
    complete_upload(client, bucket, key, &id, parts).await;
}

/// Creates a multipart upload of `bucket/key`, for a FULL_OBJECT checksum
/// of `alg` where one is given; returns its upload id.
pub async fn create_upload(
    client: &Client,
    bucket: &str,
    key: &str,
    alg: Option<ChecksumAlgorithm>,
) -> String {
    let kind = alg.as_ref().map(|_| ChecksumType::FullObject);
    let up = client
        .create_multipart_upload()
        .bucket(bucket)
        .key(key)
        .set_checksum_algorithm(alg)
        .set_checksum_type(kind)
        .send()
        .await
        .expect("create upload");
    up.upload_id().expect("upload id").to_owned()
}

/// Uploads `bodies` as parts 1, 2, .. of upload `id` of `bucket/key`, each
/// with a checksum of `alg` where one is given; returns the parts as the
/// Complete lists them: each with its ETag and its checksum of `alg`.
pub async fn upload_parts(
    client: &Client,
    bucket: &str,
    key: &str,
    id: &str,
    bodies: Vec<Vec<u8>>,
    alg: Option<ChecksumAlgorithm>,
) -> Vec<CompletedPart> {
    let mut parts = Vec::new();
    for (n, body) in (1..).zip(bodies) {
        let out = client
            .upload_part()
            .bucket(bucket)
            .key(key)
            .upload_id(id)
            .part_number(n)
            .body(ByteStream::from(body))
            .set_checksum_algorithm(alg.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("part {n} of {key}: {e:?}"));
        let part = CompletedPart::builder()
            .part_number(n)
            .set_e_tag(out.e_tag().map(Into::into));
        let part = match alg {
            Some(ChecksumAlgorithm::Crc32) => {
                part.set_checksum_crc32(out.checksum_crc32().map(Into::into))
            }
            Some(ChecksumAlgorithm::Crc32C) => {
                part.set_checksum_crc32_c(out.checksum_crc32_c().map(Into::into))
            }
            Some(ChecksumAlgorithm::Crc64Nvme) => {
                part.set_checksum_crc64_nvme(out.checksum_crc64_nvme().map(Into::into))
            }
            Some(ChecksumAlgorithm::Sha1) => {
                part.set_checksum_sha1(out.checksum_sha1().map(Into::into))
            }
            Some(ChecksumAlgorithm::Sha256) => {
                part.set_checksum_sha256(out.checksum_sha256().map(Into::into))
            }
            _ => part,
        };
        parts.push(part.build());
    }
    parts
}

/// Completes upload `id` of `bucket/key` with `parts`.
pub async fn complete_upload(
    client: &Client,
    bucket: &str,
    key: &str,
    id: &str,
    parts: Vec<CompletedPart>,
) -> CompleteMultipartUploadOutput {
    client
        .complete_multipart_upload()
        .bucket(bucket)
        .key(key)
        .upload_id(id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(parts))
                .build(),
        )
        .send()
        .await
        .expect("complete upload")
}

/// Puts `bucket/key` as a multipart upload of one part per body in
/// `bodies` ([`create_upload`], [`upload_parts`], [`complete_upload`]),
/// with a FULL_OBJECT checksum of `alg` where one is given; returns its
/// ETag (`"..-N"`).
pub async fn put_multipart(
    client: &Client,
    bucket: &str,
    key: &str,
    bodies: Vec<Vec<u8>>,
    alg: Option<ChecksumAlgorithm>,
) -> String {
    let id = create_upload(client, bucket, key, alg.clone()).await;
    let parts = upload_parts(client, bucket, key, &id, bodies, alg).await;
    let done = complete_upload(client, bucket, key, &id, parts).await;
    done.e_tag().expect("an ETag").to_owned()
}

/// Puts a 12 MiB object with every header and metadata CopyObject carries
/// (and tags, where the server has them).
pub async fn put_dressed_source(server: &Server, key: &str, with_tags: bool) {
    let client = server.client();
    client
        .put_object()
        .bucket(SRC_BUCKET)
        .key(key)
        .body(random_bytes(12 * MIB as usize).into())
        .content_type("application/x-s3cp-test")
        .cache_control("max-age=3600, must-revalidate")
        .content_disposition("attachment; filename=\"report 1.pdf\"")
        .content_encoding("identity")
        .content_language("fr-CA")
        .expires(aws_smithy_types::DateTime::from_secs(1_893_456_000))
        .metadata("owner", "team blue")
        .metadata("checksum-note", "a+b=c&d")
        .send()
        .await
        .expect("put source");
    if with_tags {
        // moto keeps a website redirect (Garage does not): CopyObject must
        // not copy it, and neither must the multipart path.
        client
            .copy_object()
            .bucket(SRC_BUCKET)
            .key(key)
            .copy_source(format!("{SRC_BUCKET}/{key}"))
            .metadata_directive(aws_sdk_s3::types::MetadataDirective::Copy)
            .website_redirect_location("/source-redirect.html")
            .send()
            .await
            .expect("set the source's website redirect");
        client
            .put_object_tagging()
            .bucket(SRC_BUCKET)
            .key(key)
            .tagging(
                Tagging::builder()
                    .tag_set(Tag::builder().key("project").value("s3cp").build().unwrap())
                    .tag_set(
                        Tag::builder()
                            .key("with space")
                            .value("a+b=c d/e:f@g")
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("tag source");
    }
}

pub async fn tags(server: &Server, bucket: &str, key: &str) -> Vec<(String, String)> {
    let out = server
        .client()
        .get_object_tagging()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .expect("get tags");
    let mut tags: Vec<_> = out
        .tag_set()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect();
    tags.sort();
    tags
}

/// Puts `count` small objects under `prefix` in the source bucket, 64 at a
/// time, each holding its own key; returns their keys.
pub async fn put_many(client: &Client, prefix: &str, count: usize) -> Vec<String> {
    use futures::StreamExt;
    let keys: Vec<String> = (0..count).map(|i| format!("{prefix}k{i:05}")).collect();
    futures::stream::iter(&keys)
        .map(|key| async move { put(client, SRC_BUCKET, key, key.clone().into_bytes()).await })
        .buffer_unordered(64)
        .collect::<Vec<()>>()
        .await;
    keys
}

/// The `copy` line of a bulk run's JSON Lines whose source is `src`.
pub fn line_for_src(lines: &[serde_json::Value], src: &str) -> serde_json::Value {
    lines
        .iter()
        .find(|l| l["type"] == "copy" && l["src"] == src)
        .unwrap_or_else(|| panic!("no line for {src}: {lines:#?}"))
        .clone()
}

/// The resume journals in a state directory (`S3CP_STATE_DIR`).
pub fn journals(state: &tempfile::TempDir) -> Vec<String> {
    state_files(state)
        .into_iter()
        .filter(|n| n.ends_with(".json"))
        .collect()
}

/// Every file in a state directory: journals, locks, temporary files.
pub fn state_files(state: &tempfile::TempDir) -> Vec<String> {
    std::fs::read_dir(state.path())
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Sends SIGINT (Ctrl-C) to a running s3cp.
pub fn interrupt(child: &Spawned) {
    child.interrupt();
}

/// Puts `{prefix}base` (5 MiB of random bytes) and assembles `key` from
/// `copies` UploadPartCopy parts of it: a large source that costs little.
pub async fn parts_source(client: &Client, prefix: &str, key: &str, copies: i32) {
    let base = format!("{prefix}base");
    put(client, SRC_BUCKET, &base, random_bytes(5 * MIB as usize)).await;
    assemble(client, SRC_BUCKET, key, &base, copies).await;
}

// Buckets in two regions (issue 10), on moto.

/// A moto bucket made in eu-west-1 (moto keeps its LocationConstraint).
pub const EU_BUCKET: &str = "s3cp-eu-west-1";
pub const EU: &str = "eu-west-1";
pub const US: &str = "us-east-1";

/// `server`'s client, signing for `region`.
pub fn client_in(server: &Server, region: &str) -> Client {
    let conf = server
        .client()
        .config()
        .to_builder()
        .region(Region::new(region.to_owned()))
        .build();
    Client::from_conf(conf)
}

/// moto, with [`EU_BUCKET`] made in eu-west-1 (straight to moto).
pub async fn moto_with_eu_bucket() -> Server {
    let server = moto().await;
    let made = client_in(&server, EU)
        .create_bucket()
        .bucket(EU_BUCKET)
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await;
    if let Err(e) = made {
        let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&e).unwrap_or("");
        assert!(
            code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists",
            "cannot create bucket {EU_BUCKET} in {EU} on moto: {e:?}"
        );
    }
    server
}
