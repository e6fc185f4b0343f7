import diagnostics from 'node:diagnostics_channel';
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';
import { type Certificates, makeCertificates } from './support/servers.js';

let certs: Certificates;
beforeAll(async () => {
  certs = await makeCertificates();
});

// undici publishes each socket it connects here, synchronously.
const connected = diagnostics.channel('undici:client:connected');
const sockets: Socket[] = [];
const onConnected = (message: unknown) => sockets.push((message as { socket: Socket }).socket);
connected.subscribe(onConnected);
afterAll(() => connected.unsubscribe(onConnected));

/** An h2 server that answers one stream per connection, then says GOAWAY and closes, as nginx does at keepalive_requests. */
async function oneStreamPerSession(): Promise<{ url: string; server: http2.Http2SecureServer }> {
  const server = http2.createSecureServer({ cert: certs.cert, key: certs.key });
  server.on('stream', (stream) => {
    const session = stream.session;
    stream.respond({ ':status': 200 });
    session?.goaway(http2.constants.NGHTTP2_NO_ERROR, stream.id);
    stream.end(`served on stream ${stream.id}`);
    session?.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('a server that closes the connection with GOAWAY after a response', () => {
  it('each request gets its response on a connection of its own, and the closed ones leave the process running', async () => {
    const uncaught: Error[] = [];
    let sawUncaught = (): void => {};
    const onUncaught = (error: Error) => {
      uncaught.push(error);
      sawUncaught();
    };
    process.on('uncaughtException', onUncaught);
    const { url, server } = await oneStreamPerSession();
    try {
      sockets.length = 0;
      await using client = new Client({ http2: true, verify: certs.caPath });
      const texts: string[] = [];
      for (let request = 0; request < 3; request++) texts.push((await client.get(url)).text);
      expect(texts).toEqual(['served on stream 1', 'served on stream 1', 'served on stream 1']);
      expect(sockets).toHaveLength(3);
      // undici 7.30 threw an uncaught TypeError from the session's 'close' listener here.
      await Promise.race([
        Promise.all(
          sockets.map((socket) =>
            socket.closed ? null : new Promise((resolve) => socket.once('close', resolve)),
          ),
        ),
        new Promise<void>((resolve) => {
          sawUncaught = resolve;
        }),
      ]);
      expect(uncaught.map((error) => error.message)).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
