//! Every checksum algorithm S3 computes, computed here too, for what s3cp
//! must compute and send itself: the values of the algorithms the SDK's
//! checksum layer does not know (MD5, SHA512, XXHASH3, XXHASH64,
//! XXHASH128: aws-smithy-checksums reads `MD5` as CRC32 and refuses the
//! others), the parts of a streamed copy, and `--verify`'s read of a
//! source in a composite algorithm.
//!
//! A [`Hasher`] runs over a stream of bytes; [`Hasher::finish`] gives the
//! digest's bytes, and [`to_base64`] S3's form of them. A multipart
//! object's `COMPOSITE` checksum is the algorithm over the concatenated
//! digests of its parts, in part order, written `base64-N`
//! ([`composite`]), as S3's user guide describes it ("Checking object
//! integrity", multipart uploads).
//!
//! The arithmetic is maintained crates': crc-fast for the CRCs (through
//! [`crate::crc`]), RustCrypto's md-5, sha1 and sha2, and xxhash-rust
//! (XXHASH3 is XXH3-64, XXHASH128 is XXH3-128, both with the default
//! secret and seed 0; XXHASH64 is XXH64 with seed 0). Nothing here is
//! hand-written. S3 gives each digest as base64 of its bytes; an xxHash
//! value, an integer, is given in its canonical form, big-endian (as
//! xxHash's own `XXH64_canonicalFromHash` writes it, and as S3 gives its
//! CRCs).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::Digest as _;

use crate::checksum::Algorithm;
use crate::crc::{self, Crc};

/// A running checksum of the bytes fed so far, in any of S3's algorithms.
#[derive(Clone)]
pub enum Hasher {
    Crc(Algorithm, Crc),
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
    Xxhash3(Box<xxhash_rust::xxh3::Xxh3>),
    Xxhash64(xxhash_rust::xxh64::Xxh64),
    Xxhash128(Box<xxhash_rust::xxh3::Xxh3>),
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hasher({})", self.algorithm())
    }
}

impl Hasher {
    pub fn new(alg: Algorithm) -> Hasher {
        match alg {
            Algorithm::Crc32 | Algorithm::Crc32c | Algorithm::Crc64Nvme => {
                Hasher::Crc(alg, Crc::new(alg).expect("a CRC"))
            }
            Algorithm::Md5 => Hasher::Md5(md5::Md5::new()),
            Algorithm::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            Algorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algorithm::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
            Algorithm::Xxhash3 => Hasher::Xxhash3(Box::new(xxhash_rust::xxh3::Xxh3::new())),
            Algorithm::Xxhash64 => Hasher::Xxhash64(xxhash_rust::xxh64::Xxh64::new(0)),
            Algorithm::Xxhash128 => Hasher::Xxhash128(Box::new(xxhash_rust::xxh3::Xxh3::new())),
        }
    }

    pub fn algorithm(&self) -> Algorithm {
        match self {
            Hasher::Crc(alg, _) => *alg,
            Hasher::Md5(_) => Algorithm::Md5,
            Hasher::Sha1(_) => Algorithm::Sha1,
            Hasher::Sha256(_) => Algorithm::Sha256,
            Hasher::Sha512(_) => Algorithm::Sha512,
            Hasher::Xxhash3(_) => Algorithm::Xxhash3,
            Hasher::Xxhash64(_) => Algorithm::Xxhash64,
            Hasher::Xxhash128(_) => Algorithm::Xxhash128,
        }
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Crc(_, c) => c.update(bytes),
            Hasher::Md5(h) => h.update(bytes),
            Hasher::Sha1(h) => h.update(bytes),
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
            Hasher::Xxhash3(h) | Hasher::Xxhash128(h) => h.update(bytes),
            Hasher::Xxhash64(h) => h.update(bytes),
        }
    }

    /// The digest of the bytes fed, as bytes (a CRC's big-endian, 4 or 8).
    pub fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Crc(alg, c) => STANDARD
                .decode(crc::to_base64(alg, c.value()))
                .expect("base64 of our own"),
            Hasher::Md5(h) => h.finalize().to_vec(),
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
            Hasher::Xxhash3(h) => h.digest().to_be_bytes().to_vec(),
            Hasher::Xxhash64(h) => h.digest().to_be_bytes().to_vec(),
            Hasher::Xxhash128(h) => h.digest128().to_be_bytes().to_vec(),
        }
    }

    /// The digest in S3's form (base64).
    pub fn finish_base64(self) -> String {
        to_base64(&self.finish())
    }
}

/// The digest of `bytes` in `alg`, in S3's form (base64).
pub fn base64_of(alg: Algorithm, bytes: &[u8]) -> String {
    let mut h = Hasher::new(alg);
    h.update(bytes);
    h.finish_base64()
}

