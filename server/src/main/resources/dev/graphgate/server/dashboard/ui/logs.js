// The request log: every proxied call, newest first, filtered on the server, a page at a time.
import * as api from './api.js';
import { el, table, announce } from './dom.js';
import { show, failed } from './page.js';
import { requestRows, REQUEST_HEADERS } from './connections.js';

function field(id, label, attrs) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), el('input', { id, name: id, ...attrs }));
}

/** A datetime-local value as an ISO instant (the browser's time zone), or ''. */
const instant = (v) => (v ? new Date(v).toISOString() : '');

export async function logsPage() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const form = el('form', { class: 'filters', id: 'log-filters' },
    field('connection_id', 'Connection', { type: 'text', value: params.get('connection_id') || '', placeholder: 'contoso' }),
    field('status', 'Status', { type: 'text', value: params.get('status') || '', placeholder: '429 or 4xx', size: 8 }),
    field('path', 'Path starts with', { type: 'text', value: params.get('path') || '', placeholder: '/v1.0/users' }),
    field('since', 'From', { type: 'datetime-local' }),
    field('until', 'Until', { type: 'datetime-local' }),
    el('button', { type: 'submit', class: 'secondary' }, 'Filter'));
  const results = el('div', { id: 'log-results' });
  show('Request log', el('div', {}, form, el('div', { class: 'card' }, results)), 'logs');
  const cursors = [];
  let filters = {};

  async function load(cursor) {
    try {
      const data = await api.get(`logs${api.query({ ...filters, cursor })}`);
      const pager = el('div', { class: 'pager' },
        el('button', { type: 'button', class: 'secondary', disabled: cursors.length === 0, onclick: () => { cursors.pop(); load(cursors[cursors.length - 1]); } }, 'Newer'),
        el('button', { type: 'button', class: 'secondary', disabled: !data.next_cursor, onclick: () => { cursors.push(data.next_cursor); load(data.next_cursor); } }, 'Older'));
      results.replaceChildren(table('Request log', ['Time', 'Connection', ...REQUEST_HEADERS.slice(1)], requestRows(data.logs, true),
        'No request matches these filters.'), pager);
      announce(`${data.logs.length} requests shown`);
    } catch (e) {
      if (e.status === 400) results.replaceChildren(el('div', { class: 'notice error', role: 'alert' }, e.message));
      else failed(e);
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (id) => form.querySelector(`#${id}`).value.trim();
    filters = { connection_id: v('connection_id'), status: v('status'), path: v('path'), since: instant(v('since')), until: instant(v('until')) };
    cursors.length = 0;
    load();
  });
  filters = { connection_id: params.get('connection_id') || '', status: params.get('status') || '', path: params.get('path') || '' };
  await load();
}
