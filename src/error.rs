//! Error kinds, the S3 error details users need (operation, code, message,
//! request id), and the mapping onto s3cp's documented exit codes; the
//! messages that explain a copy's failures are in [`messages`].

use std::fmt;
use std::process::ExitCode;

use std::error::Error as _;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ErrorMetadata, ProvideErrorMetadata, SdkError};

use crate::checksum::Checksum;

/// S3's code for a conditional write (`If-None-Match`, `If-Match`) that
/// another write of the key raced (409); retryable on CopyObject and
/// PutObject ([`crate::client::ConditionalConflict`]), not on Complete.
pub const CONDITIONAL_CONFLICT: &str = "ConditionalRequestConflict";

pub(crate) mod messages;

/// s3cp's exit codes. Stable: scripts depend on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything was copied.
    Copied = 0,
    /// A copy failed (S3 refused it, the network failed, a condition did not
    /// hold). Nothing half-made is left behind.
    CopyFailed = 1,
    /// Bad usage or input: nothing was sent that writes.
    Usage = 2,
    /// Interrupted by Ctrl-C (SIGINT); in-flight multipart uploads aborted.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// A failure of a whole command, carrying what its exit code should be.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad usage or input (exit 2).
    #[error(transparent)]
    Usage(anyhow::Error),
    /// The copy failed (exit 1).
    #[error(transparent)]
    Copy(anyhow::Error),
    /// Interrupted (exit 130); with what was kept for `--resume`, if
    /// anything, and the uploads it may have started unknowingly
    /// ([`Learned::possible_strays`]).
    #[error("interrupted")]
    Interrupted {
        note: Option<String>,
        possible_strays: Vec<String>,
    },
}

impl Failure {
    pub fn exit(&self) -> Exit {
        match self {
            Failure::Usage(_) => Exit::Usage,
            Failure::Copy(_) => Exit::CopyFailed,
            Failure::Interrupted { .. } => Exit::Interrupted,
        }
    }

    /// The S3 error behind this failure, if an S3 request failed.
    pub fn s3_error(&self) -> Option<&S3Error> {
        self.error()?
            .chain()
            .find_map(|c| c.downcast_ref::<S3Error>())
    }

    /// Sorts an engine error into its exit code: an interruption, input
    /// that planning refused, or a failed copy.
    pub fn from_copy_error(e: anyhow::Error) -> Failure {
        let inner = e.downcast_ref::<Learned>().map_or(&e, |k| &k.error);
        if inner.downcast_ref::<Interrupted>().is_some() {
            let note = inner.to_string();
            Failure::Interrupted {
                note: (note != "interrupted").then_some(note),
                possible_strays: e
                    .downcast_ref::<Learned>()
                    .map(|k| k.possible_strays.clone())
                    .unwrap_or_default(),
            }
        } else if inner.downcast_ref::<crate::plan::PlanError>().is_some()
            || inner.downcast_ref::<NothingToResume>().is_some()
            || inner.downcast_ref::<ResumeRefused>().is_some()
        {
            Failure::Usage(e)
        } else {
            Failure::Copy(e)
        }
    }

    /// The top-level error, for `Caused by:` printing.
    pub fn error(&self) -> Option<&anyhow::Error> {
        match self {
            Failure::Usage(e) | Failure::Copy(e) => {
                Some(e.downcast_ref::<Learned>().map_or(e, |k| &k.error))
            }
            Failure::Interrupted { .. } => None,
        }
    }

    /// The source's size, when it was read before the copy failed.
    pub fn size(&self) -> Option<u64> {
        match self {
            Failure::Usage(e) | Failure::Copy(e) => {
                e.downcast_ref::<Learned>().and_then(|k| k.size)
            }
            Failure::Interrupted { .. } => None,
        }
    }

    /// The uploads the copy may have started without knowing
    /// ([`Learned::possible_strays`]).
    pub fn possible_strays(&self) -> &[String] {
        match self {
            Failure::Usage(e) | Failure::Copy(e) => e
                .downcast_ref::<Learned>()
                .map_or(&[], |k| &k.possible_strays),
            Failure::Interrupted {
                possible_strays, ..
            } => possible_strays,
        }
    }
}

