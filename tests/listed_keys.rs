//! Keys that XML 1.0 cannot carry (control characters), and keys whose
//! url-encoding is easy to get wrong (`%`, `+`, spaces, unicode), through
//! every listing s3cp reads: the source's ListObjectsV2 of `-r`, the
//! destination's that `--skip-existing` / `--skip-same` walk beside it, and
//! ListMultipartUploads of `s3cp uploads list`. s3cp asks for
//! `EncodingType=url` and decodes what comes back encoded
//! (src/request/listed_keys.rs). Before, one key with a control character
//! made its page unreadable and ended a recursive copy there.
//!
//! Measured (as in TEST-SERVERS.md): Garage 2.5.0 and moto 5.2.5 both store
//! objects under such keys and list them url-encoded when asked (Garage
//! sends a space as `%20` and `/` as `%2F`; moto a space as `%20`; S3 a
//! space as `+`). Both answer 500 to CreateMultipartUpload on a key with a
//! control character and create the upload anyway. Garage lists uploads
//! url-encoded; moto ignores `encoding-type` on ListMultipartUploads and
//! sends the keys raw (no `<EncodingType>` in its answer), so a control
//! character there is unreadable by any XML parser: moto's uploads are
//! covered with the other keys, which also shows that an answer that does
//! not say it is encoded is not decoded (`a+b` stays `a+b`).

mod support;

use std::collections::BTreeSet;

use aws_sdk_s3::Client;
use serde_json::Value;
use support::*;

/// Keys that exercise the encoding, each under the test's prefix.
const KEYS: &[&str] = &[
    "plain.txt",
    "ctl-\u{1}-soh",
    "esc-\u{1b}[0m",
    "100%.csv",
    "%41-is-not-A",
    "a+b",
    "a b",
    "a+b c%2B",
    "한글/파일.txt",
    "rocket-🚀",
    "tab\tand-del\u{7f}",
];

/// The keys without a control character other than tab (which XML 1.0
/// carries).
fn printable() -> Vec<&'static str> {
    KEYS.iter()
        .copied()
        .filter(|k| {
            !k.chars()
                .any(|c| c.is_control() && c != '\t' && c != '\u{7f}')
        })
        .collect()
}

/// The copy lines and the summary of a bulk `--json` run.
fn lines(r: &Run) -> (Vec<Value>, Value) {
    let mut lines = r.json_lines();
    let summary = lines.pop().expect("a summary line");
    assert_eq!(summary["type"], "summary", "{r}");
    (lines, summary)
}

/// The destinations of the lines with `status`.
fn with_status(lines: &[Value], status: &str) -> BTreeSet<String> {
    lines
        .iter()
        .filter(|l| l["status"] == status)
        .map(|l| l["dst"].as_str().expect("dst").to_owned())
        .collect()
}

/// Copies every key with `-r`, then runs again with `--skip-existing` and
/// `--skip-same` (every key skipped, by the destination's listing), then
/// changes one source under a control-character key: `--skip-same` copies
/// it, and only it.
async fn copied_then_skipped(server: Server) {
    let client = server.client();
    // The prefix too needs encoding.
    let p = format!("{}in dir+%/", unique("listed-keys"));
    for k in KEYS {
        put(
            &client,
            SRC_BUCKET,
            &format!("{p}src/{k}"),
            k.as_bytes().to_vec(),
        )
        .await;
    }
    let src = s3(SRC_BUCKET, &format!("{p}src/"));
    let dst = s3(DST_BUCKET, &format!("{p}dst/"));
    let every: BTreeSet<String> = KEYS
        .iter()
        .map(|k| s3(DST_BUCKET, &format!("{p}dst/{k}")))
        .collect();

    let r = server.s3cp(&["-r", "--json", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = lines(&r);
    assert_eq!(summary["copied"], KEYS.len(), "{summary}");
    assert_eq!(with_status(&copies, "copied"), every, "{r}");
    for k in KEYS {
        let key = format!("{p}dst/{k}");
        assert_eq!(
            get_bytes(&client, DST_BUCKET, &key).await,
            k.as_bytes(),
            "{key:?}"
        );
    }

    for skip in ["--skip-existing", "--skip-same"] {
        let r = server.s3cp(&["-r", "--json", skip, &src, &dst]).await;
        assert_eq!(r.code, 0, "{skip}: {r}");
        let (copies, summary) = lines(&r);
        assert_eq!(summary["skipped"], KEYS.len(), "{skip}: {summary}");
        assert_eq!(summary["copied"], 0, "{skip}: {summary}");
        assert_eq!(with_status(&copies, "skipped"), every, "{skip}: {r}");
    }

    let changed = KEYS[1];
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}src/{changed}"),
        b"changed".to_vec(),
    )
    .await;
    let r = server
        .s3cp(&["-r", "--json", "--skip-same", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let (copies, summary) = lines(&r);
    assert_eq!(
        with_status(&copies, "copied"),
        BTreeSet::from([s3(DST_BUCKET, &format!("{p}dst/{changed}"))]),
        "{r}"
    );
    assert_eq!(summary["skipped"], KEYS.len() - 1, "{summary}");
    assert_eq!(
        get_bytes(&client, DST_BUCKET, &format!("{p}dst/{changed}")).await,
        b"changed"
    );
}

#[tokio::test]
async fn keys_xml_cannot_carry_are_copied_and_skipped_on_garage() {
    copied_then_skipped(garage().await).await;
}

#[tokio::test]
async fn keys_xml_cannot_carry_are_copied_and_skipped_on_moto() {
    copied_then_skipped(moto().await).await;
}

/// Starts an upload to each of `keys` under a prefix of its own, lists
/// them with `s3cp uploads list`, and checks that each key is listed as
/// it is: then aborts each with the key and id s3cp printed (which only
/// the real key finds).
async fn uploads_listed(server: Server, keys: &[&str]) {
    let client = server.client();
    // One attempt each: a 500 (a control character, on both servers) has
    // created the upload, and a retry would create another.
    let once = Client::from_conf(
        client
            .config()
            .to_builder()
            .retry_config(aws_sdk_s3::config::retry::RetryConfig::disabled())
            .build(),
    );
    let p = format!("{}in dir+%/", unique("listed-uploads"));
    for k in keys {
        let _ = once
            .create_multipart_upload()
            .bucket(DST_BUCKET)
            .key(format!("{p}{k}"))
            .send()
            .await;
    }
    let r = server
        .s3cp(&["uploads", "list", "--json", &s3(DST_BUCKET, &p)])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let uploads: Vec<Value> = r
        .json_lines()
        .into_iter()
        .filter(|l| l["type"] == "upload")
        .collect();
    let listed: Vec<&str> = uploads.iter().map(|u| u["key"].as_str().unwrap()).collect();
    let mut expected: Vec<String> = keys.iter().map(|k| format!("{p}{k}")).collect();
    expected.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "{r}");
    for u in &uploads {
        let (key, id) = (u["key"].as_str().unwrap(), u["upload_id"].as_str().unwrap());
        client
            .abort_multipart_upload()
            .bucket(DST_BUCKET)
            .key(key)
            .upload_id(id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("abort {key:?} {id}: {e:?}"));
    }
}

#[tokio::test]
async fn uploads_under_keys_xml_cannot_carry_are_listed_on_garage() {
    uploads_listed(garage().await, KEYS).await;
}

/// moto sends ListMultipartUploads' keys raw whatever is asked: the keys
/// without control characters.
#[tokio::test]
async fn uploads_are_listed_as_they_are_on_moto() {
    uploads_listed(moto().await, &printable()).await;
}
