//! Checks behind the tests generated from the spec's doc examples
//! (`tests/tests/generated/examples.rs`).

use scf_api::Action;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client_for;

/// `expected` without its `null` members (an absent optional input is not sent at all).
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), without_nulls(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Where `got` differs from `want`, numbers compared by value (`1` equals `1.0`); `None` when
/// they agree. With `superset`, `got` may have members `want` lacks, and a `null` in `want`
/// matches anything (a documented-nullable member the typed model fills with its default).
pub fn difference(want: &Value, got: &Value, superset: bool, path: &str) -> Option<String> {
    match (want, got) {
        (Value::Null, _) if superset => None,
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            };
            (!same).then(|| format!("{path}: expected {a}, got {b}"))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{path}: expected {} items, got {}",
                    a.len(),
                    b.len()
                ));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| difference(x, y, superset, &format!("{path}[{i}]")))
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, x) in a {
                let p = format!("{path}.{k}");
                match b.get(k) {
                    Some(y) => {
                        if let Some(d) = difference(x, y, superset, &p) {
                            return Some(d);
                        }
                    }
                    None if superset && x.is_null() => {}
                    None => return Some(format!("{p}: missing after the round trip")),
                }
            }
            if !superset {
                if let Some(k) = b.keys().find(|k| !a.contains_key(*k)) {
                    return Some(format!("{path}.{k}: not in the example"));
                }
            }
            None
        }
        (a, b) => (a != b).then(|| format!("{path}: expected {a}, got {b}")),
    }
}

/// The typed request `R` built from an example's input serializes back to exactly that input.
#[track_caller]
pub fn request_round_trip<R: Serialize + DeserializeOwned>(label: &str, input: &str) {
    let want: Value = serde_json::from_str(input).expect("example input is JSON");
    let typed: R = serde_json::from_value(want.clone())
        .unwrap_or_else(|e| panic!("{label}: the input does not fit the request type: {e}"));
    let got = serde_json::to_value(&typed).expect("requests serialize");
    if let Some(d) = difference(&without_nulls(&want), &got, false, "$") {
        panic!(
            "{label}: the request does not serialize to the example input: {d}\n  example: {want}\n  typed:   {got}"
        );
    }
}

/// The typed response `T` decoded from an example's output keeps every documented field when
/// serialized again.
#[track_caller]
pub fn response_round_trip<T: Serialize + DeserializeOwned>(label: &str, output: &str) {
    let want: Value = serde_json::from_str(output).expect("example output is JSON");
    let typed: T = serde_json::from_value(want.clone())
        .unwrap_or_else(|e| panic!("{label}: the output does not fit the response type: {e}"));
    let got = serde_json::to_value(&typed).expect("responses serialize");
    if let Some(d) = difference(&want, &got, true, "$") {
        panic!(
            "{label}: the response loses or changes a field: {d}\n  example: {want}\n  typed:   {got}"
        );
    }
}

/// Sends an example's input through a signed call to scf-local (which validates it against the
/// spec and answers with the action's first example) and compares the typed result with the
/// example output, apart from the fresh `RequestId`.
pub async fn server_round_trip<A>(label: &str, input: &str, output: &str)
where
    A: Action + DeserializeOwned,
    A::Output: Serialize,
{
    let server = scf_local::Server::builder()
        .examples_only()
        .start()
        .await
        .expect("scf-local starts on 127.0.0.1");
    let client = client_for(&server);
    let request: A = serde_json::from_str(input)
        .unwrap_or_else(|e| panic!("{label}: the input does not fit the request type: {e}"));
    let got = client
        .execute(&request)
        .await
        .unwrap_or_else(|e| panic!("{label}: the call failed: {e}"));
    let mut got = serde_json::to_value(&got).expect("responses serialize");
    let mut want: Value = serde_json::from_str(output).expect("example output is JSON");
    let got_id = got
        .as_object_mut()
        .and_then(|o| o.remove("RequestId"))
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    want.as_object_mut().map(|o| o.remove("RequestId"));
    assert!(!got_id.is_empty(), "{label}: the response has no RequestId");
    if let Some(d) = difference(&want, &got, true, "$") {
        panic!("{label}: the typed response differs from the example: {d}");
    }
    let recorded = server.requests();
    assert_eq!(recorded.len(), 1, "{label}: one request on the wire");
    assert_eq!(
        recorded[0].action.as_deref(),
        Some(A::META.name),
        "{label}: X-TC-Action"
    );
    let sent: Value = serde_json::from_slice(&recorded[0].body).expect("the body is JSON");
    let want_in: Value = serde_json::from_str(input).expect("example input is JSON");
    if let Some(d) = difference(&without_nulls(&want_in), &sent, false, "$") {
        panic!("{label}: the body on the wire differs from the example input: {d}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(difference(&json!(1), &json!(1.0), false, "$"), None);
        assert!(difference(&json!(1), &json!(2), false, "$").is_some());
        assert!(difference(&json!(u64::MAX), &json!(-1), false, "$").is_some());
    }

    #[test]
    fn superset_allows_extra_members_and_null_wildcards() {
        let want = json!({"A": 1, "B": null, "C": [{"D": "x"}]});
        let got = json!({"A": 1, "B": "", "C": [{"D": "x", "E": 0}], "F": true});
        assert_eq!(difference(&want, &got, true, "$"), None);
        assert!(difference(&want, &got, false, "$").is_some());
    }

    #[test]
    fn reports_the_path_of_a_lost_member() {
        let want = json!({"A": {"B": [1, {"C": "x"}]}});
        let got = json!({"A": {"B": [1, {}]}});
        assert_eq!(
            difference(&want, &got, true, "$").as_deref(),
            Some("$.A.B[1].C: missing after the round trip")
        );
    }
}
