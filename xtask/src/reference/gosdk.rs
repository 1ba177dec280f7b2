//! The international-site Go SDK as a second witness of what the international site has.
//!
//! `gosdk-scf-facts.json` (optional in the reference directory) holds facts extracted from the
//! official Go SDKs; its `intl` key those of the international-site SDK: `actions` (name →
//! `input`, `output`, ...), `structs` (name → `members`, each with a `name`) and `errorCodes`.
//! Only which actions, structs and members exist is read here: the parent module counts an item
//! as documented internationally only when the international tccli description *and* this SDK
//! have it. The SDK leaves the implicit `RequestId` out of response structs; it is added back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value};

/// File name inside the reference directory.
pub const GOSDK_FACTS: &str = "gosdk-scf-facts.json";

/// What the international-site Go SDK has: actions, and structs with their member names.
#[derive(Debug, Clone, Default)]
pub struct IntlSdk {
    actions: BTreeSet<String>,
    structs: BTreeMap<String, BTreeSet<String>>,
}

impl IntlSdk {
    /// Reads the `intl` facts from `dir`; `None` when the file is absent or has no `intl` key
    /// (then the international description alone decides).
    pub fn load(dir: &Path) -> Result<Option<IntlSdk>, String> {
        let path = dir.join(GOSDK_FACTS);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let v: Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        v.get("intl").map(IntlSdk::from_value).transpose()
    }

    /// Parses the value of the `intl` key.
    pub fn from_value(intl: &Value) -> Result<IntlSdk, String> {
        let mut sdk = IntlSdk::default();
        let mut outputs = Vec::new();
        for (name, a) in object(intl.get("actions"), "$.intl.actions")? {
            outputs.push(text(
                a.get("output"),
                &format!("$.intl.actions.{name}.output"),
            )?);
            sdk.actions.insert(name.clone());
        }
        for (name, s) in object(intl.get("structs"), "$.intl.structs")? {
            let at = format!("$.intl.structs.{name}.members");
            let members = s
                .get("members")
                .and_then(Value::as_array)
                .ok_or_else(|| format!("{GOSDK_FACTS}: {at}: expected an array"))?;
            let mut names = BTreeSet::new();
            for (i, m) in members.iter().enumerate() {
                names.insert(text(m.get("name"), &format!("{at}[{i}].name"))?);
            }
            sdk.structs.insert(name.clone(), names);
        }
        // Response structs omit the `RequestId` every response has.
        for output in outputs {
            if let Some(members) = sdk.structs.get_mut(&output) {
                members.insert("RequestId".to_owned());
            }
        }
        Ok(sdk)
    }

    pub fn has_action(&self, name: &str) -> bool {
        self.actions.contains(name)
    }

    pub fn has_object(&self, name: &str) -> bool {
        self.structs.contains_key(name)
    }

    pub fn has_member(&self, object: &str, member: &str) -> bool {
        self.structs.get(object).is_some_and(|m| m.contains(member))
    }
}

fn object<'v>(v: Option<&'v Value>, at: &str) -> Result<&'v Map<String, Value>, String> {
    v.and_then(Value::as_object)
        .ok_or_else(|| format!("{GOSDK_FACTS}: {at}: expected an object"))
}

fn text(v: Option<&Value>, at: &str) -> Result<String, String> {
    v.and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("{GOSDK_FACTS}: {at}: expected a string"))
}

#[cfg(test)]
mod tests {
    //! The rule on a tiny reference: `GetThing` takes `Name` (both sites), `Extra` (a string)
    //! and `Conf` (a shared type `Conf`); the international description has all three, the
    //! international Go SDK neither `Extra`, `Conf` nor the type.

    use std::path::PathBuf;

    use serde_json::{Value, json};

    use super::{GOSDK_FACTS, IntlSdk};
    use crate::reference::{Reference, Sites};
    use crate::test_files::write;

