//! The progress port: a trait the copy engine calls, with an indicatif
//! implementation for terminals and a silent one for everything else. Log
//! lines go through [`LogWriter`], which hides the bars while it writes so
//! that a log line never tears a bar.

use std::io::{self, Write};
use std::sync::{Mutex, OnceLock};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What the engine reports while it copies.
pub trait Progress: Send + Sync {
    /// A multipart copy of `total` bytes in `parts` parts has started.
    fn multipart_started(&self, _total: u64, _parts: u64) {}
    /// One part of `bytes` bytes was copied.
    fn part_copied(&self, _bytes: u64) {}
    /// `--verify` started reading the `total` bytes of the source.
    fn reading_started(&self, _total: u64) {}
    /// `bytes` more of the source were read.
    fn bytes_read(&self, _bytes: u64) {}
    /// The copy ended (copied, failed or interrupted).
    fn finished(&self) {}
}

/// Reports nothing: `--quiet`, `--json`, or stderr is not a terminal.
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

/// The overall bar of a bulk run: bytes done of those known so far (a
/// listing streams, so the total grows), rate, ETA, and objects done.
#[derive(Debug)]
pub struct Overall {
    bar: ProgressBar,
    /// Objects scheduled and finished, for the message.
    counts: Mutex<(u64, u64)>,
}

impl Overall {
    pub fn new() -> Self {
        let style = ProgressStyle::with_template(
            "[{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} \
             {binary_bytes_per_sec} ETA {eta} ({msg})",
        )
        .expect("valid progress template");
        let bar = bars().insert(0, ProgressBar::new(0).with_style(style));
        Self {
            bar,
            counts: Mutex::new((0, 0)),
        }
    }

    /// An object was scheduled; `size` when the listing told it.
    pub fn scheduled(&self, size: Option<u64>) {
        if let Some(size) = size {
            self.bar.inc_length(size);
        }
        let mut c = self.counts.lock().expect("progress lock");
        c.0 += 1;
        self.bar.set_message(format!("{}/{} objects", c.1, c.0));
    }

    /// An object finished with `bytes` copied (`listed`: its size was
    /// already counted in the total).
    pub fn finished(&self, bytes: u64, listed: Option<u64>) {
        match listed {
            Some(size) => self.bar.inc(size),
            None => {
                self.bar.inc_length(bytes);
                self.bar.inc(bytes);
            }
        }
        let mut c = self.counts.lock().expect("progress lock");
        c.1 += 1;
        self.bar.set_message(format!("{}/{} objects", c.1, c.0));
    }

    pub fn clear(self) {
        self.bar.finish_and_clear();
        bars().remove(&self.bar);
    }
}

impl Default for Overall {
    fn default() -> Self {
        Self::new()
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
