//! Handing a bulk copy to S3 Batch Operations, and the jobs it made: the
//! I/O above the pure [`crate::batchops`] (which [`crate::config`] uses to
//! refuse what a job cannot do), so it sits after the engine, the bulk
//! runner and the report.
//!
//! - [`command`]: `s3cp batch status|wait|cancel JOB_ID`.

pub mod command;
