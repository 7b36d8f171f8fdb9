//! The progress port: a trait the copy engine calls, with an indicatif
//! implementation for terminals, one that prints a line every interval for
//! logs (CI, where a bar is never drawn and a long run would otherwise say
//! nothing until its end), and a silent one; a Batch Operations job's
//! tasks the same ways ([`JobProgress`]). Log lines go through
//! [`LogWriter`], which hides the bars while it writes so that a log line
//! never tears a bar.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

mod job;
pub use job::{JobCounts, JobProgress};

/// Sizes as people read them: `12 MiB`, `6 GiB`.
pub fn human_size(bytes: u64) -> String {
    humansize::format_size(bytes, humansize::BINARY)
}

/// How progress is shown (`--progress`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// Bars redrawn in place; indicatif draws them only on a terminal.
    Bar,
    /// A line on stderr every interval, for logs.
    Lines,
    None,
}

/// What the engine reports while it copies.
pub trait Progress: Send + Sync {
    /// A multipart copy of `total` bytes in `parts` parts has started.
    fn multipart_started(&self, _total: u64, _parts: u64) {}
    /// One part of `bytes` bytes was copied.
    fn part_copied(&self, _bytes: u64) {}
    /// A resumed copy found `parts` parts of `bytes` bytes already done.
    fn parts_resumed(&self, _parts: u64, bytes: u64) {
        self.part_copied(bytes);
    }
    /// `--verify` started reading the `total` bytes of the source.
    fn reading_started(&self, _total: u64) {}
    /// `bytes` more of the source were read.
    fn bytes_read(&self, _bytes: u64) {}
    /// The copy ended (copied, failed or interrupted).
    fn finished(&self) {}
}

/// Reports nothing: `--progress none`, `--quiet`, `--only-show-errors`.
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {}

/// Every bar is drawn through this, so that [`LogWriter`] can suspend them.
fn bars() -> &'static MultiProgress {
    static BARS: OnceLock<MultiProgress> = OnceLock::new();
    BARS.get_or_init(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()))
}

/// An indicatif bar on stderr: bytes done of total, rate, ETA.
#[derive(Debug, Default)]
pub struct Bar {
    /// The bar of the running multipart copy; set once it starts.
    bar: Mutex<Option<ProgressBar>>,
}

impl Bar {
    /// Starts a bar of `total` bytes saying `what`, in place of any
    /// earlier one.
    fn start(&self, total: u64, what: String) {
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} \
             {binary_bytes_per_sec} ETA {eta} ({msg})",
        )
        .expect("valid progress template");
        let bar = bars().add(ProgressBar::new(total).with_style(style));
        bar.set_message(what);
        if let Some(old) = self.bar.lock().expect("progress lock").replace(bar) {
            old.finish_and_clear();
            bars().remove(&old);
        }
    }

    fn inc(&self, bytes: u64) {
        if let Some(bar) = &*self.bar.lock().expect("progress lock") {
            bar.inc(bytes);
        }
    }
}

impl Progress for Bar {
    fn multipart_started(&self, total: u64, parts: u64) {
        self.start(total, format!("{parts} parts"));
    }

    fn part_copied(&self, bytes: u64) {
        self.inc(bytes);
    }

    fn reading_started(&self, total: u64) {
        self.start(total, "reading the source to verify the copy".to_owned());
    }

    fn bytes_read(&self, bytes: u64) {
        self.inc(bytes);
    }

    fn finished(&self) {
        if let Some(bar) = self.bar.lock().expect("progress lock").take() {
            bar.finish_and_clear();
            bars().remove(&bar);
        }
    }
}

/// The overall progress of a bulk run: bytes done of those known so far (a
/// listing streams, so the total grows), rate, objects done, and an ETA
/// only once the listing has ended (before, it would be the time to finish
/// what is listed so far: "ETA 1s" for a run that has minutes to go). A bar
/// or a line every interval, from one [`Tally`].
#[derive(Debug)]
pub struct Overall {
    tally: Arc<Mutex<Tally>>,
    /// With [`ProgressMode::Bar`].
    bar: Option<ProgressBar>,
    /// With [`ProgressMode::Lines`].
    ticker: Option<Ticker>,
}

/// The bar's template: no ETA while the total still grows.
fn overall_template(listed: bool) -> &'static str {
    match listed {
        false => {
            "[{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} \
             {binary_bytes_per_sec} ({msg})"
        }
        true => {
            "[{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} \
             {binary_bytes_per_sec} ETA {eta} ({msg})"
        }
    }
}

