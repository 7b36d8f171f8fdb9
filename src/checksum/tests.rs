//! The checksum decisions, case by case.

use super::*;

/// The ten fields of an answer with the first five given.
fn five(first: [Option<&str>; 5]) -> [Option<&str>; 10] {
    let mut all = [None; 10];
    all[..5].copy_from_slice(&first);
    all
}

fn full(a: Algorithm, v: &str) -> Checksum {
    Checksum::full_object(a, v.to_owned())
}

fn source<'a>(checksum: Option<&'a Checksum>, multipart: bool) -> Source<'a> {
    Source {
        checksum,
        etag_is_md5: false,
        source_etag_is_md5: false,
        etag: "\"abc\"",
        multipart,
        same_parts: false,
    }
}

const NONE: ChecksumOptions = ChecksumOptions {
    algorithm: None,
    verify: false,
};
const VERIFY: ChecksumOptions = ChecksumOptions {
    algorithm: None,
    verify: true,
};

#[test]
fn names_are_s3s() {
    assert_eq!(Algorithm::Crc64Nvme.name(), "CRC64NVME");
    assert_eq!(Algorithm::from_name("crc32c"), Some(Algorithm::Crc32c));
    assert_eq!(Algorithm::from_name("md5"), Some(Algorithm::Md5));
    assert_eq!(
        Algorithm::from_name("XXHASH128"),
        Some(Algorithm::Xxhash128)
    );
    assert_eq!(Algorithm::from_name("SHA384"), None);
    for a in Algorithm::ALL {
        assert_eq!(Algorithm::from_name(a.name()), Some(a));
        assert_eq!(
            a.is_new(),
            !a.is_crc() && !matches!(a, Algorithm::Sha1 | Algorithm::Sha256)
        );
    }
    assert_eq!(Kind::FullObject.name(), "FULL_OBJECT");
    assert!(Algorithm::Crc32.is_crc() && !Algorithm::Sha256.is_crc());
}

#[test]
fn an_answers_checksum_is_its_first_value_with_its_kind() {
    let c = Checksum::from_fields(five([None, None, Some("9aHSApmMT64="), None, None]), None);
    assert_eq!(c, Some(full(Algorithm::Crc64Nvme, "9aHSApmMT64=")));
    // The type wins; without one, `-N` says composite.
    let c =
        Checksum::from_fields(five([Some("Nbyg3Q==-3"), None, None, None, None]), None).unwrap();
    assert_eq!((c.algorithm, c.kind), (Algorithm::Crc32, Kind::Composite));
    let c = Checksum::from_fields(
        five([None, Some("abc"), None, None, None]),
        Some("COMPOSITE"),
    )
    .unwrap();
    assert_eq!((c.algorithm, c.kind), (Algorithm::Crc32c, Kind::Composite));
    // Base64 may hold neither '-' nor digits-only tails that mislead.
    let c = Checksum::from_fields(five([None, None, None, None, Some("a+b/c=")]), None).unwrap();
    assert_eq!(c.kind, Kind::FullObject);
    assert_eq!(Checksum::from_fields([None; 10], Some("FULL_OBJECT")), None);
    assert_eq!(
        Checksum::from_fields(five([Some(""), None, None, None, None]), None),
        None
    );
}

#[test]
fn only_full_object_checksums_of_one_algorithm_compare() {
    let a = full(Algorithm::Crc32, "x");
    assert!(a.comparable(&full(Algorithm::Crc32, "y")));
    assert!(!a.comparable(&full(Algorithm::Crc32c, "x")));
    let composite = Checksum {
        kind: Kind::Composite,
        ..a.clone()
    };
    assert!(!a.comparable(&composite));
    assert!(!composite.comparable(&composite));
    // Composites alike are the same bytes; a full-object value is never
    // one.
    assert!(composite.same_composite(&composite));
    assert!(!a.same_composite(&a));
    let other = Checksum {
        value: "z-3".into(),
        ..composite.clone()
    };
    assert!(!composite.same_composite(&other));
}

#[test]
fn a_single_copy_keeps_the_source_checksum_and_is_proved_by_it() {
    for a in Algorithm::ALL {
        let c = full(a, "v");
        let p = plan(source(Some(&c), false), NONE);
        assert_eq!(p.ask, Ask::default(), "{a}");
        assert_eq!(p.proof, Proof::Checksum(c.clone()));
        assert_eq!(p.note, None);
    }
}

