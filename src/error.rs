//! Error kinds, the S3 error details users need (operation, code, message,
//! request id), and the mapping onto s3cp's documented exit codes.

use std::fmt;
use std::process::ExitCode;

use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};

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
    /// anything.
    #[error("interrupted")]
    Interrupted(Option<String>),
}

impl Failure {
    pub fn exit(&self) -> Exit {
        match self {
            Failure::Usage(_) => Exit::Usage,
            Failure::Copy(_) => Exit::CopyFailed,
            Failure::Interrupted(_) => Exit::Interrupted,
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
        let inner = e.downcast_ref::<KnownSize>().map_or(&e, |k| &k.error);
        if inner.downcast_ref::<crate::copy::Interrupted>().is_some() {
            let note = inner.to_string();
            Failure::Interrupted((note != "interrupted").then_some(note))
        } else if inner.downcast_ref::<crate::plan::PlanError>().is_some()
            || inner
                .downcast_ref::<crate::copy::NothingToResume>()
                .is_some()
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
                Some(e.downcast_ref::<KnownSize>().map_or(e, |k| &k.error))
            }
            Failure::Interrupted(_) => None,
        }
    }

    /// The source's size, when it was read before the copy failed.
    pub fn size(&self) -> Option<u64> {
        match self {
            Failure::Usage(e) | Failure::Copy(e) => e.downcast_ref::<KnownSize>().map(|k| k.size),
            Failure::Interrupted(_) => None,
        }
    }
}

/// A copy's error once the source's size is known, so that the report can
/// give the size of an object that failed. [`Failure::error`] unwraps it;
/// it reads as the error it carries.
#[derive(Debug)]
pub struct KnownSize {
    pub size: u64,
    pub error: anyhow::Error,
}

impl fmt::Display for KnownSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for KnownSize {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

/// One failed S3 request, with what the service said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Error {
    /// The S3 operation, e.g. `UploadPartCopy`.
    pub operation: &'static str,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The S3 error code (`AccessDenied`, `PreconditionFailed`, ...), or a
    /// client-side kind (`DispatchFailure`, `Timeout`) when no response came.
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

impl std::error::Error for S3Error {}

impl fmt::Display for S3Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        let (code, message, request_id) = match err {
            SdkError::ServiceError(se) => {
                let meta = se.err().meta();
                let code = meta
                    .code()
                    .map(str::to_owned)
                    .unwrap_or_else(|| status_code_name(status));
                let request_id = meta
                    .extra("aws_request_id")
                    .or_else(|| meta.extra("s3_extended_request_id"))
                    .map(str::to_owned);
                (code, meta.message().unwrap_or("").to_owned(), request_id)
            }
            SdkError::TimeoutError(_) => ("Timeout".to_owned(), error_text(err), None),
            SdkError::DispatchFailure(_) => ("DispatchFailure".to_owned(), error_text(err), None),
            SdkError::ResponseError(_) => ("ResponseError".to_owned(), error_text(err), None),
            SdkError::ConstructionFailure(_) => {
                ("ConstructionFailure".to_owned(), error_text(err), None)
            }
            _ => ("Unknown".to_owned(), error_text(err), None),
        };
        Self {
            operation,
            status,
            code,
            message,
            request_id,
        }
    }

    pub fn is_code(&self, code: &str) -> bool {
        self.code == code
    }

    /// No credentials could be loaded: no request was sent.
    pub fn is_credentials(&self) -> bool {
        self.message.contains("loading credentials") || self.message.contains("no credentials")
    }

    /// No answer came back: the endpoint could not be reached.
    pub fn is_unreachable(&self) -> bool {
        matches!(self.code.as_str(), "DispatchFailure" | "Timeout") && !self.is_credentials()
    }
}

fn status_code_name(status: Option<u16>) -> String {
    match status {
        Some(301) => "PermanentRedirect".into(),
        Some(403) => "AccessDenied".into(),
        Some(404) => "NotFound".into(),
        Some(412) => "PreconditionFailed".into(),
        Some(s) => format!("HTTP{s}"),
        None => "Unknown".into(),
    }
}

/// The SDK's error and its sources, each by its `Display`, on one line.
/// Never contains credentials: the SDK does not put them into errors.
fn error_text<E: std::error::Error + 'static>(err: &SdkError<E, HttpResponse>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && parts.last() != Some(&text) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
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
        };
        assert_eq!(
            e.to_string(),
            "UploadPartCopy failed: PreconditionFailed: At least one of the pre-conditions you specified did not hold (HTTP 412, request id R1)"
        );
    }

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Copied as u8, 0);
        assert_eq!(Exit::CopyFailed as u8, 1);
        assert_eq!(Exit::Usage as u8, 2);
        assert_eq!(Exit::Interrupted as u8, 130);
        assert_eq!(Failure::Interrupted(None).exit(), Exit::Interrupted);
        assert_eq!(Failure::Usage(anyhow::anyhow!("x")).exit(), Exit::Usage);
    }
}
