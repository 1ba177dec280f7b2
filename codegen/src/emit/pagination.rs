//! A paged action's `Paged` impl and its builder's `into_paginator`.

use super::*;

/// For a paged action: the `Paged` impl of its request and the builder's `into_paginator`.
pub(super) fn pagination(a: &Action, opts: &Options) -> Option<(TokenStream, TokenStream)> {
    let p = a.pagination.as_ref()?;
    let rt = &opts.runtime;
    let rt_str = path_string(rt);
    let request = format_ident!("{}Request", a.name);
    let ident = |name: &str| names::snake_ident(&names::field(name));
    let (offset, limit, items, total) = (
        ident(&p.offset),
        ident(&p.limit),
        ident(&p.items),
        ident(&p.total),
    );
    let item_ty = elem_ty(&member(&a.output, &p.items).ty);
    let max_page = p.max_page_size.map(|n| {
        let n = int_lit(n);
        quote!(const MAX_PAGE_SIZE: ::std::option::Option<u64> = ::std::option::Option::Some(#n);)
    });
    let max_window = p.max_window.map(|n| {
        let n = int_lit(n);
        quote!(const MAX_WINDOW: ::std::option::Option<u64> = ::std::option::Option::Some(#n);)
    });
    let paged = quote! {
        impl #rt::Paged for #request {
            type Item = #item_ty;
            #max_page
            #max_window
            fn offset(&self) -> ::std::option::Option<u64> {
                #rt::__private::PageNumber::get(&self.#offset)
            }
            fn set_offset(&mut self, offset: u64) {
                #rt::__private::PageNumber::set(&mut self.#offset, offset)
            }
            fn limit(&self) -> ::std::option::Option<u64> {
                #rt::__private::PageNumber::get(&self.#limit)
            }
            fn set_limit(&mut self, limit: u64) {
                #rt::__private::PageNumber::set(&mut self.#limit, limit)
            }
            fn items(output: &Self::Output) -> &[Self::Item] {
                #rt::__private::PageItems::as_slice(&output.#items)
            }
            fn take_items(output: &mut Self::Output) -> ::std::vec::Vec<Self::Item> {
                #rt::__private::PageItems::take(&mut output.#items)
            }
            fn total(output: &Self::Output) -> ::std::option::Option<u64> {
                #rt::__private::PageTotal::total(&output.#total)
            }
        }
    };
    let (offset_f, limit_f, items_f, total_f) = (
        names::field(&p.offset),
        names::field(&p.limit),
        names::field(&p.items),
        names::field(&p.total),
    );
    let mut docs = format!(
        "Pages through the listing (see [`{rt_str}::Paginator`]): one call per page, with these \
         options. Starts at `{offset_f}` (0 when unset) and asks for `{limit_f}` items per page"
    );
    match p.max_page_size {
        Some(n) => docs.push_str(&format!(" ({n}, the documented maximum, when unset)")),
        None => docs.push_str(" (the service's default when unset)"),
    }
    docs.push_str(&format!(
        "; stops after an empty or short page, or when `{total_f}` items came back. Each page's \
         items are in `{items_f}`; `.items()` yields them one by one."
    ));
    if let Some(w) = p.max_window {
        docs.push_str(&format!(
            "\n\n`{offset_f}` + `{limit_f}` may not exceed {w}: the last page is shortened to \
             fit and the listing stops there, so items past the first {w} cannot be listed \
             (narrow the query to reach them; [`{rt_str}::Paginator::window_reached`] tells \
             whether it stopped there)."
        ));
    }
    let docs = doc(&docs);
    let method = quote! {
        #docs
        pub fn into_paginator(self) -> #rt::Paginator<#request> {
            #rt::Paginator::new(&self.client, self.request, self.options)
        }
    };
    Some((paged, method))
}
