//! The service: each request is classified, throttled or not, answered by
//! the emulator (null copies, their multipart uploads, synthetic objects)
//! or forwarded to the upstream on a pooled keep-alive connection, and its
//! answer held until its modelled time has passed (a timer: requests in
//! flight cost a task each, nothing more).
//!
//! The time of an answer, from the request's arrival: the base latency
//! (with jitter), plus for a copy the time the fluid model gives it; or
//! the upstream's own time, if longer.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode, Version, header};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rand::Rng;
use tokio::sync::OnceCell;
use tokio::time::Instant;

use crate::clock;
use crate::fluid::{Fluid, Rates};
use crate::limit::Limiter;
use crate::ops::{CopySource, Op, range_length, signed_region};
use crate::sign::{self, Credentials};
use crate::stats::Stats;
use crate::xml;

pub type Body = BoxBody<Bytes, hyper::Error>;

/// Upload ids the emulator hands out start with this; requests naming
/// one are answered by the emulator.
pub const UPLOAD_PREFIX: &str = "s3emu-";

/// Past this many, the table of learned source sizes starts again.
const MAX_SIZES: usize = 1_000_000;
/// The longest a HEAD for a source's size may take.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest CompleteMultipartUpload body read (10,000 parts fit).
const MAX_COMPLETE_BODY: usize = 4 << 20;

const ZERO: Duration = Duration::ZERO;

/// What the emulator is told to do.
#[derive(Debug, Clone)]
pub struct Config {
    /// `http://host:port`, no trailing `/`.
    pub upstream: String,
    pub latency: Duration,
    pub jitter: Duration,
    pub rates: Rates,
    /// Writes per second per prefix; 0 for no limit.
    pub write_rate: u64,
    pub write_burst: u64,
    pub null_copy: bool,
    /// (`bucket`, `key`, size) of each synthetic object.
    pub synthetic: Vec<(String, String, u64)>,
    pub credentials: Option<Credentials>,
    /// For the emulator's own HEADs when the client's request names none.
    pub region: String,
    /// Batch tasks to fail: (substring of the key, S3 error code).
    pub batch_fail: Vec<(String, String)>,
    /// The least time one batch task takes.
    pub batch_task_time: Duration,
    /// Permissions the batch double answers as missing.
    pub batch_deny: Vec<crate::control::Deny>,
}

/// An object the emulator knows the size of.
#[derive(Debug, Clone)]
pub struct Object {
    pub size: u64,
    /// Quoted, as in an ETag header.
    pub etag: String,
    pub last_modified: SystemTime,
}

#[derive(Debug)]
struct Upload {
    bucket: String,
    key: String,
    parts: BTreeMap<u32, Part>,
    checksum_type: Option<HeaderValue>,
}

#[derive(Debug, Clone)]
struct Part {
    etag: String,
    size: u64,
    at: SystemTime,
}

/// Why a source's size is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    /// The upstream answered 404.
    Missing,
    /// Any other failure.
    Unknown,
}

pub struct Emu {
    pub(crate) upstream: String,
    /// `host:port`, for the Host header of the emulator's own requests.
    pub(crate) upstream_host: String,
    pub(crate) client: Client<HttpConnector, Body>,
    latency: Duration,
    jitter: Duration,
    fluid: Option<Fluid>,
    limiter: Option<Limiter>,
    null_copy: bool,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) region: String,
    /// Synthetic objects, and those written by null copies: HEADs of them
    /// are answered here, and copies read their sizes from here.
    objects: Mutex<HashMap<String, Object>>,
    /// Source sizes learned from the upstream (listings, HEADs, PUTs, the
    /// emulator's own HEADs); a cell being filled is shared by the copies
    /// of that source that wait for it.
    sizes: Mutex<HashMap<String, Arc<OnceCell<Object>>>>,
    uploads: Mutex<HashMap<String, Upload>>,
    seq: AtomicU64,
    /// Warnings printed about failed size lookups (a few, not one per copy).
    warned: AtomicU64,
    pub stats: Stats,
    /// The S3 Batch Operations double (control.rs).
    pub(crate) jobs: crate::control::Jobs,
}

