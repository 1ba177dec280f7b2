//! The layering rules of scf-local's sources, checked by reading them:
//!
//! - server -> service -> handlers -> context -> model, never back up;
//! - a handler area (a module under `src/handlers` with a route table) never uses another area:
//!   areas use the model, the request context and the error type, and share nothing else;
//! - the model (`src/state/`, `src/history.rs`) uses nothing above it: not the handlers, the
//!   service, the server, authentication, the builder or the request context;
//! - the runtime (`src/runtime/`, running function code) uses none of those nor the model.
//!
//! Every path that starts with `crate`, `super` or `self` is resolved against the module it
//! appears in (inline `mod name { ... }` blocks included), with `use` trees expanded; comments,
//! strings and character literals are skipped, so mentioning a module in prose is fine.

use std::path::{Path, PathBuf};

/// A resolved path and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Use {
    line: usize,
    path: Vec<String>,
}

/// `text` with comments, strings and character literals blanked out (newlines kept).
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('#') | Some('"')) && !prev_is_ident(&chars, i) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let end: String = std::iter::once('"')
                .chain("#".repeat(hashes).chars())
                .collect();
            let body_start = i + 2 + hashes;
            let rest: String = chars[body_start..].iter().collect();
            let len = rest.find(&end).map_or(rest.len(), |n| n + end.len());
            let skipped = body_start - i + rest[..len].chars().count();
            for k in 0..skipped {
                out.push(blank(chars[i + k]));
            }
            i += skipped;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let step = if chars[i] == '\\' { 2 } else { 1 };
                for k in 0..step {
                    if let Some(&ch) = chars.get(i + k) {
                        out.push(blank(ch));
                    }
                }
                i += step;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars, i) {
            let close = (i + 1..chars.len()).find(|&k| chars[k] == '\'' && chars[k - 1] != '\\');
            let end = close.map_or(chars.len(), |k| k + 1);
            out.push_str(&" ".repeat(end - i));
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// Whether the `'` at `i` opens a character literal (`'a'`, `'\n'`, `'\u{1F600}'`) rather than
/// a lifetime or label.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some('\\') => true,
        Some(_) => chars.get(i + 2) == Some(&'\''),
        None => false,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Sep,
    Open,
    Close,
    Comma,
    Semi,
    Other,
}

/// Tokens with their line numbers.
fn tokens(code: &str) -> Vec<(Tok, usize)> {
    let chars: Vec<char> = code.chars().collect();
    let (mut out, mut line, mut i) = (Vec::new(), 1, 0);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // A raw identifier `r#name` is the name.
            if word == "r" && chars.get(i) == Some(&'#') {
                i += 1;
                continue;
            }
            out.push((Tok::Ident(word), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push((Tok::Sep, line));
            i += 2;
        } else {
            let tok = match c {
                '{' => Tok::Open,
                '}' => Tok::Close,
                ',' => Tok::Comma,
                ';' => Tok::Semi,
                _ => Tok::Other,
            };
            out.push((tok, line));
            i += 1;
        }
    }
    out
}

/// Expands the use tree starting at `toks[*i]` under `prefix` into full paths.
fn use_tree(toks: &[(Tok, usize)], i: &mut usize, prefix: &[String], out: &mut Vec<Use>) {
    let mut path = prefix.to_vec();
    let line = toks.get(*i).map_or(0, |t| t.1);
    loop {
        match toks.get(*i).map(|t| &t.0) {
            Some(Tok::Ident(word)) if word != "as" => {
                path.push(word.clone());
                *i += 1;
            }
            Some(Tok::Sep) => *i += 1,
            Some(Tok::Open) => {
                *i += 1;
                loop {
                    match toks.get(*i).map(|t| &t.0) {
                        Some(Tok::Close) => {
                            *i += 1;
                            return;
                        }
                        Some(Tok::Comma) => *i += 1,
                        None => return,
                        _ => use_tree(toks, i, &path, out),
                    }
                }
            }
            _ => {
                // `as alias`, `*`, or the end of this branch.
                if matches!(toks.get(*i).map(|t| &t.0), Some(Tok::Ident(w)) if w == "as") {
                    *i += 2;
                }
                while matches!(toks.get(*i).map(|t| &t.0), Some(Tok::Other)) {
                    *i += 1;
                }
                if path.len() > prefix.len() || !path.is_empty() {
                    out.push(Use { line, path });
                }
                return;
            }
        }
    }
}

