import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { harness, MODES } from './helpers.js';

const json = { 'content-type': 'application/json' };

/** A GET with a repeated header: fetch() folds repeated headers into one line, node:http sends both. */
function getWithRepeatedHeader(target: URL): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(target, { headers: { 'X-Twice': ['a', 'b'] } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tools/browser-info over HTTP', () => {
  it('echoes the method, the loopback client IP, the headers and the body length, for every method', async () => {
    await using emulator = createEmulator({ token: 'secret-token' });
    const { url } = await emulator.listen();
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const body = method === 'GET' ? undefined : 'twelve bytes';
      // No token: the spec serves browser-info to anyone.
      const response = await fetch(`${url}/v2/browser-info`, {
        method,
        headers: { 'x-probe': 'one' },
        ...(body === undefined ? {} : { body }),
      });
      expect(response.status).toBe(200);
      const info = await response.json();
      expect(info).toMatchObject({
        method,
        clientIp: '127.0.0.1',
        countryCode: null,
        bodyLength: body === undefined ? 0 : 12,
      });
      expect(info.headers).toMatchObject({ 'x-probe': 'one', host: new URL(url).host });
      expect(info).not.toHaveProperty('rawHeaders');
    }
  });

  it('skipHeaders drops the header map; rawHeaders lists repeated headers in the order sent', async () => {
    await using emulator = createEmulator();
    const { url } = await emulator.listen();
    const target = new URL(`${url}/v2/browser-info?skipHeaders=1&rawHeaders=true`);
    const { status, body: info } = await getWithRepeatedHeader(target);
    expect(status).toBe(200);
    expect(info).not.toHaveProperty('headers');
    const raw = info.rawHeaders as string[];
    const twice = raw.flatMap((value, i) => (i % 2 === 0 && value === 'X-Twice' ? [raw[i + 1]] : []));
    expect(twice).toEqual(['a', 'b']);
  });

  it('repeated headers become an array in the header map', async () => {
    await using emulator = createEmulator();
    const { url } = await emulator.listen();
    const target = new URL(`${url}/v2/browser-info`);
    const { status, body: info } = await getWithRepeatedHeader(target);
    expect(status).toBe(200);
    expect((info.headers as Record<string, unknown>)['x-twice']).toEqual(['a', 'b']);
  });

  it('decode-and-verify answers without a token where every other tool needs one', async () => {
    await using emulator = createEmulator({ token: 'secret-token' });
    const { url } = await emulator.listen();
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
    expect((await post('/v2/tools/encode-and-sign', { a: 1 })).status).toBe(401);
    const decoded = await post('/v2/tools/decode-and-verify', { encoded: 'e30=' });
    expect(decoded.status).toBe(400);
    expect((await decoded.json()).error.type).toBe('invalid-value');
  });

  it('in-process there is no socket, so clientIp is null', async () => {
    await using emulator = createEmulator();
    const response = await emulator.fetch(new Request('http://emulator.local/v2/browser-info'));
    expect(await response.json()).toEqual({
      method: 'GET',
      clientIp: null,
      countryCode: null,
      bodyLength: 0,
      headers: {},
    });
  });
});

describe.each(MODES)('tools/encode-and-sign and decode-and-verify (%s)', (mode) => {
  it('round-trips an object, naming the user who encoded it', async () => {
    await using h = await harness(mode);
    const original = { campaign: 'spring', ids: [1, 2, 3], nested: { ok: true } };
    const encodedResponse = await h.raw('/v2/tools/encode-and-sign', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(original),
    });
    expect(encodedResponse.status).toBe(200);
    const { encoded } = (await encodedResponse.json()).data as { encoded: string };
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);

    // decode-and-verify needs no token.
    const decoded = await h.raw('/v2/tools/decode-and-verify', {
      method: 'POST',
      headers: { ...json, authorization: '' },
      body: JSON.stringify({ encoded }),
    });
    expect(decoded.status).toBe(200);
    expect(await decoded.json()).toEqual({
      data: { decoded: original, encodedByUserId: 'EmuLaToRuSeR00001', isVerifiedUser: false },
    });
  });

  it('refuses a tampered value, a value from another emulator, and bodies of the wrong shape', async () => {
    await using h = await harness(mode);
    const sign = async (target: typeof h.raw, body: unknown) =>
      (
        (
          await (
            await target('/v2/tools/encode-and-sign', {
              method: 'POST',
              headers: json,
              body: JSON.stringify(body),
            })
          ).json()
        ).data as {
          encoded: string;
        }
      ).encoded;
    const encoded = await sign(h.raw, { amount: 10 });
    const envelope = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
      payload: string;
      signature: string;
    };
    const forgedPayload = Buffer.from(
      JSON.stringify({ data: { amount: 1000 }, userId: 'EmuLaToRuSeR00001' }),
    ).toString('base64url');
    const tampered = Buffer.from(JSON.stringify({ ...envelope, payload: forgedPayload })).toString('base64');
    await using other = await harness(mode);
    const foreign = await sign(other.raw, { amount: 10 });

    for (const bad of [tampered, foreign, 'not-base64-json', encoded.slice(0, -8)]) {
      const response = await h.raw('/v2/tools/decode-and-verify', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ encoded: bad }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          type: 'invalid-value',
          message:
            'The encoded value is not valid: it was not encoded by this emulator, or it was changed since',
        },
      });
    }
    const notObject = await h.raw('/v2/tools/encode-and-sign', {
      method: 'POST',
      headers: json,
      body: '[1,2]',
    });
    expect(notObject.status).toBe(400);
    expect((await notObject.json()).error).toEqual({
      type: 'invalid-value',
      message: 'The body to encode must be a JSON object',
    });
    const noEncoded = await h.raw('/v2/tools/decode-and-verify', {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    expect(noEncoded.status).toBe(400);
    expect((await noEncoded.json()).error.type).toBe('invalid-value');
    const notJson = await h.raw('/v2/tools/encode-and-sign', {
      method: 'POST',
      headers: json,
      body: '{oops',
    });
    expect((await notJson.json()).error).toEqual({
      type: 'invalid-request',
      message: 'The body must be valid JSON',
    });
  });
});
