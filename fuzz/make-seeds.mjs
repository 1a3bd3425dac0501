// Seeds the fuzz corpora from the fixture table: node fuzz/make-seeds.mjs
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
const fixtures = JSON.parse(readFileSync(new URL('../tests/fixtures/errors.json', import.meta.url)));
const dir = (t) => { const d = new URL(`./corpus/${t}/`, import.meta.url); mkdirSync(d, { recursive: true }); return d; };
const normalize = dir('normalize');
const headers = dir('headers');
const text = dir('text');
fixtures.forEach((f, i) => {
  const status = Buffer.from([f.status >> 8, f.status & 255]);
  const head = Object.entries(f.headers).map(([k, v]) => `${k}: ${v}`).join('\n');
  writeFileSync(new URL(`seed-${i}`, normalize), Buffer.concat([status, Buffer.from(`${head}\0${f.body}`)]));
  Object.values(f.headers).forEach((v, j) => writeFileSync(new URL(`seed-${i}-${j}`, headers), v));
  writeFileSync(new URL(`seed-${i}`, text), f.body.slice(0, 4096));
});
writeFileSync(new URL('url-0', text), 'https://user:pw@api.example.com/v1?api_key=SECRET&token=t#access_token=x');
console.log(`seeded ${fixtures.length} fixtures into fuzz/corpus/`);
