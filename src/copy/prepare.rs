//! Preparing one copy: from what was gathered before it (the source's HEAD
//! or listing, the journal of a resumed copy, the source's parts, the ACL;
//! see [`super::Engine::gather`]) and the engine's settings, the plan of
//! the copy: its method, its checksums and proof, what its upload is
//! created with, and the requests it sends when nothing fails.
//!
//! Pure: no I/O and nothing async, so that `--dry-run` is the gathering
//! and this alone, and so that every request count is unit-tested here.
//! The counts are what `--dry-run` and the JSON line's `requests` report;
//! what a failure or the proof adds (a HEAD of the destination for its
//! checksum) is counted where it is sent.

use super::read::RANGE;
use super::rerun::ResumePoint;
use super::{Copied, Resumed};
use crate::checksum::{self, Proof};
use crate::job::CopyJob;
use crate::journal;
use crate::options::{Acl, CopyOptions, TaggingDirective};
use crate::plan::{self, Limits, Method};
use crate::request::{self, SourceObject};
use crate::uri::is_directory_bucket;

/// What a copy reads before anything is decided.
#[derive(Debug)]
pub(super) struct Gathered {
    /// The source, as its HEAD or a listing tells it.
    pub(super) source: SourceObject,
    /// How the source came to be known.
    pub(super) seen: Seen,
    /// An interrupted copy this one continues: its journal and the parts
    /// its upload has.
    pub(super) resumed: Option<ResumePoint>,
    /// `--part-size source` (not resumed): the method that repeats the
    /// source's own parts, as HEADs of its parts told it (one CopyObject
    /// for a single-part source, which needs none).
    pub(super) source_parts: Option<Method>,
    /// The ACL the write carries: the source's grants under `--copy-acl`
    /// (read), else what was given.
    pub(super) acl: Acl,
    /// The copy's lock, held until it ends ([`Engine::rerun_of`]).
    ///
    /// [`Engine::rerun_of`]: super::Engine::rerun_of
    #[allow(dead_code, reason = "held for as long as the copy runs, not read")]
    pub(super) lock: Option<journal::Lock>,
    /// Requests sent about an interrupted copy that the plan does not
    /// count (an abort, the ListParts of an upload found gone).
    pub(super) rerun_requests: u64,
}

/// How the source came to be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
    /// From a listing's entry, without a HEAD (an object that one
    /// CopyObject copies). `without_checksum`: the listing said it has
    /// none.
    Listed { without_checksum: bool },
    /// By the HEAD sent before the copy (to decide `--skip-same`), and
    /// counted there.
    HeadedBefore,
    /// By this copy's own HEAD.
    Headed,
}

/// How one copy is made, decided before any write.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) method: Method,
    /// The bytes pass through this machine (GetObject, then PutObject or
    /// UploadPart) instead of a server-side copy.
    pub(super) streamed: bool,
    /// What S3 is asked to compute, and what proves the copy (a multipart
    /// copy that repeats the source's own parts, `--part-size source`, is
    /// proved by the ETags, which then compare).
    pub(super) checks: checksum::Plan,
    /// What a multipart upload is created with (its journal records it).
    pub(super) settings: journal::Settings,
    pub(super) requests: Requests,
}

/// The requests a copy sends when nothing fails, reads included, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Requests {
    /// The source's HEAD, when this copy sends it: not for a listed
    /// object, nor when it was sent before (and counted there).
    pub(super) head: u64,
    /// `--copy-acl`: GetObjectAcl.
    pub(super) acl: u64,
    /// GetObjectTagging, for the tags (COPY) that a multipart or streamed
    /// write must carry itself (CopyObject carries them by itself; a
    /// resumed upload has them).
    pub(super) tags: u64,
    /// `--part-size source`: one HEAD per part of the source.
    pub(super) part_heads: u64,
    /// CopyObject or PutObject; or CreateMultipartUpload, a part each and
    /// Complete ([`plan::requests`]).
    pub(super) writes: u64,
    /// A stream's GETs: one per part, or the one of its single write (none
    /// for an empty object).
    pub(super) stream_gets: u64,
    /// `--verify`'s read of the source: one GET per range of
    /// [`RANGE`] bytes (a read of its own, after a stream's GETs too).
    pub(super) verify_gets: u64,
}