    const MAINLAND: Sites = Sites {
        mainland: true,
        intl: false,
    };
    const BOTH: Sites = Sites {
        mainland: true,
        intl: true,
    };

    /// A temp dir of these tests' own, apart from the importer tests' ones.
    fn temp_dir(tag: &str) -> PathBuf {
        crate::test_files::temp_dir(&format!("gosdk-{tag}"))
    }

    fn member(name: &str, ty: &str, member: &str) -> Value {
        json!({"name": name, "type": ty, "member": member, "document": format!("{name} doc."),
               "required": name == "Name", "disabled": false, "example": ""})
    }

    /// The tccli files, examples, error lists and codes; `facts` (if any) as the Go SDK file.
    fn reference(tag: &str, facts: Option<Value>) -> PathBuf {
        let dir = temp_dir(tag);
        let api = json!({"version": "1.0", "metadata": {"apiVersion": "2018-04-16"},
            "actions": {"GetThing": {"name": "Gets a thing.", "document": "Gets it.",
                "input": "GetThingRequest", "output": "GetThingResponse", "status": "online"}},
            "objects": {
                "GetThingRequest": {"document": "req", "type": "object", "members": [
                    member("Name", "string", "string"), member("Extra", "string", "string"),
                    member("Conf", "object", "Conf")]},
                "GetThingResponse": {"document": "resp", "type": "object", "members": [
                    member("Size", "int", "int64"),
                    {"name": "RequestId", "type": "string", "member": "string", "document": "id"}]},
                "Conf": {"document": "A setting.", "type": "object", "members": [
                    member("Ip", "string", "string")]}}});
        write(&dir, "tccli-scf-api.zh.json", &api);
        write(&dir, "tccli-scf-api.en.json", &api);
        let examples = json!({"actions": {"GetThing": [{"title": "Get", "document": "Get.",
            "input": "POST / HTTP/1.1\n\n{\"Name\": \"n\"}",
            "output": "{\"Response\": {\"Size\": 1, \"RequestId\": \"r\"}}"}]}});
        write(&dir, "tccli-scf-examples.zh.json", &examples);
        write(&dir, "tccli-scf-examples.en.json", &examples);
        write(
            &dir,
            "scf-action-errors.json",
            &json!({"actions": {"GetThing": []}}),
        );
        write(&dir, "scf-error-codes.json", &json!({"codes": {}}));
        if let Some(f) = facts {
            write(&dir, GOSDK_FACTS, &f);
        }
        dir
    }

    /// International Go SDK facts without `Extra`, `Conf` and the `Conf` struct.
    fn intl_facts() -> Value {
        let m = |n: &str| json!({"name": n, "type": "string", "list": false});
        json!({"about": "test", "actions": {}, "structs": {},
            "intl": {"errorCodes": {},
                "actions": {"GetThing": {"input": "GetThingRequest", "output": "GetThingResponse"}},
                "structs": {"GetThingRequest": {"members": [m("Name")]},
                            "GetThingResponse": {"members": [m("Size")]}}}})
    }

    fn sites(r: &Reference, object: &str, member: &str) -> Sites {
        let o = r.object(object).unwrap();
        o.members.iter().find(|m| m.name == member).unwrap().sites
    }

