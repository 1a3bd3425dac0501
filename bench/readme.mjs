// Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in README.md, so
// `npm run size` and `npm run bench` keep the README's figures true.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const README = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');

export function updateReadme(name, text) {
  const source = readFileSync(README, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = source.indexOf(start);
  const j = source.indexOf(end);
  if (i < 0 || j < i) return;
  writeFileSync(README, `${source.slice(0, i + start.length)}\n${text.trim()}\n${source.slice(j)}`);
}
