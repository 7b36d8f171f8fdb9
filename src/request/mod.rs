//! The one place that maps a copy onto each S3 request. Every request s3cp
//! sends is built here, and each builder has a unit test that everything it
//! should carry reaches it. The multipart path derives CreateMultipartUpload
//! from the source's HEAD through [`create_multipart_upload`], so a copy above
//! the threshold carries what CopyObject would have carried.

use aws_sdk_s3::Client;
use aws_sdk_s3::operation::abort_multipart_upload::builders::AbortMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::complete_multipart_upload::CompleteMultipartUploadOutput;
use aws_sdk_s3::operation::complete_multipart_upload::builders::CompleteMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::copy_object::builders::CopyObjectFluentBuilder;
use aws_sdk_s3::operation::create_multipart_upload::builders::CreateMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::get_object::builders::GetObjectFluentBuilder;
use aws_sdk_s3::operation::get_object_acl::builders::GetObjectAclFluentBuilder;
use aws_sdk_s3::operation::get_object_tagging::builders::GetObjectTaggingFluentBuilder;
use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use aws_sdk_s3::operation::head_object::builders::HeadObjectFluentBuilder;
use aws_sdk_s3::operation::list_multipart_uploads::builders::ListMultipartUploadsFluentBuilder;
use aws_sdk_s3::operation::list_objects_v2::builders::ListObjectsV2FluentBuilder;
use aws_sdk_s3::operation::list_parts::builders::ListPartsFluentBuilder;
use aws_sdk_s3::operation::put_object::PutObjectOutput;
use aws_sdk_s3::operation::put_object::builders::PutObjectFluentBuilder;
use aws_sdk_s3::operation::rename_object::builders::RenameObjectFluentBuilder;
use aws_sdk_s3::operation::upload_part::builders::UploadPartFluentBuilder;
use aws_sdk_s3::operation::upload_part_copy::builders::UploadPartCopyFluentBuilder;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    AnnotationDirective as SdkAnnotationDirective, ChecksumMode, CompletedMultipartUpload,
    CompletedPart, CopyObjectResult, EncodingType, Grant,
    MetadataDirective as SdkMetadataDirective, Permission, ServerSideEncryption, StorageClass,
    TaggingDirective as SdkTaggingDirective, Type,
};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::checksum::{Ask, Checksum};
use crate::job::CopyJob;
use crate::options::{
    Acl, AnnotationDirective, ContentHeaders, CopyOptions, Grants, MetadataDirective,
    ObjectMetadata, TaggingDirective,
};
use crate::plan::Part;
use crate::uri::S3Uri;

mod annotations;
mod fields;
mod listed_keys;
mod literal_key;

pub use annotations::{
    get_source_annotation, list_destination_annotations, list_source_annotations,
    put_destination_annotation,
};
use fields::{
    Destination, WithChecksumValue, WithCopySourceSseC, WithDestination, WithObjectMetadata,
    WithSseC,
};
pub use fields::{completed_part, copy_part_values, listed_part_values, part_value};
pub use listed_keys::{ListedKeys, Undecodable};
pub use literal_key::{LiteralKeys, literal_key};

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
    /// The source's checksum (the HEAD asks for it).
    pub checksum: Option<Checksum>,
    /// Encrypted with SSE-KMS or a customer key: its ETag is not the MD5
    /// of its bytes.
    pub keyed: bool,
    /// How many tags it has, as its HEAD says (`x-amz-tagging-count`,
    /// absent without tags); `None` when it was not HEADed (a listing
    /// does not tell).
    pub tag_count: Option<u32>,
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
            checksum: object_checksum(head),
            keyed: keyed(head.server_side_encryption(), head.sse_customer_algorithm()),
            tag_count: Some(head.tag_count().unwrap_or(0).max(0) as u32),
        }
    }
}

