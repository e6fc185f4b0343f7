import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('importing the package without impit', () => {
  it('works with FetchHttpClient when resolving impit throws, and impit loads only on first use', async () => {
    expect(existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))).toBe(true);
    await using emu = createEmulator();
    const { url } = await emu.listen();
    const { stdout } = await run(
      process.execPath,
      ['--import', fixture('no-impit-register.mjs'), fixture('fetch-only-client.mjs')],
      {
        env: { ...process.env, EMULATOR_URL: url },
      },
    );
    const result = JSON.parse(stdout) as { items: unknown[]; impitError: string | null };
    expect(result.items).toEqual([{ a: 1 }, { a: 2 }]);
    // The hook is live: the first impit call is the first (and only) attempt to load it.
    expect(result.impitError).toMatch(/^ERR_APIFY_IMPIT_UNAVAILABLE: impit must not be loaded/);
  });
});
