//! Every request builder carries what it should: one test per request,
//! with every option set.

use std::collections::HashMap;

use super::literal_key::strip_marker;
use super::*;
use crate::checksum::{Algorithm, ChecksumOptions};
use crate::options::{
    AnnotationOptions, Encryption, MetadataOptions, ObjectLock, SourceConditions, SseCKey,
    TaggingOptions,
};
use aws_sdk_s3::config::{BehaviorVersion, Region};
use aws_sdk_s3::types::{
    ChecksumAlgorithm, ChecksumType, Grantee, ObjectCannedAcl, ObjectLockLegalHoldStatus,
    ObjectLockMode, RequestPayer, ServerSideEncryption,
};

fn client() -> Client {
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .build();
    Client::from_conf(conf)
}

fn job() -> CopyJob {
    CopyJob {
        src: S3Uri::parse_source("s3://src/dir/a b+c.txt?versionId=v1").unwrap(),
        dst: S3Uri::parse_destination("s3://dst/out/x.txt").unwrap(),
    }
}

/// The checksum asked of S3: a CRC as FULL_OBJECT.
fn ask() -> Ask {
    Ask {
        algorithm: Some(Algorithm::Crc32c),
        full_object: true,
    }
}

fn source() -> SourceObject {
    SourceObject {
        size: 12 << 20,
        etag: "\"abc\"".into(),
        version_id: Some("v1".into()),
        last_modified: Some(DateTime::from_secs(1_000)),
        meta: ObjectMetadata {
            headers: ContentHeaders {
                content_type: Some("text/plain".into()),
                cache_control: Some("max-age=60".into()),
                content_disposition: Some("attachment; filename=\"x.txt\"".into()),
                content_encoding: Some("gzip".into()),
                content_language: Some("de-CH".into()),
                expires: Some(DateTime::from_secs(1_445_412_480)),
            },
            metadata: HashMap::from([("colour".into(), "blue".into())]),
        },
        storage_class: None,
        restore: None,
        archive_status: None,
        checksum: None,
        keyed: false,
        tag_count: None,
    }
}

fn key(byte: u8) -> SseCKey {
    SseCKey {
        algorithm: "AES256".into(),
        key_base64: format!("key-{byte}"),
        key_md5_base64: format!("md5-{byte}"),
    }
}

