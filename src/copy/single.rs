//! One atomic CopyObject, for objects up to the multipart threshold.

use std::time::SystemTime;

use super::own_write::{EtagCheck, LastAttempts, OwnWrite};
use super::{Copied, Engine};
use crate::checksum::Ask;

use crate::error::{S3Error, messages};
use crate::job::CopyJob;
use crate::options::{Acl, CopyOptions, TaggingDirective};
use crate::plan::Method;
use crate::request::{self, SourceObject};
use crate::uri::is_directory_bucket;

/// `started`: when the copy started, by this machine's clock; `checksum`
/// what S3 is asked to compute. Also returns whether the destination is
/// encrypted with SSE-KMS or a customer key (its ETag is then not the MD5).
pub(super) async fn copy(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    acl: &Acl,
    checksum: Ask,
    started: SystemTime,
) -> anyhow::Result<(Copied, bool)> {
    // Into a directory bucket the tags are dropped (REPLACE with none):
    // read only to name them, when the HEAD says there are some.
    if is_directory_bucket(&job.dst.bucket)
        && opts.tagging.directive == TaggingDirective::Copy
        && source.tag_count.unwrap_or(0) > 0
    {
        engine.drop_tags(job, source, opts).await;
    }
    // CopyObject goes to the destination's region. Its attempts are
    // counted only where a resend changes what an answer means (a
    // conditional write meeting its own first attempt): a per-request
    // interceptor costs CPU on every copy of a bulk run.
    let attempts = LastAttempts::default();
    let conditional = opts.destination_conditional();
    let req = |c: &aws_sdk_s3::Client| {
        let req = request::copy_object(c, job, source, opts, acl, checksum);
        match conditional {
            true => {
                futures::future::Either::Left(req.customize().interceptor(attempts.fresh()).send())
            }
            false => futures::future::Either::Right(req.send()),
        }
    };
    let copied = |etag: Option<String>, version_id: Option<String>, source_version| Copied {
        etag,
        version_id,
        ..Copied::made(source.size, Method::Single, false, source_version)
    };
    let err = match engine.send_to(&job.dst.bucket, req).await {
        Ok(out) => {
            let keyed = request::keyed(out.server_side_encryption(), out.sse_customer_algorithm());
            let result = out.copy_object_result();
            return Ok((
                Copied {
                    checksum: result.and_then(request::copy_checksum),
                    ..copied(
                        result.and_then(|r| r.e_tag()).map(str::to_owned),
                        super::version(out.version_id()),
                        super::version(out.copy_source_version_id())
                            .or_else(|| source.version_id.clone()),
                    )
                },
                keyed,
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
    if conditional && e.status == Some(412) && resent {
        let own = OwnWrite {
            size: source.size,
            etag: copied_etag(job, source, opts),
            since: started,
        };
        if let Some(written) = engine.own_write(job, opts, &own).await {
            tracing::info!(
                "the CopyObject sent again met this copy's own first write to {}",
                job.dst
            );
            return Ok((
                Copied {
                    checksum: written.checksum,
                    ..copied(written.etag, written.version_id, source.version_id.clone())
                },
                written.keyed,
            ));
        }
    }
    let why = messages::precondition_context(job, opts, &e)
        .unwrap_or_else(|| format!("cannot copy {} to {}", job.src, job.dst));
    Err(anyhow::Error::new(e).context(why))
}

/// The ETag a CopyObject gives the destination, where it is known: the
/// source's, when that is the MD5 of the bytes on both sides.
fn copied_etag(job: &CopyJob, source: &SourceObject, opts: &CopyOptions) -> EtagCheck {
    if super::prepare::facts(job, source, opts, false, false).etag_is_md5 {
        EtagCheck::Equals(source.etag.clone())
    } else {
        EtagCheck::Any
    }
}
