//! AWS Signature Version 4 for the one request the emulator makes on its
//! own: a HEAD of a copy's source, to learn its size.

use std::time::SystemTime;

use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// What SigV4 leaves unencoded: letters, digits and `-_.~`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The SHA-256 of an empty body.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// `/bucket/key` with each segment encoded once, as S3 signs it (and as
/// the request is sent).
pub fn path(bucket: &str, key: &str) -> String {
    let mut out = String::from("/");
    out.extend(utf8_percent_encode(bucket, UNRESERVED));
    for (i, segment) in key.split('/').enumerate() {
        out.push('/');
        if i == 0 && segment.is_empty() {
            continue;
        }
        out.extend(utf8_percent_encode(segment, UNRESERVED));
    }
    out
}

/// A query of one parameter, encoded as SigV4 wants it canonical.
pub fn query(name: &str, value: &str) -> String {
    format!("{name}={}", utf8_percent_encode(value, UNRESERVED))
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The headers that sign a bodiless `method` request on `host` (as sent in
/// the Host header) for `path` and canonical `query`: x-amz-date,
/// x-amz-content-sha256 and authorization.
pub fn headers(
    creds: &Credentials,
    region: &str,
    method: &str,
    host: &str,
    path: &str,
    query: &str,
    now: SystemTime,
) -> [(&'static str, String); 3] {
    let (amz_date, date) = crate::clock::amz_date(now);
    let signed = "host;x-amz-content-sha256;x-amz-date";
    let canonical = format!(
        "{method}\n{path}\n{query}\nhost:{host}\nx-amz-content-sha256:{EMPTY_SHA256}\nx-amz-date:{amz_date}\n\n{signed}\n{EMPTY_SHA256}"
    );
    let scope = format!("{date}/{region}/s3/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{}", creds.secret_access_key).as_bytes(), &date);
    for part in [region, "s3", "aws4_request"] {
        key = hmac(&key, part);
    }
    let signature = hex::encode(hmac(&key, &to_sign));
    [
        ("x-amz-date", amz_date),
        ("x-amz-content-sha256", EMPTY_SHA256.to_owned()),
        (
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
                creds.access_key_id
            ),
        ),
    ]
}

/// The headers that sign any request (S3 Batch Operations' own requests
/// to the backend: GETs, copies with their `x-amz-*` headers, PUTs with a
/// body): `headers` (lowercase names) are all signed, with `payload`, the
/// hex SHA-256 of the body. Returns x-amz-date, x-amz-content-sha256 and
/// authorization, to send beside `headers`.
#[allow(clippy::too_many_arguments)]
pub fn sign_all(
    creds: &Credentials,
    region: &str,
    method: &str,
    host: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    payload: &str,
    now: SystemTime,
) -> Vec<(String, String)> {
    let (amz_date, date) = crate::clock::amz_date(now);
    let mut all: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    all.push(("host".into(), host.to_owned()));
    all.push(("x-amz-content-sha256".into(), payload.to_owned()));
    all.push(("x-amz-date".into(), amz_date.clone()));
    all.sort();
    let canonical_headers: String = all.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed = all
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical = format!("{method}\n{path}\n{query}\n{canonical_headers}\n{signed}\n{payload}");
    let scope = format!("{date}/{region}/s3/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{}", creds.secret_access_key).as_bytes(), &date);
    for part in [region, "s3", "aws4_request"] {
        key = hmac(&key, part);
    }
    let signature = hex::encode(hmac(&key, &to_sign));
    vec![
        ("x-amz-date".into(), amz_date),
        ("x-amz-content-sha256".into(), payload.to_owned()),
        (
            "authorization".into(),
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
                creds.access_key_id
            ),
        ),
    ]
}

/// The hex SHA-256 of a body, for [`sign_all`].
pub fn sha256_hex(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn encodes_paths_as_s3_signs_them() {
        assert_eq!(path("b", "a b/c+d~e"), "/b/a%20b/c%2Bd~e");
        assert_eq!(path("b", "/lead"), "/b//lead");
        assert_eq!(query("versionId", "a+b"), "versionId=a%2Bb");
    }

    /// The signature botocore 1.43 computes for the same HEAD (its
    /// S3SigV4Auth, AWS's example credentials, the clock at
    /// 2013-05-24T00:00:00Z, `x-amz-content-sha256` of an empty body).
    #[test]
    fn signs_as_botocore_does() {
        let creds = Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        };
        let t = UNIX_EPOCH + Duration::from_secs(1_369_353_600);
        let host = "examplebucket.s3.amazonaws.com";
        let h = headers(&creds, "us-east-1", "HEAD", host, "/test.txt", "", t);
        assert_eq!(h[0].1, "20130524T000000Z");
        let all = sign_all(
            &creds,
            "us-east-1",
            "HEAD",
            host,
            "/test.txt",
            "",
            &[],
            EMPTY_SHA256,
            t,
        );
        assert_eq!(
            all[2].1, h[2].1,
            "the general signer agrees on a bodiless request"
        );
        assert_eq!(
            h[2].1,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;x-amz-content-sha256;x-amz-date, \
             Signature=69463d8f0bf59cfd12d6fc9f45cd84a5323d7bf3c5bd316736a2f8e50c8959a7"
        );
    }
}
