// Each seed API's documented errors, in its own dialect, on its own path prefix.
import { readBody, send } from './http.mjs';

const PRIORITIES = ['low', 'medium', 'high', 'urgent'];
const bearer = (req) => (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');

async function jsonBody(req) {
  try {
    return JSON.parse(await readBody(req));
  } catch {
    return null;
  }
}

// Seed 000: TopTickets (FastAPI): {"detail": [...]} and {"detail": "text"}.
async function topTicketsCreate({ req, res }) {
  const key = bearer(req);
  if (!key) return send(res, 401, { detail: 'Invalid or expired API key' });
  if (key.startsWith('tt_ro_')) return send(res, 403, { detail: 'API key missing required scope: tickets:write' });
  const body = await jsonBody(req);
  if (!body) return send(res, 400, { detail: [{ loc: ['body'], msg: 'Malformed JSON', type: 'value_error.jsondecode' }] });
  const errors = [];
  for (const field of ['customer_name', 'customer_email', 'subject']) {
    if (body[field] === undefined) errors.push({ loc: ['body', field], msg: 'field required', type: 'value_error.missing' });
  }
  if (body.subject === '') errors.push({ loc: ['body', 'subject'], msg: 'ensure this value has at least 1 characters', type: 'value_error.any_str.min_length' });
  if (body.priority !== undefined && !PRIORITIES.includes(body.priority)) {
    errors.push({ loc: ['body', 'priority'], msg: "value is not a valid enumeration member; permitted: 'low', 'medium', 'high', 'urgent'", type: 'type_error.enum' });
  }
  if (errors.length) return send(res, 422, { detail: errors });
  send(res, 201, { id: 'tkt_1', ...body });
}

function topTicketsGet({ req, res, params }) {
  if (!bearer(req)) return send(res, 401, { detail: 'Invalid or expired API key' });
  if (params.id !== '1') return send(res, 404, { detail: 'Ticket not found' });
  send(res, 200, { id: '1', subject: 'Help needed', priority: 'urgent' });
}

// TopTickets documents 429 (Retry-After, 60 s when absent) and 500 with the same `detail` shape.
function topTicketsStatus({ res, params, query }) {
  const messages = { 429: 'Rate limit exceeded', 500: 'Internal server error' };
  const headers = query.has('retryAfter') ? { 'Retry-After': query.get('retryAfter') } : {};
  send(res, Number(params.status), { detail: messages[params.status] ?? 'Unknown error' }, headers);
}

// Seed 001: jobs API: {"error": {"code": "UPPER_SNAKE", "message"}}.
const JOB_KEYS = {
  expired: [401, 'EXPIRED_API_KEY', 'The API key has expired'],
  revoked: [401, 'REVOKED_API_KEY', 'The API key has been revoked'],
  suspended: [403, 'SUSPENDED_ACCOUNT', 'The client account has been suspended'],
  readonly: [403, 'INSUFFICIENT_PERMISSIONS', 'The API key does not have the required permissions'],
};
function jobsAuth(req, res) {
  const key = bearer(req);
  if (!key) return send(res, 401, { error: { code: 'AUTHENTICATION_FAILED', message: 'Authentication failed' } }), false;
  const bad = JOB_KEYS[key];
  if (bad) return send(res, bad[0], { error: { code: bad[1], message: bad[2] } }), false;
  return true;
}
function jobsGet({ req, res, params }) {
  if (!jobsAuth(req, res)) return;
  if (params.id !== 'job_1') return send(res, 404, { error: { code: 'JOB_NOT_FOUND', message: 'The specified job was not found' } });
  send(res, 200, { id: 'job_1', status: 'done' });
}
async function jobsCreate({ req, res }) {
  if (!jobsAuth(req, res)) return;
  const body = await jsonBody(req);
  if (!body) return send(res, 400, { error: { code: 'INVALID_FORMAT', message: 'The request format is invalid' } });
  if (!body.client_id) return send(res, 400, { error: { code: 'MISSING_PARAMETER', message: 'A required parameter is missing: client_id' } });
  if (body.client_id === 'broke') return send(res, 400, { error: { code: 'INSUFFICIENT_BALANCE', message: 'Account balance is below the minimum required' } });
  send(res, 200, { id: 'job_2', client_id: body.client_id });
}
function jobsStatus({ res, params }) {
  const table = {
    429: ['RATE_LIMIT_EXCEEDED', 'Rate limit exceeded'], 500: ['INTERNAL_ERROR', 'An internal server error occurred'],
    503: ['SERVICE_UNAVAILABLE', 'The service is temporarily unavailable'],
  };
  const [code, message] = table[params.status] ?? ['INTERNAL_ERROR', 'An internal server error occurred'];
  send(res, Number(params.status), { error: { code, message } });
}

// Seed 002: Operations1: plain status codes, no body.
function operations1({ res, query, params }) {
  const status = Number(query.get('status') ?? 200);
  if (status === 200) return send(res, 200, { id: params.userId, tenant: params.tenant, name: 'Ada' });
  res.writeHead(status, { 'Content-Length': '0' });
  res.end();
}

// Seed 003: Tiptree: {"error": {"code", "message", "details"}}.
function tiptreeAgent({ res, params }) {
  if (params.id === 'agent_1') return send(res, 200, { id: 'agent_1', name: 'Helper', model: 'gpt-4' });
  send(res, 404, { error: { code: 'resource_not_found', message: `The agent with ID '${params.id}' was not found` } });
}
async function tiptreeCreate({ req, res }) {
  if (!req.headers.authorization) return send(res, 401, { error: { code: 'missing_api_key', message: 'No API key was provided' } });
  const body = (await jsonBody(req)) ?? {};
  const errors = [];
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) errors.push({ field: 'name', message: 'Name must be between 1 and 100 characters' });
  if (!['gpt-4', 'gpt-3.5-turbo'].includes(body.model)) errors.push({ field: 'model', message: 'Model must be one of: gpt-4, gpt-3.5-turbo' });
  if (errors.length) return send(res, 400, { error: { code: 'invalid_parameter', message: 'One or more parameters have invalid values', details: { errors } } });
  if (body.name === 'taken') return send(res, 409, { error: { code: 'resource_already_exists', message: 'A resource with the same identifier already exists' } });
  send(res, 201, { id: 'agent_2', ...body });
}
function tiptreeLimited({ res, query }) {
  const resetIn = Number(query.get('resetIn') ?? 1);
  const reset = Math.ceil(Date.now() / 1000) + resetIn;
  send(res, 429, { error: { code: 'rate_limit_exceeded', message: "You've exceeded the rate limit for this endpoint", details: { rate_limit: { limit: 100, remaining: 0, reset } } } });
}