/// Every option set, so each request's test can check what reaches it.
fn everything() -> CopyOptions {
    CopyOptions {
        metadata: MetadataOptions {
            directive: MetadataDirective::Merge,
            headers: ContentHeaders {
                content_type: Some("image/png".into()),
                ..Default::default()
            },
            metadata: HashMap::from([("size".into(), "large".into())]),
            explicit: true,
        },
        tagging: TaggingOptions {
            directive: TaggingDirective::Replace,
            tags: vec![("k".into(), "v w".into())],
            explicit: true,
        },
        annotations: AnnotationOptions {
            directive: AnnotationDirective::Exclude,
            explicit: true,
        },
        acl: Acl::Grants(Grants {
            read: Some("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"".into()),
            read_acp: Some("id=\"r\"".into()),
            write_acp: Some("id=\"w\"".into()),
            full_control: Some("id=\"f\"".into()),
        }),
        encryption: Encryption {
            sse: Some(ServerSideEncryption::AwsKms),
            kms_key_id: Some("alias/k".into()),
            kms_context: Some("e30=".into()),
            bucket_key: Some(true),
        },
        sse_c: Some(key(1)),
        sse_c_source: Some(key(2)),
        storage_class: Some(StorageClass::StandardIa),
        object_lock: ObjectLock {
            mode: Some(ObjectLockMode::Governance),
            retain_until: Some(DateTime::from_secs(2_000_000_000)),
            legal_hold: Some(ObjectLockLegalHoldStatus::On),
        },
        website_redirect: Some("/elsewhere".into()),
        checksums: ChecksumOptions {
            algorithm: Some(Algorithm::Crc32c),
            verify: true,
        },
        conditions: SourceConditions {
            if_match: Some("\"abc\"".into()),
            if_none_match: Some("\"zzz\"".into()),
            if_modified_since: Some(DateTime::from_secs(10)),
            if_unmodified_since: Some(DateTime::from_secs(20)),
        },
        // Contradicts no_overwrite (the CLI refuses both together):
        // tested on its own below.
        destination_if_match: None,
        no_overwrite: true,
        skip: None,
        request_payer: Some(RequestPayer::Requester),
        expected_bucket_owner: Some("111111111111".into()),
        expected_source_bucket_owner: Some("222222222222".into()),
        moving: Some(crate::options::Moving {
            delete_version: true,
        }),
    }
}

#[test]
fn a_part_head_reads_one_part_of_the_headed_source() {
    let (c, j, o) = (client(), job(), everything());
    let head = head_source_part(&c, &j.src, &source(), &o, 3);
    let h = head.as_input();
    assert_eq!(h.get_bucket().as_deref(), Some("src"));
    assert_eq!(h.get_key().as_deref(), Some("dir/a b+c.txt"));
    assert_eq!(h.get_part_number(), &Some(3));
    assert_eq!(h.get_version_id().as_deref(), Some("v1"));
    assert_eq!(h.get_sse_customer_key().as_deref(), Some("key-2"));
    assert_eq!(h.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        h.get_expected_bucket_owner().as_deref(),
        Some("222222222222")
    );
}

#[test]
fn a_move_deletes_its_source_only_if_it_is_what_was_copied() {
    let (c, j, o) = (client(), job(), everything());
    let delete = delete_source(&c, &j.src, "\"e1\"", Some("v1"), &o);
    let d = delete.as_input();
    assert_eq!(d.get_bucket().as_deref(), Some("src"));
    assert_eq!(d.get_key().as_deref(), Some("dir/a b+c.txt"));
    assert_eq!(d.get_if_match().as_deref(), Some("\"e1\""));
    assert_eq!(d.get_version_id().as_deref(), Some("v1"));
    assert_eq!(d.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        d.get_expected_bucket_owner().as_deref(),
        Some("222222222222")
    );
    // Without a version: a delete marker in a versioned bucket.
    let marker = delete_source(&c, &j.src, "\"e1\"", None, &o);
    assert_eq!(marker.as_input().get_version_id(), &None);
}

#[test]
fn a_rename_is_conditional_on_the_source_read_and_on_the_destination() {
    let c = client();
    let j = CopyJob {
        src: S3Uri::parse_source("s3://d--use1-az4--x-s3/dir/a b+c.txt").unwrap(),
        dst: S3Uri::parse_destination("s3://d--use1-az4--x-s3/out/x.txt").unwrap(),
    };
    let mut o = CopyOptions::default();
    let rename = rename_object(&c, &j, "\"e1\"", &o);
    let r = rename.as_input();
    assert_eq!(r.get_bucket().as_deref(), Some("d--use1-az4--x-s3"));
    assert_eq!(r.get_key().as_deref(), Some("out/x.txt"));
    // URL-encoded, as x-amz-copy-source.
    assert_eq!(
        r.get_rename_source().as_deref(),
        Some("d--use1-az4--x-s3/dir/a%20b%2Bc.txt")
    );
    assert_eq!(r.get_source_if_match().as_deref(), Some("\"e1\""));
    assert_eq!(r.get_destination_if_none_match(), &None);
    assert_eq!(r.get_destination_if_match(), &None);
    assert_eq!(r.get_source_if_none_match(), &None);
    o.no_overwrite = true;
    let rename = rename_object(&c, &j, "\"e1\"", &o);
    assert_eq!(
        rename.as_input().get_destination_if_none_match().as_deref(),
        Some("*")
    );
    o.no_overwrite = false;
    o.destination_if_match = Some("\"d1\"".to_owned());
    let rename = rename_object(&c, &j, "\"e1\"", &o);
    assert_eq!(
        rename.as_input().get_destination_if_match().as_deref(),
        Some("\"d1\"")
    );
}

#[test]
fn head_tagging_and_acl_reads_target_the_source_version() {
    let (c, j, o) = (client(), job(), everything());
    let head = head_source(&c, &j.src, &o);
    let h = head.as_input();
    assert_eq!(h.get_bucket().as_deref(), Some("src"));
    assert_eq!(h.get_key().as_deref(), Some("dir/a b+c.txt"));
    assert_eq!(h.get_version_id().as_deref(), Some("v1"));
    assert_eq!(
        h.get_sse_customer_key().as_deref(),
        Some("key-2"),
        "source key"
    );
    assert_eq!(h.get_sse_customer_key_md5().as_deref(), Some("md5-2"));
    assert_eq!(h.get_sse_customer_algorithm().as_deref(), Some("AES256"));
    // The source's checksum is asked for: the copy keeps and compares it.
    assert_eq!(h.get_checksum_mode(), &Some(ChecksumMode::Enabled));
    assert_eq!(h.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        h.get_expected_bucket_owner().as_deref(),
        Some("222222222222")
    );
    let tagging = get_source_tagging(&c, &j.src, &source(), &o);
    let t = tagging.as_input();
    assert_eq!(t.get_version_id().as_deref(), Some("v1"));
    assert_eq!(t.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        t.get_expected_bucket_owner().as_deref(),
        Some("222222222222")
    );
    let acl = get_source_acl(&c, &j.src, &source(), &o);
    let a = acl.as_input();
    assert_eq!(a.get_version_id().as_deref(), Some("v1"));
    assert_eq!(
        a.get_expected_bucket_owner().as_deref(),
        Some("222222222222")
    );
}

#[test]
fn copy_object_with_defaults_sends_no_directive() {
    let (c, o) = (client(), CopyOptions::default());
    let req = copy_object(&c, &job(), &source(), &o, &Acl::Default, ask());
    let i = req.as_input();
    assert_eq!(
        i.get_copy_source().as_deref(),
        Some("src/dir/a%20b%2Bc.txt?versionId=v1")
    );
    assert_eq!(i.get_bucket().as_deref(), Some("dst"));
    assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
    // No directive: S3's default, COPY, carries metadata and tags.
    assert_eq!(i.get_metadata_directive(), &None);
    assert_eq!(i.get_tagging_directive(), &None);
    assert_eq!(i.get_content_type(), &None);
    assert_eq!(i.get_metadata(), &None);
    assert_eq!(i.get_acl(), &None);
    assert_eq!(i.get_if_none_match(), &None);
    assert_eq!(i.get_website_redirect_location(), &None);
}

#[test]
fn copy_object_sends_a_directive_the_user_named_even_copy() {
    let c = client();
    let mut o = CopyOptions::default();
    o.metadata.explicit = true;
    o.tagging.explicit = true;
    let req = copy_object(&c, &job(), &source(), &o, &Acl::Default, ask());
    let i = req.as_input();
    assert_eq!(
        i.get_metadata_directive(),
        &Some(SdkMetadataDirective::Copy)
    );
    assert_eq!(i.get_tagging_directive(), &Some(SdkTaggingDirective::Copy));
    // COPY still sends nothing read from the source.
    assert_eq!(i.get_content_type(), &None);
    assert_eq!(i.get_metadata(), &None);
    assert_eq!(i.get_tagging(), &None);
}

#[test]
fn destination_if_match_reaches_copy_object_and_complete() {
    let c = client();
    let o = CopyOptions {
        destination_if_match: Some("\"dst-etag\"".into()),
        ..Default::default()
    };
    let copy = copy_object(&c, &job(), &source(), &o, &Acl::Default, ask());
    let i = copy.as_input();
    assert_eq!(i.get_if_match().as_deref(), Some("\"dst-etag\""));
    assert_eq!(i.get_if_none_match(), &None);
    assert_eq!(
        i.get_copy_source_if_match(),
        &None,
        "a destination condition, not a source one"
    );
    let complete = complete_multipart_upload(&c, &job(), &o, "up-1", vec![]);
    let i = complete.as_input();
    assert_eq!(i.get_if_match().as_deref(), Some("\"dst-etag\""));
    assert_eq!(i.get_if_none_match(), &None);
    let plain = complete_multipart_upload(&c, &job(), &CopyOptions::default(), "u", vec![]);
    assert_eq!(plain.as_input().get_if_match(), &None);
}

#[test]
fn whitespace_keys_are_marked_for_the_sdk_and_restored_on_the_wire() {
    for key in ["a", " a ", "dir/ /x", "", "%00"] {
        assert_eq!(literal_key(key), key, "{key:?} is sent as it is");
    }
    for key in [" ", "   ", "\t", " \n "] {
        let marked = literal_key(key);
        assert!(marked.starts_with(key) && !marked.trim().is_empty());
        let encoded: String = key.bytes().map(|b| format!("%{b:02X}")).collect();
        let sent = format!(
            "http://h/b/{encoded}{}?x-id=CopyObject",
            marked[key.len()..]
                .bytes()
                .map(|b| match b {
                    0 => "%00".to_owned(),
                    b => (b as char).to_string(),
                })
                .collect::<String>()
        );
        assert_eq!(
            strip_marker(&sent).as_deref(),
            Some(format!("http://h/b/{encoded}?x-id=CopyObject").as_str())
        );
    }
    assert_eq!(strip_marker("http://h/b/%20?x-id=CopyObject"), None);
    let (c, mut j) = (client(), job());
    j.dst.key = "  ".into();
    let req = copy_object(
        &c,
        &j,
        &source(),
        &CopyOptions::default(),
        &Acl::Default,
        ask(),
    );
    assert_eq!(
        req.as_input().get_key().as_deref(),
        Some(literal_key("  ").as_str())
    );
}

#[test]
fn s3_endpoint_rules_do_not_read_the_key() {
    // What makes the marker of literal_key harmless: the endpoint the
    // SDK resolves is the same whatever the key parameter says.
    use aws_sdk_s3::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
    let resolve = |key: Option<&str>, path_style: bool, endpoint: Option<&str>| {
        let params = Params::builder()
            .region("us-east-1")
            .bucket("bucket")
            .set_key(key.map(str::to_owned))
            .force_path_style(path_style)
            .set_endpoint(endpoint.map(str::to_owned))
            .build()
            .unwrap();
        futures::executor::block_on(DefaultResolver::new().resolve_endpoint(&params)).unwrap()
    };
    for (path_style, endpoint) in [(false, None), (true, Some("http://127.0.0.1:9000"))] {
        let plain = resolve(None, path_style, endpoint);
        for key in ["k", "   ", &literal_key("   ")] {
            assert_eq!(resolve(Some(key), path_style, endpoint), plain, "{key:?}");
        }
    }
}

#[test]
fn copy_object_carries_every_option() {
    let (c, o) = (client(), everything());
    let req = copy_object(&c, &job(), &source(), &o, &o.acl, ask());
    let i = req.as_input();
    // MERGE: REPLACE on the wire, with the source's headers overridden.
    assert_eq!(
        i.get_metadata_directive(),
        &Some(SdkMetadataDirective::Replace)
    );
    assert_eq!(i.get_content_type().as_deref(), Some("image/png"));
    assert_eq!(i.get_cache_control().as_deref(), Some("max-age=60"));
    assert_eq!(i.get_content_language().as_deref(), Some("de-CH"));
    assert_eq!(i.get_expires().map(|d| d.secs()), Some(1_445_412_480));
    assert_eq!(
        i.get_metadata().as_ref(),
        Some(&HashMap::from([
            ("colour".into(), "blue".into()),
            ("size".into(), "large".into())
        ]))
    );
    assert_eq!(
        i.get_tagging_directive(),
        &Some(SdkTaggingDirective::Replace)
    );
    assert_eq!(i.get_tagging().as_deref(), Some("k=v%20w"));
    assert_eq!(
        i.get_annotation_directive(),
        &Some(aws_sdk_s3::types::AnnotationDirective::Exclude)
    );
    assert_eq!(i.get_acl(), &None);
    assert!(i.get_grant_read().as_deref().unwrap().contains("AllUsers"));
    assert_eq!(i.get_grant_read_acp().as_deref(), Some("id=\"r\""));
    assert_eq!(i.get_grant_write_acp().as_deref(), Some("id=\"w\""));
    assert_eq!(i.get_grant_full_control().as_deref(), Some("id=\"f\""));
    assert_eq!(
        i.get_server_side_encryption(),
        &Some(ServerSideEncryption::AwsKms)
    );
    assert_eq!(i.get_ssekms_key_id().as_deref(), Some("alias/k"));
    assert_eq!(i.get_ssekms_encryption_context().as_deref(), Some("e30="));
    assert_eq!(i.get_bucket_key_enabled(), &Some(true));
    assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
    assert_eq!(i.get_sse_customer_key_md5().as_deref(), Some("md5-1"));
    assert_eq!(i.get_sse_customer_algorithm().as_deref(), Some("AES256"));
    assert_eq!(
        i.get_copy_source_sse_customer_key().as_deref(),
        Some("key-2")
    );
    assert_eq!(
        i.get_copy_source_sse_customer_key_md5().as_deref(),
        Some("md5-2")
    );
    assert_eq!(
        i.get_copy_source_sse_customer_algorithm().as_deref(),
        Some("AES256")
    );
    assert_eq!(i.get_storage_class(), &Some(StorageClass::StandardIa));
    assert_eq!(i.get_object_lock_mode(), &Some(ObjectLockMode::Governance));
    assert_eq!(
        i.get_object_lock_retain_until_date().map(|d| d.secs()),
        Some(2_000_000_000)
    );
    assert_eq!(
        i.get_object_lock_legal_hold_status(),
        &Some(ObjectLockLegalHoldStatus::On)
    );
    assert_eq!(
        i.get_website_redirect_location().as_deref(),
        Some("/elsewhere")
    );
    assert_eq!(i.get_checksum_algorithm(), &Some(ChecksumAlgorithm::Crc32C));
    assert_eq!(i.get_copy_source_if_match().as_deref(), Some("\"abc\""));
    assert_eq!(
        i.get_copy_source_if_none_match().as_deref(),
        Some("\"zzz\"")
    );
    assert_eq!(
        i.get_copy_source_if_modified_since().map(|d| d.secs()),
        Some(10)
    );
    assert_eq!(
        i.get_copy_source_if_unmodified_since().map(|d| d.secs()),
        Some(20)
    );
    assert_eq!(i.get_if_none_match().as_deref(), Some("*"));
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("111111111111")
    );
    assert_eq!(
        i.get_expected_source_bucket_owner().as_deref(),
        Some("222222222222")
    );
}

