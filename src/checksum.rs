//! Checksums as S3 keeps them, and the pure decisions about them: which
//! algorithm and checksum type a copy asks for, and what can prove the
//! destination identical to the source (the source's own checksum, its ETag,
//! or a read of the source). No I/O here.
//!
//! S3's names are used throughout (`CRC64NVME`, `FULL_OBJECT`), as the JSON
//! output gives them.

use std::fmt;

/// A checksum algorithm S3 computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Crc32,
    Crc32c,
    Crc64Nvme,
    Sha1,
    Sha256,
    Md5,
    Sha512,
    Xxhash3,
    Xxhash64,
    Xxhash128,
}

impl Algorithm {
    /// Every algorithm: the five S3 has computed since 2022 in the order
    /// its documentation lists them, then the five added in 2026.
    pub const ALL: [Algorithm; 10] = [
        Algorithm::Crc32,
        Algorithm::Crc32c,
        Algorithm::Crc64Nvme,
        Algorithm::Sha1,
        Algorithm::Sha256,
        Algorithm::Md5,
        Algorithm::Sha512,
        Algorithm::Xxhash3,
        Algorithm::Xxhash64,
        Algorithm::Xxhash128,
    ];

    /// S3's name: `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`, `MD5`,
    /// `SHA512`, `XXHASH3`, `XXHASH64`, `XXHASH128`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Crc64Nvme => "CRC64NVME",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Md5 => "MD5",
            Algorithm::Sha512 => "SHA512",
            Algorithm::Xxhash3 => "XXHASH3",
            Algorithm::Xxhash64 => "XXHASH64",
            Algorithm::Xxhash128 => "XXHASH128",
        }
    }

    /// The algorithm S3 names `name` (any case), if it is one.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// A CRC: S3 can compute it over the whole object from parts
    /// (`FULL_OBJECT`), and two CRCs of adjacent ranges combine. Every
    /// other algorithm is `COMPOSITE` on a multipart object.
    pub fn is_crc(self) -> bool {
        matches!(
            self,
            Algorithm::Crc32 | Algorithm::Crc32c | Algorithm::Crc64Nvme
        )
    }

    /// One of the five algorithms S3 added in 2026 (MD5, SHA512, XXHASH3,
    /// XXHASH64, XXHASH128). The SDK's checksum layer does not know them
    /// (it reads `MD5` as CRC32): s3cp computes their values and sends
    /// them itself ([`crate::hash`]). A multipart copy of a source that
    /// carries one asks for it, `COMPOSITE` ([`plan`]).
    pub fn is_new(self) -> bool {
        matches!(
            self,
            Algorithm::Md5
                | Algorithm::Sha512
                | Algorithm::Xxhash3
                | Algorithm::Xxhash64
                | Algorithm::Xxhash128
        )
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a checksum covers the whole object (`FULL_OBJECT`), or is a
/// checksum of the parts' checksums (`COMPOSITE`, written `value-N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    FullObject,
    Composite,
}

impl Kind {
    /// S3's name: `FULL_OBJECT` or `COMPOSITE`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::FullObject => "FULL_OBJECT",
            Kind::Composite => "COMPOSITE",
        }
    }
}

/// An object's checksum as S3 reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checksum {
    pub algorithm: Algorithm,
    pub kind: Kind,
    /// Base64, as S3 gives it (a composite value ends in `-N`).
    pub value: String,
}

impl Checksum {
    /// The checksum an answer carries: `values` are its ten `Checksum*`
    /// fields in [`Algorithm::ALL`]'s order (the first one present is
    /// taken), and
    /// `kind` its `ChecksumType`, if it has one. Without a type, a value
    /// ending in `-N` is composite and any other full-object (moto sends
    /// no type; CRC64NVME is only ever full-object).
    pub fn from_fields(values: [Option<&str>; 10], kind: Option<&str>) -> Option<Checksum> {
        let (algorithm, value) = Algorithm::ALL
            .into_iter()
            .zip(values)
            .find_map(|(a, v)| Some((a, v.filter(|v| !v.is_empty())?)))?;
        let composite_value = value
            .rsplit_once('-')
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let kind = match kind {
            Some(k) if k.eq_ignore_ascii_case("COMPOSITE") => Kind::Composite,
            Some(k) if k.eq_ignore_ascii_case("FULL_OBJECT") => Kind::FullObject,
            _ if composite_value => Kind::Composite,
            _ => Kind::FullObject,
        };
        Some(Checksum {
            algorithm,
            kind,
            value: value.to_owned(),
        })
    }

