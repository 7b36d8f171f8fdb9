//! A multipart copy: CreateMultipartUpload (carrying the source's headers,
//! metadata and tags), UploadPartCopy parts in parallel with bounded
//! concurrency, each pinned to the HEADed object, then
//! CompleteMultipartUpload. Any failure or Ctrl-C aborts the upload: no
//! orphaned upload and no half-made object.

use std::future::Future;

use anyhow::{Context, anyhow};
use aws_sdk_s3::Client;
use aws_sdk_s3::types::{CompletedPart, Tag};
use futures::{StreamExt, TryStreamExt};

use super::{Copied, Engine, Interrupted};
use crate::config::CopyJob;
use crate::error::{S3Error, s3};
use crate::plan::{self, Method};
use crate::progress::Progress;
use crate::request::{self, SourceObject};

pub(super) async fn copy(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    part_size: u64,
    progress: &dyn Progress,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<Copied> {
    let client = engine.client;
    let tags = source_tags(client, job, source).await?;
    let created = request::create_multipart_upload(client, job, source, &tags)
        .send()
        .await
        .map_err(s3("CreateMultipartUpload"))
        .with_context(|| format!("cannot start a multipart upload to {}", job.dst))?;
    let upload_id = created
        .upload_id()
        .ok_or_else(|| anyhow!("CreateMultipartUpload returned no upload id"))?
        .to_owned();
    let parts = plan::parts(source.size, part_size);
    let count = parts.len() as u64;
    tracing::info!("upload {upload_id}: {count} parts of up to {part_size} bytes");
    progress.multipart_started(source.size, count);

    let work = async {
        let completed = copy_parts(engine, job, source, &upload_id, parts, progress).await?;
        request::complete_multipart_upload(client, job, &upload_id, completed)
            .send()
            .await
            .map_err(s3("CompleteMultipartUpload"))
            .with_context(|| format!("cannot complete the multipart upload to {}", job.dst))
    };
    let result = tokio::select! {
        r = work => r,
        () = shutdown => Err(anyhow::Error::new(Interrupted)),
    };
    progress.finished();
    match result {
        Ok(done) => Ok(Copied {
            size: source.size,
            method: Method::Multipart {
                part_size,
                parts: count,
            },
            etag: done.e_tag().map(str::to_owned),
            version_id: done.version_id().map(str::to_owned),
            source_version_id: source.version_id.clone(),
            duration: Default::default(),
        }),
        Err(err) => {
            abort(client, job, &upload_id).await;
            Err(err)
        }
    }
}

/// The source's tags, read from the same version that was HEADed. A store
/// that does not implement tagging (Garage: 501 NotImplemented) has no tags
/// to carry; aws-cli v2 fails the copy there, s3cp goes on and says so.
async fn source_tags(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
) -> anyhow::Result<Vec<Tag>> {
    match request::get_source_tagging(client, &job.src, source)
        .send()
        .await
    {
        Ok(out) => Ok(out.tag_set().to_vec()),
        Err(err) => {
            let e = S3Error::from_sdk("GetObjectTagging", &err);
            if e.is_code("NotImplemented") || e.status == Some(501) {
                tracing::info!(
                    "the source store does not implement tagging ({}): copying without tags",
                    e.code
                );
                return Ok(Vec::new());
            }
            let hint = if e.is_code("AccessDenied") {
                format!(
                    "cannot read the tags of {}: the s3:GetObjectTagging permission on the \
                     source is needed to carry its tags through a multipart copy",
                    job.src
                )
            } else {
                format!("cannot read the tags of {}", job.src)
            };
            Err(anyhow::Error::new(e).context(hint))
        }
    }
}

/// Copies every part, at most `engine.concurrency` at once; returns the
/// completed parts (in completion order; Complete sorts them). The first
/// failure stops the rest: dropping the stream cancels requests in flight.
async fn copy_parts(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    upload_id: &str,
    parts: impl Iterator<Item = plan::Part>,
    progress: &dyn Progress,
) -> anyhow::Result<Vec<CompletedPart>> {
    futures::stream::iter(parts)
        .map(|part| {
            let req = request::upload_part_copy(engine.client, job, source, upload_id, part);
            async move {
                let out = req.send().await.map_err(|err| {
                    let e = S3Error::from_sdk("UploadPartCopy", &err);
                    let changed = e.is_code("PreconditionFailed");
                    let e = anyhow::Error::new(e).context(format!(
                        "part {} ({})",
                        part.number,
                        part.range_header()
                    ));
                    if changed {
                        e.context(format!(
                            "the source {} changed during the copy (it no longer has ETag {}); \
                             the upload was aborted and nothing was written: run s3cp again \
                             to copy the current version",
                            job.src, source.etag
                        ))
                    } else {
                        e
                    }
                })?;
                let result = out.copy_part_result().ok_or_else(|| {
                    anyhow!("UploadPartCopy of part {} returned no result", part.number)
                })?;
                progress.part_copied(part.bytes());
                Ok::<_, anyhow::Error>(
                    CompletedPart::builder()
                        .part_number(part.number)
                        .set_e_tag(result.e_tag().map(str::to_owned))
                        .set_checksum_crc32(result.checksum_crc32().map(str::to_owned))
                        .set_checksum_crc32_c(result.checksum_crc32_c().map(str::to_owned))
                        .set_checksum_crc64_nvme(result.checksum_crc64_nvme().map(str::to_owned))
                        .set_checksum_sha1(result.checksum_sha1().map(str::to_owned))
                        .set_checksum_sha256(result.checksum_sha256().map(str::to_owned))
                        .build(),
                )
            }
        })
        .buffer_unordered(engine.concurrency)
        .try_collect()
        .await
}

/// Aborts the upload. If even that fails, the user is told exactly which
/// upload to remove, since s3cp must not leave one behind silently.
async fn abort(client: &Client, job: &CopyJob, upload_id: &str) {
    match request::abort_multipart_upload(client, job, upload_id)
        .send()
        .await
    {
        Ok(_) => tracing::info!("aborted multipart upload {upload_id}"),
        Err(err) => tracing::error!(
            "could not abort multipart upload {upload_id} of {} ({}); remove it with: \
             aws s3api abort-multipart-upload --bucket {} --key '{}' --upload-id {upload_id}",
            job.dst,
            S3Error::from_sdk("AbortMultipartUpload", &err),
            job.dst.bucket,
            job.dst.key
        ),
    }
}
