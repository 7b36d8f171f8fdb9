//! What a bulk run copies: the objects under a prefix (streamed from
//! ListObjectsV2 a page at a time, so memory stays flat however many keys
//! there are), or the lines of a manifest; with aws-cli's include/exclude
//! filters and a stable shard split for parallel CI runners.
//! [`crate::batch`] runs what this selects.

use anyhow::{Context, anyhow, bail};
use aws_sdk_s3::types::Object;
use futures::{Stream, StreamExt};
use globset::{Glob, GlobMatcher};
use md5::{Digest, Md5};
use tokio::io::AsyncBufReadExt;

use crate::error::s3;
use crate::job::CopyJob;
use crate::options::CopyOptions;
use crate::plan::CopyMode;
use crate::region::Regions;
use crate::request;
use crate::skip::Existing;
use crate::uri::S3Uri;

/// What a listing already says about an object, so that a small object can
/// be copied with one CopyObject and no HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub size: u64,
    pub etag: String,
    /// Whether the object has a checksum, as far as the listing tells:
    /// `Some(false)` only when the store is seen to report checksum
    /// algorithms in its listings (AWS, moto; Garage never does) and names
    /// none for this object.
    pub has_checksum: Option<bool>,
}

/// One copy of a bulk run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub job: CopyJob,
    pub listed: Option<Listed>,
    /// A manifest line's `"mode"`, which overrides `--copy-mode` for it.
    pub mode: Option<CopyMode>,
    /// What the destination listing says of its destination (`-r` with
    /// `--skip-existing` or `--skip-same`, by [`crate::merge`]).
    pub existing: Existing,
}

/// A manifest line or listing entry that cannot be copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadItem {
    /// Where it came from (`manifest line 3`).
    pub origin: String,
    pub src: Option<String>,
    pub dst: Option<String>,
    pub message: String,
    /// A listing request failed (`Error`, exit 1), rather than bad input
    /// (`UsageError`, exit 2).
    pub request_failed: bool,
}

/// What a listing or a manifest yields, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selected {
    /// One object to copy.
    Copy(Item),
    /// A line or a listing page that cannot be copied (reported as failed).
    Bad(BadItem),
    /// This many listed keys were left out because they lie under the
    /// destination prefix, inside the source prefix: s3cp's own output.
    Excluded(u64),
}

impl From<Result<Item, BadItem>> for Selected {
    fn from(r: Result<Item, BadItem>) -> Self {
        match r {
            Ok(item) => Selected::Copy(item),
            Err(bad) => Selected::Bad(bad),
        }
    }
}

/// One `--include` or `--exclude`, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    Include(String),
    Exclude(String),
}

/// aws-cli's filters: everything is included, then each filter in order
/// includes or excludes what it matches; the last match wins. So an
/// `--include` only takes back what an earlier `--exclude` left out.
/// Patterns match the key relative to the source prefix, and `*` crosses
/// `/`.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    rules: Vec<(bool, GlobMatcher)>,
    /// The filters as given (`--exclude '*' --include '*.csv'`), for the
    /// message of a run they left nothing to.
    given: String,
}

impl Filters {
    pub fn new(filters: &[Filter]) -> anyhow::Result<Self> {
        let rules = filters
            .iter()
            .map(|f| {
                let (include, pattern) = match f {
                    Filter::Include(p) => (true, p),
                    Filter::Exclude(p) => (false, p),
                };
                let glob = Glob::new(pattern).map_err(|e| {
                    anyhow!("'{pattern}' is not a valid glob ({e}): use *, ?, [abc] and {{a,b}}")
                })?;
                Ok((include, glob.compile_matcher()))
            })
            .collect::<anyhow::Result<_>>()?;
        let given = filters
            .iter()
            .map(|f| match f {
                Filter::Include(p) => format!("--include '{p}'"),
                Filter::Exclude(p) => format!("--exclude '{p}'"),
            })
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Self { rules, given })
    }

    /// The filters as given, if any.
    pub fn given(&self) -> Option<&str> {
        (!self.given.is_empty()).then_some(self.given.as_str())
    }

    /// The `--include` patterns given before any `--exclude`: they change
    /// nothing, since everything is included until an `--exclude` matches.
    pub fn idle_includes(filters: &[Filter]) -> Vec<&str> {
        filters
            .iter()
            .take_while(|f| matches!(f, Filter::Include(_)))
            .map(|f| match f {
                Filter::Include(p) | Filter::Exclude(p) => p.as_str(),
            })
            .collect()
    }

    pub fn includes(&self, relative_key: &str) -> bool {
        self.rules
            .iter()
            .rev()
            .find(|(_, m)| m.is_match(relative_key))
            .is_none_or(|(include, _)| *include)
    }
}

