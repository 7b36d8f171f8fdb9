//! `-r` with `--skip-existing` or `--skip-same`: the destination prefix's
//! listing walked beside the source's, as a merge of two sorted streams,
//! so that a rerun learns what the destination holds without one request
//! per object.
//!
//! ListObjectsV2 returns keys in UTF-8 byte order, and Rust compares `str`
//! by bytes too. Every copy of a listing goes to `dst prefix + relative
//! key`, so the copies come in the order of their destination keys, the
//! order in which the destination listing (which starts at the destination
//! prefix) returns them: one pass over both, one page of each in memory
//! (and the next page fetched ahead). A destination key that no copy has
//! (an extra key, or one whose source is filtered out, in another shard, or
//! s3cp's own output) is passed over. The destination listing is read with
//! the destination's client, in its bucket's region.
//!
//! A directory bucket lists in no order: with one at either end, the
//! destination listing is collected first ([`collected`]).

use std::collections::{HashMap, VecDeque};
use std::pin::Pin;

use futures::{Stream, StreamExt};

use crate::budget::Budget;
use crate::error::s3;
use crate::options::CopyOptions;
use crate::region::Regions;
use crate::request;
use crate::select::{Ahead, BadItem, Page, Selected};
use crate::skip::Existing;
use crate::uri::S3Uri;

/// One key of the destination listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub size: u64,
    pub etag: String,
}

/// One page of the destination listing, or why it could not be read.
pub type Entries = Result<Vec<Entry>, BadItem>;

/// `-r`'s items with what the destination listing says of each
/// (`--skip-*`): walked beside the source's ([`merge`]), or, with a
/// directory bucket at either end, whose listings are in no key order,
/// the destination's collected first ([`collected`]).
pub fn beside<'a>(
    items: impl Stream<Item = Selected> + 'a,
    destination: impl Stream<Item = Entries> + 'a,
    src: &S3Uri,
    dst: &S3Uri,
) -> impl Stream<Item = Selected> + 'a {
    let unordered = [src, dst]
        .into_iter()
        .find(|u| crate::uri::is_directory_bucket(&u.bucket));
    match unordered {
        Some(at) => {
            tracing::info!(
                "{} is a directory bucket, whose listings are in no key order: the \
                 destination's listing is read whole into memory before --skip-existing / \
                 --skip-same decide (not walked beside the source's)",
                at.bucket
            );
            collected(items, destination).left_stream()
        }
        None => merge(items, destination).right_stream(),
    }
}

/// Marks each copy of `items` (in listing order) with what `destination`
/// (the destination prefix's listing, in order) has at its destination
/// key. A destination listing that fails ends the items, as a failed source
/// listing does: what cannot be compared is not copied blindly.
pub fn merge<'a>(
    items: impl Stream<Item = Selected> + 'a,
    destination: impl Stream<Item = Entries> + 'a,
) -> impl Stream<Item = Selected> + 'a {
    let cursor = Cursor {
        pages: Box::pin(destination),
        page: VecDeque::new(),
        done: false,
        last_listed: None,
        last_asked: None,
    };
    let items: Pin<Box<dyn Stream<Item = Selected> + 'a>> = Box::pin(items);
    futures::stream::unfold(Some((items, cursor)), |state| async move {
        let (mut items, mut cursor) = state?;
        let selected = items.next().await?;
        let Selected::Copy(mut item) = selected else {
            return Some((selected, Some((items, cursor))));
        };
        match cursor.find(&item.job.dst.key).await {
            Ok(found) => {
                item.existing = found.map_or(Existing::Absent, |e| Existing::Listed {
                    size: e.size,
                    etag: e.etag,
                });
                Some((Selected::Copy(item), Some((items, cursor))))
            }
            Err(bad) => Some((Selected::Bad(bad), None)),
        }
    })
}

