//! steadfetch: `fetch` for HTTP APIs. Every failure becomes one normalized, typed JavaScript error;
//! what can be retried is retried with backoff that honours what the server says.
#![deny(missing_docs)]
// The shipped wasm has no std (Cargo.toml, feature `std`): nothing links panic messages or fmt.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

/// What std's prelude gives, for the no_std wasm build; every module imports it.
mod prelude {
    pub use alloc::string::{String, ToString};
    pub use alloc::vec::Vec;
    // No `format!`: it would link core::fmt into the wasm, so the no_std build does not offer it.
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

#[cfg(target_arch = "wasm32")]
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

/// Talc instead of std's dlmalloc: a few KB smaller in wasm, as fast; the module is single-threaded.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A panic cannot happen in library code (clippy denies unwrap, expect, panic and indexing); if
/// the standard library ever panics, the module traps without formatting a message.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}
