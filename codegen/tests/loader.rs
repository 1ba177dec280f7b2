//! One test per kind of spec problem: each names the file, the JSON path and the problem, and
//! every problem is reported, not just the first.

use std::collections::BTreeMap;

use codegen::load::{SpecError, load_files};
use codegen::model::EnumUser;
use serde_json::{Value, json};

/// A small valid spec: one action using one type, one action error, one common error.
fn base() -> BTreeMap<String, Value> {
    let mut files = BTreeMap::new();
    files.insert(
        "service.json".to_owned(),
        json!({
            "service": "demo", "title": "Demo", "version": "2020-01-01", "docs": "Demo service.",
            "endpoints": {"nearest": "demo.example", "regional": "demo.{region}.example", "intl": "demo.intl.example"},
            "maxBodyBytes": 1000, "commonErrors": ["InternalError"]
        }),
    );
    files.insert(
        "errors.json".to_owned(),
        json!({"InternalError": {"docs": "Internal."}, "ResourceNotFound.Thing": {"docs": "No thing."}}),
    );
    files.insert(
        "actions/GetThing.json".to_owned(),
        json!({
            "name": "GetThing", "summary": "Gets a thing.", "docs": "Gets one thing by name.",
            "input": [{"name": "ThingName", "type": "string", "required": true, "docs": "Name."}],
            "output": [{"name": "Thing", "type": "Thing", "docs": "The thing."}],
            "errors": ["ResourceNotFound.Thing"],
            "examples": [{"title": "Get", "docs": "Gets a thing.", "input": {"ThingName": "a"},
                          "output": {"Thing": {"Size": 1}, "RequestId": "r"}}]
        }),
    );
    files.insert(
        "types/Thing.json".to_owned(),
        json!({"name": "Thing", "docs": "A thing.", "members": [{"name": "Size", "type": "integer", "docs": "Size."}]}),
    );
    files
}

fn load(files: &BTreeMap<String, Value>) -> Result<codegen::model::Spec, Vec<SpecError>> {
    let bytes = files
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::to_vec_pretty(v).unwrap()))
        .collect();
    load_files(&bytes).map_err(|e| e.0)
}

/// Loads `files` and asserts that the problems are exactly `expected` (file, path, message part).
fn assert_problems(files: &BTreeMap<String, Value>, expected: &[(&str, &str, &str)]) {
    let errs = match load(files) {
        Ok(_) => panic!("the spec loaded, expected {expected:?}"),
        Err(e) => e,
    };
    let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert_eq!(errs.len(), expected.len(), "got:\n{}", shown.join("\n"));
    for (file, path, msg) in expected {
        assert!(
            errs.iter()
                .any(|e| e.file == *file && e.path == *path && e.message.contains(msg)),
            "no `{file}: {path}: ...{msg}...` in:\n{}",
            shown.join("\n")
        );
    }
}

fn edit(files: &mut BTreeMap<String, Value>, file: &str, f: impl FnOnce(&mut Value)) {
    f(files.get_mut(file).unwrap());
}

#[test]
fn the_base_spec_is_valid() {
    let spec = load(&base()).unwrap();
    assert_eq!(spec.actions.len(), 1);
    assert_eq!(spec.types.len(), 1);
}

#[test]
fn invalid_json_names_line_and_column() {
    let mut files: BTreeMap<String, Vec<u8>> = base()
        .into_iter()
        .map(|(k, v)| (k, serde_json::to_vec(&v).unwrap()))
        .collect();
    files.insert(
        "types/Thing.json".into(),
        b"{\n  \"name\": \"Thing\",\n}".to_vec(),
    );
    let errs = load_files(&files).unwrap_err().0;
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].file, "types/Thing.json");
    assert!(errs[0].message.contains("line 3"), "{}", errs[0]);
}

#[test]
fn unknown_type() {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"][0]["type"] = json!("Strng")
    });
    assert_problems(
        &f,
        &[(
            "actions/GetThing.json",
            "$.input[0].type",
            "unknown type `Strng`",
        )],
    );
}

#[test]
fn dangling_error_code() {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["errors"] = json!(["ResourceNotFound.Thing", "ResourceNotFound.Thingy"])
    });
    assert_problems(
        &f,
        &[(
            "actions/GetThing.json",
            "$.errors[1]",
            "`ResourceNotFound.Thingy` is not defined in errors.json",
        )],
    );
}

#[test]
fn dangling_common_error_code() {
    let mut f = base();
    edit(&mut f, "service.json", |v| {
        v["commonErrors"] = json!(["InternalError", "Nope"])
    });
    assert_problems(
        &f,
        &[("service.json", "$.commonErrors[1]", "`Nope` is not defined")],
    );
}

#[test]
fn duplicate_member() {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        let m = v["input"][0].clone();
        v["input"].as_array_mut().unwrap().push(m);
    });
    assert_problems(
        &f,
        &[(
            "actions/GetThing.json",
            "$.input[1].name",
            "duplicate member `ThingName`",
        )],
    );
}

