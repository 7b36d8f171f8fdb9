//! The one place that maps a copy onto each S3 request. Every request s3cp
//! sends is built here, and each builder has a unit test that everything it
//! should carry reaches it. The multipart path derives CreateMultipartUpload
//! from the source's HEAD through [`create_multipart_upload`], so a copy above
//! the threshold carries what CopyObject would have carried.

use aws_sdk_s3::Client;
use aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};
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
    ChecksumAlgorithm, CompletedMultipartUpload, CompletedPart, Grant,
    MetadataDirective as SdkMetadataDirective, ObjectCannedAcl, Permission, RequestPayer,
    StorageClass, TaggingDirective as SdkTaggingDirective, Type,
};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::job::CopyJob;
use crate::options::{
    Acl, ContentHeaders, CopyOptions, Encryption, Grants, MetadataDirective, ObjectLock,
    ObjectMetadata, SseCKey, TaggingDirective,
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

/// The object key as a request builder gets it. The SDK refuses a key made
/// only of whitespace before it sends anything: the endpoint parameters of
/// every operation drop a key whose `trim()` is empty, then fail with
/// "missing field key" (aws-sdk-rust#1216), although S3 stores such keys
/// and boto3 and aws-cli copy them. Such a key gets a marker appended,
/// which takes it past that check (S3's endpoint rules never read the
/// key); [`LiteralKeys`], on the client, removes the marker from the
/// request's URI before it is signed, so S3 receives the key exactly as
/// given. Any other key is returned as it is.
pub fn literal_key(key: &str) -> String {
    if key.is_empty() || !key.trim().is_empty() {
        return key.to_owned();
    }
    format!("{key}{}", marker().0)
}

/// The marker (a NUL and a random number drawn once per process, so no
/// real key can end with it) and its percent-encoded form in a URI path.
fn marker() -> &'static (String, String) {
    static MARKER: std::sync::LazyLock<(String, String)> = std::sync::LazyLock::new(|| {
        use std::hash::BuildHasher;
        let nonce = std::collections::hash_map::RandomState::new().hash_one("s3cp");
        (format!("\0{nonce:016x}"), format!("%00{nonce:016x}"))
    });
    &MARKER
}

/// Removes the marker of [`literal_key`] from a request URI, if it is there.
fn strip_marker(uri: &str) -> Option<String> {
    let encoded = &marker().1;
    uri.contains(encoded.as_str())
        .then(|| uri.replacen(encoded.as_str(), "", 1))
}

/// The client interceptor that completes [`literal_key`]: before a request
/// is signed (on every attempt), the marker is taken out of its URI.
#[derive(Debug, Clone, Copy, Default)]
pub struct LiteralKeys;

