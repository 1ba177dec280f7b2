//! The mutations of the awkward fixture's spec, each with the rules the diff must report and
//! Rust code written against the old generated crate.
//!
//! Probes and robust uses are the body of an example crate that sees the generated crate's
//! `actions::*` and `types::*`, `scf_api`, and `client()` (a `Client` of the generated crate);
//! [`expand`] replaces `FULL_REQUEST` and `FULL_RESPONSE` in them.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// Spec files by path relative to the spec directory (`actions/GetURL.json`), parsed.
pub type Files = BTreeMap<String, Value>;

/// One mutation and the code that checks its bump.
pub struct Case {
    /// Directory and package suffix of its crate; kebab-case.
    pub name: &'static str,
    /// Applied to both the old and the new spec: sets up what the mutation needs.
    pub before: fn(&mut Files),
    /// Turns the old spec into the new one.
    pub mutate: fn(&mut Files),
    /// The rule ids the diff must report (as a set: a rule may fire more than once).
    pub rules: &'static [&'static str],
    /// Old-API use that must fail to compile exactly when the bump is major.
    pub probe: &'static str,
    /// Old-API use written the way the catalogue recommends: compiles whatever the bump.
    pub robust: Option<&'static str>,
}

/// A struct literal of `PutAsyncConfigRequest` naming every field of the fixture's version.
const FULL_REQUEST: &str = "let req = PutAsyncConfigRequest {
        msg_ttl: Some(60), r#type: None, r#async: None, self_: None, crate_: None,
        r#match: None, kinds: None, r#loop: None, r#ref: None, secret_value: None, blobs: None,
    };";

/// A pattern of `PutAsyncConfigResponse` naming every field of the fixture's version.
const FULL_RESPONSE: &str = "fn read_all(resp: PutAsyncConfigResponse) {
    let PutAsyncConfigResponse { r#type, msg_ttl, r#box, items, request_id } = resp;
}";

/// `body` with the shared snippets in place.
pub fn expand(body: &str) -> String {
    body.replace("FULL_REQUEST", FULL_REQUEST)
        .replace("FULL_RESPONSE", FULL_RESPONSE)
}

/// The same request built the recommended ways.
const REQUEST_WITH_DEFAULTS: &str = "fn main() {
    let req = PutAsyncConfigRequest { msg_ttl: Some(60), ..Default::default() };
    let built = client().put_async_config().msg_ttl(60).crate_(7).into_request();
}";

/// A literal of the shared type [`input_only_type`] adds.
const OPTS_LITERAL: &str = "fn main() {
    let opts = Opts { note: None, r#dyn: true };
    let built = client().put_async_config().opts(opts);
}";

fn nothing(_: &mut Files) {}

