// What every runtime check reports about an error, so the test can compare runtimes field by field.
export function summary(sf, e) {
  if (!(e instanceof Error)) return { resolved: e === undefined ? 'undefined' : typeof e };
  return {
    name: e.name, kind: e.kind ?? null, code: e.code ?? null, status: e.status ?? null,
    retryAfterMs: e.retryAfterMs ?? null, api: e instanceof sf.ApiError,
    own: typeof sf[e.name] === 'function' && e instanceof sf[e.name], guard: sf.isApiError(e),
    message: e.message, hint: e.hint ?? null,
  };
}
