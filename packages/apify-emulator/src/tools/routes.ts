import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ApiError } from '../errors.js';
import { readBody } from '../http/body.js';
import { type App, type AppContext, requestUrl } from '../http/context.js';
import { readJson } from '../http/json-body.js';
import { boolParam, dataResponse, jsonResponse } from '../http/query.js';
import { USER } from '../storages/common.js';
import { browserInfo } from './browser-info.js';
import { Signer } from './signing.js';

/** The Node request behind this one, when it came over a socket (the emulator passes it as Hono's env). */
function incomingOf(c: Context): IncomingMessage | null {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  return env?.incoming ?? null;
}

export function toolRoutes(app: App, ctx: AppContext): void {
  const signer = new Signer();

  // The spec serves browser info at the top level, for every method, without a token.
  app.on(['GET', 'POST', 'PUT', 'DELETE'], '/v2/browser-info', async (c) => {
    const url = requestUrl(c);
    const skipHeaders = boolParam(url, 'skipHeaders');
    const rawHeaders = boolParam(url, 'rawHeaders');
    const body = await readBody(c.req.raw, ctx.maxPayloadBytes, ctx.bodyTimeoutMs);
    const info = browserInfo(c.req.raw, incomingOf(c), {
      skipHeaders,
      rawHeaders,
      bodyLength: body.encoded.length,
    });
    return jsonResponse(info);
  });

  app.post('/v2/tools/encode-and-sign', async (c) => {
    const body = await readJson(c, ctx, 'The body');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(400, 'invalid-value', 'The body to encode must be a JSON object');
    }
    return dataResponse({ encoded: signer.encode(body, USER.id) });
  });

  app.post('/v2/tools/decode-and-verify', async (c) => {
    const body = (await readJson(c, ctx, 'The body')) as { encoded?: unknown } | null;
    const encoded = body?.encoded;
    if (typeof encoded !== 'string' || encoded === '') {
      throw new ApiError(400, 'invalid-value', "The body must be an object with the string 'encoded'");
    }
    const { data, userId } = signer.decode(encoded);
    // The emulator's one account is not a verified publisher.
    return dataResponse({ decoded: data, encodedByUserId: userId, isVerifiedUser: false });
  });
}
