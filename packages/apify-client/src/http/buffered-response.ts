import type { HttpResponse } from './http-response.js';

const decoder = new TextDecoder();
const NOT_PARSED = Symbol('not parsed');

/** A response whose body is fully in memory; `json()` parses once and caches. */
export class BufferedHttpResponse implements HttpResponse {
  readonly statusCode: number;
  readonly headers: HttpResponse['headers'];
  readonly content: Uint8Array;
  #text: string | undefined;
  #json: unknown = NOT_PARSED;

  constructor(
    statusCode: number,
    headers: HttpResponse['headers'],
    content: Uint8Array,
    parsedJson?: unknown,
  ) {
    this.statusCode = statusCode;
    this.headers = headers;
    this.content = content;
    if (parsedJson !== undefined) this.#json = parsedJson;
  }

  get text(): string {
    this.#text ??= decoder.decode(this.content);
    return this.#text;
  }

  json(): unknown {
    if (this.#json === NOT_PARSED) this.#json = JSON.parse(this.text);
    return this.#json;
  }

  async read(): Promise<Uint8Array> {
    return this.content;
  }

  close(): void {}

  async *iterBytes(): AsyncIterable<Uint8Array> {
    if (this.content.byteLength > 0) yield this.content;
  }
}

/** Whether a content type announces JSON (`application/json`, `+json` types). */
export function isJsonContentType(contentType: string | null | undefined): boolean {
  if (contentType === null || contentType === undefined) return false;
  return /^application\/(json|[^;]*\+json)\b/i.test(contentType.trim());
}
