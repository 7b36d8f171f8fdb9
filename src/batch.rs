//! Running many copies: copies the items [`crate::select`] yields (a
//! listing or a manifest) with at most `jobs` objects in flight, every
//! request within the engine's shared budget, and reports each as it ends
//! (so it comes after both [`crate::copy`] and [`crate::report`]). One
//! object's failure does not stop the others unless `--fail-fast`, or
//! unless every object would meet it ([`crate::stop`]: what is left is then
//! counted as not attempted); Ctrl-C (the `cancel` token) stops scheduling
//! and aborts the multipart uploads in flight.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::{Stream, StreamExt};
use tokio_util::sync::CancellationToken;

use crate::config::Bulk;
use crate::copy::{
    Engine, KeptReason, Outcome, Skipped, SourceFate, may_delete, rename_source_changed,
};
use crate::deletes::Deletes;
use crate::error::{Failure, S3Error};
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::progress::{Bar, Overall, Progress, ProgressMode, Share, Silent};
use crate::report::{CopyLine, Printer, Status, Summary};
use crate::select::{BadItem, Item, Selected};

/// An item the overall progress counts (`Some`, with its listed size if
/// known); excluded keys are not.
fn scheduled(selected: &Selected) -> Option<Option<u64>> {
    match selected {
        Selected::Copy(item) => Some(item.listed.as_ref().map(|l| l.size)),
        Selected::Bad(_) => Some(None),
        Selected::Excluded(_) => None,
    }
}

/// Everything a bulk run needs besides its items.
#[derive(Debug)]
pub struct Batch<'a> {
    pub engine: &'a Engine<'a>,
    pub opts: &'a CopyOptions,
    pub bulk: Bulk,
    pub dry_run: bool,
    pub printer: Printer,
    /// How progress is shown: bars, or a line every `progress_interval`.
    pub progress: ProgressMode,
    pub progress_interval: Duration,
}

