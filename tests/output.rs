//! What people read of a run: a bulk run's short lines (the settings said
//! once, skipped objects only under `-v`, `--only-show-errors`), progress
//! off a terminal (a line every `--progress-interval` on stderr, never on
//! stdout) and on one (no ETA while the listing goes on), the note after a
//! `--skip-same` run that could not compare some objects, and the warning
//! before an in-place edit that replaces metadata. Long runs are made long
//! by holding a request at the proxy, not by waiting.

mod support;

use support::proxy::Proxy;
use support::*;

/// Puts each of `keys` under `prefix` in the source bucket, holding its
/// own name.
async fn put_keys(server: &Server, prefix: &str, keys: &[&str]) {
    let client = server.client();
    for k in keys {
        let key = format!("{prefix}{k}");
        put(&client, SRC_BUCKET, &key, key.clone().into_bytes()).await;
    }
}

/// The progress lines in `stderr`.
fn progress_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("s3cp: progress"))
        .collect()
}

#[tokio::test]
async fn a_bulk_run_prints_the_settings_once_and_a_short_line_per_copy() {
    let g = garage().await;
    let p = unique("output-bulk");
    put_keys(&g, &format!("{p}src/"), &["a", "b", "c"]).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src/");
    let dst = format!("s3://{DST_BUCKET}/{p}dst/");
    let r = g.s3cp(&["-r", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    let size = |k: &str| format!("{p}src/{k}").len();
    let mut want = vec![
        "settings for every object: metadata COPY, tags COPY, ACL private (default), \
         encryption bucket default, storage class STANDARD (default)"
            .to_owned(),
    ];
    let mut copies: Vec<&str> = lines[1..lines.len() - 1].to_vec();
    copies.sort();
    want.extend(["a", "b", "c"].iter().map(|k| {
        format!(
            "copied {src}{k} -> {dst}{k} ({} B, single CopyObject)",
            size(k)
        )
    }));
    assert_eq!(
        [&lines[..1], &copies[..]].concat(),
        want.iter().map(String::as_str).collect::<Vec<_>>(),
        "{r}"
    );
    assert!(lines[4].starts_with("summary: 3 copied"), "{r}");

    // A rerun that skips everything: the summary counts them, no line
    // each unless -v; --json keeps every line.
    let r = g.s3cp(&["-r", "--skip-existing", &src, &dst]).await;
    assert_eq!(r.code, 0, "{r}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "the settings and the summary: {r}");
    assert!(
        lines[1].starts_with("summary: 0 copied, 3 skipped, 0 failed"),
        "{r}"
    );
    let r = g.s3cp(&["-r", "-v", "--skip-existing", &src, &dst]).await;
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.starts_with("skipped "))
            .count(),
        3,
        "{r}"
    );
    let r = g
        .s3cp(&["-r", "--json", "--skip-existing", &src, &dst])
        .await;
    let skipped = r
        .json_lines()
        .iter()
        .filter(|l| l["type"] == "copy" && l["status"] == "skipped")
        .count();
    assert_eq!(skipped, 3, "{r}");

    // --only-show-errors: the failure and the summary, nothing else.
    let manifest = format!("{src}a {dst}x\n{src}missing {dst}y\n");
    let r = g
        .s3cp_stdin(&["--from-file", "-", "--only-show-errors"], &manifest)
        .await;
    assert_eq!(r.code, 1, "{r}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{r}");
    assert!(lines[0].starts_with("summary: 1 copied"), "{r}");
    assert!(lines[0].contains("1 failed"), "{r}");
    assert!(r.stderr.contains(&format!("{src}missing")), "{r}");
    assert!(exists(&g.client(), DST_BUCKET, &format!("{p}dst/x")).await);
}

#[tokio::test]
async fn a_long_run_off_a_terminal_prints_progress_lines_on_stderr_only() {
    let g = garage().await;
    let p = unique("output-lines");
    put_keys(&g, &format!("{p}src/"), &["a", "b", "c"]).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src/");
    let dst = format!("s3://{DST_BUCKET}/{p}dst/");

    // The listing held: lines come, and say no ETA while it goes on.
    let proxy = Proxy::start(&g.endpoint).await;
    let listing = proxy.hold("ListObjectsV2", 1);
    let mut child =
        g.via(&proxy)
            .spawn(&["-r", "--json", "--progress-interval", "200ms", &src, &dst]);
    child.before_exit(listing.arrived()).await;
    child
        .wait_for_stderr("objects listed so far (listing)")
        .await;
    listing.release();
    // One copy held once the listing is done: the others finish, and the
    // lines say so with an ETA.
    let proxy = Proxy::start(&g.endpoint).await;
    let copy = proxy.hold("CopyObject", 1);
    let held = g.via(&proxy).spawn(&[
        "-r",
        "--json",
        "--progress-interval",
        "200ms",
        &src,
        &format!("s3://{DST_BUCKET}/{p}dst2/"),
    ]);
    copy.arrived().await;
    held.wait_for_stderr("2 of 3 objects, ").await;
    copy.release();

    for (r, held_at) in [(child.wait().await, "listing"), (held.wait().await, "copy")] {
        assert_eq!(r.code, 0, "{r}");
        let lines = progress_lines(&r.stderr);
        assert!(!lines.is_empty(), "{r}");
        // Only JSON Lines on stdout.
        let json = r.json_lines();
        assert_eq!(json.len(), 4, "{r}");
        assert!(!r.stdout.contains("progress"), "{r}");
        match held_at {
            "listing" => {
                let listing: Vec<&&str> =
                    lines.iter().filter(|l| l.contains("(listing)")).collect();
                assert!(!listing.is_empty(), "{r}");
                assert!(listing.iter().all(|l| !l.contains("ETA")), "{r}");
            }
            _ => {
                let line = lines
                    .iter()
                    .find(|l| l.contains("2 of 3 objects, "))
                    .expect("a line with two objects done");
                assert!(line.contains(" B/s, ETA "), "{line}");
            }
        }
    }
}

#[tokio::test]
async fn a_short_run_or_a_silenced_one_prints_no_progress_line() {
    let g = garage().await;
    let p = unique("output-silent");
    put_keys(&g, &format!("{p}src/"), &["a"]).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src/");
    // Shorter than the default 10 s interval: no line.
    let r = g
        .s3cp(&["-r", &src, &format!("s3://{DST_BUCKET}/{p}short/")])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(progress_lines(&r.stderr).is_empty(), "{r}");

    // Held runs that would print a line every 200 ms, but are silenced;
    // each is held from before a witness run starts until the witness has
    // printed a line a second into its run (five intervals).
    let mut silenced = Vec::new();
    for (i, flag) in ["-q", "--only-show-errors", "--progress=none"]
        .into_iter()
        .enumerate()
    {
        let proxy = Proxy::start(&g.endpoint).await;
        let gate = proxy.hold("CopyObject", 1);
        let dst = format!("s3://{DST_BUCKET}/{p}silent{i}/");
        let child = g
            .via(&proxy)
            .spawn(&["-r", flag, "--progress-interval", "200ms", &src, &dst]);
        gate.arrived().await;
        silenced.push((flag, proxy, gate, child));
    }
    let proxy = Proxy::start(&g.endpoint).await;
    let gate = proxy.hold("CopyObject", 1);
    let witness = g.via(&proxy).spawn(&[
        "-r",
        "--progress-interval",
        "200ms",
        &src,
        &format!("s3://{DST_BUCKET}/{p}witness/"),
    ]);
    gate.arrived().await;
    witness.wait_for_stderr("s3cp: progress after 1s").await;
    gate.release();
    assert_eq!(witness.wait().await.code, 0);
    for (flag, _proxy, gate, child) in silenced {
        gate.release();
        let r = child.wait().await;
        assert_eq!(r.code, 0, "{flag}: {r}");
        assert!(progress_lines(&r.stderr).is_empty(), "{flag}: {r}");
    }
}

#[tokio::test]
async fn one_multipart_copy_off_a_terminal_prints_its_parts() {
    let g = garage().await;
    let client = g.client();
    let p = unique("output-parts");
    put_random_source(&client, &format!("{p}src"), 15 * MIB).await;
    let proxy = Proxy::start(&g.endpoint).await;
    let part = proxy.hold("UploadPartCopy", 3);
    let child = g.via(&proxy).spawn(&[
        "--multipart-threshold",
        "5MiB",
        "--part-size",
        "5MiB",
        "--progress-interval",
        "200ms",
        &format!("s3://{SRC_BUCKET}/{p}src"),
        &format!("s3://{DST_BUCKET}/{p}dst"),
    ]);
    part.arrived().await;
    child
        .wait_for_stderr("2 of 3 parts, 10 MiB of 15 MiB, ")
        .await;
    part.release();
    let r = child.wait().await;
    assert_eq!(r.code, 0, "{r}");
    let line = progress_lines(&r.stderr)
        .into_iter()
        .find(|l| l.contains("2 of 3 parts"))
        .expect("a line")
        .to_owned();
    assert!(line.contains(", ETA "), "{line}");

    // In a bulk run, the parts copied count before the object ends.
    put_random_source(&client, &format!("{p}dir/big"), 15 * MIB).await;
    let proxy = Proxy::start(&g.endpoint).await;
    let part = proxy.hold("UploadPartCopy", 3);
    let child = g.via(&proxy).spawn(&[
        "-r",
        "--multipart-threshold",
        "5MiB",
        "--part-size",
        "5MiB",
        "--progress-interval",
        "200ms",
        &format!("s3://{SRC_BUCKET}/{p}dir/"),
        &format!("s3://{DST_BUCKET}/{p}bulk/"),
    ]);
    part.arrived().await;
    child
        .wait_for_stderr("0 of 1 objects, 10 MiB of 15 MiB, ")
        .await;
    part.release();
    let r = child.wait().await;
    assert_eq!(r.code, 0, "{r}");
}

#[tokio::test]
async fn the_terminal_bar_has_no_eta_while_the_listing_goes_on() {
    let g = garage().await;
    let p = unique("output-bar");
    put_keys(&g, &format!("{p}src/"), &["a"]).await;
    let proxy = Proxy::start(&g.endpoint).await;
    let listing = proxy.hold("ListObjectsV2", 1);
    // `script` gives s3cp a pseudo-terminal and copies what it draws.
    let command = format!(
        "{} --endpoint-url {} --path-style -r s3://{SRC_BUCKET}/{p}src/ s3://{DST_BUCKET}/{p}dst/",
        env!("CARGO_BIN_EXE_s3cp"),
        proxy.endpoint
    );
    let mut script = tokio::process::Command::new("script");
    script
        .args(["-qefc", &command, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("TERM", "xterm")
        .env("AWS_ACCESS_KEY_ID", &g.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &g.secret_key)
        .stdin(std::process::Stdio::null());
    let child = Spawned::start(script, &format!("script -qefc '{command}'"), g.timeout);
    listing.arrived().await;
    child.wait_for_stdout("objects, listing)").await;
    listing.release();
    let out = child.wait().await;
    assert_eq!(out.code, 0, "{out}");
    let screen = &out.stdout;
    let before: &str = &screen[..screen.rfind("objects, listing)").expect("drawn")];
    assert!(!before.contains("ETA"), "an ETA while listing:\n{screen}");
}

#[tokio::test]
async fn a_skip_same_rerun_says_how_many_it_could_not_compare_and_what_helps() {
    let g = garage().await;
    let client = g.client();
    let bare = bare_client(&client);
    let p = unique("output-uncompared");
    let data = random_bytes(11 * MIB as usize);
    // A multipart source without any checksum.
    let parts = vec![
        data[..(6 * MIB as usize)].to_vec(),
        data[(6 * MIB as usize)..].to_vec(),
    ];
    put_multipart(&bare, SRC_BUCKET, &format!("{p}src/big"), parts, None).await;
    let src = format!("s3://{SRC_BUCKET}/{p}src/");
    let dst = format!("s3://{DST_BUCKET}/{p}dst/");
    let lowered = ["--multipart-threshold", "5MiB", "--part-size", "5MiB"];
    let run = |extra: &'static [&'static str]| {
        let args: Vec<&str> = [&["-r", "--skip-same"][..], &lowered, extra, &[&src, &dst]].concat();
        let g = g.clone();
        async move { g.s3cp(&args).await }
    };
    let r = run(&[]).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(!r.stderr.contains("note:"), "nothing to compare yet: {r}");
    // Three parts against the source's two: the ETags differ, and no
    // checksum tells.
    let r = run(&["--json"]).await;
    assert_eq!(r.code, 0, "{r}");
    let copied: Vec<_> = r
        .json_lines()
        .into_iter()
        .filter(|l| l["status"] == "copied")
        .collect();
    assert_eq!(copied.len(), 1, "copied again, as before: {r}");
    let notes: Vec<&str> = r.stderr.lines().filter(|l| l.contains("note:")).collect();
    assert_eq!(notes.len(), 1, "{r}");
    assert!(
        notes[0].starts_with("s3cp: note: 1 object copied again: --skip-same could not tell"),
        "{r}"
    );
    assert!(notes[0].contains("--part-size source"), "{r}");
    // As the note says: once with --part-size source, then it is skipped.
    let r = g
        .s3cp(&["-r", "--skip-same", "--part-size", "source", &src, &dst])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let r = run(&["--json"]).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(!r.stderr.contains("note:"), "{r}");
    let summary = r.json_lines().pop().expect("a summary");
    assert_eq!(summary["skipped"], 1, "{r}");
}

#[tokio::test]
async fn an_in_place_replace_warns_what_it_drops_before_writing() {
    let m = moto().await;
    let client = m.client();
    let p = unique("output-in-place");
    let key = format!("{p}obj");
    client
        .put_object()
        .bucket(SRC_BUCKET)
        .key(&key)
        .body(b"data".to_vec().into())
        .content_type("text/csv")
        .metadata("owner", "ann")
        .metadata("team", "x")
        .storage_class(aws_sdk_s3::types::StorageClass::StandardIa)
        .send()
        .await
        .expect("put");
    let uri = format!("s3://{SRC_BUCKET}/{key}");
    let proxy = Proxy::start(&m.endpoint).await;
    let write = proxy.hold("CopyObject", 1);
    let child = m.via(&proxy).spawn(&[
        "--metadata-directive",
        "REPLACE",
        "--metadata",
        "team=y",
        &uri,
        &uri,
    ]);
    write.arrived().await;
    // Said while the write is held: before it.
    child.wait_for_stderr("--storage-class STANDARD_IA").await;
    write.release();
    let r = child.wait().await;
    assert_eq!(r.code, 0, "{r}");
    for said in [
        "Content-Type text/csv",
        "metadata owner",
        "--metadata-directive MERGE",
        "storage class STANDARD",
    ] {
        assert!(r.stderr.contains(said), "{said}: {r}");
    }
    assert!(!r.stderr.contains("metadata team"), "given again: {r}");

    // The same edit of a prefix (listed objects): said too, once for the
    // run, not for each object.
    client
        .put_object()
        .bucket(SRC_BUCKET)
        .key(format!("{p}other"))
        .body(b"data".to_vec().into())
        .metadata("team", "x")
        .send()
        .await
        .expect("put");
    let r = m
        .s3cp(&[
            "-r",
            "--metadata-directive",
            "REPLACE",
            "--storage-class",
            "STANDARD_IA",
            &format!("s3://{SRC_BUCKET}/{p}"),
            &format!("s3://{SRC_BUCKET}/{p}"),
        ])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.contains("metadata team"), "{r}");
    let warnings = r.stderr.matches("drops what is not given again").count();
    assert_eq!(warnings, 1, "{r}");
    assert!(
        !r.stderr.contains("--storage-class STANDARD_IA"),
        "given: {r}"
    );
}
