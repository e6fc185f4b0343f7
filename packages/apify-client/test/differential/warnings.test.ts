import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CannedApi, startCannedApi } from './canned-api.js';
import { runBoth } from './harness.js';

describe("the official client's WARN lines, captured", () => {
  let api: CannedApi;
  beforeAll(async () => {
    api = await startCannedApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('a request retried past half of maxRetries: the official client warns, ours keeps it in stats', async () => {
    const { official, ours } = await runBoth(api, {
      method: 'DatasetClient.get',
      maxRetries: 2,
      reply: { status: 500, body: { error: { type: 'internal-error', message: 'boom' } } },
      run: (c) => c.dataset('ds1').get(),
    });
    expect(official.requests).toHaveLength(3);
    expect(ours.requests).toEqual(official.requests);
    expect(ours.result).toEqual(official.result);
    expect(official.logged).toHaveLength(1);
    // Level 3 is WARNING in @apify/log.
    expect(official.logged[0]).toMatch(
      /^3 API request failed 1 times\. Max attempts: 3\.\nCause:ApifyApiError: boom/,
    );
    expect(ours.logged).toEqual([]);
  });

  it('getRecord({ disableRedirect }) is deprecated in the official client; ours ignores it too, silently', async () => {
    const { official, ours } = await runBoth(api, {
      method: 'KeyValueStoreClient.getRecord',
      run: (c) => c.keyValueStore('kv1').getRecord('text-record', { disableRedirect: true }),
    });
    expect(ours.requests).toEqual(official.requests);
    expect(ours.result).toEqual(official.result);
    expect(official.logged.map((line) => line.split('\n')[0])).toEqual([
      '3 The disableRedirect option for getRecord() is deprecated. It has no effect and will be removed in the following major release.',
    ]);
  });
});
