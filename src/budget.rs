//! Requests in flight: one budget shared by every request of a run (the
//! listing's pages, every object's and part's requests). Fixed by
//! `--concurrency N`; else adaptive ([`Control`]): it starts from a
//! measured value, grows while the rate of finished requests grows with it,
//! settles where more in flight no longer helps or where requests begin to
//! take longer than they need (they wait), and backs off when S3
//! answers 503 SlowDown (a prefix's request-rate limit), probing upwards
//! again a step at a time.
//!
//! A request holds one [`Permit`] for all of its attempts; the SDK's
//! throttled attempts are counted by [`crate::client::RequestCounter`],
//! whose count the budget reads as permits come back.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

/// The first limit of an adaptive budget (see
/// [`crate::plan::DEFAULT_CONCURRENCY`]). BENCHMARKS.md, "Requests in
/// flight": starting higher costs SlowDowns where a prefix's limit is low
/// (fixed 64 had 6% throttled at 1,000 writes/s); doubling reaches 256 in
/// about 0.6 s where more pays.
pub const START: usize = crate::plan::DEFAULT_CONCURRENCY;

/// The most requests an adaptive budget ever has in flight: the most that
/// paid through 60 ms of latency (s5cmd runs 256 workers).
pub const MAX: usize = 512;

/// The least: what a backoff never goes below.
pub const MIN: usize = 4;

/// An epoch ends once this long has passed and at least a limit's worth of
/// requests finished (or [`EPOCH_MAX`] passed): long enough for its rate to
/// mean something, short enough to find the limit within seconds.
const EPOCH: Duration = Duration::from_millis(200);
const EPOCH_MAX: Duration = Duration::from_secs(3);

/// A rate this much above the best seen is growth worth growing for.
const GAIN: f64 = 1.10;

/// Requests taking this much longer than the least mean time in flight
/// seen have begun to wait (in the client's one thread or at the server):
/// the limit settles there, and is not probed above while they do. More in
/// flight would only wait longer, each holding a connection and its
/// memory. Through s3emu at 20 ms (issue 24): 22.5 ms each at 64 in flight,
/// 22.5-24 at 128, 24-27 at 256 (9,000-11,000 requests/s), 35-50 at 512,
/// which held twice the connections for at most a fifth more.
const CLOSE: f64 = 1.10;

/// Epochs (of at least [`EPOCH`]) a least mean time in flight is kept
/// before an epoch's own replaces it: about ten seconds.
const BASE_EPOCHS: u32 = 50;

/// The share of one core the client's thread may be busy: the limit grows
/// by what the rate can still gain within it (a doubling at most), and
/// settles once less than a sixteenth is left. s3cp polls every request on
/// one thread: through s3emu at 20 ms it spent 55-70% of a core at 128 in
/// flight and 75-90% at 200-250 (issue 24). At 80% or 85% the run settled
/// near 200-230 and missed 8,000 objects/s; at 90% it settles near 250
/// (now and then 300, where the connections' memory passes 40 MiB).
const BUSY: f64 = 0.9;

/// Epochs spent at a settled limit before probing above it again.
const HOLD_EPOCHS: u32 = 10;

/// Objects in flight for `requests` requests in flight, when `--jobs` is
/// not given: a quarter more, so that some wait for a request's place (the
/// budget grows only when its places are all taken) and one is ready as a
/// place comes back. Each waiting object holds its future (9 KB, issue
/// 24); twice as many, as before, held 2.3 MB more at 256 in flight.
pub fn objects_for(requests: usize) -> usize {
    requests + requests.div_ceil(4)
}

/// What a SlowDown does to the limit.
const BACKOFF: f64 = 0.7;

/// Clean epochs after a SlowDown before the limit may double again (until
/// then it grows by a tenth per epoch).
const PROBE_EPOCHS: u32 = 20;

