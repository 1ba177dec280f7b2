//! What generated `Debug` shows of a member: `<redacted>` for a sensitive one, `<N bytes>` for a
//! long payload (`"debug": "length"`), the value otherwise; and the generated test that checks
//! it for every type, request, response and builder that reaches such a member.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{EmitError, GeneratedFile, render};
use crate::model::{DebugAs, Member, Spec, Ty};
use crate::names;

/// How `Debug` shows a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Value,
    Redacted,
    Length,
}

fn shown(m: &Member) -> Shown {
    match (m.sensitive, m.debug) {
        (true, _) => Shown::Redacted,
        (false, DebugAs::Length) => Shown::Length,
        (false, DebugAs::Value) => Shown::Value,
    }
}

/// Whether `Debug` must be written by hand (some member is not shown as its value).
pub(super) fn needs_manual_debug(members: &[Member]) -> bool {
    members.iter().any(|m| shown(m) != Shown::Value)
}

/// Whether any member of `spec` is shown as its length, so that the generated root module
/// needs [`byte_len_helper`].
pub(super) fn any_length(spec: &Spec) -> bool {
    let members = spec
        .actions
        .iter()
        .flat_map(|a| a.input.iter().chain(&a.output))
        .chain(spec.types.iter().flat_map(|t| &t.members));
    members.into_iter().any(|m| shown(m) == Shown::Length)
}

/// The `Debug` of a long payload, private to the generated module: `<N bytes>` for a string,
/// and the same inside `Option` and `Vec`. Action and type files reach it as `super::super`.
pub(super) fn byte_len_helper() -> TokenStream {
    quote! {
        /// Shows a long payload in `Debug` as its length in bytes, `<N bytes>`, not its content.
        pub(crate) struct ByteLen<'a, T: ?::std::marker::Sized>(pub(crate) &'a T);

        impl ::std::fmt::Debug for ByteLen<'_, ::std::string::String> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "<{} bytes>", self.0.len())
            }
        }

        impl<T> ::std::fmt::Debug for ByteLen<'_, ::std::option::Option<T>>
        where
            for<'b> ByteLen<'b, T>: ::std::fmt::Debug,
        {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.0 {
                    ::std::option::Option::Some(v) => f.debug_tuple("Some").field(&ByteLen(v)).finish(),
                    ::std::option::Option::None => f.write_str("None"),
                }
            }
        }

        impl<T> ::std::fmt::Debug for ByteLen<'_, ::std::vec::Vec<T>>
        where
            for<'b> ByteLen<'b, T>: ::std::fmt::Debug,
        {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_list().entries(self.0.iter().map(ByteLen)).finish()
            }
        }
    }
}

