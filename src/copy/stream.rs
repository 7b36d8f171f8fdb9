//! A streamed copy, for two stores (or identities) between which no
//! server-side copy exists: the source's bytes are read with ranged
//! GetObjects, each pinned to the object that was HEADed (its ETag as
//! `If-Match`, and its version), and written with one PutObject (up to
//! the threshold) or as the parts of a multipart upload
//! ([`super::multipart::Task`] with `streamed`). Their CRC is computed as
//! they arrive and sent with every write, so that the destination store
//! checks it; the parts' CRCs, joined, are the whole object's, which
//! proves the copy.
//!
//! Memory: a body is held from its GET to the end of its write, within
//! [`Buffers`], one byte budget shared by every copy of the run
//! (`--concurrency` times the part size).

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::CompletedPart;
use bytes::{Bytes, BytesMut};
use tokio::sync::{Semaphore, SemaphorePermit};

use super::multipart::Task;
use super::{Copied, Engine};
use crate::checksum::{Algorithm, Ask, Checksum};
use crate::crc::{self, Crc};
use crate::error::S3Error;
use crate::job::CopyJob;
use crate::options::{Acl, CopyOptions};
use crate::plan::{Limits, Method, Part};
use crate::progress::Progress;
use crate::request::{self, SourceObject};

const KIB: u64 = 1024;

/// Reads of one range whose body is cut off before its end (a connection
/// reset mid-body, which the SDK cannot retry: it has handed the body
/// over): the range is asked for again, up to this many times in all.
const BODY_ATTEMPTS: u32 = 3;

/// The memory of streamed bodies, shared by every copy of a run: each
/// body holds its size (in KiB) from its GET to the end of its write.
#[derive(Debug)]
pub struct Buffers {
    memory: Semaphore,
    total_kib: u32,
}

impl Buffers {
    /// Room for `concurrency` parts (a streamed threshold is at most a
    /// part).
    pub fn new(concurrency: usize, limits: Limits) -> Self {
        let per = limits.part_size.div_ceil(KIB);
        let total = (concurrency.max(1) as u64 * per).min(u64::from(u32::MAX >> 3)) as u32;
        Buffers {
            memory: Semaphore::new(total as usize),
            total_kib: total,
        }
    }

    /// Waits for room for `bytes` (a body larger than the whole budget
    /// waits for all of it).
    async fn hold(&self, bytes: u64) -> SemaphorePermit<'_> {
        let kib = bytes.div_ceil(KIB).clamp(1, u64::from(self.total_kib)) as u32;
        self.memory
            .acquire_many(kib)
            .await
            .expect("the buffers are never closed")
    }
}

/// One range of the source in memory, with its CRC.
#[derive(Debug)]
pub(super) struct Fetched<'a> {
    pub(super) bytes: Bytes,
    /// The CRC of `bytes` in the copy's algorithm (`None` for SHA1 or
    /// SHA256, which the SDK computes as it sends them).
    pub(super) crc: Option<u64>,
    _memory: SemaphorePermit<'a>,
}

/// The CRC algorithm the copy computes in flight, if its algorithm is one.
fn crc_algorithm(ask: Ask) -> Option<Algorithm> {
    ask.algorithm.filter(|a| a.is_crc())
}

/// The message when a range cannot be read: the source changed or was
/// deleted since its HEAD (nothing was written), or it cannot be read.
fn read_error(job: &CopyJob, source: &SourceObject, e: &S3Error) -> String {
    if e.is_code("PreconditionFailed") || e.status == Some(412) {
        format!(
            "the source {} changed during the copy (it no longer has ETag {}); nothing was \
             written: run s3cp again to copy the current version",
            job.src, source.etag
        )
    } else if e.is_code("NoSuchKey") || e.is_code("NoSuchVersion") {
        format!(
            "the source {} was deleted during the copy; nothing was written",
            job.src
        )
    } else {
        format!("cannot read the source {}", job.src)
    }
}

