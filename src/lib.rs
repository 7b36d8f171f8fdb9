//! s3cp: server-side copies of S3 objects.
//!
//! # Layout
//!
//! A copy flows top to bottom through these modules:
//!
//! - [`cli`]: the clap definition, and nothing else.
//! - [`config`]: validates the flags into plain values ([`config::Command`]:
//!   a [`config::Config`] to copy, or [`config::Uploads`]); every usage error
//!   is caught here, before any request (exit 2). No module below it sees a
//!   clap type.
//! - [`job`]: one copy, resolved ([`job::CopyJob`]): source, destination
//!   object (a destination ending in `/` given the source's name), the
//!   self-copy check. Everything below `config` takes copies in this form.
//! - [`uri`]: `s3://bucket/key?versionId=` parsing, destination resolution and
//!   the percent-encoding of `x-amz-copy-source`; access point ARNs, whose
//!   ARN stands as the bucket name (`uri/arn.rs`).
//! - [`select`]: what a bulk run copies: the streamed listing (which leaves
//!   out s3cp's own output), manifests, filters, shards.
//! - [`skip`]: pure decisions of `--skip-existing` / `--skip-same`: is the
//!   destination there, is it the same as the source (size, ETag, then
//!   full-object checksums).
//! - [`merge`]: with `-r`, the destination prefix's listing walked beside
//!   the source's (a merge of two sorted streams), so that a rerun knows
//!   what is there without a request per object; with a directory bucket
//!   at either end (listed in no order), collected into memory first.
//! - [`plan`]: pure decisions: one CopyObject or multipart, part size, ranges.
//! - [`checksum`]: pure decisions about checksums: what a copy asks S3 to
//!   compute (the source's algorithm, `FULL_OBJECT`), what proves the copy
//!   identical (checksum, ETag, or a read under `--verify`), and the verdict.
//! - [`request`]: the one place that maps a copy onto each S3 request.
//! - [`copy`]: execution of one copy in four steps: gather what must be read
//!   first (the source's HEAD, an interrupted run's journal and upload
//!   parts under the copy's lock (`copy/rerun.rs`), the source's parts and
//!   ACL), prepare the plan from that alone (pure: method, checksums, the
//!   requests it sends; `--dry-run` stops there), execute it (one
//!   CopyObject, a streamed write, or a multipart copy with bounded
//!   concurrency and abort on any failure or Ctrl-C), then prove the copy;
//!   its requests go through [`region::Router`]; beside them:
//!   streaming, the `--skip-*` checks, and the recognition of s3cp's own
//!   write after a lost answer (`copy/own_write.rs`).
//! - [`progress`]: the progress port the engine calls (indicatif bars on a
//!   terminal, a line every interval for logs, or silent).
//! - [`report`]: the human line, the `--json` object, error printing.
//! - [`batch`]: runs many copies from what [`select`] yields, through the
//!   engine, reporting each one as it ends (it sits after both).
//! - [`batchops`]: S3 Batch Operations (`--batch`): pure
//!   decisions only (what a job cannot do, the destination-key rule and
//!   `TargetKeyPrefix`, the CreateJob request, the streamed manifest CSV
//!   and the split at the multipart threshold, the completion report
//!   read back).
//! - [`handoff`]: the `--batch` run (listing into the job's manifest,
//!   CreateJob, the local remainder, the job watched to its end) and
//!   `s3cp batch status|wait|cancel`: the I/O above [`batchops`].
//! - [`crc`]: full-object CRCs (CRC32, CRC32C, CRC64NVME) of bytes read,
//!   combined across ranges, in S3's base64 form (`--verify` reading the
//!   source).
//! - [`hash`]: every algorithm S3 computes, over bytes s3cp reads (the
//!   five added in 2026, which the SDK cannot compute, and composites of
//!   parts), in S3's base64 form.
//! - [`error`]: the error types (S3 error details, interruption, nothing to
//!   resume) and the exit codes, and the messages that explain a copy's
//!   failures (`error/messages.rs`, which reads a job and its options); it
//!   imports nothing of the engine.
//! - [`client`]: the SDK client from the standard AWS configuration chain.
//! - [`region`]: each bucket's region (given, or learned from S3's
//!   redirect), one client per region in use, and the routing that changes
//!   them ([`region::Router`]): a request goes to its bucket's region within
//!   the request budget, a redirect is learned and sent again there, and a
//!   bucket's first request goes alone until its answer settles the region.
//! - [`stop`]: a bulk run's early stop on an error every object would meet
//!   (a missing bucket, refused credentials, no server, a denied bucket):
//!   the router judges each failed answer and, once the latch is tripped,
//!   sends nothing more; the listing stops and the batch counts the rest
//!   as not attempted.
//! - [`journal`]: what the next run needs to finish an interrupted
//!   multipart copy (a rerun continues it by itself; `--resume` insists,
//!   `--no-resume` starts afresh), keyed by both stores and both ends, and
//!   the lock that lets one run at a time write a copy's upload.
//! - [`uploads`]: `s3cp uploads list|abort`, cleanup of incomplete uploads.
//! - [`manual`]: the man page's ENVIRONMENT and FILES (every variable and
//!   file s3cp reads), as plain text; read by no other module.
//!
//! This file only wires them together: flags to config, config to a copy,
//! a batch or the uploads command, and Ctrl-C to all of them.

