//! Access point ARNs in `s3://` URIs:
//! `s3://arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME/KEY`, and
//! Multi-Region Access Points, whose ARN has no region:
//! `s3://arn:aws:s3::ACCOUNT:accesspoint/NAME.mrap/KEY`.
//!
//! An ARN holds `/` itself, so it cannot be cut at the URI's first `/` as a
//! bucket name is. What the SDK takes in the `Bucket` field of a request is
//! the access point's ARN (`arn:...:accesspoint/NAME`); the key is what
//! follows `NAME/`. The SDK's endpoint rules turn that ARN into the access
//! point's host (`NAME-ACCOUNT.s3-accesspoint.REGION.amazonaws.com`) and its
//! signing region; every other module keeps the ARN as the bucket name and
//! asks [`AccessPoint::parse`] when it needs to know more (its region, for
//! [`crate::region::Regions`]; the copy-source form, for [`super::S3Uri`]).
//!
//! S3 Object Lambda access points (`arn:...:s3-object-lambda:...`) transform
//! what GetObject returns and take neither writes nor server-side copies;
//! S3 on Outposts (`arn:...:s3-outposts:...`) has its own endpoints and
//! rules. Both are refused by name rather than half supported.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-access-points.html>

use super::UriError;

/// The form an access point ARN takes in a URI, for messages.
pub const EXPECTED: &str = "s3://arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/KEY (or \
     s3://arn:aws:s3::ACCOUNT:accesspoint/NAME.mrap/KEY for a Multi-Region Access Point)";

/// An access point, as its ARN names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessPoint {
    /// `aws`, `aws-cn`, `aws-us-gov`...
    pub partition: String,
    /// Its region; `None` for a Multi-Region Access Point.
    pub region: Option<String>,
    pub account: String,
    pub name: String,
}

impl AccessPoint {
    /// The access point a bucket name stands for, when it is an ARN (one
    /// that [`split`] accepted: every bucket of a parsed URI is).
    pub fn parse(bucket: &str) -> Option<AccessPoint> {
        // Asked for every request's bucket: a plain name costs nothing.
        if !is_arn(bucket) {
            return None;
        }
        match parse_arn(bucket) {
            Ok((ap, "")) => Some(ap),
            _ => None,
        }
    }

    /// A Multi-Region Access Point (signed with SigV4a, for every region).
    pub fn is_multi_region(&self) -> bool {
        self.region.is_none()
    }

    /// The ARN, as the SDK takes it in a request's `Bucket`.
    pub fn arn(&self) -> String {
        format!(
            "arn:{}:s3:{}:{}:accesspoint/{}",
            self.partition,
            self.region.as_deref().unwrap_or(""),
            self.account,
            self.name
        )
    }
}

/// Whether a bucket name is an access point ARN (of any kind s3cp takes).
pub fn is_arn(bucket: &str) -> bool {
    bucket.starts_with("arn:")
}

/// Cuts `rest` (a URI after `s3://`, starting with `arn:`) into the
/// access point's ARN and the key; `original` is the URI, for messages.
pub fn split(original: &str, rest: &str) -> Result<(String, String), UriError> {
    let (ap, after) = parse_arn(rest).map_err(|problem| match problem {
        Problem::Unsupported(what) => UriError::UnsupportedArn {
            uri: original.to_owned(),
            what,
        },
        Problem::Malformed(why) => UriError::BadArn {
            uri: original.to_owned(),
            why,
        },
    })?;
    // What follows the name is empty or starts with its '/'.
    let key = after.strip_prefix('/').unwrap_or(after);
    Ok((ap.arn(), key.to_owned()))
}

