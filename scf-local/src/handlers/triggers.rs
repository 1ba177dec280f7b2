//! Triggers: create, delete, list, update, enable or disable.
//!
//! A trigger is bound to a qualifier of its function (`$LATEST`, a published version or an
//! alias); its name is unique per function and qualifier, and it is stored in
//! [`Function::triggers`] under [`key`]`(qualifier, name)`. A timer's `TriggerDesc` is stored as
//! `{"cron":"<expression>"}`, as the service shows it; other types keep the JSON text they were
//! given.

use serde_json::{Map, Value, json};

use super::aliases::ensure_default_alias;
use super::functions::{find, find_mut};
use super::not_found_as;
use super::versions::version_number;
use super::{Answer, Ctx, paged, trigger_json};
use crate::error::ApiError;
use crate::state::{Function, LATEST, Trigger};

/// The actions this module answers.
pub(crate) const ACTIONS: &[&str] = &[
    "CreateTrigger",
    "DeleteTrigger",
    "ListTriggers",
    "UpdateTrigger",
    "UpdateTriggerStatus",
];

/// Answers `action` if this module models it.
pub(crate) fn handle(ctx: &Ctx<'_>, action: &str) -> Option<Answer> {
    Some(match action {
        "CreateTrigger" => create(ctx),
        "DeleteTrigger" => delete(ctx),
        "ListTriggers" => list(ctx),
        "UpdateTrigger" => update(ctx),
        "UpdateTriggerStatus" => update_status(ctx),
        _ => return None,
    })
}

/// Every trigger type the spec documents (CreateTrigger, DeleteTrigger and `TriggerInfo`).
const TYPES: &[&str] = &[
    "apigw", "ckafka", "clb", "cls", "cm", "cmq", "cos", "eb", "http", "mps", "timer", "vod",
];
/// The types UpdateTrigger changes.
const UPDATABLE_TYPES: &[&str] = &["ckafka", "http", "timer"];
/// The types UpdateTriggerStatus switches.
const SWITCHABLE_TYPES: &[&str] = &["ckafka", "cos", "timer"];
/// The `TriggerDesc` members of a CKafka trigger that UpdateTrigger may change.
const CKAFKA_UPDATABLE: &[&str] = &["Retry", "MaxMsgNum", "TimeOut"];

/// The key of the trigger `name` bound to `qualifier` in [`Function::triggers`]. Qualifiers never
/// contain `/`, so keys of different (qualifier, name) pairs differ.
pub(crate) fn key(qualifier: &str, name: &str) -> String {
    format!("{qualifier}/{name}")
}

/// The `Qualifier` parameter, `$LATEST` when absent or empty.
fn qualifier<'c>(ctx: &'c Ctx<'_>) -> &'c str {
    ctx.str("Qualifier")
        .filter(|q| !q.is_empty())
        .unwrap_or(LATEST)
}

/// Whether `qualifier` names `$LATEST`, a published version (written canonically) or an alias of
/// `function`.
fn qualifier_exists(function: &Function, qualifier: &str) -> bool {
    qualifier == LATEST
        || version_number(qualifier).is_some_and(|n| function.versions.contains_key(&n))
        || function.aliases.contains_key(qualifier)
}

/// `ResourceNotFound.Qualifier` for `qualifier` of `function`.
fn qualifier_not_found(function: &str, qualifier: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound.Qualifier",
        format!("The function `{function}` has no version or alias `{qualifier}`."),
    )
}

/// Checks that `kind` is one of `allowed` (`InvalidParameterValue.Type` otherwise).
fn check_type(kind: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&kind) {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameterValue.Type",
            format!(
                "The trigger type `{kind}` is not supported here; use one of: {}.",
                allowed.join(", ")
            ),
        ))
    }
}

/// The `Enable` parameter: `OPEN` is true, `CLOSE` false, absent `None`;
/// `InvalidParameterValue.Enable` for anything else (an empty string included).
fn enable(ctx: &Ctx<'_>) -> Result<Option<bool>, ApiError> {
    match ctx.str("Enable") {
        None => Ok(None),
        Some("OPEN") => Ok(Some(true)),
        Some("CLOSE") => Ok(Some(false)),
        Some(other) => Err(ApiError::new(
            "InvalidParameterValue.Enable",
            format!("Enable must be OPEN or CLOSE, got `{other}`."),
        )),
    }
}

/// An `InvalidParameterValue.TriggerDesc` error.
fn invalid_desc(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidParameterValue.TriggerDesc", message)
}

/// Trigger names: for timers 1 to 100 letters, digits, `-` and `_`; for other types (whose names
/// follow the source product, e.g. a COS bucket domain) non-empty without whitespace or control
/// characters.
fn check_trigger_name(kind: &str, name: &str) -> Result<(), ApiError> {
    let (valid, rule) = if kind == "timer" {
        (
            (1..=100).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "use 1 to 100 letters, digits, `-` or `_`",
        )
    } else {
        (
            !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c.is_control()),
            "it must be non-empty, without whitespace",
        )
    };
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameterValue.TriggerName",
            format!("The {kind} trigger name `{name}` is invalid: {rule}."),
        ))
    }
}

/// One field of a cron expression: its name, range, the names that stand for its values
/// (numbered from `min`), and whether `?` (no specific value) is allowed.
struct CronField {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    any: bool,
}

