//! What S3 Batch Operations cannot do, said before anything is written.
//!
//! A job's `S3PutObjectCopy` operation carries one set of fields for every
//! object, runs inside one S3, never deletes, and has no field for some of
//! CopyObject's headers. A run that asks for any of those is refused whole
//! (exit 2): a job that silently dropped a condition, a key or a check
//! would copy something the user did not ask for. Pure: the resolved
//! [`CopyOptions`] and the run's facts in, the list of refusals out.

use std::fmt;

use aws_sdk_s3::types::ServerSideEncryption;
use aws_sdk_s3control::types::S3StorageClass;

use crate::options::{Acl, CopyOptions, MetadataDirective};

/// What the run is, beside its copy options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunFacts {
    /// A bulk run (`-r` or `--from-file`): a job copies a list of objects.
    pub bulk: bool,
    /// The source is reached through another store
    /// (`--source-endpoint-url`, or a `--source-profile` naming one).
    pub two_stores: bool,
}

/// One thing Batch Operations cannot do: the flag that asks for it and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub flag: &'static str,
    pub reason: &'static str,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.flag, self.reason)
    }
}

/// Everything in `opts` and `facts` that a Batch Operations copy job
/// cannot do, in the order of the list (empty: the job can).
pub fn refusals(opts: &CopyOptions, facts: RunFacts) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut refuse = |flag, reason| out.push(Refusal { flag, reason });
    if !facts.bulk {
        refuse(
            "--batch",
            "a job copies a list of objects: give --recursive or --from-file (one object is \
             copied faster without a job)",
        );
    }
    if opts.sse_c.is_some() {
        refuse(
            "--sse-c",
            "a job's copy (S3PutObjectCopy) takes no customer-provided key, and S3 never \
             holds one for the length of a job",
        );
    }
    if opts.sse_c_source.is_some() {
        refuse(
            "--sse-c-copy-source",
            "a job's copy (S3PutObjectCopy) cannot read a source encrypted with a \
             customer-provided key",
        );
    }
    if opts.conditions.if_match.is_some() {
        refuse(
            "--copy-source-if-match",
            "a job's copy has no ETag condition on the source (only the dates: \
             --copy-source-if-modified-since, --copy-source-if-unmodified-since)",
        );
    }
    if opts.conditions.if_none_match.is_some() {
        refuse(
            "--copy-source-if-none-match",
            "a job's copy has no ETag condition on the source (only the dates: \
             --copy-source-if-modified-since, --copy-source-if-unmodified-since)",
        );
    }
    if opts.destination_if_match.is_some() {
        refuse(
            "--if-match",
            "a job's copy sends no condition on the destination: it would overwrite \
             whatever is there",
        );
    }
    if opts.no_overwrite {
        // One option for both flags (`--if-none-match '*'` is
        // `--no-overwrite`): name both.
        refuse(
            "--no-overwrite/--if-none-match",
            "a job's copy sends no condition on the destination: it would overwrite \
             whatever is there (--skip-existing leaves existing destinations out of the \
             job's manifest instead)",
        );
    }
    if opts.expected_bucket_owner.is_some() {
        refuse(
            "--expected-bucket-owner",
            "a job's copy has no field for the destination's expected owner: the job would \
             copy without the check",
        );
    }
    if opts.expected_source_bucket_owner.is_some() {
        refuse(
            "--expected-source-bucket-owner",
            "a job's copy has no field for the source's expected owner: the job would copy \
             without the check",
        );
    }
    if opts.encryption.kms_context.is_some() {
        refuse(
            "--sse-kms-encryption-context",
            "a job's copy has no field for a KMS encryption context",
        );
    }
    match &opts.encryption.sse {
        Some(ServerSideEncryption::AwsKmsDsse) => refuse(
            "--sse aws:kms:dsse",
            "a job's copy encrypts with AES256 or aws:kms only (no DSSE)",
        ),
        Some(ServerSideEncryption::Aes256 | ServerSideEncryption::AwsKms) | None => {}
        Some(_) => refuse("--sse", "a job's copy encrypts with AES256 or aws:kms only"),
    }
    if opts.acl == Acl::CopySource {
        refuse(
            "--copy-acl",
            "each source's ACL would have to be read, and a job gives every object the same \
             grants: give --acl or --grant-* instead",
        );
    }
    if opts.metadata.directive == MetadataDirective::Merge {
        refuse(
            "--metadata-directive MERGE",
            "one job carries one set of metadata for every object, and MERGE needs each \
             source's own: give COPY or REPLACE",
        );
    }
    if opts.moving.is_some() {
        refuse(
            "mv",
            "a job copies and never deletes: copy with --batch, then delete the sources once \
             the job's report shows every copy done",
        );
    }
    if facts.two_stores {
        refuse(
            "--source-endpoint-url/--source-profile",
            "a job runs inside one S3 and cannot read another store",
        );
    }
    // Beyond the list, for the same reason: a field the job cannot
    // carry must not be dropped silently.
    if let Some(class) = &opts.storage_class
        && !S3StorageClass::values().contains(&class.as_str())
    {
        refuse(
            "--storage-class",
            "a job's copy sets only STANDARD, STANDARD_IA, ONEZONE_IA, GLACIER, GLACIER_IR, \
             INTELLIGENT_TIERING or DEEP_ARCHIVE",
        );
    }
    if opts.checksums.verify {
        refuse(
            "--verify",
            "s3cp cannot prove the copies a job makes (it reads none of them): leave --verify \
             out, or copy without --batch",
        );
    }
    out
}

