//! The command-line definition (clap derive) and nothing else: `config.rs`
//! turns it into validated options, so no other module sees clap types.
//! Completions and the man page are generated from [`Cli`].

use aws_sdk_s3::types::{
    ChecksumAlgorithm, ObjectCannedAcl, ObjectLockLegalHoldStatus, ObjectLockMode, RequestPayer,
    ServerSideEncryption, StorageClass,
};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

/// The end of `-h`: a few examples, and where the rest is.
const AFTER_HELP: &str = "\
Examples:
  s3cp s3://src-bucket/data/file.bin s3://dst-bucket/backup/
  s3cp -r --skip-same s3://src-bucket/data/ s3://dst-bucket/data/

Every option, exit status and more examples: s3cp --help; man s3cp";

/// The end of `--help` (and the man page's EXTRA section).
const AFTER_LONG_HELP: &str = "\
Exit status:
  0    the object was copied
  1    the copy failed (nothing half-made is left behind)
  2    bad usage or input (nothing was written)
  130  interrupted by Ctrl-C (multipart uploads are aborted)

Examples:
  s3cp s3://src-bucket/data/file.bin s3://dst-bucket/backup/
  s3cp 's3://src-bucket/file.bin?versionId=3HL4kqtJ' s3://dst-bucket/file.bin
  s3cp --json s3://a/big.iso s3://b/big.iso | jq .parts
  s3cp -r --skip-same s3://src-bucket/data/ s3://dst-bucket/data/
  s3cp --endpoint-url http://localhost:3900 --path-style s3://a/k s3://b/k

Environment variables (AWS_PROFILE, AWS_REGION, S3CP_STATE_DIR...) and
files (~/.aws/config, the journal directory): man s3cp";

/// The options `-h` shows (by argument id); `--help` shows them all. Kept
/// short so that `-h` fits a screen (tests/docs.rs holds it to 40 lines at
/// 100 columns): a new flag appears under `--help` only, unless it is
/// added here.
const SHORT_HELP: &[&str] = &[
    "recursive",
    "from_file",
    "region",
    "profile",
    "endpoint_url",
    "json",
    "quiet",
    "verbose",
    "dry_run",
];

/// Hides from `-h` every option that [`SHORT_HELP`] does not name.
fn short_help_only_common(arg: clap::Arg) -> clap::Arg {
    let common = arg.is_positional() || SHORT_HELP.contains(&arg.get_id().as_str());
    arg.hide_short_help(!common)
}

/// Server-side copy of an S3 object: one CopyObject up to 5 GiB, a parallel
/// multipart copy (UploadPartCopy) above, with the same result either way.
#[derive(Debug, Parser)]
#[command(
    name = "s3cp",
    version,
    about,
    after_help = AFTER_HELP,
    after_long_help = AFTER_LONG_HELP,
    subcommand_negates_reqs = true,
    mut_args = short_help_only_common
)]
pub struct Cli {
    /// The arguments as given (with the program's name), for hints that
    /// print the command again.
    #[arg(skip)]
    pub argv: Vec<std::ffi::OsString>,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub copy: CopyArgs,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// What a copy (or a move) is given: its ends and every flag of the copy
/// itself; the connection and output flags are global, the top level's.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The object to copy: s3://BUCKET/KEY (with --recursive, a prefix).
    ///
    /// It may end in ?versionId=ID to copy one version.
    #[arg(value_name = "SRC", required_unless_present = "from_file")]
    pub src: Option<String>,

    /// Where to copy it: s3://BUCKET/KEY (with --recursive, a prefix).
    ///
    /// A bucket alone or a key ending in '/' receives the source key's last
    /// path segment.
    #[arg(value_name = "DST", required_unless_present = "from_file")]
    pub dst: Option<String>,

    #[command(flatten)]
    pub bulk: BulkArgs,

    #[command(flatten)]
    pub source: SourceArgs,

    #[command(flatten)]
    pub transfer: TransferArgs,

    #[command(flatten)]
    pub metadata: MetadataArgs,

    #[command(flatten)]
    pub tagging: TaggingArgs,

    #[command(flatten)]
    pub acl: AclArgs,

    #[command(flatten)]
    pub encryption: EncryptionArgs,

    #[command(flatten)]
    pub object: ObjectArgs,

    #[command(flatten)]
    pub conditions: ConditionArgs,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

/// Handing a bulk copy to S3 Batch Operations.
#[derive(Debug, Args)]
#[command(next_help_heading = "S3 Batch Operations")]
pub struct BatchArgs {
    /// Hand the copy to an S3 Batch Operations job (with --recursive or
    /// --from-file): s3cp lists and filters, uploads the job's manifest
    /// under --batch-reports, creates one job in the destination's region
    /// and watches it to its end. Objects above --multipart-threshold (at
    /// most 5 GiB, a job's limit) are copied by s3cp itself, meanwhile.
    #[arg(long, requires_all = ["batch_role", "batch_reports"])]
    pub batch: bool,

    /// The IAM role the job runs as (arn:aws:iam::ACCOUNT:role/NAME): it
    /// must trust batchoperations.s3.amazonaws.com and may read the sources
    /// and the manifest and write the copies and the report.
    #[arg(long, value_name = "ROLE_ARN", requires = "batch")]
    pub batch_role: Option<String>,

