// ready(input) with each form an app that hosts the wasm itself may pass, then a real call.
// Usage: node ready-forms.mjs FORM API_URL; prints one JSON line.
import * as sf from 'steadfetch';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { summary } from './summary.mjs';

const [form, api] = process.argv.slice(2);
const file = createRequire(import.meta.url).resolve('steadfetch/wasm');
const bytes = readFileSync(file);
const inputs = {
  url: () => pathToFileURL(file),
  string: () => pathToFileURL(file).href,
  response: () => new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } }),
  bytes: () => new Uint8Array(bytes),
  arraybuffer: () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  module: () => WebAssembly.compile(bytes).then((m) => m),
  http404: () => `${api}/no/such/steadfetch_bg.wasm?token=SECRET`,
  missing: () => pathToFileURL(`${file}.gone`),
  number: () => 42,
};
const input = await inputs[form]();
const out = { form };
try {
  await sf.ready(input);
  out.ready = 'ok';
} catch (e) {
  out.ready = summary(sf, e);
  out.ready.typeError = e instanceof TypeError;
}
out.rate = summary(sf, await sf.makeRequestWithRetry(`${api}/s/flaky?fail=9&status=429&retryAfter=600&key=form-${form}-${Math.random()}`).catch((e) => e));
console.log(JSON.stringify(out));
