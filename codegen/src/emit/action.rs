//! One action's file: its request, response, error codes, `Action` impl, pagination and
//! builder, each emitted by the module named after it.

use super::*;

/// `actions/<snake>.rs`.
pub(super) fn action_file(spec: &Spec, a: &Action, opts: &Options) -> TokenStream {
    let request = request_struct(a, opts);
    let response = response_struct(a, opts);
    let error = error_enum(spec, a, opts);
    let action_impl = action_impl(a, opts);
    let (paged_impl, paginator_method) = match pagination(a, opts) {
        Some((i, m)) => (Some(i), Some(m)),
        None => (None, None),
    };
    let builder = builder(spec, a, opts, paginator_method);
    quote! {
        #request
        #response
        #error
        #action_impl
        #paged_impl
        #builder
    }
}
