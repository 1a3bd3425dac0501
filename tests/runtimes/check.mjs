// Node ESM, Deno and Bun: `import` the installed package, then a typed SetupError for bytes that
// are not wasm, a NetworkError for a closed port and a RateLimitError from the mock API.
// Usage: <runtime> check.mjs API_URL CLOSED_URL; prints one JSON line.
import * as sf from 'steadfetch';
import { summary } from './summary.mjs';

const [api, closed] = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
// Which file the runtime's conditional-exports resolution picked.
const out = { entry: import.meta.resolve('steadfetch').replace(/^.*\/steadfetch\//, '') };
const setup = await sf.ready(new Uint8Array([0, 97, 115, 109, 1])).catch((e) => e);
out.setup = { ...summary(sf, setup), setupGuard: sf.isSetupError(setup) };
out.network = summary(sf, await sf.makeRequestWithRetry(`${closed}/x`, { maxRetries: 0 }).catch((e) => e));
out.rate = summary(sf, await sf.makeRequestWithRetry(`${api}/s/flaky?fail=9&status=429&retryAfter=600&key=check-${Math.random()}`).catch((e) => e));
console.log(JSON.stringify(out));
