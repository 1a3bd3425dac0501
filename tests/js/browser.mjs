// Shared by the Node test files: the mock API + static server, and headless Debian Chromium.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApi, startStatic } from '../../www/server.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * The package as users get it: `npm pack` into `dir`, then a scratch project `name` there that
 * installs the tarball. Returns the tarball's path and the files it holds.
 */
export function packInto(dir, name) {
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const info = JSON.parse(packed.slice(packed.indexOf('[')))[0];
  const tarball = { path: join(dir, info.filename), files: info.files.map((f) => f.path) };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball.path], { cwd: dir, stdio: 'ignore' });
  return tarball;
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
];

/** Closes what a scratch-app suite opened: its browser, its mock API, its directory. */
export async function closeAll({ browser, api, dir }) {
  await browser?.close();
  api?.server.closeAllConnections();
  api?.server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** Starts both servers and a browser; `close()` stops everything. */
export async function launch() {
  const api = await startApi(0);
  const web = await startStatic(0);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const apiUrl = `http://127.0.0.1:${api.port}`;
  const webUrl = `http://127.0.0.1:${web.port}`;
  return {
    api, apiUrl, webUrl, browser,
    /** A new page on the harness with the package imported as `window.sf`, failing on console errors. */
    async page(path = '/www/harness.html') {
      const page = await browser.newPage();
      page.consoleErrors = [];
      page.on('console', (m) => m.type() === 'error' && page.consoleErrors.push(m.text()));
      page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
      await page.goto(`${webUrl}${path}`);
      await page.evaluate(async (api) => {
        window.sf = await import('/js/index.js');
        window.API = api;
      }, apiUrl);
      return page;
    },
    async close() {
      await browser.close();
      api.server.closeAllConnections?.();
      web.server.closeAllConnections?.();
      await Promise.all([new Promise((r) => api.server.close(r)), new Promise((r) => web.server.close(r))]);
    },
  };
}
