#!/usr/bin/env node
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEmulator } from './emulator.js';
import { isFaultKind } from './http/faults.js';
import { readActorFolder } from './local-runs/folder-actor.js';
import { migrateCommand, runCommand } from './local-runs/run-command.js';
import type { EmulatorOptions, FaultKind } from './types.js';

const USAGE = `Usage: apify-emulator [options]
       apify-emulator run [options] [-- <command...>]   (run actor code locally; run --help)
       apify-emulator migrate RUN_ID [--port N]        (send 'migrating' to a spawned run)

Serves Apify API v2 (datasets, key-value stores, request queues, emulated runs) on loopback.

Options:
  --port N                 port to listen on (default 8790; 0 picks a free port)
  --host H                 host to bind (default 127.0.0.1); one that is not loopback needs --token
  --storage-dir DIR        persist every acknowledged write in DIR (default: in memory); one
                           emulator per folder (a second one exits with the holder's PID)
  --repair                 open a --storage-dir whose journal has damaged frames: keep every
                           intact record, drop the damaged bytes and say what was dropped
  --token T                accept only this token (default: any)
  --actor DIR              register the folder actor in DIR (.actor/actor.json, scripts.start): its
                           runs, from the API, tasks, schedules and webhooks, are real processes;
                           repeatable
  --max-payload-bytes N    request body limit after decoding (default 9437184)
  --run-duration-ms N      how long runs of function-less actors stay RUNNING (default 1000)
  --body-timeout-ms N      answer 408 when a request body is silent this long (default 30000)
  --fault-rate R           fraction 0..1 of requests that fail on purpose (default 0)
  --fault-seed S           PRNG seed for faults (default 0)
  --faults K1,K2           fault kinds: 429,500,503,reset,delay,truncate (the default), and
                           applied-500,applied-502,applied-reset,applied-timeout (served, then failed)
  --fault-delay-ms N       how long delay and applied-timeout hold the response (default 30000)
  -h, --help               show this help
  --version                print the version and exit

Prints the base URL on stdout (point clients at it); stops cleanly on SIGINT/SIGTERM.`;

function fail(message: string): never {
  process.stderr.write(`apify-emulator: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

/** Read from package.json, which sits one folder up from both src/ and dist/. */
const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: only this machine can connect. */
function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) fail(`--${name} must be a number, got '${value}'`);
  return n;
}

interface Parsed {
  options: EmulatorOptions;
  port: number;
  host: string;
  actorFolders: string[];
}

function parse(argv: string[]): Parsed {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    process.exit(0);
  }
  const host = values.host ?? '127.0.0.1';
  // Without a token, anyone who can reach the port reads and writes every storage.
  if (!isLoopbackHost(host) && !values.token) {
    fail(
      `--host ${host} is reachable from other machines: pass --token T so that only requests carrying it are served`,
    );
  }
  const kinds = values.faults?.split(',').map((k) => k.trim());
  for (const kind of kinds ?? []) if (!isFaultKind(kind)) fail(`unknown fault kind '${kind}'`);
  const rate = numberOption('fault-rate', values['fault-rate']);
  const options: EmulatorOptions = {
    storageDir: values['storage-dir'] ?? null,
    token: values.token ?? null,
  };
  if (values.repair) options.repair = true;
  const maxPayloadBytes = numberOption('max-payload-bytes', values['max-payload-bytes']);
  if (maxPayloadBytes !== undefined) options.maxPayloadBytes = maxPayloadBytes;
  const runDurationMs = numberOption('run-duration-ms', values['run-duration-ms']);
  if (runDurationMs !== undefined) options.runDurationMs = runDurationMs;
  const bodyTimeoutMs = numberOption('body-timeout-ms', values['body-timeout-ms']);
  if (bodyTimeoutMs !== undefined) options.bodyTimeoutMs = bodyTimeoutMs;
  if (rate !== undefined || kinds !== undefined) {
    const seed = numberOption('fault-seed', values['fault-seed']);
    const delayMs = numberOption('fault-delay-ms', values['fault-delay-ms']);
    options.faults = {
      rate: rate ?? 0,
      ...(seed !== undefined ? { seed } : {}),
      ...(kinds !== undefined ? { kinds: kinds as FaultKind[] } : {}),
      ...(delayMs !== undefined ? { delayMs } : {}),
    };
  }
  const port = numberOption('port', values.port) ?? 8790;
  const actorFolders = (values.actor ?? []).map((dir) => resolve(dir));
  // A bad folder is a bad flag: refused before the emulator starts, as every other flag.
  for (const folder of actorFolders) {
    try {
      readActorFolder(folder);
    } catch (error) {
      fail(`--actor: ${(error as Error).message}`);
    }
  }
  return { options, port, host, actorFolders };
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'storage-dir': { type: 'string' },
  repair: { type: 'boolean' },
  token: { type: 'string' },
  actor: { type: 'string', multiple: true },
  'max-payload-bytes': { type: 'string' },
  'run-duration-ms': { type: 'string' },
  'body-timeout-ms': { type: 'string' },
  'fault-rate': { type: 'string' },
  'fault-seed': { type: 'string' },
  faults: { type: 'string' },
  'fault-delay-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

async function main(): Promise<void> {
  const [subcommand, ...rest] = process.argv.slice(2);
  if (subcommand === 'run' || subcommand === 'migrate') {
    const code = await (subcommand === 'run' ? runCommand(rest) : migrateCommand(rest));
    process.exit(code);
  }
  const { options, port, host, actorFolders } = parse(process.argv.slice(2));
  let emulator: ReturnType<typeof createEmulator>;
  let url: string;
  try {
    emulator = createEmulator(options);
    for (const folder of actorFolders) emulator.registerActor(folder);
    ({ url } = await emulator.listen({ port, host }));
  } catch (error) {
    process.stderr.write(`apify-emulator: ${(error as Error).message}\n`);
    process.exit(1);
  }
  // The URL line tells a script the emulator is ready, so it must also be ready to stop by then.
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => {
        process.stderr.write(`apify-emulator: stopped on ${signal}\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`apify-emulator: error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (!isLoopbackHost(host)) {
    process.stderr.write(
      `apify-emulator: warning: --host ${host} is not loopback: other machines can reach this emulator. ` +
        'It speaks plain HTTP (the token travels unencrypted) and is a development tool, not a security boundary.\n',
    );
  }
  process.stdout.write(`${url}\n`);
  process.stderr.write(
    `Apify API emulator listening on ${url} (storage: ${options.storageDir ?? 'in memory'}). Ctrl+C to stop.\n`,
  );
}

void main();
