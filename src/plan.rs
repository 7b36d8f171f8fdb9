//! Pure copy planning: one CopyObject or a multipart copy, the part size and
//! the byte range of every part. No I/O here, so every limit is unit-tested;
//! how a plan is printed is the business of the `report` module.
//!
//! Limits: <https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html>
//! and <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html>.

use std::fmt;

const MIB: u64 = 1024 * 1024;
const GIB: u64 = 1024 * MIB;

/// The largest object one CopyObject may copy.
pub const MAX_SINGLE_COPY: u64 = 5 * GIB;
/// Smallest part (all but the last part).
pub const MIN_PART_SIZE: u64 = 5 * MIB;
/// Largest part.
pub const MAX_PART_SIZE: u64 = 5 * GIB;
/// Most parts in one multipart upload.
pub const MAX_PARTS: u64 = 10_000;
/// Largest object S3 stores: 10,000 parts of 5 GiB ("48.8 TiB").
pub const MAX_OBJECT_SIZE: u64 = MAX_PARTS * MAX_PART_SIZE;

/// Default multipart threshold: everything CopyObject can do in one request
/// is done in one (atomic) request.
pub const DEFAULT_THRESHOLD: u64 = MAX_SINGLE_COPY;

/// Default part size, chosen by measurement (`scripts/bench-multipart.sh`,
/// table in `BENCHMARKS.md`): a 6 GiB multipart copy on Garage 2.5.0, client
/// and server on one 2-core machine, seconds per copy, best of 2:
///
/// | part size | parts | conc 4 | conc 8 | conc 16 |
/// |-----------|-------|--------|--------|---------|
/// | 8 MiB     | 768   | 16.4   | 15.8   | 15.7    |
/// | 32 MiB    | 192   | 14.1   | 13.2   | 13.2    |
/// | 64 MiB    | 96    | 13.5   | 12.6   | 13.2    |
/// | 128 MiB   | 48    | 13.5   | 12.3   | 12.1    |
/// | 256 MiB   | 24    | 12.3   | 11.5   | 11.6    |
/// | 512 MiB   | 12    | 12.5   | 12.2   | 12.3    |
///
/// 256 MiB parts reach the server's limit (Garage reads and hashes every
/// byte it copies) from 8 in flight on; aws-cli's 8 MiB parts pay a
/// per-request cost 768 times and are ~35% slower. Fewer, larger parts also
/// mean fewer billed requests on AWS, and 512 MiB leaves too few parts to
/// keep the requests busy on objects just above 5 GiB.
pub const DEFAULT_PART_SIZE: u64 = 256 * MIB;
/// Default number of requests in flight, shared by every object and part of
/// a run. A 6 GiB copy takes the same time at 8, 16 or 32 (11.5, 11.6,
/// 11.9 s: the server is the limit), while a bulk copy of 20,000 small
/// objects (`scripts/bench-bulk.sh`) runs at 2,110 objects/s with 8 and
/// 2,590/s with 32; on AWS, where each request waits tens of milliseconds,
/// more in flight matters more still.
pub const DEFAULT_CONCURRENCY: usize = 32;

/// Default part size of a streamed copy (the bytes pass through this
/// machine, one part in memory per part in flight), and its default
/// multipart threshold: an object up to one part is one PutObject.
pub const STREAM_PART_SIZE: u64 = 16 * MIB;

/// Where the bytes of a copy go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CopyMode {
    /// Server-side when both ends are the same store, else streamed.
    #[default]
    Auto,
    /// Server-side only (CopyObject, UploadPartCopy).
    Server,
    /// Streamed: GetObject, then PutObject or UploadPart.
    Stream,
}

