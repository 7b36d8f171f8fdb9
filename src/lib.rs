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
//! - [`error`]: S3 error details and the exit codes.
//! - [`client`]: the SDK client from the standard AWS configuration chain.

#![warn(rust_2018_idioms, unreachable_pub, missing_debug_implementations)]

pub mod cli;
pub mod client;
pub mod config;
pub mod copy;
pub mod error;
pub mod options;
pub mod plan;
pub mod progress;
pub mod report;
pub mod request;
pub mod uri;

use std::future::Future;
use std::io::IsTerminal;

use crate::config::Config;
use crate::copy::{Engine, Interrupted};
use crate::error::{Exit, Failure};
use crate::progress::{Bar, Progress, Silent};

/// Runs `s3cp SRC DST` to the end and returns its exit code. `shutdown`
/// resolves on Ctrl-C.
pub async fn run(cli: cli::Cli, shutdown: impl Future<Output = ()>) -> Exit {
    let json = cli.output.json;
    let config = match Config::from_cli(&cli) {
        Ok(c) => c,
        Err(e) => {
            let failure = Failure::Usage(e);
            report::print_failure(None, &failure, json);
            return failure.exit();
        }
    };
    let client = client::build(&config.connection).await;
    let engine = Engine {
        client: &client,
        limits: config.limits,
        concurrency: config.concurrency,
    };
    let progress: Box<dyn Progress> = if show_progress(&config) {
        Box::new(Bar::default())
    } else {
        Box::new(Silent)
    };
    let copied = engine
        .copy(
            &config.job,
            &config.options,
            config.output.dry_run,
            progress.as_ref(),
            shutdown,
        )
        .await;
    match copied {
        Ok(copied) => {
            if !config.output.quiet || config.output.json || copied.dry_run {
                // A closed stdout (`| head`) is not a failed copy.
                let _ =
                    report::print_copied(&config.job, &config.options, &copied, config.output.json);
            }
            Exit::Copied
        }
        Err(e) => {
            let failure = classify(e);
            report::print_failure(Some(&config.job), &failure, json);
            failure.exit()
        }
    }
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
    if std::env::args().any(|a| a == "--json") {
        // clap's rendering names the flag and the fix; keep its first line.
        let text = e.render().to_string();
        let first = text
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("error: ");
        let failure = Failure::Usage(anyhow::anyhow!("{first}"));
        report::print_json_failure(None, &failure);
    }
    let _ = e.print();
    Exit::Usage.into()
}

fn show_progress(config: &Config) -> bool {
    !config.output.quiet && !config.output.json && std::io::stderr().is_terminal()
}

/// Sorts an engine error into its exit code: an interruption, input that
/// planning refused, or a failed copy.
fn classify(e: anyhow::Error) -> Failure {
    if e.downcast_ref::<Interrupted>().is_some() {
        Failure::Interrupted
    } else if e.downcast_ref::<plan::PlanError>().is_some() {
        Failure::Usage(e)
    } else {
        Failure::Copy(e)
    }
}