#[test]
fn a_multipart_copy_asks_for_the_source_crc_as_full_object() {
    for a in [Algorithm::Crc32, Algorithm::Crc32c, Algorithm::Crc64Nvme] {
        let c = full(a, "v");
        let p = plan(source(Some(&c), true), NONE);
        assert_eq!(
            p.ask,
            Ask {
                algorithm: Some(a),
                full_object: true
            }
        );
        assert_eq!(p.proof, Proof::Checksum(c.clone()));
    }
}

#[test]
fn a_multipart_copy_keeps_sha_per_part_and_cannot_keep_a_composite_crc() {
    // SHA256 is COMPOSITE on a multipart object: kept as that, which does
    // not compare with the source's full-object value.
    let sha = full(Algorithm::Sha256, "v");
    let p = plan(source(Some(&sha), true), NONE);
    assert_eq!(
        p.ask,
        Ask {
            algorithm: Some(Algorithm::Sha256),
            full_object: false
        }
    );
    let Proof::None(why) = &p.proof else {
        panic!("{p:?}")
    };
    assert!(why.contains("not comparable"), "{why}");
    assert!(p.note.unwrap().contains("SHA256 COMPOSITE"));
    let composite = Checksum {
        kind: Kind::Composite,
        ..full(Algorithm::Crc32, "v-3")
    };
    let p = plan(source(Some(&composite), true), NONE);
    assert_eq!(p.ask, Ask::default());
    assert!(p.note.unwrap().contains("composite"));
    // --verify: a CRC64NVME the read is compared with.
    let p = plan(source(Some(&sha), true), VERIFY);
    assert_eq!(
        p.ask,
        Ask {
            algorithm: Some(Algorithm::Crc64Nvme),
            full_object: true
        }
    );
    assert_eq!(p.proof, Proof::Read(Algorithm::Crc64Nvme));
    assert!(p.note.unwrap().contains("--verify"));
}

/// A source in an algorithm added in 2026: kept by one CopyObject; a
/// multipart copy asks for it COMPOSITE, which reproduces a composite
/// source's value with its own parts, and otherwise compares with
/// nothing but a read of the source under --verify.
#[test]
fn a_new_algorithm_is_kept_composite_on_a_multipart_copy() {
    let composite_ask = |a| Ask {
        algorithm: Some(a),
        full_object: false,
    };
    for a in Algorithm::ALL.into_iter().filter(|a| a.is_new()) {
        let single_part = full(a, "v");
        let p = plan(source(Some(&single_part), false), NONE);
        assert_eq!(p.proof, Proof::Checksum(single_part.clone()), "{a}");
        let p = plan(source(Some(&single_part), true), NONE);
        assert_eq!(p.ask, composite_ask(a));
        let Proof::None(why) = &p.proof else {
            panic!("{a}: {p:?}")
        };
        assert!(
            why.contains("not comparable") && why.contains("--verify"),
            "{why}"
        );
        assert!(p.note.unwrap().contains("COMPOSITE"));
        let p = plan(source(Some(&single_part), true), VERIFY);
        assert_eq!((p.ask, p.proof), (composite_ask(a), Proof::Read(a)));

        let parts = Checksum {
            kind: Kind::Composite,
            ..full(a, "v-3")
        };
        let same_parts = Source {
            same_parts: true,
            ..source(Some(&parts), true)
        };
        let p = plan(same_parts, NONE);
        assert_eq!(p.ask, composite_ask(a));
        assert_eq!(p.proof, Proof::Checksum(parts.clone()));
        assert_eq!(p.note, None);
        let p = plan(source(Some(&parts), true), NONE);
        assert_eq!(p.ask, composite_ask(a));
        assert!(matches!(p.proof, Proof::None(_)), "{a}");
        // The user's new algorithm, on a source without one.
        let users = ChecksumOptions {
            algorithm: Some(a),
            verify: false,
        };
        assert_eq!(plan(source(None, true), users).ask, composite_ask(a));
    }
}

