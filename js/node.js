// The entry for Node, Deno and Bun (the "node" export condition): the wasm is read from the
// package directory, since Node's fetch cannot fetch the file: URL the browser entry would use.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { runtime } from './load.js';

runtime.readFile = readFile;
runtime.wasm = () => {
  const url = new URL('../pkg/steadfetch_bg.wasm', import.meta.url);
  if (existsSync(url)) return url;
  // Bundled into a server build (Vite ssr.noExternal, esbuild --platform=node), this file is no
  // longer next to the wasm: use the installed package's copy.
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('steadfetch/wasm'));
  } catch {
    return url;
  }
};
export * from './index.js';