    /// Where the job's manifest and completion report go:
    /// s3://BUCKET/PREFIX/, outside both SRC and DST.
    #[arg(long, value_name = "S3_URI", requires = "batch")]
    pub batch_reports: Option<String>,

    /// Create the job awaiting confirmation instead of running it at once:
    /// s3cp prints how to confirm it, and how to watch it (s3cp batch wait
    /// JOB_ID), and exits without waiting.
    #[arg(long, requires = "batch")]
    pub batch_confirm: bool,

    /// Print the job's id once it is created and exit 0, without watching
    /// it (s3cp batch wait JOB_ID watches it later).
    #[arg(long, requires = "batch")]
    pub no_wait: bool,
}

/// `s3cp mv`: a copy whose sources are deleted once copied and proved.
#[derive(Debug, Args)]
pub struct MvArgs {
    #[command(flatten)]
    pub copy: CopyArgs,

    /// In a versioned source bucket, delete the copied version itself (by
    /// its version id, never another) instead of adding a delete marker.
    #[arg(long)]
    pub delete_version: bool,
}

/// How the destination's metadata and Content-* headers are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum MetadataDirectiveArg {
    /// Keep the source's metadata and headers (S3's default).
    Copy,
    /// Use only the metadata and headers given on the command line.
    Replace,
    /// Keep the source's, overriding only the ones given (s3cp's own).
    Merge,
}

/// How the destination's tags are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum TaggingDirectiveArg {
    /// Keep the source's tags (S3's default).
    Copy,
    /// Use only the tags given with --tagging (none without it).
    Replace,
}

/// Whether the destination gets the source's annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum AnnotationDirectiveArg {
    /// Copy the source's annotations (S3's default).
    Copy,
    /// Copy none.
    Exclude,
}

/// Metadata and Content-* headers. Any of them without a directive means
/// --metadata-directive REPLACE, as in aws-cli, which drops everything of
/// the source's that is not given again; MERGE keeps it.
#[derive(Debug, Args)]
#[command(next_help_heading = "Metadata")]
pub struct MetadataArgs {
    /// COPY keeps the source's metadata and headers, REPLACE uses only those
    /// given, MERGE keeps the source's and overrides those given. Without
    /// it, --metadata, any Content-* flag or --expires means REPLACE (as in
    /// aws-cli), which drops the source's Content-Type, other headers and
    /// metadata: give MERGE to keep them.
    #[arg(long, value_name = "DIRECTIVE", ignore_case = true)]
    pub metadata_directive: Option<MetadataDirectiveArg>,

    /// User metadata (x-amz-meta-*), as KEY=VALUE[,KEY=VALUE]; repeatable.
    /// Without --metadata-directive this means REPLACE, which drops the
    /// source's metadata and headers, Content-Type too: add
    /// --metadata-directive MERGE to keep them.
    #[arg(long, value_name = "KEY=VALUE", action = ArgAction::Append)]
    pub metadata: Vec<String>,

    /// Content-Type of the destination. Without --metadata-directive this
    /// means REPLACE, which drops the source's other headers and metadata:
    /// add --metadata-directive MERGE to keep them.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,

    /// Cache-Control of the destination. Without --metadata-directive this
    /// means REPLACE, which drops the source's Content-Type, other headers
    /// and metadata: add --metadata-directive MERGE to keep them.
    #[arg(long, value_name = "VALUE")]
    pub cache_control: Option<String>,

    /// Content-Disposition of the destination. Without --metadata-directive
    /// this means REPLACE, which drops the source's Content-Type, other
    /// headers and metadata: add --metadata-directive MERGE to keep them.
    #[arg(long, value_name = "VALUE")]
    pub content_disposition: Option<String>,

    /// Content-Encoding of the destination. Without --metadata-directive
    /// this means REPLACE, which drops the source's Content-Type, other
    /// headers and metadata: add --metadata-directive MERGE to keep them.
    #[arg(long, value_name = "VALUE")]
    pub content_encoding: Option<String>,

    /// Content-Language of the destination. Without --metadata-directive
    /// this means REPLACE, which drops the source's Content-Type, other
    /// headers and metadata: add --metadata-directive MERGE to keep them.
    #[arg(long, value_name = "VALUE")]
    pub content_language: Option<String>,

    /// Expires of the destination: RFC 3339 (2030-01-01T00:00:00Z) or an
    /// HTTP date. Without --metadata-directive this means REPLACE, which
    /// drops the source's Content-Type, other headers and metadata: add
    /// --metadata-directive MERGE to keep them.
    #[arg(long, value_name = "DATE")]
    pub expires: Option<String>,
}

/// Object tags.
#[derive(Debug, Args)]
#[command(next_help_heading = "Tags and annotations")]
pub struct TaggingArgs {
    /// COPY keeps the source's tags; REPLACE uses only --tagging.
    #[arg(long, value_name = "DIRECTIVE", ignore_case = true)]
    pub tagging_directive: Option<TaggingDirectiveArg>,

    /// Tags as a URL query: 'k=v&k2=v2'. Without a directive, means REPLACE.
    #[arg(long, value_name = "TAGS")]
    pub tagging: Option<String>,

    /// COPY gives the destination the source's object annotations (S3's
    /// default; a multipart or streamed copy reads and writes each one);
    /// EXCLUDE copies none.
    #[arg(long, value_name = "DIRECTIVE", ignore_case = true)]
    pub annotation_directive: Option<AnnotationDirectiveArg>,
}

