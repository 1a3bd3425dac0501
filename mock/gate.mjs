// Routes for politeness per origin (/g/), each counted per `key` with arrival times, so tests can
// prove what reached the server and when.
//   /g/rl?key=K&block=1000    the first request gets 429 + Retry-After and starts a block of `block`
//                             ms; requests during it get 429 (Retry-After: the seconds left); then 200
//   /g/slow?key=K&ms=100      200 after `ms`; counts requests in flight and the most at once
//   /g/down?key=K&fail=N      the first N requests get 503 (no Retry-After), then 200
//   /g/stats?key=K            { count, arrivals (epoch ms), statuses, blockedFrom, blockedUntil, maxInFlight }
import { send } from './http.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function entry(state, key) {
  state.gate ??= new Map();
  let e = state.gate.get(key);
  if (!e) {
    e = { count: 0, arrivals: [], statuses: [], blockedFrom: null, blockedUntil: null, inFlight: 0, maxInFlight: 0 };
    state.gate.set(key, e);
  }
  return e;
}

function answer(res, e, status, headers = {}) {
  e.statuses.push(status);
  const body = status < 400 ? { ok: true, n: e.count } : { error: { code: status === 429 ? 'rate_limited' : 'unavailable', message: `Planned ${status}` } };
  send(res, status, body, headers);
}

function arrive({ query, state }) {
  const e = entry(state, query.get('key') ?? '');
  e.count += 1;
  e.arrivals.push(Date.now());
  return e;
}

function rateLimited(ctx) {
  const e = arrive(ctx);
  const now = Date.now();
  if (e.blockedUntil === null) {
    e.blockedFrom = now;
    e.blockedUntil = now + Number(ctx.query.get('block') ?? 1000);
  }
  if (now < e.blockedUntil) return answer(ctx.res, e, 429, { 'Retry-After': String(Math.ceil((e.blockedUntil - now) / 1000)) });
  answer(ctx.res, e, 200);
}

async function slow(ctx) {
  const e = arrive(ctx);
  e.inFlight += 1;
  e.maxInFlight = Math.max(e.maxInFlight, e.inFlight);
  await sleep(Number(ctx.query.get('ms') ?? 100));
  e.inFlight -= 1;
  answer(ctx.res, e, 200);
}

function down(ctx) {
  const e = arrive(ctx);
  answer(ctx.res, e, e.count <= Number(ctx.query.get('fail') ?? 3) ? 503 : 200);
}

function stats({ res, query, state }) {
  const { inFlight, ...e } = entry(state, query.get('key') ?? '');
  send(res, 200, e);
}

export const gateRoutes = [
  [/^\/g\/rl$/, rateLimited],
  [/^\/g\/slow$/, slow],
  [/^\/g\/down$/, down],
  [/^\/g\/stats$/, stats],
];
