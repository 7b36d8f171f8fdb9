//! Every option reaches the job's operation, and every part of the
//! request is there: one test per group of fields, read back through the
//! SDK's own getters.

use std::collections::HashMap;

use super::*;
use crate::checksum::Algorithm;
use crate::options::{ContentHeaders, SseCKey};
use aws_sdk_s3::types::{
    ObjectCannedAcl, ObjectLockLegalHoldStatus, ObjectLockMode, RequestPayer, StorageClass,
};
use aws_sdk_s3control::config::{BehaviorVersion, Region};
use aws_smithy_types::DateTime;

/// One change to the options.
type Set = Box<dyn Fn(&mut CopyOptions)>;

fn client() -> Client {
    let conf = aws_sdk_s3control::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .build();
    Client::from_conf(conf)
}

fn target() -> Target {
    Target {
        bucket: "dst".into(),
        key_prefix: Some("x/y".into()),
    }
}

fn op(opts: &CopyOptions) -> S3CopyObjectOperation {
    operation(opts, &target(), "aws").unwrap()
}

/// Every option a job carries, set.
fn everything() -> CopyOptions {
    let mut o = CopyOptions::default();
    o.metadata.directive = MetadataDirective::Replace;
    o.metadata.explicit = true;
    o.metadata.headers = ContentHeaders {
        content_type: Some("text/plain".into()),
        cache_control: Some("max-age=60".into()),
        content_disposition: Some("attachment".into()),
        content_encoding: Some("gzip".into()),
        content_language: Some("de-CH".into()),
        expires: Some(DateTime::from_secs(1_445_412_480)),
    };
    o.metadata.metadata = HashMap::from([("colour".into(), "blue".into())]);
    o.tagging.directive = TaggingDirective::Replace;
    o.tagging.tags = vec![("team".into(), "data".into()), ("k".into(), "".into())];
    o.annotations.directive = crate::options::AnnotationDirective::Exclude;
    o.annotations.explicit = true;
    o.acl = Acl::Canned(ObjectCannedAcl::BucketOwnerFullControl);
    o.encryption.sse = Some(ServerSideEncryption::AwsKms);
    o.encryption.kms_key_id = Some("arn:aws:kms:us-east-1:1:key/k".into());
    o.encryption.bucket_key = Some(true);
    o.storage_class = Some(StorageClass::StandardIa);
    o.object_lock.mode = Some(ObjectLockMode::Governance);
    o.object_lock.retain_until = Some(DateTime::from_secs(1_900_000_000));
    o.object_lock.legal_hold = Some(ObjectLockLegalHoldStatus::On);
    o.website_redirect = Some("/elsewhere".into());
    o.checksums.algorithm = Some(Algorithm::Crc64Nvme);
    o.conditions.if_modified_since = Some(DateTime::from_secs(1_000));
    o.conditions.if_unmodified_since = Some(DateTime::from_secs(2_000));
    o.request_payer = Some(RequestPayer::Requester);
    o
}

#[test]
fn every_option_reaches_the_operation() {
    let op = op(&everything());
    assert_eq!(op.target_resource(), Some("arn:aws:s3:::dst"));
    assert_eq!(op.target_key_prefix(), Some("x/y"));
    assert_eq!(op.metadata_directive(), Some(&S3MetadataDirective::Replace));
    let meta = op.new_object_metadata().expect("metadata");
    assert_eq!(meta.content_type(), Some("text/plain"));
    assert_eq!(meta.cache_control(), Some("max-age=60"));
    assert_eq!(meta.content_disposition(), Some("attachment"));
    assert_eq!(meta.content_encoding(), Some("gzip"));
    assert_eq!(meta.content_language(), Some("de-CH"));
    assert_eq!(
        meta.http_expires_date(),
        Some(&DateTime::from_secs(1_445_412_480))
    );
    assert_eq!(
        meta.user_metadata(),
        Some(&HashMap::from([("colour".to_owned(), "blue".to_owned())]))
    );
    assert_eq!(meta.sse_algorithm(), Some(&S3SseAlgorithm::Kms));
    assert_eq!(
        op.sse_aws_kms_key_id(),
        Some("arn:aws:kms:us-east-1:1:key/k")
    );
    assert!(op.bucket_key_enabled());
    let tags: Vec<(&str, &str)> = op
        .new_object_tagging()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(tags, [("team", "data"), ("k", "")]);
    assert_eq!(
        op.annotation_directive(),
        Some(&S3AnnotationDirective::Exclude)
    );
    assert_eq!(
        op.canned_access_control_list(),
        Some(&S3CannedAccessControlList::BucketOwnerFullControl)
    );
    assert_eq!(op.storage_class(), Some(&S3StorageClass::StandardIa));
    assert_eq!(op.object_lock_mode(), Some(&S3ObjectLockMode::Governance));
    assert_eq!(
        op.object_lock_retain_until_date(),
        Some(&DateTime::from_secs(1_900_000_000))
    );
    assert_eq!(
        op.object_lock_legal_hold_status(),
        Some(&S3ObjectLockLegalHoldStatus::On)
    );
    assert_eq!(op.redirect_location(), Some("/elsewhere"));
    assert_eq!(
        op.checksum_algorithm(),
        Some(&S3ChecksumAlgorithm::Crc64Nvme)
    );
    assert!(op.requester_pays());
    assert_eq!(
        op.modified_since_constraint(),
        Some(&DateTime::from_secs(1_000))
    );
    assert_eq!(
        op.un_modified_since_constraint(),
        Some(&DateTime::from_secs(2_000))
    );
}

