// The Connect UI. In a frame of the app (opened by @nangohq/frontend's openConnectUI) it speaks Nango's protocol with
// its parent: it posts `ready`, takes the session token from a `session_token` message, and posts `connect`, `error`
// and `close`. Opened from a connect link it reads the token from `?session_token=`. Either way it then calls
// Graphgate's API with the session token: the session, the allowed integrations, the provider's fields, and the
// creation endpoint (or the admin-consent onboarding).

import { el } from './dom.js';
import { buildForm, fieldsOf } from './form.js';
import { failureFor } from './failures.js';
import { GUIDES } from './guides.js';

const query = new URLSearchParams(location.search);
const embedded = window.parent !== window;
const TOKEN_WAIT_MS = 10000;

const ui = {
  title: document.getElementById('title'),
  view: document.getElementById('view'),
  context: document.getElementById('context'),
  back: document.getElementById('back'),
  close: document.getElementById('close'),
  status: document.getElementById('status'),
  dialog: document.getElementById('dialog'),
};

const state = {
  token: null,
  api: null,
  session: null,
  integrations: [],
  integration: null,
  provider: null,
  form: null,
  busy: false,
  finished: false,
  consent: null,
};

// ---- talking to the parent ---------------------------------------------------------------------------------------

function emit(event) {
  if (!embedded) return;
  // Nango posts to any origin; where the browser names the embedding page's origin, only that page gets it.
  const target = location.ancestorOrigins && location.ancestorOrigins.length ? location.ancestorOrigins[0] : '*';
  window.parent.postMessage(event, target);
}

function emitError(errorType, errorMessage) {
  emit({ type: 'error', payload: { errorType, errorMessage } });
}

function close() {
  if (state.busy) return;
  beacon('click:close');
  if (embedded) {
    emit({ type: 'close' });
    return;
  }
  window.close();
  // A tab the admin opened from a link cannot be closed by the page.
  show('You can close this tab', [el('p', { class: 'lead' }, 'Nothing more to do here.')], { back: false, closable: false });
}

// ---- the API -----------------------------------------------------------------------------------------------------

function apiUrl() {
  const given = query.get('apiURL');
  let url;
  try {
    url = new URL(given || '..', location.href);
  } catch {
    return null;
  }
  // The page may send its session token to Graphgate only (its policy allows no other host anyway).
  if (url.origin !== location.origin) return null;
  return url.href.replace(/\/+$/, '');
}

