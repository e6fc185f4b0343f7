import type { RequestContext } from '../lifecycle/request-context.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';

/**
 * Sends one request and returns its response (HTTPX `BaseTransport`). Subclass it to plug in
 * anything: a mock, an in-process app, a router, a wrapper around another transport.
 *
 * `context` is the send's lifecycle (signal, deadline, timeouts, closing); a wrapper passes it on
 * to the transport it wraps. A transport called without one builds it from the request.
 */
export abstract class BaseTransport implements AsyncDisposable {
  abstract handleRequest(request: Request, context?: RequestContext): Promise<Response>;

  /** Releases sockets, files or child transports. The default has nothing to release. */
  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
