// The connections list (server-side search and paging) and one connection's page (live while a person watches).
import * as api from './api.js';
import { el, badge, connectionStatusKind, facts, table, when, stamp, relative, httpKind, announce, patch } from './dom.js';
import { show, failed, notice, poll } from './page.js';

const connectionHref = (key, id) => `#/connections/${encodeURIComponent(key)}/${encodeURIComponent(id)}`;

function endUserText(u) {
  if (!u) return '—';
  return [u.display_name || u.id, u.email ? `<${u.email}>` : '', u.organization && u.organization.display_name ? `· ${u.organization.display_name}` : '']
    .filter(Boolean).join(' ');
}

function tagList(tags) {
  const entries = Object.entries(tags || {});
  if (entries.length === 0) return '—';
  return el('ul', { class: 'tags' }, entries.map(([k, v]) => el('li', {}, `${k}: ${v}`)));
}

function expiry(c) {
  if (!c.token_expires_at) return '—';
  return el('span', {}, when(c.token_expires_at), ' ', el('span', { class: 'muted' }, `(${relative(c.token_expires_at)})`));
}

export async function connectionsPage() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  // Keyset pages: `cursors` holds the cursor each page seen so far started from, so Previous goes back without a count.
  const state = { search: params.get('search') || '', cursors: [null] };
  const search = el('input', { id: 'search', type: 'search', name: 'search', value: state.search, placeholder: 'Start of a connection id' });
  const results = el('div', { id: 'connections-results' });
  const form = el('form', { class: 'filters', role: 'search' },
    el('div', { class: 'field grow' }, el('label', { for: 'search' }, 'Search connections'), search),
    el('button', { type: 'submit', class: 'secondary' }, 'Search'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.search = search.value.trim();
    state.cursors = [null];
    load();
  });
  show('Connections', el('div', {}, form, results), 'connections');

  async function load() {
    try {
      const cursor = state.cursors[state.cursors.length - 1];
      const data = await api.get(`connections${api.query({ search: state.search, cursor: cursor || '' })}`);
      const rows = data.connections.map(c => [
        el('a', { href: connectionHref(c.provider_config_key, c.connection_id) }, c.connection_id),
        c.provider_config_key,
        badge(c.status, connectionStatusKind(c.status)),
        endUserText(c.end_user),
        c.granted_permissions ? String(c.granted_permissions.length) : '—',
        expiry(c),
        tagList(c.tags),
      ]);
      const pager = el('div', { class: 'pager' },
        el('button', { type: 'button', class: 'secondary', disabled: state.cursors.length === 1, onclick: () => { state.cursors.pop(); load(); } }, 'Previous'),
        el('span', { class: 'muted' }, `Page ${state.cursors.length}`),
        el('button', { type: 'button', class: 'secondary', disabled: !data.has_more, onclick: () => { state.cursors.push(data.next_cursor); load(); } }, 'Next'));
      results.replaceChildren(
        table('Connections', ['Connection', 'Integration', 'Status', 'End user', 'Permissions', 'Token expires', 'Tags'], rows,
          state.search ? `No connection id starts with \u201c${state.search}\u201d.` : 'No connections yet. Create a connect link for a customer\u2019s admin.'),
        pager);
      announce(`${data.connections.length} connections shown`);
    } catch (e) {
      failed(e);
    }
  }
  await load();
}

/** A message with its URLs (an admin consent link) as short links, so a long state does not fill the card. */
function linked(text) {
  return text.split(/(https?:\/\/\S+)/).map((part, i) => (i % 2 === 1
    ? el('a', { href: part, target: '_blank', rel: 'noopener' }, part.includes('adminconsent') ? 'admin consent link' : new URL(part).host)
    : part));
}

/** What the enabled syncs and the actions need that the token lacks, the permissions to grant, and the consent link. */
function missingPermissions(p) {
  if (!p) return '';
  if (p.unavailable) return el('p', { class: 'hint', id: 'missing-permissions' }, p.unavailable);
  if (!p.missing || p.missing.length === 0) {
    return el('p', { class: 'hint', id: 'missing-permissions' }, 'The token carries a permission for every enabled sync and every action.');
  }
  return el('div', { class: 'notice warn', id: 'missing-permissions' },
    el('p', {}, el('strong', {}, 'Missing: '), 'grant ', p.missing.map((m, i) => [i ? ', ' : '', el('code', {}, m)]),
      ' to the app registration, then have the tenant\u2019s admin consent',
      p.admin_consent_url ? [' (', el('a', { href: p.admin_consent_url, target: '_blank', rel: 'noopener' }, 'admin consent link'), ')'] : '', '.'),
    el('ul', {}, p.unmet.map(u => el('li', {}, `${u.kind} `, el('strong', {}, u.name), `: ${u.purpose} needs one of ${u.one_of.join(', ')}`))));
}

