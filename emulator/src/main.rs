//! s3emu, an S3 latency emulator (benchmark support; BENCHMARKS.md).
//!
//! It sits between any S3 client and an S3 server (`--upstream`) and makes
//! the server behave, in time, like S3: a base latency on every answer,
//! a copy time for CopyObject and UploadPartCopy under a per-request rate
//! and an aggregate cap shared by all copies in flight, 503 SlowDown
//! beyond a write rate per prefix, and a null-copy mode where copies (and
//! the multipart uploads they fill) are answered by the emulator itself,
//! so a client's own ceiling can be measured beyond what the server can
//! serve. It prints `listening on http://ADDR` as its first line, and its
//! counters on `GET /__s3emu/stats` and, on stderr, at SIGINT/SIGTERM.

mod batchrun;
mod clock;
mod control;
mod emu;
mod fluid;
mod limit;
mod ops;
mod sign;
mod stats;
mod xml;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use crate::emu::{Config, Emu};
use crate::fluid::Rates;
use crate::sign::Credentials;

/// An S3 latency emulator: in front of an S3 server, it answers in S3's
/// time (latency, copy rates, SlowDown per prefix).
#[derive(Parser, Debug)]
#[command(name = "s3emu", version)]
struct Args {
    /// The S3 server to forward to: http://HOST:PORT (path-style requests).
    #[arg(long, env = "S3EMU_UPSTREAM")]
    upstream: String,

    /// Where to listen (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,

    /// Base latency added to every answer, in milliseconds (counted from
    /// the request's arrival; the upstream's own time overlaps it).
    #[arg(long, default_value_t = 20.0)]
    latency_ms: f64,

    /// Uniform jitter around the latency, +/- this many milliseconds.
    #[arg(long, default_value_t = 5.0)]
    jitter_ms: f64,

    /// Copy rate of one CopyObject or UploadPartCopy, bytes per second
    /// (150MiB, 1GiB; 0: no per-request limit).
    #[arg(long, default_value = "150MiB", value_parser = rate)]
    copy_rate: u64,

    /// Cap on all copies together, bytes per second (0: none).
    #[arg(long, default_value = "3GiB", value_parser = rate)]
    aggregate: u64,

    /// Writes (PUT, POST, DELETE) per second per prefix (bucket and key up
    /// to its last '/') before 503 SlowDown; 0: no limit.
    #[arg(long, default_value_t = 3500)]
    write_rate: u64,

    /// Writes a prefix may save up while idle (default: one second's worth).
    #[arg(long)]
    write_burst: Option<u64>,

    /// Answer CopyObject and UploadPartCopy here after their modelled time,
    /// without touching the upstream; multipart uploads created while on
    /// are the emulator's too.
    #[arg(long)]
    null_copy: bool,

    /// An object the emulator declares itself (HEAD answered here; copies
    /// read from it): s3://BUCKET/KEY=SIZE, e.g. s3://src/big=100GiB.
    /// Repeatable.
    #[arg(long = "synthetic", value_parser = synthetic, value_name = "S3URI=SIZE")]
    synthetic: Vec<(String, String, u64)>,

    /// Access key for the emulator's own HEADs of copy sources (to learn
    /// their sizes when no listing or HEAD through it told them).
    #[arg(long, env = "AWS_ACCESS_KEY_ID", hide_env_values = true)]
    access_key_id: Option<String>,

    /// Secret key for those HEADs.
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    secret_access_key: Option<String>,

    /// Region to sign those HEADs for when the client's request names none.
    #[arg(long, default_value = "us-east-1")]
    region: String,

    /// S3 Batch Operations double: fail every task whose source key
    /// contains SUBSTRING with this S3 error code (AccessDenied,
    /// NoSuchKey, SlowDown, InternalError or any other: 400), written to
    /// the job's completion report. Repeatable.
    #[arg(long = "batch-fail", env = "S3EMU_BATCH_FAIL", value_delimiter = ';',
          value_parser = batch_fail, value_name = "SUBSTRING=CODE")]
    batch_fail: Vec<(String, String)>,

    /// S3 Batch Operations double: answer as AWS does when a permission is
    /// missing. create-job: CreateJob refused, 403 AccessDenied naming
    /// s3:CreateJob; pass-role: CreateJob refused, 403 AccessDenied naming
    /// iam:PassRole on the job's role; trust: the job created, then Failed
    /// (S3 cannot assume a role that does not trust
    /// batchoperations.s3.amazonaws.com); manifest: the job Failed with
    /// "Reading the manifest is forbidden: AccessDenied"; report: the
    /// tasks run, then the job Failed with "The job report could not be
    /// written to your report bucket. Please check your permissions."
    /// Repeatable.
    #[arg(
        long = "batch-deny",
        value_enum,
        value_delimiter = ',',
        value_name = "WHAT"
    )]
    batch_deny: Vec<control::Deny>,

    /// S3 Batch Operations double: the least time each task takes, in
    /// milliseconds (0: as fast as the backend copies).
    #[arg(long, default_value_t = 0.0)]
    batch_task_ms: f64,
}