// Seed 004: Ticksupply: lowercase codes, X-Request-Id on every response, X-Api-Key auth.
function ticksupplyAuth(req, res) {
  if (req.headers['x-api-key']) return true;
  send(res, 401, { error: { code: 'unauthenticated', message: 'Invalid or missing API key' } });
  return false;
}
function ticksupplySubscription({ req, res, params }) {
  if (!ticksupplyAuth(req, res)) return;
  if (params.id === 'sub_1') return send(res, 200, { id: 'sub_1', status: 'active' });
  send(res, 404, { error: { code: 'not_found', message: `Subscription ${params.id} not found` } });
}
async function ticksupplyExport({ req, res }) {
  if (!ticksupplyAuth(req, res)) return;
  await readBody(req);
  send(res, 402, { error: { code: 'payment_required', message: 'You have reached the export limit for your trial period. Your full plan limits will be available when your trial ends.' } });
}
async function ticksupplyDatastream({ req, res }) {
  if (!ticksupplyAuth(req, res)) return;
  const body = (await jsonBody(req)) ?? {};
  if (!(Number.isInteger(body.datastream_id) && body.datastream_id > 0)) {
    return send(res, 400, { error: { code: 'invalid_argument', message: 'Invalid datastream_id: must be a positive integer' } });
  }
  if (body.columns > 100) return send(res, 400, { error: { code: 'invalid_argument', message: 'Schema has too many columns', details: { max_columns: 100, provided: body.columns } } });
  send(res, 202, { id: 'exp_1', status: 'pending' });
}
function ticksupplyStatus({ res, params }) {
  const table = {
    408: ['request_timeout', 'Request exceeded 10s deadline'], 429: ['rate_limited', 'Rate limit exceeded. Retry after 30 seconds.'],
    500: ['internal', 'An internal error occurred'], 503: ['unavailable', 'Service temporarily unavailable'],
    409: ['already_exists', 'Resource already exists'], 403: ['permission_denied', 'Valid key, but lacks permission'],
  };
  const [code, message] = table[params.status] ?? ['internal', 'An internal error occurred'];
  const headers = params.status === '429' ? { 'Retry-After': '30' } : {};
  send(res, Number(params.status), { error: { code, message } }, headers);
}
function ticksupplyTextError({ res }) {
  send(res, 502, 'upstream connect error or disconnect/reset before headers');
}
function ticksupplyDelete({ res }) {
  send(res, 204);
}

export const seedRoutes = [
  [/^\/toptickets\/v1\/tickets$/, topTicketsCreate],
  [/^\/toptickets\/v1\/tickets\/(?<id>[^/]+)$/, topTicketsGet],
  [/^\/toptickets\/v1\/status\/(?<status>\d{3})$/, topTicketsStatus],
  [/^\/jobs\/v1\/jobs\/(?<id>[^/]+)$/, jobsGet],
  [/^\/jobs\/v1\/jobs$/, jobsCreate],
  [/^\/jobs\/v1\/status\/(?<status>\d{3})$/, jobsStatus],
  [/^\/operations1\/tenants\/(?<tenant>[^/]+)\/users\/(?<userId>[^/]+)$/, operations1],
  [/^\/tiptree\/v1\/agents\/(?<id>[^/]+)$/, tiptreeAgent],
  [/^\/tiptree\/v1\/agents$/, tiptreeCreate],
  [/^\/tiptree\/v1\/limited$/, tiptreeLimited],
  [/^\/ticksupply\/v1\/subscriptions\/(?<id>[^/]+)$/, (ctx) => (ctx.req.method === 'DELETE' ? ticksupplyDelete(ctx) : ticksupplySubscription(ctx))],
  [/^\/ticksupply\/v1\/exports$/, ticksupplyExport],
  [/^\/ticksupply\/v1\/datastreams$/, ticksupplyDatastream],
  [/^\/ticksupply\/v1\/status\/(?<status>\d{3})$/, ticksupplyStatus],
  [/^\/ticksupply\/v1\/text-error$/, ticksupplyTextError],
];
