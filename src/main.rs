//! The `s3cp` binary: parse, set up logging, run the library, exit.

use std::io::IsTerminal;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::prelude::*;

fn main() -> ExitCode {
    let cli = match s3cp::cli::Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    init_logging(cli.output.verbose, cli.output.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("s3cp: error: cannot start the async runtime: {e}");
            return s3cp::error::Exit::CopyFailed.into();
        }
    };
    runtime
        .block_on(async {
            let shutdown = ctrl_c();
            s3cp::run(cli, shutdown).await
        })
        .into()
}

/// Reports a command-line error from clap: its own message on stderr (exit 2,
/// or 0 for `--help` and `--version`), plus the JSON error object on stdout
/// when `--json` was among the arguments, so scripts always get JSON.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    use s3cp::error::{Exit, Failure};
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
        let printer = s3cp::report::Printer {
            json: true,
            quiet: true,
            ..Default::default()
        };
        // clap prints its own message below; only the JSON line here.
        printer.json_only_failure(&failure);
    }
    let _ = e.print();
    Exit::Usage.into()
}

/// Resolves on the first SIGINT; a second one exits at once with 130. The
/// handler is installed when this is called, before any request, so a
/// Ctrl-C during CreateMultipartUpload is seen too (the upload is then
/// aborted). If it cannot be installed, never resolves: Ctrl-C then ends the
/// process as it would without s3cp's handling.
#[cfg(unix)]
fn ctrl_c() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let sigint = signal(SignalKind::interrupt());
    async move {
        match sigint {
            Ok(mut s) => {
                s.recv().await;
                // The first Ctrl-C lets s3cp abort what it started; a second
                // one ends the process at once.
                tokio::spawn(async move {
                    s.recv().await;
                    eprintln!("s3cp: interrupted twice; exiting now");
                    std::process::exit(130);
                });
            }
            Err(_) => std::future::pending::<()>().await,
        }
    }
}

#[cfg(not(unix))]
fn ctrl_c() -> impl std::future::Future<Output = ()> {
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// `-v` s3cp's steps, `-vv` its requests, `-vvv` the SDK's logs too;
/// `RUST_LOG` overrides. Logs go to stderr, never stdout.
fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        // aws-config warns about every credential provider it tries in
        // turn (IMDS included); the resulting error says what matters.
        (false, 0) => "warn,aws_config=error",
        (false, 1) => "s3cp=info,warn,aws_config=error",
        (false, 2) => "s3cp=debug,warn",
        (false, _) => "s3cp=trace,aws_smithy_runtime=debug,aws_sdk_s3=debug,info",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // aws-sigv4 logs every request it signs, headers and all, at TRACE:
    // that would print SSE-C keys. No RUST_LOG may turn it on.
    let no_secrets = filter_fn(|meta| {
        !(meta.target().starts_with("aws_sigv4") && *meta.level() == tracing::Level::TRACE)
    });
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(|| s3cp::progress::LogWriter)
        .with_ansi(ansi)
        .with_target(false)
        .without_time();
    // Global filters (not per-layer ones): what they disable is disabled at
    // its callsite, so the SDK's spans for every request of a bulk run are
    // never even created.
    tracing_subscriber::registry()
        .with(filter)
        .with(no_secrets)
        .with(layer)
        .init();
}