#[test]
fn copy_object_merge_is_pinned_to_the_headed_object() {
    let c = client();
    let mut o = CopyOptions::default();
    o.metadata.directive = MetadataDirective::Merge;
    let mut j = job();
    j.src.version_id = None;
    let req = copy_object(&c, &j, &source(), &o, &Acl::Default, ask());
    let i = req.as_input();
    assert_eq!(
        i.get_copy_source().as_deref(),
        Some("src/dir/a%20b%2Bc.txt?versionId=v1")
    );
    assert_eq!(i.get_copy_source_if_match().as_deref(), Some("\"abc\""));
    // COPY sends nothing read from the source: no ETag pin.
    let plain = copy_object(
        &c,
        &j,
        &source(),
        &CopyOptions::default(),
        &Acl::Default,
        ask(),
    );
    assert_eq!(plain.as_input().get_copy_source_if_match(), &None);
}

#[test]
fn copy_object_canned_acl_and_replace() {
    let c = client();
    let mut o = CopyOptions::default();
    o.metadata.directive = MetadataDirective::Replace;
    o.metadata.headers.content_type = Some("a/b".into());
    let acl = Acl::Canned(ObjectCannedAcl::PublicRead);
    let req = copy_object(&c, &job(), &source(), &o, &acl, ask());
    let i = req.as_input();
    assert_eq!(i.get_acl(), &Some(ObjectCannedAcl::PublicRead));
    assert_eq!(i.get_grant_read(), &None);
    assert_eq!(
        i.get_metadata_directive(),
        &Some(SdkMetadataDirective::Replace)
    );
    assert_eq!(i.get_content_type().as_deref(), Some("a/b"));
    assert_eq!(
        i.get_cache_control(),
        &None,
        "REPLACE drops the source's headers"
    );
    assert_eq!(i.get_metadata(), &None);
    assert_eq!(i.get_website_redirect_location(), &None);
}

