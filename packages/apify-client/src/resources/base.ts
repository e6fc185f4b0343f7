import type { ApiContext } from '../api-context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import type { HttpCallOptions, HttpParamValue } from '../http/http-client.js';
import type { HttpResponse } from '../http/http-response.js';
import { serializeParams } from '../http/pipeline.js';
import { resolveTimeout, type Timeout, type TimeoutTier } from '../timeouts.js';
import { checkCallOptions } from '../validation/call-options.js';
import { CallSite } from './client-method.js';
import { parseDateFields } from './date-fields.js';
import { offsetPaginatedIterator, type PaginatedIterator } from './paginated-iterator.js';
import { paginateOffset } from './pagination.js';
import { createStorageContentSignature } from './signature.js';

/**
 * Accepted by every resource method, beyond the official client's options. The HTTP deadline is
 * `httpTimeout`, because `timeout` is a run's timeout in seconds wherever the official client has it.
 */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Milliseconds, a tier name, or `null`; defaults to the method's tier. */
  httpTimeout?: Timeout;
}

/** Booleans go out as `1`/`0`, as the official client's query serializer sends them. */
function wireParams(params: QueryParams): QueryParams {
  checkCallOptions(params);
  const out: QueryParams = {};
  for (const [key, value] of Object.entries(params))
    out[key] = typeof value === 'boolean' ? Number(value) : value;
  return out;
}

export type QueryParams = Record<string, HttpParamValue>;

/** `username/name` becomes `username~name`, then the ID is made safe for a path segment. */
export function safeId(id: string): string {
  if (typeof id !== 'string' || id === '')
    throw new InvalidArgumentError(`Expected a non-empty ID, got ${JSON.stringify(id)}`);
  return encodeURIComponent(id.replace('/', '~'));
}

/** Splits method options into query parameters and request options. */
export function splitOptions<T extends RequestOptions>(
  options: T | undefined,
  exclude: readonly string[] = [],
): { params: QueryParams; request: RequestOptions } {
  const params: QueryParams = {};
  const request: RequestOptions = {};
  if (options === undefined) return { params, request };
  for (const [key, value] of Object.entries(options)) {
    if (key === 'signal') request.signal = value as AbortSignal;
    else if (key === 'httpTimeout') request.httpTimeout = value as Timeout;
    else if (!exclude.includes(key)) params[key] = value as HttpParamValue;
  }
  return { params, request };
}

export interface SendSpec {
  method: string;
  /** Appended to the client's path. */
  sub?: string;
  params?: QueryParams;
  headers?: Record<string, string>;
  json?: unknown;
  data?: HttpCallOptions['data'];
  stream?: boolean;
  tier: TimeoutTier;
  options?: RequestOptions | undefined;
  idempotent?: boolean;
  /** Caps the tier's timeout (the official `requestQueue(id, { timeoutSecs })`), in ms. */
  maxTimeout?: number | undefined;
  /** `false` keeps `…At` fields as strings (bodies the official client returns unparsed). */
  parseDates?: boolean;
}

/** A 404 that means "no such resource" (not a missing route): `get()` answers `undefined`. */
export function isResourceNotFound(error: unknown): boolean {
  if (!(error instanceof NotFoundError)) return false;
  return (
    error.type === 'record-not-found' ||
    error.type === 'record-or-token-not-found' ||
    error.httpMethod === 'head'
  );
}

/** Everything with a path under `/v2/`: builds requests and reads the `{ data }` envelope. */
export abstract class ApiClientBase {
  protected readonly ctx: ApiContext;
  /** Path below `/v2/`, e.g. `datasets/abc` or `actor-runs/xyz/dataset`. */
  readonly path: string;
  protected readonly baseParams: QueryParams;

  constructor(ctx: ApiContext, path: string, baseParams: QueryParams = {}) {
    this.ctx = ctx;
    this.path = path;
    this.baseParams = baseParams;
  }

  protected async send(spec: SendSpec): Promise<HttpResponse> {
    const callSite = new CallSite();
    let timeout = resolveTimeout(spec.options?.httpTimeout, spec.tier);
    if (spec.maxTimeout !== undefined)
      timeout = timeout === null ? spec.maxTimeout : Math.min(timeout, spec.maxTimeout);
    const request: Parameters<ApiContext['request']>[0] = {
      method: spec.method,
      path: spec.sub === undefined ? this.path : `${this.path}/${spec.sub}`,
      params: wireParams({ ...this.baseParams, ...spec.params }),
      timeout,
      signal: spec.options?.signal,
    };
    if (spec.headers !== undefined) request.headers = spec.headers;
    if (spec.json !== undefined) request.json = spec.json;
    if (spec.data !== undefined) request.data = spec.data;
    if (spec.stream === true) request.stream = true;
    if (spec.idempotent !== undefined) request.idempotent = spec.idempotent;
    if (spec.options?.httpTimeout === undefined) request.timeoutIsDefault = true;
    try {
      return await this.ctx.request(request);
    } catch (error) {
      callSite.annotate(error);
      throw error;
    }
  }

  /** Sends and returns the parsed JSON body (or `undefined` for an empty one). */
  protected async sendJson(spec: SendSpec): Promise<unknown> {
    const response = await this.send(spec);
    if (response.content.byteLength === 0) return undefined;
    return this.ctx.parseJson(response, { method: spec.method, path: this.path });
  }

  /** Sends and unwraps `{ data }`. */
  protected async sendData<T>(spec: SendSpec): Promise<T> {
    const body = await this.sendJson(spec);
    const data = typeof body === 'object' && body !== null && 'data' in body ? body.data : body;
    return (spec.parseDates === false ? data : parseDateFields(data)) as T;
  }
}

