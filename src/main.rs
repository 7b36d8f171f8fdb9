//! The `s3cp` binary: parse, set up logging, run the library, exit.

use std::io::IsTerminal;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = match s3cp::cli::Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => return s3cp::usage_error(e),
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
    let shutdown = async {
        // If the handler cannot be installed, never resolve: Ctrl-C then
        // kills the process as it would without s3cp's handling.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    runtime.block_on(s3cp::run(cli, shutdown)).into()
}

/// `-v` s3cp's steps, `-vv` its requests, `-vvv` the SDK's logs too;
/// `RUST_LOG` overrides. Logs go to stderr, never stdout.
fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "s3cp=info,warn",
        (false, 2) => "s3cp=debug,warn",
        (false, _) => "s3cp=trace,aws_smithy_runtime=debug,aws_sdk_s3=debug,info",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| s3cp::progress::LogWriter)
        .with_ansi(ansi)
        .with_target(false)
        .without_time()
        .init();
}
