//! A finished job's failed tasks, named: its completion report read back
//! (`manifest.json` under the report prefix, then each failed-tasks CSV,
//! streamed a record at a time, so that a report of millions of rows stays
//! out of memory) and one `copy` line per failed task, the same shape as a
//! failed copy's: the source, the destination the job would have written
//! (its `TargetResource` and `TargetKeyPrefix`, joined as S3 joins them),
//! status `failed`, and S3's error code and message from the report. The
//! settings of the line (metadata, tags, ACL, encryption, storage class)
//! are the job's operation's, as DescribeJob gives it: a job watched by
//! `s3cp batch wait` has no flags to read them from.

use aws_sdk_s3control::types::{
    JobDescriptor, S3CopyObjectOperation, S3MetadataDirective, S3Permission, S3SseAlgorithm,
};
use tokio::io::AsyncBufReadExt;
use tokio_util::sync::CancellationToken;

use super::watch::Watcher;
use crate::batchops::mapping::Target;
use crate::batchops::report::{self, ReportError, Rows, TaskResult};
use crate::error::{Failure, Kind, S3Error};
use crate::options::{Acl, CopyOptions, Grants, MetadataDirective, TaggingDirective};
use crate::report::{CopyLine, Status};
use crate::uri::S3Uri;

/// What naming the failed tasks came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Named {
    /// Lines printed.
    pub named: u64,
    /// Ctrl-C stopped the reading.
    pub interrupted: bool,
}

/// The bucket of an S3 ARN (`arn:aws:s3:::bucket`); a plain name as it is.
pub fn arn_bucket(arn: &str) -> &str {
    match arn.split_once(":::") {
        Some((_, bucket)) => bucket,
        None => arn.rsplit_once(":bucket/").map_or(arn, |(_, b)| b),
    }
}

/// Where the job's copy operation writes.
fn target(op: Option<&S3CopyObjectOperation>) -> Option<Target> {
    let op = op?;
    Some(Target {
        bucket: arn_bucket(op.target_resource()?).to_owned(),
        key_prefix: op
            .target_key_prefix()
            .filter(|p| !p.is_empty())
            .map(str::to_owned),
    })
}

/// The settings a job's operation gives every object, as a copy's line
/// says them.
pub fn settings_of(op: Option<&S3CopyObjectOperation>) -> CopyOptions {
    let mut o = CopyOptions::default();
    let Some(op) = op else {
        return o;
    };
    if op.metadata_directive() == Some(&S3MetadataDirective::Replace) {
        o.metadata.directive = MetadataDirective::Replace;
    }
    if let Some(tags) = &op.new_object_tagging {
        o.tagging.directive = TaggingDirective::Replace;
        o.tagging.tags = tags
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect();
    }
    if let Some(acl) = op.canned_access_control_list() {
        o.acl = Acl::Canned(acl.as_str().into());
    } else if !op.access_control_grants().is_empty() {
        let mut g = Grants::default();
        for grant in op.access_control_grants() {
            let Some(grantee) = grant.grantee() else {
                continue;
            };
            let kind = grantee
                .type_identifier()
                .map_or("id", |t| match t.as_str() {
                    "uri" => "uri",
                    "emailAddress" => "emailAddress",
                    _ => "id",
                });
            let one = format!("{kind}={}", grantee.identifier().unwrap_or_default());
            let list = match grant.permission() {
                Some(S3Permission::Read) => &mut g.read,
                Some(S3Permission::ReadAcp) => &mut g.read_acp,
                Some(S3Permission::WriteAcp) => &mut g.write_acp,
                _ => &mut g.full_control,
            };
            *list = Some(match list.take() {
                Some(before) => format!("{before}, {one}"),
                None => one,
            });
        }
        o.acl = Acl::Grants(g);
    }
    let sse = op
        .new_object_metadata()
        .and_then(|m| m.sse_algorithm())
        .map(|a| match a {
            S3SseAlgorithm::Kms => aws_sdk_s3::types::ServerSideEncryption::AwsKms,
            _ => aws_sdk_s3::types::ServerSideEncryption::Aes256,
        });
    o.encryption.sse = sse;
    o.encryption.kms_key_id = op.sse_aws_kms_key_id().map(str::to_owned);
    o.storage_class = op.storage_class().map(|c| c.as_str().into());
    o
}

