//! The s3cp binary just built (target/debug/s3cp, or `S3CP_BIN`) run as a
//! user would, in a clean environment, against the double: its output
//! collected as it comes, every wait with a deadline, killed on drop.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use super::STEP;

/// The longest an s3cp run may take.
pub const RUN: Duration = Duration::from_secs(60);

pub fn s3cp_bin() -> String {
    let bin = std::env::var("S3CP_BIN").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_owned());
        format!("{target}/debug/s3cp")
    });
    assert!(
        std::path::Path::new(&bin).exists(),
        "{bin} is missing: build it first (cargo build --bin s3cp)"
    );
    bin
}

/// A running s3cp, its output collected as it comes.
pub struct Running {
    child: Child,
    what: String,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    pub fn json(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{}", self.all())))
            .collect()
    }
}

/// s3cp in a clean environment: S3 at `s3` (endpoint, access key,
/// secret; `--endpoint-url`), S3 Control at `control`
/// (`AWS_ENDPOINT_URL_S3_CONTROL`); `env` added (or, empty, removed).
pub fn start(
    s3: &(String, String, String),
    control: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Running {
    let (s3_endpoint, key, secret) = s3;
    let home = std::env::temp_dir().join("s3cp-batch-cli-home");
    std::fs::create_dir_all(&home).expect("a HOME");
    let mut cmd = Command::new(s3cp_bin());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL_S3_CONTROL", control)
        .args(["--endpoint-url", s3_endpoint, "--path-style"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in env {
        match v.is_empty() {
            true => cmd.env_remove(k),
            false => cmd.env(k, v),
        };
    }
    let mut child = cmd.spawn().expect("start s3cp");
    let collect = |from: Box<dyn tokio::io::AsyncRead + Unpin + Send>| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let to = buf.clone();
        let task = tokio::spawn(async move {
            let mut from = from;
            let mut chunk = [0u8; 4096];
            while let Ok(n) = from.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                to.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        (buf, task)
    };
    let (stdout, a) = collect(Box::new(child.stdout.take().unwrap()));
    let (stderr, b) = collect(Box::new(child.stderr.take().unwrap()));
    Running {
        child,
        what: format!("s3cp {}", args.join(" ")),
        stdout,
        stderr,
        tasks: vec![a, b],
    }
}

impl Running {
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().unwrap()).into_owned()
    }

    /// Until stderr holds `text`, for at most [`RUN`].
    pub async fn until_stderr(&self, text: &str) {
        self.until("stderr", text, || self.stderr()).await
    }

    /// Until stdout holds `text`, for at most [`RUN`].
    pub async fn until_stdout(&self, text: &str) {
        self.until("stdout", text, || self.stdout()).await
    }

    async fn until(&self, which: &str, text: &str, read: impl Fn() -> String) {
        let deadline = Instant::now() + RUN;
        while !read().contains(text) {
            assert!(
                Instant::now() < deadline,
                "{}: no '{text}' on {which} in {RUN:?}:\n{}",
                self.what,
                read()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn interrupt(&self) {
        let pid = self.child.id().expect("running").to_string();
        let sent = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill -INT");
        assert!(sent.success());
    }

    pub async fn end(mut self) -> Run {
        let status = tokio::time::timeout(RUN, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("{} did not end in {RUN:?}:\n{}", self.what, self.stderr()))
            .expect("wait for s3cp");
        for t in self.tasks.drain(..) {
            tokio::time::timeout(STEP, t)
                .await
                .expect("output closed")
                .expect("output read");
        }
        let text =
            |b: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&b.lock().unwrap()).into_owned();
        Run {
            code: status.code(),
            stdout: text(&self.stdout),
            stderr: text(&self.stderr),
        }
    }
}
