//! Full-object CRCs as S3 computes them (CRC32, CRC32C, CRC64NVME), for
//! proving a copy by reading its source: a running [`Crc`] over a stream of
//! bytes, [`combine`] to join the CRCs of adjacent ranges read in parallel,
//! and [`to_base64`] for S3's form of the value (`x-amz-checksum-*`).
//!
//! The arithmetic is the crc-fast crate's, which the AWS SDK itself uses
//! (through aws-smithy-checksums) for the same three algorithms; nothing
//! here computes a CRC by hand.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use crc_fast::CrcAlgorithm;

use crate::checksum::Algorithm;

/// crc-fast's name for a CRC that S3 computes: CRC32 is CRC-32/ISO-HDLC,
/// CRC32C is CRC-32/ISCSI (Castagnoli), CRC64NVME is CRC-64/NVME. `None`
/// for any other algorithm.
fn crc_algorithm(alg: Algorithm) -> Option<CrcAlgorithm> {
    match alg {
        Algorithm::Crc32 => Some(CrcAlgorithm::Crc32IsoHdlc),
        Algorithm::Crc32c => Some(CrcAlgorithm::Crc32Iscsi),
        Algorithm::Crc64Nvme => Some(CrcAlgorithm::Crc64Nvme),
        _ => None,
    }
}

/// The CRC of the bytes fed so far, in one of S3's CRC algorithms.
#[derive(Debug, Clone)]
pub struct Crc {
    digest: crc_fast::Digest,
}

impl Crc {
    /// A CRC of nothing yet; `None` for an algorithm that is not a CRC
    /// (SHA1, SHA256).
    pub fn new(alg: Algorithm) -> Option<Crc> {
        let digest = crc_fast::Digest::new(crc_algorithm(alg)?);
        Some(Crc { digest })
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.digest.update(bytes);
    }

    /// Bytes fed so far.
    pub fn len(&self) -> u64 {
        self.digest.get_amount()
    }

    /// Whether nothing has been fed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The CRC of the bytes fed so far (in the low 32 bits for CRC32 and
    /// CRC32C).
    pub fn value(&self) -> u64 {
        self.digest.finalize()
    }
}

/// The CRC of A‖B from `first` = crc(A), `second` = crc(B) and
/// `second_len` = len(B). The CRC of nothing is the identity on either
/// side. Panics if `alg` is not a CRC (a caller's bug: there is no
/// [`Crc`] of it to combine).
pub fn combine(alg: Algorithm, first: u64, second: u64, second_len: u64) -> u64 {
    let crc = crc_algorithm(alg).unwrap_or_else(|| panic!("{alg} is not a CRC"));
    crc_fast::checksum_combine(crc, first, second, second_len)
}

/// S3's form of a CRC, as `x-amz-checksum-crc32` and the others give it:
/// the value's big-endian bytes (4 for CRC32 and CRC32C, 8 for CRC64NVME)
/// in standard base64. Panics if `alg` is not a CRC.
pub fn to_base64(alg: Algorithm, value: u64) -> String {
    let bytes = value.to_be_bytes();
    let bytes = match alg {
        Algorithm::Crc32 | Algorithm::Crc32c => &bytes[4..],
        Algorithm::Crc64Nvme => &bytes[..],
        _ => panic!("{alg} is not a CRC"),
    };
    STANDARD.encode(bytes)
}

