//! What a run through an access point cannot be given, refused before any
//! request (exit 2). An access point's region is in its ARN and the SDK
//! sends its requests there, so a region flag that says otherwise is a
//! mistake to name, not a setting to follow. Access points are reached by
//! their own host name (`NAME-ACCOUNT.s3-accesspoint.REGION...`); the SDK
//! refuses path-style addressing for them ("Path-style addressing cannot be
//! used with ARN buckets"), so `--path-style` is named here instead.

use anyhow::bail;

use super::{Connection, Mode};
use crate::uri::S3Uri;
use crate::uri::arn::AccessPoint;

/// Which end of a copy a URI is, with the flag that names its region.
#[derive(Debug, Clone, Copy)]
pub(super) enum End {
    Source,
    Destination,
}

impl End {
    fn flag(self) -> &'static str {
        match self {
            End::Source => "--source-region",
            End::Destination => "--region",
        }
    }
}

/// Both ends of a copy (a manifest's lines are checked as they are read:
/// their ARNs' regions win over the flags, which name no line's bucket).
pub(super) fn check_copy(mode: &Mode, connection: &Connection) -> anyhow::Result<()> {
    let Some((src, dst)) = mode.ends() else {
        return Ok(());
    };
    check(
        src,
        End::Source,
        connection.source_region.as_deref(),
        connection,
    )?;
    check(
        dst,
        End::Destination,
        connection.region.as_deref(),
        connection,
    )
}

/// One bucket (`s3cp uploads`: the destination's flags).
pub(super) fn check(
    at: &S3Uri,
    end: End,
    region: Option<&str>,
    connection: &Connection,
) -> anyhow::Result<()> {
    let Some(ap) = AccessPoint::parse(&at.bucket) else {
        return Ok(());
    };
    if let (Some(given), Some(arn_region)) = (region, &ap.region)
        && given != arn_region
    {
        bail!(
            "{} {given} contradicts the region of the access point {}, {arn_region}: its \
             requests go to the region in its ARN; leave {} out, or give {arn_region}",
            end.flag(),
            ap.arn(),
            end.flag()
        );
    }
    if connection.path_style {
        bail!(
            "{at} is an access point, reached by its own host name, which --path-style turns \
             off (the SDK refuses path-style addressing for ARNs): leave --path-style out"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::{Command, Mode, command_of};

    const AP: &str = "s3://arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
    const MRAP: &str = "s3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";

    fn refused(args: &[&str]) -> String {
        match command_of(args) {
            Ok(_) => panic!("{args:?} was taken"),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn a_region_flag_that_contradicts_an_arn_is_refused_naming_both() {
        let src = format!("{AP}/k");
        let e = refused(&["--source-region", "eu-west-1", &src, "s3://b/k"]);
        assert!(
            e.contains("--source-region eu-west-1") && e.contains("us-west-2"),
            "{e}"
        );
        let dst = format!("{AP}/out/");
        let e = refused(&["--region", "eu-west-1", "-r", "s3://b/in/", &dst]);
        assert!(
            e.contains("--region eu-west-1") && e.contains("us-west-2"),
            "{e}"
        );
        let e = refused(&["--region", "eu-west-1", "uploads", "list", AP]);
        assert!(
            e.contains("--region eu-west-1") && e.contains("us-west-2"),
            "{e}"
        );
    }

    #[test]
    fn region_flags_that_agree_or_name_the_other_end_are_taken() {
        let src = format!("{AP}/k");
        for args in [
            vec!["--source-region", "us-west-2", &src, "s3://b/k"],
            // --region names the destination's region.
            vec!["--region", "eu-west-1", &src, "s3://b/k"],
            vec!["--source-region", "eu-west-1", "s3://b/k", &src],
        ] {
            let Command::Copy(c) = command_of(&args).unwrap() else {
                panic!("a copy")
            };
            assert!(matches!(c.mode, Mode::One(_)), "{args:?}");
        }
        // A Multi-Region Access Point has no region to contradict.
        let mrap = format!("{MRAP}/k");
        assert!(command_of(&["--region", "eu-west-1", "s3://b/k", &mrap]).is_ok());
    }

    #[test]
    fn every_command_takes_an_access_point() {
        let arn = &AP["s3://".len()..];
        let src = format!("{AP}/in/k");
        let Command::Copy(c) = command_of(&["mv", &src, "s3://b/out/"]).unwrap() else {
            panic!("a move")
        };
        let Mode::One(job) = &c.mode else {
            panic!("one object")
        };
        assert!(c.options.moving.is_some());
        assert_eq!(
            (job.src.bucket.as_str(), job.src.key.as_str()),
            (arn, "in/k")
        );
        assert_eq!(job.dst.key, "out/k");
        let (from, to) = (format!("{AP}/in/"), format!("{MRAP}/out/"));
        let Command::Copy(c) = command_of(&["-r", "--skip-same", &from, &to]).unwrap() else {
            panic!("a copy")
        };
        let Mode::Recursive { src, dst, .. } = &c.mode else {
            panic!("-r")
        };
        assert_eq!((src.bucket.as_str(), src.key.as_str()), (arn, "in/"));
        assert_eq!(dst.key, "out/");
        assert!(c.options.skip.is_some());
        for args in [
            vec!["uploads", "list", &from],
            vec!["uploads", "abort", &from, "--older-than", "2h"],
        ] {
            let Command::Uploads(u) = command_of(&args).unwrap() else {
                panic!("uploads")
            };
            assert_eq!((u.at.bucket.as_str(), u.at.key.as_str()), (arn, "in/"));
        }
        // --upload-id needs a key, and says so with the access point's URI.
        let e = refused(&["uploads", "abort", AP, "--upload-id", "u1"]);
        assert!(e.contains(&format!("give s3://{arn}/KEY")), "{e}");
    }

    #[test]
    fn path_style_is_refused_for_an_access_point() {
        let src = format!("{AP}/k");
        let e = refused(&["--path-style", &src, "s3://b/k"]);
        assert!(e.contains("leave --path-style out"), "{e}");
        let e = refused(&["--path-style", "uploads", "list", MRAP]);
        assert!(e.contains("leave --path-style out"), "{e}");
    }
}
