//! An action's `<A>Request` struct.

use super::*;

/// `<A>Request`: every input an `Option`, with a redacting `Debug` when a member needs one.
pub(super) fn request_struct(a: &Action, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let action = &a.name;
    let request = format_ident!("{}Request", a.name);
    let request_docs = doc(&format!(
        "Input of `{action}`: {}\n\nUsually built with [`crate::Client::{}`]; \
         construct it directly with `..Default::default()` to send it with [`{rt_str}::Client::execute`].",
        a.summary,
        names::method(&a.name),
        rt_str = path_string(rt),
    ));
    let request_derive = derives(&a.input);
    let request_fields = fields(&a.input, Fields::Request, opts);
    let request_debug = needs_manual_debug(&a.input).then(|| debug_impl(&request, &a.input, &[]));
    quote! {
        #request_docs
        #request_derive
        pub struct #request {
            #(#request_fields)*
        }
        #request_debug
    }
}
