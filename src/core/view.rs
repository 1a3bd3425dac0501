//! The one way the normalizer reads a JSON body: a view over a parsed value, read in place. The
//! browser shell implements it over the `JSON.parse` result (src/web/response.rs: keys listed
//! once per object, values read lazily, long strings capped before they cross), the host over the
//! core's own `Json` tree (src/core/json.rs). Depth and entry limits are the view's: a value
//! nested [`MAX_DEPTH`] deep reads as null, a container shows its first [`MAX_ENTRIES`] entries.

use crate::prelude::*;

/// Nesting deeper than this reads as null, so hostile bodies cannot exhaust the stack.
pub const MAX_DEPTH: u32 = 48;
/// Arrays and objects show at most this many entries; error bodies never need more.
pub const MAX_ENTRIES: usize = 256;

/// What a JSON value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `null`, or anything cut off by the depth limit.
    Null,
    /// `false`.
    False,
    /// `true`.
    True,
    /// A number.
    Num,
    /// A string.
    Str,
    /// An array.
    Arr,
    /// An object.
    Obj,
}

/// Read access to a parsed JSON document. Nodes are cheap handles; equal nodes are the same value.
pub trait JsonView {
    /// A handle to one value of the document.
    type Node: Copy + PartialEq;
    /// The document's top value.
    fn root(&self) -> Self::Node;
    /// What `node` is.
    fn kind(&self, node: Self::Node) -> Kind;
    /// How many items (array) or pairs (object) `node` shows; 0 for anything else.
    fn len(&self, node: Self::Node) -> usize;
    /// The `i`-th item of an array, or the `i`-th value of an object; else [`JsonView::absent`].
    fn entry(&self, node: Self::Node, i: usize) -> Self::Node;
    /// [`JsonView::entry`] as an `Option`.
    #[inline(always)]
    fn at(&self, node: Self::Node, i: usize) -> Option<Self::Node> {
        let found = self.entry(node, i);
        (found != self.absent()).then_some(found)
    }
    /// The `i`-th key of an object.
    fn key(&self, node: Self::Node, i: usize) -> Option<&str>;
    /// The value of `key` in an object, matched exactly first, then ignoring ASCII case; else
    /// [`JsonView::absent`] (a plain handle, not an `Option`: the wasm returns it in a register).
    fn find(&self, node: Self::Node, key: &str) -> Self::Node;
    /// The handle [`JsonView::find`] answers with when there is no such key; never a value's.
    fn absent(&self) -> Self::Node;
    /// [`JsonView::find`] as an `Option` (inlined: the handle crosses in a register).
    #[inline(always)]
    fn get(&self, node: Self::Node, key: &str) -> Option<Self::Node> {
        let found = self.find(node, key);
        (found != self.absent()).then_some(found)
    }
    /// A string value (blank or not).
    fn text(&self, node: Self::Node) -> Option<&str>;
    /// A number value.
    fn number(&self, node: Self::Node) -> Option<f64>;
}

/// The lookup every view shares: exact first, else the first key equal ignoring ASCII case, in
/// one pass over the keys (most lookups miss, and the rules make many of them per body).
pub fn find_key<'k>(keys: impl Iterator<Item = &'k str>, key: &str) -> Option<usize> {
    let (mut folded, mut i) = (None, 0);
    for k in keys {
        if k.len() == key.len() {
            if k == key {
                return Some(i);
            }
            if folded.is_none() && k.eq_ignore_ascii_case(key) {
                folded = Some(i);
            }
        }
        i += 1;
    }
    folded
}

/// A word list, written as one space-separated string (`words!("message detail msg")`) and
/// compiled to each word after its length byte: one byte more than the string in the wasm (the
/// length bytes cost 156 B of gzip over spaces in all; tables of string slices cost twice the
/// bytes), and walking it finds no separators (splitting the lists on every lookup was a third of
/// a body's normalization, callgrind).
#[derive(Clone, Copy)]
pub struct Words(&'static [u8]);

impl Words {
    /// The list [`compile`] made.
    ///
    /// # Safety
    /// `bytes` must come from [`compile`]: each word is then whole UTF-8 after its length byte.
    #[doc(hidden)]
    pub const unsafe fn compiled(bytes: &'static [u8]) -> Self {
        Words(bytes)
    }

    /// The words, in order.
    pub fn iter(self) -> WordIter {
        WordIter(self.0)
    }
}

/// `list`'s words (separated by single spaces) each after its length byte; `N` is `list.len() + 1`.
/// Run at compile time by `words!`, which also refuses a word over 255 bytes. It never panics: a
/// list it cannot write (a wrong `N`, a word too long for its length byte) comes out as `N` empty
/// words, which is still a valid list.
#[doc(hidden)]
// Every index is below `bytes.len()` or `N`, checked before the loop.
#[allow(clippy::indexing_slicing)]
pub const fn compile<const N: usize>(list: &str) -> [u8; N] {
    let bytes = list.as_bytes();
    let mut out = [0u8; N];
    if N != bytes.len() + 1 || longest_word(list) > 255 {
        return out;
    }
    // `start` is where the current word's length byte goes.
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b' ' {
            out[start] = (i - start) as u8;
            start = i + 1;
        } else {
            out[i + 1] = bytes[i];
        }
        i += 1;
    }
    out[start] = (i - start) as u8;
    out
}

