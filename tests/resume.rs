//! `--keep-partial` then `--resume`, on both servers: the copy is stopped
//! at a known point (the proxy holds part 2 until the test has pressed
//! Ctrl-C), so what is left and what the resume sends are exact.

mod support;

use std::time::Duration;

use support::proxy::{Fault, Gate, Proxy, When};
use support::*;

/// Three parts (5, 5 and 1 MiB), copied one at a time.
const PARTS: [&str; 6] = [
    "--multipart-threshold",
    "5MiB",
    "--part-size",
    "5MiB",
    "--concurrency",
    "1",
];

/// Runs s3cp against `server` with `env`; it is killed (and the test
/// fails) if it has not finished within `secs` seconds.
async fn run(server: &Server, args: &[&str], env: &[(&str, &str)], secs: u64) -> Run {
    server
        .with_timeout(Duration::from_secs(secs))
        .spawn_env(args, env)
        .wait()
        .await
}

/// Starts a copy of an 11 MiB source with `--keep-partial` and presses
/// Ctrl-C while the proxy holds part 2: part 1 is done, the upload and its
/// journal are kept. Returns the source and destination URIs.
async fn interrupted_copy(
    server: &Server,
    p: &str,
    env: &[(&str, &str)],
) -> (String, String, (Proxy, Gate)) {
    let client = server.client();
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    let (src, dst) = (
        format!("s3://{SRC_BUCKET}/{p}src"),
        format!("s3://{DST_BUCKET}/{p}dst"),
    );
    let proxy = Proxy::start(&server.endpoint).await;
    let part2 = proxy.hold("UploadPartCopy", 2);
    let mut args = vec!["--keep-partial"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let child = server
        .via(&proxy)
        .with_timeout(Duration::from_secs(60))
        .spawn_env(&args, env);
    // Part 2 has arrived (and is held): part 1 was answered before it left.
    part2.arrived().await;
    interrupt(&child);
    let r = child.wait().await;
    assert_eq!(r.code, 130, "{r}");
    assert!(r.stderr.contains("kept"), "{r}");
    // The hint is the whole command, to be run again as it is.
    let hint = r
        .stderr
        .split("sending only the parts it lacks: ")
        .nth(1)
        .and_then(|rest| rest.split("; or remove it").next())
        .unwrap_or_else(|| panic!("no command to run again: {r}"));
    let (program, given) = hint.split_once(' ').expect("a program and its arguments");
    assert!(program.ends_with("s3cp"), "{hint}");
    assert_eq!(
        given,
        format!(
            "--endpoint-url {} --path-style {}",
            proxy.endpoint,
            args.join(" ")
        ),
        "{r}"
    );
    let kept = uploads(&client, DST_BUCKET, p).await;
    assert_eq!(kept.len(), 1, "the upload is kept");
    // The hint removes that upload, not every upload under the key as a
    // prefix.
    let id = kept[0].rsplit(' ').next().unwrap();
    assert!(
        r.stderr
            .contains(&format!("s3cp uploads abort {dst} --upload-id {id}")),
        "{r}"
    );
    // The proxy and its hold of part 2 go back to the test: dropped, either
    // would let the held part 2 go to the store.
    (src, dst, (proxy, part2))
}

/// The copy of `{p}src` to `{p}dst` is done: the same bytes, no upload
/// left, and neither journal nor lock.
async fn assert_finished(client: &aws_sdk_s3::Client, p: &str, state: &tempfile::TempDir) {
    assert_eq!(
        digest(client, SRC_BUCKET, &format!("{p}src")).await,
        digest(client, DST_BUCKET, &format!("{p}dst")).await
    );
    assert!(uploads(client, DST_BUCKET, p).await.is_empty());
    assert!(state_files(state).is_empty(), "{:?}", state_files(state));
}

/// The first run's proxy, as new, for a rerun: the same endpoint (which
/// keys the copy's journal), counted alone.
fn rerun_through(first: &(Proxy, Gate)) -> Proxy {
    first.0.reset();
    first.0.clone()
}

async fn resume_copies_only_the_missing_parts(server: &Server) {
    let client = server.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-both");
    let (src, dst, first) = interrupted_copy(server, &p, &env).await;
    let kept = journals(&state);
    assert!(
        kept.len() == 1 && kept[0].ends_with(".json"),
        "one journal: {kept:?}"
    );

    // The same command again (no flag), counted at the same endpoint.
    let proxy = rerun_through(&first);
    let mut args = vec!["--json", "--keep-partial"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let v = run(&server.via(&proxy), &args, &env, 120).await.json_ok();
    assert_eq!(v["parts"], 3, "{v}");
    assert!(!proxy.of("ListParts").is_empty());
    assert_eq!(
        proxy.of("UploadPartCopy").len(),
        2,
        "only parts 2 and 3 are copied"
    );
    assert!(proxy.of("CreateMultipartUpload").is_empty());
    // What it says it sent is what it sent (it counted a Create never sent
    // and the part found done).
    assert_eq!(v["requests"], proxy.requests().len(), "{v}");
    assert_finished(&client, &p, &state).await;
}

/// The same command run again after Ctrl-C with --keep-partial finishes
/// the upload, without --resume: only the missing parts are sent.
#[tokio::test]
async fn resume_after_ctrl_c_copies_only_the_missing_parts_on_garage() {
    resume_copies_only_the_missing_parts(&garage().await).await;
}

/// moto names the root of its ListParts answer `ListPartsResponse`, which
/// aws-sdk-s3 refused: a resume ended with "ListParts failed: HTTP200".
#[tokio::test]
async fn resume_after_ctrl_c_copies_only_the_missing_parts_on_moto() {
    resume_copies_only_the_missing_parts(&moto().await).await;
}

/// A ListParts answer that cannot be read says so: which operation, and
/// what could not be parsed; the upload and its journal stay for a later
/// `--resume`.
#[tokio::test]
async fn an_unreadable_list_parts_answer_names_the_operation_and_the_parse_error() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-unreadable");
    let (src, dst, first) = interrupted_copy(&g, &p, &env).await;

    let proxy = rerun_through(&first);
    proxy.answer(
        "ListParts",
        200,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult>\
         <IsTruncated>perhaps</IsTruncated></ListPartsResult>",
    );
    let mut args = vec!["--resume", "--max-attempts", "1"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let r = run(&g.via(&proxy), &args, &env, 120).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains("ListParts: the answer (HTTP 200) could not be read: error parsing XML"),
        "{r}"
    );
    assert!(r.stderr.contains("IsTruncated"), "names the field: {r}");
    assert!(!r.stderr.contains("HTTP200"), "{r}");
    assert!(proxy.of("UploadPartCopy").is_empty());
    assert_eq!(journals(&state).len(), 1, "the journal is kept");

    // The same resume against the real answer finishes the copy.
    args.extend(["--json"]);
    let proxy = rerun_through(&first);
    run(&g.via(&proxy), &args, &env, 120).await.json_ok();
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src")).await,
        digest(&client, DST_BUCKET, &format!("{p}dst")).await
    );
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
}

