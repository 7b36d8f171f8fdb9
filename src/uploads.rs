//! `s3cp uploads list|abort s3://bucket[/prefix]`: find and clean up the
//! incomplete multipart uploads that an interrupted copy (by s3cp or any
//! other tool) left behind, and that S3 keeps billing for.
//!
//! `abort` aborts what a flag chose: one upload of an exact key
//! (`--upload-id`, what s3cp's own messages suggest), or those under a
//! prefix (`--all`, `--older-than`). A prefix also matches longer keys
//! (`db.dump` matches `db.dump.2`) and other writers' live uploads, so a
//! bare prefix aborts nothing: it lists what it would abort and exits 2.
//! `--dry-run` lists what the flags chose and aborts none of it; `list`
//! takes `--older-than` as `abort` does, so that the list a user checks is
//! the one the abort would take.

use std::time::{Duration, SystemTime};

use aws_sdk_s3::Client;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::config::{Abort, Uploads, UploadsAction};
use crate::error::{Exit, Failure, S3Error};
use crate::report::{Printer, SCHEMA};
use crate::request;
use crate::uri::S3Uri;

/// One incomplete upload, as listed.
#[derive(Debug, Clone, Serialize)]
pub struct Upload {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    bucket: String,
    key: String,
    upload_id: String,
    /// RFC 3339.
    initiated: Option<String>,
    /// `listed`, `aborted` or `failed`.
    status: &'static str,
    error: Option<String>,
    #[serde(skip)]
    initiated_at: Option<SystemTime>,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    listed: u64,
    aborted: u64,
    failed: u64,
    /// True when Ctrl-C stopped the run: the uploads reported as aborted
    /// were aborted, the others were left as they were.
    interrupted: bool,
    /// `uploads abort --dry-run`: the uploads listed are those that would
    /// be aborted; none was.
    dry_run: bool,
}

/// Lists (and with `abort`, aborts) the uploads. `cancel` is Ctrl-C: the
/// listing stops at once; an abort in flight is let finish (so that what is
/// reported is what S3 did) and no other is sent.
pub async fn run(
    client: &Client,
    command: &Uploads,
    printer: Printer,
    cancel: &CancellationToken,
    endpoint: &str,
) -> Exit {
    let (pick, dry_run) = match &command.action {
        UploadsAction::List { .. } => (None, false),
        UploadsAction::Abort { pick, dry_run } => (Some(pick), *dry_run),
    };
    let older_than = match (&command.action, pick) {
        (UploadsAction::List { older_than }, _) => *older_than,
        (_, Some(Abort::Under { older_than })) => *older_than,
        _ => None,
    };
    let one = match pick {
        Some(Abort::One { upload_id }) => Some(upload_id.as_str()),
        _ => None,
    };
    // A bare prefix lists what it would abort, and aborts nothing; so does
    // --dry-run.
    let chosen = matches!(pick, Some(Abort::Under { .. } | Abort::One { .. }));
    let abort = chosen && !dry_run;
    let at = &command.at;
    let mut summary = Summary {
        kind: "summary",
        schema: SCHEMA,
        dry_run: chosen && dry_run,
        ..Default::default()
    };
    let listing = listed_at(at, one.is_some());
    let listed = tokio::select! {
        biased;
        () = cancel.cancelled() => None,
        listed = list(client, &listing, endpoint) => Some(listed),
    };
    // --upload-id: that upload of exactly that key, or an error (the
    // listing's prefix matches longer keys too).
    let listed = match (listed, one) {
        (Some(Ok(u)), Some(id)) => Some(only(u, at, id)),
        (listed, _) => listed,
    };
    let uploads = match listed {
        Some(Ok(u)) => u,
        Some(Err(e)) => {
            let failure = Failure::Copy(e);
            printer.run_failure(&failure);
            return failure.exit();
        }
        None => {
            eprintln!(
                "s3cp: interrupted while listing the uploads under {at}; nothing was aborted"
            );
            summary.interrupted = true;
            print_summary(printer, &summary, pick.is_some());
            return Exit::Interrupted;
        }
    };
    let now = SystemTime::now();
    let mut left = 0;
    for mut upload in uploads {
        let age = upload
            .initiated_at
            .and_then(|t| now.duration_since(t).ok())
            .unwrap_or(Duration::ZERO);
        if older_than.is_some_and(|min| age < min) {
            continue;
        }
        if cancel.is_cancelled() {
            left += 1;
            continue;
        }
        summary.listed += 1;
        if abort {
            let result =
                request::abort_upload(client, &upload.bucket, &upload.key, &upload.upload_id)
                    .send()
                    .await;
            match result {
                Ok(_) => {
                    upload.status = "aborted";
                    summary.aborted += 1;
                }
                Err(err) => {
                    let e = S3Error::from_sdk("AbortMultipartUpload", &err);
                    printer.run_failure(&Failure::Copy(anyhow::Error::new(e.clone())));
                    upload.status = "failed";
                    upload.error = Some(e.to_string());
                    summary.failed += 1;
                }
            }
        }
        if printer.json {
            printer.json_line(&upload);
        } else if upload.status != "failed" {
            let verb = match (abort, summary.dry_run) {
                (true, _) => "aborted ",
                (false, true) => "would abort ",
                (false, false) => "",
            };
            printer.human(&format!(
                "{verb}s3://{}/{}\t{}\tstarted {} ({} ago)",
                upload.bucket,
                upload.key,
                upload.upload_id,
                upload.initiated.as_deref().unwrap_or("?"),
                humantime::format_duration(Duration::from_secs(age.as_secs()))
            ));
        }
    }
    // Interrupted only if Ctrl-C left an upload undone.
    summary.interrupted = left > 0;
    if summary.interrupted {
        let done = if abort {
            format!(
                "{} aborted (listed above), {} failed",
                summary.aborted, summary.failed
            )
        } else {
            format!("{} listed above", summary.listed)
        };
        let rest = match (abort, left == 1) {
            (true, true) => "other upload left as it was",
            (true, false) => "other uploads left as they were",
            (false, true) => "other upload not listed",
            (false, false) => "other uploads not listed",
        };
        eprintln!("s3cp: interrupted; {done}; {left} {rest}");
    }
    print_summary(printer, &summary, pick.is_some());
    if matches!(pick, Some(Abort::Unchosen)) && !summary.interrupted {
        let failure = Failure::Usage(anyhow::anyhow!(
            "nothing was aborted: s3cp uploads abort needs one of --all (every upload under \
             {at}: {} listed above), --older-than DURATION (only those started longer ago) or \
             --upload-id ID (one upload, of exactly the key given); the uploads under a prefix \
             may be other writers' live ones, or of longer keys that begin with it",
            summary.listed
        ));
        printer.run_failure(&failure);
        return failure.exit();
    }
    if summary.interrupted {
        Exit::Interrupted
    } else if summary.failed > 0 {
        Exit::CopyFailed
    } else {
        Exit::Copied
    }
}

