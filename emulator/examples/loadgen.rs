//! A load generator for s3emu's own forwarding rate (BENCHMARKS.md).
//!
//! `loadgen stub` serves 200 OK with an empty body to anything, on
//! loopback (it prints `listening on http://ADDR`): an upstream that costs
//! next to nothing, so what is measured is the emulator.
//!
//! `loadgen load --target http://EMULATOR --connections 64 --seconds 5
//! --method HEAD --path /bucket/key` keeps that many keep-alive
//! connections busy, one request at a time each, and prints one JSON line:
//! requests, requests per second, statuses, latency percentiles.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::{Parser, Subcommand};
use http_body_util::{BodyExt, Empty};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve 200 OK (empty body) to every request.
    Stub {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
    },
    /// Send requests for a while and report the rate.
    Load {
        #[arg(long)]
        target: String,
        #[arg(long, default_value_t = 64)]
        connections: usize,
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        #[arg(long, default_value = "HEAD")]
        method: String,
        /// Path (and query); `{n}` is replaced by a counter, for distinct keys.
        #[arg(long, default_value = "/bucket/key")]
        path: String,
    },
}

#[tokio::main]
async fn main() {
    match Args::parse().command {
        Command::Stub { listen } => stub(&listen).await,
        Command::Load {
            target,
            connections,
            seconds,
            method,
            path,
        } => load(&target, connections, seconds, &method, &path).await,
    }
}

async fn stub(listen: &str) {
    let listener = TcpListener::bind(listen).await.expect("bind");
    println!("listening on http://{}", listener.local_addr().unwrap());
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let service = service_fn(|_req: Request<hyper::body::Incoming>| async {
                Ok::<_, std::convert::Infallible>(Response::new(Empty::<Bytes>::new()))
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn load(target: &str, connections: usize, seconds: f64, method: &str, path: &str) {
    let authority = target
        .strip_prefix("http://")
        .expect("http://HOST:PORT")
        .trim_end_matches('/')
        .to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..connections {
        let (authority, stop) = (authority.clone(), stop.clone());
        let (method, path) = (method.to_owned(), path.to_owned());
        workers.push(tokio::spawn(async move {
            let stream = TcpStream::connect(&authority).await.expect("connect");
            stream.set_nodelay(true).unwrap();
            let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .expect("handshake");
            tokio::spawn(conn);
            let mut latencies = Vec::new();
            let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let p = path.replace("{n}", &format!("{w}-{n}"));
                n += 1;
                let req = Request::builder()
                    .method(method.as_str())
                    .uri(&p)
                    .header("host", &authority)
                    .body(Empty::<Bytes>::new())
                    .unwrap();
                let t = Instant::now();
                let Ok(answer) = sender.send_request(req).await else {
                    *statuses.entry(0).or_default() += 1;
                    break;
                };
                let status = answer.status().as_u16();
                let _ = answer.into_body().collect().await;
                latencies.push(t.elapsed());
                *statuses.entry(status).or_default() += 1;
            }
            (latencies, statuses)
        }));
    }
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    for w in workers {
        let (l, s) = w.await.expect("worker");
        latencies.extend(l);
        for (k, v) in s {
            *statuses.entry(k).or_default() += v;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let statuses: Vec<String> = statuses
        .iter()
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    println!(
        "{{\"requests\": {}, \"seconds\": {elapsed:.2}, \"per_second\": {:.0}, \"connections\": {connections}, \"statuses\": {{{}}}, \"p50_ms\": {:.2}, \"p99_ms\": {:.2}}}",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        statuses.join(", "),
        pct(0.5),
        pct(0.99)
    );
}
