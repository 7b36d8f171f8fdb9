//! The early stop of a run on an error that every object would meet: a
//! bucket that does not exist, credentials that are missing or refused (a
//! bad key id or secret, an expired token; some stores answer an invalid
//! signature with AccessDenied), an endpoint that cannot be reached, or a
//! bucket that is denied as a whole (an AccessDenied that a HeadBucket of
//! the bucket confirms). Without it a bulk run of 5,000 objects sent 5,000
//! requests (each with its retries) to learn 5,000 times that the bucket
//! was missing.
//!
//! [`Stop`] is the run's latch: [`crate::region::Router`] judges every
//! answer before it lets the others go ([`Stop::judge`]), and trips the
//! latch with the cause and its fix; from then on the router sends nothing
//! more (a request it holds back fails with [`Stopped`]), the listing
//! fetches no more pages, and [`crate::batch`] counts every object left as
//! not attempted. A bucket's first request goes alone (the router's
//! gate), so the first such answer stops the run before the others are
//! sent. Errors of one object (a key denied, an archived object) leave
//! the latch alone: the other objects go on.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use aws_sdk_s3::Client;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};

use crate::error::S3Error;

/// Which end of the copy a request's bucket is, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum End {
    Source,
    Destination,
}

impl End {
    fn name(self) -> &'static str {
        match self {
            End::Source => "source",
            End::Destination => "destination",
        }
    }
}

/// A run's latch: once tripped, no request is sent any more.
#[derive(Debug, Clone, Default)]
pub struct Stop {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Why the run stopped: the first run-wide failure, with its fix.
    cause: OnceLock<String>,
    /// Whether a HeadBucket confirms a failure as the bucket's (guards the
    /// verdict of each bucket, asked once however many objects fail).
    verdicts: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Option<String>>>>>,
    /// Buckets a HeadBucket or an S3 error code showed missing, for the
    /// messages of the objects in them.
    missing: Mutex<std::collections::HashSet<String>>,
    /// The last attempt of any request found no server (set by the request
    /// counter's interceptor, cleared by any answer): a bucket's first
    /// request that is retrying such a failure keeps the others waiting.
    unreachable: Arc<AtomicBool>,
    /// Ask HeadBucket whether an AccessDenied is the bucket's (a bulk
    /// run); a single copy has no others to spare.
    check_denied: bool,
    /// Objects that failed once the run had stopped (requests in flight
    /// when it stopped): the first [`SHOWN`] are reported one by one.
    failed_after: std::sync::atomic::AtomicU64,
}

/// How many objects failing once the run has stopped get a line of their
/// own: the others failed the same way, and are counted.
pub const SHOWN: u64 = 3;

/// A request that was not sent because the run had stopped.
#[derive(Debug, thiserror::Error)]
#[error("not sent: the run stopped early")]
pub struct Stopped;

impl Stop {
    /// The latch of a run; `unreachable` is the flag the request counter
    /// keeps ([`crate::client::RequestCounter::unreachable`]); `bulk`: ask
    /// HeadBucket whether an AccessDenied is the whole bucket's.
    pub fn new(unreachable: Arc<AtomicBool>, bulk: bool) -> Self {
        Stop {
            inner: Arc::new(Inner {
                unreachable,
                check_denied: bulk,
                ..Default::default()
            }),
        }
    }

    /// Stops the run for `cause` (the first cause is kept).
    pub fn trip(&self, cause: String) {
        if self.inner.cause.set(cause).is_ok() {
            tracing::info!("stopping the run: {}", self.cause().unwrap_or_default());
        }
    }

    pub fn is_tripped(&self) -> bool {
        self.inner.cause.get().is_some()
    }

    /// Why the run stopped, with the fix.
    pub fn cause(&self) -> Option<&str> {
        self.inner.cause.get().map(String::as_str)
    }

    /// An object failed after the run stopped: whether it gets its own
    /// line (the first [`SHOWN`] do).
    pub fn show_failure(&self) -> bool {
        self.inner.failed_after.fetch_add(1, Ordering::Relaxed) < SHOWN
    }

    /// Objects that failed after the run stopped without a line of their
    /// own.
    pub fn unshown(&self) -> u64 {
        self.inner
            .failed_after
            .load(Ordering::Relaxed)
            .saturating_sub(SHOWN)
    }

    /// `bucket` was seen not to exist.
    pub fn is_missing(&self, bucket: &str) -> bool {
        self.inner
            .missing
            .lock()
            .expect("missing lock")
            .contains(bucket)
    }

