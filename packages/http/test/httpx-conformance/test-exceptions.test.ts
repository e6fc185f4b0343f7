// HTTPX tests/test_exceptions.py (0.28): transport failures map to HTTPX's exception classes.
import { describe, expect, it } from 'vitest';
import { Client, ConnectError, ReadTimeout, Request } from '../../src/index.js';
import { httpServer } from '../support/servers.js';

describe('HTTPX tests/test_exceptions.py', () => {
  it('test_httpcore_exception_mapping (a refused connect is ConnectError, a stalled response ReadTimeout)', async () => {
    await using server = await httpServer((req, res) => {
      if (req.url !== '/slow_response') res.end('ok');
    });
    await using client = new Client({
      trustEnv: false,
      timeout: { connect: 5000, read: 10, write: 5000, pool: 5000 },
    });
    // Port 1 on loopback: nothing listens there, so the connection is refused.
    await expect(client.get('http://127.0.0.1:1/')).rejects.toThrow(ConnectError);
    await expect(client.get(`${server.url}/slow_response`)).rejects.toThrow(ReadTimeout);
  });

  it('test_request_attribute', () => {
    const bare = new ReadTimeout('Read operation timed out');
    expect(() => bare.request).toThrow('ReadTimeout has no request attached');
    const request = new Request('GET', 'https://www.example.com');
    const attached = new ReadTimeout('Read operation timed out', { request });
    expect(attached.request).toBe(request);
  });
});
