import { ApifyClient as OfficialClient } from 'apify-client';
import { describe, expect, it } from 'vitest';
import { ApifyClient, InvalidArgumentError } from '../src/index.js';
import { json, startServer } from './helpers/servers.js';

/** `requestInterceptors`, the official constructor option, used to be accepted and ignored. */
describe('requestInterceptors', () => {
  it('interceptors run last to first (as axios runs them), see the request, may change it asynchronously, and the change is sent', async () => {
    await using server = await startServer((_req, res) => json(res, 201, { data: {} }));
    const seen: unknown[] = [];
    const interceptors = [
      async (config: {
        method?: string;
        url?: string;
        params?: unknown;
        data?: unknown;
        headers?: unknown;
      }) => {
        seen.push(
          structuredClone({
            method: config.method,
            url: config.url,
            params: config.params,
            data: config.data,
          }),
        );
        await Promise.resolve();
        (config.headers as Record<string, string>)['X-Trace'] = 'abc';
        (config.params as Record<string, unknown>).extra = 'yes';
        return config;
      },
      (config: { data?: unknown }) => {
        config.data = { ...(config.data as object), added: true };
        return config;
      },
    ];
    const official = new OfficialClient({
      baseUrl: server.url,
      token: 'tok',
      requestInterceptors: interceptors as never,
    });
    await official.dataset('ds1').update({ title: 't' });
    await using ours = new ApifyClient({
      baseUrl: server.url,
      token: 'tok',
      requestInterceptors: interceptors as never,
    });
    await ours.dataset('ds1').update({ title: 't' });

    expect(seen).toEqual([
      { method: 'put', url: `${server.url}/v2/datasets/ds1`, params: {}, data: { title: 't', added: true } },
      { method: 'put', url: `${server.url}/v2/datasets/ds1`, params: {}, data: { title: 't', added: true } },
    ]);
    const [a, b] = server.requests;
    for (const request of [a, b]) {
      expect(request?.url).toBe('/v2/datasets/ds1?extra=yes');
      expect(request?.headers['x-trace']).toBe('abc');
      expect(JSON.parse(request?.body.toString() ?? '')).toEqual({ title: 't', added: true });
    }
  });

  it('rejects a value that is not an array of functions before anything is sent', () => {
    expect(() => new ApifyClient({ requestInterceptors: [42 as never] })).toThrow(InvalidArgumentError);
    expect(() => new ApifyClient({ requestInterceptors: [42 as never] })).toThrow(
      'requestInterceptors must be an array of functions',
    );
  });
});
