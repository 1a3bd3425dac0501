// The mock API's two HTTP helpers, in a module of their own so route files need not import the
// dispatcher that imports them.

/** Reads the request body (capped at 1 MiB). */
export function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 1 << 20) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

/** Sends a response; `body` objects are JSON. */
export function send(res, status, body, headers = {}) {
  if (res.destroyed || res.headersSent) return;
  const isText = typeof body === 'string' || Buffer.isBuffer(body);
  const payload = body === undefined || body === null ? '' : isText ? body : JSON.stringify(body);
  const type = isText ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, { 'Content-Type': type, ...headers });
  res.end(status === 204 || status === 205 ? undefined : payload);
}
