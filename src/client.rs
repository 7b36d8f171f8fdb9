//! Builds the S3 client from the standard AWS configuration chain plus the
//! connection flags. Credentials are never read or printed by s3cp itself.

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
        // Keys made only of whitespace: see request::literal_key.
        .interceptor(crate::request::LiteralKeys)
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
