// HTTPX tests/client/test_event_hooks.py (0.28).
import { describe, expect, it } from 'vitest';
import { Client, HTTPStatusError, MockTransport, type Request, Response } from '../../../src/index.js';

const hello = new MockTransport(() => new Response(200, { text: 'Hello, world' }));

describe('HTTPX tests/client/test_event_hooks.py', () => {
  it('test_event_hooks', async () => {
    const events: string[] = [];
    await using client = new Client({
      transport: hello,
      eventHooks: {
        request: [(request: Request) => void events.push(`request ${request.method} ${request.url.href}`)],
        response: [(response) => void events.push(`response ${response.statusCode}`)],
      },
    });
    await client.get('http://127.0.0.1:8000/', { auth: ['username', 'password'] });
    expect(events).toEqual(['request GET http://127.0.0.1:8000/', 'response 200']);
  });

  it('test_event_hooks_raising_exception', async () => {
    await using client = new Client({
      transport: new MockTransport(() => new Response(400)),
      eventHooks: { response: [(response) => void response.raiseForStatus()] },
    });
    await expect(client.get('http://127.0.0.1:8000/status/400')).rejects.toThrow(HTTPStatusError);
  });

  it('test_event_hooks_with_redirect', async () => {
    const events: string[] = [];
    await using client = new Client({
      followRedirects: true,
      transport: new MockTransport((request) =>
        request.url.pathname === '/redirect/303'
          ? new Response(303, { headers: { location: '/' } })
          : new Response(200, { text: 'Hello, world!' }),
      ),
      eventHooks: {
        request: [(request) => void events.push(`request ${request.url.pathname}`)],
        response: [(response) => void events.push(`response ${response.statusCode}`)],
      },
    });
    await client.get('http://127.0.0.1:8000/redirect/303');
    expect(events).toEqual(['request /redirect/303', 'response 303', 'request /', 'response 200']);
  });

  it('a response hook that throws stops the redirect chain', async () => {
    let sent = 0;
    await using client = new Client({
      followRedirects: true,
      transport: new MockTransport(() => {
        sent += 1;
        return new Response(303, { headers: { location: '/' } });
      }),
      eventHooks: { response: [(response) => void response.raiseForStatus()] },
    });
    await expect(client.get('http://127.0.0.1:8000/redirect/303')).rejects.toThrow(
      "Redirect response '303 See Other' for url 'http://127.0.0.1:8000/redirect/303'",
    );
    expect(sent).toBe(1);
  });
});
