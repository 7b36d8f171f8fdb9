//! S3 Batch Operations (`--batch`, issue 22): the pure foundation of
//! handing a bulk copy to a job. Nothing here sends a request or is
//! reachable from the command line yet; the run that lists, uploads the
//! manifest, creates and watches the job sits above these and calls them
//! in this order:
//!
//! - [`refusals`]: what a job cannot do (SSE-C, ETag conditions, a
//!   condition on the destination, expected owners, a KMS context, DSSE,
//!   `--copy-acl`, MERGE, `mv`, two stores...), each with its flag and
//!   reason, before anything is written.
//! - [`mapping`]: whether a job writes the keys asked for (a job writes
//!   `TargetKeyPrefix/` + the full source key; `-r` keeps keys relative to
//!   SRC), and its `TargetKeyPrefix`; for `--from-file`, one rule for
//!   every line; and a reports prefix outside both ends.
//! - [`job`]: the copy operation from the options (built before the
//!   listing, so an option it cannot carry refuses the run early), then
//!   the CreateJob request once the manifest's ETag is known.
//! - [`manifest`]: the `S3BatchOperations_CSV_20180820` manifest written
//!   as the listing streams, and the split at `--multipart-threshold`
//!   (objects above it are copied locally in the same run).
//! - [`control`]: the S3 Control and STS clients (the account id), their
//!   endpoints the standard way, a custom S3 Control endpoint kept as given.
//! - [`report`]: the completion report read back (`manifest.json`, then
//!   the rows of each failed-tasks CSV), its columns told apart by
//!   content.
//! - [`permissions`]: a refused CreateJob or a job failed on a permission
//!   (`s3:CreateJob`, `iam:PassRole`, the role's trust, reading the
//!   manifest, writing the report) said with the statement that fixes it.

pub mod control;
pub mod job;
pub mod manifest;
pub mod mapping;
pub mod permissions;
pub mod refusals;
pub mod report;
