import diagnostics from 'node:diagnostics_channel';
import { type Auth, NoAuth } from '../auth/auth.js';
import { type HTTPError, StreamConsumed, TooManyRedirects, UsageError } from '../errors.js';
import type { Cookies } from '../models/cookies.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import { buildRedirectRequest } from '../redirects.js';
import type { BaseTransport } from '../transports/base.js';
import { bindContext, honoursContext } from './context-binding.js';
import type { RequestContext } from './request-context.js';

/** What the pipeline reads from the client on every hop (settable client attributes included). */
export interface PipelineHost {
  readonly eventHooks: {
    request: Array<(request: Request) => void | Promise<void>>;
    response: Array<(response: Response) => void | Promise<void>>;
  };
  readonly maxRedirects: number;
  readonly cookies: Cookies;
  readonly defaultEncoding: string | ((content: Uint8Array) => string);
  readonly maxResponseBytes: number | null;
  transportFor(url: URL): BaseTransport;
}

const requestChannel = diagnostics.channel('pluggable:http:request');
const responseChannel = diagnostics.channel('pluggable:http:response');

/**
 * One send, from the first auth step to the last hop's headers: auth flow → redirects → event
 * hooks → transport. Every wait that cannot be cancelled by itself (a hook, an auth step) is raced
 * against the context, so an abort, the total deadline or `close()` ends the send in every phase.
 */
export async function sendHandlingAuth(
  host: PipelineHost,
  request: Request,
  auth: Auth,
  followRedirects: boolean,
  context: RequestContext,
): Promise<Response> {
  // A plain NoAuth flow yields the request once and ends on its response: skip the generator.
  if (
    auth.authFlow === NoAuth.prototype.authFlow &&
    !auth.requiresRequestBody &&
    !auth.requiresResponseBody
  ) {
    return sendHandlingRedirects(host, request, followRedirects, [], context);
  }
  if (auth.requiresRequestBody) await context.race(request.read(), request);
  const flow = auth.authFlow(request);
  let step = await context.race(Promise.resolve(flow.next()), request);
  if (step.done) throw new UsageError('The auth flow finished without yielding a request');
  let current = step.value;
  const history: Response[] = [];
  for (;;) {
    const response = await sendHandlingRedirects(host, current, followRedirects, history, context);
    try {
      if (auth.requiresResponseBody) await response.read();
      step = await context.race(Promise.resolve(flow.next(response)), current);
      if (!step.done) {
        // The flow wants another round: the response so far becomes history.
        await response.read();
      }
    } catch (error) {
      await response.close();
      throw error;
    }
    if (step.done) return response;
    history.push(response);
    current = step.value;
  }
}

async function sendHandlingRedirects(
  host: PipelineHost,
  request: Request,
  followRedirects: boolean,
  history: Response[],
  context: RequestContext,
): Promise<Response> {
  let current = request;
  for (;;) {
    if (history.length > host.maxRedirects) {
      throw new TooManyRedirects(`Exceeded maximum allowed redirects (${host.maxRedirects}).`, {
        request: current,
      });
    }
    for (const hook of host.eventHooks.request) await context.race(Promise.resolve(hook(current)), current);
    const response = await sendSingle(host, current, context);
    try {
      for (const hook of host.eventHooks.response)
        await context.race(Promise.resolve(hook(response)), current);
    } catch (error) {
      await response.close();
      throw error;
    }
    response.history = [...history];
    if (!response.hasRedirectLocation) return response;

    let next: Request;
    try {
      next = buildRedirectRequest(current, response);
    } catch (error) {
      await response.close();
      throw error;
    }
    const cookieHeader = host.cookies.headerFor(next.url);
    if (cookieHeader !== '') next.headers.set('Cookie', cookieHeader);
    if (!followRedirects) {
      response.nextRequest = next;
      return response;
    }
    context.observer?.redirect(response, next);
    try {
      await response.read();
    } catch (error) {
      await response.close();
      throw error;
    }
    history = [...history, response];
    current = next;
  }
}

async function sendSingle(host: PipelineHost, request: Request, context: RequestContext): Promise<Response> {
  context.throwIfAborted(request);
  // A one-shot body already went out (an auth retry, a redirect, a Request sent twice): fail before
  // sending anything, as HTTPX does, rather than mid-request with a transport error.
  if (request.body?.consumed === true) throw new StreamConsumed();
  const transport = host.transportFor(request.url);
  context.observer?.beforeHop(request);
  const startedAt = performance.now();
  if (requestChannel.hasSubscribers) requestChannel.publish({ request });
  let response: Response;
  try {
    if (honoursContext(transport)) {
      response = await transport.handleRequest(request, context);
    } else {
      // A wrapper may call its inner transport without the context: let it find the send's.
      const unbind = bindContext(request, context);
      try {
        // Raced, for transports that do not watch the context themselves (an app that never answers).
        response = await context.race(transport.handleRequest(request, context), request, closeLate);
      } finally {
        unbind();
      }
    }
  } catch (error) {
    if (responseChannel.hasSubscribers) responseChannel.publish({ request, error: error as HTTPError });
    // Whatever a transport made of an abort (a raw DOMException, a connect failure), the caller sees the abort.
    throw context.aborted ? context.error(request) : error;
  }
  response.request = request;
  response.markStarted(startedAt);
  context.observer?.afterHop(response);
  response.defaultEncoding = host.defaultEncoding;
  if (host.maxResponseBytes !== null) response.maxBytes = host.maxResponseBytes;
  if (response.headers.has('set-cookie')) host.cookies.extract(request.url, response.headers);
  if (responseChannel.hasSubscribers) responseChannel.publish({ request, response });
  return response;
}

function closeLate(response: Response): Promise<void> {
  return response.close();
}