#[test]
fn members_colliding_after_case_conversion() {
    let mut f = base();
    edit(&mut f, "types/Thing.json", |v| {
        v["members"] = json!([
            {"name": "Size", "type": "integer", "docs": "Size."},
            {"name": "MsgTTL", "type": "integer", "docs": "a"},
            {"name": "MsgTtl", "type": "integer", "docs": "b"}
        ]);
    });
    assert_problems(
        &f,
        &[(
            "types/Thing.json",
            "$.members[2].name",
            "both become the Rust name `msg_ttl`",
        )],
    );
}

#[test]
fn actions_colliding_after_case_conversion() {
    let mut f = base();
    let mut other = f["actions/GetThing.json"].clone();
    other["name"] = json!("GetTHING");
    f.insert("actions/GetTHING.json".into(), other);
    assert_problems(
        &f,
        &[(
            "actions/GetThing.json",
            "$.name",
            "both become the Rust method `get_thing`",
        )],
    );
}

#[test]
fn error_codes_colliding_as_variants() {
    let mut f = base();
    edit(&mut f, "errors.json", |v| {
        v["Internal.Error"] = json!({"docs": "Same variant as InternalError."});
    });
    edit(&mut f, "service.json", |v| {
        v["commonErrors"] = json!(["InternalError", "Internal.Error"])
    });
    assert_problems(
        &f,
        &[(
            "errors.json",
            "$.InternalError",
            "both become the Rust variant `InternalError`",
        )],
    );
}

#[test]
fn non_pascal_case_names() {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"][0]["name"] = json!("thing_name")
    });
    edit(&mut f, "errors.json", |v| {
        v["bad.code"] = json!({"docs": "x"})
    });
    edit(&mut f, "service.json", |v| {
        v["commonErrors"] = json!(["InternalError", "bad.code"])
    });
    assert_problems(
        &f,
        &[
            ("actions/GetThing.json", "$.input[0].name", "not PascalCase"),
            ("errors.json", "$.bad.code", "dot-separated PascalCase"),
            // The example still uses the old name.
            (
                "actions/GetThing.json",
                "$.examples[0].input.ThingName",
                "not a member",
            ),
        ],
    );
}

#[test]
fn unused_type_and_error_code() {
    let mut f = base();
    f.insert(
        "types/Orphan.json".into(),
        json!({"name": "Orphan", "docs": "Unused.", "members": []}),
    );
    edit(&mut f, "errors.json", |v| {
        v["FailedOperation.Unused"] = json!({"docs": "Unused."})
    });
    assert_problems(
        &f,
        &[
            ("types/Orphan.json", "$.name", "not used by any action"),
            (
                "errors.json",
                "$.FailedOperation.Unused",
                "not returned by any action",
            ),
        ],
    );
}

#[test]
fn empty_docs_unknown_keys_and_wrong_value_types() {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["summary"] = json!("  ");
        v["retrysafe"] = json!(true);
        v["rateLimit"] = json!("20/s");
        v["input"][0]["required"] = json!("yes");
    });
    assert_problems(
        &f,
        &[
            ("actions/GetThing.json", "$.summary", "must not be empty"),
            (
                "actions/GetThing.json",
                "$.retrysafe",
                "unknown key `retrysafe`",
            ),
            (
                "actions/GetThing.json",
                "$.rateLimit",
                "expected a positive integer",
            ),
            (
                "actions/GetThing.json",
                "$.input[0].required",
                "expected a boolean",
            ),
        ],
    );
}

#[test]
fn missing_keys_and_files() {
    let mut f = base();
    f.remove("errors.json");
    edit(&mut f, "types/Thing.json", |v| {
        v.as_object_mut().unwrap().remove("docs");
    });
    let errs = load(&f).unwrap_err();
    let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(
        shown
            .iter()
            .any(|e| e.starts_with("errors.json: $: missing file")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|e| e == "types/Thing.json: $: missing required key `docs`"),
        "{shown:?}"
    );
}

#[test]
fn file_name_must_match_the_name_inside() {
    let mut f = base();
    let a = f.remove("actions/GetThing.json").unwrap();
    f.insert("actions/FetchThing.json".into(), a);
    assert_problems(
        &f,
        &[(
            "actions/FetchThing.json",
            "$.name",
            "does not match the file name `FetchThing.json`",
        )],
    );
}

#[test]
fn constraints_and_reserved_names() {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["constraints"] =
            json!([{"requiredWith": {"member": "EndTime", "when": "ThingName"}}, {"oneOf": []}]);
        v["input"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "Send", "type": "string", "docs": "Clashes."}));
        v["output"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "RequestId", "type": "string", "docs": "Implicit."}));
    });
    assert_problems(
        &f,
        &[
            (
                "actions/GetThing.json",
                "$.constraints[0].requiredWith.member",
                "`EndTime` is not an input member",
            ),
            (
                "actions/GetThing.json",
                "$.constraints[1].oneOf",
                "unknown key `oneOf`",
            ),
            (
                "actions/GetThing.json",
                "$.constraints[1]",
                "a constraint needs one of: requiredWith",
            ),
            (
                "actions/GetThing.json",
                "$.input[1].name",
                "collide with the request builder's own `send` method",
            ),
            (
                "actions/GetThing.json",
                "$.output[1].name",
                "`RequestId` is part of every response",
            ),
        ],
    );
}

