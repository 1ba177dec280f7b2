//! What a region name may look like. The region becomes part of a host name
//! (`scf.<region>.tencentcloudapi.com`) and of the `X-TC-Region` header, so it is checked
//! wherever it enters, before any I/O.

/// Longest region name accepted; real ones are under 30 characters.
const MAX_REGION_LEN: usize = 64;

/// Checks that `region` is a region name: 1 to 64 lowercase ASCII letters, digits and `-`,
/// starting and ending with a letter or digit (`ap-guangzhou`, `na-siliconvalley`,
/// `ap-shanghai-fsi`). On failure, says why in a message that shows the value escaped.
pub(crate) fn check(region: &str) -> Result<(), String> {
    let word = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = region.as_bytes();
    let ok = !bytes.is_empty()
        && bytes.len() <= MAX_REGION_LEN
        && bytes.iter().all(|&b| word(b) || b == b'-')
        && bytes.first().copied().is_some_and(word)
        && bytes.last().copied().is_some_and(word);
    if ok {
        Ok(())
    } else {
        let shown: String = region.chars().take(MAX_REGION_LEN + 8).collect();
        Err(format!(
            "{shown:?} is not a region name (1 to {MAX_REGION_LEN} lowercase letters, digits and \
             `-`, such as `ap-guangzhou`)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn region_names() {
        for good in [
            "ap-guangzhou",
            "na-siliconvalley",
            "ap-shanghai-fsi",
            "eu-frankfurt",
            "x1",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "ap-guangzhou\n",
            "ap guangzhou",
            "../",
            "x@127.0.0.1:9/",
            "AP-GUANGZHOU",
            "-ap",
            "ap-",
            "ap.guangzhou",
            "ap_guangzhou",
            "ü",
        ] {
            let err = check(bad).unwrap_err();
            assert!(err.contains("is not a region name"), "{bad}: {err}");
            assert!(
                !err.contains('\n'),
                "the message escapes control characters: {err}"
            );
        }
        assert!(check(&"a".repeat(65)).is_err());
        assert!(check(&"a".repeat(64)).is_ok());
    }
}
