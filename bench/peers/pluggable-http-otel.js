// @pluggable/http with `openTelemetry()` on a real SDK: spans through a BatchSpanProcessor (as in
// production) to an exporter that drops them, the duration histogram aggregated by a MeterProvider,
// a W3C traceparent written on every request. Compared with the uninstrumented row, it is what
// turning the instrumentation on costs.
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client, Limits, openTelemetry } from '@pluggable/http';

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

export default {
  name: '@pluggable/http+otel',
  create({ origin, connections }) {
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] });
    const meterProvider = new MeterProvider({ readers: [new HeldReader()] });
    const client = new Client({
      baseUrl: origin,
      limits: new Limits({ maxConnections: connections, maxKeepaliveConnections: connections }),
      telemetry: openTelemetry({
        tracerProvider,
        meterProvider,
        propagator: new W3CTraceContextPropagator(),
      }),
    });
    return {
      async get(path) {
        return (await client.get(path)).content.byteLength;
      },
      async post(path, body) {
        return (await client.post(path, { content: body })).content.byteLength;
      },
      close: async () => {
        await client.close();
        await tracerProvider.shutdown();
        await meterProvider.shutdown();
      },
    };
  },
};
