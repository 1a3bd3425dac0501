//! One fetch with a timeout and a backoff wait, the JSON body read into a Rust tree: the
//! dependencies' share of steadfetch's size, without any of its logic.
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A parsed JSON value. Its own, not steadfetch's `core::json::Json`: depending on the steadfetch
/// crate would also link its `#[wasm_bindgen]` exports, i.e. the whole product.
pub enum Json {
    /// null
    Null,
    /// true / false
    Bool(bool),
    /// a number
    Num(f64),
    /// a string
    Str(String),
    /// an array
    Arr(Vec<Json>),
    /// an object
    Obj(Vec<(String, Json)>),
}

fn size(json: &Json) -> u32 {
    match json {
        Json::Arr(items) => items.iter().map(size).sum::<u32>() + 1,
        Json::Obj(entries) => entries.iter().map(|(_, v)| size(v)).sum::<u32>() + 1,
        _ => 1,
    }
}

/// Fetches `url`, aborting after `ms`, waits `ms`, and returns the body's node count.
#[wasm_bindgen]
pub async fn run(url: JsValue, ms: u32) -> Result<JsValue, JsValue> {
    let controller = web_sys::AbortController::new()?;
    let signal = controller.signal();
    let _timeout = gloo_timers::callback::Timeout::new(ms, move || controller.abort());
    let fetch: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"fetch".into())?.dyn_into()?;
    let promise: js_sys::Promise = fetch.call1(&JsValue::UNDEFINED, &url)?.dyn_into()?;
    let response: web_sys::Response = JsFuture::from(promise).await?.dyn_into()?;
    gloo_timers::future::TimeoutFuture::new(ms).await;
    let value = JsFuture::from(response.json()?).await?;
    drop(signal);
    Ok(JsValue::from(size(&read(value)?)))
}

#[cfg(feature = "serde")]
fn read(value: JsValue) -> Result<Json, JsValue> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    struct Seed;
    impl<'de> DeserializeSeed<'de> for Seed {
        type Value = Json;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
            d.deserialize_any(Seed)
        }
    }
    impl<'de> Visitor<'de> for Seed {
        type Value = Json;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_unit<E>(self) -> Result<Json, E> {
            Ok(Json::Null)
        }
        fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
            Ok(Json::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
            Ok(Json::Num(v as f64))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
            Ok(Json::Num(v as f64))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
            Ok(Json::Num(v))
        }
        fn visit_str<E>(self, v: &str) -> Result<Json, E> {
            Ok(Json::Str(v.into()))
        }
        fn visit_string<E>(self, v: String) -> Result<Json, E> {
            Ok(Json::Str(v))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element_seed(Seed)? {
                items.push(item);
            }
            Ok(Json::Arr(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
            let mut entries = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                entries.push((key, map.next_value_seed(Seed)?));
            }
            Ok(Json::Obj(entries))
        }
    }
    Seed.deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(JsValue::from)
}

#[cfg(not(feature = "serde"))]
fn read(value: JsValue) -> Result<Json, JsValue> {
    Ok(walk(&value))
}

#[cfg(not(feature = "serde"))]
fn walk(value: &JsValue) -> Json {
    if let Some(b) = value.as_bool() {
        Json::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Json::Num(n)
    } else if let Some(s) = value.as_string() {
        Json::Str(s)
    } else if js_sys::Array::is_array(value) {
        Json::Arr(js_sys::Array::from(value).iter().map(|v| walk(&v)).collect())
    } else if value.is_object() {
        let entries = js_sys::Object::entries(value.unchecked_ref());
        let read = |entry: JsValue| {
            let pair: js_sys::Array = entry.unchecked_into();
            (pair.get(0).as_string().unwrap_or_default(), walk(&pair.get(1)))
        };
        Json::Obj(entries.iter().map(read).collect())
    } else {
        Json::Null
    }
}