impl CopyMode {
    pub fn name(self) -> &'static str {
        match self {
            CopyMode::Auto => "auto",
            CopyMode::Server => "server",
            CopyMode::Stream => "stream",
        }
    }

    pub fn from_name(name: &str) -> Option<CopyMode> {
        [CopyMode::Auto, CopyMode::Server, CopyMode::Stream]
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name))
    }

    /// [`CopyMode::streams`] for a copy out of `src_bucket`: S3 takes a
    /// Multi-Region Access Point as the destination of CopyObject and
    /// UploadPartCopy, never as their source
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointRestrictions.html>),
    /// so a copy out of one is streamed (GetObject through it works).
    pub fn streams_from(self, same_store: bool, src_bucket: &str) -> Result<bool, String> {
        let multi_region =
            crate::uri::arn::AccessPoint::parse(src_bucket).is_some_and(|ap| ap.is_multi_region());
        match (self, multi_region) {
            (CopyMode::Server, true) => Err(format!(
                "the source is the Multi-Region Access Point {src_bucket}, which S3 does not \
                 take as the source of a server-side copy (CopyObject and UploadPartCopy take \
                 one only as the destination): give --copy-mode auto or stream (on a manifest \
                 line, \"mode\": \"stream\") to stream the bytes through this machine"
            )),
            (_, true) => Ok(true),
            (_, false) => self.streams(same_store),
        }
    }

    /// Whether a copy between two ends (`same_store`: one store holds
    /// both) is streamed; an error when it cannot be made in this mode.
    pub fn streams(self, same_store: bool) -> Result<bool, String> {
        match self {
            CopyMode::Auto => Ok(!same_store),
            CopyMode::Stream => Ok(true),
            CopyMode::Server if same_store => Ok(false),
            CopyMode::Server => Err(
                "the source and the destination are in different stores (--source-endpoint-url \
                 or --source-profile names another), where no server-side copy exists: give \
                 --copy-mode stream or auto (on a manifest line, \"mode\": \"stream\") to \
                 stream the bytes through this machine"
                    .to_owned(),
            ),
        }
    }
}

/// How one object is copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// One CopyObject request.
    Single,
    /// CreateMultipartUpload, `parts` UploadPartCopy requests of `part_size`
    /// bytes (the last may be shorter), CompleteMultipartUpload.
    Multipart { part_size: u64, parts: u64 },
}

impl Method {
    pub fn name(&self) -> &'static str {
        match self {
            Method::Single => "single",
            Method::Multipart { .. } => "multipart",
        }
    }
}

/// A byte range of the source, inclusive at both ends as
/// `x-amz-copy-source-range: bytes=first-last` wants it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// 1-based part number.
    pub number: i32,
    pub first: u64,
    pub last: u64,
}

impl Part {
    /// Bytes in this part (never zero).
    pub fn bytes(&self) -> u64 {
        self.last - self.first + 1
    }

    pub fn range_header(&self) -> String {
        format!("bytes={}-{}", self.first, self.last)
    }
}

/// A copy or a setting that S3's limits rule out.
#[derive(Debug, PartialEq, Eq)]
pub enum PlanError {
    ObjectTooLarge {
        size: u64,
    },
    ThresholdTooLarge(u64),
    PartTooSmall(u64),
    PartTooLarge(u64),
    /// `--part-size source`: the source's parts are not all of the first
    /// part's size (the last may be smaller).
    SourcePartsUneven {
        size: u64,
        first: u64,
        parts: u64,
        /// The first part that differs: (number, bytes).
        odd: Option<(u64, u64)>,
    },
    /// `--part-size source`: the source's parts are below S3's minimum.
    SourcePartTooSmall {
        first: u64,
        parts: u64,
    },
}

impl PlanError {
    /// The message, with the size at fault written as `shown`: what the
    /// user typed (`1MiB`), not the bytes it came to.
    pub fn message(&self, shown: &str) -> String {
        match self {
            Self::ObjectTooLarge { .. } => format!(
                "the object is {shown} bytes; S3 objects are at most {MAX_OBJECT_SIZE} bytes \
                 (10,000 parts of 5 GiB)"
            ),
            Self::ThresholdTooLarge(_) => format!(
                "--multipart-threshold {shown} is above 5 GiB, the most one CopyObject can copy: \
                 give 5GiB or less"
            ),
            Self::PartTooSmall(_) => format!(
                "--part-size {shown} is below S3's minimum part size of 5 MiB: give 5MiB or more"
            ),
            Self::PartTooLarge(_) => format!(
                "--part-size {shown} is above S3's maximum part size of 5 GiB: give 5GiB or less"
            ),
            Self::SourcePartsUneven {
                size,
                first,
                parts,
                odd,
            } => format!(
                "--part-size source: the {parts} parts of the source ({size} bytes) are not \
                 all of one size (part 1 is {first} bytes{}), so a copy cannot repeat them: \
                 give a --part-size in bytes instead",
                odd.map_or(String::new(), |(n, b)| format!(", part {n} is {b}"))
            ),
            Self::SourcePartTooSmall { first, parts } => format!(
                "--part-size source: the source's {parts} parts are of {first} bytes, below \
                 S3's minimum part size of 5 MiB for a copy: give a --part-size in bytes \
                 instead"
            ),
        }
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = match self {
            Self::ObjectTooLarge { size: b }
            | Self::ThresholdTooLarge(b)
            | Self::PartTooSmall(b)
            | Self::PartTooLarge(b)
            | Self::SourcePartsUneven { first: b, .. }
            | Self::SourcePartTooSmall { first: b, .. } => b,
        };
        f.write_str(&self.message(&bytes.to_string()))
    }
}

