import { UnsupportedProtocol, UsageError } from '../errors.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import { effectivePort } from '../models/urls.js';
import { BaseTransport } from './base.js';

const PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:]*)(?::(\d+))?\/?$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A mount key such as `all://`, `https://example.com:1234`, `all://*.example.com` or
 * `all://*:1234` (HTTPX `URLPattern`), matched against request URLs.
 */
export class URLPattern {
  readonly pattern: string;
  readonly scheme: string;
  readonly host: string;
  readonly port: number | null;
  readonly #hostRegex: RegExp | null;

  constructor(pattern: string) {
    if (pattern !== '' && !pattern.includes('://')) {
      throw new UsageError(
        `Mount keys must be URL patterns, not plain schemes: instead of ${JSON.stringify(pattern)}, use ${JSON.stringify(`${pattern.replace(/:$/, '')}://`)}`,
      );
    }
    const match = pattern === '' ? ['', 'all', '', undefined] : PATTERN.exec(pattern);
    if (match === null) throw new UsageError(`Invalid mount pattern ${JSON.stringify(pattern)}`);
    this.pattern = pattern;
    const scheme = (match[1] as string).toLowerCase();
    this.scheme = scheme === 'all' ? '' : scheme;
    const host = (match[2] as string).toLowerCase();
    this.host = host === '*' ? '' : host;
    // An explicit port, default or not, matches only that port: `http://example.com:80` must not
    // also route `http://example.com:8080/` (HTTPX drops a default port and then matches any).
    this.port = match[3] === undefined ? null : Number(match[3]);
    if (this.host === '') this.#hostRegex = null;
    else if (this.host.startsWith('*.'))
      this.#hostRegex = new RegExp(`^.+\\.${escapeRegExp(this.host.slice(2))}$`);
    else if (this.host.startsWith('*'))
      this.#hostRegex = new RegExp(`^(.+\\.)?${escapeRegExp(this.host.slice(1))}$`);
    else this.#hostRegex = new RegExp(`^${escapeRegExp(this.host)}$`);
  }

  matches(url: URL): boolean {
    if (this.scheme !== '' && this.scheme !== url.protocol.slice(0, -1)) return false;
    if (this.#hostRegex !== null && !this.#hostRegex.test(url.hostname)) return false;
    if (this.port !== null && String(this.port) !== effectivePort(url)) return false;
    return true;
  }

  /** Sort key: a given port first, then longer hosts, then longer schemes (HTTPX `priority`). */
  compare(other: URLPattern): number {
    return (
      (this.port === null ? 1 : 0) - (other.port === null ? 1 : 0) ||
      other.host.length - this.host.length ||
      other.scheme.length - this.scheme.length
    );
  }
}

export type MountsInit = Record<string, BaseTransport | null>;

/** Routes a URL to the most specific matching mount; `null` (or no match) means the fallback. */
export class MountTable {
  readonly #routes: Array<[URLPattern, BaseTransport | null]>;

  constructor(mounts: MountsInit) {
    this.#routes = Object.entries(mounts)
      .map(([key, transport]): [URLPattern, BaseTransport | null] => [new URLPattern(key), transport])
      .sort(([a], [b]) => a.compare(b));
  }

  get isEmpty(): boolean {
    return this.#routes.length === 0;
  }

  route(url: URL): BaseTransport | null | undefined {
    for (const [pattern, transport] of this.#routes) if (pattern.matches(url)) return transport;
    return undefined;
  }

  transports(): BaseTransport[] {
    return [...new Set(this.#routes.map(([, t]) => t).filter((t): t is BaseTransport => t !== null))];
  }
}

/** A transport that routes each request by URL pattern (HTTPX's `mounts`). */
export class Mounts extends BaseTransport {
  readonly #table: MountTable;

  constructor(routes: MountsInit) {
    super();
    this.#table = new MountTable(routes);
  }

  override async handleRequest(request: Request): Promise<Response> {
    const transport = this.#table.route(request.url);
    if (!transport) {
      throw new UnsupportedProtocol(
        `No mounted transport matches '${request.url.protocol}//${request.url.host}'`,
        {
          request,
        },
      );
    }
    return transport.handleRequest(request);
  }

  override async close(): Promise<void> {
    await Promise.all(this.#table.transports().map((t) => t.close()));
  }
}
