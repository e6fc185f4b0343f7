import { Auth, type Request, type Response } from '../../src/index.js';

/**
 * HTTPX's test `RepeatAuth`: sends the request `repeat` times, then once more with the
 * `WWW-Authenticate` challenges it collected, joined by dots. A multi-step flow that needs the body.
 */
export class RepeatAuth extends Auth {
  override requiresRequestBody = true;
  constructor(readonly repeat: number) {
    super();
  }
  override *authFlow(request: Request): Generator<Request, void, Response> {
    const nonces: string[] = [];
    for (let index = 0; index < this.repeat; index++) {
      request.headers.set('Authorization', `Repeat ${index}`);
      const response = yield request;
      nonces.push(response.headers.get('www-authenticate') ?? '');
    }
    request.headers.set('Authorization', `Repeat ${nonces.join('.')}`);
    yield request;
  }
}
