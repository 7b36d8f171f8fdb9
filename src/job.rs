//! One object copy, fully resolved: its source and its destination object
//! (a destination ending in `/` already given the source's name), and the
//! check that a copy onto itself changes something. Everything below
//! [`crate::config`] that handles a copy takes a [`CopyJob`].

use anyhow::bail;

use crate::options::CopyOptions;
use crate::uri::S3Uri;

/// One object copy, fully resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyJob {
    pub src: S3Uri,
    /// The destination object (a prefix destination already resolved).
    pub dst: S3Uri,
}

/// What to change so that a copy onto itself is one S3 accepts.
pub const SELF_COPY_FIX: &str = "change something (--metadata-directive REPLACE or MERGE with new \
     metadata, --storage-class, --sse or --sse-c, --website-redirect) or give a different \
     destination";

impl CopyJob {
    /// Parses a source and a destination (a prefix destination takes the
    /// source key's last segment).
    pub fn new(src: &str, dst: &str) -> anyhow::Result<Self> {
        let src = S3Uri::parse_source(src)?;
        let dst = S3Uri::parse_destination(dst)?.resolve_destination(&src)?;
        Ok(Self { src, dst })
    }

    /// The destination is the source's own key (on one store: the same
    /// names on two stores are two objects, which callers know).
    pub fn onto_itself(&self) -> bool {
        self.src.bucket == self.dst.bucket && self.src.key == self.dst.key
    }

    /// A copy onto itself is only legal when it changes the object (or
    /// restores a version).
    pub fn check_self_copy(&self, options: &CopyOptions) -> anyhow::Result<()> {
        let src = &self.src;
        let same = self.onto_itself();
        if same && options.no_overwrite {
            bail!(
                "--no-overwrite cannot be given for a copy of {src} onto itself: the \
                 destination always exists, so nothing would be written"
            );
        }
        // A version restored onto its own key may differ from the current
        // one: --skip-same then decides.
        let skip_all = match options.skip {
            Some(crate::skip::Skip::Existing) => true,
            Some(crate::skip::Skip::Same) => src.version_id.is_none(),
            None => false,
        };
        if same && skip_all {
            bail!(
                "{} cannot be given for a copy of {src} onto itself: the destination is the \
                 source, so it would always be skipped",
                options.skip.map_or("", crate::skip::Skip::flag)
            );
        }
        if same && src.version_id.is_none() && !options.changes_object() {
            bail!(
                "{src} would be copied onto itself with nothing changed, which S3 refuses: \
                 {SELF_COPY_FIX}"
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_destination_takes_the_source_name() {
        let job = CopyJob::new("s3://a/dir/f.txt", "s3://b/out/").unwrap();
        assert_eq!(job.dst.to_string(), "s3://b/out/f.txt");
    }

    #[test]
    fn a_copy_onto_itself_must_change_something() {
        let opts = CopyOptions::default();
        let job = CopyJob::new("s3://a/k", "s3://a/k").unwrap();
        let e = job.check_self_copy(&opts).unwrap_err();
        assert!(e.to_string().contains(SELF_COPY_FIX), "{e}");
        let restore = CopyJob::new("s3://a/k?versionId=v1", "s3://a/k").unwrap();
        assert!(restore.check_self_copy(&opts).is_ok());
        let no_overwrite = CopyOptions {
            no_overwrite: true,
            ..CopyOptions::default()
        };
        let e = restore.check_self_copy(&no_overwrite).unwrap_err();
        assert!(e.to_string().contains("--no-overwrite"), "{e}");
    }
}
