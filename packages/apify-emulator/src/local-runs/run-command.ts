import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEmulator, type Emulator } from '../emulator.js';
import type { EmulatorOptions, LocalRunOptions } from '../types.js';
import { prefilledInput, readActorFolder } from './folder-actor.js';

export const RUN_USAGE = `Usage: apify-emulator run [options] [-- <command...>]

Runs actor code locally as the platform would: creates the actor from .actor/actor.json of the current
folder (when there is one), a run with fresh default storages and INPUT, and spawns the command (default:
scripts.start of package.json) with the platform's environment and events WebSocket. The run's status
follows the process; its output is the run log, printed here. Exits with the actor's exit code.

Options:
  --input JSON|@FILE       the run's INPUT (default: the input schema's prefill values)
  --port N                 use the emulator answering on this port, or start one there (default 8790)
  --storage-dir DIR        storage folder of the emulator started here (default: in memory)
  --token T                API token (of the emulator reused, or required by the one started)
  --actor DIR              also register the folder actor in DIR (for metamorph, Actor.call); repeatable
  --timeout-secs N         run timeout (default: the actor's, 3600)
  --memory-mbytes N        ACTOR_MEMORY_MBYTES (default: the actor's, 4096)
  --persist-state-interval-ms N   persistState interval of an emulator started here (default 60000)
  --abort-grace-period-ms N       aborting → SIGTERM of an emulator started here (default 30000)
  -h, --help               show this help

Ctrl+C aborts the run (the actor gets 'aborting'); a second Ctrl+C stops it at once. SIGUSR2 sends it
'migrating' (as 'apify-emulator migrate RUN_ID' does).`;

const OPTIONS = {
  input: { type: 'string' },
  port: { type: 'string' },
  'storage-dir': { type: 'string' },
  token: { type: 'string' },
  actor: { type: 'string', multiple: true },
  'timeout-secs': { type: 'string' },
  'memory-mbytes': { type: 'string' },
  'persist-state-interval-ms': { type: 'string' },
  'abort-grace-period-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} must be a non-negative integer, got '${value}'`);
  return n;
}

function readInputOption(value: string): unknown {
  const text = value.startsWith('@') ? readFileSync(resolve(value.slice(1)), 'utf8') : value;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--input is not valid JSON: ${(error as Error).message}`);
  }
}

interface Api {
  url: string;
  call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

function api(url: string, token: string | undefined): Api {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return {
    url,
    async call(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      if (!response.ok) {
        const error = parsed.error as { message?: string } | undefined;
        throw new Error(`${method} ${path} answered ${response.status}: ${error?.message ?? text}`);
      }
      return (parsed.data ?? parsed) as Record<string, unknown>;
    },
  };
}

/** Whether an emulator (or anything speaking the API) answers on the port. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/v2/users/me`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  }
}

/** A name the platform accepts, from the folder's name. */
function actorNameOf(dir: string): string {
  const name = basename(dir)
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return name === '' ? 'local-actor' : name;
}

async function streamLog(client: Api, runId: string, out: NodeJS.WritableStream): Promise<void> {
  const response = await fetch(`${client.url}/v2/logs/${runId}?stream=1`);
  if (response.body === null) return;
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    out.write(decoder.decode(value, { stream: true }));
  }
}

async function waitForFinish(client: Api, runId: string): Promise<Record<string, unknown>> {
  for (;;) {
    const run = await client.call('GET', `/v2/actor-runs/${runId}?waitForFinish=60`);
    if (['SUCCEEDED', 'FAILED', 'TIMED-OUT', 'ABORTED'].includes(run.status as string)) return run;
  }
}

