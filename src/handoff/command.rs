//! `s3cp batch status|wait|cancel JOB_ID`: a job that `s3cp --batch`
//! created, asked about in its region (`--region`: the destination
//! bucket's) and account (`--account-id`, else the credentials'):
//!
//! - `status`: its status and task counts (and why it failed), exit 0
//!   when S3 answered.
//! - `wait`: watched to its end as the `--batch` run watches it
//!   ([`super::watch`]): progress, one line per failed task, the summary
//!   with the job's id, status and counts; exit 1 if a task failed or the
//!   job failed or was cancelled. Ctrl-C stops watching (not the job),
//!   says how to watch again or cancel, and exits 130.
//! - `cancel`: UpdateJobStatus `Cancelled` (tasks done stay done), exit 0
//!   when S3 accepted it.
//!
//! A request S3 Control refused (a job not found, access denied, a job
//! that has ended and cannot be cancelled) is an error naming the job
//! (exit 1).

use std::future::Future;
use std::io::IsTerminal;
use std::time::Instant;

use aws_sdk_s3control::types::RequestedJobStatus;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::clients::{JobClients, job_clients};
use super::watch::{self, Watcher};
use crate::client::{self, RequestCounter};
use crate::config::{BatchAction, BatchJob, Output};
use crate::error::{Exit, Failure};
use crate::report::{Printer, SCHEMA, Summary};

/// The `"type": "batch"` line of `status` and `cancel`.
#[derive(Debug, Serialize)]
struct BatchLine {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    job_id: String,
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    succeeded: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failed: Option<u64>,
    /// Why the job failed, as DescribeJob says (`status` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    failure_reasons: Option<Vec<FailureReason>>,
}

#[derive(Debug, Serialize)]
struct FailureReason {
    code: String,
    reason: String,
}

/// Runs one `s3cp batch` command to its end.
pub async fn run(
    job: &BatchJob,
    output: &Output,
    printer: Printer,
    shutdown: impl Future<Output = ()>,
) -> Exit {
    if let Some(p) = &job.connection.profile
        && let Err(e) = client::check_profile(p, "--profile").await
    {
        let failure = Failure::Usage(e);
        printer.run_failure(&failure);
        return failure.exit();
    }
    let started = Instant::now();
    let counter = RequestCounter::default();
    let cancel = CancellationToken::new();
    let work = async {
        let clients = job_clients(&job.connection, &counter, None).await?;
        match job.action {
            BatchAction::Status => status(&clients, &job.job_id, printer).await,
            BatchAction::Cancel => cancel_job(&clients, &job.job_id, printer).await,
            BatchAction::Wait => {
                let store = client::build_store(&job.connection, &counter).await;
                let regions = crate::region::Regions::new(store.client);
                let watcher = Watcher {
                    control: &clients.control,
                    account_id: &clients.account_id,
                    s3: &regions,
                    printer,
                    progress: output.progress(std::io::stderr().is_terminal()),
                    interval: output.progress_interval,
                    stop_at_confirmation: false,
                };
                let ended = watcher.watch(&job.job_id, &cancel).await?;
                if ended.interrupted {
                    printer.note(&again(job));
                }
                let mut summary = Summary::new();
                ended.add_to(&mut summary);
                (summary.requests, summary.retries) = counter.counts();
                summary.duration_ms = started.elapsed().as_millis() as u64;
                printer.summary(&summary);
                Ok(ended.exit())
            }
        }
    };
    let work = async {
        match work.await {
            Ok(exit) => exit,
            Err(e) => {
                let failure = Failure::Copy(e);
                printer.run_failure(&failure);
                failure.exit()
            }
        }
    };
    tokio::pin!(work);
    tokio::select! {
        exit = &mut work => exit,
        () = shutdown => {
            // The watch stops and reports; a single request (status,
            // cancel) is let finish.
            cancel.cancel();
            work.await
        }
    }
}

/// What to run to watch the job again, or to cancel it.
fn again(job: &BatchJob) -> String {
    let mut flags = String::new();
    if let Some(r) = &job.connection.region {
        flags.push_str(&format!(" --region {r}"));
    }
    if let Some(a) = &job.connection.account_id {
        flags.push_str(&format!(" --account-id {a}"));
    }
    let id = &job.job_id;
    format!(
        "stopped watching job {id}, which goes on: watch it again with s3cp batch wait \
         {id}{flags}, or cancel it with s3cp batch cancel {id}{flags}"
    )
}

/// `s3cp batch status`.
async fn status(c: &JobClients, job_id: &str, printer: Printer) -> anyhow::Result<Exit> {
    let job = watch::describe(&c.control, &c.account_id, job_id).await?;
    let counts = watch::counts(&job);
    let reasons = watch::failure_reasons(&job);
    if printer.json {
        printer.json_line(&BatchLine {
            kind: "batch",
            schema: SCHEMA,
            job_id: job_id.to_owned(),
            status: counts.status.clone(),
            total: Some(counts.total),
            succeeded: Some(counts.succeeded),
            failed: Some(counts.failed),
            failure_reasons: Some(
                reasons
                    .iter()
                    .map(|(code, reason)| FailureReason {
                        code: code.clone(),
                        reason: reason.clone(),
                    })
                    .collect(),
            ),
        });
    } else {
        printer.human(&format!(
            "job {job_id}: {}, {} of {} tasks done ({} succeeded, {} failed)",
            counts.status,
            counts.done(),
            counts.total,
            counts.succeeded,
            counts.failed
        ));
        for (code, reason) in &reasons {
            printer.human(&format!("job {job_id} {}: {code}: {reason}", counts.status));
        }
    }
    if counts.status == "Suspended" {
        let region = c.control.config().region().map(|r| r.to_string());
        printer.note(&watch::confirm_hint(
            &c.account_id,
            job_id,
            region.as_deref(),
        ));
    }
    Ok(Exit::Copied)
}

/// `s3cp batch cancel`.
async fn cancel_job(c: &JobClients, job_id: &str, printer: Printer) -> anyhow::Result<Exit> {
    let out = c
        .control
        .update_job_status()
        .account_id(&c.account_id)
        .job_id(job_id)
        .requested_job_status(RequestedJobStatus::Cancelled)
        .status_update_reason("s3cp batch cancel")
        .send()
        .await
        .map_err(|e| {
            let at = watch::whereabouts(&c.control, &c.account_id);
            watch::job_error("UpdateJobStatus", "cancel", job_id, &at, &e)
        })?;
    let now = out.status.as_ref().map_or("Cancelling", |s| s.as_str());
    if printer.json {
        printer.json_line(&BatchLine {
            kind: "batch",
            schema: SCHEMA,
            job_id: job_id.to_owned(),
            status: now.to_owned(),
            total: None,
            succeeded: None,
            failed: None,
            failure_reasons: None,
        });
    } else {
        printer.human(&format!(
            "job {job_id}: cancel asked, now {now} (tasks already done stay done)"
        ));
    }
    Ok(Exit::Copied)
}
