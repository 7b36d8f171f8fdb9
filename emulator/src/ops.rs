//! What a request is: its S3 operation, bucket and key (path style), read
//! from the method, path, query and headers, as S3 itself tells them apart.

use http::{HeaderMap, Method, Request};

/// The operations the emulator tells apart (the index of each is its slot
/// in the counters); anything else is `Other`.
pub const NAMES: &[&str] = &[
    "ListBuckets",
    "HeadBucket",
    "HeadObject",
    "GetObject",
    "ListObjects",
    "ListObjectsV2",
    "ListObjectVersions",
    "ListMultipartUploads",
    "ListParts",
    "GetObjectTagging",
    "GetObjectAcl",
    "PutObject",
    "CopyObject",
    "UploadPart",
    "UploadPartCopy",
    "CreateMultipartUpload",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
    "DeleteObject",
    "DeleteObjects",
    "Other",
];

/// One request, classified.
#[derive(Debug, Clone)]
pub struct Op {
    pub name: &'static str,
    pub method: Method,
    /// Decoded; `None` for ListBuckets.
    pub bucket: Option<String>,
    /// Decoded; `None` for a request on the bucket itself.
    pub key: Option<String>,
    /// Decoded query parameters, in order.
    pub query: Vec<(String, String)>,
}

impl Op {
    pub fn of<B>(req: &Request<B>) -> Op {
        let uri = req.uri();
        let path = uri.path().strip_prefix('/').unwrap_or(uri.path());
        let (bucket, key) = match path.split_once('/') {
            Some((b, k)) => (b, Some(k)),
            None => (path, None),
        };
        let bucket = Some(decode(bucket)).filter(|b| !b.is_empty());
        let key = key.map(decode).filter(|k| !k.is_empty());
        let query: Vec<(String, String)> = uri
            .query()
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let mut op = Op {
            name: "Other",
            method: req.method().clone(),
            bucket,
            key,
            query,
        };
        op.name = op.classify(req.headers());
        op
    }

    fn classify(&self, headers: &HeaderMap) -> &'static str {
        let has = |p: &str| self.query.iter().any(|(k, _)| k == p);
        let copy = headers.contains_key("x-amz-copy-source");
        let object = self.key.is_some();
        match self.method {
            Method::HEAD if self.bucket.is_none() => "Other",
            Method::HEAD if !object => "HeadBucket",
            Method::HEAD => "HeadObject",
            Method::GET if self.bucket.is_none() => "ListBuckets",
            Method::GET if object && has("tagging") => "GetObjectTagging",
            Method::GET if object && has("acl") => "GetObjectAcl",
            Method::GET if object && has("uploadId") => "ListParts",
            Method::GET if object => "GetObject",
            Method::GET if has("uploads") => "ListMultipartUploads",
            Method::GET if has("versions") => "ListObjectVersions",
            Method::GET if has("list-type") => "ListObjectsV2",
            Method::GET if self.is_plain_bucket_get() => "ListObjects",
            Method::PUT if object && copy && has("partNumber") => "UploadPartCopy",
            Method::PUT if object && copy => "CopyObject",
            Method::PUT if object && has("partNumber") => "UploadPart",
            // The SDK names its PutObject in the query (`?x-id=PutObject`).
            Method::PUT if object && self.query.iter().all(|(k, _)| k == "x-id") => "PutObject",
            Method::POST if object && has("uploads") => "CreateMultipartUpload",
            Method::POST if object && has("uploadId") => "CompleteMultipartUpload",
            Method::POST if !object && has("delete") => "DeleteObjects",
            Method::DELETE if object && has("uploadId") => "AbortMultipartUpload",
            Method::DELETE if object && !has("tagging") => "DeleteObject",
            _ => "Other",
        }
    }

    /// A GET on the bucket with no sub-resource but listing parameters.
    fn is_plain_bucket_get(&self) -> bool {
        const LISTING: &[&str] = &[
            "prefix",
            "delimiter",
            "marker",
            "max-keys",
            "encoding-type",
            "x-id",
        ];
        self.query
            .iter()
            .all(|(k, _)| LISTING.contains(&k.as_str()))
    }

    /// The slot of the operation in [`NAMES`].
    pub fn index(&self) -> usize {
        NAMES
            .iter()
            .position(|n| *n == self.name)
            .unwrap_or(NAMES.len() - 1)
    }

    /// A write, for the request-rate limit: PUT, POST, DELETE.
    pub fn is_write(&self) -> bool {
        matches!(self.method, Method::PUT | Method::POST | Method::DELETE)
    }

    /// The prefix a write counts against: the bucket and the key up to
    /// its last `/` (`bucket/a/b/` for `a/b/c`; `bucket/` for a key
    /// without one or for the bucket itself).
    pub fn prefix(&self) -> String {
        let bucket = self.bucket.as_deref().unwrap_or("");
        let dir = self
            .key
            .as_deref()
            .and_then(|k| k.rfind('/').map(|i| &k[..=i]))
            .unwrap_or("");
        format!("{bucket}/{dir}")
    }

    /// `bucket/key`, the name of an object in the emulator's tables.
    pub fn object(&self) -> Option<String> {
        Some(format!(
            "{}/{}",
            self.bucket.as_deref()?,
            self.key.as_deref()?
        ))
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The source of a copy, from `x-amz-copy-source`
/// (`/bucket/key?versionId=V`, percent-encoded, the leading `/` optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySource {
    pub bucket: String,
    pub key: String,
    pub version: Option<String>,
}

