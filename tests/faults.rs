//! Faults on the wire: through the fault-injecting proxy on Garage, copies
//! survive what S3 does under load, and never leave an upload behind.

mod support;

use futures::StreamExt;
use support::proxy::{Fault, Proxy, Rule, When};
use support::*;

const ALL_FAULTS: [Fault; 6] = [
    Fault::SlowDown,
    Fault::InternalError,
    Fault::ErrorIn200 { whitespace: false },
    Fault::ErrorIn200 { whitespace: true },
    Fault::ResetMidResponse,
    Fault::Delay(200),
];

#[tokio::test]
async fn ten_percent_faults_everywhere_and_everything_arrives() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("faults");
    // 500 small objects and two multipart ones.
    futures::stream::iter(0..500)
        .map(|i| {
            let client = &client;
            let key = format!("{p}src/small/{i:03}");
            async move { put(client, SRC_BUCKET, &key, key.clone().into_bytes()).await }
        })
        .buffer_unordered(64)
        .collect::<Vec<()>>()
        .await;
    for name in ["big1", "big2"] {
        put(
            &client,
            SRC_BUCKET,
            &format!("{p}src/{name}"),
            random_bytes(23 * MIB as usize),
        )
        .await;
    }
    // Every operation: 10% of requests fail, each way in turn (seeded).
    proxy.inject(
        7,
        vec![Rule {
            operation: None,
            when: When::Probability(0.10),
            faults: ALL_FAULTS.to_vec(),
        }],
    );
    let r = g
        .via(&proxy)
        .s3cp(&[
            "-r",
            "--json",
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}src/"),
            &format!("s3://{DST_BUCKET}/{p}dst/"),
        ])
        .await;
    proxy.heal();
    let injected = proxy.injected();
    assert!(
        injected.len() > 40,
        "only {} faults injected",
        injected.len()
    );
    for kind in ALL_FAULTS {
        assert!(injected.contains(&kind), "{kind:?} never injected");
    }
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary: serde_json::Value =
        serde_json::from_str(r.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["copied"], 502, "{summary}");
    assert!(summary["retries"].as_u64().unwrap() > 0, "{summary}");
    for name in ["big1", "big2"] {
        assert_eq!(
            digest(&client, SRC_BUCKET, &format!("{p}src/{name}")).await,
            digest(&client, DST_BUCKET, &format!("{p}dst/{name}")).await,
            "{name}"
        );
    }
    for i in [0, 137, 499] {
        let key = format!("{p}dst/small/{i:03}");
        let got = client
            .get_object()
            .bucket(DST_BUCKET)
            .key(&key)
            .send()
            .await
            .unwrap();
        let body = got.body.collect().await.unwrap().into_bytes();
        assert_eq!(body.as_ref(), format!("{p}src/small/{i:03}").as_bytes());
    }
    assert!(
        uploads(&client, DST_BUCKET, &p).await.is_empty(),
        "an upload was left behind"
    );
}

#[tokio::test]
async fn a_permanent_failure_mid_multipart_exits_1_and_leaves_no_upload() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.answer(
        "UploadPartCopy",
        403,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
         <Message>Access Denied</Message><RequestId>R1</RequestId></Error>",
    );
    let p = unique("permanent");
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}src"),
        random_bytes(11 * MIB as usize),
    )
    .await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}src"),
            &format!("s3://{DST_BUCKET}/{p}dst"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains("UploadPartCopy failed: AccessDenied"),
        "{r}"
    );
    assert_eq!(proxy.of("CreateMultipartUpload").len(), 1);
    assert_eq!(proxy.of("AbortMultipartUpload").len(), 1);
    assert!(!exists(&client, DST_BUCKET, &format!("{p}dst")).await);
    assert!(
        uploads(&client, DST_BUCKET, &p).await.is_empty(),
        "an upload was left behind"
    );
}

#[tokio::test]
async fn a_lost_complete_answer_is_resolved_not_guessed() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    // Complete is done by the server, but its answer never arrives.
    proxy.inject(
        1,
        vec![Rule {
            operation: Some("CompleteMultipartUpload"),
            when: When::EveryNth(1),
            faults: vec![Fault::ResetMidResponse],
        }],
    );
    let p = unique("lost-complete");
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}src"),
        random_bytes(11 * MIB as usize),
    )
    .await;
    let r = g
        .via(&proxy)
        .s3cp(&[
            "--json",
            "--multipart-threshold",
            "5MiB",
            "--part-size",
            "5MiB",
            &format!("s3://{SRC_BUCKET}/{p}src"),
            &format!("s3://{DST_BUCKET}/{p}dst"),
        ])
        .await;
    let v = r.json_ok();
    assert_eq!(v["parts"], 3);
    assert!(v["etag"].as_str().unwrap().ends_with("-3\""), "{v}");
    assert!(
        proxy.of("CompleteMultipartUpload").len() >= 2,
        "Complete was retried"
    );
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src")).await,
        digest(&client, DST_BUCKET, &format!("{p}dst")).await
    );
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

#[tokio::test]
async fn uploads_list_and_abort_clean_up_what_was_left() {
    let g = garage().await;
    let client = g.client();
    let p = unique("uploads-cmd");
    let mut ids = Vec::new();
    for key in ["a", "dir/b"] {
        let up = client
            .create_multipart_upload()
            .bucket(DST_BUCKET)
            .key(format!("{p}{key}"))
            .send()
            .await
            .unwrap();
        ids.push(up.upload_id().unwrap().to_owned());
    }
    let at = format!("s3://{DST_BUCKET}/{p}");
    let r = g.s3cp(&["uploads", "list", &at, "--json"]).await;
    assert_eq!(r.code, 0, "{r}");
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{r}");
    for id in &ids {
        assert!(
            lines
                .iter()
                .any(|l| l["upload_id"] == id.as_str() && l["type"] == "upload")
        );
    }
    assert_eq!(lines[2]["listed"], 2);

    // Too young for --older-than 1h: nothing aborted.
    let r = g
        .s3cp(&["uploads", "abort", &at, "--older-than", "1h"])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("0 uploads, 0 aborted"), "{r}");
    assert_eq!(uploads(&client, DST_BUCKET, &p).await.len(), 2);

    let r = g.s3cp(&["uploads", "abort", &at]).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("2 uploads, 2 aborted, 0 failed"), "{r}");
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());

    let r = g
        .s3cp(&["uploads", "abort", &at, "--older-than", "soon"])
        .await;
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("write a duration such as 30m"), "{r}");
}
