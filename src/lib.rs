//! steadfetch: `fetch` for HTTP APIs. Every failure becomes one normalized, typed JavaScript error;
//! what can be retried is retried with backoff that honours what the server says.
#![deny(missing_docs)]
// The shipped wasm has no std (Cargo.toml, feature `std`): nothing links panic messages or fmt.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]
// The `floor` measurement build leaves the engine unused on purpose.
#![cfg_attr(feature = "floor", allow(dead_code, unused_imports))]

extern crate alloc;

/// What std's prelude gives, for the no_std wasm build; every module imports it.
mod prelude {
    pub use alloc::string::{String, ToString};
    pub use alloc::vec::Vec;
    // No `format!`: it would link core::fmt into the wasm, so the no_std build does not offer it.
    // Only the web shell uses `vec!`: the host build has none.
    #[allow(unused_imports)]
    pub use alloc::vec;
}

/// The pure core. Public for the host's tests, benchmarks and fuzz targets (and the browser
/// suite); crate-private in the shipped wasm, so the compiler reports any of it the shell leaves
/// unused.
#[cfg(any(feature = "std", not(target_arch = "wasm32")))]
pub mod core;
#[cfg(not(any(feature = "std", not(target_arch = "wasm32"))))]
pub(crate) mod core;
/// The browser shell: public in the test builds, crate-private in the shipped wasm (which lets the
/// compiler drop and inline more: ~0.9 KB gzip, and report dead code).
#[cfg(all(target_arch = "wasm32", feature = "std"))]
pub mod web;
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
pub(crate) mod web;

#[cfg(all(target_arch = "wasm32", not(feature = "floor")))]
mod exports {
    use crate::prelude::*;
    use wasm_bindgen::prelude::*;

    /// Starts a `makeRequestWithRetry` call under `id` (js/index.js `run` drives it): the first
    /// promise to await, or the value; throws what the call rejects with.
    #[wasm_bindgen]
    pub fn start(id: u32, url: JsValue, options: JsValue, max_retries: JsValue) -> Result<JsValue, JsValue> {
        crate::web::engine::start(id, url, options, max_retries)
    }

    /// Hands call `id` what its awaited promise settled with: the next promise to await, or the
    /// value the call resolves with; throws what it rejects with.
    #[wasm_bindgen]
    pub fn step(id: u32, ok: bool, value: JsValue) -> Result<JsValue, JsValue> {
        crate::web::engine::step(id, ok, value)
    }

    /// Refills every origin's retry budget (or only `origin`'s), e.g. after the network comes back.
    #[wasm_bindgen(js_name = resetRetryBudget)]
    pub fn reset_retry_budget(origin: Option<String>) {
        crate::web::budget::reset(origin.as_deref());
    }
}

/// `npm run size -- --floor` (bench/size.mjs) builds with the feature `floor`: the module then
/// exports only the normalizer and the error building (an error response in, its `ApiError` out),
/// so the size of the normalization alone is measured, not estimated.
#[cfg(all(target_arch = "wasm32", feature = "floor"))]
mod floor {
    use wasm_bindgen::prelude::*;

    /// The error for an error response and its body text.
    #[wasm_bindgen]
    pub fn normalize(response: web_sys::Response, text: JsValue) -> JsValue {
        let (error, _) = crate::web::response::read_error(&response, &text, crate::core::headers::DEFAULT_REQUEST_ID_HEADERS);
        let context = crate::web::error::CallContext { method: "GET", url: &JsValue::UNDEFINED, history: &[], retryable: false, scope: None, draft: false };
        crate::web::error::to_js_error(&error, &context, &JsValue::UNDEFINED, &None)
    }
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: heap::Classes = heap::Classes::new();

/// The global allocator: a free list per power-of-two size class, fed from the top of memory. A
/// few hundred bytes of wasm where talc took 1.2 KB (and dlmalloc 4): the module is single-threaded
/// and allocates the same few shapes per call, so freed blocks come back at once and memory stays
/// flat (tests/soak). It traps when memory cannot grow (what the panic handler would do after
/// `handle_alloc_error`, without its formatted message).
#[cfg(target_arch = "wasm32")]
mod heap {
    use ::core::alloc::{GlobalAlloc, Layout};
    use ::core::arch::wasm32;
    use ::core::cell::UnsafeCell;