impl Overall {
    /// The overall progress shown as `mode` says (`interval` between
    /// lines); `None` for [`ProgressMode::None`].
    pub fn new(mode: ProgressMode, interval: Duration) -> Option<Self> {
        let tally = Arc::new(Mutex::new(Tally::bulk()));
        let (bar, ticker) = match mode {
            ProgressMode::None => return None,
            ProgressMode::Bar => {
                let style = ProgressStyle::with_template(overall_template(false))
                    .expect("valid progress template");
                let bar = bars().insert(0, ProgressBar::new(0).with_style(style));
                bar.set_message("0/0 objects, listing");
                // Redrawn while nothing ends (a slow listing, one large
                // copy), so that the clock and the rate move.
                bar.enable_steady_tick(Duration::from_millis(500));
                (Some(bar), None)
            }
            ProgressMode::Lines => (None, Some(Ticker::start(tally.clone(), interval))),
        };
        Some(Self { tally, bar, ticker })
    }

    fn tally(&self) -> std::sync::MutexGuard<'_, Tally> {
        self.tally.lock().expect("progress lock")
    }

    fn show_counts(&self, t: &Tally) {
        if let Some(bar) = &self.bar {
            let listing = if t.listed { "" } else { ", listing" };
            bar.set_message(format!("{}/{} objects{listing}", t.objects_done, t.objects));
        }
    }

    /// An object was scheduled; `size` when the listing told it.
    pub fn scheduled(&self, size: Option<u64>) {
        let mut t = self.tally();
        t.objects += 1;
        match size {
            Some(size) => t.bytes += size,
            None => t.sizeless += 1,
        }
        if let (Some(bar), Some(size)) = (&self.bar, size) {
            bar.inc_length(size);
        }
        self.show_counts(&t);
    }

    /// For the lines: an object of `listed` size (counted in the total)
    /// whose parts count as done as they are copied, so that a run of a
    /// few large objects moves between them. `None` for the bars, or an
    /// object whose size is not known yet.
    pub fn share(&self, listed: Option<u64>) -> Option<Share> {
        match (&self.ticker, listed) {
            (Some(_), Some(_)) => Some(Share {
                tally: self.tally.clone(),
                done: AtomicU64::new(0),
            }),
            _ => None,
        }
    }

    /// An object finished with `bytes` copied (`listed`: its size was
    /// already counted in the total); `share`: what of it its parts
    /// counted already.
    pub fn finished(&self, bytes: u64, listed: Option<u64>, share: Option<&Share>) {
        let mut t = self.tally();
        t.objects_done += 1;
        let counted = share.map_or(0, |s| s.done.load(Ordering::Relaxed));
        t.bytes_done -= counted.min(t.bytes_done);
        let done = match listed {
            Some(size) => size,
            None => {
                t.bytes += bytes;
                if let Some(bar) = &self.bar {
                    bar.inc_length(bytes);
                }
                bytes
            }
        };
        t.bytes_done += done;
        if let Some(bar) = &self.bar {
            bar.inc(done);
        }
        self.show_counts(&t);
    }

    /// The listing (or manifest) has ended: the totals are final, so an
    /// ETA means something from now on.
    pub fn listing_complete(&self) {
        let mut t = self.tally();
        t.listed = true;
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template(overall_template(true))
                    .expect("valid progress template"),
            );
        }
        self.show_counts(&t);
    }

    pub fn clear(self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
            bars().remove(bar);
        }
        if let Some(ticker) = self.ticker {
            ticker.stop();
        }
    }
}

/// One listed object of a bulk run, for the lines: its parts' bytes count
/// as done while it runs (its size is in the total already).
#[derive(Debug)]
pub struct Share {
    tally: Arc<Mutex<Tally>>,
    /// Bytes of its parts counted, taken back when it finishes.
    done: AtomicU64,
}

impl Progress for Share {
    fn part_copied(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
        self.tally.lock().expect("progress lock").bytes_done += bytes;
    }
}

