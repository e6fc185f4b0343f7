import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { KeyValueStore } from '../storages/key-value-stores.js';
import type { RequestQueue } from '../storages/request-queues.js';
import type { ConsoleApi } from './api.js';
import { Layout, listPage, Table } from './layout.js';

interface StoreSummary {
  id: string;
  name: string | null;
}
interface KeyInfo {
  key: string;
  size: number;
}
interface QueueInfo {
  id: string;
  name: string | null;
  pendingRequestCount: number;
  handledRequestCount: number;
}

/**
 * What the API's storage objects do not carry: a request's lock holder and expiry, a record's content type
 * in the key list. Read from the stored storages themselves.
 */
export interface StoredStorages {
  queue(id: string): RequestQueue | undefined;
  keyValueStore(id: string): KeyValueStore | undefined;
}

/** Raster formats a browser decodes without running anything; SVG and HTML can carry script, so never inline. */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function storagePages(
  app: Hono,
  apiOf: (url: string) => ConsoleApi,
  stored: StoredStorages,
  loggedIn: boolean,
): void {
  listPage<StoreSummary>(app, apiOf, loggedIn, {
    path: '/console/key-value-stores',
    api: '/v2/key-value-stores?desc=1&unnamed=1&limit=100',
    title: 'Key-value stores',
    head: ['Store', 'Name'],
    row: (s) => [<a href={`/console/key-value-stores/${s.id}`}>{s.id}</a>, s.name ?? ''],
  });

  app.get('/console/key-value-stores/:id', async (c) => {
    const id = encodeURIComponent(c.req.param('id'));
    const keys = await apiOf(c.req.url).json<{ items: KeyInfo[] }>(
      `/v2/key-value-stores/${id}/keys?limit=1000`,
    );
    const records = stored.keyValueStore(c.req.param('id'))?.records;
    return c.html(
      <Layout title={`Key-value store ${c.req.param('id')}`} loggedIn={loggedIn}>
        <Table
          caption="Records"
          head={['Key', 'Size (bytes)', 'Content type']}
          rows={keys.items.map((k) => [
            <a href={`/console/key-value-stores/${id}/records/${encodeURIComponent(k.key)}`}>{k.key}</a>,
            String(k.size),
            records?.get(k.key)?.contentType ?? '',
          ])}
        />
      </Layout>,
    );
  });

  app.get('/console/key-value-stores/:id/records/:key', async (c) => {
    const id = encodeURIComponent(c.req.param('id'));
    const key = encodeURIComponent(c.req.param('key'));
    const served = await apiOf(c.req.url).raw(`/v2/key-value-stores/${id}/records/${key}`);
    const type =
      (served.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]?.trim() ?? '';
    const raw = `/console/key-value-stores/${id}/raw/${key}`;
    let preview: Child;
    if (INLINE_IMAGES.has(type)) {
      await served.body?.cancel();
      preview = <img src={raw} alt={`Record ${c.req.param('key')}`} />;
    } else if (type === 'application/json') {
      preview = <pre data-preview="json">{JSON.stringify(await served.json(), null, 2)}</pre>;
    } else if (type.startsWith('text/') && type !== 'text/html') {
      preview = <pre data-preview="text">{await served.text()}</pre>;
    } else {
      await served.body?.cancel();
      preview = <p>No preview for this content type.</p>;
    }
    return c.html(
      <Layout title={`Record ${c.req.param('key')}`} loggedIn={loggedIn}>
        <p>{`Content type: ${type}`}</p>
        {preview}
        <p>
          <a href={raw} download>
            Download
          </a>
        </p>
      </Layout>,
    );
  });

  app.get('/console/key-value-stores/:id/raw/:key', async (c) => {
    const id = encodeURIComponent(c.req.param('id'));
    const key = encodeURIComponent(c.req.param('key'));
    const served = await apiOf(c.req.url).raw(`/v2/key-value-stores/${id}/records/${key}`);
    const headers = new Headers({
      'content-security-policy': 'sandbox',
      'x-content-type-options': 'nosniff',
    });
    headers.set('content-type', served.headers.get('content-type') ?? 'application/octet-stream');
    return new Response(served.body, { status: served.status, headers });
  });

  listPage<QueueInfo>(app, apiOf, loggedIn, {
    path: '/console/request-queues',
    api: '/v2/request-queues?desc=1&unnamed=1&limit=100',
    title: 'Request queues',
    head: ['Queue', 'Name', 'Pending', 'Handled'],
    row: (q) => [
      <a href={`/console/request-queues/${q.id}`}>{q.id}</a>,
      q.name ?? '',
      String(q.pendingRequestCount),
      String(q.handledRequestCount),
    ],
  });

  app.get('/console/request-queues/:id', async (c) => {
    const info = await apiOf(c.req.url).json<QueueInfo>(
      `/v2/request-queues/${encodeURIComponent(c.req.param('id'))}`,
    );
    const queue = stored.queue(info.id);
    const now = Date.now();
    const requests = queue === undefined ? [] : [...queue.requests.values()].sort((a, b) => a.seq - b.seq);
    const lockedUntil = (orderNo: number | null) =>
      orderNo !== null && Math.abs(orderNo) > now ? new Date(Math.abs(orderNo)).toISOString() : null;
    const locked = requests.filter((r) => lockedUntil(r.orderNo) !== null).length;
    return c.html(
      <Layout title={`Request queue ${info.name ?? info.id}`} loggedIn={loggedIn}>
        <p>{`${info.pendingRequestCount} pending, ${info.handledRequestCount} handled, ${locked} locked.`}</p>
        <Table
          caption="Requests"
          head={['URL', 'State', 'Retries', 'Lock holder', 'Lock expires']}
          rows={requests.map((r) => {
            const until = lockedUntil(r.orderNo);
            const state = r.orderNo === null ? 'handled' : until !== null ? 'locked' : 'pending';
            return [
              String(r.data.url ?? ''),
              state,
              String(r.data.retryCount ?? 0),
              until !== null ? (r.lockedBy ?? '') : '',
              until !== null ? <time datetime={until}>{until}</time> : '',
            ];
          })}
        />
      </Layout>,
    );
  });
}
