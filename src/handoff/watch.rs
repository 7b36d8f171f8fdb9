//! Watching a Batch Operations job to its end, for the `--batch` run and
//! `s3cp batch wait`: DescribeJob every poll, its tasks shown through the
//! progress port ([`JobProgress`]), then, once the job has ended, one
//! `copy` line per failed task from its completion report
//! ([`super::failed`]). What the caller prints after (the summary) and
//! its exit code come from [`Ended`].
//!
//! Polls: once per `--progress-interval`, and at least every
//! [`MAX_POLL`], never more often than [`MIN_POLL`] (a terminal's bar, or the end of a job, is seen within
//! 5 s; DescribeJob is free, and its rate limit is far above one request
//! per second). A job awaiting confirmation (`Suspended`, created with
//! `--batch-confirm`) is said once with the command that confirms it; the
//! watch then goes on waiting for it, unless [`Watcher::stop_at_confirmation`].
//! Ctrl-C stops the watch, never the job.

use std::time::Duration;

use aws_sdk_s3control::types::{JobDescriptor, JobStatus};
use tokio_util::sync::CancellationToken;

use crate::batchops::permissions;
use crate::error::{Exit, Failure, S3Error};
use crate::progress::{JobCounts, JobProgress, ProgressMode};
use crate::report::{Printer, Summary};

/// The longest time between two polls.
pub const MAX_POLL: Duration = Duration::from_secs(5);
/// The shortest: a `--progress-interval` of 1ms must not send DescribeJob
/// a thousand times a second for a job of days.
pub const MIN_POLL: Duration = Duration::from_millis(100);

/// Watches one job (see the module's doc).
#[derive(Debug, Clone, Copy)]
pub struct Watcher<'a> {
    /// S3 Control in the job's region.
    pub control: &'a aws_sdk_s3control::Client,
    pub account_id: &'a str,
    /// S3's clients by region, to read the completion report in its
    /// bucket's region (learned from S3's redirect if not known).
    pub s3: &'a crate::region::Regions,
    pub printer: Printer,
    pub progress: ProgressMode,
    /// `--progress-interval`: between progress lines, and at most between
    /// polls (with [`MAX_POLL`]).
    pub interval: Duration,
    /// At a job awaiting confirmation, return (status `Suspended`) once
    /// it is said, rather than wait for someone to confirm it.
    pub stop_at_confirmation: bool,
}

/// How a watch ended: the job's last status and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ended {
    pub job_id: String,
    /// S3's status when the watch ended: `Complete`, `Failed`,
    /// `Cancelled`; another (`Active`...) when interrupted, or `Suspended`
    /// with [`Watcher::stop_at_confirmation`]. Empty if interrupted before
    /// the first answer.
    pub status: String,
    pub total: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Ctrl-C stopped the watch (the job goes on).
    pub interrupted: bool,
    /// DescribeJob's `FailureReasons` (code, reason): why a job failed
    /// (already said by the watch, as errors).
    pub failure_reasons: Vec<(String, String)>,
    /// Failed tasks named by a line from the completion report (fewer
    /// than `failed` when it could not be read, or the watch was stopped
    /// while reading it).
    pub named: u64,
}

impl Ended {
    /// The job has ended (`Complete`, `Failed` or `Cancelled`).
    pub fn finished(&self) -> bool {
        is_final(&self.status)
    }

    /// 130 when interrupted; 1 if any task failed or the job failed or
    /// was cancelled; else 0 (a job complete without failure, or left
    /// awaiting confirmation as asked).
    pub fn exit(&self) -> Exit {
        match self.interrupted {
            true => Exit::Interrupted,
            false if self.failed > 0 || matches!(self.status.as_str(), "Failed" | "Cancelled") => {
                Exit::CopyFailed
            }
            false => Exit::Copied,
        }
    }