/// Shard `index` (0-based) of `count`: a stable hash of the source key picks
/// each object's shard, the same on every machine and run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `I/N` (1-based I).
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let bad = || anyhow!("--shard '{text}' is not I/N with 1 <= I <= N, e.g. --shard 2/3");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let (i, n): (u64, u64) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if i == 0 || n == 0 || i > n {
            return Err(bad());
        }
        Ok(Self {
            index: i - 1,
            count: n,
        })
    }

    pub fn contains(&self, src: &S3Uri) -> bool {
        let digest = Md5::digest(format!("{}/{}", src.bucket, src.key).as_bytes());
        let hash = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
        hash % self.count == self.index
    }
}

/// A prefix as aws-cli reads a "directory": `s3://b/dir` means `dir/`.
pub fn as_prefix(uri: &S3Uri) -> S3Uri {
    let mut p = uri.clone();
    if !p.key.is_empty() && !p.key.ends_with('/') {
        p.key.push('/');
    }
    p
}

/// What `-r SRC DST` copies: every object under the `src` prefix to the
/// same relative key under the `dst` prefix, filtered and sharded.
#[derive(Debug, Clone)]
pub struct Listing {
    pub src: S3Uri,
    pub dst: S3Uri,
    pub filters: Filters,
    pub shard: Option<Shard>,
    /// One store holds both ends (else the same names are two places).
    pub same_store: bool,
}

impl Listing {
    /// The destination prefix when it lies inside the source prefix (same
    /// bucket): the keys under it are s3cp's own output, left out of the
    /// listing so that nothing is copied twice (`-r s3://b/a/ s3://b/a/sub/`).
    /// A prefix copied onto itself (to change its objects) excludes nothing.
    pub fn own_output(&self) -> Option<&str> {
        let (src, dst) = (&self.src, &self.dst);
        let inside = src.bucket == dst.bucket && dst.key.starts_with(&src.key);
        (self.same_store && inside && dst.key != src.key).then_some(dst.key.as_str())
    }

    /// The copies of one listing page, and how many of its keys were left
    /// out as s3cp's own output. `reports_checksums`: this run's listing
    /// has named a checksum algorithm for some object (this page's
    /// included), so the store reports them and an object without one has
    /// none.
    pub fn page(&self, objects: &[Object], reports_checksums: bool) -> (Vec<Item>, u64) {
        let own_output = self.own_output();
        let mut items = Vec::new();
        let mut excluded = 0;
        for object in objects {
            let Some(key) = object.key() else { continue };
            let relative = &key[self.src.key.len().min(key.len())..];
            if relative.is_empty() {
                continue;
            }
            let src = S3Uri {
                bucket: self.src.bucket.clone(),
                key: key.to_owned(),
                version_id: None,
            };
            // Shard first, so that N runners' excluded counts add up.
            if self.shard.is_some_and(|s| !s.contains(&src)) {
                continue;
            }
            if own_output.is_some_and(|out| key.starts_with(out)) {
                excluded += 1;
                continue;
            }
            if !self.filters.includes(relative) {
                continue;
            }
            let dst = S3Uri {
                bucket: self.dst.bucket.clone(),
                key: format!("{}{relative}", self.dst.key),
                version_id: None,
            };
            items.push(Item {
                job: CopyJob { src, dst },
                listed: Some(Listed {
                    size: object.size().unwrap_or(0).max(0) as u64,
                    etag: object.e_tag().unwrap_or_default().to_owned(),
                    has_checksum: match object.checksum_algorithm() {
                        [] if reports_checksums => Some(false),
                        [] => None,
                        _ => Some(true),
                    },
                }),
                mode: None,
                existing: Existing::Unknown,
            });
        }
        (items, excluded)
    }

