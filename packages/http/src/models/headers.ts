import { isAscii, isUtf8 } from 'node:buffer';
import { inspect } from 'node:util';
import { LocalProtocolError, UsageError } from '../errors.js';
import { describeValue } from '../internal/describe.js';
import { isSensitiveHeader, redactText, SECURE } from '../internal/redact.js';

export type HeadersInit =
  | Headers
  | globalThis.Headers
  | Record<string, string | number | readonly string[] | undefined>
  | Iterable<readonly [string, string]>;

// RFC 9110 token characters; values may hold anything but CR, LF and NUL (obs-text is allowed).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\r\n\0]/;
// Only SP and HTAB are optional whitespace (RFC 9110 §5.5): String#trim would also eat NBSP (0xA0,
// a valid obs-text byte) and VT/FF, silently changing the value sent.
const OWS_EDGES = /^[ \t]+|[ \t]+$/g;

function checkName(name: string): string {
  if (typeof name !== 'string') {
    throw new UsageError(`Invalid type for header name: expected a string, got ${describeValue(name)}`);
  }
  if (!TOKEN.test(name)) throw new LocalProtocolError(`Invalid header name ${JSON.stringify(name)}`);
  return name;
}

/** A header value as given: strings and numbers only (`null` would otherwise be sent as "null"). */
function valueText(name: unknown, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new UsageError(
    `Invalid type for value of header ${JSON.stringify(String(name))}: expected a string or number, got ${describeValue(value)}`,
  );
}

function checkValue(name: string, value: string): string {
  if (BAD_VALUE.test(value)) {
    throw new LocalProtocolError(
      `Invalid header value for ${JSON.stringify(name)}: CR, LF and NUL are not allowed`,
    );
  }
  return value.replace(OWS_EDGES, '');
}

export type HeaderEncoding = 'ascii' | 'utf-8' | 'iso-8859-1';

// One encoding for the whole set, as HTTPX chooses it: ASCII, else UTF-8 if all of it is valid UTF-8.
function rawEncoding(pairs: readonly (string | Buffer)[]): HeaderEncoding {
  let encoding: 'ascii' | 'utf-8' = 'ascii';
  for (let i = 1; i < pairs.length; i += 2) {
    const value = pairs[i];
    if (typeof value === 'string' || value === undefined || isAscii(value)) continue;
    if (!isUtf8(value)) return 'iso-8859-1';
    encoding = 'utf-8';
  }
  return encoding;
}

/**
 * A case-insensitive multidict of HTTP headers that keeps insertion order and the original
 * spelling of each name, as HTTPX's `Headers` does. `get` joins repeated fields with `", "`.
 */
export class Headers implements Iterable<[string, string]> {
  // Parallel arrays keep per-request allocation low: headers are small and scanned linearly.
  #names: string[] = [];
  #lower: string[] = [];
  #values: string[] = [];
  // False once fields arrived unvalidated (`fromRaw`): only checked fields may be copied unchecked.
  #checked = true;
  #encoding: HeaderEncoding = 'ascii';

  constructor(init?: HeadersInit | null) {
    if (init != null) this.update(init);
  }

