// Integrations: which app registrations Graphgate knows and the syncs each runs.
import * as api from './api.js';
import { el, table, when, badge } from './dom.js';
import { show } from './page.js';

export async function integrationsPage() {
  const data = await api.get('integrations');
  const rows = data.integrations.map(i => [
    el('strong', {}, i.display_name), el('code', {}, i.unique_key), i.provider,
    i.shared_credentials ? badge('shared app', 'info') : badge('per connection', 'muted'),
    i.syncs.length ? el('ul', { class: 'chips' }, i.syncs.map(s => el('li', {}, s))) : '—',
    when(i.created_at),
  ]);
  show('Integrations', el('div', { class: 'card' },
    table('Integrations', ['Name', 'Key', 'Provider', 'Credentials', 'Enabled syncs', 'Created'], rows,
      'No integrations yet: create one with POST /integrations (see docs/integrations.md).')), 'integrations');
}