/// The month names of cron expressions, for 1 to 12.
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
/// The weekday names of cron expressions, for 0 to 6.
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// The fields of a 7-field cron expression; a 5-field one is fields 1 to 5 (minute to weekday).
const CRON_FIELDS: [CronField; 7] = [
    CronField::numeric("second", 0, 59),
    CronField::numeric("minute", 0, 59),
    CronField::numeric("hour", 0, 23),
    CronField {
        any: true,
        ..CronField::numeric("day of month", 1, 31)
    },
    CronField {
        names: &MONTHS,
        ..CronField::numeric("month", 1, 12)
    },
    CronField {
        names: &WEEKDAYS,
        any: true,
        ..CronField::numeric("day of week", 0, 6)
    },
    CronField::numeric("year", 1970, 2099),
];

impl CronField {
    /// A field of numbers from `min` to `max`, without names or `?`.
    const fn numeric(name: &'static str, min: u32, max: u32) -> Self {
        CronField {
            name,
            min,
            max,
            names: &[],
            any: false,
        }
    }

    /// The value `text` stands for (digits in range, or a name), if any.
    fn value(&self, text: &str) -> Option<u32> {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return text
                .parse::<u32>()
                .ok()
                .filter(|n| (self.min..=self.max).contains(n));
        }
        let index = self
            .names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(text))?;
        u32::try_from(index).ok().map(|i| self.min + i)
    }

    /// Whether one comma-separated item fits: `*`, `?` (where allowed), a value or a range
    /// `a-b`, optionally followed by a step `/n`.
    fn accepts(&self, item: &str) -> bool {
        let (base, step) = match item.split_once('/') {
            Some((base, step)) => (base, Some(step)),
            None => (item, None),
        };
        if step.is_some_and(|s| !s.parse::<u32>().is_ok_and(|s| s > 0)) {
            return false;
        }
        match base {
            "*" => true,
            "?" => self.any && step.is_none(),
            _ => match base.split_once('-') {
                Some((low, high)) => match (self.value(low), self.value(high)) {
                    (Some(low), Some(high)) => low <= high,
                    _ => false,
                },
                None => self.value(base).is_some(),
            },
        }
    }
}

/// Checks a cron expression with 7 fields (second, minute, hour, day of month, month, day of
/// week, year) or, when `five_fields` is allowed, 5 (minute to day of week).
fn check_cron(expression: &str, five_fields: bool) -> Result<(), ApiError> {
    let parts: Vec<&str> = expression.split_whitespace().collect();
    let fields = match parts.len() {
        7 => &CRON_FIELDS[..],
        5 if five_fields => &CRON_FIELDS[1..6],
        n => {
            let expected = if five_fields { "5 or 7" } else { "7" };
            return Err(invalid_desc(format!(
                "A timer trigger needs a cron expression of {expected} fields, got {n} in \
                 `{expression}`."
            )));
        }
    };
    for (part, field) in parts.iter().zip(fields) {
        if !part.split(',').all(|item| field.accepts(item)) {
            return Err(invalid_desc(format!(
                "The {} field `{part}` of the cron expression `{expression}` is invalid.",
                field.name
            )));
        }
    }
    Ok(())
}

/// The JSON object `desc` holds, or `InvalidParameterValue.TriggerDesc` for a `kind` trigger.
fn json_object(kind: &str, desc: &str) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_str::<Value>(desc) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(invalid_desc(format!(
            "The TriggerDesc of a {kind} trigger must be a JSON object."
        ))),
    }
}

/// The stored form of a timer's `TriggerDesc` given as a cron expression or as
/// `{"cron":"<expression>"}`.
fn timer_desc(desc: &str, five_fields: bool) -> Result<String, ApiError> {
    let expression = if desc.trim_start().starts_with('{') {
        json_object("timer", desc)?
            .get("cron")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| invalid_desc("A timer TriggerDesc in JSON needs a `cron` string."))?
    } else {
        desc.trim().to_owned()
    };
    check_cron(&expression, five_fields)?;
    Ok(json!({ "cron": expression }).to_string())
}

/// The stored `TriggerDesc` of a new `kind` trigger: timers need a 7-field cron expression, COS
/// triggers a JSON object; other types take a JSON object or nothing.
fn new_desc(kind: &str, desc: Option<&str>) -> Result<String, ApiError> {
    let desc = desc.filter(|d| !d.trim().is_empty());
    match (kind, desc) {
        ("timer", Some(desc)) => timer_desc(desc, false),
        ("timer" | "cos", None) => Err(invalid_desc(format!(
            "A {kind} trigger needs a TriggerDesc."
        ))),
        (_, Some(desc)) => json_object(kind, desc).map(|_| desc.to_owned()),
        (_, None) => Ok(String::new()),
    }
}

/// Whether two COS `TriggerDesc`s are the same configuration (equal JSON, or equal text).
fn same_desc(stored: &str, given: &str) -> bool {
    match (
        serde_json::from_str::<Value>(stored),
        serde_json::from_str::<Value>(given),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => stored == given,
    }
}