/// `Debug` that prints `<redacted>` for sensitive members and `<N bytes>` for long payloads;
/// `extra` adds fields that are not spec members (a response's request id).
pub(super) fn debug_impl(
    name: &syn::Ident,
    members: &[Member],
    extra: &[(&str, TokenStream)],
) -> TokenStream {
    let name_str = name.to_string();
    let entries = members.iter().map(|m| {
        let ident = names::snake_ident(&names::field(&m.name));
        let label = names::field(&m.name);
        match shown(m) {
            Shown::Redacted => quote! { .field(#label, &"<redacted>") },
            Shown::Length => quote! { .field(#label, &super::super::ByteLen(&self.#ident)) },
            Shown::Value => quote! { .field(#label, &self.#ident) },
        }
    });
    let extra = extra
        .iter()
        .map(|(label, expr)| quote! { .field(#label, &#expr) });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name_str) #(#entries)* #(#extra)* .finish()
            }
        }
    }
}

/// How many markers a marked value holds, by how `Debug` must show them.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    redacted: usize,
    lengths: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.redacted += other.redacted;
        self.lengths += other.lengths;
    }
}

/// The shared types that reach a redacted or length member, with the markers one marked value
/// of each holds (every such member filled once, lists with one element).
fn marked_types(spec: &Spec) -> BTreeMap<String, Counts> {
    let mut out: BTreeMap<String, Option<Counts>> = BTreeMap::new();
    for t in &spec.types {
        type_counts(spec, &t.name, &mut out);
    }
    out.into_iter()
        .filter_map(|(name, c)| c.map(|c| (name, c)))
        .collect()
}

fn type_counts(
    spec: &Spec,
    name: &str,
    memo: &mut BTreeMap<String, Option<Counts>>,
) -> Option<Counts> {
    if let Some(known) = memo.get(name) {
        return *known;
    }
    // A cycle through this type adds nothing: mark it unmarked while it is being visited.
    memo.insert(name.to_owned(), None);
    let members = spec.type_def(name).map_or(&[][..], |t| &t.members[..]);
    let counts = members_counts(spec, members, memo);
    memo.insert(name.to_owned(), counts);
    counts
}

fn members_counts(
    spec: &Spec,
    members: &[Member],
    memo: &mut BTreeMap<String, Option<Counts>>,
) -> Option<Counts> {
    let mut total = Counts::default();
    let mut any = false;
    for m in members {
        let c = member_counts(spec, m, memo);
        if let Some(c) = c {
            total.add(c);
            any = true;
        }
    }
    any.then_some(total)
}

fn member_counts(
    spec: &Spec,
    m: &Member,
    memo: &mut BTreeMap<String, Option<Counts>>,
) -> Option<Counts> {
    match (shown(m), &m.ty) {
        (Shown::Redacted, _) => Some(Counts {
            redacted: 1,
            lengths: 0,
        }),
        (Shown::Length, _) => Some(Counts {
            redacted: 0,
            lengths: 1,
        }),
        (Shown::Value, Ty::Named(n)) => type_counts(spec, n, memo),
        (Shown::Value, _) => None,
    }
}

/// The name of the generated function building a marked value of type `name`.
fn marked_fn(name: &str) -> syn::Ident {
    format_ident!("marked_{}", names::field(name))
}

/// The element value of a marked member: a marker string (converted to the field's type when
/// `into`, for struct literals; setters convert themselves) or a marked shared type.
fn marked_elem(owner: &str, m: &Member, into: bool) -> TokenStream {
    let label = format!("{owner}.{}", m.name);
    let marker = match shown(m) {
        Shown::Redacted => quote!(secret(#label)),
        _ => quote!(payload()),
    };
    match (shown(m), &m.ty) {
        (Shown::Redacted | Shown::Length, _) if into => {
            quote!(::std::convert::Into::into(#marker))
        }
        (Shown::Redacted | Shown::Length, _) => marker,
        (Shown::Value, Ty::Named(n)) => {
            let f = marked_fn(n);
            quote!(#f())
        }
        (Shown::Value, _) => unreachable!("only marked members are filled"),
    }
}

/// Struct-literal fields setting every marked member of `members`. `optional` tells whether a
/// member's field is an `Option`.
fn marked_fields(
    owner: &str,
    members: &[Member],
    marked: &BTreeMap<String, Counts>,
    optional: impl Fn(&Member) -> bool,
) -> Vec<TokenStream> {
    members
        .iter()
        .filter(|m| is_marked(m, marked))
        .map(|m| {
            let ident = names::snake_ident(&names::field(&m.name));
            let elem = marked_elem(owner, m, true);
            let value = if m.list { quote!(vec![#elem]) } else { elem };
            if optional(m) {
                quote!(#ident: ::std::option::Option::Some(#value),)
            } else {
                quote!(#ident: #value,)
            }
        })
        .collect()
}

fn is_marked(m: &Member, marked: &BTreeMap<String, Counts>) -> bool {
    match (shown(m), &m.ty) {
        (Shown::Value, Ty::Named(n)) => marked.contains_key(n),
        (Shown::Value, _) => false,
        _ => true,
    }
}

fn total(spec: &Spec, members: &[Member]) -> Option<Counts> {
    let mut memo = BTreeMap::new();
    members_counts(spec, members, &mut memo)
}

/// One checked case: a label, the expression whose `Debug` is checked, and its markers.
fn case(label: &str, expr: TokenStream, c: Counts) -> TokenStream {
    let (r, l) = (
        super::int_lit(c.redacted as u64),
        super::int_lit(c.lengths as u64),
    );
    quote! { check_debug(#label, &#expr, #r, #l); }
}

/// Generates `tests/tests/generated/redaction.rs`: for every shared type, request, response and
/// builder that reaches a sensitive or length member, a value with each such member filled
/// with a marker, and a check that its `Debug` shows none of them.
pub fn redaction_tests(spec: &Spec) -> Result<GeneratedFile, EmitError> {
    let marked = marked_types(spec);
    let mut builders = Vec::new();
    let mut cases = Vec::new();
    for (name, c) in &marked {
        let t = spec.type_def(name).expect("marked types are spec types");
        let ty = names::type_ident(name);
        let f = marked_fn(name);
        let fields = marked_fields(name, &t.members, &marked, plain_is_optional);
        let rest = rest(fields.len(), t.members.len());
        builders.push(quote! {
            fn #f() -> scf_api::types::#ty {
                scf_api::types::#ty { #(#fields)* #rest }
            }
        });
        cases.push(case(&format!("types::{name}"), quote!(#f()), *c));
    }
    for a in &spec.actions {
        cases.extend(action_cases(spec, a, &marked));
    }
    let tokens = quote! {
        use scf_api_tests::redaction::{check_debug, payload, secret, test_client};
        #(#builders)*
        #[test]
        fn debug_shows_no_marked_member() {
            let client = test_client();
            #(#cases)*
        }
    };
    render(spec, "redaction.rs".into(), tokens)
}

/// `..Default::default()` in a struct literal setting `set` of its `all` fields, unless it sets
/// them all.
fn rest(set: usize, all: usize) -> Option<TokenStream> {
    (set < all).then(|| quote!(..::std::default::Default::default()))
}

/// Fields of shared types and responses are `Option` unless required and never null.
fn plain_is_optional(m: &Member) -> bool {
    !m.required || m.nullable
}

/// The request, builder and response cases of one action.
fn action_cases(
    spec: &Spec,
    a: &crate::model::Action,
    marked: &BTreeMap<String, Counts>,
) -> Vec<TokenStream> {
    let mut cases = Vec::new();
    if let Some(c) = total(spec, &a.input) {
        let request = format_ident!("{}Request", a.name);
        let fields = marked_fields(&a.name, &a.input, marked, |_| true);
        let rest = rest(fields.len(), a.input.len());
        let value = quote! {
            scf_api::actions::#request { #(#fields)* #rest }
        };
        cases.push(case(&format!("{}Request", a.name), value, c));
        let method = names::snake_ident(&names::method(&a.name));
        let setters = a.input.iter().filter(|m| is_marked(m, marked)).map(|m| {
            let setter = names::snake_ident(&names::field(&m.name));
            let elem = marked_elem(&a.name, m, false);
            if m.list {
                quote!(.#setter([#elem]))
            } else {
                quote!(.#setter(#elem))
            }
        });
        let builder = quote!(client.#method() #(#setters)*);
        cases.push(case(&format!("{}Builder", a.name), builder, c));
    }
    if let Some(c) = total(spec, &a.output) {
        let response = format_ident!("{}Response", a.name);
        let fields = marked_fields(&a.name, &a.output, marked, plain_is_optional);
        let value = quote! {
            scf_api::actions::#response { #(#fields)* ..::std::default::Default::default() }
        };
        cases.push(case(&format!("{}Response", a.name), value, c));
    }
    cases
}
