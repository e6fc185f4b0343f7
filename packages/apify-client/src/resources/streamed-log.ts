import type { Readable } from 'node:stream';
import defaultLog, { type Log, Logger, LogLevel } from '@apify/log';

/** Where forwarded lines go: an `@apify/log` `Log`, or anything with the same `info()`. */
export interface LogDestination {
  info(message: string): void;
}

/** The part of `LogClient` a `StreamedLog` reads from. */
export interface LogStreamSource {
  stream(options: { raw?: boolean }): Promise<Readable | undefined>;
}

export interface StreamedLogOptions {
  logClient: LogStreamSource;
  toLog: LogDestination | Log;
  /** `false` skips the lines written before this object was made; default `true`. */
  fromStart?: boolean;
}

const NEWLINE = 0x0a;

/** SGR colouring as `ansi-colors` does it: an empty text stays empty. */
function paint(text: string, open: number): string {
  return text === '' ? '' : `\u001b[${open}m${text}\u001b[39m`;
}

/**
 * The `@apify/log` logger that `call()` uses for a run's lines: the run's own timestamps are kept,
 * so it prints none of its own, just the prefix (`my-actor runId:abc -> `) and the line.
 */
export class LoggerActorRedirect extends Logger {
  constructor(options: Record<string, unknown> = {}) {
    super({ skipTime: true, level: LogLevel.DEBUG, ...options });
  }

  override _log(
    level: LogLevel,
    message: string,
    data?: unknown,
    exception?: unknown,
    opts: Record<string, unknown> = {},
  ): string | undefined {
    if (level > (this.options.level as LogLevel)) return undefined;
    if (data !== undefined || exception !== undefined) {
      throw new Error('Redirect logger does not use other arguments than level and message');
    }
    const prefix = typeof opts.prefix === 'string' ? opts.prefix : '';
    const time = this.options.skipTime
      ? ''
      : `${new Date().toISOString().replace('Z', '').replace('T', ' ')} `;
    const line = `${paint(time, 90)}${paint(prefix, 36)}${message || ''}`;
    this._outputWithConsole(LogLevel.INFO, line);
    return line;
  }
}

/**
 * Follows a run's log and forwards it message by message. A message starts at an ISO timestamp at
 * the start of a line, so a multi-line message (a stack trace) stays one call of `toLog.info()`.
 */
export class StreamedLog {
  readonly #destination: LogDestination;
  readonly #logClient: LogStreamSource;
  /** Messages older than this are skipped (`fromStart: false`). */
  readonly #notBefore: Date | null;
  #pending: Buffer[] = [];
  #task: Promise<void> | null = null;
  #stopping = false;

  constructor(options: StreamedLogOptions) {
    this.#destination = options.toLog;
    this.#logClient = options.logClient;
    this.#notBefore = options.fromStart === false ? new Date() : null;
  }

  /** Starts forwarding in the background; throws if already started. */
  start(): void {
    if (this.#task !== null) throw new Error('Streaming task already active');
    this.#stopping = false;
    this.#task = this.streamLog();
  }

  /** Stops after the chunk being read and waits until everything read has been forwarded. */
  async stop(): Promise<void> {
    if (this.#task === null) throw new Error('Streaming task is not active');
    this.#stopping = true;
    try {
      await this.#task;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AbortError')) throw error;
    } finally {
      this.#task = null;
    }
  }

  async streamLog(): Promise<void> {
    const stream = await this.#logClient.stream({ raw: true });
    if (stream === undefined) return;
    try {
      const rest = await this.logStreamChunks(stream);
      const last = Buffer.from(rest).toString().trim();
      if (last.length > 0) this.#destination.info(last);
    } catch (error) {
      defaultLog.warning('Log redirection stopped due to error', { error: String(error) });
    } finally {
      stream.destroy();
    }
  }

  /** Forwards every complete line of `stream`; returns the bytes after the last newline. */
  async logStreamChunks(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
    let carry: Uint8Array = new Uint8Array();
    for await (const chunk of stream) {
      const joined = new Uint8Array(carry.length + chunk.length);
      joined.set(carry, 0);
      joined.set(chunk, carry.length);
      const end = joined.lastIndexOf(NEWLINE);
      if (end === -1) {
        carry = joined;
        continue;
      }
      carry = joined.slice(end);
      this.#pending.push(Buffer.from(joined.slice(0, end)));
      this.logBufferContent();
      if (this.#stopping) break;
    }
    return carry;
  }

  /** Splits what was read into timestamped messages and forwards each. */
  logBufferContent(): void {
    const text = Buffer.concat(this.#pending).toString();
    this.#pending = [];
    const marker = /(?:\n|^)(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)/g;
    const parts = text.split(marker).slice(1);
    for (let index = 0; index + 1 < parts.length; index += 2) {
      const timestamp = parts[index] ?? '';
      if (this.#notBefore !== null && new Date(timestamp) < this.#notBefore) continue;
      this.#destination.info(`${timestamp}${parts[index + 1] ?? ''}`.trim());
    }
  }
}

export type { Log };
export { defaultLog, LogLevel };
