//! Execution of one object copy: HEAD the source, plan, then either one
//! CopyObject ([`single`]) or a parallel multipart copy ([`multipart`]).
//! Every request is built by [`crate::request`]; progress goes to the
//! [`Progress`] port; `shutdown` (Ctrl-C) is passed in so tests can fire it.

mod multipart;
mod single;

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context;
use aws_sdk_s3::Client;

use crate::config::CopyJob;
use crate::error::s3;
use crate::plan::{self, Limits, Method};
use crate::progress::Progress;
use crate::request::{self, SourceObject};

/// The copy was stopped by the user (Ctrl-C); anything started was undone.
#[derive(Debug, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// What a finished copy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub size: u64,
    pub method: Method,
    /// The destination's ETag (a multipart ETag ends in `-N`).
    pub etag: Option<String>,
    /// The destination's new version id (absent without versioning).
    pub version_id: Option<String>,
    /// The source version that was copied.
    pub source_version_id: Option<String>,
    pub duration: Duration,
}

/// Engine settings that are the same for every object.
#[derive(Debug, Clone, Copy)]
pub struct Engine<'a> {
    pub client: &'a Client,
    pub limits: Limits,
    /// UploadPartCopy requests in flight.
    pub concurrency: usize,
}

impl Engine<'_> {
    /// Copies one object. `shutdown` resolving means Ctrl-C: a multipart
    /// copy in flight is aborted and [`Interrupted`] returned.
    pub async fn copy(
        &self,
        job: &CopyJob,
        progress: &dyn Progress,
        shutdown: impl Future<Output = ()>,
    ) -> anyhow::Result<Copied> {
        let started = Instant::now();
        let head = request::head_source(self.client, &job.src)
            .send()
            .await
            .map_err(s3("HeadObject"))
            .with_context(|| format!("cannot read the source {}", job.src))?;
        let source = SourceObject::from_head(&head);
        let method = plan::plan(source.size, self.limits)?;
        tracing::info!(
            "{} is {} bytes (ETag {}, version {}): {method}",
            job.src,
            source.size,
            source.etag,
            source.version_id.as_deref().unwrap_or("none")
        );
        let mut copied = match method {
            Method::Single => single::copy(self.client, job, &source).await?,
            Method::Multipart { part_size, .. } => {
                multipart::copy(self, job, &source, part_size, progress, shutdown).await?
            }
        };
        copied.duration = started.elapsed();
        Ok(copied)
    }
}
