// The Explorer: a Graph request written here, sent through Graphgate's proxy with a connection's app-only token.
import * as api from './api.js';
import { el, badge, httpKind, announce } from './dom.js';
import { show, notice } from './page.js';

/** Common app-only queries; `{user}` and friends are placeholders the operator replaces. */
export const SAMPLES = [
  { name: 'Users', method: 'GET', path: '/users?$top=10&$select=id,displayName,mail' },
  { name: 'Groups', method: 'GET', path: '/groups?$top=10&$select=id,displayName,mail' },
  { name: 'A mailbox\u2019s messages', method: 'GET', path: '/users/{user}/messages?$top=10&$select=subject,from,receivedDateTime' },
  { name: 'A calendar view', method: 'GET', path: '/users/{user}/calendarView?startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z&$top=10' },
  { name: 'A drive\u2019s children', method: 'GET', path: '/users/{user}/drive/root/children' },
  { name: 'Sites', method: 'GET', path: '/sites?search=*' },
  { name: 'Organization', method: 'GET', path: '/organization' },
];

const HISTORY_KEY = 'graphgate.explorer.history';
const HISTORY_SIZE = 25;

function history() {
  try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]'); } catch { return []; }
}

function remember(entry) {
  const list = [entry, ...history().filter(h => !(h.method === entry.method && h.version === entry.version && h.path === entry.path
    && h.connection === entry.connection))].slice(0, HISTORY_SIZE);
  localStorage.setItem(HISTORY_KEY, JSON.stringify(list));
}

/** JSON as text with the @odata.nextLink / @odata.deltaLink values made into buttons that load them. */
function prettyJson(value, follow) {
  const out = el('pre', { class: 'json', id: 'response-body', tabindex: '0' });
  const write = (v, indent) => {
    const pad = '  '.repeat(indent);
    if (Array.isArray(v)) {
      if (v.length === 0) { out.append('[]'); return; }
      out.append('[\n');
      v.forEach((x, i) => { out.append(pad + '  '); write(x, indent + 1); out.append(i < v.length - 1 ? ',\n' : '\n'); });
      out.append(`${pad}]`);
    } else if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 0) { out.append('{}'); return; }
      out.append('{\n');
      keys.forEach((k, i) => {
        out.append(pad + '  ', el('span', { class: 'k' }, JSON.stringify(k)), ': ');
        if ((k === '@odata.nextLink' || k === '@odata.deltaLink') && typeof v[k] === 'string') {
          out.append(el('button', { type: 'button', class: 'linklike', 'data-next': v[k], onclick: () => follow(v[k]) }, JSON.stringify(v[k])));
        } else {
          write(v[k], indent + 1);
        }
        out.append(i < keys.length - 1 ? ',\n' : '\n');
      });
      out.append(`${pad}}`);
    } else {
      out.append(el('span', { class: typeof v === 'string' ? 's' : 'n' }, JSON.stringify(v)));
    }
  };
  write(value, 0);
  return out;
}

