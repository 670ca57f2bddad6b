// The dashboard: a sign-in screen, then pages chosen by the URL's hash (#/connections, #/connections/<key>/<id>, ...).
import * as api from './api.js';
import { el, announce } from './dom.js';
import { show, failed } from './page.js';
import { connectionsPage, connectionPage } from './connections.js';
import { integrationsPage } from './integrations.js';
import { logsPage } from './logs.js';
import { explorerPage } from './explorer.js';
import { connectLinkPage } from './connect-link.js';

let stopPage = null;

function signInScreen(message) {
  stop();
  document.getElementById('nav').hidden = true;
  document.getElementById('signout').hidden = true;
  const input = el('input', { id: 'credential', type: 'password', name: 'credential', autocomplete: 'current-password', required: true });
  const error = el('p', { class: 'field-error', id: 'signin-error', role: 'alert' }, message || '');
  const form = el('form', { class: 'card signin', id: 'signin', novalidate: true },
    el('p', { class: 'lead' }, 'Sign in with one of the server\u2019s secret keys or the dashboard password.'),
    el('label', { for: 'credential' }, 'Secret key or dashboard password'),
    input, error,
    el('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    if (!input.value) {
      error.textContent = 'Enter the secret key or the dashboard password.';
      input.focus();
      return;
    }
    try {
      await api.signIn(input.value);
      signedIn();
    } catch (e) {
      error.textContent = e.message;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'signin-error');
      input.focus();
    }
  });
  show('Sign in', form, null);
  input.focus();
}

function signedIn() {
  document.getElementById('nav').hidden = false;
  document.getElementById('signout').hidden = false;
  if (!location.hash || location.hash === '#/') location.hash = '#/connections';
  else route();
}

function stop() {
  if (stopPage) stopPage();
  stopPage = null;
}

/** Runs the page the hash names; a page may answer a function that stops its live refresh. */
async function route() {
  stop();
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const pages = {
    connections: () => parts.length >= 3 ? connectionPage(parts[1], parts.slice(2).join('/')) : connectionsPage(),
    integrations: integrationsPage,
    logs: logsPage,
    explorer: explorerPage,
    'connect-link': connectLinkPage,
  };
  const page = pages[parts[0]] || pages.connections;
  try {
    const stopper = await page();
    if (typeof stopper === 'function') stopPage = stopper;
    document.getElementById('main').focus({ preventScroll: true });
  } catch (e) {
    failed(e);
  }
}

async function start() {
  document.getElementById('signout').addEventListener('click', async () => {
    try { await api.signOut(); } catch { /* signed out either way */ }
    announce('Signed out');
    signInScreen();
  });
  window.addEventListener('graphgate:signed-out', () => signInScreen('Your session ended: sign in again.'));
  window.addEventListener('hashchange', () => { if (!document.getElementById('nav').hidden) route(); });
  const s = await api.session();
  if (s) signedIn();
  else signInScreen();
}

start().catch(failed);
