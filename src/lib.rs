//! steadfetch: `fetch` for HTTP APIs. Every failure becomes one normalized, typed JavaScript error;
//! what can be retried is retried with backoff that honours what the server says.
#![deny(missing_docs)]

pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// `fetch` with typed errors and retries. Resolves with the parsed body; rejects with an
    /// `ApiError` subclass (or a `TypeError` for invalid arguments).
    #[wasm_bindgen(js_name = makeRequestWithRetry)]
    pub async fn make_request_with_retry(url: JsValue, options: JsValue, max_retries: JsValue) -> Result<JsValue, JsValue> {
        crate::web::engine::make_request(url, options, max_retries).await
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
