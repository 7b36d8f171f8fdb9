//! Requests the proxy answers itself, with an async handler: where a test
//! needs an operation that no test server implements (RenameObject, see
//! `support::rename`), the handler plays it, reading and writing the
//! server as it must (through its own client, not through the proxy), and
//! returns the answer's status and body. A handled request is recorded,
//! held and released like any other ([`super::Proxy::hold`] holds it
//! before the handler runs); canned answers ([`super::Proxy::answer`])
//! and faults come first.
//!
//! A test can also watch the answers of an operation that the proxy
//! forwards ([`Proxy::after`]): a double that keeps what the server does
//! not (annotations, see `support::annotations`) follows the server's
//! writes (a CopyObject's 200, say) by it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::{Inner, Proxy, Request};

/// What a handler answers: the HTTP status and the body (XML, or empty).
pub type Handled = (u16, String);

/// A handler's error answer: `status` with S3's `<Error>` document.
pub fn error_answer(status: u16, code: &str, message: &str) -> Handled {
    (status, super::error_xml(code, message))
}

type Boxed = Pin<Box<dyn Future<Output = Handled> + Send>>;

type After = Arc<dyn Fn(&Request, u16) + Send + Sync>;

/// A handler of one operation's requests: one that answers them, or one
/// that watches the server's answers to them.
#[derive(Clone)]
pub(super) struct Handler {
    pub(super) operation: &'static str,
    run: Option<Arc<dyn Fn(Request) -> Boxed + Send + Sync>>,
    after: Option<After>,
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handler")
            .field("operation", &self.operation)
            .finish()
    }
}

impl Proxy {
    /// Answers every request of `operation` (from now on) with what
    /// `handler` returns for it, instead of forwarding it; the latest
    /// handler of an operation wins.
    pub fn handle<F, Fut>(&self, operation: &'static str, handler: F)
    where
        F: Fn(Request) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Handled> + Send + 'static,
    {
        let run: Arc<dyn Fn(Request) -> Boxed + Send + Sync> =
            Arc::new(move |r| Box::pin(handler(r)) as Boxed);
        let mut handlers = self.inner.handlers.lock().unwrap();
        handlers.retain(|h| h.operation != operation || h.run.is_none());
        handlers.push(Handler {
            operation,
            run: Some(run),
            after: None,
        });
    }

    /// Calls `after` with each request of `operation` that the proxy
    /// forwards and the status the server answered it with, once that
    /// status is read (before the answer is passed on).
    pub fn after<F>(&self, operation: &'static str, after: F)
    where
        F: Fn(&Request, u16) + Send + Sync + 'static,
    {
        self.inner.handlers.lock().unwrap().push(Handler {
            operation,
            run: None,
            after: Some(Arc::new(after)),
        });
    }
}

impl Inner {
    /// The answer of the handler of `request`'s operation, if there is one.
    pub(super) async fn handled(&self, request: &Request) -> Option<Handled> {
        let operation = request.operation();
        let handler = self
            .handlers
            .lock()
            .unwrap()
            .iter()
            .find(|h| h.operation == operation && h.run.is_some())
            .cloned()?;
        Some((handler.run?)(request.clone()).await)
    }

    /// Tells the watchers of `request`'s operation the status the server
    /// answered with (the first bytes of its answer: `HTTP/1.1 200 ...`).
    pub(super) fn observed(&self, request: &Request, answer: &[u8]) {
        let status = std::str::from_utf8(&answer[..answer.len().min(16)])
            .ok()
            .and_then(|head| head.split(' ').nth(1))
            .and_then(|code| code.parse::<u16>().ok());
        let Some(status) = status else {
            return;
        };
        let operation = request.operation();
        let watchers: Vec<After> = self
            .handlers
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.operation == operation)
            .filter_map(|h| h.after.clone())
            .collect();
        for after in watchers {
            after(request, status);
        }
    }
}
