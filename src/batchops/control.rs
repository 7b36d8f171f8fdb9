//! The clients a Batch Operations run needs besides S3's: S3 Control
//! (CreateJob, DescribeJob, UpdateJobStatus) and STS (the account id,
//! unless `--account-id` gives it). Both take their endpoints the standard
//! way (`AWS_ENDPOINT_URL_S3_CONTROL`, `AWS_ENDPOINT_URL_STS`, a profile's
//! `services` section): `--endpoint-url` is S3's alone, so the
//! configuration they are built from must be loaded without it.
//!
//! On AWS, S3 Control's endpoint rules put the account id in front of the
//! host (`ACCOUNT.s3-control.REGION.amazonaws.com`), and they do the same
//! to a custom endpoint (`ACCOUNT.localhost:PORT`), which then cannot be
//! reached. [`KeepCustomHost`] keeps AWS's rules for AWS and a custom
//! endpoint as it is given, with the account id in the `x-amz-account-id`
//! header that every job request carries anyway, so that a local double
//! (the emulator's) is reachable.

use aws_sdk_s3control::config::endpoint::{
    DefaultResolver, EndpointFuture, Params, ResolveEndpoint,
};

/// S3 Control's endpoint rules, except that a custom endpoint is used as
/// given (the rules would prefix the account id to its host). The signing
/// (`s3`, the region), headers and properties are the rules' own in both
/// cases.
#[derive(Debug, Default)]
pub struct KeepCustomHost {
    rules: DefaultResolver,
}

impl ResolveEndpoint for KeepCustomHost {
    fn resolve_endpoint<'a>(&'a self, params: &'a Params) -> EndpointFuture<'a> {
        EndpointFuture::new(async move {
            let resolved = self.rules.resolve_endpoint(params).await?;
            let Some(custom) = params.endpoint() else {
                return Ok(resolved);
            };
            Ok(resolved.into_builder().url(custom.to_owned()).build())
        })
    }
}

/// The S3 Control client of `sdk` (loaded without `--endpoint-url`), with
/// [`KeepCustomHost`].
pub fn control_client(sdk: &aws_config::SdkConfig) -> aws_sdk_s3control::Client {
    let config = aws_sdk_s3control::config::Builder::from(sdk)
        .endpoint_resolver(KeepCustomHost::default())
        .build();
    aws_sdk_s3control::Client::from_conf(config)
}

/// The account of the credentials of `sdk`, as STS's GetCallerIdentity
/// says it (what a job's `x-amz-account-id` must be, unless
/// `--account-id` gives it).
pub async fn account_id(sdk: &aws_config::SdkConfig) -> anyhow::Result<String> {
    account_id_from(&aws_sdk_sts::Client::new(sdk)).await
}

/// [`account_id`], asked through `sts` (a client the caller configured:
/// with its request counter, say).
pub async fn account_id_from(sts: &aws_sdk_sts::Client) -> anyhow::Result<String> {
    let me = sts.get_caller_identity().send().await.map_err(|e| {
        anyhow::Error::new(crate::error::S3Error::from_sdk("GetCallerIdentity", &e)).context(
            "cannot tell the account of these credentials (STS GetCallerIdentity, which \
             needs no permission; a custom STS endpoint is AWS_ENDPOINT_URL_STS); give \
             --account-id to name it",
        )
    })?;
    me.account()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("STS GetCallerIdentity named no account: give --account-id"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3control::config::endpoint::Endpoint;

    fn params(endpoint: Option<&str>) -> Params {
        Params::builder()
            .region("us-west-2")
            .account_id("123456789012")
            .requires_account_id(true)
            .set_endpoint(endpoint.map(str::to_owned))
            .build()
            .expect("params")
    }

    /// The signing name and region of the endpoint's auth schemes.
    fn signing(endpoint: &Endpoint) -> String {
        format!("{:?}", endpoint.auth_schemes())
    }

    #[tokio::test]
    async fn on_aws_the_account_id_goes_in_front_of_the_host() {
        let endpoint = KeepCustomHost::default()
            .resolve_endpoint(&params(None))
            .await
            .expect("resolved");
        assert_eq!(
            endpoint.url(),
            "https://123456789012.s3-control.us-west-2.amazonaws.com"
        );
        let signing = signing(&endpoint);
        assert!(
            signing.contains("us-west-2") && signing.contains("\"s3\""),
            "{signing}"
        );
    }

    #[tokio::test]
    async fn a_custom_endpoint_is_kept_as_given_with_the_rules_signing() {
        let given = "http://127.0.0.1:9123";
        let rules = DefaultResolver::new()
            .resolve_endpoint(&params(Some(given)))
            .await
            .expect("resolved");
        // What the rules alone make of it: a host nobody serves.
        assert!(
            rules.url().contains("123456789012.127.0.0.1"),
            "{}",
            rules.url()
        );
        let endpoint = KeepCustomHost::default()
            .resolve_endpoint(&params(Some(given)))
            .await
            .expect("resolved");
        assert_eq!(endpoint.url(), given);
        assert_eq!(signing(&endpoint), signing(&rules));
        assert!(signing(&endpoint).contains("us-west-2"));
    }
}
