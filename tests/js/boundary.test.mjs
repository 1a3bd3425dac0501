// Facts that live on both sides of the JS/wasm boundary (ARCHITECTURE.md, "Facts kept on both
// sides"): each must say the same in Rust and in JavaScript, or this fails and names the drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseErrors, withDeclarations, exportsModule } from '../../scripts/kinds.mjs';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** The string literals of the first `[...]` (or `{...}` keys) after `start` in `text`. */
function listAfter(text, start, { keys = false } = {}) {
  const at = text.indexOf(start);
  assert.ok(at >= 0, `${start} not found`);
  const open = text.indexOf(keys ? '{' : '[', text.indexOf('=', at + start.length - 1));
  const close = text.indexOf(keys ? '}' : ']', open);
  const body = text.slice(open + 1, close);
  return keys ? [...body.matchAll(/(\w+):/g)].map((m) => m[1]) : [...body.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]);
}

/** `camelCase` as Rust writes a variant (`CamelCase`) or a constant (`CAMEL_CASE`). */
const pascal = (name) => name[0].toUpperCase() + name.slice(1);
const upperSnake = (name) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

test('option names: each option declared in js/index.d.ts is read by js/glue.js, and the settings it hands the crate are src/web/options.rs Opt, in order', () => {
  const glue = read('js/glue.js');
  const settings = glue.slice(glue.indexOf('const SETTINGS = {'), glue.indexOf('\n};', glue.indexOf('const SETTINGS = {')));
  const jsSettings = [...settings.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]);
  const fields = Object.values(Object.fromEntries([...glue.slice(glue.indexOf('const FIELDS =')).split('\n')[0].matchAll(/(\w+): \[([^\]]*)\]/g)].map((m) => [m[1], m[2]]))).join();
  const inner = [...fields.matchAll(/'(\w+)'/g)].map((m) => m[1]).concat(['jitter', 'bucket', 'idempotencyKey']);
  const options = read('src/web/options.rs');
  const opt = options.slice(options.indexOf('enum Opt {'), options.indexOf('\n}', options.indexOf('enum Opt {')));
  const rust = [...opt.matchAll(/^ {4}(\w+),$/gm)].map((m) => m[1]);
  assert.ok(jsSettings.length >= 25, `${jsSettings.length} settings`);
  assert.deepEqual(rust, jsSettings.map(pascal), 'src/web/options.rs Opt and js/glue.js SETTINGS: the same settings in the same order');
  const table = options.slice(options.indexOf('const OPTS:'), options.indexOf('];', options.indexOf('const OPTS:')));
  assert.deepEqual([...table.matchAll(/Opt::(\w+)/g)].map((m) => m[1]), rust, 'OPTS lists Opt in order');
  // The hooks the engine awaits: bit i is HOOKS[i] on both sides.
  const hooks = listAfter(glue, 'const HOOKS =');
  const bits = [...options.matchAll(/pub const (\w+): u32 = (?:1 << )?(\d+);/g)].map((m) => [m[1], m[2] === '1' && !m[0].includes('<<') ? 0 : Number(m[2])]);
  assert.deepEqual(bits.sort((a, b) => a[1] - b[1]).map(([name]) => name), hooks.map(upperSnake));
  // What the caller may pass: every declared option is one glue.js reads, and each it reads is declared.
  const read_ = [...listAfter(glue, 'const CALL ='), ...hooks, ...listAfter(glue, 'const REQUEST ='), 'signal', 'gateKey', 'backoff',
    ...jsSettings.filter((name) => !inner.includes(name))];
  const declarations = read('js/index.d.ts');
  const retryOptions = declarations.slice(declarations.indexOf('export interface RetryOptions'));
  const declared = [...retryOptions.slice(0, retryOptions.indexOf('\n}')).matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]);
  assert.ok(declared.length >= 30, `${declared.length} declared`);
  // RequestInit's own method, headers and body are read too (json and the idempotency key need them).
  assert.deepEqual(read_.filter((name) => !declared.includes(name)).sort(), ['body', 'headers', 'method']);
  assert.deepEqual(declared.filter((name) => !read_.includes(name)), []);
});

test('kinds: the kinds of src/core/kind.rs are the kinds of js/errors.js\'s classes (and \'setup\', JavaScript\'s own)', () => {
  const kindRs = read('src/core/kind.rs');
  const asStr = kindRs.slice(kindRs.indexOf('pub fn as_str'), kindRs.indexOf('pub fn parse'));
  const rustKinds = [...asStr.matchAll(/=> "(\w+)"/g)].map((m) => m[1]);
  const variants = /pub const ALL: \[ErrorKind; (\d+)\]/.exec(kindRs);
  assert.equal(rustKinds.length, Number(variants?.[1]), 'as_str names every kind of ErrorKind::ALL');
  const { base, classes } = parseErrors(read('js/errors.js'));
  const jsKinds = [base.kind, ...classes.map((c) => c.kind)];
  // 'setup' is JavaScript's own: a wasm that cannot load never reaches the crate.
  assert.deepEqual(jsKinds.filter((k) => k !== 'setup').sort(), [...rustKinds].sort());
  assert.equal(new Set(jsKinds).size, jsKinds.length, 'one class per kind');
});

