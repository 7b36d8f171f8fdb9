//! What s3cp sends to AWS's own hosts, with the SDK's real endpoint rules
//! (no `--endpoint-url`): access points, Multi-Region Access Points and a
//! directory bucket's zonal endpoint, which no local server has. The
//! recording proxy is s3cp's HTTPS proxy (`HTTPS_PROXY`): s3cp opens a
//! `CONNECT` tunnel to `HOST:443`, the proxy ends the TLS with a
//! certificate of a test CA that s3cp trusts through `SSL_CERT_FILE`
//! (`support::proxy::tls`), records the request as AWS would receive it
//! (host, path, headers, signing algorithm, region and service) and
//! forwards it to moto, path-style, with the access point or bucket it
//! names played by a moto bucket; it answers CreateSession itself
//! (`support::rename`).

mod support;

use support::proxy::{Proxy, Request};
use support::rename::{SESSION_TOKEN, directory_bucket, directory_client, serve_rename};
use support::*;

const AP: &str = "arn:aws:s3:us-west-2:123456789012:accesspoint/team-ap";
const AP_HOST: &str = "team-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com";
const MRAP: &str = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";
const MRAP_HOST: &str = "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com";
const SIGV4A: &str = "AWS4-ECDSA-P256-SHA256";
const SIGV4: &str = "AWS4-HMAC-SHA256";

/// s3cp with exactly `args`, through `proxy` as its HTTPS proxy.
async fn s3cp(m: &Server, proxy: &Proxy, args: &[&str]) -> Run {
    m.s3cp_aws(proxy, args).await
}

/// The recorded requests to `host`, the URL each was sent to included.
fn at(proxy: &Proxy, host: &str) -> Vec<Request> {
    proxy
        .requests()
        .into_iter()
        .filter(|q| q.header("host") == Some(host))
        .collect()
}

/// Every request went over TLS to an AWS host: none reached the proxy
/// as plain HTTP, and each names the URL it was sent to.
fn all_over_https(proxy: &Proxy) {
    let requests = proxy.requests();
    assert!(!requests.is_empty());
    for q in &requests {
        let url = q.url.as_deref().unwrap_or("");
        assert!(
            url.starts_with("https://")
                && q.header("host")
                    .is_some_and(|h| h.ends_with(".amazonaws.com")),
            "{} {} not to an AWS host over TLS: {url}",
            q.method,
            q.target
        );
    }
}

