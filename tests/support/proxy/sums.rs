//! The proxy playing S3's part for the checksum algorithms added in 2026
//! (MD5, SHA512, XXHASH3, XXHASH64, XXHASH128), which neither moto nor
//! Garage knows ([`super::Proxy::play_new_checksums`]); in front of moto,
//! which takes unsigned requests, since the double reads objects from the
//! server itself.
//!
//! What it plays, as S3 documents it ("Checking object integrity"):
//! - An object it knows carries one checksum in a new algorithm: a
//!   `FULL_OBJECT` value of its bytes, or a `COMPOSITE` one over its parts
//!   (the algorithm over the parts' concatenated digests, `base64-N`).
//!   A HEAD with checksum mode answers `x-amz-checksum-<alg>` and
//!   `x-amz-checksum-type`, computed then from the bytes the server holds
//!   (read by the proxy), and nothing of another algorithm.
//! - PutObject with an `x-amz-checksum-<alg>` value: the value is checked
//!   against the body (400 BadDigest otherwise, not forwarded), kept, and
//!   answered.
//! - CopyObject keeps the source's algorithm (its value full-object, of
//!   the bytes), or computes the one `x-amz-checksum-algorithm` names, and
//!   answers it in CopyObjectResult.
//! - CreateMultipartUpload with a new algorithm (`FULL_OBJECT` is refused,
//!   400, as S3 has it only for the CRCs): its UploadPartCopy answers carry
//!   the part's value, its UploadParts must carry it (checked: 400
//!   otherwise), and Complete must list every part's value as given (400
//!   InvalidPart otherwise); the object then has the composite.
//!
//! Its values are computed with the hash crates directly, not with s3cp's
//! code, so that the double does not agree with s3cp by construction.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::Digest as _;

use super::Request;
use super::answer::{self, Parsed};

/// The five algorithms the double plays, in S3's names.
pub const NEW: [&str; 5] = ["MD5", "SHA512", "XXHASH3", "XXHASH64", "XXHASH128"];

/// The digest of `bytes` in algorithm `alg` (S3's name).
pub fn digest(alg: &str, bytes: &[u8]) -> Vec<u8> {
    match alg {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA512" => sha2::Sha512::digest(bytes).to_vec(),
        "XXHASH3" => xxhash_rust::xxh3::xxh3_64(bytes).to_be_bytes().to_vec(),
        "XXHASH64" => xxhash_rust::xxh64::xxh64(bytes, 0).to_be_bytes().to_vec(),
        "XXHASH128" => xxhash_rust::xxh3::xxh3_128(bytes).to_be_bytes().to_vec(),
        other => panic!("the double plays no {other}"),
    }
}

/// S3's full-object value of `bytes` in `alg` (base64).
pub fn full(alg: &str, bytes: &[u8]) -> String {
    STANDARD.encode(digest(alg, bytes))
}

/// S3's composite value of `bytes` cut into parts of `sizes` bytes.
pub fn composite(alg: &str, bytes: &[u8], sizes: &[u64]) -> String {
    let mut digests = Vec::new();
    let mut at = 0usize;
    for size in sizes {
        let end = at + *size as usize;
        digests.extend(digest(alg, &bytes[at..end]));
        at = end;
    }
    assert_eq!(at, bytes.len(), "the parts cover the object");
    format!("{}-{}", STANDARD.encode(digest(alg, &digests)), sizes.len())
}

/// The composite from the parts' values (base64, in part order).
fn composite_of_values(alg: &str, values: &[String]) -> String {
    let mut digests = Vec::new();
    for v in values {
        digests.extend(STANDARD.decode(v).expect("a part value is base64"));
    }
    format!(
        "{}-{}",
        STANDARD.encode(digest(alg, &digests)),
        values.len()
    )
}

/// The new algorithm S3 names `name`, if it is one.
fn new_algorithm(name: &str) -> Option<&'static str> {
    NEW.into_iter().find(|a| a.eq_ignore_ascii_case(name))
}

/// `x-amz-checksum-xxhash128` for `XXHASH128`.
pub fn header_name(alg: &str) -> String {
    format!("x-amz-checksum-{}", alg.to_ascii_lowercase())
}

/// The checksum an object carries in a new algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sum {
    pub algorithm: &'static str,
    /// The part sizes of a composite; `None`: full-object.
    pub parts: Option<Vec<u64>>,
}

