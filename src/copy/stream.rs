//! A streamed copy, for two stores (or identities) between which no
//! server-side copy exists: the source's bytes are read with ranged
//! GetObjects, each pinned to the object that was HEADed (its ETag as
//! `If-Match`, and its version), and written with one PutObject (up to
//! the threshold) or as the parts of a multipart upload
//! ([`super::multipart::Task`] with `streamed`). Their CRC is computed as
//! they arrive and sent with every write, so that the destination store
//! checks it; the parts' CRCs, joined, are the whole object's.
//!
//! That CRC is the transfer's own ([`Transfer`]): it shows the destination
//! holds what s3cp sent, not that s3cp received the source's bytes (a byte
//! flipped on the way in is in it too). Where the source's ETag is the MD5
//! of its bytes, the MD5 of the bytes as they arrive, in order, is computed
//! too, to compare with it ([`crate::checksum::plan_stream`] decides).
//!
//! Memory: a body is held from its GET to the end of its write (and, when
//! the MD5 is computed, until every part before it has been hashed), within
//! [`Buffers`], one byte budget shared by every copy of the run
//! (`--concurrency` times the part size). The parts of one copy take their
//! memory in part order, before they start: a part waiting for the
//! previous one's hashing holds memory taken after the previous one's, so
//! the previous one never waits for it.

use std::time::SystemTime;

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::CompletedPart;
use bytes::{Bytes, BytesMut};
use futures::{StreamExt, TryStreamExt};
use md5::{Digest, Md5};
use tokio::sync::{Semaphore, SemaphorePermit, watch};

use super::multipart::Task;
use super::own_write::{EtagCheck, LastAttempts, OwnWrite};
use super::{Copied, Engine};
use crate::checksum::{Algorithm, Ask, Checksum};
use crate::error::{S3Error, messages};
use crate::hash::Hasher;
use crate::job::CopyJob;
use crate::options::{Acl, CopyOptions};
use crate::plan::{Limits, Method, Part};
use crate::progress::Progress;
use crate::request::{self, SourceObject};
use crate::uri::is_directory_bucket;

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

/// What a streamed copy computed of the bytes it passed on, as they came:
/// the transfer's own digests. A byte flipped on the way in is in them
/// too, so neither proves the copy by itself: the CRC is what the
/// destination must hold, the MD5 what the source's ETag must be.
#[derive(Debug, Clone)]
pub(super) struct Transfer {
    /// The whole object's CRC, sent with the writes for the destination
    /// store to check (`None`: SHA1 or SHA256, computed by the SDK, or a
    /// resumed copy whose store listed the parts before without their
    /// CRCs); in an algorithm added in 2026 (MD5, SHA512, the XXHASHes),
    /// the value s3cp computed and sent, `COMPOSITE` (of the parts' values)
    /// on a multipart copy.
    pub(super) crc: Option<Checksum>,
    /// The MD5 of the bytes in order (hex), or why it was not computed.
    pub(super) md5: Result<String, String>,
}

/// Why no MD5 was computed where nothing asked for one.
const MD5_NOT_NEEDED: &str = "the MD5 of the bytes was not computed (nothing compares with it)";

/// The MD5 of `bytes` (hex), computed off the async threads.
async fn md5_of(bytes: Bytes) -> Result<String, String> {
    tokio::task::spawn_blocking(move || format!("{:x}", Md5::digest(&bytes)))
        .await
        .map_err(|e| format!("the MD5 of the bytes could not be computed ({e})"))
}

/// The MD5 of a multipart stream's bytes, fed part by part in part order
/// while the parts arrive in any order: a part whose predecessors are not
/// hashed yet waits for them (holding its memory, taken after theirs).
#[derive(Debug)]
pub(super) struct InOrderMd5 {
    /// The number of the next part to hash.
    next: watch::Sender<i32>,
    /// The MD5 of the parts before `next`; out of it while a part is
    /// hashed (on a blocking thread).
    md5: std::sync::Mutex<Option<Md5>>,
}

impl InOrderMd5 {
    pub(super) fn new() -> Self {
        InOrderMd5 {
            next: watch::Sender::new(1),
            md5: std::sync::Mutex::new(Some(Md5::new())),
        }
    }