#![warn(rust_2018_idioms, unreachable_pub, missing_debug_implementations)]

pub mod batch;
pub mod batchops;
pub mod budget;
pub mod checksum;
pub mod cli;
pub mod client;
pub mod config;
pub mod copy;
pub mod crc;
pub mod deletes;
pub mod error;
pub mod handoff;
pub mod hash;
pub mod job;
pub mod journal;
pub mod manual;
pub mod merge;
pub mod options;
pub mod plan;
pub mod progress;
pub mod region;
pub mod report;
pub mod request;
pub mod select;
pub mod skip;
pub mod stop;
pub mod uploads;
pub mod uri;

use std::future::Future;
use std::io::IsTerminal;

use futures::{Stream, StreamExt};
use tokio_util::sync::CancellationToken;

use crate::batch::Batch;
use crate::config::{Command, Config, Mode, Output};
use crate::copy::{Engine, Outcome};
use crate::error::{Exit, Failure};
use crate::job::CopyJob;
use crate::progress::ProgressMode;
use crate::report::{CopyLine, Printer};
use crate::select::{Listing, Selected};
use crate::skip::Existing;

/// Runs s3cp to the end and returns its exit code. `shutdown` resolves on
/// Ctrl-C.
pub async fn run(cli: cli::Cli, shutdown: impl Future<Output = ()>) -> Exit {
    let output = Output::from(&cli);
    let printer = Printer {
        json: output.json,
        quiet: output.quiet,
        only_errors: output.only_errors,
        verbose: output.verbose > 0,
        bulk: false,
    };
    match Command::from_cli(&cli) {
        Ok(Command::Copy(config)) => copy_run(&config, printer, shutdown).await,
        Ok(Command::Uploads(command)) => uploads_run(&command, printer, shutdown).await,
        Ok(Command::Batch(job)) => handoff::command::run(&job, &output, printer, shutdown).await,
        Err(e) => usage(printer, e),
    }
}

/// A usage error of the whole run: said, and its exit code (2).
fn usage(printer: Printer, e: anyhow::Error) -> Exit {
    let failure = Failure::Usage(e);
    printer.run_failure(&failure);
    failure.exit()
}

/// `s3cp uploads list|abort`.
async fn uploads_run(
    command: &config::Uploads,
    printer: Printer,
    shutdown: impl Future<Output = ()>,
) -> Exit {
    if let Err(e) = check_profiles(&command.connection).await {
        return usage(printer, e);
    }
    let counter = client::RequestCounter::default();
    let client::Store {
        client, endpoint, ..
    } = client::build_store(&command.connection, &counter).await;
    let cancel = CancellationToken::new();
    let work = uploads::run(&client, command, printer, &cancel, &endpoint);
    until_interrupted(work, shutdown, &cancel).await
}