/// A stream computes a new algorithm itself: a source's is kept (a
/// single write full-object, proved by it; parts composite, proved by
/// the source's MD5 ETag, or its own parts' composite).
#[test]
fn a_stream_keeps_and_computes_a_new_algorithm() {
    let sha512 = full(Algorithm::Sha512, "v");
    let p = plan_stream(source(Some(&sha512), false), NONE);
    assert_eq!(p.ask.algorithm, Some(Algorithm::Sha512));
    assert_eq!(p.proof, Proof::Checksum(sha512.clone()));
    let md5 = Source {
        source_etag_is_md5: true,
        ..source(Some(&sha512), true)
    };
    let p = plan_stream(md5, NONE);
    assert_eq!(
        p.ask,
        Ask {
            algorithm: Some(Algorithm::Sha512),
            full_object: false
        }
    );
    assert_eq!(p.proof, Proof::Md5("\"abc\"".to_owned()));
    let parts = Checksum {
        kind: Kind::Composite,
        ..full(Algorithm::Xxhash3, "v-2")
    };
    let same_parts = Source {
        same_parts: true,
        ..source(Some(&parts), true)
    };
    assert_eq!(
        plan_stream(same_parts, NONE).proof,
        Proof::Checksum(parts.clone())
    );
    assert_eq!(
        plan_stream(source(Some(&parts), true), VERIFY).proof,
        Proof::Read(Algorithm::Xxhash3)
    );
}

#[test]
fn the_users_algorithm_overrides_and_a_crc_stays_full_object() {
    let c = full(Algorithm::Crc32, "v");
    let crc32c = ChecksumOptions {
        algorithm: Some(Algorithm::Crc32c),
        verify: false,
    };
    for multipart in [false, true] {
        let p = plan(source(Some(&c), multipart), crc32c);
        assert_eq!(
            p.ask,
            Ask {
                algorithm: Some(Algorithm::Crc32c),
                full_object: multipart
            }
        );
        // Another algorithm than the source's: nothing to compare.
        assert!(matches!(p.proof, Proof::None(_)), "{multipart}");
    }
    let same = ChecksumOptions {
        algorithm: Some(Algorithm::Crc32),
        verify: false,
    };
    assert_eq!(
        plan(source(Some(&c), true), same).proof,
        Proof::Checksum(c.clone())
    );
    let sha1 = ChecksumOptions {
        algorithm: Some(Algorithm::Sha1),
        verify: false,
    };
    let p = plan(source(None, true), sha1);
    assert_eq!(
        p.ask,
        Ask {
            algorithm: Some(Algorithm::Sha1),
            full_object: false
        }
    );
}

#[test]
fn without_a_checksum_the_md5_etag_proves_a_single_copy() {
    let md5 = Source {
        etag_is_md5: true,
        ..source(None, false)
    };
    let p = plan(md5, NONE);
    assert_eq!(p.ask, Ask::default());
    assert_eq!(p.proof, Proof::Etag("\"abc\"".to_owned()));
    // --verify needs no read then.
    assert_eq!(plan(md5, VERIFY).proof, Proof::Etag("\"abc\"".to_owned()));
    // Not the MD5 (KMS, SSE-C, a multipart source): nothing, or a read.
    assert!(matches!(
        plan(source(None, false), NONE).proof,
        Proof::None(_)
    ));
    let p = plan(source(None, false), VERIFY);
    assert_eq!(p.proof, Proof::Read(Algorithm::Crc64Nvme));
    assert_eq!(
        p.ask,
        Ask {
            algorithm: Some(Algorithm::Crc64Nvme),
            full_object: false
        }
    );
}

#[test]
fn a_multipart_copy_of_a_source_without_checksum_is_proved_only_by_a_read_or_its_own_parts() {
    let md5 = Source {
        etag_is_md5: true,
        ..source(None, true)
    };
    assert!(matches!(plan(md5, NONE).proof, Proof::None(_)));
    let p = plan(md5, VERIFY);
    assert_eq!(p.proof, Proof::Read(Algorithm::Crc64Nvme));
    assert!(p.ask.full_object);
    let same_parts = Source {
        same_parts: true,
        ..md5
    };
    assert_eq!(
        plan(same_parts, NONE).proof,
        Proof::Etag("\"abc\"".to_owned())
    );
}

/// --verify with a new algorithm named: the read computes it, full-object
/// on one CopyObject, the composite of the copy's parts on a multipart one;
/// nothing else is asked instead.
#[test]
fn verify_reads_in_the_users_new_algorithm() {
    let xxh128 = ChecksumOptions {
        algorithm: Some(Algorithm::Xxhash128),
        verify: true,
    };
    for multipart in [false, true] {
        let p = plan(source(None, multipart), xxh128);
        assert_eq!(p.proof, Proof::Read(Algorithm::Xxhash128), "{multipart}");
        assert_eq!(
            p.ask,
            Ask {
                algorithm: Some(Algorithm::Xxhash128),
                full_object: false
            }
        );
    }
}

