//! A global allocator that counts what one thread, or every thread, allocates.
//!
//! Benchmarks install it with `#[global_allocator]` and call [`track`] on the thread that runs
//! the client: the bench server runs on another thread, so its allocations are not counted.
//! Memory tests call [`track_all_threads`] instead and read [`live_bytes`]: what the whole
//! process holds beyond what it held at [`reset`].

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

thread_local! {
    /// Whether this thread's allocations are counted. Const-initialised and without a
    /// destructor, so reading it never allocates.
    static TRACKED: Cell<bool> = const { Cell::new(false) };
}

/// Whether every thread's allocations are counted.
static ALL_THREADS: AtomicBool = AtomicBool::new(false);

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);
static PEAK_BYTES: AtomicI64 = AtomicI64::new(0);

/// The system allocator, counting allocations and live bytes of tracked threads.
pub struct CountingAlloc;

fn tracked() -> bool {
    ALL_THREADS.load(Ordering::Relaxed) || TRACKED.try_with(Cell::get).unwrap_or(false)
}

fn grew(bytes: usize) {
    let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
    let live = LIVE_BYTES.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE_BYTES.fetch_sub(i64::try_from(bytes).unwrap_or(i64::MAX), Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` with the same arguments; the counters never touch
// the memory.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() && tracked() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() && tracked() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        if tracked() {
            shrank(layout.size());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() && tracked() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        new
    }
}

/// What the tracked threads allocated since the last [`reset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Allocations, reallocations included.
    pub allocations: u64,
    /// The most bytes live at once, counted from the bytes live at [`reset`].
    pub peak_bytes: u64,
}

/// Counts this thread's allocations from now on (or stops counting them).
pub fn track(on: bool) {
    TRACKED.with(|t| t.set(on));
}

/// Counts the allocations of every thread from now on (or stops counting those of threads
/// that did not call [`track`]). Memory freed that was allocated before counting started
/// lowers [`live_bytes`], so start counting (and [`reset`]) after a warm-up.
pub fn track_all_threads(on: bool) {
    ALL_THREADS.store(on, Ordering::Relaxed);
}

/// The bytes allocated and not yet freed by the tracked threads since the last [`reset`]
/// (negative when they freed more than they allocated).
pub fn live_bytes() -> i64 {
    LIVE_BYTES.load(Ordering::Relaxed)
}

/// Starts a new measurement: zero allocations, and the peak measured from the current level.
pub fn reset() {
    ALLOCATIONS.store(0, Ordering::Relaxed);
    LIVE_BYTES.store(0, Ordering::Relaxed);
    PEAK_BYTES.store(0, Ordering::Relaxed);
}

/// The usage since the last [`reset`]. All zero unless the binary installed [`CountingAlloc`].
pub fn usage() -> Usage {
    Usage {
        allocations: ALLOCATIONS.load(Ordering::Relaxed),
        peak_bytes: u64::try_from(PEAK_BYTES.load(Ordering::Relaxed)).unwrap_or(0),
    }
}
