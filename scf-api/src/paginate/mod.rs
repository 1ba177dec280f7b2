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
use crate::error::Error;

/// A request of a listing action that pages by offset and limit: implemented by the generated
/// `*Request` types of the actions whose spec has a `pagination` key (`ListFunctions`,
/// `GetFunctionLogs`, ...). [`Paginator`] does the paging for any of them.
pub trait Paged: Action<Output: 'static> + Clone + 'static {
    /// One listed item (`Function` for `ListFunctions`).
    type Item: Send + 'static;
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
    /// How many items a page holds.
    fn item_count(output: &Self::Output) -> usize;
    /// Takes the items out of a page.
    fn take_items(output: &mut Self::Output) -> Vec<Self::Item>;
    /// The number of items in the whole listing, as the page says.
    fn total(output: &Self::Output) -> Option<u64>;
}

/// What the next request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    /// Whether this is the first page, sent with the request's own offset.
    first: bool,
    offset: u64,
    limit: Option<u64>,
}

/// The paging arithmetic, apart from any I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pager {
    /// Offset of the next page.
    next: u64,
    /// Page size: the request's limit, else the documented maximum.
    page_size: Option<u64>,
    /// With a window and no page size: the size of the first page, the service's default.
    learned: Option<u64>,
    window: Option<u64>,
    /// The limit the page in flight asked for.
    requested: Option<u64>,
    pages: u64,
    done: bool,
    window_reached: bool,
}

impl Pager {
    fn new(
        offset: Option<u64>,
        limit: Option<u64>,
        max_page: Option<u64>,
        window: Option<u64>,
    ) -> Self {
        Pager {
            next: offset.unwrap_or(0),
            page_size: limit.or(max_page),
            learned: None,
            window,
            requested: None,
            pages: 0,
            done: false,
            window_reached: false,
        }
    }

    /// The next request, or `None` when the listing is over.
    fn plan(&mut self) -> Option<Plan> {
        if self.done {
            return None;
        }
        let mut limit = self.page_size;
        if let Some(window) = self.window {
            let room = window.saturating_sub(self.next);
            if room == 0 {
                self.done = true;
                self.window_reached = true;
                return None;
            }
            limit = limit.or(self.learned).map(|l| l.min(room));
        }
        self.requested = limit;
        Some(Plan {
            first: self.pages == 0,
            offset: self.next,
            limit,
        })
    }

    /// Records a page of `received` items and the total it announced.
    fn record(&mut self, received: usize, total: Option<u64>) {
        let received = u64::try_from(received).unwrap_or(u64::MAX);
        self.pages += 1;
        self.next = self.next.saturating_add(received);
        if self.page_size.is_none() && self.learned.is_none() && received > 0 {
            self.learned = Some(received);
        }
        // A total below what already came back is not believed (a missing total decodes as 0).
        let total = total.filter(|t| *t >= self.next);
        let short = self.requested.is_some_and(|l| received < l);
        if received == 0 || short || total.is_some_and(|t| self.next >= t) {
            self.done = true;
        } else if self.window.is_some_and(|w| self.next >= w) {
            self.done = true;
            self.window_reached = true;
        }
    }

    fn fail(&mut self) {
        self.done = true;
    }
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
            Ok(page) => this.pager.record(R::item_count(page), R::total(page)),
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

/// Conversions generated `Paged` impls use, whatever the shape of the members.
pub mod support {
    /// An offset or limit member: `Option` of `i64`, `u64` or a string of digits.
    pub trait PageNumber {
        /// The value, when set and a non-negative number.
        fn get(&self) -> Option<u64>;
        /// Sets the value.
        fn set(&mut self, value: u64);
    }

    impl PageNumber for Option<i64> {
        fn get(&self) -> Option<u64> {
            self.and_then(|n| u64::try_from(n).ok())
        }

        fn set(&mut self, value: u64) {
            *self = Some(i64::try_from(value).unwrap_or(i64::MAX));
        }
    }

