//! A recording, fault-injecting HTTP proxy on loopback, between s3cp and a
//! test server. It records every request (method, path and query, headers)
//! so tests can assert on what s3cp sends where the server does not enforce
//! a rule (`If-None-Match: *` on CopyObject, no CopyObject above 5 GiB); it
//! can answer chosen requests itself (a 403 on GetObjectTagging, say); and,
//! by rule (operation, every N-th, or a probability drawn from a seeded
//! generator), it injects what S3 does under load: 503 SlowDown, 500
//! InternalError, a 200 OK with an `<Error>` body (with and without
//! whitespace before `<?xml`), a connection reset in the middle of a
//! response or of its body ([`Fault::CutBody`]), a delay, a byte of a body
//! flipped on the way ([`Fault::FlipByte`]); and a 412 PreconditionFailed
//! or a 409 ConditionalRequestConflict where S3 would send one.
//! It can add a header to the server's answers of one operation
//! ([`Proxy::add_answer_header`]), to send what S3 sends and the test
//! server does not (`x-amz-copy-source-version-id: null`, say).
//!
//! It can play an operation itself with an async handler
//! ([`Proxy::handle`]): RenameObject, which no test server implements.
//!
//! It can also hold a chosen request until the test has acted
//! ([`Proxy::hold`], [`Proxy::hold_answer`], [`Proxy::hold_where`]): before
//! it is forwarded (the server has not seen it), or after the server
//! answered and before the answer is passed on (the work is done, s3cp does
//! not know yet). A test waits for [`Gate::arrived`], sends Ctrl-C or
//! overwrites the source, then [`Gate::release`]s it: no sleeping and
//! hoping that a copy is mid-flight. A request held before it is forwarded
//! that s3cp gives up on meanwhile never reaches the server (so a test knows
//! exactly what the server did). Dropping the gate, or the last handle
//! of the proxy, lets everything through, so a failed test never hangs on a
//! held request.
//!
//! It can rewrite the server's answers where a test needs S3's answer and
//! the test server gives another ([`Proxy::rewrite_answer`]): set the text
//! of an XML element of the body ([`Edit::SetXmlElement`]: a destination's
//! checksum in CopyObjectResult or CompleteMultipartUploadResult, to play a
//! corrupted copy) or insert it where the server sent none (a part checksum
//! in CopyPartResult, as AWS returns when the upload has an algorithm), and
//! set a header ([`Edit::SetHeader`]: `x-amz-checksum-crc32` on a HEAD).
//! Each rewrite names an operation and a predicate over the [`Request`]
//! (its bucket and key, its headers, its body), so it can hit the HEAD of
//! the destination and not the HEAD of the source. Only the server's
//! successful (2xx) answers are rewritten; [`Proxy::rewritten`] lists what
//! was changed, with the value the server had sent.
//!
//! It can enforce regions as S3 does, in front of moto (which keeps each
//! bucket's LocationConstraint but serves any bucket to a request signed
//! for any region): [`Proxy::regions`] takes a table bucket → region, and
//! a request on a bucket of the table that is signed for another region
//! (the credential scope of its Authorization header, or of a presigned
//! URL's `X-Amz-Credential`) is not forwarded but answered as S3 answers
//! it, with `x-amz-bucket-region: REGION` and, unless it is a HEAD, an
//! `<Error>` body: 301 PermanentRedirect or 400
//! AuthorizationHeaderMalformed, as [`WrongRegion`] chooses (S3 sends
//! both; a client must follow either; the `*NoRegion` variants leave the
//! region out, header and body, as an endpoint or proxy that drops the
//! header would). The bucket is the path-style one
//! ([`Request::bucket`]), so a copy (CopyObject, UploadPartCopy) is judged
//! by its destination, as on S3, whatever the source's region. Requests on
//! other buckets, and unsigned ones or SigV4a ones (signed for a region
//! set, not a region), pass through. A HeadBucket on a bucket
//! of the table that passes gets `x-amz-bucket-region` set to the table's
//! region in whatever the server answers (S3 always sends it), so a client
//! can find a bucket's region with it. [`Proxy::misdirected`] lists the
//! requests answered as wrong-region, for tests to count redirects.
//!
//! It can play S3's part for the checksum algorithms added in 2026 (MD5,
//! SHA512, the XXHASHes), which the test servers do not know
//! ([`Proxy::play_new_checksums`], [`sums`]): values computed from the
//! bytes on the objects it knows, checked on what is sent.
//!
//! It records the body of each request that it read whole and that is at
//! most [`RECORDED_BODY_LIMIT`] ([`Request::body`]): the part list of a
//! CompleteMultipartUpload, say.
//!
//! Each connection carries one request: the proxy adds `Connection: close`
//! (unsigned, so signatures stay valid), forwards the head, then pipes bytes
//! both ways until either side closes. An answer the proxy must change or
//! hold is read whole first (the server closes after it); a rewritten one
//! is passed on de-chunked, with its own Content-Length and `Connection:
//! close` (an answer to HEAD keeps its Content-Length, the object's size).

pub mod answer;
mod handler;
mod request;
pub mod sums;
pub mod tls;

pub use answer::{Edit, Rewritten};
pub use handler::{Handled, error_answer};
pub use request::{RECORDED_BODY_LIMIT, Request};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_util::sync::{CancellationToken, DropGuard};

/// How long [`Gate::arrived`] waits before it fails the test.
pub const ARRIVAL_TIMEOUT: Duration = Duration::from_secs(60);

