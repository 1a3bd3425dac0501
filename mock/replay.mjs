// Replays the real-world corpus (tests/fixtures/realworld/*.json) over HTTP, so the browser suite
// can check every documented error end to end: status, headers through CORS and `Headers`, the
// body through fetch's text decoding. Times in headers (HTTP-dates, epoch resets) are moved by the
// distance between the case's `now` and the real clock, so the waits they name stay the same.
import { readFileSync } from 'node:fs';
import { send } from './http.mjs';

const DIR = new URL('../tests/fixtures/realworld/', import.meta.url);
const files = new Map();

function corpus(file) {
  if (!files.has(file)) {
    try {
      files.set(file, JSON.parse(readFileSync(new URL(`${file}.json`, DIR), 'utf8')));
    } catch {
      files.set(file, null);
    }
  }
  return files.get(file);
}

// Headers that describe the original transfer, not the error: Node computes its own.
const TRANSFER = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding']);
const EPOCH_HEADERS = new Set(['retry-after', 'ratelimit-reset', 'x-ratelimit-reset', 'x-rate-limit-reset']);

/** A header value with its epoch or HTTP-date moved by `shiftMs`. */
function shifted(name, value, shiftMs) {
  if (!EPOCH_HEADERS.has(name.toLowerCase())) return value;
  const trimmed = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    if (n >= 1e12) return String(Math.round(n + shiftMs));
    if (n >= 1e9) return String(Math.round(n + shiftMs / 1000));
    return value;
  }
  const date = Date.parse(trimmed);
  return name.toLowerCase() === 'retry-after' && !Number.isNaN(date) ? new Date(date + shiftMs).toUTCString() : value;
}

function replay({ res, params }) {
  const item = corpus(params.file)?.[Number(params.index)];
  if (!item) return send(res, 404, { error: { code: 'no_such_case', message: `no case ${params.file}/${params.index}` } });
  const shiftMs = Date.now() - (item.now ?? Date.now());
  const headers = {};
  for (const [name, value] of Object.entries(item.headers ?? {})) {
    if (!TRANSFER.has(name.toLowerCase())) headers[name] = shifted(name, value, shiftMs);
  }
  res.removeHeader('X-Request-Id');
  res.setHeader('Access-Control-Expose-Headers', Object.keys(headers).join(', ') || 'Content-Type');
  res.writeHead(item.status, headers);
  res.end(item.status === 204 || item.status === 205 ? undefined : item.body);
}

export const replayRoutes = [[/^\/replay\/(?<file>[a-z0-9_]+)\/(?<index>\d+)$/, replay]];
