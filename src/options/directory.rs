//! What a copy into or out of a directory bucket (S3 Express One Zone,
//! `NAME--ZONE--x-s3`) cannot carry, decided from the options alone: the
//! flags refused before any request (exit 2, each named with why), and
//! what the destination gets in place of S3's defaults for a general
//! purpose bucket.
//!
//! From AWS's CopyObject API reference
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html>,
//! the same text as the SDK's `CopyObjectInput` docs) and "Copying objects
//! from or to a directory bucket"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/directory-buckets-objects-copy.html>):
//!
//! - ACLs and grants: "not supported for directory buckets" (the bucket
//!   owner owns every object; access is by policy);
//! - tags: only the empty tag set can be written; a COPY of a tagged
//!   source, or REPLACE with tags, answers 501 Not Implemented. REPLACE
//!   with no `x-amz-tagging` is allowed whatever the source has, so every
//!   write into a directory bucket is sent that way
//!   ([`crate::request::copy_object`]), and the source's tags are dropped
//!   (said, named where they were read);
//! - storage class: `EXPRESS_ONEZONE` in an Availability Zone and
//!   `ONEZONE_IA` in a Dedicated Local Zone; any other answers 400, so it
//!   is refused here, and none given means `EXPRESS_ONEZONE`;
//! - encryption: SSE-S3 (`AES256`) and SSE-KMS (`aws:kms`) only: SSE-C
//!   and DSSE-KMS are refused, and an SSE-C key for a source in a
//!   directory bucket too ("not supported when the source object is in a
//!   directory bucket");
//! - Object Lock, website redirects and Requester Pays (either end): "not
//!   supported for directory buckets";
//! - annotations: none (refused in `config::check_annotations`, and never
//!   copied by s3cp there: `copy/annotations.rs`).
//!
//! Out of a directory bucket into a general purpose bucket nothing changes:
//! S3's defaults (STANDARD, the bucket's encryption) apply.

use aws_sdk_s3::types::{ServerSideEncryption, StorageClass};

use super::{Acl, CopyOptions, TaggingDirective};
use crate::uri::is_directory_bucket;

/// The storage classes a directory bucket takes.
const CLASSES: [&str; 2] = ["EXPRESS_ONEZONE", "ONEZONE_IA"];