  /**
   * Builds headers from trusted name/value pairs (a transport's raw response headers): no validation.
   * Buffers (undici's raw headers) are read as Latin-1, the bytes as received.
   */
  static fromRaw(pairs: readonly (string | Buffer)[]): Headers {
    const headers = new Headers();
    headers.#checked = false;
    const encoding = rawEncoding(pairs);
    headers.#encoding = encoding;
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const rawName = pairs[i] as string | Buffer;
      const rawValue = pairs[i + 1] as string | Buffer;
      const name = typeof rawName === 'string' ? rawName : rawName.toString('latin1');
      headers.#names.push(name);
      headers.#lower.push(name.toLowerCase());
      headers.#values.push(
        typeof rawValue === 'string' ? rawValue : rawValue.toString(encoding === 'utf-8' ? 'utf8' : 'latin1'),
      );
    }
    return headers;
  }

  /**
   * How the raw header bytes were decoded (HTTPX `Headers.encoding`): `'ascii'`, else `'utf-8'`
   * when every value is valid UTF-8, else `'iso-8859-1'`. Headers built from strings are `'ascii'`.
   */
  get encoding(): HeaderEncoding {
    return this.#encoding;
  }

  /** Re-decodes every value as `encoding` (HTTPX's setter), from the bytes the current one decoded. */
  set encoding(encoding: HeaderEncoding) {
    if (encoding !== 'ascii' && encoding !== 'utf-8' && encoding !== 'iso-8859-1') {
      throw new UsageError(
        `Header encoding must be 'ascii', 'utf-8' or 'iso-8859-1', got ${describeValue(encoding)}`,
      );
    }
    const node = (e: HeaderEncoding) => (e === 'utf-8' ? 'utf8' : 'latin1');
    this.#values = this.#values.map((value) =>
      Buffer.from(value, node(this.#encoding)).toString(node(encoding)),
    );
    this.#encoding = encoding;
  }

  get size(): number {
    return new Set(this.#lower).size;
  }

  get(name: string): string | null {
    const lower = name.toLowerCase();
    let result: string | null = null;
    for (let i = 0; i < this.#lower.length; i++) {
      if (this.#lower[i] === lower) {
        result = result === null ? (this.#values[i] as string) : `${result}, ${this.#values[i]}`;
      }
    }
    return result;
  }

  getList(name: string, options: { splitCommas?: boolean } = {}): string[] {
    const lower = name.toLowerCase();
    const values: string[] = [];
    for (let i = 0; i < this.#lower.length; i++) {
      if (this.#lower[i] !== lower) continue;
      const value = this.#values[i] as string;
      if (options.splitCommas) {
        for (const part of value.split(',')) values.push(part.trim());
      } else {
        values.push(value);
      }
    }
    return values;
  }

  has(name: string): boolean {
    return this.#lower.includes(name.toLowerCase());
  }

  /** Replaces the first occurrence in place (keeping its position) and removes the rest; appends a new name. */
  set(name: string, value: string | number): this {
    checkName(name);
    const checked = checkValue(name, valueText(name, value));
    const lower = name.toLowerCase();
    const first = this.#lower.indexOf(lower);
    if (first === -1) {
      this.#push(name, lower, checked);
      return this;
    }
    this.#names[first] = name;
    this.#values[first] = checked;
    for (let i = this.#lower.length - 1; i > first; i--) {
      if (this.#lower[i] === lower) this.#removeAt(i);
    }
    return this;
  }

  append(name: string, value: string | number): this {
    checkName(name);
    this.#push(name, name.toLowerCase(), checkValue(name, valueText(name, value)));
    return this;
  }

  delete(name: string): boolean {
    const lower = name.toLowerCase();
    let removed = false;
    for (let i = this.#lower.length - 1; i >= 0; i--) {
      if (this.#lower[i] === lower) {
        this.#removeAt(i);
        removed = true;
      }
    }
    return removed;
  }

  /**
   * @internal `init` itself when it is a `Headers` whose fields were all validated (the caller must
   * only read it), else new `Headers` built (and validated) from it.
   */
  static view(init: HeadersInit | null | undefined): Headers {
    return init instanceof Headers && init.#checked ? init : new Headers(init);
  }

  /** Merges another set of headers in: each name present in `other` replaces ours (HTTPX `update`). */
  update(other: HeadersInit): this {
    if (other instanceof Headers && other.#checked) {
      this.#updateChecked(other === this ? other.copy() : other);
      return this;
    }
    const incoming = Headers.#pairs(other);
    const seen = new Set<string>();
    for (const [name, value] of incoming) {
      const lower = name.toLowerCase();
      if (!seen.has(lower)) {
        seen.add(lower);
        this.delete(name);
      }
      this.append(name, value);
    }
    return this;
  }

  /** @internal Appends every field of `other` (validating them unless that was already done). */
  appendAll(other: Headers): this {
    if (!other.#checked) {
      for (const [name, value] of other.raw) this.append(name, value);
      return this;
    }
    for (let i = 0; i < other.#names.length; i++) {
      this.#push(other.#names[i] as string, other.#lower[i] as string, other.#values[i] as string);
    }
    return this;
  }

  /** Unique lower-cased names, in first-seen order. */
  keys(): string[] {
    return [...new Set(this.#lower)];
  }

  values(): string[] {
    return this.keys().map((key) => this.get(key) as string);
  }

  entries(): [string, string][] {
    return this.keys().map((key) => [key, this.get(key) as string]);
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.entries()[Symbol.iterator]();
  }

  /** Every field as sent, repeats kept, lower-cased names. */
  multiItems(): [string, string][] {
    return this.#lower.map((name, i) => [name, this.#values[i] as string]);
  }

  /** Every field with its original spelling. */
  get raw(): [string, string][] {
    return this.#names.map((name, i) => [name, this.#values[i] as string]);
  }

  /** Flat `[name, value, name, value, …]` for the wire, original spelling. */
  toFlatArray(): string[] {
    const flat: string[] = new Array(this.#names.length * 2);
    for (let i = 0; i < this.#names.length; i++) {
      flat[2 * i] = this.#names[i] as string;
      flat[2 * i + 1] = this.#values[i] as string;
    }
    return flat;
  }

  /** @internal `toFlatArray` without the fields whose lower-cased name is in `skip`. */
  toFlatArrayWithout(skip: ReadonlySet<string>): string[] {
    const flat: string[] = [];
    for (let i = 0; i < this.#names.length; i++) {
      if (skip.has(this.#lower[i] as string)) continue;
      flat.push(this.#names[i] as string, this.#values[i] as string);
    }
    return flat;
  }

  copy(): Headers {
    const copy = new Headers();
    copy.#names = [...this.#names];
    copy.#lower = [...this.#lower];
    copy.#values = [...this.#values];
    copy.#checked = this.#checked;
    copy.#encoding = this.#encoding;
    return copy;
  }

  /** Order- and case-insensitive comparison of the fields. */
  equals(other: unknown): boolean {
    let theirs: Headers;
    try {
      theirs = other instanceof Headers ? other : new Headers(other as HeadersInit);
    } catch {
      // As HTTPX's `__eq__`: what cannot be headers is simply not equal.
      return false;
    }
    const key = (h: Headers) =>
      h
        .multiItems()
        .map(([n, v]) => `${n}:${v}`)
        .sort()
        .join('\n');
    return key(this) === key(theirs);
  }

  /**
   * Sensitive values (`Authorization`, `Proxy-Authorization`, cookies) are masked, and so are
   * credentials inside any other value (a `Location` with a password in it).
   */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of this.entries())
      out[name] = isSensitiveHeader(name) ? SECURE : redactText(value);
    return out;
  }

  toString(): string {
    return `Headers(${JSON.stringify(this.#redactedPairs())})`;
  }

  [inspect.custom](): string {
    return `Headers(${inspect(this.#redactedPairs())})`;
  }

  #redactedPairs(): [string, string][] {
    return this.raw.map(([name, value]) => [
      name,
      isSensitiveHeader(name.toLowerCase()) ? SECURE : redactText(value),
    ]);
  }

  // `update` from fields validated (and OWS-trimmed) when they were added: the same result, unchecked.
  #updateChecked(other: Headers): void {
    if (this.#names.length === 0) {
      this.#names = [...other.#names];
      this.#lower = [...other.#lower];
      this.#values = [...other.#values];
      return;
    }
    for (let i = 0; i < other.#lower.length; i++) {
      const lower = other.#lower[i] as string;
      if (other.#lower.indexOf(lower) === i) this.delete(lower);
      this.#push(other.#names[i] as string, lower, other.#values[i] as string);
    }
  }

  #push(name: string, lower: string, value: string): void {
    this.#names.push(name);
    this.#lower.push(lower);
    this.#values.push(value);
  }

  #removeAt(i: number): void {
    this.#names.splice(i, 1);
    this.#lower.splice(i, 1);
    this.#values.splice(i, 1);
  }

  static #pairs(init: HeadersInit): Array<readonly [string, string]> {
    if (init instanceof Headers) return init.raw;
    if (typeof init !== 'object' || init === null) {
      throw new UsageError(
        `Invalid headers: expected an object, pairs or Headers, got ${describeValue(init)}`,
      );
    }
    if (Symbol.iterator in init) {
      return [...(init as Iterable<readonly [string, string]>)].map(
        ([n, v]) => [n, valueText(n, v)] as const,
      );
    }
    const pairs: [string, string][] = [];
    for (const [name, value] of Object.entries(init)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) pairs.push([name, valueText(name, v)]);
      else pairs.push([name, valueText(name, value)]);
    }
    return pairs;
  }
}
