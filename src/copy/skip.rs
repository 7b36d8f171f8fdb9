//! `--skip-existing` and `--skip-same` before a copy: the HEADs that
//! [`crate::skip::decide`] asks for, and nothing else. What the destination
//! listing said (`-r`) is used first; without it (a single copy, a
//! manifest line) the destination is HEADed first, before anything of the
//! source, so that an existing destination under `--skip-existing` costs
//! that one request.

use tokio_util::sync::CancellationToken;

use aws_sdk_s3::types::StorageClass;

use super::rename::Renamed;
use super::{Copied, Engine, Known, SourceVersion, tags};
use crate::checksum::Checksum;
use crate::error::S3Error;
use crate::error::messages::source_error;
use crate::job::CopyJob;
use crate::options::{Acl, AnnotationDirective, CopyOptions, ObjectMetadata, TaggingDirective};
use crate::plan::CopyMode;
use crate::progress::Progress;
use crate::request::{self, SourceObject};
use crate::select::Listed;
use crate::skip::{Decision, Existing, Reason, Side, Skip, decide};

/// An object not copied: why, and what its destination is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub skip: Skip,
    pub reason: Reason,
    /// The destination's size and ETag, as listed or HEADed.
    pub size: u64,
    pub etag: String,
    /// The destination's checksum, when a HEAD read it.
    pub checksum: Option<Checksum>,
    /// The requests the decision took (0 when the listings decided).
    pub requests: u64,
    /// `s3cp mv --skip-same`: the destination is what a copy of this
    /// source version would make in every respect compared (bytes,
    /// headers, metadata, storage class, tags), so the source may go.
    pub same_source: Option<SourceVersion>,
}

/// The outcome of the check before a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Checked {
    Skip(Skipped),
    /// Copy it; `requests` were sent to decide. `source` is what the HEAD
    /// of the source read to decide (the copy's own HEAD, the same
    /// request), for the copy to use instead of sending it again.
    Copy {
        requests: u64,
        source: Option<Box<SourceObject>>,
        /// `--skip-same` could not tell whether the destination is the
        /// same ([`Decision::CannotTell`]).
        uncompared: bool,
    },
}

/// One object of a Batch Operations run, before the split
/// ([`Engine::sized_unless_skipped`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sized {
    Skipped(Skipped),
    /// To copy: its size, and the requests it took to know it.
    Size {
        size: u64,
        requests: u64,
    },
}

/// What became of one object.
#[derive(Debug)]
pub enum Outcome {
    /// Left alone under `--skip-existing` / `--skip-same`.
    Skipped(Skipped),
    Copied(Box<Copied>),
}

