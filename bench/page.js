// Runs inside headless Chromium: everything measured in one page, in one run, interleaved.
import * as sf from '/js/index.js';
import ky from '/vendor/ky.js';
import { ofetch } from '/vendor/ofetch.js';

const now = () => performance.now();
const OK_BODY = JSON.stringify({ id: 'tkt_1', subject: 'Help needed', priority: 'urgent', tags: ['a', 'b'] });
const NOT_FOUND_BODY = JSON.stringify({ error: { code: 'not_found', message: 'Subscription sub_1 not found' } });

function stubFetch(status, body) {
  // As a typical API answers: with a Content-Length (same stub for every client).
  const headers = { 'content-type': 'application/json', 'x-request-id': 'req_bench', 'content-length': String(new TextEncoder().encode(body).length) };
  return () => Promise.resolve(new Response(body, { status, headers }));
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { median: q(0.5), p99: q(0.99), n: samples.length };
}

function shuffle(list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** The four clients on a stub that returns a ready Response. Each resolves or throws its typed error. */
function contenders(stub, expectOk) {
  const raw = async () => {
    const res = await stub();
    const data = await res.json();
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { data });
    return data;
  };
  const kyClient = ky.create({ fetch: stub, retry: 0 });
  const ofetchClient = ofetch.create({ retry: 0 }, { fetch: stub });
  return {
    steadfetch: () => sf.makeRequestWithRetry('https://api.example.com/v1/tickets/1'),
    ky: () => kyClient.get('https://api.example.com/v1/tickets/1').json(),
    ofetch: () => ofetchClient('https://api.example.com/v1/tickets/1'),
    'raw fetch': raw,
    expectOk,
  };
}

async function timeBatches(fns, { calls, batch }) {
  const names = Object.keys(fns).filter((k) => k !== 'expectOk');
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const one = async (fn) => {
    try {
      await fn();
      if (!fns.expectOk) throw new Error('expected a failure');
    } catch (e) {
      if (fns.expectOk) throw e;
    }
  };
  for (let warm = 0; warm < 500; warm++) for (const n of names) await one(fns[n]);
  for (let round = 0; round < calls / batch; round++) {
    for (const n of shuffle([...names])) {
      const t0 = now();
      for (let i = 0; i < batch; i++) await one(fns[n]);
      samples[n].push(((now() - t0) * 1000) / batch);
    }
  }
  return Object.fromEntries(names.map((n) => [n, stats(samples[n])]));
}

export async function perCall() {
  const realFetch = globalThis.fetch;
  const out = {};
  for (const [path, status, body, ok] of [['success', 200, OK_BODY, true], ['error', 404, NOT_FOUND_BODY, false]]) {
    const stub = stubFetch(status, body);
    globalThis.fetch = stub;
    out[path] = await timeBatches(contenders(stub, ok), { calls: 10000, batch: 10 });
  }
  globalThis.fetch = realFetch;
  return out;
}

export async function endToEnd(api, calls = 2000) {
  const url = `${api}/s/flaky?fail=0&key=bench`;
  const kyClient = ky.create({ retry: 0 });
  const fns = {
    steadfetch: () => sf.makeRequestWithRetry(url),
    'raw fetch': async () => (await fetch(url)).json(),
    ky: () => kyClient.get(url).json(),
  };
  const samples = Object.fromEntries(Object.keys(fns).map((n) => [n, []]));
  for (let i = 0; i < 100; i++) for (const n of Object.keys(fns)) await fns[n]();
  for (let i = 0; i < calls; i++) {
    for (const n of shuffle(Object.keys(fns))) {
      const t0 = now();
      await fns[n]();
      samples[n].push((now() - t0) * 1000);
    }
  }
  return Object.fromEntries(Object.keys(fns).map((n) => [n, stats(samples[n])]));
}

export async function timers(count = 200) {
  const realFetch = globalThis.fetch;
  const lateness = [];
  let early = 0;
  for (let i = 0; i < count; i++) {
    const planned = 5 + Math.round(Math.random() * 195);
    let retryAt = 0;
    let secondAt = 0;
    let calls = 0;
    globalThis.fetch = () => {
      calls += 1;
      if (calls === 2) secondAt = now();
      return Promise.resolve(calls === 1
        ? new Response('', { status: 503, headers: { 'retry-after-ms': String(planned) } })
        : new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }));
    };
    await sf.makeRequestWithRetry('https://api.example.com/t', { onRetry: () => { retryAt = now(); }, retryBudget: false });
    const late = secondAt - retryAt - planned;
    if (late < 0) early += 1;
    lateness.push(late);
  }
  globalThis.fetch = realFetch;
  const s = [...lateness].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { count, p50: q(0.5), p95: q(0.95), max: s.at(-1), early };
}

export async function memory() {
  const exports = await sf.ready();
  const realFetch = globalThis.fetch;
  const checkpoints = [1000, 10000, 100000];
  const out = {};
  for (const [path, status, body] of [['success', 200, OK_BODY], ['error', 404, NOT_FOUND_BODY]]) {
    globalThis.fetch = stubFetch(status, body);
    out[path] = [];
    let done = 0;
    for (const target of checkpoints) {
      while (done < target) {
        await sf.makeRequestWithRetry('https://api.example.com/m').catch(() => {});
        done += 1;
      }
      globalThis.gc?.();
      await new Promise((r) => setTimeout(r, 50));
      globalThis.gc?.();
      out[path].push({ calls: target, wasmBytes: exports.memory.buffer.byteLength, jsHeapBytes: performance.memory?.usedJSHeapSize ?? null });
    }
  }
  globalThis.fetch = realFetch;
  return out;
}

window.bench = { perCall, endToEnd, timers, memory };
document.body.dataset.ready = 'true';
