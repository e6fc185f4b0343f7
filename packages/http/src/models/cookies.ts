import { inspect } from 'node:util';
import type { CookieJar } from 'tough-cookie';
import { CookieConflict } from '../errors.js';
import { loadToughCookie } from '../internal/lazy-dependencies.js';
import { SECURE } from '../internal/redact.js';
import type { Headers } from './headers.js';

export type CookiesInit = Cookies | Record<string, string> | Iterable<readonly [string, string]>;

export interface CookieInfo {
  name: string;
  value: string;
  /** `''` for a cookie set without a domain, which is sent to every host (as on an HTTPX client). */
  domain: string;
  path: string;
}

interface Scope {
  domain?: string;
  path?: string;
}

/**
 * A cookie jar with HTTPX's `Cookies` API, on tough-cookie's RFC 6265 rules (so host-only cookies
 * stay on their host, unlike HTTPX). Cookies set without a domain apply to every request.
 */
export class Cookies implements Iterable<[string, string]> {
  #jar: CookieJar | undefined;
  #anyHost = new Map<string, { value: string; path: string }>();
  // Set once anything enters the jar, so requests skip cookie matching while there is nothing to match.
  #jarUsed = false;

  constructor(init?: CookiesInit | null) {
    if (init != null) this.update(init);
  }

  /** The underlying tough-cookie jar (a synchronous in-memory store), made on first use. */
  get jar(): CookieJar {
    if (this.#jar === undefined) {
      const { CookieJar, MemoryCookieStore } = loadToughCookie();
      this.#jar = new CookieJar(new MemoryCookieStore(), { looseMode: true });
    }
    return this.#jar;
  }

  set(name: string, value: string, { domain = '', path = '/' }: Scope = {}): void {
    if (domain === '') {
      this.#anyHost.set(name, { value, path });
      return;
    }
    const bare = domain.replace(/^\./, '');
    const cookie = new (loadToughCookie().Cookie)({ key: name, value, domain: bare, path, hostOnly: false });
    this.#jarUsed = true;
    this.jar.setCookieSync(cookie, `http://${bare}${path}`, { ignoreError: false });
  }

  /** The value of `name`; `CookieConflict` when several cookies match (pass a domain or path). */
  get(name: string, scope: Scope = {}): string | null {
    const matches = this.list().filter(
      (c) =>
        c.name === name &&
        (scope.domain === undefined || c.domain === scope.domain) &&
        (scope.path === undefined || c.path === scope.path),
    );
    // As HTTPX: two matches conflict even when their values agree (which one would a caller mean?).
    if (matches.length > 1) {
      throw new CookieConflict(
        `Multiple cookies exist with name=${name}: pass a domain or path to choose one`,
      );
    }
    return matches[0]?.value ?? null;
  }

  delete(name: string, scope: Scope = {}): void {
    for (const c of this.list()) {
      if (c.name !== name) continue;
      if (scope.domain !== undefined && c.domain !== scope.domain) continue;
      if (scope.path !== undefined && c.path !== scope.path) continue;
      this.#remove(c);
    }
  }

  clear(scope: Scope = {}): void {
    for (const c of this.list()) {
      if (scope.domain !== undefined && c.domain !== scope.domain) continue;
      if (scope.path !== undefined && c.path !== scope.path) continue;
      this.#remove(c);
    }
  }

  update(init: CookiesInit): void {
    if (init instanceof Cookies) {
      for (const c of init.list()) this.set(c.name, c.value, { domain: c.domain, path: c.path });
      return;
    }
    const pairs =
      Symbol.iterator in init ? (init as Iterable<readonly [string, string]>) : Object.entries(init);
    for (const [name, value] of pairs) this.set(name, value);
  }

  /** Every cookie with its scope. */
  list(): CookieInfo[] {
    const out: CookieInfo[] = [...this.#anyHost].map(([name, c]) => ({
      name,
      value: c.value,
      domain: '',
      path: c.path,
    }));
    for (const c of this.#jar?.serializeSync()?.cookies ?? []) {
      out.push({
        name: String(c.key ?? ''),
        value: String(c.value ?? ''),
        domain: String(c.domain ?? ''),
        path: String(c.path ?? '/'),
      });
    }
    return out;
  }

  get size(): number {
    return this.list().length;
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.list()
      .map((c): [string, string] => [c.name, c.value])
      [Symbol.iterator]();
  }

  /** Stores the response's `Set-Cookie` fields for its URL, by RFC 6265 rules; invalid ones are ignored. */
  extract(url: URL, headers: Headers): void {
    this.#jarUsed ||= headers.has('set-cookie');
    for (const header of headers.getList('set-cookie')) {
      this.jar.setCookieSync(header, url, { ignoreError: true });
    }
  }

  /** The `Cookie` header value for a request to `url`, or `''` when nothing applies. */
  headerFor(url: URL): string {
    if (!this.#jarUsed && this.#anyHost.size === 0) return '';
    const fromJar = this.#jarUsed ? this.jar.getCookiesSync(url) : [];
    const names = new Set(fromJar.map((c) => c.key));
    const parts: string[] = [];
    for (const [name, c] of this.#anyHost) {
      if (!names.has(name) && url.pathname.startsWith(c.path)) parts.push(`${name}=${c.value}`);
    }
    for (const c of fromJar) parts.push(c.cookieString());
    return parts.join('; ');
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.list().map((c) => [c.name, SECURE]));
  }

  [inspect.custom](): string {
    const items = this.list().map((c) => `<Cookie ${c.name}=${SECURE} for ${c.domain || '*'}${c.path} />`);
    return `Cookies([${items.join(', ')}])`;
  }

  #remove(c: CookieInfo): void {
    if (c.domain === '') {
      this.#anyHost.delete(c.name);
      return;
    }
    // MemoryCookieStore completes synchronously, so the callback form keeps this method synchronous.
    this.jar.store.removeCookie(c.domain, c.path, c.name, () => {});
  }
}