/// SSE-KMS (or DSSE-KMS).
pub fn kms(sse: Option<&ServerSideEncryption>) -> bool {
    sse.is_some_and(|s| s.as_str().starts_with("aws:kms"))
}

/// Encrypted with SSE-KMS or a customer key (as an answer's
/// `x-amz-server-side-encryption` and customer-algorithm headers say): the
/// ETag is then not the MD5 of the bytes.
pub fn keyed(sse: Option<&ServerSideEncryption>, customer_algorithm: Option<&str>) -> bool {
    kms(sse) || customer_algorithm.is_some()
}

/// An object's checksum as its HEAD reports it: the source's, or a
/// destination's that `--skip-same` compares with it. A HEAD without
/// `ChecksumType` (moto) leaves the kind to be inferred: a multipart
/// object's CRC32, CRC32C, SHA1 or SHA256 may be composite even without a
/// `-N` (moto gives it so), so it is taken as composite, which compares
/// with nothing, rather than risk a false mismatch. CRC64NVME is only ever
/// full-object.
pub fn object_checksum(head: &HeadObjectOutput) -> Option<Checksum> {
    let mut checksum = head_checksum(head)?;
    let multipart = head
        .e_tag()
        .is_some_and(|e| crate::plan::etag_parts(e).is_some());
    if head.checksum_type().is_none()
        && multipart
        && checksum.algorithm != crate::checksum::Algorithm::Crc64Nvme
    {
        checksum.kind = crate::checksum::Kind::Composite;
    }
    Some(checksum)
}

/// The checksum a HEAD (with checksum mode) reports.
pub fn head_checksum(head: &HeadObjectOutput) -> Option<Checksum> {
    Checksum::from_fields(
        [
            head.checksum_crc32(),
            head.checksum_crc32_c(),
            head.checksum_crc64_nvme(),
            head.checksum_sha1(),
            head.checksum_sha256(),
            head.checksum_md5(),
            head.checksum_sha512(),
            head.checksum_xxhash3(),
            head.checksum_xxhash64(),
            head.checksum_xxhash128(),
        ],
        head.checksum_type().map(|t| t.as_str()),
    )
}

/// The destination's checksum as CopyObject's answer gives it.
pub fn copy_checksum(result: &CopyObjectResult) -> Option<Checksum> {
    Checksum::from_fields(
        [
            result.checksum_crc32(),
            result.checksum_crc32_c(),
            result.checksum_crc64_nvme(),
            result.checksum_sha1(),
            result.checksum_sha256(),
            result.checksum_md5(),
            result.checksum_sha512(),
            result.checksum_xxhash3(),
            result.checksum_xxhash64(),
            result.checksum_xxhash128(),
        ],
        result.checksum_type().map(|t| t.as_str()),
    )
}

