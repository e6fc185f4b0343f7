import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The compiled CLI: the root `npm test` builds it (tsc --build) before vitest runs. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Spawns the CLI and waits for the base URL line on stdout. */
export async function startCli(args: string[]): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolve(line.trim());
    });
    void exited.then(({ code }) =>
      reject(new Error(`CLI exited with ${code} before printing its URL: ${err}`)),
    );
  });
  return { child, url, exited, stderr: () => err };
}
