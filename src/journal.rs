//! The resume journal: one small JSON file per multipart copy in flight, in
//! the user's state directory, naming the upload, the pinned source and the
//! plan. Written when the upload is created, removed when it completes or
//! is aborted; what is left after Ctrl-C with `--keep-partial`, `kill -9`, a
//! crash or a lost network is what `s3cp --resume SRC DST` continues. Which
//! parts are done is asked of S3 (ListParts), not recorded here.

use std::io::{self, Write};
use std::path::PathBuf;

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use crate::job::CopyJob;

/// Format version of a journal file.
const VERSION: u32 = 1;

/// One multipart copy that may be resumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub version: u32,
    pub src: String,
    pub dst: String,
    pub upload_id: String,
    /// The source the parts are pinned to.
    pub etag: String,
    pub source_version_id: Option<String>,
    pub size: u64,
    pub part_size: u64,
    /// The parts are streamed (GetObject, UploadPart), not copied
    /// server-side; absent in journals of s3cp before streaming.
    #[serde(default)]
    pub streamed: bool,
}

impl Entry {
    pub fn new(
        job: &CopyJob,
        upload_id: &str,
        etag: &str,
        version: Option<&str>,
        size: u64,
        part_size: u64,
    ) -> Self {
        Entry {
            version: VERSION,
            src: job.src.to_string(),
            dst: job.dst.to_string(),
            upload_id: upload_id.to_owned(),
            etag: etag.to_owned(),
            source_version_id: version.map(str::to_owned),
            size,
            part_size,
            streamed: false,
        }
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

/// The journal file of a copy: named by a hash of its source and
/// destination, so the same command line finds it again.
pub fn path(job: &CopyJob) -> PathBuf {
    let digest = Md5::digest(format!("{}\n{}", job.src, job.dst).as_bytes());
    let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    dir().join(format!("{name}.json"))
}

/// Writes the entry atomically: a temporary file in the same directory,
/// persisted (renamed) into place, so a crash leaves the old entry or the
/// new one, never half of one.
pub fn write(job: &CopyJob, entry: &Entry) -> io::Result<()> {
    let path = path(job);
    let dir = path.parent().expect("journal dir");
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(&serde_json::to_vec_pretty(entry)?)?;
    file.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

pub fn read(job: &CopyJob) -> Option<Entry> {
    let text = std::fs::read(path(job)).ok()?;
    serde_json::from_slice::<Entry>(&text).ok().filter(|e| {
        e.version == VERSION && e.src == job.src.to_string() && e.dst == job.dst.to_string()
    })
}

pub fn remove(job: &CopyJob) {
    let _ = std::fs::remove_file(path(job));
}