impl Engine<'_> {
    /// Copies `job` unless `opts.skip` leaves its destination alone: the
    /// check first ([`Engine::skip`]), then [`Engine::copy`] with what is
    /// known of the source (the check's HEAD of it, else the listing's
    /// entry); the check's requests count among the copy's. `listed` and
    /// `existing` are what the two listings said (`-r`); `mode` overrides
    /// `--copy-mode` for this copy.
    #[allow(clippy::too_many_arguments)]
    pub async fn copy_unless_skipped(
        &self,
        job: &CopyJob,
        listed: Option<&Listed>,
        existing: &Existing,
        mode: Option<CopyMode>,
        opts: &CopyOptions,
        dry_run: bool,
        progress: &dyn Progress,
        cancel: &CancellationToken,
    ) -> anyhow::Result<Outcome> {
        let (decided, headed, uncompared) = match self.skip(job, listed, existing, opts).await? {
            Checked::Skip(skipped) => return Ok(Outcome::Skipped(skipped)),
            Checked::Copy {
                requests,
                source,
                uncompared,
            } => (requests, source, uncompared),
        };
        let mut known = match (headed.as_deref(), listed) {
            (Some(head), _) => Known::Headed(head),
            (None, Some(listed)) => Known::Listed(listed),
            (None, None) => Known::Nothing,
        };
        // s3cp mv within one directory bucket: one RenameObject, unless
        // the store refuses it (then copied and deleted, with its HEAD).
        let renamed_head;
        let mut refused = 0;
        if self.renames(job, mode, opts) {
            match self.rename(job, known, opts, dry_run).await? {
                Renamed::Moved(mut copied) => {
                    copied.requests += decided;
                    return Ok(Outcome::Copied(copied));
                }
                Renamed::Refused { head, requests } => {
                    refused = requests;
                    if let Some(head) = head {
                        renamed_head = head;
                        known = Known::Headed(&renamed_head);
                    }
                }
            }
        }
        let mut copied = self
            .copy(job, known, mode, opts, dry_run, progress, cancel)
            .await?;
        copied.requests += decided + refused;
        copied.uncompared = uncompared && !dry_run;
        Ok(Outcome::Copied(Box::new(copied)))
    }

    /// What a Batch Operations run needs of one object before it goes
    /// into the job's manifest or is copied here: skipped under
    /// `--skip-*` (the same decision as a copy's), or its size, from the
    /// listing, the skip check's HEAD, or a HEAD now (a manifest line).
    pub async fn sized_unless_skipped(
        &self,
        job: &CopyJob,
        listed: Option<&Listed>,
        existing: &Existing,
        opts: &CopyOptions,
    ) -> anyhow::Result<Sized> {
        let (requests, source) = match self.skip(job, listed, existing, opts).await? {
            Checked::Skip(skipped) => return Ok(Sized::Skipped(skipped)),
            Checked::Copy {
                requests, source, ..
            } => (requests, source),
        };
        Ok(match (listed, source) {
            (_, Some(head)) => Sized::Size {
                size: head.size,
                requests,
            },
            (Some(listed), None) => Sized::Size {
                size: listed.size,
                requests,
            },
            (None, None) => Sized::Size {
                size: self.head_source(job, opts).await?.size,
                requests: requests + 1,
            },
        })
    }

    /// Whether `job` is skipped under `opts.skip`: `listed` is what the
    /// source listing said of the source, `existing` what the destination
    /// listing said of the destination.
    async fn skip(
        &self,
        job: &CopyJob,
        listed: Option<&Listed>,
        existing: &Existing,
        opts: &CopyOptions,
    ) -> anyhow::Result<Checked> {
        let Some(skip) = opts.skip else {
            return Ok(Checked::Copy {
                requests: 0,
                source: None,
                uncompared: false,
            });
        };
        let mut requests = 0;
        // What the HEAD of the destination read, once sent.
        let mut dst_headed: Option<SourceObject> = None;
        let mut dst = match existing {
            Existing::Absent => {
                return Ok(Checked::Copy {
                    requests,
                    source: None,
                    uncompared: false,
                });
            }
            Existing::Listed { size, etag } => Side::listed(*size, etag).in_bucket(&job.dst.bucket),
            Existing::Unknown => {
                requests += 1;
                match self.head_destination(job, opts, skip).await? {
                    Some(object) => {
                        let side = Side::from(&object).in_bucket(&job.dst.bucket);
                        dst_headed = Some(object);
                        side
                    }
                    None => {
                        return Ok(Checked::Copy {
                            requests,
                            source: None,
                            uncompared: false,
                        });
                    }
                }
            }
        };
        // What the HEAD of the source read, once sent.
        let mut headed: Option<SourceObject> = None;
        let mut src = match (skip, listed) {
            // The source does not matter.
            (Skip::Existing, _) => Side::default(),
            (Skip::Same, Some(l)) => Side::listed(l.size, &l.etag).in_bucket(&job.src.bucket),
            (Skip::Same, None) => {
                requests += 1;
                let object = self.head_source(job, opts).await?;
                let side = Side::from(&object).in_bucket(&job.src.bucket);
                headed = Some(object);
                side
            }
        };
        let moving = opts.moving.is_some();
        loop {
            let decision = match decide(skip, &src, &dst) {
                // A move deletes a source found the same only once its
                // destination is what the copy would make in every
                // respect, which takes both HEADs (headers, metadata).
                Decision::Skip(Reason::Same(_)) if moving && !(src.headed && dst.headed) => {
                    Decision::Compare
                }
                decision => decision,
            };
            let cannot_tell = matches!(&decision, Decision::CannotTell(_));
            match decision {
                Decision::Skip(reason) => {
                    let same_source = match (moving, &headed, &dst_headed) {
                        (true, Some(source), Some(destination)) => {
                            let (differs, asked) =
                                self.differences(job, source, destination, opts).await;
                            requests += asked;
                            if let Some(why) = differs {
                                tracing::info!(
                                    "{} is copied over (s3cp mv --skip-same): the same bytes, \
                                     but {why}",
                                    job.dst
                                );
                                return Ok(Checked::Copy {
                                    requests,
                                    source: headed.map(Box::new),
                                    uncompared: false,
                                });
                            }
                            Some(SourceVersion {
                                etag: source.etag.clone(),
                                version_id: source.version_id.clone(),
                            })
                        }
                        _ => None,
                    };
                    return Ok(Checked::Skip(Skipped {
                        skip,
                        reason,
                        size: dst.size,
                        etag: dst.etag,
                        checksum: dst.checksum,
                        requests,
                        same_source,
                    }));
                }
                Decision::Copy(why) | Decision::CannotTell(why) => {
                    tracing::info!("{} is copied over ({}): {why}", job.dst, skip.flag());
                    return Ok(Checked::Copy {
                        requests,
                        source: headed.map(Box::new),
                        uncompared: cannot_tell,
                    });
                }
                Decision::Compare => {
                    tracing::debug!(
                        "{}: the listings do not tell whether it is the same as {}; reading \
                         both HEADs",
                        job.dst,
                        job.src
                    );
                    if !src.headed {
                        requests += 1;
                        let object = self.head_source(job, opts).await?;
                        src = Side::from(&object).in_bucket(&job.src.bucket);
                        headed = Some(object);
                    }
                    if !dst.headed {
                        requests += 1;
                        match self.head_destination(job, opts, skip).await? {
                            Some(object) => {
                                dst = Side::from(&object).in_bucket(&job.dst.bucket);
                                dst_headed = Some(object);
                            }
                            // Deleted since it was listed.
                            None => {
                                return Ok(Checked::Copy {
                                    requests,
                                    source: headed.map(Box::new),
                                    uncompared: false,
                                });
                            }
                        }
                    }
                }
            }
        }
    }

    /// `s3cp mv --skip-same`, bytes found the same: why the source may not
    /// go without a copy, `None` when it may; and the requests sent. It
    /// may not when the source does not meet `--copy-source-if-*` (the
    /// copy then fails on it, and keeps the source), when a flag sets what
    /// is not compared (an ACL, encryption, a redirect, Object Lock, a
    /// checksum algorithm), when the destination differs from what a copy
    /// would make (headers, metadata, storage class, tags), or when the
    /// source has annotations (under COPY; they are not compared, and a
    /// copy carries them). What cannot be read counts as a difference:
    /// the copy then goes ahead, rather than a source deleted on a guess.
    async fn differences(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        destination: &SourceObject,
        opts: &CopyOptions,
    ) -> (Option<String>, u64) {
        if let Err(e) = opts
            .conditions
            .check(&source.etag, source.last_modified.as_ref())
        {
            return (
                Some(format!("the source does not meet --copy-source-if-*: {e}")),
                0,
            );
        }
        if let Some(flag) = uncompared_flag(opts) {
            return (
                Some(format!("{flag} sets what --skip-same does not compare")),
                0,
            );
        }
        let expected = Made::by_copy(opts, source, &job.dst.bucket);
        let actual = Made::found(destination);
        if let Some(why) = expected.differs_from(&actual) {
            return (Some(why), 0);
        }
        let mut requests = 1;
        // A directory bucket keeps no tags: a copy there writes none, and
        // there are none to read.
        if crate::uri::is_directory_bucket(&job.dst.bucket) {
            return (None, requests);
        }
        let source_tags = match opts.tagging.directive {
            TaggingDirective::Replace => Ok(opts.tagging.tags.clone()),
            TaggingDirective::Copy => {
                requests += 1;
                let req = |c: &aws_sdk_s3::Client| {
                    request::get_source_tagging(c, &job.src, source, opts).send()
                };
                tags(self.send_src(&job.src.bucket, req).await)
            }
        };
        let req = |c: &aws_sdk_s3::Client| {
            request::get_destination_tagging(c, job, destination, opts).send()
        };
        let destination_tags = tags(self.send_to(&job.dst.bucket, req).await);
        let why = match (source_tags, destination_tags) {
            (Ok(s), Ok(d)) => tags_differ(&s, &d),
            (Err(e), _) => Some(format!("the source's tags cannot be read ({e})")),
            (_, Err(e)) => Some(format!("the destination's tags cannot be read ({e})")),
        };
        if why.is_some() || opts.annotations.directive != AnnotationDirective::Copy {
            return (why, requests);
        }
        let why = match self.has_annotations(job, source, opts).await {
            Ok((false, sent)) => {
                requests += sent;
                None
            }
            Ok((true, sent)) => {
                requests += sent;
                Some("the source has annotations, which are not compared".to_owned())
            }
            Err(e) => Some(format!("the source's annotations cannot be listed ({e:#})")),
        };
        (why, requests)
    }

    /// HEAD of the destination with its checksum; `None` when there is
    /// none (404).
    async fn head_destination(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
        skip: Skip,
    ) -> anyhow::Result<Option<SourceObject>> {
        let destination = self
            .send_to(&job.dst.bucket, |c| {
                request::head_existing(c, job, opts, skip == Skip::Same).send()
            })
            .await;
        match destination {
            // Read as a source is: the same fields, and a move compares
            // them (`--skip-same`).
            Ok(destination) => Ok(Some(SourceObject::from_head(&destination))),
            Err(err) => {
                let e = S3Error::from_sdk("HeadObject", &err);
                if e.status == Some(404) {
                    return Ok(None);
                }
                let what = if e.is_unreachable() {
                    crate::error::unreachable(self.endpoint, &format!("read {}", job.dst))
                } else if e.status == Some(403) {
                    format!(
                        "cannot tell whether {} exists ({}): access was denied; S3 answers 403 \
                         instead of 404 to whoever may not s3:ListBucket the bucket, so the \
                         credentials need s3:GetObject and s3:ListBucket on the destination{}",
                        job.dst,
                        skip.flag(),
                        match skip {
                            Skip::Same => {
                                " (and kms:Decrypt when it is under SSE-KMS: reading its \
                                 checksum needs it)"
                            }
                            Skip::Existing => "",
                        }
                    )
                } else {
                    format!("cannot tell whether {} exists ({})", job.dst, skip.flag())
                };
                Err(anyhow::Error::new(e).context(what))
            }
        }
    }

    /// HEAD of the source with its checksum: the request a copy sends
    /// first ([`request::head_source`]), so the copy can use its answer.
    pub(super) async fn head_source(
        &self,
        job: &CopyJob,
        opts: &CopyOptions,
    ) -> anyhow::Result<SourceObject> {
        let head = self
            .send_src(&job.src.bucket, |c| {
                request::head_source(c, &job.src, opts).send()
            })
            .await
            .map_err(|err| {
                source_error(
                    job,
                    opts,
                    self.source_endpoint,
                    self.stop.is_missing(&job.src.bucket),
                    &err,
                )
            })?;
        Ok(SourceObject::from_head(&head))
    }
}