/// What the proxy does to a request instead of passing it through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 503 SlowDown, not forwarded.
    SlowDown,
    /// 503 SlowDown with `x-amz-retry-after: MS`, not forwarded: the SDK
    /// sleeps that long before its next attempt instead of its own backoff
    /// (seconds in a storm). S3 does not send it; a test does, so that a
    /// storm of SlowDowns keeps the requests at the proxy, not asleep.
    SlowDownRetryAfter(u64),
    /// 500 InternalError, not forwarded.
    InternalError,
    /// 200 OK with an `<Error>` body, not forwarded (as S3 answers a copy
    /// that failed after it began); with whitespace before `<?xml` when
    /// `whitespace`. Only for CopyObject, UploadPartCopy and Complete; other
    /// operations get InternalError instead.
    ErrorIn200 { whitespace: bool },
    /// Forwarded, and the connection reset half-way through the response:
    /// the server did the work, the client cannot know.
    ResetMidResponse,
    /// Forwarded after this many milliseconds.
    Delay(u64),
    /// Forwarded, and the answer's head and the first this many bytes of
    /// its body passed on, then the connection reset: a GetObject whose
    /// body is cut off mid-way (the client has its 200 and headers, the
    /// body ends early). Unlike [`Fault::ResetMidResponse`], where the cut
    /// may fall in the head, this one always falls in the body.
    CutBody(usize),
    /// 412 PreconditionFailed, not forwarded: what S3 answers a write with
    /// `If-None-Match: *` when the key exists (neither test server checks
    /// it on CopyObject).
    PreconditionFailed,
    /// 409 ConditionalRequestConflict, not forwarded: what S3 answers a
    /// conditional write (`If-None-Match`, `If-Match`) that a concurrent
    /// write to the same key raced; S3 documents it as retryable.
    ConditionalConflict,
    /// Forwarded, and one byte of a successful answer's body flipped (all
    /// its bits), at this offset (the last byte when the body is
    /// shorter), its length and every header kept: a GetObject whose
    /// bytes were corrupted on the way (a faulty link or proxy, a store's
    /// bug) and that nothing in the answer shows. An answer with no body
    /// passes as it came.
    FlipByte(usize),
}

/// Which requests a rule hits.
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// Every n-th request of the rule's operation(s), counting from 1.
    EveryNth(u64),
    /// Each request with this probability (seeded: repeatable).
    Probability(f64),
    /// The first n requests the rule sees (a rule listed before it that
    /// hits a request keeps it from this one).
    First(u64),
}

/// A fault rule: for requests of `operation` (all when `None`) chosen by
/// `when`, one of `faults` picked by the seeded generator.
#[derive(Debug, Clone)]
pub struct Rule {
    pub operation: Option<&'static str>,
    pub when: When,
    pub faults: Vec<Fault>,
}

/// A canned answer for requests of one operation.
#[derive(Debug, Clone)]
pub struct Answer {
    pub operation: &'static str,
    pub status: u16,
    pub body: String,
    /// Only requests for this key (any key when `None`).
    pub key: Option<String>,
}

/// A rewrite rule waiting for answers.
struct Rewrite {
    operation: &'static str,
    matches: Box<dyn Fn(&Request) -> bool + Send + Sync>,
    edit: Edit,
}

impl std::fmt::Debug for Rewrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rewrite")
            .field("operation", &self.operation)
            .field("edit", &self.edit)
            .finish()
    }
}

/// How the proxy answers a request signed for another region than its
/// bucket's ([`Proxy::regions`]). S3's two carry `x-amz-bucket-region`
/// (the `*NoRegion` ones do not); an answer to HEAD has no body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrongRegion {
    /// 301 PermanentRedirect, with `<Endpoint>` and `<Bucket>` in the body.
    Redirect301,
    /// 400 AuthorizationHeaderMalformed ("the region 'us-east-1' is wrong;
    /// expecting 'eu-west-1'"), with `<Region>` in the body.
    Malformed400,
    /// 301 PermanentRedirect that names no region: no
    /// `x-amz-bucket-region`, and the body's `<Endpoint>` is the global
    /// `BUCKET.s3.amazonaws.com`.
    Redirect301NoRegion,
    /// 400 AuthorizationHeaderMalformed that names no region: no
    /// `x-amz-bucket-region`, no `<Region>`, a message without "expecting".
    Malformed400NoRegion,
}

/// Where a held request waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Before it is forwarded: the server has not seen it. If s3cp hangs up
    /// while it is held (Ctrl-C, kill), it is dropped, never forwarded.
    Request,
    /// After the server answered (the whole answer read), before the answer
    /// is passed to s3cp: the server did the work, s3cp does not know yet.
    /// Canned answers and faults are held the same way.
    Answer,
}

/// A handle on the proxy. Clones share one proxy; when the last handle is
/// dropped, every held request is let through (the proxy keeps serving).
#[derive(Debug, Clone)]
pub struct Proxy {
    pub endpoint: String,
    inner: Arc<Inner>,
    /// Cancels `inner.closed` when the last handle goes.
    _close: Arc<DropGuard>,
}

#[derive(Debug)]
struct Inner {
    requests: Mutex<Vec<Request>>,
    answers: Mutex<Vec<Answer>>,
    /// Operations the proxy plays itself ([`Proxy::handle`]).
    handlers: Mutex<Vec<handler::Handler>>,
    /// Headers added to the server's answers: (operation, name, value).
    added_headers: Mutex<Vec<(&'static str, String, String)>>,
    /// Rewrites of the server's answers, applied in the order made.
    rewrites: Mutex<Vec<Rewrite>>,
    /// The changes made to answers so far.
    rewritten: Mutex<Vec<Rewritten>>,
    /// Requests in flight now, and the most ever in flight at once.
    in_flight: Mutex<(usize, usize)>,
    /// Requests open now (arrived, not yet answered, whatever the answer),
    /// and, for each recorded request, how many were open when it arrived
    /// (itself included).
    open: Mutex<(usize, Vec<usize>)>,
    faults: Mutex<Faults>,
    /// Holds that have not met their request yet.
    holds: Mutex<Vec<Hold>>,
    /// The region of each bucket whose region is enforced, and how a
    /// request signed for another is answered ([`Proxy::regions`]).
    regions: Mutex<(HashMap<String, String>, WrongRegion)>,
    /// The requests answered as signed for the wrong region.
    misdirected: Mutex<Vec<Request>>,
    /// Cancelled when the last [`Proxy`] handle is dropped: releases all.
    closed: CancellationToken,
    /// S3's new checksum algorithms, played when `playing_sums`.
    sums: sums::Sums,
    playing_sums: std::sync::atomic::AtomicBool,
    /// Access points played by buckets of the upstream, when the proxy is
    /// s3cp's HTTP or HTTPS proxy ([`Proxy::access_point`],
    /// [`Proxy::bucket_alias`]).
    access_points: Mutex<Vec<AccessPointRoute>>,
}

/// An access point the proxy plays with a bucket of the upstream.
#[derive(Debug, Clone)]
struct AccessPointRoute {
    /// The first label of its host: `NAME-ACCOUNT` (an access point),
    /// `ALIAS` (a Multi-Region Access Point's `ALIAS.mrap`, an access
    /// point alias).
    label: String,
    /// Its ARN, as a copy source names it (`ARN/object/KEY`); empty for
    /// an alias, named as a bucket (`ALIAS/KEY`).
    arn: String,
    bucket: String,
}

/// A hold waiting for its request.
struct Hold {
    matches: Box<dyn Fn(&Request) -> bool + Send + Sync>,
    /// Which matching request is held, counting from 1; 0: every one.
    nth: usize,
    /// Matching requests seen since the hold was made.
    seen: usize,
    gate: Arc<GateState>,
}

impl std::fmt::Debug for Hold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hold")
            .field("gate", &self.gate.what)
            .field("seen", &self.seen)
            .finish()
    }
}

