//! Every CopyObject option × {single CopyObject, multipart}: the destination
//! must come out as the option says, and the same on both paths. On moto
//! (tags, ACLs, SSE-S3/KMS, storage class, redirect, versioning, Complete's
//! If-None-Match); what moto does not enforce is asserted on the requests.

mod support;

use std::collections::HashMap;

use aws_sdk_s3::types::{
    BucketVersioningStatus, ObjectCannedAcl, StorageClass, VersioningConfiguration,
};
use support::proxy::Proxy;
use support::*;

const MULTIPART: [&str; 4] = ["--multipart-threshold", "8MiB", "--part-size", "5MiB"];
const LOCK_BUCKET: &str = "s3cp-lock";
const VERSIONED_BUCKET: &str = "s3cp-versioned";

/// Everything about a destination object that an option can change.
#[derive(Debug, PartialEq, Eq)]
struct State {
    headers: Headers,
    tags: Vec<(String, String)>,
    /// `PERMISSION grantee` for every grant but the owner's FULL_CONTROL.
    grants: Vec<String>,
    sse: Option<String>,
    kms_key: Option<String>,
    bucket_key: Option<bool>,
    storage_class: Option<String>,
    website_redirect: Option<String>,
    lock_mode: Option<String>,
    legal_hold: Option<String>,
    /// Whether S3 keeps a SHA-256 checksum (the value differs between a
    /// whole object and a multipart one, so only its presence is compared).
    has_sha256: bool,
}

async fn state(server: &Server, bucket: &str, key: &str) -> State {
    let client = server.client();
    let h = head_checksums(&client, bucket, key).await;
    // moto 5.2.5 keeps no ACL at all for an object completed from a
    // multipart upload without one, and GetObjectAcl then fails with 500
    // ('NoneType' object has no attribute 'grants'). S3 gives such an
    // object the private default, which is what "no grants" means here.
    let acl = match client.get_object_acl().bucket(bucket).key(key).send().await {
        Ok(acl) => acl,
        Err(e) if e.raw_response().map(|r| r.status().as_u16()) == Some(500) => {
            aws_sdk_s3::operation::get_object_acl::GetObjectAclOutput::builder().build()
        }
        Err(e) => panic!("get acl {bucket}/{key}: {e:?}"),
    };
    let owner = acl
        .owner()
        .and_then(|o| o.id())
        .unwrap_or_default()
        .to_owned();
    let mut grants: Vec<String> = acl
        .grants()
        .iter()
        .filter_map(|g| {
            let who = g.grantee()?;
            let who = who.uri().or(who.id()).unwrap_or("?").to_owned();
            let perm = g.permission()?.as_str().to_owned();
            (!(who == owner && perm == "FULL_CONTROL")).then(|| format!("{perm} {who}"))
        })
        .collect();
    grants.sort();
    State {
        headers: head(&client, bucket, key).await,
        tags: tags(server, bucket, key).await,
        grants,
        sse: h.server_side_encryption().map(|s| s.as_str().to_owned()),
        kms_key: h.ssekms_key_id().map(Into::into),
        bucket_key: h.bucket_key_enabled(),
        storage_class: h.storage_class().map(|s| s.as_str().to_owned()),
        website_redirect: h.website_redirect_location().map(Into::into),
        lock_mode: h.object_lock_mode().map(|s| s.as_str().to_owned()),
        legal_hold: h
            .object_lock_legal_hold_status()
            .map(|s| s.as_str().to_owned()),
        has_sha256: h.checksum_sha256().is_some(),
    }
}

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";

