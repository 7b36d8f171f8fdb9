//! `s3cp -r SRC DST --batch` (and `--from-file`): the bulk copy handed to
//! one S3 Batch Operations job.
//!
//! 1. The listing (or manifest) is filtered and `--skip-*` decided as for
//!    any bulk run ([`Engine::sized_unless_skipped`]); each object left is
//!    a line of the job's manifest, written to a temporary file as the
//!    listing streams (memory flat), or, above the multipart threshold
//!    (5 GiB at most: a job copies with CopyObject), kept for s3cp to copy
//!    itself. A `--from-file` line that breaks the job's one rule (one
//!    source bucket, one destination bucket, one target prefix) stops the
//!    run before anything is written (exit 2).
//! 2. `--dry-run` stops here: the CreateJob request that would be sent,
//!    and the counts of both sides.
//! 3. The manifest is uploaded under `--batch-reports`
//!    (`PREFIX/s3cp-batch-TOKEN/manifest.csv`), and one job created in
//!    the destination bucket's region with its ETag. Had CreateJob failed,
//!    the manifest is deleted again (s3cp's own object); a refusal for
//!    want of a permission names it ([`crate::batchops::permissions`]).
//! 4. The local remainder is copied by the bulk runner while the job is
//!    watched to its end ([`super::watch`]); one summary says both.

use std::io::BufWriter;
use std::time::Instant;

use futures::{Stream, StreamExt};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::watch::{self, Watcher};
use crate::batch::Batch;
use crate::batchops::job::{self, JobParams, ManifestObject};
use crate::batchops::manifest::{ManifestError, ManifestWriter, Side, Summary as Split, Totals};
use crate::batchops::mapping::{ManifestRule, Target};
use crate::batchops::permissions;
use crate::client::RequestCounter;
use crate::config::{BatchRun, Config, Mode};
use crate::copy::{Engine, Sized};
use crate::error::{Exit, Failure, S3Error};
use crate::progress::{ProgressMode, human_size};
use crate::region::Router;
use crate::report::{CopyLine, Printer, SCHEMA, Status, Summary};
use crate::select::{Item, Selected};

/// The job's priority (CreateJob requires one; higher runs first).
const PRIORITY: i32 = 10;
/// Objects whose skip decision or size is asked at once.
const SIZING: usize = 64;

/// The `"type": "batch"` line: the job created.
#[derive(Debug, Serialize)]
struct JobLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    job_id: &'a str,
    status: &'a str,
    objects: u64,
    bytes: u64,
    region: &'a str,
    manifest: String,
}

/// The `"type": "batch_plan"` line of `--dry-run --batch`.
#[derive(Debug, Serialize)]
struct PlanLine {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    create_job: serde_json::Value,
    job: Counts,
    local: Counts,
}

#[derive(Debug, Serialize)]
struct Counts {
    objects: u64,
    bytes: u64,
}

impl From<Totals> for Counts {
    fn from(t: Totals) -> Self {
        Counts {
            objects: t.objects,
            bytes: t.bytes,
        }
    }
}

/// Everything the run needs besides its items.
#[derive(Debug)]
pub struct HandOff<'a> {
    pub engine: &'a Engine<'a>,
    pub config: &'a Config,
    pub batch: &'a BatchRun,
    pub printer: Printer,
    pub progress: ProgressMode,
    pub counter: &'a RequestCounter,
    /// What a run that selects no object looked at (said as a warning, or
    /// an error with `--require-objects`).
    pub nothing: String,
}

/// What the listing left for the job and for s3cp.
struct Listed {
    manifest: tempfile::NamedTempFile,
    split: Split,
    local: Vec<Item>,
    target: Option<Target>,
    source_bucket: Option<String>,
    /// Lines printed so far (skipped, failed), counted.
    summary: Summary,
}

