//! Copies through an access point, as s3cp sends them to AWS: no local
//! server has access points, so the recording proxy plays one with a moto
//! bucket. The proxy is s3cp's HTTP proxy (`HTTP_PROXY`), not an
//! `--endpoint-url` in front of moto: with an ARN the SDK's endpoint rules
//! refuse path-style addressing and put `NAME-ACCOUNT.` in front of the
//! endpoint's host, which no resolver here knows; a proxy receives the
//! absolute URL and resolves nothing. The endpoint is `http://s3.test:PORT`
//! (a name nobody resolves: only the proxy is reached), so the rules are
//! the real ones bar the domain, and the records show the host, the copy
//! source and the signing region of every request. A copy out of and into
//! an access point at AWS's own hosts is `tests/aws_hosts.rs`'s (through
//! the proxy as the HTTPS proxy, with no endpoint at all); here, the other
//! commands through one behind a custom endpoint.

mod support;

use support::proxy::Proxy;
use support::*;

const AP: &str = "arn:aws:s3:us-west-2:123456789012:accesspoint/team-ap";
const HOST: &str = "team-ap-123456789012.s3.test:9000";

/// s3cp through `proxy`, with the access point behind `http://s3.test`.
async fn s3cp(m: &Server, proxy: &Proxy, args: &[&str]) -> Run {
    let mut all = vec!["--endpoint-url", "http://s3.test:9000"];
    all.extend_from_slice(args);
    m.s3cp_env(&all, &[("HTTP_PROXY", proxy.endpoint.as_str())])
        .await
}

#[tokio::test]
async fn mv_a_skip_same_rerun_and_uploads_go_through_the_access_point() {
    let m = moto().await;
    let client = m.client();
    let p = unique("ap-commands");
    let body = random_bytes(2000);
    put(&client, SRC_BUCKET, &format!("{p}in/k1"), body.clone()).await;
    put(&client, SRC_BUCKET, &format!("{p}in/k2"), body.clone()).await;
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.access_point(AP, SRC_BUCKET);
    let through = |q: &support::proxy::Request| q.header("host") == Some(HOST);

    // -r into a bucket, then a --skip-same rerun: the access point's
    // listing beside the bucket's, nothing copied again.
    let from = format!("s3://{AP}/{p}in/");
    let to = format!("s3://{DST_BUCKET}/{p}copy/");
    let r = s3cp(&m, &proxy, &["-r", &from, &to]).await;
    assert_eq!(r.code, 0, "{r}");
    proxy.reset();
    let r = s3cp(&m, &proxy, &["-r", "--skip-same", "--json", &from, &to]).await;
    assert_eq!(r.code, 0, "{r}");
    let summary = r.json_lines().pop().expect("a summary");
    assert_eq!(
        (&summary["skipped"], &summary["copied"]),
        (&2.into(), &0.into()),
        "{r}"
    );
    assert!(
        proxy.of("ListObjectsV2").iter().any(through),
        "{:?}",
        proxy.requests()
    );
    assert!(proxy.of("CopyObject").is_empty());

    // mv out of the access point: copied, then deleted through it.
    proxy.reset();
    let src = format!("s3://{AP}/{p}in/k1");
    let r = s3cp(
        &m,
        &proxy,
        &["mv", &src, &format!("s3://{DST_BUCKET}/{p}moved/")],
    )
    .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}moved/k1")).await,
        body
    );
    assert!(!exists(&client, SRC_BUCKET, &format!("{p}in/k1")).await);
    let deletes = proxy.of("DeleteObject");
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert!(through(&deletes[0]));
    assert_eq!(deletes[0].signed_region().as_deref(), Some("us-west-2"));

    // s3cp uploads list through the access point.
    let id = create_upload(&client, SRC_BUCKET, &format!("{p}up/big"), None).await;
    proxy.reset();
    let r = s3cp(
        &m,
        &proxy,
        &["uploads", "list", &format!("s3://{AP}/{p}up/")],
    )
    .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains(&id), "{r}");
    let lists = proxy.of("ListMultipartUploads");
    assert!(!lists.is_empty() && lists.iter().all(through), "{lists:?}");
    client
        .abort_multipart_upload()
        .bucket(SRC_BUCKET)
        .key(format!("{p}up/big"))
        .upload_id(&id)
        .send()
        .await
        .expect("abort");
}
