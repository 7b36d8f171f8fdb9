//! The messages that explain a copy's failures to the user: what went
//! wrong with this source or destination, and the fix where one is known
//! (a failed HEAD of the source, an archived source, a 412, a source that
//! changed or vanished while it was read). They sit with the error kinds
//! they explain, so that what a user reads when a copy fails is written in
//! one place. They read the copy's description (its [`CopyJob`], its
//! [`CopyOptions`], the source's HEAD) and never the engine that sends the
//! requests (`copy`, which imports them): `error` stays below `copy` on the
//! data path, and `tests/layout.rs` sees no cycle.

use aws_sdk_s3::types::StorageClass;

use super::S3Error;
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::request::SourceObject;

/// Explains a failed HEAD of the source, naming the fix where one is known.
pub(crate) fn source_error(
    job: &CopyJob,
    opts: &CopyOptions,
    endpoint: &str,
    bucket_missing: bool,
    err: &aws_sdk_s3::error::SdkError<
        aws_sdk_s3::operation::head_object::HeadObjectError,
        aws_sdk_s3::config::http::HttpResponse,
    >,
) -> anyhow::Error {
    let e = S3Error::from_sdk("HeadObject", err);
    let delete_marker = err
        .raw_response()
        .and_then(|r| r.headers().get("x-amz-delete-marker"))
        == Some("true");
    let what = if e.is_missing_credentials() {
        super::no_credentials()
    } else if e.is_credentials() {
        format!(
            "the AWS credentials could not be loaded ({}): check the profile (its role_arn, \
             source_profile or SSO session: aws sso login) and that the role may be assumed",
            e.message
        )
    } else if e.is_unreachable() {
        super::unreachable(endpoint, &format!("read {}", job.src))
    } else if e.status == Some(403) {
        format!(
            "access to the source {} was denied: check the credentials (and --profile) and \
             that they may s3:GetObject it",
            job.src
        )
    } else if delete_marker && job.src.version_id.is_some() || e.status == Some(405) {
        format!(
            "{} is a delete marker, which holds no data: give the id of a version that does \
             (aws s3api list-object-versions lists them)",
            job.src
        )
    } else if delete_marker {
        format!(
            "the current version of {} is a delete marker, so there is no object to copy: \
             give the version to copy, as {}?versionId=ID (list them with \
             aws s3api list-object-versions)",
            job.src, job.src
        )
    } else if super::unnamed_redirect(err) {
        format!(
            "the source bucket {} is in another region, which S3 did not name: give it with \
             --source-region",
            job.src.bucket
        )
    } else if e.status == Some(400) && opts.sse_c_source.is_none() {
        // A HEAD's 400 has no body to say why.
        format!(
            "cannot read the source {}; if it is encrypted with a customer key (SSE-C), give \
             --sse-c-copy-source AES256 and its key; if its bucket is in another region, give \
             that region with --source-region",
            job.src
        )
    } else if e.status == Some(404) && bucket_missing {
        super::missing_bucket(&job.src.bucket, "source")
    } else if e.status == Some(404) && job.src.key.ends_with('/') {
        format!(
            "the source {} does not exist: a key ending in '/' names one object (a folder \
             marker); to copy the objects under this prefix, give --recursive (-r)",
            job.src
        )
    } else if e.status == Some(404) {
        format!("the source {} does not exist", job.src)
    } else {
        format!("cannot read the source {}", job.src)
    };
    anyhow::Error::new(e).context(what)
}

/// An archived source (GLACIER, DEEP_ARCHIVE) can only be copied once
/// restored (`x-amz-restore: ongoing-request="false", ...`).
pub(crate) fn check_restored(job: &CopyJob, source: &SourceObject) -> anyhow::Result<()> {
    let archived = matches!(
        source.storage_class,
        Some(StorageClass::Glacier | StorageClass::DeepArchive)
    ) || source.archive_status.is_some();
    let restored = source
        .restore
        .as_deref()
        .is_some_and(|r| r.contains("ongoing-request=\"false\""));
    if !archived || restored {
        return Ok(());
    }
    let class = match (&source.archive_status, &source.storage_class) {
        (Some(tier), _) => format!("the Intelligent-Tiering {tier} tier"),
        (None, Some(c)) => c.as_str().to_owned(),
        (None, None) => "an archive".to_owned(),
    };
    if source.restore.is_some() {
        anyhow::bail!(
            "{} is in {class} and its restore is still in progress: copy it once the restore \
             has finished (aws s3api head-object shows x-amz-restore)",
            job.src
        );
    }
    anyhow::bail!(
        "{} is in {class} and must be restored before it can be copied: run \
         aws s3api restore-object --bucket {} --key '{}' --restore-request Days=1, \
         then copy it once the restore has finished",
        job.src,
        job.src.bucket,
        job.src.key
    )
}

