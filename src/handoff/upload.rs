//! The job's manifest uploaded from its temporary file: one PutObject up to
//! the multipart threshold, a multipart upload above it (a manifest of
//! 100 million objects is some 7 GB, past PutObject's 5 GiB), its parts
//! read from the file one at a time (memory stays one part), and aborted
//! if any step fails: s3cp leaves no upload of its own behind.

use std::path::Path;

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};

use tokio_util::sync::CancellationToken;

use crate::error::S3Error;
use crate::plan::{self, Limits, Method};
use crate::request;

/// Where the manifest goes, and how it is cut.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub client: &'a Client,
    pub bucket: &'a str,
    pub key: &'a str,
    /// The run's threshold and part size, planned as a copy's: one
    /// PutObject up to the threshold, else parts (raised so that 10,000
    /// parts hold the file).
    pub limits: Limits,
    /// Ctrl-C: no part more is sent (the upload is aborted).
    pub cancel: &'a CancellationToken,
}

/// The uploaded manifest's ETag and version id.
pub type Uploaded = (String, Option<String>);

/// The version id to give the job: none for `null` (an unversioned
/// bucket's answer on some stores; the ETag pins the manifest anyway, and
/// `versionId=null` is refused there).
fn version(id: Option<&str>) -> Option<String> {
    id.filter(|v| *v != "null").map(str::to_owned)
}

impl Upload<'_> {
    /// Uploads the file at `path`.
    pub async fn send(&self, path: &Path) -> anyhow::Result<Uploaded> {
        let size = std::fs::metadata(path)
            .map_err(|e| anyhow::anyhow!("reading the manifest file: {e}"))?
            .len();
        match plan::plan(size, self.limits)? {
            Method::Single => self.single(path).await,
            Method::Multipart { part_size, .. } => self.multipart(path, size, part_size).await,
        }
    }

    fn failed<E>(
        &self,
        operation: &'static str,
        e: &aws_sdk_s3::error::SdkError<E, aws_smithy_runtime_api::http::Response>,
    ) -> anyhow::Error
    where
        E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        anyhow::Error::new(S3Error::from_sdk(operation, e)).context(format!(
            "cannot upload the job's manifest to s3://{}/{} (--batch-reports needs \
             s3:PutObject there)",
            self.bucket, self.key
        ))
    }

    async fn single(&self, path: &Path) -> anyhow::Result<Uploaded> {
        let body = ByteStream::from_path(path)
            .await
            .map_err(|e| anyhow::anyhow!("reading the manifest file: {e}"))?;
        let out = self
            .client
            .put_object()
            .bucket(self.bucket)
            .key(self.key)
            .content_type("text/csv")
            .body(body)
            .send()
            .await
            .map_err(|e| self.failed("PutObject", &e))?;
        let etag = out
            .e_tag()
            .ok_or_else(|| anyhow::anyhow!("S3 gave the uploaded manifest no ETag"))?;
        Ok((etag.to_owned(), version(out.version_id())))
    }

    async fn multipart(&self, path: &Path, size: u64, part_size: u64) -> anyhow::Result<Uploaded> {
        let created = self
            .client
            .create_multipart_upload()
            .bucket(self.bucket)
            .key(self.key)
            .content_type("text/csv")
            .send()
            .await
            .map_err(|e| self.failed("CreateMultipartUpload", &e))?;
        let upload_id = created
            .upload_id()
            .ok_or_else(|| anyhow::anyhow!("S3 gave the manifest's upload no id"))?
            .to_owned();
        match self.parts(path, size, part_size, &upload_id).await {
            Ok(done) => Ok(done),
            Err(e) => {
                // Ours: never left behind.
                if let Err(abort) =
                    request::abort_upload(self.client, self.bucket, self.key, &upload_id)
                        .send()
                        .await
                {
                    tracing::warn!(
                        "could not abort the manifest's upload {upload_id} of s3://{}/{}: {} \
                         (s3cp uploads abort --upload-id {upload_id} s3://{}/{})",
                        self.bucket,
                        self.key,
                        S3Error::from_sdk("AbortMultipartUpload", &abort),
                        self.bucket,
                        self.key
                    );
                }
                Err(e)
            }
        }
    }

    async fn parts(
        &self,
        path: &Path,
        size: u64,
        part_size: u64,
        upload_id: &str,
    ) -> anyhow::Result<Uploaded> {
        let mut parts = Vec::new();
        for part in plan::parts(size, part_size) {
            if self.cancel.is_cancelled() {
                anyhow::bail!("interrupted while uploading the manifest");
            }
            let body = ByteStream::read_from()
                .path(path)
                .offset(part.first)
                .length(aws_smithy_types::byte_stream::Length::Exact(part.bytes()))
                .build()
                .await
                .map_err(|e| anyhow::anyhow!("reading the manifest file: {e}"))?;
            let out = self
                .client
                .upload_part()
                .bucket(self.bucket)
                .key(self.key)
                .upload_id(upload_id)
                .part_number(part.number)
                .body(body)
                .send()
                .await
                .map_err(|e| self.failed("UploadPart", &e))?;
            parts.push(
                CompletedPart::builder()
                    .part_number(part.number)
                    .set_e_tag(out.e_tag().map(str::to_owned))
                    .build(),
            );
        }
        let out = self
            .client
            .complete_multipart_upload()
            .bucket(self.bucket)
            .key(self.key)
            .upload_id(upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| self.failed("CompleteMultipartUpload", &e))?;
        let etag = out
            .e_tag()
            .ok_or_else(|| anyhow::anyhow!("S3 gave the uploaded manifest no ETag"))?;
        Ok((etag.to_owned(), version(out.version_id())))
    }
}
