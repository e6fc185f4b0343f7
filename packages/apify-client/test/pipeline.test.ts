import { describe, expect, it } from 'vitest';
import {
  buildUrl,
  isCompressible,
  mergeHeaders,
  prepareBody,
  serializeParams,
} from '../src/http/pipeline.js';
import { InvalidArgumentError } from '../src/index.js';
import { attemptTimeout, resolveTimeout } from '../src/timeouts.js';

describe('request pipeline helpers', () => {
  it('serializes params and rejects an invalid Date by name', () => {
    expect(
      serializeParams({ a: true, b: false, c: ['x', 'y'], d: 0, e: null, f: undefined, g: new Date(0) }),
    ).toEqual({
      a: 'true',
      b: 'false',
      c: 'x,y',
      d: '0',
      g: '1970-01-01T00:00:00.000Z',
    });
    expect(() => serializeParams({ when: new Date('nope') })).toThrow(InvalidArgumentError);
    expect(() => serializeParams({ when: new Date('nope') })).toThrow(/"when"/);
    expect(buildUrl('http://h/v2/x', { q: 'a b', n: undefined })).toBe('http://h/v2/x?q=a+b');
    expect(buildUrl('http://h/v2/x', {})).toBe('http://h/v2/x');
  });

  it('merges headers case-insensitively, later sources winning', () => {
    expect(mergeHeaders({ Accept: 'a', 'X-One': '1' }, { accept: 'b' }, undefined)).toEqual({
      accept: 'b',
      'X-One': '1',
    });
  });

  it('knows which content types are worth compressing', () => {
    for (const type of [
      'application/json',
      'text/plain; charset=utf-8',
      'application/ld+json',
      'image/svg+xml',
      'image/bmp',
      'audio/wav',
      undefined,
    ]) {
      expect(isCompressible(type)).toBe(true);
    }
    for (const type of [
      'image/png',
      'image/jpeg',
      'video/mp4',
      'audio/mpeg',
      'application/zip',
      'application/gzip',
      'font/woff2',
    ]) {
      expect(isCompressible(type)).toBe(false);
    }
  });

  it('prepares bodies: json with a content type, data as bytes, both at once refused', async () => {
    const prepared = await prepareBody({ json: { a: 1 } }, 'gzip');
    expect(new TextDecoder().decode(prepared.body as Uint8Array)).toBe('{"a":1}');
    expect(prepared.headers).toEqual({ 'Content-Type': 'application/json; charset=utf-8' });
    const own = await prepareBody(
      { json: { a: 1 }, headers: { 'content-type': 'application/vnd+json' } },
      null,
    );
    expect(own.headers).toEqual({ 'content-type': 'application/vnd+json' });
    await expect(prepareBody({ json: {}, data: 'x' }, null)).rejects.toThrow(/either "data" or "json"/);
    await expect(prepareBody({ json: undefined, data: 'x'.repeat(2000) }, null)).resolves.toMatchObject({
      replayable: true,
    });
    expect((await prepareBody({ data: 'x'.repeat(2000) }, null)).headers['Content-Encoding']).toBeUndefined();
    const stream = await prepareBody({ data: new ReadableStream<Uint8Array>() }, 'gzip');
    expect(stream.replayable).toBe(false);
  });

  it('resolves tiers and grows attempt timeouts from the base, never compounding', () => {
    expect(resolveTimeout(undefined, 'short')).toBe(5000);
    expect(resolveTimeout('medium', 'short')).toBe(30_000);
    expect(resolveTimeout('long', 'short')).toBe(360_000);
    expect(resolveTimeout('none', 'short')).toBeNull();
    expect(resolveTimeout(1234, 'short')).toBe(1234);
    expect([1, 2, 3, 4, 5].map((k) => attemptTimeout(5000, k, 360_000))).toEqual([
      5000, 10_000, 20_000, 40_000, 80_000,
    ]);
    expect([1, 2, 3, 4].map((k) => attemptTimeout(1000, k, 5000))).toEqual([1000, 2000, 4000, 5000]);
    expect(attemptTimeout(null, 3, 5000)).toBeNull();
  });
});
