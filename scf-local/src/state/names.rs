//! The one rule resource names share: letters, digits, `-` and `_`, starting with a letter.

use std::ops::RangeInclusive;

/// Whether `name` has a length in `len`, starts with an ASCII letter, holds only ASCII letters,
/// digits, `-` and `_`, and (unless `may_end_with_separator`) does not end with `-` or `_`.
pub(crate) fn is_resource_name(
    name: &str,
    len: RangeInclusive<usize>,
    may_end_with_separator: bool,
) -> bool {
    len.contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && (may_end_with_separator || !name.ends_with(['-', '_']))
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::is_resource_name;

    #[test]
    fn resource_names() {
        assert!(is_resource_name("a", 1..=30, true));
        assert!(is_resource_name("a-", 1..=30, true));
        assert!(!is_resource_name("a-", 1..=30, false));
        assert!(!is_resource_name("1a", 1..=30, true));
        assert!(!is_resource_name("a.b", 1..=30, true));
        assert!(!is_resource_name("", 1..=30, true));
        assert!(!is_resource_name(&"a".repeat(31), 1..=30, true));
    }
}