/// One failed task's line and the failure it prints on stderr.
pub fn task_line(
    job_id: &str,
    row: &TaskResult,
    target: Option<&Target>,
) -> (String, String, Failure) {
    // Whether the report's keys are URL-encoded (as the manifest's are)
    // AWS does not document; the double writes them encoded, as the
    // manifest gave them. A key that decodes is said decoded; one that
    // does not (a lone '%' in a key given plain) as given.
    let key = row.decoded_key().unwrap_or_else(|| row.key.clone());
    let src = S3Uri {
        bucket: row.bucket.clone(),
        key: key.clone(),
        version_id: row.version_id.clone(),
    };
    let dst = match target {
        Some(t) => S3Uri {
            bucket: t.bucket.clone(),
            key: t.destination_key(&key),
            version_id: None,
        }
        .to_string(),
        None => "(the job's destination)".to_owned(),
    };
    let what = format!("job {job_id} could not copy {src} to {dst}");
    let error = match &row.error_code {
        Some(code) => anyhow::Error::new(S3Error {
            operation: "CopyObject",
            status: row.http_status,
            code: code.clone(),
            message: row.message.clone(),
            request_id: None,
            kind: Kind::Refused,
        })
        .context(what),
        None => anyhow::anyhow!("{}", row.message).context(what),
    };
    (src.to_string(), dst, Failure::Copy(error))
}

/// The records of a CSV read line by line: a record is complete when its
/// quotes are balanced (a quoted field may hold newlines; a doubled quote
/// counts twice), so each is handed to [`Rows`] whole.
#[derive(Debug, Default)]
struct Records {
    record: String,
    row: u64,
}

impl Records {
    /// Adds one line (with its newline); a complete record's row when the
    /// line completes one (`None` for a blank line or a record that goes
    /// on).
    fn push(&mut self, line: &str) -> Option<Result<TaskResult, ReportError>> {
        self.record.push_str(line);
        if self.record.matches('"').count() % 2 == 1 {
            return None;
        }
        let record = std::mem::take(&mut self.record);
        if record.trim().is_empty() {
            return None;
        }
        self.row += 1;
        let parsed = Rows::new(record.as_bytes()).next()?;
        // Rows counted this record alone: the report's own row number.
        Some(parsed.map_err(|e| match e {
            ReportError::Fields { fields, .. } => ReportError::Fields {
                row: self.row,
                fields,
            },
            ReportError::Unclosed { .. } => ReportError::Unclosed { row: self.row },
            other => other,
        }))
    }

    /// The end of the file: a record left open is an error.
    fn end(&mut self) -> Option<Result<TaskResult, ReportError>> {
        if self.record.trim().is_empty() {
            return None;
        }
        self.row += 1;
        self.record.clear();
        Some(Err(ReportError::Unclosed { row: self.row }))
    }
}

/// Reads the completion report of a finished job with failed tasks and
/// prints a line per failed task. What cannot be read is said as an
/// error (the run's exit code is 1 anyway: tasks failed), never fatal.
pub async fn name_failed(
    w: &Watcher<'_>,
    job_id: &str,
    job: &JobDescriptor,
    cancel: &CancellationToken,
) -> Named {
    let mut named = Named::default();
    let result = read(w, job_id, job, cancel, &mut named).await;
    if let Err(e) = result {
        let failed = super::watch::counts(job).failed;
        let e = e.context(format!(
            "cannot name the {failed} failed task{} of job {job_id} ({} named): its completion \
             report could not be read",
            if failed == 1 { "" } else { "s" },
            named.named
        ));
        w.printer.run_failure(&Failure::Copy(e));
    }
    named
}

