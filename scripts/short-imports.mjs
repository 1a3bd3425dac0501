// Shortens the names of the functions the wasm imports from wasm-bindgen's glue, in both files:
// wasm-bindgen names each `__wbg_<name>_<16 hex digits>` (about 80 of them), and those hashes are
// written twice (the wasm's import section, the glue's import object) and do not compress. Each
// becomes a short name (`a`, `b`, … `aa`, …); nothing else changes. Run by scripts/build.sh after
// wasm-opt: `node scripts/short-imports.mjs pkg/steadfetch_bg.wasm pkg/steadfetch.js`.
import { readFileSync, writeFileSync } from 'node:fs';

/** The module wasm-bindgen's own imports come from (the glue's `import0`). */
const GLUE_MODULE = './steadfetch_bg.js';

function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

function readName(bytes, at) {
  const [length, start] = readU32(bytes, at);
  return [new TextDecoder().decode(bytes.subarray(start, start + length)), start + length];
}

const encodeName = (name) => {
  const bytes = new TextEncoder().encode(name);
  return [...u32(bytes.length), ...bytes];
};

/** The end of an import's description (func, table, memory, global, tag). */
function skipDesc(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = readU32(bytes, p);
    if (flags & 1) [, p] = readU32(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return readU32(bytes, at)[1]; // func: type index
    case 1: return limits(at + 1); // table: reftype, limits
    case 2: return limits(at); // memory
    case 3: return at + 2; // global: valtype, mutability
    case 4: return readU32(bytes, at + 1)[1]; // tag: attribute, type index
    default: throw new Error(`unknown import kind ${kind}`);
  }
}

/** `a` … `z`, `A` … `Z`, then `aa`, `ab`, …: the n-th short name. */
function shortName(n) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  do {
    name = letters[n % letters.length] + name;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return name;
}

/** The wasm with the glue module's import names shortened, and the renames (old → new). */
export function shortenImports(wasm) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const end = start + size;
    if (id === 2) {
      const renames = new Map();
      let [count, p] = readU32(wasm, start);
      const body = [...u32(count)];
      while (count-- > 0) {
        const [module, afterModule] = readName(wasm, p);
        const [field, afterField] = readName(wasm, afterModule);
        const descEnd = skipDesc(wasm, afterField);
        let name = field;
        if (module === GLUE_MODULE) {
          if (renames.has(field)) throw new Error(`${field} is imported twice`);
          name = shortName(renames.size);
          renames.set(field, name);
        }
        body.push(...encodeName(module), ...encodeName(name), ...wasm.subarray(afterField, descEnd));
        p = descEnd;
      }
      if (p !== end) throw new Error('import section not read to its end');
      const section = Buffer.from([id, ...u32(body.length), ...body]);
      return { wasm: Buffer.concat([wasm.subarray(0, at), section, wasm.subarray(end)]), renames };
    }
    at = end;
  }
  throw new Error('no import section');
}

/** The glue with the import object's keys renamed; each must be there exactly once. */
export function renameInGlue(glue, renames) {
  for (const [from, to] of renames) {
    const key = new RegExp(`^( +)${from}(: function)`, 'm');
    const uses = glue.split(from).length - 1;
    if (uses !== 1 || !key.test(glue)) throw new Error(`${from}: expected once as a key of the import object, found ${uses} times`);
    glue = glue.replace(key, `$1${to}$2`);
  }
  return glue;
}

const [wasmPath, gluePath] = process.argv.slice(2);
if (wasmPath && gluePath) {
  const { wasm, renames } = shortenImports(readFileSync(wasmPath));
  const glue = renameInGlue(readFileSync(gluePath, 'utf8'), renames);
  writeFileSync(wasmPath, wasm);
  writeFileSync(gluePath, glue);
  // The pair still links: each import the wasm asks of the glue module is a key of its import object.
  const asked = WebAssembly.Module.imports(await WebAssembly.compile(wasm)).filter((i) => i.module === GLUE_MODULE);
  const missing = asked.filter((i) => !new RegExp(`^ +${i.name}: function`, 'm').test(glue));
  if (asked.length === 0 || missing.length > 0) throw new Error(`the glue lacks imports: ${missing.map((i) => i.name)}`);
}
