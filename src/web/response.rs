//! Reading a `Response`: the success body per `responseType`, and the error body into the core's
//! normalizer. The body crosses once: the page's `JSON.parse` parses it, and the core reads that
//! value in place through [`JsDoc`], a JSON view (src/core/view.rs) whose `details` are the API's
//! own objects.

use crate::prelude::*;

use super::js::get;
use super::options::ResponseType;
use crate::core::body::is_json_content_type;
use crate::core::error::success_body_is_error;
use crate::core::headers::HeaderSource;
use crate::core::text::{after_byte, pieces, position, split_at_byte, MAX_TEXT_READ_BYTES};
use crate::core::view::{find_key, MAX_DEPTH, MAX_ENTRIES};
use crate::core::{JsonView, Kind};
use core::cell::UnsafeCell;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Headers, Response};

/// The normalized error as the shell holds it: `details` is the API's own JS object.
pub type Normalized = crate::core::Normalized<JsValue>;

/// Error bodies longer than this (UTF-16 units) are not parsed; js/glue.js reads no more anyway.
const MAX_PARSED_ERROR_BODY: u32 = 256 * 1024;

/// The start of a body as a Rust string, and the whole body's length in UTF-16 units. The core
/// reads no further than MAX_TEXT_READ_BYTES, and wasm memory never shrinks: copying a whole
/// 10 MB body in would keep the module that big.
pub fn text_head(text: &JsValue) -> (String, u32) {
    let Some(text) = text.dyn_ref::<js_sys::JsString>() else { return (String::new(), 0) };
    let cap = MAX_TEXT_READ_BYTES as u32;
    let length = text.length();
    let head = if length > cap { text.slice(0, cap).as_string() } else { text.as_string() };
    (head.unwrap_or_default(), length)
}

/// All of a response's headers in one string read in one call (js/glue.js `headerLines`: one
/// `name: value` line each, as `Headers` lists them), looked up in place: no copy per header (the
/// normalizer asks for some forty names, most of them absent).
pub struct HeaderLines(String);

impl HeaderLines {
    /// The headers of a response.
    pub fn of(headers: &Headers) -> HeaderLines {
        HeaderLines(super::js::header_lines(headers))
    }

    /// The value of the first header named `name`, or (with `suffix`) whose name ends with it.
    fn find(&self, name: &str, suffix: bool) -> Option<String> {
        for line in pieces(&self.0, b'\n') {
            let Some((key, value)) = split_at_byte(line, b':') else { continue };
            // Past the end when the key is shorter than the name: no tail, no match.
            let at = key.len().wrapping_sub(name.len());
            if (suffix || at == 0) && key.as_bytes().get(at..).is_some_and(|tail| tail.eq_ignore_ascii_case(name.as_bytes())) {
                return Some(after_byte(value, b' ').unwrap_or(value).to_string());
            }
        }
        None
    }
}

impl HeaderSource for HeaderLines {
    fn header(&self, name: &str) -> Option<String> {
        // `Headers` lists a name once, its values already joined.
        self.find(name, false)
    }

    fn header_ending(&self, suffix: &str) -> Option<String> {
        self.find(suffix, true)
    }
}

/// What reading a success body gave.
pub enum SuccessBody {
    /// The value to resolve with.
    Value(JsValue),
    /// The 2xx body is really an error (GraphQL `errors[]`), and the parsed body.
    Error(Normalized, JsValue),
    /// The body did not match `responseType`.
    ParseFailed(String, JsValue),
}

/// Turns a 2xx response and its body text (a JS string, never copied through wasm memory) into
/// what the caller asked for.
pub fn read_success(
    response: Response,
    text: JsValue,
    response_type: ResponseType,
    request_id_headers: &str,
) -> SuccessBody {
    if response_type == ResponseType::Response {
        return SuccessBody::Value(response.into());
    }
    let status = response.status();
    let length = text.dyn_ref::<js_sys::JsString>().map(|t| t.length()).unwrap_or(0);
    if status == 204 || status == 205 || length == 0 {
        return SuccessBody::Value(JsValue::NULL);
    }
    let wants_json = match response_type {
        ResponseType::Json => true,
        ResponseType::Text | ResponseType::Response => false,
        // One header, asked for by name: listing them all (as errors do) made every successful
        // call ~8% slower in bench/bench.mjs.
        ResponseType::Auto => is_json_content_type(&response.headers().get("content-type").ok().flatten().unwrap_or_default()),
    };
    if !wants_json {
        return SuccessBody::Value(text);
    }
    let value = match super::js::json_parse(&text) {
        Ok(v) => v,
        Err(e) => return SuccessBody::ParseFailed(text_head(&text).0, e),
    };
    if looks_like_graphql_error(&value) && success_body_is_error(&JsDoc::new(&value)) {
        let headers = HeaderLines::of(&response.headers());
        let (error, _) = normalize_body(status, &headers, &text, Some(value.clone()), super::js::date_now(), request_id_headers);
        return SuccessBody::Error(error, value);
    }
    SuccessBody::Value(value)
}

