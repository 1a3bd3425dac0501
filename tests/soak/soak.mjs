// `npm run soak`: N calls (default 10,000), 50 in flight, GET and keyed/unkeyed POST mixed, against
// the chaos mock in headless Chromium. Bounded in count and time, 127.0.0.1 only. Prints a report
// and exits non-zero when a check fails.
//   node tests/soak/soak.mjs [--calls N] [--concurrency C] [--seed S] [--json]
import { chromium } from 'playwright-core';
import { startStatic } from '../../www/server.mjs';
import { CHROMIUM_ARGS } from '../js/browser.mjs';

export async function soak({ calls = 10000, concurrency = 50, seed = 'soak-1', timeLimitMs = 20 * 60 * 1000 } = {}) {
  const web = await startStatic(0);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${web.port}/www/harness.html`);
    await page.waitForFunction(() => window.sf);
    const report = await page.evaluate(runInPage, { calls, concurrency, seed, timeLimitMs });
    return report;
  } finally {
    await browser.close();
    web.server.closeAllConnections();
    web.server.close();
  }
}

/** Runs inside the page. */
async function runInPage({ calls, concurrency, seed, timeLimitMs }) {
  const sf = window.sf;
  const wasm = await sf.ready();
  let unhandled = 0;
  window.addEventListener('unhandledrejection', () => { unhandled += 1; });
  const options = { timeoutMs: 400, maxRetries: 3, backoff: { baseMs: 10, maxMs: 100 }, maxRetryAfterMs: 1500, retryBudget: false };
  const byClass = {};
  const bad = [];
  let succeeded = 0;
  let retries = 0;
  let completed = 0;
  let next = 0;
  let memoryEarly = 0;
  const started = performance.now();
  async function one(i) {
    const kind = i % 10;
    const url = `/api/chaos/op-${i}?seed=${encodeURIComponent(seed)}`;
    const init = kind < 6 ? { ...options }
      : kind < 9 ? { ...options, method: 'POST', json: { i }, idempotencyKey: true }
        : { ...options, method: 'POST', json: { i } };
    try {
      await sf.makeRequestWithRetry(url, init);
      succeeded += 1;
    } catch (e) {
      if (!sf.isApiError(e) || !e.kind || !e.code || !e.message || !(e instanceof Error)) {
        bad.push(String(e?.name) + ': ' + String(e?.message));
      } else {
        byClass[e.name] = (byClass[e.name] ?? 0) + 1;
        retries += e.attempts - 1;
      }
    }
    completed += 1;
    if (completed === Math.floor(calls / 2)) memoryEarly = wasm.memory.buffer.byteLength;
  }
  // Wasm memory only grows, to the high-water mark of concurrent work; 50 error bodies of the
  // largest size read at once (256 KiB each) set that mark up front, so later growth means a leak.
  await Promise.all(Array.from({ length: concurrency }, () => sf.makeRequestWithRetry('/api/h/huge', { maxRetries: 0 }).catch(() => {})));
  async function worker() {
    while (next < calls && performance.now() - started < timeLimitMs) await one(next++);
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const stillAnswers = (await sf.makeRequestWithRetry('/api/s/204')) === null;
  const server = await sf.makeRequestWithRetry('/api/chaos-stats');
  return {
    calls, concurrency, seed, completed, succeeded, failed: completed - succeeded, failedByClass: byClass,
    retries, seconds: Math.round((performance.now() - started) / 100) / 10,
    checks: {
      moduleStillAnswers: stillAnswers,
      unhandledRejections: unhandled,
      nonApiErrors: bad.slice(0, 5),
      serverViolations: server.violations.slice(0, 5),
      wasmMemoryEarly: memoryEarly,
      wasmMemoryEnd: wasm.memory.buffer.byteLength,
    },
    server: { requests: server.requests, ops: server.ops, keyedOps: server.keyedOps, applied: server.applied },
  };
}

/** The pass/fail verdicts of a report. */
export function verdicts(r) {
  const c = r.checks;
  return {
    'every call completed': r.completed === r.calls,
    'module still answers': c.moduleStillAnswers === true,
    'no unhandled rejection': c.unhandledRejections === 0,
    'every failure an ApiError with kind, code, message': c.nonApiErrors.length === 0,
    'no keyed POST applied twice, no unkeyed POST retried': c.serverViolations.length === 0,
    // After the warm-up above, the second half may only reach a slightly higher high-water mark
    // (a few concurrent bodies more); a leak keeps growing. (bench: 100,000 calls stay flat.)
    'wasm memory flat over the second half': c.wasmMemoryEnd - c.wasmMemoryEarly <= 1024 * 1024,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const report = await soak({ calls: Number(arg('calls', 10000)), concurrency: Number(arg('concurrency', 50)), seed: arg('seed', 'soak-1') });
  const v = verdicts(report);
  console.log(JSON.stringify(report, null, 1));
  for (const [name, ok] of Object.entries(v)) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  process.exit(Object.values(v).every(Boolean) ? 0 : 1);
}
