//! Keys in listings. S3 accepts any UTF-8 key, but XML 1.0 cannot carry
//! some characters (most control characters: `\x01`, `\x1b`), so a page
//! that lists such a key cannot be read, and a bulk copy ended there. Every
//! listing therefore asks for `EncodingType=url` ([`super::list_objects`],
//! [`super::list_destination`], [`super::list_uploads`]), and
//! [`ListedKeys`], on the client, decodes what S3 then encodes before any
//! caller sees the answer: no key of a listing ever reaches s3cp encoded.
//!
//! What is encoded (API reference, ListObjectsV2 and ListMultipartUploads,
//! "EncodingType"): ListObjectsV2's `Key`, `Prefix`, `Delimiter`,
//! `StartAfter` and `CommonPrefixes`; ListMultipartUploads' `Key`,
//! `Prefix`, `Delimiter`, `KeyMarker` and `NextKeyMarker`. S3 encodes a
//! space as `+` and a `+` as `%2B` (measured on AWS: brekkylab/backlot#178;
//! botocore decodes with `unquote_plus`); Garage and moto send `%20` for a
//! space and `%2B` for a `+`, which the same decoding reads. Only an answer
//! that says it is encoded (`<EncodingType>url</EncodingType>`) is decoded:
//! a store that ignores the parameter (moto on ListMultipartUploads) sends
//! the keys as they are, and decoding `100%.csv` or `a+b` would change
//! them.

use aws_sdk_s3::config::interceptors::FinalizerInterceptorContextMut;
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_s3::operation::list_multipart_uploads::ListMultipartUploadsOutput;
use aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Output;
use aws_sdk_s3::types::EncodingType;

/// A value of a url-encoded listing that does not decode to UTF-8.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the listing's {field} {value:?} is not valid url-encoding of a UTF-8 key \
     (the answer said EncodingType=url): the store encoded it wrongly"
)]
pub struct Undecodable {
    pub field: &'static str,
    pub value: String,
}

/// One url-encoded value, decoded: `+` is a space, `%XX` a byte, and the
/// bytes must be UTF-8. A `%` not followed by two hex digits is refused,
/// not passed on: an encoder never sends one.
fn decode(field: &'static str, value: &str) -> Result<String, Undecodable> {
    let bad = || Undecodable {
        field,
        value: value.to_owned(),
    };
    let well_formed = value.split('%').skip(1).all(|after| {
        after
            .as_bytes()
            .get(..2)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return Err(bad());
    }
    let spaced = value.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| bad())
}

/// Decodes the value in `slot`, if there is one.
fn decode_in(field: &'static str, slot: &mut Option<String>) -> Result<(), Undecodable> {
    if let Some(value) = slot {
        *value = decode(field, value)?;
    }
    Ok(())
}

/// A ListObjectsV2 page with its keys decoded, if it says they are
/// encoded; then it no longer says so.
fn decode_objects(page: &mut ListObjectsV2Output) -> Result<(), Undecodable> {
    if page.encoding_type != Some(EncodingType::Url) {
        return Ok(());
    }
    for object in page.contents.iter_mut().flatten() {
        decode_in("Key", &mut object.key)?;
    }
    for prefix in page.common_prefixes.iter_mut().flatten() {
        decode_in("CommonPrefixes", &mut prefix.prefix)?;
    }
    decode_in("Prefix", &mut page.prefix)?;
    decode_in("Delimiter", &mut page.delimiter)?;
    decode_in("StartAfter", &mut page.start_after)?;
    page.encoding_type = None;
    Ok(())
}

/// A ListMultipartUploads page with its keys decoded (and the key marker
/// of the next page, which goes back to S3 as a key), if it says they are
/// encoded; then it no longer says so.
fn decode_uploads(page: &mut ListMultipartUploadsOutput) -> Result<(), Undecodable> {
    if page.encoding_type != Some(EncodingType::Url) {
        return Ok(());
    }
    for upload in page.uploads.iter_mut().flatten() {
        decode_in("Key", &mut upload.key)?;
    }
    decode_in("Prefix", &mut page.prefix)?;
    decode_in("Delimiter", &mut page.delimiter)?;
    decode_in("KeyMarker", &mut page.key_marker)?;
    decode_in("NextKeyMarker", &mut page.next_key_marker)?;
    page.encoding_type = None;
    Ok(())
}

/// The client interceptor that decodes every listing's answer, once per
/// operation, before the caller (or the SDK's paginator) reads it. A value
/// that does not decode fails the request, naming it: a page read wrongly
/// would copy keys that do not exist, or skip some that do.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListedKeys;