/// The key of the `kind` trigger `name` bound to `qualifier`, which must exist; a COS trigger is
/// identified by the request's `TriggerDesc` as well. When the trigger is missing and
/// `check_qualifier` is set, a missing qualifier is reported as `ResourceNotFound.Qualifier`.
fn locate(
    ctx: &Ctx<'_>,
    function: &Function,
    kind: &str,
    check_qualifier: bool,
) -> Result<String, ApiError> {
    let name = ctx.required("TriggerName");
    let qualifier = qualifier(ctx);
    let desc = ctx.str("TriggerDesc").filter(|d| !d.trim().is_empty());
    if kind == "cos" && desc.is_none() {
        return Err(invalid_desc(
            "A COS trigger is identified by its TriggerDesc as well; it is required.",
        ));
    }
    let key = key(qualifier, name);
    let found = function.triggers.get(&key).is_some_and(|t| {
        t.kind == kind && (kind != "cos" || desc.is_some_and(|d| same_desc(&t.desc, d)))
    });
    if found {
        return Ok(key);
    }
    if check_qualifier && !qualifier_exists(function, qualifier) {
        return Err(qualifier_not_found(&function.name, qualifier));
    }
    Err(trigger_not_found(&function.name, kind, name, qualifier))
}

/// `ResourceNotFound.Trigger` for the `kind` trigger `name` on `qualifier` of `function`.
fn trigger_not_found(function: &str, kind: &str, name: &str, qualifier: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound.Trigger",
        format!("The function `{function}` has no {kind} trigger `{name}` on `{qualifier}`."),
    )
}

/// The trigger [`locate`] finds, for changing it.
fn locate_mut<'f>(
    ctx: &Ctx<'_>,
    function: &'f mut Function,
    kind: &str,
) -> Result<&'f mut Trigger, ApiError> {
    let key = locate(ctx, function, kind, true)?;
    let function_name = function.name.clone();
    function.triggers.get_mut(&key).ok_or_else(|| {
        trigger_not_found(
            &function_name,
            kind,
            ctx.required("TriggerName"),
            qualifier(ctx),
        )
    })
}

/// CreateTrigger: binds a new trigger to a qualifier (default `$LATEST`), enabled unless
/// `Enable` is `CLOSE`, and answers it as the `Trigger` type.
fn create(ctx: &Ctx<'_>) -> Answer {
    let function_name = ctx.required("FunctionName");
    let name = ctx.required("TriggerName");
    let kind = ctx.required("Type");
    let qualifier = qualifier(ctx);
    check_type(kind, TYPES)?;
    check_trigger_name(kind, name)?;
    let desc = new_desc(kind, ctx.str("TriggerDesc"))?;
    let enabled = enable(ctx)?.unwrap_or(true);
    let mut store = ctx.store();
    let function = find_mut(&mut store, ctx.namespace(), function_name)?;
    ensure_default_alias(function);
    if !qualifier_exists(function, qualifier) {
        return Err(qualifier_not_found(function_name, qualifier));
    }
    let key = key(qualifier, name);
    if function.triggers.contains_key(&key) {
        return Err(ApiError::new(
            "ResourceInUse.Trigger",
            format!(
                "The function `{function_name}` already has a trigger `{name}` on `{qualifier}`."
            ),
        ));
    }
    let trigger = Trigger {
        name: name.to_owned(),
        kind: kind.to_owned(),
        desc,
        qualifier: qualifier.to_owned(),
        enabled,
        custom_argument: ctx.str("CustomArgument").unwrap_or_default().to_owned(),
        description: ctx.str("Description").unwrap_or_default().to_owned(),
        added: ctx.now,
        modified: ctx.now,
    };
    let info = trigger_json(&trigger);
    function.triggers.insert(key, trigger);
    let mut out = Map::new();
    out.insert("TriggerInfo".into(), info);
    Ok(out)
}

/// DeleteTrigger: removes a trigger of the given type (COS triggers matched by `TriggerDesc`).
fn delete(ctx: &Ctx<'_>) -> Answer {
    let kind = ctx.required("Type");
    check_type(kind, TYPES)?;
    let mut store = ctx.store();
    // DeleteTrigger does not document `ResourceNotFound.Namespace`.
    let function = find_mut(&mut store, ctx.namespace(), ctx.required("FunctionName"))
        .map_err(not_found_as("ResourceNotFound.Function"))?;
    let key = locate(ctx, function, kind, false)?;
    function.triggers.remove(&key);
    Ok(Map::new())
}

/// One `Filters` entry of ListTriggers: the field and the values any of which must match.
enum Filter<'p> {
    /// The qualifier equals a value.
    Qualifier(Vec<&'p str>),
    /// The name equals a value.
    TriggerName(Vec<&'p str>),
    /// The description contains a value.
    Description(Vec<&'p str>),
}

impl Filter<'_> {
    /// Whether `t` passes this filter.
    fn matches(&self, t: &Trigger) -> bool {
        match self {
            Filter::Qualifier(values) => values.contains(&t.qualifier.as_str()),
            Filter::TriggerName(values) => values.contains(&t.name.as_str()),
            Filter::Description(values) => values.iter().any(|v| t.description.contains(v)),
        }
    }
}

/// The most filters a request may carry.
const MAX_FILTERS: usize = 10;

/// The `Filters` of ListTriggers; `InvalidParameterValue.Filters` for more than ten, an unknown
/// name or an empty list of values.
fn filters<'p>(ctx: &Ctx<'p>) -> Result<Vec<Filter<'p>>, ApiError> {
    let invalid = |message: String| ApiError::new("InvalidParameterValue.Filters", message);
    let entries = ctx.filters();
    if entries.len() > MAX_FILTERS {
        return Err(invalid(format!(
            "At most {MAX_FILTERS} filters are accepted, got {}.",
            entries.len()
        )));
    }
    entries
        .into_iter()
        .map(|(name, values)| {
            if values.is_empty() {
                return Err(invalid(format!("The filter `{name}` has no values.")));
            }
            match name {
                "Qualifier" => Ok(Filter::Qualifier(values)),
                "TriggerName" => Ok(Filter::TriggerName(values)),
                "Description" => Ok(Filter::Description(values)),
                other => Err(invalid(format!(
                    "Filters.Name must be Qualifier, TriggerName or Description, got `{other}`."
                ))),
            }
        })
        .collect()
}