/// The length in bytes of `list`'s longest word (words separated by single spaces).
#[doc(hidden)]
// `i` stays below `bytes.len()` (a `while`: const fns have no `for` or iterators).
#[allow(clippy::indexing_slicing)]
pub const fn longest_word(list: &str) -> usize {
    let bytes = list.as_bytes();
    let (mut longest, mut run, mut i) = (0, 0, 0);
    while i < bytes.len() {
        run = if bytes[i] == b' ' { 0 } else { run + 1 };
        if run > longest {
            longest = run;
        }
        i += 1;
    }
    longest
}

/// The words of a [`Words`] list.
pub struct WordIter(&'static [u8]);

impl Iterator for WordIter {
    type Item = &'static str;
    fn next(&mut self) -> Option<&'static str> {
        let (len, rest) = self.0.split_first()?;
        let (word, rest) = rest.split_at_checked(usize::from(*len))?;
        self.0 = rest;
        // SAFETY: `Words::compiled`'s contract: the bytes are a str's, cut at ASCII spaces.
        Some(unsafe { core::str::from_utf8_unchecked(word) })
    }
}

/// A [`Words`] list from a string literal or `&str` constant of space-separated words.
#[macro_export]
macro_rules! words {
    ($list:expr) => {{
        const LIST: &str = $list;
        // A word over 255 bytes has no length byte: the build stops here (an array of the wrong
        // length), never the page.
        const _: [(); 0] = [(); ($crate::core::view::longest_word(LIST) > 255) as usize];
        const BYTES: [u8; LIST.len() + 1] = $crate::core::view::compile(LIST);
        // SAFETY: BYTES comes from compile.
        const WORDS: $crate::core::view::Words = unsafe { $crate::core::view::Words::compiled(&BYTES) };
        WORDS
    }};
}

/// One value of a document, with the reading helpers the rules use.
pub struct J<'v, V: JsonView> {
    /// The document.
    pub view: &'v V,
    /// The value.
    pub node: V::Node,
}

impl<V: JsonView> Clone for J<'_, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V: JsonView> Copy for J<'_, V> {}

