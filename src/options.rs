//! The CopyObject options, resolved and validated, and the pure decisions
//! made with them: which headers and metadata the destination gets under
//! each directive, whether the source conditions hold for the HEADed object,
//! whether a copy onto itself changes anything. No I/O and no clap here;
//! [`crate::request`] maps these onto each S3 request.

use std::collections::HashMap;
use std::fmt;

use aws_sdk_s3::types::{
    ObjectCannedAcl, ObjectLockLegalHoldStatus, ObjectLockMode, RequestPayer, ServerSideEncryption,
    StorageClass,
};
use aws_smithy_types::DateTime;

use crate::checksum::ChecksumOptions;

pub mod directory;
use aws_smithy_types::date_time::Format;

/// How the destination's metadata and Content-* headers are chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MetadataDirective {
    /// The source's (S3's default).
    #[default]
    Copy,
    /// Only those given.
    Replace,
    /// The source's, overridden by those given.
    Merge,
}

impl MetadataDirective {
    pub fn name(self) -> &'static str {
        match self {
            Self::Copy => "COPY",
            Self::Replace => "REPLACE",
            Self::Merge => "MERGE",
        }
    }
}

/// How the destination's tags are chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TaggingDirective {
    /// The source's (S3's default).
    #[default]
    Copy,
    /// Only those given (none if none are).
    Replace,
}

impl TaggingDirective {
    pub fn name(self) -> &'static str {
        match self {
            Self::Copy => "COPY",
            Self::Replace => "REPLACE",
        }
    }
}

/// Whether the destination gets the source's annotations
/// (`--annotation-directive`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AnnotationDirective {
    /// The source's (S3's default).
    #[default]
    Copy,
    /// None.
    Exclude,
}

impl AnnotationDirective {
    pub fn name(self) -> &'static str {
        match self {
            Self::Copy => "COPY",
            Self::Exclude => "EXCLUDE",
        }
    }
}

/// Annotations: the directive, and whether it was named (CopyObject sends
/// it then, even COPY, S3's default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnnotationOptions {
    pub directive: AnnotationDirective,
    pub explicit: bool,
}

/// The Content-* headers, Expires and website redirect of an object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentHeaders {
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    pub expires: Option<DateTime>,
}

impl ContentHeaders {
    /// `self`, with every header that `over` sets replaced.
    pub fn overlaid(&self, over: &ContentHeaders) -> ContentHeaders {
        ContentHeaders {
            content_type: over.content_type.clone().or(self.content_type.clone()),
            cache_control: over.cache_control.clone().or(self.cache_control.clone()),
            content_disposition: over
                .content_disposition
                .clone()
                .or(self.content_disposition.clone()),
            content_encoding: over
                .content_encoding
                .clone()
                .or(self.content_encoding.clone()),
            content_language: over
                .content_language
                .clone()
                .or(self.content_language.clone()),
            expires: over.expires.or(self.expires),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == ContentHeaders::default()
    }
}

/// Metadata and headers: the directive and what was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataOptions {
    pub directive: MetadataDirective,
    /// The directive was named on the command line: CopyObject then sends
    /// it even when it is COPY, S3's default, because a bucket policy can
    /// require the header (`s3:x-amz-metadata-directive`).
    pub explicit: bool,
    pub headers: ContentHeaders,
    pub metadata: HashMap<String, String>,
}

/// What the destination ends up with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectMetadata {
    pub headers: ContentHeaders,
    pub metadata: HashMap<String, String>,
}

impl MetadataOptions {
    /// The destination's headers and metadata under the directive, given the
    /// source's: the single source of truth for both copy paths.
    pub fn resolve(&self, source: &ObjectMetadata) -> ObjectMetadata {
        match self.directive {
            MetadataDirective::Copy => source.clone(),
            MetadataDirective::Replace => ObjectMetadata {
                headers: self.headers.clone(),
                metadata: self.metadata.clone(),
            },
            MetadataDirective::Merge => {
                let mut metadata = source.metadata.clone();
                metadata.extend(self.metadata.clone());
                ObjectMetadata {
                    headers: source.headers.overlaid(&self.headers),
                    metadata,
                }
            }
        }
    }
}

/// Tags: the directive and what was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaggingOptions {
    pub directive: TaggingDirective,
    /// The directive was named on the command line: sent even when it is
    /// COPY (`s3:x-amz-tagging-directive` in a bucket policy).
    pub explicit: bool,
    /// With REPLACE: the tags given (none if none were).
    pub tags: Vec<(String, String)>,
}

