//! A finished job's completion report, read back: its `manifest.json`
//! (which result files there are) and the rows of each result CSV.
//!
//! AWS documents the schema as Bucket, Key, VersionId, TaskStatus,
//! ErrorCode, HTTPStatusCode, ResultMessage (the manifest's
//! `ReportSchema`), while its published example rows put the HTTP status
//! before the error code
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html>:
//! `awsexamplebucket1,image_14975,,failed,200,PermanentFailure,"Lambda
//! returned function error: ..."`). The two are told apart by their
//! content: a three-digit number is the HTTP status, the other is the
//! error code, whichever column each is in. The CSV is RFC 4180 (a quoted
//! message may hold commas, doubled quotes and newlines); rows are read
//! one at a time, so a report of millions of rows stays out of memory.
//! Pure: bytes in, rows out.

use std::io::{self, BufRead};

use serde::Deserialize;

/// The only report format a job writes.
pub const REPORT_FORMAT: &str = "Report_CSV_20180820";

/// Where S3 puts a job's `manifest.json` under the report prefix:
/// `PREFIX/job-ID/manifest.json` (a prefix given with a trailing slash is
/// sent without it, [`super::job::create_job`]).
pub fn manifest_key(prefix: &str, job_id: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    match prefix.is_empty() {
        true => format!("job-{job_id}/manifest.json"),
        false => format!("{prefix}/job-{job_id}/manifest.json"),
    }
}

/// The report's top-level `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReportManifest {
    pub format: String,
    #[serde(default)]
    pub report_creation_date: Option<String>,
    #[serde(default)]
    pub results: Vec<ResultFile>,
    #[serde(default)]
    pub report_schema: Option<String>,
}

/// One result CSV.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResultFile {
    /// `succeeded` or `failed`: which tasks the file lists.
    pub task_execution_status: String,
    pub bucket: String,
    pub key: String,
    #[serde(rename = "MD5Checksum", default)]
    pub md5_checksum: Option<String>,
}

impl ReportManifest {
    /// The files that list failed tasks.
    pub fn failed(&self) -> impl Iterator<Item = &ResultFile> {
        self.results
            .iter()
            .filter(|r| r.task_execution_status.eq_ignore_ascii_case("failed"))
    }
}

/// A report that cannot be read as AWS documents it.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the job's report manifest is not the JSON AWS documents: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the job's report is in format '{0}', and s3cp reads only {REPORT_FORMAT}")]
    Format(String),
    #[error("row {row} of the job's report has {fields} fields, not the 7 AWS documents")]
    Fields { row: u64, fields: usize },
    #[error("row {row} of the job's report ends inside a quoted field")]
    Unclosed { row: u64 },
    #[error("reading the job's report: {0}")]
    Io(#[from] io::Error),
}

/// Parses `manifest.json`.
pub fn parse_manifest(json: &[u8]) -> Result<ReportManifest, ReportError> {
    let manifest: ReportManifest = serde_json::from_slice(json)?;
    if manifest.format != REPORT_FORMAT {
        return Err(ReportError::Format(manifest.format));
    }
    Ok(manifest)
}

/// One task's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskResult {
    pub bucket: String,
    /// The key as the report gives it (see [`TaskResult::decoded_key`]).
    pub key: String,
    pub version_id: Option<String>,
    /// `succeeded` or `failed`.
    pub status: String,
    /// S3's error code (`AccessDenied`, `PermanentFailure`...).
    pub error_code: Option<String>,
    pub http_status: Option<u16>,
    pub message: String,
}

impl TaskResult {
    pub fn failed(&self) -> bool {
        self.status.eq_ignore_ascii_case("failed")
    }

    /// The key percent-decoded, for reports that give it URL-encoded as the
    /// manifest does (`None` if it does not decode to UTF-8).
    pub fn decoded_key(&self) -> Option<String> {
        percent_encoding::percent_decode_str(&self.key)
            .decode_utf8()
            .ok()
            .map(|k| k.into_owned())
    }
}

/// An HTTP status: three digits, 100 to 599.
fn http_status(field: &str) -> Option<u16> {
    (field.len() == 3)
        .then(|| field.parse::<u16>().ok())
        .flatten()
        .filter(|s| (100..600).contains(s))
}

/// Splits one CSV record (RFC 4180), or `None` while a quote is open.
fn fields(record: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = record.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => out.push(std::mem::take(&mut field)),
            (false, _) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    out.push(field);
    Some(out)
}

