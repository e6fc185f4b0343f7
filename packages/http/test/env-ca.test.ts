// SSL_CERT_FILE / SSL_CERT_DIR name the CAs to trust when trustEnv is on, as in HTTPX and OpenSSL.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, ConnectError, UsageError } from '../src/index.js';
import { cli, start } from './support/cli-process.js';
import { type Certificates, httpsServer, makeCertificates, type TestServer } from './support/servers.js';

let certs: Certificates;
let server: TestServer;
let caDir: string;
beforeAll(async () => {
  certs = await makeCertificates();
  server = await httpsServer(certs, (_req, res) => res.writeHead(200).end('trusted'));
  // A CA folder as distributions lay them out: only certificates, one per file.
  caDir = join(certs.dir, 'ca-dir');
  mkdirSync(caDir);
  copyFileSync(certs.caPath, join(caDir, 'test-ca.pem'));
});
afterAll(async () => {
  await server.close();
  rmSync(certs.dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.SSL_CERT_FILE;
  delete process.env.SSL_CERT_DIR;
});

async function status(options: ConstructorParameters<typeof Client>[0] = {}): Promise<number> {
  await using client = new Client(options);
  return (await client.get(server.url)).statusCode;
}

function cliWithEnv(args: string[], env: Record<string, string>) {
  return start(args, { ...process.env, ...env }).done;
}

describe('SSL_CERT_FILE and SSL_CERT_DIR', () => {
  it('without them, the self-signed test CA is not trusted', async () => {
    await expect(status()).rejects.toBeInstanceOf(ConnectError);
  });

  it('SSL_CERT_FILE makes the client trust the CA bundle it names', async () => {
    process.env.SSL_CERT_FILE = certs.caPath;
    expect(await status()).toBe(200);
  });

  it('SSL_CERT_DIR makes the client trust the certificates in the folder', async () => {
    process.env.SSL_CERT_DIR = caDir;
    expect(await status()).toBe(200);
  });

  it('are ignored with trustEnv: false', async () => {
    process.env.SSL_CERT_FILE = certs.caPath;
    await expect(status({ trustEnv: false })).rejects.toBeInstanceOf(ConnectError);
  });

  it('lose to an explicit verify setting', async () => {
    process.env.SSL_CERT_FILE = join(certs.dir, 'key.pem');
    // key.pem holds no certificate: were the variable read, the constructor would throw.
    expect(await status({ verify: certs.caPath })).toBe(200);
  });

  it.each([
    ['SSL_CERT_FILE', '/no/such/ca.pem', "SSL_CERT_FILE names '/no/such/ca.pem', which cannot be read"],
    ['SSL_CERT_DIR', '/no/such/dir', "SSL_CERT_DIR names '/no/such/dir', which cannot be read as a folder"],
  ])('a %s that cannot be used fails at construction with a UsageError naming it', (name, value, message) => {
    process.env[name] = value;
    expect(() => new Client()).toThrow(new UsageError(message));
  });

  it('a SSL_CERT_FILE without certificates is refused by name', () => {
    process.env.SSL_CERT_FILE = join(certs.dir, 'key.pem');
    expect(() => new Client()).toThrow(
      new UsageError(`SSL_CERT_FILE names '${join(certs.dir, 'key.pem')}', which holds no PEM certificate`),
    );
  });

  it('the pluggable-http CLI honours SSL_CERT_FILE too', async () => {
    const refused = await cli(server.url);
    expect(refused.code).toBe(1);
    const run = await cliWithEnv([server.url], { SSL_CERT_FILE: certs.caPath });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout.endsWith('\n\ntrusted\n')).toBe(true);
  });
});
