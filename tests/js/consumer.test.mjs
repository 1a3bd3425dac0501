// The package as users consume it: `npm pack`, then a Vite app and a plain <script type="module">
// page that depend on the tarball, run in headless Chromium; and tsc against the shipped .d.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, posix } from 'node:path';
import http from 'node:http';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startApi } from '../../www/server.mjs';
import { CHROMIUM_ARGS, closeAll, packInto } from './browser.mjs';

const ROOT = resolve('.');
let dir;
let api;
let browser;
let tarball;

const APP_SCRIPT = (importPath) => `
import { makeRequestWithRetry, RateLimitError, ApiError, isRateLimitError } from ${JSON.stringify(importPath)};
const api = new URLSearchParams(location.search).get('api');
try {
  await makeRequestWithRetry(api + '/s/flaky?fail=9&status=429&retryAfter=600&key=consumer');
  document.body.dataset.result = 'resolved';
} catch (e) {
  document.body.dataset.result = JSON.stringify({
    rate: e instanceof RateLimitError, api: e instanceof ApiError, error: e instanceof Error,
    guard: isRateLimitError(e), name: e.name, retryAfterMs: e.retryAfterMs,
  });
}
`;

function serve(root) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const path = join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(root)) return res.writeHead(403).end();
    try {
      const data = readFileSync(path.endsWith('/') ? join(path, 'index.html') : path);
      res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'text/html' }).end(data);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

async function runPage(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.result, null, { timeout: 20000 });
  const result = await page.evaluate(() => document.body.dataset.result);
  await page.close();
  assert.deepEqual(errors, []);
  return JSON.parse(result);
}

const EXPECTED = { rate: true, api: true, error: true, guard: true, name: 'RateLimitError', retryAfterMs: 600000 };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steadfetch-consumer-'));
  tarball = packInto(dir, 'consumer');
  api = await startApi(0);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(() => closeAll({ browser, api, dir }));

test('the tarball holds the ESM entry, the wasm, the error classes and the .d.ts', () => {
  const files = tarball.files;
  for (const f of ['js/index.js', 'js/load.js', 'js/node.js', 'js/workerd.js', 'js/index.d.ts', 'pkg/steadfetch.js', 'pkg/steadfetch_bg.wasm',
    'pkg/errors.js', 'pkg/glue.js', 'pkg/exports.js', 'dist/steadfetch.js', 'package.json']) {
    assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
  }
  // Every relative import of the packed JavaScript is packed too.
  for (const f of files.filter((name) => name.endsWith('.js'))) {
    const source = readFileSync(join(dir, 'node_modules/steadfetch', f), 'utf8');
    for (const [, spec] of source.matchAll(/^(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]/gm)) {
      const target = posix.join(posix.dirname(f), spec);
      assert.ok(files.includes(target), `${f} imports ${spec}: ${target} is not in the tarball`);
    }
  }
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('target/')), 'no sources or build output');
});

test('a Vite app built against the tarball gets typed errors in Chromium', async () => {
  const app = join(dir, 'vite-app');
  mkdirSync(app);
  writeFileSync(join(app, 'index.html'), '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>');
  writeFileSync(join(app, 'main.js'), APP_SCRIPT('steadfetch'));
  await build({ root: app, logLevel: 'silent', build: { outDir: join(app, 'dist'), emptyOutDir: true }, resolve: { preserveSymlinks: false } });
  const server = await serve(join(app, 'dist'));
  try {
    assert.deepEqual(await runPage(`http://127.0.0.1:${server.address().port}/?api=http://127.0.0.1:${api.port}`), EXPECTED);
  } finally {
    server.close();
  }
});

test('a plain <script type="module"> page with no bundler gets the same, from the browser entry (one file) or the modules', async () => {
  const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/steadfetch/package.json'), 'utf8'));
  assert.equal(pkg.exports['.'].browser, './dist/steadfetch.js', 'the browser condition names the one-file entry');
  const server = await serve(dir);
  try {
    for (const entry of ['dist/steadfetch.js', 'js/index.js']) {
      writeFileSync(join(dir, 'plain.html'), `<!doctype html><html><body><script type="module">${APP_SCRIPT(`/node_modules/steadfetch/${entry}`)}</script></body></html>`);
      assert.deepEqual(await runPage(`http://127.0.0.1:${server.address().port}/plain.html?api=http://127.0.0.1:${api.port}`), EXPECTED, entry);
    }
  } finally {
    server.close();
  }
});

test('tsc --strict --noEmit type-checks usage, types (narrowing, inference, constructors) and misuse (@ts-expect-error) files', () => {
  const files = ['usage.ts', 'types.ts', 'misuse.ts'];
  for (const f of files) copyFileSync(join(ROOT, 'tests/package', f), join(dir, f));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom', 'dom.iterable'], skipLibCheck: false },
    files,
  }));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'inherit' });
  // And a misuse must fail, or the check proves nothing.
  writeFileSync(join(dir, 'usage.ts'), "import { makeRequestWithRetry } from 'steadfetch';\nmakeRequestWithRetry('x', { maxRetries: 'three' });\n");
  for (const f of files.slice(1)) writeFileSync(join(dir, f), 'export {};\n');
  assert.throws(() => execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'ignore' }));
});
