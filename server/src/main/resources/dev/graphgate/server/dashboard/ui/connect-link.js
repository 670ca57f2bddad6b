// The connect link generator: a connect session for a customer's admin, and the link that opens the Connect UI on it.
import * as api from './api.js';
import { el, when, announce } from './dom.js';
import { show, notice } from './page.js';

function field(id, label, attrs, hint) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), el('input', { id, name: id, ...attrs, 'aria-describedby': hint ? `${id}-hint` : null }),
    hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

export async function connectLinkPage() {
  const data = await api.get('integrations');
  const choices = el('fieldset', { class: 'choices' }, el('legend', {}, 'Integrations the admin may connect'),
    data.integrations.map(i => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'integration', value: i.unique_key }), ` ${i.display_name} `,
      el('code', {}, i.unique_key))),
    el('p', { class: 'hint' }, 'None ticked: any integration.'));
  const result = el('div', { id: 'link-result' });
  const form = el('form', { class: 'card form', id: 'connect-link-form' },
    field('end_user_id', 'End user id', { type: 'text', required: true, placeholder: 'user-42' }, 'Your app\u2019s id for the person connecting.'),
    field('email', 'Email', { type: 'email', placeholder: 'admin@contoso.com' }),
    field('display_name', 'Name', { type: 'text', placeholder: 'Ann Admin' }),
    field('organization_id', 'Organization id', { type: 'text', placeholder: 'org-contoso' }),
    field('organization_name', 'Organization name', { type: 'text', placeholder: 'Contoso' }),
    choices,
    el('button', { type: 'submit', class: 'primary' }, 'Create connect link'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = (id) => form.querySelector(`#${id}`).value.trim();
    if (!v('end_user_id')) {
      result.replaceChildren(notice('error', 'Enter the end user id.'));
      return;
    }
    try {
      const s = await api.post('connect-sessions', {
        end_user_id: v('end_user_id'), email: v('email'), display_name: v('display_name'), organization_id: v('organization_id'),
        organization_name: v('organization_name'), allowed_integrations: [...form.querySelectorAll('input[name=integration]:checked')].map(c => c.value),
      });
      const input = el('input', { id: 'connect-link', type: 'text', readonly: true, value: s.connect_link, class: 'mono' });
      result.replaceChildren(el('div', { class: 'card' },
        el('label', { for: 'connect-link' }, 'Connect link'), input,
        el('p', { class: 'hint' }, `Works until ${when(s.expires_at)}. Send it to the customer\u2019s admin; it shows the Connect UI.`),
        el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'secondary', onclick: async () => { input.select(); try { await navigator.clipboard.writeText(s.connect_link); announce('Link copied'); } catch { announce('Select the link and copy it'); } } }, 'Copy'),
          el('a', { href: s.connect_link, class: 'button secondary', target: '_blank', rel: 'noopener' }, 'Open'))));
      announce('Connect link created');
    } catch (e) {
      result.replaceChildren(notice('error', e.message));
    }
  });
  show('Connect link', el('div', { class: 'two' }, form, result), 'connect-link');
}
