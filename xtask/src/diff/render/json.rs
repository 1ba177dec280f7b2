//! The report for tools: one JSON object, keys in a fixed order.
//!
//! ```json
//! {"base": "v0.1.0", "head": "working tree", "semver": "major",
//!  "changes": [{"rule": "input-removed", "severity": "breaking", "sdk": "major",
//!               "action": "CreateFunction", "type": null, "member": "Handler", "code": null,
//!               "message": "...", "overridden": null}]}
//! ```

use super::{Report, verdict};
use crate::diff::change::Change;
use crate::json::J;

/// The report as pretty-printed JSON, ending in a newline.
pub fn render(r: &Report) -> String {
    let mut o = J::obj();
    o.put("base", J::str(&r.base));
    o.put("head", J::str(&r.head));
    o.put("semver", J::str(verdict(r.semver())));
    o.put("changes", J::Arr(r.changes.iter().map(change).collect()));
    o.pretty()
}

fn change(c: &Change) -> J {
    let opt = |v: &Option<String>| v.as_ref().map_or(J::Null, J::str);
    let l = &c.location;
    let mut o = J::obj();
    o.put("rule", J::str(c.rule.id));
    o.put("severity", J::str(c.severity.as_str()));
    o.put("sdk", J::str(c.sdk.as_str()));
    o.put("action", opt(&l.action));
    o.put("type", opt(&l.type_));
    o.put("member", opt(&l.member));
    o.put("code", opt(&l.code));
    o.put("message", J::str(&c.message));
    o.put("overridden", opt(&c.overridden));
    o
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::render;
    use crate::diff::render::sample;

    #[test]
    fn json_has_every_key_in_order() {
        let r = sample::report();
        let text = render(&r);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["base"], "v0.1.0");
        assert_eq!(v["head"], "working tree");
        assert_eq!(v["semver"], "major");
        let changes = v["changes"].as_array().unwrap();
        assert_eq!(changes.len(), r.changes.len());
        let first = &changes[0];
        assert_eq!(first["rule"], r.changes[0].rule.id);
        assert_eq!(first["severity"], "breaking");
        let keys = [
            "rule",
            "severity",
            "sdk",
            "action",
            "type",
            "member",
            "code",
            "message",
            "overridden",
        ];
        for c in changes {
            assert_eq!(c.as_object().unwrap().len(), keys.len(), "{c}");
            for k in keys {
                assert!(c.get(k).is_some(), "{k} missing in {c}");
            }
        }
        // Keys come in the documented order, not sorted.
        let positions: Vec<usize> = keys
            .iter()
            .map(|k| text.find(&format!("\"{k}\"")).unwrap())
            .collect();
        assert!(positions.is_sorted(), "{text}");
        let overridden: Vec<&Value> = changes
            .iter()
            .filter(|c| !c["overridden"].is_null())
            .collect();
        assert_eq!(overridden.len(), 1);
        assert_eq!(overridden[0]["overridden"], "the console never sent it");
        assert_eq!(overridden[0]["severity"], "compatible");
        assert_eq!(overridden[0]["member"], "Stamp");
        assert_eq!(overridden[0]["type"], Value::Null);
    }

    #[test]
    fn json_without_changes() {
        let v: Value = serde_json::from_str(&render(&sample::empty())).unwrap();
        assert_eq!(v["semver"], "none");
        assert_eq!(v["changes"], Value::Array(Vec::new()));
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 4);
    }
}
