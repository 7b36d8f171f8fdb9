//! Buckets in other regions than the configured one, and the routing of
//! every request to a bucket. S3 answers a request signed for the wrong
//! region with 301 PermanentRedirect or 400 AuthorizationHeaderMalformed /
//! IllegalLocationConstraintException, with `x-amz-bucket-region` (a HEAD:
//! no body, the header only); the Rust SDK follows none of them
//! (aws-sdk-rust#1052). [`Regions`] keeps one client per region in use, all
//! made from one configuration, and each bucket's region as far as the run
//! knows it. [`Router`] sends a request to a bucket with the client of its
//! region, within the request budget, and is what changes that state: it
//! lets the first request to a bucket go alone (for at most
//! [`FIRST_ANSWER_WAIT`], or while it retries a connection that no server
//! answered), so that a bulk copy collects at most one
//! redirect per bucket, learns the region a redirect names and sends the
//! request again there, and settles the region on any other answer. The
//! copy engine sends every request through it, and it judges each failed
//! answer for the run's early stop ([`crate::stop`]) before the requests
//! waiting behind a bucket's first one go (none goes once the run has
//! stopped). The listings follow a
//! redirect of their first page themselves, with [`Regions`] and
//! [`redirect`] (a paginator is not one request that can be sent again).

#[cfg(test)]
mod arn_tests;
#[cfg(test)]
mod routing_tests;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};

use crate::budget::Budget;
// Kept with the error messages that use them (error must not import
// this module, which imports the run's early stop).
pub use crate::error::{unnamed_fix, unnamed_redirect};
use crate::stop::{End, Stop, Stopped};

/// What the SDK answers a request: its output, or why there is none.
pub type Sent<T, E> = Result<T, SdkError<E, HttpResponse>>;

/// The region S3 says a bucket is in, when `err` is its answer to a request
/// signed for another region (`signed`): 301, or 400 with a region code (a
/// HEAD's 400 has no body: then the header alone, when it names another
/// region than the one signed for).
pub fn redirect<E: ProvideErrorMetadata>(
    err: &SdkError<E, HttpResponse>,
    signed: &str,
) -> Option<String> {
    let raw = err.raw_response()?;
    let region = raw.headers().get("x-amz-bucket-region")?;
    if region.is_empty() || region == signed {
        return None;
    }
    let code = match err {
        SdkError::ServiceError(e) => e.err().code(),
        _ => None,
    };
    let wrong_region = match raw.status().as_u16() {
        301 | 307 => true,
        400 => matches!(
            code,
            None | Some("AuthorizationHeaderMalformed" | "IllegalLocationConstraintException")
        ),
        _ => false,
    };
    wrong_region.then(|| region.to_owned())
}

/// One bucket's region, as far as the run knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Known {
    /// Given by a flag (`--source-region`, `--region`): never learned.
    Given(String),
    /// Learned from S3's answer, or confirmed by a request that succeeded.
    Learned(String),
}

impl Known {
    fn region(&self) -> &str {
        match self {
            Known::Given(r) | Known::Learned(r) => r,
        }
    }
}

/// The gate of a bucket whose region is not settled: its first request
/// holds it until the answer; the flag says the gate was opened because
/// that answer was overdue, so that every request goes through (in the
/// region assumed) while the region stays unsettled.
pub type Gate = Arc<tokio::sync::Mutex<bool>>;

/// The clients of every region in use, and each bucket's region.
#[derive(Debug)]
pub struct Regions {
    base: Client,
    configured: String,
    clients: Mutex<HashMap<String, Client>>,
    buckets: Mutex<HashMap<String, Known>>,
    /// Held by the first request to a bucket whose region is not known yet,
    /// so that the others wait for what it learns instead of each
    /// collecting a redirect ([`Regions::gate`]).
    first: Mutex<HashMap<String, Gate>>,
}

impl Regions {
    /// `base` is the client of the configured region.
    pub fn new(base: Client) -> Self {
        let configured = base
            .config()
            .region()
            .map_or_else(|| "us-east-1".to_owned(), |r| r.as_ref().to_owned());
        let clients = HashMap::from([(configured.clone(), base.clone())]);
        Regions {
            base,
            configured,
            clients: Mutex::new(clients),
            buckets: Mutex::new(HashMap::new()),
            first: Mutex::new(HashMap::new()),
        }
    }

    /// A flag names `bucket`'s region: its requests go there, and no
    /// answer changes it.
    pub fn give(&self, bucket: &str, region: &str) {
        self.buckets
            .lock()
            .expect("regions lock")
            .insert(bucket.to_owned(), Known::Given(region.to_owned()));
    }

