// One cold start in a fresh browser context: from this module's first line to the first
// resolved call against the mock API, with the client (and for steadfetch its wasm) loaded over
// the network as a CDN serves it, compressed. `?client=steadfetch|ky|fetch`.
const started = performance.now();
const client = new URLSearchParams(location.search).get('client');
const url = `/api/s/flaky?fail=0&key=cold-${client}`;

async function firstCall() {
  if (client === 'steadfetch') {
    // What `import 'steadfetch'` gives a browser: the package's "browser" export (bench/cold.mjs
    // checks that package.json still names this file).
    const { makeRequestWithRetry } = await import('/dist/steadfetch.js');
    return makeRequestWithRetry(url);
  }
  if (client === 'ky') {
    const { default: ky } = await import('/vendor/ky.js');
    return ky.get(url).json();
  }
  return fetch(url).then((r) => r.json());
}

firstCall().then(
  (body) => { window.coldStart = { ms: performance.now() - started, ok: body?.ok === true }; },
  (error) => { window.coldStart = { ms: NaN, ok: false, error: String(error) }; },
);
