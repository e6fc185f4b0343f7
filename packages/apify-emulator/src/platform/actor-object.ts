import { USER } from '../storages/common.js';
import type { JsonObject } from '../types.js';
import type { Actor } from './actors.js';
import { versionObject } from './versions.js';

export function actorObject(actor: Actor, runCount: number): JsonObject {
  const taggedBuilds: JsonObject = {};
  for (const [tag, build] of actor.taggedBuilds)
    taggedBuilds[tag] = { buildId: build.id, buildNumber: build.buildNumber, finishedAt: build.finishedAt };
  return {
    id: actor.id,
    userId: USER.id,
    name: actor.name,
    username: actor.username,
    title: actor.title,
    description: actor.description,
    isPublic: false,
    restartOnError: false,
    ...structuredClone(actor.settings),
    createdAt: actor.createdAt,
    modifiedAt: actor.modifiedAt,
    stats: { totalBuilds: actor.builds.length, totalRuns: runCount, totalUsers: 1 },
    versions: actor.versions.map(versionObject),
    pricingInfos: structuredClone(actor.pricingInfos),
    defaultRunOptions: { ...actor.defaultRunOptions },
    taggedBuilds,
  };
}
