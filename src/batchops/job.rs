//! The CreateJob request of a Batch Operations copy (`S3PutObjectCopy`):
//! the one place that maps s3cp's copy options onto a job's fields, as
//! [`crate::request`] does for CopyObject.
//!
//! Two steps, so that a run is refused before anything is written:
//! [`operation`] (every copy option, known before the listing starts; an
//! option it cannot carry is an error) and [`create_job`] (the request, once
//! the manifest is uploaded and its ETag known). Run [`super::refusals`]
//! first: this module assumes what it refuses is absent (it does not map
//! SSE-C, ETag conditions or MERGE; it errs rather than drop them).
//!
//! Field by field (S3 Control API, `S3CopyObjectOperation`):
//! metadata directive COPY/REPLACE and, under REPLACE, the Content-*
//! headers, Expires and user metadata (`NewObjectMetadata`); tags under
//! REPLACE (`NewObjectTagging`, an empty set for none: a job has no tagging
//! directive, and no `NewObjectTagging` copies the source's); canned ACL or
//! grants; storage class; SSE-S3/KMS (`NewObjectMetadata.SSEAlgorithm`,
//! `SSEAwsKmsKeyId`, `BucketKeyEnabled`); Object Lock; checksum algorithm;
//! requester pays; website redirect; `--copy-source-if-modified-since` and
//! `--copy-source-if-unmodified-since` (`ModifiedSinceConstraint`,
//! `UnModifiedSinceConstraint`); `--annotation-directive`
//! (`AnnotationDirective`, COPY or EXCLUDE, in the SDK since it gained
//! annotations).

use aws_sdk_s3::types::ServerSideEncryption;
use aws_sdk_s3control::Client;
use aws_sdk_s3control::operation::create_job::builders::CreateJobFluentBuilder;
use aws_sdk_s3control::types::{
    JobManifest, JobManifestFieldName, JobManifestFormat, JobManifestLocation, JobManifestSpec,
    JobOperation, JobReport, JobReportFormat, JobReportScope, S3AnnotationDirective,
    S3CannedAccessControlList, S3ChecksumAlgorithm, S3CopyObjectOperation, S3Grant, S3Grantee,
    S3GranteeTypeIdentifier, S3MetadataDirective, S3ObjectLockLegalHoldStatus, S3ObjectLockMode,
    S3ObjectMetadata, S3Permission, S3SseAlgorithm, S3StorageClass, S3Tag,
};

use super::mapping::Target;
use crate::options::{Acl, CopyOptions, Grants, MetadataDirective, TaggingDirective};
use crate::uri::S3Uri;

/// A job's description: at most 256 characters (CreateJob's limit).
pub const MAX_DESCRIPTION: usize = 256;
/// A ClientRequestToken: 1 to 64 characters.
pub const MAX_TOKEN: usize = 64;

/// An option the job cannot carry as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("{flag} '{value}' cannot go into a Batch Operations job: {why}")]
    Option {
        flag: &'static str,
        value: String,
        why: String,
    },
    #[error("a Batch Operations job cannot carry {0}; it is refused before the job is built")]
    Refused(&'static str),
    #[error("the job's {0}")]
    Request(String),
}

/// The AWS partition of a region, for ARNs (`arn:PARTITION:s3:::bucket`).
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// A bucket's ARN.
pub fn bucket_arn(partition: &str, bucket: &str) -> String {
    format!("arn:{partition}:s3:::{bucket}")
}

/// An object's ARN (the key as it is: the SDK escapes the request).
pub fn object_arn(partition: &str, bucket: &str, key: &str) -> String {
    format!("arn:{partition}:s3:::{bucket}/{key}")
}

