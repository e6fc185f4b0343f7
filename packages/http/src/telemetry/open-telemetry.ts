import type { MeterProvider, TextMapPropagator, TracerProvider } from '@opentelemetry/api';
import { UsageError } from '../errors.js';
import { describeValue } from '../internal/describe.js';
import { loadOpenTelemetryApi } from '../internal/lazy-dependencies.js';
import type { Request } from '../models/request.js';
import { VERSION } from '../version.js';
import { DEFAULT_SECRET_QUERY_PARAMS } from './attributes.js';
import { SendSpan, type SpanSettings } from './send-span.js';
import type { SendObserver, Telemetry } from './telemetry.js';

/**
 * The providers are typed by shape so this package's types do not need `@opentelemetry/api`
 * installed; any OpenTelemetry SDK's providers and propagators fit.
 */
export interface OpenTelemetryOptions {
  /** Where spans go; the global tracer provider when absent. */
  tracerProvider?: { getTracer(name: string, version?: string): unknown };
  /** Where `http.client.request.duration` goes; the global meter provider when absent. */
  meterProvider?: { getMeter(name: string, version?: string): unknown };
  /** Writes trace context into each outgoing request; the global propagator when absent. */
  propagator?: { inject(context: unknown, carrier: unknown, setter: unknown): void };
  /**
   * Query parameters whose values become `REDACTED` in `url.full`; replaces the default list
   * (`DEFAULT_SECRET_QUERY_PARAMS`: the conventions' signature keys plus `token`, `api_key`, …).
   */
  secretQueryParams?: Iterable<string>;
}

// The conventions' advised boundaries for `http.client.request.duration`, in seconds.
export const DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

const INSTRUMENTATION = '@pluggable/http';

class OpenTelemetryInstrumentation implements Telemetry {
  readonly #settings: SpanSettings;

  constructor(settings: SpanSettings) {
    this.#settings = settings;
  }

  startSend(request: Request): SendObserver {
    return new SendSpan(this.#settings, request);
  }
}

function checkProvider(name: string, value: unknown, method: string): void {
  if (value === undefined) return;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as Record<string, unknown>)[method] !== 'function'
  )
    throw new UsageError(
      `openTelemetry: ${name} must have a ${method}() method, got ${describeValue(value)}`,
    );
}

/**
 * OpenTelemetry for a client: `new Client({ telemetry: openTelemetry() })`. One CLIENT span per
 * send with the stable HTTP semantic-convention attributes, `traceparent` on every hop, redirect
 * and retry events, and the `http.client.request.duration` histogram. Loads `@opentelemetry/api`
 * (an optional peer dependency) on this call; a client without `telemetry` never loads it.
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): Telemetry {
  if (typeof options !== 'object' || options === null)
    throw new UsageError(`openTelemetry options must be an object, got ${describeValue(options)}`);
  checkProvider('tracerProvider', options.tracerProvider, 'getTracer');
  checkProvider('meterProvider', options.meterProvider, 'getMeter');
  checkProvider('propagator', options.propagator, 'inject');
  const secrets = [...(options.secretQueryParams ?? DEFAULT_SECRET_QUERY_PARAMS)];
  if (secrets.some((name) => typeof name !== 'string'))
    throw new UsageError(`openTelemetry: secretQueryParams must be strings, got ${describeValue(secrets)}`);
  const api = loadOpenTelemetryApi();
  const tracerProvider = (options.tracerProvider as TracerProvider | undefined) ?? api.trace;
  const meterProvider = (options.meterProvider as MeterProvider | undefined) ?? api.metrics;
  const duration = meterProvider
    .getMeter(INSTRUMENTATION, VERSION)
    .createHistogram('http.client.request.duration', {
      description: 'Duration of HTTP client requests.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
    });
  return new OpenTelemetryInstrumentation({
    api,
    tracer: tracerProvider.getTracer(INSTRUMENTATION, VERSION),
    duration,
    propagator: (options.propagator as TextMapPropagator | undefined) ?? null,
    secretParams: new Set(secrets.map((name) => name.toLowerCase())),
  });
}
