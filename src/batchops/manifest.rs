//! The job's manifest, `S3BatchOperations_CSV_20180820`, written as the
//! listing streams: one line per object (bucket, URL-encoded key, and the
//! version id when the manifest carries them), no header, straight to any
//! [`Write`], so memory stays flat whatever the number of objects.
//!
//! The key is URL-encoded, as AWS requires: "The contents of the manifest
//! must be URL encoded" (S3 User Guide, "S3 Batch Operations basics",
//! Specifying a manifest:
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-basics.html>),
//! and "object keys must be URL-encoded" for a CSV manifest
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html>).
//! Every byte but the RFC 3986 unreserved characters and `/` is
//! percent-encoded (a space is `%20`, a `+` is `%2B`), so a decoder that
//! reads `+` as a space and one that does not read the same key; and no
//! comma, quote or newline is left to quote in the CSV.
//!
//! The writer also splits the run: an object above the multipart threshold
//! (at most 5 GiB, CopyObject's limit, which a job's copy shares) is left
//! for s3cp to copy itself; the writer is told each object's size and
//! says which side it went to.

use std::io::{self, Write};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::plan::MAX_SINGLE_COPY;

/// What a manifest key keeps literal: RFC 3986 unreserved characters and `/`.
const KEY_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A key as the manifest's CSV holds it.
pub fn encode_key(key: &str) -> String {
    utf8_percent_encode(key, KEY_KEEP).to_string()
}

/// Which side of the run an object went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// A line of the manifest: the job copies it.
    Job,
    /// Above the threshold: s3cp copies it itself (multipart).
    Local,
}

/// Objects and bytes on one side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub objects: u64,
    pub bytes: u64,
}

impl Totals {
    fn add(&mut self, size: u64) {
        self.objects += 1;
        self.bytes += size;
    }
}

/// An object the manifest cannot hold as it is.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error(
        "s3://{bucket}/{key} names a version and the manifest's earlier objects do not (or \
         the other way round); a job's manifest gives a version for every object or for none: \
         split the run, or name a version on every line"
    )]
    MixedVersions { bucket: String, key: String },
    #[error(
        "the version id '{version}' of s3://{bucket}/{key} has characters a job's manifest \
         cannot carry as they are: copy it without --batch"
    )]
    VersionId {
        bucket: String,
        key: String,
        version: String,
    },
    #[error("writing the manifest: {0}")]
    Io(#[from] io::Error),
}

/// A version id as S3 makes them (letters, digits, `.`, `_`, `-`) goes in
/// as it is; AWS's examples show them unencoded, and whether a job decodes
/// them is not documented, so anything else is refused rather than guessed.
fn plain_version(version: &str) -> bool {
    !version.is_empty()
        && version
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// The manifest, written line by line, and the run's split.
#[derive(Debug)]
pub struct ManifestWriter<W: Write> {
    out: W,
    /// Above this, an object is copied locally; never above 5 GiB.
    threshold: u64,
    /// Whether the lines carry version ids: set by the first line.
    versioned: Option<bool>,
    /// One line's text, reused (memory flat).
    line: String,
    job: Totals,
    local: Totals,
}

/// What a finished manifest holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub job: Totals,
    pub local: Totals,
    /// The lines carry a version id (the job's `Fields` then end with
    /// `VersionId`).
    pub versioned: bool,
}

impl<W: Write> ManifestWriter<W> {
    /// A manifest into `out`; objects above `threshold` (clamped to 5 GiB)
    /// are left for the local copy.
    pub fn new(out: W, threshold: u64) -> Self {
        Self {
            out,
            threshold: threshold.min(MAX_SINGLE_COPY),
            versioned: None,
            line: String::new(),
            job: Totals::default(),
            local: Totals::default(),
        }
    }

