//! The resume journal: one small JSON file per multipart copy in flight, in
//! the user's state directory, naming the upload, the pinned source, the
//! plan and what the upload was created with ([`Settings`]). Written when
//! the upload is created, removed when it completes or is aborted; what is
//! left after Ctrl-C with `--keep-partial`, `kill -9`, a crash or a lost
//! network is what the next run of the same copy continues (a plain rerun,
//! or `--resume`, which insists). Which parts are done is asked of S3
//! (ListParts), not recorded here.
//!
//! A journal is keyed by the stores of both ends (their endpoints, or AWS)
//! and the source and destination ([`Journals::path`]), and a run holds its
//! [`Lock`] while it continues or starts the upload, so that two runs of
//! the same copy never write one upload together.
//!
//! A resume must finish the upload as it was created: a run whose flags
//! would have created another (another encryption, storage class,
//! metadata, ACL, tags, checksum, part size) is refused, flag by flag
//! ([`Settings::differences`]), before anything is written. A journal that
//! cannot be trusted (unreadable, truncated, edited into a plan S3 would
//! refuse, of another version) is an error that names its file, never a
//! guess.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use crate::checksum::Ask;
use crate::job::CopyJob;
use crate::options::{Acl, CopyOptions, MetadataOptions, TaggingOptions};
use crate::plan::{self, Limits};

mod lock;

pub use lock::Lock;

/// Format version of a journal file. Version 1 recorded no [`Settings`],
/// version 2 not the stores.
const VERSION: u32 = 3;

/// What a copy does with the journal a run before it left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Resume {
    /// A plain run: finish the interrupted copy if it can be finished,
    /// else (the source changed, the upload is gone) copy afresh.
    #[default]
    Auto,
    /// `--resume`: finish it, or refuse (exit 2) when there is nothing to
    /// finish or it cannot be finished.
    Required,
    /// `--no-resume`: abort the journal's upload and copy afresh.
    Never,
}

/// One multipart copy that may be resumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub version: u32,
    /// The source's store: its endpoint URL, or `aws`.
    pub source_store: String,
    pub src: String,
    /// The destination's store.
    pub destination_store: String,
    pub dst: String,
    pub upload_id: String,
    /// The source the parts are pinned to.
    pub etag: String,
    pub source_version_id: Option<String>,
    pub size: u64,
    pub part_size: u64,
    /// The parts are streamed (GetObject, UploadPart), not copied
    /// server-side.
    pub streamed: bool,
    /// What the upload was created with.
    pub settings: Settings,
}

impl Entry {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        stores: &Stores,
        job: &CopyJob,
        upload_id: &str,
        etag: &str,
        version: Option<&str>,
        size: u64,
        part_size: u64,
        streamed: bool,
        settings: Settings,
    ) -> Self {
        Entry {
            version: VERSION,
            source_store: stores.source.clone(),
            src: job.src.to_string(),
            destination_store: stores.destination.clone(),
            dst: job.dst.to_string(),
            upload_id: upload_id.to_owned(),
            etag: etag.to_owned(),
            source_version_id: version.map(str::to_owned),
            size,
            part_size,
            streamed,
            settings,
        }
    }

    /// Why this entry cannot be the journal of `job`'s copy, if it cannot:
    /// another copy's, or a plan that no copy makes (S3 would refuse it, or
    /// it would send millions of requests).
    fn check(&self, stores: &Stores, job: &CopyJob) -> Result<(), String> {
        if self.src != job.src.to_string() || self.dst != job.dst.to_string() {
            return Err(format!(
                "it is the journal of a copy of {} to {}",
                self.src, self.dst
            ));
        }
        if self.source_store != stores.source || self.destination_store != stores.destination {
            return Err(format!(
                "it is the journal of a copy from {} to {}",
                self.source_store, self.destination_store
            ));
        }
        if self.upload_id.trim().is_empty() {
            return Err("it names no upload".to_owned());
        }
        if self.etag.is_empty() {
            return Err("it names no source ETag".to_owned());
        }
        if self.size == 0 || self.size > plan::MAX_OBJECT_SIZE {
            return Err(format!(
                "its size, {} bytes, is not one of a multipart copy (1 byte to 48.8 TiB)",
                self.size
            ));
        }
        if !(plan::MIN_PART_SIZE..=plan::MAX_PART_SIZE).contains(&self.part_size) {
            return Err(format!(
                "its part size, {} bytes, is outside 5 MiB..5 GiB",
                self.part_size
            ));
        }
        let parts = self.size.div_ceil(self.part_size);
        if parts > plan::MAX_PARTS {
            return Err(format!(
                "its plan has {parts} parts of {} bytes, above S3's 10,000",
                self.part_size
            ));
        }
        Ok(())
    }
}