/// A resumed copy whose part fails after its retries keeps what it
/// continues: the upload (and part 1, copied before) and its journal, as
/// `--keep-partial` does, so that the next `--resume` finishes it. (It
/// aborted the upload and deleted the journal.)
#[tokio::test]
async fn a_resumed_copy_that_fails_keeps_the_upload_and_its_journal() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-fails");
    let (src, dst, first) = interrupted_copy(&g, &p, &env).await;
    let kept = uploads(&client, DST_BUCKET, &p).await;

    let proxy = rerun_through(&first);
    proxy.fault("UploadPartCopy", When::EveryNth(1), Fault::InternalError);
    let mut args = vec!["--resume", "--max-attempts", "2"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let r = run(&g.via(&proxy), &args, &env, 120).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("UploadPartCopy failed"), "{r}");
    assert!(r.stderr.contains("kept"), "{r}");
    assert_eq!(proxy.of("UploadPartCopy").len(), 2, "the retries were made");
    assert!(proxy.of("AbortMultipartUpload").is_empty(), "{r}");
    assert_eq!(
        uploads(&client, DST_BUCKET, &p).await,
        kept,
        "the upload is kept"
    );
    assert_eq!(journals(&state).len(), 1, "the journal is kept");

    // The next --resume finishes it, from part 2.
    let proxy = rerun_through(&first);
    args = vec!["--resume", "--json"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let v = run(&g.via(&proxy), &args, &env, 120).await.json_ok();
    assert_eq!(v["parts"], 3, "{v}");
    assert_eq!(proxy.of("UploadPartCopy").len(), 2, "parts 2 and 3");
    assert_finished(&client, &p, &state).await;
}