/// Access control. CopyObject never carries the source's ACL: the
/// destination is private unless one of these is given.
#[derive(Debug, Args)]
#[command(next_help_heading = "Access control")]
pub struct AclArgs {
    /// A canned ACL for the destination.
    #[arg(long, value_name = "ACL", value_parser = PossibleValuesParser::new(ObjectCannedAcl::values()))]
    pub acl: Option<String>,

    /// Grantees with READ, as 'id=..., uri=..., emailAddress=...'.
    #[arg(long, value_name = "GRANTEES")]
    pub grant_read: Option<String>,

    /// Grantees with READ_ACP.
    #[arg(long, value_name = "GRANTEES")]
    pub grant_read_acp: Option<String>,

    /// Grantees with WRITE_ACP.
    #[arg(long, value_name = "GRANTEES")]
    pub grant_write_acp: Option<String>,

    /// Grantees with FULL_CONTROL.
    #[arg(long, value_name = "GRANTEES")]
    pub grant_full_control: Option<String>,

    /// Read the source's ACL and give the destination the same grants.
    #[arg(long, conflicts_with_all = ["acl", "grant_read", "grant_read_acp", "grant_write_acp", "grant_full_control"])]
    pub copy_acl: bool,
}

/// Server-side encryption of the destination, and the source's SSE-C key.
#[derive(Debug, Args)]
#[command(next_help_heading = "Encryption")]
pub struct EncryptionArgs {
    /// Server-side encryption of the destination.
    #[arg(long, value_name = "ALGORITHM", value_parser = PossibleValuesParser::new(ServerSideEncryption::values()))]
    pub sse: Option<String>,

    /// KMS key (id, ARN or alias) for --sse aws:kms or aws:kms:dsse.
    #[arg(long, value_name = "KEY_ID")]
    pub sse_kms_key_id: Option<String>,

    /// KMS encryption context: base64 of a JSON object.
    #[arg(long, value_name = "BASE64_JSON")]
    pub sse_kms_encryption_context: Option<String>,

    /// Use an S3 Bucket Key for SSE-KMS.
    #[arg(long)]
    pub bucket_key_enabled: bool,

    /// Encrypt the destination with a customer-provided key (SSE-C).
    #[arg(long, value_name = "ALGORITHM", value_parser = ["AES256"])]
    pub sse_c: Option<String>,

    /// The destination's SSE-C key: 32 raw bytes, as in aws-cli. Prefer
    /// --sse-c-key-file or S3CP_SSE_C_KEY (base64) to keep it out of shell
    /// history.
    #[arg(long, value_name = "KEY", conflicts_with = "sse_c_key_file")]
    pub sse_c_key: Option<Secret>,

    /// File holding the destination's SSE-C key (32 raw bytes, or base64).
    #[arg(long, value_name = "PATH")]
    pub sse_c_key_file: Option<std::path::PathBuf>,

    /// The source is encrypted with a customer-provided key (SSE-C).
    #[arg(long, value_name = "ALGORITHM", value_parser = ["AES256"])]
    pub sse_c_copy_source: Option<String>,

    /// The source's SSE-C key: 32 raw bytes. Prefer
    /// --sse-c-copy-source-key-file or S3CP_SSE_C_COPY_SOURCE_KEY (base64).
    #[arg(
        long,
        value_name = "KEY",
        conflicts_with = "sse_c_copy_source_key_file"
    )]
    pub sse_c_copy_source_key: Option<Secret>,

    /// File holding the source's SSE-C key (32 raw bytes, or base64).
    #[arg(long, value_name = "PATH")]
    pub sse_c_copy_source_key_file: Option<std::path::PathBuf>,
}

/// Storage class, Object Lock, redirect, checksums, accounts.
#[derive(Debug, Args)]
#[command(next_help_heading = "Destination object")]
pub struct ObjectArgs {
    /// Storage class of the destination [S3's default: STANDARD].
    #[arg(long, value_name = "CLASS", value_parser = PossibleValuesParser::new(StorageClass::values()))]
    pub storage_class: Option<String>,

