const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A write the server may or may not have applied, as it was sent, with its credentials masked. */
export interface UnknownOutcomeRequest {
  method: string;
  /** The URL with the query, `token` masked. */
  url: string;
  headers: Record<string, string>;
  /** The body: `json` as the caller gave it, text (or JSON bytes) as `data`, or the size of other binary data. */
  json?: unknown;
  data?: string;
  dataBytes?: number;
}

/** Base of every error this package throws; `code` is stable across versions. */
export class ApifyClientError extends Error {
  readonly code: string;
  /**
   * `true` when a write may have been applied although the call failed (a 5xx, a timeout or a lost
   * connection after the request was sent, a body that failed to read after a 2xx). Such a write is
   * never replayed; `request` says what was sent, so the caller can check before trying again.
   */
  outcomeUnknown = false;
  request: UnknownOutcomeRequest | undefined;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad input caught before anything is sent. */
export class InvalidArgumentError extends ApifyClientError {
  constructor(message: string) {
    super(message, 'ERR_APIFY_INVALID_ARGUMENT');
  }
}

export interface ApiErrorContext {
  statusCode: number;
  attempt: number;
  httpMethod: string;
  /** Absolute URL of the request; only its path is kept. */
  url: string;
  /** The body text of the error response. */
  body: string;
  /** Strings that must never appear in a message (the token). */
  secrets?: readonly string[];
}

const TOKEN_CHAR = '[A-Za-z0-9_~.+/=-]';
/** Long enough that it cannot occur by chance inside other text, so it is masked wherever it is. */
const MIN_UNBOUNDED_SECRET = 12;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks one secret where it occurs as a token: not inside a longer word, so a short token such as
 * `t` leaves "Database" alone. A long secret is masked wherever it occurs.
 */
function maskSecret(text: string, secret: string): string {
  if (secret.length === 0) return text;
  if (secret.length >= MIN_UNBOUNDED_SECRET) return text.split(secret).join('***');
  const bounded = new RegExp(`(?<!${TOKEN_CHAR})${escapeRegExp(secret)}(?!${TOKEN_CHAR})`, 'g');
  return text.replace(bounded, '***');
}

/** Masks bearer credentials, `token=` query values and the given secrets, and nothing else. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/(Bearer\s+)[^\s"',;)]+/gi, '$1***').replace(/([?&]token=)[^&\s"')]+/gi, '$1***');
  for (const secret of secrets) out = maskSecret(out, secret);
  return out;
}

/** `data` from an error body with every secret replaced in its strings (a server may echo the token back). */
function redactData(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const secret of secrets) out = maskSecret(out, secret);
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => redactData(item, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactData(v, secrets)]));
  }
  return value;
}

/** The first line of a transport's message: impit's native errors append a multi-line debug dump. */
export function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.trim().replace(/[:\s]+$/, '');
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

interface ParsedErrorBody {
  type: string | undefined;
  message: string | undefined;
  data: unknown;
}

function parseErrorBody(body: string): ParsedErrorBody {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const error: unknown = parsed.error;
      if (typeof error === 'object' && error !== null) {
        const record = error as Record<string, unknown>;
        return {
          type: typeof record.type === 'string' ? record.type : undefined,
          message: typeof record.message === 'string' ? record.message : undefined,
          data: record.data,
        };
      }
    }
  } catch {
    // A non-JSON error body (a proxy's HTML page, a truncated body) becomes "Unexpected error".
  }
  return { type: undefined, message: undefined, data: undefined };
}

/**
 * An error response from the API. Use `ApifyApiError.from()` to get the subclass for the status.
 * Its `name` is always `'ApifyApiError'` and `httpMethod` lower-case, as in the official client, so
 * code that checks `err.name` or logs the fields works unchanged; `instanceof` tells the status.
 */
export class ApifyApiError extends ApifyClientError {
  override name = 'ApifyApiError';
  /** `Class.method` of the resource client that sent the request, e.g. `DatasetClient.listItems`. */
  clientMethod = 'unknown';
  readonly type: string | undefined;
  readonly data: unknown;
  readonly statusCode: number;
  readonly attempt: number;
  readonly httpMethod: string;
  readonly path: string;

  constructor(context: ApiErrorContext) {
    const parsed = parseErrorBody(context.body);
    const raw = parsed.message ?? `Unexpected error: ${context.body}`;
    super(redact(raw, context.secrets), 'ERR_APIFY_API');
    this.type = parsed.type;
    this.data = context.secrets === undefined ? parsed.data : redactData(parsed.data, context.secrets);
    this.statusCode = context.statusCode;
    this.attempt = context.attempt;
    this.httpMethod = context.httpMethod.toLowerCase();
    this.path = pathOf(context.url);
  }

  static from(context: ApiErrorContext): ApifyApiError {
    const status = context.statusCode;
    if (status === 400) return new InvalidRequestError(context);
    if (status === 401) return new UnauthorizedError(context);
    if (status === 403) return new ForbiddenError(context);
    if (status === 404) return new NotFoundError(context);
    if (status === 409) return new ConflictError(context);
    if (status === 429) return new RateLimitError(context);
    if (status >= 500) return new ServerError(context);
    return new ApifyApiError(context);
  }

  [INSPECT](): string {
    return `${this.name} [${this.statusCode} ${this.type ?? ''}] ${this.httpMethod.toUpperCase()} ${this.path} (attempt ${this.attempt}, ${this.clientMethod}): ${this.message}`;
  }
}

export class InvalidRequestError extends ApifyApiError {}
export class UnauthorizedError extends ApifyApiError {}
export class ForbiddenError extends ApifyApiError {}
export class NotFoundError extends ApifyApiError {}
export class ConflictError extends ApifyApiError {}
export class RateLimitError extends ApifyApiError {}
export class ServerError extends ApifyApiError {}

export interface RequestErrorContext {
  attempt: number;
  httpMethod: string;
  url: string;
  secrets?: readonly string[];
}

/** The transport failed (connection refused or lost, timeout) on the last attempt. */
export class ApifyTransportError extends ApifyClientError {
  readonly attempt: number;
  readonly httpMethod: string;
  readonly path: string;
  constructor(context: RequestErrorContext & { cause: unknown; outcomeUnknown: boolean }) {
    const causeMessage = firstLine(
      context.cause instanceof Error ? context.cause.message : String(context.cause),
    );
    const path = pathOf(context.url);
    const message = `${context.httpMethod} ${path} failed on attempt ${context.attempt}: ${causeMessage}`;
    super(redact(message, context.secrets), 'ERR_APIFY_TRANSPORT', { cause: context.cause });
    this.attempt = context.attempt;
    this.httpMethod = context.httpMethod;
    this.path = path;
    this.outcomeUnknown = context.outcomeUnknown;
  }
}

/** A success response whose body is not the JSON it claims to be (truncated, invalid). Retried. */
export class InvalidResponseBodyError extends ApifyClientError {
  readonly statusCode: number;
  readonly attempt: number;
  readonly httpMethod: string;
  readonly path: string;

  constructor(context: RequestErrorContext & { statusCode: number; cause: unknown }) {
    const path = pathOf(context.url);
    super(
      `${context.httpMethod} ${path} returned status ${context.statusCode} with a body that is not valid JSON`,
      'ERR_APIFY_INVALID_RESPONSE_BODY',
      { cause: context.cause },
    );
    this.statusCode = context.statusCode;
    this.attempt = context.attempt;
    this.httpMethod = context.httpMethod;
    this.path = path;
  }
}
