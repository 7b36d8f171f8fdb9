//! The test proxy's rewriting of answers ([`Proxy::rewrite_answer`]) and its
//! recording of request bodies, against Garage and moto through the SDK: what
//! the issue 9 tests rely on to make answers look as AWS S3's would.

mod support;

use aws_sdk_s3::operation::copy_object::CopyObjectOutput;
use aws_sdk_s3::types::{ChecksumAlgorithm, CompletedPart};
use support::proxy::{Edit, Proxy, RECORDED_BODY_LIMIT, answer};
use support::*;

/// A CopyObject answer for a targeted destination carries the rewritten
/// checksum: replaced where the server sent one, inserted where it sent
/// none (Garage, for a copy whose algorithm is not the source's); the
/// other copy's answer and the stored objects are untouched.
async fn copy_object_answer(server: Server) {
    let client = server.client();
    let p = unique("proxy-rewrite-copy");
    let src = format!("{p}src");
    put_source(
        &client,
        &src,
        random_bytes(64 * 1024),
        Some(ChecksumAlgorithm::Crc32),
    )
    .await;
    let real = head_checksums(&client, SRC_BUCKET, &src).await;
    let real = real
        .checksum_crc32()
        .expect("the source has a CRC32")
        .to_owned();
    let proxy = Proxy::start(&server.endpoint).await;
    // `same` keeps the source's CRC32; `other` and `miss` get a CRC64NVME.
    let (same, other, miss) = (format!("{p}same"), format!("{p}other"), format!("{p}miss"));
    for (key, edit) in [
        (&same, Edit::xml("ChecksumCRC32", FAKE_CRC32)),
        (&other, Edit::xml("ChecksumCRC64NVME", FAKE_CRC64NVME)),
    ] {
        let target = key.clone();
        proxy.rewrite_answer("CopyObject", move |r| r.is_for(DST_BUCKET, &target), edit);
    }
    let via = server.via(&proxy).client();
    let copy = |key: &str, alg: Option<ChecksumAlgorithm>| {
        via.copy_object()
            .bucket(DST_BUCKET)
            .key(key)
            .copy_source(format!("{SRC_BUCKET}/{src}"))
            .set_checksum_algorithm(alg)
            .send()
    };
    let same_out = copy(&same, None).await.expect("copy to same");
    let other_out = copy(&other, Some(ChecksumAlgorithm::Crc64Nvme))
        .await
        .expect("copy to other");
    let miss_out = copy(&miss, Some(ChecksumAlgorithm::Crc64Nvme))
        .await
        .expect("copy to miss");
    let result = |o: &CopyObjectOutput| o.copy_object_result().cloned().expect("a result");
    assert_eq!(result(&same_out).checksum_crc32(), Some(FAKE_CRC32));
    assert_eq!(
        result(&other_out).checksum_crc64_nvme(),
        Some(FAKE_CRC64NVME)
    );

    // Only the answers changed: the stored checksums are the server's.
    let stored_same = head_checksums(&client, DST_BUCKET, &same).await;
    assert_eq!(stored_same.checksum_crc32(), Some(real.as_str()));
    let stored_other = head_checksums(&client, DST_BUCKET, &other).await;
    let stored_other = stored_other.checksum_crc64_nvme();
    assert!(stored_other.is_some_and(|c| c != FAKE_CRC64NVME));
    // What the server sent for a copy to another algorithm: moto the
    // destination's checksum, Garage none (the proxy inserted it).
    let sent_other = match server.name {
        "garage" => None,
        _ => stored_other.map(str::to_owned),
    };
    let rewritten = proxy.rewritten();
    let was: Vec<_> = rewritten.iter().map(|r| r.was.clone()).collect();
    assert_eq!(
        was,
        [Some(real.clone()), sent_other.clone()],
        "{rewritten:#?}"
    );
    assert!(rewritten[0].request.is_for(DST_BUCKET, &same));
    assert!(rewritten[1].request.is_for(DST_BUCKET, &other));
    let miss_result = result(&miss_out);
    let stored_miss = head_checksums(&client, DST_BUCKET, &miss).await;
    let sent_miss = match server.name {
        "garage" => None,
        _ => stored_miss.checksum_crc64_nvme(),
    };
    assert_eq!(
        miss_result.checksum_crc64_nvme(),
        sent_miss,
        "the untargeted copy's answer is the server's"
    );
}