#[tokio::test]
async fn an_access_point_arn_goes_to_its_own_host_signed_for_its_region() {
    let m = moto().await;
    let client = m.client();
    let p = unique("aws-ap");
    let body = random_bytes(3000);
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}in/a b+c#%41.txt"),
        body.clone(),
    )
    .await;
    put(&client, SRC_BUCKET, &format!("{p}in/d"), body.clone()).await;
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.access_point(AP, SRC_BUCKET);

    // One object out of the access point, into a bucket of another region.
    let src = format!("s3://{AP}/{p}in/a b+c#%41.txt");
    let dst = format!("s3://{DST_BUCKET}/{p}out/");
    let r = s3cp(&m, &proxy, &["--region", "eu-west-1", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}out/a b+c#%41.txt")).await,
        body
    );
    all_over_https(&proxy);
    let through = at(&proxy, AP_HOST);
    assert!(!through.is_empty(), "{:?}", proxy.requests());
    for q in &through {
        assert_eq!(q.signing_algorithm(), Some(SIGV4), "{q:?}");
        assert_eq!(q.signed_region().as_deref(), Some("us-west-2"), "{q:?}");
        assert_eq!(q.signed_service().as_deref(), Some("s3"), "{q:?}");
    }
    let copy = &proxy.of("CopyObject")[0];
    assert_eq!(
        copy.header("host"),
        Some(format!("{DST_BUCKET}.s3.eu-west-1.amazonaws.com").as_str())
    );
    assert_eq!(copy.signed_region().as_deref(), Some("eu-west-1"));
    assert_eq!(
        copy.header("x-amz-copy-source"),
        Some(format!("{AP}/object/{p}in/a%20b%2Bc%23%2541.txt").as_str())
    );

    // -r out of the access point into the bucket: the listing at the
    // access point's host, in its region; the copies in the bucket's.
    proxy.reset();
    let from = format!("s3://{AP}/{p}in/");
    let to = format!("s3://{DST_BUCKET}/{p}r/");
    let r = s3cp(&m, &proxy, &["--region", "eu-west-1", "-r", &from, &to]).await;
    assert_eq!(r.code, 0, "{r}");
    for key in ["a b+c#%41.txt", "d"] {
        assert_eq!(
            get_bytes(&client, DST_BUCKET, &format!("{p}r/{key}")).await,
            body
        );
    }
    all_over_https(&proxy);
    let listing = &proxy.of("ListObjectsV2")[0];
    assert_eq!(listing.header("host"), Some(AP_HOST));
    assert_eq!(listing.signed_region().as_deref(), Some("us-west-2"));
    let copies = proxy.of("CopyObject");
    assert_eq!(copies.len(), 2, "{copies:?}");
    for c in &copies {
        assert_eq!(c.signed_region().as_deref(), Some("eu-west-1"));
        assert!(
            c.header("x-amz-copy-source")
                .is_some_and(|s| s.starts_with(&format!("{AP}/object/{p}in/"))),
            "{c:?}"
        );
    }

    // And back with -r: the bucket listed in its region, the copies sent
    // to the access point's host, signed for its region.
    proxy.reset();
    let from = format!("s3://{DST_BUCKET}/{p}r/");
    let to = format!("s3://{AP}/{p}back/");
    let r = s3cp(
        &m,
        &proxy,
        &["--source-region", "eu-west-1", "-r", &from, &to],
    )
    .await;
    assert_eq!(r.code, 0, "{r}");
    for key in ["a b+c#%41.txt", "d"] {
        assert_eq!(
            get_bytes(&client, SRC_BUCKET, &format!("{p}back/{key}")).await,
            body
        );
    }
    all_over_https(&proxy);
    let listing = &proxy.of("ListObjectsV2")[0];
    assert_eq!(
        listing.header("host"),
        Some(format!("{DST_BUCKET}.s3.eu-west-1.amazonaws.com").as_str())
    );
    let copies = proxy.of("CopyObject");
    assert_eq!(copies.len(), 2, "{copies:?}");
    for c in &copies {
        assert_eq!(c.header("host"), Some(AP_HOST));
        assert_eq!(c.signed_region().as_deref(), Some("us-west-2"));
        assert!(
            c.header("x-amz-copy-source")
                .is_some_and(|s| s.starts_with(&format!("{DST_BUCKET}/{p}r/"))),
            "{c:?}"
        );
    }
}

/// An access point alias is a bucket name: addressed as one
/// (virtual-hosted, in the access point's region, given), and named as one
/// in the copy source.
#[tokio::test]
async fn an_access_point_alias_is_addressed_as_a_bucket() {
    const ALIAS: &str = "team-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias";
    let m = moto().await;
    let client = m.client();
    let p = unique("aws-alias");
    let body = random_bytes(1000);
    put(&client, SRC_BUCKET, &format!("{p}in/k"), body.clone()).await;
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.bucket_alias(ALIAS, SRC_BUCKET);
    let from = format!("s3://{ALIAS}/{p}in/");
    let to = format!("s3://{DST_BUCKET}/{p}out/");
    let r = s3cp(
        &m,
        &proxy,
        &[
            "--source-region",
            "us-west-2",
            "--region",
            "us-east-1",
            "-r",
            &from,
            &to,
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}out/k")).await,
        body
    );
    all_over_https(&proxy);
    let listing = &proxy.of("ListObjectsV2")[0];
    assert_eq!(
        listing.header("host"),
        Some(format!("{ALIAS}.s3.us-west-2.amazonaws.com").as_str())
    );
    assert_eq!(listing.signed_region().as_deref(), Some("us-west-2"));
    let copy = &proxy.of("CopyObject")[0];
    assert_eq!(
        copy.header("x-amz-copy-source"),
        Some(format!("{ALIAS}/{p}in/k").as_str())
    );
    assert_eq!(copy.signed_region().as_deref(), Some("us-east-1"));
}