/// The adaptive controller, pure: fed the finished requests (and whether
/// any waited for a permit) and the throttled answers, with the time; it
/// says the new limit.
#[derive(Debug, Clone)]
pub struct Control {
    limit: usize,
    min: usize,
    max: usize,
    epoch_start: Instant,
    done: u64,
    /// The time the epoch's finished requests spent in flight, in all.
    in_flight: Duration,
    /// The least mean time in flight of an epoch (seconds): a request's
    /// own time, with no waiting; and the epochs since it was seen.
    base: Option<(f64, u32)>,
    /// The last epoch's requests took over [`CLOSE`] times `base`.
    waited_last: bool,
    /// The client thread's CPU time when the epoch began.
    epoch_cpu: Option<Duration>,
    /// Some request waited for a permit in this epoch: the limit, not the
    /// work, bounded the rate.
    saturated: bool,
    /// The best rate seen (requests/s) and the limit that gave it.
    best: Option<(f64, usize)>,
    /// One epoch at this limit did not beat the best: a second one decides
    /// (one noisy epoch, or one still filling the new places, stopped the
    /// growth: a prefix copy through 20 ms settled at 64 in one run and 256
    /// in another).
    doubt: bool,
    phase: Phase,
    /// Requests to finish after a backoff before a SlowDown counts again:
    /// those in flight when S3 began to refuse (and their retries) are
    /// answered by the one backoff.
    quiet: u64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Doubling while the rate grows with the limit.
    Grow,
    /// At a limit that the rate said is enough; probes again after a while.
    Hold(u32),
    /// After a SlowDown: a tenth up per epoch without one (counted), back
    /// to growing after [`PROBE_EPOCHS`].
    Probe(u32),
}

