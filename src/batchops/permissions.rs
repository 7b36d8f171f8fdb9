//! A permission problem of a Batch Operations run, named with its fix.
//!
//! A job needs two sets of permissions: the caller's, checked when it asks
//! for the job (`s3:CreateJob`, and `iam:PassRole` on the job's role), and
//! the role's, used by S3 while the job runs (S3 must be trusted to assume
//! it; it reads the manifest and writes the completion report). AWS says
//! the first as a refused CreateJob and the second as a job that ends
//! `Failed` with `FailureReasons`; neither says which policy statement to
//! add. [`create_job_denied`] and [`job_failure_denied`] turn what AWS said
//! into a message that names the missing permission, who needs it, on what
//! resource, and the statement that fixes it, or `None` when the error is
//! not a permission problem (the caller then says what AWS said). Pure:
//! codes, messages and locations in, text out; nothing here holds or
//! prints a credential (the ARNs and `s3://` locations named are the
//! run's own arguments).
//!
//! What AWS answers, as found (read 2026-12-07):
//!
//! - No `s3:CreateJob`: CreateJob fails with HTTP 403, code `AccessDenied`
//!   ("AccessDeniedException ... Related error messages: Access Denied",
//!   <https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-batch-operations.html>).
//!   Same-account requests may carry IAM's longer text, `User: ARN is not
//!   authorized to perform: s3:CreateJob ... because no identity-based
//!   policy allows the s3:CreateJob action`
//!   (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html>).
//! - No `iam:PassRole` on the role: the same entity that creates the job
//!   must have it
//!   (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html>);
//!   AWS publishes no CreateJob text of its own for it: a 403
//!   `AccessDenied`, either the bare `Access Denied` or IAM's
//!   `... is not authorized to perform: iam:PassRole on resource: ROLE`
//!   (the form of S3's "I am not authorized to perform iam:PassRole",
//!   <https://docs.aws.amazon.com/AmazonS3/latest/userguide/security_iam_troubleshoot.html>).
//!   A bare `Access Denied` cannot tell the two apart, so the message
//!   names both.
//! - A role that does not trust `batchoperations.s3.amazonaws.com`: the
//!   trust policy AWS documents is on the batch-ops-iam-role-policies page
//!   above; AWS documents no text for the failure. S3 assumes the role
//!   when the job runs, so the job fails; a reason (or a CreateJob
//!   refusal) that speaks of assuming the role or of trust is read as this.
//! - The role cannot read the manifest: "Reason for failure Reading the
//!   manifest is forbidden: AccessDenied" (the troubleshooting page's
//!   "Access Denied to read the manifest",
//!   awsdocs/amazon-s3-userguide `doc_source/troubleshooting-batch-operations.md`);
//!   the fix it gives is `s3:GetObject` for the role (a KMS-encrypted CSV
//!   manifest is not supported either).
//! - The role cannot write the report: the job is `Failed` with "The job
//!   report could not be written to your report bucket. Please check your
//!   permissions." (same page, and `doc_source/replication-troubleshoot.md`,
//!   which gives the fix: `s3:PutObject` for the role where the report
//!   goes). An Object Lock retention mode on the report bucket fails it
//!   the same way.
//!
//! The `FailureCode` values AWS uses for these are not published; the
//! reasons' text is what is matched, the code only as well.

/// The message for a refused CreateJob: `code`, `message` and `status`
/// as S3 Control answered (any may be missing), `role_arn` the job's role.
/// `None` when the refusal is not a permission problem (a bad request, a
/// stale manifest ETag, a throttle...).
pub fn create_job_denied(
    code: Option<&str>,
    message: Option<&str>,
    status: Option<u16>,
    role_arn: &str,
) -> Option<String> {
    let code = code.unwrap_or_default();
    let text = message.unwrap_or_default().to_ascii_lowercase();
    let denied = status == Some(403)
        || matches!(code, "AccessDenied" | "AccessDeniedException")
        || text.contains("access denied");
    if speaks_of_trust(&text) {
        return Some(trust(role_arn));
    }
    if mentions_manifest_denied(&text) {
        return Some(format!(
            "CreateJob could not read the manifest: {}",
            manifest_fix(role_arn, None)
        ));
    }
    if !denied {
        return None;
    }
    let said = match (status, code) {
        (Some(s), "") => format!("HTTP {s}"),
        (Some(s), c) => format!("HTTP {s} {c}"),
        (None, c) => c.to_owned(),
    };
    if text.contains("iam:passrole") {
        return Some(format!(
            "CreateJob was refused ({said}): the caller may not pass the job's role: \
             allow `iam:PassRole` on {role_arn} for the credentials s3cp runs with \
             (statement: Effect Allow, Action iam:PassRole, Resource {role_arn}, \
             optionally Condition StringEquals iam:PassedToService \
             batchoperations.s3.amazonaws.com)"
        ));
    }
    if text.contains("s3:createjob") {
        return Some(format!(
            "CreateJob was refused ({said}): the caller may not create Batch Operations \
             jobs: allow `s3:CreateJob` (Resource *) for the credentials s3cp runs with; \
             watching and cancelling the job also need s3:DescribeJob and \
             s3:UpdateJobStatus"
        ));
    }
    Some(format!(
        "CreateJob was refused ({said}): the caller needs `s3:CreateJob` (Resource *) \
         and `iam:PassRole` on {role_arn}; AWS's answer does not say which is missing, \
         so check both for the credentials s3cp runs with"
    ))
}

