import { describe, expect, it } from 'vitest';
import {
  type BaseTransport,
  Client,
  MockTransport,
  Mounts,
  Response,
  UnsupportedProtocol,
  URLPattern,
  UsageError,
} from '../src/index.js';

function tagged(tag: string): MockTransport {
  return new MockTransport(() => new Response(200, { text: tag }));
}

async function routedTag(client: Client, url: string): Promise<string> {
  return (await client.get(url)).text;
}

describe('URLPattern priority (httpx.md §1.9)', () => {
  it('sorts the probe list into the documented order', () => {
    const expected = [
      'http://a.com:8080',
      'all://a.com:8080',
      'http://b.example.com',
      'all://*.a.com',
      'all://*a.com',
      'http://a.com',
      'all://a.com',
      'https://',
      'http://',
      'all://',
    ];
    const shuffled = [...expected].reverse();
    const sorted = shuffled.map((p) => new URLPattern(p)).sort((a, b) => a.compare(b));
    expect(sorted.map((p) => p.pattern)).toEqual(expected);
  });

  it('matches scheme, host wildcards and normalised ports', () => {
    const url = new URL('http://www.a.com/');
    expect(new URLPattern('all://*.a.com').matches(url)).toBe(true);
    expect(new URLPattern('all://*.a.com').matches(new URL('http://a.com/'))).toBe(false);
    expect(new URLPattern('all://*a.com').matches(new URL('http://a.com/'))).toBe(true);
    expect(new URLPattern('all://*a.com').matches(new URL('http://xa.com/'))).toBe(false);
    expect(new URLPattern('http://example.com:80').matches(new URL('http://example.com/'))).toBe(true);
    expect(new URLPattern('http://example.com').matches(new URL('http://example.com:8080/'))).toBe(true);
    expect(new URLPattern('all://*:1234').matches(new URL('https://x.org:1234/'))).toBe(true);
    expect(new URLPattern('https://').matches(url)).toBe(false);
  });

  it('picks 4, then 3, then 2 for http://example.com (the upstream test case)', async () => {
    const all = {
      'all://': tagged('1'),
      'http://': tagged('2'),
      'all://example.com': tagged('3'),
      'http://example.com': tagged('4'),
    };
    await using client4 = new Client({ mounts: all, transport: tagged('default') });
    expect(await routedTag(client4, 'http://example.com')).toBe('4');
    const { 'http://example.com': _4, ...without4 } = all;
    await using client3 = new Client({ mounts: without4, transport: tagged('default') });
    expect(await routedTag(client3, 'http://example.com')).toBe('3');
    await using client2 = new Client({
      mounts: { 'all://': all['all://'], 'http://': all['http://'] },
      transport: tagged('default'),
    });
    expect(await routedTag(client2, 'http://example.com')).toBe('2');
  });
});

describe('mount keys and null mounts', () => {
  it('a key without :// throws UsageError naming the fix', () => {
    expect(() => new Client({ mounts: { http: tagged('x') } })).toThrow(UsageError);
    expect(() => new Client({ mounts: { http: tagged('x') } })).toThrow('use "http://"');
  });

  it('null routes to the default transport', async () => {
    await using client = new Client({
      transport: tagged('default'),
      mounts: { 'all://': tagged('proxy'), 'all://example.com': null },
    });
    expect(await routedTag(client, 'http://example.com/')).toBe('default');
    expect(await routedTag(client, 'http://other.com/')).toBe('proxy');
  });

  it('custom schemes can be mounted', async () => {
    await using client = new Client({ mounts: { 'file://': tagged('file') } });
    expect(await routedTag(client, 'file:///etc/hosts')).toBe('file');
  });
});

describe('Mounts as a transport', () => {
  it('routes by pattern and rejects unmatched URLs with UnsupportedProtocol', async () => {
    const transport = new Mounts({ 'http://': tagged('plain'), 'https://': tagged('secure') });
    await using client = new Client({ transport });
    expect(await routedTag(client, 'http://a.com/')).toBe('plain');
    expect(await routedTag(client, 'https://a.com/')).toBe('secure');
    await expect(client.get('ftp://a.com/')).rejects.toBeInstanceOf(UnsupportedProtocol);
  });

  it('closes every mounted transport once', async () => {
    const closed: string[] = [];
    const closing = (tag: string): BaseTransport => {
      const t = tagged(tag);
      t.close = async () => void closed.push(tag);
      return t;
    };
    const shared = closing('shared');
    const mounts = new Mounts({ 'http://': shared, 'https://': shared, 'all://': closing('all') });
    await mounts.close();
    expect(closed.sort()).toEqual(['all', 'shared']);
  });
});
