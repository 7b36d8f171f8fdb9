//! Turns parsed flags into validated, plain option structs. Everything a user
//! can get wrong is caught here, before any request is sent (exit code 2).

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use aws_sdk_s3::types::{
    ObjectCannedAcl, ObjectLockLegalHoldStatus, ObjectLockMode, RequestPayer, ServerSideEncryption,
    StorageClass,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use md5::{Digest, Md5};

use crate::checksum::{Algorithm, ChecksumOptions};
use crate::cli::{
    AclArgs, AnnotationDirectiveArg, Cli, ConditionArgs, ConnectionArgs, CopyArgs, EncryptionArgs,
    MetadataArgs, MetadataDirectiveArg, ObjectArgs, PartSize, ProgressArg, Secret, Size,
    SourceArgs, TaggingArgs, TaggingDirectiveArg, TransferArgs, UploadsCommand,
};
use crate::job::{CopyJob, SELF_COPY_FIX};
use crate::options::{
    Acl, AnnotationDirective, AnnotationOptions, ContentHeaders, CopyOptions, Encryption, Grants,
    MetadataDirective, MetadataOptions, ObjectLock, SourceConditions, SseCKey, TaggingDirective,
    TaggingOptions, parse_date,
};
use crate::plan::{CopyMode, Limits, PlanError};
use crate::progress::ProgressMode;
use crate::select::{Filter, Filters, Shard, as_prefix};
use crate::skip::Skip;
use crate::uri::S3Uri;

mod access_points;
mod batch;
pub use batch::{BatchAction, BatchJob, BatchRun};

/// Environment variables holding SSE-C keys (base64), so that keys stay out
/// of shell history and process listings.
pub const SSE_C_KEY_ENV: &str = "S3CP_SSE_C_KEY";
pub const SSE_C_COPY_SOURCE_KEY_ENV: &str = "S3CP_SSE_C_COPY_SOURCE_KEY";

/// How to reach S3.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    /// The destination's region (and the source's without
    /// `source_region`).
    pub region: Option<String>,
    /// `--source-region`: the source bucket's region.
    pub source_region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// `--source-profile`: the source's profile, when not `profile`.
    pub source_profile: Option<String>,
    /// `--source-endpoint-url`: the source's store, when not the
    /// destination's.
    pub source_endpoint_url: Option<String>,
    pub path_style: bool,
    /// Overrides the configured retry attempts.
    pub max_attempts: Option<u32>,
    /// Overrides the configured retry mode: true for adaptive.
    pub adaptive_retries: Option<bool>,
    /// `--account-id`: the account of Batch Operations jobs (else STS's).
    pub account_id: Option<String>,
}

/// What to print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    /// `--only-show-errors`: failures and the bulk summary only.
    pub only_errors: bool,
    pub verbose: u8,
    /// Plan only: no write request is sent.
    pub dry_run: bool,
    /// `--progress`; `None`: bar on a terminal, lines otherwise (the
    /// caller knows whether stderr is one).
    pub progress: Option<ProgressMode>,
    /// `--progress-interval`: how often a progress line is printed.
    pub progress_interval: Duration,
}

impl Output {
    /// The progress to show, given whether stderr is a terminal: none with
    /// `--quiet` or `--only-show-errors` whatever `--progress` says.
    pub fn progress(&self, terminal: bool) -> ProgressMode {
        match self.progress {
            _ if self.quiet || self.only_errors => ProgressMode::None,
            Some(style) => style,
            None if terminal => ProgressMode::Bar,
            None => ProgressMode::Lines,
        }
    }
}

/// What to copy.
#[derive(Debug, Clone)]
pub enum Mode {
    /// `s3cp SRC DST`: one object.
    One(CopyJob),
    /// `s3cp -r SRC DST`: every object under a prefix (the listing's
    /// shard is [`Bulk::shard`]).
    Recursive {
        src: S3Uri,
        dst: S3Uri,
        filters: Filters,
    },
    /// `s3cp --from-file FILE`: what a manifest lists (`-`: stdin).
    Manifest(String),
}

impl Mode {
    /// The source and destination of one copy or a prefix; `None` for a
    /// manifest, whose lines name their own.
    pub fn ends(&self) -> Option<(&S3Uri, &S3Uri)> {
        match self {
            Mode::One(job) => Some((&job.src, &job.dst)),
            Mode::Recursive { src, dst, .. } => Some((src, dst)),
            Mode::Manifest(_) => None,
        }
    }

    /// A copy onto itself (a prefix onto itself) must change something; a
    /// manifest's lines are checked one by one as they are copied. Only
    /// meaningful when one store holds both ends.
    pub fn check_self_copy(&self, options: &CopyOptions) -> anyhow::Result<()> {
        match self {
            Mode::One(job) => job.check_self_copy(options),
            Mode::Recursive { src, dst, .. }
                if src.bucket == dst.bucket && src.key == dst.key && options.skip.is_some() =>
            {
                bail!(
                    "{src} would be copied onto itself, where every destination exists and is \
                     the same as its source: {} would skip every object; leave it out to \
                     change them",
                    options.skip.map_or("", Skip::flag)
                )
            }
            Mode::Recursive { src, dst, .. }
                if src.bucket == dst.bucket && src.key == dst.key && !options.changes_object() =>
            {
                bail!(
                    "{src} would be copied onto itself with nothing changed, which S3 refuses: \
                     {SELF_COPY_FIX}"
                )
            }
            Mode::Recursive { .. } | Mode::Manifest(_) => Ok(()),
        }
    }
}

/// Settings of bulk runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bulk {
    /// Objects in flight: `--jobs`; `None`: a quarter more than the
    /// requests in flight (`--concurrency`, or the adaptive budget's as it
    /// moves).
    pub jobs: Option<usize>,
    pub shard: Option<Shard>,
    pub fail_fast: bool,
    /// `--require-objects`: a run that selects no object fails (exit 1).
    pub require_objects: bool,
}

/// What s3cp was asked to do.
#[derive(Debug, Clone)]
pub enum Command {
    /// Copy objects.
    Copy(Box<Config>),
    /// `s3cp uploads list|abort`.
    Uploads(Box<Uploads>),
    /// `s3cp batch status|wait|cancel`.
    Batch(Box<BatchJob>),
}

/// The command of the command line `s3cp ARGS`, for the tests of config's
/// modules (which take no clap type themselves).
#[cfg(test)]
pub(crate) fn command_of(args: &[&str]) -> anyhow::Result<Command> {
    let mut argv = vec!["s3cp"];
    argv.extend_from_slice(args);
    Command::from_cli(&Cli::parse_args(argv)?)
}

impl Command {
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Self> {
        Ok(match &cli.command {
            Some(crate::cli::Command::Uploads(command)) => {
                // `s3cp --dry-run uploads abort`: the copy's --dry-run,
                // given before the command, is a dry run of the abort too
                // (never an abort that the user believed was not sent).
                let dry_run = cli.copy.run.dry_run;
                Command::Uploads(Box::new(Uploads::from_cli(
                    command,
                    &cli.connection,
                    &cli.copy.source,
                    dry_run,
                )?))
            }
            Some(crate::cli::Command::Batch(command)) => {
                use crate::cli::BatchCommand;
                let (action, job_id) = match command {
                    BatchCommand::Status { job_id } => (BatchAction::Status, job_id),
                    BatchCommand::Wait { job_id } => (BatchAction::Wait, job_id),
                    BatchCommand::Cancel { job_id } => (BatchAction::Cancel, job_id),
                };
                Command::Batch(Box::new(BatchJob::new(
                    action,
                    job_id,
                    Connection::from_args(&cli.connection, &cli.copy.source)?,
                )?))
            }
            Some(crate::cli::Command::Mv(_)) | None => {
                Command::Copy(Box::new(Config::from_cli(cli)?))
            }
        })
    }
}

/// `s3cp uploads list|abort s3://BUCKET[/PREFIX]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploads {
    /// The bucket, and the key prefix of the uploads (may be empty).
    pub at: S3Uri,
    pub action: UploadsAction,
    pub connection: Connection,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadsAction {
    /// List the uploads; with `older_than`, only those started longer ago.
    List { older_than: Option<Duration> },
    /// Abort the uploads `pick` chooses; with `dry_run`, list them and
    /// abort none.
    Abort { pick: Abort, dry_run: bool },
}