impl GateState {
    /// A request reached the hold point; the first one is what
    /// [`Gate::arrived`] returns.
    fn arrive(&self, request: &Request) {
        self.arrived.send_if_modified(|held| {
            let first = held.is_none();
            if first {
                *held = Some(request.clone());
            }
            first
        });
    }
}

#[derive(Debug)]
struct GateState {
    /// What is held, for messages: "UploadPartCopy #2, held before it is
    /// forwarded".
    what: String,
    at: At,
    /// The held request, once it reached the hold point.
    arrived: watch::Sender<Option<Request>>,
    /// Cancelled by [`Gate::release`] or when the gate is dropped.
    release: CancellationToken,
}

/// One held request: wait for it with [`Gate::arrived`], let it go with
/// [`Gate::release`] (or by dropping the gate).
#[derive(Debug)]
pub struct Gate {
    state: Arc<GateState>,
    inner: Arc<Inner>,
    _release_on_drop: DropGuard,
}

impl Gate {
    /// Waits until the held request reached its hold point and returns it;
    /// fails the test, naming what never came, after [`ARRIVAL_TIMEOUT`].
    pub async fn arrived(&self) -> Request {
        self.arrived_within(ARRIVAL_TIMEOUT).await
    }

    /// [`Gate::arrived`] with another timeout.
    pub async fn arrived_within(&self, timeout: Duration) -> Request {
        let mut rx = self.state.arrived.subscribe();
        match tokio::time::timeout(timeout, rx.wait_for(Option::is_some)).await {
            Ok(Ok(held)) => held.clone().expect("arrived"),
            Ok(Err(_)) => unreachable!("the gate keeps its sender"),
            Err(_) => {
                let seen: Vec<String> = self
                    .inner
                    .requests
                    .lock()
                    .unwrap()
                    .iter()
                    .map(|r| format!("{} {}", r.operation(), r.target))
                    .collect();
                panic!(
                    "{} never came within {} s; the proxy saw {} requests:\n{}",
                    self.state.what,
                    timeout.as_secs(),
                    seen.len(),
                    seen.join("\n")
                )
            }
        }
    }

    /// Whether the held request has reached its hold point (without waiting).
    pub fn has_arrived(&self) -> bool {
        self.state.arrived.borrow().is_some()
    }

    /// Lets the held request go on (at once if it has not arrived yet).
    pub fn release(&self) {
        self.state.release.cancel();
    }
}

#[derive(Debug)]
struct Faults {
    rules: Vec<Rule>,
    rng: StdRng,
    /// Requests seen per rule, for `EveryNth`.
    seen: Vec<u64>,
    /// Faults injected, by kind, for the test to report.
    injected: Vec<Fault>,
}