impl HandOff<'_> {
    /// Runs the whole hand-off; the exit code of the run.
    pub async fn run(
        &self,
        items: impl Stream<Item = Selected>,
        cancel: &CancellationToken,
    ) -> Exit {
        let started = Instant::now();
        let printer = Printer {
            bulk: true,
            ..self.printer
        };
        printer.settings(&self.config.options, self.config.output.dry_run);
        // An option a job cannot carry stops the run before the listing.
        let placeholder = Target {
            bucket: "bucket".to_owned(),
            key_prefix: None,
        };
        let target = self.batch.target.as_ref().unwrap_or(&placeholder);
        if let Err(e) = job::operation(&self.config.options, target, "aws") {
            return usage(printer, anyhow::Error::new(e));
        }
        let listed = match self.list(items, printer, cancel).await {
            Ok(listed) => listed,
            Err(exit) => return exit,
        };
        if cancel.is_cancelled() {
            return self.interrupted(printer, listed.summary, started);
        }
        if let Some(cause) = self.engine.stop.cause() {
            printer.stop_line(cause, 0, self.engine.stop.unshown());
            let mut summary = listed.summary;
            self.print_summary(printer, &mut summary, started);
            return Exit::CopyFailed;
        }
        self.after_listing(listed, printer, started, cancel).await
    }

    /// The listing into the manifest file and the local remainder.
    async fn list(
        &self,
        items: impl Stream<Item = Selected>,
        printer: Printer,
        cancel: &CancellationToken,
    ) -> Result<Listed, Exit> {
        let (engine, opts) = (self.engine, &self.config.options);
        let dry_run = self.config.output.dry_run;
        let file = tempfile::NamedTempFile::new().map_err(|e| {
            failed(
                printer,
                anyhow::anyhow!("cannot write the job's manifest to a temporary file: {e}"),
            )
        })?;
        let out = BufWriter::new(file.reopen().map_err(|e| {
            failed(
                printer,
                anyhow::anyhow!("cannot reopen the manifest file: {e}"),
            )
        })?);
        let mut writer = ManifestWriter::new(out, self.config.limits.threshold);
        let mut rule = ManifestRule::default();
        let mut local = Vec::new();
        let mut summary = Summary::new();
        let manifest_mode = matches!(self.config.mode, Mode::Manifest(_));
        // A --from-file line that breaks the job's one rule stops the run
        // as it is read, before its object is looked at.
        let refused = std::cell::RefCell::new(None);
        let mut line = 0usize;
        let rule_ref = &mut rule;
        let mut sized = Box::pin(
            items
                .map(|selected| {
                    if let (true, Selected::Copy(item)) = (manifest_mode, &selected) {
                        line += 1;
                        if let Err(e) = rule_ref.check(line, &item.job) {
                            *refused.borrow_mut() = Some(e);
                        }
                    }
                    selected
                })
                .take_while(|_| {
                    std::future::ready(refused.borrow().is_none() && !cancel.is_cancelled())
                })
                .map(|selected| async move {
                    let sized = match &selected {
                        Selected::Copy(item) => Some(
                            engine
                                .sized_unless_skipped(
                                    &item.job,
                                    item.listed.as_ref(),
                                    &item.existing,
                                    opts,
                                )
                                .await,
                        ),
                        _ => None,
                    };
                    (selected, sized)
                })
                .buffered(SIZING),
        );
        while let Some((selected, sized)) = sized.next().await {
            let item = match selected {
                Selected::Excluded(n) => {
                    summary.excluded += n;
                    continue;
                }
                Selected::Bad(bad) => {
                    crate::batch::report_bad(printer, opts, dry_run, &bad);
                    summary.count(Status::Failed, 0, None);
                    continue;
                }
                Selected::Copy(item) => item,
            };
            let size = match sized.expect("sized for every copy") {
                Ok(Sized::Skipped(skipped)) => {
                    printer.object(&CopyLine::skipped(&item.job, opts, &skipped, dry_run), None);
                    summary.count(Status::Skipped, 0, None);
                    continue;
                }
                Ok(Sized::Size { size, .. }) => size,
                Err(e) => {
                    let failure = Failure::from_copy_error(e);
                    let shown =
                        CopyLine::failed(&item.job, opts, Status::Failed, &failure, dry_run);
                    printer.object(&shown, Some(&failure));
                    summary.count(Status::Failed, 0, None);
                    continue;
                }
            };
            let src = &item.job.src;
            match writer.add(&src.bucket, &src.key, src.version_id.as_deref(), size) {
                Ok(Side::Job) => {}
                Ok(Side::Local) => local.push(item),
                Err(e) => return Err(manifest_failed(printer, e)),
            }
        }
        drop(sized);
        if let Some(e) = refused.borrow_mut().take() {
            return Err(usage_exit(printer, anyhow::Error::new(e)));
        }
        let (out, split) = writer.finish().map_err(|e| manifest_failed(printer, e))?;
        drop(out);
        let (target, source_bucket) = match &self.config.mode {
            Mode::Recursive { src, .. } => (self.batch.target.clone(), Some(src.bucket.clone())),
            _ => (
                rule.target().cloned(),
                rule.source_bucket().map(str::to_owned),
            ),
        };
        Ok(Listed {
            manifest: file,
            split,
            local,
            target,
            source_bucket,
            summary,
        })
    }

    /// The dry run's plan, or the upload, the job and the local copies.
    async fn after_listing(
        &self,
        listed: Listed,
        printer: Printer,
        started: Instant,
        cancel: &CancellationToken,
    ) -> Exit {
        let Listed {
            manifest,
            split,
            local,
            target,
            source_bucket,
            mut summary,
        } = listed;
        let dry_run = self.config.output.dry_run;
        let Some(target) = target.filter(|_| split.job.objects > 0) else {
            return self
                .without_job(split, local, summary, printer, started, cancel)
                .await;
        };
        // --from-file: the reports prefix must keep out of the job's
        // destination prefix, now that the manifest's first line set it.
        if let Some(prefix) = &target.key_prefix
            && self.batch.reports.bucket == target.bucket
            && self.batch.reports.key.starts_with(&format!("{prefix}/"))
        {
            return usage(
                printer,
                anyhow::anyhow!(
                    "--batch-reports {} lies under the job's destination prefix \
                     s3://{}/{prefix}/: the job's manifest and report would sit among the \
                     copies; give a prefix outside it (nothing was written)",
                    self.batch.reports,
                    target.bucket
                ),
            );
        }
        let region = match self.bucket_region(&target.bucket).await {
            Ok(region) => region,
            Err(e) => return failed(printer, e),
        };
        if cancel.is_cancelled() {
            return self.interrupted(printer, summary, started);
        }
        let partition = job::partition(&region);
        let op = match job::operation(&self.config.options, &target, partition) {
            Ok(op) => op,
            Err(e) => return usage(printer, anyhow::Error::new(e)),
        };
        let token = format!("{:032x}", rand_token());
        let reports = &self.batch.reports;
        let manifest_key = format!("{}s3cp-batch-{token}/manifest.csv", reports.key);
        let params = |account_id: String, etag: &str, version_id: Option<String>| JobParams {
            account_id,
            role_arn: self.batch.role_arn.clone(),
            partition,
            manifest: ManifestObject {
                bucket: reports.bucket.clone(),
                key: manifest_key.clone(),
                etag: etag.to_owned(),
                version_id,
                versioned: split.versioned,
            },
            reports: reports.clone(),
            confirm: self.batch.confirm,
            token: token.clone(),
            priority: PRIORITY,
            description: self.description(source_bucket.as_deref(), &target),
        };
        if dry_run {
            let account = self
                .config
                .connection
                .account_id
                .clone()
                .unwrap_or_else(|| "ACCOUNT_ID (from STS GetCallerIdentity)".to_owned());
            let request = job::request_json(&op, &params(account, "", None), None);
            // A dry run is its own output: shown even with --quiet.
            let loud = printer.loud();
            self.print_plan(loud, request, split);
            // The job's objects are planned too.
            summary.planned += split.job.objects;
            summary.bytes += split.job.bytes;
            let local_summary = self.copy_locally(local, printer, cancel).await;
            merge(&mut summary, &local_summary);
            self.print_summary(printer, &mut summary, started);
            return exit_of(&summary, None);
        }
        // The manifest up, then the job: nothing is left of a job not made.
        let made = self
            .create(manifest, &manifest_key, op, &region, &params, cancel)
            .await;
        let (job_id, clients) = match made {
            Ok(made) => made,
            Err(Created::Failed(e)) => return failed(printer, e),
            Err(Created::Refused(e)) => return usage(printer, e),
            Err(Created::Interrupted) => {
                return self.interrupted(printer, summary, started);
            }
        };
        let manifest_uri = format!("s3://{}/{manifest_key}", reports.bucket);
        let status = match self.batch.confirm {
            true => "Suspended",
            false => "New",
        };
        // Said even with --quiet: the job's id is what every later command
        // needs.
        let loud = printer.loud();
        self.print_job(loud, &job_id, status, split.job, &region, &manifest_uri);
        let again = self.again(&job_id, &region, &clients.account_id);
        if self.batch.confirm {
            let hint = watch::confirm_hint(&clients.account_id, &job_id, Some(&region));
            loud.note(&format!("{hint}; {again}"));
        }
        summary.job_id = Some(job_id.clone());
        let context = JobContext {
            job_id: &job_id,
            region: &region,
            split,
            clients: &clients,
        };
        self.copy_and_watch(context, local, summary, printer, started, cancel)
            .await
    }

    /// Nothing for a job (all skipped, or all above the threshold, or
    /// nothing selected): a plain bulk run of what is left.
    async fn without_job(
        &self,
        split: Split,
        local: Vec<Item>,
        mut summary: Summary,
        printer: Printer,
        started: Instant,
        cancel: &CancellationToken,
    ) -> Exit {
        let selected = summary.skipped + summary.failed + split.local.objects;
        if selected == 0 && !summary.interrupted {
            let required = self.config.bulk.require_objects;
            match required {
                true => printer.run_failure(&Failure::Copy(anyhow::anyhow!(
                    "{} (--require-objects): no job was created",
                    self.nothing
                ))),
                false => printer.warning(&format!("{}: no job was created", self.nothing)),
            }
            self.print_summary(printer, &mut summary, started);
            return match required {
                true => Exit::CopyFailed,
                false => Exit::Copied,
            };
        }
        if split.job.objects == 0 && !local.is_empty() {
            printer.warning(
                "every object selected is above the multipart threshold: no job is created",
            );
        }
        let local_summary = self.copy_locally(local, printer, cancel).await;
        merge(&mut summary, &local_summary);
        self.print_summary(printer, &mut summary, started);
        exit_of(&summary, None)
    }

    /// Uploads the manifest and creates the job: its id and clients. The
    /// manifest is deleted again if no job is made (and Ctrl-C before
    /// CreateJob makes none).
    async fn create(
        &self,
        manifest: tempfile::NamedTempFile,
        manifest_key: &str,
        op: aws_sdk_s3control::types::S3CopyObjectOperation,
        region: &str,
        params: &dyn Fn(String, &str, Option<String>) -> JobParams,
        cancel: &CancellationToken,
    ) -> Result<(String, super::clients::JobClients), Created> {
        let (etag, version_id) = match self
            .upload_manifest(manifest.path(), manifest_key, cancel)
            .await
        {
            Ok(uploaded) => uploaded,
            Err(_) if cancel.is_cancelled() => return Err(Created::Interrupted),
            Err(e) => return Err(Created::Failed(e)),
        };
        drop(manifest);
        let undo = |why: Created| async move {
            self.delete_manifest(manifest_key).await;
            Err(why)
        };
        if cancel.is_cancelled() {
            return undo(Created::Interrupted).await;
        }
        let clients =
            match super::clients::job_clients(&self.config.connection, self.counter, Some(region))
                .await
            {
                Ok(clients) => clients,
                Err(e) => return undo(Created::Failed(e)).await,
            };
        if cancel.is_cancelled() {
            return undo(Created::Interrupted).await;
        }
        let p = params(clients.account_id.clone(), &etag, version_id);
        let created = match job::create_job(&clients.control, op, &p) {
            Ok(request) => request.send().await,
            Err(e) => return undo(Created::Refused(anyhow::Error::new(e))).await,
        };
        match created {
            Ok(out) => Ok((out.job_id.unwrap_or_default(), clients)),
            Err(e) => {
                let status = e.raw_response().map(|r| r.status().as_u16());
                let service = e.as_service_error();
                let (code, message) = (
                    service.and_then(|s| aws_sdk_s3::error::ProvideErrorMetadata::code(s)),
                    service.and_then(|s| aws_sdk_s3::error::ProvideErrorMetadata::message(s)),
                );
                let denied =
                    permissions::create_job_denied(code, message, status, &self.batch.role_arn);
                let error = anyhow::Error::new(S3Error::from_sdk("CreateJob", &e));
                let error = match denied {
                    Some(why) => error.context(why),
                    None => error.context(format!(
                        "S3 Batch Operations did not create the job (in {region}); the \
                         manifest s3cp uploaded was deleted"
                    )),
                };
                undo(Created::Failed(error)).await
            }
        }
    }

    /// What watches the job again, or cancels it, from anywhere: its
    /// region and account named.
    fn again(&self, job_id: &str, region: &str, account_id: &str) -> String {
        let flags = format!("--region {region} --account-id {account_id}");
        format!(
            "s3cp {flags} batch wait {job_id} watches it, s3cp {flags} batch status {job_id} \
             shows it, s3cp {flags} batch cancel {job_id} cancels it"
        )
    }

    /// Ctrl-C before a job was made: nothing uploaded is left; the
    /// summary, exit 130.
    fn interrupted(&self, printer: Printer, mut summary: Summary, started: Instant) -> Exit {
        printer.warning("interrupted: no job was created, and nothing uploaded is left");
        summary.interrupted = true;
        self.print_summary(printer, &mut summary, started);
        Exit::Interrupted
    }

    /// The job's description: what it copies, as s3cp was asked.
    fn description(&self, source_bucket: Option<&str>, target: &Target) -> String {
        let dst = match &target.key_prefix {
            Some(p) => format!("s3://{}/{p}/", target.bucket),
            None => format!("s3://{}/", target.bucket),
        };
        match (&self.config.mode, source_bucket) {
            (Mode::Recursive { src, dst, .. }, _) => format!("s3cp -r {src} {dst}"),
            (_, Some(bucket)) => format!("s3cp --from-file (s3://{bucket}/ to {dst})"),
            _ => format!("s3cp --from-file (to {dst})"),
        }
    }

    /// `--dry-run --batch`: the request and both sides' counts.
    fn print_plan(&self, printer: Printer, request: serde_json::Value, split: Split) {
        if printer.json {
            printer.json_line(&PlanLine {
                kind: "batch_plan",
                schema: SCHEMA,
                create_job: request,
                job: split.job.into(),
                local: split.local.into(),
            });
            return;
        }
        let pretty = serde_json::to_string_pretty(&request).expect("serializable");
        printer.human(&format!(
            "dry run: would upload the manifest and create this job ({} object{}, {}); \
             {} object{} ({}) above the multipart threshold would be copied by s3cp:\n{pretty}",
            split.job.objects,
            plural(split.job.objects),
            human_size(split.job.bytes),
            split.local.objects,
            plural(split.local.objects),
            human_size(split.local.bytes),
        ));
    }

    /// A bucket's region (the destination's: where the job is created;
    /// the reports bucket's: where the manifest goes): given, learned, or
    /// asked with one HeadBucket through the router, which learns it from
    /// S3's redirect. A bucket S3 says is not there stops the run before
    /// anything is written (a job would fail every task, each one billed).
    async fn bucket_region(&self, bucket: &str) -> anyhow::Result<String> {
        let regions = self.engine.regions;
        if !regions.is_known(bucket) {
            let router = Router::new(regions, self.engine.budget);
            let answer = router
                .send_to(bucket, |c| c.head_bucket().bucket(bucket).send())
                .await;
            if let Err(e) = &answer
                && e.raw_response().is_some_and(|r| r.status().as_u16() == 404)
            {
                anyhow::bail!(
                    "the bucket {bucket} does not exist (HeadBucket: 404), so a job could copy \
                     nothing there: check its name (nothing was written)"
                );
            }
        }
        Ok(regions.region_of(bucket))
    }

    /// The objects above the threshold, copied by s3cp with the bulk
    /// runner (a dry run plans them).
    async fn copy_locally(
        &self,
        local: Vec<Item>,
        printer: Printer,
        cancel: &CancellationToken,
    ) -> Summary {
        if local.is_empty() {
            return Summary::new();
        }
        let run = Batch {
            engine: self.engine,
            opts: &self.config.options,
            bulk: self.config.bulk,
            dry_run: self.config.output.dry_run,
            printer,
            progress: self.progress,
            progress_interval: self.config.output.progress_interval,
        };
        run.run(
            futures::stream::iter(local.into_iter().map(Selected::Copy)),
            cancel,
        )
        .await
    }

    /// The summary with the run's requests, in-flight limit and duration
    /// filled in, printed.
    fn print_summary(&self, printer: Printer, summary: &mut Summary, started: Instant) {
        (summary.requests, summary.retries) = self.counter.counts();
        summary.concurrency = self.engine.budget.limit();
        summary.duration_ms = started.elapsed().as_millis() as u64;
        printer.summary(summary);
    }

    /// Uploads the manifest file, in its bucket's region; its ETag and
    /// version id.
    async fn upload_manifest(
        &self,
        path: &std::path::Path,
        key: &str,
        cancel: &CancellationToken,
    ) -> anyhow::Result<super::upload::Uploaded> {
        let bucket = &self.batch.reports.bucket;
        self.bucket_region(bucket).await?;
        let client = self.engine.regions.client_for(bucket);
        super::upload::Upload {
            client: &client,
            bucket,
            key,
            limits: self.config.limits,
            cancel,
        }
        .send(path)
        .await
    }
}

