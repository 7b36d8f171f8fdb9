//! s3cp: server-side copies of S3 objects.
//!
//! # Layout
//!
//! A copy flows top to bottom through these modules:
//!
//! - [`cli`]: the clap definition, and nothing else.
//! - [`config`]: validates the flags into plain structs ([`config::Config`]);
//!   every usage error is caught here, before any request (exit 2).
//! - [`uri`]: `s3://bucket/key?versionId=` parsing, destination resolution and
//!   the percent-encoding of `x-amz-copy-source`.
//! - [`plan`]: pure decisions: one CopyObject or multipart, part size, ranges.
//! - [`request`]: the one place that maps a copy onto each S3 request.
//! - [`copy`]: execution: HEAD, then [`copy`]'s single or multipart path, with
//!   bounded concurrency and abort on any failure or Ctrl-C.
//! - [`progress`]: the progress port the engine calls (indicatif or silent).
//! - [`report`]: the human line, the `--json` object, error printing.
//! - [`error`]: the error types (S3 error details, interruption, nothing to
//!   resume) and the exit codes; it imports nothing of the engine.
//! - [`client`]: the SDK client from the standard AWS configuration chain.
//! - [`bulk`]: what a bulk run copies (streamed listing, manifests, filters,
//!   shards); [`copy::bulk`] runs it.
//! - [`uploads`]: `s3cp uploads list|abort`, cleanup of incomplete uploads.

#![warn(rust_2018_idioms, unreachable_pub, missing_debug_implementations)]

pub mod bulk;
pub mod cli;
pub mod client;
pub mod config;
pub mod copy;
pub mod error;
pub mod journal;
pub mod options;
pub mod plan;
pub mod progress;
pub mod report;
pub mod request;
pub mod uploads;
pub mod uri;

use std::future::Future;
use std::io::IsTerminal;

use futures::{Stream, StreamExt};
use tokio::io::AsyncBufReadExt;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::bulk::{BadItem, Item};
use crate::config::{Config, CopyJob, Mode};
use crate::copy::Engine;
use crate::copy::bulk::BulkRun;
use crate::error::{Exit, Failure};
use crate::progress::{Bar, Progress, Silent};
use crate::report::{CopyLine, Printer};

