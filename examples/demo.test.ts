import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ApifyClient } from '@pluggable/apify-client';
import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('./demo.js', import.meta.url));
const LAYERS = ['ImpitHttpClient', 'PluggableHttpClient', 'FetchHttpClient'];

interface DemoRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the demo as `npm start` does (after the build); an unset APIFY_TOKEN selects the emulator. */
async function demo(args: string[], env: Record<string, string> = {}): Promise<DemoRun> {
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

interface Table {
  name: string;
  rows: Map<string, string>;
}

/** Splits the output into the per-client tables: a header, then rows of an 18-column label, a value, a note. */
function tables(stdout: string): Table[] {
  const found: Table[] = [];
  for (const block of stdout.split(/\n{2,}/)) {
    const [header, ...lines] = block.replace(/^\n+/, '').split('\n');
    const name = LAYERS.find((layer) => header?.startsWith(`${layer}  `));
    if (name === undefined || lines.length === 0) continue;
    const rows = new Map<string, string>();
    for (const line of lines) {
      const match = /^ {2}(.{18}) +(.+?) {2}/.exec(line);
      if (match?.[1] !== undefined && match[2] !== undefined) rows.set(match[1].trim(), match[2].trim());
    }
    found.push({ name, rows });
  }
  return found;
}

const count = (table: Table, row: string): number => {
  const value = table.rows.get(row);
  if (value === undefined) throw new Error(`${table.name} has no "${row}" row`);
  return Number(value.replaceAll(',', ''));
};

describe('npm start (examples/demo.js)', () => {
  it('runs the scenario with the three clients against a faulty emulator and prints only the tables', async () => {
    expect(
      existsSync(fileURLToPath(new URL('../packages/apify-client/dist/index.js', import.meta.url))),
    ).toBe(true);
    const { code, stdout, stderr } = await demo(['--items', '2000', '--quiet', '--fault-rate', '0.1']);
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const found = tables(stdout);
    expect(found.map((table) => table.name)).toEqual(LAYERS);
    for (const table of found) {
      expect(count(table, 'items read back')).toBe(2000);
      expect(count(table, 'key-value records')).toBe(30);
      expect(count(table, 'queue requests')).toBe(50);
      expect(table.rows.get('actor run')).toBe('SUCCEEDED');
      expect(count(table, 'retried attempts')).toBe(
        count(table, 'stats.requests') - count(table, 'stats.calls'),
      );
    }
    const retried = found.filter((table) => count(table, 'stats.requests') > count(table, 'stats.calls'));
    expect(retried.length).toBeGreaterThan(0);
    // --quiet: no target line and no phase lines, just the tables and the verdict.
    expect(stdout).not.toMatch(/Target:|push items/);
    expect(stdout.trim().split('\n').at(-1)).toMatch(
      /^All 3 clients read back 2,000 items\. Retried after faults: /,
    );
  }, 120_000);

  it('prints a line per phase when stderr is not a terminal, and no escape codes', async () => {
    const { code, stdout, stderr } = await demo(['--items', '1000', '--fault-rate', '0']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toMatch(
      /^Target: a local Apify API emulator per client on 127\.0\.0\.1, 0 % /,
    );
    const pushLines = stdout
      .split('\n')
      .filter((line) => /^ {4}push items +1,000 items +\d+\.\d\d s$/.test(line));
    expect(pushLines).toHaveLength(3);
    expect(stdout).not.toContain('\u001b[');
    for (const table of tables(stdout))
      expect(count(table, 'stats.requests')).toBe(count(table, 'stats.calls'));
  }, 120_000);

  it('with APIFY_TOKEN targets APIFY_API_BASE_URL, says so, skips the actor run and deletes its storages', async () => {
    // The emulator without faults stands in for the platform: the demo must treat it as the real API.
    await using emulator = createEmulator({ token: 'platform-token' });
    const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
    const { code, stdout, stderr } = await demo(['--items', '1500', '--quiet'], {
      APIFY_TOKEN: 'platform-token',
      APIFY_API_BASE_URL: url,
    });
    expect(code).toBe(0);
    expect(stderr).toBe(
      `Target: the Apify API at ${url} (APIFY_TOKEN is set): no emulator, no injected faults; storages get ` +
        'unique names and are deleted at the end; the actor-run step needs the emulator and is skipped.\n',
    );
    const found = tables(stdout);
    expect(found.map((table) => table.name)).toEqual(LAYERS);
    for (const table of found) {
      expect(count(table, 'items read back')).toBe(1500);
      expect(table.rows.get('actor run')).toBe('skipped');
    }

    await using client = new ApifyClient({ baseUrl: url, token: 'platform-token' });
    expect((await client.datasets().list({ unnamed: true })).total).toBe(0);
    expect((await client.keyValueStores().list({ unnamed: true })).total).toBe(0);
    expect((await client.requestQueues().list({ unnamed: true })).total).toBe(0);
  }, 120_000);

  it('exits 1 with a clear message when the API refuses the token', async () => {
    await using emulator = createEmulator({ token: 'the-right-token' });
    const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
    const { code, stdout, stderr } = await demo(['--items', '10', '--quiet'], {
      APIFY_TOKEN: 'a-wrong-token',
      APIFY_API_BASE_URL: url,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // The official error name, as apify-client reports it.
    expect(stderr).toContain('demo failed: ApifyApiError: Authentication token is not valid');
    expect(stderr).not.toContain('a-wrong-token');
  }, 60_000);

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--items'], "Option '--items <value>' argument missing"],
    [['--items', '0'], '--items must be an integer ≥ 1, got "0"'],
    [['--items', '12x'], '--items must be an integer ≥ 1, got "12x"'],
    [['--fault-rate', '1.5'], '--fault-rate must be a number between 0 and 1, got "1.5"'],
    [['extra'], "Unexpected argument 'extra'"],
  ])('rejects %j with the usage and exit code 2', async (args, message) => {
    const { code, stdout, stderr } = await demo(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: npm start -- [options]');
  });

  it('prints the usage on --help and exits 0', async () => {
    const { code, stdout, stderr } = await demo(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: npm start -- \[options\]/);
    expect(stdout).toContain('--fault-rate R');
  });
});
