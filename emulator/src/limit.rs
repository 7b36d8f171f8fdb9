//! The request-rate limit on writes, per prefix: a token bucket per prefix
//! (`rate` tokens a second, at most `burst` saved up), as S3 partitions its
//! write capacity by prefix.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Debug)]
pub struct Limiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Past this many prefixes, those with a full bucket are forgotten.
const PRUNE_AT: usize = 100_000;

impl Limiter {
    pub fn new(rate: u64, burst: u64) -> Limiter {
        Limiter {
            rate: rate as f64,
            burst: burst.max(1) as f64,
            buckets: Mutex::default(),
        }
    }

    /// Whether a write on `prefix` is allowed now (and counts it).
    pub fn allow(&self, prefix: &str) -> bool {
        self.allow_at(prefix, Instant::now())
    }

    fn allow_at(&self, prefix: &str, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().unwrap();
        if buckets.len() >= PRUNE_AT {
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, b| b.tokens + rate * (now - b.at).as_secs_f64() < burst);
        }
        let bucket = match buckets.get_mut(prefix) {
            Some(b) => b,
            None => buckets.entry(prefix.to_owned()).or_insert(Bucket {
                tokens: self.burst,
                at: now,
            }),
        };
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + self.rate * elapsed).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn allows_the_burst_then_the_rate_per_prefix() {
        let l = Limiter::new(10, 5);
        let t0 = Instant::now();
        let allowed = (0..20).filter(|_| l.allow_at("b/a/", t0)).count();
        assert_eq!(allowed, 5);
        // Another prefix has its own bucket.
        assert!(l.allow_at("b/other/", t0));
        // A second later, 10 more (capped at the burst of 5).
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!((0..20).filter(|_| l.allow_at("b/a/", t1)).count(), 5);
        // 100 ms later: one.
        let t2 = t1 + Duration::from_millis(100);
        assert_eq!((0..20).filter(|_| l.allow_at("b/a/", t2)).count(), 1);
    }
}
