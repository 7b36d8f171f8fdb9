//! Which destination keys a Batch Operations copy job can write.
//!
//! A job writes each object to `TargetKeyPrefix`, a `/`, then the object's
//! **full source key**, or to the source key alone when there is no
//! target prefix (S3 joins them itself: aws/aws-sdk#355). s3cp's `-r`
//! keeps keys relative to SRC, so `s3cp -r s3://a/p/ s3://b/x/` wants
//! `b/x/KEY` where a job would write `b/x/p/KEY`. This module decides,
//! before anything is written, whether the copy asked for is one a job
//! writes exactly, and gives the `TargetKeyPrefix` (without its trailing
//! slash) or refuses with the destinations that would work. Never a key
//! the user did not ask for. Pure.

use crate::job::CopyJob;
use crate::uri::S3Uri;

/// Where a job writes: the destination bucket and its `TargetKeyPrefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub bucket: String,
    /// `None`: each object keeps its source key.
    pub key_prefix: Option<String>,
}

impl Target {
    /// The key a job writes for `source_key`, as S3 joins them.
    pub fn destination_key(&self, source_key: &str) -> String {
        match &self.key_prefix {
            Some(prefix) => format!("{prefix}/{source_key}"),
            None => source_key.to_owned(),
        }
    }
}

/// A copy a job cannot write as asked; each message names what would work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error(
        "--batch cannot copy {src} to {dst}: a job writes each object to its target prefix, \
         a '/', then its full source key, so {src}KEY would land {would}, not at {dst}KEY. \
         {fix}"
    )]
    Prefix {
        src: String,
        dst: String,
        would: String,
        fix: String,
    },
    #[error(
        "--batch cannot {what} {uri}: it is an access point, and S3 Batch Operations names \
         buckets by their own ARN (arn:aws:s3:::BUCKET: the job's target, its manifest's \
         bucket column, its reports); give the bucket behind the access point, or leave \
         --batch out to copy through the access point here"
    )]
    AccessPoint { what: String, uri: String },
    #[error(
        "--batch cannot {what} {uri}: it is a directory bucket (S3 Express One Zone), and a \
         job's copies carry the tags, ACL and storage class of a general purpose bucket, \
         which a directory bucket refuses; copy without --batch"
    )]
    DirectoryBucket { what: String, uri: String },
    #[error(
        "--batch cannot copy line {line} ({src} to {dst}): a job writes each object to its \
         target prefix, a '/', then its full source key, and {dst} is neither {src_key_alone} \
         nor that key under a prefix; copy that line without --batch, or give it such a \
         destination"
    )]
    Line {
        line: usize,
        src: String,
        dst: String,
        src_key_alone: String,
    },
    #[error(
        "--batch cannot copy line {line}: it reads bucket '{bucket}', and line {first} read \
         '{first_bucket}'; one job reads one source bucket: split the manifest by source bucket"
    )]
    SourceBucket {
        line: usize,
        bucket: String,
        first: usize,
        first_bucket: String,
    },
    #[error(
        "--batch cannot copy line {line}: it writes to bucket '{bucket}', and line {first} \
         to '{first_bucket}'; one job writes to one bucket: split the manifest by destination \
         bucket"
    )]
    DestinationBucket {
        line: usize,
        bucket: String,
        first: usize,
        first_bucket: String,
    },
    #[error(
        "--batch-reports {reports} lies inside {inside}: {why}; give a reports prefix outside \
         both the source and the destination"
    )]
    Reports {
        reports: String,
        inside: String,
        why: &'static str,
    },
    #[error(
        "--batch cannot copy line {line}: it needs {this}, and line {first} needed {first_rule}; \
         one job has one target prefix: split the manifest by destination prefix"
    )]
    Rule {
        line: usize,
        this: String,
        first: usize,
        first_rule: String,
    },
}

/// The target prefix that writes `dst_key` for `src_key`, if one does:
/// `Ok(None)` for the source key itself, `Ok(Some(P))` for `P/` + the
/// source key. A `P` that is empty or ends in `/` is refused (`Err(())`):
/// S3 documents neither, and a guess could write a key not asked for.
fn prefix_for(src_key: &str, dst_key: &str) -> Result<Option<String>, ()> {
    if dst_key == src_key {
        return Ok(None);
    }
    let head = dst_key.strip_suffix(src_key).ok_or(())?;
    let prefix = head.strip_suffix('/').ok_or(())?;
    if prefix.is_empty() || prefix.ends_with('/') {
        return Err(());
    }
    Ok(Some(prefix.to_owned()))
}