/** A single resource addressed by ID (or reached through a parent, e.g. `run.dataset()`). */
export abstract class ResourceClient extends ApiClientBase {
  /**
   * A chained client (`run.dataset()`) reaches a resource that must exist, so a 404 on it is an
   * error rather than "no such resource".
   */
  protected readonly chained: boolean;

  constructor(ctx: ApiContext, path: string, options: { params?: QueryParams; chained?: boolean } = {}) {
    super(ctx, path, options.params);
    this.chained = options.chained ?? false;
  }

  /** Runs `fn`; a resource 404 gives `undefined` unless the client is chained. */
  protected async orUndefined<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      if (!this.chained && isResourceNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * A public URL of `sub` with the query; signed when the resource has a signing key, so it opens
   * without a token (non-public storages).
   */
  protected async publicUrl(
    sub: string,
    params: QueryParams,
    expiresInSecs: number | undefined,
    options?: RequestOptions,
  ): Promise<string> {
    checkCallOptions({ ...params, expiresInSecs });
    const resource = await this._get<{ id: string; urlSigningSecretKey?: unknown }>(options);
    const url = new URL(`${this.ctx.publicApiUrl}/${this.path}/${sub}`);
    const secret = resource?.urlSigningSecretKey;
    if (resource !== undefined && typeof secret === 'string' && secret !== '') {
      const signature = await createStorageContentSignature({
        resourceId: resource.id,
        urlSigningSecretKey: secret,
        expiresInMillis: expiresInSecs === undefined ? undefined : expiresInSecs * 1000,
      });
      url.searchParams.set('signature', signature);
    }
    for (const [key, value] of Object.entries(serializeParams(params))) url.searchParams.set(key, value);
    return url.toString();
  }

  protected _get<T>(options?: RequestOptions, params?: QueryParams): Promise<T | undefined> {
    return this.orUndefined(() =>
      this.sendData<T>({ method: 'GET', tier: 'short', options, params: params ?? {} }),
    );
  }

  protected _update<T>(fields: object, options?: RequestOptions): Promise<T> {
    return this.sendData<T>({ method: 'PUT', json: fields, tier: 'short', options });
  }

  /** Deleting what is already gone is a no-op. */
  protected async _delete(options?: RequestOptions): Promise<void> {
    try {
      await this.send({ method: 'DELETE', tier: 'short', options });
    } catch (error) {
      if (!isResourceNotFound(error)) throw error;
    }
  }
}

/** A page of an offset-paginated list. */
export interface PaginatedList<T> {
  total: number;
  offset: number;
  limit: number;
  count: number;
  desc: boolean;
  items: T[];
}

export interface ListOptions extends RequestOptions {
  offset?: number;
  limit?: number;
  desc?: boolean;
}

export interface IterateOptions {
  /** Items fetched per request; default 1000. */
  chunkSize?: number;
}

/** A collection endpoint: `list`, `iterate`, and the create helpers its subclasses expose. */
export abstract class CollectionClient<T, P extends object = object> extends ApiClientBase {
  /** The first page, which is also an async iterable of every item (`for await … of list()`). */
  list(options: P & ListOptions & IterateOptions = {} as P & ListOptions): PaginatedIterator<T> {
    return offsetPaginatedIterator((pageOptions: P & ListOptions & IterateOptions) => {
      // `chunkSize` goes out too: the official client sends it, and the API ignores it.
      const { params, request } = splitOptions(pageOptions);
      return this.sendData<PaginatedList<T>>({ method: 'GET', params, tier: 'short', options: request });
    }, options);
  }

  /** Every item of the collection, page by page; stops on an empty page, never trusting `total`. */
  iterate(options: P & ListOptions & IterateOptions = {} as P & ListOptions): AsyncIterableIterator<T> {
    const { params, request } = splitOptions(options, ['offset', 'limit', 'chunkSize']);
    const pageOptions: { offset?: number; limit?: number; chunkSize?: number; signal?: AbortSignal } = {};
    if (options.offset !== undefined) pageOptions.offset = options.offset;
    if (options.limit !== undefined) pageOptions.limit = options.limit;
    if (options.chunkSize !== undefined) pageOptions.chunkSize = options.chunkSize;
    if (request.signal !== undefined) pageOptions.signal = request.signal;
    return paginateOffset<T>(async (offset, limit) => {
      const page = await this.sendData<PaginatedList<T>>({
        method: 'GET',
        params: { ...params, offset, limit },
        tier: 'short',
        options: request,
      });
      return { items: page.items, scanned: Math.max(page.count ?? 0, page.items.length) };
    }, pageOptions);
  }

  protected _create<R>(body: unknown, options?: RequestOptions, params?: QueryParams): Promise<R> {
    // A replayed create after a lost response would make a duplicate (or a spurious 409).
    return this.sendData<R>({
      method: 'POST',
      json: body,
      tier: 'short',
      options,
      params: params ?? {},
      idempotent: false,
    });
  }

  /** `POST ?name=` is get-or-create by name, so replaying it is safe; without a name it is a create. */
  protected _getOrCreate<R>(
    name: string | undefined,
    body: object | undefined,
    options?: RequestOptions,
  ): Promise<R> {
    const spec: SendSpec = {
      method: 'POST',
      params: { name },
      tier: 'short',
      options,
      idempotent: name !== undefined,
    };
    if (body !== undefined) spec.json = body;
    return this.sendData<R>(spec);
  }
}
