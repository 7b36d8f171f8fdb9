//! Handing a bulk copy to S3 Batch Operations, and the jobs it made: the
//! I/O above the pure [`crate::batchops`] (which [`crate::config`] uses to
//! refuse what a job cannot do), so it sits after the engine, the bulk
//! runner and the report.
//!
//! - [`run`]: `s3cp -r SRC DST --batch` (and `--from-file`): the listing
//!   into the job's manifest, CreateJob, the local remainder, the job
//!   watched to its end.
//! - [`clients`]: the S3 Control client and the account of a job.
//! - [`command`]: `s3cp batch status|wait|cancel JOB_ID`.

pub mod clients;
pub mod command;
pub mod run;
