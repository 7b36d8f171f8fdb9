//! Buckets in two regions (issue 10), through the test proxy's region mode
//! in front of moto: with `--source-region` and `--region` naming each
//! bucket's region, every request reaches its bucket's region on its first
//! try (the proxy answers any other as S3 would, with a redirect), on the
//! single, multipart and bulk paths, in both directions.

mod support;

use support::proxy::{Proxy, WrongRegion};
use support::*;

/// Copies `src_bucket/key` to `dst_bucket` through a proxy that places the
/// buckets in their regions, with the flags naming them; returns the run
/// and the requests the proxy refused as sent to the wrong region.
async fn copy_across(
    m: &Server,
    args: &[&str],
    source_region: &str,
    region: &str,
) -> (Run, Vec<support::proxy::Request>) {
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.regions(
        &[(EU_BUCKET, EU), (DST_BUCKET, US)],
        WrongRegion::Redirect301,
    );
    let mut all = vec![
        "--json",
        "--source-region",
        source_region,
        "--region",
        region,
    ];
    all.extend(args);
    let run = m.via(&proxy).s3cp(&all).await;
    (run, proxy.misdirected())
}

#[tokio::test]
async fn source_region_sends_each_request_to_its_bucket_s_region() {
    let m = moto_with_eu_bucket().await;
    let eu = client_in(&m, EU);
    let p = unique("regions");
    let small = format!("{p}small");
    let big = format!("{p}big");
    put(&eu, EU_BUCKET, &small, random_bytes(2048)).await;
    put(&eu, EU_BUCKET, &big, random_bytes(6 * MIB as usize)).await;

    // eu-west-1 -> us-east-1: one CopyObject, then a multipart copy.
    let src = format!("s3://{EU_BUCKET}/{small}");
    let dst = format!("s3://{DST_BUCKET}/{p}out/small");
    let (r, misdirected) = copy_across(&m, &[&src, &dst], EU, US).await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.json()["method"], "single", "{r}");
    assert!(misdirected.is_empty(), "{misdirected:#?}");
    let src = format!("s3://{EU_BUCKET}/{big}");
    let dst = format!("s3://{DST_BUCKET}/{p}out/big");
    let mp = [
        "--multipart-threshold",
        "5MiB",
        "--part-size",
        "5MiB",
        src.as_str(),
        dst.as_str(),
    ];
    let (r, misdirected) = copy_across(&m, &mp, EU, US).await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.json()["method"], "multipart", "{r}");
    assert!(misdirected.is_empty(), "{misdirected:#?}");
    assert_eq!(
        digest(&m.client(), DST_BUCKET, &format!("{p}out/big")).await,
        digest(&eu, EU_BUCKET, &big).await
    );

    // The whole prefix (the listing goes to the source's region).
    let src = format!("s3://{EU_BUCKET}/{p}");
    let dst = format!("s3://{DST_BUCKET}/{p}bulk/");
    let (r, misdirected) = copy_across(&m, &["-r", &src, &dst], EU, US).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(misdirected.is_empty(), "{misdirected:#?}");
    assert!(exists(&m.client(), DST_BUCKET, &format!("{p}bulk/small")).await);

    // And back: us-east-1 -> eu-west-1.
    let src = format!("s3://{DST_BUCKET}/{p}out/small");
    let dst = format!("s3://{EU_BUCKET}/{p}back");
    let (r, misdirected) = copy_across(&m, &[&src, &dst], US, EU).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(misdirected.is_empty(), "{misdirected:#?}");
    assert!(exists(&eu, EU_BUCKET, &format!("{p}back")).await);
}

#[tokio::test]
async fn source_region_is_refused_for_the_uploads_command() {
    let m = moto().await;
    let r = m
        .s3cp(&[
            "--source-region",
            EU,
            "uploads",
            "list",
            &format!("s3://{DST_BUCKET}/"),
        ])
        .await;
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("--source-region is for copies"), "{r}");
}

