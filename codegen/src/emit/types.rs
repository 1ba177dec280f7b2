//! Shared types and the fields of every generated struct: element types, member docs, serde
//! attributes, derives.

use super::*;

/// The Rust type of one element.
pub(super) fn elem_ty(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String | Ty::Datetime => quote!(String),
        Ty::Integer => quote!(i64),
        Ty::Unsigned => quote!(u64),
        Ty::Float => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::Named(n) => {
            let id = names::type_ident(n);
            quote!(crate::types::#id)
        }
    }
}

/// The Rust type of one element of a member: its enum when it names one.
pub(super) fn member_elem_ty(m: &Member) -> TokenStream {
    match &m.enum_name {
        Some(e) => {
            let id = names::type_ident(e);
            quote!(crate::types::#id)
        }
        None => elem_ty(&m.ty),
    }
}

pub(super) fn member_docs(m: &Member) -> String {
    let mut d = m.docs.clone();
    if m.ty == Ty::Datetime {
        d.push_str("\n\nFormat: `YYYY-MM-DD HH:MM:SS`.");
    }
    if !m.values.is_empty() {
        d.push_str("\n\nValues:");
        for v in &m.values {
            let shown = match &v.value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            d.push_str(&format!("\n- `{shown}`: {}", v.docs));
        }
    }
    if m.nullable {
        d.push_str("\n\nThe service may return `null` for this member.");
    }
    if m.sensitive {
        d.push_str("\n\nSecret: `Debug` output shows `<redacted>` instead of the value.");
    } else if m.debug == DebugAs::Length {
        d.push_str("\n\n`Debug` output shows only its length, `<N bytes>`.");
    }
    if m.deprecated {
        d.push_str("\n\nDeprecated: upstream marks this member disabled; the service may ignore it or leave it empty.");
    }
    if let Some(site) = m.site {
        d.push_str("\n\n");
        d.push_str(site.note());
    }
    d
}

/// Which struct the fields belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Fields {
    /// A top-level request: every field is an `Option`, since required members are checked by
    /// `validate()` before sending instead of by the type system.
    Request,
    /// A top-level response.
    Response,
    /// A shared type, used in requests, responses or both.
    Type,
}

/// Whether a response member must be present and not `null` for the response to decode: a
/// required, never-null, non-list member of a shared type. Missing or `null`, it would decode
/// to a made-up default (an `Invoke` result with return code 0). Scalars and lists stay
/// tolerant (the service sends `null` for them), and so do the members of shared types, which
/// requests use too.
fn strict_output(m: &Member) -> bool {
    m.required && !m.nullable && !m.list && matches!(m.ty, Ty::Named(_))
}

/// Field definitions of `members` in a struct of kind `kind`.
pub(super) fn fields(members: &[Member], kind: Fields, opts: &Options) -> Vec<TokenStream> {
    let null_default = null_as_default_path(opts);
    members
        .iter()
        .map(|m| {
            let ident = names::snake_ident(&names::field(&m.name));
            let wire = &m.name;
            let elem = member_elem_ty(m);
            let full = if m.list { quote!(Vec<#elem>) } else { elem };
            let plain = kind != Fields::Request && m.required && !m.nullable;
            if kind == Fields::Response && strict_output(m) {
                let docs = doc(&format!(
                    "{}\n\nAlways sent: a response without it, or with `null`, fails to decode \
                     (`DecodeErrorKind::UnexpectedShape`).",
                    member_docs(m)
                ));
                quote! {
                    #docs
                    #[serde(rename = #wire)]
                    pub #ident: #full,
                }
            } else if plain {
                let docs = doc(&member_docs(m));
                quote! {
                    #docs
                    #[serde(rename = #wire, default, deserialize_with = #null_default)]
                    pub #ident: #full,
                }
            } else {
                let docs = doc(&member_docs(m));
                quote! {
                    #docs
                    #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
                    pub #ident: Option<#full>,
                }
            }
        })
        .collect()
}

pub(super) fn derives(members: &[Member]) -> TokenStream {
    if needs_manual_debug(members) {
        quote!(#[derive(Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)])
    }
}

pub(super) fn type_file(t: &TypeDef, opts: &Options) -> TokenStream {
    let name = names::type_ident(&t.name);
    let docs = doc(&t.docs);
    let derive = derives(&t.members);
    let fields = fields(&t.members, Fields::Type, opts);
    let debug = needs_manual_debug(&t.members).then(|| debug_impl(&name, &t.members, &[]));
    quote! {
        #docs
        #derive
        pub struct #name {
            #(#fields)*
        }
        #debug
    }
}
