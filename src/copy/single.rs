//! One atomic CopyObject, for objects up to the multipart threshold.

use anyhow::Context;
use aws_sdk_s3::Client;

use super::Copied;
use crate::config::CopyJob;
use crate::error::s3;
use crate::plan::Method;
use crate::request::{self, SourceObject};

pub(super) async fn copy(
    client: &Client,
    job: &CopyJob,
    source: &SourceObject,
) -> anyhow::Result<Copied> {
    let out = request::copy_object(client, job)
        .send()
        .await
        .map_err(s3("CopyObject"))
        .with_context(|| format!("cannot copy {} to {}", job.src, job.dst))?;
    Ok(Copied {
        size: source.size,
        method: Method::Single,
        etag: out
            .copy_object_result()
            .and_then(|r| r.e_tag())
            .map(str::to_owned),
        version_id: out.version_id().map(str::to_owned),
        source_version_id: out
            .copy_source_version_id()
            .map(str::to_owned)
            .or_else(|| source.version_id.clone()),
        duration: Default::default(),
    })
}
