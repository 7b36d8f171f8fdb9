//! A Batch Operations job's progress, as its watcher polls it: tasks done
//! of the job's total, the objects per second of its active time, and an
//! ETA. DescribeJob reports no bytes, so this counts tasks (one per
//! object); otherwise it is shown as the copy's own progress is: a bar on
//! a terminal, else a line every interval in the style of the bulk lines,
//! the first one interval after the start:
//!
//! ```text
//! s3cp: progress after 20s: job Active, 1603 of 5000 tasks (1600 succeeded, 3 failed), 80.15 objects/s, ETA 42s
//! ```
//!
//! A line is printed at a poll, since only a poll brings new counts: the
//! watcher polls at least once per interval.

use std::io::Write;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::{ProgressMode, bars};

/// What DescribeJob said of a job, as its progress shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobCounts {
    /// S3's status: `New`, `Preparing`, `Suspended`, `Active`,
    /// `Complete`...
    pub status: String,
    /// Tasks in the job (0 until its manifest is read).
    pub total: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// `ElapsedTimeInActiveSeconds`: how long the job has run, which
    /// gives its rate (also when it is watched from midway, `batch wait`).
    pub active_secs: u64,
}

impl JobCounts {
    /// Tasks ended, either way.
    pub fn done(&self) -> u64 {
        self.succeeded + self.failed
    }

    /// Objects per second over the job's active time; `None` before a
    /// second of it or a task.
    fn rate(&self) -> Option<f64> {
        (self.active_secs > 0 && self.done() > 0)
            .then(|| self.done() as f64 / self.active_secs as f64)
    }

    /// Seconds left at that rate, once the total is known.
    fn eta(&self) -> Option<u64> {
        let rate = self.rate()?;
        (self.total > 0)
            .then(|| (self.total.saturating_sub(self.done()) as f64 / rate).round() as u64)
    }

    /// `job Active, 12 of 100 tasks (10 succeeded, 2 failed), 3.40
    /// objects/s, ETA 26s`.
    fn says(&self) -> String {
        if self.total == 0 && self.done() == 0 {
            return format!("job {}, no task counted yet", self.status);
        }
        let mut text = format!(
            "job {}, {} of {} tasks ({} succeeded, {} failed)",
            self.status,
            self.done(),
            self.total,
            self.succeeded,
            self.failed
        );
        if let Some(rate) = self.rate() {
            text.push_str(&format!(", {rate:.2} objects/s"));
        }
        if let Some(eta) = self.eta() {
            text.push_str(&format!(", ETA {}", seconds(eta)));
        }
        text
    }

    /// The progress line `elapsed` into the watch.
    fn line(&self, elapsed: Duration) -> String {
        format!(
            "s3cp: progress after {}: {}\n",
            seconds(elapsed.as_secs()),
            self.says()
        )
    }
}

/// `1m 10s`.
fn seconds(s: u64) -> String {
    humantime::format_duration(Duration::from_secs(s)).to_string()
}

/// A job's progress shown as [`ProgressMode`] says.
#[derive(Debug)]
pub struct JobProgress {
    /// With [`ProgressMode::Bar`].
    bar: Option<ProgressBar>,
    /// With [`ProgressMode::Lines`]: the interval, when the watch started,
    /// and when the next line is due.
    lines: Option<(Duration, Instant, Instant)>,
}

impl JobProgress {
    /// `None` for [`ProgressMode::None`]; `interval` between lines.
    pub fn new(mode: ProgressMode, interval: Duration) -> Option<Self> {
        let now = Instant::now();
        match mode {
            ProgressMode::None => None,
            ProgressMode::Lines => Some(Self {
                bar: None,
                lines: Some((interval, now, now + interval)),
            }),
            ProgressMode::Bar => {
                let style = ProgressStyle::with_template(
                    "[{elapsed_precise}] {wide_bar} {pos}/{len} tasks ({msg})",
                )
                .expect("valid progress template");
                let bar = bars().add(ProgressBar::new(0).with_style(style));
                bar.set_message("job: asking its status");
                bar.enable_steady_tick(Duration::from_millis(500));
                Some(Self {
                    bar: Some(bar),
                    lines: None,
                })
            }
        }
    }

    /// The counts of the last poll: the bar moves; a line is printed if
    /// one is due.
    pub fn show(&mut self, counts: &JobCounts) {
        if let Some(bar) = &self.bar {
            bar.set_length(counts.total);
            bar.set_position(counts.done());
            let mut msg = format!("job {}, {} failed", counts.status, counts.failed);
            if let Some(rate) = counts.rate() {
                msg.push_str(&format!(", {rate:.2} objects/s"));
            }
            if let Some(eta) = counts.eta() {
                msg.push_str(&format!(", ETA {}", seconds(eta)));
            }
            bar.set_message(msg);
        }
        if let Some((interval, started, next)) = &mut self.lines {
            let now = Instant::now();
            if now < *next {
                return;
            }
            // One line however late the poll (a slow answer), then on the
            // interval's beat again.
            while *next <= now {
                *next += *interval;
            }
            let line = counts.line(now - *started);
            super::suspend(|| {
                let _ = std::io::stderr().lock().write_all(line.as_bytes());
            });
        }
    }

    pub fn clear(self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
            bars().remove(bar);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(status: &str, total: u64, ok: u64, failed: u64, active: u64) -> JobCounts {
        JobCounts {
            status: status.into(),
            total,
            succeeded: ok,
            failed,
            active_secs: active,
        }
    }

    #[test]
    fn a_line_counts_tasks_with_the_jobs_rate_and_eta() {
        let c = counts("Active", 5000, 1600, 3, 20);
        assert_eq!(
            c.line(Duration::from_secs(20)),
            "s3cp: progress after 20s: job Active, 1603 of 5000 tasks (1600 succeeded, 3 \
             failed), 80.15 objects/s, ETA 42s\n"
        );
    }

    #[test]
    fn no_rate_before_a_second_or_a_task_and_no_total_before_the_manifest() {
        assert_eq!(
            counts("Preparing", 0, 0, 0, 0).line(Duration::from_secs(10)),
            "s3cp: progress after 10s: job Preparing, no task counted yet\n"
        );
        assert_eq!(
            counts("Active", 10, 0, 0, 3).says(),
            "job Active, 0 of 10 tasks (0 succeeded, 0 failed)"
        );
        assert_eq!(
            counts("Active", 10, 2, 0, 0).says(),
            "job Active, 2 of 10 tasks (2 succeeded, 0 failed)"
        );
        // Watched from midway: the rate is the job's, not the watch's.
        assert_eq!(
            counts("Active", 100, 60, 0, 60).says(),
            "job Active, 60 of 100 tasks (60 succeeded, 0 failed), 1.00 objects/s, ETA 40s"
        );
    }

    #[tokio::test]
    async fn lines_are_due_once_per_interval() {
        let mut p = JobProgress::new(ProgressMode::Lines, Duration::from_secs(3600)).unwrap();
        let (_, started, next) = p.lines.unwrap();
        assert_eq!(next - started, Duration::from_secs(3600), "not at once");
        p.show(&counts("Active", 1, 0, 0, 0));
        assert_eq!(p.lines.unwrap().2, next, "none due yet");
        // Overdue by several intervals: one line, the next on the beat.
        p.lines = Some((Duration::from_secs(1), started, started));
        let before = Instant::now();
        p.show(&counts("Active", 1, 0, 0, 0));
        let after = p.lines.unwrap().2;
        assert!(after > before && after <= Instant::now() + Duration::from_secs(1));
        assert!(JobProgress::new(ProgressMode::None, Duration::from_secs(1)).is_none());
    }
}
