import type { Context } from 'hono';
import { ApiError } from '../../errors.js';
import { readBody } from '../../http/body.js';
import { type AppContext, internalRunOrigin, requestUrl } from '../../http/context.js';
import { boolParam, dataResponse, intParam, numberParam, paginate } from '../../http/query.js';
import type { JsonObject } from '../../types.js';
import type { Build } from '../builds.js';
import { isJsonObject, validateInput, withDefaults } from '../input-schema.js';
import type { JobLog } from '../logs.js';
import { runObject } from '../run-object.js';
import type { Run, RunInput } from '../runs.js';
import { mergeTaskInput, type Task } from '../tasks.js';

export const MAX_WAIT_SECS = 60;
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

export function logResponse(c: Context, ctx: AppContext, log: JobLog): Response {
  const headers = { 'content-type': 'text/plain; charset=utf-8' };
  if (boolParam(requestUrl(c), 'stream') && !log.isFinished) {
    const signal = AbortSignal.any([c.req.raw.signal, ctx.closing]);
    return new Response(log.follow(signal), { status: 200, headers });
  }
  return new Response(log.text(), { status: 200, headers });
}

/** Answers with the run, after a long poll of up to 60 s when `waitForFinish` asks for one. */
export async function runResponse(c: Context, ctx: AppContext, run: Run, status = 200): Promise<Response> {
  const wait = Math.min(numberParam(requestUrl(c), 'waitForFinish') ?? 0, MAX_WAIT_SECS);
  if (wait > 0)
    await ctx.runs.waitForFinish(run, wait * 1000, AbortSignal.any([c.req.raw.signal, ctx.closing]));
  return dataResponse(runObject(run), status);
}

export function listRuns(c: Context, runs: Run[]): Response {
  const statuses = (requestUrl(c).searchParams.get('status') || '').split(',').filter(Boolean);
  const filtered = statuses.length === 0 ? runs : runs.filter((r) => statuses.includes(r.status));
  const page = paginate(requestUrl(c), filtered);
  return dataResponse({ ...page, items: page.items.map(runObject) });
}

/** `runs/last` takes the newest run, optionally only among those with this `status` and `origin`. */
export function lastRunFilter(c: Context): { status: string | null; origin: string | null } {
  const url = requestUrl(c);
  return { status: url.searchParams.get('status') || null, origin: url.searchParams.get('origin') || null };
}

/** The run options every way of starting a run takes as query parameters. */
export function runQuery(c: Context): {
  build: string | null;
  timeoutSecs: number | undefined;
  memoryMbytes: number | undefined;
  maxItems: number | undefined;
  maxTotalChargeUsd: number | undefined;
  origin: string | undefined;
} {
  const url = requestUrl(c);
  const maxTotalChargeUsd = numberParam(url, 'maxTotalChargeUsd');
  if (maxTotalChargeUsd !== undefined && maxTotalChargeUsd <= 0) {
    throw new ApiError(
      400,
      'max-total-charge-usd-must-be-greater-than-zero',
      'maxTotalChargeUsd must be greater than zero',
    );
  }
  const maxItems = intParam(url, 'maxItems', { min: 0 });
  if (maxItems === 0)
    throw new ApiError(400, 'max-items-must-be-greater-than-zero', 'maxItems must be greater than zero');
  return {
    build: url.searchParams.get('build') || null,
    timeoutSecs: intParam(url, 'timeout', { min: 0 }),
    memoryMbytes: intParam(url, 'memory', { min: 128 }),
    maxItems,
    maxTotalChargeUsd,
    origin: internalRunOrigin(c),
  };
}

function jsonInput(value: JsonObject): RunInput {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  return { bytes, decoded: bytes, encoding: null, contentType: 'application/json; charset=utf-8' };
}

function parseObject(decoded: Buffer): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(decoded.toString('utf8'));
  } catch (error) {
    throw new ApiError(
      400,
      'run-input-body-not-valid-json',
      `The input is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (!isJsonObject(value))
    throw new ApiError(400, 'input-json-not-object', 'The input must be a JSON object');
  return value;
}

/**
 * The input a run starts with, checked before anything is created. An actor run stores the body as sent
 * (bytes, type and encoding kept) unless the build has an input schema: then a JSON body gets the schema's
 * defaults and must validate. A task run's input is the task's input shallow-merged with the body.
 */
export async function readRunInput(
  c: Context,
  ctx: AppContext,
  build: Build,
  task: Task | null,
  withBody = true,
): Promise<RunInput | null> {
  const body = withBody ? await readBody(c.req.raw, ctx.maxPayloadBytes, ctx.bodyTimeoutMs) : null;
  const contentType = c.req.header('content-type') || 'application/json; charset=utf-8';
  const empty = body === null || body.decoded.length === 0;
  const schema = build.inputSchema;
  if (task !== null) {
    if (!empty && !JSON_TYPE.test(contentType))
      throw new ApiError(
        400,
        'input-json-not-object',
        'A task run takes its input override as a JSON object',
      );
    const merged = mergeTaskInput(task, empty ? null : parseObject(body.decoded));
    const input = schema === null ? merged : withDefaults(schema, merged);
    if (schema !== null) validateInput(schema, input);
    return Object.keys(input).length === 0 && empty && task.input === null ? null : jsonInput(input);
  }
  if (schema === null || !JSON_TYPE.test(contentType)) {
    if (body === null) return null;
    return { bytes: body.encoded, decoded: body.decoded, encoding: body.encoding, contentType };
  }
  const input = withDefaults(schema, empty ? {} : parseObject(body.decoded));
  validateInput(schema, input);
  return jsonInput(input);
}
