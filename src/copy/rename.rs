//! `s3cp mv` within one directory bucket: RenameObject, which moves the
//! object itself (atomic, no bytes copied, its metadata, tags and checksum
//! as they were) in one request, where a copy and a delete take two and
//! a window between them.
//!
//! It is sent only where it cannot be anything else: both ends in the same
//! bucket of one store, a bucket named as a directory bucket
//! (`NAME--ZONE--x-s3`). A store that does not know `?renameObject` may
//! read the request as a PutObject and write an empty object over the
//! destination (moto does), so a general purpose bucket never gets one.
//! It is sent only when no option asks for something else than the object
//! as it is ([`rename_refused_by`]): those moves copy and delete.
//!
//! It is conditional, as the copy and delete are: on the source still
//! being what s3cp read (`x-amz-rename-source-if-match` with the ETag of
//! its HEAD, or of the listing under `-r`, which then costs no HEAD), and
//! on the destination as `--no-overwrite` / `--if-match` ask. A 412 that
//! the source's condition caused keeps the source (`source_changed`);
//! one of the destination's is the copy's 412. A store or bucket that
//! refuses RenameObject itself (501, 405, a code that says it is not
//! supported) gets the copy and the conditional delete instead.

use std::time::Instant;

use super::{Copied, Engine, Known};
use crate::error::S3Error;
use crate::error::messages::precondition_context;
use crate::job::CopyJob;
use crate::options::{Acl, CopyOptions, MetadataDirective, TaggingDirective};
use crate::plan::{CopyMode, Method};
use crate::request::{self, SourceObject};
use crate::uri::is_directory_bucket;

/// The option of `opts` that RenameObject cannot honour, if any: it moves
/// the object as it is, so whatever changes the object (metadata, tags,
/// ACL, storage class, encryption, SSE-C, redirect, Object Lock, a
/// checksum algorithm) needs a copy; and it carries no source conditions
/// of the user's, request payer or expected owner, which s3cp never drops
/// silently. `--verify`, `--no-overwrite`, `--if-match`, `--skip-*` and
/// `--delete-version` are honoured. Pure.
pub fn rename_refused_by(opts: &CopyOptions) -> Option<&'static str> {
    let lock = &opts.object_lock;
    let reasons = [
        (
            opts.metadata.directive != MetadataDirective::Copy,
            "--metadata-directive",
        ),
        (
            opts.tagging.directive != TaggingDirective::Copy,
            "--tagging-directive",
        ),
        (
            opts.acl != Acl::Default,
            "an ACL (--acl, --grant-*, --copy-acl)",
        ),
        (opts.storage_class.is_some(), "--storage-class"),
        (
            opts.encryption != Default::default(),
            "encryption (--sse, --sse-kms-key-id)",
        ),
        (
            opts.sse_c.is_some() || opts.sse_c_source.is_some(),
            "a customer key (--sse-c)",
        ),
        (opts.website_redirect.is_some(), "--website-redirect"),
        (
            lock.mode.is_some() || lock.retain_until.is_some() || lock.legal_hold.is_some(),
            "Object Lock",
        ),
        (opts.checksums.algorithm.is_some(), "--checksum-algorithm"),
        (!opts.conditions.is_empty(), "--copy-source-if-*"),
        (opts.request_payer.is_some(), "--request-payer"),
        (
            opts.expected_bucket_owner.is_some() || opts.expected_source_bucket_owner.is_some(),
            "--expected-*bucket-owner",
        ),
    ];
    reasons
        .into_iter()
        .find(|(given, _)| *given)
        .map(|(_, flag)| flag)
}

/// A move's source that changed after s3cp read it: RenameObject refused
/// it (412 on `x-amz-rename-source-if-match`), nothing was written, and
/// the source is kept (`source_changed`).
#[derive(Debug)]
pub struct RenameSourceChanged(pub String);

impl std::fmt::Display for RenameSourceChanged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenameSourceChanged {}

/// Whether a move failed because RenameObject found its source changed
/// ([`RenameSourceChanged`]): its source is kept as `source_changed`.
pub fn rename_source_changed(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| c.downcast_ref::<RenameSourceChanged>().is_some())
}

/// What RenameObject did.
#[derive(Debug)]
pub(super) enum Renamed {
    /// Moved (or, `--dry-run`, would be).
    Moved(Box<Copied>),
    /// The store or bucket refused RenameObject itself: copy and delete,
    /// with what its HEAD read, if it sent one, and the requests sent (the
    /// HEAD and the refused RenameObject), which the copy's count adds.
    Refused {
        head: Option<Box<SourceObject>>,
        requests: u64,
    },
}