/// Runs s3cp to the end and returns its exit code. `shutdown` resolves on
/// Ctrl-C.
pub async fn run(cli: cli::Cli, shutdown: impl Future<Output = ()>) -> Exit {
    let printer = Printer {
        json: cli.output.json,
        quiet: cli.output.quiet,
    };
    if let Some(cli::Command::Uploads(command)) = &cli.command {
        let counter = client::RequestCounter::default();
        let connection = match config::Connection::try_from(&cli.connection) {
            Ok(c) => c,
            Err(e) => {
                let failure = Failure::Usage(e);
                printer.run_failure(&failure);
                return failure.exit();
            }
        };
        let client = client::build(&connection, &counter).await;
        return uploads::run(&client, command, printer).await;
    }
    let config = match Config::from_cli(&cli) {
        Ok(c) => c,
        Err(e) => {
            let failure = Failure::Usage(e);
            printer.run_failure(&failure);
            return failure.exit();
        }
    };
    let counter = client::RequestCounter::default();
    let (client, endpoint) = client::build_with_endpoint(&config.connection, &counter).await;
    let budget = Semaphore::new(config.concurrency);
    let engine = Engine {
        client: &client,
        limits: config.limits,
        budget: &budget,
        concurrency: config.concurrency,
        keep_partial: config.keep_partial,
        resume: config.resume,
        endpoint: &endpoint,
    };
    let progress = show_progress(&config);
    let cancel = CancellationToken::new();
    let work = async {
        match &config.mode {
            Mode::One(job) => one(&engine, &config, job, printer, progress, &cancel).await,
            Mode::Recursive { src, dst, filters } => {
                let items = bulk::list(
                    client.clone(),
                    src.clone(),
                    dst.clone(),
                    filters.clone(),
                    config.bulk.shard,
                );
                many(
                    &engine, &config, items, printer, progress, &counter, &cancel,
                )
                .await
            }
            Mode::Manifest(path) => match manifest(path, config.bulk.shard).await {
                Ok(items) => {
                    many(
                        &engine, &config, items, printer, progress, &counter, &cancel,
                    )
                    .await
                }
                Err(e) => {
                    let failure = Failure::Usage(e);
                    printer.run_failure(&failure);
                    failure.exit()
                }
            },
        }
    };
    tokio::pin!(work);
    tokio::select! {
        exit = &mut work => exit,
        () = shutdown => {
            // Stop scheduling, abort uploads in flight, then report. The
            // work says whether it was interrupted: a copy that completed
            // anyway (its last request was already answered) exits 0.
            tracing::info!("Ctrl-C: starting no new copy, aborting uploads in flight");
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
    progress: bool,
    cancel: &CancellationToken,
) -> Exit {
    let bar: Box<dyn Progress> = if progress {
        Box::new(Bar::default())
    } else {
        Box::new(Silent)
    };
    let dry_run = config.output.dry_run;
    let result = engine
        .copy(job, None, &config.options, dry_run, bar.as_ref(), cancel)
        .await;
    match result {
        Ok(copied) => {
            let line = CopyLine::copied(job, &config.options, &copied);
            // A dry run is its own output: shown even with --quiet.
            let printer = Printer {
                quiet: printer.quiet && !dry_run,
                ..printer
            };
            printer.object(&line, None);
            Exit::Copied
        }
        Err(e) => {
            let failure = Failure::from_copy_error(e);
            let line = CopyLine::failed(
                job,
                &config.options,
                report::Status::Failed,
                &failure,
                dry_run,
            );
            printer.object(&line, Some(&failure));
            failure.exit()
        }
    }
}

/// A bulk run: per-object lines, then the summary; exit 1 if any failed.
async fn many(
    engine: &Engine<'_>,
    config: &Config,
    items: impl Stream<Item = Result<Item, BadItem>>,
    printer: Printer,
    progress: bool,
    counter: &client::RequestCounter,
    cancel: &CancellationToken,
) -> Exit {
    let run = BulkRun {
        engine,
        opts: &config.options,
        bulk: config.bulk,
        dry_run: config.output.dry_run,
        printer,
        progress,
    };
    let mut summary = run.run(items, cancel).await;
    (summary.requests, summary.retries) = counter.counts();
    printer.summary(&summary);
    if summary.interrupted {
        Exit::Interrupted
    } else if summary.failed > 0 {
        Exit::CopyFailed
    } else {
        Exit::Copied
    }
}

/// The manifest's copies, read line by line (`-`: standard input).
async fn manifest(
    path: &str,
    shard: Option<bulk::Shard>,
) -> anyhow::Result<impl Stream<Item = Result<Item, BadItem>>> {
    use anyhow::Context;
    let reader: Box<dyn tokio::io::AsyncRead + Unpin + Send> = if path == "-" {
        Box::new(tokio::io::stdin())
    } else {
        Box::new(
            tokio::fs::File::open(path)
                .await
                .with_context(|| format!("cannot open the manifest {path}"))?,
        )
    };
    let lines = tokio::io::BufReader::new(reader).lines();
    let stream = futures::stream::unfold(Some((lines, 0usize)), |state| async move {
        let (mut lines, n) = state?;
        match lines.next_line().await {
            Ok(Some(line)) => Some((Ok((n + 1, line)), Some((lines, n + 1)))),
            Ok(None) => None,
            // A read error ends the manifest after reporting it.
            Err(e) => Some((Err((n + 1, e)), None)),
        }
    });
    Ok(stream.filter_map(move |line| {
        std::future::ready(match line {
            Ok((n, text)) => bulk::manifest_item(n, &text, shard),
            Err((n, e)) => Some(Err(BadItem {
                origin: format!("manifest line {n}"),
                src: None,
                dst: None,
                message: format!("cannot read the manifest at line {n}: {e}"),
            })),
        })
    }))
}

/// Reports a command-line error from clap: its own message on stderr (exit 2,
/// or 0 for `--help` and `--version`), plus the JSON error object on stdout
/// when `--json` was among the arguments, so scripts always get JSON.
pub fn usage_error(e: clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return Exit::Copied.into();
    }
    if std::env::args_os().any(|a| a == "--json") {
        // clap's rendering names the flag and the fix; keep its first line.
        let text = e.render().to_string();
        let first = text
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("error: ");
        let failure = Failure::Usage(anyhow::anyhow!("{first}"));
        let printer = Printer {
            json: true,
            quiet: true,
        };
        // clap prints its own message below; only the JSON line here.
        printer.json_only_failure(&failure);
    }
    let _ = e.print();
    Exit::Usage.into()
}

fn show_progress(config: &Config) -> bool {
    !config.output.quiet && !config.output.json && std::io::stderr().is_terminal()
}
