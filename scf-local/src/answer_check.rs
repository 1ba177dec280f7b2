//! Checks a successful answer against the spec: the members of its `Response` object (without
//! `RequestId`), at every depth, as the spec's output members and shared types describe them.
//!
//! The rules, meant for scf-local's own answers (a debug-build check in the dispatcher, and the
//! test `tests/answers_match_spec.rs`):
//!
//! - Every member must be one the spec lists for that object (the action's output, or the
//!   shared type of a nested object).
//! - A value must have the member's JSON type: `string` and `datetime` a string, `integer` an
//!   integer that fits in `i64`, `unsigned` one that fits in `u64`, `float` any number,
//!   `boolean` a boolean, a shared type an object; a list member an array of such values.
//! - `null` is accepted for a member that is nullable or not documented as always present
//!   (`required`), since a client must expect either; it is a problem for a required,
//!   non-nullable member. An item of a list is never `null`.
//! - A member the spec documents as always present (`required`) must be there.
//!
//! Each problem reads `<Action>: <path>: <message>`, the path written from `$` (the `Response`
//! object) like `$.Functions[0].FunctionName`. Every problem is reported, not just the first.

use serde_json::{Map, Value};

use crate::catalog::{ActionFacts, OutputMemberDef, ServiceFacts, WireType};

/// Checks `answer`, the `Response` object of a successful answer to `action` without
/// `RequestId`, against the spec's output members; `Err` lists every problem.
pub(crate) fn check_answer(
    action: &ActionFacts,
    facts: &ServiceFacts,
    answer: &Map<String, Value>,
) -> Result<(), Vec<String>> {
    let mut cx = Cx {
        action: action.name,
        facts,
        problems: Vec::new(),
    };
    cx.object(action.output, answer, "$");
    if cx.problems.is_empty() {
        Ok(())
    } else {
        Err(cx.problems)
    }
}

/// The problems found so far, and what they are checked against.
struct Cx<'f> {
    action: &'f str,
    facts: &'f ServiceFacts,
    problems: Vec<String>,
}

impl Cx<'_> {
    fn problem(&mut self, path: &str, message: String) {
        self.problems
            .push(format!("{}: {path}: {message}", self.action));
    }

    /// An object whose members are `members`.
    fn object(&mut self, members: &[OutputMemberDef], object: &Map<String, Value>, path: &str) {
        for (key, value) in object {
            let at = format!("{path}.{key}");
            match members.iter().find(|m| m.name == key) {
                Some(m) => self.member(m, value, &at),
                None => self.problem(&at, format!("the spec has no member `{key}` here")),
            }
        }
        for m in members {
            if m.required && !object.contains_key(m.name) {
                self.problem(
                    path,
                    format!(
                        "missing `{}`, which the spec documents as always present",
                        m.name
                    ),
                );
            }
        }
    }

    fn member(&mut self, m: &OutputMemberDef, value: &Value, path: &str) {
        if value.is_null() {
            if m.required && !m.nullable {
                self.problem(
                    path,
                    format!(
                        "null, but the spec documents `{}` as always present and never null",
                        m.name
                    ),
                );
            }
            return;
        }
        if !m.list {
            self.item(m.ty, value, path);
            return;
        }
        match value.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.item(m.ty, item, &format!("{path}[{i}]"));
                }
            }
            None => self.problem(
                path,
                format!("expected a list of {}, found {}", name(m.ty), kind(value)),
            ),
        }
    }

    /// One value of type `ty` (an item of a list, or a member that is not a list).
    fn item(&mut self, ty: WireType, value: &Value, path: &str) {
        let fits = match ty {
            WireType::String | WireType::Datetime => value.is_string(),
            WireType::Integer => value.is_i64(),
            WireType::Unsigned => value.is_u64(),
            WireType::Float => value.is_number(),
            WireType::Boolean => value.is_boolean(),
            WireType::Object(type_name) => {
                let Some(object) = value.as_object() else {
                    self.problem(
                        path,
                        format!("expected an object ({type_name}), found {}", kind(value)),
                    );
                    return;
                };
                match self.facts.type_def(type_name) {
                    Some(def) => self.object(def.members, object, path),
                    None => self.problem(path, format!("the spec has no type `{type_name}`")),
                }
                return;
            }
        };
        if !fits {
            self.problem(
                path,
                format!("expected {}, found {}", name(ty), kind(value)),
            );
        }
    }
}

