//! The thin browser shell: fetch, AbortController, timers, the JS error classes, options.

pub mod attempt;
pub mod budget;
pub mod custom;
pub mod describe;
pub mod engine;
pub mod error;
pub mod hooks;
pub mod gate;
pub mod js;
pub mod options;
pub mod page;
pub mod response;
pub mod tabs;
