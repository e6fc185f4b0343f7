import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApifyClient } from 'apify-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModule, transpile } from './support/run-block.js';

// Runs every step of docs/guides/develop-an-actor-locally.md: the files exactly as shown, each command
// (`npx apify-emulator` as `node dist/cli.js`), with a local site for https://crawlee.dev and free ports
// for 8790.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GUIDE = join(ROOT, 'docs', 'guides', 'develop-an-actor-locally.md');
const CLI = join(ROOT, 'packages', 'apify-emulator', 'dist', 'cli.js');
const SITE_PAGES = 30;

const markdown = await readFile(GUIDE, 'utf8');
/** Fences whose info string names a file: ```json .actor/actor.json */
const files = [...markdown.matchAll(/^```(?:json|js) (\S+)\n([\s\S]*?)^```$/gm)].map((m) => ({
  path: m[1] as string,
  content: m[2] as string,
}));
/** Every line of every ```sh fence. */
const commands = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((m) =>
  (m[1] as string).split('\n').filter((line) => line.trim() !== ''),
);
const tsBlocks = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);

let project = '';
let site: Server;
let siteUrl = '';
let pageDelayMs = 0;

/** Every page links to the next two; `/` to page 1 and 2. */
function startSite(): Promise<void> {
  site = createServer((request, response) => {
    const n = request.url === '/' ? 0 : Number(/^\/page\/(\d+)$/.exec(request.url ?? '')?.[1] ?? -1);
    if (n < 0 || n >= SITE_PAGES) {
      response.writeHead(404).end();
      return;
    }
    const links = [n + 1, n + 2].filter((i) => i < SITE_PAGES).map((i) => `<a href="/page/${i}">${i}</a>`);
    setTimeout(() => {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<title>Page ${n}</title>${links.join('')}`);
    }, pageDelayMs);
  });
  site.listen(0, '127.0.0.1');
  return new Promise((resolve) =>
    site.once('listening', () => {
      siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

async function freePort(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return String(port);
}

/** The guide's command, as argv for `node`: its quoting is plain single quotes. */
function argv(command: string, port: string): string[] {
  const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? (m[2] as string));
  expect(words.slice(0, 2)).toEqual(['npx', 'apify-emulator']);
  return [CLI, ...words.slice(2)].map((w) =>
    w.replaceAll('https://crawlee.dev', siteUrl).replace(/^8790$/, port),
  );
}

function command(prefix: string): string {
  const found = commands.find((c) => c.startsWith(prefix));
  if (found === undefined) throw new Error(`The guide has no command starting '${prefix}'`);
  return found;
}

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<Done>; stdout: () => string } {
  const child = spawn(process.execPath, args, { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const done = new Promise<Done>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  // Inside the repository, so the project's `apify`, `crawlee` and `@pluggable/apify-emulator` resolve.
  await mkdir(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  project = await mkdtemp(join(ROOT, 'node_modules', '.cache', 'guide-actor-'));
  await startSite();
  for (const file of files) {
    await mkdir(dirname(join(project, file.path)), { recursive: true });
    await writeFile(join(project, file.path), file.content.replaceAll('https://crawlee.dev', siteUrl));
  }
});

afterAll(async () => {
  site.close();
  if (project !== '') await rm(project, { recursive: true, force: true });
});

describe('the guide "Develop an actor locally"', () => {
  it('shows the files of an actor folder and the commands to run it', () => {
    expect(files.map((f) => f.path)).toEqual([
      '.actor/actor.json',
      '.actor/input_schema.json',
      'package.json',
      'main.js',
    ]);
    expect(commands.length).toBe(7);
    expect(tsBlocks.length).toBe(1);
  });

  it('step 2: run with the prefill input, then with --input', async () => {
    pageDelayMs = 0;
    const port = await freePort();
    const first = await start([...argv(command('npx apify-emulator run'), port), '--port', port]).done;
    expect(first.code, first.stderr).toBe(0);
    // maxRequestsPerCrawl may let a request or two more through at once; each handled page counts.
    const crawled = Number(/Run \w{17}: SUCCEEDED \(Crawled (\d+) pages\)\n/.exec(first.stdout)?.[1]);
    expect(crawled).toBeGreaterThanOrEqual(20);
    expect(crawled).toBeLessThanOrEqual(SITE_PAGES);
    expect(first.stdout).toMatch(
      new RegExp(`Dataset: {10}http://127\\.0\\.0\\.1:${port}/v2/datasets/\\w{17}/items\\n`),
    );
    const second = await start([...argv(command('npx apify-emulator run --input'), port), '--port', port])
      .done;
    expect(second.code, second.stderr).toBe(0);
    const few = Number(/Run \w{17}: SUCCEEDED \(Crawled (\d+) pages\)\n/.exec(second.stdout)?.[1]);
    expect(few).toBeGreaterThanOrEqual(5);
    expect(few).toBeLessThan(20);
  });

  it('steps 3 and 4: a kept emulator, run on its port, migrate mid-crawl; the count survives', async () => {
    pageDelayMs = 250;
    const port = await freePort();
    const emulator = start(argv(command('npx apify-emulator --storage-dir'), port).concat(['--port', port]));
    try {
      await until('the emulator URL', async () => (emulator.stdout().includes('\n') ? true : undefined));
      const run = start(argv(command('npx apify-emulator run --port'), port));
      const client = new ApifyClient({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
      const runId = await until('the run', async () => {
        const { items } = await client.runs().list();
        return items[0]?.id;
      });
      const started = await client.run(runId).get();
      await until('the first page', async () => {
        const { total } = await client.dataset(started?.defaultDatasetId as string).listItems({ limit: 1 });
        return total > 0 ? true : undefined;
      });
      const migrate = argv(command('npx apify-emulator migrate'), port).map((w) =>
        w === '3bd8PqT2cWx7yK1mN' ? runId : w,
      );
      const migrated = await new Promise<Done>((resolve) =>
        execFile(process.execPath, migrate, (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr }),
        ),
      );
      expect(migrated.code, migrated.stderr).toBe(0);
      const done = await run.done;
      expect(done.code, done.stderr).toBe(0);
      const finished = await client.run(runId).get();
      expect(finished?.status).toBe('SUCCEEDED');
      expect(finished?.stats.rebootCount).toBe(1);
      const pages = Number(/^Crawled (\d+) pages$/.exec(finished?.statusMessage ?? '')?.[1]);
      // The count carried over the migration: the new process alone handles fewer than 20 pages. A page
      // in flight when the old process stopped may be stored without being counted.
      const { items } = await client.dataset(finished?.defaultDatasetId as string).listItems();
      expect(pages).toBeGreaterThanOrEqual(20);
      expect(pages).toBeLessThanOrEqual(items.length);
      expect(new Set(items.map((item) => item.url)).size).toBeGreaterThanOrEqual(20);
      expect(items[0]?.label).toBe('local');
    } finally {
      emulator.child.kill('SIGTERM');
      await emulator.done;
    }
  }, 90_000);

  it('step 5: the test with registerActor(folder)', async () => {
    pageDelayMs = 0;
    const js = transpile(tsBlocks[0] as string).replaceAll('https://crawlee.dev', siteUrl);
    const result = await runModule(js, project, 30_000);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('SUCCEEDED Crawled 3 pages 3\n');
  });
});
