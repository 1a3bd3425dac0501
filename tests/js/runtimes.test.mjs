// The packed tarball, installed into a scratch project as users do, in every runtime the README
// lists: Node ESM and require, Vitest + jsdom, node:test, a Vite SSR build, an esbuild browser
// bundle in Chromium, Deno, Bun and workerd. Each makes real requests to the local mock API and
// checks the typed errors (and the typed SetupError when the wasm cannot be loaded).
// The checks run as child processes, several at once (describe concurrency).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, extname } from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { chromium } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { startApi } from '../../www/server.mjs';
import { CHROMIUM_ARGS, closeAll, packInto } from './browser.mjs';

const ROOT = resolve('.');
const FIXTURES = join(ROOT, 'tests/runtimes');
const BIN = join(ROOT, 'node_modules/.bin');
const version = (cmd, args = ['--version']) => execFileSync(join(BIN, cmd), args, { encoding: 'utf8' }).split('\n')[0].trim();
const VERSIONS = {
  node: process.version, deno: version('deno'), bun: version('bun'), workerd: version('workerd'),
  vitest: JSON.parse(readFileSync(join(ROOT, 'node_modules/vitest/package.json'), 'utf8')).version,
  jsdom: JSON.parse(readFileSync(join(ROOT, 'node_modules/jsdom/package.json'), 'utf8')).version,
  vite: JSON.parse(readFileSync(join(ROOT, 'node_modules/vite/package.json'), 'utf8')).version,
  esbuild: JSON.parse(readFileSync(join(ROOT, 'node_modules/esbuild/package.json'), 'utf8')).version,
};

let dir; // the scratch project: package.json + node_modules/steadfetch from the tarball
let api;
let apiUrl;
let closedUrl;
let browser;

const NETWORK = { name: 'NetworkError', kind: 'network', status: null, api: true, own: true, guard: true };
const RATE = { name: 'RateLimitError', kind: 'rate_limited', status: 429, retryAfterMs: 600000, api: true, own: true, guard: true };
const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o?.[k]]));
const like = (actual, expected) => assert.deepEqual(pick(actual, Object.keys(expected)), expected, JSON.stringify(actual));

/** Runs a command without blocking this process (the mock API answers from here); resolves with its output. */
function run(cmd, args, { cwd = dir, env = {}, timeout = 120000 } = {}) {
  const childEnv = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...env };
  delete childEnv.NODE_TEST_CONTEXT; // a nested `node --test` must report to its own stdout
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

/** The last line of stdout as JSON, failing with the whole output if there is none. */
function json({ code, stdout, stderr }) {
  const line = stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    assert.fail(`no JSON result (exit ${code})\nstdout: ${stdout}\nstderr: ${stderr}`);
  }
}