/// An upload that disappears during a resumed copy (aborted by someone, or
/// expired by an AbortIncompleteMultipartUpload lifecycle rule): a part
/// meets NoSuchUpload. Nothing is kept, whatever --resume implies, and the
/// message does not say it was: the journal is removed, no abort is sent,
/// and the copy is to be made again. (It said the upload was kept, to be
/// finished with --resume, and kept a journal of an upload that was gone.)
#[tokio::test]
async fn an_upload_gone_during_a_resume_is_not_reported_kept() {
    let g = garage().await;
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-gone");
    let (src, dst, first) = interrupted_copy(&g, &p, &env).await;
    assert_eq!(journals(&state).len(), 1, "the interrupted copy's journal");

    let proxy = rerun_through(&first);
    proxy.answer(
        "UploadPartCopy",
        404,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchUpload</Code>\
         <Message>The specified upload does not exist.</Message></Error>",
    );
    let mut args = vec!["--resume"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let r = run(&g.via(&proxy), &args, &env, 120).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("no longer exists"), "{r}");
    assert!(!r.stderr.contains("finish it with"), "{r}");
    assert!(proxy.of("AbortMultipartUpload").is_empty(), "{r}");
    assert!(journals(&state).is_empty(), "the journal is removed");
}

/// A rerun (plain, or --resume) whose flags would have created another
/// upload than the one it continues is refused before anything is written
/// (exit 2), each flag named with both values, and --no-resume named (it
/// completed the upload as created and reported the second run's flags).
/// The same resume with the first run's flags then finishes it.
#[tokio::test]
async fn a_resume_with_other_flags_than_the_upload_was_created_with_is_refused() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-other-flags");
    let (src, dst, first) = interrupted_copy(&g, &p, &env).await;
    let kept = uploads(&client, DST_BUCKET, &p).await;

    // A plain rerun and --resume alike.
    for insist in [false, true] {
        let proxy = rerun_through(&first);
        let mut args = vec![
            "--metadata-directive",
            "REPLACE",
            "--content-type",
            "text/plain",
            "--storage-class",
            "STANDARD_IA",
        ];
        if insist {
            args.push("--resume");
        }
        args.extend(PARTS);
        args.extend([src.as_str(), dst.as_str()]);
        let r = run(&g.via(&proxy), &args, &env, 120).await;
        assert_eq!(r.code, 2, "{r}");
        for named in [
            "--content-type: not given then, text/plain now",
            "--metadata-directive: COPY then, REPLACE now",
            "--storage-class: not given then, STANDARD_IA now",
            "--no-resume",
        ] {
            assert!(r.stderr.contains(named), "{named}: {r}");
        }
        for write in [
            "CreateMultipartUpload",
            "UploadPartCopy",
            "CompleteMultipartUpload",
            "AbortMultipartUpload",
        ] {
            assert!(proxy.of(write).is_empty(), "{write} sent: {r}");
        }
        assert_eq!(uploads(&client, DST_BUCKET, &p).await, kept);
        assert_eq!(journals(&state).len(), 1, "the journal is kept");
    }

    let mut args = vec!["--resume", "--json"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let proxy = rerun_through(&first);
    let v = run(&g.via(&proxy), &args, &env, 120).await.json_ok();
    assert_eq!(v["metadata_directive"], "COPY", "{v}");
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src")).await,
        digest(&client, DST_BUCKET, &format!("{p}dst")).await
    );
    assert!(journals(&state).is_empty(), "journal removed");
}

