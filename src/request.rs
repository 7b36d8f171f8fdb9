//! The one place that maps a copy onto each S3 request. Every request s3cp
//! sends is built here, and each builder has a unit test that everything it
//! should carry reaches it. The multipart path derives CreateMultipartUpload
//! from the source's HEAD through [`create_multipart_upload`], so a copy above
//! the threshold carries what CopyObject would have carried.

use aws_sdk_s3::Client;
use aws_sdk_s3::operation::abort_multipart_upload::builders::AbortMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::complete_multipart_upload::builders::CompleteMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::copy_object::builders::CopyObjectFluentBuilder;
use aws_sdk_s3::operation::create_multipart_upload::builders::CreateMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::get_object_acl::builders::GetObjectAclFluentBuilder;
use aws_sdk_s3::operation::get_object_tagging::builders::GetObjectTaggingFluentBuilder;
use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use aws_sdk_s3::operation::head_object::builders::HeadObjectFluentBuilder;
use aws_sdk_s3::operation::list_multipart_uploads::builders::ListMultipartUploadsFluentBuilder;
use aws_sdk_s3::operation::list_objects_v2::builders::ListObjectsV2FluentBuilder;
use aws_sdk_s3::operation::list_parts::builders::ListPartsFluentBuilder;
use aws_sdk_s3::operation::upload_part_copy::builders::UploadPartCopyFluentBuilder;
use aws_sdk_s3::types::{
    CompletedMultipartUpload, CompletedPart, Grant, MetadataDirective as SdkMetadataDirective,
    Permission, StorageClass, TaggingDirective as SdkTaggingDirective, Type,
};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::job::CopyJob;
use crate::options::{
    Acl, ContentHeaders, CopyOptions, Grants, MetadataDirective, ObjectMetadata, TaggingDirective,
};
use crate::plan::Part;
use crate::uri::S3Uri;

/// What the source's HEAD says, kept for the copy: its identity (to pin every
/// part to it), what a CopyObject with the COPY directive would carry, and
/// what decides whether it can be copied at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceObject {
    pub size: u64,
    pub etag: String,
    /// The version HEADed; `None` on an unversioned bucket.
    pub version_id: Option<String>,
    pub last_modified: Option<DateTime>,
    pub meta: ObjectMetadata,
    pub storage_class: Option<StorageClass>,
    /// The `x-amz-restore` header of an archived object.
    pub restore: Option<String>,
    /// `x-amz-archive-status`: an Intelligent-Tiering archive tier.
    pub archive_status: Option<String>,
}

impl SourceObject {
    pub fn from_head(head: &HeadObjectOutput) -> Self {
        let expires = head.expires_string().and_then(|raw| {
            let parsed = DateTime::from_str(raw, Format::HttpDate).ok();
            if parsed.is_none() {
                tracing::warn!(
                    "the source's Expires header {raw:?} is not an HTTP date; not carried"
                );
            }
            parsed
        });
        Self {
            size: head.content_length().unwrap_or(0).max(0) as u64,
            etag: head.e_tag().unwrap_or_default().to_owned(),
            // "null" is how S3 names the version of an unversioned object.
            version_id: head
                .version_id()
                .filter(|v| !v.is_empty() && *v != "null")
                .map(str::to_owned),
            last_modified: head.last_modified().copied(),
            meta: ObjectMetadata {
                headers: ContentHeaders {
                    content_type: head.content_type().map(str::to_owned),
                    cache_control: head.cache_control().map(str::to_owned),
                    content_disposition: head.content_disposition().map(str::to_owned),
                    content_encoding: head.content_encoding().map(str::to_owned),
                    content_language: head.content_language().map(str::to_owned),
                    expires,
                },
                metadata: head.metadata().cloned().unwrap_or_default(),
            },
            storage_class: head.storage_class().cloned(),
            restore: head.restore().map(str::to_owned),
            archive_status: head.archive_status().map(|a| a.as_str().to_owned()),
        }
    }
}

/// Tags in the form `x-amz-tagging` wants: a URL query.
pub fn tagging_header(tags: &[(String, String)]) -> String {
    /// Keep only unreserved characters literal so that `+`, `&`, `=` and
    /// spaces in keys and values survive.
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    tags.iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, KEEP),
                utf8_percent_encode(v, KEEP)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The source's ACL as grant headers, so the destination gets the same.
pub fn grants_from_acl(acl: &[Grant]) -> Grants {
    let mut grants = Grants::default();
    for grant in acl {
        let Some(grantee) = grant.grantee() else {
            continue;
        };
        let who = match grantee.r#type() {
            Type::CanonicalUser => grantee.id().map(|id| format!("id=\"{id}\"")),
            Type::Group => grantee.uri().map(|uri| format!("uri=\"{uri}\"")),
            Type::AmazonCustomerByEmail => grantee
                .email_address()
                .map(|e| format!("emailAddress=\"{e}\"")),
            _ => None,
        };
        let Some(who) = who else { continue };
        let slot = match grant.permission() {
            Some(Permission::Read) => &mut grants.read,
            Some(Permission::ReadAcp) => &mut grants.read_acp,
            Some(Permission::WriteAcp) => &mut grants.write_acp,
            Some(Permission::FullControl) => &mut grants.full_control,
            _ => continue,
        };
        *slot = Some(match slot.take() {
            Some(list) => format!("{list}, {who}"),
            None => who,
        });
    }
    grants
}

