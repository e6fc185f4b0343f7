import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { openTelemetry } from '../../src/index.js';

/** A reader that exports nothing by itself: the test collects when it wants the numbers. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface HistogramPoint {
  attributes: Record<string, unknown>;
  count: number;
  sum: number;
  boundaries: number[];
}

/** The OpenTelemetry SDK wired to in-memory sinks, and the `telemetry` option that feeds them. */
export function otelSdk() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = openTelemetry({
    tracerProvider,
    meterProvider,
    propagator: new W3CTraceContextPropagator(),
  });
  return {
    telemetry,
    /** A tracer of the same provider, for the caller's own spans around requests. */
    tracer: tracerProvider.getTracer('test-caller'),
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    /** The one metric's name, unit and points, or null when nothing was recorded. */
    async duration() {
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)[0];
      if (metric === undefined) return null;
      const points: HistogramPoint[] = metric.dataPoints.map((point) => {
        const value = point.value as { count: number; sum: number; buckets: { boundaries: number[] } };
        return {
          attributes: { ...point.attributes },
          count: value.count,
          sum: value.sum,
          boundaries: value.buckets.boundaries,
        };
      });
      return { name: metric.descriptor.name, unit: metric.descriptor.unit, points };
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
