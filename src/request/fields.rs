//! The fields that several requests share, each set in one place: the
//! SSE-C triples, the destination's settings (CopyObject and
//! CreateMultipartUpload alike) and the object's headers and metadata.

use aws_sdk_s3::operation::complete_multipart_upload::builders::CompleteMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::copy_object::builders::CopyObjectFluentBuilder;
use aws_sdk_s3::operation::create_multipart_upload::builders::CreateMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::get_object::builders::GetObjectFluentBuilder;
use aws_sdk_s3::operation::head_object::builders::HeadObjectFluentBuilder;
use aws_sdk_s3::operation::list_parts::builders::ListPartsFluentBuilder;
use aws_sdk_s3::operation::put_object::builders::PutObjectFluentBuilder;
use aws_sdk_s3::operation::upload_part::builders::UploadPartFluentBuilder;
use aws_sdk_s3::operation::upload_part_copy::builders::UploadPartCopyFluentBuilder;
use aws_sdk_s3::types::{
    ChecksumAlgorithm, ChecksumType, ObjectCannedAcl, RequestPayer, StorageClass,
};

use crate::checksum::{Algorithm, Ask, Checksum};

use crate::options::{
    Acl, ContentHeaders, CopyOptions, Encryption, Grants, ObjectLock, ObjectMetadata, SseCKey,
};

/// A builder that takes an SSE-C key as the three
/// `x-amz-server-side-encryption-customer-*` headers (`None`: none sent).
pub(super) trait WithSseC: Sized {
    fn sse_c(self, key: Option<&SseCKey>) -> Self;
}

/// A builder that takes the source's SSE-C key as the three
/// `x-amz-copy-source-server-side-encryption-customer-*` headers.
pub(super) trait WithCopySourceSseC: Sized {
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

/// [`WithSseC`] for builders whose three setters have the same names.
macro_rules! with_sse_c {
    ($($builder:ty),+ $(,)?) => {$(
        impl WithSseC for $builder {
            fn sse_c(self, key: Option<&SseCKey>) -> Self {
                let (algorithm, key, md5) = sse_c_fields(key);
                self.set_sse_customer_algorithm(algorithm)
                    .set_sse_customer_key(key)
                    .set_sse_customer_key_md5(md5)
            }
        }
    )+};
}

with_sse_c!(
    HeadObjectFluentBuilder,
    CopyObjectFluentBuilder,
    CreateMultipartUploadFluentBuilder,
    UploadPartCopyFluentBuilder,
    CompleteMultipartUploadFluentBuilder,
    ListPartsFluentBuilder,
    GetObjectFluentBuilder,
    PutObjectFluentBuilder,
    UploadPartFluentBuilder,
);

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
pub(super) struct Destination {
    sse_c: Option<SseCKey>,
    canned_acl: Option<ObjectCannedAcl>,
    grants: Grants,
    encryption: Encryption,
    storage_class: Option<StorageClass>,
    object_lock: ObjectLock,
    website_redirect: Option<String>,
    /// The checksum S3 computes for the destination.
    checksum: Ask,
    request_payer: Option<RequestPayer>,
    expected_bucket_owner: Option<String>,
}

impl Destination {
    /// `acl` is the resolved ACL (`--copy-acl` already read into grants);
    /// `checksum` what [`crate::checksum::plan`] decided to ask. Into a
    /// directory bucket (`dst_bucket`), no ACL is ever sent (it has none:
    /// config refuses the flags, this keeps any other path from sending
    /// one) and the storage class is EXPRESS_ONEZONE unless one was given
    /// ([`crate::options::directory`]).
    pub(super) fn new(dst_bucket: &str, opts: &CopyOptions, acl: &Acl, checksum: Ask) -> Self {
        let directory = crate::uri::is_directory_bucket(dst_bucket);
        let (canned_acl, grants) = match acl {
            _ if directory => (None, Grants::default()),
            Acl::Canned(c) => (Some(c.clone()), Grants::default()),
            Acl::Grants(g) => (None, g.clone()),
            Acl::Default | Acl::CopySource => (None, Grants::default()),
        };
        Self {
            sse_c: opts.sse_c.clone(),
            canned_acl,
            grants,
            encryption: opts.encryption.clone(),
            storage_class: crate::options::directory::storage_class(dst_bucket, opts),
            object_lock: opts.object_lock.clone(),
            website_redirect: opts.website_redirect.clone(),
            checksum,
            request_payer: opts.request_payer.clone(),
            expected_bucket_owner: opts.expected_bucket_owner.clone(),
        }
    }
}

/// A builder of a new destination object: CopyObject,
/// CreateMultipartUpload, or PutObject (a streamed copy).
pub(super) trait WithDestination: Sized {
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
            checksum,
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
            .set_checksum_algorithm(checksum.algorithm.map(sdk_algorithm))
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
            checksum,
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
            .set_checksum_algorithm(checksum.algorithm.map(sdk_algorithm))
            .set_checksum_type(checksum.full_object.then_some(ChecksumType::FullObject))
            .set_request_payer(request_payer)
            .set_expected_bucket_owner(expected_bucket_owner)
    }
}

