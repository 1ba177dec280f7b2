//! Paging through listing actions: [`Paged`] (implemented by the generated requests of the
//! actions the spec describes as paged), [`Paginator`] (pages) and [`Items`] (their items).
//!
//! The logic is here, generic and written once; generated code only says which members hold the
//! offset, the page size, the items and the total.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

use crate::action::Action;
use crate::client::Client;
use crate::config::CallOptions;
use crate::error::{Error, ErrorKind};

mod pager;
pub mod support;

use pager::{Pager, fingerprint};

/// Pages a listing may take while the service announces no usable total: far beyond any real
/// listing of SCF resources (at 100 items a page, a million items), and a bound on a service
/// that never sends a short page.
pub const MAX_PAGES_WITHOUT_TOTAL: u64 = 10_000;

/// A request of a listing action that pages by offset and limit: implemented by the generated
/// `*Request` types of the actions whose spec has a `pagination` key (`ListFunctions`,
/// `GetFunctionLogs`, ...). [`Paginator`] does the paging for any of them.
pub trait Paged: Action<Output: 'static> + Clone + 'static {
    /// One listed item (`Function` for `ListFunctions`). Serializable, so that a page that
    /// repeats the previous one can be recognised.
    type Item: serde::Serialize + Send + 'static;
    /// The largest page size the service accepts, when documented: the page size when the
    /// request sets no limit.
    const MAX_PAGE_SIZE: Option<u64> = None;
    /// The documented bound of offset + limit, when the service has one: items past it cannot
    /// be listed, and a paginator stops there.
    const MAX_WINDOW: Option<u64> = None;

    /// The offset the request starts at; `None` when unset (or not a non-negative number).
    fn offset(&self) -> Option<u64>;
    /// Sets the offset.
    fn set_offset(&mut self, offset: u64);
    /// The page size the request asks for; `None` when unset (or not a non-negative number).
    fn limit(&self) -> Option<u64>;
    /// Sets the page size.
    fn set_limit(&mut self, limit: u64);
    /// The items of a page.
    fn items(output: &Self::Output) -> &[Self::Item];
    /// How many items a page holds.
    fn item_count(output: &Self::Output) -> usize {
        Self::items(output).len()
    }
    /// Takes the items out of a page.
    fn take_items(output: &mut Self::Output) -> Vec<Self::Item>;
    /// The number of items in the whole listing, as the page says.
    fn total(output: &Self::Output) -> Option<u64>;
}

type PageFuture<R> = Pin<
    Box<
        dyn Future<Output = Result<<R as Action>::Output, Error<<R as Action>::Error>>>
            + Send
            + 'static,
    >,
>;

/// Pages through a listing: each page is one call of the action, sent with the builder's
/// [`CallOptions`] (so timeouts and retries apply to every page).
///
/// Returned by the `into_paginator()` method of the builders of paged actions. Use it with
/// [`next_page`](Self::next_page), as a [`Stream`] of pages, or turn it into a stream of the
/// items with [`items`](Self::items).
///
/// - It starts at the request's offset (0 when unset) and asks for the request's limit per page;
///   when the request sets no limit, the documented largest page size where there is one,
///   otherwise the service's default.
/// - It moves on by the number of items each page holds, and stops after a page that is empty,
///   holds fewer items than asked for, or reaches the total the service announced.
/// - For actions with a window (`GetFunctionLogs`: offset + limit may not exceed 10000), the
///   last pages are shortened to fit and the paginator stops at the window:
///   [`window_reached`](Self::window_reached) then tells that more items may exist than could
///   be listed (narrow the query, e.g. with a time range, to see them).
/// - An error ends the listing: it is yielded once, then nothing more.
///
/// ```no_run
/// # async fn demo(client: scf_api::Client) -> Result<(), scf_api::Error<scf_api::actions::ListFunctionsError>> {
/// let mut pages = client
///     .list_functions()
///     .namespace("orders")
///     .limit(50)
///     .into_paginator();
/// while let Some(page) = pages.next_page().await {
///     for function in page?.functions {
///         println!("{}", function.function_name);
///     }
/// }
///
/// // Or item by item:
/// let mut functions = client.list_functions().into_paginator().items();
/// while let Some(function) = functions.next_item().await {
///     println!("{}", function?.function_name);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a paginator does nothing until its pages are requested"]
pub struct Paginator<R: Paged> {
    client: Client,
    request: R,
    options: CallOptions,
    pager: Pager,
    in_flight: Option<PageFuture<R>>,
}