    /// Object Lock mode; needs --object-lock-retain-until-date.
    #[arg(long, value_name = "MODE", requires = "object_lock_retain_until_date",
          value_parser = PossibleValuesParser::new(ObjectLockMode::values()))]
    pub object_lock_mode: Option<String>,

    /// Object Lock retention date (RFC 3339 or HTTP date); needs
    /// --object-lock-mode.
    #[arg(long, value_name = "DATE", requires = "object_lock_mode")]
    pub object_lock_retain_until_date: Option<String>,

    /// Object Lock legal hold.
    #[arg(long, value_name = "STATUS", value_parser = PossibleValuesParser::new(ObjectLockLegalHoldStatus::values()))]
    pub object_lock_legal_hold: Option<String>,

    /// Website redirect location of the destination.
    #[arg(long, value_name = "URL")]
    pub website_redirect: Option<String>,

    /// Have S3 compute this checksum for the destination. By default a copy
    /// keeps the source's (a multipart copy too: a full-object CRC as it
    /// is, any other algorithm as COMPOSITE); a CRC named here is
    /// full-object on both paths.
    #[arg(long, value_name = "ALGORITHM", value_parser = PossibleValuesParser::new(ChecksumAlgorithm::values()))]
    pub checksum_algorithm: Option<String>,

    /// Require every copy to end proved identical to its source. What the
    /// source's checksum or ETag cannot prove is proved by reading the
    /// source (its bytes pass through this machine once) and comparing its
    /// CRC64NVME with the one S3 computed for the destination.
    #[arg(long)]
    pub verify: bool,

    /// Refuse to overwrite an existing destination: sends If-None-Match: *
    /// (atomic, no HEAD-then-copy race). AWS S3 honours it; moto and some
    /// S3-compatible stores ignore it on CopyObject and overwrite.
    #[arg(long)]
    pub no_overwrite: bool,

    /// Skip an object whose destination already exists, whatever it holds:
    /// with --recursive the destination listing decides (no request per
    /// object); a single copy or --from-file sends one HEAD of the
    /// destination first, and nothing else when it exists. For reruns.
    #[arg(long)]
    pub skip_existing: bool,

    /// Skip an object whose destination is the same as the source: the
    /// same size and ETag, or, where the ETags cannot tell (a multipart
    /// copy, SSE-KMS), the same full-object checksum (a HEAD of both).
    /// Anything else is copied over; -v says why. With --recursive the
    /// destination listing is walked beside the source's.
    #[arg(long)]
    pub skip_same: bool,

    /// Only '*': the same as --no-overwrite (If-None-Match: * on CopyObject
    /// and CompleteMultipartUpload), as in aws-cli. A condition on the
    /// source's ETag is --copy-source-if-none-match.
    #[arg(long, value_name = "*", conflicts_with = "if_match")]
    pub if_none_match: Option<String>,

    /// Overwrite the destination only if its ETag is this (If-Match on
    /// CopyObject and CompleteMultipartUpload), as in aws-cli: a destination
    /// that is missing or changed fails the copy. A condition on the
    /// source's ETag is --copy-source-if-match.
    #[arg(long, value_name = "ETAG",
          conflicts_with_all = ["no_overwrite", "recursive", "from_file"])]
    pub if_match: Option<String>,

    /// Agree to pay for requests on a Requester Pays bucket.
    #[arg(long, value_name = "PAYER", value_parser = PossibleValuesParser::new(RequestPayer::values()))]
    pub request_payer: Option<String>,

    /// Fail unless the destination bucket belongs to this account id.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub expected_bucket_owner: Option<String>,

    /// Fail unless the source bucket belongs to this account id.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub expected_source_bucket_owner: Option<String>,
}

/// Conditions on the source (x-amz-copy-source-if-*), checked on CopyObject
/// and on every part of a multipart copy. Named as in aws-cli; --if-match
/// and --if-none-match are conditions on the destination.
#[derive(Debug, Args)]
#[command(next_help_heading = "Source conditions")]
pub struct ConditionArgs {
    /// Copy only if the source's ETag is this.
    #[arg(long, value_name = "ETAG")]
    pub copy_source_if_match: Option<String>,

    /// Copy only if the source's ETag is not this.
    #[arg(long, value_name = "ETAG")]
    pub copy_source_if_none_match: Option<String>,

    /// Copy only if the source changed after this date (RFC 3339 or HTTP date).
    #[arg(long, value_name = "DATE")]
    pub copy_source_if_modified_since: Option<String>,

    /// Copy only if the source did not change after this date.
    #[arg(long, value_name = "DATE")]
    pub copy_source_if_unmodified_since: Option<String>,

    /// The old name of --copy-source-if-modified-since: refused with the
    /// new name, so a script written for it does not copy unconditionally.
    #[arg(long, value_name = "DATE", hide = true)]
    pub if_modified_since: Option<String>,

    /// The old name of --copy-source-if-unmodified-since (refused).
    #[arg(long, value_name = "DATE", hide = true)]
    pub if_unmodified_since: Option<String>,
}

/// A secret from the command line, never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

/// Commands besides copying.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Move: copy, then delete each source once its copy is proved.
    ///
    /// A source is deleted only if it is still the object that was copied
    /// (If-Match). Takes every flag of a copy (SRC DST, -r, --from-file...).
    Mv(Box<MvArgs>),

    /// Show or clean up incomplete multipart uploads.
    ///
    /// What an interrupted copy by any tool leaves behind, and keeps paying
    /// storage for.
    #[command(subcommand)]
    Uploads(UploadsCommand),

    /// Watch, show or cancel an S3 Batch Operations job that s3cp --batch
    /// created.
    #[command(subcommand)]
    Batch(BatchCommand),
}

