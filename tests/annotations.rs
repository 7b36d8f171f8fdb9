//! Object annotations across the line (issue 21): the same annotations at
//! the destination whether the object went through one CopyObject (which
//! copies them itself), a multipart copy or a stream (which s3cp carries:
//! read before, written after Complete, conditional on the new ETag).
//! Neither test server implements annotations: the proxy plays them
//! (`support::annotations`), on moto, which keeps each bucket apart.

mod support;

use support::annotations::{Annotations, serve_annotations};
use support::proxy::Proxy;
use support::*;

/// 5 MiB parts: a 6 MiB object is copied in two.
const MULTIPART: [&str; 4] = ["--multipart-threshold", "5MiB", "--part-size", "5MiB"];

const NAMES: [(&str, &str); 3] = [
    ("owner", "team blue"),
    ("review", "{\"by\":\"ana\",\"ok\":true}"),
    ("zz-notes", "line one\nline two & <three>"),
];

/// A 6 MiB source with the three annotations of [`NAMES`].
async fn annotated_source(m: &Server, double: &Annotations, key: &str) {
    put(&m.client(), SRC_BUCKET, key, random_bytes(6 * 1024 * 1024)).await;
    for (name, payload) in NAMES {
        double.put(SRC_BUCKET, key, name, payload);
    }
}

fn expected() -> Vec<(String, String)> {
    NAMES
        .iter()
        .map(|(n, p)| (n.to_string(), p.to_string()))
        .collect()
}

/// Single (CopyObject copies them), multipart and streamed (s3cp reads
/// and writes each): the destination has the same three, payloads equal;
/// `annotations` counts what s3cp wrote (null for CopyObject).
#[tokio::test]
async fn the_same_annotations_on_every_path() {
    let m = moto().await;
    let p = unique("annotated");
    let proxy = Proxy::start(&m.endpoint).await;
    let double = serve_annotations(&proxy, &m);
    let src = format!("{p}src");
    annotated_source(&m, &double, &src).await;
    let paths: [(&str, Vec<&str>, Option<u64>); 3] = [
        ("single", vec![], None),
        ("multipart", MULTIPART.to_vec(), Some(3)),
        (
            "stream",
            [&["--copy-mode", "stream"][..], &MULTIPART[..]].concat(),
            Some(3),
        ),
    ];
    for (path, flags, count) in paths {
        proxy.reset();
        double.serve(&proxy, &m);
        let dst = format!("{p}{path}");
        let mut args = vec!["--json"];
        args.extend(flags);
        let (s, d) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &dst));
        args.extend([s.as_str(), d.as_str()]);
        let v = m.via(&proxy).s3cp(&args).await.json_ok();
        assert_eq!(v["annotation_directive"], "COPY", "{path}: {v}");
        assert_eq!(v["annotations"].as_u64(), count, "{path}: {v}");
        let got: Vec<(String, String)> = double.of(DST_BUCKET, &dst).into_iter().collect();
        assert_eq!(got, expected(), "{path}");
        let puts = proxy.of("PutObjectAnnotation");
        match count {
            None => assert!(puts.is_empty(), "{path}: CopyObject copies them itself"),
            Some(_) => {
                assert_eq!(puts.len(), 3, "{path}");
                let etag = v["etag"].as_str().unwrap();
                for put in &puts {
                    assert_eq!(put.header("x-amz-object-if-match"), Some(etag), "{path}");
                }
                assert_eq!(proxy.of("GetObjectAnnotation").len(), 3, "{path}");
            }
        }
    }
}

/// EXCLUDE: CopyObject is told so (and copies none); a multipart copy
/// reads and writes none.
#[tokio::test]
async fn exclude_copies_none() {
    let m = moto().await;
    let p = unique("annotations-excluded");
    let proxy = Proxy::start(&m.endpoint).await;
    let double = serve_annotations(&proxy, &m);
    let src = format!("{p}src");
    annotated_source(&m, &double, &src).await;
    for (path, flags) in [("single", vec![]), ("multipart", MULTIPART.to_vec())] {
        let dst = format!("{p}{path}");
        let mut args = vec!["--json", "--annotation-directive", "exclude"];
        args.extend(flags);
        let (s, d) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &dst));
        args.extend([s.as_str(), d.as_str()]);
        let v = m.via(&proxy).s3cp(&args).await.json_ok();
        assert_eq!(v["annotation_directive"], "EXCLUDE", "{v}");
        assert!(v["annotations"].is_null(), "{v}");
        assert!(double.of(DST_BUCKET, &dst).is_empty(), "{path}");
    }
    assert_eq!(
        proxy.of("CopyObject")[0].header("x-amz-object-annotation-directive"),
        Some("EXCLUDE")
    );
    assert!(proxy.of("ListObjectAnnotations").is_empty());
    assert!(proxy.of("PutObjectAnnotation").is_empty());
}

