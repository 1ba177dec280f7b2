//! Fresh request ids: random version-4 UUIDs, lowercase and hyphenated, as the service's.

/// A fresh id such as `3f0c2a51-9d3e-4b7a-8c21-5e6f7a8b9c0d` (lowercase hex, version nibble 4,
/// RFC 4122 variant bits).
pub(crate) fn fresh() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_uuid_v4_shaped_and_distinct() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let id = fresh();
            assert_eq!(id.len(), 36);
            let parts: Vec<&str> = id.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(parts[2].starts_with('4'), "{id}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{id}");
            assert!(
                id.chars()
                    .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
            );
            assert!(seen.insert(id));
        }
    }
}
