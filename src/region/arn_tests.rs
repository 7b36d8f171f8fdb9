//! Access points and their regions: the SDK's own endpoint rules (no
//! network) show where a request to an access point ARN goes and what it
//! is signed for; [`Regions`] sends it with the client of the ARN's region.

use aws_sdk_s3::config::endpoint::{DefaultResolver, Endpoint, Params, ResolveEndpoint};

use super::*;
use crate::client::canned_config;

const AP: &str = "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
const MRAP: &str = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";

fn params(bucket: &str, region: &str, endpoint: Option<&str>, path_style: bool) -> Params {
    Params::builder()
        .bucket(bucket)
        .region(region)
        .use_arn_region(true)
        .use_fips(false)
        .use_dual_stack(false)
        .accelerate(false)
        .force_path_style(path_style)
        .set_endpoint(endpoint.map(str::to_owned))
        .build()
        .expect("params")
}

async fn resolve(params: &Params) -> Result<Endpoint, String> {
    DefaultResolver::new()
        .resolve_endpoint(params)
        .await
        .map_err(|e| format!("{e}"))
}

/// The auth schemes of an endpoint (names, signing names and regions).
fn signing(endpoint: &Endpoint) -> String {
    format!("{:?}", endpoint.auth_schemes())
}

#[tokio::test]
async fn an_access_point_arn_resolves_to_its_host_signed_for_its_region() {
    for client_region in ["us-west-2", "eu-central-1"] {
        let endpoint = resolve(&params(AP, client_region, None, false))
            .await
            .expect("resolved");
        assert_eq!(
            endpoint.url(),
            "https://my-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com",
            "client in {client_region}"
        );
        let signing = signing(&endpoint);
        assert!(signing.contains("\"us-west-2\""), "{signing}");
        if client_region != "us-west-2" {
            assert!(!signing.contains(client_region), "{signing}");
        }
        assert!(signing.contains("sigv4"), "{signing}");
    }
    let cn = "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint/my-ap";
    let endpoint = resolve(&params(cn, "cn-north-1", None, false))
        .await
        .expect("resolved");
    assert_eq!(
        endpoint.url(),
        "https://my-ap-123456789012.s3-accesspoint.cn-north-1.amazonaws.com.cn"
    );
}

#[test]
fn requests_to_an_access_point_go_with_the_client_of_its_region() {
    let base = Client::from_conf(
        canned_config(200, "")
            .region(aws_sdk_s3::config::Region::new("us-east-1"))
            .build(),
    );
    let r = Regions::new(base);
    assert!(r.is_known(AP), "no first request is held to learn it");
    assert_eq!(r.region_of(AP), "us-west-2");
    assert_eq!(
        r.client_for(AP).config().region().unwrap().as_ref(),
        "us-west-2"
    );
    assert!(!r.learn(AP, "eu-west-1"), "no answer moves an access point");
    assert_eq!(r.region_of(AP), "us-west-2");
    // A Multi-Region Access Point has no region: its requests go with the
    // configured client (SigV4a signs them for every region).
    assert!(r.is_known(MRAP));
    assert_eq!(r.region_of(MRAP), "us-east-1");
    // A bucket named like one is still learned.
    assert!(!r.is_known("b"));
}

/// Why `--path-style` is refused with an access point (config), and why a
/// local test server cannot stand in for one behind `--endpoint-url`: the
/// rules refuse path-style for an ARN, and put the access point's name in
/// front of the endpoint's host otherwise.
#[tokio::test]
async fn behind_a_custom_endpoint_the_access_point_name_goes_in_front_of_its_host() {
    let given = Some("http://127.0.0.1:9000");
    let refused = resolve(&params(AP, "us-west-2", given, true)).await;
    assert_eq!(
        refused.unwrap_err(),
        "Path-style addressing cannot be used with ARN buckets"
    );
    let endpoint = resolve(&params(AP, "us-west-2", given, false))
        .await
        .expect("resolved");
    assert_eq!(endpoint.url(), "http://my-ap-123456789012.127.0.0.1:9000");
    assert!(signing(&endpoint).contains("\"us-west-2\""));
}

#[tokio::test]
async fn a_multi_region_access_point_resolves_to_the_global_host_signed_with_sigv4a() {
    let endpoint = resolve(&params(MRAP, "us-east-1", None, false))
        .await
        .expect("resolved");
    assert_eq!(
        endpoint.url(),
        "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com"
    );
    let signing = signing(&endpoint);
    assert!(signing.contains("\"sigv4a\""), "{signing}");
    assert!(
        signing.contains("signingRegionSet") && signing.contains("\"*\""),
        "{signing}"
    );
}

/// The request a client sends, signed, never sent anywhere: its URL and
/// headers.
async fn signed_head(
    region: &str,
    bucket: &str,
) -> Result<(String, Vec<(String, String)>), String> {
    // The SDK's own double: it keeps the request and answers 200.
    let (http, captured) = aws_smithy_http_client::test_util::capture_request(None);
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new(region.to_owned()))
        .use_arn_region(true)
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))
        .http_client(http)
        .retry_config(aws_sdk_s3::config::retry::RetryConfig::disabled());
    let client = Client::from_conf(conf.build());
    let sent = client
        .head_object()
        .bucket(bucket)
        .key("dir/k")
        .send()
        .await;
    // A 200 answers whatever was sent: an error is one before sending.
    if let Err(e) = sent {
        return Err(format!(
            "{}",
            aws_smithy_types::error::display::DisplayErrorContext(e)
        ));
    }
    let request = captured.expect_request();
    let headers = request
        .headers()
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        .collect();
    Ok((request.uri().to_owned(), headers))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn a_request_to_a_multi_region_access_point_is_signed_with_sigv4a_for_every_region() {
    let (url, headers) = signed_head("us-east-1", MRAP).await.expect("sent");
    assert_eq!(
        url,
        "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/dir/k"
    );
    let auth = header(&headers, "authorization").expect("signed");
    assert!(auth.starts_with("AWS4-ECDSA-P256-SHA256 "), "{auth}");
    assert_eq!(header(&headers, "x-amz-region-set"), Some("*"));
}

#[tokio::test]
async fn a_request_to_an_access_point_is_signed_for_its_region() {
    let (url, headers) = signed_head("us-west-2", AP).await.expect("sent");
    assert_eq!(
        url,
        "https://my-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com/dir/k"
    );
    let auth = header(&headers, "authorization").expect("signed");
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 ") && auth.contains("/us-west-2/s3/aws4_request"),
        "{auth}"
    );
}
