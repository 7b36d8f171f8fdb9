//! One recorded request: what it is (method, target, headers, its body
//! when small), and the S3 operation, bucket and key it names, for tests
//! to assert on and for the proxy's rules to pick requests by.

use std::collections::HashMap;

/// The largest request body the proxy records ([`Request::body`]).
pub const RECORDED_BODY_LIMIT: usize = 1024 * 1024;

/// One recorded request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Lower-case header names.
    pub headers: HashMap<String, String>,
    /// The body as sent (an `aws-chunked` one stays encoded), when it has a
    /// Content-Length of at most [`RECORDED_BODY_LIMIT`] and was read whole
    /// (empty when there is none); `None` for a bigger or chunked body, and
    /// in a request seen at a hold before it is forwarded (read after).
    pub body: Option<Vec<u8>>,
    /// The absolute URL s3cp asked for, when the proxy is its HTTP proxy
    /// (`HTTP_PROXY`, [`super::Proxy::access_point`]); `target` is then
    /// the path-style one the upstream got.
    pub url: Option<String>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The recorded body as text (lossy), when it was recorded.
    pub fn body_text(&self) -> Option<String> {
        self.body
            .as_deref()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The path, without the query.
    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The bucket of a path-style request (`/bucket/key?...`), decoded.
    pub fn bucket(&self) -> Option<String> {
        let path = self.path().strip_prefix('/')?;
        let bucket = path.split('/').next().filter(|b| !b.is_empty())?;
        Some(decode(bucket))
    }

    /// The key of a path-style request (`/bucket/key?...`), decoded;
    /// `None` for a request on the bucket itself.
    pub fn key(&self) -> Option<String> {
        let path = self.path().strip_prefix('/')?;
        let (_, key) = path.split_once('/')?;
        Some(decode(key)).filter(|k| !k.is_empty())
    }

    /// Whether the request is on object `key` of `bucket` (any operation:
    /// a HEAD, a CopyObject or UploadPartCopy to it, a Complete of it).
    pub fn is_for(&self, bucket: &str, key: &str) -> bool {
        self.bucket().as_deref() == Some(bucket) && self.key().as_deref() == Some(key)
    }

    /// The decoded value of a query parameter (`partNumber`, `uploadId`).
    pub fn query(&self, param: &str) -> Option<String> {
        let (_, q) = self.target.split_once('?')?;
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == param)
            .map(|(_, v)| v.into_owned())
    }

    /// The region the request is signed for: the third field of the
    /// credential scope (`Credential=AKID/DATE/REGION/s3/aws4_request`) in
    /// the Authorization header, or in `X-Amz-Credential` of a presigned
    /// URL; `None` for an unsigned request, and for a SigV4a one (signed
    /// for the region set in `x-amz-region-set`).
    pub fn signed_region(&self) -> Option<String> {
        let credential = match self.header("authorization") {
            Some(auth) => auth
                .split("Credential=")
                .nth(1)?
                .split([',', ' '])
                .next()?
                .to_owned(),
            None => self.query("X-Amz-Credential")?,
        };
        // SigV4a's scope names no region (AKID/DATE/SERVICE/aws4_request;
        // the regions are in `x-amz-region-set`).
        let fields: Vec<&str> = credential.split('/').collect();
        (fields.len() == 5).then(|| fields[2].to_owned())
    }

    /// The signing algorithm of the Authorization header:
    /// `AWS4-HMAC-SHA256` (SigV4) or `AWS4-ECDSA-P256-SHA256` (SigV4a);
    /// `None` for an unsigned request.
    pub fn signing_algorithm(&self) -> Option<&str> {
        self.header("authorization")?.split_whitespace().next()
    }

    /// The service of the credential scope (`s3`, `s3express`).
    pub fn signed_service(&self) -> Option<String> {
        let auth = self.header("authorization")?;
        let credential = auth.split("Credential=").nth(1)?.split([',', ' ']).next()?;
        // SigV4: AKID/DATE/REGION/SERVICE/aws4_request; SigV4a: AKID/DATE/SERVICE/aws4_request.
        let fields: Vec<&str> = credential.split('/').collect();
        fields
            .get(fields.len().checked_sub(2)?)
            .map(|s| (*s).to_owned())
    }

    fn query_has(&self, param: &str) -> bool {
        self.target
            .split_once('?')
            .is_some_and(|(_, q)| q.split('&').any(|kv| kv.split('=').next() == Some(param)))
    }

    /// The S3 operation this request is, as far as the copy path goes.
    pub fn operation(&self) -> &'static str {
        let copy_source = self.headers.contains_key("x-amz-copy-source");
        match self.method.as_str() {
            "HEAD" if self.key().is_none() => "HeadBucket",
            "HEAD" => "HeadObject",
            "GET" if self.query_has("session") && self.key().is_none() => "CreateSession",
            "GET" if self.query_has("annotation") && self.query_has("annotationName") => {
                "GetObjectAnnotation"
            }
            "GET" if self.query_has("annotation") => "ListObjectAnnotations",
            "PUT" if self.query_has("annotation") => "PutObjectAnnotation",
            "DELETE" if self.query_has("annotation") => "DeleteObjectAnnotation",
            "GET" if self.query_has("tagging") => "GetObjectTagging",
            "GET" if self.query_has("acl") => "GetObjectAcl",
            "GET" if self.query_has("uploads") => "ListMultipartUploads",
            "GET" if self.query_has("uploadId") => "ListParts",
            "GET" if self.query_has("list-type") => "ListObjectsV2",
            "GET" => "GetObject",
            "PUT" if self.query_has("renameObject") => "RenameObject",
            "PUT" if copy_source && self.query_has("partNumber") => "UploadPartCopy",
            "PUT" if copy_source => "CopyObject",
            "PUT" if self.query_has("partNumber") => "UploadPart",
            "PUT" => "PutObject",
            "POST" if self.query_has("uploads") => "CreateMultipartUpload",
            "POST" if self.query_has("uploadId") => "CompleteMultipartUpload",
            "POST" if self.query_has("delete") => "DeleteObjects",
            "DELETE" if self.query_has("uploadId") => "AbortMultipartUpload",
            "DELETE" => "DeleteObject",
            _ => "Other",
        }
    }
}

/// A percent-encoded path segment, decoded (`+` stays a plus, as in S3's
/// paths).
fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}