#[tokio::test]
async fn copy_object_answer_checksum_is_rewritten_for_the_targeted_key_on_garage() {
    copy_object_answer(garage().await).await;
}

#[tokio::test]
async fn copy_object_answer_checksum_is_rewritten_for_the_targeted_key_on_moto() {
    copy_object_answer(moto().await).await;
}

/// A HEAD with checksum mode of the targeted key gets the rewritten header
/// (and an added one); a HEAD of another key, or without checksum mode,
/// gets the server's; the HEAD's Content-Length stays the object's size.
async fn head_answer(server: Server) {
    let client = server.client();
    let p = unique("proxy-rewrite-head");
    let (a, b) = (format!("{p}a"), format!("{p}b"));
    let size = 48 * 1024;
    for key in [&a, &b] {
        put_source(
            &client,
            key,
            random_bytes(size),
            Some(ChecksumAlgorithm::Crc32),
        )
        .await;
    }
    let real_a = head_checksums(&client, SRC_BUCKET, &a).await;
    let real_a = real_a.checksum_crc32().expect("a has a CRC32").to_owned();
    let real_b = head_checksums(&client, SRC_BUCKET, &b).await;
    let real_b = real_b.checksum_crc32().expect("b has a CRC32").to_owned();

    let proxy = Proxy::start(&server.endpoint).await;
    for edit in [
        Edit::header("x-amz-checksum-crc32", FAKE_CRC32),
        Edit::header("x-amz-checksum-crc64nvme", FAKE_CRC64NVME),
    ] {
        let target = a.clone();
        proxy.rewrite_answer(
            "HeadObject",
            move |r| {
                r.is_for(SRC_BUCKET, &target) && r.header("x-amz-checksum-mode") == Some("ENABLED")
            },
            edit,
        );
    }
    let via = server.via(&proxy).client();

    let head_a = head_checksums(&via, SRC_BUCKET, &a).await;
    assert_eq!(head_a.checksum_crc32(), Some(FAKE_CRC32));
    assert_eq!(head_a.checksum_crc64_nvme(), Some(FAKE_CRC64NVME));
    assert_eq!(head_a.content_length(), Some(size as i64));

    let head_b = head_checksums(&via, SRC_BUCKET, &b).await;
    assert_eq!(head_b.checksum_crc32(), Some(real_b.as_str()));
    assert_eq!(head_b.checksum_crc64_nvme(), None);
    assert_eq!(head_b.content_length(), Some(size as i64));

    let plain_a = via
        .head_object()
        .bucket(SRC_BUCKET)
        .key(&a)
        .send()
        .await
        .expect("head a without checksum mode");
    assert_eq!(plain_a.checksum_crc32(), None);
    assert_eq!(plain_a.checksum_crc64_nvme(), None);

    let rewritten = proxy.rewritten();
    let was: Vec<_> = rewritten.iter().map(|r| r.was.clone()).collect();
    assert_eq!(was, [Some(real_a), None], "{rewritten:#?}");
    assert!(rewritten.iter().all(|r| r.request.is_for(SRC_BUCKET, &a)));
    assert_eq!(proxy.of("HeadObject").len(), 3);
}

#[tokio::test]
async fn head_answer_checksum_header_is_rewritten_only_for_the_targeted_head_on_garage() {
    head_answer(garage().await).await;
}

#[tokio::test]
async fn head_answer_checksum_header_is_rewritten_only_for_the_targeted_head_on_moto() {
    head_answer(moto().await).await;
}

/// A Complete answer for the targeted upload carries the rewritten
/// checksum; moto sends none (the proxy inserts it), Garage sends the
/// destination's (the proxy replaces it).
async fn complete_answer(server: Server) {
    let client = server.client();
    let key = format!("{}dst", unique("proxy-rewrite-complete"));
    let crc64 = Some(ChecksumAlgorithm::Crc64Nvme);
    let id = create_upload(&client, DST_BUCKET, &key, crc64.clone()).await;
    let body = vec![random_bytes(64 * 1024)];
    let parts = upload_parts(&client, DST_BUCKET, &key, &id, body, crc64).await;
    let proxy = Proxy::start(&server.endpoint).await;
    let target = key.clone();
    proxy.rewrite_answer(
        "CompleteMultipartUpload",
        move |r| r.is_for(DST_BUCKET, &target),
        Edit::xml("ChecksumCRC64NVME", FAKE_CRC64NVME),
    );
    let via = server.via(&proxy).client();
    let done = complete_upload(&via, DST_BUCKET, &key, &id, parts).await;
    assert_eq!(done.checksum_crc64_nvme(), Some(FAKE_CRC64NVME));
    let stored = head_checksums(&client, DST_BUCKET, &key).await;
    let stored = stored
        .checksum_crc64_nvme()
        .expect("the object has a CRC64NVME");
    assert_ne!(stored, FAKE_CRC64NVME);
    let rewritten = proxy.rewritten();
    assert_eq!(rewritten.len(), 1, "{rewritten:#?}");
    let sent = match server.name {
        "moto" => None,
        _ => Some(stored.to_owned()),
    };
    assert_eq!(rewritten[0].was, sent, "{}", server.name);
}

