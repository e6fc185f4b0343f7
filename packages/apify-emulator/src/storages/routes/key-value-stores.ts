import type { Context } from 'hono';
import { invalidParameter, notFound } from '../../errors.js';
import { decodeBuffer, readBody } from '../../http/body.js';
import { type App, type AppContext, origin, requestUrl, type StorageResolver } from '../../http/context.js';
import { readStorageUpdate } from '../../http/json-body.js';
import { boolParam, dataResponse, intParam, jsonResponse, noContent, paginate } from '../../http/query.js';
import { checkKey, type KeyValueStore, storeObject } from '../key-value-stores.js';
import { recordsZip } from '../records-zip.js';

export function storeCollectionRoutes(app: App, ctx: AppContext): void {
  const stores = ctx.state.keyValueStores;
  app.get('/v2/key-value-stores', (c) => {
    const url = requestUrl(c);
    const unnamed = boolParam(url, 'unnamed');
    const page = paginate(url, stores.collection.list(unnamed));
    return dataResponse({ ...page, unnamed, items: page.items.map((s) => storeObject(s, origin(c))) });
  });
  app.post('/v2/key-value-stores', async (c) => {
    const name = requestUrl(c).searchParams.get('name');
    const { store, created } = await stores.getOrCreate(name === null || name === '' ? null : name);
    const headers = { location: `${origin(c)}/v2/key-value-stores/${store.meta.id}` };
    return dataResponse(storeObject(store, origin(c)), created ? 201 : 200, headers);
  });
}

function acceptsEncoding(c: Context, encoding: string): boolean {
  const accept = (c.req.header('accept-encoding') ?? '').toLowerCase();
  return accept
    .split(',')
    .map((part) => part.split(';')[0]?.trim())
    .some((token) => token === encoding || token === '*');
}

function recordKey(c: Context): string {
  return checkKey(c.req.param('key') ?? '');
}

export function storeRoutes(
  app: App,
  ctx: AppContext,
  base: string,
  resolve: StorageResolver<KeyValueStore>,
): void {
  const stores = ctx.state.keyValueStores;
  app.get(base, (c) => dataResponse(storeObject(resolve(c), origin(c))));
  app.put(base, async (c) => {
    const store = resolve(c);
    const { name } = await readStorageUpdate(c, ctx);
    await stores.update(store, name);
    return dataResponse(storeObject(store, origin(c)));
  });
  app.delete(base, async (c) => {
    await stores.remove(resolve(c));
    return noContent();
  });
  app.get(`${base}/keys`, (c) => {
    const store = resolve(c);
    const url = requestUrl(c);
    const limit = intParam(url, 'limit', { min: 0, max: 1000 });
    const data = stores.listKeys(store, {
      exclusiveStartKey: url.searchParams.get('exclusiveStartKey') || null,
      limit: limit === undefined || limit === 0 ? 1000 : limit,
      prefix: url.searchParams.get('prefix') || null,
    });
    const base = `${origin(c)}/v2/key-value-stores/${store.meta.id}/records/`;
    const items = (data.items as { key: string; size: number }[]).map((item) => ({
      ...item,
      recordPublicUrl: `${base}${item.key}`,
    }));
    return dataResponse({ ...data, items });
  });

  app.get(`${base}/records`, (c) => {
    const store = resolve(c);
    const url = requestUrl(c);
    const collection = url.searchParams.get('collection');
    if (collection !== null && collection !== '') {
      // Collections come from a store schema, and the emulator's stores have none.
      throw invalidParameter(`Collection '${collection}' does not exist: this store has no schema`);
    }
    const headers = {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${store.meta.name ?? store.meta.id}.zip"`,
    };
    return new Response(recordsZip(store, url.searchParams.get('prefix') || null), { status: 200, headers });
  });

  // Hono answers HEAD with the GET handler's headers, so this also serves recordExists().
  app.get(`${base}/records/:key{.+}`, async (c) => {
    const store = resolve(c);
    const key = recordKey(c);
    const record = store.records.get(key);
    if (record === undefined) throw notFound(`Record '${key}'`);
    const headers = new Headers({ 'content-type': record.contentType });
    let bytes = record.value;
    if (record.encoding !== null) {
      if (acceptsEncoding(c, record.encoding)) headers.set('content-encoding', record.encoding);
      else bytes = await decodeBuffer(record.value, record.encoding);
    }
    if (boolParam(requestUrl(c), 'attachment'))
      headers.set('content-disposition', `attachment; filename="${key}"`);
    headers.set('content-length', String(bytes.length));
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
    return new Response(new Uint8Array(bytes), { status: 200, headers });
  });
  const putRecord = async (c: Context): Promise<Response> => {
    const store = resolve(c);
    const key = recordKey(c);
    const body = await readBody(c.req.raw, ctx.maxRecordBytes, ctx.bodyTimeoutMs);
    await stores.setRecord(store, {
      key,
      value: body.encoded,
      contentType: c.req.header('content-type') || 'application/octet-stream',
      encoding: body.encoding,
      size: body.decoded.length,
    });
    return jsonResponse({}, 201, {
      location: `${origin(c)}/v2/key-value-stores/${store.meta.id}/records/${key}`,
    });
  };
  app.put(`${base}/records/:key{.+}`, putRecord);
  app.post(`${base}/records/:key{.+}`, putRecord);
  app.delete(`${base}/records/:key{.+}`, async (c) => {
    const store = resolve(c);
    const key = recordKey(c);
    if (!store.records.has(key)) throw notFound(`Record '${key}'`);
    await stores.deleteRecord(store, key);
    return noContent();
  });
}
