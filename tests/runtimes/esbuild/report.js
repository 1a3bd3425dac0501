// Makes the app's two calls and writes what it got to <body data-result>.
export async function report(makeRequestWithRetry, classes) {
  const q = new URLSearchParams(location.search);
  const one = (e) => ({
    name: e.name, kind: e.kind, code: e.code, api: e instanceof classes.ApiError,
    own: e instanceof (classes[e.name] ?? classes.ApiError), retryAfterMs: e.retryAfterMs, message: e.message, hint: e.hint,
  });
  const network = await makeRequestWithRetry(`${q.get('closed')}/x`, { maxRetries: 0 }).catch(one);
  const rate = await makeRequestWithRetry(`${q.get('api')}/s/flaky?fail=9&status=429&retryAfter=600&key=esb-${Math.random()}`).catch(one);
  document.body.dataset.result = JSON.stringify({ network, rate });
}
