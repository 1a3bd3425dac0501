// The entry for Cloudflare Workers (the "workerd" export condition): workerd forbids compiling
// wasm from bytes at run time, so the module is imported and compiled when the worker is deployed.
import wasm from '../pkg/steadfetch_bg.wasm';
import { runtime } from './load.js';

runtime.wasm = () => wasm;
export * from './index.js';
