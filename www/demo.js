// Wires each panel: Run/Cancel, a live timeline of attempts and waits, the result and a log.
// Server text is only ever rendered with textContent.
import { PANELS } from '/www/demo-panels.js';

const baseInput = document.getElementById('base-url');
baseInput.value = new URLSearchParams(location.search).get('api') ?? `${location.origin}/api`;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** Draws attempts and waits as bars proportional to their duration. */
class Timeline {
  constructor(root) {
    this.bars = root.querySelector('.bars');
    this.countdown = root.querySelector('.countdown') ?? el('div');
    this.segments = [];
    this.timer = null;
  }
  reset() {
    this.segments = [{ kind: 'attempt', start: performance.now(), end: null }];
    this.countdown.textContent = '';
    this.start();
  }
  start() {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.draw(), 100);
    this.draw();
  }
  wait(delayMs) {
    const now = performance.now();
    this.nextAttemptIfWaitOver(now);
    const last = this.segments.at(-1);
    last.end = now;
    last.failed = true;
    this.segments.push({ kind: 'wait', start: now, end: null, planned: delayMs });
  }
  nextAttemptIfWaitOver(now) {
    const last = this.segments.at(-1);
    if (last.kind === 'wait' && last.end === null && now - last.start >= last.planned) {
      last.end = last.start + last.planned;
      this.segments.push({ kind: 'attempt', start: last.end, end: null });
    }
  }
  finish(ok) {
    const now = performance.now();
    this.nextAttemptIfWaitOver(now);
    const last = this.segments.at(-1);
    last.end = now;
    if (last.kind === 'attempt') last[ok ? 'ok' : 'failed'] = true;
    clearInterval(this.timer);
    this.timer = null;
    this.countdown.textContent = '';
    this.draw();
  }
  draw() {
    const now = performance.now();
    this.nextAttemptIfWaitOver(now);
    const first = this.segments[0]?.start ?? now;
    const total = Math.max(now - first, ...this.segments.map((s) => (s.planned ? s.start + s.planned - first : 0)), 1);
    this.bars.replaceChildren(...this.segments.map((s) => {
      const bar = el('div', `bar ${s.kind}${s.ok ? ' ok' : ''}${s.failed ? ' failed' : ''}`);
      const length = (s.end ?? (s.planned ? s.start + s.planned : now)) - s.start;
      bar.style.width = `${(100 * length) / total}%`;
      bar.title = s.kind === 'wait' ? `wait ${Math.round(s.planned)} ms` : `attempt ${Math.round(length)} ms`;
      bar.dataset.kind = s.kind;
      return bar;
    }));
    const last = this.segments.at(-1);
    if (last?.kind === 'wait' && last.end === null) {
      const left = Math.max(0, last.planned - (now - last.start));
      this.countdown.textContent = `retrying in ${(left / 1000).toFixed(1)} s`;
    } else if (this.timer) {
      this.countdown.textContent = '';
    }
  }
}

function showResult(panel, rows) {
  const dl = panel.querySelector('.result');
  dl.replaceChildren();
  for (const [name, value, cls] of rows) {
    if (value === null || value === undefined || value === '') continue;
    dl.append(el('dt', '', name), el('dd', cls ?? '', typeof value === 'object' ? JSON.stringify(value) : value));
  }
}

function showFieldErrors(panel, fieldErrors) {
  const table = panel.querySelector('.fields');
  const body = table.querySelector('tbody');
  body.replaceChildren(...(fieldErrors ?? []).map((f) => {
    const tr = el('tr');
    tr.append(el('td', '', f.field), el('td', '', f.message), el('td', '', f.code ?? ''));
    return tr;
  }));
  table.hidden = !fieldErrors?.length;
}

function log(panel, text) {
  const ol = panel.querySelector('.log');
  ol.append(el('li', '', text));
  ol.scrollTop = ol.scrollHeight;
}

function errorRows(error) {
  return [
    ['outcome', error.name ?? 'Error', 'outcome error-class'],
    ['kind', error.kind, 'kind'], ['status', error.status], ['code', error.code, 'code'],
    ['message', error.message, 'message'], ['hint', error.hint],
    ['request id', error.requestId, 'request-id'],
    ['retry-after', error.retryAfterMs != null ? `${error.retryAfterMs} ms` : null],
    ['rate limit', error.rateLimit], ['attempts', error.attempts, 'attempts'],
    ['scope', error.scope],
  ];
}

function mount(spec) {
  const panel = document.getElementById('panel-template').content.firstElementChild.cloneNode(true);
  panel.id = `panel-${spec.id}`;
  panel.querySelector('.title').textContent = spec.title;
  panel.querySelector('.about').textContent = spec.about;
  panel.querySelector('.snippet').textContent = spec.run.toString();
  const run = panel.querySelector('.run');
  const cancel = panel.querySelector('.cancel');
  const timeline = new Timeline(panel.querySelector('.timeline'));
  // Panels with `rows` draw one timeline per call instead (the rate-limit gate panel).
  const rows = Array.from({ length: spec.rows ?? 0 }, () => {
    const row = el('div', 'row');
    row.append(el('div', 'bars'));
    panel.querySelector('.timeline').append(row);
    return new Timeline(row);
  });
  if (rows.length) panel.querySelector('.timeline > .bars').style.display = 'none';
  const toggle = spec.toggle ? el('input') : null;
  if (toggle) {
    toggle.type = 'checkbox';
    toggle.checked = true;
    toggle.className = 'toggle';
    const label = el('label', 'toggle-label', ` ${spec.toggle}`);
    label.prepend(toggle);
    panel.querySelector('.buttons').append(label);
  }
  let controller = null;

  cancel.addEventListener('click', () => controller?.abort(new DOMException('Cancelled from the demo', 'AbortError')));
  run.addEventListener('click', async () => {
    controller = new AbortController();
    run.disabled = true;
    cancel.disabled = false;
    panel.dataset.state = 'running';
    panel.querySelector('.log').replaceChildren();
    showResult(panel, [['outcome', 'running…', 'outcome']]);
    showFieldErrors(panel, []);
    timeline.reset();
    const hooks = {
      base: baseInput.value.replace(/\/+$/, ''),
      signal: controller.signal,
      gate: toggle?.checked,
      row: (i, start) => {
        const t = rows[i];
        t.reset();
        const call = start((info) => t.wait(info.delayMs));
        call.then(() => t.finish(true), () => t.finish(false));
        return call;
      },
      log: (text) => log(panel, text),
      onRetry: (info) => {
        timeline.wait(info.delayMs);
        log(panel, `attempt ${info.attempt} failed (${info.error.name}: ${info.error.message}); retry in ${info.delayMs} ms [${info.delaySource}]`);
      },
      onError: (error) => log(panel, `gave up: ${error.name} ${error.kind}/${error.code} after ${error.attempts} attempt(s)${error.requestId ? `, request id ${error.requestId}` : ''}`),
    };
    try {
      const value = await spec.run(hooks);
      timeline.finish(true);
      for (const t of rows) clearInterval(t.timer);
      showResult(panel, [['outcome', 'success', 'outcome success'], ['value', value === null ? 'null' : value, 'value']]);
      log(panel, 'succeeded');
      panel.dataset.state = 'success';
    } catch (error) {
      timeline.finish(false);
      showResult(panel, errorRows(error));
      showFieldErrors(panel, error.fieldErrors);
      panel.dataset.state = 'error';
    } finally {
      run.disabled = false;
      cancel.disabled = true;
    }
  });
  return panel;
}

document.getElementById('panels').append(...PANELS.map(mount));
document.body.dataset.ready = 'true';
