//! Error codes: `CommonError` (the codes common to every action, generated once) and each
//! action's `<A>Error` (its own codes, `Common(CommonError)` and `Unknown(String)`).

use super::*;

/// The variant identifiers and docs of `codes`.
fn variants(spec: &Spec, codes: &[&str], retry_note: bool) -> (Vec<syn::Ident>, Vec<TokenStream>) {
    let idents = codes
        .iter()
        .map(|c| names::type_ident(&names::error_variant(c)))
        .collect();
    let docs = codes
        .iter()
        .map(|c| {
            let e = spec.error(c);
            let mut d = format!("`{c}`: {}", e.map(|e| e.docs.as_str()).unwrap_or_default());
            if retry_note {
                match e.map(|e| e.retry) {
                    Some(Retry::Always) => d.push_str("\n\nRetried by the client."),
                    Some(Retry::SafeActionsOnly) => {
                        d.push_str("\n\nRetried by the client for actions safe to repeat.")
                    }
                    _ => {}
                }
            }
            doc(&d)
        })
        .collect();
    (idents, docs)
}

/// `actions/common_error.rs`: `CommonError`, or `None` when the spec has no common codes.
pub(super) fn common_error_file(spec: &Spec) -> Option<TokenStream> {
    let codes = spec.common_error_codes();
    if codes.is_empty() {
        return None;
    }
    let (variants, variant_docs) = variants(spec, &codes, true);
    Some(quote! {
        /// The error codes common to every action (`commonErrors` in the spec), generated once.
        ///
        /// Each action's error enum holds them in its `Common` variant, so a common code reads
        /// the same for every action: `GetFunctionError::Common(CommonError::InternalError)`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CommonError {
            #(#variant_docs #variants,)*
        }

        impl CommonError {
            /// The variant for a code as sent by the service; `None` when the code is not common.
            pub fn from_code(code: &str) -> ::std::option::Option<Self> {
                match code {
                    #(#codes => ::std::option::Option::Some(Self::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }

            /// The code as sent on the wire, e.g. `InternalError`.
            pub fn code(&self) -> &'static str {
                match self {
                    #(Self::#variants => #codes,)*
                }
            }
        }

        impl ::std::fmt::Display for CommonError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    })
}

/// `<A>Error`, its own-codes table, and its `ErrorCode` and `Display` impls through the
/// runtime's `error_code!` (`ErrorCode::common` finds the common code).
pub(super) fn error_enum(spec: &Spec, a: &Action, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let action = &a.name;
    let error = format_ident!("{}Error", a.name);
    let codes = spec.own_error_codes(a);
    let (variants, variant_docs) = variants(spec, &codes, false);
    let has_common = !spec.service.common_errors.is_empty();
    let error_docs = doc(&format!(
        "Error codes `{action}` may return: its own documented codes, the codes common to every \
         action in [`{error}::Common`], and [`{error}::Unknown`] for any other code the service sends."
    ));
    let common = has_common.then(|| common_variant(spec, a));
    let table = quote! {
        impl #error {
            /// The action's own codes and their variants.
            const OWN_CODES: &'static [(&'static str, Self)] = &[
                #((#codes, Self::#variants),)*
            ];
        }
    };
    // `ErrorCode` and `Display` are the same for every action: one macro of the runtime.
    let impls = if has_common {
        quote!(#rt::__private::error_code!(#error, CommonError);)
    } else {
        quote!(#rt::__private::error_code!(#error);)
    };
    quote! {
        #error_docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #error {
            #(#variant_docs #variants,)*
            #common
            /// A code not listed in the spec, as the service sent it.
            Unknown(::std::string::String),
        }

        #table

        #impls
    }
}

/// The `Common` variant, its docs naming the common codes the action documents.
fn common_variant(spec: &Spec, a: &Action) -> TokenStream {
    let documented = spec.documented_common_codes(a);
    let mut d = "A code common to every action, such as `InternalError`.".to_owned();
    if !documented.is_empty() {
        let list: Vec<String> = documented.iter().map(|c| format!("`{c}`")).collect();
        d.push_str(&format!(
            " `{}` documents these among them: {}.",
            a.name,
            list.join(", ")
        ));
    }
    let docs = doc(&d);
    quote! {
        #docs
        Common(super::CommonError),
    }
}