    const PAGE: usize = 65_536;

    /// The allocator's state: free-list heads by class, and the unused span at the top of memory.
    pub struct Classes(UnsafeCell<State>);

    struct State {
        /// Class `c` holds blocks of `1 << c` bytes; a free block's first word links the next.
        free: [usize; 32],
        next: usize,
        end: usize,
    }

    // SAFETY: wasm32-unknown-unknown without atomics runs one thread.
    unsafe impl Sync for Classes {}

    impl Classes {
        pub const fn new() -> Classes {
            Classes(UnsafeCell::new(State { free: [0; 32], next: 0, end: 0 }))
        }
    }

    /// The class of a layout: the smallest power of two holding its size and alignment, at least a
    /// word (8 bytes, so a freed block can hold the link).
    fn class(layout: &Layout) -> usize {
        let size = layout.size().max(layout.align()).max(8);
        (usize::BITS - (size - 1).leading_zeros()) as usize
    }

    impl State {
        /// A block of class `c`: a freed one, else carved from the top of memory (aligned to its
        /// size up to a page's 4 KiB, which covers every alignment a class can be asked for).
        fn take(&mut self, c: usize) -> *mut u8 {
            let Some(head) = self.free.get_mut(c) else { wasm32::unreachable() };
            if *head != 0 {
                let block = *head;
                // SAFETY: a block on a free list was handed out by `take` and holds the link.
                *head = unsafe { *(block as *const usize) };
                return block as *mut u8;
            }
            if self.end == 0 {
                self.end = wasm32::memory_size(0) * PAGE;
                self.next = self.end;
            }
            let size = 1usize << c;
            let align = size.min(4096);
            let start = (self.next + align - 1) & !(align - 1);
            let Some(end) = start.checked_add(size) else { wasm32::unreachable() };
            if end > self.end {
                let pages = (end - self.end).div_ceil(PAGE);
                if wasm32::memory_grow(0, pages) == usize::MAX {
                    wasm32::unreachable();
                }
                self.end += pages * PAGE;
            }
            self.next = end;
            start as *mut u8
        }

        /// Puts `block` (of class `c`) on its free list.
        fn give(&mut self, block: *mut u8, c: usize) {
            if let Some(head) = self.free.get_mut(c) {
                // SAFETY: the block is at least a word, aligned, and no longer used by its owner.
                unsafe { *(block as *mut usize) = *head };
                *head = block as usize;
            }
        }
    }

    unsafe impl GlobalAlloc for Classes {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: one thread, and no allocation runs inside another.
            let block = unsafe { (*self.0.get()).take(class(&layout)) };
            // Never null (memory starts above the data): said so, the callers' null checks and
            // `handle_alloc_error`'s formatted message can go.
            if block.is_null() {
                wasm32::unreachable();
            }
            block
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: as in `alloc`.
            unsafe { (*self.0.get()).give(ptr, class(&layout)) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: the caller promises `new_size` with the old alignment is a valid layout.
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            let (old, new) = (class(&layout), class(&new_layout));
            if old == new {
                return ptr;
            }
            // SAFETY: as in `alloc`; the blocks are distinct and each holds the bytes copied.
            unsafe {
                let state = &mut *self.0.get();
                let block = state.take(new);
                ::core::ptr::copy_nonoverlapping(ptr, block, layout.size().min(new_size));
                state.give(ptr, old);
                block
            }
        }
    }
}

/// A panic cannot happen in library code (clippy denies unwrap, expect, panic and indexing); if
/// the standard library ever panics, the module traps without formatting a message.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}
