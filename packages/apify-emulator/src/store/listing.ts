import { invalidParameter } from '../errors.js';
import type { Actor } from '../platform/actors.js';
import type { Run } from '../platform/runs.js';

export const SORT_ORDERS = ['relevance', 'popularity', 'newest', 'lastUpdate'] as const;
export const PRICING_MODELS = [
  'FREE',
  'FLAT_PRICE_PER_MONTH',
  'PRICE_PER_DATASET_ITEM',
  'PAY_PER_EVENT',
] as const;

export interface StoreQuery {
  search: string | null;
  sortBy: (typeof SORT_ORDERS)[number];
  category: string | null;
  username: string | null;
  pricingModel: (typeof PRICING_MODELS)[number] | null;
  allowsAgenticUsers: boolean | null;
}

function oneOf<T extends string>(name: string, raw: string | null, allowed: readonly T[]): T | null {
  if (raw === null || raw === '') return null;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalidParameter(`Parameter '${name}' must be one of ${allowed.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

export function parseStoreQuery(url: URL, allowsAgenticUsers: boolean | null): StoreQuery {
  const params = url.searchParams;
  return {
    search: params.get('search') || null,
    sortBy: oneOf('sortBy', params.get('sortBy'), SORT_ORDERS) ?? 'relevance',
    category: params.get('category') || null,
    username: params.get('username') || null,
    pricingModel: oneOf('pricingModel', params.get('pricingModel'), PRICING_MODELS),
    allowsAgenticUsers,
  };
}

/** One actor as the Store lists it (the spec's `StoreListActor`), with figures from its real runs. */
export function storeActor(actor: Actor, runs: readonly Run[], baseUrl: string): Record<string, unknown> {
  const lastRun = runs.at(-1);
  return {
    id: actor.id,
    title: actor.name,
    name: actor.name,
    username: actor.username,
    userFullName: null,
    description: actor.description,
    categories: [],
    notice: null,
    pictureUrl: null,
    userPictureUrl: null,
    url: `${baseUrl}/v2/actors/${actor.username}~${actor.name}`,
    stats: {
      totalBuilds: actor.builds.length,
      totalRuns: runs.length,
      totalUsers: runs.length > 0 ? 1 : 0,
      totalUsers7Days: runs.length > 0 ? 1 : 0,
      totalUsers30Days: runs.length > 0 ? 1 : 0,
      totalUsers90Days: runs.length > 0 ? 1 : 0,
      totalMetamorphs: 0,
      lastRunStartedAt: lastRun?.startedAt ?? null,
    },
    currentPricingInfo: { pricingModel: 'FREE' },
    isWhiteListedForAgenticPayments: false,
    actorReviewCount: 0,
    actorReviewRating: 0,
    bookmarkCount: 0,
    badge: null,
  };
}

function matchesSearch(actor: Actor, search: string): boolean {
  const needle = search.toLowerCase();
  return [actor.name, actor.username, actor.description ?? ''].some((field) =>
    field.toLowerCase().includes(needle),
  );
}

/**
 * The registered actors the query selects, in its order. Every local actor is free, has no
 * categories and does not take agentic payments, so those filters keep all actors or none.
 */
export function selectActors(
  actors: readonly Actor[],
  runsOf: (actor: Actor) => readonly Run[],
  query: StoreQuery,
): Actor[] {
  const selected = actors.filter(
    (actor) =>
      (query.search === null || matchesSearch(actor, query.search)) &&
      (query.username === null || actor.username === query.username) &&
      query.category === null &&
      (query.pricingModel === null || query.pricingModel === 'FREE') &&
      query.allowsAgenticUsers !== true,
  );
  // Actors are listed in creation order, so for equal timestamps (same millisecond) the later one is newer.
  const order = new Map(actors.map((actor, index) => [actor, index]));
  const byTimeDesc =
    (field: 'createdAt' | 'modifiedAt') =>
    (a: Actor, b: Actor): number =>
      b[field] < a[field] ? -1 : b[field] > a[field] ? 1 : (order.get(b) ?? 0) - (order.get(a) ?? 0);
  switch (query.sortBy) {
    case 'popularity':
      return selected.sort((a, b) => runsOf(b).length - runsOf(a).length);
    case 'newest':
      return selected.sort(byTimeDesc('createdAt'));
    case 'lastUpdate':
      return selected.sort(byTimeDesc('modifiedAt'));
    default:
      return selected;
  }
}