    pub fn full_object(algorithm: Algorithm, value: String) -> Checksum {
        Checksum {
            algorithm,
            kind: Kind::FullObject,
            value,
        }
    }

    /// Two checksums say whether the bytes are the same only when they are
    /// of one algorithm and both cover the whole object: a composite value
    /// never equals a full-object one, and a difference of kinds is not a
    /// difference of bytes.
    pub fn comparable(&self, other: &Checksum) -> bool {
        self.algorithm == other.algorithm
            && self.kind == Kind::FullObject
            && other.kind == Kind::FullObject
    }

    /// Two composite checksums of one algorithm with the same value (its
    /// `-N` included): their parts have the same digests, so the bytes are
    /// the same. Two that differ say nothing unless the part boundaries
    /// are known to be the same (the same bytes cut otherwise give
    /// another value).
    pub fn same_composite(&self, other: &Checksum) -> bool {
        self.algorithm == other.algorithm
            && self.kind == Kind::Composite
            && other.kind == Kind::Composite
            && self.value == other.value
    }
}

/// The `--verify` flag and `--checksum-algorithm`: what the user asked of
/// checksums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChecksumOptions {
    /// `--checksum-algorithm`: S3 computes this one for the destination.
    pub algorithm: Option<Algorithm>,
    /// `--verify`: every copy must end proved identical, by reading the
    /// source where nothing else proves it.
    pub verify: bool,
}

/// What the copy plan knows of the source when checksums are decided.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The source's checksum, from a HEAD with checksum mode (`None` when
    /// it has none, or was not HEADed).
    pub checksum: Option<&'a Checksum>,
    /// Whether the source's ETag is the MD5 of its bytes and a CopyObject
    /// gives the destination the MD5 as ETag too: a single-part ETag (no
    /// `-N`), no SSE-KMS or customer key on either side.
    pub etag_is_md5: bool,
    /// Whether the source's ETag alone is the MD5 of its bytes: single-part
    /// (no `-N`), no SSE-KMS or customer key on the source. What a stream
    /// compares the MD5 of the bytes it received with (the destination's
    /// ETag plays no part there).
    pub source_etag_is_md5: bool,
    pub etag: &'a str,
    /// Copied by a multipart upload.
    pub multipart: bool,
    /// A multipart copy with the source's own part boundaries
    /// (`--part-size source`): the destination's ETag is the source's.
    pub same_parts: bool,
}

/// What the copy asks S3 for: `x-amz-checksum-algorithm` on CopyObject or
/// CreateMultipartUpload, and `x-amz-checksum-type: FULL_OBJECT` on the
/// latter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ask {
    pub algorithm: Option<Algorithm>,
    pub full_object: bool,
}

/// How the copy is to be proved identical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// The destination's checksum must equal this one (the source's).
    Checksum(Checksum),
    /// The destination's ETag must equal this one (the source's).
    Etag(String),
    /// The source is read and its checksum in this algorithm computed
    /// (`--verify`), then compared with the destination's. A read of its
    /// own, separate from a stream's GETs.
    Read(Algorithm),
    /// A streamed copy: the MD5 of the bytes as they arrived, in order,
    /// must equal this (the source's ETag, the MD5 of its bytes), and the
    /// destination's checksum the CRC sent with them.
    Md5(String),
    /// Nothing proves it; why.
    None(String),
}

/// The checksum decisions of one copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub ask: Ask,
    pub proof: Proof,
    /// What the destination gets instead of the source's checksum, and
    /// why (said at `-v`), when a multipart copy cannot keep it.
    pub note: Option<String>,
}

/// The algorithm `--verify` has S3 compute when nothing else proves a copy.
pub const VERIFY_ALGORITHM: Algorithm = Algorithm::Crc64Nvme;