#[test]
fn examples_are_checked_against_members() {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["examples"][0]["input"] = json!({"ThingName": 5, "Extra": 1});
        v["examples"][0]["output"] = json!({"Thing": {"Size": "big"}, "RequestId": "r"});
    });
    assert_problems(
        &f,
        &[
            (
                "actions/GetThing.json",
                "$.examples[0].input.ThingName",
                "expected string, found a number",
            ),
            (
                "actions/GetThing.json",
                "$.examples[0].input.Extra",
                "not a member",
            ),
            (
                "actions/GetThing.json",
                "$.examples[0].output.Thing.Size",
                "expected integer, found a string",
            ),
        ],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"][0]["type"] = json!("Nope");
        v["errors"] = json!(["ResourceNotFound.Thing", "Missing.Code"]);
        let m = v["output"][0].clone();
        v["output"].as_array_mut().unwrap().push(m);
    });
    let errs = load(&f).unwrap_err();
    let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "actions/GetThing.json: $.errors[1]: error code `Missing.Code` is not defined in errors.json",
            "actions/GetThing.json: $.input[0].type: unknown type `Nope` (not a primitive and no file types/Nope.json)",
            "actions/GetThing.json: $.output[1].name: duplicate member `Thing` (also at $.output[0])",
        ]
    );
}

#[test]
fn untranslated_texts_are_rejected() {
    let mut files = base();
    edit(&mut files, "actions/GetThing.json", |a| {
        a["summary"] = json!("获取东西");
        a["input"][0]["docs"] = json!("Name（名称）.");
        a["examples"][0]["title"] = json!("示例");
    });
    edit(&mut files, "errors.json", |e| {
        e["InternalError"]["docs"] = json!("内部错误。");
    });
    assert_problems(
        &files,
        &[
            (
                "actions/GetThing.json",
                "$.summary",
                "untranslated text (`获`)",
            ),
            (
                "actions/GetThing.json",
                "$.input[0].docs",
                "untranslated text (`（`)",
            ),
            (
                "actions/GetThing.json",
                "$.examples[0].title",
                "untranslated text",
            ),
            ("errors.json", "$.InternalError.docs", "untranslated text"),
        ],
    );
    // Accented letters and typographic punctuation are English enough.
    let mut files = base();
    edit(&mut files, "types/Thing.json", |t| {
        t["docs"] = json!("A thing — “café” à la carte.");
    });
    load(&files).unwrap();
}

#[test]
fn site_deprecated_and_member_examples() {
    let mut files = base();
    edit(&mut files, "actions/GetThing.json", |a| {
        a["site"] = json!("mainland");
        a["input"][0]["site"] = json!("international");
        a["input"][0]["deprecated"] = json!(true);
        a["input"][0]["example"] = json!("thing-1");
    });
    let spec = load(&files).unwrap();
    let a = &spec.actions[0];
    assert_eq!(a.site, Some(codegen::model::Site::Mainland));
    assert_eq!(a.input[0].site, Some(codegen::model::Site::International));
    assert!(a.input[0].deprecated);

    edit(&mut files, "actions/GetThing.json", |a| {
        a["site"] = json!("mars");
        a["input"][0]["deprecated"] = json!("yes");
        a["input"][0]["example"] = json!(3);
    });
    edit(&mut files, "types/Thing.json", |t| {
        t["members"][0]["list"] = json!(true);
        t["members"][0]["example"] = json!([1, "two"]);
    });
    assert_problems(
        &files,
        &[
            ("actions/GetThing.json", "$.site", "unknown site `mars`"),
            (
                "actions/GetThing.json",
                "$.input[0].deprecated",
                "expected a boolean",
            ),
            (
                "actions/GetThing.json",
                "$.input[0].example",
                "example does not fit the member type `string`",
            ),
            (
                "types/Thing.json",
                "$.members[0].example",
                "example does not fit the member type `list of integer`",
            ),
            (
                "actions/GetThing.json",
                "$.examples[0].output.Thing.Size",
                "expected a list, found a number",
            ),
        ],
    );
}

/// The base spec with a listing: `GetThing` pages by `Offset`/`Limit` through `Things` and
/// has a `Status` string with documented values, also on `Thing`.
fn paged() -> BTreeMap<String, Value> {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        let input = v["input"].as_array_mut().unwrap();
        input.push(json!({"name": "Offset", "type": "integer", "docs": "Skip."}));
        input.push(json!({"name": "Limit", "type": "string", "docs": "Page size, in digits."}));
        input.push(json!({"name": "Tags", "type": "string", "list": true, "docs": "Tags."}));
        let output = v["output"].as_array_mut().unwrap();
        output.push(json!({"name": "Things", "type": "Thing", "list": true, "nullable": true, "docs": "Page."}));
        output.push(json!({"name": "Total", "type": "unsigned", "docs": "Count."}));
        output.push(
            json!({"name": "Status", "type": "string", "required": true, "docs": "State.",
            "values": [{"value": "Ready", "docs": "Ready."}, {"value": "Busy", "docs": "Busy."},
                       {"value": "Broken", "docs": "Broken."}]}),
        );
        output.push(json!({"name": "Names", "type": "string", "list": true, "docs": "Names."}));
    });
    edit(&mut f, "types/Thing.json", |v| {
        v["members"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "Phase", "type": "string", "docs": "Phase."}));
    });
    f
}