/// Why no job was made.
enum Created {
    /// A request failed (exit 1).
    Failed(anyhow::Error),
    /// The request could not be built from what was asked (exit 2).
    Refused(anyhow::Error),
    /// Ctrl-C (exit 130).
    Interrupted,
}

/// The job once created, for the rest of the run.
struct JobContext<'a> {
    job_id: &'a str,
    region: &'a str,
    split: Split,
    clients: &'a super::clients::JobClients,
}

impl HandOff<'_> {
    /// The `"type": "batch"` line (or its human form).
    fn print_job(
        &self,
        printer: Printer,
        job_id: &str,
        status: &str,
        job: Totals,
        region: &str,
        manifest: &str,
    ) {
        if printer.json {
            printer.json_line(&JobLine {
                kind: "batch",
                schema: SCHEMA,
                job_id,
                status,
                objects: job.objects,
                bytes: job.bytes,
                region,
                manifest: manifest.to_owned(),
            });
        } else {
            printer.human(&format!(
                "batch: job {job_id} created in {region} to copy {} object{} ({}); manifest {manifest}",
                job.objects,
                plural(job.objects),
                human_size(job.bytes)
            ));
        }
    }

    /// Deletes the manifest s3cp uploaded for a job that was not made.
    async fn delete_manifest(&self, key: &str) {
        let bucket = &self.batch.reports.bucket;
        let client = self.engine.regions.client_for(bucket);
        if let Err(e) = client.delete_object().bucket(bucket).key(key).send().await {
            tracing::warn!(
                "could not delete the manifest s3cp uploaded, s3://{bucket}/{key}: {}",
                S3Error::from_sdk("DeleteObject", &e)
            );
        }
    }

    /// The local remainder copied while the job is watched; the summary
    /// of both, and the exit.
    async fn copy_and_watch(
        &self,
        job: JobContext<'_>,
        local: Vec<Item>,
        mut summary: Summary,
        printer: Printer,
        started: Instant,
        cancel: &CancellationToken,
    ) -> Exit {
        let copies = self.copy_locally(local, printer, cancel);
        let watcher = Watcher {
            control: &job.clients.control,
            account_id: &job.clients.account_id,
            s3: self.engine.regions,
            printer,
            progress: self.progress,
            interval: self.config.output.progress_interval,
            stop_at_confirmation: true,
        };
        let watching = async {
            match self.batch.wait {
                true => Some(watcher.watch(job.job_id, cancel).await),
                false => None,
            }
        };
        let (local_summary, watched) = tokio::join!(copies, watching);
        merge(&mut summary, &local_summary);
        let status = match &watched {
            Some(Ok(ended)) => {
                ended.add_to(&mut summary);
                // A job that failed before it read its manifest counts no
                // task: its objects, as listed, were not attempted.
                if matches!(ended.status.as_str(), "Failed" | "Cancelled") {
                    summary.not_attempted += job.split.job.objects.saturating_sub(ended.total);
                }
                // A job reports no bytes: its objects' as listed, once
                // every task succeeded.
                if ended.failed == 0 && ended.status == "Complete" {
                    summary.bytes += job.split.job.bytes;
                }
                ended.status.clone()
            }
            Some(Err(e)) => {
                printer.run_failure(&Failure::Copy(anyhow::anyhow!(
                    "cannot watch job {}: {e:#}",
                    job.job_id
                )));
                summary.failed += 1;
                "Unknown".to_owned()
            }
            None => match self.batch.confirm {
                true => "Suspended".to_owned(),
                false => "New".to_owned(),
            },
        };
        let again = self.again(job.job_id, job.region, &job.clients.account_id);
        if summary.interrupted {
            printer.warning(&format!(
                "stopped watching job {}; it goes on in S3: {again}",
                job.job_id
            ));
        } else if !self.batch.wait && !self.batch.confirm {
            // Said even with --quiet: the way back to the job.
            let loud = printer.loud();
            loud.note(&format!("job {} runs without s3cp: {again}", job.job_id));
        }
        summary.job_id = Some(job.job_id.to_owned());
        summary.job_status = Some(status.clone()).filter(|s| !s.is_empty());
        self.print_summary(printer, &mut summary, started);
        exit_of(&summary, Some(&status))
    }
}