/// What CreateMultipartUpload was sent with, each under the flag that
/// sets it (`--storage-class`: `STANDARD_IA`), as text: what a resume
/// compares, and names, flag by flag. An SSE-C key is recorded by its MD5,
/// the fingerprint S3 itself is sent, never the key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Settings(BTreeMap<String, String>);

/// A flag whose value differs between the upload and this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub flag: String,
    /// What the upload was created with.
    pub then: String,
    /// What this run would create it with.
    pub now: String,
}

/// The metadata flags of a copy's settings: the directive, the values and
/// each Content-* header (what CreateMultipartUpload carries of them).
fn metadata_settings(s: &mut BTreeMap<String, String>, metadata: &MetadataOptions) {
    let text = |v: Option<&str>| v.unwrap_or(NOT_GIVEN).to_owned();
    let mut set = |flag: &str, value: String| {
        s.insert(flag.to_owned(), value);
    };
    let MetadataOptions {
        directive,
        // Whether the header is sent, not what it says.
        explicit: _,
        headers,
        metadata,
    } = metadata;
    set("--metadata-directive", directive.name().to_owned());
    let mut pairs: Vec<String> = metadata.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.sort();
    set("--metadata", pairs.join(","));
    set("--content-type", text(headers.content_type.as_deref()));
    set("--cache-control", text(headers.cache_control.as_deref()));
    set(
        "--content-disposition",
        text(headers.content_disposition.as_deref()),
    );
    set(
        "--content-encoding",
        text(headers.content_encoding.as_deref()),
    );
    set(
        "--content-language",
        text(headers.content_language.as_deref()),
    );
    set(
        "--expires",
        text(
            headers
                .expires
                .map(|d| crate::options::http_date(&d))
                .as_deref(),
        ),
    );
}

/// How a setting that was not given reads.
const NOT_GIVEN: &str = "not given";

impl Settings {
    /// The settings a copy creates its upload with: `opts` (only what
    /// reaches CreateMultipartUpload), the checksum asked, the part size
    /// planned from (`limits`) and whether the parts are streamed.
    pub fn of(opts: &CopyOptions, checksum: Ask, limits: Limits, streamed: bool) -> Self {
        // The whole value, so that an option added to CopyOptions is
        // placed here (recorded, or said not to shape the upload).
        let CopyOptions {
            metadata,
            tagging,
            acl,
            encryption,
            sse_c,
            storage_class,
            object_lock,
            website_redirect,
            // The upload's checksum is the one asked, below.
            checksums: _,
            // Reading the source, and Complete's conditions, are this run's.
            sse_c_source: _,
            conditions: _,
            destination_if_match: _,
            no_overwrite: _,
            skip: _,
            request_payer: _,
            expected_bucket_owner: _,
            expected_source_bucket_owner: _,
            // The source's delete comes after the upload is completed.
            moving: _,
            // Annotations are written after Complete, each by its own
            // request: the upload does not carry them.
            annotations: _,
        } = opts;
        let text = |v: Option<&str>| v.unwrap_or(NOT_GIVEN).to_owned();
        let mut s = BTreeMap::new();
        let mut set = |flag: &str, value: String| {
            s.insert(flag.to_owned(), value);
        };
        set(
            "--copy-mode",
            if streamed { "stream" } else { "server" }.to_owned(),
        );
        set(
            "--part-size",
            match limits.source_parts {
                true => "source".to_owned(),
                false => format!("{} bytes", limits.part_size),
            },
        );
        set(
            // What the upload was created with: the user's algorithm, or
            // the one s3cp chose (the source's CRC, or CRC64NVME for
            // --verify's read), so both flags can change it.
            "--checksum-algorithm, --verify",
            match checksum.algorithm {
                Some(a) if checksum.full_object => format!("{} (FULL_OBJECT)", a.name()),
                Some(a) => a.name().to_owned(),
                None => NOT_GIVEN.to_owned(),
            },
        );
        set("--sse", text(encryption.sse.as_ref().map(|s| s.as_str())));
        set("--sse-kms-key-id", text(encryption.kms_key_id.as_deref()));
        set(
            "--sse-kms-encryption-context",
            text(encryption.kms_context.as_deref()),
        );
        set(
            "--bucket-key-enabled",
            text(
                encryption
                    .bucket_key
                    .map(|b| if b { "true" } else { "false" }),
            ),
        );
        set(
            "--sse-c",
            match sse_c {
                Some(k) => format!("{}, key MD5 {}", k.algorithm, k.key_md5_base64),
                None => NOT_GIVEN.to_owned(),
            },
        );
        set(
            "--storage-class",
            text(storage_class.as_ref().map(|c| c.as_str())),
        );
        set("--website-redirect", text(website_redirect.as_deref()));
        set(
            "--object-lock-mode",
            text(object_lock.mode.as_ref().map(|m| m.as_str())),
        );
        set(
            "--object-lock-retain-until-date",
            text(
                object_lock
                    .retain_until
                    .map(|d| crate::options::http_date(&d))
                    .as_deref(),
            ),
        );
        set(
            "--object-lock-legal-hold",
            text(object_lock.legal_hold.as_ref().map(|h| h.as_str())),
        );
        set(
            "--acl, --grant-*, --copy-acl",
            match acl {
                Acl::Default => NOT_GIVEN.to_owned(),
                other => other.to_string(),
            },
        );
        let TaggingOptions {
            directive,
            explicit: _,
            tags,
        } = tagging;
        set("--tagging-directive", directive.name().to_owned());
        let mut pairs: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.sort();
        set("--tagging", pairs.join("&"));
        metadata_settings(&mut s, metadata);
        Settings(s)
    }