#[test]
fn pagination_and_waiters_load_into_the_model() {
    let mut f = paged();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["pagination"] = json!({"offset": "Offset", "limit": "Limit", "items": "Things",
                                 "total": "Total", "maxPageSize": 50, "maxWindow": 1000});
        v["waiters"] = json!([
            {"name": "ThingReady", "docs": "Ready.", "state": "Status", "success": ["Ready"],
             "failure": ["Broken"], "minDelayMs": 100, "maxDelayMs": 2000, "defaultTimeoutSecs": 60},
            {"name": "FirstPhase", "docs": "First phase.", "state": "Things[].Phase",
             "success": ["anything"], "minDelayMs": 5, "maxDelayMs": 5, "defaultTimeoutSecs": 1},
            {"name": "FirstName", "docs": "First name.", "state": "Names[]",
             "success": ["a"], "minDelayMs": 5, "maxDelayMs": 5, "defaultTimeoutSecs": 1}
        ]);
    });
    let spec = load(&f).unwrap_or_else(|e| panic!("{e:?}"));
    let a = &spec.actions[0];
    let p = a.pagination.as_ref().unwrap();
    assert_eq!(
        (
            p.offset.as_str(),
            p.limit.as_str(),
            p.items.as_str(),
            p.total.as_str()
        ),
        ("Offset", "Limit", "Things", "Total")
    );
    assert_eq!((p.max_page_size, p.max_window), (Some(50), Some(1000)));
    assert_eq!(a.waiters.len(), 3);
    let w = &a.waiters[1];
    assert_eq!(w.state_path, "Things[].Phase");
    assert_eq!(
        w.state,
        vec![
            codegen::model::PathSegment {
                member: "Things".into(),
                first: true
            },
            codegen::model::PathSegment {
                member: "Phase".into(),
                first: false
            },
        ]
    );
    assert!(w.failure.is_empty());
    assert_eq!(a.waiters[0].failure, vec!["Broken".to_owned()]);
    assert_eq!(
        (
            a.waiters[0].min_delay_ms,
            a.waiters[0].max_delay_ms,
            a.waiters[0].default_timeout_secs
        ),
        (100, 2000, 60)
    );
}

#[test]
fn pagination_members_must_exist_with_fitting_types() {
    let mut f = paged();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["pagination"] = json!({"offset": "Skip", "limit": "Tags", "items": "Status",
                                 "total": "Things", "maxPageSize": 100, "maxWindow": 10, "pageSize": 1});
    });
    let file = "actions/GetThing.json";
    assert_problems(
        &f,
        &[
            (
                file,
                "$.pagination.offset",
                "`Skip` is not an input member of this action",
            ),
            (
                file,
                "$.pagination.limit",
                "limit member `Tags` must be an integer, unsigned or string (digits) input, not `list of string`",
            ),
            (
                file,
                "$.pagination.items",
                "items member `Status` must be a list of a shared type, not `string`",
            ),
            (
                file,
                "$.pagination.total",
                "total member `Things` must be an integer or unsigned output, not `list of Thing`",
            ),
            (
                file,
                "$.pagination.maxPageSize",
                "maxPageSize 100 is larger than maxWindow 10",
            ),
            (file, "$.pagination.pageSize", "unknown key `pageSize`"),
        ],
    );

    let mut f = paged();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["pagination"] = json!({"offset": "Offset", "limit": "Offset", "items": "Things",
                                 "maxWindow": 0});
    });
    assert_problems(
        &f,
        &[
            (file, "$.pagination", "missing required key `total`"),
            (
                file,
                "$.pagination.limit",
                "offset and limit must be different members",
            ),
            (
                file,
                "$.pagination.maxWindow",
                "expected a positive integer",
            ),
        ],
    );
}

