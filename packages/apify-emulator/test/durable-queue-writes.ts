import type { Api, WriteCase } from './durable-api.js';

const request = (key: string) => ({ url: `https://example.com/${key}`, uniqueKey: key });

export async function addRequests(api: Api, queueId: string, keys: string[]): Promise<string[]> {
  const added = await api.ok('POST', `request-queues/${queueId}/requests/batch`, keys.map(request));
  return (added.processedRequests as { requestId: string }[]).map((r) => r.requestId);
}

export async function queueWith(api: Api, keys: string[]): Promise<Record<string, string>> {
  const queue = await api.ok('POST', 'request-queues?name=durable');
  const ids = await addRequests(api, queue.id as string, keys);
  return Object.fromEntries([['queue', queue.id as string], ...ids.map((id, i) => [`r${i}`, id])]);
}

/** Each request's URL, state and lock holder, from the console's page of the stored queue. */
async function queueRows(api: Api, queueId: string): Promise<string[][]> {
  const html = await (await fetch(`${api.base}/console/request-queues/${queueId}`)).text();
  const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1);
  return rows.map(([, row]) =>
    [...(row ?? '').matchAll(/<td>(.*?)<\/td>/gs)].map(([, cell]) => (cell ?? '').replace(/<[^>]+>/g, '')),
  );
}

export const QUEUE_WRITES: WriteCase[] = [
  {
    name: 'add a request',
    prepare: (api) => queueWith(api, []),
    write: (api, { queue }) => api.call('POST', `request-queues/${queue}/requests`, request('a')),
    read: async (api, { queue }) =>
      ((await api.ok('GET', `request-queues/${queue}/requests`)).items as { uniqueKey: string }[]).map(
        (r) => r.uniqueKey,
      ),
    stored: () => ['a'],
  },
  {
    name: 'batch-add requests',
    prepare: (api) => queueWith(api, ['a']),
    write: (api, { queue }) =>
      api.call('POST', `request-queues/${queue}/requests/batch`, [request('b'), request('c')]),
    read: async (api, { queue }) => {
      const info = await api.ok('GET', `request-queues/${queue}`);
      const items = (await api.ok('GET', `request-queues/${queue}/requests`)).items as {
        uniqueKey: string;
      }[];
      return { total: info.totalRequestCount, keys: items.map((r) => r.uniqueKey) };
    },
    stored: () => ({ total: 3, keys: ['a', 'b', 'c'] }),
  },
  {
    name: 'update a request (mark it handled)',
    prepare: (api) => queueWith(api, ['a']),
    write: (api, { queue, r0 }) =>
      api.call('PUT', `request-queues/${queue}/requests/${r0}`, {
        ...request('a'),
        id: r0,
        handledAt: '2026-01-01T00:00:00.000Z',
      }),
    read: async (api, { queue, r0 }) => {
      const info = await api.ok('GET', `request-queues/${queue}`);
      const got = await api.ok('GET', `request-queues/${queue}/requests/${r0}`);
      return { handled: info.handledRequestCount, handledAt: got.handledAt ?? null };
    },
    stored: () => ({ handled: 1, handledAt: '2026-01-01T00:00:00.000Z' }),
  },
  {
    name: 'delete a request',
    prepare: (api) => queueWith(api, ['a', 'b']),
    write: (api, { queue, r0 }) => api.call('DELETE', `request-queues/${queue}/requests/${r0}`),
    read: async (api, { queue }) =>
      ((await api.ok('GET', `request-queues/${queue}/requests`)).items as { uniqueKey: string }[]).map(
        (r) => r.uniqueKey,
      ),
    stored: () => ['b'],
  },
  {
    name: 'batch-delete requests',
    prepare: (api) => queueWith(api, ['a', 'b', 'c']),
    write: (api, { queue, r0, r2 }) =>
      api.call('DELETE', `request-queues/${queue}/requests/batch`, [{ id: r0 }, { id: r2 }]),
    read: async (api, { queue }) =>
      ((await api.ok('GET', `request-queues/${queue}/requests`)).items as { uniqueKey: string }[]).map(
        (r) => r.uniqueKey,
      ),
    stored: () => ['b'],
  },
  {
    name: 'lock the head',
    prepare: (api) => queueWith(api, ['a', 'b']),
    write: (api, { queue }) =>
      api.call('POST', `request-queues/${queue}/head/lock?lockSecs=600&limit=1&clientKey=worker`),
    read: async (api, { queue }) => (await queueRows(api, queue)).map((r) => r.slice(1, 4)),
    stored: () => [
      ['locked', '0', 'worker'],
      ['pending', '0', ''],
    ],
  },
  {
    name: 'prolong a lock',
    prepare: async (api) => {
      const ids = await queueWith(api, ['a']);
      await api.ok('POST', `request-queues/${ids.queue}/head/lock?lockSecs=300&clientKey=worker`);
      return ids;
    },
    write: (api, { queue, r0 }) =>
      api.call('PUT', `request-queues/${queue}/requests/${r0}/lock?lockSecs=86400&clientKey=worker`),
    // Prolonged by a day, the lock expires tomorrow; the first lock expires within 300 s.
    read: async (api, { queue }) => {
      const [row] = await queueRows(api, queue);
      return Date.parse(row?.[4] ?? '') - Date.now() > 3_600_000;
    },
    stored: () => true,
  },
  {
    name: 'release a lock',
    prepare: async (api) => {
      const ids = await queueWith(api, ['a']);
      await api.ok('POST', `request-queues/${ids.queue}/head/lock?lockSecs=600&clientKey=worker`);
      return ids;
    },
    write: (api, { queue, r0 }) =>
      api.call('DELETE', `request-queues/${queue}/requests/${r0}/lock?clientKey=worker`),
    read: async (api, { queue }) => (await queueRows(api, queue)).map((r) => r.slice(1, 4)),
    stored: () => [['pending', '0', '']],
  },
  {
    name: "release a client's locks",
    prepare: async (api) => {
      const ids = await queueWith(api, ['a', 'b']);
      await api.ok('POST', `request-queues/${ids.queue}/head/lock?lockSecs=600&clientKey=worker`);
      return ids;
    },
    write: (api, { queue }) => api.call('POST', `request-queues/${queue}/requests/unlock?clientKey=worker`),
    read: async (api, { queue }) => (await queueRows(api, queue)).map((r) => r.slice(1, 4)),
    stored: () => [
      ['pending', '0', ''],
      ['pending', '0', ''],
    ],
  },
];
