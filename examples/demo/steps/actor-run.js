// Actor run: an actor registered on the emulator summarises a sample of prices; the demo starts a run,
// waits for it to finish and checks its dataset and OUTPUT record.
import { isDeepStrictEqual } from 'node:util';
import { check, isUnknownOutcome, MAX_RECONCILE_ATTEMPTS } from '../checks.js';
import { priceOf } from './dataset.js';

export const ACTOR_NAME = 'demo/price-summary';
const SAMPLE = 500;

function summarise(prices) {
  const sum = prices.reduce((total, price) => total + price, 0);
  return {
    count: prices.length,
    min: Math.min(...prices),
    max: Math.max(...prices),
    mean: Math.round((sum / prices.length) * 100) / 100,
  };
}

/** The actor's code, run in-process by the emulator for every run. */
export async function priceSummaryActor(input, ctx) {
  ctx.log(`summarising ${input.prices.length} prices`);
  await ctx.dataset.pushItems(
    input.prices.map((price, index) => ({
      index,
      band: price < 100 ? 'budget' : price < 500 ? 'mid' : 'premium',
    })),
  );
  await ctx.keyValueStore.setRecord('OUTPUT', summarise(input.prices));
}

/**
 * A run start is never replayed by the client (a replay could start a second run). When its outcome
 * is unknown, the actor's run count says whether it started.
 */
async function startRun(actor, input, tally) {
  const before = (await actor.runs().list({ limit: 1, desc: true })).total;
  for (let attempt = 1; attempt <= MAX_RECONCILE_ATTEMPTS; attempt++) {
    try {
      return await actor.start(input);
    } catch (error) {
      if (!isUnknownOutcome(error)) throw error;
      tally.unknownOutcomes += 1;
      const after = await actor.runs().list({ limit: 1, desc: true });
      if (after.total > before) return after.items[0];
    }
  }
  throw new Error(`starting ${ACTOR_NAME} kept failing with an unknown outcome`);
}

export async function actorRunStep({ client, phase, tally }) {
  const progress = phase('actor run', 1, 'run');
  const prices = Array.from({ length: SAMPLE }, (_, n) => priceOf(n));
  const started = await startRun(client.actor(ACTOR_NAME), { prices }, tally);
  const run = await client.run(started.id).waitForFinish({ waitSecs: 60 });
  progress.add(1);
  const runMs = progress.done();

  check(run?.status === 'SUCCEEDED', `the actor run ended as ${run?.status ?? 'unknown'}, not SUCCEEDED`);
  const output = await client.run(run.id).keyValueStore().getRecord('OUTPUT');
  check(isDeepStrictEqual(output?.value, summarise(prices)), 'the actor run wrote a wrong OUTPUT record');
  const { total } = await client.run(run.id).dataset().listItems({ limit: 1 });
  check(total === SAMPLE, `the actor run pushed ${total} items instead of ${SAMPLE}`);
  return { runId: run.id, runMs };
}
