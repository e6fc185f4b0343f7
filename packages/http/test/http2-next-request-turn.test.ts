import diagnostics from 'node:diagnostics_channel';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';
import { h2Server } from './support/h2-servers.js';
import { type Certificates, httpServer, makeCertificates } from './support/servers.js';

let certs: Certificates;
beforeAll(async () => {
  certs = await makeCertificates();
});

// undici publishes here synchronously when a request is dispatched to it.
const created = diagnostics.channel('undici:request:create');
let unsubscribe: (() => void) | null = null;
afterEach(() => {
  unsubscribe?.();
  unsubscribe = null;
});

/** After one finished response, starts the next request: does undici get it before a setImmediate? */
async function orderOfNextDispatch(client: Client, url: string): Promise<string[]> {
  await client.get(url);
  const order: string[] = [];
  const listener = () => order.push('dispatched');
  created.subscribe(listener);
  unsubscribe = () => created.unsubscribe(listener);
  const immediate = new Promise<void>((resolve) =>
    setImmediate(() => {
      order.push('next turn');
      resolve();
    }),
  );
  const response = await client.get(url);
  await immediate;
  expect(response.text).toBe('ok');
  return order;
}

describe('the request after a finished response', () => {
  it('over h2 is dispatched at once: its stream shares the connection, nothing is handed back', async () => {
    await using server = await h2Server({ certs });
    await using client = new Client({ verify: certs.caPath, http2: true });
    expect(await orderOfNextDispatch(client, server.url)).toEqual(['dispatched', 'next turn']);
    expect(server.sessions).toBe(1);
  });

  it('over HTTP/1.1 waits one turn, so undici has the kept-alive connection back to reuse', async () => {
    await using server = await httpServer((_req, res) => res.end('ok'));
    await using client = new Client();
    expect(await orderOfNextDispatch(client, server.url)).toEqual(['next turn', 'dispatched']);
    expect(server.sockets).toHaveLength(1);
  });
});
