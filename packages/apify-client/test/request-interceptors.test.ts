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

  it('run once per attempt, as axios runs them on each retry of the official client, and each attempt sends its own change', async () => {
    const answered = new Map<string, number>();
    await using server = await startServer((req, res) => {
      const times = (answered.get(req.url ?? '') ?? 0) + 1;
      answered.set(req.url ?? '', times);
      if (times === 1) json(res, 500, { error: { type: 'internal-error', message: 'try again' } });
      else json(res, 200, { data: { id: 'ds1' } });
    });
    const countingInterceptors = () => {
      const calls: { url: string; data: unknown }[] = [];
      const interceptor = (config: { url?: string; data?: unknown; headers?: unknown }) => {
        calls.push({ url: config.url ?? '', data: structuredClone(config.data) });
        (config.headers as Record<string, string>)['X-Attempt'] = String(calls.length);
        return config;
      };
      return { calls, interceptors: [interceptor] };
    };
    const options = { baseUrl: server.url, token: 'tok', minDelayBetweenRetriesMillis: 1 };
    const forOfficial = countingInterceptors();
    const official = new OfficialClient({
      ...options,
      requestInterceptors: forOfficial.interceptors as never,
    });
    await official.dataset('official').update({ title: 't' });
    const forOurs = countingInterceptors();
    await using ours = new ApifyClient({ ...options, requestInterceptors: forOurs.interceptors as never });
    await ours.dataset('ours').update({ title: 't' });

    const expected = (name: string) => [
      { url: `${server.url}/v2/datasets/${name}`, data: { title: 't' } },
      { url: `${server.url}/v2/datasets/${name}`, data: { title: 't' } },
    ];
    expect(forOfficial.calls).toEqual(expected('official'));
    expect(forOurs.calls).toEqual(expected('ours'));
    expect(
      server.requests.map((r) => [r.url, r.headers['x-attempt'], JSON.parse(r.body.toString())]),
    ).toEqual([
      ['/v2/datasets/official', '1', { title: 't' }],
      ['/v2/datasets/official', '2', { title: 't' }],
      ['/v2/datasets/ours', '1', { title: 't' }],
      ['/v2/datasets/ours', '2', { title: 't' }],
    ]);
  });

  it('rejects a value that is not an array of functions before anything is sent', () => {
    expect(() => new ApifyClient({ requestInterceptors: [42 as never] })).toThrow(InvalidArgumentError);
    expect(() => new ApifyClient({ requestInterceptors: [42 as never] })).toThrow(
      'requestInterceptors must be an array of functions',
    );
  });
});