/// An SSE-C key (`Option<&SseCKey>`) as the three
/// `x-amz-server-side-encryption-customer-*` headers.
macro_rules! sse_c {
    ($builder:expr, $key:expr) => {{
        let key: Option<&crate::options::SseCKey> = $key;
        $builder
            .set_sse_customer_algorithm(key.map(|k| k.algorithm.clone()))
            .set_sse_customer_key(key.map(|k| k.key_base64.clone()))
            .set_sse_customer_key_md5(key.map(|k| k.key_md5_base64.clone()))
    }};
}

/// The source's SSE-C key as the `x-amz-copy-source-server-side-encryption-
/// customer-*` headers.
macro_rules! copy_source_sse_c {
    ($builder:expr, $key:expr) => {{
        let key: Option<&crate::options::SseCKey> = $key;
        $builder
            .set_copy_source_sse_customer_algorithm(key.map(|k| k.algorithm.clone()))
            .set_copy_source_sse_customer_key(key.map(|k| k.key_base64.clone()))
            .set_copy_source_sse_customer_key_md5(key.map(|k| k.key_md5_base64.clone()))
    }};
}

/// The settings of the destination object that CopyObject and
/// CreateMultipartUpload both take, under the same names: set once here for
/// both builders, so the two paths cannot drift apart.
macro_rules! destination_settings {
    ($builder:expr, $opts:expr, $acl:expr) => {{
        let opts: &CopyOptions = $opts;
        let (canned, grants) = match $acl {
            Acl::Canned(c) => (Some(c.clone()), Grants::default()),
            Acl::Grants(g) => (None, g.clone()),
            Acl::Default | Acl::CopySource => (None, Grants::default()),
        };
        sse_c!($builder, opts.sse_c.as_ref())
            .set_acl(canned)
            .set_grant_read(grants.read)
            .set_grant_read_acp(grants.read_acp)
            .set_grant_write_acp(grants.write_acp)
            .set_grant_full_control(grants.full_control)
            .set_server_side_encryption(opts.encryption.sse.clone())
            .set_ssekms_key_id(opts.encryption.kms_key_id.clone())
            .set_ssekms_encryption_context(opts.encryption.kms_context.clone())
            .set_bucket_key_enabled(opts.encryption.bucket_key)
            .set_storage_class(opts.storage_class.clone())
            .set_object_lock_mode(opts.object_lock.mode.clone())
            .set_object_lock_retain_until_date(opts.object_lock.retain_until)
            .set_object_lock_legal_hold_status(opts.object_lock.legal_hold.clone())
            .set_website_redirect_location(opts.website_redirect.clone())
            .set_checksum_algorithm(opts.checksum_algorithm.clone())
            .set_request_payer(opts.request_payer.clone())
            .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
    }};
}

/// Headers and metadata as explicit request fields.
macro_rules! object_metadata {
    ($builder:expr, $meta:expr) => {{
        let meta: ObjectMetadata = $meta;
        $builder
            .set_content_type(meta.headers.content_type)
            .set_cache_control(meta.headers.cache_control)
            .set_content_disposition(meta.headers.content_disposition)
            .set_content_encoding(meta.headers.content_encoding)
            .set_content_language(meta.headers.content_language)
            .set_expires(meta.headers.expires)
            .set_metadata(Some(meta.metadata).filter(|m| !m.is_empty()))
    }};
}

