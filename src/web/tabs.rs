//! `shareAcrossTabs`: the page's gate, breaker and budget updates go to the other same-origin
//! pages and workers over a `BroadcastChannel` (js/glue.js, which also answers tabs that join
//! later), and theirs are taken in when a shared call checks its gate.

use js_sys::Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    /// Joins the channel (once).
    #[wasm_bindgen(js_name = tabsJoin)]
    pub fn join();
    #[wasm_bindgen(js_name = tabsPost)]
    fn tabs_post(kind: &str, key: &str, a: f64, b: f64, c: f64);
    #[wasm_bindgen(js_name = tabsTake)]
    fn tabs_take() -> Array;
}

/// Sends one update (a no-op until the page joined): `g` gate (until, status), `o`
/// breaker opened (until), `c` breaker closed, `b` budget tokens (delta).
pub fn post(kind: &str, key: &str, a: f64, b: f64, c: f64) {
    tabs_post(kind, key, a, b, c);
}

/// Applies what the other tabs said since the last look.
pub fn take() {
    let flat = tabs_take();
    let mut i = 0;
    while i + 5 <= flat.length() {
        let num = |j: u32| flat.get(i + j).as_f64().unwrap_or(0.0);
        let (kind, key) = (flat.get(i).as_string().unwrap_or_default(), flat.get(i + 1).as_string().unwrap_or_default());
        // Kinds are one letter; another tab's longer ones are ignored.
        match kind.as_bytes() {
            [b'b'] => super::budget::apply(&key, num(2)),
            &[k] => super::gate::apply_remote(k, &key, num(2), num(3)),
            _ => {}
        }
        i += 5;
    }
}
