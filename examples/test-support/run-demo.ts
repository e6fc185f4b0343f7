// Runs examples/demo.js in a child process as `npm start` does after the build, and captures its output.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const DEMO = fileURLToPath(new URL('../demo.js', import.meta.url));

export interface DemoRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An unset APIFY_TOKEN is the default here; tests that need one pass it in `env`. */
export async function demo(args: string[], env: Record<string, string> = {}): Promise<DemoRun> {
  const base = { ...process.env, APIFY_TOKEN: '', APIFY_API_BASE_URL: '', ...env };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DEMO, ...args], {
      env: base,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
