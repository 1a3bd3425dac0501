// Loads the wasm module for the package entry: what the app passed to ready(), else what the
// runtime's entry provides (js/workerd.js: the imported module), else the file next to this one —
// fetched in browsers, read from disk where the URL is a file: URL (Node, Deno, Bun, tests).
// Every failure becomes a SetupError that says what to fix.
import init from '../pkg/steadfetch.js';
import { SetupError } from '../pkg/errors.js';

/** Set by a runtime's entry: `wasm()` returns where the wasm is by default; `readFile` reads file: URLs. */
export const runtime = {};

// The wasm is fetched with the fetch the page had when steadfetch was imported, so a test stub or
// mock of `fetch` installed later (for API calls) cannot break loading the module itself.
const nativeFetch = globalThis.fetch?.bind(globalThis);

/** Resolves with the wasm exports, or rejects with a SetupError (a TypeError for a wrong input). */
export async function loadWasm(input) {
  if (!(input === undefined || typeof input === 'string' || typeof input?.then === 'function' || input instanceof URL
    || input instanceof ArrayBuffer || ArrayBuffer.isView(input) || input instanceof WebAssembly.Module
    || (typeof Request === 'function' && input instanceof Request) || (typeof Response === 'function' && input instanceof Response))) {
    throw new TypeError('steadfetch: ready() takes a URL, a Response, bytes or a WebAssembly.Module');
  }
  let where = 'the WebAssembly module given to ready()';
  try {
    let source = await (input ?? runtime.wasm?.() ?? new URL('../pkg/steadfetch_bg.wasm', import.meta.url));
    if (typeof source === 'string' || source instanceof URL || (typeof Request === 'function' && source instanceof Request)) {
      const url = new URL(source.url ?? source, globalThis.location?.href);
      where = bare(url.href);
      const readFile = url.protocol === 'file:' && (runtime.readFile ?? globalThis.process?.getBuiltinModule?.('fs')?.promises.readFile);
      source = readFile ? await readFile(url) : await nativeFetch(source);
    }
    if (typeof Response === 'function' && source instanceof Response && !source.ok) {
      throw setupError(null, where, source.status);
    }
    return await init(source);
  } catch (cause) {
    throw cause instanceof SetupError ? cause : setupError(cause, where);
  }
}

/** The SetupError for a failed load: `code` names the problem, `hint` says what to do. */
function setupError(cause, where, status) {
  const text = String(cause?.message ?? cause).replace(/\b[a-z][\w+.-]*:\/\/[^\s'"()]+/gi, bare);
  const [code, problem, hint] = diagnose(cause, text, where, status);
  return new SetupError(`steadfetch could not load its WebAssembly module: ${problem}`,
    { code, hint, retryable: code === 'wasm_unavailable' || status >= 500 },
    cause ? { cause } : undefined);
}

function diagnose(cause, text, where, status) {
  if (status) {
    return ['wasm_http_error', `${where} answered HTTP ${status}`,
      'Serve node_modules/steadfetch/pkg/steadfetch_bg.wasm at that URL (a bundler that does not copy it needs the one line in the README, "Runtimes and bundlers"), or pass its URL, bytes or module to ready()'];
  }
  if (cause?.code === 'ENOENT') {
    return ['wasm_missing', `${where} does not exist`,
      'Reinstall steadfetch; a server bundle needs node_modules/steadfetch deployed with it, or pass the file to ready()'];
  }
  if (/NotCapable|PermissionDenied/.test(cause?.name)) {
    return ['wasm_permission', `reading ${where} was not permitted (${text})`,
      'Deno: allow reading the package, e.g. --allow-read=node_modules (or pass the module to ready())'];
  }
  if (/Content.Security.Policy|unsafe-eval|wasm-eval/i.test(text)) {
    return ['wasm_blocked_by_csp', `the page's Content-Security-Policy forbids WebAssembly (${text})`,
      "Add 'wasm-unsafe-eval' to script-src in your Content-Security-Policy"];
  }
  if (/disallowed by embedder|code generation/i.test(text)) {
    return ['wasm_compile_forbidden', `this runtime forbids compiling WebAssembly from bytes (${text})`,
      'On Cloudflare Workers import steadfetch through its "workerd" export (the .wasm is imported as a module), or pass a WebAssembly.Module to ready()'];
  }
  if (cause?.name === 'CompileError') {
    return ['wasm_invalid', `${where} is not WebAssembly (${text})`,
      'The URL probably serves an HTML page (an SPA fallback or an error page): point it at steadfetch_bg.wasm'];
  }
  if (cause?.name === 'LinkError') {
    return ['wasm_mismatch', `${where} does not fit this version of steadfetch (${text})`,
      'Use the steadfetch_bg.wasm of the same steadfetch version as the JavaScript'];
  }
  return ['wasm_unavailable', `could not get ${where} (${text})`,
    'Check that the URL is reachable and allowed by your Content-Security-Policy connect-src, or pass the module to ready()'];
}

/** A URL without credentials, query or fragment, for messages (signed CDN URLs carry tokens). */
function bare(href) {
  try {
    const url = new URL(href);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return href.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*/, '');
  }
}
