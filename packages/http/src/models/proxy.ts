import { inspect } from 'node:util';
import { UsageError } from '../errors.js';
import { SECURE, scrubbedCause } from '../internal/redact.js';
import type { VerifyInit } from '../transports/tls.js';

/**
 * How an http(s) proxy carries a request: `DEFAULT` forwards `http://` targets (absolute-form
 * request line) and tunnels `https://` ones with CONNECT; the other two force one way for both.
 */
export type ProxyMode = 'DEFAULT' | 'FORWARD_ONLY' | 'TUNNEL_ONLY';

export interface ProxyOptions {
  auth?: readonly [username: string, password: string];
  headers?: Record<string, string>;
  mode?: ProxyMode;
  /** TLS verification of an `https://` proxy itself (the target keeps the client's `verify`). */
  verify?: VerifyInit;
}

const SCHEMES = new Set(['http:', 'https:', 'socks5:', 'socks5h:']);
const MODES = new Set<ProxyMode>(['DEFAULT', 'FORWARD_ONLY', 'TUNNEL_ONLY']);

/**
 * A proxy server, exported as `Proxy` (HTTPX's name; the class name avoids shadowing the global).
 * Credentials in the URL move into `auth` and are never displayed.
 */
export class HTTPProxy {
  /** The proxy URL without userinfo. */
  readonly url: URL;
  readonly auth: readonly [string, string] | null;
  readonly headers: Record<string, string>;
  readonly mode: ProxyMode;
  readonly verify: VerifyInit | undefined;

  constructor(url: string | URL, options: ProxyOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(String(url));
    } catch (cause) {
      // The raw text may carry a password, so it is not echoed back.
      throw new UsageError('Invalid proxy URL', { cause: scrubbedCause(cause) });
    }
    if (!SCHEMES.has(parsed.protocol)) {
      throw new UsageError(
        `Unknown scheme for proxy URL '${parsed.protocol}//': use http, https, socks5 or socks5h`,
      );
    }
    const mode = options.mode ?? 'DEFAULT';
    if (!MODES.has(mode)) throw new UsageError(`Unknown proxy mode ${JSON.stringify(mode)}`);
    let auth = options.auth ?? null;
    if (auth === null && (parsed.username !== '' || parsed.password !== '')) {
      auth = [decodeURIComponent(parsed.username), decodeURIComponent(parsed.password)];
    }
    parsed.username = '';
    parsed.password = '';
    this.url = parsed;
    this.auth = auth === null ? null : [auth[0], auth[1]];
    this.headers = { ...(options.headers ?? {}) };
    this.mode = mode;
    this.verify = options.verify;
  }

  static from(proxy: string | URL | HTTPProxy): HTTPProxy {
    return proxy instanceof HTTPProxy ? proxy : new HTTPProxy(proxy);
  }

  get scheme(): 'http' | 'https' | 'socks5' | 'socks5h' {
    return this.url.protocol.slice(0, -1) as 'http' | 'https' | 'socks5' | 'socks5h';
  }

  get isSocks(): boolean {
    return this.scheme === 'socks5' || this.scheme === 'socks5h';
  }

  /** `Basic …` for the `Proxy-Authorization` header, or null without credentials. */
  get authorization(): string | null {
    if (this.auth === null) return null;
    return `Basic ${Buffer.from(`${this.auth[0]}:${this.auth[1]}`).toString('base64')}`;
  }

  /** The proxy URL for display: `http://host:port` without a trailing slash. */
  get displayUrl(): string {
    return this.url.href.replace(/\/$/, '');
  }

  toString(): string {
    const auth = this.auth === null ? '' : `, auth=['${this.auth[0]}', '${SECURE}']`;
    return `Proxy('${this.displayUrl}'${auth})`;
  }

  toJSON(): Record<string, unknown> {
    return {
      url: this.displayUrl,
      auth: this.auth === null ? null : [this.auth[0], SECURE],
      mode: this.mode,
      headers: Object.keys(this.headers),
    };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
