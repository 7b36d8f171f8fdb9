//! Requests through access points: the ARN is the bucket the SDK is given,
//! and a source read through one is named in `x-amz-copy-source` in the
//! form S3 documents for access points (`ARN/object/KEY`).

use super::*;
use crate::checksum::Algorithm;
use aws_sdk_s3::config::{BehaviorVersion, Region};

const AP: &str = "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
const MRAP: &str = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";

fn client() -> Client {
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .build();
    Client::from_conf(conf)
}

fn job(src: &str, dst: &str) -> CopyJob {
    CopyJob {
        src: S3Uri::parse_source(src).unwrap(),
        dst: S3Uri::parse_destination(dst).unwrap(),
    }
}

fn source(version: Option<&str>) -> SourceObject {
    SourceObject {
        size: 12 << 20,
        etag: "\"abc\"".into(),
        version_id: version.map(str::to_owned),
        ..SourceObject::default()
    }
}

fn ask() -> Ask {
    Ask {
        algorithm: Some(Algorithm::Crc32c),
        full_object: true,
    }
}

#[test]
fn a_copy_out_of_an_access_point_names_it_in_the_access_point_form() {
    let (c, o) = (client(), CopyOptions::default());
    let j = job(&format!("s3://{AP}/dir/a b+c.txt"), "s3://dst/out/x.txt");
    let req = copy_object(&c, &j, &source(None), &o, &Acl::Default, ask());
    let i = req.as_input();
    assert_eq!(
        i.get_copy_source().as_deref(),
        Some(format!("{AP}/object/dir/a%20b%2Bc.txt").as_str())
    );
    assert_eq!(i.get_bucket().as_deref(), Some("dst"));
    // Pinned to the version the HEAD found, as from a bucket.
    let req = copy_object(&c, &j, &source(Some("v+1")), &o, &Acl::Default, ask());
    assert_eq!(
        req.as_input().get_copy_source().as_deref(),
        Some(format!("{AP}/object/dir/a%20b%2Bc.txt?versionId=v%2B1").as_str())
    );
    let part = Part {
        number: 2,
        first: 0,
        last: 9,
    };
    let req = upload_part_copy(&c, &j, &source(Some("v1")), &o, "up-1", part);
    assert_eq!(
        req.as_input().get_copy_source().as_deref(),
        Some(format!("{AP}/object/dir/a%20b%2Bc.txt?versionId=v1").as_str())
    );
}

#[test]
fn a_source_uri_version_reaches_the_access_point_copy_source() {
    let (c, o) = (client(), CopyOptions::default());
    let j = job(&format!("s3://{AP}/k?versionId=3HL4kqtJ"), "s3://dst/k");
    let req = copy_object(&c, &j, &source(None), &o, &Acl::Default, ask());
    assert_eq!(
        req.as_input().get_copy_source().as_deref(),
        Some(format!("{AP}/object/k?versionId=3HL4kqtJ").as_str())
    );
}

#[test]
fn a_copy_into_an_access_point_or_mrap_gives_the_sdk_the_arn_as_bucket() {
    let (c, o) = (client(), CopyOptions::default());
    for dst in [AP, MRAP] {
        let j = job("s3://src/k", &format!("s3://{dst}/out/k"));
        let req = copy_object(&c, &j, &source(None), &o, &Acl::Default, ask());
        let i = req.as_input();
        assert_eq!(i.get_bucket().as_deref(), Some(dst));
        assert_eq!(i.get_key().as_deref(), Some("out/k"));
        assert_eq!(i.get_copy_source().as_deref(), Some("src/k"));
        let req = create_multipart_upload(&c, &j, &source(None), &o, &Acl::Default, &[], ask());
        assert_eq!(req.as_input().get_bucket().as_deref(), Some(dst));
    }
}

#[test]
fn reads_through_an_access_point_name_the_arn_and_the_key() {
    let (c, o) = (client(), CopyOptions::default());
    let src = S3Uri::parse_source(&format!("s3://{AP}/dir/k?versionId=v1")).unwrap();
    let head = head_source(&c, &src, &o);
    let h = head.as_input();
    assert_eq!(h.get_bucket().as_deref(), Some(AP));
    assert_eq!(h.get_key().as_deref(), Some("dir/k"));
    assert_eq!(h.get_version_id().as_deref(), Some("v1"));
}
