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
    const request = this.#attributes;
    // Built as one literal: this runs once per request, and the metric must not carry url.full.
    const metric: Attributes = {
      'http.request.method': request['http.request.method'] as string,
      'server.address': request['server.address'] as string,
      'server.port': request['server.port'] as number,
      'url.scheme': request['url.scheme'] as string,
    };
    const response = this.#response;
    if (response !== null) {
      const version = protocolVersion(response.httpVersion);
      span.setAttribute('http.response.status_code', response.statusCode);
      span.setAttribute('network.protocol.version', version);
      metric['http.response.status_code'] = response.statusCode;
      metric['network.protocol.version'] = version;
    }
    if (error !== undefined) {
      metric['error.type'] = errorType(error);
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
      metric['error.type'] = String(response.statusCode);
      span.setStatus({ code: api.SpanStatusCode.ERROR });
    }
    if (metric['error.type'] !== undefined) span.setAttribute('error.type', metric['error.type']);
    // Every send past the first, for any reason: redirects, auth rounds, retries (the conventions).
    const resends = (this.#hops > 1 ? this.#hops - 1 : 0) + this.#retries;
    if (resends > 0) span.setAttribute('http.request.resend_count', resends);
    span.end();
    this.#settings.duration.record((performance.now() - this.#startedAt) / 1000, metric);
  }
}
