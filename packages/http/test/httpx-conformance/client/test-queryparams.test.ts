// HTTPX tests/client/test_queryparams.py (0.28).
import { describe, expect, it } from 'vitest';
import { Client, MockTransport, QueryParams, Response } from '../../../src/index.js';

describe('HTTPX tests/client/test_queryparams.py', () => {
  it('test_client_queryparams', () => {
    const client = new Client({ params: { a: 'b' } });
    expect(client.params).toBeInstanceOf(QueryParams);
    expect(client.params.get('a')).toBe('b');
  });

  it('test_client_queryparams_string', () => {
    expect(new Client({ params: 'a=b' }).params.get('a')).toBe('b');
    const client = new Client();
    client.params = 'a=b';
    expect(client.params.get('a')).toBe('b');
  });

  it('test_client_queryparams_echo', async () => {
    await using client = new Client({
      params: { first: 'str' },
      transport: new MockTransport(
        (request) => new Response(200, { text: `${request.url.pathname}${request.url.search}` }),
      ),
    });
    const response = await client.get('http://example.org/echo_queryparams', { params: { second: 'dict' } });
    expect(response.text).toBe('/echo_queryparams?first=str&second=dict');
  });
});