impl std::error::Error for PlanError {}

/// The planning knobs, validated by [`Limits::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub threshold: u64,
    pub part_size: u64,
    /// `--part-size source`: a multipart source is copied with its own part
    /// boundaries ([`source_parts`]), whatever the threshold; a single-part
    /// one by CopyObject.
    pub source_parts: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            threshold: DEFAULT_THRESHOLD,
            part_size: DEFAULT_PART_SIZE,
            source_parts: false,
        }
    }
}

impl Limits {
    pub fn new(threshold: u64, part_size: u64) -> Result<Self, PlanError> {
        if threshold > MAX_SINGLE_COPY {
            return Err(PlanError::ThresholdTooLarge(threshold));
        }
        if part_size < MIN_PART_SIZE {
            return Err(PlanError::PartTooSmall(part_size));
        }
        if part_size > MAX_PART_SIZE {
            return Err(PlanError::PartTooLarge(part_size));
        }
        Ok(Self {
            threshold,
            part_size,
            source_parts: false,
        })
    }
}

/// The number of parts a multipart ETag (`"...-N"`) names, if it is one.
pub fn etag_parts(etag: &str) -> Option<u64> {
    let (_, n) = etag.trim_matches('"').rsplit_once('-')?;
    n.parse().ok().filter(|n| *n > 0)
}

/// `--part-size source`: the plan that repeats the source's own parts, so
/// that the destination's multipart ETag equals the source's. `sizes` are
/// the sizes of its parts in order (HEADs with `partNumber`), which must
/// add up to `size`, be all of the first part's size but the last (which
/// may be smaller), and that size a legal part size.
pub fn source_parts(size: u64, sizes: &[u64]) -> Result<Method, PlanError> {
    if size > MAX_OBJECT_SIZE {
        return Err(PlanError::ObjectTooLarge { size });
    }
    let parts = sizes.len() as u64;
    let first = sizes.first().copied().unwrap_or(0);
    let uneven = |odd: Option<(usize, u64)>| PlanError::SourcePartsUneven {
        size,
        first,
        parts,
        odd: odd.map(|(i, bytes)| (i as u64 + 1, bytes)),
    };
    if parts == 0 || first == 0 || parts > MAX_PARTS {
        return Err(uneven(None));
    }
    let (last, middle) = sizes.split_last().expect("at least one part");
    if let Some((i, &bytes)) = middle.iter().enumerate().find(|(_, b)| **b != first) {
        return Err(uneven(Some((i, bytes))));
    }
    if *last == 0 || *last > first {
        return Err(uneven(Some((sizes.len() - 1, *last))));
    }
    if sizes.iter().sum::<u64>() != size {
        return Err(uneven(None));
    }
    if parts > 1 && first < MIN_PART_SIZE {
        return Err(PlanError::SourcePartTooSmall { first, parts });
    }
    if first > MAX_PART_SIZE {
        return Err(PlanError::PartTooLarge(first));
    }
    Ok(Method::Multipart {
        part_size: first,
        parts,
    })
}

/// Chooses how to copy an object of `size` bytes.
///
/// At or below the threshold: one CopyObject. Above it: parts of
/// `max(requested, ceil(size / 10,000))` bytes, so that no plan needs more
/// than 10,000 parts.
pub fn plan(size: u64, limits: Limits) -> Result<Method, PlanError> {
    if size > MAX_OBJECT_SIZE {
        return Err(PlanError::ObjectTooLarge { size });
    }
    if size <= limits.threshold {
        return Ok(Method::Single);
    }
    let part_size = limits
        .part_size
        .max(size.div_ceil(MAX_PARTS))
        .clamp(MIN_PART_SIZE, MAX_PART_SIZE);
    let parts = size.div_ceil(part_size);
    debug_assert!(parts <= MAX_PARTS);
    Ok(Method::Multipart { part_size, parts })
}

/// The write requests a copy sends when nothing fails: one CopyObject, or
/// CreateMultipartUpload, one UploadPartCopy per part and Complete.
pub fn requests(method: Method) -> u64 {
    match method {
        Method::Single => 1,
        Method::Multipart { parts, .. } => parts + 2,
    }
}