impl CopySource {
    pub fn parse(header: &str) -> Option<CopySource> {
        let header = header.strip_prefix('/').unwrap_or(header);
        let (path, query) = match header.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (header, None),
        };
        let (bucket, key) = path.split_once('/')?;
        let version = query.and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "versionId")
                .map(|(_, v)| v.into_owned())
        });
        let (bucket, key) = (decode(bucket), decode(key));
        (!bucket.is_empty() && !key.is_empty()).then_some(CopySource {
            bucket,
            key,
            version,
        })
    }

    /// The name in the emulator's tables: `bucket/key`, with
    /// `?versionId=V` when a version is named.
    pub fn name(&self) -> String {
        match &self.version {
            Some(v) => format!("{}/{}?versionId={v}", self.bucket, self.key),
            None => format!("{}/{}", self.bucket, self.key),
        }
    }
}

/// The length of `x-amz-copy-source-range: bytes=FIRST-LAST`.
pub fn range_length(header: &str) -> Option<u64> {
    let (first, last) = header.trim().strip_prefix("bytes=")?.split_once('-')?;
    let (first, last): (u64, u64) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
    (last >= first).then(|| last - first + 1)
}

/// A percent-encoded path segment, decoded (`+` stays a plus, as in S3's
/// paths).
pub fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The region of the credential scope of a signed request
/// (`Credential=AKID/DATE/REGION/s3/aws4_request`).
pub fn signed_region(headers: &HeaderMap) -> Option<String> {
    let auth = headers.get("authorization")?.to_str().ok()?;
    let credential = auth.split("Credential=").nth(1)?.split([',', ' ']).next()?;
    credential.split('/').nth(2).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: &str, target: &str, copy: bool) -> Op {
        let mut b = Request::builder().method(method).uri(target);
        if copy {
            b = b.header("x-amz-copy-source", "/src/a%20b");
        }
        Op::of(&b.body(()).unwrap())
    }

    #[test]
    fn classifies_operations() {
        let cases = [
            ("GET", "/", false, "ListBuckets"),
            ("HEAD", "/b", false, "HeadBucket"),
            ("HEAD", "/b/k", false, "HeadObject"),
            ("GET", "/b/k", false, "GetObject"),
            ("GET", "/b?list-type=2&prefix=x", false, "ListObjectsV2"),
            ("GET", "/b?prefix=x&marker=y", false, "ListObjects"),
            ("GET", "/b?location", false, "Other"),
            ("GET", "/b/k?uploadId=u", false, "ListParts"),
            ("GET", "/b/k?tagging", false, "GetObjectTagging"),
            ("PUT", "/b/k", false, "PutObject"),
            ("PUT", "/b/k?x-id=PutObject", false, "PutObject"),
            ("PUT", "/b/k", true, "CopyObject"),
            (
                "PUT",
                "/b/k?partNumber=2&uploadId=u",
                true,
                "UploadPartCopy",
            ),
            ("PUT", "/b/k?partNumber=2&uploadId=u", false, "UploadPart"),
            ("POST", "/b/k?uploads", false, "CreateMultipartUpload"),
            ("POST", "/b/k?uploadId=u", false, "CompleteMultipartUpload"),
            ("DELETE", "/b/k?uploadId=u", false, "AbortMultipartUpload"),
            ("DELETE", "/b/k", false, "DeleteObject"),
            ("POST", "/b?delete", false, "DeleteObjects"),
        ];
        for (method, target, copy, name) in cases {
            assert_eq!(op(method, target, copy).name, name, "{method} {target}");
        }
    }

    #[test]
    fn prefixes_and_names() {
        let o = op("PUT", "/b/a/b%2Fc/d.txt", false);
        assert_eq!(o.key.as_deref(), Some("a/b/c/d.txt"));
        assert_eq!(o.prefix(), "b/a/b/c/");
        assert_eq!(op("PUT", "/b/top", false).prefix(), "b/");
        assert_eq!(op("POST", "/b?delete", false).prefix(), "b/");
        assert!(o.is_write() && !op("GET", "/b/k", false).is_write());
    }

    #[test]
    fn copy_sources_and_ranges() {
        let s = CopySource::parse("/src/dir/a%20b.txt?versionId=v%2B1").unwrap();
        assert_eq!((s.bucket.as_str(), s.key.as_str()), ("src", "dir/a b.txt"));
        assert_eq!(s.version.as_deref(), Some("v+1"));
        assert_eq!(CopySource::parse("src/k").unwrap().name(), "src/k");
        assert_eq!(CopySource::parse("/src"), None);
        assert_eq!(range_length("bytes=0-1048575"), Some(1 << 20));
        assert_eq!(range_length("bytes=5-4"), None);
    }

    #[test]
    fn region_from_signature() {
        let mut h = HeaderMap::new();
        h.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AK/20261201/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=0"
                .parse()
                .unwrap(),
        );
        assert_eq!(signed_region(&h).as_deref(), Some("eu-west-1"));
    }
}