/// Normalizes an error response from its status, headers and body text (a JS string: the browser
/// parses it, and only its head is copied into wasm memory). Also gives the parsed body, if any.
pub fn read_error(response: &Response, text: &JsValue, request_id_headers: &str) -> (Normalized, Option<JsValue>) {
    let headers = HeaderLines::of(&response.headers());
    normalize_body(response.status(), &headers, text, None, super::js::date_now(), request_id_headers)
}

/// The shell's one call of the core's normalizer: `text` is the body as a JS string (parsed here
/// with `JSON.parse` when it claims or looks like JSON, unless `parsed` is given), read in place
/// through [`JsDoc`]; only the text's head is copied into wasm memory. Gives the error and the
/// parsed body, whose objects `details` shares.
pub fn normalize_body<H: HeaderSource + ?Sized>(
    status: u16,
    headers: &H,
    text: &JsValue,
    parsed: Option<JsValue>,
    now_ms: f64,
    request_id_headers: &str,
) -> (Normalized, Option<JsValue>) {
    // `should_parse_json` reads the content type without case.
    let content_type = headers.header("content-type").unwrap_or_default();
    let (head, length) = text_head(text);
    let parsed = parsed.or_else(|| parse_error_json(text, length, &head, &content_type));
    let doc = parsed.as_ref().map(JsDoc::new);
    let error = crate::core::normalize(status, headers, doc.as_ref(), &head, now_ms, request_id_headers);
    // Without a parsed body there is no node: `details` stays `None`.
    (error.map_details(|node| doc.as_ref().map_or(JsValue::NULL, |doc| doc.value(node))), parsed)
}

/// `JSON.parse` when the body claims or looks like JSON (judged from its `head`); `None` for text,
/// HTML, invalid JSON and bodies too long to be an error document.
fn parse_error_json(text: &JsValue, length: u32, head: &str, content_type: &str) -> Option<JsValue> {
    if length > MAX_PARSED_ERROR_BODY || !crate::core::body::should_parse_json(head, content_type) {
        return None;
    }
    super::js::json_parse(text).ok()
}

/// A cheap check before converting a success body: an object with a non-empty `errors` array.
fn looks_like_graphql_error(value: &JsValue) -> bool {
    let errors = get(value, "errors");
    js_sys::Array::is_array(&errors) && get(&errors, "length").as_f64().unwrap_or(0.0) > 0.0
}

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    /// An array's or object's first 256 entries in one string: per entry (for an object) the key
    /// as `length:key`, then the value's type code, and for a string `length:text` (capped at
    /// 16 Ki UTF-16 units before it is copied into wasm memory). js/glue.js, "JSON view".
    #[wasm_bindgen(js_name = viewList)]
    fn view_list(value: &JsValue) -> String;
    /// The values the listing named, by index: the array itself, or the object's values.
    #[wasm_bindgen(js_name = viewValues)]
    fn view_values(value: &JsValue) -> JsValue;
    /// `values[i]`, a number.
    #[wasm_bindgen(js_name = viewNumber)]
    fn view_number(values: &JsValue, i: u32) -> f64;
    /// The listing of `[value]`: the root's own entry.
    #[wasm_bindgen(js_name = viewRoot)]
    fn view_root(value: &JsValue) -> String;
}

/// A `JSON.parse` value read in place: an array or object is listed in one call (keys, value
/// types and capped strings) the first time a rule looks into it, and keys are looked up in wasm;
/// a nested value or a number crosses only when a rule reads it. Slot 0 holds `[root]`, so the
/// root is read like any other value.
pub struct JsDoc {
    slots: UnsafeCell<Vec<Slot>>,
    /// The listings: keys and strings are spans of them. Never changed or dropped before the doc.
    listings: UnsafeCell<Vec<String>>,
}

/// One value of a [`JsDoc`]: an index into its slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsNode(u32);

struct Slot {
    kind: Kind,
    /// 1 for the root.
    depth: u32,
    parent: u32,
    index: u32,
    /// The key (in an object) and the string value, as spans of the parent's listing.
    listing: u32,
    key: (u32, u32),
    text: (u32, u32),
    value: Option<JsValue>,
    /// An array's or object's values, once a nested value was read.
    values: Option<JsValue>,
    /// Children occupy slots `first..first + len`, once listed (`first` is 0 until then: slot 0
    /// is the root's holder, never a child).
    first: u32,
    len: u32,
}

