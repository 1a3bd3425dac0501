// The same app without the line: the wasm is looked up next to the bundle, where esbuild did not
// put it, and the call must fail with a typed SetupError that says what to do.
import { makeRequestWithRetry, ApiError, NetworkError, RateLimitError } from 'steadfetch';
import { report } from './report.js';

report(makeRequestWithRetry, { ApiError, NetworkError, RateLimitError });
