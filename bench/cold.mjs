// Cold start: import → first resolved call on localhost, in 20 fresh browser contexts per client
// (no HTTP cache, no compiled-wasm cache), clients interleaved, files served brotli-compressed.
import { readFileSync } from 'node:fs';

const CLIENTS = ['steadfetch', 'ky', 'raw fetch'];
const ROUNDS = 20;

async function once(browser, base, client) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/bench/cold.html?client=${client === 'raw fetch' ? 'fetch' : client}`);
  const result = await page.waitForFunction(() => window.coldStart, null, { timeout: 30000 }).then((h) => h.jsonValue());
  await context.close();
  if (!result.ok) throw new Error(`cold start of ${client} failed: ${result.error ?? 'unexpected body'}`);
  return result.ms;
}

/** Median and p90 ms per client. */
export async function coldStart(browser, base) {
  const entry = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).exports['.'].browser;
  if (entry !== './dist/steadfetch.js') throw new Error(`bench/cold.js imports dist/steadfetch.js, but the package's browser entry is ${entry}`);
  const samples = Object.fromEntries(CLIENTS.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const client of round % 2 ? [...CLIENTS].reverse() : CLIENTS) samples[client].push(await once(browser, base, client));
  }
  const stat = (list) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)], p90: sorted[Math.floor(sorted.length * 0.9)], n: sorted.length };
  };
  return Object.fromEntries(Object.entries(samples).map(([client, list]) => [client, stat(list)]));
}
