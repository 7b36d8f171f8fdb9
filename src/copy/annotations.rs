//! Object annotations across the line. CopyObject copies a source's
//! annotations itself (`x-amz-object-annotation-directive`, COPY by
//! default); a multipart copy or a stream does not, so s3cp reads them
//! (names, then each payload, of the version being copied) before it
//! writes, and writes each after Complete, conditional on the object it
//! just made (`x-amz-object-if-match` its ETag).
//!
//! A store that does not implement annotations must never receive an
//! annotation write: one that ignores the unknown `?annotation` query
//! takes PutObjectAnnotation for a PutObject that overwrites the copy
//! (Garage's router does), and answers a listing with the object's body.
//! So annotations are read from a bucket, and written to one, only once a
//! ListObjectAnnotations there returned a real listing (the document the
//! SDK parses); a 501, an object's body or another document in its place
//! mean the store has none, said with `-v`, and the answer is kept for the
//! run (once per store and bucket). An error that persists after the
//! retries fails the copy rather than drop them. Directory buckets keep
//! none.

use std::collections::HashMap;
use std::sync::Mutex;

use anyhow::Context;
use aws_sdk_s3::config::interceptors::BeforeDeserializationInterceptorContextMut;
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_s3::operation::list_object_annotations::ListObjectAnnotationsOutput;
use aws_sdk_s3::primitives::SdkBody;
use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};

use super::{Copied, Engine};
use crate::error::S3Error;
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::request::{self, SourceObject};
use crate::stop::End;

/// One annotation of the source: its name and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub name: String,
    pub payload: Bytes,
}

/// Whether each store's bucket keeps annotations, as its first listing
/// told: asked once per store and bucket in a run.
#[derive(Debug, Default)]
pub struct AnnotationStores {
    kept: Mutex<HashMap<(End, String), bool>>,
}

impl AnnotationStores {
    fn known(&self, end: End, bucket: &str) -> Option<bool> {
        let kept = self.kept.lock().expect("annotation stores");
        kept.get(&(end, bucket.to_owned())).copied()
    }

    fn learn(&self, end: End, bucket: &str, keeps: bool) {
        let mut kept = self.kept.lock().expect("annotation stores");
        kept.insert((end, bucket.to_owned()), keeps);
    }
}

/// The largest answer to a listing that is read: a real one (1,000
/// names at most, each up to 512 bytes) is far smaller; anything bigger is
/// an object's body, which is not downloaded to find that out.
const LISTING_LIMIT: u64 = 4 * 1024 * 1024;

/// Drops the body of an answer to ListObjectAnnotations that cannot be a
/// listing (an object's: with Last-Modified, larger than
/// [`LISTING_LIMIT`], or not XML) before the SDK
/// reads it: a store that took the request for a GetObject is not made to
/// send a whole object. The SDK then finds no listing in it.
#[derive(Debug, Clone, Copy)]
struct NoObjectBodies;

impl Intercept for NoObjectBodies {
    fn name(&self) -> &'static str {
        "s3cp::NoObjectBodies"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), aws_sdk_s3::error::BoxError> {
        let response = context.response_mut();
        if !response.status().is_success() {
            return Ok(());
        }
        let headers = response.headers();
        let length = headers
            .get("content-length")
            .and_then(|l| l.parse::<u64>().ok());
        let xml = headers
            .get("content-type")
            .is_none_or(|t| t.to_ascii_lowercase().contains("xml"));
        // An object's answer carries Last-Modified; a listing's never does
        // (its model has no such header).
        let object = headers.get("last-modified").is_some();
        if object || !xml || length.is_some_and(|l| l > LISTING_LIMIT) {
            *response.body_mut() = SdkBody::empty();
        }
        Ok(())
    }
}

/// What a ListObjectAnnotations answer says.
enum Listing<T> {
    /// A real listing.
    Listed(T),
    /// The store keeps no annotations (a 501, or a 200 that is no
    /// listing): why. Kept for the run.
    NoStore(String),
    /// This object's listing failed with a 4xx that a store which took the
    /// request for another would give (Garage answers an SSE-C object's
    /// "listing" 400 "Object is encrypted", as its GetObject; a store
    /// without the key there, 404): none read for this object, nothing
    /// learned of the store.
    NotHere(S3Error),
}

