//! Checks a request body against an action's input members.

use serde_json::{Map, Value};

use crate::catalog::{Catalog, MemberDef, WireType};
use crate::error::{ApiError, codes};

/// Checks the members of the JSON object `object` against `members`.
///
/// Order: first every required member of `members` that is absent (`MissingParameter`, in
/// declaration order), then every member of `object` in key order: unknown names
/// (`UnknownParameter`) and wrong JSON types (`InvalidParameterValue`), descending into objects
/// and lists. Nested names are reported with dots, list items with their index, e.g.
/// `Filters.0.Name`. `null` is never accepted as a value.
pub(crate) fn check_object(
    catalog: &Catalog,
    members: &[MemberDef],
    object: &Map<String, Value>,
    prefix: &str,
) -> Result<(), ApiError> {
    for member in members.iter().filter(|m| m.required) {
        if !object.contains_key(member.name) {
            return Err(ApiError::new(
                codes::MISSING_PARAMETER,
                format!("The parameter `{prefix}{}` is missing.", member.name),
            ));
        }
    }
    for (key, value) in object {
        let path = format!("{prefix}{key}");
        let Some(member) = members.iter().find(|m| m.name == key) else {
            return Err(ApiError::new(
                codes::UNKNOWN_PARAMETER,
                format!("The parameter `{path}` is not recognized."),
            ));
        };
        if member.list {
            let Value::Array(items) = value else {
                return Err(ApiError::new(
                    codes::INVALID_PARAMETER_VALUE,
                    format!(
                        "The value of parameter `{path}` must be a JSON array of {}, got {}.",
                        expected(member.ty),
                        describe(value)
                    ),
                ));
            };
            for (index, item) in items.iter().enumerate() {
                check_value(catalog, member.ty, item, &format!("{path}.{index}"))?;
            }
        } else {
            check_value(catalog, member.ty, value, &path)?;
        }
    }
    Ok(())
}

/// Checks one (non-list) value of wire type `ty`.
fn check_value(catalog: &Catalog, ty: WireType, value: &Value, path: &str) -> Result<(), ApiError> {
    let ok = match ty {
        WireType::String | WireType::Datetime => value.is_string(),
        WireType::Integer => value.as_i64().is_some(),
        WireType::Unsigned => value.as_u64().is_some(),
        WireType::Float => value.is_number(),
        WireType::Boolean => value.is_boolean(),
        WireType::Object(type_name) => {
            if let Value::Object(inner) = value {
                let type_def = catalog.type_def(type_name).ok_or_else(|| {
                    ApiError::new(
                        codes::INTERNAL_ERROR,
                        format!(
                            "scf-local's catalog has no type `{type_name}` (needed by `{path}`)."
                        ),
                    )
                })?;
                return check_object(catalog, type_def.members, inner, &format!("{path}."));
            }
            false
        }
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            codes::INVALID_PARAMETER_VALUE,
            format!(
                "The value of parameter `{path}` must be {}, got {}.",
                expected(ty),
                describe(value)
            ),
        ))
    }
}

/// What a value of `ty` must look like, for messages.
fn expected(ty: WireType) -> String {
    match ty {
        WireType::String => "String (a JSON string)".to_owned(),
        WireType::Integer => "Integer (a JSON integer in the i64 range)".to_owned(),
        WireType::Unsigned => "Unsigned (a JSON integer in the u64 range)".to_owned(),
        WireType::Float => "Float (a JSON number)".to_owned(),
        WireType::Boolean => "Boolean (true or false)".to_owned(),
        WireType::Datetime => "Datetime (a JSON string)".to_owned(),
        WireType::Object(name) => format!("{name} (a JSON object)"),
    }
}

