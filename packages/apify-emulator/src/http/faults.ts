import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { ApiError, EmulatorError } from '../errors.js';
import { APPLIED_FAULT_KINDS, FAULT_KINDS, type FaultKind, type FaultOptions } from '../types.js';
import type { NodeBindings } from './server.js';

export const FAULT_HEADER = 'x-emulator-fault';

/** mulberry32: tiny, seedable and fully deterministic across platforms and Node versions. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALL_KINDS: readonly string[] = [...FAULT_KINDS, ...APPLIED_FAULT_KINDS];

export function isFaultKind(value: string): value is FaultKind {
  return ALL_KINDS.includes(value);
}

export function validateFaults(options: FaultOptions): void {
  if (!(options.rate >= 0 && options.rate <= 1)) {
    throw new EmulatorError('invalid-option', `faults.rate must be between 0 and 1, got ${options.rate}`);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new EmulatorError('invalid-option', `faults.seed must be an integer, got ${options.seed}`);
  }
  for (const kind of options.kinds ?? []) {
    if (!isFaultKind(kind))
      throw new EmulatorError('invalid-option', `faults.kinds has an unknown kind '${kind}'`);
  }
  if (options.kinds !== undefined && options.kinds.length === 0) {
    throw new EmulatorError('invalid-option', 'faults.kinds must not be empty');
  }
  if (options.delayMs !== undefined && !(options.delayMs >= 0)) {
    throw new EmulatorError('invalid-option', `faults.delayMs must be >= 0, got ${options.delayMs}`);
  }
}

/**
 * Picks faults. Every request draws from one seeded sequence in arrival order, so the same requests in
 * the same order fail the same way on every run; the header forces a fault for one request.
 */
export class FaultPicker {
  private readonly rate: number;
  private readonly kinds: readonly FaultKind[];
  private readonly random: () => number;
  readonly delayMs: number;

  constructor(options: FaultOptions | null) {
    if (options) validateFaults(options);
    this.rate = options?.rate ?? 0;
    this.kinds = options?.kinds ?? FAULT_KINDS;
    this.random = mulberry32(options?.seed ?? 0);
    this.delayMs = options?.delayMs ?? 30_000;
  }

  /** The fault for the next request; throws on a forced kind that does not exist (a typo in a test). */
  pick(forced: string | null): FaultKind | null {
    if (forced !== null && forced !== '') {
      const kind = forced.trim().toLowerCase();
      if (isFaultKind(kind)) return kind;
      throw new ApiError(
        400,
        'invalid-request',
        `${FAULT_HEADER} must be one of ${ALL_KINDS.join(', ')}, got '${forced}'`,
      );
    }
    if (this.rate === 0) return null;
    const roll = this.random();
    const which = this.random();
    if (roll >= this.rate) return null;
    return this.kinds[Math.floor(which * this.kinds.length)] ?? null;
  }
}

/** Drops the connection before a single response byte. */
export function reset(node: NodeBindings | null): Response {
  if (node === null)
    throw new TypeError('fetch failed', { cause: new Error('Connection reset by an emulator fault') });
  node.incoming.socket.destroy();
  return RESPONSE_ALREADY_SENT;
}

/**
 * A response whose body stops halfway: the headers promise the full length, then the connection dies
 * (over HTTP) or the body stream errors (in-process).
 */
export async function truncated(response: Response, node: NodeBindings | null): Promise<Response> {
  const full = new Uint8Array(await response.arrayBuffer());
  const half = full.subarray(0, Math.floor(full.length / 2));
  const headers = new Headers(response.headers);
  headers.set('content-length', String(full.length));
  headers.set(FAULT_HEADER, 'truncate');
  if (node !== null) {
    // Written straight to the socket: the adapter would turn an early body error into a clean 500.
    const { outgoing } = node;
    outgoing.writeHead(response.status, Object.fromEntries(headers));
    outgoing.write(half, () => outgoing.destroy());
    return RESPONSE_ALREADY_SENT;
  }
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(half);
        return;
      }
      controller.error(new Error('Response truncated by an emulator fault'));
    },
  });
  return new Response(body, { status: response.status, headers });
}