impl Control {
    pub fn new(start: usize, min: usize, max: usize, now: Instant) -> Self {
        Control {
            limit: start.clamp(min, max),
            min,
            max,
            epoch_start: now,
            done: 0,
            in_flight: Duration::ZERO,
            base: None,
            waited_last: false,
            epoch_cpu: None,
            saturated: false,
            best: None,
            doubt: false,
            phase: Phase::Grow,
            quiet: 0,
        }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// A request waited for a permit.
    pub fn waited(&mut self) {
        self.saturated = true;
    }

    /// A request finished after holding its place for `took` (every one,
    /// throttled on the way or not: each runs down the quiet after a
    /// backoff). Returns the new limit when an epoch ended and it changed.
    /// `cpu` is read once an epoch ends: the CPU time the client's thread
    /// has spent so far, if known.
    pub fn finished(
        &mut self,
        now: Instant,
        took: Duration,
        cpu: impl FnOnce() -> Option<Duration>,
    ) -> Option<usize> {
        self.done += 1;
        self.in_flight += took;
        self.quiet = self.quiet.saturating_sub(1);
        let epoch = self.end_epoch(now, cpu)?;
        let before = self.limit;
        self.decide(epoch);
        (self.limit != before).then_some(self.limit)
    }

    /// The epoch's figures once it has lasted long enough, and a new epoch
    /// begun; `None` before that, or when the limit did not bound it (the
    /// work, not the limit, set the pace: nothing learned).
    fn end_epoch(&mut self, now: Instant, cpu: impl FnOnce() -> Option<Duration>) -> Option<Epoch> {
        let elapsed = now.saturating_duration_since(self.epoch_start);
        let enough = elapsed >= EPOCH && self.done >= self.limit as u64 || elapsed >= EPOCH_MAX;
        if !enough {
            return None;
        }
        let rate = self.done as f64 / elapsed.as_secs_f64();
        let took = self.in_flight.as_secs_f64() / self.done as f64;
        let cpu = cpu();
        let share = match (cpu, self.epoch_cpu) {
            (Some(now), Some(then)) => {
                Some(now.saturating_sub(then).as_secs_f64() / elapsed.as_secs_f64())
            }
            _ => None,
        };
        tracing::debug!(
            "{} in flight: {rate:.0} requests/s, {:.1} ms each, {:.0}% of a core{}",
            self.limit,
            took * 1000.0,
            share.unwrap_or(0.0) * 100.0,
            if self.saturated {
                ""
            } else {
                " (not all places used)"
            }
        );
        let saturated = self.saturated;
        self.begin_epoch(now, cpu);
        saturated.then_some(Epoch { rate, took, share })
    }

    /// A new epoch from `now`, the thread's CPU time then (if known).
    fn begin_epoch(&mut self, now: Instant, cpu: Option<Duration>) {
        self.epoch_start = now;
        self.epoch_cpu = cpu;
        self.done = 0;
        self.in_flight = Duration::ZERO;
        self.saturated = false;
    }

    /// The limit after a saturated epoch.
    fn decide(&mut self, Epoch { rate, took, share }: Epoch) {
        // The least mean seen, for BASE_EPOCHS at most: requests that got
        // slower for good (larger objects) are not waiting, and the limit
        // may grow for them again.
        let base = match self.base {
            Some((base, age)) if took >= base && age < BASE_EPOCHS => {
                self.base = Some((base, age + 1));
                base
            }
            _ => {
                self.base = Some((took, 0));
                took
            }
        };
        // Waiting counts in two epochs running: one noisy epoch is not
        // enough.
        let waiting_now = took > base * CLOSE;
        let waiting = waiting_now && self.waited_last;
        self.waited_last = waiting_now;
        // The rate still grew by a fifth: the epoch may be filling new
        // places (their first requests queue behind one another).
        let filling = self
            .best
            .is_some_and(|(best, _)| rate >= best * GAIN * GAIN);
        // How far the rate can still grow before the thread is busy: a
        // limit grown past that only waits for the thread.
        let room = share.map_or(2.0, |share| (BUSY / share).min(2.0));
        let busy = room < 1.0 + 1.0 / 16.0;
        let settled = waiting || busy;
        match self.phase {
            Phase::Grow => match self.best {
                Some((best, at)) if rate < best * GAIN && self.limit > at => {
                    if !self.doubt {
                        self.doubt = true;
                    } else {
                        // More in flight did not pay, twice: back to what did.
                        self.doubt = false;
                        self.limit = at;
                        self.phase = Phase::Hold(HOLD_EPOCHS);
                    }
                }
                _ => {
                    self.doubt = false;
                    if self.best.is_none_or(|(best, _)| rate > best) {
                        self.best = Some((rate, self.limit));
                    }
                    // Waiting in this epoch only: a quarter more while the
                    // rate still grows that much, else the next decides.
                    if settled {
                        self.phase = Phase::Hold(HOLD_EPOCHS);
                    } else if !waiting_now {
                        self.limit = grown(self.limit, room).min(self.max);
                    } else if filling {
                        self.limit = grown(self.limit, room.min(1.25)).min(self.max);
                    }
                }
            },
            // Requests already wait, or the thread is busy: a probe above
            // would only wait longer.
            Phase::Hold(0) if settled => self.phase = Phase::Hold(HOLD_EPOCHS),
            Phase::Hold(0) => {
                // Probe above the settled limit: has the work changed?
                self.best = Some((rate, self.limit));
                self.phase = Phase::Grow;
                self.limit = grown(self.limit, room.min(1.25)).min(self.max);
            }
            Phase::Hold(n) => self.phase = Phase::Hold(n - 1),
            Phase::Probe(n) if n + 1 >= PROBE_EPOCHS => {
                self.phase = Phase::Grow;
                self.best = None;
            }
            // Climbing back after a SlowDown, within the thread's room
            // (requests that wait are expected here: the SDK's backoff is
            // part of their time).
            Phase::Probe(n) => {
                self.phase = Phase::Probe(n + 1);
                if !busy {
                    self.limit = grown(self.limit, room.min(1.1)).min(self.max);
                }
            }
        }
    }

    /// S3 answered 503 SlowDown: back off (once per round of requests),
    /// then probe upwards a tenth per epoch.
    pub fn throttled(&mut self, now: Instant) -> Option<usize> {
        let before = self.limit;
        // The requests in flight when S3 began to refuse get refused too:
        // one backoff answers them all.
        if self.quiet > 0 {
            return None;
        }
        self.quiet = before as u64;
        self.limit = ((self.limit as f64 * BACKOFF) as usize).max(self.min);
        self.phase = Phase::Probe(0);
        self.best = None;
        self.doubt = false;
        self.waited_last = false;
        self.begin_epoch(now, None);
        (self.limit != before).then_some(self.limit)
    }
}

/// What an epoch measured: requests finished per second, their mean time
/// in flight (seconds), and the share of a core the client's thread spent
/// (if known).
#[derive(Debug, Clone, Copy)]
struct Epoch {
    rate: f64,
    took: f64,
    share: Option<f64>,
}

/// `limit` grown by `factor` (above 1), by one at least.
fn grown(limit: usize, factor: f64) -> usize {
    ((limit as f64 * factor) as usize).max(limit + 1)
}

/// The CPU time the calling thread has spent: the client's, where the
/// run's futures are all polled (a current-thread runtime, as in s3cp's
/// binary). `None` where the platform does not say.
#[cfg(unix)]
fn thread_cpu() -> Option<Duration> {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `t` is.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    ok.then(|| Duration::new(t.tv_sec as u64, t.tv_nsec as u32))
}

#[cfg(not(unix))]
fn thread_cpu() -> Option<Duration> {
    None
}

/// The run's budget of requests in flight.
#[derive(Debug)]
pub struct Budget {
    permits: Semaphore,
    /// Objects a bulk run has in flight when `--jobs` is not given:
    /// [`objects_for`] the limit, following it (an object waiting for its
    /// next request is ready when a place frees).
    objects: Semaphore,
    /// `None`: fixed (`--concurrency`).
    control: Option<Mutex<State>>,
    /// The fixed limit, or the adaptive maximum.
    max: usize,
    /// Throttled attempts so far, counted by the clients.
    throttles: Arc<AtomicU64>,
    /// Those already acted on (written under the state's lock).
    seen_throttles: AtomicU64,
}

#[derive(Debug)]
struct State {
    control: Control,
    /// Permits to take out of circulation as they come back (the limit
    /// went down while they were lent).
    owed: usize,
    /// The same for object places.
    objects_owed: usize,
    /// The highest limit of the run, and the last.
    peak: usize,
}

/// One request's place in the budget.
#[derive(Debug)]
pub struct Permit<'a> {
    budget: &'a Budget,
    permit: Option<SemaphorePermit<'a>>,
    /// When the request had its place.
    since: Instant,
}

