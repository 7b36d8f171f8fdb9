//! Recognising s3cp's own write of the destination after its answer was
//! lost. A write the SDK sends again (its first answer lost on the way)
//! can meet the object its first attempt made: a conditional CopyObject
//! or PutObject then gets a 412 (`--no-overwrite`, `--if-match`), a
//! CompleteMultipartUpload a NoSuchUpload (or, conditional, a 412). Taken
//! at its word, that reports a failure for a copy that was made, so a HEAD
//! of the destination ([`Engine::own_write`]) decides: only an object that
//! looks like this write ([`OwnWrite`]: its size, its ETag where that can
//! be known, and a Last-Modified no earlier than the copy's start by the
//! server's clock, [`ServerClock`]) is taken for it; anything else stays
//! the conflict it looks like. [`LastAttempts`] tells whether a write was
//! sent more than once at all, and what the server's `Date` said.
//!
//! It lives apart from the copy's orchestration ([`super`]) because every
//! path that writes (single, multipart, stream) asks the same question,
//! and its clock arithmetic has unit tests of its own.

use std::time::{Duration, SystemTime};

use super::{Engine, version};
use crate::checksum::Checksum;
use crate::client::{AttemptLog, Attempts};
use crate::error::S3Error;
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::request;

/// The attempt log of a request that [`Engine::send_to`] may send twice
/// (again in the bucket's region after a redirect): each send gets a fresh
/// log, and the last send's is the one that counts (a redirected send
/// reached no bucket).
#[derive(Debug, Default)]
pub(crate) struct LastAttempts(std::sync::Mutex<Attempts>);

impl LastAttempts {
    /// A new log for the next send.
    pub(crate) fn fresh(&self) -> Attempts {
        let fresh = Attempts::default();
        *self.0.lock().expect("attempts lock") = fresh.clone();
        fresh
    }

    /// The last send's log.
    pub(crate) fn log(&self) -> AttemptLog {
        self.0.lock().expect("attempts lock").log()
    }
}

/// Allowance for comparing this machine's times with the server's once its
/// clock is known from a `Date` header: `Date`, `Last-Modified` and
/// `Initiated` may be whole seconds, and an answer takes time to arrive.
const SKEW: Duration = Duration::from_secs(2);

/// The allowance when no answer carried a `Date`.
const UNKNOWN_SKEW: Duration = Duration::from_secs(30);

/// The server's clock against this machine's, as an answer's `Date` told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerClock {
    /// Server time minus this machine's time, in milliseconds.
    ahead_ms: Option<i128>,
}

impl ServerClock {
    pub(crate) fn from_log(log: &AttemptLog) -> Self {
        let ms = |t: SystemTime| match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_millis() as i128,
            Err(e) => -(e.duration().as_millis() as i128),
        };
        ServerClock {
            ahead_ms: log
                .server_date
                .map(|(server, local)| ms(server) - ms(local)),
        }
    }

    pub(crate) fn is_known(&self) -> bool {
        self.ahead_ms.is_some()
    }

    /// What the server's clock read when this machine's read `local`.
    pub(crate) fn server_time(&self, local: SystemTime) -> SystemTime {
        let ahead = self.ahead_ms.unwrap_or(0);
        let by = Duration::from_millis(ahead.unsigned_abs() as u64);
        if ahead >= 0 { local + by } else { local - by }
    }

    /// How far a time compared with the server's may be off.
    pub(crate) fn margin(&self) -> Duration {
        if self.is_known() { SKEW } else { UNKNOWN_SKEW }
    }
}

/// What s3cp's own write of the destination looks like, to recognise it
/// when the answer to that write was lost and a resend of it failed.
#[derive(Debug, Clone)]
pub(crate) struct OwnWrite {
    pub(crate) size: u64,
    pub(crate) etag: EtagCheck,
    /// When the copy started, by this machine's clock: the object's
    /// Last-Modified is at or after it.
    pub(crate) since: SystemTime,
}

/// What the destination's ETag must be, where it can be known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EtagCheck {
    /// A CopyObject of a single-part, unencrypted or SSE-S3 object keeps
    /// its ETag (the MD5 of its bytes).
    Equals(String),
    /// A multipart upload's ETag ends in `-N`, N its number of parts.
    Parts(u64),
    /// Not comparable (SSE-C, SSE-KMS, a multipart source).
    Any,
}

impl OwnWrite {
    /// Whether the destination's HEAD shows this write; `clock` is the
    /// server's, read from that HEAD's answer.
    pub(crate) fn matches(
        &self,
        head: &aws_sdk_s3::operation::head_object::HeadObjectOutput,
        clock: ServerClock,
    ) -> bool {
        let unquote = |e: &str| e.trim_matches('"').to_owned();
        let size = head.content_length() == Some(self.size as i64);
        // Under KMS or a customer key the ETag is not the MD5 of the bytes.
        let encrypted =
            request::keyed(head.server_side_encryption(), head.sse_customer_algorithm());
        let etag = match (&self.etag, head.e_tag()) {
            (EtagCheck::Any, _) => true,
            (EtagCheck::Equals(_), _) if encrypted => true,
            (EtagCheck::Equals(want), Some(got)) => unquote(want) == unquote(got),
            (EtagCheck::Parts(n), Some(got)) => unquote(got).ends_with(&format!("-{n}")),
            (_, None) => false,
        };
        let earliest = clock.server_time(self.since) - clock.margin();
        let recent = head
            .last_modified()
            .and_then(|t| SystemTime::try_from(*t).ok())
            .is_some_and(|t| t >= earliest);
        size && etag && recent
    }
}

