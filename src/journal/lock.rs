//! The lock that lets one run at a time continue (or start) the upload of
//! a copy: an advisory lock on a small file beside the journal, held for
//! as long as the copy runs and released by the operating system if the
//! run dies (`kill -9`, a lost runner), so that a stale lock never blocks
//! the rerun that should finish the work.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// A held lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// Takes the lock at `path` without waiting: `Ok(None)` when another
    /// process holds it.
    pub(super) fn take(path: &Path) -> io::Result<Option<Lock>> {
        loop {
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(e),
            }
            // A run that released the lock removes its file: the file
            // opened may be one that is gone, whose lock guards nothing
            // any more. Lock the file that is at the path.
            if is_at(&file, path) {
                return Ok(Some(Lock {
                    file,
                    path: path.to_owned(),
                }));
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held (see `take`), then released by closing.
        // Where a file in use cannot be removed (Windows) it stays, empty.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// `file` is the one at `path` (not one removed since it was opened).
#[cfg(unix)]
fn is_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Lock files are never removed there.
#[cfg(not(unix))]
fn is_at(_: &File, _: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_the_file_goes_with_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let first = Lock::take(&path).unwrap().expect("free");
        assert!(Lock::take(&path).unwrap().is_none(), "held by the first");
        drop(first);
        assert!(!path.exists(), "removed on release");
        let again = Lock::take(&path).unwrap();
        assert!(again.is_some(), "free again");
    }

    #[test]
    fn a_lock_file_left_by_a_dead_run_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        // What kill -9 leaves: the file, with no lock on it.
        std::fs::write(&path, b"").unwrap();
        assert!(Lock::take(&path).unwrap().is_some());
    }
}
