//! `s3://bucket/key` URIs: parsing, display, destination resolution and the
//! encoding of the `x-amz-copy-source` header.
//!
//! The key in a URI is taken literally, as `aws s3 cp` does: `%`, `+`, spaces
//! and `#` are part of the key, never decoded. Only a trailing
//! `?versionId=ID` on a *source* is read as a version id. The copy-source
//! header, on the other hand, is percent-encoded (the classic bug is to send
//! the raw key, which breaks on `+`, `%`, `?`, `#` and non-ASCII keys).

pub mod arn;

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// S3's longest key, in bytes of UTF-8.
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html>
pub const MAX_KEY_BYTES: usize = 1024;

/// What `x-amz-copy-source` keeps literal: RFC 3986 unreserved characters and
/// the path separator (the same set aws-cli passes to `urllib.parse.quote`).
const COPY_SOURCE_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A parsed `s3://` location. `key` is empty for `s3://bucket` and
/// `s3://bucket/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Uri {
    pub bucket: String,
    pub key: String,
    pub version_id: Option<String>,
}

/// Why a URI was refused; each message names the fix.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UriError {
    #[error("'{0}' is not an S3 URI: write it as s3://BUCKET/KEY")]
    NotS3(String),
    #[error("'{0}' has no bucket name: write it as s3://BUCKET/KEY")]
    NoBucket(String),
    #[error("'{0}' has no object key: name the object to copy, as in s3://BUCKET/KEY")]
    NoKey(String),
    #[error(
        "the key of '{uri}' is {len} bytes long; S3 keys are at most {MAX_KEY_BYTES} bytes (UTF-8)"
    )]
    KeyTooLong { uri: String, len: usize },
    #[error("'{0}' has an empty versionId: give ?versionId=ID or leave it out")]
    EmptyVersion(String),
    #[error("'{0}': a destination cannot name a version; S3 assigns the new version id")]
    VersionOnDestination(String),
    #[error(
        "'{uri}' is not an access point ARN s3cp can read ({why}): write it as {}",
        arn::EXPECTED
    )]
    BadArn { uri: String, why: String },
    #[error("'{uri}' is not supported: it names {what}")]
    UnsupportedArn { uri: String, what: &'static str },
}

impl S3Uri {
    /// Parses a source URI: a key is required, and a trailing
    /// `?versionId=ID` selects a version.
    pub fn parse_source(text: &str) -> Result<Self, UriError> {
        let (rest, version_id) = match text.rsplit_once("?versionId=") {
            Some((rest, v)) if !v.contains('/') => {
                if v.is_empty() {
                    return Err(UriError::EmptyVersion(text.to_owned()));
                }
                (rest, Some(v.to_owned()))
            }
            _ => (text, None),
        };
        let mut uri = Self::parse_location(text, rest)?;
        if uri.key.is_empty() {
            return Err(UriError::NoKey(text.to_owned()));
        }
        uri.version_id = version_id;
        Ok(uri)
    }

    /// Parses a destination URI: the key may be empty or end in `/` (see
    /// [`S3Uri::resolve_destination`]).
    pub fn parse_destination(text: &str) -> Result<Self, UriError> {
        if let Some((_, v)) = text.rsplit_once("?versionId=")
            && !v.contains('/')
        {
            return Err(UriError::VersionOnDestination(text.to_owned()));
        }
        Self::parse_location(text, text)
    }

    fn parse_location(original: &str, text: &str) -> Result<Self, UriError> {
        let rest = text
            .strip_prefix("s3://")
            .ok_or_else(|| UriError::NotS3(original.to_owned()))?;
        // An access point ARN holds a '/' of its own.
        let (bucket, key) = match arn::is_arn(rest) {
            true => arn::split(original, rest)?,
            false => {
                let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
                (bucket.to_owned(), key.to_owned())
            }
        };
        if bucket.is_empty() {
            return Err(UriError::NoBucket(original.to_owned()));
        }
        if key.len() > MAX_KEY_BYTES {
            return Err(UriError::KeyTooLong {
                uri: original.to_owned(),
                len: key.len(),
            });
        }
        Ok(Self {
            bucket,
            key,
            version_id: None,
        })
    }

    /// True when the destination names a "folder": a bare bucket or a key
    /// ending in `/`.
    pub fn is_prefix(&self) -> bool {
        self.key.is_empty() || self.key.ends_with('/')
    }

    /// The destination object for copying `source` here: a prefix receives
    /// the source key's last path segment, as `aws s3 cp` does. A folder
    /// marker (a key ending in `/`, such as `dir/`) stays one: `out/dir/`.
    pub fn resolve_destination(&self, source: &S3Uri) -> Result<S3Uri, UriError> {
        if !self.is_prefix() {
            return Ok(self.clone());
        }
        let name = source.key.rsplit('/').find(|s| !s.is_empty());
        let name = name.ok_or_else(|| UriError::NoKey(source.to_string()))?;
        let marker = if source.key.ends_with('/') { "/" } else { "" };
        let key = format!("{}{name}{marker}", self.key);
        if key.len() > MAX_KEY_BYTES {
            return Err(UriError::KeyTooLong {
                uri: format!("s3://{}/{}", self.bucket, key),
                len: key.len(),
            });
        }
        Ok(S3Uri {
            bucket: self.bucket.clone(),
            key,
            version_id: None,
        })
    }