/// S3's rules for an object's tags
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html>):
/// at most 10, each key 1 to 128 characters and each value 0 to 256,
/// made of letters, digits, spaces and `_ . : / = + - @`, no key under
/// the reserved `aws:` prefix, no key twice. S3 refuses the copy of a tag
/// set that breaks one (InvalidTag); s3cp refuses it before any request.
pub const MAX_TAGS: usize = 10;
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;

/// What is wrong with `tags` by S3's rules, if anything (the first
/// problem found), said as the fix.
pub fn tag_problem(tags: &[(String, String)]) -> Option<String> {
    fn bad_char(text: &str) -> Option<char> {
        text.chars()
            .find(|&c| !(c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c)))
    }
    if tags.len() > MAX_TAGS {
        return Some(format!(
            "{} tags, and S3 takes at most {MAX_TAGS} on an object",
            tags.len()
        ));
    }
    for (i, (key, value)) in tags.iter().enumerate() {
        if key.is_empty() {
            return Some("a tag has no key".to_owned());
        }
        if key.chars().count() > MAX_TAG_KEY {
            return Some(format!(
                "the key '{key}' is longer than {MAX_TAG_KEY} characters"
            ));
        }
        if value.chars().count() > MAX_TAG_VALUE {
            return Some(format!(
                "the value of '{key}' is longer than {MAX_TAG_VALUE} characters"
            ));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Some(format!(
                "the key '{key}' starts with 'aws:', which S3 keeps for its own tags"
            ));
        }
        if let Some(c) = bad_char(key) {
            return Some(format!(
                "the key '{key}' has '{c}', which S3 does not allow in tags"
            ));
        }
        if let Some(c) = bad_char(value) {
            return Some(format!(
                "the value of '{key}' ('{value}') has '{c}', which S3 does not allow in tags"
            ));
        }
        if tags[..i].iter().any(|(k, _)| k == key) {
            return Some(format!("the key '{key}' is given twice"));
        }
    }
    None
}

/// Grant headers (`id="..", uri=".."` lists), as S3 takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    pub read: Option<String>,
    pub read_acp: Option<String>,
    pub write_acp: Option<String>,
    pub full_control: Option<String>,
}

impl Grants {
    pub fn is_empty(&self) -> bool {
        *self == Grants::default()
    }
}

/// The destination's ACL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Acl {
    /// Nothing sent: private to the requester (CopyObject never carries the
    /// source's ACL).
    #[default]
    Default,
    Canned(ObjectCannedAcl),
    Grants(Grants),
    /// `--copy-acl`: read the source's ACL and send it as grants.
    CopySource,
}

impl fmt::Display for Acl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Acl::Default => f.write_str("private (default)"),
            Acl::Canned(c) => f.write_str(c.as_str()),
            Acl::Grants(g) => {
                let parts: Vec<String> = [
                    ("read", &g.read),
                    ("read-acp", &g.read_acp),
                    ("write-acp", &g.write_acp),
                    ("full-control", &g.full_control),
                ]
                .into_iter()
                .filter_map(|(n, v)| v.as_ref().map(|v| format!("{n}: {v}")))
                .collect();
                write!(f, "grants ({})", parts.join("; "))
            }
            Acl::CopySource => f.write_str("copied from source"),
        }
    }
}

/// SSE-S3 / SSE-KMS for the destination.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encryption {
    pub sse: Option<ServerSideEncryption>,
    pub kms_key_id: Option<String>,
    pub kms_context: Option<String>,
    pub bucket_key: Option<bool>,
}

/// A customer-provided key (SSE-C), as S3's headers want it. `Debug` never
/// shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct SseCKey {
    pub algorithm: String,
    /// Base64 of the 32-byte key.
    pub key_base64: String,
    /// Base64 of the key's MD5.
    pub key_md5_base64: String,
}

impl fmt::Debug for SseCKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SseCKey")
            .field("algorithm", &self.algorithm)
            .field("key", &"<redacted>")
            .field("key_md5_base64", &self.key_md5_base64)
            .finish()
    }
}

/// Object Lock settings for the destination.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectLock {
    pub mode: Option<ObjectLockMode>,
    pub retain_until: Option<DateTime>,
    pub legal_hold: Option<ObjectLockLegalHoldStatus>,
}