impl Requests {
    /// The requests a copy sent: the plan's, and for a resumed copy the
    /// plan's less what its upload already had (the parts found done,
    /// each one write and, streamed, one GET), with ListParts' pages in
    /// place of CreateMultipartUpload. A dry run cannot know those: it
    /// counts every part.
    pub(super) fn sent(&self, resumed: Option<Resumed>) -> u64 {
        let Some(r) = resumed else {
            return self.total();
        };
        let per_part = 1 + u64::from(self.stream_gets > 0);
        (self.total() + r.list_pages).saturating_sub(1 + r.parts_done * per_part)
    }

    pub(super) fn total(&self) -> u64 {
        self.head
            + self.acl
            + self.tags
            + self.part_heads
            + self.writes
            + self.stream_gets
            + self.verify_gets
    }
}

/// Plans the copy of `gathered.source` with `limits` (the stream's when
/// `streamed`). Refuses a plan that S3's limits rule out, and a resume
/// whose flags would have created another upload than the journal's.
pub(super) fn prepare(
    job: &CopyJob,
    gathered: &Gathered,
    opts: &CopyOptions,
    limits: Limits,
    streamed: bool,
) -> anyhow::Result<Plan> {
    let Gathered {
        source,
        seen,
        resumed,
        source_parts,
        ..
    } = gathered;
    // A resumed copy keeps the plan (and upload) it was started with.
    let method = match (resumed.as_ref().map(|r| &r.entry), *source_parts) {
        (Some(e), _) => Method::Multipart {
            part_size: e.part_size,
            parts: e.size.div_ceil(e.part_size),
        },
        // A streamed single write holds the object in memory: only up to
        // the threshold.
        (None, Some(Method::Single)) if streamed && source.size > limits.threshold => {
            plan::plan(source.size, limits)?
        }
        (None, Some(method)) => method,
        (None, None) => plan::plan(source.size, limits)?,
    };
    let multipart = matches!(method, Method::Multipart { .. });
    // The source's own parts repeated: the ETags compare, unless a key
    // (KMS, SSE-C) makes them something else than MD5s.
    // (A resumed one too: its journal's part size is the source's, as
    // --part-size source must be given again.)
    let same_parts = multipart && limits.source_parts;
    let facts = facts(job, source, opts, multipart, same_parts);
    let checks = match streamed {
        true => checksum::plan_stream(facts, opts.checksums),
        false => checksum::plan(facts, opts.checksums),
    };
    // What this run would create the upload with; a resume must match
    // what the journal's upload was created with, before any write. Only
    // a multipart copy has an upload (and a journal): the map of every
    // flag, made for each object, was 3% of a bulk run's CPU.
    let settings = match multipart || resumed.is_some() {
        true => journal::Settings::of(opts, checks.ask, limits, streamed),
        false => journal::Settings::default(),
    };
    if let Some(r) = resumed {
        super::refuse_other_settings(job, &r.entry, &settings)?;
    }
    let requests = Requests {
        head: u64::from(*seen == Seen::Headed),
        acl: u64::from(opts.acl == Acl::CopySource),
        // A streamed copy reads the tags for its write, single or not;
        // into a directory bucket, which keeps none, a CopyObject reads
        // them too, to name them, when its HEAD says there are some, and
        // a source in a directory bucket has none to read.
        tags: u64::from(
            resumed.is_none()
                && opts.tagging.directive == TaggingDirective::Copy
                && !is_directory_bucket(&job.src.bucket)
                && (multipart
                    || streamed
                    || (is_directory_bucket(&job.dst.bucket) && source.tag_count.unwrap_or(0) > 0)),
        ),
        // Sent only for a source that is itself multipart (its parts were
        // HEADed to repeat them); a single-part source's plan needed none,
        // even when a stream then cuts it in parts.
        part_heads: match (resumed, *source_parts) {
            (None, Some(Method::Multipart { parts, .. })) => parts,
            _ => 0,
        },
        writes: plan::requests(method),
        stream_gets: match (streamed, method) {
            (true, Method::Single) => u64::from(source.size > 0),
            (true, Method::Multipart { parts, .. }) => parts,
            (false, _) => 0,
        },
        verify_gets: match &checks.proof {
            Proof::Read(_) => source.size.div_ceil(RANGE),
            _ => 0,
        },
    };
    Ok(Plan {
        method,
        streamed,
        checks,
        settings,
        requests,
    })
}

