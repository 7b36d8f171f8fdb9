//! A bulk run stops at once on an error that every object would meet (a
//! missing bucket, refused credentials, no server, a bucket denied as a
//! whole), naming the cause once with its fix and counting what it did not
//! attempt; an error of one object (one key denied) lets the others go on.
//! Requests are counted at a recording proxy (or, where there is no
//! server to proxy, by the run's own count in its JSON summary).

mod support;

use serde_json::Value;
use support::proxy::Proxy;
use support::*;

/// A manifest copying each key to the same key of `dst_bucket`.
fn manifest(keys: &[String], dst_bucket: &str) -> String {
    keys.iter()
        .map(|k| format!("{} {}\n", s3(SRC_BUCKET, k), s3(dst_bucket, k)))
        .collect()
}

/// The summary line of a `--json` run.
fn summary(run: &Run) -> Value {
    let lines = run.json_lines();
    let last = lines.last().unwrap_or_else(|| panic!("no summary:\n{run}"));
    assert_eq!(last["type"], "summary", "{run}");
    last.clone()
}

/// What every stopped run shows: exit 1, one to three objects failed and
/// none copied, the rest counted as not attempted, and the cause said once
/// on stderr.
fn assert_stopped(run: &Run, cause: &str) -> Value {
    assert_eq!(run.code, 1, "{run}");
    let s = summary(run);
    let failed = s["failed"].as_u64().unwrap();
    assert!((1..=3).contains(&failed), "{s}\n{run}");
    assert_eq!(s["copied"], 0, "{s}");
    assert!(s["not_attempted"].as_u64().unwrap() >= 1, "{s}");
    let stop_lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("stopped early"))
        .collect();
    assert_eq!(stop_lines.len(), 1, "{run}");
    assert!(stop_lines[0].contains(cause), "{run}");
    assert!(
        stop_lines[0].contains(&format!("{} objects not attempted", s["not_attempted"])),
        "{run}"
    );
    s
}

/// The issue's case: 5,000 objects to a bucket that does not exist. Before,
/// every object sent its CopyObject (5,000 requests, 5,000 failures); now
/// the first answer stops the run, and the listing with it.
#[tokio::test]
async fn a_missing_destination_bucket_stops_5000_objects_within_20_requests() {
    let g = garage().await;
    let prefix = unique("early-stop-5000");
    put_many(&g.client(), &prefix, 5000).await;
    let proxy = Proxy::start(&g.endpoint).await;
    let missing = "s3cp-no-such-bucket";
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            &s3(SRC_BUCKET, &prefix),
            &s3(missing, "copy/"),
        ])
        .await;
    let cause = format!("the destination bucket {missing} does not exist");
    let s = assert_stopped(&r, &cause);
    let sent = proxy.requests();
    assert!(sent.len() < 20, "{} requests: {sent:?}", sent.len());
    // The listing stopped too: 5,000 keys are 5 pages.
    assert!(proxy.of("ListObjectsV2").len() < 5, "{sent:?}");
    assert_eq!(s["requests"].as_u64().unwrap(), sent.len() as u64, "{s}");
    // Said once, on the stop line; the object's own line says what S3 said.
    assert_eq!(r.stderr.matches(&cause).count(), 1, "{r}");
}

/// No server at the endpoint: the first object's request, after its
/// retries, stops the run; the others are never sent (they waited for the
/// first, which kept retrying beyond the usual wait for a first answer).
#[tokio::test]
async fn an_unreachable_endpoint_stops_the_run() {
    let g = garage().await;
    let nowhere = Server {
        endpoint: "http://127.0.0.1:9".to_owned(),
        ..g.clone()
    };
    let keys: Vec<String> = (0..200).map(|i| format!("unreachable/k{i}")).collect();
    let r = nowhere
        .s3cp_stdin(
            &["--from-file", "-", "--json"],
            &manifest(&keys, DST_BUCKET),
        )
        .await;
    let s = assert_stopped(&r, "cannot reach S3 at http://127.0.0.1:9");
    // One request and its retries (5 attempts by default).
    let requests = s["requests"].as_u64().unwrap();
    assert!(requests < 20, "{requests} requests: {s}");
    assert_eq!(
        s["not_attempted"].as_u64().unwrap() + s["failed"].as_u64().unwrap(),
        200
    );
}

