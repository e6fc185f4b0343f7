import type { Context } from 'hono';
import { ApiError } from '../errors.js';
import { parseJson, readBody } from './body.js';
import type { AppContext } from './context.js';

/**
 * JSON media types, plus text/plain: fetch() labels a string body text/plain unless told otherwise,
 * so refusing it would break the simplest callers while protecting nothing.
 */
const JSON_LIKE = /^(application\/([\w.-]+\+)?json|text\/plain)\s*(;|$)/i;

/** The platform wants JSON bodies labelled as JSON; a form, XML or bytes is a caller mistake. */
export function checkJsonContentType(c: Context): void {
  const type = (c.req.header('content-type') ?? '').trim();
  if (type === '' || JSON_LIKE.test(type)) return;
  throw new ApiError(
    400,
    'invalid-content-type-header',
    `Content-Type '${type}' is not accepted here: send the body as application/json`,
  );
}

/** Checks the content type, reads the body within the payload limit, and parses it. */
export async function readJson(c: Context, ctx: AppContext, what: string): Promise<unknown> {
  checkJsonContentType(c);
  const { decoded } = await readBody(c.req.raw, ctx.maxPayloadBytes, ctx.bodyTimeoutMs);
  return parseJson(decoded, what);
}

/** The body of a storage update: an object whose `name`, when present, is a string or null. */
export async function readStorageUpdate(c: Context, ctx: AppContext): Promise<{ name?: string | null }> {
  const body = await readJson(c, ctx, 'The body');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid-request', 'The body must be a JSON object');
  }
  const { name } = body as { name?: unknown };
  if (name === undefined) return {};
  if (name !== null && typeof name !== 'string') {
    throw new ApiError(
      400,
      'invalid-value',
      `The name must be a string or null, got ${JSON.stringify(name)}`,
    );
  }
  return { name };
}