impl Emu {
    pub fn new(config: Config) -> Result<Emu, String> {
        let upstream_host = config
            .upstream
            .strip_prefix("http://")
            .ok_or("--upstream must be http://HOST:PORT (no TLS)")?
            .trim_end_matches('/')
            .to_owned();
        if upstream_host.is_empty() || upstream_host.contains('/') {
            return Err(format!(
                "--upstream {}: give http://HOST:PORT with no path",
                config.upstream
            ));
        }
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(Duration::from_secs(10)));
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(usize::MAX)
            .build(connector);
        let now = SystemTime::now();
        let objects = config
            .synthetic
            .iter()
            .map(|(bucket, key, size)| {
                let name = format!("{bucket}/{key}");
                let etag = quoted(&fake_hex(&[&name, &size.to_string()]));
                (
                    name,
                    Object {
                        size: *size,
                        etag,
                        last_modified: now,
                    },
                )
            })
            .collect();
        Ok(Emu {
            upstream: format!("http://{upstream_host}"),
            upstream_host,
            client,
            latency: config.latency,
            jitter: config.jitter,
            fluid: Fluid::start(config.rates),
            limiter: (config.write_rate > 0)
                .then(|| Limiter::new(config.write_rate, config.write_burst)),
            null_copy: config.null_copy,
            credentials: config.credentials,
            region: config.region,
            objects: Mutex::new(objects),
            sizes: Mutex::default(),
            uploads: Mutex::default(),
            seq: AtomicU64::new(1),
            warned: AtomicU64::new(0),
            stats: Stats::new(),
            jobs: crate::control::Jobs::new(
                config.batch_fail,
                config.batch_task_time,
                config.batch_deny,
            ),
        })
    }

    /// Answers one request, at its modelled time.
    pub async fn handle(
        self: Arc<Self>,
        req: Request<Incoming>,
    ) -> Result<Response<Body>, Infallible> {
        let arrival = Instant::now();
        if req.uri().path().starts_with("/__s3emu/") {
            return Ok(self.admin(&req));
        }
        if req.uri().path().starts_with(crate::control::PREFIX) {
            return Ok(crate::control::handle(self.clone(), req).await);
        }
        let op = Op::of(&req);
        let _in_flight = self.stats.request(op.index());
        let latency = self.sample_latency();
        let (answer, copy_time) = self.dispatch(req, &op).await;
        let due = arrival + latency + copy_time;
        if due > Instant::now() {
            tokio::time::sleep_until(due).await;
        }
        Ok(answer)
    }

    fn admin(&self, req: &Request<Incoming>) -> Response<Body> {
        match req.uri().path() {
            "/__s3emu/stats" => {
                let body = serde_json::to_string_pretty(&self.stats.json()).unwrap_or_default();
                Response::builder()
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(full(body + "\n"))
                    .expect("a valid answer")
            }
            _ => Response::builder()
                .status(StatusCode::NOT_FOUND)
                .body(full("GET /__s3emu/stats\n"))
                .expect("a valid answer"),
        }
    }

    fn sample_latency(&self) -> Duration {
        if self.jitter.is_zero() {
            return self.latency;
        }
        let j = self.jitter.as_secs_f64();
        let ms = self.latency.as_secs_f64() + rand::rng().random_range(-j..=j);
        Duration::from_secs_f64(ms.max(0.0))
    }

    /// The answer, and the copy time to add to the base latency.
    async fn dispatch(&self, req: Request<Incoming>, op: &Op) -> (Response<Body>, Duration) {
        if op.is_write()
            && let Some(limiter) = &self.limiter
            && !limiter.allow(&op.prefix())
        {
            Stats::add(&self.stats.throttled, 1);
            let answer = self.error(503, "SlowDown", "Please reduce your request rate.");
            return (answer, ZERO);
        }
        let ours = op
            .param("uploadId")
            .is_some_and(|u| u.starts_with(UPLOAD_PREFIX));
        let answer = match op.name {
            "HeadObject" if op.param("versionId").is_none() => match self.known(op) {
                Some(object) => self.here(head_answer(&object, &self.request_id())),
                None => self.forward(req, op).await,
            },
            "CopyObject" | "UploadPartCopy" => return self.copy(req, op).await,
            "CreateMultipartUpload" if self.null_copy => self.create(&req, op),
            "UploadPart" if ours => self.upload_part(req, op).await,
            "ListParts" if ours => self.list_parts(op),
            "CompleteMultipartUpload" if ours => self.complete(req, op).await,
            "AbortMultipartUpload" if ours => self.abort(op),
            "DeleteObject" => {
                self.forget(op);
                self.forward(req, op).await
            }
            _ => self.forward(req, op).await,
        };
        (answer, ZERO)
    }

    /// An object of the emulator's own (synthetic or null-copied).
    fn known(&self, op: &Op) -> Option<Object> {
        let name = op.object()?;
        self.objects.lock().unwrap().get(&name).cloned()
    }

    fn forget(&self, op: &Op) {
        if let Some(name) = op.object() {
            self.objects.lock().unwrap().remove(&name);
            self.sizes.lock().unwrap().remove(&name);
        }
    }

    fn learn(&self, name: String, object: Object) {
        let mut sizes = self.sizes.lock().unwrap();
        if sizes.len() >= MAX_SIZES {
            sizes.clear();
        }
        sizes.insert(name, Arc::new(OnceCell::new_with(Some(object))));
    }

    /// CopyObject and UploadPartCopy: the source's size (or the range's),
    /// the copy time under the fluid model, and the answer: the
    /// upstream's, or the emulator's own in null-copy mode.
    async fn copy(&self, req: Request<Incoming>, op: &Op) -> (Response<Body>, Duration) {
        let source = req
            .headers()
            .get("x-amz-copy-source")
            .and_then(|v| v.to_str().ok())
            .and_then(CopySource::parse);
        let Some(source) = source else {
            let message =
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey";
            return (self.error(400, "InvalidArgument", message), ZERO);
        };
        let range = req
            .headers()
            .get("x-amz-copy-source-range")
            .map(|v| v.to_str().ok().and_then(range_length));
        if let Some(None) = range {
            let message = "The x-amz-copy-source-range value must be of the form bytes=first-last";
            return (self.error(400, "InvalidArgument", message), ZERO);
        }
        let found = self.source(&source, req.headers()).await;
        let bytes = match (range, &found) {
            (Some(Some(n)), _) => n,
            (_, Ok(object)) => object.size,
            _ => {
                Stats::add(&self.stats.size_unknown, 1);
                0
            }
        };
        if !self.null_copy {
            Stats::add(&self.stats.copies, 1);
            Stats::add(&self.stats.bytes_copied, bytes);
            let (answer, took) = tokio::join!(self.forward(req, op), self.copy_time(bytes));
            if op.name == "CopyObject"
                && answer.status().is_success()
                && let (Some(name), Ok(object)) = (op.object(), found)
            {
                self.learn(name, object);
            }
            return (answer, took);
        }

        if matches!(found, Err(Lookup::Missing)) && range.is_none() {
            let answer = self.error(404, "NoSuchKey", "The specified key does not exist.");
            return (answer, ZERO);
        }
        let upload = op.param("uploadId").unwrap_or_default();
        let part: Option<u32> = op.param("partNumber").and_then(|p| p.parse().ok());
        if op.name == "UploadPartCopy" {
            if part.is_none_or(|p| !(1..=10_000).contains(&p)) {
                let message = "Part number must be an integer between 1 and 10000, inclusive";
                return (self.error(400, "InvalidArgument", message), ZERO);
            }
            if !self.uploads.lock().unwrap().contains_key(upload) {
                return (self.no_such_upload(), ZERO);
            }
        }
        Stats::add(&self.stats.copies, 1);
        Stats::add(&self.stats.null_copies, 1);
        Stats::add(&self.stats.bytes_copied, bytes);
        let took = self.copy_time(bytes).await;
        let now = SystemTime::now();
        let answer = if op.name == "CopyObject" {
            let etag = match &found {
                Ok(object) => object.etag.clone(),
                Err(_) => quoted(&fake_hex(&[&source.name()])),
            };
            if let Some(name) = op.object() {
                self.sizes.lock().unwrap().remove(&name);
                let object = Object {
                    size: bytes,
                    etag: etag.clone(),
                    last_modified: now,
                };
                self.objects.lock().unwrap().insert(name, object);
            }
            let body = xml::copy_result("CopyObjectResult", &etag, &clock::iso8601(now));
            self.xml(200, body)
        } else {
            let part = part.unwrap_or(1);
            let range = format!("{bytes}");
            let etag = quoted(&fake_hex(&[
                upload,
                &part.to_string(),
                &source.name(),
                &range,
            ]));
            let mut uploads = self.uploads.lock().unwrap();
            let Some(u) = uploads.get_mut(upload) else {
                drop(uploads);
                return (self.no_such_upload(), took);
            };
            u.parts.insert(
                part,
                Part {
                    etag: etag.clone(),
                    size: bytes,
                    at: now,
                },
            );
            drop(uploads);
            let body = xml::copy_result("CopyPartResult", &etag, &clock::iso8601(now));
            self.xml(200, body)
        };
        (self.here(answer), took)
    }

    async fn copy_time(&self, bytes: u64) -> Duration {
        let start = Instant::now();
        if let Some(fluid) = &self.fluid {
            fluid.copy(bytes).await;
        }
        start.elapsed()
    }

    /// The source's size and ETag: the emulator's own objects, then what
    /// it learned, then a HEAD to the upstream (one for all the copies
    /// waiting on the same source).
    async fn source(&self, source: &CopySource, headers: &HeaderMap) -> Result<Object, Lookup> {
        let name = source.name();
        if source.version.is_none()
            && let Some(object) = self.objects.lock().unwrap().get(&name)
        {
            return Ok(object.clone());
        }
        let cell = {
            let mut sizes = self.sizes.lock().unwrap();
            if sizes.len() >= MAX_SIZES {
                sizes.clear();
            }
            sizes.entry(name).or_default().clone()
        };
        let region = signed_region(headers).unwrap_or_else(|| self.region.clone());
        cell.get_or_try_init(|| self.head(source, &region))
            .await
            .cloned()
    }

    /// A HEAD of the source to the upstream, signed with the emulator's
    /// credentials (unsigned without).
    async fn head(&self, source: &CopySource, region: &str) -> Result<Object, Lookup> {
        Stats::add(&self.stats.size_lookups, 1);
        let path = sign::path(&source.bucket, &source.key);
        let query = match &source.version {
            Some(v) => sign::query("versionId", v),
            None => String::new(),
        };
        let target = match query.as_str() {
            "" => format!("{}{path}", self.upstream),
            q => format!("{}{path}?{q}", self.upstream),
        };
        let mut builder = Request::head(target).header(header::HOST, &self.upstream_host);
        if let Some(creds) = &self.credentials {
            let host = &self.upstream_host;
            let now = SystemTime::now();
            for (name, value) in sign::headers(creds, region, "HEAD", host, &path, &query, now) {
                builder = builder.header(name, value);
            }
        }
        let request = builder.body(empty()).map_err(|_| Lookup::Unknown)?;
        let answer = tokio::time::timeout(LOOKUP_TIMEOUT, self.client.request(request)).await;
        let why = match answer {
            Ok(Ok(a)) if a.status().is_success() => {
                let h = a.headers();
                let size = h
                    .get(header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok()?.parse().ok());
                if let Some(size) = size {
                    let etag = h
                        .get(header::ETAG)
                        .and_then(|v| v.to_str().ok())
                        .map_or_else(|| quoted(&fake_hex(&[&source.name()])), str::to_owned);
                    return Ok(Object {
                        size,
                        etag,
                        last_modified: SystemTime::now(),
                    });
                }
                "no Content-Length".to_owned()
            }
            Ok(Ok(a)) if a.status() == StatusCode::NOT_FOUND => return Err(Lookup::Missing),
            Ok(Ok(a)) => match self.credentials {
                Some(_) => format!("{}", a.status()),
                None => format!(
                    "{} (no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
                    a.status()
                ),
            },
            Ok(Err(e)) => format!("{e}"),
            Err(_) => format!("no answer in {} s", LOOKUP_TIMEOUT.as_secs()),
        };
        if self.warned.fetch_add(1, Relaxed) < 5 {
            eprintln!(
                "s3emu: HEAD of copy source s3://{} for its size: {why}; copy time 0",
                source.name()
            );
        }
        Err(Lookup::Unknown)
    }

    /// Passes the request on and the upstream's answer back, learning
    /// object sizes on the way (HEAD and PutObject answers, listings).
    async fn forward(&self, req: Request<Incoming>, op: &Op) -> Response<Body> {
        let put_size = (op.name == "PutObject")
            .then(|| decoded_length(req.headers()))
            .flatten();
        let (mut parts, body) = req.into_parts();
        let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        parts.uri = match format!("{}{target}", self.upstream).parse() {
            Ok(uri) => uri,
            Err(_) => return self.error(400, "InvalidURI", "Couldn't parse the specified URI."),
        };
        parts.version = Version::HTTP_11;
        strip_hop_by_hop(&mut parts.headers);
        parts.headers.remove(header::EXPECT);
        let forwarded = Request::from_parts(parts, body.boxed());
        let answer = match self.client.request(forwarded).await {
            Ok(answer) => answer,
            Err(e) => {
                Stats::add(&self.stats.upstream_errors, 1);
                let message = format!("s3emu could not reach the upstream: {e}");
                return self.error(502, "BadGateway", &message);
            }
        };
        let (mut parts, body) = answer.into_parts();
        strip_hop_by_hop(&mut parts.headers);
        if parts.status.is_success() {
            let etag = || {
                parts
                    .headers
                    .get(header::ETAG)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            match op.name {
                "HeadObject" if op.param("partNumber").is_none() => {
                    let size = parts
                        .headers
                        .get(header::CONTENT_LENGTH)
                        .and_then(|v| v.to_str().ok()?.parse().ok());
                    if let (Some(name), Some(size), Some(etag)) = (op.object(), size, etag()) {
                        self.learn(name, object(size, etag));
                    }
                }
                "PutObject" => {
                    if let (Some(name), Some(size), Some(etag)) = (op.object(), put_size, etag()) {
                        self.learn(name, object(size, etag));
                    }
                }
                "CompleteMultipartUpload" => self.forget(op),
                "ListObjects" | "ListObjectsV2" => {
                    let bytes = match body.collect().await {
                        Ok(b) => b.to_bytes(),
                        Err(e) => {
                            Stats::add(&self.stats.upstream_errors, 1);
                            let message = format!("s3emu lost the upstream's listing: {e}");
                            return self.error(502, "BadGateway", &message);
                        }
                    };
                    let bucket = op.bucket.as_deref().unwrap_or_default();
                    for (key, size, etag) in xml::listing(&String::from_utf8_lossy(&bytes)) {
                        let etag = etag.unwrap_or_else(|| quoted(&fake_hex(&[&key])));
                        self.learn(format!("{bucket}/{key}"), object(size, etag));
                    }
                    return Response::from_parts(parts, full(bytes));
                }
                _ => {}
            }
        }
        Response::from_parts(parts, body.boxed())
    }

    /// CreateMultipartUpload in null-copy mode: the upload is the
    /// emulator's, and so are its parts, its Complete and its Abort.
    fn create(&self, req: &Request<Incoming>, op: &Op) -> Response<Body> {
        let (Some(bucket), Some(key)) = (op.bucket.clone(), op.key.clone()) else {
            return self.error(400, "InvalidRequest", "A key is required.");
        };
        let id = format!(
            "{UPLOAD_PREFIX}{:016x}{:08x}",
            rand::rng().random::<u64>(),
            self.seq.fetch_add(1, Relaxed)
        );
        let h = req.headers();
        let algorithm = h.get("x-amz-checksum-algorithm").cloned();
        let checksum_type = h.get("x-amz-checksum-type").cloned();
        let body = xml::initiate(&bucket, &key, &id);
        self.uploads.lock().unwrap().insert(
            id,
            Upload {
                bucket,
                key,
                parts: BTreeMap::new(),
                checksum_type: checksum_type.clone(),
            },
        );
        let mut answer = self.xml(200, body);
        if let Some(a) = algorithm {
            answer.headers_mut().insert("x-amz-checksum-algorithm", a);
        }
        if let Some(t) = checksum_type {
            answer.headers_mut().insert("x-amz-checksum-type", t);
        }
        self.here(answer)
    }

    /// UploadPart to an upload of the emulator's: the body is read and
    /// dropped as it comes.
    async fn upload_part(&self, req: Request<Incoming>, op: &Op) -> Response<Body> {
        let upload = op.param("uploadId").unwrap_or_default().to_owned();
        let Some(part) = op
            .param("partNumber")
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| (1..=10_000).contains(p))
        else {
            let message = "Part number must be an integer between 1 and 10000, inclusive";
            return self.error(400, "InvalidArgument", message);
        };
        if !self.uploads.lock().unwrap().contains_key(&upload) {
            return self.no_such_upload();
        }
        let declared = decoded_length(req.headers());
        let mut body = req.into_body();
        let mut read = 0u64;
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(frame) => read += frame.data_ref().map_or(0, |d| d.len() as u64),
                Err(_) => {
                    let message = "You did not provide the number of bytes specified by the Content-Length HTTP header.";
                    return self.error(400, "IncompleteBody", message);
                }
            }
        }
        let size = declared.unwrap_or(read);
        let etag = quoted(&fake_hex(&[&upload, &part.to_string(), &size.to_string()]));
        let mut uploads = self.uploads.lock().unwrap();
        let Some(u) = uploads.get_mut(&upload) else {
            drop(uploads);
            return self.no_such_upload();
        };
        let at = SystemTime::now();
        u.parts.insert(
            part,
            Part {
                etag: etag.clone(),
                size,
                at,
            },
        );
        drop(uploads);
        let mut answer = Response::builder()
            .header(header::ETAG, &etag)
            .header("x-amz-request-id", self.request_id())
            .body(empty())
            .expect("a valid answer");
        *answer.status_mut() = StatusCode::OK;
        self.here(answer)
    }

    fn list_parts(&self, op: &Op) -> Response<Body> {
        let upload = op.param("uploadId").unwrap_or_default();
        let marker: u32 = op
            .param("part-number-marker")
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        let max: usize = op
            .param("max-parts")
            .and_then(|m| m.parse().ok())
            .unwrap_or(1000)
            .clamp(1, 1000);
        let uploads = self.uploads.lock().unwrap();
        let Some(u) = uploads.get(upload) else {
            drop(uploads);
            return self.no_such_upload();
        };
        let after: Vec<(&u32, &Part)> = u.parts.range(marker + 1..).collect();
        let rows: Vec<xml::PartRow<'_>> = after
            .iter()
            .take(max)
            .map(|(n, p)| xml::PartRow {
                number: **n,
                etag: &p.etag,
                size: p.size,
                last_modified: clock::iso8601(p.at),
            })
            .collect();
        let body = xml::list_parts(
            &u.bucket,
            &u.key,
            upload,
            marker,
            max,
            &rows,
            after.len() > max,
        );
        drop(uploads);
        self.here(self.xml(200, body))
    }

    /// CompleteMultipartUpload of an upload of the emulator's: the object
    /// it makes is the emulator's too (HEADs of it are answered here).
    async fn complete(&self, req: Request<Incoming>, op: &Op) -> Response<Body> {
        let upload = op.param("uploadId").unwrap_or_default().to_owned();
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost")
            .to_owned();
        const CHECKSUMS: [(&str, &str); 5] = [
            ("x-amz-checksum-crc32", "ChecksumCRC32"),
            ("x-amz-checksum-crc32c", "ChecksumCRC32C"),
            ("x-amz-checksum-crc64nvme", "ChecksumCRC64NVME"),
            ("x-amz-checksum-sha1", "ChecksumSHA1"),
            ("x-amz-checksum-sha256", "ChecksumSHA256"),
        ];
        let mut checksums: Vec<(String, String)> = CHECKSUMS
            .iter()
            .filter_map(|(h, element)| {
                let value = req.headers().get(*h)?.to_str().ok()?;
                Some(((*element).to_owned(), value.to_owned()))
            })
            .collect();
        let body = http_body_util::Limited::new(req.into_body(), MAX_COMPLETE_BODY);
        let body = match body.collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => return self.error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema."),
        };
        let numbers = xml::completed_parts(&String::from_utf8_lossy(&body));
        if numbers.is_empty() {
            return self.error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
        }
        let mut uploads = self.uploads.lock().unwrap();
        let Some(u) = uploads.get(&upload) else {
            drop(uploads);
            return self.no_such_upload();
        };
        let mut size = 0;
        for n in &numbers {
            match u.parts.get(n) {
                Some(p) => size += p.size,
                None => {
                    drop(uploads);
                    let message = "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";
                    return self.error(400, "InvalidPart", message);
                }
            }
        }
        let u = uploads.remove(&upload).expect("present");
        drop(uploads);
        if !checksums.is_empty()
            && let Some(t) = u.checksum_type.as_ref().and_then(|t| t.to_str().ok())
        {
            checksums.push(("ChecksumType".to_owned(), t.to_owned()));
        }
        let etag = format!(
            "\"{}-{}\"",
            fake_hex(&[&upload, &size.to_string()]),
            numbers.len()
        );
        let name = format!("{}/{}", u.bucket, u.key);
        self.sizes.lock().unwrap().remove(&name);
        let object = Object {
            size,
            etag: etag.clone(),
            last_modified: SystemTime::now(),
        };
        self.objects.lock().unwrap().insert(name, object);
        let location = format!("http://{host}/{}/{}", u.bucket, u.key);
        let body = xml::complete(&location, &u.bucket, &u.key, &etag, &checksums);
        self.here(self.xml(200, body))
    }

    fn abort(&self, op: &Op) -> Response<Body> {
        let upload = op.param("uploadId").unwrap_or_default();
        if self.uploads.lock().unwrap().remove(upload).is_none() {
            return self.no_such_upload();
        }
        let answer = Response::builder()
            .status(StatusCode::NO_CONTENT)
            .header("x-amz-request-id", self.request_id())
            .body(empty())
            .expect("a valid answer");
        self.here(answer)
    }

    fn no_such_upload(&self) -> Response<Body> {
        let message = "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.";
        self.error(404, "NoSuchUpload", message)
    }

    fn request_id(&self) -> String {
        format!("S3EMU{:011X}", self.seq.fetch_add(1, Relaxed))
    }

    /// Counts an answer the emulator gave itself.
    fn here(&self, answer: Response<Body>) -> Response<Body> {
        Stats::add(&self.stats.answered_here, 1);
        answer
    }

    fn xml(&self, status: u16, body: String) -> Response<Body> {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/xml")
            .header("x-amz-request-id", self.request_id())
            .body(full(body))
            .expect("a valid answer")
    }

    /// An S3 error answer (counted as answered here).
    fn error(&self, status: u16, code: &str, message: &str) -> Response<Body> {
        let id = self.request_id();
        let body = xml::error(code, message, &id);
        self.here(
            Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "application/xml")
                .header("x-amz-request-id", id)
                .body(full(body))
                .expect("a valid answer"),
        )
    }
}