async fn read(
    w: &Watcher<'_>,
    job_id: &str,
    job: &JobDescriptor,
    cancel: &CancellationToken,
    named: &mut Named,
) -> anyhow::Result<()> {
    let Some(spec) = job.report().filter(|r| r.enabled()) else {
        anyhow::bail!("the job was created without a completion report");
    };
    let bucket = arn_bucket(spec.bucket().unwrap_or_default()).to_owned();
    let key = report::manifest_key(spec.prefix().unwrap_or_default(), job_id);
    let body = get(w.s3, &bucket, &key).await?;
    let bytes = body
        .collect()
        .await
        .map_err(|e| anyhow::anyhow!("reading s3://{bucket}/{key}: {e}"))?
        .into_bytes();
    let manifest = report::parse_manifest(&bytes)
        .map_err(|e| anyhow::Error::new(e).context(format!("s3://{bucket}/{key}")))?;
    let op = job.operation().and_then(|o| o.s3_put_object_copy());
    let target = target(op);
    let settings = settings_of(op);
    for file in manifest.failed() {
        let body = get(w.s3, &file.bucket, &file.key).await?;
        let mut lines = tokio::io::BufReader::new(body.into_async_read());
        let mut records = Records::default();
        let mut line = String::new();
        loop {
            if cancel.is_cancelled() {
                named.interrupted = true;
                return Ok(());
            }
            line.clear();
            let n = lines
                .read_line(&mut line)
                .await
                .map_err(|e| anyhow::anyhow!("reading s3://{}/{}: {e}", file.bucket, file.key))?;
            let row = match n {
                0 => match records.end() {
                    Some(row) => row,
                    None => break,
                },
                _ => match records.push(&line) {
                    Some(row) => row,
                    None => continue,
                },
            };
            let row = row.map_err(|e| {
                anyhow::Error::new(e).context(format!("s3://{}/{}", file.bucket, file.key))
            })?;
            if !row.failed() {
                continue;
            }
            let (src, dst, failure) = task_line(job_id, &row, target.as_ref());
            let line = CopyLine::unparsed(src, dst, &settings, &failure, Status::Failed, false);
            w.printer.object(&line, Some(&failure));
            named.named += 1;
        }
    }
    Ok(())
}