pub const CASES: &[Case] = &[
    Case {
        name: "action-added",
        before: nothing,
        mutate: |f| {
            let ping = json!({"name": "Ping", "summary": "Pings.", "docs": "Added.",
                              "input": [], "output": [], "errors": []});
            f.insert("actions/Ping.json".into(), ping);
        },
        rules: &["action-added"],
        probe: r#"fn main() {
            FULL_REQUEST
            let built = client().put_async_config().msg_ttl(60).r#type(Type::Fifo);
            let url = client().get_url().into_request();
            let pages = client().list_loops().r#box("10").into_paginator();
        }"#,
        robust: None,
    },
    Case {
        name: "input-added-optional",
        before: nothing,
        mutate: |f| {
            add(
                action(f, "PutAsyncConfig"),
                "input",
                json!({"name": "Extra"}),
            )
        },
        rules: &["input-added-optional"],
        probe: "fn main() { FULL_REQUEST }",
        robust: Some(REQUEST_WITH_DEFAULTS),
    },
    Case {
        name: "input-added-required",
        before: nothing,
        mutate: |f| {
            let extra = json!({"name": "Extra", "required": true});
            add(action(f, "PutAsyncConfig"), "input", extra);
        },
        rules: &["input-added-required"],
        probe: "fn main() { FULL_REQUEST }",
        robust: Some(REQUEST_WITH_DEFAULTS),
    },
    Case {
        name: "input-removed",
        before: nothing,
        mutate: |f| remove(action(f, "PutAsyncConfig"), "input", "Crate"),
        rules: &["input-removed"],
        probe: "fn main() {
            let built = client().put_async_config().msg_ttl(60).crate_(7).into_request();
        }",
        robust: None,
    },
    Case {
        name: "input-now-required",
        before: nothing,
        mutate: |f| input(f, "Async")["required"] = true.into(),
        rules: &["input-now-required"],
        probe: "fn main() {
            FULL_REQUEST
            let built = client().put_async_config().msg_ttl(60).into_request();
            let not_sent: Option<bool> = built.r#async;
        }",
        robust: None,
    },
    Case {
        name: "input-now-optional",
        before: nothing,
        mutate: |f| input(f, "MsgTTL")["required"] = false.into(),
        rules: &["input-now-optional"],
        probe: "fn main() { FULL_REQUEST let ttl: Option<i64> = req.msg_ttl; }",
        robust: None,
    },
    Case {
        name: "input-nullable-changed",
        before: nothing,
        mutate: |f| input(f, "Crate")["nullable"] = true.into(),
        rules: &["input-nullable-changed"],
        probe: "fn main() { FULL_REQUEST let n: Option<u64> = req.crate_; }",
        robust: None,
    },
    Case {
        name: "action-error-added",
        before: nothing,
        mutate: |f| {
            add(
                action(f, "ListLoops"),
                "errors",
                json!("LimitExceeded.MsgTTL"),
            )
        },
        rules: &["action-error-added"],
        probe: r#"fn kind(e: &ListLoopsError) -> &'static str {
            match e {
                ListLoopsError::Common(CommonError::InternalError) => "internal",
                ListLoopsError::Unknown(code) => "unknown",
                _ => "other",
            }
        }
        fn main() {}"#,
        robust: None,
    },
    Case {
        name: "action-error-removed",
        // Still returned by another action: a code no action returns is refused.
        before: |f| {
            add(
                action(f, "ListLoops"),
                "errors",
                json!("LimitExceeded.MsgTTL"),
            )
        },
        mutate: |f| {
            let errors = action(f, "PutAsyncConfig")["errors"]
                .as_array_mut()
                .unwrap();
            errors.retain(|c| c != "LimitExceeded.MsgTTL");
        },
        rules: &["action-error-removed"],
        probe: r#"fn kind(e: &PutAsyncConfigError) -> &'static str {
            match e {
                PutAsyncConfigError::LimitExceededMsgTTL => "ttl",
                _ => "other",
            }
        }
        fn main() {}"#,
        robust: None,
    },
    Case {
        name: "common-error-added",
        before: nothing,
        mutate: |f| {
            let docs = json!({"docs": "Busy.", "retry": "always"});
            f.get_mut("errors.json").unwrap()["ResourceUnavailable"] = docs;
            let common = f.get_mut("service.json").unwrap()["commonErrors"].as_array_mut();
            common.unwrap().push(json!("ResourceUnavailable"));
        },
        rules: &["common-error-added", "error-added"],
        probe: r#"fn kind(e: &PutAsyncConfigError) -> &'static str {
            match e {
                PutAsyncConfigError::Common(CommonError::InternalError) => "internal",
                PutAsyncConfigError::Common(_) => "common",
                _ => "other",
            }
        }
        fn main() {}"#,
        robust: None,
    },
    Case {
        name: "enum-value-added-input",
        before: kinds_own_enum,
        mutate: |f| add_value(input(f, "Kinds")),
        rules: &["enum-value-added-input"],
        probe: r#"fn name(k: &Kind) -> &str {
            match k {
                Kind::Fifo => "fifo",
                Kind::Unknown(other) => other,
                _ => "known",
            }
        }
        fn main() {
            let built = client().put_async_config().kinds([Kind::Python3_9, "lifo".into()]);
        }"#,
        robust: None,
    },
    Case {
        name: "enum-value-added-output",
        before: |f| output(f, "Type")["enum"] = "State".into(),
        mutate: |f| add_value(output(f, "Type")),
        rules: &["enum-value-added-output"],
        probe: r#"fn name(resp: &PutAsyncConfigResponse) -> &str {
            match &resp.r#type {
                State::Fifo | State::Self_ => "queue",
                State::Unknown(other) => other,
                _ => "known",
            }
        }
        fn main() {}"#,
        robust: None,
    },
    Case {
        name: "enum-value-removed-input",
        before: kinds_own_enum,
        mutate: |f| {
            let values = input(f, "Kinds")["values"].as_array_mut().unwrap();
            values.retain(|v| v["value"] != "Python3.9");
        },
        rules: &["enum-value-removed-input"],
        probe: "fn main() {
            let built = client().put_async_config().kinds([Kind::Python3_9]);
        }",
        robust: None,
    },
    Case {
        name: "member-enum-changed",
        before: nothing,
        mutate: |f| _ = input(f, "Type").as_object_mut().unwrap().remove("enum"),
        rules: &["member-enum-changed"],
        probe: "fn main() {
            let mut req = PutAsyncConfigRequest::default();
            req.r#type = Some(Type::Fifo);
        }",
        robust: None,
    },
    Case {
        name: "member-sensitivity-changed",
        before: nothing,
        mutate: |f| output(f, "Type")["sensitive"] = true.into(),
        rules: &["member-sensitivity-changed"],
        probe: r#"FULL_RESPONSE
        fn show(resp: &PutAsyncConfigResponse) -> String {
            format!("{resp:?}")
        }
        fn main() {}"#,
        robust: None,
    },
    Case {
        name: "member-deprecated",
        before: nothing,
        mutate: |f| input(f, "Crate")["deprecated"] = true.into(),
        rules: &["member-deprecated"],
        probe: "fn main() {
            FULL_REQUEST
            let built = client().put_async_config().msg_ttl(60).crate_(7).into_request();
        }",
        robust: None,
    },
    Case {
        name: "values-changed",
        before: nothing,
        mutate: |f| add_value(member(type_def(f, "Loop"), "members", "Const")),
        rules: &["values-changed"],
        probe: r#"fn main() {
            let l = Loop { r#fn: "f".into(), r#where: None, r#yield: None,
                           r#const: Some("lifo".into()), mode: None };
        }"#,
        robust: None,
    },
    Case {
        name: "output-added",
        before: nothing,
        mutate: |f| {
            add(
                action(f, "PutAsyncConfig"),
                "output",
                json!({"name": "Extra"}),
            )
        },
        rules: &["output-added"],
        probe: "FULL_RESPONSE fn main() {}",
        robust: Some(
            "fn read(resp: PutAsyncConfigResponse) {
                let PutAsyncConfigResponse { r#type, msg_ttl, .. } = resp;
            }
            fn main() {}",
        ),
    },
    Case {
        name: "output-now-optional",
        before: nothing,
        mutate: |f| output(f, "Items")["nullable"] = true.into(),
        rules: &["output-now-optional"],
        probe: "fn read(resp: PutAsyncConfigResponse) -> Vec<Self_> { resp.items }
        fn main() {}",
        robust: None,
    },
    Case {
        name: "output-now-required",
        before: nothing,
        mutate: |f| member(action(f, "ListLoops"), "output", "Ref")["required"] = true.into(),
        rules: &["output-now-required"],
        probe: "fn read(resp: ListLoopsResponse) -> Option<i64> { resp.r#ref }
        fn main() {}",
        robust: None,
    },
    Case {
        name: "output-flag-changed",
        before: nothing,
        mutate: |f| output(f, "MsgTTL")["required"] = false.into(),
        rules: &["output-flag-changed"],
        probe: "FULL_RESPONSE
        fn ttl(resp: &PutAsyncConfigResponse) -> Option<u64> { resp.msg_ttl }
        fn main() {}",
        robust: None,
    },
    // Members of a shared type used only by inputs: unlike a request's fields, a shared type's
    // required members are not `Option`.
    Case {
        name: "type-member-now-required",
        before: input_only_type,
        mutate: |f| opts(f, "Note")["required"] = true.into(),
        rules: &["type-input-now-required"],
        probe: OPTS_LITERAL,
        robust: None,
    },
    Case {
        name: "type-member-now-optional",
        before: input_only_type,
        mutate: |f| opts(f, "Dyn")["required"] = false.into(),
        rules: &["type-input-option-changed"],
        probe: OPTS_LITERAL,
        robust: None,
    },
    Case {
        name: "type-member-nullable",
        before: input_only_type,
        mutate: |f| opts(f, "Dyn")["nullable"] = true.into(),
        rules: &["type-input-option-changed"],
        probe: OPTS_LITERAL,
        robust: None,
    },
    Case {
        name: "pagination-removed",
        before: nothing,
        mutate: |f| {
            _ = action(f, "ListLoops")
                .as_object_mut()
                .unwrap()
                .remove("pagination")
        },
        rules: &["pagination-removed"],
        probe: r#"fn main() {
            let pages = client().list_loops().r#box("10").into_paginator();
        }"#,
        robust: None,
    },
];