/// `s3cp batch status|wait|cancel JOB_ID`.
#[derive(Debug, Subcommand)]
pub enum BatchCommand {
    /// Print the job's status and task counts.
    Status {
        /// The job's id, as s3cp --batch printed it.
        #[arg(value_name = "JOB_ID")]
        job_id: String,
    },
    /// Watch the job to its end, as s3cp --batch does: its progress, then
    /// one line per failed task and the summary (exit 1 if any failed).
    Wait {
        /// The job's id, as s3cp --batch printed it.
        #[arg(value_name = "JOB_ID")]
        job_id: String,
    },
    /// Ask S3 to cancel the job (the tasks already done stay done).
    Cancel {
        /// The job's id, as s3cp --batch printed it.
        #[arg(value_name = "JOB_ID")]
        job_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UploadsCommand {
    /// List the incomplete multipart uploads under s3://BUCKET[/PREFIX].
    List {
        /// s3://BUCKET or s3://BUCKET/PREFIX
        #[arg(value_name = "S3_URI")]
        location: String,

        /// Only uploads started longer ago than this: 30m, 12h, 7d.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        older_than: Option<std::time::Duration>,
    },
    /// Abort incomplete multipart uploads: one (--upload-id), or those
    /// under s3://BUCKET[/PREFIX] (--all, or --older-than). Without one of
    /// these, nothing is aborted: the uploads that would be are listed and
    /// s3cp exits 2.
    Abort {
        /// s3://BUCKET or s3://BUCKET/PREFIX; with --upload-id,
        /// s3://BUCKET/KEY, the upload's exact key
        #[arg(value_name = "S3_URI")]
        location: String,

        /// Abort every upload under the prefix (another writer's live
        /// uploads too).
        #[arg(long)]
        all: bool,

        /// Only uploads started longer ago than this: 30m, 12h, 7d.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        older_than: Option<std::time::Duration>,

        /// Abort only this upload, of exactly the key given (not a prefix),
        /// as s3cp's messages name it.
        #[arg(long, value_name = "ID", conflicts_with_all = ["all", "older_than"])]
        upload_id: Option<String>,

        /// List the uploads that would be aborted, and abort none.
        #[arg(long, visible_alias = "dryrun")]
        dry_run: bool,
    },
}

/// Parses `30m`, `12h`, `7d`, `1h 30m`; a bare number is seconds.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    if let Ok(seconds) = text.trim().parse::<u64>() {
        return Ok(std::time::Duration::from_secs(seconds));
    }
    humantime::parse_duration(text)
        .map_err(|e| format!("{e}: write a duration such as 30m, 12h or 7d"))
}

/// `--progress-interval`: a duration ([`parse_duration`]) above zero.
fn parse_interval(text: &str) -> Result<std::time::Duration, String> {
    match parse_duration(text)? {
        d if d.is_zero() => Err("the interval must be above zero: write 10s, 1m or 500ms".into()),
        d => Ok(d),
    }
}

/// Copies of many objects.
#[derive(Debug, Args)]
#[command(next_help_heading = "Bulk copies")]
pub struct BulkArgs {
    /// Copy every object under the SRC prefix to the DST prefix.
    ///
    /// The keys keep their paths relative to SRC.
    #[arg(short, long, conflicts_with = "from_file")]
    pub recursive: bool,

    /// With --recursive: take back keys (relative to SRC) matching this glob
    /// that an earlier --exclude left out. Everything is included until an
    /// --exclude matches, so an --include alone changes nothing: for only
    /// the .txt keys, give --exclude '*' --include '*.txt'. Repeatable; the
    /// last matching filter wins, as in aws-cli.
    #[arg(long, value_name = "GLOB", requires = "recursive", action = ArgAction::Append)]
    pub include: Vec<String>,

    /// With --recursive: skip keys (relative to SRC) matching this glob,
    /// unless a later --include matches too. Repeatable.
    #[arg(long, value_name = "GLOB", requires = "recursive", action = ArgAction::Append)]
    pub exclude: Vec<String>,

    /// Copy what a manifest lists, one 'SRC DST' per line ('-': stdin).
    ///
    /// One copy per line: 'SRC DST' or a JSON object {"src": ..., "dst":
    /// ...}; '-' reads standard input.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["src", "dst"])]
    pub from_file: Option<String>,

    /// Objects copied at once in a bulk run (all their requests share
    /// --concurrency) [default: a quarter more than the requests in flight].
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=4096).map(usize::from))]
    pub jobs: Option<usize>,

    /// Copy only shard I of N (1-based): a stable hash of each source key
    /// picks its shard, so N runners that each take one shard copy every
    /// object exactly once.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,

    /// Stop at the first failed object (by default the others go on).
    #[arg(long)]
    pub fail_fast: bool,

    /// Exit 1 when the run selects no object (a prefix with nothing under
    /// it, filters or a shard that leave nothing, an empty manifest): a CI
    /// job that copied nothing fails instead of passing.
    #[arg(long)]
    pub require_objects: bool,

    /// Include and exclude filters in command-line order (filled in by
    /// [`Cli::parse_args`], since clap keeps the two lists apart).
    #[arg(skip)]
    pub filters: Vec<Filter>,
}

/// One --include or --exclude, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    Include(String),
    Exclude(String),
}

