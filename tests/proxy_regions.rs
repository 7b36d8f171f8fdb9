//! The test proxy's region mode ([`Proxy::regions`]) in front of moto,
//! through the SDK: a request signed for another region than its bucket's
//! gets S3's answer (301 PermanentRedirect or 400
//! AuthorizationHeaderMalformed, with `x-amz-bucket-region`; no body to a
//! HEAD), one signed for the right region passes, a copy is judged by its
//! destination, HeadBucket names the region, and the refusals are counted.
//! What the issue 10 tests rely on to play buckets in several regions.

mod support;

use aws_sdk_s3::Client;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::http::Response;
use support::proxy::{Proxy, WrongRegion};
use support::*;

/// What a refused request got: status, `x-amz-bucket-region`, body text.
fn refusal<E: std::fmt::Debug>(e: &SdkError<E, Response>) -> (u16, Option<String>, String) {
    let raw = e
        .raw_response()
        .unwrap_or_else(|| panic!("no answer from the server: {e:?}"));
    let region = raw.headers().get("x-amz-bucket-region").map(str::to_owned);
    let body = raw
        .body()
        .bytes()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    (raw.status().as_u16(), region, body)
}

/// The proxy in front of moto enforcing eu-west-1 for [`EU_BUCKET`] and
/// us-east-1 for the destination bucket; the source bucket is left out.
async fn setup(answer: WrongRegion) -> (Server, Proxy, Server) {
    let server = moto_with_eu_bucket().await;
    let proxy = Proxy::start(&server.endpoint).await;
    proxy.regions(&[(EU_BUCKET, EU), (DST_BUCKET, US)], answer);
    let via = server.via(&proxy);
    (server, proxy, via)
}

/// 301 PermanentRedirect: a GET and a HEAD signed for us-east-1 on the
/// eu-west-1 bucket are refused with its region (the HEAD with no body)
/// and never reach moto; signed for eu-west-1 they pass. A bucket not in
/// the table, and the destination signed for its own region, pass.
#[tokio::test]
async fn wrong_region_gets_301_permanent_redirect() {
    let (server, proxy, via) = setup(WrongRegion::Redirect301).await;
    let key = unique("regions-301");
    put(&client_in(&server, EU), EU_BUCKET, &key, b"eu".to_vec()).await;
    let (us, eu) = (client_in(&via, US), client_in(&via, EU));

    let get = us.get_object().bucket(EU_BUCKET).key(&key).send().await;
    let e = get.expect_err("a GET signed for us-east-1 is refused");
    assert_eq!(e.code(), Some("PermanentRedirect"), "{e:?}");
    let (status, region, body) = refusal(&e);
    assert_eq!((status, region.as_deref()), (301, Some(EU)));
    assert!(
        body.contains(&format!("<Bucket>{EU_BUCKET}</Bucket>"))
            && body.contains(&format!(
                "<Endpoint>{EU_BUCKET}.s3.{EU}.amazonaws.com</Endpoint>"
            )),
        "{body}"
    );

    let head = us.head_object().bucket(EU_BUCKET).key(&key).send().await;
    let e = head.expect_err("a HEAD signed for us-east-1 is refused");
    let (status, region, body) = refusal(&e);
    assert_eq!(
        (status, region.as_deref(), body.as_str()),
        (301, Some(EU), "")
    );

    let got = eu.get_object().bucket(EU_BUCKET).key(&key).send().await;
    let got = got.expect("a GET signed for eu-west-1 passes");
    assert_eq!(got.body.collect().await.unwrap().to_vec(), b"eu");
    eu.head_object()
        .bucket(EU_BUCKET)
        .key(&key)
        .send()
        .await
        .expect("a HEAD signed for eu-west-1 passes");
    // Not in the table: any region passes (moto enforces nothing).
    let src = format!("{key}-src");
    put(&client_in(&via, EU), SRC_BUCKET, &src, b"src".to_vec()).await;
    put(&us, DST_BUCKET, &src, b"dst".to_vec()).await;

    let misdirected = proxy.misdirected();
    let seen: Vec<_> = misdirected
        .iter()
        .map(|r| (r.operation(), r.signed_region(), r.bucket()))
        .collect();
    let us_eu = (Some(US.to_owned()), Some(EU_BUCKET.to_owned()));
    assert_eq!(
        seen,
        [
            ("GetObject", us_eu.0.clone(), us_eu.1.clone()),
            ("HeadObject", us_eu.0, us_eu.1),
        ]
    );
    // The refused ones never reached moto: the proxy saw 6, moto served 4.
    assert_eq!(proxy.requests().len(), 6);
}