/// A flag that sets what `s3cp mv --skip-same` does not compare (it
/// compares headers, metadata, storage class and tags), so that a
/// destination it finds the same may still not be what the copy would
/// make. Pure.
fn uncompared_flag(opts: &CopyOptions) -> Option<&'static str> {
    let lock = &opts.object_lock;
    [
        (
            opts.acl != Acl::Default,
            "an ACL (--acl, --grant-*, --copy-acl)",
        ),
        (
            opts.encryption != Default::default() || opts.sse_c.is_some(),
            "encryption (--sse, --sse-kms-key-id, --sse-c)",
        ),
        (opts.website_redirect.is_some(), "--website-redirect"),
        (
            lock.mode.is_some() || lock.retain_until.is_some() || lock.legal_hold.is_some(),
            "Object Lock",
        ),
        (opts.checksums.algorithm.is_some(), "--checksum-algorithm"),
    ]
    .into_iter()
    .find(|(given, _)| *given)
    .map(|(_, flag)| flag)
}

/// An object in the respects that `s3cp mv --skip-same` compares beyond
/// its bytes and tags: what a HEAD shows that a copy sets.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Made {
    meta: ObjectMetadata,
    storage_class: StorageClass,
}

impl Made {
    /// What a copy of `source` into `dst_bucket` makes under `opts`: the
    /// metadata directive applied; the storage class given, else the one
    /// a write there names (EXPRESS_ONEZONE in a directory bucket), else
    /// STANDARD (a copy does not keep the source's).
    fn by_copy(opts: &CopyOptions, source: &SourceObject, dst_bucket: &str) -> Self {
        Made {
            meta: opts.metadata.resolve(&source.meta),
            storage_class: crate::options::directory::storage_class(dst_bucket, opts)
                .unwrap_or(StorageClass::Standard),
        }
    }

