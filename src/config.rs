//! Turns parsed flags into validated, plain option structs. Everything a user
//! can get wrong is caught here, before any request is sent (exit code 2).

use anyhow::bail;

use crate::cli::{Cli, ConnectionArgs, OutputArgs};
use crate::plan::Limits;
use crate::uri::S3Uri;

/// How to reach S3.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub path_style: bool,
}

/// What to print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
}

/// One object copy, fully resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyJob {
    pub src: S3Uri,
    /// The destination object (a prefix destination already resolved).
    pub dst: S3Uri,
}

/// Everything `s3cp SRC DST` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub job: CopyJob,
    pub connection: Connection,
    pub limits: Limits,
    /// UploadPartCopy requests in flight.
    pub concurrency: usize,
    pub output: Output,
}

impl Config {
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Self> {
        let src = S3Uri::parse_source(&cli.src)?;
        let dst = S3Uri::parse_destination(&cli.dst)?.resolve_destination(&src)?;
        if src.bucket == dst.bucket && src.key == dst.key && src.version_id.is_none() {
            bail!(
                "{src} would be copied onto itself with nothing changed, which S3 refuses: \
                 give a different destination key"
            );
        }
        let limits = Limits::new(cli.transfer.multipart_threshold, cli.transfer.part_size)?;
        Ok(Self {
            job: CopyJob { src, dst },
            connection: Connection::from(&cli.connection),
            limits,
            concurrency: cli.transfer.concurrency,
            output: Output::from(&cli.output),
        })
    }
}

impl From<&ConnectionArgs> for Connection {
    fn from(a: &ConnectionArgs) -> Self {
        Self {
            region: a.region.clone(),
            profile: a.profile.clone(),
            endpoint_url: a.endpoint_url.clone(),
            path_style: a.path_style,
        }
    }
}

impl From<&OutputArgs> for Output {
    fn from(a: &OutputArgs) -> Self {
        Self {
            json: a.json,
            quiet: a.quiet,
            verbose: a.verbose,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn config(args: &[&str]) -> anyhow::Result<Config> {
        let mut argv = vec!["s3cp"];
        argv.extend_from_slice(args);
        Config::from_cli(&Cli::try_parse_from(argv)?)
    }

    #[test]
    fn resolves_prefix_destination() {
        let c = config(&["s3://a/dir/f.txt", "s3://b/out/"]).unwrap();
        assert_eq!(c.job.dst.to_string(), "s3://b/out/f.txt");
    }

    #[test]
    fn refuses_a_copy_onto_itself_that_changes_nothing() {
        let e = config(&["s3://a/k", "s3://a/k"]).unwrap_err();
        assert!(e.to_string().contains("onto itself"), "{e}");
        // A version restored onto its own key is a real change.
        assert!(config(&["s3://a/k?versionId=v1", "s3://a/k"]).is_ok());
    }

    #[test]
    fn refuses_a_threshold_above_five_gib() {
        let e = config(&["--multipart-threshold", "6GiB", "s3://a/k", "s3://b/k"]).unwrap_err();
        assert!(e.to_string().contains("above 5 GiB"), "{e}");
    }

    #[test]
    fn refuses_a_part_size_below_five_mib() {
        let e = config(&["--part-size", "1MiB", "s3://a/k", "s3://b/k"]).unwrap_err();
        assert!(e.to_string().contains("minimum part size"), "{e}");
    }
}
