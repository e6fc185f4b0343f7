import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI } from './cli-process.js';

/** A fixture actor folder under test/fixtures/local-runs. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/local-runs/${name}`, import.meta.url));
}

export interface RunProcess {
  readonly child: ChildProcess;
  /** The run's ID, from the CLI's "run X of Y started" line. */
  readonly runId: Promise<string>;
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `apify-emulator run ARGS` in `cwd`, output collected. */
export function startRun(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): RunProcess {
  const child = spawn(process.execPath, [CLI, 'run', ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.on('error', (error) => {
      stderr += String(error);
      resolve({ code: null, stdout, stderr });
    });
  });
  const runId = new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const id = /run (\w{17}) of /.exec(stderr)?.[1];
      if (id !== undefined) resolve(id);
    });
    void exited.then(() => reject(new Error(`run exited before starting a run: ${stderr}`)));
  });
  runId.catch(() => undefined);
  return { child, runId, exited };
}

/** Polls `check` until it returns a value (not undefined), or fails after `ms`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
