import { Client } from '../client.js';
import { HTTPError, InvalidURL, UsageError } from '../errors.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import { CliUsageError, parseArgs, USAGE } from './args.js';
import { downloadTo } from './download.js';
import { formatBody, formatError, formatResponseHead } from './output.js';
import { askPassword, PROMPT_FOR_PASSWORD, PromptInterrupted } from './password-prompt.js';
import { type PreparedRequest, prepareRequest } from './request.js';
import { formatSentHead, WireTrace } from './wire-trace.js';

export interface CliIO {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Exit statuses, as HTTPX's CLI: 0 for 2xx, 1 otherwise; 2 for usage, 130 for Ctrl-C. */
const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

function usageFailure(io: CliIO, message: string): number {
  io.stderr.write(`pluggable-http: error: ${message}\n${USAGE}\n`);
  return EXIT.usage;
}

// Prints each exchange as it happens, redirect hops and auth challenges included (as HTTPX's
// trace does). With -v, the connection lines and the request head as sent come first; they are
// printed when the response arrives (or the request fails), since undici reports them on the way.
class Transcript {
  readonly #wire: WireTrace | null;
  constructor(
    readonly io: CliIO,
    verbose: boolean,
  ) {
    this.#wire = verbose ? new WireTrace() : null;
  }

  onResponse = (response: Response): void => {
    this.flushRequest();
    this.io.stdout.write(formatResponseHead(response));
  };

  /** Shows what went out for the exchange so far: connection lines, then each head sent. */
  flushRequest(): void {
    if (this.#wire === null) return;
    const { connection, heads } = this.#wire.take();
    if (connection.length > 0) this.io.stdout.write(`${connection.join('\n')}\n`);
    for (const head of heads) this.io.stdout.write(formatSentHead(head));
  }

  [Symbol.dispose](): void {
    this.#wire?.close();
  }
}

async function exchange(
  prepared: PreparedRequest,
  io: CliIO,
  verbose: boolean,
  signal: AbortSignal,
): Promise<number> {
  using transcript = new Transcript(io, verbose);
  let client: Client;
  let request: Request;
  try {
    client = new Client({
      ...prepared.client,
      eventHooks: { response: [transcript.onResponse] },
    });
    request = client.buildRequest(prepared.method, prepared.url, prepared.request);
  } catch (error) {
    // Bad input found while building (a CR/LF in a header, a bad proxy URL): nothing was sent.
    if (error instanceof UsageError || error instanceof InvalidURL || error instanceof HTTPError) {
      return usageFailure(io, formatError(error));
    }
    throw error;
  }
  await using _client = client;
  try {
    await using response = await client.send(request, { stream: true, signal });
    if (prepared.download !== null) {
      await downloadTo(response, prepared.download, {
        progress: io.stderr.isTTY ? io.stderr : null,
        signal,
      });
    } else {
      await response.read();
      const color = io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
      io.stdout.write(formatBody(response, color));
    }
    return response.isSuccess ? EXIT.ok : EXIT.failed;
  } catch (error) {
    transcript.flushRequest();
    if (signal.aborted) {
      io.stderr.write('pluggable-http: interrupted\n');
      return EXIT.interrupted;
    }
    io.stderr.write(`pluggable-http: ${formatError(error)}\n`);
    return EXIT.failed;
  }
}

/** Runs the command line; resolves to the exit status. Ctrl-C aborts the request in flight. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(argv, {
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });
  if (parsed.kind === 'exit') return parsed.code;
  let prepared: PreparedRequest;
  try {
    const { auth } = parsed.options;
    if (auth !== null && auth[1] === PROMPT_FOR_PASSWORD) {
      parsed.options.auth = [auth[0], await askPassword(auth[0], io)];
    }
    prepared = await prepareRequest(parsed.options);
  } catch (error) {
    if (error instanceof CliUsageError) return usageFailure(io, error.message);
    if (error instanceof PromptInterrupted) {
      io.stderr.write('\npluggable-http: interrupted\n');
      return EXIT.interrupted;
    }
    throw error;
  }

  const controller = new AbortController();
  const onInterrupt = (): void => {
    // A second Ctrl-C while the abort is being cleaned up quits at once.
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await exchange(prepared, io, parsed.options.verbose, controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