    #[test]
    fn absent_from_the_intl_sdk_means_mainland_only() {
        let dir = reference("absent", Some(intl_facts()));
        let r = Reference::load(&dir).unwrap();
        assert_eq!(r.actions["GetThing"].sites, BOTH);
        assert_eq!(sites(&r, "GetThingRequest", "Name"), BOTH);
        assert_eq!(sites(&r, "GetThingRequest", "Extra"), MAINLAND);
        assert_eq!(sites(&r, "GetThingRequest", "Conf"), MAINLAND);
        assert_eq!(r.object("Conf").unwrap().sites, MAINLAND);
        assert_eq!(sites(&r, "Conf", "Ip"), MAINLAND);
        // The SDK leaves `RequestId` implicit; the response still has it on both sites.
        assert_eq!(sites(&r, "GetThingResponse", "RequestId"), BOTH);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn without_the_facts_file_the_intl_description_decides() {
        for (tag, facts) in [
            ("nofile", None),
            (
                "nointl",
                Some(json!({"about": "mainland only", "structs": {}})),
            ),
        ] {
            let dir = reference(tag, facts);
            let r = Reference::load(&dir).unwrap();
            assert_eq!(sites(&r, "GetThingRequest", "Extra"), BOTH, "{tag}");
            assert_eq!(sites(&r, "GetThingRequest", "Conf"), BOTH, "{tag}");
            assert_eq!(r.object("Conf").unwrap().sites, BOTH, "{tag}");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    #[test]
    fn malformed_intl_facts_are_errors() {
        let bad = json!({"actions": {"A": {"input": "AReq"}}, "structs": {}});
        let e = IntlSdk::from_value(&bad).unwrap_err();
        assert!(e.contains("$.intl.actions.A.output"), "{e}");
        let bad = json!({"actions": {}, "structs": {"S": {"members": [{"type": "string"}]}}});
        let e = IntlSdk::from_value(&bad).unwrap_err();
        assert!(e.contains("$.intl.structs.S.members[0].name"), "{e}");
        let e = IntlSdk::from_value(&json!({"structs": {}})).unwrap_err();
        assert!(e.contains("$.intl.actions: expected an object"), "{e}");
    }

    #[test]
    fn an_item_no_site_confirms_is_an_error() {
        let dir = reference("nowhere", Some(intl_facts()));
        // Only the international description has `Extra`, and the SDK lacks it.
        let zh = dir.join("tccli-scf-api.zh.json");
        let mut api: Value = serde_json::from_slice(&std::fs::read(&zh).unwrap()).unwrap();
        let members = api["objects"]["GetThingRequest"]["members"]
            .as_array_mut()
            .unwrap();
        members.retain(|m| m["name"] != "Extra");
        write(&dir, "tccli-scf-api.zh.json", &api);
        let e = Reference::load(&dir).unwrap_err();
        assert!(e.contains("GetThingRequest.Extra"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// `spec import` marks what the SDK lacks, `spec check` agrees, and `spec check` without the
    /// SDK facts (the international description alone) flags the marks.
    #[test]
    fn import_and_check_apply_the_rule() {
        let with = reference("import-with", Some(intl_facts()));
        let without = reference("import-without", None);
        let spec = temp_dir("import-spec");
        write(
            &spec,
            "service.json",
            &json!({"service": "scf", "title": "T", "version": "2018-04-16", "docs": "D.",
                    "endpoints": {"nearest": "a", "regional": "b.{region}", "intl": "c"},
                    "maxBodyBytes": 10, "commonErrors": ["InternalError"]}),
        );
        write(
            &spec,
            "errors.json",
            &json!({"InternalError": {"docs": "Internal."}}),
        );
        let r = Reference::load(&with).unwrap();
        crate::import::import(&spec, &r, false).unwrap();
        let read = |rel: &str| -> Value {
            serde_json::from_slice(&std::fs::read(spec.join(rel)).unwrap()).unwrap()
        };
        let action = read("actions/GetThing.json");
        let site = |i: usize| action["input"][i].get("site").cloned();
        assert_eq!(
            (site(0), site(1), site(2)),
            (None, Some(json!("mainland")), Some(json!("mainland")))
        );
        assert_eq!(action.get("site"), None);
        // A type only mainland-only members use carries no marks of its own.
        assert_eq!(read("types/Conf.json")["members"][0].get("site"), None);

        let loaded = codegen::load(&spec).unwrap();
        crate::check::check(&loaded, &r).unwrap();
        let plain = Reference::load(&without).unwrap();
        let problems = crate::check::check(&loaded, &plain).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .all(|p| p.contains("site is Some(\"mainland\")")),
            "{problems:?}"
        );
        for dir in [with, without, spec] {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