/// [`merge`] for listings that are not in key order: a directory bucket
/// (S3 Express One Zone) at either end, whose ListObjectsV2 "returns
/// results unordered"
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/directory-buckets-objects-ListObjectsExamples.html>,
/// and the API reference: "Directory buckets - ... objects are not
/// returned in lexicographical order"). The destination listing is read
/// whole before the first copy is marked, into a map of its keys (each
/// key with its size and ETag, all a listing gives), then each copy is
/// looked up in it, in whatever order the source lists them; a key found
/// is taken out of the map, so that it shrinks as the run goes. Memory:
/// the map's entries, about 100 bytes plus the key and the ETag each
/// (computed from the entry's layout: README). A destination listing
/// that fails ends the items, as in [`merge`].
pub fn collected<'a>(
    items: impl Stream<Item = Selected> + 'a,
    destination: impl Stream<Item = Entries> + 'a,
) -> impl Stream<Item = Selected> + 'a {
    enum State<'a> {
        Collect(
            Pin<Box<dyn Stream<Item = Selected> + 'a>>,
            Pin<Box<dyn Stream<Item = Entries> + 'a>>,
        ),
        Mark(
            Pin<Box<dyn Stream<Item = Selected> + 'a>>,
            HashMap<String, Found>,
        ),
    }
    let start = State::Collect(Box::pin(items), Box::pin(destination));
    futures::stream::unfold(Some(start), |state| async move {
        let (mut items, mut keys) = match state? {
            State::Mark(items, keys) => (items, keys),
            State::Collect(items, mut pages) => {
                let mut keys = HashMap::new();
                while let Some(page) = pages.next().await {
                    match page {
                        Ok(entries) => keys.extend(entries.into_iter().map(|e| {
                            let found = Found {
                                size: e.size,
                                etag: e.etag.into_boxed_str(),
                            };
                            (e.key, found)
                        })),
                        Err(bad) => return Some((Selected::Bad(bad), None)),
                    }
                }
                tracing::info!(
                    "the destination listing has {} keys, held in memory to decide \
                     --skip-existing / --skip-same",
                    keys.len()
                );
                (items, keys)
            }
        };
        let selected = match items.next().await? {
            Selected::Copy(mut item) => {
                item.existing = match keys.remove(&item.job.dst.key) {
                    Some(found) => Existing::Listed {
                        size: found.size,
                        etag: found.etag.into_string(),
                    },
                    None => Existing::Absent,
                };
                Selected::Copy(item)
            }
            other => other,
        };
        Some((selected, Some(State::Mark(items, keys))))
    })
}

/// What the destination listing said of a key ([`collected`]): the ETag
/// boxed, a pointer and a length (no spare capacity).
struct Found {
    size: u64,
    etag: Box<str>,
}

/// Where the walk of the destination listing is.
struct Cursor<'a> {
    pages: Pin<Box<dyn Stream<Item = Entries> + 'a>>,
    /// What is left of the current page: keys not passed yet.
    page: VecDeque<Entry>,
    /// The listing has ended.
    done: bool,
    /// The last key the listing gave, and the last asked for: each must
    /// come after the one before (ListObjectsV2's byte order, which a
    /// directory bucket or a store with a bug may not keep). Out of order,
    /// an existing key would be passed over and copied over.
    last_listed: Option<String>,
    last_asked: Option<String>,
}

impl Cursor<'_> {
    /// The entry at `key`, if the listing has one; passes over every key
    /// before it. The keys asked for must come in ascending order.
    async fn find(&mut self, key: &str) -> Result<Option<Entry>, BadItem> {
        if self.last_asked.as_deref().is_some_and(|last| last >= key) {
            self.done = true;
            return Err(self.out_of_order("the source", key));
        }
        self.last_asked = Some(key.to_owned());
        loop {
            while let Some(front) = self.page.front() {
                match front.key.as_str().cmp(key) {
                    std::cmp::Ordering::Less => {
                        self.page.pop_front();
                    }
                    std::cmp::Ordering::Equal => return Ok(self.page.pop_front()),
                    std::cmp::Ordering::Greater => return Ok(None),
                }
            }
            if self.done {
                return Ok(None);
            }
            match self.pages.next().await {
                Some(Ok(entries)) => {
                    for e in &entries {
                        if self
                            .last_listed
                            .as_deref()
                            .is_some_and(|last| last >= &*e.key)
                        {
                            self.done = true;
                            return Err(self.out_of_order("the destination", &e.key));
                        }
                        self.last_listed = Some(e.key.clone());
                    }
                    self.page = entries.into();
                }
                Some(Err(bad)) => {
                    self.done = true;
                    return Err(bad);
                }
                None => self.done = true,
            }
        }
    }
}