/// ListTriggers: the function's triggers passing every filter, sorted by `OrderBy` (`mod_time`
/// by default, or `add_time`) in `Order` (`DESC` by default), paged by `Offset` and `Limit`
/// (default 20), as `TriggerInfo` objects.
fn list(ctx: &Ctx<'_>) -> Answer {
    let page = ctx.unsigned_page(20);
    let descending = ctx.descending(true)?;
    let by_add_time = match ctx.str("OrderBy").unwrap_or("mod_time") {
        "add_time" => true,
        "mod_time" => false,
        other => {
            return Err(ApiError::new(
                "InvalidParameterValue.OrderBy",
                format!("OrderBy must be add_time or mod_time, got `{other}`."),
            ));
        }
    };
    let filters = filters(ctx)?;
    let store = ctx.store();
    // ListTriggers documents no `ResourceNotFound.*` code, only the common `ResourceNotFound`.
    let function = find(&store, ctx.namespace(), ctx.required("FunctionName"))
        .map_err(not_found_as("ResourceNotFound"))?;
    let mut triggers: Vec<&Trigger> = function
        .triggers
        .values()
        .filter(|t| filters.iter().all(|f| f.matches(t)))
        .collect();
    triggers.sort_by(|a, b| {
        let time = |t: &Trigger| if by_add_time { t.added } else { t.modified };
        (time(a), &a.qualifier, &a.name).cmp(&(time(b), &b.qualifier, &b.name))
    });
    if descending {
        triggers.reverse();
    }
    let (triggers, total) = paged(triggers, page);
    let mut out = Map::new();
    // `trigger_json` renders every required member of `TriggerInfo` (whose `Enable` is the
    // same 0 or 1); the optional `BoundResources` is left out.
    out.insert(
        "Triggers".into(),
        triggers.into_iter().map(trigger_json).collect(),
    );
    out.insert("TotalCount".into(), json!(total));
    Ok(out)
}

/// The updated `TriggerDesc` of a CKafka trigger: only `Retry`, `MaxMsgNum` and `TimeOut` may
/// differ from the stored configuration.
fn ckafka_desc(stored: &str, given: &str) -> Result<String, ApiError> {
    let mut merged = serde_json::from_str::<Map<String, Value>>(stored).unwrap_or_default();
    for (member, value) in json_object("ckafka", given)? {
        if !CKAFKA_UPDATABLE.contains(&member.as_str()) && merged.get(&member) != Some(&value) {
            return Err(invalid_desc(format!(
                "Only {} of a CKafka trigger's TriggerDesc can change, not `{member}`.",
                CKAFKA_UPDATABLE.join(", ")
            )));
        }
        merged.insert(member, value);
    }
    Ok(Value::Object(merged).to_string())
}

/// UpdateTrigger: changes `Enable`, `TriggerDesc`, `Description` and `CustomArgument` of a timer,
/// CKafka or http trigger; members left out keep their values.
fn update(ctx: &Ctx<'_>) -> Answer {
    let kind = ctx.required("Type");
    check_type(kind, UPDATABLE_TYPES)?;
    let enabled = enable(ctx)?;
    let mut store = ctx.store();
    let function = find_mut(&mut store, ctx.namespace(), ctx.required("FunctionName"))?;
    ensure_default_alias(function);
    let trigger = locate_mut(ctx, function, kind)?;
    // Check the new configuration before changing anything.
    let desc = match ctx.str("TriggerDesc") {
        None => None,
        Some(given) => Some(match kind {
            "timer" => timer_desc(given, true)?,
            "ckafka" => ckafka_desc(&trigger.desc, given)?,
            _ => json_object(kind, given).map(|_| given.to_owned())?,
        }),
    };
    if let Some(desc) = desc {
        trigger.desc = desc;
    }
    if let Some(enabled) = enabled {
        trigger.enabled = enabled;
    }
    if let Some(description) = ctx.str("Description") {
        description.clone_into(&mut trigger.description);
    }
    if let Some(argument) = ctx.str("CustomArgument") {
        argument.clone_into(&mut trigger.custom_argument);
    }
    trigger.modified = ctx.now;
    Ok(Map::new())
}