/// `x-amz-copy-source-if-*` (`--copy-source-if-*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceConditions {
    pub if_match: Option<String>,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<DateTime>,
    pub if_unmodified_since: Option<DateTime>,
}

/// Which source condition failed, and why.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("precondition failed: {0}; nothing was written")]
pub struct ConditionFailed(pub String);

impl SourceConditions {
    pub fn is_empty(&self) -> bool {
        *self == SourceConditions::default()
    }

    /// Evaluates the conditions against the HEADed source as S3 evaluates
    /// them on CopyObject (RFC 7232 order): a holding `if-match` makes S3
    /// ignore `if-unmodified-since`, a holding `if-none-match` makes it
    /// ignore `if-modified-since`. The multipart path needs this because its
    /// parts all carry the pinned ETag as `if-match`, which would otherwise
    /// silently switch the date conditions off.
    pub fn check(
        &self,
        etag: &str,
        last_modified: Option<&DateTime>,
    ) -> Result<(), ConditionFailed> {
        let same = |want: &str| want == "*" || unquote(want) == unquote(etag);
        match &self.if_match {
            Some(want) if !same(want) => {
                return Err(ConditionFailed(format!(
                    "the source's ETag is {etag}, not {want} (--copy-source-if-match)"
                )));
            }
            Some(_) => {}
            None => {
                if let (Some(date), Some(modified)) = (&self.if_unmodified_since, last_modified)
                    && modified.secs() > date.secs()
                {
                    return Err(ConditionFailed(format!(
                        "the source was modified at {} (--copy-source-if-unmodified-since {})",
                        http_date(modified),
                        http_date(date)
                    )));
                }
            }
        }
        match &self.if_none_match {
            Some(want) if same(want) => {
                return Err(ConditionFailed(format!(
                    "the source's ETag is {etag} (--copy-source-if-none-match {want})"
                )));
            }
            Some(_) => {}
            None => {
                if let (Some(date), Some(modified)) = (&self.if_modified_since, last_modified)
                    && modified.secs() <= date.secs()
                {
                    return Err(ConditionFailed(format!(
                        "the source was last modified at {}, not after {} (--copy-source-if-modified-since)",
                        http_date(modified),
                        http_date(date)
                    )));
                }
            }
        }
        Ok(())
    }
}

fn unquote(etag: &str) -> &str {
    etag.trim_start_matches("W/").trim_matches('"')
}

pub fn http_date(d: &DateTime) -> String {
    d.fmt(Format::HttpDate).unwrap_or_else(|_| d.to_string())
}

/// Parses a date as RFC 3339 (`2030-01-01T00:00:00Z`) or an HTTP date
/// (`Tue, 01 Jan 2030 00:00:00 GMT`).
pub fn parse_date(text: &str) -> Result<DateTime, String> {
    DateTime::from_str(text.trim(), Format::DateTime)
        .or_else(|_| DateTime::from_str(text.trim(), Format::HttpDate))
        .map_err(|_| {
            format!(
                "'{text}' is not a date: write RFC 3339 (2030-01-01T00:00:00Z) or an HTTP date \
                 (Tue, 01 Jan 2030 00:00:00 GMT)"
            )
        })
}

/// Every CopyObject option, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyOptions {
    pub metadata: MetadataOptions,
    pub tagging: TaggingOptions,
    pub annotations: AnnotationOptions,
    pub acl: Acl,
    pub encryption: Encryption,
    /// SSE-C key of the destination.
    pub sse_c: Option<SseCKey>,
    /// SSE-C key of the source.
    pub sse_c_source: Option<SseCKey>,
    pub storage_class: Option<StorageClass>,
    pub object_lock: ObjectLock,
    pub website_redirect: Option<String>,
    /// `--checksum-algorithm` and `--verify`.
    pub checksums: ChecksumOptions,
    pub conditions: SourceConditions,
    /// `--if-match ETAG`: `If-Match` on CopyObject and
    /// CompleteMultipartUpload, so only that version of the destination is
    /// overwritten.
    pub destination_if_match: Option<String>,
    /// `--no-overwrite` (or `--if-none-match '*'`): `If-None-Match: *` on
    /// CopyObject and CompleteMultipartUpload.
    pub no_overwrite: bool,
    /// `--skip-existing` or `--skip-same`: what is skipped instead of
    /// copied ([`crate::skip`]).
    pub skip: Option<crate::skip::Skip>,
    pub request_payer: Option<RequestPayer>,
    pub expected_bucket_owner: Option<String>,
    pub expected_source_bucket_owner: Option<String>,
    /// `s3cp mv`: each source is deleted once its copy is proved.
    pub moving: Option<Moving>,
}

