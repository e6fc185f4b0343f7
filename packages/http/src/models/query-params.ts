import { inspect } from 'node:util';
import { UsageError } from '../errors.js';
import { describeValue } from '../internal/describe.js';

export type Primitive = string | number | boolean | bigint | null;
export type ParamsInit =
  | QueryParams
  | URLSearchParams
  | string
  | Record<string, Primitive | readonly Primitive[] | undefined>
  | Iterable<readonly [string, Primitive]>;

/**
 * `true` → `true`, `null` → empty, numbers as written: HTTPX's `primitive_value_to_str`. Anything
 * else (an object would become "[object Object]") is refused, naming `field`, e.g. `query param "a"`.
 */
export function primitiveToString(value: Primitive, field = 'value'): string {
  if (value === null) return '';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') return String(value);
  throw new UsageError(
    `Invalid type for ${field}: expected a string, number, boolean, bigint or null, got ${describeValue(value)}`,
  );
}

/** The key of a params or form entry: only strings (HTTPX: "Invalid type for name"). */
export function checkKey(key: unknown, what: string): string {
  if (typeof key !== 'string')
    throw new UsageError(`Invalid type for ${what} name: expected a string, got ${describeValue(key)}`);
  return key;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// application/x-www-form-urlencoded, exactly as Python's urlencode: space → '+', '/' → '%2F'.
// A lone surrogate becomes U+FFFD first, as URLSearchParams does: encodeURIComponent would throw.
function formEncode(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'))
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function encodeForm(pairs: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [key, value] of pairs) {
    if (out !== '') out += '&';
    out += `${formEncode(key)}=${formEncode(value)}`;
  }
  return out;
}

/** Immutable multidict of query parameters: every "mutator" returns a new instance (HTTPX `QueryParams`). */
export class QueryParams implements Iterable<[string, string]> {
  readonly #items: ReadonlyArray<readonly [string, string]>;

  constructor(init?: ParamsInit | null) {
    this.#items = init == null ? [] : QueryParams.#pairs(init);
    Object.freeze(this);
  }

  static #fromItems(items: ReadonlyArray<readonly [string, string]>): QueryParams {
    return new QueryParams(items);
  }

  get size(): number {
    return this.keys().length;
  }

  get(key: string): string | null {
    for (const [k, v] of this.#items) if (k === key) return v;
    return null;
  }

  getList(key: string): string[] {
    return this.#items.filter(([k]) => k === key).map(([, v]) => v);
  }

  has(key: string): boolean {
    return this.#items.some(([k]) => k === key);
  }

  keys(): string[] {
    return [...new Set(this.#items.map(([k]) => k))];
  }

  values(): string[] {
    return this.keys().map((k) => this.get(k) as string);
  }

  entries(): [string, string][] {
    return this.keys().map((k) => [k, this.get(k) as string]);
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.entries()[Symbol.iterator]();
  }

  multiItems(): [string, string][] {
    return this.#items.map(([k, v]) => [k, v]);
  }

  /** Replaces every value of `key` with `value`. */
  set(key: string, value: Primitive): QueryParams {
    const items = this.#items.filter(([k]) => k !== key);
    const at = this.#items.findIndex(([k]) => k === key);
    const entry = [key, primitiveToString(value, `query param ${JSON.stringify(key)}`)] as const;
    if (at === -1) items.push(entry);
    else items.splice(Math.min(at, items.length), 0, entry);
    return QueryParams.#fromItems(items);
  }

  add(key: string, value: Primitive): QueryParams {
    return QueryParams.#fromItems([
      ...this.#items,
      [key, primitiveToString(value, `query param ${JSON.stringify(key)}`)],
    ]);
  }

  remove(key: string): QueryParams {
    return QueryParams.#fromItems(this.#items.filter(([k]) => k !== key));
  }

  /** Keys present in `other` replace ours whole; the rest are kept in order. */
  merge(other: ParamsInit | null | undefined): QueryParams {
    if (other == null) return this;
    const incoming = other instanceof QueryParams ? other : new QueryParams(other);
    if (incoming.#items.length === 0) return this;
    const replaced = new Set(incoming.keys());
    return QueryParams.#fromItems([...this.#items.filter(([k]) => !replaced.has(k)), ...incoming.#items]);
  }

  get isEmpty(): boolean {
    return this.#items.length === 0;
  }

  /** Order-insensitive comparison. */
  equals(other: ParamsInit): boolean {
    const theirs = other instanceof QueryParams ? other : new QueryParams(other);
    const key = (p: QueryParams) =>
      p.#items
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join('&');
    return key(this) === key(theirs);
  }

  toString(): string {
    return encodeForm(this.#items);
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return `QueryParams('${this.toString()}')`;
  }

  static #pairs(init: ParamsInit): Array<readonly [string, string]> {
    if (init instanceof QueryParams) return [...init.#items];
    // URLSearchParams drops one leading '?' itself; stripping another would eat a key's first char.
    if (typeof init === 'string') return [...new URLSearchParams(init)];
    if (init instanceof URLSearchParams) return [...init];
    if (typeof init !== 'object' || init === null) {
      throw new UsageError(
        `Invalid params: expected an object, pairs, a string, URLSearchParams or QueryParams, got ${describeValue(init)}`,
      );
    }
    if (Symbol.iterator in init) {
      return [...(init as Iterable<readonly [string, Primitive]>)].map(
        ([k, v]) =>
          [checkKey(k, 'query param'), primitiveToString(v, `query param ${JSON.stringify(k)}`)] as const,
      );
    }
    const pairs: Array<readonly [string, string]> = [];
    for (const [key, value] of Object.entries(init)) {
      if (value === undefined) continue;
      const field = `query param ${JSON.stringify(key)}`;
      if (Array.isArray(value))
        for (const v of value as Primitive[]) pairs.push([key, primitiveToString(v, field)]);
      else pairs.push([key, primitiveToString(value as Primitive, field)]);
    }
    return pairs;
  }
}