/// UpdateTriggerStatus: enables (`OPEN`) or disables (`CLOSE`) a timer, COS or CKafka trigger.
fn update_status(ctx: &Ctx<'_>) -> Answer {
    let kind = ctx.required("Type");
    check_type(kind, SWITCHABLE_TYPES)?;
    let Some(enabled) = enable(ctx)? else {
        return Err(ApiError::new(
            "InvalidParameterValue.Enable",
            "Enable must be OPEN or CLOSE.",
        ));
    };
    let mut store = ctx.store();
    let function = find_mut(&mut store, ctx.namespace(), ctx.required("FunctionName"))?;
    ensure_default_alias(function);
    let trigger = locate_mut(ctx, function, kind)?;
    trigger.enabled = enabled;
    trigger.modified = ctx.now;
    Ok(Map::new())
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::super::versions::testing::Harness;
    use crate::state::datetime;

    /// Creates a trigger on function `demo` with `extra` members merged in.
    fn create(h: &Harness, name: &str, kind: &str, desc: &str, extra: Value) -> Map<String, Value> {
        let mut params = json!({"FunctionName": "demo", "TriggerName": name, "Type": kind,
                                "TriggerDesc": desc});
        if let (Some(params), Value::Object(extra)) = (params.as_object_mut(), extra) {
            params.extend(extra);
        }
        h.ok("CreateTrigger", params)
    }

    /// The trigger `name` as ListTriggers shows it (on any qualifier).
    fn listed(h: &Harness, name: &str) -> Value {
        let out = h.ok(
            "ListTriggers",
            json!({"FunctionName": "demo",
                   "Filters": [{"Name": "TriggerName", "Values": [name]}]}),
        );
        assert_eq!(out["TotalCount"], 1, "{out:?}");
        out["Triggers"][0].clone()
    }

    /// The trigger names of a ListTriggers answer.
    fn names(out: &Map<String, Value>) -> Vec<String> {
        out["Triggers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["TriggerName"].as_str().map(str::to_owned))
            .collect()
    }

    #[test]
    fn create_answers_the_trigger() {
        let h = Harness::new();
        let now = h.next_time();
        let out = create(
            &h,
            "every-2-min",
            "timer",
            "0 */2 * * * * *",
            json!({"CustomArgument": "arg", "Description": "tick"}),
        );
        assert_eq!(
            out["TriggerInfo"],
            json!({
                "TriggerName": "every-2-min",
                "Type": "timer",
                "TriggerDesc": "{\"cron\":\"0 */2 * * * * *\"}",
                "Qualifier": "$LATEST",
                "Enable": 1,
                "CustomArgument": "arg",
                "Description": "tick",
                "AvailableStatus": "Available",
                "BindStatus": "",
                "ResourceId": "",
                "TriggerAttribute": "",
                "AddTime": datetime(now),
                "ModTime": datetime(now),
            })
        );
        assert_eq!(listed(&h, "every-2-min"), out["TriggerInfo"]);
        // GetFunction shows the triggers of the version it describes.
        let function = h.ok("GetFunction", json!({"FunctionName": "demo"}));
        assert_eq!(function["Triggers"][0]["TriggerName"], "every-2-min");

        // The JSON form of a timer description, month and weekday names, a closed trigger.
        let out = create(
            &h,
            "json",
            "timer",
            r#"{"cron": "0 0 12 ? JAN-jun MON,FRI 2030"}"#,
            json!({"Enable": "CLOSE"}),
        );
        assert_eq!(
            out["TriggerInfo"]["TriggerDesc"],
            r#"{"cron":"0 0 12 ? JAN-jun MON,FRI 2030"}"#
        );
        assert_eq!(out["TriggerInfo"]["Enable"], 0);
        // Other types keep their JSON text as given.
        let desc = r#"{"event":"cos:ObjectCreated:*"}"#;
        let out = create(
            &h,
            "bucket-1.cos.ap-shanghai.myqcloud.com",
            "cos",
            desc,
            json!({}),
        );
        assert_eq!(out["TriggerInfo"]["TriggerDesc"], desc);
        let out = h.ok(
            "CreateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "url", "Type": "http"}),
        );
        assert_eq!(out["TriggerInfo"]["TriggerDesc"], "");
    }

    #[test]
    fn names_are_unique_per_qualifier() {
        let h = Harness::new();
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        create(&h, "t", "timer", "0 0 * * * * *", json!({}));
        assert_eq!(
            h.code(
                "CreateTrigger",
                json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                       "TriggerDesc": "0 0 * * * * *", "Qualifier": "$LATEST"})
            ),
            "ResourceInUse.Trigger"
        );
        for qualifier in ["1", "$DEFAULT"] {
            let out = create(
                &h,
                "t",
                "timer",
                "0 0 * * * * *",
                json!({"Qualifier": qualifier}),
            );
            assert_eq!(out["TriggerInfo"]["Qualifier"], qualifier);
        }
        let out = h.ok("ListTriggers", json!({"FunctionName": "demo"}));
        assert_eq!(out["TotalCount"], 3);
    }

    #[test]
    fn create_errors() {
        let h = Harness::new();
        let code = |params: Value| h.code("CreateTrigger", params);
        let timer = |desc: &str| {
            code(
                json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                        "TriggerDesc": desc}),
            )
        };
        for bad in [
            "",
            "* * * * *",
            "0 */2 * * * *",
            "60 * * * * * *",
            "0 0 24 * * * *",
            "0 0 0 0 * * *",
            "0 0 0 * 13 * *",
            "0 0 0 * * 7 *",
            "0 0 0 * * * 1969",
            "0 0 0 * * * 2100",
            "0 */0 * * * * *",
            "0 5-1 * * * * *",
            "? * * * * * *",
            "0 a * * * * *",
            "0 +5 * * * * *",
            "0 1,,2 * * * * *",
            r#"{"schedule": "0 0 * * * * *"}"#,
            "{not json",
        ] {
            assert_eq!(timer(bad), "InvalidParameterValue.TriggerDesc", "{bad:?}");
        }
        assert_eq!(
            code(json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer"})),
            "InvalidParameterValue.TriggerDesc"
        );
        assert_eq!(
            code(json!({"FunctionName": "demo", "TriggerName": "b", "Type": "cos"})),
            "InvalidParameterValue.TriggerDesc"
        );
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "TriggerName": "k", "Type": "ckafka",
                        "TriggerDesc": "[1]"})
            ),
            "InvalidParameterValue.TriggerDesc"
        );
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "TriggerName": "t", "Type": "ftp",
                        "TriggerDesc": "{}"})
            ),
            "InvalidParameterValue.Type"
        );
        for bad in ["", "has space", "dot.ted", &"t".repeat(101)] {
            assert_eq!(
                code(
                    json!({"FunctionName": "demo", "TriggerName": bad, "Type": "timer",
                            "TriggerDesc": "0 0 * * * * *"})
                ),
                "InvalidParameterValue.TriggerName",
                "{bad}"
            );
        }
        assert_eq!(
            code(json!({"FunctionName": "demo", "TriggerName": "a b", "Type": "ckafka"})),
            "InvalidParameterValue.TriggerName"
        );
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                        "TriggerDesc": "0 0 * * * * *", "Enable": "TRUE"})
            ),
            "InvalidParameterValue.Enable"
        );
        for missing in ["1", "prod", "01"] {
            assert_eq!(
                code(
                    json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                            "TriggerDesc": "0 0 * * * * *", "Qualifier": missing})
                ),
                "ResourceNotFound.Qualifier",
                "{missing}"
            );
        }
        assert_eq!(
            code(
                json!({"FunctionName": "nope", "TriggerName": "t", "Type": "timer",
                        "TriggerDesc": "0 0 * * * * *"})
            ),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                        "TriggerDesc": "0 0 * * * * *", "Namespace": "nope"})
            ),
            "ResourceNotFound.Namespace"
        );
    }

    #[test]
    fn delete_removes_the_trigger() {
        let h = Harness::new();
        create(&h, "t", "timer", "0 0 * * * * *", json!({}));
        let desc = r#"{"event":"cos:ObjectCreated:*"}"#;
        create(&h, "b", "cos", desc, json!({}));
        h.ok(
            "DeleteTrigger",
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer"}),
        );
        // COS triggers are matched by configuration, not by its spelling.
        h.ok(
            "DeleteTrigger",
            json!({"FunctionName": "demo", "TriggerName": "b", "Type": "cos",
                   "TriggerDesc": "{ \"event\": \"cos:ObjectCreated:*\" }"}),
        );
        let out = h.ok("ListTriggers", json!({"FunctionName": "demo"}));
        assert_eq!(out["TotalCount"], 0);
    }

    #[test]
    fn delete_errors() {
        let h = Harness::new();
        create(&h, "t", "timer", "0 0 * * * * *", json!({}));
        create(
            &h,
            "b",
            "cos",
            r#"{"event":"cos:ObjectCreated:*"}"#,
            json!({}),
        );
        let code = |params: Value| h.code("DeleteTrigger", params);
        assert_eq!(
            code(json!({"FunctionName": "demo", "TriggerName": "t", "Type": "cmq"})),
            "ResourceNotFound.Trigger"
        );
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                        "Qualifier": "1"})
            ),
            "ResourceNotFound.Trigger"
        );
        assert_eq!(
            code(json!({"FunctionName": "demo", "TriggerName": "nope", "Type": "timer"})),
            "ResourceNotFound.Trigger"
        );
        assert_eq!(
            code(json!({"FunctionName": "demo", "TriggerName": "b", "Type": "cos"})),
            "InvalidParameterValue.TriggerDesc"
        );
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "TriggerName": "b", "Type": "cos",
                        "TriggerDesc": r#"{"event":"cos:ObjectRemove:*"}"#})
            ),
            "ResourceNotFound.Trigger"
        );
        assert_eq!(
            code(json!({"FunctionName": "demo", "TriggerName": "t", "Type": "ftp"})),
            "InvalidParameterValue.Type"
        );
        assert_eq!(
            code(json!({"FunctionName": "nope", "TriggerName": "t", "Type": "timer"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                        "Namespace": "nope"})
            ),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            h.ok("ListTriggers", json!({"FunctionName": "demo"}))["TotalCount"],
            2
        );
    }

    #[test]
    fn list_sorts_filters_and_pages() {
        let h = Harness::new();
        h.ok("PublishVersion", json!({"FunctionName": "demo"}));
        // Created a, b, c in that order; then a is modified last.
        create(
            &h,
            "a",
            "timer",
            "0 0 * * * * *",
            json!({"Description": "nightly job"}),
        );
        create(&h, "b", "timer", "0 0 * * * * *", json!({"Qualifier": "1"}));
        create(&h, "c", "ckafka", "{}", json!({"Description": "queue"}));
        h.ok(
            "UpdateTriggerStatus",
            json!({"FunctionName": "demo", "TriggerName": "a", "Type": "timer", "Enable": "CLOSE"}),
        );
        let list = |params: Value| {
            let mut all = json!({"FunctionName": "demo"});
            if let (Some(all), Value::Object(params)) = (all.as_object_mut(), params) {
                all.extend(params);
            }
            h.ok("ListTriggers", all)
        };
        let out = list(json!({}));
        assert_eq!(names(&out), ["a", "c", "b"]);
        assert_eq!(out["TotalCount"], 3);
        assert_eq!(out["Triggers"][0]["Enable"], 0);
        assert_eq!(names(&list(json!({"Order": "ASC"}))), ["b", "c", "a"]);
        assert_eq!(
            names(&list(json!({"OrderBy": "add_time"}))),
            ["c", "b", "a"]
        );
        assert_eq!(
            names(&list(json!({"OrderBy": "add_time", "Order": "asc"}))),
            ["a", "b", "c"]
        );

        let filtered = |name: &str, values: Value| {
            names(&list(
                json!({"Filters": [{"Name": name, "Values": values}], "Order": "ASC",
                       "OrderBy": "add_time"}),
            ))
        };
        assert_eq!(filtered("Qualifier", json!(["$LATEST"])), ["a", "c"]);
        assert_eq!(filtered("Qualifier", json!(["1", "prod"])), ["b"]);
        assert_eq!(filtered("TriggerName", json!(["c", "a"])), ["a", "c"]);
        assert_eq!(filtered("Description", json!(["job", "queue"])), ["a", "c"]);
        assert_eq!(filtered("Description", json!(["night"])), ["a"]);
        let out = list(json!({"Filters": [
            {"Name": "Qualifier", "Values": ["$LATEST"]},
            {"Name": "Description", "Values": ["queue"]}]}));
        assert_eq!(names(&out), ["c"]);
        assert_eq!(out["TotalCount"], 1);

        let page = |offset: u64, limit: u64| {
            let out = list(json!({"Offset": offset, "Limit": limit, "Order": "ASC",
                                  "OrderBy": "add_time"}));
            assert_eq!(out["TotalCount"], 3);
            names(&out)
        };
        assert_eq!(page(0, 2), ["a", "b"]);
        assert_eq!(page(2, 2), ["c"]);
        assert!(page(3, 2).is_empty());
        assert!(page(0, 0).is_empty());
        assert!(page(u64::MAX, u64::MAX).is_empty());
    }

    #[test]
    fn list_errors() {
        let h = Harness::new();
        let code = |params: Value| h.code("ListTriggers", params);
        assert_eq!(
            code(json!({"FunctionName": "demo", "Order": "UP"})),
            "InvalidParameterValue.Order"
        );
        assert_eq!(
            code(json!({"FunctionName": "demo", "OrderBy": "AddTime"})),
            "InvalidParameterValue.OrderBy"
        );
        assert_eq!(
            code(
                json!({"FunctionName": "demo", "Filters": [{"Name": "Type", "Values": ["timer"]}]})
            ),
            "InvalidParameterValue.Filters"
        );
        assert_eq!(
            code(json!({"FunctionName": "demo", "Filters": [{"Name": "Qualifier", "Values": []}]})),
            "InvalidParameterValue.Filters"
        );
        let eleven: Vec<Value> = (0..11)
            .map(|_| json!({"Name": "Qualifier", "Values": ["$LATEST"]}))
            .collect();
        assert_eq!(
            code(json!({"FunctionName": "demo", "Filters": eleven})),
            "InvalidParameterValue.Filters"
        );
        assert_eq!(code(json!({"FunctionName": "nope"})), "ResourceNotFound");
        assert_eq!(
            code(json!({"FunctionName": "demo", "Namespace": "nope"})),
            "ResourceNotFound"
        );
    }

    #[test]
    fn update_changes_given_members_only() {
        let h = Harness::new();
        create(
            &h,
            "t",
            "timer",
            "0 0 * * * * *",
            json!({"Description": "d", "CustomArgument": "c"}),
        );
        let now = h.next_time();
        h.ok(
            "UpdateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                   "TriggerDesc": "*/5 * * * *"}),
        );
        let t = listed(&h, "t");
        assert_eq!(t["TriggerDesc"], r#"{"cron":"*/5 * * * *"}"#);
        assert_eq!(t["Description"], "d");
        assert_eq!(t["CustomArgument"], "c");
        assert_eq!(t["Enable"], 1);
        assert_eq!(t["ModTime"], datetime(now));
        h.ok(
            "UpdateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                   "Enable": "CLOSE", "Description": "", "CustomArgument": "new"}),
        );
        let t = listed(&h, "t");
        assert_eq!(t["TriggerDesc"], r#"{"cron":"*/5 * * * *"}"#);
        assert_eq!(t["Description"], "");
        assert_eq!(t["CustomArgument"], "new");
        assert_eq!(t["Enable"], 0);
    }

    #[test]
    fn update_ckafka_and_http() {
        let h = Harness::new();
        create(
            &h,
            "k",
            "ckafka",
            r#"{"maxMsgNum":"50","offset":"latest","Retry":1}"#,
            json!({}),
        );
        h.ok(
            "UpdateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "k", "Type": "ckafka",
                   "TriggerDesc": r#"{"Retry": 3, "TimeOut": 60, "offset": "latest"}"#}),
        );
        let t = listed(&h, "k");
        let desc: Value =
            serde_json::from_str(t["TriggerDesc"].as_str().unwrap_or_default()).unwrap_or_default();
        assert_eq!(
            desc,
            json!({"maxMsgNum": "50", "offset": "latest", "Retry": 3, "TimeOut": 60})
        );
        assert_eq!(
            h.code(
                "UpdateTrigger",
                json!({"FunctionName": "demo", "TriggerName": "k", "Type": "ckafka",
                       "TriggerDesc": r#"{"offset": "earliest"}"#})
            ),
            "InvalidParameterValue.TriggerDesc"
        );

        h.ok(
            "CreateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "url", "Type": "http",
                   "TriggerDesc": r#"{"AuthType":"NONE"}"#}),
        );
        h.ok(
            "UpdateTrigger",
            json!({"FunctionName": "demo", "TriggerName": "url", "Type": "http",
                   "TriggerDesc": r#"{"AuthType":"CAM"}"#}),
        );
        assert_eq!(listed(&h, "url")["TriggerDesc"], r#"{"AuthType":"CAM"}"#);
    }

    #[test]
    fn update_errors() {
        let h = Harness::new();
        create(&h, "t", "timer", "0 0 * * * * *", json!({}));
        let code = |extra: Value| {
            let mut params = json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer"});
            if let (Some(params), Value::Object(extra)) = (params.as_object_mut(), extra) {
                params.extend(extra);
            }
            h.code("UpdateTrigger", params)
        };
        assert_eq!(code(json!({"Type": "cos"})), "InvalidParameterValue.Type");
        assert_eq!(code(json!({"Enable": ""})), "InvalidParameterValue.Enable");
        assert_eq!(
            code(json!({"TriggerDesc": "0 0 * * *  * * *"})),
            "InvalidParameterValue.TriggerDesc"
        );
        assert_eq!(
            code(json!({"TriggerName": "nope"})),
            "ResourceNotFound.Trigger"
        );
        assert_eq!(code(json!({"Type": "ckafka"})), "ResourceNotFound.Trigger");
        assert_eq!(
            code(json!({"Qualifier": "9"})),
            "ResourceNotFound.Qualifier"
        );
        assert_eq!(
            code(json!({"FunctionName": "nope"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            code(json!({"Namespace": "nope"})),
            "ResourceNotFound.Namespace"
        );
        // A failed update changes nothing.
        let t = listed(&h, "t");
        assert_eq!(t["TriggerDesc"], r#"{"cron":"0 0 * * * * *"}"#);
        assert_eq!(t["Enable"], 1);
    }

    #[test]
    fn update_status_switches() {
        let h = Harness::new();
        create(&h, "t", "timer", "0 0 * * * * *", json!({}));
        let desc = r#"{"event":"cos:ObjectCreated:*"}"#;
        create(&h, "b", "cos", desc, json!({"Enable": "CLOSE"}));
        let switch = |name: &str, kind: &str, enable: &str| {
            h.ok(
                "UpdateTriggerStatus",
                json!({"FunctionName": "demo", "TriggerName": name, "Type": kind,
                       "Enable": enable, "TriggerDesc": desc}),
            )
        };
        switch("t", "timer", "CLOSE");
        assert_eq!(listed(&h, "t")["Enable"], 0);
        switch("t", "timer", "OPEN");
        assert_eq!(listed(&h, "t")["Enable"], 1);
        switch("b", "cos", "OPEN");
        assert_eq!(listed(&h, "b")["Enable"], 1);
    }

    #[test]
    fn update_status_errors() {
        let h = Harness::new();
        create(&h, "t", "timer", "0 0 * * * * *", json!({}));
        create(
            &h,
            "b",
            "cos",
            r#"{"event":"cos:ObjectCreated:*"}"#,
            json!({}),
        );
        let code = |params: Value| {
            let mut all = json!({"FunctionName": "demo", "TriggerName": "t", "Type": "timer",
                                 "Enable": "CLOSE"});
            if let (Some(all), Value::Object(params)) = (all.as_object_mut(), params) {
                all.extend(params);
            }
            h.code("UpdateTriggerStatus", all)
        };
        assert_eq!(
            code(json!({"Enable": "close"})),
            "InvalidParameterValue.Enable"
        );
        assert_eq!(code(json!({"Type": "http"})), "InvalidParameterValue.Type");
        assert_eq!(
            code(json!({"TriggerName": "b", "Type": "cos"})),
            "InvalidParameterValue.TriggerDesc"
        );
        assert_eq!(
            code(json!({"TriggerName": "b", "Type": "cos", "TriggerDesc": "{}"})),
            "ResourceNotFound.Trigger"
        );
        assert_eq!(
            code(json!({"TriggerName": "x"})),
            "ResourceNotFound.Trigger"
        );
        assert_eq!(
            code(json!({"Qualifier": "prod"})),
            "ResourceNotFound.Qualifier"
        );
        assert_eq!(
            code(json!({"FunctionName": "nope"})),
            "ResourceNotFound.Function"
        );
        assert_eq!(
            code(json!({"Namespace": "nope"})),
            "ResourceNotFound.Namespace"
        );
        assert_eq!(listed(&h, "t")["Enable"], 1);
    }
}
