//! `s3cp mv`: the delete of a source after its copy. A source is deleted
//! only when its copy completed and is proved (the destination holds its
//! bytes, by the same proof as `verified`), and only if it is still the
//! object that was copied: DeleteObject carries `If-Match` with the ETag
//! that was copied, so a source that another writer replaced in between
//! is kept (S3 answers 412) and never lost.
//!
//! In a versioned bucket the conditional delete adds a delete marker (the
//! copied version stays); `--delete-version` deletes the copied version
//! itself, by its id, never another.

use super::{Copied, Engine};
use crate::error::S3Error;
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::request;

/// What became of a move's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceFate {
    /// Deleted: a delete marker added (`marker`), or the copied version
    /// removed.
    Deleted {
        marker: bool,
    },
    /// `--dry-run`: it would be deleted once the copy is proved.
    WouldDelete,
    Kept(Kept),
}

/// Why a move's source was kept, and what said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub reason: KeptReason,
    /// What the delete's answer, or the copy, said.
    pub why: String,
}

impl SourceFate {
    /// A source kept for `reason`, with `why`.
    pub fn kept(reason: KeptReason, why: impl Into<String>) -> Self {
        SourceFate::Kept(Kept {
            reason,
            why: why.into(),
        })
    }

    /// A source whose conditional delete was refused: replaced since it
    /// was copied (DeleteObject's 412, DeleteObjects' per-key
    /// PreconditionFailed).
    pub fn source_changed(job: &CopyJob) -> Self {
        Self::kept(
            KeptReason::SourceChanged,
            format!(
                "{} changed since it was copied: it is kept, and {} holds what was copied",
                job.src, job.dst
            ),
        )
    }
}

/// The source version a move deletes, named by its ETag: the one copied,
/// or (`--skip-same`) the one found the same at its destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceVersion {
    pub etag: String,
    /// `None` on an unversioned bucket.
    pub version_id: Option<String>,
}

impl Copied {
    /// The source version that was copied.
    pub fn source_version(&self) -> SourceVersion {
        SourceVersion {
            etag: self.source_etag.clone(),
            version_id: self.source_version_id.clone(),
        }
    }
}

/// The version a move's delete names: the copied one under
/// `--delete-version`, else none (a delete marker in a versioned bucket).
pub fn version_to_delete<'c>(source: &'c SourceVersion, opts: &CopyOptions) -> Option<&'c str> {
    match opts.moving.is_some_and(|m| m.delete_version) {
        true => source.version_id.as_deref(),
        false => None,
    }
}

/// Why a move's source was kept (the `kept_reason` of its line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptReason {
    /// Replaced since it was copied: the conditional delete was refused.
    SourceChanged,
    /// The copy is not proved to hold the source's bytes.
    NotProved,
    /// The copy failed: nothing to delete for.
    CopyFailed,
    /// The delete failed otherwise.
    DeleteFailed,
    /// The copy was skipped (`--skip-existing`, `--skip-same`).
    Skipped,
}

impl KeptReason {
    pub fn name(self) -> &'static str {
        match self {
            KeptReason::SourceChanged => "source_changed",
            KeptReason::NotProved => "not_proved",
            KeptReason::CopyFailed => "copy_failed",
            KeptReason::DeleteFailed => "delete_failed",
            KeptReason::Skipped => "skipped",
        }
    }
}

/// Whether the source of `copied` may be deleted: only a copy proved to
/// hold its bytes. Pure.
pub fn may_delete(copied: &Copied) -> Result<(), Kept> {
    // An empty If-Match may read as no condition at all.
    if copied.source_etag.is_empty() {
        return Err(Kept {
            reason: KeptReason::NotProved,
            why: "the source's ETag is not known, so its delete could not be conditional on \
                  it: the source is kept"
                .to_owned(),
        });
    }
    match copied.verified {
        Some(_) => Ok(()),
        None => Err(Kept {
            reason: KeptReason::NotProved,
            why: format!(
                "the copy is not proved to hold the source's bytes ({}): the source is kept; \
                 --verify proves it by reading the source",
                copied
                    .unverified
                    .as_deref()
                    .unwrap_or("nothing could compare them")
            ),
        }),
    }
}

impl Engine<'_> {
    /// Deletes the source of `copied` (a move), if its copy is proved and
    /// it is still the object that was copied.
    pub async fn delete_source(
        &self,
        job: &CopyJob,
        copied: &Copied,
        opts: &CopyOptions,
    ) -> SourceFate {
        // A dry run proves nothing: its source would go once the copy is.
        if copied.dry_run {
            return SourceFate::WouldDelete;
        }
        // RenameObject moved the object itself: no source is left.
        if copied.renamed {
            return SourceFate::Deleted { marker: false };
        }
        if let Err(kept) = may_delete(copied) {
            return SourceFate::Kept(kept);
        }
        self.delete_version(job, &copied.source_version(), opts)
            .await
    }

    /// Deletes the source of a move whose destination `--skip-same` found
    /// the same in every respect it compares ([`super::Skipped::same_source`]),
    /// if it is still that version.
    pub async fn delete_same_source(
        &self,
        job: &CopyJob,
        same: &SourceVersion,
        dry_run: bool,
        opts: &CopyOptions,
    ) -> SourceFate {
        match dry_run {
            true => SourceFate::WouldDelete,
            false => self.delete_version(job, same, opts).await,
        }
    }

    /// DeleteObject of `source`, conditional on its ETag (`If-Match`).
    async fn delete_version(
        &self,
        job: &CopyJob,
        source: &SourceVersion,
        opts: &CopyOptions,
    ) -> SourceFate {
        let version = version_to_delete(source, opts);
        let etag = source.etag.as_str();
        let sent = self
            .send_src(&job.src.bucket, |c| {
                request::delete_source(c, &job.src, etag, version, opts).send()
            })
            .await;
        match sent {
            Ok(out) => {
                tracing::info!(
                    "deleted {} (If-Match {etag}{})",
                    job.src,
                    version
                        .map(|v| format!(", version {v}"))
                        .unwrap_or_default()
                );
                SourceFate::Deleted {
                    marker: out.delete_marker().unwrap_or(false) && version.is_none(),
                }
            }
            Err(err) => {
                let e = S3Error::from_sdk("DeleteObject", &err);
                tracing::info!("delete of {} (If-Match {etag}): {e}", job.src);
                match e.status == Some(412) || e.is_code("PreconditionFailed") {
                    true => SourceFate::source_changed(job),
                    false => SourceFate::kept(
                        KeptReason::DeleteFailed,
                        format!("cannot delete {}: {e}", job.src),
                    ),
                }
            }
        }
    }
}
