import type { Context } from 'hono';
import { type App, type AppContext, origin, requestUrl, type StorageResolver } from '../../http/context.js';
import { readJson, readStorageUpdate } from '../../http/json-body.js';
import { boolParam, dataResponse, jsonResponse, noContent, paginate } from '../../http/query.js';
import { type Dataset, datasetObject, toItems } from '../datasets.js';
import { CONTENT_TYPES, parseFormat, parseItemsQuery, selectWindow } from '../items.js';
import { itemsStream } from '../items-stream.js';

export function datasetCollectionRoutes(app: App, ctx: AppContext): void {
  const { datasets } = ctx.state;
  app.get('/v2/datasets', (c) => {
    const url = requestUrl(c);
    const unnamed = boolParam(url, 'unnamed');
    const page = paginate(url, datasets.collection.list(unnamed));
    return dataResponse({ ...page, unnamed, items: page.items.map((d) => datasetObject(d, origin(c))) });
  });
  app.post('/v2/datasets', async (c) => {
    const name = requestUrl(c).searchParams.get('name');
    const { dataset, created } = await datasets.getOrCreate(name === null || name === '' ? null : name);
    const headers = { location: `${origin(c)}/v2/datasets/${dataset.meta.id}` };
    return dataResponse(datasetObject(dataset, origin(c)), created ? 201 : 200, headers);
  });
}

export function datasetRoutes(
  app: App,
  ctx: AppContext,
  base: string,
  resolve: StorageResolver<Dataset>,
): void {
  const { datasets } = ctx.state;
  app.get(base, (c) => dataResponse(datasetObject(resolve(c), origin(c))));
  app.put(base, async (c) => {
    const dataset = resolve(c);
    const { name } = await readStorageUpdate(c, ctx);
    await datasets.update(dataset, name);
    return dataResponse(datasetObject(dataset, origin(c)));
  });
  app.delete(base, async (c) => {
    await datasets.remove(resolve(c));
    return noContent();
  });
  app.get(`${base}/items`, (c) => listItems(c, resolve(c)));
  app.post(`${base}/items`, async (c) => {
    const dataset = resolve(c);
    const items = toItems(await readJson(c, ctx, 'POST data'));
    await datasets.push(dataset, items);
    return jsonResponse({}, 201, { location: `${origin(c)}/v2/datasets/${dataset.meta.id}/items` });
  });
  app.get(`${base}/statistics`, (c) => {
    resolve(c);
    return dataResponse({ fieldStatistics: null });
  });
}

/** Also the answer of `run-sync-get-dataset-items` (status 201 there), with every item parameter. */
export function listItems(c: Context, dataset: Dataset, status = 200): Response {
  const url = requestUrl(c);
  const format = parseFormat(url);
  const q = parseItemsQuery(url);
  const page = selectWindow(dataset, q);
  const headers = new Headers({
    'content-type': CONTENT_TYPES[format],
    'x-apify-pagination-offset': String(page.offset),
    'x-apify-pagination-limit': String(page.limit),
    // Count is the number of stored items processed, not rows returned (clients use the array length).
    'x-apify-pagination-count': String(page.window.length),
    'x-apify-pagination-total': String(page.total),
    // Not in the spec, but apify-client-python indexes it directly.
    'x-apify-pagination-desc': String(page.desc),
  });
  if (boolParam(url, 'attachment')) {
    headers.set(
      'content-disposition',
      `attachment; filename="${dataset.meta.name ?? dataset.meta.id}.${format}"`,
    );
  }
  if (c.req.method === 'HEAD') return new Response(null, { status, headers });
  const csv = {
    bom: boolParam(url, 'bom', format === 'csv'),
    delimiter: url.searchParams.get('delimiter') || ',',
    skipHeaderRow: boolParam(url, 'skipHeaderRow'),
  };
  return new Response(itemsStream(page.window, q, format, csv), { status, headers });
}