#[test]
fn waiter_paths_must_resolve_to_string_members() {
    let mut f = paged();
    let waiter = |name: &str, state: &str| {
        json!({"name": name, "docs": "Waits.", "state": state, "success": ["Ready"],
               "minDelayMs": 10, "maxDelayMs": 20, "defaultTimeoutSecs": 1})
    };
    edit(&mut f, "actions/GetThing.json", |v| {
        v["waiters"] = json!([
            waiter("A", "Nope"),
            waiter("B", "Status[]"),
            waiter("C", "Things.Phase"),
            waiter("D", "Thing.Size"),
            waiter("E", "Status.Phase"),
            waiter("F", "Things[].Missing"),
            waiter("G", "Thing..Size"),
            waiter("H", "things[]"),
            waiter("I", "Total"),
        ]);
    });
    let file = "actions/GetThing.json";
    assert_problems(
        &f,
        &[
            (
                file,
                "$.waiters[0].state",
                "`Nope` is not a member of the output",
            ),
            (
                file,
                "$.waiters[1].state",
                "`Status` is not a list: drop the `[]`",
            ),
            (
                file,
                "$.waiters[2].state",
                "`Things` is a list: write `Things[]` for its first element",
            ),
            (
                file,
                "$.waiters[3].state",
                "the state must be a string member; `Size` is integer",
            ),
            (
                file,
                "$.waiters[4].state",
                "`Status` is string, not an object: it must end the path",
            ),
            (
                file,
                "$.waiters[5].state",
                "`Missing` is not a member of type `Thing`",
            ),
            (
                file,
                "$.waiters[6].state",
                "state path `Thing..Size` must be PascalCase member names",
            ),
            (
                file,
                "$.waiters[7].state",
                "state path `things[]` must be PascalCase member names",
            ),
            (
                file,
                "$.waiters[8].state",
                "the state must be a string member; `Total` is unsigned",
            ),
        ],
    );
}

#[test]
fn waiter_states_delays_and_names_are_checked() {
    let mut f = paged();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["waiters"] = json!([
            {"name": "ThingReady", "docs": "Ready.", "state": "Status",
             "success": ["Ready", "Done"], "failure": ["Broken", "Ready"],
             "minDelayMs": 500, "maxDelayMs": 100, "defaultTimeoutSecs": 1},
            {"name": "ThingREADY", "docs": "Again.", "state": "Status", "success": [],
             "failure": [], "minDelayMs": 1, "maxDelayMs": 1, "defaultTimeoutSecs": 0},
            {"name": "tags", "docs": "", "state": "Status", "minDelayMs": 1, "maxDelayMs": 1,
             "defaultTimeoutSecs": 1, "until": "x"},
            "not an object"
        ]);
        v["input"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "WaitUntilThingReady", "type": "string", "docs": "Clashes."}));
    });
    let file = "actions/GetThing.json";
    assert_problems(
        &f,
        &[
            (
                file,
                "$.waiters[0].success[1]",
                "`Done` is not a documented value of `Status` (documented: Ready, Busy, Broken)",
            ),
            (
                file,
                "$.waiters[0].failure[1]",
                "state `Ready` is listed twice",
            ),
            (
                file,
                "$.waiters[0].maxDelayMs",
                "maxDelayMs 100 is smaller than minDelayMs 500",
            ),
            (
                file,
                "$.waiters[0].name",
                "collides with the input `WaitUntilThingReady`",
            ),
            (
                file,
                "$.waiters[1].name",
                "waiter `ThingREADY` collides with `ThingReady` ($.waiters[0]): both become the method `wait_until_thing_ready`",
            ),
            (
                file,
                "$.waiters[1].name",
                "waiter `ThingREADY` collides with the input `WaitUntilThingReady`",
            ),
            (
                file,
                "$.waiters[1].success",
                "a waiter needs at least one success state",
            ),
            (
                file,
                "$.waiters[1].failure",
                "an empty list of failure states",
            ),
            (
                file,
                "$.waiters[1].defaultTimeoutSecs",
                "expected a positive integer",
            ),
            (
                file,
                "$.waiters[2].name",
                "waiter name `tags` is not PascalCase",
            ),
            (file, "$.waiters[2].docs", "documentation must not be empty"),
            (file, "$.waiters[2]", "missing required key `success`"),
            (file, "$.waiters[2].until", "unknown key `until`"),
            (file, "$.waiters[3]", "expected an object, found a string"),
        ],
    );
}

#[test]
fn into_paginator_is_a_reserved_builder_method() {
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "IntoPaginator", "type": "string", "docs": "Clashes."}));
    });
    assert_problems(
        &f,
        &[(
            "actions/GetThing.json",
            "$.input[1].name",
            "collide with the request builder's own `into_paginator` method",
        )],
    );
}

/// `GetThing` and `Thing` with string members typed by enums: `Mode` on the input, the
/// output type and `Thing`, and `Order` on the input.
fn with_enums() -> BTreeMap<String, Value> {
    let mut f = base();
    let mode = |docs_a: &str| {
        json!({"name": "Mode", "type": "string", "docs": "Mode.", "enum": "Mode", "values": [
            {"value": "fast", "docs": docs_a}, {"value": "HTTP&HTTPS", "docs": "Both."}
        ]})
    };
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"].as_array_mut().unwrap().push(mode("Quick."));
        v["input"].as_array_mut().unwrap().push(json!({
            "name": "Order", "type": "string", "list": true, "docs": "Order.", "enum": "Order",
            "values": [{"value": "ASC", "docs": "Up."}, {"value": "DESC", "docs": "Down."}]
        }));
    });
    edit(&mut f, "types/Thing.json", |v| {
        // The same values in another order, with a member-specific meaning for `fast`.
        let mut m = mode("Quick, for things.");
        m["values"] = json!([{"value": "HTTP&HTTPS", "docs": "Both."}, {"value": "fast", "docs": "Quick, for things."}]);
        v["members"].as_array_mut().unwrap().push(m);
    });
    f
}

