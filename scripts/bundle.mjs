// The browser entry (package.json exports "browser"): js/index.js and every module it imports in
// one file, so a page fetches steadfetch's JavaScript in one request, then the wasm. Unbundled, the
// entry's imports arrive in waves (js/index.js, then pkg/steadfetch.js and its siblings), each a
// round trip before the wasm can even be asked for. Not minified: the app's bundler minifies, and
// the file stays readable in node_modules. The wasm is found as from js/load.js: dist/ is at the
// same depth, so `new URL('../pkg/steadfetch_bg.wasm', import.meta.url)` names the same file.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = await build({
  absWorkingDir: root,
  entryPoints: ['js/index.js'],
  outfile: 'dist/steadfetch.js',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  banner: { js: '// steadfetch, browser entry: js/index.js with its imports in one file (scripts/bundle.mjs).' },
  logLevel: 'warning',
});
if (result.warnings.length > 0) throw new Error('bundle: esbuild warned (see above); fix it at the source');