/// A copy (or move) run: its stores and what is refused once they are
/// known, then the engine, and the one copy, listing or manifest.
async fn copy_run(config: &Config, printer: Printer, shutdown: impl Future<Output = ()>) -> Exit {
    for warning in &config.warnings {
        tracing::warn!("{warning}");
    }
    if let Err(e) = check_profiles(&config.connection).await {
        return usage(printer, e);
    }
    let counter = client::RequestCounter::default();
    let store = client::build_store(&config.connection, &counter).await;
    // The source's store, when --source-profile or --source-endpoint-url
    // name another way to reach it.
    let source_store = match config.connection.source_differs() {
        true => Some(client::build_store(&config.connection.source(), &counter).await),
        false => None,
    };
    let same_store = source_store.as_ref().is_none_or(|s| s.same_as(&store));
    // One store after all (a --source-profile with the same endpoint): a
    // copy onto itself must change something.
    if config.connection.source_differs()
        && same_store
        && let Err(e) = config.mode.check_self_copy(&config.options)
    {
        return usage(printer, e);
    }
    // --copy-mode server between two stores, or out of a Multi-Region
    // Access Point: refused before any request.
    let src_bucket = config
        .mode
        .ends()
        .map_or("", |(src, _)| src.bucket.as_str());
    if let Err(e) = config.copy_mode.streams_from(same_store, src_bucket) {
        return usage(printer, anyhow::anyhow!(e));
    }
    let endpoint = store.endpoint.clone();
    let source_endpoint = source_store
        .as_ref()
        .map_or_else(|| endpoint.clone(), |s| s.endpoint.clone());
    // Journals of interrupted copies, keyed by the stores of both ends.
    let journals = journal::Journals::new(journal::Stores::new(
        source_store.as_ref().unwrap_or(&store).url.as_deref(),
        store.url.as_deref(),
    ));
    let resume = match run_resume(config, &journals) {
        Ok(resume) => resume,
        Err(e) => return usage(printer, e),
    };
    // Every bucket's requests go to its region: given by --source-region /
    // --region, else learned from S3's first redirect (one client per
    // region, all from this configuration: credentials resolved once).
    let regions = region::Regions::new(store.client.clone());
    let source_regions = source_store.map(|s| region::Regions::new(s.client));
    let source = source_regions.as_ref().unwrap_or(&regions);
    let (src_bucket, dst_bucket) = config.mode.ends().map_or((None, None), |(src, dst)| {
        (Some(&src.bucket), Some(&dst.bucket))
    });
    if let (Some(bucket), Some(r)) = (dst_bucket, &config.connection.region) {
        regions.give(bucket, r);
    }
    if let (Some(bucket), Some(r)) = (src_bucket, &config.connection.source_region) {
        source.give(bucket, r);
    }
    let budget = match config.concurrency {
        Some(n) => budget::Budget::fixed(n, counter.throttles()),
        None => budget::Budget::adaptive(counter.throttles()),
    };
    // Streamed bodies in memory: the fixed number, or the adaptive start.
    let buffers = copy::Buffers::new(
        config.concurrency.unwrap_or(budget::START),
        config.stream_limits,
    );
    // The run's early stop: an error every object would meet stops it.
    let bulk = !matches!(config.mode, Mode::One(_));
    let stop = stop::Stop::new(counter.unreachable(), bulk);
    let annotations = copy::AnnotationStores::default();
    let engine = Engine {
        regions: &regions,
        source,
        mode: config.copy_mode,
        same_store,
        stream_limits: config.stream_limits,
        buffers: &buffers,
        source_endpoint: &source_endpoint,
        limits: config.limits,
        budget: &budget,
        concurrency: budget.max(),
        keep_partial: config.keep_partial,
        resume,
        journals: &journals,
        rerun: &config.rerun,
        endpoint: &endpoint,
        stop: &stop,
        annotations: &annotations,
    };
    let progress = show_progress(config);
    let cancel = CancellationToken::new();
    let bulk = Bulk {
        engine: &engine,
        config,
        printer,
        progress,
        counter: &counter,
    };
    let work = async {
        match &config.mode {
            Mode::One(job) => one(&engine, config, job, printer, progress, &cancel).await,
            Mode::Recursive { src, dst, filters } => {
                let listing = Listing {
                    src: src.clone(),
                    dst: dst.clone(),
                    filters: filters.clone(),
                    shard: config.bulk.shard,
                    same_store,
                };
                let items =
                    listing.stream(source, &budget, &config.options, &source_endpoint, &stop);
                // --skip-existing / --skip-same: what the destination's
                // listing says of each, with the destination's client.
                let items = match config.options.skip {
                    Some(_) => {
                        let existing = merge::destination_pages(
                            &regions,
                            &budget,
                            dst.clone(),
                            &config.options,
                            &endpoint,
                        );
                        merge::beside(items, existing, src, dst).left_stream()
                    }
                    None => items.right_stream(),
                };
                let nothing = nothing_listed(src, filters, config.bulk.shard);
                bulk.run(items, &cancel, nothing).await
            }
            Mode::Manifest(path) => match select::read_manifest(path, config.bulk.shard).await {
                Ok(items) => {
                    let nothing = nothing_in_manifest(path, config.bulk.shard);
                    bulk.run(items, &cancel, nothing).await
                }
                Err(e) => usage(printer, e),
            },
        }
    };
    until_interrupted(work, shutdown, &cancel).await
}

