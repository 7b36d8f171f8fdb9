//! The one place that maps a copy onto each S3 request. Every request s3cp
//! sends is built here, and each builder has a unit test that everything it
//! should carry reaches it. The multipart path derives CreateMultipartUpload
//! from the source's HEAD through [`create_multipart_upload`], so a copy above
//! the threshold carries what CopyObject would have carried.

use std::collections::HashMap;

use aws_sdk_s3::Client;
use aws_sdk_s3::operation::abort_multipart_upload::builders::AbortMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::complete_multipart_upload::builders::CompleteMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::copy_object::builders::CopyObjectFluentBuilder;
use aws_sdk_s3::operation::create_multipart_upload::builders::CreateMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::get_object_tagging::builders::GetObjectTaggingFluentBuilder;
use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use aws_sdk_s3::operation::head_object::builders::HeadObjectFluentBuilder;
use aws_sdk_s3::operation::upload_part_copy::builders::UploadPartCopyFluentBuilder;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, Tag};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::config::CopyJob;
use crate::plan::Part;
use crate::uri::S3Uri;

/// What the source's HEAD says, kept for the copy: its identity (to pin every
/// part to it) and what a CopyObject with the COPY directive would carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceObject {
    pub size: u64,
    pub etag: String,
    /// The version HEADed; `None` on an unversioned bucket.
    pub version_id: Option<String>,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    /// The raw `Expires` header.
    pub expires: Option<String>,
    pub metadata: HashMap<String, String>,
}

impl SourceObject {
    pub fn from_head(head: &HeadObjectOutput) -> Self {
        Self {
            size: head.content_length().unwrap_or(0).max(0) as u64,
            etag: head.e_tag().unwrap_or_default().to_owned(),
            // "null" is how S3 names the version of an unversioned object.
            version_id: head
                .version_id()
                .filter(|v| !v.is_empty() && *v != "null")
                .map(str::to_owned),
            content_type: head.content_type().map(str::to_owned),
            cache_control: head.cache_control().map(str::to_owned),
            content_disposition: head.content_disposition().map(str::to_owned),
            content_encoding: head.content_encoding().map(str::to_owned),
            content_language: head.content_language().map(str::to_owned),
            expires: head.expires_string().map(str::to_owned),
            metadata: head.metadata().cloned().unwrap_or_default(),
        }
    }
}