impl Cli {
    /// Parses `args` (program name first), keeping the relative order of
    /// --include and --exclude, which decides what they select.
    pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::{CommandFactory, FromArgMatches};
        let argv: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        let matches = Cli::command().try_get_matches_from(&argv)?;
        let mut cli = Cli::from_arg_matches(&matches)?;
        cli.argv = argv;
        // A move's flags are its subcommand's: a copy flag given before
        // `mv` would be passed over, so it is refused (the global ones,
        // connection and output, go anywhere).
        if matches.subcommand_matches("mv").is_some() {
            let command = Cli::command();
            let before: Vec<String> = command
                .get_arguments()
                .filter(|a| !a.is_global_set())
                .filter(|a| {
                    matches.value_source(a.get_id().as_str())
                        == Some(clap::parser::ValueSource::CommandLine)
                })
                .map(|a| match a.get_long() {
                    Some(long) => format!("--{long}"),
                    None => a.get_id().to_string(),
                })
                .collect();
            if !before.is_empty() {
                return Err(Cli::command().error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!(
                        "{} given before mv: a move's flags come after it (s3cp mv {} SRC DST)",
                        before.join(", "),
                        before.join(" ")
                    ),
                ));
            }
        }
        let matches = matches.subcommand_matches("mv").unwrap_or(&matches);
        let mut filters: Vec<(usize, Filter)> = Vec::new();
        for (name, make) in [
            ("include", Filter::Include as fn(String) -> Filter),
            ("exclude", Filter::Exclude as fn(String) -> Filter),
        ] {
            if let (Some(values), Some(indices)) =
                (matches.get_many::<String>(name), matches.indices_of(name))
            {
                filters.extend(indices.zip(values.map(|v| make(v.clone()))));
            }
        }
        filters.sort_by_key(|(i, _)| *i);
        let filters = filters.into_iter().map(|(_, f)| f).collect();
        match &mut cli.command {
            Some(Command::Mv(mv)) => mv.copy.bulk.filters = filters,
            _ => cli.copy.bulk.filters = filters,
        }
        Ok(cli)
    }

    /// The copy asked for: a move's, or the top level's.
    pub fn copy_args(&self) -> &CopyArgs {
        match &self.command {
            Some(Command::Mv(mv)) => &mv.copy,
            _ => &self.copy,
        }
    }
}

/// How to reach S3. Credentials come from the standard AWS chain
/// (environment, profile, SSO, instance role).
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection")]
pub struct ConnectionArgs {
    /// AWS region of the destination bucket (and of the source's).
    ///
    /// The source's too, unless --source-region or --source-profile is
    /// given [default: from the environment or profile, else us-east-1].
    #[arg(long, value_name = "REGION", global = true)]
    pub region: Option<String>,

    /// Named profile of ~/.aws/config and ~/.aws/credentials.
    ///
    /// The destination's, and the source's unless --source-profile is
    /// given; its credentials are used even when AWS_ACCESS_KEY_ID is set.
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Option<String>,

    /// Send requests to this endpoint instead of AWS (an S3-compatible store).
    ///
    /// AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL work too.
    #[arg(long, value_name = "URL", global = true)]
    pub endpoint_url: Option<String>,

    /// Use path-style addressing (https://host/bucket/key), which most
    /// S3-compatible stores need.
    #[arg(long, global = true)]
    pub path_style: bool,

    /// Attempts per request, the first included: no request is sent more
    /// than N times (the SDK's retries are the only ones) [default:
    /// AWS_MAX_ATTEMPTS or the profile's max_attempts, else 5].
    #[arg(long, value_name = "N", global = true,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_attempts: Option<u32>,

    /// The SDK's retry mode: standard (backoff), or adaptive (also slows
    /// the request rate when S3 answers SlowDown) [default: AWS_RETRY_MODE
    /// or the profile's retry_mode, else standard].
    #[arg(long, value_name = "MODE", ignore_case = true, global = true)]
    pub retry_mode: Option<RetryModeArg>,

    /// The AWS account that owns S3 Batch Operations jobs (--batch, s3cp
    /// batch) [default: the credentials' account, from STS].
    #[arg(long, value_name = "ID", global = true)]
    pub account_id: Option<String>,
}

/// How to reach the source when it is not as the destination: the flags
/// of a copy's (not global: `s3cp uploads` has one bucket).
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection")]
pub struct SourceArgs {
    /// AWS region of the source bucket, when it is not --region's (as in
    /// aws-cli): the source's HEAD, tags, ACL, listing and reads go there.
    #[arg(long, value_name = "REGION")]
    pub source_region: Option<String>,

    /// Profile of the source, when another identity or store reads it (a
    /// bucket of another account, another store): its credentials, region
    /// and endpoint_url. The destination keeps --profile.
    #[arg(long, value_name = "NAME")]
    pub source_profile: Option<String>,

    /// The source's endpoint, when it lives in another store than the
    /// destination (MinIO, Garage, another provider): the copy is then
    /// streamed through this machine (--copy-mode). The destination keeps
    /// --endpoint-url.
    #[arg(long, value_name = "URL")]
    pub source_endpoint_url: Option<String>,
}

/// `--progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressArg {
    /// A bar redrawn in place (only drawn on a terminal).
    Bar,
    /// A line every --progress-interval, for logs.
    Lines,
    /// No progress.
    None,
}

/// `--copy-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CopyModeArg {
    Auto,
    Server,
    Stream,
}

/// The SDK's retry modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RetryModeArg {
    Standard,
    Adaptive,
}

/// How the copy is cut into requests.
#[derive(Debug, Args)]
#[command(next_help_heading = "Transfer")]
pub struct TransferArgs {
    /// Objects larger than this are copied in parts; up to it, one atomic
    /// CopyObject (streamed: one PutObject, at most the part size). At
    /// most 5GiB. Sizes: 8MiB, 5GiB, 1.5GB, plain bytes [default: 5GiB;
    /// streamed: the part size].
    #[arg(long, value_name = "SIZE", value_parser = parse_size_arg)]
    pub multipart_threshold: Option<Size>,

    /// Part size of a multipart copy, from 5MiB to 5GiB; grown automatically
    /// so that no copy needs more than 10,000 parts. `source`: copy a
    /// multipart source with its own part boundaries, whatever the
    /// threshold, so that the destination's ETag equals the source's (a
    /// single-part source is copied by one CopyObject, which keeps it too)
    /// [default: 256MiB; streamed: 16MiB].
    #[arg(long, value_name = "SIZE|source", value_parser = parse_part_size)]
    pub part_size: Option<PartSize>,

