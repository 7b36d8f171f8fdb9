//! `s3cp uploads abort`: it aborts what a flag chose and nothing else. A
//! prefix matches longer keys (`db.dump` matches `db.dump.2`) and other
//! writers' uploads of the same key, so the command that s3cp's own
//! messages suggest names one upload (`--upload-id`), and a bare prefix
//! aborts nothing.

mod support;

use support::proxy::{Edit, Proxy};
use support::*;

/// Upload ids under `prefix`, sorted.
async fn ids(client: &aws_sdk_s3::Client, prefix: &str) -> Vec<String> {
    let mut ids: Vec<String> = uploads(client, DST_BUCKET, prefix)
        .await
        .iter()
        .map(|u| u.rsplit(' ').next().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn uploads_abort_takes_one_upload_by_its_exact_key_and_a_bare_prefix_aborts_nothing() {
    let g = garage().await;
    let client = g.client();
    let p = unique("abort-one");
    let key = format!("{p}db.dump");
    // Two uploads of the key (s3cp's kept one, another writer's live one)
    // and one of a longer key that the key is a prefix of.
    let kept = create_upload(&client, DST_BUCKET, &key, None).await;
    let theirs = create_upload(&client, DST_BUCKET, &key, None).await;
    let longer = create_upload(&client, DST_BUCKET, &format!("{key}.2"), None).await;
    let mut all = vec![kept.clone(), theirs.clone(), longer.clone()];
    all.sort();
    let at = s3(DST_BUCKET, &key);

    // A bare prefix: listed, none aborted, exit 2 naming the three flags.
    let r = g.s3cp(&["uploads", "abort", &at]).await;
    assert_eq!(r.code, 2, "{r}");
    for flag in ["--all", "--older-than", "--upload-id"] {
        assert!(r.stderr.contains(flag), "{flag} not named: {r}");
    }
    assert!(r.stderr.contains("nothing was aborted"), "{r}");
    for id in &all {
        assert!(r.stdout.contains(id.as_str()), "{id} not listed: {r}");
    }
    assert!(r.stdout.contains("3 uploads, 0 aborted"), "{r}");
    assert_eq!(ids(&client, &p).await, all, "an upload was aborted");
    // The same in JSON: the uploads listed, the summary, the error.
    let r = g.s3cp(&["uploads", "abort", &at, "--json"]).await;
    assert_eq!(r.code, 2, "{r}");
    let lines = r.json_lines();
    assert_eq!(lines.len(), 5, "{r}");
    assert!(
        lines[..3]
            .iter()
            .all(|l| l["type"] == "upload" && l["status"] == "listed"),
        "{r}"
    );
    assert_eq!(lines[3]["type"], "summary", "{r}");
    assert_eq!(lines[3]["aborted"], 0, "{r}");
    assert_eq!(lines[4]["type"], "error", "{r}");
    assert_eq!(lines[4]["error"]["exit_code"], 2, "{r}");
    assert_eq!(ids(&client, &p).await, all, "an upload was aborted");

    // --upload-id: that one upload, of exactly that key.
    let r = g
        .s3cp(&["uploads", "abort", &at, "--upload-id", &kept])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("1 upload, 1 aborted, 0 failed"), "{r}");
    let mut left = vec![theirs.clone(), longer.clone()];
    left.sort();
    assert_eq!(ids(&client, &p).await, left);

    // An id that is not (or no longer) an upload of that exact key: an
    // error that says so, and nothing aborted.
    for (id, what) in [(&kept, "aborted already"), (&longer, "another key's")] {
        let r = g.s3cp(&["uploads", "abort", &at, "--upload-id", id]).await;
        assert_eq!(r.code, 1, "{what}: {r}");
        assert!(
            r.stderr
                .contains(&format!("there is no incomplete upload {id} of {at}")),
            "{what}: {r}"
        );
        assert_eq!(ids(&client, &p).await, left, "{what}");
    }

    // --all: every upload under the prefix.
    let r = g
        .s3cp(&["uploads", "abort", &s3(DST_BUCKET, &p), "--all"])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("2 uploads, 2 aborted, 0 failed"), "{r}");
    assert!(ids(&client, &p).await.is_empty());
}

