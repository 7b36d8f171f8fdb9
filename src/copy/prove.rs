//! Proving a copy identical to its source once it is made: the destination's
//! checksum (from the copy's answer, else one HEAD) against the source's,
//! the ETags, a stream's MD5 of the bytes against the source's MD5 ETag, or
//! the source's bytes read under `--verify` ([`super::read`]). Every proof
//! is a value computed independently of the transfer: what a stream
//! computed of the bytes it passed on ([`super::stream::Transfer`]) is only
//! ever compared with one. What to compare is decided by
//! [`crate::checksum`]; this module only fetches what that needs and turns
//! the verdict into the copy's outcome.

use tokio_util::sync::CancellationToken;

use super::own_write::Written;
use super::prepare::{Gathered, Seen, facts};
use super::stream::Transfer;
use super::{Copied, Engine, read};
use crate::checksum::{self, By, Checksum, Kind, Proof, Verdict};
use crate::error::Interrupted;
use crate::error::{ChecksumMismatch, NotVerified, S3Error};
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::plan::Method;
use crate::progress::Progress;
use crate::request::{self, SourceObject};

/// One copy to prove, as it was made.
#[derive(Debug)]
pub(super) struct Made<'a> {
    pub(super) job: &'a CopyJob,
    pub(super) source: &'a SourceObject,
    pub(super) opts: &'a CopyOptions,
    pub(super) checks: &'a checksum::Plan,
    /// The source was HEADed; else it came from a listing, which tells
    /// neither its checksum nor its encryption (a HEAD then settles what
    /// the ETags could not).
    pub(super) headed: bool,
    /// The destination is encrypted with SSE-KMS or a customer key: its
    /// ETag is not an MD5.
    pub(super) keyed: bool,
    /// The source's checksum, computed by `--verify`'s own read of the
    /// source before the write (a copy onto itself replaces what a read
    /// after it would need): a proof read from the source.
    pub(super) source_read: Option<Checksum>,
    /// The listing said the source has no checksum (the store reports
    /// them, and named none for it).
    pub(super) listed_without_checksum: bool,
    /// A streamed copy's own digests of the bytes it passed on: never a
    /// proof by themselves ([`Transfer`]).
    pub(super) transfer: Option<Transfer>,
    /// The part size of a multipart copy: the parts a composite checksum
    /// read by `--verify` is computed over.
    pub(super) part_size: Option<u64>,
}

impl<'a> Made<'a> {
    /// The copy of `gathered.source` to prove by `checks`, before it is
    /// made: what the write and a read before it tell is added then.
    pub(super) fn new(
        job: &'a CopyJob,
        gathered: &'a Gathered,
        opts: &'a CopyOptions,
        checks: &'a checksum::Plan,
    ) -> Self {
        Made {
            job,
            source: &gathered.source,
            opts,
            checks,
            headed: !matches!(gathered.seen, Seen::Listed { .. }),
            keyed: false,
            source_read: None,
            listed_without_checksum: matches!(
                gathered.seen,
                Seen::Listed {
                    without_checksum: true
                }
            ),
            transfer: None,
            part_size: None,
        }
    }
}

