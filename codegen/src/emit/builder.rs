//! An action's `<A>Builder`, its setters and `Client::<a>()`.

use super::*;

/// `<A>Builder`: the struct and the members every builder shares (`options`, `into_request`,
/// `as_request`, `send`) through the runtime's `builder!`, then its own setters,
/// `into_paginator` and waiters, and the client method returning it.
pub(super) fn builder(
    spec: &Spec,
    a: &Action,
    opts: &Options,
    paginator_method: Option<TokenStream>,
) -> TokenStream {
    let rt = &opts.runtime;
    let action = &a.name;
    let request = format_ident!("{}Request", a.name);
    let response = format_ident!("{}Response", a.name);
    let error = format_ident!("{}Error", a.name);
    let builder = format_ident!("{}Builder", a.name);
    let method = names::snake_ident(&names::method(&a.name));
    let setters = a.input.iter().map(setter);
    let method_docs = doc(&method_doc(a));
    let waiter_methods = a.waiters.iter().map(|w| waiter_method(spec, a, w, opts));
    quote! {
        #rt::__private::builder!(#builder, #request, #response, #error, #action, #method);

        impl #builder {
            #(#setters)*

            #paginator_method

            #(#waiter_methods)*
        }

        impl crate::Client {
            #method_docs
            pub fn #method(&self) -> #builder {
                #builder::new(self)
            }
        }
    }
}

/// The setter of one input: strings and enums take `impl Into`, lists any iterator.
fn setter(m: &Member) -> TokenStream {
    let ident = names::snake_ident(&names::field(&m.name));
    let docs = doc(&member_docs(m));
    let (arg_ty, conv) = match (&m.ty, m.list) {
        _ if m.enum_name.is_some() => {
            let e = member_elem_ty(m);
            if m.list {
                (
                    quote!(impl ::std::iter::IntoIterator<Item = impl Into<#e>>),
                    quote!(value.into_iter().map(Into::into).collect()),
                )
            } else {
                (quote!(impl Into<#e>), quote!(value.into()))
            }
        }
        (Ty::String | Ty::Datetime, false) => (quote!(impl Into<String>), quote!(value.into())),
        (Ty::String | Ty::Datetime, true) => (
            quote!(impl ::std::iter::IntoIterator<Item = impl Into<String>>),
            quote!(value.into_iter().map(Into::into).collect()),
        ),
        (ty, false) => (elem_ty(ty), quote!(value)),
        (ty, true) => {
            let e = elem_ty(ty);
            (
                quote!(impl ::std::iter::IntoIterator<Item = #e>),
                quote!(value.into_iter().collect()),
            )
        }
    };
    quote! {
        #docs
        pub fn #ident(mut self, value: #arg_ty) -> Self {
            self.request.#ident = Option::Some(#conv);
            self
        }
    }
}

/// Docs of `Client::<a>()`: summary, docs, site, required inputs, constraints, limits, regions.
fn method_doc(a: &Action) -> String {
    let mut method_doc = format!("{}\n\n{}", a.summary, a.docs);
    if let Some(site) = a.site {
        method_doc.push_str("\n\n");
        method_doc.push_str(site.note());
    }
    let required: Vec<String> = a
        .input
        .iter()
        .filter(|m| m.required)
        .map(|m| format!("`{}`", names::field(&m.name)))
        .collect();
    if !required.is_empty() {
        method_doc.push_str(&format!("\n\nRequired inputs: {}.", required.join(", ")));
    }
    for c in &a.constraints {
        let Constraint::RequiredWith { member, when } = c;
        method_doc.push_str(&format!(
            "\n\n`{}` is required when `{}` is set (checked before sending).",
            names::field(member),
            names::field(when)
        ));
    }
    if let Some(n) = a.rate_limit {
        method_doc.push_str(&format!("\n\nRate limit: {n} requests per second."));
    }
    if let Some(n) = a.max_duration_secs {
        method_doc.push_str(&format!(
            "\n\nThe service may take up to {n} seconds to answer; the default attempt timeout \
             of this action allows for that."
        ));
    }
    if a.region.required {
        method_doc.push_str("\n\nA region must be configured.");
    }
    if !a.region.supported.is_empty() {
        method_doc.push_str(&format!(
            "\n\nSupported regions: {}.",
            a.region
                .supported
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !a.retry_safe {
        method_doc.push_str("\n\nNot retried once the request may have reached the service.");
    }
    method_doc
}