fn optional(field: String) -> Option<String> {
    (!field.is_empty()).then_some(field)
}

/// One row's fields as a task's result.
fn task(row: u64, mut f: Vec<String>) -> Result<TaskResult, ReportError> {
    if f.len() < 7 {
        return Err(ReportError::Fields {
            row,
            fields: f.len(),
        });
    }
    // An unquoted message with commas: the rest of the row is the message.
    let message = f.split_off(6).join(",");
    let mut f = f.into_iter();
    let mut next = || f.next().unwrap_or_default();
    let (bucket, key, version, status) = (next(), next(), next(), next());
    let (fifth, sixth) = (next(), next());
    // Which of the two is the HTTP status is told by content.
    let (error_code, http) = match (http_status(&fifth), http_status(&sixth)) {
        (Some(code), None) => (sixth, Some(code)),
        (None, Some(code)) => (fifth, Some(code)),
        _ if fifth.is_empty() => (sixth, None),
        _ => (fifth, None),
    };
    Ok(TaskResult {
        bucket,
        key,
        version_id: optional(version),
        status,
        error_code: optional(error_code),
        http_status: http,
        message,
    })
}

/// The rows of one result CSV, read one at a time.
#[derive(Debug)]
pub struct Rows<R> {
    input: R,
    row: u64,
    record: String,
}

impl<R: BufRead> Rows<R> {
    pub fn new(input: R) -> Self {
        Self {
            input,
            row: 0,
            record: String::new(),
        }
    }
}

impl<R: BufRead> Iterator for Rows<R> {
    type Item = Result<TaskResult, ReportError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.record.clear();
        loop {
            let read = match self.input.read_line(&mut self.record) {
                Ok(n) => n,
                Err(e) => return Some(Err(e.into())),
            };
            let text = self.record.trim_end_matches(['\n', '\r']);
            if read == 0 {
                if text.is_empty() {
                    return None;
                }
                self.row += 1;
                return Some(match fields(text) {
                    Some(f) => task(self.row, f),
                    None => Err(ReportError::Unclosed { row: self.row }),
                });
            }
            if text.is_empty() {
                // A blank line between rows.
                self.record.clear();
                continue;
            }
            if let Some(f) = fields(text) {
                self.row += 1;
                return Some(task(self.row, f));
            }
            // A quoted field goes on past the line: read the next one.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's example manifest.json (batch-ops-examples-reports).
    const MANIFEST: &str = r#"{
        "Format": "Report_CSV_20180820",
        "ReportCreationDate": "2019-04-05T17:48:39.725Z",
        "Results": [
            {
                "TaskExecutionStatus": "succeeded",
                "Bucket": "my-job-reports",
                "MD5Checksum": "83b1c4cbe93fc893f54053697e10fd6e",
                "Key": "job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/6217b0fab0de85c408b4be96aeaca9b195a7daa5.csv"
            },
            {
                "TaskExecutionStatus": "failed",
                "Bucket": "my-job-reports",
                "MD5Checksum": "22ee037f3515975f7719699e5c416eaa",
                "Key": "job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv"
            }
        ],
        "ReportSchema": "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"
    }"#;

    /// AWS's example failed row: the HTTP status before the error code.
    const FAILED_ROW: &str = r#"awsexamplebucket1,image_14975,,failed,200,PermanentFailure,"Lambda returned function error: {""errorMessage"":""2019-04-05T17:35:21.155Z 2845ca0d-38d9-4c4b-abcf-379dc749c452 Task timed out after 3.00 seconds""}""#;