impl Cursor<'_> {
    /// `which` listing gave `key` after a key that sorts after it.
    fn out_of_order(&self, which: &str, key: &str) -> BadItem {
        let last = match which {
            "the source" => &self.last_asked,
            _ => &self.last_listed,
        };
        BadItem {
            origin: "listing".into(),
            src: None,
            dst: None,
            message: format!(
                "{which} listing is not in byte order ({key:?} came after {:?}), so the two \
                 listings cannot be walked together: copy without --skip-existing and \
                 --skip-same, or list the objects in a manifest (--from-file), where a HEAD of \
                 each destination decides",
                last.as_deref().unwrap_or_default()
            ),
            request_failed: true,
        }
    }
}

/// The destination prefix's listing, a page at a time: the first page
/// fetched when first needed, within the request `budget` (and sent again
/// in the bucket's region if S3 redirects it), the next ones ahead of need
/// by a task of their own, as the source's listing is
/// ([`crate::select::Listing::stream`]).
pub fn destination_pages<'a>(
    regions: &'a Regions,
    budget: &'a Budget,
    dst: S3Uri,
    opts: &'a CopyOptions,
    endpoint: &'a str,
) -> impl Stream<Item = Entries> + 'a {
    enum State {
        First(S3Uri),
        Ahead(S3Uri, Ahead),
    }
    futures::stream::unfold(Some(State::First(dst)), move |state| async move {
        let (dst, page, next) = match state? {
            State::Ahead(dst, mut ahead) => {
                let page = ahead.rx.recv().await?;
                (dst, page, Some(ahead))
            }
            State::First(dst) => {
                let signed = regions.region_of(&dst.bucket);
                let mut pages = request::list_destination(&regions.client_in(&signed), &dst, opts)
                    .into_paginator()
                    .send();
                let mut page = {
                    let _permit = budget.acquire().await;
                    pages.next().await?
                };
                let moved = match &page {
                    Err(e) => crate::region::redirect(e, &signed),
                    Ok(_) => None,
                };
                if let Some(region) = moved {
                    if regions.learn(&dst.bucket, &region) {
                        tracing::info!(
                            "bucket {} is in {region}: its requests go there",
                            dst.bucket
                        );
                    }
                    pages = request::list_destination(&regions.client_in(&region), &dst, opts)
                        .into_paginator()
                        .send();
                    let _permit = budget.acquire().await;
                    page = pages.next().await?;
                }
                if page.is_ok() {
                    regions.confirm(&dst.bucket);
                }
                let ahead = page.is_ok().then(|| {
                    let (tx, rx) = tokio::sync::mpsc::channel(1);
                    let task = tokio::spawn(async move {
                        while let Some(page) = pages.next().await {
                            if tx.send(page).await.is_err() {
                                break;
                            }
                        }
                    });
                    Ahead { rx, task }
                });
                (dst, page, ahead)
            }
        };
        let entries = entries(&dst, page, endpoint);
        let state = match (&entries, next) {
            (Ok(_), Some(ahead)) => Some(State::Ahead(dst, ahead)),
            _ => None,
        };
        Some((entries, state))
    })
}