#[test]
fn create_multipart_upload_carries_what_copy_object_would() {
    // COPY directives: the source's headers, metadata, redirect and tags
    // must be set explicitly.
    let (c, s, o) = (client(), source(), CopyOptions::default());
    let tags = [
        ("a b".to_owned(), "x+y&z".to_owned()),
        ("k".into(), "v".into()),
    ];
    let req = create_multipart_upload(&c, &job(), &s, &o, &Acl::Default, &tags, ask());
    let i = req.as_input();
    assert_eq!(i.get_bucket().as_deref(), Some("dst"));
    assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
    let h = &s.meta.headers;
    assert_eq!(i.get_content_type(), &h.content_type);
    assert_eq!(i.get_cache_control(), &h.cache_control);
    assert_eq!(i.get_content_disposition(), &h.content_disposition);
    assert_eq!(i.get_content_encoding(), &h.content_encoding);
    assert_eq!(i.get_content_language(), &h.content_language);
    assert_eq!(i.get_expires(), &h.expires);
    assert_eq!(i.get_metadata().as_ref(), Some(&s.meta.metadata));
    assert_eq!(
        i.get_website_redirect_location(),
        &None,
        "CopyObject never copies the source's redirect"
    );
    assert_eq!(i.get_tagging().as_deref(), Some("a%20b=x%2By%26z&k=v"));
    assert_eq!(i.get_acl(), &None);
    assert_eq!(i.get_storage_class(), &None);
}

#[test]
fn create_multipart_upload_carries_every_option() {
    let (c, o) = (client(), everything());
    let req = create_multipart_upload(&c, &job(), &source(), &o, &o.acl, &o.tagging.tags, ask());
    let i = req.as_input();
    assert_eq!(i.get_content_type().as_deref(), Some("image/png"));
    assert_eq!(i.get_cache_control().as_deref(), Some("max-age=60"));
    assert_eq!(i.get_metadata().as_ref().map(|m| m.len()), Some(2));
    assert_eq!(i.get_tagging().as_deref(), Some("k=v%20w"));
    assert_eq!(i.get_grant_read_acp().as_deref(), Some("id=\"r\""));
    assert_eq!(i.get_grant_write_acp().as_deref(), Some("id=\"w\""));
    assert_eq!(i.get_grant_full_control().as_deref(), Some("id=\"f\""));
    assert!(i.get_grant_read().is_some());
    assert_eq!(
        i.get_server_side_encryption(),
        &Some(ServerSideEncryption::AwsKms)
    );
    assert_eq!(i.get_ssekms_key_id().as_deref(), Some("alias/k"));
    assert_eq!(i.get_ssekms_encryption_context().as_deref(), Some("e30="));
    assert_eq!(i.get_bucket_key_enabled(), &Some(true));
    assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
    assert_eq!(i.get_sse_customer_key_md5().as_deref(), Some("md5-1"));
    assert_eq!(i.get_storage_class(), &Some(StorageClass::StandardIa));
    assert_eq!(i.get_object_lock_mode(), &Some(ObjectLockMode::Governance));
    assert!(i.get_object_lock_retain_until_date().is_some());
    assert_eq!(
        i.get_object_lock_legal_hold_status(),
        &Some(ObjectLockLegalHoldStatus::On)
    );
    assert_eq!(
        i.get_website_redirect_location().as_deref(),
        Some("/elsewhere")
    );
    assert_eq!(i.get_checksum_algorithm(), &Some(ChecksumAlgorithm::Crc32C));
    assert_eq!(i.get_checksum_type(), &Some(ChecksumType::FullObject));
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("111111111111")
    );
}

#[test]
fn create_multipart_upload_sends_no_empty_fields() {
    let c = client();
    let s = SourceObject {
        size: 1,
        etag: "\"e\"".into(),
        ..Default::default()
    };
    let req = create_multipart_upload(
        &c,
        &job(),
        &s,
        &CopyOptions::default(),
        &Acl::Default,
        &[],
        ask(),
    );
    let i = req.as_input();
    assert_eq!(i.get_metadata(), &None);
    assert_eq!(i.get_tagging(), &None);
    assert_eq!(i.get_content_type(), &None);
    assert_eq!(i.get_expires(), &None);
    assert_eq!(i.get_sse_customer_key(), &None);
}

