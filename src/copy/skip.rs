//! `--skip-existing` and `--skip-same` before a copy: the HEADs that
//! [`crate::skip::decide`] asks for, and nothing else. What the destination
//! listing said (`-r`) is used first; without it (a single copy, a
//! manifest line) the destination is HEADed first, before anything of the
//! source, so that an existing destination under `--skip-existing` costs
//! that one request.

use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use tokio_util::sync::CancellationToken;

use super::rename::Renamed;
use super::{Copied, Engine, Known};
use crate::checksum::Checksum;
use crate::error::S3Error;
use crate::error::messages::source_error;
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::plan::CopyMode;
use crate::progress::Progress;
use crate::request::{self, SourceObject};
use crate::select::Listed;
use crate::skip::{Decision, Existing, Reason, Side, Skip, decide};

/// An object not copied: why, and what its destination is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub skip: Skip,
    pub reason: Reason,
    /// The destination's size and ETag, as listed or HEADed.
    pub size: u64,
    pub etag: String,
    /// The destination's checksum, when a HEAD read it.
    pub checksum: Option<Checksum>,
    /// The requests the decision took (0 when the listings decided).
    pub requests: u64,
}

/// The outcome of the check before a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Checked {
    Skip(Skipped),
    /// Copy it; `requests` were sent to decide. `source` is what the HEAD
    /// of the source read to decide (the copy's own HEAD, the same
    /// request), for the copy to use instead of sending it again.
    Copy {
        requests: u64,
        source: Option<Box<SourceObject>>,
        /// `--skip-same` could not tell whether the destination is the
        /// same ([`Decision::CannotTell`]).
        uncompared: bool,
    },
}

/// What became of one object.
#[derive(Debug)]
pub enum Outcome {
    /// Left alone under `--skip-existing` / `--skip-same`.
    Skipped(Skipped),
    Copied(Box<Copied>),
}

