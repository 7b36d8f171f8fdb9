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
use aws_sdk_s3::config::retry::{RetryPartition, TokenBucket};
use aws_sdk_s3::config::{RequestChecksumCalculation, ResponseChecksumValidation};

use crate::config::Connection;

/// The region used when neither the flags, the environment nor the profile
/// name one (aws-cli does the same for S3).
const FALLBACK_REGION: &str = "us-east-1";

/// One store's client and where its requests go.
#[derive(Debug, Clone)]
pub struct Store {
    pub client: aws_sdk_s3::Client,
    /// Said for messages: the endpoint URL, or "the AWS S3 endpoint for
    /// region R".
    pub endpoint: String,
    /// The endpoint URL; `None` for AWS.
    pub url: Option<String>,
}

impl Store {
    /// Both are one store: the same endpoint URL (scheme and host in any
    /// case, a trailing `/` or not), or both AWS. Between two stores there
    /// is no server-side copy.
    pub fn same_as(&self, other: &Store) -> bool {
        let norm = |u: &Option<String>| {
            u.as_deref()
                .map(|u| u.trim_end_matches('/').to_ascii_lowercase())
        };
        norm(&self.url) == norm(&other.url)
    }
}

/// Refuses a `--profile` (or `--source-profile`) that the AWS config files
/// do not define, before any request: the SDK would only say, at the first
/// request, that no credential provider was enabled. Names the profile,
/// the files read and the profiles they have. A file that cannot be read
/// or parsed is left to the SDK's own error.
pub async fn check_profile(name: &str, flag: &str) -> anyhow::Result<()> {
    use aws_runtime::env_config::file::EnvConfigFiles;
    use aws_types::os_shim_internal::{Env, Fs};
    let files = EnvConfigFiles::default();
    let Ok(set) = aws_config::profile::load(&Fs::real(), &Env::real(), &files, None).await else {
        return Ok(());
    };
    if set.get_profile(name).is_some() {
        return Ok(());
    }
    let file = |var: &str, default: &str| match std::env::var(var) {
        Ok(path) if !path.is_empty() => format!("{path} ({var})"),
        _ => default.to_owned(),
    };
    let mut known: Vec<&str> = set.profiles().collect();
    known.sort_unstable();
    let known = match known.is_empty() {
        true => "they define none".to_owned(),
        false => format!("they define {}", known.join(", ")),
    };
    anyhow::bail!(
        "the profile '{name}' ({flag}) is not in the AWS config files read, {} and {} \
         ({known}): check its name, or create it with aws configure --profile {name}",
        file("AWS_CONFIG_FILE", "~/.aws/config"),
        file("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
    )
}

/// The client, counting its requests into `counter`, and where its
/// requests go (for messages, and to tell two stores apart).
pub async fn build_store(conn: &Connection, counter: &RequestCounter) -> Store {
    let sdk = load_sdk(conn, None, true).await;
    let url = endpoint_url(&sdk);
    let endpoint = url.clone().unwrap_or_else(|| {
        format!(
            "the AWS S3 endpoint for region {}",
            sdk.region().map_or("(none)", |r| r.as_ref())
        )
    });
    let retry = retry_config(conn, &sdk);
    let mut s3 = aws_sdk_s3::config::Builder::from(&sdk)
        // Copy requests carry no body to checksum; `WhenRequired` keeps the
        // SDK from adding CRC32 headers that some S3-compatible stores
        // reject (S3-COPY-NOTES.md, "SDK configuration facts").
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
        .interceptor(counter.clone())
        .retry_classifier(UnreadableError)
        .retry_classifier(ConditionalConflict)
        .interceptor(ListPartsRoot)
        // Keys made only of whitespace: see request::literal_key.
        .interceptor(crate::request::LiteralKeys)
        // Keys XML cannot carry: see request::listed_keys.
        .interceptor(crate::request::ListedKeys)
        .retry_config(retry)
        // An access point ARN's requests go to the region in the ARN, from
        // a client of any region (the endpoint rules' `UseArnRegion`; false
        // makes a client of another region an error). region.rs gives each
        // access point the client of its region anyway; `s3cp uploads`
        // uses the configured one.
        .use_arn_region(true)
        // The SDK rations retries per client (a 500-token quota, 5 spent
        // for good on each retry after a request's second attempt): in a
        // burst of SlowDown it ran dry and failed objects that still had
        // attempts left. s3cp's budget (budget.rs) is what slows down on
        // throttling, so throttled retries cost nothing; the others keep
        // the quota (a store that answers every request 500 is not retried
        // without end), and each request stays bounded by its attempts.
        .retry_partition(
            RetryPartition::custom("s3cp")
                .token_bucket(TokenBucket::builder().throttling_retry_cost(0).build())
                .build(),
        );
    if conn.path_style {
        s3 = s3.force_path_style(true);
    }
    let proxied = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
    let plain = url.as_deref().is_some_and(|u| {
        u.get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    });
    if plain && !proxied {
        // A plain-HTTP store (a local one): the SDK's default client reads
        // and parses every CA certificate of the system (the bundle and
        // each file of /etc/ssl/certs) before the first request, a few
        // milliseconds of a small copy's whole run, for no TLS at all.
        // Not with a proxy in the environment, which the default client
        // honours and this one would not.
        s3 = s3.http_client(aws_smithy_http_client::Builder::new().build_http());
    }
    Store {
        client: aws_sdk_s3::Client::from_conf(s3.build()),
        endpoint,
        url,
    }
}

/// The SDK configuration of `conn`, loaded the standard way (the
/// environment, the profile and its `services` section): the credentials
/// of `--profile` (or the environment's), the region `region` names, else
/// the flag's, the environment's, the profile's or us-east-1. With
/// `s3_endpoint`, `--endpoint-url` too; without it, only what the SDK reads
/// itself (`AWS_ENDPOINT_URL_S3_CONTROL`, `AWS_ENDPOINT_URL_STS`...), for
/// the services besides S3 (`--endpoint-url` is S3's alone).
pub async fn load_sdk(
    conn: &Connection,
    region: Option<&str>,
    s3_endpoint: bool,
) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    // `region`, the flag, then AWS_REGION / AWS_DEFAULT_REGION, then the
    // profile, then us-east-1. Unlike the SDK's default chain this never asks the EC2
    // instance metadata service, which off EC2 costs a timeout and a warning
    // on every run.
    let mut profile_region = ProfileFileRegionProvider::builder();
    if let Some(profile) = &conn.profile {
        profile_region = profile_region.profile_name(profile);
    }
    let given = region.map(str::to_owned).or_else(|| conn.region.clone());
    let region = RegionProviderChain::first_try(given.map(Region::new))
        .or_else(EnvironmentVariableRegionProvider::new())
        .or_else(profile_region.build())
        .or_else(Region::from_static(FALLBACK_REGION))
        .region()
        .await;
    if let Some(profile) = &conn.profile {
        // A profile named by a flag supplies the credentials, even when
        // AWS_ACCESS_KEY_ID is set (as in aws-cli): with two profiles
        // (--source-profile), the environment cannot stand for both. Its
        // role_arn or web identity is assumed through STS in the region
        // resolved above (the provider has none of its own).
        let provider_config =
            aws_config::provider_config::ProviderConfig::default().with_region(region.clone());
        loader = loader.profile_name(profile).credentials_provider(
            aws_config::profile::ProfileFileCredentialsProvider::builder()
                .profile_name(profile)
                .configure(&provider_config)
                .build(),
        );
    } else if ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
        .iter()
        .all(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()))
    {
        // The default chain would take these first too; building the chain
        // also builds its STS client, which reads and parses every CA
        // certificate of the system: a few milliseconds of a small copy's
        // whole run, for nothing.
        loader = loader.credentials_provider(
            aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
        );
    }
    if let Some(region) = region {
        loader = loader.region(region);
    }
    if let Some(url) = conn.endpoint_url.as_ref().filter(|_| s3_endpoint) {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// The retries the flags say (`--max-attempts`, `--retry-mode`), else
/// those loaded in `sdk`, with s3cp's default number of attempts.
pub fn retry_config(conn: &Connection, sdk: &aws_config::SdkConfig) -> RetryConfig {
    // AWS_MAX_ATTEMPTS, AWS_RETRY_MODE and the profile's keys are already in
    // `sdk`; the flags override them.
    let configured = sdk
        .retry_config()
        .cloned()
        .unwrap_or_else(RetryConfig::standard);
    let attempts = conn
        .max_attempts
        .or_else(|| configured_max_attempts(sdk))
        .unwrap_or(DEFAULT_MAX_ATTEMPTS);
    match conn.adaptive_retries {
        Some(true) => RetryConfig::adaptive(),
        Some(false) => RetryConfig::standard(),
        None => configured,
    }
    .with_max_attempts(attempts)
}

/// Attempts per request when neither `--max-attempts`, `AWS_MAX_ATTEMPTS`
/// nor the profile's `max_attempts` says (the SDK's own default is 3). A
/// bulk copy that meets a prefix's rate limit has some requests throttled
/// three times in a row: measured (BENCHMARKS.md, "Retries under SlowDown"
/// and the 1,000 writes/s rows), 3 attempts failed a few objects in ten
/// thousand, 5 none. aws-cli's legacy mode also makes 5; s5cmd 11.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// `AWS_MAX_ATTEMPTS` or the profile's `max_attempts` (or their S3
/// service-specific forms), when set: the loaded retry configuration says
/// 3 either way when nothing is.
fn configured_max_attempts(sdk: &aws_config::SdkConfig) -> Option<u32> {
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id("S3")
        .env("AWS_MAX_ATTEMPTS")
        .profile("max_attempts")
        .build()
        .expect("every field is set");
    sdk.service_config()
        .and_then(|c| c.load_config(key))
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n| n > 0)
}