impl Proxy {
    /// Starts a proxy in front of `upstream` (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str) -> Proxy {
        let upstream = upstream
            .strip_prefix("http://")
            .expect("http upstream")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let closed = CancellationToken::new();
        let inner = Arc::new(Inner {
            requests: Mutex::default(),
            answers: Mutex::default(),
            handlers: Mutex::default(),
            added_headers: Mutex::default(),
            rewrites: Mutex::default(),
            rewritten: Mutex::default(),
            in_flight: Mutex::default(),
            open: Mutex::default(),
            faults: Mutex::new(Faults {
                rules: Vec::new(),
                rng: StdRng::seed_from_u64(0),
                seen: Vec::new(),
                injected: Vec::new(),
            }),
            holds: Mutex::default(),
            regions: Mutex::new((HashMap::new(), WrongRegion::Redirect301)),
            misdirected: Mutex::default(),
            closed: closed.clone(),
            sums: sums::Sums::default(),
            playing_sums: std::sync::atomic::AtomicBool::new(false),
            access_points: Mutex::default(),
        });
        let serving = inner.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (inner, upstream) = (serving.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = inner.accept(client, &upstream).await;
                });
            }
        });
        Proxy {
            endpoint,
            inner,
            _close: Arc::new(closed.drop_guard()),
        }
    }

    /// Holds the `nth` request of `operation` (counting from 1, from now)
    /// before it is forwarded, until the gate is released or dropped (if
    /// s3cp hangs up meanwhile, it is dropped, never forwarded).
    pub fn hold(&self, operation: &'static str, nth: usize) -> Gate {
        self.hold_where(At::Request, &format!("{operation} #{nth}"), nth, move |r| {
            r.operation() == operation
        })
    }

    /// Holds the answer to the `nth` request of `operation` (counting from
    /// 1, from now): the server has answered, s3cp has not seen it.
    pub fn hold_answer(&self, operation: &'static str, nth: usize) -> Gate {
        self.hold_where(At::Answer, &format!("{operation} #{nth}"), nth, move |r| {
            r.operation() == operation
        })
    }

    /// Holds, at `at`, the `nth` request (counting from 1, from now) for
    /// which `matches` is true; `what` names it in messages.
    pub fn hold_where(
        &self,
        at: At,
        what: &str,
        nth: usize,
        matches: impl Fn(&Request) -> bool + Send + Sync + 'static,
    ) -> Gate {
        assert!(nth >= 1, "requests are counted from 1");
        self.hold_matching(at, what, nth, matches)
    }

    /// Holds, at `at`, every request (from now) for which `matches` is
    /// true, sent again or not, until the gate is released or dropped;
    /// [`Gate::arrived`] returns the first.
    pub fn hold_every(
        &self,
        at: At,
        what: &str,
        matches: impl Fn(&Request) -> bool + Send + Sync + 'static,
    ) -> Gate {
        self.hold_matching(at, &format!("every {what}"), 0, matches)
    }

    /// [`Proxy::hold_where`]; `nth` 0 holds every match.
    fn hold_matching(
        &self,
        at: At,
        what: &str,
        nth: usize,
        matches: impl Fn(&Request) -> bool + Send + Sync + 'static,
    ) -> Gate {
        let release = CancellationToken::new();
        let state = Arc::new(GateState {
            what: format!(
                "{what}, held {}",
                match at {
                    At::Request => "before it is forwarded",
                    At::Answer => "after the server answered",
                }
            ),
            at,
            arrived: watch::Sender::new(None),
            release: release.clone(),
        });
        self.inner.holds.lock().unwrap().push(Hold {
            matches: Box::new(matches),
            nth,
            seen: 0,
            gate: state.clone(),
        });
        Gate {
            state,
            inner: self.inner.clone(),
            _release_on_drop: release.drop_guard(),
        }
    }

    /// Plays S3's part for the checksum algorithms added in 2026 from now
    /// on ([`sums`]; in front of moto, which the double reads objects
    /// from unsigned); the returned state marks objects and tells what
    /// they carry.
    pub fn play_new_checksums(&self) -> &sums::Sums {
        self.inner
            .playing_sums
            .store(true, std::sync::atomic::Ordering::SeqCst);
        &self.inner.sums
    }

    /// Answer every request of `operation` with this status and body.
    pub fn answer(&self, operation: &'static str, status: u16, body: &str) {
        self.inner.answers.lock().unwrap().push(Answer {
            operation,
            status,
            body: body.to_owned(),
            key: None,
        });
    }

    /// Answer the requests of `operation` for `key` alone (one object
    /// denied among many, say) with this status and body.
    pub fn answer_key(&self, operation: &'static str, key: &str, status: u16, body: &str) {
        self.inner.answers.lock().unwrap().push(Answer {
            operation,
            status,
            body: body.to_owned(),
            key: Some(key.to_owned()),
        });
    }

    /// Adds `name: value` to the server's answers to every request of
    /// `operation` (not to canned answers or faults).
    pub fn add_answer_header(&self, operation: &'static str, name: &str, value: &str) {
        self.inner.added_headers.lock().unwrap().push((
            operation,
            name.to_owned(),
            value.to_owned(),
        ));
    }

    /// Rewrites the server's successful answers to requests of `operation`
    /// for which `matches` is true (from now on, every one): `edit` is
    /// applied after the edits of earlier rewrites. `matches` sees the
    /// whole recorded request, body included. Canned answers and faults are
    /// not rewritten; an XML edit of an answer without an XML body (a HEAD)
    /// changes nothing. [`Proxy::rewritten`] says what was changed.
    ///
    /// ```ignore
    /// proxy.rewrite_answer(
    ///     "HeadObject",
    ///     move |r| r.is_for(DST_BUCKET, &key) && r.header("x-amz-checksum-mode") == Some("ENABLED"),
    ///     Edit::header("x-amz-checksum-crc64nvme", "AAAAAAAAAAA="),
    /// );
    /// ```
    pub fn rewrite_answer(
        &self,
        operation: &'static str,
        matches: impl Fn(&Request) -> bool + Send + Sync + 'static,
        edit: Edit,
    ) {
        self.inner.rewrites.lock().unwrap().push(Rewrite {
            operation,
            matches: Box::new(matches),
            edit,
        });
    }

    /// The changes made to the server's answers so far, in order.
    pub fn rewritten(&self) -> Vec<Rewritten> {
        self.inner.rewritten.lock().unwrap().clone()
    }

    /// Enforces regions from now on: each bucket of `table` is in its
    /// region (added to, or replacing, the buckets given before), and a
    /// request on it signed for another region is answered as `answer`
    /// says (for every bucket: the latest choice holds), not forwarded.
    /// The proxy's table is all that counts, not where the server keeps
    /// the bucket.
    ///
    /// ```ignore
    /// proxy.regions(&[(EU_BUCKET, "eu-west-1"), (DST_BUCKET, "us-east-1")], WrongRegion::Redirect301);
    /// // ... run s3cp with no region flags through the proxy ...
    /// assert_eq!(proxy.misdirected().len(), 1);
    /// ```
    pub fn regions(&self, table: &[(&str, &str)], answer: WrongRegion) {
        let mut regions = self.inner.regions.lock().unwrap();
        regions.0.extend(
            table
                .iter()
                .map(|(b, r)| ((*b).to_owned(), (*r).to_owned())),
        );
        regions.1 = answer;
    }

    /// Plays the access point `arn` with `bucket` of the upstream, for an
    /// s3cp that has this proxy as its HTTP proxy (`HTTP_PROXY`): a
    /// request for `http://NAME-ACCOUNT.HOST/KEY` (the host the SDK's rules
    /// give an access point behind a custom endpoint, sent in absolute
    /// form to the proxy) is forwarded as `/BUCKET/KEY`, and a copy source
    /// `ARN/object/KEY` as `BUCKET/KEY`. The recording keeps what s3cp sent
    /// ([`Request::url`], the `host` and `x-amz-copy-source` headers), with
    /// the path-style target the upstream got (for [`Request::bucket`]).
    ///
    /// A Multi-Region Access Point (`arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap`)
    /// is played the same way, at its host `ALIAS.mrap.accesspoint.s3-global...`.
    pub fn access_point(&self, arn: &str, bucket: &str) {
        let (_, rest) = arn
            .split_once(":accesspoint/")
            .expect("an access point ARN");
        let account = arn.split(':').nth(4).expect("an ARN");
        let label = match rest.strip_suffix(".mrap") {
            Some(alias) => alias.to_owned(),
            None => format!("{rest}-{account}"),
        };
        self.inner
            .access_points
            .lock()
            .unwrap()
            .push(AccessPointRoute {
                label,
                arn: arn.to_owned(),
                bucket: bucket.to_owned(),
            });
    }

    /// The environment that makes this proxy s3cp's HTTPS proxy
    /// (`HTTPS_PROXY`), trusted as AWS's hosts (`SSL_CERT_FILE`: the test
    /// CA, [`tls`]): with no `--endpoint-url`, s3cp's requests go where
    /// the SDK's endpoint rules send them on AWS, and reach this proxy.
    pub fn https_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("HTTPS_PROXY", self.endpoint.clone()),
            ("SSL_CERT_FILE", tls::ca().file().display().to_string()),
        ]
    }

    /// Plays the access point alias `alias` (a bucket name to S3 and to
    /// the SDK: `NAME-...-s3alias`) with `bucket` of the upstream: its
    /// virtual-hosted requests and copy sources (`ALIAS/KEY`) go to
    /// `bucket`.
    pub fn bucket_alias(&self, alias: &str, bucket: &str) {
        self.inner
            .access_points
            .lock()
            .unwrap()
            .push(AccessPointRoute {
                label: alias.to_owned(),
                arn: String::new(),
                bucket: bucket.to_owned(),
            });
    }

    /// The requests answered as signed for the wrong region so far, in
    /// order ([`Request::signed_region`] says which region each named).
    pub fn misdirected(&self) -> Vec<Request> {
        self.inner.misdirected.lock().unwrap().clone()
    }

    /// Adds fault rules, drawn with a generator seeded by `seed`.
    pub fn inject(&self, seed: u64, rules: Vec<Rule>) {
        let mut f = self.inner.faults.lock().unwrap();
        f.rng = StdRng::seed_from_u64(seed);
        f.seen = vec![0; rules.len()];
        f.rules = rules;
    }

    /// One fault rule: `fault` for the requests of `operation` that `when`
    /// picks (seed 1).
    pub fn fault(&self, operation: &'static str, when: When, fault: Fault) {
        self.inject(
            1,
            vec![Rule {
                operation: Some(operation),
                when,
                faults: vec![fault],
            }],
        );
    }

    /// Stops injecting faults.
    pub fn heal(&self) {
        self.inner.faults.lock().unwrap().rules.clear();
    }

    /// The faults injected so far.
    pub fn injected(&self) -> Vec<Fault> {
        self.inner.faults.lock().unwrap().injected.clone()
    }

    /// The most requests that were ever in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.inner.in_flight.lock().unwrap().1
    }

    /// Each recorded request, in order, with how many requests were open
    /// at the proxy when it arrived (itself included): from its arrival
    /// until its answer (canned, faulted or forwarded) was passed on. A
    /// time series of the requests in flight, as seen from the store.
    pub fn open_on_arrival(&self) -> Vec<(Request, usize)> {
        let requests = self.inner.requests.lock().unwrap();
        let open = self.inner.open.lock().unwrap();
        requests
            .iter()
            .cloned()
            .zip(open.1.iter().copied())
            .collect()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.inner.requests.lock().unwrap().clone()
    }

    /// The proxy as if new, at the same endpoint: what was recorded is
    /// forgotten, and the answers, faults, rewrites and holds set up are
    /// gone (a request held already stays held until its gate is released
    /// or dropped). For a rerun that must reach the same endpoint (which
    /// keys a copy's journal) as the run it continues, counted alone.
    pub fn reset(&self) {
        let inner = &self.inner;
        inner.holds.lock().unwrap().clear();
        inner.requests.lock().unwrap().clear();
        inner.open.lock().unwrap().1.clear();
        inner.misdirected.lock().unwrap().clear();
        inner.rewritten.lock().unwrap().clear();
        inner.answers.lock().unwrap().clear();
        inner.handlers.lock().unwrap().clear();
        inner.added_headers.lock().unwrap().clear();
        inner.rewrites.lock().unwrap().clear();
        let mut faults = inner.faults.lock().unwrap();
        faults.rules.clear();
        faults.seen.clear();
        faults.injected.clear();
    }

    /// The recorded requests of one operation.
    pub fn of(&self, operation: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation() == operation)
            .collect()
    }
}