    /// What `object` is (a HEAD leaves STANDARD out).
    fn found(object: &SourceObject) -> Self {
        Made {
            meta: object.meta.clone(),
            storage_class: object
                .storage_class
                .clone()
                .unwrap_or(StorageClass::Standard),
        }
    }

    /// What of `actual` differs from `self`, named; `None` when nothing
    /// does. Pure.
    fn differs_from(&self, actual: &Made) -> Option<String> {
        let (want, have) = (&self.meta.headers, &actual.meta.headers);
        let mut differ: Vec<String> = [
            ("Content-Type", want.content_type == have.content_type),
            ("Cache-Control", want.cache_control == have.cache_control),
            (
                "Content-Disposition",
                want.content_disposition == have.content_disposition,
            ),
            (
                "Content-Encoding",
                want.content_encoding == have.content_encoding,
            ),
            (
                "Content-Language",
                want.content_language == have.content_language,
            ),
            ("Expires", want.expires == have.expires),
            ("storage class", self.storage_class == actual.storage_class),
        ]
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(name, _)| name.to_owned())
        .collect();
        let (want, have) = (&self.meta.metadata, &actual.meta.metadata);
        let mut keys: Vec<&String> = want
            .keys()
            .chain(have.keys())
            .filter(|k| want.get(*k) != have.get(*k))
            .collect();
        keys.sort();
        keys.dedup();
        differ.extend(keys.into_iter().map(|k| format!("metadata {k}")));
        match differ.is_empty() {
            true => None,
            false => Some(format!(
                "its {} differ{} from what the copy makes",
                differ.join(", "),
                if differ.len() == 1 { "s" } else { "" }
            )),
        }
    }
}

