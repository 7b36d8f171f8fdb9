//! `--skip-existing` and `--skip-same`: the pure decision whether one
//! object is skipped, from what a listing or a HEAD says of its source and
//! of its destination. No I/O here: the engine
//! ([`crate::copy::Engine::skip`]) sends the HEADs this asks for, and
//! [`crate::merge`] walks the destination listing beside the source's.
//!
//! - `--skip-existing`: any destination object skips the copy.
//! - `--skip-same`: the sizes first (they differ: copy, nothing more to
//!   ask); then the ETags (equal: the same bytes); where they differ or
//!   cannot be compared (a multipart ETag on one side, SSE-KMS or a
//!   customer key), the full-object checksums a HEAD with
//!   `ChecksumMode=ENABLED` reads on both sides, of one algorithm and
//!   type (in any of S3's ten algorithms), or two composite checksums of
//!   one algorithm with the same value (the same part digests). What
//!   nothing settles is copied, and `-v` says why.

use crate::checksum::{By, Checksum};

/// What the user asked to skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// `--skip-existing`: an object whose destination exists.
    Existing,
    /// `--skip-same`: an object whose destination is the same as it.
    Same,
}

impl Skip {
    /// The flag, for messages.
    pub fn flag(self) -> &'static str {
        match self {
            Skip::Existing => "--skip-existing",
            Skip::Same => "--skip-same",
        }
    }
}

/// Why an object was skipped: the JSON line's `skip_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The destination exists (`--skip-existing`, or `--no-overwrite`'s
    /// refused write).
    Exists,
    /// The destination is the same as the source (`--skip-same`), proved
    /// by ETag or checksum.
    Same(By),
}

impl Reason {
    /// `exists` or `same`.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Exists => "exists",
            Reason::Same(_) => "same",
        }
    }
}

/// What the destination listing says of one object's destination, when
/// `-r` walks it ([`crate::merge`]); a manifest or a single copy does not
/// know, and a HEAD decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Existing {
    /// Not looked up: a HEAD of the destination tells.
    #[default]
    Unknown,
    /// The destination listing has no such key.
    Absent,
    /// The destination listing has it: its size and ETag.
    Listed { size: u64, etag: String },
}

/// One side of the comparison: what a listing or a HEAD said of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Side {
    pub size: u64,
    pub etag: String,
    /// Its checksum, as a HEAD with checksum mode read it (a listing never
    /// gives the value).
    pub checksum: Option<Checksum>,
    /// Encrypted with SSE-KMS or a customer key (its ETag is not the MD5
    /// of its bytes), as a HEAD tells; a listing does not.
    pub keyed: bool,
    /// Read by a HEAD (with checksum mode), not only listed.
    pub headed: bool,
    /// In a directory bucket (S3 Express One Zone), whose ETags are not
    /// MD5s but random strings: never compared ([`Side::in_bucket`]).
    pub express: bool,
}

impl Side {
    /// A side as a listing gives it.
    pub fn listed(size: u64, etag: &str) -> Self {
        Side {
            size,
            etag: etag.to_owned(),
            ..Side::default()
        }
    }

    /// The side, as in `bucket`: a directory bucket's ETag proves nothing.
    pub fn in_bucket(self, bucket: &str) -> Self {
        Side {
            express: crate::uri::is_directory_bucket(bucket),
            ..self
        }
    }

    /// An ETag that is the MD5 of the bytes: single-part, not under
    /// SSE-KMS or a customer key (known only from a HEAD), not in a
    /// directory bucket.
    fn etag_is_md5(&self) -> bool {
        self.headed
            && !self.express
            && !self.keyed
            && !self.etag.is_empty()
            && crate::plan::etag_parts(&self.etag).is_none()
    }
}

