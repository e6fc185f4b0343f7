import type { Run } from '../platform/runs.js';
import { SERVICE_UNIT_PRICES_USD, type Service, type UsageMeter } from './usage.js';
import { cycleObject, type UsageCycle } from './usage-cycle.js';

interface UsageItem {
  quantity: number;
  baseAmountUsd: number;
  baseUnitPriceUsd: number;
  amountAfterVolumeDiscountUsd: number;
  priceTiers: never[];
}

function usageItem(service: Service, quantity: number): UsageItem {
  const price = SERVICE_UNIT_PRICES_USD[service];
  // No volume discounts locally: before and after are the same amount.
  return {
    quantity,
    baseAmountUsd: quantity * price,
    baseUnitPriceUsd: price,
    amountAfterVolumeDiscountUsd: quantity * price,
    priceTiers: [],
  };
}

function serviceUsage(services: ReadonlyMap<Service, number>): Record<string, UsageItem> {
  const usage: Record<string, UsageItem> = {};
  for (const [service, quantity] of [...services].sort(([a], [b]) => (a < b ? -1 : 1)))
    usage[service] = usageItem(service, quantity);
  return usage;
}

function total(usage: Record<string, UsageItem>): number {
  return Object.values(usage).reduce((sum, item) => sum + item.amountAfterVolumeDiscountUsd, 0);
}

/** The `MonthlyUsage` object of the spec, for one cycle, from what the emulator measured. */
export function monthlyUsage(
  meter: UsageMeter,
  runs: readonly Run[],
  cycle: UsageCycle,
  now: Date,
): Record<string, unknown> {
  const first = cycle.startAt.toISOString().slice(0, 10);
  const last = cycle.endAt.toISOString().slice(0, 10);
  const days = [...meter.counts(runs, now)]
    .filter(([day]) => day >= first && day <= last)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const monthly = new Map<Service, number>();
  const dailyServiceUsages = days.map(([day, services]) => {
    for (const [service, quantity] of services) monthly.set(service, (monthly.get(service) ?? 0) + quantity);
    const usage = serviceUsage(services);
    return { date: `${day}T00:00:00.000Z`, serviceUsage: usage, totalUsageCreditsUsd: total(usage) };
  });
  const monthlyServiceUsage = serviceUsage(monthly);
  const amount = total(monthlyServiceUsage);
  return {
    usageCycle: cycleObject(cycle),
    monthlyServiceUsage,
    dailyServiceUsages,
    totalUsageCreditsUsdBeforeVolumeDiscount: amount,
    totalUsageCreditsUsdAfterVolumeDiscount: amount,
  };
}

/** Total credits and compute units of one cycle, for `limits.current`. */
export function cycleTotals(
  meter: UsageMeter,
  runs: readonly Run[],
  cycle: UsageCycle,
  now: Date,
): { usageUsd: number; computeUnits: number } {
  const usage = monthlyUsage(meter, runs, cycle, now);
  const services = usage.monthlyServiceUsage as Record<string, UsageItem>;
  return {
    usageUsd: usage.totalUsageCreditsUsdAfterVolumeDiscount as number,
    computeUnits: services.ACTOR_COMPUTE_UNITS?.quantity ?? 0,
  };
}
