//! Answers shaped by the spec: what clients sent is shown only as far as the action's output
//! documents it ([`project`]), and every member the spec documents as always present is there,
//! with its zero value when the model has nothing to say ([`fill`]).

use serde_json::{Map, Value, json};

use crate::catalog::{OutputMemberDef, ServiceFacts, WireType};

/// How deep shared types nest at most; deeper objects are left as they are.
const MAX_DEPTH: usize = 16;

/// Drops from `object`, at any depth, the members `members` does not document: for objects
/// that hold what clients sent (a function's configuration), before showing them as output.
pub(crate) fn project(
    object: &mut Map<String, Value>,
    members: &[OutputMemberDef],
    facts: &ServiceFacts,
) {
    walk(object, members, facts, 0, &|object, members| {
        object.retain(|name, _| members.iter().any(|m| m.name == name));
    });
}

/// Adds every required member `object` lacks (or holds as `null` when it may not be) with its
/// zero value, at any depth. Members the spec does not document are left for the answer check
/// to report.
pub(crate) fn fill(
    object: &mut Map<String, Value>,
    members: &[OutputMemberDef],
    facts: &ServiceFacts,
) {
    walk(object, members, facts, 0, &|object, members| {
        for member in members {
            let missing = match object.get(member.name) {
                None => member.required,
                Some(Value::Null) => member.required && !member.nullable,
                Some(_) => false,
            };
            if missing {
                object.insert(member.name.to_owned(), zero(member, facts, 0));
            }
        }
    });
}

/// Applies `visit` to `object`, then to the objects its members hold, to any depth.
fn walk(
    object: &mut Map<String, Value>,
    members: &[OutputMemberDef],
    facts: &ServiceFacts,
    depth: usize,
    visit: &impl Fn(&mut Map<String, Value>, &[OutputMemberDef]),
) {
    visit(object, members);
    for member in members {
        let (WireType::Object(name), Some(value)) = (member.ty, object.get_mut(member.name)) else {
            continue;
        };
        let Some(inner) = type_members(facts, name).filter(|_| depth < MAX_DEPTH) else {
            continue;
        };
        let objects: Vec<&mut Map<String, Value>> = match value {
            Value::Array(items) if member.list => {
                items.iter_mut().filter_map(Value::as_object_mut).collect()
            }
            Value::Object(map) if !member.list => vec![map],
            _ => Vec::new(),
        };
        for object in objects {
            walk(object, inner, facts, depth + 1, visit);
        }
    }
}

/// The value a member the model has nothing for shows: an empty list, `""`, `0`, `false`, or an
/// object of the type's own required members.
fn zero(member: &OutputMemberDef, facts: &ServiceFacts, depth: usize) -> Value {
    if member.list {
        return json!([]);
    }
    match member.ty {
        WireType::String | WireType::Datetime => json!(""),
        WireType::Integer | WireType::Unsigned => json!(0),
        WireType::Float => json!(0.0),
        WireType::Boolean => json!(false),
        WireType::Object(name) => {
            let mut object = Map::new();
            if let Some(members) = type_members(facts, name).filter(|_| depth < MAX_DEPTH) {
                for member in members.iter().filter(|m| m.required) {
                    object.insert(member.name.to_owned(), zero(member, facts, depth + 1));
                }
            }
            Value::Object(object)
        }
    }
}

fn type_members(facts: &ServiceFacts, name: &str) -> Option<&'static [OutputMemberDef]> {
    facts
        .types
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn get_function_answers_take_the_spec_shape() {
        let facts = crate::CATALOG.facts();
        let get = facts.action("GetFunction").unwrap();
        let mut out = Map::new();
        out.insert("FunctionName".into(), json!("f"));
        out.insert("NotInTheSpec".into(), json!(1));
        out.insert("VpcConfig".into(), Value::Null);
        out.insert(
            "Layers".into(),
            json!([{"LayerName": "l", "LayerVersion": 1}]),
        );
        project(&mut out, get.output, facts);
        assert!(!out.contains_key("NotInTheSpec"));
        out.insert("FunctionNam".into(), json!("typo"));
        fill(&mut out, get.output, facts);
        assert!(
            out.contains_key("FunctionNam"),
            "fill leaves unknown members to the check"
        );
        let problems = Catalog::check_answer(&crate::CATALOG, "GetFunction", &out).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("GetFunction: $"), "{problems:?}");
        assert!(problems[0].contains("FunctionNam"), "{problems:?}");
        out.remove("FunctionNam");
        assert_eq!(out["FunctionName"], "f");
        assert!(
            out["VpcConfig"].is_object(),
            "a null required object is filled"
        );
        assert_eq!(out["Layers"][0]["LayerName"], "l");
        assert_eq!(
            out["Layers"][0]["Status"], "",
            "nested required members are filled"
        );
        assert_eq!(out["Triggers"], json!([]));
        let answer = Catalog::check_answer(&crate::CATALOG, "GetFunction", &out);
        assert_eq!(answer, Ok(()));
    }
}
