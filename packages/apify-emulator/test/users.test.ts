import { ApifyApiError } from 'apify-client';
import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

const PRICES = {
  ACTOR_COMPUTE_UNITS: 0.4,
  DATASET_READS: 0.0000004,
  DATASET_WRITES: 0.000005,
  KEY_VALUE_STORE_LISTS: 0.00005,
  KEY_VALUE_STORE_READS: 0.000005,
  KEY_VALUE_STORE_WRITES: 0.00005,
  REQUEST_QUEUE_READS: 0.000004,
  REQUEST_QUEUE_WRITES: 0.00002,
} as const;

function item(service: keyof typeof PRICES, quantity: number) {
  const amount = quantity * PRICES[service];
  return {
    quantity,
    baseAmountUsd: amount,
    baseUnitPriceUsd: PRICES[service],
    amountAfterVolumeDiscountUsd: amount,
    priceTiers: [],
  };
}

function monthCycle(now: Date): { startAt: string; endAt: string } {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return { startAt: new Date(start).toISOString(), endAt: new Date(next - 1).toISOString() };
}

describe.each(MODES)('users: monthly usage and limits (%s)', (mode) => {
  it('bills the storage calls and the compute units the emulator served', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('worker', () => undefined);
    const { id: datasetId } = await h.client.datasets().getOrCreate('usage-items');
    await h.client.dataset(datasetId).pushItems([{ a: 1 }, { a: 2 }]);
    await h.client.dataset(datasetId).listItems();
    await h.client.dataset(datasetId).get();
    const { id: storeId } = await h.client.keyValueStores().getOrCreate('usage-store');
    await h.client.keyValueStore(storeId).setRecord({ key: 'k', value: { v: 1 } });
    await h.client.keyValueStore(storeId).getRecord('k');
    await h.client.keyValueStore(storeId).listKeys();
    const { id: queueId } = await h.client.requestQueues().getOrCreate('usage-queue');
    await h.client.requestQueue(queueId).addRequest({ url: 'https://a.test', uniqueKey: 'a' });
    await h.client.requestQueue(queueId).listHead();
    // A failed call is not billed.
    expect(await h.client.keyValueStore(storeId).getRecord('missing')).toBeUndefined();
    const run = await h.client.actor('worker').call(undefined, { memory: 2048, log: null });
    const finished = await h.client.run(run.id).get();
    // A run-scoped alias bills the storage it resolves to.
    await h.client.run(run.id).dataset().listItems();
    const hours = (finished!.finishedAt!.getTime() - finished!.startedAt.getTime()) / 3_600_000;

    const usage = await h.client.user('me').monthlyUsage();
    const services = {
      ACTOR_COMPUTE_UNITS: item('ACTOR_COMPUTE_UNITS', 2 * hours),
      DATASET_READS: item('DATASET_READS', 3),
      DATASET_WRITES: item('DATASET_WRITES', 1),
      KEY_VALUE_STORE_LISTS: item('KEY_VALUE_STORE_LISTS', 1),
      KEY_VALUE_STORE_READS: item('KEY_VALUE_STORE_READS', 1),
      KEY_VALUE_STORE_WRITES: item('KEY_VALUE_STORE_WRITES', 1),
      REQUEST_QUEUE_READS: item('REQUEST_QUEUE_READS', 1),
      REQUEST_QUEUE_WRITES: item('REQUEST_QUEUE_WRITES', 1),
    };
    const total = Object.values(services).reduce((sum, s) => sum + s.amountAfterVolumeDiscountUsd, 0);
    const cycle = monthCycle(new Date());
    expect(usage).toEqual({
      usageCycle: { startAt: new Date(cycle.startAt), endAt: new Date(cycle.endAt) },
      monthlyServiceUsage: services,
      dailyServiceUsages: [
        {
          date: new Date(`${finished!.startedAt.toISOString().slice(0, 10)}T00:00:00.000Z`),
          serviceUsage: services,
          totalUsageCreditsUsd: total,
        },
      ],
      totalUsageCreditsUsdBeforeVolumeDiscount: total,
      totalUsageCreditsUsdAfterVolumeDiscount: total,
    });
  });

  it('answers for the cycle that contains `date`, and rejects a date that is not YYYY-MM-DD', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('today');
    await h.client.dataset(id).pushItems({ a: 1 });
    const past = await h.raw('/v2/users/me/usage/monthly?date=2020-02-14');
    expect(past.status).toBe(200);
    expect((await past.json()).data).toEqual({
      usageCycle: { startAt: '2020-02-01T00:00:00.000Z', endAt: '2020-02-29T23:59:59.999Z' },
      monthlyServiceUsage: {},
      dailyServiceUsages: [],
      totalUsageCreditsUsdBeforeVolumeDiscount: 0,
      totalUsageCreditsUsdAfterVolumeDiscount: 0,
    });
    for (const bad of ['2021-02-30', '14.2.2020', 'yesterday']) {
      const response = await h.raw(`/v2/users/me/usage/monthly?date=${bad}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          type: 'invalid-parameter',
          message: `Parameter 'date' must be a date in the YYYY-MM-DD format, got '${bad}'`,
        },
      });
    }
  });

  it('reports limits with the current figures, and updates the two the spec lets change', async () => {
    await using h = await harness(mode, { runDurationMs: 60_000 });
    await h.client.actors().create({ name: 'slow' } as never);
    const run = await h.client.actor('slow').start(undefined, { memory: 1024 });
    await h.client.tasks().create({ actId: 'slow', name: 'slow-task' } as never);
    const user = h.client.user('me');
    const limits = await user.limits();
    expect(limits?.monthlyUsageCycle).toEqual({
      startAt: new Date(monthCycle(new Date()).startAt),
      endAt: new Date(monthCycle(new Date()).endAt),
    });
    expect(limits?.limits).toEqual({
      maxMonthlyUsageUsd: 1000,
      maxMonthlyActorComputeUnits: 2500,
      maxMonthlyExternalDataTransferGbytes: 1000,
      maxMonthlyProxySerps: 30000,
      maxMonthlyResidentialProxyGbytes: 50,
      maxActorMemoryGbytes: 128,
      maxActorCount: 500,
      maxActorTaskCount: 5000,
      maxConcurrentActorJobs: 128,
      maxTeamAccountSeatCount: 9,
      dataRetentionDays: 14,
    });
    expect(limits?.current).toMatchObject({
      actorCount: 1,
      actorTaskCount: 1,
      activeActorJobCount: 1,
      actorMemoryGbytes: 1,
      monthlyProxySerps: 0,
      teamAccountSeatCount: 1,
    });
    expect(limits?.current.monthlyActorComputeUnits).toBeGreaterThanOrEqual(0);
    await h.client.run(run.id).abort();

    await user.updateLimits({ maxMonthlyUsageUsd: 50, dataRetentionDays: 30 });
    const updated = await user.limits();
    expect(updated?.limits).toMatchObject({
      maxMonthlyUsageUsd: 50,
      dataRetentionDays: 30,
      maxActorCount: 500,
    });
    expect(updated?.current).toMatchObject({ activeActorJobCount: 0, actorMemoryGbytes: 0 });

    const refused = await user.updateLimits({ maxActorCount: 5 } as never).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApifyApiError);
    expect(refused).toMatchObject({
      statusCode: 400,
      type: 'invalid-value',
      message: expect.stringContaining("Limit 'maxActorCount' cannot be updated"),
    });
    const negative = await h.raw('/v2/users/me/limits', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ maxMonthlyUsageUsd: 10, dataRetentionDays: 1.5 }),
    });
    expect(negative.status).toBe(400);
    expect((await negative.json()).error.message).toBe(
      "Limit 'dataRetentionDays' must be a non-negative integer, got 1.5",
    );
    // Nothing of a refused update is applied, not even its valid part.
    expect((await user.limits())?.limits).toMatchObject({
      maxMonthlyUsageUsd: 50,
      dataRetentionDays: 30,
      maxActorCount: 500,
    });
  });
});
