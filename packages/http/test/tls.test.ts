import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ConnectError } from '../src/index.js';
import { type Certificates, httpsServer, makeCertificates, type TestServer } from './support/servers.js';

let certs: Certificates;
let server: TestServer;

beforeAll(async () => {
  certs = await makeCertificates();
  server = await httpsServer(
    certs,
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.end(peer?.subject?.CN ?? 'anonymous');
    },
    { requestCert: true, rejectUnauthorized: false },
  );
});
afterAll(() => server.close());

describe('TLS', () => {
  it('rejects a self-signed server by default with a TLS cause', async () => {
    await using client = new Client();
    const error = await client.get(server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    const cause = (error as ConnectError).cause as { code?: string };
    expect(cause.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('accepts it with verify: <CA bundle path>', async () => {
    await using client = new Client({ verify: certs.caPath });
    expect((await client.get(server.url)).text).toBe('anonymous');
  });

  it('accepts it with verify: false', async () => {
    await using client = new Client({ verify: false });
    expect((await client.get(server.url)).statusCode).toBe(200);
  });

  it('presents a client certificate when cert is given', async () => {
    await using client = new Client({
      verify: certs.caPath,
      cert: [certs.clientCertPath, certs.clientKeyPath],
    });
    expect((await client.get(server.url)).text).toBe('test-client');
  });
});
