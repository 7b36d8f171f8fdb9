//! One atomic CopyObject, for objects up to the multipart threshold.

use super::{Copied, Engine};
use crate::error::S3Error;
use crate::job::CopyJob;
use crate::options::{Acl, CopyOptions};
use crate::plan::Method;
use crate::request::{self, SourceObject};

pub(super) async fn copy(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    acl: &Acl,
) -> anyhow::Result<Copied> {
    let out = engine
        .send(|| request::copy_object(engine.client, job, source, opts, acl).send())
        .await
        .map_err(|err| {
            let e = S3Error::from_sdk("CopyObject", &err);
            let why = super::precondition_context(job, opts, &e)
                .unwrap_or_else(|| format!("cannot copy {} to {}", job.src, job.dst));
            anyhow::Error::new(e).context(why)
        })?;
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
        dry_run: false,
        requests: 0,
    })
}
