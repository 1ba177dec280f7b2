//! What a trigger's name and `TriggerDesc` must look like, per type: timer names and cron
//! expressions, JSON descriptions, and what UpdateTrigger may change.

use serde_json::{Map, Value, json};

use crate::error::ApiError;

/// The `TriggerDesc` members of a CKafka trigger that UpdateTrigger may change.
const CKAFKA_UPDATABLE: &[&str] = &["Retry", "MaxMsgNum", "TimeOut"];

/// An `InvalidParameterValue.TriggerDesc` error.
pub(super) fn invalid_desc(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidParameterValue.TriggerDesc", message)
}

/// Trigger names: for timers 1 to 100 letters, digits, `-` and `_`; for other types (whose names
/// follow the source product, e.g. a COS bucket domain) non-empty without whitespace or control
/// characters.
pub(super) fn check_trigger_name(kind: &str, name: &str) -> Result<(), ApiError> {
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
pub(super) fn check_cron(expression: &str, five_fields: bool) -> Result<(), ApiError> {
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
pub(super) fn json_object(kind: &str, desc: &str) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_str::<Value>(desc) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(invalid_desc(format!(
            "The TriggerDesc of a {kind} trigger must be a JSON object."
        ))),
    }
}

/// The stored form of a timer's `TriggerDesc` given as a cron expression or as
/// `{"cron":"<expression>"}`.
pub(super) fn timer_desc(desc: &str, five_fields: bool) -> Result<String, ApiError> {
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
pub(super) fn new_desc(kind: &str, desc: Option<&str>) -> Result<String, ApiError> {
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
pub(super) fn same_desc(stored: &str, given: &str) -> bool {
    match (
        serde_json::from_str::<Value>(stored),
        serde_json::from_str::<Value>(given),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => stored == given,
    }
}

/// The updated `TriggerDesc` of a CKafka trigger: only `Retry`, `MaxMsgNum` and `TimeOut` may
/// differ from the stored configuration.
pub(super) fn ckafka_desc(stored: &str, given: &str) -> Result<String, ApiError> {
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