/// Decides what a copy asks of S3's checksums and how it is proved.
///
/// - One CopyObject keeps the source's algorithm by itself, so it asks for
///   none unless `--checksum-algorithm` names one.
/// - A multipart copy asks for the source's algorithm with `FULL_OBJECT`
///   when the source has a full-object CRC, so that the destination ends
///   with the very same checksum; `--checksum-algorithm` overrides (a CRC
///   is asked as `FULL_OBJECT` too, SHA1/SHA256 can only be composite).
///   A source carrying any other algorithm (SHA1, SHA256, and those added
///   in 2026: MD5, SHA512, the XXHASHes) is copied in that algorithm,
///   `COMPOSITE` (the only kind S3 has for them on a multipart object): with
///   the source's own parts (`--part-size source`) of a composite source,
///   the destination's value is the source's, and proves the copy;
///   otherwise the two are not comparable, and only `--verify`'s read (a
///   new algorithm computed over the source's bytes, part by part as the
///   copy cut them; for SHA1 and SHA256, a CRC64NVME asked for instead)
///   proves it.
/// - Proof, best first: the source's checksum where the destination will
///   carry a comparable one; the ETag where both are the MD5 of the bytes
///   (or a multipart copy with the source's own parts); else a read of the
///   source under `--verify` (the copy then asks for a CRC, CRC64NVME
///   unless the user named another CRC); else none.
pub fn plan(source: Source<'_>, options: ChecksumOptions) -> Plan {
    let source_full = source
        .checksum
        .filter(|c| c.kind == Kind::FullObject)
        .cloned();
    let (mut ask, mut note) = asked(&source, options, source_full.as_ref());
    // The destination's checksum algorithm, when it will cover the whole
    // object: what was asked, or what one CopyObject keeps.
    let destination = match ask.algorithm {
        Some(a) if !source.multipart || ask.full_object => Some(a),
        Some(_) => None,
        None if !source.multipart => source_full.as_ref().map(|c| c.algorithm),
        None => None,
    };
    if let Some(c) = source_full.filter(|c| destination == Some(c.algorithm)) {
        return Plan {
            ask,
            proof: Proof::Checksum(c),
            note,
        };
    }
    // The destination's composite checksum, of the source's own parts in
    // the source's algorithm: the source's very value.
    let composite = ask
        .algorithm
        .filter(|_| source.multipart && !ask.full_object);
    if let Some(c) = source.checksum.filter(|c| {
        c.kind == Kind::Composite && source.same_parts && composite == Some(c.algorithm)
    }) {
        return Plan {
            ask,
            proof: Proof::Checksum(c.clone()),
            note,
        };
    }
    let by_etag = if source.multipart {
        source.same_parts && source.etag_is_md5
    } else {
        source.etag_is_md5
    };
    if by_etag {
        return Plan {
            ask,
            proof: Proof::Etag(source.etag.to_owned()),
            note,
        };
    }
    // --verify of a multipart copy in a new algorithm: the read computes
    // the destination's composite, over the copy's own parts.
    if let Some(a) = composite.filter(|a| options.verify && a.is_new()) {
        return Plan {
            ask,
            proof: Proof::Read(a),
            note,
        };
    }
    if options.verify {
        // The destination's CRC, or the new algorithm it gets full-object
        // (one CopyObject asked for it): what the read computes.
        let algorithm = match destination {
            Some(a) if a.is_crc() || a.is_new() => a,
            _ => VERIFY_ALGORITHM,
        };
        if destination != Some(algorithm) {
            ask = Ask {
                algorithm: Some(algorithm),
                full_object: source.multipart,
            };
            note = note.map(|_| {
                format!(
                    "the destination gets {algorithm} (FULL_OBJECT), which --verify compares \
                     with the source's bytes"
                )
            });
        }
        return Plan {
            ask,
            proof: Proof::Read(algorithm),
            note,
        };
    }
    let why = match (source.checksum, source.multipart) {
        (Some(c), true) if composite == Some(c.algorithm) => format!(
            "the source's {alg} {} checksum is not comparable with the destination's {alg} \
             COMPOSITE, a checksum of the copy's own parts (--verify reads the source to prove \
             it; --part-size source keeps a composite source's value)",
            c.kind.name(),
            alg = c.algorithm,
        ),
        (Some(c), true) if note.is_some() => format!(
            "a multipart copy cannot keep the source's {} {} checksum, so nothing compares \
             with it (--verify reads the source to prove it)",
            c.algorithm,
            c.kind.name()
        ),
        (None, true) => "the source has no checksum and a multipart ETag is not the MD5 of the \
                         bytes (--verify reads the source to prove it)"
            .to_owned(),
        (None, false) => "the source has no checksum and its ETag is not the MD5 of its bytes \
                          (--verify reads the source to prove it)"
            .to_owned(),
        (Some(c), _) => format!(
            "the source's {} {} checksum is not comparable with the destination's \
             (--verify reads the source to prove it)",
            c.algorithm,
            c.kind.name()
        ),
    };
    Plan {
        ask,
        proof: Proof::None(why),
        note,
    }
}

