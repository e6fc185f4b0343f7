// @pluggable/http with `openTelemetry()` on a real SDK (bench/lib/otel-sdk.js): spans through a
// BatchSpanProcessor (as in production) to an exporter that drops them, the duration histogram
// aggregated by a MeterProvider, a W3C traceparent written on every request. Compared with the
// uninstrumented row, it is what turning the instrumentation on costs.
import { Client, Limits, openTelemetry } from '@pluggable/http';
import { otelSdk } from '../lib/otel-sdk.js';

export default {
  name: '@pluggable/http+otel',
  create({ origin, connections }) {
    const { tracerProvider, meterProvider, propagator, shutdown } = otelSdk();
    const client = new Client({
      baseUrl: origin,
      limits: new Limits({ maxConnections: connections, maxKeepaliveConnections: connections }),
      telemetry: openTelemetry({ tracerProvider, meterProvider, propagator }),
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
        await shutdown();
      },
    };
  },
};