    /// Streams the copies, one ListObjectsV2 page in memory at a time. Each
    /// page is one request of the shared `budget` (it holds a permit while
    /// it is fetched), built by [`request::list_objects`] (so it carries
    /// `--request-payer` and `--expected-source-bucket-owner`). It goes to
    /// the source bucket's region: when S3 answers the first page with a
    /// redirect, the region is learned and the listing starts again there.
    pub fn stream<'a>(
        self,
        regions: &'a Regions,
        budget: &'a crate::budget::Budget,
        opts: &'a CopyOptions,
        endpoint: &'a str,
        stop: &'a crate::stop::Stop,
    ) -> impl Stream<Item = Selected> + 'a {
        if let Some(out) = self.own_output() {
            tracing::info!(
                "the destination s3://{}/{out} lies inside the source {}: the keys under it \
                 are left out of the listing (counted as excluded), so s3cp never copies its \
                 own output",
                self.dst.bucket,
                self.src
            );
        }
        let bucket = self.src.bucket.clone();
        let pages = request::list_objects(&regions.client_for(&bucket), &self.src, opts)
            .into_paginator()
            .send();
        let pages = Pages::Now(pages);
        futures::stream::unfold(Some((self, pages, false, true)), move |state| async move {
            let (listing, pages, reports_checksums, first) = state?;
            // A run stopped early lists no further.
            if stop.is_tripped() {
                return None;
            }
            let (mut pages, mut page) = match pages {
                Pages::Now(mut pages) => {
                    let _permit = budget.acquire().await;
                    let page = pages.next().await?;
                    (pages, page)
                }
                // Fetched while the page before was being copied.
                Pages::Ahead(mut ahead) => {
                    let page = ahead.rx.recv().await?;
                    return listing.yield_page(
                        page,
                        Pages::Ahead(ahead),
                        reports_checksums,
                        endpoint,
                    );
                }
            };
            let signed = regions.region_of(&listing.src.bucket);
            // The first page redirected: the source bucket's region is
            // learned, and the listing starts again there.
            let moved = match (&page, first) {
                (Err(e), true) => crate::region::redirect(e, &signed),
                _ => None,
            };
            if let Some(region) = moved {
                regions.learn(&listing.src.bucket, &region);
                tracing::info!(
                    "bucket {} is in {region}: its requests go there",
                    listing.src.bucket
                );
                pages = request::list_objects(&regions.client_in(&region), &listing.src, opts)
                    .into_paginator()
                    .send();
                let _permit = budget.acquire().await;
                page = pages.next().await?;
            }
            if page.is_ok() && first {
                regions.confirm(&listing.src.bucket);
            }
            // The region is settled: the next pages are fetched ahead, each
            // while the one before is being copied, so the copies never
            // wait for the listing (one request beyond the budget).
            let next = match page.is_ok() {
                true => {
                    let (tx, rx) = tokio::sync::mpsc::channel(1);
                    let stop = stop.clone();
                    let task = tokio::spawn(async move {
                        while !stop.is_tripped()
                            && let Some(page) = pages.next().await
                        {
                            if tx.send(page).await.is_err() {
                                break;
                            }
                        }
                    });
                    Pages::Ahead(Ahead { rx, task })
                }
                false => Pages::Now(pages),
            };
            listing.yield_page(page, next, reports_checksums, endpoint)
        })
        .flatten()
    }

    /// One page's copies (or the listing's failure, which ends it), and the
    /// state for the next.
    fn yield_page<P>(
        self,
        page: Page,
        next: Pages<P>,
        mut reports_checksums: bool,
        endpoint: &str,
    ) -> Option<(PageItems, Option<ListingState<P>>)> {
        let listing = self;
        match page.map_err(s3("ListObjectsV2")) {
            Ok(page) => {
                reports_checksums |= page
                    .contents()
                    .iter()
                    .any(|o| !o.checksum_algorithm().is_empty());
                let (items, excluded) = listing.page(page.contents(), reports_checksums);
                let mut out: Vec<Selected> = items.into_iter().map(Selected::Copy).collect();
                if excluded > 0 {
                    out.push(Selected::Excluded(excluded));
                }
                Some((
                    futures::stream::iter(out),
                    Some((listing, next, reports_checksums, false)),
                ))
            }
            Err(e) => {
                let s3 = e.downcast_ref::<crate::error::S3Error>();
                let unreachable = s3.is_some_and(crate::error::S3Error::is_unreachable);
                // A missing bucket or refused credentials: said first.
                let cause =
                    s3.and_then(|s3| crate::stop::listing_cause(s3, &listing.src.bucket, endpoint));
                let why = match (unreachable, cause) {
                    (true, _) => {
                        crate::error::unreachable(endpoint, &format!("list {}", listing.src))
                    }
                    (false, Some(cause)) => format!("{cause} (listing {})", listing.src),
                    (false, None) => format!("cannot list {}", listing.src),
                };
                let bad = BadItem {
                    origin: format!("listing {}", listing.src),
                    src: Some(listing.src.to_string()),
                    dst: Some(listing.dst.to_string()),
                    message: format!("{:#}", e.context(why)),
                    request_failed: true,
                };
                // A failed listing ends the run's items.
                Some((futures::stream::iter(vec![Selected::Bad(bad)]), None))
            }
        }
    }
}

