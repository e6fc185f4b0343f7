// HTTPX tests/client/test_headers.py (0.28): how client and request headers merge on the wire.
import { describe, expect, it } from 'vitest';
import { ACCEPT_ENCODING } from '../../../src/content/decoders.js';
import { Client, Headers, MockTransport, Response, UsageError, VERSION } from '../../../src/index.js';

const echoHeaders = new MockTransport(
  (request) => new Response(200, { json: { headers: Object.fromEntries(request.headers.multiItems()) } }),
);
const defaults = {
  accept: '*/*',
  'accept-encoding': ACCEPT_ENCODING,
  connection: 'keep-alive',
  host: 'example.org',
  'user-agent': `pluggable-http/${VERSION}`,
};
const url = 'http://example.org/echo_headers';

describe('HTTPX tests/client/test_headers.py', () => {
  it('test_client_header', async () => {
    await using client = new Client({
      transport: echoHeaders,
      headers: { 'Example-Header': 'example-value' },
    });
    const response = await client.get(url);
    expect(response.json()).toEqual({ headers: { ...defaults, 'example-header': 'example-value' } });
  });

  it('test_header_merge', async () => {
    await using client = new Client({
      transport: echoHeaders,
      headers: { 'User-Agent': 'python-myclient/0.2.1' },
    });
    const response = await client.get(url, { headers: { 'X-Auth-Token': 'FooBarBazToken' } });
    expect(response.json()).toEqual({
      headers: { ...defaults, 'user-agent': 'python-myclient/0.2.1', 'x-auth-token': 'FooBarBazToken' },
    });
  });

  it('test_header_merge_conflicting_headers', async () => {
    await using client = new Client({ transport: echoHeaders, headers: { 'X-Auth-Token': 'FooBar' } });
    const response = await client.get(url, { headers: { 'X-Auth-Token': 'BazToken' } });
    expect(response.json()).toEqual({ headers: { ...defaults, 'x-auth-token': 'BazToken' } });
  });

  it('test_header_update', async () => {
    await using client = new Client({ transport: echoHeaders });
    const first = await client.get(url);
    client.headers.update({ 'User-Agent': 'python-myclient/0.2.1', 'Another-Header': 'AThing' });
    const second = await client.get(url);
    expect(first.json()).toEqual({ headers: defaults });
    expect(second.json()).toEqual({
      headers: { ...defaults, 'another-header': 'AThing', 'user-agent': 'python-myclient/0.2.1' },
    });
  });

  it('test_header_repeated_items', async () => {
    await using client = new Client({ transport: echoHeaders });
    const response = await client.get(url, {
      headers: [
        ['x-header', '1'],
        ['x-header', '2,3'],
      ],
    });
    const request = response.request;
    expect(request.headers.getList('x-header')).toEqual(['1', '2,3']);
    expect(request.headers.get('x-header')).toBe('1, 2,3');
  });

  it('test_remove_default_header', async () => {
    await using client = new Client({ transport: echoHeaders });
    client.headers.delete('User-Agent');
    const response = await client.get(url);
    const { 'user-agent': _dropped, ...rest } = defaults;
    expect(response.json()).toEqual({ headers: rest });
  });

  it('test_header_does_not_exist (deleting is a no-op that reports false)', () => {
    expect(new Headers({ foo: 'bar' }).delete('baz')).toBe(false);
  });

  it('test_header_with_incorrect_value', () => {
    expect(() => new Headers({ foo: null } as unknown as Record<string, string>)).toThrow(UsageError);
    expect(() => new Headers({ foo: null } as unknown as Record<string, string>)).toThrow(
      'Invalid type for value of header "foo": expected a string or number, got null',
    );
  });

  it('test_host_with_auth_and_port', async () => {
    await using client = new Client({ transport: echoHeaders });
    const response = await client.get('http://username:password@example.org:80/echo_headers');
    expect(response.json()).toEqual({
      headers: { ...defaults, authorization: 'Basic dXNlcm5hbWU6cGFzc3dvcmQ=' },
    });
  });

  it('test_host_with_non_default_port_in_url', async () => {
    await using client = new Client({ transport: echoHeaders });
    const response = await client.get('http://username:password@example.org:123/echo_headers');
    expect(response.json()).toEqual({
      headers: { ...defaults, host: 'example.org:123', authorization: 'Basic dXNlcm5hbWU6cGFzc3dvcmQ=' },
    });
  });

  it('test_request_auto_headers', () => {
    const request = new Client().buildRequest('GET', 'https://www.example.org/');
    expect(request.headers.has('Host')).toBe(true);
  });
});
