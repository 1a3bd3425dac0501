#!/usr/bin/env bash
# Builds the release package into pkg/: cargo (wasm32) → wasm-bindgen (--target web) → wasm-opt -Oz.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --target wasm32-unknown-unknown --no-default-features
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name steadfetch --no-typescript \
  target/wasm32-unknown-unknown/release/steadfetch.wasm
# binaryen from npm (a current release): Debian's v108 miscompiles this module (it traps at run time).
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  -o pkg/steadfetch_bg.wasm pkg/steadfetch_bg.wasm