/// A prefix as `-r` reads one: empty, or ending in `/`.
fn as_prefix(key: &str) -> String {
    match key.is_empty() || key.ends_with('/') {
        true => key.to_owned(),
        false => format!("{key}/"),
    }
}

/// `s3cp -r SRC DST --batch`: the job's target, or why none writes the
/// keys `-r` would (DST + each key relative to SRC).
pub fn for_prefix(src: &S3Uri, dst: &S3Uri) -> Result<Target, MappingError> {
    no_access_point("read", src)?;
    no_access_point("write to", dst)?;
    let (src_key, dst_key) = (as_prefix(&src.key), as_prefix(&dst.key));
    // Every key under SRC is `src_key + rest`: `-r` writes `dst_key + rest`,
    // a job `P/ + src_key + rest`, so they agree for every rest exactly when
    // they agree on the prefixes themselves.
    if let Ok(key_prefix) = prefix_for(&src_key, &dst_key) {
        return Ok(Target {
            bucket: dst.bucket.clone(),
            key_prefix,
        });
    }
    let shown_src = format!("s3://{}/{src_key}", src.bucket);
    let shown_dst = format!("s3://{}/{dst_key}", dst.bucket);
    // What a job would do with the destination's own prefix as target.
    let trimmed = dst_key.trim_end_matches('/');
    let would = match trimmed.is_empty() {
        true => format!("at s3://{}/{src_key}KEY", dst.bucket),
        false => format!("at s3://{}/{trimmed}/{src_key}KEY", dst.bucket),
    };
    let mut works = Vec::new();
    if !trimmed.is_empty() {
        let under = format!("{trimmed}/{src_key}");
        if prefix_for(&src_key, &under).is_ok() {
            works.push(format!("s3://{}/{under}", dst.bucket));
        }
    }
    // The source's own keys in another bucket (in its own bucket that is
    // a copy onto itself, not what was asked).
    if dst.bucket != src.bucket {
        works.push(format!("s3://{}/{src_key}", dst.bucket));
    }
    let fix = match works.as_slice() {
        [] => "Copy without --batch.".to_owned(),
        [one] => format!("Give {one} as the destination, or copy without --batch."),
        [one, two] => {
            format!("Give {one} or {two} as the destination, or copy without --batch.")
        }
        _ => unreachable!("at most two suggestions"),
    };
    Err(MappingError::Prefix {
        src: shown_src,
        dst: shown_dst,
        would,
        fix,
    })
}

/// An access point (ARN), or a directory bucket, where a job needs a
/// general purpose bucket: refused, `what` saying which end it is.
pub fn no_access_point(what: &str, uri: &S3Uri) -> Result<(), MappingError> {
    if crate::uri::is_directory_bucket(&uri.bucket) {
        return Err(MappingError::DirectoryBucket {
            what: what.to_owned(),
            uri: uri.to_string(),
        });
    }
    match crate::uri::arn::is_arn(&uri.bucket) {
        true => Err(MappingError::AccessPoint {
            what: what.to_owned(),
            uri: uri.to_string(),
        }),
        false => Ok(()),
    }
}

/// Whether the reports prefix (where the manifest and the completion
/// report are written) keeps out of `-r SRC DST`: under SRC, the manifest
/// s3cp writes while it lists would be listed (and copied) itself; under
/// DST, the job's files would sit among the copies, and a rerun's
/// `--skip-*` walk would see them as destinations.
pub fn check_reports(src: &S3Uri, dst: &S3Uri, reports: &S3Uri) -> Result<(), MappingError> {
    let reports_key = as_prefix(&reports.key);
    for (end, why) in [
        (
            src,
            "the manifest s3cp writes while it lists would be listed as a source",
        ),
        (
            dst,
            "the job's manifest and report would sit among the copies",
        ),
    ] {
        let end_key = as_prefix(&end.key);
        if reports.bucket == end.bucket && reports_key.starts_with(&end_key) {
            return Err(MappingError::Reports {
                reports: format!("s3://{}/{reports_key}", reports.bucket),
                inside: format!("s3://{}/{end_key}", end.bucket),
                why,
            });
        }
    }
    Ok(())
}

/// The one rule of a `--from-file` manifest's lines: one source bucket,
/// one destination bucket, one target prefix (or none), set by the first
/// line and held by every other. Fed line by line as the manifest streams.
#[derive(Debug, Default)]
pub struct ManifestRule {
    first: Option<(usize, String, Target)>,
}