    /// The flags whose values differ, in flag order. A flag one side does
    /// not record counts as not given there.
    pub fn differences(&self, now: &Settings) -> Vec<Difference> {
        let flags: std::collections::BTreeSet<&String> =
            self.0.keys().chain(now.0.keys()).collect();
        let value = |s: &Settings, flag: &String| {
            s.0.get(flag)
                .cloned()
                .unwrap_or_else(|| NOT_GIVEN.to_owned())
        };
        flags
            .into_iter()
            .filter_map(|flag| {
                let (then, now) = (value(self, flag), value(now, flag));
                (then != now).then(|| Difference {
                    flag: flag.clone(),
                    then: shown(then),
                    now: shown(now),
                })
            })
            .collect()
    }
}

/// A value as a message quotes it (an empty list reads as none).
fn shown(value: String) -> String {
    match value.is_empty() {
        true => "none".to_owned(),
        false => value,
    }
}

/// `$S3CP_STATE_DIR`, else the user's state directory (`$XDG_STATE_HOME`,
/// else `~/.local/state`, on Linux and macOS; the local application data
/// directory on Windows) with `s3cp` below it.
pub fn dir() -> PathBuf {
    if let Some(d) = std::env::var_os("S3CP_STATE_DIR") {
        return PathBuf::from(d);
    }
    state_base().join("s3cp")
}

/// The state directory's base, as etcetera's XDG strategy sees it (Windows
/// has no state directory: its local data directory stands in); the
/// temporary directory only when not even a home directory is known.
fn state_base() -> PathBuf {
    use etcetera::BaseStrategy;
    match etcetera::choose_base_strategy() {
        Ok(base) => base.state_dir().unwrap_or_else(|| base.cache_dir()),
        Err(_) => std::env::temp_dir(),
    }
}

/// The stores of a copy's two ends, as journals name them: the endpoint
/// URL (lower case, no trailing `/`), or `aws`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stores {
    pub source: String,
    pub destination: String,
}

impl Stores {
    /// From the endpoint URLs (`None`: AWS).
    pub fn new(source: Option<&str>, destination: Option<&str>) -> Self {
        let name = |url: Option<&str>| {
            url.map_or_else(
                || "aws".to_owned(),
                |u| u.trim_end_matches('/').to_ascii_lowercase(),
            )
        };
        Stores {
            source: name(source),
            destination: name(destination),
        }
    }
}