#[test]
fn enums_are_collected_across_files() {
    let spec = load(&with_enums()).unwrap();
    let names: Vec<&str> = spec.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Mode", "Order"]);
    let mode = spec.enum_def("Mode").unwrap();
    let variants: Vec<(&str, &str, Option<&str>)> = mode
        .variants
        .iter()
        .map(|v| (v.value.as_str(), v.variant.as_str(), v.docs.as_deref()))
        .collect();
    // In the order of the first member; docs only where every member agrees.
    assert_eq!(
        variants,
        [
            ("fast", "Fast", None),
            ("HTTP&HTTPS", "HttpAndHttps", Some("Both."))
        ]
    );
    assert_eq!(
        mode.users,
        [
            EnumUser::Input {
                action: "GetThing".into(),
                member: "Mode".into()
            },
            EnumUser::Type {
                type_name: "Thing".into(),
                member: "Mode".into()
            },
        ]
    );
    assert_eq!(
        spec.actions[0].input[1].enum_name.as_deref(),
        Some("Mode"),
        "the member names its enum"
    );
    // Documented values without `enum` stay a plain string.
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"][0]["values"] = json!([{"value": "not0", "docs": "A filter keyword."}]);
    });
    let spec = load(&f).unwrap();
    assert!(spec.enums.is_empty());
    assert_eq!(spec.actions[0].input[0].enum_name, None);
}

#[test]
fn members_sharing_an_enum_document_the_same_values() {
    let mut f = with_enums();
    edit(&mut f, "types/Thing.json", |v| {
        v["members"][1]["values"][0]["value"] = json!("slow");
    });
    assert_problems(
        &f,
        &[(
            "types/Thing.json",
            "$.members[1].enum",
            "enum `Mode` has the values [HTTP&HTTPS, fast] at actions/GetThing.json $.input[1] but [fast, slow] here",
        )],
    );
}

#[test]
fn enum_members_and_values_are_checked() {
    let mut f = with_enums();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"][2]["enum"] = json!("sort_order");
        v["input"].as_array_mut().unwrap().extend([
            json!({"name": "Count", "type": "integer", "docs": "Count.", "enum": "Count",
                   "values": [{"value": 1, "docs": "One."}]}),
            json!({"name": "Bare", "type": "string", "docs": "No values.", "enum": "Bare"}),
            json!({"name": "Odd", "type": "string", "docs": "Odd values.", "enum": "Odd", "values": [
                {"value": "a-b", "docs": "Dashed."},
                {"value": "A_B", "docs": "Same variant."},
                {"value": "unknown", "docs": "Reserved."},
                {"value": "3.9", "docs": "No letter first."},
                {"value": "a-b", "docs": "Again."}
            ]}),
        ]);
    });
    assert_problems(
        &f,
        &[
            (
                "actions/GetThing.json",
                "$.input[2].enum",
                "enum name `sort_order` is not PascalCase",
            ),
            (
                "actions/GetThing.json",
                "$.input[3].enum",
                "only `string` members can be enums, this one is `integer`",
            ),
            (
                "actions/GetThing.json",
                "$.input[4].enum",
                "an enum member needs documented `values`",
            ),
            (
                "actions/GetThing.json",
                "$.input[5].values[1].value",
                "value `A_B` collides with `a-b`: both become the Rust variant `AB`",
            ),
            (
                "actions/GetThing.json",
                "$.input[5].values[2].value",
                "reserved for values the spec does not list",
            ),
            (
                "actions/GetThing.json",
                "$.input[5].values[3].value",
                "value `3.9` gives no Rust variant name",
            ),
            (
                "actions/GetThing.json",
                "$.input[5].values[4].value",
                "duplicate value `a-b`",
            ),
        ],
    );
}

#[test]
fn enums_must_not_collide_with_types_or_each_other() {
    let mut f = with_enums();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"][2]["enum"] = json!("Thing");
        let mut m = v["input"][1].clone();
        m["name"] = json!("OtherMode");
        m["enum"] = json!("MODE");
        v["input"].as_array_mut().unwrap().push(m);
    });
    assert_problems(
        &f,
        &[
            (
                "actions/GetThing.json",
                "$.input[2].enum",
                "enum `Thing` is named like the shared type `Thing`",
            ),
            (
                "actions/GetThing.json",
                "$.input[1].enum",
                "enum `Mode` collides with enum `MODE`: both become the Rust module `types::mode`",
            ),
        ],
    );
}