    /// Adds part `number`'s bytes once every part before it is added.
    async fn add(&self, number: i32, bytes: Bytes) -> anyhow::Result<()> {
        let mut turn = self.next.subscribe();
        turn.wait_for(|next| *next == number)
            .await
            .map_err(|_| anyhow::anyhow!("the MD5 of the parts was dropped"))?;
        let mut md5 = self
            .md5
            .lock()
            .expect("md5 lock")
            .take()
            .ok_or_else(|| anyhow::anyhow!("part {number}'s turn to be hashed came twice"))?;
        let md5 = tokio::task::spawn_blocking(move || {
            md5.update(&bytes);
            md5
        })
        .await?;
        *self.md5.lock().expect("md5 lock") = Some(md5);
        self.next.send_replace(number + 1);
        Ok(())
    }

    /// The MD5 of parts 1 to `parts` (hex); an error if one is missing.
    pub(super) fn finish(self, parts: u64) -> Result<String, String> {
        let next = *self.next.borrow();
        match self.md5.into_inner().expect("md5 lock") {
            Some(md5) if i64::from(next) == parts as i64 + 1 => Ok(format!("{:x}", md5.finalize())),
            _ => Err(format!(
                "the MD5 of the bytes is not known: {} of {parts} parts were hashed",
                next - 1
            )),
        }
    }
}

/// One range of the source in memory, with its CRC.
#[derive(Debug)]
pub(super) struct Fetched<'a> {
    pub(super) bytes: Bytes,
    /// The checksum of `bytes` in the copy's algorithm, in S3's base64
    /// form (`None` for SHA1 or SHA256, which the SDK computes as it sends
    /// them).
    pub(super) value: Option<String>,
    _memory: SemaphorePermit<'a>,
}

