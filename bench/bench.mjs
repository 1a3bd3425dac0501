// `npm run bench`: size-independent speed figures, all in one headless Chromium run so machine
// drift cancels out. Writes bench/results.json, bench/results.md and bench/chart.svg.
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { createState, handleApi } from '../mock/api.mjs';
import { CHROMIUM_ARGS } from '../tests/js/browser.mjs';
import { updateReadme } from './readme.mjs';
import { coldStart } from './cold.mjs';
import { brotliCompressSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

async function vendor() {
  const dir = mkdtempSync(join(tmpdir(), 'steadfetch-bench-'));
  const bundle = (entry, out) => build({ entryPoints: [join(ROOT, entry)], bundle: true, minify: true, format: 'esm', outfile: join(dir, out), logLevel: 'silent' });
  await bundle('node_modules/ky/distribution/index.js', 'ky.js');
  await bundle('node_modules/ofetch/dist/index.mjs', 'ofetch.js');
  return dir;
}

/** A file as a CDN serves it: brotli for scripts and wasm when the browser asks (cached). */
const compressed = new Map();
function encode(file, data, acceptEncoding) {
  if (!/\.(js|wasm)$/.test(file) || !/\bbr\b/.test(acceptEncoding ?? '')) return [data, {}];
  if (!compressed.has(file)) compressed.set(file, brotliCompressSync(data));
  return [compressed.get(file), { 'Content-Encoding': 'br', Vary: 'Accept-Encoding' }];
}

/** Same-origin static files and the mock API, cross-origin isolated for 5 µs timer resolution. */
function serve(vendorDir) {
  const state = createState();
  const server = http.createServer(async (req, res) => {
    if (req.url.startsWith('/api/')) {
      req.url = req.url.slice(4);
      if (await handleApi(req, res, state)) return;
    }
    const path = new URL(req.url, 'http://x').pathname;
    const file = path.startsWith('/vendor/') ? join(vendorDir, path.slice(8)) : join(ROOT, path);
    let data;
    try {
      data = readFileSync(file);
    } catch {
      return res.writeHead(404).end();
    }
    const [body, encoding] = encode(file, data, req.headers['accept-encoding']);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp',
      ...encoding,
    });
    res.end(body);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const fmt = (n, d = 1) => (n === null || n === undefined ? '–' : Number(n).toFixed(d));

function markdown(r) {
  const lines = [];
  lines.push(`Run ${r.date} on ${r.machine}; Chromium ${r.chromium}.`, '');
  lines.push('**Per-call overhead** (stubbed fetch returning a ready Response; 10,000 calls each after 500 warm-up, interleaved in batches of 10)', '');
  lines.push('| path | client | median µs | p99 µs | × raw fetch | × ky |', '|---|---|---:|---:|---:|---:|');
  for (const path of ['success', 'error']) {
    const rows = r.perCall[path];
    for (const [name, s] of Object.entries(rows)) {
      lines.push(`| ${path === 'success' ? '200 JSON' : '404 JSON → typed error'} | ${name} | ${fmt(s.median, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.median / rows['raw fetch'].median, 2)} | ${fmt(s.median / rows.ky.median, 2)} |`);
    }
  }
  lines.push('', '**End to end on localhost** (2,000 sequential GETs against the mock API, interleaved)', '');
  lines.push('| client | median µs | p99 µs | × raw fetch |', '|---|---:|---:|---:|');
  for (const [name, s] of Object.entries(r.endToEnd)) lines.push(`| ${name} | ${fmt(s.median, 0)} | ${fmt(s.p99, 0)} | ${fmt(s.median / r.endToEnd['raw fetch'].median, 3)} |`);
  lines.push('', '**Cold start** (module start → first resolved call on localhost; 20 fresh browser contexts per client, interleaved; scripts and wasm served brotli-compressed as a CDN would)', '');
  lines.push('| client | median ms | p90 ms | × raw fetch |', '|---|---:|---:|---:|');
  for (const [name, s] of Object.entries(r.coldStart)) lines.push(`| ${name} | ${fmt(s.median, 1)} | ${fmt(s.p90, 1)} | ${fmt(s.median / r.coldStart['raw fetch'].median, 2)} |`);
  lines.push('', '**Normalization throughput** (host, release build: parse + normalize one error body)', '');
  lines.push('| dialect | bodies / s |', '|---|---:|');
  for (const [name, n] of Object.entries(r.throughput)) lines.push(`| ${name} | ${Math.round(n).toLocaleString('en-US')} |`);
  const t = r.timers;
  lines.push('', `**Timer accuracy** (${t.count} planned waits of 5–200 ms): lateness p50 ${fmt(t.p50, 2)} ms, p95 ${fmt(t.p95, 2)} ms, max ${fmt(t.max, 2)} ms; fired early: ${t.early}.`, '');
  lines.push('**Memory** (after N calls against the stub; wasm linear memory and JS heap after GC)', '');
  lines.push('| path | calls | wasm bytes | JS heap bytes |', '|---|---:|---:|---:|');
  for (const [path, points] of Object.entries(r.memory)) for (const p of points) lines.push(`| ${path} | ${p.calls.toLocaleString('en-US')} | ${p.wasmBytes.toLocaleString('en-US')} | ${p.jsHeapBytes?.toLocaleString('en-US') ?? '–'} |`);
  return lines.join('\n') + '\n';
}

function chart(r) {
  const bars = [];
  for (const path of ['success', 'error']) {
    for (const [name, s] of Object.entries(r.perCall[path])) bars.push({ label: `${path === 'success' ? '200' : '404'} ${name}`, value: s.median / r.perCall[path]['raw fetch'].median });
  }
  for (const [name, s] of Object.entries(r.endToEnd)) bars.push({ label: `e2e ${name}`, value: s.median / r.endToEnd['raw fetch'].median });
  const max = Math.max(...bars.map((b) => b.value), 1);
  const rowH = 22;
  const width = 640;
  const left = 170;
  const rows = bars.map((b, i) => {
    const w = ((width - left - 60) * b.value) / max;
    const color = b.label.includes('steadfetch') ? '#3451b2' : '#9aa3b5';
    return `<text x="${left - 8}" y="${30 + i * rowH + 14}" text-anchor="end">${b.label}</text><rect x="${left}" y="${30 + i * rowH + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${color}"/><text x="${left + w + 6}" y="${30 + i * rowH + 14}">${b.value.toFixed(2)}×</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${40 + bars.length * rowH}" font-family="sans-serif" font-size="12"><text x="10" y="18" font-weight="bold">Median time per call, as a multiple of raw fetch (lower is better)</text>${rows.join('')}</svg>\n`;
}

const vendorDir = await vendor();
const server = await serve(vendorDir);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'] });
const page = await browser.newPage();
page.on('pageerror', (e) => console.error('page error:', e));
await page.goto(`${base}/bench/page.html`);
await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
const isolated = await page.evaluate(() => crossOriginIsolated);
const step = async (name, fn, arg) => {
  process.stderr.write(`bench: ${name}…\n`);
  return page.evaluate(({ fn, arg }) => window.bench[fn](arg), { fn, arg });
};
if (process.argv.includes('--per-call')) {
  // Quick loop for profiling work: the per-call table only, nothing written.
  const perCall = await step('per-call overhead', 'perCall');
  console.log(JSON.stringify(Object.fromEntries(Object.entries(perCall).map(([p, rows]) => [p, Object.fromEntries(Object.entries(rows).map(([n, s]) => [n, s.median]))]))));
  await browser.close();
  server.close();
  process.exit(0);
}
if (process.argv.includes('--cold')) {
  // Quick loop for load-time work: the cold-start table only, nothing written.
  console.log(JSON.stringify(await coldStart(browser, base)));
  await browser.close();
  server.close();
  process.exit(0);
}
const result = {
  date: new Date().toISOString(),
  machine: `${(await import('node:os')).cpus().length} cores, ${(await import('node:os')).cpus()[0].model}`,
  chromium: browser.version(),
  crossOriginIsolated: isolated,
  perCall: await step('per-call overhead', 'perCall'),
  endToEnd: await step('end to end', 'endToEnd', `${base}/api`),
  timers: await step('timer accuracy', 'timers'),
  memory: await step('memory', 'memory'),
  coldStart: await (process.stderr.write('bench: cold start…\n'), coldStart(browser, base)),
  throughput: JSON.parse(execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'throughput'], { cwd: ROOT, encoding: 'utf8' })),
};
await browser.close();
server.close();
writeFileSync(join(ROOT, 'bench/results.json'), JSON.stringify(result, null, 1) + '\n');
writeFileSync(join(ROOT, 'bench/results.md'), markdown(result));
writeFileSync(join(ROOT, 'bench/chart.svg'), chart(result));
updateReadme('bench', `**\`npm run bench\`**\n\n${markdown(result)}`);
console.log(markdown(result));