/// The value of a CRC in S3's base64 form ([`to_base64`] undone); `None`
/// when it is not one of `alg`'s.
pub fn from_base64(alg: Algorithm, text: &str) -> Option<u64> {
    let bytes = STANDARD.decode(text).ok()?;
    let width = match alg {
        Algorithm::Crc32 | Algorithm::Crc32c => 4,
        Algorithm::Crc64Nvme => 8,
        _ => return None,
    };
    if bytes.len() != width {
        return None;
    }
    Some(bytes.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRCS: [Algorithm; 3] = [Algorithm::Crc32, Algorithm::Crc32c, Algorithm::Crc64Nvme];

    /// The published check values: the CRC of the ASCII bytes "123456789"
    /// (the CRC catalogue, reveng.sourceforge.io/crc-catalogue: CRC-32/
    /// ISO-HDLC, CRC-32/ISCSI, CRC-64/NVME).
    fn check_value(alg: Algorithm) -> u64 {
        match alg {
            Algorithm::Crc32 => 0xCBF4_3926,
            Algorithm::Crc32c => 0xE306_9283,
            Algorithm::Crc64Nvme => 0xAE8B_1486_0A79_9888,
            _ => unreachable!(),
        }
    }

    #[test]
    fn base64_round_trips_and_refuses_other_widths() {
        for alg in CRCS {
            let v = check_value(alg);
            assert_eq!(from_base64(alg, &to_base64(alg, v)), Some(v), "{alg}");
        }
        assert_eq!(
            from_base64(Algorithm::Crc64Nvme, &to_base64(Algorithm::Crc32, 7)),
            None
        );
        assert_eq!(from_base64(Algorithm::Crc32, "not base64!"), None);
        assert_eq!(from_base64(Algorithm::Sha256, "AAAA"), None);
    }

    fn crc_of(alg: Algorithm, bytes: &[u8]) -> u64 {
        let mut crc = Crc::new(alg).unwrap();
        crc.update(bytes);
        crc.value()
    }

    /// 1 MiB of a fixed pattern, the same bytes that were stored on the
    /// test servers to read their checksums.
    fn pattern() -> Vec<u8> {
        (0..1u32 << 20)
            .map(|i| ((i * 31 + 7) % 251) as u8)
            .collect()
    }

    #[test]
    fn the_check_values_of_the_crc_catalogue() {
        for alg in CRCS {
            assert_eq!(crc_of(alg, b"123456789"), check_value(alg), "{alg}");
        }
    }

    #[test]
    fn sha_algorithms_are_no_crc() {
        assert!(Crc::new(Algorithm::Sha1).is_none());
        assert!(Crc::new(Algorithm::Sha256).is_none());
    }

    #[test]
    fn updates_in_pieces_give_the_one_shot_value_and_count_the_bytes() {
        let data = pattern();
        for alg in CRCS {
            let mut crc = Crc::new(alg).unwrap();
            assert!(crc.is_empty());
            for chunk in data.chunks(7919) {
                crc.update(chunk);
            }
            assert_eq!(crc.len(), data.len() as u64);
            assert_eq!(crc.value(), crc_of(alg, &data), "{alg}");
        }
    }

    #[test]
    fn combining_12345_and_6789_gives_the_check_value() {
        for alg in CRCS {
            let (a, b) = (crc_of(alg, b"12345"), crc_of(alg, b"6789"));
            assert_ne!(a, check_value(alg));
            assert_eq!(combine(alg, a, b, 4), check_value(alg), "{alg}");
        }
    }

    #[test]
    fn the_crc_of_nothing_combines_as_the_identity() {
        for alg in CRCS {
            let empty = crc_of(alg, b"");
            let whole = check_value(alg);
            assert_eq!(combine(alg, whole, empty, 0), whole, "{alg}");
            assert_eq!(combine(alg, empty, whole, 9), whole, "{alg}");
        }
    }

    #[test]
    fn many_uneven_pieces_combine_to_the_one_shot_value() {
        let data = pattern();
        // Uneven cuts, a one-byte piece among them, and a last short piece.
        let mut cuts = vec![0, 1, 2, 1000, 65_536, 65_537, 300_001, 777_777, 1_048_575];
        cuts.push(data.len());
        for alg in CRCS {
            let mut total = crc_of(alg, b"");
            for pair in cuts.windows(2) {
                let piece = &data[pair[0]..pair[1]];
                total = combine(alg, total, crc_of(alg, piece), piece.len() as u64);
            }
            assert_eq!(total, crc_of(alg, &data), "{alg}");
        }
    }

    /// The values Garage 2.5.0 and moto 5.2.5 computed themselves (a
    /// CopyObject with `x-amz-checksum-algorithm`, then a HEAD with
    /// `ChecksumMode=ENABLED`; both servers gave the same) for "123456789",
    /// the 1 MiB pattern and an empty object.
    #[test]
    fn base64_is_what_s3_returns() {
        let s3 = [
            (Algorithm::Crc32, "y/Q5Jg==", "Mb1fgA==", "AAAAAA=="),
            (Algorithm::Crc32c, "4waSgw==", "ZFYo4Q==", "AAAAAA=="),
            (
                Algorithm::Crc64Nvme,
                "rosUhgp5mIg=",
                "1QFIuLEmn7w=",
                "AAAAAAAAAAA=",
            ),
        ];
        let data = pattern();
        for (alg, check, patterned, empty) in s3 {
            assert_eq!(to_base64(alg, check_value(alg)), check, "{alg}");
            assert_eq!(to_base64(alg, crc_of(alg, &data)), patterned, "{alg}");
            assert_eq!(to_base64(alg, crc_of(alg, b"")), empty, "{alg}");
        }
    }
}
