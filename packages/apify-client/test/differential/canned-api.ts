import type { ServerResponse } from 'node:http';
import { json, type RecordedRequest, startServer, type TestServer } from '../helpers/servers.js';

/** Every `…At` field of the canned answers carries this time. */
export const STAMP = '2026-01-02T03:04:05.000Z';
export const LOG_TEXT = `${STAMP} first line\n2026-01-02T03:04:06.000Z second line\n  continued\n`;

/** A resource with dates at every depth the official date parser reaches, and one beyond it. */
export function resource(id = 'res1'): Record<string, unknown> {
  return {
    id,
    name: 'my-resource',
    actId: 'act1',
    status: 'SUCCEEDED',
    createdAt: STAMP,
    modifiedAt: STAMP,
    finishedAt: null,
    emptyAt: '',
    notADateAt: 'soon',
    stats: { lastRunStartedAt: STAMP, level2: { level3: { seenAt: STAMP, level4: { deepAt: STAMP } } } },
    defaultDatasetId: 'ds1',
    defaultKeyValueStoreId: 'kv1',
    defaultRequestQueueId: 'rq1',
  };
}

const COLLECTIONS = new Set([
  'actors',
  'actor-builds',
  'builds',
  'actor-runs',
  'runs',
  'actor-tasks',
  'datasets',
  'key-value-stores',
  'request-queues',
  'webhooks',
  'webhook-dispatches',
  'dispatches',
  'schedules',
  'store',
  'versions',
  'env-vars',
]);

const COLLECTION_TOTAL = 5;
const DATASET_TOTAL = 5;
const KEYS = ['a', 'b', 'c'];
const REQUESTS = ['r1', 'r2', 'r3'];

function page(query: URLSearchParams, total: number): { offset: number; limit: number; indexes: number[] } {
  const offset = Number(query.get('offset') ?? 0);
  const limit = query.has('limit') ? Number(query.get('limit')) : 1000;
  const end = Math.min(total, offset + limit);
  return { offset, limit, indexes: Array.from({ length: Math.max(0, end - offset) }, (_, i) => offset + i) };
}

