// DOM without HTML strings: every value is set as text or as an attribute, so nothing is ever parsed as markup.

/** An element `tag` with `attributes` and `children` (strings become text; null, undefined and '' are skipped). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on') && typeof value === 'function') listen(node, name.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === '' || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return node;
}

// Handlers are kept on the node and called through one listener per event, so patch() can hand a kept node the
// handlers of the node that replaces it (they close over the newer data).
function listen(node, type, handler) {
  if (!node.handlers) node.handlers = {};
  if (!node.handlers[type]) node.addEventListener(type, (ev) => node.handlers[type](ev));
  node.handlers[type] = handler;
}

/**
 * Makes the children of `target` what the children of `source` are, changing only what differs: a node of the same
 * kind (and `id`, or `data-key`) in the same place is kept and updated in place, so the focused button, a text
 * selection and the scroll position of a table survive a redraw. `source` is left empty.
 */
export function patch(target, source) {
  const next = [...source.childNodes];
  const current = [...target.childNodes];
  next.forEach((n, i) => {
    const old = current[i];
    if (old && same(old, n)) {
      update(old, n);
    } else if (old) {
      target.replaceChild(n, old);
    } else {
      target.append(n);
    }
  });
  for (let i = next.length; i < current.length; i++) current[i].remove();
}

function same(a, b) {
  if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
  if (a.nodeType !== Node.ELEMENT_NODE) return true;
  return a.id === b.id && a.getAttribute('data-key') === b.getAttribute('data-key');
}

function update(old, n) {
  if (old.nodeType !== Node.ELEMENT_NODE) {
    if (old.nodeValue !== n.nodeValue) old.nodeValue = n.nodeValue;
    return;
  }
  for (const a of [...old.attributes]) if (!n.hasAttribute(a.name)) old.removeAttribute(a.name);
  for (const a of [...n.attributes]) if (old.getAttribute(a.name) !== a.value) old.setAttribute(a.name, a.value);
  // Properties the attributes do not drive once the element is live.
  if ('value' in n && old.value !== n.value && old !== document.activeElement) old.value = n.value;
  if ('disabled' in n) old.disabled = n.disabled;
  for (const [type, handler] of Object.entries(n.handlers || {})) listen(old, type, handler);
  patch(old, n);
}

/** Time as the operator reads it: local date and time, to the second. */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A time in a table: month, day and time to the second, on one line. */
export function stamp(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return el('span', { class: 'nowrap', title: d.toISOString() },
    d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }));
}

/** How far `iso` is from now, in words: "in 52 min", "3 h ago". */
export function relative(iso) {
  if (!iso) return '';
  const s = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const a = Math.abs(s);
  const text = a < 60 ? `${a} s` : a < 3600 ? `${Math.round(a / 60)} min` : a < 172800 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86400)} days`;
  return s >= 0 ? `in ${text}` : `${text} ago`;
}

/** A status badge: `kind` picks its colour (ok, warn, error, info, muted). */
export function badge(text, kind) {
  return el('span', { class: `badge ${kind}` }, text);
}

export function connectionStatusKind(status) {
  if (status === 'ok') return 'ok';
  if (status === 'pending' || status === 'transient') return 'warn';
  return 'error';
}

export function httpKind(status) {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429 || (status >= 300 && status < 500 && status !== 401 && status !== 403 && status !== 404)) return 'warn';
  return 'error';
}

/** A definition list of [label, value] pairs; values may be nodes. */
export function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(p => p).map(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '—')]));
}

/** A table with a caption (for screen readers), `headers` and rows of cells (strings or nodes). */
export function table(caption, headers, rows, empty) {
  if (rows.length === 0) return el('p', { class: 'empty' }, empty);
  // Focusable, so a table wider than the window can be scrolled from the keyboard.
  return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption }, el('table', {},
    el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map(r => el('tr', {}, r.map(c => el('td', {}, c)))))));
}

export function announce(text) {
  const s = document.getElementById('status');
  s.textContent = '';
  setTimeout(() => { s.textContent = text; }, 30);
}