#[test]
fn defaults_leave_the_source_as_it_is() {
    let op = op(&CopyOptions::default());
    assert_eq!(op.metadata_directive(), Some(&S3MetadataDirective::Copy));
    assert_eq!(op.new_object_metadata(), None, "COPY sends no metadata");
    assert_eq!(
        op.new_object_tagging, None,
        "no tag set copies the source's"
    );
    assert_eq!(op.annotation_directive(), None);
    assert_eq!(op.canned_access_control_list(), None);
    assert_eq!(op.access_control_grants, None);
    assert_eq!(op.storage_class(), None);
    assert_eq!(op.sse_aws_kms_key_id(), None);
    assert!(!op.bucket_key_enabled());
    assert!(!op.requester_pays());
    assert_eq!(op.checksum_algorithm(), None);
    assert_eq!(op.modified_since_constraint(), None);
    assert_eq!(op.redirect_location(), None);
    assert_eq!(op.object_lock_mode(), None);
}

#[test]
fn a_target_without_prefix_sends_none() {
    let t = Target {
        bucket: "b".into(),
        key_prefix: None,
    };
    let op = operation(&CopyOptions::default(), &t, "aws-cn").unwrap();
    assert_eq!(op.target_resource(), Some("arn:aws-cn:s3:::b"));
    assert_eq!(op.target_key_prefix(), None);
}

#[test]
fn replace_with_nothing_given_sends_empty_metadata_and_tags() {
    let mut o = CopyOptions::default();
    o.metadata.directive = MetadataDirective::Replace;
    o.tagging.directive = TaggingDirective::Replace;
    let op = op(&o);
    assert_eq!(op.metadata_directive(), Some(&S3MetadataDirective::Replace));
    let meta = op.new_object_metadata().expect("REPLACE sends metadata");
    assert_eq!(meta.user_metadata(), Some(&HashMap::new()));
    assert_eq!(meta.content_type(), None);
    assert_eq!(
        op.new_object_tagging,
        Some(vec![]),
        "an empty set drops the tags"
    );
}

#[test]
fn copy_with_encryption_sends_only_the_algorithm() {
    let mut o = CopyOptions::default();
    o.encryption.sse = Some(ServerSideEncryption::Aes256);
    let op = op(&o);
    assert_eq!(op.metadata_directive(), Some(&S3MetadataDirective::Copy));
    let meta = op.new_object_metadata().expect("the algorithm");
    assert_eq!(meta.sse_algorithm(), Some(&S3SseAlgorithm::Aes256));
    assert_eq!(meta.user_metadata(), None);
    assert_eq!(meta.content_type(), None);
}

#[test]
fn an_explicit_copy_annotation_directive_is_sent() {
    let mut o = CopyOptions::default();
    o.annotations.explicit = true;
    assert_eq!(
        op(&o).annotation_directive(),
        Some(&S3AnnotationDirective::Copy)
    );
}

