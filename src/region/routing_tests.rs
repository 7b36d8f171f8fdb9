//! Tests of a bucket's first request ([`super::Router::send_to`]): it goes
//! alone while the others wait for its answer, at most
//! [`super::FIRST_ANSWER_WAIT`] from the moment it is sent; an overdue
//! answer lets the others go without settling the region. The clock is
//! tokio's paused one, and the store a connector that answers each request
//! when the test says, so the order of events is the test's, not the
//! machine's speed. (This file imports no module but `budget`, so that
//! `region` stays below the modules that use it: tests/layout.rs reads
//! test files too.)

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::config::http::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::result::ConnectorError;
use tokio::sync::{Mutex, mpsc, oneshot};

use super::{Regions, Router};
use crate::budget::Budget;

/// One request the store received: the region it was signed for, and
/// where to send its answer.
struct Call {
    signed: String,
    answer: oneshot::Sender<HttpResponse>,
}

/// A store that hands every request to the test and answers what the test
/// sends back.
#[derive(Debug, Clone)]
struct Store(mpsc::UnboundedSender<(String, oneshot::Sender<HttpResponse>)>);

impl HttpConnector for Store {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        // `Credential=AKID/DATE/REGION/s3/aws4_request`
        let signed = request
            .headers()
            .get("authorization")
            .and_then(|a| a.split("/s3/").next())
            .and_then(|a| a.rsplit('/').next())
            .unwrap_or("?")
            .to_owned();
        let (tx, rx) = oneshot::channel();
        let _ = self.0.send((signed, tx));
        HttpConnectorFuture::new(async move {
            rx.await
                .map_err(|e| ConnectorError::other(Box::new(e), None))
        })
    }
}

impl HttpClient for Store {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &aws_sdk_s3::config::RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// The requests the store received, in order.
struct Calls(Mutex<mpsc::UnboundedReceiver<(String, oneshot::Sender<HttpResponse>)>>);

impl Calls {
    /// The next request; fails if none comes within `within` (of the
    /// paused clock: only the router's own timers move it).
    async fn next(&self, within: Duration) -> Call {
        let mut rx = self.0.lock().await;
        match tokio::time::timeout(within, rx.recv()).await {
            Ok(Some((signed, answer))) => Call { signed, answer },
            _ => panic!("no request came within {within:?}"),
        }
    }

    /// Whether a request is waiting (without waiting for one).
    async fn any(&self) -> bool {
        !self.0.lock().await.is_empty()
    }
}

fn answer(status: u16, region: Option<&str>) -> HttpResponse {
    let mut r = HttpResponse::new(
        aws_smithy_runtime_api::http::StatusCode::try_from(status).unwrap(),
        aws_smithy_types::body::SdkBody::empty(),
    );
    if let Some(region) = region {
        r.headers_mut()
            .insert("x-amz-bucket-region", region.to_owned());
    }
    r
}

fn store() -> (Regions, Calls) {
    let (tx, rx) = mpsc::unbounded_channel();
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:1")
        .force_path_style(true)
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))
        .retry_config(aws_sdk_s3::config::retry::RetryConfig::disabled())
        .http_client(Store(tx));
    let regions = Regions::new(Client::from_conf(conf.build()));
    (regions, Calls(Mutex::new(rx)))
}

/// A HeadBucket of `b`, as any of a copy's requests to it.
async fn head(router: &Router<'_>) -> bool {
    router
        .send_to("b", |c| c.head_bucket().bucket("b").send())
        .await
        .is_ok()
}

/// The first request waits for its permit (the budget is full of other
/// requests) for longer than the wait: the others still wait for its
/// answer, which teaches the region, and go there. (The wait began before
/// the permit: it ran out before the first request was even sent, and the
/// others went, each to collect a redirect.)
#[tokio::test(start_paused = true)]
async fn the_wait_for_the_first_answer_starts_when_it_is_sent() {
    let (regions, calls) = store();
    let budget = Budget::fixed(1, Arc::default());
    let router = Router::new(&regions, &budget);
    let full = budget.acquire().await;
    let script = async {
        // Long past the wait, with the one permit taken.
        tokio::time::sleep(super::FIRST_ANSWER_WAIT * 5).await;
        assert!(!calls.any().await, "nothing is sent without a permit");
        drop(full);
        let first = calls.next(Duration::from_millis(1)).await;
        assert_eq!(first.signed, "us-east-1");
        first.answer.send(answer(301, Some("eu-west-1"))).unwrap();
        // The first sent again, and the one that waited: both where the
        // first answer said.
        for _ in 0..2 {
            let call = calls.next(Duration::from_millis(1)).await;
            assert_eq!(call.signed, "eu-west-1", "a request that waited");
            call.answer.send(answer(200, None)).unwrap();
        }
    };
    let (first, second, ()) = tokio::join!(head(&router), head(&router), script);
    assert!(first && second);
    assert!(regions.is_known("b"));
    assert_eq!(regions.region_of("b"), "eu-west-1");
}

/// The first answer is overdue: the others go on, in the region assumed,
/// but the region is not settled by that (it was recorded as settled, in
/// the region assumed, although nothing had answered). The first answer
/// that comes settles it: here a redirect, learned and followed.
#[tokio::test(start_paused = true)]
async fn an_overdue_first_answer_lets_the_others_go_unsettled() {
    let (regions, calls) = store();
    let budget = Budget::fixed(4, Arc::default());
    let router = Router::new(&regions, &budget);
    let start = tokio::time::Instant::now();
    let script = async {
        let first = calls.next(Duration::from_millis(1)).await;
        // The one that waited goes when the wait runs out, not before.
        let waited = calls
            .next(super::FIRST_ANSWER_WAIT + Duration::from_millis(1))
            .await;
        assert!(start.elapsed() >= super::FIRST_ANSWER_WAIT);
        assert_eq!(waited.signed, "us-east-1", "the region assumed");
        assert!(!regions.is_known("b"), "an overdue answer settles nothing");
        // A request that comes now goes at once: the gate is open.
        let (late, ()) = tokio::join!(head(&router), async {
            let call = calls.next(Duration::from_millis(1)).await;
            assert_eq!(call.signed, "us-east-1");
            assert!(!regions.is_known("b"));
            call.answer.send(answer(301, Some("eu-west-1"))).unwrap();
            let again = calls.next(Duration::from_millis(1)).await;
            assert_eq!(again.signed, "eu-west-1", "the redirect is followed");
            again.answer.send(answer(200, None)).unwrap();
        });
        assert!(late);
        assert!(regions.is_known("b"));
        assert_eq!(regions.region_of("b"), "eu-west-1");
        // The first two answer at last; nothing moves the region back.
        first.answer.send(answer(200, None)).unwrap();
        waited.answer.send(answer(200, None)).unwrap();
    };
    let (first, second, ()) = tokio::join!(head(&router), head(&router), script);
    assert!(first && second);
    assert_eq!(regions.region_of("b"), "eu-west-1");
}