/** What the connection's status asks of the operator, in a sentence, with the admin consent link when consent is missing. */
function reason(c) {
  if (c.status === 'ok') return null;
  return el('div', { class: `notice ${c.status === 'pending' ? 'warn' : 'error'}`, id: 'connection-reason' },
    el('p', {}, el('strong', {}, `Status ${c.status}. `), c.message || 'Graphgate has no token for this connection yet.'),
    c.admin_consent_url ? el('p', {}, el('a', { href: c.admin_consent_url, class: 'button primary', id: 'consent-link', target: '_blank', rel: 'noopener' },
      'Open the admin consent link'), ' ', el('span', { class: 'muted' }, 'Send it to the tenant\u2019s admin; this page turns ok once they consent.')) : null);
}

function syncCard(key, id, s, refresh, say) {
  const run = s.current_run;
  const last = s.last_run;
  let progress = null;
  if (run) {
    const total = run.estimated_total;
    progress = el('div', { class: 'progress-block' },
      total ? el('progress', { max: total, value: Math.min(run.records, total), 'aria-label': `${s.name} progress` }) : el('progress', { 'aria-label': `${s.name} progress` }),
      el('p', { class: 'muted', 'data-testid': 'run-progress' },
        `Page ${run.pages + 1} under way${total ? ` of about ${total} items` : ''}: ${run.added} added, ${run.updated} updated, ${run.deleted} deleted so far`));
  }
  const act = async (path, body, done) => {
    try {
      await api.post(path, body);
      say('ok', done);
      await refresh();
    } catch (e) {
      say('error', e.message);
    }
  };
  const body = { provider_config_key: key, connection_id: id, sync: s.name };
  const stateKind = s.state === 'success' ? 'ok' : s.state === 'running' ? 'info' : s.state === 'paused' || s.state === 'not run yet' ? 'muted' : 'error';
  return el('article', { class: 'card sync', 'data-sync': s.name, 'data-key': s.name },
    el('header', { class: 'card-head' }, el('h3', {}, s.name), badge(s.state, stateKind)),
    facts([
      ['Records', String(s.records)],
      ['Last run', last ? `${last.status} · ${when(last.finished_at)}` : 'never'],
      // A finished run's page count is not kept (sync_states holds its added, updated and deleted only).
      last && last.added !== undefined ? ['Last counts', `${last.added} added, ${last.updated} updated, ${last.deleted} deleted`] : null,
      ['Next run', s.paused ? 'paused' : s.next_run ? `${when(s.next_run)} (${relative(s.next_run)})` : '—'],
      s.error ? ['Error', el('span', { class: 'error-text' }, `${s.error.code}: `, linked(s.error.message || ''))] : null,
    ]),
    progress,
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'primary', onclick: () => act('syncs/trigger', body, `${s.name}: run requested`) }, 'Trigger run'),
      el('button', { type: 'button', class: 'secondary', onclick: () => act('syncs/pause', { ...body, paused: !s.paused }, s.paused ? `${s.name} resumed` : `${s.name} paused`) },
        s.paused ? 'Resume' : 'Pause')));
}

function deliveries(list, refresh, say) {
  const rows = list.map(d => [
    d.type + (d.operation ? ` · ${d.operation}` : ''),
    badge(d.status, d.status === 'delivered' ? 'ok' : d.status === 'pending' || d.status === 'sending' ? 'warn' : 'error'),
    `${d.attempts} of ${d.attempt_limit}`,
    d.last_status ? String(d.last_status) : d.last_error || '—',
    stamp(d.created_at),
    d.status === 'failed' || d.status === 'skipped' || d.status === 'pending'
      ? el('button', { type: 'button', class: 'secondary small', 'data-delivery': d.id, onclick: async () => {
        try {
          await api.post(`webhook-deliveries/${encodeURIComponent(d.id)}/retry`);
          say('ok', 'Delivery queued to be sent again.');
          await refresh();
        } catch (e) { say('error', e.message); }
      } }, 'Retry') : '',
  ]);
  return el('div', {}, table('Webhook deliveries', ['Event', 'Status', 'Attempts', 'Last answer', 'Created', ''], rows, 'No webhook deliveries for this connection yet.'));
}