/// Without flags, S3's redirect names the source bucket's region: s3cp
/// learns it from the first answer and sends everything of that bucket
/// there, one redirect per bucket (WIP, issue 10).
#[tokio::test]
async fn without_flags_the_first_redirect_settles_a_bucket_s_region() {
    let m = moto_with_eu_bucket().await;
    let eu = client_in(&m, EU);
    let p = unique("regions-auto");
    let big = format!("{p}big");
    put(&eu, EU_BUCKET, &big, random_bytes(6 * MIB as usize)).await;
    for answer in [WrongRegion::Redirect301, WrongRegion::Malformed400] {
        let proxy = Proxy::start(&m.endpoint).await;
        proxy.regions(&[(EU_BUCKET, EU), (DST_BUCKET, US)], answer);
        let src = format!("s3://{EU_BUCKET}/{big}");
        let dst = format!("s3://{DST_BUCKET}/{p}out");
        let r = m
            .via(&proxy)
            .s3cp(&[
                "--json",
                "--multipart-threshold",
                "5MiB",
                "--part-size",
                "5MiB",
                &src,
                &dst,
            ])
            .await;
        assert_eq!(r.code, 0, "{r}");
        let misdirected = proxy.misdirected();
        assert_eq!(misdirected.len(), 1, "{misdirected:#?}");
        assert_eq!(misdirected[0].operation(), "HeadObject");
    }
}

