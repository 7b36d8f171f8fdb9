//! A double of RenameObject (`PUT /bucket/key?renameObject`), which no
//! test server implements, played by the recording proxy in front of moto
//! ([`serve_rename`]). It follows S3's shapes as the SDK reads them
//! (aws-sdk-s3's `shape_rename_object`): a 200 with an empty body, errors
//! as S3's `<Error>` XML. It does what S3 does in a directory bucket:
//!
//! - a bucket not named as a directory bucket: 501 NotImplemented (a
//!   general purpose bucket has no RenameObject);
//! - `x-amz-rename-source` (URL-encoded `bucket/key`) missing, or naming
//!   another bucket: 400 InvalidRequest;
//! - the source missing: 404 NoSuchKey; `x-amz-rename-source-if-match`
//!   not its ETag (or `-if-none-match` its ETag or `*`): 412;
//! - `If-None-Match: *` on an existing destination, `If-Match` not the
//!   destination's ETag: 412; `If-Match` on a missing one: 404 NoSuchKey;
//! - else the object moved: CopyObject (metadata and tags as they are)
//!   then DeleteObject of the source, on moto, straight (not through the
//!   proxy, so that the proxy's record holds only what s3cp sent).
//!
//! Unlike S3 it is not atomic; the tests that race it hold the request at
//! the proxy before the double reads anything.
//!
//! moto makes a bucket named `NAME--ZONE--x-s3` when asked by a client
//! without S3 Express session auth ([`directory_client`]). s3cp's client
//! (the SDK, for a directory bucket's name) sends CreateSession (`GET
//! /bucket?session`) before its first request on the bucket, and signs the
//! others with the session's credentials and `x-amz-s3session-token`. moto
//! takes that for a ListObjects (the SDK then reads a session with no
//! credentials), so the double answers it too, as S3 does: a
//! `CreateSessionResult` with credentials ([`SESSION_TOKEN`]; moto checks
//! no signature), or 404 NoSuchBucket.

use aws_sdk_s3::Client;
use aws_sdk_s3::error::ProvideErrorMetadata;

use super::proxy::{Handled, Proxy, Request, error_answer};
use super::{Server, unique};

/// A client of `server` that signs as for any bucket (no CreateSession
/// for a directory bucket's name), for setting up and checking.
pub fn directory_client(server: &Server) -> Client {
    let conf = server
        .client()
        .config()
        .to_builder()
        .disable_s3_express_session_auth(true)
        .build();
    Client::from_conf(conf)
}

/// A directory bucket's name of its own on moto, made.
pub async fn directory_bucket(server: &Server) -> String {
    let id = unique("d").replace('/', "").to_lowercase();
    let name = format!("s3cp-{}--use1-az4--x-s3", &id[1..13]);
    directory_client(server)
        .create_bucket()
        .bucket(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("cannot create {name} on moto: {e:?}"));
    name
}

/// The session token of the double's CreateSession answers.
pub const SESSION_TOKEN: &str = "RENAME-DOUBLE-SESSION";

/// Has `proxy` (in front of `server`) play RenameObject, and
/// CreateSession, as S3 does for a directory bucket.
pub fn serve_rename(proxy: &Proxy, server: &Server) {
    let client = directory_client(server);
    let session = client.clone();
    proxy.handle("RenameObject", move |request| {
        let client = client.clone();
        async move { rename(&client, &request).await }
    });
    proxy.handle("CreateSession", move |request| {
        let client = session.clone();
        async move { create_session(&client, &request).await }
    });
}

/// CreateSession's answer: credentials for five minutes.
async fn create_session(client: &Client, request: &Request) -> Handled {
    let bucket = request.bucket().unwrap_or_default();
    if client.head_bucket().bucket(&bucket).send().await.is_err() {
        return error_answer(404, "NoSuchBucket", "The specified bucket does not exist");
    }
    let expires = aws_smithy_types::DateTime::from(
        std::time::SystemTime::now() + std::time::Duration::from_secs(300),
    )
    .fmt(aws_smithy_types::date_time::Format::DateTime)
    .expect("a date");
    (
        200,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateSessionResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Credentials><SessionToken>{SESSION_TOKEN}</SessionToken><SecretAccessKey>rename-double-secret</SecretAccessKey><AccessKeyId>RENAMEDOUBLEKEY</AccessKeyId><Expiration>{expires}</Expiration></Credentials></CreateSessionResult>"
        ),
    )
}