    fn rows(text: &str) -> Vec<TaskResult> {
        Rows::new(text.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    }

    #[test]
    fn the_documented_manifest_lists_its_result_files() {
        let m = parse_manifest(MANIFEST.as_bytes()).unwrap();
        assert_eq!(m.format, REPORT_FORMAT);
        assert_eq!(m.results.len(), 2);
        let failed: Vec<&ResultFile> = m.failed().collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].bucket, "my-job-reports");
        assert_eq!(
            failed[0].key,
            "job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv"
        );
        assert_eq!(
            failed[0].md5_checksum.as_deref(),
            Some("22ee037f3515975f7719699e5c416eaa")
        );
        assert!(m.report_schema.unwrap().starts_with("Bucket, Key"));
    }

    #[test]
    fn a_manifest_in_another_format_or_not_json_is_refused() {
        let other = MANIFEST.replace("Report_CSV_20180820", "Report_CSV_20990101");
        let e = parse_manifest(other.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("Report_CSV_20990101"), "{e}");
        assert!(matches!(
            parse_manifest(b"<Error/>").unwrap_err(),
            ReportError::Json(_)
        ));
        // A job with no task run yet: no results.
        let empty = parse_manifest(br#"{"Format": "Report_CSV_20180820"}"#).unwrap();
        assert_eq!(empty.failed().count(), 0);
    }

    #[test]
    fn the_documented_failed_row_is_read_by_content() {
        let r = &rows(FAILED_ROW)[0];
        assert_eq!(r.bucket, "awsexamplebucket1");
        assert_eq!(r.key, "image_14975");
        assert_eq!(r.version_id, None);
        assert!(r.failed());
        assert_eq!(r.http_status, Some(200));
        assert_eq!(r.error_code.as_deref(), Some("PermanentFailure"));
        assert_eq!(
            r.message,
            "Lambda returned function error: {\"errorMessage\":\"2019-04-05T17:35:21.155Z \
             2845ca0d-38d9-4c4b-abcf-379dc749c452 Task timed out after 3.00 seconds\"}"
        );
    }

    #[test]
    fn the_documented_schema_order_is_read_too() {
        let r = &rows("b,k,v1,failed,AccessDenied,403,Access Denied\n")[0];
        assert_eq!(r.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(r.http_status, Some(403));
        assert_eq!(r.version_id.as_deref(), Some("v1"));
        assert_eq!(r.message, "Access Denied");
        let r = &rows("b,k,,failed,404,NoSuchKey,The specified key does not exist.\n")[0];
        assert_eq!(r.error_code.as_deref(), Some("NoSuchKey"));
        assert_eq!(r.http_status, Some(404));
    }

    #[test]
    fn a_row_without_status_or_code_keeps_what_it_has() {
        let r = &rows("b,k,,succeeded,200,,Successful\n")[0];
        assert!(!r.failed());
        assert_eq!(r.http_status, Some(200));
        assert_eq!(r.error_code, None);
        let r = &rows("b,k,,failed,,InternalError,boom\n")[0];
        assert_eq!(r.error_code.as_deref(), Some("InternalError"));
        assert_eq!(r.http_status, None);
        // Not a status: four digits, or out of range.
        let r = &rows("b,k,,failed,2000,Code,m\n")[0];
        assert_eq!(r.http_status, None);
        assert_eq!(r.error_code.as_deref(), Some("2000"));
        assert_eq!(http_status("099"), None);
        assert_eq!(http_status("600"), None);
        assert_eq!(http_status("503"), Some(503));
    }

    #[test]
    fn quoted_messages_may_span_lines_and_hold_commas() {
        let text = "b,\"a,b.txt\",,failed,500,InternalError,\"line one,\nline \"\"two\"\"\"\r\n\
                    b,c%20d,,failed,403,AccessDenied,unquoted, with, commas\n\n";
        let got = rows(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].key, "a,b.txt");
        assert_eq!(got[0].message, "line one,\nline \"two\"");
        assert_eq!(got[1].message, "unquoted, with, commas");
        assert_eq!(got[1].decoded_key().as_deref(), Some("c d"));
    }

    #[test]
    fn a_last_row_without_newline_is_read() {
        let got = rows("b,k1,,failed,403,AccessDenied,m\nb,k2,,failed,403,AccessDenied,m");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].key, "k2");
    }

    #[test]
    fn broken_rows_are_errors_with_their_number() {
        let mut it = Rows::new("b,k,,failed,403,AccessDenied,m\nb,k,failed\n".as_bytes());
        assert!(it.next().unwrap().is_ok());
        let e = it.next().unwrap().unwrap_err();
        assert!(
            matches!(e, ReportError::Fields { row: 2, fields: 3 }),
            "{e}"
        );
        let e = Rows::new("b,k,,failed,403,X,\"open".as_bytes())
            .next()
            .unwrap()
            .unwrap_err();
        assert!(matches!(e, ReportError::Unclosed { row: 1 }), "{e}");
        assert!(Rows::new("".as_bytes()).next().is_none());
    }

    #[test]
    fn the_manifest_sits_under_the_prefix_by_job() {
        assert_eq!(manifest_key("pre/", "j1"), "pre/job-j1/manifest.json");
        assert_eq!(manifest_key("pre", "j1"), "pre/job-j1/manifest.json");
        assert_eq!(manifest_key("", "j1"), "job-j1/manifest.json");
    }
}
