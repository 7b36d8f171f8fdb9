//! The copy-time model: concurrent copies share an aggregate rate, each at
//! most a per-request rate (egalitarian processor sharing, a fluid model).
//!
//! With n copies in progress, each advances at min(per_request, aggregate /
//! n) bytes per second. Since all advance at the same rate, one "virtual
//! byte" counter V, advanced at that rate, tells every copy's progress: a
//! copy of b bytes arriving when V = v finishes when V reaches v + b. One
//! task keeps V and a heap of finishing points and wakes each copy when it
//! is done; a copy costs a heap entry and a timer, whatever the number in
//! flight.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// A handle on the model (clones share it).
#[derive(Debug, Clone)]
pub struct Fluid {
    tx: mpsc::UnboundedSender<(u64, oneshot::Sender<()>)>,
}

/// Bytes per second; `f64::INFINITY` for no limit.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    pub per_request: f64,
    pub aggregate: f64,
}

impl Rates {
    /// The rate of each of `n` copies in progress.
    pub fn each(&self, n: usize) -> f64 {
        self.per_request.min(self.aggregate / n.max(1) as f64)
    }
}

#[derive(PartialEq)]
struct Finish(f64, u64);
impl Eq for Finish {}
impl PartialOrd for Finish {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Finish {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

impl Fluid {
    /// Starts the model; `None` when neither rate is limited (copies take
    /// no time).
    pub fn start(rates: Rates) -> Option<Fluid> {
        if rates.per_request.is_infinite() && rates.aggregate.is_infinite() {
            return None;
        }
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(rates, rx));
        Some(Fluid { tx })
    }

    /// Waits for a copy of `bytes` to be done, sharing the rates with the
    /// copies in progress.
    pub async fn copy(&self, bytes: u64) {
        if bytes == 0 {
            return;
        }
        let (done, wait) = oneshot::channel();
        if self.tx.send((bytes, done)).is_ok() {
            let _ = wait.await;
        }
    }
}

async fn run(rates: Rates, mut rx: mpsc::UnboundedReceiver<(u64, oneshot::Sender<()>)>) {
    let mut v = 0.0f64;
    let mut last = Instant::now();
    let mut heap: BinaryHeap<Reverse<Finish>> = BinaryHeap::new();
    let mut waiting: HashMap<u64, oneshot::Sender<()>> = HashMap::new();
    let mut seq = 0u64;
    loop {
        // Advance V to now at the rate of the copies in progress, then
        // wake those done (within a nanosecond's worth of bytes).
        let now = Instant::now();
        if !heap.is_empty() {
            v += rates.each(heap.len()) * (now - last).as_secs_f64();
        }
        last = now;
        let slack = rates.each(heap.len().max(1)) * 1e-9;
        while let Some(Reverse(Finish(at, id))) = heap.peek() {
            if *at > v + slack {
                break;
            }
            if let Some(done) = waiting.remove(id) {
                let _ = done.send(());
            }
            heap.pop();
        }
        if heap.is_empty() {
            v = 0.0; // keeps V small, so f64 stays exact enough
        }
        let next = heap.peek().map(|Reverse(Finish(at, _))| {
            let secs = (at - v) / rates.each(heap.len());
            last + Duration::from_secs_f64(secs.clamp(0.0, 86_400.0 * 365.0))
        });
        let sleep = async {
            match next {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            got = rx.recv() => {
                let Some(first) = got else { return };
                // Advance with the old number in progress before adding.
                let now = Instant::now();
                if !heap.is_empty() {
                    v += rates.each(heap.len()) * (now - last).as_secs_f64();
                }
                last = now;
                let mut add = |(bytes, done): (u64, oneshot::Sender<()>)| {
                    seq += 1;
                    heap.push(Reverse(Finish(v + bytes as f64, seq)));
                    waiting.insert(seq, done);
                };
                add(first);
                while let Ok(more) = rx.try_recv() {
                    add(more);
                }
            }
            () = sleep => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: f64 = 1024.0 * 1024.0;

    async fn timed(fluid: &Fluid, sizes: &[u64]) -> Vec<f64> {
        let start = Instant::now();
        let runs = sizes.iter().map(|&b| {
            let f = fluid.clone();
            tokio::spawn(async move {
                f.copy(b).await;
                start.elapsed().as_secs_f64()
            })
        });
        let mut out = Vec::new();
        for r in runs.collect::<Vec<_>>() {
            out.push(r.await.unwrap());
        }
        out
    }

    #[tokio::test(start_paused = true)]
    async fn one_copy_runs_at_the_per_request_rate() {
        let f = Fluid::start(Rates {
            per_request: 100.0 * MIB,
            aggregate: 1000.0 * MIB,
        })
        .unwrap();
        let t = timed(&f, &[(50.0 * MIB) as u64]).await;
        assert!((t[0] - 0.5).abs() < 0.01, "{t:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn copies_share_the_aggregate() {
        // 20 copies of 100 MiB at 100 MiB/s each, 1000 MiB/s in all: they
        // share 50 MiB/s each, so all end at 2 s (one alone: 1 s).
        let f = Fluid::start(Rates {
            per_request: 100.0 * MIB,
            aggregate: 1000.0 * MIB,
        })
        .unwrap();
        let t = timed(&f, &[(100.0 * MIB) as u64; 20]).await;
        for s in &t {
            assert!((s - 2.0).abs() < 0.01, "{t:?}");
        }
        // Unequal sizes: 10 copies of 10 MiB and one of 100 MiB, 100 MiB/s
        // each, 200 MiB/s in all: the 11 share 18.2 MiB/s until the small
        // ones end at 0.55 s; the big one then has 10 MiB done and runs at
        // 100 MiB/s: 0.55 + 0.9 = 1.45 s.
        let mut sizes = vec![(10.0 * MIB) as u64; 10];
        sizes.push((100.0 * MIB) as u64);
        let f = Fluid::start(Rates {
            per_request: 100.0 * MIB,
            aggregate: 200.0 * MIB,
        })
        .unwrap();
        let t = timed(&f, &sizes).await;
        assert!((t[0] - 0.55).abs() < 0.01, "{t:?}");
        assert!((t[10] - 1.45).abs() < 0.01, "{t:?}");
    }

    #[test]
    fn no_limits_no_model() {
        let rates = Rates {
            per_request: f64::INFINITY,
            aggregate: f64::INFINITY,
        };
        assert!(Fluid::start(rates).is_none());
    }
}