/// A bulk run (`-r`, `--from-file`): handed to an S3 Batch Operations
/// job with `--batch`, else copied here.
struct Bulk<'a> {
    engine: &'a Engine<'a>,
    config: &'a Config,
    printer: Printer,
    progress: ProgressMode,
    counter: &'a client::RequestCounter,
}

impl Bulk<'_> {
    /// `nothing` says what was looked at, for a run that selects nothing.
    async fn run(
        &self,
        items: impl Stream<Item = Selected>,
        cancel: &CancellationToken,
        nothing: String,
    ) -> Exit {
        let (engine, config) = (self.engine, self.config);
        let Some(batch) = &config.batch else {
            return many(
                engine,
                config,
                items,
                self.printer,
                self.progress,
                self.counter,
                cancel,
                &nothing,
            )
            .await;
        };
        let hand_off = handoff::run::HandOff {
            engine,
            config,
            batch,
            printer: self.printer,
            progress: self.progress,
            counter: self.counter,
            nothing,
        };
        hand_off.run(items, cancel).await
    }
}

/// What the run does with interrupted copies' journals. A bulk run resumes
/// each object that has one and copies the rest; `--resume` insists only
/// that there is something to resume (a journal under the two prefixes;
/// any of these stores' for a manifest), else bad input.
fn run_resume(config: &Config, journals: &journal::Journals) -> anyhow::Result<journal::Resume> {
    let (mode, resume) = (&config.mode, config.resume);
    if matches!(mode, Mode::One(_)) || resume != journal::Resume::Required {
        return Ok(resume);
    }
    let under = |prefix: &uri::S3Uri, uri: &str| uri.starts_with(&prefix.to_string());
    let any = match mode {
        Mode::Recursive { src, dst, .. } => journals.any(|s, d| under(src, s) && under(dst, d)),
        _ => journals.any(|_, _| true),
    };
    match any {
        true => Ok(journal::Resume::Auto),
        false => Err(anyhow::Error::new(error::NothingToResume(format!(
            "--resume: no copy of this run was interrupted (no journal of it in {}): run \
             without --resume",
            journal::dir().display()
        )))),
    }
}

/// What a recursive run that selects nothing says it looked at.
fn nothing_listed(
    src: &uri::S3Uri,
    filters: &select::Filters,
    shard: Option<select::Shard>,
) -> String {
    let shard_text = |s: select::Shard| format!("--shard {}/{}", s.index + 1, s.count);
    let left = match (filters.given(), shard) {
        (Some(f), Some(s)) => format!("the filters {f} and {} left none", shard_text(s)),
        (Some(f), None) => format!("the filters {f} left none"),
        (None, Some(s)) => format!("{} left none", shard_text(s)),
        (None, None) => {
            "the listing found none (keys are case-sensitive: check the prefix)".to_owned()
        }
    };
    format!("no object under {src} to copy: {left}")
}