/// The action in `actions/<name>.json`.
fn action<'a>(f: &'a mut Files, name: &str) -> &'a mut Value {
    let path = format!("actions/{name}.json");
    f.get_mut(&path).unwrap_or_else(|| panic!("no {path}"))
}

/// The shared type in `types/<name>.json`.
fn type_def<'a>(f: &'a mut Files, name: &str) -> &'a mut Value {
    let path = format!("types/{name}.json");
    f.get_mut(&path).unwrap_or_else(|| panic!("no {path}"))
}

/// Member `name` of the list `key` (`input`, `output`, `members`).
fn member<'a>(owner: &'a mut Value, key: &str, name: &str) -> &'a mut Value {
    let list = owner[key].as_array_mut().unwrap();
    list.iter_mut()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no member {name} in {key}"))
}

/// Input member `name` of `PutAsyncConfig`.
fn input<'a>(f: &'a mut Files, name: &str) -> &'a mut Value {
    member(action(f, "PutAsyncConfig"), "input", name)
}

/// Output member `name` of `PutAsyncConfig`.
fn output<'a>(f: &'a mut Files, name: &str) -> &'a mut Value {
    member(action(f, "PutAsyncConfig"), "output", name)
}

/// Member `name` of the shared type [`input_only_type`] adds.
fn opts<'a>(f: &'a mut Files, name: &str) -> &'a mut Value {
    member(type_def(f, "Opts"), "members", name)
}