impl ManifestRule {
    /// Checks line `line` (1-based, as the user counts them) against the
    /// rule, or sets the rule with the first line.
    pub fn check(&mut self, line: usize, job: &CopyJob) -> Result<(), MappingError> {
        no_access_point(&format!("copy line {line}: it reads"), &job.src)?;
        no_access_point(&format!("copy line {line}: it writes to"), &job.dst)?;
        let key_prefix =
            prefix_for(&job.src.key, &job.dst.key).map_err(|()| MappingError::Line {
                line,
                src: job.src.to_string(),
                dst: job.dst.to_string(),
                src_key_alone: format!("s3://{}/{}", job.dst.bucket, job.src.key),
            })?;
        let target = Target {
            bucket: job.dst.bucket.clone(),
            key_prefix,
        };
        let Some((first, src_bucket, rule)) = &self.first else {
            self.first = Some((line, job.src.bucket.clone(), target));
            return Ok(());
        };
        if job.src.bucket != *src_bucket {
            return Err(MappingError::SourceBucket {
                line,
                bucket: job.src.bucket.clone(),
                first: *first,
                first_bucket: src_bucket.clone(),
            });
        }
        if target.bucket != rule.bucket {
            return Err(MappingError::DestinationBucket {
                line,
                bucket: target.bucket,
                first: *first,
                first_bucket: rule.bucket.clone(),
            });
        }
        if target.key_prefix != rule.key_prefix {
            let said = |p: &Option<String>| match p {
                Some(p) => format!("the target prefix '{p}'"),
                None => "the source's own keys".to_owned(),
            };
            return Err(MappingError::Rule {
                line,
                this: said(&target.key_prefix),
                first: *first,
                first_rule: said(&rule.key_prefix),
            });
        }
        Ok(())
    }

    /// The job's target, once a line has set it.
    pub fn target(&self) -> Option<&Target> {
        self.first.as_ref().map(|(_, _, t)| t)
    }

