import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { demo } from './test-support/run-demo.js';

const LAYERS = ['ImpitHttpClient', 'PluggableHttpClient', 'FetchHttpClient'];

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
    const retriedInAll = found.reduce((sum, table) => sum + count(table, 'retried attempts'), 0);
    expect(stdout.trim().split('\n').at(-1)).toBe(
      'All 3 clients stored and read back every one of 2,000 items exactly once, in order, and handled ' +
        '30 key-value records, 50 queue requests and an actor run correctly, through 10 % injected faults ' +
        `(${retriedInAll.toLocaleString('en-US')} requests retried).`,
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
    expect(stdout.trim().split('\n').at(-1)).toMatch(/ correctly, with no injected faults\.$/);
  }, 120_000);

  it("explains the rows' terms once, right under the first table", async () => {
    const { code, stdout } = await demo(['--items', '10', '--fault-rate', '0', '--quiet']);
    expect(code).toBe(0);
    const blocks = stdout.trim().split(/\n{2,}/);
    expect(blocks.map((block) => block.split('\n')[0]?.split('  ')[0])).toEqual([
      'ImpitHttpClient',
      'What the rows mean:',
      'PluggableHttpClient',
      'FetchHttpClient',
      expect.stringMatching(/^All 3 clients stored and read back/),
    ]);
    const legend = blocks[1] ?? '';
    // Every row label that is not plain English is explained.
    for (const term of [
      'stats.calls',
      'stats.requests',
      'retried attempts',
      '429s by attempt',
      'unknown outcomes',
      'stale locks freed',
    ]) {
      expect(legend).toMatch(new RegExp(`^  ${term.replace('.', '\\.')} +\\S`, 'm'));
    }
    expect(stdout.match(/What the rows mean:/g)).toHaveLength(1);
  }, 60_000);

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--items'], "Option '--items <value>' argument missing"],
    [['--items', '0'], '--items must be an integer ≥ 1, got "0"'],
    [['--items', '12x'], '--items must be an integer ≥ 1, got "12x"'],
    [['--fault-rate', '1.5'], '--fault-rate must be a number between 0 and 1, got "1.5"'],
    [['extra'], "Unexpected argument 'extra'"],
    [['--yes'], '--yes only applies together with --platform'],
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

  it('is built at install, as the README says, so `npm start` does not begin with a silent full build', () => {
    const root = new URL('../', import.meta.url);
    const { scripts } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
    expect(scripts.prepare).toBe('tsc --build');
    expect(scripts.start).toBe('tsc --build && node examples/demo.js');
    expect(readFileSync(new URL('README.md', root), 'utf8')).toContain(
      '`npm ci` builds the packages (the `prepare` script), so `npm start` begins at once.',
    );
  });
});
