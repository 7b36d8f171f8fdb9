//! Builds the S3 client from the standard AWS configuration chain plus the
//! connection flags. Credentials are never read or printed by s3cp itself.
//!
//! The SDK's retries are the only ones: s3cp adds a classifier for what the
//! SDK does not recognise itself ([`UnreadableError`]), so `--max-attempts N`
//! means at most N sends of any request. [`Attempts`] lets the engine see,
//! for one request, how many sends there were and the server's clock.

use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileRegionProvider;
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::config::{RequestChecksumCalculation, ResponseChecksumValidation};

use crate::config::Connection;

/// The region used when neither the flags, the environment nor the profile
/// name one (aws-cli does the same for S3).
const FALLBACK_REGION: &str = "us-east-1";

/// The client, counting its requests into `counter`.
pub async fn build(conn: &Connection, counter: &RequestCounter) -> aws_sdk_s3::Client {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(profile) = &conn.profile {
        loader = loader.profile_name(profile);
    }
    // The flag, then AWS_REGION / AWS_DEFAULT_REGION, then the profile, then
    // us-east-1. Unlike the SDK's default chain this never asks the EC2
    // instance metadata service, which off EC2 costs a timeout and a warning
    // on every run.
    let mut profile_region = ProfileFileRegionProvider::builder();
    if let Some(profile) = &conn.profile {
        profile_region = profile_region.profile_name(profile);
    }
    loader = loader.region(
        RegionProviderChain::first_try(conn.region.clone().map(Region::new))
            .or_else(EnvironmentVariableRegionProvider::new())
            .or_else(profile_region.build())
            .or_else(Region::from_static(FALLBACK_REGION)),
    );
    if let Some(url) = &conn.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let sdk = loader.load().await;
    // AWS_MAX_ATTEMPTS, AWS_RETRY_MODE and the profile's keys are already in
    // `sdk`; the flags override them.
    let configured = sdk
        .retry_config()
        .cloned()
        .unwrap_or_else(RetryConfig::standard);
    let retry = match conn.adaptive_retries {
        Some(true) => RetryConfig::adaptive(),
        Some(false) => RetryConfig::standard(),
        None => configured.clone(),
    }
    .with_max_attempts(conn.max_attempts.unwrap_or(configured.max_attempts()));
    let mut s3 = aws_sdk_s3::config::Builder::from(&sdk)
        // Copy requests carry no body to checksum; `WhenRequired` keeps the
        // SDK from adding CRC32 headers that some S3-compatible stores
        // reject (S3-COPY-NOTES.md, "SDK configuration facts").
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
        .interceptor(counter.clone())
        .retry_classifier(UnreadableError)
        .retry_config(retry);
    if conn.path_style {
        s3 = s3.force_path_style(true);
    }
    aws_sdk_s3::Client::from_conf(s3.build())
}