#[test]
fn verify_reads_in_the_users_crc() {
    let crc32 = ChecksumOptions {
        algorithm: Some(Algorithm::Crc32),
        verify: true,
    };
    for multipart in [false, true] {
        let p = plan(source(None, multipart), crc32);
        assert_eq!(p.proof, Proof::Read(Algorithm::Crc32));
        assert_eq!(p.ask.algorithm, Some(Algorithm::Crc32));
        assert_eq!(p.ask.full_object, multipart);
    }
}

/// A stream computes the source's CRC (else CRC64NVME, or the user's),
/// `FULL_OBJECT` in parts. That CRC is its own: it never proves the
/// copy. What the source says does (its checksum in that algorithm, its
/// MD5 ETag against the bytes as they arrive), else a read under
/// --verify, else nothing.
#[test]
fn a_stream_is_proved_only_by_what_the_source_says_or_a_read() {
    let (sha, crc32) = (full(Algorithm::Sha256, "x"), full(Algorithm::Crc32, "AA=="));
    let crc32c = ChecksumOptions {
        algorithm: Some(Algorithm::Crc32c),
        verify: false,
    };
    for multipart in [false, true] {
        let p = plan_stream(source(Some(&crc32), multipart), NONE);
        let ask = |a| Ask {
            algorithm: Some(a),
            full_object: multipart,
        };
        assert_eq!(p.ask, ask(Algorithm::Crc32));
        assert_eq!(p.proof, Proof::Checksum(crc32.clone()));
        let p = plan_stream(source(Some(&crc32), multipart), crc32c);
        assert_eq!(p.ask, ask(Algorithm::Crc32c));
        let md5 = Source {
            source_etag_is_md5: true,
            ..source(None, multipart)
        };
        let p = plan_stream(md5, NONE);
        assert_eq!(p.ask, ask(Algorithm::Crc64Nvme));
        assert_eq!(p.proof, Proof::Md5("\"abc\"".to_owned()));
        // --verify needs no read then.
        assert_eq!(plan_stream(md5, VERIFY).proof, p.proof);
        // Neither: nothing, or a read under --verify.
        for (bare, opts) in [
            (source(None, multipart), NONE),
            (source(Some(&sha), multipart), NONE),
            (source(Some(&crc32), multipart), crc32c),
        ] {
            let Proof::None(why) = plan_stream(bare, opts).proof else {
                panic!("{bare:?} is proved by the stream's own CRC");
            };
            assert!(why.contains("--verify"), "{why}");
            let verify = ChecksumOptions {
                verify: true,
                ..opts
            };
            let want = opts.algorithm.unwrap_or(Algorithm::Crc64Nvme);
            assert_eq!(plan_stream(bare, verify).proof, Proof::Read(want));
        }
    }
    // The user's SHA256: the same as the source's on a single write;
    // otherwise no CRC is sent to compare the destination with.
    let users = ChecksumOptions {
        algorithm: Some(Algorithm::Sha256),
        verify: false,
    };
    let plan = plan_stream(source(Some(&sha), false), users);
    assert_eq!(plan.proof, Proof::Checksum(sha.clone()));
    let md5_sha = Source {
        source_etag_is_md5: true,
        ..source(None, false)
    };
    for other in [source(Some(&sha), true), md5_sha] {
        assert!(matches!(plan_stream(other, users).proof, Proof::None(_)));
    }
}

#[test]
fn verdicts() {
    let want = full(Algorithm::Crc32, "AAAA");
    assert_eq!(
        compare(&want, Some(&full(Algorithm::Crc32, "AAAA")), By::Checksum),
        Verdict::Verified(By::Checksum)
    );
    assert_eq!(
        compare(&want, Some(&full(Algorithm::Crc32, "BBBB")), By::Read),
        Verdict::Mismatch {
            what: "CRC32".to_owned(),
            source: "AAAA".to_owned(),
            destination: "BBBB".to_owned()
        }
    );
    assert!(matches!(
        compare(&want, Some(&full(Algorithm::Crc32c, "AAAA")), By::Checksum),
        Verdict::Unproved(_)
    ));
    assert!(matches!(
        compare(&want, None, By::Checksum),
        Verdict::Unproved(_)
    ));
    assert_eq!(
        compare_etags("\"abc\"", Some("abc")),
        Verdict::Verified(By::Etag)
    );
    assert!(matches!(
        compare_etags("\"abc\"", Some("\"abd\"")),
        Verdict::Mismatch { .. }
    ));
}