/// One grant list (`id="..", uri="..", emailAddress=".."`, as the
/// `--grant-*` flags and S3's headers take it) as a job's grantees.
fn grantees(flag: &'static str, list: &str) -> Result<Vec<S3Grantee>, JobError> {
    let bad = |why: &str| JobError::Option {
        flag,
        value: list.to_owned(),
        why: why.to_owned(),
    };
    let mut out = Vec::new();
    // Split on commas outside quotes.
    let (mut items, mut current, mut quoted) = (Vec::new(), String::new(), false);
    for c in list.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    if quoted {
        return Err(bad("a quote is not closed"));
    }
    items.push(current);
    for item in items {
        let item = item.trim();
        let (kind, value) = item
            .split_once('=')
            .ok_or_else(|| bad("write each grantee as id=.., uri=.. or emailAddress=.."))?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        if value.is_empty() {
            return Err(bad("a grantee has no value"));
        }
        let kind = match kind.trim() {
            "id" => S3GranteeTypeIdentifier::Canonical,
            "uri" => S3GranteeTypeIdentifier::Group,
            "emailAddress" => S3GranteeTypeIdentifier::EmailAddress,
            other => {
                return Err(bad(&format!(
                    "'{other}' is not a grantee type (id, uri or emailAddress)"
                )));
            }
        };
        out.push(
            S3Grantee::builder()
                .type_identifier(kind)
                .identifier(value)
                .build(),
        );
    }
    Ok(out)
}

/// Every `--grant-*` as the job's grants.
fn grants(g: &Grants) -> Result<Vec<S3Grant>, JobError> {
    let mut out = Vec::new();
    for (flag, list, permission) in [
        ("--grant-read", &g.read, S3Permission::Read),
        ("--grant-read-acp", &g.read_acp, S3Permission::ReadAcp),
        ("--grant-write-acp", &g.write_acp, S3Permission::WriteAcp),
        (
            "--grant-full-control",
            &g.full_control,
            S3Permission::FullControl,
        ),
    ] {
        let Some(list) = list else { continue };
        for grantee in grantees(flag, list)? {
            out.push(
                S3Grant::builder()
                    .grantee(grantee)
                    .permission(permission.clone())
                    .build(),
            );
        }
    }
    Ok(out)
}

/// A value of the S3 SDK's enum as the S3 Control SDK's, refused when the
/// job's enum does not know it.
fn known<T>(flag: &'static str, value: &str, values: &[&'static str]) -> Result<T, JobError>
where
    T: From<&'static str>,
{
    match values.iter().find(|v| **v == value) {
        Some(v) => Ok(T::from(v)),
        None => Err(JobError::Option {
            flag,
            value: value.to_owned(),
            why: format!("a job takes only {}", values.join(", ")),
        }),
    }
}

