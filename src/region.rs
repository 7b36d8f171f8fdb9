//! Buckets in other regions than the configured one. S3 answers a request signed
//! for the wrong region with 301 PermanentRedirect or 400
//! AuthorizationHeaderMalformed / IllegalLocationConstraintException, with
//! `x-amz-bucket-region` (a HEAD: no body, the header only); the Rust SDK
//! follows none of them (aws-sdk-rust#1052). [`Regions`] keeps one client
//! per region in use, all made from one configuration, learns each bucket's
//! region from the first such answer, and lets the first request to a
//! bucket go alone, so that a bulk copy collects at most one redirect per
//! bucket. [`crate::copy::Engine::send_to`] and the listing use it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_sdk_s3::Client;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};

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

/// Whether `err` is S3 saying that a bucket is in another region without
/// saying which: a 301 (or 307), or a 400 AuthorizationHeaderMalformed /
/// IllegalLocationConstraintException, without `x-amz-bucket-region` (an
/// endpoint or a proxy that drops the header). [`redirect`] cannot follow
/// it; the error then names the flag that gives the region ([`unnamed_fix`]).
/// A HEAD's bodiless 400 is not taken for one: nothing tells it from other
/// 400s (an SSE-C object read without its key).
pub fn unnamed_redirect<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    let Some(raw) = err.raw_response() else {
        return false;
    };
    if raw
        .headers()
        .get("x-amz-bucket-region")
        .is_some_and(|r| !r.is_empty())
    {
        return false;
    }
    let code = match err {
        SdkError::ServiceError(e) => e.err().code(),
        _ => None,
    };
    match raw.status().as_u16() {
        301 | 307 => true,
        400 => matches!(
            code,
            Some("AuthorizationHeaderMalformed" | "IllegalLocationConstraintException")
        ),
        _ => false,
    }
}

/// What to do about an [`unnamed_redirect`] answer to `operation`: the
/// flag that names the region of the bucket it was sent to. The source's
/// reads (and its listing) name `--source-region`, every other request
/// goes to the destination and names `--region`; a HeadObject may be
/// either.
pub fn unnamed_fix(operation: &str) -> String {
    let flag = match operation {
        "GetObject" | "GetObjectTagging" | "GetObjectAcl" | "ListObjectsV2" => {
            "give the source bucket's region with --source-region"
        }
        "HeadObject" => {
            "give the source bucket's region with --source-region, the destination bucket's \
             with --region"
        }
        // `s3cp uploads list` (a copy lists uploads only on --resume).
        "ListMultipartUploads" => "give the bucket's region with --region",
        _ => "give the destination bucket's region with --region",
    };
    format!(
        "the bucket is in another region than the request was signed for, and S3's answer \
         did not say which (no x-amz-bucket-region): {flag}"
    )
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
        self.buckets
            .lock()
            .expect("regions lock")
            .get(bucket)
            .map_or_else(|| self.configured.clone(), |k| k.region().to_owned())
    }

    /// Whether `bucket`'s region is settled (given, learned or confirmed).
    pub fn is_known(&self, bucket: &str) -> bool {
        self.buckets
            .lock()
            .expect("regions lock")
            .contains_key(bucket)
    }

    /// S3 said `bucket` is in `region`: remembered for the rest of the run
    /// (unless a flag gave it). Returns whether anything changed.
    pub fn learn(&self, bucket: &str, region: &str) -> bool {
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