/// The algorithm the copy computes in flight: a CRC, or one of the
/// algorithms added in 2026, which the SDK cannot compute (SHA1 and SHA256
/// are left to the SDK, as it sends the bytes).
fn computed_algorithm(ask: Ask) -> Option<Algorithm> {
    ask.algorithm.filter(|a| a.is_crc() || a.is_new())
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
        self.fetch_into(memory, job, source, opts, range, algorithm)
            .await
    }

    /// [`Engine::fetch`] into `memory`, already taken for `range`.
    async fn fetch_into<'a>(
        &'a self,
        memory: SemaphorePermit<'a>,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
        range: Part,
        algorithm: Option<Algorithm>,
    ) -> anyhow::Result<Fetched<'a>> {
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
                        let why = messages::stream_read_error(job, source, &e);
                        anyhow::Error::new(e).context(which()).context(why)
                    })?;
                    Ok::<_, anyhow::Error>(body(out.body, range, algorithm).await)
                })
                .await?;
            match read {
                Ok((bytes, value)) => {
                    return Ok(Fetched {
                        bytes,
                        value,
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
    /// encrypted with a key (its ETag is then no MD5) and the transfer's
    /// own digests: the CRC computed in flight, and with `md5` the MD5 of
    /// the bytes (computed while they are written). `started`: when the
    /// copy started, by this machine's clock.
    ///
    /// `--no-overwrite` or `--if-match`: a PutObject whose answer was lost
    /// and that the SDK sent again meets s3cp's own first write (412);
    /// only an object that is that write (its size, the MD5 of the bytes
    /// as ETag unless encrypted with a key, written since the copy
    /// started) is taken for it, as for CopyObject.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn put_streamed(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
        acl: &Acl,
        ask: Ask,
        md5: bool,
        started: SystemTime,
        progress: &dyn Progress,
        cancel: &tokio_util::sync::CancellationToken,
    ) -> anyhow::Result<(Copied, bool, Transfer)> {
        let tags = self.tags_to_write(job, source, opts).await?;
        // A range has at least one byte: an empty source is not read.
        let whole = Part {
            number: 1,
            first: 0,
            last: source.size.saturating_sub(1),
        };
        let algorithm = computed_algorithm(ask);
        progress.multipart_started(source.size, 1);
        let fetched = match source.size {
            0 => Fetched {
                bytes: Bytes::new(),
                value: algorithm.map(|a| Hasher::new(a).finish_base64()),
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
        let crc = algorithm
            .zip(fetched.value.clone())
            .map(|(a, v)| Checksum::full_object(a, v));
        let body = fetched.bytes.clone();
        // Attempts are counted where a resend changes what an answer means
        // (a conditional write meeting its own first attempt).
        let attempts = LastAttempts::default();
        let conditional = opts.destination_conditional();
        let req = |c: &aws_sdk_s3::Client| {
            let req = request::put_object(
                c,
                job,
                source,
                opts,
                acl,
                &tags,
                ask,
                crc.as_ref(),
                body.clone(),
            );
            match conditional {
                true => futures::future::Either::Left(
                    req.customize().interceptor(attempts.fresh()).send(),
                ),
                false => futures::future::Either::Right(req.send()),
            }
        };
        let hashed = async {
            match md5 {
                true => md5_of(body.clone()).await,
                false => Err(MD5_NOT_NEEDED.to_owned()),
            }
        };
        let (out, hashed) = tokio::join!(self.send_to(&job.dst.bucket, req), hashed);
        let mut transfer = Transfer { crc, md5: hashed };
        let copied = |etag: Option<String>, version_id, checksum| Copied {
            etag,
            version_id,
            checksum,
            ..Copied::made(source.size, Method::Single, true, source.version_id.clone())
        };
        let err = match out {
            Ok(out) => {
                drop(fetched);
                progress.finished();
                progress.part_copied(source.size);
                let keyed =
                    request::keyed(out.server_side_encryption(), out.sse_customer_algorithm());
                let made = copied(
                    out.e_tag().map(str::to_owned),
                    super::version(out.version_id()),
                    request::put_checksum(&out),
                );
                return Ok((made, keyed, transfer));
            }
            Err(err) => err,
        };
        let e = S3Error::from_sdk("PutObject", &err);
        if conditional && e.status == Some(412) && attempts.log().sent > 1 {
            if transfer.md5.is_err() {
                transfer.md5 = md5_of(body.clone()).await;
            }
            let own = OwnWrite {
                size: source.size,
                // Under SSE-KMS or a customer key the ETag is not compared.
                etag: match &transfer.md5 {
                    Ok(md5) => EtagCheck::Equals(md5.clone()),
                    Err(_) => EtagCheck::Any,
                },
                since: started,
            };
            if let Some(written) = self.own_write(job, opts, &own).await {
                tracing::info!(
                    "the PutObject sent again met this copy's own first write to {}",
                    job.dst
                );
                drop(fetched);
                progress.finished();
                progress.part_copied(source.size);
                let made = copied(written.etag, written.version_id, written.checksum);
                return Ok((made, written.keyed, transfer));
            }
        }
        drop(fetched);
        progress.finished();
        let why = messages::precondition_context(job, opts, &e)
            .unwrap_or_else(|| format!("cannot write {} (streamed from {})", job.dst, job.src));
        Err(anyhow::Error::new(e).context(why))
    }

    /// The tags a write carries: the source's (COPY) or those given
    /// (REPLACE). Into a directory bucket, none: the source's are read
    /// only to name them in a warning ([`Engine::drop_tags`]); out of
    /// one, none (it keeps none).
    pub(super) async fn tags_to_write(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<Vec<(String, String)>> {
        match opts.tagging.directive {
            crate::options::TaggingDirective::Copy if is_directory_bucket(&job.dst.bucket) => {
                self.drop_tags(job, source, opts).await;
                Ok(Vec::new())
            }
            // A directory bucket keeps no tags: nothing to read.
            crate::options::TaggingDirective::Copy if is_directory_bucket(&job.src.bucket) => {
                Ok(Vec::new())
            }
            crate::options::TaggingDirective::Copy => self.source_tags(job, source, opts).await,
            crate::options::TaggingDirective::Replace => Ok(opts.tagging.tags.clone()),
        }
    }

    /// A copy into a directory bucket, which keeps no tags, under COPY:
    /// the source's tags (read with GetObjectTagging; a source in a
    /// directory bucket has none, and is not asked) are named in a
    /// warning, since the destination will not have them. A failed read
    /// says so and does not fail the copy: nothing of it is written.
    pub(super) async fn drop_tags(&self, job: &CopyJob, source: &SourceObject, opts: &CopyOptions) {
        if is_directory_bucket(&job.src.bucket) {
            return;
        }
        match self.source_tags(job, source, opts).await {
            Ok(tags) if tags.is_empty() => {}
            Ok(tags) => tracing::warn!(
                "{}: {} is a directory bucket, which keeps no tags: the source's tags {} are \
                 not copied",
                job.dst,
                job.dst.bucket,
                request::tagging_header(&tags)
            ),
            Err(e) => tracing::warn!(
                "{}: {} is a directory bucket, which keeps no tags: the source's tags are not \
                 copied ({e:#})",
                job.dst,
                job.dst.bucket
            ),
        }
    }
}

/// A body read to its end, exactly `range`'s bytes, with its checksum in
/// `algorithm` (S3's base64 form).
async fn body(
    mut body: ByteStream,
    range: Part,
    algorithm: Option<Algorithm>,
) -> anyhow::Result<(Bytes, Option<String>)> {
    let mut crc = algorithm.map(Hasher::new);
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
    Ok((bytes.freeze(), crc.map(Hasher::finish_base64)))
}

impl Task<'_> {
    /// Streams `parts`, at most `concurrency` at once; returns the
    /// completed parts (in completion order). Each part's memory is taken
    /// in part order before it starts (see the module docs); with `md5`,
    /// each part's bytes are hashed in part order. The first failure stops
    /// the rest: dropping the stream cancels requests in flight.
    pub(super) async fn stream_parts(
        &self,
        upload_id: &str,
        parts: impl Iterator<Item = Part>,
        md5: Option<&InOrderMd5>,
        progress: &dyn Progress,
    ) -> anyhow::Result<Vec<CompletedPart>> {
        let buffers = self.engine.buffers;
        futures::stream::iter(parts)
            .then(|part| async move { (part, buffers.hold(part.bytes()).await) })
            .map(|(part, memory)| self.stream_part(upload_id, part, memory, md5, progress))
            .buffer_unordered(self.engine.concurrency.max(1))
            .try_collect()
            .await
    }

    /// One part of a streamed multipart copy, in `memory` taken for it:
    /// its range read, then UploadPart with the CRC computed in flight
    /// (and, with `md5`, its bytes hashed in turn meanwhile).
    async fn stream_part<'m>(
        &self,
        upload_id: &str,
        part: Part,
        memory: SemaphorePermit<'m>,
        md5: Option<&InOrderMd5>,
        progress: &dyn Progress,
    ) -> anyhow::Result<CompletedPart> {
        let (job, source, opts) = (self.job, self.source, self.opts);
        let algorithm = computed_algorithm(self.checksum);
        let fetched = self
            .engine
            .fetch_into(memory, job, source, opts, part, algorithm)
            .await?;
        let crc = algorithm
            .zip(fetched.value.clone())
            .map(|(a, v)| Checksum::full_object(a, v));
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
        let upload = async {
            self.engine.send(req.send()).await.map_err(|err| {
                anyhow::Error::new(S3Error::from_sdk("UploadPart", &err)).context(format!(
                    "part {} ({})",
                    part.number,
                    part.range_header()
                ))
            })
        };
        let hashed = async {
            match md5 {
                Some(md5) => md5.add(part.number, fetched.bytes.clone()).await,
                None => Ok(()),
            }
        };
        let (out, ()) = tokio::try_join!(upload, hashed)?;
        drop(fetched);
        progress.part_copied(part.bytes());
        // The value sent with the part (s3cp's own), else what the store
        // answered, in each algorithm.
        let answered = [
            out.checksum_crc32(),
            out.checksum_crc32_c(),
            out.checksum_crc64_nvme(),
            out.checksum_sha1(),
            out.checksum_sha256(),
            out.checksum_md5(),
            out.checksum_sha512(),
            out.checksum_xxhash3(),
            out.checksum_xxhash64(),
            out.checksum_xxhash128(),
        ];
        let mut values = [const { None }; 10];
        for ((slot, alg), answer) in values.iter_mut().zip(Algorithm::ALL).zip(answered) {
            *slot = crc
                .as_ref()
                .filter(|c| c.algorithm == alg)
                .map(|c| c.value.clone())
                .or(answer.map(str::to_owned));
        }
        Ok(request::completed_part(
            part.number,
            out.e_tag().map(str::to_owned),
            values,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts hashed as they come, in any order: the MD5 is the whole's;
    /// a part missing leaves it unknown.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn parts_hashed_in_any_order_give_the_md5_of_the_whole() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 31 % 251) as u8).collect();
        let whole = format!("{:x}", Md5::digest(&data));
        let parts: Vec<Bytes> = data.chunks(7_000).map(Bytes::copy_from_slice).collect();
        let count = parts.len() as u64;
        let md5 = InOrderMd5::new();
        // Every part at once, the last first: each waits for its turn.
        let adds = parts
            .iter()
            .enumerate()
            .rev()
            .map(|(i, bytes)| md5.add(i as i32 + 1, bytes.clone()));
        futures::future::try_join_all(adds).await.unwrap();
        assert_eq!(md5.finish(count), Ok(whole));

        let md5 = InOrderMd5::new();
        md5.add(1, parts[0].clone()).await.unwrap();
        let missing = md5.finish(count).unwrap_err();
        assert!(
            missing.contains(&format!("1 of {count} parts")),
            "{missing}"
        );
    }

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
