//! An action's `<A>Response` struct.

use super::*;

/// `<A>Response`: the output members plus `request_id`.
pub(super) fn response_struct(a: &Action, opts: &Options) -> TokenStream {
    let action = &a.name;
    let response = format_ident!("{}Response", a.name);
    let response_docs = doc(&format!("Output of `{action}`."));
    let null_default = null_as_default_path(opts);
    let response_derive = derives(&a.output);
    let response_fields = fields(&a.output, Fields::Response, opts);
    let response_debug = needs_manual_debug(&a.output).then(|| {
        debug_impl(
            &response,
            &a.output,
            &[("request_id", quote!(self.request_id))],
        )
    });
    quote! {
        #response_docs
        #response_derive
        pub struct #response {
            #(#response_fields)*
            /// Unique ID of the request, needed when asking Tencent Cloud about a problem.
            #[serde(rename = "RequestId", default, deserialize_with = #null_default, skip_serializing_if = "String::is_empty")]
            pub request_id: ::std::string::String,
        }
        #response_debug
    }
}