/// The spec's name of a type.
fn name(ty: WireType) -> &'static str {
    match ty {
        WireType::String => "a string",
        WireType::Datetime => "a datetime string",
        WireType::Integer => "an integer (i64)",
        WireType::Unsigned => "an unsigned integer (u64)",
        WireType::Float => "a number",
        WireType::Boolean => "a boolean",
        WireType::Object(name) => name,
    }
}

/// What a JSON value is, for messages.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::*;
    use crate::CATALOG;
    use crate::catalog::OutputTypeDef;

    const fn member(
        name: &'static str,
        ty: WireType,
        list: bool,
        required: bool,
        nullable: bool,
    ) -> OutputMemberDef {
        OutputMemberDef {
            name,
            ty,
            list,
            required,
            nullable,
        }
    }

    static FUNCTION: &[OutputMemberDef] = &[
        member("FunctionName", WireType::String, false, true, false),
        member("MemSize", WireType::Integer, false, true, false),
        member("Tags", WireType::Object("Tag"), true, false, true),
        member("ModTime", WireType::Datetime, false, false, false),
    ];

    static TAG: &[OutputMemberDef] = &[
        member("Key", WireType::String, false, true, false),
        member("Value", WireType::String, false, true, true),
    ];

    static DEMO: ActionFacts = ActionFacts {
        name: "Demo",
        output: &[
            member("FunctionName", WireType::String, false, true, false),
            member("Functions", WireType::Object("Function"), true, true, false),
            member("TotalCount", WireType::Unsigned, false, true, false),
            member("Ratio", WireType::Float, false, false, true),
            member("Enabled", WireType::Boolean, false, false, false),
            member("Ghost", WireType::Object("NoSuchType"), false, false, false),
        ],
        max_duration_secs: None,
        max_window: None,
        event_limits: None,
        time_range: None,
    };

    static FACTS: ServiceFacts = ServiceFacts {
        time_zone: "+01:00",
        utc_offset_secs: 3_600,
        max_body_bytes: 1024,
        actions: &[],
        types: &[
            OutputTypeDef {
                name: "Function",
                members: FUNCTION,
            },
            OutputTypeDef {
                name: "Tag",
                members: TAG,
            },
        ],
    };

    fn check(answer: Value) -> Result<(), Vec<String>> {
        let Value::Object(answer) = answer else {
            panic!("not an object")
        };
        check_answer(&DEMO, &FACTS, &answer)
    }

    fn good() -> Value {
        json!({
            "FunctionName": "f",
            "Functions": [
                {"FunctionName": "a", "MemSize": 128, "ModTime": "2024-12-25 19:50:07",
                 "Tags": [{"Key": "k", "Value": null}]},
                {"FunctionName": "b", "MemSize": -1, "Tags": null},
            ],
            "TotalCount": 2,
            "Ratio": 0.5,
            "Enabled": true,
        })
    }

    #[test]
    fn a_well_formed_answer_passes() {
        check(good()).unwrap();
        // Not required: absent or null; nullable: null; float: any number.
        check(
            json!({"FunctionName": "f", "Functions": [], "TotalCount": 0,
                     "Ratio": 3, "Enabled": null}),
        )
        .unwrap();
    }

    #[test]
    fn a_member_the_spec_lacks_is_named_with_action_and_path() {
        let mut answer = good();
        answer["FunctionNam"] = json!("typo");
        answer["Functions"][1]["Tags"] = json!([{"Key": "k", "Value": "v", "Extra": 1}]);
        assert_eq!(
            check(answer).unwrap_err(),
            [
                "Demo: $.FunctionNam: the spec has no member `FunctionNam` here",
                "Demo: $.Functions[1].Tags[0].Extra: the spec has no member `Extra` here",
            ]
        );
    }

    #[test]
    fn nested_values_of_the_wrong_type_are_problems() {
        let mut answer = good();
        answer["Functions"][1]["MemSize"] = json!("128");
        answer["Functions"][0]["ModTime"] = json!(1_735_127_407);
        answer["Functions"][0]["Tags"] = json!({"Key": "k", "Value": "v"});
        answer["TotalCount"] = json!(-1);
        answer["Enabled"] = json!("true");
        let problems = check(answer).unwrap_err();
        assert_eq!(
            problems,
            [
                "Demo: $.Enabled: expected a boolean, found a string",
                "Demo: $.Functions[0].ModTime: expected a datetime string, found the number 1735127407",
                "Demo: $.Functions[0].Tags: expected a list of Tag, found an object",
                "Demo: $.Functions[1].MemSize: expected an integer (i64), found a string",
                "Demo: $.TotalCount: expected an unsigned integer (u64), found the number -1",
            ]
        );
        let problems = check(json!({"FunctionName": ["f"], "Functions": [7, null],
                                    "TotalCount": 1.5, "Ghost": {}}))
        .unwrap_err();
        assert_eq!(
            problems,
            [
                "Demo: $.FunctionName: expected a string, found a list",
                "Demo: $.Functions[0]: expected an object (Function), found the number 7",
                "Demo: $.Functions[1]: expected an object (Function), found null",
                "Demo: $.Ghost: the spec has no type `NoSuchType`",
                "Demo: $.TotalCount: expected an unsigned integer (u64), found the number 1.5",
            ]
        );
    }

    #[test]
    fn missing_required_members_and_null_ones_are_problems() {
        let mut answer = good();
        answer.as_object_mut().unwrap().remove("TotalCount");
        answer["Functions"][0]
            .as_object_mut()
            .unwrap()
            .remove("MemSize");
        answer["Functions"][0]["Tags"][0]["Key"] = json!(null);
        answer["FunctionName"] = json!(null);
        assert_eq!(
            check(answer).unwrap_err(),
            [
                "Demo: $.FunctionName: null, but the spec documents `FunctionName` as always present and never null",
                "Demo: $.Functions[0].Tags[0].Key: null, but the spec documents `Key` as always present and never null",
                "Demo: $.Functions[0]: missing `MemSize`, which the spec documents as always present",
                "Demo: $: missing `TotalCount`, which the spec documents as always present",
            ]
        );
        assert_eq!(
            check(json!({})).unwrap_err(),
            [
                "Demo: $: missing `FunctionName`, which the spec documents as always present",
                "Demo: $: missing `Functions`, which the spec documents as always present",
                "Demo: $: missing `TotalCount`, which the spec documents as always present",
            ]
        );
    }

    /// The documented examples (upstream's) use only members the spec has, with their types;
    /// some leave out members documented as always present (`GetAccount`'s
    /// `AccountUsage.Namespace[].TotalConcurrencyMem` and `AccountLimit.Namespace[].Trigger.Eb`,
    /// `Stamp` of `ListLayers` and `ListLayerVersions`), so examples-only answers are not held
    /// to that rule.
    #[test]
    fn documented_example_answers_have_only_spec_members_of_spec_types() {
        let mut problems = Vec::new();
        let mut missing = BTreeSet::new();
        for a in CATALOG.actions {
            let Some(text) = a.example_output else {
                continue;
            };
            let Ok(Value::Object(answer)) = serde_json::from_str::<Value>(text) else {
                panic!("{}: the example answer is not an object", a.name);
            };
            for p in CATALOG
                .check_answer(a.name, &answer)
                .err()
                .unwrap_or_default()
            {
                if p.contains(": missing `") {
                    missing.insert(a.name);
                } else {
                    problems.push(p);
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert_eq!(
            missing.into_iter().collect::<Vec<_>>(),
            ["GetAccount", "ListLayerVersions", "ListLayers"]
        );
    }
}
