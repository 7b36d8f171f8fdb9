//! The command-line definition (clap derive) and nothing else: `config.rs`
//! turns it into validated options, so no other module sees clap types.
//! Completions and the man page are generated from [`Cli`].

use clap::builder::TypedValueParser;
use clap::{ArgAction, Args, Parser};

const AFTER_HELP: &str = "\
Exit status:
  0    the object was copied
  1    the copy failed (nothing half-made is left behind)
  2    bad usage or input (nothing was written)
  130  interrupted by Ctrl-C (multipart uploads are aborted)

Examples:
  s3cp s3://src-bucket/data/file.bin s3://dst-bucket/backup/
  s3cp 's3://src-bucket/file.bin?versionId=3HL4kqtJ' s3://dst-bucket/file.bin
  s3cp --json s3://a/big.iso s3://b/big.iso | jq .parts";

/// Server-side copy of an S3 object: one CopyObject up to 5 GiB, a parallel
/// multipart copy (UploadPartCopy) above, with the same result either way.
#[derive(Debug, Parser)]
#[command(name = "s3cp", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// The object to copy: s3://BUCKET/KEY, optionally ending in
    /// ?versionId=ID to copy one version.
    #[arg(value_name = "SRC")]
    pub src: String,

    /// Where to copy it: s3://BUCKET/KEY. A bucket alone or a key ending in
    /// '/' receives the source key's last path segment.
    #[arg(value_name = "DST")]
    pub dst: String,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(flatten)]
    pub transfer: TransferArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// How to reach S3. Credentials come from the standard AWS chain
/// (environment, profile, SSO, instance role).
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection")]
pub struct ConnectionArgs {
    /// AWS region of the buckets [default: from the environment or profile,
    /// else us-east-1].
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Named profile from ~/.aws/config and ~/.aws/credentials.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Send requests to this endpoint instead of AWS (an S3-compatible
    /// store). AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL work too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Use path-style addressing (https://host/bucket/key), which most
    /// S3-compatible stores need.
    #[arg(long)]
    pub path_style: bool,
}

/// How the copy is cut into requests.
#[derive(Debug, Args)]
#[command(next_help_heading = "Transfer")]
pub struct TransferArgs {
    /// Objects larger than this are copied in parts; up to it, one atomic
    /// CopyObject. At most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes.
    #[arg(long, value_name = "SIZE", default_value = "5GiB", value_parser = parse_size)]
    pub multipart_threshold: u64,

    /// Part size of a multipart copy, from 5MiB to 5GiB; grown automatically
    /// so that no copy needs more than 10,000 parts.
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size)]
    pub part_size: u64,

    /// UploadPartCopy requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = crate::plan::DEFAULT_CONCURRENCY,
          value_parser = clap::value_parser!(u16).range(1..=1024).map(usize::from))]
    pub concurrency: usize,
}

/// What s3cp prints.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Print the result (or the error) as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,

    /// Print nothing but errors; no progress bar.
    #[arg(short, long)]
    pub quiet: bool,

    /// More detail on stderr: -v what s3cp does, -vv each request, -vvv the
    /// SDK's own logs. RUST_LOG overrides.
    #[arg(short, long, action = ArgAction::Count)]
    pub verbose: u8,
}

/// Parses `8MiB`, `5GiB`, `1.5GB`, `1048576`.
fn parse_size(text: &str) -> Result<u64, String> {
    parse_size::parse_size(text)
        .map_err(|e| format!("{e}: write a size such as 8MiB, 5GiB, 1.5GB or a number of bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes_parse_binary_and_decimal_units() {
        assert_eq!(parse_size("8MiB"), Ok(8 * 1024 * 1024));
        assert_eq!(parse_size("5GiB"), Ok(5 * 1024 * 1024 * 1024));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("-5MiB").is_err());
    }

    #[test]
    fn defaults_match_the_planner() {
        let cli = Cli::try_parse_from(["s3cp", "s3://a/b", "s3://c/d"]).unwrap();
        assert_eq!(
            cli.transfer.multipart_threshold,
            crate::plan::DEFAULT_THRESHOLD
        );
        assert_eq!(cli.transfer.part_size, crate::plan::DEFAULT_PART_SIZE);
        assert_eq!(cli.transfer.concurrency, crate::plan::DEFAULT_CONCURRENCY);
    }
}