/// What `s3cp mv` adds to a copy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moving {
    /// `--delete-version`: in a versioned bucket, delete the copied
    /// version itself (by its id) rather than add a delete marker.
    pub delete_version: bool,
}

impl CopyOptions {
    /// Whether the write is conditional on the destination (`--no-overwrite`
    /// / `--if-none-match '*'`, or `--if-match`): a resend of it after a lost
    /// answer then meets s3cp's own first write with 412.
    pub fn destination_conditional(&self) -> bool {
        self.no_overwrite || self.destination_if_match.is_some()
    }

    /// Whether a copy of an object onto itself changes it, which is when S3
    /// allows it: new metadata, storage class, encryption or redirect.
    pub fn changes_object(&self) -> bool {
        self.metadata.directive != MetadataDirective::Copy
            || self.storage_class.is_some()
            || self.encryption.sse.is_some()
            || self.sse_c.is_some()
            || self.website_redirect.is_some()
    }

    /// The encryption the destination asks for, for reports.
    pub fn encryption_name(&self) -> String {
        if let Some(k) = &self.sse_c {
            return format!("SSE-C {}", k.algorithm);
        }
        match (&self.encryption.sse, &self.encryption.kms_key_id) {
            (Some(sse), Some(key)) => format!("{} (key {key})", sse.as_str()),
            (Some(sse), None) => sse.as_str().to_owned(),
            (None, _) => "bucket default".to_owned(),
        }
    }