struct Case {
    name: &'static str,
    args: &'static [&'static str],
    dst_bucket: &'static str,
    /// What the JSON result must say (field, value).
    reports: &'static [(&'static str, &'static str)],
    check: fn(&State, &State) -> bool,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "defaults: metadata and tags copied, ACL private",
            args: &[],
            dst_bucket: DST_BUCKET,
            reports: &[
                ("metadata_directive", "COPY"),
                ("tagging_directive", "COPY"),
                ("acl", "private (default)"),
            ],
            check: |d, s| {
                d.headers == s.headers
                    && d.tags == s.tags
                    && d.grants.is_empty()
                    && s.website_redirect.is_some()
                    && d.website_redirect.is_none()
            },
        },
        Case {
            name: "metadata REPLACE",
            args: &[
                "--metadata-directive",
                "REPLACE",
                "--content-type",
                "x/y",
                "--metadata",
                "a=1",
            ],
            dst_bucket: DST_BUCKET,
            reports: &[("metadata_directive", "REPLACE")],
            check: |d, _| {
                d.headers.content_type.as_deref() == Some("x/y")
                    && d.headers.metadata == HashMap::from([("a".into(), "1".into())])
                    && d.headers.cache_control.is_none()
            },
        },
        Case {
            name: "a content flag alone means REPLACE",
            args: &[
                "--content-language",
                "nl",
                "--expires",
                "2031-01-01T00:00:00Z",
            ],
            dst_bucket: DST_BUCKET,
            reports: &[("metadata_directive", "REPLACE")],
            check: |d, _| {
                d.headers.content_language.as_deref() == Some("nl")
                    && d.headers.expires.as_deref() == Some("Wed, 01 Jan 2031 00:00:00 GMT")
                    && d.headers.metadata.is_empty()
                    && d.headers.content_type.as_deref() != Some("application/x-s3cp-test")
            },
        },
        Case {
            name: "metadata MERGE",
            args: &[
                "--metadata-directive",
                "MERGE",
                "--cache-control",
                "no-store",
                "--metadata",
                "extra=2,owner=team red",
            ],
            dst_bucket: DST_BUCKET,
            reports: &[("metadata_directive", "MERGE")],
            check: |d, s| {
                let mut want = s.headers.metadata.clone();
                want.insert("extra".into(), "2".into());
                want.insert("owner".into(), "team red".into());
                d.headers.metadata == want
                    && d.headers.cache_control.as_deref() == Some("no-store")
                    && d.headers.content_type == s.headers.content_type
                    && d.headers.content_disposition == s.headers.content_disposition
            },
        },
        Case {
            name: "tags given",
            // A URL query: '+' is a space, %2B a plus.
            args: &["--tagging", "a=1&b=x+y%2Bz"],
            dst_bucket: DST_BUCKET,
            reports: &[("tagging_directive", "REPLACE")],
            check: |d, _| d.tags == [("a".into(), "1".into()), ("b".into(), "x y+z".into())],
        },
        Case {
            name: "tags replaced by none",
            args: &["--tagging-directive", "REPLACE"],
            dst_bucket: DST_BUCKET,
            reports: &[("tagging_directive", "REPLACE")],
            check: |d, _| d.tags.is_empty(),
        },
        Case {
            name: "canned ACL",
            args: &["--acl", "public-read"],
            dst_bucket: DST_BUCKET,
            reports: &[("acl", "public-read")],
            check: |d, _| d.grants == [format!("READ {ALL_USERS}")],
        },
        Case {
            name: "grant",
            args: &[
                "--grant-read",
                "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"",
            ],
            dst_bucket: DST_BUCKET,
            reports: &[],
            check: |d, _| d.grants == [format!("READ {ALL_USERS}")],
        },
        Case {
            name: "ACL copied from the source",
            args: &["--copy-acl"],
            dst_bucket: DST_BUCKET,
            reports: &[("acl", "copied from source")],
            check: |d, s| d.grants == s.grants && !d.grants.is_empty(),
        },
        Case {
            name: "SSE-S3",
            args: &["--sse", "AES256"],
            dst_bucket: DST_BUCKET,
            reports: &[("encryption", "AES256")],
            check: |d, _| d.sse.as_deref() == Some("AES256"),
        },
        // The bucket key is asserted on the requests: moto does not keep it
        // for multipart uploads (lock_and_bucket_key_reach_both_requests).
        Case {
            name: "SSE-KMS",
            args: &["--sse", "aws:kms", "--sse-kms-key-id", "s3cp-test-key"],
            dst_bucket: DST_BUCKET,
            reports: &[("encryption", "aws:kms (key s3cp-test-key)")],
            check: |d, _| {
                d.sse.as_deref() == Some("aws:kms")
                    && d.kms_key
                        .as_deref()
                        .is_some_and(|k| k.contains("s3cp-test-key"))
            },
        },
        Case {
            name: "storage class",
            args: &["--storage-class", "STANDARD_IA"],
            dst_bucket: DST_BUCKET,
            reports: &[("storage_class", "STANDARD_IA")],
            check: |d, _| d.storage_class.as_deref() == Some("STANDARD_IA"),
        },
        Case {
            name: "website redirect",
            args: &["--website-redirect", "/elsewhere.html"],
            dst_bucket: DST_BUCKET,
            reports: &[],
            check: |d, s| {
                d.website_redirect.as_deref() == Some("/elsewhere.html") && d.headers == s.headers
            },
        },
        Case {
            name: "checksum",
            args: &["--checksum-algorithm", "SHA256"],
            dst_bucket: DST_BUCKET,
            reports: &[],
            check: |d, _| d.has_sha256,
        },
    ]
}

