//! Builds the S3 client from the standard AWS configuration chain plus the
//! connection flags. Credentials are never read or printed by s3cp itself.

use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileRegionProvider;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::config::{RequestChecksumCalculation, ResponseChecksumValidation};

use crate::config::Connection;

/// The region used when neither the flags, the environment nor the profile
/// name one (aws-cli does the same for S3).
const FALLBACK_REGION: &str = "us-east-1";

pub async fn build(conn: &Connection) -> aws_sdk_s3::Client {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(profile) = &conn.profile {
        loader = loader.profile_name(profile);
    }
    // The flag, then AWS_REGION / AWS_DEFAULT_REGION, then the profile, then
    // us-east-1. Unlike the SDK's default chain this never asks the EC2
    // instance metadata service, which off EC2 costs a timeout and a warning
    // on every run.
    let mut profile_region = ProfileFileRegionProvider::builder();
    if let Some(profile) = &conn.profile {
        profile_region = profile_region.profile_name(profile);
    }
    loader = loader.region(
        RegionProviderChain::first_try(conn.region.clone().map(Region::new))
            .or_else(EnvironmentVariableRegionProvider::new())
            .or_else(profile_region.build())
            .or_else(Region::from_static(FALLBACK_REGION)),
    );
    if let Some(url) = &conn.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let sdk = loader.load().await;
    let mut s3 = aws_sdk_s3::config::Builder::from(&sdk)
        // Copy requests carry no body to checksum; `WhenRequired` keeps the
        // SDK from adding CRC32 headers that some S3-compatible stores
        // reject (S3-COPY-NOTES.md, "SDK configuration facts").
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
    if conn.path_style {
        s3 = s3.force_path_style(true);
    }
    aws_sdk_s3::Client::from_conf(s3.build())
}