/// What a manifest run that selects nothing says.
fn nothing_in_manifest(path: &str, shard: Option<select::Shard>) -> String {
    let shard = match shard {
        Some(s) => format!(" in --shard {}/{}", s.index + 1, s.count),
        None => String::new(),
    };
    let manifest = match path {
        "-" => "the manifest on standard input".to_owned(),
        path => format!("the manifest {path}"),
    };
    format!("{manifest} lists no object to copy{shard}")
}

/// The profiles the flags name exist (exit 2 before any request if not).
async fn check_profiles(connection: &config::Connection) -> anyhow::Result<()> {
    if let Some(p) = &connection.profile {
        client::check_profile(p, "--profile").await?;
    }
    if let Some(p) = &connection.source_profile {
        client::check_profile(p, "--source-profile").await?;
    }
    Ok(())
}

/// Runs `work` to its end; on Ctrl-C (`shutdown`), cancels it, lets it undo
/// what it started and report, and exits 130.
async fn until_interrupted(
    work: impl Future<Output = Exit>,
    shutdown: impl Future<Output = ()>,
    cancel: &CancellationToken,
) -> Exit {
    tokio::pin!(work);
    tokio::select! {
        exit = &mut work => exit,
        () = shutdown => {
            // Stop scheduling, abort uploads in flight, then report. The
            // work says whether it was interrupted: a copy that completed
            // anyway (its last request was already answered) exits 0.
            tracing::info!(
                "Ctrl-C: stopping; what is in flight is finished or undone first (Ctrl-C again \
                 exits at once)"
            );
            cancel.cancel();
            work.await
        }
    }
}

/// `s3cp SRC DST`: one object, one result line, its own exit code.
async fn one(
    engine: &Engine<'_>,
    config: &Config,
    job: &CopyJob,
    printer: Printer,
    progress: ProgressMode,
    cancel: &CancellationToken,
) -> Exit {
    let bar = progress::for_one(progress, config.output.progress_interval);
    let dry_run = config.output.dry_run;
    // A dry run is its own output: shown even with --quiet.
    let shown = Printer {
        quiet: printer.quiet && !dry_run,
        only_errors: printer.only_errors && !dry_run,
        ..printer
    };
    // --skip-existing / --skip-same: a HEAD of the destination first.
    let result = engine
        .copy_unless_skipped(
            job,
            None,
            &Existing::Unknown,
            None,
            &config.options,
            dry_run,
            bar.as_ref(),
            cancel,
        )
        .await;
    // No progress line after the result's.
    drop(bar);
    match result {
        Ok(Outcome::Skipped(skipped)) => {
            let mut line = CopyLine::skipped(job, &config.options, &skipped, dry_run);
            let mut exit = Exit::Copied;
            // s3cp mv --skip-same: a destination the same in every respect
            // compared lets its source go.
            if config.options.moving.is_some() {
                let fate = match &skipped.same_source {
                    Some(same) => {
                        engine
                            .delete_same_source(job, same, dry_run, &config.options)
                            .await
                    }
                    None => {
                        copy::SourceFate::kept(copy::KeptReason::Skipped, "the copy was skipped")
                    }
                };
                if matches!(&fate, copy::SourceFate::Kept(k) if k.reason != copy::KeptReason::Skipped)
                {
                    exit = Exit::CopyFailed;
                }
                line = line.moved(&fate);
            }
            shown.object(&line, None);
            exit
        }
        Ok(Outcome::Copied(copied)) => {
            let mut line = CopyLine::copied(job, &config.options, &copied);
            let mut exit = Exit::Copied;
            // s3cp mv: the source goes once its copy is proved, if it is
            // still what was copied.
            if config.options.moving.is_some() {
                let fate = engine.delete_source(job, &copied, &config.options).await;
                if matches!(fate, copy::SourceFate::Kept(_)) {
                    exit = Exit::CopyFailed;
                }
                line = line.moved(&fate);
            }
            shown.object(&line, None);
            printer.uncompared(u64::from(copied.uncompared), engine.limits.source_parts);
            exit
        }
        Err(e) => {
            let changed = copy::rename_source_changed(&e);
            // What every request would have met (a missing bucket, refused
            // credentials) is said first.
            let e = match engine.stop.cause() {
                Some(cause) if !e.chain().any(|c| c.to_string() == cause) => {
                    error::Learned::context(e, cause.to_owned())
                }
                _ => e,
            };
            let failure = Failure::from_copy_error(e);
            let mut line = CopyLine::failed(
                job,
                &config.options,
                report::Status::Failed,
                &failure,
                dry_run,
            );
            if config.options.moving.is_some() {
                line = line.moved(&match changed {
                    true => copy::SourceFate::kept(
                        copy::KeptReason::SourceChanged,
                        "the source changed: it was not renamed",
                    ),
                    false => copy::SourceFate::kept(
                        copy::KeptReason::CopyFailed,
                        "the copy failed: nothing was deleted",
                    ),
                });
            }
            printer.object(&line, Some(&failure));
            failure.exit()
        }
    }
}