/// The message for a job that failed on a permission: `reasons` as
/// DescribeJob gives them, (FailureCode, FailureReason); `role_arn` the
/// job's role, `manifest` and `reports` the `s3://` locations of the
/// manifest object and of the reports prefix. One line per permission
/// problem found (several reasons may name several); `None` when no
/// reason is a permission problem (e.g. too many tasks failed).
pub fn job_failure_denied(
    reasons: &[(String, String)],
    role_arn: &str,
    manifest: &str,
    reports: &str,
) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for (code, reason) in reasons {
        let text = format!("{code} {reason}").to_ascii_lowercase();
        let found = if speaks_of_trust(&text) {
            Some(trust(role_arn))
        } else if mentions_manifest_denied(&text) {
            Some(format!(
                "the job could not read its manifest: {}",
                manifest_fix(role_arn, Some(manifest))
            ))
        } else if report_not_written(&text) {
            let prefix = arn_of(role_arn, reports);
            let prefix = format!("{}*", prefix.trim_end_matches('*'));
            Some(format!(
                "the job could not write its completion report under {reports}: allow \
                 `s3:PutObject` on {prefix} for the role {role_arn} (and the report \
                 bucket must have no Object Lock retention mode); the copies the job \
                 made stand, only their report is missing"
            ))
        } else {
            None
        };
        if let Some(m) = found
            && !out.contains(&m)
        {
            out.push(m);
        }
    }
    (!out.is_empty()).then(|| out.join("\n"))
}

/// A role S3 could not assume: its trust policy.
fn trust(role_arn: &str) -> String {
    format!(
        "S3 Batch Operations could not assume the role {role_arn}: its trust policy must \
         allow the service to assume it (statement: Effect Allow, Principal Service \
         batchoperations.s3.amazonaws.com, Action sts:AssumeRole)"
    )
}

fn manifest_fix(role_arn: &str, manifest: Option<&str>) -> String {
    let on = match manifest {
        Some(m) => format!("on {}", arn_of(role_arn, m)),
        None => "on the manifest object".to_owned(),
    };
    format!(
        "allow `s3:GetObject` (and `s3:GetObjectVersion`) {on} for the role {role_arn} \
         (the manifest must not be KMS-encrypted: Batch Operations reads no KMS-encrypted \
         CSV manifest)"
    )
}

fn speaks_of_trust(text: &str) -> bool {
    text.contains("assume")
        || text.contains("trust")
        || text.contains("batchoperations.s3.amazonaws.com")
}

fn mentions_manifest_denied(text: &str) -> bool {
    text.contains("manifest")
        && (text.contains("forbidden")
            || text.contains("accessdenied")
            || text.contains("access denied"))
}

fn report_not_written(text: &str) -> bool {
    (text.contains("report") && text.contains("could not be written"))
        || (text.contains("report")
            && (text.contains("forbidden")
                || text.contains("accessdenied")
                || text.contains("access denied")))
}

