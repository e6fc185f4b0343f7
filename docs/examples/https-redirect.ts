// In your project, import these from '@pluggable/http'.
import {
  BaseTransport,
  Client,
  HTTPTransport,
  type HTTPTransportOptions,
  Mounts,
  type Request,
  Response,
} from '../../packages/http/src/index.js';

/** Answers every request with a redirect to the same URL over https. */
export class HTTPSRedirect extends BaseTransport {
  override async handleRequest(request: Request): Promise<Response> {
    const url = new URL(request.url);
    url.protocol = 'https:';
    return new Response(303, { headers: { Location: url.href } });
  }
}

/** A client whose http:// requests are always redirected to https:// before anything is sent. */
export function httpsOnlyClient(options: HTTPTransportOptions = {}): Client {
  const transport = new Mounts({
    'http://': new HTTPSRedirect(),
    'https://': new HTTPTransport(options),
  });
  return new Client({ transport, followRedirects: true });
}
