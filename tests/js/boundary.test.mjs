// Facts that live on both sides of the JS/wasm boundary (ARCHITECTURE.md, "Facts kept on both
// sides"): each must say the same in Rust and in JavaScript, or this fails and names the drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** The string literals of the first `[...]` (or `{...}` keys) after `start` in `text`. */
function listAfter(text, start, { keys = false } = {}) {
  const at = text.indexOf(start);
  assert.ok(at >= 0, `${start} not found`);
  const open = text.indexOf(keys ? '{' : '[', text.indexOf('=', at + start.length - 1));
  const close = text.indexOf(keys ? '}' : ']', open);
  const body = text.slice(open + 1, close);
  return keys ? [...body.matchAll(/(\w+):/g)].map((m) => m[1]) : [...body.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]);
}

test('option names: each option declared in js/index.d.ts is read by name by src/web/options.rs or js/glue.js CALL', () => {
  const options = read('src/web/options.rs');
  const readOne = options.slice(options.indexOf('fn read_one'), options.indexOf('_ => return Ok(false)'));
  const rust = [...readOne.matchAll(/^\s+"(\w+)" =>/gm)].map((m) => m[1]);
  const js = listAfter(read('js/glue.js'), 'const CALL =');
  const declarations = read('js/index.d.ts');
  const retryOptions = declarations.slice(declarations.indexOf('export interface RetryOptions'));
  const declared = [...retryOptions.slice(0, retryOptions.indexOf('\n}')).matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]);
  assert.ok(rust.length >= 30 && js.length >= 5 && declared.length >= 30);
  assert.deepEqual(rust.filter((name) => js.includes(name)), [], 'an option read by both sides');
  // RequestInit's own method, headers and body are read by the crate too (json and the idempotency key need them).
  assert.deepEqual([...rust, ...js].filter((name) => !declared.includes(name)).sort(), ['body', 'headers', 'method']);
  assert.deepEqual(declared.filter((name) => !rust.includes(name) && !js.includes(name)), []);
});

test('kinds: every kind of src/core/kind.rs has its class in js/errors.js, exported and declared', () => {
  const kindRs = read('src/core/kind.rs');
  const asStr = kindRs.slice(kindRs.indexOf('pub fn as_str'), kindRs.indexOf('pub fn parse'));
  const rustKinds = [...asStr.matchAll(/=> "(\w+)"/g)].map((m) => m[1]);
  assert.equal(rustKinds.length, 16);
  const errors = read('js/errors.js');
  const jsKinds = listAfter(errors, 'const CLASS_BY_KIND =', { keys: true });
  // 'setup' is JavaScript's own: a wasm that cannot load never reaches the crate.
  assert.deepEqual(jsKinds.filter((k) => k !== 'setup').sort(), [...rustKinds].sort());
  const classes = [...errors.matchAll(/^export class (\w+)/gm)].map((m) => m[1]);
  const reexported = [...read('src/web/js.rs').matchAll(/pub type (\w+);/g)].map((m) => m[1]);
  const index = read('js/index.js');
  const declared = read('js/index.d.ts');
  for (const name of classes) {
    assert.ok(reexported.includes(name), `${name} is not re-exported by src/web/js.rs`);
    assert.ok(new RegExp(`\\b${name}\\b`).test(index), `${name} is not exported by js/index.js`);
    assert.ok(new RegExp(`class ${name}\\b`).test(declared), `${name} is not declared in js/index.d.ts`);
  }
});

test('secret query parameters: src/core/redact.rs and js/errors.js redact the same names', () => {
  const rust = listAfter(read('src/core/redact.rs'), 'const SECRET_PARAMS');
  const js = listAfter(read('js/errors.js'), 'const SECRET_PARAMS =');
  assert.ok(rust.length >= 10);
  assert.deepEqual([...js].sort(), [...rust].sort());
});

test('error-body cap: js/glue.js reads no more than src/web/response.rs will parse', () => {
  const number = (text, name) => {
    const m = new RegExp(`${name}[^=]*=\\s*([\\d_ *]+)`).exec(text);
    assert.ok(m, `${name} not found`);
    return m[1].replaceAll('_', '').split('*').reduce((a, b) => a * Number(b.trim()), 1);
  };
  const js = number(read('js/glue.js'), 'ERROR_BODY_CAP');
  const rust = number(read('src/web/response.rs'), 'MAX_PARSED_ERROR_BODY');
  assert.ok(js > 0 && js === rust, `glue.js reads ${js} bytes, response.rs parses ${rust} UTF-16 units`);
});