pub fn head_source(client: &Client, src: &S3Uri, opts: &CopyOptions) -> HeadObjectFluentBuilder {
    let req = client
        .head_object()
        .bucket(&src.bucket)
        .key(&src.key)
        .set_version_id(src.version_id.clone());
    sse_c!(req, opts.sse_c_source.as_ref())
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// Reads the tags of exactly the version that was HEADed.
pub fn get_source_tagging(
    client: &Client,
    src: &S3Uri,
    source: &SourceObject,
    opts: &CopyOptions,
) -> GetObjectTaggingFluentBuilder {
    client
        .get_object_tagging()
        .bucket(&src.bucket)
        .key(&src.key)
        .set_version_id(source.version_id.clone().or(src.version_id.clone()))
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// Reads the ACL of exactly the version that was HEADed (`--copy-acl`).
pub fn get_source_acl(
    client: &Client,
    src: &S3Uri,
    source: &SourceObject,
    opts: &CopyOptions,
) -> GetObjectAclFluentBuilder {
    client
        .get_object_acl()
        .bucket(&src.bucket)
        .key(&src.key)
        .set_version_id(source.version_id.clone().or(src.version_id.clone()))
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// One atomic CopyObject. With the COPY directives S3 itself carries the
/// source's metadata and tags; REPLACE and MERGE send what
/// [`crate::options::MetadataOptions::resolve`] decides. `acl` is the
/// resolved ACL (`--copy-acl` already read into grants).
pub fn copy_object(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    acl: &Acl,
) -> CopyObjectFluentBuilder {
    // Pinned to the version that was HEADed (when there was a HEAD and the
    // bucket is versioned); MERGE and --copy-acl also pin its ETag, since
    // what they send was read from that object.
    let read_from_source =
        opts.metadata.directive == MetadataDirective::Merge || opts.acl == Acl::CopySource;
    let pin_etag =
        (read_from_source && opts.conditions.if_match.is_none() && !source.etag.is_empty())
            .then(|| source.etag.clone());
    let req = client
        .copy_object()
        .copy_source(job.src.copy_source(source.version_id.as_deref()))
        .bucket(&job.dst.bucket)
        .key(&job.dst.key);
    let req = destination_settings!(req, opts, acl);
    let req = match opts.metadata.directive {
        MetadataDirective::Copy => req,
        MetadataDirective::Replace | MetadataDirective::Merge => object_metadata!(
            req.metadata_directive(SdkMetadataDirective::Replace),
            opts.metadata.resolve(&source.meta)
        ),
    };
    let req = match opts.tagging.directive {
        TaggingDirective::Copy => req,
        TaggingDirective::Replace => req
            .tagging_directive(SdkTaggingDirective::Replace)
            .set_tagging(Some(tagging_header(&opts.tagging.tags)).filter(|t| !t.is_empty())),
    };
    let conditions = &opts.conditions;
    copy_source_sse_c!(req, opts.sse_c_source.as_ref())
        .set_copy_source_if_match(conditions.if_match.clone().or(pin_etag))
        .set_copy_source_if_none_match(conditions.if_none_match.clone())
        .set_copy_source_if_modified_since(conditions.if_modified_since)
        .set_copy_source_if_unmodified_since(conditions.if_unmodified_since)
        .set_if_none_match(opts.no_overwrite.then(|| "*".to_owned()))
        .set_expected_source_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// CreateMultipartUpload carrying what CopyObject would have carried: the
/// headers and metadata the directive resolves to, the
/// `tags` (the source's under COPY, those given under REPLACE), and every
/// destination setting.
pub fn create_multipart_upload(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    acl: &Acl,
    tags: &[(String, String)],
) -> CreateMultipartUploadFluentBuilder {
    let req = client
        .create_multipart_upload()
        .bucket(&job.dst.bucket)
        .key(&job.dst.key);
    // Like CopyObject, which never copies the source's redirect (it is "not
    // copied when using the x-amz-metadata-directive header", API reference):
    // only --website-redirect sets one.
    let req = destination_settings!(req, opts, acl);
    object_metadata!(req, opts.metadata.resolve(&source.meta))
        .set_tagging(Some(tagging_header(tags)).filter(|t| !t.is_empty()))
}

/// One part, pinned to the object that was HEADed: its version id in the
/// copy source and its ETag as `x-amz-copy-source-if-match`, so a source
/// overwritten mid-copy fails the part (412) instead of mixing two versions.
/// The user's other source conditions ride along on every part.
pub fn upload_part_copy(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    upload_id: &str,
    part: Part,
) -> UploadPartCopyFluentBuilder {
    let conditions = &opts.conditions;
    let req = client
        .upload_part_copy()
        .copy_source(job.src.copy_source(source.version_id.as_deref()))
        .copy_source_if_match(&source.etag)
        .set_copy_source_if_none_match(conditions.if_none_match.clone())
        .set_copy_source_if_modified_since(conditions.if_modified_since)
        .set_copy_source_if_unmodified_since(conditions.if_unmodified_since)
        .copy_source_range(part.range_header())
        .bucket(&job.dst.bucket)
        .key(&job.dst.key)
        .upload_id(upload_id)
        .part_number(part.number);
    let req = sse_c!(req, opts.sse_c.as_ref());
    copy_source_sse_c!(req, opts.sse_c_source.as_ref())
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
        .set_expected_source_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// CompleteMultipartUpload with the parts in part-number order; with
/// `--no-overwrite`, `If-None-Match: *` makes it fail atomically when the
/// destination exists.
pub fn complete_multipart_upload(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
    upload_id: &str,
    mut parts: Vec<CompletedPart>,
) -> CompleteMultipartUploadFluentBuilder {
    parts.sort_by_key(|p| p.part_number());
    let req = client
        .complete_multipart_upload()
        .bucket(&job.dst.bucket)
        .key(&job.dst.key)
        .upload_id(upload_id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(parts))
                .build(),
        );
    sse_c!(req, opts.sse_c.as_ref())
        .set_if_none_match(opts.no_overwrite.then(|| "*".to_owned()))
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

/// ListParts of an upload to the destination (`--resume`); its
/// `into_paginator()` follows the part-number markers.
pub fn list_parts(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
    upload_id: &str,
) -> ListPartsFluentBuilder {
    let req = client
        .list_parts()
        .bucket(&job.dst.bucket)
        .key(&job.dst.key)
        .upload_id(upload_id);
    sse_c!(req, opts.sse_c.as_ref())
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

/// The incomplete uploads to (keys beginning with) the destination key.
pub fn list_destination_uploads(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
) -> ListMultipartUploadsFluentBuilder {
    client
        .list_multipart_uploads()
        .bucket(&job.dst.bucket)
        .prefix(&job.dst.key)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

/// HEAD of the destination (whether a Complete whose answer was lost did
/// complete the object).
pub fn head_destination(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
) -> HeadObjectFluentBuilder {
    let req = client
        .head_object()
        .bucket(&job.dst.bucket)
        .key(&job.dst.key);
    sse_c!(req, opts.sse_c.as_ref())
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

pub fn abort_multipart_upload(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
    upload_id: &str,
) -> AbortMultipartUploadFluentBuilder {
    client
        .abort_multipart_upload()
        .bucket(&job.dst.bucket)
        .key(&job.dst.key)
        .upload_id(upload_id)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

/// One ListObjectsV2 of the objects under a source prefix (a bulk run's
/// listing; page it with `into_paginator()`), as the source's reader:
/// `--request-payer` and `--expected-source-bucket-owner`.
pub fn list_objects(
    client: &Client,
    src: &S3Uri,
    opts: &CopyOptions,
) -> ListObjectsV2FluentBuilder {
    client
        .list_objects_v2()
        .bucket(&src.bucket)
        .prefix(&src.key)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// The incomplete uploads under `s3cp uploads`' bucket and prefix, from the
/// markers of the previous page (the SDK has no paginator for this one).
pub fn list_uploads(
    client: &Client,
    at: &S3Uri,
    key_marker: Option<String>,
    upload_id_marker: Option<String>,
) -> ListMultipartUploadsFluentBuilder {
    client
        .list_multipart_uploads()
        .bucket(&at.bucket)
        .prefix(&at.key)
        .set_key_marker(key_marker)
        .set_upload_id_marker(upload_id_marker)
}

/// `s3cp uploads abort`: one listed upload.
pub fn abort_upload(
    client: &Client,
    bucket: &str,
    key: &str,
    upload_id: &str,
) -> AbortMultipartUploadFluentBuilder {
    client
        .abort_multipart_upload()
        .bucket(bucket)
        .key(key)
        .upload_id(upload_id)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::options::{
        Encryption, MetadataOptions, ObjectLock, SourceConditions, SseCKey, TaggingOptions,
    };
    use aws_sdk_s3::config::{BehaviorVersion, Region};
    use aws_sdk_s3::types::{
        ChecksumAlgorithm, Grantee, ObjectCannedAcl, ObjectLockLegalHoldStatus, ObjectLockMode,
        RequestPayer, ServerSideEncryption,
    };

    fn client() -> Client {
        let conf = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .build();
        Client::from_conf(conf)
    }

    fn job() -> CopyJob {
        CopyJob {
            src: S3Uri::parse_source("s3://src/dir/a b+c.txt?versionId=v1").unwrap(),
            dst: S3Uri::parse_destination("s3://dst/out/x.txt").unwrap(),
        }
    }

    fn source() -> SourceObject {
        SourceObject {
            size: 12 << 20,
            etag: "\"abc\"".into(),
            version_id: Some("v1".into()),
            last_modified: Some(DateTime::from_secs(1_000)),
            meta: ObjectMetadata {
                headers: ContentHeaders {
                    content_type: Some("text/plain".into()),
                    cache_control: Some("max-age=60".into()),
                    content_disposition: Some("attachment; filename=\"x.txt\"".into()),
                    content_encoding: Some("gzip".into()),
                    content_language: Some("de-CH".into()),
                    expires: Some(DateTime::from_secs(1_445_412_480)),
                },
                metadata: HashMap::from([("colour".into(), "blue".into())]),
            },
            storage_class: None,
            restore: None,
            archive_status: None,
        }
    }

    fn key(byte: u8) -> SseCKey {
        SseCKey {
            algorithm: "AES256".into(),
            key_base64: format!("key-{byte}"),
            key_md5_base64: format!("md5-{byte}"),
        }
    }

    /// Every option set, so each request's test can check what reaches it.
    fn everything() -> CopyOptions {
        CopyOptions {
            metadata: MetadataOptions {
                directive: MetadataDirective::Merge,
                headers: ContentHeaders {
                    content_type: Some("image/png".into()),
                    ..Default::default()
                },
                metadata: HashMap::from([("size".into(), "large".into())]),
            },
            tagging: TaggingOptions {
                directive: TaggingDirective::Replace,
                tags: vec![("k".into(), "v w".into())],
            },
            acl: Acl::Grants(Grants {
                read: Some("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"".into()),
                read_acp: Some("id=\"r\"".into()),
                write_acp: Some("id=\"w\"".into()),
                full_control: Some("id=\"f\"".into()),
            }),
            encryption: Encryption {
                sse: Some(ServerSideEncryption::AwsKms),
                kms_key_id: Some("alias/k".into()),
                kms_context: Some("e30=".into()),
                bucket_key: Some(true),
            },
            sse_c: Some(key(1)),
            sse_c_source: Some(key(2)),
            storage_class: Some(StorageClass::StandardIa),
            object_lock: ObjectLock {
                mode: Some(ObjectLockMode::Governance),
                retain_until: Some(DateTime::from_secs(2_000_000_000)),
                legal_hold: Some(ObjectLockLegalHoldStatus::On),
            },
            website_redirect: Some("/elsewhere".into()),
            checksum_algorithm: Some(ChecksumAlgorithm::Crc32C),
            conditions: SourceConditions {
                if_match: Some("\"abc\"".into()),
                if_none_match: Some("\"zzz\"".into()),
                if_modified_since: Some(DateTime::from_secs(10)),
                if_unmodified_since: Some(DateTime::from_secs(20)),
            },
            no_overwrite: true,
            request_payer: Some(RequestPayer::Requester),
            expected_bucket_owner: Some("111111111111".into()),
            expected_source_bucket_owner: Some("222222222222".into()),
        }
    }

    #[test]
    fn head_tagging_and_acl_reads_target_the_source_version() {
        let (c, j, o) = (client(), job(), everything());
        let head = head_source(&c, &j.src, &o);
        let h = head.as_input();
        assert_eq!(h.get_bucket().as_deref(), Some("src"));
        assert_eq!(h.get_key().as_deref(), Some("dir/a b+c.txt"));
        assert_eq!(h.get_version_id().as_deref(), Some("v1"));
        assert_eq!(
            h.get_sse_customer_key().as_deref(),
            Some("key-2"),
            "source key"
        );
        assert_eq!(h.get_sse_customer_key_md5().as_deref(), Some("md5-2"));
        assert_eq!(h.get_sse_customer_algorithm().as_deref(), Some("AES256"));
        assert_eq!(h.get_request_payer(), &Some(RequestPayer::Requester));
        assert_eq!(
            h.get_expected_bucket_owner().as_deref(),
            Some("222222222222")
        );
        let tagging = get_source_tagging(&c, &j.src, &source(), &o);
        let t = tagging.as_input();
        assert_eq!(t.get_version_id().as_deref(), Some("v1"));
        assert_eq!(t.get_request_payer(), &Some(RequestPayer::Requester));
        assert_eq!(
            t.get_expected_bucket_owner().as_deref(),
            Some("222222222222")
        );
        let acl = get_source_acl(&c, &j.src, &source(), &o);
        let a = acl.as_input();
        assert_eq!(a.get_version_id().as_deref(), Some("v1"));
        assert_eq!(
            a.get_expected_bucket_owner().as_deref(),
            Some("222222222222")
        );
    }

    #[test]
    fn copy_object_with_defaults_sends_no_directive() {
        let (c, o) = (client(), CopyOptions::default());
        let req = copy_object(&c, &job(), &source(), &o, &Acl::Default);
        let i = req.as_input();
        assert_eq!(
            i.get_copy_source().as_deref(),
            Some("src/dir/a%20b%2Bc.txt?versionId=v1")
        );
        assert_eq!(i.get_bucket().as_deref(), Some("dst"));
        assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
        // No directive: S3's default, COPY, carries metadata and tags.
        assert_eq!(i.get_metadata_directive(), &None);
        assert_eq!(i.get_tagging_directive(), &None);
        assert_eq!(i.get_content_type(), &None);
        assert_eq!(i.get_metadata(), &None);
        assert_eq!(i.get_acl(), &None);
        assert_eq!(i.get_if_none_match(), &None);
        assert_eq!(i.get_website_redirect_location(), &None);
    }

    #[test]
    fn copy_object_carries_every_option() {
        let (c, o) = (client(), everything());
        let req = copy_object(&c, &job(), &source(), &o, &o.acl);
        let i = req.as_input();
        // MERGE: REPLACE on the wire, with the source's headers overridden.
        assert_eq!(
            i.get_metadata_directive(),
            &Some(SdkMetadataDirective::Replace)
        );
        assert_eq!(i.get_content_type().as_deref(), Some("image/png"));
        assert_eq!(i.get_cache_control().as_deref(), Some("max-age=60"));
        assert_eq!(i.get_content_language().as_deref(), Some("de-CH"));
        assert_eq!(i.get_expires().map(|d| d.secs()), Some(1_445_412_480));
        assert_eq!(
            i.get_metadata().as_ref(),
            Some(&HashMap::from([
                ("colour".into(), "blue".into()),
                ("size".into(), "large".into())
            ]))
        );
        assert_eq!(
            i.get_tagging_directive(),
            &Some(SdkTaggingDirective::Replace)
        );
        assert_eq!(i.get_tagging().as_deref(), Some("k=v%20w"));
        assert_eq!(i.get_acl(), &None);
        assert!(i.get_grant_read().as_deref().unwrap().contains("AllUsers"));
        assert_eq!(i.get_grant_read_acp().as_deref(), Some("id=\"r\""));
        assert_eq!(i.get_grant_write_acp().as_deref(), Some("id=\"w\""));
        assert_eq!(i.get_grant_full_control().as_deref(), Some("id=\"f\""));
        assert_eq!(
            i.get_server_side_encryption(),
            &Some(ServerSideEncryption::AwsKms)
        );
        assert_eq!(i.get_ssekms_key_id().as_deref(), Some("alias/k"));
        assert_eq!(i.get_ssekms_encryption_context().as_deref(), Some("e30="));
        assert_eq!(i.get_bucket_key_enabled(), &Some(true));
        assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
        assert_eq!(i.get_sse_customer_key_md5().as_deref(), Some("md5-1"));
        assert_eq!(i.get_sse_customer_algorithm().as_deref(), Some("AES256"));
        assert_eq!(
            i.get_copy_source_sse_customer_key().as_deref(),
            Some("key-2")
        );
        assert_eq!(
            i.get_copy_source_sse_customer_key_md5().as_deref(),
            Some("md5-2")
        );
        assert_eq!(
            i.get_copy_source_sse_customer_algorithm().as_deref(),
            Some("AES256")
        );
        assert_eq!(i.get_storage_class(), &Some(StorageClass::StandardIa));
        assert_eq!(i.get_object_lock_mode(), &Some(ObjectLockMode::Governance));
        assert_eq!(
            i.get_object_lock_retain_until_date().map(|d| d.secs()),
            Some(2_000_000_000)
        );
        assert_eq!(
            i.get_object_lock_legal_hold_status(),
            &Some(ObjectLockLegalHoldStatus::On)
        );
        assert_eq!(
            i.get_website_redirect_location().as_deref(),
            Some("/elsewhere")
        );
        assert_eq!(i.get_checksum_algorithm(), &Some(ChecksumAlgorithm::Crc32C));
        assert_eq!(i.get_copy_source_if_match().as_deref(), Some("\"abc\""));
        assert_eq!(
            i.get_copy_source_if_none_match().as_deref(),
            Some("\"zzz\"")
        );
        assert_eq!(
            i.get_copy_source_if_modified_since().map(|d| d.secs()),
            Some(10)
        );
        assert_eq!(
            i.get_copy_source_if_unmodified_since().map(|d| d.secs()),
            Some(20)
        );
        assert_eq!(i.get_if_none_match().as_deref(), Some("*"));
        assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
        assert_eq!(
            i.get_expected_bucket_owner().as_deref(),
            Some("111111111111")
        );
        assert_eq!(
            i.get_expected_source_bucket_owner().as_deref(),
            Some("222222222222")
        );
    }

    #[test]
    fn copy_object_merge_is_pinned_to_the_headed_object() {
        let c = client();
        let mut o = CopyOptions::default();
        o.metadata.directive = MetadataDirective::Merge;
        let mut j = job();
        j.src.version_id = None;
        let req = copy_object(&c, &j, &source(), &o, &Acl::Default);
        let i = req.as_input();
        assert_eq!(
            i.get_copy_source().as_deref(),
            Some("src/dir/a%20b%2Bc.txt?versionId=v1")
        );
        assert_eq!(i.get_copy_source_if_match().as_deref(), Some("\"abc\""));
        // COPY sends nothing read from the source: no ETag pin.
        let plain = copy_object(&c, &j, &source(), &CopyOptions::default(), &Acl::Default);
        assert_eq!(plain.as_input().get_copy_source_if_match(), &None);
    }

    #[test]
    fn copy_object_canned_acl_and_replace() {
        let c = client();
        let mut o = CopyOptions::default();
        o.metadata.directive = MetadataDirective::Replace;
        o.metadata.headers.content_type = Some("a/b".into());
        let acl = Acl::Canned(ObjectCannedAcl::PublicRead);
        let req = copy_object(&c, &job(), &source(), &o, &acl);
        let i = req.as_input();
        assert_eq!(i.get_acl(), &Some(ObjectCannedAcl::PublicRead));
        assert_eq!(i.get_grant_read(), &None);
        assert_eq!(
            i.get_metadata_directive(),
            &Some(SdkMetadataDirective::Replace)
        );
        assert_eq!(i.get_content_type().as_deref(), Some("a/b"));
        assert_eq!(
            i.get_cache_control(),
            &None,
            "REPLACE drops the source's headers"
        );
        assert_eq!(i.get_metadata(), &None);
        assert_eq!(i.get_website_redirect_location(), &None);
    }

    #[test]
    fn create_multipart_upload_carries_what_copy_object_would() {
        // COPY directives: the source's headers, metadata, redirect and tags
        // must be set explicitly.
        let (c, s, o) = (client(), source(), CopyOptions::default());
        let tags = [
            ("a b".to_owned(), "x+y&z".to_owned()),
            ("k".into(), "v".into()),
        ];
        let req = create_multipart_upload(&c, &job(), &s, &o, &Acl::Default, &tags);
        let i = req.as_input();
        assert_eq!(i.get_bucket().as_deref(), Some("dst"));
        assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
        let h = &s.meta.headers;
        assert_eq!(i.get_content_type(), &h.content_type);
        assert_eq!(i.get_cache_control(), &h.cache_control);
        assert_eq!(i.get_content_disposition(), &h.content_disposition);
        assert_eq!(i.get_content_encoding(), &h.content_encoding);
        assert_eq!(i.get_content_language(), &h.content_language);
        assert_eq!(i.get_expires(), &h.expires);
        assert_eq!(i.get_metadata().as_ref(), Some(&s.meta.metadata));
        assert_eq!(
            i.get_website_redirect_location(),
            &None,
            "CopyObject never copies the source's redirect"
        );
        assert_eq!(i.get_tagging().as_deref(), Some("a%20b=x%2By%26z&k=v"));
        assert_eq!(i.get_acl(), &None);
        assert_eq!(i.get_storage_class(), &None);
    }

    #[test]
    fn create_multipart_upload_carries_every_option() {
        let (c, o) = (client(), everything());
        let req = create_multipart_upload(&c, &job(), &source(), &o, &o.acl, &o.tagging.tags);
        let i = req.as_input();
        assert_eq!(i.get_content_type().as_deref(), Some("image/png"));
        assert_eq!(i.get_cache_control().as_deref(), Some("max-age=60"));
        assert_eq!(i.get_metadata().as_ref().map(|m| m.len()), Some(2));
        assert_eq!(i.get_tagging().as_deref(), Some("k=v%20w"));
        assert_eq!(i.get_grant_read_acp().as_deref(), Some("id=\"r\""));
        assert_eq!(i.get_grant_write_acp().as_deref(), Some("id=\"w\""));
        assert_eq!(i.get_grant_full_control().as_deref(), Some("id=\"f\""));
        assert!(i.get_grant_read().is_some());
        assert_eq!(
            i.get_server_side_encryption(),
            &Some(ServerSideEncryption::AwsKms)
        );
        assert_eq!(i.get_ssekms_key_id().as_deref(), Some("alias/k"));
        assert_eq!(i.get_ssekms_encryption_context().as_deref(), Some("e30="));
        assert_eq!(i.get_bucket_key_enabled(), &Some(true));
        assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
        assert_eq!(i.get_sse_customer_key_md5().as_deref(), Some("md5-1"));
        assert_eq!(i.get_storage_class(), &Some(StorageClass::StandardIa));
        assert_eq!(i.get_object_lock_mode(), &Some(ObjectLockMode::Governance));
        assert!(i.get_object_lock_retain_until_date().is_some());
        assert_eq!(
            i.get_object_lock_legal_hold_status(),
            &Some(ObjectLockLegalHoldStatus::On)
        );
        assert_eq!(
            i.get_website_redirect_location().as_deref(),
            Some("/elsewhere")
        );
        assert_eq!(i.get_checksum_algorithm(), &Some(ChecksumAlgorithm::Crc32C));
        assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
        assert_eq!(
            i.get_expected_bucket_owner().as_deref(),
            Some("111111111111")
        );
    }

    #[test]
    fn create_multipart_upload_sends_no_empty_fields() {
        let c = client();
        let s = SourceObject {
            size: 1,
            etag: "\"e\"".into(),
            ..Default::default()
        };
        let req =
            create_multipart_upload(&c, &job(), &s, &CopyOptions::default(), &Acl::Default, &[]);
        let i = req.as_input();
        assert_eq!(i.get_metadata(), &None);
        assert_eq!(i.get_tagging(), &None);
        assert_eq!(i.get_content_type(), &None);
        assert_eq!(i.get_expires(), &None);
        assert_eq!(i.get_sse_customer_key(), &None);
    }

    #[test]
    fn upload_part_copy_is_pinned_and_carries_every_option() {
        let (c, o) = (client(), everything());
        let mut j = job();
        // The URI named no version, but the HEAD found one: pin to it.
        j.src.version_id = None;
        let part = Part {
            number: 3,
            first: 10,
            last: 19,
        };
        let req = upload_part_copy(&c, &j, &source(), &o, "up-1", part);
        let i = req.as_input();
        assert_eq!(
            i.get_copy_source().as_deref(),
            Some("src/dir/a%20b%2Bc.txt?versionId=v1")
        );
        assert_eq!(i.get_copy_source_if_match().as_deref(), Some("\"abc\""));
        assert_eq!(
            i.get_copy_source_if_none_match().as_deref(),
            Some("\"zzz\"")
        );
        assert_eq!(
            i.get_copy_source_if_modified_since().map(|d| d.secs()),
            Some(10)
        );
        assert_eq!(
            i.get_copy_source_if_unmodified_since().map(|d| d.secs()),
            Some(20)
        );
        assert_eq!(i.get_copy_source_range().as_deref(), Some("bytes=10-19"));
        assert_eq!(i.get_upload_id().as_deref(), Some("up-1"));
        assert_eq!(i.get_part_number(), &Some(3));
        assert_eq!(i.get_bucket().as_deref(), Some("dst"));
        assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
        assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
        assert_eq!(i.get_sse_customer_key_md5().as_deref(), Some("md5-1"));
        assert_eq!(
            i.get_copy_source_sse_customer_key().as_deref(),
            Some("key-2")
        );
        assert_eq!(
            i.get_copy_source_sse_customer_key_md5().as_deref(),
            Some("md5-2")
        );
        assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
        assert_eq!(
            i.get_expected_bucket_owner().as_deref(),
            Some("111111111111")
        );
        assert_eq!(
            i.get_expected_source_bucket_owner().as_deref(),
            Some("222222222222")
        );
    }

    #[test]
    fn complete_sorts_parts_and_carries_no_overwrite_and_keys() {
        let (c, o) = (client(), everything());
        let parts = [2, 1, 3]
            .map(|n| {
                CompletedPart::builder()
                    .part_number(n)
                    .e_tag(format!("e{n}"))
                    .build()
            })
            .to_vec();
        let req = complete_multipart_upload(&c, &job(), &o, "up-1", parts);
        let i = req.as_input();
        let numbers: Vec<_> = i
            .get_multipart_upload()
            .as_ref()
            .unwrap()
            .parts()
            .iter()
            .map(|p| p.part_number().unwrap())
            .collect();
        assert_eq!(numbers, [1, 2, 3]);
        assert_eq!(i.get_upload_id().as_deref(), Some("up-1"));
        assert_eq!(i.get_if_none_match().as_deref(), Some("*"));
        assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
        assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
        assert_eq!(
            i.get_expected_bucket_owner().as_deref(),
            Some("111111111111")
        );
        let plain = complete_multipart_upload(&c, &job(), &CopyOptions::default(), "u", vec![]);
        assert_eq!(plain.as_input().get_if_none_match(), &None);
    }

    #[test]
    fn destination_reads_carry_the_key_payer_and_owner() {
        let (c, o) = (client(), everything());
        let parts = list_parts(&c, &job(), &o, "up-1");
        let i = parts.as_input();
        assert_eq!(i.get_upload_id().as_deref(), Some("up-1"));
        assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
        assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
        assert_eq!(
            i.get_expected_bucket_owner().as_deref(),
            Some("111111111111")
        );
        let head = head_destination(&c, &job(), &o);
        let i = head.as_input();
        assert_eq!(
            (i.get_bucket().as_deref(), i.get_key().as_deref()),
            (Some("dst"), Some("out/x.txt"))
        );
        assert_eq!(i.get_sse_customer_key_md5().as_deref(), Some("md5-1"));
        assert_eq!(
            i.get_expected_bucket_owner().as_deref(),
            Some("111111111111")
        );
        let ups = list_destination_uploads(&c, &job(), &o);
        let i = ups.as_input();
        assert_eq!(i.get_prefix().as_deref(), Some("out/x.txt"));
        assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    }

    #[test]
    fn abort_names_the_upload() {
        let (c, o) = (client(), everything());
        let abort = abort_multipart_upload(&c, &job(), &o, "up-1");
        let i = abort.as_input();
        assert_eq!(i.get_upload_id().as_deref(), Some("up-1"));
        assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
        assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
        assert_eq!(
            i.get_expected_bucket_owner().as_deref(),
            Some("111111111111")
        );
    }

    #[test]
    fn source_acl_becomes_grant_headers() {
        let grant = |grantee: Grantee, p: Permission| {
            Grant::builder().grantee(grantee).permission(p).build()
        };
        let owner = Grantee::builder()
            .r#type(Type::CanonicalUser)
            .id("owner1")
            .build()
            .unwrap();
        let all = Grantee::builder()
            .r#type(Type::Group)
            .uri("http://acs.amazonaws.com/groups/global/AllUsers")
            .build()
            .unwrap();
        let g = grants_from_acl(&[
            grant(owner.clone(), Permission::FullControl),
            grant(all, Permission::Read),
            grant(owner, Permission::Read),
        ]);
        assert_eq!(g.full_control.as_deref(), Some("id=\"owner1\""));
        assert_eq!(
            g.read.as_deref(),
            Some("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\", id=\"owner1\"")
        );
        assert_eq!(g.read_acp, None);
    }

    #[test]
    fn listings_carry_the_payer_and_the_owner() {
        let (c, o) = (client(), everything());
        let src = S3Uri::parse_destination("s3://src/dir/").unwrap();
        let list = list_objects(&c, &src, &o);
        let i = list.as_input();
        assert_eq!(
            (i.get_bucket().as_deref(), i.get_prefix().as_deref()),
            (Some("src"), Some("dir/"))
        );
        assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
        assert_eq!(
            i.get_expected_bucket_owner().as_deref(),
            Some("222222222222"),
            "the source bucket's owner"
        );
        let plain = list_objects(&c, &src, &CopyOptions::default());
        assert_eq!(plain.as_input().get_request_payer(), &None);
        assert_eq!(plain.as_input().get_expected_bucket_owner(), &None);
        let ups = list_uploads(&c, &src, Some("k".into()), Some("u".into()));
        let i = ups.as_input();
        assert_eq!(i.get_prefix().as_deref(), Some("dir/"));
        assert_eq!(i.get_key_marker().as_deref(), Some("k"));
        assert_eq!(i.get_upload_id_marker().as_deref(), Some("u"));
        let abort = abort_upload(&c, "dst", "dir/k", "up-9");
        let i = abort.as_input();
        assert_eq!(
            (
                i.get_bucket().as_deref(),
                i.get_key().as_deref(),
                i.get_upload_id().as_deref()
            ),
            (Some("dst"), Some("dir/k"), Some("up-9"))
        );
    }
}
