//! A double of S3's object annotations, which no test server implements,
//! played by the recording proxy in front of either server
//! ([`serve_annotations`]): an in-memory store of each object's
//! annotations (name → payload) and the four operations on it, in the
//! shapes the SDK reads (aws-sdk-s3's `shape_list_object_annotations`,
//! `shape_annotation_entry`, `shape_get_object_annotation`,
//! `shape_put_object_annotation`):
//!
//! - ListObjectAnnotations (`GET /bucket/key?annotation&x-id=...`): a
//!   `ListObjectAnnotationsOutput` document, its entries under
//!   `<Annotations><AnnotationEntry>` with name, last-modified time and
//!   size, `max-annotation-results` and continuation tokens honoured;
//! - GetObjectAnnotation (`...&annotationName=N`): the payload as the body,
//!   404 NoSuchAnnotation when there is none;
//! - PutObjectAnnotation (`PUT ...?annotation&annotationName=N`, the
//!   payload as the body; a `PutObjectAnnotationOutput` answer): 412 when `x-amz-object-if-match` is not the
//!   object's ETag (read from the server), 404 NoSuchKey without the object;
//!   it can be made to fail for one name ([`Annotations::fail_put`]);
//! - DeleteObjectAnnotation.
//!
//! CopyObject, which the proxy forwards, copies the source's annotations
//! to the destination once the server answered 200, unless
//! `x-amz-object-annotation-directive: EXCLUDE`, as S3 does. A bucket
//! marked as a directory bucket ([`Annotations::mark_directory`]) answers
//! every annotation operation 501 NotImplemented. Versions are not kept
//! apart (the tests' buckets are unversioned).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use aws_sdk_s3::Client;

use super::Server;
use super::proxy::answer::escape;
use super::proxy::{Handled, Proxy, Request, error_answer};

type Object = (String, String);

/// The double's store, shared with the test.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    store: Arc<Mutex<HashMap<Object, BTreeMap<String, String>>>>,
    directories: Arc<Mutex<HashSet<String>>>,
    failing: Arc<Mutex<HashSet<String>>>,
    unlisted: Arc<Mutex<HashSet<String>>>,
}

impl Annotations {
    /// Annotates `bucket/key` (the object itself is the server's).
    pub fn put(&self, bucket: &str, key: &str, name: &str, payload: &str) {
        let mut store = self.store.lock().unwrap();
        store
            .entry((bucket.to_owned(), key.to_owned()))
            .or_default()
            .insert(name.to_owned(), payload.to_owned());
    }

    /// The annotations of `bucket/key`, by name.
    pub fn of(&self, bucket: &str, key: &str) -> BTreeMap<String, String> {
        let store = self.store.lock().unwrap();
        store
            .get(&(bucket.to_owned(), key.to_owned()))
            .cloned()
            .unwrap_or_default()
    }

    /// Answers every annotation operation on `bucket` 501, as a directory
    /// bucket does.
    pub fn mark_directory(&self, bucket: &str) {
        self.directories.lock().unwrap().insert(bucket.to_owned());
    }

    /// Answers ListObjectAnnotations of `key` 400 InvalidRequest, as a
    /// store answers one object's listing that it took for a GetObject
    /// (Garage: "Object is encrypted").
    pub fn fail_list(&self, key: &str) {
        self.unlisted.lock().unwrap().insert(key.to_owned());
    }

    /// Answers PutObjectAnnotation of `name` 500 InternalError.
    pub fn fail_put(&self, name: &str) {
        self.failing.lock().unwrap().insert(name.to_owned());
    }
}

/// Has `proxy` (in front of `server`) play object annotations; returns
/// the store.
pub fn serve_annotations(proxy: &Proxy, server: &Server) -> Annotations {
    let annotations = Annotations::default();
    annotations.serve(proxy, server);
    annotations
}

impl Annotations {
    /// Has `proxy` (in front of `server`) play annotations from this
    /// store (another proxy's too, or the same after its reset).
    pub fn serve(&self, proxy: &Proxy, server: &Server) {
        let client = server.client();
        for operation in [
            "ListObjectAnnotations",
            "GetObjectAnnotation",
            "PutObjectAnnotation",
            "DeleteObjectAnnotation",
        ] {
            let (double, client) = (self.clone(), client.clone());
            proxy.handle(operation, move |request| {
                let (double, client) = (double.clone(), client.clone());
                async move { double.answer(&client, &request).await }
            });
        }
        let double = self.clone();
        proxy.after("CopyObject", move |request, status| {
            double.copied(request, status)
        });
    }
}

