//! A recording HTTP proxy on loopback, between s3cp and a test server. It
//! records every request (method, path and query, headers) so tests can
//! assert on what s3cp sends where the server does not enforce a rule
//! (`If-None-Match: *` on CopyObject, no CopyObject above 5 GiB), and it can
//! answer chosen requests itself (a 403 on GetObjectTagging, say).
//!
//! Each connection carries one request: the proxy adds `Connection: close`
//! (unsigned, so signatures stay valid), forwards the head, then pipes bytes
//! both ways until either side closes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One recorded request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Lower-case header names.
    pub headers: HashMap<String, String>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    fn query_has(&self, param: &str) -> bool {
        self.target
            .split_once('?')
            .is_some_and(|(_, q)| q.split('&').any(|kv| kv.split('=').next() == Some(param)))
    }

    /// The S3 operation this request is, as far as the copy path goes.
    pub fn operation(&self) -> &'static str {
        let copy_source = self.headers.contains_key("x-amz-copy-source");
        match self.method.as_str() {
            "HEAD" => "HeadObject",
            "GET" if self.query_has("tagging") => "GetObjectTagging",
            "GET" if self.query_has("acl") => "GetObjectAcl",
            "GET" if self.query_has("uploads") => "ListMultipartUploads",
            "GET" if self.query_has("list-type") => "ListObjectsV2",
            "GET" => "GetObject",
            "PUT" if copy_source && self.query_has("partNumber") => "UploadPartCopy",
            "PUT" if copy_source => "CopyObject",
            "PUT" if self.query_has("partNumber") => "UploadPart",
            "PUT" => "PutObject",
            "POST" if self.query_has("uploads") => "CreateMultipartUpload",
            "POST" if self.query_has("uploadId") => "CompleteMultipartUpload",
            "DELETE" if self.query_has("uploadId") => "AbortMultipartUpload",
            "DELETE" => "DeleteObject",
            _ => "Other",
        }
    }
}

/// A canned answer for requests of one operation.
#[derive(Debug, Clone)]
pub struct Answer {
    pub operation: &'static str,
    pub status: u16,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Proxy {
    pub endpoint: String,
    requests: Arc<Mutex<Vec<Request>>>,
    answers: Arc<Mutex<Vec<Answer>>>,
    /// Requests in flight now, and the most ever in flight at once.
    in_flight: Arc<Mutex<(usize, usize)>>,
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
        let proxy = Proxy {
            endpoint,
            requests: Arc::default(),
            answers: Arc::default(),
            in_flight: Arc::default(),
        };
        let p = proxy.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (p, upstream) = (p.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = p.serve(client, &upstream).await;
                });
            }
        });
        proxy
    }

    /// Answer every request of `operation` with this status and body.
    pub fn answer(&self, operation: &'static str, status: u16, body: &str) {
        self.answers.lock().unwrap().push(Answer {
            operation,
            status,
            body: body.to_owned(),
        });
    }

    /// The most requests that were ever in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.in_flight.lock().unwrap().1
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// The recorded requests of one operation.
    pub fn of(&self, operation: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation() == operation)
            .collect()
    }

    async fn serve(&self, mut client: TcpStream, upstream: &str) -> std::io::Result<()> {
        // Read the request head.
        let mut buf = Vec::new();
        let head_end = loop {
            let mut chunk = [0u8; 8192];
            let n = client.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut start = lines.next().unwrap_or("").split(' ');
        let method = start.next().unwrap_or("").to_owned();
        let target = start.next().unwrap_or("").to_owned();
        let mut headers = HashMap::new();
        let mut forwarded = format!("{method} {target} HTTP/1.1\r\n");
        for line in lines.filter(|l| !l.is_empty()) {
            if let Some((k, v)) = line.split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                if k == "connection" {
                    continue;
                }
                headers.insert(k, v.trim().to_owned());
            }
            forwarded.push_str(line);
            forwarded.push_str("\r\n");
        }
        forwarded.push_str("connection: close\r\n\r\n");
        let request = Request {
            method,
            target,
            headers,
        };
        let operation = request.operation();
        self.requests.lock().unwrap().push(request);

        let answer = self
            .answers
            .lock()
            .unwrap()
            .iter()
            .find(|a| a.operation == operation)
            .cloned();
        if let Some(a) = answer {
            let response = format!(
                "HTTP/1.1 {} Canned\r\ncontent-type: application/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                a.status,
                a.body.len(),
                a.body
            );
            client.write_all(response.as_bytes()).await?;
            return client.shutdown().await;
        }

        {
            let mut f = self.in_flight.lock().unwrap();
            f.0 += 1;
            f.1 = f.1.max(f.0);
        }
        let result = async {
            let mut server = TcpStream::connect(upstream).await?;
            server.write_all(forwarded.as_bytes()).await?;
            server.write_all(&buf[head_end..]).await?;
            tokio::io::copy_bidirectional(&mut client, &mut server).await
        }
        .await;
        self.in_flight.lock().unwrap().0 -= 1;
        result.map(|_| ())
    }
}