// Nothing is pinned structurally: the call in flight is boxed.
impl<R: Paged> Unpin for Paginator<R> {}

impl<R: Paged> fmt::Debug for Paginator<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("action", &R::META.name)
            .field("next_offset", &self.pager.next)
            .field("pages", &self.pager.pages)
            .field("done", &self.pager.done)
            .field("window_reached", &self.pager.window_reached)
            .finish_non_exhaustive()
    }
}

impl<R: Paged> Paginator<R> {
    /// A paginator of `request` (built by hand, e.g. with `..Default::default()`) sent by
    /// `client` with `options`.
    pub fn new(client: &Client, request: R, options: CallOptions) -> Self {
        let pager = Pager::new(
            request.offset(),
            request.limit(),
            R::MAX_PAGE_SIZE,
            R::MAX_WINDOW,
        );
        Paginator {
            client: client.clone(),
            request,
            options,
            pager,
            in_flight: None,
        }
    }

    /// The next page, or `None` once the listing is over (after an error too).
    pub async fn next_page(&mut self) -> Option<Result<R::Output, Error<R::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The items of the pages, one by one.
    pub fn items(self) -> Items<R> {
        Items {
            pages: self,
            buffered: VecDeque::new(),
        }
    }

    /// How many pages have arrived so far.
    pub fn pages(&self) -> u64 {
        self.pager.pages
    }

    /// The offset of the next page: where to start again later.
    pub fn next_offset(&self) -> u64 {
        self.pager.next
    }

    /// Whether the listing stopped at the action's window (offset + limit may not exceed it)
    /// while the service may have more items: they cannot be listed with this query.
    pub fn window_reached(&self) -> bool {
        self.pager.window_reached
    }
}

impl<R: Paged> Stream for Paginator<R> {
    type Item = Result<R::Output, Error<R::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let in_flight = match &mut this.in_flight {
            Some(call) => call,
            None => {
                let Some(plan) = this.pager.plan() else {
                    return Poll::Ready(None);
                };
                let mut request = this.request.clone();
                if !plan.first {
                    request.set_offset(plan.offset);
                }
                if let Some(limit) = plan.limit {
                    request.set_limit(limit);
                }
                let client = this.client.clone();
                let options = this.options.clone();
                this.in_flight.insert(Box::pin(async move {
                    client.execute_with(&request, &options).await
                }))
            }
        };
        let result = ready!(in_flight.as_mut().poll(cx));
        this.in_flight = None;
        match &result {
            Ok(page) => {
                let items = R::items(page);
                let recorded = this
                    .pager
                    .record(items.len(), R::total(page), fingerprint(items));
                if let Err(e) = recorded {
                    let error = Error::new(R::META.name, None, ErrorKind::Paging(e));
                    return Poll::Ready(Some(Err(error)));
                }
            }
            Err(_) => this.pager.fail(),
        }
        Poll::Ready(Some(result))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.pager.done {
            (0, Some(0))
        } else {
            (0, None)
        }
    }
}

/// The items of a listing, one by one, fetched page by page: [`Paginator::items`].
///
/// An error ends the listing: it is yielded once, then nothing more.
#[must_use = "items are fetched only when requested"]
pub struct Items<R: Paged> {
    pages: Paginator<R>,
    buffered: VecDeque<R::Item>,
}

impl<R: Paged> Unpin for Items<R> {}

impl<R: Paged> fmt::Debug for Items<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<R: Paged> Items<R> {
    /// The next item, or `None` once the listing is over (after an error too).
    pub async fn next_item(&mut self) -> Option<Result<R::Item, Error<R::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<R::Item>, Error<R::Error>> {
        let mut all = Vec::new();
        while let Some(item) = self.next_item().await {
            all.push(item?);
        }
        Ok(all)
    }

    /// The paginator underneath (pages fetched, next offset, whether the window was reached).
    pub fn paginator(&self) -> &Paginator<R> {
        &self.pages
    }
}

impl<R: Paged> Stream for Items<R> {
    type Item = Result<R::Item, Error<R::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                Some(Ok(mut page)) => this.buffered.extend(R::take_items(&mut page)),
            }
        }
    }
}
