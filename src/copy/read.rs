//! Reading the source to prove a copy (`--verify`) where S3's checksums and
//! the ETag cannot: the source's full-object CRC, computed from its bytes,
//! read once with parallel ranged GETs pinned to the object that was HEADed.
//!
//! Memory stays bounded whatever the size: each range's body is fed into a
//! running [`Crc`] chunk by chunk as it arrives (nothing buffers a whole
//! range), and what is kept of a finished range is its CRC and length,
//! joined onto the CRC of the ranges before it ([`InOrder`]).
//!
//! Any other algorithm (MD5, a SHA, an XXHASH) cannot be joined from
//! ranges: it is computed over each part of the copy in turn, its ranges
//! read one after another into the part's [`Hasher`], the parts in
//! parallel, and the parts' digests make the `COMPOSITE` value
//! ([`crate::hash::composite`]), as the destination's is; a single write's
//! full-object value is the one part of the whole object.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use aws_sdk_s3::primitives::ByteStream;
use futures::{StreamExt, TryStreamExt};
use tokio_util::sync::CancellationToken;

use super::Engine;
use crate::checksum::{Algorithm, Checksum, Kind};
use crate::crc::{self, Crc};
use crate::error::{Interrupted, S3Error, messages};
use crate::hash::{self, Hasher};
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::plan::{self, Part};
use crate::progress::Progress;
use crate::request::{self, SourceObject};

const MIB: u64 = 1024 * 1024;

/// Bytes per ranged GET, chosen by measurement: a 1 GiB object of random
/// bytes on Garage 2.5.0 read into its CRC64NVME (which matched the value
/// Garage stored at upload), client and server on one 2-core machine,
/// release build; seconds (best of 3; a second pass agreed within 0.1 s)
/// and the client's peak RSS:
///
/// | range  | ranges | conc 8         | conc 16        | conc 32        |
/// |--------|--------|----------------|----------------|----------------|
/// | 8 MiB  | 128    | 1.56 s, 22 MiB | 1.54 s, 28 MiB | 1.54 s, 39 MiB |
/// | 16 MiB | 64     | 1.40 s, 22 MiB | 1.43 s, 26 MiB | 1.37 s, 37 MiB |
/// | 32 MiB | 32     | 1.32 s, 22 MiB | 1.32 s, 27 MiB | 1.31 s, 38 MiB |
/// | 64 MiB | 16     | 1.30 s, 23 MiB | 1.23 s, 27 MiB | 1.26 s, 27 MiB |
///
/// (16 MiB ranges, 1, 2 and 4 in flight: 2.60, 1.91 and 1.52 s, 16 to
/// 18 MiB.) The server is the limit from 8 in flight on (the client spends
/// 0.4 s of CPU per GiB, the CRC included), and memory grows with the
/// requests in flight, about 0.6 MiB each, not with the range. 64 MiB
/// ranges are 8% faster here, where a request costs nothing; on AWS, which
/// advises parallel range GETs because one stream is slow, the number of
/// ranges in flight matters more: 16 MiB keeps 32 requests busy from
/// 512 MiB up (64 MiB only from 2 GiB), is one of the two sizes AWS
/// recommends ("8 MB or 16 MB", Optimizing Amazon S3 Performance, "Use
/// Byte-Range Fetches"), and its boundaries fall on part boundaries of
/// sources made with s3cp's (256 MiB) or aws-cli's (8 MiB) part size, as
/// AWS also advises.
pub(super) const RANGE: u64 = 16 * MIB;

/// The source's checksum in `algorithm`, in S3's base64 form, read once
/// with ranged GETs of [`RANGE`] bytes: at most `engine.concurrency` in
/// flight, each within the shared request budget for as long as its body
/// is read, each pinned to the HEADed ETag and version. A CRC is
/// full-object (its ranges joined); any other algorithm is `COMPOSITE`
/// over parts of `parts` bytes when given (a multipart copy's), else
/// full-object, read in order. A zero-byte source needs no request.
/// `cancel` (Ctrl-C) stops the read: [`Interrupted`].
#[allow(clippy::too_many_arguments)]
pub(super) async fn source_checksum(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    algorithm: Algorithm,
    parts: Option<u64>,
    progress: &dyn Progress,
    cancel: &CancellationToken,
) -> anyhow::Result<Checksum> {
    progress.reading_started(source.size);
    let read = match (algorithm.is_crc(), parts) {
        (true, _) => {
            let ranges = plan::parts(source.size, RANGE);
            read_ranges(
                engine, job, source, opts, algorithm, ranges, progress, cancel,
            )
            .await
            .map(|value| Checksum::full_object(algorithm, value))
        }
        (false, _) => {
            read_parts(
                engine, job, source, opts, algorithm, parts, progress, cancel,
            )
            .await
        }
    };
    progress.finished();
    read
}