impl Plan {
    /// What `--dry-run` reports of the copy of `source`: the plan, nothing
    /// written (its duration is the caller's to say).
    pub(super) fn dry_run(&self, source: &SourceObject) -> Copied {
        Copied {
            dry_run: true,
            requests: self.requests.total(),
            ..Copied::made(
                source.size,
                self.method,
                self.streamed,
                source.version_id.clone(),
            )
        }
    }

    /// How the copy is made, in words (said at `-v`).
    pub(super) fn how(&self) -> String {
        match (self.streamed, self.method) {
            (false, method) => method.to_string(),
            (true, Method::Single) => "streamed, one GetObject and one PutObject".to_owned(),
            (true, Method::Multipart { part_size, parts }) => {
                format!("streamed in {parts} parts of {part_size} bytes")
            }
        }
    }
}

/// What [`checksum::plan`] needs to know of a source: its checksum, and
/// whether ETags are MD5s here. `same_parts`: a multipart copy repeating the
/// source's own parts, whose multipart ETags then compare. A directory
/// bucket's ETags are not MD5s ("a random alphanumeric string":
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/directory-buckets-objects-copy.html>),
/// so with one at either end nothing is proved by an ETag: a checksum
/// proves the copy, or `--verify`'s read.
pub(super) fn facts<'a>(
    job: &CopyJob,
    source: &'a SourceObject,
    opts: &CopyOptions,
    multipart: bool,
    same_parts: bool,
) -> checksum::Source<'a> {
    let express_source = is_directory_bucket(&job.src.bucket);
    let express = express_source || is_directory_bucket(&job.dst.bucket);
    let unkeyed = !source.keyed
        && opts.sse_c.is_none()
        && opts.sse_c_source.is_none()
        && !request::kms(opts.encryption.sse.as_ref());
    let single_part_etag = !source.etag.is_empty() && !source.etag.contains('-');
    checksum::Source {
        checksum: source.checksum.as_ref(),
        etag_is_md5: !express && unkeyed && (single_part_etag || same_parts),
        source_etag_is_md5: !express_source
            && !source.keyed
            && opts.sse_c_source.is_none()
            && single_part_etag,
        etag: &source.etag,
        multipart,
        same_parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::{Algorithm, Ask, ChecksumOptions};
    use crate::error::ResumeRefused;
    use crate::plan::STREAM_PART_SIZE;
    use aws_sdk_s3::types::StorageClass;

    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;

    fn job() -> CopyJob {
        CopyJob::new("s3://a/k", "s3://b/k").unwrap()
    }

    /// A source of `size` bytes with `etag`, known as `seen`; nothing else
    /// gathered.
    fn gathered(size: u64, etag: &str, seen: Seen) -> Gathered {
        Gathered {
            source: SourceObject {
                size,
                etag: etag.to_owned(),
                ..SourceObject::default()
            },
            seen,
            resumed: None,
            lock: None,
            rerun_requests: 0,
            source_parts: None,
            acl: Acl::Default,
        }
    }

    fn headed(size: u64, etag: &str) -> Gathered {
        gathered(size, etag, Seen::Headed)
    }

    /// A server-side copy's limits: the defaults.
    fn server() -> Limits {
        Limits::default()
    }

    /// A streamed copy's limits: the defaults (16 MiB parts and threshold).
    fn stream() -> Limits {
        Limits {
            threshold: STREAM_PART_SIZE,
            part_size: STREAM_PART_SIZE,
            source_parts: false,
        }
    }

    fn plan_of(gathered: &Gathered, opts: &CopyOptions, limits: Limits, streamed: bool) -> Plan {
        prepare(&job(), gathered, opts, limits, streamed).unwrap()
    }

    fn verify() -> CopyOptions {
        CopyOptions {
            checksums: ChecksumOptions {
                algorithm: None,
                verify: true,
            },
            ..CopyOptions::default()
        }
    }

    #[test]
    fn a_listed_object_under_the_threshold_is_one_request() {
        let listed = gathered(
            1000,
            "\"abc\"",
            Seen::Listed {
                without_checksum: false,
            },
        );
        let plan = plan_of(&listed, &CopyOptions::default(), server(), false);
        assert_eq!(plan.method, Method::Single);
        assert_eq!(
            plan.requests,
            Requests {
                writes: 1,
                ..Requests::default()
            }
        );
        assert_eq!(plan.requests.total(), 1);
        // CopyObject keeps the MD5 ETag: the ETags prove it.
        assert_eq!(plan.checks.proof, Proof::Etag("\"abc\"".to_owned()));
        // What --dry-run reports: the plan, nothing written.
        let dry = plan.dry_run(&listed.source);
        assert!(dry.dry_run);
        assert_eq!(
            (dry.size, dry.method, dry.requests),
            (1000, Method::Single, 1)
        );
        assert!(!dry.streamed && dry.etag.is_none() && dry.verified.is_none());
    }

    #[test]
    fn a_headed_multipart_copy_reads_the_tags_it_carries() {
        // 6 GiB in parts of 256 MiB: HEAD, GetObjectTagging (COPY),
        // Create, 24 UploadPartCopy, Complete.
        let big = headed(6 * GIB, "\"abc-2\"");
        let plan = plan_of(&big, &CopyOptions::default(), server(), false);
        assert_eq!(
            plan.method,
            Method::Multipart {
                part_size: 256 * MIB,
                parts: 24
            }
        );
        assert_eq!(
            plan.requests,
            Requests {
                head: 1,
                tags: 1,
                writes: 26,
                ..Requests::default()
            }
        );
        assert_eq!(plan.requests.total(), 28);
        // REPLACE: the tags given, none read.
        let mut replace = CopyOptions::default();
        replace.tagging.directive = TaggingDirective::Replace;
        assert_eq!(
            plan_of(&big, &replace, server(), false).requests.total(),
            27
        );
        // HEADed before (for --skip-same) and counted there.
        let before = gathered(6 * GIB, "\"abc-2\"", Seen::HeadedBefore);
        let plan = plan_of(&before, &CopyOptions::default(), server(), false);
        assert_eq!((plan.requests.head, plan.requests.total()), (0, 27));
        // One CopyObject carries the tags itself.
        let small = headed(5 * GIB, "\"abc-2\"");
        let plan = plan_of(&small, &CopyOptions::default(), server(), false);
        assert_eq!((plan.method, plan.requests.total()), (Method::Single, 2));
    }

    #[test]
    fn copy_acl_reads_the_source_acl() {
        let opts = CopyOptions {
            acl: Acl::CopySource,
            ..CopyOptions::default()
        };
        // HEAD, GetObjectAcl, CopyObject.
        let plan = plan_of(&headed(1000, "\"abc\""), &opts, server(), false);
        assert_eq!(
            plan.requests,
            Requests {
                head: 1,
                acl: 1,
                writes: 1,
                ..Requests::default()
            }
        );
        assert_eq!(plan.requests.total(), 3);
    }

    #[test]
    fn a_streamed_single_write_reads_the_object_once() {
        // HEAD, GetObjectTagging, GetObject, PutObject.
        let small = headed(MIB, "\"abc\"");
        let plan = plan_of(&small, &CopyOptions::default(), stream(), true);
        assert_eq!(plan.method, Method::Single);
        assert_eq!(
            plan.requests,
            Requests {
                head: 1,
                tags: 1,
                writes: 1,
                stream_gets: 1,
                ..Requests::default()
            }
        );
        assert_eq!(plan.requests.total(), 4);
        // The source's MD5 ETag, against the MD5 of the bytes as they came.
        assert_eq!(plan.checks.proof, Proof::Md5("\"abc\"".to_owned()));
        assert!(plan.dry_run(&small.source).streamed);
        // An empty object is not read.
        let empty = plan_of(
            &headed(0, "\"d41d\""),
            &CopyOptions::default(),
            stream(),
            true,
        );
        assert_eq!((empty.requests.stream_gets, empty.requests.total()), (0, 3));
        // Up to the threshold, and no further.
        let at = plan_of(
            &headed(16 * MIB, "\"abc\""),
            &CopyOptions::default(),
            stream(),
            true,
        );
        assert_eq!(at.method, Method::Single);
    }

    #[test]
    fn a_streamed_multipart_copy_reads_each_part() {
        // 40 MiB in parts of 16 MiB: HEAD, GetObjectTagging, Create, three
        // GetObject and UploadPart, Complete.
        let plan = plan_of(
            &headed(40 * MIB, "\"abc\""),
            &CopyOptions::default(),
            stream(),
            true,
        );
        assert_eq!(
            plan.method,
            Method::Multipart {
                part_size: 16 * MIB,
                parts: 3
            }
        );
        assert_eq!(
            plan.requests,
            Requests {
                head: 1,
                tags: 1,
                writes: 5,
                stream_gets: 3,
                ..Requests::default()
            }
        );
        assert_eq!(plan.requests.total(), 10);
        // The parts are the stream's, not the source's: nothing repeats them.
        assert_eq!(plan.requests.part_heads, 0);
    }

    #[test]
    fn verify_reads_the_source_by_ranges() {
        // A multipart source without a checksum: only a read proves its
        // copy. 40 MiB in ranges of 16 MiB: three GETs after the CopyObject.
        let source = headed(40 * MIB, "\"e-3\"");
        let plan = plan_of(&source, &verify(), server(), false);
        assert_eq!(plan.checks.proof, Proof::Read(Algorithm::Crc64Nvme));
        assert_eq!(
            plan.requests,
            Requests {
                head: 1,
                writes: 1,
                verify_gets: 3,
                ..Requests::default()
            }
        );
        assert_eq!(plan.requests.total(), 5);
        // One GET per range, the last one short.
        let exact = plan_of(&headed(2 * RANGE, "\"e-3\""), &verify(), server(), false);
        assert_eq!(exact.requests.verify_gets, 2);
        let over = plan_of(
            &headed(2 * RANGE + 1, "\"e-3\""),
            &verify(),
            server(),
            false,
        );
        assert_eq!(over.requests.verify_gets, 3);
        // A stream's read is one of its own, after the stream's GETs.
        let streamed = plan_of(&source, &verify(), stream(), true);
        assert_eq!(streamed.checks.proof, Proof::Read(Algorithm::Crc64Nvme));
        assert_eq!(
            (streamed.requests.stream_gets, streamed.requests.verify_gets),
            (3, 3)
        );
        assert_eq!(streamed.requests.total(), 13);
        // A source whose ETag proves the copy is not read.
        let md5 = plan_of(&headed(40 * MIB, "\"abc\""), &verify(), server(), false);
        assert_eq!(md5.requests.verify_gets, 0);
    }

    /// An interrupted copy to continue, as its journal and upload tell it.
    fn point(entry: journal::Entry) -> ResumePoint {
        ResumePoint {
            entry,
            done: Vec::new(),
            list_pages: 1,
        }
    }

    /// The journal of an interrupted copy of `size` bytes in parts of
    /// `part_size`, created with `opts`'s settings.
    fn journal(size: u64, part_size: u64, opts: &CopyOptions, limits: Limits) -> ResumePoint {
        let settings = journal::Settings::of(opts, Ask::default(), limits, false);
        point(journal::Entry::new(
            &journal::Stores::new(None, None),
            &job(),
            "U1",
            "\"e-5\"",
            None,
            size,
            part_size,
            false,
            settings,
        ))
    }

    #[test]
    fn a_resumed_copy_keeps_its_plan_and_reads_no_tags() {
        let opts = CopyOptions::default();
        let mut resumed = headed(40 * MIB, "\"e-5\"");
        resumed.resumed = Some(journal(40 * MIB, 8 * MIB, &opts, server()));
        // The journal's part size, not this run's.
        let plan = plan_of(&resumed, &opts, server(), false);
        assert_eq!(
            plan.method,
            Method::Multipart {
                part_size: 8 * MIB,
                parts: 5
            }
        );
        // HEAD, then the writes: the upload has its tags.
        assert_eq!(
            plan.requests,
            Requests {
                head: 1,
                writes: 7,
                ..Requests::default()
            }
        );
        assert_eq!(plan.requests.total(), 8);
        // What it sent, once ListParts (one page) found 2 of the 5 parts:
        // HEAD, ListParts, 3 UploadPartCopy, Complete (it reported 8: a
        // CreateMultipartUpload never sent and the 2 parts not copied).
        let found = Resumed {
            parts_done: 2,
            list_pages: 1,
        };
        assert_eq!(plan.requests.sent(Some(found)), 6);
        assert_eq!(plan.requests.sent(None), 8);
        // Streamed, each part found is a GET and an UploadPart not sent.
        let mut streamed = headed(40 * MIB, "\"e-5\"");
        // Its journal as the interrupted stream wrote it: 8 MiB parts, the
        // checksum a stream asks for.
        let ask = plan_of(&streamed, &opts, stream(), true).checks.ask;
        let settings = journal::Settings::of(&opts, ask, stream(), true);
        let entry = journal::Entry::new(
            &journal::Stores::new(None, None),
            &job(),
            "U1",
            "\"e-5\"",
            None,
            40 * MIB,
            8 * MIB,
            true,
            settings,
        );
        streamed.resumed = Some(point(entry));
        let plan = plan_of(&streamed, &opts, stream(), true);
        // HEAD, Create, 5 x (GET, UploadPart), Complete.
        assert_eq!(plan.requests.total(), 13);
        // HEAD, 2 ListParts pages, 3 x (GET, UploadPart), Complete.
        let found = Resumed {
            parts_done: 2,
            list_pages: 2,
        };
        assert_eq!(plan.requests.sent(Some(found)), 10);
    }

    #[test]
    fn a_resume_with_other_flags_is_refused() {
        let mut resumed = headed(40 * MIB, "\"e-5\"");
        resumed.resumed = Some(journal(
            40 * MIB,
            8 * MIB,
            &CopyOptions::default(),
            server(),
        ));
        let other = CopyOptions {
            storage_class: Some(StorageClass::StandardIa),
            ..CopyOptions::default()
        };
        let err = prepare(&job(), &resumed, &other, server(), false).unwrap_err();
        let refused = err.downcast_ref::<ResumeRefused>().expect("refused");
        assert!(
            refused.0.contains("--storage-class") && refused.0.contains("STANDARD_IA"),
            "{refused:?}"
        );
    }

    #[test]
    fn part_size_source_heads_each_part_of_the_source() {
        let limits = Limits {
            source_parts: true,
            ..server()
        };
        // Three parts of 8 MiB, as their HEADs told: HEAD, three part
        // HEADs, GetObjectTagging, Create, three UploadPartCopy, Complete.
        let mut source = headed(24 * MIB, "\"e-3\"");
        let parts = Method::Multipart {
            part_size: 8 * MIB,
            parts: 3,
        };
        source.source_parts = Some(parts);
        let plan = plan_of(&source, &CopyOptions::default(), limits, false);
        assert_eq!(plan.method, parts);
        assert_eq!(
            plan.requests,
            Requests {
                head: 1,
                tags: 1,
                part_heads: 3,
                writes: 5,
                ..Requests::default()
            }
        );
        assert_eq!(plan.requests.total(), 10);
        // The same parts: the multipart ETags compare.
        assert_eq!(plan.checks.proof, Proof::Etag("\"e-3\"".to_owned()));
        // A single-part source is one CopyObject, its parts never HEADed.
        let mut single = headed(24 * MIB, "\"abc\"");
        single.source_parts = Some(Method::Single);
        let plan = plan_of(&single, &CopyOptions::default(), limits, false);
        assert_eq!((plan.method, plan.requests.total()), (Method::Single, 2));
        // Resumed: the journal's plan, no part HEADs.
        let mut resumed = headed(24 * MIB, "\"e-3\"");
        resumed.resumed = Some(journal(24 * MIB, 8 * MIB, &CopyOptions::default(), limits));
        let plan = plan_of(&resumed, &CopyOptions::default(), limits, false);
        assert_eq!(plan.method, parts);
        assert_eq!((plan.requests.part_heads, plan.requests.total()), (0, 6));
        // A stream of a single-part source above the stream's threshold is
        // cut in parts, but no part of the source was HEADed: HEAD, tags,
        // Create, 2 x (GetObject, UploadPart), Complete (it counted 2 part
        // HEADs never sent).
        let mut streamed = headed(24 * MIB, "\"abc\"");
        streamed.source_parts = Some(Method::Single);
        let stream_limits = Limits {
            source_parts: true,
            ..stream()
        };
        let plan = plan_of(&streamed, &CopyOptions::default(), stream_limits, true);
        assert!(
            matches!(plan.method, Method::Multipart { parts: 2, .. }),
            "{:?}",
            plan.method
        );
        assert_eq!((plan.requests.part_heads, plan.requests.total()), (0, 8));
    }

    #[test]
    fn an_object_larger_than_s3_allows_is_refused() {
        let huge = headed(plan::MAX_OBJECT_SIZE + 1, "\"e-2\"");
        let err = prepare(&job(), &huge, &CopyOptions::default(), server(), false).unwrap_err();
        assert!(err.is::<plan::PlanError>(), "{err:#}");
    }

    /// A directory bucket's ETag is no MD5: with one at either end, no
    /// copy is proved by ETags (single or repeating the source's parts),
    /// and a stream out of one does not take the source's ETag for the
    /// MD5 of its bytes; the source's checksum proves it where it has one.
    #[test]
    fn nothing_is_proved_by_an_etag_with_a_directory_bucket_at_either_end() {
        let source = SourceObject {
            size: 10,
            etag: "\"9dd4e461268c8034f5c8564e155c67a6\"".into(),
            ..SourceObject::default()
        };
        let o = CopyOptions::default();
        let express = "d--use1-az4--x-s3";
        let plain = facts(&job(), &source, &o, false, false);
        assert!(plain.etag_is_md5 && plain.source_etag_is_md5);
        assert!(matches!(
            checksum::plan(plain, o.checksums).proof,
            Proof::Etag(_)
        ));
        for (src, dst, source_md5) in [("a", express, true), (express, "b", false)] {
            let job = CopyJob::new(&format!("s3://{src}/k"), &format!("s3://{dst}/k")).unwrap();
            for (multipart, same_parts) in [(false, false), (true, true)] {
                let f = facts(&job, &source, &o, multipart, same_parts);
                assert!(!f.etag_is_md5, "{job:?}");
                assert_eq!(f.source_etag_is_md5, source_md5, "{job:?}");
                let proof = checksum::plan(f, o.checksums).proof;
                assert!(!matches!(proof, Proof::Etag(_)), "{job:?}: {proof:?}");
            }
            let crc = crate::checksum::Checksum::full_object(Algorithm::Crc32, "AAAAAA==".into());
            let with_crc = SourceObject {
                checksum: Some(crc.clone()),
                ..source.clone()
            };
            let f = facts(&job, &with_crc, &o, false, false);
            assert_eq!(checksum::plan(f, o.checksums).proof, Proof::Checksum(crc));
        }
    }
}