async fn create_bucket(m: &Server, bucket: &str, lock: bool) {
    let r = m
        .client()
        .create_bucket()
        .bucket(bucket)
        .object_lock_enabled_for_bucket(lock)
        .send()
        .await;
    if let Err(e) = r {
        let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&e).unwrap_or("");
        assert!(code.starts_with("BucketAlready"), "create {bucket}: {e:?}");
    }
}

#[tokio::test]
async fn every_option_on_both_paths_on_moto() {
    let m = moto().await;
    let client = m.client();
    create_bucket(&m, LOCK_BUCKET, true).await;
    let p = unique("options");
    let src = format!("{p}source.bin");
    put_dressed_source(&m, &src, true).await;
    client
        .put_object_acl()
        .bucket(SRC_BUCKET)
        .key(&src)
        .acl(ObjectCannedAcl::PublicRead)
        .send()
        .await
        .expect("make the source public-read");
    let source = state(&m, SRC_BUCKET, &src).await;
    assert_eq!(source.grants, [format!("READ {ALL_USERS}")]);
    let src_uri = format!("s3://{SRC_BUCKET}/{src}");

    let mut failures = Vec::new();
    for (i, case) in cases().iter().enumerate() {
        let mut states = Vec::new();
        for multipart in [false, true] {
            let key = format!("{p}case{i}-{}", if multipart { "multi" } else { "single" });
            let dst = format!("s3://{}/{key}", case.dst_bucket);
            let mut args = vec!["--json"];
            if multipart {
                args.extend(MULTIPART);
            }
            args.extend(case.args);
            args.extend([src_uri.as_str(), dst.as_str()]);
            let run = m.s3cp(&args).await;
            if run.code != 0 {
                failures.push(format!("{} (multipart: {multipart}): {run}", case.name));
                continue;
            }
            let json = run.json();
            assert_eq!(
                json["method"],
                if multipart { "multipart" } else { "single" }
            );
            for (field, want) in case.reports {
                if json[field] != *want {
                    failures.push(format!(
                        "{} (multipart: {multipart}): {field} is {}, want {want}",
                        case.name, json[field]
                    ));
                }
            }
            let got = state(&m, case.dst_bucket, &key).await;
            if !(case.check)(&got, &source) {
                failures.push(format!("{} (multipart: {multipart}): {got:#?}", case.name));
            }
            assert_eq!(
                digest(&client, case.dst_bucket, &key).await,
                digest(&client, SRC_BUCKET, &src).await
            );
            states.push(got);
        }
        if let [single, multi] = &states[..]
            && single != multi
        {
            failures.push(format!(
                "{}: multipart differs from single:\n{single:#?}\n{multi:#?}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Object Lock settings and the bucket key: moto does not keep them on a
/// multipart upload, and wants a Content-MD5 on a CopyObject with a
/// retention period, so what s3cp sends is checked on the requests.
#[tokio::test]
async fn lock_and_bucket_key_reach_both_requests() {
    let m = moto().await;
    create_bucket(&m, LOCK_BUCKET, true).await;
    let proxy = Proxy::start(&m.endpoint).await;
    let p = unique("lock");
    put(
        &m.client(),
        SRC_BUCKET,
        &format!("{p}src"),
        random_bytes(12 * MIB as usize),
    )
    .await;
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    for multipart in [false, true] {
        let dst = format!("s3://{LOCK_BUCKET}/{p}dst-{multipart}");
        let mut args = vec![
            "--object-lock-mode",
            "GOVERNANCE",
            "--object-lock-retain-until-date",
            "2031-01-01T00:00:00Z",
            "--object-lock-legal-hold",
            "ON",
            "--sse",
            "aws:kms",
            "--sse-kms-key-id",
            "k1",
            "--bucket-key-enabled",
        ];
        if multipart {
            args.extend(MULTIPART);
        }
        args.extend([src.as_str(), dst.as_str()]);
        // The outcome is moto's; the requests are s3cp's.
        m.via(&proxy).s3cp(&args).await;
    }
    for op in ["CopyObject", "CreateMultipartUpload"] {
        let reqs = proxy.of(op);
        assert_eq!(reqs.len(), 1, "{op}");
        let r = &reqs[0];
        assert_eq!(
            r.header("x-amz-object-lock-mode"),
            Some("GOVERNANCE"),
            "{op}"
        );
        assert_eq!(
            r.header("x-amz-object-lock-retain-until-date"),
            Some("2031-01-01T00:00:00Z"),
            "{op}"
        );
        assert_eq!(r.header("x-amz-object-lock-legal-hold"), Some("ON"), "{op}");
        assert_eq!(
            r.header("x-amz-server-side-encryption"),
            Some("aws:kms"),
            "{op}"
        );
        assert_eq!(
            r.header("x-amz-server-side-encryption-aws-kms-key-id"),
            Some("k1"),
            "{op}"
        );
        assert_eq!(
            r.header("x-amz-server-side-encryption-bucket-key-enabled"),
            Some("true"),
            "{op}"
        );
    }
}

#[tokio::test]
async fn a_version_is_copied_and_the_new_version_reported() {
    let m = moto().await;
    let client = m.client();
    create_bucket(&m, VERSIONED_BUCKET, false).await;
    client
        .put_bucket_versioning()
        .bucket(VERSIONED_BUCKET)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .expect("enable versioning");
    let p = unique("versions");
    let key = format!("{p}obj");
    let first = random_bytes(12 * MIB as usize);
    let v1 = client
        .put_object()
        .bucket(VERSIONED_BUCKET)
        .key(&key)
        .body(first.into())
        .send()
        .await
        .unwrap()
        .version_id()
        .unwrap()
        .to_owned();
    put(
        &client,
        VERSIONED_BUCKET,
        &key,
        random_bytes(12 * MIB as usize),
    )
    .await;
    let want = {
        let o = client
            .get_object()
            .bucket(VERSIONED_BUCKET)
            .key(&key)
            .version_id(&v1)
            .send()
            .await
            .unwrap();
        o.body.collect().await.unwrap().into_bytes()
    };
    for multipart in [false, true] {
        let dst_key = format!("{p}copy-{multipart}");
        let mut args = vec!["--json"];
        if multipart {
            args.extend(MULTIPART);
        }
        let src = format!("s3://{VERSIONED_BUCKET}/{key}?versionId={v1}");
        let dst = format!("s3://{VERSIONED_BUCKET}/{dst_key}");
        args.extend([src.as_str(), dst.as_str()]);
        let r = m.s3cp(&args).await.json_ok();
        assert_eq!(r["source_version_id"], v1.as_str(), "{r}");
        let new_version = r["version_id"].as_str().expect("a destination version id");
        let got = client
            .get_object()
            .bucket(VERSIONED_BUCKET)
            .key(&dst_key)
            .version_id(new_version)
            .send()
            .await
            .unwrap()
            .body
            .collect()
            .await
            .unwrap()
            .into_bytes();
        assert!(
            got == want,
            "multipart {multipart}: not the content of version {v1}"
        );
    }

    // A delete marker as the current version: say to give a version id.
    client
        .delete_object()
        .bucket(VERSIONED_BUCKET)
        .key(&key)
        .send()
        .await
        .unwrap();
    let r = m
        .s3cp(&[
            &format!("s3://{VERSIONED_BUCKET}/{key}"),
            &format!("s3://{DST_BUCKET}/{p}x"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("is a delete marker"), "{r}");
    assert!(r.stderr.contains("?versionId=ID"), "{r}");
    assert!(!exists(&client, DST_BUCKET, &format!("{p}x")).await);
}

#[tokio::test]
async fn an_archived_source_must_be_restored_first() {
    let m = moto().await;
    let client = m.client();
    let p = unique("glacier");
    client
        .put_object()
        .bucket(SRC_BUCKET)
        .key(format!("{p}cold"))
        .storage_class(StorageClass::Glacier)
        .body(random_bytes(1000).into())
        .send()
        .await
        .unwrap();
    let r = m
        .s3cp(&[
            &format!("s3://{SRC_BUCKET}/{p}cold"),
            &format!("s3://{DST_BUCKET}/{p}warm"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains("is in GLACIER and must be restored"),
        "{r}"
    );
    assert!(r.stderr.contains("restore-object"), "{r}");
    assert!(!exists(&client, DST_BUCKET, &format!("{p}warm")).await);
}

#[tokio::test]
async fn copy_onto_itself_that_changes_the_storage_class() {
    let m = moto().await;
    let client = m.client();
    let p = unique("self");
    for multipart in [false, true] {
        let key = format!("{p}obj-{multipart}");
        put_random_source(&client, &key, 12 * MIB).await;
        let before = digest(&client, SRC_BUCKET, &key).await;
        let uri = format!("s3://{SRC_BUCKET}/{key}");
        let mut args = vec!["--json", "--storage-class", "STANDARD_IA"];
        if multipart {
            args.extend(MULTIPART);
        }
        args.extend([uri.as_str(), uri.as_str()]);
        m.s3cp(&args).await.json_ok();
        let s = state(&m, SRC_BUCKET, &key).await;
        assert_eq!(s.storage_class.as_deref(), Some("STANDARD_IA"));
        assert_eq!(digest(&client, SRC_BUCKET, &key).await, before);
    }
}

#[tokio::test]
async fn no_overwrite_is_atomic_on_both_paths() {
    let m = moto().await;
    let client = m.client();
    let proxy = Proxy::start(&m.endpoint).await;
    let via = m.via(&proxy);
    let p = unique("no-overwrite");
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    put_random_source(&client, &format!("{p}src"), 12 * MIB).await;

    // A new destination: copied, with If-None-Match: * on the write itself.
    for multipart in [false, true] {
        let dst = format!("s3://{DST_BUCKET}/{p}new-{multipart}");
        let mut args = vec!["--no-overwrite"];
        if multipart {
            args.extend(MULTIPART);
        }
        args.extend([src.as_str(), dst.as_str()]);
        let r = via.s3cp(&args).await;
        assert_eq!(r.code, 0, "{r}");
    }
    let copies = proxy.of("CopyObject");
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0].header("if-none-match"), Some("*"));
    let completes = proxy.of("CompleteMultipartUpload");
    assert_eq!(completes.len(), 1);
    assert_eq!(completes[0].header("if-none-match"), Some("*"));
    // No racy HEAD-then-copy: a HEAD of a destination comes only after
    // the write (the checksum comparison's, when the answer carries none).
    let all = proxy.requests();
    for multipart in [false, true] {
        let name = format!("new-{multipart}");
        let write = all
            .iter()
            .position(|r| {
                r.target.contains(&name)
                    && matches!(r.operation(), "CopyObject" | "CompleteMultipartUpload")
            })
            .expect("the write");
        assert!(
            all.iter()
                .take(write)
                .all(|r| !(r.operation() == "HeadObject" && r.target.contains(&name))),
            "no racy HEAD of the destination before its write"
        );
    }

    // An existing destination: moto enforces If-None-Match on Complete.
    let existing = format!("{p}existing");
    put(&client, DST_BUCKET, &existing, b"keep me".to_vec()).await;
    let mut args = vec!["--no-overwrite"];
    args.extend(MULTIPART);
    let dst = format!("s3://{DST_BUCKET}/{existing}");
    args.extend([src.as_str(), dst.as_str()]);
    let r = m.s3cp(&args).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains("already exists and --no-overwrite"),
        "{r}"
    );
    assert_eq!(
        digest(&client, DST_BUCKET, &existing).await,
        format!("{:x}", <md5::Md5 as md5::Digest>::digest(b"keep me"))
    );
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

#[tokio::test]
async fn denied_tag_read_names_the_permission_and_the_way_out() {
    let m = moto().await;
    let client = m.client();
    let proxy = Proxy::start(&m.endpoint).await;
    proxy.answer(
        "GetObjectTagging",
        403,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
         <Message>Access Denied</Message><RequestId>R403</RequestId></Error>",
    );
    let via = m.via(&proxy);
    let p = unique("tags-denied");
    put_random_source(&client, &format!("{p}src"), 12 * MIB).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    let dst = format!("s3://{DST_BUCKET}/{p}dst");
    let mut args = MULTIPART.to_vec();
    args.extend([src.as_str(), dst.as_str()]);
    let r = via.s3cp(&args).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("s3:GetObjectTagging"), "{r}");
    assert!(r.stderr.contains("--tagging-directive REPLACE"), "{r}");
    assert!(r.stderr.contains("AccessDenied"), "{r}");
    assert!(
        proxy.of("CreateMultipartUpload").is_empty(),
        "nothing written"
    );
    assert!(!exists(&client, DST_BUCKET, &format!("{p}dst")).await);

    let mut args = vec!["--tagging-directive", "REPLACE", "--tagging", "new=1"];
    args.extend(MULTIPART);
    args.extend([src.as_str(), dst.as_str()]);
    let r = via.s3cp(&args).await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        tags(&m, DST_BUCKET, &format!("{p}dst")).await,
        [("new".into(), "1".into())]
    );
}

/// A directive the user names is sent even when it is COPY, S3's default: a
/// bucket policy can require `s3:x-amz-metadata-directive` (or the tagging
/// one) to be COPY, and then a CopyObject without the header is denied. A
/// directive that is only the default is still left out.
#[tokio::test]
async fn a_named_directive_is_sent_even_when_it_is_copy() {
    let m = moto().await;
    let client = m.client();
    let proxy = Proxy::start(&m.endpoint).await;
    let via = m.via(&proxy);
    let p = unique("named-directives");
    let src_key = format!("{p}src");
    client
        .put_object()
        .bucket(SRC_BUCKET)
        .key(&src_key)
        .body(random_bytes(1000).into())
        .content_type("text/x-kept")
        .metadata("kept", "yes")
        .send()
        .await
        .expect("put source");
    let src = format!("s3://{SRC_BUCKET}/{src_key}");
    let cases: [(&[&str], Option<&str>, Option<&str>); 5] = [
        (&[], None, None),
        (&["--metadata-directive", "COPY"], Some("COPY"), None),
        (&["--tagging-directive", "copy"], None, Some("COPY")),
        (
            &[
                "--metadata-directive",
                "copy",
                "--tagging-directive",
                "COPY",
            ],
            Some("COPY"),
            Some("COPY"),
        ),
        (&["--content-type", "a/b"], Some("REPLACE"), None),
    ];
    for (i, (args, metadata, tagging)) in cases.into_iter().enumerate() {
        let key = format!("{p}dst{i}");
        let dst = format!("s3://{DST_BUCKET}/{key}");
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        all.extend([src.as_str(), dst.as_str()]);
        let r = via.s3cp(&all).await.json_ok();
        assert_eq!(r["metadata_directive"], metadata.unwrap_or("COPY"), "{r}");
        let copies: Vec<_> = proxy
            .of("CopyObject")
            .into_iter()
            .filter(|c| c.target.contains(&format!("dst{i}")))
            .collect();
        assert_eq!(copies.len(), 1, "{args:?}");
        assert_eq!(
            copies[0].header("x-amz-metadata-directive"),
            metadata,
            "{args:?}"
        );
        assert_eq!(
            copies[0].header("x-amz-tagging-directive"),
            tagging,
            "{args:?}"
        );
        if metadata != Some("REPLACE") {
            let h = head(&client, DST_BUCKET, &key).await;
            assert_eq!(h.content_type.as_deref(), Some("text/x-kept"), "{args:?}");
            assert_eq!(h.metadata.get("kept").map(String::as_str), Some("yes"));
        }
    }
}

/// `--if-match` and `--if-none-match` are aws-cli's destination conditions
/// (If-Match / If-None-Match on CopyObject and CompleteMultipartUpload); the
/// source conditions are `--copy-source-if-*`. Asserted on the requests,
/// since moto does not enforce all of them; moto does honour If-None-Match
/// on Complete.
#[tokio::test]
async fn destination_conditions_have_their_aws_cli_meaning_on_both_paths() {
    let m = moto().await;
    let client = m.client();
    let proxy = Proxy::start(&m.endpoint).await;
    let via = m.via(&proxy);
    let p = unique("dst-conditions");
    let src_key = format!("{p}src");
    put_random_source(&client, &src_key, 12 * MIB).await;
    let src = format!("s3://{SRC_BUCKET}/{src_key}");
    let etag = |bucket: &'static str, key: String| {
        let client = client.clone();
        async move {
            client
                .head_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await
                .expect("head")
                .e_tag()
                .expect("etag")
                .to_owned()
        }
    };
    let src_etag = etag(SRC_BUCKET, src_key.clone()).await;
    // Requests of one operation to keys containing `name`.
    let sent = |op: &str, name: &str| -> Vec<support::proxy::Request> {
        proxy
            .of(op)
            .into_iter()
            .filter(|r| r.target.contains(name))
            .collect()
    };

    for multipart in [false, true] {
        // --if-match ETAG: overwrite only that version of the destination.
        let name = format!("if-match-{multipart}");
        let key = format!("{p}{name}");
        put(&client, DST_BUCKET, &key, b"old version".to_vec()).await;
        let dst_etag = etag(DST_BUCKET, key.clone()).await;
        let dst = format!("s3://{DST_BUCKET}/{key}");
        let mut args = vec!["--if-match", dst_etag.as_str()];
        if multipart {
            args.extend(MULTIPART);
        }
        args.extend([src.as_str(), dst.as_str()]);
        let r = via.s3cp(&args).await;
        assert_eq!(r.code, 0, "{r}");
        assert_eq!(
            digest(&client, DST_BUCKET, &key).await,
            digest(&client, SRC_BUCKET, &src_key).await
        );
        let write = if multipart {
            assert!(
                sent("CreateMultipartUpload", &name)[0]
                    .header("if-match")
                    .is_none()
            );
            for part in sent("UploadPartCopy", &name) {
                // Parts stay pinned to the source, never to the destination.
                assert_eq!(
                    part.header("x-amz-copy-source-if-match"),
                    Some(src_etag.as_str())
                );
                assert!(part.header("if-match").is_none());
            }
            sent("CompleteMultipartUpload", &name)
        } else {
            sent("CopyObject", &name)
        };
        assert_eq!(write.len(), 1, "{name}");
        assert_eq!(
            write[0].header("if-match"),
            Some(dst_etag.as_str()),
            "{name}"
        );
        assert!(write[0].header("x-amz-copy-source-if-match").is_none());
        assert!(write[0].header("if-none-match").is_none());

        // --if-none-match '*': the same as --no-overwrite.
        let name = format!("if-none-match-{multipart}");
        let dst = format!("s3://{DST_BUCKET}/{p}{name}");
        let mut args = vec!["--if-none-match", "*"];
        if multipart {
            args.extend(MULTIPART);
        }
        args.extend([src.as_str(), dst.as_str()]);
        let r = via.s3cp(&args).await;
        assert_eq!(r.code, 0, "{r}");
        let op = if multipart {
            "CompleteMultipartUpload"
        } else {
            "CopyObject"
        };
        let write = sent(op, &name);
        assert_eq!(write.len(), 1, "{name}");
        assert_eq!(write[0].header("if-none-match"), Some("*"), "{name}");
        assert!(write[0].header("x-amz-copy-source-if-none-match").is_none());
    }

    // moto honours If-None-Match on Complete: an existing destination stays.
    let existing = format!("{p}existing");
    put(&client, DST_BUCKET, &existing, b"keep me".to_vec()).await;
    let dst = format!("s3://{DST_BUCKET}/{existing}");
    let mut args = vec!["--if-none-match", "*"];
    args.extend(MULTIPART);
    args.extend([src.as_str(), dst.as_str()]);
    let r = m.s3cp(&args).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("already exists"), "{r}");
    assert_eq!(
        digest(&client, DST_BUCKET, &existing).await,
        format!("{:x}", <md5::Md5 as md5::Digest>::digest(b"keep me"))
    );
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());

    // The source conditions under aws-cli's names.
    let name = "source-conditions";
    let dst = format!("s3://{DST_BUCKET}/{p}{name}");
    let r = via
        .s3cp(&[
            "--copy-source-if-match",
            &src_etag,
            "--copy-source-if-none-match",
            "\"0000\"",
            "--copy-source-if-unmodified-since",
            "2100-01-01T00:00:00Z",
            &src,
            &dst,
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let copy = sent("CopyObject", name);
    assert_eq!(copy.len(), 1);
    let c = &copy[0];
    assert_eq!(
        c.header("x-amz-copy-source-if-match"),
        Some(src_etag.as_str())
    );
    assert_eq!(
        c.header("x-amz-copy-source-if-none-match"),
        Some("\"0000\"")
    );
    assert!(c.header("x-amz-copy-source-if-unmodified-since").is_some());
    assert!(c.header("if-match").is_none() && c.header("if-none-match").is_none());
}

/// A destination that is not the version `--if-match` names fails the copy
/// (S3 answers 412; moto does not enforce If-Match, so the proxy answers as
/// S3 would) with a message that says which condition did not hold.
#[tokio::test]
async fn a_failed_if_match_says_the_destination_changed() {
    let m = moto().await;
    let client = m.client();
    let p = unique("if-match-fails");
    put_random_source(&client, &format!("{p}src"), 12 * MIB).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    let failed = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed\
                  </Code><Message>At least one of the pre-conditions you specified did not \
                  hold</Message><RequestId>R412</RequestId></Error>";
    for (multipart, op) in [(false, "CopyObject"), (true, "CompleteMultipartUpload")] {
        let proxy = Proxy::start(&m.endpoint).await;
        proxy.answer(op, 412, failed);
        let dst = format!("s3://{DST_BUCKET}/{p}dst-{multipart}");
        let mut args = vec!["--if-match", "\"0123\""];
        if multipart {
            args.extend(MULTIPART);
        }
        args.extend([src.as_str(), dst.as_str()]);
        let r = m.via(&proxy).s3cp(&args).await;
        assert_eq!(r.code, 1, "{r}");
        assert!(
            r.stderr
                .contains("is not the version with ETag \"0123\" (--if-match)"),
            "{r}"
        );
        assert!(!r.stderr.contains("--copy-source-if"), "{r}");
        assert!(!exists(&client, DST_BUCKET, &format!("{p}dst-{multipart}")).await);
    }
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

/// Sets a request's key after the SDK's endpoint check, which refuses a key
/// made only of whitespace (aws-sdk-rust#1216): the tests' own way to put
/// and read such objects, independent of s3cp's.
#[derive(Debug)]
struct RawKey(String);

impl aws_sdk_s3::config::Intercept for RawKey {
    fn name(&self) -> &'static str {
        "RawKey"
    }

    fn modify_before_serialization(
        &self,
        context: &mut aws_sdk_s3::config::interceptors::BeforeSerializationInterceptorContextMut<
            '_,
        >,
        _components: &aws_sdk_s3::config::RuntimeComponents,
        _cfg: &mut aws_sdk_s3::config::ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        use aws_sdk_s3::operation::create_multipart_upload::CreateMultipartUploadInput;
        use aws_sdk_s3::operation::get_object::GetObjectInput;
        use aws_sdk_s3::operation::put_object::PutObjectInput;
        let input = context.input_mut();
        if let Some(put) = input.downcast_mut::<PutObjectInput>() {
            put.key = Some(self.0.clone());
        } else if let Some(get) = input.downcast_mut::<GetObjectInput>() {
            get.key = Some(self.0.clone());
        } else if let Some(create) = input.downcast_mut::<CreateMultipartUploadInput>() {
            create.key = Some(self.0.clone());
        } else {
            return Err("RawKey: not a PutObject, GetObject or CreateMultipartUpload".into());
        }
        Ok(())
    }
}

/// Hex MD5 of an object whose key is only whitespace.
async fn raw_digest(client: &aws_sdk_s3::Client, bucket: &str, key: &str) -> String {
    let out = client
        .get_object()
        .bucket(bucket)
        .key("placeholder")
        .customize()
        .interceptor(RawKey(key.to_owned()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("get {bucket}/{key:?}: {e:?}"));
    let body = out.body.collect().await.expect("read body").into_bytes();
    format!("{:x}", <md5::Md5 as md5::Digest>::digest(&body))
}

/// S3 and boto3 handle a key made only of spaces (the Ceph s3-tests copy
/// suite uses `' '`); the SDK refuses one before sending anything. s3cp
/// copies such keys, taken literally like any other, on both paths. A bucket
/// of its own per run: the keys cannot carry a unique prefix.
#[tokio::test]
async fn keys_made_only_of_spaces_are_copied_on_both_paths() {
    let m = moto().await;
    let client = m.client();
    let bucket = format!(
        "s3cp-spaces-{:016x}",
        rand::RngCore::next_u64(&mut rand::rng())
    );
    create_bucket(&m, &bucket, false).await;
    let data = random_bytes(12 * MIB as usize);
    let want = format!("{:x}", <md5::Md5 as md5::Digest>::digest(&data));
    let src_key = " ";
    client
        .put_object()
        .bucket(&bucket)
        .key("placeholder")
        .body(data.into())
        .customize()
        .interceptor(RawKey(src_key.to_owned()))
        .send()
        .await
        .expect("put a key of one space");
    assert_eq!(raw_digest(&client, &bucket, src_key).await, want);
    let src = format!("s3://{bucket}/{src_key}");
    for (dst_key, multipart) in [("  ", false), ("   ", true)] {
        let dst = format!("s3://{bucket}/{dst_key}");
        let mut args = vec!["--json"];
        if multipart {
            args.extend(MULTIPART);
        }
        args.extend([src.as_str(), dst.as_str()]);
        let r = m.s3cp(&args).await.json_ok();
        assert_eq!(r["dst"], dst, "{r}");
        assert_eq!(r["method"], if multipart { "multipart" } else { "single" });
        assert_eq!(raw_digest(&client, &bucket, dst_key).await, want);
    }
    let listed: Vec<String> = client
        .list_objects_v2()
        .bucket(&bucket)
        .send()
        .await
        .expect("list")
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect();
    assert_eq!(listed, [" ", "  ", "   "], "no other key was written");
    assert!(uploads(&client, &bucket, "").await.is_empty());

    // `s3cp uploads abort` cleans up an upload to such a key too.
    client
        .create_multipart_upload()
        .bucket(&bucket)
        .key("placeholder")
        .customize()
        .interceptor(RawKey("    ".to_owned()))
        .send()
        .await
        .expect("start an upload to a key of four spaces");
    assert_eq!(uploads(&client, &bucket, "").await.len(), 1);
    let r = m
        .s3cp(&["uploads", "abort", &format!("s3://{bucket}"), "--all"])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("1 aborted, 0 failed"), "{r}");
    assert!(uploads(&client, &bucket, "").await.is_empty());

    // The bucket is this run's own: remove it. DeleteObjects names the keys
    // in its body, which the SDK's check of a key does not see.
    let objects = listed
        .iter()
        .map(|key| {
            aws_sdk_s3::types::ObjectIdentifier::builder()
                .key(key)
                .build()
                .expect("a key")
        })
        .collect();
    let deleted = client
        .delete_objects()
        .bucket(&bucket)
        .delete(
            aws_sdk_s3::types::Delete::builder()
                .set_objects(Some(objects))
                .build()
                .expect("the keys"),
        )
        .send()
        .await
        .expect("delete the keys of spaces");
    assert!(deleted.errors().is_empty(), "{:?}", deleted.errors());
    client
        .delete_bucket()
        .bucket(&bucket)
        .send()
        .await
        .unwrap_or_else(|e| panic!("delete bucket {bucket}: {e:?}"));
}
