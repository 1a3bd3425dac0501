// Cuts the bytes of the wasm/JS boundary that minifiers and gzip cannot, after wasm-opt:
// `node scripts/short-imports.mjs pkg/steadfetch_bg.wasm pkg/steadfetch.js` (scripts/build.sh).
// - Names: wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` (about 60 of them), its
//   modules `./steadfetch_bg.js` and `./snippets/steadfetch-<hash>/js/glue.js`, its exports
//   `__wbindgen_malloc` and the like. They are written in the wasm and again in the glue (keys of the
//   import object, `wasm.<export>`), where no minifier may rename them, and the hashes do not
//   compress. Each becomes a short name (`a`, `b`, … `aa`, …) in both files. `memory` keeps its
//   name: ready() resolves with the exports and tests read `memory` from them. Exports the slim
//   glue never reads (`__wbindgen_free`, two globals) are dropped, and so are custom sections
//   (wasm-opt keeps LLVM's target_features; engines ignore them).
// - Glue: wasm-bindgen's runtime serves every use of its generated module (initSync, any init
//   argument, TextEncoder without encodeInto, a Safari decoder quirk…). js/load.js always calls the
//   default export with a Response, bytes or a WebAssembly.Module, so the import object's functions
//   are kept as generated (they are the ABI) and the runtime around them is replaced by RUNTIME
//   below: one `retString` for the repeated "string into a return slot" code, one wrapper for
//   `handleError`, arrow functions, one namespace per imported module.
import { readFileSync, writeFileSync } from 'node:fs';

/** The module wasm-bindgen's own imports come from (the glue's `import0`). */
export const GLUE_MODULE = './steadfetch_bg.js';

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
export function shortName(n) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  do {
    name = letters[n % letters.length] + name;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return name;
}

/** A short name for each new name given, in order; the same name twice gets the same short name. */
function namer(keep = []) {
  const renames = new Map();
  let next = 0;
  return {
    renames,
    name(old) {
      if (keep.includes(old)) return old;
      if (!renames.has(old)) {
        let short;
        do short = shortName(next++); while (keep.includes(short));
        renames.set(old, short);
      }
      return renames.get(old);
    },
  };
}

/** The wasm's import section (id 2) with every module and field renamed by `module(m)`, `field(m, f)`. */
function renameImportSection(wasm, start, end, module, field) {
  let [count, p] = readU32(wasm, start);
  const body = [...u32(count)];
  while (count-- > 0) {
    const [mod, afterModule] = readName(wasm, p);
    const [name, afterField] = readName(wasm, afterModule);
    const descEnd = skipDesc(wasm, afterField);
    body.push(...encodeName(module(mod)), ...encodeName(field(mod, name)), ...wasm.subarray(afterField, descEnd));
    p = descEnd;
  }
  if (p !== end) throw new Error('import section not read to its end');
  return body;
}

/** The wasm's export section (id 7) with the exports `keep(n)` keeps, renamed by `name(n)`. */
function renameExportSection(wasm, start, end, name, keep) {
  let [count, p] = readU32(wasm, start);
  const body = [];
  let kept = 0;
  while (count-- > 0) {
    const [old, afterName] = readName(wasm, p);
    const [, afterIndex] = readU32(wasm, afterName + 1);
    if (keep(old)) {
      body.push(...encodeName(name(old)), ...wasm.subarray(afterName, afterIndex));
      kept++;
    }
    p = afterIndex;
  }
  if (p !== end) throw new Error('export section not read to its end');
  return [...u32(kept), ...body];
}

/**
 * The wasm with short names for its import modules, its imports and its exports, without custom
 * sections, and the renames
 * (old → new): `modules`, `imports` (of wasm-bindgen's own module), `snippets` (module → the
 * renames of its imports: the exports of js/glue.js, which the glue hands over by their short names)
 * and `exports`. With `used`, the exports not in it are dropped.
 */
export function shortenNames(wasm, used = undefined) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  const modules = namer();
  const fields = new Map();
  const exports = namer(['memory']);
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const end = start + size;
    let body;
    if (id === 0) {
      // A custom section (wasm-opt keeps LLVM's target_features): engines ignore them.
      at = end;
      continue;
    }
    if (id === 2) {
      body = renameImportSection(wasm, start, end, (m) => modules.name(m), (m, f) => {
        if (!fields.has(m)) fields.set(m, namer());
        if (fields.get(m).renames.has(f)) throw new Error(`${m} ${f} is imported twice`);
        return fields.get(m).name(f);
      });
    } else if (id === 7) {
      body = renameExportSection(wasm, start, end, (n) => exports.name(n), (n) => n === 'memory' || !used || used.has(n));
    }
    parts.push(body ? Buffer.from([id, ...u32(body.length), ...body]) : wasm.subarray(at, end));
    at = end;
  }
  const renames = new Map([...fields].map(([m, f]) => [m, f.renames]));
  const imports = renames.get(GLUE_MODULE) ?? new Map();
  renames.delete(GLUE_MODULE);
  return { wasm: Buffer.concat(parts), modules: modules.renames, imports, snippets: renames, exports: exports.renames };
}

