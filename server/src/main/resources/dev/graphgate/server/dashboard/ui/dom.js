// DOM without HTML strings: every value is set as text or as an attribute, so nothing is ever parsed as markup.

/** An element `tag` with `attributes` and `children` (strings become text; null, undefined and '' are skipped). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === '' || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return node;
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
