// One realistic run against the Apify API: a dataset, a key-value store, a request queue and an actor
// run, each checked; the storages it created are deleted afterwards, whatever happened.
import { actorRunStep } from './steps/actor-run.js';
import { datasetStep } from './steps/dataset.js';
import { keyValueStoreStep } from './steps/key-value-store.js';
import { requestQueueStep } from './steps/request-queue.js';

async function steps(context, canRunActors) {
  const dataset = await datasetStep(context);
  const keyValueStore = await keyValueStoreStep(context);
  const requestQueue = await requestQueueStep(context);
  const actorRun = canRunActors ? await actorRunStep(context) : undefined;
  return { dataset, keyValueStore, requestQueue, actorRun, tally: context.tally };
}

export async function runScenario({ client, names, items, phase, canRunActors }) {
  const tally = { unknownOutcomes: 0, staleLocksReleased: 0 };
  // Steps register a delete for every storage right after creating it.
  const created = [];
  const context = { client, names, items, phase, tally, created };
  const outcome = await steps(context, canRunActors).then(
    (result) => ({ ok: true, result }),
    (error) => ({ ok: false, error }),
  );
  const problems = [];
  for (const remove of created) {
    await remove().catch((error) => problems.push(error));
  }
  // A cleanup failure must not hide the error that stopped the scenario.
  if (!outcome.ok) throw outcome.error;
  if (problems.length > 0) {
    throw new AggregateError(problems, `could not delete ${problems.length} demo storage(s)`);
  }
  return outcome.result;
}