function freePort() {
  return new Promise((res) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function serve(root, headers = {}) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const path = join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(root)) return res.writeHead(403).end();
    try {
      const data = readFileSync(path);
      res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream', ...headers }).end(data);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steadfetch-runtimes-'));
  packInto(dir, 'runtimes-app');
  cpSync(FIXTURES, dir, { recursive: true });
  api = await startApi(0);
  apiUrl = `http://127.0.0.1:${api.port}`;
  closedUrl = `http://127.0.0.1:${await freePort()}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(() => closeAll({ browser, api, dir }));

describe('runtimes', { concurrency: 3 }, () => {
  test(`Node ${VERSIONS.node}: node -e "import('steadfetch')" with no setup gets a NetworkError and a RateLimitError`, async () => {
    const code = `import('steadfetch').then(async (sf) => {
      const { summary } = await import('./summary.mjs');
      const network = await sf.makeRequestWithRetry(${JSON.stringify(`${closedUrl}/x`)}, { maxRetries: 0 }).catch((e) => e);
      const rate = await sf.makeRequestWithRetry(${JSON.stringify(`${apiUrl}/s/flaky?fail=9&status=429&retryAfter=600&key=node-e`)}).catch((e) => e);
      console.log(JSON.stringify({ network: summary(sf, network), rate: summary(sf, rate) }));
    })`;
    const out = json(await run(process.execPath, ['-e', code]));
    like(out.network, NETWORK);
    like(out.rate, RATE);
  });

  test(`Node ${VERSIONS.node} ESM import: SetupError for bad bytes, then NetworkError and RateLimitError`, async () => {
    const out = json(await run(process.execPath, ['check.mjs', apiUrl, closedUrl]));
    assert.equal(out.entry, 'js/node.js', 'the "node" export condition');
    like(out.setup, { name: 'SetupError', kind: 'setup', code: 'wasm_invalid', status: null, api: true, own: true, guard: true, setupGuard: true });
    assert.match(out.setup.message, /^steadfetch could not load its WebAssembly module: /);
    like(out.network, NETWORK);
    like(out.rate, RATE);
  });

  test(`Node ${VERSIONS.node} require(): same instance as import, typed errors`, async () => {
    const result = await run(process.execPath, ['check.cjs', apiUrl, closedUrl]);
    const out = json(result);
    assert.equal(out.sameInstance, true);
    like(out.network, NETWORK);
    like(out.rate, RATE);
  });

  test(`Node ${VERSIONS.node}: ready(input) takes a URL, a string, a Response, bytes or a WebAssembly.Module`, async () => {
    for (const form of ['url', 'string', 'response', 'bytes', 'arraybuffer', 'module']) {
      const out = json(await run(process.execPath, ['ready-forms.mjs', form, apiUrl]));
      assert.equal(out.ready, 'ok', `${form}: ${JSON.stringify(out)}`);
      like(out.rate, RATE);
    }
  });

  test(`Node ${VERSIONS.node}: ready() failures are SetupErrors that say what to fix (and never leak the query); the next call loads the package's wasm`, async () => {
    const http404 = json(await run(process.execPath, ['ready-forms.mjs', 'http404', apiUrl]));
    like(http404.ready, { name: 'SetupError', kind: 'setup', code: 'wasm_http_error', api: true, own: true });
    assert.match(http404.ready.message, /\/no\/such\/steadfetch_bg\.wasm answered HTTP 404/);
    assert.doesNotMatch(JSON.stringify(http404), /SECRET/);
    assert.match(http404.ready.hint, /README/);
    like(http404.rate, RATE);
    const missing = json(await run(process.execPath, ['ready-forms.mjs', 'missing', apiUrl]));
    like(missing.ready, { name: 'SetupError', code: 'wasm_missing' });
    assert.match(missing.ready.message, /steadfetch_bg\.wasm\.gone does not exist/);
    like(missing.rate, RATE);
    const number = json(await run(process.execPath, ['ready-forms.mjs', 'number', apiUrl]));
    assert.equal(number.ready.typeError, true);
    assert.match(number.ready.message, /^steadfetch: ready\(\) takes a URL/);
  });

  test(`Vitest ${VERSIONS.vitest} with environment jsdom ${VERSIONS.jsdom}: an app's tests get typed errors`, async () => {
    const app = join(dir, 'vitest');
    const report = join(app, 'report.json');
    const result = await run(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', app, '--reporter=json', `--outputFile=${report}`],
      { cwd: app, env: { API_URL: apiUrl, CLOSED_URL: closedUrl, CI: 'true' } });
    const r = JSON.parse(readFileSync(report, 'utf8'));
    assert.deepEqual({ total: r.numTotalTests, passed: r.numPassedTests, failed: r.numFailedTests, code: result.code },
      { total: 3, passed: 3, failed: 0, code: 0 }, result.stdout + result.stderr);
  });

  test(`node:test (Node ${VERSIONS.node}): an app's tests get typed errors`, async () => {
    const result = await run(process.execPath, ['--test', '--test-reporter=spec', 'app.test.mjs'], { cwd: join(dir, 'node-test'), env: { API_URL: apiUrl, CLOSED_URL: closedUrl } });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^ℹ pass 2$/m);
    assert.match(result.stdout, /^ℹ fail 0$/m);
  });

  test(`Vite ${VERSIONS.vite} SSR build run under Node, steadfetch external (default) and bundled (ssr.noExternal)`, async () => {
    const app = join(dir, 'ssr');
    for (const [outDir, extra] of [['dist', {}], ['dist-bundled', { ssr: { noExternal: true } }]]) {
      await viteBuild({ root: app, logLevel: 'silent', build: { ssr: 'entry-server.js', outDir, emptyOutDir: true }, ...extra });
      const code = `import('./${outDir}/entry-server.js').then((m) => m.render(${JSON.stringify(apiUrl)}, ${JSON.stringify(closedUrl)})).then(console.log)`;
      const out = json(await run(process.execPath, ['-e', code], { cwd: app }));
      assert.deepEqual(out, { network: ['NetworkError', true, true], rate: ['RateLimitError', true, 600000] }, outDir);
    }
    assert.match(readFileSync(join(app, 'dist/entry-server.js'), 'utf8'), /from "steadfetch"/, 'external by default');
    assert.doesNotMatch(readFileSync(join(app, 'dist-bundled/entry-server.js'), 'utf8'), /from "steadfetch"/, 'bundled');
  });

  test(`esbuild ${VERSIONS.esbuild} browser bundle in Chromium: with the README's line it works; without it, or under a CSP without 'wasm-unsafe-eval', a typed SetupError says what to fix`, async () => {
    const app = join(dir, 'esbuild');
    for (const name of ['main', 'main-default']) {
      await esbuild({ entryPoints: [join(app, `${name}.js`)], bundle: true, format: 'esm', platform: 'browser', outdir: join(app, 'dist', name), loader: { '.wasm': 'file' }, logLevel: 'silent' });
      writeFileSync(join(app, 'dist', name, 'index.html'), `<!doctype html><html><body><script type="module" src="./${name}.js"></script></body></html>`);
    }
    const page = async (server, name) => {
      const p = await browser.newPage();
      const errors = [];
      p.on('pageerror', (e) => errors.push(String(e)));
      await p.goto(`http://127.0.0.1:${server.address().port}/${name}/index.html?api=${apiUrl}&closed=${closedUrl}`);
      await p.waitForFunction(() => document.body.dataset.result, null, { timeout: 20000 });
      const result = JSON.parse(await p.evaluate(() => document.body.dataset.result));
      await p.close();
      assert.deepEqual(errors, []);
      return result;
    };
    const plain = await serve(join(app, 'dist'));
    const strict = await serve(join(app, 'dist'), { 'Content-Security-Policy': "script-src 'self'" });
    try {
      const ok = await page(plain, 'main');
      like(ok.network, { name: 'NetworkError', kind: 'network', api: true, own: true });
      like(ok.rate, { name: 'RateLimitError', kind: 'rate_limited', api: true, own: true, retryAfterMs: 600000 });

      const missing = await page(plain, 'main-default');
      like(missing.network, { name: 'SetupError', kind: 'setup', code: 'wasm_http_error', api: true });
      assert.match(missing.network.message, /\/pkg\/steadfetch_bg\.wasm answered HTTP 404/);
      assert.match(missing.network.hint, /README/);

      const csp = await page(strict, 'main');
      like(csp.network, { name: 'SetupError', kind: 'setup', code: 'wasm_blocked_by_csp', api: true });
      assert.match(csp.network.hint, /'wasm-unsafe-eval'/);
    } finally {
      plain.close();
      strict.close();
    }
  });

  test(`Deno ${VERSIONS.deno.split(' ')[1]}: typed errors with --allow-net --allow-read; without --allow-read a SetupError names the flag`, async () => {
    const env = { DENO_DIR: join(dir, '.deno') };
    const out = json(await run(join(BIN, 'deno'), ['run', '--allow-net', `--allow-read=${dir}`, '--no-lock', 'check.mjs', apiUrl, closedUrl], { env }));
    assert.equal(out.entry, 'js/node.js', 'the "node" export condition');
    like(out.setup, { name: 'SetupError', kind: 'setup', code: 'wasm_invalid', api: true, own: true, setupGuard: true });
    like(out.network, NETWORK);
    like(out.rate, RATE);
    // Deno needs read access to the package's wasm: the error says so. (Read access to the
    // script itself is implied, so only the wasm read fails.)
    const denied = json(await run(join(BIN, 'deno'), ['run', '--allow-net', '--no-lock', 'check.mjs', apiUrl, closedUrl], { env }));
    like(denied.network, { name: 'SetupError', kind: 'setup', code: 'wasm_permission', api: true });
    assert.match(denied.network.hint, /--allow-read/);
  });

  test(`Bun ${VERSIONS.bun}: SetupError for bad bytes, then NetworkError and RateLimitError`, async () => {
    const out = json(await run(join(BIN, 'bun'), ['check.mjs', apiUrl, closedUrl], { env: { BUN_INSTALL_CACHE_DIR: join(dir, '.bun') } }));
    assert.equal(out.entry, 'js/node.js', 'the "node" export condition');
    like(out.setup, { name: 'SetupError', kind: 'setup', code: 'wasm_invalid', api: true, own: true, setupGuard: true });
    like(out.network, NETWORK);
    like(out.rate, RATE);
  });

  test(`workerd ${VERSIONS.workerd.split(' ')[1]}: a worker bundled as wrangler does gets typed errors; ready(bytes) is a SetupError (no compiling from bytes)`, async () => {
    const app = join(dir, 'workerd');
    const out = join(app, 'dist');
    await esbuild({
      entryPoints: [join(app, 'worker.js')], bundle: true, format: 'esm', platform: 'neutral', outdir: out,
      conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'], loader: { '.wasm': 'copy' },
      assetNames: '[name]-[hash]', external: ['./raw.bin'], logLevel: 'silent', metafile: true,
    }).then((r) => {
      assert.ok(Object.keys(r.metafile.inputs).some((f) => f.endsWith('steadfetch/js/workerd.js')), 'the "workerd" export condition');
    });
    const wasm = readdirSync(out).find((f) => f.endsWith('.wasm'));
    assert.ok(wasm, 'the .wasm is a module of its own');
    cpSync(join(out, wasm), join(out, 'raw.bin'));
    writeFileSync(join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local", "private"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "${wasm}", wasm = embed "${wasm}"),
    (name = "raw.bin", data = embed "raw.bin"),
  ],
  compatibilityDate = "2024-09-23",
  globalOutbound = "loopback",
);
`);
    const port = await freePort();
    const child = spawn(join(BIN, 'workerd'), ['serve', join(out, 'config.capnp'), '--socket-addr', `http=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    try {
      let response;
      for (let i = 0; i < 100 && !response; i++) {
        response = await fetch(`http://127.0.0.1:${port}/?api=${apiUrl}&closed=${closedUrl}`).catch(() => new Promise((r) => setTimeout(r, 100)));
      }
      assert.ok(response, `workerd did not answer: ${stderr}`);
      const result = await response.json();
      like(result.setup, { name: 'SetupError', kind: 'setup', code: 'wasm_compile_forbidden', api: true, own: true });
      like(result.network, NETWORK);
      like(result.rate, RATE);
    } finally {
      child.kill();
    }
  });
});