/// `secret=AccessDenied`.
fn batch_fail(s: &str) -> Result<(String, String), String> {
    match s.rsplit_once('=') {
        Some((sub, code)) if !sub.is_empty() && !code.is_empty() => {
            Ok((sub.to_owned(), code.to_owned()))
        }
        _ => Err(format!("{s}: expected SUBSTRING=ERRORCODE")),
    }
}

/// A size per second: `150MiB`, `3GiB`, `150MiB/s`, `0`.
fn rate(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let s = s.strip_suffix("/s").unwrap_or(s);
    parse_size::parse_size(s).map_err(|e| format!("{s}: {e}"))
}

/// `s3://bucket/key=100GiB`.
fn synthetic(s: &str) -> Result<(String, String, u64), String> {
    let (uri, size) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("{s}: expected s3://BUCKET/KEY=SIZE"))?;
    let size = parse_size::parse_size(size.trim()).map_err(|e| format!("{size}: {e}"))?;
    let (bucket, key) = uri
        .strip_prefix("s3://")
        .and_then(|p| p.split_once('/'))
        .filter(|(b, k)| !b.is_empty() && !k.is_empty())
        .ok_or_else(|| format!("{uri}: expected s3://BUCKET/KEY"))?;
    Ok((bucket.to_owned(), key.to_owned(), size))
}

fn per_second(bytes: u64) -> f64 {
    if bytes == 0 {
        f64::INFINITY
    } else {
        bytes as f64
    }
}

fn millis(ms: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(ms / 1000.0).map_err(|_| format!("{ms}: not a duration in ms"))
}

fn describe(args: &Args) -> String {
    let size = |b: u64| match b {
        0 => "unlimited".to_owned(),
        b if b % (1 << 30) == 0 => format!("{} GiB/s", b >> 30),
        b if b % (1 << 20) == 0 => format!("{} MiB/s", b >> 20),
        b => format!("{b} B/s"),
    };
    let writes = match args.write_rate {
        0 => "no write limit".to_owned(),
        r => format!("{r} writes/s per prefix"),
    };
    format!(
        "s3emu: upstream {}, latency {} ms +/- {}, copies {} each and {} in all, {writes}{}{}",
        args.upstream,
        args.latency_ms,
        args.jitter_ms,
        size(args.copy_rate),
        size(args.aggregate),
        if args.null_copy { ", null copy" } else { "" },
        match args.synthetic.len() {
            0 => String::new(),
            n => format!(", {n} synthetic object(s)"),
        }
    )
}

async fn run(args: Args) -> Result<(), String> {
    let credentials = match (&args.access_key_id, &args.secret_access_key) {
        (Some(id), Some(secret)) => Some(Credentials {
            access_key_id: id.clone(),
            secret_access_key: secret.clone(),
        }),
        _ => None,
    };
    let config = Config {
        upstream: args.upstream.clone(),
        latency: millis(args.latency_ms)?,
        jitter: millis(args.jitter_ms)?,
        rates: Rates {
            per_request: per_second(args.copy_rate),
            aggregate: per_second(args.aggregate),
        },
        write_rate: args.write_rate,
        write_burst: args.write_burst.unwrap_or(args.write_rate),
        null_copy: args.null_copy,
        synthetic: args.synthetic.clone(),
        credentials,
        region: args.region.clone(),
        batch_fail: args.batch_fail.clone(),
        batch_deny: args.batch_deny.clone(),
        batch_task_time: millis(args.batch_task_ms)?,
    };
    let emu = Arc::new(Emu::new(config)?);
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("listening on http://{addr}");
    eprintln!("{}", describe(&args));

    let on_signal = emu.clone();
    tokio::spawn(async move {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("a SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        let summary = serde_json::to_string_pretty(&on_signal.stats.json()).unwrap_or_default();
        eprintln!("s3emu: stopped; what it did:\n{summary}");
        std::process::exit(0);
    });

    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, say: wait and go on.
                eprintln!("s3emu: accept: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let emu = emu.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| emu.clone().handle(req));
            // No header read timeout: a client's idle pooled connection
            // stays open as long as the client keeps it.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(None)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("s3emu: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rates_and_synthetic_objects() {
        assert_eq!(rate("150MiB").unwrap(), 150 << 20);
        assert_eq!(rate("3GiB/s").unwrap(), 3 << 30);
        assert_eq!(rate("0").unwrap(), 0);
        assert_eq!(
            synthetic("s3://src/a/b=c=100GiB").unwrap(),
            ("src".into(), "a/b=c".into(), 100 << 30)
        );
        assert!(synthetic("s3://src=1GiB").is_err());
        assert!(synthetic("src/k=1").is_err());
    }

    #[test]
    fn the_flags_hold_together() {
        use clap::CommandFactory;
        Args::command().debug_assert();
    }
}