/// One report object's body, read in its bucket's region: the client of
/// the region known, and once more where S3's redirect says the bucket
/// is (learned for the rest of the run).
async fn get(
    regions: &crate::region::Regions,
    bucket: &str,
    key: &str,
) -> anyhow::Result<aws_sdk_s3::primitives::ByteStream> {
    let send = |client: aws_sdk_s3::Client| async move {
        client.get_object().bucket(bucket).key(key).send().await
    };
    let out = match send(regions.client_for(bucket)).await {
        Err(e) => match crate::region::redirect(&e, &regions.region_of(bucket)) {
            Some(region) => {
                regions.learn(bucket, &region);
                send(regions.client_for(bucket)).await
            }
            None => Err(e),
        },
        ok => ok,
    };
    let out = out.map_err(|e| {
        anyhow::Error::new(S3Error::from_sdk("GetObject", &e))
            .context(format!("cannot read s3://{bucket}/{key}"))
    })?;
    Ok(out.body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3control::types::{
        S3CannedAccessControlList, S3Grant, S3GranteeTypeIdentifier, S3ObjectMetadata,
        S3StorageClass, S3Tag,
    };

    fn rows(text: &str) -> Vec<Result<TaskResult, ReportError>> {
        let mut r = Records::default();
        let mut out: Vec<_> = text
            .split_inclusive('\n')
            .filter_map(|l| r.push(l))
            .collect();
        out.extend(r.end());
        out
    }

    #[test]
    fn records_are_read_line_by_line_with_quoted_newlines() {
        let text = "b,\"a,b.txt\",,failed,500,InternalError,\"line one,\nline \"\"two\"\"\"\r\n\
                    \nb,c%20d,,failed,403,AccessDenied,unquoted, with, commas\n\
                    b,e,,failed,403,AccessDenied,last without newline";
        let got: Vec<TaskResult> = rows(text).into_iter().map(Result::unwrap).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].key, "a,b.txt");
        assert_eq!(got[0].message, "line one,\nline \"two\"");
        assert_eq!(got[1].decoded_key().as_deref(), Some("c d"));
        assert_eq!(got[2].message, "last without newline");
    }

    #[test]
    fn a_broken_record_names_its_row_in_the_report() {
        let got = rows("b,k,,failed,403,X,m\nb,k,failed\nb,k,,failed,403,X,\"open\n");
        assert!(got[0].is_ok());
        assert!(matches!(
            got[1],
            Err(ReportError::Fields { row: 2, fields: 3 })
        ));
        assert!(matches!(got[2], Err(ReportError::Unclosed { row: 3 })));
    }

    #[test]
    fn a_failed_task_reads_as_a_failed_copy() {
        let row = TaskResult {
            bucket: "src".into(),
            key: "dir/a%20b.txt".into(),
            version_id: Some("v1".into()),
            status: "failed".into(),
            error_code: Some("AccessDenied".into()),
            http_status: Some(403),
            message: "Access Denied".into(),
        };
        let target = Target {
            bucket: "dst".into(),
            key_prefix: Some("out".into()),
        };
        let settings = CopyOptions::default();
        let (src, dst, failure) = task_line("j-1", &row, Some(&target));
        assert_eq!(src, "s3://src/dir/a b.txt?versionId=v1");
        assert_eq!(dst, "s3://dst/out/dir/a b.txt");
        let line = CopyLine::unparsed(src, dst, &settings, &failure, Status::Failed, false);
        let json = serde_json::to_value(&line).unwrap();
        assert_eq!(json["type"], "copy");
        assert_eq!(json["status"], "failed");
        assert_eq!(json["error"]["code"], "AccessDenied");
        assert_eq!(json["error"]["operation"], "CopyObject");
        assert_eq!(json["error"]["exit_code"], 1);
        assert_eq!(
            json["error"]["message"],
            "job j-1 could not copy s3://src/dir/a b.txt?versionId=v1 to s3://dst/out/dir/a \
             b.txt: CopyObject failed: AccessDenied: Access Denied (HTTP 403)"
        );
        // No code in the report: the message alone, code "Error".
        let bare = TaskResult {
            error_code: None,
            http_status: None,
            key: "%zz".into(),
            ..row
        };
        let (src, _, failure) = task_line("j-1", &bare, None);
        assert_eq!(src, "s3://src/%zz?versionId=v1", "kept as given");
        let line = CopyLine::unparsed(src, "-".into(), &settings, &failure, Status::Failed, false);
        assert_eq!(
            serde_json::to_value(&line).unwrap()["error"]["code"],
            "Error"
        );
    }

    #[test]
    fn the_target_and_settings_are_the_operations() {
        assert_eq!(arn_bucket("arn:aws:s3:::dst"), "dst");
        assert_eq!(
            arn_bucket("arn:aws:s3express:us-east-1:1:bucket/d--x-s3"),
            "d--x-s3"
        );
        assert_eq!(arn_bucket("plain"), "plain");
        let op = S3CopyObjectOperation::builder()
            .target_resource("arn:aws:s3:::dst")
            .target_key_prefix("")
            .metadata_directive(S3MetadataDirective::Replace)
            .new_object_tagging(S3Tag::builder().key("k").value("v").build().unwrap())
            .access_control_grants(
                S3Grant::builder()
                    .permission(S3Permission::Read)
                    .grantee(
                        aws_sdk_s3control::types::S3Grantee::builder()
                            .type_identifier(S3GranteeTypeIdentifier::Canonical)
                            .identifier("abc")
                            .build(),
                    )
                    .build(),
            )
            .new_object_metadata(
                S3ObjectMetadata::builder()
                    .sse_algorithm(S3SseAlgorithm::Kms)
                    .build(),
            )
            .sse_aws_kms_key_id("key-1")
            .storage_class(S3StorageClass::StandardIa)
            .build();
        let t = target(Some(&op)).unwrap();
        assert_eq!((t.bucket.as_str(), t.key_prefix), ("dst", None));
        let o = settings_of(Some(&op));
        assert_eq!(o.metadata.directive, MetadataDirective::Replace);
        assert_eq!(o.tagging.tags, [("k".to_owned(), "v".to_owned())]);
        assert_eq!(o.acl.to_string(), "grants (read: id=abc)");
        assert_eq!(o.encryption_name(), "aws:kms (key key-1)");
        assert_eq!(o.storage_class_name(), "STANDARD_IA");
        let canned = S3CopyObjectOperation::builder()
            .canned_access_control_list(S3CannedAccessControlList::BucketOwnerFullControl)
            .build();
        assert_eq!(
            settings_of(Some(&canned)).acl.to_string(),
            "bucket-owner-full-control"
        );
        assert_eq!(settings_of(None), CopyOptions::default());
    }
}
