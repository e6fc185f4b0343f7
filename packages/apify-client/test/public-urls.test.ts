import { createHmacSignature, createStorageContentSignatureAsync } from '@apify/utilities';
import { describe, expect, it } from 'vitest';
import { ApifyClient } from '../src/index.js';
import { memoryResponse, RecordingHttpClient } from './helpers/recording-client.js';

const ID = 'abcdefghijklmnopq';
const SECRET = 'signing-secret-key';

function client(urlSigningSecretKey?: string) {
  const http = new RecordingHttpClient(() => memoryResponse(200, { data: { id: ID, urlSigningSecretKey } }));
  return ApifyClient.withCustomHttpClient({
    baseUrl: 'http://api.test',
    publicBaseUrl: 'https://public.test',
    httpClient: http,
  });
}

// The official utilities are the reference: our Web Crypto versions must produce the same strings.
describe('public URLs', () => {
  it('getRecordPublicUrl signs the key like @apify/utilities createHmacSignature', async () => {
    expect(await client(SECRET).keyValueStore(ID).getRecordPublicUrl('OUTPUT')).toBe(
      `https://public.test/v2/key-value-stores/${ID}/records/OUTPUT?signature=${createHmacSignature(SECRET, 'OUTPUT')}`,
    );
    expect(await client().keyValueStore(ID).getRecordPublicUrl('OUTPUT')).toBe(
      `https://public.test/v2/key-value-stores/${ID}/records/OUTPUT`,
    );
  });

  it('createItemsPublicUrl and createKeysPublicUrl carry the storage signature and the query', async () => {
    const signature = await createStorageContentSignatureAsync({
      resourceId: ID,
      urlSigningSecretKey: SECRET,
    });
    const items = new URL(
      await client(SECRET)
        .dataset(ID)
        .createItemsPublicUrl({ clean: true, fields: ['a', 'b'], limit: 5 }),
    );
    expect(items.origin + items.pathname).toBe(`https://public.test/v2/datasets/${ID}/items`);
    expect(Object.fromEntries(items.searchParams)).toEqual({
      signature,
      clean: 'true',
      fields: 'a,b',
      limit: '5',
    });
    const keys = new URL(await client(SECRET).keyValueStore(ID).createKeysPublicUrl({ prefix: 'img-' }));
    expect(keys.pathname).toBe(`/v2/key-value-stores/${ID}/keys`);
    expect(Object.fromEntries(keys.searchParams)).toEqual({ signature, prefix: 'img-' });
    expect(await client().dataset(ID).createItemsPublicUrl()).toBe(
      `https://public.test/v2/datasets/${ID}/items`,
    );
  });

  it('an expiring signature encodes its expiry time', async () => {
    const before = Date.now();
    const url = new URL(await client(SECRET).dataset(ID).createItemsPublicUrl({ expiresInSecs: 60 }));
    const [version, expiresAt] = Buffer.from(url.searchParams.get('signature') ?? '', 'base64url')
      .toString()
      .split('.');
    expect(version).toBe('0');
    expect(Number(expiresAt)).toBeGreaterThanOrEqual(before + 60_000);
    expect(Number(expiresAt)).toBeLessThanOrEqual(Date.now() + 60_000);
  });
});
