use super::*;

#[test]
fn layer_names() {
    for good in ["a", "layer-name1", "L_1", &"a".repeat(64)] {
        assert!(valid_name(good), "{good}");
    }
    for bad in ["", "1a", "-a", "a-", "a_", "a b", "ä", &"a".repeat(65)] {
        assert!(!valid_name(bad), "{bad}");
    }
}