#[tokio::test]
async fn a_multi_region_access_point_is_signed_with_sigv4a_and_its_source_streamed() {
    let m = moto().await;
    let client = m.client();
    let p = unique("aws-mrap");
    let body = random_bytes(5000);
    put(&client, SRC_BUCKET, &format!("{p}in/k"), body.clone()).await;
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.access_point(MRAP, SRC_BUCKET);

    // Out of the MRAP: CopyObject cannot take it as a source, so the
    // bytes are streamed (GetObject through it, signed with SigV4a for
    // every region) into the bucket.
    let src = format!("s3://{MRAP}/{p}in/k");
    let dst = format!("s3://{DST_BUCKET}/{p}out/k");
    let r = s3cp(&m, &proxy, &["--region", "us-east-1", "--json", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}out/k")).await,
        body
    );
    all_over_https(&proxy);
    assert!(proxy.of("CopyObject").is_empty(), "{:?}", proxy.requests());
    let gets = proxy.of("GetObject");
    assert!(!gets.is_empty(), "{:?}", proxy.requests());
    let through = at(&proxy, MRAP_HOST);
    assert!(
        through.iter().any(|q| q.operation() == "GetObject"),
        "{through:?}"
    );
    for q in &through {
        assert_eq!(q.signing_algorithm(), Some(SIGV4A), "{q:?}");
        assert_eq!(q.header("x-amz-region-set"), Some("*"), "{q:?}");
        assert_eq!(q.signed_region(), None, "{q:?}");
        assert_eq!(q.signed_service().as_deref(), Some("s3"), "{q:?}");
    }
    // The write to the bucket is plain SigV4 in its region.
    for q in proxy
        .requests()
        .iter()
        .filter(|q| q.header("host") != Some(MRAP_HOST))
    {
        assert_eq!(q.signing_algorithm(), Some(SIGV4), "{q:?}");
    }

    // Into the MRAP: one CopyObject at its host, signed with SigV4a.
    proxy.reset();
    let src = format!("s3://{DST_BUCKET}/{p}out/k");
    let dst = format!("s3://{MRAP}/{p}back/k");
    let r = s3cp(&m, &proxy, &["--region", "us-east-1", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        get_bytes(&client, SRC_BUCKET, &format!("{p}back/k")).await,
        body
    );
    all_over_https(&proxy);
    let copies = proxy.of("CopyObject");
    assert_eq!(copies.len(), 1, "{:?}", proxy.requests());
    assert_eq!(copies[0].header("host"), Some(MRAP_HOST));
    assert_eq!(copies[0].signing_algorithm(), Some(SIGV4A));
    assert_eq!(copies[0].header("x-amz-region-set"), Some("*"));
    assert_eq!(
        copies[0].header("x-amz-copy-source"),
        Some(format!("{DST_BUCKET}/{p}out/k").as_str())
    );

    // Under --copy-mode server, an MRAP source is refused before anything
    // is sent.
    proxy.reset();
    let src = format!("s3://{MRAP}/{p}in/k");
    let dst = format!("s3://{DST_BUCKET}/{p}refused/k");
    let r = s3cp(
        &m,
        &proxy,
        &["--region", "us-east-1", "--copy-mode", "server", &src, &dst],
    )
    .await;
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("Multi-Region Access Point"), "{r}");
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
    assert!(!exists(&client, DST_BUCKET, &format!("{p}refused/k")).await);
}