/// A failure writing the second annotation fails the copy and names it;
/// the object is there without it.
#[tokio::test]
async fn a_failed_annotation_write_fails_the_copy_and_names_it() {
    let m = moto().await;
    let p = unique("annotation-fails");
    let proxy = Proxy::start(&m.endpoint).await;
    let double = serve_annotations(&proxy, &m);
    let src = format!("{p}src");
    annotated_source(&m, &double, &src).await;
    double.fail_put("review");
    let mut args = vec!["--json", "--max-attempts", "2"];
    args.extend(MULTIPART);
    let (s, d) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &format!("{p}dst")));
    args.extend([s.as_str(), d.as_str()]);
    let r = m.via(&proxy).s3cp(&args).await;
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(r.json()["status"], "failed", "{r}");
    assert!(
        r.stderr
            .contains("but not its annotation review: the object exists without it"),
        "{r}"
    );
    let got = double.of(DST_BUCKET, &format!("{p}dst"));
    assert_eq!(got.keys().collect::<Vec<_>>(), ["owner", "zz-notes"]);
}

/// A store without annotations (Garage, no double) never receives an
/// annotation write: its answer to the listing is no listing, said with
/// `-v`, and the copy goes on. A bucket that answers 501 (a directory
/// bucket, played by the double) the same; `--annotation-directive COPY`
/// named into a directory bucket is refused before anything is sent.
#[tokio::test]
async fn a_store_without_annotations_gets_no_annotation_write() {
    let g = garage().await;
    let p = unique("no-annotations");
    put(
        &g.client(),
        SRC_BUCKET,
        &format!("{p}src"),
        random_bytes(6 * 1024 * 1024),
    )
    .await;
    let proxy = Proxy::start(&g.endpoint).await;
    let mut args = vec!["-v", "--json"];
    args.extend(MULTIPART);
    let (s, d) = (
        s3(SRC_BUCKET, &format!("{p}src")),
        s3(DST_BUCKET, &format!("{p}dst")),
    );
    args.extend([s.as_str(), d.as_str()]);
    let r = g.via(&proxy).s3cp(&args).await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.json()["annotations"], 0, "{r}");
    assert!(r.stderr.contains("keeps no annotations"), "{r}");
    assert_eq!(proxy.of("ListObjectAnnotations").len(), 1);
    assert!(proxy.of("PutObjectAnnotation").is_empty());
    assert_eq!(
        digest(&g.client(), SRC_BUCKET, &format!("{p}src")).await,
        digest(&g.client(), DST_BUCKET, &format!("{p}dst")).await
    );

    let m = moto().await;
    let proxy = Proxy::start(&m.endpoint).await;
    let double = serve_annotations(&proxy, &m);
    double.mark_directory(SRC_BUCKET);
    let src = format!("{p}annotated");
    annotated_source(&m, &double, &src).await;
    let mut args = vec!["-v", "--json"];
    args.extend(MULTIPART);
    let (s, d) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &format!("{p}dst")));
    args.extend([s.as_str(), d.as_str()]);
    let r = m.via(&proxy).s3cp(&args).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.contains("NotImplemented"), "{r}");
    assert!(proxy.of("PutObjectAnnotation").is_empty());

    let r = m
        .s3cp(&[
            "--annotation-directive",
            "COPY",
            &s,
            "s3://data--use1-az4--x-s3/k",
        ])
        .await;
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("directory bucket"), "{r}");
}

