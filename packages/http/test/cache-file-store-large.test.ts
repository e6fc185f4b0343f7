import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheTransport, Client, FileCacheStore, HTTPTransport } from '../src/index.js';

const GIB = 1024 ** 3;
const LIMIT = 64 * 1024 * 1024;

// The origin runs in its own process, so only the client's memory is measured. It generates the
// body on the fly in 1 MiB writes, as the socket drains: /big is cacheable, /warm is not.
const ORIGIN = `
import http from 'node:http';
const chunk = Buffer.alloc(1024 * 1024, 0x61);
const server = http.createServer((req, res) => {
  const size = req.url === '/big' ? ${GIB} : ${GIB / 4};
  res.writeHead(200, {
    'Content-Length': String(size),
    'Cache-Control': req.url === '/big' ? 'max-age=3600' : 'no-store',
    ETag: '"big"',
  });
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function startOrigin(): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', ORIGIN], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(async () => {
    if (child.exitCode === null) {
      child.kill();
      await once(child, 'exit');
    }
  });
  const [data] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return `http://127.0.0.1:${String(data).trim()}`;
}

/** Peak RSS growth over the RSS at the start while `work` runs, sampled every 10 ms and at the end. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}

describe('FileCacheStore with a 1 GiB streamed download', () => {
  it('stores the body while the caller streams it, then serves it from disk, RSS growth < 64 MiB each way', async () => {
    const origin = await startOrigin();
    const directory = await mkdtemp(join(tmpdir(), 'cache-large-'));
    cleanup.push(() => rm(directory, { recursive: true, force: true }));
    const store = new FileCacheStore({ directory, maxBytes: 2 * GIB });
    await using client = new Client({ transport: new CacheTransport(new HTTPTransport(), { store }) });

    const download = async (path: string) => {
      await using response = await client.stream('GET', `${origin}${path}`);
      let total = 0;
      for await (const part of response.iterRaw()) total += part.byteLength;
      return { total, extensions: { ...response.extensions } };
    };

    // A 256 MiB uncacheable download first brings the heap and undici's buffers to their working
    // size (a plain client grows as much on its first large download), so what is measured next
    // is what the cache adds: a store that buffered the body would grow by the whole GiB.
    expect((await download('/warm')).total).toBe(GIB / 4);
    expect(await readdir(directory)).toEqual([]);

    const first = await rssGrowth(() => download('/big'));
    expect(first.result).toEqual({
      total: GIB,
      extensions: { httpVersion: 'HTTP/1.1', fromCache: false, revalidated: false, stale: false },
    });
    expect(first.growth).toBeLessThan(LIMIT);
    // Committed once whole: one body of exactly 1 GiB, no temporary file left.
    const names = await readdir(directory);
    expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const bodies = names.filter((name) => name.endsWith('.body'));
    expect(bodies).toHaveLength(1);
    expect((await stat(join(directory, bodies[0] as string))).size).toBe(GIB);

    const second = await rssGrowth(() => download('/big'));
    expect(second.result).toEqual({
      total: GIB,
      extensions: { httpVersion: 'HTTP/1.1', fromCache: true, revalidated: false, stale: false },
    });
    expect(second.growth).toBeLessThan(LIMIT);
  }, 120_000);
});