/// Which uploads `s3cp uploads abort` aborts. A prefix matches other keys
/// too (`backup/db.dump` is a prefix of `backup/db.dump.2`), and the
/// uploads under it may be other writers' live ones: aborting them all is
/// chosen by a flag, never by leaving flags out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Abort {
    /// No flag chose any (a bare prefix): the uploads that would be aborted
    /// are listed, none is, and s3cp exits 2.
    Unchosen,
    /// Those under the prefix (`--all`); with `older_than`, only those
    /// started longer ago than that.
    Under { older_than: Option<Duration> },
    /// One upload (`--upload-id`), of exactly the key given.
    One { upload_id: String },
}

impl Uploads {
    fn from_cli(
        command: &UploadsCommand,
        connection: &ConnectionArgs,
        source: &SourceArgs,
        dry_run_before: bool,
    ) -> anyhow::Result<Self> {
        let (location, action) = match command {
            UploadsCommand::List {
                location,
                older_than,
            } => (
                location,
                UploadsAction::List {
                    older_than: *older_than,
                },
            ),
            UploadsCommand::Abort {
                location,
                all,
                older_than,
                upload_id,
                dry_run,
            } => {
                let pick = match (upload_id, *all || older_than.is_some()) {
                    (Some(id), _) => Abort::One {
                        upload_id: id.clone(),
                    },
                    (None, true) => Abort::Under {
                        older_than: *older_than,
                    },
                    (None, false) => Abort::Unchosen,
                };
                let dry_run = *dry_run || dry_run_before;
                (location, UploadsAction::Abort { pick, dry_run })
            }
        };
        if source.source_profile.is_some() || source.source_endpoint_url.is_some() {
            bail!(
                "--source-profile and --source-endpoint-url are for copies: s3cp uploads works \
                 on one bucket, reached with --profile and --endpoint-url"
            );
        }
        if source.source_region.is_some() {
            bail!(
                "--source-region is for copies: s3cp uploads works on one bucket, whose region \
                 is --region"
            );
        }
        let at = S3Uri::parse_destination(location)?;
        let one = matches!(
            action,
            UploadsAction::Abort {
                pick: Abort::One { .. },
                ..
            }
        );
        // S3 Express One Zone lists uploads only under a prefix that ends
        // in the delimiter (ListMultipartUploads' API reference: "For
        // directory buckets, only prefixes that end in a delimiter (/) are
        // supported").
        if !one
            && crate::uri::is_directory_bucket(&at.bucket)
            && !at.key.is_empty()
            && !at.key.ends_with('/')
        {
            bail!(
                "{location}: {} is a directory bucket (S3 Express One Zone), which lists \
                 uploads only under a prefix ending in '/': give s3://{}/{}/ (or \
                 s3://{}/{} for every key under that folder)",
                at.bucket,
                at.bucket,
                at.key,
                at.bucket,
                &at.key[..at.key.rfind('/').map_or(0, |i| i + 1)]
            );
        }
        if let UploadsAction::Abort {
            pick: Abort::One { upload_id },
            ..
        } = &action
        {
            if upload_id.trim().is_empty() {
                bail!("--upload-id is empty: give the id of the upload to abort");
            }
            if at.key.is_empty() {
                bail!(
                    "--upload-id aborts one upload of exactly the key given, and {location} \
                     names no key: give s3://{}/KEY (s3cp uploads list {location} shows each \
                     upload's key and id)",
                    at.bucket
                );
            }
        }
        let connection = Connection::from_args(connection, source)?;
        access_points::check(
            &at,
            access_points::End::Destination,
            connection.region.as_deref(),
            &connection,
        )?;
        Ok(Self {
            at,
            action,
            connection,
        })
    }
}

/// Everything a run of s3cp needs.
#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    pub bulk: Bulk,
    pub options: CopyOptions,
    pub connection: Connection,
    pub limits: Limits,
    /// The limits of a streamed copy (other defaults: the bytes pass
    /// through this machine).
    pub stream_limits: Limits,
    /// `--copy-mode`.
    pub copy_mode: CopyMode,
    /// Requests in flight, shared by all objects and parts: fixed by
    /// `--concurrency`, else adaptive ([`crate::budget`]).
    pub concurrency: Option<usize>,
    /// Keep failed multipart uploads for the next run to finish.
    pub keep_partial: bool,
    /// What a copy does with an interrupted copy's journal.
    pub resume: crate::journal::Resume,
    /// This command line, for the hints that say to run it again.
    pub rerun: String,
    pub output: Output,
    /// Flags that were accepted but change nothing, said on stderr.
    pub warnings: Vec<String>,
    /// `--batch`: the copy handed to an S3 Batch Operations job.
    pub batch: Option<BatchRun>,
}

impl Config {
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Self> {
        let args = cli.copy_args();
        let mut options = copy_options(args, &|name| std::env::var(name).ok())?;
        options.moving = match &cli.command {
            Some(crate::cli::Command::Mv(mv)) => Some(crate::options::Moving {
                delete_version: mv.delete_version,
            }),
            _ => None,
        };
        let filters: Vec<Filter> = args
            .bulk
            .filters
            .iter()
            .map(|f| match f {
                crate::cli::Filter::Include(p) => Filter::Include(p.clone()),
                crate::cli::Filter::Exclude(p) => Filter::Exclude(p.clone()),
            })
            .collect();
        let mut warnings = Vec::new();
        let idle = Filters::idle_includes(&filters);
        if !idle.is_empty() {
            let given: Vec<String> = idle.iter().map(|p| format!("--include '{p}'")).collect();
            warnings.push(format!(
                "{} comes before any --exclude, so it changes nothing: everything is \
                 included until an --exclude matches, and an --include only takes back what \
                 an earlier --exclude left out. To copy only matching keys, put --exclude '*' \
                 first",
                given.join(", ")
            ));
        }
        let rewrites = options.changes_object()
            || options.tagging.directive == crate::options::TaggingDirective::Replace;
        if let (Some(skip), true) = (options.skip, rewrites) {
            warnings.push(format!(
                "{} compares the objects' bytes (size, ETag, checksum), not their metadata, \
                 tags, storage class or encryption: a destination it skips keeps its own, and \
                 what is given here applies only to the objects copied",
                skip.flag()
            ));
        }
        let mode = match (&args.bulk.from_file, &args.src, &args.dst) {
            (Some(file), _, _) => Mode::Manifest(file.clone()),
            (None, Some(src), Some(dst)) if args.bulk.recursive => {
                if src.contains("?versionId=") {
                    bail!(
                        "--recursive copies the current version of every object under a \
                         prefix, so '{src}' cannot name a version: leave ?versionId= out, or \
                         list the versions to copy in a --from-file manifest"
                    );
                }
                let src = as_prefix(&S3Uri::parse_destination(src)?);
                let dst = as_prefix(&S3Uri::parse_destination(dst)?);
                Mode::Recursive {
                    src,
                    dst,
                    filters: Filters::new(&filters)?,
                }
            }
            (None, Some(_), Some(_)) if args.bulk.require_objects => bail!(
                "--require-objects fails a bulk run (--recursive or --from-file) that selects \
                 no object; a single copy names its object, and fails if it is missing: leave \
                 --require-objects out, or add --recursive to copy a prefix"
            ),
            (None, Some(_), Some(_)) if args.bulk.shard.is_some() => bail!(
                "--shard splits a bulk run (--recursive or --from-file) between runners; a \
                 single copy has nothing to split: leave --shard out, or add --recursive to \
                 copy a prefix"
            ),
            (None, Some(_), Some(_)) if args.bulk.jobs.is_some() || args.bulk.fail_fast => {
                let flag = if args.bulk.fail_fast {
                    "--fail-fast"
                } else {
                    "--jobs"
                };
                bail!(
                    "{flag} applies to a bulk run (--recursive or --from-file); a single copy \
                     is one object: leave {flag} out, or add --recursive to copy a prefix"
                )
            }
            (None, Some(src), Some(dst)) => Mode::One(CopyJob::new(src, dst)?),
            _ => bail!("give SRC and DST, or --from-file FILE"),
        };
        if options.moving.is_some() {
            check_move(&mode)?;
        }
        check_annotations(&mode, &options)?;
        check_directory_buckets(&mode, &options)?;
        let connection = Connection::from_args(&cli.connection, &args.source)?;
        access_points::check_copy(&mode, &connection)?;
        let rerun = rerun_command(&cli.argv, &connection, &|name| std::env::var(name).ok());
        let flags = batch::BatchFlags {
            batch: args.batch.batch,
            role: args.batch.batch_role.as_deref(),
            reports: args.batch.batch_reports.as_deref(),
            confirm: args.batch.batch_confirm,
            no_wait: args.batch.no_wait,
        };
        let batch = batch::batch_run(flags, &mode, &options, &connection)?;
        // The same names on two stores are two objects: whether they are
        // one store is known once the clients are built (a profile may name
        // an endpoint), and checked then.
        if !connection.source_differs() {
            mode.check_self_copy(&options)?;
        }
        let stream_limits = limits(&args.transfer, true)?;
        let limits = limits(&args.transfer, false)?;
        let copy_mode = match args.transfer.copy_mode {
            crate::cli::CopyModeArg::Auto => CopyMode::Auto,
            crate::cli::CopyModeArg::Server => CopyMode::Server,
            crate::cli::CopyModeArg::Stream => CopyMode::Stream,
        };
        Ok(Self {
            mode,
            bulk: Bulk {
                // Objects follow the requests in flight, fixed or adaptive.
                jobs: args.bulk.jobs,
                shard: args.bulk.shard.as_deref().map(Shard::parse).transpose()?,
                fail_fast: args.bulk.fail_fast,
                require_objects: args.bulk.require_objects,
            },
            options,
            connection,
            limits,
            stream_limits,
            copy_mode,
            concurrency: args.transfer.concurrency,
            keep_partial: args.transfer.keep_partial,
            resume: match (args.transfer.resume, args.transfer.no_resume) {
                (true, _) => crate::journal::Resume::Required,
                (false, true) => crate::journal::Resume::Never,
                (false, false) => crate::journal::Resume::Auto,
            },
            rerun,
            output: Output::from(cli),
            warnings,
            batch,
        })
    }
}

