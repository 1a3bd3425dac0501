// The biggest contributors to the release wasm, by function and by crate, read from a build that
// keeps the name section (same wasm-bindgen + wasm-opt -Oz steps as scripts/build.sh, plus names).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The wasm features scripts/build.sh enables for wasm-opt (not --all-features: Chrome rejects its output). */
export const WASM_FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];

/** Builds the named twin of pkg/steadfetch_bg.wasm from the cargo output; returns its path. */
export function namedBuild(root) {
  const dir = mkdtempSync(join(tmpdir(), 'steadfetch-names-'));
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', dir, '--out-name', 'named', '--no-typescript', '--keep-debug',
    join(root, 'target/ship/wasm32-unknown-unknown/release/steadfetch.wasm')]);
  const out = join(dir, 'named.wasm');
  execFileSync(join(root, 'node_modules/.bin/wasm-opt'), ['-Oz', '--debuginfo', ...WASM_FEATURES, '-o', out, join(dir, 'named_bg.wasm')]);
  return out;
}

function reader(buf, pos = 0) {
  const r = {
    pos,
    u8: () => buf[r.pos++],
    leb: () => {
      let n = 0;
      let shift = 0;
      for (;;) {
        const b = buf[r.pos++];
        n += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (b < 0x80) return n;
      }
    },
    name: () => {
      const len = r.leb();
      const s = buf.toString('utf8', r.pos, r.pos + len);
      r.pos += len;
      return s;
    },
  };
  return r;
}

/** Body size of every defined function, with its name (imports come first in the index space). */
export function functionSizes(wasmPath) {
  const buf = readFileSync(wasmPath);
  const r = reader(buf, 8);
  let imported = 0;
  const bodies = [];
  const names = new Map();
  let dataBytes = 0;
  while (r.pos < buf.length) {
    const id = r.u8();
    const size = r.leb();
    const end = r.pos + size;
    if (id === 2) {
      for (let n = r.leb(); n > 0; n--) {
        r.name();
        r.name();
        const kind = r.u8();
        if (kind === 0) { r.leb(); imported += 1; } else if (kind === 1) { r.u8(); const f = r.u8(); r.leb(); if (f & 1) r.leb(); } else if (kind === 2) { const f = r.u8(); r.leb(); if (f & 1) r.leb(); } else if (kind === 3) { r.u8(); r.u8(); } else { r.u8(); r.leb(); }
      }
    } else if (id === 10) {
      for (let n = r.leb(); n > 0; n--) {
        const len = r.leb();
        bodies.push(len);
        r.pos += len;
      }
    } else if (id === 11) {
      dataBytes = size;
    } else if (id === 0 && r.name() === 'name') {
      while (r.pos < end) {
        const sub = r.u8();
        const subEnd = r.leb() + r.pos;
        if (sub === 1) for (let n = r.leb(); n > 0; n--) names.set(r.leb(), r.name());
        r.pos = subEnd;
      }
    }
    r.pos = end;
  }
  const functions = bodies.map((bytes, i) => ({ name: names.get(i + imported) ?? `func ${i + imported}`, bytes }));
  return { functions, dataBytes };
}

/** `core::fmt::write::h12..` → `core::fmt`; `<serde_wasm_bindgen::de::X as ..>` → `serde_wasm_bindgen::de`. */
function owner(name) {
  const clean = name.replace(/\[[0-9a-f]+\]/g, '').replace(/^[<&]+/, '');
  // wasm-opt inlines functions with one caller: the engine's steps (src/web/engine.rs) land in the
  // `start` and `step` exports' shims.
  if (/^(start|step) externref shim/.test(clean)) return 'steadfetch::web (engine steps, inlined into the start/step exports)';
  if (/^f64 as core::fmt::Display>|flt2dec|dragon|grisu|bignum/.test(clean)) return 'core float printing (reached from serde error messages)';
  if (/escape_debug|as core::fmt::Debug>|unicode::printable/.test(clean)) return 'core Debug formatting';
  const parts = clean.split(/::|\s/);
  if (parts.length < 2 || !/^[a-z_][a-z0-9_]*$/.test(parts[0])) return 'other';
  return parts[0] === 'steadfetch' || parts[0] === 'core' || parts[0] === 'alloc' || parts[0] === 'std' ? `${parts[0]}::${parts[1]}` : parts[0];
}

/** Top functions and per-owner totals. */
export function contributors(wasmPath, top = 15) {
  const { functions, dataBytes } = functionSizes(wasmPath);
  const byOwner = new Map([['data (strings, tables)', dataBytes]]);
  for (const f of functions) byOwner.set(owner(f.name), (byOwner.get(owner(f.name)) ?? 0) + f.bytes);
  const sorted = [...functions].sort((a, b) => b.bytes - a.bytes);
  return {
    owners: [...byOwner].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    functions: sorted.slice(0, top).map((f) => ({ name: f.name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]+\]/g, ''), bytes: f.bytes })),
  };
}