    /// auto: copy server-side when both ends are the same store (the same
    /// endpoint, or both AWS), else stream the bytes through this machine.
    /// server: never stream (refused between two stores). stream: always
    /// stream (GetObject, then PutObject or UploadPart), as between
    /// accounts whose destination cannot read the source.
    #[arg(long, value_name = "MODE", value_enum, default_value_t = CopyModeArg::Auto)]
    pub copy_mode: CopyModeArg,

    /// Requests in flight at once, shared by all objects and parts, fixed
    /// at N [default: adaptive: from 32, growing while throughput grows, up
    /// to 512, backing off when S3 answers SlowDown].
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=1024).map(usize::from))]
    pub concurrency: Option<usize>,

    /// On Ctrl-C or a failure, keep the multipart upload (and its journal in
    /// the state directory) so that the next run of the same command can
    /// finish it, instead of aborting it. (A run that continues an upload
    /// keeps it anyway.)
    #[arg(long)]
    pub keep_partial: bool,

    /// Insist on finishing an interrupted multipart copy of SRC to DST:
    /// exit 2 when there is none to finish (a plain rerun finishes it
    /// too, and copies afresh what it cannot finish). With -r or
    /// --from-file: exit 2 when no copy of the run was interrupted. A
    /// source that changed since is refused.
    #[arg(long, conflicts_with_all = ["dry_run", "no_resume"])]
    pub resume: bool,

    /// Copy afresh even where an interrupted copy could be finished:
    /// abort the upload its journal names (s3cp's own) first.
    #[arg(long)]
    pub no_resume: bool,
}

/// What s3cp prints.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Print results as JSON Lines on stdout.
    #[arg(long, global = true)]
    pub json: bool,

    /// Print nothing but errors; no progress bar.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// More detail on stderr: -v, -vv, -vvv.
    ///
    /// -v what s3cp does, -vv each request, -vvv the SDK's own logs.
    /// RUST_LOG overrides.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,
}

/// What a copy prints, besides the global output flags.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct RunArgs {
    /// Print failures and the bulk summary only (aws-cli's name): no line
    /// per copied object, no progress.
    #[arg(long)]
    pub only_show_errors: bool,

    /// Progress on stderr: a bar (on a terminal), a line every
    /// --progress-interval (for logs), or none. Default: bar on a
    /// terminal, lines otherwise.
    #[arg(long, value_name = "STYLE", value_enum, ignore_case = true)]
    pub progress: Option<ProgressArg>,

    /// How often --progress lines prints a line: 30s, 1m, 500ms; a bare
    /// number is seconds. A run shorter than this prints none.
    #[arg(long, value_name = "DURATION", value_parser = parse_interval, default_value = "10s")]
    pub progress_interval: std::time::Duration,

    /// Print the plan and send no write request.
    ///
    /// The plan: method, parts, directives, ACL, encryption.
    #[arg(long, visible_alias = "dryrun")]
    pub dry_run: bool,
}

/// A size flag: its bytes, and the text typed, which errors echo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Size {
    pub bytes: u64,
    /// As typed: `1MiB`, not 1048576.
    pub text: String,
}

impl PartialEq<u64> for Size {
    fn eq(&self, bytes: &u64) -> bool {
        self.bytes == *bytes
    }
}

/// Parses `8MiB`, `5GiB`, `1.5GB`, `1048576`.
fn parse_size(text: &str) -> Result<u64, String> {
    parse_size::parse_size(text)
        .map_err(|e| format!("{e}: write a size such as 8MiB, 5GiB, 1.5GB or a number of bytes"))
}

/// `--part-size`: a size, or `source` (the source's own parts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartSize {
    Bytes(Size),
    Source,
}

impl PartialEq<u64> for PartSize {
    fn eq(&self, bytes: &u64) -> bool {
        matches!(self, PartSize::Bytes(s) if s == bytes)
    }
}

fn parse_part_size(text: &str) -> Result<PartSize, String> {
    if text.eq_ignore_ascii_case("source") {
        return Ok(PartSize::Source);
    }
    parse_size_arg(text)
        .map(PartSize::Bytes)
        .map_err(|e| format!("{e}, or 'source' for the source's own parts"))
}