#[test]
fn grants_become_the_jobs_grants() {
    let o = CopyOptions {
        acl: Acl::Grants(Grants {
            read: Some(r#"uri="http://acs.amazonaws.com/groups/global/AllUsers", id="abc""#.into()),
            read_acp: None,
            write_acp: Some("emailAddress=a@example.com".into()),
            full_control: Some(r#"id="o,1""#.into()),
        }),
        ..Default::default()
    };
    let op = op(&o);
    let got: Vec<(S3Permission, S3GranteeTypeIdentifier, String)> = op
        .access_control_grants()
        .iter()
        .map(|g| {
            let who = g.grantee().unwrap();
            (
                g.permission().unwrap().clone(),
                who.type_identifier().unwrap().clone(),
                who.identifier().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                S3Permission::Read,
                S3GranteeTypeIdentifier::Group,
                "http://acs.amazonaws.com/groups/global/AllUsers".into()
            ),
            (
                S3Permission::Read,
                S3GranteeTypeIdentifier::Canonical,
                "abc".into()
            ),
            (
                S3Permission::WriteAcp,
                S3GranteeTypeIdentifier::EmailAddress,
                "a@example.com".into()
            ),
            (
                S3Permission::FullControl,
                S3GranteeTypeIdentifier::Canonical,
                "o,1".into()
            ),
        ]
    );
    assert_eq!(op.canned_access_control_list(), None);
}

#[test]
fn a_grant_list_the_job_cannot_read_is_named() {
    for (list, said) in [
        ("abc", "id=.."),
        ("user=abc", "'user'"),
        (r#"id="abc"#, "quote"),
        ("id=", "no value"),
    ] {
        let o = CopyOptions {
            acl: Acl::Grants(Grants {
                read_acp: Some(list.into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let e = operation(&o, &target(), "aws").unwrap_err().to_string();
        assert!(
            e.contains("--grant-read-acp") && e.contains(said),
            "{list}: {e}"
        );
    }
}

#[test]
fn what_the_job_cannot_carry_is_an_error_never_dropped() {
    let cases: Vec<Set> = vec![
        Box::new(|o| o.metadata.directive = MetadataDirective::Merge),
        Box::new(|o| {
            o.sse_c = Some(SseCKey {
                algorithm: "AES256".into(),
                key_base64: "k".into(),
                key_md5_base64: "m".into(),
            })
        }),
        Box::new(|o| o.conditions.if_match = Some("e".into())),
        Box::new(|o| o.encryption.sse = Some(ServerSideEncryption::AwsKmsDsse)),
        Box::new(|o| o.encryption.kms_context = Some("e30=".into())),
        Box::new(|o| o.acl = Acl::CopySource),
        Box::new(|o| o.storage_class = Some(StorageClass::ReducedRedundancy)),
    ];
    for (i, set) in cases.iter().enumerate() {
        let mut o = CopyOptions::default();
        set(&mut o);
        assert!(operation(&o, &target(), "aws").is_err(), "case {i}");
    }
    let o = CopyOptions {
        storage_class: Some(StorageClass::ExpressOnezone),
        ..Default::default()
    };
    let e = operation(&o, &target(), "aws").unwrap_err().to_string();
    assert!(
        e.contains("--storage-class 'EXPRESS_ONEZONE'") && e.contains("GLACIER_IR"),
        "{e}"
    );
}

fn params() -> JobParams {
    JobParams {
        account_id: "123456789012".into(),
        role_arn: "arn:aws:iam::123456789012:role/batch".into(),
        partition: "aws",
        manifest: ManifestObject {
            bucket: "reports".into(),
            key: "pre/s3cp-batch-t1/manifest.csv".into(),
            etag: "\"abc\"".into(),
            version_id: Some("mv1".into()),
            versioned: false,
        },
        reports: S3Uri::parse_destination("s3://reports/pre/").unwrap(),
        confirm: false,
        token: "t1".into(),
        priority: 10,
        description: "s3cp -r s3://a/p/ s3://b/x/p/".into(),
    }
}

#[test]
fn the_request_carries_manifest_report_role_and_token() {
    let op = op(&everything());
    let req = create_job(&client(), op.clone(), &params()).unwrap();
    let input = req.as_input();
    assert_eq!(input.get_account_id().as_deref(), Some("123456789012"));
    assert_eq!(input.get_confirmation_required(), &Some(false));
    assert_eq!(
        input.get_role_arn().as_deref(),
        Some("arn:aws:iam::123456789012:role/batch")
    );
    assert_eq!(input.get_client_request_token().as_deref(), Some("t1"));
    assert_eq!(input.get_priority(), &Some(10));
    assert_eq!(
        input.get_description().as_deref(),
        Some("s3cp -r s3://a/p/ s3://b/x/p/")
    );
    let operation = input.get_operation().as_ref().unwrap();
    assert_eq!(operation.s3_put_object_copy(), Some(&op));
    let manifest = input.get_manifest().as_ref().unwrap();
    let spec = manifest.spec().unwrap();
    assert_eq!(
        spec.format(),
        &JobManifestFormat::S3BatchOperationsCsv20180820
    );
    assert_eq!(
        spec.fields(),
        [JobManifestFieldName::Bucket, JobManifestFieldName::Key]
    );
    let location = manifest.location().unwrap();
    assert_eq!(
        location.object_arn(),
        "arn:aws:s3:::reports/pre/s3cp-batch-t1/manifest.csv"
    );
    assert_eq!(location.e_tag(), "\"abc\"");
    assert_eq!(location.object_version_id(), Some("mv1"));
    let report = input.get_report().as_ref().unwrap();
    assert_eq!(report.bucket(), Some("arn:aws:s3:::reports"));
    assert_eq!(report.format(), Some(&JobReportFormat::ReportCsv20180820));
    assert!(report.enabled());
    assert_eq!(report.prefix(), Some("pre"), "no trailing slash");
    assert_eq!(
        report.report_scope(),
        Some(&JobReportScope::FailedTasksOnly)
    );
}

#[test]
fn a_versioned_manifest_names_its_version_column() {
    let mut p = params();
    p.manifest.versioned = true;
    p.confirm = true;
    let req = create_job(&client(), op(&CopyOptions::default()), &p).unwrap();
    let input = req.as_input();
    assert_eq!(input.get_confirmation_required(), &Some(true));
    let spec = input.get_manifest().as_ref().unwrap().spec().unwrap();
    assert_eq!(
        spec.fields(),
        [
            JobManifestFieldName::Bucket,
            JobManifestFieldName::Key,
            JobManifestFieldName::VersionId
        ]
    );
}

#[test]
fn reports_at_the_bucket_root_have_no_prefix() {
    let mut p = params();
    p.reports = S3Uri::parse_destination("s3://reports").unwrap();
    let req = create_job(&client(), op(&CopyOptions::default()), &p).unwrap();
    assert_eq!(req.as_input().get_report().as_ref().unwrap().prefix(), None);
}

#[test]
fn the_description_is_cut_and_the_token_checked() {
    let mut p = params();
    p.description = "é".repeat(300);
    let req = create_job(&client(), op(&CopyOptions::default()), &p).unwrap();
    let said = req.as_input().get_description().clone().unwrap();
    assert_eq!(said.chars().count(), MAX_DESCRIPTION);
    p.token = "t".repeat(MAX_TOKEN);
    assert!(create_job(&client(), op(&CopyOptions::default()), &p).is_ok());
    p.token = "t".repeat(MAX_TOKEN + 1);
    let e = create_job(&client(), op(&CopyOptions::default()), &p).unwrap_err();
    assert!(e.to_string().contains("1 to 64"), "{e}");
    p.token = String::new();
    assert!(create_job(&client(), op(&CopyOptions::default()), &p).is_err());
}

#[test]
fn arns_follow_the_partition() {
    assert_eq!(partition("eu-west-1"), "aws");
    assert_eq!(partition("cn-north-1"), "aws-cn");
    assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
    assert_eq!(bucket_arn("aws-cn", "b"), "arn:aws-cn:s3:::b");
    assert_eq!(object_arn("aws", "b", "a b/c"), "arn:aws:s3:::b/a b/c");
}

#[test]
fn the_dry_runs_request_json_says_every_field_the_job_gets() {
    let json = request_json(&op(&everything()), &params(), None);
    let copy = &json["Operation"]["S3PutObjectCopy"];
    assert_eq!(copy["TargetKeyPrefix"], "x/y");
    assert_eq!(copy["MetadataDirective"], "REPLACE");
    let meta = &copy["NewObjectMetadata"];
    assert_eq!(meta["ContentType"], "text/plain");
    assert_eq!(meta["ContentLanguage"], "de-CH");
    assert_eq!(meta["SSEAlgorithm"], "KMS");
    assert_eq!(meta["HttpExpiresDate"], "2015-10-21T07:28:00Z");
    assert_eq!(meta["UserMetadata"]["colour"], "blue");
    assert_eq!(copy["NewObjectTagging"][0]["Key"], "team");
    assert_eq!(copy["CannedAccessControlList"], "bucket-owner-full-control");
    assert_eq!(copy["StorageClass"], "STANDARD_IA");
    assert_eq!(copy["BucketKeyEnabled"], true);
    assert_eq!(copy["AnnotationDirective"], "EXCLUDE");
    // Before the upload: no ETag (left out, not null).
    let location = &json["Manifest"]["Location"];
    assert!(location.get("ETag").is_none(), "{location}");
    assert!(
        location["ObjectArn"]
            .as_str()
            .unwrap()
            .ends_with("manifest.csv")
    );
    let with = request_json(&op(&everything()), &params(), Some("\"abc\""));
    assert_eq!(with["Manifest"]["Location"]["ETag"], "\"abc\"");
    assert_eq!(with["Report"]["ReportScope"], "FailedTasksOnly");

    let granted = CopyOptions {
        acl: Acl::Grants(Grants {
            read: Some("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"".into()),
            ..Grants::default()
        }),
        ..Default::default()
    };
    let json = request_json(&op(&granted), &params(), None);
    let grant = &json["Operation"]["S3PutObjectCopy"]["AccessControlGrants"][0];
    assert_eq!(grant["Permission"], "READ");
    assert_eq!(grant["Grantee"]["TypeIdentifier"], "uri");
    assert_eq!(
        grant["Grantee"]["Identifier"],
        "http://acs.amazonaws.com/groups/global/AllUsers"
    );
}
