// The demo as `npm start` serves it (a real server process), clicked panel by panel in headless
// Chromium under the strict CSP: what each panel renders, cancelling a wait, hostile text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './browser.mjs';

const SHOTS = 'tests/e2e/screenshots';
// Chromium reports every 4xx/5xx and refused connection as a console error; those are the demo's
// subject. Anything else on the console fails the test.
const EXPECTED_NETWORK_NOISE = /Failed to load resource: (the server responded with a status of \d{3}|net::ERR_CONNECTION_REFUSED)/;

let server;
let browser;
let page;
let url;
const consoleErrors = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = spawn(process.execPath, ['www/server.mjs'], { env: { ...process.env, PORT: '0', MOCK_PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /steadfetch demo: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && !EXPECTED_NETWORK_NOISE.test(m.text()) && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('dialog', (d) => { consoleErrors.push(`unexpected dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const EXPECT = {
  toptickets: { outcome: 'ValidationError', kind: 'validation', attempts: '1', fields: 1, bars: 1 },
  jobs: { outcome: 'ServiceUnavailableError', kind: 'unavailable', attempts: '3', bars: 5 },
  operations1: { outcome: 'ServerError', kind: 'server', attempts: '5', bars: 9, message: 'HTTP 502 Bad Gateway' },
  tiptree: { outcome: 'RateLimitError', kind: 'rate_limited', attempts: '2', bars: 3 },
  ticksupply: { outcome: 'PaymentRequiredError', kind: 'payment_required', attempts: '1', bars: 1 },
  'retry-after': { outcome: 'success', bars: 3 },
  flaky: { outcome: 'success', bars: 5 },
  timeout: { outcome: 'TimeoutError', kind: 'timeout', attempts: '2', bars: 3 },
  network: { outcome: 'NetworkError', kind: 'network', attempts: '3', bars: 5 },
  html502: { outcome: 'ServerError', kind: 'server', attempts: '2', bars: 3, message: '502 Bad Gateway' },
  validation: { outcome: 'BadRequestError', kind: 'bad_request', attempts: '1', fields: 2, bars: 1 },
  deadline: { outcome: 'TimeoutError', kind: 'timeout', attempts: '1', bars: 1 },
  idempotent: { outcome: 'success', bars: 5, value: '"serverSaw":{"calls":3,"keys":1,"applied":1}' },
  payment: { outcome: 'PaymentRequiredError', kind: 'payment_required', attempts: '1', bars: 1 },
  xss: { outcome: 'BadRequestError', kind: 'bad_request', attempts: '1', bars: 1, message: '<img src=x onerror=alert(1)>' },
  'token-refresh': { outcome: 'success', bars: 3, value: '"user":"ada"' },
  stream: { outcome: 'success', bars: 1, value: 'received all 12 events' },
};

const read = (id) => page.evaluate((id) => {
  const panel = document.getElementById(`panel-${id}`);
  const pick = (sel) => panel.querySelector(sel)?.textContent ?? null;
  return {
    state: panel.dataset.state, outcome: pick('.result .outcome'), kind: pick('.result .kind'),
    attempts: pick('.result .attempts'), message: pick('.result .message'), value: pick('.result .value'),
    fields: panel.querySelectorAll('.fields tbody tr').length, bars: panel.querySelectorAll('.bars .bar').length,
    waitBars: panel.querySelectorAll('.bars .bar.wait').length, imgs: panel.querySelectorAll('img').length,
    snippet: pick('.snippet'), log: pick('.log'),
  };
}, id);

test('every panel renders its outcome, fields and timeline', async () => {
  for (const id of Object.keys(EXPECT)) await page.click(`#panel-${id} .run`);
  const finished = (ids) => ids.every((id) => ['success', 'error'].includes(document.getElementById(`panel-${id}`).dataset.state));
  await page.waitForFunction(finished, Object.keys(EXPECT), { timeout: 60000 }).catch(async (e) => {
    // Say which panels never finished, and what they showed, instead of only "timeout".
    const states = await page.evaluate((ids) => ids.map((id) => {
      const panel = document.getElementById(`panel-${id}`);
      return `${id}: ${panel.dataset.state} ${panel.querySelector('.log')?.textContent.slice(-300)}`;
    }), Object.keys(EXPECT));
    throw new Error(`${e.message}\n${states.join('\n')}`);
  });
  await page.screenshot({ path: `${SHOTS}/demo-all-panels.png`, fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/demo-top.png` });
  for (const [id, want] of Object.entries(EXPECT)) {
    const got = await read(id);
    assert.equal(got.outcome, want.outcome, `${id} outcome`);
    if (want.kind) assert.equal(got.kind, want.kind, `${id} kind`);
    if (want.attempts) assert.equal(got.attempts, want.attempts, `${id} attempts`);
    assert.equal(got.bars, want.bars, `${id} timeline bars`);
    assert.equal(got.waitBars, (want.bars - 1) / 2, `${id} wait bars`);
    assert.equal(got.fields, want.fields ?? 0, `${id} field rows`);
    if (want.message) assert.equal(got.message, want.message, `${id} message`);
    if (want.value) assert.ok(got.value.includes(want.value), `${id} value ${got.value}`);
    assert.ok(got.snippet.includes('makeRequestWithRetry') || got.snippet.includes('createClient'), `${id} shows its code`);
    if (want.outcome !== 'success') assert.match(got.log, /gave up/, `${id} log fed by onError`);
  }
});

test('hostile server text renders as text, never as markup', async () => {
  const got = await read('xss');
  assert.equal(got.imgs, 0);
  assert.equal(got.message, '<img src=x onerror=alert(1)>');
});

test('cancel during a long wait gives an AbortError at once', async () => {
  await page.click('#panel-retry-after .run');
  await page.waitForFunction(() => /retrying in/.test(document.querySelector('#panel-retry-after .countdown').textContent), null, { timeout: 5000 });
  const clicked = Date.now();
  await page.click('#panel-retry-after .cancel');
  await page.waitForFunction(() => document.getElementById('panel-retry-after').dataset.state === 'error', null, { timeout: 1800 });
  assert.ok(Date.now() - clicked < 1500, 'long before the 2 s wait would have ended');
  const got = await read('retry-after');
  assert.equal(got.outcome, 'AbortError');
  assert.equal(got.kind, 'aborted');
  await page.screenshot({ path: `${SHOTS}/demo-cancelled.png` });
});

test('"20 calls hit a rate limit": one row per call, the shared wait, server requests with the gate on and off', async () => {
  const run = async (gateOn) => {
    await page.evaluate((on) => { document.querySelector('#panel-gate .toggle').checked = on; }, gateOn);
    await page.click('#panel-gate .run');
    await page.waitForFunction(() => ['success', 'error'].includes(document.getElementById('panel-gate').dataset.state), null, { timeout: 15000 });
    return page.evaluate(() => {
      const panel = document.getElementById('panel-gate');
      const rows = [...panel.querySelectorAll('.row')];
      return {
        state: panel.dataset.state, value: JSON.parse(panel.querySelector('.result .value').textContent),
        rows: rows.length, rowsWithAWait: rows.filter((r) => r.querySelector('.bar.wait')).length,
        rowsOk: rows.filter((r) => r.querySelector('.bar.attempt.ok')).length,
      };
    });
  };
  const on = await run(true);
  await page.screenshot({ path: `${SHOTS}/demo-gate.png`, fullPage: true });
  const off = await run(false);
  console.log(JSON.stringify({ gateOn: on.value, gateOff: off.value }));
  assert.deepEqual(on, { state: 'success', value: { succeeded: 20, serverRequests: 21 }, rows: 20, rowsWithAWait: 20, rowsOk: 20 });
  assert.deepEqual(off, { state: 'success', value: { succeeded: 20, serverRequests: 40 }, rows: 20, rowsWithAWait: 20, rowsOk: 20 });
});

test('token refresh: the retry carries the refreshed token', async () => {
  const got = await read('token-refresh');
  assert.match(got.log, /attempt 1 sends Bearer expired-token/);
  assert.match(got.log, /401, WWW-Authenticate: Bearer realm="mock", error="invalid_token"; refreshing the token/);
  assert.match(got.log, /attempt 2 sends Bearer tok_1_/);
});

test('stream and stop: Cancel stops a streaming body at once', async () => {
  await page.click('#panel-stream .run');
  await page.waitForFunction(() => /event 2:/.test(document.querySelector('#panel-stream .log').textContent), null, { timeout: 5000 });
  const clicked = Date.now();
  await page.click('#panel-stream .cancel');
  await page.waitForFunction(() => document.getElementById('panel-stream').dataset.state === 'error', null, { timeout: 1000 });
  assert.ok(Date.now() - clicked < 800, 'stopped long before the next events');
  const got = await read('stream');
  assert.equal(got.outcome, 'AbortError');
  const events = (got.log.match(/event \d+:/g) ?? []).length;
  assert.ok(events >= 2 && events < 12, `${events} events before the stop`);
});

test('phone width still lays out', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
  await page.screenshot({ path: `${SHOTS}/demo-phone.png` });
});

test('no console errors (the demo runs under script-src self + wasm-unsafe-eval)', () => {
  assert.deepEqual(consoleErrors, []);
});