#[test]
fn upload_part_copy_is_pinned_and_carries_every_option() {
    let (c, o) = (client(), everything());
    let mut j = job();
    // The URI named no version, but the HEAD found one: pin to it.
    j.src.version_id = None;
    let part = Part {
        number: 3,
        first: 10,
        last: 19,
    };
    let req = upload_part_copy(&c, &j, &source(), &o, "up-1", part);
    let i = req.as_input();
    assert_eq!(
        i.get_copy_source().as_deref(),
        Some("src/dir/a%20b%2Bc.txt?versionId=v1")
    );
    assert_eq!(i.get_copy_source_if_match().as_deref(), Some("\"abc\""));
    assert_eq!(
        i.get_copy_source_if_none_match().as_deref(),
        Some("\"zzz\"")
    );
    assert_eq!(
        i.get_copy_source_if_modified_since().map(|d| d.secs()),
        Some(10)
    );
    assert_eq!(
        i.get_copy_source_if_unmodified_since().map(|d| d.secs()),
        Some(20)
    );
    assert_eq!(i.get_copy_source_range().as_deref(), Some("bytes=10-19"));
    assert_eq!(i.get_upload_id().as_deref(), Some("up-1"));
    assert_eq!(i.get_part_number(), &Some(3));
    assert_eq!(i.get_bucket().as_deref(), Some("dst"));
    assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
    assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
    assert_eq!(i.get_sse_customer_key_md5().as_deref(), Some("md5-1"));
    assert_eq!(
        i.get_copy_source_sse_customer_key().as_deref(),
        Some("key-2")
    );
    assert_eq!(
        i.get_copy_source_sse_customer_key_md5().as_deref(),
        Some("md5-2")
    );
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("111111111111")
    );
    assert_eq!(
        i.get_expected_source_bucket_owner().as_deref(),
        Some("222222222222")
    );
}

#[test]
fn complete_sorts_parts_and_carries_no_overwrite_and_keys() {
    let (c, o) = (client(), everything());
    let parts = [2, 1, 3]
        .map(|n| {
            CompletedPart::builder()
                .part_number(n)
                .e_tag(format!("e{n}"))
                .build()
        })
        .to_vec();
    let req = complete_multipart_upload(&c, &job(), &o, "up-1", parts);
    let i = req.as_input();
    let numbers: Vec<_> = i
        .get_multipart_upload()
        .as_ref()
        .unwrap()
        .parts()
        .iter()
        .map(|p| p.part_number().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(i.get_upload_id().as_deref(), Some("up-1"));
    assert_eq!(i.get_if_none_match().as_deref(), Some("*"));
    assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("111111111111")
    );
    let plain = complete_multipart_upload(&c, &job(), &CopyOptions::default(), "u", vec![]);
    assert_eq!(plain.as_input().get_if_none_match(), &None);
}

#[test]
fn destination_reads_carry_the_key_payer_and_owner() {
    let (c, o) = (client(), everything());
    let parts = list_parts(&c, &job(), &o, "up-1");
    let i = parts.as_input();
    assert_eq!(i.get_upload_id().as_deref(), Some("up-1"));
    assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("111111111111")
    );
    let head = head_destination(&c, &job(), &o, Some("v9".into()));
    let i = head.as_input();
    assert_eq!(i.get_version_id().as_deref(), Some("v9"));
    assert_eq!(
        (i.get_bucket().as_deref(), i.get_key().as_deref()),
        (Some("dst"), Some("out/x.txt"))
    );
    assert_eq!(i.get_sse_customer_key_md5().as_deref(), Some("md5-1"));
    assert_eq!(i.get_checksum_mode(), &Some(ChecksumMode::Enabled));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("111111111111")
    );
    let ups = list_destination_uploads(&c, &job(), &o);
    let i = ups.as_input();
    assert_eq!(i.get_prefix().as_deref(), Some("out/x.txt"));
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    // A directory bucket lists only under a prefix ending in '/'.
    for (key, prefix) in [("out/x.txt", "out/"), ("x.txt", "")] {
        let job = CopyJob {
            src: job().src,
            dst: S3Uri::parse_destination(&format!("s3://d--use1-az4--x-s3/{key}")).unwrap(),
        };
        let ups = list_destination_uploads(&c, &job, &o);
        assert_eq!(ups.as_input().get_prefix().as_deref(), Some(prefix));
    }
}

#[test]
fn abort_names_the_upload() {
    let (c, o) = (client(), everything());
    let abort = abort_multipart_upload(&c, &job(), &o, "up-1");
    let i = abort.as_input();
    assert_eq!(i.get_upload_id().as_deref(), Some("up-1"));
    assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("111111111111")
    );
}

#[test]
fn source_acl_becomes_grant_headers() {
    let grant =
        |grantee: Grantee, p: Permission| Grant::builder().grantee(grantee).permission(p).build();
    let owner = Grantee::builder()
        .r#type(Type::CanonicalUser)
        .id("owner1")
        .build()
        .unwrap();
    let all = Grantee::builder()
        .r#type(Type::Group)
        .uri("http://acs.amazonaws.com/groups/global/AllUsers")
        .build()
        .unwrap();
    let g = grants_from_acl(&[
        grant(owner.clone(), Permission::FullControl),
        grant(all, Permission::Read),
        grant(owner, Permission::Read),
    ]);
    assert_eq!(g.full_control.as_deref(), Some("id=\"owner1\""));
    assert_eq!(
        g.read.as_deref(),
        Some("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\", id=\"owner1\"")
    );
    assert_eq!(g.read_acp, None);
}