test('kinds: the built classes have their names and kinds, and the package root exports each with its guard', async () => {
  const errors = await import('../../pkg/errors.js');
  const sf = await import('../../js/index.js');
  const { base, classes, guards } = parseErrors(read('js/errors.js'));
  for (const { name, kind, parent } of [{ ...base, parent: 'Error' }, ...classes]) {
    const Class = sf[name];
    assert.equal(Class, errors[name], `${name}: the package root and the wasm's module share one class`);
    const e = new Class('m');
    assert.deepEqual([Class.name, e.name, e.kind, String(e)], [name, name, kind, `${name}: m`]);
    assert.ok(e instanceof (parent === 'Error' ? Error : sf[parent]), `${name} extends ${parent}`);
    // Every kind the crate builds says what to do; a hand-built error (a test double) too, unless given one.
    if (kind !== 'setup') assert.match(e.hint, /^[A-Z].{20,}\.$/, `${name}: the kind's hint`);
    assert.equal(new Class('m', { hint: 'h' }).hint, 'h', `${name}: a given hint wins`);
    assert.equal(sf[`is${name}`](e), true, `is${name}`);
    // Across realms: a branded plain object with the kind passes the guard, with another kind it does not.
    const branded = { [Symbol.for('steadfetch.ApiError')]: true, kind };
    assert.equal(sf[`is${name}`](branded), true, `is${name} on another realm's error`);
    for (const other of classes.filter((c) => c.name !== name && c.parent !== name && name !== base.name)) {
      assert.equal(sf[`is${name}`](new sf[other.name]('m')), false, `is${name}(${other.name})`);
    }
  }
  assert.equal(sf.isServerError(new sf.ServiceUnavailableError('m')), true, 'a subclass passes its base\'s guard');
  const api = ['createClient', 'makeRequestWithRetry', 'ready', 'resetRetryBudget'];
  assert.deepEqual(Object.keys(sf).sort(), [...api, base.name, ...classes.map((c) => c.name), ...guards].sort(),
    'the package root exports the classes, the guards and the API, and none of errors.js\'s helpers for the wasm');
});

test('kinds: src/web/js.rs declares no class or guard, and the generated files are up to date', () => {
  const rust = read('src/web/js.rs');
  assert.doesNotMatch(rust, /pub type \w+;|\bjs_name = is[A-Z]\w*Error\b/, 'per-kind declarations in src/web/js.rs');
  const parsed = parseErrors(read('js/errors.js'));
  assert.ok(withDeclarations(read('js/index.d.ts'), parsed) === read('js/index.d.ts'),
    'js/index.d.ts is out of date with js/errors.js: run node scripts/kinds.mjs (npm run build does)');
  assert.equal(read('pkg/exports.js'), exportsModule(parsed), 'pkg/exports.js: rebuild (npm run build)');
});