fn head_answer(object: &Object, request_id: &str) -> Response<Body> {
    Response::builder()
        .header(header::CONTENT_LENGTH, object.size)
        .header(header::ETAG, &object.etag)
        .header(
            header::LAST_MODIFIED,
            clock::http_date(object.last_modified),
        )
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_TYPE, "binary/octet-stream")
        .header("x-amz-request-id", request_id)
        .body(empty())
        .expect("a valid answer")
}

fn object(size: u64, etag: String) -> Object {
    Object {
        size,
        etag,
        last_modified: SystemTime::now(),
    }
}

/// The object's length of a write: `x-amz-decoded-content-length` for an
/// `aws-chunked` body, else Content-Length.
fn decoded_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get("x-amz-decoded-content-length")
        .or_else(|| headers.get(header::CONTENT_LENGTH))
        .and_then(|v| v.to_str().ok()?.parse().ok())
}

/// Hop-by-hop headers are the connection's, not the message's (hyper
/// frames each side itself).
fn strip_hop_by_hop(headers: &mut HeaderMap) {
    for name in [
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    ] {
        headers.remove(name);
    }
}

pub fn full(body: impl Into<Bytes>) -> Body {
    Full::new(body.into())
        .map_err(|never| match never {})
        .boxed()
}

pub fn empty() -> Body {
    Empty::<Bytes>::new()
        .map_err(|never| match never {})
        .boxed()
}

fn quoted(hex: &str) -> String {
    format!("\"{hex}\"")
}

/// 32 hex digits standing for an MD5 (stable within a run).
fn fake_hex(parts: &[&str]) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut a = DefaultHasher::new();
    parts.hash(&mut a);
    let first = a.finish();
    let mut b = DefaultHasher::new();
    (first, parts).hash(&mut b);
    format!("{first:016x}{:016x}", b.finish())
}