/// S3's form of a digest: standard base64 of its bytes.
pub fn to_base64(digest: &[u8]) -> String {
    STANDARD.encode(digest)
}

/// The `COMPOSITE` checksum of a multipart object from its parts' values
/// (S3's base64 form, in part order): the algorithm over their
/// concatenated digests, then `-N`, N the number of parts. `None` when a
/// part's value is not base64.
pub fn composite<'a>(alg: Algorithm, parts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut h = Hasher::new(alg);
    let mut count = 0usize;
    for part in parts {
        h.update(&STANDARD.decode(part).ok()?);
        count += 1;
    }
    Some(format!("{}-{count}", h.finish_base64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn digest(alg: Algorithm, bytes: &[u8]) -> String {
        let mut h = Hasher::new(alg);
        h.update(bytes);
        hex(&h.finish())
    }

    /// Published test vectors:
    /// - MD5("abc"): RFC 1321, appendix A.5 (the test suite).
    /// - SHA1("abc"), SHA256("abc"), SHA512("abc"): FIPS 180-2, appendices
    ///   A.1, B.1 and C.1 (NIST's "one-block message" examples).
    /// - XXH64, XXH3-64 and XXH3-128 of the empty input, seed 0: xxHash's
    ///   own sanity check (Cyan4973/xxHash, `cli/xsum_sanity_check.c`,
    ///   the first entries of its XXH64, XXH3 and XXH128 test tables; the
    ///   XXH128 one as `xxh128sum` prints it, high half first).
    /// - The CRCs of "123456789": the CRC catalogue's check values
    ///   (reveng.sourceforge.io/crc-catalogue).
    #[test]
    fn published_test_vectors() {
        let vectors: [(Algorithm, &[u8], &str); 10] = [
            (Algorithm::Md5, b"abc", "900150983cd24fb0d6963f7d28e17f72"),
            (
                Algorithm::Sha1,
                b"abc",
                "a9993e364706816aba3e25717850c26c9cd0d89d",
            ),
            (
                Algorithm::Sha256,
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                Algorithm::Sha512,
                b"abc",
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                 2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            ),
            (Algorithm::Xxhash64, b"", "ef46db3751d8e999"),
            (Algorithm::Xxhash3, b"", "2d06800538d394c2"),
            (
                Algorithm::Xxhash128,
                b"",
                "99aa06d3014798d86001c324468d497f",
            ),
            (Algorithm::Crc32, b"123456789", "cbf43926"),
            (Algorithm::Crc32c, b"123456789", "e3069283"),
            (Algorithm::Crc64Nvme, b"123456789", "ae8b14860a799888"),
        ];
        for (alg, input, want) in vectors {
            assert_eq!(digest(alg, input), want, "{alg}");
        }
    }

    #[test]
    fn every_algorithm_has_its_width_and_pieces_give_the_whole() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 31 % 251) as u8).collect();
        let widths = [4, 4, 8, 20, 32, 16, 64, 8, 8, 16];
        for (alg, width) in Algorithm::ALL.into_iter().zip(widths) {
            let mut pieces = Hasher::new(alg);
            assert_eq!(pieces.algorithm(), alg);
            for chunk in data.chunks(7919) {
                pieces.update(chunk);
            }
            let whole = digest(alg, &data);
            let pieces = pieces.finish();
            assert_eq!(pieces.len(), width, "{alg}");
            assert_eq!(hex(&pieces), whole, "{alg}");
        }
    }

    /// A composite of MD5s is the multipart ETag's arithmetic: MD5 over the
    /// parts' MD5s, then `-N`.
    #[test]
    fn a_composite_is_the_digest_of_the_parts_digests() {
        let (a, b) = (b"first part".as_slice(), b"second".as_slice());
        for alg in Algorithm::ALL {
            let parts = [base64_of(alg, a), base64_of(alg, b)];
            let mut joined = Hasher::new(alg);
            let mut first = Hasher::new(alg);
            first.update(a);
            joined.update(&first.finish());
            let mut second = Hasher::new(alg);
            second.update(b);
            joined.update(&second.finish());
            let want = format!("{}-2", joined.finish_base64());
            assert_eq!(
                composite(alg, parts.iter().map(String::as_str)),
                Some(want),
                "{alg}"
            );
        }
        assert_eq!(composite(Algorithm::Md5, ["not base64!"]), None);
        // The MD5 composite of the ETag of an upload of "abc" in one part.
        let md5_of_md5 = format!("{:x}", md5::Md5::digest(md5::Md5::digest(b"abc")));
        let value = composite(Algorithm::Md5, [base64_of(Algorithm::Md5, b"abc").as_str()]);
        let (b64, n) = value.as_deref().unwrap().rsplit_once('-').unwrap();
        assert_eq!((hex(&STANDARD.decode(b64).unwrap()), n), (md5_of_md5, "1"));
    }
}