/// `--annotation-directive COPY` given into a directory bucket, which
/// keeps no annotations (S3 answers COPY there 501): refused (exit 2)
/// rather than a copy that cannot do what was asked. Left out, COPY is
/// only S3's default, and the copy goes on without them.
fn check_annotations(mode: &Mode, opts: &CopyOptions) -> anyhow::Result<()> {
    let Some((_, dst)) = mode.ends() else {
        return Ok(());
    };
    let asked = opts.annotations.explicit
        && opts.annotations.directive == crate::options::AnnotationDirective::Copy;
    if asked && crate::uri::is_directory_bucket(&dst.bucket) {
        bail!(
            "--annotation-directive COPY: {} is a directory bucket, which keeps no \
             annotations; leave the flag out (or give EXCLUDE) to copy without them",
            dst.bucket
        );
    }
    Ok(())
}

/// A flag that a directory bucket at either end cannot apply (an ACL,
/// tags, a storage class it does not take, ...): refused (exit 2) before
/// any request ([`crate::options::directory::refusal`]). A manifest's
/// lines are checked one by one as they are copied.
fn check_directory_buckets(mode: &Mode, opts: &CopyOptions) -> anyhow::Result<()> {
    let Some((src, dst)) = mode.ends() else {
        return Ok(());
    };
    match crate::options::directory::refusal(&src.bucket, &dst.bucket, opts) {
        Some(why) => Err(anyhow!("{why}")),
        None => Ok(()),
    }
}

/// `s3cp mv`: refused (exit 2) where a move would delete what it copied
/// or move it again. One object onto itself (as resolved: a destination
/// ending in `/` takes the source's name); a prefix onto itself, inside
/// itself or onto a prefix that holds it, where a moved object's new key
/// is one the listing gives (or gave) as a source. The same names on two
/// stores are two objects, but which stores the run reaches is not known
/// yet: refused there too, as the safe side.
fn check_move(mode: &Mode) -> anyhow::Result<()> {
    match mode {
        Mode::One(job) if job.onto_itself() => bail!(
            "s3cp mv {} {}: a move onto itself would delete what it copied; give another \
             destination (to change the object in place, copy it onto itself with s3cp)",
            job.src,
            job.dst
        ),
        Mode::Recursive { src, dst, .. }
            if src.bucket == dst.bucket
                && (dst.key.starts_with(&src.key) || src.key.starts_with(&dst.key)) =>
        {
            bail!(
                "s3cp mv -r {src} {dst}: one prefix holds the other, so a moved object would \
                 be listed again (or written over a source not moved yet); move to a prefix \
                 outside {src}"
            )
        }
        _ => Ok(()),
    }
}

/// The command line `argv` as a shell reads it back, for hints that say
/// to run it again, on this machine or another CI runner: each argument
/// quoted where it must be; the endpoint, region and profile that came
/// from the environment (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`,
/// `AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_PROFILE`) given as the flags
/// that were not; and an SSE-C key given on it (`--sse-c-key`,
/// `--sse-c-copy-source-key`) replaced by a placeholder, since secrets are
/// never printed.
fn rerun_command(
    argv: &[std::ffi::OsString],
    connection: &Connection,
    env: &dyn Fn(&str) -> Option<String>,
) -> String {
    let from_env = |flag: &str, given: &Option<String>, vars: &[&str]| {
        let value = vars.iter().find_map(|v| env(v).filter(|x| !x.is_empty()));
        match (given, value) {
            (None, Some(value)) => vec![flag.to_owned(), crate::uri::shell_word(&value)],
            _ => Vec::new(),
        }
    };
    let implied = [
        from_env(
            "--endpoint-url",
            &connection.endpoint_url,
            &["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"],
        ),
        from_env(
            "--region",
            &connection.region,
            &["AWS_REGION", "AWS_DEFAULT_REGION"],
        ),
        from_env("--profile", &connection.profile, &["AWS_PROFILE"]),
    ]
    .concat();
    const SECRET: [&str; 2] = ["--sse-c-key", "--sse-c-copy-source-key"];
    const HIDDEN: &str = "KEY";
    let mut words = Vec::with_capacity(argv.len());
    let mut secret_next = false;
    let mut flags = true;
    for (i, arg) in argv.iter().enumerate() {
        let arg = arg.to_string_lossy();
        let word = if i == 0 {
            // The program as it was run: the same one runs the hint.
            crate::uri::shell_word(&arg)
        } else if std::mem::take(&mut secret_next) {
            HIDDEN.to_owned()
        } else if flags && arg == "--" {
            flags = false;
            arg.into_owned()
        } else if flags && arg == "--no-resume" {
            // Run again, the command finishes what this run kept.
            continue;
        } else if let Some(flag) = SECRET
            .iter()
            .find(|f| flags && (arg == **f || arg.starts_with(&format!("{f}="))))
        {
            match arg.len() == flag.len() {
                true => {
                    secret_next = true;
                    arg.into_owned()
                }
                false => format!("{flag}={HIDDEN}"),
            }
        } else {
            crate::uri::shell_word(&arg)
        };
        words.push(word);
        if i == 0 {
            words.extend(implied.iter().cloned());
        }
    }
    let hidden = words
        .iter()
        .any(|w| w == HIDDEN || w.ends_with(&format!("={HIDDEN}")));
    let line = words.join(" ");
    match hidden {
        true => format!("{line} (with the SSE-C key in place of {HIDDEN}: it is never printed)"),
        false => line,
    }
}

impl Connection {
    /// Whether the source is reached otherwise than the destination (its
    /// own profile or endpoint): it then has its own client.
    pub fn source_differs(&self) -> bool {
        self.source_profile.is_some() || self.source_endpoint_url.is_some()
    }

    /// How to reach the source: `--source-profile` and
    /// `--source-endpoint-url` where given. With a profile of its own, the
    /// source's endpoint is that profile's (or the environment's) unless
    /// `--source-endpoint-url` names one; without, it is the
    /// destination's. Its region: `--source-region`, else (with a profile
    /// of its own) what the environment or that profile says, else
    /// `--region`.
    pub fn source(&self) -> Connection {
        let endpoint_url = match (&self.source_endpoint_url, &self.source_profile) {
            (Some(url), _) => Some(url.clone()),
            (None, Some(_)) => None,
            (None, None) => self.endpoint_url.clone(),
        };
        let region = match &self.source_profile {
            Some(_) => self.source_region.clone(),
            None => self.source_region.clone().or(self.region.clone()),
        };
        Connection {
            region,
            source_region: None,
            profile: self.source_profile.clone().or(self.profile.clone()),
            endpoint_url,
            source_profile: None,
            source_endpoint_url: None,
            ..self.clone()
        }
    }
}

