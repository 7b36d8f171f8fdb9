//! Benchmark, not a test (ignored; run by scripts/bench-retries.sh): a bulk
//! copy under SlowDown for each retry setting, to choose the defaults.
//! Prints a table; asserts nothing about speed.

mod support;

use futures::StreamExt;
use support::proxy::{Fault, Proxy, Rule, When};
use support::*;

#[tokio::test]
#[ignore = "a benchmark: scripts/bench-retries.sh"]
async fn bulk_copy_under_slowdown() {
    let g = garage().await;
    let client = g.client();
    let p = unique("retry-bench");
    let n = 1000;
    futures::stream::iter(0..n)
        .map(|i| {
            let client = &client;
            let key = format!("{p}src/{i:04}");
            async move { put(client, SRC_BUCKET, &key, vec![b'x'; 1024]).await }
        })
        .buffer_unordered(64)
        .collect::<Vec<()>>()
        .await;
    println!("\nBulk copy of {n} objects on Garage, 20% of requests answered 503 SlowDown\n");
    println!("| retry mode | max attempts | seconds | copied | failed | requests | retries |");
    println!("|---|---|---|---|---|---|---|");
    for (mode, attempts) in [
        ("standard", "3"),
        ("standard", "5"),
        ("standard", "10"),
        ("adaptive", "3"),
        ("adaptive", "5"),
        ("adaptive", "10"),
    ] {
        let proxy = Proxy::start(&g.endpoint).await;
        proxy.inject(
            42,
            vec![Rule {
                operation: None,
                when: When::Probability(0.20),
                faults: vec![Fault::SlowDown],
            }],
        );
        let dst = format!("s3://{DST_BUCKET}/{p}dst-{mode}-{attempts}/");
        let started = std::time::Instant::now();
        // Adaptive retry under SlowDown takes minutes, not the default 120 s.
        let r = g
            .via(&proxy)
            .with_timeout(std::time::Duration::from_secs(1800))
            .s3cp(&[
                "-r",
                "-q",
                "--json",
                "--retry-mode",
                mode,
                "--max-attempts",
                attempts,
                &format!("s3://{SRC_BUCKET}/{p}src/"),
                &dst,
            ])
            .await;
        let secs = started.elapsed().as_secs_f64();
        let summary: serde_json::Value = r
            .stdout
            .lines()
            .last()
            .and_then(|l| serde_json::from_str(l).ok())
            .unwrap_or_default();
        println!(
            "| {mode} | {attempts} | {secs:.1} | {} | {} | {} | {} |",
            summary["copied"], summary["failed"], summary["requests"], summary["retries"]
        );
    }
}