/// [`source_checksum`] in an algorithm that is not a CRC: each part (or
/// the whole object, without `parts`) read range after range into its own
/// [`Hasher`], the parts in parallel; the composite of the parts'
/// digests, or the whole object's digest.
#[allow(clippy::too_many_arguments)]
async fn read_parts(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    algorithm: Algorithm,
    parts: Option<u64>,
    progress: &dyn Progress,
    cancel: &CancellationToken,
) -> anyhow::Result<Checksum> {
    let cut = parts.unwrap_or(source.size).max(1);
    let read = futures::stream::iter(plan::parts(source.size, cut))
        .map(|part| async move {
            let mut hasher = Hasher::new(algorithm);
            for sub in plan::parts(part.bytes(), RANGE) {
                let range = Part {
                    number: part.number,
                    first: part.first + sub.first,
                    last: part.first + sub.last,
                };
                hasher =
                    read_range_into(engine, job, source, opts, hasher, range, progress).await?;
            }
            Ok::<_, anyhow::Error>((part.number, hasher.finish_base64()))
        })
        .buffer_unordered(engine.concurrency.max(1))
        .try_collect::<Vec<_>>();
    let mut values = tokio::select! {
        biased;
        () = cancel.cancelled() => return Err(anyhow::Error::new(Interrupted)),
        done = read => done?,
    };
    values.sort_by_key(|(n, _)| *n);
    match parts {
        Some(_) => {
            let value = hash::composite(algorithm, values.iter().map(|(_, v)| v.as_str()))
                .ok_or_else(|| anyhow!("a part's {algorithm} of {} was not base64", job.src))?;
            Ok(Checksum {
                algorithm,
                kind: Kind::Composite,
                value,
            })
        }
        None => {
            // One part, or none for an empty source.
            let value = match values.pop() {
                Some((_, v)) => v,
                None => Hasher::new(algorithm).finish_base64(),
            };
            Ok(Checksum::full_object(algorithm, value))
        }
    }
}

/// One range's body fed into `hasher` as it arrives (exactly the range's
/// bytes); the request holds its permit of the budget until the body has
/// been read to the end.
async fn read_range_into(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    mut hasher: Hasher,
    range: Part,
    progress: &dyn Progress,
) -> anyhow::Result<Hasher> {
    let client = engine.source.client_for(&job.src.bucket);
    let req = request::get_source_range(&client, &job.src, source, opts, range);
    let which = || format!("range {} ({})", range.range_header(), job.src);
    engine
        .send(async {
            let mut body = req.send().await.map_err(|err| {
                let e = S3Error::from_sdk("GetObject", &err);
                let why = messages::verify_read_error(job, source, &e);
                anyhow::Error::new(e).context(which()).context(why)
            })?;
            let mut got = 0u64;
            while let Some(chunk) = body.body.next().await {
                let chunk = chunk
                    .with_context(which)
                    .with_context(|| messages::cannot_read_to_verify(job))?;
                got += chunk.len() as u64;
                if got > range.bytes() {
                    return Err(anyhow!(
                        "the server sent more than the {} bytes asked for",
                        range.bytes()
                    ))
                    .with_context(which)
                    .with_context(|| messages::cannot_read_to_verify(job));
                }
                hasher.update(&chunk);
                progress.bytes_read(chunk.len() as u64);
            }
            if got != range.bytes() {
                return Err(anyhow!(
                    "the body ended after {got} of {} bytes",
                    range.bytes()
                ))
                .with_context(which)
                .with_context(|| messages::cannot_read_to_verify(job));
            }
            Ok(hasher)
        })
        .await
}

/// [`source_checksum`] over the given ranges, which cover the source.
#[allow(clippy::too_many_arguments)]
async fn read_ranges(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    algorithm: Algorithm,
    ranges: impl Iterator<Item = Part>,
    progress: &dyn Progress,
    cancel: &CancellationToken,
) -> anyhow::Result<String> {
    let mut whole = InOrder::new(algorithm).ok_or_else(|| {
        anyhow!(
            "cannot compute {algorithm} by reading the source: only a CRC (CRC32, CRC32C, \
             CRC64NVME) can be joined from ranges read in parallel"
        )
    })?;
    let read = futures::stream::iter(ranges)
        .map(|range| read_range(engine, job, source, opts, algorithm, range, progress))
        .buffer_unordered(engine.concurrency.max(1))
        .try_for_each(|(range, value)| {
            whole.add(range.number, value, range.bytes());
            futures::future::ready(Ok(()))
        });
    // Dropping the stream cancels the ranges in flight.
    tokio::select! {
        biased;
        () = cancel.cancelled() => return Err(anyhow::Error::new(Interrupted)),
        done = read => done?,
    }
    let (value, len) = whole
        .finish()
        .ok_or_else(|| anyhow!("a range of {} was not read", job.src))?;
    // Every range was checked for its length: a whole object was read.
    debug_assert_eq!(len, source.size);
    Ok(crc::to_base64(algorithm, value))
}