/// The source's tags, in the form `x-amz-tagging` wants.
pub fn tagging_header(tags: &[Tag]) -> String {
    /// Tag keys and values are URL-query encoded; keep only unreserved
    /// characters literal so that `+`, `&`, `=` and spaces survive.
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    tags.iter()
        .map(|t| {
            format!(
                "{}={}",
                utf8_percent_encode(t.key(), KEEP),
                utf8_percent_encode(t.value(), KEEP)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub fn head_source(client: &Client, src: &S3Uri) -> HeadObjectFluentBuilder {
    client
        .head_object()
        .bucket(&src.bucket)
        .key(&src.key)
        .set_version_id(src.version_id.clone())
}

/// Reads the tags of exactly the version that was HEADed.
pub fn get_source_tagging(
    client: &Client,
    src: &S3Uri,
    source: &SourceObject,
) -> GetObjectTaggingFluentBuilder {
    client
        .get_object_tagging()
        .bucket(&src.bucket)
        .key(&src.key)
        .set_version_id(source.version_id.clone().or(src.version_id.clone()))
}

/// One atomic CopyObject. Without a directive S3 copies the source's
/// metadata and tags (`COPY`), which is what s3cp wants by default.
pub fn copy_object(client: &Client, job: &CopyJob) -> CopyObjectFluentBuilder {
    client
        .copy_object()
        .copy_source(job.src.copy_source(None))
        .bucket(&job.dst.bucket)
        .key(&job.dst.key)
}

/// CreateMultipartUpload carrying what CopyObject with the COPY directive
/// would have carried: the Content-* headers, Expires, user metadata and tags.
pub fn create_multipart_upload(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    tags: &[Tag],
) -> CreateMultipartUploadFluentBuilder {
    let expires = source.expires.as_deref().and_then(|raw| {
        let parsed = DateTime::from_str(raw, Format::HttpDate).ok();
        if parsed.is_none() {
            tracing::warn!("the source's Expires header {raw:?} is not an HTTP date; not carried");
        }
        parsed
    });
    client
        .create_multipart_upload()
        .bucket(&job.dst.bucket)
        .key(&job.dst.key)
        .set_content_type(source.content_type.clone())
        .set_cache_control(source.cache_control.clone())
        .set_content_disposition(source.content_disposition.clone())
        .set_content_encoding(source.content_encoding.clone())
        .set_content_language(source.content_language.clone())
        .set_expires(expires)
        .set_metadata(Some(source.metadata.clone()).filter(|m| !m.is_empty()))
        .set_tagging(Some(tagging_header(tags)).filter(|t| !t.is_empty()))
}

/// One part, pinned to the object that was HEADed: its version id in the
/// copy source and its ETag as `x-amz-copy-source-if-match`, so a source
/// overwritten mid-copy fails the part (412) instead of mixing two versions.
pub fn upload_part_copy(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
    upload_id: &str,
    part: Part,
) -> UploadPartCopyFluentBuilder {
    client
        .upload_part_copy()
        .copy_source(job.src.copy_source(source.version_id.as_deref()))
        .copy_source_if_match(&source.etag)
        .copy_source_range(part.range_header())
        .bucket(&job.dst.bucket)
        .key(&job.dst.key)
        .upload_id(upload_id)
        .part_number(part.number)
}

/// CompleteMultipartUpload with the parts in part-number order.
pub fn complete_multipart_upload(
    client: &Client,
    job: &CopyJob,
    upload_id: &str,
    mut parts: Vec<CompletedPart>,
) -> CompleteMultipartUploadFluentBuilder {
    parts.sort_by_key(|p| p.part_number());
    client
        .complete_multipart_upload()
        .bucket(&job.dst.bucket)
        .key(&job.dst.key)
        .upload_id(upload_id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(parts))
                .build(),
        )
}

pub fn abort_multipart_upload(
    client: &Client,
    job: &CopyJob,
    upload_id: &str,
) -> AbortMultipartUploadFluentBuilder {
    client
        .abort_multipart_upload()
        .bucket(&job.dst.bucket)
        .key(&job.dst.key)
        .upload_id(upload_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::config::{BehaviorVersion, Region};

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
            content_type: Some("text/plain".into()),
            cache_control: Some("max-age=60".into()),
            content_disposition: Some("attachment; filename=\"x.txt\"".into()),
            content_encoding: Some("gzip".into()),
            content_language: Some("de-CH".into()),
            expires: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
            metadata: HashMap::from([("colour".into(), "blue".into())]),
        }
    }

    fn tag(k: &str, v: &str) -> Tag {
        Tag::builder().key(k).value(v).build().unwrap()
    }

    #[test]
    fn head_and_tagging_target_the_source_version() {
        let c = client();
        let j = job();
        let head = head_source(&c, &j.src);
        let h = head.as_input();
        assert_eq!(h.get_bucket().as_deref(), Some("src"));
        assert_eq!(h.get_key().as_deref(), Some("dir/a b+c.txt"));
        assert_eq!(h.get_version_id().as_deref(), Some("v1"));
        let tagging = get_source_tagging(&c, &j.src, &source());
        assert_eq!(tagging.as_input().get_version_id().as_deref(), Some("v1"));
    }

    #[test]
    fn copy_object_carries_encoded_source_and_destination() {
        let c = client();
        let req = copy_object(&c, &job());
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
    }

    #[test]
    fn create_multipart_upload_carries_what_copy_object_would() {
        let c = client();
        let s = source();
        let req = create_multipart_upload(&c, &job(), &s, &[tag("a b", "x+y&z"), tag("k", "v")]);
        let i = req.as_input();
        assert_eq!(i.get_bucket().as_deref(), Some("dst"));
        assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
        assert_eq!(i.get_content_type(), &s.content_type);
        assert_eq!(i.get_cache_control(), &s.cache_control);
        assert_eq!(i.get_content_disposition(), &s.content_disposition);
        assert_eq!(i.get_content_encoding(), &s.content_encoding);
        assert_eq!(i.get_content_language(), &s.content_language);
        assert_eq!(
            i.get_expires().map(|d| d.secs()),
            Some(1_445_412_480),
            "Expires parsed from the HTTP date"
        );
        assert_eq!(i.get_metadata().as_ref(), Some(&s.metadata));
        assert_eq!(i.get_tagging().as_deref(), Some("a%20b=x%2By%26z&k=v"));
    }

    #[test]
    fn create_multipart_upload_sends_no_empty_fields() {
        let c = client();
        let s = SourceObject {
            size: 1,
            etag: "\"e\"".into(),
            ..Default::default()
        };
        let req = create_multipart_upload(&c, &job(), &s, &[]);
        let i = req.as_input();
        assert_eq!(i.get_metadata(), &None);
        assert_eq!(i.get_tagging(), &None);
        assert_eq!(i.get_content_type(), &None);
        assert_eq!(i.get_expires(), &None);
    }

    #[test]
    fn upload_part_copy_is_pinned_to_the_headed_object() {
        let c = client();
        let mut j = job();
        // The URI named no version, but the HEAD found one: pin to it.
        j.src.version_id = None;
        let part = Part {
            number: 3,
            first: 10,
            last: 19,
        };
        let req = upload_part_copy(&c, &j, &source(), "up-1", part);
        let i = req.as_input();
        assert_eq!(
            i.get_copy_source().as_deref(),
            Some("src/dir/a%20b%2Bc.txt?versionId=v1")
        );
        assert_eq!(i.get_copy_source_if_match().as_deref(), Some("\"abc\""));
        assert_eq!(i.get_copy_source_range().as_deref(), Some("bytes=10-19"));
        assert_eq!(i.get_upload_id().as_deref(), Some("up-1"));
        assert_eq!(i.get_part_number(), &Some(3));
        assert_eq!(i.get_bucket().as_deref(), Some("dst"));
        assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
    }

    #[test]
    fn complete_sorts_parts_and_abort_names_the_upload() {
        let c = client();
        let parts = [2, 1, 3]
            .map(|n| {
                CompletedPart::builder()
                    .part_number(n)
                    .e_tag(format!("e{n}"))
                    .build()
            })
            .to_vec();
        let req = complete_multipart_upload(&c, &job(), "up-1", parts);
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
        let abort = abort_multipart_upload(&c, &job(), "up-1");
        assert_eq!(abort.as_input().get_upload_id().as_deref(), Some("up-1"));
        assert_eq!(abort.as_input().get_key().as_deref(), Some("out/x.txt"));
    }
}