/** One API call with the session token: {ok, status, body} or {ok: false, status, error}. Only 200 is success, as in Nango. */
async function api(method, path, body, tokenInQuery) {
  const headers = { Accept: 'application/json' };
  if (!tokenInQuery) headers.Authorization = `Bearer ${state.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(state.api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit',
      cache: 'no-store' });
  } catch {
    return { ok: false, status: 0, error: { code: 'network_error', message: 'This service could not be reached. Check your connection and try again.' } };
  }
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  if (res.status === 200) return { ok: true, status: 200, body: json };
  return { ok: false, status: res.status, error: json && json.error ? json.error : { code: 'unknown_error', message: `The service answered ${res.status}.` } };
}

function beacon(event, dimensions) {
  if (!state.token || !navigator.sendBeacon) return;
  try {
    const body = JSON.stringify({ token: state.token, event, timestamp: new Date().toISOString(), dimensions: dimensions || {} });
    navigator.sendBeacon(`${state.api}/connect/telemetry`, new Blob([body], { type: 'application/json' }));
  } catch {
    // Telemetry never stands in the admin's way.
  }
}

// ---- views -------------------------------------------------------------------------------------------------------

function announce(text) {
  ui.status.textContent = '';
  // A fresh text node makes screen readers read it even when it repeats.
  window.setTimeout(() => {
    ui.status.textContent = text;
  }, 50);
}

/** Replaces the view: heading `title`, content `nodes`; focus moves to the heading so a screen reader reads it. */
function show(title, nodes, options = {}) {
  ui.title.textContent = title;
  document.title = `${title} \u2013 Connect`;
  ui.view.replaceChildren(...nodes);
  ui.view.dataset.screen = options.screen || '';
  document.documentElement.dataset.screen = options.screen || '';
  ui.back.hidden = !options.back;
  ui.close.hidden = options.closable === false;
  if (options.focus) options.focus.focus();
  else ui.title.focus();
}

function loading(text) {
  show('Loading', [el('div', { class: 'spinner', 'aria-hidden': 'true' }), el('p', { class: 'lead' }, text)], { screen: 'loading' });
}

function button(text, onClick, kind = 'primary') {
  const b = el('button', { type: 'button', class: `button ${kind}` }, text);
  b.addEventListener('click', onClick);
  return b;
}

function problem(title, text, screen) {
  show(title, [el('p', { class: 'lead' }, text)], { screen });
}

function sessionFailed(result) {
  if (result.status === 401) {
    show('This session has expired', [
      el('p', { class: 'lead' }, 'The link or page you used to connect is no longer valid: connect sessions last a short while, for safety.'),
      el('p', {}, embedded ? 'Close this window and start connecting again from the app.' : 'Ask whoever sent you the link for a new one.'),
    ], { screen: 'expired' });
    emitError(result.error.code, result.error.message);
    return;
  }
  problem('Something went wrong', result.error.message, 'problem');
  emitError(result.error.code, result.error.message);
}

// ---- start -------------------------------------------------------------------------------------------------------

function applyTheme(theme) {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

async function begin(token) {
  state.token = token;
  loading('Getting your connection ready\u2026');
  const session = await api('GET', '/connect/session');
  if (!session.ok) {
    sessionFailed(session);
    return;
  }
  state.session = session.body.data || {};
  if (!query.get('theme')) applyTheme(state.session.connectUISettings?.defaultTheme);
  const list = await api('GET', '/integrations');
  if (!list.ok) {
    sessionFailed(list);
    return;
  }
  const allowed = state.session.allowed_integrations;
  state.integrations = (list.body.data || []).filter((i) => !allowed || allowed.includes(i.unique_key));
  beacon('open');
  if (state.integrations.length === 0) {
    problem('Nothing to connect', 'This session allows no integration that exists. Ask the app for a new link.', 'problem');
    return;
  }
  if (state.integrations.length === 1) {
    await select(state.integrations[0]);
    return;
  }
  showList();
}

function showList() {
  state.integration = null;
  state.consent = null;
  ui.context.textContent = '';
  beacon('view:list');
  const items = state.integrations.map((i) => {
    const b = el('button', { type: 'button', class: 'choice' },
      el('img', { src: i.logo, alt: '', width: '32', height: '32' }),
      el('span', { class: 'name' }, i.display_name || i.unique_key),
      el('span', { class: 'chevron', 'aria-hidden': 'true' }, '\u203a'));
    b.addEventListener('click', () => {
      beacon('click:integration', { integration: i.unique_key });
      select(i);
    });
    return el('li', {}, b);
  });
  show('Choose what to connect', [el('p', { class: 'lead' }, 'Connect your organization\u2019s Microsoft 365 tenant.'),
    el('ul', { class: 'choices' }, ...items)], { screen: 'list' });
}

function docsUrlFor(key, provider) {
  const override = state.session?.overrides?.[key]?.docs_connect;
  return (section) => {
    if (override) return override;
    if (!provider.docs_connect) return null;
    return provider.docs_connect + (section || '');
  };
}

async function select(integration) {
  state.integration = integration;
  loading('Loading the form\u2026');
  const provider = await api('GET', `/providers/${encodeURIComponent(integration.provider)}`);
  if (!provider.ok) {
    sessionFailed(provider);
    return;
  }
  state.provider = provider.body.data;
  state.form = null;
  beacon('view:integration', { integration: integration.unique_key });
  showForm();
}

function reconnecting() {
  return state.session?.isReconnecting === true;
}

/** The form of the selected integration; built once, so going back to it after a failure keeps what was typed. */
function formOf(integration, provider) {
  if (state.form) return state.form;
  const fields = fieldsOf(provider, integration.unique_key, state.session);
  const docs = docsUrlFor(integration.unique_key, provider);
  const form = buildForm(fields, docs, () => {});
  const submit = el('button', { type: 'submit', class: 'button primary' }, reconnecting() ? 'Reconnect' : 'Connect');
  const permissions = el('details', { class: 'guide permissions' }, el('summary', {}, GUIDES.permissions.summary),
    el('ol', {}, ...GUIDES.permissions.steps.map((s) => el('li', {}, s))));
  const generalDocs = docs(null);
  if (generalDocs) permissions.append(el('p', {}, el('a', { href: generalDocs, target: '_blank', rel: 'noopener noreferrer' }, 'Open the setup guide (new tab)')));
  form.element.append(permissions, el('div', { class: 'actions' }, submit));
  form.element.addEventListener('submit', (e) => {
    e.preventDefault();
    connect(submit);
  });
  state.form = form;
  return form;
}

function showForm(focusField) {
  const integration = state.integration;
  const provider = state.provider;
  const name = integration.display_name || provider.display_name;
  ui.context.textContent = name;
  const form = formOf(integration, provider);

  const nodes = [];
  const lead = reconnecting()
    ? 'Enter the new details of your app registration: they replace those of the existing connection.'
    : 'Enter the details of your organization\u2019s app registration in Microsoft Entra. Each field says where to find it.';
  if (integration.admin_consent && !reconnecting()) {
    nodes.push(consentOffer(name));
    const own = el('details', { class: 'own-app' }, el('summary', {}, 'Or connect with your own app registration'), el('p', { class: 'lead' }, lead),
      form.element);
    nodes.push(own);
  } else {
    nodes.push(el('p', { class: 'lead' }, lead));
    nodes.push(form.element);
  }
  show(reconnecting() ? `Reconnect ${name}` : `Connect ${name}`, nodes, { back: state.integrations.length > 1, screen: 'form' });
  if (focusField) form.fieldError(focusField.name, focusField.message);
}

// ---- connecting with the form ------------------------------------------------------------------------------------

function setBusy(busy, submit) {
  state.busy = busy;
  state.form.setBusy(busy);
  state.form.element.setAttribute('aria-busy', String(busy));
  if (submit) {
    submit.classList.toggle('working', busy);
    submit.textContent = busy ? 'Connecting\u2026' : reconnecting() ? 'Reconnect' : 'Connect';
  }
  ui.back.disabled = busy;
  ui.close.disabled = busy;
}

async function connect(submit) {
  if (state.busy) return;
  await state.form.settled();
  const first = state.form.validate();
  if (first) {
    announce('Some fields need attention.');
    first.focus();
    return;
  }
  const key = state.integration.unique_key;
  const { params, credentials } = state.form.values();
  const certificate = state.provider.auth_mode === 'TWO_STEP';
  let path = `${certificate ? '/auth/two-step/' : '/oauth2/auth/'}${encodeURIComponent(key)}?connect_session_token=${state.token}`;
  for (const [k, v] of Object.entries(params)) path += `&${encodeURIComponent(`params[${k}]`)}=${encodeURIComponent(v)}`;
  const body = certificate ? { ...credentials, type: 'TWO_STEP' }
    : { client_id: credentials.client_id, client_secret: credentials.client_secret };
  if (certificate && !body.certificate) delete body.certificate;
  beacon('click:connect', { integration: key });
  setBusy(true, submit);
  announce('Connecting to Microsoft\u2026');
  const result = await api('POST', path, body, true);
  setBusy(false, submit);
  const context = { certificate, tenantId: params.tenantId, clientId: credentials.client_id || credentials.clientId };
  if (result.ok) {
    succeeded(result.body, context.tenantId);
    return;
  }
  if (result.status === 401) {
    sessionFailed(result);
    return;
  }
  failed(result.error, context);
}

function succeeded(answer, tenantId) {
  state.finished = true;
  beacon('view:success', { integration: answer.providerConfigKey });
  const name = state.integration.display_name || state.provider?.display_name || state.integration.unique_key;
  const finish = button('Finish', close);
  const done = embedded ? 'You can go back to the app.' : 'You can close this tab.';
  show(reconnecting() ? 'Reconnected' : 'Connected', [
    el('div', { class: 'badge ok', 'aria-hidden': 'true' }, '\u2713'),
    el('p', { class: 'lead' }, `${name} is connected${tenantId ? ` to tenant ${tenantId}` : ''}. ${done}`),
    el('div', { class: 'actions' }, finish),
  ], { screen: 'success', focus: undefined });
  emit({ type: 'connect', payload: { providerConfigKey: answer.providerConfigKey, connectionId: answer.connectionId } });
}

function failed(error, context, retry) {
  beacon('view:credentials_error', { integration: state.integration?.unique_key });
  const f = failureFor(error, context);
  const nodes = [el('div', { class: 'badge bad', 'aria-hidden': 'true' }, '!'), el('p', { class: 'lead' }, f.lead)];
  if (f.steps.length) nodes.push(el('ol', { class: 'steps' }, ...f.steps.map((s) => el('li', {}, s))));
  if (f.link) {
    nodes.push(el('p', {}, el('a', { class: 'button secondary', href: f.link.href, target: '_blank', rel: 'noopener noreferrer' }, f.link.text)));
  }
  if (error?.message) {
    nodes.push(el('details', { class: 'details' }, el('summary', {}, 'Details'), el('p', {}, error.message),
      el('p', { class: 'meta' }, `Code: ${error.code}${error.payload?.status ? `, status: ${error.payload.status}` : ''}`)));
  }
  const again = button('Try again', retry || (() => showForm(f.field ? { name: f.field, message: f.title } : undefined)));
  nodes.push(el('div', { class: 'actions' }, again, button('Close', close, 'secondary')));
  show(f.title, nodes, { screen: 'failure', back: false });
  emitError(error?.code || 'unknown_error', error?.message || f.title);
}

// ---- admin consent -----------------------------------------------------------------------------------------------

function consentOffer(name) {
  const id = 'consent-tenant';
  const tenant = el('input', { id, type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', placeholder: 'contoso.onmicrosoft.com',
    'aria-describedby': `${id}-hint` });
  const go = button('Grant access as an administrator', () => grantConsent(tenant.value.trim(), go));
  const note = el('p', { class: 'note', id: 'consent-note' });
  return el('section', { class: 'consent', 'aria-labelledby': 'consent-heading' },
    el('h2', { id: 'consent-heading' }, 'Grant access as an administrator'),
    el('p', {}, `Sign in to Microsoft as an administrator of your organization and accept the permissions ${name} asks for. Nothing to copy or create.`),
    el('div', { class: 'field' }, el('label', { for: id }, 'Your organization\u2019s domain or tenant ID', el('span', { class: 'optional' }, ' (optional)')),
      el('p', { class: 'hint', id: `${id}-hint` }, 'Leave it empty to choose on Microsoft\u2019s page.'), tenant),
    el('div', { class: 'actions' }, go), note);
}

async function grantConsent(tenant, go) {
  if (state.consent) return;
  // The window opens now, while the click still counts as the admin's: a window opened after waiting for the API
  // would be blocked by the browser.
  const popup = window.open('', 'graphgate-admin-consent', 'popup,width=560,height=720');
  go.disabled = true;
  const note = document.getElementById('consent-note');
  note.textContent = 'Opening Microsoft\u2019s page\u2026';
  const body = { integration: state.integration.unique_key };
  if (tenant) body.tenant = tenant;
  const result = await api('POST', '/connect/admin-consent', body);
  if (!result.ok) {
    if (popup) popup.close();
    go.disabled = false;
    note.textContent = '';
    if (result.status === 401) sessionFailed(result);
    else failed(result.error, { consent: true }, () => showForm());
    return;
  }
  const url = result.body.data.url;
  const consent = { popup, done: false, timer: null, listener: null };
  state.consent = consent;
  consent.listener = (event) => {
    if (event.origin !== location.origin || (popup && event.source !== popup)) return;
    const data = event.data;
    if (!data || data.type !== 'graphgate:admin_consent' || !data.result) return;
    finishConsent(consent);
    if (popup && !popup.closed) popup.close();
    if (data.result.ok) succeeded({ providerConfigKey: data.result.providerConfigKey, connectionId: data.result.connectionId });
    else failed({ code: data.result.errorType, message: data.result.errorMessage }, { consent: true }, () => showForm());
  };
  window.addEventListener('message', consent.listener);
  if (!popup) {
    beacon('popup:blocked_by_browser');
    note.replaceChildren('Your browser blocked the window. ',
      el('a', { href: url, target: '_blank', rel: 'opener' }, 'Open Microsoft\u2019s page'), ' to continue.');
    emitError('blocked_by_browser', 'The browser blocked the window of Microsoft\u2019s consent page.');
    return;
  }
  popup.location.href = url;
  note.textContent = 'Waiting for the administrator on Microsoft\u2019s page\u2026';
  announce('Microsoft\u2019s page opened in a new window.');
  consent.timer = window.setInterval(() => {
    if (!popup.closed || consent.done) return;
    // The page posts its answer before it can be closed; give that message its turn before calling it closed early.
    window.setTimeout(() => {
      if (consent.done) return;
      finishConsent(consent);
      beacon('popup:closed_early');
      go.disabled = false;
      note.textContent = 'The window was closed before an answer. Nothing was changed.';
      if (query.get('detectClosedAuthWindow') === 'true') emitError('window_closed', 'The consent window was closed before an answer.');
    }, 300);
  }, 500);
}

function finishConsent(consent) {
  consent.done = true;
  window.clearInterval(consent.timer);
  window.removeEventListener('message', consent.listener);
  state.consent = null;
}

// ---- keyboard ----------------------------------------------------------------------------------------------------

function focusable() {
  return Array.from(ui.dialog.querySelectorAll('a[href], button, input, textarea, select, summary, [tabindex]:not([tabindex="-1"])'))
    .filter((x) => !x.disabled && x.offsetParent !== null);
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !e.defaultPrevented) {
    close();
  } else if (e.key === 'Tab') {
    // Focus stays inside the dialog, as in any modal.
    const items = focusable();
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && (document.activeElement === first || document.activeElement === ui.title)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }
});

// ---- boot --------------------------------------------------------------------------------------------------------

function boot() {
  document.documentElement.dataset.mode = embedded ? 'embedded' : 'standalone';
  applyTheme(query.get('theme'));
  ui.close.addEventListener('click', close);
  ui.back.addEventListener('click', () => {
    if (!state.busy) showList();
  });
  state.api = apiUrl();
  if (!state.api) {
    problem('This page was opened with a wrong address', 'Its apiURL must be this service\u2019s own address. Tell the app\u2019s developers.', 'problem');
    emitError('invalid_host_url', 'apiURL must be the address of the Graphgate that serves this page.');
    return;
  }
  const fromUrl = query.get('session_token');
  if (fromUrl) {
    begin(fromUrl);
  }
  if (embedded) {
    const timer = window.setTimeout(() => {
      if (!state.token) {
        problem('No session', 'The app did not hand this page a connect session. Close it and start connecting again.', 'problem');
        emitError('missing_connect_session_token', 'No session token was received.');
      }
    }, TOKEN_WAIT_MS);
    window.addEventListener('message', (event) => {
      if (event.source !== window.parent) return;
      const data = event.data;
      if (!data || typeof data !== 'object' || data.type !== 'session_token' || typeof data.sessionToken !== 'string') return;
      window.clearTimeout(timer);
      if (data.sessionToken !== state.token && !state.finished) begin(data.sessionToken);
    });
    emit({ type: 'ready' });
  } else if (!fromUrl) {
    problem('No session', 'This page is opened from a connect link, which carries a session. Ask for a new link.', 'problem');
  }
}

boot();
