//! S3's XML: the answers the emulator writes itself, and the few things it
//! reads from the upstream's (object sizes in listings) and the client's
//! (the part list of a CompleteMultipartUpload).

use std::fmt::Write;

pub const HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NS: &str = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of the first `<tag>` in `s`.
pub fn element<'a>(s: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = s.find(&open)? + open.len();
    let end = s[start..].find(&close)? + start;
    Some(&s[start..end])
}

/// Each `<tag>...</tag>` block of `s`, inside.
pub fn blocks<'a>(s: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find(&open) {
        let inner = &rest[at + open.len()..];
        let Some(end) = inner.find(&close) else { break };
        out.push(&inner[..end]);
        rest = &inner[end + close.len()..];
    }
    out
}

pub fn error(code: &str, message: &str, request_id: &str) -> String {
    format!(
        "{HEADER}<Error><Code>{code}</Code><Message>{}</Message><RequestId>{request_id}</RequestId><HostId>s3emu</HostId></Error>",
        escape(message)
    )
}

/// CopyObjectResult or CopyPartResult.
pub fn copy_result(element: &str, etag: &str, last_modified: &str) -> String {
    format!(
        "{HEADER}<{element} {NS}><LastModified>{last_modified}</LastModified><ETag>{}</ETag></{element}>",
        escape(etag)
    )
}

pub fn initiate(bucket: &str, key: &str, upload_id: &str) -> String {
    format!(
        "{HEADER}<InitiateMultipartUploadResult {NS}><Bucket>{}</Bucket><Key>{}</Key><UploadId>{}</UploadId></InitiateMultipartUploadResult>",
        escape(bucket),
        escape(key),
        escape(upload_id)
    )
}

/// CompleteMultipartUploadResult; `checksums` are (element, value) pairs
/// such as (`ChecksumCRC64NVME`, `...`) and (`ChecksumType`, `FULL_OBJECT`).
pub fn complete(
    location: &str,
    bucket: &str,
    key: &str,
    etag: &str,
    checksums: &[(String, String)],
) -> String {
    let mut out = format!(
        "{HEADER}<CompleteMultipartUploadResult {NS}><Location>{}</Location><Bucket>{}</Bucket><Key>{}</Key><ETag>{}</ETag>",
        escape(location),
        escape(bucket),
        escape(key),
        escape(etag)
    );
    for (name, value) in checksums {
        let _ = write!(out, "<{name}>{}</{name}>", escape(value));
    }
    out.push_str("</CompleteMultipartUploadResult>");
    out
}

/// One part in a ListParts answer.
pub struct PartRow<'a> {
    pub number: u32,
    pub etag: &'a str,
    pub size: u64,
    pub last_modified: String,
}

pub fn list_parts(
    bucket: &str,
    key: &str,
    upload_id: &str,
    marker: u32,
    max: usize,
    parts: &[PartRow<'_>],
    truncated: bool,
) -> String {
    let mut out = format!(
        "{HEADER}<ListPartsResult {NS}><Bucket>{}</Bucket><Key>{}</Key><UploadId>{}</UploadId><PartNumberMarker>{marker}</PartNumberMarker>",
        escape(bucket),
        escape(key),
        escape(upload_id)
    );
    if let Some(last) = parts.last() {
        let _ = write!(
            out,
            "<NextPartNumberMarker>{}</NextPartNumberMarker>",
            last.number
        );
    }
    let _ = write!(
        out,
        "<MaxParts>{max}</MaxParts><IsTruncated>{truncated}</IsTruncated>"
    );
    for p in parts {
        let _ = write!(
            out,
            "<Part><PartNumber>{}</PartNumber><LastModified>{}</LastModified><ETag>{}</ETag><Size>{}</Size></Part>",
            p.number,
            p.last_modified,
            escape(p.etag),
            p.size
        );
    }
    out.push_str("<StorageClass>STANDARD</StorageClass></ListPartsResult>");
    out
}

/// The (key, size, ETag) of each object of a ListObjects(V2) answer.
pub fn listing(body: &str) -> Vec<(String, u64, Option<String>)> {
    let url = element(body, "EncodingType") == Some("url");
    blocks(body, "Contents")
        .into_iter()
        .filter_map(|c| {
            let key = unescape(element(c, "Key")?);
            let key = if url {
                crate::ops::decode(&key.replace('+', " "))
            } else {
                key
            };
            let size = element(c, "Size")?.trim().parse().ok()?;
            let etag = element(c, "ETag").map(unescape);
            Some((key, size, etag))
        })
        .collect()
}

/// The part numbers of a CompleteMultipartUpload request body.
pub fn completed_parts(body: &str) -> Vec<u32> {
    blocks(body, "Part")
        .into_iter()
        .filter_map(|p| element(p, "PartNumber")?.trim().parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let s = "a&b<c>\"d'e";
        assert_eq!(unescape(&escape(s)), s);
        assert_eq!(unescape("&#34;x&#x22;&bogus"), "\"x\"&bogus");
    }

    #[test]
    fn reads_listings() {
        let body = r#"<?xml version="1.0"?><ListBucketResult><Name>b</Name><Contents><Key>a&amp;b</Key><LastModified>x</LastModified><ETag>&quot;abc&quot;</ETag><Size>42</Size></Contents><Contents><Key>c</Key><Size>7</Size></Contents></ListBucketResult>"#;
        let got = listing(body);
        assert_eq!(got[0], ("a&b".into(), 42, Some("\"abc\"".into())));
        assert_eq!(got[1], ("c".into(), 7, None));
        let url = "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>a%2Fb+c</Key><Size>1</Size></Contents></ListBucketResult>";
        assert_eq!(listing(url)[0].0, "a/b c");
    }

    #[test]
    fn reads_completed_parts() {
        let body = "<CompleteMultipartUpload><Part><ETag>\"x\"</ETag><PartNumber>1</PartNumber></Part><Part><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>";
        assert_eq!(completed_parts(body), vec![1, 2]);
    }
}