    fn missing(&self, bucket: &str, end: End) -> String {
        self.inner
            .missing
            .lock()
            .expect("missing lock")
            .insert(bucket.to_owned());
        missing_bucket(bucket, end)
    }

    /// The last attempt found no server to answer it.
    pub fn unreachable_now(&self) -> bool {
        self.inner.unreachable.load(Ordering::Relaxed)
    }

    /// Judges a failed request to `bucket` (of the copy's `end`, on the
    /// store at `endpoint`): trips the latch when every other request would
    /// fail the same way. An AccessDenied, or a HEAD's bodiless 404, is
    /// the bucket's only if a HeadBucket says so too (asked once per
    /// bucket, with `client`).
    pub async fn judge<E>(
        &self,
        err: &SdkError<E, HttpResponse>,
        bucket: &str,
        end: End,
        endpoint: &str,
        client: &Client,
    ) where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        if self.is_tripped() || matches!(err, SdkError::ConstructionFailure(_)) {
            return;
        }
        let e = S3Error::from_sdk("", err);
        let cause = match run_wide(&e, bucket, end, endpoint) {
            Judged::Stop(_) if e.is_code("NoSuchBucket") => Some(self.missing(bucket, end)),
            Judged::Stop(cause) => Some(cause),
            Judged::PerObject => None,
            Judged::AskBucket if e.status == Some(403) && !self.inner.check_denied => None,
            Judged::AskBucket => self.bucket_verdict(bucket, end, client).await,
        };
        if let Some(cause) = cause {
            self.trip(cause);
        }
    }

    /// What a HeadBucket of `bucket` says: the cause when it is missing or
    /// denied as a whole, `None` when it answers. A HEAD's 403 has no body
    /// to say why: a listing of no keys then tells refused credentials
    /// (some stores answer a bad signature with AccessDenied) from a
    /// denied bucket.
    async fn bucket_verdict(&self, bucket: &str, end: End, client: &Client) -> Option<String> {
        let cell = self
            .inner
            .verdicts
            .lock()
            .expect("verdicts lock")
            .entry(bucket.to_owned())
            .or_default()
            .clone();
        cell.get_or_init(|| async {
            let head = client.head_bucket().bucket(bucket).send().await;
            let err = head.err()?;
            let e = S3Error::from_sdk("HeadBucket", &err);
            if e.status == Some(403) {
                let list = client.list_objects_v2().bucket(bucket).max_keys(0).send();
                if let Err(err) = list.await {
                    let why = S3Error::from_sdk("ListObjectsV2", &err);
                    if let Judged::Stop(cause) = run_wide(&why, bucket, end, "") {
                        return Some(cause);
                    }
                }
            }
            match e.status {
                Some(404) => Some(self.missing(bucket, end)),
                Some(403) if self.inner.check_denied => Some(format!(
                    "access to the {} bucket {bucket} is denied to these credentials (HeadBucket \
                     answers {}, HTTP 403, too): check the credentials (and --profile), and \
                     the bucket's policy",
                    end.name(),
                    e.code
                )),
                _ => None,
            }
        })
        .await
        .clone()
    }
}

/// What a failed request says of the others.
#[derive(Debug, PartialEq, Eq)]
enum Judged {
    /// Every request would fail so: stop, for this cause.
    Stop(String),
    /// Ask HeadBucket: a denied or missing key, or the bucket's.
    AskBucket,
    /// This object's failure alone.
    PerObject,
}

/// The codes S3 gives requests whose credentials it refuses.
const REFUSED_CREDENTIALS: [&str; 6] = [
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "InvalidToken",
    "TokenRefreshRequired",
    "InvalidSecurity",
];

fn run_wide(e: &S3Error, bucket: &str, end: End, endpoint: &str) -> Judged {
    // Some stores answer a bad signature, or a key id they do not know,
    // with AccessDenied (Garage: "Forbidden: Invalid signature",
    // "Forbidden: No such key: GK...").
    let message = e.message.to_ascii_lowercase();
    let signature = message.contains("signature") || message.contains("forbidden: no such key");
    if e.is_missing_credentials() {
        Judged::Stop(crate::error::no_credentials())
    } else if e.is_credentials() {
        Judged::Stop(format!(
            "the AWS credentials could not be loaded ({}): check the profile (its role_arn, \
             source_profile or SSO session: aws sso login) and that the role may be assumed",
            e.message
        ))
    } else if REFUSED_CREDENTIALS.contains(&e.code.as_str())
        || e.is_code("AccessDenied") && signature
    {
        Judged::Stop(format!(
            "the store refused the credentials ({}: {}): check AWS_ACCESS_KEY_ID and \
             AWS_SECRET_ACCESS_KEY (or the --profile), that the secret belongs to the key id, \
             and that a session token has not expired",
            e.code, e.message
        ))
    } else if e.is_code("NoSuchBucket") {
        Judged::Stop(missing_bucket(bucket, end))
    } else if e.is_unreachable() && cannot_connect(e) {
        Judged::Stop(format!(
            "cannot reach S3 at {endpoint}: check --endpoint-url (or AWS_ENDPOINT_URL), the \
             region and the network"
        ))
    } else if e.is_code("AccessDenied") || e.status == Some(404) && e.is_code("NotFound") {
        Judged::AskBucket
    } else {
        Judged::PerObject
    }
}