impl Annotations {
    async fn answer(&self, client: &Client, request: &Request) -> Handled {
        let (Some(bucket), Some(key)) = (request.bucket(), request.key()) else {
            return error_answer(400, "InvalidRequest", "An object key is required");
        };
        if self.directories.lock().unwrap().contains(&bucket) {
            return error_answer(
                501,
                "NotImplemented",
                "Annotations are not supported for directory buckets",
            );
        }
        let name = query(request, "annotationName");
        match (request.operation(), name) {
            ("ListObjectAnnotations", _) if self.unlisted.lock().unwrap().contains(&key) => {
                error_answer(400, "InvalidRequest", "Bad request: Object is encrypted")
            }
            ("ListObjectAnnotations", _) => self.list(&bucket, &key, request),
            ("GetObjectAnnotation", Some(name)) => match self.of(&bucket, &key).get(&name) {
                Some(payload) => (200, payload.clone()),
                None => error_answer(404, "NoSuchAnnotation", "The annotation does not exist"),
            },
            ("PutObjectAnnotation", Some(name)) => {
                self.put_from(client, &bucket, &key, &name, request).await
            }
            ("DeleteObjectAnnotation", Some(name)) => {
                let mut store = self.store.lock().unwrap();
                if let Some(names) = store.get_mut(&(bucket, key)) {
                    names.remove(&name);
                }
                (204, String::new())
            }
            _ => error_answer(400, "InvalidRequest", "annotationName is required"),
        }
    }

    fn list(&self, bucket: &str, key: &str, request: &Request) -> Handled {
        let all = self.of(bucket, key);
        let max = query(request, "max-annotation-results")
            .and_then(|m| m.parse::<usize>().ok())
            .unwrap_or(1000);
        let after = query(request, "continuation-token");
        let names: Vec<(&String, &String)> = all
            .iter()
            .filter(|(n, _)| after.as_ref().is_none_or(|a| *n > a))
            .collect();
        let page = &names[..names.len().min(max)];
        let next = match names.len() > max {
            true => format!(
                "<NextContinuationToken>{}</NextContinuationToken>",
                escape(page.last().expect("a page").0)
            ),
            false => String::new(),
        };
        let entries: String = page
            .iter()
            .map(|(name, payload)| {
                format!(
                    "<AnnotationEntry><AnnotationName>{}</AnnotationName>\
                     <LastModified>2026-12-01T00:00:00.000Z</LastModified>\
                     <Size>{}</Size></AnnotationEntry>",
                    escape(name),
                    payload.len()
                )
            })
            .collect();
        (
            200,
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListObjectAnnotationsOutput \
                 xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>{}</Bucket>\
                 <Key>{}</Key><AnnotationCount>{}</AnnotationCount><Annotations>{entries}\
                 </Annotations>{next}</ListObjectAnnotationsOutput>",
                escape(bucket),
                escape(key),
                page.len()
            ),
        )
    }

    async fn put_from(
        &self,
        client: &Client,
        bucket: &str,
        key: &str,
        name: &str,
        request: &Request,
    ) -> Handled {
        if self.failing.lock().unwrap().contains(name) {
            return error_answer(500, "InternalError", "We encountered an internal error.");
        }
        let etag = match client.head_object().bucket(bucket).key(key).send().await {
            Ok(head) => head.e_tag().unwrap_or_default().to_owned(),
            Err(_) => return error_answer(404, "NoSuchKey", "The specified key does not exist."),
        };
        if let Some(wanted) = request.header("x-amz-object-if-match")
            && wanted != etag
        {
            return error_answer(
                412,
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
            );
        }
        let Some(payload) = request.body_text() else {
            return error_answer(400, "IncompleteBody", "The payload was not read");
        };
        self.put(bucket, key, name, &payload);
        (
            200,
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PutObjectAnnotationOutput \
                 xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Key>{}</Key>\
                 <AnnotationName>{}</AnnotationName></PutObjectAnnotationOutput>",
                escape(key),
                escape(name)
            ),
        )
    }

    /// A CopyObject the server answered: the source's annotations go to
    /// the destination, unless EXCLUDE (or the copy failed).
    fn copied(&self, request: &Request, status: u16) {
        if status != 200 || request.header("x-amz-object-annotation-directive") == Some("EXCLUDE") {
            return;
        }
        let (Some(bucket), Some(key)) = (request.bucket(), request.key()) else {
            return;
        };
        let Some(source) = request.header("x-amz-copy-source") else {
            return;
        };
        let source = source.split('?').next().unwrap_or_default();
        let source = percent_encoding::percent_decode_str(source.trim_start_matches('/'))
            .decode_utf8_lossy()
            .into_owned();
        let Some((src_bucket, src_key)) = source.split_once('/') else {
            return;
        };
        let names = self.of(src_bucket, src_key);
        let mut store = self.store.lock().unwrap();
        store.insert((bucket, key), names);
    }
}

/// The decoded value of query parameter `name`.
fn query(request: &Request, name: &str) -> Option<String> {
    let (_, query) = request.target.split_once('?')?;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}