/// Reads a ListObjectAnnotations answer: a listing, a store without
/// annotations, a 4xx of this object, or an error that fails the copy (a
/// 403, or a 5xx that outlasted the retries: nothing says the store has
/// none, so the copy fails rather than drop them).
fn listing<T, E>(
    answer: Result<T, aws_sdk_s3::error::SdkError<E, aws_sdk_s3::config::http::HttpResponse>>,
) -> Result<Listing<T>, S3Error>
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let err = match answer {
        Ok(out) => return Ok(Listing::Listed(out)),
        Err(err) => err,
    };
    let e = S3Error::from_sdk("ListObjectAnnotations", &err);
    if e.status == Some(501) || e.is_code("NotImplemented") {
        return Ok(Listing::NoStore(format!(
            "it answered a listing of annotations with {}",
            e.code
        )));
    }
    match e.status {
        Some(200..=299) => Ok(Listing::NoStore(
            "it answered a listing of annotations with something else".to_owned(),
        )),
        Some(403) => Err(e),
        Some(400..=499) if !e.is_code("AccessDenied") => Ok(Listing::NotHere(e)),
        _ => Err(e),
    }
}

impl Engine<'_> {
    /// One page of the annotations of `source` (up to `max` names);
    /// `None` when there are none to read: its store keeps none (learned
    /// for the run), or (a store not known to keep them) this object's
    /// listing got a 4xx. A store known to keep annotations that then
    /// answers otherwise fails the copy: the first answer is never undone.
    async fn source_page(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        token: Option<String>,
        max: Option<i32>,
        opts: &CopyOptions,
    ) -> anyhow::Result<Option<ListObjectAnnotationsOutput>> {
        let bucket = &job.src.bucket;
        let answer = self
            .send_src(bucket, |c| {
                request::list_source_annotations(c, job, source, token.clone(), opts)
                    .set_max_annotation_results(max)
                    .customize()
                    .interceptor(NoObjectBodies)
                    .send()
            })
            .await;
        let known = self.annotations.known(End::Source, bucket);
        match listing(answer).map_err(|e| unreadable(&job.src, e))? {
            Listing::Listed(page) => {
                self.annotations.learn(End::Source, bucket, true);
                Ok(Some(page))
            }
            Listing::NoStore(why) if known != Some(true) => {
                tracing::info!("{bucket}'s store keeps no annotations ({why}): none to copy");
                self.annotations.learn(End::Source, bucket, false);
                Ok(None)
            }
            Listing::NotHere(e) if known != Some(true) => {
                tracing::info!("{}: no annotations read ({e})", job.src);
                Ok(None)
            }
            Listing::NoStore(why) => Err(anyhow::anyhow!(
                "{bucket} keeps annotations, but the listing of {}'s answered otherwise ({why})",
                job.src
            )),
            Listing::NotHere(e) => Err(unreadable(&job.src, e)),
        }
    }

    /// Whether the source version has any annotation (one name listed), for
    /// `s3cp mv --skip-same`; false where its store keeps none. The
    /// requests sent come back too.
    pub(super) async fn has_annotations(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<(bool, u64)> {
        let bucket = &job.src.bucket;
        if crate::uri::is_directory_bucket(bucket)
            || self.annotations.known(End::Source, bucket) == Some(false)
        {
            return Ok((false, 0));
        }
        let page = self.source_page(job, source, None, Some(1), opts).await?;
        Ok((page.is_some_and(|p| !p.annotations().is_empty()), 1))
    }

    /// The annotations of the source version being copied (names, then
    /// payloads); none when its store keeps none.
    pub(super) async fn source_annotations(
        &self,
        job: &CopyJob,
        source: &SourceObject,
        opts: &CopyOptions,
    ) -> anyhow::Result<(Vec<Annotation>, u64)> {
        let bucket = &job.src.bucket;
        if crate::uri::is_directory_bucket(bucket)
            || self.annotations.known(End::Source, bucket) == Some(false)
        {
            return Ok((Vec::new(), 0));
        }
        let mut names = Vec::new();
        let mut token = None;
        let mut requests = 0;
        loop {
            requests += 1;
            let Some(page) = self.source_page(job, source, token, None, opts).await? else {
                return Ok((Vec::new(), requests));
            };
            names.extend(
                page.annotations()
                    .iter()
                    .map(|a| a.annotation_name().to_owned()),
            );
            token = page.next_continuation_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        let annotations: Vec<Annotation> = futures::stream::iter(names)
            .map(|name| async move {
                let out = self
                    .send_src(bucket, |c| {
                        request::get_source_annotation(c, job, source, &name, opts).send()
                    })
                    .await
                    .map_err(|e| S3Error::from_sdk("GetObjectAnnotation", &e))
                    .with_context(|| {
                        format!("cannot read the annotation {name:?} of {}", job.src)
                    })?;
                let payload = out
                    .annotation_payload
                    .collect()
                    .await
                    .with_context(|| format!("cannot read the annotation {name:?} of {}", job.src))?
                    .into_bytes();
                Ok::<_, anyhow::Error>(Annotation { name, payload })
            })
            .buffered(self.concurrency.max(1))
            .try_collect()
            .await?;
        requests += annotations.len() as u64;
        tracing::info!("{} has {} annotations to copy", job.src, annotations.len());
        Ok((annotations, requests))
    }

    /// Writes `annotations` to the destination `copied` made, each
    /// conditional on its ETag, once its store is known to keep them;
    /// returns how many were written and the requests sent. A failure
    /// names those not written.
    pub(super) async fn write_annotations(
        &self,
        job: &CopyJob,
        copied: &Copied,
        annotations: Vec<Annotation>,
        opts: &CopyOptions,
    ) -> anyhow::Result<(u64, u64)> {
        if annotations.is_empty() {
            return Ok((0, 0));
        }
        let names = || {
            annotations
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let bucket = &job.dst.bucket;
        let mut requests = 0;
        let keeps = match self.annotations.known(End::Destination, bucket) {
            Some(keeps) => keeps,
            None if crate::uri::is_directory_bucket(bucket) => false,
            None => {
                requests += 1;
                let version = copied.version_id.as_deref();
                let answer = self
                    .send_to(bucket, |c| {
                        request::list_destination_annotations(c, job, version, opts)
                            .customize()
                            .interceptor(NoObjectBodies)
                            .send()
                    })
                    .await;
                match listing(answer).map_err(|e| unreadable(&job.dst, e))? {
                    Listing::Listed(_) => {
                        self.annotations.learn(End::Destination, bucket, true);
                        true
                    }
                    Listing::NoStore(why) => {
                        tracing::info!("{bucket}'s store keeps no annotations ({why})");
                        self.annotations.learn(End::Destination, bucket, false);
                        false
                    }
                    // The object just made, listed with a 4xx: nothing
                    // says the store takes annotations, so none is
                    // written, and the copy fails rather than drop them.
                    Listing::NotHere(e) => return Err(unreadable(&job.dst, e)),
                }
            }
        };
        if !keeps {
            tracing::warn!(
                "{} keeps no annotations: the source's {} ({}) were not copied; \
                 --annotation-directive EXCLUDE copies none without this warning",
                job.dst,
                annotations.len(),
                names()
            );
            return Ok((0, requests));
        }
        let Some(etag) = copied.etag.as_deref() else {
            anyhow::bail!(
                "{} was written, but S3 gave no ETag to make its annotations conditional on: \
                 none of {} was written",
                job.dst,
                names()
            );
        };
        let version = copied.version_id.as_deref();
        let results: Vec<(String, Result<(), S3Error>)> = futures::stream::iter(&annotations)
            .map(|a| async move {
                let sent = self
                    .send_to(bucket, |c| {
                        request::put_destination_annotation(
                            c,
                            job,
                            etag,
                            version,
                            &a.name,
                            a.payload.clone(),
                            opts,
                        )
                        .send()
                    })
                    .await;
                let sent = sent
                    .map(|_| ())
                    .map_err(|e| S3Error::from_sdk("PutObjectAnnotation", &e));
                (a.name.clone(), sent)
            })
            .buffer_unordered(self.concurrency.max(1))
            .collect()
            .await;
        requests += results.len() as u64;
        let written = results.iter().filter(|(_, r)| r.is_ok()).count() as u64;
        let mut failed: Vec<(String, S3Error)> = results
            .into_iter()
            .filter_map(|(name, r)| r.err().map(|e| (name, e)))
            .collect();
        if failed.is_empty() {
            return Ok((written, requests));
        }
        failed.sort_by(|a, b| a.0.cmp(&b.0));
        let missing: Vec<String> = failed.iter().map(|(n, _)| n.clone()).collect();
        let (_, first) = failed.remove(0);
        Err(anyhow::Error::new(first).context(format!(
            "{} was written, but not its annotation{} {}: the object exists without {} (as S3 \
             documents for a multipart copy until they are written); copy it again, without \
             --skip-existing or --skip-same (which would skip it), to carry them",
            job.dst,
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" },
        )))
    }
}

/// An annotations listing (of the source, or of the destination to learn
/// whether its store keeps any) that failed otherwise than "none here".
fn unreadable(object: &crate::uri::S3Uri, e: S3Error) -> anyhow::Error {
    let hint = format!(
        "cannot list the annotations of {object}, which a multipart or streamed copy \
         carries itself (s3:ListObjectAnnotations, s3:GetObjectAnnotation and \
         s3:PutObjectAnnotation are needed); --annotation-directive EXCLUDE copies without \
         them"
    );
    anyhow::Error::new(e).context(hint)
}