impl Budget {
    /// `--concurrency N`: exactly N in flight.
    pub fn fixed(n: usize, throttles: Arc<AtomicU64>) -> Self {
        Budget {
            permits: Semaphore::new(n.max(1)),
            objects: Semaphore::new(objects_for(n.max(1))),
            control: None,
            max: n.max(1),
            throttles,
            seen_throttles: AtomicU64::new(0),
        }
    }

    /// Adaptive, from [`START`] within [`MIN`]..=[`MAX`].
    pub fn adaptive(throttles: Arc<AtomicU64>) -> Self {
        let control = Control::new(START, MIN, MAX, Instant::now());
        Budget {
            permits: Semaphore::new(control.limit()),
            objects: Semaphore::new(objects_for(control.limit())),
            control: Some(Mutex::new(State {
                peak: control.limit(),
                control,
                owed: 0,
                objects_owed: 0,
            })),
            max: MAX,
            throttles,
            seen_throttles: AtomicU64::new(0),
        }
    }

    /// The limit now.
    pub fn limit(&self) -> usize {
        match &self.control {
            None => self.max,
            Some(state) => state.lock().expect("budget").control.limit(),
        }
    }

    /// The highest limit the run reached.
    pub fn peak(&self) -> usize {
        match &self.control {
            None => self.limit(),
            Some(state) => state.lock().expect("budget").peak,
        }
    }

    pub fn is_adaptive(&self) -> bool {
        self.control.is_some()
    }