/// What a server-side copy asks S3 to compute, before `--verify` has its
/// say, and a note on what of the source's checksum it cannot keep. Pure.
fn asked(
    source: &Source<'_>,
    options: ChecksumOptions,
    source_full: Option<&Checksum>,
) -> (Ask, Option<String>) {
    let mut note = None;
    let ask = match (options.algorithm, source.multipart) {
        (Some(a), false) => Ask {
            algorithm: Some(a),
            full_object: false,
        },
        (Some(a), true) => Ask {
            algorithm: Some(a),
            full_object: a.is_crc(),
        },
        (None, false) => Ask::default(),
        (None, true) => match (source_full, source.checksum) {
            (Some(c), _) if c.algorithm.is_crc() => Ask {
                algorithm: Some(c.algorithm),
                full_object: true,
            },
            (_, Some(c)) if !c.algorithm.is_crc() => {
                if !(c.kind == Kind::Composite && source.same_parts) {
                    note = Some(format!(
                        "the source's checksum is {alg} {}; a multipart copy gets {alg} \
                         COMPOSITE, a checksum of its own parts, which does not compare with it",
                        c.kind.name(),
                        alg = c.algorithm,
                    ));
                }
                Ask {
                    algorithm: Some(c.algorithm),
                    full_object: false,
                }
            }
            // A CRC the source has only as COMPOSITE.
            (_, Some(c)) => {
                note = Some(format!(
                    "the source's checksum is {} {}, which a multipart copy cannot keep (a \
                     composite checksum depends on the source's part boundaries): the \
                     destination gets the store's default checksum instead",
                    c.algorithm,
                    c.kind.name(),
                ));
                Ask::default()
            }
            (_, None) => Ask::default(),
        },
    };
    (ask, note)
}

/// Decides a streamed copy's checksum: the bytes pass through s3cp, which
/// computes their CRC as they are read and sends it with every write, so
/// that the destination store checks it (the user's algorithm, else the
/// source's full-object CRC, else the source's checksum in one of the
/// algorithms added in 2026, else CRC64NVME; `FULL_OBJECT` on a multipart
/// copy for a CRC, `COMPOSITE` for the others: s3cp computes each part's
/// value and the composite of them). SHA1 or SHA256, named by the user,
/// are computed per request by the SDK.
///
/// That CRC is the transfer's own: a byte flipped on the way in is in it
/// too, so it proves only that the destination holds what s3cp sent. What
/// proves the copy is a value computed independently of this transfer,
/// best first: the source's stored full-object checksum in that algorithm
/// (only a single write's SHA compares); the source's ETag where it is the
/// MD5 of its bytes, against the MD5 of the bytes as they arrive
/// ([`Proof::Md5`]); a read of the source after the write under
/// `--verify`; else nothing, and the copy is unverified, with why.
pub fn plan_stream(source: Source<'_>, options: ChecksumOptions) -> Plan {
    let source_full = source
        .checksum
        .filter(|c| c.kind == Kind::FullObject)
        .cloned();
    let source_crc = source_full
        .as_ref()
        .filter(|c| c.algorithm.is_crc())
        .map(|c| c.algorithm);
    let source_new = source
        .checksum
        .filter(|c| c.algorithm.is_new())
        .map(|c| c.algorithm);
    let algorithm = options
        .algorithm
        .or(source_crc)
        .or(source_new)
        .unwrap_or(VERIFY_ALGORITHM);
    let ask = Ask {
        algorithm: Some(algorithm),
        full_object: algorithm.is_crc() && source.multipart,
    };
    let same = source_full.filter(|c| c.algorithm == algorithm);
    // A composite source streamed in its own parts and algorithm: the
    // destination's composite is the source's value.
    let same_composite = source.checksum.filter(|c| {
        c.kind == Kind::Composite
            && c.algorithm == algorithm
            && source.multipart
            && source.same_parts
            && !algorithm.is_crc()
    });
    let proof = match same {
        Some(c) if algorithm.is_crc() || !source.multipart => Proof::Checksum(c),
        _ if same_composite.is_some() => Proof::Checksum(same_composite.cloned().expect("some")),
        // s3cp computes the new algorithms itself, a composite of the parts
        // in parts: what the destination must hold, as a CRC.
        _ if algorithm.is_new() && source.source_etag_is_md5 => Proof::Md5(source.etag.to_owned()),
        _ if algorithm.is_new() && options.verify => Proof::Read(algorithm),
        _ if !algorithm.is_crc() && !algorithm.is_new() && source.multipart => {
            Proof::None(format!(
                "the destination's {algorithm} is computed per part, which nothing compares with"
            ))
        }
        _ if !algorithm.is_crc() && !algorithm.is_new() => Proof::None(format!(
            "the source has no {algorithm} checksum to compare with the destination's"
        )),
        _ if source.source_etag_is_md5 => Proof::Md5(source.etag.to_owned()),
        _ if options.verify => Proof::Read(algorithm),
        _ => {
            let checksum = match source.checksum {
                Some(c) if algorithm.is_new() => format!(
                    "the source's checksum is {} {}, not comparable with the destination's \
                     {algorithm} {}",
                    c.algorithm,
                    c.kind.name(),
                    if source.multipart {
                        "COMPOSITE"
                    } else {
                        "FULL_OBJECT"
                    }
                ),
                Some(c) => format!(
                    "the source's checksum is {} {}, not a full-object {algorithm}",
                    c.algorithm,
                    c.kind.name()
                ),
                None => format!("the source has no {algorithm} checksum"),
            };
            Proof::None(format!(
                "{checksum} and its ETag is not the MD5 of its bytes (a multipart upload, or \
                 encrypted with SSE-KMS or a customer key): nothing but the copy's own CRC of \
                 what it received speaks for the bytes (--verify reads the source again to \
                 prove it)"
            ))
        }
    };
    Plan {
        ask,
        proof,
        note: None,
    }
}