/// Why the copy of `src_bucket` into `dst_bucket` cannot be made with
/// `opts` (the flag named first, then why and the fix); `None` when it
/// can, or when neither end is a directory bucket.
pub fn refusal(src_bucket: &str, dst_bucket: &str, opts: &CopyOptions) -> Option<String> {
    let into = is_directory_bucket(dst_bucket);
    let from = is_directory_bucket(src_bucket);
    let dst = |what: &str, flag: &str| {
        format!(
            "{flag}: {dst_bucket} is a directory bucket (S3 Express One Zone), which {what}; \
             leave {flag} out"
        )
    };
    if into {
        let acl_flag = match &opts.acl {
            Acl::Default => None,
            Acl::Canned(_) => Some("--acl"),
            Acl::CopySource => Some("--copy-acl"),
            Acl::Grants(g) => Some(
                [
                    ("--grant-read", &g.read),
                    ("--grant-read-acp", &g.read_acp),
                    ("--grant-write-acp", &g.write_acp),
                    ("--grant-full-control", &g.full_control),
                ]
                .into_iter()
                .find(|(_, v)| v.is_some())
                .map_or("--grant-read", |(f, _)| f),
            ),
        };
        if let Some(flag) = acl_flag {
            return Some(dst(
                "has no object ACLs (its owner owns every object; access is by bucket policy)",
                flag,
            ));
        }
        if opts.tagging.directive == TaggingDirective::Replace && !opts.tagging.tags.is_empty() {
            return Some(dst(
                "keeps no tags (S3 answers 501 to a copy that writes any)",
                "--tagging",
            ));
        }
        if opts.tagging.directive == TaggingDirective::Copy && opts.tagging.explicit {
            return Some(dst(
                "keeps no tags, so the source's cannot be copied (s3cp copies without them)",
                "--tagging-directive COPY",
            ));
        }
        if let Some(class) = &opts.storage_class
            && !CLASSES.contains(&class.as_str())
        {
            return Some(format!(
                "--storage-class {}: {dst_bucket} is a directory bucket (S3 Express One Zone), \
                 which stores only EXPRESS_ONEZONE (ONEZONE_IA in a Dedicated Local Zone); \
                 leave --storage-class out to write EXPRESS_ONEZONE",
                class.as_str()
            ));
        }
        if opts.sse_c.is_some() {
            return Some(dst(
                "takes only SSE-S3 (AES256) and SSE-KMS (aws:kms) encryption, not SSE-C",
                "--sse-c",
            ));
        }
        if opts.encryption.sse == Some(ServerSideEncryption::AwsKmsDsse) {
            return Some(dst(
                "takes only SSE-S3 (AES256) and SSE-KMS (aws:kms) encryption, not DSSE-KMS \
                 (give --sse aws:kms, or AES256)",
                "--sse aws:kms:dsse",
            ));
        }
        let lock = &opts.object_lock;
        let lock_flag = if lock.mode.is_some() {
            Some("--object-lock-mode")
        } else if lock.legal_hold.is_some() {
            Some("--object-lock-legal-hold")
        } else {
            None
        };
        if let Some(flag) = lock_flag {
            return Some(dst("has no Object Lock", flag));
        }
        if opts.website_redirect.is_some() {
            return Some(dst("serves no website redirects", "--website-redirect"));
        }
        // Said for a manifest's lines too (a single copy and -r are
        // refused in config before this).
        if opts.annotations.explicit
            && opts.annotations.directive == crate::options::AnnotationDirective::Copy
        {
            return Some(dst(
                "keeps no annotations (S3 answers 501 to a copy that asks for them)",
                "--annotation-directive COPY",
            ));
        }
    }
    if from && opts.acl == Acl::CopySource {
        return Some(format!(
            "--copy-acl: {src_bucket} is a directory bucket (S3 Express One Zone), which has \
             no object ACLs to copy; leave --copy-acl out (or give --acl)"
        ));
    }
    if from && opts.sse_c_source.is_some() {
        return Some(format!(
            "--sse-c-copy-source: {src_bucket} is a directory bucket (S3 Express One Zone), \
             whose objects are never encrypted with SSE-C; leave --sse-c-copy-source out"
        ));
    }
    if (into || from) && opts.request_payer.is_some() {
        let bucket = if into { dst_bucket } else { src_bucket };
        return Some(format!(
            "--request-payer: {bucket} is a directory bucket (S3 Express One Zone), which has \
             no Requester Pays; leave --request-payer out"
        ));
    }
    None
}

