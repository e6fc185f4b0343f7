import type { Context } from 'hono';
import { type App, type AppContext, origin, param, requestUrl } from '../../http/context.js';
import { readJson } from '../../http/json-body.js';
import { dataResponse, noContent, paginate } from '../../http/query.js';
import { dispatchObject } from './dispatches.js';
import { parseWebhookSettings } from './webhook-body.js';
import { type Webhook, webhookObject } from './webhooks.js';

export function webhookRoutes(app: App, ctx: AppContext): void {
  const { webhooks, dispatches, actors } = ctx;
  const webhookOf = (c: Context): Webhook => webhooks.require(param(c, 'webhookId'));
  const present = (webhook: Webhook): Record<string, unknown> => {
    const own = dispatches.ofWebhook(webhook.id);
    const last = own.at(-1);
    const lastDispatch = last
      ? { status: last.status, finishedAt: last.calls.at(-1)?.finishedAt ?? null }
      : null;
    return webhookObject(webhook, { totalDispatches: own.length, lastDispatch });
  };
  const listWebhooks = (c: Context, list: Webhook[]): Response => {
    const page = paginate(requestUrl(c), list);
    return dataResponse({ ...page, items: page.items.map(present) });
  };

  app.get('/v2/webhooks', (c) => listWebhooks(c, webhooks.list()));
  app.post('/v2/webhooks', async (c) => {
    const webhook = await webhooks.create(
      parseWebhookSettings(await readJson(c, ctx, 'The webhook'), 'create'),
    );
    return dataResponse(present(webhook), 201, { location: `${origin(c)}/v2/webhooks/${webhook.id}` });
  });
  app.get('/v2/webhooks/:webhookId', (c) => dataResponse(present(webhookOf(c))));
  app.put('/v2/webhooks/:webhookId', async (c) => {
    const webhook = webhookOf(c);
    const settings = parseWebhookSettings(await readJson(c, ctx, 'The webhook'), 'update', webhook);
    return dataResponse(present(await webhooks.update(webhook, settings)));
  });
  app.delete('/v2/webhooks/:webhookId', async (c) => {
    await webhooks.delete(webhookOf(c));
    return noContent();
  });
  app.post('/v2/webhooks/:webhookId/test', async (c) => {
    const webhook = webhookOf(c);
    const { actorId, actorTaskId, actorRunId } = webhook.condition;
    const eventData: Record<string, string> = {};
    if (actorId !== undefined) eventData.actorId = actorId;
    if (actorTaskId !== undefined) eventData.actorTaskId = actorTaskId;
    if (actorRunId !== undefined) eventData.actorRunId = actorRunId;
    const { dispatch, delivered } = dispatches.dispatch(
      webhook,
      { eventType: 'TEST', eventData, resource: {} },
      true,
    );
    await delivered;
    return dataResponse(dispatchObject(dispatch), 201);
  });
  app.get('/v2/webhooks/:webhookId/dispatches', (c) => {
    const page = paginate(requestUrl(c), dispatches.ofWebhook(webhookOf(c).id));
    return dataResponse({ ...page, items: page.items.map(dispatchObject) });
  });

  app.get('/v2/webhook-dispatches', (c) => {
    const page = paginate(requestUrl(c), dispatches.list());
    return dataResponse({ ...page, items: page.items.map(dispatchObject) });
  });
  app.get('/v2/webhook-dispatches/:dispatchId', (c) =>
    dataResponse(dispatchObject(dispatches.require(param(c, 'dispatchId')))),
  );

  for (const prefix of ['/v2/actors', '/v2/acts']) {
    app.get(`${prefix}/:actorId/webhooks`, (c) => {
      const actor = actors.require(param(c, 'actorId'));
      return listWebhooks(
        c,
        webhooks.list().filter((w) => w.condition.actorId === actor.id),
      );
    });
  }
  app.get('/v2/actor-tasks/:taskId/webhooks', (c) => {
    const taskId = param(c, 'taskId');
    return listWebhooks(
      c,
      webhooks.list().filter((w) => w.condition.actorTaskId === taskId),
    );
  });
}