/// One range's CRC, its body fed into the CRC as it arrives. The request
/// holds its permit of the budget until the body has been read to the end.
async fn read_range(
    engine: &Engine<'_>,
    job: &CopyJob,
    source: &SourceObject,
    opts: &CopyOptions,
    algorithm: Algorithm,
    range: Part,
    progress: &dyn Progress,
) -> anyhow::Result<(Part, u64)> {
    // The source's region is settled by its HEAD, which came first.
    let client = engine.source.client_for(&job.src.bucket);
    let req = request::get_source_range(&client, &job.src, source, opts, range);
    let which = || format!("range {} ({})", range.number, range.range_header());
    engine
        .send(async {
            let out = req.send().await.map_err(|err| {
                let e = S3Error::from_sdk("GetObject", &err);
                let why = messages::verify_read_error(job, source, &e);
                anyhow::Error::new(e).context(which()).context(why)
            })?;
            let value = range_crc(out.body, algorithm, range, progress)
                .await
                .with_context(which)
                .with_context(|| messages::cannot_read_to_verify(job))?;
            Ok((range, value))
        })
        .await
}

/// The CRC of a range's body, fed chunk by chunk as it arrives; the body
/// must be exactly the range's bytes.
async fn range_crc(
    mut body: ByteStream,
    algorithm: Algorithm,
    range: Part,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    let mut crc = Crc::new(algorithm).expect("a CRC algorithm");
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        if crc.len() + chunk.len() as u64 > range.bytes() {
            anyhow::bail!(
                "the server sent more than the {} bytes asked for",
                range.bytes()
            );
        }
        crc.update(&chunk);
        progress.bytes_read(chunk.len() as u64);
    }
    if crc.len() != range.bytes() {
        anyhow::bail!(
            "the body ended after {} of {} bytes",
            crc.len(),
            range.bytes()
        );
    }
    Ok(crc.value())
}

/// The CRC of a whole object from the CRCs of its ranges (numbered from 1,
/// adjacent, in number order), which arrive in any order: each is joined on
/// as soon as every range before it has been, so what waits is only the
/// ranges that finished ahead of a slower one.
#[derive(Debug)]
struct InOrder {
    alg: Algorithm,
    /// The number of the next range to join on.
    next: i32,
    /// The CRC of ranges `1..next`.
    value: u64,
    /// Their bytes.
    len: u64,
    /// Ranges after `next` that arrived first: number -> (CRC, bytes).
    waiting: BTreeMap<i32, (u64, u64)>,
}

impl InOrder {
    /// `None` if `alg` is not a CRC.
    fn new(alg: Algorithm) -> Option<Self> {
        let empty = Crc::new(alg)?;
        Some(InOrder {
            alg,
            next: 1,
            value: empty.value(),
            len: 0,
            waiting: BTreeMap::new(),
        })
    }

    /// Range `number` has CRC `value` over `len` bytes.
    fn add(&mut self, number: i32, value: u64, len: u64) {
        self.waiting.insert(number, (value, len));
        while let Some((value, len)) = self.waiting.remove(&self.next) {
            self.value = crc::combine(self.alg, self.value, value, len);
            self.len += len;
            self.next += 1;
        }
    }