    /// The source bucket every line reads, once a line has set it.
    pub fn source_bucket(&self) -> Option<&str> {
        self.first.as_ref().map(|(_, b, _)| b.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(bucket: &str, key: &str) -> S3Uri {
        S3Uri {
            bucket: bucket.into(),
            key: key.into(),
            version_id: None,
        }
    }

    fn target(bucket: &str, prefix: Option<&str>) -> Target {
        Target {
            bucket: bucket.into(),
            key_prefix: prefix.map(str::to_owned),
        }
    }

    fn prefix(src: (&str, &str), dst: (&str, &str)) -> Result<Target, MappingError> {
        for_prefix(&uri(src.0, src.1), &uri(dst.0, dst.1))
    }

    /// The property the module guards: for a target it gives, the key a
    /// job writes is the key `-r` writes, for every key under SRC.
    fn agrees(src: (&str, &str), dst: (&str, &str), keys: &[&str]) {
        let t = prefix(src, dst).unwrap();
        let (s, d) = (as_prefix(src.1), as_prefix(dst.1));
        for rest in keys {
            let source_key = format!("{s}{rest}");
            assert_eq!(
                t.destination_key(&source_key),
                format!("{d}{rest}"),
                "{src:?} -> {dst:?}, key {source_key}"
            );
        }
    }

    const KEYS: &[&str] = &[
        "a.txt",
        "dir/b c+d.txt",
        "ü/日本/%41%2F.bin",
        "trailing/",
        "x,y\"z'\n",
        "//double",
    ];

    #[test]
    fn the_same_keys_in_another_bucket_need_no_prefix() {
        assert_eq!(prefix(("a", "p/"), ("b", "p/")), Ok(target("b", None)));
        assert_eq!(prefix(("a", ""), ("b", "")), Ok(target("b", None)));
        agrees(("a", "p/"), ("b", "p/"), KEYS);
        agrees(("a", ""), ("b", ""), KEYS);
    }

    #[test]
    fn the_source_key_under_a_prefix_is_that_prefix() {
        assert_eq!(
            prefix(("a", "p/"), ("b", "x/p/")),
            Ok(target("b", Some("x")))
        );
        assert_eq!(
            prefix(("a", "p/q/"), ("b", "x/y/p/q/")),
            Ok(target("b", Some("x/y")))
        );
        // A whole bucket under a prefix.
        assert_eq!(prefix(("a", ""), ("b", "x/")), Ok(target("b", Some("x"))));
        // One bucket: a copy of p/ to x/p/ beside it.
        assert_eq!(
            prefix(("a", "p/"), ("a", "x/p/")),
            Ok(target("a", Some("x")))
        );
        agrees(("a", "p/"), ("b", "x/p/"), KEYS);
        agrees(("a", ""), ("b", "x/"), KEYS);
        agrees(("a", "p/q/"), ("b", "x/y/p/q/"), KEYS);
    }

    #[test]
    fn prefixes_are_read_as_directories() {
        // `s3://a/p` means `p/` (as aws-cli and s3cp -r read it).
        assert_eq!(prefix(("a", "p"), ("b", "x/p")), Ok(target("b", Some("x"))));
        assert_eq!(prefix(("a", "p"), ("b", "p/")), Ok(target("b", None)));
    }

    #[test]
    fn special_characters_are_compared_as_they_are() {
        assert_eq!(
            prefix(("a", "dé jà+%20/"), ("b", "x y/dé jà+%20/")),
            Ok(target("b", Some("x y")))
        );
        // %20 is not a space: no decoding anywhere.
        assert!(prefix(("a", "a b/"), ("b", "x/a%20b/")).is_err());
        agrees(("a", "dé jà+%20/"), ("b", "x y/dé jà+%20/"), KEYS);
    }

    #[test]
    fn a_relative_copy_is_refused_with_what_would_work() {
        let e = prefix(("a", "p/"), ("b", "x/")).unwrap_err().to_string();
        assert!(e.contains("s3://b/x/p/KEY"), "{e}");
        assert!(e.contains("not at s3://b/x/KEY"), "{e}");
        assert!(
            e.contains("Give s3://b/x/p/ or s3://b/p/ as the destination"),
            "{e}"
        );
        // Each suggestion is itself accepted.
        assert!(prefix(("a", "p/"), ("b", "x/p/")).is_ok());
        assert!(prefix(("a", "p/"), ("b", "p/")).is_ok());
    }

    #[test]
    fn a_prefix_to_the_bucket_root_is_refused() {
        let e = prefix(("a", "p/"), ("b", "")).unwrap_err().to_string();
        assert!(e.contains("at s3://b/p/KEY"), "{e}");
        assert!(e.contains("Give s3://b/p/ as the destination"), "{e}");
    }

    #[test]
    fn in_one_bucket_the_source_itself_is_not_suggested() {
        let e = prefix(("a", "p/"), ("a", "x/")).unwrap_err().to_string();
        assert!(e.contains("Give s3://a/x/p/ as the destination"), "{e}");
        assert!(!e.contains("s3://a/p/ as"), "{e}");
        let e = prefix(("a", "p/"), ("a", "")).unwrap_err().to_string();
        assert!(e.contains("Copy without --batch."), "{e}");
    }

    #[test]
    fn undocumented_joins_are_refused() {
        // An empty target prefix would be a key starting with '/'.
        assert!(prefix(("a", "p/"), ("b", "/p/")).is_err());
        // A target prefix ending in '/': S3 may or may not add another.
        assert!(prefix(("a", "p/"), ("b", "x//p/")).is_err());
        // A suffix that is not a whole segment: x/p/ is not xp/ or x-p/.
        assert!(prefix(("a", "p/"), ("b", "xp/")).is_err());
        assert!(prefix(("a", "p/"), ("b", "x-p/")).is_err());
    }

    #[test]
    fn reports_keep_out_of_both_ends() {
        let (src, dst) = (uri("a", "p/"), uri("b", "x/p/"));
        assert_eq!(check_reports(&src, &dst, &uri("r", "")), Ok(()));
        assert_eq!(check_reports(&src, &dst, &uri("a", "q/")), Ok(()));
        assert_eq!(check_reports(&src, &dst, &uri("b", "x/pp/")), Ok(()));
        assert_eq!(check_reports(&src, &dst, &uri("a", "pp")), Ok(()));
        let e = check_reports(&src, &dst, &uri("a", "p/reports/"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("inside s3://a/p/") && e.contains("listed"),
            "{e}"
        );
        let e = check_reports(&src, &dst, &uri("b", "x/p"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("inside s3://b/x/p/") && e.contains("among"),
            "{e}"
        );
        // A whole bucket as source: any prefix in it is inside.
        assert!(check_reports(&uri("a", ""), &dst, &uri("a", "r/")).is_err());
    }

    #[test]
    fn an_access_point_at_either_end_is_refused_naming_the_bucket_arn() {
        let ap = "s3://arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
        let p = |s: &str| S3Uri::parse_destination(s).unwrap();
        let (bucket, at) = (p("s3://b/p/"), p(&format!("{ap}/p/")));
        for (src, dst, what) in [(&at, &bucket, "read"), (&bucket, &at, "write to")] {
            let e = for_prefix(src, dst).unwrap_err().to_string();
            assert!(
                e.contains(&format!("--batch cannot {what} {ap}/p/"))
                    && e.contains("arn:aws:s3:::BUCKET")
                    && e.contains("leave --batch out"),
                "{e}"
            );
        }
        let mut rule = ManifestRule::default();
        let e = rule
            .check(3, &line(&format!("{ap}/k"), "s3://b/k"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("copy line 3: it reads"), "{e}");
        assert_eq!(rule.target(), None, "a refused line sets no rule");
    }

    #[test]
    fn a_directory_bucket_at_either_end_is_refused() {
        let p = |s: &str| S3Uri::parse_destination(s).unwrap();
        let (bucket, dir) = (p("s3://b/p/"), p("s3://d--use1-az4--x-s3/p/"));
        for (src, dst, what) in [(&dir, &bucket, "read"), (&bucket, &dir, "write to")] {
            let e = for_prefix(src, dst).unwrap_err().to_string();
            assert!(
                e.contains(&format!("--batch cannot {what} s3://d--use1-az4--x-s3/p/"))
                    && e.contains("directory bucket")
                    && e.contains("copy without --batch"),
                "{e}"
            );
        }
        let mut rule = ManifestRule::default();
        let e = rule
            .check(2, &line("s3://b/k", "s3://d--use1-az4--x-s3/k"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("copy line 2: it writes to"), "{e}");
    }

    fn line(src: &str, dst: &str) -> CopyJob {
        CopyJob {
            src: S3Uri::parse_source(src).unwrap(),
            dst: S3Uri::parse_destination(dst).unwrap(),
        }
    }

    #[test]
    fn manifest_lines_under_one_rule_are_accepted() {
        let mut rule = ManifestRule::default();
        assert_eq!(rule.target(), None);
        rule.check(1, &line("s3://a/d/x.txt", "s3://b/new/d/x.txt"))
            .unwrap();
        rule.check(
            2,
            &line("s3://a/e f+g.txt?versionId=v1", "s3://b/new/e f+g.txt"),
        )
        .unwrap();
        rule.check(3, &line("s3://a/ü", "s3://b/new/ü")).unwrap();
        assert_eq!(rule.target(), Some(&target("b", Some("new"))));
        assert_eq!(rule.source_bucket(), Some("a"));

        let mut own = ManifestRule::default();
        own.check(1, &line("s3://a/k1", "s3://b/k1")).unwrap();
        own.check(2, &line("s3://a/d/k2", "s3://b/d/k2")).unwrap();
        assert_eq!(own.target(), Some(&target("b", None)));
    }

    #[test]
    fn a_line_no_job_writes_is_refused_by_number() {
        let mut rule = ManifestRule::default();
        let e = rule
            .check(7, &line("s3://a/dir/x.txt", "s3://b/out/x.txt"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("--batch cannot copy line 7"), "{e}");
        assert!(e.contains("s3://b/dir/x.txt"), "{e}");
        assert_eq!(rule.target(), None, "a refused line sets no rule");
    }

    #[test]
    fn the_first_line_that_breaks_the_rule_is_named() {
        let mut rule = ManifestRule::default();
        rule.check(1, &line("s3://a/k", "s3://b/x/k")).unwrap();
        let e = rule.check(2, &line("s3://c/k", "s3://b/x/k")).unwrap_err();
        assert!(matches!(
            e,
            MappingError::SourceBucket {
                line: 2,
                first: 1,
                ..
            }
        ));
        assert!(e.to_string().contains("'c'") && e.to_string().contains("'a'"));
        let e = rule.check(3, &line("s3://a/k", "s3://d/x/k")).unwrap_err();
        assert!(matches!(e, MappingError::DestinationBucket { line: 3, .. }));
        let e = rule.check(4, &line("s3://a/k", "s3://b/y/k")).unwrap_err();
        assert!(
            e.to_string().contains("'y'") && e.to_string().contains("'x'"),
            "{e}"
        );
        let e = rule.check(5, &line("s3://a/k", "s3://b/k")).unwrap_err();
        assert!(e.to_string().contains("the source's own keys"), "{e}");
        // The rule stays the first line's.
        assert_eq!(rule.target(), Some(&target("b", Some("x"))));
        rule.check(6, &line("s3://a/z", "s3://b/x/z")).unwrap();
    }
}
