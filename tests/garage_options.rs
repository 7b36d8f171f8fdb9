//! Options that Garage enforces: SSE-C (including re-keying from one key to
//! another) and the source conditions, each on both paths; and `--dry-run`.

mod support;

use aws_sdk_s3::Client;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use md5::{Digest, Md5};
use support::proxy::Proxy;
use support::*;

const MULTIPART: [&str; 4] = ["--multipart-threshold", "5MiB", "--part-size", "5MiB"];

struct Key {
    raw: [u8; 32],
}

impl Key {
    fn new(byte: u8) -> Self {
        Key { raw: [byte; 32] }
    }
    fn b64(&self) -> String {
        BASE64.encode(self.raw)
    }
    fn md5(&self) -> String {
        BASE64.encode(Md5::digest(self.raw))
    }
    /// Writes the raw key to a file, as `--sse-c-key-file` takes it.
    fn file(&self, dir: &tempfile::TempDir, name: &str) -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, self.raw).unwrap();
        path.display().to_string()
    }
}

async fn put_encrypted(client: &Client, key: &str, data: Vec<u8>, k: &Key) {
    client
        .put_object()
        .bucket(SRC_BUCKET)
        .key(key)
        .body(data.into())
        .sse_customer_algorithm("AES256")
        .sse_customer_key(k.b64())
        .sse_customer_key_md5(k.md5())
        .send()
        .await
        .expect("put SSE-C object");
}

/// MD5 of an object read with an SSE-C key (or none).
async fn read_with(
    client: &Client,
    bucket: &str,
    key: &str,
    k: Option<&Key>,
) -> Result<String, u16> {
    let mut req = client.get_object().bucket(bucket).key(key);
    if let Some(k) = k {
        req = req
            .sse_customer_algorithm("AES256")
            .sse_customer_key(k.b64())
            .sse_customer_key_md5(k.md5());
    }
    match req.send().await {
        Ok(o) => {
            let body = o.body.collect().await.unwrap().into_bytes();
            Ok(format!("{:x}", Md5::digest(&body)))
        }
        Err(e) => Err(e.raw_response().map_or(0, |r| r.status().as_u16())),
    }
}

#[tokio::test]
async fn sse_c_encrypt_rekey_and_decrypt_on_both_paths() {
    let g = garage().await;
    let client = g.client();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (Key::new(0xa1), Key::new(0xb2));
    let a_file = a.file(&dir, "a.key");
    let p = unique("sse-c");
    let data = random_bytes(11 * MIB as usize);
    let want = format!("{:x}", Md5::digest(&data));
    put(&client, SRC_BUCKET, &format!("{p}plain"), data.clone()).await;
    put_encrypted(&client, &format!("{p}under-a"), data, &a).await;

    for multipart in [false, true] {
        let m = if multipart { "multi" } else { "single" };
        let extra: &[&str] = if multipart { &MULTIPART } else { &[] };

        // Plain -> encrypted with A (key from a file).
        let dst = format!("{p}enc-{m}");
        let mut args = vec!["--json", "--sse-c", "AES256", "--sse-c-key-file", &a_file];
        args.extend(extra);
        let (s, d) = (
            format!("s3://{SRC_BUCKET}/{p}plain"),
            format!("s3://{DST_BUCKET}/{dst}"),
        );
        args.extend([s.as_str(), d.as_str()]);
        let r = g.s3cp(&args).await.json_ok();
        assert_eq!(r["encryption"], "SSE-C AES256");
        assert_eq!(
            read_with(&client, DST_BUCKET, &dst, Some(&a)).await,
            Ok(want.clone()),
            "{m}"
        );
        assert!(
            read_with(&client, DST_BUCKET, &dst, None).await.is_err(),
            "{m}: readable without key"
        );

        // A -> B: re-keying, the new key from the environment (base64).
        let dst = format!("{p}rekeyed-{m}");
        let mut args = vec![
            "--sse-c-copy-source",
            "AES256",
            "--sse-c-copy-source-key-file",
            &a_file,
            "--sse-c",
            "AES256",
        ];
        args.extend(extra);
        let (s, d) = (
            format!("s3://{SRC_BUCKET}/{p}under-a"),
            format!("s3://{DST_BUCKET}/{dst}"),
        );
        args.extend([s.as_str(), d.as_str()]);
        let r = g.s3cp_with(&args, &[("S3CP_SSE_C_KEY", &b.b64())]).await;
        assert_eq!(r.code, 0, "{m}: {r}");
        assert_eq!(
            read_with(&client, DST_BUCKET, &dst, Some(&b)).await,
            Ok(want.clone()),
            "{m}"
        );
        assert!(
            read_with(&client, DST_BUCKET, &dst, Some(&a))
                .await
                .is_err(),
            "{m}: old key works"
        );

        // A -> plain.
        let dst = format!("{p}decrypted-{m}");
        let mut args = vec![
            "--sse-c-copy-source",
            "AES256",
            "--sse-c-copy-source-key-file",
            &a_file,
        ];
        args.extend(extra);
        let d = format!("s3://{DST_BUCKET}/{dst}");
        args.extend([s.as_str(), d.as_str()]);
        let r = g.s3cp(&args).await;
        assert_eq!(r.code, 0, "{m}: {r}");
        assert_eq!(
            read_with(&client, DST_BUCKET, &dst, None).await,
            Ok(want.clone()),
            "{m}"
        );
    }

    // Without the source key, the HEAD fails and the message says why.
    let r = g
        .s3cp(&[
            &format!("s3://{SRC_BUCKET}/{p}under-a"),
            &format!("s3://{DST_BUCKET}/{p}nokey"),
        ])
        .await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("--sse-c-copy-source AES256"), "{r}");
}

