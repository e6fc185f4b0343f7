import { InvalidArgumentError } from '../errors.js';
import { checkRequestInterceptors } from '../request-interceptors.js';

/**
 * Checks run before anything is sent: a bad option otherwise surfaces after the retries as a
 * confusing transport error. Every message names the option and shows the bad value.
 */

/** The value as a message shows it: strings quoted, everything else as JavaScript would print it. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

export function invalid(name: string, value: unknown, expectation: string): InvalidArgumentError {
  return new InvalidArgumentError(`${name} must be ${expectation}, got ${describeValue(value)}`);
}

/** A duration: a finite number ≥ 0. */
export function checkDuration(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(name, value, 'a finite number ≥ 0');
  }
}

/** A duration that may also be `null` (no limit). */
export function checkOptionalDuration(name: string, value: unknown): void {
  if (value === null) return;
  checkDuration(name, value);
}

export function checkNonNegativeInteger(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalid(name, value, 'a non-negative integer');
  }
}

export function checkPositiveInteger(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(name, value, 'a positive integer');
  }
}

/** An absolute http(s) URL; userinfo in the shown value is masked (it may hold a password). */
export function checkHttpUrl(name: string, value: unknown): void {
  if (value === undefined) return;
  const shown = typeof value === 'string' ? value.replace(/(\/\/[^/@:\s]*):[^/@\s]*@/, '$1:***@') : value;
  if (typeof value !== 'string') throw invalid(name, shown, 'an http or https URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`${name} is not a valid URL: ${JSON.stringify(shown)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(name, shown, 'an http or https URL');
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Header names are tokens and values single lines: a CR/LF would split the request (header injection). */
export function checkHeaders(name: string, headers: unknown): void {
  if (headers === undefined) return;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw invalid(name, headers, 'an object of header names to strings');
  }
  for (const [key, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(key)) throw invalid(`${name} name`, key, 'a valid header name');
    if (typeof value !== 'string') throw invalid(`${name}[${JSON.stringify(key)}]`, value, 'a string');
    if (/[\r\n\0]/.test(value)) {
      // The value is not shown: a header may carry a credential.
      throw new InvalidArgumentError(
        `${name}[${JSON.stringify(key)}] must be a single line, got a value with CR, LF or NUL`,
      );
    }
  }
}

export function checkOneOf<T>(name: string, value: unknown, allowed: readonly T[]): void {
  if (value === undefined) return;
  if (!allowed.includes(value as T)) {
    throw invalid(name, value, `one of ${allowed.map((a) => describeValue(a)).join(', ')}`);
  }
}

/**
 * `JSON.stringify` of one item, or an `InvalidArgumentError` naming it (`what`, e.g. "Dataset item at
 * index 3") and why: a BigInt, a circular reference, a value that is not JSON at all.
 */
export function serializeJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
    throw new InvalidArgumentError(`${what} cannot be serialized to JSON: ${reason}`);
  }
  if (text === undefined) {
    throw new InvalidArgumentError(`${what} cannot be serialized to JSON: it is ${describeValue(value)}`);
  }
  return text;
}

/** A JSON body; for an array the failing element is named by its index. */
export function serializeJsonBody(body: unknown): string {
  try {
    return serializeJson(body, 'The JSON body');
  } catch (error) {
    if (Array.isArray(body)) {
      for (const [index, item] of body.entries()) serializeJson(item, `The item at index ${index}`);
    }
    throw error;
  }
}

/**
 * The `ApifyClient` constructor's options, by the official client's names and ours. Unknown keys are
 * left alone (the official client ignores them too).
 */
export function validateClientOptions(options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw invalid('ApifyClient options', options, 'an object');
  }
  const o = options as Record<string, unknown>;
  if (o.token !== undefined && (typeof o.token !== 'string' || /[\r\n\0]/.test(o.token))) {
    throw new InvalidArgumentError('token must be a single-line string');
  }
  checkHttpUrl('baseUrl', o.baseUrl);
  checkHttpUrl('publicBaseUrl', o.publicBaseUrl);
  checkNonNegativeInteger('maxRetries', o.maxRetries);
  checkDuration('minDelayBetweenRetriesMillis', o.minDelayBetweenRetriesMillis);
  checkDuration('minDelayBetweenRetries', o.minDelayBetweenRetries);
  checkDuration('timeoutSecs', o.timeoutSecs);
  checkDuration('timeout', o.timeout);
  checkHeaders('headers', o.headers);
  checkOneOf('compression', o.compression, ['gzip', 'br', null]);
  checkRequestInterceptors(o.requestInterceptors);
  const suffix = o.userAgentSuffix;
  const suffixes = Array.isArray(suffix) ? suffix : suffix === undefined ? [] : [suffix];
  for (const part of suffixes) {
    if (typeof part !== 'string' || /[\r\n\0]/.test(part)) {
      throw invalid('userAgentSuffix', part, 'a single-line string or an array of them');
    }
  }
}
