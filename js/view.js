// JSON view (src/web/response.rs JsDoc): the normalizer reads a JSON.parse value in place. An
// array or object crosses as one string the first time a rule looks into it: per entry the key
// (`length:key`), the value's type code and a string value (`length:text`, capped first); nested
// values and numbers cross only when read. Caps: src/core/view.rs MAX_ENTRIES, and 16 Ki units.
const VIEW_ENTRIES = 256;
const VIEW_STRING = 16384;
const viewKeys = (v) => Object.keys(v).slice(0, VIEW_ENTRIES);
const viewEntry = (v) => (v === null ? 'n' : v === true ? 't' : v === false ? 'f' : typeof v === 'number' ? 'd'
  : typeof v === 'string' ? `s${Math.min(v.length, VIEW_STRING)}:${v.slice(0, VIEW_STRING)}`
    : Array.isArray(v) ? 'a' : typeof v === 'object' ? 'o' : 'n');

/** An array's or object's first entries as one string (see above). */
export function viewList(v) {
  let out = '';
  if (Array.isArray(v)) for (let i = 0; i < v.length && i < VIEW_ENTRIES; i++) out += viewEntry(v[i]);
  else for (const k of viewKeys(v)) out += `${k.length}:${k}${viewEntry(v[k])}`;
  return out;
}

/** The listing of `[v]` (the root's entry), without building the array. */
export const viewRoot = viewEntry;

/** The values `viewList` listed, by index. */
export const viewValues = (v) => (Array.isArray(v) ? v : viewKeys(v).map((k) => v[k]));

/** A number value. */
export const viewNumber = (values, i) => values[i];