fn precondition_failed(condition: &str) -> Handled {
    (
        412,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>{condition}</Condition><RequestId>RENAME-DOUBLE</RequestId></Error>"
        ),
    )
}

/// The ETag of `bucket/key`, `None` when there is no such object.
async fn etag(client: &Client, bucket: &str, key: &str) -> Result<Option<String>, String> {
    match client.head_object().bucket(bucket).key(key).send().await {
        Ok(head) => Ok(Some(head.e_tag().unwrap_or_default().to_owned())),
        Err(e) if e.raw_response().map(|r| r.status().as_u16()) == Some(404) => Ok(None),
        Err(e) => Err(format!("{e:?}")),
    }
}

async fn rename(client: &Client, request: &Request) -> Handled {
    let (bucket, key) = (request.bucket().unwrap_or_default(), request.key());
    if !bucket.ends_with("--x-s3") {
        return error_answer(
            501,
            "NotImplemented",
            "A header you provided implies functionality that is not implemented",
        );
    }
    let Some(key) = key else {
        return error_answer(400, "InvalidRequest", "RenameObject needs a key");
    };
    let Some(source) = request.header("x-amz-rename-source") else {
        return error_answer(
            400,
            "InvalidRequest",
            "Missing required header for this request: x-amz-rename-source",
        );
    };
    let decoded = percent_encoding::percent_decode_str(source)
        .decode_utf8_lossy()
        .into_owned();
    let decoded = decoded.strip_prefix('/').unwrap_or(&decoded);
    let Some((src_bucket, src_key)) = decoded.split_once('/') else {
        return error_answer(
            400,
            "InvalidRequest",
            "x-amz-rename-source is not bucket/key",
        );
    };
    if src_bucket != bucket {
        return error_answer(
            400,
            "InvalidRequest",
            "The source and the destination of RenameObject must be in one directory bucket",
        );
    }
    for date in [
        "x-amz-rename-source-if-modified-since",
        "x-amz-rename-source-if-unmodified-since",
        "if-modified-since",
        "if-unmodified-since",
    ] {
        if request.header(date).is_some() {
            return error_answer(
                501,
                "NotImplemented",
                "the RenameObject double has no dates",
            );
        }
    }
    let source_etag = match etag(client, &bucket, src_key).await {
        Ok(Some(e)) => e,
        Ok(None) => return error_answer(404, "NoSuchKey", "The specified key does not exist."),
        Err(e) => return error_answer(500, "InternalError", &e),
    };
    if let Some(want) = request.header("x-amz-rename-source-if-match")
        && want != source_etag
    {
        return precondition_failed("x-amz-rename-source-if-match");
    }
    if let Some(not) = request.header("x-amz-rename-source-if-none-match")
        && (not == "*" || not == source_etag)
    {
        return precondition_failed("x-amz-rename-source-if-none-match");
    }
    let destination = match etag(client, &bucket, &key).await {
        Ok(d) => d,
        Err(e) => return error_answer(500, "InternalError", &e),
    };
    if request.header("if-none-match") == Some("*") && destination.is_some() {
        return precondition_failed("If-None-Match");
    }
    if let Some(want) = request.header("if-match") {
        match &destination {
            None => return error_answer(404, "NoSuchKey", "The specified key does not exist."),
            Some(d) if d != want => return precondition_failed("If-Match"),
            Some(_) => {}
        }
    }
    let copied = client
        .copy_object()
        .bucket(&bucket)
        .key(&key)
        .copy_source(source.strip_prefix('/').unwrap_or(source))
        .send()
        .await;
    if let Err(e) = copied {
        return error_answer(500, "InternalError", &format!("{:?}", e.code()));
    }
    if let Err(e) = client
        .delete_object()
        .bucket(&bucket)
        .key(src_key)
        .send()
        .await
    {
        return error_answer(500, "InternalError", &format!("{:?}", e.code()));
    }
    (200, String::new())
}
