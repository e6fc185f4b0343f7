// In your project, import these from '@pluggable/http'.
import {
  BaseTransport,
  HTTPTransport,
  type HTTPTransportOptions,
  type Request,
  type Response,
} from '../../packages/http/src/index.js';

export interface DebuggingTransportOptions extends HTTPTransportOptions {
  /** Where the lines go; inject one to keep them out of stdout. */
  log?: (line: string) => void;
}

/** Wraps the default HTTP transport and logs every request and response it carries. */
export class DebuggingTransport extends BaseTransport {
  readonly #wrapped: HTTPTransport;
  readonly #log: (line: string) => void;

  constructor({ log = console.log, ...options }: DebuggingTransportOptions = {}) {
    super();
    this.#wrapped = new HTTPTransport(options);
    this.#log = log;
  }

  override async handleRequest(request: Request): Promise<Response> {
    this.#log(`>>> ${request}`);
    const response = await this.#wrapped.handleRequest(request);
    this.#log(`<<< ${response}`);
    return response;
  }

  override async close(): Promise<void> {
    await this.#wrapped.close();
  }
}