    /// Adds one object: a manifest line if the job can copy it, else
    /// counted for the local copy (nothing written). Errors write nothing.
    pub fn add(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        size: u64,
    ) -> Result<Side, ManifestError> {
        if size > self.threshold {
            self.local.add(size);
            return Ok(Side::Local);
        }
        if *self.versioned.get_or_insert(version_id.is_some()) != version_id.is_some() {
            return Err(ManifestError::MixedVersions {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
            });
        }
        self.line.clear();
        self.line.push_str(bucket);
        self.line.push(',');
        self.line.push_str(&encode_key(key));
        if let Some(version) = version_id {
            if !plain_version(version) {
                return Err(ManifestError::VersionId {
                    bucket: bucket.to_owned(),
                    key: key.to_owned(),
                    version: version.to_owned(),
                });
            }
            self.line.push(',');
            self.line.push_str(version);
        }
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())?;
        self.job.add(size);
        Ok(Side::Job)
    }

    /// The counts so far.
    pub fn totals(&self) -> (Totals, Totals) {
        (self.job, self.local)
    }

    /// Flushes the manifest and gives back the writer and what it holds.
    pub fn finish(mut self) -> Result<(W, Summary), ManifestError> {
        self.out.flush()?;
        let summary = Summary {
            job: self.job,
            local: self.local,
            versioned: self.versioned.unwrap_or(false),
        };
        Ok((self.out, summary))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(w: ManifestWriter<Vec<u8>>) -> (String, Summary) {
        let (out, summary) = w.finish().unwrap();
        (String::from_utf8(out).unwrap(), summary)
    }

    #[test]
    fn keys_are_url_encoded_but_slashes() {
        assert_eq!(encode_key("dir/a.txt"), "dir/a.txt");
        assert_eq!(encode_key("a b+c"), "a%20b%2Bc");
        assert_eq!(encode_key("x,y\"z'\n"), "x%2Cy%22z%27%0A");
        assert_eq!(encode_key("100%"), "100%25");
        assert_eq!(encode_key("ü/日"), "%C3%BC/%E6%97%A5");
        assert_eq!(encode_key("A-Z_a.z~0"), "A-Z_a.z~0");
        assert_eq!(encode_key("//x/"), "//x/");
    }

    #[test]
    fn encoded_keys_decode_to_themselves() {
        for key in ["a b+c/ü,\"x\"%.txt", "%41", "+", "tab\there", "日本/語"] {
            let encoded = encode_key(key);
            let back = percent_encoding::percent_decode_str(&encoded)
                .decode_utf8()
                .unwrap();
            assert_eq!(back, key);
            // Nothing a form decoder reads differently, nothing CSV quotes.
            assert!(
                !encoded.contains(['+', ',', '"', '\n', '\r', ' ']),
                "{encoded}"
            );
        }
    }

    #[test]
    fn lines_are_bucket_key_and_counted() {
        let mut w = ManifestWriter::new(Vec::new(), MAX_SINGLE_COPY);
        assert_eq!(w.add("src", "a b.txt", None, 10).unwrap(), Side::Job);
        assert_eq!(w.add("src", "dir/c+d", None, 0).unwrap(), Side::Job);
        assert_eq!(
            w.totals().0,
            Totals {
                objects: 2,
                bytes: 10
            }
        );
        let (text, summary) = written(w);
        assert_eq!(text, "src,a%20b.txt\nsrc,dir/c%2Bd\n");
        assert!(!summary.versioned);
        assert_eq!(summary.local, Totals::default());
    }

    #[test]
    fn objects_above_the_threshold_are_left_for_the_local_copy() {
        let mut w = ManifestWriter::new(Vec::new(), 100);
        assert_eq!(w.add("b", "small", None, 100).unwrap(), Side::Job);
        assert_eq!(w.add("b", "large", None, 101).unwrap(), Side::Local);
        assert_eq!(w.add("b", "huge", None, 6 << 30).unwrap(), Side::Local);
        let (text, summary) = written(w);
        assert_eq!(text, "b,small\n");
        assert_eq!(
            summary.job,
            Totals {
                objects: 1,
                bytes: 100
            }
        );
        assert_eq!(
            summary.local,
            Totals {
                objects: 2,
                bytes: 101 + (6 << 30)
            }
        );
    }

    #[test]
    fn the_threshold_is_never_above_what_one_copy_can_do() {
        let mut w = ManifestWriter::new(Vec::new(), u64::MAX);
        assert_eq!(w.add("b", "at", None, MAX_SINGLE_COPY).unwrap(), Side::Job);
        assert_eq!(
            w.add("b", "above", None, MAX_SINGLE_COPY + 1).unwrap(),
            Side::Local
        );
    }

    #[test]
    fn versions_go_on_every_line_or_none() {
        let mut w = ManifestWriter::new(Vec::new(), MAX_SINGLE_COPY);
        w.add("b", "k1", Some("3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"), 1)
            .unwrap();
        w.add("b", "k 2", Some("v-2_x"), 1).unwrap();
        let e = w.add("b", "k3", None, 1).unwrap_err();
        assert!(matches!(e, ManifestError::MixedVersions { .. }), "{e}");
        assert!(e.to_string().contains("s3://b/k3"));
        // A local object's version does not matter to the manifest.
        assert_eq!(w.add("b", "big", None, 6 << 30).unwrap(), Side::Local);
        let (text, summary) = written(w);
        assert_eq!(
            text,
            "b,k1,3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY\nb,k%202,v-2_x\n"
        );
        assert!(summary.versioned);
        assert_eq!(summary.job.objects, 2);

        let mut w = ManifestWriter::new(Vec::new(), MAX_SINGLE_COPY);
        w.add("b", "k1", None, 1).unwrap();
        assert!(w.add("b", "k2", Some("v"), 1).is_err());
    }

    #[test]
    fn a_version_id_the_csv_cannot_carry_is_refused_and_not_written() {
        let mut w = ManifestWriter::new(Vec::new(), MAX_SINGLE_COPY);
        let e = w.add("b", "k", Some("a,b"), 1).unwrap_err();
        assert!(e.to_string().contains("'a,b'"), "{e}");
        let (text, summary) = written(w);
        assert_eq!(text, "");
        assert_eq!(summary.job, Totals::default());
    }

    #[test]
    fn a_failing_writer_is_an_error() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = ManifestWriter::new(Full, MAX_SINGLE_COPY);
        let e = w.add("b", "k", None, 1).unwrap_err();
        assert!(e.to_string().contains("disk full"), "{e}");
        assert_eq!(
            w.totals().0,
            Totals::default(),
            "a failed line is not counted"
        );
    }
}