impl Engine<'_> {
    /// Reads `range` of the source into memory, with its CRC in
    /// `algorithm` (if a CRC). The GET holds a permit of the request
    /// budget until its body is read; a body cut off is read again.
    pub(super) async fn fetch(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
        range: Part,
        algorithm: Option<Algorithm>,
    ) -> anyhow::Result<Fetched<'_>> {
        let memory = self.buffers.hold(range.bytes()).await;
        let which = || format!("range {} ({})", range.number, range.range_header());
        let mut attempt = 1;
        loop {
            // The source's region is settled by its HEAD, which came first.
            let client = self.source.client_for(&job.src.bucket);
            let req = request::get_source_range(&client, &job.src, source, opts, range);
            let read = self
                .send(async {
                    let out = req.send().await.map_err(|err| {
                        let e = S3Error::from_sdk("GetObject", &err);
                        let why = read_error(job, source, &e);
                        anyhow::Error::new(e).context(which()).context(why)
                    })?;
                    Ok::<_, anyhow::Error>(body(out.body, range, algorithm).await)
                })
                .await?;
            match read {
                Ok((bytes, crc)) => {
                    return Ok(Fetched {
                        bytes,
                        crc,
                        _memory: memory,
                    });
                }
                Err(e) if attempt < BODY_ATTEMPTS => {
                    tracing::warn!(
                        "{} of {}: the body was cut off ({e:#}); reading it again",
                        which(),
                        job.src
                    );
                    attempt += 1;
                }
                Err(e) => {
                    return Err(e
                        .context(which())
                        .context(format!("cannot read the source {}", job.src)));
                }
            }
        }
    }

    /// A streamed copy's single write: the whole source read (one GET),
    /// then one PutObject. Returns what was written, whether it is
    /// encrypted with a key (its ETag is then no MD5) and the CRC computed
    /// in flight.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn put_streamed(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
        acl: &Acl,
        ask: Ask,
        progress: &dyn Progress,
        cancel: &tokio_util::sync::CancellationToken,
    ) -> anyhow::Result<(Copied, bool, Option<Checksum>)> {
        let tags = self.tags_to_write(job, source, opts).await?;
        // A range has at least one byte: an empty source is not read.
        let whole = Part {
            number: 1,
            first: 0,
            last: source.size.saturating_sub(1),
        };
        let algorithm = crc_algorithm(ask);
        progress.multipart_started(source.size, 1);
        let fetched = match source.size {
            0 => Fetched {
                bytes: Bytes::new(),
                crc: algorithm.and_then(Crc::new).map(|c| c.value()),
                _memory: self.buffers.hold(0).await,
            },
            // Ctrl-C while the source is read: nothing is written.
            _ => tokio::select! {
                biased;
                () = cancel.cancelled() => {
                    progress.finished();
                    return Err(anyhow::Error::new(crate::error::Interrupted));
                }
                fetched = self.fetch(job, source, opts, whole, algorithm) => fetched?,
            },
        };
        if cancel.is_cancelled() {
            progress.finished();
            return Err(anyhow::Error::new(crate::error::Interrupted));
        }
        let computed = algorithm
            .zip(fetched.crc)
            .map(|(a, v)| Checksum::full_object(a, crc::to_base64(a, v)));
        let body = fetched.bytes.clone();
        let req = |c: &aws_sdk_s3::Client| {
            request::put_object(
                c,
                job,
                source,
                opts,
                acl,
                &tags,
                ask,
                computed.as_ref(),
                body.clone(),
            )
            .send()
        };
        let out = self.send_to(&job.dst.bucket, req).await;
        drop(fetched);
        progress.finished();
        let out = out.map_err(|err| {
            let e = S3Error::from_sdk("PutObject", &err);
            let why = super::precondition_context(job, opts, &e)
                .unwrap_or_else(|| format!("cannot write {} (streamed from {})", job.dst, job.src));
            anyhow::Error::new(e).context(why)
        })?;
        progress.part_copied(source.size);
        let keyed = request::keyed(out.server_side_encryption(), out.sse_customer_algorithm());
        Ok((
            Copied {
                size: source.size,
                method: Method::Single,
                etag: out.e_tag().map(str::to_owned),
                version_id: super::version(out.version_id()),
                source_version_id: source.version_id.clone(),
                duration: Default::default(),
                dry_run: false,
                requests: 0,
                checksum: request::put_checksum(&out),
                verified: None,
                unverified: None,
                streamed: true,
                possible_strays: Vec::new(),
            },
            keyed,
            computed,
        ))
    }

    /// The tags a write carries: the source's (COPY) or those given
    /// (REPLACE).
    pub(super) async fn tags_to_write(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<Vec<(String, String)>> {
        match opts.tagging.directive {
            crate::options::TaggingDirective::Copy => self.source_tags(job, source, opts).await,
            crate::options::TaggingDirective::Replace => Ok(opts.tagging.tags.clone()),
        }
    }
}

