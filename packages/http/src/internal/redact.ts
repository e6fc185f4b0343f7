/** What every secret is replaced with in messages, logs and `inspect` output (HTTPX's spelling). */
export const SECURE = '[secure]';

const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

export function isSensitiveHeader(lowerName: string): boolean {
  return SENSITIVE_HEADERS.has(lowerName);
}

// `scheme://user:password@host` → `scheme://user:[secure]@host`; credentials after an auth scheme word.
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi;
// Only schemes whose next word *is* the secret; a Digest header carries a hash, not the password.
const AUTH_SCHEME_VALUE = /\b(Basic|Bearer)\s+[^\s'",]+/g;

/** Strips credentials from free text: URL passwords and `Basic …`/`Bearer …` values. */
export function redactText(text: string): string {
  return text.replace(URL_PASSWORD, `$1:${SECURE}@`).replace(AUTH_SCHEME_VALUE, `$1 ${SECURE}`);
}

/** A URL for display: the password (if any) masked, everything else kept. */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return redactText(String(url));
  }
  if (parsed.password === '') return parsed.href;
  const copy = new URL(parsed.href);
  copy.password = SECURE;
  return copy.href.replace(encodeURIComponent(SECURE), SECURE);
}

/**
 * A parse error safe to keep as a `cause`: Node's `TypeError: Invalid URL` carries the raw text in
 * `input`, which may hold a password. The copy keeps the message and code, not the input.
 */
export function scrubbedCause(cause: unknown): unknown {
  if (!(cause instanceof Error)) return cause;
  const copy = new TypeError(redactText(cause.message));
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}