/// One upload created with a new algorithm.
#[derive(Debug, Clone)]
struct Upload {
    algorithm: &'static str,
    /// Part number -> (size, value).
    parts: HashMap<i32, (u64, String)>,
}

/// The double's state.
#[derive(Debug, Default)]
pub struct Sums {
    /// (bucket, key) -> its checksum.
    objects: Mutex<HashMap<(String, String), Sum>>,
    uploads: Mutex<HashMap<String, Upload>>,
}

/// What the double does with one request before it is forwarded.
#[derive(Debug)]
pub enum Before {
    /// Not its business: forwarded, the answer passed on as it comes.
    Pass,
    /// Forwarded; the answer is read whole and given to [`Sums::after`].
    Edit,
    /// Answered by the double (status, body), not forwarded.
    Refuse(u16, String),
}

/// The new-algorithm checksum headers a request carries: (algorithm,
/// value).
fn sent_value(request: &Request) -> Option<(&'static str, String)> {
    NEW.into_iter()
        .find_map(|a| request.header(&header_name(a)).map(|v| (a, v.to_owned())))
}

/// `/bucket/key` of an `x-amz-copy-source` (its version dropped), decoded.
fn copy_source(request: &Request) -> Option<(String, String)> {
    let raw = request.header("x-amz-copy-source")?;
    let path = raw.split('?').next()?;
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let (bucket, key) = path.trim_start_matches('/').split_once('/')?;
    Some((bucket.to_owned(), key.to_owned()))
}

/// Reads an object (or the range `first..=last` of it) from the server
/// (moto, which takes any keys), as the test's own client.
pub async fn read_object(
    upstream: &str,
    bucket: &str,
    key: &str,
    range: Option<(u64, u64)>,
) -> std::io::Result<Vec<u8>> {
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .endpoint_url(format!("http://{upstream}"))
        .force_path_style(true)
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "testing", "testing", None, None, "proxy",
        ))
        .build();
    let client = aws_sdk_s3::Client::from_conf(conf);
    let read = async {
        let out = client
            .get_object()
            .bucket(bucket)
            .key(key)
            .set_range(range.map(|(a, b)| format!("bytes={a}-{b}")))
            .send()
            .await
            .map_err(|e| std::io::Error::other(format!("GET {bucket}/{key}: {e:?}")))?;
        let bytes = out
            .body
            .collect()
            .await
            .map_err(|e| std::io::Error::other(format!("GET {bucket}/{key}: {e}")))?;
        Ok::<_, std::io::Error>(bytes.into_bytes().to_vec())
    };
    tokio::time::timeout(Duration::from_secs(60), read)
        .await
        .map_err(|_| std::io::Error::other("the server's answer did not end"))?
}

/// Removes every `<Checksum...>` element but `keep` (and `ChecksumType`).
fn drop_other_checksum_elements(body: &str, keep: &str) -> String {
    let mut out = body.to_owned();
    loop {
        let Some(start) = find_other(&out, keep) else {
            return out;
        };
        let name_end = start
            + 1
            + out[start + 1..]
                .find(|c: char| c == '>' || c == '/' || c.is_whitespace())
                .unwrap_or(0);
        let name = out[start + 1..name_end].to_owned();
        let close = format!("</{name}>");
        let end = match out[start..].find(&close) {
            Some(i) => start + i + close.len(),
            None => start + out[start..].find('>').map_or(out.len() - start, |i| i + 1),
        };
        out.replace_range(start..end, "");
    }
}