impl Inner {
    /// The gates this request meets, before it is forwarded and after the
    /// server answered; holds that met their request are done.
    fn holds_for(&self, request: &Request) -> (Vec<Arc<GateState>>, Vec<Arc<GateState>>) {
        let (mut before, mut after) = (Vec::new(), Vec::new());
        self.holds.lock().unwrap().retain_mut(|hold| {
            if !(hold.matches)(request) {
                return true;
            }
            hold.seen += 1;
            if hold.seen < hold.nth {
                return true;
            }
            match hold.gate.at {
                At::Request => before.push(hold.gate.clone()),
                At::Answer => after.push(hold.gate.clone()),
            }
            // A hold of every match stays.
            hold.nth == 0
        });
        (before, after)
    }

    /// [`Inner::pause`] before the request is forwarded, reading what the
    /// client sends meanwhile (its body) into `buf`; false when the client
    /// hangs up first.
    async fn pause_request(
        &self,
        gates: &[Arc<GateState>],
        request: &Request,
        client: &mut impl ClientStream,
        buf: &mut Vec<u8>,
    ) -> bool {
        for gate in gates {
            gate.arrive(request);
            let mut chunk = [0u8; 8192];
            loop {
                // A hang-up first: released or not, it is not forwarded.
                tokio::select! {
                    biased;
                    read = client.read(&mut chunk) => match read {
                        Ok(0) | Err(_) => return false,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    },
                    () = gate.release.cancelled() => break,
                    () = self.closed.cancelled() => break,
                }
            }
        }
        true
    }

    /// Says the request has arrived at each gate in turn and waits there
    /// until it is released (or the proxy dropped).
    async fn pause(&self, gates: &[Arc<GateState>], request: &Request) {
        for gate in gates {
            gate.arrive(request);
            tokio::select! {
                () = gate.release.cancelled() => {}
                () = self.closed.cancelled() => {}
            }
        }
    }

    /// The region of the request's bucket, when it is enforced.
    fn bucket_region(&self, request: &Request) -> Option<String> {
        let bucket = request.bucket()?;
        self.regions.lock().unwrap().0.get(&bucket).cloned()
    }