export async function explorerPage() {
  const [conns, ints] = await Promise.all([api.get('connections?page=0'), api.get('integrations')]);
  const connection = el('select', { id: 'ex-connection', name: 'connection' },
    // Working connections first: the one chosen at first should be able to answer.
    [...conns.connections].sort((a, b) => (a.status === 'ok' ? 0 : 1) - (b.status === 'ok' ? 0 : 1))
      .map(c => el('option', { value: JSON.stringify([c.provider_config_key, c.connection_id]) }, `${c.connection_id} (${c.provider_config_key})${c.status === 'ok' ? '' : ` \u2013 ${c.status}`}`)));
  const method = el('select', { id: 'ex-method', name: 'method' }, ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map(m => el('option', { value: m }, m)));
  const version = el('select', { id: 'ex-version', name: 'version' }, ['v1.0', 'beta'].map(v => el('option', { value: v }, v)));
  const path = el('input', { id: 'ex-path', name: 'path', type: 'text', class: 'mono', value: '/users?$top=5', spellcheck: 'false', autocomplete: 'off' });
  const headers = el('textarea', { id: 'ex-headers', name: 'headers', rows: 3, class: 'mono', placeholder: 'ConsistencyLevel: eventual', spellcheck: 'false' });
  const body = el('textarea', { id: 'ex-body', name: 'body', rows: 5, class: 'mono', placeholder: '{ "displayName": "…" }', spellcheck: 'false' });
  const result = el('div', { id: 'ex-result', 'aria-live': 'polite' });
  // What this call needs by Graphgate's permission table, and whether the token carries it: before it is sent.
  const needs = el('div', { id: 'ex-permissions', class: 'needs', 'aria-live': 'polite' });
  const historyList = el('ul', { class: 'history', id: 'ex-history' });
  const send = el('button', { type: 'submit', class: 'primary', id: 'ex-send' }, 'Send');
  const form = el('form', { class: 'card explorer', id: 'explorer-form' },
    el('div', { class: 'row' },
      el('div', { class: 'field grow' }, el('label', { for: 'ex-connection' }, 'Connection'), connection)),
    el('div', { class: 'row request-line' },
      el('div', { class: 'field' }, el('label', { for: 'ex-method' }, 'Method'), method),
      el('div', { class: 'field' }, el('label', { for: 'ex-version' }, 'Version'), version),
      el('div', { class: 'field grow' }, el('label', { for: 'ex-path' }, 'Path and query'), path),
      send),
    needs,
    el('details', {}, el('summary', {}, 'Headers and body'),
      el('div', { class: 'field' }, el('label', { for: 'ex-headers' }, 'Request headers, one Name: value a line'), headers),
      el('div', { class: 'field' }, el('label', { for: 'ex-body' }, 'Body (JSON)'), body)));

  const renderHistory = () => historyList.replaceChildren(...history().map(h => el('li', {},
    el('button', { type: 'button', class: 'linklike', onclick: () => load(h) }, el('span', { class: 'method' }, h.method), `/${h.version}${h.path}`),
    h.status ? badge(String(h.status), httpKind(h.status)) : '')));

  function load(h) {
    method.value = h.method;
    version.value = h.version;
    path.value = h.path;
    if (h.connection) {
      const option = [...connection.options].find(o => o.value === h.connection);
      if (option) connection.value = h.connection;
    }
    headers.value = h.headers || '';
    body.value = h.body || '';
    scheduleCheck();
    path.focus();
  }

  /** An @odata link is absolute on Graph's host: its version and path become this form's, then it is sent. */
  function follow(link) {
    const u = new URL(link);
    const m = u.pathname.match(/^\/(v1\.0|beta)(\/.*)$/);
    if (!m) return;
    method.value = 'GET';
    version.value = m[1];
    path.value = m[2] + u.search;
    scheduleCheck();
    form.requestSubmit();
  }

  let checkTimer = null;
  let checkSeq = 0;
  async function checkPermissions() {
    const seq = ++checkSeq;
    if (!connection.value || !path.value.trim().startsWith('/')) { needs.replaceChildren(); return; }
    const [key, id] = JSON.parse(connection.value);
    try {
      const c = await api.get(`explorer/permissions${api.query({ provider_config_key: key, connection_id: id, method: method.value, version: version.value, path: path.value.trim() })}`);
      if (seq !== checkSeq) return;
      const kind = c.verdict === 'allowed' ? 'ok' : c.verdict === 'missing' || c.verdict === 'not_app_only' ? 'error' : 'muted';
      needs.replaceChildren(el('p', { class: `needs-line ${kind}` }, badge(c.verdict === 'allowed' ? 'permission granted' : c.verdict.replace(/_/g, ' '), kind), ' ',
        c.sentence, ' ', (c.docs || []).slice(0, 1).map(d => el('a', { href: d, target: '_blank', rel: 'noopener' }, 'Microsoft\u2019s page')),
        c.admin_consent_url ? [' \u00b7 ', el('a', { href: c.admin_consent_url, target: '_blank', rel: 'noopener' }, 'admin consent link')] : ''));
    } catch (e) {
      if (seq === checkSeq) needs.replaceChildren();
    }
  }
  const scheduleCheck = () => { clearTimeout(checkTimer); checkTimer = setTimeout(checkPermissions, 250); };
  for (const input of [connection, method, version]) input.addEventListener('change', scheduleCheck);
  path.addEventListener('input', scheduleCheck);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!connection.value) {
      result.replaceChildren(notice('error', 'There is no connection to send this with: create one first.'));
      return;
    }
    const [key, id] = JSON.parse(connection.value);
    const hdrs = {};
    for (const line of headers.value.split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) hdrs[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    send.disabled = true;
    result.replaceChildren(el('p', { class: 'muted' }, 'Sending\u2026'));
    try {
      const r = await api.post('explorer', { provider_config_key: key, connection_id: id, method: method.value, version: version.value,
        path: path.value.trim(), headers: hdrs, body: body.value });
      remember({ method: method.value, version: version.value, path: path.value.trim(), connection: connection.value, headers: headers.value,
        body: body.value, status: r.status });
      renderHistory();
      let parsed = null;
      try { parsed = r.body ? JSON.parse(r.body) : null; } catch { parsed = null; }
      const graphError = parsed && parsed.error ? parsed.error : null;
      const diagnosis = r.headers['x-graphgate-permission-hint'] || (r.permission_check ? r.permission_check.sentence : '');
      const hint = r.status === 403
        ? notice('error', `Microsoft refused this call (403${graphError && graphError.code ? ` ${graphError.code}` : ''}). ${diagnosis}`)
        : null;
      result.replaceChildren(el('section', { class: 'card response', 'aria-labelledby': 'h-response' },
        el('header', { class: 'card-head' }, el('h2', { id: 'h-response' }, 'Response'),
          badge(String(r.status), httpKind(r.status)),
          el('span', { class: 'muted', id: 'ex-timing' }, `${r.duration_ms} ms · ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}${r.waited_ms ? ` · waited ${r.waited_ms} ms` : ''}`)),
        hint,
        r.headers['request-id'] ? el('p', { class: 'muted' }, 'Microsoft request id ', el('code', {}, r.headers['request-id'])) : null,
        el('details', {}, el('summary', {}, `Response headers (${Object.keys(r.headers).length})`),
          el('dl', { class: 'facts headers' }, Object.entries(r.headers).map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]))),
        parsed !== null ? prettyJson(parsed, follow) : el('pre', { class: 'json', id: 'response-body', tabindex: '0' }, r.body || '(no body)'),
        r.truncated ? el('p', { class: 'muted' }, `Showing the first 2 MiB of ${r.body_bytes} bytes.`) : null));
      announce(`Response ${r.status}`);
    } catch (e) {
      result.replaceChildren(notice('error', e.message));
    } finally {
      send.disabled = false;
    }
  });

  const samples = el('ul', { class: 'samples', id: 'ex-samples' }, SAMPLES.map(s => el('li', {},
    el('button', { type: 'button', class: 'linklike', onclick: () => load({ method: s.method, version: 'v1.0', path: s.path }) }, s.name),
    el('code', { class: 'small-code' }, s.path))));
  renderHistory();
  show('Explorer', el('div', { class: 'explorer-layout' },
    el('div', { class: 'stack' }, form, result),
    el('aside', { class: 'stack' },
      el('section', { class: 'card', 'aria-labelledby': 'h-samples' }, el('h2', { id: 'h-samples' }, 'Sample queries'), samples,
        el('p', { class: 'hint' }, 'Replace {user} with a user\u2019s id or user principal name.')),
      el('section', { class: 'card', 'aria-labelledby': 'h-history' }, el('h2', { id: 'h-history' }, 'History'),
        el('p', { class: 'hint' }, 'Kept in this browser only.'), historyList,
        el('button', { type: 'button', class: 'secondary small', onclick: () => { localStorage.removeItem(HISTORY_KEY); renderHistory(); } }, 'Clear history')))),
    'explorer');
  checkPermissions();
  if (ints.integrations.length === 0 || conns.connections.length === 0) {
    result.replaceChildren(notice('error', 'No connections yet: the Explorer sends requests with a connection\u2019s token.'));
  }
}
