//! The paging arithmetic, apart from any I/O: what to ask for next, when the listing is over,
//! and when a service's pages do not advance.

use crate::error::{PagingError, PagingErrorKind};

use super::MAX_PAGES_WITHOUT_TOTAL;

/// What the next request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Plan {
    /// Whether this is the first page, sent with the request's own offset.
    pub(super) first: bool,
    pub(super) offset: u64,
    pub(super) limit: Option<u64>,
}

/// The paging arithmetic, apart from any I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pager {
    /// Offset of the next page.
    pub(super) next: u64,
    /// Page size: the request's limit, else the documented maximum.
    page_size: Option<u64>,
    /// With a window and no page size: the size of the first page, the service's default.
    learned: Option<u64>,
    window: Option<u64>,
    /// The limit the page in flight asked for.
    requested: Option<u64>,
    /// The offset the page in flight asked for.
    requested_offset: u64,
    /// A fingerprint of the last non-empty page's items.
    last_page: Option<u64>,
    pub(super) pages: u64,
    pub(super) done: bool,
    pub(super) window_reached: bool,
}

impl Pager {
    pub(super) fn new(
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
            requested_offset: 0,
            last_page: None,
            pages: 0,
            done: false,
            window_reached: false,
        }
    }

    /// The next request, or `None` when the listing is over.
    pub(super) fn plan(&mut self) -> Option<Plan> {
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
        self.requested_offset = self.next;
        Some(Plan {
            first: self.pages == 0,
            offset: self.next,
            limit,
        })
    }

    /// Records a page of `received` items, the total it announced and a fingerprint of its
    /// items. A page that repeats the previous one, or a page past [`MAX_PAGES_WITHOUT_TOTAL`]
    /// while no total is known, ends the listing with an error instead.
    pub(super) fn record(
        &mut self,
        received: usize,
        total: Option<u64>,
        fingerprint: u64,
    ) -> Result<(), PagingError> {
        let received = u64::try_from(received).unwrap_or(u64::MAX);
        self.pages += 1;
        let stop = |this: &mut Self, kind| {
            this.done = true;
            Err(PagingError {
                kind,
                pages: this.pages,
                offset: this.requested_offset,
            })
        };
        if received > 0 {
            if self.last_page == Some(fingerprint) {
                return stop(self, PagingErrorKind::RepeatedPage);
            }
            self.last_page = Some(fingerprint);
        }
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
        } else if total.is_none() && self.pages >= MAX_PAGES_WITHOUT_TOTAL {
            return stop(self, PagingErrorKind::TooManyPages);
        }
        Ok(())
    }

    pub(super) fn fail(&mut self) {
        self.done = true;
    }
}

/// A 64-bit fingerprint of a page's items (their JSON encoding, hashed), to recognise a page
/// that repeats the one before it without keeping a copy of it.
pub(super) fn fingerprint<T: serde::Serialize>(items: &[T]) -> u64 {
    use std::hash::Hasher;

    struct HashWriter(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for HashWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = HashWriter(std::collections::hash_map::DefaultHasher::new());
    // Items that cannot be encoded hash as far as they got; such a page is compared by that.
    let _ = serde_json::to_writer(&mut w, items);
    w.0.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records a page whose items differ from every other page's.
    fn rec(pager: &mut Pager, received: usize, total: Option<u64>) {
        let distinct = pager.next;
        pager.record(received, total, distinct).unwrap();
    }

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
            rec(&mut pager, received as usize, Some(len));
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
            rec(&mut pager, received as usize, None);
        }
        assert_eq!(offsets, vec![0, 20, 40, 45]);
    }

    #[test]
    fn a_short_page_ends_the_listing_without_a_total() {
        let mut pager = Pager::new(None, Some(20), None, None);
        pager.plan().unwrap();
        rec(&mut pager, 20, None);
        pager.plan().unwrap();
        rec(&mut pager, 7, None);
        assert_eq!(pager.plan(), None);
        assert!(!pager.window_reached);
    }

    #[test]
    fn a_total_smaller_than_what_came_back_is_not_believed() {
        // A missing total decodes as 0: full pages go on until a short one.
        let mut pager = Pager::new(None, Some(10), None, None);
        pager.plan().unwrap();
        rec(&mut pager, 10, Some(0));
        assert_eq!(pager.plan().map(|p| p.offset), Some(10));
        rec(&mut pager, 3, Some(0));
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
            rec(&mut pager, plan.limit.unwrap() as usize, Some(25_000));
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
            rec(&mut pager, received as usize, Some(10_000));
        }
        assert!(!pager.window_reached, "the total ended the listing");
        let mut past = Pager::new(Some(10_000), Some(20), None, Some(10_000));
        assert_eq!(past.plan(), None);
        assert!(past.window_reached);
    }

    #[test]
    fn a_repeated_page_ends_the_listing_with_an_error() {
        // A service that ignores the offset and omits the total: the same full page forever.
        let mut pager = Pager::new(None, Some(20), None, None);
        pager.plan().unwrap();
        pager.record(20, None, 7).unwrap();
        assert_eq!(pager.plan().map(|p| p.offset), Some(20));
        let err = pager.record(20, None, 7).unwrap_err();
        assert_eq!(err.kind, PagingErrorKind::RepeatedPage);
        assert_eq!((err.pages, err.offset), (2, 20));
        assert_eq!(pager.plan(), None);
        // Empty pages are not compared: they end the listing anyway.
        let mut pager = Pager::new(None, None, None, None);
        pager.plan().unwrap();
        pager.record(0, None, 7).unwrap();
        assert_eq!(pager.plan(), None);
    }

    #[test]
    fn without_a_total_the_page_cap_ends_the_listing() {
        let mut pager = Pager::new(None, Some(1), None, None);
        let mut pages = 0u64;
        let err = loop {
            let plan = pager.plan().expect("the pager stops only with an error");
            pages += 1;
            match pager.record(1, None, plan.offset) {
                Ok(()) => {}
                Err(e) => break e,
            }
        };
        assert_eq!(err.kind, PagingErrorKind::TooManyPages);
        assert_eq!(
            (pages, err.pages),
            (MAX_PAGES_WITHOUT_TOTAL, MAX_PAGES_WITHOUT_TOTAL)
        );
        assert_eq!(pager.plan(), None);
        // With a total, long listings go on past the cap.
        let total = MAX_PAGES_WITHOUT_TOTAL + 5;
        let mut pager = Pager::new(None, Some(1), None, None);
        let mut pages = 0;
        while let Some(plan) = pager.plan() {
            pager.record(1, Some(total), plan.offset).unwrap();
            pages += 1;
        }
        assert_eq!(pages, total);
    }

    #[test]
    fn fingerprints_tell_pages_apart() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["a", "b"]), fingerprint(&["a", "c"]));
        assert_ne!(fingerprint(&["ab"]), fingerprint(&["a", "b"]));
    }

    #[test]
    fn an_error_ends_the_listing() {
        let mut pager = Pager::new(None, Some(20), None, None);
        pager.plan().unwrap();
        pager.fail();
        assert_eq!(pager.plan(), None);
    }
}