#[test]
fn listings_carry_the_payer_and_the_owner() {
    let (c, o) = (client(), everything());
    let src = S3Uri::parse_destination("s3://src/dir/").unwrap();
    let list = list_objects(&c, &src, &o);
    let i = list.as_input();
    assert_eq!(
        (i.get_bucket().as_deref(), i.get_prefix().as_deref()),
        (Some("src"), Some("dir/"))
    );
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("222222222222"),
        "the source bucket's owner"
    );
    let dst = S3Uri::parse_destination("s3://dst/out/").unwrap();
    let list = list_destination(&c, &dst, &o);
    let i = list.as_input();
    assert_eq!(
        (i.get_bucket().as_deref(), i.get_prefix().as_deref()),
        (Some("dst"), Some("out/"))
    );
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("111111111111"),
        "the destination bucket's owner"
    );
    let plain = list_objects(&c, &src, &CopyOptions::default());
    assert_eq!(plain.as_input().get_request_payer(), &None);
    assert_eq!(plain.as_input().get_expected_bucket_owner(), &None);
    let ups = list_uploads(&c, &src, Some("k".into()), Some("u".into()));
    let i = ups.as_input();
    assert_eq!(i.get_prefix().as_deref(), Some("dir/"));
    // Keys XML cannot carry come url-encoded (request::listed_keys).
    let url = &Some(aws_sdk_s3::types::EncodingType::Url);
    assert_eq!(i.get_encoding_type(), url);
    assert_eq!(
        list_objects(&c, &src, &o).as_input().get_encoding_type(),
        url
    );
    assert_eq!(
        list_destination(&c, &dst, &o)
            .as_input()
            .get_encoding_type(),
        url
    );
    let uploads_of_a_copy = list_destination_uploads(
        &c,
        &CopyJob {
            src: src.clone(),
            dst: dst.clone(),
        },
        &o,
    );
    assert_eq!(uploads_of_a_copy.as_input().get_encoding_type(), url);
    assert_eq!(i.get_key_marker().as_deref(), Some("k"));
    assert_eq!(i.get_upload_id_marker().as_deref(), Some("u"));
    let abort = abort_upload(&c, "dst", "dir/k", "up-9");
    let i = abort.as_input();
    assert_eq!(
        (
            i.get_bucket().as_deref(),
            i.get_key().as_deref(),
            i.get_upload_id().as_deref()
        ),
        (Some("dst"), Some("dir/k"), Some("up-9"))
    );
}

#[test]
fn a_source_range_read_is_pinned_to_the_headed_object_with_the_source_key() {
    let (c, j, o) = (client(), job(), everything());
    let range = Part {
        number: 2,
        first: 8 << 20,
        last: (16 << 20) - 1,
    };
    let get = get_source_range(&c, &j.src, &source(), &o, range);
    let g = get.as_input();
    assert_eq!(g.get_bucket().as_deref(), Some("src"));
    assert_eq!(g.get_key().as_deref(), Some("dir/a b+c.txt"));
    assert_eq!(g.get_range().as_deref(), Some("bytes=8388608-16777215"));
    assert_eq!(
        g.get_if_match().as_deref(),
        Some("\"abc\""),
        "the HEADed ETag"
    );
    assert_eq!(g.get_version_id().as_deref(), Some("v1"));
    assert_eq!(g.get_sse_customer_algorithm().as_deref(), Some("AES256"));
    assert_eq!(
        g.get_sse_customer_key().as_deref(),
        Some("key-2"),
        "the source's key, not the destination's"
    );
    assert_eq!(g.get_sse_customer_key_md5().as_deref(), Some("md5-2"));
    assert_eq!(g.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        g.get_expected_bucket_owner().as_deref(),
        Some("222222222222"),
        "the source bucket's owner"
    );
    // The user's source conditions were checked at the HEAD; the ETag pin
    // is the only condition a range read carries.
    assert_eq!(g.get_if_none_match(), &None);
    assert_eq!(g.get_if_modified_since(), &None);
    assert_eq!(g.get_if_unmodified_since(), &None);

    // The version HEADed wins over the one the URI named; without either,
    // none is sent. Nothing optional is sent when nothing was given.
    let headed = SourceObject {
        version_id: Some("v2".into()),
        ..source()
    };
    let get = get_source_range(&c, &j.src, &headed, &o, range);
    assert_eq!(get.as_input().get_version_id().as_deref(), Some("v2"));
    let unversioned = S3Uri::parse_source("s3://src/k").unwrap();
    let plain = SourceObject {
        version_id: None,
        etag: String::new(),
        ..source()
    };
    let get = get_source_range(&c, &unversioned, &plain, &CopyOptions::default(), range);
    let g = get.as_input();
    assert_eq!(g.get_version_id(), &None);
    assert_eq!(g.get_if_match(), &None, "no ETag, no If-Match");
    assert_eq!(g.get_sse_customer_algorithm(), &None);
    assert_eq!(g.get_sse_customer_key(), &None);
    assert_eq!(g.get_sse_customer_key_md5(), &None);
    assert_eq!(g.get_request_payer(), &None);
    assert_eq!(g.get_expected_bucket_owner(), &None);
}

#[test]
fn a_streamed_put_object_carries_what_create_multipart_upload_carries() {
    let (c, s) = (client(), source());
    for o in [everything(), CopyOptions::default()] {
        let tags = [("k".to_owned(), "v w".to_owned())];
        let crc = Checksum::full_object(Algorithm::Crc32c, "AAAAAA==".into());
        let body = bytes::Bytes::from_static(b"twelve bytes");
        let put = put_object(&c, &job(), &s, &o, &o.acl, &tags, ask(), Some(&crc), body);
        let create = create_multipart_upload(&c, &job(), &s, &o, &o.acl, &tags, ask());
        let (p, m) = (put.as_input(), create.as_input());
        assert_eq!(p.get_bucket(), m.get_bucket());
        assert_eq!(p.get_key(), m.get_key());
        assert_eq!(p.get_content_type(), m.get_content_type());
        assert_eq!(p.get_cache_control(), m.get_cache_control());
        assert_eq!(p.get_content_disposition(), m.get_content_disposition());
        assert_eq!(p.get_content_encoding(), m.get_content_encoding());
        assert_eq!(p.get_content_language(), m.get_content_language());
        assert_eq!(p.get_expires(), m.get_expires());
        assert_eq!(p.get_metadata(), m.get_metadata());
        assert_eq!(p.get_tagging(), m.get_tagging());
        assert_eq!(p.get_tagging().as_deref(), Some("k=v%20w"));
        assert_eq!(p.get_acl(), m.get_acl());
        assert_eq!(p.get_grant_read(), m.get_grant_read());
        assert_eq!(p.get_grant_read_acp(), m.get_grant_read_acp());
        assert_eq!(p.get_grant_write_acp(), m.get_grant_write_acp());
        assert_eq!(p.get_grant_full_control(), m.get_grant_full_control());
        assert_eq!(
            p.get_server_side_encryption(),
            m.get_server_side_encryption()
        );
        assert_eq!(p.get_ssekms_key_id(), m.get_ssekms_key_id());
        assert_eq!(
            p.get_ssekms_encryption_context(),
            m.get_ssekms_encryption_context()
        );
        assert_eq!(p.get_bucket_key_enabled(), m.get_bucket_key_enabled());
        assert_eq!(
            p.get_sse_customer_algorithm(),
            m.get_sse_customer_algorithm()
        );
        assert_eq!(p.get_sse_customer_key(), m.get_sse_customer_key());
        assert_eq!(p.get_sse_customer_key_md5(), m.get_sse_customer_key_md5());
        assert_eq!(p.get_storage_class(), m.get_storage_class());
        assert_eq!(p.get_object_lock_mode(), m.get_object_lock_mode());
        assert_eq!(
            p.get_object_lock_retain_until_date(),
            m.get_object_lock_retain_until_date()
        );
        assert_eq!(
            p.get_object_lock_legal_hold_status(),
            m.get_object_lock_legal_hold_status()
        );
        assert_eq!(
            p.get_website_redirect_location(),
            m.get_website_redirect_location()
        );
        assert_eq!(p.get_request_payer(), m.get_request_payer());
        assert_eq!(p.get_expected_bucket_owner(), m.get_expected_bucket_owner());
        // The CRC computed in flight, for the store to check.
        assert_eq!(p.get_checksum_crc32_c().as_deref(), Some("AAAAAA=="));
        assert_eq!(p.get_checksum_algorithm(), &Some(ChecksumAlgorithm::Crc32C));
        assert_eq!(p.get_content_length(), &Some(12));
        // The destination conditions, as on Complete.
        assert_eq!(
            p.get_if_none_match().as_deref(),
            o.no_overwrite.then_some("*")
        );
        assert_eq!(p.get_if_match(), &o.destination_if_match);
    }
}

