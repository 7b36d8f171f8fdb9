//! Rewriting a server's answer ([`super::Proxy::rewrite_answer`]): the
//! edits a rule can make ([`Edit`]), what a change records ([`Rewritten`]),
//! and the answer itself, read whole and taken apart ([`parse`]), edited,
//! then put back together with its framing made right for the new body:
//! de-chunked, sent with its own Content-Length and `Connection: close`.
//!
//! An answer to HEAD (and a 1xx, 204 or 304) has no body: its headers are
//! edited and its Content-Length (the object's size) is left alone.

use std::io;

use super::Request;

/// A change to the server's answer ([`super::Proxy::rewrite_answer`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Sets the text of the first `<name>` element of the XML body to
    /// `value` (escaped); when there is none, inserts `<name>value</name>`
    /// before the closing tag of the root element. Names are S3's:
    /// `ChecksumCRC64NVME`, `ChecksumCRC32`, `ChecksumType`, `ETag`.
    SetXmlElement { name: String, value: String },
    /// Sets header `name` to `value`, replacing any header of that name
    /// (any case), adding it when there is none.
    SetHeader { name: String, value: String },
    /// Puts the `<Contents>` elements of a ListObjectsV2 answer in another
    /// order, drawn from `seed` (never the order sent, when there are two
    /// or more): a directory bucket's listing, which S3 does not sort.
    /// The record's `was` is the keys as sent, one a line.
    ShuffleContents { seed: u64 },
}

impl Edit {
    /// [`Edit::SetXmlElement`].
    pub fn xml(name: &str, value: &str) -> Edit {
        Edit::SetXmlElement {
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }

    /// [`Edit::SetHeader`].
    pub fn header(name: &str, value: &str) -> Edit {
        Edit::SetHeader {
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }
}

/// One change the proxy made to an answer.
#[derive(Debug, Clone)]
pub struct Rewritten {
    /// The request whose answer was changed.
    pub request: Request,
    pub edit: Edit,
    /// What the server had sent: the element's text (as sent) or the
    /// header's value; `None` when the edit added it.
    pub was: Option<String>,
}

/// One answer, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// `HTTP/1.1 200 OK`, as sent.
    pub status_line: String,
    pub status: u16,
    /// In the order sent, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked (empty when the answer has none).
    pub body: Vec<u8>,
    /// Whether the answer has a body at all (not an answer to HEAD, nor a
    /// 1xx, 204 or 304): its framing is then rewritten for `body`.
    framed: bool,
}

/// Applies `edits` to a successful (2xx) answer: the answer to pass on and
/// the changes made. Any other answer, or one that cannot be taken apart,
/// goes on as it came.
pub fn rewrite(raw: Vec<u8>, request: &Request, edits: &[Edit]) -> (Vec<u8>, Vec<Rewritten>) {
    let mut parsed = match parse(&raw, request.method == "HEAD") {
        Ok(parsed) if (200..300).contains(&parsed.status) => parsed,
        Ok(_) => return (raw, Vec::new()),
        Err(e) => {
            eprintln!("proxy: {} {}: {e}", request.operation(), request.target);
            return (raw, Vec::new());
        }
    };
    let mut changed = Vec::new();
    for edit in edits {
        let was = match edit {
            Edit::SetHeader { name, value } => Ok(parsed.set_header(name, value)),
            // An answer with no body (HEAD) has no element to set.
            Edit::SetXmlElement { .. } if parsed.body.is_empty() => continue,
            Edit::SetXmlElement { name, value } => parsed.set_xml_element(name, value),
            Edit::ShuffleContents { seed } => parsed.shuffle_contents(*seed),
        };
        match was {
            Ok(was) => changed.push(Rewritten {
                request: request.clone(),
                edit: edit.clone(),
                was,
            }),
            Err(e) => eprintln!("proxy: {} {}: {e}", request.operation(), request.target),
        }
    }
    (parsed.to_bytes(), changed)
}

/// A successful answer with the byte at `at` of its body flipped (the
/// last one when the body is shorter), its length and headers kept
/// ([`super::Fault::FlipByte`]); any other answer as it came.
pub fn flip_byte(raw: Vec<u8>, request: &Request, at: usize) -> Vec<u8> {
    match parse(&raw, request.method == "HEAD") {
        Ok(mut parsed) if (200..300).contains(&parsed.status) && !parsed.body.is_empty() => {
            let i = at.min(parsed.body.len() - 1);
            parsed.body[i] ^= 0xff;
            parsed.to_bytes()
        }
        Ok(_) => raw,
        Err(e) => {
            eprintln!("proxy: {} {}: {e}", request.operation(), request.target);
            raw
        }
    }
}

/// Takes apart an answer read whole; `to_head` when the request was a HEAD
/// (whose answer has no body whatever its Content-Length says).
pub fn parse(raw: &[u8], to_head: bool) -> io::Result<Parsed> {
    let bad = |what: &str| io::Error::other(format!("cannot edit the answer: {what}"));
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of its head"))?;
    let head = std::str::from_utf8(&raw[..head_end]).map_err(|_| bad("its head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("").to_owned();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status code"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let framed = !to_head && !(100..200).contains(&status) && status != 204 && status != 304;
    let mut parsed = Parsed {
        status_line,
        status,
        headers,
        body: Vec::new(),
        framed,
    };
    if framed {
        let rest = &raw[head_end + 4..];
        let chunked = parsed
            .header("transfer-encoding")
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
        parsed.body = if chunked {
            dechunk(rest).ok_or_else(|| bad("its chunked body is cut short or malformed"))?
        } else if let Some(len) = parsed.header("content-length") {
            let len: usize = len.parse().map_err(|_| bad("a bad Content-Length"))?;
            rest.get(..len)
                .ok_or_else(|| bad("its body is shorter than its Content-Length"))?
                .to_vec()
        } else {
            // Neither: the body runs to the end of the connection.
            rest.to_vec()
        };
    }
    Ok(parsed)
}

/// The data of a chunked body (trailers dropped); `None` when it is cut
/// short or malformed.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let eol = rest.windows(2).position(|w| w == b"\r\n")?;
        let line = std::str::from_utf8(&rest[..eol]).ok()?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[eol + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size..)?.strip_prefix(b"\r\n")?;
    }
}

impl Parsed {
    /// The first header of this name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets header `name` to `value`, replacing every header of that name
    /// (any case); returns the value it had, `None` when it was added.
    pub fn set_header(&mut self, name: &str, value: &str) -> Option<String> {
        let was = self.header(name).map(str::to_owned);
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        was
    }