#[tokio::test]
async fn sse_c_keys_never_appear_in_any_output() {
    let g = garage().await;
    let client = g.client();
    let dir = tempfile::tempdir().unwrap();
    let a = Key::new(0x5a);
    let a_file = a.file(&dir, "a.key");
    let p = unique("secrets");
    put_random_source(&client, &format!("{p}src"), 6 * MIB).await;
    let (s, d) = (
        format!("s3://{SRC_BUCKET}/{p}src"),
        format!("s3://{DST_BUCKET}/{p}dst"),
    );
    // -vvv, --json, and RUST_LOG=trace (aws-sigv4 logs whole signed
    // requests at TRACE), with a session token in the environment too.
    type Run<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let runs: [Run<'_>; 3] = [
        (&["-vvv"], &[]),
        (&["--json", "-vvv"], &[]),
        (&[], &[("RUST_LOG", "trace")]),
    ];
    let token = "s3cp-test-session-token-SECRET";
    for (flags, env) in runs {
        let mut args = flags.to_vec();
        args.extend(["--sse-c", "AES256", "--sse-c-key-file", &a_file]);
        args.extend(MULTIPART);
        args.extend([s.as_str(), d.as_str()]);
        let r = g.s3cp_with(&args, env).await;
        assert_eq!(r.code, 0, "{r}");
        let mut env = env.to_vec();
        env.push(("AWS_SESSION_TOKEN", token));
        // Garage may refuse the made-up token; the output must not show it.
        let r2 = g.s3cp_with(&args, &env).await;
        let all = format!("{}{}{}{}", r.stdout, r.stderr, r2.stdout, r2.stderr);
        assert!(
            all.lines().count() > 20,
            "{flags:?} {env:?}: little output to check"
        );
        for secret in [a.b64(), g.secret_key.clone(), token.to_owned()] {
            assert!(
                !all.contains(&secret),
                "a secret leaked with {flags:?} {env:?}"
            );
        }
    }
}

