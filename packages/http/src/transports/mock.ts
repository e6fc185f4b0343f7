import type { Request } from '../models/request.js';
import { Response } from '../models/response.js';
import { BaseTransport } from './base.js';

export type MockHandler = (request: Request) => Response | Promise<Response>;

/** Answers every request with a handler's response, after reading the request body (HTTPX `MockTransport`). */
export class MockTransport extends BaseTransport {
  readonly #handler: MockHandler;

  constructor(handler: MockHandler) {
    super();
    this.#handler = handler;
  }

  override async handleRequest(request: Request): Promise<Response> {
    await request.read();
    const response = await this.#handler(request);
    if (!(response instanceof Response)) {
      throw new TypeError(
        `MockTransport handler must return a Response, got ${Object.prototype.toString.call(response)}`,
      );
    }
    return response;
  }
}