/// What a received value is, for messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ActionDef, TypeDef};
    use serde_json::json;

    static TYPES: &[TypeDef] = &[
        TypeDef {
            name: "Filter",
            members: &[
                MemberDef {
                    name: "Name",
                    ty: WireType::String,
                    list: false,
                    required: true,
                },
                MemberDef {
                    name: "Values",
                    ty: WireType::String,
                    list: true,
                    required: false,
                },
            ],
        },
        TypeDef {
            name: "Wrapper",
            members: &[MemberDef {
                name: "Inner",
                ty: WireType::Object("Filter"),
                list: false,
                required: false,
            }],
        },
    ];

    static INPUT: &[MemberDef] = &[
        MemberDef {
            name: "Name",
            ty: WireType::String,
            list: false,
            required: true,
        },
        MemberDef {
            name: "Limit",
            ty: WireType::Integer,
            list: false,
            required: false,
        },
        MemberDef {
            name: "Size",
            ty: WireType::Unsigned,
            list: false,
            required: false,
        },
        MemberDef {
            name: "Ratio",
            ty: WireType::Float,
            list: false,
            required: false,
        },
        MemberDef {
            name: "Flag",
            ty: WireType::Boolean,
            list: false,
            required: false,
        },
        MemberDef {
            name: "When",
            ty: WireType::Datetime,
            list: false,
            required: false,
        },
        MemberDef {
            name: "Filters",
            ty: WireType::Object("Filter"),
            list: true,
            required: false,
        },
        MemberDef {
            name: "Wrap",
            ty: WireType::Object("Wrapper"),
            list: false,
            required: false,
        },
        MemberDef {
            name: "Ghost",
            ty: WireType::Object("NoSuchType"),
            list: false,
            required: false,
        },
    ];

    static CATALOG: Catalog = Catalog {
        service: "scf",
        version: "2018-04-16",
        actions: &[] as &[ActionDef],
        types: TYPES,
        common_errors: &[],
    };

    fn run(body: Value) -> Result<(), ApiError> {
        let Value::Object(map) = body else {
            panic!("not an object")
        };
        check_object(&CATALOG, INPUT, &map, "")
    }

    fn err(body: Value) -> (String, String) {
        let e = run(body).unwrap_err();
        (e.code, e.message)
    }

    #[test]
    fn accepts_well_typed_input() {
        run(json!({
            "Name": "n", "Limit": -5, "Size": u64::MAX, "Ratio": 1, "Flag": false,
            "When": "2024-01-01 00:00:00",
            "Filters": [{"Name": "a", "Values": ["x", "y"]}, {"Name": "b"}],
            "Wrap": {"Inner": {"Name": "c"}}
        }))
        .unwrap();
        run(json!({"Name": "n", "Ratio": 1.5, "Filters": []})).unwrap();
    }

    #[test]
    fn missing_required_member() {
        let (code, msg) = err(json!({"Limit": 1}));
        assert_eq!(code, "MissingParameter");
        assert_eq!(msg, "The parameter `Name` is missing.");
        let (code, msg) = err(json!({"Name": "n", "Filters": [{"Name": "a"}, {"Values": []}]}));
        assert_eq!(code, "MissingParameter");
        assert!(msg.contains("`Filters.1.Name`"), "{msg}");
        let (_, msg) = err(json!({"Name": "n", "Wrap": {"Inner": {}}}));
        assert!(msg.contains("`Wrap.Inner.Name`"), "{msg}");
    }

    #[test]
    fn unknown_member() {
        let (code, msg) = err(json!({"Name": "n", "Bogus": 1}));
        assert_eq!(code, "UnknownParameter");
        assert!(msg.contains("`Bogus`"), "{msg}");
        let (code, msg) = err(json!({"Name": "n", "Filters": [{"Name": "a", "Extra": 1}]}));
        assert_eq!(code, "UnknownParameter");
        assert!(msg.contains("`Filters.0.Extra`"), "{msg}");
    }

    #[test]
    fn wrong_types() {
        for (body, name) in [
            (json!({"Name": 1}), "`Name`"),
            (json!({"Name": null}), "`Name`"),
            (json!({"Name": "n", "Limit": 1.5}), "`Limit`"),
            (json!({"Name": "n", "Limit": u64::MAX}), "`Limit`"),
            (json!({"Name": "n", "Limit": "1"}), "`Limit`"),
            (json!({"Name": "n", "Size": -1}), "`Size`"),
            (json!({"Name": "n", "Ratio": "1"}), "`Ratio`"),
            (json!({"Name": "n", "Flag": 0}), "`Flag`"),
            (json!({"Name": "n", "When": 0}), "`When`"),
            (json!({"Name": "n", "Filters": {"Name": "a"}}), "`Filters`"),
            (json!({"Name": "n", "Filters": ["a"]}), "`Filters.0`"),
            (
                json!({"Name": "n", "Filters": [{"Name": "a", "Values": [1]}]}),
                "`Filters.0.Values.0`",
            ),
            (json!({"Name": "n", "Wrap": {"Inner": 3}}), "`Wrap.Inner`"),
        ] {
            let (code, msg) = err(body.clone());
            assert_eq!(code, "InvalidParameterValue", "{body}");
            assert!(msg.contains(name), "{body}: {msg}");
        }
        let (_, msg) = err(json!({"Name": "n", "Limit": "1"}));
        assert_eq!(
            msg,
            "The value of parameter `Limit` must be Integer (a JSON integer in the i64 range), got a string."
        );
    }

    #[test]
    fn unknown_type_is_internal_error() {
        let (code, _) = err(json!({"Name": "n", "Ghost": {}}));
        assert_eq!(code, "InternalError");
    }
}