/// The destination's checksum as CompleteMultipartUpload's answer gives it.
pub fn complete_checksum(done: &CompleteMultipartUploadOutput) -> Option<Checksum> {
    Checksum::from_fields(
        [
            done.checksum_crc32(),
            done.checksum_crc32_c(),
            done.checksum_crc64_nvme(),
            done.checksum_sha1(),
            done.checksum_sha256(),
            done.checksum_md5(),
            done.checksum_sha512(),
            done.checksum_xxhash3(),
            done.checksum_xxhash64(),
            done.checksum_xxhash128(),
        ],
        done.checksum_type().map(|t| t.as_str()),
    )
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

pub fn head_source(client: &Client, src: &S3Uri, opts: &CopyOptions) -> HeadObjectFluentBuilder {
    client
        .head_object()
        .bucket(&src.bucket)
        .key(literal_key(&src.key))
        .set_version_id(src.version_id.clone())
        .sse_c(opts.sse_c_source.as_ref())
        .checksum_mode(ChecksumMode::Enabled)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// `s3cp mv`: DeleteObject of a source whose copy is proved, conditional
/// on it being the object that was copied (`If-Match` its ETag), so that
/// a source replaced since is never deleted. With `version`, that version
/// itself is deleted; without, a versioned bucket gets a delete marker
/// (the copied version stays).
pub fn delete_source(
    client: &Client,
    src: &S3Uri,
    etag: &str,
    version: Option<&str>,
    opts: &CopyOptions,
) -> aws_sdk_s3::operation::delete_object::builders::DeleteObjectFluentBuilder {
    client
        .delete_object()
        .bucket(&src.bucket)
        .key(literal_key(&src.key))
        .set_version_id(version.map(str::to_owned))
        .if_match(etag)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// `s3cp mv` within one directory bucket: RenameObject of the source to
/// the destination (atomic, no bytes copied), conditional on the source
/// still being what s3cp read (`x-amz-rename-source-if-match` its ETag)
/// and on the destination as `--no-overwrite` (`If-None-Match: *`) or
/// `--if-match` ask. RenameObject carries no version, request payer or
/// expected owner: [`crate::copy::rename_refused_by`] sends a move that
/// needs one by copy and delete instead. The SDK adds a client token, so
/// that its retry of a rename whose answer was lost does nothing more.
pub fn rename_object(
    client: &Client,
    job: &CopyJob,
    source_etag: &str,
    opts: &CopyOptions,
) -> RenameObjectFluentBuilder {
    client
        .rename_object()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .rename_source(job.src.copy_source(None))
        .source_if_match(source_etag)
        .set_destination_if_none_match(opts.no_overwrite.then(|| "*".to_owned()))
        .set_destination_if_match(opts.destination_if_match.clone())
}

/// HEAD of a source that a listing gave (the copy made without a HEAD),
/// pinned to the listed ETag and the version copied: its checksum and
/// encryption settle what the ETags could not.
pub fn head_listed_source(
    client: &Client,
    src: &S3Uri,
    etag: &str,
    version: Option<&str>,
    opts: &CopyOptions,
) -> HeadObjectFluentBuilder {
    head_source(client, src, opts)
        .set_version_id(version.map(str::to_owned).or(src.version_id.clone()))
        .if_match(etag)
}

/// HEAD of one part of the source version that was HEADed
/// (`--part-size source`): its size is that part's, and `PartsCount` the
/// number of parts. Not pinned by `If-Match`: moto compares it with the
/// part's own ETag; every part copied is pinned to the source's ETag
/// anyway, so a source changed since fails the copy, not the plan.
pub fn head_source_part(
    client: &Client,
    src: &S3Uri,
    source: &SourceObject,
    opts: &CopyOptions,
    part_number: i32,
) -> HeadObjectFluentBuilder {
    client
        .head_object()
        .bucket(&src.bucket)
        .key(literal_key(&src.key))
        .set_version_id(source.version_id.clone().or(src.version_id.clone()))
        .part_number(part_number)
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

/// Reads the tags of the destination version that was HEADed (`s3cp mv
/// --skip-same` compares them with the source's).
pub fn get_destination_tagging(
    client: &Client,
    job: &CopyJob,
    destination: &SourceObject,
    opts: &CopyOptions,
) -> GetObjectTaggingFluentBuilder {
    client
        .get_object_tagging()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .set_version_id(destination.version_id.clone())
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
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
/// the resolved ACL (`--copy-acl` already read into grants); `checksum` the
/// checksum S3 is asked to compute ([`crate::checksum::plan`]).
pub fn copy_object(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    acl: &Acl,
    checksum: Ask,
) -> CopyObjectFluentBuilder {
    // Pinned to the version that was HEADed (when there was a HEAD and the
    // bucket is versioned); MERGE and --copy-acl also pin its ETag, since
    // what they send was read from that object, and so does --verify, whose
    // proof is made against that object.
    let read_from_source = opts.metadata.directive == MetadataDirective::Merge
        || opts.acl == Acl::CopySource
        || opts.checksums.verify;
    let pin_etag =
        (read_from_source && opts.conditions.if_match.is_none() && !source.etag.is_empty())
            .then(|| source.etag.clone());
    let req = client
        .copy_object()
        .copy_source(job.src.copy_source(source.version_id.as_deref()))
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .destination(Destination::new(&job.dst.bucket, opts, acl, checksum));
    let req = match opts.metadata.directive {
        MetadataDirective::Copy if opts.metadata.explicit => {
            req.metadata_directive(SdkMetadataDirective::Copy)
        }
        MetadataDirective::Copy => req,
        MetadataDirective::Replace | MetadataDirective::Merge => req
            .metadata_directive(SdkMetadataDirective::Replace)
            .object_metadata(opts.metadata.resolve(&source.meta)),
    };
    // A directory bucket keeps no tags: REPLACE with none is the one
    // tagging S3 takes there whatever the source has (a COPY of a tagged
    // source answers 501; crate::options::directory).
    let req = match opts.tagging.directive {
        _ if crate::uri::is_directory_bucket(&job.dst.bucket) => {
            req.tagging_directive(SdkTaggingDirective::Replace)
        }
        TaggingDirective::Copy if opts.tagging.explicit => {
            req.tagging_directive(SdkTaggingDirective::Copy)
        }
        TaggingDirective::Copy => req,
        TaggingDirective::Replace => req
            .tagging_directive(SdkTaggingDirective::Replace)
            .set_tagging(Some(tagging_header(&opts.tagging.tags)).filter(|t| !t.is_empty())),
    };
    // Sent only when named: a directory bucket answers 501 to COPY.
    let directive = match opts.annotations.directive {
        AnnotationDirective::Copy => SdkAnnotationDirective::Copy,
        AnnotationDirective::Exclude => SdkAnnotationDirective::Exclude,
    };
    let req = req.set_annotation_directive(opts.annotations.explicit.then_some(directive));
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
/// `tags` (the source's under COPY, those given under REPLACE), every
/// destination setting, and the `checksum` to compute (the source's
/// algorithm as `FULL_OBJECT`, so the destination ends with the source's
/// checksum as a CopyObject's would).
pub fn create_multipart_upload(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    acl: &Acl,
    tags: &[(String, String)],
    checksum: Ask,
) -> CreateMultipartUploadFluentBuilder {
    // Like CopyObject, which never copies the source's redirect (it is "not
    // copied when using the x-amz-metadata-directive header", API reference):
    // only --website-redirect sets one.
    client
        .create_multipart_upload()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .destination(Destination::new(&job.dst.bucket, opts, acl, checksum))
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

/// The full-object checksum a streamed multipart copy computed, sent with
/// CompleteMultipartUpload (`x-amz-checksum-*`, `FULL_OBJECT`) so that the
/// store checks the whole object against it.
pub fn complete_with_checksum(
    req: CompleteMultipartUploadFluentBuilder,
    checksum: Option<&Checksum>,
) -> CompleteMultipartUploadFluentBuilder {
    let Some(c) = checksum else {
        return req;
    };
    req.checksum_type(aws_sdk_s3::types::ChecksumType::FullObject)
        .checksum_value(Some(c))
}

/// A streamed copy's one write (an object up to the threshold): PutObject
/// carrying what CreateMultipartUpload carries (headers and metadata as
/// the directive resolves them, `tags`, every destination setting), the
/// destination conditions, and the bytes with their checksum: `crc`, the
/// CRC computed while they were read, in `checksum`'s algorithm; for SHA1
/// or SHA256 (no `crc`), the SDK computes it.
#[allow(clippy::too_many_arguments)]
pub fn put_object(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    acl: &Acl,
    tags: &[(String, String)],
    checksum: Ask,
    crc: Option<&Checksum>,
    body: bytes::Bytes,
) -> PutObjectFluentBuilder {
    let len = body.len() as i64;
    client
        .put_object()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .destination(Destination::new(&job.dst.bucket, opts, acl, checksum))
        .object_metadata(opts.metadata.resolve(&source.meta))
        .set_tagging(Some(tagging_header(tags)).filter(|t| !t.is_empty()))
        .set_if_match(opts.destination_if_match.clone())
        .set_if_none_match(opts.no_overwrite.then(|| "*".to_owned()))
        .content_length(len)
        .body(watched_body(body))
        .checksum_value(crc)
}

/// Bytes in memory as a body sent in 64 KiB pieces. The SDK's
/// stalled-stream protection watches an upload only while its body is
/// being read: a body of one piece is read at once, so a server that stops
/// reading it mid-way would leave the request waiting for ever; in pieces,
/// the body is read as the socket drains, and a stall fails the attempt
/// (after the protection's grace period), which the SDK sends again. It
/// can be sent again from the start (retryable), and the bytes are shared,
/// not copied.
pub fn watched_body(bytes: bytes::Bytes) -> ByteStream {
    const PIECE: usize = 64 * 1024;
    ByteStream::new(aws_smithy_types::body::SdkBody::retryable(move || {
        let bytes = bytes.clone();
        let pieces = (0..bytes.len()).step_by(PIECE).map(move |at| {
            let piece = bytes.slice(at..(at + PIECE).min(bytes.len()));
            Ok::<_, std::convert::Infallible>(http_body::Frame::data(piece))
        });
        aws_smithy_types::body::SdkBody::from_body_1_x(http_body_util::StreamBody::new(
            futures::stream::iter(pieces),
        ))
    }))
}

/// The checksum a PutObject's answer reports.
pub fn put_checksum(out: &PutObjectOutput) -> Option<Checksum> {
    Checksum::from_fields(
        [
            out.checksum_crc32(),
            out.checksum_crc32_c(),
            out.checksum_crc64_nvme(),
            out.checksum_sha1(),
            out.checksum_sha256(),
            out.checksum_md5(),
            out.checksum_sha512(),
            out.checksum_xxhash3(),
            out.checksum_xxhash64(),
            out.checksum_xxhash128(),
        ],
        out.checksum_type().map(|t| t.as_str()),
    )
}

/// One part of a streamed multipart copy: its bytes, and their checksum
/// (`crc`, computed while they were read; for SHA1 or SHA256, `checksum`'s
/// algorithm, which the SDK computes).
#[allow(clippy::too_many_arguments)]
pub fn upload_part(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
    upload_id: &str,
    part: Part,
    checksum: Ask,
    crc: Option<&Checksum>,
    body: bytes::Bytes,
) -> UploadPartFluentBuilder {
    let len = body.len() as i64;
    client
        .upload_part()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .upload_id(upload_id)
        .part_number(part.number)
        .sse_c(opts.sse_c.as_ref())
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
        .content_length(len)
        .body(watched_body(body))
        .set_checksum_algorithm(checksum.algorithm.map(fields::sdk_algorithm))
        .checksum_value(crc)
}

/// ListParts of an upload to the destination (`--resume`), read
/// page by page from `part_number_marker` (each page through `send_to`).
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

/// The incomplete uploads to (keys beginning with) the destination key:
/// [`list_uploads`] with the copy's payer and owner. In a directory
/// bucket, which lists only under a prefix ending in '/'
/// (ListMultipartUploads' API reference), those of the key's folder (the
/// caller keeps the key's own).
pub fn list_destination_uploads(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
) -> ListMultipartUploadsFluentBuilder {
    let mut at = job.dst.clone();
    if crate::uri::is_directory_bucket(&at.bucket) {
        at.key.truncate(at.key.rfind('/').map_or(0, |i| i + 1));
    }
    list_uploads(client, &at, None, None)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

/// HEAD of the destination, with its checksum: whether a Complete whose
/// answer was lost did complete the object, and the checksum to compare
/// when the copy's answer carried none (of the `version` written, where
/// the bucket keeps versions).
pub fn head_destination(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
    version: Option<String>,
) -> HeadObjectFluentBuilder {
    client
        .head_object()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .set_version_id(version)
        .sse_c(opts.sse_c.as_ref())
        .checksum_mode(ChecksumMode::Enabled)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

/// HEAD of the destination for `--skip-existing` / `--skip-same`: with
/// its checksum only when it is compared (whether it exists needs none,
/// and reading an SSE-KMS object's checksum needs kms:Decrypt besides).
pub fn head_existing(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
    with_checksum: bool,
) -> HeadObjectFluentBuilder {
    head_destination(client, job, opts, None)
        .set_checksum_mode(with_checksum.then_some(ChecksumMode::Enabled))
}

/// Aborts this copy's upload: [`abort_upload`] with the copy's payer and
/// owner.
pub fn abort_multipart_upload(
    client: &Client,
    job: &CopyJob,
    opts: &CopyOptions,
    upload_id: &str,
) -> AbortMultipartUploadFluentBuilder {
    abort_upload(client, &job.dst.bucket, &job.dst.key, upload_id)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

/// One ListObjectsV2 of the objects under a source prefix (a bulk run's
/// listing; page it with `into_paginator()`), as the source's reader:
/// `--request-payer` and `--expected-source-bucket-owner`. Every listing
/// asks for url-encoded keys, which [`ListedKeys`] decodes: XML 1.0 cannot
/// carry every key S3 stores.
pub fn list_objects(
    client: &Client,
    src: &S3Uri,
    opts: &CopyOptions,
) -> ListObjectsV2FluentBuilder {
    client
        .list_objects_v2()
        .bucket(&src.bucket)
        .prefix(&src.key)
        .encoding_type(EncodingType::Url)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// One ListObjectsV2 of the objects under the destination prefix
/// (`--skip-existing` / `--skip-same` with `-r`: walked beside the
/// source's listing; page it with `into_paginator()`), as the
/// destination's reader: `--request-payer` and `--expected-bucket-owner`.
pub fn list_destination(
    client: &Client,
    dst: &S3Uri,
    opts: &CopyOptions,
) -> ListObjectsV2FluentBuilder {
    client
        .list_objects_v2()
        .bucket(&dst.bucket)
        .prefix(&dst.key)
        .encoding_type(EncodingType::Url)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

/// The incomplete uploads under a bucket and prefix (`s3cp uploads`, and
/// the copy's stray sweep), from the markers of the previous page (the SDK
/// has no paginator for this one); keys url-encoded, as every listing's
/// ([`list_objects`]).
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
        .encoding_type(EncodingType::Url)
        .set_key_marker(key_marker)
        .set_upload_id_marker(upload_id_marker)
}

/// Aborts one upload (`s3cp uploads abort`, and a copy's own).
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

/// One byte range of the source, read to prove a copy (`--verify`):
/// GetObject of `bytes=first-last` pinned to the object that was HEADed
/// (its ETag, when known, as `If-Match`, so a source overwritten since
/// answers 412 instead of other bytes; its version id when it has one),
/// with the source's SSE-C key, the payer and the source bucket's
/// expected owner.
pub fn get_source_range(
    client: &Client,
    src: &S3Uri,
    source: &SourceObject,
    opts: &CopyOptions,
    range: Part,
) -> GetObjectFluentBuilder {
    client
        .get_object()
        .bucket(&src.bucket)
        .key(literal_key(&src.key))
        .set_version_id(source.version_id.clone().or(src.version_id.clone()))
        .set_if_match(Some(source.etag.clone()).filter(|e| !e.is_empty()))
        .range(range.range_header())
        .sse_c(opts.sse_c_source.as_ref())
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

#[cfg(test)]
mod arn_tests;
#[cfg(test)]
mod tests;
