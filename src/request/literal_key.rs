//! Keys made only of whitespace, which the SDK refuses by itself
//! (aws-sdk-rust#1216): a marker takes them past the SDK's check, and an
//! interceptor takes the marker out again before the request is signed.

use aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};

/// The object key as a request builder gets it. The SDK refuses a key made
/// only of whitespace before it sends anything: the endpoint parameters of
/// every operation drop a key whose `trim()` is empty, then fail with
/// "missing field key" (aws-sdk-rust#1216), although S3 stores such keys
/// and boto3 and aws-cli copy them. Such a key gets a marker appended,
/// which takes it past that check (S3's endpoint rules never read the
/// key); [`LiteralKeys`], on the client, removes the marker from the
/// request's URI before it is signed, so S3 receives the key exactly as
/// given. Any other key is returned as it is.
pub fn literal_key(key: &str) -> String {
    if key.is_empty() || !key.trim().is_empty() {
        return key.to_owned();
    }
    format!("{key}{}", marker().0)
}

/// The marker (a NUL and a random number drawn once per process, so no
/// real key can end with it) and its percent-encoded form in a URI path.
fn marker() -> &'static (String, String) {
    static MARKER: std::sync::LazyLock<(String, String)> = std::sync::LazyLock::new(|| {
        use std::hash::BuildHasher;
        let nonce = std::collections::hash_map::RandomState::new().hash_one("s3cp");
        (format!("\0{nonce:016x}"), format!("%00{nonce:016x}"))
    });
    &MARKER
}

/// Removes the marker of [`literal_key`] from a request URI, if it is there.
pub(super) fn strip_marker(uri: &str) -> Option<String> {
    let encoded = &marker().1;
    uri.contains(encoded.as_str())
        .then(|| uri.replacen(encoded.as_str(), "", 1))
}

/// The client interceptor that completes [`literal_key`]: before a request
/// is signed (on every attempt), the marker is taken out of its URI.
#[derive(Debug, Clone, Copy, Default)]
pub struct LiteralKeys;

impl Intercept for LiteralKeys {
    fn name(&self) -> &'static str {
        "s3cp::LiteralKeys"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if let Some(uri) = strip_marker(request.uri()) {
            request.set_uri(uri)?;
        }
        Ok(())
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;