/// The message for a 412 from CopyObject, CompleteMultipartUpload or a
/// stream's PutObject:
/// `--no-overwrite` met an existing destination, or a source condition
/// failed (they were checked at the HEAD, but the source may have changed
/// since); or for a 409 ConditionalRequestConflict ([`conflict`]). `None`
/// for other errors.
pub(crate) fn precondition_context(
    job: &CopyJob,
    opts: &CopyOptions,
    e: &S3Error,
) -> Option<String> {
    if e.is_code(crate::error::CONDITIONAL_CONFLICT) {
        return Some(conflict(job, e));
    }
    if !e.is_code("PreconditionFailed") && e.status != Some(412) {
        return None;
    }
    let exists = match &opts.destination_if_match {
        Some(etag) => format!(
            "{} is not the version with ETag {etag} (--if-match)",
            job.dst
        ),
        None => format!(
            "{} already exists and --no-overwrite (--if-none-match '*') was given",
            job.dst
        ),
    };
    let unmet = format!(
        "the source {} does not meet the --copy-source-if-* conditions given",
        job.src
    );
    // A write of the bytes (Complete, a stream's PutObject) carries no
    // source condition: its 412 is the destination's.
    let writes_bytes = matches!(e.operation, "CompleteMultipartUpload" | "PutObject");
    let why = match (opts.destination_conditional(), opts.conditions.is_empty()) {
        (true, true) => exists,
        (true, false) if writes_bytes => exists,
        (true, false) => format!("{exists}, or {unmet}"),
        (false, _) => unmet,
    };
    Some(format!("precondition failed: {why}; nothing was written"))
}

/// A conditional write raced by another write of the destination (409
/// ConditionalRequestConflict), still after the retries CopyObject and
/// PutObject get; Complete gets none, as S3 takes no Complete of that
/// upload again. Not "already exists": nothing says the key exists.
fn conflict(job: &CopyJob, e: &S3Error) -> String {
    let what = match e.operation {
        "CompleteMultipartUpload" => {
            "; S3 takes no other Complete of that upload, so it was aborted"
        }
        "CopyObject" | "PutObject" => "; it was retried as long as --max-attempts allows",
        _ => "",
    };
    format!(
        "conflict: another write of {} raced this conditional {} (409 \
         ConditionalRequestConflict){what}. Nothing of this copy was written: run it again \
         once the other writer is done",
        job.dst, e.operation
    )
}

/// A source that no longer has the ETag the copy was pinned to (a 412 on
/// a part's read or UploadPartCopy): nothing was written.
/// `upload_aborted`: a multipart copy's upload was aborted on the way.
pub(crate) fn changed_during_copy(
    job: &CopyJob,
    source: &SourceObject,
    upload_aborted: bool,
) -> String {
    let undone = match upload_aborted {
        true => "the upload was aborted and nothing was written",
        false => "nothing was written",
    };
    format!(
        "the source {} changed during the copy (it no longer has ETag {}); {undone}: run s3cp \
         again to copy the current version",
        job.src, source.etag
    )
}

/// The message when a range of a streamed copy cannot be read: the source
/// changed or was deleted since its HEAD (nothing was written), or it
/// cannot be read.
pub(crate) fn stream_read_error(job: &CopyJob, source: &SourceObject, e: &S3Error) -> String {
    if e.is_code("PreconditionFailed") || e.status == Some(412) {
        changed_during_copy(job, source, false)
    } else if e.is_code("NoSuchKey") || e.is_code("NoSuchVersion") {
        format!(
            "the source {} was deleted during the copy; nothing was written",
            job.src
        )
    } else {
        format!("cannot read the source {}", job.src)
    }
}

/// A read of the source under `--verify` that failed.
pub(crate) fn cannot_read_to_verify(job: &CopyJob) -> String {
    format!("cannot read the source {} to verify the copy", job.src)
}

/// What a failed ranged GET of `--verify` means for the copy: the source
/// changed (412, the pinned ETag no longer matches) or was deleted since
/// the HEAD, or it could not be read.
pub(crate) fn verify_read_error(job: &CopyJob, source: &SourceObject, e: &S3Error) -> String {
    let what = if e.is_code("PreconditionFailed") || e.status == Some(412) {
        "changed"
    } else if e.is_code("NoSuchKey") || e.is_code("NoSuchVersion") {
        "was deleted"
    } else {
        return cannot_read_to_verify(job);
    };
    format!(
        "the source {} {what} while it was read to verify the copy; the copy was made from \
         ETag {}, which can no longer be read to prove it: run s3cp again to copy and verify \
         the current version",
        job.src, source.etag
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A multipart copy and a stream say the same of a changed source,
    /// except what was undone: one function keeps the two texts in step.
    #[test]
    fn a_changed_source_names_its_etag_and_what_was_undone() {
        let job = CopyJob::new("s3://a/big", "s3://b/big").unwrap();
        let source = SourceObject {
            etag: "\"e1\"".to_owned(),
            ..Default::default()
        };
        assert_eq!(
            changed_during_copy(&job, &source, true),
            "the source s3://a/big changed during the copy (it no longer has ETag \"e1\"); the \
             upload was aborted and nothing was written: run s3cp again to copy the current \
             version"
        );
        assert_eq!(
            changed_during_copy(&job, &source, false),
            "the source s3://a/big changed during the copy (it no longer has ETag \"e1\"); \
             nothing was written: run s3cp again to copy the current version"
        );
    }
}
