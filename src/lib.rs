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
    pub use alloc::{format, vec};
}

pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod web;

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