/// The byte ranges of a multipart copy, in part-number order.
pub fn parts(size: u64, part_size: u64) -> impl ExactSizeIterator<Item = Part> {
    // A plan never has more than MAX_PARTS (10,000) parts.
    let count = u32::try_from(size.div_ceil(part_size)).expect("part count fits in u32");
    (0..count).map(move |i| {
        let first = u64::from(i) * part_size;
        Part {
            number: i as i32 + 1,
            first,
            last: (first + part_size).min(size) - 1,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn multipart(size: u64, limits: Limits) -> (u64, u64) {
        match plan(size, limits).unwrap() {
            Method::Multipart { part_size, parts } => (part_size, parts),
            Method::Single => panic!("{size} planned as a single copy"),
        }
    }

    #[test]
    fn zero_bytes_is_a_single_copy() {
        assert_eq!(plan(0, Limits::default()), Ok(Method::Single));
        let tiny = Limits::new(0, MIN_PART_SIZE).unwrap();
        assert_eq!(plan(0, tiny), Ok(Method::Single));
    }

    #[test]
    fn threshold_boundaries() {
        let limits = Limits::new(8 * MIB, 5 * MIB).unwrap();
        assert_eq!(plan(8 * MIB - 1, limits), Ok(Method::Single));
        assert_eq!(plan(8 * MIB, limits), Ok(Method::Single));
        assert_eq!(multipart(8 * MIB + 1, limits), (5 * MIB, 2));
    }

    #[test]
    fn exactly_five_gib_is_one_copy_object_by_default() {
        assert_eq!(plan(5 * GIB, Limits::default()), Ok(Method::Single));
        assert_eq!(
            multipart(5 * GIB + 1, Limits::default()),
            (DEFAULT_PART_SIZE, 21)
        );
    }

    #[test]
    fn part_size_grows_to_fit_ten_thousand_parts() {
        let limits = Limits::new(5 * GIB, 5 * MIB).unwrap();
        // 10,000 parts of 5 MiB fit exactly; one byte more bumps the size.
        assert_eq!(multipart(10_000 * 5 * MIB, limits), (5 * MIB, 10_000));
        let (part, parts) = multipart(10_000 * 5 * MIB + 1, limits);
        assert_eq!(part, 5 * MIB + 1);
        assert_eq!(parts, 10_000);
        // A 1 TiB object with 8 MiB parts would need 131,072 parts.
        let limits = Limits::new(5 * GIB, 8 * MIB).unwrap();
        let (part, parts) = multipart(1024 * GIB, limits);
        assert_eq!(part, (1024 * GIB).div_ceil(10_000));
        assert!(parts <= MAX_PARTS);
    }

    #[test]
    fn maximum_object() {
        let limits = Limits::new(5 * GIB, 5 * MIB).unwrap();
        assert_eq!(multipart(MAX_OBJECT_SIZE, limits), (5 * GIB, 10_000));
        assert_eq!(
            plan(MAX_OBJECT_SIZE + 1, limits),
            Err(PlanError::ObjectTooLarge {
                size: MAX_OBJECT_SIZE + 1
            })
        );
    }

    #[test]
    fn limits_are_validated() {
        assert_eq!(
            Limits::new(5 * GIB + 1, DEFAULT_PART_SIZE),
            Err(PlanError::ThresholdTooLarge(5 * GIB + 1))
        );
        assert_eq!(
            Limits::new(GIB, 5 * MIB - 1),
            Err(PlanError::PartTooSmall(5 * MIB - 1))
        );
        assert_eq!(
            Limits::new(GIB, 5 * GIB + 1),
            Err(PlanError::PartTooLarge(5 * GIB + 1))
        );
        assert!(Limits::new(5 * GIB, 5 * GIB).is_ok());
    }

    #[test]
    fn multipart_etags_name_their_parts() {
        assert_eq!(
            etag_parts("\"ccb98a6d6d7889b9ff123d76ca668572-3\""),
            Some(3)
        );
        assert_eq!(etag_parts("abc-10000"), Some(10_000));
        assert_eq!(etag_parts("\"292ce9728cb2708a9e2ed5b9c623139d\""), None);
        assert_eq!(etag_parts("abc-0"), None);
        assert_eq!(etag_parts("abc-x"), None);
    }

    #[test]
    fn source_parts_repeat_uniform_parts() {
        // 5 MiB, 5 MiB, and a last part of 1 byte to 5 MiB.
        let m = source_parts(10 * MIB + 1, &[5 * MIB, 5 * MIB, 1]).unwrap();
        assert_eq!(
            m,
            Method::Multipart {
                part_size: 5 * MIB,
                parts: 3
            }
        );
        assert!(source_parts(15 * MIB, &[5 * MIB; 3]).is_ok());
        // One part: whatever its size (S3's minimum is for all but the last).
        assert!(source_parts(1000, &[1000]).is_ok());
    }

    #[test]
    fn source_parts_refuse_what_they_cannot_repeat() {
        let uneven = |size, sizes: &[u64]| {
            matches!(
                source_parts(size, sizes),
                Err(PlanError::SourcePartsUneven { .. })
            )
        };
        // A middle part of another size, even when first and last fit.
        assert!(uneven(19 * MIB, &[6 * MIB, 5 * MIB, 7 * MIB, MIB]));
        // A last part larger than the others.
        assert!(uneven(12 * MIB, &[5 * MIB, 7 * MIB]));
        // Sizes that do not add up to the object.
        assert!(uneven(20 * MIB, &[5 * MIB, 5 * MIB, 5 * MIB]));
        assert!(uneven(0, &[]));
        assert!(uneven(10, &[0, 10]));
        assert!(matches!(
            source_parts(3 * MIB, &[MIB; 3]),
            Err(PlanError::SourcePartTooSmall { .. })
        ));
        let e = source_parts(3 * MIB, &[MIB; 3]).unwrap_err().to_string();
        assert!(e.contains("5 MiB") && e.contains("--part-size"), "{e}");
        let e = source_parts(19 * MIB, &[6 * MIB, 5 * MIB, 7 * MIB, MIB])
            .unwrap_err()
            .to_string();
        assert!(e.contains("not all of one size"), "{e}");
        assert!(e.contains("part 2 is 5242880"), "{e}");
    }

    #[test]
    fn part_ranges_cover_the_object_exactly() {
        let size = 12 * MIB + 7;
        let ranges: Vec<Part> = parts(size, 5 * MIB).collect();
        assert_eq!(ranges.len(), 3);
        assert_eq!(ranges[0].range_header(), format!("bytes=0-{}", 5 * MIB - 1));
        assert_eq!(ranges[2].last, size - 1);
        assert_eq!(ranges[2].bytes(), 2 * MIB + 7);
        let total: u64 = ranges.iter().map(Part::bytes).sum();
        assert_eq!(total, size);
        for w in ranges.windows(2) {
            assert_eq!(w[0].last + 1, w[1].first);
            assert_eq!(w[0].number + 1, w[1].number);
        }
    }

    #[test]
    fn copy_modes_stream_between_stores_and_server_refuses_there() {
        assert_eq!(CopyMode::Auto.streams(true), Ok(false));
        assert_eq!(CopyMode::Auto.streams(false), Ok(true));
        assert_eq!(CopyMode::Stream.streams(true), Ok(true));
        assert_eq!(CopyMode::Stream.streams(false), Ok(true));
        assert_eq!(CopyMode::Server.streams(true), Ok(false));
        let e = CopyMode::Server.streams(false).unwrap_err();
        assert!(e.contains("--copy-mode stream"), "{e}");
        for m in [CopyMode::Auto, CopyMode::Server, CopyMode::Stream] {
            assert_eq!(CopyMode::from_name(m.name()), Some(m));
        }
        assert_eq!(CopyMode::from_name("STREAM"), Some(CopyMode::Stream));
        assert_eq!(CopyMode::from_name("copy"), None);
    }

    #[test]
    fn a_copy_out_of_a_multi_region_access_point_is_streamed_or_refused() {
        let mrap = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";
        assert_eq!(CopyMode::Auto.streams_from(true, mrap), Ok(true));
        assert_eq!(CopyMode::Stream.streams_from(true, mrap), Ok(true));
        let e = CopyMode::Server.streams_from(true, mrap).unwrap_err();
        assert!(
            e.contains("Multi-Region Access Point") && e.contains("--copy-mode auto or stream"),
            "{e}"
        );
        // A regional access point, or a bucket, as before.
        let ap = "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
        for src in [ap, "b"] {
            assert_eq!(CopyMode::Auto.streams_from(true, src), Ok(false));
            assert_eq!(CopyMode::Server.streams_from(true, src), Ok(false));
            assert_eq!(CopyMode::Auto.streams_from(false, src), Ok(true));
        }
    }
}
