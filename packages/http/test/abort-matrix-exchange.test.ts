import { describe, it } from 'vitest';
import { Auth, Client, HTTPTransport, type Request, type Response, RetryTransport } from '../src/index.js';
import { type Phase, rawHttpServer, runCell, signalled, type Trigger } from './support/abort-matrix.js';
import { rawServer } from './support/raw-server.js';

// The abort/close matrix, part 2: the phases of the exchange and of the client pipeline.
// Part 1 (abort-matrix-connection.test.ts) covers the phases before the connection.

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

/** Stays pending: a hook or auth step that never finishes on its own. */
const forever = () => new Promise<never>(() => {});

const phases: Phase[] = [
  {
    name: 'writing a large body',
    async setup() {
      const receiving = signalled();
      // Takes the first bytes, then stops reading: the upload stalls on a full socket.
      const server = await rawServer((socket) =>
        socket.once('data', () => {
          socket.pause();
          receiving.resolve();
        }),
      );
      const client = new Client();
      const body = new Uint8Array(64 * 1024 * 1024);
      return {
        client,
        servers: [server],
        finishedExchange: false,
        reached: receiving.promise,
        start: (options) => client.post(server.url, { content: body, ...options }),
        // A server that stopped reading sees the close only behind the bytes still queued to it.
        afterError: () => {
          for (const socket of server.accepted) socket.resume();
        },
      };
    },
  },
  {
    name: 'waiting for headers',
    async setup() {
      const seen = signalled();
      const server = await rawHttpServer(() => seen.resolve());
      const client = new Client();
      return {
        client,
        servers: [server],
        finishedExchange: false,
        reached: seen.promise,
        start: (options) => client.get(server.url, options),
      };
    },
  },
  {
    name: 'reading the body',
    async setup() {
      // Headers and half the body, then nothing.
      const server = await rawHttpServer((_head, socket) =>
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf'),
      );
      const client = new Client();
      const streamed = signalled();
      return {
        client,
        servers: [server],
        finishedExchange: false,
        reached: streamed.promise,
        async start(options) {
          const response = await client.stream('GET', server.url, options);
          streamed.resolve();
          return response.read();
        },
      };
    },
  },
  {
    name: 'between auth-flow steps',
    async setup() {
      const server = await rawHttpServer((_head, socket) => socket.write(OK));
      const stepping = signalled();
      class SlowSecondStep extends Auth {
        override requiresResponseBody = true;
        override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
          yield request;
          // The first response is read (its connection is back in the pool); the next step stalls.
          stepping.resolve();
          await forever();
        }
      }
      const client = new Client({ auth: new SlowSecondStep() });
      return {
        client,
        servers: [server],
        finishedExchange: true,
        reached: stepping.promise,
        start: (options) => client.get(server.url, options),
      };
    },
  },
  {
    name: 'between redirect hops',
    async setup() {
      const secondHop = signalled();
      // The next hop's server takes the request and never answers.
      const next = await rawHttpServer(() => secondHop.resolve());
      const first = await rawHttpServer((_head, socket) =>
        socket.write(`HTTP/1.1 302 Found\r\nLocation: ${next.url}/next\r\nContent-Length: 0\r\n\r\n`),
      );
      const client = new Client({ followRedirects: true });
      return {
        client,
        servers: [first, next],
        // The first hop's connection is back in the pool; the second hop's is cut (checked at close).
        finishedExchange: true,
        reached: secondHop.promise,
        start: (options) => client.get(first.url, options),
      };
    },
  },
  {
    name: 'inside an event hook',
    async setup() {
      const server = await rawHttpServer((_head, socket) => socket.write(OK));
      const hooked = signalled();
      const client = new Client({
        eventHooks: {
          response: [
            async (response) => {
              await response.read();
              hooked.resolve();
              await forever();
            },
          ],
        },
      });
      return {
        client,
        servers: [server],
        finishedExchange: true,
        reached: hooked.promise,
        start: (options) => client.get(server.url, options),
      };
    },
  },
  {
    name: 'RetryTransport backoff',
    async setup() {
      const server = await rawHttpServer((_head, socket) =>
        socket.write('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n'),
      );
      const waiting = signalled();
      const client = new Client({
        transport: new RetryTransport(new HTTPTransport(), {
          retries: 5,
          backoff: { base: 60_000 },
          // Drawn as the backoff is computed: the transport is about to wait 60 s.
          random: () => {
            setImmediate(waiting.resolve);
            return 1;
          },
        }),
      });
      return {
        client,
        servers: [server],
        finishedExchange: true,
        reached: waiting.promise,
        start: (options) => client.get(server.url, options),
      };
    },
  },
];

const triggers: Trigger[] = ['abort', 'total', 'close'];

describe('abort/close matrix: the exchange and the pipeline', () => {
  for (const phase of phases) {
    describe(phase.name, () => {
      for (const trigger of triggers) {
        it(`${trigger} gives the typed error within 100 ms and leaves no socket open`, () =>
          runCell(phase, trigger));
      }
    });
  }
});