    /// The region `bucket`'s requests are signed for now.
    pub fn region_of(&self, bucket: &str) -> String {
        let known = self
            .buckets
            .lock()
            .expect("regions lock")
            .get(bucket)
            .cloned();
        known
            .or_else(|| self.of_arn(bucket))
            .map_or_else(|| self.configured.clone(), |k| k.region().to_owned())
    }

    /// An access point's region is in its ARN: given, never learned (the
    /// endpoint rules send its requests there whatever the client's region;
    /// its client is that region's so that messages and the signing agree).
    /// A Multi-Region Access Point has none: SigV4a signs for every region,
    /// and the configured client serves.
    fn of_arn(&self, bucket: &str) -> Option<Known> {
        let ap = crate::uri::arn::AccessPoint::parse(bucket)?;
        Some(Known::Given(
            ap.region.unwrap_or_else(|| self.configured.clone()),
        ))
    }

    /// Whether `bucket`'s region is settled (given, learned or confirmed).
    pub fn is_known(&self, bucket: &str) -> bool {
        self.buckets
            .lock()
            .expect("regions lock")
            .contains_key(bucket)
            || self.of_arn(bucket).is_some()
    }

    /// S3 said `bucket` is in `region`: remembered for the rest of the run
    /// (unless a flag or its ARN gave it). Returns whether anything changed.
    pub fn learn(&self, bucket: &str, region: &str) -> bool {
        if self.of_arn(bucket).is_some() {
            return false;
        }
        let mut buckets = self.buckets.lock().expect("regions lock");
        match buckets.get(bucket) {
            Some(Known::Given(_)) => false,
            Some(Known::Learned(r)) if r == region => false,
            _ => {
                buckets.insert(bucket.to_owned(), Known::Learned(region.to_owned()));
                true
            }
        }
    }

    /// A request to `bucket` succeeded where it was sent: its region is
    /// settled.
    pub fn confirm(&self, bucket: &str) {
        let region = self.region_of(bucket);
        self.buckets
            .lock()
            .expect("regions lock")
            .entry(bucket.to_owned())
            .or_insert(Known::Learned(region));
    }

    /// The client for `region`, made once from the base configuration
    /// (credentials, retries, interceptors shared).
    pub fn client_in(&self, region: &str) -> Client {
        let mut clients = self.clients.lock().expect("regions lock");
        clients
            .entry(region.to_owned())
            .or_insert_with(|| {
                let conf = self
                    .base
                    .config()
                    .to_builder()
                    .region(aws_sdk_s3::config::Region::new(region.to_owned()))
                    .build();
                Client::from_conf(conf)
            })
            .clone()
    }

    /// The client for `bucket`'s region as now known.
    pub fn client_for(&self, bucket: &str) -> Client {
        self.client_in(&self.region_of(bucket))
    }

    /// The gate of `bucket`'s first request: hold it while a request whose
    /// answer settles the bucket's region is in flight.
    pub fn gate(&self, bucket: &str) -> Gate {
        self.first
            .lock()
            .expect("regions lock")
            .entry(bucket.to_owned())
            .or_default()
            .clone()
    }
}

/// How long the others wait for a bucket's first answer (which may teach
/// its region) before they go on without it, from the moment the first
/// request is sent: first answers take tens of milliseconds; a 5 GiB
/// CopyObject, or a SlowDown's backoff, seconds.
pub const FIRST_ANSWER_WAIT: Duration = Duration::from_secs(2);

/// Sends requests to the buckets of one store ([`Regions`]), each with the
/// client of its bucket's region, within the run's request budget.
#[derive(Debug, Clone, Copy)]
pub struct Router<'a> {
    pub regions: &'a Regions,
    /// Requests in flight, of every object and part together: each request
    /// holds one permit for all of its attempts.
    pub budget: &'a Budget,
    /// The run's early stop, when it has one: each failed answer is judged
    /// ([`Stop::judge`]) before the others go, and once it is tripped
    /// nothing more is sent.
    pub watch: Option<Watch<'a>>,
}

/// What a [`Router`] needs to judge a failure for the run's [`Stop`].
#[derive(Debug, Clone, Copy)]
pub struct Watch<'a> {
    pub stop: &'a Stop,
    /// Which end of the copy this store's buckets are.
    pub end: End,
    /// Where the requests go, for messages.
    pub endpoint: &'a str,
}

impl<'a> Router<'a> {
    pub fn new(regions: &'a Regions, budget: &'a Budget) -> Self {
        Router {
            regions,
            budget,
            watch: None,
        }
    }

    /// A router whose failures are judged for the run's early stop.
    pub fn watched(regions: &'a Regions, budget: &'a Budget, watch: Watch<'a>) -> Self {
        Router {
            regions,
            budget,
            watch: Some(watch),
        }
    }

