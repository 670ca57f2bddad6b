// The connection form, built from the provider's definition (GET /providers/{provider}): its connection_config and
// credentials fields, ordered and validated as the admin types. Values never go into the page's URL or HTML.

import { readCredentials } from './certificate.js';
import { guideFor, GUIDES } from './guides.js';
import { el } from './dom.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const NIL_OR_MAX = /^(0{8}-0{4}-0{4}-0{4}-0{12}|f{8}-f{4}-f{4}-f{4}-f{12})$/i;
const GUID_SHAPE = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';

export function isUuid(value) {
  return UUID.test(value) || NIL_OR_MAX.test(value);
}

/** True while `value` can still become a GUID as the admin goes on typing. */
function couldBecomeGuid(value) {
  if (value.length > GUID_SHAPE.length) return false;
  for (let i = 0; i < value.length; i++) {
    const dash = GUID_SHAPE[i] === '-';
    if (dash ? value[i] !== '-' : !/[0-9a-f]/i.test(value[i])) return false;
  }
  return true;
}

function clean(value) {
  return value.trim().replace(/^\{(.*)\}$/, '$1');
}

/**
 * The fields of `provider` for the integration `key`, in Nango's order: connection config fields by their `order`,
 * then credential fields from 100 up. Microsoft client ids are GUIDs, so the client id is checked as one.
 */
export function fieldsOf(provider, key, session) {
  const fields = [];
  const presets = session?.integrations_config_defaults?.[key]?.connection_config || {};
  for (const [name, def] of Object.entries(provider.connection_config || {})) {
    if (def.automated) continue;
    fields.push({ name, target: 'param', title: def.title || name, description: def.description || '', format: def.format, example: def.example,
      optional: def.optional === true, docSection: def.doc_section, order: def.order ?? 1000, secret: def.secret === true,
      preset: typeof presets[name] === 'string' ? presets[name] : undefined });
  }
  let order = 100;
  if (provider.auth_mode === 'OAUTH2_CC') {
    fields.push({ name: 'client_id', target: 'credential', title: 'Client ID', description: 'The Application (client) ID of your app registration.',
      format: 'uuid', example: '11112222-bbbb-3333-cccc-4444dddd5555', order: order++ });
    fields.push({ name: 'client_secret', target: 'credential', title: 'Client Secret', description: 'The Value of a client secret of that app.',
      secret: true, order: order++ });
  }
  const credentials = provider.credentials || {};
  for (const [name, def] of Object.entries(credentials)) {
    if (def.automated) continue;
    if (provider.auth_mode === 'TWO_STEP' && (name === 'privateKey' || name === 'certificateThumbprint')) {
      if (!fields.some((f) => f.kind === 'certificate')) {
        fields.push({ name: 'certificate', kind: 'certificate', target: 'credential', title: 'Certificate and private key',
          docSection: credentials.privateKey?.doc_section, order: order++ });
      }
      continue;
    }
    fields.push({ name, target: 'credential', title: def.title || name, description: def.description || '', format: def.format,
      example: def.example, optional: def.optional === true, docSection: def.doc_section, order: order++, secret: def.secret === true });
  }
  return fields.sort((a, b) => a.order - b.order);
}

/** What is wrong with `value` for `field` (null when it is right). `typing`: the admin is still typing it. */
export function problemOf(field, value, typing) {
  const v = clean(value);
  if (v === '') {
    if (field.optional) return null;
    return typing ? null : `Enter the ${field.title}.`;
  }
  if (field.format === 'uuid' && !isUuid(v)) {
    if (typing && couldBecomeGuid(v)) return null;
    if (field.name === 'tenantId' && v.includes('.')) {
      return 'Enter the tenant ID, a GUID, not a domain name. The Overview page of the Microsoft Entra admin center shows it.';
    }
    return `A ${field.title} is a GUID: 32 hexadecimal digits in groups of 8-4-4-4-12, such as ${field.example || GUID_SHAPE}.`;
  }
  if (field.name === 'client_secret' && isUuid(v)) {
    return 'This is a secret\u2019s ID, not the secret. Copy the Value column of the secret instead (shown once, when it was created).';
  }
  if (field.name === 'oauth_scopes' && !/^\S+\/\.default$/.test(v)) {
    return typing ? null : 'For app-only access the scope is one resource followed by /.default, such as https://graph.microsoft.com/.default.';
  }
  if (field.format === 'uri') {
    try {
      new URL(v);
    } catch {
      return `The ${field.title} must be a URL.`;
    }
  }
  return null;
}