/// Every `crate`/`super`/`self` path in `source`, resolved to an absolute path, for a file whose
/// module path is `module` (`["crate", "handlers", "aliases"]`).
fn paths(source: &str, module: &[String]) -> Vec<Use> {
    let toks = tokens(&strip(source));
    let mut scopes: Vec<(String, usize)> = Vec::new();
    let (mut depth, mut i, mut raw) = (0usize, 0, Vec::new());
    while i < toks.len() {
        let here: Vec<String> = module
            .iter()
            .cloned()
            .chain(scopes.iter().map(|s| s.0.clone()))
            .collect();
        match &toks[i].0 {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth = depth.saturating_sub(1);
                if scopes.last().is_some_and(|s| s.1 == depth) {
                    scopes.pop();
                }
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some((Tok::Ident(name), _)), Some((Tok::Open, _))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    scopes.push((name.clone(), depth));
                    depth += 1;
                    i += 3;
                    continue;
                }
            }
            Tok::Ident(w) if w == "use" => {
                i += 1;
                let mut found = Vec::new();
                use_tree(&toks, &mut i, &[], &mut found);
                raw.extend(found.into_iter().map(|u| (u, here.clone())));
                continue;
            }
            Tok::Ident(w) if matches!(w.as_str(), "crate" | "super" | "self") => {
                let preceded_by_sep = i > 0 && toks[i - 1].0 == Tok::Sep;
                if !preceded_by_sep && !in_visibility(&toks, i) {
                    let line = toks[i].1;
                    let mut path = vec![w.clone()];
                    let mut j = i + 1;
                    while let (Some((Tok::Sep, _)), Some((Tok::Ident(next), _))) =
                        (toks.get(j), toks.get(j + 1))
                    {
                        path.push(next.clone());
                        j += 2;
                    }
                    raw.push((Use { line, path }, here.clone()));
                    i = j;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    raw.into_iter()
        .filter_map(|(u, here)| resolve(&u, &here))
        .collect()
}

/// Whether the token at `i` is the path of a visibility, `pub(crate)`, `pub(super)` or
/// `pub(in path)`, rather than a use of a module.
fn in_visibility(toks: &[(Tok, usize)], i: usize) -> bool {
    let ident = |k: usize, word: &str| matches!(toks.get(k), Some((Tok::Ident(w), _)) if w == word);
    let open = |k: usize| matches!(toks.get(k), Some((Tok::Other, _)));
    (i >= 2 && open(i - 1) && ident(i - 2, "pub")) || (i >= 1 && ident(i - 1, "in"))
}

/// `u` as an absolute path from the module `here`, when it starts with `crate`, `super` or
/// `self`.
fn resolve(u: &Use, here: &[String]) -> Option<Use> {
    let mut segments = u.path.iter().peekable();
    let mut base: Vec<String> = match segments.peek()?.as_str() {
        "crate" => {
            segments.next();
            vec!["crate".to_owned()]
        }
        "self" => {
            segments.next();
            here.to_vec()
        }
        "super" => here.to_vec(),
        _ => return None,
    };
    while segments.peek().is_some_and(|s| *s == "super") {
        segments.next();
        base.pop();
    }
    base.extend(segments.filter(|s| *s != "self").cloned());
    Some(Use {
        line: u.line,
        path: base,
    })
}

/// The `.rs` files under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The module path of a file under `src`: `src/handlers/aliases.rs` is
/// `crate::handlers::aliases`, `src/state/mod.rs` is `crate::state`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("file under src");
    let mut module = vec!["crate".to_owned()];
    for part in relative.with_extension("").iter() {
        let part = part.to_string_lossy().into_owned();
        if part != "mod" && part != "lib" {
            module.push(part);
        }
    }
    module
}

/// Top-level modules that only the layers above the model may use.
const ABOVE_THE_MODEL: &[&str] = &[
    "handlers", "service", "server", "auth", "builder", "context",
];
/// Top-level modules that the request context may not use.
const ABOVE_THE_CONTEXT: &[&str] = &["handlers", "service", "server", "builder"];
/// Top-level modules the runtime (running function code) may not use: it knows nothing of
/// requests, the store or the handlers; they hand it a `FunctionSpec`.
const ABOVE_THE_RUNTIME: &[&str] = &[
    "handlers", "service", "server", "builder", "context", "state", "history", "auth",
];

/// What breaks the layering in the sources `files` (module path, text); `areas` are the handler
/// modules with a route table.
fn offenders(files: &[(Vec<String>, String, String)], areas: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (module, name, source) in files {
        let top = module.get(1).map(String::as_str).unwrap_or("");
        for u in paths(source, module) {
            let target = u.path.get(1).map(String::as_str).unwrap_or("");
            let problem = match top {
                "handlers" if module.len() > 2 => {
                    let own = &module[2];
                    let other = u.path.get(2).filter(|_| target == "handlers");
                    if target == "handlers" && u.path.len() == 2 {
                        // `use super::*`, `use crate::handlers as h`: a way around the rule.
                        Some(format!(
                            "handler module `{own}` uses the handlers module itself (name what \
                             it needs from it)"
                        ))
                    } else {
                        other
                            .filter(|o| *o != own && areas.contains(o))
                            .map(|o| format!("handler module `{own}` uses handler area `{o}`"))
                    }
                }
                "state" | "history" if ABOVE_THE_MODEL.contains(&target) => {
                    Some(format!("the model uses `crate::{target}`"))
                }
                "context" if ABOVE_THE_CONTEXT.contains(&target) => {
                    Some(format!("the request context uses `crate::{target}`"))
                }
                "runtime" if ABOVE_THE_RUNTIME.contains(&target) => {
                    Some(format!("the runtime uses `crate::{target}`"))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                found.push(format!(
                    "{name}:{}: `{}`: {problem}",
                    u.line,
                    u.path.join("::")
                ));
            }
        }
    }
    found
}

#[test]
fn handlers_use_the_model_never_each_other_and_the_model_uses_nothing_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files: Vec<(Vec<String>, String, String)> = rust_files(&src)
        .into_iter()
        .filter(|f| !f.ends_with("main.rs"))
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("readable source file");
            let name = f.strip_prefix(&src).unwrap().display().to_string();
            (module_of(&src, &f), name, text)
        })
        .collect();
    let areas: Vec<String> = files
        .iter()
        .filter(|(m, _, text)| {
            m.len() == 3 && m[1] == "handlers" && text.contains("pub(crate) const ROUTES")
        })
        .map(|(m, _, _)| m[2].clone())
        .collect();
    assert!(areas.len() >= 9, "handler areas found: {areas:?}");
    let found = offenders(&files, &areas);
    assert!(
        found.is_empty(),
        "layering broken:\n{}\n(handlers use the model, never each other)",
        found.join("\n")
    );
}