impl Engine<'_> {
    /// Whether the move `job` is sent as one RenameObject: both ends in
    /// one directory bucket of one store, a server-side move, and no
    /// option that RenameObject cannot honour (said with `-v`).
    pub(super) fn renames(
        &self,
        job: &CopyJob,
        mode: Option<CopyMode>,
        opts: &CopyOptions,
    ) -> bool {
        let server_side = mode
            .unwrap_or(self.mode)
            .streams_from(self.same_store, &job.src.bucket)
            == Ok(false);
        let candidate = opts.moving.is_some()
            && self.same_store
            && server_side
            && job.src.bucket == job.dst.bucket
            && is_directory_bucket(&job.dst.bucket)
            && job.src.version_id.is_none();
        if !candidate {
            return false;
        }
        match rename_refused_by(opts) {
            Some(flag) => {
                tracing::info!(
                    "{} -> {}: {flag} asks for what RenameObject cannot do: copied, then \
                     deleted",
                    job.src,
                    job.dst
                );
                false
            }
            None => true,
        }
    }

    /// One RenameObject of `job`, conditional on the source as `known`
    /// says it (a listing's entry, a HEAD's answer; else a HEAD first).
    pub(super) async fn rename(
        &self,
        job: &CopyJob,
        known: Known<'_>,
        opts: &CopyOptions,
        dry_run: bool,
    ) -> anyhow::Result<Renamed> {
        let started = Instant::now();
        let mut headed = None;
        let (size, etag) = match known {
            Known::Listed(l) => (l.size, l.etag.clone()),
            Known::Headed(h) => (h.size, h.etag.clone()),
            Known::Nothing => {
                let head = self.head_source(job, opts).await?;
                let read = (head.size, head.etag.clone());
                headed = Some(Box::new(head));
                read
            }
        };
        let reads = u64::from(headed.is_some());
        let moved = |dry_run| {
            let mut copied = Copied::made(size, Method::Single, false, None);
            copied.renamed = true;
            copied.dry_run = dry_run;
            copied.requests = reads + 1;
            copied.source_etag = etag.clone();
            copied.unverified = Some(
                "renamed by RenameObject: the object itself moved, no bytes were copied to \
                 compare"
                    .to_owned(),
            );
            copied.duration = started.elapsed();
            Renamed::Moved(Box::new(copied))
        };
        tracing::info!(
            "{} is {size} bytes (ETag {etag}): RenameObject to {}",
            job.src,
            job.dst
        );
        if dry_run {
            return Ok(moved(true));
        }
        // An unknown ETag would make the rename unconditional.
        if etag.is_empty() {
            tracing::info!("{}: its ETag is not known: copied, then deleted", job.src);
            return Ok(Renamed::Refused {
                head: headed,
                requests: reads,
            });
        }
        let sent = self
            .send_to(&job.dst.bucket, |c| {
                request::rename_object(c, job, &etag, opts).send()
            })
            .await;
        let err = match sent {
            Ok(_) => {
                tracing::info!("renamed {} to {} (If-Match {etag})", job.src, job.dst);
                return Ok(moved(false));
            }
            Err(err) => S3Error::from_sdk("RenameObject", &err),
        };
        tracing::info!("RenameObject of {} to {}: {err}", job.src, job.dst);
        if refused(&err) {
            tracing::info!(
                "{} does not do RenameObject ({}): copied, then deleted",
                self.endpoint,
                err.code
            );
            return Ok(Renamed::Refused {
                head: headed,
                requests: reads + 1,
            });
        }
        if err.status == Some(412) || err.is_code("PreconditionFailed") {
            // Whose condition: the source's unless it is still what was
            // read, which then leaves the destination's.
            let source_changed = !opts.destination_conditional()
                || match self.head_source(job, opts).await {
                    Ok(now) => now.etag != etag,
                    Err(_) => true,
                };
            if source_changed {
                return Err(anyhow::Error::new(RenameSourceChanged(format!(
                    "{} changed since s3cp read it (ETag {etag}): RenameObject refused it, \
                     nothing was written, and the source is kept",
                    job.src
                ))));
            }
        }
        // The destination's 412 says so as the copy's does.
        let context = precondition_context(job, opts, &err)
            .unwrap_or_else(|| format!("cannot rename {} to {}", job.src, job.dst));
        Err(anyhow::Error::new(err).context(context))
    }
}

/// RenameObject refused as such, by a store or bucket that does not do it
/// (rather than for this object): copy and delete instead, which is
/// always safe.
fn refused(e: &S3Error) -> bool {
    matches!(e.status, Some(501 | 405))
        || [
            "NotImplemented",
            "MethodNotAllowed",
            "UnsupportedOperation",
            "InvalidRequest",
            "InvalidArgument",
        ]
        .iter()
        .any(|code| e.is_code(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    #[test]
    fn only_directory_bucket_names_are_directory_buckets() {
        assert!(is_directory_bucket("data--use1-az4--x-s3"));
        assert!(!is_directory_bucket("data"));
        assert!(!is_directory_bucket("data--x-s3-backup"));
    }

    #[test]
    fn options_that_change_the_object_need_a_copy() {
        let mut o = CopyOptions::default();
        assert_eq!(rename_refused_by(&o), None);
        o.checksums.verify = true;
        o.no_overwrite = true;
        o.destination_if_match = Some("\"e\"".to_owned());
        assert_eq!(rename_refused_by(&o), None);
        let mut m = o.clone();
        m.metadata.directive = MetadataDirective::Replace;
        assert_eq!(rename_refused_by(&m), Some("--metadata-directive"));
        let mut s = o.clone();
        s.storage_class = Some(aws_sdk_s3::types::StorageClass::StandardIa);
        assert_eq!(rename_refused_by(&s), Some("--storage-class"));
        let mut t = o.clone();
        t.tagging.directive = TaggingDirective::Replace;
        assert_eq!(rename_refused_by(&t), Some("--tagging-directive"));
        let mut c = o.clone();
        c.conditions.if_match = Some("\"e\"".to_owned());
        assert_eq!(rename_refused_by(&c), Some("--copy-source-if-*"));
        let mut a = o;
        a.acl = Acl::CopySource;
        assert!(rename_refused_by(&a).is_some());
    }

    #[test]
    fn a_store_without_rename_is_told_from_a_refused_object() {
        let e = |status, code: &str| S3Error {
            operation: "RenameObject",
            status: Some(status),
            code: code.to_owned(),
            message: String::new(),
            request_id: None,
            kind: Kind::Refused,
        };
        assert!(refused(&e(501, "NotImplemented")));
        assert!(refused(&e(405, "MethodNotAllowed")));
        assert!(refused(&e(400, "InvalidRequest")));
        assert!(!refused(&e(412, "PreconditionFailed")));
        assert!(!refused(&e(404, "NoSuchKey")));
        assert!(!refused(&e(403, "AccessDenied")));
    }
}
