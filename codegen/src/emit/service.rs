//! The root module of the generated code: service constants and `retry_class`.

use super::*;

pub(super) fn root_module(spec: &Spec, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let s = &spec.service;
    let title = format!(
        "Code generated from the spec of {} API {}.",
        s.title, s.version
    );
    let module_doc = inner_doc(&title);
    let service = &s.service;
    let version = &s.version;
    let nearest = &s.endpoint_nearest;
    let intl = &s.endpoint_intl;
    let (regional_prefix, regional_suffix) = s
        .endpoint_regional
        .split_once("{region}")
        .unwrap_or((s.endpoint_regional.as_str(), ""));
    let max_body = s.max_body_bytes as usize;
    let time_zone = s.time_zone.as_ref().map(|z| {
        let text = &z.text;
        let offset = z.offset_secs;
        quote! {
            /// The offset from UTC in which the service reads and writes every `datetime`
            /// value (`YYYY-MM-DD HH:MM:SS`), as written in an RFC 3339 time.
            pub const TIME_ZONE: &str = #text;
            /// [`TIME_ZONE`] in seconds east of UTC.
            pub const UTC_OFFSET_SECS: i32 = #offset;
        }
    });
    let hash = &spec.hash;
    let retry_codes = |class: Retry| -> Vec<&str> {
        spec.errors
            .iter()
            .filter(|e| e.retry == class)
            .map(|e| e.code.as_str())
            .collect()
    };
    let always = retry_codes(Retry::Always);
    let safe_only = retry_codes(Retry::SafeActionsOnly);
    let always_arm = (!always.is_empty()).then(|| quote!(#(#always)|* => #rt::RetryClass::Always,));
    let safe_arm = (!safe_only.is_empty())
        .then(|| quote!(#(#safe_only)|* => #rt::RetryClass::SafeActionsOnly,));
    let byte_len = redact::any_length(spec).then(redact::byte_len_helper);
    quote! {
        #module_doc
        #![allow(clippy::upper_case_acronyms)]

        pub mod actions;
        pub mod types;

        /// Service name, used in the signature scope and host names.
        pub const SERVICE: &str = #service;
        /// API version sent in `X-TC-Version`.
        pub const VERSION: &str = #version;
        /// Host that routes to the nearest region.
        pub const ENDPOINT_NEAREST: &str = #nearest;
        /// Host of the international site.
        pub const ENDPOINT_INTL: &str = #intl;
        /// A regional host is this prefix, the region, and [`ENDPOINT_REGIONAL_SUFFIX`].
        pub const ENDPOINT_REGIONAL_PREFIX: &str = #regional_prefix;
        /// See [`ENDPOINT_REGIONAL_PREFIX`].
        pub const ENDPOINT_REGIONAL_SUFFIX: &str = #regional_suffix;
        /// Largest request body the service accepts, in bytes.
        pub const MAX_BODY_BYTES: usize = #max_body;
        #time_zone
        /// SHA-256 of the spec this code was generated from.
        pub const SPEC_HASH: &str = #hash;

        /// Whether retrying can help with an error `code`, as `errors.json` says. Codes the
        /// spec does not know are `RetryClass::Never`.
        pub fn retry_class(code: &str) -> #rt::RetryClass {
            match code {
                #always_arm
                #safe_arm
                _ => #rt::RetryClass::Never,
            }
        }

        #byte_len
    }
}
