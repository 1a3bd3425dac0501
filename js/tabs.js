// The wasm module's channel to the other tabs and workers of the origin (src/web/tabs.rs).

// shareAcrossTabs: gate, breaker and budget updates between same-origin pages and workers. Only
// `[type, key, number, number, number]` crosses (a key is scope + origin + gateKey bucket; the
// numbers are until-times and token counts), never request data, and nothing is stored: a tab that
// closes mid-wait leaves only until-times behind, which expire by themselves. The module takes
// what arrived (tabsTake) when a shared call checks its gate.
let channel = null;
const inbox = [];
const known = new Map();

const remember = (m) => m[0] !== 'b' && known.set((m[0] === 'g' ? 'g' : 'o') + m[1], m);

/** Joins the channel once (where BroadcastChannel exists) and asks the others what they know. */
export function tabsJoin() {
  if (channel !== null || typeof BroadcastChannel !== 'function') return;
  channel = new BroadcastChannel('steadfetch');
  channel.onmessage = ({ data: m }) => {
    if (!Array.isArray(m) || m.length !== 5 || typeof m[0] !== 'string' || typeof m[1] !== 'string'
      || !m.slice(2).every((n) => typeof n === 'number')) return;
    const now = Date.now();
    // A tab that just joined: tell it the gates and open circuits still in force.
    if (m[0] === '?') for (const k of known.values()) (k[0] !== 'c' && k[2] > now) && channel.postMessage(k);
    else {
      remember(m);
      inbox.push(...m);
    }
  };
  channel.postMessage(['?', '', 0, 0, 0]);
}

/** Tells the other tabs: `g` gate (until, status), `o`/`c` breaker opened (until)/closed, `b` budget tokens. */
export function tabsPost(type, key, a, b, c) {
  if (channel === null) return;
  const m = [type, key, a, b, c];
  remember(m);
  channel.postMessage(m);
}

/** What other tabs said since the last call, flat: type, key, a, b, c, type, … */
export function tabsTake() {
  return inbox.splice(0);
}
