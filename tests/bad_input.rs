//! Bad input, one table: every case gets a message that names the fix, its
//! documented exit code, and writes nothing. Edge cases that are not errors
//! sit beside them. (Delete markers and unrestored archive objects need
//! moto: tests/options.rs.)

mod support;

use support::*;

/// (name, arguments with SRC/DST placeholders, extra env, exit, message).
type Case = (
    &'static str,
    Vec<String>,
    Vec<(&'static str, String)>,
    i32,
    &'static str,
);

#[tokio::test]
async fn every_bad_input_is_refused_with_the_fix_and_writes_nothing() {
    let g = garage().await;
    let client = g.client();
    let p = unique("bad-input");
    put(&client, SRC_BUCKET, &format!("{p}src"), random_bytes(1000)).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src");
    let dst = format!("s3://{DST_BUCKET}/{p}dst");
    let state = tempfile::tempdir().unwrap();
    // An SSO profile never logged in: its provider fails (no token in the
    // cache under this HOME), which is not "no credentials found".
    let sso_config = state.path().join("sso-config");
    std::fs::write(
        &sso_config,
        "[profile sso]\nsso_session = s\nsso_account_id = 123456789012\n\
         sso_role_name = reader\nregion = us-east-1\n\
         [sso-session s]\nsso_region = us-east-1\n\
         sso_start_url = https://example.awsapps.com/start\n",
    )
    .unwrap();
    let s = |v: &[&str]| -> Vec<String> { v.iter().map(|x| x.to_string()).collect() };
    let long_key = format!("s3://{SRC_BUCKET}/{}", "k".repeat(1025));
    let cases: Vec<Case> = vec![
        (
            "not an S3 URI",
            s(&["bucket/key", &dst]),
            vec![],
            2,
            "is not an S3 URI: write it as s3://BUCKET/KEY",
        ),
        (
            "no bucket",
            s(&["s3:///key", &dst]),
            vec![],
            2,
            "has no bucket name",
        ),
        (
            "no key",
            s(&[&format!("s3://{SRC_BUCKET}"), &dst]),
            vec![],
            2,
            "has no object key",
        ),
        (
            "key over 1,024 bytes",
            s(&[&long_key, &dst]),
            vec![],
            2,
            "S3 keys are at most 1024 bytes",
        ),
        (
            "empty version id",
            s(&[&format!("{src}?versionId="), &dst]),
            vec![],
            2,
            "give ?versionId=ID or leave it out",
        ),
        (
            "version on the destination",
            s(&[&src, &format!("{dst}?versionId=v1")]),
            vec![],
            2,
            "a destination cannot name a version",
        ),
        (
            "missing DST",
            s(&[&src]),
            vec![],
            2,
            "required arguments were not provided",
        ),
        (
            "threshold above 5 GiB",
            s(&["--multipart-threshold", "6GiB", &src, &dst]),
            vec![],
            2,
            "give 5GiB or less",
        ),
        (
            "part size below 5 MiB",
            s(&["--part-size", "1MiB", &src, &dst]),
            vec![],
            2,
            "give 5MiB or more",
        ),
        (
            "part size above 5 GiB",
            s(&["--part-size", "6GiB", &src, &dst]),
            vec![],
            2,
            "give 5GiB or less",
        ),
        (
            "size that is not a size",
            s(&["--part-size", "big", &src, &dst]),
            vec![],
            2,
            "write a size such as 8MiB",
        ),
        (
            "part size neither a size nor 'source'",
            s(&["--part-size", "sauce", &src, &dst]),
            vec![],
            2,
            "or 'source' for the source's own parts",
        ),
        (
            "--verify with a SHA checksum",
            s(&["--verify", "--checksum-algorithm", "SHA256", &src, &dst]),
            vec![],
            2,
            "give --checksum-algorithm CRC64NVME, CRC32 or CRC32C, or leave it out",
        ),
        (
            "zero concurrency",
            s(&["--concurrency", "0", &src, &dst]),
            vec![],
            2,
            "0 is not in 1..=1024",
        ),
        (
            "copy onto itself, no change",
            s(&[&src, &src]),
            vec![],
            2,
            "change something (--metadata-directive REPLACE",
        ),
        (
            "--no-overwrite onto itself",
            s(&["--no-overwrite", "--storage-class", "STANDARD", &src, &src]),
            vec![],
            2,
            "the destination always exists",
        ),
        (
            "COPY directive with metadata",
            s(&[
                "--metadata-directive",
                "COPY",
                "--metadata",
                "a=1",
                &src,
                &dst,
            ]),
            vec![],
            2,
            "use --metadata-directive REPLACE",
        ),
        (
            "COPY tagging with tags",
            s(&[
                "--tagging-directive",
                "COPY",
                "--tagging",
                "a=1",
                &src,
                &dst,
            ]),
            vec![],
            2,
            "use --tagging-directive REPLACE",
        ),
        (
            "tags in aws s3api's JSON form",
            s(&[
                "--tagging",
                r#"{"TagSet":[{"Key":"a","Value":"1"}]}"#,
                &src,
                &dst,
            ]),
            vec![],
            2,
            "which S3 does not allow in tags: it takes at most 10 tags as \
             'key=value&key2=value2' (URL-encoded, as aws-cli's --tagging)",
        ),
        (
            "tags separated by commas",
            s(&["--tagging", "a=1,b=2", &src, &dst]),
            vec![],
            2,
            "the value of 'a' ('1,b=2') has ','",
        ),
        (
            "eleven tags",
            s(&[
                "--tagging",
                "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11",
                &src,
                &dst,
            ]),
            vec![],
            2,
            "11 tags, and S3 takes at most 10",
        ),
        (
            "a tag under aws:",
            s(&["--tagging", "aws:team=data", &src, &dst]),
            vec![],
            2,
            "the key 'aws:team' starts with 'aws:'",
        ),
        (
            "a tag key twice",
            s(&["--tagging", "team=a&team=b", &src, &dst]),
            vec![],
            2,
            "the key 'team' is given twice",
        ),
        (
            "a tag key too long",
            s(&["--tagging", &format!("{}=v", "k".repeat(129)), &src, &dst]),
            vec![],
            2,
            "is longer than 128 characters",
        ),
        (
            "a mistyped flag",
            s(&["--tagging-directiv", "COPY", &src, &dst]),
            vec![],
            2,
            "tip: did you mean --tagging-directive?",
        ),
        (
            "the start of a flag",
            s(&["--storag", "STANDARD", &src, &dst]),
            vec![],
            2,
            "tip: did you mean --storage-class?",
        ),
        (
            "a flag like none",
            s(&["--zzzq", &src, &dst]),
            vec![],
            2,
            "tip: s3cp has no flag like '--zzzq': s3cp --help lists them all",
        ),
        (
            "a mistyped flag of uploads list",
            s(&["uploads", "list", "--prefx", &dst]),
            vec![],
            2,
            "s3cp uploads list --help lists them all",
        ),
        (
            "canned ACL and grants",
            s(&["--acl", "private", "--grant-read", "id=x", &src, &dst]),
            vec![],
            2,
            "give one or the other",
        ),
        (
            "unknown storage class",
            s(&["--storage-class", "FROZEN", &src, &dst]),
            vec![],
            2,
            "[possible values:",
        ),
        (
            "SSE-C key of the wrong length",
            s(&["--sse-c", "AES256", "--sse-c-key", "too-short", &src, &dst]),
            vec![],
            2,
            "exactly 32 bytes",
        ),
        (
            "SSE-C key not base64",
            s(&["--sse-c", "AES256", &src, &dst]),
            vec![("S3CP_SSE_C_KEY", "not base64!".into())],
            2,
            "S3CP_SSE_C_KEY is not base64",
        ),
        (
            "SSE-C without a key",
            s(&["--sse-c-copy-source", "AES256", &src, &dst]),
            vec![],
            2,
            "--sse-c-copy-source needs a key",
        ),
        (
            "SSE-C key file missing",
            s(&[
                "--sse-c",
                "AES256",
                "--sse-c-key-file",
                "/nonexistent/key",
                &src,
                &dst,
            ]),
            vec![],
            2,
            "cannot read the --sse-c key file",
        ),
        (
            "SSE-S3 and SSE-C together",
            s(&[
                "--sse",
                "AES256",
                "--sse-c",
                "AES256",
                "--sse-c-key",
                "0123456789abcdef0123456789abcdef",
                &src,
                &dst,
            ]),
            vec![],
            2,
            "--sse and --sse-c cannot be combined",
        ),
        (
            "KMS key without aws:kms",
            s(&["--sse-kms-key-id", "k", &src, &dst]),
            vec![],
            2,
            "need --sse aws:kms",
        ),
        (
            "a date that is not a date",
            s(&["--copy-source-if-unmodified-since", "last week", &src, &dst]),
            vec![],
            2,
            "write RFC 3339",
        ),
        (
            "a source condition under its old name",
            s(&["--if-modified-since", "2020-01-01T00:00:00Z", &src, &dst]),
            vec![],
            2,
            "--if-modified-since is now --copy-source-if-modified-since",
        ),
        (
            "--if-none-match with an ETag",
            s(&["--if-none-match", "\"abc\"", &src, &dst]),
            vec![],
            2,
            "use --copy-source-if-none-match \"abc\"",
        ),
        (
            "--if-match with --no-overwrite",
            s(&["--if-match", "\"abc\"", "--no-overwrite", &src, &dst]),
            vec![],
            2,
            "cannot be used with",
        ),
        (
            "--if-match in a bulk run",
            s(&["-r", "--if-match", "\"abc\"", &src, &dst]),
            vec![],
            2,
            "cannot be used with",
        ),
        (
            "part size below 5 MiB, as typed",
            s(&["--part-size", "1MiB", &src, &dst]),
            vec![],
            2,
            "--part-size 1MiB is below S3's minimum part size",
        ),
        (
            "part size above 5 GiB, as typed",
            s(&["--part-size", "5.5GiB", &src, &dst]),
            vec![],
            2,
            "--part-size 5.5GiB is above S3's maximum part size",
        ),
        (
            "threshold above 5 GiB, as typed",
            s(&["--multipart-threshold", "6GiB", &src, &dst]),
            vec![],
            2,
            "--multipart-threshold 6GiB is above 5 GiB",
        ),
        (
            "shard out of range",
            s(&["-r", "--shard", "4/3", &src, &dst]),
            vec![],
            2,
            "1 <= I <= N",
        ),
        (
            "--jobs on a single copy",
            s(&["--jobs", "8", &src, &dst]),
            vec![],
            2,
            "--jobs applies to a bulk run (--recursive or --from-file)",
        ),
        (
            "--fail-fast on a single copy",
            s(&["--fail-fast", &src, &dst]),
            vec![],
            2,
            "leave --fail-fast out, or add --recursive",
        ),
        (
            "--shard on a single copy",
            s(&["--shard", "1/2", &src, &dst]),
            vec![],
            2,
            "a single copy has nothing to split: leave --shard out",
        ),
        (
            "--require-objects on a single copy",
            s(&["--require-objects", &src, &dst]),
            vec![],
            2,
            "leave --require-objects out, or add --recursive",
        ),
        (
            "--include without -r",
            s(&["--include", "*.txt", &src, &dst]),
            vec![],
            2,
            "--recursive",
        ),
        (
            "invalid glob",
            s(&["-r", "--include", "a[", &src, &dst]),
            vec![],
            2,
            "is not a valid glob",
        ),
        (
            "-r with a version id",
            s(&["-r", &format!("{src}?versionId=v1"), &dst]),
            vec![],
            2,
            "cannot name a version",
        ),
        (
            "missing manifest",
            s(&["--from-file", "/nonexistent/list"]),
            vec![],
            2,
            "cannot open the manifest",
        ),
        (
            "nothing to resume",
            s(&["--resume", &src, &dst]),
            vec![("S3CP_STATE_DIR", state.path().display().to_string())],
            2,
            "copy it without --resume",
        ),
        (
            "bad --older-than",
            s(&["uploads", "abort", &dst, "--older-than", "a while"]),
            vec![],
            2,
            "write a duration such as 30m",
        ),
        (
            "missing source",
            s(&[&format!("{src}-nope"), &dst]),
            vec![],
            1,
            "does not exist",
        ),
        (
            "a prefix as the source, without -r",
            s(&[&format!("{src}-dir/"), &dst]),
            vec![],
            1,
            "to copy the objects under this prefix, give --recursive (-r)",
        ),
        (
            "missing destination bucket",
            s(&[&src, "s3://s3cp-no-such-bucket/x"]),
            vec![],
            1,
            "s3cp: error: the destination bucket s3cp-no-such-bucket does not exist: check its \
             name",
        ),
        (
            "missing source bucket",
            s(&["s3://s3cp-no-such-bucket/k", &dst]),
            vec![],
            1,
            "s3cp: error: the source bucket s3cp-no-such-bucket does not exist: check its name",
        ),
        (
            "unknown profile",
            s(&["--profile", "nosuch", &src, &dst]),
            vec![],
            2,
            "s3cp: error: the profile 'nosuch' (--profile) is not in the AWS config files read, \
             ~/.aws/config and ~/.aws/credentials (they define none): check its name",
        ),
        (
            "unknown source profile, AWS_CONFIG_FILE",
            s(&["--source-profile", "theirs", &src, &dst]),
            vec![("AWS_CONFIG_FILE", sso_config.display().to_string())],
            2,
            "(--source-profile) is not in the AWS config files read",
        ),
        (
            "wrong credentials",
            s(&[&src, &dst]),
            vec![("AWS_ACCESS_KEY_ID", "GK000000000000000000000000".into())],
            1,
            "was denied: check the credentials",
        ),
        (
            "missing credentials",
            s(&[&src, &dst]),
            vec![
                ("AWS_ACCESS_KEY_ID", String::new()),
                ("AWS_SECRET_ACCESS_KEY", String::new()),
            ],
            1,
            "s3cp: error: no credentials: none were found",
        ),
        (
            // As on a machine with no AWS_* variables: the SDK's chain
            // ends with the instance metadata service, whose failure is
            // not a role problem.
            "no credentials at all, the instance metadata service asked",
            s(&[&src, &dst]),
            vec![
                ("AWS_ACCESS_KEY_ID", String::new()),
                ("AWS_SECRET_ACCESS_KEY", String::new()),
                ("AWS_EC2_METADATA_DISABLED", String::new()),
            ],
            1,
            "s3cp: error: no credentials: none were found",
        ),
        (
            "credentials that cannot be loaded",
            s(&["--profile", "sso", &src, &dst]),
            vec![
                ("AWS_CONFIG_FILE", sso_config.display().to_string()),
                ("HOME", state.path().display().to_string()),
            ],
            1,
            "the AWS credentials could not be loaded",
        ),
        (
            "unreachable endpoint",
            s(&[
                "--endpoint-url",
                "http://127.0.0.1:9",
                "--max-attempts",
                "1",
                &src,
                &dst,
            ]),
            vec![],
            1,
            "cannot reach S3 at http://127.0.0.1:9 to read",
        ),
        (
            "unreachable endpoint of uploads list",
            s(&[
                "--endpoint-url",
                "http://127.0.0.1:9",
                "--max-attempts",
                "1",
                "uploads",
                "list",
                &dst,
            ]),
            vec![],
            1,
            "cannot reach S3 at http://127.0.0.1:9 to list the multipart uploads",
        ),
        (
            "unreachable AWS endpoint",
            s(&["--region", "eu-west-3", "--max-attempts", "1", &src, &dst]),
            vec![],
            1,
            "cannot reach S3 at the AWS S3 endpoint for region eu-west-3 to read",
        ),
        (
            "unreachable endpoint from AWS_ENDPOINT_URL_S3",
            s(&["--max-attempts", "1", &src, &dst]),
            vec![("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9".into())],
            1,
            "cannot reach S3 at http://127.0.0.1:9 to read",
        ),
        (
            "an S3 Object Lambda access point",
            s(&[
                "s3://arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint/olap/k",
                &dst,
            ]),
            vec![],
            2,
            "is not supported: it names an S3 Object Lambda access point",
        ),
        (
            "an S3 on Outposts access point",
            s(&[
                &src,
                "s3://arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01ac5d28a6a232904/accesspoint/ap/k",
            ]),
            vec![],
            2,
            "is not supported: it names an S3 on Outposts bucket or access point",
        ),
        (
            "a malformed access point ARN",
            s(&[
                &src,
                "s3://arn:aws:s3:us-west-2:123456789012:accesspoint:ap/k",
            ]),
            vec![],
            2,
            "write it as s3://arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/KEY",
        ),
        (
            "a --source-region that contradicts the source access point",
            s(&[
                "--source-region",
                "eu-west-1",
                "s3://arn:aws:s3:us-west-2:123456789012:accesspoint/ap/k",
                &dst,
            ]),
            vec![],
            2,
            "--source-region eu-west-1 contradicts the region of the access point",
        ),
        (
            "an access point with --path-style",
            s(&[
                &src,
                "s3://arn:aws:s3:us-west-2:123456789012:accesspoint/ap/k",
            ]),
            vec![],
            2,
            "which --path-style turns off",
        ),
        (
            "--copy-mode server out of a Multi-Region Access Point",
            s(&[
                // No --path-style (refused with an ARN); the endpoint is
                // never reached: refused before any request.
                "--endpoint-url",
                "http://127.0.0.1:9",
                "--max-attempts",
                "1",
                "--copy-mode",
                "server",
                "s3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap/k",
                &dst,
            ]),
            vec![],
            2,
            "which S3 does not take as the source of a server-side copy",
        ),
        (
            "endpoint without a scheme",
            s(&["--endpoint-url", "localhost:9000", &src, &dst]),
            vec![],
            2,
            "write http://localhost:9000 or https://localhost:9000",
        ),
        (
            "endpoint without a host",
            s(&["--endpoint-url", "http://", &src, &dst]),
            vec![],
            2,
            "names no host",
        ),
        (
            "uploads: endpoint without a scheme",
            s(&["--endpoint-url", "localhost:9000", "uploads", "list", &dst]),
            vec![],
            2,
            "write http://localhost:9000 or https://localhost:9000",
        ),
        (
            "nothing to resume, journal under XDG_STATE_HOME",
            s(&["--resume", &src, &dst]),
            vec![("XDG_STATE_HOME", "/nonexistent-state".into())],
            2,
            "no journal at /nonexistent-state/s3cp/",
        ),
        (
            "nothing to resume, journal under ~/.local/state",
            s(&["--resume", &src, &dst]),
            vec![],
            2,
            "s3cp-test-home/.local/state/s3cp/",
        ),
    ];
    assert!(cases.len() >= 25);
    for (name, args, env, code, message) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        // A case that names its own endpoint (or wants none) gets no other.
        let r = if args.first() == Some(&"--endpoint-url") || name.starts_with("unreachable") {
            g.s3cp_env(&args, &env).await
        } else {
            g.s3cp_with(&args, &env).await
        };
        assert_eq!(r.code, *code, "{name}: {r}");
        assert!(r.stderr.contains(message), "{name}: want {message:?}\n{r}");
        assert!(r.stdout.is_empty(), "{name}: {r}");
        // clap's tip for an unknown flag, pass it as a value, is never
        // what was meant.
        assert!(!r.stderr.contains("-- --"), "{name}: {r}");
        assert!(
            !r.stderr.contains("0123456789abcdef0123456789abcdef"),
            "{name}: key echoed"
        );
        assert!(
            !exists(&client, DST_BUCKET, &format!("{p}dst")).await,
            "{name} wrote"
        );
    }
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

#[tokio::test]
async fn edge_cases_that_are_not_errors() {
    let g = garage().await;
    let client = g.client();
    let p = unique("edges");
    // A 0-byte object, even with a 0 threshold, is one CopyObject.
    put(&client, SRC_BUCKET, &format!("{p}empty"), Vec::new()).await;
    let r = g
        .s3cp(&[
            "--json",
            "--multipart-threshold",
            "0",
            &format!("s3://{SRC_BUCKET}/{p}empty"),
            &format!("s3://{DST_BUCKET}/{p}empty"),
        ])
        .await
        .json_ok();
    assert_eq!(
        (r["method"].as_str(), r["size"].as_u64()),
        (Some("single"), Some(0))
    );
    assert_eq!(
        head(&client, DST_BUCKET, &format!("{p}empty")).await.size,
        0
    );
    // Exactly the threshold: one CopyObject; one byte more: parts.
    put_random_source(&client, &format!("{p}exact"), 6 * MIB).await;
    for (threshold, method) in [("6MiB", "single"), ("6291455", "multipart")] {
        let r = g
            .s3cp(&[
                "--json",
                "--multipart-threshold",
                threshold,
                "--part-size",
                "5MiB",
                &format!("s3://{SRC_BUCKET}/{p}exact"),
                &format!("s3://{DST_BUCKET}/{p}exact-{method}"),
            ])
            .await
            .json_ok();
        assert_eq!(r["method"], method, "threshold {threshold}");
        assert_eq!(
            digest(&client, SRC_BUCKET, &format!("{p}exact")).await,
            digest(&client, DST_BUCKET, &format!("{p}exact-{method}")).await
        );
    }
    // A key of nothing but special characters, on both paths.
    let key = format!("{p} !\"#$%&'()*+,:;<=>?@[]^`{{|}}~");
    put_random_source(&client, &key, 6 * MIB).await;
    for extra in [
        &[][..],
        &["--multipart-threshold", "5MiB", "--part-size", "5MiB"][..],
    ] {
        let mut args = vec!["--json"];
        args.extend_from_slice(extra);
        let (s, d) = (
            format!("s3://{SRC_BUCKET}/{key}"),
            format!("s3://{DST_BUCKET}/{key}"),
        );
        args.extend([s.as_str(), d.as_str()]);
        g.s3cp(&args).await.json_ok();
        assert_eq!(
            digest(&client, SRC_BUCKET, &key).await,
            digest(&client, DST_BUCKET, &key).await
        );
    }
}