/// A truncated journal is an error that says so and names the file (exit
/// 2, nothing sent that writes, the upload left); it read as no journal at
/// all ("there is no interrupted copy to resume").
#[tokio::test]
async fn a_truncated_journal_is_a_clear_error_naming_the_file() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-truncated");
    let (src, dst, first) = interrupted_copy(&g, &p, &env).await;
    let kept = uploads(&client, DST_BUCKET, &p).await;
    let name = journals(&state).pop().expect("a journal");
    let path = state.path().join(&name);
    let text = std::fs::read(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();

    let proxy = rerun_through(&first);
    let mut args = vec!["--resume", "--json"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let r = run(&g.via(&proxy), &args, &env, 120).await;
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr.contains(&format!("{} is corrupt", path.display())),
        "{r}"
    );
    assert!(!r.stderr.contains("no interrupted copy"), "{r}");
    assert_eq!(r.json()["error"]["exit_code"], 2, "{r}");
    assert!(proxy.of("UploadPartCopy").is_empty(), "{r}");
    assert!(proxy.of("AbortMultipartUpload").is_empty(), "{r}");
    assert_eq!(uploads(&client, DST_BUCKET, &p).await, kept);
    for id in kept.iter().map(|u| u.rsplit(' ').next().unwrap()) {
        client
            .abort_multipart_upload()
            .bucket(DST_BUCKET)
            .key(format!("{p}dst"))
            .upload_id(id)
            .send()
            .await
            .expect("clean up");
    }
}

/// Two runs of the same copy at once: the second stops at once (exit 1),
/// saying another run is copying it, and writes nothing; the first
/// finishes its upload alone. (Both wrote the one journal, and a rerun
/// could continue an upload the other was still writing.)
#[tokio::test]
async fn a_second_run_of_the_same_copy_stops_while_the_first_writes_it() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-locked");
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    let (src, dst) = (
        format!("s3://{SRC_BUCKET}/{p}src"),
        format!("s3://{DST_BUCKET}/{p}dst"),
    );
    let proxy = Proxy::start(&g.endpoint).await;
    let part2 = proxy.hold("UploadPartCopy", 2);
    let mut args = vec!["--json"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let first = g
        .via(&proxy)
        .with_timeout(Duration::from_secs(60))
        .spawn_env(&args, &env);
    part2.arrived().await;
    let before = proxy.requests().len();

    let r = run(&g.via(&proxy), &args, &env, 60).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr
            .contains(&format!("another s3cp run is copying {src} to {dst} now")),
        "{r}"
    );
    let second: Vec<String> = proxy.requests()[before..]
        .iter()
        .map(|r| r.operation().to_owned())
        .collect();
    assert_eq!(second, ["HeadObject"], "the second run wrote nothing");

    part2.release();
    let r = first.wait().await;
    let v = r.json_ok();
    assert_eq!(v["parts"], 3, "{v}");
    assert_eq!(proxy.of("CreateMultipartUpload").len(), 1);
    assert_finished(&client, &p, &state).await;
}

/// `--no-resume` starts afresh: it aborts the interrupted copy's upload
/// (its own, by the journal's id) before creating another, and leaves no
/// upload behind.
#[tokio::test]
async fn no_resume_aborts_the_journal_upload_and_copies_afresh() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-no");
    let (src, dst, first) = interrupted_copy(&g, &p, &env).await;
    let kept = uploads(&client, DST_BUCKET, &p).await;
    let id = kept[0].rsplit(' ').next().unwrap().to_owned();

    let proxy = rerun_through(&first);
    let mut args = vec!["--json", "--no-resume"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let v = run(&g.via(&proxy), &args, &env, 120).await.json_ok();
    assert_eq!(v["parts"], 3, "{v}");
    let ops: Vec<String> = proxy
        .requests()
        .iter()
        .map(|r| r.operation().to_owned())
        .filter(|o| o.contains("Upload"))
        .collect();
    assert_eq!(
        ops[..2],
        ["AbortMultipartUpload", "CreateMultipartUpload"],
        "{ops:?}"
    );
    assert_eq!(
        proxy.of("AbortMultipartUpload")[0].query("uploadId"),
        Some(id)
    );
    assert_eq!(proxy.of("UploadPartCopy").len(), 3, "every part, afresh");
    assert!(proxy.of("ListParts").is_empty());
    assert_finished(&client, &p, &state).await;
}