    impl PageNumber for Option<u64> {
        fn get(&self) -> Option<u64> {
            *self
        }

        fn set(&mut self, value: u64) {
            *self = Some(value);
        }
    }

    impl PageNumber for Option<String> {
        fn get(&self) -> Option<u64> {
            self.as_deref().and_then(|s| s.parse().ok())
        }

        fn set(&mut self, value: u64) {
            *self = Some(value.to_string());
        }
    }

    /// An items member: a list, or an optional one.
    pub trait PageItems<T> {
        /// How many items there are.
        fn count(&self) -> usize;
        /// Takes them out.
        fn take(&mut self) -> Vec<T>;
    }

    impl<T> PageItems<T> for Vec<T> {
        fn count(&self) -> usize {
            self.len()
        }

        fn take(&mut self) -> Vec<T> {
            std::mem::take(self)
        }
    }

    impl<T> PageItems<T> for Option<Vec<T>> {
        fn count(&self) -> usize {
            self.as_ref().map_or(0, Vec::len)
        }

        fn take(&mut self) -> Vec<T> {
            self.take().unwrap_or_default()
        }
    }

    /// A total member: `i64` or `u64`, optional or not.
    pub trait PageTotal {
        /// The total, when known and not negative.
        fn total(&self) -> Option<u64>;
    }

    impl PageTotal for i64 {
        fn total(&self) -> Option<u64> {
            u64::try_from(*self).ok()
        }
    }

    impl PageTotal for u64 {
        fn total(&self) -> Option<u64> {
            Some(*self)
        }
    }