    /// The most requests it ever lets in flight.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Waits for a place.
    pub async fn acquire(&self) -> Permit<'_> {
        self.heed_throttles_now();
        let permit = match self.permits.try_acquire() {
            Ok(p) => p,
            Err(_) => {
                if let Some(state) = &self.control {
                    state.lock().expect("budget").control.waited();
                }
                self.permits
                    .acquire()
                    .await
                    .expect("the budget is never closed")
            }
        };
        Permit {
            budget: self,
            permit: Some(permit),
            since: Instant::now(),
        }
    }

    /// A request finished: feed the controller, apply its limit.
    fn release(&self, permit: SemaphorePermit<'_>, since: Instant) {
        let Some(state) = &self.control else {
            drop(permit);
            return;
        };
        let mut s = state.lock().expect("budget");
        let now = Instant::now();
        let before = s.control.limit();
        self.heed_throttles(&mut s, now);
        // Every request that comes back counts, whether or not a SlowDown
        // came since the last one: it runs down the quiet after a backoff.
        // (Counted only when none had come, in a storm, where nearly every
        // release sees a new one, the quiet never ran out and the budget
        // backed off once.)
        s.control
            .finished(now, now.saturating_duration_since(since), thread_cpu);
        self.apply(&mut s, before);
        if s.owed > 0 {
            s.owed -= 1;
            permit.forget();
        } else {
            drop(permit);
        }
    }

    /// Before a request goes: a throttled answer since the last look backs
    /// off now, not when its request (sleeping in the SDK's backoff,
    /// holding its place) comes back. Reacting only then let the limit
    /// keep doubling for a second into S3's SlowDowns.
    fn heed_throttles_now(&self) {
        let Some(state) = &self.control else {
            return;
        };
        if self.throttles.load(Ordering::Relaxed) == self.seen_throttles.load(Ordering::Relaxed) {
            return;
        }
        let mut s = state.lock().expect("budget");
        let before = s.control.limit();
        if self.heed_throttles(&mut s, Instant::now()) {
            self.apply(&mut s, before);
        }
    }

    /// Feeds the controller the throttled answers it has not seen; whether
    /// there were any.
    fn heed_throttles(&self, s: &mut State, now: Instant) -> bool {
        let throttles = self.throttles.load(Ordering::Relaxed);
        if throttles <= self.seen_throttles.load(Ordering::Relaxed) {
            return false;
        }
        self.seen_throttles.store(throttles, Ordering::Relaxed);
        s.control.throttled(now);
        true
    }

    /// The controller's limit went from `before` to what it is now: places
    /// are added, or taken out of circulation (free ones at once, lent ones
    /// as they come back).
    fn apply(&self, s: &mut State, before: usize) {
        let after = s.control.limit();
        s.peak = s.peak.max(after);
        if after > before {
            let grow = |sem: &Semaphore, owed: &mut usize, mut more: usize| {
                let paid = more.min(*owed);
                *owed -= paid;
                more -= paid;
                sem.add_permits(more);
            };
            let more = after - before;
            grow(&self.permits, &mut s.owed, more);
            grow(
                &self.objects,
                &mut s.objects_owed,
                objects_for(after) - objects_for(before),
            );
        } else if after < before {
            let cut = before - after;
            s.owed += cut - self.permits.forget_permits(cut);
            let cut = objects_for(before) - objects_for(after);
            s.objects_owed += cut - self.objects.forget_permits(cut);
        }
        if after != before {
            tracing::debug!("requests in flight: {before} -> {after}");
        }
    }
}

/// One object's place in a bulk run.
#[derive(Debug)]
pub struct ObjectSlot<'a> {
    budget: &'a Budget,
    permit: Option<SemaphorePermit<'a>>,
}

impl Budget {
    /// Waits for a place for one more object (bulk runs without `--jobs`).
    pub async fn object_slot(&self) -> ObjectSlot<'_> {
        let permit = self
            .objects
            .acquire()
            .await
            .expect("the budget is never closed");
        ObjectSlot {
            budget: self,
            permit: Some(permit),
        }
    }
}

