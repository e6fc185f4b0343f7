// What OpenTelemetry costs per request, apart from the network: the client's whole pipeline over an
// in-memory transport, so the figures are the instrumentation's CPU and nothing else.
//
//   npx tsc --build && node bench/profile-otel.js [--rounds 7] [--requests 50000]
//
// Four clients take turns, one round each, in one process:
// - plain: no `telemetry` (the disabled path);
// - observer: a `telemetry` whose observer does nothing (what calling an observer costs);
// - api: `openTelemetry()` with no SDK registered (our span, attributes, propagation and metric
//   code against the API's no-op tracer, meter and propagator);
// - sdk: `openTelemetry()` on the real SDK, as the `@pluggable/http+otel` bench peer has it
//   (BasicTracerProvider + BatchSpanProcessor, MeterProvider, W3C propagator).
// Each prints its median CPU µs per request (process.cpuUsage) and what it adds to plain: `api`
// minus `plain` is this package's own cost, `sdk` minus `api` is the SDK's.
import { parseArgs } from 'node:util';
import { Client, MockTransport, openTelemetry, Response } from '@pluggable/http';
import { otelSdk } from './lib/otel-sdk.js';
import { median } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '50000' },
  },
});
const rounds = Number(values.rounds);
const requests = Number(values.requests);

const sdk = otelSdk();
const idle = { run: (send) => send(), beforeHop() {}, afterHop() {}, redirect() {}, retry() {}, end() {} };

const BODY = new Uint8Array(1024);
const client = (telemetry) =>
  new Client({
    baseUrl: 'http://127.0.0.1:8080',
    transport: new MockTransport(() => new Response(200, { content: BODY })),
    ...(telemetry === undefined ? {} : { telemetry }),
  });
const clients = {
  plain: client(),
  observer: client({ startSend: () => idle }),
  api: client(openTelemetry()),
  sdk: client(
    openTelemetry({
      tracerProvider: sdk.tracerProvider,
      meterProvider: sdk.meterProvider,
      propagator: sdk.propagator,
    }),
  ),
};

const cpu = Object.fromEntries(Object.keys(clients).map((name) => [name, []]));
// Round 0 warms the JIT for every client and is not counted.
for (let r = 0; r <= rounds; r++) {
  for (const [name, c] of Object.entries(clients)) {
    const start = process.cpuUsage();
    for (let i = 0; i < requests; i++) await c.get('/json');
    const used = process.cpuUsage(start);
    if (r > 0) cpu[name].push((used.user + used.system) / requests);
  }
}
const plain = median(cpu.plain);
for (const [name, list] of Object.entries(cpu)) {
  const us = median(list);
  const delta = us - plain;
  const added = name === 'plain' ? '' : `  ${delta >= 0 ? '+' : ''}${delta.toFixed(2)} µs over plain`;
  console.log(`${name.padEnd(9)} ${us.toFixed(2).padStart(6)} µs CPU/req${added}`);
}
await Promise.all(Object.values(clients).map((c) => c.close()));
await sdk.shutdown();