#[tokio::test]
async fn complete_answer_checksum_is_rewritten_on_garage() {
    complete_answer(garage().await).await;
}

#[tokio::test]
async fn complete_answer_checksum_is_inserted_where_moto_sends_none() {
    complete_answer(moto().await).await;
}

/// UploadPartCopy answers carry the part checksums the proxy adds (as AWS
/// sends for an upload created with an algorithm), and the recorded body of
/// the Complete lists them.
async fn part_checksums(server: Server) {
    let client = server.client();
    let p = unique("proxy-rewrite-parts");
    // Two sources, each copied whole as one part: a part's CRC32 is then
    // its source's, which the servers computed. The first part is 5 MiB
    // (moto's least part size); the last may be smaller.
    let sources = [
        (format!("{p}src1"), 5 * MIB as usize),
        (format!("{p}src2"), 64 * 1024),
    ];
    let mut crcs = Vec::new();
    for (key, len) in &sources {
        put_source(
            &client,
            key,
            random_bytes(*len),
            Some(ChecksumAlgorithm::Crc32),
        )
        .await;
        let head = head_checksums(&client, SRC_BUCKET, key).await;
        crcs.push(head.checksum_crc32().expect("a CRC32").to_owned());
    }
    let key = format!("{p}dst");
    let id = create_upload(&client, DST_BUCKET, &key, Some(ChecksumAlgorithm::Crc32)).await;

    let proxy = Proxy::start(&server.endpoint).await;
    for (n, crc) in crcs.iter().enumerate() {
        let part = (n + 1).to_string();
        proxy.rewrite_answer(
            "UploadPartCopy",
            move |r| r.query("partNumber").as_deref() == Some(part.as_str()),
            Edit::xml("ChecksumCRC32", crc),
        );
    }
    let via = server.via(&proxy).client();
    let mut parts = Vec::new();
    for (n, (source, _)) in sources.iter().enumerate() {
        let out = via
            .upload_part_copy()
            .bucket(DST_BUCKET)
            .key(&key)
            .upload_id(&id)
            .part_number(n as i32 + 1)
            .copy_source(format!("{SRC_BUCKET}/{source}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("part {}: {e:?}", n + 1));
        let result = out.copy_part_result().expect("a CopyPartResult");
        assert_eq!(
            result.checksum_crc32(),
            Some(crcs[n].as_str()),
            "part {}",
            n + 1
        );
        assert!(result.e_tag().is_some(), "the server's ETag is kept");
        parts.push(
            CompletedPart::builder()
                .part_number(n as i32 + 1)
                .set_e_tag(result.e_tag().map(Into::into))
                .set_checksum_crc32(result.checksum_crc32().map(Into::into))
                .build(),
        );
    }
    let rewritten = proxy.rewritten();
    assert_eq!(rewritten.len(), 2, "{rewritten:#?}");
    assert!(
        rewritten.iter().all(|r| r.was.is_none()),
        "neither server sends part checksums: {rewritten:#?}"
    );
    complete_upload(&via, DST_BUCKET, &key, &id, parts).await;
    let completes = proxy.of("CompleteMultipartUpload");
    assert_eq!(completes.len(), 1);
    let body = completes[0]
        .body_text()
        .expect("the Complete's body is recorded");
    for (n, crc) in crcs.iter().enumerate() {
        let part = format!("<PartNumber>{}</PartNumber>", n + 1);
        let listed = format!("<ChecksumCRC32>{crc}</ChecksumCRC32>");
        assert!(body.contains(&part) && body.contains(&listed), "{body}");
    }
    let stored = head_checksums(&client, DST_BUCKET, &key).await;
    assert_eq!(stored.content_length(), Some(5 * MIB as i64 + 64 * 1024));
}

#[tokio::test]
async fn upload_part_copy_answers_carry_added_part_checksums_on_garage() {
    part_checksums(garage().await).await;
}

#[tokio::test]
async fn upload_part_copy_answers_carry_added_part_checksums_on_moto() {
    part_checksums(moto().await).await;
}

/// Request bodies are recorded up to the limit, not above it; both reach
/// the server whole.
#[tokio::test]
async fn request_bodies_are_recorded_up_to_the_limit() {
    let g = garage().await;
    let proxy = Proxy::start(&g.endpoint).await;
    let via = g.via(&proxy).client();
    let p = unique("proxy-rewrite-bodies");
    let small = b"a small body the proxy keeps".to_vec();
    let big = random_bytes(RECORDED_BODY_LIMIT + 1);
    put(&via, SRC_BUCKET, &format!("{p}small"), small.clone()).await;
    put(&via, SRC_BUCKET, &format!("{p}big"), big.clone()).await;
    let puts = proxy.of("PutObject");
    assert_eq!(puts.len(), 2);
    let recorded = puts[0].body_text().expect("the small body is recorded");
    // As sent: the SDK may frame it (aws-chunked, with a checksum trailer).
    assert!(
        recorded.contains(std::str::from_utf8(&small).unwrap()),
        "{recorded}"
    );
    assert!(puts[1].body.is_none(), "a body above the limit is not kept");
    let client = g.client();
    for (name, data) in [("small", small), ("big", big)] {
        let got = get_bytes(&client, SRC_BUCKET, &format!("{p}{name}")).await;
        assert!(got == data, "{name} arrived whole");
    }
}

/// The answer editing itself: a chunked body is de-chunked and sent with a
/// Content-Length; an element is replaced or inserted; a HEAD's
/// Content-Length (the object's size) is kept.
#[test]
fn answers_are_reframed_after_an_edit() {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyPartResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ETag>\"abc\"</ETag><LastModified>2025-01-01T00:00:00Z</LastModified></CopyPartResult>";
    let (a, b) = body.split_at(60);
    let raw = format!(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/xml\r\n\r\n{:x}\r\n{a}\r\n{:x};ext=1\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    let mut parsed = answer::parse(raw.as_bytes(), false).expect("parse a chunked answer");
    assert_eq!(parsed.body, body.as_bytes());
    assert_eq!(parsed.set_xml_element("ChecksumCRC32", "a<b"), Ok(None));
    assert_eq!(
        parsed.set_xml_element("ETag", "\"def\""),
        Ok(Some("\"abc\"".into()))
    );
    assert_eq!(parsed.set_header("x-amz-test", "1"), None);
    let out = String::from_utf8(parsed.to_bytes()).unwrap();
    let (head, new_body) = out.split_once("\r\n\r\n").unwrap();
    assert!(
        !head.to_ascii_lowercase().contains("transfer-encoding"),
        "{head}"
    );
    assert!(
        head.contains(&format!("content-length: {}", new_body.len())),
        "{head}"
    );
    assert!(head.contains("connection: close") && head.contains("x-amz-test: 1"));
    assert!(
        new_body.ends_with("<ETag>\"def\"</ETag><LastModified>2025-01-01T00:00:00Z</LastModified><ChecksumCRC32>a&lt;b</ChecksumCRC32></CopyPartResult>"),
        "{new_body}"
    );

    let head =
        "HTTP/1.1 200 OK\r\nContent-Length: 5242880\r\nx-amz-checksum-crc32: AAAAAA==\r\n\r\n";
    let mut parsed = answer::parse(head.as_bytes(), true).expect("parse a HEAD answer");
    assert_eq!(
        parsed.set_header("X-Amz-Checksum-CRC32", FAKE_CRC32),
        Some("AAAAAA==".into())
    );
    let out = String::from_utf8(parsed.to_bytes()).unwrap();
    assert!(out.contains("Content-Length: 5242880\r\n"), "{out}");
    assert!(
        out.ends_with("X-Amz-Checksum-CRC32: ZmFrZQ==\r\nconnection: close\r\n\r\n"),
        "{out}"
    );
    assert!(!out.contains("AAAAAA=="), "{out}");

    let cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<a/>";
    assert!(answer::parse(cut.as_bytes(), false).is_err());
}