/// What to do with one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Skip(Reason),
    /// Copy it; why it is not skipped (said at `-v`).
    Copy(String),
    /// Copy it: nothing tells whether the destination is the same (a
    /// multipart or SSE-KMS ETag, and no full-object checksum of one
    /// algorithm on both sides); why. A run counts these and says, once,
    /// what would let a rerun skip them.
    CannotTell(String),
    /// The ETags do not settle it: HEAD both sides with checksum mode and
    /// decide again.
    Compare,
}

/// Decides one object whose destination exists (`dst`); an absent
/// destination is always copied.
pub fn decide(skip: Skip, src: &Side, dst: &Side) -> Decision {
    if skip == Skip::Existing {
        return Decision::Skip(Reason::Exists);
    }
    if src.size != dst.size {
        return Decision::Copy(format!(
            "the destination is {} bytes and the source {}",
            dst.size, src.size
        ));
    }
    let unquote = |e: &str| e.trim_matches('"').to_owned();
    // A directory bucket's ETag is no digest of the bytes: only the
    // checksums compare there.
    let etags_compare = !(src.express || dst.express);
    if etags_compare && !src.etag.is_empty() && unquote(&src.etag) == unquote(&dst.etag) {
        return Decision::Skip(Reason::Same(By::Etag));
    }
    if !(src.headed && dst.headed) {
        return Decision::Compare;
    }
    // Two MD5s that differ prove the bytes differ, whatever a 32-bit CRC
    // says (two contents can share one; it can even be matched on purpose).
    if src.etag_is_md5() && dst.etag_is_md5() {
        return Decision::Copy(format!(
            "the ETags (MD5s) differ (source {}, destination {})",
            src.etag, dst.etag
        ));
    }
    match (&src.checksum, &dst.checksum) {
        (Some(s), Some(d)) if s.comparable(d) && s.value == d.value => {
            return Decision::Skip(Reason::Same(By::Checksum));
        }
        // Two composites alike: their parts have the same digests. (Two
        // that differ may be the same bytes cut otherwise: they say
        // nothing.)
        (Some(s), Some(d)) if s.same_composite(d) => {
            return Decision::Skip(Reason::Same(By::Checksum));
        }
        (Some(s), Some(d)) if s.comparable(d) => {
            return Decision::Copy(format!(
                "the {} checksums differ (source {}, destination {})",
                s.algorithm, s.value, d.value
            ));
        }
        _ => {}
    }
    let etags = match (src.etag_is_md5(), dst.etag_is_md5()) {
        (false, _) => etag_why("source", src),
        (_, false) => etag_why("destination", dst),
        (true, true) => unreachable!("two MD5 ETags are compared above"),
    };
    let checksum = |c: &Option<Checksum>| match c {
        Some(c) => format!("{} {}", c.algorithm, c.kind.name()),
        None => "none".to_owned(),
    };
    Decision::CannotTell(format!(
        "cannot tell whether it is the same: {etags}, and the checksums do not compare \
         (source {}, destination {})",
        checksum(&src.checksum),
        checksum(&dst.checksum)
    ))
}