let ids = 0;

/** A guide disclosure: the steps, and the setup guide's link when there is one. */
function guide(g, docsUrl) {
  if (!g && !docsUrl) return null;
  const list = el('ol');
  (g?.steps || []).forEach((s) => list.append(el('li', {}, s)));
  const details = el('details', { class: 'guide' }, el('summary', {}, g?.summary || 'Help'), list);
  if (docsUrl) {
    details.append(el('p', {}, el('a', { href: docsUrl, target: '_blank', rel: 'noopener noreferrer' }, 'Open the setup guide (new tab)')));
  }
  return details;
}

/**
 * The form for `fields`. Answers the controller the page drives: `element`, `validate()` (shows every problem, answers
 * the first field with one), `values()` ({params, credentials} as the creation endpoints take them), `fieldError(name,
 * message)`, `setBusy(flag)`.
 */
export function buildForm(fields, docsUrl, onChange) {
  const form = el('form', { class: 'form', novalidate: '' });
  const controls = [];
  let submitted = false;

  for (const field of fields) {
    const id = `f${++ids}`;
    const url = docsUrl(field.docSection);
    if (field.preset !== undefined) {
      controls.push({ field, value: () => field.preset, check: () => null, show() {}, focus() {} });
      continue;
    }
    if (field.kind === 'certificate') {
      controls.push(certificateControl(field, id, url, form, () => submitted, onChange));
      continue;
    }
    const hint = el('p', { class: 'hint', id: `${id}-hint` }, field.description);
    const error = el('p', { class: 'error', id: `${id}-error` });
    const input = el('input', { id, name: field.name, type: field.secret ? 'password' : 'text', autocomplete: 'off', spellcheck: 'false',
      autocapitalize: 'off', 'aria-describedby': `${id}-hint ${id}-error` });
    if (!field.optional) input.setAttribute('aria-required', 'true');
    if (field.example && !field.secret) input.placeholder = field.example;
    if (field.name === 'oauth_scopes' && !input.value) input.value = 'https://graph.microsoft.com/.default';
    const label = el('label', { for: id }, field.title, field.optional ? el('span', { class: 'optional' }, ' (optional)') : '');
    const row = el('div', { class: 'input-row' }, input);
    if (field.secret) {
      const toggle = el('button', { type: 'button', class: 'reveal', 'aria-pressed': 'false', 'aria-controls': id }, 'Show');
      toggle.setAttribute('aria-label', `Show the ${field.title}`);
      toggle.addEventListener('click', () => {
        const shown = input.type === 'text';
        input.type = shown ? 'password' : 'text';
        toggle.textContent = shown ? 'Show' : 'Hide';
        toggle.setAttribute('aria-pressed', String(!shown));
        toggle.setAttribute('aria-label', `${shown ? 'Show' : 'Hide'} the ${field.title}`);
      });
      row.append(toggle);
    }
    const wrapper = el('div', { class: 'field', 'data-field': field.name }, label, field.description ? hint : '', row, error);
    if (!field.description) input.setAttribute('aria-describedby', `${id}-error`);
    const g = guide(guideFor(field.name), url);
    if (g) wrapper.append(g);
    form.append(wrapper);

    let touched = false;
    const control = {
      field,
      value: () => clean(input.value),
      check: (typing) => problemOf(field, input.value, typing),
      show(message) {
        error.textContent = message || '';
        if (message) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      },
      focus: () => input.focus(),
    };
    input.addEventListener('input', () => {
      control.show(control.check(!(touched || submitted)));
      onChange();
    });
    input.addEventListener('blur', () => {
      if (input.value !== '' || submitted) {
        touched = true;
        control.show(control.check(false));
      }
    });
    controls.push(control);
  }

  return {
    element: form,
    validate() {
      submitted = true;
      let first = null;
      for (const c of controls) {
        const problem = c.check(false);
        c.show(problem);
        if (problem && !first) first = c;
      }
      return first;
    },
    values() {
      const params = {};
      const credentials = {};
      for (const c of controls) {
        if (c.field.kind === 'certificate') Object.assign(credentials, c.value());
        else (c.field.target === 'param' ? params : credentials)[c.field.name] = c.value();
      }
      return { params, credentials };
    },
    fieldError(name, message) {
      const c = controls.find((x) => x.field.name === name || (x.field.kind === 'certificate' && name === 'privateKey'));
      if (!c) return false;
      c.show(message);
      c.focus();
      return true;
    },
    /** Settles once the files chosen so far are read. */
    settled: () => Promise.all(controls.map((c) => (c.reading ? c.reading() : null))),
    hasField: (name) => controls.some((c) => c.field.name === name),
    valueOf: (name) => controls.find((c) => c.field.name === name)?.value(),
    setBusy(busy) {
      form.querySelectorAll('input, textarea, button, select').forEach((x) => {
        x.disabled = busy;
      });
    },
  };
}