/// What a progress line says: a bulk run's objects and bytes, or one
/// copy's parts and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tally {
    /// A bulk run (objects), or one copy (parts).
    bulk: bool,
    /// Objects scheduled, and finished.
    objects: u64,
    objects_done: u64,
    /// Objects scheduled whose size is not known until they are copied (a
    /// manifest's): the ETA then goes by objects, not bytes.
    sizeless: u64,
    /// Bytes known (listed, or of objects done), and done.
    bytes: u64,
    bytes_done: u64,
    /// One copy's parts, and those done (0: not a multipart copy, or not
    /// started).
    parts: u64,
    parts_done: u64,
    /// One copy: `--verify` is reading the source.
    reading: bool,
    /// The listing has ended (one copy: always): the totals are final.
    listed: bool,
}

impl Tally {
    fn bulk() -> Self {
        Tally {
            bulk: true,
            objects: 0,
            objects_done: 0,
            sizeless: 0,
            bytes: 0,
            bytes_done: 0,
            parts: 0,
            parts_done: 0,
            reading: false,
            listed: false,
        }
    }

    fn one() -> Self {
        Tally {
            bulk: false,
            listed: true,
            ..Self::bulk()
        }
    }

    /// The line printed `elapsed` into the run.
    fn line(&self, elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64().max(0.001);
        let rate = format!("{}/s", human_size((self.bytes_done as f64 / secs) as u64));
        let bytes = format!(
            "{} of {}",
            human_size(self.bytes_done),
            human_size(self.bytes)
        );
        let (what, fraction) = if self.bulk {
            let what = match self.listed {
                true => format!("{} of {} objects, {bytes}", self.objects_done, self.objects),
                false => format!(
                    "{} of {} objects listed so far (listing), {bytes}",
                    self.objects_done, self.objects
                ),
            };
            let fraction = match self.sizeless {
                0 => ratio(self.bytes_done, self.bytes),
                _ => ratio(self.objects_done, self.objects),
            };
            (what, fraction)
        } else if self.reading {
            (
                format!("reading the source to verify the copy, {bytes}"),
                ratio(self.bytes_done, self.bytes),
            )
        } else if self.parts > 0 {
            (
                format!("{} of {} parts, {bytes}", self.parts_done, self.parts),
                ratio(self.bytes_done, self.bytes),
            )
        } else {
            ("copying".to_owned(), None)
        };
        let eta = match fraction {
            Some(f) if self.listed && f > 0.0 => {
                let left = secs * (1.0 - f) / f;
                format!(", ETA {}", seconds(left.round() as u64))
            }
            _ => String::new(),
        };
        let rate = match self.bulk || self.parts > 0 || self.reading {
            true => format!(", {rate}"),
            false => String::new(),
        };
        format!(
            "s3cp: progress after {}: {what}{rate}{eta}\n",
            seconds(elapsed.as_secs())
        )
    }
}

/// `done / total`, when there is a total.
fn ratio(done: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| (done as f64 / total as f64).min(1.0))
}

/// `1m 10s`, `2h 3m 4s`.
fn seconds(s: u64) -> String {
    humantime::format_duration(Duration::from_secs(s)).to_string()
}

/// Prints the tally's line on stderr every interval, until stopped; the
/// first one interval after the start, so a shorter run prints none.
#[derive(Debug)]
struct Ticker {
    task: tokio::task::JoinHandle<()>,
}

impl Ticker {
    fn start(tally: Arc<Mutex<Tally>>, interval: Duration) -> Self {
        let started = Instant::now();
        let task = tokio::spawn(async move {
            let first = tokio::time::Instant::now() + interval;
            let mut ticks = tokio::time::interval_at(first, interval);
            // A stalled runtime catches up with one line, not a burst.
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let line = tally.lock().expect("progress lock").line(started.elapsed());
                suspend(|| {
                    let _ = io::stderr().lock().write_all(line.as_bytes());
                });
            }
        });
        Self { task }
    }

    fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One copy's progress as lines (`--progress lines`): parts and bytes
/// done of a multipart copy, or of the read that proves it.
#[derive(Debug)]
pub struct Lines {
    tally: Arc<Mutex<Tally>>,
    ticker: Ticker,
}

impl Lines {
    /// Starts printing a line every `interval`.
    pub fn start(interval: Duration) -> Self {
        let tally = Arc::new(Mutex::new(Tally::one()));
        let ticker = Ticker::start(tally.clone(), interval);
        Self { tally, ticker }
    }

    fn tally(&self) -> std::sync::MutexGuard<'_, Tally> {
        self.tally.lock().expect("progress lock")
    }
}