/// Why one side's ETag is not the MD5 of its bytes.
fn etag_why(which: &str, side: &Side) -> String {
    if side.express {
        format!("the {which} is in a directory bucket, whose ETags are not MD5s")
    } else if side.keyed {
        format!(
            "the {which} is encrypted with SSE-KMS or a customer key, so its ETag is not an MD5"
        )
    } else if side.etag.is_empty() {
        format!("the {which} has no ETag")
    } else {
        format!(
            "the {which}'s ETag {} is a multipart ETag, not an MD5",
            side.etag
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::{Algorithm, Kind};

    fn headed(size: u64, etag: &str, checksum: Option<Checksum>) -> Side {
        Side {
            size,
            etag: etag.to_owned(),
            checksum,
            keyed: false,
            headed: true,
            express: false,
        }
    }

    fn crc(algorithm: Algorithm, value: &str) -> Option<Checksum> {
        Some(Checksum::full_object(algorithm, value.to_owned()))
    }

    #[test]
    fn skip_existing_skips_any_destination() {
        let (src, dst) = (Side::listed(1, "\"a\""), Side::listed(2, "\"b\""));
        assert_eq!(
            decide(Skip::Existing, &src, &dst),
            Decision::Skip(Reason::Exists)
        );
    }

    #[test]
    fn another_size_is_copied_without_asking_more() {
        let (src, dst) = (Side::listed(10, "\"a\""), Side::listed(11, "\"a\""));
        let Decision::Copy(why) = decide(Skip::Same, &src, &dst) else {
            panic!("copied")
        };
        assert!(why.contains("11 bytes"), "{why}");
    }

    #[test]
    fn the_same_etag_is_the_same_object_quoted_or_not() {
        let src = Side::listed(10, "\"abc\"");
        for etag in ["\"abc\"", "abc"] {
            assert_eq!(
                decide(Skip::Same, &src, &Side::listed(10, etag)),
                Decision::Skip(Reason::Same(By::Etag))
            );
        }
        // Two multipart ETags alike: the same parts of the same bytes.
        let parts = Side::listed(10, "\"abc-3\"");
        assert_eq!(
            decide(Skip::Same, &parts, &parts.clone()),
            Decision::Skip(Reason::Same(By::Etag))
        );
        // No ETag at all proves nothing.
        let none = Side::listed(10, "");
        assert_eq!(decide(Skip::Same, &none, &none.clone()), Decision::Compare);
    }

    #[test]
    fn listed_etags_that_differ_ask_for_the_checksums() {
        // A multipart copy of a single-part source, or any other ETag: the
        // listing cannot tell (the objects may be under SSE-KMS).
        for dst in ["\"def\"", "\"abc-2\""] {
            let (src, dst) = (Side::listed(10, "\"abc\""), Side::listed(10, dst));
            assert_eq!(decide(Skip::Same, &src, &dst), Decision::Compare);
        }
        // One side HEADed is not enough.
        let src = headed(10, "\"abc\"", crc(Algorithm::Crc32, "x"));
        assert_eq!(
            decide(Skip::Same, &src, &Side::listed(10, "\"abc-2\"")),
            Decision::Compare
        );
    }

    #[test]
    fn equal_full_object_checksums_of_one_algorithm_are_the_same() {
        let src = headed(10, "\"abc\"", crc(Algorithm::Crc32, "AAAA"));
        let dst = headed(10, "\"zzz-2\"", crc(Algorithm::Crc32, "AAAA"));
        assert_eq!(
            decide(Skip::Same, &src, &dst),
            Decision::Skip(Reason::Same(By::Checksum))
        );
        let changed = headed(10, "\"zzz-2\"", crc(Algorithm::Crc32, "BBBB"));
        let Decision::Copy(why) = decide(Skip::Same, &src, &changed) else {
            panic!("copied")
        };
        assert!(why.contains("CRC32 checksums differ"), "{why}");
    }

    #[test]
    fn checksums_of_other_algorithms_or_composite_do_not_compare() {
        let src = headed(10, "\"abc\"", crc(Algorithm::Crc32, "AAAA"));
        let other = headed(10, "\"zzz-2\"", crc(Algorithm::Crc64Nvme, "AAAA"));
        let composite = headed(
            10,
            "\"zzz-2\"",
            Some(Checksum {
                algorithm: Algorithm::Crc32,
                kind: Kind::Composite,
                value: "AAAA-2".into(),
            }),
        );
        let none = headed(10, "\"zzz-2\"", None);
        for dst in [other, composite, none] {
            let Decision::CannotTell(why) = decide(Skip::Same, &src, &dst) else {
                panic!("copied: {dst:?}")
            };
            assert!(why.starts_with("cannot tell"), "{why}");
            assert!(why.contains("multipart ETag"), "{why}");
        }
    }

    #[test]
    fn checksums_of_the_new_algorithms_compare_and_equal_composites_are_the_same() {
        let sha512 = |v: &str| crc(Algorithm::Sha512, v);
        let src = headed(10, "\"abc-2\"", sha512("AAAA"));
        let dst = headed(10, "\"zzz-3\"", sha512("AAAA"));
        assert_eq!(
            decide(Skip::Same, &src, &dst),
            Decision::Skip(Reason::Same(By::Checksum))
        );
        let composite = |v: &str| {
            Some(Checksum {
                algorithm: Algorithm::Xxhash128,
                kind: Kind::Composite,
                value: v.into(),
            })
        };
        let (a, b) = (
            headed(10, "\"abc-2\"", composite("AAAA-2")),
            headed(10, "\"zzz-2\"", composite("AAAA-2")),
        );
        assert_eq!(
            decide(Skip::Same, &a, &b),
            Decision::Skip(Reason::Same(By::Checksum))
        );
        // Composites that differ may be the same bytes in other parts.
        let other = headed(10, "\"zzz-2\"", composite("BBBB-2"));
        assert!(matches!(
            decide(Skip::Same, &a, &other),
            Decision::CannotTell(_)
        ));
    }

    #[test]
    fn two_md5_etags_that_differ_are_other_bytes() {
        let src = headed(10, "\"abc\"", None);
        let dst = headed(10, "\"def\"", crc(Algorithm::Crc32, "AAAA"));
        let Decision::Copy(why) = decide(Skip::Same, &src, &dst) else {
            panic!("copied")
        };
        assert!(why.contains("ETags (MD5s) differ"), "{why}");
        // Even when a CRC of the two happens to be equal: the MD5s rule.
        let same_crc = headed(10, "\"abc\"", crc(Algorithm::Crc32, "AAAA"));
        let Decision::Copy(why) = decide(Skip::Same, &same_crc, &dst) else {
            panic!("copied although the MD5s differ")
        };
        assert!(why.contains("ETags (MD5s) differ"), "{why}");
        // Under SSE-KMS the ETag is no MD5: nothing tells.
        let kms = Side {
            keyed: true,
            ..dst.clone()
        };
        let Decision::CannotTell(why) = decide(Skip::Same, &src, &kms) else {
            panic!("copied")
        };
        assert!(why.contains("SSE-KMS"), "{why}");
    }

    /// With a directory bucket on either side the ETags are never
    /// compared: equal ones do not skip, MD5-looking ones that differ do
    /// not copy; the checksums decide, or nothing does (and says why).
    #[test]
    fn a_directory_buckets_etags_are_never_compared() {
        let express = "d--use1-az4--x-s3";
        let md5 = "\"9dd4e461268c8034f5c8564e155c67a6\"";
        for (src_bucket, dst_bucket) in [("a", express), (express, "b"), (express, express)] {
            let listed = |bucket| Side::listed(10, md5).in_bucket(bucket);
            assert_eq!(
                decide(Skip::Same, &listed(src_bucket), &listed(dst_bucket)),
                Decision::Compare
            );
            let crc = crc(Algorithm::Crc32, "AAAAAA==");
            let src = headed(10, md5, crc.clone()).in_bucket(src_bucket);
            let dst = headed(10, "\"other\"", crc).in_bucket(dst_bucket);
            assert_eq!(
                decide(Skip::Same, &src, &dst),
                Decision::Skip(Reason::Same(By::Checksum))
            );
            let src = headed(10, md5, None).in_bucket(src_bucket);
            let dst =
                headed(10, "\"8dd4e461268c8034f5c8564e155c67a6\"", None).in_bucket(dst_bucket);
            let Decision::CannotTell(why) = decide(Skip::Same, &src, &dst) else {
                panic!("no checksums: cannot tell")
            };
            assert!(why.contains("directory bucket"), "{why}");
        }
        // Between general purpose buckets, as before.
        let listed = Side::listed(10, md5);
        assert_eq!(
            decide(Skip::Same, &listed, &listed.clone().in_bucket("b")),
            Decision::Skip(Reason::Same(By::Etag))
        );
    }
}