/// What a HEAD of the destination tells of it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Written {
    pub(crate) etag: Option<String>,
    pub(crate) version_id: Option<String>,
    pub(crate) checksum: Option<Checksum>,
    /// Encrypted with SSE-KMS or a customer key (its ETag is not the MD5).
    pub(crate) keyed: bool,
}

impl Written {
    pub(super) fn from_head(head: &aws_sdk_s3::operation::head_object::HeadObjectOutput) -> Self {
        Written {
            etag: head.e_tag().map(str::to_owned),
            version_id: version(head.version_id()),
            checksum: request::head_checksum(head),
            keyed: request::keyed(head.server_side_encryption(), head.sse_customer_algorithm()),
        }
    }
}

impl Engine<'_> {
    /// HEADs the destination and, if it is `own` (this copy's own write,
    /// whose answer was lost), returns what it is.
    pub(crate) async fn own_write(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
        own: &OwnWrite,
    ) -> Option<Written> {
        let attempts = LastAttempts::default();
        let head = self.send_to(&job.dst.bucket, |c| {
            request::head_destination(c, job, opts, None)
                .customize()
                .interceptor(attempts.fresh())
                .send()
        });
        let head = match head.await {
            Ok(head) => head,
            Err(err) => {
                tracing::warn!(
                    "cannot read {} to see whether s3cp wrote it: {}",
                    job.dst,
                    S3Error::from_sdk("HeadObject", &err)
                );
                return None;
            }
        };
        let ours = own.matches(&head, ServerClock::from_log(&attempts.log()));
        tracing::info!(
            "{} is {} bytes, ETag {}, last modified {}: {} this copy's own write",
            job.dst,
            head.content_length().unwrap_or(-1),
            head.e_tag().unwrap_or("none"),
            head.last_modified()
                .map_or("unknown".to_owned(), |t| t.to_string()),
            if ours { "it is" } else { "not" }
        );
        ours.then(|| Written::from_head(&head))
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use aws_sdk_s3::operation::head_object::HeadObjectOutput;
    use aws_sdk_s3::primitives::DateTime;
    use aws_sdk_s3::types::ServerSideEncryption;

    use super::{EtagCheck, OwnWrite, SKEW, ServerClock, UNKNOWN_SKEW};
    use crate::client::AttemptLog;

    /// A fixed moment with whole seconds (Last-Modified has no more).
    fn t0() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    /// The clock of a server whose `Date` read `server` when this machine's
    /// clock read `local`.
    fn clock(server: SystemTime, local: SystemTime) -> ServerClock {
        ServerClock::from_log(&AttemptLog {
            server_date: Some((server, local)),
            ..AttemptLog::default()
        })
    }

    fn unknown_clock() -> ServerClock {
        ServerClock::from_log(&AttemptLog::default())
    }

    /// The same clock as this machine's.
    fn same_clock() -> ServerClock {
        clock(t0(), t0())
    }

    fn head(size: i64, etag: &str, modified: SystemTime) -> HeadObjectOutput {
        HeadObjectOutput::builder()
            .content_length(size)
            .e_tag(etag)
            .last_modified(DateTime::from(modified))
            .build()
    }

    fn own(etag: EtagCheck) -> OwnWrite {
        OwnWrite {
            size: 1000,
            etag,
            since: t0(),
        }
    }

    fn equals(etag: &str) -> EtagCheck {
        EtagCheck::Equals(etag.to_owned())
    }

    #[test]
    fn a_server_ahead_or_behind_shifts_its_time_by_that_much() {
        let ahead = clock(t0() + Duration::from_secs(90), t0());
        assert!(ahead.is_known());
        assert_eq!(ahead.server_time(t0()), t0() + Duration::from_secs(90));
        assert_eq!(ahead.margin(), SKEW);

        let behind = clock(t0() - Duration::from_millis(1500), t0());
        assert_eq!(behind.server_time(t0()), t0() - Duration::from_millis(1500));
        // The offset holds for later times too.
        let later = t0() + Duration::from_secs(600);
        assert_eq!(
            behind.server_time(later),
            later - Duration::from_millis(1500)
        );
        assert_eq!(behind.margin(), SKEW);

        assert_eq!(same_clock().server_time(t0()), t0());
    }

    #[test]
    fn an_unknown_server_clock_is_taken_as_ours_with_the_wider_margin() {
        let unknown = unknown_clock();
        assert!(!unknown.is_known());
        assert_eq!(unknown.server_time(t0()), t0());
        assert_eq!(unknown.margin(), UNKNOWN_SKEW);
        assert!(UNKNOWN_SKEW > SKEW);
    }

    #[test]
    fn own_write_matches_size_etag_and_a_recent_last_modified() {
        let ours = own(equals("\"abc\""));
        let now = t0() + Duration::from_secs(1);
        assert!(ours.matches(&head(1000, "\"abc\"", now), same_clock()));
        // Quoted or not, the same ETag.
        assert!(own(equals("abc")).matches(&head(1000, "\"abc\"", now), same_clock()));
        // Another size.
        assert!(!ours.matches(&head(999, "\"abc\"", now), same_clock()));
        // Another ETag.
        assert!(!ours.matches(&head(1000, "\"abd\"", now), same_clock()));
        // No ETag where one is expected.
        let no_etag = HeadObjectOutput::builder()
            .content_length(1000)
            .last_modified(DateTime::from(now))
            .build();
        assert!(!ours.matches(&no_etag, same_clock()));
        // No Last-Modified: not known to be recent.
        let undated = HeadObjectOutput::builder()
            .content_length(1000)
            .e_tag("\"abc\"")
            .build();
        assert!(!ours.matches(&undated, same_clock()));
    }

    #[test]
    fn a_multipart_write_is_known_by_its_part_count() {
        let ours = own(EtagCheck::Parts(3));
        let now = t0() + Duration::from_secs(1);
        assert!(ours.matches(&head(1000, "\"0123-3\"", now), same_clock()));
        assert!(!ours.matches(&head(1000, "\"0123-2\"", now), same_clock()));
        assert!(!ours.matches(&head(1000, "\"0123-13\"", now), same_clock()));
        assert!(!ours.matches(&head(1000, "\"0123\"", now), same_clock()));
    }

    /// A HEAD of an encrypted object whose ETag is not the source's.
    fn encrypted(
        size: i64,
        sse: Option<ServerSideEncryption>,
        customer_key: Option<&str>,
    ) -> HeadObjectOutput {
        HeadObjectOutput::builder()
            .content_length(size)
            .e_tag("\"not-the-md5\"")
            .last_modified(DateTime::from(t0() + Duration::from_secs(1)))
            .set_server_side_encryption(sse)
            .set_sse_customer_algorithm(customer_key.map(str::to_owned))
            .build()
    }

    #[test]
    fn under_kms_or_a_customer_key_the_etag_is_not_compared() {
        let ours = own(equals("\"abc\""));
        let kms = Some(ServerSideEncryption::AwsKms);
        assert!(ours.matches(&encrypted(1000, kms.clone(), None), same_clock()));
        let dsse = Some(ServerSideEncryption::AwsKmsDsse);
        assert!(ours.matches(&encrypted(1000, dsse, None), same_clock()));
        let sse_c = Some("AES256");
        assert!(ours.matches(&encrypted(1000, None, sse_c), same_clock()));
        // SSE-S3 keeps the MD5: compared.
        let sse_s3 = Some(ServerSideEncryption::Aes256);
        assert!(!ours.matches(&encrypted(1000, sse_s3, None), same_clock()));
        assert!(!ours.matches(&encrypted(1000, None, None), same_clock()));
        // The size still counts.
        assert!(!ours.matches(&encrypted(999, kms, None), same_clock()));
        assert!(!ours.matches(&encrypted(999, None, sse_c), same_clock()));
        // Not comparable at all (a multipart source): any ETag.
        let any = own(EtagCheck::Any);
        assert!(any.matches(&encrypted(1000, None, None), same_clock()));
    }

    #[test]
    fn a_last_modified_before_the_start_minus_the_margin_is_not_ours() {
        let ours = own(equals("\"abc\""));
        let at = |t: SystemTime| head(1000, "\"abc\"", t);
        // Known clock: 2 s of allowance.
        assert!(ours.matches(&at(t0()), same_clock()));
        assert!(ours.matches(&at(t0() - SKEW), same_clock()));
        assert!(!ours.matches(&at(t0() - SKEW - Duration::from_secs(1)), same_clock()));
        // Unknown clock: the wider allowance.
        let within = t0() - UNKNOWN_SKEW + Duration::from_secs(1);
        assert!(ours.matches(&at(within), unknown_clock()));
        assert!(!ours.matches(&at(within), same_clock()));
        let outside = t0() - UNKNOWN_SKEW - Duration::from_secs(1);
        assert!(!ours.matches(&at(outside), unknown_clock()));
        // A server 60 s ahead: its times are compared with its own clock.
        let ahead = clock(t0() + Duration::from_secs(60), t0());
        assert!(ours.matches(&at(t0() + Duration::from_secs(59)), ahead));
        assert!(!ours.matches(&at(t0() + Duration::from_secs(30)), ahead));
        // A server 60 s behind: an object it dates before our start is ours.
        let behind = clock(t0() - Duration::from_secs(60), t0());
        assert!(ours.matches(&at(t0() - Duration::from_secs(59)), behind));
        assert!(!ours.matches(&at(t0() - Duration::from_secs(63)), behind));
    }
}
