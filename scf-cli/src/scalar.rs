//! One command-line value as JSON: typed parsing of scalars, JSON text for nested members, and
//! `file://PATH` (the file's text) and `fileb://PATH` (its bytes, base64-encoded) anywhere a
//! value is read.

use base64::Engine;
use serde_json::Value;

use crate::failure::Failure;
use crate::table::{Kind, MemberDef};

/// The text of a value: `file://PATH` reads the file, `fileb://PATH` reads it as base64.
pub fn resolve_text(flag: &str, raw: &str) -> Result<String, Failure> {
    if let Some(path) = raw.strip_prefix("file://") {
        std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("{flag}: cannot read {path}: {e}")))
    } else if let Some(path) = raw.strip_prefix("fileb://") {
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::usage(format!("{flag}: cannot read {path}: {e}")))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
    } else {
        Ok(raw.to_owned())
    }
}

/// Parses JSON text given for `flag`.
pub fn parse_json(flag: &str, text: &str, sensitive: bool) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|e| {
        if sensitive {
            Failure::usage(format!("{flag}: not valid JSON"))
        } else {
            Failure::usage(format!("{flag}: not valid JSON: {e}"))
        }
    })
}

/// The values given for a member's flag, as the member's JSON value: a scalar, an object
/// (JSON text), or a list (several values, or one JSON array).
pub fn member_value(flag: &str, member: &MemberDef, raws: &[&str]) -> Result<Value, Failure> {
    let texts = raws
        .iter()
        .map(|raw| resolve_text(flag, raw))
        .collect::<Result<Vec<_>, _>>()?;
    let json_list = texts.len() == 1 && texts[0].trim_start().starts_with('[');
    match (member.kind, member.list) {
        (Kind::Object(_), _) => parse_json(flag, &texts[0], member.sensitive),
        (_, true) if json_list => parse_json(flag, &texts[0], member.sensitive),
        (kind, true) => texts
            .iter()
            .map(|t| scalar(flag, member, kind, t))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (kind, false) => scalar(flag, member, kind, &texts[0]),
    }
}

/// One scalar of `kind`; the message names the value unless the member is sensitive.
fn scalar(flag: &str, member: &MemberDef, kind: Kind, text: &str) -> Result<Value, Failure> {
    let bad = |expected: &str| {
        if member.sensitive {
            Failure::usage(format!("{flag}: expected {expected}"))
        } else {
            Failure::usage(format!("{flag}: expected {expected}, got `{text}`"))
        }
    };
    let trimmed = text.trim();
    match kind {
        Kind::String => Ok(Value::String(text.to_owned())),
        Kind::Integer => trimmed
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad("an integer")),
        Kind::Unsigned => trimmed
            .parse::<u64>()
            .map(Value::from)
            .map_err(|_| bad("a non-negative integer")),
        Kind::Float => trimmed
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| bad("a number")),
        Kind::Boolean => match trimmed {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("`true` or `false`")),
        },
        Kind::Datetime if is_datetime(trimmed) => Ok(Value::String(trimmed.to_owned())),
        Kind::Datetime => Err(bad("a date and time `YYYY-MM-DD HH:MM:SS`")),
        Kind::Object(_) => parse_json(flag, text, member.sensitive),
    }
}

/// Whether `s` is a date and time as the service writes them: `YYYY-MM-DD HH:MM:SS`, with a
/// valid month, day, hour, minute and second.
pub fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' {
        return false;
    }
    if b[13] != b':' || b[16] != b':' {
        return false;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        let part = &s[from..to];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(_), Some(month), Some(day)) = (num(0, 4), num(5, 7), num(8, 10)) else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) = (num(11, 13), num(14, 16), num(17, 19)) else {
        return false;
    };
    (1..=12).contains(&month) && (1..=31).contains(&day) && hour < 24 && minute < 60 && second < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMBER: MemberDef = MemberDef {
        name: "Limit",
        flag: "limit",
        kind: Kind::Integer,
        list: false,
        required: false,
        closed: false,
        values: &[],
        sensitive: false,
        deprecated: false,
        docs: "",
        example: None,
    };

    #[test]
    fn scalars_are_typed() {
        assert_eq!(member_value("--Limit", &MEMBER, &["20"]).unwrap(), 20);
        let e = member_value("--Limit", &MEMBER, &["many"]).unwrap_err();
        assert_eq!(e.message, "--Limit: expected an integer, got `many`");
        let list = MemberDef {
            list: true,
            ..MEMBER
        };
        assert_eq!(
            member_value("--L", &list, &["1", "2"]).unwrap(),
            serde_json::json!([1, 2])
        );
        assert_eq!(
            member_value("--L", &list, &["[3]"]).unwrap(),
            serde_json::json!([3])
        );
        let secret = MemberDef {
            kind: Kind::Boolean,
            sensitive: true,
            ..MEMBER
        };
        let e = member_value("--S", &secret, &["hunter2"]).unwrap_err();
        assert!(!e.message.contains("hunter2"), "{e}");
    }

    #[test]
    fn datetimes() {
        assert!(is_datetime("2024-12-14 23:59:59"));
        assert!(!is_datetime("2024-13-14 23:59:59"));
        assert!(!is_datetime("2024-12-14T23:59:59"));
        assert!(!is_datetime("2024-12-14 24:00:00"));
        assert!(!is_datetime("2024-12-14"));
    }
}
