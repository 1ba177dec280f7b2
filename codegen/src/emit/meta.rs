//! An action's `Action` impl: its `ActionMeta` facts and `validate`.

use super::*;

/// `impl Action for <A>Request`.
pub(super) fn action_impl(a: &Action, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let action = &a.name;
    let request = format_ident!("{}Request", a.name);
    let response = format_ident!("{}Response", a.name);
    let error = format_ident!("{}Error", a.name);
    let validate = validate(a, opts);
    let retry_safe = a.retry_safe;
    let rate_limit = some_or_none(a.rate_limit.map(|n| quote!(#n)));
    let max_duration_secs = some_or_none(a.max_duration_secs.map(|n| quote!(#n)));
    let region_required = a.region.required;
    let supported = &a.region.supported;
    let event_limits = some_or_none(a.event_limits.as_ref().map(|e| {
        let member = &e.member;
        let sync = e.max_sync_bytes as usize;
        let asynchronous = some_or_none(e.max_async_bytes.map(|n| {
            let n = n as usize;
            quote!(#n)
        }));
        quote!(#rt::EventLimits {
            member: #member,
            max_sync_bytes: #sync,
            max_async_bytes: #asynchronous,
        })
    }));
    let time_range = some_or_none(a.time_range.as_ref().map(|t| {
        let (start, end, max_secs) = (&t.start, &t.end, t.max_secs);
        quote!(#rt::TimeRange {
            start: #start,
            end: #end,
            max_secs: #max_secs,
        })
    }));
    quote! {
        impl #rt::Action for #request {
            type Output = #response;
            type Error = #error;
            const META: #rt::ActionMeta = #rt::ActionMeta {
                name: #action,
                retry_safe: #retry_safe,
                rate_limit: #rate_limit,
                max_duration_secs: #max_duration_secs,
                region_required: #region_required,
                supported_regions: &[#(#supported),*],
                event_limits: #event_limits,
                time_range: #time_range,
            };
            #validate
        }
    }
}

/// `validate()`: missing required inputs and `requiredWith` constraints; `None` when the action
/// has neither (the trait's default accepts everything).
fn validate(a: &Action, opts: &Options) -> Option<TokenStream> {
    let rt = &opts.runtime;
    let mut checks = Vec::new();
    for m in a.input.iter().filter(|m| m.required) {
        let ident = names::snake_ident(&names::field(&m.name));
        let wire = &m.name;
        checks.push(quote! {
            #rt::__private::require(&mut problems, #wire, &self.#ident);
        });
    }
    for c in &a.constraints {
        let Constraint::RequiredWith { member, when } = c;
        let m = names::snake_ident(&names::field(member));
        let w = names::snake_ident(&names::field(when));
        checks.push(quote! {
            if self.#w.is_some() && self.#m.is_none() {
                problems.push(#rt::InputProblem::RequiredWith { member: #member, when: #when });
            }
        });
    }
    (!checks.is_empty()).then(|| {
        quote! {
            fn validate(&self) -> ::std::result::Result<(), #rt::InvalidInput> {
                let mut problems = ::std::vec::Vec::new();
                #(#checks)*
                #rt::InvalidInput::check(problems)
            }
        }
    })
}

/// `::std::option::Option::Some(value)` or `::std::option::Option::None`.
fn some_or_none(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}
