//! The flags of S3 Batch Operations as plain values: `--batch` and its
//! companions on a copy ([`BatchRun`]), and `s3cp batch status|wait|cancel`
//! ([`BatchJob`]). Everything a job cannot do is refused here, before any
//! request (exit 2): the options it has no field for
//! ([`crate::batchops::refusals`]), destination keys it cannot write
//! ([`crate::batchops::mapping`]), a reports prefix inside either end, and
//! a role or account that is not one.

use anyhow::bail;

use super::{Connection, Mode};
use crate::batchops::mapping::{self, Target};
use crate::batchops::refusals::{self, RunFacts};
use crate::options::CopyOptions;
use crate::uri::S3Uri;

/// `--batch`: hand the bulk copy to a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRun {
    /// `--batch-role`: the IAM role the job runs as.
    pub role_arn: String,
    /// `--batch-reports`: where the manifest and the completion report go
    /// (a prefix, ending in `/` unless the bucket's root).
    pub reports: S3Uri,
    /// `--batch-confirm`: created awaiting confirmation.
    pub confirm: bool,
    /// Watch the job to its end (`--no-wait`, or `--batch-confirm`, whose
    /// job waits for a person: false).
    pub wait: bool,
    /// With `-r`, where the job writes (known before the listing); a
    /// `--from-file` run learns it from the manifest's first line.
    pub target: Option<Target>,
}

/// `s3cp batch status|wait|cancel JOB_ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchJob {
    pub action: BatchAction,
    pub job_id: String,
    pub connection: Connection,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchAction {
    Status,
    Wait,
    Cancel,
}

impl BatchJob {
    /// `action` on the job `job_id`, once the id is checked.
    pub(super) fn new(
        action: BatchAction,
        job_id: &str,
        connection: Connection,
    ) -> anyhow::Result<Self> {
        check_job_id(job_id)?;
        Ok(Self {
            action,
            job_id: job_id.to_owned(),
            connection,
        })
    }
}

/// The `--batch` flags as given (config.rs takes them off the command
/// line).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct BatchFlags<'a> {
    /// `--batch`.
    pub batch: bool,
    /// `--batch-role`.
    pub role: Option<&'a str>,
    /// `--batch-reports`.
    pub reports: Option<&'a str>,
    /// `--batch-confirm`.
    pub confirm: bool,
    /// `--no-wait`.
    pub no_wait: bool,
}

/// A job id as S3 Control makes them (and its API takes: 5 to 36 of
/// letters, digits and `-`).
fn check_job_id(id: &str) -> anyhow::Result<()> {
    let ok =
        (5..=36).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !ok {
        bail!(
            "'{id}' is not a Batch Operations job id (5 to 36 letters, digits and '-', as s3cp \
             --batch printed it): give the id of a job"
        );
    }
    Ok(())
}

/// `--account-id`: twelve digits.
pub(super) fn check_account_id(id: &str) -> anyhow::Result<()> {
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        bail!(
            "--account-id '{id}' is not an AWS account id (twelve digits): give the account that owns the jobs"
        );
    }
    Ok(())
}

/// `--batch-role`: an IAM role's ARN (`arn:PARTITION:iam::ACCOUNT:role/NAME`).
fn check_role(arn: &str) -> anyhow::Result<()> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = matches!(
        parts.as_slice(),
        ["arn", partition, "iam", "", account, resource]
            if partition.starts_with("aws")
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && resource.strip_prefix("role/").is_some_and(|n| !n.is_empty())
    );
    if !ok {
        bail!(
            "--batch-role '{arn}' is not an IAM role's ARN: give arn:aws:iam::ACCOUNT:role/NAME \
             (the role the job runs as; README, \"Billions of objects\")"
        );
    }
    Ok(())
}

/// The `--batch` flags, checked against the run they go with; `None`
/// without `--batch`.
pub(super) fn batch_run(
    args: BatchFlags<'_>,
    mode: &Mode,
    options: &CopyOptions,
    connection: &Connection,
) -> anyhow::Result<Option<BatchRun>> {
    if !args.batch {
        return Ok(None);
    }
    let facts = RunFacts {
        bulk: !matches!(mode, Mode::One(_)),
        two_stores: connection.source_differs(),
    };
    if let Some(message) = refusals::message(&refusals::refusals(options, facts)) {
        bail!("{message}");
    }
    let (Some(role), Some(reports)) = (args.role, args.reports) else {
        bail!("--batch needs --batch-role ROLE_ARN and --batch-reports s3://BUCKET/PREFIX/");
    };
    check_role(role)?;
    let reports = S3Uri::parse_destination(reports).map_err(|e| {
        anyhow::anyhow!("--batch-reports: {e}: give s3://BUCKET/PREFIX/ for the job's files")
    })?;
    let reports = crate::select::as_prefix(&reports);
    mapping::no_access_point("write its reports to", &reports)?;
    let target = match mode {
        Mode::Recursive { src, dst, .. } => {
            mapping::check_reports(src, dst, &reports)?;
            Some(mapping::for_prefix(src, dst)?)
        }
        _ => None,
    };
    Ok(Some(BatchRun {
        role_arn: role.to_owned(),
        reports,
        confirm: args.confirm,
        wait: !args.no_wait && !args.confirm,
        target,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_an_iam_role_arn() {
        assert!(check_role("arn:aws:iam::123456789012:role/batch-copy").is_ok());
        assert!(check_role("arn:aws-cn:iam::123456789012:role/path/batch").is_ok());
        for bad in [
            "batch-copy",
            "arn:aws:iam::123456789012:user/me",
            "arn:aws:iam::12345:role/x",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::123456789012:role/",
        ] {
            let e = check_role(bad).unwrap_err().to_string();
            assert!(e.contains("arn:aws:iam::ACCOUNT:role/NAME"), "{bad}: {e}");
        }
    }

    #[test]
    fn job_ids_and_accounts_are_checked() {
        assert!(check_job_id("a1b2c3d4-0000-1111-2222-333344445555").is_ok());
        assert!(check_job_id("../x").is_err());
        assert!(check_job_id("abc").is_err());
        assert!(check_account_id("123456789012").is_ok());
        assert!(check_account_id("12345678901a").is_err());
        assert!(check_account_id("1234").is_err());
    }
}