/// Without flags, a bulk copy from eu-west-1 into us-east-1 and back: the
/// first request to each bucket in another region than the configured one
/// collects the one redirect, the listing included, however many objects
/// are in flight.
#[tokio::test]
async fn without_flags_a_bulk_copy_collects_one_redirect_per_bucket() {
    let m = moto_with_eu_bucket().await;
    let eu = client_in(&m, EU);
    let p = unique("regions-auto-bulk");
    for i in 0..12 {
        put(&eu, EU_BUCKET, &format!("{p}src/{i:02}"), random_bytes(512)).await;
    }
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.regions(
        &[(EU_BUCKET, EU), (DST_BUCKET, US)],
        WrongRegion::Redirect301,
    );
    let src = format!("s3://{EU_BUCKET}/{p}src/");
    let dst = format!("s3://{DST_BUCKET}/{p}dst/");
    let r = m.via(&proxy).s3cp(&["--json", "-r", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    let misdirected = proxy.misdirected();
    assert_eq!(misdirected.len(), 1, "{misdirected:#?}");
    assert_eq!(misdirected[0].operation(), "ListObjectsV2");
    assert_eq!(proxy.of("CopyObject").len(), 12);

    // Back, with --region eu-west-1 (the destination's): the source bucket
    // (us-east-1) is tried there first and redirects once, on the listing.
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.regions(
        &[(EU_BUCKET, EU), (DST_BUCKET, US)],
        WrongRegion::Malformed400,
    );
    let back = format!("s3://{EU_BUCKET}/{p}back/");
    let r = m
        .via(&proxy)
        .s3cp(&["--json", "--region", EU, "-r", &dst, &back])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let misdirected = proxy.misdirected();
    assert_eq!(misdirected.len(), 1, "{misdirected:#?}");
    assert_eq!(misdirected[0].operation(), "ListObjectsV2");
    assert!(exists(&eu, EU_BUCKET, &format!("{p}back/00")).await);
}

/// S3 says a bucket is in another region but not which (a 301, or a 400
/// AuthorizationHeaderMalformed, without `x-amz-bucket-region`): s3cp
/// cannot follow it, fails (exit 1, nothing written) and names the flag
/// that gives the region: `--source-region` for the source bucket,
/// `--region` for the destination bucket.
#[tokio::test]
async fn a_redirect_without_a_region_names_the_flag_that_gives_it() {
    let m = moto_with_eu_bucket().await;
    let eu = client_in(&m, EU);
    let p = unique("regions-unnamed");
    put(&eu, EU_BUCKET, &format!("{p}src/a"), random_bytes(512)).await;
    put(
        &m.client(),
        SRC_BUCKET,
        &format!("{p}us"),
        random_bytes(512),
    )
    .await;
    for answer in [
        WrongRegion::Redirect301NoRegion,
        WrongRegion::Malformed400NoRegion,
    ] {
        let code = match answer {
            WrongRegion::Redirect301NoRegion => "PermanentRedirect",
            _ => "AuthorizationHeaderMalformed",
        };
        let copy = |args: Vec<String>| {
            let m = m.clone();
            async move {
                let proxy = Proxy::start(&m.endpoint).await;
                proxy.regions(&[(EU_BUCKET, EU), (DST_BUCKET, US)], answer);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let run = m.via(&proxy).s3cp(&args).await;
                (run, proxy.misdirected())
            }
        };

        // The source bucket, on its HEAD (one object; the HEAD's answer
        // has no body, so a bare 400 could also be SSE-C, and says both).
        let src = format!("s3://{EU_BUCKET}/{p}src/a");
        let dst = format!("s3://{DST_BUCKET}/{p}{answer:?}/one");
        let (r, misdirected) = copy(vec![src.clone(), dst.clone()]).await;
        assert_eq!(r.code, 1, "{answer:?}: {r}");
        assert!(r.stderr.contains("--source-region"), "{answer:?}: {r}");
        assert_eq!(misdirected.len(), 1, "not sent again: {misdirected:#?}");
        let (r, _) = copy(vec!["--json".into(), src, dst.clone()]).await;
        assert_eq!(r.code, 1, "{r}");
        let error = &r.json()["error"];
        assert_eq!(error["operation"], "HeadObject", "{r}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("is in another region"),
            "{r}"
        );

        // The source bucket, on its listing (with an error document):
        // only --source-region.
        let src = format!("s3://{EU_BUCKET}/{p}src/");
        let dst_prefix = format!("s3://{DST_BUCKET}/{p}{answer:?}/bulk/");
        let (r, misdirected) = copy(vec!["--json".into(), "-r".into(), src, dst_prefix]).await;
        assert_eq!(r.code, 1, "{answer:?}: {r}");
        assert_eq!(misdirected.len(), 1, "{misdirected:#?}");
        let failed = r
            .json_lines()
            .into_iter()
            .find(|l| l["type"] == "copy")
            .unwrap_or_else(|| panic!("no failed line: {r}"));
        assert_eq!(failed["status"], "failed", "{r}");
        let message = failed["error"]["message"].as_str().unwrap().to_owned();
        assert!(
            message.contains("give the source bucket's region with --source-region"),
            "{message}"
        );
        assert!(!message.contains(" --region"), "{message}");

        // The destination bucket (eu-west-1 as a destination, the source
        // in no enforced region): the CopyObject names --region only.
        let src = format!("s3://{SRC_BUCKET}/{p}us");
        let dst = format!("s3://{EU_BUCKET}/{p}{answer:?}/in-eu");
        let (r, misdirected) = copy(vec!["--json".into(), src.clone(), dst.clone()]).await;
        assert_eq!(r.code, 1, "{answer:?}: {r}");
        let error = &r.json()["error"];
        assert_eq!(
            (error["operation"].as_str(), error["code"].as_str()),
            (Some("CopyObject"), Some(code)),
            "{r}"
        );
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains("give the destination bucket's region with --region"),
            "{message}"
        );
        assert!(!message.contains("--source-region"), "{message}");
        assert_eq!(misdirected.len(), 1, "{misdirected:#?}");
        assert_eq!(misdirected[0].operation(), "CopyObject");
        // Without --json, the same on stderr.
        let (r, _) = copy(vec![src, dst]).await;
        assert_eq!(r.code, 1, "{r}");
        assert!(r.stderr.contains("with --region"), "{r}");
        assert!(
            !exists(&eu, EU_BUCKET, &format!("{p}{answer:?}/in-eu")).await,
            "nothing written"
        );
    }
}

/// The requests of a 2,000-object cross-region bulk copy without region
/// flags (issue 10's closing note quotes the tables this prints): from the
/// eu-west-1 bucket into the us-east-1 one. s3cp configured for us-east-1
/// (the default): the listing's first page collects the source bucket's one
/// redirect and is sent again in eu-west-1, the destination (in the
/// configured region) none; then two pages of 1,000 and one CopyObject per
/// object, each signed for the destination's region, no HEAD. Configured
/// for a third region (AWS_REGION=ap-southeast-2): one redirect per bucket,
/// the destination's on the first CopyObject, whatever is in flight.
#[tokio::test]
async fn a_2000_object_cross_region_copy_costs_one_redirect_per_bucket() {
    use futures::StreamExt;
    const N: usize = 2000;
    let m = moto_with_eu_bucket().await;
    let eu = client_in(&m, EU);
    let p = unique("regions-2000");
    let started = std::time::Instant::now();
    futures::stream::iter(0..N)
        .map(|i| {
            let (eu, key) = (eu.clone(), format!("{p}src/{i:04}"));
            async move { put(&eu, EU_BUCKET, &key, random_bytes(64)).await }
        })
        .buffer_unordered(32)
        .collect::<Vec<()>>()
        .await;
    eprintln!(
        "put {N} objects in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    for configured in [US, "ap-southeast-2"] {
        let proxy = Proxy::start(&m.endpoint).await;
        proxy.regions(
            &[(EU_BUCKET, EU), (DST_BUCKET, US)],
            WrongRegion::Redirect301,
        );
        let src = format!("s3://{EU_BUCKET}/{p}src/");
        let dst = format!("s3://{DST_BUCKET}/{p}dst-{configured}/");
        let started = std::time::Instant::now();
        let r = m
            .via(&proxy)
            .with_timeout(std::time::Duration::from_secs(600))
            .s3cp_with(&["--json", "-r", &src, &dst], &[("AWS_REGION", configured)])
            .await;
        let copy_time = started.elapsed();
        assert_eq!(r.code, 0, "{r}");
        let lines = r.json_lines();
        let summary = lines.last().unwrap();
        assert_eq!(
            (&summary["type"], &summary["copied"], &summary["failed"]),
            (&"summary".into(), &N.into(), &0.into()),
            "{summary}"
        );

        let requests = proxy.requests();
        let misdirected = proxy.misdirected();
        let mut by_operation = std::collections::BTreeMap::<_, (usize, usize)>::new();
        for q in &requests {
            by_operation.entry(q.operation()).or_default().0 += 1;
        }
        for q in &misdirected {
            by_operation.entry(q.operation()).or_default().1 += 1;
        }
        let mut table =
            String::from("| operation | requests | of which redirected |\n|---|---|---|\n");
        for (op, (n, moved)) in &by_operation {
            table.push_str(&format!("| {op} | {n} | {moved} |\n"));
        }
        table.push_str(&format!(
            "| total | {} | {} |\n",
            requests.len(),
            misdirected.len()
        ));
        eprintln!(
            "{N} objects eu-west-1 -> us-east-1, s3cp -r without region flags, configured \
             region {configured} (moto via the region proxy, debug build): {:.1} s; s3cp's \
             summary: {} requests\n{table}",
            copy_time.as_secs_f64(),
            summary["requests"]
        );

        // One redirect per bucket not in the configured region: the
        // source's on the listing's first page, the destination's on a
        // CopyObject.
        let mut expected = vec![("ListObjectsV2", EU_BUCKET.to_owned())];
        if configured != US {
            expected.push(("CopyObject", DST_BUCKET.to_owned()));
        }
        let moved: Vec<_> = misdirected
            .iter()
            .map(|q| {
                assert_eq!(q.signed_region().as_deref(), Some(configured));
                (q.operation(), q.bucket().unwrap())
            })
            .collect();
        assert_eq!(moved, expected, "{table}");
        // The listing: the redirected first page, then 2 pages of 1,000 in
        // eu-west-1 (the second with the first's continuation token).
        let lists = proxy.of("ListObjectsV2");
        assert_eq!(lists.len(), 3, "{lists:#?}");
        assert!(
            lists[1..]
                .iter()
                .all(|q| q.signed_region().as_deref() == Some(EU)),
            "{lists:#?}"
        );
        assert!(lists[1].query("continuation-token").is_none());
        assert!(lists[2].query("continuation-token").is_some());
        // One CopyObject per object that reached the destination's region.
        let copies: Vec<_> = proxy
            .of("CopyObject")
            .into_iter()
            .filter(|q| q.signed_region().as_deref() == Some(US))
            .collect();
        assert_eq!(copies.len(), N, "{table}");
        // Nothing else: no HEAD per object (nor any other request).
        assert_eq!(proxy.of("HeadObject").len(), 0, "{table}");
        assert_eq!(requests.len(), N + 2 + misdirected.len(), "{table}");
        assert!(
            exists(
                &m.client(),
                DST_BUCKET,
                &format!("{p}dst-{configured}/1999")
            )
            .await
        );
    }
}
