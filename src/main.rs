//! The `s3cp` binary: parse, set up logging, run the library, exit.
// The layout of the run's future nests deeper than the default 128 queries.
#![recursion_limit = "256"]

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
    // One thread: a run's futures are polled by the thread in `block_on`
    // (they are not `Send`), so with worker threads every answer crossed
    // from hyper's connection task on a worker to the main thread and back
    // (futex wakes, cache misses). On one thread a small object's copy
    // costs 0.08 ms of CPU instead of 0.13 (BENCHMARKS.md, issue 24); a
    // streamed copy, whose bytes are hashed on the main thread either way,
    // spends no more (1.2-1.4 s per 2 GiB against 1.5-1.9).
    let runtime = match tokio::runtime::Builder::new_current_thread()
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
    match unknown_flag(&e) {
        Some(text) => eprint!("{text}"),
        None => {
            let _ = e.print();
        }
    }
    Exit::Usage.into()
}

/// clap's message for an unknown flag, with its tip replaced by the
/// nearest real flag: clap suggests `-- --flag` (pass it as a value) when
/// no flag is close, which is never what was meant. `None` for other
/// errors, which clap prints as they are.
fn unknown_flag(e: &clap::Error) -> Option<String> {
    use clap::CommandFactory;
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(given)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let name = given.split('=').next().unwrap_or(given);
    if !name.starts_with("--") {
        return None;
    }
    // The flags of the command given (`uploads list`) and of those above
    // it, whose flags it takes too.
    let command = s3cp::cli::Cli::command();
    let mut flags: Vec<String> = Vec::new();
    let mut current = &command;
    let mut path = String::from("s3cp");
    let mut args = std::env::args().skip(1);
    loop {
        for a in current.get_arguments() {
            flags.extend(
                a.get_long_and_visible_aliases()
                    .into_iter()
                    .flatten()
                    .map(|l| format!("--{l}")),
            );
        }
        let Some(next) = args.find_map(|a| current.find_subcommand(&a)) else {
            break;
        };
        current = next;
        path = format!("{path} {}", next.get_name());
    }
    flags.sort();
    flags.dedup();
    // The start of a real flag (the shortest that it starts), else the
    // flag at the least edit distance if close enough to be a typo (at
    // most a third of its letters off, or 3).
    let started = flags
        .iter()
        .filter(|f| f.starts_with(name))
        .min_by_key(|f| f.len());
    let nearest = flags
        .iter()
        .map(|f| (edit_distance(name, f), f))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, _)| *d <= (name.len() / 3).max(3))
        .map(|(_, f)| f);
    let tip = match started.or(nearest) {
        Some(flag) => format!("  tip: did you mean {flag}?"),
        None => format!("  tip: s3cp has no flag like '{name}': {path} --help lists them all"),
    };
    let text = e.render().to_string();
    let mut out: Vec<String> = Vec::new();
    let mut tipped = false;
    for line in text.lines() {
        if line.trim_start().starts_with("tip:") {
            if !tipped {
                out.push(tip.clone());
                tipped = true;
            }
            continue;
        }
        out.push(line.to_owned());
    }
    if !tipped {
        out.insert(1.min(out.len()), String::new());
        out.insert(2.min(out.len()), tip);
    }
    Some(out.join("\n") + "\n")
}

/// Levenshtein distance between two flags, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Resolves on the first SIGINT; a second one exits at once with 130. The
/// handler is installed when this is called, before any request, so a
/// Ctrl-C during CreateMultipartUpload is seen too (the upload is then
/// aborted). The signals are watched on a thread of their own: the run has
/// one thread, and a second Ctrl-C must end the process even while that
/// thread is held (a write to a stderr pipe nobody reads). If the handler
/// cannot be installed, never resolves: Ctrl-C then ends the process as it
/// would without s3cp's handling.
#[cfg(unix)]
fn ctrl_c() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let (first, first_seen) = tokio::sync::oneshot::channel::<()>();
    let (ready, installed) = std::sync::mpsc::channel::<bool>();
    let watcher = std::thread::Builder::new()
        .name("s3cp-signals".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build();
            let Ok(runtime) = runtime else {
                let _ = ready.send(false);
                return;
            };
            runtime.block_on(async move {
                let Ok(mut sigint) = signal(SignalKind::interrupt()) else {
                    let _ = ready.send(false);
                    return;
                };
                let _ = ready.send(true);
                sigint.recv().await;
                // The first Ctrl-C lets s3cp abort what it started; a
                // second one ends the process at once.
                let _ = first.send(());
                sigint.recv().await;
                eprintln!("s3cp: interrupted twice; exiting now");
                std::process::exit(130);
            });
        });
    let watching = watcher.is_ok() && installed.recv().unwrap_or(false);
    async move {
        if !watching || first_seen.await.is_err() {
            std::future::pending::<()>().await;
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
