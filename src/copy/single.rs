//! One atomic CopyObject, for objects up to the multipart threshold.

use std::time::SystemTime;

use super::{Copied, Engine, EtagCheck, OwnWrite};
use crate::client::Attempts;
use crate::error::S3Error;
use crate::job::CopyJob;
use crate::options::{Acl, CopyOptions};
use crate::plan::Method;
use crate::request::{self, SourceObject};

/// `started`: when the copy started, by this machine's clock.
pub(super) async fn copy(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    acl: &Acl,
    started: SystemTime,
) -> anyhow::Result<Copied> {
    let attempts = Attempts::default();
    let req = request::copy_object(engine.client, job, source, opts, acl)
        .customize()
        .interceptor(attempts.clone());
    let copied = |etag: Option<String>, version_id: Option<String>, source_version| Copied {
        size: source.size,
        method: Method::Single,
        etag,
        version_id,
        source_version_id: source_version,
        duration: Default::default(),
        dry_run: false,
        requests: 0,
    };
    let err = match engine.send(req.send()).await {
        Ok(out) => {
            return Ok(copied(
                out.copy_object_result()
                    .and_then(|r| r.e_tag())
                    .map(str::to_owned),
                super::version(out.version_id()),
                super::version(out.copy_source_version_id()).or_else(|| source.version_id.clone()),
            ));
        }
        Err(err) => err,
    };
    let e = S3Error::from_sdk("CopyObject", &err);
    // `--no-overwrite` (If-None-Match: *) or `--if-match`: a CopyObject
    // whose answer was lost and that the SDK sent again meets s3cp's own
    // first write. Only an object that is that write is taken for it;
    // anything else is the conflict it looks like.
    let resent = attempts.log().sent > 1;
    if opts.destination_conditional() && e.status == Some(412) && resent {
        let own = OwnWrite {
            size: source.size,
            etag: copied_etag(source, opts),
            since: started,
        };
        if let Some((etag, version_id)) = engine.own_write(job, opts, &own).await {
            tracing::info!(
                "the CopyObject sent again met this copy's own first write to {}",
                job.dst
            );
            return Ok(copied(etag, version_id, source.version_id.clone()));
        }
    }
    let why = super::precondition_context(job, opts, &e)
        .unwrap_or_else(|| format!("cannot copy {} to {}", job.src, job.dst));
    Err(anyhow::Error::new(e).context(why))
}

/// The ETag a CopyObject gives the destination, where it is known: the
/// source's, when that is the MD5 of the bytes on both sides (not a
/// multipart ETag, no customer key, no KMS).
fn copied_etag(source: &SourceObject, opts: &CopyOptions) -> EtagCheck {
    let md5 = !source.etag.is_empty()
        && !source.etag.contains('-')
        && opts.sse_c.is_none()
        && opts.sse_c_source.is_none()
        && !opts
            .encryption
            .sse
            .as_ref()
            .is_some_and(|s| s.as_str().starts_with("aws:kms"));
    if md5 {
        EtagCheck::Equals(source.etag.clone())
    } else {
        EtagCheck::Any
    }
}