/// A copy's error with what the copy learned before it failed, for the
/// report: the source's size once the HEAD read it, and the uploads that
/// its CreateMultipartUpload may have started unknowingly (an attempt
/// whose answer was lost). [`Failure::error`] unwraps it; it reads as the
/// error it carries.
#[derive(Debug)]
pub struct Learned {
    pub size: Option<u64>,
    /// Ids of uploads of the destination key that an attempt of the copy's
    /// CreateMultipartUpload whose answer was lost may have started, or
    /// another writer did: s3cp cannot tell, so it left them.
    pub possible_strays: Vec<String>,
    pub error: anyhow::Error,
}

impl Learned {
    /// `error` with the possible strays; an error that carried some
    /// already keeps them.
    pub fn with_strays(error: anyhow::Error, possible_strays: Vec<String>) -> anyhow::Error {
        if possible_strays.is_empty() {
            return error;
        }
        let mut learned = Learned::from(error);
        learned.possible_strays.extend(possible_strays);
        anyhow::Error::new(learned)
    }

    /// `error` under `context`, which reads first; what was learned is
    /// kept.
    pub fn context(error: anyhow::Error, context: String) -> anyhow::Error {
        match error.downcast::<Learned>() {
            Ok(mut learned) => {
                learned.error = learned.error.context(context);
                anyhow::Error::new(learned)
            }
            Err(error) => error.context(context),
        }
    }

    /// `error` with the source's size.
    pub fn with_size(error: anyhow::Error, size: u64) -> anyhow::Error {
        let mut learned = Learned::from(error);
        learned.size = Some(size);
        anyhow::Error::new(learned)
    }
}

/// An error as a [`Learned`]: its own, when it is one already.
impl From<anyhow::Error> for Learned {
    fn from(error: anyhow::Error) -> Self {
        match error.downcast::<Learned>() {
            Ok(learned) => learned,
            Err(error) => Learned {
                size: None,
                possible_strays: Vec::new(),
                error,
            },
        }
    }
}

impl fmt::Display for Learned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for Learned {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

/// The copy was stopped by the user (Ctrl-C); anything started was undone.
#[derive(Debug, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// `--resume` found no journal for the copy: bad input (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NothingToResume(pub String);

/// `--resume` cannot continue the journal's upload as asked: the journal
/// cannot be used (corrupt, edited, of another version), or this run's
/// flags differ from those the upload was created with. Bad input (exit
/// 2): nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ResumeRefused(pub String);

/// What kind of failure an [`S3Error`] is, beyond its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The service answered with an error it named (or that its status
    /// names, for answers without a body such as HEAD's).
    Refused,
    /// An answer came back that could not be read: a body the SDK's
    /// deserializer refused, or one cut off while it was read.
    Unreadable,
    /// No answer came back: the endpoint could not be reached, or the
    /// request timed out.
    NoAnswer,
    /// No credentials were found anywhere, so nothing was sent.
    NoCredentials,
    /// A credentials provider failed (a role that cannot be assumed, an
    /// expired SSO session): nothing was sent.
    CredentialsFailed,
    /// The request could not be built or sent for another reason.
    NotSent,
}

/// What to say when a request got no answer: where it went, and what to
/// check. `doing` completes "cannot reach S3 at ... to".
pub fn unreachable(endpoint: &str, doing: &str) -> String {
    format!(
        "cannot reach S3 at {endpoint} to {doing}: check --endpoint-url (or AWS_ENDPOINT_URL), \
         the region and the network"
    )
}

/// What to say when no credentials were found at all.
pub fn no_credentials() -> String {
    "no credentials: none were found in the environment (AWS_ACCESS_KEY_ID and \
     AWS_SECRET_ACCESS_KEY), the AWS config files (~/.aws/config, ~/.aws/credentials) or \
     the instance metadata service: set them, give --profile, or configure SSO (aws \
     configure sso) or an instance role"
        .to_owned()
}

/// What to say of a bucket that does not exist; `end` is `source` or
/// `destination`.
pub fn missing_bucket(bucket: &str, end: &str) -> String {
    format!(
        "the {end} bucket {bucket} does not exist: check its name (and --endpoint-url, or the \
         store the profile points to), or create it first"
    )
}

/// One failed S3 request, with what the service said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Error {
    /// The S3 operation, e.g. `UploadPartCopy`.
    pub operation: &'static str,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The S3 error code (`AccessDenied`, `PreconditionFailed`, ...), or a
    /// client-side kind (`DispatchFailure`, `Timeout`, `ResponseError`)
    /// when no readable error came back.
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub kind: Kind,
}

impl std::error::Error for S3Error {}