/// A journal whose upload is gone (aborted by someone, or expired by a
/// lifecycle rule): a plain rerun removes it, says so under -v, and copies
/// afresh; `--resume` insists, and fails saying the upload is gone.
#[tokio::test]
async fn a_rerun_whose_upload_is_gone_copies_afresh_and_resume_says_so() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-gone-rerun");
    let (src, dst, first) = interrupted_copy(&g, &p, &env).await;
    for id in uploads(&client, DST_BUCKET, &p).await {
        client
            .abort_multipart_upload()
            .bucket(DST_BUCKET)
            .key(format!("{p}dst"))
            .upload_id(id.rsplit(' ').next().unwrap())
            .send()
            .await
            .expect("abort behind s3cp's back");
    }
    let name = journals(&state)[0].clone();
    let journal = std::fs::read(state.path().join(&name)).unwrap();

    let proxy = rerun_through(&first);
    let mut args = vec!["--resume"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let r = run(&g.via(&proxy), &args, &env, 120).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("no longer exists"), "{r}");
    assert!(proxy.of("CreateMultipartUpload").is_empty(), "{r}");
    assert!(journals(&state).is_empty(), "the journal is removed");

    // The journal put back, a plain rerun copies afresh.
    std::fs::write(state.path().join(&name), &journal).unwrap();
    let proxy = rerun_through(&first);
    let mut args = vec!["-v", "--json"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let r = run(&g.via(&proxy), &args, &env, 120).await;
    let v = r.json_ok();
    assert_eq!(v["parts"], 3, "{v}");
    assert!(r.stderr.contains("no longer exists"), "{r}");
    assert!(r.stderr.contains("its journal is removed"), "{r}");
    assert_eq!(proxy.of("ListParts").len(), 1);
    assert_eq!(proxy.of("CreateMultipartUpload").len(), 1);
    assert_eq!(proxy.of("UploadPartCopy").len(), 3);
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
    assert!(state_files(&state).is_empty());
}

/// A bulk copy killed mid-way (kill -9, a lost CI runner) and run again:
/// each object with a journal is finished with only its missing parts,
/// the others copied as usual. `-r --resume` insists: with no interrupted
/// copy under the prefixes it exits 2 and sends nothing.
#[tokio::test]
async fn a_recursive_rerun_finishes_each_interrupted_object() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-r");
    put_random_source(&client, &format!("{p}in/big"), 11 * MIB).await;
    put(
        &client,
        SRC_BUCKET,
        &format!("{p}in/small"),
        random_bytes(1024),
    )
    .await;
    let (src, dst) = (
        format!("s3://{SRC_BUCKET}/{p}in/"),
        format!("s3://{DST_BUCKET}/{p}out/"),
    );
    let proxy = Proxy::start(&g.endpoint).await;
    let part2 = proxy.hold("UploadPartCopy", 2);
    let mut args = vec!["-r", "--json"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let mut child = g
        .via(&proxy)
        .with_timeout(Duration::from_secs(60))
        .spawn_env(&args, &env);
    part2.arrived().await;
    child.kill().await.expect("kill -9");
    assert_eq!(journals(&state).len(), 1, "the big object's journal");

    // --resume where nothing was interrupted: exit 2, nothing sent.
    proxy.reset();
    let other = format!("s3://{SRC_BUCKET}/{p}elsewhere/");
    let r = run(&g.via(&proxy), &["-r", "--resume", &other, &dst], &env, 60).await;
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr.contains("no copy of this run was interrupted"),
        "{r}"
    );
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());

    // The same command again.
    proxy.reset();
    let r = run(&g.via(&proxy), &args, &env, 120).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(proxy.of("CreateMultipartUpload").is_empty(), "{r}");
    assert_eq!(proxy.of("ListParts").len(), 1, "{r}");
    assert_eq!(
        proxy.of("UploadPartCopy").len(),
        2,
        "parts 2 and 3 of the big object: {r}"
    );
    for key in ["big", "small"] {
        assert_eq!(
            digest(&client, SRC_BUCKET, &format!("{p}in/{key}")).await,
            digest(&client, DST_BUCKET, &format!("{p}out/{key}")).await
        );
    }
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
    assert!(state_files(&state).is_empty(), "{:?}", state_files(&state));

    // Done: --resume has nothing left to finish.
    proxy.reset();
    let mut strict = vec!["--resume"];
    strict.extend(&args);
    let r = run(&g.via(&proxy), &strict, &env, 60).await;
    assert_eq!(r.code, 2, "{r}");
    assert!(proxy.requests().is_empty());
}

