//! The ENVIRONMENT and FILES sections of the manual page (`man s3cp`):
//! every environment variable s3cp reads, its own and those of the AWS SDK
//! that users set, and the files it reads and writes. Kept here, in one
//! place, as plain text: the man page is rendered from these tables
//! (tests/generated.rs), and tests/generated.rs fails when the code reads a
//! variable that is not listed, or lists one of s3cp's own that it no
//! longer reads.

/// `(variable, what it does)`: s3cp's own first, then the AWS SDK's.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "S3CP_STATE_DIR",
        "Directory of the resume journals (see FILES). Keep it across runs (a CI cache, say) \
         so that a rerun on another machine can resume.",
    ),
    (
        "S3CP_SSE_C_KEY",
        "The destination's SSE-C key, base64, for --sse-c without --sse-c-key or \
         --sse-c-key-file (keeps it out of shell history).",
    ),
    (
        "S3CP_SSE_C_COPY_SOURCE_KEY",
        "The source's SSE-C key, base64, for --sse-c-copy-source without a key flag.",
    ),
    (
        "XDG_STATE_HOME",
        "Base of the default journal directory ($XDG_STATE_HOME/s3cp).",
    ),
    (
        "HOME",
        "Where ~/.aws/ and ~/.local/state/ are (USERPROFILE on Windows).",
    ),
    (
        "RUST_LOG",
        "What is logged on stderr (a tracing filter such as s3cp=debug); overrides -v.",
    ),
    ("NO_COLOR", "When set, logs on stderr are not coloured."),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
        "Proxies for the requests (lower-case names too), as the AWS SDK reads them.",
    ),
    (
        "SSL_CERT_FILE, SSL_CERT_DIR",
        "The CA certificates (PEM) to trust instead of the system's: a TLS-inspecting proxy's, say.",
    ),
    (
        "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN",
        "Credentials; not used when --profile is given (the profile's are).",
    ),
    (
        "AWS_PROFILE",
        "The profile of the AWS config files to use when --profile is not given.",
    ),
    (
        "AWS_REGION, AWS_DEFAULT_REGION",
        "The region when --region is not given (before the profile's region).",
    ),
    (
        "AWS_CONFIG_FILE",
        "The AWS config file (default ~/.aws/config).",
    ),
    (
        "AWS_SHARED_CREDENTIALS_FILE",
        "The AWS credentials file (default ~/.aws/credentials).",
    ),
    (
        "AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL",
        "The endpoint when --endpoint-url is not given (an S3-compatible store).",
    ),
    (
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "When true, the two above and the profile's endpoint_url are ignored.",
    ),
    (
        "AWS_MAX_ATTEMPTS",
        "Attempts per request when --max-attempts is not given (else the profile's, else 5).",
    ),
    (
        "AWS_RETRY_MODE",
        "standard or adaptive, when --retry-mode is not given.",
    ),
    (
        "AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_SESSION_NAME",
        "Assume a role with a web identity token (EKS service accounts, CI OIDC).",
    ),
    (
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI, \
         AWS_CONTAINER_AUTHORIZATION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "Credentials of an ECS task or an EKS pod identity.",
    ),
    (
        "AWS_EC2_METADATA_DISABLED",
        "When true, no credentials or region are asked of the EC2 instance metadata service.",
    ),
    (
        "AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT",
        "Use S3's FIPS or dual-stack (IPv6) endpoints.",
    ),
];

/// `(file, what it holds)`.
pub const FILES: &[(&str, &str)] = &[
    (
        "~/.aws/config",
        "Profiles ([default], [profile NAME]): region, endpoint_url, max_attempts, \
         retry_mode, role_arn, sso_*, credential_process... ($AWS_CONFIG_FILE).",
    ),
    (
        "~/.aws/credentials",
        "Profiles' keys ([NAME]: aws_access_key_id, aws_secret_access_key) \
         ($AWS_SHARED_CREDENTIALS_FILE).",
    ),
    (
        "$S3CP_STATE_DIR, else $XDG_STATE_HOME/s3cp, else ~/.local/state/s3cp",
        "The journal directory: one file per interrupted multipart copy (its upload id, the \
         parts done, the source's ETag and version, what the upload was created with), so \
         that a rerun can resume it; removed when the copy ends. On Windows, the local \
         application data directory's s3cp.",
    ),
];

/// Each variable name of [`ENVIRONMENT`] (the entries that name several,
/// one by one).
pub fn variables() -> impl Iterator<Item = &'static str> {
    ENVIRONMENT
        .iter()
        .flat_map(|(names, _)| names.split(", "))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_a_variable_name() {
        for name in variables() {
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{name:?}"
            );
        }
        assert!(variables().any(|v| v == "AWS_DEFAULT_REGION"));
    }
}
