import { ApifyApiError } from '../errors.js';

/** Our own plumbing between a public method and the HTTP call; never what the user called. */
const INTERNAL = new Set([
  'send',
  'sendData',
  'sendJson',
  'orUndefined',
  'publicUrl',
  'fetchPage',
  '<anonymous>',
]);
const FRAME = /at (?:async )?([A-Za-z]+Client)\.(#?[\w<>]+)(?: \[as \w+\])? \(/g;

/**
 * A call site captured when a request starts. V8 formats the stack only when it is read, so the
 * cost is paid on errors alone; it gives `ApifyApiError.clientMethod` as the official client names
 * it (`DatasetClient.listItems`), found in the synchronous stack since an async one loses callers.
 */
export class CallSite {
  readonly #holder: { stack?: string } = {};

  constructor() {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 20;
    Error.captureStackTrace(this.#holder, CallSite);
    Error.stackTraceLimit = limit;
  }

  get clientMethod(): string {
    for (const match of (this.#holder.stack ?? '').matchAll(FRAME)) {
      const method = match[2] ?? '';
      if (method.startsWith('#') || INTERNAL.has(method)) continue;
      return `${match[1]}.${method.replace(/^_/, '')}`;
    }
    return 'unknown';
  }

  /** Names the client method on an API error that has none yet. */
  annotate(error: unknown): void {
    if (error instanceof ApifyApiError && error.clientMethod === 'unknown')
      error.clientMethod = this.clientMethod;
  }
}