    /// The CRC of every range and their bytes; `None` if a range is
    /// missing (one after it arrived, it never did).
    fn finish(self) -> Option<(u64, u64)> {
        self.waiting.is_empty().then_some((self.value, self.len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRCS: [Algorithm; 3] = [Algorithm::Crc32, Algorithm::Crc32c, Algorithm::Crc64Nvme];

    fn crc_of(alg: Algorithm, bytes: &[u8]) -> u64 {
        let mut crc = Crc::new(alg).unwrap();
        crc.update(bytes);
        crc.value()
    }

    /// Some bytes that are not all alike.
    fn data(len: usize) -> Vec<u8> {
        (0..len as u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect()
    }

    /// The ranges of `data` as `plan::parts` cuts them, each with its CRC.
    fn ranges(alg: Algorithm, data: &[u8], range: u64) -> Vec<(Part, u64)> {
        plan::parts(data.len() as u64, range)
            .map(|p| {
                let bytes = &data[p.first as usize..=p.last as usize];
                (p, crc_of(alg, bytes))
            })
            .collect()
    }

    #[test]
    fn ranges_joined_in_any_order_give_the_crc_of_the_whole() {
        // 10 ranges of 1000 bytes and a short last one.
        let bytes = data(10_337);
        for alg in CRCS {
            let parts = ranges(alg, &bytes, 1000);
            assert_eq!(parts.len(), 11);
            let orders: [Vec<usize>; 4] = [
                (0..11).collect(),
                (0..11).rev().collect(),
                vec![3, 0, 10, 1, 2, 9, 4, 8, 5, 7, 6],
                vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0],
            ];
            for order in orders {
                let mut whole = InOrder::new(alg).unwrap();
                for i in &order {
                    let (p, value) = parts[*i];
                    whole.add(p.number, value, p.bytes());
                }
                let (value, len) = whole.finish().unwrap();
                assert_eq!(len, bytes.len() as u64);
                assert_eq!(value, crc_of(alg, &bytes), "{alg} in order {order:?}");
            }
        }
    }

    #[test]
    fn a_missing_range_is_noticed() {
        let bytes = data(5000);
        let parts = ranges(Algorithm::Crc64Nvme, &bytes, 1000);
        let mut whole = InOrder::new(Algorithm::Crc64Nvme).unwrap();
        for (p, value) in parts.iter().filter(|(p, _)| p.number != 3) {
            whole.add(p.number, *value, p.bytes());
        }
        assert_eq!(whole.finish(), None);
    }

    #[test]
    fn no_ranges_give_the_crc_of_nothing() {
        for alg in CRCS {
            let whole = InOrder::new(alg).unwrap();
            assert_eq!(whole.finish(), Some((crc_of(alg, b""), 0)), "{alg}");
        }
        assert_eq!(plan::parts(0, RANGE).len(), 0);
    }

    fn range(first: u64, last: u64) -> Part {
        Part {
            number: 1,
            first,
            last,
        }
    }

    #[tokio::test]
    async fn a_body_of_exactly_the_range_gives_its_crc() {
        let bytes = data(4096);
        let body = ByteStream::from(bytes.clone());
        let value = range_crc(
            body,
            Algorithm::Crc32c,
            range(4096, 8191),
            &crate::progress::Silent,
        )
        .await
        .unwrap();
        assert_eq!(value, crc_of(Algorithm::Crc32c, &bytes));
    }

    #[tokio::test]
    async fn a_body_short_of_the_range_is_an_error() {
        let body = ByteStream::from(data(4095));
        let e = range_crc(
            body,
            Algorithm::Crc64Nvme,
            range(4096, 8191),
            &crate::progress::Silent,
        )
        .await
        .unwrap_err();
        assert_eq!(e.to_string(), "the body ended after 4095 of 4096 bytes");
        let empty = ByteStream::from(Vec::new());
        let e = range_crc(
            empty,
            Algorithm::Crc64Nvme,
            range(0, 0),
            &crate::progress::Silent,
        )
        .await
        .unwrap_err();
        assert_eq!(e.to_string(), "the body ended after 0 of 1 bytes");
    }

    #[tokio::test]
    async fn a_body_longer_than_the_range_is_an_error() {
        // A server that ignored the Range header and sent the whole object.
        let body = ByteStream::from(data(10_000));
        let e = range_crc(
            body,
            Algorithm::Crc32,
            range(0, 4095),
            &crate::progress::Silent,
        )
        .await
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the server sent more than the 4096 bytes asked for"
        );
    }

    #[test]
    fn only_crcs_can_be_joined() {
        assert!(InOrder::new(Algorithm::Sha1).is_none());
        assert!(InOrder::new(Algorithm::Sha256).is_none());
    }

    #[test]
    fn the_check_value_from_ranges_of_one_byte() {
        // CRC-64/NVME of "123456789", the CRC catalogue's check value.
        let parts = ranges(Algorithm::Crc64Nvme, b"123456789", 1);
        let mut whole = InOrder::new(Algorithm::Crc64Nvme).unwrap();
        for (p, value) in parts.into_iter().rev() {
            whole.add(p.number, value, p.bytes());
        }
        assert_eq!(whole.finish(), Some((0xAE8B_1486_0A79_9888, 9)));
    }
}