export function requestRows(logs, withConnection) {
  return logs.map(l => [
    stamp(l.created_at),
    withConnection ? (l.connection_id ? el('a', { href: connectionHref(l.provider_config_key, l.connection_id) }, l.connection_id) : '—') : null,
    el('code', {}, `${l.method} ${l.path}`),
    badge(String(l.status), httpKind(l.status)),
    String(l.attempts),
    el('span', { class: 'nowrap' }, `${l.waited_ms} ms`),
    el('span', { class: 'nowrap' }, `${l.duration_ms} ms`),
    l.upstream_request_id ? el('code', { class: 'small-code' }, l.upstream_request_id) : '—',
    l.permission_hint ? el('span', { class: 'hint-cell' }, l.error ? `${l.error}. ` : '', l.permission_hint) : l.error || '',
  ].filter(c => c !== null));
}

export const REQUEST_HEADERS = ['Time', 'Request', 'Status', 'Attempts', 'Waited', 'Took', 'Microsoft request id', 'Error or permission'];

export async function connectionPage(key, id) {
  // The crumbs and the flash message stay put; `content` is what each refresh patches.
  const flash = el('div', { id: 'flash' });
  const content = el('div', { class: 'stack', id: 'connection-content' });
  const root = el('div', { class: 'stack' },
    el('p', { class: 'crumbs' }, el('a', { href: '#/connections' }, 'Connections'), ' / ', key), flash, content);
  show(id, root, 'connections');
  let data = null;
  const say = (kind, text) => { flash.replaceChildren(notice(kind, text)); announce(text); };
  const refresh = async () => {
    data = await api.get(`connection${api.query({ provider_config_key: key, connection_id: id })}`);
    render();
  };
  function render() {
    const c = data.connection;
    patch(document.getElementById('title'), el('h1', {}, id, ' ', badge(c.status, connectionStatusKind(c.status))));
    // Only what changed is redrawn (dom.js patch): every 2 s poll keeps the focused button focused.
    patch(content, el('div', {},
      reason(c) || '',
      el('section', { class: 'card', 'aria-labelledby': 'h-details' }, el('h2', { id: 'h-details' }, 'Connection'),
        facts([
          ['Integration', c.provider_config_key],
          ['Tenant', el('code', {}, c.tenant_id)],
          ['App (client id)', el('code', {}, c.client_id)],
          ['End user', endUserText(c.end_user)],
          ['Tags', tagList(c.tags)],
          ['Token expires', expiry(c)],
          ['Last token', c.last_refresh_success ? when(c.last_refresh_success) : '—'],
          ['Created', when(c.created_at)],
        ])),
      el('section', { class: 'card', 'aria-labelledby': 'h-perms' }, el('h2', { id: 'h-perms' }, 'Granted permissions'),
        c.granted_permissions && c.granted_permissions.length
          ? el('ul', { class: 'chips', id: 'granted' }, c.granted_permissions.map(p => el('li', {}, p)))
          : el('p', { class: 'empty' }, 'The token carries no application permissions.'),
        missingPermissions(data.permissions)),
      el('section', { 'aria-labelledby': 'h-syncs' }, el('h2', { id: 'h-syncs' }, 'Syncs'),
        data.syncs.length ? el('div', { class: 'grid' }, data.syncs.map(s => syncCard(key, id, s, refresh, say)))
          : el('p', { class: 'empty' }, 'No syncs are enabled for this integration.')),
      el('section', { class: 'card', 'aria-labelledby': 'h-hooks' }, el('h2', { id: 'h-hooks' }, 'Recent webhook deliveries'), deliveries(data.webhook_deliveries, refresh, say)),
      el('section', { class: 'card', 'aria-labelledby': 'h-requests' }, el('h2', { id: 'h-requests' }, 'Recent requests'),
        table('Recent requests', REQUEST_HEADERS, requestRows(data.requests, false), 'No proxied requests for this connection yet.'),
        el('p', {}, el('a', { href: `#/logs?connection_id=${encodeURIComponent(id)}` }, 'All requests of this connection'))),
    ));
  }
  await refresh();
  // Live while something is under way: a run, a connection waiting for consent or a first token, a delivery in flight.
  const watching = () => data && (data.connection.status !== 'ok' || data.syncs.some(s => s.running || s.requested)
    || data.webhook_deliveries.some(d => d.status === 'pending' || d.status === 'sending'));
  return poll(async () => {
    const before = data.connection.status;
    await refresh();
    if (before !== data.connection.status) announce(`Connection status is now ${data.connection.status}`);
  }, 2000, watching);
}
