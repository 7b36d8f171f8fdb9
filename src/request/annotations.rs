//! The requests of object annotations (named payloads attached to an
//! object version): what a multipart or streamed copy sends to carry the
//! source's, which CopyObject copies by itself
//! (`x-amz-object-annotation-directive`).

use aws_sdk_s3::Client;
use aws_sdk_s3::operation::get_object_annotation::builders::GetObjectAnnotationFluentBuilder;
use aws_sdk_s3::operation::list_object_annotations::builders::ListObjectAnnotationsFluentBuilder;
use aws_sdk_s3::operation::put_object_annotation::builders::PutObjectAnnotationFluentBuilder;

use super::{SourceObject, literal_key};
use crate::job::CopyJob;
use crate::options::CopyOptions;

/// One page of the annotations of the source version that was HEADed.
pub fn list_source_annotations(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    token: Option<String>,
    opts: &CopyOptions,
) -> ListObjectAnnotationsFluentBuilder {
    client
        .list_object_annotations()
        .bucket(&job.src.bucket)
        .key(literal_key(&job.src.key))
        .set_version_id(source.version_id.clone().or(job.src.version_id.clone()))
        .set_continuation_token(token)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// One annotation of the source version that was HEADed: its payload.
pub fn get_source_annotation(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    name: &str,
    opts: &CopyOptions,
) -> GetObjectAnnotationFluentBuilder {
    client
        .get_object_annotation()
        .bucket(&job.src.bucket)
        .key(literal_key(&job.src.key))
        .set_version_id(source.version_id.clone().or(job.src.version_id.clone()))
        .annotation_name(name)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_source_bucket_owner.clone())
}

/// The annotations of the destination version just written: whether its
/// store keeps annotations at all (a real listing), before any is written.
pub fn list_destination_annotations(
    client: &Client,
    job: &CopyJob,
    version: Option<&str>,
    opts: &CopyOptions,
) -> ListObjectAnnotationsFluentBuilder {
    client
        .list_object_annotations()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .set_version_id(version.map(str::to_owned))
        .max_annotation_results(1)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}

/// One annotation written to the destination that was just made, only if
/// it is still that object (`x-amz-object-if-match` its ETag): another
/// writer's object at the key never gets it.
pub fn put_destination_annotation(
    client: &Client,
    job: &CopyJob,
    etag: &str,
    version: Option<&str>,
    name: &str,
    payload: bytes::Bytes,
    opts: &CopyOptions,
) -> PutObjectAnnotationFluentBuilder {
    client
        .put_object_annotation()
        .bucket(&job.dst.bucket)
        .key(literal_key(&job.dst.key))
        .set_version_id(version.map(str::to_owned))
        .annotation_name(name)
        .annotation_payload(payload.into())
        .object_if_match(etag)
        .set_request_payer(opts.request_payer.clone())
        .set_expected_bucket_owner(opts.expected_bucket_owner.clone())
}
