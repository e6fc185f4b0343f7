import type { Actors } from '../actors.js';
import { buildObject } from '../builds.js';
import { runObject } from '../run-object.js';
import type { Run, Runs } from '../runs.js';
import type { Dispatches } from './dispatches.js';
import type { WebhookSettings } from './webhook-body.js';
import type { Webhooks } from './webhooks.js';

/** Turns run and build events into dispatches of the webhooks whose event types and conditions match. */
export function connectWebhookEvents(
  runs: Runs,
  actors: Actors,
  webhooks: Webhooks,
  dispatches: Dispatches,
): () => void {
  const offRuns = runs.onEvent((run, event) => {
    const resource = runObject(run);
    const actorTaskId = typeof resource.actorTaskId === 'string' ? resource.actorTaskId : null;
    const eventType = `ACTOR.RUN.${event}`;
    const eventData: Record<string, string> = { actorId: run.actor.id, actorRunId: run.id };
    if (actorTaskId !== null) eventData.actorTaskId = actorTaskId;
    const subject = { actorId: run.actor.id, actorTaskId, actorRunId: run.id };
    for (const webhook of webhooks.matching(eventType, subject))
      dispatches.dispatch(webhook, { eventType, eventData: { ...eventData }, resource });
  });
  // Emulated builds have nothing to compile: each is created and finishes in the same instant.
  const offBuilds = actors.onBuild((build) => {
    const subject = { actorId: build.actId, actorTaskId: null, actorRunId: null };
    const finished = build.status === 'FAILED' ? 'ACTOR.BUILD.FAILED' : 'ACTOR.BUILD.SUCCEEDED';
    const resource = buildObject(build, actors.require(build.actId).name);
    for (const eventType of ['ACTOR.BUILD.CREATED', finished]) {
      for (const webhook of webhooks.matching(eventType, subject)) {
        const eventData = { actorId: build.actId, actorBuildId: build.id };
        dispatches.dispatch(webhook, { eventType, eventData, resource });
      }
    }
  });
  return () => {
    offRuns();
    offBuilds();
  };
}

/** Creates the ad-hoc webhooks passed at a run's start, bound to that run. */
export function addAdHocWebhooks(
  webhooks: Webhooks,
  definitions: readonly WebhookSettings[],
  run: Run,
): void {
  for (const definition of definitions)
    webhooks.addAdHoc({ ...definition, condition: { actorRunId: run.id } });
}