#[tokio::test]
async fn a_directory_bucket_is_reached_at_its_zonal_endpoint_with_a_session() {
    let m = moto().await;
    let client = m.client();
    let bucket = directory_bucket(&m).await;
    let p = unique("aws-dir");
    let body = random_bytes(4000);
    client
        .put_object()
        .bucket(SRC_BUCKET)
        .key(format!("{p}in/k"))
        .tagging("a=1")
        .acl(aws_sdk_s3::types::ObjectCannedAcl::Private)
        .body(body.clone().into())
        .send()
        .await
        .expect("put");
    let proxy = Proxy::start(&m.endpoint).await;
    serve_rename(&proxy, &m);
    let zonal = format!("{bucket}.s3express-use1-az4.us-east-1.amazonaws.com");

    // Into it: one CopyObject at the zonal endpoint, signed for the
    // `s3express` service with the IAM credentials (CopyObject takes no
    // session, as AWS documents and the SDK's model says).
    let src = format!("s3://{SRC_BUCKET}/{p}in/k");
    let dst = format!("s3://{bucket}/{p}out/k");
    let r = s3cp(&m, &proxy, &["--region", "us-east-1", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        get_bytes(&directory_client(&m), &bucket, &format!("{p}out/k")).await,
        body
    );
    all_over_https(&proxy);
    let copies = proxy.of("CopyObject");
    assert_eq!(copies.len(), 1, "{:?}", proxy.requests());
    let copy = &copies[0];
    assert_eq!(copy.header("host"), Some(zonal.as_str()));
    assert_eq!(
        copy.signed_service().as_deref(),
        Some("s3express"),
        "{copy:?}"
    );
    assert_eq!(copy.signed_region().as_deref(), Some("us-east-1"));
    assert_eq!(copy.header("x-amz-s3session-token"), None);
    assert_eq!(copy.header("x-amz-storage-class"), Some("EXPRESS_ONEZONE"));
    assert_eq!(copy.header("x-amz-tagging-directive"), Some("REPLACE"));
    for refused in [
        "x-amz-acl",
        "x-amz-tagging",
        "x-amz-object-annotation-directive",
    ] {
        assert_eq!(
            copy.header(refused).filter(|v| !v.is_empty()),
            None,
            "{refused}: {copy:?}"
        );
    }
    assert!(r.stderr.contains("a=1"), "the dropped tag is named: {r}");

    // Out of it: its HEAD goes to the zonal endpoint after a
    // CreateSession there, with the session's token; the CopyObject to
    // the general purpose bucket names the directory bucket as its source.
    proxy.reset();
    serve_rename(&proxy, &m);
    let src = format!("s3://{bucket}/{p}out/k");
    let dst = format!("s3://{DST_BUCKET}/{p}back/k");
    let r = s3cp(&m, &proxy, &["--region", "us-east-1", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}back/k")).await,
        body
    );
    all_over_https(&proxy);
    let sessions = proxy.of("CreateSession");
    assert_eq!(sessions.len(), 1, "{:?}", proxy.requests());
    assert_eq!(sessions[0].header("host"), Some(zonal.as_str()));
    assert_eq!(sessions[0].signed_service().as_deref(), Some("s3express"));
    assert_eq!(sessions[0].header("x-amz-s3session-token"), None);
    let heads: Vec<Request> = at(&proxy, &zonal)
        .into_iter()
        .filter(|q| q.operation() == "HeadObject")
        .collect();
    assert!(!heads.is_empty(), "{:?}", proxy.requests());
    for h in &heads {
        assert_eq!(
            h.header("x-amz-s3session-token"),
            Some(SESSION_TOKEN),
            "{h:?}"
        );
        assert_eq!(h.signed_service().as_deref(), Some("s3express"), "{h:?}");
    }
    let copy = &proxy.of("CopyObject")[0];
    assert_eq!(
        copy.header("host"),
        Some(format!("{DST_BUCKET}.s3.us-east-1.amazonaws.com").as_str())
    );
    assert_eq!(
        copy.header("x-amz-copy-source"),
        Some(format!("{bucket}/{p}out/k").as_str())
    );
    assert_eq!(copy.header("x-amz-storage-class"), None);
}
