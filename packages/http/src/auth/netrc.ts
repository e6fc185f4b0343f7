import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { UsageError } from '../errors.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import { Auth, BasicAuth } from './auth.js';

export interface NetrcEntry {
  readonly login: string;
  readonly password: string;
}

/** Parsed netrc: `machine` entries by lower-cased host, plus the `default` entry. */
export interface Netrc {
  readonly machines: ReadonlyMap<string, Partial<NetrcEntry>>;
  readonly default: Partial<NetrcEntry> | null;
}

// Tokens are whitespace-separated; `"…"` quotes (with `\` escapes) allow spaces in a password,
// and `#` starts a comment to the end of the line, as in Python's netrc module.
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"((?:\\.|[^"\\])*)"|(#[^\n]*)|(\S+)/g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[1] !== undefined) tokens.push(m[1].replace(/\\(.)/g, '$1'));
    else if (m[3] !== undefined) tokens.push(m[3]);
  }
  return tokens;
}

/** Parses netrc text. Macro definitions (`macdef`) run to the next blank line and are skipped. */
export function parseNetrc(text: string): Netrc {
  const machines = new Map<string, Partial<NetrcEntry>>();
  let fallback: Partial<NetrcEntry> | null = null;
  const withoutMacros = text.replace(/^[ \t]*macdef[^\n]*\n(?:[^\n]*\S[^\n]*\n?)*/gm, '\n');
  const tokens = tokenize(withoutMacros);
  let current: { login?: string; password?: string } | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token === 'machine') {
      const host = (tokens[++i] ?? '').toLowerCase();
      current = {};
      // The first entry for a host wins, as in curl.
      if (!machines.has(host)) machines.set(host, current);
    } else if (token === 'default') {
      current = {};
      fallback ??= current;
    } else if (current !== null && (token === 'login' || token === 'password')) {
      const value = tokens[++i];
      if (value !== undefined) current[token] = value;
    } else if (token === 'account') {
      i++;
    }
  }
  return { machines, default: fallback };
}

/** Credentials for a host: its `machine` entry, else `default`; an entry without a password gives none. */
export function netrcCredentials(netrc: Netrc, host: string): NetrcEntry | null {
  const entry = netrc.machines.get(host.toLowerCase()) ?? netrc.default;
  if (entry?.password === undefined || entry.password === '') return null;
  return { login: entry.login ?? '', password: entry.password };
}

/** The netrc file to read: `$NETRC` when set (and only it), else `~/.netrc`, else `~/_netrc`. */
export function netrcPath(): string | null {
  const fromEnv = process.env.NETRC;
  const candidates = fromEnv ? [fromEnv] : [join(homedir(), '.netrc'), join(homedir(), '_netrc')];
  return candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile()) ?? null;
}

function loadNetrc(path: string): Netrc {
  return parseNetrc(readFileSync(path, 'utf8'));
}

// IPv6 literals are bracketed in URLs but not in netrc files.
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Basic auth from a netrc file (HTTPX `NetRCAuth`). The file is read once, in the constructor:
 * create a new instance to pick up changes.
 */
export class NetRCAuth extends Auth {
  readonly file: string;
  readonly #netrc: Netrc;

  constructor(file: string | null = null) {
    super();
    const path = file ?? netrcPath();
    if (path === null) {
      throw new UsageError('No netrc file found: set $NETRC or create ~/.netrc, or pass a file to NetRCAuth');
    }
    this.file = path;
    this.#netrc = loadNetrc(path);
  }

  override *authFlow(request: Request): Generator<Request, void, Response> {
    const credentials = netrcCredentials(this.#netrc, hostOf(request.url));
    if (credentials === null) {
      yield request;
      return;
    }
    yield* new BasicAuth(credentials.login, credentials.password).authFlow(request);
  }

  [inspect.custom](): string {
    return `NetRCAuth(file=${JSON.stringify(this.file)})`;
  }

  toJSON(): Record<string, string> {
    return { type: 'netrc', file: this.file };
  }
}

// Per client, as HTTPX documents: the file is looked up and parsed on the client's first request
// without other auth, and kept (a missing file too) until the client is garbage-collected.
const clientNetrc = new WeakMap<object, Netrc | null>();

/**
 * For `trustEnv` clients: Basic auth from the netrc file for `url`'s host, or null when there is
 * no file or no entry with a password. `owner` scopes the cache (the client).
 */
export function netrcAuthFor(url: URL, owner: object): BasicAuth | null {
  let netrc = clientNetrc.get(owner);
  if (netrc === undefined) {
    try {
      const path = netrcPath();
      netrc = path === null ? null : loadNetrc(path);
    } catch {
      // An unreadable file must not break requests that never asked for netrc auth.
      netrc = null;
    }
    clientNetrc.set(owner, netrc);
  }
  if (netrc === null) return null;
  const credentials = netrcCredentials(netrc, hostOf(url));
  return credentials === null ? null : new BasicAuth(credentials.login, credentials.password);
}