#[test]
fn a_streamed_part_carries_its_crc_the_key_and_the_owner() {
    let (c, o) = (client(), everything());
    let part = Part {
        number: 3,
        first: 10,
        last: 19,
    };
    let crc = Checksum::full_object(Algorithm::Crc64Nvme, "AAAAAAAAAAA=".into());
    let body = bytes::Bytes::from_static(b"0123456789");
    let req = upload_part(&c, &job(), &o, "up", part, ask(), Some(&crc), body);
    let i = req.as_input();
    assert_eq!(i.get_bucket().as_deref(), Some("dst"));
    assert_eq!(i.get_key().as_deref(), Some("out/x.txt"));
    assert_eq!(i.get_upload_id().as_deref(), Some("up"));
    assert_eq!(i.get_part_number(), &Some(3));
    assert_eq!(i.get_content_length(), &Some(10));
    assert_eq!(i.get_checksum_crc64_nvme().as_deref(), Some("AAAAAAAAAAA="));
    assert_eq!(i.get_sse_customer_key().as_deref(), Some("key-1"));
    assert_eq!(i.get_sse_customer_key_md5().as_deref(), Some("md5-1"));
    assert_eq!(i.get_request_payer(), &Some(RequestPayer::Requester));
    assert_eq!(
        i.get_expected_bucket_owner().as_deref(),
        Some("111111111111")
    );
    // SHA256 (no CRC of ours): the SDK computes it.
    let sha = Ask {
        algorithm: Some(Algorithm::Sha256),
        full_object: false,
    };
    let body = bytes::Bytes::from_static(b"0123456789");
    let req = upload_part(&c, &job(), &o, "up", part, sha, None, body);
    let i = req.as_input();
    assert_eq!(i.get_checksum_algorithm(), &Some(ChecksumAlgorithm::Sha256));
    assert_eq!(i.get_checksum_sha256(), &None);
}

/// A value in any of the ten algorithms reaches its own field (and only
/// it): the header the SDK's checksum layer sees, so that it adds none.
#[test]
fn a_streamed_write_carries_a_value_in_each_of_the_ten_algorithms() {
    let (c, o) = (client(), CopyOptions::default());
    let part = Part {
        number: 1,
        first: 0,
        last: 9,
    };
    for alg in Algorithm::ALL {
        let value = Checksum::full_object(alg, format!("value-of-{alg}"));
        let ask = Ask {
            algorithm: Some(alg),
            full_object: false,
        };
        let body = bytes::Bytes::from_static(b"0123456789");
        let req = upload_part(&c, &job(), &o, "up", part, ask, Some(&value), body);
        let i = req.as_input();
        let fields = [
            i.get_checksum_crc32(),
            i.get_checksum_crc32_c(),
            i.get_checksum_crc64_nvme(),
            i.get_checksum_sha1(),
            i.get_checksum_sha256(),
            i.get_checksum_md5(),
            i.get_checksum_sha512(),
            i.get_checksum_xxhash3(),
            i.get_checksum_xxhash64(),
            i.get_checksum_xxhash128(),
        ];
        for (a, field) in Algorithm::ALL.into_iter().zip(fields) {
            let want = (a == alg).then(|| value.value.clone());
            assert_eq!(field, &want, "{alg} sent, {a}'s field");
        }
        assert_eq!(
            i.get_checksum_algorithm().as_ref().map(|a| a.as_str()),
            Some(alg.name())
        );
    }
}

#[test]
fn complete_sends_a_streams_whole_object_crc_as_full_object() {
    let (c, o) = (client(), CopyOptions::default());
    let crc = Checksum::full_object(Algorithm::Crc32, "AAAAAA==".into());
    let req = complete_with_checksum(
        complete_multipart_upload(&c, &job(), &o, "up", Vec::new()),
        Some(&crc),
    );
    let i = req.as_input();
    assert_eq!(i.get_checksum_crc32().as_deref(), Some("AAAAAA=="));
    assert_eq!(i.get_checksum_type(), &Some(ChecksumType::FullObject));
    let req = complete_with_checksum(
        complete_multipart_upload(&c, &job(), &o, "up", Vec::new()),
        None,
    );
    assert_eq!(req.as_input().get_checksum_type(), &None);
}

