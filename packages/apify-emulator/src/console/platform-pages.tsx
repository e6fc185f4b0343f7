import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ConsoleApi, Page } from './api.js';
import { Layout, listPage, type RunSummary, RunsTable, Table } from './layout.js';

interface Listed {
  id: string;
  name?: string | null;
  title?: string | null;
  requestUrl?: string;
  modifiedAt?: string;
}

interface Dispatch {
  id: string;
  eventType: string;
  status: string;
  createdAt: string;
}

interface ScheduleLogEntry {
  message: string;
  level: string;
  createdAt: string;
}

/** What an object's page shows under its fields: the latest runs, dispatches or log, from the API. */
type Related = (api: ConsoleApi, id: string) => Promise<Child>;

const latestRuns =
  (path: (id: string) => string): Related =>
  async (api, id) => {
    const runs = await api.json<Page<RunSummary>>(`${path(id)}?desc=1&limit=10`);
    return <RunsTable runs={runs.items} caption="Latest runs" />;
  };

const dispatches: Related = async (api, id) => {
  const listed = await api.json<Page<Dispatch>>(`/v2/webhooks/${id}/dispatches?desc=1&limit=10`);
  return (
    <Table
      caption="Latest dispatches"
      head={['Dispatch', 'Event', 'Status', 'Created']}
      rows={listed.items.map((d) => [d.id, d.eventType, d.status, d.createdAt])}
    />
  );
};

const scheduleLog: Related = async (api, id) => {
  const log = await api.json<ScheduleLogEntry[]>(`/v2/schedules/${id}/log`);
  return (
    <Table
      caption="Schedule log"
      head={['Time', 'Level', 'Message']}
      rows={log.map((e) => [e.createdAt, e.level, e.message])}
    />
  );
};

/** Actors, tasks, schedules and webhooks: each list is the API's own list, newest first. */
const KINDS: { path: string; api: string; title: string; one: string; related: Related }[] = [
  {
    path: '/console/actors',
    api: '/v2/acts',
    title: 'Actors',
    one: 'Actor',
    related: latestRuns((id) => `/v2/acts/${id}/runs`),
  },
  {
    path: '/console/tasks',
    api: '/v2/actor-tasks',
    title: 'Tasks',
    one: 'Task',
    related: latestRuns((id) => `/v2/actor-tasks/${id}/runs`),
  },
  {
    path: '/console/schedules',
    api: '/v2/schedules',
    title: 'Schedules',
    one: 'Schedule',
    related: scheduleLog,
  },
  { path: '/console/webhooks', api: '/v2/webhooks', title: 'Webhooks', one: 'Webhook', related: dispatches },
];

export function platformPages(app: Hono, apiOf: (url: string) => ConsoleApi, loggedIn: boolean): void {
  for (const { path, api, title, one, related } of KINDS) {
    listPage<Listed>(app, apiOf, loggedIn, {
      path,
      api: `${api}?desc=1&limit=100`,
      title,
      head: ['ID', 'Name', 'Modified'],
      row: (o) => [
        <a href={`${path}/${encodeURIComponent(o.id)}`}>{o.id}</a>,
        o.name ?? o.title ?? o.requestUrl ?? '',
        o.modifiedAt ?? '',
      ],
    });

    // The object as the API returns it, then what it did lately.
    app.get(`${path}/:id`, async (c) => {
      const client = apiOf(c.req.url);
      const id = encodeURIComponent(c.req.param('id'));
      const object = await client.json<Listed>(`${api}/${id}`);
      return c.html(
        <Layout title={`${one} ${object.name ?? object.title ?? object.id}`} loggedIn={loggedIn}>
          <pre class="json" data-field="object">
            {JSON.stringify(object, null, 2)}
          </pre>
          {await related(client, id)}
        </Layout>,
      );
    });
  }
}