/// Why an ARN was refused.
enum Problem {
    /// A kind of ARN s3cp does not support (named).
    Unsupported(&'static str),
    /// Not an ARN of the expected form: what is wrong.
    Malformed(String),
}

/// Reads `arn:PARTITION:SERVICE:REGION:ACCOUNT:accesspoint/NAME` at the
/// start of `text`; returns the access point and what follows its name.
fn parse_arn(text: &str) -> Result<(AccessPoint, &str), Problem> {
    let bad = |why: &str| Problem::Malformed(why.to_owned());
    let mut fields = text.splitn(6, ':');
    let mut next = || fields.next().unwrap_or("");
    let (arn, partition, service, region, account, resource) =
        (next(), next(), next(), next(), next(), next());
    if arn != "arn" || resource.is_empty() {
        return Err(bad("an ARN has six fields separated by ':'"));
    }
    match service {
        "s3" => {}
        "s3-object-lambda" => {
            return Err(Problem::Unsupported(
                "an S3 Object Lambda access point (its GetObject transforms the object; it \
                 takes no writes and no server-side copies): name the access point or \
                 bucket it serves instead",
            ));
        }
        "s3-outposts" => {
            return Err(Problem::Unsupported(
                "an S3 on Outposts bucket or access point: s3cp copies in S3 regions only",
            ));
        }
        "s3express" => {
            return Err(Problem::Unsupported(
                "an S3 Express One Zone (directory bucket) ARN: name the directory bucket \
                 itself (s3://NAME--AZID--x-s3/KEY)",
            ));
        }
        other => {
            return Err(Problem::Malformed(format!(
                "its service is '{other}', not s3"
            )));
        }
    }
    let label = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !label(partition) || !partition.starts_with("aws") {
        return Err(bad("its partition is not aws, aws-cn, aws-us-gov..."));
    }
    let Some(named) = resource.strip_prefix("accesspoint/") else {
        return Err(bad(
            "it does not name an access point (accesspoint/NAME); a bucket is written \
             s3://BUCKET/KEY, not as an ARN",
        ));
    };
    if !region.is_empty() && !label(region) {
        return Err(bad("its region is not a region name"));
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("its account is not 12 digits"));
    }
    let (name, after) = named.split_at(named.find('/').unwrap_or(named.len()));
    if name.is_empty() {
        return Err(bad("the access point has no name"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return Err(bad(
            "its name holds characters no access point name has (lowercase letters, digits, '-')",
        ));
    }
    match (region.is_empty(), name.ends_with(".mrap")) {
        (true, false) => {
            return Err(bad(
                "it has no region, which only a Multi-Region Access Point (NAME.mrap) has",
            ));
        }
        (false, true) => {
            return Err(bad(
                "a Multi-Region Access Point (NAME.mrap) has no region in its ARN",
            ));
        }
        _ => {}
    }
    let ap = AccessPoint {
        partition: partition.to_owned(),
        region: (!region.is_empty()).then(|| region.to_owned()),
        account: account.to_owned(),
        name: name.to_owned(),
    };
    Ok((ap, after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uri::S3Uri;

    const AP: &str = "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
    const MRAP: &str = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";

    #[test]
    fn an_access_point_arn_is_the_bucket_and_the_key_follows_its_name() {
        let u = S3Uri::parse_source(&format!("s3://{AP}/dir/a b.txt?versionId=v1")).unwrap();
        assert_eq!(u.bucket, AP);
        assert_eq!(u.key, "dir/a b.txt");
        assert_eq!(u.version_id.as_deref(), Some("v1"));
        assert_eq!(u.to_string(), format!("s3://{AP}/dir/a b.txt?versionId=v1"));
        let ap = AccessPoint::parse(&u.bucket).unwrap();
        assert_eq!(ap.region.as_deref(), Some("us-west-2"));
        assert_eq!(ap.account, "123456789012");
        assert_eq!(ap.name, "my-ap");
        assert!(!ap.is_multi_region());
    }

    #[test]
    fn every_partition_is_read() {
        for partition in ["aws", "aws-cn", "aws-us-gov"] {
            let arn = format!("arn:{partition}:s3:cn-north-1:123456789012:accesspoint/ap");
            let u = S3Uri::parse_destination(&format!("s3://{arn}/k")).unwrap();
            assert_eq!((u.bucket.as_str(), u.key.as_str()), (arn.as_str(), "k"));
            assert_eq!(AccessPoint::parse(&arn).unwrap().partition, partition);
        }
    }

    #[test]
    fn a_prefix_under_an_access_point_is_a_destination_or_a_listing() {
        for (text, key) in [
            (format!("s3://{AP}"), ""),
            (format!("s3://{AP}/"), ""),
            (format!("s3://{AP}/prefix/"), "prefix/"),
        ] {
            let u = S3Uri::parse_destination(&text).unwrap();
            assert_eq!((u.bucket.as_str(), u.key.as_str()), (AP, key), "{text}");
            assert!(u.is_prefix());
        }
        let src = S3Uri::parse_source(&format!("s3://{AP}/x/file.bin")).unwrap();
        let dst = S3Uri::parse_destination(&format!("s3://{AP}/out/")).unwrap();
        assert_eq!(dst.resolve_destination(&src).unwrap().key, "out/file.bin");
        assert!(matches!(
            S3Uri::parse_source(&format!("s3://{AP}/")),
            Err(UriError::NoKey(_))
        ));
    }

    #[test]
    fn a_multi_region_access_point_has_no_region() {
        let u = S3Uri::parse_source(&format!("s3://{MRAP}/k/v")).unwrap();
        assert_eq!((u.bucket.as_str(), u.key.as_str()), (MRAP, "k/v"));
        let ap = AccessPoint::parse(MRAP).unwrap();
        assert!(ap.is_multi_region());
        assert_eq!(ap.region, None);
        assert_eq!(ap.name, "mfzwi23gnjvgw.mrap");
    }

    #[test]
    fn object_lambda_and_outposts_are_refused_by_name() {
        for (arn, named) in [
            (
                "arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint/olap",
                "S3 Object Lambda",
            ),
            (
                "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01ac5d28a6a232904/accesspoint/ap",
                "S3 on Outposts",
            ),
            (
                "arn:aws:s3express:us-east-1:123456789012:bucket/data--use1-az4--x-s3",
                "S3 Express One Zone",
            ),
        ] {
            let err = S3Uri::parse_source(&format!("s3://{arn}/k")).unwrap_err();
            assert!(matches!(err, UriError::UnsupportedArn { .. }), "{err:?}");
            let text = err.to_string();
            assert!(
                text.contains(named) && text.contains("not supported"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_malformed_arn_is_shown_the_expected_form() {
        for (arn, why) in [
            ("arn:aws:s3:us-west-2:123456789012", "six fields"),
            ("arn:aws:s3:us-west-2:1234:accesspoint/ap", "12 digits"),
            ("arn:aws:s3:::bucket", "does not name an access point"),
            (
                "arn:aws:s3:us-west-2:123456789012:accesspoint:ap",
                "access point",
            ),
            ("arn:aws:s3:us-west-2:123456789012:accesspoint/", "no name"),
            (
                "arn:aws:s3:us-west-2:123456789012:accesspoint/My_AP",
                "characters",
            ),
            ("arn:aws:s3::123456789012:accesspoint/ap", "no region"),
            (
                "arn:aws:s3:us-east-1:123456789012:accesspoint/x.mrap",
                "has no region",
            ),
            ("arn:aws:sqs:us-west-2:123456789012:accesspoint/ap", "'sqs'"),
            (
                "arn:xyz:s3:us-west-2:123456789012:accesspoint/ap",
                "partition",
            ),
        ] {
            let err = S3Uri::parse_destination(&format!("s3://{arn}/k")).unwrap_err();
            assert!(matches!(err, UriError::BadArn { .. }), "{arn}: {err:?}");
            let text = err.to_string();
            assert!(
                text.contains(why) && text.contains(EXPECTED),
                "{arn}: {text}"
            );
        }
    }

    #[test]
    fn an_access_point_alias_is_a_plain_bucket_name() {
        let alias = "my-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias";
        let u = S3Uri::parse_source(&format!("s3://{alias}/dir/k")).unwrap();
        assert_eq!((u.bucket.as_str(), u.key.as_str()), (alias, "dir/k"));
        assert_eq!(AccessPoint::parse(&u.bucket), None);
        assert_eq!(u.copy_source(None), format!("{alias}/dir/k"));
    }
}