/// A body read to its end, exactly `range`'s bytes, with its CRC.
async fn body(
    mut body: ByteStream,
    range: Part,
    algorithm: Option<Algorithm>,
) -> anyhow::Result<(Bytes, Option<u64>)> {
    let mut crc = algorithm.and_then(Crc::new);
    let mut bytes = BytesMut::with_capacity(range.bytes() as usize);
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        if (bytes.len() + chunk.len()) as u64 > range.bytes() {
            anyhow::bail!(
                "the server sent more than the {} bytes asked for",
                range.bytes()
            );
        }
        if let Some(crc) = &mut crc {
            crc.update(&chunk);
        }
        bytes.extend_from_slice(&chunk);
    }
    if bytes.len() as u64 != range.bytes() {
        anyhow::bail!(
            "the body ended after {} of {} bytes",
            bytes.len(),
            range.bytes()
        );
    }
    Ok((bytes.freeze(), crc.map(|c| c.value())))
}

impl Task<'_> {
    /// One part of a streamed multipart copy: its range read, then
    /// UploadPart with the CRC computed in flight.
    pub(super) async fn stream_part(
        &self,
        upload_id: &str,
        part: Part,
        progress: &dyn Progress,
    ) -> anyhow::Result<CompletedPart> {
        let (job, source, opts) = (self.job, self.source, self.opts);
        let algorithm = crc_algorithm(self.checksum);
        let fetched = self
            .engine
            .fetch(job, source, opts, part, algorithm)
            .await?;
        let crc = algorithm
            .zip(fetched.crc)
            .map(|(a, v)| Checksum::full_object(a, crc::to_base64(a, v)));
        // The destination's region is settled by CreateMultipartUpload.
        let client = self.engine.regions.client_for(&job.dst.bucket);
        let req = request::upload_part(
            &client,
            job,
            opts,
            upload_id,
            part,
            self.checksum,
            crc.as_ref(),
            fetched.bytes.clone(),
        );
        let out = self.engine.send(req.send()).await.map_err(|err| {
            anyhow::Error::new(S3Error::from_sdk("UploadPart", &err)).context(format!(
                "part {} ({})",
                part.number,
                part.range_header()
            ))
        })?;
        drop(fetched);
        progress.part_copied(part.bytes());
        let value = |a: Algorithm| {
            crc.as_ref()
                .filter(|c| c.algorithm == a)
                .map(|c| c.value.clone())
        };
        Ok(CompletedPart::builder()
            .part_number(part.number)
            .set_e_tag(out.e_tag().map(str::to_owned))
            .set_checksum_crc32(value(Algorithm::Crc32).or(out.checksum_crc32().map(str::to_owned)))
            .set_checksum_crc32_c(
                value(Algorithm::Crc32c).or(out.checksum_crc32_c().map(str::to_owned)),
            )
            .set_checksum_crc64_nvme(
                value(Algorithm::Crc64Nvme).or(out.checksum_crc64_nvme().map(str::to_owned)),
            )
            .set_checksum_sha1(out.checksum_sha1().map(str::to_owned))
            .set_checksum_sha256(out.checksum_sha256().map(str::to_owned))
            .build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_larger_than_the_budget_waits_for_all_of_it() {
        let limits = Limits {
            threshold: 8 * KIB * KIB,
            part_size: 8 * KIB * KIB,
            source_parts: false,
        };
        let buffers = Buffers::new(2, limits);
        assert_eq!(buffers.total_kib, 16 * 1024);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let all = buffers.hold(u64::MAX / 2).await;
            assert_eq!(buffers.memory.available_permits(), 0);
            drop(all);
            let one = buffers.hold(8 * KIB * KIB).await;
            assert_eq!(buffers.memory.available_permits(), 8 * 1024);
            drop(one);
        });
    }
}
