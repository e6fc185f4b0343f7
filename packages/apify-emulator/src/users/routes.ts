import { notFound } from '../errors.js';
import { type App, type AppContext, param, requestUrl } from '../http/context.js';
import { readJson } from '../http/json-body.js';
import { dataResponse, jsonResponse } from '../http/query.js';
import { isTerminal } from '../platform/runs.js';
import { USER } from '../storages/common.js';
import { defaultLimits, parseLimitsUpdate } from './limits.js';
import { cycleTotals, monthlyUsage } from './monthly-usage.js';
import { UsageMeter } from './usage.js';
import { cycleObject, cycleOf, parseCycleDate } from './usage-cycle.js';

function userObject(): Record<string, unknown> {
  return {
    id: USER.id,
    username: USER.username,
    profile: { name: 'Apify Emulator' },
    email: 'emulator@localhost',
    proxy: { password: 'emulator', groups: [] },
    plan: { id: 'EMULATOR', description: 'Local emulator', isEnabled: true },
    effectivePlatformFeatures: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    isPaying: false,
  };
}

/**
 * Counts storage calls from the first route on; register it before every other family so it sees
 * them all. Returns the meter that `userRoutes` reports from.
 */
export function meterUsage(app: App): UsageMeter {
  const meter = new UsageMeter();
  app.use('/v2/*', meter.middleware());
  return meter;
}

export function userRoutes(app: App, ctx: AppContext, meter: UsageMeter): void {
  const limits = defaultLimits();

  app.get('/v2/users/me/usage/monthly', (c) => {
    const now = new Date();
    const cycle = cycleOf(parseCycleDate(requestUrl(c).searchParams.get('date'), now));
    return dataResponse(monthlyUsage(meter, ctx.runs.list(), cycle, now));
  });

  app.get('/v2/users/me/limits', () => {
    const now = new Date();
    const cycle = cycleOf(now);
    const runs = ctx.runs.list();
    const active = runs.filter((run) => !isTerminal(run.status));
    const totals = cycleTotals(meter, runs, cycle, now);
    return dataResponse({
      monthlyUsageCycle: cycleObject(cycle),
      limits: { ...limits },
      current: {
        monthlyUsageUsd: totals.usageUsd,
        monthlyActorComputeUnits: totals.computeUnits,
        monthlyExternalDataTransferGbytes: 0,
        monthlyProxySerps: 0,
        monthlyResidentialProxyGbytes: 0,
        actorMemoryGbytes: active.reduce((sum, run) => sum + run.memoryMbytes / 1024, 0),
        actorCount: ctx.actors.list().length,
        actorTaskCount: ctx.tasks.list().length,
        activeActorJobCount: active.length,
        teamAccountSeatCount: 1,
      },
    });
  });

  app.put('/v2/users/me/limits', async (c) => {
    const update = parseLimitsUpdate(await readJson(c, ctx, 'The body'));
    Object.assign(limits, update);
    return jsonResponse({}, 201);
  });

  app.get('/v2/users/:userId', (c) => {
    const id = param(c, 'userId');
    if (id !== 'me' && id !== USER.id && id !== USER.username) throw notFound(`User '${id}'`);
    return dataResponse(userObject());
  });
}