/// What differs between two tag sets, in any order; `None` when nothing
/// does. Pure.
fn tags_differ(source: &[(String, String)], destination: &[(String, String)]) -> Option<String> {
    let sorted = |tags: &[(String, String)]| {
        let mut tags = tags.to_vec();
        tags.sort();
        tags
    };
    (sorted(source) != sorted(destination)).then(|| {
        format!(
            "its tags ({}) are not what the copy makes ({})",
            tag_list(destination),
            tag_list(source)
        )
    })
}

fn tag_list(tags: &[(String, String)]) -> String {
    match tags.is_empty() {
        true => "none".to_owned(),
        false => request::tagging_header(tags),
    }
}

impl From<&SourceObject> for Side {
    /// The source as its HEAD (with checksum mode) tells it.
    fn from(object: &SourceObject) -> Side {
        Side {
            size: object.size,
            etag: object.etag.clone(),
            checksum: object.checksum.clone(),
            keyed: object.keyed,
            headed: true,
            express: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{ContentHeaders, MetadataDirective};

    fn object() -> SourceObject {
        SourceObject {
            meta: ObjectMetadata {
                headers: ContentHeaders {
                    content_type: Some("text/plain".to_owned()),
                    cache_control: Some("max-age=60".to_owned()),
                    ..ContentHeaders::default()
                },
                metadata: [("owner".to_owned(), "blue".to_owned())].into(),
            },
            ..SourceObject::default()
        }
    }

    #[test]
    fn a_copy_of_the_same_object_differs_in_nothing() {
        let opts = CopyOptions::default();
        let mut destination = object();
        destination.storage_class = Some(StorageClass::Standard);
        assert_eq!(
            Made::by_copy(&opts, &object(), "dst").differs_from(&Made::found(&destination)),
            None
        );
    }

    #[test]
    fn each_header_metadata_key_and_the_storage_class_are_compared() {
        let opts = CopyOptions::default();
        let mut destination = object();
        destination.meta.headers.content_type = None;
        destination
            .meta
            .metadata
            .insert("extra".to_owned(), "x".to_owned());
        destination.storage_class = Some(StorageClass::StandardIa);
        let why = Made::by_copy(&opts, &object(), "dst")
            .differs_from(&Made::found(&destination))
            .unwrap();
        assert_eq!(
            why,
            "its Content-Type, storage class, metadata extra differ from what the copy makes"
        );
        destination = object();
        destination
            .meta
            .metadata
            .insert("owner".to_owned(), "red".to_owned());
        assert!(
            Made::by_copy(&opts, &object(), "dst")
                .differs_from(&Made::found(&destination))
                .unwrap()
                .ends_with("metadata owner differs from what the copy makes")
        );
    }

    #[test]
    fn the_comparison_is_with_what_the_flags_make_not_with_the_source() {
        // --metadata-directive REPLACE --content-type x/y: a destination
        // like the source differs; one with what was given does not.
        let mut opts = CopyOptions::default();
        opts.metadata.directive = MetadataDirective::Replace;
        opts.metadata.headers.content_type = Some("x/y".to_owned());
        opts.storage_class = Some(StorageClass::StandardIa);
        let expected = Made::by_copy(&opts, &object(), "dst");
        assert!(expected.differs_from(&Made::found(&object())).is_some());
        let mut made = SourceObject::default();
        made.meta.headers.content_type = Some("x/y".to_owned());
        made.storage_class = Some(StorageClass::StandardIa);
        assert_eq!(expected.differs_from(&Made::found(&made)), None);
    }

    #[test]
    fn tags_compare_in_any_order() {
        let t = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            tags_differ(&t(&[("a", "1"), ("b", "2")]), &t(&[("b", "2"), ("a", "1")])),
            None
        );
        assert_eq!(
            tags_differ(&t(&[("a", "1")]), &t(&[])).unwrap(),
            "its tags (none) are not what the copy makes (a=1)"
        );
        assert!(tags_differ(&t(&[("a", "1")]), &t(&[("a", "2")])).is_some());
    }
}