    /// Sets the text of the first `<name>` element of the XML body to
    /// `value` (escaped), or, when there is none, inserts
    /// `<name>value</name>` before the closing tag of the root element;
    /// returns the text it had (as sent, not unescaped), `None` when it was
    /// inserted. Fails when the body holds no XML element to edit.
    pub fn set_xml_element(&mut self, name: &str, value: &str) -> Result<Option<String>, String> {
        let body = std::str::from_utf8(&self.body)
            .map_err(|_| format!("the answer's body is not UTF-8 text, cannot set <{name}>"))?;
        let (body, was) = set_xml_element(body, name, value)?;
        self.body = body.into_bytes();
        Ok(was)
    }

    /// [`Edit::ShuffleContents`]: the keys as they were, one a line.
    pub fn shuffle_contents(&mut self, seed: u64) -> Result<Option<String>, String> {
        use rand::SeedableRng;
        use rand::seq::SliceRandom;
        let body = std::str::from_utf8(&self.body)
            .map_err(|_| "the answer's body is not UTF-8 text".to_owned())?;
        let (open, close) = ("<Contents>", "</Contents>");
        let (Some(first), Some(last)) = (body.find(open), body.rfind(close)) else {
            return Ok(None);
        };
        let end = last + close.len();
        let mut elements: Vec<&str> = body[first..end]
            .split_inclusive(close)
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        if elements.iter().any(|e| !e.starts_with(open)) {
            return Err("the <Contents> elements are not together".to_owned());
        }
        let was: Vec<String> = elements
            .iter()
            .map(|e| set_xml_element(e, "Key", "").map(|(_, k)| k.unwrap_or_default()))
            .collect::<Result<_, _>>()?;
        let sent = elements.clone();
        elements.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
        if elements == sent {
            elements.reverse();
        }
        let shuffled = format!("{}{}{}", &body[..first], elements.concat(), &body[end..]);
        self.body = shuffled.into_bytes();
        Ok(Some(was.join("\n")))
    }

    /// The answer as it goes to the client: a body with its own
    /// Content-Length (no Transfer-Encoding), and `Connection: close`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("{}\r\n", self.status_line);
        for (k, v) in &self.headers {
            let framing = k.eq_ignore_ascii_case("content-length")
                || k.eq_ignore_ascii_case("transfer-encoding");
            if k.eq_ignore_ascii_case("connection") || (self.framed && framing) {
                continue;
            }
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if self.framed {
            head.push_str(&format!("content-length: {}\r\n", self.body.len()));
        }
        head.push_str("connection: close\r\n\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

/// [`Parsed::set_xml_element`] on text: the new body and the text it had.
pub fn set_xml_element(
    body: &str,
    name: &str,
    value: &str,
) -> Result<(String, Option<String>), String> {
    let value = escape(value);
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    if let Some(start) = body.find(&open) {
        let text = start + open.len();
        let end = body[text..]
            .find(&close)
            .map(|i| text + i)
            .ok_or_else(|| format!("<{name}> is not closed in the answer's body"))?;
        let was = body[text..end].to_owned();
        return Ok((
            format!("{}{value}{}", &body[..text], &body[end..]),
            Some(was),
        ));
    }
    let empty = format!("<{name}/>");
    if let Some(start) = body.find(&empty) {
        let after = start + empty.len();
        return Ok((
            format!("{}{open}{value}{close}{}", &body[..start], &body[after..]),
            Some(String::new()),
        ));
    }
    let root = root_name(body)
        .ok_or_else(|| format!("no XML element in the answer's body to insert <{name}> into"))?;
    let at = body.rfind(&format!("</{root}>")).ok_or_else(|| {
        format!("the root element <{root}> is not closed, cannot insert <{name}>")
    })?;
    Ok((
        format!("{}{open}{value}{close}{}", &body[..at], &body[at..]),
        None,
    ))
}

/// The name of the first element (after the `<?xml ..?>` declaration and
/// any comment).
fn root_name(body: &str) -> Option<&str> {
    let mut rest = body;
    loop {
        rest = &rest[rest.find('<')? + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        return Some(&rest[..end]).filter(|n| !n.is_empty());
    }
}

/// Text made safe inside an XML element.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