/// Counts the requests the SDK sends: operations, and attempts (an attempt
/// beyond an operation's first is a retry). Read for the bulk summary.
#[derive(Debug, Clone, Default)]
pub struct RequestCounter {
    operations: std::sync::Arc<std::sync::atomic::AtomicU64>,
    attempts: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl RequestCounter {
    /// (requests sent, of which retries).
    pub fn counts(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        let (ops, attempts) = (self.operations.load(Relaxed), self.attempts.load(Relaxed));
        (attempts, attempts.saturating_sub(ops))
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl aws_sdk_s3::config::Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "s3cp::RequestCounter"
    }

    fn read_before_execution(
        &self,
        _context: &aws_sdk_s3::config::interceptors::BeforeSerializationInterceptorContextRef<'_>,
        _cfg: &mut aws_sdk_s3::config::ConfigBag,
    ) -> Result<(), BoxError> {
        self.operations
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _components: &aws_sdk_s3::config::RuntimeComponents,
        _cfg: &mut aws_sdk_s3::config::ConfigBag,
    ) -> Result<(), BoxError> {
        self.attempts
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// Retries a 200 OK whose body is an `<Error>` the SDK could not read (S3
/// answers a copy that failed after it began with 200 and an `<Error>`
/// body; with whitespace before `<?xml`, as some S3-compatible stores send
/// it, the SDK's parser gives up and its classifiers see no error code).
/// The code inside decides, by the SDK's own lists: throttling or
/// transient codes (and `InternalError`, which the SDK adds for S3) are
/// retried, anything else is not.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnreadableError;

impl aws_sdk_s3::config::retry::ClassifyRetry for UnreadableError {
    fn classify_retry(
        &self,
        ctx: &aws_sdk_s3::config::interceptors::InterceptorContext,
    ) -> aws_sdk_s3::config::retry::RetryAction {
        use aws_sdk_s3::config::retry::RetryAction;
        if !matches!(ctx.output_or_error(), Some(Err(_))) {
            return RetryAction::NoActionIndicated;
        }
        let body = ctx
            .response()
            .filter(|r| r.status().as_u16() == 200)
            .and_then(|r| r.body().bytes());
        match body.and_then(error_code_in_200) {
            Some(code) => retry_action(&code),
            None => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "s3cp: <Error> in a 200 OK the SDK could not read"
    }
}

/// The `<Code>` of an `<Error>` document, leading whitespace allowed.
fn error_code_in_200(body: &[u8]) -> Option<String> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let mut doc = aws_smithy_xml::decode::Document::try_from(&body[start..]).ok()?;
    let mut root = doc.root_element().ok()?;
    if !root.start_el().matches("Error") {
        return None;
    }
    while let Some(mut tag) = root.next_tag() {
        if tag.start_el().matches("Code") {
            return aws_smithy_xml::decode::try_data(&mut tag)
                .ok()
                .map(|c| c.into_owned());
        }
    }
    None
}

/// How the SDK would retry an error with this code.
fn retry_action(code: &str) -> aws_sdk_s3::config::retry::RetryAction {
    use aws_runtime::retries::classifiers::{THROTTLING_ERRORS, TRANSIENT_ERRORS};
    use aws_sdk_s3::config::retry::RetryAction;
    if THROTTLING_ERRORS.contains(&code) {
        RetryAction::throttling_error()
    } else if TRANSIENT_ERRORS.contains(&code) || code == "InternalError" {
        RetryAction::transient_error()
    } else {
        RetryAction::NoActionIndicated
    }
}

/// What the SDK did with one request, seen from inside it: attach with
/// `.customize().interceptor(attempts.clone())`.
#[derive(Debug, Clone, Default)]
pub struct Attempts(std::sync::Arc<std::sync::Mutex<AttemptLog>>);

/// See [`Attempts`].
#[derive(Debug, Clone, Copy, Default)]
pub struct AttemptLog {
    /// Attempts that were sent.
    pub sent: u32,
    /// When the first attempt was sent (this machine's clock).
    pub first_sent: Option<std::time::SystemTime>,
    /// The `Date` of the last answer (the server's clock, to the second),
    /// and when it arrived by this machine's clock.
    pub server_date: Option<(std::time::SystemTime, std::time::SystemTime)>,
}

impl Attempts {
    pub fn log(&self) -> AttemptLog {
        *self.0.lock().expect("attempt log")
    }
}

impl aws_sdk_s3::config::Intercept for Attempts {
    fn name(&self) -> &'static str {
        "s3cp::Attempts"
    }

    fn read_before_transmit(
        &self,
        _context: &aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _components: &aws_sdk_s3::config::RuntimeComponents,
        _cfg: &mut aws_sdk_s3::config::ConfigBag,
    ) -> Result<(), BoxError> {
        let mut log = self.0.lock().expect("attempt log");
        log.sent += 1;
        log.first_sent
            .get_or_insert_with(std::time::SystemTime::now);
        Ok(())
    }

    fn read_after_transmit(
        &self,
        context: &aws_sdk_s3::config::interceptors::BeforeDeserializationInterceptorContextRef<'_>,
        _components: &aws_sdk_s3::config::RuntimeComponents,
        _cfg: &mut aws_sdk_s3::config::ConfigBag,
    ) -> Result<(), BoxError> {
        let date = context
            .response()
            .headers()
            .get("date")
            .and_then(|d| {
                aws_smithy_types::DateTime::from_str(
                    d,
                    aws_smithy_types::date_time::Format::HttpDate,
                )
                .ok()
            })
            .and_then(|d| std::time::SystemTime::try_from(d).ok());
        if let Some(date) = date {
            self.0.lock().expect("attempt log").server_date =
                Some((date, std::time::SystemTime::now()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::config::retry::RetryAction;

    #[test]
    fn an_error_in_a_200_is_read_with_or_without_leading_whitespace() {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>\
                    <Message>Please reduce your request rate.</Message></Error>";
        assert_eq!(
            error_code_in_200(body.as_bytes()).as_deref(),
            Some("SlowDown")
        );
        let spaced = format!("\n\n   {body}");
        assert_eq!(
            error_code_in_200(spaced.as_bytes()).as_deref(),
            Some("SlowDown")
        );
        let result =
            "<?xml version=\"1.0\"?><CopyObjectResult><ETag>\"x\"</ETag></CopyObjectResult>";
        assert_eq!(error_code_in_200(result.as_bytes()), None);
        assert_eq!(error_code_in_200(b"not xml"), None);
    }

    #[test]
    fn only_retryable_codes_are_retried() {
        assert_eq!(retry_action("SlowDown"), RetryAction::throttling_error());
        assert_eq!(
            retry_action("InternalError"),
            RetryAction::transient_error()
        );
        assert_eq!(
            retry_action("RequestTimeout"),
            RetryAction::transient_error()
        );
        assert_eq!(retry_action("AccessDenied"), RetryAction::NoActionIndicated);
    }
}