/// What proved a copy identical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Checksum,
    Etag,
    Read,
}

impl By {
    /// The JSON name: `checksum`, `etag` or `read`.
    pub fn name(self) -> &'static str {
        match self {
            By::Checksum => "checksum",
            By::Etag => "etag",
            By::Read => "read",
        }
    }
}

/// How a copy's proof came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The destination is proved identical to the source.
    Verified(By),
    /// The destination is not the source: `what` (an algorithm, or `ETag`)
    /// differs.
    Mismatch {
        what: String,
        source: String,
        destination: String,
    },
    /// Nothing proved it; why.
    Unproved(String),
}

/// Compares what the destination carries with what the proof expects.
/// `expected` is the source's checksum (its own, or read by `--verify`:
/// then `by` is [`By::Read`]); `destination` the destination's checksum.
pub fn compare(expected: &Checksum, destination: Option<&Checksum>, by: By) -> Verdict {
    match destination {
        Some(d) if same_kind(d, expected) && d.value == expected.value => Verdict::Verified(by),
        Some(d) if same_kind(d, expected) => Verdict::Mismatch {
            what: expected.algorithm.name().to_owned(),
            source: expected.value.clone(),
            destination: d.value.clone(),
        },
        Some(d) => Verdict::Unproved(format!(
            "the destination's checksum is {} {}, not {} {} as expected",
            d.algorithm,
            d.kind.name(),
            expected.algorithm,
            expected.kind.name()
        )),
        None => Verdict::Unproved(format!(
            "the destination has no {} checksum (the store did not compute one)",
            expected.algorithm
        )),
    }
}

/// One algorithm and one kind. Two composites compare only where the plan
/// knows the parts are cut alike (the source's own parts, or the read's
/// of the copy's): then a difference is one of bytes.
fn same_kind(a: &Checksum, b: &Checksum) -> bool {
    a.algorithm == b.algorithm && a.kind == b.kind
}

/// Compares the destination's ETag with the source's (both the MD5 of
/// the bytes, or multipart ETags of the same parts).
pub fn compare_etags(source: &str, destination: Option<&str>) -> Verdict {
    let unquote = |e: &str| e.trim_matches('"').to_owned();
    match destination {
        Some(d) if unquote(d) == unquote(source) => Verdict::Verified(By::Etag),
        Some(d) => Verdict::Mismatch {
            what: "ETag".to_owned(),
            source: unquote(source),
            destination: unquote(d),
        },
        None => Verdict::Unproved("the copy's answer carried no ETag".to_owned()),
    }
}

#[cfg(test)]
mod tests;