/// The journals of a run's copies: in [`dir`], keyed by the run's stores.
#[derive(Debug)]
pub struct Journals {
    dir: PathBuf,
    stores: Stores,
    /// The names of the journal files in `dir`: read once, when the first
    /// copy asks ([`Journals::exists`] is asked for every object of a run:
    /// two `stat`s each were 5% of a bulk run's CPU), then kept up to date
    /// with what this run writes and removes. A journal another process
    /// writes meanwhile is not seen: those of earlier runs are what a run
    /// continues, and a run copying the same object now holds its lock.
    known: std::sync::Mutex<Option<std::collections::HashSet<String>>>,
}

/// Another run holds the lock of a copy: it is writing that copy now.
#[derive(Debug, thiserror::Error)]
#[error("another s3cp run holds {}", .0.display())]
pub struct Busy(pub PathBuf);

impl Journals {
    /// The journals in the state directory ([`dir`]).
    pub fn new(stores: Stores) -> Self {
        Journals::at(dir(), stores)
    }

    /// The journals in `dir`.
    fn at(dir: PathBuf, stores: Stores) -> Self {
        Journals {
            dir,
            stores,
            known: std::sync::Mutex::default(),
        }
    }

    /// Whether a file named `name` is in the directory (as far as this
    /// run knows: [`Journals::known`]); `name` is asked only when there is
    /// a journal at all.
    fn known(&self, name: impl FnOnce() -> Vec<String>) -> bool {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let known = known.get_or_insert_with(|| {
            std::fs::read_dir(&self.dir)
                .map(|dir| {
                    dir.filter_map(Result::ok)
                        .filter_map(|e| e.file_name().into_string().ok())
                        .filter(|n| n.ends_with(".json"))
                        .collect()
                })
                .unwrap_or_default()
        });
        !known.is_empty() && name().iter().any(|n| known.contains(n))
    }

    /// Records that this run wrote (`true`) or removed the file `name`.
    fn note(&self, name: String, there: bool) {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = known.as_mut() {
            match there {
                true => known.insert(name),
                false => known.remove(&name),
            };
        }
    }

    pub fn stores(&self) -> &Stores {
        &self.stores
    }

    /// The journal file of a copy: named by a hash of both stores, its
    /// source and its destination, so the same copy finds it again (and
    /// the same names on other stores do not).
    pub fn path(&self, job: &CopyJob) -> PathBuf {
        self.dir.join(self.file_name(job))
    }

    fn file_name(&self, job: &CopyJob) -> String {
        format!("{}.json", self.name(job))
    }