    /// The run has stopped: no request is sent any more.
    fn stopped(&self) -> bool {
        self.watch.is_some_and(|w| w.stop.is_tripped())
    }

    /// Judges a failed answer for the run's early stop (before the others
    /// waiting behind it go).
    async fn judge<T, E>(&self, out: &Sent<T, E>, bucket: &str, client: &Client)
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        if let (Some(w), Err(e)) = (self.watch, out) {
            Box::pin(w.stop.judge(e, bucket, w.end, w.endpoint, client)).await;
        }
    }

    /// Sends one request to `bucket`, built by `request` with the client of
    /// the bucket's region, within the budget. When S3 answers that the
    /// bucket is in another region (a 301, or a 400 naming it), the region
    /// is remembered for the rest of the run and the request sent again
    /// there, once. While a bucket's region is not settled, its requests go
    /// one at a time (the first one's answer settles it for the others), so
    /// a bulk copy collects at most one redirect per bucket; a first answer
    /// slower than [`FIRST_ANSWER_WAIT`] no longer holds the others (they
    /// go on unsettled, in the region assumed).
    pub async fn send_to<T, E, Fut>(
        &self,
        bucket: &str,
        request: impl Fn(&Client) -> Fut,
    ) -> Sent<T, E>
    where
        Fut: Future<Output = Sent<T, E>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let regions = self.regions;
        let gate = (!regions.is_known(bucket)).then(|| regions.gate(bucket));
        let mut first = match &gate {
            Some(gate) => Some(gate.lock().await),
            None => None,
        };
        // Those that waited behind the first request go at once when its
        // answer settled the region, or when it was overdue and opened the
        // gate (holding the gate for their own send would serialise every
        // request that arrived meanwhile).
        let open = first.as_ref().is_some_and(|open| **open);
        if first.is_some() && (open || regions.is_known(bucket)) {
            first = None;
        }
        // Those that waited behind a first request whose answer stopped
        // the run go no further.
        if self.stopped() {
            return Err(SdkError::construction_failure(Stopped));
        }
        let signed = regions.region_of(bucket);
        let client = regions.client_in(&signed);
        let out = match first.take() {
            None => self.send_unless_stopped(Box::pin(request(&client))).await,
            Some(mut guard) => {
                // The wait for its answer starts once the request goes,
                // with its permit: a first request queued behind a full
                // budget has not been sent, and has nothing to answer yet.
                let _permit = self.budget.acquire().await;
                if self.stopped() {
                    return Err(SdkError::construction_failure(Stopped));
                }
                let mut sent = Box::pin(request(&client));
                tokio::select! {
                    out = &mut sent => {
                        first = Some(guard);
                        out
                    }
                    () = self.overdue() => {
                        // A slow first request (a large CopyObject, or one
                        // asleep in the SDK's backoff after a SlowDown)
                        // does not hold the others: the gate opens and they
                        // go on in the region assumed. Nothing is learned
                        // by that: the region stays unsettled until an
                        // answer settles it, and a redirect still moves each.
                        *guard = true;
                        drop(guard);
                        sent.await
                    }
                }
            }
        };
        let moved = match &out {
            Ok(_) => None,
            Err(e) => redirect(e, &signed),
        };
        if moved.is_none() {
            self.judge(&out, bucket, &client).await;
        }
        let Some(region) = moved else {
            // Any answer but a redirect (a success, a 404, a 412) comes from
            // the bucket's region and settles it; no answer at all does not.
            if out
                .as_ref()
                .err()
                .is_none_or(|e| e.raw_response().is_some())
            {
                regions.confirm(bucket);
            }
            return out;
        };
        if regions.learn(bucket, &region) {
            tracing::info!("bucket {bucket} is in {region}: its requests go there");
        }
        drop(first);
        let client = regions.client_in(&region);
        let out = self.send_unless_stopped(Box::pin(request(&client))).await;
        self.judge(&out, bucket, &client).await;
        if out
            .as_ref()
            .err()
            .is_none_or(|e| e.raw_response().is_some())
        {
            regions.confirm(bucket);
        }
        out
    }

    /// Sends one request within the budget, holding one permit for all of
    /// its attempts; not once the run has stopped (checked again when the
    /// permit is had: the stop may have come while it waited).
    async fn send_unless_stopped<T, E>(
        &self,
        request: impl Future<Output = Sent<T, E>>,
    ) -> Sent<T, E> {
        let _permit = self.budget.acquire().await;
        if self.stopped() {
            return Err(SdkError::construction_failure(Stopped));
        }
        request.await
    }

    /// Resolves when a bucket's first answer is overdue: after
    /// [`FIRST_ANSWER_WAIT`], and not while that request is retrying a
    /// connection no server answered (the others would meet the same
    /// failure; with the run's early stop, they are then not sent at all).
    async fn overdue(&self) {
        tokio::time::sleep(FIRST_ANSWER_WAIT).await;
        while self.watch.is_some_and(|w| w.stop.unreachable_now()) {
            tokio::time::sleep(FIRST_ANSWER_WAIT / 20).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::canned_config;

    fn client(region: &str) -> Client {
        Client::from_conf(
            canned_config(200, "")
                .region(aws_sdk_s3::config::Region::new(region.to_owned()))
                .build(),
        )
    }

    #[test]
    fn buckets_start_in_the_configured_region_and_learn_once() {
        let r = Regions::new(client("us-east-1"));
        assert_eq!(r.region_of("b"), "us-east-1");
        assert!(!r.is_known("b"));
        assert!(r.learn("b", "eu-west-1"));
        assert!(!r.learn("b", "eu-west-1"));
        assert_eq!(r.region_of("b"), "eu-west-1");
        assert!(r.is_known("b"));
        let eu = r.client_for("b");
        assert_eq!(eu.config().region().unwrap().as_ref(), "eu-west-1");
        // One client per region.
        assert_eq!(
            r.clients.lock().unwrap().len(),
            2,
            "us-east-1 and eu-west-1"
        );
        r.client_in("eu-west-1");
        assert_eq!(r.clients.lock().unwrap().len(), 2);
    }

    #[test]
    fn a_given_region_is_never_learned_over() {
        let r = Regions::new(client("us-east-1"));
        r.give("src", "ap-south-1");
        assert!(!r.learn("src", "eu-west-1"));
        assert_eq!(r.region_of("src"), "ap-south-1");
        r.confirm("other");
        assert!(r.is_known("other"));
        assert_eq!(r.region_of("other"), "us-east-1");
    }

    #[tokio::test]
    async fn a_301_or_a_region_400_names_the_region_and_others_do_not() {
        use aws_sdk_s3::operation::head_object::HeadObjectError;
        fn answer(
            status: u16,
            region: Option<&str>,
            body: &str,
        ) -> SdkError<HeadObjectError, HttpResponse> {
            let mut raw = HttpResponse::new(
                aws_smithy_runtime_api::http::StatusCode::try_from(status).unwrap(),
                aws_smithy_types::body::SdkBody::from(body.to_owned()),
            );
            if let Some(region) = region {
                raw.headers_mut()
                    .insert("x-amz-bucket-region", region.to_owned());
            }
            let code = (!body.is_empty()).then(|| {
                body.split("<Code>")
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap()
                    .to_owned()
            });
            let mut meta = aws_sdk_s3::error::ErrorMetadata::builder();
            if let Some(code) = code {
                meta = meta.code(code);
            }
            let meta = meta.build();
            SdkError::service_error(HeadObjectError::generic(meta), raw)
        }
        let moved = "<Error><Code>PermanentRedirect</Code></Error>";
        let malformed = "<Error><Code>AuthorizationHeaderMalformed</Code></Error>";
        let denied = "<Error><Code>AccessDenied</Code></Error>";
        assert_eq!(
            redirect(&answer(301, Some("eu-west-1"), moved), "us-east-1").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            redirect(&answer(400, Some("eu-west-1"), malformed), "us-east-1").as_deref(),
            Some("eu-west-1")
        );
        // A HEAD's 400: no body, the header alone.
        assert_eq!(
            redirect(&answer(400, Some("eu-west-1"), ""), "us-east-1").as_deref(),
            Some("eu-west-1")
        );
        // Not a redirect: another code, no header, or the region signed for.
        assert_eq!(
            redirect(&answer(403, Some("eu-west-1"), denied), "us-east-1"),
            None
        );
        assert_eq!(redirect(&answer(301, None, moved), "us-east-1"), None);
        assert_eq!(
            redirect(&answer(301, Some("us-east-1"), moved), "us-east-1"),
            None
        );

        // Without the header: a redirect that names no region, which the
        // error then explains; a HEAD's bare 400 and other codes are not.
        assert!(unnamed_redirect(&answer(301, None, moved)));
        assert!(unnamed_redirect(&answer(301, None, "")));
        assert!(unnamed_redirect(&answer(400, None, malformed)));
        assert!(!unnamed_redirect(&answer(400, None, "")));
        assert!(!unnamed_redirect(&answer(403, None, denied)));
        assert!(!unnamed_redirect(&answer(301, Some("eu-west-1"), moved)));
        assert!(unnamed_fix("ListObjectsV2").contains("--source-region"));
        assert!(!unnamed_fix("CopyObject").contains("--source-region"));
        assert!(unnamed_fix("CopyObject").contains("--region"));
    }
}