impl<V: JsonView> PartialEq for J<'_, V> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<'v, V: JsonView> J<'v, V> {
    /// The top value of `view`.
    pub fn root(view: &'v V) -> Self {
        J { view, node: view.root() }
    }

    pub(crate) fn with(self, node: V::Node) -> Self {
        J { view: self.view, node }
    }

    /// What this value is.
    pub fn kind(self) -> Kind {
        self.view.kind(self.node)
    }

    /// The value of `key` in an object (exact, else ignoring ASCII case).
    #[inline(always)]
    pub fn get(self, key: &str) -> Option<Self> {
        self.view.get(self.node, key).map(|n| self.with(n))
    }

    /// `node` as a value of this document, unless it is [`JsonView::absent`].
    #[inline(always)]
    pub(crate) fn found(self, node: V::Node) -> Option<Self> {
        (node != self.view.absent()).then(|| self.with(node))
    }

    /// The value at `path`, keys joined with dots where `0` stands for an array's first item
    /// (`errors.0.reason`); the empty path is this value. Rules written as data read through it.
    #[inline(always)]
    pub fn path(self, path: &str) -> Option<Self> {
        self.found(self.path_node(path))
    }

    /// [`J::path`] as a plain handle (absent when not there): it crosses in a register.
    pub(crate) fn path_node(self, path: &str) -> V::Node {
        let mut at = self;
        if path.is_empty() {
            return at.node;
        }
        for step in super::text::pieces(path, b'.') {
            let node = if step == "0" { at.items().next_node() } else { at.view.find(at.node, step) };
            if node == at.view.absent() {
                return node;
            }
            at = at.with(node);
        }
        at.node
    }

    /// Whether `key` is present.
    pub fn has(self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Whether this is `null`.
    pub fn is_null(self) -> bool {
        self.kind() == Kind::Null
    }

    /// Whether this is an object.
    pub fn is_object(self) -> bool {
        self.kind() == Kind::Obj
    }

    /// Whether this is an array.
    pub fn is_array(self) -> bool {
        self.kind() == Kind::Arr
    }

    /// A string, blank or not.
    pub fn as_str(self) -> Option<&'v str> {
        self.view.text(self.node)
    }

    /// A non-blank string.
    pub fn as_text(self) -> Option<&'v str> {
        self.as_str().filter(|s| !s.trim().is_empty())
    }

    /// The value of the first of `keys` (a [`Words`] list) present.
    #[inline(always)]
    pub fn any_of(self, keys: Words) -> Option<Self> {
        self.found(self.any_node(keys))
    }

    /// [`J::any_of`] as a plain handle.
    fn any_node(self, keys: Words) -> V::Node {
        for key in keys.iter() {
            let node = self.view.find(self.node, key);
            if node != self.view.absent() {
                return node;
            }
        }
        self.view.absent()
    }

    /// The first of `keys` (a [`Words`] list) present with a non-blank string value.
    pub fn str_of(self, keys: Words) -> Option<&'v str> {
        keys.iter().find_map(|k| self.get(k).and_then(J::as_text))
    }

    /// The first of `keys` (a [`Words`] list) present with a code (see [`J::to_code`]).
    pub fn code_of(self, keys: Words) -> Option<String> {
        keys.iter().find_map(|k| self.get(k).and_then(J::to_code))
    }

    /// The number (see [`J::as_number`]) under `key`.
    pub fn number_of(self, key: &str) -> Option<f64> {
        self.get(key).and_then(J::as_number)
    }

    /// A number value.
    pub fn num(self) -> Option<f64> {
        self.view.number(self.node)
    }

    /// `true` or `false`.
    pub fn as_bool(self) -> Option<bool> {
        match self.kind() {
            Kind::True => Some(true),
            Kind::False => Some(false),
            _ => None,
        }
    }

    /// A string, or a number written as text (codes are sometimes numbers).
    pub fn to_code(self) -> Option<String> {
        // Only a number has a number, only a string a text: no match on the kind needed.
        match self.num() {
            Some(n) => n.is_finite().then(|| super::num::format_number(n)),
            None => self.as_text().map(|s| s.trim().to_string()),
        }
    }

    /// A finite number, or a string holding one.
    pub fn as_number(self) -> Option<f64> {
        self.num().or_else(|| self.as_str().and_then(super::num::parse_decimal)).filter(|n| n.is_finite())
    }

    /// The items of an array.
    pub fn array(self) -> Option<Items<'v, V>> {
        self.is_array().then(|| Items { of: self, len: self.view.len(self.node), at: 0 })
    }

    /// The items of an array; none for anything else.
    pub fn items(self) -> Items<'v, V> {
        let len = if self.is_array() { self.view.len(self.node) } else { 0 };
        Items { of: self, len, at: 0 }
    }

    /// The pairs of an object.
    pub fn pairs(self) -> Pairs<'v, V> {
        let len = if self.is_object() { self.view.len(self.node) } else { 0 };
        Pairs { of: self, len, at: 0 }
    }
}

/// The items of an array, in order.
pub struct Items<'v, V: JsonView> {
    of: J<'v, V>,
    len: usize,
    at: usize,
}

impl<V: JsonView> Clone for Items<'_, V> {
    fn clone(&self) -> Self {
        Items { of: self.of, len: self.len, at: self.at }
    }
}

impl<'v, V: JsonView> Items<'v, V> {
    /// How many items are left.
    pub fn len(&self) -> usize {
        self.len.saturating_sub(self.at)
    }

    /// Whether there are none left.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'v, V: JsonView> Items<'v, V> {
    /// The next item as a plain handle, [`JsonView::absent`] at the end: it crosses in a register.
    fn next_node(&mut self) -> V::Node {
        let view = self.of.view;
        while self.at < self.len {
            let node = view.entry(self.of.node, self.at);
            self.at += 1;
            if node != view.absent() {
                return node;
            }
        }
        view.absent()
    }
}

impl<'v, V: JsonView> Iterator for Items<'v, V> {
    type Item = J<'v, V>;
    #[inline(always)]
    fn next(&mut self) -> Option<J<'v, V>> {
        let node = self.next_node();
        self.of.found(node)
    }
}

/// The `(key, value)` pairs of an object, in order.
pub struct Pairs<'v, V: JsonView> {
    of: J<'v, V>,
    len: usize,
    at: usize,
}

impl<'v, V: JsonView> Iterator for Pairs<'v, V> {
    type Item = (&'v str, J<'v, V>);
    fn next(&mut self) -> Option<Self::Item> {
        while self.at < self.len {
            let i = self.at;
            self.at += 1;
            let view = self.of.view;
            if let (Some(key), Some(node)) = (view.key(self.of.node, i), view.at(self.of.node, i)) {
                return Some((key, self.of.with(node)));
            }
        }
        None
    }
}