    pub fn storage_class_name(&self) -> String {
        match &self.storage_class {
            Some(c) => c.as_str().to_owned(),
            None => "STANDARD (default)".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_that_s3_refuses_are_named() {
        let tags = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            tag_problem(&tags(&[
                ("team", "data eng"),
                ("path", "a/b:c=d+e-f@g_h.i")
            ])),
            None
        );
        assert_eq!(tag_problem(&tags(&[("empty", "")])), None);
        assert_eq!(tag_problem(&tags(&[("équipe", "données")])), None);
        let eleven: Vec<(String, String)> =
            (0..11).map(|i| (format!("k{i}"), String::new())).collect();
        assert!(tag_problem(&eleven).unwrap().contains("at most 10"));
        let ten = &eleven[..10];
        assert_eq!(tag_problem(ten), None);
        assert!(tag_problem(&tags(&[("", "v")])).unwrap().contains("no key"));
        let long_key = "k".repeat(129);
        assert!(
            tag_problem(&tags(&[(&long_key, "v")]))
                .unwrap()
                .contains("128")
        );
        assert_eq!(
            tag_problem(&tags(&[(&"k".repeat(128), &"v".repeat(256))])),
            None
        );
        assert!(
            tag_problem(&tags(&[("k", &"v".repeat(257))]))
                .unwrap()
                .contains("256")
        );
        assert!(
            tag_problem(&tags(&[("aws:cost", "1")]))
                .unwrap()
                .contains("'aws:'")
        );
        assert!(
            tag_problem(&tags(&[("AWS:cost", "1")]))
                .unwrap()
                .contains("'aws:'")
        );
        // aws-cli's other form, or a comma list, read as k=v&k2=v2.
        assert!(
            tag_problem(&tags(&[("a", "1,b=2")]))
                .unwrap()
                .contains("','")
        );
        assert!(
            tag_problem(&tags(&[("{\"TagSet\":[]}", "")]))
                .unwrap()
                .contains("'{'")
        );
        assert!(
            tag_problem(&tags(&[("k", "1"), ("k", "2")]))
                .unwrap()
                .contains("twice")
        );
    }

    fn source() -> ObjectMetadata {
        ObjectMetadata {
            headers: ContentHeaders {
                content_type: Some("text/plain".into()),
                cache_control: Some("no-cache".into()),
                content_language: Some("en".into()),
                ..Default::default()
            },
            metadata: HashMap::from([("a".into(), "1".into()), ("b".into(), "2".into())]),
        }
    }

    fn given(directive: MetadataDirective) -> MetadataOptions {
        MetadataOptions {
            directive,
            headers: ContentHeaders {
                content_type: Some("image/png".into()),
                ..Default::default()
            },
            metadata: HashMap::from([("b".into(), "new".into()), ("c".into(), "3".into())]),
            explicit: true,
        }
    }

    #[test]
    fn copy_keeps_the_source() {
        assert_eq!(given(MetadataDirective::Copy).resolve(&source()), source());
    }

    #[test]
    fn replace_keeps_only_what_was_given() {
        let r = given(MetadataDirective::Replace).resolve(&source());
        assert_eq!(r.headers.content_type.as_deref(), Some("image/png"));
        assert_eq!(r.headers.cache_control, None);
        assert_eq!(r.metadata.len(), 2);
        assert_eq!(r.metadata["b"], "new");
        assert!(!r.metadata.contains_key("a"));
    }

    #[test]
    fn merge_overrides_only_what_was_given() {
        let r = given(MetadataDirective::Merge).resolve(&source());
        assert_eq!(r.headers.content_type.as_deref(), Some("image/png"));
        assert_eq!(r.headers.cache_control.as_deref(), Some("no-cache"));
        assert_eq!(r.headers.content_language.as_deref(), Some("en"));
        assert_eq!(
            r.metadata,
            HashMap::from([
                ("a".into(), "1".into()),
                ("b".into(), "new".into()),
                ("c".into(), "3".into())
            ])
        );
    }

    fn at(secs: i64) -> DateTime {
        DateTime::from_secs(secs)
    }

    #[test]
    fn conditions_follow_s3_precedence() {
        let modified = at(1_000);
        let check = |c: SourceConditions| c.check("\"abc\"", Some(&modified));
        assert!(check(SourceConditions::default()).is_ok());
        let if_match = |m: &str| SourceConditions {
            if_match: Some(m.into()),
            ..Default::default()
        };
        assert!(check(if_match("abc")).is_ok());
        assert!(check(if_match("\"abc\"")).is_ok());
        assert!(check(if_match("*")).is_ok());
        assert!(check(if_match("xyz")).is_err());
        // A holding if-match overrides a failing if-unmodified-since ...
        let mut c = if_match("abc");
        c.if_unmodified_since = Some(at(500));
        assert!(check(c).is_ok());
        // ... which alone fails.
        let c = SourceConditions {
            if_unmodified_since: Some(at(500)),
            ..Default::default()
        };
        assert!(check(c).is_err());
        let c = SourceConditions {
            if_unmodified_since: Some(at(1_000)),
            ..Default::default()
        };
        assert!(check(c).is_ok());
        // if-none-match fails on the same ETag whatever the date says.
        let c = SourceConditions {
            if_none_match: Some("abc".into()),
            if_modified_since: Some(at(1)),
            ..Default::default()
        };
        assert!(check(c).is_err());
        let c = SourceConditions {
            if_none_match: Some("other".into()),
            if_modified_since: Some(at(5_000)),
            ..Default::default()
        };
        assert!(
            check(c).is_ok(),
            "a holding if-none-match overrides the date"
        );
        let c = SourceConditions {
            if_modified_since: Some(at(1_000)),
            ..Default::default()
        };
        let e = check(c).unwrap_err();
        assert!(e.to_string().starts_with("precondition failed"), "{e}");
        let c = SourceConditions {
            if_modified_since: Some(at(999)),
            ..Default::default()
        };
        assert!(check(c).is_ok());
    }

    #[test]
    fn dates_parse_rfc3339_and_http() {
        assert_eq!(
            parse_date("2030-01-01T00:00:00Z").unwrap().secs(),
            1_893_456_000
        );
        assert_eq!(
            parse_date("Tue, 01 Jan 2030 00:00:00 GMT").unwrap().secs(),
            1_893_456_000
        );
        assert!(parse_date("tomorrow").unwrap_err().contains("RFC 3339"));
    }

    #[test]
    fn self_copy_changes() {
        let mut o = CopyOptions::default();
        assert!(!o.changes_object());
        o.tagging.directive = TaggingDirective::Replace;
        assert!(
            !o.changes_object(),
            "tags alone do not make a self-copy legal"
        );
        o.storage_class = Some(StorageClass::StandardIa);
        assert!(o.changes_object());
    }

    #[test]
    fn sse_c_key_is_never_in_debug() {
        let k = SseCKey {
            algorithm: "AES256".into(),
            key_base64: "c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=".into(),
            key_md5_base64: "md5".into(),
        };
        let shown = format!("{k:?}");
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(shown.contains("redacted"));
    }
}