/// `s3://bucket/key` as an S3 ARN in the partition of `role_arn`
/// (`arn:aws-cn:iam::...` gives `arn:aws-cn:s3:::bucket/key`); anything
/// else as it is.
fn arn_of(role_arn: &str, location: &str) -> String {
    let partition = role_arn
        .strip_prefix("arn:")
        .and_then(|r| r.split(':').next())
        .filter(|p| !p.is_empty())
        .unwrap_or("aws");
    match location.strip_prefix("s3://") {
        Some(path) => format!("arn:{partition}:s3:::{path}"),
        None => location.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/batch";
    const MANIFEST: &str = "s3://reports/run/manifest.csv";
    const REPORTS: &str = "s3://reports/run/";

    fn reasons(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(c, r)| (c.to_string(), r.to_string()))
            .collect()
    }

    #[test]
    fn a_caller_without_create_job_is_told_to_allow_it() {
        let m = "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: \
                 s3:CreateJob on resource: arn:aws:s3:us-east-1:123456789012:job/* because \
                 no identity-based policy allows the s3:CreateJob action";
        let out = create_job_denied(Some("AccessDenied"), Some(m), Some(403), ROLE).unwrap();
        assert!(out.contains("`s3:CreateJob`"), "{out}");
        assert!(out.contains("HTTP 403 AccessDenied"), "{out}");
        assert!(!out.contains("iam:PassRole"), "{out}");
    }

    #[test]
    fn a_caller_without_pass_role_is_told_to_allow_it_on_the_role() {
        let m = "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: \
                 iam:PassRole on resource: arn:aws:iam::123456789012:role/batch";
        let out = create_job_denied(Some("AccessDenied"), Some(m), Some(403), ROLE).unwrap();
        assert!(out.contains("`iam:PassRole` on arn:aws:iam::123456789012:role/batch"));
        assert!(out.contains("batchoperations.s3.amazonaws.com"), "{out}");
        assert!(!out.contains("s3:CreateJob"), "{out}");
    }

    #[test]
    fn a_bare_access_denied_names_both_permissions_the_caller_needs() {
        let out = create_job_denied(Some("AccessDenied"), Some("Access Denied"), Some(403), ROLE)
            .unwrap();
        assert!(out.contains("`s3:CreateJob`") && out.contains("`iam:PassRole` on "));
        assert!(out.contains(ROLE), "{out}");
        // Only the status, no code, no message: still a denial.
        let out = create_job_denied(None, None, Some(403), ROLE).unwrap();
        assert!(out.contains("HTTP 403)"), "{out}");
    }

    #[test]
    fn a_refusal_that_speaks_of_the_role_trust_names_the_trust_policy() {
        let m = "Unable to assume the role arn:aws:iam::123456789012:role/batch";
        let out = create_job_denied(Some("InvalidRequest"), Some(m), Some(400), ROLE).unwrap();
        assert!(out.contains("Principal Service batchoperations.s3.amazonaws.com"));
        assert!(out.contains("sts:AssumeRole"), "{out}");
    }

    #[test]
    fn a_refusal_that_is_no_permission_problem_is_none() {
        for (code, message, status) in [
            (
                "InvalidRequest",
                "Reading the manifest failed: the ETag \"0\" does not match",
                400,
            ),
            ("IdempotencyException", "another request", 400),
            ("TooManyRequestsException", "Rate exceeded", 429),
            ("InternalError", "We encountered an internal error", 500),
        ] {
            assert_eq!(
                create_job_denied(Some(code), Some(message), Some(status), ROLE),
                None,
                "{code}"
            );
        }
    }

    #[test]
    fn a_job_that_cannot_read_its_manifest_names_get_object_on_it_for_the_role() {
        let r = reasons(&[(
            "ManifestReadFailed",
            "Reading the manifest is forbidden: AccessDenied",
        )]);
        let out = job_failure_denied(&r, ROLE, MANIFEST, REPORTS).unwrap();
        assert!(
            out.contains("`s3:GetObject` (and `s3:GetObjectVersion`) on arn:aws:s3:::reports/run/manifest.csv for the role arn:aws:iam::123456789012:role/batch"),
            "{out}"
        );
    }

    #[test]
    fn a_job_that_cannot_write_its_report_names_put_object_on_the_prefix() {
        let r = reasons(&[(
            "ReportWriteFailed",
            "The job report could not be written to your report bucket. Please check your permissions.",
        )]);
        let out = job_failure_denied(&r, ROLE, MANIFEST, REPORTS).unwrap();
        assert!(
            out.contains("`s3:PutObject` on arn:aws:s3:::reports/run/* for the role"),
            "{out}"
        );
        assert!(out.contains("s3://reports/run/"), "{out}");
    }

    #[test]
    fn a_job_whose_role_is_not_trusted_names_the_trust_policy() {
        let r = reasons(&[(
            "AssumeRoleFailed",
            "Batch Operations could not assume the role arn:aws:iam::123456789012:role/batch",
        )]);
        let out = job_failure_denied(&r, ROLE, MANIFEST, REPORTS).unwrap();
        assert!(out.contains("batchoperations.s3.amazonaws.com"), "{out}");
        assert_eq!(out.lines().count(), 1);
    }

    #[test]
    fn several_reasons_give_one_line_each_and_other_reasons_none() {
        let r = reasons(&[
            ("TaskFailureThresholdExceeded", "all 3 task(s) failed"),
            (
                "ManifestReadFailed",
                "Reading the manifest is forbidden: AccessDenied",
            ),
            (
                "ReportWriteFailed",
                "The job report could not be written to your report bucket.",
            ),
        ]);
        let out = job_failure_denied(&r, ROLE, MANIFEST, REPORTS).unwrap();
        assert_eq!(out.lines().count(), 2, "{out}");
        let none = reasons(&[("TaskFailureThresholdExceeded", "all 3 task(s) failed")]);
        assert_eq!(job_failure_denied(&none, ROLE, MANIFEST, REPORTS), None);
        assert_eq!(job_failure_denied(&[], ROLE, MANIFEST, REPORTS), None);
    }

    #[test]
    fn arns_keep_the_roles_partition() {
        let role = "arn:aws-cn:iam::123456789012:role/batch";
        let r = reasons(&[("X", "Reading the manifest is forbidden: AccessDenied")]);
        let out = job_failure_denied(&r, role, MANIFEST, REPORTS).unwrap();
        assert!(
            out.contains("arn:aws-cn:s3:::reports/run/manifest.csv"),
            "{out}"
        );
    }
}
