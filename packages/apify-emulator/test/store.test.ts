import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

describe.each(MODES)('store listing (%s)', (mode) => {
  it('lists the registered actors with the Store fields, their real run counts and pagination', async () => {
    await using h = await harness(mode);
    const alpha = h.emulator.registerActor('alice/alpha-scraper', () => undefined);
    const beta = h.emulator.registerActor('bob/beta-crawler', () => undefined);
    await h.client.actors().create({ name: 'gamma-tool', description: 'Scrapes gamma rays' } as never);
    await h.client.actor('bob/beta-crawler').call(undefined, { log: null });
    await h.client.actor('bob/beta-crawler').call(undefined, { log: null });
    const lastRun = (await h.client.actor('bob/beta-crawler').lastRun().get())!;

    const all = await h.client.store().list();
    expect(all).toMatchObject({ total: 3, offset: 0, limit: 1000, count: 3, desc: false });
    expect(all.items.map((a) => `${a.username}/${a.name}`)).toEqual([
      'alice/alpha-scraper',
      'bob/beta-crawler',
      'emulator/gamma-tool',
    ]);
    expect(all.items[1]).toEqual({
      id: beta.id,
      title: 'beta-crawler',
      name: 'beta-crawler',
      username: 'bob',
      userFullName: null,
      description: null,
      categories: [],
      notice: null,
      pictureUrl: null,
      userPictureUrl: null,
      url: expect.stringMatching(/\/v2\/actors\/bob~beta-crawler$/),
      stats: {
        totalBuilds: 1,
        totalRuns: 2,
        totalUsers: 1,
        totalUsers7Days: 1,
        totalUsers30Days: 1,
        totalUsers90Days: 1,
        totalMetamorphs: 0,
        lastRunStartedAt: lastRun.startedAt,
      },
      currentPricingInfo: { pricingModel: 'FREE' },
      isWhiteListedForAgenticPayments: false,
      actorReviewCount: 0,
      actorReviewRating: 0,
      bookmarkCount: 0,
      badge: null,
    });

    const names = async (options: Record<string, unknown>) =>
      (await h.client.store().list(options as never)).items.map((a) => a.name);
    expect(await names({ search: 'SCRAP' })).toEqual(['alpha-scraper', 'gamma-tool']);
    expect(await names({ username: 'bob' })).toEqual(['beta-crawler']);
    expect(await names({ sortBy: 'popularity' })).toEqual(['beta-crawler', 'alpha-scraper', 'gamma-tool']);
    expect(await names({ sortBy: 'newest' })).toEqual(['gamma-tool', 'beta-crawler', 'alpha-scraper']);
    expect(await names({ pricingModel: 'FREE', limit: 1, offset: 1 })).toEqual(['beta-crawler']);
    expect(await names({ pricingModel: 'PAY_PER_EVENT' })).toEqual([]);
    expect(await names({ category: 'AI' })).toEqual([]);
    expect(alpha.name).toBe('alpha-scraper');
  });

  it('rejects an unknown sort order or pricing model, naming it', async () => {
    await using h = await harness(mode);
    const bad = await h.raw('/v2/store?sortBy=cheapest');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        type: 'invalid-parameter',
        message:
          "Parameter 'sortBy' must be one of relevance, popularity, newest, lastUpdate, got 'cheapest'",
      },
    });
    const pricing = await h.raw('/v2/store?pricingModel=GRATIS');
    expect(pricing.status).toBe(400);
    expect((await pricing.json()).error.message).toBe(
      "Parameter 'pricingModel' must be one of FREE, FLAT_PRICE_PER_MONTH, PRICE_PER_DATASET_ITEM, PAY_PER_EVENT, got 'GRATIS'",
    );
  });
});