/// A bulk run: per-object lines, then the summary; exit 1 if any failed.
/// `nothing` says what was looked at, for a run that selects no object
/// (a warning, or with `--require-objects` an error and exit 1).
#[allow(clippy::too_many_arguments)]
async fn many(
    engine: &Engine<'_>,
    config: &Config,
    items: impl Stream<Item = Selected>,
    printer: Printer,
    progress: ProgressMode,
    counter: &client::RequestCounter,
    cancel: &CancellationToken,
    nothing: &str,
) -> Exit {
    let printer = Printer {
        bulk: true,
        ..printer
    };
    printer.settings(&config.options, config.output.dry_run);
    let run = Batch {
        engine,
        opts: &config.options,
        bulk: config.bulk,
        dry_run: config.output.dry_run,
        printer,
        progress,
        progress_interval: config.output.progress_interval,
    };
    let mut summary = run.run(items, cancel).await;
    (summary.requests, summary.retries) = counter.counts();
    summary.concurrency = engine.budget.limit();
    if engine.budget.is_adaptive() {
        tracing::info!(
            "requests in flight settled at {} (at most {} during the run)",
            engine.budget.limit(),
            engine.budget.peak()
        );
    }
    let selected =
        summary.copied + summary.planned + summary.skipped + summary.failed + summary.not_attempted;
    let none = selected == 0 && !summary.interrupted;
    if none {
        let excluded = match summary.excluded {
            0 => String::new(),
            n => format!(
                " ({n} key{} under the destination prefix left out)",
                if n == 1 { "" } else { "s" }
            ),
        };
        let text = format!("{nothing}{excluded}");
        match config.bulk.require_objects {
            true => printer.run_failure(&Failure::Copy(anyhow::anyhow!(
                "{text} (--require-objects)"
            ))),
            false => printer.warning(&text),
        }
    }
    let required = none && config.bulk.require_objects;
    if let Some(cause) = engine.stop.cause() {
        // Named once, with its fix, whatever the objects' lines said.
        printer.stop_line(cause, summary.not_attempted, engine.stop.unshown());
    }
    printer.summary(&summary);
    printer.uncompared(summary.uncompared, engine.limits.source_parts);
    if summary.interrupted {
        Exit::Interrupted
    } else if summary.failed > 0
        || summary.not_attempted > 0
        || required
        || summary.kept_failing > 0
    {
        Exit::CopyFailed
    } else {
        Exit::Copied
    }
}

/// Bars on a terminal, lines for logs (`--progress` chooses); with
/// `--json` too, since progress goes to stderr and results to stdout.
fn show_progress(config: &Config) -> ProgressMode {
    config.output.progress(std::io::stderr().is_terminal())
}
