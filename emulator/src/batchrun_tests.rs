//! Unit tests of batchrun.rs: ARNs, manifest lines, copy headers.

use super::*;

#[test]
fn reads_arns_and_manifest_lines() {
    assert_eq!(arn_bucket("arn:aws:s3:::dst").as_deref(), Some("dst"));
    assert_eq!(arn_bucket("arn:aws:s3:::dst/k"), None);
    assert_eq!(arn_bucket("arn:aws-cn:s3:::dst").as_deref(), Some("dst"));
    assert_eq!(arn_bucket("arn:aws:iam:::dst"), None);
    assert_eq!(
        arn_object("arn:aws:s3:::b/m/a.csv"),
        Some(("b".into(), "m/a.csv".into()))
    );
    assert_eq!(csv_fields("b,a%20b,v1"), ["b", "a%20b", "v1"]);
    assert_eq!(csv_fields("b,\"x,\"\"y\""), ["b", "x,\"y"]);
}

#[test]
fn the_operation_becomes_copy_headers() {
    let op = "<TargetResource>arn:aws:s3:::d</TargetResource><MetadataDirective>REPLACE</MetadataDirective><NewObjectMetadata><ContentType>text/plain</ContentType><UserMetadata><entry><key>Color</key><value>blue</value></entry></UserMetadata></NewObjectMetadata><NewObjectTagging><member><Key>a b</Key><Value>c</Value></member></NewObjectTagging><AccessControlGrants><member><Grantee><TypeIdentifier>id</TypeIdentifier><Identifier>X</Identifier></Grantee><Permission>READ_ACP</Permission></member></AccessControlGrants><StorageClass>STANDARD_IA</StorageClass><ModifiedSinceConstraint>2020-01-02T03:04:05Z</ModifiedSinceConstraint><RequesterPays>true</RequesterPays>";
    let h = copy_headers(op);
    let get = |k: &str| h.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("x-amz-metadata-directive"), Some("REPLACE"));
    assert_eq!(get("content-type"), Some("text/plain"));
    assert_eq!(get("x-amz-meta-color"), Some("blue"));
    assert_eq!(get("x-amz-tagging"), Some("a%20b=c"));
    assert_eq!(get("x-amz-grant-read-acp"), Some("id=\"X\""));
    assert_eq!(get("x-amz-storage-class"), Some("STANDARD_IA"));
    assert_eq!(
        get("x-amz-copy-source-if-modified-since"),
        Some("Thu, 02 Jan 2020 03:04:05 GMT")
    );
    assert_eq!(get("x-amz-request-payer"), Some("requester"));
}