    fn name(&self, job: &CopyJob) -> String {
        let key = format!(
            "{}\n{}\n{}\n{}",
            self.stores.source, job.src, self.stores.destination, job.dst
        );
        Md5::digest(key.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Where journal versions 1 and 2 were, keyed by the two ends alone:
    /// looked at so that an interrupted copy of an older s3cp is said, not
    /// passed over with its upload left billed.
    fn legacy_path(&self, job: &CopyJob) -> PathBuf {
        self.dir.join(Self::legacy_file_name(job))
    }

    fn legacy_file_name(job: &CopyJob) -> String {
        let digest = Md5::digest(format!("{}\n{}", job.src, job.dst).as_bytes());
        let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("{name}.json")
    }

    /// Whether `job` has a journal file (readable or not, of any version):
    /// one there when this run first looked, or written by this run since.
    pub fn exists(&self, job: &CopyJob) -> bool {
        self.known(|| vec![self.file_name(job), Self::legacy_file_name(job)])
    }

    /// The lock of `job`'s copy, held until dropped: `Ok(None)` when it
    /// cannot be taken (a state directory that cannot be written: the
    /// journal cannot be written either, and a warning says so); [`Busy`]
    /// when another run holds it.
    pub fn lock(&self, job: &CopyJob) -> Result<Option<Lock>, Busy> {
        let path = self.dir.join(format!("{}.lock", self.name(job)));
        let taken = std::fs::create_dir_all(&self.dir).and_then(|()| Lock::take(&path));
        match taken {
            Ok(Some(lock)) => Ok(Some(lock)),
            Ok(None) => Err(Busy(path)),
            Err(e) => {
                tracing::warn!(
                    "cannot lock {} ({e}): nothing keeps another run from writing this copy \
                     at the same time, and it cannot be resumed (set S3CP_STATE_DIR to a \
                     writable directory)",
                    path.display()
                );
                Ok(None)
            }
        }
    }

    /// Writes the entry atomically: a temporary file in the same directory,
    /// persisted (renamed) into place, so a crash leaves the old entry or
    /// the new one, never half of one.
    pub fn write(&self, job: &CopyJob, entry: &Entry) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut file = tempfile::NamedTempFile::new_in(&self.dir)?;
        file.write_all(&serde_json::to_vec_pretty(entry)?)?;
        file.persist(self.path(job)).map_err(|e| e.error)?;
        self.note(self.file_name(job), true);
        Ok(())
    }

    /// The journal of `job`'s copy: `Ok(None)` when there is none; an
    /// error that names the file and says what to do when it is there and
    /// cannot be used (unreadable, corrupt, edited, written by another
    /// version).
    pub fn read(&self, job: &CopyJob) -> Result<Option<Entry>, String> {
        let mut path = self.path(job);
        if !path.exists() && self.legacy_path(job).exists() {
            path = self.legacy_path(job);
        }
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(format!(
                    "cannot read the resume journal {}: {e}",
                    path.display()
                ));
            }
        };
        parse(&bytes, &self.stores, job, &path).map(Some)
    }

    pub fn remove(&self, job: &CopyJob) {
        let _ = std::fs::remove_file(self.path(job));
        self.note(self.file_name(job), false);
    }

    /// Whether any journal of these stores names a copy that `wanted`
    /// takes (by its source and destination URIs): `-r --resume` and
    /// `--from-file --resume` have something to resume. Files that cannot
    /// be read count as none.
    pub fn any(&self, wanted: impl Fn(&str, &str) -> bool) -> bool {
        let Ok(dir) = std::fs::read_dir(&self.dir) else {
            return false;
        };
        dir.filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| std::fs::read(e.path()).ok())
            .filter_map(|b| serde_json::from_slice::<Entry>(&b).ok())
            .any(|e| {
                e.source_store == self.stores.source
                    && e.destination_store == self.stores.destination
                    && wanted(&e.src, &e.dst)
            })
    }
}

