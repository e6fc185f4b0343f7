import type { Context } from 'hono';
import { type App, type AppContext, param, requestUrl } from '../../http/context.js';
import { readJson } from '../../http/json-body.js';
import { dataResponse, jsonResponse, noContent, paginate } from '../../http/query.js';
import type { Run } from '../runs.js';
import { parseTaskInput, type Task, taskObject } from '../tasks.js';
import { addAdHocWebhooks } from '../webhooks/events.js';
import { parseAdHocParameter } from '../webhooks/webhook-body.js';
import { lastRunFilter, listRuns, readRunInput, runQuery, runResponse } from './run-responses.js';
import { runSyncRoutes } from './run-sync.js';
import { lastRunRoutes } from './runs.js';

/** A task run: the task's options unless the query overrides them, the task's input merged with the body's. */
async function startTaskRun(c: Context, ctx: AppContext, task: Task, withBody: boolean): Promise<Run> {
  const query = runQuery(c);
  const adHocWebhooks = parseAdHocParameter(requestUrl(c).searchParams.get('webhooks'));
  const buildRef = query.build ?? task.options.build ?? null;
  const build = ctx.actors.resolveBuild(task.actor, buildRef);
  const input = await readRunInput(c, ctx, build, task, withBody);
  const run = await ctx.runs.start(task.actor, {
    ...query,
    input,
    build,
    buildRef: buildRef ?? task.actor.defaultRunOptions.build,
    task,
  });
  addAdHocWebhooks(ctx.webhooks, adHocWebhooks, run);
  return run;
}

export function taskRoutes(app: App, ctx: AppContext): void {
  const { tasks, runs } = ctx;
  const taskOf = (c: Context) => tasks.require(param(c, 'taskId'));
  const object = (task: Task) => taskObject(task, runs.listOfTask(task).length);
  const lastRun = (c: Context): Run => {
    const task = taskOf(c);
    return runs.lastOf(runs.listOfTask(task), lastRunFilter(c), `task '${task.id}'`);
  };

  app.get('/v2/actor-tasks', (c) => {
    const page = paginate(requestUrl(c), tasks.list());
    return dataResponse({ ...page, items: page.items.map(object) });
  });
  app.post('/v2/actor-tasks', async (c) =>
    dataResponse(object(await tasks.create(await readJson(c, ctx, 'The task'))), 201),
  );
  app.get('/v2/actor-tasks/:taskId', (c) => dataResponse(object(taskOf(c))));
  app.put('/v2/actor-tasks/:taskId', async (c) => {
    const task = taskOf(c);
    await tasks.update(task, await readJson(c, ctx, 'The task'));
    return dataResponse(object(task));
  });
  app.delete('/v2/actor-tasks/:taskId', async (c) => {
    await tasks.delete(taskOf(c));
    return noContent();
  });

  for (const [operation, published] of [
    ['publish', true],
    ['unpublish', false],
  ] as const) {
    app.post(`/v2/actor-tasks/:taskId/${operation}`, async (c) => {
      const task = taskOf(c);
      await tasks.setPublished(task, published);
      return dataResponse(object(task));
    });
  }

  // The input is served bare, without the `data` envelope, as the platform does.
  app.get('/v2/actor-tasks/:taskId/input', (c) => jsonResponse(taskOf(c).input ?? {}));
  // Fields the body leaves out keep their stored value.
  app.put('/v2/actor-tasks/:taskId/input', async (c) => {
    const task = taskOf(c);
    const update = parseTaskInput(await readJson(c, ctx, 'The input')) ?? {};
    await tasks.update(task, { input: { ...(task.input ?? {}), ...update } });
    return jsonResponse(task.input);
  });

  app.post('/v2/actor-tasks/:taskId/runs', async (c) =>
    runResponse(c, ctx, await startTaskRun(c, ctx, taskOf(c), true), 201),
  );
  app.get('/v2/actor-tasks/:taskId/runs', (c) => listRuns(c, runs.listOfTask(taskOf(c))));
  runSyncRoutes(app, ctx, '/v2/actor-tasks/:taskId', (c, withBody) =>
    startTaskRun(c, ctx, taskOf(c), withBody),
  );
  lastRunRoutes(app, ctx, '/v2/actor-tasks/:taskId/runs/last', lastRun);
}