/// The storage class a write into `dst_bucket` names: the one given, or
/// `EXPRESS_ONEZONE` for a directory bucket (S3's STANDARD is not one it
/// takes); `None` leaves S3's default.
pub fn storage_class(dst_bucket: &str, opts: &CopyOptions) -> Option<StorageClass> {
    match &opts.storage_class {
        Some(class) => Some(class.clone()),
        None if is_directory_bucket(dst_bucket) => Some(StorageClass::ExpressOnezone),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{Grants, SseCKey};
    use aws_sdk_s3::types::{ObjectCannedAcl, ObjectLockLegalHoldStatus, RequestPayer};

    const DIR: &str = "data--use1-az4--x-s3";
    const GP: &str = "general";

    fn refused(src: &str, dst: &str, edit: impl Fn(&mut CopyOptions)) -> String {
        let mut o = CopyOptions::default();
        edit(&mut o);
        refusal(src, dst, &o).unwrap_or_else(|| panic!("not refused: {o:?}"))
    }

    #[test]
    fn defaults_go_anywhere() {
        let o = CopyOptions::default();
        for (s, d) in [(GP, DIR), (DIR, GP), (DIR, DIR), (GP, GP)] {
            assert_eq!(refusal(s, d, &o), None, "{s} -> {d}");
        }
    }

    #[test]
    fn what_a_directory_bucket_cannot_keep_is_refused_by_its_flag() {
        let key = SseCKey {
            algorithm: "AES256".into(),
            key_base64: "k".into(),
            key_md5_base64: "m".into(),
        };
        type Edit = Box<dyn Fn(&mut CopyOptions)>;
        let cases: Vec<(&str, Edit)> = vec![
            (
                "--acl",
                Box::new(|o| o.acl = Acl::Canned(ObjectCannedAcl::PublicRead)),
            ),
            ("--copy-acl", Box::new(|o| o.acl = Acl::CopySource)),
            (
                "--grant-write-acp",
                Box::new(|o| {
                    o.acl = Acl::Grants(Grants {
                        write_acp: Some("id=\"x\"".into()),
                        ..Default::default()
                    })
                }),
            ),
            (
                "--tagging",
                Box::new(|o| {
                    o.tagging.directive = TaggingDirective::Replace;
                    o.tagging.tags = vec![("a".into(), "1".into())];
                }),
            ),
            (
                "--tagging-directive COPY",
                Box::new(|o| o.tagging.explicit = true),
            ),
            (
                "--storage-class STANDARD_IA",
                Box::new(|o| o.storage_class = Some(StorageClass::StandardIa)),
            ),
            ("--sse-c", Box::new(move |o| o.sse_c = Some(key.clone()))),
            (
                "--sse aws:kms:dsse",
                Box::new(|o| o.encryption.sse = Some(ServerSideEncryption::AwsKmsDsse)),
            ),
            (
                "--object-lock-legal-hold",
                Box::new(|o| o.object_lock.legal_hold = Some(ObjectLockLegalHoldStatus::On)),
            ),
            (
                "--website-redirect",
                Box::new(|o| o.website_redirect = Some("/x".into())),
            ),
            (
                "--request-payer",
                Box::new(|o| o.request_payer = Some(RequestPayer::Requester)),
            ),
        ];
        for (flag, edit) in &cases {
            let e = refused(GP, DIR, edit);
            assert!(e.starts_with(&format!("{flag}:")), "{flag}: {e}");
            assert!(e.contains(DIR) && e.contains("directory bucket"), "{e}");
            // Into a general purpose bucket, none of them is refused but
            // those that ask the source for what it cannot have.
            let mut o = CopyOptions::default();
            edit(&mut o);
            assert_eq!(
                refusal(DIR, GP, &o).filter(|_| !["--request-payer", "--copy-acl"].contains(flag)),
                None
            );
        }
        // --copy-acl out of one: it has no ACLs to copy.
        let copy_acl = |o: &mut CopyOptions| o.acl = Acl::CopySource;
        assert!(refused(DIR, GP, copy_acl).starts_with("--copy-acl:"));
        // --annotation-directive COPY into one, for a manifest's lines too.
        let e = refused(GP, DIR, |o| {
            o.annotations.explicit = true;
            o.annotations.directive = crate::options::AnnotationDirective::Copy;
        });
        assert!(e.starts_with("--annotation-directive COPY:"), "{e}");
    }

    #[test]
    fn what_a_directory_bucket_takes_goes_through() {
        let mut o = CopyOptions {
            storage_class: Some(StorageClass::ExpressOnezone),
            ..Default::default()
        };
        o.encryption.sse = Some(ServerSideEncryption::AwsKms);
        o.tagging.directive = TaggingDirective::Replace;
        o.tagging.explicit = true;
        assert_eq!(refusal(GP, DIR, &o), None);
        o.storage_class = Some(StorageClass::OnezoneIa);
        o.encryption.sse = Some(ServerSideEncryption::Aes256);
        assert_eq!(refusal(GP, DIR, &o), None);
    }

    #[test]
    fn a_directory_source_takes_no_customer_key_and_no_payer() {
        let o = CopyOptions {
            sse_c_source: Some(SseCKey {
                algorithm: "AES256".into(),
                key_base64: "k".into(),
                key_md5_base64: "m".into(),
            }),
            ..Default::default()
        };
        let e = refusal(DIR, GP, &o).unwrap();
        assert!(e.starts_with("--sse-c-copy-source:"), "{e}");
        assert_eq!(refusal(GP, GP, &o), None);
        let e = refused(DIR, GP, |o| o.request_payer = Some(RequestPayer::Requester));
        assert!(e.starts_with("--request-payer:") && e.contains(DIR), "{e}");
    }

    #[test]
    fn a_directory_bucket_is_written_in_express_one_zone_unless_told() {
        let mut o = CopyOptions::default();
        assert_eq!(storage_class(DIR, &o), Some(StorageClass::ExpressOnezone));
        assert_eq!(storage_class(GP, &o), None);
        o.storage_class = Some(StorageClass::OnezoneIa);
        assert_eq!(storage_class(DIR, &o), Some(StorageClass::OnezoneIa));
        assert_eq!(storage_class(GP, &o), Some(StorageClass::OnezoneIa));
    }
}