function parsedBody(request: RecordedRequest): unknown {
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Answers like the Apify API, with fixed data, so both clients see byte-identical answers. */
function answer(request: RecordedRequest, res: ServerResponse): void {
  const { method, query } = request;
  const path = request.path.replace(/^\/v2\//, '');
  const segments = path.split('/');
  const last = segments.at(-1) ?? '';
  if (method === 'DELETE' && !path.endsWith('requests/batch')) {
    res.writeHead(204).end();
    return;
  }
  if (path.endsWith('/charge')) {
    res.writeHead(201).end();
    return;
  }
  if (last === 'items' && method === 'GET') {
    const format = query.get('format') ?? 'json';
    if (format === 'csv') {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end('n\n0\n1\n');
      return;
    }
    if (format === 'xlsx') {
      res
        .writeHead(200, { 'content-type': 'application/vnd.ms-excel' })
        .end(Buffer.from([80, 75, 3, 4, 0, 255]));
      return;
    }
    const { offset, limit, indexes } = page(query, DATASET_TOTAL);
    json(
      res,
      200,
      indexes.map((n) => ({ n, seenAt: STAMP })),
      {
        'x-apify-pagination-total': String(DATASET_TOTAL),
        'x-apify-pagination-offset': String(offset),
        // The API counts scanned items here, which is more than the items when some were skipped.
        'x-apify-pagination-count': String(indexes.length + 1),
        'x-apify-pagination-limit': String(limit),
        'x-apify-pagination-desc': query.get('desc') === '1' ? 'true' : 'false',
      },
    );
    return;
  }
  if (last === 'items' && method === 'POST') {
    res.writeHead(201).end();
    return;
  }
  if (segments.at(-2) === 'records') {
    if (last === 'missing') {
      json(res, 404, { error: { type: 'record-not-found', message: 'Record was not found' } });
      return;
    }
    if (method === 'HEAD') {
      res.writeHead(200, { 'content-type': 'application/json' }).end();
      return;
    }
    if (method === 'PUT') {
      res.writeHead(201).end();
      return;
    }
    if (last === 'json-record') json(res, 200, { a: 1, savedAt: STAMP });
    else if (last === 'text-record')
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('abc');
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0, 1, 2, 255]));
    return;
  }
  if (last === 'keys') {
    const start = query.has('exclusiveStartKey') ? KEYS.indexOf(query.get('exclusiveStartKey') ?? '') + 1 : 0;
    const limit = Number(query.get('limit') ?? 2);
    const keys = KEYS.slice(start, start + limit);
    const truncated = start + keys.length < KEYS.length;
    json(res, 200, {
      data: {
        items: keys.map((key) => ({ key, size: 3, modifiedAt: STAMP })),
        count: keys.length,
        limit,
        exclusiveStartKey: query.get('exclusiveStartKey'),
        isTruncated: truncated,
        nextExclusiveStartKey: truncated ? keys.at(-1) : null,
      },
    });
    return;
  }
  if ((last === 'log' && segments[0] !== 'schedules') || segments[0] === 'logs') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(LOG_TEXT);
    return;
  }
  if (last === 'requests' && method === 'GET') {
    const cursor = query.get('cursor');
    const start = cursor === null ? 0 : REQUESTS.indexOf(cursor) + 1;
    const limit = Number(query.get('limit') ?? 2);
    const ids = REQUESTS.slice(start, start + limit);
    const more = start + ids.length < REQUESTS.length;
    json(res, 200, {
      data: {
        items: ids.map((id) => ({
          id,
          uniqueKey: `u-${id}`,
          url: `https://example.com/${id}`,
          handledAt: STAMP,
        })),
        limit,
        nextCursor: more ? ids.at(-1) : null,
      },
    });
    return;
  }
  if (last === 'requests' && method === 'POST') {
    json(res, 201, { data: { requestId: 'r9', wasAlreadyPresent: false, wasAlreadyHandled: false } });
    return;
  }
  if (path.endsWith('requests/batch')) {
    const sent = (parsedBody(request) ?? []) as { uniqueKey?: string; id?: string }[];
    json(res, 200, {
      data: {
        processedRequests: sent.map((item, index) => ({
          uniqueKey: item.uniqueKey ?? `u-${item.id}`,
          requestId: item.id ?? `id${index}`,
          wasAlreadyPresent: false,
          wasAlreadyHandled: false,
        })),
        unprocessedRequests: [],
      },
    });
    return;
  }
  if (last === 'lock' && segments.at(-2) !== 'head') {
    json(res, 200, { data: { lockExpiresAt: STAMP } });
    return;
  }
  if (last === 'unlock') {
    json(res, 200, { data: { unlockedCount: 2 } });
    return;
  }
  if (last === 'head' || last === 'lock') {
    json(res, last === 'lock' ? 201 : 200, {
      data: {
        limit: Number(query.get('limit') ?? 100),
        queueModifiedAt: STAMP,
        hadMultipleClients: false,
        items: [{ id: 'r1', uniqueKey: 'u-r1', url: 'https://example.com/r1', lockExpiresAt: STAMP }],
      },
    });
    return;
  }
  if (last === 'validate-input') {
    json(res, 200, { valid: true });
    return;
  }
  if (last === 'openapi.json') {
    json(res, 200, { openapi: '3.0.1', info: { updatedAt: STAMP } });
    return;
  }
  if (last === 'input') {
    json(res, 200, method === 'PUT' ? parsedBody(request) : { foo: 'bar', sentAt: STAMP });
    return;
  }
  if (last === 'statistics') {
    json(res, 200, { data: { readCount: 1, lastReadAt: STAMP } });
    return;
  }
  if (segments[0] === 'schedules' && last === 'log') {
    json(res, 200, { data: [{ message: 'ok', createdAt: STAMP }] });
    return;
  }
  if (method === 'GET' && COLLECTIONS.has(last)) {
    const { offset, limit, indexes } = page(query, COLLECTION_TOTAL);
    json(res, 200, {
      data: {
        total: COLLECTION_TOTAL,
        offset,
        limit,
        count: indexes.length,
        desc: query.get('desc') === '1',
        items: indexes.map((i) => ({ id: `item${i}`, createdAt: STAMP })),
      },
    });
    return;
  }
  json(res, method === 'POST' ? 201 : 200, { data: resource() });
}

/** A canned reply that replaces the router's answer for every request while set. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CannedApi extends TestServer {
  /** When set, every request gets this answer. */
  reply: Reply | undefined;
}

/** A loopback Apify API with fixed answers that records what each client sends. */
export async function startCannedApi(): Promise<CannedApi> {
  const state: { reply: Reply | undefined } = { reply: undefined };
  const server = await startServer((request, res) => {
    const reply = state.reply;
    if (reply === undefined) {
      answer(request, res);
      return;
    }
    if (reply.body === undefined) res.writeHead(reply.status, reply.headers).end();
    else json(res, reply.status, reply.body, reply.headers);
  });
  return Object.defineProperty(server, 'reply', {
    get: () => state.reply,
    set: (value: Reply | undefined) => {
      state.reply = value;
    },
  }) as CannedApi;
}
