import type { Request } from '../models/request.js';
import { RequestContext } from './request-context.js';

// The context of the send a Request is in right now, for transports reached through a wrapper that
// calls `inner.handleRequest(request)` without passing the context on (custom transports written
// before the context existed). Weak, so a dropped Request takes its entry with it.
const bound = new WeakMap<Request, RequestContext>();

/** Marks `request` as being sent under `context` until the returned function is called. */
export function bindContext(request: Request, context: RequestContext): () => void {
  const previous = bound.get(request);
  bound.set(request, context);
  return () => {
    if (bound.get(request) !== context) return;
    if (previous === undefined) bound.delete(request);
    else bound.set(request, previous);
  };
}

/**
 * The context a transport runs a request under: the one it was handed, else the send the request
 * is in, else one made from the request's own signal and `extensions.timeout` (a direct call).
 */
export function contextFor(request: Request, context?: RequestContext): RequestContext {
  return context ?? bound.get(request) ?? RequestContext.fromRequest(request);
}

const honouring = new WeakSet<object>();

/** @internal A transport that ends every wait of its own on the context (the client need not race it). */
export function markHonoursContext(transport: object): void {
  honouring.add(transport);
}

export function honoursContext(transport: object): boolean {
  return honouring.has(transport);
}
