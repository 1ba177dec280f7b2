//! How spec names become Rust names. Wire names stay as they are in `#[serde(rename)]`; these
//! functions only decide the Rust identifiers, and the loader rejects names that collide.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Standard names generated code writes bare (`Option<String>`, `Vec<T>`, `impl Into<T>`): no
/// shared type or enum may be named like one, or it would hide the standard one in its own file.
pub const BARE_STD_NAMES: &[&str] = &["Option", "String", "Vec", "Into"];

/// Names of request-builder methods (generated on every builder, or hand-written on some); an
/// input member may not take these names.
pub const RESERVED_BUILDER_METHODS: &[&str] = &[
    "send",
    "options",
    "into_request",
    "as_request",
    "into_paginator",
    "clone",
    "new",
    // Hand-written on some builders (scf-api/src/ext/, `ext::HELPER_METHODS`); reserved for all so that
    // the rule stays simple.
    "invoke",
    "json_event",
    "tail_log",
    "asynchronous",
    "time_range",
];

/// Keywords that `r#` can escape.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NON_RAW_KEYWORDS: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Whether `s` is PascalCase: ASCII letters and digits, starting with an uppercase letter.
pub fn is_pascal_case(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Whether `s` is an error code: PascalCase segments separated by dots.
pub fn is_error_code(s: &str) -> bool {
    s.split('.').all(is_pascal_case)
}

/// The snake_case form of a wire name, before keyword escaping (`MsgTTL` -> `msg_ttl`).
pub fn field(name: &str) -> String {
    name.to_snake_case()
}

/// The snake_case method name of an action (`GetRequestStatus` -> `get_request_status`).
pub fn method(action: &str) -> String {
    action.to_snake_case()
}

/// The builder method of a waiter (`FunctionActive` -> `wait_until_function_active`).
pub fn waiter_method(waiter: &str) -> String {
    format!("wait_until_{}", waiter.to_snake_case())
}

/// The module (and file) name of a type or action.
pub fn module(name: &str) -> String {
    name.to_snake_case()
}

/// The file stem of a module: its identifier without `r#` (`Self` -> `self_`, `Loop` -> `loop`).
pub fn module_file(name: &str) -> String {
    let ident = snake_ident(&module(name)).to_string();
    ident.trim_start_matches("r#").to_owned()
}

/// The enum variant of an error code: its segments joined, case kept
/// (`LimitExceeded.MsgTTL` -> `LimitExceededMsgTTL`), so codes that differ only in case stay apart.
pub fn error_variant(code: &str) -> String {
    code.split('.').collect()
}

/// The enum variant of a documented value: its ASCII letter-and-digit runs in UpperCamelCase,
/// `&` read as `And`, and `_` kept only between two digits, where joining would merge numbers
/// (`TRUE` -> `True`, `HTTP&HTTPS` -> `HttpAndHttps`, `Session-Based` -> `SessionBased`,
/// `Python3.9` -> `Python3_9`). Empty when the value has no letter or digit; the loader rejects
/// values whose variant is empty, does not start with a letter, or collides with another's.
pub fn enum_variant(value: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c == '&' {
            words.push("And".to_owned());
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut out = String::new();
    for w in words {
        let camel = w.to_upper_camel_case();
        let digit_after_digit = out.ends_with(|c: char| c.is_ascii_digit())
            && camel.starts_with(|c: char| c.is_ascii_digit());
        if digit_after_digit {
            out.push('_');
        }
        out.push_str(&camel);
    }
    out
}

/// A snake_case identifier for a field, setter or module, escaped if it is a keyword.
pub fn snake_ident(snake: &str) -> Ident {
    if NON_RAW_KEYWORDS.contains(&snake) {
        Ident::new(&format!("{snake}_"), Span::call_site())
    } else if RAW_KEYWORDS.contains(&snake) {
        Ident::new_raw(snake, Span::call_site())
    } else {
        Ident::new(snake, Span::call_site())
    }
}

/// A type or variant identifier (PascalCase names are never keywords except `Self`).
pub fn type_ident(name: &str) -> Ident {
    if NON_RAW_KEYWORDS.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_and_keywords() {
        assert_eq!(field("MsgTTL"), "msg_ttl");
        assert_eq!(field("FunctionRequestId"), "function_request_id");
        assert_eq!(snake_ident("type").to_string(), "r#type");
        assert_eq!(snake_ident("async").to_string(), "r#async");
        assert_eq!(snake_ident("self").to_string(), "self_");
        assert_eq!(snake_ident("name").to_string(), "name");
        assert_eq!(type_ident("Self").to_string(), "Self_");
        assert_eq!(module_file("Self"), "self_");
        assert_eq!(module_file("Loop"), "loop");
        assert_eq!(
            error_variant("FailedOperation.CNAME"),
            "FailedOperationCNAME"
        );
        assert_eq!(
            error_variant("FailedOperation.Cname"),
            "FailedOperationCname"
        );
    }

    #[test]
    fn enum_variants() {
        for (value, variant) in [
            ("TRUE", "True"),
            ("RequestResponse", "RequestResponse"),
            ("HTTP&HTTPS", "HttpAndHttps"),
            ("HTTP", "Http"),
            ("Session-Based", "SessionBased"),
            ("QUERY_STRING", "QueryString"),
            ("function_name", "FunctionName"),
            ("Python3.9", "Python3_9"),
            ("Nodejs12.16", "Nodejs12_16"),
            ("Php7", "Php7"),
            ("personal", "Personal"),
            ("", ""),
            ("3.9", "3_9"),
        ] {
            assert_eq!(enum_variant(value), variant, "{value}");
        }
    }

    #[test]
    fn case_checks() {
        assert!(is_pascal_case("MsgTTL"));
        assert!(!is_pascal_case("msgTTL"));
        assert!(!is_pascal_case("Msg_TTL"));
        assert!(!is_pascal_case(""));
        assert!(is_error_code("LimitExceeded.MsgTTL"));
        assert!(!is_error_code("LimitExceeded..X"));
    }
}
