//! A small JSON value read through serde, so the browser (`JSON.parse` + serde-wasm-bindgen) and the
//! host tests (serde_json) feed the same normalization code without serde_json in the wasm build.

use crate::prelude::*;

#[cfg(not(target_arch = "wasm32"))]
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
#[cfg(not(target_arch = "wasm32"))]
use core::fmt;

/// Nesting deeper than this is cut off (replaced by `Null`) so hostile bodies cannot exhaust the stack.
pub const MAX_DEPTH: u32 = 48;
/// Arrays and objects keep at most this many entries; error bodies never need more.
pub const MAX_ENTRIES: usize = 256;

/// A parsed JSON value. Object keys keep their order and duplicates, as the body gave them.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`, or anything cut off by the depth limit.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Any number (JSON numbers are doubles in the browser too).
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object as (key, value) pairs.
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// The value of `key` in an object, matched exactly first, then ignoring ASCII case.
    pub fn get(&self, key: &str) -> Option<&Json> {
        let Json::Obj(pairs) = self else { return None };
        // One pass: most lookups miss, and the rules make many of them per body.
        let mut folded = None;
        for (k, v) in pairs {
            if k.len() != key.len() {
                continue;
            }
            if k == key {
                return Some(v);
            }
            if folded.is_none() && k.eq_ignore_ascii_case(key) {
                folded = Some(v);
            }
        }
        folded
    }

    /// The first of `keys` present with a non-blank string value.
    pub fn str_of(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.get(k).and_then(Json::as_text))
    }

    /// A non-blank string.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Json::Str(s) if !s.trim().is_empty() => Some(s),
            _ => None,
        }
    }

    /// A string, or a number/boolean written as text (codes are sometimes numbers).
    pub fn to_code(&self) -> Option<String> {
        match self {
            Json::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Json::Num(n) if n.is_finite() => Some(format_number(*n)),
            _ => None,
        }
    }

    /// A finite number, or a string holding one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Json::Num(n) if n.is_finite() => Some(*n),
            Json::Str(s) => super::num::parse_decimal(s).filter(|n| n.is_finite()),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Obj(_))
    }

    /// Parses JSON from any serde deserializer with the depth and size limits applied (host only:
    /// the wasm reads `JSON.parse`'s value instead).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        JsonSeed { depth: 0 }.deserialize(deserializer)
    }
}

pub use super::num::format_number;

#[cfg(not(target_arch = "wasm32"))]
struct JsonSeed {
    depth: u32,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> DeserializeSeed<'de> for JsonSeed {
    type Value = Json;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        if self.depth >= MAX_DEPTH {
            deserializer.deserialize_ignored_any(IgnoredAny)?;
            return Ok(Json::Null);
        }
        deserializer.deserialize_any(self)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Visitor<'de> for JsonSeed {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        self.deserialize(d)
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
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(JsonSeed { depth: self.depth + 1 })? {
            if items.len() < MAX_ENTRIES {
                items.push(item);
            }
        }
        Ok(Json::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut pairs = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(JsonSeed { depth: self.depth + 1 })?;
            if pairs.len() < MAX_ENTRIES {
                pairs.push((key, value));
            }
        }
        Ok(Json::Obj(pairs))
    }
}
