import type { Context, Histogram, Span, TextMapPropagator, TextMapSetter, Tracer } from '@opentelemetry/api';
import type { OpenTelemetryApi } from '../internal/lazy-dependencies.js';
import { redactText } from '../internal/redact.js';
import type { Headers } from '../models/headers.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import {
  type Attributes,
  errorType,
  fullUrl,
  protocolVersion,
  requestAttributes,
  spanName,
} from './attributes.js';
import type { AttemptOutcome, SendObserver } from './telemetry.js';

/** What every send of one instrumented client shares. */
export interface SpanSettings {
  api: OpenTelemetryApi;
  tracer: Tracer;
  duration: Histogram;
  /** null: the global propagator, looked up per send so one registered later still applies. */
  propagator: TextMapPropagator | null;
  secretParams: ReadonlySet<string>;
}

const headerSetter: TextMapSetter<Headers> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};

// The duration metric carries the conventions' low-cardinality attributes only: never url.full.
const METRIC_KEYS = [
  'http.request.method',
  'server.address',
  'server.port',
  'url.scheme',
  'http.response.status_code',
  'network.protocol.version',
  'error.type',
];

/**
 * One client span per `Client.send`: started before the first hop, a `traceparent` (or whatever the
 * propagator writes) put on every hop, an event per redirect and per retry, ended with the final
 * status when the body is done, and the send's duration recorded once.
 */
export class SendSpan implements SendObserver {
  readonly #settings: SpanSettings;
  readonly #span: Span;
  readonly #context: Context;
  readonly #startedAt = performance.now();
  readonly #attributes: Attributes;
  #response: Response | null = null;
  #hops = 0;
  #retries = 0;
  #ended = false;

  constructor(settings: SpanSettings, request: Request) {
    this.#settings = settings;
    const { api } = settings;
    this.#attributes = requestAttributes(request.method, request.url, settings.secretParams);
    const parent = api.context.active();
    this.#span = settings.tracer.startSpan(
      spanName(request.method),
      { kind: api.SpanKind.CLIENT, attributes: this.#attributes },
      parent,
    );
    this.#context = api.trace.setSpan(parent, this.#span);
  }

  run<T>(send: () => Promise<T>): Promise<T> {
    return this.#settings.api.context.with(this.#context, send);
  }

  beforeHop(request: Request): void {
    this.#hops++;
    const { api, propagator } = this.#settings;
    (propagator ?? api.propagation).inject(this.#context, request.headers, headerSetter);
  }

  afterHop(response: Response): void {
    this.#response = response;
  }

  redirect(response: Response, next: Request): void {
    this.#span.addEvent('http.redirect', {
      'http.response.status_code': response.statusCode,
      'http.request.method': next.method,
      'url.full': fullUrl(next.url, this.#settings.secretParams),
    });
  }

  retry(attempt: number, outcome: AttemptOutcome, delayMs: number): void {
    this.#retries++;
    const cause =
      outcome.response !== undefined
        ? { 'http.response.status_code': outcome.response.statusCode }
        : { 'error.type': errorType(outcome.error) };
    this.#span.addEvent('http.retry', {
      'http.request.resend_count': attempt,
      ...cause,
      'http.retry.delay_ms': delayMs,
    });
  }

  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    const { api } = this.#settings;
    const span = this.#span;
    const final: Attributes = {};
    const response = this.#response;
    if (response !== null) {
      final['http.response.status_code'] = response.statusCode;
      final['network.protocol.version'] = protocolVersion(response.httpVersion);
    }
    if (error !== undefined) {
      final['error.type'] = errorType(error);
      const message = error instanceof Error ? redactText(error.message) : undefined;
      if (error instanceof Error) {
        // The class name as exception.type, as error.type has it (the SDK would prefer our `code`);
        // message and stack redacted like every error message of this package.
        const stack = error.stack === undefined ? {} : { stack: redactText(error.stack) };
        span.recordException({ name: errorType(error), message: message as string, ...stack });
      }
      span.setStatus({ code: api.SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) });
    } else if (response !== null && response.statusCode >= 400) {
      // Client spans mark 4xx and 5xx as errors (the conventions leave 4xx unset on servers only).
      final['error.type'] = String(response.statusCode);
      span.setStatus({ code: api.SpanStatusCode.ERROR });
    }
    // Every send past the first, for any reason: redirects, auth rounds, retries (the conventions).
    const resends = Math.max(0, this.#hops - 1) + this.#retries;
    if (resends > 0) final['http.request.resend_count'] = resends;
    span.setAttributes(final);
    span.end();
    const all: Attributes = { ...this.#attributes, ...final };
    const metric: Attributes = {};
    for (const key of METRIC_KEYS) if (all[key] !== undefined) metric[key] = all[key];
    this.#settings.duration.record((performance.now() - this.#startedAt) / 1000, metric);
  }
}
