import { inspect } from 'node:util';
import { UsageError } from '../errors.js';
import { SECURE } from '../internal/redact.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';

export type AuthFlow = Generator<Request, void, Response> | AsyncGenerator<Request, void, Response>;

/**
 * An authentication scheme as a generator flow (HTTPX `Auth`): yield a request, receive its
 * response, and yield again to retry. Flows do no I/O of their own, so they stay easy to test.
 */
export abstract class Auth {
  /** The client reads the request body before the flow starts, so `request.content` is available. */
  requiresRequestBody = false;
  /** The client reads each response body before handing it to the flow. */
  requiresResponseBody = false;

  abstract authFlow(request: Request): AuthFlow;
}

export type AuthLike =
  | Auth
  | readonly [username: string, password: string]
  | ((request: Request) => Request | Promise<Request>);

/** HTTP Basic: `Authorization: Basic base64(username:password)`, UTF-8 encoded. */
export class BasicAuth extends Auth {
  readonly username: string;
  readonly #header: string;

  constructor(username: string, password: string) {
    super();
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new UsageError('BasicAuth needs a username and a password, both strings');
    }
    this.username = username;
    this.#header = basicAuthHeader(username, password);
  }

  override *authFlow(request: Request): Generator<Request, void, Response> {
    request.headers.set('Authorization', this.#header);
    yield request;
  }

  [inspect.custom](): string {
    return `BasicAuth(username=${JSON.stringify(this.username)}, password=${SECURE})`;
  }

  toJSON(): Record<string, string> {
    return { type: 'basic', username: this.username, password: SECURE };
  }
}

export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Wraps a `(request) => request` function (sync or async) as an auth flow. */
export class FunctionAuth extends Auth {
  readonly #fn: (request: Request) => Request | Promise<Request>;

  constructor(fn: (request: Request) => Request | Promise<Request>) {
    super();
    this.#fn = fn;
  }

  override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
    yield await this.#fn(request);
  }
}

/** Sends the request as it is: what `auth: null` and "no auth anywhere" mean. */
export class NoAuth extends Auth {
  override *authFlow(request: Request): Generator<Request, void, Response> {
    yield request;
  }
}

/** Accepts every spelling of `auth` the API allows and returns an `Auth`. */
export function toAuth(auth: AuthLike): Auth {
  if (auth instanceof Auth) return auth;
  if (Array.isArray(auth) && auth.length === 2) return new BasicAuth(auth[0] as string, auth[1] as string);
  if (typeof auth === 'function') return new FunctionAuth(auth as (request: Request) => Request);
  throw new UsageError(
    `Invalid "auth" argument: expected an Auth instance, a [username, password] pair or a function, got ${Object.prototype.toString.call(auth)}`,
  );
}