fn find_other(body: &str, keep: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = body[from..].find("<Checksum") {
        let at = from + i;
        let rest = &body[at + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name != keep && name != "ChecksumType" && name != "ChecksumAlgorithm" {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// S3's element name for a value: `ChecksumXXHASH128`.
pub fn element(alg: &str) -> String {
    format!("Checksum{alg}")
}

impl Sums {
    /// Marks `bucket/key` (written to the server directly) as carrying a
    /// checksum in `algorithm`: full-object, or composite over parts of
    /// `parts` bytes.
    pub fn mark(&self, bucket: &str, key: &str, algorithm: &str, parts: Option<Vec<u64>>) {
        let algorithm = new_algorithm(algorithm).expect("a new algorithm");
        self.objects.lock().unwrap().insert(
            (bucket.to_owned(), key.to_owned()),
            Sum { algorithm, parts },
        );
    }

    /// The checksum the double says `bucket/key` carries.
    pub fn of(&self, bucket: &str, key: &str) -> Option<Sum> {
        self.objects
            .lock()
            .unwrap()
            .get(&(bucket.to_owned(), key.to_owned()))
            .cloned()
    }

    fn upload(&self, request: &Request) -> Option<Upload> {
        let id = request.query("uploadId")?;
        self.uploads.lock().unwrap().get(&id).cloned()
    }

    /// Decides before forwarding; `body` is the request's body as read.
    pub fn before(&self, request: &Request, body: &[u8]) -> Before {
        let (bucket, key) = match (request.bucket(), request.key()) {
            (Some(b), Some(k)) => (b, k),
            _ => return Before::Pass,
        };
        match request.operation() {
            "HeadObject" if request.header("x-amz-checksum-mode").is_some() => {
                match self.of(&bucket, &key) {
                    Some(_) if request.query("partNumber").is_none() => Before::Edit,
                    _ => Before::Pass,
                }
            }
            "PutObject" => match sent_value(request) {
                Some((alg, value)) => {
                    let want = full(alg, body);
                    if value != want {
                        return Before::Refuse(
                            400,
                            super::error_xml(
                                "BadDigest",
                                &format!(
                                    "The {alg} you specified ({value}) did not match the calculated checksum ({want})."
                                ),
                            ),
                        );
                    }
                    Before::Edit
                }
                None => {
                    self.objects.lock().unwrap().remove(&(bucket, key));
                    Before::Pass
                }
            },
            "DeleteObject" => {
                self.objects.lock().unwrap().remove(&(bucket, key));
                Before::Pass
            }
            "CopyObject" => {
                let asked = request.header("x-amz-checksum-algorithm");
                let source = copy_source(request).and_then(|(b, k)| self.of(&b, &k));
                match (asked.and_then(new_algorithm), asked, source) {
                    (Some(_), _, _) | (None, None, Some(_)) => Before::Edit,
                    _ => {
                        self.objects.lock().unwrap().remove(&(bucket, key));
                        Before::Pass
                    }
                }
            }
            "CreateMultipartUpload" => {
                let Some(_) = request
                    .header("x-amz-checksum-algorithm")
                    .and_then(new_algorithm)
                else {
                    return Before::Pass;
                };
                if request
                    .header("x-amz-checksum-type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("FULL_OBJECT"))
                {
                    return Before::Refuse(
                        400,
                        super::error_xml(
                            "InvalidRequest",
                            "The FULL_OBJECT checksum type is not supported for this algorithm.",
                        ),
                    );
                }
                Before::Edit
            }
            "UploadPartCopy" if self.upload(request).is_some() => Before::Edit,
            "UploadPart" => {
                let Some(upload) = self.upload(request) else {
                    return Before::Pass;
                };
                let alg = upload.algorithm;
                let Some(value) = request.header(&header_name(alg)) else {
                    return Before::Refuse(
                        400,
                        super::error_xml(
                            "InvalidRequest",
                            &format!(
                                "The upload was created using the {alg} checksum algorithm: each part must carry x-amz-checksum-{}.",
                                alg.to_ascii_lowercase()
                            ),
                        ),
                    );
                };
                let want = full(alg, body);
                if value != want {
                    return Before::Refuse(
                        400,
                        super::error_xml(
                            "BadDigest",
                            &format!(
                                "The {alg} you specified ({value}) did not match the calculated checksum ({want})."
                            ),
                        ),
                    );
                }
                Before::Edit
            }
            "CompleteMultipartUpload" => {
                let Some(upload) = self.upload(request) else {
                    return Before::Pass;
                };
                match self.check_complete(&upload, body) {
                    Ok(()) => Before::Edit,
                    Err((code, message)) => Before::Refuse(400, super::error_xml(code, &message)),
                }
            }
            _ => Before::Pass,
        }
    }

    /// Complete must list every part's value, as given for it.
    fn check_complete(&self, upload: &Upload, body: &[u8]) -> Result<(), (&'static str, String)> {
        let alg = upload.algorithm;
        let body = String::from_utf8_lossy(body);
        let listed = parts_listed(&body, &element(alg));
        if listed.is_empty() {
            return Err(("InvalidRequest", "no parts listed".to_owned()));
        }
        for (number, value) in listed {
            let Some((_, want)) = upload.parts.get(&number) else {
                return Err(("InvalidPart", format!("part {number} was not uploaded")));
            };
            match value {
                None => {
                    return Err((
                        "InvalidRequest",
                        format!("part {number} lacks its {}", element(alg)),
                    ));
                }
                Some(v) if &v != want => {
                    return Err((
                        "InvalidPart",
                        format!("part {number}'s {} is {v}, not {want}", element(alg)),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Edits the server's answer (read whole) to a request that
    /// [`Sums::before`] said [`Before::Edit`] of.
    pub async fn after(
        &self,
        request: &Request,
        body: &[u8],
        raw: Vec<u8>,
        upstream: &str,
    ) -> Vec<u8> {
        let mut parsed = match answer::parse(&raw, request.method == "HEAD") {
            Ok(p) if (200..300).contains(&p.status) => p,
            _ => return raw,
        };
        let (bucket, key) = (
            request.bucket().unwrap_or_default(),
            request.key().unwrap_or_default(),
        );
        let done = match request.operation() {
            "HeadObject" => self.head(&mut parsed, &bucket, &key, upstream).await,
            "PutObject" => {
                let (alg, value) = sent_value(request).expect("checked before");
                self.objects.lock().unwrap().insert(
                    (bucket, key),
                    Sum {
                        algorithm: alg,
                        parts: None,
                    },
                );
                set_only_header(&mut parsed, alg, &value, "FULL_OBJECT");
                Ok(())
            }
            "CopyObject" => {
                self.copy(&mut parsed, request, &bucket, &key, upstream)
                    .await
            }
            "CreateMultipartUpload" => {
                let alg = request
                    .header("x-amz-checksum-algorithm")
                    .and_then(new_algorithm)
                    .expect("checked before");
                let text = String::from_utf8_lossy(&parsed.body).into_owned();
                match text_of(&text, "UploadId") {
                    Some(id) => {
                        self.uploads.lock().unwrap().insert(
                            id,
                            Upload {
                                algorithm: alg,
                                parts: HashMap::new(),
                            },
                        );
                        parsed.set_header("x-amz-checksum-algorithm", alg);
                        parsed.set_header("x-amz-checksum-type", "COMPOSITE");
                        Ok(())
                    }
                    None => Err("no UploadId in the answer".to_owned()),
                }
            }
            "UploadPartCopy" => self.part_copy(&mut parsed, request, upstream).await,
            "UploadPart" => {
                let upload = self.upload(request).expect("checked before");
                let alg = upload.algorithm;
                let value = request.header(&header_name(alg)).unwrap().to_owned();
                self.record_part(request, body.len() as u64, value.clone());
                parsed.set_header(&header_name(alg), &value);
                Ok(())
            }
            "CompleteMultipartUpload" => {
                let upload = self.upload(request).expect("checked before");
                let alg = upload.algorithm;
                let listed = parts_listed(&String::from_utf8_lossy(body), &element(alg));
                let mut sizes = Vec::new();
                let mut values = Vec::new();
                for (n, _) in &listed {
                    let (size, value) = upload.parts[n].clone();
                    sizes.push(size);
                    values.push(value);
                }
                let value = composite_of_values(alg, &values);
                self.objects.lock().unwrap().insert(
                    (bucket, key),
                    Sum {
                        algorithm: alg,
                        parts: Some(sizes),
                    },
                );
                set_only_element(&mut parsed, alg, &value, "COMPOSITE")
            }
            _ => Ok(()),
        };
        if let Err(e) = done {
            eprintln!(
                "proxy (checksums): {} {}: {e}",
                request.operation(),
                request.target
            );
        }
        parsed.to_bytes()
    }

    fn record_part(&self, request: &Request, size: u64, value: String) {
        let (Some(id), Some(n)) = (
            request.query("uploadId"),
            request.query("partNumber").and_then(|n| n.parse().ok()),
        ) else {
            return;
        };
        if let Some(upload) = self.uploads.lock().unwrap().get_mut(&id) {
            upload.parts.insert(n, (size, value));
        }
    }

    /// The value of `bucket/key` now, computed from its bytes.
    async fn value_of(
        &self,
        bucket: &str,
        key: &str,
        sum: &Sum,
        upstream: &str,
    ) -> Result<String, String> {
        let bytes = read_object(upstream, bucket, key, None)
            .await
            .map_err(|e| e.to_string())?;
        Ok(match &sum.parts {
            None => full(sum.algorithm, &bytes),
            Some(sizes) => composite(sum.algorithm, &bytes, sizes),
        })
    }

    async fn head(
        &self,
        parsed: &mut Parsed,
        bucket: &str,
        key: &str,
        upstream: &str,
    ) -> Result<(), String> {
        let sum = self.of(bucket, key).ok_or("not known")?;
        let value = self.value_of(bucket, key, &sum, upstream).await?;
        let kind = if sum.parts.is_some() {
            "COMPOSITE"
        } else {
            "FULL_OBJECT"
        };
        set_only_header(parsed, sum.algorithm, &value, kind);
        Ok(())
    }

    async fn copy(
        &self,
        parsed: &mut Parsed,
        request: &Request,
        bucket: &str,
        key: &str,
        upstream: &str,
    ) -> Result<(), String> {
        let algorithm = match request
            .header("x-amz-checksum-algorithm")
            .and_then(new_algorithm)
        {
            Some(a) => a,
            None => {
                let (b, k) = copy_source(request).ok_or("no copy source")?;
                self.of(&b, &k).ok_or("the source is not known")?.algorithm
            }
        };
        let sum = Sum {
            algorithm,
            parts: None,
        };
        self.objects
            .lock()
            .unwrap()
            .insert((bucket.to_owned(), key.to_owned()), sum.clone());
        let value = self.value_of(bucket, key, &sum, upstream).await?;
        set_only_element(parsed, algorithm, &value, "FULL_OBJECT")
    }

    async fn part_copy(
        &self,
        parsed: &mut Parsed,
        request: &Request,
        upstream: &str,
    ) -> Result<(), String> {
        let upload = self.upload(request).ok_or("no upload")?;
        let (b, k) = copy_source(request).ok_or("no copy source")?;
        let range = request
            .header("x-amz-copy-source-range")
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.split_once('-'))
            .and_then(|(a, z)| Some((a.parse().ok()?, z.parse().ok()?)));
        let bytes = read_object(upstream, &b, &k, range)
            .await
            .map_err(|e| e.to_string())?;
        let value = full(upload.algorithm, &bytes);
        self.record_part(request, bytes.len() as u64, value.clone());
        set_only_element(parsed, upload.algorithm, &value, "")
    }
}

/// Sets `x-amz-checksum-<alg>` and the type, and drops the server's
/// checksum headers of other algorithms.
fn set_only_header(parsed: &mut Parsed, alg: &str, value: &str, kind: &str) {
    parsed
        .headers
        .retain(|(k, _)| !k.to_ascii_lowercase().starts_with("x-amz-checksum-"));
    parsed.set_header(&header_name(alg), value);
    parsed.set_header("x-amz-checksum-type", kind);
}

/// Sets `<Checksum<alg>>` (and `<ChecksumType>` unless `kind` is empty)
/// and drops the other checksum elements of the server's answer.
fn set_only_element(parsed: &mut Parsed, alg: &str, value: &str, kind: &str) -> Result<(), String> {
    let body = String::from_utf8_lossy(&parsed.body).into_owned();
    parsed.body = drop_other_checksum_elements(&body, &element(alg)).into_bytes();
    parsed.set_xml_element(&element(alg), value)?;
    if !kind.is_empty() {
        parsed.set_xml_element("ChecksumType", kind)?;
    }
    Ok(())
}

/// The text of the first `<name>` element.
fn text_of(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{name}>"))? + start;
    Some(body[start..end].to_owned())
}

/// The parts a Complete lists: (number, its `element` value if any).
fn parts_listed(body: &str, element: &str) -> Vec<(i32, Option<String>)> {
    body.split("<Part>")
        .skip(1)
        .filter_map(|part| {
            let part = part.split("</Part>").next()?;
            let n = text_of(part, "PartNumber")?.trim().parse().ok()?;
            Some((n, text_of(part, element)))
        })
        .collect()
}
