import { isSensitiveHeader, redactUrl, SECURE } from '../internal/redact.js';

/** A body as stored: UTF-8 text when it decodes cleanly, base64 otherwise. */
export type StoredBody = { text: string } | { base64: string };

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: StoredBody;
}

export interface RecordedResponse {
  status: number;
  reasonPhrase: string;
  httpVersion: string;
  headers: Array<[string, string]>;
  /** The raw (still content-encoded) body bytes as the server sent them. */
  body: StoredBody;
}

export interface Episode {
  request: RecordedRequest;
  response: RecordedResponse;
}

export interface CassetteFile {
  version: 1;
  episodes: Episode[];
}

/** Query parameters whose values never reach a cassette. */
export const DEFAULT_SECRET_PARAMS: readonly string[] = [
  'token',
  'access_token',
  'refresh_token',
  'api_key',
  'apikey',
  'key',
  'secret',
  'client_secret',
  'password',
  'signature',
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function storeBody(bytes: Uint8Array): StoredBody {
  try {
    const text = utf8.decode(bytes);
    // Control characters other than tab/CR/LF make text unreadable in review: keep those as base64.
    if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) return { text };
  } catch {
    // Not UTF-8: fall through to base64.
  }
  return { base64: Buffer.from(bytes).toString('base64') };
}

export function loadBody(body: StoredBody): Uint8Array {
  return 'text' in body
    ? new TextEncoder().encode(body.text)
    : new Uint8Array(Buffer.from(body.base64, 'base64'));
}

/** The URL as it is written: password masked and secret query values replaced by `[secure]`. */
export function redactRecordedUrl(url: URL, secretParams: ReadonlySet<string>): string {
  const copy = new URL(redactUrl(url).replace(SECURE, encodeURIComponent(SECURE)));
  if (copy.search !== '') {
    const pairs = copy.search
      .slice(1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = eq === -1 ? pair : pair.slice(0, eq);
        let decoded = name;
        try {
          decoded = decodeURIComponent(name.replace(/\+/g, ' '));
        } catch {
          // Keep a malformed name as it is.
        }
        return secretParams.has(decoded.toLowerCase()) ? `${name}=${encodeURIComponent(SECURE)}` : pair;
      });
    copy.search = pairs.join('&');
  }
  return copy.href.split(encodeURIComponent(SECURE)).join(SECURE);
}

/** Header pairs as written: Authorization, Proxy-Authorization, Cookie and Set-Cookie values masked. */
export function redactHeaders(
  pairs: Iterable<[string, string]>,
  extra: ReadonlySet<string>,
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') {
      // Keep the cookie name and attributes (they matter to a reader), mask the value.
      const eq = value.indexOf('=');
      const semi = value.indexOf(';');
      out.push([
        name,
        eq === -1 ? SECURE : `${value.slice(0, eq)}=${SECURE}${semi === -1 ? '' : value.slice(semi)}`,
      ]);
    } else if (isSensitiveHeader(lower) || extra.has(lower)) {
      out.push([name, SECURE]);
    } else {
      out.push([name, value]);
    }
  }
  return out;
}
