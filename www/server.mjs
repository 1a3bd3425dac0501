// Starts the mock API (and, for `npm start`, the static demo) on 127.0.0.1.
//   node www/server.mjs                 mock API on MOCK_PORT (default 8787) + static on PORT (8080)
//   node www/server.mjs --api-only      mock API only
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createState, handleApi } from '../mock/api.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };
const SERVED = ['www/', 'pkg/', 'js/'];
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src *; style-src 'self'; img-src 'self' data:";

/** Starts the mock API on `port` (0 picks a free one). Resolves with { server, port, state }. */
export function startApi(port = 0) {
  const state = createState();
  const server = http.createServer(async (req, res) => {
    try {
      if (!(await handleApi(req, res, state))) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'no_route', message: `No mock route for ${req.url}` } }));
      }
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  });
  return listen(server, port).then((p) => ({ server, port: p, state }));
}

/** Serves www/ (at /), pkg/ and js/ with a strict CSP, and the mock API under /api/. */
export function startStatic(port = 0, state = createState()) {
  const server = http.createServer(async (req, res) => {
    if (req.url.startsWith('/api/')) {
      req.url = req.url.slice(4);
      if (!(await handleApi(req, res, state))) notFound(res);
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return notFound(res);
    }
    const rel = normalize(path === '/' ? 'www/index.html' : path.slice(1));
    if (!SERVED.some((p) => rel.startsWith(p))) return notFound(res);
    try {
      const data = await readFile(join(ROOT, rel));
      res.writeHead(200, { 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' });
      res.end(data);
    } catch {
      notFound(res);
    }
  });
  return listen(server, port).then((p) => ({ server, port: p }));
}

function notFound(res) {
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const portFile = process.argv.includes('--port-file') ? process.argv[process.argv.indexOf('--port-file') + 1] : null;
  const api = await startApi(Number(process.env.MOCK_PORT ?? (portFile ? 0 : 8787)));
  console.log(`mock API   http://127.0.0.1:${api.port}/`);
  if (portFile) (await import('node:fs')).writeFileSync(portFile, String(api.port));
  if (!process.argv.includes('--api-only')) {
    const web = await startStatic(Number(process.env.PORT ?? 8080));
    console.log(`\nsteadfetch demo: http://127.0.0.1:${web.port}/   (mock API also at /api/)`);
  }
}
