// One realistic run against the Apify API: a dataset, a key-value store, a request queue and an actor
// run, each checked; the storages it created are deleted afterwards, whatever happened.
import { actorRunStep } from './steps/actor-run.js';
import { datasetStep } from './steps/dataset.js';
import { keyValueStoreStep } from './steps/key-value-store.js';
import { requestQueueStep } from './steps/request-queue.js';

/** Runs every delete, even after one fails; returns the failures. */
async function deleteAll(created) {
  const problems = [];
  for (const remove of created) {
    await remove().catch((error) => problems.push(error));
  }
  return problems;
}

export async function runScenario({ client, names, items, phase, canRunActors }) {
  const tally = { unknownOutcomes: 0, staleLocksReleased: 0 };
  // Steps register a delete for every storage right after creating it.
  const created = [];
  const context = { client, names, items, phase, tally, created };
  let result;
  try {
    const dataset = await datasetStep(context);
    const keyValueStore = await keyValueStoreStep(context);
    const requestQueue = await requestQueueStep(context);
    const actorRun = canRunActors ? await actorRunStep(context) : undefined;
    result = { dataset, keyValueStore, requestQueue, actorRun, tally };
  } catch (error) {
    // The error that stopped the scenario is the one to report, not a cleanup failure after it.
    await deleteAll(created);
    throw error;
  }
  const problems = await deleteAll(created);
  if (problems.length > 0) {
    const reasons = problems.map((problem) => problem?.message ?? String(problem)).join('; ');
    throw new AggregateError(problems, `could not delete ${problems.length} demo storage(s): ${reasons}`);
  }
  return result;
}