/// One page's keys, or the listing's failure.
fn entries(dst: &S3Uri, page: Page, endpoint: &str) -> Entries {
    match page.map_err(s3("ListObjectsV2")) {
        Ok(page) => Ok(page
            .contents()
            .iter()
            .filter_map(|o| {
                Some(Entry {
                    key: o.key()?.to_owned(),
                    size: o.size().unwrap_or(0).max(0) as u64,
                    etag: o.e_tag().unwrap_or_default().to_owned(),
                })
            })
            .collect()),
        Err(e) => {
            let unreachable = e
                .downcast_ref::<crate::error::S3Error>()
                .is_some_and(crate::error::S3Error::is_unreachable);
            let why = match unreachable {
                true => crate::error::unreachable(endpoint, &format!("list {dst}")),
                false => format!(
                    "cannot list the destination {dst}, which --skip-existing and --skip-same \
                     compare with the source"
                ),
            };
            Err(BadItem {
                origin: format!("listing {dst}"),
                src: None,
                dst: Some(dst.to_string()),
                message: format!("{:#}", e.context(why)),
                request_failed: true,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::CopyJob;
    use crate::select::Item;

    /// A copy to `dst/<key>`.
    fn copy(key: &str) -> Selected {
        Selected::Copy(Item {
            job: CopyJob {
                src: S3Uri::parse_source(&format!("s3://a/src/{key}")).unwrap(),
                dst: S3Uri::parse_source(&format!("s3://b/dst/{key}")).unwrap(),
            },
            listed: None,
            mode: None,
            existing: Existing::Unknown,
        })
    }

    fn entry(key: &str) -> Entry {
        Entry {
            key: format!("dst/{key}"),
            size: key.len() as u64,
            etag: format!("\"{key}\""),
        }
    }

    /// Merges copies of `keys` with destination `pages`; returns each copy's
    /// key and whether the destination listing had it.
    async fn walk(keys: &[&str], pages: Vec<Entries>) -> Vec<(String, Option<String>)> {
        let mut sorted = keys.to_vec();
        sorted.sort();
        assert_eq!(sorted, keys, "the source listing is in byte order");
        let items = futures::stream::iter(keys.iter().map(|k| copy(k)).collect::<Vec<_>>());
        merge(items, futures::stream::iter(pages))
            .map(|s| match s {
                Selected::Copy(item) => {
                    let found = match item.existing {
                        Existing::Listed { etag, size } => {
                            assert_eq!(etag.len() as u64, size + 2, "{etag}");
                            Some(etag)
                        }
                        Existing::Absent => None,
                        Existing::Unknown => panic!("not looked up"),
                    };
                    (item.job.dst.key, found)
                }
                Selected::Bad(bad) => (bad.message, None),
                Selected::Excluded(n) => (format!("excluded {n}"), None),
            })
            .collect()
            .await
    }

    #[tokio::test]
    async fn keys_around_slash_and_unicode_are_matched_in_byte_order() {
        // '!' < '/' < '0' < 'a' < 'é' (0xC3) < '日' (0xE6) in UTF-8 bytes.
        let src = ["a!b", "a/b", "a0", "b", "é", "日本"];
        let dst_keys = [
            "a", "a!b", "a/a", "a/b", "a0", "z", "é", "éé", "日本", "日本/x",
        ];
        let mut sorted = dst_keys.to_vec();
        sorted.sort();
        assert_eq!(sorted, dst_keys);
        // In pages of three, so that matches cross page boundaries.
        let pages: Vec<Entries> = dst_keys
            .chunks(3)
            .map(|c| Ok(c.iter().map(|k| entry(k)).collect()))
            .collect();
        let got = walk(&src, pages).await;
        let want: Vec<(String, Option<String>)> = [
            ("a!b", true),
            ("a/b", true),
            ("a0", true),
            ("b", false),
            ("é", true),
            ("日本", true),
        ]
        .iter()
        .map(|(k, found)| (format!("dst/{k}"), found.then(|| format!("\"{k}\""))))
        .collect();
        assert_eq!(got, want);
    }

    #[tokio::test]
    async fn an_empty_or_shorter_destination_leaves_the_rest_absent() {
        let got = walk(&["a", "b"], vec![]).await;
        assert_eq!(got, [("dst/a".into(), None), ("dst/b".into(), None)]);
        let got = walk(&["a", "b", "c"], vec![Ok(vec![entry("b")]), Ok(vec![])]).await;
        assert_eq!(
            got,
            [
                ("dst/a".into(), None),
                ("dst/b".into(), Some("\"b\"".into())),
                ("dst/c".into(), None)
            ]
        );
    }

    #[tokio::test]
    async fn other_items_pass_through_and_a_failed_page_ends_the_walk() {
        let items =
            futures::stream::iter(vec![copy("a"), Selected::Excluded(2), copy("c"), copy("d")]);
        let bad = BadItem {
            origin: "listing".into(),
            src: None,
            dst: Some("s3://b/dst/".into()),
            message: "cannot list".into(),
            request_failed: true,
        };
        let pages = futures::stream::iter(vec![Ok(vec![entry("a")]), Err(bad)]);
        let got: Vec<Selected> = merge(items, pages).collect().await;
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            matches!(&got[0], Selected::Copy(i) if matches!(i.existing, Existing::Listed { .. }))
        );
        assert_eq!(got[1], Selected::Excluded(2));
        assert!(matches!(&got[2], Selected::Bad(b) if b.message == "cannot list"));
    }

    /// A listing out of byte order (a directory bucket's, or a store's
    /// bug) stops the walk: an existing key passed over would be copied
    /// over under --skip-existing.
    #[tokio::test]
    async fn a_listing_out_of_order_ends_the_walk() {
        let items = futures::stream::iter(vec![copy("a"), copy("b"), copy("c")]);
        let pages = futures::stream::iter(vec![Ok(vec![entry("c"), entry("b")])]);
        let got: Vec<Selected> = merge(items, pages).collect().await;
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            matches!(&got[0], Selected::Bad(b) if b.message.contains("destination listing is not in byte order")),
            "{got:?}"
        );
        let items = futures::stream::iter(vec![copy("b"), copy("a")]);
        let pages = futures::stream::iter(vec![Ok(vec![entry("a"), entry("b")])]);
        let got: Vec<Selected> = merge(items, pages).collect().await;
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            matches!(&got[1], Selected::Bad(b) if b.message.contains("source listing is not in byte order")),
            "{got:?}"
        );
    }

    /// Both listings in any order (a directory bucket's): each copy is
    /// marked with the destination's entry at its key, as a merge of the
    /// same keys sorted marks it; a failed page ends the items.
    #[tokio::test]
    async fn unordered_listings_are_decided_against_the_collected_destination() {
        let src = ["日本", "b", "a/b", "a0", "é", "a!b"];
        let dst_keys = ["z", "a/b", "日本/x", "a", "é", "a!b", "éé"];
        let mark = |s: Selected| match s {
            Selected::Copy(item) => (
                item.job.dst.key,
                match item.existing {
                    Existing::Listed { etag, .. } => Some(etag),
                    Existing::Absent => None,
                    Existing::Unknown => panic!("not looked up"),
                },
            ),
            Selected::Bad(bad) => (bad.message, None),
            Selected::Excluded(n) => (format!("excluded {n}"), None),
        };
        let pages = |keys: &[&str]| -> Vec<Entries> {
            keys.chunks(3)
                .map(|c| Ok(c.iter().map(|k| entry(k)).collect()))
                .collect()
        };
        let items = futures::stream::iter(src.iter().map(|k| copy(k)).collect::<Vec<_>>());
        let mut got: Vec<_> = collected(items, futures::stream::iter(pages(&dst_keys)))
            .map(mark)
            .collect()
            .await;
        // In the source's order.
        assert_eq!(
            got.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            src.iter().map(|k| format!("dst/{k}")).collect::<Vec<_>>()
        );
        got.sort();
        let (mut sorted_src, mut sorted_dst) = (src.to_vec(), dst_keys.to_vec());
        sorted_src.sort();
        sorted_dst.sort();
        assert_eq!(walk(&sorted_src, pages(&sorted_dst)).await, got);
        // A failed page: one bad item, nothing more.
        let items = futures::stream::iter(vec![copy("a"), copy("b")]);
        let failed: Vec<Entries> = vec![
            Ok(vec![entry("b")]),
            Err(BadItem {
                origin: "listing".into(),
                src: None,
                dst: None,
                message: "page 2 failed".into(),
                request_failed: true,
            }),
        ];
        let got: Vec<_> = collected(items, futures::stream::iter(failed))
            .map(mark)
            .collect()
            .await;
        assert_eq!(got, [("page 2 failed".to_owned(), None)]);
    }
}
