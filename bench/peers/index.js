// Every peer, in the order of a round (A B C …). Node peers run in measurement children by module;
// HTTPX runs as a Python child (peers/httpx.js). `buffersMultipart`: a FormData holding a disk-backed
// Blob is read whole into memory before it is sent (RSS growth ≈ the file size in a 1 GiB trial run),
// so the peer has no streaming multipart upload from a file and sits out that workload. `requestsOnly`:
// a variant of another peer that only the request workloads measure.
const here = (file) => new URL(file, import.meta.url).href;

export const BASELINE = 'undici.request';
export const OURS = '@pluggable/http';
export const OURS_INSTRUMENTED = '@pluggable/http+otel';
// The fastest peer on the bulk workloads, which our download and upload are measured against.
export const NODE_HTTP = 'node:http';

export const NODE_PEERS = [
  { name: 'undici.request', module: here('./undici-request.js') },
  { name: '@pluggable/http', module: here('./pluggable-http.js') },
  // The same client with OpenTelemetry on: the instrumentation's cost, on the request workloads only.
  { name: OURS_INSTRUMENTED, module: here('./pluggable-http-otel.js'), requestsOnly: true },
  { name: 'undici.fetch', module: here('./undici-fetch.js'), buffersMultipart: true },
  { name: 'fetch', module: here('./global-fetch.js'), buffersMultipart: true },
  { name: 'axios', module: here('./axios.js') },
  { name: 'got', module: here('./got.js') },
  { name: 'ky', module: here('./ky.js'), buffersMultipart: true },
  { name: 'impit', module: here('./impit.js'), buffersMultipart: true },
  { name: NODE_HTTP, module: here('./node-http.js') },
];