/// What a 10-annotation multipart copy costs: the copy's own requests,
/// one listing and ten reads at the source, one listing of the new object
/// (whether its store keeps annotations, once per bucket in a run) and ten
/// writes; the line's `requests` counts them all, as the proxy saw them.
#[tokio::test]
async fn a_ten_annotation_multipart_copy_costs_22_requests_more() {
    let m = moto().await;
    let p = unique("ten-annotations");
    let proxy = Proxy::start(&m.endpoint).await;
    let double = serve_annotations(&proxy, &m);
    let src = format!("{p}src");
    put(&m.client(), SRC_BUCKET, &src, random_bytes(6 * 1024 * 1024)).await;
    for i in 0..10 {
        double.put(SRC_BUCKET, &src, &format!("a{i}"), &"x".repeat(1000));
    }
    let mut args = vec!["--json"];
    args.extend(MULTIPART);
    let (s, d) = (s3(SRC_BUCKET, &src), s3(DST_BUCKET, &format!("{p}dst")));
    args.extend([s.as_str(), d.as_str()]);
    let v = m.via(&proxy).s3cp(&args).await.json_ok();
    assert_eq!(v["annotations"], 10, "{v}");
    let count = |op: &str| proxy.of(op).len() as u64;
    let annotations = count("ListObjectAnnotations")
        + count("GetObjectAnnotation")
        + count("PutObjectAnnotation");
    assert_eq!(annotations, 1 + 10 + 1 + 10);
    // Everything the proxy saw is on the line: the copy's own requests
    // (HEAD, tagging, Create, 2 parts, Complete, the proof's HEAD of the
    // destination, whose checksum moto's Complete does not give) and the
    // annotations'.
    let all = proxy.requests().len() as u64;
    assert_eq!(all - annotations, 7, "{:#?}", proxy.requests());
    assert_eq!(v["requests"], all, "{v}");
    assert_eq!(double.of(DST_BUCKET, &format!("{p}dst")).len(), 10);
}

/// One object's listing answered with a 4xx (as a store that took it for
/// a GetObject answers an SSE-C object) reads none for that object only:
/// the next object of the bucket still gets its annotations copied.
#[tokio::test]
async fn one_objects_refused_listing_does_not_turn_annotations_off() {
    let m = moto().await;
    let p = unique("annotations-one-refused");
    let proxy = Proxy::start(&m.endpoint).await;
    let double = serve_annotations(&proxy, &m);
    for key in ["a", "b"] {
        annotated_source(&m, &double, &format!("{p}src/{key}")).await;
    }
    double.fail_list(&format!("{p}src/a"));
    let mut args = vec!["-v", "-r", "--json", "--jobs", "1"];
    args.extend(MULTIPART);
    let (s, d) = (
        s3(SRC_BUCKET, &format!("{p}src/")),
        s3(DST_BUCKET, &format!("{p}dst/")),
    );
    args.extend([s.as_str(), d.as_str()]);
    let r = m.via(&proxy).s3cp(&args).await;
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.contains("no annotations read"), "{r}");
    assert!(double.of(DST_BUCKET, &format!("{p}dst/a")).is_empty());
    let got: Vec<(String, String)> = double
        .of(DST_BUCKET, &format!("{p}dst/b"))
        .into_iter()
        .collect();
    assert_eq!(got, expected());
}

/// A store without annotations that answers a listing with the object
/// (Garage) is never taken to keep them, even when the object is itself
/// a listing document: an object's answer has Last-Modified, which a
/// listing's never has. Taken for a listing, its "annotation" would be
/// written with a PutObjectAnnotation that Garage takes for a PutObject
/// over the copy.
#[tokio::test]
async fn an_object_that_looks_like_a_listing_is_not_taken_for_one() {
    let g = garage().await;
    let p = unique("looks-like-a-listing");
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListObjectAnnotationsOutput>\
        <Annotations><AnnotationEntry><AnnotationName>x</AnnotationName>\
        <LastModified>2026-12-01T00:00:00.000Z</LastModified><Size>1</Size>\
        </AnnotationEntry></Annotations></ListObjectAnnotationsOutput>";
    g.client()
        .put_object()
        .bucket(SRC_BUCKET)
        .key(format!("{p}src"))
        .content_type("application/xml")
        .body(body.as_bytes().to_vec().into())
        .send()
        .await
        .expect("put");
    let proxy = Proxy::start(&g.endpoint).await;
    let (s, d) = (
        s3(SRC_BUCKET, &format!("{p}src")),
        s3(DST_BUCKET, &format!("{p}dst")),
    );
    let r = g
        .via(&proxy)
        .s3cp(&["-v", "--json", "--copy-mode", "stream", &s, &d])
        .await;
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.json()["annotations"], 0, "{r}");
    assert!(proxy.of("GetObjectAnnotation").is_empty());
    assert!(proxy.of("PutObjectAnnotation").is_empty());
    assert_eq!(
        get_bytes(&g.client(), DST_BUCKET, &format!("{p}dst")).await,
        body.as_bytes()
    );
}
