//! Tests of the parent module.

use super::*;
use std::sync::Arc;

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

const POST_BODY: &str =
    r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

fn post_input() -> SigningInput<'static> {
    SigningInput {
        method: "POST",
        host: "cvm.tencentcloudapi.com",
        path: "/",
        query: "",
        content_type: "application/json; charset=utf-8",
        payload: POST_BODY.as_bytes(),
        service: "cvm",
        timestamp: 1_551_113_065,
        secret_id: SECRET_ID,
    }
}

fn get_input() -> SigningInput<'static> {
    SigningInput {
        method: "GET",
        host: "cvm.tencentcloudapi.com",
        path: "/",
        query: "Limit=10&Offset=0",
        content_type: "application/x-www-form-urlencoded",
        payload: b"",
        service: "cvm",
        timestamp: 1_539_084_154,
        secret_id: SECRET_ID,
    }
}

#[test]
fn official_post_vector() {
    let input = post_input();
    // The body's backslash-u sequences are literal ASCII characters.
    assert!(POST_BODY.is_ascii());
    assert!(POST_BODY.contains(r"\u672a"));
    assert_eq!(
        sha256_hex(input.payload),
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    );

    let expected_canonical = [
        "POST",
        "/",
        "",
        "content-type:application/json; charset=utf-8",
        "host:cvm.tencentcloudapi.com",
        "",
        "content-type;host",
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
    ]
    .join("\n");
    assert_eq!(canonical_request(&input), expected_canonical);
    assert_eq!(
        sha256_hex(expected_canonical.as_bytes()),
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    );

    let sig = sign(&input, SECRET_KEY);
    assert_eq!(sig.canonical_request, expected_canonical);
    assert_eq!(sig.credential_scope, "2019-02-25/cvm/tc3_request");
    assert_eq!(
        sig.string_to_sign,
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
         5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    );
    assert_eq!(
        sig.signature,
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
    assert_eq!(
        sig.authorization,
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
         SignedHeaders=content-type;host, \
         Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
}

#[test]
fn official_get_vector() {
    let input = get_input();
    let expected_canonical = [
        "GET",
        "/",
        "Limit=10&Offset=0",
        "content-type:application/x-www-form-urlencoded",
        "host:cvm.tencentcloudapi.com",
        "",
        "content-type;host",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ]
    .join("\n");
    assert_eq!(canonical_request(&input), expected_canonical);
    assert_eq!(
        sha256_hex(expected_canonical.as_bytes()),
        "91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7"
    );

    let sig = sign(&input, SECRET_KEY);
    assert_eq!(sig.canonical_request, expected_canonical);
    assert_eq!(sig.credential_scope, "2018-10-09/cvm/tc3_request");
    assert_eq!(
        sig.string_to_sign,
        "TC3-HMAC-SHA256\n1539084154\n2018-10-09/cvm/tc3_request\n\
         91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7"
    );
    assert_eq!(
        sig.signature,
        "5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"
    );
    assert_eq!(
        sig.authorization,
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2018-10-09/cvm/tc3_request, \
         SignedHeaders=content-type;host, \
         Signature=5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"
    );
}

#[test]
fn sign_with_key_matches_sign() {
    let input = post_input();
    let key = SigningKey::derive(SECRET_KEY, "2019-02-25", "cvm");
    assert_eq!(sign_with_key(&input, &key), sign(&input, SECRET_KEY));
}

#[test]
fn canonical_request_normalizes_headers() {
    let input = SigningInput {
        method: "post",
        host: "  CVM.TencentCloudAPI.com ",
        path: "",
        content_type: " application/json; charset=utf-8\t",
        ..post_input()
    };
    assert_eq!(canonical_request(&input), canonical_request(&post_input()));
}

#[test]
fn hmac_matches_rfc4231_vectors() {
    // RFC 4231 test case 2 (short key).
    assert_eq!(
        hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    // RFC 4231 test case 6 (131-byte key, longer than the block size).
    assert_eq!(
        hex::encode(hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First"
        )),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
}

#[test]
fn utc_date_known_instants() {
    let cases: &[(u64, &str)] = &[
        (0, "1970-01-01"),
        (86_399, "1970-01-01"),
        (86_400, "1970-01-02"),
        (951_782_400, "2000-02-29"),
        (951_868_799, "2000-02-29"),
        (951_868_800, "2000-03-01"),
        (1_539_084_154, "2018-10-09"),
        (1_551_113_065, "2019-02-25"),
        // 2019-12-31T23:59:59Z and 2020-01-01T00:00:00Z.
        (1_577_836_799, "2019-12-31"),
        (1_577_836_800, "2020-01-01"),
        // 2024-02-29T23:59:59Z and 2024-03-01T00:00:00Z.
        (1_709_251_199, "2024-02-29"),
        (1_709_251_200, "2024-03-01"),
        // 2038-01-19T03:14:08Z, just past i32::MAX.
        (2_147_483_648, "2038-01-19"),
        // 2100 is not a leap year.
        (4_107_456_000, "2100-02-28"),
        (4_107_542_400, "2100-03-01"),
        (4_102_444_800, "2100-01-01"),
        (4_102_444_799, "2099-12-31"),
        // 9999-12-31T23:59:59Z and 10000-01-01T00:00:00Z.
        (253_402_300_799, "9999-12-31"),
        (253_402_300_800, "10000-01-01"),
    ];
    for &(timestamp, expected) in cases {
        assert_eq!(utc_date(timestamp), expected, "timestamp {timestamp}");
    }
}

#[test]
fn utc_date_does_not_overflow() {
    // Must not panic on the largest input.
    let date = utc_date(u64::MAX);
    assert!(date.len() >= 10);
}

/// Checks `civil_from_days` against a simple day-by-day walk of the
/// calendar over more than a full 400-year era.
#[test]
fn civil_from_days_matches_naive_calendar() {
    fn is_leap(y: u64) -> bool {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }
    let (mut y, mut m, mut d) = (1970u64, 1u64, 1u64);
    for days in 0..(146_097 * 2) {
        assert_eq!(civil_from_days(days), (y, m, d), "day {days}");
        let month_len = match m {
            2 if is_leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        d += 1;
        if d > month_len {
            d = 1;
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
}

#[test]
fn cache_matches_uncached_signing() {
    let cache = SigningKeyCache::new();
    for input in [post_input(), get_input()] {
        assert_eq!(cache.sign(&input, SECRET_KEY), sign(&input, SECRET_KEY));
    }
    let post = cache.sign(&post_input(), SECRET_KEY);
    assert_eq!(
        post.signature,
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
}

#[test]
fn streamed_authorization_matches_the_full_signature() {
    let cache = SigningKeyCache::new();
    let long_host = format!("  {}.Example.COM ", "Sub".repeat(40));
    let payload = "x".repeat(1000);
    let inputs = [
        post_input(),
        get_input(),
        SigningInput {
            method: " post ",
            host: &long_host,
            path: "",
            content_type: "  application/json ",
            payload: payload.as_bytes(),
            ..post_input()
        },
        SigningInput {
            timestamp: 0,
            payload: b"",
            ..post_input()
        },
        SigningInput {
            timestamp: 300_000_000_000,
            ..post_input()
        },
        SigningInput {
            timestamp: u64::MAX,
            ..get_input()
        },
    ];
    for input in inputs {
        for secret in [SECRET_KEY, "another-secret"] {
            let full = sign(&input, secret).authorization;
            assert_eq!(cache.authorization(&input, secret), full, "{input:?}");
            assert_eq!(authorization(&input, secret), full, "{input:?}");
        }
    }
    assert_eq!(
        cache.authorization(&post_input(), SECRET_KEY),
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
         SignedHeaders=content-type;host, \
         Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    );
}

#[test]
fn decimal_buffer() {
    for n in [0, 7, 10, 1_551_113_065, u64::MAX] {
        let mut buf = [0u8; 20];
        assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
    }
}

#[test]
fn cache_derives_once_per_day_service_and_secret() {
    let cache = SigningKeyCache::new();
    let input = post_input();
    let first = cache.sign(&input, SECRET_KEY);
    assert_eq!(cache.derivation_count(), 1);

    // Same day (last second of 2019-02-25), same service: no derivation.
    let later = SigningInput {
        timestamp: 1_551_139_199,
        ..input
    };
    assert_eq!(utc_date(later.timestamp), "2019-02-25");
    assert_eq!(cache.sign(&later, SECRET_KEY), sign(&later, SECRET_KEY));
    assert_eq!(cache.sign(&input, SECRET_KEY), first);
    assert_eq!(cache.derivation_count(), 1);

    // Another service gets its own entry and keeps the first one.
    let scf = SigningInput {
        service: "scf",
        ..input
    };
    assert_eq!(cache.sign(&scf, SECRET_KEY), sign(&scf, SECRET_KEY));
    assert_eq!(cache.derivation_count(), 2);
    cache.sign(&input, SECRET_KEY);
    cache.sign(&scf, SECRET_KEY);
    assert_eq!(cache.derivation_count(), 2);
}

#[test]
fn cache_invalidated_by_date_change() {
    let cache = SigningKeyCache::new();
    let input = post_input();
    cache.sign(&input, SECRET_KEY);
    assert_eq!(cache.derivation_count(), 1);

    // First second of 2019-02-26.
    let next_day = SigningInput {
        timestamp: 1_551_139_200,
        ..input
    };
    assert_eq!(utc_date(next_day.timestamp), "2019-02-26");
    assert_eq!(
        cache.sign(&next_day, SECRET_KEY),
        sign(&next_day, SECRET_KEY)
    );
    assert_eq!(cache.derivation_count(), 2);
    cache.sign(&next_day, SECRET_KEY);
    assert_eq!(cache.derivation_count(), 2);

    let key = cache.key(SECRET_KEY, "2019-02-26", "cvm");
    assert_eq!(
        key.as_bytes(),
        SigningKey::derive(SECRET_KEY, "2019-02-26", "cvm").as_bytes()
    );
    assert_ne!(
        key.as_bytes(),
        SigningKey::derive(SECRET_KEY, "2019-02-25", "cvm").as_bytes()
    );
}

#[test]
fn cache_invalidated_by_secret_rotation() {
    let cache = SigningKeyCache::new();
    let input = post_input();
    let old = cache.sign(&input, SECRET_KEY);
    let rotated_secret = "rotated-secret-key-EXAMPLE";
    let new = cache.sign(&input, rotated_secret);
    assert_eq!(cache.derivation_count(), 2);
    assert_ne!(old.signature, new.signature);
    assert_eq!(new, sign(&input, rotated_secret));
    // Switching back derives again; the old key was replaced.
    assert_eq!(cache.sign(&input, SECRET_KEY), old);
    assert_eq!(cache.derivation_count(), 3);
}

#[test]
fn cache_is_shareable_across_threads() {
    let cache = Arc::new(SigningKeyCache::new());
    let expected = sign(&post_input(), SECRET_KEY);
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let cache = Arc::clone(&cache);
            std::thread::spawn(move || cache.sign(&post_input(), SECRET_KEY))
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().ok(), Some(expected.clone()));
    }
    assert_eq!(cache.derivation_count(), 1);
}

#[test]
fn cache_recovers_from_poisoned_mutex() {
    let cache = Arc::new(SigningKeyCache::new());
    cache.sign(&post_input(), SECRET_KEY);
    let poisoner = Arc::clone(&cache);
    let result = std::thread::spawn(move || {
        let _guard = poisoner.entries.lock();
        panic!("poison the cache mutex");
    })
    .join();
    assert!(result.is_err());
    assert!(cache.entries.is_poisoned());

    assert_eq!(
        cache.sign(&post_input(), SECRET_KEY),
        sign(&post_input(), SECRET_KEY)
    );
    assert_eq!(cache.derivation_count(), 1);
    assert!(format!("{cache:?}").contains("2019-02-25"));
}

#[test]
fn debug_output_never_contains_secrets() {
    let key = SigningKey::derive(SECRET_KEY, "2019-02-25", "cvm");
    let key_hex = hex::encode(key.as_bytes());
    let key_debug = format!("{key:?}");
    assert_eq!(key_debug, "SigningKey(<redacted>)");
    assert!(!key_debug.contains(SECRET_KEY));
    assert!(!key_debug.contains(&key_hex));

    let cache = SigningKeyCache::new();
    cache.sign(&post_input(), SECRET_KEY);
    for debug in [format!("{cache:?}"), format!("{cache:#?}")] {
        assert!(!debug.contains(SECRET_KEY), "{debug}");
        assert!(!debug.contains(&key_hex), "{debug}");
        assert!(debug.contains("SigningKeyCache"), "{debug}");
    }

    // Debug while the lock is held does not deadlock.
    let guard = cache.lock();
    assert!(format!("{cache:?}").contains("<locked>"));
    drop(guard);
}