impl Engine<'_> {
    /// Copies `job` unless `opts.skip` leaves its destination alone: the
    /// check first ([`Engine::skip`]), then [`Engine::copy`] with what is
    /// known of the source (the check's HEAD of it, else the listing's
    /// entry); the check's requests count among the copy's. `listed` and
    /// `existing` are what the two listings said (`-r`); `mode` overrides
    /// `--copy-mode` for this copy.
    #[allow(clippy::too_many_arguments)]
    pub async fn copy_unless_skipped(
        &self,
        job: &CopyJob,
        listed: Option<&Listed>,
        existing: &Existing,
        mode: Option<CopyMode>,
        opts: &CopyOptions,
        dry_run: bool,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<Outcome> {
        let (decided, headed, uncompared) = match self.skip(job, listed, existing, opts).await? {
            Checked::Skip(skipped) => return Ok(Outcome::Skipped(skipped)),
            Checked::Copy {
                requests,
                source,
                uncompared,
            } => (requests, source, uncompared),
        };
        let mut known = match (headed.as_deref(), listed) {
            (Some(head), _) => Known::Headed(head),
            (None, Some(listed)) => Known::Listed(listed),
            (None, None) => Known::Nothing,
        };
        // s3cp mv within one directory bucket: one RenameObject, unless
        // the store refuses it (then copied and deleted, with its HEAD).
        let renamed_head;
        if self.renames(job, mode, opts) {
            match self.rename(job, known, opts, dry_run).await? {
                Renamed::Moved(mut copied) => {
                    copied.requests += decided;
                    return Ok(Outcome::Copied(copied));
                }
                Renamed::Refused(Some(head)) => {
                    renamed_head = head;
                    known = Known::Headed(&renamed_head);
                }
                Renamed::Refused(None) => {}
            }
        }
        let mut copied = self
            .copy(job, known, mode, opts, dry_run, progress, cancel)
            .await?;
        copied.requests += decided;
        copied.uncompared = uncompared && !dry_run;
        Ok(Outcome::Copied(Box::new(copied)))
    }

    /// Whether `job` is skipped under `opts.skip`: `listed` is what the
    /// source listing said of the source, `existing` what the destination
    /// listing said of the destination.
    async fn skip(
        &self,
        job: &CopyJob,
        listed: Option<&Listed>,
        existing: &Existing,
        opts: &CopyOptions,
    ) -> anyhow::Result<Checked> {
        let Some(skip) = opts.skip else {
            return Ok(Checked::Copy {
                requests: 0,
                source: None,
                uncompared: false,
            });
        };
        let mut requests = 0;
        let mut dst = match existing {
            Existing::Absent => {
                return Ok(Checked::Copy {
                    requests,
                    source: None,
                    uncompared: false,
                });
            }
            Existing::Listed { size, etag } => Side::listed(*size, etag),
            Existing::Unknown => {
                requests += 1;
                match self.head_destination(job, opts, skip).await? {
                    Some(side) => side,
                    None => {
                        return Ok(Checked::Copy {
                            requests,
                            source: None,
                            uncompared: false,
                        });
                    }
                }
            }
        };
        // What the HEAD of the source read, once sent.
        let mut headed: Option<SourceObject> = None;
        let mut src = match (skip, listed) {
            // The source does not matter.
            (Skip::Existing, _) => Side::default(),
            (Skip::Same, Some(l)) => Side::listed(l.size, &l.etag),
            (Skip::Same, None) => {
                requests += 1;
                let object = self.head_source(job, opts).await?;
                let side = Side::from(&object);
                headed = Some(object);
                side
            }
        };
        loop {
            match decide(skip, &src, &dst) {
                Decision::Skip(reason) => {
                    return Ok(Checked::Skip(Skipped {
                        skip,
                        reason,
                        size: dst.size,
                        etag: dst.etag,
                        checksum: dst.checksum,
                        requests,
                    }));
                }
                Decision::Copy(why) => {
                    tracing::info!("{} is copied over ({}): {why}", job.dst, skip.flag());
                    return Ok(Checked::Copy {
                        requests,
                        source: headed.map(Box::new),
                        uncompared: false,
                    });
                }
                Decision::CannotTell(why) => {
                    tracing::info!("{} is copied over ({}): {why}", job.dst, skip.flag());
                    return Ok(Checked::Copy {
                        requests,
                        source: headed.map(Box::new),
                        uncompared: true,
                    });
                }
                Decision::Compare => {
                    tracing::debug!(
                        "{}: the ETags do not tell whether it is the same as {}; reading both \
                         checksums",
                        job.dst,
                        job.src
                    );
                    if !src.headed {
                        requests += 1;
                        let object = self.head_source(job, opts).await?;
                        src = Side::from(&object);
                        headed = Some(object);
                    }
                    if !dst.headed {
                        requests += 1;
                        match self.head_destination(job, opts, skip).await? {
                            Some(side) => dst = side,
                            // Deleted since it was listed.
                            None => {
                                return Ok(Checked::Copy {
                                    requests,
                                    source: headed.map(Box::new),
                                    uncompared: false,
                                });
                            }
                        }
                    }
                }
            }
        }
    }

    /// HEAD of the destination with its checksum; `None` when there is
    /// none (404).
    async fn head_destination(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
        skip: Skip,
    ) -> anyhow::Result<Option<Side>> {
        let destination = self
            .send_to(&job.dst.bucket, |c| {
                request::head_existing(c, job, opts, skip == Skip::Same).send()
            })
            .await;
        match destination {
            Ok(destination) => Ok(Some(destination_side(&destination))),
            Err(err) => {
                let e = S3Error::from_sdk("HeadObject", &err);
                if e.status == Some(404) {
                    return Ok(None);
                }
                let what = if e.is_unreachable() {
                    crate::error::unreachable(self.endpoint, &format!("read {}", job.dst))
                } else if e.status == Some(403) {
                    format!(
                        "cannot tell whether {} exists ({}): access was denied; S3 answers 403 \
                         instead of 404 to whoever may not s3:ListBucket the bucket, so the \
                         credentials need s3:GetObject and s3:ListBucket on the destination{}",
                        job.dst,
                        skip.flag(),
                        match skip {
                            Skip::Same => {
                                " (and kms:Decrypt when it is under SSE-KMS: reading its \
                                 checksum needs it)"
                            }
                            Skip::Existing => "",
                        }
                    )
                } else {
                    format!("cannot tell whether {} exists ({})", job.dst, skip.flag())
                };
                Err(anyhow::Error::new(e).context(what))
            }
        }
    }

    /// HEAD of the source with its checksum: the request a copy sends
    /// first ([`request::head_source`]), so the copy can use its answer.
    pub(super) async fn head_source(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
    ) -> anyhow::Result<SourceObject> {
        let head = self
            .send_src(&job.src.bucket, |c| {
                request::head_source(c, &job.src, opts).send()
            })
            .await
            .map_err(|err| {
                source_error(
                    job,
                    opts,
                    self.source_endpoint,
                    self.stop.is_missing(&job.src.bucket),
                    &err,
                )
            })?;
        Ok(SourceObject::from_head(&head))
    }
}

/// The destination as its HEAD (with checksum mode) tells it.
fn destination_side(destination: &HeadObjectOutput) -> Side {
    Side {
        size: destination.content_length().unwrap_or(0).max(0) as u64,
        etag: destination.e_tag().unwrap_or_default().to_owned(),
        checksum: request::object_checksum(destination),
        keyed: request::keyed(
            destination.server_side_encryption(),
            destination.sse_customer_algorithm(),
        ),
        headed: true,
    }
}

impl From<&SourceObject> for Side {
    /// The source as its HEAD (with checksum mode) tells it.
    fn from(object: &SourceObject) -> Side {
        Side {
            size: object.size,
            etag: object.etag.clone(),
            checksum: object.checksum.clone(),
            keyed: object.keyed,
            headed: true,
        }
    }
}
