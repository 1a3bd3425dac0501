#!/usr/bin/env bash
# Builds the release package into pkg/: cargo (wasm32) → wasm-bindgen (--target web) → wasm-opt -Oz.
set -euo pipefail
cd "$(dirname "$0")/.."
# core and alloc are built from source (the rust-src component) with this crate's profile and
# panic=immediate-abort: the precompiled ones are optimised for speed and carry panic messages and
# locations that a trap-only module never shows (-0.5 KB gzip). Both are unstable flags, which
# RUSTC_BOOTSTRAP=1 lets the pinned stable toolchain accept for this one build; its own target
# directory keeps the host and test builds' caches apart.
RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/ship RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
  cargo build --quiet --release --target wasm32-unknown-unknown --no-default-features \
  -Zbuild-std=core,alloc -Zbuild-std-features=optimize_for_size
rm -rf pkg
# --omit-default-module-path: js/load.js always says where the wasm is (no import.meta.url default);
# --encode-into always: every runtime steadfetch supports has TextEncoder.encodeInto (no fallback).
wasm-bindgen --target web --out-dir pkg --out-name steadfetch --no-typescript --omit-default-module-path --encode-into always \
  target/ship/wasm32-unknown-unknown/release/steadfetch.wasm
# The crate's JavaScript (js/errors.js, js/glue.js) moves from pkg/snippets/steadfetch-<hash>/js/ to
# stable paths next to the glue: the package entry imports pkg/errors.js too, so the wasm and the
# package share one module, one identity per error class. Only the import statements are rewritten:
# the keys of the import object name the wasm's import modules.
snippets=(pkg/snippets/steadfetch-*/js)
[ ${#snippets[@]} -eq 1 ] && [ -f "${snippets[0]}/errors.js" ] || { echo "build: expected one snippet directory with errors.js" >&2; exit 1; }
mv "${snippets[0]}"/*.js pkg/
rm -r pkg/snippets
sed -i -E '/^import /s#\./snippets/steadfetch-[0-9a-f]+/js/#./#' pkg/steadfetch.js
if grep -q '^import .*snippets' pkg/steadfetch.js; then echo "build: pkg/steadfetch.js still imports a snippet" >&2; exit 1; fi
# pkg/exports.js (the classes and guards the package exports) and js/index.d.ts's kinds, from js/errors.js.
node scripts/kinds.mjs
# binaryen from npm (a current release): Debian's v108 miscompiles this module (it traps at run time).
# --flatten --rereloop before -Oz restructures control flow it then shrinks better (-0.6 KB gzip);
# --low-memory-unused / --zero-filled-memory are true of a fresh Rust module (data starts above
# the stack, memory starts zeroed) and drop zero-filled data (-0.3 KB).
# -ocimfs 20: a function with one caller is inlined only when small (default: any size). The
# big single-use steps stay functions of their own, which gzip compresses better (-0.7 KB gzip,
# +0.9 KB raw; 20 measured best among 0, 5, 15, 20, 30, 40, 60).
node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz -ocimfs 20 --low-memory-unused --zero-filled-memory \
  --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  -o pkg/steadfetch_bg.wasm pkg/steadfetch_bg.wasm
# The wasm's import modules, imports and exports get short names in both files (hashed names do not
# compress, and no minifier may rename them), and the glue keeps wasm-bindgen's import object but a
# small runtime for the one way js/load.js instantiates the module (scripts/short-imports.mjs).
node scripts/short-imports.mjs pkg/steadfetch_bg.wasm pkg/steadfetch.js
# The browser entry: the package's JavaScript in one file (scripts/bundle.mjs says why).
node scripts/bundle.mjs