/// The checker on sources written to break (or to only seem to break) the rules.
#[test]
fn the_checker_finds_what_breaks_the_rules_and_ignores_prose() {
    let module = |m: &str| m.split("::").map(str::to_owned).collect::<Vec<_>>();
    let areas = vec![
        "aliases".to_owned(),
        "functions".to_owned(),
        "versions".to_owned(),
    ];
    let aliases = "\
//! Uses crate::handlers::functions in prose only: `super::functions::find`.
use super::{functions::find, Answer};
use crate::state::Function;
/* block comment: crate::handlers::versions::x */
fn f() { let s = \"crate::handlers::versions\"; let c = '\\''; super::versions::remove(); }
pub(super) fn g<'a>(x: &'a str) -> &'a str { x }
mod tests {
    use super::super::versions::testing::Harness;
    use super::*;
    use crate::handlers::testing::Harness2;
}
use super::*;
pub(in crate::handlers) fn h() {}
";
    let state = "use crate::{handlers::{self, Answer}, error::ApiError};\nuse super::Millis;\n";
    let files = vec![
        (
            module("crate::handlers::aliases"),
            "aliases.rs".to_owned(),
            aliases.to_owned(),
        ),
        (
            module("crate::state::function"),
            "state/function.rs".to_owned(),
            state.to_owned(),
        ),
    ];
    let found = offenders(&files, &areas);
    let lines: Vec<&str> = found
        .iter()
        .map(|f| f.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            "aliases.rs:2",
            "aliases.rs:5",
            "aliases.rs:8",
            "aliases.rs:12",
            "state/function.rs:1",
            "state/function.rs:1",
        ],
        "{found:#?}"
    );
    assert!(
        found[0].contains("`crate::handlers::functions::find`"),
        "{found:#?}"
    );
}