/// Appends `item` to the list `key`; a member without a type becomes a documented string.
fn add(owner: &mut Value, key: &str, mut item: Value) {
    if let Some(m) = item.as_object_mut() {
        m.entry("type").or_insert_with(|| json!("string"));
        m.entry("docs").or_insert_with(|| json!("Added."));
    }
    owner[key].as_array_mut().unwrap().push(item);
}

/// Removes member `name` from the list `key`.
fn remove(owner: &mut Value, key: &str, name: &str) {
    owner[key]
        .as_array_mut()
        .unwrap()
        .retain(|m| m["name"] != name);
}

/// Adds the documented value `lifo` to `member`.
fn add_value(member: &mut Value) {
    let values = member["values"].as_array_mut().unwrap();
    values.push(json!({"value": "lifo", "docs": "Last in, first out."}));
}

/// `PutAsyncConfig.Kinds` gets an enum of its own, `Kind`, used by no other member.
fn kinds_own_enum(f: &mut Files) {
    input(f, "Kinds")["enum"] = "Kind".into();
}

/// A shared type `Opts` used only by an input (`PutAsyncConfig.Opts`), with an optional
/// `Note` and a required `Dyn`.
fn input_only_type(f: &mut Files) {
    let opts = json!({"name": "Opts", "docs": "Options, only ever sent.", "members": [
        {"name": "Note", "type": "string", "docs": "Optional."},
        {"name": "Dyn", "type": "boolean", "required": true, "docs": "Required."},
    ]});
    f.insert("types/Opts.json".into(), opts);
    let opts = json!({"name": "Opts", "type": "Opts"});
    add(action(f, "PutAsyncConfig"), "input", opts);
}
