import { SECURE } from '../internal/redact.js';

/**
 * Rewrites a request body before it is written to a cassette (and before it is matched, so a live
 * request and its recording compare on the same masked form). Return the body unchanged when it
 * holds nothing secret.
 */
export type BodyRedactor = (body: Uint8Array, contentType: string) => Uint8Array;

/**
 * Field names (compared case-insensitively, ignoring `_` and `-`) whose values are masked in JSON
 * and form bodies: `apiKey`, `api_key` and `API-KEY` all match `apikey`.
 */
export const DEFAULT_SECRET_FIELDS: readonly string[] = [
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'apiToken',
  'apiKey',
  'secret',
  'clientSecret',
  'password',
  'passwd',
  'privateKey',
];

export function fieldKey(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(body: Uint8Array): string | null {
  try {
    return utf8.decode(body);
  } catch {
    return null;
  }
}

function maskJson(value: unknown, secret: ReadonlySet<string>): { value: unknown; changed: boolean } {
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const masked = maskJson(item, secret);
      changed ||= masked.changed;
      return masked.value;
    });
    return { value: items, changed };
  }
  if (value === null || typeof value !== 'object') return { value, changed: false };
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // A secret-named object or array is masked inside, not replaced: its shape helps a reviewer.
    if (secret.has(fieldKey(key)) && (inner === null || typeof inner !== 'object')) {
      out[key] = SECURE;
      changed = true;
      continue;
    }
    const masked = maskJson(inner, secret);
    changed ||= masked.changed;
    out[key] = masked.value;
  }
  return { value: out, changed };
}

function redactJson(text: string, secret: ReadonlySet<string>): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const masked = maskJson(parsed, secret);
  // Untouched bodies keep their exact bytes (and formatting) in the cassette.
  return masked.changed ? JSON.stringify(masked.value) : null;
}

function redactForm(text: string, secret: ReadonlySet<string>): string | null {
  let changed = false;
  const pairs = text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq === -1) return pair;
    let name = pair.slice(0, eq);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // A malformed name is compared as written.
    }
    if (!secret.has(fieldKey(name))) return pair;
    changed = true;
    return `${pair.slice(0, eq)}=${encodeURIComponent(SECURE)}`;
  });
  return changed ? pairs.join('&') : null;
}

function redactMultipart(text: string, boundary: string, secret: ReadonlySet<string>): string | null {
  let changed = false;
  const delimiter = `--${boundary}`;
  const parts = text.split(delimiter).map((part) => {
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd === -1) return part;
    const head = part.slice(0, headEnd);
    const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(head)?.[1];
    // File parts are content, not credentials: only plain fields named like secrets are masked.
    if (name === undefined || /;\s*filename\*?=/i.test(head) || !secret.has(fieldKey(name))) return part;
    changed = true;
    const tail = part.endsWith('\r\n') ? '\r\n' : '';
    return `${head}\r\n\r\n${SECURE}${tail}`;
  });
  return changed ? parts.join(delimiter) : null;
}

/** The default redactor: secret-named fields of JSON, urlencoded-form and multipart bodies masked. */
export function secretFieldRedactor(fields: readonly string[] = DEFAULT_SECRET_FIELDS): BodyRedactor {
  const secret = new Set(fields.map(fieldKey));
  return (body, contentType) => {
    const type = contentType.toLowerCase();
    const isJson = /^application\/([\w.-]+\+)?json\b/.test(type);
    const isForm = type.startsWith('application/x-www-form-urlencoded');
    const boundary = type.startsWith('multipart/')
      ? /boundary="?([^";]+)"?/i.exec(contentType)?.[1]
      : undefined;
    if (!isJson && !isForm && boundary === undefined) return body;
    // Multipart bodies may carry binary file parts: latin1 maps every byte to one char and back.
    const text = boundary === undefined ? decode(body) : Buffer.from(body).toString('latin1');
    if (text === null) return body;
    const redacted = isJson
      ? redactJson(text, secret)
      : isForm
        ? redactForm(text, secret)
        : redactMultipart(text, boundary as string, secret);
    if (redacted === null) return body;
    return boundary === undefined
      ? new TextEncoder().encode(redacted)
      : new Uint8Array(Buffer.from(redacted, 'latin1'));
  };
}
