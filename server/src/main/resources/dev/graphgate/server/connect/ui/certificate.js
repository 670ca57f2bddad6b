// Reads what an admin uploads for certificate credentials: PEM files (a private key, a certificate, or both) or a
// PKCS#12 file (.pfx/.p12) with its password. Everything stays in the browser; only the private key (PEM), the
// certificate (PEM) and its x5t#S256 thumbprint are sent to Graphgate when the admin presses Connect.

const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  commonName: '2.5.4.3',
};
const PRF = {
  '1.2.840.113549.2.7': 'SHA-1',
  '1.2.840.113549.2.9': 'SHA-256',
  '1.2.840.113549.2.10': 'SHA-384',
  '1.2.840.113549.2.11': 'SHA-512',
};
const AES = {
  '2.16.840.1.101.3.4.1.2': 16,
  '2.16.840.1.101.3.4.1.22': 24,
  '2.16.840.1.101.3.4.1.42': 32,
};
const LEGACY_PBE = /^1\.2\.840\.113549\.1\.12\.1\./;

/** A problem with a file, in words for the admin; `code` tells the form which advice to show. */
export class CertificateProblem extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// ---- DER / BER ---------------------------------------------------------------------------------------------------

/** One ASN.1 element of `bytes` at `offset`: tag, where its content starts and ends, and where the next one starts. */
function element(bytes, offset) {
  if (offset + 2 > bytes.length) throw new CertificateProblem('unreadable', 'The file ends too early.');
  const tag = bytes[offset];
  let pos = offset + 1;
  let length = bytes[pos++];
  let indefinite = false;
  if (length === 0x80) {
    indefinite = true;
  } else if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw new CertificateProblem('unreadable', 'The file is not a certificate or key file.');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[pos++];
  }
  const start = pos;
  if (!indefinite) {
    const end = start + length;
    if (end > bytes.length) throw new CertificateProblem('unreadable', 'The file ends too early.');
    return { tag, offset, start, end, next: end };
  }
  // BER indefinite length (some PKCS#12 writers): the content is elements up to an end-of-contents 00 00.
  let p = start;
  while (!(bytes[p] === 0 && bytes[p + 1] === 0)) {
    p = element(bytes, p).next;
  }
  return { tag, offset, start, end: p, next: p + 2 };
}

function children(bytes, el) {
  const out = [];
  for (let p = el.start; p < el.end; ) {
    const child = element(bytes, p);
    out.push(child);
    p = child.next;
  }
  return out;
}

function content(bytes, el) {
  return bytes.subarray(el.start, el.end);
}

/** An OCTET STRING's bytes, joined when it is constructed (BER) from pieces. */
function octets(bytes, el) {
  if ((el.tag & 0x20) === 0) return content(bytes, el);
  const parts = children(bytes, el).map((c) => octets(bytes, c));
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return joined;
}