impl fmt::Display for S3Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == Kind::Unreadable {
            write!(f, "{}: the answer", self.operation)?;
            match (self.status, &self.request_id) {
                (Some(s), Some(id)) => write!(f, " (HTTP {s}, request id {id})")?,
                (Some(s), None) => write!(f, " (HTTP {s})")?,
                (None, _) => {}
            }
            return write!(f, " could not be read: {}", self.message);
        }
        write!(f, "{} failed: {}", self.operation, self.code)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(status) = self.status {
            write!(f, " (HTTP {status}")?;
            if let Some(id) = &self.request_id {
                write!(f, ", request id {id}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl S3Error {
    /// Extracts code, message, status and request id from an SDK error.
    pub fn from_sdk<E>(operation: &'static str, err: &SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let status = err.raw_response().map(|r| r.status().as_u16());
        let header_request_id = || {
            err.raw_response()
                .and_then(|r| r.headers().get("x-amz-request-id"))
                .map(str::to_owned)
        };
        let (kind, code, message, request_id) = match err {
            SdkError::ServiceError(se) => {
                let meta = se.err().meta();
                // The SDK keeps what its deserializer could not read as the
                // source of an error without a code; an error document it
                // found no code in leaves only the (empty) metadata there.
                let source = se.err().source();
                let refused_parse = source.is_some_and(|s| !s.is::<ErrorMetadata>());
                let body = err
                    .raw_response()
                    .and_then(|r| r.body().bytes())
                    .unwrap_or_default();
                let has_body = !body.trim_ascii().is_empty();
                if meta.code().is_none() && (refused_parse || has_body) {
                    let code = status_name(status).unwrap_or("ResponseError").to_owned();
                    let why = if refused_parse {
                        chain_text(source)
                    } else {
                        format!("it is not an S3 error document: {}", excerpt(body))
                    };
                    (Kind::Unreadable, code, why, header_request_id())
                } else {
                    // An answer without a body (HEAD's 403, 404, 412) is
                    // named by its status.
                    let code = meta.code().map(str::to_owned).unwrap_or_else(|| {
                        status_name(status)
                            .map(str::to_owned)
                            .unwrap_or_else(|| format!("HTTP{}", status.unwrap_or(0)))
                    });
                    let request_id = meta
                        .extra("aws_request_id")
                        .or_else(|| meta.extra("s3_extended_request_id"))
                        .map(str::to_owned);
                    let mut message = meta.message().unwrap_or("").to_owned();
                    // A region redirect that names no region cannot be
                    // followed: say which flag names it.
                    if unnamed_redirect(err) {
                        let fix = unnamed_fix(operation);
                        message = match message.is_empty() {
                            true => fix,
                            false => format!("{message}; {fix}"),
                        };
                    }
                    (Kind::Refused, code, message, request_id)
                }
            }
            SdkError::ResponseError(_) => {
                let why = chain_text(err.source());
                let code = "ResponseError".to_owned();
                (Kind::Unreadable, code, why, header_request_id())
            }
            _ if credentials_error(err).is_some() => {
                let code = sdk_kind(err).to_owned();
                let text = error_text(err);
                // The default chain asks the instance metadata service
                // last, once nothing else (environment, config files, SSO,
                // web identity, container) had credentials: its failure
                // off EC2 (refused, timed out, "IMDS is disabled") means
                // that none were found, not a role problem.
                let kind = match credentials_error(err) {
                    Some(CredentialsError::CredentialsNotLoaded(_)) => Kind::NoCredentials,
                    _ if text.contains("IMDS") => Kind::NoCredentials,
                    _ => Kind::CredentialsFailed,
                };
                (kind, code, text, None)
            }
            SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => (
                Kind::NoAnswer,
                sdk_kind(err).to_owned(),
                error_text(err),
                None,
            ),
            _ => (
                Kind::NotSent,
                sdk_kind(err).to_owned(),
                error_text(err),
                None,
            ),
        };
        Self {
            operation,
            status,
            code,
            message,
            request_id,
            kind,
        }
    }

    pub fn is_code(&self, code: &str) -> bool {
        self.code == code
    }

    /// No credentials could be loaded: no request was sent.
    pub fn is_credentials(&self) -> bool {
        matches!(self.kind, Kind::NoCredentials | Kind::CredentialsFailed)
    }

    /// No credentials were found at all (rather than a provider failing).
    pub fn is_missing_credentials(&self) -> bool {
        self.kind == Kind::NoCredentials
    }

    /// No answer came back: the endpoint could not be reached.
    pub fn is_unreachable(&self) -> bool {
        self.kind == Kind::NoAnswer
    }
}

/// Whether `err` is S3 saying that a bucket is in another region without
/// saying which: a 301 (or 307), or a 400 AuthorizationHeaderMalformed /
/// IllegalLocationConstraintException, without `x-amz-bucket-region` (an
/// endpoint or a proxy that drops the header). [`crate::region::redirect`] cannot follow
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

/// The SDK's name for an error that carries no S3 code.
fn sdk_kind<E>(err: &SdkError<E, HttpResponse>) -> &'static str {
    match err {
        SdkError::ServiceError(_) => "ServiceError",
        SdkError::TimeoutError(_) => "Timeout",
        SdkError::DispatchFailure(_) => "DispatchFailure",
        SdkError::ResponseError(_) => "ResponseError",
        SdkError::ConstructionFailure(_) => "ConstructionFailure",
        _ => "Unknown",
    }
}

/// Whether the error comes from the credentials chain (nothing could be
/// loaded, a provider failed or timed out), found by its type anywhere in
/// the error's sources.
fn credentials_error<E: std::error::Error + 'static>(
    err: &SdkError<E, HttpResponse>,
) -> Option<&CredentialsError> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(c) = e.downcast_ref::<CredentialsError>() {
            return Some(c);
        }
        next = e.source();
    }
    None
}

