use super::*;

#[test]
fn domain_names() {
    assert_eq!(check_domain("WWW.Demo.com").unwrap(), "www.demo.com");
    for good in ["a.b", "x-1.example.cn", "xn--p1ai.xn--p1ai"] {
        assert!(check_domain(good).is_ok(), "{good}");
    }
    for bad in [
        "",
        "localhost",
        "*.demo.com",
        "a..b",
        "-a.com",
        "a-.com",
        "a b.com",
        "1.2.3.4",
        "a.com/x",
        &format!("{}.com", "a".repeat(64)),
    ] {
        assert_eq!(
            check_domain(bad).unwrap_err().code,
            "InvalidParameterValue.Domain",
            "{bad}"
        );
    }
}

#[test]
fn paths() {
    for good in ["/", "/*", "/aa", "/aa/b", "/aa/*"] {
        assert!(valid_path(good), "{good}");
    }
    for bad in ["", "aa", "/a*", "/*/a", "/a b", "/a/*/*"] {
        assert!(!valid_path(bad), "{bad}");
    }
}

#[test]
fn waf() {
    assert!(check_waf(&json!({})).is_ok());
    assert!(check_waf(&json!({"WafOpen": "CLOSE"})).is_ok());
    assert!(check_waf(&json!({"WafOpen": "OPEN", "WafInstanceId": "waf_1"})).is_ok());
    assert!(check_waf(&json!({"WafOpen": "OPEN"})).is_err());
    assert!(check_waf(&json!({"WafOpen": "on"})).is_err());
}