/// A run that failed before the job (exit 1).
fn failed(printer: Printer, e: anyhow::Error) -> Exit {
    let failure = Failure::Copy(e);
    printer.run_failure(&failure);
    failure.exit()
}

/// A token for CreateJob's idempotency and the manifest's name: random per
/// run, the same for the SDK's retries of the request.
fn rand_token() -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let mut high = std::collections::hash_map::RandomState::new().build_hasher();
    high.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    let mut low = std::collections::hash_map::RandomState::new().build_hasher();
    low.write_u32(std::process::id());
    (u128::from(high.finish()) << 64) | u128::from(low.finish())
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Adds the local copies' counts to the run's.
fn merge(into: &mut Summary, local: &Summary) {
    into.copied += local.copied;
    into.planned += local.planned;
    into.skipped += local.skipped;
    into.failed += local.failed;
    into.not_attempted += local.not_attempted;
    into.excluded += local.excluded;
    into.verified += local.verified;
    into.unverified += local.unverified;
    into.bytes += local.bytes;
    into.possible_strays += local.possible_strays;
    into.uncompared += local.uncompared;
    into.interrupted |= local.interrupted;
}

/// The run's exit: 130 if interrupted, 1 if anything failed (or the job
/// did not complete), else 0.
fn exit_of(summary: &Summary, job_status: Option<&str>) -> Exit {
    let job_failed = job_status.is_some_and(|s| s == "Failed" || s == "Cancelled");
    if summary.interrupted {
        Exit::Interrupted
    } else if summary.failed > 0 || summary.not_attempted > 0 || job_failed {
        Exit::CopyFailed
    } else {
        Exit::Copied
    }
}

/// An object the manifest cannot hold (exit 2), or the manifest file
/// that cannot be written (exit 1, the disk's fault, not the input's).
fn manifest_failed(printer: Printer, e: ManifestError) -> Exit {
    match e {
        ManifestError::Io(_) => failed(printer, anyhow::Error::new(e)),
        _ => usage_exit(printer, anyhow::Error::new(e)),
    }
}

/// A usage error of the run (exit 2): nothing was written.
fn usage(printer: Printer, e: anyhow::Error) -> Exit {
    usage_exit(printer, e)
}

fn usage_exit(printer: Printer, e: anyhow::Error) -> Exit {
    let failure = Failure::Usage(e);
    printer.run_failure(&failure);
    failure.exit()
}
