// Issue 12, gap 7: what the README claims about other libraries and about steadfetch holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const readme = readFileSync('README.md', 'utf8');

test('ky 2 comparisons match the installed ky (retry limit 2, status list without 425)', async () => {
  const source = readFileSync('node_modules/ky/distribution/utils/normalize.js', 'utf8');
  const limit = Number(/limit:\s*(\d+)/.exec(source)[1]);
  const statuses = /const retryStatusCodes = \[([^\]]*)\]/.exec(source)[1].split(',').map((s) => s.trim()).join(', ');
  assert.equal(limit, 2);
  assert.ok(readme.includes(`ky 2's default \`retry.limit\` is ${limit}`), 'maxRetries row states ky\'s limit');
  assert.ok(readme.includes(`ky 2 retries \`[${statuses}]\``), `retryOn row states ky's list [${statuses}]`);
  assert.doesNotMatch(readme, /ky, axios-retry, openai-node agree/);
});

test('the quick start declares its result outside try', () => {
  const first = /```js\n([\s\S]*?)```/.exec(readme)[1];
  assert.match(first, /^let ticket;\ntry \{\n {2}ticket = await/m);
  assert.doesNotMatch(first, /try \{\n\s+const ticket/);
});

test('"every failure is an ApiError" is stated with its exceptions', () => {
  assert.doesNotMatch(readme, /^Every failure is an instance of `ApiError`/m);
  assert.match(readme, /Every failure of a call is an instance of `ApiError`[\s\S]{0,200}`SetupError`[\s\S]{0,100}two exceptions: a\n`TypeError`/);
});

test('the README has the migration table, the hooks, the TanStack Query / SWR and token-refresh recipes', () => {
  for (const heading of ['## Coming from ky / axios / openai-node', '### Hooks', '**TanStack Query / SWR: one layer retries, not both.**',
    '**Token refresh: `beforeRequest` + 401.**', '**Stream and stop']) {
    assert.ok(readme.includes(heading), heading);
  }
  for (const name of ['prefixUrl', 'baseUrl', 'searchParams', 'beforeRetry', 'beforeError', 'afterResponse', 'onDownloadProgress', 'error.data', 'error.headers']) {
    assert.ok(readme.includes(`\`${name}`) || readme.includes(name), name);
  }
});