/// The job's copy operation: every copy option, and where it writes.
pub fn operation(
    opts: &CopyOptions,
    target: &Target,
    partition: &str,
) -> Result<S3CopyObjectOperation, JobError> {
    if opts.sse_c.is_some() || opts.sse_c_source.is_some() {
        return Err(JobError::Refused("a customer-provided key (SSE-C)"));
    }
    if opts.conditions.if_match.is_some() || opts.conditions.if_none_match.is_some() {
        return Err(JobError::Refused("an ETag condition on the source"));
    }
    let mut op = S3CopyObjectOperation::builder()
        .target_resource(bucket_arn(partition, &target.bucket))
        .set_target_key_prefix(target.key_prefix.clone());

    // Metadata: the directive always said, so that the job's default never
    // decides; the values only under REPLACE.
    let mut meta = S3ObjectMetadata::builder();
    let mut any_meta = false;
    op = match opts.metadata.directive {
        MetadataDirective::Copy => op.metadata_directive(S3MetadataDirective::Copy),
        MetadataDirective::Replace => {
            let h = &opts.metadata.headers;
            any_meta = true;
            meta = meta
                .set_content_type(h.content_type.clone())
                .set_cache_control(h.cache_control.clone())
                .set_content_disposition(h.content_disposition.clone())
                .set_content_encoding(h.content_encoding.clone())
                .set_content_language(h.content_language.clone())
                .set_http_expires_date(h.expires)
                .set_user_metadata(Some(opts.metadata.metadata.clone()));
            op.metadata_directive(S3MetadataDirective::Replace)
        }
        MetadataDirective::Merge => return Err(JobError::Refused("--metadata-directive MERGE")),
    };

    // Encryption: the algorithm rides in NewObjectMetadata, the key and
    // the bucket key on the operation.
    let sse = match &opts.encryption.sse {
        None => None,
        Some(ServerSideEncryption::Aes256) => Some(S3SseAlgorithm::Aes256),
        Some(ServerSideEncryption::AwsKms) => Some(S3SseAlgorithm::Kms),
        Some(other) => {
            return Err(JobError::Option {
                flag: "--sse",
                value: other.as_str().to_owned(),
                why: "a job encrypts with AES256 or aws:kms only".to_owned(),
            });
        }
    };
    if opts.encryption.kms_context.is_some() {
        return Err(JobError::Refused("a KMS encryption context"));
    }
    if let Some(sse) = sse {
        any_meta = true;
        meta = meta.sse_algorithm(sse);
    }
    if any_meta {
        op = op.new_object_metadata(meta.build());
    }
    op = op.set_sse_aws_kms_key_id(opts.encryption.kms_key_id.clone());
    if opts.encryption.bucket_key == Some(true) {
        op = op.bucket_key_enabled(true);
    }

    // Tags: a job has no tagging directive; a tag set given (even empty)
    // replaces the source's, none copies them.
    if opts.tagging.directive == TaggingDirective::Replace {
        let mut tags = Vec::new();
        for (k, v) in &opts.tagging.tags {
            let tag = S3Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| JobError::Request(format!("tag '{k}': {e}")))?;
            tags.push(tag);
        }
        op = op.set_new_object_tagging(Some(tags));
    }
    if opts.annotations.explicit {
        op = op.annotation_directive(S3AnnotationDirective::from(
            opts.annotations.directive.name(),
        ));
    }

    op = match &opts.acl {
        Acl::Default => op,
        Acl::Canned(canned) => op.canned_access_control_list(known::<S3CannedAccessControlList>(
            "--acl",
            canned.as_str(),
            S3CannedAccessControlList::values(),
        )?),
        Acl::Grants(g) => op.set_access_control_grants(Some(grants(g)?)),
        Acl::CopySource => return Err(JobError::Refused("--copy-acl")),
    };
    if let Some(class) = &opts.storage_class {
        op = op.storage_class(known::<S3StorageClass>(
            "--storage-class",
            class.as_str(),
            S3StorageClass::values(),
        )?);
    }
    if let Some(mode) = &opts.object_lock.mode {
        op = op.object_lock_mode(known::<S3ObjectLockMode>(
            "--object-lock-mode",
            mode.as_str(),
            S3ObjectLockMode::values(),
        )?);
    }
    op = op.set_object_lock_retain_until_date(opts.object_lock.retain_until);
    if let Some(hold) = &opts.object_lock.legal_hold {
        op = op.object_lock_legal_hold_status(known::<S3ObjectLockLegalHoldStatus>(
            "--object-lock-legal-hold",
            hold.as_str(),
            S3ObjectLockLegalHoldStatus::values(),
        )?);
    }
    if let Some(algorithm) = opts.checksums.algorithm {
        op = op.checksum_algorithm(known::<S3ChecksumAlgorithm>(
            "--checksum-algorithm",
            algorithm.name(),
            S3ChecksumAlgorithm::values(),
        )?);
    }
    if opts.request_payer.is_some() {
        op = op.requester_pays(true);
    }
    Ok(op
        .set_redirect_location(opts.website_redirect.clone())
        .set_modified_since_constraint(opts.conditions.if_modified_since)
        .set_un_modified_since_constraint(opts.conditions.if_unmodified_since)
        .build())
}

/// The uploaded manifest, as the job finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestObject {
    pub bucket: String,
    pub key: String,
    pub etag: String,
    pub version_id: Option<String>,
    /// Its lines carry version ids ([`super::manifest::Summary::versioned`]).
    pub versioned: bool,
}

/// What the request adds to the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobParams {
    pub account_id: String,
    pub role_arn: String,
    pub partition: &'static str,
    pub manifest: ManifestObject,
    /// `--batch-reports`: the completion report's bucket and prefix.
    pub reports: S3Uri,
    /// `--batch-confirm`: created awaiting confirmation.
    pub confirm: bool,
    /// CreateJob's idempotency token (1 to 64 characters).
    pub token: String,
    pub priority: i32,
    pub description: String,
}

