//! Handing a bulk copy to S3 Batch Operations, and the jobs it made: the
//! I/O above the pure [`crate::batchops`] (which [`crate::config`] uses to
//! refuse what a job cannot do), so it sits after the engine, the bulk
//! runner and the report.
//!
//! - [`run`]: `s3cp -r SRC DST --batch` (and `--from-file`): the listing
//!   into the job's manifest, CreateJob, the local remainder, the job
//!   watched to its end.
//! - [`upload`]: the manifest uploaded from its file (multipart above
//!   the threshold: a manifest may pass 5 GiB).
//! - [`clients`]: S3 Control's client (its endpoint the standard way,
//!   never `--endpoint-url`) and the account id (`--account-id`, else STS).
//! - [`watch`]: a job watched to its end (DescribeJob polls, its tasks'
//!   progress), for the `--batch` run and `s3cp batch wait`.
//! - [`failed`]: a finished job's failed tasks named from its completion
//!   report, one `copy` line each.
//! - [`command`]: `s3cp batch status|wait|cancel JOB_ID`.

pub mod clients;
pub mod command;
pub mod failed;
pub mod run;
pub mod upload;
pub mod watch;
