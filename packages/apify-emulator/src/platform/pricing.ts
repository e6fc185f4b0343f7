import { ApiError } from '../errors.js';
import type { JsonObject } from '../types.js';
import { isJsonObject } from './input-schema.js';

/** An actor's pricing as the platform stores it; only pay-per-event has behaviour here (charging). */
export type PricingInfo = JsonObject & { pricingModel: string };

export interface Charges {
  /** Per event name, how many times it was charged. */
  counts: Record<string, number>;
  /** Idempotency keys already applied: a retried charge with the same key counts once. */
  readonly appliedKeys: Set<string>;
}

const PRICING_MODELS = ['FREE', 'FLAT_PRICE_PER_MONTH', 'PRICE_PER_DATASET_ITEM', 'PAY_PER_EVENT'];
const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

export function parsePricingInfos(raw: unknown): PricingInfo[] {
  if (!Array.isArray(raw)) throw new ApiError(400, 'invalid-value', 'pricingInfos must be an array');
  return raw.map((info, i) => {
    if (
      !isJsonObject(info) ||
      typeof info.pricingModel !== 'string' ||
      !PRICING_MODELS.includes(info.pricingModel)
    ) {
      throw new ApiError(
        400,
        'invalid-value',
        `pricingInfos[${i}].pricingModel must be one of ${PRICING_MODELS.join(', ')}`,
      );
    }
    if (info.pricingModel === 'PAY_PER_EVENT') {
      const events = isJsonObject(info.pricingPerEvent) ? info.pricingPerEvent.actorChargeEvents : undefined;
      if (!isJsonObject(events))
        throw new ApiError(
          400,
          'invalid-value',
          `pricingInfos[${i}] is PAY_PER_EVENT but has no pricingPerEvent.actorChargeEvents`,
        );
      for (const [name, event] of Object.entries(events)) {
        if (!isJsonObject(event) || typeof event.eventPriceUsd !== 'number' || event.eventPriceUsd < 0)
          throw new ApiError(
            400,
            'invalid-value',
            `Event '${name}' of pricingInfos[${i}] needs a non-negative eventPriceUsd`,
          );
      }
    }
    return structuredClone(info) as PricingInfo;
  });
}

function chargeEvents(pricing: PricingInfo | null): JsonObject | null {
  if (pricing?.pricingModel !== 'PAY_PER_EVENT') return null;
  const perEvent = pricing.pricingPerEvent as { actorChargeEvents: JsonObject };
  return perEvent.actorChargeEvents;
}

export function parseChargeRequest(body: unknown): { eventName: string; count: number } {
  if (!isJsonObject(body)) throw new ApiError(400, 'invalid-request', 'The body must be a JSON object');
  const { eventName } = body;
  // The spec names the field eventCount; the official client sends count.
  const count = body.count ?? body.eventCount ?? 1;
  if (typeof eventName !== 'string' || eventName === '')
    throw new ApiError(400, 'invalid-value', 'eventName is required and must be a non-empty string');
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
    throw new ApiError(
      400,
      'invalid-value',
      `The count must be a positive integer, got ${JSON.stringify(count)}`,
    );
  return { eventName, count };
}

export interface ChargeRequest {
  eventName: string;
  count: number;
  idempotencyKey: string | null;
}

/** Charges `count` events unless this idempotency key was already applied to the run. */
export function charge(charges: Charges, pricing: PricingInfo | null, request: ChargeRequest): void {
  const { eventName, count, idempotencyKey } = request;
  if (
    idempotencyKey !== null &&
    (idempotencyKey === '' || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)
  ) {
    throw new ApiError(
      400,
      'invalid-idempotency-key',
      `The idempotency-key header must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
    );
  }
  const events = chargeEvents(pricing);
  if (events === null)
    throw new ApiError(
      400,
      'cannot-charge-non-pay-per-event-actor',
      'The actor of this run is not priced per event',
    );
  if (eventName.startsWith('apify-'))
    throw new ApiError(
      400,
      'cannot-charge-apify-event',
      `Event '${eventName}' is charged by the platform itself`,
    );
  if (!(eventName in events)) {
    throw new ApiError(
      400,
      'invalid-value',
      `Event '${eventName}' is not one of the actor's events (${Object.keys(events).join(', ')})`,
    );
  }
  if (idempotencyKey !== null) {
    if (charges.appliedKeys.has(idempotencyKey)) return;
    charges.appliedKeys.add(idempotencyKey);
  }
  charges.counts[eventName] = (charges.counts[eventName] ?? 0) + count;
}

/** What the charged events cost, in USD, at the run's prices. */
export function chargedUsd(charges: Charges, pricing: PricingInfo | null): number {
  const events = chargeEvents(pricing);
  if (events === null) return 0;
  let total = 0;
  for (const [name, count] of Object.entries(charges.counts)) {
    total += ((events[name] as { eventPriceUsd: number } | undefined)?.eventPriceUsd ?? 0) * count;
  }
  return total;
}
