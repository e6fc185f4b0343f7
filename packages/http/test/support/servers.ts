import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface TestServer extends AsyncDisposable {
  url: string;
  port: number;
  /** Every socket the server accepted, in order (to count connections). */
  sockets: Socket[];
  server: http.Server;
  close(): Promise<void>;
}

async function start(server: http.Server, scheme: 'http' | 'https', host = '127.0.0.1'): Promise<TestServer> {
  const sockets: Socket[] = [];
  server.on('connection', (socket: Socket) => sockets.push(socket));
  server.on('secureConnection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `${scheme}://${host}:${port}`, port, sockets, server, close, [Symbol.asyncDispose]: close };
}

/** A plain HTTP server on 127.0.0.1 and a free port. */
export function httpServer(handler: http.RequestListener): Promise<TestServer> {
  return start(http.createServer(handler), 'http');
}

export interface Certificates {
  /** Folder holding ca.pem (the self-signed server certificate), key.pem, client.pem and client-key.pem. */
  dir: string;
  cert: string;
  key: string;
  clientCert: string;
  clientKey: string;
  caPath: string;
  clientCertPath: string;
  clientKeyPath: string;
}

/** A self-signed certificate for 127.0.0.1/localhost, plus a client certificate it signed. */
export async function makeCertificates(): Promise<Certificates> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
    clientCertificate: { cn: 'test-client' },
  });
  const dir = await mkdtemp(join(tmpdir(), 'pluggable-tls-'));
  const paths = {
    caPath: join(dir, 'ca.pem'),
    clientCertPath: join(dir, 'client.pem'),
    clientKeyPath: join(dir, 'client-key.pem'),
  };
  await writeFile(paths.caPath, pems.cert);
  await writeFile(join(dir, 'key.pem'), pems.private);
  await writeFile(paths.clientCertPath, pems.clientcert ?? '');
  await writeFile(paths.clientKeyPath, pems.clientprivate ?? '');
  return {
    dir,
    cert: pems.cert,
    key: pems.private,
    clientCert: pems.clientcert ?? '',
    clientKey: pems.clientprivate ?? '',
    ...paths,
  };
}

/** An HTTPS server on 127.0.0.1 with the given certificate. */
export function httpsServer(
  certs: Certificates,
  handler: http.RequestListener,
  options: https.ServerOptions = {},
): Promise<TestServer> {
  return start(https.createServer({ cert: certs.cert, key: certs.key, ...options }, handler), 'https');
}

/** Reads a whole request body. */
export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Echoes method, url, raw headers and body as JSON. */
export const echo: http.RequestListener = async (req, res) => {
  const body = await readBody(req);
  res.setHeader('Content-Type', 'application/json');
  res.end(
    JSON.stringify({
      method: req.method,
      url: req.url,
      headers: req.rawHeaders,
      body: body.toString('latin1'),
    }),
  );
};