#[tokio::test]
async fn a_watched_body_is_the_bytes_in_pieces_and_can_be_sent_again() {
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let body = watched_body(bytes::Bytes::from(bytes.clone()));
    let again = body.into_inner();
    let copy = again.try_clone().expect("retryable");
    let first = aws_sdk_s3::primitives::ByteStream::new(again)
        .collect()
        .await
        .unwrap()
        .into_bytes();
    assert_eq!(first.as_ref(), &bytes[..]);
    let mut pieces = 0;
    let mut second = aws_sdk_s3::primitives::ByteStream::new(copy);
    let mut read = Vec::new();
    while let Some(piece) = second.next().await {
        let piece = piece.unwrap();
        assert!(piece.len() <= 64 * 1024);
        read.extend_from_slice(&piece);
        pieces += 1;
    }
    assert_eq!(read, bytes);
    assert_eq!(pieces, 4, "200,000 bytes in 64 KiB pieces");
    let empty = watched_body(bytes::Bytes::new()).collect().await.unwrap();
    assert!(empty.into_bytes().is_empty());
}

#[test]
fn annotation_directive_is_sent_only_when_named() {
    let c = client();
    let mut o = CopyOptions::default();
    let req = copy_object(&c, &job(), &source(), &o, &Acl::Default, ask());
    assert_eq!(req.as_input().get_annotation_directive(), &None);
    o.annotations.explicit = true;
    let req = copy_object(&c, &job(), &source(), &o, &Acl::Default, ask());
    assert_eq!(
        req.as_input().get_annotation_directive(),
        &Some(aws_sdk_s3::types::AnnotationDirective::Copy)
    );
}

#[test]
fn annotations_are_read_from_the_copied_version_and_written_on_the_made_object() {
    let (c, j, o) = (client(), job(), everything());
    let list = list_source_annotations(&c, &j, &source(), Some("t".into()), &o);
    let l = list.as_input();
    assert_eq!(l.get_bucket().as_deref(), Some("src"));
    assert_eq!(l.get_version_id().as_deref(), Some("v1"));
    assert_eq!(l.get_continuation_token().as_deref(), Some("t"));
    assert_eq!(
        l.get_expected_bucket_owner().as_deref(),
        Some("222222222222")
    );
    let get = get_source_annotation(&c, &j, &source(), "n", &o);
    let g = get.as_input();
    assert_eq!(g.get_version_id().as_deref(), Some("v1"));
    assert_eq!(g.get_annotation_name().as_deref(), Some("n"));
    let put = put_destination_annotation(
        &c,
        &j,
        "\"e\"",
        Some("d1"),
        "n",
        bytes::Bytes::from_static(b"p"),
        &o,
    );
    let p = put.as_input();
    assert_eq!(p.get_bucket().as_deref(), Some(j.dst.bucket.as_str()));
    assert_eq!(p.get_object_if_match().as_deref(), Some("\"e\""));
    assert_eq!(p.get_version_id().as_deref(), Some("d1"));
    assert_eq!(p.get_request_payer(), &Some(RequestPayer::Requester));
    assert_ne!(
        p.get_expected_bucket_owner().as_deref(),
        Some("222222222222"),
        "the destination's owner, not the source's"
    );
    let probe = list_destination_annotations(&c, &j, Some("d1"), &o);
    assert_eq!(probe.as_input().get_max_annotation_results(), &Some(1));
}

/// Into a directory bucket every write names EXPRESS_ONEZONE (unless a
/// class was given), carries no ACL however one was resolved, and a
/// CopyObject asks for REPLACE with no tags, the one tagging S3 takes
/// there whatever the source has; out of one, S3's defaults.
#[test]
fn a_write_into_a_directory_bucket_names_express_one_zone_no_acl_and_no_tags() {
    let (c, s) = (client(), source());
    let into = CopyJob {
        src: S3Uri::parse_source("s3://src/a").unwrap(),
        dst: S3Uri::parse_destination("s3://d--use1-az4--x-s3/out/a").unwrap(),
    };
    let acl = Acl::Canned(ObjectCannedAcl::PublicRead);
    let o = CopyOptions::default();
    let copy = copy_object(&c, &into, &s, &o, &acl, ask());
    let i = copy.as_input();
    assert_eq!(i.get_storage_class(), &Some(StorageClass::ExpressOnezone));
    assert_eq!(i.get_acl(), &None);
    assert_eq!(
        i.get_tagging_directive(),
        &Some(SdkTaggingDirective::Replace)
    );
    assert_eq!(i.get_tagging(), &None);
    let tags = [("k".to_owned(), "v".to_owned())];
    let create = create_multipart_upload(&c, &into, &s, &o, &acl, &[], ask());
    let m = create.as_input();
    assert_eq!(m.get_storage_class(), &Some(StorageClass::ExpressOnezone));
    assert_eq!(m.get_acl(), &None);
    assert_eq!(m.get_tagging(), &None);
    let body = bytes::Bytes::from_static(b"x");
    let grants = Acl::Grants(crate::options::Grants {
        read: Some("id=\"a\"".into()),
        ..Default::default()
    });
    let put = put_object(&c, &into, &s, &o, &grants, &[], ask(), None, body);
    let p = put.as_input();
    assert_eq!(p.get_storage_class(), &Some(StorageClass::ExpressOnezone));
    assert_eq!(p.get_grant_read(), &None);
    // A class given is the one named.
    let given = CopyOptions {
        storage_class: Some(StorageClass::OnezoneIa),
        ..Default::default()
    };
    let copy = copy_object(&c, &into, &s, &given, &Acl::Default, ask());
    assert_eq!(
        copy.as_input().get_storage_class(),
        &Some(StorageClass::OnezoneIa)
    );
    // Out of a directory bucket: S3's defaults, the tags as asked.
    let out = CopyJob {
        src: S3Uri::parse_source("s3://d--use1-az4--x-s3/a").unwrap(),
        dst: S3Uri::parse_destination("s3://dst/a").unwrap(),
    };
    let copy = copy_object(&c, &out, &s, &o, &acl, ask());
    let i = copy.as_input();
    assert_eq!(i.get_storage_class(), &None);
    assert_eq!(i.get_acl(), &Some(ObjectCannedAcl::PublicRead));
    assert_eq!(i.get_tagging_directive(), &None);
    let create = create_multipart_upload(&c, &out, &s, &o, &acl, &tags, ask());
    assert_eq!(create.as_input().get_tagging().as_deref(), Some("k=v"));
}