impl WithDestination for PutObjectFluentBuilder {
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
            checksum,
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
            .set_checksum_algorithm(checksum.algorithm.map(sdk_algorithm))
            .set_request_payer(request_payer)
            .set_expected_bucket_owner(expected_bucket_owner)
    }
}

/// A builder that takes headers and metadata as explicit request fields:
/// CopyObject (REPLACE) or CreateMultipartUpload. Empty metadata is not
/// sent.
pub(super) trait WithObjectMetadata: Sized {
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

impl WithObjectMetadata for PutObjectFluentBuilder {
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

/// The SDK's name for an algorithm.
pub(super) fn sdk_algorithm(a: Algorithm) -> ChecksumAlgorithm {
    match a {
        Algorithm::Crc32 => ChecksumAlgorithm::Crc32,
        Algorithm::Crc32c => ChecksumAlgorithm::Crc32C,
        Algorithm::Crc64Nvme => ChecksumAlgorithm::Crc64Nvme,
        Algorithm::Sha1 => ChecksumAlgorithm::Sha1,
        Algorithm::Sha256 => ChecksumAlgorithm::Sha256,
        Algorithm::Md5 => ChecksumAlgorithm::Md5,
        Algorithm::Sha512 => ChecksumAlgorithm::Sha512,
        Algorithm::Xxhash3 => ChecksumAlgorithm::Xxhash3,
        Algorithm::Xxhash64 => ChecksumAlgorithm::Xxhash64,
        Algorithm::Xxhash128 => ChecksumAlgorithm::Xxhash128,
    }
}

/// A builder that takes a checksum's value as its `x-amz-checksum-*`
/// header (`None`: none sent): the streamed writes, with the CRC computed
/// in flight, and Complete, with the whole object's.
pub(super) trait WithChecksumValue: Sized {
    fn checksum_value(self, checksum: Option<&Checksum>) -> Self;
}

/// A checksum's value in the field of its algorithm, in the order of
/// [`Algorithm::ALL`] (CRC32, CRC32C, CRC64NVME, SHA1, SHA256, MD5, SHA512,
/// XXHASH3, XXHASH64, XXHASH128).
pub(super) fn checksum_fields(checksum: Option<&Checksum>) -> [Option<String>; 10] {
    Algorithm::ALL.map(|a| {
        checksum
            .filter(|c| c.algorithm == a)
            .map(|c| c.value.clone())
    })
}

/// [`WithChecksumValue`] for builders whose ten setters have the same
/// names. A value set here is a header the SDK's checksum layer sees: it
/// then computes none of its own for the request (it could not for the
/// algorithms added in 2026, and would send CRC32 for `MD5`).
macro_rules! with_checksum_value {
    ($($builder:ty),+ $(,)?) => {$(
        impl WithChecksumValue for $builder {
            fn checksum_value(self, checksum: Option<&Checksum>) -> Self {
                let [crc32, crc32c, crc64nvme, sha1, sha256, md5, sha512, xxhash3, xxhash64, xxhash128] =
                    checksum_fields(checksum);
                self.set_checksum_crc32(crc32)
                    .set_checksum_crc32_c(crc32c)
                    .set_checksum_crc64_nvme(crc64nvme)
                    .set_checksum_sha1(sha1)
                    .set_checksum_sha256(sha256)
                    .set_checksum_md5(md5)
                    .set_checksum_sha512(sha512)
                    .set_checksum_xxhash3(xxhash3)
                    .set_checksum_xxhash64(xxhash64)
                    .set_checksum_xxhash128(xxhash128)
            }
        }
    )+};
}

with_checksum_value!(
    PutObjectFluentBuilder,
    UploadPartFluentBuilder,
    CompleteMultipartUploadFluentBuilder,
);

/// A part of a multipart upload as Complete lists it, with its checksum
/// in whichever of the ten algorithms it has one (the value S3 gave for
/// the part, or the one s3cp computed and sent with it).
pub fn completed_part(
    number: i32,
    etag: Option<String>,
    values: [Option<String>; 10],
) -> aws_sdk_s3::types::CompletedPart {
    let [
        crc32,
        crc32c,
        crc64nvme,
        sha1,
        sha256,
        md5,
        sha512,
        xxhash3,
        xxhash64,
        xxhash128,
    ] = values;
    aws_sdk_s3::types::CompletedPart::builder()
        .part_number(number)
        .set_e_tag(etag)
        .set_checksum_crc32(crc32)
        .set_checksum_crc32_c(crc32c)
        .set_checksum_crc64_nvme(crc64nvme)
        .set_checksum_sha1(sha1)
        .set_checksum_sha256(sha256)
        .set_checksum_md5(md5)
        .set_checksum_sha512(sha512)
        .set_checksum_xxhash3(xxhash3)
        .set_checksum_xxhash64(xxhash64)
        .set_checksum_xxhash128(xxhash128)
        .build()
}

/// A completed part's checksum value in `alg`, if it has one.
pub fn part_value(part: &aws_sdk_s3::types::CompletedPart, alg: Algorithm) -> Option<&str> {
    match alg {
        Algorithm::Crc32 => part.checksum_crc32(),
        Algorithm::Crc32c => part.checksum_crc32_c(),
        Algorithm::Crc64Nvme => part.checksum_crc64_nvme(),
        Algorithm::Sha1 => part.checksum_sha1(),
        Algorithm::Sha256 => part.checksum_sha256(),
        Algorithm::Md5 => part.checksum_md5(),
        Algorithm::Sha512 => part.checksum_sha512(),
        Algorithm::Xxhash3 => part.checksum_xxhash3(),
        Algorithm::Xxhash64 => part.checksum_xxhash64(),
        Algorithm::Xxhash128 => part.checksum_xxhash128(),
    }
}

/// A part's checksum values as UploadPartCopy's answer gives them, in
/// [`crate::checksum::Algorithm::ALL`]'s order (for Complete to list).
pub fn copy_part_values(r: &aws_sdk_s3::types::CopyPartResult) -> [Option<String>; 10] {
    [
        r.checksum_crc32(),
        r.checksum_crc32_c(),
        r.checksum_crc64_nvme(),
        r.checksum_sha1(),
        r.checksum_sha256(),
        r.checksum_md5(),
        r.checksum_sha512(),
        r.checksum_xxhash3(),
        r.checksum_xxhash64(),
        r.checksum_xxhash128(),
    ]
    .map(|v| v.map(str::to_owned))
}

/// A part's checksum values as ListParts gives them, in
/// [`crate::checksum::Algorithm::ALL`]'s order.
pub fn listed_part_values(p: &aws_sdk_s3::types::Part) -> [Option<String>; 10] {
    [
        p.checksum_crc32(),
        p.checksum_crc32_c(),
        p.checksum_crc64_nvme(),
        p.checksum_sha1(),
        p.checksum_sha256(),
        p.checksum_md5(),
        p.checksum_sha512(),
        p.checksum_xxhash3(),
        p.checksum_xxhash64(),
        p.checksum_xxhash128(),
    ]
    .map(|v| v.map(str::to_owned))
}