/** `apify-emulator run`: resolves with the process exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? undefined : argv.slice(separator + 1);
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args: own, options: OPTIONS, strict: true, allowPositionals: false }));
    if (values.help) {
      process.stdout.write(`${RUN_USAGE}\n`);
      return 0;
    }
    if (command !== undefined && command.length === 0)
      throw new UsageError('nothing after --: give the command to run');
  } catch (error) {
    process.stderr.write(`apify-emulator run: ${(error as Error).message}\n\n${RUN_USAGE}\n`);
    return 2;
  }
  try {
    return await execute(values, command);
  } catch (error) {
    const usage = error instanceof UsageError ? `\n\n${RUN_USAGE}` : '';
    process.stderr.write(`apify-emulator run: ${(error as Error).message}${usage}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

async function execute(
  values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'],
  command: string[] | undefined,
): Promise<number> {
  const port = integer('port', values.port) ?? 8790;
  const timeoutSecs = integer('timeout-secs', values['timeout-secs']);
  const memoryMbytes = integer('memory-mbytes', values['memory-mbytes']);
  const persistStateIntervalMs = integer('persist-state-interval-ms', values['persist-state-interval-ms']);
  const abortGracePeriodMs = integer('abort-grace-period-ms', values['abort-grace-period-ms']);
  const cwd = process.cwd();
  const hasDefinition = existsSync(join(cwd, '.actor', 'actor.json'));
  if (!hasDefinition && command === undefined)
    throw new UsageError(`${cwd} has no .actor/actor.json: give the command to run after --`);
  // Read here too: bad definitions fail before anything starts, and the prefill comes from the schema.
  const definition = hasDefinition ? readActorFolder(cwd, command) : null;
  const input =
    values.input !== undefined
      ? readInputOption(values.input)
      : prefilledInput(definition?.inputSchema ?? null);

  let url = `http://127.0.0.1:${port}`;
  let emulator: Emulator | null = null;
  if (await answers(url)) {
    if (
      values['storage-dir'] !== undefined ||
      persistStateIntervalMs !== undefined ||
      abortGracePeriodMs !== undefined
    )
      process.stderr.write(
        `apify-emulator run: an emulator already answers on ${url}; --storage-dir and the timing options apply only to one started here\n`,
      );
  } else {
    const local: LocalRunOptions = {};
    if (persistStateIntervalMs !== undefined) local.persistStateIntervalMs = persistStateIntervalMs;
    if (abortGracePeriodMs !== undefined) local.abortGracePeriodMs = abortGracePeriodMs;
    const options: EmulatorOptions = {
      storageDir: values['storage-dir'] ?? null,
      token: values.token ?? null,
      localRuns: local,
    };
    emulator = createEmulator(options);
    ({ url } = await emulator.listen({ port }));
    process.stderr.write(
      `apify-emulator run: started an emulator on ${url} (storage: ${options.storageDir ?? 'in memory'})\n`,
    );
  }
  try {
    return await runOnce(api(url, values.token), {
      cwd,
      command,
      hasDefinition,
      input,
      timeoutSecs,
      memoryMbytes,
      actors: values.actor ?? [],
    });
  } finally {
    if (emulator !== null && values['storage-dir'] === undefined)
      process.stderr.write(
        'apify-emulator run: the emulator started for this run stops now, with its in-memory storages ' +
          '(keep them with --storage-dir DIR, or start apify-emulator first and run on its port)\n',
      );
    await emulator?.close();
  }
}

interface RunPlan {
  cwd: string;
  command: string[] | undefined;
  hasDefinition: boolean;
  input: unknown;
  timeoutSecs: number | undefined;
  memoryMbytes: number | undefined;
  actors: string[];
}

async function runOnce(client: Api, plan: RunPlan): Promise<number> {
  for (const dir of plan.actors)
    await client.call('POST', '/v2/emulator/folder-actors', { folder: resolve(dir) });
  const actor = await client.call(
    'POST',
    '/v2/emulator/folder-actors',
    plan.hasDefinition
      ? { folder: plan.cwd, ...(plan.command === undefined ? {} : { command: plan.command }) }
      : { folder: plan.cwd, name: actorNameOf(plan.cwd), command: plan.command, withoutDefinition: true },
  );
  const query = new URLSearchParams();
  if (plan.timeoutSecs !== undefined) query.set('timeout', String(plan.timeoutSecs));
  if (plan.memoryMbytes !== undefined) query.set('memory', String(plan.memoryMbytes));
  const run = await client.call('POST', `/v2/acts/${actor.id}/runs?${query}`, plan.input);
  const runId = run.id as string;
  process.stderr.write(`apify-emulator run: run ${runId} of ${actor.username}/${actor.name} started\n`);
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts++;
    void client.call('POST', `/v2/actor-runs/${runId}/abort`).catch(() => undefined);
    if (interrupts === 1)
      process.stderr.write('apify-emulator run: aborting (Ctrl+C again to stop at once)\n');
  };
  const onMigrate = (): void => {
    void client.call('POST', `/v2/actor-runs/${runId}/emulator/migrate`).catch((error: unknown) => {
      process.stderr.write(`apify-emulator run: ${(error as Error).message}\n`);
    });
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  process.on('SIGUSR2', onMigrate);
  try {
    const logged = streamLog(client, runId, process.stdout).catch(() => undefined);
    const finished = await waitForFinish(client, runId);
    await logged;
    // The actor's code; a run that did not succeed never exits 0 (an aborted SDK actor exits 0 itself).
    const code = typeof finished.exitCode === 'number' ? finished.exitCode : null;
    const exitCode = finished.status === 'SUCCEEDED' ? (code ?? 0) : code !== null && code > 0 ? code : 1;
    process.stdout.write(
      [
        '',
        `Run ${runId}: ${finished.status}${finished.statusMessage ? ` (${finished.statusMessage})` : ''}`,
        `Dataset:          ${client.url}/v2/datasets/${finished.defaultDatasetId}/items`,
        `Key-value store:  ${client.url}/v2/key-value-stores/${finished.defaultKeyValueStoreId}/keys`,
        `Request queue:    ${client.url}/v2/request-queues/${finished.defaultRequestQueueId}`,
        '',
      ].join('\n'),
    );
    return exitCode;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    process.off('SIGUSR2', onMigrate);
  }
}

/** `apify-emulator migrate RUN_ID [--port N] [--token T]`: sends `migrating` to a spawned run. */
export async function migrateCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, token: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
    const [runId] = positionals;
    if (runId === undefined || positionals.length !== 1) throw new UsageError('give exactly one run ID');
    const port = integer('port', values.port) ?? 8790;
    await api(`http://127.0.0.1:${port}`, values.token).call(
      'POST',
      `/v2/actor-runs/${runId}/emulator/migrate`,
    );
    process.stdout.write(`Run ${runId} got 'migrating'; its process restarts.\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`apify-emulator migrate: ${(error as Error).message}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}