// What replaces wasm-bindgen's runtime: the helpers its import object and exports call, by the
// same names, and the default export js/load.js calls.
const RUNTIME = `
let wasm;
let WASM_VECTOR_LEN = 0;
let memoryBytes = new Uint8Array();
let memoryView;
let decoder;
let decoded = Infinity;
const encoder = new TextEncoder();

function getUint8ArrayMemory0() {
  // A typed array over a buffer that memory.grow detached has length 0.
  if (memoryBytes.byteLength === 0) memoryBytes = new Uint8Array(wasm.memory.buffer);
  return memoryBytes;
}

function getDataViewMemory0() {
  if (memoryView?.buffer !== wasm.memory.buffer) memoryView = new DataView(wasm.memory.buffer);
  return memoryView;
}

function getStringFromWasm0(ptr, len) {
  ptr >>>= 0;
  // Safari's TextDecoder fails after about 2 GiB decoded: a fresh one well before that.
  decoded += len;
  if (decoded >= 2146435072) {
    decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    decoded = len;
  }
  return decoder.decode(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

/** Copies a string into the module's memory: its pointer; its length in WASM_VECTOR_LEN. */
function passStringToWasm0(arg) {
  let len = arg.length;
  let ptr = wasm.__wbindgen_malloc(len, 1) >>> 0;
  const mem = getUint8ArrayMemory0();
  let offset = 0;
  for (; offset < len; offset++) {
    const code = arg.charCodeAt(offset);
    if (code > 0x7f) break;
    mem[ptr + offset] = code;
  }
  if (offset !== len) {
    if (offset !== 0) arg = arg.slice(offset);
    ptr = wasm.__wbindgen_realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
    offset += encoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr + offset, ptr + len)).written;
    ptr = wasm.__wbindgen_realloc(ptr, len, offset, 1) >>> 0;
  }
  WASM_VECTOR_LEN = offset;
  return ptr;
}

/** A returned string (null for None when \`optional\`) written to the return slot at \`at\`. */
function retString(at, value, optional) {
  const ptr = optional && isLikeNone(value) ? 0 : passStringToWasm0(value);
  const view = getDataViewMemory0();
  view.setInt32((at >>> 0) + 4, WASM_VECTOR_LEN, true);
  view.setInt32(at >>> 0, ptr, true);
}

/** An import whose exception the module catches (#[wasm_bindgen(catch)]; slimEntry checks that no import reads \`this\`). */
function handleError(f) {
  return (...args) => {
    try {
      return f(...args);
    } catch (e) {
      const idx = wasm.__externref_table_alloc();
      wasm.__wbindgen_externrefs.set(idx, e);
      wasm.__wbindgen_exn_store(idx);
    }
  };
}

function takeFromExternrefTable0(idx) {
  const value = wasm.__wbindgen_externrefs.get(idx);
  wasm.__externref_table_dealloc(idx);
  return value;
}

/** What an export returning Result<JsValue, JsValue> returned: its value, or its error thrown. */
function takeResult(ret) {
  if (ret[2]) throw takeFromExternrefTable0(ret[1]);
  return takeFromExternrefTable0(ret[0]);
}

function isLikeNone(x) {
  return x === undefined || x === null;
}

async function instantiate(source, imports) {
  if (typeof Response === 'function' && source instanceof Response) {
    if (typeof WebAssembly.instantiateStreaming === 'function') {
      try {
        return await WebAssembly.instantiateStreaming(source, imports);
      } catch (e) {
        // Only a wrong Content-Type of a readable response is worth compiling from its bytes.
        if (!['basic', 'cors', 'default'].includes(source.type) || source.headers.get('Content-Type') === 'application/wasm') throw e;
        console.warn('steadfetch: the wasm is not served as application/wasm, so it is compiled from its bytes (slower):', e);
      }
    }
    source = await source.arrayBuffer();
  }
  return WebAssembly.instantiate(source, imports);
}

/** Instantiates the module from a Response, bytes or a WebAssembly.Module (js/load.js): its exports. */
export default async function init(source) {
  if (wasm === undefined) {
    const result = await instantiate(source, __wbg_get_imports());
    wasm = (result.instance ?? result).exports;
    wasm.__wbindgen_start();
  }
  return wasm;
}
`;