impl Connection {
    /// The connection flags (global) and the source's (a copy's).
    fn from_args(a: &ConnectionArgs, s: &SourceArgs) -> anyhow::Result<Self> {
        Ok(Self {
            region: a.region.clone(),
            source_region: s.source_region.clone(),
            profile: a.profile.clone(),
            endpoint_url: a
                .endpoint_url
                .as_deref()
                .map(|u| endpoint_url("--endpoint-url", u))
                .transpose()?,
            source_profile: s.source_profile.clone(),
            source_endpoint_url: s
                .source_endpoint_url
                .as_deref()
                .map(|u| endpoint_url("--source-endpoint-url", u))
                .transpose()?,
            path_style: a.path_style,
            max_attempts: a.max_attempts,
            adaptive_retries: a
                .retry_mode
                .map(|m| m == crate::cli::RetryModeArg::Adaptive),
            account_id: match &a.account_id {
                Some(id) => {
                    batch::check_account_id(id)?;
                    Some(id.clone())
                }
                None => None,
            },
        })
    }
}

/// An `--endpoint-url` must say how to connect: without a scheme the SDK
/// cannot send anything, and the user would only learn it from a network
/// error after every retry.
fn endpoint_url(flag: &str, url: &str) -> anyhow::Result<String> {
    let lower = url.to_ascii_lowercase();
    let host = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"));
    match host {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(url.to_owned()),
        Some(_) => {
            bail!("{flag} '{url}' names no host: write it as http://HOST:PORT or https://HOST")
        }
        None if url.contains("://") => {
            bail!("{flag} '{url}' must begin with http:// or https://")
        }
        None => bail!("{flag} '{url}' has no scheme: write http://{url} or https://{url}"),
    }
}

impl From<&Cli> for Output {
    fn from(cli: &Cli) -> Self {
        let (o, a) = (&cli.output, &cli.copy_args().run);
        Self {
            json: o.json,
            quiet: o.quiet,
            only_errors: a.only_show_errors,
            verbose: o.verbose,
            dry_run: a.dry_run,
            progress: a.progress.map(|p| match p {
                ProgressArg::Bar => ProgressMode::Bar,
                ProgressArg::Lines => ProgressMode::Lines,
                ProgressArg::None => ProgressMode::None,
            }),
            progress_interval: a.progress_interval,
        }
    }
}

/// `--checksum-algorithm` (any of S3's ten algorithms) and `--verify`.
/// `--verify` reads the source and computes the destination's checksum:
/// a CRC S3 computes over the whole object, or one of the algorithms added
/// in 2026 (full-object, or the composite of the copy's parts). SHA1 and
/// SHA256 it does not compute: refused together.
fn checksums(algorithm: Option<&str>, verify: bool) -> anyhow::Result<ChecksumOptions> {
    let algorithm = algorithm
        .map(|a| {
            Algorithm::from_name(a).ok_or_else(|| {
                anyhow!(
                    "--checksum-algorithm {a} is not one of CRC32, CRC32C, CRC64NVME, SHA1, \
                     SHA256, MD5, SHA512, XXHASH3, XXHASH64, XXHASH128"
                )
            })
        })
        .transpose()?;
    if let Some(a) = algorithm.filter(|a| verify && !a.is_crc() && !a.is_new()) {
        bail!(
            "--verify compares CRC checksums (or computes MD5, SHA512 and the XXHASHes \
             itself), and --checksum-algorithm {a} is neither (S3 computes {a} only per part \
             of a multipart copy): give --checksum-algorithm CRC64NVME, CRC32 or CRC32C, or \
             leave it out"
        );
    }
    Ok(ChecksumOptions { algorithm, verify })
}

/// Resolves every CopyObject option; `env` reads environment variables
/// (injected so tests do not touch the process environment).
pub fn copy_options(
    cli: &CopyArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<CopyOptions> {
    let ObjectArgs {
        storage_class,
        object_lock_mode,
        object_lock_retain_until_date,
        object_lock_legal_hold,
        website_redirect,
        checksum_algorithm,
        verify,
        no_overwrite,
        skip_existing,
        skip_same,
        if_none_match,
        if_match,
        request_payer,
        expected_bucket_owner,
        expected_source_bucket_owner,
    } = &cli.object;
    // aws-cli's destination conditions: If-None-Match takes only '*'.
    let no_overwrite = match if_none_match.as_deref() {
        None => *no_overwrite,
        Some("*") => true,
        Some(other) => bail!(
            "--if-none-match takes only '*' (do not overwrite an existing destination, the \
             same as --no-overwrite), not '{other}': to copy only if the source's ETag is not \
             {other}, use --copy-source-if-none-match {other}"
        ),
    };
    let skip = skip(*skip_existing, *skip_same, no_overwrite, if_match.is_some())?;
    let (encryption, sse_c, sse_c_source) = encryption(&cli.encryption, env)?;
    Ok(CopyOptions {
        metadata: metadata(&cli.metadata)?,
        tagging: tagging(&cli.tagging)?,
        annotations: AnnotationOptions {
            directive: match cli.tagging.annotation_directive {
                Some(AnnotationDirectiveArg::Exclude) => AnnotationDirective::Exclude,
                Some(AnnotationDirectiveArg::Copy) | None => AnnotationDirective::Copy,
            },
            explicit: cli.tagging.annotation_directive.is_some(),
        },
        acl: acl(&cli.acl)?,
        encryption,
        sse_c,
        sse_c_source,
        storage_class: storage_class.as_deref().map(StorageClass::from),
        object_lock: ObjectLock {
            mode: object_lock_mode.as_deref().map(ObjectLockMode::from),
            retain_until: object_lock_retain_until_date
                .as_deref()
                .map(parse_date)
                .transpose()
                .map_err(|e| anyhow!("--object-lock-retain-until-date: {e}"))?,
            legal_hold: object_lock_legal_hold
                .as_deref()
                .map(ObjectLockLegalHoldStatus::from),
        },
        website_redirect: website_redirect.clone(),
        checksums: checksums(checksum_algorithm.as_deref(), *verify)?,
        conditions: conditions(&cli.conditions)?,
        destination_if_match: if_match.clone(),
        no_overwrite,
        skip,
        request_payer: request_payer.as_deref().map(RequestPayer::from),
        expected_bucket_owner: expected_bucket_owner.clone(),
        expected_source_bucket_owner: expected_source_bucket_owner.clone(),
        // Set by `s3cp mv` (Config::from_cli).
        moving: None,
    })
}

/// `--skip-existing` or `--skip-same`, refused where they contradict the
/// destination conditions (`no_overwrite` as `--if-none-match '*'`
/// resolves it). `--skip-existing` with `--no-overwrite` is fine: the
/// listing (or HEAD) skips what exists, and `If-None-Match: *` still
/// guards the write against a destination created meanwhile.
fn skip(
    existing: bool,
    same: bool,
    no_overwrite: bool,
    if_match: bool,
) -> anyhow::Result<Option<Skip>> {
    if existing && same {
        bail!(
            "--skip-existing and --skip-same ask two different things: --skip-existing skips \
             every destination that exists, --skip-same only one that is the same as its \
             source (and copies over the others): give one of them"
        );
    }
    if same && no_overwrite {
        bail!(
            "--skip-same copies over a destination that differs from its source, which \
             --no-overwrite (If-None-Match: *) forbids: give --skip-existing --no-overwrite to \
             never overwrite anything, or --skip-same alone to bring changed objects up to date"
        );
    }
    if existing && if_match {
        bail!(
            "--skip-existing skips a destination that exists, and --if-match overwrites only an \
             existing one, so nothing could be written: give --skip-same to overwrite it only \
             when it differs, or leave --skip-existing out"
        );
    }
    Ok(match (existing, same) {
        (true, _) => Some(Skip::Existing),
        (_, true) => Some(Skip::Same),
        _ => None,
    })
}

fn metadata(a: &MetadataArgs) -> anyhow::Result<MetadataOptions> {
    let headers = ContentHeaders {
        content_type: a.content_type.clone(),
        cache_control: a.cache_control.clone(),
        content_disposition: a.content_disposition.clone(),
        content_encoding: a.content_encoding.clone(),
        content_language: a.content_language.clone(),
        expires: a
            .expires
            .as_deref()
            .map(parse_date)
            .transpose()
            .map_err(|e| anyhow!("--expires: {e}"))?,
    };
    let mut metadata = HashMap::new();
    for item in a.metadata.iter().flat_map(|m| m.split(',')) {
        let (k, v) = item
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| {
                anyhow!(
                    "--metadata '{item}' is not KEY=VALUE: write --metadata key=value[,key2=value2]"
                )
            })?;
        metadata.insert(k.trim().to_owned(), v.to_owned());
    }
    let given = !headers.is_empty() || !metadata.is_empty();
    let directive = match a.metadata_directive {
        None if given => MetadataDirective::Replace,
        None | Some(MetadataDirectiveArg::Copy) => MetadataDirective::Copy,
        Some(MetadataDirectiveArg::Replace) => MetadataDirective::Replace,
        Some(MetadataDirectiveArg::Merge) => MetadataDirective::Merge,
    };
    if directive == MetadataDirective::Copy && given {
        bail!(
            "--metadata-directive COPY keeps the source's metadata and headers, so the \
             metadata or Content-* flags given would be ignored: use --metadata-directive \
             REPLACE (only what is given) or MERGE (the source's, overridden by what is given)"
        );
    }
    Ok(MetadataOptions {
        directive,
        explicit: a.metadata_directive.is_some(),
        headers,
        metadata,
    })
}

