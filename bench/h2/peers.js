// The HTTP/2 peers. Each `create({ origin, caPath })` returns { get(path) → bytes, download(path)
// → bytes, close() }, verifying the server's certificate against the CA file.
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { Client, Limits } from '@pluggable/http';
import got from 'got';
import { Client as UndiciClient } from 'undici';

const ours = {
  name: '@pluggable/http',
  create({ origin, caPath }) {
    const client = new Client({
      baseUrl: origin,
      http2: true,
      verify: caPath,
      limits: new Limits({ maxConnections: 100, maxKeepaliveConnections: 100 }),
    });
    return {
      async get(path) {
        return (await client.get(path)).content.byteLength;
      },
      async download(path) {
        const response = await client.stream('GET', path);
        let bytes = 0;
        for await (const chunk of response.iterBytes()) bytes += chunk.byteLength;
        return bytes;
      },
      close: () => client.close(),
    };
  },
};

// undici at its best for h2: one Client (one connection) with allowH2, its stream cap
// (`pipelining`) at the 100 requests in flight. A Pool of several clients only adds connections.
const undiciH2 = {
  name: 'undici (allowH2, pipelining 100)',
  create({ origin, caPath }) {
    const client = new UndiciClient(origin, {
      allowH2: true,
      pipelining: 100,
      connect: { ca: readFileSync(caPath) },
    });
    return {
      async get(path) {
        const { body } = await client.request({ path, method: 'GET' });
        return (await body.bytes()).byteLength;
      },
      async download(path) {
        const { body } = await client.request({ path, method: 'GET' });
        let bytes = 0;
        for await (const chunk of body) bytes += chunk.byteLength;
        return bytes;
      },
      close: () => client.close(),
    };
  },
};

const gotH2 = {
  name: 'got (http2: true)',
  create({ origin, caPath }) {
    const client = got.extend({
      prefixUrl: origin,
      http2: true,
      https: { certificateAuthority: readFileSync(caPath) },
      retry: { limit: 0 },
    });
    const rel = (path) => path.slice(1);
    return {
      async get(path) {
        return (await client.get(rel(path)).buffer()).byteLength;
      },
      async download(path) {
        let bytes = 0;
        for await (const chunk of client.stream(rel(path))) bytes += chunk.byteLength;
        return bytes;
      },
      close: async () => {},
    };
  },
};

// The platform's ceiling: one node:http2 session, no client library at all.
const rawSession = {
  name: 'node:http2 session (raw)',
  create({ origin, caPath }) {
    const session = http2.connect(origin, { ca: readFileSync(caPath) });
    const request = (path, onChunk) =>
      new Promise((resolve, reject) => {
        const stream = session.request({ ':path': path, ':method': 'GET' });
        let bytes = 0;
        stream.on('data', (chunk) => {
          bytes += chunk.byteLength;
          onChunk?.(chunk);
        });
        stream.on('end', () => resolve(bytes));
        stream.on('error', reject);
      });
    return {
      get: (path) => request(path),
      download: (path) => request(path),
      close: () => new Promise((resolve) => session.close(resolve)),
    };
  },
};

export const H2_BASELINE = undiciH2.name;
export const H2_PEERS = [ours, undiciH2, gotH2, rawSession];