impl Slot {
    fn new(kind: Kind, depth: u32, parent: u32, index: u32) -> Slot {
        Slot { kind, depth, parent, index, listing: 0, key: (0, 0), text: (0, 0), value: None, values: None, first: 0, len: 0 }
    }
}

/// Reads `length:` then that many UTF-16 units of `s` from byte `at`: the text's byte span.
fn counted(s: &str, at: usize) -> Option<(usize, usize)> {
    let rest = s.get(at..)?;
    let colon = position(rest, b':')?;
    let units = crate::core::num::parse_unsigned(rest.get(..colon)?)?;
    let start = at + colon + 1;
    let mut end = start;
    let mut seen = 0u64;
    // By bytes, without decoding: a character starts at a non-continuation byte and takes two
    // UTF-16 units when it takes four UTF-8 bytes.
    for &b in s.as_bytes().get(start..)? {
        if b & 0xC0 != 0x80 {
            if seen >= units {
                break;
            }
            seen += if b >= 0xF0 { 2 } else { 1 };
        }
        end += 1;
    }
    Some((start, end))
}

impl JsDoc {
    /// A view of `value` (a `JSON.parse` result): slot 0 stands for `[value]`, listed from the
    /// root's own entry (one call), and the root's value is `value` itself.
    pub fn new(value: &JsValue) -> JsDoc {
        let holder = Slot::new(Kind::Arr, 0, u32::MAX, 0);
        let doc = JsDoc { slots: UnsafeCell::new(vec![holder]), listings: UnsafeCell::new(Vec::new()) };
        doc.add_listing(0, Kind::Arr, 0, view_root(value));
        doc.with_slot(1, |root| root.value = Some(value.clone()));
        doc
    }

    /// The JS value of `node` (for `details`: the body's own object, not a copy).
    pub fn value(&self, node: JsNode) -> JsValue {
        self.fetch(node.0).unwrap_or(JsValue::NULL)
    }

    fn slot<T>(&self, node: u32, f: impl FnOnce(&Slot) -> T) -> Option<T> {
        self.with_slot(node, |slot| f(slot))
    }

    /// Runs `f` on slot `node`. The doc's cells are borrowed only inside its own methods, never
    /// across a call that could reach the doc again (JS never calls back into it): RefCell's flag
    /// checks and their panic paths would guard what this single-threaded code already ensures.
    fn with_slot<T>(&self, node: u32, f: impl FnOnce(&mut Slot) -> T) -> Option<T> {
        // SAFETY: as said above, this is the only reference to the slots while `f` runs.
        let slots = unsafe { &mut *self.slots.get() };
        slots.get_mut(node as usize).map(f)
    }

    /// A span of listing `listing`, for as long as the doc is borrowed.
    fn span(&self, listing: u32, (start, end): (u32, u32)) -> Option<&str> {
        // SAFETY: no mutable borrow of the listings is live (they are pushed only in add_listing).
        let listings = unsafe { &*self.listings.get() };
        let text: *const str = listings.get(listing as usize)?.get(start as usize..end as usize)?;
        // SAFETY: a listing is a String that is never changed, removed or dropped while the doc
        // lives (the vector only grows, and moving a String does not move its text): the text
        // lives for as long as `self` is borrowed.
        Some(unsafe { &*text })
    }

    /// The JS value of slot `node`, read from its parent's values the first time.
    fn fetch(&self, node: u32) -> Option<JsValue> {
        let (value, parent, index) = self.slot(node, |s| (s.value.clone(), s.parent, s.index))?;
        if value.is_some() {
            return value;
        }
        let value = self.values_of(parent)?.unchecked_ref::<js_sys::Array>().get(index);
        self.with_slot(node, |slot| slot.value = Some(value.clone()));
        Some(value)
    }

    /// The values array of container slot `node`.
    fn values_of(&self, node: u32) -> Option<JsValue> {
        let (values, kind) = self.slot(node, |s| (s.values.clone(), s.kind))?;
        if values.is_some() {
            return values;
        }
        let value = self.fetch(node)?;
        let values = if kind == Kind::Arr { value } else { view_values(&value) };
        self.with_slot(node, |slot| slot.values = Some(values.clone()));
        Some(values)
    }

    /// Lists container slot `node`'s children (once): `(first, len)`.
    fn list(&self, node: u32) -> Option<(u32, u32)> {
        let (kind, depth, first, len) = self.slot(node, |s| (s.kind, s.depth, s.first, s.len))?;
        if first != 0 {
            return Some((first, len));
        }
        if !matches!(kind, Kind::Arr | Kind::Obj) {
            return None;
        }
        self.add_listing(node, kind, depth, view_list(&self.fetch(node)?))
    }