fn print_summary(printer: Printer, summary: &Summary, abort: bool) {
    if printer.json {
        printer.json_line(summary);
        return;
    }
    printer.human(&format!(
        "{} upload{}{}{}{}",
        summary.listed,
        if summary.listed == 1 { "" } else { "s" },
        if abort {
            format!(", {} aborted, {} failed", summary.aborted, summary.failed)
        } else {
            String::new()
        },
        if summary.dry_run {
            " (dry run: nothing was aborted)"
        } else {
            ""
        },
        if summary.interrupted {
            "; interrupted"
        } else {
            ""
        }
    ));
}

/// `--upload-id`: of the uploads listed under the key as a prefix, the one
/// with that id and exactly that key; an error that says what to do when
/// there is none.
fn only(listed: Vec<Upload>, at: &S3Uri, upload_id: &str) -> anyhow::Result<Vec<Upload>> {
    let found: Vec<Upload> = listed
        .into_iter()
        .filter(|u| u.key == at.key && u.upload_id == upload_id)
        .collect();
    if found.is_empty() {
        anyhow::bail!(
            "there is no incomplete upload {upload_id} of {at} (it was completed or aborted \
             since, or it is another key's: the key must be exact); nothing was aborted; \
             s3cp uploads list {at} lists the uploads of that key (and of the keys it begins)"
        );
    }
    Ok(found)
}

/// Where the uploads are listed: `at`; for `--upload-id` (`one`) in a
/// directory bucket, which lists only under prefixes ending in '/', the
/// key's folder ([`only`] then keeps the key).
fn listed_at(at: &S3Uri, one: bool) -> S3Uri {
    let mut listing = at.clone();
    if one && crate::uri::is_directory_bucket(&at.bucket) {
        listing.key = match at.key.rfind('/') {
            Some(i) => at.key[..=i].to_owned(),
            None => String::new(),
        };
    }
    listing
}

/// Every incomplete upload under the bucket and prefix, page by page.
async fn list(client: &Client, at: &S3Uri, endpoint: &str) -> anyhow::Result<Vec<Upload>> {
    let mut uploads = Vec::new();
    let (mut key_marker, mut id_marker) = (None, None);
    loop {
        let page = request::list_uploads(client, at, key_marker.take(), id_marker.take())
            .send()
            .await
            .map_err(|err| {
                let e = S3Error::from_sdk("ListMultipartUploads", &err);
                let why = match e.is_unreachable() {
                    true => crate::error::unreachable(
                        endpoint,
                        &format!("list the multipart uploads under {at}"),
                    ),
                    false => format!("cannot list the multipart uploads under {at}"),
                };
                anyhow::Error::new(e).context(why)
            })?;
        for u in page.uploads() {
            let initiated_at = u.initiated().and_then(|t| SystemTime::try_from(*t).ok());
            uploads.push(Upload {
                kind: "upload",
                schema: SCHEMA,
                bucket: at.bucket.clone(),
                key: u.key().unwrap_or_default().to_owned(),
                upload_id: u.upload_id().unwrap_or_default().to_owned(),
                initiated: initiated_at.map(|t| humantime::format_rfc3339_seconds(t).to_string()),
                status: "listed",
                error: None,
                initiated_at,
            });
        }
        if !page.is_truncated().unwrap_or(false) {
            return Ok(uploads);
        }
        key_marker = page.next_key_marker().map(str::to_owned);
        id_marker = page.next_upload_id_marker().map(str::to_owned);
        if key_marker.is_none() && id_marker.is_none() {
            return Ok(uploads);
        }
    }
}
