// The OpenTelemetry SDK as the instrumented bench rows use it, as in production: spans through a
// BatchSpanProcessor to an exporter that drops them, the duration histogram aggregated by a
// MeterProvider whose reader is never collected, and the W3C propagator.
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

const dropping = {
  export(_spans, done) {
    done({ code: 0 });
  },
  shutdown: async () => {},
};

class HeldReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

/** Fresh providers and a propagator; `shutdown()` stops both providers. */
export function otelSdk() {
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] });
  const meterProvider = new MeterProvider({ readers: [new HeldReader()] });
  return {
    tracerProvider,
    meterProvider,
    propagator: new W3CTraceContextPropagator(),
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
