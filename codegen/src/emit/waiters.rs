//! A builder's `wait_until_<name>` methods.

use super::*;

/// The body of a waiter's state function: the string at the waiter's path in `output`, as an
/// `Option<&str>` (`None` when an optional member is absent or a list is empty).
pub(super) fn state_expr(spec: &Spec, a: &Action, w: &Waiter) -> TokenStream {
    let mut members: &[Member] = &a.output;
    // Until an optional step, the expression is a place (`output.result.status`); after one, an
    // `Option<&T>`.
    let mut expr = quote!(output);
    let mut optional = false;
    for (k, seg) in w.state.iter().enumerate() {
        let m = member(members, &seg.member);
        let f = names::snake_ident(&names::field(&m.name));
        let last = k + 1 == w.state.len();
        let plain = m.required && !m.nullable;
        // The step from a value `base` to the next: a place while both are plain, otherwise an
        // `Option<&T>`.
        let step = |base: TokenStream| match (plain, seg.first) {
            (true, false) => quote!(#base.#f),
            (false, false) => quote!(#base.#f.as_ref()),
            (true, true) => quote!(#base.#f.first()),
            (false, true) => quote!(#base.#f.as_ref().and_then(|l| l.first())),
        };
        expr = if !optional {
            step(expr)
        } else if plain && !seg.first {
            quote!(#expr.map(|v| &v.#f))
        } else {
            let inner = step(quote!(v));
            quote!(#expr.and_then(|v| #inner))
        };
        optional = optional || (!plain || seg.first);
        if !last {
            if let Ty::Named(t) = &m.ty {
                members = spec
                    .type_def(t)
                    .map(|td| td.members.as_slice())
                    .unwrap_or_default();
            }
        }
    }
    if optional {
        // `as_str` of a `String` or of a generated enum alike.
        quote!(#expr.map(|v| v.as_str()))
    } else {
        quote!(::std::option::Option::Some(#expr.as_str()))
    }
}

/// A builder's `wait_until_<name>` method.
pub(super) fn waiter_method(spec: &Spec, a: &Action, w: &Waiter, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let rt_str = path_string(rt);
    let response = format_ident!("{}Response", a.name);
    let error = format_ident!("{}Error", a.name);
    let method = names::snake_ident(&names::waiter_method(&w.name));
    let name = &w.name;
    let success = &w.success;
    let failure = &w.failure;
    let (min, max, timeout) = (
        int_lit(w.min_delay_ms),
        int_lit(w.max_delay_ms),
        int_lit(w.default_timeout_secs),
    );
    let state = state_expr(spec, a, w);
    let list = |states: &[String]| {
        states
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let secs = |ms: u64| {
        if ms % 1000 == 0 {
            format!("{} s", ms / 1000)
        } else {
            format!("{ms} ms")
        }
    };
    let mut docs = format!(
        "{}\n\nCalls `{}` until `{}` is {} (success)",
        w.docs,
        a.name,
        w.state_path,
        list(&w.success)
    );
    if !w.failure.is_empty() {
        docs.push_str(&format!(" or {} (failure)", list(&w.failure)));
    }
    docs.push_str(&format!(
        ", and returns the last output with that state in a [`{rt_str}::Waited`]. Waits {} after \
         the first call, then exponentially longer with jitter, up to {} between calls; gives up \
         with [`{rt_str}::WaitError::Timeout`], naming the last state seen, once `config`'s \
         maximum wait ({} s by default) would pass. Pass a `Duration` to set the maximum wait, \
         or a [`{rt_str}::WaiterConfig`]. A failed call ends the wait with \
         [`{rt_str}::WaitError::Call`] (the client has already retried it where that can help).",
        secs(w.min_delay_ms),
        secs(w.max_delay_ms),
        w.default_timeout_secs
    ));
    let docs = doc(&docs);
    quote! {
        #docs
        pub async fn #method(
            self,
            config: impl ::std::convert::Into<#rt::WaiterConfig>,
        ) -> ::std::result::Result<#rt::Waited<#response>, #rt::WaitError<#error>> {
            fn state(output: &#response) -> ::std::option::Option<&str> {
                #state
            }
            const WAITER: #rt::__private::WaiterDef = #rt::__private::WaiterDef {
                name: #name,
                success: &[#(#success),*],
                failure: &[#(#failure),*],
                min_delay: ::std::time::Duration::from_millis(#min),
                max_delay: ::std::time::Duration::from_millis(#max),
                default_timeout: ::std::time::Duration::from_secs(#timeout),
            };
            #rt::__private::wait(
                &self.client,
                &self.request,
                &self.options,
                &WAITER,
                ::std::convert::Into::into(config),
                state,
            )
            .await
        }
    }
}
