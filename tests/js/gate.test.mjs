// Politeness per origin across pages: two pages of one browser context share the rate-limit gate
// over BroadcastChannel (shareAcrossTabs), a page closing mid-wait breaks nothing, and
// createClient({ originGate: 'client' }) keeps a client's gate to itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const stats = async (key) => (await fetch(`${env.apiUrl}/g/stats?key=${key}`)).json();

async function harness(context) {
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
  await page.goto(`${env.webUrl}/www/harness.html`);
  await page.evaluate(async (api) => {
    window.sf = await import('/js/index.js');
    window.API = api;
    // The page's first shared call joins the channel.
    await window.sf.makeRequestWithRetry(`${api}/s/204`, { shareAcrossTabs: true });
  }, env.apiUrl);
  return page;
}

test("two pages share the gate: the second page's call waits for the first page's 429", async () => {
  const context = await env.browser.newContext();
  try {
    const [a, b] = [await harness(context), await harness(context)];
    const key = `tabs-${Date.now()}`;
    const first = await a.evaluate((key) => sf.makeRequestWithRetry(`${API}/g/rl?key=${key}&block=1000`, { shareAcrossTabs: true, maxRetries: 0 })
      .catch((e) => ({ name: e.name, retryAfterMs: e.retryAfterMs })), key);
    assert.deepEqual(first, { name: 'RateLimitError', retryAfterMs: 1000 });
    const second = await b.evaluate(async (key) => {
      const sources = [];
      const value = await sf.makeRequestWithRetry(`${API}/g/rl?key=${key}&i=b`, { shareAcrossTabs: true, onRetry: (i) => sources.push(i.delaySource) });
      return { value, sources };
    }, key);
    assert.equal(second.value.ok, true);
    assert.deepEqual(second.sources, ['gate']);
    const s = await stats(key);
    assert.equal(s.count, 2, 'page b sent one request, after the wait');
    assert.deepEqual(s.statuses, [429, 200]);
    assert.ok(s.arrivals[1] >= s.blockedUntil - 2, `page b's request came ${s.blockedUntil - s.arrivals[1]} ms early`);
    assert.deepEqual([...a.consoleErrors, ...b.consoleErrors], []);
  } finally {
    await context.close();
  }
});

test('a page closing mid-wait leaves the other page waiting out the gate and succeeding', async () => {
  const context = await env.browser.newContext();
  try {
    const [a, b] = [await harness(context), await harness(context)];
    const key = `close-${Date.now()}`;
    await a.evaluate((key) => sf.makeRequestWithRetry(`${API}/g/rl?key=${key}&block=1000`, { shareAcrossTabs: true, maxRetries: 0 }).catch(() => null), key);
    // Both pages wait on the gate; page a goes away during the wait.
    await a.evaluate((key) => { window.pending = sf.makeRequestWithRetry(`${API}/g/rl?key=${key}&i=a`, { shareAcrossTabs: true }); }, key);
    const waiting = b.evaluate((key) => sf.makeRequestWithRetry(`${API}/g/rl?key=${key}&i=b`, { shareAcrossTabs: true }), key);
    await new Promise((r) => setTimeout(r, 200));
    await a.close();
    assert.equal((await waiting).ok, true);
    const s = await stats(key);
    assert.ok(s.arrivals.slice(1).every((t) => t >= s.blockedUntil - 2), 'nothing sent before the wait ended');
    assert.ok(s.count <= 3);
  } finally {
    await context.close();
  }
});

test("createClient({ originGate: 'client' }) has a gate of its own", async () => {
  const page = await env.page();
  const key = `client-${Date.now()}`;
  const result = await page.evaluate(async (key) => {
    const url = `${API}/g/rl?key=${key}&block=5000`;
    const mine = sf.createClient({ baseUrl: API, originGate: 'client', maxRetries: 0 });
    const other = sf.createClient({ baseUrl: API, originGate: 'client', maxRetries: 0 });
    const name = (p) => p.then(() => 'ok', (e) => `${e.name}:${e.attempts}`);
    return {
      first: await name(mine.get(`/g/rl?key=${key}&block=5000`)),
      sameClient: await name(mine.get(`/g/rl?key=${key}&i=1`, { maxRetryAfterMs: 1000 })),
      otherClient: await name(other.get(`/g/rl?key=${key}&i=2`, { maxRetryAfterMs: 1000 })),
      global: await name(sf.makeRequestWithRetry(`${url}&i=3`, { maxRetries: 0, maxRetryAfterMs: 1000 })),
    };
  }, key);
  // The client's own 429 fails its next call at once (no request); the other client and plain
  // calls each still ask the server.
  assert.deepEqual(result, { first: 'RateLimitError:1', sameClient: 'RateLimitError:0', otherClient: 'RateLimitError:1', global: 'RateLimitError:1' });
  assert.equal((await stats(key)).count, 3);
  await page.close();
});