impl Engine<'_> {
    /// Proves `made` as its plan says, and records the outcome in `copied`:
    /// the destination's checksum, and what proved it. A mismatch fails the
    /// copy (the destination is left as S3 made it); so does an unproved
    /// copy under `--verify`, which first tries what can still prove it: a
    /// read of the source in the algorithm of the destination's full-object
    /// CRC.
    pub(super) async fn prove(
        &self,
        made: &Made<'_>,
        copied: &mut Copied,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<()> {
        let (job, opts) = (made.job, made.opts);
        let multipart = matches!(copied.method, Method::Multipart { .. });
        // A copy onto itself without versions replaced the source: it can
        // no longer be read or HEADed as it was.
        let source_gone = self.onto_itself(job) && copied.source_version_id.is_none();
        let needs_checksum = matches!(
            made.checks.proof,
            Proof::Checksum(_) | Proof::Read(_) | Proof::Md5(_)
        );
        let mut unreadable = None;
        if copied.checksum.is_none() && (needs_checksum || multipart) {
            unreadable = self.fetch_checksum(job, opts, copied).await;
        }
        let mut verdict = match &made.checks.proof {
            Proof::Checksum(c) => checksum::compare(c, copied.checksum.as_ref(), By::Checksum),
            Proof::Etag(_) if made.keyed => Verdict::Unproved(
                "the destination is encrypted with SSE-KMS or a customer key, so its ETag is \
                 not the MD5 of its bytes"
                    .to_owned(),
            ),
            Proof::Etag(etag) => checksum::compare_etags(etag, copied.etag.as_deref()),
            Proof::Md5(etag) => streamed_md5(etag, made.transfer.as_ref(), copied),
            Proof::Read(algorithm) => {
                let source_read = match &made.source_read {
                    Some(read) => read.clone(),
                    None => self
                        .read(made, *algorithm, progress, cancel)
                        .await
                        .map_err(|e| unreadable_source(job, copied, e))?,
                };
                checksum::compare(&source_read, copied.checksum.as_ref(), By::Read)
            }
            Proof::None(why) => Verdict::Unproved(why.clone()),
        };
        if !made.headed && !matches!(verdict, Verdict::Verified(_)) {
            verdict = self.reprove(made, copied, source_gone, verdict).await;
        }
        // --verify: what the plan's proof could not settle, a read can,
        // when the destination has a full-object CRC to compare with (and
        // the source is still there: not a copy onto itself).
        let unsettled =
            matches!(verdict, Verdict::Unproved(_)) && !matches!(made.checks.proof, Proof::Read(_));
        if opts.checksums.verify && unsettled && !source_gone {
            if copied.checksum.is_none() && unreadable.is_none() {
                unreadable = self.fetch_checksum(job, opts, copied).await;
            }
            // A full-object CRC, or a new algorithm's composite of the
            // copy's own parts: what a read can compute.
            let crc = copied
                .checksum
                .as_ref()
                .filter(|c| {
                    (c.kind == Kind::FullObject && (c.algorithm.is_crc() || c.algorithm.is_new()))
                        || (c.kind == Kind::Composite && c.algorithm.is_new() && multipart)
                })
                .map(|c| c.algorithm);
            if let Some(algorithm) = crc {
                let source_read = self
                    .read(made, algorithm, progress, cancel)
                    .await
                    .map_err(|e| unreadable_source(job, copied, e))?;
                verdict = checksum::compare(&source_read, copied.checksum.as_ref(), By::Read);
            }
        }
        if let (Verdict::Unproved(why), Some(e)) = (&mut verdict, &unreadable) {
            *why = format!("{why}; the destination could not be read for its checksum ({e})");
        }
        match verdict {
            Verdict::Verified(by) => {
                tracing::info!("{} verified by {}", job.dst, by.name());
                copied.verified = Some(by);
                Ok(())
            }
            Verdict::Mismatch {
                what,
                source: expected,
                destination,
            } => Err(anyhow::Error::new(ChecksumMismatch {
                src: job.src.to_string(),
                dst: job.dst.to_string(),
                what,
                source_value: expected,
                destination_value: destination,
                checksum: copied.checksum.clone(),
                etag: copied.etag.clone(),
            })),
            Verdict::Unproved(why) if opts.checksums.verify => {
                Err(anyhow::Error::new(NotVerified {
                    dst: job.dst.to_string(),
                    why,
                    checksum: copied.checksum.clone(),
                    etag: copied.etag.clone(),
                }))
            }
            Verdict::Unproved(why) => {
                tracing::info!("{} not verified: {why}", job.dst);
                copied.unverified = Some(why);
                Ok(())
            }
        }
    }

    /// `--verify`'s read of a source that the copy replaces (onto itself,
    /// no versions), when the plan's proof is a read: before the write,
    /// while the source is still there to read.
    pub(super) async fn read_before_write(
        &self,
        made: &Made<'_>,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<Option<Checksum>> {
        match made.checks.proof {
            Proof::Read(algorithm)
                if self.onto_itself(made.job) && made.source.version_id.is_none() =>
            {
                Ok(Some(self.read(made, algorithm, progress, cancel).await?))
            }
            _ => Ok(None),
        }
    }

    /// Reads the source for its checksum in `algorithm` (`--verify`):
    /// full-object for a CRC or a single write, else `COMPOSITE` over the
    /// copy's parts, as the destination's is.
    pub(super) async fn read(
        &self,
        made: &Made<'_>,
        algorithm: checksum::Algorithm,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<Checksum> {
        let (job, source) = (made.job, made.source);
        tracing::info!(
            "reading {} ({} bytes) to compute its {algorithm} (--verify)",
            job.src,
            source.size
        );
        let parts = made.part_size.filter(|_| !algorithm.is_crc());
        read::source_checksum(
            self, job, source, made.opts, algorithm, parts, progress, cancel,
        )
        .await
    }

    /// A listed source's copy that its ETag did not prove: HEAD the source
    /// (pinned to the listed ETag and the version copied) for its checksum
    /// and encryption, and judge again. `first` is the verdict without it.
    /// A source that is gone (copied onto itself) cannot be HEADed.
    async fn reprove(
        &self,
        made: &Made<'_>,
        copied: &mut Copied,
        source_gone: bool,
        first: Verdict,
    ) -> Verdict {
        let (job, listed, opts) = (made.job, made.source, made.opts);
        // A multipart upload without a checksum, as its listing says: a HEAD
        // would tell nothing that proves the copy.
        if made.listed_without_checksum && crate::plan::etag_parts(&listed.etag).is_some() {
            return Verdict::Unproved(
                "the source is a multipart upload with no checksum (its listing says so), so \
                 nothing compares with the copy (--verify reads the source to prove it)"
                    .to_owned(),
            );
        }
        if source_gone {
            return match first {
                Verdict::Mismatch { .. } => Verdict::Unproved(
                    "copied onto itself: the listed ETag may not be the MD5 of its bytes, and \
                     the object as listed is no longer there to read"
                        .to_owned(),
                ),
                other => other,
            };
        }
        let version = copied.source_version_id.as_deref();
        let req = |c: &aws_sdk_s3::Client| {
            request::head_listed_source(c, &job.src, &listed.etag, version, opts).send()
        };
        copied.requests += 1;
        let head = match self.send_src(&job.src.bucket, req).await {
            Ok(head) => head,
            Err(err) => {
                let e = S3Error::from_sdk("HeadObject", &err);
                let why = if e.status == Some(412) {
                    format!(
                        "the source changed since it was listed (ETag {}), so the copy \
                         cannot be compared with it",
                        listed.etag
                    )
                } else {
                    format!("the source could not be read to compare the copy with it ({e})")
                };
                tracing::info!("{}: {why}", job.dst);
                return Verdict::Unproved(why);
            }
        };
        let source = SourceObject::from_head(&head);
        let checks = checksum::plan(facts(job, &source, opts, false, false), opts.checksums);
        match &checks.proof {
            Proof::Checksum(c) => {
                if copied.checksum.is_none() {
                    self.fetch_checksum(job, opts, copied).await;
                }
                checksum::compare(c, copied.checksum.as_ref(), By::Checksum)
            }
            Proof::Etag(_) if made.keyed => first,
            Proof::Etag(etag) => checksum::compare_etags(etag, copied.etag.as_deref()),
            Proof::Read(_) | Proof::Md5(_) | Proof::None(_) => match first {
                Verdict::Mismatch { .. } => Verdict::Unproved(
                    "the source's ETag is not the MD5 of its bytes and it has no checksum \
                     comparable with the destination's"
                        .to_owned(),
                ),
                other => other,
            },
        }
    }

    /// One HEAD of the destination (the version just written) for its
    /// checksum, into `copied`; the error when it cannot be read.
    async fn fetch_checksum(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
        copied: &mut Copied,
    ) -> Option<S3Error> {
        let version = copied.version_id.clone();
        copied.requests += 1;
        let destination = self.send_to(&job.dst.bucket, |c| {
            request::head_destination(c, job, opts, version.clone()).send()
        });
        match destination.await {
            Ok(destination) => {
                copied.checksum = Written::from_head(&destination).checksum;
                None
            }
            Err(err) => {
                let e = S3Error::from_sdk("HeadObject", &err);
                tracing::warn!("cannot read {} for its checksum: {e}", job.dst);
                Some(e)
            }
        }
    }
}

/// The verdict on a streamed copy by the source's MD5 ETag
/// ([`Proof::Md5`]): the MD5 of the bytes as they arrived against it (they
/// are the source's bytes), then the destination's checksum against the
/// CRC sent with them (it holds what was sent).
fn streamed_md5(etag: &str, transfer: Option<&Transfer>, copied: &Copied) -> Verdict {
    let Some(transfer) = transfer else {
        return Verdict::Unproved("the copy was not streamed".to_owned());
    };
    let md5 = match &transfer.md5 {
        Ok(md5) => md5,
        Err(why) => return Verdict::Unproved(why.clone()),
    };
    let etag = etag.trim_matches('"');
    if !md5.eq_ignore_ascii_case(etag) {
        return Verdict::Mismatch {
            what: "MD5".to_owned(),
            source: etag.to_owned(),
            destination: md5.clone(),
        };
    }
    match &transfer.crc {
        Some(sent) => match checksum::compare(sent, copied.checksum.as_ref(), By::Etag) {
            Verdict::Unproved(why) => Verdict::Unproved(format!(
                "the bytes received are the source's (their MD5 is its ETag), but {why}, so \
                 nothing shows the destination holds them"
            )),
            other => other,
        },
        None => Verdict::Unproved(
            "the bytes received are the source's (their MD5 is its ETag), but no CRC of them \
             was sent to compare the destination's checksum with"
                .to_owned(),
        ),
    }
}

/// A read of the source under `--verify` that failed after the copy was
/// made: the copy stands, unproved ([`NotVerified`], the read's error
/// named). Ctrl-C stays an interruption.
fn unreadable_source(job: &CopyJob, copied: &Copied, e: anyhow::Error) -> anyhow::Error {
    if e.is::<Interrupted>() {
        return e;
    }
    anyhow::Error::new(NotVerified {
        dst: job.dst.to_string(),
        why: format!("the source could not be read to prove it: {e:#}"),
        checksum: copied.checksum.clone(),
        etag: copied.etag.clone(),
    })
}