    /// S3's answer to a request signed for another region than its
    /// bucket's ([`Proxy::regions`]), recorded as misdirected; `None` when
    /// it is signed for its bucket's region, or unsigned, or its bucket's
    /// region is not enforced.
    fn wrong_region(&self, request: &Request) -> Option<Vec<u8>> {
        let region = self.bucket_region(request)?;
        let signed = request.signed_region()?;
        if signed == region {
            return None;
        }
        let bucket = request.bucket()?;
        let kind = self.regions.lock().unwrap().1;
        self.misdirected.lock().unwrap().push(request.clone());
        let named = matches!(kind, WrongRegion::Redirect301 | WrongRegion::Malformed400);
        let (status, body) = match kind {
            WrongRegion::Redirect301NoRegion => (
                "301 Moved Permanently",
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message><Endpoint>{bucket}.s3.amazonaws.com</Endpoint><Bucket>{bucket}</Bucket><RequestId>PROXY</RequestId><HostId>PROXY</HostId></Error>"
                ),
            ),
            WrongRegion::Malformed400NoRegion => (
                "400 Bad Request",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed</Message><RequestId>PROXY</RequestId><HostId>PROXY</HostId></Error>".to_owned(),
            ),
            WrongRegion::Redirect301 => (
                "301 Moved Permanently",
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message><Endpoint>{bucket}.s3.{region}.amazonaws.com</Endpoint><Bucket>{bucket}</Bucket><RequestId>PROXY</RequestId><HostId>PROXY</HostId></Error>"
                ),
            ),
            WrongRegion::Malformed400 => (
                "400 Bad Request",
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region '{signed}' is wrong; expecting '{region}'</Message><Region>{region}</Region><RequestId>PROXY</RequestId><HostId>PROXY</HostId></Error>"
                ),
            ),
        };
        let mut answer = format!("HTTP/1.1 {status}\r\n");
        if named {
            answer.push_str(&format!("x-amz-bucket-region: {region}\r\n"));
        }
        answer.push_str("x-amz-request-id: PROXY\r\ncontent-type: application/xml\r\n");
        if request.method == "HEAD" {
            answer.push_str("connection: close\r\n\r\n");
        } else {
            answer.push_str(&format!(
                "content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            ));
        }
        Some(answer.into_bytes())
    }

    fn fault_for(&self, operation: &str) -> Option<Fault> {
        let mut f = self.faults.lock().unwrap();
        let Faults {
            rules,
            rng,
            seen,
            injected,
        } = &mut *f;
        for (i, rule) in rules.iter().enumerate() {
            if rule.operation.is_some_and(|op| op != operation) || rule.faults.is_empty() {
                continue;
            }
            seen[i] += 1;
            let hit = match rule.when {
                When::EveryNth(n) => seen[i] % n == 0,
                When::Probability(p) => rng.random_bool(p),
                When::First(n) => seen[i] <= n,
            };
            if hit {
                let mut fault = rule.faults[rng.random_range(0..rule.faults.len())];
                let copy = matches!(
                    operation,
                    "CopyObject" | "UploadPartCopy" | "CompleteMultipartUpload"
                );
                if matches!(fault, Fault::ErrorIn200 { .. }) && !copy {
                    fault = Fault::InternalError;
                }
                injected.push(fault);
                return Some(fault);
            }
        }
        None
    }

    /// Serves one connection: its request, or, for a `CONNECT` (the
    /// proxy as s3cp's HTTPS proxy), the request inside the tunnel, with
    /// the TLS ended here ([`tls`]).
    async fn accept(&self, mut client: TcpStream, upstream: &str) -> std::io::Result<()> {
        let Some((buf, head_end)) = read_head(&mut client).await? else {
            return Ok(());
        };
        let Some(authority) = buf
            .strip_prefix(b"CONNECT ")
            .and_then(|rest| rest.split(|&b| b == b' ').next())
        else {
            return self.serve(client, buf, head_end, upstream, None).await;
        };
        let authority = String::from_utf8_lossy(authority).into_owned();
        let host = authority
            .rsplit_once(':')
            .map_or(authority.as_str(), |(h, _)| h);
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
        let mut tls = tls::ca().acceptor(host).accept(client).await?;
        let Some((buf, head_end)) = read_head(&mut tls).await? else {
            return Ok(());
        };
        self.serve(tls, buf, head_end, upstream, Some(host)).await
    }

    /// Serves one request whose head is `buf[..head_end]` (with what
    /// followed it), from `client`; `tunnel` is the host of the TLS tunnel
    /// it came through, if any (its target is then `https://HOST` + path).
    async fn serve(
        &self,
        mut client: impl ClientStream,
        mut buf: Vec<u8>,
        head_end: usize,
        upstream: &str,
        tunnel: Option<&str>,
    ) -> std::io::Result<()> {
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut start = lines.next().unwrap_or("").split(' ');
        let method = start.next().unwrap_or("").to_owned();
        let url = start.next().unwrap_or("").to_owned();
        let url = match tunnel {
            Some(host) => format!("https://{host}{url}"),
            None => url,
        };
        // As s3cp's HTTP or HTTPS proxy: an absolute URL to route.
        let routes = self.access_points.lock().unwrap().clone();
        let (target, routed) = route(&url, &routes);
        let mut headers = HashMap::new();
        let mut forwarded = format!("{method} {target} HTTP/1.1\r\n");
        for line in lines.filter(|l| !l.is_empty()) {
            let mut line = line.to_owned();
            if let Some((k, v)) = line.clone().split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                if k == "connection" || k == "proxy-connection" {
                    continue;
                }
                let v = v.trim().to_owned();
                if routed {
                    match k.as_str() {
                        "host" => line = format!("host: {upstream}"),
                        "x-amz-copy-source" => {
                            line = format!("x-amz-copy-source: {}", copy_source(&v, &routes))
                        }
                        _ => {}
                    }
                }
                headers.insert(k, v);
            }
            forwarded.push_str(&line);
            forwarded.push_str("\r\n");
        }
        forwarded.push_str("connection: close\r\n\r\n");
        let mut request = Request {
            method,
            target,
            headers,
            body: None,
            url: routed.then_some(url),
        };
        let operation = request.operation();
        let recorded = {
            let mut requests = self.requests.lock().unwrap();
            requests.push(request.clone());
            let mut open = self.open.lock().unwrap();
            open.0 += 1;
            let now = open.0;
            open.1.push(now);
            requests.len() - 1
        };
        let _open = Open(&self.open);
        let (held_request, held_answer) = self.holds_for(&request);
        if !self
            .pause_request(&held_request, &request, &mut client, &mut buf)
            .await
        {
            // s3cp gave up on it while it was held (Ctrl-C, say): it never
            // reaches the server, as though lost on the way.
            return Ok(());
        }

        // The whole request body first (copy requests have none or a small
        // one), so that the server can answer before anything else is read,
        // and so that it is recorded. A chunked body (no Content-Length) is
        // piped after the head, as it comes.
        let body_len: usize = request_length(&head);
        while buf.len() < head_end + body_len {
            let mut chunk = [0u8; 8192];
            let n = client.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let chunked = request.headers.contains_key("transfer-encoding");
        if !chunked && body_len <= RECORDED_BODY_LIMIT && buf.len() >= head_end + body_len {
            request.body = Some(buf[head_end..head_end + body_len].to_vec());
            self.requests.lock().unwrap()[recorded].body = request.body.clone();
        }
        let edits: Vec<Edit> = self
            .rewrites
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.operation == operation && (r.matches)(&request))
            .map(|r| r.edit.clone())
            .collect();

        // A request signed for the wrong region is refused before anything
        // else (canned answers and faults do not see it, as on S3).
        if let Some(response) = self.wrong_region(&request) {
            self.pause(&held_answer, &request).await;
            client.write_all(&response).await?;
            return client.shutdown().await;
        }
        // S3 names the bucket's region in every HeadBucket answer.
        let region_header = match operation {
            "HeadBucket" => self.bucket_region(&request),
            _ => None,
        };

        let request_body = &buf[head_end..(head_end + body_len).min(buf.len())];
        let sums = match self.playing_sums.load(std::sync::atomic::Ordering::SeqCst) {
            true => self.sums.before(&request, request_body),
            false => sums::Before::Pass,
        };
        if let sums::Before::Refuse(status, body) = &sums {
            let response = format!(
                "HTTP/1.1 {status} Refused\r\ncontent-type: application/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len(),
            );
            self.pause(&held_answer, &request).await;
            client.write_all(response.as_bytes()).await?;
            return client.shutdown().await;
        }
        let play_sums = matches!(sums, sums::Before::Edit);
        let answer = self
            .answers
            .lock()
            .unwrap()
            .iter()
            .find(|a| {
                a.operation == operation
                    && a.key
                        .as_ref()
                        .is_none_or(|k| request.key().as_deref() == Some(k))
            })
            .cloned();
        let fault = self.fault_for(operation);
        let retry_after = match fault {
            Some(Fault::SlowDownRetryAfter(ms)) => format!("x-amz-retry-after: {ms}\r\n"),
            _ => String::new(),
        };
        let mut flip = None;
        let canned = match (answer, fault) {
            (Some(a), _) => Some((a.status, a.body)),
            (None, Some(Fault::SlowDown | Fault::SlowDownRetryAfter(_))) => Some((
                503,
                error_xml("SlowDown", "Please reduce your request rate."),
            )),
            (None, Some(Fault::InternalError)) => Some((
                500,
                error_xml(
                    "InternalError",
                    "We encountered an internal error. Please try again.",
                ),
            )),
            (None, Some(Fault::PreconditionFailed)) => Some((
                412,
                error_xml(
                    "PreconditionFailed",
                    "At least one of the pre-conditions you specified did not hold",
                ),
            )),
            (None, Some(Fault::ConditionalConflict)) => Some((
                409,
                error_xml(
                    "ConditionalRequestConflict",
                    "A conflicting operation occurred. If using PutObject you can retry the \
                     request. If using multipart upload you should initiate another \
                     CreateMultipartUpload request and re-upload each part.",
                ),
            )),
            (None, Some(Fault::ErrorIn200 { whitespace })) => {
                let body = error_xml(
                    "InternalError",
                    "We encountered an internal error. Please try again.",
                );
                Some((
                    200,
                    if whitespace {
                        format!("\n\n   {body}")
                    } else {
                        body
                    },
                ))
            }
            (None, Some(Fault::Delay(ms))) => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                None
            }
            (None, Some(Fault::ResetMidResponse)) => {
                let held = (&held_answer[..], &request);
                return self
                    .reset_mid_response(client, upstream, &forwarded, &buf[head_end..], held)
                    .await;
            }
            // Forwarded as any request; its answer is read whole and the
            // byte flipped below, with the rewrites.
            (None, Some(Fault::FlipByte(at))) => {
                flip = Some(at);
                None
            }
            (None, Some(Fault::CutBody(keep))) => {
                let held = (&held_answer[..], &request);
                return self
                    .cut_body(client, upstream, &forwarded, &buf[head_end..], keep, held)
                    .await;
            }
            (None, None) => None,
        };
        let canned = match canned {
            None => self.handled(&request).await,
            canned => canned,
        };
        if let Some((status, body)) = canned {
            let response = format!(
                "HTTP/1.1 {status} Canned\r\n{retry_after}content-type: application/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len(),
            );
            self.pause(&held_answer, &request).await;
            client.write_all(response.as_bytes()).await?;
            return client.shutdown().await;
        }

        // In flight from the request's arrival to the first byte of its
        // answer: inside the time the client waits, so never over-counted.
        {
            let mut f = self.in_flight.lock().unwrap();
            f.0 += 1;
            f.1 = f.1.max(f.0);
        }
        let mut counted = true;
        let added: Vec<String> = self
            .added_headers
            .lock()
            .unwrap()
            .iter()
            .filter(|(op, _, _)| *op == operation)
            .map(|(_, name, value)| format!("{name}: {value}\r\n"))
            .collect();
        let result = async {
            let mut server = TcpStream::connect(upstream).await?;
            server.write_all(forwarded.as_bytes()).await?;
            server.write_all(&buf[head_end..]).await?;
            let mut first = [0u8; 8192];
            let n = server.read(&mut first).await?;
            self.observed(&request, &first[..n]);
            self.in_flight.lock().unwrap().0 -= 1;
            counted = false;
            if held_answer.is_empty()
                && added.is_empty()
                && edits.is_empty()
                && flip.is_none()
                && region_header.is_none()
                && !play_sums
            {
                client.write_all(&first[..n]).await?;
                return tokio::io::copy_bidirectional(&mut client, &mut server).await;
            }
            // The whole answer (the server closes after it: `Connection:
            // close`), so that the server has finished before s3cp sees any
            // (and it can be changed).
            let mut answer = first[..n].to_vec();
            let read = server.read_to_end(&mut answer);
            tokio::time::timeout(Duration::from_secs(30), read)
                .await
                .map_err(|_| std::io::Error::other("the server's answer did not end"))??;
            if !added.is_empty() {
                // After the status line: the headers come next.
                let at = answer
                    .windows(2)
                    .position(|w| w == b"\r\n")
                    .map(|i| i + 2)
                    .ok_or_else(|| std::io::Error::other("no status line in the answer"))?;
                answer.splice(at..at, added.concat().into_bytes());
            }
            if !edits.is_empty() {
                let changed;
                (answer, changed) = answer::rewrite(answer, &request, &edits);
                self.rewritten.lock().unwrap().extend(changed);
            }
            if play_sums {
                answer = self
                    .sums
                    .after(&request, request_body, answer, upstream)
                    .await;
            }
            if let Some(at) = flip {
                answer = answer::flip_byte(answer, &request, at);
            }
            if let Some(region) = &region_header {
                match answer::parse(&answer, true) {
                    Ok(mut parsed) => {
                        parsed.set_header("x-amz-bucket-region", region);
                        answer = parsed.to_bytes();
                    }
                    Err(e) => eprintln!("proxy: HeadBucket {}: {e}", request.target),
                }
            }
            self.pause(&held_answer, &request).await;
            client.write_all(&answer).await?;
            client.shutdown().await?;
            Ok((0, 0))
        }
        .await;
        if counted {
            self.in_flight.lock().unwrap().0 -= 1;
        }
        result.map(|_| ())
    }

    /// Forwards the request, passes on half of the first chunk of the
    /// answer, then resets the connection.
    async fn reset_mid_response(
        &self,
        mut client: impl ClientStream,
        upstream: &str,
        head: &str,
        body_start: &[u8],
        (held_answer, request): (&[Arc<GateState>], &Request),
    ) -> std::io::Result<()> {
        let mut server = TcpStream::connect(upstream).await?;
        server.write_all(head.as_bytes()).await?;
        server.write_all(body_start).await?;
        // The rest of the request body, if any, then the start of the answer.
        {
            let (mut from_client, _) = tokio::io::split(&mut client);
            let mut to_server = server.split().1;
            let forward = tokio::io::copy(&mut from_client, &mut to_server);
            let _ = tokio::time::timeout(Duration::from_millis(50), forward).await;
        }
        let mut answer = [0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(30), server.read(&mut answer))
            .await
            .unwrap_or(Ok(0))?;
        self.pause(held_answer, request).await;
        client.write_all(&answer[..n / 2]).await?;
        // Through TLS, what rustls still holds goes out before the reset.
        client.flush().await?;
        client.reset()
    }
}

