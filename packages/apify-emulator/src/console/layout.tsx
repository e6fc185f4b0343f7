import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ConsoleApi, Page } from './api.js';

const NAV: [string, string][] = [
  ['/console/runs', 'Runs'],
  ['/console/actors', 'Actors'],
  ['/console/tasks', 'Tasks'],
  ['/console/schedules', 'Schedules'],
  ['/console/webhooks', 'Webhooks'],
  ['/console/datasets', 'Datasets'],
  ['/console/key-value-stores', 'Key-value stores'],
  ['/console/request-queues', 'Request queues'],
];

export function Layout(props: { title: string; children: Child; loggedIn: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{`${props.title} · Apify emulator`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <nav aria-label="Console">
            <a href="/">Home</a>
            {NAV.map(([href, label]) => (
              <a href={href}>{label}</a>
            ))}
            {props.loggedIn ? <a href="/console/logout">Log out</a> : null}
          </nav>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

export function Table(props: { caption: string; head: string[]; rows: Child[][] }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.head.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            {row.map((cell) => (
              <td>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface ListPage<T> {
  /** The console route, e.g. `/console/datasets`. */
  path: string;
  /** The API list call, query included. */
  api: string;
  title: string;
  head: string[];
  row: (item: T) => Child[];
}

/** A console page that shows what one API list call returns, a table row per item. */
export function listPage<T>(
  app: Hono,
  apiOf: (url: string) => ConsoleApi,
  loggedIn: boolean,
  page: ListPage<T>,
): void {
  app.get(page.path, async (c) => {
    const listed = await apiOf(c.req.url).json<Page<T>>(page.api);
    return c.html(
      <Layout title={page.title} loggedIn={loggedIn}>
        <Table caption={page.title} head={page.head} rows={listed.items.map(page.row)} />
      </Layout>,
    );
  });
}

export function Badge(props: { status: string }) {
  return (
    <span class="badge" data-status={props.status} data-field="status">
      {props.status}
    </span>
  );
}

export interface RunSummary {
  id: string;
  actId: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
}

export function durationOf(run: RunSummary): string {
  if (run.finishedAt === null) return '';
  return `${Date.parse(run.finishedAt) - Date.parse(run.startedAt)} ms`;
}

/** Runs, newest first, each linking to its page: the overview, the runs list, an actor's or a task's page. */
export function RunsTable(props: { runs: RunSummary[]; caption?: string }) {
  return (
    <Table
      caption={props.caption ?? 'Runs'}
      head={['Run', 'Actor', 'Status', 'Started', 'Duration']}
      rows={props.runs.map((r) => [
        <a href={`/console/runs/${r.id}`}>{r.id}</a>,
        r.actId,
        <Badge status={r.status} />,
        r.startedAt,
        durationOf(r),
      ])}
    />
  );
}