function dateWords(d) {
  return d.toLocaleDateString('en', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

/** The certificate field: files or pasted PEM, a PFX's password, and what was found in them, thumbprint included. */
function certificateControl(field, id, docsUrl, form, submitted, onChange) {
  const error = el('p', { class: 'error', id: `${id}-error` });
  const hint = el('p', { class: 'hint', id: `${id}-hint` },
    'The private key and the certificate you uploaded to the app registration: PEM files (one or two), or a .pfx file.');
  const files = el('input', { id, type: 'file', multiple: '', accept: '.pem,.key,.crt,.cer,.pfx,.p12', 'aria-describedby': `${id}-hint ${id}-error`,
    'aria-required': 'true' });
  const pasted = el('textarea', { id: `${id}-pem`, rows: '5', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': `${id}-hint` });
  const pasteBox = el('details', { class: 'paste' }, el('summary', {}, 'Paste PEM text instead'),
    el('label', { for: `${id}-pem` }, 'Private key and certificate (PEM text)'), pasted);
  const password = el('input', { id: `${id}-pw`, type: 'password', autocomplete: 'off', 'aria-describedby': `${id}-pw-hint` });
  const passwordField = el('div', { class: 'field sub', hidden: '' },
    el('label', { for: `${id}-pw` }, 'Password of the .pfx file'),
    el('p', { class: 'hint', id: `${id}-pw-hint` }, 'Leave it empty if the file has none.'), password);
  const thumb = el('input', { id: `${id}-thumb`, type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'rCnkMH5GKJI03tRpdjBh8OG2U8I',
    'aria-describedby': `${id}-thumb-hint` });
  const thumbField = el('div', { class: 'field sub', hidden: '' },
    el('label', { for: `${id}-thumb` }, 'Certificate thumbprint (x5t#S256)'),
    el('p', { class: 'hint', id: `${id}-thumb-hint` }, 'Only a private key was given: enter the base64url SHA-256 thumbprint of its certificate, or add the certificate file above.'),
    thumb);
  const summary = el('dl', { class: 'found', hidden: '' });
  const fieldset = el('fieldset', { class: 'field', 'data-field': 'certificate' },
    el('legend', {}, field.title),
    hint,
    el('label', { for: id, class: 'file-label' }, 'Key and certificate files'),
    files, pasteBox, passwordField, summary, thumbField, error);
  const g = guide(GUIDES.certificate, docsUrl);
  if (g) fieldset.append(g);
  form.append(fieldset);

  let state = { keyPem: null, certificate: null, problems: [], needsPassword: false, isPfx: false };
  let chosen = [];
  let reading = Promise.resolve();

  function describe() {
    summary.replaceChildren();
    const add = (term, value) => summary.append(el('dt', {}, term), el('dd', {}, value));
    if (state.keyPem) add('Private key', 'RSA key found');
    if (state.certificate) {
      const c = state.certificate;
      add('Certificate', `${c.commonName ? `CN=${c.commonName}, ` : ''}valid until ${dateWords(c.notAfter)}`);
      add('Thumbprint in the Entra admin center (SHA-1)', c.sha1Hex);
      add('Thumbprint sent (x5t#S256)', c.thumbprint);
    }
    summary.hidden = summary.childElementCount === 0;
    passwordField.hidden = !state.isPfx;
    thumbField.hidden = !(state.keyPem && !state.certificate && state.problems.length === 0);
  }

  async function read() {
    const sources = await Promise.all(chosen.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    const anyPfx = chosen.some((f) => /\.(pfx|p12)$/i.test(f.name));
    state = await readCredentials(sources, pasted.value, anyPfx || !passwordField.hidden ? password.value : null);
    if (state.problems[0]?.code === 'wrong_password' && password.value === '') {
      // A first try without a password: the file has one, so ask for it rather than call it wrong.
      state = { ...state, problems: [], needsPassword: true, isPfx: true };
    }
    describe();
    control.show(control.check(true));
    onChange();
  }

  function reread() {
    reading = reading.then(read, read);
  }

  files.addEventListener('change', () => {
    chosen = Array.from(files.files || []);
    reread();
  });
  pasted.addEventListener('input', reread);
  password.addEventListener('input', reread);
  thumb.addEventListener('input', () => {
    control.show(control.check(!submitted()));
    onChange();
  });

  const control = {
    field,
    reading: () => reading,
    value: () => {
      const v = { privateKey: state.keyPem, certificateThumbprint: state.certificate ? state.certificate.thumbprint : thumb.value.trim() };
      if (state.certificate) v.certificate = state.certificate.pem;
      return v;
    },
    check(typing) {
      if (state.problems.length) return advice(state.problems[0]);
      if (state.needsPassword) return 'Enter the password of the .pfx file.';
      if (!state.keyPem) {
        if (typing) return null;
        return state.certificate ? 'The private key is missing: add the key file (or the .pfx file, which holds both).'
          : 'Choose the private key and certificate files, or paste them as PEM text.';
      }
      if (state.certificate && state.certificate.notAfter < new Date()) {
        return `This certificate expired on ${dateWords(state.certificate.notAfter)}. Create a new one, upload it to the app registration, and choose it here.`;
      }
      if (!state.certificate) {
        const t = thumb.value.trim();
        if (!t) return typing ? null : 'Add the certificate file, or enter its thumbprint.';
        if (!/^[A-Za-z0-9_-]{43}$/.test(t)) return 'An x5t#S256 thumbprint is 43 characters of base64url (A-Z, a-z, 0-9, - and _).';
      }
      return null;
    },
    show(message) {
      error.textContent = message || '';
      if (message) files.setAttribute('aria-invalid', 'true');
      else files.removeAttribute('aria-invalid');
    },
    focus: () => files.focus(),
  };
  return control;
}

function advice(problem) {
  switch (problem.code) {
    case 'legacy_pfx':
      return `${problem.message} Export it again with AES-256 encryption, or turn it into PEM: openssl pkcs12 -in file.pfx -nodes -out key-and-cert.pem, and choose that file.`;
    case 'wrong_password':
      return `${problem.message} Check the password and type it again.`;
    case 'encrypted_key':
      return `${problem.message} Give it without one: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-plain.pem.`;
    case 'not_rsa':
      return `${problem.message} Microsoft signs these token requests with RSA: create an RSA key (openssl req -x509 -newkey rsa:2048 …).`;
    case 'mismatch':
      return `${problem.message} Choose the key that was created with this certificate.`;
    default:
      return problem.message;
  }
}