    /// Adds the job to a run's summary: its id and status, its tasks as
    /// copied (unverified: s3cp proved none of them) or failed, the tasks
    /// a failed or cancelled job never ran as not attempted. Bytes are the
    /// caller's to add (DescribeJob reports none; the manifest knew them).
    pub fn add_to(&self, summary: &mut Summary) {
        summary.job_id = Some(self.job_id.clone());
        summary.job_status = Some(self.status.clone()).filter(|s| !s.is_empty());
        summary.copied += self.succeeded;
        summary.unverified += self.succeeded;
        summary.failed += self.failed;
        if matches!(self.status.as_str(), "Failed" | "Cancelled") {
            summary.not_attempted += self.total.saturating_sub(self.succeeded + self.failed);
        }
        summary.interrupted |= self.interrupted;
    }

    fn of(job_id: &str, job: &JobDescriptor) -> Self {
        let counts = counts(job);
        Ended {
            job_id: job_id.to_owned(),
            status: counts.status,
            total: counts.total,
            succeeded: counts.succeeded,
            failed: counts.failed,
            interrupted: false,
            failure_reasons: failure_reasons(job),
            named: 0,
        }
    }
}

/// The permission a failed job lacked, named from its `FailureReasons`
/// and its own role, manifest and report ([`permissions`]).
fn denied(job: &JobDescriptor, reasons: &[(String, String)]) -> Option<String> {
    if reasons.is_empty() {
        return None;
    }
    // `arn:PARTITION:s3:::bucket/key` as s3://bucket/key.
    let uri = |arn: &str| {
        arn.split_once(":::")
            .map_or_else(|| arn.to_owned(), |(_, rest)| format!("s3://{rest}"))
    };
    let manifest = job
        .manifest
        .as_ref()
        .and_then(|m| m.location.as_ref())
        .map_or_else(String::new, |l| uri(&l.object_arn));
    let reports = job.report.as_ref().map_or_else(String::new, |r| {
        let bucket = uri(r.bucket.as_deref().unwrap_or_default());
        match r.prefix.as_deref() {
            Some(p) if !p.is_empty() => format!("{bucket}/{p}/"),
            _ => format!("{bucket}/"),
        }
    });
    let role = job.role_arn.as_deref().unwrap_or("(the job's role)");
    permissions::job_failure_denied(reasons, role, &manifest, &reports)
}

/// S3's final statuses.
fn is_final(status: &str) -> bool {
    matches!(status, "Complete" | "Failed" | "Cancelled")
}

/// A job's status and counts.
pub fn counts(job: &JobDescriptor) -> JobCounts {
    let p = job.progress_summary.as_ref();
    let n = |v: Option<i64>| v.unwrap_or(0).max(0) as u64;
    JobCounts {
        status: job
            .status
            .as_ref()
            .map_or("Unknown", JobStatus::as_str)
            .to_owned(),
        total: n(p.and_then(|p| p.total_number_of_tasks)),
        succeeded: n(p.and_then(|p| p.number_of_tasks_succeeded)),
        failed: n(p.and_then(|p| p.number_of_tasks_failed)),
        active_secs: n(p
            .and_then(|p| p.timers.as_ref())
            .and_then(|t| t.elapsed_time_in_active_seconds)),
    }
}