impl Intercept for LiteralKeys {
    fn name(&self) -> &'static str {
        "s3cp::LiteralKeys"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if let Some(uri) = strip_marker(request.uri()) {
            request.set_uri(uri)?;
        }
        Ok(())
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A builder that takes an SSE-C key as the three
/// `x-amz-server-side-encryption-customer-*` headers (`None`: none sent).
trait WithSseC: Sized {
    fn sse_c(self, key: Option<&SseCKey>) -> Self;
}

/// A builder that takes the source's SSE-C key as the three
/// `x-amz-copy-source-server-side-encryption-customer-*` headers.
trait WithCopySourceSseC: Sized {
    fn copy_source_sse_c(self, key: Option<&SseCKey>) -> Self;
}

/// An SSE-C key as (algorithm, key, key MD5), the order of both triples.
fn sse_c_fields(key: Option<&SseCKey>) -> (Option<String>, Option<String>, Option<String>) {
    (
        key.map(|k| k.algorithm.clone()),
        key.map(|k| k.key_base64.clone()),
        key.map(|k| k.key_md5_base64.clone()),
    )
}

impl WithSseC for HeadObjectFluentBuilder {
    fn sse_c(self, key: Option<&SseCKey>) -> Self {
        let (algorithm, key, md5) = sse_c_fields(key);
        self.set_sse_customer_algorithm(algorithm)
            .set_sse_customer_key(key)
            .set_sse_customer_key_md5(md5)
    }
}

impl WithSseC for CopyObjectFluentBuilder {
    fn sse_c(self, key: Option<&SseCKey>) -> Self {
        let (algorithm, key, md5) = sse_c_fields(key);
        self.set_sse_customer_algorithm(algorithm)
            .set_sse_customer_key(key)
            .set_sse_customer_key_md5(md5)
    }
}

impl WithSseC for CreateMultipartUploadFluentBuilder {
    fn sse_c(self, key: Option<&SseCKey>) -> Self {
        let (algorithm, key, md5) = sse_c_fields(key);
        self.set_sse_customer_algorithm(algorithm)
            .set_sse_customer_key(key)
            .set_sse_customer_key_md5(md5)
    }
}

impl WithSseC for UploadPartCopyFluentBuilder {
    fn sse_c(self, key: Option<&SseCKey>) -> Self {
        let (algorithm, key, md5) = sse_c_fields(key);
        self.set_sse_customer_algorithm(algorithm)
            .set_sse_customer_key(key)
            .set_sse_customer_key_md5(md5)
    }
}

impl WithSseC for CompleteMultipartUploadFluentBuilder {
    fn sse_c(self, key: Option<&SseCKey>) -> Self {
        let (algorithm, key, md5) = sse_c_fields(key);
        self.set_sse_customer_algorithm(algorithm)
            .set_sse_customer_key(key)
            .set_sse_customer_key_md5(md5)
    }
}

impl WithSseC for ListPartsFluentBuilder {
    fn sse_c(self, key: Option<&SseCKey>) -> Self {
        let (algorithm, key, md5) = sse_c_fields(key);
        self.set_sse_customer_algorithm(algorithm)
            .set_sse_customer_key(key)
            .set_sse_customer_key_md5(md5)
    }
}

impl WithCopySourceSseC for CopyObjectFluentBuilder {
    fn copy_source_sse_c(self, key: Option<&SseCKey>) -> Self {
        let (algorithm, key, md5) = sse_c_fields(key);
        self.set_copy_source_sse_customer_algorithm(algorithm)
            .set_copy_source_sse_customer_key(key)
            .set_copy_source_sse_customer_key_md5(md5)
    }
}

impl WithCopySourceSseC for UploadPartCopyFluentBuilder {
    fn copy_source_sse_c(self, key: Option<&SseCKey>) -> Self {
        let (algorithm, key, md5) = sse_c_fields(key);
        self.set_copy_source_sse_customer_algorithm(algorithm)
            .set_copy_source_sse_customer_key(key)
            .set_copy_source_sse_customer_key_md5(md5)
    }
}

/// The settings of the destination object that CopyObject and
/// CreateMultipartUpload both take, under the same names: resolved once
/// from the options and the ACL, then applied to either builder through
/// [`WithDestination`]. Each impl destructures the whole value, so a field
/// added here and forgotten by one builder does not compile: the two paths
/// cannot drift apart.
#[derive(Debug, Clone)]
struct Destination {
    sse_c: Option<SseCKey>,
    canned_acl: Option<ObjectCannedAcl>,
    grants: Grants,
    encryption: Encryption,
    storage_class: Option<StorageClass>,
    object_lock: ObjectLock,
    website_redirect: Option<String>,
    checksum_algorithm: Option<ChecksumAlgorithm>,
    request_payer: Option<RequestPayer>,
    expected_bucket_owner: Option<String>,
}

impl Destination {
    /// `acl` is the resolved ACL (`--copy-acl` already read into grants).
    fn new(opts: &CopyOptions, acl: &Acl) -> Self {
        let (canned_acl, grants) = match acl {
            Acl::Canned(c) => (Some(c.clone()), Grants::default()),
            Acl::Grants(g) => (None, g.clone()),
            Acl::Default | Acl::CopySource => (None, Grants::default()),
        };
        Self {
            sse_c: opts.sse_c.clone(),
            canned_acl,
            grants,
            encryption: opts.encryption.clone(),
            storage_class: opts.storage_class.clone(),
            object_lock: opts.object_lock.clone(),
            website_redirect: opts.website_redirect.clone(),
            checksum_algorithm: opts.checksum_algorithm.clone(),
            request_payer: opts.request_payer.clone(),
            expected_bucket_owner: opts.expected_bucket_owner.clone(),
        }
    }
}

/// A builder of a new destination object: CopyObject or
/// CreateMultipartUpload.
trait WithDestination: Sized {
    fn destination(self, settings: Destination) -> Self;
}

impl WithDestination for CopyObjectFluentBuilder {
    fn destination(self, settings: Destination) -> Self {
        let Destination {
            sse_c,
            canned_acl,
            grants:
                Grants {
                    read,
                    read_acp,
                    write_acp,
                    full_control,
                },
            encryption:
                Encryption {
                    sse,
                    kms_key_id,
                    kms_context,
                    bucket_key,
                },
            storage_class,
            object_lock:
                ObjectLock {
                    mode,
                    retain_until,
                    legal_hold,
                },
            website_redirect,
            checksum_algorithm,
            request_payer,
            expected_bucket_owner,
        } = settings;
        self.sse_c(sse_c.as_ref())
            .set_acl(canned_acl)
            .set_grant_read(read)
            .set_grant_read_acp(read_acp)
            .set_grant_write_acp(write_acp)
            .set_grant_full_control(full_control)
            .set_server_side_encryption(sse)
            .set_ssekms_key_id(kms_key_id)
            .set_ssekms_encryption_context(kms_context)
            .set_bucket_key_enabled(bucket_key)
            .set_storage_class(storage_class)
            .set_object_lock_mode(mode)
            .set_object_lock_retain_until_date(retain_until)
            .set_object_lock_legal_hold_status(legal_hold)
            .set_website_redirect_location(website_redirect)
            .set_checksum_algorithm(checksum_algorithm)
            .set_request_payer(request_payer)
            .set_expected_bucket_owner(expected_bucket_owner)
    }
}

impl WithDestination for CreateMultipartUploadFluentBuilder {
    fn destination(self, settings: Destination) -> Self {
        let Destination {
            sse_c,
            canned_acl,
            grants:
                Grants {
                    read,
                    read_acp,
                    write_acp,
                    full_control,
                },
            encryption:
                Encryption {
                    sse,
                    kms_key_id,
                    kms_context,
                    bucket_key,
                },
            storage_class,
            object_lock:
                ObjectLock {
                    mode,
                    retain_until,
                    legal_hold,
                },
            website_redirect,
            checksum_algorithm,
            request_payer,
            expected_bucket_owner,
        } = settings;
        self.sse_c(sse_c.as_ref())
            .set_acl(canned_acl)
            .set_grant_read(read)
            .set_grant_read_acp(read_acp)
            .set_grant_write_acp(write_acp)
            .set_grant_full_control(full_control)
            .set_server_side_encryption(sse)
            .set_ssekms_key_id(kms_key_id)
            .set_ssekms_encryption_context(kms_context)
            .set_bucket_key_enabled(bucket_key)
            .set_storage_class(storage_class)
            .set_object_lock_mode(mode)
            .set_object_lock_retain_until_date(retain_until)
            .set_object_lock_legal_hold_status(legal_hold)
            .set_website_redirect_location(website_redirect)
            .set_checksum_algorithm(checksum_algorithm)
            .set_request_payer(request_payer)
            .set_expected_bucket_owner(expected_bucket_owner)
    }
}

/// A builder that takes headers and metadata as explicit request fields:
/// CopyObject (REPLACE) or CreateMultipartUpload. Empty metadata is not
/// sent.
trait WithObjectMetadata: Sized {
    fn object_metadata(self, meta: ObjectMetadata) -> Self;
}

impl WithObjectMetadata for CopyObjectFluentBuilder {
    fn object_metadata(self, meta: ObjectMetadata) -> Self {
        let ObjectMetadata {
            headers:
                ContentHeaders {
                    content_type,
                    cache_control,
                    content_disposition,
                    content_encoding,
                    content_language,
                    expires,
                },
            metadata,
        } = meta;
        self.set_content_type(content_type)
            .set_cache_control(cache_control)
            .set_content_disposition(content_disposition)
            .set_content_encoding(content_encoding)
            .set_content_language(content_language)
            .set_expires(expires)
            .set_metadata(Some(metadata).filter(|m| !m.is_empty()))
    }
}

impl WithObjectMetadata for CreateMultipartUploadFluentBuilder {
    fn object_metadata(self, meta: ObjectMetadata) -> Self {
        let ObjectMetadata {
            headers:
                ContentHeaders {
                    content_type,
                    cache_control,
                    content_disposition,
                    content_encoding,
                    content_language,
                    expires,
                },
            metadata,
        } = meta;
        self.set_content_type(content_type)
            .set_cache_control(cache_control)
            .set_content_disposition(content_disposition)
            .set_content_encoding(content_encoding)
            .set_content_language(content_language)
            .set_expires(expires)
            .set_metadata(Some(metadata).filter(|m| !m.is_empty()))
    }
}

pub fn head_source(client: &Client, src: &S3Uri, opts: &CopyOptions) -> HeadObjectFluentBuilder {
    client
        .head_object()
        .bucket(&src.bucket)
        .key(literal_key(&src.key))
        .set_version_id(src.version_id.clone())
        .sse_c(opts.sse_c_source.as_ref())
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
        .key(literal_key(&src.key))
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
        .key(literal_key(&src.key))
        .set_version_id(source.version_id.clone().or(src.version_id.clone()))
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// One atomic CopyObject. With the COPY directives S3 itself carries the
/// source's metadata and tags; REPLACE and MERGE send what
/// [`crate::options::MetadataOptions::resolve`] decides. A directive the
/// user named is sent even when it is COPY, S3's default, since a bucket
/// policy can require the header (`s3:x-amz-metadata-directive`). `acl` is
/// the resolved ACL (`--copy-acl` already read into grants).
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
        .key(literal_key(&job.dst.key))
        .destination(Destination::new(opts, acl));
    let req = match opts.metadata.directive {
        MetadataDirective::Copy if opts.metadata.explicit => {
            req.metadata_directive(SdkMetadataDirective::Copy)
        }
        MetadataDirective::Copy => req,
        MetadataDirective::Replace | MetadataDirective::Merge => req
            .metadata_directive(SdkMetadataDirective::Replace)
            .object_metadata(opts.metadata.resolve(&source.meta)),
    };
    let req = match opts.tagging.directive {
        TaggingDirective::Copy if opts.tagging.explicit => {
            req.tagging_directive(SdkTaggingDirective::Copy)
        }
        TaggingDirective::Copy => req,
        TaggingDirective::Replace => req
            .tagging_directive(SdkTaggingDirective::Replace)
            .set_tagging(Some(tagging_header(&opts.tagging.tags)).filter(|t| !t.is_empty())),
    };
    let conditions = &opts.conditions;
    req.copy_source_sse_c(opts.sse_c_source.as_ref())
        .set_copy_source_if_match(conditions.if_match.clone().or(pin_etag))
        .set_copy_source_if_none_match(conditions.if_none_match.clone())
        .set_copy_source_if_modified_since(conditions.if_modified_since)
        .set_copy_source_if_unmodified_since(conditions.if_unmodified_since)
        .set_if_match(opts.destination_if_match.clone())
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
    // Like CopyObject, which never copies the source's redirect (it is "not
    // copied when using the x-amz-metadata-directive header", API reference):
    // only --website-redirect sets one.
    client
        .create_multipart_upload()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .destination(Destination::new(opts, acl))
        .object_metadata(opts.metadata.resolve(&source.meta))
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
    client
        .upload_part_copy()
        .copy_source(job.src.copy_source(source.version_id.as_deref()))
        .copy_source_if_match(&source.etag)
        .set_copy_source_if_none_match(conditions.if_none_match.clone())
        .set_copy_source_if_modified_since(conditions.if_modified_since)
        .set_copy_source_if_unmodified_since(conditions.if_unmodified_since)
        .copy_source_range(part.range_header())
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .upload_id(upload_id)
        .part_number(part.number)
        .sse_c(opts.sse_c.as_ref())
        .copy_source_sse_c(opts.sse_c_source.as_ref())
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
        .set_expected_source_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// CompleteMultipartUpload with the parts in part-number order. The
/// destination conditions make it fail atomically: `--no-overwrite`
/// (`If-None-Match: *`) when the destination exists, `--if-match ETAG` when
/// it is not that version.
pub fn complete_multipart_upload(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
    upload_id: &str,
    mut parts: Vec<CompletedPart>,
) -> CompleteMultipartUploadFluentBuilder {
    parts.sort_by_key(|p| p.part_number());
    client
        .complete_multipart_upload()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .upload_id(upload_id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(parts))
                .build(),
        )
        .sse_c(opts.sse_c.as_ref())
        .set_if_match(opts.destination_if_match.clone())
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
    client
        .list_parts()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .upload_id(upload_id)
        .sse_c(opts.sse_c.as_ref())
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
    client
        .head_object()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .sse_c(opts.sse_c.as_ref())
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
        .key(literal_key(&job.dst.key))
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
        .key(literal_key(key))
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
                explicit: true,
            },
            tagging: TaggingOptions {
                directive: TaggingDirective::Replace,
                tags: vec![("k".into(), "v w".into())],
                explicit: true,
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
            // Contradicts no_overwrite (the CLI refuses both together):
            // tested on its own below.
            destination_if_match: None,
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
    fn copy_object_sends_a_directive_the_user_named_even_copy() {
        let c = client();
        let mut o = CopyOptions::default();
        o.metadata.explicit = true;
        o.tagging.explicit = true;
        let req = copy_object(&c, &job(), &source(), &o, &Acl::Default);
        let i = req.as_input();
        assert_eq!(
            i.get_metadata_directive(),
            &Some(SdkMetadataDirective::Copy)
        );
        assert_eq!(i.get_tagging_directive(), &Some(SdkTaggingDirective::Copy));
        // COPY still sends nothing read from the source.
        assert_eq!(i.get_content_type(), &None);
        assert_eq!(i.get_metadata(), &None);
        assert_eq!(i.get_tagging(), &None);
    }

    #[test]
    fn destination_if_match_reaches_copy_object_and_complete() {
        let c = client();
        let o = CopyOptions {
            destination_if_match: Some("\"dst-etag\"".into()),
            ..Default::default()
        };
        let copy = copy_object(&c, &job(), &source(), &o, &Acl::Default);
        let i = copy.as_input();
        assert_eq!(i.get_if_match().as_deref(), Some("\"dst-etag\""));
        assert_eq!(i.get_if_none_match(), &None);
        assert_eq!(
            i.get_copy_source_if_match(),
            &None,
            "a destination condition, not a source one"
        );
        let complete = complete_multipart_upload(&c, &job(), &o, "up-1", vec![]);
        let i = complete.as_input();
        assert_eq!(i.get_if_match().as_deref(), Some("\"dst-etag\""));
        assert_eq!(i.get_if_none_match(), &None);
        let plain = complete_multipart_upload(&c, &job(), &CopyOptions::default(), "u", vec![]);
        assert_eq!(plain.as_input().get_if_match(), &None);
    }

    #[test]
    fn whitespace_keys_are_marked_for_the_sdk_and_restored_on_the_wire() {
        for key in ["a", " a ", "dir/ /x", "", "%00"] {
            assert_eq!(literal_key(key), key, "{key:?} is sent as it is");
        }
        for key in [" ", "   ", "\t", " \n "] {
            let marked = literal_key(key);
            assert!(marked.starts_with(key) && !marked.trim().is_empty());
            let encoded: String = key.bytes().map(|b| format!("%{b:02X}")).collect();
            let sent = format!(
                "http://h/b/{encoded}{}?x-id=CopyObject",
                marked[key.len()..]
                    .bytes()
                    .map(|b| match b {
                        0 => "%00".to_owned(),
                        b => (b as char).to_string(),
                    })
                    .collect::<String>()
            );
            assert_eq!(
                strip_marker(&sent).as_deref(),
                Some(format!("http://h/b/{encoded}?x-id=CopyObject").as_str())
            );
        }
        assert_eq!(strip_marker("http://h/b/%20?x-id=CopyObject"), None);
        let (c, mut j) = (client(), job());
        j.dst.key = "  ".into();
        let req = copy_object(&c, &j, &source(), &CopyOptions::default(), &Acl::Default);
        assert_eq!(
            req.as_input().get_key().as_deref(),
            Some(literal_key("  ").as_str())
        );
    }

    #[test]
    fn s3_endpoint_rules_do_not_read_the_key() {
        // What makes the marker of literal_key harmless: the endpoint the
        // SDK resolves is the same whatever the key parameter says.
        use aws_sdk_s3::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
        let resolve = |key: Option<&str>, path_style: bool, endpoint: Option<&str>| {
            let params = Params::builder()
                .region("us-east-1")
                .bucket("bucket")
                .set_key(key.map(str::to_owned))
                .force_path_style(path_style)
                .set_endpoint(endpoint.map(str::to_owned))
                .build()
                .unwrap();
            futures::executor::block_on(DefaultResolver::new().resolve_endpoint(&params)).unwrap()
        };
        for (path_style, endpoint) in [(false, None), (true, Some("http://127.0.0.1:9000"))] {
            let plain = resolve(None, path_style, endpoint);
            for key in ["k", "   ", &literal_key("   ")] {
                assert_eq!(resolve(Some(key), path_style, endpoint), plain, "{key:?}");
            }
        }
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
