// Credentials never reach an error's `url`, a hook payload or toJSON: js/errors.js `redactUrl` is
// the package's one redaction (the wasm module calls it too), and toJSON drops secret headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl, ApiError } from '../../js/errors.js';

test('redactUrl drops userinfo and redacts credential parameters in the query and the fragment', () => {
  assert.equal(redactUrl('https://user:pw@api.example.com/v1?x=1'), 'https://api.example.com/v1?x=1');
  assert.equal(
    redactUrl('https://api.example.com/v1?api_key=abc&page=2&token=t&ACCESS_TOKEN=z#access_token=q'),
    'https://api.example.com/v1?api_key=REDACTED&page=2&token=REDACTED&ACCESS_TOKEN=REDACTED#access_token=REDACTED',
  );
  assert.equal(redactUrl('https://api.example.com/v1?client%5Fsecret=s&q=a%20b+c'), 'https://api.example.com/v1?client%5Fsecret=REDACTED&q=a%20b+c');
  assert.equal(redactUrl('https://api.example.com/v1?token=&sig'), 'https://api.example.com/v1?token=REDACTED&sig');
  assert.equal(redactUrl('https://api.example.com/a@b'), 'https://api.example.com/a@b');
  assert.equal(redactUrl('https://u@h.example/?k=1'), 'https://h.example/?k=1');
  assert.equal(redactUrl('not a url'), 'not a url');
  assert.equal(redactUrl(''), '');
  assert.equal(redactUrl(undefined), null);
});

test('redactUrl: whatever precedes it, a trailing credential parameter and the userinfo never survive', () => {
  // A small seeded PRNG: the same 20,000 inputs every run, rich in the characters URLs split on.
  let seed = 0x2545f491;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
  const alphabet = 'aZ09=&?#@/:%5fF_ .-;+\u00e9\u{1F600}';
  const chars = [...alphabet];
  for (let i = 0; i < 20000; i++) {
    let query = '';
    for (let n = next() % 40; n > 0; n--) query += chars[next() % chars.length];
    query = query.replaceAll('#', '');
    const redacted = redactUrl(`https://user:pw@api.example.com/v1?${query}&api_key=TOPSECRET`);
    assert.ok(redacted.endsWith('&api_key=REDACTED'), redacted);
    assert.ok(redacted.startsWith('https://api.example.com/v1?'), redacted);
  }
});

test('toJSON never shows credential headers', () => {
  const headers = new Headers({ Authorization: 'Bearer x', 'X-Api-Key': 'k', Cookie: 'c', 'Proxy-Authorization': 'p', 'Content-Type': 'text/plain' });
  const json = new ApiError('boom', { headers, url: 'https://u:p@x.example/?token=1' }).toJSON();
  for (const name of ['authorization', 'x-api-key', 'cookie', 'proxy-authorization']) assert.equal(json.headers[name], 'REDACTED');
  assert.equal(json.headers['content-type'], 'text/plain');
  assert.equal(json.url, 'https://x.example/?token=REDACTED');
});
