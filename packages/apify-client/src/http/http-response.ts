/**
 * The shape every HttpClient returns. Structural on purpose: any object with these members
 * satisfies it (a fetch-based wrapper, `@pluggable/http`'s `Response`, your own), no inheritance.
 */
export interface HttpResponse {
  readonly statusCode: number;
  /** Case-insensitive lookup; `null` or `undefined` when absent. */
  readonly headers: { get(name: string): string | null | undefined };
  /** The decoded body as text; valid once the body has been read. */
  readonly text: string;
  /** The raw body; valid once the body has been read. */
  readonly content: Uint8Array;
  json(): unknown;
  read(): Promise<Uint8Array>;
  close(): void | Promise<void>;
  iterBytes(): AsyncIterable<Uint8Array>;
}

const MEMBERS = ['statusCode', 'headers', 'text', 'content', 'json', 'read', 'close', 'iterBytes'] as const;
const METHODS = new Set<string>(['json', 'read', 'close', 'iterBytes']);

function findDescriptor(value: object, key: string): PropertyDescriptor | undefined {
  let current: object | null = value;
  while (current !== null) {
    const descriptor = Object.getOwnPropertyDescriptor(current, key);
    if (descriptor !== undefined) return descriptor;
    current = Object.getPrototypeOf(current) as object | null;
  }
  return undefined;
}

/**
 * Checks the shape without reading any property through a getter: a getter such as `text` on a
 * streamed response would consume or throw (the Python client's isinstance bug, PR #1010).
 * Data properties are inspected; accessor properties only count as present.
 */
export function isHttpResponse(value: unknown): value is HttpResponse {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  for (const key of MEMBERS) {
    const descriptor = findDescriptor(value, key);
    if (descriptor === undefined) return false;
    if (!('value' in descriptor)) continue;
    const member: unknown = descriptor.value;
    if (METHODS.has(key) && typeof member !== 'function') return false;
    if (key === 'statusCode' && typeof member !== 'number') return false;
    if (key === 'headers') {
      if (typeof member !== 'object' || member === null) return false;
      const get = findDescriptor(member, 'get');
      if (get === undefined || ('value' in get && typeof get.value !== 'function')) return false;
    }
  }
  return true;
}