impl Drop for ObjectSlot<'_> {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        if let Some(state) = &self.budget.control {
            let mut s = state.lock().expect("budget");
            if s.objects_owed > 0 {
                s.objects_owed -= 1;
                permit.forget();
            }
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Some(p) = self.permit.take() {
            self.budget.release(p, self.since);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `epochs` epochs in which `rate(limit)` requests/s finish, the
    /// limit always saturated; returns the limits after each.
    fn run(c: &mut Control, epochs: usize, rate: impl Fn(usize) -> f64) -> Vec<usize> {
        let mut now = c.epoch_start;
        let mut limits = Vec::new();
        for _ in 0..epochs {
            let step = Duration::from_secs_f64(1.0 / rate(c.limit()));
            let epoch = c.epoch_start;
            c.waited();
            while c.epoch_start == epoch {
                now += step;
                c.finished(now, Duration::ZERO, || None);
            }
            limits.push(c.limit());
        }
        limits
    }

    /// Runs `epochs` epochs of a server that answers in `server(epoch).0`
    /// seconds with room for `server(epoch).1` requests/s, from a client
    /// whose thread spends `cost` seconds of CPU on each (0: not measured):
    /// each request takes the server's time, or as long as Little's law
    /// says once more are in flight than either has room for (they wait).
    /// Returns the limits after each epoch.
    fn run_waiting(
        c: &mut Control,
        epochs: usize,
        cost: f64,
        server: impl Fn(usize) -> (f64, f64),
    ) -> Vec<usize> {
        let mut now = c.epoch_start;
        let mut cpu = Duration::ZERO;
        let mut limits = Vec::new();
        for epoch in 0..epochs {
            let (base, capacity) = server(epoch);
            let limit = c.limit() as f64;
            let thread = if cost > 0.0 {
                1.0 / cost
            } else {
                f64::INFINITY
            };
            let rate = (limit / base).min(capacity).min(thread);
            let took = Duration::from_secs_f64(limit / rate);
            let step = Duration::from_secs_f64(1.0 / rate);
            let start = c.epoch_start;
            c.waited();
            while c.epoch_start == start {
                now += step;
                cpu += Duration::from_secs_f64(cost);
                c.finished(now, took, || (cost > 0.0).then_some(cpu));
            }
            limits.push(c.limit());
        }
        limits
    }

    /// Requests that got slower for good (larger objects later in a
    /// listing) are not waiting: once the least time seen has aged out, the
    /// limit grows for them again.
    #[test]
    fn slower_work_is_not_taken_for_waiting_for_long() {
        let mut c = Control::new(32, MIN, MAX, Instant::now());
        let limits = run_waiting(&mut c, 120, 0.0, |epoch| match epoch {
            0..2 => (0.020, f64::INFINITY),
            _ => (0.200, f64::INFINITY),
        });
        let early = limits[..10].iter().copied().max().unwrap();
        assert!(limits.iter().any(|&l| l >= 4 * early), "{limits:?}");
    }

    /// After a SlowDown the limit climbs back within the thread's room, and
    /// stays there (it climbed to the maximum and held it).
    #[test]
    fn after_a_slowdown_it_climbs_back_within_the_threads_room() {
        let mut c = Control::new(32, MIN, MAX, Instant::now());
        let before = run_waiting(&mut c, 15, 0.000_075, |_| (0.020, f64::INFINITY));
        let settled = *before.last().unwrap();
        c.throttled(c.epoch_start);
        assert!(c.limit() < settled);
        let after = run_waiting(&mut c, 60, 0.000_075, |_| (0.020, f64::INFINITY));
        assert!(
            after.iter().all(|&l| l <= settled + settled / 8),
            "{after:?}"
        );
        assert!(*after.last().unwrap() >= settled - settled / 8, "{after:?}");
    }

    /// Through s3emu at 20 ms the client's one thread is the limit near
    /// 10,000 requests/s: 256 in flight got there (25.6 ms each), 512 got
    /// no more and held twice the connections. The limit stops where
    /// requests begin to wait, and no probe goes above it while they do.
    #[test]
    fn it_settles_where_requests_begin_to_wait() {
        let mut c = Control::new(32, MIN, MAX, Instant::now());
        let limits = run_waiting(&mut c, 40, 0.0, |_| (0.020, 10_000.0));
        assert_eq!(&limits[..3], &[64, 128, 256], "{limits:?}");
        // A quarter more is tried once (the rate had grown by half: the
        // epoch might have been filling its new places), never a doubling.
        assert!(limits[3..].iter().all(|&l| l <= 320), "{limits:?}");
        assert!(limits[10..].iter().all(|&l| l == 256), "{limits:?}");
    }

    /// Once the requests no longer wait (the server got faster), the
    /// settled limit is probed again and grows.
    #[test]
    fn it_probes_again_once_requests_stop_waiting() {
        let mut c = Control::new(32, MIN, MAX, Instant::now());
        let limits = run_waiting(&mut c, 40, 0.0, |epoch| match epoch {
            0..20 => (0.020, 10_000.0),
            _ => (0.020, 40_000.0),
        });
        assert!(limits[..20].iter().all(|&l| l <= 320), "{limits:?}");
        assert!(limits[10..20].iter().all(|&l| l == 256), "{limits:?}");
        assert!(limits[20..].iter().any(|&l| l > 320), "{limits:?}");
    }

    /// A client whose thread spends 75 us on a request cannot pass 13,333
    /// requests/s: the limit grows by what the thread has room for (within
    /// [`BUSY`] of it), not by doubling past it, and holds there.
    #[test]
    fn it_grows_no_further_than_the_thread_has_room_for() {
        let mut c = Control::new(32, MIN, MAX, Instant::now());
        let limits = run_waiting(&mut c, 40, 0.000_075, |_| (0.020, f64::INFINITY));
        assert_eq!(&limits[..2], &[64, 128], "{limits:?}");
        let settled = *limits.last().unwrap();
        // BUSY of 13,333 requests/s at 20 ms each (240 in flight at 90%),
        // within a sixteenth below it.
        let room = (BUSY / 0.000_075 * 0.020) as usize;
        assert!((room - room / 16..=room).contains(&settled), "{limits:?}");
        assert!(limits.iter().all(|&l| l <= settled), "{limits:?}");
        assert!(limits[10..].iter().all(|&l| l == settled), "{limits:?}");
    }

    #[test]
    fn it_grows_while_the_rate_grows_and_settles_where_it_stops() {
        let start = Instant::now();
        let mut c = Control::new(32, MIN, MAX, start);
        // 20 ms per request, up to a ceiling of 5,000 requests/s.
        let limits = run(&mut c, 12, |l| (l as f64 / 0.020).min(5_000.0));
        assert_eq!(&limits[..3], &[64, 128, 256], "{limits:?}");
        // 128 gave 5,000/s already; 256 gave no more in two epochs: back
        // to 128.
        assert_eq!(&limits[3..5], &[256, 128], "{limits:?}");
        assert!(limits[5..].iter().all(|&l| l == 128), "{limits:?}");
    }

    /// One epoch that did not show the gain (noise, or the new places
    /// still filling) does not stop the growth: the next one decides.
    #[test]
    fn one_poor_epoch_does_not_stop_the_growth() {
        let mut c = Control::new(32, MIN, MAX, Instant::now());
        let mut epochs = 0;
        let mut limits = Vec::new();
        for _ in 0..5 {
            // At 128 the first epoch is poor (as at 64), the next is not.
            let poor = c.limit() == 128 && epochs == 0;
            epochs = if c.limit() == 128 { epochs + 1 } else { 0 };
            limits.extend(run(&mut c, 1, |l| {
                if poor { 64.0 / 0.020 } else { l as f64 / 0.020 }
            }));
        }
        assert_eq!(limits, vec![64, 128, 128, 256, 512], "{limits:?}");
    }

    #[test]
    fn it_never_passes_the_maximum() {
        let mut c = Control::new(32, MIN, 100, Instant::now());
        let limits = run(&mut c, 6, |l| l as f64 / 0.020);
        assert!(limits.iter().all(|&l| l <= 100), "{limits:?}");
        assert_eq!(*limits.last().unwrap(), 100);
    }

    #[test]
    fn a_slowdown_backs_off_and_probes_up_one_at_a_time() {
        let now = Instant::now();
        let mut c = Control::new(100, MIN, MAX, now);
        assert_eq!(c.throttled(now), Some(70));
        // The other answers to what was in flight then, and their retries:
        // the same backoff, until a round of requests (100) has finished.
        assert_eq!(c.throttled(now + Duration::from_millis(50)), None);
        for _ in 0..99 {
            c.finished(now, Duration::ZERO, || None);
        }
        assert_eq!(c.throttled(now + Duration::from_secs(2)), None);
        assert_eq!(c.limit(), 70);
        c.finished(now, Duration::ZERO, || None);
        assert_eq!(c.throttled(now + Duration::from_secs(2)), Some(49));
        let limits = run(&mut c, 3, |l| l as f64 / 0.020);
        assert_eq!(limits, vec![53, 58, 63]);
        // After PROBE_EPOCHS clean epochs it may double again.
        let limits = run(&mut c, PROBE_EPOCHS as usize, |l| l as f64 / 0.020);
        let last = *limits.last().unwrap();
        let doubled = run(&mut c, 1, |l| l as f64 / 0.020)[0];
        assert_eq!(doubled, (last * 2).min(MAX), "{limits:?}");
        // Never below the minimum.
        let mut low = Control::new(MIN, MIN, MAX, now);
        assert_eq!(low.throttled(now), None);
        assert_eq!(low.limit(), MIN);
    }

    #[test]
    fn an_epoch_that_did_not_fill_the_limit_teaches_nothing() {
        let mut now = Instant::now();
        let mut c = Control::new(32, MIN, MAX, now);
        for _ in 0..1000 {
            now += Duration::from_millis(1);
            assert_eq!(c.finished(now, Duration::ZERO, || None), None);
        }
        assert_eq!(c.limit(), 32);
    }

    #[tokio::test]
    async fn a_lower_limit_takes_permits_out_as_they_come_back() {
        let throttles = Arc::new(AtomicU64::new(0));
        let budget = Budget::adaptive(throttles.clone());
        let held: Vec<_> = futures::future::join_all((0..START).map(|_| budget.acquire())).await;
        assert_eq!(budget.permits.available_permits(), 0);
        throttles.fetch_add(1, Ordering::Relaxed);
        drop(held);
        let limit = budget.limit();
        assert_eq!(limit, (START as f64 * BACKOFF) as usize);
        assert_eq!(budget.permits.available_permits(), limit);
        // Object places follow: the free ones go at once.
        assert_eq!(budget.objects.available_permits(), objects_for(limit));
        let fixed = Budget::fixed(3, Arc::default());
        assert!(!fixed.is_adaptive());
        assert_eq!(fixed.limit(), 3);
    }

    /// A throttling storm: every request that comes back has seen a new
    /// SlowDown since the one before. Each backoff still waits only for a
    /// round of requests (the limit's worth) to finish, so the limit keeps
    /// falling, to the minimum. (The countdown ran only on releases that saw
    /// no new SlowDown: in a storm it never reached 0, and the budget backed
    /// off once, to 22.)
    #[tokio::test]
    async fn a_throttling_storm_backs_off_again_after_each_round() {
        let throttles = Arc::new(AtomicU64::new(0));
        let budget = Budget::adaptive(throttles.clone());
        let mut limits = vec![budget.limit()];
        for _ in 0..200 {
            let permit = budget.acquire().await;
            throttles.fetch_add(1, Ordering::Relaxed);
            drop(permit);
            if budget.limit() != *limits.last().unwrap() {
                limits.push(budget.limit());
            }
        }
        // 32, then 0.7 of it after each round of the limit's requests.
        assert_eq!(limits, [START, 22, 15, 10, 7, MIN], "{limits:?}");
        // The backoffs came a round apart, not one per SlowDown.
        let budget = Budget::adaptive(throttles.clone());
        for _ in 0..START {
            let permit = budget.acquire().await;
            throttles.fetch_add(1, Ordering::Relaxed);
            drop(permit);
        }
        assert_eq!(budget.limit(), 22, "one backoff for the first round");
    }

    /// A throttled answer backs off before the next request goes, while
    /// the throttled request itself (in the SDK's backoff) still holds its
    /// place.
    #[tokio::test]
    async fn a_throttle_backs_off_at_the_next_request_not_when_its_own_ends() {
        let throttles = Arc::new(AtomicU64::new(0));
        let budget = Budget::adaptive(throttles.clone());
        let sleeping = budget.acquire().await;
        throttles.fetch_add(1, Ordering::Relaxed);
        let next = budget.acquire().await;
        let limit = (START as f64 * BACKOFF) as usize;
        assert_eq!(budget.limit(), limit);
        assert_eq!(budget.permits.available_permits(), limit - 2);
        // The same throttle is not counted twice when its request ends.
        drop((sleeping, next));
        assert_eq!(budget.limit(), limit);
        assert_eq!(budget.permits.available_permits(), limit);
    }
}
