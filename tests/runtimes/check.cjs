// Node `require` (CommonJS): the same package instance and classes as `import`.
// Usage: node check.cjs API_URL CLOSED_URL; prints one JSON line.
const sf = require('steadfetch');
const [api, closed] = process.argv.slice(2);

(async () => {
  const { summary } = await import('./summary.mjs');
  const imported = await import('steadfetch');
  const out = { sameInstance: imported.makeRequestWithRetry === sf.makeRequestWithRetry && imported.ApiError === sf.ApiError };
  out.network = summary(sf, await sf.makeRequestWithRetry(`${closed}/x`, { maxRetries: 0 }).catch((e) => e));
  out.rate = summary(sf, await sf.makeRequestWithRetry(`${api}/s/flaky?fail=9&status=429&retryAfter=600&key=cjs-${Math.random()}`).catch((e) => e));
  console.log(JSON.stringify(out));
})();
