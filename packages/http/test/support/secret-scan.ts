import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { expect } from 'vitest';

// Shared by the secrets-scan tests of @pluggable/http and @pluggable/apify-client: one sentinel per
// run, every spelling of it a leak could take, and every place a leak could show up.

/** A fresh sentinel secret, random per run so no fixture can contain it by accident. */
export function sentinel(): string {
  return `s3cr3t-SENTINEL-${randomBytes(8).toString('hex')}`;
}

/** The sentinel as it could leak: raw, percent-encoded, and inside Basic credentials (base64). */
export function spellings(secret: string, usernames: readonly string[] = ['u', 'user', '']): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
  for (const user of usernames) forms.add(Buffer.from(`${user}:${secret}`).toString('base64'));
  return [...forms];
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return `<unserialisable: ${(error as Error).message}>`;
  }
}

/** Every rendering of `value` a program might log: inspect, JSON, String, and for errors message, stack and causes. */
export function renderings(value: unknown, label = 'value'): Array<[string, string]> {
  const out: Array<[string, string]> = [
    [`${label} inspect`, inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: false })],
    [`${label} JSON`, safeJson(value)],
  ];
  try {
    out.push([`${label} String`, String(value)]);
  } catch {
    // A value without a string form cannot leak through one.
  }
  if (value instanceof Error) {
    out.push([`${label} message`, value.message], [`${label} stack`, value.stack ?? '']);
    if (value.cause !== undefined) out.push(...renderings(value.cause, `${label}.cause`));
    if (value instanceof AggregateError) {
      value.errors.forEach((inner, i) => {
        out.push(...renderings(inner, `${label}.errors[${i}]`));
      });
    }
  }
  return out;
}

/** Where `secret` (in any spelling) appears among the renderings of `value`; `[]` when nowhere. */
export function leaks(value: unknown, secret: string, label?: string): string[] {
  const forms = spellings(secret);
  return renderings(value, label)
    .filter(([, text]) => forms.some((form) => text.includes(form)))
    .map(([where, text]) => `${where}: ${text.slice(0, 400)}`);
}

export interface LogCapture {
  /** Everything written through console, process warnings and the client's diagnostics channels. */
  readonly lines: string[];
  stop(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Captures console output, process warnings and diagnostics_channel messages until `stop()`. */
export function captureLogs(channels: readonly string[] = []): LogCapture {
  const lines: string[] = [];
  const originals = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  for (const name of CONSOLE_METHODS) {
    console[name] = (...args: unknown[]) => {
      lines.push(
        `console.${name}: ${args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: Number.POSITIVE_INFINITY }))).join(' ')}`,
      );
    };
  }
  const onWarning = (warning: Error) => {
    lines.push(`warning: ${warning.name} ${warning.message} ${warning.stack ?? ''}`);
  };
  process.on('warning', onWarning);
  const subscribers = channels.map((name) => {
    const onMessage = (message: unknown) => {
      for (const [where, text] of renderings(message, name)) lines.push(`${where}: ${text}`);
    };
    diagnostics.subscribe(name, onMessage);
    return [name, onMessage] as const;
  });
  return {
    lines,
    stop() {
      for (const [name, original] of originals) console[name] = original;
      process.off('warning', onWarning);
      for (const [name, onMessage] of subscribers) diagnostics.unsubscribe(name, onMessage);
    },
  };
}

/** The captured lines holding the secret in any spelling. */
export function leakedLines(capture: LogCapture, secret: string): string[] {
  const forms = spellings(secret);
  return capture.lines.filter((line) => forms.some((form) => line.includes(form)));
}

/** The error `run` fails with; a run that succeeds fails the test. */
export async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** Fails with every rendering of `things` that shows the secret, labelled by where it was found. */
export function expectNoLeaks(things: Record<string, unknown>, secret: string): void {
  const found = Object.entries(things).flatMap(([label, value]) => leaks(value, secret, label));
  expect(found).toEqual([]);
}
