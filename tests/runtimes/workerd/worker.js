// A Cloudflare Worker: bundled as wrangler does (conditions workerd/worker/browser, the .wasm a
// module of its own), then served by workerd. Each request calls the mock API through steadfetch.
import * as sf from 'steadfetch';
import rawBytes from './raw.bin';

const one = (e) => ({
  name: e.name, kind: e.kind, code: e.code, status: e.status, api: e instanceof sf.ApiError, own: e instanceof sf[e.name],
  guard: sf.isApiError(e), retryAfterMs: e.retryAfterMs, message: e.message,
});

export default {
  async fetch(request) {
    const q = new URL(request.url).searchParams;
    // workerd forbids compiling wasm from bytes: ready(bytes) is a SetupError that says so, and
    // the calls after it use the imported module (the "workerd" entry).
    const setup = await sf.ready(new Uint8Array(rawBytes)).then(() => ({ name: 'loaded' }), one);
    const network = await sf.makeRequestWithRetry(`${q.get('closed')}/x`, { maxRetries: 0 }).catch(one);
    const rate = await sf.makeRequestWithRetry(`${q.get('api')}/s/flaky?fail=9&status=429&retryAfter=600&key=wk-${Math.random()}`).catch(one);
    return Response.json({ setup, network, rate });
  },
};