/// DescribeJob's `FailureReasons`.
pub fn failure_reasons(job: &JobDescriptor) -> Vec<(String, String)> {
    job.failure_reasons()
        .iter()
        .map(|f| {
            (
                f.failure_code().unwrap_or_default().to_owned(),
                f.failure_reason().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Where a job is, for messages: `account A, region R`.
pub fn whereabouts(control: &aws_sdk_s3control::Client, account_id: &str) -> String {
    match control.config().region() {
        Some(r) => format!("account {account_id}, region {r}"),
        None => format!("account {account_id}"),
    }
}

/// An S3 Control request about a job that failed, as an error naming the
/// job, where it was looked for and, for a job not found, what to check.
pub fn job_error(
    operation: &'static str,
    doing: &str,
    job_id: &str,
    whereabouts: &str,
    e: &aws_sdk_s3control::error::SdkError<
        impl aws_sdk_s3control::error::ProvideErrorMetadata + std::error::Error + 'static,
        aws_sdk_s3control::config::http::HttpResponse,
    >,
) -> anyhow::Error {
    let s3 = S3Error::from_sdk(operation, e);
    let hint = match s3.code.as_str() {
        "NotFoundException" | "NoSuchJob" => {
            "; check the id, the account (--account-id) and the region (--region: a job lives \
             in its destination bucket's region)"
        }
        "AccessDenied" | "AccessDeniedException" => {
            "; the credentials need the s3:DescribeJob and s3:UpdateJobStatus permissions on \
             the job"
        }
        _ => "",
    };
    anyhow::Error::new(s3).context(format!(
        "cannot {doing} the Batch Operations job {job_id} ({whereabouts}){hint}"
    ))
}

/// One DescribeJob.
pub async fn describe(
    control: &aws_sdk_s3control::Client,
    account_id: &str,
    job_id: &str,
) -> anyhow::Result<JobDescriptor> {
    let out = control
        .describe_job()
        .account_id(account_id)
        .job_id(job_id)
        .send()
        .await
        .map_err(|e| {
            let at = whereabouts(control, account_id);
            job_error("DescribeJob", "describe", job_id, &at, &e)
        })?;
    out.job
        .ok_or_else(|| anyhow::anyhow!("DescribeJob of job {job_id} answered no job"))
}

/// What confirms a job created with `--batch-confirm` (or cancels it).
pub fn confirm_hint(account_id: &str, job_id: &str, region: Option<&str>) -> String {
    let region = region.map_or(String::new(), |r| format!(" --region {r}"));
    format!(
        "job {job_id} awaits confirmation (--batch-confirm): confirm it with aws s3control \
         update-job-status --account-id {account_id} --job-id {job_id} \
         --requested-job-status Ready{region}, or cancel it with s3cp batch cancel {job_id}{region}"
    )
}

impl Watcher<'_> {
    /// Watches `job_id` to its end (see the module's doc), then says why
    /// it failed (DescribeJob's `FailureReasons`, as errors) and names its
    /// failed tasks. Errors: a DescribeJob that failed (after the SDK's
    /// retries). `cancel` (Ctrl-C) stops the watch, not the job.
    pub async fn watch(&self, job_id: &str, cancel: &CancellationToken) -> anyhow::Result<Ended> {
        let mut progress = JobProgress::new(self.progress, self.interval);
        let poll = self.interval.clamp(MIN_POLL, MAX_POLL);
        let mut last: Option<JobDescriptor> = None;
        let mut confirmation_said = false;
        let ended = loop {
            let job = tokio::select! {
                () = cancel.cancelled() => break None,
                job = describe(self.control, self.account_id, job_id) => job,
            };
            let job = match job {
                Ok(job) => job,
                Err(e) => {
                    if let Some(p) = progress {
                        p.clear();
                    }
                    return Err(e);
                }
            };
            let counts = counts(&job);
            if let Some(p) = &mut progress {
                p.show(&counts);
            }
            let status = counts.status.clone();
            last = Some(job);
            if is_final(&status) {
                break last.take();
            }
            if status == "Suspended" && !confirmation_said {
                confirmation_said = true;
                let region = self.control.config().region().map(|r| r.to_string());
                self.printer
                    .note(&confirm_hint(self.account_id, job_id, region.as_deref()));
                if self.stop_at_confirmation {
                    break last.take();
                }
            }
            tokio::select! {
                () = cancel.cancelled() => break None,
                () = tokio::time::sleep(poll) => {}
            }
        };
        if let Some(p) = progress {
            p.clear();
        }
        let Some(job) = ended else {
            // Interrupted: the last counts seen.
            let mut ended = match &last {
                Some(job) => Ended::of(job_id, job),
                None => Ended {
                    job_id: job_id.to_owned(),
                    ..Ended::default()
                },
            };
            ended.interrupted = true;
            return Ok(ended);
        };
        let mut ended = Ended::of(job_id, &job);
        for (code, reason) in &ended.failure_reasons {
            let e = anyhow::anyhow!("job {job_id} {}: {code}: {reason}", ended.status);
            self.printer.run_failure(&Failure::Copy(e));
        }
        // A permission the job lacked: which, and where to allow it.
        if let Some(fix) = denied(&job, &ended.failure_reasons) {
            self.printer.note(&fix);
        }
        if ended.finished() && ended.failed > 0 {
            let named = super::failed::name_failed(self, job_id, &job, cancel).await;
            ended.named = named.named;
            ended.interrupted = named.interrupted;
        }
        Ok(ended)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3control::types::{JobFailure, JobProgressSummary, JobTimers};

    fn job(status: JobStatus, total: i64, ok: i64, failed: i64) -> JobDescriptor {
        JobDescriptor::builder()
            .status(status)
            .progress_summary(
                JobProgressSummary::builder()
                    .total_number_of_tasks(total)
                    .number_of_tasks_succeeded(ok)
                    .number_of_tasks_failed(failed)
                    .timers(
                        JobTimers::builder()
                            .elapsed_time_in_active_seconds(4)
                            .build(),
                    )
                    .build(),
            )
            .failure_reasons(
                JobFailure::builder()
                    .failure_code("TaskFailureThresholdExceeded")
                    .failure_reason("too many")
                    .build(),
            )
            .build()
    }

    #[test]
    fn the_exit_code_follows_the_jobs_end() {
        let ended = |status: JobStatus, ok, failed| Ended::of("j", &job(status, 4, ok, failed));
        assert_eq!(ended(JobStatus::Complete, 4, 0).exit(), Exit::Copied);
        assert_eq!(ended(JobStatus::Complete, 3, 1).exit(), Exit::CopyFailed);
        assert_eq!(ended(JobStatus::Failed, 0, 4).exit(), Exit::CopyFailed);
        assert_eq!(ended(JobStatus::Cancelled, 1, 0).exit(), Exit::CopyFailed);
        // Left awaiting confirmation, as asked.
        assert_eq!(ended(JobStatus::Suspended, 0, 0).exit(), Exit::Copied);
        let mut stopped = ended(JobStatus::Active, 1, 1);
        stopped.interrupted = true;
        assert_eq!(stopped.exit(), Exit::Interrupted);
        assert!(!stopped.finished());
        let e = ended(JobStatus::Failed, 0, 4);
        assert_eq!(
            e.failure_reasons,
            [("TaskFailureThresholdExceeded".into(), "too many".into())]
        );
    }

    #[test]
    fn a_job_adds_its_counts_to_the_runs_summary() {
        let mut s = Summary::new();
        s.copied = 2;
        s.verified = 2;
        Ended::of("j1", &job(JobStatus::Cancelled, 10, 5, 1)).add_to(&mut s);
        assert_eq!(s.job_id.as_deref(), Some("j1"));
        assert_eq!(s.job_status.as_deref(), Some("Cancelled"));
        assert_eq!((s.copied, s.verified, s.unverified), (7, 2, 5));
        assert_eq!((s.failed, s.not_attempted), (1, 4));
        let mut s = Summary::new();
        Ended::of("j2", &job(JobStatus::Active, 10, 5, 0)).add_to(&mut s);
        assert_eq!(s.not_attempted, 0, "an active job goes on");
    }

    #[test]
    fn counts_and_the_confirm_command_are_read_off_the_job() {
        let c = counts(&job(JobStatus::Active, 10, 3, 1));
        assert_eq!(
            (c.total, c.succeeded, c.failed, c.active_secs),
            (10, 3, 1, 4)
        );
        assert_eq!(c.status, "Active");
        let none = counts(&JobDescriptor::builder().build());
        assert_eq!((none.status.as_str(), none.total), ("Unknown", 0));
        assert_eq!(
            confirm_hint("123456789012", "j-1", Some("eu-west-1")),
            "job j-1 awaits confirmation (--batch-confirm): confirm it with aws s3control \
             update-job-status --account-id 123456789012 --job-id j-1 --requested-job-status \
             Ready --region eu-west-1, or cancel it with s3cp batch cancel j-1 --region eu-west-1"
        );
    }
}