/// `text` cut to `max` characters.
fn at_most(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The CreateJob request: `op` from [`operation`], the manifest, the
/// completion report (failed tasks only, `Report_CSV_20180820`), the role.
pub fn create_job(
    client: &Client,
    op: S3CopyObjectOperation,
    p: &JobParams,
) -> Result<CreateJobFluentBuilder, JobError> {
    if p.token.is_empty() || p.token.chars().count() > MAX_TOKEN {
        return Err(JobError::Request(format!(
            "client request token must have 1 to {MAX_TOKEN} characters, not {}",
            p.token.chars().count()
        )));
    }
    let mut fields = vec![JobManifestFieldName::Bucket, JobManifestFieldName::Key];
    if p.manifest.versioned {
        fields.push(JobManifestFieldName::VersionId);
    }
    let spec = JobManifestSpec::builder()
        .format(JobManifestFormat::S3BatchOperationsCsv20180820)
        .set_fields(Some(fields))
        .build()
        .map_err(|e| JobError::Request(format!("manifest spec: {e}")))?;
    let location = JobManifestLocation::builder()
        .object_arn(object_arn(p.partition, &p.manifest.bucket, &p.manifest.key))
        .e_tag(&p.manifest.etag)
        .set_object_version_id(p.manifest.version_id.clone())
        .build()
        .map_err(|e| JobError::Request(format!("manifest location: {e}")))?;
    // The prefix without its trailing slash: S3 adds one before `job-ID/`.
    let prefix = p.reports.key.trim_end_matches('/');
    let report = JobReport::builder()
        .bucket(bucket_arn(p.partition, &p.reports.bucket))
        .format(JobReportFormat::ReportCsv20180820)
        .enabled(true)
        .set_prefix((!prefix.is_empty()).then(|| prefix.to_owned()))
        .report_scope(JobReportScope::FailedTasksOnly)
        .build();
    Ok(client
        .create_job()
        .account_id(&p.account_id)
        .confirmation_required(p.confirm)
        .operation(JobOperation::builder().s3_put_object_copy(op).build())
        .manifest(JobManifest::builder().spec(spec).location(location).build())
        .report(report)
        .client_request_token(&p.token)
        .priority(p.priority)
        .role_arn(&p.role_arn)
        .description(at_most(&p.description, MAX_DESCRIPTION)))
}

/// A job's `NewObjectMetadata` as JSON, in the API's field names.
fn metadata_json(m: &S3ObjectMetadata) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let mut meta = Map::new();
    for (k, v) in [
        ("ContentType", m.content_type()),
        ("CacheControl", m.cache_control()),
        ("ContentDisposition", m.content_disposition()),
        ("ContentEncoding", m.content_encoding()),
        ("ContentLanguage", m.content_language()),
        ("SSEAlgorithm", m.sse_algorithm().map(|a| a.as_str())),
    ] {
        if let Some(v) = v {
            meta.insert(k.to_owned(), json!(v));
        }
    }
    if let Some(d) = m.http_expires_date() {
        meta.insert("HttpExpiresDate".to_owned(), json!(json_date(d)));
    }
    if let Some(user) = m.user_metadata().filter(|u| !u.is_empty()) {
        let sorted: std::collections::BTreeMap<_, _> = user.iter().collect();
        meta.insert("UserMetadata".to_owned(), json!(sorted));
    }
    Value::Object(meta)
}

/// A job's `AccessControlGrants` as JSON.
fn grants_json(grants: &[S3Grant]) -> serde_json::Value {
    use serde_json::json;
    json!(
        grants
            .iter()
            .map(|g| json!({
                "Grantee": g.grantee().map(|e| json!({
                    "TypeIdentifier": e.type_identifier().map(|t| t.as_str()),
                    "Identifier": e.identifier(),
                })),
                "Permission": g.permission().map(|p| p.as_str()),
            }))
            .collect::<Vec<_>>()
    )
}