impl Batch<'_> {
    /// Copies every item and returns the summary (requests not filled in).
    pub async fn run(
        &self,
        items: impl Stream<Item = Selected>,
        cancel: &CancellationToken,
    ) -> Summary {
        let started = Instant::now();
        let summary = Mutex::new(Summary::new());
        // s3cp mv: the proved sources' deletes, in batches.
        let deletes = self
            .opts
            .moving
            .map(|_| Deletes::new(self.engine, self.opts, self.printer));
        let deletes = deletes.as_ref();
        let failed = AtomicBool::new(false);
        // Ctrl-C left something undone: an item not started, or a copy it
        // stopped. A Ctrl-C after the last copy ended interrupts nothing.
        let cut_short = AtomicBool::new(false);
        let overall = Overall::new(self.progress, self.progress_interval);
        // The end of the listing (or manifest) makes the totals final: the
        // progress may then say an ETA.
        let overall_ref = overall.as_ref();
        // Counted as they are listed, so the totals are whole when the
        // listing ends.
        let items = items.inspect(|selected| {
            if let (Some(o), Some(listed)) = (overall_ref, scheduled(selected)) {
                o.scheduled(listed);
            }
        });
        let items = items.chain(
            futures::stream::once(async move {
                if let Some(o) = overall_ref {
                    o.listing_complete();
                }
            })
            .filter_map(|()| std::future::ready(None)),
        );
        // Without --jobs, objects in flight follow the adaptive budget: an
        // item is taken only once it has a place.
        let budget = self.engine.budget;
        let gated = self.bulk.jobs.is_none();
        items
            .then(|selected| async move {
                let slot = match gated {
                    true => Some(budget.object_slot().await),
                    false => None,
                };
                (selected, slot)
            })
            .take_while(|_| {
                let stop =
                    cancel.is_cancelled() || self.bulk.fail_fast && failed.load(Ordering::Relaxed);
                if cancel.is_cancelled() {
                    cut_short.store(true, Ordering::Relaxed);
                }
                std::future::ready(!stop)
            })
            .map(|(selected, slot)| async {
                let _slot = slot;
                // The run stopped early: what is left is counted, not
                // copied (a listing stops by itself; a manifest is read to
                // its end, which sends nothing).
                if self.engine.stop.is_tripped() && !matches!(selected, Selected::Excluded(_)) {
                    summary.lock().expect("summary").not_attempted += 1;
                    return;
                }
                let item = match selected {
                    Selected::Copy(item) => Ok(item),
                    Selected::Bad(bad) => Err(bad),
                    Selected::Excluded(n) => {
                        summary.lock().expect("summary").excluded += n;
                        return;
                    }
                };
                let listed = item
                    .as_ref()
                    .ok()
                    .and_then(|i| i.listed.as_ref())
                    .map(|l| l.size);
                // Its parts' bytes, counted in the progress lines as they
                // are copied.
                let mut share = None;
                let (status, bytes, verified, strays, uncompared) = match item {
                    Ok(item) => {
                        share = overall.as_ref().and_then(|o| o.share(listed));
                        match self.copy(&item, share.as_ref(), deletes, cancel).await {
                            Some(done) => done,
                            None => {
                                summary.lock().expect("summary").not_attempted += 1;
                                return;
                            }
                        }
                    }
                    Err(bad) => {
                        let (status, bytes, verified) = self.bad_item(&bad);
                        (status, bytes, verified, 0, false)
                    }
                };
                if let Some(o) = &overall {
                    o.finished(bytes, listed, share.as_ref());
                }
                if status == Status::Failed {
                    failed.store(true, Ordering::Relaxed);
                    // A copy that failed once Ctrl-C came was (or may have
                    // been) stopped by it.
                    if cancel.is_cancelled() {
                        cut_short.store(true, Ordering::Relaxed);
                    }
                }
                let mut summary = summary.lock().expect("summary");
                summary.count(status, bytes, verified);
                summary.possible_strays += strays;
                summary.uncompared += u64::from(uncompared);
            })
            .buffer_unordered(
                self.bulk
                    .jobs
                    .unwrap_or(crate::budget::objects_for(budget.max())),
            )
            .for_each(|()| std::future::ready(()))
            .await;
        if let Some(o) = overall {
            o.clear();
        }
        let mut summary = summary.into_inner().expect("summary");
        if let Some(deletes) = deletes {
            let (deleted, kept, failing) = deletes.finish().await;
            summary.deleted = Some(deleted);
            summary.kept = Some(kept);
            summary.kept_failing = failing;
        }
        summary.interrupted = cut_short.into_inner();
        summary.duration_ms = started.elapsed().as_millis() as u64;
        summary
    }

    /// Copies one item and prints its line; returns its status, size,
    /// whether it was verified, its possible strays (as its line says), and
    /// whether `--skip-same` copied it for want of a comparison; `None`
    /// when the run's early stop held it back (no line).
    async fn copy(
        &self,
        item: &Item,
        share: Option<&Share>,
        deletes: Option<&Deletes<'_>>,
        cancel: &CancellationToken,
    ) -> Option<(Status, u64, Option<bool>, u64, bool)> {
        let job = &item.job;
        let self_copy = match self.engine.same_store {
            true => job.check_self_copy(self.opts),
            // The same names on two stores are two objects.
            false => Ok(()),
        };
        // A line into (or out of) a directory bucket with a flag it cannot
        // apply (a single copy and -r are refused before any request).
        let self_copy = self_copy.and_then(|()| {
            match crate::options::directory::refusal(&job.src.bucket, &job.dst.bucket, self.opts) {
                Some(why) => Err(anyhow::anyhow!("{why}")),
                None => Ok(()),
            }
        });
        // A move onto itself would delete what it copied (a manifest
        // line; a single copy and -r are refused before any request).
        let self_copy = match (deletes, self.engine.onto_itself(job)) {
            (Some(_), true) => Err(anyhow::anyhow!(
                "{} -> {}: a move onto itself would delete what it copied",
                job.src,
                job.dst
            )),
            _ => self_copy,
        };
        if let Err(e) = self_copy {
            let failure = Failure::Usage(e);
            let mut line = CopyLine::failed(job, self.opts, Status::Failed, &failure, self.dry_run);
            if let Some(deletes) = deletes {
                let why = "not copied: nothing was deleted";
                line = line.moved(&kept(deletes, KeptReason::CopyFailed, why));
            }
            self.printer.object(&line, Some(&failure));
            return Some((Status::Failed, 0, None, 0, false));
        }
        // A bar per multipart copy; lines are the whole run's, where the
        // parts of this object count as they are copied (its share).
        let bar = Bar::default();
        let progress: &dyn Progress = match (self.progress, share) {
            (ProgressMode::Bar, _) => &bar,
            (_, Some(share)) => share,
            _ => &Silent,
        };
        // --skip-existing / --skip-same: what the listings (or a HEAD of
        // the destination) say decides first.
        let result = self
            .engine
            .copy_unless_skipped(
                job,
                item.listed.as_ref(),
                &item.existing,
                item.mode,
                self.opts,
                self.dry_run,
                progress,
                cancel,
            )
            .await;
        match result {
            Ok(Outcome::Skipped(skipped)) => {
                self.skipped(job, skipped, deletes).await;
                Some((Status::Skipped, 0, None, 0, false))
            }
            Ok(Outcome::Copied(copied)) => {
                let line = CopyLine::copied(job, self.opts, &copied);
                let strays = line.possible_strays.len() as u64;
                let done = Some((
                    line.status,
                    copied.size,
                    line.verified,
                    strays,
                    copied.uncompared,
                ));
                // s3cp mv: a proved source waits for its batch's delete
                // (its line printed then); one that is not is kept.
                let fate = match (deletes, self.dry_run) {
                    (None, _) => None,
                    (Some(_), true) => Some(SourceFate::WouldDelete),
                    // RenameObject moved the object itself.
                    (Some(deletes), false) if copied.renamed => {
                        deletes.renamed();
                        Some(SourceFate::Deleted { marker: false })
                    }
                    (Some(deletes), false) => match may_delete(&copied) {
                        Ok(()) => {
                            drop(line);
                            deletes.add(job.clone(), *copied).await;
                            return done;
                        }
                        Err(k) => {
                            deletes.kept(k.reason);
                            Some(SourceFate::Kept(k))
                        }
                    },
                };
                let line = match &fate {
                    Some(fate) => line.moved(fate),
                    None => line,
                };
                self.printer.object(&line, None);
                done
            }
            // Held back by the run's early stop: not a failure of its own
            // (the stop's cause is named once, at the end).
            Err(e) if self.engine.stop.is_tripped() && stopped(&e) => None,
            Err(e) => {
                let changed = rename_source_changed(&e);
                let failure = Failure::from_copy_error(e);
                let status = if self.already_exists(&failure) {
                    Status::Skipped
                } else {
                    Status::Failed
                };
                let mut line = CopyLine::failed(job, self.opts, status, &failure, self.dry_run);
                if let Some(deletes) = deletes {
                    let (reason, why) = match status {
                        Status::Skipped => (KeptReason::Skipped, "the copy was skipped"),
                        _ if changed => (
                            KeptReason::SourceChanged,
                            "the source changed: it was not renamed",
                        ),
                        _ => (
                            KeptReason::CopyFailed,
                            "the copy failed: nothing was deleted",
                        ),
                    };
                    line = line.moved(&kept(deletes, reason, why));
                }
                // Once the run stopped, the requests that were in flight
                // fail the same way: three lines say it, the stop line
                // counts the rest.
                let stopped = self.engine.stop.is_tripped() && status == Status::Failed;
                if !stopped || self.engine.stop.show_failure() {
                    self.printer.object(&line, Some(&failure));
                } else if self.printer.json {
                    // Every object keeps its JSON line.
                    self.printer.json_line(&line);
                }
                let strays = line.possible_strays.len() as u64;
                Some((status, 0, line.verified, strays, false))
            }
        }
    }

    /// An object `--skip-*` left alone: its line, or (s3cp mv --skip-same,
    /// a destination the same in every respect compared) its source queued
    /// for its batch's delete, which prints the line.
    async fn skipped(&self, job: &CopyJob, skipped: Skipped, deletes: Option<&Deletes<'_>>) {
        let line = CopyLine::skipped(job, self.opts, &skipped, self.dry_run);
        let line = match (deletes, skipped.same_source.clone(), self.dry_run) {
            (None, _, _) => line,
            (Some(_), Some(_), true) => line.moved(&SourceFate::WouldDelete),
            (Some(deletes), Some(source), false) => {
                drop(line);
                deletes.add_same(job.clone(), skipped, source).await;
                return;
            }
            (Some(deletes), None, _) => {
                line.moved(&kept(deletes, KeptReason::Skipped, "the copy was skipped"))
            }
        };
        self.printer.object(&line, None);
    }

    /// `--no-overwrite` met an existing destination: in a bulk run that
    /// object is skipped, not failed. A CopyObject's 412 may also be a
    /// source condition (`--copy-source-if-*`); a write of the bytes
    /// (Complete, a stream's PutObject) carries none.
    fn already_exists(&self, failure: &Failure) -> bool {
        self.opts.no_overwrite
            && failure.s3_error().is_some_and(|e: &S3Error| {
                e.status == Some(412)
                    && match e.operation {
                        "CopyObject" => self.opts.conditions.is_empty(),
                        // RenameObject's 412 reaches here only when the
                        // destination's condition failed (a source's is
                        // RenameSourceChanged).
                        "CompleteMultipartUpload" | "PutObject" | "RenameObject" => true,
                        _ => false,
                    }
            })
    }

    /// A manifest line or listing that could not be read: reported as a
    /// failed object.
    fn bad_item(&self, bad: &BadItem) -> (Status, u64, Option<bool>) {
        report_bad(self.printer, self.opts, self.dry_run, bad);
        (Status::Failed, 0, None)
    }
}