impl Inner {
    /// Forwards the request, passes on the answer's head and the first
    /// `keep` bytes of its body (fewer if the body is shorter), then resets
    /// the connection.
    async fn cut_body(
        &self,
        mut client: impl ClientStream,
        upstream: &str,
        head: &str,
        body_start: &[u8],
        keep: usize,
        (held_answer, request): (&[Arc<GateState>], &Request),
    ) -> std::io::Result<()> {
        let mut server = TcpStream::connect(upstream).await?;
        server.write_all(head.as_bytes()).await?;
        server.write_all(body_start).await?;
        // The answer's head and `keep` bytes of body, or all there is.
        let mut answer = Vec::new();
        let read = async {
            loop {
                let head_end = answer
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map(|i| i + 4);
                if head_end.is_some_and(|end| answer.len() >= end + keep) {
                    answer.truncate(head_end.unwrap() + keep);
                    return Ok::<_, std::io::Error>(());
                }
                let mut chunk = [0u8; 8192];
                let n = server.read(&mut chunk).await?;
                if n == 0 {
                    return Ok(());
                }
                answer.extend_from_slice(&chunk[..n]);
            }
        };
        tokio::time::timeout(Duration::from_secs(30), read)
            .await
            .map_err(|_| std::io::Error::other("the server's answer did not come"))??;
        self.pause(held_answer, request).await;
        client.write_all(&answer).await?;
        client.flush().await?;
        client.reset()
    }
}

