import { type HttpCallOptions, HttpClient, type HttpResponse } from '../../src/index.js';

const encoder = new TextEncoder();

/** A response held in memory; satisfies `HttpResponse` structurally. */
export function memoryResponse(
  status: number,
  body: unknown = { data: {} },
  headers: Record<string, string> = {},
): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const content = encoder.encode(text);
  const lower = new Map(
    Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    statusCode: status,
    headers: { get: (name: string) => lower.get(name.toLowerCase()) ?? null },
    text,
    content,
    json: () => JSON.parse(text),
    read: async () => content,
    close: () => undefined,
    async *iterBytes() {
      yield content;
    },
  };
}

/** Records every call and answers from `respond` (default: `{ data: {} }`); for exact-request tests. */
export class RecordingHttpClient extends HttpClient {
  readonly calls: HttpCallOptions[] = [];
  respond: (options: HttpCallOptions, index: number) => HttpResponse | Promise<HttpResponse>;

  constructor(respond?: (options: HttpCallOptions, index: number) => HttpResponse | Promise<HttpResponse>) {
    super();
    this.respond = respond ?? (() => memoryResponse(200));
  }

  async call(options: HttpCallOptions): Promise<HttpResponse> {
    this.calls.push(options);
    return this.respond(options, this.calls.length - 1);
  }
}
