//! The command table of the `scf` command-line client (`scf-cli/src/generated/`): one static,
//! data-only description per action (its input members, pagination and waiters), the member
//! tables of the shared types, and the dispatch from an action's name to the generic call
//! instantiated with its typed request.
//!
//! Everything here is data from the spec; the behaviour (building clap commands, parsing,
//! sending, printing) is the hand-written scf-cli runtime, `scf-cli/src/table.rs` defining the
//! types these tables are made of.

use super::*;

/// The kebab-case form of a wire name (`FunctionName` -> `function-name`,
/// `ListFunctions` -> `list-functions`): the snake_case field name with dashes.
pub fn kebab(name: &str) -> String {
    names::field(name).replace('_', "-")
}

/// The static holding a shared type's member table (`Code` -> `CODE`).
fn type_static(name: &str) -> syn::Ident {
    format_ident!("{}", names::module_file(name).to_uppercase())
}

/// The first sentence of a text, for one-line help.
pub fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text
        .match_indices(". ")
        .map(|(i, _)| i + 1)
        .find(|&i| !text[..i].ends_with("e.g.") && !text[..i].ends_with("i.e."))
        .unwrap_or(text.len());
    text[..end].lines().collect::<Vec<_>>().join(" ")
}

/// A documented value as the command line writes it.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn option_str(value: Option<String>) -> TokenStream {
    match value {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

fn option_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(n) => {
            let n = int_lit(n);
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// One member's `MemberDef` literal.
fn member_def(m: &Member) -> TokenStream {
    let name = &m.name;
    let flag = kebab(&m.name);
    let kind = match &m.ty {
        Ty::String => quote!(Kind::String),
        Ty::Integer => quote!(Kind::Integer),
        Ty::Unsigned => quote!(Kind::Unsigned),
        Ty::Float => quote!(Kind::Float),
        Ty::Boolean => quote!(Kind::Boolean),
        Ty::Datetime => quote!(Kind::Datetime),
        Ty::Named(t) => {
            let t = type_static(t);
            quote!(Kind::Object(&crate::generated::types::#t))
        }
    };
    let list = m.list;
    let required = m.required;
    let closed = m.enum_name.is_some();
    let values: Vec<String> = m.values.iter().map(|v| value_text(&v.value)).collect();
    let sensitive = m.sensitive;
    let deprecated = m.deprecated;
    let docs = first_sentence(&m.docs);
    let example = option_str(m.example.as_ref().map(Value::to_string));
    quote! {
        MemberDef {
            name: #name,
            flag: #flag,
            kind: #kind,
            list: #list,
            required: #required,
            closed: #closed,
            values: &[#(#values),*],
            sensitive: #sensitive,
            deprecated: #deprecated,
            docs: #docs,
            example: #example,
        }
    }
}

/// `scf-cli/src/generated/types.rs`: the member tables of the shared types.
fn types_file(spec: &Spec) -> TokenStream {
    let statics = spec.types.iter().map(|t| {
        let ident = type_static(&t.name);
        let name = &t.name;
        let doc = doc(&format!("`{name}`: {}", first_sentence(&t.docs)));
        let members = t.members.iter().map(member_def);
        quote! {
            #doc
            pub static #ident: TypeDef = TypeDef {
                name: #name,
                members: &[#(#members),*],
            };
        }
    });
    quote! {
        //! The member tables of the shared types, for nested and dotted flags and skeletons.
        use crate::table::{Kind, MemberDef, TypeDef};
        #(#statics)*
    }
}

/// A waiter's `WaiterDef` literal.
fn waiter_def(a: &Action, w: &Waiter) -> TokenStream {
    let name = kebab(&w.name);
    let spec_name = &w.name;
    let action = &a.name;
    let docs = first_sentence(&w.docs);
    let path = &w.state_path;
    let success = &w.success;
    let failure = &w.failure;
    let min = int_lit(w.min_delay_ms);
    let max = int_lit(w.max_delay_ms);
    let timeout = int_lit(w.default_timeout_secs);
    quote! {
        WaiterDef {
            name: #name,
            action: #action,
            docs: #docs,
            state_path: #path,
            poll: ::scf_api::__private::WaiterDef {
                name: #spec_name,
                success: &[#(#success),*],
                failure: &[#(#failure),*],
                min_delay: ::std::time::Duration::from_millis(#min),
                max_delay: ::std::time::Duration::from_millis(#max),
                default_timeout: ::std::time::Duration::from_secs(#timeout),
            },
        }
    }
}

/// `scf-cli/src/generated/actions/<snake>.rs`: one action's `COMMAND`.
fn action_table(a: &Action) -> TokenStream {
    let name = &a.name;
    let kebab_name = kebab(&a.name);
    let summary = first_sentence(&a.summary);
    let docs = &a.docs;
    let members = a.input.iter().map(member_def);
    let paging = match &a.pagination {
        Some(p) => {
            let (offset, limit, items, total) = (&p.offset, &p.limit, &p.items, &p.total);
            let max_window = option_u64(p.max_window);
            quote!(::std::option::Option::Some(PagingDef {
                offset: #offset,
                limit: #limit,
                items: #items,
                total: #total,
                max_window: #max_window,
            }))
        }
        None => quote!(::std::option::Option::None),
    };
    let waiters = a.waiters.iter().map(|w| waiter_def(a, w));
    let example = option_str(a.examples.first().map(|e| e.input.to_string()));
    let doc = doc(&format!("`{name}`: {summary}"));
    let mut imports = vec![format_ident!("CommandDef")];
    if !a.input.is_empty() {
        imports.extend([format_ident!("Kind"), format_ident!("MemberDef")]);
    }
    if a.pagination.is_some() {
        imports.push(format_ident!("PagingDef"));
    }
    if !a.waiters.is_empty() {
        imports.push(format_ident!("WaiterDef"));
    }
    quote! {
        //! The `scf` command of one action.
        use crate::table::{#(#imports),*};
        #doc
        pub static COMMAND: CommandDef = CommandDef {
            name: #name,
            kebab: #kebab_name,
            summary: #summary,
            docs: #docs,
            input: &[#(#members),*],
            paging: #paging,
            waiters: &[#(#waiters),*],
            example_input: #example,
        };
    }
}

/// The function reading a waiter's state from an answer's JSON.
fn state_fn(a: &Action, w: &Waiter) -> (syn::Ident, TokenStream) {
    let ident = format_ident!("state_{}", names::field(&w.name));
    let response = format_ident!("{}Response", a.name);
    let steps = w.state.iter().map(|s| {
        let member = &s.member;
        let first = s.first;
        quote!((#member, #first))
    });
    let doc = doc(&format!(
        "The state of waiter `{}`: `{}` of the answer.",
        w.name, w.state_path
    ));
    let tokens = quote! {
        #doc
        fn #ident(
            answer: &::scf_api::JsonAnswer<::scf_api::actions::#response>,
        ) -> ::std::option::Option<&str> {
            crate::wait::state_at(&answer.json, &[#(#steps),*])
        }
    };
    (ident, tokens)
}

/// `scf-cli/src/generated/dispatch.rs`: action and waiter names to the generic calls.
fn dispatch_file(spec: &Spec) -> TokenStream {
    let call_arms = spec.actions.iter().map(|a| {
        let name = &a.name;
        let request = format_ident!("{}Request", a.name);
        let method = if a.pagination.is_some() {
            quote!(paged)
        } else {
            quote!(single)
        };
        quote!(#name => run.#method::<::scf_api::actions::#request>().await,)
    });
    let mut state_fns = Vec::new();
    let mut wait_arms = Vec::new();
    for a in &spec.actions {
        for w in &a.waiters {
            let (ident, tokens) = state_fn(a, w);
            state_fns.push(tokens);
            let spec_name = &w.name;
            let request = format_ident!("{}Request", a.name);
            wait_arms.push(quote! {
                #spec_name => run.wait::<::scf_api::actions::#request>(waiter, #ident).await,
            });
        }
    }
    quote! {
        //! From an action's or a waiter's name to the generic call with its typed request.
        use crate::call::{Outcome, Run};
        use crate::failure::Failure;
        use crate::table::WaiterDef;

        /// Sends the command's input as its action's typed request (every page of a listing).
        pub(crate) async fn call(run: &Run) -> ::std::result::Result<Outcome, Failure> {
            match run.command.name {
                #(#call_arms)*
                other => ::std::result::Result::Err(Failure::unknown_command(other)),
            }
        }

        /// Polls the waiter's action with the command's input until a final state.
        pub(crate) async fn wait(
            run: &Run,
            waiter: &'static WaiterDef,
        ) -> ::std::result::Result<Outcome, Failure> {
            match waiter.poll.name {
                #(#wait_arms)*
                other => ::std::result::Result::Err(Failure::unknown_command(other)),
            }
        }

        #(#state_fns)*
    }
}

/// Generates `scf-cli/src/generated/` (paths relative to it).
pub fn cli_files(spec: &Spec) -> Result<Vec<GeneratedFile>, EmitError> {
    let mut files = Vec::new();
    let mods: Vec<syn::Ident> = spec
        .actions
        .iter()
        .map(|a| names::snake_ident(&names::module(&a.name)))
        .collect();
    let count = spec.actions.len();
    let mod_doc = inner_doc(&format!(
        "The command table of `scf`, generated from the spec: {count} actions, {} shared types, \
         {} waiters.",
        spec.types.len(),
        spec.actions.iter().map(|a| a.waiters.len()).sum::<usize>()
    ));
    files.push(render(
        spec,
        "mod.rs".into(),
        quote! {
            #mod_doc
            use crate::table::CommandDef;
            pub mod actions;
            pub(crate) mod dispatch;
            pub mod types;
            /// Every action's command, in name order.
            pub static COMMANDS: &[&CommandDef] = &[#(&actions::#mods::COMMAND),*];
        },
    )?);
    files.push(render(
        spec,
        "actions/mod.rs".into(),
        quote! {
            //! One module per action, holding its `COMMAND`.
            #(pub mod #mods;)*
        },
    )?);
    for a in &spec.actions {
        let path = format!("actions/{}.rs", names::module_file(&a.name));
        files.push(render(spec, path, action_table(a))?);
    }
    files.push(render(spec, "types.rs".into(), types_file(spec))?);
    files.push(render(spec, "dispatch.rs".into(), dispatch_file(spec))?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_and_first_sentence() {
        assert_eq!(kebab("FunctionName"), "function-name");
        assert_eq!(kebab("MsgTTL"), "msg-ttl");
        assert_eq!(kebab("ListFunctions"), "list-functions");
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("Use e.g. this. Then"), "Use e.g. this.");
        assert_eq!(first_sentence("No stop"), "No stop");
    }

    /// The table of every spec, the awkward fixture's keywords and odd names included, is
    /// valid Rust (`render` parses each file) and has one file per action.
    #[test]
    fn tables_of_the_real_and_the_awkward_spec() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for dir in ["spec", "tests/fixtures/awkward/spec"] {
            let spec = crate::load(&root.join(dir)).unwrap_or_else(|e| panic!("{e}"));
            let files = cli_files(&spec).unwrap_or_else(|e| panic!("{dir}: {e}"));
            let actions = files
                .iter()
                .filter(|f| f.path.starts_with("actions/"))
                .count();
            assert_eq!(
                actions,
                spec.actions.len() + 1,
                "{dir}: one per action and mod.rs"
            );
            let dispatch = files.iter().find(|f| f.path == "dispatch.rs").unwrap();
            for a in &spec.actions {
                assert!(
                    dispatch.contents.contains(&format!("\"{}\" =>", a.name)),
                    "{}",
                    a.name
                );
            }
        }
    }
}
