import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasicAuth, Client, ProtocolError } from '../src/index.js';
import { httpServer, type TestServer } from './support/servers.js';

// Echoes the Authorization header it received (or "none"), so each test sees what went on the wire.
let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await httpServer((req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end(req.headers.authorization ?? 'none');
  });
  base = server.url;
});

afterAll(async () => {
  await server.close();
});

describe('Basic auth', () => {
  it('encodes user/password123 as Basic dXNlcjpwYXNzd29yZDEyMw==', async () => {
    await using client = new Client({ trustEnv: false });
    const response = await client.get(`${base}/`, { auth: ['user', 'password123'] });
    expect(response.text).toBe('Basic dXNlcjpwYXNzd29yZDEyMw==');
    expect(response.request.headers.get('authorization')).toBe('Basic dXNlcjpwYXNzd29yZDEyMw==');
  });

  it('encodes credentials as UTF-8: ü / p:w → Basic w7w6cDp3', async () => {
    await using client = new Client({ trustEnv: false, auth: new BasicAuth('ü', 'p:w') });
    const response = await client.get(`${base}/`);
    expect(response.text).toBe('Basic w7w6cDp3');
  });

  it('encodes empty credentials as Basic Og==', async () => {
    await using client = new Client({ trustEnv: false });
    const response = await client.get(`${base}/`, { auth: new BasicAuth('', '') });
    expect(response.text).toBe('Basic Og==');
  });

  it('auth: null on a request disables the client auth', async () => {
    await using client = new Client({ trustEnv: false, auth: ['user', 'password123'] });
    expect((await client.get(`${base}/`)).text).toBe('Basic dXNlcjpwYXNzd29yZDEyMw==');
    const response = await client.get(`${base}/`, { auth: null });
    expect(response.text).toBe('none');
    expect(response.request.headers.has('authorization')).toBe(false);
  });

  it('a request auth wins over the client auth', async () => {
    await using client = new Client({ trustEnv: false, auth: ['tom', 'mot123'] });
    const response = await client.get(`${base}/`, { auth: ['alice', 'ecila123'] });
    expect(Buffer.from(response.text.slice(6), 'base64').toString()).toBe('alice:ecila123');
  });

  it('uses URL userinfo as Basic credentials', async () => {
    await using client = new Client({ trustEnv: false });
    const port = server.port;
    const response = await client.get(`http://user:pass@127.0.0.1:${port}/`);
    expect(response.text).toBe(`Basic ${Buffer.from('user:pass').toString('base64')}`);
    expect(response.text).toBe('Basic dXNlcjpwYXNz');
  });

  it('percent-decodes URL userinfo before encoding it', async () => {
    await using client = new Client({ trustEnv: false });
    const port = server.port;
    const response = await client.get(`http://us%40er:p%3As@127.0.0.1:${port}/`);
    expect(response.text).toBe(`Basic ${Buffer.from('us@er:p:s').toString('base64')}`);
  });

  it('util.inspect and JSON of BasicAuth never show the password', () => {
    const auth = new BasicAuth('user', 'hunter2-secret');
    expect(inspect(auth)).toBe('BasicAuth(username="user", password=[secure])');
    expect(JSON.stringify(auth)).toBe('{"type":"basic","username":"user","password":"[secure]"}');
    expect(inspect({ nested: auth }, { depth: 5 })).not.toContain('hunter2');
  });

  it('util.inspect of a client with auth and of an error never shows the password', () => {
    const client = new Client({ trustEnv: false, auth: ['user', 'hunter2-secret'] });
    expect(inspect(client)).not.toContain('hunter2');
    const error = new ProtocolError(
      'failed for http://user:hunter2-secret@example.org/ with Basic dXNlcjpodW50ZXIy',
    );
    expect(inspect(error)).not.toContain('hunter2');
    expect(inspect(error)).not.toContain('dXNlcjpodW50ZXIy');
  });
});