function oid(bytes, el) {
  const b = content(bytes, el);
  const parts = [Math.floor(b[0] / 40), b[0] % 40];
  let value = 0;
  for (let i = 1; i < b.length; i++) {
    value = value * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function integer(bytes, el) {
  let n = 0;
  for (const b of content(bytes, el)) n = n * 256 + b;
  return n;
}

function text(bytes, el) {
  return new TextDecoder().decode(content(bytes, el));
}

function time(bytes, el) {
  const s = text(bytes, el);
  // UTCTime YYMMDDHHMMSSZ (years 1950-2049) or GeneralizedTime YYYYMMDDHHMMSSZ.
  const full = el.tag === 0x17 ? (Number(s.slice(0, 2)) >= 50 ? '19' : '20') + s : s;
  return new Date(Date.UTC(+full.slice(0, 4), +full.slice(4, 6) - 1, +full.slice(6, 8), +full.slice(8, 10), +full.slice(10, 12), +full.slice(12, 14)));
}

// ---- PEM ---------------------------------------------------------------------------------------------------------

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function pemBlocks(textValue) {
  const blocks = [];
  for (const m of textValue.matchAll(PEM_BLOCK)) {
    const body = m[2].replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    let der;
    try {
      der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
    } catch {
      throw new CertificateProblem('unreadable', `The ${m[1].toLowerCase()} block is damaged (its text is not base64).`);
    }
    blocks.push({ label: m[1], der, pem: m[0] });
  }
  return blocks;
}

function pem(label, der) {
  let b64 = '';
  for (let i = 0; i < der.length; i += 0x8000) b64 += String.fromCharCode(...der.subarray(i, i + 0x8000));
  b64 = btoa(b64);
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

// ---- keys and certificates ---------------------------------------------------------------------------------------

/** PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo, which is what the browser's crypto imports. */
function pkcs8FromPkcs1(pkcs1) {
  const algorithm = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00);
  const version = Uint8Array.of(0x02, 0x01, 0x00);
  const key = concat(Uint8Array.of(0x04), derLength(pkcs1.length), pkcs1);
  const body = concat(version, algorithm, key);
  return concat(Uint8Array.of(0x30), derLength(body.length), body);
}

function derLength(n) {
  if (n < 0x80) return Uint8Array.of(n);
  const out = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | out.length, ...out);
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function subtle() {
  if (!globalThis.crypto || !crypto.subtle) {
    throw new CertificateProblem('insecure', 'This browser reads certificate files only on a page served over https. Enter the thumbprint by hand, or open this page over https.');
  }
  return crypto.subtle;
}

async function rsaModulus(format, der) {
  try {
    const key = await subtle().importKey(format, der, { name: 'RSA-PSS', hash: 'SHA-256' }, true, format === 'pkcs8' ? ['sign'] : ['verify']);
    return (await subtle().exportKey('jwk', key)).n;
  } catch (e) {
    if (e instanceof CertificateProblem) throw e;
    return null;
  }
}

function keyAlgorithm(pkcs8) {
  const seq = element(pkcs8, 0);
  const [, algorithm] = children(pkcs8, seq);
  return oid(pkcs8, children(pkcs8, algorithm)[0]);
}

/** What a certificate says about itself, and its thumbprints. */
async function describeCertificate(der) {
  const cert = element(der, 0);
  const [tbs] = children(der, cert);
  const fields = children(der, tbs);
  const offset = fields[0].tag === 0xa0 ? 1 : 0;
  const validity = children(der, fields[offset + 3]);
  const subject = fields[offset + 4];
  const spki = fields[offset + 5];
  let commonName = '';
  for (const rdn of children(der, subject)) {
    for (const attribute of children(der, rdn)) {
      const [type, value] = children(der, attribute);
      if (oid(der, type) === OID.commonName) commonName = text(der, value);
    }
  }
  const sha256 = new Uint8Array(await subtle().digest('SHA-256', der));
  const sha1 = new Uint8Array(await subtle().digest('SHA-1', der));
  return {
    der,
    pem: pem('CERTIFICATE', der),
    commonName,
    notBefore: time(der, validity[0]),
    notAfter: time(der, validity[1]),
    spki: der.slice(spki.offset, spki.end),
    thumbprint: base64url(sha256),
    sha1Hex: Array.from(sha1, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase(),
  };
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// ---- PKCS#12 -----------------------------------------------------------------------------------------------------

async function decrypt(bytes, algorithmEl, encrypted, password) {
  const [algId, params] = children(bytes, algorithmEl);
  const algorithm = oid(bytes, algId);
  if (LEGACY_PBE.test(algorithm)) {
    throw new CertificateProblem('legacy_pfx', 'This file is protected with old encryption (3DES or RC2) that browsers cannot read.');
  }
  if (algorithm !== OID.pbes2) {
    throw new CertificateProblem('unreadable', `This file is protected with an encryption this page does not read (${algorithm}).`);
  }
  const [kdf, scheme] = children(bytes, params);
  const [kdfId, kdfParams] = children(bytes, kdf);
  if (oid(bytes, kdfId) !== OID.pbkdf2) throw new CertificateProblem('legacy_pfx', 'This file uses a key derivation this page does not read.');
  const kdfFields = children(bytes, kdfParams);
  const salt = content(bytes, kdfFields[0]);
  const iterations = integer(bytes, kdfFields[1]);
  let hash = 'SHA-1';
  for (const f of kdfFields.slice(2)) {
    if (f.tag === 0x30) hash = PRF[oid(bytes, children(bytes, f)[0])] || hash;
  }
  const [schemeId, iv] = children(bytes, scheme);
  const keyLength = AES[oid(bytes, schemeId)];
  if (!keyLength) throw new CertificateProblem('legacy_pfx', 'This file is encrypted with a cipher this page does not read (only AES is).');
  const s = subtle();
  const base = await s.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await s.deriveBits({ name: 'PBKDF2', salt, iterations, hash }, base, keyLength * 8);
  const key = await s.importKey('raw', bits, 'AES-CBC', false, ['decrypt']);
  try {
    return new Uint8Array(await s.decrypt({ name: 'AES-CBC', iv: content(bytes, iv) }, key, encrypted));
  } catch {
    throw new CertificateProblem('wrong_password', 'The password does not open this file.');
  }
}

async function readBags(bytes, password, found) {
  for (const bag of children(bytes, element(bytes, 0))) {
    const [bagId, bagValue] = children(bytes, bag);
    const type = oid(bytes, bagId);
    const value = children(bytes, bagValue)[0];
    if (type === OID.keyBag) {
      found.keys.push(bytes.slice(value.offset, value.end));
    } else if (type === OID.shroudedKeyBag) {
      const [algorithm, data] = children(bytes, value);
      found.keys.push(await decrypt(bytes, algorithm, octets(bytes, data), password));
    } else if (type === OID.certBag) {
      const [certId, certValue] = children(bytes, value);
      if (oid(bytes, certId) === OID.x509Certificate) found.certificates.push(octets(bytes, children(bytes, certValue)[0]).slice());
    }
  }
}

async function readPfx(der, password) {
  const found = { keys: [], certificates: [] };
  let authSafe;
  try {
    const pfx = children(der, element(der, 0));
    const [contentType, wrapped] = children(der, pfx[1]);
    if (oid(der, contentType) !== OID.data) throw new Error('signed PFX');
    authSafe = octets(der, children(der, wrapped)[0]);
  } catch (e) {
    if (e instanceof CertificateProblem) throw e;
    throw new CertificateProblem('unreadable', 'This file is not a PKCS#12 (.pfx) file.');
  }
  for (const info of children(authSafe, element(authSafe, 0))) {
    const [contentType, wrapped] = children(authSafe, info);
    const type = oid(authSafe, contentType);
    const inner = children(authSafe, wrapped)[0];
    if (type === OID.data) {
      const safe = octets(authSafe, inner).slice();
      await readBags(safe, password, found);
    } else if (type === OID.encryptedData) {
      const [, encryptedContentInfo] = children(authSafe, inner);
      const [, algorithm, encrypted] = children(authSafe, encryptedContentInfo);
      const safe = await decrypt(authSafe, algorithm, octets(authSafe, encrypted), password);
      await readBags(safe, password, found);
    }
  }
  return found;
}

// ---- what the form asks ------------------------------------------------------------------------------------------

function isPfx(bytes) {
  // A PEM file is text starting with dashes (or text before it); a PFX is DER: SEQUENCE then INTEGER version 3.
  return bytes.length > 4 && bytes[0] === 0x30 && !new TextDecoder().decode(bytes.subarray(0, 64)).includes('-----BEGIN');
}

/**
 * Reads `files` (each {name, bytes}) and `pastedText` and answers {key?: {pem, modulus}, certificate?: description,
 * needsPassword, problems: [CertificateProblem]}. A PFX without the right password answers `needsPassword`.
 */
export async function readCredentials(files, pastedText, password) {
  const result = { keyPem: null, certificate: null, needsPassword: false, isPfx: false, problems: [], keyCount: 0 };
  const keys = [];
  const certificates = [];
  const sources = files.map((f) => ({ name: f.name, bytes: f.bytes }));
  if (pastedText && pastedText.trim()) sources.push({ name: 'the pasted text', bytes: new TextEncoder().encode(pastedText) });
  for (const source of sources) {
    try {
      if (isPfx(source.bytes)) {
        result.isPfx = true;
        if (password === null || password === undefined) {
          result.needsPassword = true;
          continue;
        }
        const found = await readPfx(source.bytes, password);
        found.keys.forEach((der) => keys.push({ der, pem: pem('PRIVATE KEY', der), pkcs8: der }));
        found.certificates.forEach((der) => certificates.push(der));
        continue;
      }
      const blocks = pemBlocks(new TextDecoder().decode(source.bytes));
      if (blocks.length === 0) {
        throw new CertificateProblem('unreadable', `${source.name} holds no PEM block (-----BEGIN …-----) and is not a .pfx file.`);
      }
      for (const b of blocks) {
        if (b.label === 'PRIVATE KEY') keys.push({ der: b.der, pem: b.pem, pkcs8: b.der });
        else if (b.label === 'RSA PRIVATE KEY') keys.push({ der: b.der, pem: b.pem, pkcs8: pkcs8FromPkcs1(b.der) });
        else if (b.label === 'ENCRYPTED PRIVATE KEY' || b.pem.includes('Proc-Type: 4,ENCRYPTED')) {
          throw new CertificateProblem('encrypted_key', 'The private key is protected by a passphrase.');
        } else if (b.label === 'CERTIFICATE') certificates.push(b.der);
        else if (b.label === 'EC PRIVATE KEY') throw new CertificateProblem('not_rsa', 'The private key is an elliptic-curve key.');
      }
    } catch (e) {
      if (e instanceof CertificateProblem) result.problems.push(e);
      else result.problems.push(new CertificateProblem('unreadable', `${source.name} could not be read as a key or certificate.`));
    }
  }
  if (result.problems.length) return result;
  result.keyCount = keys.length;
  if (keys.length > 1) {
    result.problems.push(new CertificateProblem('several_keys', 'There is more than one private key. Give the one whose certificate is in the app registration.'));
    return result;
  }
  const described = [];
  for (const der of certificates) {
    try {
      described.push(await describeCertificate(der));
    } catch (e) {
      result.problems.push(e instanceof CertificateProblem ? e : new CertificateProblem('unreadable', 'A certificate in the file could not be read.'));
      return result;
    }
  }
  if (keys.length === 1) {
    const key = keys[0];
    let algorithm;
    try {
      algorithm = keyAlgorithm(key.pkcs8);
    } catch {
      result.problems.push(new CertificateProblem('unreadable', 'The private key could not be read.'));
      return result;
    }
    if (algorithm !== OID.rsaEncryption) {
      result.problems.push(new CertificateProblem('not_rsa', 'The private key is not an RSA key.'));
      return result;
    }
    const modulus = await rsaModulus('pkcs8', key.pkcs8);
    if (modulus === null) {
      result.problems.push(new CertificateProblem('unreadable', 'The private key could not be read.'));
      return result;
    }
    result.keyPem = key.pem;
    // The certificate is the one of this key; a chain's other certificates are ignored.
    for (const c of described) {
      if ((await rsaModulus('spki', c.spki)) === modulus) result.certificate = c;
    }
    if (!result.certificate && described.length > 0) {
      result.problems.push(new CertificateProblem('mismatch', 'The certificate does not belong to this private key.'));
    }
  } else if (described.length > 0) {
    result.certificate = described[0];
  }
  return result;
}