    impl<T: PageTotal> PageTotal for Option<T> {
        fn total(&self) -> Option<u64> {
            self.as_ref().and_then(PageTotal::total)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::support::{PageItems, PageNumber, PageTotal};
    use super::*;

    /// Drives a pager over a listing of `len` items whose service caps pages at `cap` and
    /// rejects offset + limit over `window`; returns the (offset, limit) of every request and
    /// the items listed.
    fn run(
        mut pager: Pager,
        len: u64,
        default_limit: u64,
        window: Option<u64>,
    ) -> (Vec<(u64, Option<u64>)>, u64) {
        let mut requests = Vec::new();
        let mut listed = 0;
        while let Some(plan) = pager.plan() {
            let limit = plan.limit.unwrap_or(default_limit);
            if let Some(w) = window {
                assert!(plan.offset + limit <= w, "{plan:?} is past the window {w}");
            }
            requests.push((plan.offset, plan.limit));
            let received = len.saturating_sub(plan.offset).min(limit);
            listed += received;
            pager.record(received as usize, Some(len));
            assert!(requests.len() < 100_000, "the pager does not stop");
        }
        (requests, listed)
    }

    #[test]
    fn pages_until_the_total() {
        let (requests, listed) = run(Pager::new(None, Some(20), None, None), 250, 20, None);
        assert_eq!(listed, 250);
        assert_eq!(requests.len(), 13);
        assert_eq!(requests[0], (0, Some(20)));
        assert_eq!(requests[12], (240, Some(20)));
    }

    #[test]
    fn starts_at_the_offset_and_uses_the_documented_page_size() {
        let (requests, listed) = run(Pager::new(Some(30), None, Some(100), None), 250, 20, None);
        assert_eq!(listed, 220);
        assert_eq!(
            requests,
            vec![(30, Some(100)), (130, Some(100)), (230, Some(100))]
        );
    }

    #[test]
    fn without_a_page_size_counts_what_comes_back() {
        let mut pager = Pager::new(None, None, None, None);
        let mut offsets = Vec::new();
        while let Some(plan) = pager.plan() {
            assert_eq!(plan.limit, None);
            offsets.push(plan.offset);
            let received = 45u64.saturating_sub(plan.offset).min(20);
            // No total: only an empty page ends the listing.
            pager.record(received as usize, None);
        }
        assert_eq!(offsets, vec![0, 20, 40, 45]);
    }

    #[test]
    fn a_short_page_ends_the_listing_without_a_total() {
        let mut pager = Pager::new(None, Some(20), None, None);
        pager.plan().unwrap();
        pager.record(20, None);
        pager.plan().unwrap();
        pager.record(7, None);
        assert_eq!(pager.plan(), None);
        assert!(!pager.window_reached);
    }

    #[test]
    fn a_total_smaller_than_what_came_back_is_not_believed() {
        // A missing total decodes as 0: full pages go on until a short one.
        let mut pager = Pager::new(None, Some(10), None, None);
        pager.plan().unwrap();
        pager.record(10, Some(0));
        assert_eq!(pager.plan().map(|p| p.offset), Some(10));
        pager.record(3, Some(0));
        assert_eq!(pager.plan(), None);
    }

    #[test]
    fn the_window_clamps_the_last_page_and_stops_the_listing() {
        let (requests, listed) = run(
            Pager::new(None, Some(300), None, Some(10_000)),
            25_000,
            20,
            Some(10_000),
        );
        assert_eq!(listed, 10_000);
        assert_eq!(requests.len(), 34);
        assert_eq!(*requests.last().unwrap(), (9_900, Some(100)));
        let mut pager = Pager::new(None, Some(300), None, Some(10_000));
        while let Some(plan) = pager.plan() {
            pager.record(plan.limit.unwrap() as usize, Some(25_000));
        }
        assert!(pager.window_reached);
    }

    #[test]
    fn the_window_learns_the_default_page_size() {
        // No limit and none documented: the first page's size is the service's default, and
        // later pages ask for it explicitly so that the last one can be shortened.
        let (requests, listed) = run(
            Pager::new(Some(9_950), None, None, Some(10_000)),
            25_000,
            20,
            Some(10_000),
        );
        assert_eq!(listed, 50);
        assert_eq!(
            requests,
            vec![(9_950, None), (9_970, Some(20)), (9_990, Some(10))]
        );
    }

    #[test]
    fn a_listing_within_the_window_does_not_report_it() {
        let mut pager = Pager::new(None, Some(100), None, Some(10_000));
        while let Some(plan) = pager.plan() {
            let received = 10_000u64.saturating_sub(plan.offset).min(100);
            pager.record(received as usize, Some(10_000));
        }
        assert!(!pager.window_reached, "the total ended the listing");
        let mut past = Pager::new(Some(10_000), Some(20), None, Some(10_000));
        assert_eq!(past.plan(), None);
        assert!(past.window_reached);
    }

    #[test]
    fn an_error_ends_the_listing() {
        let mut pager = Pager::new(None, Some(20), None, None);
        pager.plan().unwrap();
        pager.fail();
        assert_eq!(pager.plan(), None);
    }

    #[test]
    fn member_conversions() {
        let mut n: Option<i64> = Some(-1);
        assert_eq!(n.get(), None);
        n.set(u64::MAX);
        assert_eq!(n, Some(i64::MAX));
        let mut s: Option<String> = Some("12".into());
        assert_eq!(s.get(), Some(12));
        s.set(40);
        assert_eq!(s.as_deref(), Some("40"));
        assert_eq!(Some("ten".to_owned()).get(), None);
        let mut u: Option<u64> = None;
        assert_eq!(u.get(), None);
        u.set(3);
        assert_eq!(u, Some(3));

        let mut list: Option<Vec<u8>> = None;
        assert_eq!(list.count(), 0);
        assert!(PageItems::take(&mut list).is_empty());
        let mut list = Some(vec![1, 2]);
        assert_eq!(list.count(), 2);
        assert_eq!(PageItems::take(&mut list), vec![1, 2]);
        let mut plain = vec![3];
        assert_eq!(PageItems::take(&mut plain), vec![3]);
        assert!(plain.is_empty());

        assert_eq!((-3i64).total(), None);
        assert_eq!(7u64.total(), Some(7));
        assert_eq!(Some(5i64).total(), Some(5));
        assert_eq!(None::<u64>.total(), None);
    }
}