/// A state directory that cannot be written (a read-only home in a
/// container) costs the copy its journal and lock, not the copy: it is
/// made, and a warning says what is lost.
#[tokio::test]
async fn an_unwritable_state_directory_warns_and_copies() {
    let g = garage().await;
    let client = g.client();
    let dir = tempfile::tempdir().unwrap();
    // A file where the directory should be.
    let state = dir.path().join("state");
    std::fs::write(&state, b"").unwrap();
    let env = [("S3CP_STATE_DIR", state.to_str().unwrap())];
    let p = unique("resume-unwritable");
    put_random_source(&client, &format!("{p}src"), 11 * MIB).await;
    let (src, dst) = (
        format!("s3://{SRC_BUCKET}/{p}src"),
        format!("s3://{DST_BUCKET}/{p}dst"),
    );
    let mut args = vec!["--json"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let r = run(&g, &args, &env, 120).await;
    let v = r.json_ok();
    assert_eq!(v["parts"], 3, "{v}");
    assert!(r.stderr.contains("cannot lock"), "{r}");
    assert!(r.stderr.contains("S3CP_STATE_DIR"), "{r}");
    assert_eq!(
        digest(&client, SRC_BUCKET, &format!("{p}src")).await,
        digest(&client, DST_BUCKET, &format!("{p}dst")).await
    );
}

/// An upload that cannot be aborted before a copy afresh (`--no-resume`
/// here; a changed source the same) fails the copy with its journal kept
/// and the command that removes it named: it was left billed, with its
/// journal gone. An abort that works counts among the requests.
#[tokio::test]
async fn an_upload_that_cannot_be_aborted_keeps_its_journal() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-abort-refused");
    let (src, dst, first) = interrupted_copy(&g, &p, &env).await;
    let kept = uploads(&client, DST_BUCKET, &p).await;
    let id = kept[0].rsplit(' ').next().unwrap().to_owned();

    let proxy = rerun_through(&first);
    proxy.answer(
        "AbortMultipartUpload",
        403,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
         <Message>Access Denied</Message></Error>",
    );
    let mut args = vec!["--no-resume"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    let r = run(&g.via(&proxy), &args, &env, 120).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(
        r.stderr.contains(&format!("cannot abort upload {id}")),
        "{r}"
    );
    assert!(
        r.stderr
            .contains(&format!("s3cp uploads abort {dst} --upload-id {id}")),
        "{r}"
    );
    assert!(proxy.of("CreateMultipartUpload").is_empty(), "{r}");
    assert_eq!(uploads(&client, DST_BUCKET, &p).await, kept);
    assert_eq!(journals(&state).len(), 1, "the journal is kept");

    let proxy = rerun_through(&first);
    args.insert(0, "--json");
    let v = run(&g.via(&proxy), &args, &env, 120).await.json_ok();
    assert_eq!(proxy.of("AbortMultipartUpload").len(), 1);
    assert_eq!(v["requests"], proxy.requests().len(), "{v}");
    assert_finished(&client, &p, &state).await;
}

/// A rerun whose Complete is refused for good (`--no-overwrite` and the
/// destination written meanwhile: 412) aborts the upload and removes the
/// journal, whatever continuing a journal implies: kept, every rerun would
/// list the parts, send Complete and meet the same 412.
#[tokio::test]
async fn a_rerun_whose_complete_is_refused_for_good_aborts_the_upload() {
    let g = garage().await;
    let client = g.client();
    let state = tempfile::tempdir().unwrap();
    let env = [("S3CP_STATE_DIR", state.path().to_str().unwrap())];
    let p = unique("resume-412");
    let (src, dst, first) = interrupted_copy(&g, &p, &env).await;

    let proxy = rerun_through(&first);
    proxy.answer(
        "CompleteMultipartUpload",
        412,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code>\
         <Message>At least one of the pre-conditions you specified did not hold</Message>\
         </Error>",
    );
    let mut args = vec!["--no-overwrite"];
    args.extend(PARTS);
    args.extend([src.as_str(), dst.as_str()]);
    // The first run had no --no-overwrite: it does not shape the upload.
    let r = run(&g.via(&proxy), &args, &env, 120).await;
    assert_eq!(r.code, 1, "{r}");
    assert!(!r.stderr.contains("kept"), "{r}");
    assert_eq!(proxy.of("AbortMultipartUpload").len(), 1, "{r}");
    assert!(uploads(&client, DST_BUCKET, &p).await.is_empty());
    assert!(state_files(&state).is_empty(), "{:?}", state_files(&state));
}