fn parse_size_arg(text: &str) -> Result<Size, String> {
    Ok(Size {
        bytes: parse_size(text)?,
        text: text.to_owned(),
    })
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
    fn a_move_takes_its_flags_after_mv() {
        let cli =
            Cli::parse_args(["s3cp", "--json", "mv", "-r", "s3://a/p/", "s3://b/q/"]).unwrap();
        assert!(cli.output.json);
        assert!(cli.copy_args().bulk.recursive);
        let e = Cli::parse_args(["s3cp", "-r", "mv", "s3://a/p/", "s3://b/q/"]).unwrap_err();
        assert!(e.to_string().contains("--recursive given before mv"), "{e}");
    }

    #[test]
    fn filters_keep_their_command_line_order() {
        let cli = Cli::parse_args([
            "s3cp",
            "-r",
            "--exclude",
            "*",
            "--include",
            "*.txt",
            "--exclude",
            "tmp/*",
            "s3://a/p/",
            "s3://b/q/",
        ])
        .unwrap();
        assert_eq!(
            cli.copy.bulk.filters,
            [
                Filter::Exclude("*".into()),
                Filter::Include("*.txt".into()),
                Filter::Exclude("tmp/*".into())
            ]
        );
    }

    #[test]
    fn progress_interval_takes_a_duration_a_bare_number_being_seconds() {
        use std::time::Duration;
        let interval = |v: &str| {
            Cli::try_parse_from(["s3cp", "--progress-interval", v, "s3://a/b", "s3://c/d"])
                .map(|c| c.copy.run.progress_interval)
        };
        assert_eq!(interval("30").unwrap(), Duration::from_secs(30));
        assert_eq!(interval("1m").unwrap(), Duration::from_secs(60));
        assert_eq!(interval("200ms").unwrap(), Duration::from_millis(200));
        let zero = interval("0").unwrap_err().to_string();
        assert!(zero.contains("above zero"), "{zero}");
        assert!(interval("soon").is_err());
        let default = Cli::try_parse_from(["s3cp", "s3://a/b", "s3://c/d"]).unwrap();
        assert_eq!(default.copy.run.progress_interval, Duration::from_secs(10));
        assert_eq!(default.copy.run.progress, None);
    }

    #[test]
    fn the_jobs_help_names_the_planner_default() {
        let cmd = Cli::command();
        let jobs = cmd
            .get_arguments()
            .find(|a| a.get_id() == "jobs")
            .expect("--jobs");
        let help = jobs.get_help().expect("help").to_string();
        assert_eq!(crate::budget::objects_for(256), 320);
        assert!(
            help.contains("[default: a quarter more than the requests in flight]"),
            "{help}"
        );
    }

    #[test]
    fn defaults_match_the_planner() {
        let cli = Cli::try_parse_from(["s3cp", "s3://a/b", "s3://c/d"]).unwrap();
        assert!(cli.copy.transfer.multipart_threshold.is_none());
        assert!(cli.copy.transfer.part_size.is_none());
        assert_eq!(cli.copy.transfer.concurrency, None);
        assert_eq!(cli.copy.transfer.copy_mode, CopyModeArg::Auto);
        let cmd = Cli::command();
        let help = |id: &str| {
            let arg = cmd.get_arguments().find(|a| a.get_id() == id).unwrap();
            arg.get_help().map(|h| h.to_string()).unwrap_or_default()
        };
        let size = |bytes: u64| humansize::format_size(bytes, humansize::BINARY).replace(' ', "");
        let part = help("part_size");
        assert!(
            part.contains(&format!(
                "[default: {};",
                size(crate::plan::DEFAULT_PART_SIZE)
            )),
            "{part}"
        );
        assert!(
            part.contains(&format!(
                "streamed: {}]",
                size(crate::plan::STREAM_PART_SIZE)
            )),
            "{part}"
        );
        let threshold = help("multipart_threshold");
        assert!(
            threshold.contains(&format!(
                "[default: {};",
                size(crate::plan::DEFAULT_THRESHOLD)
            )),
            "{threshold}"
        );
    }

    #[test]
    fn flags_that_switch_to_replace_say_what_it_drops_and_point_to_merge() {
        let cmd = Cli::command();
        for id in [
            "metadata_directive",
            "metadata",
            "content_type",
            "cache_control",
            "content_disposition",
            "content_encoding",
            "content_language",
            "expires",
        ] {
            let arg = cmd.get_arguments().find(|a| a.get_id() == id).unwrap();
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            for want in ["REPLACE", "drops the source's", "MERGE"] {
                assert!(help.contains(want), "--{id}: {want:?} not in {help:?}");
            }
            assert_eq!(arg.get_long_help(), None, "--{id}: -h shows it all");
        }
    }

    #[test]
    fn source_and_destination_conditions_have_aws_cli_names() {
        let cli = Cli::parse_args([
            "s3cp",
            "--copy-source-if-match",
            "\"s\"",
            "--copy-source-if-none-match",
            "\"n\"",
            "--copy-source-if-modified-since",
            "2020-01-01T00:00:00Z",
            "--copy-source-if-unmodified-since",
            "2030-01-01T00:00:00Z",
            "--if-match",
            "\"d\"",
            "s3://a/b",
            "s3://c/d",
        ])
        .unwrap();
        assert_eq!(
            cli.copy.conditions.copy_source_if_match.as_deref(),
            Some("\"s\"")
        );
        assert_eq!(cli.copy.object.if_match.as_deref(), Some("\"d\""));
        for conflict in [
            &["--if-match", "e", "--no-overwrite"][..],
            &["--if-match", "e", "--if-none-match", "*"][..],
            &["--if-match", "e", "-r"][..],
        ] {
            let mut args = vec!["s3cp"];
            args.extend_from_slice(conflict);
            args.extend(["s3://a/b/", "s3://c/d/"]);
            let e = Cli::parse_args(args).unwrap_err();
            assert_eq!(
                e.kind(),
                clap::error::ErrorKind::ArgumentConflict,
                "{conflict:?}"
            );
        }
    }

    #[test]
    fn sizes_keep_what_was_typed() {
        let cli = Cli::parse_args(["s3cp", "--part-size", "1MiB", "s3://a/b", "s3://c/d"]).unwrap();
        assert!(
            matches!(&cli.copy.transfer.part_size, Some(PartSize::Bytes(s)) if s.text == "1MiB" && *s == 1024 * 1024)
        );
    }
}