impl Progress for Lines {
    fn multipart_started(&self, total: u64, parts: u64) {
        let mut t = self.tally();
        *t = Tally {
            bytes: total,
            parts,
            ..Tally::one()
        };
    }

    fn part_copied(&self, bytes: u64) {
        let mut t = self.tally();
        t.parts_done += 1;
        t.bytes_done += bytes;
    }

    fn parts_resumed(&self, parts: u64, bytes: u64) {
        let mut t = self.tally();
        t.parts_done += parts;
        t.bytes_done += bytes;
    }

    fn reading_started(&self, total: u64) {
        let mut t = self.tally();
        *t = Tally {
            bytes: total,
            reading: true,
            ..Tally::one()
        };
    }

    fn bytes_read(&self, bytes: u64) {
        self.tally().bytes_done += bytes;
    }

    fn finished(&self) {
        self.ticker.stop();
    }
}

/// One copy's progress as `mode` says (for a bulk run's objects, only a
/// bar: their lines are the overall ones).
pub fn for_one(mode: ProgressMode, interval: Duration) -> Box<dyn Progress> {
    match mode {
        ProgressMode::Bar => Box::new(Bar::default()),
        ProgressMode::Lines => Box::new(Lines::start(interval)),
        ProgressMode::None => Box::new(Silent),
    }
}

/// Runs `write` with the progress bars hidden, so output never tears them.
pub fn suspend<R>(write: impl FnOnce() -> R) -> R {
    bars().suspend(write)
}

/// stderr for `tracing`, with the progress bars hidden while a line is
/// written.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        bars().suspend(|| io::stderr().lock().write_all(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulk_line_says_no_eta_until_the_listing_ends() {
        let mut t = Tally::bulk();
        t.objects = 4;
        t.objects_done = 1;
        t.bytes = 4 << 20;
        t.bytes_done = 1 << 20;
        let line = t.line(Duration::from_secs(20));
        assert_eq!(
            line,
            "s3cp: progress after 20s: 1 of 4 objects listed so far (listing), 1 MiB of 4 MiB, \
             51.20 KiB/s\n"
        );
        t.listed = true;
        let line = t.line(Duration::from_secs(20));
        assert_eq!(
            line,
            "s3cp: progress after 20s: 1 of 4 objects, 1 MiB of 4 MiB, 51.20 KiB/s, ETA 1m\n"
        );
        // Sizes not known (a manifest): the ETA goes by objects.
        t.sizeless = 1;
        t.objects_done = 2;
        let line = t.line(Duration::from_secs(20));
        assert!(line.ends_with(", ETA 20s\n"), "{line}");
    }

    #[test]
    fn one_copy_line_says_parts_and_bytes() {
        let mut t = Tally::one();
        assert_eq!(
            t.line(Duration::from_secs(10)),
            "s3cp: progress after 10s: copying\n"
        );
        t.parts = 24;
        t.parts_done = 6;
        t.bytes = 6 << 30;
        t.bytes_done = 3 << 29;
        assert_eq!(
            t.line(Duration::from_secs(30)),
            "s3cp: progress after 30s: 6 of 24 parts, 1.50 GiB of 6 GiB, 51.20 MiB/s, ETA 1m 30s\n"
        );
    }

    #[test]
    fn the_overall_bar_has_an_eta_only_once_listed() {
        assert!(!overall_template(false).contains("{eta}"));
        assert!(overall_template(true).contains("{eta}"));
    }

    #[tokio::test]
    async fn a_bulk_objects_parts_count_as_they_are_copied_and_once() {
        let o = Overall::new(ProgressMode::Lines, Duration::from_secs(3600)).expect("lines");
        o.scheduled(Some(10 << 20));
        o.scheduled(Some(1));
        let share = o.share(Some(10 << 20)).expect("a share");
        share.part_copied(5 << 20);
        assert_eq!(o.tally().bytes_done, 5 << 20);
        o.finished(10 << 20, Some(10 << 20), Some(&share));
        o.finished(1, Some(1), None);
        let t = o.tally().clone();
        assert_eq!(
            (t.bytes_done, t.bytes, t.objects_done),
            ((10 << 20) + 1, (10 << 20) + 1, 2)
        );
        o.clear();
        // The bars count whole objects only.
        let bar = Overall::new(ProgressMode::Bar, Duration::from_secs(1)).expect("bar");
        assert!(bar.share(Some(1)).is_none());
        bar.clear();
    }
}