/// A journal's bytes as `job`'s entry, checked ([`Entry::check`]).
fn parse(bytes: &[u8], stores: &Stores, job: &CopyJob, path: &Path) -> Result<Entry, String> {
    let corrupt = |why: String| {
        format!(
            "the resume journal {} is corrupt ({why}), so s3cp cannot tell what to resume: \
             remove the file and copy again without --resume (s3cp uploads list {} shows the \
             destination's uploads, which s3cp uploads abort {} --upload-id ID removes)",
            path.display(),
            crate::uri::shell_word(&job.dst.to_string()),
            crate::uri::shell_word(&job.dst.to_string())
        )
    };
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| corrupt(format!("not JSON, truncated or edited: {e}")))?;
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v @ (1 | 2)) => {
            let upload = value
                .get("upload_id")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("ID");
            return Err(format!(
                "the resume journal {} was written by an older s3cp (journal version {v}), \
                 which did not record all that upload {upload} was created with, so this run \
                 cannot check that it would finish the same copy: finish it with the s3cp \
                 that started it, or remove the upload (s3cp uploads abort {} --upload-id {}) \
                 and the file, and copy again without --resume",
                path.display(),
                crate::uri::shell_word(&job.dst.to_string()),
                crate::uri::shell_word(upload)
            ));
        }
        Some(v) => {
            return Err(format!(
                "the resume journal {} has version {v}, which this s3cp does not know (a newer \
                 s3cp wrote it?): resume with that s3cp",
                path.display()
            ));
        }
        None => return Err(corrupt("no version".to_owned())),
    }
    let entry: Entry = serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
    entry.check(stores, job).map_err(corrupt)?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::Algorithm;
    use crate::options::{MetadataDirective, SseCKey};
    use aws_sdk_s3::types::StorageClass;

    const MIB: u64 = 1 << 20;

    fn job() -> CopyJob {
        CopyJob::new("s3://a/big", "s3://b/big").unwrap()
    }

    fn stores() -> Stores {
        Stores::new(None, Some("http://127.0.0.1:3900/"))
    }

    fn settings(opts: &CopyOptions) -> Settings {
        Settings::of(opts, Ask::default(), Limits::default(), false)
    }

    fn entry() -> Entry {
        let job = job();
        let settings = settings(&CopyOptions::default());
        Entry::new(
            &stores(),
            &job,
            "U1",
            "\"e\"",
            None,
            11 * MIB,
            5 * MIB,
            false,
            settings,
        )
    }

    fn parsed(entry: &serde_json::Value) -> Result<Entry, String> {
        let bytes = serde_json::to_vec(entry).unwrap();
        parse(&bytes, &stores(), &job(), Path::new("/state/j.json"))
    }

    #[test]
    fn journals_are_keyed_by_both_stores_and_both_ends() {
        let here = Journals::at(PathBuf::from("/state"), stores());
        let names = |stores: Stores, src: &str, dst: &str| {
            let j = Journals::at(PathBuf::from("/state"), stores);
            j.path(&CopyJob::new(src, dst).unwrap())
        };
        let path = here.path(&job());
        assert_eq!(path, names(stores(), "s3://a/big", "s3://b/big"));
        // The same URL written otherwise is the same store.
        assert_eq!(
            path,
            names(
                Stores::new(None, Some("HTTP://127.0.0.1:3900")),
                "s3://a/big",
                "s3://b/big"
            )
        );
        for other in [
            names(Stores::new(None, None), "s3://a/big", "s3://b/big"),
            names(
                Stores::new(Some("http://127.0.0.1:3900"), Some("http://127.0.0.1:3900")),
                "s3://a/big",
                "s3://b/big",
            ),
            names(stores(), "s3://a/big", "s3://b/big2"),
            names(stores(), "s3://a/big2", "s3://b/big"),
        ] {
            assert_ne!(path, other);
        }
    }

    #[test]
    fn a_journal_of_an_older_s3cp_under_its_old_name_is_found_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let journals = Journals::at(dir.path().to_owned(), stores());
        assert!(!journals.exists(&job()));
        let mut old = serde_json::to_value(entry()).unwrap();
        old["version"] = 2.into();
        std::fs::write(
            journals.legacy_path(&job()),
            serde_json::to_vec(&old).unwrap(),
        )
        .unwrap();
        // Written by another process after this run looked: this run does
        // not see it (a run copying that object now holds its lock); the
        // next run does.
        assert!(!journals.exists(&job()));
        let journals = Journals::at(dir.path().to_owned(), stores());
        assert!(journals.exists(&job()));
        let e = journals.read(&job()).unwrap_err();
        assert!(e.contains("(journal version 2)"), "{e}");
        assert!(e.contains("--upload-id U1"), "{e}");
        // Removing this version's journal leaves the older one.
        journals.remove(&job());
        assert!(journals.exists(&job()));
    }

    /// The directory is read once; what this run writes and removes is
    /// known without reading it again.
    #[test]
    fn a_run_knows_the_journals_it_writes_and_removes() {
        let dir = tempfile::tempdir().unwrap();
        let journals = Journals::at(dir.path().join("state"), stores());
        assert!(!journals.exists(&job()));
        journals.write(&job(), &entry()).unwrap();
        assert!(journals.exists(&job()));
        assert!(journals.path(&job()).exists());
        journals.remove(&job());
        assert!(!journals.exists(&job()));
        assert!(!journals.path(&job()).exists());
    }

    #[test]
    fn a_written_journal_reads_back_the_same() {
        let e = entry();
        let text = serde_json::to_vec_pretty(&e).unwrap();
        assert_eq!(parse(&text, &stores(), &job(), Path::new("j.json")), Ok(e));
    }

    #[test]
    fn a_corrupt_or_edited_journal_is_an_error_naming_its_file() {
        let good = serde_json::to_value(entry()).unwrap();
        let edited = |field: &str, value: serde_json::Value| {
            let mut v = good.clone();
            v[field] = value;
            v
        };
        let cases = [
            (edited("part_size", 1.into()), "part size, 1 bytes"),
            // 20,000 parts of 5 MiB.
            (edited("size", (20_000 * 5 * MIB).into()), "20000 parts"),
            (
                {
                    let mut v = edited("size", 0.into());
                    v["part_size"] = 0.into();
                    v
                },
                "its size, 0 bytes",
            ),
            (
                edited("part_size", (6u64 << 30).into()),
                "outside 5 MiB..5 GiB",
            ),
            (edited("upload_id", "".into()), "names no upload"),
            (
                edited("dst", "s3://b/other".into()),
                "a copy of s3://a/big to s3://b/other",
            ),
            (
                edited("destination_store", "aws".into()),
                "a copy from aws to aws",
            ),
            (edited("size", "eleven".into()), "invalid type"),
            (edited("version", serde_json::Value::Null), "no version"),
        ];
        for (value, why) in cases {
            let e = parsed(&value).unwrap_err();
            assert!(e.contains("/state/j.json is corrupt"), "{e}");
            assert!(e.contains(why), "{why}: {e}");
            assert!(e.contains("remove the file"), "{e}");
        }
        // Truncated: half of a good journal.
        let text = serde_json::to_vec_pretty(&entry()).unwrap();
        let e = parse(
            &text[..text.len() / 2],
            &stores(),
            &job(),
            Path::new("/state/j.json"),
        )
        .unwrap_err();
        assert!(e.contains("/state/j.json is corrupt (not JSON"), "{e}");
    }

    #[test]
    fn a_journal_of_another_version_is_refused_with_what_to_do() {
        let mut old = serde_json::to_value(entry()).unwrap();
        old["version"] = 1.into();
        old.as_object_mut().unwrap().remove("settings");
        let e = parsed(&old).unwrap_err();
        assert!(
            e.contains("written by an older s3cp (journal version 1)"),
            "{e}"
        );
        assert!(
            e.contains("s3cp uploads abort s3://b/big --upload-id U1"),
            "{e}"
        );
        old["version"] = 2.into();
        let e = parsed(&old).unwrap_err();
        assert!(e.contains("(journal version 2)"), "{e}");
        old["version"] = 4.into();
        let e = parsed(&old).unwrap_err();
        assert!(e.contains("has version 4"), "{e}");
    }

    #[test]
    fn settings_differ_by_the_flags_that_shape_the_upload() {
        let base = CopyOptions::default();
        let same = settings(&base);
        assert!(same.differences(&settings(&base)).is_empty());
        // Flags that only this run uses do not count.
        let mut this_run = base.clone();
        this_run.no_overwrite = true;
        this_run.checksums.verify = true;
        assert!(same.differences(&settings(&this_run)).is_empty());

        let mut other = base.clone();
        other.storage_class = Some(StorageClass::StandardIa);
        other.metadata.directive = MetadataDirective::Replace;
        other.metadata.headers.content_type = Some("text/plain".into());
        let d = same.differences(&settings(&other));
        let flags: Vec<(&str, &str, &str)> = d
            .iter()
            .map(|d| (d.flag.as_str(), d.then.as_str(), d.now.as_str()))
            .collect();
        assert_eq!(
            flags,
            [
                ("--content-type", NOT_GIVEN, "text/plain"),
                ("--metadata-directive", "COPY", "REPLACE"),
                ("--storage-class", NOT_GIVEN, "STANDARD_IA"),
            ]
        );

        // The checksum asked, the part size, the copy mode.
        let crc = Ask {
            algorithm: Some(Algorithm::Crc32),
            full_object: true,
        };
        let d = same.differences(&Settings::of(&base, crc, Limits::default(), false));
        assert_eq!(d[0].now, "CRC32 (FULL_OBJECT)");
        let limits = Limits::new(5 * MIB, 5 * MIB).unwrap();
        let d = same.differences(&Settings::of(&base, Ask::default(), limits, true));
        let flags: Vec<&str> = d.iter().map(|d| d.flag.as_str()).collect();
        assert_eq!(flags, ["--copy-mode", "--part-size"]);
    }

    #[test]
    fn an_sse_c_key_is_recorded_by_its_md5_only() {
        let opts = CopyOptions {
            sse_c: Some(SseCKey {
                algorithm: "AES256".into(),
                key_base64: "c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=".into(),
                key_md5_base64: "bWQ1".into(),
            }),
            ..Default::default()
        };
        let s = settings(&opts);
        let text = serde_json::to_string(&s).unwrap();
        assert!(!text.contains("c2VjcmV0"), "{text}");
        assert!(text.contains("AES256, key MD5 bWQ1"), "{text}");
        let mut other = opts.clone();
        other.sse_c.as_mut().unwrap().key_md5_base64 = "b3RoZXI=".into();
        let d = s.differences(&settings(&other));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].flag, "--sse-c");
    }
}