const PROVIDED = [...RUNTIME.matchAll(/^(?:async )?(?:function|let|const) (\w+)/gm)].map((m) => m[1]);

/** wasm-bindgen's glue split at its known landmarks. */
function splitGlue(glue) {
  const imports = glue.indexOf('\nfunction __wbg_get_imports() {\n');
  const object = glue.indexOf('    return {\n        __proto__: null,\n', imports);
  const tail = glue.indexOf('\n}\n', object);
  if (imports < 0 || object < 0 || tail < 0) throw new Error('wasm-bindgen\'s glue changed: __wbg_get_imports not found');
  const own = /^ {4}const import0 = \{\n {8}__proto__: null,\n([\s\S]*)\n {4}\};\n$/.exec(glue.slice(glue.indexOf('\n', imports + 1) + 1, object));
  if (!own) throw new Error('wasm-bindgen\'s glue changed: import0 not found');
  const moduleKeys = [...glue.slice(object, tail).matchAll(/^ {8}"([^"]+)": (\w+),$/gm)].map(([, key, ident]) => ({ key, ident }));
  return { head: glue.slice(0, imports + 1), entries: own[1], moduleKeys, rest: glue.slice(tail + 3) };
}

const RETURN_STRING = new RegExp([
  String.raw`(?:const|var) (ptr\d+) = (isLikeNone\((\w+)\) \? 0 : )?passStringToWasm0\((\w+)\);\n`,
  String.raw`\s*(?:const|var) (len\d+) = WASM_VECTOR_LEN;\n`,
  String.raw`\s*getDataViewMemory0\(\)\.setInt32\(\((arg\d+) >>> 0\) \+ 4 \* 1, \5, true\);\n`,
  String.raw`\s*getDataViewMemory0\(\)\.setInt32\(\(\6 >>> 0\) \+ 4 \* 0, \1, true\);`,
].join(''), 'g');

// `const ret = value;` used once, by the retString that follows: the value is the argument.
const RET_THEN_STRING = /const ret = ([^;\n]+);\n\s*(retString\(arg\d+, )ret((?:, true)?\);)$/;

// An export returning Result<JsValue, JsValue>: one takeResult.
const RESULT = /const ret = (wasm\.\w+\([\w, ]*\));\n\s*if \(ret\[2\]\) \{\n\s*throw takeFromExternrefTable0\(ret\[1\]\);\n\s*\}\n\s*return takeFromExternrefTable0\(ret\[0\]\);/g;

const INSTANCE_OF = /let result;\n\s*try \{\n\s*result = (arg\d+) instanceof (\w+);\n\s*\} catch \(_\) \{\n\s*result = false;\n\s*\}\n\s*const ret = result;\n\s*return ret;/g;

// `const v = arg0;` and the rest of the body, which reads `v` (a name minifiers keep as a variable):
// `v` is replaced outside string literals (bodies with template literals are left alone).
const ALIAS = /^\s*const (\w+) = (arg\d+);\n([\s\S]*)$/;

/** One entry of the import object, shorter: arrow functions, retString, the handleError wrapper. */
function slimEntry(name, entry) {
  const caught = /^function\(\) \{ return handleError\(function \(([^)]*)\) \{\n([\s\S]*)\n {8}\}, arguments\); \}$/.exec(entry);
  const plain = /^function\(([^)]*)\) \{\n([\s\S]*)\n {8}\}$/.exec(entry);
  const [, params, body] = caught ?? plain ?? [];
  if (body === undefined) throw new Error(`wasm-bindgen's glue changed: import ${name} is ${entry.slice(0, 80)}`);
  if (/\b(?:arguments|this)\b/.test(body)) throw new Error(`import ${name} uses arguments or this`);
  const slim = body
    .replace(RETURN_STRING, (_, ptr, optional, tested, value, len, at) => `retString(${at}, ${value}${optional ? ', true' : ''});`)
    .replace(RET_THEN_STRING, '$2$1$3')
    .replace(INSTANCE_OF, (_, arg, Class) => `try {\n  return ${arg} instanceof ${Class};\n} catch {\n  return false;\n}`)
    .replace(ALIAS, (all, alias, arg, rest) => (rest.includes('`') ? all : rest.split(/('[^'\n]*'|"[^"\n]*")/)
      .map((part, i) => (i % 2 ? part : part.replace(new RegExp(`(?<![\\w$.])${alias}\\b`, 'g'), arg))).join('')));
  const arrow = `(${params}) => {\n${slim.replace(/^ {4}/gm, '')}\n      }`;
  return caught ? `handleError(${arrow})` : arrow;
}