impl Intercept for ListedKeys {
    fn name(&self) -> &'static str {
        "s3cp::ListedKeys"
    }

    fn modify_before_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(Ok(output)) = context.output_or_error_mut() else {
            return Ok(());
        };
        if let Some(page) = output.downcast_mut::<ListObjectsV2Output>() {
            decode_objects(page)?;
        } else if let Some(page) = output.downcast_mut::<ListMultipartUploadsOutput>() {
            decode_uploads(page)?;
        }
        Ok(())
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_decode_as_s3_garage_and_moto_encode_them() {
        let d = |s| decode("Key", s).unwrap();
        // S3: a space is `+`, a `+` is `%2B`.
        assert_eq!(d("run+books/a%2Bb.txt"), "run books/a+b.txt");
        // Garage and moto: a space is `%20`; Garage encodes `/` too.
        assert_eq!(d("run%20books%2Fa%2Bb.txt"), "run books/a+b.txt");
        assert_eq!(d("100%25.csv"), "100%.csv");
        assert_eq!(d("%01%1B%7F"), "\u{1}\u{1b}\u{7f}");
        assert_eq!(d("%ED%95%9C%EA%B8%80/x"), "한글/x");
        assert_eq!(d("%e2%82%ac"), "€", "lower-case hex");
        assert_eq!(d(""), "");
        for bad in ["100%.csv", "a%2", "a%zz", "%FF", "%C3%28"] {
            let e = decode("NextKeyMarker", bad).unwrap_err();
            assert_eq!(e.value, bad);
            assert!(e.to_string().contains("NextKeyMarker"), "{e}");
        }
    }

    #[test]
    fn only_an_answer_that_says_it_is_encoded_is_decoded() {
        use aws_sdk_s3::types::{CommonPrefix, MultipartUpload, Object};
        let page = |encoded: bool| {
            ListObjectsV2Output::builder()
                .contents(Object::builder().key("a+b%25").build())
                .common_prefixes(CommonPrefix::builder().prefix("c+d/").build())
                .prefix("p+")
                .set_encoding_type(encoded.then_some(EncodingType::Url))
                .build()
        };
        let mut raw = page(false);
        decode_objects(&mut raw).unwrap();
        assert_eq!(raw, page(false), "a store that ignored the parameter");
        let mut encoded = page(true);
        decode_objects(&mut encoded).unwrap();
        assert_eq!(encoded.contents()[0].key(), Some("a b%"));
        assert_eq!(encoded.common_prefixes()[0].prefix(), Some("c d/"));
        assert_eq!(encoded.prefix(), Some("p "));
        assert_eq!(encoded.encoding_type(), None, "decoded once, never twice");
        decode_objects(&mut encoded).unwrap();
        assert_eq!(encoded.contents()[0].key(), Some("a b%"));

        let uploads = |encoded: bool| {
            ListMultipartUploadsOutput::builder()
                .uploads(
                    MultipartUpload::builder()
                        .key("k%01")
                        .upload_id("u+1")
                        .build(),
                )
                .next_key_marker("k%01")
                .key_marker("j%20")
                .set_encoding_type(encoded.then_some(EncodingType::Url))
                .build()
        };
        let mut raw = uploads(false);
        decode_uploads(&mut raw).unwrap();
        assert_eq!(raw, uploads(false));
        let mut encoded = uploads(true);
        decode_uploads(&mut encoded).unwrap();
        let u = &encoded.uploads()[0];
        assert_eq!(u.key(), Some("k\u{1}"));
        assert_eq!(u.upload_id(), Some("u+1"), "an upload id is not a key");
        assert_eq!(encoded.next_key_marker(), Some("k\u{1}"));
        assert_eq!(encoded.key_marker(), Some("j "));
        let mut wrong = ListMultipartUploadsOutput::builder()
            .uploads(MultipartUpload::builder().key("%zz").build())
            .encoding_type(EncodingType::Url)
            .build();
        assert_eq!(decode_uploads(&mut wrong).unwrap_err().value, "%zz");
    }

    /// Through a client: the SDK reads the encoded page, the interceptor
    /// decodes it before the caller sees it.
    #[tokio::test]
    async fn a_client_hands_out_decoded_keys() {
        const PAGE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
            <ListBucketResult><Name>b</Name><Prefix>in+dir%2F</Prefix>\
            <EncodingType>url</EncodingType><KeyCount>2</KeyCount>\
            <IsTruncated>false</IsTruncated>\
            <Contents><Key>in+dir%2Fctl%01%1B.txt</Key><Size>3</Size></Contents>\
            <Contents><Key>in+dir%2F100%25+%2B+%E2%82%AC</Key><Size>4</Size></Contents>\
            </ListBucketResult>";
        let client = crate::client::canned_client(200, PAGE);
        let page = client
            .list_objects_v2()
            .bucket("b")
            .prefix("in dir/")
            .encoding_type(EncodingType::Url)
            .send()
            .await
            .unwrap();
        let keys: Vec<_> = page.contents().iter().filter_map(|o| o.key()).collect();
        assert_eq!(keys, ["in dir/ctl\u{1}\u{1b}.txt", "in dir/100% + €"]);
        assert_eq!(page.prefix(), Some("in dir/"));

        const WRONG: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
            <ListMultipartUploadsResult><Bucket>b</Bucket>\
            <EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>\
            <Upload><Key>100%.csv</Key><UploadId>u</UploadId></Upload>\
            </ListMultipartUploadsResult>";
        let client = crate::client::canned_client(200, WRONG);
        let err = client
            .list_multipart_uploads()
            .bucket("b")
            .send()
            .await
            .unwrap_err();
        let e = crate::error::S3Error::from_sdk("ListMultipartUploads", &err);
        assert!(e.to_string().contains("\"100%.csv\""), "{e}");
    }
}