/// 400 AuthorizationHeaderMalformed: the same refusals in the other form
/// S3 sends, naming both regions; the HEAD with no body.
#[tokio::test]
async fn wrong_region_gets_400_authorization_header_malformed() {
    let (server, proxy, via) = setup(WrongRegion::Malformed400).await;
    let key = unique("regions-400");
    put(&client_in(&server, EU), EU_BUCKET, &key, b"eu".to_vec()).await;
    let us = client_in(&via, US);

    let get = us.get_object().bucket(EU_BUCKET).key(&key).send().await;
    let e = get.expect_err("a GET signed for us-east-1 is refused");
    assert_eq!(e.code(), Some("AuthorizationHeaderMalformed"), "{e:?}");
    assert_eq!(
        e.message(),
        Some(
            "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'"
        )
    );
    let (status, region, body) = refusal(&e);
    assert_eq!((status, region.as_deref()), (400, Some(EU)));
    assert!(body.contains("<Region>eu-west-1</Region>"), "{body}");

    let head = us.head_object().bucket(EU_BUCKET).key(&key).send().await;
    let (status, region, body) = refusal(&head.expect_err("a HEAD signed for us-east-1"));
    assert_eq!(
        (status, region.as_deref(), body.as_str()),
        (400, Some(EU), "")
    );

    // The destination bucket refuses eu-west-1 the same way.
    let put_dst = client_in(&via, EU)
        .put_object()
        .bucket(DST_BUCKET)
        .key(&key)
        .body(b"x".to_vec().into())
        .send()
        .await;
    let (status, region, _) = refusal(&put_dst.expect_err("a PUT signed for eu-west-1"));
    assert_eq!((status, region.as_deref()), (400, Some(US)));
    assert!(!exists(&server.client(), DST_BUCKET, &key).await);

    let ops: Vec<_> = proxy.misdirected().iter().map(|r| r.operation()).collect();
    assert_eq!(ops, ["GetObject", "HeadObject", "PutObject"]);
}

/// A CopyObject and an UploadPartCopy are judged by the destination
/// bucket (the URL's), as on S3: from the eu-west-1 bucket into the
/// us-east-1 one signed for us-east-1 they pass; into the eu-west-1 bucket
/// signed for us-east-1 they are refused, and signed for eu-west-1 they
/// pass, whatever the source's region.
#[tokio::test]
async fn copies_are_judged_by_their_destination() {
    let (server, proxy, via) = setup(WrongRegion::Redirect301).await;
    let key = unique("regions-copy");
    put(
        &client_in(&server, EU),
        EU_BUCKET,
        &key,
        b"from eu".to_vec(),
    )
    .await;
    put(&server.client(), DST_BUCKET, &key, b"from us".to_vec()).await;
    let (us, eu) = (client_in(&via, US), client_in(&via, EU));

    // eu-west-1 → us-east-1, signed for the destination's region.
    let to_us = format!("{key}-to-us");
    us.copy_object()
        .bucket(DST_BUCKET)
        .key(&to_us)
        .copy_source(format!("{EU_BUCKET}/{key}"))
        .send()
        .await
        .expect("a copy into us-east-1 signed for us-east-1");
    assert_eq!(
        get_bytes(&server.client(), DST_BUCKET, &to_us).await,
        b"from eu"
    );

    // us-east-1 → eu-west-1: signed for the source's region, refused.
    let to_eu = format!("{key}-to-eu");
    let copy = |client: &Client| {
        client
            .copy_object()
            .bucket(EU_BUCKET)
            .key(&to_eu)
            .copy_source(format!("{DST_BUCKET}/{key}"))
            .send()
    };
    let e = copy(&us)
        .await
        .expect_err("a copy into eu-west-1 signed for us-east-1");
    assert_eq!(e.code(), Some("PermanentRedirect"), "{e:?}");
    assert_eq!(refusal(&e).1.as_deref(), Some(EU));
    copy(&eu)
        .await
        .expect("a copy into eu-west-1 signed for eu-west-1");
    assert_eq!(
        get_bytes(&server.client(), EU_BUCKET, &to_eu).await,
        b"from us"
    );

    // UploadPartCopy into eu-west-1 from us-east-1: the same.
    let part_key = format!("{key}-part");
    let upload = eu
        .create_multipart_upload()
        .bucket(EU_BUCKET)
        .key(&part_key)
        .send()
        .await
        .expect("create in eu-west-1");
    let upload_id = upload.upload_id().expect("an upload id");
    let part = |client: &Client| {
        client
            .upload_part_copy()
            .bucket(EU_BUCKET)
            .key(&part_key)
            .upload_id(upload_id)
            .part_number(1)
            .copy_source(format!("{DST_BUCKET}/{key}"))
            .send()
    };
    let e = part(&us)
        .await
        .expect_err("a part copy signed for us-east-1");
    assert_eq!(refusal(&e).0, 301);
    part(&eu).await.expect("a part copy signed for eu-west-1");
    eu.abort_multipart_upload()
        .bucket(EU_BUCKET)
        .key(&part_key)
        .upload_id(upload_id)
        .send()
        .await
        .expect("abort");

    let ops: Vec<_> = proxy.misdirected().iter().map(|r| r.operation()).collect();
    assert_eq!(ops, ["CopyObject", "UploadPartCopy"]);
}

