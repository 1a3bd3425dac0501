// The 1,000-call chaos soak (the 10,000-call one is `npm run soak`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { soak, verdicts } from '../soak/soak.mjs';

test('1,000 calls, 50 in flight, against the chaos mock: every check holds', async () => {
  const report = await soak({ calls: 1000, concurrency: 50, seed: 'npm-test' });
  console.log(JSON.stringify({ completed: report.completed, succeeded: report.succeeded, retries: report.retries, failedByClass: report.failedByClass, seconds: report.seconds }));
  assert.ok(report.failed > 100 && report.retries > 100, 'chaos actually failed and retried calls');
  for (const [name, ok] of Object.entries(verdicts(report))) assert.ok(ok, `${name}: ${JSON.stringify(report.checks)}`);
});