/// A wrong secret key: Garage answers AccessDenied "Invalid signature" (to
/// a HEAD, a bare 403, which a bucket listing then explains). The run says
/// the credentials were refused, not that 200 objects were denied.
#[tokio::test]
async fn refused_credentials_stop_the_run() {
    let g = garage().await;
    let prefix = unique("early-stop-credentials");
    let keys = put_many(&g.client(), &prefix, 200).await;
    let proxy = Proxy::start(&g.endpoint).await;
    let wrong = Server {
        secret_key: "0".repeat(64),
        ..g.via(&proxy)
    };
    let r = wrong
        .s3cp_stdin(
            &["--from-file", "-", "--json"],
            &manifest(&keys, DST_BUCKET),
        )
        .await;
    let s = assert_stopped(&r, "the store refused the credentials");
    assert!(r.stderr.contains("AWS_SECRET_ACCESS_KEY"), "{r}");
    let sent = proxy.requests();
    assert!(sent.len() < 20, "{} requests: {sent:?}", sent.len());
    assert_eq!(
        s["not_attempted"].as_u64().unwrap() + s["failed"].as_u64().unwrap(),
        200
    );
    assert!(!exists(&g.client(), DST_BUCKET, &keys[0]).await, "{r}");
}

const DENIED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
                      <Message>Access Denied</Message></Error>";

/// A bucket denied as a whole: CopyObject is denied, and so is a HeadBucket
/// of the destination bucket (and its listing): the run stops.
#[tokio::test]
async fn a_bucket_denied_as_a_whole_stops_the_run() {
    let g = garage().await;
    let prefix = unique("early-stop-denied-bucket");
    let keys = put_many(&g.client(), &prefix, 200).await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.answer("CopyObject", 403, DENIED);
    proxy.answer("HeadBucket", 403, "");
    proxy.answer("ListObjectsV2", 403, DENIED);
    let r = g
        .via(&proxy)
        .s3cp_stdin(
            &["--from-file", "-", "--json"],
            &manifest(&keys, DST_BUCKET),
        )
        .await;
    assert_stopped(
        &r,
        &format!("access to the destination bucket {DST_BUCKET} is denied"),
    );
    let sent = proxy.requests();
    // The HEADs of the sources may have gone ahead (they pass); the
    // CopyObjects stopped at the first.
    assert!(proxy.of("CopyObject").len() <= 3, "{sent:?}");
}

/// One key denied is that object's failure: the others are copied, and
/// the run does not stop (a HeadBucket finds the bucket open).
#[tokio::test]
async fn one_key_denied_lets_the_others_go_on() {
    let g = garage().await;
    let prefix = unique("early-stop-one-key");
    let keys = put_many(&g.client(), &prefix, 20).await;
    let proxy = Proxy::start(&g.endpoint).await;
    let denied = format!("{prefix}k00003");
    proxy.answer_key("CopyObject", &denied, 403, DENIED);
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            &s3(SRC_BUCKET, &prefix),
            &s3(DST_BUCKET, &prefix),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let s = summary(&r);
    assert_eq!(s["failed"], 1, "{s}");
    assert_eq!(s["copied"], keys.len() as u64 - 1, "{s}");
    assert_eq!(s["not_attempted"], 0, "{s}");
    assert!(!r.stderr.contains("stopped early"), "{r}");
    assert!(r.stderr.contains(&denied), "{r}");
    assert!(!exists(&g.client(), DST_BUCKET, &denied).await);
}

/// Credentials refused once the destination's region is settled (its
/// listing, for --skip-existing, answered): the copies go many at once and
/// those in flight when the first answer stops the run fail the same way.
/// Three of them are shown, the others counted on the stop line; none is
/// sent after it.
#[tokio::test]
async fn failures_in_flight_when_the_run_stops_are_shown_three_times() {
    let g = garage().await;
    let prefix = unique("early-stop-in-flight");
    put_many(&g.client(), &prefix, 300).await;
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.answer(
        "CopyObject",
        403,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InvalidAccessKeyId</Code>\
         <Message>The AWS Access Key Id you provided does not exist in our records.</Message>\
         </Error>",
    );
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--skip-existing",
            &s3(SRC_BUCKET, &prefix),
            &s3(DST_BUCKET, &prefix),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    let copies = proxy.of("CopyObject").len();
    let shown = r.stderr.matches("InvalidAccessKeyId").count();
    // The failed objects' lines (three at most), and the stop line.
    assert!(shown <= 3 + 1, "{r}");
    let stop_line = r
        .stderr
        .lines()
        .find(|l| l.contains("stopped early"))
        .unwrap_or_else(|| panic!("{r}"));
    assert!(
        stop_line.contains("the store refused the credentials"),
        "{r}"
    );
    match copies {
        0 => panic!("no CopyObject: {r}"),
        1..=3 => assert!(!stop_line.contains("not shown"), "{r}"),
        n => assert!(
            stop_line.contains(&format!("{} more objects in flight failed", n - 3)),
            "{n} CopyObjects: {r}"
        ),
    }
    // Nothing after the stop: at most what was in flight (the budget).
    assert!(
        copies <= s3cp::budget::START * 2,
        "{copies} CopyObjects: {r}"
    );
}
