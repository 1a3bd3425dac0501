//! The pure core: no wasm-bindgen, web-sys or js-sys. Error model, body dialects, headers, retry
//! policy and backoff, all tested with plain `cargo test` on the host.

pub mod body;
pub mod breaker;
pub mod budget;
mod code;
mod dialect;
mod hints;
mod message;
pub mod error;
pub mod fields;
pub mod gate;
pub mod headers;
pub mod httpdate;
#[cfg(any(feature = "std", not(target_arch = "wasm32")))]
pub mod json;
pub mod kind;
pub mod num;
pub mod policy;
pub mod signals;
pub mod slots;
pub mod text;
pub mod view;
pub mod xml;

pub use error::{normalize, Normalized};
pub use view::{JsonView, Kind};
