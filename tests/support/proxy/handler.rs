//! Requests the proxy answers itself, with an async handler: where a test
//! needs an operation that no test server implements (RenameObject, see
//! `support::rename`), the handler plays it, reading and writing the
//! server as it must (through its own client, not through the proxy), and
//! returns the answer's status and body. A handled request is recorded,
//! held and released like any other ([`super::Proxy::hold`] holds it
//! before the handler runs); canned answers ([`super::Proxy::answer`])
//! and faults come first.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::{Inner, Proxy, Request};

/// What a handler answers: the HTTP status and the body (XML, or empty).
pub type Handled = (u16, String);

type Boxed = Pin<Box<dyn Future<Output = Handled> + Send>>;

/// A handler of one operation's requests.
#[derive(Clone)]
pub(super) struct Handler {
    pub(super) operation: &'static str,
    run: Arc<dyn Fn(Request) -> Boxed + Send + Sync>,
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
        handlers.retain(|h| h.operation != operation);
        handlers.push(Handler { operation, run });
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
            .find(|h| h.operation == operation)
            .cloned()?;
        Some((handler.run)(request.clone()).await)
    }
}