    /// Adds the children of container slot `node` from its listing: `(first, len)`.
    fn add_listing(&self, node: u32, kind: Kind, depth: u32, listing: String) -> Option<(u32, u32)> {
        // SAFETY: the only borrows of either cell while this runs (see `with_slot`); the listing
        // pushed last only grows the vector, which leaves earlier listings' text in place.
        let listings = unsafe { &mut *self.listings.get() };
        let id = listings.len() as u32;
        // SAFETY: as above.
        let slots = unsafe { &mut *self.slots.get() };
        let first = slots.len() as u32;
        // Nesting past MAX_DEPTH reads as null, as the host's reader cuts it.
        let cut = depth + 1 > MAX_DEPTH;
        let mut at = 0;
        let mut count = 0;
        while at < listing.len() && count < MAX_ENTRIES as u32 {
            let key = if kind == Kind::Obj {
                let Some(span) = counted(&listing, at) else { break };
                at = span.1;
                span
            } else {
                (at, at)
            };
            let Some(&code) = listing.as_bytes().get(at) else { break };
            at += 1;
            let mut slot = Slot::new(if cut { Kind::Null } else { kind_of_code(code) }, depth + 1, node, count);
            if code == b's' {
                let Some(span) = counted(&listing, at) else { break };
                at = span.1;
                slot.text = (span.0 as u32, span.1 as u32);
            }
            slot.listing = id;
            slot.key = (key.0 as u32, key.1 as u32);
            slots.push(slot);
            count += 1;
        }
        listings.push(listing);
        let slot = slots.get_mut(node as usize)?;
        slot.first = first;
        slot.len = count;
        Some((first, count))
    }

    fn child(&self, node: JsNode, i: usize) -> Option<JsNode> {
        let (first, len) = self.list(node.0)?;
        (i < len as usize).then(|| JsNode(first + i as u32))
    }
}

fn kind_of_code(code: u8) -> Kind {
    match code {
        b't' => Kind::True,
        b'f' => Kind::False,
        b'd' => Kind::Num,
        b's' => Kind::Str,
        b'a' => Kind::Arr,
        b'o' => Kind::Obj,
        _ => Kind::Null,
    }
}

impl JsonView for JsDoc {
    type Node = JsNode;

    fn root(&self) -> JsNode {
        JsNode(1)
    }

    fn kind(&self, node: JsNode) -> Kind {
        self.slot(node.0, |s| s.kind).unwrap_or(Kind::Null)
    }

    fn len(&self, node: JsNode) -> usize {
        self.list(node.0).map_or(0, |(_, len)| len as usize)
    }

    fn entry(&self, node: JsNode, i: usize) -> JsNode {
        self.child(node, i).unwrap_or(self.absent())
    }

    fn key(&self, node: JsNode, i: usize) -> Option<&str> {
        let child = self.child(node, i)?;
        let (listing, key) = self.slot(child.0, |s| (s.listing, s.key))?;
        self.span(listing, key)
    }

    fn find(&self, node: JsNode, key: &str) -> JsNode {
        let found = || {
            let (first, len) = self.list(node.0)?;
            // SAFETY: read-only borrows of both cells, released before anything else touches them.
            let slots = unsafe { &*self.slots.get() };
            let children = slots.get(first as usize..(first + len) as usize)?;
            // The children of a node share its one listing: borrowed once for every key.
            // SAFETY: as above.
            let listings = unsafe { &*self.listings.get() };
            let listing = listings.get(children.first()?.listing as usize)?;
            let keys = children.iter().map(|s| listing.get(s.key.0 as usize..s.key.1 as usize).unwrap_or(""));
            let i = find_key(keys, key)?;
            Some(JsNode(first + i as u32))
        };
        found().unwrap_or(self.absent())
    }

    /// No slot: the slots would fill the memory long before this index.
    fn absent(&self) -> JsNode {
        JsNode(u32::MAX)
    }

    fn text(&self, node: JsNode) -> Option<&str> {
        let (kind, listing, text) = self.slot(node.0, |s| (s.kind, s.listing, s.text))?;
        (kind == Kind::Str).then(|| self.span(listing, text)).flatten()
    }

    fn number(&self, node: JsNode) -> Option<f64> {
        let (kind, value, parent, index) = self.slot(node.0, |s| (s.kind, s.value.as_ref().map(JsValue::as_f64), s.parent, s.index))?;
        if kind != Kind::Num {
            return None;
        }
        // A value already read (the root) is its own number.
        value.unwrap_or_else(|| self.values_of(parent).map(|values| view_number(&values, index)))
    }
}