/// A date as the API writes it (ISO 8601).
fn json_date(d: &aws_smithy_types::DateTime) -> String {
    d.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

/// The CreateJob request as JSON, in the API's field names (what `aws
/// s3control create-job --cli-input-json` takes): what `--dry-run
/// --batch` prints. `etag` is `None` before the manifest is uploaded.
pub fn request_json(
    op: &S3CopyObjectOperation,
    p: &JobParams,
    etag: Option<&str>,
) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let date = json_date;
    let mut o = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            o.insert(k.to_owned(), v);
        }
    };
    put("TargetResource", op.target_resource().map(|v| json!(v)));
    put("TargetKeyPrefix", op.target_key_prefix().map(|v| json!(v)));
    put(
        "MetadataDirective",
        op.metadata_directive().map(|v| json!(v.as_str())),
    );
    put(
        "NewObjectMetadata",
        op.new_object_metadata().map(metadata_json),
    );
    put(
        "NewObjectTagging",
        op.new_object_tagging.as_ref().map(|tags| {
            json!(
                tags.iter()
                    .map(|t| json!({"Key": t.key(), "Value": t.value()}))
                    .collect::<Vec<_>>()
            )
        }),
    );
    put(
        "CannedAccessControlList",
        op.canned_access_control_list().map(|v| json!(v.as_str())),
    );
    put(
        "AccessControlGrants",
        op.access_control_grants.as_deref().map(grants_json),
    );
    put(
        "StorageClass",
        op.storage_class().map(|v| json!(v.as_str())),
    );
    put("SSEAwsKmsKeyId", op.sse_aws_kms_key_id().map(|v| json!(v)));
    put(
        "BucketKeyEnabled",
        op.bucket_key_enabled.then_some(json!(true)),
    );
    put(
        "ObjectLockMode",
        op.object_lock_mode().map(|v| json!(v.as_str())),
    );
    put(
        "ObjectLockRetainUntilDate",
        op.object_lock_retain_until_date().map(|d| json!(date(d))),
    );
    put(
        "ObjectLockLegalHoldStatus",
        op.object_lock_legal_hold_status()
            .map(|v| json!(v.as_str())),
    );
    put(
        "ChecksumAlgorithm",
        op.checksum_algorithm().map(|v| json!(v.as_str())),
    );
    put("RequesterPays", op.requester_pays.then_some(json!(true)));
    put("RedirectLocation", op.redirect_location().map(|v| json!(v)));
    put(
        "ModifiedSinceConstraint",
        op.modified_since_constraint().map(|d| json!(date(d))),
    );
    put(
        "UnModifiedSinceConstraint",
        op.un_modified_since_constraint().map(|d| json!(date(d))),
    );
    put(
        "AnnotationDirective",
        op.annotation_directive().map(|v| json!(v.as_str())),
    );
    let mut fields = vec!["Bucket", "Key"];
    if p.manifest.versioned {
        fields.push("VersionId");
    }
    let prefix = p.reports.key.trim_end_matches('/');
    // Before the upload there is no ETag yet: left out, not null.
    let mut location = Map::new();
    location.insert(
        "ObjectArn".to_owned(),
        json!(object_arn(p.partition, &p.manifest.bucket, &p.manifest.key)),
    );
    if let Some(etag) = etag {
        location.insert("ETag".to_owned(), json!(etag));
    }
    let mut report = Map::new();
    report.insert(
        "Bucket".to_owned(),
        json!(bucket_arn(p.partition, &p.reports.bucket)),
    );
    report.insert("Format".to_owned(), json!("Report_CSV_20180820"));
    report.insert("Enabled".to_owned(), json!(true));
    if !prefix.is_empty() {
        report.insert("Prefix".to_owned(), json!(prefix));
    }
    report.insert("ReportScope".to_owned(), json!("FailedTasksOnly"));
    json!({
        "AccountId": p.account_id,
        "ConfirmationRequired": p.confirm,
        "Operation": {"S3PutObjectCopy": Value::Object(o)},
        "Manifest": {
            "Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": fields},
            "Location": location,
        },
        "Report": report,
        "ClientRequestToken": p.token,
        "Priority": p.priority,
        "RoleArn": p.role_arn,
        "Description": at_most(&p.description, MAX_DESCRIPTION),
    })
}

#[cfg(test)]
#[path = "job_tests.rs"]
mod tests;