/// The name a bodiless error answer's status gives it (HEAD answers
/// carry no body, so no code).
fn status_name(status: Option<u16>) -> Option<&'static str> {
    match status? {
        301 => Some("PermanentRedirect"),
        403 => Some("AccessDenied"),
        404 => Some("NotFound"),
        412 => Some("PreconditionFailed"),
        _ => None,
    }
}

/// The start of a body, on one line, for a message.
fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("'{}...'", &line[..cut]),
        None => format!("'{line}'"),
    }
}

/// An error and its sources, each by its `Display`, on one line.
fn chain_text(first: Option<&(dyn std::error::Error + 'static)>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = first;
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && parts.last() != Some(&text) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// The SDK's error and its sources, each by its `Display`, on one line.
/// Never contains credentials: the SDK does not put them into errors.
fn error_text<E: std::error::Error + 'static>(err: &SdkError<E, HttpResponse>) -> String {
    chain_text(Some(err))
}

/// Shorthand: map an SDK error into an [`S3Error`] inside an `anyhow` chain.
pub fn s3<E>(operation: &'static str) -> impl FnOnce(SdkError<E, HttpResponse>) -> anyhow::Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    move |err| anyhow::Error::new(S3Error::from_sdk(operation, &err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_operation_code_and_request() {
        let e = S3Error {
            operation: "UploadPartCopy",
            status: Some(412),
            code: "PreconditionFailed".into(),
            message: "At least one of the pre-conditions you specified did not hold".into(),
            request_id: Some("R1".into()),
            kind: Kind::Refused,
        };
        assert_eq!(
            e.to_string(),
            "UploadPartCopy failed: PreconditionFailed: At least one of the pre-conditions you specified did not hold (HTTP 412, request id R1)"
        );
    }

    async fn list_parts_error(status: u16, body: &'static str) -> S3Error {
        let client = crate::client::canned_client(status, body);
        let err = client
            .list_parts()
            .bucket("b")
            .key("k")
            .upload_id("U1")
            .send()
            .await
            .unwrap_err();
        S3Error::from_sdk("ListParts", &err)
    }

    #[tokio::test]
    async fn an_answer_that_cannot_be_read_says_so() {
        let e = list_parts_error(
            200,
            "<ListPartsResult><MaxParts>many</MaxParts></ListPartsResult>",
        )
        .await;
        let text = e.to_string();
        assert_eq!(e.kind, Kind::Unreadable, "{text}");
        assert!(
            text.starts_with("ListParts: the answer (HTTP 200) could not be read: "),
            "{text}"
        );
        assert!(
            text.contains("MaxParts"),
            "names what failed to parse: {text}"
        );
        assert!(!text.contains("HTTP200"), "{text}");
        // A 200 whose body is not even XML, and an error answer whose body
        // is not S3's error document.
        let e = list_parts_error(200, "not xml").await;
        assert_eq!(e.kind, Kind::Unreadable, "{e}");
        assert!(
            e.to_string()
                .starts_with("ListParts: the answer (HTTP 200) could not be read")
        );
        let e = list_parts_error(502, "<html><body>Bad Gateway</body></html>").await;
        assert_eq!(
            e.to_string(),
            "ListParts: the answer (HTTP 502) could not be read: it is not an S3 error \
             document: '<html><body>Bad Gateway</body></html>'"
        );
        assert_eq!(e.code, "ResponseError");
    }

    #[tokio::test]
    async fn an_error_answer_without_a_body_is_named_by_its_status() {
        let client = crate::client::canned_client(403, "");
        let err = client
            .head_object()
            .bucket("b")
            .key("k")
            .send()
            .await
            .unwrap_err();
        let e = S3Error::from_sdk("HeadObject", &err);
        assert_eq!(e.kind, Kind::Refused);
        assert_eq!(e.to_string(), "HeadObject failed: AccessDenied (HTTP 403)");
        let e = list_parts_error(
            404,
            "<Error><Code>NoSuchUpload</Code><Message>gone</Message></Error>",
        )
        .await;
        assert!(e.is_code("NoSuchUpload") && e.kind == Kind::Refused, "{e}");
    }

    #[tokio::test]
    async fn credential_errors_are_known_by_their_type() {
        use aws_credential_types::provider::{ProvideCredentials, future};
        #[derive(Debug)]
        struct Failing;
        impl ProvideCredentials for Failing {
            fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
            where
                Self: 'a,
            {
                // Worded unlike the SDK's own "no credentials" messages.
                future::ProvideCredentials::ready(Err(CredentialsError::provider_error(
                    "the SSO session has expired",
                )))
            }
        }
        let conf = crate::client::canned_config(200, "").credentials_provider(Failing);
        let client = aws_sdk_s3::Client::from_conf(conf.build());
        let err = client
            .head_object()
            .bucket("b")
            .key("k")
            .send()
            .await
            .unwrap_err();
        let e = S3Error::from_sdk("HeadObject", &err);
        assert!(e.is_credentials() && !e.is_unreachable(), "{e:?}");
        // A provider that failed is not "no credentials found".
        assert!(!e.is_missing_credentials(), "{e:?}");
        assert!(e.message.contains("the SSO session has expired"), "{e:?}");

        // A refused connection whose text happens to mention credentials.
        let refused: SdkError<aws_sdk_s3::operation::head_object::HeadObjectError, HttpResponse> =
            SdkError::dispatch_failure(aws_sdk_s3::error::ConnectorError::io(Box::new(
                std::io::Error::other("no credentials were harmed: connection refused"),
            )));
        let e = S3Error::from_sdk("HeadObject", &refused);
        assert!(!e.is_credentials() && e.is_unreachable(), "{e:?}");
    }

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Copied as u8, 0);
        assert_eq!(Exit::CopyFailed as u8, 1);
        assert_eq!(Exit::Usage as u8, 2);
        assert_eq!(Exit::Interrupted as u8, 130);
        let interrupted = Failure::Interrupted {
            note: None,
            possible_strays: Vec::new(),
        };
        assert_eq!(interrupted.exit(), Exit::Interrupted);
        assert_eq!(Failure::Usage(anyhow::anyhow!("x")).exit(), Exit::Usage);
    }
}

/// A copy whose destination is not identical to its source: the checksum
/// (or ETag) S3 gives the destination differs from the source's. The
/// destination is left as S3 made it.
#[derive(Debug, thiserror::Error)]
#[error(
    "{dst} is not identical to {src}: its {what} is {destination_value}, the source's is {source_value}; \
     the destination was left as S3 made it: check it, then copy again or delete it"
)]
pub struct ChecksumMismatch {
    pub src: String,
    pub dst: String,
    /// The algorithm compared (`CRC64NVME`), or `ETag`.
    pub what: String,
    pub source_value: String,
    pub destination_value: String,
    /// The destination's checksum and ETag, as S3 reported them.
    pub checksum: Option<Checksum>,
    pub etag: Option<String>,
}

/// `--verify` was given and nothing could prove the copy identical.
#[derive(Debug, thiserror::Error)]
#[error(
    "{dst} could not be proved identical to its source (--verify): {why}; the destination was \
     left as S3 made it"
)]
pub struct NotVerified {
    pub dst: String,
    pub why: String,
    /// The destination's checksum and ETag, as S3 reported them.
    pub checksum: Option<Checksum>,
    pub etag: Option<String>,
}