/// The endpoint URL the S3 client will use, found as the SDK finds it
/// (`--endpoint-url`, then `AWS_ENDPOINT_URL_S3` or the profile's `s3`
/// services section, then `AWS_ENDPOINT_URL` or the profile's
/// `endpoint_url`); `None`: AWS.
fn endpoint_url(sdk: &aws_config::SdkConfig) -> Option<String> {
    if sdk.get_origin("endpoint_url").is_client_config() {
        sdk.endpoint_url().map(str::to_owned)
    } else {
        let key = aws_types::service_config::ServiceConfigKey::builder()
            .service_id("S3")
            .env("AWS_ENDPOINT_URL")
            .profile("endpoint_url")
            .build()
            .expect("every field is set");
        sdk.service_config()
            .and_then(|c| c.load_config(key))
            .or_else(|| sdk.endpoint_url().map(str::to_owned))
    }
}

/// Counts the requests the SDK sends: operations, and attempts (an attempt
/// beyond an operation's first is a retry). Read for the bulk summary.
#[derive(Debug, Clone, Default)]
pub struct RequestCounter {
    operations: std::sync::Arc<std::sync::atomic::AtomicU64>,
    attempts: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Attempts answered 503 (SlowDown) or 429: read by
    /// [`crate::budget::Budget`], which backs off.
    throttles: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The last attempt that ended found no server to connect to (set on
    /// a connector error without an answer, cleared by any answer): read
    /// by [`crate::stop::Stop`], so that a bucket's first request retrying
    /// it keeps the others waiting.
    unreachable: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl RequestCounter {
    /// The count of throttled attempts, shared.
    pub fn throttles(&self) -> std::sync::Arc<std::sync::atomic::AtomicU64> {
        self.throttles.clone()
    }

    /// Whether the last attempt found no server, shared.
    pub fn unreachable(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.unreachable.clone()
    }

    /// (requests sent, of which retries).
    pub fn counts(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        let (ops, attempts) = (self.operations.load(Relaxed), self.attempts.load(Relaxed));
        (attempts, attempts.saturating_sub(ops))
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `aws_sdk_s3::config::Intercept` is smithy's generic interceptor trait
/// (`aws_smithy_runtime_api::client::interceptors::Intercept`), which
/// every SDK client re-exports: the same counter is attached to the S3
/// Control and STS clients of a `--batch` run
/// ([`crate::handoff::clients`]), so that DescribeJob polls count in its
/// `requests`.
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

    fn read_before_deserialization(
        &self,
        context: &aws_sdk_s3::config::interceptors::BeforeDeserializationInterceptorContextRef<'_>,
        _components: &aws_sdk_s3::config::RuntimeComponents,
        _cfg: &mut aws_sdk_s3::config::ConfigBag,
    ) -> Result<(), BoxError> {
        self.unreachable
            .store(false, std::sync::atomic::Ordering::Relaxed);
        if matches!(context.response().status().as_u16(), 503 | 429) {
            self.throttles
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
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

    fn read_after_attempt(
        &self,
        context: &aws_sdk_s3::config::interceptors::FinalizerInterceptorContextRef<'_>,
        _components: &aws_sdk_s3::config::RuntimeComponents,
        _cfg: &mut aws_sdk_s3::config::ConfigBag,
    ) -> Result<(), BoxError> {
        let no_server = context.response().is_none()
            && context
                .output_or_error()
                .and_then(Result::err)
                .and_then(|e| e.as_connector_error())
                .is_some_and(|c| c.is_io() || c.is_timeout());
        if no_server {
            self.unreachable
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
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

/// Retries a 409 ConditionalRequestConflict on CopyObject and PutObject,
/// as a throttle: S3 answers it to a conditional write (`If-None-Match`,
/// `If-Match`) that a concurrent write of the same key raced, and
/// documents it as retryable. Not on CompleteMultipartUpload, where S3
/// says the upload must be started again (its parts re-uploaded): that
/// 409 fails the copy, which aborts its upload, and is reported as a
/// conflict.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConditionalConflict;

impl aws_sdk_s3::config::retry::ClassifyRetry for ConditionalConflict {
    fn classify_retry(
        &self,
        ctx: &aws_sdk_s3::config::interceptors::InterceptorContext,
    ) -> aws_sdk_s3::config::retry::RetryAction {
        use aws_sdk_s3::config::retry::RetryAction;
        use aws_sdk_s3::error::ProvideErrorMetadata;
        use aws_sdk_s3::operation::{copy_object::CopyObjectError, put_object::PutObjectError};
        let Some(Err(error)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let code = error.as_operation_error().and_then(|e| {
            e.downcast_ref::<CopyObjectError>()
                .and_then(|e| e.code())
                .or_else(|| e.downcast_ref::<PutObjectError>().and_then(|e| e.code()))
        });
        match code {
            Some(crate::error::CONDITIONAL_CONFLICT) => RetryAction::throttling_error(),
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "s3cp: 409 ConditionalRequestConflict on a conditional write"
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

/// Reads moto's ListParts answers. moto (5.2) names their root element
/// `ListPartsResponse` (its S3 model lacks the `resultWrapper` it has for
/// the other list operations); S3 and its API reference name it
/// `ListPartsResult`, and aws-sdk-s3 refuses any other root ("encountered
/// invalid XML root"), so `--resume` could not read the parts that moto
/// did list. When a 200 answer to ListParts failed to deserialize and its
/// root is `ListPartsResponse`, this renames the root and has the SDK's
/// own deserializer read it again; every other answer is left alone.
#[derive(Debug, Clone, Copy)]
struct ListPartsRoot;

impl aws_sdk_s3::config::Intercept for ListPartsRoot {
    fn name(&self) -> &'static str {
        "s3cp::ListPartsRoot"
    }

    fn modify_before_attempt_completion(
        &self,
        context: &mut aws_sdk_s3::config::interceptors::FinalizerInterceptorContextMut<'_>,
        _components: &aws_sdk_s3::config::RuntimeComponents,
        cfg: &mut aws_sdk_s3::config::ConfigBag,
    ) -> Result<(), BoxError> {
        use aws_smithy_runtime_api::client::orchestrator::Metadata;
        use aws_smithy_runtime_api::client::ser_de::{
            DeserializeResponse, SharedResponseDeserializer,
        };
        let list_parts = cfg.load::<Metadata>().map(Metadata::name) == Some("ListParts");
        if !list_parts || !matches!(context.output_or_error(), Some(Err(_))) {
            return Ok(());
        }
        let Some(response) = context.response_mut() else {
            return Ok(());
        };
        if response.status().as_u16() != 200 {
            return Ok(());
        }
        let Some(renamed) = response.body().bytes().and_then(rename_list_parts_root) else {
            return Ok(());
        };
        let Some(deserializer) = cfg.load::<SharedResponseDeserializer>() else {
            return Ok(());
        };
        *response.body_mut() = aws_smithy_types::body::SdkBody::from(renamed);
        let again = deserializer.deserialize_nonstreaming_with_config(response, cfg);
        if let Some(slot) = context.output_or_error_mut() {
            *slot = again;
        }
        Ok(())
    }
}

/// The body with its root element `ListPartsResponse` renamed to
/// `ListPartsResult`; `None` when the root is anything else.
fn rename_list_parts_root(body: &[u8]) -> Option<Vec<u8>> {
    const FROM: &str = "ListPartsResponse";
    const TO: &str = "ListPartsResult";
    let text = std::str::from_utf8(body).ok()?;
    // The root is the first element: past the declaration and comments.
    let mut at = 0;
    let open = loop {
        let i = at + text[at..].find('<')?;
        let rest = &text[i + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            at = i + 1 + rest.find('>')?;
            continue;
        }
        break i;
    };
    let after = &text[open + 1..];
    let named = after.strip_prefix(FROM)?;
    if !named.starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace()) {
        return None;
    }
    let close = format!("</{FROM}>");
    let end = text.rfind(&close)?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..open + 1]);
    out.push_str(TO);
    out.push_str(&text[open + 1 + FROM.len()..end]);
    out.push_str(&format!("</{TO}>"));
    out.push_str(&text[end + close.len()..]);
    Some(out.into_bytes())
}

/// A client whose every request gets this one canned answer, with the
/// interceptors [`build_store`] installs (for tests of how answers are read).
#[cfg(test)]
pub(crate) fn canned_client(status: u16, body: &'static str) -> aws_sdk_s3::Client {
    let conf = canned_config(status, body)
        .interceptor(ListPartsRoot)
        .interceptor(crate::request::ListedKeys);
    aws_sdk_s3::Client::from_conf(conf.build())
}

/// The configuration of [`canned_client`], without s3cp's interceptors.
#[cfg(test)]
pub(crate) fn canned_config(status: u16, body: &'static str) -> aws_sdk_s3::config::Builder {
    use aws_sdk_s3::config::http::{HttpRequest, HttpResponse};
    use aws_smithy_runtime_api::client::http::{
        HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
    };

    #[derive(Debug, Clone)]
    struct Canned(u16, &'static str);
    impl HttpConnector for Canned {
        fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
            let status = aws_smithy_runtime_api::http::StatusCode::try_from(self.0).unwrap();
            let body = aws_smithy_types::body::SdkBody::from(self.1);
            HttpConnectorFuture::ready(Ok(HttpResponse::new(status, body)))
        }
    }
    impl HttpClient for Canned {
        fn http_connector(
            &self,
            _settings: &HttpConnectorSettings,
            _components: &aws_sdk_s3::config::RuntimeComponents,
        ) -> SharedHttpConnector {
            SharedHttpConnector::new(self.clone())
        }
    }

    aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:1")
        .force_path_style(true)
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))
        .http_client(Canned(status, body))
        .retry_config(RetryConfig::disabled())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(url: Option<&str>) -> Store {
        let conf = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .build();
        Store {
            client: aws_sdk_s3::Client::from_conf(conf),
            endpoint: String::new(),
            url: url.map(str::to_owned),
        }
    }

    #[test]
    fn one_store_is_the_same_endpoint_or_both_aws() {
        let aws = store(None);
        assert!(aws.same_as(&store(None)));
        let minio = store(Some("http://minio:9000"));
        assert!(minio.same_as(&store(Some("HTTP://MINIO:9000/"))));
        assert!(!minio.same_as(&store(Some("http://minio:9001"))));
        assert!(!minio.same_as(&aws));
    }
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

    /// moto 5.2's answer to ListParts, as captured (ids shortened).
    const MOTO_LIST_PARTS: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ListPartsResponse \
        xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>b</Bucket><Key>dst</Key>\
        <UploadId>U1</UploadId><PartNumberMarker>0</PartNumberMarker>\
        <NextPartNumberMarker>1</NextPartNumberMarker><MaxParts>1000</MaxParts>\
        <IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber>\
        <LastModified>2026-11-30T18:51:27.000Z</LastModified>\
        <ETag>\"62f012671b55a645d4ab5ffc25db1973\"</ETag><Size>50</Size></Part>\
        <StorageClass>STANDARD</StorageClass></ListPartsResponse>";

    async fn list_parts(client: &aws_sdk_s3::Client) -> Result<Vec<(i32, i64)>, String> {
        let mut pages = client
            .list_parts()
            .bucket("b")
            .key("dst")
            .upload_id("U1")
            .into_paginator()
            .send();
        let mut parts = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| {
                aws_smithy_types::error::display::DisplayErrorContext(e).to_string()
            })?;
            for p in page.parts() {
                parts.push((p.part_number().unwrap(), p.size().unwrap()));
            }
        }
        Ok(parts)
    }

    #[tokio::test]
    async fn moto_list_parts_answers_are_read() {
        let client = canned_client(200, MOTO_LIST_PARTS);
        assert_eq!(list_parts(&client).await, Ok(vec![(1, 50)]));
        // Without the interceptor the SDK refuses the root element.
        let plain = aws_sdk_s3::Client::from_conf(canned_config(200, MOTO_LIST_PARTS).build());
        let err = list_parts(&plain).await.unwrap_err();
        assert!(err.contains("expected ListPartsResult"), "{err}");
    }

    #[test]
    fn only_a_list_parts_response_root_is_renamed() {
        let renamed = rename_list_parts_root(MOTO_LIST_PARTS.as_bytes()).unwrap();
        let text = String::from_utf8(renamed).unwrap();
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ListPartsResult "));
        assert!(text.ends_with("</ListPartsResult>"));
        assert!(!text.contains("ListPartsResponse"));
        for other in [
            "<ListPartsResult><Part/></ListPartsResult>",
            "<Error><Code>InternalError</Code></Error>",
            "<ListPartsResponseX></ListPartsResponseX>",
            "<!-- <ListPartsResponse> --><Other/>",
            "",
        ] {
            assert_eq!(rename_list_parts_root(other.as_bytes()), None, "{other}");
        }
    }
}
