// Where the scenario runs: a fresh in-process emulator per HTTP client (same seeded faults for each,
// so the clients face the same conditions), or, only with --platform, the real Apify API. An exported
// APIFY_TOKEN is common among Apify developers, so it alone never selects the platform.
import { randomBytes } from 'node:crypto';
import { createEmulator } from '@pluggable/apify-emulator';
import { UsageError } from './args.js';
import { ACTOR_NAME, priceSummaryActor } from './steps/actor-run.js';

export const FAULT_SEED = 6;
/** @type {import('@pluggable/apify-emulator').FaultKind[]} */
export const FAULT_KINDS = ['429', '500', '503', 'reset', 'delay', 'truncate'];
/** A held response ends in a 503 after this long; well under every timeout tier. */
const FAULT_DELAY_MS = 200;
const PLATFORM_URL = 'https://api.apify.com';

/**
 * Against the platform the client's defaults apply (4 retries, backoff from 500 ms). The emulator's
 * faults are injected rather than overload, so waiting less keeps three 100k-item runs within a minute;
 * two more retries keep a 20 % fault rate from exhausting them.
 */
const EMULATOR_RETRY = { maxRetries: 6, minDelayBetweenRetries: 100 };

/** The fault rate as people say it: 0.05 is "5 %". */
export const percent = (rate) => `${+(rate * 100).toFixed(2)} %`;

function emulatorTarget(faultRate, tokenIgnored) {
  const token = `demo-${randomBytes(12).toString('hex')}`;
  return {
    kind: 'emulator',
    description:
      `Target: a local Apify API emulator per client on 127.0.0.1, ${percent(faultRate)} of ` +
      `requests faulted (seed ${FAULT_SEED}: ${FAULT_KINDS.join(', ')}); clients retry up to ` +
      `${EMULATOR_RETRY.maxRetries} times, backing off from ${EMULATOR_RETRY.minDelayBetweenRetries} ms.`,
    note: tokenIgnored
      ? 'APIFY_TOKEN is set and ignored: nothing leaves 127.0.0.1. `npm start -- --platform` runs against the real Apify API.'
      : undefined,
    faultRate,
    canRunActors: true,
    retry: EMULATOR_RETRY,
    async open() {
      const emulator = createEmulator({
        token,
        faults: { rate: faultRate, seed: FAULT_SEED, kinds: FAULT_KINDS, delayMs: FAULT_DELAY_MS },
      });
      emulator.registerActor(ACTOR_NAME, priceSummaryActor);
      const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
      return { baseUrl: url, token, close: () => emulator.close() };
    },
  };
}

function platformTarget(token, baseUrl) {
  return {
    kind: 'platform',
    baseUrl,
    token,
    description:
      `Target: the Apify API at ${baseUrl} (--platform): no emulator, no injected faults; ` +
      'storages get unique names and are deleted at the end; the actor-run step needs the emulator and is skipped.',
    note: undefined,
    faultRate: 0,
    canRunActors: false,
    retry: {},
    async open() {
      return { baseUrl, token, close: async () => {} };
    },
  };
}

/** Storage names unique to this run and client, within the platform's 63-character name limit. */
export function storageNames(slug) {
  const run = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  return {
    dataset: `pluggable-demo-${run}-${slug}-items`,
    keyValueStore: `pluggable-demo-${run}-${slug}-state`,
    requestQueue: `pluggable-demo-${run}-${slug}-queue`,
  };
}

export function chooseTarget(env, { faultRate, platform }) {
  const token = env.APIFY_TOKEN ?? '';
  if (!platform) return emulatorTarget(faultRate, token !== '');
  if (token === '') throw new UsageError("--platform needs the account's API token in APIFY_TOKEN");
  return platformTarget(token, env.APIFY_API_BASE_URL || PLATFORM_URL);
}
