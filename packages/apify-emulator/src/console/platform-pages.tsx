import type { Hono } from 'hono';
import type { ConsoleApi, Page } from './api.js';
import { Layout, Table } from './layout.js';

interface Listed {
  id: string;
  name?: string | null;
  title?: string | null;
  requestUrl?: string;
  modifiedAt?: string;
}

/** Actors, tasks, schedules and webhooks: each list is the API's own list, newest first. */
const LISTS: [path: string, api: string, title: string][] = [
  ['/console/actors', '/v2/acts?desc=1&limit=100', 'Actors'],
  ['/console/tasks', '/v2/actor-tasks?desc=1&limit=100', 'Tasks'],
  ['/console/schedules', '/v2/schedules?desc=1&limit=100', 'Schedules'],
  ['/console/webhooks', '/v2/webhooks?desc=1&limit=100', 'Webhooks'],
];

export function platformPages(app: Hono, apiOf: (url: string) => ConsoleApi, loggedIn: boolean): void {
  for (const [path, api, title] of LISTS) {
    app.get(path, async (c) => {
      const listed = await apiOf(c.req.url).json<Page<Listed>>(api);
      return c.html(
        <Layout title={title} loggedIn={loggedIn}>
          <Table
            caption={title}
            head={['ID', 'Name', 'Modified']}
            rows={listed.items.map((o) => [
              o.id,
              o.name ?? o.title ?? o.requestUrl ?? '',
              o.modifiedAt ?? '',
            ])}
          />
        </Layout>,
      );
    });
  }
}
