import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CassetteMismatch,
  CassetteTransport,
  Client,
  HTTPTransport,
  secretFieldRedactor,
  UsageError,
} from '../src/index.js';
import { sentinel, spellings } from './support/secret-scan.js';
import { httpServer, readBody, type TestServer } from './support/servers.js';

let dir = '';
let server: TestServer | null = null;
const received: string[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cassette-body-'));
  received.length = 0;
  server = await httpServer(async (req, res) => {
    const body = await readBody(req);
    received.push(body.toString('latin1'));
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`got ${body.length}`);
  });
});
afterEach(async () => {
  await server?.close();
  server = null;
  await rm(dir, { recursive: true, force: true });
});

interface RecordedBodies {
  episodes: Array<{ request: { body: { text: string } } }>;
}

/** A JSON login, a form token grant and a multipart upload, each carrying `secret`. */
async function sendSecrets(client: Client, base: string, secret: string, user = 'ada'): Promise<void> {
  await client.post(`${base}/login`, {
    json: { user, password: secret, nested: { apiKey: secret, keep: 1 }, list: [{ access_token: secret }] },
  });
  await client.post(`${base}/token`, {
    data: { grant_type: 'client_credentials', client_secret: secret, scope: user },
  });
  await client.post(`${base}/upload`, {
    data: { Password: secret, title: user },
    files: { file: ['notes.txt', new TextEncoder().encode(`file mentions ${user}`), 'text/plain'] },
  });
}

describe('CassetteTransport request-body redaction', () => {
  it('masks secret JSON, form and multipart fields in the file; the server still gets them; replay matches on the masked form', async () => {
    const secret = sentinel();
    const base = (server as TestServer).url;
    const path = join(dir, 'bodies.json');
    const recorder = new CassetteTransport({ path, mode: 'record', transport: new HTTPTransport() });
    await using client = new Client({ transport: recorder });
    await sendSecrets(client, base, secret);
    await recorder.close();

    expect(received.every((body) => body.includes(secret))).toBe(true);
    const text = await readFile(path, 'utf8');
    for (const form of spellings(secret)) expect(text).not.toContain(form);
    const bodies = (JSON.parse(text) as RecordedBodies).episodes.map((e) => e.request.body.text);
    expect(bodies[0]).toBe(
      '{"user":"ada","password":"[secure]","nested":{"apiKey":"[secure]","keep":1},"list":[{"access_token":"[secure]"}]}',
    );
    expect(bodies[1]).toBe('grant_type=client_credentials&client_secret=%5Bsecure%5D&scope=ada');
    expect(bodies[2]).toMatch(/name="Password"\r\n\r\n\[secure\]\r\n--/);
    expect(bodies[2]).toContain('name="title"\r\n\r\nada\r\n');
    expect(bodies[2]).toContain('file mentions ada');

    await server?.close();
    server = null;
    const player = new CassetteTransport({ path, mode: 'replay' });
    await using replay = new Client({ transport: player });
    // Another secret replays: it differs only in what is masked.
    await sendSecrets(replay, base, sentinel());
    const again = new Client({ transport: new CassetteTransport({ path, mode: 'replay' }) });
    // A different non-secret field does not.
    const error = await sendSecrets(again, base, secret, 'grace').catch((e: unknown) => e);
    await again.close();
    expect(error).toBeInstanceOf(CassetteMismatch);
    expect((error as CassetteMismatch).differences).toEqual([
      'body: request "{\\"user\\":\\"grace\\",\\"password\\":\\"[secure]\\",\\"nested\\":{\\"apiKey\\":\\"[secure]\\",\\"keep\\":1},\\"l…" vs recorded "{\\"user\\":\\"ada\\",\\"password\\":\\"[secure]\\",\\"nested\\":{\\"apiKey\\":\\"[secure]\\",\\"keep\\":1},\\"lis…"',
    ]);
  });

  it('keeps bodies with nothing secret byte for byte, and honours secretFields and a custom redactor', async () => {
    const base = (server as TestServer).url;
    const path = join(dir, 'custom.json');
    const recorder = new CassetteTransport({
      path,
      mode: 'record',
      transport: new HTTPTransport(),
      secretFields: ['pin'],
    });
    await using client = new Client({ transport: recorder });
    await client.post(`${base}/a`, {
      content: '{ "password" : 1 ,"x": [ 2 ] }'.replace('password', 'plain'),
      headers: { 'Content-Type': 'application/json' },
    });
    await client.post(`${base}/b`, { json: { PIN: '1234', password: 'kept' } });
    await recorder.close();

    const customPath = join(dir, 'own.json');
    const own = new CassetteTransport({
      path: customPath,
      mode: 'record',
      transport: new HTTPTransport(),
      redactBody: (body, type) =>
        type === 'text/plain'
          ? new TextEncoder().encode(new TextDecoder().decode(body).replace(/\d{4}/g, '####'))
          : body,
    });
    await using ownClient = new Client({ transport: own });
    await ownClient.post(`${base}/c`, { content: 'card 4242 ok', headers: { 'Content-Type': 'text/plain' } });
    await own.close();

    const bodies = (JSON.parse(await readFile(path, 'utf8')) as RecordedBodies).episodes.map(
      (e) => e.request.body.text,
    );
    expect(bodies).toEqual(['{ "plain" : 1 ,"x": [ 2 ] }', '{"PIN":"[secure]","password":"kept"}']);
    const ownBodies = (JSON.parse(await readFile(customPath, 'utf8')) as RecordedBodies).episodes;
    expect(ownBodies.map((e) => e.request.body.text)).toEqual(['card #### ok']);
    expect(received).toEqual([
      '{ "plain" : 1 ,"x": [ 2 ] }',
      '{"PIN":"1234","password":"kept"}',
      'card 4242 ok',
    ]);
  });

  it('the default redactor leaves other content types, invalid JSON and file parts alone', () => {
    const redact = secretFieldRedactor();
    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
    const plain = bytes('password=hunter2');
    expect(redact(plain, 'text/plain')).toBe(plain);
    const broken = bytes('{"password": ');
    expect(redact(broken, 'application/json')).toBe(broken);
    const file = bytes(
      '--b\r\nContent-Disposition: form-data; name="token"; filename="token.txt"\r\n\r\nabc\r\n--b--\r\n',
    );
    expect(redact(file, 'multipart/form-data; boundary=b')).toBe(file);
    expect(new TextDecoder().decode(redact(bytes('{"a":{"token":"t"}}'), 'application/vnd.api+json'))).toBe(
      '{"a":{"token":"[secure]"}}',
    );
  });

  it('rejects a redactBody that is not a function, and one that returns something else', async () => {
    expect(
      () => new CassetteTransport({ path: 'x.json', mode: 'replay', redactBody: 'yes' as never }),
    ).toThrow(
      new UsageError('CassetteTransport redactBody must be a function (body, contentType) => Uint8Array'),
    );
    const path = join(dir, 'never.json');
    const bad = new CassetteTransport({
      path,
      mode: 'record',
      transport: new HTTPTransport(),
      redactBody: () => 'text' as never,
    });
    await using client = new Client({ transport: bad });
    await expect(client.post(`${(server as TestServer).url}/x`, { content: 'a' })).rejects.toThrow(
      'CassetteTransport redactBody must return a Uint8Array',
    );
    expect(received).toEqual([]);
  });
});