/// The source conditions, under aws-cli's names (`--copy-source-if-*`).
#[tokio::test]
async fn source_conditions_on_both_paths() {
    let g = garage().await;
    let client = g.client();
    let p = unique("conditions");
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    let head = client
        .head_object()
        .bucket(SRC_BUCKET)
        .key(format!("{p}src"))
        .send()
        .await
        .unwrap();
    let etag = head.e_tag().unwrap().to_owned();
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    let (past, future) = ("2001-01-01T00:00:00Z", "2099-01-01T00:00:00Z");
    // (flags, copies?)
    let cases: Vec<(Vec<&str>, bool)> = vec![
        (vec!["--copy-source-if-match", &etag], true),
        (vec!["--copy-source-if-match", "\"0000\""], false),
        (vec!["--copy-source-if-none-match", &etag], false),
        (vec!["--copy-source-if-none-match", "\"0000\""], true),
        (vec!["--copy-source-if-modified-since", past], true),
        (vec!["--copy-source-if-modified-since", future], false),
        (vec!["--copy-source-if-unmodified-since", future], true),
        (vec!["--copy-source-if-unmodified-since", past], false),
        // S3 ignores a failing if-unmodified-since when if-match holds: so
        // must the multipart path, whose parts all carry if-match.
        (
            vec![
                "--copy-source-if-match",
                &etag,
                "--copy-source-if-unmodified-since",
                past,
            ],
            true,
        ),
        (
            vec![
                "--copy-source-if-none-match",
                "\"0000\"",
                "--copy-source-if-modified-since",
                future,
            ],
            true,
        ),
    ];
    for multipart in [false, true] {
        for (i, (flags, copies)) in cases.iter().enumerate() {
            let key = format!("{p}dst-{multipart}-{i}");
            let dst = format!("s3://{DST_BUCKET}/{key}");
            let mut args = flags.clone();
            if multipart {
                args.extend(MULTIPART);
            }
            args.extend([src.as_str(), dst.as_str()]);
            let r = g.s3cp(&args).await;
            if *copies {
                assert_eq!(r.code, 0, "{flags:?} multipart {multipart}: {r}");
                assert!(exists(&client, DST_BUCKET, &key).await);
            } else {
                assert_eq!(r.code, 1, "{flags:?} multipart {multipart}: {r}");
                assert!(r.stderr.contains("precondition failed"), "{flags:?}: {r}");
                assert!(r.stderr.contains("(--copy-source-if-"), "{flags:?}: {r}");
                assert!(
                    !exists(&client, DST_BUCKET, &key).await,
                    "{flags:?}: written"
                );
            }
        }
    }
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

#[tokio::test]
async fn dry_run_sends_no_write() {
    let g = garage().await;
    let client = g.client();
    let proxy = Proxy::start(&g.endpoint).await;
    let p = unique("dry-run");
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    let (s, d) = (
        format!("s3://{SRC_BUCKET}/{p}src"),
        format!("s3://{DST_BUCKET}/{p}dst"),
    );
    let mut args = vec![
        "--dryrun",
        "--storage-class",
        "STANDARD_IA",
        "--acl",
        "bucket-owner-full-control",
    ];
    args.extend(MULTIPART);
    args.extend([s.as_str(), d.as_str()]);
    let r = g.via(&proxy).s3cp(&args).await;
    assert_eq!(r.code, 0, "{r}");
    let line = r.stdout.trim_end();
    assert!(
        line.starts_with(&format!(
            "would copy {s} -> {d} (11 MiB, multipart, 3 parts of 5 MiB, 7 requests)"
        )),
        "{line}"
    );
    assert!(line.contains("ACL bucket-owner-full-control"), "{line}");
    assert!(line.contains("storage class STANDARD_IA"), "{line}");

    let r = g.via(&proxy).s3cp(&["--dry-run", "--json", &s, &d]).await;
    let v = r.json_ok();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["method"], "single");
    let ops: Vec<&str> = proxy.requests().iter().map(|r| r.operation()).collect();
    assert_eq!(ops, ["HeadObject", "HeadObject"], "only reads were sent");
    assert!(!exists(&client, DST_BUCKET, &format!("{p}dst")).await);
}
