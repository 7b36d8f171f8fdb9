//! `s3cp uploads list|abort s3://bucket[/prefix]`: find and clean up the
//! incomplete multipart uploads that an interrupted copy (by s3cp or any
//! other tool) left behind, and that S3 keeps billing for.

use std::time::{Duration, SystemTime};

use aws_sdk_s3::Client;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::config::{Uploads, UploadsAction};
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
    let (abort, older_than) = match command.action {
        UploadsAction::List => (false, None),
        UploadsAction::Abort { older_than } => (true, older_than),
    };
    let at = &command.at;
    let mut summary = Summary {
        kind: "summary",
        schema: SCHEMA,
        ..Default::default()
    };
    let listed = tokio::select! {
        biased;
        () = cancel.cancelled() => None,
        listed = list(client, at, endpoint) => Some(listed),
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
            print_summary(printer, &summary, abort);
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
            let verb = if abort { "aborted " } else { "" };
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
    print_summary(printer, &summary, abort);
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
        "{} upload{}{}{}",
        summary.listed,
        if summary.listed == 1 { "" } else { "s" },
        if abort {
            format!(", {} aborted, {} failed", summary.aborted, summary.failed)
        } else {
            String::new()
        },
        if summary.interrupted {
            "; interrupted"
        } else {
            ""
        }
    ));
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