/// HeadBucket on a bucket of the table names the table's region in
/// `x-amz-bucket-region`, even where moto keeps another (the table is all
/// that counts); signed for the wrong region it is refused with the region
/// and no body, so a client learns the region either way.
#[tokio::test]
async fn head_bucket_names_the_region() {
    let server = moto_with_eu_bucket().await;
    let proxy = Proxy::start(&server.endpoint).await;
    // moto keeps the source bucket in us-east-1; the table says otherwise.
    proxy.regions(
        &[(EU_BUCKET, EU), (SRC_BUCKET, "ap-south-1")],
        WrongRegion::Redirect301,
    );
    let via = server.via(&proxy);

    let head = client_in(&via, EU)
        .head_bucket()
        .bucket(EU_BUCKET)
        .send()
        .await;
    assert_eq!(head.expect("HeadBucket").bucket_region(), Some(EU));
    let head = client_in(&via, "ap-south-1")
        .head_bucket()
        .bucket(SRC_BUCKET)
        .send()
        .await;
    assert_eq!(
        head.expect("HeadBucket").bucket_region(),
        Some("ap-south-1")
    );
    let head = client_in(&via, US)
        .head_bucket()
        .bucket(EU_BUCKET)
        .send()
        .await;
    let (status, region, body) = refusal(&head.expect_err("signed for us-east-1"));
    assert_eq!(
        (status, region.as_deref(), body.as_str()),
        (301, Some(EU), "")
    );

    let misdirected = proxy.misdirected();
    assert_eq!(misdirected.len(), 1);
    assert_eq!(misdirected[0].operation(), "HeadBucket");
    assert_eq!(proxy.of("HeadBucket").len(), 3);
}

/// Sends `GET`/`HEAD` of `target` to the proxy with no signature (or the
/// one in a presigned target's query); the status and the
/// `x-amz-bucket-region` of the answer.
async fn raw(proxy: &Proxy, method: &str, target: &str) -> (u16, Option<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = proxy.endpoint.strip_prefix("http://").unwrap();
    let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!("{method} {target} HTTP/1.1\r\nhost: {addr}\r\n\r\n");
    conn.write_all(head.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    let read = conn.read_to_end(&mut answer);
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("an answer within 10 s")
        .expect("read");
    let parsed = support::proxy::answer::parse(&answer, method == "HEAD").expect("an answer");
    let region = parsed.header("x-amz-bucket-region").map(str::to_owned);
    (parsed.status, region)
}

/// An unsigned request passes whatever its bucket (a HeadBucket still
/// gets the table's region); a presigned URL is judged by the region in
/// its `X-Amz-Credential`.
#[tokio::test]
async fn unsigned_passes_presigned_is_judged() {
    let (server, proxy, via) = setup(WrongRegion::Redirect301).await;
    let key = unique("regions-presigned");
    put(&client_in(&server, EU), EU_BUCKET, &key, b"eu".to_vec()).await;

    let (status, region) = raw(&proxy, "HEAD", &format!("/{EU_BUCKET}")).await;
    assert_eq!((status, region.as_deref()), (200, Some(EU)));
    assert!(proxy.misdirected().is_empty());

    let presigned = |region: &'static str| {
        let client = client_in(&via, region);
        let key = key.clone();
        async move {
            let config = aws_sdk_s3::presigning::PresigningConfig::expires_in(
                std::time::Duration::from_secs(300),
            )
            .unwrap();
            let req = client
                .get_object()
                .bucket(EU_BUCKET)
                .key(&key)
                .presigned(config)
                .await
                .expect("presign");
            // The path and query, after `http://HOST`.
            let uri = req.uri().split_once("://").expect("a URI").1;
            uri[uri.find('/').expect("a path")..].to_owned()
        }
    };
    let (status, region) = raw(&proxy, "GET", &presigned(US).await).await;
    assert_eq!((status, region.as_deref()), (301, Some(EU)));
    let (status, _) = raw(&proxy, "GET", &presigned(EU).await).await;
    assert_eq!(status, 200);
    let misdirected = proxy.misdirected();
    assert_eq!(misdirected.len(), 1);
    assert_eq!(misdirected[0].signed_region().as_deref(), Some(US));
    assert!(misdirected[0].header("authorization").is_none());
}