/// A manifest line or listing page that cannot be copied, said as a
/// failed object (a request that failed: exit 1; bad input: 2), here and
/// in a `--batch` run's listing.
pub fn report_bad(printer: Printer, opts: &CopyOptions, dry_run: bool, bad: &BadItem) {
    let error = anyhow::anyhow!("{}", bad.message);
    let failure = match bad.request_failed {
        true => Failure::Copy(error),
        false => Failure::Usage(error),
    };
    let line = CopyLine::unparsed(
        bad.src.clone().unwrap_or_default(),
        bad.dst.clone().unwrap_or_default(),
        opts,
        &failure,
        Status::Failed,
        dry_run,
    );
    printer.object(&line, Some(&failure));
}

/// The copy failed because a request of it was held back by the run's
/// early stop ([`crate::stop::Stopped`]: the SDK's construction failure,
/// which [`S3Error`] names `ConstructionFailure`).
fn stopped(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<S3Error>()
            .is_some_and(|s| s.message.contains(&crate::stop::Stopped.to_string()))
    })
}

/// A move's source kept without a delete: counted, and its fate.
fn kept(deletes: &Deletes<'_>, reason: KeptReason, why: &str) -> SourceFate {
    deletes.kept(reason);
    SourceFate::kept(reason, why)
}
