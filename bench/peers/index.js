// Every peer, in the order of a round (A B C …). Node peers run in measurement children by module;
// HTTPX runs as a Python child (peers/httpx.js).
const here = (file) => new URL(file, import.meta.url).href;

export const BASELINE = 'undici.request';
export const OURS = '@pluggable/http';

export const NODE_PEERS = [
  { name: 'undici.request', module: here('./undici-request.js') },
  { name: '@pluggable/http', module: here('./pluggable-http.js') },
  { name: 'undici.fetch', module: here('./undici-fetch.js') },
  { name: 'fetch', module: here('./global-fetch.js') },
  { name: 'axios', module: here('./axios.js') },
  { name: 'got', module: here('./got.js') },
  { name: 'ky', module: here('./ky.js') },
  { name: 'impit', module: here('./impit.js') },
  { name: 'node:http', module: here('./node-http.js') },
];
