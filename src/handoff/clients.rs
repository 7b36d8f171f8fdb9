//! The S3 Control client and account of a job (stand-in until the
//! watcher's branch lands with the full version).

use crate::client::RequestCounter;
use crate::config::Connection;

#[derive(Debug, Clone)]
pub struct JobClients {
    pub control: aws_sdk_s3control::Client,
    pub account_id: String,
}

pub async fn job_clients(
    connection: &Connection,
    _counter: &RequestCounter,
    region: Option<&str>,
) -> anyhow::Result<JobClients> {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(profile) = &connection.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = region.map(str::to_owned).or(connection.region.clone()) {
        loader = loader.region(aws_config::Region::new(region));
    }
    let sdk = loader.load().await;
    let account_id = match &connection.account_id {
        Some(id) => id.clone(),
        None => crate::batchops::control::account_id(&sdk).await?,
    };
    Ok(JobClients {
        control: crate::batchops::control::control_client(&sdk),
        account_id,
    })
}