/// The usage error of a refused run: every refusal, one a line.
pub fn message(refusals: &[Refusal]) -> Option<String> {
    if refusals.is_empty() {
        return None;
    }
    let lines: Vec<String> = refusals.iter().map(|r| format!("  {r}")).collect();
    Some(format!(
        "--batch cannot do what this run asks; nothing was written:\n{}",
        lines.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{Moving, SseCKey};
    use aws_sdk_s3::types::StorageClass;
    use aws_smithy_types::DateTime;

    const BULK: RunFacts = RunFacts {
        bulk: true,
        two_stores: false,
    };

    fn flags(opts: &CopyOptions, facts: RunFacts) -> Vec<&'static str> {
        refusals(opts, facts).iter().map(|r| r.flag).collect()
    }

    fn key() -> SseCKey {
        SseCKey {
            algorithm: "AES256".into(),
            key_base64: "k".into(),
            key_md5_base64: "m".into(),
        }
    }

    #[test]
    fn a_plain_bulk_copy_is_refused_nothing() {
        assert!(refusals(&CopyOptions::default(), BULK).is_empty());
        assert_eq!(message(&[]), None);
    }

    #[test]
    fn what_batch_can_do_is_refused_nothing() {
        let mut o = CopyOptions::default();
        o.metadata.directive = MetadataDirective::Replace;
        o.encryption.sse = Some(ServerSideEncryption::AwsKms);
        o.encryption.kms_key_id = Some("alias/k".into());
        o.encryption.bucket_key = Some(true);
        o.storage_class = Some(StorageClass::GlacierIr);
        o.conditions.if_modified_since = Some(DateTime::from_secs(1));
        o.conditions.if_unmodified_since = Some(DateTime::from_secs(2));
        o.request_payer = Some(aws_sdk_s3::types::RequestPayer::Requester);
        assert_eq!(flags(&o, BULK), Vec::<&str>::new());
        o.encryption.sse = Some(ServerSideEncryption::Aes256);
        assert_eq!(flags(&o, BULK), Vec::<&str>::new());
    }

    #[test]
    fn each_option_batch_cannot_carry_is_named() {
        type Set = Box<dyn Fn(&mut CopyOptions)>;
        let cases: Vec<(&str, Set)> = vec![
            ("--sse-c", Box::new(|o| o.sse_c = Some(key()))),
            (
                "--sse-c-copy-source",
                Box::new(|o| o.sse_c_source = Some(key())),
            ),
            (
                "--copy-source-if-match",
                Box::new(|o| o.conditions.if_match = Some("e".into())),
            ),
            (
                "--copy-source-if-none-match",
                Box::new(|o| o.conditions.if_none_match = Some("e".into())),
            ),
            (
                "--if-match",
                Box::new(|o| o.destination_if_match = Some("e".into())),
            ),
            (
                "--no-overwrite/--if-none-match",
                Box::new(|o| o.no_overwrite = true),
            ),
            (
                "--expected-bucket-owner",
                Box::new(|o| o.expected_bucket_owner = Some("1".into())),
            ),
            (
                "--expected-source-bucket-owner",
                Box::new(|o| o.expected_source_bucket_owner = Some("1".into())),
            ),
            (
                "--sse-kms-encryption-context",
                Box::new(|o| o.encryption.kms_context = Some("e30=".into())),
            ),
            (
                "--sse aws:kms:dsse",
                Box::new(|o| o.encryption.sse = Some(ServerSideEncryption::AwsKmsDsse)),
            ),
            (
                "--sse",
                Box::new(|o| o.encryption.sse = Some(ServerSideEncryption::AwsFsx)),
            ),
            ("--copy-acl", Box::new(|o| o.acl = Acl::CopySource)),
            (
                "--metadata-directive MERGE",
                Box::new(|o| o.metadata.directive = MetadataDirective::Merge),
            ),
            ("mv", Box::new(|o| o.moving = Some(Moving::default()))),
            (
                "--storage-class",
                Box::new(|o| o.storage_class = Some(StorageClass::ReducedRedundancy)),
            ),
            ("--verify", Box::new(|o| o.checksums.verify = true)),
        ];
        for (flag, set) in cases {
            let mut o = CopyOptions::default();
            set(&mut o);
            let found = refusals(&o, BULK);
            assert_eq!(found.len(), 1, "{flag}: {found:?}");
            assert_eq!(found[0].flag, flag);
            assert!(!found[0].reason.is_empty());
            let said = message(&found).unwrap();
            assert!(
                said.contains(flag) && said.contains("nothing was written"),
                "{said}"
            );
        }
    }

    #[test]
    fn the_runs_facts_are_named() {
        let o = CopyOptions::default();
        let one = RunFacts {
            bulk: false,
            two_stores: false,
        };
        assert_eq!(flags(&o, one), ["--batch"]);
        let two = RunFacts {
            bulk: true,
            two_stores: true,
        };
        assert_eq!(flags(&o, two), ["--source-endpoint-url/--source-profile"]);
    }

    #[test]
    fn every_refusal_is_listed_not_only_the_first() {
        let mut o = CopyOptions {
            sse_c: Some(key()),
            moving: Some(Moving::default()),
            ..Default::default()
        };
        o.metadata.directive = MetadataDirective::Merge;
        let facts = RunFacts {
            bulk: true,
            two_stores: true,
        };
        assert_eq!(
            flags(&o, facts),
            [
                "--sse-c",
                "--metadata-directive MERGE",
                "mv",
                "--source-endpoint-url/--source-profile"
            ]
        );
        let said = message(&refusals(&o, facts)).unwrap();
        assert_eq!(said.lines().count(), 5, "{said}");
    }
}
