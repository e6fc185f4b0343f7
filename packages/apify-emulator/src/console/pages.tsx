import type { Hono } from 'hono';
import type { ConsoleApi, Page } from './api.js';
import { Badge, durationOf, Layout, listPage, type RunSummary, RunsTable, Table } from './layout.js';

interface Run extends RunSummary {
  exitCode: number | null;
  statusMessage: string | null;
  defaultDatasetId: string;
  defaultKeyValueStoreId: string;
  defaultRequestQueueId: string;
}
interface DatasetSummary {
  id: string;
  name: string | null;
  itemCount: number;
}

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED-OUT']);

export function consolePages(app: Hono, api: (url: string) => ConsoleApi, loggedIn: boolean): void {
  app.get('/', async (c) => {
    const runs = await api(c.req.url).json<Page<RunSummary>>('/v2/actor-runs?desc=1&limit=10');
    return c.html(
      <Layout title="Overview" loggedIn={loggedIn}>
        <p>{`${runs.total} runs in total.`}</p>
        <RunsTable runs={runs.items} />
      </Layout>,
    );
  });

  app.get('/console/runs', async (c) => {
    const runs = await api(c.req.url).json<Page<RunSummary>>('/v2/actor-runs?desc=1&limit=100');
    return c.html(
      <Layout title="Runs" loggedIn={loggedIn}>
        <RunsTable runs={runs.items} />
      </Layout>,
    );
  });

  app.get('/console/runs/:id', async (c) => {
    const id = c.req.param('id');
    const run = await api(c.req.url).json<Run>(`/v2/actor-runs/${encodeURIComponent(id)}`);
    return c.html(
      <Layout title={`Run ${run.id}`} loggedIn={loggedIn}>
        <dl data-fields-src={`/console/runs/${run.id}/fields`} data-status={run.status}>
          <dt>Status</dt>
          <dd>
            <Badge status={run.status} />
          </dd>
          <dt>Started</dt>
          <dd data-field="startedAt">{run.startedAt}</dd>
          <dt>Finished</dt>
          <dd data-field="finishedAt">{run.finishedAt ?? ''}</dd>
          <dt>Duration</dt>
          <dd data-field="duration">{durationOf(run)}</dd>
          <dt>Exit code</dt>
          <dd data-field="exitCode">{run.exitCode ?? ''}</dd>
          <dt>Status message</dt>
          <dd data-field="statusMessage">{run.statusMessage ?? ''}</dd>
        </dl>
        <p>
          <a href={`/console/datasets/${run.defaultDatasetId}`}>Dataset</a>
        </p>
        <p>
          <a href={`/console/key-value-stores/${run.defaultKeyValueStoreId}`}>Key-value store</a>{' '}
          <a href={`/console/request-queues/${run.defaultRequestQueueId}`}>Request queue</a>
        </p>
        {FINISHED.has(run.status) ? (
          <form method="post" action={`/console/runs/${run.id}/resurrect`}>
            <button type="submit">Resurrect</button>
          </form>
        ) : (
          <form method="post" action={`/console/runs/${run.id}/abort`}>
            <button type="submit">Abort</button>
          </form>
        )}
        <h2>Log</h2>
        <pre data-log-src={`/console/runs/${run.id}/log`} aria-live="polite" />
      </Layout>,
    );
  });

  app.get('/console/runs/:id/fields', async (c) => {
    const run = await api(c.req.url).json<Run>(`/v2/actor-runs/${encodeURIComponent(c.req.param('id'))}`);
    const { status, startedAt, finishedAt, exitCode, statusMessage } = run;
    return c.json({ status, startedAt, finishedAt, exitCode, statusMessage, duration: durationOf(run) });
  });

  app.get('/console/runs/:id/log', async (c) => {
    const served = await api(c.req.url).raw(`/v2/logs/${encodeURIComponent(c.req.param('id'))}?stream=1`);
    return new Response(served.body, {
      status: served.status,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  });

  for (const action of ['abort', 'resurrect']) {
    app.post(`/console/runs/:id/${action}`, async (c) => {
      const id = encodeURIComponent(c.req.param('id'));
      await api(c.req.url).json(`/v2/actor-runs/${id}/${action}`, { method: 'POST' });
      return c.redirect(`/console/runs/${id}`, 303);
    });
  }

  listPage<DatasetSummary>(app, api, loggedIn, {
    path: '/console/datasets',
    api: '/v2/datasets?desc=1&unnamed=1&limit=100',
    title: 'Datasets',
    head: ['Dataset', 'Name', 'Items'],
    row: (d) => [<a href={`/console/datasets/${d.id}`}>{d.id}</a>, d.name ?? '', String(d.itemCount)],
  });

  app.get('/console/datasets/:id', async (c) => {
    const id = encodeURIComponent(c.req.param('id'));
    const limit = Math.max(1, Math.min(1000, Number(c.req.query('limit') ?? 20) || 20));
    const offset = Math.max(0, Number(c.req.query('offset') ?? 0) || 0);
    const fields = (c.req.query('fields') ?? '').trim();
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (fields !== '') query.set('fields', fields);
    const client = api(c.req.url);
    const dataset = await client.json<DatasetSummary>(`/v2/datasets/${id}`);
    const served = await client.raw(`/v2/datasets/${id}/items?${query}`);
    const items = (await served.json()) as Record<string, unknown>[];
    const columns =
      fields !== '' ? fields.split(',').map((f) => f.trim()) : [...new Set(items.flatMap(Object.keys))];
    const pageLink = (at: number) =>
      `/console/datasets/${id}?${new URLSearchParams({ limit: String(limit), offset: String(at), fields })}`;
    return c.html(
      <Layout title={`Dataset ${dataset.name ?? dataset.id}`} loggedIn={loggedIn}>
        <p>{`${dataset.itemCount} items.`}</p>
        <form method="get">
          <label for="fields">Fields (comma-separated)</label>{' '}
          <input id="fields" name="fields" value={fields} /> <label for="limit">Per page</label>{' '}
          <input id="limit" name="limit" type="number" value={String(limit)} />{' '}
          <button type="submit">Show</button>
        </form>
        <Table
          caption={`Items ${offset + 1}–${offset + items.length}`}
          head={columns}
          rows={items.map((item) => columns.map((col) => JSON.stringify(item[col]) ?? ''))}
        />
        <nav aria-label="Pages">
          {offset > 0 ? <a href={pageLink(Math.max(0, offset - limit))}>Previous page</a> : null}{' '}
          {offset + limit < dataset.itemCount ? <a href={pageLink(offset + limit)}>Next page</a> : null}
        </nav>
        <p>
          Download:{' '}
          {['json', 'jsonl', 'csv', 'xlsx', 'xml', 'html', 'rss'].map((format) => (
            <a href={`/console/datasets/${id}/download?format=${format}`}>{`${format} `}</a>
          ))}
        </p>
      </Layout>,
    );
  });

  app.get('/console/datasets/:id/download', async (c) => {
    const format = c.req.query('format') ?? 'json';
    const id = encodeURIComponent(c.req.param('id'));
    const served = await api(c.req.url).raw(
      `/v2/datasets/${id}/items?format=${encodeURIComponent(format)}&attachment=1`,
    );
    return new Response(served.body, { status: served.status, headers: served.headers });
  });
}