fn tagging(a: &TaggingArgs) -> anyhow::Result<TaggingOptions> {
    let tags: Vec<(String, String)> = match &a.tagging {
        Some(text) => {
            let tags: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            if tags.iter().any(|(k, _)| k.is_empty()) {
                bail!(
                    "--tagging '{text}' has a tag without a key: write --tagging 'key=value&key2=value2'"
                );
            }
            // What S3 would refuse (InvalidTag), refused before any request.
            if let Some(problem) = crate::options::tag_problem(&tags) {
                bail!(
                    "--tagging '{text}': {problem}: it takes at most 10 tags as \
                     'key=value&key2=value2' (URL-encoded, as aws-cli's --tagging), keys of 1 to \
                     128 and values of up to 256 letters, digits, spaces and _ . : / = + - @, \
                     each key once and none starting with 'aws:'"
                );
            }
            tags
        }
        None => Vec::new(),
    };
    let directive = match (a.tagging_directive, &a.tagging) {
        (Some(TaggingDirectiveArg::Copy), Some(_)) => bail!(
            "--tagging-directive COPY keeps the source's tags, so --tagging would be ignored: \
             use --tagging-directive REPLACE, or leave the directive out"
        ),
        (Some(TaggingDirectiveArg::Copy), None) | (None, None) => TaggingDirective::Copy,
        (Some(TaggingDirectiveArg::Replace), _) | (None, Some(_)) => TaggingDirective::Replace,
    };
    Ok(TaggingOptions {
        directive,
        explicit: a.tagging_directive.is_some(),
        tags,
    })
}

fn acl(a: &AclArgs) -> anyhow::Result<Acl> {
    let grants = Grants {
        read: a.grant_read.clone(),
        read_acp: a.grant_read_acp.clone(),
        write_acp: a.grant_write_acp.clone(),
        full_control: a.grant_full_control.clone(),
    };
    Ok(match (&a.acl, grants.is_empty(), a.copy_acl) {
        (_, _, true) => Acl::CopySource,
        (Some(_), false, _) => bail!(
            "--acl and --grant-* cannot be combined (S3 refuses a canned ACL with grant \
             headers): give one or the other"
        ),
        (Some(canned), true, _) => Acl::Canned(ObjectCannedAcl::from(canned.as_str())),
        (None, false, _) => Acl::Grants(grants),
        (None, true, _) => Acl::Default,
    })
}

type EncryptionChoice = (Encryption, Option<SseCKey>, Option<SseCKey>);

fn encryption(
    a: &EncryptionArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<EncryptionChoice> {
    let sse = a.sse.as_deref().map(ServerSideEncryption::from);
    let kms = matches!(
        sse,
        Some(ServerSideEncryption::AwsKms | ServerSideEncryption::AwsKmsDsse)
    );
    if !kms && (a.sse_kms_key_id.is_some() || a.sse_kms_encryption_context.is_some()) {
        bail!(
            "--sse-kms-key-id and --sse-kms-encryption-context need --sse aws:kms (or aws:kms:dsse)"
        );
    }
    if let Some(ctx) = &a.sse_kms_encryption_context {
        let json = BASE64.decode(ctx).ok().and_then(|raw| {
            serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&raw).ok()
        });
        if json.is_none() {
            bail!(
                "--sse-kms-encryption-context must be the base64 of a JSON object, e.g. $(printf '{{\"k\":\"v\"}}' | base64)"
            );
        }
    }
    let sse_c = sse_c_key(
        "--sse-c",
        a.sse_c.as_deref(),
        a.sse_c_key.as_ref(),
        a.sse_c_key_file.as_deref(),
        SSE_C_KEY_ENV,
        env,
    )?;
    let sse_c_source = sse_c_key(
        "--sse-c-copy-source",
        a.sse_c_copy_source.as_deref(),
        a.sse_c_copy_source_key.as_ref(),
        a.sse_c_copy_source_key_file.as_deref(),
        SSE_C_COPY_SOURCE_KEY_ENV,
        env,
    )?;
    if sse.is_some() && sse_c.is_some() {
        bail!(
            "--sse and --sse-c cannot be combined: an object has one kind of server-side encryption"
        );
    }
    Ok((
        Encryption {
            sse,
            kms_key_id: a.sse_kms_key_id.clone(),
            kms_context: a.sse_kms_encryption_context.clone(),
            bucket_key: a.bucket_key_enabled.then_some(true),
        },
        sse_c,
        sse_c_source,
    ))
}

