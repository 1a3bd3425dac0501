//! The headless-Chrome suite (`wasm-pack test --headless --chrome`): the fixture table through the
//! browser path, and makeRequestWithRetry end to end against the local mock API.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/fixtures.rs"]
mod fixtures;

#[path = "browser/support.rs"]
mod support;

#[path = "browser/fixture_table.rs"]
mod fixture_table;

#[path = "browser/seeds.rs"]
mod seeds;

#[path = "browser/retries.rs"]
mod retries;

#[path = "browser/failures.rs"]
mod failures;

#[path = "browser/custom.rs"]
mod custom;

#[path = "browser/replay.rs"]
mod replay;
#[path = "browser/gate.rs"]
mod gate;