    /// The value of `x-amz-copy-source`: `bucket/percent-encoded-key`, plus
    /// `?versionId=` (itself encoded) when a version is pinned. Through an
    /// access point, the form S3 documents for it:
    /// `arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/object/KEY` (the ARN as
    /// it is, the key encoded; the Java SDK builds it the same way)
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html>.
    pub fn copy_source(&self, version_id: Option<&str>) -> String {
        let key = utf8_percent_encode(&self.key, COPY_SOURCE_KEEP);
        let object = match arn::is_arn(&self.bucket) {
            true => "/object",
            false => "",
        };
        match version_id.or(self.version_id.as_deref()) {
            Some(v) => format!(
                "{}{object}/{}?versionId={}",
                self.bucket,
                key,
                utf8_percent_encode(v, COPY_SOURCE_KEEP)
            ),
            None => format!("{}{object}/{}", self.bucket, key),
        }
    }
}

impl fmt::Display for S3Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)?;
        if let Some(v) = &self.version_id {
            write!(f, "?versionId={v}")?;
        }
        Ok(())
    }
}

/// `text` as one word for a POSIX shell, so that a command s3cp prints can
/// be pasted as it is (keys may hold spaces, quotes, `*`): as it is when
/// it is plain, else single-quoted.
pub fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/:._-+=@%,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_owned();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Whether `bucket` is named as a directory bucket (S3 Express One Zone):
/// `NAME--ZONE--x-s3`.
pub fn is_directory_bucket(bucket: &str) -> bool {
    bucket.ends_with("--x-s3")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_command_is_pasted_as_one_word_each() {
        assert_eq!(shell_word("s3://b/backup/db.dump"), "s3://b/backup/db.dump");
        assert_eq!(shell_word("s3://b/a b"), "'s3://b/a b'");
        assert_eq!(shell_word("s3://b/it's"), r"'s3://b/it'\''s'");
        assert_eq!(shell_word("s3://b/*"), "'s3://b/*'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn parses_bucket_key_and_version() {
        let u = S3Uri::parse_source("s3://b/dir/a b.txt?versionId=3HL4kqtJ").unwrap();
        assert_eq!(u.bucket, "b");
        assert_eq!(u.key, "dir/a b.txt");
        assert_eq!(u.version_id.as_deref(), Some("3HL4kqtJ"));
        assert_eq!(u.to_string(), "s3://b/dir/a b.txt?versionId=3HL4kqtJ");
    }

    #[test]
    fn question_mark_in_key_is_part_of_key() {
        let u = S3Uri::parse_source("s3://b/what?really#yes%20+").unwrap();
        assert_eq!(u.key, "what?really#yes%20+");
        assert_eq!(u.version_id, None);
    }

    #[test]
    fn rejects_bad_uris() {
        assert!(matches!(
            S3Uri::parse_source("b/k"),
            Err(UriError::NotS3(_))
        ));
        assert!(matches!(
            S3Uri::parse_source("s3:///k"),
            Err(UriError::NoBucket(_))
        ));
        assert!(matches!(
            S3Uri::parse_source("s3://b"),
            Err(UriError::NoKey(_))
        ));
        assert!(matches!(
            S3Uri::parse_source("s3://b/"),
            Err(UriError::NoKey(_))
        ));
        assert!(matches!(
            S3Uri::parse_source("s3://b/k?versionId="),
            Err(UriError::EmptyVersion(_))
        ));
        assert!(matches!(
            S3Uri::parse_destination("s3://b/k?versionId=x"),
            Err(UriError::VersionOnDestination(_))
        ));
    }

    #[test]
    fn key_length_limit_is_in_bytes() {
        let ok = format!("s3://b/{}", "é".repeat(512));
        assert_eq!(S3Uri::parse_source(&ok).unwrap().key.len(), 1024);
        let long = format!("s3://b/{}a", "é".repeat(512));
        assert!(matches!(
            S3Uri::parse_source(&long),
            Err(UriError::KeyTooLong { len: 1025, .. })
        ));
    }

    #[test]
    fn prefix_destination_takes_source_name() {
        let src = S3Uri::parse_source("s3://a/x/y/file.bin").unwrap();
        for (dst, want) in [
            ("s3://b", "file.bin"),
            ("s3://b/", "file.bin"),
            ("s3://b/out/", "out/file.bin"),
            ("s3://b/named", "named"),
        ] {
            let d = S3Uri::parse_destination(dst).unwrap();
            assert_eq!(d.resolve_destination(&src).unwrap().key, want, "{dst}");
        }
    }

    #[test]
    fn a_folder_marker_stays_a_folder_marker() {
        let src = S3Uri::parse_source("s3://a/x/dir/").unwrap();
        for (dst, want) in [
            ("s3://b", "dir/"),
            ("s3://b/out/", "out/dir/"),
            ("s3://b/named", "named"),
        ] {
            let d = S3Uri::parse_destination(dst).unwrap();
            assert_eq!(d.resolve_destination(&src).unwrap().key, want, "{dst}");
        }
        let top = S3Uri::parse_source("s3://a/dir/").unwrap();
        let d = S3Uri::parse_destination("s3://b/out/").unwrap();
        assert_eq!(d.resolve_destination(&top).unwrap().key, "out/dir/");
    }

    #[test]
    fn copy_source_is_percent_encoded() {
        let u = S3Uri::parse_source("s3://bkt/a b/c+d%e?f#g~h_i.j-k/ü").unwrap();
        assert_eq!(
            u.copy_source(None),
            "bkt/a%20b/c%2Bd%25e%3Ff%23g~h_i.j-k/%C3%BC"
        );
        assert_eq!(
            u.copy_source(Some("v+1")),
            "bkt/a%20b/c%2Bd%25e%3Ff%23g~h_i.j-k/%C3%BC?versionId=v%2B1"
        );
    }
}