/** The slim glue for wasm-bindgen's `glue`, with the renames of shortenNames. */
export function slimGlue(glue, { modules, imports, snippets, exports }) {
  // RUNTIME's passStringToWasm0 knows its allocator.
  glue = glue.replace(/passStringToWasm0\((\w+), wasm\.__wbindgen_malloc, wasm\.__wbindgen_realloc\)/g, 'passStringToWasm0($1)');
  const { head, entries, moduleKeys, rest } = splitGlue(glue);
  if (!/^export \{ initSync, __wbg_init as default \};\s*$/m.test(rest)) throw new Error('wasm-bindgen\'s glue changed: its exports');
  // The import object: each key renamed, each function slimmed.
  const found = [...entries.matchAll(/^ {8}(\w+): /gm)];
  const object = found.map((m, i) => {
    const entry = entries.slice(m.index + m[0].length, found[i + 1]?.index ?? entries.length).replace(/,\n?$/, '');
    if (!imports.has(m[1])) throw new Error(`the wasm does not import ${m[1]}`);
    return `      ${imports.get(m[1])}: ${slimEntry(m[1], entry)},`;
  });
  if (found.length !== imports.size) throw new Error(`${imports.size} imports in the wasm, ${found.length} in the glue`);
  const byKey = new Map(moduleKeys.map(({ key, ident }) => [key, ident]));
  if (!modules.has(GLUE_MODULE) || byKey.get(GLUE_MODULE) !== 'import0') throw new Error(`the wasm and the glue's import0 must be ${GLUE_MODULE}`);
  // A snippet's namespace handed over whole makes bundlers build an object of all its exports:
  // the glue hands over those the wasm asks for, by their short names.
  const others = [...snippets].map(([module, fields]) => {
    const ident = byKey.get(module);
    if (!ident || !new RegExp(`^import \\* as ${ident} from`, 'm').test(head)) throw new Error(`the glue does not import ${module}`);
    const entries = [...fields].map(([name, short]) => `      ${short}: ${ident}.${name},\n`);
    return `    ${modules.get(module)}: {\n${entries.join('')}    },\n`;
  });
  const used = [...snippets.keys()].map((module) => byKey.get(module));
  // wasm-bindgen imports a snippet's namespace once per use: keep the namespaces still used.
  const headKept = head.replace(/^import \* as (\w+) from "[^"]+"\n/gm, (line, ident) => (used.includes(ident) ? line : ''))
    .replace(RESULT, 'return takeResult($1);');
  // No `__proto__: null`: every name the wasm asks for is an own property (checked below), so
  // the prototype is never read.
  const getImports = `function __wbg_get_imports() {\n  return {\n    ${modules.get(GLUE_MODULE)}: {\n${object.join('\n')}\n    },\n${others.join('')}  };\n}\n`;
  // Each of wasm-bindgen's helpers that the kept code calls is one of RUNTIME's.
  const kept = `${headKept}${getImports}`;
  for (const [, name] of rest.matchAll(/^(?:async )?(?:function|let|const) (\w+)/gm)) {
    if (!PROVIDED.includes(name) && new RegExp(`\\b${name}\\b`).test(kept)) throw new Error(`the glue calls ${name}, which RUNTIME lacks`);
  }
  const out = `${kept}${RUNTIME}`.replace(/\bwasm\.(\w+)/g, (_, name) => {
    if (name === 'memory') return `wasm.${name}`;
    if (!exports.has(name)) throw new Error(`the wasm exports no ${name}`);
    return `wasm.${exports.get(name)}`;
  });
  return `// wasm-bindgen's glue, slimmed by scripts/short-imports.mjs.\n${out}`;
}

/** The wasm's exports the slim glue reads (`wasm.<name>`): those of the code it keeps and RUNTIME's. */
export function usedExports(glue) {
  const { head, entries } = splitGlue(glue);
  return new Set([...`${head}${entries}${RUNTIME}`.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]));
}

const [wasmPath, gluePath] = process.argv.slice(2);
if (wasmPath && gluePath) {
  const generated = readFileSync(gluePath, 'utf8');
  const { wasm, ...renames } = shortenNames(readFileSync(wasmPath), usedExports(generated));
  const glue = slimGlue(generated, renames);
  writeFileSync(wasmPath, wasm);
  writeFileSync(gluePath, glue);
  // The pair still links: each import the wasm asks of the glue's own module is a key of its import object.
  const module = await WebAssembly.compile(wasm);
  const own = renames.modules.get(GLUE_MODULE);
  const asked = WebAssembly.Module.imports(module).filter((i) => i.module === own);
  const missing = asked.filter((i) => !new RegExp(`^ {6}${i.name}: `, 'm').test(glue));
  if (asked.length === 0 || missing.length > 0) throw new Error(`the glue lacks imports: ${missing.map((i) => i.name)}`);
}