test('kinds: scripts/kinds.mjs refuses a class without its guard, a misnamed class and a lost d.ts block', () => {
  const errors = read('js/errors.js');
  assert.throws(() => parseErrors(errors.replace('[ConflictError, isConflictError]', '[ConflictError, isConflict]')), /ConflictError needs one guard/);
  assert.throws(() => parseErrors(errors.replace(/^export function isApiError/m, 'function isApiError')), /ApiError needs one guard/);
  assert.throws(() => parseErrors(`${errors}\nexport const isTeapotError = () => false;\n`), /guards without a class: isTeapotError/);
  assert.throws(() => parseErrors(errors.replace('export const [ConflictError, isConflictError] =', 'export const ConflictError =')), /an errorClass\(\.\.\.\) call not written/);
  assert.throws(() => parseErrors(errors.replace("errorClass('ConflictError'", "errorClass('Conflict'")), /ConflictError is named 'Conflict'/);
  assert.throws(() => withDeclarations(read('js/index.d.ts').replace('// kinds:end', ''), parseErrors(errors)), /block is missing/);
  const added = errors.replace(/^(export const \[ConflictError, .*)$/m, "$1\n/** 418. */\nexport const [TeapotError, isTeapotError] = errorClass('TeapotError', 'teapot', \"Brew coffee elsewhere.\");");
  const dts = withDeclarations(read('js/index.d.ts'), parseErrors(added));
  assert.match(dts, /\/\*\* 418\. \*\/\nexport class TeapotError extends ApiError \{ readonly kind: 'teapot'; \}/);
  assert.match(dts, /export function isTeapotError\(e: unknown\): e is TeapotError;/);
  assert.match(dts, /\| 'teapot' \|/);
  assert.match(dts, /\bConflictError \| TeapotError\b/);
  assert.match(exportsModule(parseErrors(added)), /\bTeapotError\b[\s\S]*\bisTeapotError\b/);
});

test('error-body cap: js/glue.js reads no more than src/web/response.rs will parse', () => {
  const number = (text, name) => {
    const m = new RegExp(`${name}[^=]*=\\s*([\\d_ *]+)`).exec(text);
    assert.ok(m, `${name} not found`);
    return m[1].replaceAll('_', '').split('*').reduce((a, b) => a * Number(b.trim()), 1);
  };
  const js = number(read('js/glue.js'), 'ERROR_BODY_CAP');
  const rust = number(read('src/web/response.rs'), 'MAX_PARSED_ERROR_BODY');
  assert.ok(js > 0 && js === rust, `glue.js reads ${js} bytes, response.rs parses ${rust} UTF-16 units`);
});

test('build: the wasm imports the glue\'s functions by short names, and every one is in the glue', async () => {
  const { shortenNames, slimGlue, GLUE_MODULE } = await import('../../scripts/short-imports.mjs');
  const wasm = readFileSync(new URL('../../pkg/steadfetch_bg.wasm', import.meta.url));
  const glue = read('pkg/steadfetch.js');
  const imports = WebAssembly.Module.imports(await WebAssembly.compile(wasm));
  const modules = [...new Set(imports.map((i) => i.module))];
  assert.ok(modules.every((m) => /^[a-zA-Z]$/.test(m)), `short module names: ${modules}`);
  // wasm-bindgen's own module is the first key of the import object.
  const own = /^function __wbg_get_imports\(\) \{\n {2}return \{\n {4}(\w+): \{$/m.exec(glue)?.[1];
  assert.ok(modules.includes(own), `the glue's own module ${own} is one of the wasm's: ${modules}`);
  assert.ok(imports.every((i) => /^[a-zA-Z]{1,2}$/.test(i.name)), `short import names: ${imports.map((i) => i.name)}`);
  const asked = imports.filter((i) => i.module === own);
  assert.ok(asked.length > 20, `${asked.length} imports from the glue`);
  assert.ok(asked.every((i) => /^[a-zA-Z]{1,2}$/.test(i.name)), asked.map((i) => i.name).join());
  assert.equal(new Set(asked.map((i) => i.name)).size, asked.length);
  for (const { name } of asked) assert.match(glue, new RegExp(`^ {6}${name}: `, 'm'), name);
  assert.doesNotMatch(glue, /__wbg_\w+_[0-9a-f]{16}|__wbindgen_\w+|\.\/steadfetch_bg\.js|snippets/, 'a long name is left in the glue');
  // Reading and writing the import and export sections changes nothing when the names are already short.
  const again = shortenNames(wasm);
  assert.ok(again.wasm.equals(wasm), 'the import and export sections round-trip byte for byte');
  // A glue whose import object lacks an import of the wasm, or has one the wasm lacks, is refused.
  const generated = (key) => `import * as import1 from "./glue.js"\n\nfunction __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n`
    + `        ${key}: function(arg0) {\n            const ret = arg0.status;\n            return ret;\n        },\n    };\n    return {\n        __proto__: null,\n`
    + `        "${GLUE_MODULE}": import0,\n        "./snippets/x/js/glue.js": import1,\n    };\n}\n\nexport { initSync, __wbg_init as default };\n`;
  const renames = { modules: new Map([[GLUE_MODULE, 'a'], ['./snippets/x/js/glue.js', 'b']]), imports: new Map([['__wbg_status_0000000000000000', 'a']]),
    snippets: new Map([['./snippets/x/js/glue.js', new Map([['viewValues', 'a']])]]), exports: { has: () => true, get: (name) => name } };
  const slim = slimGlue(generated('__wbg_status_0000000000000000'), renames);
  assert.match(slim, /^ {6}a: \(arg0\) => \{$/m);
  // js/glue.js's functions are handed over one by one (a whole namespace makes bundlers build it).
  assert.match(slim, /^ {4}b: \{\n {6}a: import1\.viewValues,\n {4}\},$/m);
  assert.doesNotMatch(slim, /: import1,/);
  assert.throws(() => slimGlue(generated('__wbg_missing_0000000000000000'), renames), /does not import __wbg_missing/);
  assert.throws(() => slimGlue(generated('__wbg_status_0000000000000000'), { ...renames, imports: new Map([...renames.imports, ['__wbg_more_0000000000000000', 'b']]) }), /2 imports in the wasm, 1 in the glue/);
});

test('build: the slim glue still loads a wasm Response served with another Content-Type (from its bytes, with a warning)', async () => {
  const sf = await import('../../js/index.js');
  const bytes = readFileSync(new URL('../../pkg/steadfetch_bg.wasm', import.meta.url));
  const warn = console.warn;
  const warned = [];
  console.warn = (...args) => warned.push(args.map(String).join(' '));
  try {
    const exports = await sf.ready(new Response(bytes, { headers: { 'Content-Type': 'application/octet-stream' } }));
    assert.ok(exports.memory instanceof WebAssembly.Memory);
  } finally {
    console.warn = warn;
  }
  assert.equal(warned.length, 1, warned.join('\n'));
  assert.match(warned[0], /not served as application\/wasm/);
  const error = await sf.makeRequestWithRetry('ftp://example.com/').catch((e) => e);
  assert.ok(error instanceof TypeError, String(error));
});
