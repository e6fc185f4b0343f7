import { newId } from '../ids.js';
import { USER } from '../storages/common.js';
import type { JsonObject } from '../types.js';
import { JobLog } from './logs.js';

export type BuildStatus = 'SUCCEEDED' | 'FAILED';

/** A build snapshots what a run needs from its version: the input schema and the environment. */
export interface Build {
  id: string;
  actId: string;
  buildNumber: string;
  versionNumber: string;
  status: BuildStatus;
  startedAt: string;
  finishedAt: string;
  log: JobLog;
  inputSchema: JsonObject | null;
  env: Record<string, string>;
}

export function createBuild(
  actId: string,
  versionNumber: string,
  sequence: number,
  outcome: { inputSchema: JsonObject | null; env: Record<string, string>; error: string | null },
): Build {
  const now = new Date().toISOString();
  const build: Build = {
    id: newId(),
    actId,
    buildNumber: `${versionNumber}.${sequence}`,
    versionNumber,
    status: outcome.error === null ? 'SUCCEEDED' : 'FAILED',
    startedAt: now,
    finishedAt: now,
    log: new JobLog(),
    inputSchema: outcome.inputSchema,
    env: outcome.env,
  };
  build.log.write(
    outcome.error === null
      ? `ACTOR: Emulated build ${build.buildNumber} succeeded (nothing to compile in-process).`
      : `ACTOR: Emulated build ${build.buildNumber} failed: ${outcome.error}`,
  );
  build.log.finish();
  return build;
}

export function buildObject(build: Build, actorName: string): JsonObject {
  const input = build.inputSchema;
  return {
    id: build.id,
    actId: build.actId,
    userId: USER.id,
    startedAt: build.startedAt,
    finishedAt: build.finishedAt,
    status: build.status,
    buildNumber: build.buildNumber,
    meta: { origin: 'API' },
    stats: { durationMillis: 0, runTimeSecs: 0, computeUnits: 0 },
    options: { useCache: true, betaPackages: false, memoryMbytes: 1024, diskMbytes: 2048 },
    usageTotalUsd: 0,
    inputSchema: input === null ? null : JSON.stringify(input, null, 2),
    actorDefinition: {
      actorSpecification: 1,
      name: actorName,
      version: build.versionNumber,
      ...(input === null ? {} : { input }),
    },
  };
}

const RUN_PARAMETERS = [
  { name: 'timeout', description: 'Run timeout in seconds' },
  { name: 'memory', description: 'Memory limit in megabytes' },
  { name: 'build', description: 'Tag or number of the build to run' },
];

/**
 * The document the platform serves for a build: the three ways to run the actor over HTTP, each taking the
 * build's input schema as its JSON body. Generated from the build, so it changes when the schema does.
 */
export function openApiDefinition(
  build: Build,
  actor: { username: string; name: string; title: string | null; description: string | null },
  apiBase: string,
): JsonObject {
  const ref = `${actor.username}~${actor.name}`;
  const operation = (operationId: string, summary: string, response: JsonObject) => ({
    post: {
      operationId,
      'x-openai-isConsequential': false,
      summary,
      tags: ['Run Actor'],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/inputSchema' } } },
      },
      parameters: [
        {
          name: 'token',
          in: 'query',
          required: true,
          schema: { type: 'string' },
          description: 'Enter your Apify token here',
        },
        ...RUN_PARAMETERS.map((p) => ({
          ...p,
          in: 'query',
          required: false,
          schema: { type: p.name === 'build' ? 'string' : 'integer' },
        })),
      ],
      responses: { '200': response },
    },
  });
  const runSchema = {
    type: 'object',
    properties: {
      data: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          actId: { type: 'string' },
          userId: { type: 'string' },
          startedAt: { type: 'string', format: 'date-time' },
          finishedAt: { type: 'string', format: 'date-time' },
          status: { type: 'string' },
          defaultKeyValueStoreId: { type: 'string' },
          defaultDatasetId: { type: 'string' },
          defaultRequestQueueId: { type: 'string' },
        },
      },
    },
  };
  return {
    openapi: '3.0.1',
    info: {
      title: actor.title ?? actor.name,
      description: actor.description ?? '',
      version: build.versionNumber,
      'x-build-id': build.id,
    },
    servers: [{ url: apiBase }],
    paths: {
      [`/acts/${ref}/run-sync-get-dataset-items`]: operation(
        'run-sync-get-dataset-items',
        "Executes an Actor, waits for its completion, and returns Actor's dataset items in response.",
        { description: 'OK' },
      ),
      [`/acts/${ref}/runs`]: operation(
        'runs',
        'Executes an Actor and returns information about the initiated run in response.',
        {
          description: 'OK',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/runsResponseSchema' } } },
        },
      ),
      [`/acts/${ref}/run-sync`]: operation(
        'run-sync',
        'Executes an Actor, waits for completion, and returns the OUTPUT from Key-value store in response.',
        { description: 'OK' },
      ),
    },
    components: {
      schemas: {
        inputSchema: build.inputSchema ?? { type: 'object' },
        runsResponseSchema: runSchema,
      },
    },
  };
}