/// A connection from s3cp: plain TCP, or TLS ended by the proxy.
trait ClientStream: AsyncRead + AsyncWrite + Unpin + Send {
    /// Closes the connection with a reset, at once.
    fn reset(self) -> std::io::Result<()>;
}

impl ClientStream for TcpStream {
    fn reset(self) -> std::io::Result<()> {
        // SO_LINGER 0: close with a reset, at once (no blocking at 0).
        #[allow(deprecated)]
        self.set_linger(Some(Duration::ZERO))?;
        drop(self);
        Ok(())
    }
}

impl ClientStream for tokio_rustls::server::TlsStream<TcpStream> {
    fn reset(self) -> std::io::Result<()> {
        self.into_inner().0.reset()
    }
}

/// The bytes of a request's head and what came with it, and where the
/// head ends; `None` when the client hung up first.
async fn read_head(
    client: &mut (impl AsyncRead + Unpin),
) -> std::io::Result<Option<(Vec<u8>, usize)>> {
    let mut buf = Vec::new();
    loop {
        let mut chunk = [0u8; 8192];
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Ok(Some((buf, i + 4)));
        }
    }
}

/// One request open at the proxy, until its answer was passed on.
struct Open<'a>(&'a Mutex<(usize, Vec<usize>)>);

impl Drop for Open<'_> {
    fn drop(&mut self) {
        self.0.lock().unwrap().0 -= 1;
    }
}

/// The Content-Length of a request head (0 when absent).
fn request_length(head: &str) -> usize {
    head.split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

/// The path-style target for `url` (a request line's target), and
/// whether it was an absolute URL (the proxy is s3cp's HTTP proxy, or the
/// request came through its HTTPS tunnel): an access point's
/// (`http://NAME-ACCOUNT.HOST/KEY?QUERY`, on AWS
/// `https://NAME-ACCOUNT.s3-accesspoint.REGION.amazonaws.com/...`) or a
/// Multi-Region Access Point's (`https://ALIAS.mrap.accesspoint.s3-global.amazonaws.com/...`)
/// becomes `/BUCKET/KEY?QUERY` of the bucket that plays it; a
/// virtual-hosted bucket's (`http://BUCKET.s3.test/KEY`, a directory
/// bucket's `https://BUCKET.s3express-ZONE.REGION.amazonaws.com/KEY`)
/// `/BUCKET/KEY`; a path-style one (`http://s3.test/BUCKET/KEY`,
/// `https://s3.REGION.amazonaws.com/BUCKET/KEY`) its path. Any other
/// absolute URL is taken for a virtual-hosted bucket's (the tests reach
/// no other AWS host: S3 Control, STS, FIPS would be misrouted); a target
/// that is not absolute stays as it is.
fn route(url: &str, routes: &[AccessPointRoute]) -> (String, bool) {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return (url.to_owned(), false);
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let label = authority.split('.').next().unwrap_or("");
    let bucket = match routes.iter().find(|r| r.label == label) {
        Some(r) => r.bucket.as_str(),
        None if label == "s3" => return (path.to_owned(), true),
        None => label,
    };
    let path = path.strip_prefix('/').unwrap_or(path);
    let sep = if path.is_empty() || path.starts_with('?') {
        ""
    } else {
        "/"
    };
    (format!("/{bucket}{sep}{path}"), true)
}

/// An access point's copy source (`ARN/object/KEY`, the ARN as s3cp sends
/// it, the key encoded) or an alias's (`ALIAS/KEY`) as the bucket that
/// plays it names it (`BUCKET/KEY`, the key as sent); any other stays as
/// it is.
fn copy_source(value: &str, routes: &[AccessPointRoute]) -> String {
    for r in routes {
        let named = match r.arn.is_empty() {
            true => format!("{}/", r.label),
            false => format!("{}/object/", r.arn),
        };
        if let Some(key) = value.strip_prefix(&named) {
            return format!("{}/{key}", r.bucket);
        }
    }
    value.to_owned()
}

/// S3's `<Error>` document, as the proxy and the doubles answer it.
pub fn error_xml(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>PROXY</RequestId></Error>"
    )
}