/// One SSE-C key from the flag (32 raw bytes), the key file (32 raw bytes
/// or base64) or the environment (base64). Error messages never contain the
/// key.
fn sse_c_key(
    flag: &str,
    algorithm: Option<&str>,
    raw: Option<&Secret>,
    file: Option<&Path>,
    env_name: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<Option<SseCKey>> {
    let Some(algorithm) = algorithm else {
        if raw.is_some() || file.is_some() {
            bail!("an SSE-C key was given without {flag}: add {flag} AES256");
        }
        return Ok(None);
    };
    let key: Vec<u8> = match (raw, file) {
        (Some(secret), _) => secret.0.as_bytes().to_vec(),
        (None, Some(path)) => {
            let content = std::fs::read(path)
                .with_context(|| format!("cannot read the {flag} key file {}", path.display()))?;
            if content.len() == 32 {
                content
            } else {
                BASE64
                    .decode(String::from_utf8_lossy(&content).trim())
                    .map_err(|_| {
                        anyhow!(
                            "the {flag} key file {} holds neither 32 raw bytes nor base64",
                            path.display()
                        )
                    })?
            }
        }
        (None, None) => {
            let text = env(env_name).ok_or_else(|| {
                anyhow!("{flag} needs a key: give {flag}-key-file PATH, set {env_name} (base64), or {flag}-key")
            })?;
            BASE64.decode(text.trim()).map_err(|_| {
                anyhow!("{env_name} is not base64: set it to the base64 of the 32-byte key")
            })?
        }
    };
    if key.len() != 32 {
        bail!(
            "the {flag} key is {} bytes; an AES256 key is exactly 32 bytes (256 bits)",
            key.len()
        );
    }
    Ok(Some(SseCKey {
        algorithm: algorithm.to_owned(),
        key_base64: BASE64.encode(&key),
        key_md5_base64: BASE64.encode(Md5::digest(&key)),
    }))
}

fn conditions(a: &ConditionArgs) -> anyhow::Result<SourceConditions> {
    for (old, given) in [
        ("--if-modified-since", &a.if_modified_since),
        ("--if-unmodified-since", &a.if_unmodified_since),
    ] {
        if given.is_some() {
            bail!(
                "{old} is now --copy-source{} (aws-cli's name for a condition on the \
                 source): use that",
                &old[1..]
            );
        }
    }
    let date = |flag: &str, v: &Option<String>| {
        v.as_deref()
            .map(parse_date)
            .transpose()
            .map_err(|e| anyhow!("{flag}: {e}"))
    };
    Ok(SourceConditions {
        if_match: a.copy_source_if_match.clone(),
        if_none_match: a.copy_source_if_none_match.clone(),
        if_modified_since: date(
            "--copy-source-if-modified-since",
            &a.copy_source_if_modified_since,
        )?,
        if_unmodified_since: date(
            "--copy-source-if-unmodified-since",
            &a.copy_source_if_unmodified_since,
        )?,
    })
}

/// The planning limits of a server-side copy, or of a streamed one
/// (`stream`), whose defaults differ; an error names the size as it was
/// typed.
fn limits(a: &TransferArgs, stream: bool) -> anyhow::Result<Limits> {
    let default_part = if stream {
        crate::plan::STREAM_PART_SIZE
    } else {
        crate::plan::DEFAULT_PART_SIZE
    };
    let (part_size, source_parts) = match &a.part_size {
        Some(PartSize::Bytes(size)) => (size.clone(), false),
        Some(PartSize::Source) => (
            Size {
                bytes: default_part,
                text: "source".to_owned(),
            },
            true,
        ),
        None => (
            Size {
                bytes: default_part,
                text: format!("{default_part}"),
            },
            false,
        ),
    };
    // A streamed object up to one part is one PutObject, never more: its
    // body is held in memory, which the part size bounds.
    let threshold = match &a.multipart_threshold {
        Some(t) if stream && t.bytes > part_size.bytes => Size {
            bytes: part_size.bytes,
            text: part_size.text.clone(),
        },
        Some(t) => t.clone(),
        None if stream => Size {
            bytes: part_size.bytes.min(crate::plan::MAX_SINGLE_COPY),
            text: part_size.text.clone(),
        },
        None => Size {
            bytes: crate::plan::DEFAULT_THRESHOLD,
            text: "5GiB".to_owned(),
        },
    };
    let threshold = &threshold;
    let limits = Limits::new(threshold.bytes, part_size.bytes).map_err(|e| {
        let typed = match e {
            PlanError::ThresholdTooLarge(_) => &threshold.text,
            _ => &part_size.text,
        };
        anyhow!("{}", e.message(typed))
    })?;
    Ok(Limits {
        source_parts,
        ..limits
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rerun_command_is_the_command_line_with_no_key() {
        let argv = |a: &[&str]| -> Vec<std::ffi::OsString> { a.iter().map(Into::into).collect() };
        let none = |_: &str| None;
        let given = Connection::default();
        assert_eq!(
            rerun_command(
                &argv(&[
                    "/usr/bin/s3cp",
                    "--endpoint-url",
                    "http://127.0.0.1:3900",
                    "--profile",
                    "ci",
                    "s3://a/big file",
                    "s3://b/",
                ]),
                &given,
                &none
            ),
            "/usr/bin/s3cp --endpoint-url http://127.0.0.1:3900 --profile ci 's3://a/big file' s3://b/"
        );
        let secret = "c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=";
        let line = rerun_command(
            &argv(&[
                "s3cp",
                "--sse-c",
                "AES256",
                "--sse-c-key",
                secret,
                &format!("--sse-c-copy-source-key={secret}"),
                "s3://a/k",
                "s3://b/k",
            ]),
            &given,
            &none,
        );
        assert!(!line.contains(secret), "{line}");
        assert_eq!(
            line,
            "s3cp --sse-c AES256 --sse-c-key KEY --sse-c-copy-source-key=KEY s3://a/k s3://b/k \
             (with the SSE-C key in place of KEY: it is never printed)"
        );
        // --no-resume, run again, would abort what this run kept.
        assert_eq!(
            rerun_command(
                &argv(&[
                    "s3cp",
                    "--no-resume",
                    "--keep-partial",
                    "s3://a/k",
                    "s3://b/k"
                ]),
                &given,
                &none
            ),
            "s3cp --keep-partial s3://a/k s3://b/k"
        );
        // What the environment set is given as flags, unless a flag was.
        let env = |name: &str| match name {
            "AWS_ENDPOINT_URL" => Some("http://minio:9000".to_owned()),
            "AWS_DEFAULT_REGION" => Some("eu-west-1".to_owned()),
            "AWS_PROFILE" => Some("ci".to_owned()),
            _ => None,
        };
        let with_region = Connection {
            region: Some("us-east-2".into()),
            ..Connection::default()
        };
        assert_eq!(
            rerun_command(
                &argv(&["s3cp", "--region", "us-east-2", "s3://a/k", "s3://b/k"]),
                &with_region,
                &env
            ),
            "s3cp --endpoint-url http://minio:9000 --profile ci --region us-east-2 s3://a/k s3://b/k"
        );
    }

    fn config(args: &[&str]) -> anyhow::Result<Config> {
        let mut argv = vec!["s3cp"];
        argv.extend_from_slice(args);
        Config::from_cli(&Cli::parse_args(argv)?)
    }

    /// S3 Express One Zone lists only under prefixes ending in '/': a
    /// `-r` prefix is always read as a folder (`dir` is `dir/`, as in
    /// aws-cli), and `s3cp uploads` under one that does not end in '/' is
    /// refused with the URI that does.
    #[test]
    fn directory_bucket_prefixes_end_in_a_slash() {
        const D: &str = "s3://d--use1-az4--x-s3";
        let c = config(&["-r", &format!("{D}/logs/2024"), "s3://b/x"]).unwrap();
        let Mode::Recursive { src, dst, .. } = c.mode else {
            panic!("-r")
        };
        assert_eq!((src.key.as_str(), dst.key.as_str()), ("logs/2024/", "x/"));
        let uploads = |args: &[&str]| {
            let mut all = vec!["s3cp", "uploads"];
            all.extend(args);
            Command::from_cli(&Cli::parse_args(all).unwrap()).map(|_| ())
        };
        for args in [
            &["list", &format!("{D}/logs/2024")][..],
            &["abort", &format!("{D}/logs/2024"), "--all"],
        ] {
            let e = uploads(args).unwrap_err().to_string();
            assert!(
                e.contains("directory bucket")
                    && e.contains(&format!("give {D}/logs/2024/ (or {D}/logs/ ")),
                "{e}"
            );
        }
        assert!(uploads(&["list", &format!("{D}/logs/")]).is_ok());
        assert!(uploads(&["list", D]).is_ok());
        assert!(uploads(&["list", "s3://b/logs/2024"]).is_ok());
        // One upload of exactly that key: no listing.
        let key = format!("{D}/logs/2024");
        assert!(uploads(&["abort", &key, "--upload-id", "u1"]).is_ok());
    }

    #[test]
    fn skip_flags_are_refused_only_where_they_contradict() {
        let skip = |args: &[&str]| config(args).map(|c| c.options.skip);
        let one = ["s3://a/k", "s3://b/k"];
        let with = |flags: &[&'static str]| [flags, &one[..]].concat();
        assert_eq!(
            skip(&with(&["--skip-existing"])).unwrap(),
            Some(Skip::Existing)
        );
        assert_eq!(skip(&with(&["--skip-same"])).unwrap(), Some(Skip::Same));
        assert_eq!(skip(&one).unwrap(), None);
        // The listing (or HEAD) skips, If-None-Match: * guards a race.
        assert_eq!(
            skip(&with(&["--skip-existing", "--no-overwrite"])).unwrap(),
            Some(Skip::Existing)
        );
        for (flags, fix) in [
            (&["--skip-existing", "--skip-same"][..], "give one of them"),
            (
                &["--skip-same", "--no-overwrite"][..],
                "--skip-existing --no-overwrite",
            ),
            (
                &["--skip-same", "--if-none-match", "*"][..],
                "--skip-existing --no-overwrite",
            ),
            (
                &["--skip-existing", "--if-match", "e"][..],
                "give --skip-same",
            ),
        ] {
            let e = skip(&with(flags)).unwrap_err();
            assert!(e.to_string().contains(fix), "{flags:?}: {e}");
        }
        assert_eq!(
            skip(&with(&["--skip-same", "--if-match", "e"])).unwrap(),
            Some(Skip::Same)
        );
        // Onto itself, every object would be skipped.
        for flag in ["--skip-existing", "--skip-same"] {
            let e =
                config(&[flag, "--storage-class", "GLACIER", "s3://a/k", "s3://a/k"]).unwrap_err();
            assert!(e.to_string().contains("always be skipped"), "{e}");
            let e = config(&[
                "-r",
                flag,
                "--storage-class",
                "GLACIER",
                "s3://a/p/",
                "s3://a/p",
            ])
            .unwrap_err();
            assert!(e.to_string().contains("would skip every object"), "{e}");
        }
        // Settings for the destination are not compared: said once.
        let c = config(&[
            "--skip-same",
            "--storage-class",
            "GLACIER",
            "s3://a/k",
            "s3://b/k",
        ])
        .unwrap();
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        assert!(c.warnings[0].starts_with("--skip-same compares the objects' bytes"));
        assert!(
            config(&["--skip-same", "s3://a/k", "s3://b/k"])
                .unwrap()
                .warnings
                .is_empty()
        );
        // A version restored onto its own key may differ from the current one.
        assert!(config(&["--skip-same", "s3://a/k?versionId=v1", "s3://a/k"]).is_ok());
        assert!(config(&["--skip-existing", "s3://a/k?versionId=v1", "s3://a/k"]).is_err());
    }

    #[test]
    fn resolves_prefix_destination() {
        let c = config(&["s3://a/dir/f.txt", "s3://b/out/"]).unwrap();
        let Mode::One(job) = c.mode else {
            panic!("one object")
        };
        assert_eq!(job.dst.to_string(), "s3://b/out/f.txt");
    }

    #[test]
    fn refuses_a_copy_onto_itself_that_changes_nothing() {
        let e = config(&["s3://a/k", "s3://a/k"]).unwrap_err();
        assert!(e.to_string().contains("onto itself"), "{e}");
        // A version restored onto its own key is a real change.
        assert!(config(&["s3://a/k?versionId=v1", "s3://a/k"]).is_ok());
    }

    #[test]
    fn refuses_a_shard_of_a_single_copy() {
        let e = config(&["--shard", "1/2", "s3://a/k", "s3://b/k"]).unwrap_err();
        assert!(e.to_string().contains("leave --shard out"), "{e}");
        assert!(config(&["-r", "--shard", "1/2", "s3://a/p/", "s3://b/q/"]).is_ok());
        for flag in [&["--jobs", "4"][..], &["--fail-fast"][..]] {
            let mut args = flag.to_vec();
            args.extend(["s3://a/k", "s3://b/k"]);
            let e = config(&args).unwrap_err();
            assert!(e.to_string().contains("applies to a bulk run"), "{e}");
            let mut bulk = flag.to_vec();
            bulk.extend(["-r", "s3://a/p/", "s3://b/q/"]);
            assert!(config(&bulk).is_ok());
        }
    }

    #[test]
    fn warns_once_of_includes_before_any_exclude() {
        let c = config(&[
            "-r",
            "--include",
            "*.txt",
            "--include",
            "*.md",
            "--exclude",
            "*",
            "--include",
            "keep/*",
            "s3://a/p/",
            "s3://b/q/",
        ])
        .unwrap();
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        assert!(
            c.warnings[0].starts_with("--include '*.txt', --include '*.md' comes before"),
            "{:?}",
            c.warnings
        );
        let c = config(&[
            "-r",
            "--exclude",
            "*",
            "--include",
            "*.txt",
            "s3://a/",
            "s3://b/",
        ]);
        assert!(c.unwrap().warnings.is_empty());
    }

    #[test]
    fn uploads_become_plain_values() {
        let cli = Cli::parse_args([
            "s3cp",
            "uploads",
            "abort",
            "s3://b/p/",
            "--older-than",
            "2h",
        ]);
        let Command::Uploads(u) = Command::from_cli(&cli.unwrap()).unwrap() else {
            panic!("uploads")
        };
        assert_eq!((u.at.bucket.as_str(), u.at.key.as_str()), ("b", "p/"));
        let older_than = Some(Duration::from_secs(7200));
        let pick = Abort::Under { older_than };
        assert_eq!(
            u.action,
            UploadsAction::Abort {
                pick,
                dry_run: false
            }
        );
        // Which uploads: a flag chooses; none chooses none.
        let action = |args: &[&str]| -> Result<UploadsAction, String> {
            let mut all = vec!["s3cp", "uploads", "abort"];
            all.extend(args);
            let cli = Cli::parse_args(all).map_err(|e| e.to_string())?;
            match Command::from_cli(&cli).map_err(|e| e.to_string())? {
                Command::Uploads(u) => Ok(u.action),
                Command::Copy(_) | Command::Batch(_) => panic!("uploads"),
            }
        };
        let abort = |pick| {
            Ok(UploadsAction::Abort {
                pick,
                dry_run: false,
            })
        };
        // --dry-run, after the command or before it (the copy's flag).
        let dry = |pick| {
            Ok(UploadsAction::Abort {
                pick,
                dry_run: true,
            })
        };
        let all = Abort::Under { older_than: None };
        assert_eq!(
            action(&["s3://b/p", "--all", "--dry-run"]),
            dry(all.clone())
        );
        assert_eq!(action(&["s3://b/p", "--all", "--dryrun"]), dry(all.clone()));
        let cli = Cli::parse_args(["s3cp", "--dry-run", "uploads", "abort", "s3://b/p", "--all"]);
        let Command::Uploads(u) = Command::from_cli(&cli.unwrap()).unwrap() else {
            panic!("uploads")
        };
        assert_eq!(Ok(u.action), dry(all));
        // `uploads list` takes --older-than as `uploads abort` does.
        let cli = Cli::parse_args(["s3cp", "uploads", "list", "s3://b/p", "--older-than", "7d"]);
        let Command::Uploads(u) = Command::from_cli(&cli.unwrap()).unwrap() else {
            panic!("uploads")
        };
        let week = Some(Duration::from_secs(7 * 86400));
        assert_eq!(u.action, UploadsAction::List { older_than: week });
        assert_eq!(action(&["s3://b/p"]), abort(Abort::Unchosen));
        assert_eq!(
            action(&["s3://b/p", "--all"]),
            abort(Abort::Under { older_than: None })
        );
        assert_eq!(
            action(&["s3://b/k", "--upload-id", "U1"]),
            abort(Abort::One {
                upload_id: "U1".into()
            })
        );
        let e = action(&["s3://b", "--upload-id", "U1"]).unwrap_err();
        assert!(e.contains("names no key: give s3://b/KEY"), "{e}");
        let e = action(&["s3://b/k", "--upload-id", ""]).unwrap_err();
        assert!(e.contains("--upload-id is empty"), "{e}");
        for other in [&["--all"][..], &["--older-than", "1h"]] {
            let mut args = vec!["s3://b/k", "--upload-id", "U1"];
            args.extend(other);
            let e = action(&args).unwrap_err();
            assert!(e.contains("cannot be used with"), "{e}");
        }
        let cli = Cli::parse_args(["s3cp", "uploads", "list", "b/p"]).unwrap();
        let e = Command::from_cli(&cli).unwrap_err();
        assert!(e.to_string().contains("is not an S3 URI"), "{e}");
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

    #[test]
    fn an_endpoint_url_must_name_its_scheme_and_host() {
        let with = |url: &str| config(&["--endpoint-url", url, "s3://a/k", "s3://b/k"]);
        let e = with("localhost:9000").unwrap_err().to_string();
        assert!(
            e.contains("no scheme: write http://localhost:9000 or https://localhost:9000"),
            "{e}"
        );
        let e = with("ftp://host").unwrap_err().to_string();
        assert!(e.contains("must begin with http:// or https://"), "{e}");
        let e = with("https:///bucket").unwrap_err().to_string();
        assert!(e.contains("names no host"), "{e}");
        for url in ["http://127.0.0.1:9000", "HTTPS://s3.example.com/"] {
            let c = with(url).unwrap();
            assert_eq!(c.connection.endpoint_url.as_deref(), Some(url));
        }
    }

    #[test]
    fn named_directives_are_explicit_and_defaults_are_not() {
        let c = config(&["s3://a/k", "s3://b/k"]).unwrap();
        assert!(!c.options.metadata.explicit && !c.options.tagging.explicit);
        let c = config(&[
            "--content-type",
            "a/b",
            "--tagging",
            "k=v",
            "s3://a/k",
            "s3://b/k",
        ])
        .unwrap();
        assert_eq!(c.options.metadata.directive, MetadataDirective::Replace);
        assert!(!c.options.metadata.explicit && !c.options.tagging.explicit);
        let c = config(&[
            "--metadata-directive",
            "copy",
            "--tagging-directive",
            "COPY",
            "s3://a/k",
            "s3://b/k",
        ])
        .unwrap();
        assert_eq!(c.options.metadata.directive, MetadataDirective::Copy);
        assert!(c.options.metadata.explicit && c.options.tagging.explicit);
    }

    #[test]
    fn destination_conditions_follow_aws_cli() {
        let c = config(&["--if-none-match", "*", "s3://a/k", "s3://b/k"]).unwrap();
        assert!(c.options.no_overwrite);
        assert!(c.options.conditions.is_empty());
        let c = config(&["--if-match", "\"e1\"", "s3://a/k", "s3://b/k"]).unwrap();
        assert_eq!(c.options.destination_if_match.as_deref(), Some("\"e1\""));
        assert!(c.options.conditions.is_empty() && !c.options.no_overwrite);
        let e = config(&["--if-none-match", "\"e1\"", "s3://a/k", "s3://b/k"]).unwrap_err();
        assert!(
            e.to_string()
                .contains("use --copy-source-if-none-match \"e1\""),
            "{e}"
        );
        let c = config(&["--copy-source-if-match", "\"e2\"", "s3://a/k", "s3://b/k"]).unwrap();
        assert_eq!(c.options.conditions.if_match.as_deref(), Some("\"e2\""));
        assert_eq!(c.options.destination_if_match, None);
    }

    #[test]
    fn size_errors_echo_what_was_typed() {
        let e = config(&["--part-size", "1MiB", "s3://a/k", "s3://b/k"]).unwrap_err();
        assert!(
            e.to_string().starts_with("--part-size 1MiB is below"),
            "{e}"
        );
        let e = config(&["--multipart-threshold", "6GiB", "s3://a/k", "s3://b/k"]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("--multipart-threshold 6GiB is above"),
            "{e}"
        );
        let e = config(&["--part-size", "5.5GiB", "s3://a/k", "s3://b/k"]).unwrap_err();
        assert!(
            e.to_string().starts_with("--part-size 5.5GiB is above"),
            "{e}"
        );
    }

    #[test]
    fn the_source_is_reached_as_the_destination_unless_flags_say_otherwise() {
        let c = config(&[
            "--endpoint-url",
            "http://dst:9000",
            "--profile",
            "mine",
            "--region",
            "us-east-1",
            "s3://a/k",
            "s3://b/k",
        ])
        .unwrap();
        assert!(!c.connection.source_differs());
        let src = c.connection.source();
        assert_eq!(src.endpoint_url.as_deref(), Some("http://dst:9000"));
        assert_eq!(src.profile.as_deref(), Some("mine"));
        assert_eq!(src.region.as_deref(), Some("us-east-1"));
        assert_eq!(c.copy_mode, CopyMode::Auto);

        // Its own endpoint: the destination's profile and region still.
        let c = config(&[
            "--endpoint-url",
            "http://dst:9000",
            "--source-endpoint-url",
            "http://src:9000",
            "--source-region",
            "eu-west-1",
            "s3://a/k",
            "s3://b/k",
        ])
        .unwrap();
        assert!(c.connection.source_differs());
        let src = c.connection.source();
        assert_eq!(src.endpoint_url.as_deref(), Some("http://src:9000"));
        assert_eq!(src.region.as_deref(), Some("eu-west-1"));
        assert_eq!(src.source_endpoint_url, None);

        // Its own profile: that profile's endpoint, not --endpoint-url.
        let c = config(&[
            "--endpoint-url",
            "http://dst:9000",
            "--source-profile",
            "theirs",
            "--path-style",
            "s3://a/k",
            "s3://b/k",
        ])
        .unwrap();
        let src = c.connection.source();
        assert_eq!(src.profile.as_deref(), Some("theirs"));
        assert_eq!(src.endpoint_url, None);
        assert!(src.path_style, "--path-style applies to both ends");
        // Its region: the profile's, not the destination's --region.
        let c = config(&[
            "--region",
            "us-east-1",
            "--source-profile",
            "theirs",
            "s3://a/k",
            "s3://b/k",
        ])
        .unwrap();
        assert_eq!(c.connection.source().region, None);
        let c = config(&[
            "--region",
            "us-east-1",
            "--source-profile",
            "theirs",
            "--source-region",
            "garage",
            "s3://a/k",
            "s3://b/k",
        ])
        .unwrap();
        assert_eq!(c.connection.source().region.as_deref(), Some("garage"));
    }

    #[test]
    fn source_flags_are_checked_and_refused_where_they_mean_nothing() {
        let e = config(&["--source-endpoint-url", "src:9000", "s3://a/k", "s3://b/k"]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("--source-endpoint-url 'src:9000' has no scheme"),
            "{e}"
        );
        for flag in ["--source-profile", "--source-endpoint-url"] {
            let cli = Cli::parse_args(["s3cp", "uploads", "list", flag, "http://x", "s3://b/"]);
            let e = match cli {
                Ok(cli) => Command::from_cli(&cli).map(|_| ()).unwrap_err().to_string(),
                Err(e) => e.to_string(),
            };
            assert!(e.contains(flag), "{flag}: {e}");
        }
        let c = config(&["--copy-mode", "stream", "s3://a/k", "s3://b/k"]).unwrap();
        assert_eq!(c.copy_mode, CopyMode::Stream);
    }

    #[test]
    fn a_stream_has_its_own_default_part_size_and_threshold() {
        let c = config(&["s3://a/k", "s3://b/k"]).unwrap();
        assert_eq!(c.limits.part_size, crate::plan::DEFAULT_PART_SIZE);
        assert_eq!(c.limits.threshold, crate::plan::DEFAULT_THRESHOLD);
        assert_eq!(c.stream_limits.part_size, crate::plan::STREAM_PART_SIZE);
        assert_eq!(c.stream_limits.threshold, crate::plan::STREAM_PART_SIZE);
        // What is given counts for both.
        let c = config(&[
            "--part-size",
            "64MiB",
            "--multipart-threshold",
            "1GiB",
            "s3://a/k",
            "s3://b/k",
        ])
        .unwrap();
        assert_eq!(c.limits.part_size, 64 << 20);
        assert_eq!(c.limits.threshold, 1 << 30);
        assert_eq!(c.stream_limits.part_size, 64 << 20);
        // A streamed body is held in memory: one part at most.
        assert_eq!(c.stream_limits.threshold, 64 << 20);
        let c = config(&["--multipart-threshold", "8MiB", "s3://a/k", "s3://b/k"]).unwrap();
        assert_eq!(c.stream_limits.threshold, 8 << 20);
        // A part size alone: a stream's threshold follows it.
        let c = config(&["--part-size", "8MiB", "s3://a/k", "s3://b/k"]).unwrap();
        assert_eq!(c.stream_limits.threshold, 8 << 20);
        assert_eq!(c.limits.threshold, crate::plan::DEFAULT_THRESHOLD);
    }

    #[test]
    fn progress_is_a_bar_on_a_terminal_lines_otherwise_and_silenced() {
        let parse = |args: &[&str]| {
            let cli = <Cli as clap::Parser>::try_parse_from(
                [&["s3cp"], args, &["s3://a/b", "s3://c/d"]].concat(),
            )
            .unwrap();
            Output::from(&cli)
        };
        let plain = parse(&[]);
        assert_eq!(plain.progress(true), ProgressMode::Bar);
        assert_eq!(plain.progress(false), ProgressMode::Lines);
        // --json: lines on stderr all the same.
        assert_eq!(parse(&["--json"]).progress(false), ProgressMode::Lines);
        assert_eq!(
            parse(&["--progress", "lines"]).progress(true),
            ProgressMode::Lines
        );
        for silenced in [
            &["-q"][..],
            &["--only-show-errors"],
            &["--progress", "none"],
            &["--progress", "lines", "-q"],
            &["--progress", "bar", "--only-show-errors"],
        ] {
            let out = parse(silenced);
            assert_eq!(out.progress(true), ProgressMode::None, "{silenced:?}");
            assert_eq!(out.progress(false), ProgressMode::None, "{silenced:?}");
        }
    }
}
