//! The host's JSON value, read through serde (serde_json in the tests, fuzz targets and examples),
//! and the [`JsonView`] over it, so the host runs the same normalization code as the browser, which
//! reads `JSON.parse`'s value in place instead (src/web/response.rs). Not in the shipped wasm.

use crate::prelude::*;

#[cfg(not(target_arch = "wasm32"))]
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
#[cfg(not(target_arch = "wasm32"))]
use core::fmt;

pub use super::view::{MAX_DEPTH, MAX_ENTRIES};
use super::view::{find_key, JsonView, Kind};

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
        pairs.get(find_key(pairs.iter().map(|(k, _)| k.as_str()), key)?).map(|(_, v)| v)
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

/// What [`JsonView::find`] answers for a missing key: a value of its own, told apart by address.
static ABSENT: Json = Json::Null;

/// A `Json` tree as the normalizer reads it.
#[derive(Clone, Copy)]
pub struct JsonDoc<'a>(pub &'a Json);

/// One value of a [`JsonDoc`]; equal when it is the same value, not an equal one.
#[derive(Debug, Clone, Copy)]
pub struct JsonNode<'a>(pub &'a Json);

impl PartialEq for JsonNode<'_> {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::eq(self.0, other.0)
    }
}

impl<'a> JsonView for JsonDoc<'a> {
    type Node = JsonNode<'a>;
    fn root(&self) -> JsonNode<'a> {
        JsonNode(self.0)
    }
    fn kind(&self, node: JsonNode<'a>) -> Kind {
        match node.0 {
            Json::Null => Kind::Null,
            Json::Bool(false) => Kind::False,
            Json::Bool(true) => Kind::True,
            Json::Num(_) => Kind::Num,
            Json::Str(_) => Kind::Str,
            Json::Arr(_) => Kind::Arr,
            Json::Obj(_) => Kind::Obj,
        }
    }
    fn len(&self, node: JsonNode<'a>) -> usize {
        match node.0 {
            Json::Arr(items) => items.len().min(MAX_ENTRIES),
            Json::Obj(pairs) => pairs.len().min(MAX_ENTRIES),
            _ => 0,
        }
    }
    fn entry(&self, node: JsonNode<'a>, i: usize) -> JsonNode<'a> {
        JsonNode(match node.0 {
            Json::Arr(items) => items.get(i).unwrap_or(&ABSENT),
            Json::Obj(pairs) => pairs.get(i).map_or(&ABSENT, |(_, v)| v),
            _ => &ABSENT,
        })
    }
    fn key(&self, node: JsonNode<'a>, i: usize) -> Option<&'a str> {
        match node.0 {
            Json::Obj(pairs) => pairs.get(i).map(|(k, _)| k.as_str()),
            _ => None,
        }
    }
    fn find(&self, node: JsonNode<'a>, key: &str) -> JsonNode<'a> {
        JsonNode(node.0.get(key).unwrap_or(&ABSENT))
    }
    fn absent(&self) -> JsonNode<'a> {
        JsonNode(&ABSENT)
    }
    fn text(&self, node: JsonNode<'a>) -> Option<&'a str> {
        match node.0 {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
    fn number(&self, node: JsonNode<'a>) -> Option<f64> {
        match node.0 {
            Json::Num(n) => Some(*n),
            _ => None,
        }
    }
}

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
