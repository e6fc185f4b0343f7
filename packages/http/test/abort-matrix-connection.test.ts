import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { describe, it } from 'vitest';
import { Client, HTTPTransport, Limits } from '../src/index.js';
import {
  neverAcceptingListener,
  type Phase,
  rawHttpServer,
  runCell,
  signalled,
  type Trigger,
} from './support/abort-matrix.js';
import { captureSocks5Warning } from './support/process-warnings.js';
import { rawServer } from './support/raw-server.js';

// The abort/close matrix, part 1: the phases before the request is on a connection.
// Part 2 (abort-matrix-exchange.test.ts) covers the phases of the exchange and the pipeline.

const phases: Phase[] = [
  {
    name: 'queued on the limiter',
    async setup() {
      const heads: string[] = [];
      const firstSeen = signalled();
      const server = await rawHttpServer((head) => {
        heads.push(head.split('\r\n')[0] as string);
        firstSeen.resolve();
      });
      const client = new Client({ limits: new Limits({ maxConnections: 1 }) });
      client.get(`${server.url}/holder`).catch(() => {});
      await firstSeen.promise;
      return {
        client,
        servers: [server],
        finishedExchange: true,
        // Queued synchronously: the one connection is held by /holder.
        reached: Promise.resolve(),
        start: (options) => client.get(`${server.url}/queued`, options),
        async cleanup() {
          if (heads.join() !== 'GET /holder HTTP/1.1')
            throw new Error(`the queued request was sent: ${heads}`);
        },
      };
    },
  },
  {
    name: 'connecting',
    async setup() {
      const listener = await neverAcceptingListener();
      const client = new Client();
      const connecting = signalled();
      const onSocket = () => connecting.resolve();
      diagnostics.subscribe('net.client.socket', onSocket);
      return {
        client,
        servers: [],
        finishedExchange: false,
        testSockets: 1,
        reached: connecting.promise.then(() => diagnostics.unsubscribe('net.client.socket', onSocket)),
        start: (options) => client.get(listener.url, options),
        cleanup: () => listener.close(),
      };
    },
  },
  {
    name: 'TLS handshake',
    async setup() {
      const hello = signalled();
      // Accepts, reads the ClientHello and never answers it.
      const server = await rawServer((socket) => socket.once('data', () => hello.resolve()));
      const client = new Client({ verify: false });
      return {
        client,
        servers: [server],
        finishedExchange: false,
        reached: hello.promise,
        start: (options) => client.get(`https://127.0.0.1:${server.port}/`, options),
      };
    },
  },
  {
    name: 'connect-retry backoff',
    async setup() {
      const closed = await rawServer(() => {});
      await closed.close();
      const refused = signalled();
      // Once the refused socket is gone and its ConnectError handled, the transport is in its backoff.
      const onSocket = (message: unknown) =>
        (message as { socket: Socket }).socket.once('close', () => setImmediate(refused.resolve));
      diagnostics.subscribe('net.client.socket', onSocket);
      const client = new Client({ transport: new HTTPTransport({ retries: 5 }) });
      return {
        client,
        servers: [],
        finishedExchange: true,
        reached: refused.promise,
        start: (options) => client.get(closed.url, options),
        async cleanup() {
          diagnostics.unsubscribe('net.client.socket', onSocket);
        },
      };
    },
  },
  {
    name: 'proxy CONNECT',
    async setup() {
      const connectSeen = signalled();
      // A proxy that reads the CONNECT and never answers it.
      const proxy = await rawHttpServer(() => connectSeen.resolve());
      const client = new Client({ proxy: proxy.url });
      return {
        client,
        servers: [proxy],
        finishedExchange: false,
        reached: connectSeen.promise,
        start: (options) => client.get('https://target.invalid/', options),
      };
    },
  },
  {
    name: 'SOCKS handshake',
    async setup() {
      const greeting = signalled();
      // A SOCKS5 server that reads the greeting and never picks a method.
      const proxy = await rawServer((socket) => socket.once('data', () => greeting.resolve()));
      const client = new Client({ proxy: `socks5h://127.0.0.1:${proxy.port}` });
      return {
        client,
        servers: [proxy],
        finishedExchange: false,
        reached: greeting.promise,
        start: (options) => client.get('http://target.invalid/', options),
      };
    },
  },
];

const triggers: Trigger[] = ['abort', 'total', 'close'];

captureSocks5Warning();

describe('abort/close matrix: before the connection', () => {
  for (const phase of phases) {
    describe(phase.name, () => {
      for (const trigger of triggers) {
        it(`${trigger} gives the typed error within 100 ms and leaves no socket open`, () =>
          runCell(phase, trigger));
      }
    });
  }
});
