import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ProtocolError, UsageError } from '../errors.js';
import { SECURE } from '../internal/redact.js';
import { Cookies } from '../models/cookies.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import { Auth } from './auth.js';

// RFC 7616 names (upper-cased) → Node hash names; `-SESS` variants share the hash.
const HASHES: Record<string, string> = {
  MD5: 'md5',
  SHA: 'sha1',
  'SHA-256': 'sha256',
  'SHA-512': 'sha512',
  'SHA-512-256': 'sha512-256',
};

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  /** As the server spelled it, since HTTPX echoes it back unchanged. */
  readonly algorithm: string;
  readonly opaque: string | null;
  readonly qop: string | null;
}

export interface DigestAuthOptions {
  /** Overrides the client nonce (tests and reproducible vectors); the default is 16 random hex chars. */
  cnonce?: (nonceCount: number, nonce: string) => string;
}

/** Splits a comma-separated list of `key=value` pairs, keeping commas inside quoted strings. */
function splitChallengeFields(fields: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < fields.length; i++) {
    const c = fields[i] as string;
    if (quoted && c === '\\' && i + 1 < fields.length) {
      current += c + fields[++i];
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === ',' && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out.map((f) => f.trim()).filter((f) => f !== '');
}

/** A quoted-string (RFC 9110 §5.6.4): `"` and `\` escaped, so a value cannot end the string early. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * The bytes a challenge value arrived as. Transports decode header bytes as latin-1, so latin-1
 * recovers them exactly (a realm sent as UTF-8 or as latin-1 hashes as the server hashes it); text
 * beyond latin-1 can only have come from code, and is taken as UTF-8.
 */
function wireBytes(text: string): Buffer {
  return Buffer.from(text, /[^\x00-\xff]/.test(text) ? 'utf8' : 'latin1');
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

/** Parses `Digest realm="…", nonce="…", …`; a missing realm or nonce is a server error. */
export function parseDigestChallenge(header: string, request?: Request): DigestChallenge {
  const malformed = (): ProtocolError =>
    // Lower-case "digest": error messages pass through redactText, which masks the word after "Digest".
    new ProtocolError(
      'Malformed WWW-Authenticate header: a digest challenge needs a realm and a nonce',
      request === undefined ? {} : { request },
    );
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'digest') throw malformed();
  const params = new Map<string, string>();
  for (const field of splitChallengeFields(header.slice(space + 1))) {
    const eq = field.indexOf('=');
    if (eq < 0) throw malformed();
    params.set(field.slice(0, eq).trim().toLowerCase(), unquote(field.slice(eq + 1).trim()));
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) throw malformed();
  return {
    realm,
    nonce,
    algorithm: params.get('algorithm') ?? 'MD5',
    opaque: params.get('opaque') ?? null,
    qop: params.get('qop') ?? null,
  };
}

/**
 * HTTP Digest access authentication (RFC 7616, and RFC 2069 when the server offers no qop).
 * The last challenge is kept so later requests authenticate pre-emptively, without a 401 first;
 * each reuse increments the nonce count, and a fresh 401 starts it again at 1.
 */
export class DigestAuth extends Auth {
  readonly username: string;
  readonly #password: string;
  readonly #cnonce: ((nonceCount: number, nonce: string) => string) | null;
  #challenge: DigestChallenge | null = null;
  #nonceCount = 1;

  constructor(username: string, password: string, options: DigestAuthOptions = {}) {
    super();
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new UsageError('DigestAuth needs a username and a password, both strings');
    }
    this.username = username;
    this.#password = password;
    this.#cnonce = options.cnonce ?? null;
  }

  override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
    if (this.#challenge !== null) {
      request.headers.set('Authorization', await this.#authorization(request, this.#challenge));
    }
    const response = yield request;
    if (response.statusCode !== 401) return;
    const header = response.headers
      .getList('www-authenticate')
      .find((value) => value.trimStart().toLowerCase().startsWith('digest '));
    if (header === undefined) return;

    // Header bytes that were valid UTF-8 arrive decoded as UTF-8: the digest hashes (and echoes)
    // the challenge as it was on the wire, one latin-1 character per byte.
    const wire =
      response.headers.encoding === 'utf-8' ? Buffer.from(header, 'utf8').toString('latin1') : header;
    this.#challenge = parseDigestChallenge(wire.trimStart(), request);
    this.#nonceCount = 1;
    request.headers.set('Authorization', await this.#authorization(request, this.#challenge));
    const cookie = mergeCookieHeader(request, response);
    if (cookie !== null) request.headers.set('Cookie', cookie);
    yield request;
  }

  /** A fresh client nonce: 16 hex characters, like HTTPX's truncated SHA-1. */
  protected createCnonce(nonceCount: number, nonce: string): string {
    if (this.#cnonce !== null) return this.#cnonce(nonceCount, nonce);
    return randomBytes(8).toString('hex');
  }

  async #authorization(request: Request, challenge: DigestChallenge): Promise<string> {
    const algorithm = challenge.algorithm.toUpperCase();
    const sess = algorithm.endsWith('-SESS');
    const hashName = HASHES[sess ? algorithm.slice(0, -5) : algorithm];
    if (hashName === undefined) {
      throw new ProtocolError(`Unsupported digest algorithm ${JSON.stringify(challenge.algorithm)}`, {
        request,
      });
    }
    // Credentials are hashed as UTF-8, everything taken from the challenge as its wire bytes.
    const digest = (...parts: Array<string | Uint8Array>): string => {
      const hash = createHash(hashName);
      for (const part of parts) hash.update(typeof part === 'string' ? wireBytes(part) : part);
      return hash.digest('hex');
    };
    const utf8 = (text: string) => Buffer.from(text, 'utf8');

    const qop = resolveQop(challenge.qop, request);
    const uri = request.url.pathname + request.url.search;
    const nc = this.#nonceCount.toString(16).padStart(8, '0');
    const cnonce = this.createCnonce(this.#nonceCount, challenge.nonce);
    this.#nonceCount += 1;

    let ha1 = digest(utf8(this.username), `:${challenge.realm}:`, utf8(this.#password));
    if (sess) ha1 = digest(`${ha1}:${challenge.nonce}:${cnonce}`);
    let a2 = `${request.method}:${uri}`;
    if (qop === 'auth-int') a2 += `:${await bodyHash(request, hashName)}`;
    const ha2 = digest(a2);
    const response =
      qop === null
        ? digest(`${ha1}:${challenge.nonce}:${ha2}`)
        : digest(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`);

    let header = `Digest username=${quote(this.username)}, realm=${quote(challenge.realm)}, nonce=${quote(challenge.nonce)}, uri=${quote(uri)}, response="${response}", algorithm=${challenge.algorithm}`;
    if (challenge.opaque !== null) header += `, opaque=${quote(challenge.opaque)}`;
    if (qop !== null) header += `, qop=${qop}, nc=${nc}, cnonce=${quote(cnonce)}`;
    return header;
  }

  [inspect.custom](): string {
    return `DigestAuth(username=${JSON.stringify(this.username)}, password=${SECURE})`;
  }

  toJSON(): Record<string, string> {
    return { type: 'digest', username: this.username, password: SECURE };
  }
}

/** `auth` when offered (as HTTPX), else `auth-int` (beyond HTTPX); anything else is a server error. */
function resolveQop(qop: string | null, request: Request): 'auth' | 'auth-int' | null {
  if (qop === null) return null;
  const offered = qop.split(/,\s*/).map((q) => q.trim());
  if (offered.includes('auth')) return 'auth';
  if (offered.includes('auth-int')) return 'auth-int';
  throw new ProtocolError(`Unexpected qop value ${JSON.stringify(qop)} in digest auth`, { request });
}

// auth-int hashes the entity body. A replayable body is hashed as a stream, so a large upload is
// not buffered; a one-shot body has to be read into memory so it can still be sent afterwards.
async function bodyHash(request: Request, hashName: string): Promise<string> {
  const hash = createHash(hashName);
  const body = request.body;
  if (body === null) return hash.digest('hex');
  if (body.bytes !== null) return hash.update(body.bytes).digest('hex');
  if (!body.replayable) return hash.update(await request.read()).digest('hex');
  for await (const chunk of body.stream()) hash.update(chunk);
  return hash.digest('hex');
}

// The 401 may set cookies (a session, say) the retry must carry; they win over the request's own.
function mergeCookieHeader(request: Request, response: Response): string | null {
  if (!response.headers.has('set-cookie')) return null;
  const jar = new Cookies();
  jar.extract(request.url, response.headers);
  const fromResponse = jar.headerFor(request.url);
  if (fromResponse === '') return null;
  const pairs = new Map<string, string>();
  for (const part of `${request.headers.get('cookie') ?? ''}; ${fromResponse}`.split(';')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    pairs.set(eq < 0 ? trimmed : trimmed.slice(0, eq), trimmed);
  }
  return [...pairs.values()].join('; ');
}
