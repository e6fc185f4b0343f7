import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApifyClient } from 'apify-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';
import { fixture, startRun } from './local-run-process.js';

// Crawlee's CheerioCrawler (no browsers) at home on the emulator, over a local site of 50 pages.
const PAGES = 50;
const FAIL_ONCE = new Set([7, 19, 33]);

interface Site {
  server: Server;
  url: string;
  hits: Map<string, number>;
  /** Run IDs seen in `x-run-id`, in order of first request. */
  runs: string[];
}

/**
 * Page 0 links to every page; each page links to the next two. Pages in FAIL_ONCE answer 500 once. With
 * `gate`, pages other than the start wait until two runs have asked for pages, so both share the work.
 */
async function startSite(options: { gate: boolean }): Promise<Site> {
  const hits = new Map<string, number>();
  const runs: string[] = [];
  const waiting: (() => void)[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const n = path === '/' ? 0 : Number(/^\/page\/(\d+)$/.exec(path)?.[1] ?? Number.NaN);
    if (!Number.isInteger(n) || n < 0 || n >= PAGES) {
      response.writeHead(404).end();
      return;
    }
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    const runId = request.headers['x-run-id'];
    if (typeof runId === 'string' && !runs.includes(runId)) runs.push(runId);
    const answer = (): void => {
      if (FAIL_ONCE.has(n) && count === 1) {
        response.writeHead(500, { 'content-type': 'text/html' }).end('<title>error</title>');
        return;
      }
      const links = n === 0 ? Array.from({ length: PAGES - 1 }, (_, i) => i + 1) : [n + 1, n + 2];
      const body = links
        .filter((i) => i < PAGES)
        .map((i) => `<a href="/page/${i}">page ${i}</a>`)
        .join('\n');
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<title>Page ${n}</title>${body}`);
    };
    if (!options.gate || n === 0 || runs.length >= 2) {
      answer();
      for (const release of waiting.splice(0)) release();
    } else waiting.push(answer);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, hits, runs };
}

let emulator: Emulator;
let port: string;
let client: ApifyClient;
let crawleeDir: string;
const sites: Site[] = [];

beforeAll(async () => {
  crawleeDir = mkdtempSync(join(tmpdir(), 'local-runs-crawlee-'));
  process.env.CRAWLEE_STORAGE_DIR = crawleeDir;
  emulator = createEmulator({ localRuns: { persistStateIntervalMs: 1_000 } });
  const { url } = await emulator.listen();
  port = new URL(url).port;
  client = new ApifyClient({ baseUrl: url, token: 't', maxRetries: 0 });
});

afterAll(async () => {
  await emulator.close();
  for (const site of sites) site.server.close();
  rmSync(crawleeDir, { recursive: true, force: true });
});

const expectedUrls = (site: Site): string[] =>
  [`${site.url}/`, ...Array.from({ length: PAGES - 1 }, (_, i) => `${site.url}/page/${i + 1}`)].sort();

describe.concurrent('Crawlee under apify-emulator run', () => {
  it('a CheerioCrawler over 50 pages (three answer 500 once) stores exactly one item per page', async () => {
    const site = await startSite({ gate: false });
    sites.push(site);
    const run = startRun(fixture('cheerio-site'), [
      '--port',
      port,
      '--input',
      JSON.stringify({ startUrl: `${site.url}/` }),
    ]);
    const { code, stderr } = await run.exited;
    expect(code, stderr).toBe(0);
    const finished = await client.run(await run.runId).get();
    expect(finished?.status).toBe('SUCCEEDED');
    const { items } = await client.dataset(finished?.defaultDatasetId as string).listItems();
    expect(items.map((item) => item.url as string).sort()).toEqual(expectedUrls(site));
    expect(items.find((item) => item.url === `${site.url}/page/7`)?.title).toBe('Page 7');
    for (const n of FAIL_ONCE) expect(site.hits.get(`/page/${n}`)).toBe(2);
  });

  it('two run processes sharing one named request queue process every page once', async () => {
    const site = await startSite({ gate: true });
    sites.push(site);
    const input = JSON.stringify({ startUrl: `${site.url}/`, queueName: 'shared-pages' });
    const first = startRun(fixture('shared-queue'), ['--port', port, '--input', input]);
    const second = startRun(fixture('shared-queue'), ['--port', port, '--input', input]);
    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const runIds = [await first.runId, await second.runId];
    const all: Record<string, unknown>[] = [];
    for (const runId of runIds) {
      const finished = await client.run(runId).get();
      expect(finished?.status).toBe('SUCCEEDED');
      const { items } = await client.dataset(finished?.defaultDatasetId as string).listItems();
      // Both runs did part of the crawl.
      expect(items.length).toBeGreaterThan(0);
      all.push(...items);
    }
    expect(all.map((item) => item.url as string).sort()).toEqual(expectedUrls(site));
    expect(new Set(all.map((item) => item.runId))).toEqual(new Set(runIds));
    const queue = await client.requestQueues().getOrCreate('shared-pages');
    expect((await client.requestQueue(queue.id).get())?.handledRequestCount).toBe(PAGES);
  });
});
