//! What the emulator did, counted without locks.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use crate::ops::NAMES;

#[derive(Debug)]
pub struct Stats {
    started: Instant,
    by_op: Vec<AtomicU64>,
    /// Answered 503 SlowDown by the request-rate limit.
    pub throttled: AtomicU64,
    /// CopyObject and UploadPartCopy requests given a copy time.
    pub copies: AtomicU64,
    /// Of those, answered by the emulator (`--null-copy`).
    pub null_copies: AtomicU64,
    /// The bytes of all copies (source sizes or range lengths).
    pub bytes_copied: AtomicU64,
    /// Copies whose source size could not be learned (no copy time).
    pub size_unknown: AtomicU64,
    /// HEADs the emulator sent on its own to learn a source's size.
    pub size_lookups: AtomicU64,
    /// Requests answered by the emulator itself (not forwarded).
    pub answered_here: AtomicU64,
    /// Requests the upstream could not be reached for (answered 502).
    pub upstream_errors: AtomicU64,
    pub in_flight: AtomicU64,
    pub max_in_flight: AtomicU64,
}

impl Stats {
    pub fn new() -> Stats {
        Stats {
            started: Instant::now(),
            by_op: NAMES.iter().map(|_| AtomicU64::new(0)).collect(),
            throttled: AtomicU64::new(0),
            copies: AtomicU64::new(0),
            null_copies: AtomicU64::new(0),
            bytes_copied: AtomicU64::new(0),
            size_unknown: AtomicU64::new(0),
            size_lookups: AtomicU64::new(0),
            answered_here: AtomicU64::new(0),
            upstream_errors: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            max_in_flight: AtomicU64::new(0),
        }
    }

    /// Counts a request of operation slot `op` and its being in flight
    /// until the guard drops.
    pub fn request(&self, op: usize) -> InFlight<'_> {
        self.by_op[op].fetch_add(1, Relaxed);
        let now = self.in_flight.fetch_add(1, Relaxed) + 1;
        self.max_in_flight.fetch_max(now, Relaxed);
        InFlight(self)
    }

    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Relaxed);
    }

    pub fn json(&self) -> serde_json::Value {
        let get = |c: &AtomicU64| c.load(Relaxed);
        let mut requests = serde_json::Map::new();
        let mut total = 0;
        for (name, n) in NAMES.iter().zip(&self.by_op) {
            let n = get(n);
            total += n;
            if n > 0 {
                requests.insert((*name).to_owned(), n.into());
            }
        }
        serde_json::json!({
            "uptime_s": (self.started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
            "requests_total": total,
            "requests": requests,
            "throttled": get(&self.throttled),
            "copies": get(&self.copies),
            "null_copies": get(&self.null_copies),
            "bytes_copied": get(&self.bytes_copied),
            "size_unknown": get(&self.size_unknown),
            "size_lookups": get(&self.size_lookups),
            "answered_here": get(&self.answered_here),
            "upstream_errors": get(&self.upstream_errors),
            "in_flight": get(&self.in_flight),
            "max_in_flight": get(&self.max_in_flight),
        })
    }
}

pub struct InFlight<'a>(&'a Stats);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Relaxed);
    }
}
