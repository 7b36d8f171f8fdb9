//! Gathering what a copy must read before anything is decided: the source
//! (its HEAD, or what a listing or an earlier HEAD told), whether it can be
//! copied at all (restored from an archive, the `--copy-source-if-*`
//! conditions), the journal of a resumed copy, the sizes of the source's
//! parts (`--part-size source`) and its ACL (`--copy-acl`). The plan is
//! then made from this alone ([`super::prepare`]), so that `--dry-run`
//! sends these reads and nothing else.

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use futures::{StreamExt, TryStreamExt};

use super::prepare::{Gathered, Seen};
use super::{Engine, Known};
use crate::error::messages::check_restored;
use crate::error::s3;
use crate::job::CopyJob;
use crate::options::{Acl, CopyOptions, MetadataDirective};
use crate::plan::{self, Limits, Method};
use crate::request::{self, SourceObject};

impl Engine<'_> {
    /// The source as `known` tells it, or as its HEAD does: a listed
    /// object that one CopyObject copies needs no HEAD (one request per
    /// object), unless the copy needs what only a HEAD tells: `--verify`
    /// the source's checksum, before the copy, to know whether a read must
    /// prove it; MERGE its metadata; `--part-size source` a multipart
    /// source's parts; a streamed copy writes the source's headers itself.
    pub(super) async fn know_source(
        &self,
        job: &CopyJob,
        known: Known<'_>,
        streamed: bool,
        opts: &CopyOptions,
    ) -> anyhow::Result<(SourceObject, Seen)> {
        let (listed, headed) = match known {
            Known::Nothing => (None, None),
            Known::Listed(l) => (Some(l), None),
            Known::Headed(h) => (None, Some(h)),
        };
        // An in-place edit that replaces the metadata: what the source has
        // that the edit drops is told before writing, so its HEAD is sent.
        let in_place_replace = self.same_store
            && job.onto_itself()
            && opts.metadata.directive == MetadataDirective::Replace;
        // An interrupted copy of it is compared with its HEAD (the version
        // id, which a listing does not give).
        let listed = listed.filter(|_| !in_place_replace && !self.journals.exists(job));
        // Into a directory bucket, which keeps no tags, the source's HEAD
        // says whether it has tags to drop (and name in a warning).
        let listed = listed.filter(|_| !crate::uri::is_directory_bucket(&job.dst.bucket));
        let listed = listed.filter(|l| {
            !streamed
                && l.size <= self.limits.threshold
                && opts.metadata.directive != MetadataDirective::Merge
                && !opts.checksums.verify
                && !(self.limits.source_parts && plan::etag_parts(&l.etag).is_some())
        });
        let known = match (listed, headed) {
            (Some(l), _) => (
                SourceObject {
                    size: l.size,
                    etag: l.etag.clone(),
                    ..Default::default()
                },
                Seen::Listed {
                    without_checksum: l.has_checksum == Some(false),
                },
            ),
            (None, Some(head)) => (head.clone(), Seen::HeadedBefore),
            (None, None) => (self.head_source(job, opts).await?, Seen::Headed),
        };
        if in_place_replace && let Some(dropped) = in_place_losses(&known.0, opts, &job.dst.bucket)
        {
            // Once a run: a prefix edited in place would say it of every
            // object; -v names each.
            static WARNED: AtomicBool = AtomicBool::new(false);
            match WARNED.swap(true, Ordering::Relaxed) {
                false => tracing::warn!("{}: {dropped}", job.src),
                true => tracing::info!("{}: {dropped}", job.src),
            }
        }
        Ok(known)
    }

    /// Everything else the plan is made from, read in this order: whether
    /// `source` can be copied, an interrupted copy to continue (its journal
    /// and its upload's parts, under the copy's lock: [`Engine::rerun_of`];
    /// not for a dry run), the source's parts (`--part-size source`, unless
    /// resumed) and its ACL (`--copy-acl`). `limits`: the copy's (the
    /// stream's, for a streamed copy).
    pub(super) async fn gather(
        &self,
        job: &CopyJob,
        source: SourceObject,
        seen: Seen,
        opts: &CopyOptions,
        limits: Limits,
        dry_run: bool,
    ) -> anyhow::Result<Gathered> {
        check_restored(job, &source)?;
        // S3 checks the conditions on CopyObject itself; the multipart path
        // must check them here (see SourceConditions::check). Checking on
        // both paths gives one message and writes nothing either way (a
        // listed object has no HEAD: S3's own check on CopyObject decides).
        if !matches!(seen, Seen::Listed { .. }) {
            opts.conditions
                .check(&source.etag, source.last_modified.as_ref())?;
        }
        let rerun = match dry_run {
            false => self.rerun_of(job, &source, opts, limits).await?,
            true => Default::default(),
        };
        let resumed = rerun.point;
        let source_parts = match limits.source_parts && resumed.is_none() {
            true => Some(self.source_parts(job, &source, opts).await?),
            false => None,
        };
        let acl = match &opts.acl {
            Acl::CopySource => Acl::Grants(self.source_acl(job, &source, opts).await?),
            other => other.clone(),
        };
        Ok(Gathered {
            source,
            seen,
            resumed,
            source_parts,
            acl,
            lock: rerun.lock,
            rerun_requests: rerun.requests,
        })
    }

    /// `--part-size source`: the plan that repeats the source's parts. A
    /// single-part source is copied by CopyObject (whose ETag is the
    /// source's already); a multipart one (ETag `-N`) with the sizes of its
    /// parts, each read by a HEAD with `partNumber` (part 1 first, for the
    /// count; the others in parallel within the request budget): only
    /// every size shows parts that cannot be repeated, which are refused
    /// before anything is written (exit 2).
    async fn source_parts(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<Method> {
        let Some(parts) = plan::etag_parts(&source.etag) else {
            return Ok(Method::Single);
        };
        let part_size = |n: i32| async move {
            let head = self
                .send_src(&job.src.bucket, |c| {
                    request::head_source_part(c, &job.src, source, opts, n).send()
                })
                .await
                .map_err(s3("HeadObject"))
                .with_context(|| {
                    format!(
                        "cannot read the size of part {n} of {} for --part-size source",
                        job.src
                    )
                })?;
            Ok::<_, anyhow::Error>((
                head.content_length().unwrap_or(0).max(0) as u64,
                head.parts_count().map(|c| c.max(0) as u64),
            ))
        };
        let (first, count) = part_size(1).await?;
        let parts = count.unwrap_or(parts).min(plan::MAX_PARTS) as i32;
        let rest: Vec<u64> = futures::stream::iter(2..=parts)
            .map(|n| async move { part_size(n).await.map(|(bytes, _)| bytes) })
            .buffered(self.concurrency.max(1))
            .try_collect()
            .await?;
        let sizes: Vec<u64> = std::iter::once(first).chain(rest).collect();
        let method = plan::source_parts(source.size, &sizes)?;
        tracing::info!(
            "{} has {parts} parts of {first} bytes: copied with the same parts",
            job.src
        );
        Ok(method)
    }

    /// `--copy-acl`: the source's ACL, read from the version HEADed.
    async fn source_acl(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<crate::options::Grants> {
        let out = self
            .send_src(&job.src.bucket, |c| {
                request::get_source_acl(c, &job.src, source, opts).send()
            })
            .await
            .map_err(s3("GetObjectAcl"))
            .with_context(|| {
                format!(
                    "cannot read the ACL of {} for --copy-acl (the s3:GetObjectAcl permission \
                     is needed); leave --copy-acl out to copy without it",
                    job.src
                )
            })?;
        Ok(request::grants_from_acl(out.grants()))
    }
}

/// What an in-place edit under `--metadata-directive REPLACE` takes away
/// from `source`: its Content-* headers and user metadata not given again,
/// and its storage class (S3 writes STANDARD unless `--storage-class` says
/// otherwise; not in a directory bucket, `bucket`, whose writes name
/// EXPRESS_ONEZONE); `None` when it loses nothing.
fn in_place_losses(source: &SourceObject, opts: &CopyOptions, bucket: &str) -> Option<String> {
    let (had, given) = (&source.meta.headers, &opts.metadata.headers);
    let mut lost: Vec<String> = [
        ("Content-Type", &had.content_type, &given.content_type),
        ("Cache-Control", &had.cache_control, &given.cache_control),
        (
            "Content-Disposition",
            &had.content_disposition,
            &given.content_disposition,
        ),
        (
            "Content-Encoding",
            &had.content_encoding,
            &given.content_encoding,
        ),
        (
            "Content-Language",
            &had.content_language,
            &given.content_language,
        ),
    ]
    .into_iter()
    .filter(|(_, had, given)| had.is_some() && given.is_none())
    .map(|(name, had, _)| format!("{name} {}", had.as_deref().unwrap_or_default()))
    .collect();
    if had.expires.is_some() && given.expires.is_none() {
        lost.push("Expires".to_owned());
    }
    let mut keys: Vec<&String> = source
        .meta
        .metadata
        .keys()
        .filter(|k| !opts.metadata.metadata.contains_key(*k))
        .collect();
    keys.sort();
    lost.extend(keys.into_iter().map(|k| format!("metadata {k}")));
    // A directory bucket keeps its class (s3cp names EXPRESS_ONEZONE
    // there: crate::options::directory).
    let class = source.storage_class.as_ref().filter(|c| {
        c.as_str() != "STANDARD"
            && opts.storage_class.is_none()
            && !crate::uri::is_directory_bucket(bucket)
    });
    let mut said = Vec::new();
    if !lost.is_empty() {
        said.push(format!(
            "this edit replaces the metadata (REPLACE) and drops what is not given again: {}; \
             --metadata-directive MERGE keeps the source's and changes only what is given",
            lost.join(", ")
        ));
    }
    if let Some(class) = class {
        said.push(format!(
            "S3 rewrites the object in storage class STANDARD (it is {}) unless \
             --storage-class is given: add --storage-class {} to keep it",
            class.as_str(),
            class.as_str()
        ));
    }
    (!said.is_empty()).then(|| said.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::MetadataDirective;
    use aws_sdk_s3::types::StorageClass;

    /// An in-place REPLACE warns that S3 rewrites the class as STANDARD,
    /// but not in a directory bucket, whose writes name EXPRESS_ONEZONE.
    #[test]
    fn an_in_place_edit_in_a_directory_bucket_keeps_its_class() {
        let source = SourceObject {
            storage_class: Some(StorageClass::ExpressOnezone),
            ..SourceObject::default()
        };
        let mut opts = CopyOptions::default();
        opts.metadata.directive = MetadataDirective::Replace;
        let said = in_place_losses(&source, &opts, "b").unwrap();
        assert!(said.contains("STANDARD"), "{said}");
        assert_eq!(in_place_losses(&source, &opts, "d--use1-az4--x-s3"), None);
    }
}
