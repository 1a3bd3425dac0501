// A browser app bundled with esbuild. esbuild leaves `new URL(…, import.meta.url)` alone, so the
// app adds the README's one line: import the wasm's URL (loader .wasm=file) and hand it to ready().
import { makeRequestWithRetry, ready, ApiError, NetworkError, RateLimitError } from 'steadfetch';
import wasmUrl from 'steadfetch/wasm';
import { report } from './report.js';

ready(wasmUrl);
report(makeRequestWithRetry, { ApiError, NetworkError, RateLimitError });