/// What a failed listing of the source bucket says of the whole run (a
/// missing bucket, refused credentials, no server): the cause and its fix,
/// said first. The listing's failure ends the run by itself.
pub fn listing_cause(e: &S3Error, bucket: &str, endpoint: &str) -> Option<String> {
    match run_wide(e, bucket, End::Source, endpoint) {
        Judged::Stop(cause) => Some(cause),
        Judged::AskBucket | Judged::PerObject => None,
    }
}

/// No server answered the connection (refused, no such host, connect
/// timeout), rather than a connection lost in the middle of one request.
fn cannot_connect(e: &S3Error) -> bool {
    let m = e.message.to_ascii_lowercase();
    [
        "error trying to connect",
        "tcp connect error",
        "connection refused",
        "dns error",
    ]
    .iter()
    .any(|s| m.contains(s))
}

fn missing_bucket(bucket: &str, end: End) -> String {
    crate::error::missing_bucket(bucket, end.name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    fn error(status: Option<u16>, code: &str, message: &str, kind: Kind) -> S3Error {
        S3Error {
            operation: "CopyObject",
            status,
            code: code.into(),
            message: message.into(),
            request_id: None,
            kind,
        }
    }

    fn judge(e: &S3Error) -> Judged {
        run_wide(e, "b", End::Destination, "http://s")
    }

    /// Requests in flight when the run stopped fail the same way: three
    /// are shown, the rest counted.
    #[test]
    fn three_failures_after_the_stop_are_shown() {
        let stop = Stop::new(Arc::default(), true);
        let shown: Vec<bool> = (0..5).map(|_| stop.show_failure()).collect();
        assert_eq!(shown, [true, true, true, false, false]);
        assert_eq!(stop.unshown(), 2);
    }

    #[test]
    fn errors_every_object_meets_stop_the_run_and_others_do_not() {
        let refused = Kind::Refused;
        let stops = |e: &S3Error| matches!(judge(e), Judged::Stop(_));
        assert!(stops(&error(Some(404), "NoSuchBucket", "", refused)));
        assert!(stops(&error(Some(403), "InvalidAccessKeyId", "", refused)));
        assert!(stops(&error(
            Some(403),
            "SignatureDoesNotMatch",
            "",
            refused
        )));
        assert!(stops(&error(Some(400), "ExpiredToken", "", refused)));
        // Garage's answer to a wrong secret.
        assert!(stops(&error(
            Some(403),
            "AccessDenied",
            "Forbidden: Invalid signature",
            refused
        )));
        assert!(stops(&error(
            None,
            "DispatchFailure",
            "dispatch failure: io error: error trying to connect: tcp connect error: \
             Connection refused (os error 111)",
            Kind::NoAnswer
        )));
        assert!(stops(&error(None, "X", "", Kind::NoCredentials)));
        // A key denied, a key missing (HEAD): the bucket is asked.
        assert_eq!(
            judge(&error(Some(403), "AccessDenied", "Access Denied", refused)),
            Judged::AskBucket
        );
        assert_eq!(
            judge(&error(Some(404), "NotFound", "", refused)),
            Judged::AskBucket
        );
        // One object's trouble.
        for e in [
            error(Some(404), "NoSuchKey", "", refused),
            error(Some(403), "InvalidObjectState", "", refused),
            error(Some(412), "PreconditionFailed", "", refused),
            error(Some(500), "InternalError", "", refused),
            error(None, "DispatchFailure", "connection reset", Kind::NoAnswer),
        ] {
            assert_eq!(judge(&e), Judged::PerObject, "{e}");
        }
        match judge(&error(Some(404), "NoSuchBucket", "", refused)) {
            Judged::Stop(cause) => assert!(
                cause.starts_with("the destination bucket b does not exist"),
                "{cause}"
            ),
            other => panic!("{other:?}"),
        }
    }
}