#[tokio::test]
async fn uploads_list_takes_older_than_and_abort_dry_run_lists_what_it_would_abort() {
    let g = garage().await;
    let client = g.client();
    let p = unique("older-than");
    for key in ["a", "b"] {
        create_upload(&client, DST_BUCKET, &format!("{p}{key}"), None).await;
    }
    // The listing says the first upload it names was started in 2020: in
    // the store's own order (Garage's is not by key), so asked of it.
    let listed = client
        .list_multipart_uploads()
        .bucket(DST_BUCKET)
        .prefix(&p)
        .send()
        .await
        .expect("list uploads");
    let order: Vec<(String, String)> = listed
        .uploads()
        .iter()
        .map(|u| {
            (
                u.key().unwrap().to_owned(),
                u.upload_id().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(order.len(), 2, "{order:?}");
    let (old, (new_key, new)) = (order[0].1.clone(), order[1].clone());
    let mut both = vec![old.clone(), new.clone()];
    both.sort();
    let proxy = Proxy::start(&g.endpoint).await;
    proxy.rewrite_answer(
        "ListMultipartUploads",
        |_| true,
        Edit::xml("Initiated", "2020-01-01T00:00:00.000Z"),
    );
    let g = g.via(&proxy);
    let at = s3(DST_BUCKET, &p);

    // list --older-than: the old one only; without it, both.
    let r = g
        .s3cp(&["uploads", "list", &at, "--older-than", "7d"])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains(old.as_str()), "{r}");
    assert!(!r.stdout.contains(new.as_str()), "{r}");
    assert!(r.stdout.contains("1 upload\n"), "{r}");
    let r = g.s3cp(&["uploads", "list", &at]).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("2 uploads\n"), "{r}");

    // abort --dry-run: lists what the flags choose, as it would be
    // aborted, and aborts none; so does the copy's --dry-run given before.
    for (args, chosen) in [
        (&["--older-than", "7d", "--dry-run"][..], vec![old.clone()]),
        (&["--all", "--dry-run"][..], both.clone()),
        (&["--all", "--dryrun"][..], both.clone()),
        (
            &["--upload-id", new.as_str(), "--dry-run"][..],
            vec![new.clone()],
        ),
    ] {
        let mut all = vec!["uploads", "abort"];
        let key = s3(DST_BUCKET, &new_key);
        all.push(if args.contains(&"--upload-id") {
            &key
        } else {
            &at
        });
        all.extend(args);
        let r = g.s3cp(&all).await;
        assert_eq!(r.code, 0, "{args:?}: {r}");
        for id in &both {
            assert_eq!(
                r.stdout.contains(&format!("{id}\t")),
                chosen.contains(id),
                "{args:?}: {id}: {r}"
            );
        }
        let lines = r
            .stdout
            .lines()
            .filter(|l| l.starts_with("would abort s3://"));
        assert_eq!(lines.count(), chosen.len(), "{args:?}: {r}");
        assert!(r.stdout.contains("0 aborted"), "{args:?}: {r}");
        assert!(
            r.stdout.contains("dry run: nothing was aborted"),
            "{args:?}: {r}"
        );
        assert_eq!(ids(&client, &p).await, both, "{args:?} aborted one");
    }
    let r = g
        .s3cp(&["--dry-run", "uploads", "abort", &at, "--all", "--json"])
        .await;
    assert_eq!(r.code, 0, "{r}");
    let lines = r.json_lines();
    assert_eq!(lines.len(), 3, "{r}");
    assert!(lines[..2].iter().all(|l| l["status"] == "listed"), "{r}");
    assert_eq!(lines[2]["type"], "summary", "{r}");
    assert_eq!(lines[2]["dry_run"], true, "{r}");
    assert_eq!(lines[2]["aborted"], 0, "{r}");
    assert_eq!(
        ids(&client, &p).await,
        both,
        "--dry-run before the command aborted one"
    );
    assert!(
        proxy.of("AbortMultipartUpload").is_empty(),
        "an abort was sent"
    );

    // Without --dry-run, --older-than aborts the old one alone.
    let r = g
        .s3cp(&["uploads", "abort", &at, "--older-than", "7d"])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("1 upload, 1 aborted, 0 failed"), "{r}");
    assert_eq!(ids(&client, &p).await, vec![new]);
    let r = g.s3cp(&["uploads", "abort", &at, "--all"]).await;
    assert_eq!(r.code, 0, "{r}");
}
