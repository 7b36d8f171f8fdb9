//! `s3cp batch status|wait|cancel JOB_ID`.

use std::future::Future;

use crate::config::BatchJob;
use crate::error::{Exit, Failure};
use crate::report::Printer;

/// Runs one `s3cp batch` command to its end.
pub async fn run(job: &BatchJob, printer: Printer, shutdown: impl Future<Output = ()>) -> Exit {
    drop(shutdown);
    let failure = Failure::Usage(anyhow::anyhow!(
        "s3cp batch {:?} {}: not built yet",
        job.action,
        job.job_id
    ));
    printer.run_failure(&failure);
    failure.exit()
}
