// What every page uses: showing itself, saying a failure, and polling while a person watches.
import { ApiError } from './api.js';
import { el } from './dom.js';

/** Shows a page: its title, its content, and which link of the navigation is current. */
export function show(title, content, page) {
  document.getElementById('title').textContent = title;
  document.title = `${title} · Graphgate`;
  document.getElementById('view').replaceChildren(content);
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/** A failure the page could not get past, said in the page; a session that ended goes back to sign-in. */
export function failed(e) {
  if (e instanceof ApiError && e.code === 'dashboard_sign_in_required') {
    window.dispatchEvent(new Event('graphgate:signed-out'));
    return;
  }
  document.getElementById('view').replaceChildren(el('div', { class: 'notice error', role: 'alert' }, e.message));
}

/** A notice inside a page (an action's outcome): `kind` ok or error. */
export function notice(kind, text) {
  return el('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/**
 * Calls `tick` every `ms` while `keepGoing()` says so and the page is shown; answers the function that stops it.
 * Polling is how pages refresh live: a running sync, a connection waiting for its admin's consent.
 */
export function poll(tick, ms, keepGoing = () => true) {
  let stopped = false;
  let timer = null;
  const loop = async () => {
    if (stopped) return;
    if (keepGoing()) {
      try { await tick(); } catch (e) { failed(e); stopped = true; return; }
    }
    if (!stopped) timer = setTimeout(loop, ms);
  };
  timer = setTimeout(loop, ms);
  return () => { stopped = true; clearTimeout(timer); };
}
