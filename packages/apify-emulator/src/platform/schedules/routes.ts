import type { Context } from 'hono';
import { type App, type AppContext, origin, param, requestUrl } from '../../http/context.js';
import { readJson } from '../../http/json-body.js';
import { dataResponse, noContent, paginate } from '../../http/query.js';
import { parseScheduleSettings } from './schedule-body.js';
import { scheduleObject } from './schedules.js';

export function scheduleRoutes(app: App, ctx: AppContext): void {
  const { schedules } = ctx;
  const scheduleOf = (c: Context) => schedules.require(param(c, 'scheduleId'));

  app.get('/v2/schedules', (c) => {
    const page = paginate(requestUrl(c), schedules.list());
    return dataResponse({ ...page, items: page.items.map(scheduleObject) });
  });
  app.post('/v2/schedules', async (c) => {
    const settings = parseScheduleSettings(await readJson(c, ctx, 'The schedule'), true);
    const schedule = await schedules.create(settings);
    return dataResponse(scheduleObject(schedule), 201, {
      location: `${origin(c)}/v2/schedules/${schedule.id}`,
    });
  });
  app.get('/v2/schedules/:scheduleId', (c) => dataResponse(scheduleObject(scheduleOf(c))));
  app.put('/v2/schedules/:scheduleId', async (c) => {
    const schedule = scheduleOf(c);
    const settings = parseScheduleSettings(await readJson(c, ctx, 'The schedule'), false, schedule);
    return dataResponse(scheduleObject(await schedules.update(schedule, settings)));
  });
  app.delete('/v2/schedules/:scheduleId', async (c) => {
    await schedules.delete(scheduleOf(c));
    return noContent();
  });
  app.get('/v2/schedules/:scheduleId/log', (c) => dataResponse(scheduleOf(c).log));
}