#[test]
fn sensitive_and_debug_keys_load_and_are_checked() {
    use codegen::model::DebugAs;

    // Valid: a sensitive string, and a string printed as its length.
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"][0]["sensitive"] = json!(true);
        v["input"][0]["debug"] = json!("length");
        v["input"].as_array_mut().unwrap().push(
            json!({"name": "Payload", "type": "string", "list": true, "debug": "length", "docs": "Zip files."}),
        );
    });
    let spec = load(&f).unwrap();
    let input = &spec.actions[0].input;
    assert!(input[0].sensitive);
    assert_eq!(input[0].debug, DebugAs::Length);
    assert!(!input[1].sensitive);
    assert_eq!(input[1].debug, DebugAs::Length);
    assert_eq!(spec.types[0].members[0].debug, DebugAs::Value);

    // Wrong value types, unknown formats, non-string members and enums are rejected.
    let mut f = base();
    edit(&mut f, "actions/GetThing.json", |v| {
        v["input"][0]["debug"] = json!(true);
        v["input"].as_array_mut().unwrap().extend([
            json!({"name": "Kind", "type": "string", "debug": "base64", "docs": "Kind."}),
            json!({"name": "Mode", "type": "string", "debug": "length", "docs": "Mode.",
                   "enum": "Mode", "values": [{"value": "a", "docs": "A."}]}),
        ]);
        v["output"][0]["sensitive"] = json!(true);
        v["output"][0]["debug"] = json!("length");
    });
    edit(&mut f, "types/Thing.json", |v| {
        v["members"][0]["sensitive"] = json!("yes");
    });
    assert_problems(
        &f,
        &[
            (
                "actions/GetThing.json",
                "$.input[0].debug",
                "expected a string, found a boolean",
            ),
            (
                "actions/GetThing.json",
                "$.input[1].debug",
                "unknown debug format `base64` (expected `length`)",
            ),
            (
                "actions/GetThing.json",
                "$.input[2].debug",
                "`debug` is for free-form payloads",
            ),
            (
                "actions/GetThing.json",
                "$.output[0].sensitive",
                "`sensitive` is for `string` members only, this one is `Thing`",
            ),
            (
                "actions/GetThing.json",
                "$.output[0].debug",
                "`debug` is for `string` members only, this one is `Thing`",
            ),
            (
                "types/Thing.json",
                "$.members[0].sensitive",
                "expected a boolean, found a string",
            ),
        ],
    );
}

#[test]
fn time_zone_is_an_offset_from_utc() {
    let mut files = base();
    edit(&mut files, "service.json", |v| {
        v["timeZone"] = json!("+08:00")
    });
    let spec = load(&files).unwrap();
    let zone = spec.service.time_zone.unwrap();
    assert_eq!((zone.text.as_str(), zone.offset_secs), ("+08:00", 28_800));
    edit(&mut files, "service.json", |v| {
        v["timeZone"] = json!("-03:30")
    });
    assert_eq!(
        load(&files).unwrap().service.time_zone.unwrap().offset_secs,
        -12_600
    );
    assert_eq!(load(&base()).unwrap().service.time_zone, None);

    for bad in [
        json!("UTC+8"),
        json!("+8:00"),
        json!("+15:00"),
        json!("+08:60"),
        json!("08:00"),
    ] {
        let mut files = base();
        edit(&mut files, "service.json", |v| v["timeZone"] = bad.clone());
        assert_problems(
            &files,
            &[("service.json", "$.timeZone", "must be an offset from UTC")],
        );
    }
    let mut files = base();
    edit(&mut files, "service.json", |v| v["timeZone"] = json!(8));
    assert_problems(
        &files,
        &[("service.json", "$.timeZone", "expected a string")],
    );
}

/// The base spec with inputs an event limit and a time range can name.
fn with_limit_inputs() -> BTreeMap<String, Value> {
    let mut files = base();
    edit(&mut files, "actions/GetThing.json", |v| {
        let input = v["input"].as_array_mut().unwrap();
        input.push(json!({"name": "Payload", "type": "string", "docs": "Event."}));
        input.push(json!({"name": "Tags", "type": "string", "list": true, "docs": "Tags."}));
        input.push(json!({"name": "From", "type": "datetime", "docs": "Start."}));
        input.push(json!({"name": "To", "type": "datetime", "docs": "End."}));
    });
    files
}