/// One ListObjectsV2 page, or why there is none.
pub(crate) type Page = Result<
    aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Output,
    aws_sdk_s3::error::SdkError<
        aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Error,
        aws_sdk_s3::config::http::HttpResponse,
    >,
>;

/// What one page yields.
type PageItems = futures::stream::Iter<std::vec::IntoIter<Selected>>;

/// Between two pages: the listing, its pages, whether the store reports
/// checksums, whether the next page is the first.
type ListingState<P> = (Listing, Pages<P>, bool, bool);

/// The listing's pages (`P`: the SDK's paginator): fetched when asked for
/// (the first, which may be redirected), then ahead of need by a task of
/// their own.
#[derive(Debug)]
enum Pages<P> {
    Now(P),
    Ahead(Ahead),
}

/// The pages a task fetches ahead; the task ends with the listing (a run
/// stopped early, by `--fail-fast` or Ctrl-C, sends no more of them).
#[derive(Debug)]
pub(crate) struct Ahead {
    pub(crate) rx: tokio::sync::mpsc::Receiver<Page>,
    pub(crate) task: tokio::task::JoinHandle<()>,
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The manifest's copies, read line by line (`-`: standard input).
pub async fn read_manifest(
    path: &str,
    shard: Option<Shard>,
) -> anyhow::Result<impl Stream<Item = Selected> + use<>> {
    let reader: Box<dyn tokio::io::AsyncRead + Unpin + Send> = if path == "-" {
        Box::new(tokio::io::stdin())
    } else {
        Box::new(
            tokio::fs::File::open(path)
                .await
                .with_context(|| format!("cannot open the manifest {path}"))?,
        )
    };
    Ok(manifest(reader, shard))
}

/// Reads a manifest: one copy per line, `SRC DST` or
/// `{"src": ..., "dst": ...}`; blank lines and `#` comments are skipped. A
/// read error ends it after reporting it.
pub fn manifest(
    reader: impl tokio::io::AsyncRead + Unpin,
    shard: Option<Shard>,
) -> impl Stream<Item = Selected> {
    let lines = tokio::io::BufReader::new(reader).lines();
    let stream = futures::stream::unfold(Some((lines, 0usize)), |state| async move {
        let (mut lines, n) = state?;
        match lines.next_line().await {
            Ok(Some(line)) => Some((Ok((n + 1, line)), Some((lines, n + 1)))),
            Ok(None) => None,
            Err(e) => Some((Err((n + 1, e)), None)),
        }
    });
    stream.filter_map(move |line| {
        std::future::ready(match line {
            Ok((n, text)) => manifest_item(n, &text, shard).map(Selected::from),
            Err((n, e)) => Some(Selected::Bad(BadItem {
                origin: format!("manifest line {n}"),
                src: None,
                dst: None,
                message: format!("cannot read the manifest at line {n}: {e}"),
                request_failed: false,
            })),
        })
    })
}

/// The copy on manifest line `number` (1-based), if the line holds one and
/// it belongs to the shard.
pub fn manifest_item(
    number: usize,
    line: &str,
    shard: Option<Shard>,
) -> Option<Result<Item, BadItem>> {
    let text = line.trim();
    if text.is_empty() || text.starts_with('#') {
        return None;
    }
    let origin = format!("manifest line {number}");
    let item = parse_manifest_line(text).map_err(|e| {
        let (src, dst) = raw_pair(text);
        BadItem {
            origin: origin.clone(),
            src,
            dst,
            message: format!("{origin}: {e:#}"),
            request_failed: false,
        }
    });
    match item {
        Ok(item) if shard.is_some_and(|s| !s.contains(&item.job.src)) => None,
        other => Some(other),
    }
}

/// The two URIs of a manifest line, whatever their validity, for reports.
fn raw_pair(text: &str) -> (Option<String>, Option<String>) {
    #[derive(serde::Deserialize)]
    struct Pair {
        src: Option<String>,
        dst: Option<String>,
    }
    if text.starts_with('{') {
        return serde_json::from_str::<Pair>(text)
            .map(|p| (p.src, p.dst))
            .unwrap_or((None, None));
    }
    match split_pair(text) {
        Some((s, d)) => (Some(s.to_owned()), Some(d.to_owned())),
        None => (Some(text.to_owned()), None),
    }
}

/// `SRC DST`: split before the second `s3://` that follows a space or a
/// tab (a spreadsheet's or `paste`'s separator), so that keys may contain
/// spaces.
fn split_pair(text: &str) -> Option<(&str, &str)> {
    let rest = text.get(5..)?;
    let at = rest
        .match_indices("s3://")
        .map(|(i, _)| i)
        .find(|&i| rest[..i].ends_with([' ', '\t']))?
        + 5;
    Some((text[..at].trim(), text[at..].trim()))
}

pub fn parse_manifest_line(text: &str) -> anyhow::Result<Item> {
    let (src, dst, mode) = if text.starts_with('{') {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Line {
            src: String,
            dst: String,
            mode: Option<String>,
        }
        let line: Line = serde_json::from_str(text)
            .context("not a JSON object {\"src\": \"s3://...\", \"dst\": \"s3://...\"}")?;
        let mode = match line.mode.as_deref() {
            None => None,
            Some(m) => Some(CopyMode::from_name(m).ok_or_else(|| {
                anyhow::anyhow!(
                    "\"mode\": \"{m}\" is not a copy mode: give \"auto\", \"server\" or \
                     \"stream\", or leave it out to follow --copy-mode"
                )
            })?),
        };
        (line.src, line.dst, mode)
    } else {
        let Some((s, d)) = split_pair(text) else {
            bail!("expected 'SRC DST' (two s3:// URIs) or a JSON object with src and dst");
        };
        (s.to_owned(), d.to_owned(), None)
    };
    let src = S3Uri::parse_source(&src)?;
    let dst = S3Uri::parse_destination(&dst)?.resolve_destination(&src)?;
    Ok(Item {
        job: CopyJob { src, dst },
        listed: None,
        mode,
        existing: Existing::Unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(f: &[Filter]) -> Filters {
        Filters::new(f).unwrap()
    }

    #[test]
    fn filters_follow_aws_cli_order() {
        use Filter::{Exclude, Include};
        let none = filters(&[]);
        assert!(none.includes("a/b.txt"));
        let only_txt = filters(&[Exclude("*".into()), Include("*.txt".into())]);
        assert!(only_txt.includes("a/b.txt"), "* crosses /");
        assert!(!only_txt.includes("a/b.bin"));
        let later_exclude = filters(&[
            Exclude("*".into()),
            Include("*.txt".into()),
            Exclude("tmp/*".into()),
        ]);
        assert!(!later_exclude.includes("tmp/x.txt"));
        assert!(later_exclude.includes("keep/x.txt"));
        // Order matters: an include before the exclude is overridden.
        let reversed = filters(&[Include("*.txt".into()), Exclude("*".into())]);
        assert!(!reversed.includes("a.txt"));
        assert!(Filters::new(&[Include("a[".into())]).is_err());
    }

    #[test]
    fn includes_before_any_exclude_are_idle() {
        use Filter::{Exclude, Include};
        let given = [
            Include("*.txt".into()),
            Include("*.md".into()),
            Exclude("*".into()),
            Include("keep/*".into()),
        ];
        assert_eq!(Filters::idle_includes(&given), ["*.txt", "*.md"]);
        // Alone, an include selects nothing: everything is still included.
        assert!(filters(&given[..1]).includes("a.bin"));
        assert!(Filters::idle_includes(&given[2..]).is_empty());
    }

    fn listing(src: &str, dst: &str) -> Listing {
        Listing {
            src: as_prefix(&S3Uri::parse_destination(src).unwrap()),
            dst: as_prefix(&S3Uri::parse_destination(dst).unwrap()),
            filters: Filters::default(),
            shard: None,
            same_store: true,
        }
    }

    fn objects(keys: &[&str]) -> Vec<Object> {
        keys.iter()
            .map(|k| Object::builder().key(*k).size(1).e_tag("\"e\"").build())
            .collect()
    }

    #[test]
    fn a_listing_tells_which_objects_have_no_checksum_only_where_it_reports_them() {
        use aws_sdk_s3::types::ChecksumAlgorithm;
        let l = listing("s3://b/a/", "s3://c/");
        let with = Object::builder()
            .key("a/with")
            .e_tag("\"e\"")
            .checksum_algorithm(ChecksumAlgorithm::Crc32)
            .build();
        let without = Object::builder().key("a/without").e_tag("\"e-2\"").build();
        let has = |reports| -> Vec<Option<bool>> {
            l.page(&[with.clone(), without.clone()], reports)
                .0
                .iter()
                .map(|i| i.listed.as_ref().unwrap().has_checksum)
                .collect()
        };
        assert_eq!(has(true), [Some(true), Some(false)]);
        // A store that reports none (Garage): unknown, not "none".
        assert_eq!(has(false), [Some(true), None]);
    }

    #[test]
    fn a_destination_inside_the_source_is_left_out_of_the_listing() {
        let inside = listing("s3://b/a/", "s3://b/a/sub/");
        assert_eq!(inside.own_output(), Some("a/sub/"));
        let (items, excluded) = inside.page(
            &objects(&["a/k1", "a/sub/old", "a/sub/sub/x", "a/subway"]),
            false,
        );
        let dsts: Vec<String> = items.iter().map(|i| i.job.dst.key.clone()).collect();
        assert_eq!(dsts, ["a/sub/k1", "a/sub/subway"]);
        assert_eq!(excluded, 2);
        // A whole bucket into a prefix of itself.
        assert_eq!(listing("s3://b", "s3://b/copy").own_output(), Some("copy/"));
        // Not inside: another bucket, a sibling, the source inside the
        // destination, or a prefix rewritten in place.
        for (src, dst) in [
            ("s3://b/a/", "s3://c/a/sub/"),
            ("s3://b/a/", "s3://b/ab/"),
            ("s3://b/a/sub/", "s3://b/a/"),
            ("s3://b/a/", "s3://b/a"),
        ] {
            let l = listing(src, dst);
            assert_eq!(l.own_output(), None, "{src} -> {dst}");
            assert_eq!(l.page(&objects(&["a/sub/k"]), false).1, 0, "{src} -> {dst}");
        }
    }

    #[test]
    fn shards_partition_the_keys() {
        let shards: Vec<Shard> = (1..=3)
            .map(|i| Shard::parse(&format!("{i}/3")).unwrap())
            .collect();
        let mut counts = [0; 3];
        for n in 0..3000 {
            let uri = S3Uri::parse_source(&format!("s3://b/key-{n}")).unwrap();
            let owners: Vec<usize> = (0..3).filter(|&s| shards[s].contains(&uri)).collect();
            assert_eq!(owners.len(), 1, "key-{n} in {owners:?}");
            counts[owners[0]] += 1;
        }
        assert!(counts.iter().all(|&c| c > 800), "{counts:?}");
        for bad in ["0/3", "4/3", "1/0", "x/2", "2", "1/3/4"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn manifest_lines_plain_and_json() {
        let text = "# a comment\n\
                    s3://a/with space.txt s3://b/out/\n\
                    \n\
                    {\"src\": \"s3://a/k?versionId=v1\", \"dst\": \"s3://b/k2\"}\n\
                    s3://a/only-one\n\
                    {\"src\": \"s3://a/x\"}\n";
        let items: Vec<Result<Item, BadItem>> = manifest(text.as_bytes(), None)
            .map(|s| match s {
                Selected::Copy(item) => Ok(item),
                Selected::Bad(bad) => Err(bad),
                Selected::Excluded(n) => panic!("{n} excluded from a manifest"),
            })
            .collect()
            .await;
        assert_eq!(items.len(), 4);
        let first = items[0].as_ref().unwrap();
        assert_eq!(first.job.src.key, "with space.txt");
        assert_eq!(first.job.dst.to_string(), "s3://b/out/with space.txt");
        let second = items[1].as_ref().unwrap();
        assert_eq!(second.job.src.version_id.as_deref(), Some("v1"));
        let bad = items[2].as_ref().unwrap_err();
        assert!(
            bad.message
                .starts_with("manifest line 5: expected 'SRC DST'"),
            "{bad:?}"
        );
        let bad = items[3].as_ref().unwrap_err();
        assert!(bad.message.contains("manifest line 6"), "{bad:?}");
        assert_eq!(bad.src.as_deref(), Some("s3://a/x"));
    }

    /// A tab separates SRC and DST as a space does (a spreadsheet's
    /// export, `paste`); it was taken for part of the source key.
    #[test]
    fn a_tab_separates_a_manifest_line() {
        for line in [
            "s3://a/k\ts3://b/k2",
            "s3://a/k \t s3://b/k2",
            "s3://a/k\t\ts3://b/k2",
        ] {
            let item = parse_manifest_line(line).unwrap_or_else(|e| panic!("{line:?}: {e:#}"));
            assert_eq!(item.job.src.to_string(), "s3://a/k", "{line:?}");
            assert_eq!(item.job.dst.to_string(), "s3://b/k2", "{line:?}");
        }
        let item = parse_manifest_line("s3://a/with space.txt\ts3://b/out/").unwrap();
        assert_eq!(item.job.src.key, "with space.txt");
        assert_eq!(item.job.dst.key, "out/with space.txt");
    }

    #[test]
    fn directory_prefixes() {
        let p = |s: &str| as_prefix(&S3Uri::parse_destination(s).unwrap()).key;
        assert_eq!(p("s3://b"), "");
        assert_eq!(p("s3://b/dir"), "dir/");
        assert_eq!(p("s3://b/dir/"), "dir/");
    }
}
