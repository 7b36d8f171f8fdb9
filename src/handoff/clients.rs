//! The clients of a Batch Operations job besides S3's: S3 Control (the job
//! API) and the account id it needs, built from the same configuration
//! chain as the S3 client ([`crate::client::load_sdk`]: `--profile`, the
//! region, the retries) but without `--endpoint-url`, which is S3's
//! alone. S3 Control's and STS's endpoints come the standard way
//! (`AWS_ENDPOINT_URL_S3_CONTROL`, `AWS_ENDPOINT_URL_STS`, a profile's
//! `services` section), as the SDK reads them; a custom S3 Control
//! endpoint is kept as given ([`crate::batchops::control::KeepCustomHost`]).
//!
//! Both count their requests in the run's [`RequestCounter`], so that the
//! polls of a long job show in the summary's `requests`.

use crate::batchops::control;
use crate::client::{self, RequestCounter};
use crate::config::Connection;

/// S3 Control's client and the account its requests name.
#[derive(Debug, Clone)]
pub struct JobClients {
    pub control: aws_sdk_s3control::Client,
    /// `--account-id`, else the account of the credentials (STS).
    pub account_id: String,
}

/// The S3 Control client in `region` (the job's: the destination bucket's;
/// `None`: `--region`, else the environment's or the profile's), counting
/// into `counter`, and the account id: `--account-id`, else STS
/// GetCallerIdentity (one request, which needs no permission).
pub async fn job_clients(
    connection: &Connection,
    counter: &RequestCounter,
    region: Option<&str>,
) -> anyhow::Result<JobClients> {
    let sdk = client::load_sdk(connection, region, false).await;
    let retry = client::retry_config(connection, &sdk);
    let sdk = sdk.into_builder().retry_config(retry).build();
    let base = control::control_client(&sdk);
    let control = aws_sdk_s3control::Client::from_conf(
        base.config()
            .to_builder()
            .interceptor(counter.clone())
            .build(),
    );
    let account_id = match &connection.account_id {
        Some(id) => id.clone(),
        None => {
            let sts = aws_sdk_sts::config::Builder::from(&sdk)
                .interceptor(counter.clone())
                .build();
            control::account_id_from(&aws_sdk_sts::Client::from_conf(sts)).await?
        }
    };
    Ok(JobClients {
        control,
        account_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connection() -> Connection {
        Connection {
            region: Some("eu-west-1".into()),
            endpoint_url: Some("http://127.0.0.1:1".into()),
            account_id: Some("123456789012".into()),
            max_attempts: Some(7),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn the_account_flag_spares_sts_and_the_jobs_region_and_retries_apply() {
        let counter = RequestCounter::default();
        let got = job_clients(&connection(), &counter, Some("us-west-2"))
            .await
            .expect("no request is needed");
        assert_eq!(got.account_id, "123456789012");
        assert_eq!(counter.counts(), (0, 0), "STS was not asked");
        let conf = got.control.config();
        assert_eq!(conf.region().map(|r| r.as_ref()), Some("us-west-2"));
        assert_eq!(conf.retry_config().map(|r| r.max_attempts()), Some(7));
        let flag = job_clients(&connection(), &counter, None).await.unwrap();
        let region = flag.control.config().region().map(|r| r.to_string());
        assert_eq!(region.as_deref(), Some("eu-west-1"), "--region's");
    }

    #[tokio::test]
    async fn endpoint_url_is_s3s_alone() {
        let with = client::load_sdk(&connection(), None, true).await;
        assert_eq!(with.endpoint_url(), Some("http://127.0.0.1:1"));
        let without = client::load_sdk(&connection(), None, false).await;
        assert_eq!(
            without.endpoint_url(),
            std::env::var("AWS_ENDPOINT_URL").ok().as_deref(),
            "only the environment's generic one, as the SDK reads it"
        );
    }
}