#[test]
fn event_limits_name_a_string_input_and_positive_sizes() {
    let mut files = with_limit_inputs();
    edit(&mut files, "actions/GetThing.json", |v| {
        v["eventLimits"] = json!({"member": "Payload", "maxSyncBytes": 6, "maxAsyncBytes": 2});
    });
    let spec = load(&files).unwrap();
    let limits = spec.actions[0].event_limits.clone().unwrap();
    assert_eq!(
        (
            limits.member.as_str(),
            limits.max_sync_bytes,
            limits.max_async_bytes
        ),
        ("Payload", 6, Some(2))
    );
    edit(&mut files, "actions/GetThing.json", |v| {
        v["eventLimits"] = json!({"member": "Payload", "maxSyncBytes": 6});
    });
    assert_eq!(
        load(&files).unwrap().actions[0]
            .event_limits
            .clone()
            .unwrap()
            .max_async_bytes,
        None
    );

    let f = "actions/GetThing.json";
    let cases = [
        (
            json!({"member": "Nope", "maxSyncBytes": 6}),
            ("$.eventLimits.member", "`Nope` is not an input member"),
        ),
        (
            json!({"member": "Tags", "maxSyncBytes": 6}),
            (
                "$.eventLimits.member",
                "must be a string input, not `list of string`",
            ),
        ),
        (
            json!({"member": "From", "maxSyncBytes": 6}),
            (
                "$.eventLimits.member",
                "must be a string input, not `datetime`",
            ),
        ),
        (
            json!({"member": "Payload", "maxSyncBytes": 0}),
            ("$.eventLimits.maxSyncBytes", "expected a positive integer"),
        ),
        (
            json!({"member": "Payload", "maxSyncBytes": 6, "maxAsyncBytes": "128K"}),
            ("$.eventLimits.maxAsyncBytes", "expected a positive integer"),
        ),
        (
            json!({"member": "Payload"}),
            ("$.eventLimits", "missing required key `maxSyncBytes`"),
        ),
        (
            json!({"member": "Payload", "maxSyncBytes": 6, "maxBytes": 1}),
            ("$.eventLimits.maxBytes", "unknown key `maxBytes`"),
        ),
    ];
    for (bad, (path, message)) in cases {
        let mut files = with_limit_inputs();
        edit(&mut files, f, |v| v["eventLimits"] = bad);
        assert_problems(&files, &[(f, path, message)]);
    }
}

#[test]
fn time_ranges_name_two_datetime_inputs_and_a_positive_span() {
    let mut files = with_limit_inputs();
    edit(&mut files, "actions/GetThing.json", |v| {
        v["timeRange"] = json!({"start": "From", "end": "To", "maxSecs": 86400});
    });
    let spec = load(&files).unwrap();
    let range = spec.actions[0].time_range.clone().unwrap();
    assert_eq!(
        (range.start.as_str(), range.end.as_str(), range.max_secs),
        ("From", "To", 86_400)
    );

    let f = "actions/GetThing.json";
    let cases = [
        (
            json!({"start": "Payload", "end": "To", "maxSecs": 1}),
            (
                "$.timeRange.start",
                "must be a `datetime` input, not `string`",
            ),
        ),
        (
            json!({"start": "From", "end": "Never", "maxSecs": 1}),
            ("$.timeRange.end", "`Never` is not an input member"),
        ),
        (
            json!({"start": "From", "end": "From", "maxSecs": 1}),
            ("$.timeRange.end", "start and end must be different members"),
        ),
        (
            json!({"start": "From", "end": "To", "maxSecs": -1}),
            ("$.timeRange.maxSecs", "expected a positive integer"),
        ),
        (
            json!({"start": "From", "end": "To"}),
            ("$.timeRange", "missing required key `maxSecs`"),
        ),
    ];
    for (bad, (path, message)) in cases {
        let mut files = with_limit_inputs();
        edit(&mut files, f, |v| v["timeRange"] = bad);
        assert_problems(&files, &[(f, path, message)]);
    }
}

/// `Unknown` and `Common` are the variants every action's error enum has, and
/// `actions::common_error` holds `CommonError`: no code or action may take those names.
#[test]
fn reserved_error_variants_and_common_error_module() {
    let mut f = base();
    edit(&mut f, "errors.json", |v| {
        v["Common"] = json!({"docs": "Would be the Common variant."});
        v["Unknown"] = json!({"docs": "Would be the Unknown variant."});
    });
    edit(&mut f, "actions/GetThing.json", |v| {
        v["errors"] = json!(["ResourceNotFound.Thing", "Common", "Unknown"])
    });
    let mut other = f["actions/GetThing.json"].clone();
    other["name"] = json!("CommonError");
    f.insert("actions/CommonError.json".into(), other);
    assert_problems(
        &f,
        &[
            (
                "errors.json",
                "$.Common",
                "the variant name `Common` is reserved",
            ),
            (
                "errors.json",
                "$.Unknown",
                "the variant name `Unknown` is reserved",
            ),
            (
                "actions/CommonError.json",
                "$.name",
                "`actions::common_error` is reserved",
            ),
        ],
    );
}

#[test]
fn types_and_enums_may_not_hide_standard_names_generated_code_uses() {
    let mut f = base();
    // A shared type named `String`, used by the action, and an enum named `Vec`.
    let mut string_type = f["types/Thing.json"].clone();
    string_type["name"] = json!("String");
    f.insert("types/String.json".into(), string_type);
    edit(&mut f, "actions/GetThing.json", |v| {
        v["output"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "Label", "type": "String", "docs": "A label."}));
        v["input"].as_array_mut().unwrap().push(json!({
            "name": "Mode", "type": "string", "docs": "Mode.", "enum": "Vec",
            "values": [{"value": "A", "docs": "A."}]
        }));
    });
    assert_problems(
        &f,
        &[
            (
                "types/String.json",
                "$.name",
                "would hide the standard `String`",
            ),
            (
                "actions/GetThing.json",
                "$.input[1].enum",
                "would hide the standard `Vec`",
            ),
        ],
    );
}
